/*
 * rules-mes.c - the Method of Equal Shares (mes_cost, mes_card, mes_score)
 * and its iterated form with greedy completion (mes_cost_add1), exactly as
 * pabutools 1.2.3 computes them (shared/pabulib/README.md).
 *
 * Every voter starts with B/n. Each round, for every candidate p, rho(p) is
 * the smallest price per unit of utility such that the supporters, each
 * paying min(budget, rho * utility), cover c(p); the candidate with the
 * smallest rho (ties: smallest id) is bought and its supporters pay.
 *
 * Data layout. Voters are not tracked one by one: identical ballots are
 * merged into groups (profile.c), and groups whose budgets are provably
 * equal share a "class" holding one exact budget (mpq_t). Everyone starts in
 * class 0; when p is bought, the supporters of p in class k with utility u
 * move together to a new class with budget b_k - min(b_k, rho u). A class is
 * thus "the voters who paid the same amounts for the same projects", so
 * there are few of them, and all exact arithmetic happens per class, not per
 * voter. Ordering supporters by budget/utility only sorts the classes.
 *
 * Exact budgets are integers over one shared denominator D (b_k = N_k / D),
 * so sums and comparisons are integer operations; only the winning price of
 * a round is reduced to lowest terms. When a price with denominator B is
 * paid, D becomes lcm(D, B) and the numerators are rescaled; the common
 * factor of D and all live numerators is divided out again every round.
 *
 * Evaluation is lazy as in pabutools: rho only grows, so last round's rho is
 * a lower bound and candidates are visited in that order until the bound
 * exceeds the best rho found. With explanations requested, every candidate
 * is evaluated every round instead (same outcome, more numbers).
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_SLOT UINT32_MAX

/* Supporters of one project that share a class and a utility. */
struct mes_entry {
	uint32_t cls;
	int64_t unit;
	uint64_t weight;  /* voters */
};

struct mes_candidate {
	uint32_t project;
	double lower;     /* lower bound on rho (rounded down) */
	const struct tally_election *e;
};

/* A candidate evaluated this round: its rho lies in [lo, hi]. */
struct mes_bracket {
	uint32_t project;
	double lo, hi;
};

/* Sort key of an entry in floating point. */
struct mes_fast_key {
	double key;
	uint32_t entry;
};

struct mes_state {
	const struct tally_election *e;
	const struct tally_profile *pf;
	enum tally_sat sat;

	uint32_t *group_class;       /* per group */
	size_t n_classes, cap_classes, init_classes;
	mpz_t *class_num;            /* exact money left per voter of the class, times denom */
	double *class_budget_d;      /* class_num / denom, within 2 ulps */
	uint64_t *class_voters;      /* voters in the class (0: the class is dead) */
	uint32_t *slot_of_class;     /* scratch: class -> entry index or NO_SLOT */

	size_t cap_entries;
	struct mes_entry *entries;
	struct mes_entry **sorted;
	struct mes_fast_key *fast_keys;

	bool exact_only;             /* evaluate every candidate exactly (cross-checks) */
	size_t n_candidates;
	struct mes_candidate *candidates;
	struct mes_bracket *brackets;/* candidates evaluated this round */
	double *lower;               /* per project: lower bound on rho, rounded down */
	double *cost_d, *units_d;    /* per project: cost and total units, as doubles */
	bool *is_candidate;          /* per project */
	uint64_t exact_evaluations;  /* how often the exact path ran (statistics) */

	mpz_t denom;                 /* D, the shared denominator of the budgets */
	size_t denom_bits_after_shrink;
	mpq_t rho, sigma, best_rho, best_sigma;
	mpz_t rem, term, money, quota, lhs, rhs, scale, share;
	bool numbers_ready;          /* the mpq_t / mpz_t above are initialised */
};

/* ------------------------------------------------------------ lifecycle */

static enum tally_error mes_state_init(struct mes_state *st, const struct tally_election *e,
                                       const struct tally_profile *pf, enum tally_sat sat)
{
	memset(st, 0, sizeof(*st));
	st->e = e;
	st->pf = pf;
	st->sat = sat;
	size_t np = e->n_projects;
	st->group_class = malloc((pf->n_groups + 1) * sizeof(uint32_t));
	st->candidates = malloc((np + 1) * sizeof(*st->candidates));
	st->brackets = malloc((np + 1) * sizeof(*st->brackets));
	st->lower = malloc((np + 1) * sizeof(double));
	st->cost_d = malloc((np + 1) * sizeof(double));
	st->units_d = malloc((np + 1) * sizeof(double));
	st->is_candidate = calloc(np + 1, sizeof(bool));
	if (!st->group_class || !st->candidates || !st->brackets || !st->lower || !st->cost_d ||
	    !st->units_d || !st->is_candidate)
		return TALLY_ERR_NOMEM;
	for (size_t p = 0; p < np; p++) {
		st->cost_d[p] = mpq_get_d(e->projects[p].cost);
		st->units_d[p] = mpz_get_d(pf->units_total[p]);
	}
	st->numbers_ready = true;
	mpq_inits(st->rho, st->sigma, st->best_rho, st->best_sigma, NULL);
	mpz_inits(st->denom, st->rem, st->term, st->money, st->quota, st->lhs, st->rhs, st->scale, st->share, NULL);
	return TALLY_OK;
}

