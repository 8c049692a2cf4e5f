/*
 * rules-phragmen.c - sequential Phragmen (pabutools' sequential_phragmen),
 * approval and choose-1 ballots only.
 *
 * Each voter carries a load, starting at 0. A candidate p would bring its
 * approvers to the common load t(p) = (sum of their loads + c(p)) / a(p).
 * Each round the smallest t wins (ties: smallest id) and its approvers'
 * loads become t. The rule halts, without skipping, as soon as any project
 * tied at the smallest t no longer fits the money left.
 *
 * A voter's load is always the t of the last round that bought a project
 * they approve, so a group only records that round, and the sum of loads is
 * a per-round histogram times the round's t (exact rationals).
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_ROUND UINT32_MAX

struct phragmen_state {
	const struct tally_election *e;
	const struct tally_profile *pf;
	uint32_t *group_round;   /* per group: round that set its load, or NO_ROUND */
	mpq_t *round_t;          /* per round: the winning t */
	uint64_t *per_round;     /* scratch histogram: voters whose load came from round r */
	uint32_t *touched;       /* scratch: rounds set in per_round */
	bool *candidate;
	bool *infinite;          /* per project: t(p) = +inf (nobody approves it) */
	mpq_t *t;                /* per project: t this round (valid unless infinite) */
	mpq_t *lower;            /* per project: lower bound, t never decreases */
	mpq_t sum, term;
	bool numbers_ready;      /* the mpq_t above are initialised */
};

static enum tally_error state_init(struct phragmen_state *st, const struct tally_election *e,
                                   const struct tally_profile *pf)
{
	size_t np = e->n_projects;
	memset(st, 0, sizeof(*st));
	st->e = e;
	st->pf = pf;
	st->group_round = malloc((pf->n_groups + 1) * sizeof(uint32_t));
	st->round_t = malloc((np + 1) * sizeof(mpq_t));
	st->per_round = calloc(np + 1, sizeof(uint64_t));
	st->touched = malloc((np + 1) * sizeof(uint32_t));
	st->candidate = calloc(np + 1, sizeof(bool));
	st->infinite = calloc(np + 1, sizeof(bool));
	st->t = malloc((np + 1) * sizeof(mpq_t));
	st->lower = malloc((np + 1) * sizeof(mpq_t));
	if (!st->group_round || !st->round_t || !st->per_round || !st->touched || !st->candidate ||
	    !st->infinite || !st->t || !st->lower)
		return TALLY_ERR_NOMEM;
	for (size_t p = 0; p < np; p++) {
		mpq_init(st->round_t[p]);
		mpq_init(st->t[p]);
		mpq_init(st->lower[p]);
	}
	for (size_t g = 0; g < pf->n_groups; g++)
		st->group_round[g] = NO_ROUND;
	mpq_inits(st->sum, st->term, NULL);
	st->numbers_ready = true;
	return TALLY_OK;
}

static void state_release(struct phragmen_state *st)
{
	if (st->numbers_ready) {
		for (size_t p = 0; p < st->e->n_projects; p++) {
			mpq_clear(st->round_t[p]);
			mpq_clear(st->t[p]);
			mpq_clear(st->lower[p]);
		}
		mpq_clears(st->sum, st->term, NULL);
	}
	free(st->group_round);
	free(st->round_t);
	free(st->per_round);
	free(st->touched);
	free(st->candidate);
	free(st->infinite);
	free(st->t);
	free(st->lower);
}

/* t(p) = (sum of approvers' loads + c(p)) / a(p). */
static void compute_t(struct phragmen_state *st, uint32_t p)
{
	const struct tally_profile *pf = st->pf;
	if (pf->sup_start[p] == pf->sup_start[p + 1]) {
		st->infinite[p] = true;
		return;
	}
	size_t n_touched = 0;
	uint64_t approvers = 0;
	for (size_t s = pf->sup_start[p]; s < pf->sup_start[p + 1]; s++) {
		uint32_t g = pf->sup_group[s];
		approvers += pf->weight[g];
		uint32_t r = st->group_round[g];
		if (r == NO_ROUND)
			continue;
		if (st->per_round[r] == 0)
			st->touched[n_touched++] = r;
		st->per_round[r] += pf->weight[g];
	}
	mpq_set(st->sum, st->e->projects[p].cost);
	for (size_t i = 0; i < n_touched; i++) {
		uint32_t r = st->touched[i];
		mpq_set_ui(st->term, st->per_round[r], 1);
		mpq_mul(st->term, st->term, st->round_t[r]);
		mpq_add(st->sum, st->sum, st->term);
		st->per_round[r] = 0;
	}
	mpq_set_ui(st->term, approvers, 1);
	mpq_div(st->t[p], st->sum, st->term);
	mpq_set(st->lower[p], st->t[p]);
}

/* -1, 0, 1 comparing t(a) with t(b), +inf included. */
static int cmp_t(const struct phragmen_state *st, uint32_t a, uint32_t b)
{
	if (st->infinite[a] || st->infinite[b])
		return (int)st->infinite[a] - (int)st->infinite[b];
	return mpq_cmp(st->t[a], st->t[b]);
}

