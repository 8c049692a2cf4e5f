/* The home page (where the year stands, what a visitor can do now) and the
 * overview page of each stage. */
#include <string.h>

#include "domain/org.h"
#include "domain/year.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/timeutil.h"

static void stage_dates(request *r, const year_cycle *y, stage s)
{
	char from[11], to[11];
	time_format_date(y->start[s], from);
	time_format_date(y->end[s], to);
	html_fmt(r, "<time datetime=\"%s\">%s</time> – <time datetime=\"%s\">%s</time>", from, from, to, to);
}

static void stage_card(request *r, const year_cycle *y, stage s, int64_t now)
{
	const char *name = stage_name(s);
	html_fmt(r, "<article class=\"stage-card stage-%s\"><h3>", name);
	html_text(r, trf(r, "home.year_stage", y->year, tr(r, arena_printf(&r->mem, "stage.%s", name))));
	html_markup(r, "</h3><p class=\"dates\">");
	stage_dates(r, y, s);
	html_markup(r, " · ");
	html_text(r, trf(r, "home.days_left", year_days_left(y, s, now)));
	html_fmt(r, "</p><p>%s</p>", tr(r, arena_printf(&r->mem, "stage.%s.now", name)));
	html_fmt(r, "<p><a class=\"button\" href=\"%s\">%s</a>",
		 s == STAGE_NEEDS ? "/needs/new" : s == STAGE_PLANS ? "/drafts" : "/stage/effects",
		 tr(r, arena_printf(&r->mem, "stage.%s.action", name)));
	if (s == STAGE_NEEDS)
		html_fmt(r, " <a class=\"button secondary\" href=\"/needs\">%s</a> <a href=\"/surveys\">%s</a>",
			 tr(r, "home.browse_needs"), tr(r, "need.surveys_link"));
	html_markup(r, "</p></article>");
}

/* Cards for every stage in progress; the next stage to come when none is. */
static void where_the_year_stands(request *r, const year_cycle *cycles, size_t count, int64_t now)
{
	bool any = false;
	html_fmt(r, "<section class=\"year\"><h2>%s</h2>", tr(r, "home.year_title"));
	for (size_t i = 0; i < count; i++)
		for (int s = 0; s < STAGE__MAX; s++)
			if (year_in_stage(&cycles[i], (stage)s, now)) {
				stage_card(r, &cycles[i], (stage)s, now);
				any = true;
			}
	if (!any)
		html_fmt(r, "<p>%s</p>", tr(r, "home.no_stage"));
	html_fmt(r, "<article class=\"stage-card stage-accountability\"><h3>%s</h3><p>%s</p></article></section>",
		 tr(r, "stage.accountability"), tr(r, "stage.accountability.now"));
}

static void community_budgets(request *r, const org_unit *units, size_t count)
{
	html_fmt(r, "<section class=\"communities\"><h2>%s</h2><p class=\"hint\">%s</p><table><thead><tr>"
		    "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
		 tr(r, "home.communities"), tr(r, "home.budget_formula"), tr(r, "org.community"),
		 tr(r, "org.households"), tr(r, "home.budget"));
	for (size_t i = 0; i < count; i++)
		html_fmt(r, "<tr><td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>", units[i].name,
			 (long long)units[i].households, (long long)community_budget_yuan(units[i].households));
	html_markup(r, "</tbody></table></section>");
}

static gz_err home(request *r)
{
	app *a = req_app(r);
	year_cycle *cycles;
	org_unit *communities;
	size_t ncycles, ncommunities;
	gz_err rc = year_list(r->db, &r->mem, a->street_id, &cycles, &ncycles);
	if (!rc)
		rc = unit_list(r->db, &r->mem, a->street_id, UNIT_COMMUNITY, &communities, &ncommunities);
	if (rc)
		return rc;
	page_begin(r, a->street_name ? a->street_name : tr(r, "site.name"));
	html_fmt(r, "<section class=\"intro\"><h1>%s</h1><p>%s</p></section>", a->street_name ? a->street_name : "",
		 tr(r, "home.intro"));
	if (r->user)
		html_fmt(r, "<p class=\"welcome\">%s</p>",
			 trf(r, "home.welcome", r->user->name));
	where_the_year_stands(r, cycles, ncycles, time_now());
	community_budgets(r, communities, ncommunities);
	page_end(r);
	return GZ_OK;
}

static const char *const stage_pages[] = { "plans", "effects", "accountability" };

static gz_err stage_overview(request *r)
{
	const char *name = r->route_params[0];
	bool known = false;
	for (size_t i = 0; i < sizeof(stage_pages) / sizeof(stage_pages[0]); i++)
		known |= !strcmp(stage_pages[i], name);
	if (!known)
		return GZ_ENOTFOUND;
	year_cycle *cycles;
	size_t count;
	gz_err rc = year_list(r->db, &r->mem, req_app(r)->street_id, &cycles, &count);
	if (rc)
		return rc;
	const char *title = tr(r, arena_printf(&r->mem, "stage.%s", name));
	page_begin(r, title);
	html_fmt(r, "<h1>%s</h1><p>%s</p>", title, tr(r, arena_printf(&r->mem, "stage.%s.about", name)));
	stage s = !strcmp(name, "plans") ? STAGE_PLANS : STAGE_EFFECTS;
	if (strcmp(name, "accountability")) {
		html_fmt(r, "<h2>%s</h2><ul class=\"dates\">", tr(r, "stage.dates"));
		for (size_t i = 0; i < count; i++) {
			html_fmt(r, "<li>%d: ", cycles[i].year);
			stage_dates(r, &cycles[i], s);
			html_markup(r, "</li>");
		}
		html_markup(r, "</ul>");
	}
	page_notice(r, "info", tr(r, "stage.in_progress"));
	page_end(r);
	return GZ_OK;
}

const route page_home_routes[] = {
	{ HTTP_GET, "/", home, ROUTE_CACHE },
	{ HTTP_GET, "/stage/:name", stage_overview, ROUTE_CACHE },
	{ 0 },
};
