/*
 * People and their roles.  Community staff manage the people of their own
 * community (AUTHZ_MANAGE_PEOPLE reaches their unit's subtree); street staff
 * and administrators the whole street, and only they assign and end roles
 * (AUTHZ_MANAGE_ROLES).  Phone numbers and party membership appear only to
 * those with AUTHZ_VIEW_RESTRICTED over the person's unit; an edit by
 * someone without it keeps the stored values.
 */
#include <string.h>

#include "pages/page-admin.h"
#include "util/timeutil.h"

/* Index order follows role_kind and delegate_kind ("none" is DELEGATE_NONE). */
static const char *const role_choices[] = { "resident", "social_unit", "delegate", "community_staff",
					    "street_staff", "implementer", "admin", NULL };
static const char *const delegate_choices[] = { "none", "resident_rep", "party_rep", "npc_deputy", "cppcc_member",
						"social_unit_rep", "legal_professional", NULL };
static const char *const kind_choices[] = { "resident", "social_unit", NULL };

/* The person named by the path's :id, in this site's street. */
static gz_err load_person(request *r, person_record *p)
{
	int64_t id = req_id_param(r, 0);
	gz_err rc = id ? person_get(r->db, &r->mem, id, p) : GZ_ENOTFOUND;
	if (!rc && p->street_id != req_app(r)->street_id)
		rc = GZ_ENOTFOUND;
	return rc;
}

/* A unit of this street by id; GZ_EINVAL when there is none. */
static gz_err load_unit_by_id(request *r, int64_t id, org_unit *u)
{
	gz_err rc = unit_get(r->db, &r->mem, id, u);
	if (rc == GZ_ENOTFOUND || (!rc && u->street_id != req_app(r)->street_id))
		return GZ_EINVAL;
	return rc;
}

/* A <select> of the street's units where the user may take `action`. */
static gz_err unit_select(request *r, const char *name, const char *label_key, authz_action action, int64_t chosen)
{
	org_unit *units;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, -1, &units, &count);
	if (rc)
		return rc;
	html_fmt(r, "<label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\" required>", name, tr(r, label_key),
		 name, name);
	for (size_t i = 0; i < count; i++)
		if (admin_can(r, action, units[i].path))
			html_fmt(r, "<option value=\"%lld\"%s>%s · %s</option>", (long long)units[i].id,
				 units[i].id == chosen ? " selected" : "", units[i].name,
				 admin_unit_kind_label(r, units[i].kind));
	html_markup(r, "</select>");
	return GZ_OK;
}

/* ---- the list ---- */

static const field list_fields[] = {
	{ "community", FIELD_ID, false, 0, 0, NULL },
	{ "q", FIELD_LINE, false, 0, 40, NULL },
	{ "page", FIELD_INT, false, 1, 1000000, NULL },
};

static gz_err list_filter_form(request *r, int64_t community, const char *q)
{
	org_unit *communities;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, UNIT_COMMUNITY, &communities, &count);
	if (rc)
		return rc;
	html_fmt(r, "<form method=\"get\" action=\"/admin/people\" class=\"filters\"><label for=\"f-community\">%s</label>"
		    "<select id=\"f-community\" name=\"community\">",
		 tr(r, "org.community"));
	if (admin_can(r, AUTHZ_MANAGE_PEOPLE, ""))
		html_fmt(r, "<option value=\"\">%s</option>", tr(r, "admin.people.all_communities"));
	for (size_t i = 0; i < count; i++)
		if (admin_can(r, AUTHZ_MANAGE_PEOPLE, communities[i].path))
			html_fmt(r, "<option value=\"%lld\"%s>%s</option>", (long long)communities[i].id,
				 communities[i].id == community ? " selected" : "", communities[i].name);
	html_markup(r, "</select>");
	admin_input(r, "q", "admin.people.search", "search", q, " maxlength=\"40\"");
	html_fmt(r, "<button type=\"submit\">%s</button></form>", tr(r, "admin.people.filter"));
	return GZ_OK;
}