static void mes_state_release(struct mes_state *st)
{
	if (st->numbers_ready) {
		mpq_clears(st->rho, st->sigma, st->best_rho, st->best_sigma, NULL);
		mpz_clears(st->denom, st->rem, st->term, st->money, st->quota, st->lhs, st->rhs, st->scale, st->share,
		           NULL);
	}
	for (size_t k = 0; k < st->init_classes; k++)
		mpz_clear(st->class_num[k]);
	free(st->class_num);
	free(st->class_budget_d);
	free(st->class_voters);
	free(st->fast_keys);
	free(st->brackets);
	free(st->cost_d);
	free(st->units_d);
	free(st->slot_of_class);
	free(st->group_class);
	free(st->entries);
	free(st->sorted);
	free(st->candidates);
	free(st->lower);
	free(st->is_candidate);
	memset(st, 0, sizeof(*st));
}

/* A new class with no budget yet; returns its index or NO_SLOT. */
static uint32_t class_new(struct mes_state *st)
{
	if (st->n_classes == st->cap_classes) {
		size_t cap = st->cap_classes ? st->cap_classes * 2 : 64;
		mpz_t *b = realloc(st->class_num, cap * sizeof(mpz_t));
		if (!b)
			return NO_SLOT;
		st->class_num = b;
		uint64_t *v = realloc(st->class_voters, cap * sizeof(uint64_t));
		if (!v)
			return NO_SLOT;
		st->class_voters = v;
		double *bd = realloc(st->class_budget_d, cap * sizeof(double));
		if (!bd)
			return NO_SLOT;
		st->class_budget_d = bd;
		uint32_t *s = realloc(st->slot_of_class, cap * sizeof(uint32_t));
		if (!s)
			return NO_SLOT;
		st->slot_of_class = s;
		st->cap_classes = cap;
	}
	size_t k = st->n_classes++;
	if (k == st->init_classes) {
		mpz_init(st->class_num[k]);
		st->init_classes++;
	}
	st->slot_of_class[k] = NO_SLOT;
	st->class_voters[k] = 0;
	return (uint32_t)k;
}

static bool entries_reserve(struct mes_state *st, size_t n)
{
	if (n <= st->cap_entries)
		return true;
	size_t cap = st->cap_entries ? st->cap_entries : 64;
	while (cap < n)
		cap *= 2;
	struct mes_entry *e = realloc(st->entries, cap * sizeof(*e));
	if (!e)
		return false;
	st->entries = e;
	struct mes_entry **s = realloc(st->sorted, cap * sizeof(*s));
	if (!s)
		return false;
	st->sorted = s;
	struct mes_fast_key *fk = realloc(st->fast_keys, cap * sizeof(*fk));
	if (!fk)
		return false;
	st->fast_keys = fk;
	st->cap_entries = cap;
	return true;
}

/* ----------------------------------------------------------- evaluation */

/* Value of one unit of utility of p: its cost under cost utilities, else 1. */
static void rho_from_sigma(struct mes_state *st, mpq_t rho, const mpq_t sigma, uint32_t p)
{
	if (st->sat == TALLY_SAT_COST)
		mpq_div(rho, sigma, st->e->projects[p].cost);
	else
		mpq_set(rho, sigma);
}

/*
 * Groups the supporters of p into (class, unit) entries. Supporter lists are
 * sorted by unit, so one pass per run of equal units with a class -> slot
 * map finds every pair.
 */
static size_t gather_entries(struct mes_state *st, uint32_t p)
{
	const struct tally_profile *pf = st->pf;
	size_t n = 0, s = pf->sup_start[p], end = pf->sup_start[p + 1];
	while (s < end) {
		int64_t unit = pf->sup_unit[s];
		size_t run_from = n;
		for (; s < end && pf->sup_unit[s] == unit; s++) {
			uint32_t g = pf->sup_group[s];
			uint32_t k = st->group_class[g];
			uint32_t slot = st->slot_of_class[k];
			if (slot == NO_SLOT) {
				slot = (uint32_t)n++;
				st->slot_of_class[k] = slot;
				st->entries[slot].cls = k;
				st->entries[slot].unit = unit;
				st->entries[slot].weight = 0;
			}
			st->entries[slot].weight += pf->weight[g];
		}
		for (size_t i = run_from; i < n; i++)
			st->slot_of_class[st->entries[i].cls] = NO_SLOT;
	}
	return n;
}

