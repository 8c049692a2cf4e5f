/*
 * tally-bench.c - times every rule of the tally engine on every shared
 * Pabulib instance and compares with the reference time (rule_seconds of
 * pabutools in expected.jsonl) as a ratio. Each outcome is also checked
 * against the reference selection, so a fast wrong answer cannot pass.
 *
 * usage: tally-bench PABULIB_DIR [--out BENCHMARKS.md] [--max-seconds S]
 * Writes a Markdown table to stdout, and with --out between the markers
 * <!-- tally:begin --> and <!-- tally:end --> of that file.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* clock_gettime, sysconf page counts */
#endif
#include "tally/tally.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BEGIN_MARK "<!-- tally:begin -->"
#define END_MARK "<!-- tally:end -->"

struct text {
	char *s;
	size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		t->cap = t->cap * 2 + (size_t)n + 256;
		t->s = realloc(t->s, t->cap);
	}
}

/* CPU time of this process: other jobs on a shared machine do not inflate it. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	*len = fread(buf, 1, (size_t)size, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static bool same_selection(const struct tally_election *e, const struct tally_result *r, json_t *expected)
{
	if (json_array_size(expected) != r->n_selected)
		return false;
	for (size_t i = 0; i < r->n_selected; i++)
		if (strcmp(json_string_value(json_array_get(expected, i)), e->projects[r->selected[i]].id))
			return false;
	return true;
}

/* Best of several runs: repeats until min_total seconds or max_reps. */
static double time_rule(const struct tally_election *e, enum tally_rule rule, json_t *expected, bool *match,
                        double min_total)
{
	double best = 1e30, spent = 0;
	for (int rep = 0; rep < 50 && (rep < 3 || spent < min_total); rep++) {
		struct tally_result r;
		tally_result_init(&r);
		double t0 = now();
		enum tally_error err = tally_run(e, rule, NULL, &r);
		double dt = now() - t0;
		if (rep == 0)
			*match = !err && same_selection(e, &r, expected);
		tally_result_release(&r);
		spent += dt;
		if (dt < best)
			best = dt;
		if (dt > 1.0)
			break; /* long runs: one measurement is enough */
	}
	return best;
}

static void machine_line(struct text *t)
{
	char model[256] = "unknown CPU";
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *colon = strchr(line, ':');
			if (colon) {
				snprintf(model, sizeof(model), "%s", colon + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	}
	if (f)
		fclose(f);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double mem_gb = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024 * 1024);
	char date[64];
	time_t tnow = time(NULL);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&tnow));
	text_add(t, "Machine: %ld cores (%s), %.1f GiB memory; measured %s, one process, best of at least 3 runs "
	            "(runs over 1 s: one).\n\n", cores, model, mem_gb, date);
}