static void people_table(request *r, const person_record *people, size_t count)
{
	html_fmt(r, "<div class=\"table-wrap\"><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead><tbody>",
		 tr(r, "person.name"), tr(r, "admin.person.unit"), tr(r, "register.kind"), tr(r, "person.verified"),
		 tr(r, "person.phone"), tr(r, "person.party_member"));
	for (size_t i = 0; i < count; i++) {
		const person_record *p = &people[i];
		bool restricted = admin_can(r, AUTHZ_VIEW_RESTRICTED, p->home_unit_path);
		html_fmt(r, "<tr><td><a href=\"/admin/people/%lld\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>",
			 (long long)p->id, p->name, p->home_unit_name,
			 tr(r, p->social_unit ? "person.kind.social_unit" : "person.kind.resident"),
			 tr(r, p->verified ? "person.verified.yes" : "person.verified.no"));
		html_fmt(r, "<td>%s</td><td>%s</td></tr>", restricted ? p->phone : mask_phone(&r->mem, p->phone),
			 restricted ? tr(r, p->party_member ? "admin.yes" : "admin.no") : tr(r, "admin.restricted"));
	}
	html_markup(r, "</tbody></table></div>");
}

gz_err admin_people_page(request *r)
{
	const char *path = admin_scope(r, AUTHZ_MANAGE_PEOPLE);
	if (!path)
		return admin_refuse(r, "admin.refused.people");
	field_value v[INPUT_COUNT(list_fields)];
	const char *bad;
	if (input_read(r, list_fields, INPUT_COUNT(list_fields), v, &bad))
		return admin_fail(r, GZ_EINVAL, arena_printf(&r->mem, "admin.people.bad.%s", bad));
	if (v[0].present) {
		org_unit c;
		gz_err rc = load_unit_by_id(r, v[0].number, &c);
		if (rc || c.kind != UNIT_COMMUNITY)
			return admin_fail(r, rc && rc != GZ_EINVAL ? rc : GZ_EINVAL, "admin.people.bad.community");
		if (!admin_can(r, AUTHZ_MANAGE_PEOPLE, c.path))
			return admin_refuse(r, "admin.refused.people_scope");
		path = c.path;
	}
	int64_t page = v[2].present ? v[2].number : 1, total;
	person_record *people;
	size_t count;
	gz_err rc = person_search(r->db, &r->mem, req_app(r)->street_id, path, v[1].text, ADMIN_PAGE_SIZE,
				  (page - 1) * ADMIN_PAGE_SIZE, &people, &count, &total);
	if (rc)
		return rc;
	page_begin(r, tr(r, "admin.people.title"));
	admin_heading(r, tr(r, "admin.people.title"));
	html_fmt(r, "<p><a class=\"button\" href=\"/admin/people/new\">%s</a></p>", tr(r, "admin.people.new"));
	if ((rc = list_filter_form(r, v[0].present ? v[0].number : 0, v[1].text)))
		return rc;
	html_fmt(r, "<p class=\"hint\">%s</p>", trf(r, "admin.people.count", (long long)total));
	people_table(r, people, count);
	page_pager(r, "/admin/people", page, (total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE);
	page_end(r);
	return GZ_OK;
}

/* ---- a new person ---- */

static const field person_fields[] = {
	{ "name", FIELD_LINE, true, 1, 40, NULL },
	{ "phone", FIELD_PHONE, false, 5, 20, NULL },
	{ "kind", FIELD_CHOICE, true, 0, 0, kind_choices },
	{ "party_member", FIELD_BOOL, false, 0, 1, NULL },
	{ "home_unit", FIELD_ID, true, 0, 0, NULL },
	{ "verified", FIELD_BOOL, false, 0, 1, NULL },
};
enum { PF_NAME, PF_PHONE, PF_KIND, PF_PARTY, PF_UNIT, PF_VERIFIED };

/* The person form's fields; `p` NULL for a new person.  Restricted fields
 * only when the user may see them where the person lives (anywhere in
 * their scope, for a new person). */
static gz_err person_form_fields(request *r, const person_record *p, bool restricted)
{
	admin_input(r, "name", "person.name", "text", p ? p->name : "", " required maxlength=\"40\"");
	if (restricted)
		admin_input(r, "phone", "person.phone", "tel", p ? p->phone : "", " inputmode=\"tel\" maxlength=\"20\"");
	html_fmt(r, "<fieldset><legend>%s</legend>", tr(r, "register.kind"));
	for (int i = 0; kind_choices[i]; i++)
		html_fmt(r, "<label class=\"choice\"><input type=\"radio\" name=\"kind\" value=\"%s\"%s> %s</label>",
			 kind_choices[i], (p ? p->social_unit : false) == (i == 1) ? " checked" : "",
			 tr(r, arena_printf(&r->mem, "person.kind.%s", kind_choices[i])));
	html_markup(r, "</fieldset>");
	if (restricted) {
		admin_checkbox(r, "party_member", "person.party_member", p && p->party_member);
		html_fmt(r, "<small>%s</small>", tr(r, "admin.person.restricted_help"));
	}
	return unit_select(r, "home_unit", "admin.person.unit", AUTHZ_MANAGE_PEOPLE, p ? p->home_unit_id : 0);
}

static gz_err person_new_render(request *r, const char *error)
{
	page_begin(r, tr(r, "admin.people.new"));
	admin_heading(r, tr(r, "admin.people.new"));
	if (error)
		page_notice(r, "error", error);
	html_markup(r, "<form method=\"post\" action=\"/admin/people/new\" class=\"stack narrow\">");
	form_csrf(r);
	gz_err rc = person_form_fields(r, NULL, admin_can_somewhere(r, AUTHZ_VIEW_RESTRICTED));
	if (rc)
		return rc;
	admin_checkbox(r, "verified", "admin.person.verified_now", false);
	html_fmt(r, "<button type=\"submit\">%s</button></form>", tr(r, "admin.people.create"));
	page_end(r);
	return GZ_OK;
}

gz_err admin_person_new_page(request *r)
{
	if (!admin_can_somewhere(r, AUTHZ_MANAGE_PEOPLE))
		return admin_refuse(r, "admin.refused.people");
	return person_new_render(r, NULL);
}

/* Validates the person form and the chosen unit; answers the refusal
 * itself (and sets *answered) when the input is bad or out of scope. */
static gz_err read_person_form(request *r, field_value *v, org_unit *unit, bool *answered,
			       gz_err (*rerender)(request *, const char *, void *), void *ctx)
{
	*answered = true;
	const char *bad;
	if (input_read(r, person_fields, INPUT_COUNT(person_fields), v, &bad)) {
		r->status = 400;
		return rerender(r, tr(r, arena_printf(&r->mem, "admin.person.bad.%s", bad)), ctx);
	}
	gz_err rc = load_unit_by_id(r, v[PF_UNIT].number, unit);
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return rerender(r, tr(r, "admin.person.bad.home_unit"), ctx);
	}
	if (rc)
		return rc;
	if (!admin_can(r, AUTHZ_MANAGE_PEOPLE, unit->path))
		return admin_refuse(r, "admin.refused.people_scope");
	*answered = false;
	return GZ_OK;
}

