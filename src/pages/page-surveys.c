/*
 * Questionnaires (调查问卷): the public list, answering, live results with
 * charts, the printable poster with its QR code; and for staff, building,
 * publishing and closing, one-time paper codes, the CSV export and turning
 * a free-text answer into a need.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/authz.h"
#include "domain/needs.h"
#include "domain/org.h"
#include "domain/qr.h"
#include "domain/surveys.h"
#include "http/input.h"
#include "pages/pages.h"
#include "pages/svg-chart.h"
#include "routes/routes.h"
#include "util/timeutil.h"

#define LIST_PAGE 20
#define CODES_PAGE 120
#define TEXTS_SHOWN 50

/* ---- shared pieces ---- */

static const char *survey_path(request *r, const survey *s, const char *tail)
{
	return arena_printf(&r->mem, "/surveys/%lld%s", (long long)s->id, tail);
}

/* The questionnaire named by the first :id, in this site's street. */
static gz_err load_survey(request *r, survey *s)
{
	int64_t id = req_id_param(r, 0);
	if (!id)
		return GZ_ENOTFOUND;
	gz_err rc = survey_get(r->db, &r->mem, id, s);
	if (!rc && s->street_id != req_app(r)->street_id)
		rc = GZ_ENOTFOUND;
	return rc;
}

/* Drafts exist only for the staff building them; to anyone else they are not there. */
static gz_err load_visible(request *r, survey *s)
{
	gz_err rc = load_survey(r, s);
	if (!rc && s->state == SURVEY_DRAFT && !(r->user && survey_can_curate(r->user, s)))
		rc = GZ_ENOTFOUND;
	return rc;
}

/* For staff pages: signed in (the route says so) and allowed on this one. */
static gz_err load_curated(request *r, survey *s)
{
	gz_err rc = load_survey(r, s);
	if (!rc && !survey_can_curate(r->user, s))
		rc = GZ_EFORBIDDEN;
	return rc;
}

static const char *state_label(request *r, survey_state st)
{
	return tr(r, arena_printf(&r->mem, "survey.state.%s", survey_state_name(st)));
}

static const char *kind_label(request *r, question_kind k)
{
	return tr(r, arena_printf(&r->mem, "survey.kind.%s", question_kind_name(k)));
}

static const char *refusal_text(request *r, gz_err rc, const survey_refusal *why)
{
	if (why && why->key)
		return why->question ? trf(r, why->key, why->question) : tr(r, why->key);
	return tr(r, gz_err_key(rc));
}

/* Errors a form answers in place, with its sentence; others go to the error page. */
static bool answer_in_place(gz_err rc)
{
	return rc == GZ_EINVAL || rc == GZ_EEXIST || rc == GZ_ECONFLICT || rc == GZ_ENOTFOUND || rc == GZ_EAUTH ||
	       rc == GZ_EFORBIDDEN;
}

static void survey_heading(request *r, const survey *s)
{
	html_fmt(r, "<h1>%s</h1><p class=\"meta\">%s · %s · ", s->title, s->unit_name, state_label(r, s->state));
	html_text(r, trf(r, "survey.responses_n", (long long)s->responses));
	html_markup(r, "</p>");
}

static void staff_links(request *r, const survey *s)
{
	html_markup(r, "<nav class=\"tabs\">");
	html_fmt(r, "<a href=\"%s\">%s</a>", survey_path(r, s, "/edit"), tr(r, "survey.tab.edit"));
	html_fmt(r, "<a href=\"%s\">%s</a>", survey_path(r, s, ""), tr(r, "survey.tab.answer"));
	html_fmt(r, "<a href=\"%s\">%s</a>", survey_path(r, s, "/results"), tr(r, "survey.tab.results"));
	html_fmt(r, "<a href=\"%s\">%s</a>", survey_path(r, s, "/poster"), tr(r, "survey.tab.poster"));
	html_fmt(r, "<a href=\"%s\">%s</a>", survey_path(r, s, "/codes"), tr(r, "survey.tab.codes"));
	html_fmt(r, "<a href=\"%s\">%s</a>", survey_path(r, s, "/export.csv"), tr(r, "survey.tab.export"));
	html_markup(r, "</nav>");
}

/* Units where the signed-in person may run a questionnaire or a meeting. */
static gz_err curated_units(request *r, bool street_too, org_unit **out, size_t *count)
{
	org_unit *units;
	size_t n;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, -1, &units, &n);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(&r->mem, org_unit, n + 1);
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		bool kind_ok = units[i].kind == UNIT_COMMUNITY || (street_too && units[i].kind == UNIT_STREET);
		if (kind_ok && authz_can(r->user, AUTHZ_CURATE_NEEDS, (authz_target){ units[i].street_id, units[i].path }))
			(*out)[(*count)++] = units[i];
	}
	return GZ_OK;
}

/* The widest unit path the person curates, for listing their drafts ("" for none). */
static const char *draft_reach(request *r)
{
	const char *best = "";
	if (!r->user)
		return best;
	for (size_t i = 0; i < r->user->role_count; i++) {
		const held_role *h = &r->user->roles[i];
		if (!authz_can(r->user, AUTHZ_CURATE_NEEDS, (authz_target){ r->user->street_id, h->unit_path }))
			continue;
		if (!*best || strlen(h->unit_path) < strlen(best))
			best = h->unit_path;
	}
	return best;
}

static int64_t page_number(request *r)
{
	const char *p = req_query(r, "page");
	long long n = p ? atoll(p) : 1;
	return n < 1 || n > 100000 ? 1 : n;
}

/* ---- the list ---- */

