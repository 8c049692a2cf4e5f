/*
 * gongzhi migrate --from PATH.db --to postgres://...: moving house from one
 * street office's SQLite file to a city's PostgreSQL.
 *
 * Steps, and why:
 *   1. Open the source through the store (pending SQLite migrations are
 *      applied, as any command does) and check its audit chain: a broken
 *      chain is evidence to look at where it is, not to carry along.
 *   2. Open the target through the store, which creates the schema; both
 *      schemas must be at the same version (each SQLite migration has its
 *      PostgreSQL twin), else the columns would not line up.
 *   3. In ONE PostgreSQL transaction: lock the audit head (a server started
 *      on the target by mistake waits), refuse unless every table is empty
 *      and the chain has no record, COPY every table in foreign-key order
 *      with ids as they are, move each identity sequence past the copied ids,
 *      copy the audit head, rebuild the search columns from the SQLite
 *      full-text tables (tokenised by the same C tokenizer), compare row
 *      counts, commit.  A failure anywhere leaves the target as it was.
 *   4. Re-open the target through the store and check the audit chain there.
 *
 * The table list comes from the source's catalogue, so a table added by a
 * later migration moves without a change here.  SQL text built in this file
 * holds only identifiers from that catalogue, double-quoted; every value
 * travels as COPY data or as a bound parameter.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "domain/audit.h"
#include "store/fts5-tokenizer.h"
#include "store/store.h"
#include "text/text.h"
#include "util/buf.h"

#ifdef GZ_HAVE_PG
#include <libpq-fe.h>

#define MAX_TABLES 256

typedef struct table {
	char *name;
	char **columns;
	int ncolumns;
	int64_t rows;              /* counted in the source */
	char **depends;            /* tables its foreign keys point to */
	int ndepends;
	bool done;
} table;

typedef struct move {
	sqlite3 *src;
	PGconn *dst;
	table tables[MAX_TABLES];
	int ntables;
	char *fts[MAX_TABLES];     /* the source's FTS5 tables */
	int nfts;
	char err[512];
} move;