static gz_err new_rerender(request *r, const char *error, void *ctx)
{
	return person_new_render(r, error);
}

gz_err admin_person_create(request *r)
{
	if (!admin_can_somewhere(r, AUTHZ_MANAGE_PEOPLE))
		return admin_refuse(r, "admin.refused.people");
	field_value v[INPUT_COUNT(person_fields)];
	org_unit unit;
	bool answered;
	gz_err rc = read_person_form(r, v, &unit, &answered, new_rerender, NULL);
	if (rc || answered)
		return rc;
	bool restricted = admin_can(r, AUTHZ_VIEW_RESTRICTED, unit.path);
	person_input in = { v[PF_NAME].text, restricted ? v[PF_PHONE].text : "", restricted && v[PF_PARTY].number,
			    v[PF_KIND].number == 1, v[PF_VERIFIED].number != 0, unit.id };
	int64_t id;
	rc = person_create(req_app(r)->st, r->user, req_app(r)->street_id, &in, &id);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.people_scope");
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return person_new_render(r, tr(r, "admin.person.bad.name"));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/people/%lld?created=1", (long long)id));
	return GZ_OK;
}

/* ---- one person ---- */

static const char *role_state_key(const role_record *role, int64_t now)
{
	if (role_in_force(role, now))
		return "admin.role.in_force";
	return role->term_start > now ? "admin.role.future" : "admin.role.ended";
}

