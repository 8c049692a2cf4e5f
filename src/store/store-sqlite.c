/*
 * SQLite backend: WAL journal, synchronous=FULL, foreign keys on, a busy
 * timeout, and each declared statement prepared once per connection.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "store/fts5-tokenizer.h"

typedef struct sqlite_conn {
	sqlite3 *db;
	sqlite3_stmt *prepared[STMT__MAX];   /* prepared on first use */
} sqlite_conn;

static gz_err map_error(int code)
{
	switch (code & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return GZ_OK;
	case SQLITE_CONSTRAINT:
		return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY ? GZ_EEXIST
															     : GZ_EINVAL;
	case SQLITE_FULL:
		return GZ_ENOSPACE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return GZ_EBUSY;
	case SQLITE_NOMEM:
		return GZ_ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return GZ_ECORRUPT;
	case SQLITE_IOERR:
		return code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC ? GZ_ENOSPACE : GZ_EIO;
	default:
		return GZ_ESTORE;
	}
}

static gz_err sqlite_connect(const char *path, const store_options *opt, void **out, char *err, size_t errlen)
{
	sqlite_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return GZ_ENOMEM;
	int flags = opt->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close(c->db);
		free(c);
		return map_error(rc);
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, opt->busy_timeout_ms);
	const char *setup = opt->read_only      ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
			    : opt->relaxed_sync ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
						  "PRAGMA foreign_keys=ON;"
						: "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
						  "PRAGMA foreign_keys=ON;";
	char *msg = NULL;
	rc = sqlite3_exec(c->db, setup, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = fts5_tokenizer_register(c->db);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up %s: %s", path, msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		sqlite3_close(c->db);
		free(c);
		return map_error(rc);
	}
	*out = c;
	return GZ_OK;
}

static void sqlite_disconnect(void *handle)
{
	sqlite_conn *c = handle;
	if (!c)
		return;
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(c->prepared[i]);
	sqlite3_close(c->db);
	free(c);
}

static int bind_all(sqlite3_stmt *s, const sval *args, size_t nargs)
{
	for (size_t i = 0; i < nargs; i++) {
		int at = (int)i + 1, rc;
		switch (args[i].kind) {
		case SV_INT:
			rc = sqlite3_bind_int64(s, at, args[i].i);
			break;
		case SV_TEXT:
			rc = sqlite3_bind_text(s, at, args[i].s, (int)args[i].len, SQLITE_STATIC);
			break;
		case SV_BLOB:
			rc = sqlite3_bind_blob(s, at, args[i].s, (int)args[i].len, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(s, at);
		}
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

/* Appends the current row to a growing result; rows are copied into the arena. */
static void collect_row(sqlite3_stmt *s, arena *a, rows *out, size_t *capacity)
{
	size_t ncols = out->ncols;
	if (out->nrows == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 16;
		char **cell = ARENA_ARRAY(a, char *, grown * ncols + 1);
		size_t *len = ARENA_ARRAY(a, size_t, grown * ncols + 1);
		if (out->nrows) {
			memcpy(cell, out->cell, sizeof(char *) * out->nrows * ncols);
			memcpy(len, out->len, sizeof(size_t) * out->nrows * ncols);
		}
		out->cell = cell;
		out->len = len;
		*capacity = grown;
	}
	for (size_t j = 0; j < ncols; j++) {
		size_t at = out->nrows * ncols + j;
		int type = sqlite3_column_type(s, (int)j);
		if (type == SQLITE_NULL) {
			out->cell[at] = NULL;
			out->len[at] = 0;
			continue;
		}
		const void *data = type == SQLITE_BLOB ? sqlite3_column_blob(s, (int)j)
						       : (const void *)sqlite3_column_text(s, (int)j);
		size_t n = (size_t)sqlite3_column_bytes(s, (int)j);
		out->cell[at] = arena_strndup(a, data ? data : "", data ? n : 0);
		out->len[at] = n;
	}
	out->nrows++;
}

static gz_err sqlite_run(void *handle, arena *a, stmt_id id, const sval *args, size_t nargs, rows *out,
			 int64_t *changes)
{
	sqlite_conn *c = handle;
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *s = c->prepared[id];
	if (!s) {
		int rc = sqlite3_prepare_v3(c->db, stmt_table[id].sqlite, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
		if (rc != SQLITE_OK) {
			fprintf(stderr, "gongzhi: cannot prepare %s: %s\n", stmt_table[id].name, sqlite3_errmsg(c->db));
			return map_error(rc);
		}
		c->prepared[id] = s;
	}
	int rc = bind_all(s, args, nargs);
	out->ncols = (size_t)sqlite3_column_count(s);
	size_t capacity = 0;
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			collect_row(s, a, out, &capacity);
	}
	gz_err result = map_error(rc);
	if (result && result != GZ_EEXIST)
		fprintf(stderr, "gongzhi: %s: %s\n", stmt_table[id].name, sqlite3_errmsg(c->db));
	*changes = sqlite3_changes64(c->db);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return result;
}

static gz_err sqlite_exec(void *handle, const char *sql, char *err, size_t errlen)
{
	sqlite_conn *c = handle;
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(c->db));
	sqlite3_free(msg);
	return map_error(rc);
}

static gz_err sqlite_backup(void *handle, const char *path, char *err, size_t errlen)
{
	sqlite_conn *c = handle;
	sqlite3 *target = NULL;
	int rc = sqlite3_open(path, &target);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(target, "main", c->db, "main");
		if (b) {
			/* Copy in steps so writers are only briefly held up. */
			do {
				rc = sqlite3_backup_step(b, 256);
				if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
					sqlite3_sleep(20);
			} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
			sqlite3_backup_finish(b);
		}
		rc = sqlite3_errcode(target);
	}
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		snprintf(err, errlen, "backup to %s failed: %s", path, sqlite3_errmsg(target));
	sqlite3_close(target);
	return rc == SQLITE_DONE ? GZ_OK : map_error(rc);
}

static bool sqlite_integrity_ok(void *handle)
{
	sqlite_conn *c = handle;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(s) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
	return ok;
}

const store_backend store_sqlite_backend = {
	.name = "sqlite",
	.connect = sqlite_connect,
	.disconnect = sqlite_disconnect,
	.run = sqlite_run,
	.exec = sqlite_exec,
	.migrations = sqlite_migrations,
	.migration_count = &sqlite_migration_count,
	.backup = sqlite_backup,
	.integrity_ok = sqlite_integrity_ok,
};
