/*
 * rules-rank.c - screening and ranking: approval with a threshold, Borda,
 * Schulze, and show-of-hands counts.
 *
 * approval: an item is accepted iff its approvals pass the threshold over
 *   the people present; accepted items are listed by approvals descending.
 * borda: ordinal ballots, the README's Borda score (L - 1 - k for position
 *   k of a ranking of L projects, so the last ranked gets 0); all projects
 *   ranked by total score descending.
 * schulze: pairwise preferences from any ballot type (ranked above unranked;
 *   approved above not approved; more points above fewer), strongest paths
 *   by winning votes. Tie-break: repeatedly place, among the projects not
 *   yet placed that no other unplaced project beats, the smallest id.
 * Every ranking breaks remaining ties by smallest id (strcmp order).
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <stdlib.h>
#include <string.h>

/* Schulze keeps m x m matrices. */
#define SCHULZE_MAX_PROJECTS 4000u

struct ranked {
	uint32_t project;
	uint64_t score;
	const struct tally_election *e;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return tally_id_cmp(x->e, x->project, y->project);
}

/*
 * Approvals needed to pass: the smallest a with a*den > num*present (or >=),
 * and never fewer than one: an item nobody voted for is not accepted.
 */
static void votes_needed(mpz_t out, struct tally_threshold th, uint64_t present)
{
	mpz_set_ui(out, th.num);
	mpz_mul_ui(out, out, present);
	if (th.strict) {
		mpz_fdiv_q_ui(out, out, th.den);
		mpz_add_ui(out, out, 1);
	} else {
		mpz_cdiv_q_ui(out, out, th.den);
	}
	if (mpz_sgn(out) == 0)
		mpz_set_ui(out, 1);
}

/* Accepts items (votes[i]) against the threshold; shared by ballots and hands. */
static enum tally_error accept_by_threshold(const struct tally_election *e, size_t n, const uint64_t *votes,
                                            const bool *active, struct tally_threshold th, uint64_t present,
                                            struct tally_result *out)
{
	if (th.den == 0 || th.num > th.den)
		return TALLY_ERR_INVALID;
	struct ranked *order = malloc((n + 1) * sizeof(*order));
	if (!order)
		return TALLY_ERR_NOMEM;
	mpz_t need;
	mpz_init(need);
	votes_needed(need, th, present);
	size_t n_order = 0;
	for (size_t i = 0; i < n; i++) {
		if (!active[i])
			continue;
		struct tally_item_explain *x = out->items ? &out->items[i] : NULL;
		bool pass = mpz_cmp_ui(need, votes[i]) <= 0;
		if (x) {
			x->votes = x->support = (double)votes[i];
			x->amount = mpz_get_d(need);
			x->why = pass ? TALLY_WHY_ACCEPTED : TALLY_WHY_BELOW_THRESHOLD;
		}
		if (pass)
			order[n_order++] = (struct ranked){ (uint32_t)i, votes[i], e };
	}
	mpz_clear(need);
	qsort(order, n_order, sizeof(*order), cmp_ranked);
	for (size_t i = 0; i < n_order; i++) {
		if (e)
			tally_result_push(out, e, order[i].project);
		else
			out->selected[out->n_selected++] = order[i].project;
		if (out->items)
			out->items[order[i].project].round = (uint32_t)i + 1;
	}
	free(order);
	return TALLY_OK;
}

enum tally_error tally_approval(const struct tally_election *e, const struct tally_options *opt,
                                struct tally_result *out)
{
	struct tally_profile pf;
	enum tally_error err = tally_profile_totals(&pf, e, TALLY_SAT_CARD);
	if (err)
		return err;
	tally_mark_excluded(e, out);
	uint64_t present = opt->present ? opt->present : e->n_ballots;
	for (size_t p = 0; p < e->n_projects; p++)
		TALLY_INVARIANT(pf.approvals[p] <= pf.n_voters); /* one approval per ballot at most */
	err = accept_by_threshold(e, e->n_projects, pf.approvals, pf.active, opt->threshold, present, out);
	tally_profile_release(&pf);
	return err;
}

/* Ids order ties when e is NULL (show of hands): lower index first. */
static int cmp_ranked_hands(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->project > y->project) - (x->project < y->project);
}