static gz_err surveys_list(request *r)
{
	int64_t page = page_number(r), total;
	survey *list;
	size_t count;
	const char *reach = draft_reach(r);
	gz_err rc = survey_list(r->db, &r->mem, req_app(r)->street_id, reach, LIST_PAGE, (page - 1) * LIST_PAGE, &list,
				&count, &total);
	if (rc)
		return rc;
	page_begin(r, tr(r, "survey.list.title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "survey.list.title"), tr(r, "survey.list.intro"));
	if (*reach)
		html_fmt(r, "<p><a class=\"button\" href=\"/surveys/new\">%s</a> <a href=\"/meetings\">%s</a></p>",
			 tr(r, "survey.new.title"), tr(r, "meeting.list.title"));
	if (!count)
		html_fmt(r, "<p class=\"empty\">%s</p>", tr(r, "survey.list.empty"));
	html_markup(r, "<ul class=\"cards surveys\">");
	for (size_t i = 0; i < count; i++) {
		const survey *s = &list[i];
		html_fmt(r, "<li class=\"card survey-%s\"><h2><a href=\"%s\">%s</a></h2><p class=\"meta\">%s · %s · ",
			 survey_state_name(s->state), survey_path(r, s, s->state == SURVEY_DRAFT ? "/edit" : ""), s->title,
			 s->unit_name, state_label(r, s->state));
		html_text(r, trf(r, "survey.responses_n", (long long)s->responses));
		html_fmt(r, "</p><p><a href=\"%s\">%s</a></p></li>", survey_path(r, s, "/results"),
			 tr(r, "survey.tab.results"));
	}
	html_markup(r, "</ul>");
	page_pager(r, "/surveys", page, (total + LIST_PAGE - 1) / LIST_PAGE);
	page_end(r);
	return GZ_OK;
}

/* ---- creating ---- */

static const field new_fields[] = {
	{ "title", FIELD_LINE, true, 1, SURVEY_TITLE_MAX, NULL },
	{ "intro", FIELD_TEXT, false, 0, SURVEY_INTRO_MAX, NULL },
	{ "unit", FIELD_ID, true, 0, 0, NULL },
};

static gz_err new_form(request *r, const field_value *v, const char *error)
{
	org_unit *units;
	size_t count;
	gz_err rc = curated_units(r, true, &units, &count);
	if (rc)
		return rc;
	if (!count)
		return GZ_EFORBIDDEN;
	page_begin(r, tr(r, "survey.new.title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "survey.new.title"), tr(r, "survey.new.intro"));
	if (error)
		page_notice(r, "error", error);
	html_markup(r, "<form method=\"post\" action=\"/surveys/new\" class=\"stack\">");
	form_csrf(r);
	html_fmt(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" required maxlength=\"%d\" "
		    "value=\"%s\">",
		 tr(r, "survey.field.title"), SURVEY_TITLE_MAX, v ? v[0].text : "");
	html_fmt(r, "<label for=\"f-intro\">%s</label><textarea id=\"f-intro\" name=\"intro\" rows=\"4\" maxlength=\"%d\" "
		    "aria-describedby=\"h-intro\">%s</textarea><small id=\"h-intro\">%s</small>",
		 tr(r, "survey.field.intro"), SURVEY_INTRO_MAX, v ? v[1].text : "", tr(r, "survey.field.intro_help"));
	html_fmt(r, "<label for=\"f-unit\">%s</label><select id=\"f-unit\" name=\"unit\" required>",
		 tr(r, "survey.field.scope"));
	for (size_t i = 0; i < count; i++)
		html_fmt(r, "<option value=\"%lld\"%s>%s</option>", (long long)units[i].id,
			 v && v[2].number == units[i].id ? " selected" : "",
			 units[i].kind == UNIT_STREET ? trf(r, "survey.scope.street", units[i].name) : units[i].name);
	html_fmt(r, "</select><button type=\"submit\">%s</button></form>", tr(r, "survey.new.submit"));
	page_end(r);
	return GZ_OK;
}

static gz_err survey_new_get(request *r)
{
	return new_form(r, NULL, NULL);
}

static gz_err survey_new_post(request *r)
{
	field_value v[INPUT_COUNT(new_fields)];
	const char *bad;
	if (input_read(r, new_fields, INPUT_COUNT(new_fields), v, &bad)) {
		r->status = 400;
		return new_form(r, v, tr(r, arena_printf(&r->mem, "survey.bad.field.%s", bad)));
	}
	survey_refusal why;
	int64_t id;
	gz_err rc = survey_create(req_app(r)->st, r->user, v[2].number, v[0].text, v[1].text, &id, &why);
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return new_form(r, v, refusal_text(r, rc, &why));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/surveys/%lld/edit", (long long)id));
	return GZ_OK;
}

/* ---- editing ---- */

static const char *const kind_choices[] = { "single", "multiple", "scale", "ranking", "text", NULL };

static void question_summary(request *r, const survey *s, const survey_question *q, bool tools)
{
	html_fmt(r, "<li class=\"question\"><p><strong>%d. %s</strong> <span class=\"tag\">%s</span>", q->position,
		 q->prompt, kind_label(r, q->kind));
	if (q->required)
		html_fmt(r, " <span class=\"tag required\">%s</span>", tr(r, "survey.required"));
	html_markup(r, "</p>");
	if (q->option_count) {
		html_markup(r, "<ol class=\"options\">");
		for (size_t k = 0; k < q->option_count; k++)
			html_fmt(r, "<li>%s</li>", q->options[k].label);
		html_markup(r, "</ol>");
	}
	if (!tools) {
		html_markup(r, "</li>");
		return;
	}
	html_markup(r, "<div class=\"row-tools\">");
	for (int up = 1; up >= 0; up--) {
		html_fmt(r, "<form method=\"post\" action=\"%s\" class=\"inline\">",
			 survey_path(r, s, arena_printf(&r->mem, "/questions/%lld/move", (long long)q->id)));
		form_csrf(r);
		html_fmt(r, "<input type=\"hidden\" name=\"dir\" value=\"%s\"><button type=\"submit\" class=\"small\">%s</button>"
			    "</form>",
			 up ? "up" : "down", tr(r, up ? "survey.move_up" : "survey.move_down"));
	}
	html_fmt(r, "<a class=\"button small danger\" href=\"%s\">%s</a></div></li>",
		 survey_path(r, s, arena_printf(&r->mem, "/questions/%lld/delete", (long long)q->id)),
		 tr(r, "survey.delete_question"));
}

static void heading_form(request *r, const survey *s)
{
	html_fmt(r, "<details><summary>%s</summary><form method=\"post\" action=\"%s\" class=\"stack\">",
		 tr(r, "survey.edit.heading"), survey_path(r, s, "/edit"));
	form_csrf(r);
	html_fmt(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" required maxlength=\"%d\" "
		    "value=\"%s\">",
		 tr(r, "survey.field.title"), SURVEY_TITLE_MAX, s->title);
	html_fmt(r, "<label for=\"f-intro\">%s</label><textarea id=\"f-intro\" name=\"intro\" rows=\"4\" maxlength=\"%d\">%s"
		    "</textarea><button type=\"submit\">%s</button></form></details>",
		 tr(r, "survey.field.intro"), SURVEY_INTRO_MAX, s->intro, tr(r, "survey.save"));
}

static void add_question_form(request *r, const survey *s)
{
	html_fmt(r, "<h2>%s</h2><form method=\"post\" action=\"%s\" class=\"stack\">", tr(r, "survey.add_question"),
		 survey_path(r, s, "/questions"));
	form_csrf(r);
	html_fmt(r, "<label for=\"f-kind\">%s</label><select id=\"f-kind\" name=\"kind\">", tr(r, "survey.field.kind"));
	for (int k = 0; kind_choices[k]; k++)
		html_fmt(r, "<option value=\"%s\">%s</option>", kind_choices[k], kind_label(r, (question_kind)k));
	html_fmt(r, "</select><label for=\"f-prompt\">%s</label><input id=\"f-prompt\" name=\"prompt\" required "
		    "maxlength=\"%d\">",
		 tr(r, "survey.field.prompt"), SURVEY_PROMPT_MAX);
	html_fmt(r, "<label for=\"f-options\">%s</label><textarea id=\"f-options\" name=\"options\" rows=\"5\" "
		    "aria-describedby=\"h-options\"></textarea><small id=\"h-options\">%s</small>",
		 tr(r, "survey.field.options"), tr(r, "survey.field.options_help"));
	html_fmt(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"required\" value=\"1\"> %s</label>"
		    "<button type=\"submit\">%s</button></form>",
		 tr(r, "survey.field.required"), tr(r, "survey.add_question"));
}

static void state_forms(request *r, const survey *s)
{
	if (s->state == SURVEY_CLOSED)
		return;
	bool draft = s->state == SURVEY_DRAFT;
	html_fmt(r, "<h2>%s</h2><form method=\"post\" action=\"%s\" class=\"stack\">",
		 tr(r, draft ? "survey.publish" : "survey.close"), survey_path(r, s, draft ? "/publish" : "/close"));
	form_csrf(r);
	html_fmt(r, "<p>%s</p><label class=\"choice\"><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> %s"
		    "</label><button type=\"submit\" class=\"%s\">%s</button></form>",
		 tr(r, draft ? "survey.publish_help" : "survey.close_help"), tr(r, "survey.confirm"),
		 draft ? "" : "danger", tr(r, draft ? "survey.publish" : "survey.close"));
}

static gz_err edit_page(request *r, const survey *s, const char *error)
{
	page_begin(r, trf(r, "survey.edit.title", s->title));
	survey_heading(r, s);
	staff_links(r, s);
	if (error)
		page_notice(r, "error", error);
	else if (req_query(r, "saved"))
		page_notice(r, "ok", tr(r, "survey.saved"));
	if (s->state != SURVEY_DRAFT)
		page_notice(r, "info", tr(r, "survey.fixed"));
	else
		heading_form(r, s);
	if (*s->intro)
		html_fmt(r, "<p class=\"intro\">%s</p>", s->intro);
	html_fmt(r, "<h2>%s</h2>", tr(r, "survey.questions"));
	if (!s->question_count)
		html_fmt(r, "<p class=\"empty\">%s</p>", tr(r, "survey.no_questions"));
	html_markup(r, "<ol class=\"questions\">");
	for (size_t i = 0; i < s->question_count; i++)
		question_summary(r, s, &s->questions[i], s->state == SURVEY_DRAFT);
	html_markup(r, "</ol>");
	if (s->state == SURVEY_DRAFT)
		add_question_form(r, s);
	state_forms(r, s);
	page_end(r);
	return GZ_OK;
}

static gz_err survey_edit_get(request *r)
{
	survey s;
	gz_err rc = load_curated(r, &s);
	return rc ? rc : edit_page(r, &s, NULL);
}

/* Answers a refused staff change on the edit page, or passes the error on. */
static gz_err edit_refused(request *r, gz_err rc, const survey_refusal *why)
{
	if (rc != GZ_EINVAL && rc != GZ_ECONFLICT)
		return rc;
	survey s;
	gz_err again = load_curated(r, &s);
	if (again)
		return again;
	r->status = gz_err_status(rc);
	return edit_page(r, &s, refusal_text(r, rc, why));
}

static gz_err done_editing(request *r, int64_t id)
{
	resp_redirect(r, arena_printf(&r->mem, "/surveys/%lld/edit?saved=1", (long long)id));
	return GZ_OK;
}

static const field heading_fields[] = {
	{ "title", FIELD_LINE, true, 1, SURVEY_TITLE_MAX, NULL },
	{ "intro", FIELD_TEXT, false, 0, SURVEY_INTRO_MAX, NULL },
};

static gz_err survey_edit_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	field_value v[INPUT_COUNT(heading_fields)];
	const char *bad;
	survey_refusal why = { NULL, 0 };
	if (input_read(r, heading_fields, INPUT_COUNT(heading_fields), v, &bad)) {
		why.key = arena_printf(&r->mem, "survey.bad.field.%s", bad);
		return edit_refused(r, GZ_EINVAL, &why);
	}
	gz_err rc = survey_update(req_app(r)->st, r->user, id, v[0].text, v[1].text, &why);
	return rc ? edit_refused(r, rc, &why) : done_editing(r, id);
}

static const field question_fields[] = {
	{ "kind", FIELD_CHOICE, true, 0, 0, kind_choices },
	{ "prompt", FIELD_LINE, true, 1, SURVEY_PROMPT_MAX, NULL },
	{ "options", FIELD_TEXT, false, 0, SURVEY_MAX_OPTIONS * (SURVEY_OPTION_MAX + 2), NULL },
	{ "required", FIELD_BOOL, false, 0, 0, NULL },
};

static gz_err question_add_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	field_value v[INPUT_COUNT(question_fields)];
	const char *bad;
	survey_refusal why = { NULL, 0 };
	if (input_read(r, question_fields, INPUT_COUNT(question_fields), v, &bad)) {
		why.key = arena_printf(&r->mem, "survey.bad.field.%s", bad);
		return edit_refused(r, GZ_EINVAL, &why);
	}
	question_input in = { (question_kind)v[0].number, v[1].text, v[3].number != 0, v[2].text };
	gz_err rc = survey_question_add(req_app(r)->st, r->user, id, &in, &why);
	return rc ? edit_refused(r, rc, &why) : done_editing(r, id);
}

static gz_err question_delete_get(request *r)
{
	survey s;
	gz_err rc = load_curated(r, &s);
	if (rc)
		return rc;
	int64_t qid = req_id_param(r, 1);
	const survey_question *q = NULL;
	for (size_t i = 0; i < s.question_count; i++)
		if (s.questions[i].id == qid)
			q = &s.questions[i];
	if (!q)
		return GZ_ENOTFOUND;
	page_begin(r, tr(r, "survey.delete_question"));
	html_fmt(r, "<h1>%s</h1><p>", tr(r, "survey.delete_question"));
	html_text(r, trf(r, "survey.delete_confirm", q->position, q->prompt));
	html_fmt(r, "</p><form method=\"post\" action=\"%s\" class=\"stack narrow\">",
		 survey_path(r, &s, arena_printf(&r->mem, "/questions/%lld/delete", (long long)qid)));
	form_csrf(r);
	html_fmt(r, "<button type=\"submit\" class=\"danger\">%s</button> <a href=\"%s\">%s</a></form>",
		 tr(r, "survey.delete_question"), survey_path(r, &s, "/edit"), tr(r, "survey.cancel"));
	page_end(r);
	return GZ_OK;
}

static gz_err question_delete_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	gz_err rc = survey_question_delete(req_app(r)->st, r->user, id, req_id_param(r, 1));
	survey_refusal why = { "survey.bad.not_draft", 0 };
	return rc ? edit_refused(r, rc, &why) : done_editing(r, id);
}

static const char *const dir_choices[] = { "up", "down", NULL };
static const field move_fields[] = { { "dir", FIELD_CHOICE, true, 0, 0, dir_choices } };

static gz_err question_move_post(request *r)
{
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	int64_t id = req_id_param(r, 0);
	field_value v[1];
	const char *bad;
	if (input_read(r, move_fields, 1, v, &bad))
		return GZ_EINVAL;
	gz_err rc = survey_question_move(req_app(r)->st, r->user, id, req_id_param(r, 1), v[0].number == 0);
	survey_refusal why = { "survey.bad.not_draft", 0 };
	return rc ? edit_refused(r, rc, &why) : done_editing(r, id);
}

static const field confirm_fields[] = { { "confirm", FIELD_BOOL, true, 0, 0, NULL } };

static bool confirmed(request *r)
{
	field_value v[1];
	const char *bad;
	return !input_read(r, confirm_fields, 1, v, &bad) && v[0].number;
}

static gz_err publish_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	survey_refusal why = { "survey.bad.confirm", 0 };
	gz_err rc = confirmed(r) ? survey_publish(req_app(r)->st, r->user, id, &why) : GZ_EINVAL;
	return rc ? edit_refused(r, rc, &why) : done_editing(r, id);
}

