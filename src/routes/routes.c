/*
 * The route table and the one place where every request is checked before
 * its handler runs: size, method, body decoding, session, login, CSRF.
 */
#include "routes/routes.h"

#include <sodium.h>
#include <string.h>

#include "domain/accounts.h"
#include "http/form.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "routes/page-cache.h"
#include "store/store.h"
#include "util/timeutil.h"

static const route *const families[] = {
	page_static_routes,
	page_home_routes,
	page_account_routes,
	page_admin_routes,
	page_surveys_routes,
	page_meetings_routes,
	page_needs_routes,
	page_drafts_routes,
	page_inbox_routes,
	api_needs_routes,
	api_meta_routes,
	api_intake_routes,
};

#define FAMILY_COUNT (sizeof(families) / sizeof(families[0]))

size_t routes_all(const route **out, size_t max)
{
	size_t n = 0;
	for (size_t f = 0; f < FAMILY_COUNT; f++)
		for (const route *rt = families[f]; rt->pattern; rt++)
			if (n < max)
				out[n++] = rt;
	return n;
}

bool route_match(const char *pattern, const char *path, request *r)
{
	int param = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++, s++;
		size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
		if (*p == ':') {
			if (slen == 0 || param >= 4)
				return false;
			if (r)
				r->route_params[param] = arena_strndup(&r->mem, s, slen);
			param++;
		} else if (plen != slen || strncmp(p, s, plen)) {
			return false;
		}
		p += plen, s += slen;
	}
	return !*p && !*s;
}

/* The route for this request; *path_known tells a 405 from a 404. */
static const route *find_route(request *r, bool *path_known)
{
	*path_known = false;
	http_method m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	for (size_t f = 0; f < FAMILY_COUNT; f++)
		for (const route *rt = families[f]; rt->pattern; rt++) {
			if (!route_match(rt->pattern, r->path, NULL))
				continue;
			*path_known = true;
			if (rt->method == m) {
				route_match(rt->pattern, r->path, r);
				return rt;
			}
		}
	return NULL;
}

static void choose_language(request *r);

/* The cache key of an anonymous GET of a cacheable route, else NULL. */
static const char *cache_key_of(request *r, const route *rt)
{
	if (!rt || !(rt->flags & ROUTE_CACHE) || !page_cache_enabled() || req_cookie(r, "gz_session"))
		return NULL;
	choose_language(r);
	buf key = BUF_INIT;
	/* Pages say "N days left": a new day makes a new page. */
	char today[11];
	time_format_date(time_now(), today);
	buf_printf(&key, "%s %s %s", today, r->lang, r->path);
	for (size_t i = 0; i < r->query.count; i++)
		buf_printf(&key, "%c%s=%s", i ? '&' : '?', r->query.items[i].key, r->query.items[i].value);
	const char *copy = arena_strdup(&r->mem, key.data);
	buf_release(&key);
	return copy;
}

http_mode routes_classify(void *app_ptr, request *r)
{
	app *a = app_ptr;
	const route *rt = find_route(r, &r->route_path_known);
	r->route = rt;
	if ((r->cache_key = cache_key_of(r, rt))) {
		r->cache_generation = store_generation(a->st);
		if (page_cache_fetch(r->cache_key, r->cache_generation, r)) {
			r->from_cache = true;
			return HTTP_RUN_INLINE;
		}
	}
	return rt && (rt->flags & ROUTE_INLINE) ? HTTP_RUN_INLINE : HTTP_RUN_WORKER;
}

