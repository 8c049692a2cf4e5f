/*
 * One error vocabulary for the whole program.  Functions named as actions
 * return a gz_err (GZ_OK is 0); predicates return bool.  Each code maps to an
 * HTTP status and a catalogue key, so a domain refusal becomes the same
 * sentence on every channel.
 */
#ifndef GZ_UTIL_ERROR_H
#define GZ_UTIL_ERROR_H

typedef enum gz_err {
	GZ_OK = 0,
	GZ_EINVAL,      /* input failed validation */
	GZ_ENOTFOUND,   /* no such object */
	GZ_EEXIST,      /* already exists / already done */
	GZ_EAUTH,       /* not signed in, or bad credentials */
	GZ_EFORBIDDEN,  /* signed in but not allowed here */
	GZ_ECSRF,       /* form token missing or wrong */
	GZ_ECONFLICT,   /* state does not allow this now */
	GZ_ETOOMANY,    /* rate limit reached */
	GZ_ETOOBIG,     /* input over a size limit */
	GZ_EBUSY,       /* overloaded; try again */
	GZ_ENOSPACE,    /* the disk is full */
	GZ_ESTORE,      /* database failure */
	GZ_EIO,         /* file or network failure */
	GZ_ENOMEM,
	GZ_ECORRUPT,    /* data failed an integrity check */
	GZ_EINTERNAL,
	GZ_ERR__MAX
} gz_err;

/* English one-liner for logs and the command line. */
const char *gz_strerror(gz_err err);
/* HTTP status that answers this error. */
int gz_err_status(gz_err err);
/* Catalogue key of the user-facing sentence, e.g. "err.forbidden". */
const char *gz_err_key(gz_err err);

#endif
