/*
 * election.c - the ballot set: projects, ballots, META pairs, and the small
 * vocabularies (error strings, rule and vote-type names) shared by the rest.
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const error_text[TALLY_ERR__MAX] = {
	[TALLY_OK] = "success",
	[TALLY_ERR_NOMEM] = "out of memory",
	[TALLY_ERR_SYNTAX] = "malformed line",
	[TALLY_ERR_SECTION] = "misplaced section",
	[TALLY_ERR_FIELD] = "missing or extra field",
	[TALLY_ERR_NUMBER] = "invalid number",
	[TALLY_ERR_UNKNOWN_PROJECT] = "unknown project",
	[TALLY_ERR_DUPLICATE_PROJECT] = "duplicate project id",
	[TALLY_ERR_META] = "missing or invalid META value",
	[TALLY_ERR_TOO_LARGE] = "input too large",
	[TALLY_ERR_NOT_APPLICABLE] = "rule not applicable to this ballot type",
	[TALLY_ERR_INVALID] = "invalid argument",
	[TALLY_ERR_WRITE] = "write failed",
	[TALLY_ERR_NOT_DECIMAL] = "value has no exact decimal form",
};

const char *tally_strerror(enum tally_error err)
{
	if ((unsigned)err >= TALLY_ERR__MAX)
		return "unknown error";
	return error_text[err];
}

static const char *const vote_type_names[TALLY_VOTE__MAX] = {
	[TALLY_VOTE_APPROVAL] = "approval",
	[TALLY_VOTE_CHOOSE_ONE] = "choose-1",
	[TALLY_VOTE_CUMULATIVE] = "cumulative",
	[TALLY_VOTE_SCORING] = "scoring",
	[TALLY_VOTE_ORDINAL] = "ordinal",
};

const char *tally_vote_type_name(enum tally_vote_type type)
{
	if ((unsigned)type >= TALLY_VOTE__MAX)
		return "unknown";
	return vote_type_names[type];
}

bool tally_vote_type_from_name(const char *name, enum tally_vote_type *out)
{
	for (unsigned t = 0; t < TALLY_VOTE__MAX; t++) {
		if (strcmp(name, vote_type_names[t]) == 0) {
			*out = (enum tally_vote_type)t;
			return true;
		}
	}
	return false;
}

static const char *const rule_names[TALLY_RULE__MAX] = {
	[TALLY_RULE_GREEDY_COST] = "greedy_cost",
	[TALLY_RULE_GREEDY_CARD] = "greedy_card",
	[TALLY_RULE_GREEDY_SCORE] = "greedy_score",
	[TALLY_RULE_MES_COST] = "mes_cost",
	[TALLY_RULE_MES_CARD] = "mes_card",
	[TALLY_RULE_MES_SCORE] = "mes_score",
	[TALLY_RULE_MES_COST_ADD1] = "mes_cost_add1",
	[TALLY_RULE_PHRAGMEN] = "phragmen",
	[TALLY_RULE_APPROVAL] = "approval",
	[TALLY_RULE_BORDA] = "borda",
	[TALLY_RULE_SCHULZE] = "schulze",
};

const char *tally_rule_name(enum tally_rule rule)
{
	if ((unsigned)rule >= TALLY_RULE__MAX)
		return "unknown";
	return rule_names[rule];
}

bool tally_rule_from_name(const char *name, enum tally_rule *out)
{
	for (unsigned r = 0; r < TALLY_RULE__MAX; r++) {
		if (strcmp(name, rule_names[r]) == 0) {
			*out = (enum tally_rule)r;
			return true;
		}
	}
	return false;
}

bool tally_rule_is_budgeted(enum tally_rule rule)
{
	return rule <= TALLY_RULE_PHRAGMEN;
}

static const char *const why_codes[TALLY_WHY__MAX] = {
	[TALLY_WHY_NONE] = "none",
	[TALLY_WHY_SELECTED] = "selected",
	[TALLY_WHY_COMPLETION] = "completion",
	[TALLY_WHY_OVER_BUDGET] = "over_budget",
	[TALLY_WHY_NOT_COMPLIANT] = "not_compliant",
	[TALLY_WHY_NO_SUPPORT] = "no_support",
	[TALLY_WHY_SUPPORTERS_SHORT] = "supporters_short",
	[TALLY_WHY_OUTPACED] = "outpaced",
	[TALLY_WHY_HALTED] = "halted",
	[TALLY_WHY_DID_NOT_FIT] = "did_not_fit",
	[TALLY_WHY_ACCEPTED] = "accepted",
	[TALLY_WHY_BELOW_THRESHOLD] = "below_threshold",
	[TALLY_WHY_RANKED] = "ranked",
};

const char *tally_why_code(enum tally_why why)
{
	if ((unsigned)why >= TALLY_WHY__MAX)
		return "unknown";
	return why_codes[why];
}

/* ------------------------------------------------------------ lifecycle */

void tally_election_init(struct tally_election *e, enum tally_vote_type type)
{
	memset(e, 0, sizeof(*e));
	e->vote_type = type;
	mpq_init(e->budget);
}