static gz_err roles_section(request *r, const person_record *p)
{
	role_record *roles;
	size_t count;
	gz_err rc = role_history(r->db, &r->mem, p->street_id, p->id, &roles, &count);
	if (rc)
		return rc;
	int64_t now = time_now();
	html_fmt(r, "<section id=\"roles\"><h2>%s</h2>", tr(r, "admin.person.roles"));
	if (!count)
		html_fmt(r, "<p>%s</p>", tr(r, "admin.person.no_roles"));
	else
		html_fmt(r, "<div class=\"table-wrap\"><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th>"
			    "</tr></thead><tbody>",
			 tr(r, "admin.role.role"), tr(r, "admin.role.unit"), tr(r, "admin.role.term"), tr(r, "admin.role.state"));
	for (size_t i = 0; i < count; i++) {
		const role_record *x = &roles[i];
		html_fmt(r, "<tr><td>%s</td><td><a href=\"/admin/units/%lld\">%s</a></td><td>%s – %s</td><td>%s</td><td>",
			 admin_role_label(r, x->role, x->delegate), (long long)x->unit_id, x->unit_name,
			 admin_date(r, x->term_start), x->term_end ? admin_date(r, x->term_end) : tr(r, "admin.role.open_ended"),
			 tr(r, role_state_key(x, now)));
		bool open = !x->term_end || x->term_end > now;
		if (open && admin_can(r, AUTHZ_MANAGE_ROLES, x->unit_path))
			html_fmt(r, "<a href=\"/admin/roles/%lld/end\">%s</a>", (long long)x->id, tr(r, "admin.role.end"));
		html_markup(r, "</td></tr>");
	}
	if (count)
		html_markup(r, "</tbody></table></div>");
	html_markup(r, "</section>");
	return GZ_OK;
}

static gz_err assign_form(request *r, const person_record *p)
{
	if (!admin_can_somewhere(r, AUTHZ_MANAGE_ROLES))
		return GZ_OK;
	html_fmt(r, "<form method=\"post\" action=\"/admin/people/%lld/roles\" class=\"stack narrow\"><h2>%s</h2>"
		    "<p class=\"hint\">%s</p>",
		 (long long)p->id, tr(r, "admin.role.assign_title"), tr(r, "admin.role.assign_help"));
	form_csrf(r);
	gz_err rc = unit_select(r, "unit", "admin.role.unit", AUTHZ_MANAGE_ROLES, p->home_unit_id);
	if (rc)
		return rc;
	html_fmt(r, "<label for=\"f-role\">%s</label><select id=\"f-role\" name=\"role\" required>", tr(r, "admin.role.role"));
	for (int i = 0; role_choices[i]; i++)
		html_fmt(r, "<option value=\"%s\">%s</option>", role_choices[i], admin_role_label(r, (role_kind)i, DELEGATE_NONE));
	html_fmt(r, "</select><label for=\"f-delegate\">%s</label><select id=\"f-delegate\" name=\"delegate\">",
		 tr(r, "admin.role.delegate_kind"));
	for (int i = 0; delegate_choices[i]; i++)
		html_fmt(r, "<option value=\"%s\">%s</option>", delegate_choices[i],
			 i ? tr(r, arena_printf(&r->mem, "delegate.%s", delegate_choices[i])) : tr(r, "admin.role.not_delegate"));
	html_markup(r, "</select>");
	admin_input(r, "term_start", "admin.role.term_start", "date", admin_date(r, time_now()), " required");
	admin_input(r, "term_end", "admin.role.term_end", "date", "", "");
	html_fmt(r, "<small>%s</small><button type=\"submit\">%s</button></form>", tr(r, "admin.role.term_end_help"),
		 tr(r, "admin.role.assign"));
	return GZ_OK;
}

static const char *person_notice_key(request *r)
{
	static const char *const notices[][2] = {
		{ "created", "admin.person.created" }, { "saved", "admin.saved" },
		{ "verified", "admin.person.verified_ok" }, { "unverified", "admin.person.unverified_ok" },
		{ "assigned", "admin.role.assigned" }, { "ended", "admin.role.ended_ok" },
	};
	for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (req_query(r, notices[i][0]))
			return notices[i][1];
	return NULL;
}

