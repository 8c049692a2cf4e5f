/*
 * The yearly cycle of the street: each year's three dated stages (问需,
 * 问计, 问效; 问责 runs at any time).  Street staff and administrators
 * (AUTHZ_CONFIGURE_YEAR) change the dates and open next year's cycle with
 * the DESIGN defaults, which they can then adjust.
 */
#include <string.h>

#include "domain/year.h"
#include "pages/page-admin.h"
#include "util/timeutil.h"

static const field year_fields[] = {
	{ "needs_start", FIELD_DATE, true, 0, 0, NULL },   { "needs_end", FIELD_DATE, true, 0, 0, NULL },
	{ "plans_start", FIELD_DATE, true, 0, 0, NULL },   { "plans_end", FIELD_DATE, true, 0, 0, NULL },
	{ "effects_start", FIELD_DATE, true, 0, 0, NULL }, { "effects_end", FIELD_DATE, true, 0, 0, NULL },
};

static void cycle_form(request *r, const year_cycle *y)
{
	int64_t now = time_now();
	html_fmt(r, "<section class=\"cycle\" id=\"y%d\"><h2>%s</h2>", y->year, trf(r, "admin.year.cycle", y->year));
	html_fmt(r, "<form method=\"post\" action=\"/admin/year/%d\" class=\"stack\">", y->year);
	form_csrf(r);
	html_fmt(r, "<div class=\"table-wrap\"><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
		 tr(r, "admin.year.stage"), tr(r, "admin.year.start"), tr(r, "admin.year.end"));
	for (int s = 0; s < STAGE__MAX; s++) {
		const char *name = stage_name((stage)s);
		const char *label = tr(r, arena_printf(&r->mem, "stage.%s", name));
		html_fmt(r, "<tr><th scope=\"row\">%s</th><td><input type=\"date\" name=\"%s_start\" value=\"%s\" required "
			    "aria-label=\"%s %s\"></td><td><input type=\"date\" name=\"%s_end\" value=\"%s\" required "
			    "aria-label=\"%s %s\"></td><td>%s</td></tr>",
			 label, name, admin_date(r, y->start[s]), label, tr(r, "admin.year.start"), name,
			 admin_date(r, y->end[s]), label, tr(r, "admin.year.end"),
			 year_in_stage(y, (stage)s, now) ? tr(r, "admin.year.now") : "");
	}
	html_fmt(r, "</tbody></table></div><button type=\"submit\">%s</button></form></section>",
		 trf(r, "admin.year.save", y->year));
}

static gz_err year_page_render(request *r, const char *error)
{
	year_cycle *cycles;
	size_t count;
	gz_err rc = year_list(r->db, &r->mem, req_app(r)->street_id, &cycles, &count);
	if (rc)
		return rc;
	page_begin(r, tr(r, "admin.year.title"));
	admin_heading(r, tr(r, "admin.year.title"));
	if (error)
		page_notice(r, "error", error);
	else if (req_query(r, "saved"))
		page_notice(r, "ok", tr(r, "admin.saved"));
	else if (req_query(r, "created"))
		page_notice(r, "ok", tr(r, "admin.year.created"));
	html_fmt(r, "<p class=\"hint\">%s</p><p class=\"hint\">%s</p>", tr(r, "admin.year.about"), tr(r, "admin.year.rules"));
	int next = count ? cycles[0].year + 1 : time_year(time_now());
	html_markup(r, "<form method=\"post\" action=\"/admin/year/next\" class=\"inline\">");
	form_csrf(r);
	html_fmt(r, "<button type=\"submit\">%s</button></form>", trf(r, "admin.year.create_next", next));
	for (size_t i = 0; i < count; i++)
		cycle_form(r, &cycles[i]);
	if (!count)
		html_fmt(r, "<p>%s</p>", tr(r, "admin.year.none"));
	page_end(r);
	return GZ_OK;
}

gz_err admin_year_page(request *r)
{
	if (!admin_can(r, AUTHZ_CONFIGURE_YEAR, ""))
		return admin_refuse(r, "admin.refused.year");
	return year_page_render(r, NULL);
}

gz_err admin_year_next(request *r)
{
	if (!admin_can(r, AUTHZ_CONFIGURE_YEAR, ""))
		return admin_refuse(r, "admin.refused.year");
	year_cycle *cycles;
	size_t count;
	gz_err rc = year_list(r->db, &r->mem, req_app(r)->street_id, &cycles, &count);
	if (rc)
		return rc;
	year_cycle next;
	year_defaults(count ? cycles[0].year + 1 : time_year(time_now()), &next);
	if ((rc = year_save(req_app(r)->st, r->user, req_app(r)->street_id, &next)) == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.year");
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/year?created=1#y%d", next.year));
	return GZ_OK;
}

/* The first rule the dates break, as a sentence; NULL when sound. */
static const char *cycle_problem(request *r, const year_cycle *y)
{
	for (int s = 0; s < STAGE__MAX; s++) {
		const char *label = tr(r, arena_printf(&r->mem, "stage.%s", stage_name((stage)s)));
		if (y->end[s] < y->start[s])
			return trf(r, "admin.year.bad.order", label);
		if (s > 0 && y->start[s] <= y->end[s - 1])
			return trf(r, "admin.year.bad.sequence", label,
				   tr(r, arena_printf(&r->mem, "stage.%s", stage_name((stage)(s - 1)))));
	}
	return NULL;
}

gz_err admin_year_update(request *r)
{
	if (!admin_can(r, AUTHZ_CONFIGURE_YEAR, ""))
		return admin_refuse(r, "admin.refused.year");
	int64_t year = req_id_param(r, 0);
	year_cycle y;
	gz_err rc = year >= 2000 && year <= 2200 ? year_get(r->db, &r->mem, req_app(r)->street_id, (int)year, &y)
						 : GZ_ENOTFOUND;
	if (rc)
		return rc;
	field_value v[INPUT_COUNT(year_fields)];
	const char *bad;
	if (input_read(r, year_fields, INPUT_COUNT(year_fields), v, &bad)) {
		r->status = 400;
		return year_page_render(r, tr(r, "admin.year.bad.date"));
	}
	for (int s = 0; s < STAGE__MAX; s++) {
		y.start[s] = v[2 * s].number;
		y.end[s] = v[2 * s + 1].number;
	}
	const char *problem = cycle_problem(r, &y);
	if (problem) {
		r->status = 400;
		return year_page_render(r, problem);
	}
	rc = year_save(req_app(r)->st, r->user, req_app(r)->street_id, &y);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.year");
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/year?saved=1#y%d", y.year));
	return GZ_OK;
}
