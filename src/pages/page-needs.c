/* 问需: the list and search of needs, raising one (with a look at similar
 * needs first), a need's page with supports and the staff's decisions,
 * near-duplicate clusters and merging, the accounting of every need's fate,
 * the CSV export and the category list. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/authz.h"
#include "domain/needs.h"
#include "domain/org.h"
#include "http/input.h"
#include "pages/page-needs.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/timeutil.h"

#define DAY 86400

/* ---- shared pieces ---- */

static const field filter_fields[] = {
	{ "q", FIELD_LINE, false, 0, 100, NULL },
	{ "category", FIELD_LINE, false, 0, 20, NULL },
	{ "community", FIELD_ID, false, 0, 0, NULL },
	{ "status", FIELD_CHOICE, false, 0, 0, need_status_names },
	{ "from", FIELD_DATE, false, 0, 0, NULL },
	{ "to", FIELD_DATE, false, 0, 0, NULL },
	{ "page", FIELD_INT, false, 1, 100000, NULL },
};

gz_err needs_read_filter(request *r, need_filter *f, int64_t *page, int64_t per_page, const char **bad)
{
	field_value v[INPUT_COUNT(filter_fields)];
	*f = (need_filter){ .status = -1, .limit = per_page };
	*page = 1;
	gz_err rc = input_read(r, filter_fields, INPUT_COUNT(filter_fields), v, bad);
	if (rc)
		return rc;
	f->q = v[0].present ? v[0].text : NULL;
	f->category = v[1].present ? v[1].text : NULL;
	f->community_id = v[2].present ? v[2].number : 0;
	f->status = v[3].present ? (int)v[3].number : -1;
	f->from = v[4].present ? v[4].number : 0;
	f->to = v[5].present ? v[5].number + DAY : 0;   /* the end day counts in full */
	*page = v[6].present ? v[6].number : 1;
	f->offset = (*page - 1) * per_page;
	f->include_hidden = r->user && actor_has_role(r->user, ROLE_STREET_STAFF);
	return GZ_OK;
}

bool need_reader_restricted(request *r, const need *n)
{
	return r->user && authz_can(r->user, AUTHZ_VIEW_RESTRICTED, (authz_target){ n->street_id, n->unit_path });
}

const char *need_submitter_shown(request *r, const need *n)
{
	if (n->show_name || need_reader_restricted(r, n))
		return n->submitter;
	return mask_name(&r->mem, n->submitter);
}

const char *need_status_label(request *r, need_status s)
{
	return tr(r, arena_printf(&r->mem, "need.status.%s", need_status_name(s)));
}

static void date_of(int64_t t, char out[11])
{
	time_format_date(t, out);
}

void need_card(request *r, const need *n, bool pick, bool supported)
{
	char day[11];
	date_of(n->created_at, day);
	html_fmt(r, "<article class=\"need-card status-%s\">", need_status_name(n->status));
	if (pick && n->status == NEED_OPEN && !n->hidden)
		html_fmt(r, "<label class=\"pick\"><input type=\"checkbox\" name=\"need\" value=\"%lld\"> %s</label>",
			 (long long)n->id, tr(r, "need.pick"));
	if (n->hidden && !need_reader_restricted(r, n)) {
		html_fmt(r, "<h3><a href=\"/needs/%lld\">#%lld %s</a></h3><p class=\"hidden-note\">%s</p></article>",
			 (long long)n->id, (long long)n->id, tr(r, "need.hidden_title"), trf(r, "need.hidden_because", n->hidden_reason));
		return;
	}
	html_fmt(r, "<h3><a href=\"/needs/%lld\">%s</a></h3><p class=\"meta\"><span class=\"tag status\">%s</span> "
		    "<span class=\"tag\">%s</span> %s · %s · <time datetime=\"%s\">%s</time></p>",
		 (long long)n->id, n->title, need_status_label(r, n->status), n->category, n->community_name,
		 need_submitter_shown(r, n), day, day);
	html_fmt(r, "<p class=\"counts\">%s", trf(r, "need.supports_n", (long long)n->supports));
	if (n->merged_count)
		html_fmt(r, " · %s", trf(r, "need.merged_n", (long long)n->merged_count));
	if (supported)
		html_fmt(r, " · <strong>%s</strong>", tr(r, "need.you_support"));
	html_markup(r, "</p></article>");
}

/* The community a community staff member serves, 0 for street-wide staff. */
static int64_t staff_community(const actor *a)
{
	if (!a || actor_has_role(a, ROLE_STREET_STAFF) || actor_has_role(a, ROLE_ADMIN))
		return 0;
	for (size_t i = 0; i < a->role_count; i++)
		if (a->roles[i].role == ROLE_COMMUNITY_STAFF)
			return a->roles[i].unit_id;
	return 0;
}

static void option(request *r, const char *value, const char *label, bool selected)
{
	html_fmt(r, "<option value=\"%s\"%s>%s</option>", value, selected ? " selected" : "", label);
}

static gz_err category_select(request *r, const char *name, const char *chosen, bool any)
{
	const char **cats;
	size_t count;
	gz_err rc = need_categories(r->db, &r->mem, req_app(r)->street_id, &cats, &count);
	if (rc)
		return rc;
	html_fmt(r, "<label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"%s>", name, tr(r, "need.category"), name,
		 name, any ? "" : " required");
	if (any)
		option(r, "", tr(r, "need.any"), !chosen);
	for (size_t i = 0; i < count; i++)
		option(r, cats[i], cats[i], chosen && !strcmp(chosen, cats[i]));
	html_markup(r, "</select>");
	return GZ_OK;
}

static gz_err community_select(request *r, const char *name, int64_t chosen, bool any)
{
	org_unit *units;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, UNIT_COMMUNITY, &units, &count);
	if (rc)
		return rc;
	html_fmt(r, "<label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">", name, tr(r, "org.community"), name, name);
	if (any)
		option(r, "", tr(r, "need.any"), !chosen);
	for (size_t i = 0; i < count; i++)
		option(r, arena_printf(&r->mem, "%lld", (long long)units[i].id), units[i].name, units[i].id == chosen);
	html_markup(r, "</select>");
	return GZ_OK;
}