static gz_err person_page_render(request *r, const person_record *p, const char *error)
{
	bool restricted = admin_can(r, AUTHZ_VIEW_RESTRICTED, p->home_unit_path);
	page_begin(r, p->name);
	admin_heading(r, p->name);
	const char *notice = person_notice_key(r);
	if (error)
		page_notice(r, "error", error);
	else if (notice)
		page_notice(r, "ok", tr(r, notice));
	html_fmt(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", tr(r, "admin.person.unit"),
		 p->home_unit_name, tr(r, "person.verified"), tr(r, p->verified ? "person.verified.yes" : "person.verified.no"));
	if (restricted)
		html_fmt(r, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", tr(r, "person.phone"), p->phone,
			 tr(r, "person.party_member"), tr(r, p->party_member ? "admin.yes" : "admin.no"));
	html_fmt(r, "</dl><form method=\"post\" action=\"/admin/people/%lld/verify\" class=\"inline\">", (long long)p->id);
	form_csrf(r);
	html_fmt(r, "<input type=\"hidden\" name=\"verified\" value=\"%s\"><button type=\"submit\" class=\"%s\">%s</button></form>",
		 p->verified ? "0" : "1", p->verified ? "secondary" : "",
		 tr(r, p->verified ? "admin.person.unverify" : "admin.person.verify"));
	gz_err rc = roles_section(r, p);
	if (!rc)
		rc = assign_form(r, p);
	if (rc)
		return rc;
	html_fmt(r, "<form method=\"post\" action=\"/admin/people/%lld\" class=\"stack narrow\"><h2>%s</h2>", (long long)p->id,
		 tr(r, "admin.person.edit"));
	form_csrf(r);
	if ((rc = person_form_fields(r, p, restricted)))
		return rc;
	html_fmt(r, "<button type=\"submit\">%s</button></form>", tr(r, "admin.save"));
	page_end(r);
	return GZ_OK;
}

/* Loads the person and checks AUTHZ_MANAGE_PEOPLE where they live. */
static gz_err person_begin(request *r, person_record *p, bool *answered)
{
	*answered = true;
	gz_err rc = load_person(r, p);
	if (rc)
		return rc;
	if (!admin_can_somewhere(r, AUTHZ_MANAGE_PEOPLE))
		return admin_refuse(r, "admin.refused.people");
	if (!admin_can(r, AUTHZ_MANAGE_PEOPLE, p->home_unit_path))
		return admin_refuse(r, "admin.refused.people_scope");
	*answered = false;
	return GZ_OK;
}

gz_err admin_person_page(request *r)
{
	person_record p;
	bool answered;
	gz_err rc = person_begin(r, &p, &answered);
	return rc || answered ? rc : person_page_render(r, &p, NULL);
}

static gz_err edit_rerender(request *r, const char *error, void *ctx)
{
	return person_page_render(r, ctx, error);
}

gz_err admin_person_update(request *r)
{
	person_record p;
	bool answered;
	gz_err rc = person_begin(r, &p, &answered);
	if (rc || answered)
		return rc;
	field_value v[INPUT_COUNT(person_fields)];
	org_unit unit;
	if ((rc = read_person_form(r, v, &unit, &answered, edit_rerender, &p)) || answered)
		return rc;
	/* Without the right to see restricted data, the stored values stay. */
	bool restricted = admin_can(r, AUTHZ_VIEW_RESTRICTED, p.home_unit_path) &&
			  admin_can(r, AUTHZ_VIEW_RESTRICTED, unit.path);
	person_input in = { v[PF_NAME].text, restricted ? v[PF_PHONE].text : p.phone,
			    restricted ? v[PF_PARTY].number != 0 : p.party_member, v[PF_KIND].number == 1, p.verified,
			    unit.id };
	rc = person_update(req_app(r)->st, r->user, p.id, &in);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.people_scope");
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return person_page_render(r, &p, tr(r, "admin.person.bad.name"));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/people/%lld?saved=1", (long long)p.id));
	return GZ_OK;
}

