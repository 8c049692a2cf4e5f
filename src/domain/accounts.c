#include "domain/accounts.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/throttle.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define PWHASH_OPS 2
#define PWHASH_MEM (19u * 1024 * 1024)

static accounts_config settings = ACCOUNTS_CONFIG_DEFAULT;
static throttle *login_failures;

/* A counting semaphore over hashing slots, with a deadline. */
static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_free = PTHREAD_COND_INITIALIZER;
static unsigned hashes_running;

/* A real hash of a random password, checked when the login is unknown so
 * that an unknown login costs the same time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];

void accounts_setup(const accounts_config *cfg)
{
	if (cfg)
		settings = *cfg;
	if (!login_failures)
		login_failures = throttle_new(8192);
	if (!dummy_hash[0]) {
		char random_password[33];
		unsigned char bytes[16];
		randombytes_buf(bytes, sizeof(bytes));
		sodium_bin2hex(random_password, sizeof(random_password), bytes, sizeof(bytes));
		if (crypto_pwhash_str(dummy_hash, random_password, strlen(random_password), PWHASH_OPS, PWHASH_MEM))
			dummy_hash[0] = '\0';   /* out of memory: unknown logins then fail faster */
	}
}

const accounts_config *accounts_settings(void)
{
	return &settings;
}

static bool hash_slot_take(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += settings.hash_wait_ms / 1000;
	deadline.tv_nsec += (long)(settings.hash_wait_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&hash_lock);
	while (hashes_running >= settings.max_concurrent_hashes) {
		if (pthread_cond_timedwait(&hash_free, &hash_lock, &deadline)) {
			pthread_mutex_unlock(&hash_lock);
			return false;
		}
	}
	hashes_running++;
	pthread_mutex_unlock(&hash_lock);
	return true;
}

static void hash_slot_give(void)
{
	pthread_mutex_lock(&hash_lock);
	hashes_running--;
	pthread_cond_signal(&hash_free);
	pthread_mutex_unlock(&hash_lock);
}

gz_err password_hash(const char *password, char out[128])
{
	if (!hash_slot_take())
		return GZ_EBUSY;
	int rc = crypto_pwhash_str(out, password, strlen(password), PWHASH_OPS, PWHASH_MEM);
	hash_slot_give();
	return rc ? GZ_ENOMEM : GZ_OK;
}

bool password_matches(const char *encoded, const char *password)
{
	if (!hash_slot_take())
		return false;
	bool ok = crypto_pwhash_str_verify(encoded, password, strlen(password)) == 0;
	hash_slot_give();
	return ok;
}