enum tally_error tally_hands_count(const struct tally_hands *hands, size_t n, uint64_t present,
                                   struct tally_threshold threshold, bool explain,
                                   struct tally_result *out)
{
	tally_result_release(out);
	tally_result_init(out);
	out->rule = TALLY_RULE_APPROVAL;
	if (threshold.den == 0 || threshold.num > threshold.den)
		return TALLY_ERR_INVALID;
	enum tally_error err = tally_result_alloc(out, n, explain);
	if (err)
		return err;
	mpz_t need;
	mpz_init(need);
	struct ranked *order = malloc((n + 1) * sizeof(*order));
	if (!order) {
		mpz_clear(need);
		return TALLY_ERR_NOMEM;
	}
	size_t n_order = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tally_hands *h = &hands[i];
		uint64_t raised = h->votes_for + h->votes_against + h->votes_abstain;
		if (raised < h->votes_for || (present && raised > present)) {
			err = TALLY_ERR_INVALID; /* more hands than people in the room */
			goto release_order;
		}
		uint64_t room = present ? present : raised;
		votes_needed(need, threshold, room);
		bool pass = mpz_cmp_ui(need, h->votes_for) <= 0;
		if (out->items) {
			out->items[i].votes = out->items[i].support = (double)h->votes_for;
			out->items[i].amount = mpz_get_d(need);
			out->items[i].why = pass ? TALLY_WHY_ACCEPTED : TALLY_WHY_BELOW_THRESHOLD;
		}
		if (pass)
			order[n_order++] = (struct ranked){ (uint32_t)i, h->votes_for, NULL };
	}
	qsort(order, n_order, sizeof(*order), cmp_ranked_hands);
	for (size_t i = 0; i < n_order; i++) {
		out->selected[out->n_selected++] = order[i].project;
		if (out->items)
			out->items[order[i].project].round = (uint32_t)i + 1;
	}
release_order:
	free(order);
	mpz_clear(need);
	if (err) {
		tally_result_release(out);
		tally_result_init(out);
	}
	return err;
}

/* ---------------------------------------------------------------- Borda */

/* Fills out->selected with every active project by score descending, id ascending. */
static enum tally_error publish_ranking(const struct tally_election *e, const bool *active, const int64_t *score,
                                        struct tally_result *out)
{
	struct ranked *order = malloc((e->n_projects + 1) * sizeof(*order));
	out->scores = calloc(e->n_projects + 1, sizeof(int64_t));
	if (!order || !out->scores) {
		free(order);
		return TALLY_ERR_NOMEM;
	}
	size_t n = 0;
	for (size_t p = 0; p < e->n_projects; p++) {
		out->scores[p] = score[p];
		if (active[p])
			order[n++] = (struct ranked){ (uint32_t)p, (uint64_t)score[p], e };
	}
	qsort(order, n, sizeof(*order), cmp_ranked);
	for (size_t i = 0; i < n; i++) {
		out->selected[out->n_selected++] = order[i].project;
		if (out->items) {
			struct tally_item_explain *x = &out->items[order[i].project];
			x->why = TALLY_WHY_RANKED;
			x->round = (uint32_t)i + 1;
			x->value = (double)order[i].score;
		}
	}
	free(order);
	return TALLY_OK;
}

enum tally_error tally_borda(const struct tally_election *e, const struct tally_options *opt,
                             struct tally_result *out)
{
	struct tally_profile pf;
	(void)opt;
	enum tally_error err = tally_profile_totals(&pf, e, TALLY_SAT_SCORE);
	if (err)
		return err;
	int64_t *score = calloc(e->n_projects + 1, sizeof(int64_t));
	if (!score) {
		err = TALLY_ERR_NOMEM;
		goto release_profile;
	}
	tally_mark_excluded(e, out);
	for (size_t p = 0; p < e->n_projects; p++) {
		if (!mpz_fits_slong_p(pf.units_total[p])) {
			err = TALLY_ERR_TOO_LARGE;
			goto release_profile;
		}
		score[p] = mpz_get_si(pf.units_total[p]);
		if (out->items) {
			out->items[p].votes = (double)pf.approvals[p];
			out->items[p].support = (double)score[p];
		}
	}
	err = publish_ranking(e, pf.active, score, out);
release_profile:
	free(score);
	tally_profile_release(&pf);
	return err;
}

/* -------------------------------------------------------------- Schulze */

/*
 * How much ballot i values project p, larger = preferred; unlisted = 0.
 * Ordinal: L - position (the first of L ranked gets L, unranked 0).
 */
static int64_t preference(const struct tally_election *e, size_t item, size_t position, size_t listed)
{
	switch (e->vote_type) {
	case TALLY_VOTE_ORDINAL:
		return (int64_t)(listed - position);
	case TALLY_VOTE_CUMULATIVE:
	case TALLY_VOTE_SCORING:
		return e->item_points[item];
	default:
		return 1;
	}
}

/*
 * d[a][b] = ballots preferring a to b. A listed project with a positive
 * preference beats every unlisted one: added once to beats_all[a], and
 * cancelled for the listed b, whose pairs are counted one by one.
 */
