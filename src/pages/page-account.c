/* Signing in and out, registering, the account page, changing the password. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/org.h"
#include "domain/privacy.h"
#include "http/input.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/timeutil.h"

/* ---- shared form pieces ---- */

static void text_input(request *r, const char *name, const char *label_key, const char *type, const char *value,
		       const char *extra)
{
	html_fmt(r, "<label for=\"f-%s\">%s</label><input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"", name,
		 tr(r, label_key), name, name, type, value ? value : "");
	html_markup(r, extra ? extra : "");
	html_markup(r, ">");
}

/* A local path to return to after signing in; "/" for anything else. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		return "/";
	return next;
}

/* ---- login ---- */

static void login_form(request *r, const char *login, const char *error)
{
	page_begin(r, tr(r, "login.title"));
	html_fmt(r, "<h1>%s</h1>", tr(r, "login.title"));
	if (error)
		page_notice(r, "error", error);
	else if (req_query(r, "registered"))
		page_notice(r, "ok", tr(r, "login.registered"));
	else if (req_query(r, "changed"))
		page_notice(r, "ok", tr(r, "login.password_changed"));
	else if (req_query(r, "deleted"))
		page_notice(r, "ok", tr(r, "privacy.deleted"));
	html_markup(r, "<form method=\"post\" action=\"/login\" class=\"stack narrow\">");
	form_csrf(r);
	html_fmt(r, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(req_param(r, "next")));
	text_input(r, "login", "account.login", "text", login,
		   " autocomplete=\"username\" autocapitalize=\"none\" required maxlength=\"32\"");
	text_input(r, "password", "account.password", "password", "",
		   " autocomplete=\"current-password\" required maxlength=\"128\"");
	html_fmt(r, "<button type=\"submit\">%s</button></form><p>%s <a href=\"/register\">%s</a></p>",
		 tr(r, "login.submit"), tr(r, "login.no_account"), tr(r, "nav.register"));
	page_end(r);
}

static gz_err login_get(request *r)
{
	login_form(r, NULL, NULL);
	return GZ_OK;
}

static const field login_fields[] = {
	{ "login", FIELD_LINE, true, 1, 64, NULL },
	{ "password", FIELD_PASSWORD, true, 0, 128, NULL },
	{ "next", FIELD_LINE, false, 0, 500, NULL },
};

static gz_err login_post(request *r)
{
	field_value v[INPUT_COUNT(login_fields)];
	const char *bad;
	if (input_read(r, login_fields, INPUT_COUNT(login_fields), v, &bad)) {
		r->status = 400;
		login_form(r, NULL, tr(r, "login.missing"));
		return GZ_OK;
	}
	login_result res;
	gz_err rc = account_login(req_app(r)->st, v[0].text, v[1].text, r->client_ip, &res);
	if (rc == GZ_EAUTH || rc == GZ_ETOOMANY) {
		r->status = rc == GZ_EAUTH ? 401 : 429;
		const char *why = tr(r, "login.failed");
		if (rc == GZ_ETOOMANY) {
			char seconds[16];
			snprintf(seconds, sizeof(seconds), "%d", res.retry_after);
			resp_header(r, "Retry-After", seconds);
			why = trf(r, "login.throttled", (res.retry_after + 59) / 60);
		}
		login_form(r, v[0].text, why);
		return GZ_OK;
	}
	if (rc)
		return rc;
	resp_cookie(r, "gz_session", res.token, (long)accounts_settings()->session_max_seconds, true);
	resp_redirect(r, res.password_expired ? "/account/password?expired=1" : safe_next(v[2].text));
	return GZ_OK;
}

static gz_err logout_post(request *r)
{
	const char *token = req_cookie(r, "gz_session");
	if (token && r->user) {
		gz_err rc = session_end(req_app(r)->st, token);
		if (rc)
			return rc;
	}
	resp_cookie(r, "gz_session", "", 0, true);
	resp_redirect(r, "/");
	return GZ_OK;
}

/* ---- registration ---- */

static const char *const kinds[] = { "resident", "social_unit", NULL };

static const field register_fields[] = {
	{ "login", FIELD_LOGIN, true, 3, 32, NULL },
	{ "password", FIELD_PASSWORD, true, 1, 128, NULL },
	{ "name", FIELD_LINE, true, 1, 40, NULL },
	{ "phone", FIELD_PHONE, false, 5, 20, NULL },
	{ "community", FIELD_ID, true, 0, 0, NULL },
	{ "kind", FIELD_CHOICE, true, 0, 0, kinds },
};