/* Every place a need can be about: communities, their grids and buildings. */
static gz_err place_select(request *r, int64_t chosen)
{
	org_unit *units;
	size_t count;
	gz_err rc = unit_list(r->db, &r->mem, req_app(r)->street_id, -1, &units, &count);
	if (rc)
		return rc;
	html_fmt(r, "<label for=\"f-place\">%s</label><select id=\"f-place\" name=\"place\" required "
		    "aria-describedby=\"h-place\"><option value=\"\">%s</option>",
		 tr(r, "need.place"), tr(r, "need.choose"));
	const char *community = "";
	for (size_t i = 0; i < count; i++) {
		const org_unit *u = &units[i];
		if (u->kind == UNIT_STREET)
			continue;
		if (u->kind == UNIT_COMMUNITY)
			community = u->name;
		const char *label = u->kind == UNIT_COMMUNITY ? u->name
				    : arena_printf(&r->mem, "%s%s %s", u->kind == UNIT_GRID ? "— " : "—— ", community, u->name);
		option(r, arena_printf(&r->mem, "%lld", (long long)u->id), label, u->id == chosen);
	}
	html_fmt(r, "</select><small id=\"h-place\">%s</small>", tr(r, "need.place_help"));
	return GZ_OK;
}

static gz_err period_state(request *r, bool *open, int *year, char ends[11], char starts[11])
{
	int64_t s, e;
	*open = need_period_open(r->db, &r->mem, req_app(r)->street_id, year, &s, &e);
	time_format_date(e, ends);
	if (s)
		time_format_date(s, starts);
	else
		starts[0] = 0;
	return GZ_OK;
}

static bool may_record(request *r)
{
	return r->user && actor_is_staff(r->user);
}

/* ---- the list ---- */

static void filter_form(request *r, const need_filter *f)
{
	html_fmt(r, "<form method=\"get\" action=\"/needs\" class=\"filters\" role=\"search\"><label for=\"f-q\">%s</label>"
		    "<input id=\"f-q\" name=\"q\" type=\"search\" maxlength=\"100\" value=\"%s\" placeholder=\"%s\">",
		 tr(r, "need.search"), f->q ? f->q : "", tr(r, "need.search_hint"));
	html_markup(r, "<details><summary>");
	html_t(r, "need.more_filters");
	html_markup(r, "</summary><div class=\"filter-grid\">");
	category_select(r, "category", f->category, true);
	community_select(r, "community", f->community_id, true);
	html_fmt(r, "<label for=\"f-status\">%s</label><select id=\"f-status\" name=\"status\">", tr(r, "need.status"));
	option(r, "", tr(r, "need.any"), f->status < 0);
	for (int s = 0; s < NEED_STATUS__MAX; s++)
		option(r, need_status_names[s], need_status_label(r, (need_status)s), f->status == s);
	char from[11] = "", to[11] = "";
	if (f->from)
		date_of(f->from, from);
	if (f->to)
		date_of(f->to - DAY, to);
	html_fmt(r, "</select><label for=\"f-from\">%s</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"%s\">"
		    "<label for=\"f-to\">%s</label><input id=\"f-to\" name=\"to\" type=\"date\" value=\"%s\"></div></details>"
		    "<button type=\"submit\">%s</button></form>",
		 tr(r, "need.from"), from, tr(r, "need.to"), to, tr(r, "need.search_submit"));
}

