/*
 * rules-greedy.c - greedy_cost, greedy_card, greedy_score
 * (pabutools' greedy_utilitarian_welfare).
 *
 * Density d(p) = U(p) / c(p) (infinite when c(p) = 0 and U(p) > 0, zero when
 * nobody gains). Projects are walked once by density descending, id
 * ascending; each is taken iff it fits the money left, otherwise skipped.
 * Unsupported projects come last and are still taken if they fit.
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <stdlib.h>
#include <string.h>

struct greedy_entry {
	uint32_t project;
	int kind;        /* 2: infinite density, 1: finite positive, 0: zero */
	mpq_t density;   /* valid when kind == 1 */
	const struct tally_election *e;
};

static int cmp_density(const void *a, const void *b)
{
	const struct greedy_entry *x = a, *y = b;
	if (x->kind != y->kind)
		return y->kind - x->kind;
	if (x->kind == 1) {
		int c = mpq_cmp(y->density, x->density);
		if (c)
			return c;
	}
	return tally_id_cmp(x->e, x->project, y->project);
}

/* Utility total U(p) = unit_value * units_total. */
static void total_utility(mpq_t out, const struct tally_profile *pf, const struct tally_election *e,
                          enum tally_sat sat, size_t p)
{
	mpq_set_z(out, pf->units_total[p]);
	if (sat == TALLY_SAT_COST)
		mpq_mul(out, out, e->projects[p].cost);
}

/*
 * The greedy walk over `order`, starting from what `out` already holds
 * (mes_cost_add1 completes an MES outcome this way). `taken` marks projects
 * already selected; `round_base` numbers the rounds of the walk.
 */
static enum tally_error greedy_walk(const struct tally_election *e, struct greedy_entry *order, size_t n,
                                    bool *taken, enum tally_why why_taken, struct tally_result *out)
{
	mpq_t left;
	mpq_init(left);
	mpq_sub(left, e->budget, out->total_cost);
	for (size_t i = 0; i < n; i++) {
		uint32_t p = order[i].project;
		if (taken[p])
			continue;
		const mpq_srcptr cost = e->projects[p].cost;
		struct tally_item_explain *x = out->items ? &out->items[p] : NULL;
		if (mpq_cmp(cost, left) <= 0) {
			tally_result_push(out, e, p);
			taken[p] = true;
			mpq_sub(left, left, cost);
			if (x) {
				x->why = why_taken;
				x->round = (uint32_t)out->n_selected;
			}
		} else if (x) {
			x->why = TALLY_WHY_OVER_BUDGET;
			x->amount = mpq_get_d(left);
		}
	}
	mpq_clear(left);
	return TALLY_OK;
}

enum tally_error tally_greedy_from(const struct tally_election *e, enum tally_sat sat,
                                   const struct tally_profile *pf, enum tally_why why_taken,
                                   struct tally_result *out)
{
	size_t np = e->n_projects, n = 0;
	struct greedy_entry *order = malloc((np + 1) * sizeof(*order));
	bool *taken = calloc(np + 1, sizeof(bool));
	mpq_t utility;
	enum tally_error err = TALLY_ERR_NOMEM;
	if (!order || !taken)
		goto release_arrays;
	mpq_init(utility);
	for (size_t i = 0; i < out->n_selected; i++)
		taken[out->selected[i]] = true;
	for (size_t p = 0; p < np; p++) {
		if (!pf->active[p])
			continue;
		struct greedy_entry *g = &order[n++];
		g->project = (uint32_t)p;
		g->e = e;
		mpq_init(g->density);
		total_utility(utility, pf, e, sat, p);
		const mpq_srcptr cost = e->projects[p].cost;
		if (mpq_sgn(utility) <= 0) {
			g->kind = 0;
		} else if (mpq_sgn(cost) == 0) {
			g->kind = 2;
		} else {
			g->kind = 1;
			mpq_div(g->density, utility, cost);
		}
		if (out->items && !taken[p]) {
			out->items[p].votes = (double)pf->approvals[p];
			out->items[p].support = mpq_get_d(utility);
			out->items[p].value = g->kind == 2 ? 1.0 / 0.0 : mpq_get_d(g->density);
		}
	}
	mpq_clear(utility);
	qsort(order, n, sizeof(*order), cmp_density);
	err = greedy_walk(e, order, n, taken, why_taken, out);
	for (size_t i = 0; i < n; i++)
		mpq_clear(order[i].density);
release_arrays:
	free(order);
	free(taken);
	return err;
}

enum tally_error tally_greedy(const struct tally_election *e, enum tally_sat sat,
                              const struct tally_options *opt, struct tally_result *out)
{
	struct tally_profile pf;
	(void)opt;
	enum tally_error err = tally_profile_totals(&pf, e, sat);
	if (err)
		return err;
	tally_mark_excluded(e, out);
	err = tally_greedy_from(e, sat, &pf, TALLY_WHY_SELECTED, out);
	tally_profile_release(&pf);
	return err;
}
