/*
 * tally.h - the counting engine of the 问计 stage.
 *
 * A pure library: libc and GMP only, no file I/O, no printing. Meetings,
 * evaluations and the command line all count through it, so one ballot set
 * always gives one result, whoever asks.
 *
 * Data flow:
 *
 *   bytes --tally_pb_parser_feed--> struct tally_election --tally_run--> struct tally_result
 *   (or tally_election_add_project / tally_election_add_ballot for ballots cast on the platform)
 *   struct tally_election --tally_pb_write--> bytes (Pabulib .pb, for recounting elsewhere)
 *
 * Every rule is defined exactly as in shared/pabulib/README.md (pabutools
 * 1.2.3) and documented in docs/TALLY.md. Money, prices and voter budgets are
 * exact rationals (GMP mpq_t); ties always go to the project whose id is the
 * smallest byte string (strcmp order, so "10" < "9").
 *
 * Ownership: every struct has x_init / x_release (release frees what the
 * struct owns; call x_init again before reusing it). Pointers inside a struct are owned by it
 * unless a comment says otherwise.
 */
#ifndef GZ_TALLY_H
#define GZ_TALLY_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ errors */

enum tally_error {
	TALLY_OK = 0,
	TALLY_ERR_NOMEM,            /* an allocation failed */
	TALLY_ERR_SYNTAX,           /* broken CSV: unterminated quote, NUL byte, overlong line */
	TALLY_ERR_SECTION,          /* data outside a section, sections repeated or out of order */
	TALLY_ERR_FIELD,            /* a required field or column is missing, or a row is too wide */
	TALLY_ERR_NUMBER,           /* not a non-negative decimal number */
	TALLY_ERR_UNKNOWN_PROJECT,  /* a ballot names a project that is not in PROJECTS */
	TALLY_ERR_DUPLICATE_PROJECT,/* two projects share an id */
	TALLY_ERR_META,             /* budget or vote_type missing or invalid */
	TALLY_ERR_TOO_LARGE,        /* a size limit of the engine was exceeded */
	TALLY_ERR_NOT_APPLICABLE,   /* the rule cannot count this kind of ballot */
	TALLY_ERR_INVALID,          /* a bad argument from the caller */
	TALLY_ERR_WRITE,            /* the caller's write callback reported failure */
	TALLY_ERR_NOT_DECIMAL,      /* an exact value has no finite decimal form (writer) */
	TALLY_ERR__MAX
};

/* A short English description of an error code; never NULL. */
const char *tally_strerror(enum tally_error err);

/* Where and why input was rejected. line is 1-based (0: not tied to a line). */
struct tally_diag {
	enum tally_error code;
	uint64_t line;
	char reason[192]; /* plain ASCII, NUL-terminated; quotes at most 40 input bytes */
};

/* ---------------------------------------------------------------- elections */

enum tally_vote_type {
	TALLY_VOTE_APPROVAL,   /* a set of approved projects */
	TALLY_VOTE_CHOOSE_ONE, /* approval with one project ("choose-1") */
	TALLY_VOTE_CUMULATIVE, /* points spread over projects */
	TALLY_VOTE_SCORING,    /* an independent score per project */
	TALLY_VOTE_ORDINAL,    /* a ranking, most preferred first */
	TALLY_VOTE__MAX
};

/* The Pabulib spelling ("approval", "choose-1", ...). */
const char *tally_vote_type_name(enum tally_vote_type type);
/* Parses a Pabulib vote_type; false when unknown. */
bool tally_vote_type_from_name(const char *name, enum tally_vote_type *out);

struct tally_project {
	char *id;       /* opaque byte string without NUL, unique in the election */
	mpq_t cost;     /* exact, >= 0 */
	bool excluded;  /* "not compliant": removed before counting (set by the caller) */
	char **extra;   /* values of election.project_columns[2..], each may be NULL */
};

/*
 * A ballot set. Ballot b lists items ballot_start[b] .. ballot_start[b+1]-1;
 * item_project[i] is a project index. For ordinal ballots the items are in
 * rank order. For cumulative and scoring ballots item_points[i] holds the
 * points times 10^points_decimals (an exact fixed-point integer); for the
 * other types item_points is NULL. A ballot never lists a project twice.
 */
struct tally_election {
	enum tally_vote_type vote_type;
	mpq_t budget;                  /* total money to spend, exact */
	bool has_budget;

	size_t n_meta;
	char **meta_keys, **meta_values; /* META pairs in file order (for the writer) */

	size_t n_projects, cap_projects;
	struct tally_project *projects;
	size_t n_project_columns;      /* PROJECTS header: [0] id, [1] "cost", then extra columns */
	char **project_columns;

	size_t n_ballots, cap_ballots;
	size_t *ballot_start;          /* n_ballots + 1 entries */
	size_t n_items, cap_items;
	uint32_t *item_project;
	int64_t *item_points;
	unsigned points_decimals;

	/* Project id -> index, open addressing (internal). */
	size_t id_slots;
	uint32_t *id_table;
};

void tally_election_init(struct tally_election *e, enum tally_vote_type type);
void tally_election_release(struct tally_election *e);