static gz_err close_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	survey_refusal why = { "survey.bad.confirm", 0 };
	gz_err rc = GZ_EINVAL;
	if (confirmed(r)) {
		rc = survey_close(req_app(r)->st, r->user, id);
		why.key = "survey.bad.not_open";
	}
	return rc ? edit_refused(r, rc, &why) : done_editing(r, id);
}

/* ---- answering ---- */

/* Whether the form carried `name` with `value` (for re-showing an answer). */
static bool form_has(request *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->form.count; i++)
		if (!strcmp(r->form.items[i].key, name) && !strcmp(r->form.items[i].value, value))
			return true;
	return false;
}

static const char *form_value(request *r, const char *name)
{
	const char *v = r->method == HTTP_POST ? req_form(r, name) : NULL;
	return v ? v : "";
}

static void answer_choice(request *r, const survey_question *q, const char *type)
{
	const char *name = arena_printf(&r->mem, "q%lld", (long long)q->id);
	for (size_t k = 0; k < q->option_count; k++) {
		const char *value = arena_printf(&r->mem, "%lld", (long long)q->options[k].id);
		html_fmt(r, "<label class=\"choice\"><input type=\"%s\" name=\"%s\" value=\"%s\"%s%s> %s</label>", type, name,
			 value, form_has(r, name, value) ? " checked" : "",
			 q->required && !strcmp(type, "radio") ? " required" : "", q->options[k].label);
	}
}