static gz_err needs_index(request *r)
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
	bool *supported = ARENA_ARRAY(&r->mem, bool, count + 1);
	if (r->user)
		need_supported_flags(r->db, &r->mem, req_app(r)->street_id, r->user->person_id, list, count, supported);
	bool open, staff = actor_is_staff(r->user);
	int year;
	char ends[11], starts[11];
	period_state(r, &open, &year, ends, starts);
	page_begin(r, tr(r, "need.list_title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "need.list_title"), tr(r, "need.list_intro"));
	if (open)
		html_fmt(r, "<p class=\"period open\">%s</p>", trf(r, "need.period_open", year, ends));
	else
		html_fmt(r, "<p class=\"period closed\">%s</p>", tr(r, "need.period_closed"));
	html_fmt(r, "<p class=\"actions\"><a class=\"button\" href=\"/needs/new\">%s</a> <a href=\"/drafts\">%s</a> "
		    "<a href=\"/needs/accounting\">%s</a>",
		 tr(r, "need.new"), tr(r, "draft.list_title"), tr(r, "need.accounting_title"));
	html_fmt(r, " <a href=\"/surveys\">%s</a> <a href=\"/meetings\">%s</a>", tr(r, "need.surveys_link"),
		 tr(r, "need.meetings_link"));
	if (r->user)
		html_fmt(r, " <a href=\"/inbox\">%s</a>", tr(r, "inbox.title"));
	if (staff)
		html_fmt(r, " <a href=\"/needs/duplicates\">%s</a> <a href=\"/needs/export.csv\">%s</a>",
			 tr(r, "need.duplicates_title"), tr(r, "need.export"));
	if (r->user && authz_can(r->user, AUTHZ_CONFIGURE_NEEDS, (authz_target){ req_app(r)->street_id, NULL }))
		html_fmt(r, " <a href=\"/needs/categories\">%s</a>", tr(r, "need.categories_title"));
	html_markup(r, "</p>");
	filter_form(r, &f);
	bool more = f.q && *f.q && total > NEED_SEARCH_MAX;   /* a search stops counting there */
	html_fmt(r, "<p class=\"result-count\">%s</p>",
		 more ? trf(r, "need.found_more", (long long)NEED_SEARCH_MAX) : trf(r, "need.found_n", (long long)total));
	if (staff)
		html_markup(r, "<form method=\"get\" action=\"/drafts/new\">");
	html_markup(r, "<div class=\"need-list\">");
	for (size_t i = 0; i < count; i++)
		need_card(r, &list[i], staff, supported[i]);
	html_markup(r, "</div>");
	if (staff && count)
		html_fmt(r, "<button type=\"submit\">%s</button>", tr(r, "need.consolidate_picked"));
	if (staff)
		html_markup(r, "</form>");
	page_pager(r, "/needs", page, ((more ? NEED_SEARCH_MAX : total) + NEEDS_PER_PAGE - 1) / NEEDS_PER_PAGE);
	page_end(r);
	return GZ_OK;
}

/* ---- raising a need ---- */

static const field need_fields[] = {
	{ "title", FIELD_LINE, true, NEED_TITLE_MIN, NEED_TITLE_MAX, NULL },
	{ "body", FIELD_TEXT, true, NEED_BODY_MIN, NEED_BODY_MAX, NULL },
	{ "category", FIELD_LINE, true, 1, 20, NULL },
	{ "place", FIELD_ID, true, 0, 0, NULL },
	{ "address", FIELD_LINE, false, 0, NEED_ADDRESS_MAX, NULL },
	{ "show_name", FIELD_BOOL, false, 0, 0, NULL },
	{ "channel", FIELD_CHOICE, false, 0, 0, need_channel_names },
	{ "person", FIELD_ID, false, 0, 0, NULL },
	{ "submitter_name", FIELD_LINE, false, 0, 40, NULL },
};

enum { NF_TITLE, NF_BODY, NF_CATEGORY, NF_PLACE, NF_ADDRESS, NF_SHOW, NF_CHANNEL, NF_PERSON, NF_NAME, NF__COUNT };

/* What the form shows again: the values as sent, whether valid or not. */
typedef struct need_draft_form {
	const char *title, *body, *category, *address, *channel, *person, *submitter_name;
	int64_t place;
	bool show_name;
} need_draft_form;

static need_draft_form form_as_sent(request *r)
{
	const char *place = req_form(r, "place");
	need_draft_form d = { req_form(r, "title"), req_form(r, "body"), req_form(r, "category"), req_form(r, "address"),
			      req_form(r, "channel"), req_form(r, "person"), req_form(r, "submitter_name"),
			      place ? strtoll(place, NULL, 10) : 0, req_form(r, "show_name") != NULL };
	return d;
}

static void text_field(request *r, const char *name, const char *label_key, const char *value, const char *extra)
{
	html_fmt(r, "<label for=\"f-%s\">%s</label><input id=\"f-%s\" name=\"%s\" value=\"%s\"", name, tr(r, label_key),
		 name, name, value ? value : "");
	html_markup(r, extra);
	html_markup(r, ">");
}

/* The fields of a need; with_photos on the final step. */
static gz_err need_fields_html(request *r, const need_draft_form *d, bool with_photos)
{
	text_field(r, "title", "need.title", d->title,
		   " required minlength=\"2\" maxlength=\"60\" autocomplete=\"off\" aria-describedby=\"h-title\"");
	html_fmt(r, "<small id=\"h-title\">%s</small>", tr(r, "need.title_help"));
	html_fmt(r, "<label for=\"f-body\">%s</label><textarea id=\"f-body\" name=\"body\" rows=\"6\" required "
		    "minlength=\"5\" maxlength=\"2000\" aria-describedby=\"h-body\">%s</textarea><small id=\"h-body\">%s</small>",
		 tr(r, "need.body"), d->body ? d->body : "", tr(r, "need.body_help"));
	gz_err rc = category_select(r, "category", d->category, false);
	if (!rc)
		rc = place_select(r, d->place);
	if (rc)
		return rc;
	text_field(r, "address", "need.address", d->address, " maxlength=\"100\"");
	html_fmt(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"show_name\" value=\"1\"%s> %s</label>",
		 d->show_name ? " checked" : "", tr(r, "need.show_name"));
	if (may_record(r)) {
		html_fmt(r, "<fieldset class=\"staff\"><legend>%s</legend><p class=\"hint\">%s</p>"
			    "<label for=\"f-channel\">%s</label><select id=\"f-channel\" name=\"channel\">",
			 tr(r, "need.record_legend"), tr(r, "need.record_help"), tr(r, "need.channel"));
		for (int c = 0; c < CHANNEL__MAX; c++)
			if (c != CHANNEL_QUESTIONNAIRE && c != CHANNEL_MEETING)
				option(r, need_channel_names[c], tr(r, arena_printf(&r->mem, "need.channel.%s", need_channel_names[c])),
				       d->channel ? !strcmp(d->channel, need_channel_names[c]) : c == CHANNEL_WEB);
		html_markup(r, "</select>");
		text_field(r, "person", "need.person", d->person, " inputmode=\"numeric\" pattern=\"[0-9]*\"");
		text_field(r, "submitter_name", "need.submitter_name", d->submitter_name, " maxlength=\"40\"");
		html_markup(r, "</fieldset>");
	}
	if (with_photos) {
		html_fmt(r, "<label for=\"f-photo\">%s</label><input id=\"f-photo\" name=\"photo\" type=\"file\" "
			    "accept=\"image/jpeg,image/png,image/webp\" multiple aria-describedby=\"h-photo\">"
			    "<small id=\"h-photo\">%s</small>",
			 tr(r, "need.photos"), tr(r, "need.photos_help"));
	}
	return GZ_OK;
}

static gz_err new_form(request *r, const need_draft_form *d, const char *error)
{
	bool open;
	int year;
	char ends[11], starts[11];
	period_state(r, &open, &year, ends, starts);
	page_begin(r, tr(r, "need.new"));
	html_fmt(r, "<h1>%s</h1>", tr(r, "need.new"));
	if (error)
		page_notice(r, "error", error);
	if (!open && !may_record(r)) {
		page_notice(r, "info", *starts ? trf(r, "need.closed_until", starts) : tr(r, "need.closed"));
		html_fmt(r, "<p><a href=\"/needs\">%s</a></p>", tr(r, "need.browse"));
		page_end(r);
		return GZ_OK;
	}
	html_fmt(r, "<p>%s</p><form method=\"post\" action=\"/needs/check\" class=\"stack\" id=\"need-form\">",
		 tr(r, "need.new_intro"));
	form_csrf(r);
	gz_err rc = need_fields_html(r, d, false);
	if (rc)
		return rc;
	html_fmt(r, "<section id=\"similar-live\" class=\"similar\" hidden aria-live=\"polite\"><h2>%s</h2><ul></ul></section>"
		    "<button type=\"submit\">%s</button><p class=\"hint\">%s</p></form>",
		 tr(r, "need.similar_title"), tr(r, "need.check_submit"), tr(r, "need.check_help"));
	html_markup(r, "<script src=\"/static/needs.js\" defer></script>");
	page_end(r);
	return GZ_OK;
}

static gz_err need_new(request *r)
{
	need_draft_form d = { 0 };
	return new_form(r, &d, NULL);
}

/* The reason need_create gave, as a sentence. */
static const char *refusal_text(request *r, gz_err rc, const need_refusal *why, const char *bad)
{
	if (bad)
		return tr(r, arena_printf(&r->mem, "need.bad.%s", bad));
	if (why->key)
		return tr(r, why->key);
	return tr(r, gz_err_key(rc));
}

static gz_err refuse_form(request *r, gz_err rc, const need_refusal *why, const char *bad)
{
	r->status = gz_err_status(rc);
	need_draft_form d = form_as_sent(r);
	return new_form(r, &d, refusal_text(r, rc, why, bad));
}

static void similar_list(request *r, const need *list, size_t count, bool can_support, const bool *supported)
{
	html_markup(r, "<ul class=\"similar-list\">");
	for (size_t i = 0; i < count; i++) {
		html_fmt(r, "<li><a href=\"/needs/%lld\">%s</a> <span class=\"meta\">%s · %s</span>", (long long)list[i].id,
			 list[i].title, list[i].community_name, trf(r, "need.supports_n", (long long)list[i].supports));
		if (can_support && supported && supported[i])
			html_fmt(r, " <span class=\"tag\">%s</span>", tr(r, "need.you_support"));
		else if (can_support && list[i].person_id != r->user->person_id) {
			html_fmt(r, "<form method=\"post\" action=\"/needs/%lld/support\" class=\"inline\">", (long long)list[i].id);
			form_csrf(r);
			html_fmt(r, "<button type=\"submit\" class=\"secondary\">%s</button></form>", tr(r, "need.support_this"));
		}
		html_markup(r, "</li>");
	}
	html_markup(r, "</ul>");
}

static bool can_support(request *r)
{
	return r->user && authz_can(r->user, AUTHZ_SUPPORT_NEED, (authz_target){ req_app(r)->street_id, NULL });
}

/* Step two: similar needs, then the final form with photos. */
static gz_err need_check(request *r)
{
	field_value v[NF__COUNT];
	const char *bad;
	need_refusal none = { NULL };
	if (input_read(r, need_fields, NF__COUNT, v, &bad))
		return refuse_form(r, GZ_EINVAL, &none, bad);
	need *similar;
	size_t count;
	const char *text = arena_printf(&r->mem, "%s\n%s", v[NF_TITLE].text, v[NF_BODY].text);
	gz_err rc = need_similar(r->db, &r->mem, req_app(r)->street_id, text, 0, 5, &similar, &count);
	if (rc)
		return rc;
	bool *supported = ARENA_ARRAY(&r->mem, bool, count + 1);
	need_supported_flags(r->db, &r->mem, req_app(r)->street_id, r->user->person_id, similar, count, supported);
	page_begin(r, tr(r, "need.check_title"));
	html_fmt(r, "<h1>%s</h1>", tr(r, "need.check_title"));
	if (count) {
		html_fmt(r, "<section class=\"similar\"><h2>%s</h2><p>%s</p>", tr(r, "need.similar_title"),
			 tr(r, "need.similar_intro"));
		similar_list(r, similar, count, can_support(r), supported);
		html_markup(r, "</section>");
	} else {
		page_notice(r, "info", tr(r, "need.no_similar"));
	}
	html_fmt(r, "<h2>%s</h2><form method=\"post\" action=\"/needs\" enctype=\"multipart/form-data\" class=\"stack\">",
		 tr(r, "need.confirm_title"));
	form_csrf(r);
	need_draft_form d = form_as_sent(r);
	if ((rc = need_fields_html(r, &d, true)))
		return rc;
	html_fmt(r, "<button type=\"submit\">%s</button></form>", tr(r, "need.submit"));
	page_end(r);
	return GZ_OK;
}

static gz_err too_many(request *r, int wait)
{
	char seconds[16];
	snprintf(seconds, sizeof(seconds), "%d", wait);
	resp_header(r, "Retry-After", seconds);
	r->status = 429;
	need_draft_form d = form_as_sent(r);
	return new_form(r, &d, trf(r, "need.throttled", (wait + 59) / 60));
}

static gz_err need_submit(request *r)
{
	field_value v[NF__COUNT];
	const char *bad;
	need_refusal why = { NULL };
	if (input_read(r, need_fields, NF__COUNT, v, &bad))
		return refuse_form(r, GZ_EINVAL, &why, bad);
	bool staff = may_record(r);
	int wait = staff ? 0 : need_throttle_wait(r->user, r->client_ip);
	if (wait > 0)
		return too_many(r, wait);
	need_photo_in photos[PHOTO_MAX_COUNT];
	size_t nphotos = 0;
	for (size_t i = 0; i < r->upload_count; i++) {
		if (strcmp(r->uploads[i].field, "photo") || !r->uploads[i].len)
			continue;   /* an empty file input sends an empty part */
		if (nphotos == PHOTO_MAX_COUNT) {
			why.key = "need.bad.photos";
			return refuse_form(r, GZ_EINVAL, &why, NULL);
		}
		photos[nphotos++] = (need_photo_in){ r->uploads[i].data, r->uploads[i].len };
	}
	need_input in = { v[NF_TITLE].text, v[NF_BODY].text, v[NF_CATEGORY].text, v[NF_PLACE].number,
			  v[NF_ADDRESS].present ? v[NF_ADDRESS].text : "", 0, NULL, CHANNEL_WEB, v[NF_SHOW].number != 0,
			  0, 0, photos, nphotos };
	if (staff) {
		in.channel = v[NF_CHANNEL].present ? (need_channel)v[NF_CHANNEL].number : CHANNEL_WEB;
		in.person_id = v[NF_PERSON].present ? v[NF_PERSON].number : 0;
		in.submitter_name = v[NF_NAME].present ? v[NF_NAME].text : NULL;
	} else if (v[NF_CHANNEL].present && v[NF_CHANNEL].number == CHANNEL_POSTER) {
		in.channel = CHANNEL_POSTER;   /* came through the poster's QR code */
	}
	int64_t id;
	gz_err rc = need_create(req_app(r)->st, r->user, &in, &id, &why);
	if (rc == GZ_EINVAL || rc == GZ_EFORBIDDEN || rc == GZ_ECONFLICT || rc == GZ_ETOOBIG)
		return refuse_form(r, rc, &why, NULL);
	if (rc)
		return rc;
	if (!staff)
		need_throttle_hit(r->user, r->client_ip);
	resp_redirect(r, arena_printf(&r->mem, "/needs/%lld?created=1", (long long)id));
	return GZ_OK;
}

/* ---- one need ---- */

static void action_form(request *r, const need *n, const char *action, const char *button_key, const char *reason_key,
			bool confirm)
{
	html_fmt(r, "<form method=\"post\" action=\"/needs/%lld/%s\" class=\"stack action\">", (long long)n->id, action);
	form_csrf(r);
	if (reason_key)
		html_fmt(r, "<label for=\"f-reason-%s\">%s</label><textarea id=\"f-reason-%s\" name=\"reason\" rows=\"3\" "
			    "required minlength=\"2\" maxlength=\"500\"></textarea>",
			 action, tr(r, reason_key), action);
	if (confirm)
		html_fmt(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> %s</label>",
			 tr(r, "need.confirm_box"));
	html_fmt(r, "<button type=\"submit\" class=\"%s\">%s</button></form>", confirm ? "danger" : "secondary",
		 tr(r, button_key));
}

static void fate_section(request *r, const need *n)
{
	char day[11];
	date_of(n->decided_at ? n->decided_at : n->created_at, day);
	switch (n->status) {
	case NEED_MERGED:
		html_fmt(r, "<p class=\"notice info\">%s <a href=\"/needs/%lld\">#%lld</a></p>", tr(r, "need.fate.merged"),
			 (long long)n->merged_into, (long long)n->merged_into);
		break;
	case NEED_CONSOLIDATED:
		html_fmt(r, "<p class=\"notice ok\">%s <a href=\"/drafts/%lld\">%s</a></p>", tr(r, "need.fate.consolidated"),
			 (long long)n->draft_id, tr(r, "need.see_draft"));
		break;
	case NEED_DECLINED:
		html_fmt(r, "<p class=\"notice info\">%s</p>", trf(r, "need.fate.declined", day, n->decline_reason));
		break;
	case NEED_WITHDRAWN:
		html_fmt(r, "<p class=\"notice info\">%s</p>", trf(r, "need.fate.withdrawn", day));
		break;
	default:
		html_fmt(r, "<p class=\"notice info\">%s</p>", tr(r, "need.fate.open"));
	}
}

static void photos_html(request *r, const need *n)
{
	if (!n->photo_count)
		return;
	html_markup(r, "<div class=\"photos\">");
	for (int i = 1; i <= n->photo_count; i++)
		html_fmt(r, "<a href=\"/needs/%lld/photos/%d\"><img src=\"/needs/%lld/photos/%d\" alt=\"%s\" loading=\"lazy\"></a>",
			 (long long)n->id, i, (long long)n->id, i, trf(r, "need.photo_alt", i));
	html_markup(r, "</div>");
}

static void support_box(request *r, const need *n, bool open, bool supported)
{
	int64_t people = 0;
	need_people(r->db, n->street_id, n->id, &people);
	html_fmt(r, "<section class=\"support\"><p class=\"counts\"><strong>%s</strong> · %s</p>",
		 trf(r, "need.supports_n", (long long)n->supports), trf(r, "need.people_n", (long long)people));
	if (n->status != NEED_OPEN || n->hidden) {
		html_markup(r, "</section>");
		return;
	}
	if (!r->user)
		html_fmt(r, "<p><a href=\"/login?next=/needs/%lld\">%s</a></p>", (long long)n->id, tr(r, "need.login_to_support"));
	else if (n->person_id == r->user->person_id)
		html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "need.own_need"));
	else if (!can_support(r))
		html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "need.support_verified_only"));
	else if (!open)
		html_fmt(r, "<p class=\"hint\">%s</p>", tr(r, "need.period_closed"));
	else {
		html_fmt(r, "<form method=\"post\" action=\"/needs/%lld/%s\">", (long long)n->id, supported ? "unsupport" : "support");
		form_csrf(r);
		html_fmt(r, "<button type=\"submit\" class=\"%s\">%s</button></form>", supported ? "secondary" : "",
			 tr(r, supported ? "need.unsupport" : "need.support"));
	}
	html_markup(r, "</section>");
}

