/*
 * The backend-independent half of the store: connection pool, migrations and
 * the write path.
 *
 * Write path: one writer thread owns the only connection that writes.
 * Callers queue a job and sleep until it is done.  The writer takes every job
 * waiting, opens one transaction, runs each job in its own savepoint (a
 * failing job rolls back to its savepoint and leaves the others alone),
 * commits once, and only then wakes the callers.  With synchronous=FULL that
 * single commit is a single fsync for the whole batch: group commit.  With
 * group commit off, each job gets its own transaction (the baseline).
 */
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/backend.h"

struct store_conn {
	const store_backend *be;
	void *handle;          /* the backend's connection */
	arena work;            /* scratch for the writer's jobs */
	int64_t changes;
	store_conn *next_free;
};

typedef struct write_job {
	write_fn fn;
	void *ctx;
	gz_err result;
	bool done;
	struct write_job *next;
} write_job;

struct store {
	const store_backend *be;
	char *url;
	store_options opt;
	int schema_version;

	pthread_mutex_t pool_lock;
	store_conn *free_conns;

	pthread_mutex_t write_lock;
	pthread_cond_t work_ready;   /* signalled when a job is queued or on stop */
	pthread_cond_t work_done;    /* broadcast when a batch finishes */
	write_job *queue_head, *queue_tail;
	bool stopping;
	pthread_t writer;
	store_conn *writer_conn;
	store_stats stats;
	atomic_uint_fast64_t generation;   /* bumped by every commit that changed something */
};

const char *rows_text(const rows *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return "";
	const char *s = r->cell[row * r->ncols + col];
	return s ? s : "";
}

int64_t rows_int(const rows *r, size_t row, size_t col)
{
	return strtoll(rows_text(r, row, col), NULL, 10);
}

bool rows_null(const rows *r, size_t row, size_t col)
{
	return row >= r->nrows || col >= r->ncols || !r->cell[row * r->ncols + col];
}