static void answer_scale(request *r, const survey_question *q)
{
	const char *name = arena_printf(&r->mem, "q%lld", (long long)q->id);
	html_fmt(r, "<div class=\"scale\"><span class=\"end\">%s</span>", tr(r, "survey.scale.low"));
	for (int v = SURVEY_SCALE_MIN; v <= SURVEY_SCALE_MAX; v++) {
		const char *value = arena_printf(&r->mem, "%d", v);
		html_fmt(r, "<label class=\"choice\"><input type=\"radio\" name=\"%s\" value=\"%d\"%s%s> %d</label>", name, v,
			 form_has(r, name, value) ? " checked" : "", q->required ? " required" : "", v);
	}
	html_fmt(r, "<span class=\"end\">%s</span></div>", tr(r, "survey.scale.high"));
}

static void answer_ranking(request *r, const survey_question *q)
{
	html_fmt(r, "<small>%s</small>", tr(r, "survey.ranking_help"));
	for (size_t k = 0; k < q->option_count; k++) {
		const char *name = arena_printf(&r->mem, "q%lld_%lld", (long long)q->id, (long long)q->options[k].id);
		html_fmt(r, "<label class=\"rank\"><select name=\"%s\"><option value=\"\">–</option>", name);
		for (size_t n = 1; n <= q->option_count; n++) {
			const char *value = arena_printf(&r->mem, "%zu", n);
			html_fmt(r, "<option value=\"%zu\"%s>%zu</option>", n, form_has(r, name, value) ? " selected" : "", n);
		}
		html_fmt(r, "</select> %s</label>", q->options[k].label);
	}
}

static void answer_question(request *r, const survey_question *q)
{
	html_fmt(r, "<fieldset class=\"question\"><legend>%d. %s", q->position, q->prompt);
	if (q->required)
		html_fmt(r, " <span class=\"required\">%s</span>", tr(r, "survey.required"));
	html_markup(r, "</legend>");
	switch (q->kind) {
	case QUESTION_SINGLE:
		answer_choice(r, q, "radio");
		break;
	case QUESTION_MULTIPLE:
		html_fmt(r, "<small>%s</small>", tr(r, "survey.multiple_help"));
		answer_choice(r, q, "checkbox");
		break;
	case QUESTION_SCALE:
		answer_scale(r, q);
		break;
	case QUESTION_RANKING:
		answer_ranking(r, q);
		break;
	case QUESTION_TEXT:
	case QUESTION__MAX:
		html_fmt(r, "<textarea name=\"q%lld\" rows=\"4\" maxlength=\"%d\"%s>%s</textarea>", (long long)q->id,
			 SURVEY_ANSWER_TEXT_MAX, q->required ? " required" : "",
			 form_value(r, arena_printf(&r->mem, "q%lld", (long long)q->id)));
		break;
	}
	html_markup(r, "</fieldset>");
}