static int cmp_fast_key(const void *a, const void *b)
{
	const struct mes_fast_key *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

/* Double value of N / D for numbers beyond the double range: within 2 ulps. */
static double ratio_d(const mpz_t num, const mpz_t den)
{
	long en, ed;
	double n = mpz_get_d_2exp(&en, num), d = mpz_get_d_2exp(&ed, den);
	return d == 0 ? 0 : ldexp(n / d, (int)(en - ed));
}

static void refresh_budget_d(struct mes_state *st, uint32_t k)
{
	st->class_budget_d[k] = ratio_d(st->class_num[k], st->denom);
}

/* money = sum of w N_k over the entries (the supporters' money times D). */
static void supporters_money(struct mes_state *st, size_t n)
{
	mpz_set_ui(st->money, 0);
	for (size_t i = 0; i < n; i++)
		mpz_addmul_ui(st->money, st->class_num[st->entries[i].cls], st->entries[i].weight);
}

/* money / D >= c(p), i.e. money * den(c) >= num(c) * D. */
static bool money_covers(struct mes_state *st, uint32_t p)
{
	const mpq_srcptr cost = st->e->projects[p].cost;
	mpz_mul(st->lhs, st->money, mpq_denref(cost));
	mpz_mul(st->rhs, mpq_numref(cost), st->denom);
	return mpz_cmp(st->lhs, st->rhs) >= 0;
}

/* b_x / u_x compared with b_y / u_y: N_x u_y vs N_y u_x (D cancels). */
static int cmp_entries_exact(struct mes_state *st, const struct mes_entry *x, const struct mes_entry *y)
{
	mpz_mul_si(st->lhs, st->class_num[x->cls], (long)y->unit);
	mpz_mul_si(st->rhs, st->class_num[y->cls], (long)x->unit);
	return mpz_cmp(st->lhs, st->rhs);
}

/*
 * Puts the entries in exact b/u order: sorted by the double keys first,
 * then an insertion pass with exact comparisons, which only moves entries
 * whose keys were too close for doubles (so it is linear in practice).
 */
static void sort_entries_exact(struct mes_state *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		st->fast_keys[i].key = st->class_budget_d[st->entries[i].cls] / (double)st->entries[i].unit;
		st->fast_keys[i].entry = (uint32_t)i;
	}
	qsort(st->fast_keys, n, sizeof(*st->fast_keys), cmp_fast_key);
	for (size_t i = 0; i < n; i++)
		st->sorted[i] = &st->entries[st->fast_keys[i].entry];
	for (size_t i = 1; i < n; i++) {
		struct mes_entry *x = st->sorted[i];
		size_t j = i;
		while (j > 0 && cmp_entries_exact(st, st->sorted[j - 1], x) > 0) {
			st->sorted[j] = st->sorted[j - 1];
			j--;
		}
		st->sorted[j] = x;
	}
}

/*
 * The price per unit sigma that makes sum min(b_i, sigma u_i) = c(p), as in
 * the README: supporters by b_i/u_i ascending, r = (c - paid)/rem, stop at
 * the first with r u_i <= b_i. Requires money >= c(p). In integers, with
 * c = cn/cd and b = N/D: r = Q / (cd D rem) where Q = cn D - cd sum(w N).
 */
static void solve_price(struct mes_state *st, uint32_t p, size_t n)
{
	const mpq_srcptr cost = st->e->projects[p].cost;
	sort_entries_exact(st, n);
	mpz_mul(st->quota, mpq_numref(cost), st->denom); /* Q */
	mpz_set(st->rem, st->pf->units_total[p]);
	for (size_t i = 0; i < n; i++) {
		const struct mes_entry *en = st->sorted[i];
		TALLY_INVARIANT(mpz_sgn(st->rem) > 0);
		/* r u <= b  <=>  Q u <= N cd rem */
		mpz_mul_si(st->lhs, st->quota, (long)en->unit);
		mpz_mul(st->rhs, st->class_num[en->cls], mpq_denref(cost));
		mpz_mul(st->rhs, st->rhs, st->rem);
		if (mpz_cmp(st->lhs, st->rhs) <= 0) {
			mpz_set(mpq_numref(st->sigma), st->quota);
			mpz_mul(mpq_denref(st->sigma), mpq_denref(cost), st->denom);
			mpz_mul(mpq_denref(st->sigma), mpq_denref(st->sigma), st->rem);
			mpq_canonicalize(st->sigma);
			return;
		}
		mpz_mul_ui(st->term, st->class_num[en->cls], en->weight);
		mpz_submul(st->quota, st->term, mpq_denref(cost));
		mpz_set_ui(st->term, en->weight);
		mpz_mul_si(st->term, st->term, (long)en->unit);
		mpz_sub(st->rem, st->rem, st->term);
	}
	/* money >= cost guarantees a stop above */
	TALLY_INVARIANT(!"price not found although the supporters can pay");
}

/* ------------------------------------------------------------- payments */

/*
 * Brings every live budget onto denominator lcm(D, den(sigma)) so that the
 * payments of this round are integers too. Returns D / gcd(D, den(sigma)),
 * the factor by which sigma's numerator must be scaled, in st->share.
 */
