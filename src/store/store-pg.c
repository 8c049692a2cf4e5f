/*
 * PostgreSQL backend, through libpq.
 *
 * Connections.  The URL is handed to libpq as it is (postgres://user@host/db,
 * or postgres:///db?host=/socket/dir&port=N), so every libpq setting works,
 * including TLS and ~/.pgpass.  Each connection sets client_encoding UTF8,
 * lock_timeout from the busy timeout (a write waiting on another server's
 * lock gives up with GZ_EBUSY, as SQLite's busy timeout does) and, when the
 * store is read-only, default_transaction_read_only.
 *
 * Statements.  Each declared statement is prepared once per connection, on
 * first use, under the name "s<id>" with its PostgreSQL text, and run with
 * PQexecPrepared.  Parameters go as text with no declared type, so the server
 * infers each one from where it stands (an integer bound where a BIGINT
 * column is compared arrives as '42' and is read as bigint); blobs go in
 * binary.  Results come back as text and are copied into the caller's arena;
 * booleans become "1"/"0" and bytea its raw bytes, as SQLite gives them.
 *
 * Statement atomicity.  In SQLite a failing statement inside a transaction
 * undoes only itself; in PostgreSQL it aborts the whole transaction.  The
 * domain layer may try an insert, see GZ_EEXIST and go on (a second support
 * of the same need), so inside a transaction every statement runs in its own
 * savepoint.  The three commands (SAVEPOINT, the statement, RELEASE) go in one
 * libpq pipeline: one round trip, as without the savepoint.
 *
 * Errors.  SQLSTATE classes map onto gz_err: 23505 unique_violation is
 * GZ_EEXIST, the other 23xxx integrity violations and 22xxx data exceptions
 * GZ_EINVAL, 53100 disk_full GZ_ENOSPACE, lock and serialization failures
 * GZ_EBUSY, and a lost connection GZ_ESTORE with a sentence in the log.  A
 * connection lost outside a transaction is re-established once and the
 * statement retried, so a restarted database costs no failed page.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

/* Type OIDs of the results we translate (from pg_type.h, stable since 7.x). */
#define PG_BOOLOID 16
#define PG_BYTEAOID 17

typedef struct pg_conn {
	PGconn *db;
	bool prepared[STMT__MAX];   /* true once "s<id>" exists on this connection */
	bool read_only;             /* the store's option, for re-opening */
	/* Between our BEGIN and COMMIT/ROLLBACK.  Kept here because libpq says
	 * "unknown" once the connection is gone, and a connection lost inside a
	 * transaction must never be quietly re-opened: what followed would run
	 * outside the transaction. */
	bool in_tx;
} pg_conn;

static gz_err map_sqlstate(const char *state)
{
	if (!state || strlen(state) != 5)
		return GZ_ESTORE;
	if (!strcmp(state, "23505"))
		return GZ_EEXIST;
	if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2))
		return GZ_EINVAL;
	if (!strcmp(state, "53100"))
		return GZ_ENOSPACE;
	if (!strcmp(state, "53200"))
		return GZ_ENOMEM;
	/* too many connections, lock timeout, serialization failure, deadlock,
	 * statement timeout, the server shutting down: try again later */
	if (!strcmp(state, "53300") || !strcmp(state, "55P03") || !strncmp(state, "40", 2) ||
	    !strcmp(state, "57014") || !strncmp(state, "57P0", 4))
		return GZ_EBUSY;
	if (!strcmp(state, "XX001") || !strcmp(state, "XX002"))
		return GZ_ECORRUPT;
	if (!strcmp(state, "58030"))
		return GZ_EIO;
	return GZ_ESTORE;
}

