/* The layout every page shares, and the one error answer. */
#include <stdio.h>
#include <string.h>

#include "domain/actor.h"
#include "pages/pages.h"
#include "util/error.h"

static const struct {
	const char *href, *key;
} stage_links[] = {
	{ "/needs", "nav.needs" },
	{ "/stage/plans", "nav.plans" },
	{ "/stage/effects", "nav.effects" },
	{ "/stage/accountability", "nav.accountability" },
};

static void user_area(request *r)
{
	html_markup(r, "<div class=\"user\">");
	if (r->user) {
		html_fmt(r, "<a href=\"/account\">%s</a>", r->user->name);
		html_markup(r, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
		form_csrf(r);
		html_fmt(r, "<button type=\"submit\" class=\"link\">%s</button></form>", tr(r, "nav.logout"));
	} else {
		html_fmt(r, "<a href=\"/login\">%s</a> <a href=\"/register\">%s</a>", tr(r, "nav.login"),
			 tr(r, "nav.register"));
	}
	const char *other = !strcmp(r->lang, "en") ? "zh" : "en";
	html_fmt(r, " <a href=\"/lang?to=%s&amp;back=", other);
	/* Error pages never echo the request, not even its path. */
	html_url_part(r, r->status >= 400 ? "/" : r->path);
	html_fmt(r, "\" lang=\"%s\">%s</a></div>", other, tr(r, "nav.other_language"));
}

void page_begin(request *r, const char *title)
{
	app *a = req_app(r);
	r->out_type = "text/html; charset=utf-8";
	html_fmt(r, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%s · %s</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>",
		 !strcmp(r->lang, "en") ? "en" : "zh-CN", title, tr(r, "site.name"));
	html_markup(r, "<header class=\"site\"><div class=\"bar\"><a class=\"brand\" href=\"/\">");
	html_fmt(r, "<span class=\"logo\">%s</span> <span class=\"street\">%s</span></a>", tr(r, "site.name"),
		 a && a->street_name ? a->street_name : "");
	user_area(r);
	html_markup(r, "</div><nav class=\"stages\" aria-label=\"stages\">");
	for (size_t i = 0; i < sizeof(stage_links) / sizeof(stage_links[0]); i++) {
		bool here = !strncmp(r->path, stage_links[i].href, strlen(stage_links[i].href));
		html_fmt(r, "<a href=\"%s\"", stage_links[i].href);
		if (here)
			html_markup(r, " aria-current=\"page\"");
		html_fmt(r, ">%s</a>", tr(r, stage_links[i].key));
	}
	if (actor_is_staff(r->user))
		html_fmt(r, "<a href=\"/admin\" class=\"admin\">%s</a>", tr(r, "nav.admin"));
	html_markup(r, "</nav></header><main>");
}

void page_end(request *r)
{
	html_fmt(r, "</main><footer class=\"site\"><p>%s</p></footer></body></html>\n", tr(r, "site.footer"));
}

void form_csrf(request *r)
{
	html_fmt(r, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->csrf ? r->csrf : "");
}

void page_notice(request *r, const char *kind, const char *text)
{
	html_fmt(r, "<p class=\"notice %s\" role=\"%s\">%s</p>", kind, !strcmp(kind, "error") ? "alert" : "status",
		 text);
}

void page_pager(request *r, const char *base_path, int64_t page, int64_t pages)
{
	if (pages <= 1)
		return;
	html_markup(r, "<nav class=\"pager\">");
	for (int step = -1; step <= 1; step += 2) {
		int64_t target = page + step;
		if (target < 1 || target > pages)
			continue;
		html_fmt(r, "<a href=\"%s?", base_path);
		for (size_t i = 0; i < r->query.count; i++) {
			if (!strcmp(r->query.items[i].key, "page"))
				continue;
			html_url_part(r, r->query.items[i].key);
			html_markup(r, "=");
			html_url_part(r, r->query.items[i].value);
			html_markup(r, "&amp;");
		}
		html_fmt(r, "page=%lld\" rel=\"%s\">%s</a>", (long long)target, step < 0 ? "prev" : "next",
			 tr(r, step < 0 ? "pager.prev" : "pager.next"));
	}
	html_fmt(r, " <span>%lld / %lld</span></nav>", (long long)page, (long long)pages);
}

static const struct {
	int status;
	const char *title_key, *text_key;
} status_texts[] = {
	{ 400, "err.title.400", "err.invalid" },
	{ 401, "err.title.401", "err.auth" },
	{ 403, "err.title.403", "err.forbidden" },
	{ 404, "err.title.404", "err.notfound" },
	{ 405, "err.title.405", "err.method" },
	{ 409, "err.title.409", "err.conflict" },
	{ 413, "err.title.413", "err.toobig" },
	{ 429, "err.title.429", "err.toomany" },
	{ 500, "err.title.500", "err.internal" },
	{ 503, "err.title.503", "err.busy" },
};

static void write_error(request *r, int status, const char *text_key)
{
	const char *title_key = "err.title.500";
	for (size_t i = 0; i < sizeof(status_texts) / sizeof(status_texts[0]); i++)
		if (status_texts[i].status == status) {
			title_key = status_texts[i].title_key;
			if (!text_key)
				text_key = status_texts[i].text_key;
		}
	buf_reset(&r->out);
	r->status = status;
	if (r->api) {
		/* Built by hand: both strings come from our catalogue, never from the client. */
		r->out_type = "application/json; charset=utf-8";
		buf_printf(&r->out, "{\"error\":{\"status\":%d,\"code\":\"%s\",\"message\":\"", status, text_key);
		for (const char *p = tr(r, text_key); *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addch(&r->out, '\\');
			buf_addch(&r->out, *p);
		}
		buf_adds(&r->out, "\"}}");
		return;
	}
	page_begin(r, tr(r, title_key));
	html_fmt(r, "<section class=\"error\"><h1>%s</h1><p>%s</p><p><a href=\"/\">%s</a></p></section>", tr(r, title_key),
		 tr(r, text_key), tr(r, "err.back_home"));
	page_end(r);
}

void page_error_status(request *r, int status, const char *detail)
{
	write_error(r, status, detail);
}

void page_error(request *r, gz_err err, const char *detail)
{
	if (err == GZ_ECSRF && !detail)
		detail = "err.csrf";
	if (err == GZ_ENOSPACE && !detail)
		detail = "err.nospace";
	if (err == GZ_ESTORE || err == GZ_EINTERNAL || err == GZ_EIO || err == GZ_ECORRUPT)
		fprintf(stderr, "gongzhi: %s %s: %s\n", r->method_name, r->path, gz_strerror(err));
	write_error(r, gz_err_status(err), detail ? detail : gz_err_key(err));
}