static gz_err register_form(request *r, const field_value *v, const char *error)
{
	org_unit *communities;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, UNIT_COMMUNITY, &communities, &count);
	if (rc)
		return rc;
	page_begin(r, tr(r, "register.title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "register.title"), tr(r, "register.intro"));
	if (error)
		page_notice(r, "error", error);
	html_markup(r, "<form method=\"post\" action=\"/register\" class=\"stack narrow\">");
	form_csrf(r);
	text_input(r, "login", "account.login", "text", v ? v[0].text : NULL,
		   " autocomplete=\"username\" autocapitalize=\"none\" required minlength=\"3\" maxlength=\"32\" "
		   "pattern=\"[a-z0-9_]{3,32}\" aria-describedby=\"h-login\"");
	html_fmt(r, "<small id=\"h-login\">%s</small>", tr(r, "register.login_help"));
	text_input(r, "password", "account.password", "password", "",
		   " autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"128\" aria-describedby=\"h-pw\"");
	html_fmt(r, "<small id=\"h-pw\">%s</small>", tr(r, "register.password_help"));
	text_input(r, "name", "person.name", "text", v ? v[2].text : NULL, " required maxlength=\"40\"");
	text_input(r, "phone", "person.phone", "tel", v ? v[3].text : NULL, " inputmode=\"tel\" maxlength=\"20\"");
	html_fmt(r, "<label for=\"f-community\">%s</label><select id=\"f-community\" name=\"community\" required>",
		 tr(r, "org.community"));
	for (size_t i = 0; i < count; i++)
		html_fmt(r, "<option value=\"%lld\"%s>%s</option>", (long long)communities[i].id,
			 v && v[4].number == communities[i].id ? " selected" : "", communities[i].name);
	html_fmt(r, "</select><fieldset><legend>%s</legend>", tr(r, "register.kind"));
	for (int i = 0; kinds[i]; i++)
		html_fmt(r, "<label class=\"choice\"><input type=\"radio\" name=\"kind\" value=\"%s\"%s> %s</label>", kinds[i],
			 (v ? v[5].number == i : i == 0) ? " checked" : "",
			 tr(r, arena_printf(&r->mem, "person.kind.%s", kinds[i])));
	html_fmt(r, "</fieldset><button type=\"submit\">%s</button></form>", tr(r, "register.submit"));
	page_end(r);
	return GZ_OK;
}

static gz_err register_get(request *r)
{
	return register_form(r, NULL, NULL);
}

static gz_err register_post(request *r)
{
	field_value v[INPUT_COUNT(register_fields)];
	const char *bad;
	if (input_read(r, register_fields, INPUT_COUNT(register_fields), v, &bad)) {
		r->status = 400;
		return register_form(r, v, tr(r, arena_printf(&r->mem, "register.bad.%s", bad)));
	}
	const char *weak = password_problem(v[1].text);
	if (weak) {
		r->status = 400;
		return register_form(r, v, tr(r, weak));
	}
	registration reg = { v[0].text, v[1].text, v[2].text, v[3].text, v[4].number, v[5].number == 1 };
	int64_t account_id;
	gz_err rc = account_register(req_app(r)->st, req_app(r)->street_id, &reg, &account_id);
	if (rc == GZ_EEXIST || rc == GZ_EINVAL) {
		r->status = rc == GZ_EEXIST ? 409 : 400;
		return register_form(r, v, tr(r, rc == GZ_EEXIST ? "register.taken" : "register.bad.community"));
	}
	if (rc)
		return rc;
	resp_redirect(r, "/login?registered=1");
	return GZ_OK;
}

/* ---- the account page and the password ---- */

static gz_err account_page(request *r)
{
	person_record p;
	gz_err rc = person_get(r->db, &r->mem, r->user->person_id, &p);
	if (rc)
		return rc;
	page_begin(r, tr(r, "account.title"));
	html_fmt(r, "<h1>%s</h1><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
		 tr(r, "account.title"), tr(r, "account.login"), r->user->login, tr(r, "person.name"), p.name,
		 tr(r, "org.community"), p.home_unit_name);
	html_fmt(r, "<dt>%s</dt><dd>%s</dd></dl>", tr(r, "person.verified"),
		 tr(r, p.verified ? "person.verified.yes" : "person.verified.no"));
	html_fmt(r, "<h2>%s</h2><ul>", tr(r, "account.roles"));
	for (size_t i = 0; i < r->user->role_count; i++) {
		const held_role *h = &r->user->roles[i];
		html_fmt(r, "<li>%s", tr(r, arena_printf(&r->mem, "role.%s", role_name(h->role))));
		if (h->delegate)
			html_fmt(r, " (%s)", tr(r, arena_printf(&r->mem, "delegate.%s", delegate_kind_name(h->delegate))));
		html_fmt(r, " · %s</li>", h->unit_name);
	}
	if (!r->user->role_count)
		html_fmt(r, "<li>%s</li>", tr(r, "account.no_roles"));
	html_fmt(r, "</ul><p><a class=\"button\" href=\"/account/password\">%s</a></p>", tr(r, "password.title"));
	html_fmt(r, "<h2>%s</h2><p>%s</p><p><a class=\"button secondary\" href=\"/account/export\">%s</a> "
		    "<a class=\"button secondary\" href=\"/account/delete\">%s</a></p>",
		 tr(r, "privacy.title"), tr(r, "privacy.intro"), tr(r, "privacy.export"), tr(r, "privacy.delete"));
	page_end(r);
	return GZ_OK;
}

static void password_form(request *r, const char *error)
{
	page_begin(r, tr(r, "password.title"));
	html_fmt(r, "<h1>%s</h1>", tr(r, "password.title"));
	if (error)
		page_notice(r, "error", error);
	else if (req_query(r, "expired"))
		page_notice(r, "info", tr(r, "password.expired"));
	html_markup(r, "<form method=\"post\" action=\"/account/password\" class=\"stack narrow\">");
	form_csrf(r);
	text_input(r, "old", "password.old", "password", "", " autocomplete=\"current-password\" required");
	text_input(r, "new", "password.new", "password", "",
		   " autocomplete=\"new-password\" required minlength=\"8\" maxlength=\"128\"");
	html_fmt(r, "<small>%s</small><button type=\"submit\">%s</button></form>", tr(r, "register.password_help"),
		 tr(r, "password.submit"));
	page_end(r);
}

static gz_err password_get(request *r)
{
	password_form(r, NULL);
	return GZ_OK;
}

static const field password_fields[] = {
	{ "old", FIELD_PASSWORD, true, 1, 128, NULL },
	{ "new", FIELD_PASSWORD, true, 1, 128, NULL },
};

static gz_err password_post(request *r)
{
	field_value v[INPUT_COUNT(password_fields)];
	const char *bad;
	const char *problem = input_read(r, password_fields, 2, v, &bad) ? "login.missing" : password_problem(v[1].text);
	if (problem) {
		r->status = 400;
		password_form(r, tr(r, problem));
		return GZ_OK;
	}
	gz_err rc = account_change_password(req_app(r)->st, r->user, v[0].text, v[1].text);
	if (rc == GZ_EAUTH) {
		r->status = 403;
		password_form(r, tr(r, "password.wrong_old"));
		return GZ_OK;
	}
	if (rc)
		return rc;
	resp_cookie(r, "gz_session", "", 0, true);
	resp_redirect(r, "/login?changed=1");
	return GZ_OK;
}

/* ---- personal data ---- */

static gz_err export_own_data(request *r)
{
	json_t *data;
	gz_err rc = privacy_export(r->db, &r->mem, r->user, &data);
	if (rc)
		return rc;
	char *text = json_dumps(data, JSON_INDENT(2));
	json_decref(data);
	if (!text)
		return GZ_ENOMEM;
	r->status = 200;
	r->out_type = "application/json; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"gongzhi-my-data.json\"");
	resp_header(r, "Cache-Control", "no-store");
	buf_adds(&r->out, text);
	free(text);
	return GZ_OK;
}

