/*
 * Administration: the dashboard, what the administration pages share, and
 * the route table of the family.  The pages themselves are in
 * page-admin-org.c (the tree), page-admin-people.c (people and roles),
 * page-admin-year.c (the yearly cycle) and page-admin-audit.c (the log).
 */
#include "pages/page-admin.h"

#include <string.h>

#include "routes/routes.h"
#include "util/timeutil.h"

/* ---- asking authz_can ---- */

bool admin_can(request *r, authz_action action, const char *unit_path)
{
	return r->user && authz_can(r->user, action, (authz_target){ req_app(r)->street_id, unit_path });
}

const char *admin_scope(request *r, authz_action action)
{
	if (!r->user)
		return NULL;
	if (admin_can(r, action, ""))
		return "";
	/* A role held in a unit reaches that unit's subtree: try each. */
	for (size_t i = 0; i < r->user->role_count; i++)
		if (admin_can(r, action, r->user->roles[i].unit_path))
			return r->user->roles[i].unit_path;
	return NULL;
}

bool admin_can_somewhere(request *r, authz_action action)
{
	return admin_scope(r, action) != NULL;
}

bool admin_may_enter(request *r)
{
	static const authz_action any_of[] = { AUTHZ_MANAGE_ORG, AUTHZ_MANAGE_PEOPLE, AUTHZ_MANAGE_ROLES,
					       AUTHZ_CONFIGURE_YEAR, AUTHZ_VIEW_AUDIT };
	for (size_t i = 0; i < sizeof(any_of) / sizeof(any_of[0]); i++)
		if (admin_can_somewhere(r, any_of[i]))
			return true;
	return false;
}

gz_err admin_fail(request *r, gz_err err, const char *key)
{
	page_error(r, err, key);
	return GZ_OK;
}

gz_err admin_fail_text(request *r, int status, const char *text)
{
	buf_reset(&r->out);
	r->status = status;
	const char *title = tr(r, arena_printf(&r->mem, "err.title.%d", status));
	page_begin(r, title);
	html_fmt(r, "<section class=\"error\"><h1>%s</h1><p>%s</p><p><a href=\"/admin\">%s</a></p></section>", title, text,
		 tr(r, "admin.back_admin"));
	page_end(r);
	return GZ_OK;
}

gz_err admin_refuse(request *r, const char *key)
{
	return admin_fail(r, GZ_EFORBIDDEN, key);
}

/* ---- labels and form pieces ---- */

const char *admin_role_label(request *r, role_kind role, delegate_kind delegate)
{
	if (role == ROLE_DELEGATE && delegate != DELEGATE_NONE)
		return trf(r, "admin.role.delegate_of", tr(r, arena_printf(&r->mem, "delegate.%s",
									     delegate_kind_name(delegate))));
	return tr(r, arena_printf(&r->mem, "role.%s", role_name(role)));
}

const char *admin_unit_kind_label(request *r, unit_kind kind)
{
	return tr(r, arena_printf(&r->mem, "admin.unit_kind.%s", unit_kind_name(kind)));
}

void admin_input_in(request *r, const char *form, const char *name, const char *label_key, const char *type,
		    const char *value, const char *extra)
{
	/* Two forms on one page may share field names, never element ids. */
	const char *id = form ? arena_printf(&r->mem, "f-%s-%s", form, name) : arena_printf(&r->mem, "f-%s", name);
	html_fmt(r, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" type=\"%s\" value=\"%s\"", id,
		 tr(r, label_key), id, name, type, value ? value : "");
	html_markup(r, extra ? extra : "");
	html_markup(r, ">");
}

void admin_input(request *r, const char *name, const char *label_key, const char *type, const char *value,
		 const char *extra)
{
	admin_input_in(r, NULL, name, label_key, type, value, extra);
}

void admin_checkbox(request *r, const char *name, const char *label_key, bool checked)
{
	html_fmt(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%s> %s</label>", name,
		 checked ? " checked" : "", tr(r, label_key));
}

const char *admin_date(request *r, int64_t t)
{
	if (!t)
		return "";
	char *out = arena_alloc(&r->mem, 11);
	time_format_date(t, out);
	return out;
}

void admin_heading(request *r, const char *title)
{
	html_fmt(r, "<nav class=\"crumbs\"><a href=\"/admin\">%s</a> › %s</nav><h1>%s</h1>", tr(r, "nav.admin"), title,
		 title);
}

/* ---- the roster of a community's delegates ---- */

gz_err admin_roster_section(request *r, const org_unit *community)
{
	roster_member *members;
	size_t count;
	roster_share share;
	gz_err rc = delegate_roster(r->db, &r->mem, community->street_id, community->id, time_now(), &members, &count,
				    &share);
	if (rc)
		return rc;
	bool restricted = admin_can(r, AUTHZ_VIEW_RESTRICTED, community->path);
	html_fmt(r, "<section class=\"roster\" id=\"roster\"><h2>%s</h2><p class=\"hint\">%s</p>",
		 tr(r, "admin.roster.title"), tr(r, "admin.roster.rule"));
	if (!count) {
		html_fmt(r, "<p>%s</p></section>", tr(r, "admin.roster.empty"));
		return GZ_OK;
	}
	if (restricted) {
		html_fmt(r, "<p class=\"share\">%s</p>",
			 trf(r, "admin.roster.share", (int)share.delegates, (int)share.party_members,
			     (int)(share.party_members * 100 / share.delegates)));
		if (!share.party_majority)
			page_notice(r, "error", tr(r, "admin.roster.warning"));
	}
	html_fmt(r, "<div class=\"table-wrap\"><table><thead><tr><th>%s</th><th>%s</th>", tr(r, "person.name"),
		 tr(r, "admin.roster.kind"));
	if (restricted)
		html_fmt(r, "<th>%s</th>", tr(r, "person.party_member"));
	html_markup(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < count; i++) {
		html_fmt(r, "<tr><td><a href=\"/admin/people/%lld\">%s</a></td><td>%s</td>", (long long)members[i].person_id,
			 members[i].name, admin_role_label(r, ROLE_DELEGATE, members[i].kind));
		if (restricted)
			html_fmt(r, "<td>%s</td>", tr(r, members[i].party_member ? "admin.yes" : "admin.no"));
		html_markup(r, "</tr>");
	}
	html_markup(r, "</tbody></table></div></section>");
	return GZ_OK;
}

