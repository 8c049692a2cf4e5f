/*
 * Writing through the JSON API: submitting a need, supporting one.
 * The same domain functions and refusals as the pages; a client signs in
 * with the session cookie and sends the session's CSRF token (from
 * /api/v1/meta) in the X-CSRF-Token header.
 */
#include <string.h>

#include "api/api.h"
#include "domain/authz.h"
#include "domain/needs.h"
#include "pages/pages.h"
#include "routes/routes.h"

#define JSON_BODY_MAX (64 * 1024)

/* Parses the request body as one JSON object; NULL when it is not one. */
static json_t *read_object(request *r)
{
	if (!r->body.len || r->body.len > JSON_BODY_MAX)
		return NULL;
	json_error_t err;
	json_t *v = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &err);
	if (v && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* A string member, or `fallback` when absent; *ok turns false on a wrong type. */
static const char *member_text(json_t *o, const char *key, const char *fallback, bool *ok)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return fallback;
	if (!json_is_string(v)) {
		*ok = false;
		return fallback;
	}
	return json_string_value(v);
}

static int64_t member_int(json_t *o, const char *key, bool *ok)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*ok = false;
		return 0;
	}
	return json_integer_value(v);
}

/* Fills `in` from the object; staff may record on someone's behalf. */
static bool read_need(request *r, json_t *o, need_input *in)
{
	bool ok = true;
	memset(in, 0, sizeof(*in));
	in->title = member_text(o, "title", "", &ok);
	in->body = member_text(o, "body", "", &ok);
	in->category = member_text(o, "category", "", &ok);
	in->address = member_text(o, "address", "", &ok);
	in->unit_id = member_int(o, "unit_id", &ok);
	json_t *show = json_object_get(o, "show_name");
	if (show && !json_is_boolean(show))
		ok = false;
	in->show_name = show && json_is_true(show);
	in->channel = CHANNEL_WEB;
	const char *channel = member_text(o, "channel", NULL, &ok);
	if (channel && !need_channel_parse(channel, &in->channel))
		ok = false;
	if (!actor_is_staff(r->user)) {
		/* Residents speak for themselves, through the web or the poster's QR code. */
		if (in->channel != CHANNEL_WEB && in->channel != CHANNEL_POSTER)
			ok = false;
		if (json_object_get(o, "person_id") || json_object_get(o, "submitter_name"))
			ok = false;
	} else {
		in->person_id = member_int(o, "person_id", &ok);
		in->submitter_name = member_text(o, "submitter_name", NULL, &ok);
	}
	return ok;
}

static gz_err api_need_create(request *r)
{
	json_t *o = read_object(r);
	if (!o) {
		page_error(r, GZ_EINVAL, "api.bad_json");
		return GZ_OK;
	}
	need_input in;
	bool ok = read_need(r, o, &in);
	gz_err rc = GZ_OK;
	need_refusal why = { NULL };
	int64_t id = 0;
	int wait = actor_is_staff(r->user) ? 0 : need_throttle_wait(r->user, r->client_ip);
	if (!ok) {
		rc = GZ_EINVAL;
		why.key = "api.bad_fields";
	} else if (wait > 0) {
		char seconds[16];
		snprintf(seconds, sizeof(seconds), "%d", wait);
		resp_header(r, "Retry-After", seconds);
		rc = GZ_ETOOMANY;
	} else {
		rc = need_create(req_app(r)->st, r->user, &in, &id, &why);
	}
	json_decref(o);
	if (rc) {
		page_error(r, rc, why.key);
		return GZ_OK;
	}
	if (!actor_is_staff(r->user))
		need_throttle_hit(r->user, r->client_ip);
	resp_header(r, "Location", arena_printf(&r->mem, "/api/v1/needs/%lld", (long long)id));
	return api_send(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "url",
					  arena_printf(&r->mem, "/needs/%lld", (long long)id)));
}

static gz_err api_support(request *r, bool on)
{
	int64_t id = req_id_param(r, 0);
	if (!id)
		return GZ_ENOTFOUND;
	gz_err rc = on ? need_support(req_app(r)->st, r->user, id) : need_unsupport(req_app(r)->st, r->user, id);
	if (rc)
		return rc;
	return api_send(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "supported", on));
}

static gz_err api_support_add(request *r)
{
	return api_support(r, true);
}

static gz_err api_support_remove(request *r)
{
	return api_support(r, false);
}

const route api_intake_routes[] = {
	{ HTTP_POST, "/api/v1/needs", api_need_create, ROUTE_API | ROUTE_LOGIN },
	{ HTTP_POST, "/api/v1/needs/:id/support", api_support_add, ROUTE_API | ROUTE_LOGIN },
	{ HTTP_POST, "/api/v1/needs/:id/unsupport", api_support_remove, ROUTE_API | ROUTE_LOGIN },
	{ 0 },
};
