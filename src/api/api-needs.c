/* /api/v1/needs and /api/v1/drafts: the public pages' data as JSON, with the
 * same filters, ?q= search and pagination; submitters masked the same way. */
#include <string.h>

#include "api/api.h"
#include "domain/drafts.h"
#include "domain/needs.h"
#include "pages/page-needs.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/utf8.h"

static json_t *need_json(request *r, const need *n)
{
	bool hide = n->hidden && !need_reader_restricted(r, n);
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:b, s:I, s:I, s:I}", "id", (json_int_t)n->id, "status",
			      need_status_name(n->status), "category", n->category, "community_id",
			      (json_int_t)n->community_id, "community", n->community_name, "channel",
			      need_channel_name(n->channel), "hidden", n->hidden, "supports", (json_int_t)n->supports,
			      "merged_count", (json_int_t)n->merged_count, "created_at", (json_int_t)n->created_at);
	if (!o)
		return NULL;
	json_object_set_new(o, "title", hide ? json_null() : json_string(n->title));
	json_object_set_new(o, "body", hide ? json_null() : json_string(n->body));
	json_object_set_new(o, "submitter", hide ? json_null() : json_string(need_submitter_shown(r, n)));
	json_object_set_new(o, "place", json_string(n->unit_name));
	json_object_set_new(o, "address", hide ? json_null() : json_string(n->address));
	json_object_set_new(o, "hidden_reason", n->hidden ? json_string(n->hidden_reason) : json_null());
	json_object_set_new(o, "merged_into", n->merged_into ? json_integer(n->merged_into) : json_null());
	json_object_set_new(o, "draft_id", n->draft_id ? json_integer(n->draft_id) : json_null());
	json_object_set_new(o, "decline_reason", n->status == NEED_DECLINED ? json_string(n->decline_reason) : json_null());
	json_object_set_new(o, "photos", json_integer(hide ? 0 : n->photo_count));
	json_object_set_new(o, "url", json_sprintf("/needs/%lld", (long long)n->id));
	return o;
}

static json_t *needs_array(request *r, const need *list, size_t count)
{
	json_t *items = json_array();
	for (size_t i = 0; items && i < count; i++)
		json_array_append_new(items, need_json(r, &list[i]));
	return items;
}

static gz_err api_needs(request *r)
{
	need_filter f;
	int64_t page;
	const char *bad;
	if (needs_read_filter(r, &f, &page, NEEDS_PER_PAGE, &bad))
		return GZ_EINVAL;
	need *list;
	size_t count;
	int64_t total;
	gz_err rc = need_list(r->db, &r->mem, req_app(r)->street_id, &f, &list, &count, &total);
	if (rc)
		return rc;
	return api_send(r, 200,
			json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "per_page",
				  (json_int_t)NEEDS_PER_PAGE, "items", needs_array(r, list, count)));
}

static gz_err api_need(request *r)
{
	int64_t id = req_id_param(r, 0);
	need n;
	gz_err rc = id ? need_get(r->db, &r->mem, req_app(r)->street_id, id, &n) : GZ_ENOTFOUND;
	if (rc)
		return rc;
	json_t *o = need_json(r, &n);
	int64_t people = 0;
	need_people(r->db, n.street_id, n.id, &people);
	json_object_set_new(o, "people", json_integer(people));
	return api_send(r, 200, o);
}

/* The resident's text so far; up to 5 open needs like it. */
static gz_err api_similar(request *r)
{
	const char *text = req_query(r, "text");
	if (!text || !utf8_is_clean_text(text, strlen(text)) || utf8_count(text, strlen(text)) > 2100)
		return GZ_EINVAL;
	need *list;
	size_t count;
	gz_err rc = need_similar(r->db, &r->mem, req_app(r)->street_id, text, 0, 5, &list, &count);
	if (rc)
		return rc;
	return api_send(r, 200, json_pack("{s:o}", "items", needs_array(r, list, count)));
}

static json_t *draft_json(const draft *d)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:b, s:I, s:s, s:I, s:I, s:I, s:o}", "id", (json_int_t)d->id,
			 "year", (json_int_t)d->year, "title", d->title, "description", d->description, "category",
			 d->category, "scope_unit_id", (json_int_t)d->scope_unit_id, "scope", d->scope_name, "street_wide",
			 d->street_wide, "estimated_cost", (json_int_t)d->estimated_cost, "responsible_unit",
			 d->responsible_unit, "needs", (json_int_t)d->need_count, "people", (json_int_t)d->people,
			 "created_at", (json_int_t)d->created_at, "url", json_sprintf("/drafts/%lld", (long long)d->id));
}

static gz_err api_drafts(request *r)
{
	draft_filter f;
	int64_t page;
	if (drafts_read_filter(r, &f, &page))
		return GZ_EINVAL;
	draft *list;
	size_t count;
	int64_t total;
	gz_err rc = draft_list(r->db, &r->mem, req_app(r)->street_id, &f, &list, &count, &total);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; items && i < count; i++)
		json_array_append_new(items, draft_json(&list[i]));
	return api_send(r, 200,
			json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "per_page",
				  (json_int_t)20, "items", items));
}

static gz_err api_draft(request *r)
{
	int64_t id = req_id_param(r, 0);
	draft d;
	need *sources;
	size_t count;
	gz_err rc = id ? draft_get(r->db, &r->mem, req_app(r)->street_id, id, &d) : GZ_ENOTFOUND;
	if (!rc)
		rc = draft_sources(r->db, &r->mem, req_app(r)->street_id, id, &sources, &count);
	if (rc)
		return rc;
	json_t *o = draft_json(&d);
	json_object_set_new(o, "sources", needs_array(r, sources, count));
	return api_send(r, 200, o);
}

static gz_err api_accounting(request *r)
{
	need_accounting acc;
	gz_err rc = need_accounting_get(r->db, req_app(r)->street_id, 0, &acc);
	if (rc)
		return rc;
	return api_send(r, 200,
			json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "total", (json_int_t)acc.total, "open",
				  (json_int_t)acc.fate[NEED_OPEN], "consolidated", (json_int_t)acc.fate[NEED_CONSOLIDATED],
				  "declined", (json_int_t)acc.fate[NEED_DECLINED], "withdrawn",
				  (json_int_t)acc.fate[NEED_WITHDRAWN], "merged", (json_int_t)acc.merged, "balanced",
				  acc.balanced));
}

const route api_needs_routes[] = {
	{ HTTP_GET, "/api/v1/needs", api_needs, ROUTE_API },
	{ HTTP_GET, "/api/v1/needs/similar", api_similar, ROUTE_API },
	{ HTTP_GET, "/api/v1/needs/accounting", api_accounting, ROUTE_API },
	{ HTTP_GET, "/api/v1/needs/:id", api_need, ROUTE_API },
	{ HTTP_GET, "/api/v1/drafts", api_drafts, ROUTE_API },
	{ HTTP_GET, "/api/v1/drafts/:id", api_draft, ROUTE_API },
	{ 0 },
};