static void merged_children_html(request *r, const need *n)
{
	need *kids;
	size_t count;
	if (!n->merged_count || need_merged_children(r->db, &r->mem, n->street_id, n->id, &kids, &count))
		return;
	html_fmt(r, "<section><h2>%s</h2><ul>", trf(r, "need.merged_here", (long long)count));
	for (size_t i = 0; i < count; i++) {
		kids[i].street_id = n->street_id;
		kids[i].unit_path = n->unit_path;
		html_fmt(r, "<li><a href=\"/needs/%lld\">#%lld %s</a> · %s · %s</li>", (long long)kids[i].id,
			 (long long)kids[i].id, kids[i].title, need_submitter_shown(r, &kids[i]),
			 trf(r, "need.supports_n", (long long)kids[i].supports));
	}
	html_markup(r, "</ul></section>");
}

static void staff_tools(request *r, const need *n)
{
	html_fmt(r, "<section class=\"staff-tools\"><h2>%s</h2>", tr(r, "need.staff_tools"));
	if (n->status == NEED_OPEN && !n->hidden)
		html_fmt(r, "<p><a class=\"button\" href=\"/drafts/new?need=%lld\">%s</a> <a href=\"/needs/duplicates?community=%lld\">%s</a></p>",
			 (long long)n->id, tr(r, "need.consolidate"), (long long)n->community_id, tr(r, "need.duplicates_title"));
	if (n->status == NEED_OPEN)
		action_form(r, n, "decline", "need.decline", "need.decline_reason", true);
	if (n->status == NEED_DECLINED)
		action_form(r, n, "reopen", "need.reopen", NULL, false);
	if (n->status == NEED_MERGED)
		action_form(r, n, "unmerge", "need.unmerge", NULL, true);
	if (n->hidden)
		action_form(r, n, "unhide", "need.unhide", NULL, false);
	else
		action_form(r, n, "hide", "need.hide", "need.hide_reason", true);
	html_markup(r, "</section>");
}