/* Whether the signed-in person answers as themselves (no code needed): a
 * verified resident living in the questionnaire's scope, as survey_submit
 * will check again. */
static bool answers_as_self(request *r, const survey *s)
{
	if (!r->user || !authz_can(r->user, AUTHZ_ANSWER_SURVEY, (authz_target){ s->street_id, s->unit_path }))
		return false;
	person_record p;
	return !person_get(r->db, &r->mem, r->user->person_id, &p) &&
	       !strncmp(p.home_unit_path, s->unit_path, strlen(s->unit_path));
}

static gz_err answer_page(request *r, const survey *s, const char *error)
{
	page_begin(r, s->title);
	if (r->user && survey_can_curate(r->user, s))
		staff_links(r, s);
	survey_heading(r, s);
	if (*s->intro)
		html_fmt(r, "<p class=\"intro\">%s</p>", s->intro);
	if (error)
		page_notice(r, "error", error);
	if (s->state == SURVEY_CLOSED) {
		page_notice(r, "info", tr(r, "survey.closed_notice"));
		html_fmt(r, "<p><a class=\"button\" href=\"%s\">%s</a></p>", survey_path(r, s, "/results"),
			 tr(r, "survey.tab.results"));
		page_end(r);
		return GZ_OK;
	}
	bool answered = false;
	bool self = answers_as_self(r, s);
	if (self && !error) {
		gz_err rc = survey_answered(r->db, s->street_id, s->id, r->user->person_id, &answered);
		if (rc)
			return rc;
	}
	if (answered) {
		page_notice(r, "info", tr(r, "survey.bad.answered"));
		html_fmt(r, "<p><a class=\"button\" href=\"%s\">%s</a></p>", survey_path(r, s, "/results"),
			 tr(r, "survey.tab.results"));
		page_end(r);
		return GZ_OK;
	}
	if (s->state == SURVEY_DRAFT)
		page_notice(r, "info", tr(r, "survey.preview_notice"));
	html_fmt(r, "<form method=\"post\" action=\"%s\" class=\"stack survey-form\">", survey_path(r, s, ""));
	form_csrf(r);
	html_fmt(r, "<div class=\"code-entry\"><label for=\"f-code\">%s</label><input id=\"f-code\" name=\"code\" "
		    "maxlength=\"20\" autocomplete=\"off\" autocapitalize=\"characters\" value=\"%s\" aria-describedby=\"h-code\">"
		    "<small id=\"h-code\">%s</small></div>",
		 tr(r, "survey.code"), form_value(r, "code"), tr(r, self ? "survey.code_help_self" : "survey.code_help"));
	for (size_t i = 0; i < s->question_count; i++)
		answer_question(r, &s->questions[i]);
	if (s->state == SURVEY_PUBLISHED)
		html_fmt(r, "<button type=\"submit\">%s</button>", tr(r, "survey.submit"));
	html_markup(r, "</form>");
	page_end(r);
	return GZ_OK;
}

static gz_err survey_answer_get(request *r)
{
	survey s;
	gz_err rc = load_visible(r, &s);
	return rc ? rc : answer_page(r, &s, NULL);
}

/* A whole number the way a form sends it; `bad` when it is not one. */
static int64_t form_number(const char *s, int64_t bad)
{
	if (!s || !*s || strlen(s) > 12)
		return bad;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end ? bad : v;
}

/* Turns the posted form into answer items; the domain judges them. */
static answer_item *read_answers(request *r, const survey *s, size_t *count)
{
	answer_item *items = ARENA_ARRAY(&r->mem, answer_item, r->form.count + 1);
	size_t n = 0;
	for (size_t qi = 0; qi < s->question_count; qi++) {
		const survey_question *q = &s->questions[qi];
		const char *name = arena_printf(&r->mem, "q%lld", (long long)q->id);
		if (q->kind == QUESTION_RANKING) {
			for (size_t k = 0; k < q->option_count; k++) {
				const char *v = req_form(r, arena_printf(&r->mem, "%s_%lld", name, (long long)q->options[k].id));
				if (v && *v)
					items[n++] = (answer_item){ q->id, q->options[k].id, form_number(v, 0), NULL };
			}
			continue;
		}
		for (size_t i = 0; i < r->form.count && n < r->form.count; i++) {
			const kv *f = &r->form.items[i];
			if (strcmp(f->key, name) || (!*f->value && q->kind != QUESTION_TEXT))
				continue;
			if (q->kind == QUESTION_TEXT)
				items[n++] = (answer_item){ q->id, 0, 0, f->value };
			else if (q->kind == QUESTION_SCALE)
				items[n++] = (answer_item){ q->id, 0, form_number(f->value, -1), NULL };
			else
				items[n++] = (answer_item){ q->id, form_number(f->value, -1), 0, NULL };
		}
	}
	*count = n;
	return items;
}

/* Trims each free-text answer as input_read would, so "  " counts as blank. */
static void trim_texts(request *r, answer_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!items[i].text)
			continue;
		const char *s = items[i].text;
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		size_t len = strlen(s);
		while (len && strchr(" \t\r\n", s[len - 1]))
			len--;
		items[i].text = arena_strndup(&r->mem, s, len);
	}
}

static gz_err survey_answer_post(request *r)
{
	survey s;
	gz_err rc = load_visible(r, &s);
	if (rc)
		return rc;
	size_t n;
	answer_item *items = read_answers(r, &s, &n);
	trim_texts(r, items, n);
	survey_refusal why;
	int64_t response;
	const char *code = req_form(r, "code");
	rc = survey_submit(req_app(r)->st, r->user, s.id, code, items, n, &response, &why);
	if (rc && answer_in_place(rc)) {
		r->status = gz_err_status(rc);
		return answer_page(r, &s, refusal_text(r, rc, &why));
	}
	if (rc)
		return rc;
	resp_redirect(r, survey_path(r, &s, "/results?thanks=1"));
	return GZ_OK;
}

/* ---- results ---- */

static const char **option_labels(request *r, const survey_question *q)
{
	const char **labels = ARENA_ARRAY(&r->mem, const char *, q->option_count + 1);
	for (size_t k = 0; k < q->option_count; k++)
		labels[k] = q->options[k].label;
	return labels;
}

