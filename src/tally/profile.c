/*
 * profile.c - ballots as the rules see them.
 *
 * Identical ballots are merged into weighted groups first: every rule treats
 * two equal ballots the same way, so this changes no outcome (it is what
 * pabutools' "multiprofile" does), and it shrinks 131,778 choose-1 ballots
 * to at most one group per project. Then, per project, the list of groups
 * that gain from it (utility > 0) with their utility in integer units.
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <stdlib.h>
#include <string.h>

/* One (project, units) pair of a canonical ballot. */
struct unit_item {
	uint32_t project;
	int64_t unit;
};

/* Groups under construction: canonical item lists in one arena. */
struct group_builder {
	size_t n_groups, cap_groups;
	size_t *start;          /* n_groups + 1 offsets into items */
	uint64_t *hash;         /* per group */
	uint64_t *weight;       /* per group */
	size_t n_items, cap_items;
	struct unit_item *items;
	size_t slots;           /* open addressing table of group indexes */
	uint32_t *table;
};

static void group_builder_release(struct group_builder *gb)
{
	free(gb->start);
	free(gb->hash);
	free(gb->weight);
	free(gb->items);
	free(gb->table);
	memset(gb, 0, sizeof(*gb));
}

static uint64_t hash_items(const struct unit_item *it, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ it[i].project) * 1099511628211ULL;
		h = (h ^ (uint64_t)it[i].unit) * 1099511628211ULL;
	}
	return h ^ n;
}

static bool same_items(const struct group_builder *gb, uint32_t g, const struct unit_item *it, size_t n)
{
	size_t len = gb->start[g + 1] - gb->start[g];
	if (len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct unit_item *o = &gb->items[gb->start[g] + i];
		if (o->project != it[i].project || o->unit != it[i].unit)
			return false;
	}
	return true;
}

/* Counts one ballot given as sorted canonical items into its group. */
static enum tally_error group_add(struct group_builder *gb, const struct unit_item *it, size_t n)
{
	uint64_t h = hash_items(it, n);
	size_t s = h & (gb->slots - 1);
	for (; gb->table[s] != UINT32_MAX; s = (s + 1) & (gb->slots - 1)) {
		uint32_t g = gb->table[s];
		if (gb->hash[g] == h && same_items(gb, g, it, n)) {
			gb->weight[g]++;
			return TALLY_OK;
		}
	}
	if (gb->n_groups + 2 > gb->cap_groups) {
		/* the three per-group arrays share one capacity */
		size_t cap = gb->cap_groups ? gb->cap_groups * 2 : 64;
		uint64_t *hash = realloc(gb->hash, cap * sizeof(uint64_t));
		if (!hash)
			return TALLY_ERR_NOMEM;
		gb->hash = hash;
		uint64_t *weight = realloc(gb->weight, cap * sizeof(uint64_t));
		if (!weight)
			return TALLY_ERR_NOMEM;
		gb->weight = weight;
		size_t *start = realloc(gb->start, cap * sizeof(size_t));
		if (!start)
			return TALLY_ERR_NOMEM;
		gb->start = start;
		gb->cap_groups = cap;
	}
	if (!tally_grow((void **)&gb->items, &gb->cap_items, gb->n_items + n, sizeof(*gb->items)))
		return TALLY_ERR_NOMEM;
	uint32_t g = (uint32_t)gb->n_groups++;
	if (n)
		memcpy(gb->items + gb->n_items, it, n * sizeof(*it));
	gb->start[g] = gb->n_items;
	gb->n_items += n;
	gb->start[g + 1] = gb->n_items;
	gb->hash[g] = h;
	gb->weight[g] = 1;
	gb->table[s] = g;
	return TALLY_OK;
}

/* Builds the canonical (project, unit) list of ballot b; returns its length. */
static size_t canonical_ballot(const struct tally_election *e, enum tally_sat sat, const bool *active,
                               size_t b, struct unit_item *out)
{
	size_t from = e->ballot_start[b], to = e->ballot_start[b + 1];
	size_t n = 0;
	int64_t listed = 0;
	if (sat == TALLY_SAT_SCORE && e->vote_type == TALLY_VOTE_ORDINAL) {
		for (size_t i = from; i < to; i++)
			listed += active[e->item_project[i]];
	}
	int64_t position = 0;
	for (size_t i = from; i < to; i++) {
		uint32_t p = e->item_project[i];
		if (!active[p])
			continue;
		int64_t unit = 1;
		if (sat == TALLY_SAT_SCORE) {
			if (e->vote_type == TALLY_VOTE_ORDINAL)
				unit = listed - 1 - position++; /* pabutools' Borda: the last ranked gets 0 */
			else
				unit = e->item_points[i];
		}
		if (unit <= 0)
			continue; /* not a supporter */
		out[n].project = p;
		out[n].unit = unit;
		n++;
	}
	/* ballots are short: insertion sort beats qsort's call overhead */
	for (size_t i = 1; i < n; i++) {
		struct unit_item x = out[i];
		size_t j = i;
		for (; j > 0 && out[j - 1].project > x.project; j--)
			out[j] = out[j - 1];
		out[j] = x;
	}
	return n;
}