static gz_err need_page(request *r)
{
	int64_t id = req_id_param(r, 0);
	need n;
	gz_err rc = id ? need_get(r->db, &r->mem, req_app(r)->street_id, id, &n) : GZ_ENOTFOUND;
	if (rc)
		return rc;
	bool open;
	int year;
	char ends[11], starts[11], day[11];
	period_state(r, &open, &year, ends, starts);
	bool restricted = need_reader_restricted(r, &n);
	bool curate = r->user && need_can_curate(r->user, &n);
	bool supported = r->user && need_supported_by(r->db, n.street_id, n.id, r->user->person_id);
	date_of(n.created_at, day);
	page_begin(r, n.hidden && !restricted ? tr(r, "need.hidden_title") : n.title);
	if (req_query(r, "created"))
		page_notice(r, "ok", tr(r, "need.created"));
	if (req_query(r, "merged"))
		page_notice(r, "ok", tr(r, "need.merged_ok"));
	if (n.hidden) {
		html_fmt(r, "<h1>#%lld %s</h1><p class=\"notice info\">%s</p>", (long long)n.id, tr(r, "need.hidden_title"),
			 trf(r, "need.hidden_because", n.hidden_reason));
		if (!restricted) {
			page_end(r);
			return GZ_OK;
		}
	}
	html_fmt(r, "<article class=\"need\"><h1>%s</h1><p class=\"meta\"><span class=\"tag status\">%s</span> "
		    "<span class=\"tag\">%s</span> #%lld</p>",
		 n.title, need_status_label(r, n.status), n.category, (long long)n.id);
	fate_section(r, &n);
	html_fmt(r, "<div class=\"need-body\">%s</div>", n.body);
	photos_html(r, &n);
	html_fmt(r, "<dl class=\"facts\"><dt>%s</dt><dd>%s", tr(r, "need.place"), n.community_name);
	if (n.unit_id != n.community_id)
		html_fmt(r, " · %s", n.unit_name);
	if (*n.address)
		html_fmt(r, " · %s", n.address);
	html_fmt(r, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s", tr(r, "need.submitter"), need_submitter_shown(r, &n),
		 tr(r, "need.channel"), tr(r, arena_printf(&r->mem, "need.channel.%s", need_channel_name(n.channel))));
	if (n.meeting_id)
		html_fmt(r, " · <a href=\"/meetings/%lld\">%s</a>", (long long)n.meeting_id, tr(r, "need.from_meeting"));
	html_fmt(r, "</dd><dt>%s</dt><dd><time datetime=\"%s\">%s</time></dd></dl>", tr(r, "need.created_at"), day, day);
	html_markup(r, "</article>");
	support_box(r, &n, open, supported);
	merged_children_html(r, &n);
	if (r->user && n.person_id == r->user->person_id && !n.recorded_by && n.status == NEED_OPEN && open &&
	    !n.merged_count) {
		html_fmt(r, "<details class=\"owner\"><summary>%s</summary><p>%s</p>", tr(r, "need.withdraw"),
			 tr(r, "need.withdraw_help"));
		action_form(r, &n, "withdraw", "need.withdraw", NULL, true);
		html_markup(r, "</details>");
	}
	if (curate)
		staff_tools(r, &n);
	if (n.status == NEED_OPEN && !n.hidden) {
		need *similar;
		size_t count;
		const char *text = arena_printf(&r->mem, "%s\n%s", n.title, n.body);
		if (!need_similar(r->db, &r->mem, n.street_id, text, n.id, 5, &similar, &count) && count) {
			html_fmt(r, "<section class=\"similar\"><h2>%s</h2>", tr(r, "need.similar_title"));
			similar_list(r, similar, count, false, NULL);
			html_markup(r, "</section>");
		}
	}
	html_fmt(r, "<p><a href=\"/needs\">%s</a></p>", tr(r, "need.back_to_list"));
	page_end(r);
	return GZ_OK;
}

