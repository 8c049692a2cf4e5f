/*
 * Accounts, passwords and sessions.
 *
 * Passwords: argon2id through libsodium at OWASP's minimum or above
 * (19 MiB, 2 passes, 1 lane).  Hashing is deliberately expensive, so at most
 * `max_concurrent_hashes` run at once; a request that cannot get a slot in
 * time gets GZ_EBUSY instead of piling up memory.
 *
 * Sessions: a 256-bit random token goes to the browser; the database keeps
 * only its SHA-256.  Sessions expire after an idle period and after an
 * absolute lifetime.  Each session has its own CSRF token.
 *
 * Throttling: failed logins are counted per login name and per client
 * address in this process; past the limit a login is refused with the
 * number of seconds to wait, before any password is checked.
 */
#ifndef GZ_DOMAIN_ACCOUNTS_H
#define GZ_DOMAIN_ACCOUNTS_H

#include "domain/actor.h"
#include "store/store.h"

typedef struct accounts_config {
	unsigned max_concurrent_hashes;
	unsigned hash_wait_ms;           /* longest wait for a hashing slot */
	int64_t session_idle_seconds;
	int64_t session_max_seconds;
	unsigned max_failures_per_login; /* within the window */
	unsigned max_failures_per_ip;
	unsigned failure_window_seconds;
	int64_t password_max_age_days;   /* 0: no forced change (等保 deployments set it) */
} accounts_config;

#define ACCOUNTS_CONFIG_DEFAULT { 2, 5000, 2 * 3600, 7 * 24 * 3600, 5, 30, 900, 0 }

void accounts_setup(const accounts_config *cfg);
const accounts_config *accounts_settings(void);

/* Hashes a password into out[128] (libsodium's encoded string). */
gz_err password_hash(const char *password, char out[128]);
bool password_matches(const char *encoded, const char *password);
/* Length and variety rules; the catalogue key of the complaint, or NULL. */
const char *password_problem(const char *password);

typedef struct registration {
	const char *login;
	const char *password;
	const char *name;
	const char *phone;
	int64_t community_id;
	bool social_unit;
} registration;

/* Creates person + account for self-registration; GZ_EEXIST when the login is taken. */
gz_err account_register(store *st, int64_t street_id, const registration *reg, int64_t *account_id);

typedef struct login_result {
	int64_t account_id;
	int retry_after;           /* seconds, when throttled */
	bool password_expired;     /* older than password_max_age_days: must change it now */
	char token[65];            /* the new session token for the cookie */
} login_result;

/*
 * Checks the password and opens a session.  GZ_EAUTH for a wrong login or
 * password (the same answer for both), GZ_ETOOMANY when throttled.
 */
gz_err account_login(store *st, const char *login, const char *password, const char *client_ip,
		     login_result *out);
/* Ends one session (server side). */
gz_err session_end(store *st, const char *token);
/* Checks the old password, sets the new one and ends every session of the
 * account, this one included: whoever knew the old password is locked out. */
gz_err account_change_password(store *st, const actor *who, const char *old_password, const char *new_password);
/* Sets a password without the old one (administration, demo). */
gz_err account_set_password(store *st, const actor *who, int64_t account_id, const char *new_password);

/* Loads the actor of a session token into `out` (strings in `a`); GZ_EAUTH when
 * the token is unknown or expired. */
gz_err session_load(store_conn *c, store *st, arena *a, const char *token, actor *out);
/* Loads the roles in force for a person into the actor. */
gz_err actor_load_roles(store_conn *c, arena *a, actor *out);

/* Creates an account for an existing person (administration, demo). */
gz_err account_create(store_conn *c, const actor *who, int64_t street_id, int64_t person_id, const char *login,
		      const char *password_encoded, int64_t *account_id);

#endif