static int cmp_supporter_unit(const void *a, const void *b)
{
	const struct unit_item *x = a, *y = b;
	if (x->unit != y->unit)
		return (x->unit > y->unit) - (x->unit < y->unit);
	return (x->project > y->project) - (x->project < y->project);
}

static enum tally_error build_groups(struct group_builder *gb, const struct tally_election *e,
                                     enum tally_sat sat, const bool *active)
{
	size_t longest = 0;
	for (size_t b = 0; b < e->n_ballots; b++) {
		size_t len = e->ballot_start[b + 1] - e->ballot_start[b];
		if (len > longest)
			longest = len;
	}
	gb->slots = 64;
	while (gb->slots < 2 * e->n_ballots + 2)
		gb->slots *= 2;
	gb->table = malloc(gb->slots * sizeof(uint32_t));
	struct unit_item *scratch = malloc((longest + 1) * sizeof(*scratch));
	if (!gb->table || !scratch) {
		free(scratch);
		return TALLY_ERR_NOMEM;
	}
	memset(gb->table, 0xff, gb->slots * sizeof(uint32_t));
	enum tally_error err = TALLY_OK;
	for (size_t b = 0; b < e->n_ballots && err == TALLY_OK; b++) {
		size_t n = canonical_ballot(e, sat, active, b, scratch);
		err = group_add(gb, scratch, n);
	}
	free(scratch);
	return err;
}

/* Per project supporter lists (group, unit), units ascending. */
static enum tally_error build_supporters(struct tally_profile *pf, const struct group_builder *gb)
{
	size_t np = pf->n_projects;
	pf->sup_start = calloc(np + 1, sizeof(size_t));
	pf->sup_group = malloc((gb->n_items + 1) * sizeof(uint32_t));
	pf->sup_unit = malloc((gb->n_items + 1) * sizeof(int64_t));
	struct unit_item *tmp = malloc((gb->n_items + 1) * sizeof(*tmp));
	size_t *fill = calloc(np + 1, sizeof(size_t));
	if (!pf->sup_start || !pf->sup_group || !pf->sup_unit || !tmp || !fill) {
		free(tmp);
		free(fill);
		return TALLY_ERR_NOMEM;
	}
	for (size_t i = 0; i < gb->n_items; i++)
		pf->sup_start[gb->items[i].project + 1]++;
	for (size_t p = 0; p < np; p++)
		pf->sup_start[p + 1] += pf->sup_start[p];
	for (size_t g = 0; g < gb->n_groups; g++) {
		for (size_t i = gb->start[g]; i < gb->start[g + 1]; i++) {
			uint32_t p = gb->items[i].project;
			size_t at = pf->sup_start[p] + fill[p]++;
			tmp[at].project = (uint32_t)g; /* reused as "group" here */
			tmp[at].unit = gb->items[i].unit;
		}
	}
	for (size_t p = 0; p < np && !pf->unit_utilities; p++) {
		size_t from = pf->sup_start[p], n = pf->sup_start[p + 1] - from;
		qsort(tmp + from, n, sizeof(*tmp), cmp_supporter_unit);
	}
	for (size_t i = 0; i < gb->n_items; i++) {
		pf->sup_group[i] = tmp[i].project;
		pf->sup_unit[i] = tmp[i].unit;
	}
	free(tmp);
	free(fill);
	return TALLY_OK;
}

/* Sets units_total[p] from 64-bit partial sums, spilling into GMP before they could overflow. */
static void add_units(struct tally_profile *pf, int64_t *partial, size_t p, uint64_t weight, int64_t unit)
{
	if (unit > 0 && weight <= (uint64_t)(INT64_MAX / unit) &&
	    partial[p] <= INT64_MAX - (int64_t)weight * unit) {
		partial[p] += (int64_t)weight * unit;
		return;
	}
	mpz_t term;
	mpz_init_set_ui(term, weight);
	mpz_mul_si(term, term, (long)unit);
	mpz_add(pf->units_total[p], pf->units_total[p], term);
	mpz_clear(term);
}

static enum tally_error totals_init(struct tally_profile *pf, int64_t **partial)
{
	size_t np = pf->n_projects;
	pf->units_total = malloc((np + 1) * sizeof(mpz_t));
	if (!pf->units_total)
		return TALLY_ERR_NOMEM;
	for (size_t p = 0; p < np; p++)
		mpz_init(pf->units_total[p]);
	pf->approvals = calloc(np + 1, sizeof(uint64_t));
	*partial = calloc(np + 1, sizeof(int64_t));
	if (!pf->approvals || !*partial)
		return TALLY_ERR_NOMEM;
	return TALLY_OK;
}

