/*
 * The route table: method + path pattern -> handler, with flags checked in
 * one place (routes_dispatch) before any handler runs.
 *
 * Patterns are literal segments and :name segments ("/needs/:id"); the
 * values of :name segments are r->route_params[0..3] in order.  Each page
 * or API family exports a table ending with an entry whose pattern is NULL,
 * and routes.c lists the families.
 */
#ifndef GZ_ROUTES_ROUTES_H
#define GZ_ROUTES_ROUTES_H

#include "http/request.h"
#include "http/server.h"

typedef gz_err (*route_handler)(request *r);

enum route_flags {
	ROUTE_LOGIN = 1 << 0,    /* must be signed in */
	ROUTE_INLINE = 1 << 1,   /* never blocks: run on the I/O thread */
	ROUTE_API = 1 << 2,      /* JSON in and out, JSON errors */
	ROUTE_NO_DB = 1 << 3,    /* needs no database connection or session */
	ROUTE_CACHE = 1 << 4,    /* anonymous GETs may be answered from the page cache
				    (the page must hold no form that needs a CSRF token) */
};

typedef struct route {
	http_method method;      /* HTTP_GET also answers HEAD */
	const char *pattern;
	route_handler handler;
	unsigned flags;
} route;

/* The families, each defined in its own file. */
extern const route page_home_routes[];
extern const route page_account_routes[];
extern const route page_static_routes[];
extern const route page_admin_routes[];
extern const route page_surveys_routes[];
extern const route page_meetings_routes[];
extern const route page_needs_routes[];
extern const route page_drafts_routes[];
extern const route page_inbox_routes[];
extern const route api_needs_routes[];
extern const route api_meta_routes[];
extern const route api_intake_routes[];

/* Every route, for the authorization matrix and the HTML sweep. */
size_t routes_all(const route **out, size_t max);

/* http_config callbacks. */
http_mode routes_classify(void *app, request *r);
void routes_dispatch(void *app, request *r);
void routes_request_done(void *app, request *r);

/* True when `path` matches `pattern`, filling r->route_params (r may be NULL). */
bool route_match(const char *pattern, const char *path, request *r);

#endif