/* The error of a failed result, or of the connection when there is none. */
static gz_err result_error(PGconn *db, const PGresult *res)
{
	if (res && PQresultStatus(res) == PGRES_FATAL_ERROR)
		return map_sqlstate(PQresultErrorField(res, PG_DIAG_SQLSTATE));
	if (PQstatus(db) == CONNECTION_BAD)
		return GZ_ESTORE;
	return res ? GZ_ESTORE : GZ_ENOMEM;
}

static const char *error_text(PGconn *db, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(db);
	return msg && *msg ? msg : "unknown error\n";
}

/* Copies msg into err without libpq's trailing newline. */
static void set_err(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	size_t n = strlen(err);
	while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
}

static gz_err pg_exec_quiet(PGconn *db, const char *sql)
{
	PGresult *res = PQexec(db, sql);
	gz_err rc = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK
			    ? GZ_OK
			    : result_error(db, res);
	PQclear(res);
	return rc;
}

/* Session settings every connection needs; run again after a reconnect. */
static gz_err session_setup(PGconn *db, const store_options *opt, char *err, size_t errlen)
{
	char sql[160];
	int timeout = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
	snprintf(sql, sizeof(sql), "SET lock_timeout = %d; SET client_min_messages = warning; "
		 "SET default_transaction_read_only = %s",
		 timeout, opt->read_only ? "on" : "off");
	PGresult *res = PQexec(db, sql);
	gz_err rc = GZ_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = result_error(db, res);
		set_err(err, errlen, error_text(db, res));
	}
	PQclear(res);
	return rc;
}

/* The connection as "user@host:port/db", for messages; never the password. */
static void describe(PGconn *db, char *out, size_t len)
{
	const char *host = PQhost(db);
	snprintf(out, len, "%s@%s:%s/%s", PQuser(db) ? PQuser(db) : "?", host && *host ? host : "localhost",
		 PQport(db) ? PQport(db) : "5432", PQdb(db) ? PQdb(db) : "?");
}

static gz_err pg_connect(const char *url, const store_options *opt, void **out, char *err, size_t errlen)
{
	pg_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return GZ_ENOMEM;
	/* dbname first so the URL expands there; the later keywords win over it,
	 * fallback_application_name only where the URL names none. */
	const char *const keys[] = { "dbname", "client_encoding", "fallback_application_name", "connect_timeout",
				     NULL };
	const char *const values[] = { url, "UTF8", "gongzhi", "10", NULL };
	c->db = PQconnectdbParams(keys, values, 1);
	if (!c->db) {
		free(c);
		snprintf(err, errlen, "cannot connect to PostgreSQL: out of memory");
		return GZ_ENOMEM;
	}
	if (PQstatus(c->db) != CONNECTION_OK) {
		char where[256];
		describe(c->db, where, sizeof(where));
		char msg[512];
		set_err(msg, sizeof(msg), PQerrorMessage(c->db));
		snprintf(err, errlen, "cannot connect to PostgreSQL at %s: %s", where, msg);
		PQfinish(c->db);
		free(c);
		return GZ_ESTORE;
	}
	c->read_only = opt->read_only;
	gz_err rc = session_setup(c->db, opt, err, errlen);
	if (rc) {
		PQfinish(c->db);
		free(c);
		return rc;
	}
	*out = c;
	return GZ_OK;
}

static void pg_disconnect(void *handle)
{
	pg_conn *c = handle;
	if (!c)
		return;
	PQfinish(c->db);
	free(c);
}

/* ---- parameters and results ---- */

typedef struct pg_params {
	const char **value;
	int *length;
	int *format;
} pg_params;

/*
 * Text goes NUL-terminated (libpq's text format ignores lengths), so it is
 * copied into the arena; a NUL inside text cannot be stored in PostgreSQL
 * and is refused as invalid input, as the HTTP layer refuses it before.
 */