/* ---- the dashboard ---- */

static void dashboard_card(request *r, const char *href, const char *key, const char *ability_key)
{
	html_fmt(r, "<article class=\"stage-card\"><h3><a href=\"%s\">%s</a></h3><p>%s</p><p class=\"hint\">%s</p>"
		    "</article>",
		 href, tr(r, arena_printf(&r->mem, "admin.%s.title", key)),
		 tr(r, arena_printf(&r->mem, "admin.%s.about", key)), tr(r, ability_key));
}

/* Each community's party share, for the communities whose party data the
 * user may see. */
static gz_err dashboard_shares(request *r)
{
	org_unit *communities;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, UNIT_COMMUNITY, &communities, &count);
	if (rc)
		return rc;
	bool header = false;
	for (size_t i = 0; i < count; i++) {
		if (!admin_can(r, AUTHZ_VIEW_RESTRICTED, communities[i].path))
			continue;
		roster_member *members;
		size_t n;
		roster_share share;
		if ((rc = delegate_roster(r->db, &r->mem, communities[i].street_id, communities[i].id, time_now(),
					  &members, &n, &share)))
			return rc;
		if (!header) {
			html_fmt(r, "<section><h2>%s</h2><p class=\"hint\">%s</p><div class=\"table-wrap\"><table><thead><tr>"
				    "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th></tr></thead><tbody>",
				 tr(r, "admin.shares.title"), tr(r, "admin.roster.rule"), tr(r, "org.community"),
				 tr(r, "admin.shares.delegates"), tr(r, "admin.shares.party"), tr(r, "admin.shares.status"));
			header = true;
		}
		html_fmt(r, "<tr><td><a href=\"/admin/units/%lld#roster\">%s</a></td><td class=\"num\">%lld</td>"
			    "<td class=\"num\">%lld</td><td>%s</td></tr>",
			 (long long)communities[i].id, communities[i].name, (long long)share.delegates,
			 (long long)share.party_members,
			 tr(r, share.party_majority ? "admin.shares.ok" : "admin.shares.warning"));
	}
	if (header)
		html_markup(r, "</tbody></table></div></section>");
	return GZ_OK;
}

gz_err admin_dashboard(request *r)
{
	if (!admin_may_enter(r))
		return admin_refuse(r, "admin.refused.enter");
	page_begin(r, tr(r, "nav.admin"));
	html_fmt(r, "<h1>%s</h1><p>%s</p><section class=\"year\">", tr(r, "nav.admin"), tr(r, "admin.intro"));
	dashboard_card(r, "/admin/units", "units", admin_can(r, AUTHZ_MANAGE_ORG, "") ? "admin.can.manage" : "admin.can.view");
	const char *people_scope = admin_scope(r, AUTHZ_MANAGE_PEOPLE);
	if (people_scope)
		dashboard_card(r, "/admin/people", "people",
			       !*people_scope ? "admin.can.street"
			       : admin_can(r, AUTHZ_MANAGE_ROLES, "") ? "admin.can.manage" : "admin.can.community");
	if (admin_can(r, AUTHZ_CONFIGURE_YEAR, ""))
		dashboard_card(r, "/admin/year", "year", "admin.can.manage");
	if (admin_can(r, AUTHZ_VIEW_AUDIT, ""))
		dashboard_card(r, "/admin/audit", "audit", "admin.can.view");
	html_markup(r, "</section>");
	gz_err rc = dashboard_shares(r);
	if (rc)
		return rc;
	page_end(r);
	return GZ_OK;
}

/* Literal segments come before :id patterns that would also match them. */
const route page_admin_routes[] = {
	{ HTTP_GET, "/admin", admin_dashboard, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/units", admin_units_page, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/units/:id", admin_unit_page, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/units/:id", admin_unit_update, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/units/:id/children", admin_unit_add_child, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/units/:id/delete", admin_unit_delete_confirm, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/units/:id/delete", admin_unit_delete, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/people", admin_people_page, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/people/new", admin_person_new_page, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/people/new", admin_person_create, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/people/:id", admin_person_page, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/people/:id", admin_person_update, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/people/:id/verify", admin_person_verify, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/people/:id/roles", admin_role_assign, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/roles/:id/end", admin_role_end_confirm, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/roles/:id/end", admin_role_end, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/year", admin_year_page, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/year/next", admin_year_next, ROUTE_LOGIN },
	{ HTTP_POST, "/admin/year/:year", admin_year_update, ROUTE_LOGIN },
	{ HTTP_GET, "/admin/audit", admin_audit_page, ROUTE_LOGIN },
	{ 0 },
};