static void security_headers(request *r)
{
	resp_header(r, "Content-Security-Policy",
		    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
		    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
	resp_header(r, "X-Content-Type-Options", "nosniff");
	resp_header(r, "Referrer-Policy", "same-origin");
	resp_header(r, "X-Frame-Options", "DENY");
}

static void choose_language(request *r)
{
	const char *chosen = i18n_lang(req_cookie(r, "lang"));
	r->lang = chosen ? chosen : i18n_negotiate(req_header(r, "Accept-Language"));
}

static gz_err decode_body(request *r)
{
	if (r->method != HTTP_POST || !r->body.len)
		return GZ_OK;
	const char *type = r->content_type ? r->content_type : "";
	if (!strncasecmp(type, "application/x-www-form-urlencoded", 33))
		return form_decode_urlencoded(&r->mem, r->body.data, r->body.len, &r->form);
	if (!strncasecmp(type, "multipart/form-data", 19))
		return form_decode_multipart(&r->mem, type, (const unsigned char *)r->body.data, r->body.len, &r->form,
					     &r->uploads, &r->upload_count);
	if (!strncasecmp(type, "application/json", 16) && r->api)
		return GZ_OK;   /* the API handler parses it */
	return GZ_EINVAL;
}

/* Signs the request in from its session cookie, if it has a valid one. */
static gz_err load_session(request *r)
{
	const char *token = req_cookie(r, "gz_session");
	if (!token)
		return GZ_OK;
	actor *who = ARENA_NEW(&r->mem, actor);
	gz_err rc = session_load(r->db, req_app(r)->st, &r->mem, token, who);
	if (rc == GZ_EAUTH) {
		resp_cookie(r, "gz_session", "", 0, true);
		return GZ_OK;
	}
	if (!rc)
		r->user = who;
	return rc;
}

/* Anonymous forms (login, registration) are protected by a cookie-bound token. */
static void choose_csrf(request *r)
{
	if (r->user) {
		r->csrf = r->user->csrf_token;
		return;
	}
	const char *cookie = req_cookie(r, "gz_csrf");
	if (cookie && strlen(cookie) == 32) {
		r->csrf = cookie;
		return;
	}
	unsigned char raw[16];
	char *fresh = arena_alloc(&r->mem, 33);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(fresh, 33, raw, sizeof(raw));
	r->csrf = fresh;
	resp_cookie(r, "gz_csrf", fresh, -1, true);
}

static bool csrf_ok(request *r)
{
	const char *sent = req_form(r, "csrf");
	if (!sent)
		sent = req_header(r, "X-CSRF-Token");
	return sent && r->csrf && strlen(sent) == strlen(r->csrf) &&
	       !sodium_memcmp(sent, r->csrf, strlen(r->csrf));
}

static void require_login(request *r)
{
	if (r->api || r->method != HTTP_GET) {
		page_error(r, GZ_EAUTH, NULL);
		return;
	}
	buf next = BUF_INIT;
	buf_adds(&next, "/login?next=");
	for (const unsigned char *p = (const unsigned char *)r->path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-_.", *p))
			buf_addch(&next, (char)*p);
		else
			buf_printf(&next, "%%%02X", *p);
	}
	resp_redirect(r, arena_strdup(&r->mem, next.data));
	buf_release(&next);
}

static void run_route(request *r, const route *rt)
{
	r->api = (rt->flags & ROUTE_API) != 0;
	gz_err rc;
	if (!(rt->flags & ROUTE_NO_DB)) {
		r->db = store_conn_get(req_app(r)->st);
		if (!r->db) {
			page_error_status(r, 503, NULL);
			return;
		}
	}
	if ((rc = decode_body(r))) {
		page_error(r, rc, "err.malformed");
		return;
	}
	if (!(rt->flags & ROUTE_NO_DB) && (rc = load_session(r))) {
		page_error(r, rc, NULL);
		return;
	}
	if (!(rt->flags & ROUTE_NO_DB) && !(r->cache_key && !r->user))
		choose_csrf(r);
	if ((rt->flags & ROUTE_LOGIN) && !r->user) {
		require_login(r);
		return;
	}
	if (r->method == HTTP_POST && !csrf_ok(r)) {
		page_error(r, GZ_ECSRF, NULL);
		return;
	}
	if ((rc = rt->handler(r)))
		page_error(r, rc, NULL);
	else if (r->cache_key && !r->user)
		page_cache_keep(r->cache_key, r->cache_generation, r);
}

void routes_dispatch(void *app_ptr, request *r)
{
	choose_language(r);
	security_headers(r);
	if (r->from_cache)
		return;
	if (r->status == 503) {
		page_error_status(r, 503, NULL);
		return;
	}
	if (r->body_too_big) {
		page_error_status(r, 413, NULL);
		return;
	}
	/* Looked up by routes_classify, except for a request cut short (413). */
	bool path_known = r->route_path_known;
	const route *rt = r->route ? r->route : find_route(r, &path_known);
	if (!rt) {
		r->api = !strncmp(r->path, "/api/", 5);
		if (path_known)
			resp_header(r, "Allow", "GET, HEAD, POST");
		page_error_status(r, path_known ? 405 : 404, NULL);
		return;
	}
	run_route(r, rt);
}

void routes_request_done(void *app_ptr, request *r)
{
	app *a = app_ptr;
	if (r->db)
		store_conn_put(a->st, r->db);
	r->db = NULL;
}