static void free_strings(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tally_election_release(struct tally_election *e)
{
	mpq_clear(e->budget);
	free_strings(e->meta_keys, e->n_meta);
	free_strings(e->meta_values, e->n_meta);
	size_t n_extra = e->n_project_columns > 2 ? e->n_project_columns - 2 : 0;
	for (size_t i = 0; i < e->n_projects; i++) {
		free(e->projects[i].id);
		mpq_clear(e->projects[i].cost);
		free_strings(e->projects[i].extra, n_extra);
	}
	free(e->projects);
	free_strings(e->project_columns, e->n_project_columns);
	free(e->ballot_start);
	free(e->item_project);
	free(e->item_points);
	free(e->id_table);
	memset(e, 0, sizeof(*e));
}

/* --------------------------------------------------------------- growth */

bool tally_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t next = *cap ? *cap : 16;
	while (next < need) {
		if (next > SIZE_MAX / 2 / elem)
			return false;
		next *= 2;
	}
	void *p = realloc(*ptr, next * elem);
	if (!p)
		return false;
	*ptr = p;
	*cap = next;
	return true;
}

char *tally_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ------------------------------------------------------------ META, budget */

enum tally_error tally_election_set_budget(struct tally_election *e, const char *decimal)
{
	if (!tally_decimal_parse(e->budget, decimal, strlen(decimal)))
		return TALLY_ERR_NUMBER;
	e->has_budget = true;
	return TALLY_OK;
}

enum tally_error tally_election_set_meta(struct tally_election *e, const char *key, const char *value)
{
	for (size_t i = 0; i < e->n_meta; i++) {
		if (strcmp(e->meta_keys[i], key) == 0) {
			char *v = tally_strndup(value, strlen(value));
			if (!v)
				return TALLY_ERR_NOMEM;
			free(e->meta_values[i]);
			e->meta_values[i] = v;
			return TALLY_OK;
		}
	}
	char **keys = realloc(e->meta_keys, (e->n_meta + 1) * sizeof(*keys));
	if (!keys)
		return TALLY_ERR_NOMEM;
	e->meta_keys = keys;
	char **values = realloc(e->meta_values, (e->n_meta + 1) * sizeof(*values));
	if (!values)
		return TALLY_ERR_NOMEM;
	e->meta_values = values;
	char *k = tally_strndup(key, strlen(key));
	char *v = tally_strndup(value, strlen(value));
	if (!k || !v) {
		free(k);
		free(v);
		return TALLY_ERR_NOMEM;
	}
	keys[e->n_meta] = k;
	values[e->n_meta] = v;
	e->n_meta++;
	return TALLY_OK;
}

/* ------------------------------------------------------------- projects */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#define ID_EMPTY UINT32_MAX

static bool id_table_rebuild(struct tally_election *e, size_t slots)
{
	uint32_t *t = malloc(slots * sizeof(*t));
	if (!t)
		return false;
	for (size_t i = 0; i < slots; i++)
		t[i] = ID_EMPTY;
	for (size_t p = 0; p < e->n_projects; p++) {
		const char *id = e->projects[p].id;
		size_t s = hash_bytes(id, strlen(id)) & (slots - 1);
		while (t[s] != ID_EMPTY)
			s = (s + 1) & (slots - 1);
		t[s] = (uint32_t)p;
	}
	free(e->id_table);
	e->id_table = t;
	e->id_slots = slots;
	return true;
}

size_t tally_election_find_project(const struct tally_election *e, const char *id, size_t id_len)
{
	if (!e->id_slots)
		return SIZE_MAX;
	size_t s = hash_bytes(id, id_len) & (e->id_slots - 1);
	while (e->id_table[s] != ID_EMPTY) {
		const char *cand = e->projects[e->id_table[s]].id;
		if (strncmp(cand, id, id_len) == 0 && cand[id_len] == '\0')
			return e->id_table[s];
		s = (s + 1) & (e->id_slots - 1);
	}
	return SIZE_MAX;
}

enum tally_error tally_election_add_project_q(struct tally_election *e, const char *id,
                                              size_t id_len, const mpq_t cost, size_t *index_out)
{
	if (id_len == 0 || memchr(id, '\0', id_len))
		return TALLY_ERR_INVALID;
	if (e->n_projects >= TALLY_MAX_PROJECTS)
		return TALLY_ERR_TOO_LARGE;
	if (mpq_sgn(cost) < 0)
		return TALLY_ERR_NUMBER;
	if (tally_election_find_project(e, id, id_len) != SIZE_MAX)
		return TALLY_ERR_DUPLICATE_PROJECT;
	if (!tally_grow((void **)&e->projects, &e->cap_projects, e->n_projects + 1, sizeof(*e->projects)))
		return TALLY_ERR_NOMEM;
	struct tally_project *p = &e->projects[e->n_projects];
	memset(p, 0, sizeof(*p));
	p->id = tally_strndup(id, id_len);
	if (!p->id)
		return TALLY_ERR_NOMEM;
	mpq_init(p->cost);
	mpq_set(p->cost, cost);
	e->n_projects++;
	/* keep the table at most half full */
	if (e->n_projects * 2 > e->id_slots) {
		if (!id_table_rebuild(e, e->id_slots ? e->id_slots * 2 : 64)) {
			e->n_projects--;
			free(p->id);
			mpq_clear(p->cost);
			return TALLY_ERR_NOMEM;
		}
	} else {
		size_t s = hash_bytes(id, id_len) & (e->id_slots - 1);
		while (e->id_table[s] != ID_EMPTY)
			s = (s + 1) & (e->id_slots - 1);
		e->id_table[s] = (uint32_t)(e->n_projects - 1);
	}
	if (index_out)
		*index_out = e->n_projects - 1;
	return TALLY_OK;
}