static void delete_form(request *r, const char *error)
{
	page_begin(r, tr(r, "privacy.delete"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "privacy.delete"), tr(r, "privacy.delete_explained"));
	if (error)
		page_notice(r, "error", error);
	html_markup(r, "<form method=\"post\" action=\"/account/delete\" class=\"stack narrow\">");
	form_csrf(r);
	text_input(r, "password", "account.password", "password", "", " autocomplete=\"current-password\" required");
	html_fmt(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> %s</label>"
		    "<button type=\"submit\" class=\"danger\">%s</button></form>",
		 tr(r, "privacy.delete_confirm"), tr(r, "privacy.delete_submit"));
	page_end(r);
}

static gz_err delete_get(request *r)
{
	delete_form(r, NULL);
	return GZ_OK;
}

static const field delete_fields[] = {
	{ "password", FIELD_PASSWORD, true, 1, 128, NULL },
	{ "confirm", FIELD_BOOL, true, 0, 1, NULL },
};

static gz_err delete_post(request *r)
{
	field_value v[INPUT_COUNT(delete_fields)];
	const char *bad;
	if (input_read(r, delete_fields, INPUT_COUNT(delete_fields), v, &bad) || !v[1].number) {
		r->status = 400;
		delete_form(r, tr(r, "privacy.delete_unconfirmed"));
		return GZ_OK;
	}
	gz_err rc = privacy_forget_self(req_app(r)->st, r->user, v[0].text);
	if (rc == GZ_EAUTH) {
		r->status = 403;
		delete_form(r, tr(r, "password.wrong_old"));
		return GZ_OK;
	}
	if (rc)
		return rc;
	resp_cookie(r, "gz_session", "", 0, true);
	resp_redirect(r, "/login?deleted=1");
	return GZ_OK;
}

const route page_account_routes[] = {
	{ HTTP_GET, "/account/export", export_own_data, ROUTE_LOGIN },
	{ HTTP_GET, "/account/delete", delete_get, ROUTE_LOGIN },
	{ HTTP_POST, "/account/delete", delete_post, ROUTE_LOGIN },
	{ HTTP_GET, "/login", login_get, 0 },
	{ HTTP_POST, "/login", login_post, 0 },
	{ HTTP_POST, "/logout", logout_post, 0 },
	{ HTTP_GET, "/register", register_get, 0 },
	{ HTTP_POST, "/register", register_post, 0 },
	{ HTTP_GET, "/account", account_page, ROUTE_LOGIN },
	{ HTTP_POST, "/account/password", password_post, ROUTE_LOGIN },
	{ HTTP_GET, "/account/password", password_get, ROUTE_LOGIN },
	{ 0 },
};