static gz_err need_photo_get(request *r)
{
	int64_t id = req_id_param(r, 0), n = req_id_param(r, 1);
	if (!id || n < 1 || n > PHOTO_MAX_COUNT)
		return GZ_ENOTFOUND;
	need nd;
	gz_err rc = need_get(r->db, &r->mem, req_app(r)->street_id, id, &nd);
	if (rc)
		return rc;
	if (nd.hidden && !need_reader_restricted(r, &nd))
		return GZ_ENOTFOUND;   /* a hidden need's photos are hidden too */
	const char *mime;
	const unsigned char *data;
	size_t len;
	if ((rc = need_photo(r->db, &r->mem, nd.street_id, id, (int)n, &mime, &data, &len)))
		return rc;
	r->status = 200;
	r->out_type = mime;
	resp_header(r, "Cache-Control", "public, max-age=86400");
	resp_header(r, "Content-Disposition", "inline");
	buf_add(&r->out, data, len);
	return GZ_OK;
}

/* ---- actions on one need ---- */

static const field reason_fields[] = {
	{ "reason", FIELD_TEXT, true, NEED_REASON_MIN, NEED_REASON_MAX, NULL },
	{ "confirm", FIELD_BOOL, true, 0, 0, NULL },
};
static const field confirm_fields[] = {
	{ "confirm", FIELD_BOOL, true, 0, 0, NULL },
};

/* Answers a refused action with its status and the sentence of `key_prefix.<error>` when there is one. */
static gz_err after_action(request *r, gz_err rc, int64_t id, const char *done)
{
	if (rc == GZ_ECONFLICT || rc == GZ_EEXIST || rc == GZ_EINVAL) {
		page_error(r, rc, rc == GZ_ECONFLICT ? "need.action_conflict" : rc == GZ_EEXIST ? "need.already_supported"
												: "need.action_invalid");
		return GZ_OK;
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/needs/%lld?%s=1", (long long)id, done));
	return GZ_OK;
}

static gz_err support_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	gz_err rc = need_support(req_app(r)->st, r->user, id);
	return after_action(r, rc, id, "supported");
}

static gz_err unsupport_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	gz_err rc = need_unsupport(req_app(r)->st, r->user, id);
	return after_action(r, rc == GZ_ENOTFOUND ? GZ_ECONFLICT : rc, id, "unsupported");
}

static bool confirmed(request *r, const field *spec, size_t n, field_value *v)
{
	const char *bad;
	return !input_read(r, spec, n, v, &bad) && v[n - 1].number;
}

static gz_err withdraw_post(request *r)
{
	field_value v[1];
	if (!confirmed(r, confirm_fields, 1, v))
		return GZ_EINVAL;
	int64_t id = req_id_param(r, 0);
	return after_action(r, need_withdraw(req_app(r)->st, r->user, id), id, "withdrawn");
}

/* A staff action's form: who may act is answered before what was sent, so a
 * resident gets 403, not 400; then the confirmation (and reason) fields. */
static gz_err staff_confirmed(request *r, const field *spec, size_t count, field_value *v)
{
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	return confirmed(r, spec, count, v) ? GZ_OK : GZ_EINVAL;
}

static gz_err decline_post(request *r)
{
	field_value v[2];
	gz_err rc = staff_confirmed(r, reason_fields, 2, v);
	int64_t id = req_id_param(r, 0);
	return rc ? rc : after_action(r, need_decline(req_app(r)->st, r->user, id, v[0].text), id, "declined");
}

static gz_err reopen_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	return after_action(r, need_reopen(req_app(r)->st, r->user, id), id, "reopened");
}

static gz_err hide_post(request *r)
{
	field_value v[2];
	gz_err rc = staff_confirmed(r, reason_fields, 2, v);
	int64_t id = req_id_param(r, 0);
	return rc ? rc : after_action(r, need_hide(req_app(r)->st, r->user, id, v[0].text), id, "hidden");
}

static gz_err unhide_post(request *r)
{
	int64_t id = req_id_param(r, 0);
	return after_action(r, need_unhide(req_app(r)->st, r->user, id), id, "unhidden");
}

static gz_err unmerge_post(request *r)
{
	field_value v[1];
	gz_err rc = staff_confirmed(r, confirm_fields, 1, v);
	int64_t id = req_id_param(r, 0);
	return rc ? rc : after_action(r, need_unmerge(req_app(r)->st, r->user, id), id, "unmerged");
}

/* ---- near-duplicates and merging ---- */

