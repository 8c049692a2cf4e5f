/*
 * The organisation tree: street -> community -> grid -> building.  Anyone
 * who may enter the administration pages sees the tree; only those with
 * AUTHZ_MANAGE_ORG add, rename or delete units, and a delete goes through a
 * confirmation page that says what would be lost or why it cannot be done.
 */
#include <string.h>

#include "pages/page-admin.h"
#include "util/timeutil.h"

/* The unit named by the path's :id, in this site's street. */
static gz_err load_unit(request *r, org_unit *u)
{
	int64_t id = req_id_param(r, 0);
	gz_err rc = id ? unit_get(r->db, &r->mem, id, u) : GZ_ENOTFOUND;
	if (!rc && u->street_id != req_app(r)->street_id)
		rc = GZ_ENOTFOUND;   /* another street's unit does not exist here */
	return rc;
}

static int unit_depth(const org_unit *u)
{
	int slashes = 0;
	for (const char *p = u->path; *p; p++)
		slashes += *p == '/';
	return slashes > 2 ? slashes - 2 : 0;
}

static void add_child_form(request *r, const org_unit *parent)
{
	if (parent->kind + 1 >= UNIT__MAX)
		return;
	unit_kind child = (unit_kind)(parent->kind + 1);
	html_fmt(r, "<form method=\"post\" action=\"/admin/units/%lld/children\" class=\"stack narrow\"><h2>%s</h2>",
		 (long long)parent->id, trf(r, "admin.unit.add_title", admin_unit_kind_label(r, child)));
	form_csrf(r);
	admin_input_in(r, "new", "name", "admin.unit.name", "text", "", " required maxlength=\"60\"");
	admin_input_in(r, "new", "households", "org.households", "number", "0", " min=\"0\" max=\"10000000\"");
	html_fmt(r, "<small>%s</small><button type=\"submit\">%s</button></form>", tr(r, "admin.unit.households_help"),
		 tr(r, "admin.unit.add"));
}

gz_err admin_units_page(request *r)
{
	if (!admin_may_enter(r))
		return admin_refuse(r, "admin.refused.enter");
	org_unit *units;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, -1, &units, &count);
	if (rc)
		return rc;
	page_begin(r, tr(r, "admin.units.title"));
	admin_heading(r, tr(r, "admin.units.title"));
	if (req_query(r, "deleted"))
		page_notice(r, "ok", tr(r, "admin.unit.deleted"));
	html_fmt(r, "<p class=\"hint\">%s</p><ul class=\"tree\">", tr(r, "admin.units.about"));
	for (size_t i = 0; i < count; i++) {
		html_fmt(r, "<li class=\"depth-%d\"><a href=\"/admin/units/%lld\">%s</a> <span class=\"tag\">%s</span>",
			 unit_depth(&units[i]), (long long)units[i].id, units[i].name,
			 admin_unit_kind_label(r, units[i].kind));
		if (units[i].kind == UNIT_COMMUNITY)
			html_text(r, trf(r, "admin.units.community_facts", (long long)units[i].households,
					 (long long)community_budget_yuan(units[i].households)));
		html_markup(r, "</li>");
	}
	html_markup(r, "</ul>");
	if (count && units[0].kind == UNIT_STREET && admin_can(r, AUTHZ_MANAGE_ORG, units[0].path))
		add_child_form(r, &units[0]);
	page_end(r);
	return GZ_OK;
}

static void unit_facts(request *r, const org_unit *u)
{
	html_fmt(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd>", tr(r, "admin.unit.kind"), admin_unit_kind_label(r, u->kind));
	if (u->parent_id)
		html_fmt(r, "<dt>%s</dt><dd><a href=\"/admin/units/%lld\">%s</a></dd>", tr(r, "admin.unit.parent"),
			 (long long)u->parent_id, tr(r, "admin.unit.parent_link"));
	html_fmt(r, "<dt>%s</dt><dd>%lld</dd>", tr(r, "org.households"), (long long)u->households);
	if (u->kind == UNIT_COMMUNITY)
		html_fmt(r, "<dt>%s</dt><dd>%lld</dd>", tr(r, "home.budget"), (long long)community_budget_yuan(u->households));
	html_markup(r, "</dl>");
}

static gz_err unit_children(request *r, const org_unit *u, size_t *children)
{
	org_unit *units;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, u->street_id, -1, &units, &count);
	if (rc)
		return rc;
	*children = 0;
	for (size_t i = 0; i < count; i++) {
		if (units[i].parent_id != u->id)
			continue;
		if (!(*children)++)
			html_fmt(r, "<h2>%s</h2><ul>", tr(r, "admin.unit.children"));
		html_fmt(r, "<li><a href=\"/admin/units/%lld\">%s</a></li>", (long long)units[i].id, units[i].name);
	}
	if (*children)
		html_markup(r, "</ul>");
	return GZ_OK;
}