static const field verify_fields[] = {
	{ "verified", FIELD_BOOL, true, 0, 1, NULL },
};

gz_err admin_person_verify(request *r)
{
	person_record p;
	bool answered;
	gz_err rc = person_begin(r, &p, &answered);
	if (rc || answered)
		return rc;
	field_value v[1];
	const char *bad;
	if (input_read(r, verify_fields, 1, v, &bad) || !v[0].present)
		return admin_fail(r, GZ_EINVAL, "admin.person.bad.verified");
	rc = person_verify(req_app(r)->st, r->user, p.id, v[0].number != 0);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.people_scope");
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/people/%lld?%s=1", (long long)p.id,
				      v[0].number ? "verified" : "unverified"));
	return GZ_OK;
}

/* ---- roles ---- */

static const field role_fields[] = {
	{ "unit", FIELD_ID, true, 0, 0, NULL },
	{ "role", FIELD_CHOICE, true, 0, 0, role_choices },
	{ "delegate", FIELD_CHOICE, false, 0, 0, delegate_choices },
	{ "term_start", FIELD_DATE, true, 0, 0, NULL },
	{ "term_end", FIELD_DATE, false, 0, 0, NULL },
};
enum { RF_UNIT, RF_ROLE, RF_DELEGATE, RF_START, RF_END };

/* Where each role is held: staff of a community in a community, the street's
 * staff and administrators in the street; NULL when the unit fits. */
static const char *placement_problem(role_kind role, unit_kind unit)
{
	switch (role) {
	case ROLE_COMMUNITY_STAFF:
		return unit == UNIT_COMMUNITY ? NULL : "admin.role.bad.community_staff_unit";
	case ROLE_STREET_STAFF:
	case ROLE_ADMIN:
		return unit == UNIT_STREET ? NULL : "admin.role.bad.street_unit";
	case ROLE_DELEGATE:
		return unit == UNIT_COMMUNITY || unit == UNIT_STREET ? NULL : "admin.role.bad.delegate_unit";
	default:
		return NULL;
	}
}

/* The role form's rule broken, as a catalogue key; NULL when sound. */
static const char *role_form_problem(const field_value *v, const org_unit *unit)
{
	role_kind role = (role_kind)v[RF_ROLE].number;
	delegate_kind kind = v[RF_DELEGATE].present ? (delegate_kind)v[RF_DELEGATE].number : DELEGATE_NONE;
	if (role == ROLE_DELEGATE && kind == DELEGATE_NONE)
		return "admin.role.bad.delegate_needs_kind";
	if (role != ROLE_DELEGATE && kind != DELEGATE_NONE)
		return "admin.role.bad.kind_without_delegate";
	if (v[RF_END].present && v[RF_END].number <= v[RF_START].number)
		return "admin.role.bad.term";
	return placement_problem(role, unit->kind);
}

gz_err admin_role_assign(request *r)
{
	person_record p;
	gz_err rc = load_person(r, &p);
	if (rc)
		return rc;
	if (!admin_can_somewhere(r, AUTHZ_MANAGE_ROLES))
		return admin_refuse(r, "admin.refused.roles");
	field_value v[INPUT_COUNT(role_fields)];
	const char *bad, *problem = NULL;
	org_unit unit = { 0 };
	if (input_read(r, role_fields, INPUT_COUNT(role_fields), v, &bad))
		problem = arena_printf(&r->mem, "admin.role.bad.%s", bad);
	else if ((rc = load_unit_by_id(r, v[RF_UNIT].number, &unit)) == GZ_EINVAL)
		problem = "admin.role.bad.unit";
	else if (rc)
		return rc;
	else if (!admin_can(r, AUTHZ_MANAGE_ROLES, unit.path))
		return admin_refuse(r, "admin.refused.roles");
	else
		problem = role_form_problem(v, &unit);
	if (problem) {
		r->status = 400;
		return person_page_render(r, &p, tr(r, problem));
	}
	role_input in = { p.id, unit.id, (role_kind)v[RF_ROLE].number,
			  v[RF_DELEGATE].present ? (delegate_kind)v[RF_DELEGATE].number : DELEGATE_NONE,
			  v[RF_START].number, v[RF_END].present ? v[RF_END].number : 0 };
	int64_t id;
	rc = role_assign(req_app(r)->st, r->user, &in, &id);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.roles");
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return person_page_render(r, &p, tr(r, "admin.role.bad.role"));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/people/%lld?assigned=1#roles", (long long)p.id));
	return GZ_OK;
}