static void widen_denominator(struct mes_state *st, const mpq_t sigma)
{
	mpz_gcd(st->term, st->denom, mpq_denref(sigma));
	mpz_divexact(st->scale, mpq_denref(sigma), st->term); /* D grows by this */
	mpz_divexact(st->share, st->denom, st->term);
	if (mpz_cmp_ui(st->scale, 1) != 0) {
		for (size_t k = 0; k < st->n_classes; k++)
			if (st->class_voters[k])
				mpz_mul(st->class_num[k], st->class_num[k], st->scale);
		mpz_mul(st->denom, st->denom, st->scale);
	}
}

/* Divides D and every live numerator by their common factor. */
static void shrink_denominator(struct mes_state *st)
{
	mpz_set(st->term, st->denom);
	for (size_t k = 0; k < st->n_classes && mpz_cmp_ui(st->term, 1) != 0; k++)
		if (st->class_voters[k])
			mpz_gcd(st->term, st->term, st->class_num[k]);
	if (mpz_cmp_ui(st->term, 1) == 0)
		return;
	for (size_t k = 0; k < st->n_classes; k++)
		if (st->class_voters[k])
			mpz_divexact(st->class_num[k], st->class_num[k], st->term);
	mpz_divexact(st->denom, st->denom, st->term);
}

/*
 * Charges the supporters of p: each (class, unit) moves to a new class whose
 * budget is b - min(b, sigma * unit). Checks that nobody pays more than they
 * hold and that the payments add up to the cost exactly.
 */
static enum tally_error charge_supporters(struct mes_state *st, uint32_t p, const mpq_t sigma)
{
	const struct tally_profile *pf = st->pf;
	size_t s = pf->sup_start[p], end = pf->sup_start[p + 1];
	size_t n_new = 0;
	mpz_t collected, want;
	mpz_inits(collected, want, NULL);
	enum tally_error err = TALLY_OK;
	if (!entries_reserve(st, end - s + 1)) {
		err = TALLY_ERR_NOMEM;
		goto release_numbers;
	}
	widen_denominator(st, sigma);
	while (s < end) {
		int64_t unit = pf->sup_unit[s];
		size_t run_from = n_new;
		/* sigma * unit over the new D: num(sigma) * unit * share */
		mpz_mul_si(want, mpq_numref(sigma), (long)unit);
		mpz_mul(want, want, st->share);
		for (; s < end && pf->sup_unit[s] == unit; s++) {
			uint32_t g = pf->sup_group[s];
			uint32_t k = st->group_class[g];
			if (mpz_sgn(st->class_num[k]) == 0)
				continue; /* pays nothing, stays */
			if (st->slot_of_class[k] == NO_SLOT) {
				uint32_t fresh = class_new(st);
				if (fresh == NO_SLOT) {
					err = TALLY_ERR_NOMEM;
					goto release_numbers;
				}
				/* budget - min(budget, sigma * unit) */
				if (mpz_cmp(want, st->class_num[k]) >= 0)
					mpz_set_ui(st->class_num[fresh], 0);
				else
					mpz_sub(st->class_num[fresh], st->class_num[k], want);
				TALLY_INVARIANT(mpz_sgn(st->class_num[fresh]) >= 0); /* never more than their share */
				st->slot_of_class[k] = fresh;
				st->entries[n_new].cls = k;
				st->entries[n_new].unit = unit;
				n_new++;
			}
			uint32_t fresh = st->slot_of_class[k];
			st->group_class[g] = fresh;
			st->class_voters[fresh] += pf->weight[g];
			st->class_voters[k] -= pf->weight[g];
		}
		for (size_t i = run_from; i < n_new; i++) {
			uint32_t k = st->entries[i].cls, fresh = st->slot_of_class[k];
			/* collected += voters * (N_k - N_fresh) */
			mpz_sub(st->term, st->class_num[k], st->class_num[fresh]);
			mpz_addmul_ui(collected, st->term, st->class_voters[fresh]);
			st->slot_of_class[k] = NO_SLOT;
			st->entries[i].cls = fresh; /* from here on: the new classes */
		}
	}
	/* the cost is paid exactly: collected / D == c */
	mpz_mul(st->lhs, collected, mpq_denref(st->e->projects[p].cost));
	mpz_mul(st->rhs, mpq_numref(st->e->projects[p].cost), st->denom);
	TALLY_INVARIANT(mpz_cmp(st->lhs, st->rhs) == 0);
	/* rescaling keeps every N / D, so only the new budgets need their double */
	for (size_t i = 0; i < n_new; i++)
		refresh_budget_d(st, st->entries[i].cls);
	/* the gcd pass costs a sweep over all classes: run it once D has grown by 512 bits */
	if (mpz_sizeinbase(st->denom, 2) > st->denom_bits_after_shrink + 512) {
		shrink_denominator(st);
		st->denom_bits_after_shrink = mpz_sizeinbase(st->denom, 2);
	}
release_numbers:
	mpz_clears(collected, want, NULL);
	return err;
}

/* ---------------------------------------------------------------- rounds */

static int cmp_candidate(const void *a, const void *b)
{
	const struct mes_candidate *x = a, *y = b;
	if (x->lower != y->lower)
		return x->lower < y->lower ? -1 : 1;
	return tally_id_cmp(x->e, x->project, y->project);
}

