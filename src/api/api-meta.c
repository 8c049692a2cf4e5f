/* /api/v1/meta: what this site is, for clients that start from nothing. */
#include <stdlib.h>

#include "api/api.h"
#include "domain/actor.h"
#include "pages/pages.h"
#include "routes/routes.h"
#include "store/store.h"

gz_err api_send(request *r, int status, json_t *body)
{
	if (!body)
		return GZ_ENOMEM;
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text)
		return GZ_ENOMEM;
	resp_json_text(r, status, text);
	free(text);
	return GZ_OK;
}

static gz_err meta(request *r)
{
	app *a = req_app(r);
	json_t *user = r->user ? json_pack("{s:I, s:s}", "account_id", (json_int_t)r->user->account_id, "login",
					   r->user->login)
			       : json_null();
	return api_send(r, 200,
			json_pack("{s:s, s:I, s:s, s:s, s:s, s:o, s:s}", "name", "gongzhi", "street_id",
				  (json_int_t)a->street_id, "street", a->street_name ? a->street_name : "", "district",
				  a->district_name ? a->district_name : "", "version", GZ_VERSION, "user", user,
				  "csrf_token", r->csrf ? r->csrf : ""));
}

const route api_meta_routes[] = {
	{ HTTP_GET, "/api/v1/meta", meta, ROUTE_API },
	{ 0 },
};
