/*
 * One HTTP request and the response being built for it.
 *
 * Ownership: everything hanging off a request (parsed fields, strings,
 * rows from the store) lives in r->mem, the request's arena, released when
 * libmicrohttpd reports the request completed.  The response body is r->out.
 */
#ifndef GZ_HTTP_REQUEST_H
#define GZ_HTTP_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

struct app;
struct store_conn;
struct actor;

typedef enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER } http_method;

typedef struct kv {
	const char *key;
	const char *value;
	size_t value_len;   /* values may be binary (multipart files) */
} kv;

typedef struct kv_list {
	kv *items;
	size_t count, capacity;
} kv_list;

/* One file from a multipart/form-data body. */
typedef struct upload {
	const char *field;
	const char *filename;
	const char *content_type;  /* as the client said; never trusted */
	const unsigned char *data;
	size_t len;
} upload;

typedef struct request {
	arena mem;                  /* request lifetime memory */
	struct app *app;
	void *mhd;                  /* the libmicrohttpd connection */
	struct store_conn *db;      /* a read connection while the handler runs */

	http_method method;
	const char *method_name;
	const char *path;           /* decoded path, no query */
	const char *client_ip;
	kv_list query;              /* ?a=b */
	kv_list form;               /* urlencoded or multipart text fields */
	upload *uploads;
	size_t upload_count;
	buf body;                   /* raw request body, capped at the configured limit */
	bool body_too_big;
	const char *content_type;
	const char *route_params[4];  /* values of :name segments, in order */

	const char *lang;           /* "zh" or "en" */
	bool api;                   /* an API route: errors answer in JSON */
	struct actor *user;         /* NULL when nobody is signed in */
	const char *csrf;           /* this session's form token, or the anonymous one */
	const void *route;          /* the route table entry, found once before the body is read */
	bool route_path_known;      /* some route has this path (405 rather than 404) */
	const char *cache_key;      /* set when the rendered page may be kept (routes/page-cache.h) */
	uint64_t cache_generation;  /* the store generation the page is rendered at */
	bool from_cache;            /* the response was copied from the page cache */

	/* response */
	int status;
	const char *out_type;       /* Content-Type */
	buf out;
	kv_list headers;            /* extra response headers */
	int64_t started_usec;
} request;

/* Query, then form value; NULL when absent. */
const char *req_param(request *r, const char *name);
const char *req_query(request *r, const char *name);
const char *req_form(request *r, const char *name);
const char *req_header(request *r, const char *name);
const char *req_cookie(request *r, const char *name);
/* :name path segment number `i` parsed as a positive id; 0 when not one. */
int64_t req_id_param(request *r, int i);

void kv_add(arena *a, kv_list *list, const char *key, const char *value, size_t value_len);
const char *kv_get(const kv_list *list, const char *key);

/* Adds "; Secure" to every cookie (set when served over HTTPS). */
extern bool http_secure_cookies;

void resp_header(request *r, const char *name, const char *value);
/* Sets a cookie; max_age < 0 makes a session cookie, 0 deletes it. */
void resp_cookie(request *r, const char *name, const char *value, long max_age, bool http_only);
/* 303 See Other to a local path (never to another site). */
void resp_redirect(request *r, const char *local_path);
void resp_json_text(request *r, int status, const char *json);

#endif
