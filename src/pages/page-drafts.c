/* Draft matters (拟办实事意向): the list and search, one draft with the needs
 * it came from, and the staff form that consolidates needs into one. */
#include <stdlib.h>
#include <string.h>

#include "domain/authz.h"
#include "domain/drafts.h"
#include "domain/org.h"
#include "http/input.h"
#include "pages/page-needs.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/timeutil.h"

#define DRAFTS_PER_PAGE 20

static const field draft_filter_fields[] = {
	{ "q", FIELD_LINE, false, 0, 100, NULL },
	{ "category", FIELD_LINE, false, 0, 20, NULL },
	{ "scope", FIELD_ID, false, 0, 0, NULL },
	{ "page", FIELD_INT, false, 1, 100000, NULL },
};

gz_err drafts_read_filter(request *r, draft_filter *f, int64_t *page)
{
	field_value v[INPUT_COUNT(draft_filter_fields)];
	const char *bad;
	*f = (draft_filter){ .limit = DRAFTS_PER_PAGE };
	*page = 1;
	if (input_read(r, draft_filter_fields, INPUT_COUNT(draft_filter_fields), v, &bad))
		return GZ_EINVAL;
	f->q = v[0].present ? v[0].text : NULL;
	f->category = v[1].present ? v[1].text : NULL;
	f->scope_unit_id = v[2].present ? v[2].number : 0;
	*page = v[3].present ? v[3].number : 1;
	f->offset = (*page - 1) * DRAFTS_PER_PAGE;
	return GZ_OK;
}

static void draft_card(request *r, const draft *d)
{
	html_fmt(r, "<article class=\"draft-card\"><h3><a href=\"/drafts/%lld\">%s</a></h3><p class=\"meta\">"
		    "<span class=\"tag\">%s</span> %s · %s</p><p class=\"counts\">%s",
		 (long long)d->id, d->title, d->category, d->street_wide ? tr(r, "draft.street_wide") : d->scope_name,
		 trf(r, "draft.cost_yuan", (long long)d->estimated_cost), trf(r, "draft.needs_n", (long long)d->need_count));
	if (d->people)
		html_fmt(r, " · %s", trf(r, "need.people_n", (long long)d->people));
	html_markup(r, "</p></article>");
}

static gz_err drafts_index(request *r)
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
	page_begin(r, tr(r, "draft.list_title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p><form method=\"get\" action=\"/drafts\" class=\"filters\" role=\"search\">"
		    "<label for=\"f-q\">%s</label><input id=\"f-q\" name=\"q\" type=\"search\" maxlength=\"100\" value=\"%s\">"
		    "<button type=\"submit\">%s</button></form>",
		 tr(r, "draft.list_title"), tr(r, "draft.list_intro"), tr(r, "need.search"), f.q ? f.q : "",
		 tr(r, "need.search_submit"));
	html_fmt(r, "<p class=\"result-count\">%s</p><div class=\"draft-list\">", trf(r, "draft.found_n", (long long)total));
	for (size_t i = 0; i < count; i++)
		draft_card(r, &list[i]);
	html_markup(r, "</div>");
	page_pager(r, "/drafts", page, (total + DRAFTS_PER_PAGE - 1) / DRAFTS_PER_PAGE);
	html_fmt(r, "<p><a href=\"/needs\">%s</a></p>", tr(r, "need.back_to_list"));
	page_end(r);
	return GZ_OK;
}