static void explain_round(struct phragmen_state *st, struct tally_result *out, uint32_t p, size_t round)
{
	struct tally_item_explain *x = &out->items[p];
	if (tally_explain_rounds(x, round) != TALLY_OK)
		return; /* explanations are best effort under memory pressure */
	x->per_round[round] = st->infinite[p] ? INFINITY : mpq_get_d(st->t[p]);
	x->n_rounds = round + 1;
}

/* Marks the projects left when the rule halts in `round`. */
static void explain_halt(struct phragmen_state *st, struct tally_result *out, const uint32_t *tied,
                         size_t n_tied, size_t round, const mpq_t left)
{
	for (size_t p = 0; p < st->e->n_projects; p++) {
		if (!st->candidate[p])
			continue;
		out->items[p].why = TALLY_WHY_HALTED;
		out->items[p].round = (uint32_t)round + 1;
		out->items[p].amount = mpq_get_d(left);
	}
	for (size_t i = 0; i < n_tied; i++) {
		uint32_t p = tied[i];
		if (mpq_cmp(st->e->projects[p].cost, left) > 0)
			out->items[p].why = TALLY_WHY_DID_NOT_FIT;
	}
}

static void seed(struct phragmen_state *st, struct tally_result *out)
{
	const struct tally_election *e = st->e;
	for (size_t p = 0; p < e->n_projects; p++) {
		if (!st->pf->active[p])
			continue;
		struct tally_item_explain *x = out->items ? &out->items[p] : NULL;
		if (x)
			x->votes = x->support = (double)st->pf->approvals[p];
		if (mpq_cmp(e->projects[p].cost, e->budget) <= 0) {
			st->candidate[p] = true;
			compute_t(st, (uint32_t)p);
		} else if (x) {
			x->why = TALLY_WHY_DID_NOT_FIT;
			x->amount = mpq_get_d(e->budget);
		}
	}
}

enum tally_error tally_phragmen(const struct tally_election *e, const struct tally_options *opt,
                                struct tally_result *out)
{
	struct tally_profile pf;
	struct phragmen_state st;
	enum tally_error err = tally_profile_build(&pf, e, TALLY_SAT_CARD);
	if (err)
		return err;
	bool explain = opt->explain && out->items;
	uint32_t *tied = malloc((e->n_projects + 1) * sizeof(uint32_t));
	err = state_init(&st, e, &pf);
	if (err || !tied) {
		err = TALLY_ERR_NOMEM;
		goto release_state;
	}
	tally_mark_excluded(e, out);
	seed(&st, out);
	mpq_t left;
	mpq_init(left);
	mpq_set(left, e->budget);
	for (size_t round = 0;; round++) {
		/* t never decreases (loads only grow), so last round's t is a lower bound */
		size_t n_tied = 0;
		for (size_t p = 0; p < e->n_projects; p++) {
			if (!st.candidate[p])
				continue;
			bool may_tie = !n_tied || st.infinite[tied[0]] || st.infinite[p] ||
			               mpq_cmp(st.lower[p], st.t[tied[0]]) <= 0 || explain;
			if (may_tie && round > 0)
				compute_t(&st, (uint32_t)p);
			if (explain)
				explain_round(&st, out, (uint32_t)p, round);
			if (!may_tie)
				continue;
			int c = n_tied ? cmp_t(&st, (uint32_t)p, tied[0]) : -1;
			if (c < 0)
				n_tied = 0;
			if (c <= 0)
				tied[n_tied++] = (uint32_t)p;
		}
		if (!n_tied)
			break;
		bool fits = true;
		uint32_t pick = tied[0];
		for (size_t i = 0; i < n_tied; i++) {
			if (mpq_cmp(e->projects[tied[i]].cost, left) > 0)
				fits = false;
			if (tally_id_cmp(e, tied[i], pick) < 0)
				pick = tied[i];
		}
		if (!fits) {
			if (explain)
				explain_halt(&st, out, tied, n_tied, round, left);
			break;
		}
		if (!st.infinite[pick]) {
			mpq_set(st.round_t[round], st.t[pick]);
			for (size_t s = pf.sup_start[pick]; s < pf.sup_start[pick + 1]; s++)
				st.group_round[pf.sup_group[s]] = (uint32_t)round;
		}
		st.candidate[pick] = false;
		mpq_sub(left, left, e->projects[pick].cost);
		TALLY_INVARIANT(mpq_sgn(left) >= 0);
		tally_result_push(out, e, pick);
		if (explain) {
			struct tally_item_explain *x = &out->items[pick];
			x->why = TALLY_WHY_SELECTED;
			x->round = (uint32_t)round + 1;
			x->value = x->price = st.infinite[pick] ? INFINITY : mpq_get_d(st.t[pick]);
		}
	}
	mpq_clear(left);
release_state:
	free(tied);
	state_release(&st);
	tally_profile_release(&pf);
	return err;
}
