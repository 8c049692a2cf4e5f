/* Routes that need no database: health check, static files, language switch. */
#include <string.h>

#include "i18n/i18n.h"
#include "pages/pages.h"
#include "pages/static-files.h"
#include "routes/routes.h"

static gz_err healthz(request *r)
{
	r->status = 200;
	r->out_type = "text/plain; charset=utf-8";
	buf_adds(&r->out, "ok\n");
	return GZ_OK;
}

static gz_err static_file_get(request *r)
{
	const char *name = r->route_params[0];
	for (const static_file *f = static_files; f->name; f++) {
		if (strcmp(f->name, name))
			continue;
		resp_header(r, "ETag", f->etag);
		/* Revalidated after a day; the ETag keeps it cheap. */
		resp_header(r, "Cache-Control", "public, max-age=86400");
		const char *match = req_header(r, "If-None-Match");
		if (match && !strcmp(match, f->etag)) {
			r->status = 304;
			return GZ_OK;
		}
		r->status = 200;
		r->out_type = f->content_type;
		buf_add(&r->out, f->data, f->len);
		return GZ_OK;
	}
	page_error_status(r, 404, NULL);
	return GZ_OK;
}

static gz_err switch_language(request *r)
{
	const char *to = i18n_lang(req_query(r, "to"));
	const char *back = req_query(r, "back");
	if (to)
		resp_cookie(r, "lang", to, 365L * 24 * 3600, false);
	resp_redirect(r, back);
	return GZ_OK;
}

const route page_static_routes[] = {
	{ HTTP_GET, "/healthz", healthz, ROUTE_INLINE | ROUTE_NO_DB },
	{ HTTP_GET, "/static/:file", static_file_get, ROUTE_INLINE | ROUTE_NO_DB },
	{ HTTP_GET, "/lang", switch_language, ROUTE_INLINE | ROUTE_NO_DB },
	{ 0 },
};