enum tally_error tally_election_add_project(struct tally_election *e, const char *id,
                                            const char *cost_decimal, size_t *index_out)
{
	mpq_t cost;
	mpq_init(cost);
	enum tally_error err = TALLY_ERR_NUMBER;
	if (tally_decimal_parse(cost, cost_decimal, strlen(cost_decimal)))
		err = tally_election_add_project_q(e, id, strlen(id), cost, index_out);
	mpq_clear(cost);
	return err;
}

/* -------------------------------------------------------------- ballots */

static bool has_points(const struct tally_election *e)
{
	return e->vote_type == TALLY_VOTE_CUMULATIVE || e->vote_type == TALLY_VOTE_SCORING;
}

/* Position of project p among the first n kept items, or SIZE_MAX. */
static size_t find_kept(const uint32_t *kept, size_t n, uint32_t p)
{
	for (size_t i = 0; i < n; i++)
		if (kept[i] == p)
			return i;
	return SIZE_MAX;
}

enum tally_error tally_election_add_ballot(struct tally_election *e, size_t n,
                                           const uint32_t *projects, const int64_t *points)
{
	bool pointed = has_points(e);
	if (pointed && n && !points)
		return TALLY_ERR_INVALID;
	if (e->n_ballots >= TALLY_MAX_BALLOTS || n > TALLY_MAX_BALLOT_ITEMS)
		return TALLY_ERR_TOO_LARGE;
	if (!tally_grow((void **)&e->ballot_start, &e->cap_ballots, e->n_ballots + 2, sizeof(size_t)))
		return TALLY_ERR_NOMEM;
	size_t cap = e->cap_items;
	if (!tally_grow((void **)&e->item_project, &cap, e->n_items + n, sizeof(uint32_t)))
		return TALLY_ERR_NOMEM;
	if (pointed && (cap != e->cap_items || !e->item_points)) {
		/* item_points follows item_project's capacity */
		int64_t *q = realloc(e->item_points, cap * sizeof(int64_t));
		if (!q)
			return TALLY_ERR_NOMEM;
		e->item_points = q;
	}
	e->cap_items = cap;
	if (e->n_ballots == 0)
		e->ballot_start[0] = 0;

	/* An empty first ballot leaves item_project NULL: no arithmetic on it. */
	uint32_t *kept = e->item_project ? e->item_project + e->n_items : NULL;
	size_t n_kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (projects[i] >= e->n_projects)
			return TALLY_ERR_UNKNOWN_PROJECT;
		if (pointed && points[i] < 0)
			return TALLY_ERR_NUMBER;
		/* quadratic on purpose: ballots are short, and a long one is bounded above */
		size_t at = find_kept(kept, n_kept, projects[i]);
		if (at == SIZE_MAX) {
			at = n_kept++;
			kept[at] = projects[i];
		}
		if (pointed)
			e->item_points[e->n_items + at] = points[i];
	}
	e->n_items += n_kept;
	e->n_ballots++;
	e->ballot_start[e->n_ballots] = e->n_items;
	return TALLY_OK;
}

enum tally_error tally_election_rescale_points(struct tally_election *e, unsigned decimals)
{
	if (decimals <= e->points_decimals)
		return TALLY_OK;
	if (decimals > TALLY_MAX_POINT_DECIMALS)
		return TALLY_ERR_TOO_LARGE;
	int64_t factor = 1;
	for (unsigned i = e->points_decimals; i < decimals; i++)
		factor *= 10;
	if (e->item_points) {
		for (size_t i = 0; i < e->n_items; i++) {
			if (e->item_points[i] > INT64_MAX / factor)
				return TALLY_ERR_TOO_LARGE;
			e->item_points[i] *= factor;
		}
	}
	e->points_decimals = decimals;
	return TALLY_OK;
}

/* ------------------------------------------------------------- options */

void tally_options_init(struct tally_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->threshold.num = 1;
	opt->threshold.den = 2;
	opt->threshold.strict = true;
}

void tally_result_init(struct tally_result *r)
{
	memset(r, 0, sizeof(*r));
	mpq_init(r->total_cost);
}

void tally_result_release(struct tally_result *r)
{
	free(r->selected);
	if (r->items) {
		for (size_t i = 0; i < r->n_items; i++)
			free(r->items[i].per_round);
		free(r->items);
	}
	free(r->scores);
	mpq_clear(r->total_cost);
	memset(r, 0, sizeof(*r));
}
