/*
 * internal.h - shared between the files of the tally library; not installed,
 * not for callers.
 */
#ifndef GZ_TALLY_INTERNAL_H
#define GZ_TALLY_INTERNAL_H

#include "tally/tally.h"

#include <assert.h>

/* Limits that keep every index in 32 bits and every count exact in a double. */
#define TALLY_MAX_PROJECTS 1000000u
#define TALLY_MAX_BALLOTS 100000000u
#define TALLY_MAX_BALLOT_ITEMS 100000u
#define TALLY_MAX_POINT_DECIMALS 12u

/*
 * A conservation law or exactness invariant of a rule. Kept in release
 * builds too: a wrong count must stop the program, not be published.
 */
#define TALLY_INVARIANT(cond) \
	((cond) ? (void)0 : tally_invariant_failed(#cond, __FILE__, __LINE__))
_Noreturn void tally_invariant_failed(const char *what, const char *file, int line);

/* Grows *ptr to hold at least need elements of elem bytes (capacity doubles). */
bool tally_grow(void **ptr, size_t *cap, size_t need, size_t elem);
char *tally_strndup(const char *s, size_t n);
enum tally_error tally_election_add_project_q(struct tally_election *e, const char *id,
                                              size_t id_len, const mpq_t cost, size_t *index_out);

/* Tie-break order of projects: smaller id (byte string) first. */
int tally_id_cmp(const struct tally_election *e, uint32_t a, uint32_t b);

/*
 * How a rule values a project on a ballot ("satisfaction" in pabutools):
 *   COST  - u = cost of p if listed (a voter's utility is the money spent on them)
 *   CARD  - u = 1 if listed
 *   SCORE - u = points (cumulative, scoring) or Borda score L-1-k (ordinal)
 */
enum tally_sat { TALLY_SAT_COST, TALLY_SAT_CARD, TALLY_SAT_SCORE };

/*
 * The ballots as a rule sees them: identical ballots merged into groups with
 * a weight (exact by construction: every rule treats equal ballots alike),
 * excluded projects removed, utilities as integer units. The real utility of
 * a unit is unit_value[p] (the cost for COST, 1 otherwise): keeping the cost
 * out of the units keeps them small integers.
 */
struct tally_profile {
	size_t n_projects;
	uint64_t n_voters;          /* ballots cast, empty ones included */
	size_t n_groups;
	uint64_t *weight;           /* voters per group */
	size_t *sup_start;          /* per project: supporters sup_start[p] .. sup_start[p+1]-1 */
	uint32_t *sup_group;        /* supporting group */
	int64_t *sup_unit;          /* its units (> 0), sorted ascending within a project */
	uint64_t *approvals;        /* per project: voters listing it (any utility) */
	mpz_t *units_total;         /* per project: sum of weight * unit */
	bool *active;               /* per project: not excluded */
	bool unit_utilities;        /* every unit is 1 (cost and card utilities) */
};

enum tally_error tally_profile_build(struct tally_profile *pf, const struct tally_election *e,
                                     enum tally_sat sat);
/* Only n_voters, approvals, units_total and active: what greedy and Borda need. */
enum tally_error tally_profile_totals(struct tally_profile *pf, const struct tally_election *e,
                                      enum tally_sat sat);
void tally_profile_release(struct tally_profile *pf);

/* Rules, one file each family. out is initialised and empty on entry. */
enum tally_error tally_greedy(const struct tally_election *e, enum tally_sat sat,
                              const struct tally_options *opt, struct tally_result *out);
enum tally_error tally_mes(const struct tally_election *e, enum tally_sat sat,
                           const struct tally_options *opt, struct tally_result *out);
enum tally_error tally_mes_add1(const struct tally_election *e, const struct tally_options *opt,
                                struct tally_result *out);
enum tally_error tally_phragmen(const struct tally_election *e, const struct tally_options *opt,
                                struct tally_result *out);
enum tally_error tally_approval(const struct tally_election *e, const struct tally_options *opt,
                                struct tally_result *out);
enum tally_error tally_borda(const struct tally_election *e, const struct tally_options *opt,
                             struct tally_result *out);
enum tally_error tally_schulze(const struct tally_election *e, const struct tally_options *opt,
                               struct tally_result *out);

/*
 * The greedy walk of greedy_*, continuing from the projects already in out
 * (the completion of mes_cost_add1 starts from the MES outcome).
 */
enum tally_error tally_greedy_from(const struct tally_election *e, enum tally_sat sat,
                                   const struct tally_profile *pf, enum tally_why why_taken,
                                   struct tally_result *out);

/* Result helpers. */
enum tally_error tally_result_alloc(struct tally_result *out, size_t n_projects, bool explain);
void tally_result_push(struct tally_result *out, const struct tally_election *e, uint32_t project);
enum tally_error tally_explain_rounds(struct tally_item_explain *item, size_t round);
void tally_mark_excluded(const struct tally_election *e, struct tally_result *out);

#endif