static gz_err draft_page(request *r)
{
	int64_t id = req_id_param(r, 0);
	draft d;
	gz_err rc = id ? draft_get(r->db, &r->mem, req_app(r)->street_id, id, &d) : GZ_ENOTFOUND;
	need *sources;
	size_t count;
	if (!rc)
		rc = draft_sources(r->db, &r->mem, req_app(r)->street_id, id, &sources, &count);
	if (rc)
		return rc;
	char day[11];
	time_format_date(d.created_at, day);
	page_begin(r, d.title);
	if (req_query(r, "created"))
		page_notice(r, "ok", tr(r, "draft.created"));
	html_fmt(r, "<article class=\"draft\"><h1>%s</h1><p class=\"meta\"><span class=\"tag\">%s</span> %s</p>"
		    "<div class=\"need-body\">%s</div><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
		    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd id=\"draft-people\">%s</dd></dl></article>",
		 d.title, d.category, day, d.description, tr(r, "draft.scope"),
		 d.street_wide ? tr(r, "draft.street_wide") : d.scope_name, tr(r, "draft.cost"),
		 trf(r, "draft.cost_yuan", (long long)d.estimated_cost), tr(r, "draft.responsible"),
		 *d.responsible_unit ? d.responsible_unit : "—", tr(r, "draft.sources"),
		 trf(r, "draft.needs_n", (long long)d.need_count), tr(r, "draft.people"),
		 trf(r, "need.people_n", (long long)d.people));
	html_fmt(r, "<section><h2>%s</h2><p class=\"hint\">%s</p><div class=\"need-list\">", tr(r, "draft.sources"),
		 tr(r, "draft.sources_help"));
	for (size_t i = 0; i < count; i++)
		need_card(r, &sources[i], false, false);
	html_fmt(r, "</div></section><p><a href=\"/drafts\">%s</a></p>", tr(r, "draft.back"));
	page_end(r);
	return GZ_OK;
}

/* ---- consolidating ---- */

/* The ids in the repeated "need" field of the query or the form. */
static size_t picked_needs(request *r, int64_t *out, size_t max)
{
	const kv_list *list = r->method == HTTP_POST ? &r->form : &r->query;
	size_t n = 0;
	for (size_t i = 0; i < list->count && n < max; i++) {
		if (strcmp(list->items[i].key, "need"))
			continue;
		char *end;
		long long v = strtoll(list->items[i].value, &end, 10);
		if (*end || v <= 0)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= out[k] == v;
		if (!seen)
			out[n++] = v;
	}
	return n;
}

typedef struct draft_form_values {
	const char *title, *description, *category, *responsible, *cost;
	int64_t scope;
} draft_form_values;