static bool is_postgres_url(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

static gz_err conn_open(store *st, store_conn **out, char *err, size_t errlen)
{
	store_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return GZ_ENOMEM;
	c->be = st->be;
	arena_init(&c->work);
	gz_err rc = st->be->connect(st->url, &st->opt, &c->handle, err, errlen);
	if (rc) {
		free(c);
		return rc;
	}
	*out = c;
	return GZ_OK;
}

static void conn_close(store_conn *c)
{
	if (!c)
		return;
	c->be->disconnect(c->handle);
	arena_release(&c->work);
	free(c);
}

store_conn *store_conn_get(store *st)
{
	pthread_mutex_lock(&st->pool_lock);
	store_conn *c = st->free_conns;
	if (c)
		st->free_conns = c->next_free;
	pthread_mutex_unlock(&st->pool_lock);
	if (c)
		return c;
	char err[256];
	if (conn_open(st, &c, err, sizeof(err))) {
		fprintf(stderr, "gongzhi: cannot open a database connection: %s\n", err);
		return NULL;
	}
	return c;
}

void store_conn_put(store *st, store_conn *c)
{
	if (!c)
		return;
	arena_release(&c->work);
	pthread_mutex_lock(&st->pool_lock);
	c->next_free = st->free_conns;
	st->free_conns = c;
	pthread_mutex_unlock(&st->pool_lock);
}

gz_err db_run(store_conn *c, arena *a, stmt_id id, const sval *args, size_t nargs, rows *out)
{
	if (!c)
		return GZ_ESTORE;
	rows scratch;
	return c->be->run(c->handle, a ? a : &c->work, id, args, nargs, out ? out : &scratch, &c->changes);
}

int64_t db_changes(store_conn *c)
{
	return c->changes;
}

gz_err db_int(store_conn *c, stmt_id id, const sval *args, size_t nargs, int64_t fallback, int64_t *out)
{
	rows r;
	gz_err rc = db_run(c, NULL, id, args, nargs, &r);
	if (rc)
		return rc;
	*out = r.nrows && !rows_null(&r, 0, 0) ? rows_int(&r, 0, 0) : fallback;
	return GZ_OK;
}

arena *db_arena(store_conn *c)
{
	return &c->work;
}

/* ---- migrations ---- */

static gz_err read_schema_version(store_conn *c, int *version)
{
	int64_t v = 0;
	gz_err rc = db_int(c, STMT_SCHEMA_VERSION, NOARGS, 0, &v);
	*version = (int)v;
	return rc;
}

/* Applies the pending migrations of one schema; inside migrate's transaction. */
static gz_err migrate_pending(store *st, store_conn *c, char *err, size_t errlen)
{
	const store_backend *be = st->be;
	gz_err rc = be->exec(c->handle, "CREATE TABLE IF NOT EXISTS schema_migration ("
					"version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
			     err, errlen);
	if (rc)
		return rc;
	int version;
	if ((rc = read_schema_version(c, &version))) {
		snprintf(err, errlen, "cannot read the schema version");
		return rc;
	}
	if (version > *be->migration_count) {
		snprintf(err, errlen,
			 "the database has schema version %d but this gongzhi knows only up to %d; "
			 "use a newer gongzhi",
			 version, *be->migration_count);
		return GZ_ECONFLICT;
	}
	for (int v = version + 1; v <= *be->migration_count; v++) {
		rc = be->exec(c->handle, be->migrations[v - 1], err, errlen);
		if (!rc)
			rc = db_run(c, NULL, STMT_SCHEMA_VERSION_RECORD, ARGS(sv_int(v), sv_int(time(NULL))), NULL);
		if (rc) {
			size_t used = strlen(err);
			snprintf(err + used, errlen - used, " (in migration %d)", v);
			return rc;
		}
	}
	return GZ_OK;
}

/*
 * All pending migrations in one transaction that holds the schema lock
 * (SQLite's write lock, taken at BEGIN IMMEDIATE; a PostgreSQL advisory
 * lock), so servers started at once on a new database wait for the first
 * one instead of creating the same tables side by side.
 */
static gz_err migrate(store *st, store_conn *c, char *err, size_t errlen)
{
	const store_backend *be = st->be;
	gz_err rc = be->exec(c->handle, be == &store_sqlite_backend ? "BEGIN IMMEDIATE" : "BEGIN", err, errlen);
	if (rc)
		return rc;
	rc = db_run(c, NULL, STMT_SCHEMA_LOCK, NOARGS, NULL);
	if (rc)
		snprintf(err, errlen, "cannot take the schema lock");
	else
		rc = migrate_pending(st, c, err, errlen);
	if (!rc)
		rc = be->exec(c->handle, "COMMIT", err, errlen);
	if (rc) {
		char ignored[64];
		be->exec(c->handle, "ROLLBACK", ignored, sizeof(ignored));
		return rc;
	}
	st->schema_version = *be->migration_count;
	return GZ_OK;
}

/* ---- the writer ---- */

static gz_err exec_quiet(store_conn *c, const char *sql)
{
	char err[256];
	gz_err rc = c->be->exec(c->handle, sql, err, sizeof(err));
	if (rc)
		fprintf(stderr, "gongzhi: %s: %s\n", sql, err);
	return rc;
}

static void run_in_savepoint(store_conn *c, write_job *job)
{
	if ((job->result = exec_quiet(c, "SAVEPOINT job")))
		return;
	job->result = job->fn(c, job->ctx);
	if (job->result)
		exec_quiet(c, "ROLLBACK TO SAVEPOINT job");
	exec_quiet(c, "RELEASE SAVEPOINT job");
	arena_release(&c->work);
}

/* Runs a batch in one transaction; on a failed commit every job fails. */
static void run_batch(store *st, write_job *batch)
{
	store_conn *c = st->writer_conn;
	gz_err rc = exec_quiet(c, st->be == &store_sqlite_backend ? "BEGIN IMMEDIATE" : "BEGIN");
	size_t committed = 0;
	for (write_job *j = batch; j; j = j->next) {
		if (rc) {
			j->result = rc;
			continue;
		}
		run_in_savepoint(c, j);
		if (j->result == GZ_ENOSPACE)
			rc = GZ_ENOSPACE;
		else if (!j->result)
			committed++;
	}
	if (!rc)
		rc = exec_quiet(c, "COMMIT");
	if (rc) {
		/* A failed COMMIT may already have rolled back; that answer is no news. */
		char ignored[128];
		c->be->exec(c->handle, "ROLLBACK", ignored, sizeof(ignored));
		for (write_job *j = batch; j; j = j->next)
			if (!j->result)
				j->result = rc;
		return;
	}
	st->stats.transactions++;
	st->stats.writes += committed;
	if (committed)
		atomic_fetch_add(&st->generation, 1);
}

static void *writer_main(void *arg)
{
	store *st = arg;
	pthread_mutex_lock(&st->write_lock);
	for (;;) {
		while (!st->queue_head && !st->stopping)
			pthread_cond_wait(&st->work_ready, &st->write_lock);
		if (!st->queue_head)
			break;
		write_job *batch = st->queue_head;
		if (st->opt.group_commit) {
			st->queue_head = st->queue_tail = NULL;
		} else {
			st->queue_head = batch->next;
			if (!st->queue_head)
				st->queue_tail = NULL;
			batch->next = NULL;
		}
		pthread_mutex_unlock(&st->write_lock);
		run_batch(st, batch);
		pthread_mutex_lock(&st->write_lock);
		for (write_job *j = batch; j; j = j->next)
			j->done = true;
		pthread_cond_broadcast(&st->work_done);
	}
	pthread_mutex_unlock(&st->write_lock);
	return NULL;
}

gz_err store_write(store *st, write_fn fn, void *ctx)
{
	if (st->opt.read_only)
		return GZ_EFORBIDDEN;
	write_job job = { .fn = fn, .ctx = ctx };
	pthread_mutex_lock(&st->write_lock);
	if (st->stopping) {
		pthread_mutex_unlock(&st->write_lock);
		return GZ_EBUSY;
	}
	if (st->queue_tail)
		st->queue_tail->next = &job;
	else
		st->queue_head = &job;
	st->queue_tail = &job;
	pthread_cond_signal(&st->work_ready);
	while (!job.done)
		pthread_cond_wait(&st->work_done, &st->write_lock);
	pthread_mutex_unlock(&st->write_lock);
	return job.result;
}

uint64_t store_generation(store *st)
{
	return atomic_load(&st->generation);
}

void store_get_stats(store *st, store_stats *out)
{
	pthread_mutex_lock(&st->write_lock);
	*out = st->stats;
	pthread_mutex_unlock(&st->write_lock);
}

/* ---- lifecycle ---- */

gz_err store_open(const char *url, const store_options *opt, store **out, char *err, size_t errlen)
{
	store_options defaults = STORE_OPTIONS_DEFAULT;
	const store_backend *be = &store_sqlite_backend;
	if (is_postgres_url(url)) {
#ifdef GZ_HAVE_PG
		be = &store_pg_backend;
#else
		snprintf(err, errlen, "this gongzhi was built without PostgreSQL support");
		return GZ_EINVAL;
#endif
	}
	store *st = calloc(1, sizeof(*st));
	if (!st)
		return GZ_ENOMEM;
	st->be = be;
	st->opt = opt ? *opt : defaults;
	st->url = strdup(url);
	pthread_mutex_init(&st->pool_lock, NULL);
	pthread_mutex_init(&st->write_lock, NULL);
	pthread_cond_init(&st->work_ready, NULL);
	pthread_cond_init(&st->work_done, NULL);
	gz_err rc = conn_open(st, &st->writer_conn, err, errlen);
	if (!rc && !st->opt.read_only)
		rc = migrate(st, st->writer_conn, err, errlen);
	else if (!rc)
		rc = read_schema_version(st->writer_conn, &st->schema_version);
	if (!rc && st->schema_version > *be->migration_count) {
		snprintf(err, errlen, "the database is newer than this gongzhi; use a newer gongzhi");
		rc = GZ_ECONFLICT;
	}
	if (!rc && pthread_create(&st->writer, NULL, writer_main, st))
		rc = GZ_EINTERNAL;
	if (rc) {
		conn_close(st->writer_conn);
		free(st->url);
		free(st);
		return rc;
	}
	*out = st;
	return GZ_OK;
}

void store_close(store *st)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->write_lock);
	st->stopping = true;
	pthread_cond_signal(&st->work_ready);
	pthread_mutex_unlock(&st->write_lock);
	pthread_join(st->writer, NULL);
	conn_close(st->writer_conn);
	while (st->free_conns) {
		store_conn *next = st->free_conns->next_free;
		conn_close(st->free_conns);
		st->free_conns = next;
	}
	pthread_mutex_destroy(&st->pool_lock);
	pthread_mutex_destroy(&st->write_lock);
	pthread_cond_destroy(&st->work_ready);
	pthread_cond_destroy(&st->work_done);
	free(st->url);
	free(st);
}

const char *store_backend_name(const store *st)
{
	return st->be->name;
}

int store_schema_version(const store *st)
{
	return st->schema_version;
}

gz_err store_backup(store *st, const char *path, char *err, size_t errlen)
{
	if (!st->be->backup) {
		snprintf(err, errlen, "backup is for SQLite databases; use pg_basebackup or pg_dump for PostgreSQL");
		return GZ_EINVAL;
	}
	store_conn *c = store_conn_get(st);
	if (!c)
		return GZ_ESTORE;
	gz_err rc = st->be->backup(c->handle, path, err, errlen);
	store_conn_put(st, c);
	return rc;
}

bool store_integrity_ok(store *st)
{
	if (!st->be->integrity_ok)
		return true;
	store_conn *c = store_conn_get(st);
	bool ok = c && st->be->integrity_ok(c->handle);
	store_conn_put(st, c);
	return ok;
}