static gz_err params_build(arena *a, const sval *args, size_t nargs, pg_params *p)
{
	p->value = ARENA_ARRAY(a, const char *, nargs + 1);
	p->length = ARENA_ARRAY(a, int, nargs + 1);
	p->format = ARENA_ARRAY(a, int, nargs + 1);
	for (size_t i = 0; i < nargs; i++) {
		switch (args[i].kind) {
		case SV_INT:
			p->value[i] = arena_printf(a, "%lld", (long long)args[i].i);
			break;
		case SV_TEXT:
			if (memchr(args[i].s, '\0', args[i].len))
				return GZ_EINVAL;
			p->value[i] = arena_strndup(a, args[i].s, args[i].len);
			break;
		case SV_BLOB:
			p->value[i] = args[i].s ? args[i].s : "";
			p->length[i] = (int)args[i].len;
			p->format[i] = 1;
			break;
		default:
			p->value[i] = NULL;
		}
	}
	return GZ_OK;
}

static void copy_cell(PGresult *res, int row, int col, arena *a, char **cell, size_t *len)
{
	if (PQgetisnull(res, row, col)) {
		*cell = NULL;
		*len = 0;
		return;
	}
	const char *text = PQgetvalue(res, row, col);
	size_t n = (size_t)PQgetlength(res, row, col);
	Oid type = PQftype(res, col);
	if (type == PG_BOOLOID) {
		*cell = arena_strdup(a, text[0] == 't' ? "1" : "0");
		*len = 1;
	} else if (type == PG_BYTEAOID) {
		size_t raw_len = 0;
		unsigned char *raw = PQunescapeBytea((const unsigned char *)text, &raw_len);
		*cell = arena_strndup(a, raw ? (const char *)raw : "", raw ? raw_len : 0);
		*len = raw ? raw_len : 0;
		PQfreemem(raw);
	} else {
		*cell = arena_strndup(a, text, n);
		*len = n;
	}
}

static void collect_rows(PGresult *res, arena *a, rows *out)
{
	out->nrows = (size_t)PQntuples(res);
	out->ncols = (size_t)PQnfields(res);
	size_t cells = out->nrows * out->ncols;
	out->cell = ARENA_ARRAY(a, char *, cells + 1);
	out->len = ARENA_ARRAY(a, size_t, cells + 1);
	for (size_t i = 0; i < out->nrows; i++)
		for (size_t j = 0; j < out->ncols; j++)
			copy_cell(res, (int)i, (int)j, a, &out->cell[i * out->ncols + j], &out->len[i * out->ncols + j]);
}

/* ---- running statements ---- */

static gz_err ensure_prepared(pg_conn *c, stmt_id id)
{
	if (c->prepared[id])
		return GZ_OK;
	char name[16];
	snprintf(name, sizeof(name), "s%d", (int)id);
	PGresult *res = PQprepare(c->db, name, stmt_table[id].pg, 0, NULL);
	gz_err rc = GZ_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = result_error(c->db, res);
		char msg[512];
		set_err(msg, sizeof(msg), error_text(c->db, res));
		if (PQstatus(c->db) != CONNECTION_BAD || c->in_tx)   /* else pg_run re-opens and says so */
			fprintf(stderr, "gongzhi: cannot prepare %s: %s\n", stmt_table[id].name, msg);
	} else {
		c->prepared[id] = true;
	}
	PQclear(res);
	return rc;
}

/* Takes a finished statement result: rows into `out`, the change count. */
static gz_err take_result(pg_conn *c, stmt_id id, PGresult *res, arena *a, rows *out, int64_t *changes)
{
	ExecStatusType status = PQresultStatus(res);
	if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
		collect_rows(res, a, out);
		const char *n = PQcmdTuples(res);
		*changes = n && *n ? strtoll(n, NULL, 10) : 0;
		return GZ_OK;
	}
	gz_err rc = result_error(c->db, res);
	*changes = 0;
	/* A connection lost outside a transaction is re-opened and the
	 * statement retried (pg_run); reconnect says so in the log. */
	bool retried = PQstatus(c->db) == CONNECTION_BAD && !c->in_tx;
	if (rc != GZ_EEXIST && !retried) {
		char msg[512];
		set_err(msg, sizeof(msg), error_text(c->db, res));
		fprintf(stderr, "gongzhi: %s: %s\n", stmt_table[id].name, msg);
	}
	return rc;
}