static gz_err draft_form(request *r, const draft_form_values *fv, const char *error)
{
	int64_t ids[DRAFT_MAX_SOURCES];
	size_t n = picked_needs(r, ids, DRAFT_MAX_SOURCES);
	need *needs = ARENA_ARRAY(&r->mem, need, n + 1);
	size_t found = 0;
	int64_t community = 0;
	for (size_t i = 0; i < n; i++)
		if (!need_get(r->db, &r->mem, req_app(r)->street_id, ids[i], &needs[found])) {
			community = community ? community : needs[found].community_id;
			found++;
		}
	if (!found)
		return GZ_EINVAL;
	org_unit *units;
	size_t nunits;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, -1, &units, &nunits);
	if (rc)
		return rc;
	page_begin(r, tr(r, "draft.new_title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "draft.new_title"), tr(r, "draft.new_intro"));
	if (error)
		page_notice(r, "error", error);
	html_markup(r, "<form method=\"post\" action=\"/drafts\" class=\"stack\">");
	form_csrf(r);
	html_fmt(r, "<fieldset><legend>%s</legend>", trf(r, "draft.picked_n", (long long)found));
	for (size_t i = 0; i < found; i++) {
		html_fmt(r, "<input type=\"hidden\" name=\"need\" value=\"%lld\">", (long long)needs[i].id);
		need_card(r, &needs[i], false, false);
	}
	const char *title = fv && fv->title ? fv->title : needs[0].title;
	html_fmt(r, "</fieldset><label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" required maxlength=\"60\" value=\"%s\">"
		    "<label for=\"f-description\">%s</label><textarea id=\"f-description\" name=\"description\" rows=\"6\" required "
		    "maxlength=\"4000\">%s</textarea>",
		 tr(r, "draft.title"), title, tr(r, "draft.description"),
		 fv && fv->description ? fv->description : needs[0].body);
	html_fmt(r, "<label for=\"f-category\">%s</label><select id=\"f-category\" name=\"category\">", tr(r, "need.category"));
	const char **cats;
	size_t ncats;
	if ((rc = need_categories(r->db, &r->mem, req_app(r)->street_id, &cats, &ncats)))
		return rc;
	const char *cat = fv && fv->category ? fv->category : needs[0].category;
	for (size_t i = 0; i < ncats; i++)
		html_fmt(r, "<option%s>%s</option>", !strcmp(cat, cats[i]) ? " selected" : "", cats[i]);
	html_fmt(r, "</select><label for=\"f-scope\">%s</label><select id=\"f-scope\" name=\"scope\">", tr(r, "draft.scope"));
	int64_t scope = fv && fv->scope ? fv->scope : community;
	for (size_t i = 0; i < nunits; i++)
		if (units[i].kind <= UNIT_COMMUNITY)
			html_fmt(r, "<option value=\"%lld\"%s>%s</option>", (long long)units[i].id,
				 units[i].id == scope ? " selected" : "",
				 units[i].kind == UNIT_STREET ? tr(r, "draft.street_wide") : units[i].name);
	html_fmt(r, "</select><label for=\"f-cost\">%s</label><input id=\"f-cost\" name=\"cost\" inputmode=\"numeric\" "
		    "pattern=\"[0-9]*\" value=\"%s\"><label for=\"f-responsible\">%s</label><input id=\"f-responsible\" "
		    "name=\"responsible\" maxlength=\"60\" value=\"%s\"><p class=\"hint\">%s</p><button type=\"submit\">%s</button></form>",
		 tr(r, "draft.cost"), fv && fv->cost ? fv->cost : "0", tr(r, "draft.responsible"),
		 fv && fv->responsible ? fv->responsible : "", tr(r, "draft.create_help"), tr(r, "draft.create"));
	page_end(r);
	return GZ_OK;
}

static gz_err draft_new(request *r)
{
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	return draft_form(r, NULL, NULL);
}

static const field draft_fields[] = {
	{ "title", FIELD_LINE, true, 2, DRAFT_TITLE_MAX, NULL },
	{ "description", FIELD_TEXT, true, 5, DRAFT_DESCRIPTION_MAX, NULL },
	{ "category", FIELD_LINE, true, 1, 20, NULL },
	{ "scope", FIELD_ID, true, 0, 0, NULL },
	{ "cost", FIELD_INT, false, 0, DRAFT_COST_MAX, NULL },
	{ "responsible", FIELD_LINE, false, 0, DRAFT_RESPONSIBLE_MAX, NULL },
};

static gz_err draft_refused(request *r, gz_err rc, const char *why)
{
	const char *scope = req_form(r, "scope");
	draft_form_values fv = { req_form(r, "title"), req_form(r, "description"), req_form(r, "category"),
				 req_form(r, "responsible"), req_form(r, "cost"), scope ? strtoll(scope, NULL, 10) : 0 };
	r->status = gz_err_status(rc);
	const char *text = why ? tr(r, arena_printf(&r->mem, "draft.bad.%s", why))
			       : tr(r, rc == GZ_ECONFLICT ? "draft.conflict" : gz_err_key(rc));
	gz_err shown = draft_form(r, &fv, text);
	return shown == GZ_EINVAL ? rc : shown;
}

static gz_err draft_post(request *r)
{
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	field_value v[INPUT_COUNT(draft_fields)];
	const char *bad;
	if (input_read(r, draft_fields, INPUT_COUNT(draft_fields), v, &bad))
		return draft_refused(r, GZ_EINVAL, bad);
	int64_t ids[DRAFT_MAX_SOURCES];
	size_t n = picked_needs(r, ids, DRAFT_MAX_SOURCES);
	draft_input in = { v[0].text, v[1].text, v[2].text, v[5].present ? v[5].text : "", v[3].number,
			   v[4].present ? v[4].number : 0, ids, n };
	int64_t id;
	const char *why = NULL;
	gz_err rc = draft_create(req_app(r)->st, r->user, &in, &id, &why);
	if (rc == GZ_EINVAL || rc == GZ_ECONFLICT)
		return draft_refused(r, rc, why);
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/drafts/%lld?created=1", (long long)id));
	return GZ_OK;
}

const route page_drafts_routes[] = {
	{ HTTP_GET, "/drafts", drafts_index, 0 },
	{ HTTP_GET, "/drafts/new", draft_new, ROUTE_LOGIN },
	{ HTTP_POST, "/drafts", draft_post, ROUTE_LOGIN },
	{ HTTP_GET, "/drafts/:id", draft_page, 0 },
	{ 0 },
};
