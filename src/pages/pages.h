/*
 * What every page shares: the layout, forms' CSRF field, notices and the
 * one function that answers errors.
 */
#ifndef GZ_PAGES_PAGES_H
#define GZ_PAGES_PAGES_H

#include "http/request.h"
#include "pages/html.h"
#include "routes/app.h"

/* Opens the document: head, header with the street and the signed-in user,
 * the navigation of the four stages.  `title` is shown text (escaped). */
void page_begin(request *r, const char *title);
void page_end(request *r);

/* The hidden CSRF field every state-changing form carries. */
void form_csrf(request *r);
/* A message box; kind is "ok", "error" or "info"; text escaped. */
void page_notice(request *r, const char *kind, const char *text);

/*
 * Answers an error with its status and a sentence in the user's language:
 * an HTML page, or JSON for API routes.  Never echoes anything the client
 * sent.  `detail` is an optional catalogue key of a more specific sentence.
 */
void page_error(request *r, gz_err err, const char *detail);
/* The same, by HTTP status (404, 405, 413, 503 ... from the router). */
void page_error_status(request *r, int status, const char *detail);

/* The site's app. */
static inline app *req_app(request *r) { return (app *)r->app; }

/* Pagination links: "?page=N" keeping the other query parameters. */
void page_pager(request *r, const char *base_path, int64_t page, int64_t pages);

#endif
