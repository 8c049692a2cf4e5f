#include "util/error.h"

static const struct {
	const char *text;
	int status;
	const char *key;
} errors[GZ_ERR__MAX] = {
	[GZ_OK] = { "ok", 200, "err.ok" },
	[GZ_EINVAL] = { "invalid input", 400, "err.invalid" },
	[GZ_ENOTFOUND] = { "not found", 404, "err.notfound" },
	[GZ_EEXIST] = { "already exists", 409, "err.exists" },
	[GZ_EAUTH] = { "not signed in", 401, "err.auth" },
	[GZ_EFORBIDDEN] = { "not allowed", 403, "err.forbidden" },
	[GZ_ECSRF] = { "form token missing or wrong", 403, "err.csrf" },
	[GZ_ECONFLICT] = { "not possible in the current state", 409, "err.conflict" },
	[GZ_ETOOMANY] = { "too many requests", 429, "err.toomany" },
	[GZ_ETOOBIG] = { "too large", 413, "err.toobig" },
	[GZ_EBUSY] = { "busy", 503, "err.busy" },
	[GZ_ENOSPACE] = { "disk full", 503, "err.nospace" },
	[GZ_ESTORE] = { "database error", 500, "err.internal" },
	[GZ_EIO] = { "input/output error", 500, "err.internal" },
	[GZ_ENOMEM] = { "out of memory", 503, "err.busy" },
	[GZ_ECORRUPT] = { "data failed an integrity check", 500, "err.internal" },
	[GZ_EINTERNAL] = { "internal error", 500, "err.internal" },
};

static int in_range(gz_err err)
{
	return (int)err >= 0 && err < GZ_ERR__MAX;
}

const char *gz_strerror(gz_err err)
{
	return in_range(err) ? errors[err].text : "unknown error";
}

int gz_err_status(gz_err err)
{
	return in_range(err) ? errors[err].status : 500;
}

const char *gz_err_key(gz_err err)
{
	return in_range(err) ? errors[err].key : "err.internal";
}