/* Puts the remaining candidates in visiting order; returns how many remain. */
static size_t order_candidates(struct mes_state *st)
{
	size_t n = 0;
	for (size_t i = 0; i < st->n_candidates; i++) {
		uint32_t p = st->candidates[i].project;
		if (!st->is_candidate[p])
			continue;
		st->candidates[i].lower = st->lower[p];
		st->candidates[n++] = st->candidates[i];
	}
	st->n_candidates = n;
	qsort(st->candidates, n, sizeof(*st->candidates), cmp_candidate);
	return n;
}

/* One unit in the last place of 1.0: doubles carry 53 bits. */
#define ULP 0x1p-52
/* Width of the window in which a floating-point price is certified. */
#define PRICE_WINDOW 1e-9

enum fast_verdict { FAST_UNAFFORDABLE, FAST_PRICED, FAST_UNSURE };

/*
 * Upper bound on the rounding error of a sum of n positive products
 * w * min(b, s u) computed in doubles from budgets known within 2 ulps:
 * each term is off by at most 4 ulps, the sum adds n - 1 more; doubled
 * for margin.
 */
static double sum_error(double sum, size_t n)
{
	return (2.0 * (double)n + 10.0) * ULP * sum;
}

/* f(s) = sum over supporters of min(b_i, s u_i), in doubles. */
static double paid_at(const struct mes_state *st, size_t n, double s)
{
	double f = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mes_entry *en = &st->entries[i];
		double b = st->class_budget_d[en->cls], want = s * (double)en->unit;
		f += (double)en->weight * (b < want ? b : want);
	}
	return f;
}

/*
 * Solves f(s) = cost in doubles by Newton's method, without sorting. f is
 * concave and piecewise linear, so from a start at or below the root every
 * tangent step stays below it and crosses at least one kink: a handful of
 * linear passes. Returns -1 when it does not settle (the caller then takes
 * the exact path).
 */
static double newton_price(const struct mes_state *st, size_t n, double cost, double start)
{
	double s = start > 0 ? start : 0, last_slope = -1;
	for (int step = 0; step < 64; step++) {
		double f = 0, slope = 0;
		for (size_t i = 0; i < n; i++) {
			const struct mes_entry *en = &st->entries[i];
			double b = st->class_budget_d[en->cls], u = (double)en->unit, w = (double)en->weight;
			if (s * u < b) {
				f += w * s * u;
				slope += w * u;
			} else {
				f += w * b;
			}
		}
		if (slope <= 0)
			return -1; /* everyone capped: f is flat here */
		double next = s + (cost - f) / slope;
		if (slope == last_slope)
			return next; /* same linear piece as the last step: this is its root */
		last_slope = slope;
		s = next;
	}
	return -1;
}

/*
 * The floating-point filter. Solves for the price in doubles, then
 * certifies it (so the solver's own accuracy does not matter): f is increasing, so f(s_lo) < c < f(s_hi), each side
 * beyond its error bound, proves the exact price lies in [s_lo, s_hi].
 * Anything that cannot be certified (near-affordability, a price not
 * found, a flat f) is FAST_UNSURE and goes to the exact path.
 */
static enum fast_verdict fast_price(struct mes_state *st, uint32_t p, size_t n, double *lo, double *hi)
{
	const double cost = st->cost_d[p], cost_err = 2 * ULP * cost;
	double money = 0;
	for (size_t i = 0; i < n; i++)
		money += (double)st->entries[i].weight * st->class_budget_d[st->entries[i].cls];
	double money_err = sum_error(money, n);
	if (money + money_err < cost - cost_err)
		return FAST_UNAFFORDABLE;
	if (money - money_err <= cost + cost_err)
		return FAST_UNSURE;

	double sigma = newton_price(st, n, cost, st->lower[p] * (st->sat == TALLY_SAT_COST ? cost : 1));
	if (!(sigma > 0))
		return FAST_UNSURE;
	double s_lo = sigma * (1 - PRICE_WINDOW), s_hi = sigma * (1 + PRICE_WINDOW);
	double f_lo = paid_at(st, n, s_lo), f_hi = paid_at(st, n, s_hi);
	if (!(f_lo + sum_error(f_lo, n) < cost - cost_err && f_hi - sum_error(f_hi, n) > cost + cost_err))
		return FAST_UNSURE;
	if (st->sat == TALLY_SAT_COST) { /* rho = sigma / c, with c rounded: widen by a few ulps */
		*lo = s_lo / cost * (1 - 4 * ULP);
		*hi = s_hi / cost * (1 + 4 * ULP);
	} else {
		*lo = s_lo;
		*hi = s_hi;
	}
	return FAST_PRICED;
}

/*
 * The exact path on the entries already gathered for p: money and price
 * as rationals. Returns false when the supporters cannot pay; otherwise
 * st->sigma and st->rho hold the exact price.
 */
static bool exact_price(struct mes_state *st, uint32_t p, size_t n)
{
	st->exact_evaluations++;
	supporters_money(st, n);
	if (!money_covers(st, p))
		return false;
	solve_price(st, p, n);
	rho_from_sigma(st, st->rho, st->sigma, p);
	return true;
}

