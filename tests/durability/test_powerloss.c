/*
 * Power loss: every transaction acknowledged before the power failed must
 * still be there afterwards, and the database and the audit chain must check
 * clean.  A kill -9 cannot show this (the kernel still writes what the
 * process handed it), so the writes go through a VFS that forgets everything
 * not yet synced when the power is cut at a random moment.
 *
 * The control run uses synchronous=NORMAL, which does not sync the WAL at
 * each commit; it must lose acknowledged transactions in some trials, or
 * this test could not tell a durable store from one that is not.
 */
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/audit.h"
#include "domain/org.h"
#include "powerloss-vfs.h"
#include "store/store.h"

#define WRITERS 4
#define WRITES_PER_WRITER 60
#define MAX_ACKED (WRITERS * WRITES_PER_WRITER)

typedef struct trial {
	store *st;
	pthread_mutex_t lock;
	char acked[MAX_ACKED][32];
	int acked_count;
	int writer;
} trial;

typedef struct writer_arg {
	trial *t;
	int id;
} writer_arg;

static void *writer_main(void *p)
{
	writer_arg *w = p;
	for (int i = 0; i < WRITES_PER_WRITER; i++) {
		char name[32];
		snprintf(name, sizeof(name), "街道-%d-%d", w->id, i);
		int64_t street_id, unit_id;
		if (street_create(w->t->st, &actor_system, "测试区", name, &street_id, &unit_id))
			break;   /* the power is out: nothing more is acknowledged */
		pthread_mutex_lock(&w->t->lock);
		snprintf(w->t->acked[w->t->acked_count++], 32, "%s", name);
		pthread_mutex_unlock(&w->t->lock);
	}
	return NULL;
}

/* Names of the streets that survived, checked against the acknowledged ones. */
static int count_lost(const char *path, trial *t)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	int lost = 0;
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM street WHERE name = ?1", -1, &s, NULL);
	for (int i = 0; i < t->acked_count; i++) {
		sqlite3_bind_text(s, 1, t->acked[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != 1)
			lost++;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return lost;
}

typedef struct outcome {
	int acked, lost;
	bool sound;   /* integrity check and audit chain */
} outcome;

static outcome run_trial(const char *dir, int number, uint64_t cut_after, bool relaxed)
{
	outcome out = { 0 };
	char path[512], shm[520];
	snprintf(path, sizeof(path), "%s/trial-%d.db", dir, number);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	trial *t = calloc(1, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	store_options opt = STORE_OPTIONS_DEFAULT;
	opt.relaxed_sync = relaxed;
	char err[256];

	powerloss_install(0);
	if (store_open(path, &opt, &t->st, err, sizeof(err))) {
		fprintf(stderr, "trial %d: %s\n", number, err);
		exit(1);
	}
	/* The schema is in place and synced; from here on the cut may come. */
	powerloss_uninstall();
	powerloss_install(powerloss_writes() + cut_after);

	pthread_t threads[WRITERS];
	writer_arg args[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		args[i] = (writer_arg){ t, i };
		pthread_create(&threads[i], NULL, writer_main, &args[i]);
	}
	for (int i = 0; i < WRITERS; i++)
		pthread_join(threads[i], NULL);
	powerloss_cut();
	store_close(t->st);
	powerloss_restore();
	powerloss_uninstall();
	unlink(shm);   /* shared memory does not survive a power failure */

	out.acked = t->acked_count;
	out.lost = count_lost(path, t);
	store *after;
	opt.relaxed_sync = false;
	if (store_open(path, &opt, &after, err, sizeof(err))) {
		fprintf(stderr, "trial %d: the database does not open after the power cut: %s\n", number, err);
		exit(1);
	}
	audit_report report;
	out.sound = store_integrity_ok(after) && audit_verify(after, &report) == GZ_OK && report.first_bad == 0;
	if (!out.sound)
		fprintf(stderr, "trial %d: integrity %s, audit chain broken at %lld: %s\n", number,
			store_integrity_ok(after) ? "ok" : "FAILED", (long long)report.first_bad, report.reason);
	store_close(after);
	pthread_mutex_destroy(&t->lock);
	free(t);
	return out;
}

int main(int argc, char **argv)
{
	int trials = argc > 1 ? atoi(argv[1]) : 20;
	if (sodium_init() < 0)
		return 1;
	char dir[] = "/tmp/gz-powerloss-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	srand(20261127);
	int failures = 0, total_acked = 0, control_losses = 0;
	for (int i = 0; i < trials; i++) {
		uint64_t cut_after = 20 + (uint64_t)(rand() % 1500);
		outcome o = run_trial(dir, i, cut_after, false);
		total_acked += o.acked;
		if (o.lost || !o.sound) {
			failures++;
			fprintf(stderr, "FAIL trial %d (cut after %llu writes): %d of %d acknowledged lost\n", i,
				(unsigned long long)cut_after, o.lost, o.acked);
		}
	}
	/* The control: without a sync per commit, acknowledged work is lost. */
	int control_trials = trials / 2 > 4 ? trials / 2 : 4;
	for (int i = 0; i < control_trials; i++) {
		outcome o = run_trial(dir, trials + i, 200 + (uint64_t)(rand() % 1000), true);
		control_losses += o.lost > 0;
	}
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("power-loss trials: %d, acknowledged transactions: %d, lost: %s; control runs losing work: %d of %d\n",
	       trials, total_acked, failures ? "SOME" : "none", control_losses, control_trials);
	if (!control_losses) {
		fprintf(stderr, "the control run lost nothing: the power-loss shim is not simulating anything\n");
		return 1;
	}
	return failures ? 1 : 0;
}