/* Sets the budget from a decimal string ("1000000", "2828094.61"). */
enum tally_error tally_election_set_budget(struct tally_election *e, const char *decimal);
/* Appends (or replaces) a META pair kept for the writer. */
enum tally_error tally_election_set_meta(struct tally_election *e, const char *key, const char *value);
/* Adds a project; cost is a decimal string. *index_out (may be NULL) gets its index. */
enum tally_error tally_election_add_project(struct tally_election *e, const char *id,
                                            const char *cost_decimal, size_t *index_out);
/* Index of the project with this id, or SIZE_MAX. */
size_t tally_election_find_project(const struct tally_election *e, const char *id, size_t id_len);
/*
 * Adds one ballot (an empty one is allowed and counts). projects[] are
 * indexes; points[] (cumulative/scoring only, else NULL) are fixed-point
 * integers scaled by 10^e->points_decimals and must be >= 0. Repeats collapse
 * as in pabutools: approval keeps a set, ordinal the first occurrence, points
 * the last value.
 */
enum tally_error tally_election_add_ballot(struct tally_election *e, size_t n,
                                           const uint32_t *projects, const int64_t *points);
/* Multiplies every stored point by 10^(decimals - points_decimals). */
enum tally_error tally_election_rescale_points(struct tally_election *e, unsigned decimals);

/* ---------------------------------------------------------------- rules */

enum tally_rule {
	TALLY_RULE_GREEDY_COST,  /* most votes first, skip what does not fit */
	TALLY_RULE_GREEDY_CARD,  /* votes per unit of money */
	TALLY_RULE_GREEDY_SCORE, /* points (or Borda score) per unit of money */
	TALLY_RULE_MES_COST,     /* Method of Equal Shares, cost utilities */
	TALLY_RULE_MES_CARD,     /* MES, one unit per approved project */
	TALLY_RULE_MES_SCORE,    /* MES, points or Borda scores */
	TALLY_RULE_MES_COST_ADD1,/* iterated MES ("add1") plus greedy completion */
	TALLY_RULE_PHRAGMEN,     /* sequential Phragmen (approval, choose-1) */
	TALLY_RULE_APPROVAL,     /* screening: accepted iff approvals pass a threshold */
	TALLY_RULE_BORDA,        /* ranking by Borda score (ordinal) */
	TALLY_RULE_SCHULZE,      /* ranking by Schulze's beatpath method */
	TALLY_RULE__MAX
};

const char *tally_rule_name(enum tally_rule rule); /* "greedy_cost", ... */
bool tally_rule_from_name(const char *name, enum tally_rule *out);
/* True for the budget rules, whose result is a selection within the budget. */
bool tally_rule_is_budgeted(enum tally_rule rule);

/*
 * Approval threshold: an item is accepted iff
 *   approvals * den >  num * present   (strict, e.g. "more than half": 1/2)
 *   approvals * den >= num * present   (not strict)
 */
struct tally_threshold {
	uint64_t num, den;
	bool strict;
};