static gz_err unit_roles(request *r, const org_unit *u)
{
	role_record *roles;
	size_t count;
	gz_err rc = roles_of_unit(r->db, &r->mem, u->street_id, u->id, time_now(), &roles, &count);
	if (rc || !count)
		return rc;
	html_fmt(r, "<h2>%s</h2><div class=\"table-wrap\"><table><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
		    "<tbody>",
		 tr(r, "admin.unit.roles"), tr(r, "person.name"), tr(r, "admin.role.role"), tr(r, "admin.role.term"));
	for (size_t i = 0; i < count; i++) {
		if (roles[i].role == ROLE_DELEGATE)
			continue;   /* delegates are listed in the roster below */
		html_fmt(r, "<tr><td><a href=\"/admin/people/%lld\">%s</a></td><td>%s</td><td>%s – %s</td></tr>",
			 (long long)roles[i].person_id, roles[i].person_name,
			 admin_role_label(r, roles[i].role, roles[i].delegate), admin_date(r, roles[i].term_start),
			 roles[i].term_end ? admin_date(r, roles[i].term_end) : tr(r, "admin.role.open_ended"));
	}
	html_markup(r, "</tbody></table></div>");
	return GZ_OK;
}

static gz_err unit_page_render(request *r, const org_unit *u, const char *error, const char *name_typed)
{
	page_begin(r, u->name);
	admin_heading(r, u->name);
	if (error)
		page_notice(r, "error", error);
	else if (req_query(r, "saved"))
		page_notice(r, "ok", tr(r, "admin.saved"));
	else if (req_query(r, "added"))
		page_notice(r, "ok", tr(r, "admin.unit.added"));
	unit_facts(r, u);
	size_t children;
	gz_err rc = unit_children(r, u, &children);
	if (!rc)
		rc = unit_roles(r, u);
	if (!rc && u->kind == UNIT_COMMUNITY)
		rc = admin_roster_section(r, u);
	if (rc)
		return rc;
	if (admin_can(r, AUTHZ_MANAGE_ORG, u->path)) {
		html_fmt(r, "<form method=\"post\" action=\"/admin/units/%lld\" class=\"stack narrow\"><h2>%s</h2>",
			 (long long)u->id, tr(r, "admin.unit.edit"));
		form_csrf(r);
		admin_input(r, "name", "admin.unit.name", "text", name_typed ? name_typed : u->name,
			    " required maxlength=\"60\"");
		admin_input(r, "households", "org.households", "number",
			    arena_printf(&r->mem, "%lld", (long long)u->households), " min=\"0\" max=\"10000000\" required");
		html_fmt(r, "<small>%s</small><button type=\"submit\">%s</button></form>",
			 tr(r, "admin.unit.households_help"), tr(r, "admin.save"));
		add_child_form(r, u);
		if (u->kind != UNIT_STREET)
			html_fmt(r, "<p><a class=\"button danger\" href=\"/admin/units/%lld/delete\">%s</a></p>", (long long)u->id,
				 tr(r, "admin.unit.delete"));
	}
	page_end(r);
	return GZ_OK;
}

gz_err admin_unit_page(request *r)
{
	org_unit u;
	gz_err rc = load_unit(r, &u);
	if (rc)
		return rc;
	if (!admin_may_enter(r))
		return admin_refuse(r, "admin.refused.enter");
	return unit_page_render(r, &u, NULL, NULL);
}

static const field unit_fields[] = {
	{ "name", FIELD_LINE, true, 1, 60, NULL },
	{ "households", FIELD_INT, false, 0, 10000000, NULL },
};

/* Loads the unit and checks AUTHZ_MANAGE_ORG, then reads the form. */
static gz_err unit_change_begin(request *r, org_unit *u, field_value *v, bool *answered)
{
	*answered = true;
	gz_err rc = load_unit(r, u);
	if (rc)
		return rc;
	if (!admin_can(r, AUTHZ_MANAGE_ORG, u->path))
		return admin_refuse(r, "admin.refused.org");
	const char *bad;
	if (input_read(r, unit_fields, INPUT_COUNT(unit_fields), v, &bad)) {
		r->status = 400;
		return unit_page_render(r, u, tr(r, arena_printf(&r->mem, "admin.unit.bad.%s", bad)), NULL);
	}
	*answered = false;
	return GZ_OK;
}