static void totals_finish(struct tally_profile *pf, int64_t *partial)
{
	mpz_t term;
	mpz_init(term);
	for (size_t p = 0; p < pf->n_projects; p++) {
		mpz_set_si(term, (long)partial[p]);
		mpz_add(pf->units_total[p], pf->units_total[p], term);
	}
	mpz_clear(term);
	free(partial);
}

static void count_approvals(struct tally_profile *pf, const struct tally_election *e)
{
	for (size_t i = 0; i < e->n_items; i++)
		pf->approvals[e->item_project[i]] += pf->active[e->item_project[i]];
}

static enum tally_error count_totals(struct tally_profile *pf, const struct tally_election *e)
{
	int64_t *partial = NULL;
	enum tally_error err = totals_init(pf, &partial);
	if (err) {
		free(partial);
		return err;
	}
	count_approvals(pf, e);
	for (size_t p = 0; p < pf->n_projects; p++)
		for (size_t s = pf->sup_start[p]; s < pf->sup_start[p + 1]; s++)
			add_units(pf, partial, p, pf->weight[pf->sup_group[s]], pf->sup_unit[s]);
	totals_finish(pf, partial);
	return TALLY_OK;
}

enum tally_error tally_profile_totals(struct tally_profile *pf, const struct tally_election *e, enum tally_sat sat)
{
	memset(pf, 0, sizeof(*pf));
	pf->n_projects = e->n_projects;
	pf->n_voters = e->n_ballots;
	pf->unit_utilities = sat != TALLY_SAT_SCORE;
	pf->active = malloc(e->n_projects + 1);
	if (!pf->active)
		return TALLY_ERR_NOMEM;
	for (size_t p = 0; p < e->n_projects; p++)
		pf->active[p] = !e->projects[p].excluded;
	int64_t *partial = NULL;
	size_t longest = 0;
	for (size_t b = 0; b < e->n_ballots; b++)
		if (e->ballot_start[b + 1] - e->ballot_start[b] > longest)
			longest = e->ballot_start[b + 1] - e->ballot_start[b];
	struct unit_item *scratch = malloc((longest + 1) * sizeof(*scratch));
	enum tally_error err = scratch ? totals_init(pf, &partial) : TALLY_ERR_NOMEM;
	if (err) {
		free(partial);
		free(scratch);
		tally_profile_release(pf);
		return err;
	}
	count_approvals(pf, e);
	uint64_t counted = 0;
	for (size_t b = 0; b < e->n_ballots; b++, counted++) {
		size_t n = canonical_ballot(e, sat, pf->active, b, scratch);
		for (size_t i = 0; i < n; i++)
			add_units(pf, partial, scratch[i].project, 1, scratch[i].unit);
	}
	TALLY_INVARIANT(counted == pf->n_voters); /* ballots counted = ballots cast */
	totals_finish(pf, partial);
	free(scratch);
	return TALLY_OK;
}

enum tally_error tally_profile_build(struct tally_profile *pf, const struct tally_election *e,
                                     enum tally_sat sat)
{
	struct group_builder gb;
	enum tally_error err;

	memset(pf, 0, sizeof(*pf));
	memset(&gb, 0, sizeof(gb));
	pf->n_projects = e->n_projects;
	pf->n_voters = e->n_ballots;
	pf->unit_utilities = sat != TALLY_SAT_SCORE;
	pf->active = malloc(e->n_projects + 1);
	if (!pf->active)
		return TALLY_ERR_NOMEM;
	for (size_t p = 0; p < e->n_projects; p++)
		pf->active[p] = !e->projects[p].excluded;

	err = build_groups(&gb, e, sat, pf->active);
	if (err)
		goto release_builder;
	pf->n_groups = gb.n_groups;
	pf->weight = gb.weight;
	gb.weight = NULL;
	err = build_supporters(pf, &gb);
	if (err)
		goto release_builder;
	err = count_totals(pf, e);
	if (err)
		goto release_builder;

	uint64_t counted = 0;
	for (size_t g = 0; g < pf->n_groups; g++)
		counted += pf->weight[g];
	TALLY_INVARIANT(counted == pf->n_voters); /* ballots counted = ballots cast */
release_builder:
	group_builder_release(&gb);
	if (err)
		tally_profile_release(pf);
	return err;
}

void tally_profile_release(struct tally_profile *pf)
{
	if (pf->units_total) {
		for (size_t p = 0; p < pf->n_projects; p++)
			mpz_clear(pf->units_total[p]);
	}
	free(pf->units_total);
	free(pf->approvals);
	free(pf->weight);
	free(pf->sup_start);
	free(pf->sup_group);
	free(pf->sup_unit);
	free(pf->active);
	memset(pf, 0, sizeof(*pf));
}