static void count_pairs(const struct tally_election *e, const bool *active, size_t m, int64_t *d,
                        int64_t *beats_all, uint32_t *items, int64_t *pref)
{
	for (size_t b = 0; b < e->n_ballots; b++) {
		size_t n = 0;
		for (size_t i = e->ballot_start[b]; i < e->ballot_start[b + 1]; i++)
			if (active[e->item_project[i]])
				items[n++] = (uint32_t)i;
		for (size_t k = 0; k < n; k++)
			pref[k] = preference(e, items[k], k, n);
		for (size_t x = 0; x < n; x++) {
			uint32_t px = e->item_project[items[x]];
			if (pref[x] <= 0)
				continue;
			beats_all[px]++;
			for (size_t y = 0; y < n; y++) {
				uint32_t py = e->item_project[items[y]];
				d[(size_t)px * m + py]--; /* cancel, then count listed pairs exactly */
				if (pref[x] > pref[y])
					d[(size_t)px * m + py]++;
			}
		}
	}
	for (size_t a = 0; a < m; a++)
		for (size_t c = 0; c < m; c++)
			d[a * m + c] += a == c ? 0 : beats_all[a];
	for (size_t a = 0; a < m; a++)
		d[a * m + a] = 0;
}

/* Strongest path strengths by winning votes (Floyd-Warshall). */
static void widest_paths(const int64_t *d, int64_t *p, size_t m, const bool *active)
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			p[i * m + j] = (i != j && d[i * m + j] > d[j * m + i]) ? d[i * m + j] : 0;
	for (size_t k = 0; k < m; k++) {
		if (!active[k])
			continue;
		for (size_t i = 0; i < m; i++) {
			if (i == k || !active[i] || p[i * m + k] == 0)
				continue;
			for (size_t j = 0; j < m; j++) {
				if (j == i || j == k)
					continue;
				int64_t via = p[i * m + k] < p[k * m + j] ? p[i * m + k] : p[k * m + j];
				if (via > p[i * m + j])
					p[i * m + j] = via;
			}
		}
	}
}

/* Places projects: each time the smallest id among the unplaced that nobody unplaced beats. */
static void schulze_order(const struct tally_election *e, const int64_t *p, size_t m, const bool *active,
                          struct tally_result *out)
{
	bool *placed = calloc(m + 1, sizeof(bool));
	if (!placed)
		return;
	for (size_t a = 0; a < m; a++) {
		if (!active[a])
			continue;
		int64_t wins = 0;
		for (size_t b = 0; b < m; b++)
			wins += active[b] && p[a * m + b] > p[b * m + a];
		out->scores[a] = wins;
	}
	for (;;) {
		bool found = false;
		uint32_t pick = 0;
		for (size_t a = 0; a < m; a++) {
			if (!active[a] || placed[a])
				continue;
			bool beaten = false;
			for (size_t b = 0; b < m && !beaten; b++)
				beaten = active[b] && !placed[b] && p[b * m + a] > p[a * m + b];
			if (!beaten && (!found || tally_id_cmp(e, (uint32_t)a, pick) < 0)) {
				pick = (uint32_t)a;
				found = true;
			}
		}
		if (!found)
			break;
		placed[pick] = true;
		out->selected[out->n_selected++] = pick;
		if (out->items) {
			out->items[pick].why = TALLY_WHY_RANKED;
			out->items[pick].round = (uint32_t)out->n_selected;
			out->items[pick].value = (double)out->scores[pick];
		}
	}
	free(placed);
}

enum tally_error tally_schulze(const struct tally_election *e, const struct tally_options *opt,
                               struct tally_result *out)
{
	(void)opt;
	size_t m = e->n_projects;
	if (m > SCHULZE_MAX_PROJECTS)
		return TALLY_ERR_TOO_LARGE;
	size_t longest = 0;
	for (size_t b = 0; b < e->n_ballots; b++)
		if (e->ballot_start[b + 1] - e->ballot_start[b] > longest)
			longest = e->ballot_start[b + 1] - e->ballot_start[b];
	int64_t *d = calloc(m * m + 1, sizeof(int64_t));
	int64_t *paths = calloc(m * m + 1, sizeof(int64_t));
	int64_t *beats_all = calloc(m + 1, sizeof(int64_t));
	uint32_t *items = malloc((longest + 1) * sizeof(uint32_t));
	int64_t *pref = malloc((longest + 1) * sizeof(int64_t));
	bool *active = malloc(m + 1);
	out->scores = calloc(m + 1, sizeof(int64_t));
	enum tally_error err = TALLY_ERR_NOMEM;
	if (!d || !paths || !beats_all || !items || !pref || !active || !out->scores)
		goto release_matrices;
	for (size_t p = 0; p < m; p++)
		active[p] = !e->projects[p].excluded;
	tally_mark_excluded(e, out);
	count_pairs(e, active, m, d, beats_all, items, pref);
	widest_paths(d, paths, m, active);
	schulze_order(e, paths, m, active, out);
	if (out->items)
		for (size_t p = 0; p < m; p++)
			if (active[p])
				out->items[p].votes = out->items[p].support = (double)beats_all[p];
	err = TALLY_OK;
release_matrices:
	free(d);
	free(paths);
	free(beats_all);
	free(items);
	free(pref);
	free(active);
	return err;
}