static gz_err text_answers(request *r, const survey *s, const survey_question *q)
{
	text_answer *list;
	size_t count, links;
	int64_t *pairs;
	gz_err rc = survey_text_answers(r->db, &r->mem, s->street_id, q->id, TEXTS_SHOWN, 0, &list, &count);
	if (!rc)
		rc = survey_question_needs(r->db, &r->mem, s->street_id, q->id, &pairs, &links);
	if (rc)
		return rc;
	html_markup(r, "<ul class=\"text-answers\">");
	for (size_t i = 0; i < count; i++) {
		char at[17];
		time_format_minute(list[i].at, at);
		html_fmt(r, "<li><p>%s</p><p class=\"meta\">%s · ", list[i].text, at);
		int64_t need_id = 0;
		for (size_t k = 0; k < links; k++)
			if (pairs[2 * k] == list[i].id)
				need_id = pairs[2 * k + 1];
		if (need_id)
			html_fmt(r, "<a href=\"/needs/%lld\">%s</a>", (long long)need_id,
				 trf(r, "survey.became_need", (long long)need_id));
		else
			html_fmt(r, "<a href=\"%s\">%s</a>",
				 survey_path(r, s, arena_printf(&r->mem, "/answers/%lld/need", (long long)list[i].id)),
				 tr(r, "survey.to_need"));
		html_markup(r, "</p></li>");
	}
	html_markup(r, "</ul>");
	if (q->option_count == 0 && count == TEXTS_SHOWN)
		html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "survey.texts_more"));
	return GZ_OK;
}

static gz_err question_results(request *r, const survey *s, const survey_question *q, const question_result *res,
			       bool curator)
{
	html_fmt(r, "<section class=\"result\"><h2>%d. %s</h2><p class=\"meta\">%s · ", q->position, q->prompt,
		 kind_label(r, q->kind));
	html_text(r, trf(r, "survey.answered_n", (long long)res->answered));
	html_markup(r, "</p>");
	switch (q->kind) {
	case QUESTION_SINGLE:
	case QUESTION_MULTIPLE:
		chart_bars(r, q->prompt, option_labels(r, q), res->option_counts, q->option_count, res->answered);
		break;
	case QUESTION_SCALE: {
		int64_t sum = 0, n = 0;
		for (int v = SURVEY_SCALE_MIN; v <= SURVEY_SCALE_MAX; v++) {
			sum += v * res->scale[v];
			n += res->scale[v];
		}
		html_fmt(r, "<p>%s</p>", trf(r, "survey.scale_average", chart_decimal(r, sum, n)));
		chart_distribution(r, q->prompt, res->scale, SURVEY_SCALE_MAX);
		break;
	}
	case QUESTION_RANKING:
		html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "survey.ranking_result_help"));
		chart_ranking(r, q->prompt, option_labels(r, q), res->rank_sums, res->rank_counts, q->option_count);
		break;
	case QUESTION_TEXT:
	case QUESTION__MAX:
		if (!curator) {
			html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "survey.texts_private"));
			break;
		}
		html_markup(r, "</section>");
		return text_answers(r, s, q);
	}
	html_markup(r, "</section>");
	return GZ_OK;
}

static gz_err survey_results_get(request *r)
{
	survey s;
	gz_err rc = load_visible(r, &s);
	question_result *res;
	if (!rc)
		rc = survey_results(r->db, &r->mem, &s, &res);
	if (rc)
		return rc;
	bool curator = r->user && survey_can_curate(r->user, &s);
	page_begin(r, trf(r, "survey.results.title", s.title));
	if (curator)
		staff_links(r, &s);
	survey_heading(r, &s);
	if (req_query(r, "thanks"))
		page_notice(r, "ok", tr(r, "survey.thanks"));
	if (s.state == SURVEY_PUBLISHED)
		html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "survey.results_live"));
	for (size_t i = 0; !rc && i < s.question_count; i++)
		rc = question_results(r, &s, &s.questions[i], &res[i], curator);
	if (rc)
		return rc;
	page_end(r);
	return GZ_OK;
}

/* ---- the poster ---- */

/* The questionnaire's address as printed: the site's public address, which
 * the operator configures (never the Host header a client sent). */
static const char *public_url(request *r, const survey *s)
{
	const char *base = req_app(r)->public_url ? req_app(r)->public_url : "";
	size_t blen = strlen(base);
	if (blen && base[blen - 1] == '/')
		blen--;
	return arena_printf(&r->mem, "%.*s/surveys/%lld", (int)blen, base, (long long)s->id);
}

static gz_err survey_poster_get(request *r)
{
	survey s;
	gz_err rc = load_visible(r, &s);
	if (rc)
		return rc;
	const char *url = public_url(r, &s);
	qr_svg qr;
	if ((rc = qr_encode_svg(&r->mem, url, &qr)))
		return rc == GZ_ETOOBIG ? GZ_EINTERNAL : rc;
	page_begin(r, trf(r, "survey.poster.title", s.title));
	html_fmt(r, "<article class=\"poster\"><p class=\"kicker\">%s</p><h1>%s</h1>", s.unit_name, s.title);
	if (*s.intro)
		html_fmt(r, "<p class=\"intro\">%s</p>", s.intro);
	html_fmt(r, "<svg class=\"qr\" viewBox=\"0 0 %d %d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
		    "<title>%s</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"%s\" fill=\"#000\"/></svg>",
		 qr.view, qr.view, tr(r, "survey.poster.qr"), qr.view, qr.view, qr.path);
	html_fmt(r, "<p class=\"scan\">%s</p><p class=\"url\">%s</p><p class=\"hint\">%s</p></article>",
		 tr(r, "survey.poster.scan"), url, tr(r, "survey.poster.code_hint"));
	html_fmt(r, "<p class=\"no-print\">%s</p>", tr(r, "survey.poster.print"));
	page_end(r);
	return GZ_OK;
}

/* ---- one-time codes ---- */