/* Drops p for good: budgets only shrink, so its supporters never afford it again. */
static void drop_candidate(struct mes_state *st, uint32_t p, size_t round, size_t n, struct tally_result *explain)
{
	st->is_candidate[p] = false;
	if (!explain)
		return;
	struct tally_item_explain *x = &explain->items[p];
	x->why = TALLY_WHY_SUPPORTERS_SHORT;
	x->round = (uint32_t)round + 1;
	x->amount = paid_at(st, n, INFINITY);
}

/* Gathers p's supporters into st->entries; returns the count, or SIZE_MAX without memory. */
static size_t prepare_entries(struct mes_state *st, uint32_t p)
{
	size_t need = st->pf->sup_start[p + 1] - st->pf->sup_start[p] + 1;
	if (!entries_reserve(st, need))
		return SIZE_MAX;
	return gather_entries(st, p);
}

/*
 * Evaluates candidate p: brackets its rho in [*lo, *hi] (a point, widened by
 * the rounding of mpq_get_d, when the exact path ran). Returns false when p
 * was dropped or memory ran out (*err).
 */
static bool evaluate_candidate(struct mes_state *st, uint32_t p, size_t round, struct tally_result *explain,
                               double *lo, double *hi, enum tally_error *err)
{
	size_t n = prepare_entries(st, p);
	if (n == SIZE_MAX) {
		*err = TALLY_ERR_NOMEM;
		return false;
	}
	enum fast_verdict v = st->exact_only ? FAST_UNSURE : fast_price(st, p, n, lo, hi);
	if (v == FAST_UNSURE) {
		v = exact_price(st, p, n) ? FAST_PRICED : FAST_UNAFFORDABLE;
		if (v == FAST_PRICED) {
			double d = mpq_get_d(st->rho); /* truncated: within 1 ulp */
			*lo = d * (1 - 4 * ULP);
			*hi = d * (1 + 4 * ULP);
		}
	}
	if (v == FAST_UNAFFORDABLE) {
		drop_candidate(st, p, round, n, explain);
		return false;
	}
	st->lower[p] = *lo;
	if (explain) {
		struct tally_item_explain *x = &explain->items[p];
		if (tally_explain_rounds(x, round) != TALLY_OK) {
			*err = TALLY_ERR_NOMEM;
			return false;
		}
		x->per_round[round] = 2.0 / (*lo + *hi);
		x->n_rounds = round + 1;
	}
	return true;
}

/*
 * Picks the winner among the candidates whose brackets reach below the
 * smallest upper end: one such candidate wins outright; several are
 * compared exactly (smallest rho, then smallest id). Leaves the winner's
 * exact price in best_rho / best_sigma.
 */
static enum tally_error settle_round(struct mes_state *st, size_t n_brackets, double best_hi, uint32_t *winner)
{
	bool found = false;
	for (size_t i = 0; i < n_brackets; i++) {
		const struct mes_bracket *b = &st->brackets[i];
		if (b->lo > best_hi)
			continue;
		size_t n = prepare_entries(st, b->project);
		if (n == SIZE_MAX)
			return TALLY_ERR_NOMEM;
		bool priced = exact_price(st, b->project, n);
		TALLY_INVARIANT(priced); /* certified affordable above */
		int c = found ? mpq_cmp(st->rho, st->best_rho) : -1;
		if (c < 0 || (c == 0 && tally_id_cmp(st->e, b->project, *winner) < 0)) {
			found = true;
			*winner = b->project;
			mpq_set(st->best_rho, st->rho);
			mpq_set(st->best_sigma, st->sigma);
		}
	}
	TALLY_INVARIANT(found);
	return TALLY_OK;
}

/* Supported (U > 0) projects; zero-cost ones are bought before the rounds start. */
static void seed_candidates(struct mes_state *st, uint32_t *sel, size_t *n_sel)
{
	const struct tally_election *e = st->e;
	st->n_candidates = 0;
	for (size_t p = 0; p < e->n_projects; p++) {
		st->is_candidate[p] = false;
		if (!st->pf->active[p] || mpz_sgn(st->pf->units_total[p]) <= 0)
			continue;
		if (mpq_sgn(e->projects[p].cost) == 0) {
			if (st->sat != TALLY_SAT_COST) /* under cost utilities a free project has U = 0 */
				sel[(*n_sel)++] = (uint32_t)p; /* ids ascending: see below */
			continue;
		}
		st->is_candidate[p] = true;
		/* rho >= c / U because sum min(b_i, rho u_i) <= rho U; under cost utilities c / U = 1 / a */
		double bound = st->sat == TALLY_SAT_COST ? 1.0 / st->units_d[p] : st->cost_d[p] / st->units_d[p];
		st->lower[p] = bound * (1 - 8 * ULP);
		struct mes_candidate *c = &st->candidates[st->n_candidates++];
		c->project = (uint32_t)p;
		c->e = e;
	}
}

