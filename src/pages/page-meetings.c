/*
 * Community meetings recorded for needs intake: the public list and record
 * of each meeting with the needs raised there; for staff, recording a
 * meeting and adding each need raised at it.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/authz.h"
#include "domain/meetings.h"
#include "domain/needs.h"
#include "domain/org.h"
#include "http/input.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/timeutil.h"

#define LIST_PAGE 20

static int64_t page_number(request *r)
{
	const char *p = req_query(r, "page");
	long long n = p ? atoll(p) : 1;
	return n < 1 || n > 100000 ? 1 : n;
}

/* Communities where the signed-in person may record meetings. */
static gz_err recordable_communities(request *r, org_unit **out, size_t *count)
{
	org_unit *units;
	size_t n;
	*count = 0;
	if (!r->user)
		return GZ_OK;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, UNIT_COMMUNITY, &units, &n);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(&r->mem, org_unit, n + 1);
	for (size_t i = 0; i < n; i++)
		if (authz_can(r->user, AUTHZ_CURATE_NEEDS, (authz_target){ units[i].street_id, units[i].path }))
			(*out)[(*count)++] = units[i];
	return GZ_OK;
}

static gz_err meetings_list(request *r)
{
	int64_t page = page_number(r), total;
	community_meeting *list;
	size_t count, mine;
	org_unit *units;
	gz_err rc = community_meeting_list(r->db, &r->mem, req_app(r)->street_id, "", LIST_PAGE, (page - 1) * LIST_PAGE,
					   &list, &count, &total);
	if (!rc)
		rc = recordable_communities(r, &units, &mine);
	if (rc)
		return rc;
	page_begin(r, tr(r, "meeting.list.title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "meeting.list.title"), tr(r, "meeting.list.intro"));
	if (mine)
		html_fmt(r, "<p><a class=\"button\" href=\"/meetings/new\">%s</a></p>", tr(r, "meeting.new.title"));
	if (!count)
		html_fmt(r, "<p class=\"empty\">%s</p>", tr(r, "meeting.list.empty"));
	else
		html_fmt(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"num\">%s</th></tr>"
			    "</thead><tbody>",
			 tr(r, "meeting.field.date"), tr(r, "meeting.field.title"), tr(r, "org.community"),
			 tr(r, "meeting.field.place"), tr(r, "meeting.field.attendance"));
	for (size_t i = 0; i < count; i++) {
		char day[11];
		time_format_date(list[i].held_on, day);
		html_fmt(r, "<tr><td>%s</td><td><a href=\"/meetings/%lld\">%s</a></td><td>%s</td><td>%s</td>"
			    "<td class=\"num\">%lld</td></tr>",
			 day, (long long)list[i].id, list[i].title, list[i].unit_name, list[i].place,
			 (long long)list[i].attendance);
	}
	if (count)
		html_markup(r, "</tbody></table>");
	page_pager(r, "/meetings", page, (total + LIST_PAGE - 1) / LIST_PAGE);
	page_end(r);
	return GZ_OK;
}

/* ---- recording a meeting ---- */

static const field meeting_fields[] = {
	{ "unit", FIELD_ID, true, 0, 0, NULL },
	{ "title", FIELD_LINE, true, 1, MEETING_TITLE_MAX, NULL },
	{ "held_on", FIELD_DATE, true, 0, 0, NULL },
	{ "place", FIELD_LINE, true, 1, MEETING_PLACE_MAX, NULL },
	{ "attendance", FIELD_INT, true, 1, MEETING_ATTENDANCE_MAX, NULL },
	{ "notes", FIELD_TEXT, false, 0, MEETING_NOTES_MAX, NULL },
};

static gz_err new_form(request *r, const field_value *v, const char *error)
{
	org_unit *units;
	size_t count;
	gz_err rc = recordable_communities(r, &units, &count);
	if (rc)
		return rc;
	if (!count)
		return GZ_EFORBIDDEN;
	char today[11];
	time_format_date(time_now(), today);
	page_begin(r, tr(r, "meeting.new.title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "meeting.new.title"), tr(r, "meeting.new.intro"));
	if (error)
		page_notice(r, "error", error);
	html_markup(r, "<form method=\"post\" action=\"/meetings/new\" class=\"stack\">");
	form_csrf(r);
	html_fmt(r, "<label for=\"f-unit\">%s</label><select id=\"f-unit\" name=\"unit\" required>", tr(r, "org.community"));
	for (size_t i = 0; i < count; i++)
		html_fmt(r, "<option value=\"%lld\"%s>%s</option>", (long long)units[i].id,
			 v && v[0].number == units[i].id ? " selected" : "", units[i].name);
	html_fmt(r, "</select><label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" required "
		    "maxlength=\"%d\" value=\"%s\" placeholder=\"%s\">",
		 tr(r, "meeting.field.title"), MEETING_TITLE_MAX, v ? v[1].text : "", tr(r, "meeting.field.title_example"));
	html_fmt(r, "<label for=\"f-date\">%s</label><input id=\"f-date\" name=\"held_on\" type=\"date\" required "
		    "max=\"%s\" value=\"%s\">",
		 tr(r, "meeting.field.date"), today, v && v[2].present ? v[2].text : today);
	html_fmt(r, "<label for=\"f-place\">%s</label><input id=\"f-place\" name=\"place\" required maxlength=\"%d\" "
		    "value=\"%s\">",
		 tr(r, "meeting.field.place"), MEETING_PLACE_MAX, v ? v[3].text : "");
	html_fmt(r, "<label for=\"f-att\">%s</label><input id=\"f-att\" name=\"attendance\" type=\"number\" min=\"1\" "
		    "max=\"%d\" required value=\"%s\">",
		 tr(r, "meeting.field.attendance"), MEETING_ATTENDANCE_MAX, v ? v[4].text : "");
	html_fmt(r, "<label for=\"f-notes\">%s</label><textarea id=\"f-notes\" name=\"notes\" rows=\"4\" maxlength=\"%d\">"
		    "%s</textarea><button type=\"submit\">%s</button></form>",
		 tr(r, "meeting.field.notes"), MEETING_NOTES_MAX, v ? v[5].text : "", tr(r, "meeting.new.submit"));
	page_end(r);
	return GZ_OK;
}

static gz_err meeting_new_get(request *r)
{
	return new_form(r, NULL, NULL);
}

static gz_err meeting_new_post(request *r)
{
	field_value v[INPUT_COUNT(meeting_fields)];
	const char *bad;
	if (input_read(r, meeting_fields, INPUT_COUNT(meeting_fields), v, &bad)) {
		r->status = 400;
		return new_form(r, v, tr(r, arena_printf(&r->mem, "meeting.bad.%s", bad)));
	}
	meeting_input in = { v[0].number, v[1].text, v[2].number, v[3].text, v[4].number, v[5].text };
	meeting_refusal why;
	int64_t id;
	gz_err rc = community_meeting_create(req_app(r)->st, r->user, &in, &id, &why);
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return new_form(r, v, tr(r, why.key ? why.key : "err.invalid"));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/meetings/%lld", (long long)id));
	return GZ_OK;
}

/* ---- one meeting and its needs ---- */

static const field need_fields[] = {
	{ "title", FIELD_LINE, true, NEED_TITLE_MIN, NEED_TITLE_MAX, NULL },
	{ "body", FIELD_TEXT, true, NEED_BODY_MIN, NEED_BODY_MAX, NULL },
	{ "category", FIELD_LINE, true, 1, 40, NULL },
	{ "submitter", FIELD_LINE, false, 1, 40, NULL },
	{ "address", FIELD_LINE, false, 1, NEED_ADDRESS_MAX, NULL },
};

static gz_err need_form(request *r, const community_meeting *m, const field_value *v)
{
	const char **cats;
	size_t ncats;
	gz_err rc = need_categories(r->db, &r->mem, m->street_id, &cats, &ncats);
	if (rc)
		return rc;
	html_fmt(r, "<h2 id=\"add\">%s</h2><form method=\"post\" action=\"/meetings/%lld/needs\" class=\"stack\">",
		 tr(r, "meeting.need.add"), (long long)m->id);
	form_csrf(r);
	html_fmt(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" required maxlength=\"%d\" "
		    "value=\"%s\">",
		 tr(r, "meeting.need.title"), NEED_TITLE_MAX, v ? v[0].text : "");
	html_fmt(r, "<label for=\"f-body\">%s</label><textarea id=\"f-body\" name=\"body\" rows=\"4\" required "
		    "maxlength=\"%d\">%s</textarea>",
		 tr(r, "meeting.need.body"), NEED_BODY_MAX, v ? v[1].text : "");
	html_fmt(r, "<label for=\"f-category\">%s</label><select id=\"f-category\" name=\"category\">",
		 tr(r, "meeting.need.category"));
	for (size_t i = 0; i < ncats; i++)
		html_fmt(r, "<option%s>%s</option>", v && v[2].text && !strcmp(v[2].text, cats[i]) ? " selected" : "",
			 cats[i]);
	html_fmt(r, "</select><label for=\"f-submitter\">%s</label><input id=\"f-submitter\" name=\"submitter\" "
		    "maxlength=\"40\" value=\"%s\" aria-describedby=\"h-submitter\"><small id=\"h-submitter\">%s</small>",
		 tr(r, "meeting.need.submitter"), v ? v[3].text : "", tr(r, "meeting.need.submitter_help"));
	html_fmt(r, "<label for=\"f-address\">%s</label><input id=\"f-address\" name=\"address\" maxlength=\"%d\" "
		    "value=\"%s\"><button type=\"submit\">%s</button></form>",
		 tr(r, "meeting.need.address"), NEED_ADDRESS_MAX, v ? v[4].text : "", tr(r, "meeting.need.add"));
	return GZ_OK;
}

static gz_err meeting_page(request *r, const community_meeting *m, const field_value *v, const char *error)
{
	meeting_need *needs;
	size_t count;
	gz_err rc = community_meeting_needs(r->db, &r->mem, m->street_id, m->id, &needs, &count);
	if (rc)
		return rc;
	char day[11];
	time_format_date(m->held_on, day);
	page_begin(r, m->title);
	html_fmt(r, "<p><a href=\"/meetings\">%s</a></p><h1>%s</h1>", tr(r, "meeting.list.title"), m->title);
	html_fmt(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><time datetime=\"%s\">%s</time></dd>",
		 tr(r, "org.community"), m->unit_name, tr(r, "meeting.field.date"), day, day);
	html_fmt(r, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%lld</dd></dl>", tr(r, "meeting.field.place"), m->place,
		 tr(r, "meeting.field.attendance"), (long long)m->attendance);
	if (*m->notes)
		html_fmt(r, "<p class=\"notes\">%s</p>", m->notes);
	if (error)
		page_notice(r, "error", error);
	else if (req_query(r, "added"))
		page_notice(r, "ok", tr(r, "meeting.need.added"));
	html_fmt(r, "<h2>%s</h2>", trf(r, "meeting.needs_n", (long long)count));
	if (!count)
		html_fmt(r, "<p class=\"empty\">%s</p>", tr(r, "meeting.needs_empty"));
	html_markup(r, "<ul class=\"needs\">");
	for (size_t i = 0; i < count; i++) {
		html_fmt(r, "<li><a href=\"/needs/%lld\">%s</a> <span class=\"tag\">%s</span> <span class=\"tag\">%s</span>"
			    "</li>",
			 (long long)needs[i].id, needs[i].hidden ? tr(r, "meeting.need.hidden") : needs[i].title,
			 needs[i].category,
			 tr(r, arena_printf(&r->mem, "meeting.status.%s", need_status_name(needs[i].status))));
	}
	html_markup(r, "</ul>");
	if (r->user && community_meeting_can_record(r->user, m) && (rc = need_form(r, m, v)))
		return rc;
	page_end(r);
	return GZ_OK;
}

static gz_err load_meeting(request *r, community_meeting *m)
{
	int64_t id = req_id_param(r, 0);
	gz_err rc = id ? community_meeting_get(r->db, &r->mem, id, m) : GZ_ENOTFOUND;
	if (!rc && m->street_id != req_app(r)->street_id)
		rc = GZ_ENOTFOUND;
	return rc;
}

static gz_err meeting_get(request *r)
{
	community_meeting m;
	gz_err rc = load_meeting(r, &m);
	return rc ? rc : meeting_page(r, &m, NULL, NULL);
}

static gz_err meeting_need_post(request *r)
{
	community_meeting m;
	gz_err rc = load_meeting(r, &m);
	if (rc)
		return rc;
	if (!community_meeting_can_record(r->user, &m))
		return GZ_EFORBIDDEN;
	field_value v[INPUT_COUNT(need_fields)];
	const char *bad;
	if (input_read(r, need_fields, INPUT_COUNT(need_fields), v, &bad)) {
		r->status = 400;
		return meeting_page(r, &m, v, tr(r, arena_printf(&r->mem, "meeting.need.bad.%s", bad)));
	}
	/* Someone at the meeting raised it; when no name was taken down, say so
	 * rather than let the need pass as the staff member's own. */
	need_input in = { .title = v[0].text, .body = v[1].text, .category = v[2].text, .unit_id = m.unit_id,
			  .address = v[4].text,
			  .submitter_name = v[3].present ? v[3].text : tr(r, "meeting.need.anonymous") };
	need_refusal why = { NULL };
	int64_t need_id;
	rc = community_meeting_add_need(req_app(r)->st, r->user, m.id, &in, &need_id, &why);
	if (rc == GZ_EINVAL || rc == GZ_ETOOBIG) {
		r->status = gz_err_status(rc);
		return meeting_page(r, &m, v, tr(r, why.key ? why.key : "err.invalid"));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/meetings/%lld?added=1#add", (long long)m.id));
	return GZ_OK;
}

const route page_meetings_routes[] = {
	{ HTTP_GET, "/meetings", meetings_list, 0 },
	{ HTTP_GET, "/meetings/new", meeting_new_get, ROUTE_LOGIN },
	{ HTTP_POST, "/meetings/new", meeting_new_post, ROUTE_LOGIN },
	{ HTTP_GET, "/meetings/:id", meeting_get, 0 },
	{ HTTP_POST, "/meetings/:id/needs", meeting_need_post, ROUTE_LOGIN },
	{ 0 },
};