static gz_err codes_page(request *r, const survey *s, const char *error)
{
	const char *b = req_query(r, "batch");
	int batch = b ? atoi(b) : 0;
	int64_t page = page_number(r), total, used;
	survey_code *codes;
	size_t count;
	gz_err rc = survey_codes_list(r->db, &r->mem, s->street_id, s->id, batch < 0 ? 0 : batch, CODES_PAGE,
				      (page - 1) * CODES_PAGE, &codes, &count, &total, &used);
	if (rc)
		return rc;
	page_begin(r, trf(r, "survey.codes.title", s->title));
	staff_links(r, s);
	html_fmt(r, "<h1 class=\"no-print\">%s</h1><p class=\"no-print\">%s</p>", trf(r, "survey.codes.title", s->title),
		 tr(r, "survey.codes.intro"));
	if (error)
		page_notice(r, "error", error);
	html_fmt(r, "<p class=\"no-print\">%s</p>", trf(r, "survey.codes.counts", (long long)total, (long long)used));
	if (s->state != SURVEY_CLOSED) {
		html_fmt(r, "<form method=\"post\" action=\"%s\" class=\"inline-form no-print\">", survey_path(r, s, "/codes"));
		form_csrf(r);
		html_fmt(r, "<label for=\"f-count\">%s</label><input id=\"f-count\" name=\"count\" type=\"number\" min=\"1\" "
			    "max=\"%d\" value=\"50\" required><button type=\"submit\">%s</button></form>",
			 tr(r, "survey.codes.count"), SURVEY_CODE_BATCH_MAX, tr(r, "survey.codes.generate"));
	}
	html_markup(r, "<ul class=\"code-slips\">");
	for (size_t i = 0; i < count; i++) {
		html_fmt(r, "<li class=\"slip%s\"><span class=\"survey\">%s</span><span class=\"code\">%s</span>",
			 codes[i].used_at ? " used" : "", s->title, codes[i].code);
		html_fmt(r, "<span class=\"where\">%s</span>",
			 trf(r, "survey.codes.where", public_url(r, s), codes[i].batch));
		if (codes[i].used_at)
			html_fmt(r, "<span class=\"tag\">%s</span>", tr(r, "survey.codes.used"));
		html_markup(r, "</li>");
	}
	html_markup(r, "</ul>");
	page_pager(r, survey_path(r, s, "/codes"), page, (total + CODES_PAGE - 1) / CODES_PAGE);
	page_end(r);
	return GZ_OK;
}

static gz_err survey_codes_get(request *r)
{
	survey s;
	gz_err rc = load_curated(r, &s);
	return rc ? rc : codes_page(r, &s, NULL);
}

static const field codes_fields[] = { { "count", FIELD_INT, true, 1, SURVEY_CODE_BATCH_MAX, NULL } };

static gz_err survey_codes_post(request *r)
{
	survey s;
	gz_err rc = load_curated(r, &s);
	if (rc)
		return rc;
	field_value v[1];
	const char *bad;
	int batch = 0;
	rc = input_read(r, codes_fields, 1, v, &bad);
	if (!rc)
		rc = survey_codes_create(req_app(r)->st, r->user, s.id, (int)v[0].number, &batch);
	if (rc == GZ_EINVAL || rc == GZ_ECONFLICT) {
		r->status = gz_err_status(rc);
		return codes_page(r, &s, tr(r, rc == GZ_EINVAL ? "survey.bad.field.count" : "survey.bad.closed"));
	}
	if (rc)
		return rc;
	resp_redirect(r, survey_path(r, &s, arena_printf(&r->mem, "/codes?batch=%d", batch)));
	return GZ_OK;
}

/* ---- CSV export ---- */

/* One CSV field: quoted when needed; a leading = + - @ is defused so a
 * spreadsheet never runs an answer as a formula. */
static void csv_field(buf *b, const char *s, bool first)
{
	if (!first)
		buf_addch(b, ',');
	s = s ? s : "";
	bool formula = strchr("=+-@\t\r", *s) && *s;
	buf_addch(b, '"');
	if (formula)
		buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(b, '"');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

static const char *option_label_of(const survey_question *q, int64_t option_id)
{
	for (size_t k = 0; k < q->option_count; k++)
		if (q->options[k].id == option_id)
			return q->options[k].label;
	return "";
}

/* Adds one answer to the question's cell of the current row. */
static void cell_add(request *r, const survey_question *q, buf *cell, const export_cell *e)
{
	if (cell->len)
		buf_adds(cell, q->kind == QUESTION_RANKING ? " > " : "; ");
	switch (q->kind) {
	case QUESTION_SCALE:
		buf_printf(cell, "%lld", (long long)e->value);
		break;
	case QUESTION_TEXT:
	case QUESTION__MAX:
		buf_adds(cell, e->text ? e->text : "");
		break;
	default:
		buf_adds(cell, option_label_of(q, e->option_id));
	}
}

static void csv_row(request *r, const survey *s, const export_cell *first, buf *cells)
{
	char at[17];
	time_format_minute(first->at, at);
	buf_printf(&r->out, "%lld", (long long)first->response_id);
	csv_field(&r->out, at, false);
	csv_field(&r->out, tr(r, !strcmp(first->channel, "code") ? "survey.csv.by_code" : "survey.csv.by_resident"),
		  false);
	for (size_t qi = 0; qi < s->question_count; qi++) {
		csv_field(&r->out, cells[qi].data, false);
		buf_reset(&cells[qi]);
	}
	buf_adds(&r->out, "\r\n");
}

static gz_err survey_export_get(request *r)
{
	survey s;
	gz_err rc = load_curated(r, &s);
	export_cell *cells;
	size_t count;
	if (!rc)
		rc = survey_export(r->db, &r->mem, s.street_id, s.id, &cells, &count);
	if (rc)
		return rc;
	r->out_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(&r->mem, "attachment; filename=\"survey-%lld.csv\"", (long long)s.id));
	buf_adds(&r->out, "\xEF\xBB\xBF");   /* the BOM Excel needs to read UTF-8 */
	csv_field(&r->out, tr(r, "survey.csv.response"), true);
	csv_field(&r->out, tr(r, "survey.csv.time"), false);
	csv_field(&r->out, tr(r, "survey.csv.channel"), false);
	for (size_t qi = 0; qi < s.question_count; qi++)
		csv_field(&r->out, arena_printf(&r->mem, "%d. %s", s.questions[qi].position, s.questions[qi].prompt), false);
	buf_adds(&r->out, "\r\n");
	buf *row = ARENA_ARRAY(&r->mem, buf, s.question_count + 1);
	for (size_t qi = 0; qi < s.question_count; qi++)
		buf_init(&row[qi], 0);
	for (size_t i = 0; i < count; i++) {
		size_t qi = 0;
		while (qi < s.question_count && s.questions[qi].id != cells[i].question_id)
			qi++;
		if (qi < s.question_count)
			cell_add(r, &s.questions[qi], &row[qi], &cells[i]);
		if (i + 1 == count || cells[i + 1].response_id != cells[i].response_id)
			csv_row(r, &s, &cells[i], row);
	}
	for (size_t qi = 0; qi < s.question_count; qi++)
		buf_release(&row[qi]);
	return GZ_OK;
}