gz_err admin_unit_update(request *r)
{
	org_unit u;
	field_value v[INPUT_COUNT(unit_fields)];
	bool answered;
	gz_err rc = unit_change_begin(r, &u, v, &answered);
	if (rc || answered)
		return rc;
	rc = unit_rename(req_app(r)->st, r->user, u.id, v[0].text, v[1].present ? v[1].number : u.households);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.org");
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return unit_page_render(r, &u, tr(r, "admin.unit.bad.name"), v[0].text);
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/units/%lld?saved=1", (long long)u.id));
	return GZ_OK;
}

gz_err admin_unit_add_child(request *r)
{
	org_unit parent;
	field_value v[INPUT_COUNT(unit_fields)];
	bool answered;
	gz_err rc = unit_change_begin(r, &parent, v, &answered);
	if (rc || answered)
		return rc;
	if (parent.kind + 1 >= UNIT__MAX)
		return admin_fail(r, GZ_ECONFLICT, "admin.unit.no_children");
	int64_t id;
	rc = unit_create(req_app(r)->st, r->user, parent.id, (unit_kind)(parent.kind + 1), v[0].text,
			 v[1].present ? v[1].number : 0, &id);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.org");
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return unit_page_render(r, &parent, tr(r, "admin.unit.bad.name"), NULL);
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/units/%lld?added=1", (long long)id));
	return GZ_OK;
}

/* Why the unit cannot be deleted, as a catalogue sentence; NULL when it can. */
static gz_err delete_obstacle(request *r, const org_unit *u, const char **why)
{
	*why = NULL;
	if (u->kind == UNIT_STREET) {
		*why = tr(r, "admin.unit.delete_street");
		return GZ_OK;
	}
	org_unit *units;
	size_t count;
	int64_t people, roles, children = 0;
	gz_err rc = unit_list(r->db, &r->mem, u->street_id, -1, &units, &count);
	if (!rc)
		rc = unit_references(r->db, u->street_id, u->id, &people, &roles);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++)
		children += units[i].parent_id == u->id;
	if (children || people || roles)
		*why = trf(r, "admin.unit.delete_blocked", (long long)children, (long long)people, (long long)roles);
	return GZ_OK;
}

gz_err admin_unit_delete_confirm(request *r)
{
	org_unit u;
	gz_err rc = load_unit(r, &u);
	if (rc)
		return rc;
	if (!admin_can(r, AUTHZ_MANAGE_ORG, u.path))
		return admin_refuse(r, "admin.refused.org");
	const char *why;
	if ((rc = delete_obstacle(r, &u, &why)))
		return rc;
	const char *title = trf(r, "admin.unit.delete_title", u.name);
	page_begin(r, title);
	admin_heading(r, title);
	if (why) {
		page_notice(r, "error", why);
		html_fmt(r, "<p><a href=\"/admin/units/%lld\">%s</a></p>", (long long)u.id, tr(r, "admin.back"));
	} else {
		html_fmt(r, "<form method=\"post\" action=\"/admin/units/%lld/delete\" class=\"stack narrow\"><p>%s</p>",
			 (long long)u.id, trf(r, "admin.unit.delete_question", admin_unit_kind_label(r, u.kind), u.name));
		form_csrf(r);
		html_fmt(r, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><button type=\"submit\" class=\"danger\">%s"
			    "</button> <a href=\"/admin/units/%lld\">%s</a></form>",
			 tr(r, "admin.unit.delete_confirm"), (long long)u.id, tr(r, "admin.cancel"));
	}
	page_end(r);
	return GZ_OK;
}

static const field confirm_fields[] = {
	{ "confirm", FIELD_BOOL, true, 0, 1, NULL },
};

gz_err admin_unit_delete(request *r)
{
	org_unit u;
	gz_err rc = load_unit(r, &u);
	if (rc)
		return rc;
	if (!admin_can(r, AUTHZ_MANAGE_ORG, u.path))
		return admin_refuse(r, "admin.refused.org");
	field_value v[1];
	const char *bad, *why;
	if (input_read(r, confirm_fields, 1, v, &bad) || !v[0].number)
		return admin_fail(r, GZ_EINVAL, "admin.confirm_missing");
	if ((rc = delete_obstacle(r, &u, &why)))
		return rc;
	if (why)
		return admin_fail_text(r, 409, why);
	rc = unit_delete(req_app(r)->st, r->user, u.id);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.org");
	if (rc == GZ_ECONFLICT)
		return admin_fail(r, GZ_ECONFLICT, "admin.unit.delete_referenced");
	if (rc)
		return rc;
	resp_redirect(r, "/admin/units?deleted=1");
	return GZ_OK;
}
