/*
 * The store: the one way the domain layer reaches the database.
 *
 * Every SQL statement is declared once in src/store/sql/<family>.sql and
 * compiled into the STMT_* enum (stmts.h); callers name a statement and bind
 * values, and no SQL is ever built from user text.  Parameters are written
 * ?1, ?2 ... and become $1, $2 ... for PostgreSQL.  A statement may carry a
 * PostgreSQL variant where the dialects differ.
 *
 * Values come back as text (NULL for SQL NULL), copied into the caller's
 * arena, so a result outlives the statement and needs no freeing.
 *
 * Threads: a store_conn is used by one thread at a time; take one with
 * store_conn_get and give it back with store_conn_put.  Writes go through
 * store_write, which runs the caller's function inside a transaction on the
 * single writer and returns only once the transaction is durable; with group
 * commit on, many writes share one transaction, each in its own savepoint.
 */
#ifndef GZ_STORE_STORE_H
#define GZ_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store/stmts.h"
#include "util/arena.h"
#include "util/error.h"

typedef struct store store;
typedef struct store_conn store_conn;

typedef enum sval_kind { SV_NULL, SV_INT, SV_TEXT, SV_BLOB } sval_kind;

/* A bound parameter.  Text and blobs are borrowed for the call. */
typedef struct sval {
	sval_kind kind;
	int64_t i;
	const char *s;
	size_t len;
} sval;

static inline sval sv_int(int64_t i) { return (sval){ SV_INT, i, NULL, 0 }; }
static inline sval sv_null(void) { return (sval){ SV_NULL, 0, NULL, 0 }; }
static inline sval sv_text(const char *s)
{
	return s ? (sval){ SV_TEXT, 0, s, strlen(s) } : sv_null();
}
static inline sval sv_textn(const char *s, size_t n) { return (sval){ SV_TEXT, 0, s, n }; }
static inline sval sv_blob(const void *p, size_t n) { return (sval){ SV_BLOB, 0, (const char *)p, n }; }
/* NULL for 0, so optional foreign keys stay NULL. */
static inline sval sv_id(int64_t id) { return id ? sv_int(id) : sv_null(); }
static inline sval sv_bool(bool b) { return sv_int(b ? 1 : 0); }

#define ARGS(...) ((const sval[]){ __VA_ARGS__ }), (sizeof((const sval[]){ __VA_ARGS__ }) / sizeof(sval))
#define NOARGS NULL, 0

/* A query result: nrows x ncols text cells, row-major, owned by an arena. */
typedef struct rows {
	size_t nrows, ncols;
	char **cell;      /* NULL where the value is SQL NULL */
	size_t *len;      /* byte length of each cell (blobs may hold NULs) */
} rows;

const char *rows_text(const rows *r, size_t row, size_t col);  /* "" for NULL */
int64_t rows_int(const rows *r, size_t row, size_t col);       /* 0 for NULL */
bool rows_null(const rows *r, size_t row, size_t col);

typedef struct store_options {
	bool group_commit;      /* batch concurrent writes into one transaction */
	int busy_timeout_ms;
	bool read_only;         /* open without migrating, refuse writes */
	bool relaxed_sync;      /* SQLite synchronous=NORMAL: commits may be lost on power
				   failure.  Only for the power-loss test's control run. */
} store_options;

#define STORE_OPTIONS_DEFAULT { true, 5000, false, false }

/*
 * Opens "PATH" (SQLite) or "postgres://..." / "postgresql://...", applies
 * pending migrations and starts the writer.  On failure `err` holds a sentence
 * for the operator.  A database newer than this program is refused.
 */
gz_err store_open(const char *url, const store_options *opt, store **out, char *err, size_t errlen);
/* Finishes queued writes, stops the writer, closes every connection. */
void store_close(store *st);
/* "sqlite" or "postgresql". */
const char *store_backend_name(const store *st);
int store_schema_version(const store *st);

store_conn *store_conn_get(store *st);
void store_conn_put(store *st, store_conn *c);

/* Runs a statement; `out` may be NULL when no rows are wanted.
 * `changes`, when not NULL, gets the number of rows changed. */
gz_err db_run(store_conn *c, arena *a, stmt_id id, const sval *args, size_t nargs, rows *out);
/* Row count changed by the last statement run on this connection. */
int64_t db_changes(store_conn *c);
/* First column of the first row as an integer, or `fallback` with no row. */
gz_err db_int(store_conn *c, stmt_id id, const sval *args, size_t nargs, int64_t fallback, int64_t *out);

/* Arena for the writer's work; valid during one write_fn call. */
arena *db_arena(store_conn *c);

typedef gz_err (*write_fn)(store_conn *c, void *ctx);
/*
 * Runs fn(c, ctx) inside a transaction and returns once it is committed
 * (durably, with SQLite's synchronous=FULL), or fn's error, in which case
 * nothing fn did remains.  fn may be retried never: it runs exactly once.
 */
gz_err store_write(store *st, write_fn fn, void *ctx);

/* Statistics of the write path, for benchmarks. */
typedef struct store_stats {
	uint64_t writes;         /* write_fn calls committed */
	uint64_t transactions;   /* transactions committed */
} store_stats;
void store_get_stats(store *st, store_stats *out);
/* A number that changes whenever this process commits a change: cached
 * pages made at an older generation are stale.  Other processes' commits
 * (several servers on one PostgreSQL) do not move it. */
uint64_t store_generation(store *st);

/* SQLite only: an online backup into `path` (GZ_EINVAL on other backends). */
gz_err store_backup(store *st, const char *path, char *err, size_t errlen);
/* Runs the backend's integrity check; true when the database is sound. */
bool store_integrity_ok(store *st);

#endif