static gz_err run_direct(pg_conn *c, stmt_id id, const pg_params *p, int nargs, arena *a, rows *out,
			 int64_t *changes)
{
	char name[16];
	snprintf(name, sizeof(name), "s%d", (int)id);
	PGresult *res = PQexecPrepared(c->db, name, nargs, p->value, p->length, p->format, 0);
	gz_err rc = take_result(c, id, res, a, out, changes);
	PQclear(res);
	return rc;
}

/* Reads every result up to the pipeline's sync; keeps the statement's. */
static gz_err drain_pipeline(pg_conn *c, stmt_id id, arena *a, rows *out, int64_t *changes)
{
	gz_err rc = GZ_OK, first = GZ_OK;
	int command = 0;   /* 0 SAVEPOINT, 1 the statement, 2 RELEASE */
	for (;;) {
		PGresult *res = PQgetResult(c->db);
		if (!res) {
			command++;
			if (PQstatus(c->db) == CONNECTION_BAD || command > 3) {
				if (!first)
					first = GZ_ESTORE;
				break;
			}
			continue;
		}
		ExecStatusType status = PQresultStatus(res);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (command == 1)
			rc = take_result(c, id, res, a, out, changes);
		else if (status == PGRES_FATAL_ERROR && !first)
			first = result_error(c->db, res);
		PQclear(res);
	}
	return rc ? rc : first;
}

/*
 * SAVEPOINT, the statement and RELEASE in one pipeline; on failure the
 * savepoint is rolled back so the transaction goes on without the statement.
 */
static gz_err run_guarded(pg_conn *c, stmt_id id, const pg_params *p, int nargs, arena *a, rows *out,
			  int64_t *changes)
{
	char name[16];
	snprintf(name, sizeof(name), "s%d", (int)id);
	if (!PQenterPipelineMode(c->db))
		return run_direct(c, id, p, nargs, a, out, changes);
	bool sent = PQsendQueryParams(c->db, "SAVEPOINT gz_stmt", 0, NULL, NULL, NULL, NULL, 0) &&
		    PQsendQueryPrepared(c->db, name, nargs, p->value, p->length, p->format, 0) &&
		    PQsendQueryParams(c->db, "RELEASE SAVEPOINT gz_stmt", 0, NULL, NULL, NULL, NULL, 0) &&
		    PQpipelineSync(c->db);
	gz_err rc = sent ? drain_pipeline(c, id, a, out, changes) : GZ_ESTORE;
	if (!sent) {
		char msg[512];
		set_err(msg, sizeof(msg), PQerrorMessage(c->db));
		fprintf(stderr, "gongzhi: %s: %s\n", stmt_table[id].name, msg);
	}
	PQexitPipelineMode(c->db);
	if (rc && PQstatus(c->db) == CONNECTION_OK &&
	    PQtransactionStatus(c->db) == PQTRANS_INERROR)
		pg_exec_quiet(c->db, "ROLLBACK TO SAVEPOINT gz_stmt; RELEASE SAVEPOINT gz_stmt");
	return rc;
}

/* Re-opens a broken connection outside a transaction; prepared statements
 * went with the old session. */
static bool reconnect(pg_conn *c)
{
	PQreset(c->db);
	memset(c->prepared, 0, sizeof(c->prepared));
	if (PQstatus(c->db) != CONNECTION_OK) {
		fprintf(stderr, "gongzhi: the connection to PostgreSQL was lost and cannot be re-opened: %s",
			PQerrorMessage(c->db));
		return false;
	}
	fprintf(stderr, "gongzhi: the connection to PostgreSQL was lost (a restart?); re-opened\n");
	char err[256];
	store_options opt = STORE_OPTIONS_DEFAULT;
	opt.read_only = c->read_only;
	return session_setup(c->db, &opt, err, sizeof(err)) == GZ_OK;
}