/* ---- a free-text answer into a need ---- */

static const field to_need_fields[] = {
	{ "title", FIELD_LINE, true, NEED_TITLE_MIN, NEED_TITLE_MAX, NULL },
	{ "body", FIELD_TEXT, true, NEED_BODY_MIN, NEED_BODY_MAX, NULL },
	{ "category", FIELD_LINE, true, 1, 40, NULL },
	{ "unit", FIELD_ID, false, 0, 0, NULL },
};

/* The free-text answer named by the second :id, of this questionnaire. */
static gz_err find_text_answer(request *r, const survey *s, text_answer *out)
{
	return survey_text_answer_get(r->db, &r->mem, s->street_id, s->id, req_id_param(r, 1), out);
}

static gz_err to_need_form(request *r, const survey *s, const text_answer *a, const field_value *v, const char *error)
{
	const char **cats;
	size_t ncats;
	org_unit *units;
	size_t nunits;
	gz_err rc = need_categories(r->db, &r->mem, s->street_id, &cats, &ncats);
	if (!rc)
		rc = curated_units(r, false, &units, &nunits);
	if (rc)
		return rc;
	page_begin(r, tr(r, "survey.to_need"));
	html_fmt(r, "<h1>%s</h1><p class=\"meta\">%s</p><blockquote>%s</blockquote>", tr(r, "survey.to_need"), s->title,
		 a->text);
	if (error)
		page_notice(r, "error", error);
	html_fmt(r, "<form method=\"post\" action=\"%s\" class=\"stack\">",
		 survey_path(r, s, arena_printf(&r->mem, "/answers/%lld/need", (long long)a->id)));
	form_csrf(r);
	html_fmt(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" required maxlength=\"%d\" "
		    "value=\"%s\">",
		 tr(r, "survey.need.title"), NEED_TITLE_MAX, v ? v[0].text : "");
	html_fmt(r, "<label for=\"f-body\">%s</label><textarea id=\"f-body\" name=\"body\" rows=\"5\" required "
		    "maxlength=\"%d\">%s</textarea>",
		 tr(r, "survey.need.body"), NEED_BODY_MAX, v && v[1].text ? v[1].text : a->text);
	html_fmt(r, "<label for=\"f-category\">%s</label><select id=\"f-category\" name=\"category\">",
		 tr(r, "survey.need.category"));
	for (size_t i = 0; i < ncats; i++)
		html_fmt(r, "<option%s>%s</option>", v && v[2].text && !strcmp(v[2].text, cats[i]) ? " selected" : "", cats[i]);
	html_fmt(r, "</select><label for=\"f-unit\">%s</label><select id=\"f-unit\" name=\"unit\"><option value=\"\">%s"
		    "</option>",
		 tr(r, "survey.need.place"), tr(r, "survey.need.place_default"));
	for (size_t i = 0; i < nunits; i++)
		html_fmt(r, "<option value=\"%lld\"%s>%s</option>", (long long)units[i].id,
			 v && v[3].number == units[i].id ? " selected" : "", units[i].name);
	html_fmt(r, "</select><button type=\"submit\">%s</button></form>", tr(r, "survey.to_need"));
	page_end(r);
	return GZ_OK;
}

static gz_err to_need_get(request *r)
{
	survey s;
	text_answer a;
	gz_err rc = load_curated(r, &s);
	if (!rc)
		rc = find_text_answer(r, &s, &a);
	return rc ? rc : to_need_form(r, &s, &a, NULL, NULL);
}

static gz_err to_need_post(request *r)
{
	survey s;
	text_answer a;
	gz_err rc = load_curated(r, &s);
	if (!rc)
		rc = find_text_answer(r, &s, &a);
	if (rc)
		return rc;
	field_value v[INPUT_COUNT(to_need_fields)];
	const char *bad;
	if (input_read(r, to_need_fields, INPUT_COUNT(to_need_fields), v, &bad)) {
		r->status = 400;
		return to_need_form(r, &s, &a, v, tr(r, arena_printf(&r->mem, "survey.need.bad.%s", bad)));
	}
	need_input in = { .title = v[0].text, .body = v[1].text, .category = v[2].text, .unit_id = v[3].number,
			  .submitter_name = tr(r, "survey.need.respondent") };
	survey_refusal why;
	int64_t need_id;
	rc = survey_answer_to_need(req_app(r)->st, r->user, s.id, a.id, &in, &need_id, &why);
	if (rc && answer_in_place(rc) && rc != GZ_ENOTFOUND) {
		r->status = gz_err_status(rc);
		return to_need_form(r, &s, &a, v, refusal_text(r, rc, &why));
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/needs/%lld", (long long)need_id));
	return GZ_OK;
}

const route page_surveys_routes[] = {
	{ HTTP_GET, "/surveys", surveys_list, 0 },
	{ HTTP_GET, "/surveys/new", survey_new_get, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/new", survey_new_post, ROUTE_LOGIN },
	{ HTTP_GET, "/surveys/:id", survey_answer_get, 0 },
	{ HTTP_POST, "/surveys/:id", survey_answer_post, 0 },
	{ HTTP_GET, "/surveys/:id/results", survey_results_get, 0 },
	{ HTTP_GET, "/surveys/:id/poster", survey_poster_get, 0 },
	{ HTTP_GET, "/surveys/:id/edit", survey_edit_get, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/edit", survey_edit_post, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/questions", question_add_post, ROUTE_LOGIN },
	{ HTTP_GET, "/surveys/:id/questions/:qid/delete", question_delete_get, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/questions/:qid/delete", question_delete_post, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/questions/:qid/move", question_move_post, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/publish", publish_post, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/close", close_post, ROUTE_LOGIN },
	{ HTTP_GET, "/surveys/:id/codes", survey_codes_get, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/codes", survey_codes_post, ROUTE_LOGIN },
	{ HTTP_GET, "/surveys/:id/export.csv", survey_export_get, ROUTE_LOGIN },
	{ HTTP_GET, "/surveys/:id/answers/:aid/need", to_need_get, ROUTE_LOGIN },
	{ HTTP_POST, "/surveys/:id/answers/:aid/need", to_need_post, ROUTE_LOGIN },
	{ 0 },
};