static void cluster_html(request *r, const need_cluster *g)
{
	html_markup(r, "<form method=\"post\" action=\"/needs/merge\" class=\"cluster\">");
	form_csrf(r);
	html_fmt(r, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
		 tr(r, "need.primary"), tr(r, "need.merge_this"), tr(r, "need.title"), tr(r, "need.supports"));
	/* The natural primary: one that needs were merged into already (it
	 * cannot be merged away itself), else the one with the most supports. */
	size_t best = 0;
	for (size_t i = 1; i < g->count; i++) {
		const need *a = &g->members[i], *b = &g->members[best];
		if (a->merged_count > b->merged_count || (a->merged_count == b->merged_count && a->supports > b->supports))
			best = i;
	}
	for (size_t i = 0; i < g->count; i++) {
		const need *n = &g->members[i];
		const char *box = i == best ? "" : n->merged_count ? " disabled" : " checked";
		html_fmt(r, "<tr><td><input type=\"radio\" name=\"primary\" value=\"%lld\"%s aria-label=\"%s\"></td>"
			    "<td><input type=\"checkbox\" name=\"merge\" value=\"%lld\"%s aria-label=\"%s\"></td>"
			    "<td><a href=\"/needs/%lld\">#%lld %s</a><br><small>%s</small></td><td class=\"num\">%lld</td></tr>",
			 (long long)n->id, i == best ? " checked" : "", tr(r, "need.primary"), (long long)n->id, box,
			 tr(r, "need.merge_this"), (long long)n->id, (long long)n->id, n->title, n->body, (long long)n->supports);
	}
	html_fmt(r, "</tbody></table><label class=\"choice\"><input type=\"checkbox\" name=\"confirm\" value=\"1\" required> %s</label>"
		    "<button type=\"submit\">%s</button> <a href=\"/drafts/new?",
		 tr(r, "need.merge_confirm"), tr(r, "need.merge_submit"));
	for (size_t i = 0; i < g->count; i++)
		html_fmt(r, "%sneed=%lld", i ? "&amp;" : "", (long long)g->members[i].id);
	html_fmt(r, "\">%s</a></form>", tr(r, "need.consolidate_cluster"));
}