/* Loads the role named by :id and checks it may be ended by this user now. */
static gz_err role_end_begin(request *r, role_record *role, person_record *p, bool *answered)
{
	*answered = true;
	int64_t id = req_id_param(r, 0);
	gz_err rc = id ? role_get(r->db, &r->mem, id, role) : GZ_ENOTFOUND;
	if (!rc && role->street_id != req_app(r)->street_id)
		rc = GZ_ENOTFOUND;
	if (!rc)
		rc = person_get(r->db, &r->mem, role->person_id, p);
	if (rc)
		return rc;
	if (!admin_can(r, AUTHZ_MANAGE_ROLES, role->unit_path))
		return admin_refuse(r, "admin.refused.roles");
	if (role->term_end && role->term_end <= time_now())
		return admin_fail(r, GZ_ECONFLICT, "admin.role.already_ended");
	*answered = false;
	return GZ_OK;
}

/* Warns when ending this delegate role would leave party members not more
 * than half of the unit's delegates (for those who may see the share). */
static gz_err majority_after_end(request *r, const role_record *role)
{
	if (role->role != ROLE_DELEGATE || !role_in_force(role, time_now()) ||
	    !admin_can(r, AUTHZ_VIEW_RESTRICTED, role->unit_path))
		return GZ_OK;
	roster_member *members;
	size_t count;
	roster_share share;
	gz_err rc = delegate_roster(r->db, &r->mem, role->street_id, role->unit_id, time_now(), &members, &count, &share);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++)
		if (members[i].assignment_id == role->id) {
			int64_t party = share.party_members - members[i].party_member;
			if (share.party_majority && !roster_party_majority(share.delegates - 1, party))
				page_notice(r, "error", trf(r, "admin.role.end_breaks_majority", (long long)party,
							    (long long)(share.delegates - 1)));
		}
	return GZ_OK;
}

gz_err admin_role_end_confirm(request *r)
{
	role_record role;
	person_record p;
	bool answered;
	gz_err rc = role_end_begin(r, &role, &p, &answered);
	if (rc || answered)
		return rc;
	const char *title = tr(r, "admin.role.end_title");
	page_begin(r, title);
	admin_heading(r, title);
	if ((rc = majority_after_end(r, &role)))
		return rc;
	html_fmt(r, "<form method=\"post\" action=\"/admin/roles/%lld/end\" class=\"stack narrow\"><p>%s</p>",
		 (long long)role.id,
		 trf(r, "admin.role.end_question", p.name, admin_role_label(r, role.role, role.delegate), role.unit_name));
	form_csrf(r);
	html_fmt(r, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><button type=\"submit\" class=\"danger\">%s</button> "
		    "<a href=\"/admin/people/%lld#roles\">%s</a></form>",
		 tr(r, "admin.role.end_confirm"), (long long)p.id, tr(r, "admin.cancel"));
	page_end(r);
	return GZ_OK;
}

static const field confirm_fields[] = {
	{ "confirm", FIELD_BOOL, true, 0, 1, NULL },
};

gz_err admin_role_end(request *r)
{
	role_record role;
	person_record p;
	bool answered;
	gz_err rc = role_end_begin(r, &role, &p, &answered);
	if (rc || answered)
		return rc;
	field_value v[1];
	const char *bad;
	if (input_read(r, confirm_fields, 1, v, &bad) || !v[0].number)
		return admin_fail(r, GZ_EINVAL, "admin.confirm_missing");
	rc = role_end(req_app(r)->st, r->user, role.id);
	if (rc == GZ_EFORBIDDEN)
		return admin_refuse(r, "admin.refused.roles");
	if (rc == GZ_ECONFLICT)
		return admin_fail(r, GZ_ECONFLICT, "admin.role.already_ended");
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/admin/people/%lld?ended=1#roles", (long long)p.id));
	return GZ_OK;
}