static bool failf(move *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failf(move *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	size_t n = strlen(m->err);
	while (n && m->err[n - 1] == '\n')
		m->err[--n] = '\0';
	return false;
}

/* "name" with any " doubled: a catalogue name as an SQL identifier. */
static void add_ident(buf *b, const char *name)
{
	buf_addch(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

/* ---- reading the source's catalogue ---- */

static bool is_fts_shadow(const move *m, const char *name)
{
	for (int i = 0; i < m->nfts; i++) {
		size_t n = strlen(m->fts[i]);
		if (!strncmp(name, m->fts[i], n) && name[n] == '_')
			return true;
	}
	return false;
}

/* Tables that are not copied as rows: bookkeeping each side keeps itself,
 * the audit head (one row, updated), full-text indexes (rebuilt). */
/* need_tally is not copied: the target's trigger counts the needs as they arrive. */
static bool skipped(const move *m, const char *name)
{
	return !strncmp(name, "sqlite_", 7) || !strcmp(name, "schema_migration") || !strcmp(name, "audit_head") ||
	       !strcmp(name, "need_tally") || is_fts_shadow(m, name);
}

static char **string_list_add(char **list, int *n, const char *s)
{
	list = realloc(list, sizeof(char *) * (size_t)(*n + 1));
	if (!list)
		abort();
	list[(*n)++] = strdup(s);
	return list;
}

static bool read_columns(move *m, table *t)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(m->src, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &s, NULL) != SQLITE_OK)
		return failf(m, "cannot read the columns of %s: %s", t->name, sqlite3_errmsg(m->src));
	sqlite3_bind_text(s, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW)
		t->columns = string_list_add(t->columns, &t->ncolumns, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_prepare_v2(m->src, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)", -1, &s, NULL);
	sqlite3_bind_text(s, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *target = (const char *)sqlite3_column_text(s, 0);
		if (strcmp(target, t->name))   /* a self-reference is checked at the end of its COPY */
			t->depends = string_list_add(t->depends, &t->ndepends, target);
	}
	sqlite3_finalize(s);
	buf count = BUF_INIT;
	buf_adds(&count, "SELECT COUNT(*) FROM ");
	add_ident(&count, t->name);
	bool ok = sqlite3_prepare_v2(m->src, count.data, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW;
	buf_release(&count);
	if (ok)
		t->rows = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return ok ? true : failf(m, "cannot count the rows of %s: %s", t->name, sqlite3_errmsg(m->src));
}

static bool read_catalogue(move *m)
{
	sqlite3_stmt *s;
	sqlite3_prepare_v2(m->src, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &s,
			   NULL);
	/* First the full-text tables, whose shadow tables are skipped. */
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(s, 1);
		if (sql && !strncmp(sql, "CREATE VIRTUAL TABLE", 20) && m->nfts < MAX_TABLES)
			m->fts[m->nfts++] = strdup((const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_reset(s);
	bool ok = true;
	while (ok && sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		const char *sql = (const char *)sqlite3_column_text(s, 1);
		if (skipped(m, name) || (sql && !strncmp(sql, "CREATE VIRTUAL TABLE", 20)))
			continue;
		if (strpbrk(name, "'\"") || m->ntables == MAX_TABLES) {
			ok = failf(m, "the source has a table named %s, which this tool does not move", name);
			break;
		}
		table *t = &m->tables[m->ntables++];
		t->name = strdup(name);
		ok = read_columns(m, t);
	}
	sqlite3_finalize(s);
	return ok;
}

/* Next table whose foreign keys all point at tables already copied. */
static table *next_table(move *m)
{
	for (int i = 0; i < m->ntables; i++) {
		table *t = &m->tables[i];
		if (t->done)
			continue;
		bool ready = true;
		for (int d = 0; d < t->ndepends && ready; d++)
			for (int j = 0; j < m->ntables; j++)
				if (!strcmp(m->tables[j].name, t->depends[d]) && !m->tables[j].done)
					ready = false;
		if (ready)
			return t;
	}
	return NULL;
}

/* ---- PostgreSQL side ---- */

static bool pg_ok(move *m, PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		failf(m, "%s: %s", what, PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res) : PQerrorMessage(m->dst));
	return ok;
}

static bool pg_run(move *m, const char *sql, const char *what)
{
	PGresult *res = PQexec(m->dst, sql);
	bool ok = pg_ok(m, res, what);
	PQclear(res);
	return ok;
}

/* One value of the query as an integer; -1 on failure (m->err says why). */
static int64_t pg_count(move *m, const char *sql, const char *what)
{
	PGresult *res = PQexec(m->dst, sql);
	int64_t n = -1;
	if (pg_ok(m, res, what) && PQntuples(res) == 1)
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

static bool target_empty(move *m)
{
	int64_t head = pg_count(m, "SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE", "reading the audit head");
	if (head < 0)
		return false;
	if (head > 0)
		return failf(m, "the target already holds data (%" PRId64 " audit records); migrate only into an "
				"empty database",
			     head);
	for (int i = 0; i < m->ntables; i++) {
		buf sql = BUF_INIT;
		buf_adds(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM ");
		add_ident(&sql, m->tables[i].name);
		buf_adds(&sql, " LIMIT 1) x");
		int64_t n = pg_count(m, sql.data, m->tables[i].name);
		buf_release(&sql);
		if (n < 0)
			return false;
		if (n > 0)
			return failf(m, "the target already holds data (table %s is not empty); migrate only into an "
					"empty database",
				     m->tables[i].name);
	}
	return true;
}

/* Appends one SQLite value in COPY's text format. */
static void copy_value(buf *line, sqlite3_stmt *s, int col)
{
	switch (sqlite3_column_type(s, col)) {
	case SQLITE_NULL:
		buf_adds(line, "\\N");
		return;
	case SQLITE_INTEGER:
		buf_printf(line, "%lld", (long long)sqlite3_column_int64(s, col));
		return;
	case SQLITE_FLOAT:
		buf_printf(line, "%.17g", sqlite3_column_double(s, col));
		return;
	case SQLITE_BLOB: {
		const unsigned char *p = sqlite3_column_blob(s, col);
		int n = sqlite3_column_bytes(s, col);
		buf_adds(line, "\\\\x");   /* bytea hex, its backslash escaped for COPY */
		for (int i = 0; i < n; i++)
			buf_printf(line, "%02x", p[i]);
		return;
	}
	default: {
		const char *p = (const char *)sqlite3_column_text(s, col);
		int n = sqlite3_column_bytes(s, col);
		for (int i = 0; i < n; i++) {
			switch (p[i]) {
			case '\\': buf_adds(line, "\\\\"); break;
			case '\t': buf_adds(line, "\\t"); break;
			case '\n': buf_adds(line, "\\n"); break;
			case '\r': buf_adds(line, "\\r"); break;
			default: buf_addch(line, p[i]);
			}
		}
	}
	}
}

static bool copy_rows(move *m, table *t, sqlite3_stmt *s)
{
	buf line = BUF_INIT;
	int rc;
	bool ok = true;
	while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		buf_reset(&line);
		for (int c = 0; c < t->ncolumns; c++) {
			if (c)
				buf_adds(&line, "\t");
			copy_value(&line, s, c);
		}
		buf_adds(&line, "\n");
		if (line.failed || PQputCopyData(m->dst, line.data, (int)line.len) != 1)
			ok = failf(m, "copying %s: %s", t->name, line.failed ? "out of memory" : PQerrorMessage(m->dst));
	}
	if (ok && rc != SQLITE_DONE)
		ok = failf(m, "reading %s: %s", t->name, sqlite3_errmsg(m->src));
	buf_release(&line);
	return ok;
}

static bool copy_table(move *m, table *t)
{
	buf select = BUF_INIT, copy = BUF_INIT;
	buf_adds(&select, "SELECT ");
	buf_adds(&copy, "COPY ");
	add_ident(&copy, t->name);
	buf_adds(&copy, " (");
	for (int c = 0; c < t->ncolumns; c++) {
		if (c) {
			buf_adds(&select, ", ");
			buf_adds(&copy, ", ");
		}
		add_ident(&select, t->columns[c]);
		add_ident(&copy, t->columns[c]);
	}
	buf_adds(&select, " FROM ");
	add_ident(&select, t->name);
	buf_adds(&copy, ") FROM STDIN");
	sqlite3_stmt *s = NULL;
	bool ok = sqlite3_prepare_v2(m->src, select.data, -1, &s, NULL) == SQLITE_OK;
	if (!ok)
		failf(m, "reading %s: %s", t->name, sqlite3_errmsg(m->src));
	PGresult *res = ok ? PQexec(m->dst, copy.data) : NULL;
	if (ok && PQresultStatus(res) != PGRES_COPY_IN)
		ok = pg_ok(m, res, t->name) && failf(m, "%s: the server did not start the copy", t->name);
	PQclear(res);
	if (ok) {
		ok = copy_rows(m, t, s);
		PQputCopyEnd(m->dst, ok ? NULL : "gongzhi migrate stopped");
		while ((res = PQgetResult(m->dst))) {
			if (ok)
				ok = pg_ok(m, res, t->name);
			PQclear(res);
		}
	}
	sqlite3_finalize(s);
	buf_release(&select);
	buf_release(&copy);
	return ok;
}

/* Moves identity sequences past the ids copied, so new rows get new ids. */
static bool advance_sequences(move *m)
{
	PGresult *res = PQexec(m->dst, "SELECT table_name, column_name FROM information_schema.columns "
				       "WHERE table_schema = current_schema() AND is_identity = 'YES'");
	bool ok = pg_ok(m, res, "listing identity columns");
	for (int i = 0; ok && i < PQntuples(res); i++) {
		buf sql = BUF_INIT;
		const char *tab = PQgetvalue(res, i, 0), *col = PQgetvalue(res, i, 1);
		buf_adds(&sql, "SELECT setval(pg_get_serial_sequence('");
		add_ident(&sql, tab);   /* a regclass text: quoted identifier inside a literal */
		buf_printf(&sql, "', '%s'), MAX(", col);
		add_ident(&sql, col);
		buf_adds(&sql, ")) FROM ");
		add_ident(&sql, tab);
		buf_adds(&sql, " HAVING MAX(");
		add_ident(&sql, col);
		buf_adds(&sql, ") IS NOT NULL");
		if (strpbrk(tab, "'\"") || strpbrk(col, "'\""))
			ok = failf(m, "the target has a column named %s.%s, which this tool does not handle", tab, col);
		else
			ok = pg_run(m, sql.data, "moving an identity sequence");
		buf_release(&sql);
	}
	PQclear(res);
	return ok;
}

static bool copy_audit_head(move *m)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(m->src, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", -1, &s, NULL) !=
		    SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return failf(m, "the source has no audit head");
	}
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(s, 0));
	const char *values[2] = { id, (const char *)sqlite3_column_text(s, 1) };
	PGresult *res = PQexecParams(m->dst, stmt_table[STMT_AUDIT_HEAD_SET].pg, 2, NULL, values, NULL, NULL, 0);
	bool ok = pg_ok(m, res, "copying the audit head");
	PQclear(res);
	sqlite3_finalize(s);
	return ok;
}

/* The declared statement "<base>_index" that fills the PostgreSQL search
 * column of the table whose FTS5 index is "<base>_fts". */
static int index_statement(const char *fts)
{
	size_t n = strlen(fts);
	if (n < 5 || strcmp(fts + n - 4, "_fts"))
		return -1;
	char name[128];
	snprintf(name, sizeof(name), "%.*s_index", (int)(n - 4), fts);
	for (int i = 0; i < STMT__MAX; i++)
		if (!strcmp(stmt_table[i].name, name))
			return i;
	return -1;
}

/*
 * Fills the search columns from the FTS5 tables' stored text: each column
 * but the last (scope words, which PostgreSQL does not index) becomes a
 * tsvector literal of our tokens, bound to the same statement the domain
 * layer uses when it indexes a new need.
 */
static bool rebuild_search(move *m, const char *fts)
{
	int id = index_statement(fts);
	if (id < 0)
		return failf(m, "the source has a full-text table %s with no statement to index it on PostgreSQL",
			     fts);
	buf sql = BUF_INIT;
	buf_adds(&sql, "SELECT rowid, * FROM ");
	add_ident(&sql, fts);
	sqlite3_stmt *s;
	bool ok = sqlite3_prepare_v2(m->src, sql.data, -1, &s, NULL) == SQLITE_OK;
	buf_release(&sql);
	if (!ok)
		return failf(m, "reading %s: %s", fts, sqlite3_errmsg(m->src));
	int ncols = sqlite3_column_count(s);
	text_buf literal[8];
	for (int i = 0; i < 8; i++)
		text_buf_init(&literal[i]);
	if (ncols < 3 || ncols > 8)
		ok = failf(m, "%s has %d columns; expected rowid, the indexed texts and scope", fts, ncols - 1);
	while (ok && sqlite3_step(s) == SQLITE_ROW) {
		const char *values[8];
		char rowid[24];
		snprintf(rowid, sizeof(rowid), "%lld", (long long)sqlite3_column_int64(s, 0));
		values[0] = rowid;
		for (int c = 1; c < ncols; c++) {
			const char *text = (const char *)sqlite3_column_text(s, c);
			size_t len = (size_t)sqlite3_column_bytes(s, c);
			text_buf_reset(&literal[c]);
			if (c < ncols - 1 && text_tsvector(&literal[c], text ? text : "", text ? len : 0))
				ok = failf(m, "out of memory indexing %s", fts);
			values[c] = c < ncols - 1 ? literal[c].data : (text ? text : "");
		}
		if (!ok)
			break;
		PGresult *res = PQexecParams(m->dst, stmt_table[id].pg, ncols, NULL, values, NULL, NULL, 0);
		ok = pg_ok(m, res, fts);
		PQclear(res);
	}
	for (int i = 0; i < 8; i++)
		text_buf_release(&literal[i]);
	sqlite3_finalize(s);
	return ok;
}

static bool counts_match(move *m)
{
	for (int i = 0; i < m->ntables; i++) {
		buf sql = BUF_INIT;
		buf_adds(&sql, "SELECT COUNT(*) FROM ");
		add_ident(&sql, m->tables[i].name);
		int64_t n = pg_count(m, sql.data, m->tables[i].name);
		buf_release(&sql);
		if (n < 0)
			return false;
		if (n != m->tables[i].rows)
			return failf(m, "table %s arrived with %" PRId64 " rows instead of %" PRId64, m->tables[i].name, n,
				     m->tables[i].rows);
	}
	return true;
}

static bool copy_everything(move *m)
{
	if (!pg_run(m, "BEGIN", "starting the transaction") || !target_empty(m))
		return false;
	int copied = 0;
	for (table *t; (t = next_table(m)); copied++) {
		if (!copy_table(m, t))
			return false;
		t->done = true;
		fprintf(stderr, "  %-24s %10" PRId64 " rows\n", t->name, t->rows);
	}
	if (copied != m->ntables)
		return failf(m, "the source's foreign keys form a cycle; cannot order the tables");
	if (!advance_sequences(m) || !copy_audit_head(m))
		return false;
	for (int i = 0; i < m->nfts; i++)
		if (!rebuild_search(m, m->fts[i]))
			return false;
	return counts_match(m) && pg_run(m, "COMMIT", "committing");
}

static void move_release(move *m)
{
	for (int i = 0; i < m->ntables; i++) {
		table *t = &m->tables[i];
		for (int c = 0; c < t->ncolumns; c++)
			free(t->columns[c]);
		for (int d = 0; d < t->ndepends; d++)
			free(t->depends[d]);
		free(t->columns);
		free(t->depends);
		free(t->name);
	}
	for (int i = 0; i < m->nfts; i++)
		free(m->fts[i]);
	if (m->src)
		sqlite3_close(m->src);
	if (m->dst)
		PQfinish(m->dst);
}

/* ---- the command ---- */

static bool chain_intact(store *st, const char *where, int64_t *records)
{
	audit_report report;
	gz_err rc = audit_verify(st, &report);
	if (rc) {
		fprintf(stderr, "gongzhi migrate: cannot check the audit chain of %s: %s\n", where, gz_strerror(rc));
		return false;
	}
	if (report.first_bad) {
		fprintf(stderr, "gongzhi migrate: the audit chain of %s is broken at record %" PRId64 ": %s\n", where,
			report.first_bad, report.reason);
		return false;
	}
	*records = report.records;
	return true;
}

static bool copy_database(const char *from, const char *to, int64_t records)
{
	move m = { 0 };
	bool ok = true;
	/* The tokenizer is registered only so the FTS5 tables can be read. */
	if (sqlite3_open_v2(from, &m.src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    fts5_tokenizer_register(m.src) != SQLITE_OK)
		ok = failf(&m, "cannot read %s: %s", from, sqlite3_errmsg(m.src));
	if (ok) {
		m.dst = PQconnectdb(to);
		if (PQstatus(m.dst) != CONNECTION_OK)
			ok = failf(&m, "cannot connect: %s", PQerrorMessage(m.dst));
	}
	ok = ok && read_catalogue(&m);
	if (ok) {
		fprintf(stderr, "copying %d tables and %" PRId64 " audit records\n", m.ntables, records);
		ok = copy_everything(&m);
	}
	if (!ok)
		fprintf(stderr, "gongzhi migrate: %s\nnothing was written to the target\n", m.err);
	move_release(&m);
	return ok;
}

static int run_move(const char *from, const char *to)
{
	char err[512] = "";
	store_options opt = STORE_OPTIONS_DEFAULT;
	store *src = NULL, *dst = NULL;
	int64_t records = 0, arrived = 0;
	int status = 1;
	if (store_open(from, &opt, &src, err, sizeof(err))) {
		fprintf(stderr, "gongzhi migrate: cannot open %s: %s\n", from, err);
		return 1;
	}
	if (!chain_intact(src, from, &records))
		goto close;
	if (store_open(to, &opt, &dst, err, sizeof(err))) {
		fprintf(stderr, "gongzhi migrate: cannot open the target: %s\n", err);
		goto close;
	}
	if (store_schema_version(src) != store_schema_version(dst)) {
		fprintf(stderr,
			"gongzhi migrate: the source schema is at version %d and the PostgreSQL schema at %d; this "
			"gongzhi lacks the PostgreSQL twin of a migration\n",
			store_schema_version(src), store_schema_version(dst));
		goto close;
	}
	if (!copy_database(from, to, records))
		goto close;
	/* A fresh store, so nothing cached from before the copy is reused. */
	store_close(dst);
	dst = NULL;
	if (store_open(to, &opt, &dst, err, sizeof(err))) {
		fprintf(stderr, "gongzhi migrate: the target does not open after the copy: %s\n", err);
		goto close;
	}
	if (!chain_intact(dst, "the target", &arrived))
		goto close;
	if (arrived != records) {
		fprintf(stderr, "gongzhi migrate: %" PRId64 " audit records arrived instead of %" PRId64 "\n", arrived,
			records);
		goto close;
	}
	printf("moved %s to PostgreSQL: row counts match, audit chain intact (%" PRId64 " records)\n", from, arrived);
	status = 0;
close:
	store_close(dst);
	store_close(src);
	return status;
}
#endif

static const char usage[] =
	"usage: gongzhi migrate --from PATH.db --to postgres://user@host/dbname\n\n"
	"Copies a whole SQLite database into an empty PostgreSQL database, in one\n"
	"transaction: every table with its ids, the audit chain, the search index.\n"
	"Then checks the row counts and the audit chain on arrival.  Refuses a target\n"
	"that already holds data.  Stop the servers on the source first: writes made\n"
	"during the copy would not move.\n";

int cmd_migrate(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strncmp(a, "--from", 6) ? &from : !strncmp(a, "--to", 4) ? &to : NULL;
		size_t at = slot == &from ? 6 : 4;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		}
		if (slot && a[at] == '=')
			*slot = a + at + 1;
		else if (slot && !a[at] && i + 1 < argc)
			*slot = argv[++i];
		else {
			fprintf(stderr, "gongzhi migrate: unknown argument %s\n%s", a, usage);
			return 2;
		}
	}
	if (!from || !to || !*from || !*to) {
		fprintf(stderr, "gongzhi migrate: give both --from and --to\n%s", usage);
		return 2;
	}
	if (strncmp(to, "postgres://", 11) && strncmp(to, "postgresql://", 13)) {
		fprintf(stderr, "gongzhi migrate: --to must be a postgres:// URL\n");
		return 2;
	}
	if (!strncmp(from, "postgres://", 11) || !strncmp(from, "postgresql://", 13)) {
		fprintf(stderr, "gongzhi migrate: --from must be a SQLite file\n");
		return 2;
	}
#ifdef GZ_HAVE_PG
	if (access(from, R_OK)) {
		fprintf(stderr, "gongzhi migrate: cannot read %s\n", from);
		return 1;
	}
	return run_move(from, to);
#else
	fprintf(stderr, "gongzhi migrate: this gongzhi was built without PostgreSQL support\n");
	return 1;
#endif
}
