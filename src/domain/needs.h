/*
 * Needs (意见建议): raised by residents and social units on every channel,
 * supported (附议) by verified residents, searched, merged when they are
 * near-duplicates, and finally given exactly one fate (see the top of
 * src/store/schema/sqlite/0002-needs.sql): consolidated into a draft matter,
 * not adopted with a public reason, withdrawn, or still open.  A merged
 * need shares the fate of the need it was merged into.
 *
 * Every change asks authz_can, runs in one store_write and writes its audit
 * record there; people whose need changes fate get an inbox notice in the
 * same transaction (src/domain/inbox.h).
 */
#ifndef GZ_DOMAIN_NEEDS_H
#define GZ_DOMAIN_NEEDS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/actor.h"
#include "domain/photos.h"
#include "store/store.h"

typedef enum need_status {
	NEED_OPEN,
	NEED_MERGED,
	NEED_CONSOLIDATED,
	NEED_DECLINED,
	NEED_WITHDRAWN,
	NEED_STATUS__MAX
} need_status;

typedef enum need_channel {
	CHANNEL_WEB,
	CHANNEL_QUESTIONNAIRE,
	CHANNEL_MEETING,
	CHANNEL_PAPER,
	CHANNEL_PHONE,
	CHANNEL_POSTER,   /* the poster's QR code */
	CHANNEL__MAX
} need_channel;

/* Stored names ("open", "web"): also catalogue key suffixes need.status.X, need.channel.X. */
const char *need_status_name(need_status s);
bool need_status_parse(const char *name, need_status *out);
const char *need_channel_name(need_channel ch);
bool need_channel_parse(const char *name, need_channel *out);
/* NULL-terminated lists of the names, for form choices. */
extern const char *const need_status_names[];
extern const char *const need_channel_names[];

/* Lengths in characters. */
#define NEED_TITLE_MIN 2
#define NEED_TITLE_MAX 60
#define NEED_BODY_MIN 5
#define NEED_BODY_MAX 2000
#define NEED_ADDRESS_MAX 100
#define NEED_REASON_MIN 2
#define NEED_REASON_MAX 500

typedef struct need {
	int64_t id, street_id;
	int year;
	const char *title, *body, *category;
	int64_t community_id;
	const char *community_name;
	int64_t unit_id;             /* community, grid or building */
	const char *unit_name, *unit_path, *address;
	int64_t person_id;           /* 0: recorded for someone without an account */
	const char *submitter;       /* full name: mask it unless show_name */
	int64_t recorded_by;         /* staff person who recorded it, 0 when self-submitted */
	need_channel channel;
	bool show_name;
	need_status status;
	int64_t merged_into, draft_id;
	const char *decline_reason;
	bool hidden;
	const char *hidden_reason;
	int64_t created_at, decided_at;
	int64_t supports;            /* supports of this need itself */
	int64_t merged_count;        /* needs merged into this one */
	int photo_count;
	int64_t meeting_id, answer_id;
} need;

/* One photo handed in, before checking. */
typedef struct need_photo_in {
	const unsigned char *data;
	size_t len;
} need_photo_in;

typedef struct need_input {
	const char *title, *body, *category;
	int64_t unit_id;             /* community, grid or building of the street */
	const char *address;         /* optional free text */
	int64_t person_id;           /* who raised it; 0 = the actor */
	const char *submitter_name;  /* with person_id 0 and a staff actor: someone without an account */
	need_channel channel;
	bool show_name;
	int64_t meeting_id, answer_id;   /* links from meeting and questionnaire intake; 0 when none */
	const need_photo_in *photos;
	size_t photo_count;
} need_input;

/* Why need_create refused, for a precise sentence (catalogue key). */
typedef struct need_refusal {
	const char *key;             /* e.g. "need.bad.title", "need.closed"; NULL when none */
} need_refusal;

/*
 * Raises a need.  As oneself (person_id 0 or the actor's own): needs
 * AUTHZ_SUBMIT_NEED and the 问需 period open (GZ_ECONFLICT with key
 * "need.closed" otherwise), unless the actor may also record needs there.
 * For someone else, or on the paper, phone and meeting channels: needs
 * AUTHZ_RECORD_NEED over the place; those may be recorded at any time.
 * GZ_EINVAL with a key for bad input (title, body, category, place,
 * photos), GZ_ETOOBIG for an oversized photo.
 */
gz_err need_create(store *st, const actor *who, const need_input *in, int64_t *id, need_refusal *why);
/* The same inside a caller's write (meeting and questionnaire intake, demo). */
gz_err need_create_in(store_conn *c, const actor *who, const need_input *in, int64_t *id, need_refusal *why);

gz_err need_get(store_conn *c, arena *a, int64_t street_id, int64_t id, need *out);

/* Filters of a list or search; zero values mean "any". */
typedef struct need_filter {
	const char *q;               /* search text; NULL or "" for a plain list, newest first */
	const char *category;
	int64_t community_id;
	int status;                  /* need_status, or -1 for any */
	int64_t from, to;            /* created in [from, to); 0 for open ends */
	bool include_hidden;         /* staff: let searches see hidden needs' text */
	int64_t limit, offset;
} need_filter;

/* A search counts and ranks at most NEED_SEARCH_MAX matches, the newest
 * (on SQLite; see need_search in src/store/sql/needs.sql): a one-character
 * query matches a third of a million needs, and ranking them all takes a
 * second.  *total is then NEED_SEARCH_MAX + 1, meaning "more than". */
#define NEED_SEARCH_MAX 1000

