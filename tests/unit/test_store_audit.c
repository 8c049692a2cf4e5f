/*
 * Tests for src/store (migrations, the group-commit writer, backups) and
 * src/domain/audit.c (the hash chain), on temporary SQLite files.
 *
 * The database is tampered with through SQLite directly, as someone with
 * the file would, and audit_verify must name the first bad record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "domain/audit.h"
#include "store/store.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---------------------------------------------------------- */

typedef struct fixture {
	char dir[64];
	char db[96];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/gz-unit-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/test.db", f->dir);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	fixture *f = *state;
	nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static store *open_store(const char *path, bool read_only)
{
	store_options opt = STORE_OPTIONS_DEFAULT;
	opt.read_only = read_only;
	store *st = NULL;
	char err[512] = "";
	gz_err rc = store_open(path, &opt, &st, err, sizeof(err));
	if (rc)
		fail_msg("store_open(%s): %s: %s", path, gz_strerror(rc), err);
	return st;
}

/* Runs SQL on the file directly, outside the store. */
static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	int64_t v = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

typedef struct append_job {
	const char *summary;
	gz_err fail_with;     /* returned after the append, to make the write fail */
	useconds_t linger;    /* time spent inside the transaction */
} append_job;

static gz_err append_fn(store_conn *c, void *ctx)
{
	append_job *job = ctx;
	audit_entry e = { 1, "test.append", "test", 7, job->summary };
	gz_err rc = audit_append(c, &actor_system, &e);
	if (job->linger)
		usleep(job->linger);
	return rc ? rc : job->fail_with;
}

static void append(store *st, const char *summary)
{
	append_job job = { summary, GZ_OK, 0 };
	assert_int_equal(store_write(st, append_fn, &job), GZ_OK);
}

static int64_t count_summary(const char *path, const char *summary)
{
	char *sql = sqlite3_mprintf("SELECT COUNT(*) FROM audit_log WHERE summary = %Q", summary);
	int64_t n = sql_int(path, sql);
	sqlite3_free(sql);
	return n;
}

/* ---- migrations ------------------------------------------------------- */

static void test_migrations_recorded(void **state)
{
	fixture *f = *state;
	store *st = open_store(f->db, false);
	int version = store_schema_version(st);
	assert_true(version >= 1);
	assert_string_equal(store_backend_name(st), "sqlite");
	store_close(st);
	/* Every migration has its row, numbered 1..version without gaps. */
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM schema_migration"), version);
	assert_int_equal(sql_int(f->db, "SELECT MIN(version) FROM schema_migration"), 1);
	assert_int_equal(sql_int(f->db, "SELECT MAX(version) FROM schema_migration"), version);
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM schema_migration WHERE applied_at < 1700000000"), 0);
	assert_int_equal(sql_int(f->db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	/* Opening again migrates nothing and keeps the data. */
	st = open_store(f->db, false);
	assert_int_equal(store_schema_version(st), version);
	store_close(st);
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM schema_migration"), version);
	/* A read-only open of a migrated database works too. */
	st = open_store(f->db, true);
	assert_int_equal(store_schema_version(st), version);
	assert_int_equal(store_write(st, append_fn, &(append_job){ "refused", GZ_OK, 0 }), GZ_EFORBIDDEN);
	store_close(st);
	assert_int_equal(count_summary(f->db, "refused"), 0);
}

static void test_newer_schema_refused(void **state)
{
	fixture *f = *state;
	store *st = open_store(f->db, false);
	int version = store_schema_version(st);
	store_close(st);
	char *sql = sqlite3_mprintf("INSERT INTO schema_migration (version, applied_at) VALUES (%d, 1800000000)",
				    version + 1);
	sql_exec(f->db, sql);
	sqlite3_free(sql);

	for (int read_only = 0; read_only < 2; read_only++) {
		store_options opt = STORE_OPTIONS_DEFAULT;
		opt.read_only = read_only;
		store *newer = NULL;
		char err[512] = "";
		assert_int_equal(store_open(f->db, &opt, &newer, err, sizeof(err)), GZ_ECONFLICT);
		assert_null(newer);
		/* The operator is told what is wrong and what to do. */
		if (!strstr(err, "newer gongzhi"))
			fail_msg("unclear refusal: \"%s\"", err);
		if (!read_only) {
			char want[64];
			snprintf(want, sizeof(want), "schema version %d", version + 1);
			if (!strstr(err, want))
				fail_msg("refusal does not name the version: \"%s\"", err);
		}
	}
	/* Nothing was changed by the refused opens. */
	assert_int_equal(sql_int(f->db, "SELECT MAX(version) FROM schema_migration"), version + 1);
}

/* ---- the writer ------------------------------------------------------- */

typedef struct writer_thread {
	store *st;
	append_job job;
	gz_err result;
	pthread_t tid;
} writer_thread;

static void *writer_main(void *arg)
{
	writer_thread *w = arg;
	w->result = store_write(w->st, append_fn, &w->job);
	return NULL;
}

/*
 * A slow write holds the writer while eight others queue behind it, so the
 * eight run as one group in one transaction.  One of them fails after
 * writing: its savepoint is rolled back and the other seven commit.
 */
static void test_failing_write_rolls_back_only_itself(void **state)
{
	fixture *f = *state;
	store *st = open_store(f->db, false);
	append(st, "before");
	store_stats before;
	store_get_stats(st, &before);

	writer_thread gate = { .st = st, .job = { "gate", GZ_OK, 300000 } };
	pthread_create(&gate.tid, NULL, writer_main, &gate);
	usleep(50000);   /* the gate job is inside its transaction now */

	static char names[8][16];
	writer_thread w[8];
	for (int i = 0; i < 8; i++) {
		snprintf(names[i], sizeof(names[i]), "w%d", i);
		w[i] = (writer_thread){ .st = st, .job = { names[i], i == 3 ? GZ_ECONFLICT : GZ_OK, 0 } };
		pthread_create(&w[i].tid, NULL, writer_main, &w[i]);
	}
	pthread_join(gate.tid, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(w[i].tid, NULL);

	assert_int_equal(gate.result, GZ_OK);
	for (int i = 0; i < 8; i++)
		assert_int_equal(w[i].result, i == 3 ? GZ_ECONFLICT : GZ_OK);
	store_stats after;
	store_get_stats(st, &after);
	assert_int_equal(after.writes - before.writes, 1 + 7);
	/* The eight queued while the gate held the writer: far fewer commits than writes. */
	assert_true(after.transactions - before.transactions <= 3);

	audit_report report;
	assert_int_equal(audit_verify(st, &report), GZ_OK);
	assert_int_equal(report.first_bad, 0);
	assert_int_equal(report.records, 1 + 1 + 7);
	store_close(st);

	for (int i = 0; i < 8; i++)
		assert_int_equal(count_summary(f->db, names[i]), i == 3 ? 0 : 1);
	assert_int_equal(count_summary(f->db, "gate"), 1);
	assert_int_equal(sql_int(f->db, "SELECT last_id FROM audit_head"), 9);
}

typedef struct load_thread {
	store *st;
	int index;
	bool failing;
	int ok, refused;
	pthread_t tid;
} load_thread;

static void *load_main(void *arg)
{
	load_thread *t = arg;
	for (int i = 0; i < 25; i++) {
		char summary[32];
		snprintf(summary, sizeof(summary), "%s-%d-%d", t->failing ? "bad" : "good", t->index, i);
		append_job job = { summary, t->failing ? GZ_EINVAL : GZ_OK, 0 };
		if (store_write(t->st, append_fn, &job) == GZ_OK)
			t->ok++;
		else
			t->refused++;
	}
	return NULL;
}

/* Four writers at once, one of which always fails: the chain stays whole
 * and holds exactly the others' records. */
static void test_concurrent_writers(void **state)
{
	fixture *f = *state;
	store *st = open_store(f->db, false);
	load_thread t[4];
	for (int i = 0; i < 4; i++) {
		t[i] = (load_thread){ .st = st, .index = i, .failing = i == 2 };
		pthread_create(&t[i].tid, NULL, load_main, &t[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i].tid, NULL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(t[i].ok, i == 2 ? 0 : 25);
		assert_int_equal(t[i].refused, i == 2 ? 25 : 0);
	}
	audit_report report;
	assert_int_equal(audit_verify(st, &report), GZ_OK);
	assert_int_equal(report.first_bad, 0);
	assert_int_equal(report.records, 75);
	store_close(st);
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM audit_log WHERE summary LIKE 'bad-%'"), 0);
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM audit_log WHERE summary LIKE 'good-%'"), 75);
	/* Ids have no gaps: the failed appends left nothing behind. */
	assert_int_equal(sql_int(f->db, "SELECT MAX(id) FROM audit_log"), 75);
}

/* ---- the audit chain -------------------------------------------------- */

#define RECORDS 6

/* A database holding RECORDS audit records, closed. */
static void build_chain(const char *path)
{
	store *st = open_store(path, false);
	static const char *const summaries[RECORDS] = {
		"创建街道", "a|b;c:d", "", "新增社区 2", "7:x;", "最后一条",
	};
	for (int i = 0; i < RECORDS; i++)
		append(st, summaries[i]);
	store_close(st);
}

static audit_report verify_file(const char *path)
{
	store *st = open_store(path, true);
	audit_report report;
	assert_int_equal(audit_verify(st, &report), GZ_OK);
	store_close(st);
	return report;
}

static void test_audit_intact(void **state)
{
	fixture *f = *state;
	build_chain(f->db);
	audit_report r = verify_file(f->db);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.records, RECORDS);
	assert_string_equal(r.reason, "");
	/* Each record's prev_hash is the hash of the one before it. */
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM audit_log a JOIN audit_log b ON b.id = a.id + 1 "
					"WHERE b.prev_hash = a.hash"),
			 RECORDS - 1);
	assert_int_equal(sql_int(f->db, "SELECT COUNT(*) FROM audit_log WHERE length(hash) = 64"), RECORDS);
}

static void test_audit_empty_chain(void **state)
{
	fixture *f = *state;
	store_close(open_store(f->db, false));
	audit_report r = verify_file(f->db);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.records, 0);
}

typedef struct tamper_case {
	const char *what;
	const char *sql;
	int64_t first_bad;
	int64_t records;      /* records found intact before it */
	const char *reason;   /* a part of the reason given */
} tamper_case;

static const tamper_case tamper_cases[] = {
	{ "altered summary", "UPDATE audit_log SET summary = '改过' WHERE id = 3", 3, 2, "altered" },
	{ "altered actor", "UPDATE audit_log SET actor_account_id = 42 WHERE id = 2", 2, 1, "altered" },
	{ "altered time", "UPDATE audit_log SET at = at + 1 WHERE id = 5", 5, 4, "altered" },
	{ "altered last record", "UPDATE audit_log SET action = 'x' WHERE id = 6", 6, 5, "altered" },
	{ "stored hash replaced",
	  /* the content is untouched, but the hash no longer matches it */
	  "UPDATE audit_log SET hash = 'ab' || substr(hash, 3) WHERE id = 2", 2, 1, "altered" },
	{ "removed record", "DELETE FROM audit_log WHERE id = 3", 4, 2, "record 3 is missing" },
	{ "removed first record", "DELETE FROM audit_log WHERE id = 1", 2, 0, "record 1 is missing" },
	{ "reordered pair",
	  /* rows 3 and 4 swap every column but their ids */
	  "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE id IN (3, 4);"
	  "UPDATE audit_log SET (street_id, at, actor_account_id, actor_role, action, object_type, object_id, summary,"
	  " prev_hash, hash) = (SELECT street_id, at, actor_account_id, actor_role, action, object_type, object_id,"
	  " summary, prev_hash, hash FROM t WHERE t.id = 7 - audit_log.id) WHERE id IN (3, 4);",
	  3, 2, "removed or reordered" },
	{ "removed tail", "DELETE FROM audit_log WHERE id = 6", 6, 5, "removed from the end" },
	{ "removed last two", "DELETE FROM audit_log WHERE id >= 5", 5, 4, "removed from the end" },
	{ "head moved past the end", "UPDATE audit_head SET last_id = 9", 7, 6, "removed from the end" },
};

static void test_audit_tampering_caught(void **state)
{
	fixture *f = *state;
	for (size_t i = 0; i < COUNT(tamper_cases); i++) {
		const tamper_case *c = &tamper_cases[i];
		char path[128];
		snprintf(path, sizeof(path), "%s/tamper-%zu.db", f->dir, i);
		build_chain(path);
		assert_int_equal(verify_file(path).first_bad, 0);
		sql_exec(path, c->sql);
		audit_report r = verify_file(path);
		if (r.first_bad != c->first_bad)
			fail_msg("%s: first_bad %lld, expected %lld (%s)", c->what, (long long)r.first_bad,
				 (long long)c->first_bad, r.reason);
		if (!strstr(r.reason, c->reason))
			fail_msg("%s: reason \"%s\" lacks \"%s\"", c->what, r.reason, c->reason);
		if (r.records != c->records)
			fail_msg("%s: %lld records counted intact, expected %lld", c->what, (long long)r.records,
				 (long long)c->records);
	}
}

/* Appending after a verified chain continues it; a new store sees it whole. */
static void test_audit_continues_across_opens(void **state)
{
	fixture *f = *state;
	build_chain(f->db);
	store *st = open_store(f->db, false);
	append(st, "after reopening");
	store_close(st);
	audit_report r = verify_file(f->db);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.records, RECORDS + 1);
}

/* ---- backup ----------------------------------------------------------- */

static void test_backup_copy_is_sound(void **state)
{
	fixture *f = *state;
	build_chain(f->db);
	store *st = open_store(f->db, false);
	assert_true(store_integrity_ok(st));
	char copy[128], err[256] = "";
	snprintf(copy, sizeof(copy), "%s/copy.db", f->dir);
	assert_int_equal(store_backup(st, copy, err, sizeof(err)), GZ_OK);
	store_close(st);

	store *c = open_store(copy, true);
	assert_true(store_integrity_ok(c));
	audit_report r;
	assert_int_equal(audit_verify(c, &r), GZ_OK);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.records, RECORDS);
	store_close(c);

	/* A backup into a folder that does not exist fails with a reason. */
	st = open_store(f->db, false);
	snprintf(copy, sizeof(copy), "%s/missing/copy.db", f->dir);
	err[0] = '\0';
	assert_int_not_equal(store_backup(st, copy, err, sizeof(err)), GZ_OK);
	assert_true(strlen(err) > 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_write_rolls_back_only_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_empty_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tampering_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_continues_across_opens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_copy_is_sound, setup, teardown),
	};
	return cmocka_run_group_tests_name("store_audit", tests, NULL, NULL);
}
