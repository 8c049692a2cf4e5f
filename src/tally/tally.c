/*
 * tally.c - the entry point: checks that a rule fits the ballots, runs it,
 * and holds the helpers every rule uses to fill its result.
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void tally_invariant_failed(const char *what, const char *file, int line)
{
	/* No printing in this library: the message is left where a debugger or core dump shows it. */
	static volatile const char *failed_what;
	static volatile const char *failed_file;
	static volatile int failed_line;
	failed_what = what;
	failed_file = file;
	failed_line = line;
	(void)failed_what;
	(void)failed_file;
	(void)failed_line;
	abort();
}

int tally_id_cmp(const struct tally_election *e, uint32_t a, uint32_t b)
{
	return strcmp(e->projects[a].id, e->projects[b].id); /* strcmp compares as unsigned char */
}

enum tally_error tally_result_alloc(struct tally_result *out, size_t n_projects, bool explain)
{
	out->selected = malloc((n_projects + 1) * sizeof(uint32_t));
	if (!out->selected)
		return TALLY_ERR_NOMEM;
	out->n_selected = 0;
	mpq_set_ui(out->total_cost, 0, 1);
	if (explain) {
		out->items = calloc(n_projects + 1, sizeof(*out->items));
		if (!out->items)
			return TALLY_ERR_NOMEM;
		out->n_items = n_projects;
	}
	return TALLY_OK;
}

void tally_result_push(struct tally_result *out, const struct tally_election *e, uint32_t project)
{
	out->selected[out->n_selected++] = project;
	mpq_add(out->total_cost, out->total_cost, e->projects[project].cost);
}

/* Makes item->per_round hold at least round + 1 entries (new ones NAN). */
enum tally_error tally_explain_rounds(struct tally_item_explain *item, size_t round)
{
	if (round < item->n_rounds)
		return TALLY_OK;
	size_t n = item->n_rounds ? item->n_rounds : 4;
	while (n <= round)
		n *= 2;
	double *v = realloc(item->per_round, n * sizeof(double));
	if (!v)
		return TALLY_ERR_NOMEM;
	for (size_t i = item->n_rounds; i < n; i++)
		v[i] = NAN;
	item->per_round = v;
	item->n_rounds = n;
	return TALLY_OK;
}

void tally_mark_excluded(const struct tally_election *e, struct tally_result *out)
{
	if (!out->items)
		return;
	for (size_t p = 0; p < e->n_projects; p++)
		if (e->projects[p].excluded)
			out->items[p].why = TALLY_WHY_NOT_COMPLIANT;
}

static bool ballots_have_scores(enum tally_vote_type t)
{
	return t == TALLY_VOTE_CUMULATIVE || t == TALLY_VOTE_SCORING || t == TALLY_VOTE_ORDINAL;
}

static bool ballots_are_approvals(enum tally_vote_type t)
{
	return t == TALLY_VOTE_APPROVAL || t == TALLY_VOTE_CHOOSE_ONE;
}

static enum tally_error dispatch(const struct tally_election *e, enum tally_rule rule,
                                 const struct tally_options *opt, struct tally_result *out)
{
	switch (rule) {
	case TALLY_RULE_GREEDY_COST:
		return tally_greedy(e, TALLY_SAT_COST, opt, out);
	case TALLY_RULE_GREEDY_CARD:
		return tally_greedy(e, TALLY_SAT_CARD, opt, out);
	case TALLY_RULE_GREEDY_SCORE:
		if (!ballots_have_scores(e->vote_type))
			return TALLY_ERR_NOT_APPLICABLE;
		return tally_greedy(e, TALLY_SAT_SCORE, opt, out);
	case TALLY_RULE_MES_COST:
		return tally_mes(e, TALLY_SAT_COST, opt, out);
	case TALLY_RULE_MES_CARD:
		return tally_mes(e, TALLY_SAT_CARD, opt, out);
	case TALLY_RULE_MES_SCORE:
		if (!ballots_have_scores(e->vote_type))
			return TALLY_ERR_NOT_APPLICABLE;
		return tally_mes(e, TALLY_SAT_SCORE, opt, out);
	case TALLY_RULE_MES_COST_ADD1:
		return tally_mes_add1(e, opt, out);
	case TALLY_RULE_PHRAGMEN:
		if (!ballots_are_approvals(e->vote_type))
			return TALLY_ERR_NOT_APPLICABLE;
		return tally_phragmen(e, opt, out);
	case TALLY_RULE_APPROVAL:
		return tally_approval(e, opt, out);
	case TALLY_RULE_BORDA:
		if (e->vote_type != TALLY_VOTE_ORDINAL)
			return TALLY_ERR_NOT_APPLICABLE;
		return tally_borda(e, opt, out);
	case TALLY_RULE_SCHULZE:
		return tally_schulze(e, opt, out);
	default:
		return TALLY_ERR_INVALID;
	}
}

enum tally_error tally_run(const struct tally_election *e, enum tally_rule rule,
                           const struct tally_options *opt, struct tally_result *out)
{
	struct tally_options defaults;
	if (!opt) {
		tally_options_init(&defaults);
		opt = &defaults;
	}
	if ((unsigned)rule >= TALLY_RULE__MAX)
		return TALLY_ERR_INVALID;
	if (tally_rule_is_budgeted(rule) && !e->has_budget)
		return TALLY_ERR_META;
	tally_result_release(out);
	tally_result_init(out);
	out->rule = rule;
	enum tally_error err = tally_result_alloc(out, e->n_projects, opt->explain);
	if (err == TALLY_OK)
		err = dispatch(e, rule, opt, out);
	if (err != TALLY_OK) {
		tally_result_release(out);
		tally_result_init(out);
		out->rule = rule;
		return err;
	}
	if (tally_rule_is_budgeted(rule))
		TALLY_INVARIANT(mpq_cmp(out->total_cost, e->budget) <= 0); /* money spent <= budget */
	return TALLY_OK;
}