/* A page of needs and the number matching (see NEED_SEARCH_MAX). */
gz_err need_list(store_conn *c, arena *a, int64_t street_id, const need_filter *f, need **out, size_t *count,
		 int64_t *total);

/* Up to `max` open needs like `text`, most alike first (excluding `exclude_id`). */
gz_err need_similar(store_conn *c, arena *a, int64_t street_id, const char *text, int64_t exclude_id, size_t max,
		    need **out, size_t *count);

/* Photo number `position` (1..3) of a need; the bytes live in `a`. */
gz_err need_photo(store_conn *c, arena *a, int64_t street_id, int64_t need_id, int position, const char **mime,
		  const unsigned char **data, size_t *len);

/* Needs merged into `id` (id, title, submitter, show_name, created_at, supports). */
gz_err need_merged_children(store_conn *c, arena *a, int64_t street_id, int64_t id, need **out, size_t *count);
/* Distinct people behind a need and the needs merged into it. */
gz_err need_people(store_conn *c, int64_t street_id, int64_t id, int64_t *people);
/* Whether `person_id` supports the need. */
bool need_supported_by(store_conn *c, int64_t street_id, int64_t need_id, int64_t person_id);
/* Marks which of `needs` the person supports (flags[i]). */
gz_err need_supported_flags(store_conn *c, arena *a, int64_t street_id, int64_t person_id, const need *needs,
			    size_t count, bool *flags);

/* Whether the 问需 period is open now; *year gets the cycle's year (or
 * this calendar year), *ends the last day when open, *starts the next start. */
bool need_period_open(store_conn *c, arena *a, int64_t street_id, int *year, int64_t *starts, int64_t *ends);

/* The street's category list (the defaults when none is configured). */
gz_err need_categories(store_conn *c, arena *a, int64_t street_id, const char ***out, size_t *count);
/* Replaces the list; GZ_EINVAL for an empty list, a duplicate or an overlong name. */
gz_err need_categories_set(store *st, const actor *who, int64_t street_id, const char *const *names, size_t count);
extern const char *const need_default_categories[];

/*
 * Supports.  A verified resident of the street supports an open, visible
 * need once (GZ_EEXIST the second time), not their own (GZ_EINVAL), while
 * the period is open (GZ_ECONFLICT); and may withdraw the support while it
 * is open.
 */
gz_err need_support(store *st, const actor *who, int64_t need_id);
gz_err need_unsupport(store *st, const actor *who, int64_t need_id);

/* The submitter withdraws their open need while the period is open; not
 * one that others' needs were merged into (GZ_ECONFLICT). */
gz_err need_withdraw(store *st, const actor *who, int64_t need_id);

/*
 * Curation (AUTHZ_CURATE_NEEDS over each need's place).
 * need_merge: `others` become near-duplicates of `primary`: all open, not
 * hidden, in the primary's community, none with needs merged into it.
 * Supports and submitters stay where they are, so need_unmerge restores
 * the need exactly.  need_decline gives the public reason (NEED_REASON_*);
 * need_reopen undoes a decline.  need_hide/need_unhide: moderation, with a
 * reason shown in the need's place.
 */
gz_err need_merge(store *st, const actor *who, int64_t primary, const int64_t *others, size_t count);
gz_err need_unmerge(store *st, const actor *who, int64_t need_id);
gz_err need_decline(store *st, const actor *who, int64_t need_id, const char *reason);
gz_err need_reopen(store *st, const actor *who, int64_t need_id);
gz_err need_hide(store *st, const actor *who, int64_t need_id, const char *reason);
gz_err need_unhide(store *st, const actor *who, int64_t need_id);

/* Whether the actor may curate this need (for showing the staff tools). */
bool need_can_curate(const actor *who, const need *n);

/* Near-duplicate clusters among the open needs of a community. */
typedef struct need_cluster {
	need *members;
	size_t count;
} need_cluster;
gz_err need_clusters(store_conn *c, arena *a, int64_t street_id, int64_t community_id, need_cluster **out,
		     size_t *count);

/* Accounting: every need of the year (0: all years) by fate. */
typedef struct need_accounting {
	int64_t total;               /* needs counted directly */
	int64_t fate[NEED_STATUS__MAX];   /* by fate; fate[NEED_MERGED] is always 0 */
	int64_t merged;              /* of those, needs counted through the need they were merged into */
	bool balanced;               /* the fates add up to the total */
} need_accounting;
gz_err need_accounting_get(store_conn *c, int64_t street_id, int year, need_accounting *out);

/* Submission limits, per account and per client address, within an hour. */
#define NEED_LIMIT_PER_ACCOUNT 10
#define NEED_LIMIT_PER_IP 30
/* Seconds to wait before this account or address may submit again; 0 when now. */
int need_throttle_wait(const actor *who, const char *client_ip);
/* Counts one submission. */
void need_throttle_hit(const actor *who, const char *client_ip);

/* "s12 c34": words naming the street and community in the search index. */
const char *need_scope_words(arena *a, int64_t street_id, int64_t community_id);
/* True on PostgreSQL (tsvector search), false on SQLite (FTS5). */
bool needs_on_pg(store_conn *c);
/* The match text for a user query on this backend, or NULL when the query
 * has nothing searchable.  `scope` (SQLite only) narrows the match to index
 * rows carrying that scope word. */
const char *needs_match(store_conn *c, arena *a, const char *query, const char *scope);
/* The index text of a document on this backend: itself on SQLite, a
 * tsvector literal on PostgreSQL. */
const char *needs_index_text(store_conn *c, arena *a, const char *doc);

#endif