typedef void (*tally_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct tally_options {
	bool explain;                    /* fill result.items (MES then evaluates every project every round) */
	bool exact;                      /* MES: price every candidate with rationals, skipping the
	                                    certified floating-point filter (slower; for cross-checks) */
	struct tally_threshold threshold;/* approval rule; default more than half (1/2, strict) */
	uint64_t present;                /* approval rule: people present; 0 = number of ballots */
	uint64_t max_mes_runs;           /* mes_cost_add1: give up after this many MES runs; 0 = no cap */
	tally_progress_fn progress;      /* mes_cost_add1: called after each MES run; may be NULL */
	void *progress_ctx;
};

void tally_options_init(struct tally_options *opt);

/* ------------------------------------------------------------ explanations */

/*
 * Why an item was or was not chosen: a code plus numbers, never prose, so a
 * page can render it in any language. Stable string forms come from
 * tally_why_code().
 */
enum tally_why {
	TALLY_WHY_NONE,             /* not looked at (no explanation requested) */
	TALLY_WHY_SELECTED,         /* chosen in `round` (1-based) */
	TALLY_WHY_COMPLETION,       /* mes_cost_add1: added by the greedy completion in `round` */
	TALLY_WHY_OVER_BUDGET,      /* greedy: skipped, cost > `amount` (money left at its turn) */
	TALLY_WHY_NOT_COMPLIANT,    /* excluded before counting */
	TALLY_WHY_NO_SUPPORT,       /* MES: no voter gains from it (or it costs nothing) */
	TALLY_WHY_SUPPORTERS_SHORT, /* MES: from `round` on its supporters held only `amount` < cost */
	TALLY_WHY_OUTPACED,         /* MES/Phragmen: still a candidate when the rule stopped */
	TALLY_WHY_HALTED,           /* Phragmen: the rule stopped in `round` (a tied project did not fit) */
	TALLY_WHY_DID_NOT_FIT,      /* Phragmen: cost over the money left (`amount`) when it was due */
	TALLY_WHY_ACCEPTED,         /* approval: passed the threshold */
	TALLY_WHY_BELOW_THRESHOLD,  /* approval: did not pass (`amount` = votes needed) */
	TALLY_WHY_RANKED,           /* Borda / Schulze: placed at position `round` (1-based) */
	TALLY_WHY__MAX
};

const char *tally_why_code(enum tally_why why); /* "selected", "over_budget", ... */

struct tally_item_explain {
	enum tally_why why;
	uint32_t round;     /* see tally_why; 0 when not applicable */
	double votes;       /* ballots listing it (approvals) */
	double support;     /* total utility U(p): votes, points or Borda score */
	double value;       /* the rule's measure when decided: density (greedy), effective
	                       votes 1/rho (MES), load t (Phragmen), wins (Schulze) */
	double price;       /* MES: what a full-paying supporter paid per unit of utility
	                       (per voter for cost/card); Phragmen: the load t */
	double amount;      /* money left (greedy, Phragmen) or supporters' money (MES) */
	size_t n_rounds;    /* MES / Phragmen: entries in per_round */
	double *per_round;  /* effective votes 1/rho (MES) or load t (Phragmen) in each round;
	                       NAN when not a candidate that round, INFINITY for no support */
};

/* --------------------------------------------------------------- results */

struct tally_result {
	enum tally_rule rule;
	size_t n_selected;
	uint32_t *selected;      /* project indexes: selection order (budget rules, approval),
	                            full ranking best first (Borda, Schulze) */
	size_t n_mes_phase;      /* mes_cost_add1: the first n_mes_phase come from MES */
	uint64_t mes_runs;       /* MES runs made (mes_*: 1) */
	mpq_t total_cost;        /* exact cost of selected[] (budget rules, approval) */
	size_t n_items;          /* = n_projects when explained, else 0 */
	struct tally_item_explain *items; /* per project index, NULL unless options.explain */
	int64_t *scores;         /* Borda scores / Schulze wins per project; NULL for other rules */
};

void tally_result_init(struct tally_result *r);
void tally_result_release(struct tally_result *r);
/* tally_run and tally_hands_count take an initialised result and replace its contents. */

/*
 * Counts the election under a rule. opt may be NULL (defaults). On success
 * the result is complete and its invariants were checked (ballots counted =
 * ballots cast, cost <= budget, MES never charges a voter more than they hold).
 */
enum tally_error tally_run(const struct tally_election *e, enum tally_rule rule,
                           const struct tally_options *opt, struct tally_result *out);

/* ----------------------------------------------------------- show of hands */

/* For / against / abstain counts of one item, counted in the room. */
struct tally_hands {
	uint64_t votes_for, votes_against, votes_abstain;
};

/*
 * Screening by show of hands: item i is accepted iff votes_for passes the
 * threshold over `present` (0: for + against + abstain of each item). Fills
 * out->selected with the accepted items, most votes for first (ties: lower
 * index first), and out->items when explain is set. Checks that no item
 * counts more hands than people present.
 */
enum tally_error tally_hands_count(const struct tally_hands *hands, size_t n, uint64_t present,
                                   struct tally_threshold threshold, bool explain,
                                   struct tally_result *out);

/* ------------------------------------------------------------- .pb files */

/*
 * Streaming Pabulib parser. Feed bytes in chunks of any size, then call
 * finish. Errors are sticky: once feed or finish fails, later calls return
 * the same error and diag says where and why. The election passed to new()
 * is filled in place; the caller owns it (init before, release after).
 */
struct tally_pb_parser;

struct tally_pb_parser *tally_pb_parser_new(struct tally_election *out);
enum tally_error tally_pb_parser_feed(struct tally_pb_parser *p, const void *data, size_t len);
enum tally_error tally_pb_parser_finish(struct tally_pb_parser *p);
const struct tally_diag *tally_pb_parser_diag(const struct tally_pb_parser *p);
uint64_t tally_pb_parser_line(const struct tally_pb_parser *p); /* lines read so far */
void tally_pb_parser_free(struct tally_pb_parser *p);

/* One-shot parse of a whole buffer; diag (may be NULL) receives the error. */
enum tally_error tally_pb_parse(struct tally_election *out, const void *data, size_t len,
                                struct tally_diag *diag);

/* Returns 0 on success, anything else aborts the writer with TALLY_ERR_WRITE. */
typedef int (*tally_write_fn)(void *ctx, const void *data, size_t len);

/*
 * Writes the election as a .pb file through write(). META keeps the stored
 * pairs but budget, vote_type, num_projects and num_votes always state the
 * actual data; voters are numbered 1..n in voter_id.
 */
enum tally_error tally_pb_write(const struct tally_election *e, tally_write_fn write, void *ctx);

/* --------------------------------------------------------------- helpers */

/* Parses a non-negative decimal ("12", "0.5", "120000.0"; ',' accepted as the point). */
bool tally_decimal_parse(mpq_t out, const char *text, size_t len);
/*
 * Writes q as an exact decimal into buf (e.g. "2828094.61"). Returns the
 * length, or 0 when q has no finite decimal form or buf is too small.
 */
size_t tally_decimal_format(const mpq_t q, char *buf, size_t size);

#endif