static int write_between_markers(const char *path, const struct text *t)
{
	size_t len = 0;
	char *old = read_all(path, &len);
	FILE *f;
	if (!old) {
		old = strdup("# Benchmarks\n\nMeasured on one machine, in one run, against a recorded reference.\n\n"
		             "## Tally engine\n\n" BEGIN_MARK "\n" END_MARK "\n");
	}
	char *begin = strstr(old, BEGIN_MARK), *end = begin ? strstr(begin, END_MARK) : NULL;
	f = fopen(path, "w");
	if (!f) {
		free(old);
		return -1;
	}
	if (begin && end) {
		fwrite(old, 1, (size_t)(begin - old) + strlen(BEGIN_MARK), f);
		fputc('\n', f);
		fwrite(t->s, 1, t->len, f);
		fputs(end, f);
	} else { /* no markers yet: keep the file and append our section */
		fputs(old, f);
		fprintf(f, "\n## Tally engine\n\n" BEGIN_MARK "\n%s" END_MARK "\n", t->s);
	}
	fclose(f);
	free(old);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL;
	double max_seconds = 600;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
			max_seconds = atof(argv[++i]);
		else
			dir = argv[i];
	}
	if (!dir) {
		fprintf(stderr, "usage: tally-bench PABULIB_DIR [--out FILE.md] [--max-seconds S]\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/expected.jsonl", dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return 2;
	}
	struct text t = { NULL, 0, 0 };
	text_add(&t, "Generated by `bench/tally`. Reference: pabutools 1.2.3 `rule_seconds` from "
	             "`shared/pabulib/expected.jsonl` (a 2-core VM running two instances at once, ±20 %%). "
	             "Ours: CPU time of `tally_run` on the parsed instance, profile building included as in the "
	             "reference; best of several runs. "
	             "Ratio = reference / ours. Match = same projects in the same order as the reference.\n\n");
	machine_line(&t);
	text_add(&t, "| instance | votes | rule | reference s | ours ms | ratio | match |\n");
	text_add(&t, "|---|---:|---|---:|---:|---:|:---:|\n");

	char line[1 << 16], current[512] = "";
	struct tally_election e;
	tally_election_init(&e, TALLY_VOTE_APPROVAL);
	bool loaded = false;
	double worst_ratio = 1e30, wroclaw_mes = 0, started = now();
	char worst[600] = "";
	int rows = 0, matched = 0, below_target = 0;
	while (fgets(line, sizeof(line), f)) {
		json_t *row = json_loads(line, 0, NULL);
		const char *inst = json_string_value(json_object_get(row, "instance"));
		const char *rule_name = json_string_value(json_object_get(row, "rule"));
		const char *status = json_string_value(json_object_get(row, "status"));
		enum tally_rule rule;
		if (!inst || !status || strcmp(status, "ok") || !tally_rule_from_name(rule_name, &rule)) {
			if (inst && status && strcmp(status, "not_applicable"))
				text_add(&t, "| %s | | %s | %s | | | |\n", inst, rule_name, status);
			json_decref(row);
			continue;
		}
		if (strcmp(current, inst)) {
			size_t len;
			snprintf(current, sizeof(current), "%s", inst);
			snprintf(path, sizeof(path), "%s/instances/%s", dir, inst);
			char *data = read_all(path, &len);
			tally_election_release(&e);
			tally_election_init(&e, TALLY_VOTE_APPROVAL);
			loaded = data && tally_pb_parse(&e, data, len, NULL) == TALLY_OK;
			free(data);
		}
		double ref = json_real_value(json_object_get(row, "rule_seconds"));
		if (!loaded || now() - started > max_seconds) {
			text_add(&t, "| %s | %zu | %s | %.2f | not run | | |\n", inst, e.n_ballots, rule_name, ref);
			json_decref(row);
			continue;
		}
		bool match = false;
		double ours = time_rule(&e, rule, json_object_get(row, "selected"), &match, 0.05);
		double ratio = ref / ours;
		rows++;
		matched += match;
		below_target += ratio < 100;
		text_add(&t, "| %s | %zu | %s | %.3f | %.3f | %.0f | %s |\n", inst, e.n_ballots, rule_name, ref, ours * 1e3,
		         ratio, match ? "yes" : "NO");
		fprintf(stderr, "%s %s: %.3f ms (x%.0f)%s\n", inst, rule_name, ours * 1e3, ratio, match ? "" : " MISMATCH");
		if (ratio < worst_ratio) {
			worst_ratio = ratio;
			snprintf(worst, sizeof(worst), "%s %s", inst, rule_name);
		}
		if (strstr(inst, "Wroclaw_2015") && !strncmp(rule_name, "mes_", 4) && strcmp(rule_name, "mes_cost_add1") &&
		    ours > wroclaw_mes)
			wroclaw_mes = ours;
		json_decref(row);
	}
	fclose(f);
	tally_election_release(&e);
	text_add(&t, "\n%d rows timed, %d identical to the reference, %d below the 100x target. Smallest ratio: "
	             "%.0fx (%s). MES on the largest instance (Wroclaw 2015, 131,778 voters): %.1f ms at most.\n",
	         rows, matched, below_target, worst_ratio, worst, wroclaw_mes * 1e3);
	fwrite(t.s, 1, t.len, stdout);
	int rc = matched == rows ? 0 : 1;
	if (out && write_between_markers(out, &t) != 0) {
		fprintf(stderr, "cannot write %s\n", out);
		rc = 2;
	}
	free(t.s);
	return rc;
}
