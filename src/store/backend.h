/*
 * What a database backend implements.  store.c owns the connection pool,
 * the writer thread and migrations; a backend only knows how to talk to its
 * database.  Backends are chosen by URL in store_open and compiled in by
 * Meson (the PostgreSQL one when libpq is found).
 */
#ifndef GZ_STORE_BACKEND_H
#define GZ_STORE_BACKEND_H

#include "store/store.h"

typedef struct store_backend {
	const char *name;
	/* Opens one connection; `err` gets a sentence on failure. */
	gz_err (*connect)(const char *url, const store_options *opt, void **conn, char *err, size_t errlen);
	void (*disconnect)(void *conn);
	/* Runs a declared statement with bound parameters. */
	gz_err (*run)(void *conn, arena *a, stmt_id id, const sval *args, size_t nargs, rows *out,
		      int64_t *changes);
	/* Runs trusted SQL text without parameters: transactions, migrations. */
	gz_err (*exec)(void *conn, const char *sql, char *err, size_t errlen);
	/* Migration scripts of this backend, in order, numbered from 1. */
	const char *const *migrations;
	const int *migration_count;
	/* Optional: online copy to a file; integrity check. */
	gz_err (*backup)(void *conn, const char *path, char *err, size_t errlen);
	bool (*integrity_ok)(void *conn);
} store_backend;

extern const store_backend store_sqlite_backend;
extern const store_backend store_pg_backend;   /* present when built with libpq */

#endif