const char *password_problem(const char *password)
{
	size_t len = strlen(password ? password : "");
	if (len < 8)
		return "account.password_short";
	if (len > 128)
		return "account.password_long";
	bool letter = false, digit = false;
	for (const char *p = password; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			letter = true;
		else if (*p >= '0' && *p <= '9')
			digit = true;
	}
	return letter && digit ? NULL : "account.password_simple";
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char raw[32];
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

static void token_digest(const char *token, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

/* ---- registration ---- */

typedef struct register_job {
	int64_t street_id;
	const registration *reg;
	const char *encoded;
	int64_t account_id;
} register_job;

gz_err account_create(store_conn *c, const actor *who, int64_t street_id, int64_t person_id, const char *login,
		      const char *password_encoded, int64_t *account_id)
{
	gz_err rc = db_int(c, STMT_ACCOUNT_INSERT,
			   ARGS(sv_int(street_id), sv_int(person_id), sv_text(login), sv_text(password_encoded),
				sv_int(time_now())),
			   0, account_id);
	if (rc)
		return rc;
	audit_entry e = { street_id, "account.create", "account", *account_id,
			  arena_printf(db_arena(c), "login=%s person=%" PRId64, login, person_id) };
	return audit_append(c, who, &e);
}

static gz_err register_write(store_conn *c, void *ctx)
{
	register_job *job = ctx;
	const registration *reg = job->reg;
	rows unit;
	gz_err rc = db_run(c, NULL, STMT_UNIT_GET, ARGS(sv_int(reg->community_id)), &unit);
	if (rc)
		return rc;
	if (unit.nrows != 1 || rows_int(&unit, 0, 1) != job->street_id || strcmp(rows_text(&unit, 0, 3), "community"))
		return GZ_EINVAL;
	int64_t person_id;
	rc = db_int(c, STMT_PERSON_INSERT,
		    ARGS(sv_int(job->street_id), sv_text(reg->name), sv_text(reg->phone ? reg->phone : ""),
			 sv_int(0), sv_int(reg->community_id), sv_text(reg->social_unit ? "social_unit" : "resident"),
			 sv_int(0), sv_int(time_now())),
		    0, &person_id);
	if (rc)
		return rc;
	actor self = { .person_id = person_id, .street_id = job->street_id, .login = reg->login };
	audit_entry e = { job->street_id, "person.register", "person", person_id, "self-registration" };
	if ((rc = audit_append(c, &self, &e)))
		return rc;
	return account_create(c, &self, job->street_id, person_id, reg->login, job->encoded, &job->account_id);
}

gz_err account_register(store *st, int64_t street_id, const registration *reg, int64_t *account_id)
{
	char encoded[128];
	gz_err rc = password_hash(reg->password, encoded);
	if (rc)
		return rc;
	register_job job = { street_id, reg, encoded, 0 };
	rc = store_write(st, register_write, &job);
	*account_id = job.account_id;
	return rc;
}

/* ---- login, sessions ---- */

typedef struct session_job {
	int64_t account_id, street_id, person_id;
	const char *login;
	char token_hash[65];
	char csrf[33];
	const char *reason;
} session_job;

static gz_err session_open_write(store_conn *c, void *ctx)
{
	session_job *job = ctx;
	gz_err rc = db_run(c, NULL, STMT_SESSION_INSERT,
			   ARGS(sv_text(job->token_hash), sv_int(job->street_id), sv_int(job->account_id),
				sv_text(job->csrf), sv_int(time_now())),
			   NULL);
	if (rc)
		return rc;
	actor self = { .account_id = job->account_id, .person_id = job->person_id, .street_id = job->street_id };
	audit_entry e = { job->street_id, "account.login", "account", job->account_id, job->reason };
	return audit_append(c, &self, &e);
}

static void throttle_keys(const char *login, const char *ip, char by_login[96], char by_ip[96])
{
	snprintf(by_login, 96, "login:%.80s", login);
	snprintf(by_ip, 96, "ip:%.80s", ip ? ip : "?");
}

gz_err account_login(store *st, const char *login, const char *password, const char *client_ip,
		     login_result *out)
{
	memset(out, 0, sizeof(*out));
	char by_login[96], by_ip[96];
	throttle_keys(login, client_ip, by_login, by_ip);
	int64_t now = time_now();
	int wait_login = throttle_wait(login_failures, by_login, settings.max_failures_per_login,
				       settings.failure_window_seconds, now);
	int wait_ip = throttle_wait(login_failures, by_ip, settings.max_failures_per_ip,
				    settings.failure_window_seconds, now);
	if (wait_login || wait_ip) {
		out->retry_after = wait_login > wait_ip ? wait_login : wait_ip;
		return GZ_ETOOMANY;
	}
	store_conn *c = store_conn_get(st);
	if (!c)
		return GZ_ESTORE;
	arena a = ARENA_INIT;
	rows acc;
	gz_err rc = db_run(c, &a, STMT_ACCOUNT_BY_LOGIN, ARGS(sv_text(login)), &acc);
	store_conn_put(st, c);
	bool known = !rc && acc.nrows == 1 && !rows_int(&acc, 0, 4);
	bool ok = password_matches(known ? rows_text(&acc, 0, 3) : dummy_hash, password) && known;
	if (rc || !ok) {
		throttle_hit(login_failures, by_login, settings.failure_window_seconds, now);
		throttle_hit(login_failures, by_ip, settings.failure_window_seconds, now);
		arena_release(&a);
		return rc ? rc : GZ_EAUTH;
	}
	throttle_clear(login_failures, by_login);
	out->password_expired = settings.password_max_age_days > 0 &&
				now - rows_int(&acc, 0, 5) > settings.password_max_age_days * 86400;
	session_job job = { .account_id = rows_int(&acc, 0, 0), .street_id = rows_int(&acc, 0, 1),
			    .person_id = rows_int(&acc, 0, 2), .login = login, .reason = "password" };
	arena_release(&a);
	random_hex(out->token, 32);
	token_digest(out->token, job.token_hash);
	random_hex(job.csrf, 16);
	rc = store_write(st, session_open_write, &job);
	if (!rc)
		out->account_id = job.account_id;
	return rc;
}

typedef struct end_job {
	char token_hash[65];
} end_job;

static gz_err session_end_write(store_conn *c, void *ctx)
{
	end_job *job = ctx;
	return db_run(c, NULL, STMT_SESSION_DELETE, ARGS(sv_text(job->token_hash)), NULL);
}

gz_err session_end(store *st, const char *token)
{
	end_job job;
	token_digest(token, job.token_hash);
	return store_write(st, session_end_write, &job);
}

static gz_err session_touch_write(store_conn *c, void *ctx)
{
	end_job *job = ctx;
	return db_run(c, NULL, STMT_SESSION_TOUCH, ARGS(sv_text(job->token_hash), sv_int(time_now())), NULL);
}

gz_err actor_load_roles(store_conn *c, arena *a, actor *out)
{
	rows roles;
	gz_err rc = db_run(c, a, STMT_ROLES_OF_PERSON, ARGS(sv_int(out->person_id), sv_int(time_now())), &roles);
	if (rc)
		return rc;
	out->role_count = 0;
	for (size_t i = 0; i < roles.nrows && out->role_count < ACTOR_MAX_ROLES; i++) {
		held_role *h = &out->roles[out->role_count];
		if (!role_parse(rows_text(&roles, i, 4), &h->role))
			continue;
		if (!delegate_kind_parse(rows_text(&roles, i, 5), &h->delegate))
			h->delegate = DELEGATE_NONE;
		h->assignment_id = rows_int(&roles, i, 0);
		h->unit_id = rows_int(&roles, i, 3);
		h->unit_name = rows_text(&roles, i, 8);
		h->unit_path = rows_text(&roles, i, 9);
		out->role_count++;
	}
	return GZ_OK;
}

gz_err session_load(store_conn *c, store *st, arena *a, const char *token, actor *out)
{
	if (!token || strlen(token) != 64)
		return GZ_EAUTH;
	end_job job;
	token_digest(token, job.token_hash);
	rows s;
	gz_err rc = db_run(c, a, STMT_SESSION_LOOKUP, ARGS(sv_text(job.token_hash)), &s);
	if (rc)
		return rc;
	if (s.nrows != 1)
		return GZ_EAUTH;
	int64_t now = time_now(), created = rows_int(&s, 0, 3), seen = rows_int(&s, 0, 4);
	if (now - seen > settings.session_idle_seconds || now - created > settings.session_max_seconds) {
		store_write(st, session_end_write, &job);
		return GZ_EAUTH;
	}
	/* Touching every request would turn every read into a write. */
	if (now - seen > 300)
		store_write(st, session_touch_write, &job);
	memset(out, 0, sizeof(*out));
	out->account_id = rows_int(&s, 0, 0);
	out->street_id = rows_int(&s, 0, 1);
	out->csrf_token = rows_text(&s, 0, 2);
	out->person_id = rows_int(&s, 0, 5);
	out->login = rows_text(&s, 0, 6);
	out->name = rows_text(&s, 0, 7);
	out->verified = rows_int(&s, 0, 8) != 0;
	out->social_unit = !strcmp(rows_text(&s, 0, 9), "social_unit");
	return actor_load_roles(c, a, out);
}

/* ---- passwords ---- */

typedef struct password_job {
	const actor *who;
	int64_t account_id, street_id;
	const char *encoded;
} password_job;

static gz_err password_write(store_conn *c, void *ctx)
{
	password_job *job = ctx;
	gz_err rc = db_run(c, NULL, STMT_ACCOUNT_SET_PASSWORD,
			   ARGS(sv_int(job->street_id), sv_int(job->account_id), sv_text(job->encoded),
				sv_int(time_now())),
			   NULL);
	if (rc)
		return rc;
	if (db_changes(c) != 1)
		return GZ_ENOTFOUND;
	/* Other sessions end: a changed password must lock out whoever knew the old one. */
	if ((rc = db_run(c, NULL, STMT_SESSION_DELETE_ACCOUNT, ARGS(sv_int(job->street_id), sv_int(job->account_id)),
			 NULL)))
		return rc;
	audit_entry e = { job->street_id, "account.password", "account", job->account_id, "password changed" };
	return audit_append(c, job->who, &e);
}

gz_err account_change_password(store *st, const actor *who, const char *old_password, const char *new_password)
{
	store_conn *c = store_conn_get(st);
	if (!c)
		return GZ_ESTORE;
	arena a = ARENA_INIT;
	rows acc;
	gz_err rc = db_run(c, &a, STMT_ACCOUNT_GET, ARGS(sv_int(who->account_id)), &acc);
	store_conn_put(st, c);
	if (!rc && acc.nrows != 1)
		rc = GZ_ENOTFOUND;
	if (!rc && !password_matches(rows_text(&acc, 0, 4), old_password))
		rc = GZ_EAUTH;
	arena_release(&a);
	if (rc)
		return rc;
	char encoded[128];
	if ((rc = password_hash(new_password, encoded)))
		return rc;
	password_job job = { who, who->account_id, who->street_id, encoded };
	return store_write(st, password_write, &job);
}

gz_err account_set_password(store *st, const actor *who, int64_t account_id, const char *new_password)
{
	char encoded[128];
	gz_err rc = password_hash(new_password, encoded);
	if (rc)
		return rc;
	store_conn *c = store_conn_get(st);
	arena a = ARENA_INIT;
	rows acc;
	rc = c ? db_run(c, &a, STMT_ACCOUNT_GET, ARGS(sv_int(account_id)), &acc) : GZ_ESTORE;
	store_conn_put(st, c);
	int64_t street_id = !rc && acc.nrows == 1 ? rows_int(&acc, 0, 1) : 0;
	arena_release(&a);
	if (rc)
		return rc;
	if (!street_id)
		return GZ_ENOTFOUND;
	password_job job = { who, account_id, street_id, encoded };
	return store_write(st, password_write, &job);
}
