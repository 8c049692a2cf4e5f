#include "http/request.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

bool http_secure_cookies = false;

const char *req_query(request *r, const char *name)
{
	return kv_get(&r->query, name);
}

const char *req_form(request *r, const char *name)
{
	return kv_get(&r->form, name);
}

const char *req_param(request *r, const char *name)
{
	const char *v = req_query(r, name);
	return v ? v : req_form(r, name);
}

const char *req_header(request *r, const char *name)
{
	return r->mhd ? MHD_lookup_connection_value(r->mhd, MHD_HEADER_KIND, name) : NULL;
}

const char *req_cookie(request *r, const char *name)
{
	return r->mhd ? MHD_lookup_connection_value(r->mhd, MHD_COOKIE_KIND, name) : NULL;
}

int64_t req_id_param(request *r, int i)
{
	const char *s = i >= 0 && i < 4 ? r->route_params[i] : NULL;
	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return strtoll(s, NULL, 10);
}

void resp_header(request *r, const char *name, const char *value)
{
	kv_add(&r->mem, &r->headers, name, arena_strdup(&r->mem, value), strlen(value));
}

void resp_cookie(request *r, const char *name, const char *value, long max_age, bool http_only)
{
	char *cookie = arena_printf(&r->mem, "%s=%s; Path=/; SameSite=Lax%s%s", name, value,
				    http_only ? "; HttpOnly" : "", http_secure_cookies ? "; Secure" : "");
	if (max_age >= 0)
		cookie = arena_printf(&r->mem, "%s; Max-Age=%ld", cookie, max_age);
	resp_header(r, "Set-Cookie", cookie);
}

void resp_redirect(request *r, const char *local_path)
{
	/* Only local paths: "/x" but not "//host" or "/\host". */
	if (!local_path || local_path[0] != '/' || local_path[1] == '/' || local_path[1] == '\\')
		local_path = "/";
	r->status = 303;
	resp_header(r, "Location", local_path);
	buf_reset(&r->out);
}

void resp_json_text(request *r, int status, const char *json)
{
	r->status = status;
	r->out_type = "application/json; charset=utf-8";
	buf_reset(&r->out);
	buf_adds(&r->out, json);
}