static gz_err needs_duplicates(request *r)
{
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	const char *chosen = req_query(r, "community");
	int64_t community = chosen ? strtoll(chosen, NULL, 10) : staff_community(r->user);
	org_unit unit;
	gz_err rc = GZ_OK;
	if (community && (rc = unit_get(r->db, &r->mem, community, &unit)) == GZ_OK &&
	    (unit.street_id != req_app(r)->street_id || unit.kind != UNIT_COMMUNITY))
		rc = GZ_ENOTFOUND;
	if (rc)
		return rc == GZ_ENOTFOUND ? GZ_EINVAL : rc;
	if (community && !authz_can(r->user, AUTHZ_CURATE_NEEDS, (authz_target){ unit.street_id, unit.path }))
		return GZ_EFORBIDDEN;
	page_begin(r, tr(r, "need.duplicates_title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p><form method=\"get\" action=\"/needs/duplicates\" class=\"filters\">",
		 tr(r, "need.duplicates_title"), tr(r, "need.duplicates_intro"));
	community_select(r, "community", community, false);
	html_fmt(r, "<button type=\"submit\">%s</button></form>", tr(r, "need.show"));
	if (req_query(r, "merged"))
		page_notice(r, "ok", tr(r, "need.merged_ok"));
	if (!community) {
		page_notice(r, "info", tr(r, "need.choose_community"));
		page_end(r);
		return GZ_OK;
	}
	need_cluster *groups;
	size_t count;
	if ((rc = need_clusters(r->db, &r->mem, req_app(r)->street_id, community, &groups, &count)))
		return rc;
	html_fmt(r, "<p>%s</p>", trf(r, "need.clusters_n", (long long)count));
	for (size_t k = 0; k < count; k++)
		cluster_html(r, &groups[k]);
	page_end(r);
	return GZ_OK;
}

/* Every value of a repeated form or query field, as ids. */
static size_t ids_of(request *r, const kv_list *list, const char *name, int64_t *out, size_t max, bool *bad)
{
	size_t n = 0;
	*bad = false;
	for (size_t i = 0; i < list->count; i++) {
		if (strcmp(list->items[i].key, name))
			continue;
		char *end;
		long long v = strtoll(list->items[i].value, &end, 10);
		if (*end || v <= 0 || n == max) {
			*bad = true;
			return n;
		}
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= out[k] == v;
		if (!seen)
			out[n++] = v;
	}
	return n;
}

static const field merge_fields[] = {
	{ "primary", FIELD_ID, true, 0, 0, NULL },
	{ "confirm", FIELD_BOOL, true, 0, 0, NULL },
};

static gz_err needs_merge_post(request *r)
{
	/* Who may act is answered before what was sent: a resident gets 403, not 400. */
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	field_value v[2];
	const char *bad;
	if (input_read(r, merge_fields, 2, v, &bad) || !v[1].number)
		return GZ_EINVAL;
	int64_t ids[50], others[50];
	bool wrong;
	size_t n = ids_of(r, &r->form, "merge", ids, 50, &wrong), k = 0;
	for (size_t i = 0; i < n; i++)
		if (ids[i] != v[0].number)
			others[k++] = ids[i];
	if (wrong || !k)
		return GZ_EINVAL;
	gz_err rc = need_merge(req_app(r)->st, r->user, v[0].number, others, k);
	if (rc == GZ_ECONFLICT) {
		page_error(r, rc, "need.merge_conflict");
		return GZ_OK;
	}
	if (rc)
		return rc;
	resp_redirect(r, arena_printf(&r->mem, "/needs/%lld?merged=1", (long long)v[0].number));
	return GZ_OK;
}

/* ---- accounting ---- */

static gz_err needs_accounting(request *r)
{
	const char *y = req_query(r, "year");
	int year = y ? atoi(y) : 0;
	if (y && (year < 2000 || year > 2200))
		return GZ_EINVAL;
	need_accounting acc;
	gz_err rc = need_accounting_get(r->db, req_app(r)->street_id, year, &acc);
	if (rc)
		return rc;
	page_begin(r, tr(r, "need.accounting_title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "need.accounting_title"), tr(r, "need.accounting_intro"));
	if (year)
		html_fmt(r, "<p>%s <a href=\"/needs/accounting\">%s</a></p>", trf(r, "need.accounting_year", year),
			 tr(r, "need.all_years"));
	html_fmt(r, "<table class=\"accounting\"><thead><tr><th>%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
		 tr(r, "need.fate"), tr(r, "need.count"));
	static const need_status fates[] = { NEED_CONSOLIDATED, NEED_DECLINED, NEED_WITHDRAWN, NEED_OPEN };
	int64_t sum = 0;
	for (size_t i = 0; i < sizeof(fates) / sizeof(fates[0]); i++) {
		need_status s = fates[i];
		sum += acc.fate[s];
		html_fmt(r, "<tr><td><a href=\"/needs?status=%s\">%s</a></td><td class=\"num\" data-fate=\"%s\">%lld</td></tr>",
			 need_status_name(s), tr(r, arena_printf(&r->mem, "need.fate_label.%s", need_status_name(s))),
			 need_status_name(s), (long long)acc.fate[s]);
	}
	html_fmt(r, "</tbody><tfoot><tr><th>%s</th><td class=\"num\" id=\"fate-sum\">%lld</td></tr>"
		    "<tr><th>%s</th><td class=\"num\" id=\"need-total\">%lld</td></tr></tfoot></table>",
		 tr(r, "need.fate_sum"), (long long)sum, tr(r, "need.total"), (long long)acc.total);
	html_fmt(r, "<p>%s</p>", trf(r, "need.merged_counted", (long long)acc.merged));
	page_notice(r, acc.balanced ? "ok" : "error",
		    acc.balanced ? trf(r, "need.balanced", (long long)acc.total) : tr(r, "need.unbalanced"));
	page_end(r);
	return GZ_OK;
}

/* ---- CSV export ---- */

/* One CSV cell: quoted, quotes doubled; a leading = + - @ is defused so a
 * spreadsheet never runs a need's text as a formula. */
static void csv_cell(buf *b, const char *s, bool last)
{
	buf_addch(b, '"');
	if (s && strchr("=+-@", *s) && *s)
		buf_addch(b, '\'');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_adds(b, last ? "\"\r\n" : "\",");
}

static gz_err needs_export(request *r)
{
	if (!actor_is_staff(r->user))
		return GZ_EFORBIDDEN;
	need_filter f;
	int64_t page;
	const char *bad;
	if (needs_read_filter(r, &f, &page, 200000, &bad))
		return GZ_EINVAL;
	f.offset = 0;
	need *list;
	size_t count;
	int64_t total;
	gz_err rc = need_list(r->db, &r->mem, req_app(r)->street_id, &f, &list, &count, &total);
	if (rc)
		return rc;
	r->status = 200;
	r->out_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"needs.csv\"");
	buf_adds(&r->out, "\xEF\xBB\xBF");   /* the BOM tells Excel it is UTF-8 */
	static const char *const heads[] = { "need.id", "need.title", "need.body", "need.category", "org.community",
					     "need.place", "need.address", "need.submitter", "need.channel", "need.status",
					     "need.supports", "need.created_at", "need.reason" };
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		csv_cell(&r->out, tr(r, heads[i]), i + 1 == sizeof(heads) / sizeof(heads[0]));
	for (size_t i = 0; i < count; i++) {
		const need *n = &list[i];
		char day[17];
		time_format_minute(n->created_at, day);
		csv_cell(&r->out, arena_printf(&r->mem, "%lld", (long long)n->id), false);
		csv_cell(&r->out, n->title, false);
		csv_cell(&r->out, n->body, false);
		csv_cell(&r->out, n->category, false);
		csv_cell(&r->out, n->community_name, false);
		csv_cell(&r->out, n->unit_name, false);
		csv_cell(&r->out, n->address, false);
		csv_cell(&r->out, need_reader_restricted(r, n) ? n->submitter : mask_name(&r->mem, n->submitter), false);
		csv_cell(&r->out, tr(r, arena_printf(&r->mem, "need.channel.%s", need_channel_name(n->channel))), false);
		csv_cell(&r->out, need_status_label(r, n->status), false);
		csv_cell(&r->out, arena_printf(&r->mem, "%lld", (long long)n->supports), false);
		csv_cell(&r->out, day, false);
		csv_cell(&r->out, n->hidden ? n->hidden_reason : n->decline_reason, true);
	}
	return GZ_OK;
}

/* ---- categories ---- */

static gz_err categories_form(request *r, const char *error)
{
	const char **cats;
	size_t count;
	gz_err rc = need_categories(r->db, &r->mem, req_app(r)->street_id, &cats, &count);
	if (rc)
		return rc;
	page_begin(r, tr(r, "need.categories_title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "need.categories_title"), tr(r, "need.categories_help"));
	if (error)
		page_notice(r, "error", error);
	if (req_query(r, "saved"))
		page_notice(r, "ok", tr(r, "need.categories_saved"));
	html_markup(r, "<form method=\"post\" action=\"/needs/categories\" class=\"stack narrow\">");
	form_csrf(r);
	html_fmt(r, "<label for=\"f-names\">%s</label><textarea id=\"f-names\" name=\"names\" rows=\"14\" required>",
		 tr(r, "need.categories_title"));
	for (size_t i = 0; i < count; i++)
		html_fmt(r, "%s\n", cats[i]);
	html_fmt(r, "</textarea><button type=\"submit\">%s</button></form>", tr(r, "need.save"));
	page_end(r);
	return GZ_OK;
}

static gz_err categories_get(request *r)
{
	if (!authz_can(r->user, AUTHZ_CONFIGURE_NEEDS, (authz_target){ req_app(r)->street_id, NULL }))
		return GZ_EFORBIDDEN;
	return categories_form(r, NULL);
}

static const field category_fields[] = {
	{ "names", FIELD_TEXT, true, 1, 1000, NULL },
};

static gz_err categories_post(request *r)
{
	if (!authz_can(r->user, AUTHZ_CONFIGURE_NEEDS, (authz_target){ req_app(r)->street_id, NULL }))
		return GZ_EFORBIDDEN;
	field_value v[1];
	const char *bad;
	const char *names[41];
	size_t n = 0;
	bool ok = !input_read(r, category_fields, 1, v, &bad);
	for (char *line = ok ? arena_strdup(&r->mem, v[0].text) : NULL, *save = NULL, *tok;
	     ok && (tok = strtok_r(line, "\r\n", &save)); line = NULL) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (n == 40) {
			ok = false;
			break;
		}
		names[n++] = tok;
	}
	gz_err rc = ok ? need_categories_set(req_app(r)->st, r->user, req_app(r)->street_id, names, n) : GZ_EINVAL;
	if (rc == GZ_EINVAL) {
		r->status = 400;
		return categories_form(r, tr(r, "need.categories_bad"));
	}
	if (rc)
		return rc;
	resp_redirect(r, "/needs/categories?saved=1");
	return GZ_OK;
}

const route page_needs_routes[] = {
	{ HTTP_GET, "/needs", needs_index, ROUTE_CACHE },
	{ HTTP_GET, "/needs/new", need_new, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/check", need_check, ROUTE_LOGIN },
	{ HTTP_POST, "/needs", need_submit, ROUTE_LOGIN },
	{ HTTP_GET, "/needs/accounting", needs_accounting, 0 },
	{ HTTP_GET, "/needs/duplicates", needs_duplicates, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/merge", needs_merge_post, ROUTE_LOGIN },
	{ HTTP_GET, "/needs/export.csv", needs_export, ROUTE_LOGIN },
	{ HTTP_GET, "/needs/categories", categories_get, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/categories", categories_post, ROUTE_LOGIN },
	{ HTTP_GET, "/needs/:id", need_page, 0 },
	{ HTTP_GET, "/needs/:id/photos/:n", need_photo_get, 0 },
	{ HTTP_POST, "/needs/:id/support", support_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/unsupport", unsupport_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/withdraw", withdraw_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/decline", decline_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/reopen", reopen_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/hide", hide_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/unhide", unhide_post, ROUTE_LOGIN },
	{ HTTP_POST, "/needs/:id/unmerge", unmerge_post, ROUTE_LOGIN },
	{ 0 },
};
