/*
 * needs-bench: times, in one process, the read paths the server runs for
 * the needs pages, on a database made by gen-needs:
 *
 *   list     need_list with no query: the first page of /needs (20 needs
 *            and the count of all of them)
 *   search   need_list with q= : what /needs?q=... and /api/v1/needs?q=...
 *            run, counting the matches and fetching the first 20
 *   similar  need_similar: the "perhaps already raised" lookup while a
 *            resident types (/api/v1/needs/similar, /needs/check), top 5
 *
 *   needs-bench --db PATH [--seed S] [--queries N] [--max-seconds T] [--only list|search|similar]
 *               [--slow-ms MS]   (prints each input slower than MS to stderr)
 *
 * Queries come from needs-text.h (search: 1 to 4 characters or a phrase of
 * two parts; similar: a fresh need's title and the start of its body), so
 * they are the same on every run.  Each measurement first runs a tenth of
 * its calls untimed (the database file is then in the OS cache, as on a
 * server that has been up for a while), then times N calls one after
 * another on one connection.  Output: one line per measurement,
 *
 *   search n=1000 p50_ms=1.234 p99_ms=5.678 max_ms=9.1 mean_ms=1.5 empty=12 matches_mean=3456
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/needs.h"
#include "domain/org.h"
#include "needs-text.h"
#include "store/store.h"

typedef enum which { LIST, SEARCH, SIMILAR } which;

typedef struct run {
	store_conn *c;
	double slow_ms;              /* print the inputs of calls slower than this (0: none) */
	int64_t street_id;
	uint64_t seed;
	int64_t matches, empty;
} run;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* One call of the measured kind, number k; false on an error. */
static bool call_once(run *r, which w, uint64_t k, arena *a)
{
	char text[2048];
	need *list;
	size_t count = 0;
	int64_t total = 0;
	gz_err rc;
	if (w == SIMILAR) {
		bench_typing_make(r->seed, k, text, sizeof(text));
		rc = need_similar(r->c, a, r->street_id, text, 0, 5, &list, &count);
		total = (int64_t)count;
	} else {
		need_filter f = { .status = -1, .limit = 20 };
		if (w == SEARCH) {
			bench_query_make(r->seed, k, text, sizeof(text));
			f.q = text;
		}
		rc = need_list(r->c, a, r->street_id, &f, &list, &count, &total);
	}
	if (rc) {
		fprintf(stderr, "needs-bench: call %" PRIu64 ": %s\n", k, gz_strerror(rc));
		return false;
	}
	r->matches += total;
	r->empty += count == 0;
	return true;
}

static void print_slow(const run *r, which w, uint64_t k, double ms)
{
	char text[2048] = "";
	if (w == SEARCH)
		bench_query_make(r->seed, k, text, sizeof(text));
	else if (w == SIMILAR)
		bench_typing_make(r->seed, k, text, sizeof(text));
	for (char *p = text; *p; p++)
		*p = *p == '\n' ? ' ' : *p;
	fprintf(stderr, "slow %s #%" PRIu64 " %.1f ms: %s\n", w == SEARCH ? "search" : w == SIMILAR ? "similar" : "list", k,
		ms, text);
}

static bool measure(run *r, which w, const char *name, uint64_t n, double max_seconds)
{
	double *ms = calloc(n ? n : 1, sizeof(double));
	arena a = ARENA_INIT;
	bool ok = true;
	/* Warm-up with other inputs than the timed ones. */
	for (uint64_t k = 0; ok && k < n / 10; k++) {
		ok = call_once(r, w, 1000000 + k, &a);
		arena_release(&a);
	}
	r->matches = r->empty = 0;
	uint64_t done = 0;
	double start = now_ms(), sum = 0;
	for (; ok && done < n; done++) {
		if (max_seconds > 0 && now_ms() - start > max_seconds * 1e3)
			break;
		double t0 = now_ms();
		ok = call_once(r, w, done, &a);
		ms[done] = now_ms() - t0;
		if (r->slow_ms > 0 && ms[done] > r->slow_ms)
			print_slow(r, w, done, ms[done]);
		sum += ms[done];
		arena_release(&a);
	}
	if (ok && done) {
		qsort(ms, done, sizeof(double), by_value);
		size_t p99 = (size_t)((double)done * 0.99 + 0.999999) - 1;
		printf("%s n=%" PRIu64 " p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f empty=%" PRId64
		       " matches_mean=%" PRId64 "\n",
		       name, done, ms[done / 2], ms[p99], ms[done - 1], sum / (double)done, r->empty,
		       r->matches / (int64_t)done);
		fflush(stdout);
	}
	free(ms);
	return ok;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *only = NULL;
	uint64_t seed = 42, n = 1000;
	double max_seconds = 0, slow_ms = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--queries"))
			n = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--max-seconds"))
			max_seconds = strtod(argv[i + 1], NULL);
		else if (!strcmp(argv[i], "--only"))
			only = argv[i + 1];
		else if (!strcmp(argv[i], "--slow-ms"))
			slow_ms = strtod(argv[i + 1], NULL);
		else
			db = NULL, i = argc;
	}
	if (!db || argc % 2 == 0) {
		fprintf(stderr, "usage: needs-bench --db PATH [--seed S] [--queries N] [--max-seconds T] "
				"[--only list|search|similar] [--slow-ms MS]\n");
		return 2;
	}
	store *st;
	char err[512];
	store_options opt = STORE_OPTIONS_DEFAULT;
	if (store_open(db, &opt, &st, err, sizeof(err))) {
		fprintf(stderr, "needs-bench: %s\n", err);
		return 1;
	}
	run r = { .c = store_conn_get(st), .slow_ms = slow_ms, .seed = seed };
	arena keep = ARENA_INIT;
	const char *name, *district;
	bool ok = r.c && !street_first(r.c, &keep, &r.street_id, &name, &district);
	if (ok && (!only || !strcmp(only, "list")))
		ok = measure(&r, LIST, "list", n, max_seconds);
	if (ok && (!only || !strcmp(only, "search")))
		ok = measure(&r, SEARCH, "search", n, max_seconds);
	if (ok && (!only || !strcmp(only, "similar")))
		ok = measure(&r, SIMILAR, "similar", n, max_seconds);
	if (r.c)
		store_conn_put(st, r.c);
	store_close(st);
	arena_release(&keep);
	return ok ? 0 : 1;
}
