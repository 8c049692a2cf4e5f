#include "domain/drafts.h"

#include <inttypes.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/inbox.h"
#include "domain/org.h"
#include "text/text.h"
#include "util/timeutil.h"
#include "util/utf8.h"

static void draft_from_row(const rows *r, size_t i, draft *d)
{
	d->id = rows_int(r, i, 0);
	d->year = (int)rows_int(r, i, 1);
	d->title = rows_text(r, i, 2);
	d->description = rows_text(r, i, 3);
	d->category = rows_text(r, i, 4);
	d->scope_unit_id = rows_int(r, i, 5);
	d->scope_name = rows_text(r, i, 6);
	d->street_wide = !strcmp(rows_text(r, i, 7), "street");
	d->scope_path = rows_text(r, i, 8);
	d->estimated_cost = rows_int(r, i, 9);
	d->responsible_unit = rows_text(r, i, 10);
	d->created_at = rows_int(r, i, 11);
	d->need_count = rows_int(r, i, 12);
	d->people = rows_int(r, i, 13);
}

gz_err draft_get(store_conn *c, arena *a, int64_t street_id, int64_t id, draft *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_DRAFT_GET, ARGS(sv_int(street_id), sv_int(id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	draft_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err draft_list(store_conn *c, arena *a, int64_t street_id, const draft_filter *f, draft **out, size_t *count,
		  int64_t *total)
{
	sval args[7] = { sv_int(street_id), sv_text(f->category ? f->category : ""), sv_int(f->scope_unit_id) };
	rows r;
	gz_err rc;
	*count = 0;
	*total = 0;
	if (f->q && *f->q) {
		const char *match = needs_match(c, a, f->q, needs_on_pg(c) ? NULL : arena_printf(a, "s%" PRId64, street_id));
		if (!match) {
			*out = ARENA_ARRAY(a, draft, 1);
			return GZ_OK;
		}
		args[3] = sv_text(match);
		if ((rc = db_int(c, STMT_DRAFT_SEARCH_COUNT, args, 4, 0, total)))
			return rc;
		args[3] = sv_int(f->limit);
		args[4] = sv_int(f->offset);
		args[5] = sv_text(match);
		args[6] = sv_text(f->q);
		rc = db_run(c, a, STMT_DRAFT_SEARCH, args, 7, &r);
	} else {
		if ((rc = db_int(c, STMT_DRAFT_COUNT, args, 3, 0, total)))
			return rc;
		args[3] = sv_int(f->limit);
		args[4] = sv_int(f->offset);
		rc = db_run(c, a, STMT_DRAFT_LIST, args, 5, &r);
	}
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, draft, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		draft_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

gz_err draft_sources(store_conn *c, arena *a, int64_t street_id, int64_t id, need **out, size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_DRAFT_SOURCES, ARGS(sv_int(street_id), sv_int(id)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, need, r.nrows + 1);
	*count = r.nrows;
	/* need_get's columns: read each through need_get's row layout */
	for (size_t i = 0; i < r.nrows; i++)
		if ((rc = need_get(c, a, street_id, rows_int(&r, i, 0), &(*out)[i])))
			return rc;
	return GZ_OK;
}

static gz_err check_draft(store_conn *c, const actor *who, const draft_input *in, org_unit *scope, const char **why)
{
	*why = NULL;
	if (!utf8_text_fits(in->title, 2, DRAFT_TITLE_MAX, true))
		*why = "title";
	else if (!utf8_text_fits(in->description, 5, DRAFT_DESCRIPTION_MAX, false))
		*why = "description";
	else if (!utf8_text_fits(in->responsible_unit, 0, DRAFT_RESPONSIBLE_MAX, true))
		*why = "responsible";
	else if (in->estimated_cost < 0 || in->estimated_cost > DRAFT_COST_MAX)
		*why = "cost";
	else if (!in->need_count || in->need_count > DRAFT_MAX_SOURCES)
		*why = "needs";
	if (*why)
		return GZ_EINVAL;
	const char **cats;
	size_t ncats;
	bool known = false;
	gz_err rc = need_categories(c, db_arena(c), who->account_id ? who->street_id : 0, &cats, &ncats);
	for (size_t i = 0; !rc && i < ncats; i++)
		known |= in->category && !strcmp(cats[i], in->category);
	if (!rc && !known) {
		*why = "category";
		return GZ_EINVAL;
	}
	rc = rc ? rc : unit_get(c, db_arena(c), in->scope_unit_id, scope);
	if (rc == GZ_ENOTFOUND || (!rc && (scope->kind > UNIT_COMMUNITY ||
					   (who->account_id && scope->street_id != who->street_id)))) {
		*why = "scope";
		return GZ_EINVAL;
	}
	if (rc)
		return rc;
	return authz_can(who, AUTHZ_CURATE_NEEDS, (authz_target){ scope->street_id, scope->path }) ? GZ_OK : GZ_EFORBIDDEN;
}

/* Links one open need of the scope and tells the people behind it. */
static gz_err link_source(store_conn *c, const actor *who, const org_unit *scope, int64_t draft_id, int64_t need_id,
			  const char **why)
{
	need n;
	gz_err rc = need_get(c, db_arena(c), scope->street_id, need_id, &n);
	if (rc == GZ_ENOTFOUND || (!rc && strncmp(n.unit_path, scope->path, strlen(scope->path)))) {
		*why = "needs";
		return GZ_EINVAL;   /* unknown, or outside the draft's scope */
	}
	if (rc)
		return rc;
	if (n.status != NEED_OPEN || n.hidden)
		return GZ_ECONFLICT;
	if (!need_can_curate(who, &n))
		return GZ_EFORBIDDEN;
	rc = db_run(c, NULL, STMT_NEED_SET_CONSOLIDATED,
		    ARGS(sv_int(scope->street_id), sv_int(need_id), sv_int(draft_id), sv_int(time_now())), NULL);
	if (!rc && !db_changes(c))
		rc = GZ_ECONFLICT;
	if (!rc)
		rc = inbox_notify_need_in(c, scope->street_id, need_id, "consolidated", draft_id, "");
	if (rc)
		return rc;
	audit_entry e = { scope->street_id, "need.consolidate", "need", need_id,
			  arena_printf(db_arena(c), "into draft %" PRId64, draft_id) };
	return audit_append(c, who, &e);
}

gz_err draft_create_in(store_conn *c, const actor *who, const draft_input *in, int64_t *id, const char **why)
{
	arena *a = db_arena(c);
	org_unit scope;
	gz_err rc = check_draft(c, who, in, &scope, why);
	if (rc)
		return rc;
	int year;
	int64_t starts, ends;
	need_period_open(c, a, scope.street_id, &year, &starts, &ends);
	int64_t community = scope.kind == UNIT_COMMUNITY ? scope.id : 0;
	rc = db_int(c, STMT_DRAFT_INSERT,
		    ARGS(sv_int(scope.street_id), sv_int(year), sv_text(in->title), sv_text(in->description),
			 sv_text(in->category), sv_int(scope.id), sv_text(scope.path), sv_int(in->estimated_cost),
			 sv_text(in->responsible_unit ? in->responsible_unit : ""), sv_id(who->person_id), sv_int(time_now())),
		    0, id);
	if (!rc)
		rc = db_run(c, NULL, STMT_DRAFT_INDEX,
			    ARGS(sv_int(*id), sv_text(needs_index_text(c, a, in->title)),
				 sv_text(needs_index_text(c, a, in->description)),
				 sv_text(need_scope_words(a, scope.street_id, community))),
			    NULL);
	for (size_t i = 0; !rc && i < in->need_count; i++)
		rc = link_source(c, who, &scope, *id, in->need_ids[i], why);
	if (rc)
		return rc;
	audit_entry e = { scope.street_id, "draft.create", "draft", *id,
			  arena_printf(a, "%s, %zu needs, %" PRId64 " yuan, scope unit %" PRId64, in->title, in->need_count,
				       in->estimated_cost, scope.id) };
	return audit_append(c, who, &e);
}

typedef struct draft_job {
	const actor *who;
	const draft_input *in;
	int64_t *id;
	const char **why;
} draft_job;

static gz_err draft_write(store_conn *c, void *ctx)
{
	draft_job *j = ctx;
	return draft_create_in(c, j->who, j->in, j->id, j->why);
}

gz_err draft_create(store *st, const actor *who, const draft_input *in, int64_t *id, const char **why)
{
	if (!who || !who->account_id)
		return GZ_EAUTH;
	draft_job job = { who, in, id, why };
	return store_write(st, draft_write, &job);
}