static gz_err pg_run(void *handle, arena *a, stmt_id id, const sval *args, size_t nargs, rows *out,
		     int64_t *changes)
{
	pg_conn *c = handle;
	memset(out, 0, sizeof(*out));
	*changes = 0;
	pg_params p;
	gz_err rc = params_build(a, args, nargs, &p);
	if (rc)
		return rc;
	bool in_transaction = c->in_tx || PQtransactionStatus(c->db) == PQTRANS_INTRANS;
	if (PQstatus(c->db) == CONNECTION_BAD && !in_transaction && !reconnect(c))
		return GZ_ESTORE;
	if ((rc = ensure_prepared(c, id))) {
		if (rc != GZ_ESTORE || in_transaction || PQstatus(c->db) != CONNECTION_BAD || !reconnect(c) ||
		    (rc = ensure_prepared(c, id)))
			return rc;
	}
	if (in_transaction)
		return run_guarded(c, id, &p, (int)nargs, a, out, changes);
	rc = run_direct(c, id, &p, (int)nargs, a, out, changes);
	if (rc == GZ_ESTORE && PQstatus(c->db) == CONNECTION_BAD && reconnect(c) && !ensure_prepared(c, id))
		rc = run_direct(c, id, &p, (int)nargs, a, out, changes);
	if (rc == GZ_ESTORE && PQstatus(c->db) == CONNECTION_BAD)
		fprintf(stderr, "gongzhi: %s: no connection to PostgreSQL\n", stmt_table[id].name);
	return rc;
}

static gz_err pg_exec(void *handle, const char *sql, char *err, size_t errlen)
{
	pg_conn *c = handle;
	bool begin = !strncmp(sql, "BEGIN", 5), end = !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK");
	if (end)
		c->in_tx = false;
	if (PQstatus(c->db) == CONNECTION_BAD && !c->in_tx && !end && !reconnect(c)) {
		set_err(err, errlen, "the connection to PostgreSQL is lost and cannot be re-opened");
		return GZ_ESTORE;
	}
	PGresult *res = PQexec(c->db, sql);
	ExecStatusType status = PQresultStatus(res);
	if (begin && !c->in_tx && status != PGRES_COMMAND_OK && PQstatus(c->db) == CONNECTION_BAD && reconnect(c)) {
		/* The server restarted since the last transaction: nothing was
		 * begun yet, so begin again on the new connection. */
		PQclear(res);
		res = PQexec(c->db, sql);
		status = PQresultStatus(res);
	}
	gz_err rc = GZ_OK;
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		rc = result_error(c->db, res);
		set_err(err, errlen, error_text(c->db, res));
	} else if (!strcmp(sql, "COMMIT") && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
		/* COMMIT of a failed transaction rolls back without an error. */
		rc = GZ_ESTORE;
		set_err(err, errlen, "the transaction had failed and was rolled back");
	}
	if (begin && !rc)
		c->in_tx = true;
	PQclear(res);
	return rc;
}

static bool pg_integrity_ok(void *handle)
{
	pg_conn *c = handle;
	/* PostgreSQL checks its own pages (data checksums, amcheck); here: the
	 * server answers and the audit head row, which every write needs, is there. */
	PGresult *res = PQexec(c->db, "SELECT COUNT(*) FROM audit_head WHERE id = 1");
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "1");
	PQclear(res);
	return ok;
}

const store_backend store_pg_backend = {
	.name = "postgresql",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.run = pg_run,
	.exec = pg_exec,
	.migrations = pg_migrations,
	.migration_count = &pg_migration_count,
	.backup = NULL,
	.integrity_ok = pg_integrity_ok,
};