static int cmp_project_id(const void *a, const void *b, const struct tally_election *e)
{
	return tally_id_cmp(e, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* Zero-cost supported projects go first, in id order (pabutools: hash-set order). */
static void sort_free_projects(const struct tally_election *e, uint32_t *sel, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp_project_id(&sel[j - 1], &sel[j], e) > 0; j--) {
			uint32_t t = sel[j];
			sel[j] = sel[j - 1];
			sel[j - 1] = t;
		}
}

/*
 * One full MES run with every voter starting at voter_budget. Writes the
 * selection order to sel[] / *n_sel. With explain != NULL every candidate
 * is evaluated every round and explain->items is filled.
 */
static enum tally_error mes_run(struct mes_state *st, const mpq_t voter_budget, uint32_t *sel,
                                size_t *n_sel, struct tally_result *explain)
{
	enum tally_error err = TALLY_OK;
	*n_sel = 0;
	st->n_classes = 0;
	uint32_t everyone = class_new(st);
	if (everyone == NO_SLOT)
		return TALLY_ERR_NOMEM;
	mpz_set(st->class_num[everyone], mpq_numref(voter_budget));
	mpz_set(st->denom, mpq_denref(voter_budget));
	st->denom_bits_after_shrink = mpz_sizeinbase(st->denom, 2);
	st->class_voters[everyone] = st->pf->n_voters;
	refresh_budget_d(st, everyone);
	for (size_t g = 0; g < st->pf->n_groups; g++)
		st->group_class[g] = everyone;
	seed_candidates(st, sel, n_sel);
	sort_free_projects(st->e, sel, *n_sel);

	for (size_t round = 0;; round++) {
		size_t n = order_candidates(st), n_brackets = 0;
		double best_hi = INFINITY;
		for (size_t i = 0; i < n; i++) {
			uint32_t p = st->candidates[i].project;
			if (n_brackets && !explain && st->lower[p] > best_hi)
				break; /* sorted by lower bound: nobody further can win */
			double lo, hi;
			if (!evaluate_candidate(st, p, round, explain, &lo, &hi, &err)) {
				if (err)
					return err;
				continue;
			}
			st->brackets[n_brackets++] = (struct mes_bracket){ p, lo, hi };
			if (hi < best_hi)
				best_hi = hi;
		}
		if (!n_brackets)
			return TALLY_OK;
		uint32_t best = 0;
		err = settle_round(st, n_brackets, best_hi, &best);
		if (err)
			return err;
		err = charge_supporters(st, best, st->best_sigma);
		if (err)
			return err;
		st->is_candidate[best] = false;
		sel[(*n_sel)++] = best;
		if (explain) {
			struct tally_item_explain *x = &explain->items[best];
			x->why = TALLY_WHY_SELECTED;
			x->round = (uint32_t)round + 1;
			x->value = 1.0 / mpq_get_d(st->best_rho);
			x->price = mpq_get_d(st->best_sigma);
		}
	}
}

/* Fills the explanation fields that do not depend on the rounds. */
static void explain_static(const struct tally_election *e, const struct tally_profile *pf,
                           enum tally_sat sat, struct tally_result *out)
{
	if (!out->items)
		return;
	tally_mark_excluded(e, out);
	for (size_t p = 0; p < e->n_projects; p++) {
		struct tally_item_explain *x = &out->items[p];
		if (!pf->active[p])
			continue;
		x->votes = (double)pf->approvals[p];
		x->support = mpz_get_d(pf->units_total[p]);
		if (sat == TALLY_SAT_COST)
			x->support *= mpq_get_d(e->projects[p].cost);
		bool supported = mpz_sgn(pf->units_total[p]) > 0;
		if (!supported || (sat == TALLY_SAT_COST && mpq_sgn(e->projects[p].cost) == 0))
			x->why = TALLY_WHY_NO_SUPPORT;
	}
}

static void voter_share(mpq_t out, const struct tally_election *e)
{
	if (e->n_ballots == 0) {
		mpq_set_ui(out, 0, 1);
		return;
	}
	mpq_set_ui(out, 1, e->n_ballots);
	mpq_mul(out, out, e->budget);
}

static void take_selection(const struct tally_election *e, struct tally_result *out, const uint32_t *sel,
                           size_t n)
{
	out->n_selected = 0;
	mpq_set_ui(out->total_cost, 0, 1);
	for (size_t i = 0; i < n; i++)
		tally_result_push(out, e, sel[i]);
}

enum tally_error tally_mes(const struct tally_election *e, enum tally_sat sat,
                           const struct tally_options *opt, struct tally_result *out)
{
	struct tally_profile pf;
	struct mes_state st;
	mpq_t share;
	enum tally_error err = tally_profile_build(&pf, e, sat);
	if (err)
		return err;
	mpq_init(share);
	err = mes_state_init(&st, e, &pf, sat);
	if (err)
		goto release_state;
	st.exact_only = opt->exact;
	explain_static(e, &pf, sat, out);
	voter_share(share, e);
	size_t n = 0;
	err = mes_run(&st, share, out->selected, &n, opt->explain ? out : NULL);
	if (err)
		goto release_state;
	take_selection(e, out, out->selected, n); /* in place: sel[i] lands on itself */
	out->mes_runs = 1;
release_state:
	mes_state_release(&st);
	mpq_clear(share);
	tally_profile_release(&pf);
	return err;
}

/* ------------------------------------------------------------------ add1 */

/* Phase 1 is done when no supported project outside A still fits next to it. */
static bool exhaustive(const struct tally_election *e, const struct tally_profile *pf, const uint32_t *sel,
                       size_t n, const mpq_t cost, bool *in_outcome, mpq_t scratch)
{
	bool done = true;
	for (size_t i = 0; i < n; i++)
		in_outcome[sel[i]] = true;
	for (size_t p = 0; p < e->n_projects && done; p++) {
		if (!pf->active[p] || in_outcome[p] || mpz_sgn(pf->units_total[p]) <= 0 ||
		    mpq_sgn(e->projects[p].cost) == 0)
			continue;
		mpq_add(scratch, cost, e->projects[p].cost);
		if (mpq_cmp(scratch, e->budget) <= 0)
			done = false;
	}
	for (size_t i = 0; i < n; i++)
		in_outcome[sel[i]] = false;
	return done;
}

static void selection_cost(mpq_t out, const struct tally_election *e, const uint32_t *sel, size_t n)
{
	mpq_set_ui(out, 0, 1);
	for (size_t i = 0; i < n; i++)
		mpq_add(out, out, e->projects[sel[i]].cost);
}

struct add1_run {
	uint32_t *sel, *prev;
	size_t n_sel, n_prev;
	bool *in_outcome;
	mpq_t x, cost, scratch;
};

/*
 * Phase 1: MES with the voter budget raised by one currency unit at a time.
 * Leaves the chosen outcome in run->prev (and its voter budget in run->x).
 */
static enum tally_error add1_iterate(struct mes_state *st, const struct tally_options *opt,
                                     struct add1_run *run, uint64_t *runs)
{
	const struct tally_election *e = st->e;
	voter_share(run->x, e);
	run->n_prev = 0;
	for (;;) {
		enum tally_error err = mes_run(st, run->x, run->sel, &run->n_sel, NULL);
		if (err)
			return err;
		++*runs;
		if (opt->progress)
			opt->progress(opt->progress_ctx, *runs, 0);
		selection_cost(run->cost, e, run->sel, run->n_sel);
		if (mpq_cmp(run->cost, e->budget) > 0) {
			mpq_set_ui(run->scratch, 1, 1);
			mpq_sub(run->x, run->x, run->scratch); /* the previous budget produced prev */
			return TALLY_OK;
		}
		uint32_t *t = run->prev;
		run->prev = run->sel;
		run->sel = t;
		run->n_prev = run->n_sel;
		if (exhaustive(e, st->pf, run->prev, run->n_prev, run->cost, run->in_outcome, run->scratch))
			return TALLY_OK;
		if (opt->max_mes_runs && *runs >= opt->max_mes_runs)
			return TALLY_ERR_TOO_LARGE;
		mpq_set_ui(run->scratch, 1, 1);
		mpq_add(run->x, run->x, run->scratch);
	}
}

enum tally_error tally_mes_add1(const struct tally_election *e, const struct tally_options *opt,
                                struct tally_result *out)
{
	struct tally_profile pf;
	struct mes_state st;
	struct add1_run run;
	enum tally_error err = tally_profile_build(&pf, e, TALLY_SAT_COST);
	if (err)
		return err;
	memset(&run, 0, sizeof(run));
	mpq_inits(run.x, run.cost, run.scratch, NULL);
	err = mes_state_init(&st, e, &pf, TALLY_SAT_COST);
	if (err)
		goto release_run;
	st.exact_only = opt->exact;
	run.sel = malloc((e->n_projects + 1) * sizeof(uint32_t));
	run.prev = malloc((e->n_projects + 1) * sizeof(uint32_t));
	run.in_outcome = calloc(e->n_projects + 1, sizeof(bool));
	if (!run.sel || !run.prev || !run.in_outcome) {
		err = TALLY_ERR_NOMEM;
		goto release_run;
	}
	explain_static(e, &pf, TALLY_SAT_COST, out);
	err = add1_iterate(&st, opt, &run, &out->mes_runs);
	if (err)
		goto release_run;
	if (out->items) { /* replay the chosen run to explain it round by round */
		size_t n = 0;
		err = mes_run(&st, run.x, run.sel, &n, out);
		if (err)
			goto release_run;
		TALLY_INVARIANT(n == run.n_prev);
	}
	take_selection(e, out, run.prev, run.n_prev);
	out->n_mes_phase = out->n_selected;
	/* Phase 2: greedy_cost completion from the MES outcome */
	err = tally_greedy_from(e, TALLY_SAT_COST, &pf, TALLY_WHY_COMPLETION, out);
release_run:
	free(run.sel);
	free(run.prev);
	free(run.in_outcome);
	mpq_clears(run.x, run.cost, run.scratch, NULL);
	mes_state_release(&st);
	tally_profile_release(&pf);
	return err;
}
