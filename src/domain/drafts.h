/*
 * Draft matters (拟办实事意向): staff consolidate one or more open needs into
 * a draft with a title, description, estimated cost, category, scope (one
 * community or the whole street) and a suggested responsible unit.  Every
 * source need is linked (need.draft_id) and takes the fate "consolidated";
 * the people behind it are told in their inbox.  The draft counts the
 * distinct residents who asked for it, through merges too.
 */
#ifndef GZ_DOMAIN_DRAFTS_H
#define GZ_DOMAIN_DRAFTS_H

#include "domain/actor.h"
#include "domain/needs.h"
#include "store/store.h"

#define DRAFT_TITLE_MAX 60
#define DRAFT_DESCRIPTION_MAX 4000
#define DRAFT_RESPONSIBLE_MAX 60
#define DRAFT_MAX_SOURCES 200
#define DRAFT_COST_MAX 100000000   /* yuan */

typedef struct draft {
	int64_t id;
	int year;
	const char *title, *description, *category;
	int64_t scope_unit_id;
	const char *scope_name;
	bool street_wide;          /* the scope is the whole street */
	const char *scope_path;
	int64_t estimated_cost;    /* yuan */
	const char *responsible_unit;
	int64_t created_at;
	int64_t need_count;        /* source needs */
	int64_t people;            /* distinct residents behind them (0 in search results) */
} draft;

typedef struct draft_input {
	const char *title, *description, *category, *responsible_unit;
	int64_t scope_unit_id;     /* a community, or the street's own unit */
	int64_t estimated_cost;
	const int64_t *need_ids;
	size_t need_count;
} draft_input;

/*
 * Creates the draft.  Needs AUTHZ_CURATE_NEEDS over the scope; every source
 * need must be open (GZ_ECONFLICT otherwise), of this street, and inside
 * the scope (GZ_EINVAL).  *why names the failing field for bad input.
 */
gz_err draft_create(store *st, const actor *who, const draft_input *in, int64_t *id, const char **why);
gz_err draft_create_in(store_conn *c, const actor *who, const draft_input *in, int64_t *id, const char **why);

gz_err draft_get(store_conn *c, arena *a, int64_t street_id, int64_t id, draft *out);

typedef struct draft_filter {
	const char *q;
	const char *category;
	int64_t scope_unit_id;
	int64_t limit, offset;
} draft_filter;

gz_err draft_list(store_conn *c, arena *a, int64_t street_id, const draft_filter *f, draft **out, size_t *count,
		  int64_t *total);
/* The needs a draft was consolidated from. */
gz_err draft_sources(store_conn *c, arena *a, int64_t street_id, int64_t id, need **out, size_t *count);

#endif
