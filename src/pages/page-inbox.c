/* The inbox (消息): what became of one's needs, and the daily digest setting. */
#include <stdlib.h>
#include <string.h>

#include "domain/inbox.h"
#include "http/input.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "util/timeutil.h"

#define INBOX_PER_PAGE 30

/* The sentence of one notice, in the reader's language. */
static void notice_text(request *r, const inbox_message *m)
{
	html_fmt(r, "<p>%s", trf(r, arena_printf(&r->mem, "inbox.%s", m->kind), m->need_title));
	if (*m->reason)
		html_fmt(r, " %s", trf(r, "inbox.reason", m->reason));
	html_fmt(r, "</p><p class=\"links\"><a href=\"/needs/%lld\">%s</a>", (long long)m->need_id, tr(r, "inbox.see_need"));
	if (!strcmp(m->kind, "consolidated"))
		html_fmt(r, " <a href=\"/drafts/%lld\">%s</a>", (long long)m->other_id,
			 trf(r, "inbox.see_draft", m->other_title));
	else if (!strcmp(m->kind, "merged"))
		html_fmt(r, " <a href=\"/needs/%lld\">%s</a>", (long long)m->other_id,
			 trf(r, "inbox.see_primary", m->other_title));
	html_markup(r, "</p>");
}

static void one_entry(request *r, const inbox_message *m)
{
	char when[17];
	time_format_minute(m->created_at, when);
	html_fmt(r, "<li class=\"inbox-entry%s\"><p class=\"meta\"><time>%s</time>", m->unread ? " unread" : "", when);
	if (m->unread)
		html_fmt(r, " <span class=\"tag\">%s</span>", tr(r, "inbox.unread"));
	html_markup(r, "</p>");
	notice_text(r, m);
	html_markup(r, "</li>");
}

/* A day's notices as one entry: the digest is assembled as it is read. */
static size_t digest_entry(request *r, const inbox_message *list, size_t from, size_t count)
{
	char day[11], other[11];
	time_format_date(list[from].created_at, day);
	size_t to = from + 1;
	bool unread = list[from].unread;
	for (; to < count; to++) {
		time_format_date(list[to].created_at, other);
		if (strcmp(day, other))
			break;
		unread |= list[to].unread;
	}
	html_fmt(r, "<li class=\"inbox-entry digest%s\"><details><summary>%s</summary>", unread ? " unread" : "",
		 trf(r, "inbox.digest_of", day, (long long)(to - from)));
	for (size_t i = from; i < to; i++)
		notice_text(r, &list[i]);
	html_markup(r, "</details></li>");
	return to;
}

static gz_err inbox_page(request *r)
{
	const char *p = req_query(r, "page");
	int64_t page = p ? strtoll(p, NULL, 10) : 1;
	if (page < 1 || page > 100000)
		return GZ_EINVAL;
	inbox_message *list;
	size_t count;
	int64_t total, unread;
	int64_t street = req_app(r)->street_id, person = r->user->person_id;
	gz_err rc = inbox_list(r->db, &r->mem, street, person, INBOX_PER_PAGE, (page - 1) * INBOX_PER_PAGE, &list, &count,
			       &total, &unread);
	if (rc)
		return rc;
	bool digest = inbox_digest_on(r->db, street, person);
	page_begin(r, tr(r, "inbox.title"));
	html_fmt(r, "<h1>%s</h1><p>%s</p>", tr(r, "inbox.title"), tr(r, "inbox.intro"));
	if (req_query(r, "saved"))
		page_notice(r, "ok", tr(r, "inbox.saved"));
	html_fmt(r, "<p class=\"counts\">%s</p>", trf(r, "inbox.counts", (long long)total, (long long)unread));
	html_markup(r, "<form method=\"post\" action=\"/inbox/settings\" class=\"inline-form\">");
	form_csrf(r);
	html_fmt(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"digest\" value=\"1\"%s> %s</label>"
		    "<button type=\"submit\" class=\"secondary\">%s</button></form>",
		 digest ? " checked" : "", tr(r, "inbox.digest_setting"), tr(r, "need.save"));
	if (unread) {
		html_markup(r, "<form method=\"post\" action=\"/inbox/read\" class=\"inline-form\">");
		form_csrf(r);
		html_fmt(r, "<button type=\"submit\" class=\"secondary\">%s</button></form>", tr(r, "inbox.mark_read"));
	}
	if (!count)
		page_notice(r, "info", tr(r, "inbox.empty"));
	html_markup(r, "<ul class=\"inbox\">");
	for (size_t i = 0; i < count;) {
		if (digest) {
			i = digest_entry(r, list, i, count);
		} else {
			one_entry(r, &list[i]);
			i++;
		}
	}
	html_markup(r, "</ul>");
	page_pager(r, "/inbox", page, (total + INBOX_PER_PAGE - 1) / INBOX_PER_PAGE);
	page_end(r);
	return GZ_OK;
}

static gz_err inbox_read_post(request *r)
{
	gz_err rc = inbox_mark_read(req_app(r)->st, r->user);
	if (rc)
		return rc;
	resp_redirect(r, "/inbox");
	return GZ_OK;
}

static const field setting_fields[] = {
	{ "digest", FIELD_BOOL, false, 0, 0, NULL },
};

static gz_err inbox_settings_post(request *r)
{
	field_value v[1];
	const char *bad;
	if (input_read(r, setting_fields, 1, v, &bad))
		return GZ_EINVAL;
	gz_err rc = inbox_set_digest(req_app(r)->st, r->user, v[0].number != 0);
	if (rc)
		return rc;
	resp_redirect(r, "/inbox?saved=1");
	return GZ_OK;
}

const route page_inbox_routes[] = {
	{ HTTP_GET, "/inbox", inbox_page, ROUTE_LOGIN },
	{ HTTP_POST, "/inbox/read", inbox_read_post, ROUTE_LOGIN },
	{ HTTP_POST, "/inbox/settings", inbox_settings_post, ROUTE_LOGIN },
	{ 0 },
};
