/*
 * check-expected.c - reproduces every "ok" row of shared/pabulib/expected.jsonl:
 * same project ids, same order, for every (instance, rule).
 *
 * usage: check-expected PABULIB_DIR [--only SUBSTRING] [--skip-add1-above N | --only-add1-above N]
 * Exit status 0 iff every compared row matches.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include "tally/tally.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool load_instance(const char *dir, const char *name, struct tally_election *e)
{
	char path[4096];
	size_t len;
	snprintf(path, sizeof(path), "%s/instances/%s", dir, name);
	char *data = read_file(path, &len);
	if (!data) {
		fprintf(stderr, "cannot read %s\n", path);
		return false;
	}
	struct tally_diag diag;
	enum tally_error err = tally_pb_parse(e, data, len, &diag);
	free(data);
	if (err) {
		fprintf(stderr, "%s:%llu: %s\n", name, (unsigned long long)diag.line, diag.reason);
		return false;
	}
	return true;
}

/* Compares the selection with the expected ids; prints a diff on mismatch. */
static bool same_selection(const struct tally_election *e, const struct tally_result *r, json_t *expected)
{
	bool same = json_array_size(expected) == r->n_selected;
	for (size_t i = 0; same && i < r->n_selected; i++)
		same = strcmp(json_string_value(json_array_get(expected, i)), e->projects[r->selected[i]].id) == 0;
	if (!same) {
		printf("   ref=");
		for (size_t i = 0; i < json_array_size(expected); i++)
			printf("%s ", json_string_value(json_array_get(expected, i)));
		printf("\n   got=");
		for (size_t i = 0; i < r->n_selected; i++)
			printf("%s ", e->projects[r->selected[i]].id);
		printf("\n");
	}
	return same;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *only = NULL;
	long long skip_add1_above = -1, only_add1_above = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--skip-add1-above") && i + 1 < argc)
			skip_add1_above = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--only-add1-above") && i + 1 < argc)
			only_add1_above = atoll(argv[++i]);
		else
			dir = argv[i];
	}
	if (!dir) {
		fprintf(stderr, "usage: check-expected PABULIB_DIR [--only S] [--skip-add1-above N | --only-add1-above N]\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/expected.jsonl", dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return 2;
	}
	char line[1 << 16];
	char current[512] = "";
	struct tally_election e;
	tally_election_init(&e, TALLY_VOTE_APPROVAL);
	bool loaded = false;
	int ok = 0, bad = 0, skipped = 0;
	while (fgets(line, sizeof(line), f)) {
		json_error_t jerr;
		json_t *row = json_loads(line, 0, &jerr);
		if (!row)
			continue;
		const char *inst = json_string_value(json_object_get(row, "instance"));
		const char *rule_name = json_string_value(json_object_get(row, "rule"));
		const char *status = json_string_value(json_object_get(row, "status"));
		enum tally_rule rule;
		if (!inst || !rule_name || !status || (only && !strstr(inst, only))) {
			json_decref(row);
			continue;
		}
		if (only_add1_above >= 0 && strcmp(rule_name, "mes_cost_add1") != 0) {
			json_decref(row);
			continue;
		}
		if (strcmp(status, "ok") != 0 || !tally_rule_from_name(rule_name, &rule)) {
			skipped++;
			json_decref(row);
			continue;
		}
		if (strcmp(current, inst) != 0) {
			tally_election_release(&e);
			tally_election_init(&e, TALLY_VOTE_APPROVAL);
			snprintf(current, sizeof(current), "%s", inst);
			loaded = load_instance(dir, inst, &e);
		}
		if ((rule == TALLY_RULE_MES_COST_ADD1 && skip_add1_above >= 0 &&
		     (long long)e.n_ballots > skip_add1_above) ||
		    (only_add1_above >= 0 && (long long)e.n_ballots <= only_add1_above)) {
			printf("SKIP      %s %s\n", inst, rule_name);
			skipped++;
			json_decref(row);
			continue;
		}
		struct tally_result r;
		tally_result_init(&r);
		double t0 = now();
		enum tally_error err = loaded ? tally_run(&e, rule, NULL, &r) : TALLY_ERR_INVALID;
		double dt = now() - t0;
		bool same = err == TALLY_OK && same_selection(&e, &r, json_object_get(row, "selected"));
		printf("%-9s %s %s (%.3f s%s%s)\n", same ? "OK" : "MISMATCH", inst, rule_name, dt,
		       err ? ", error: " : "", err ? tally_strerror(err) : "");
		fflush(stdout);
		same ? ok++ : bad++;
		tally_result_release(&r);
		json_decref(row);
	}
	fclose(f);
	tally_election_release(&e);
	printf("TOTAL ok=%d mismatch=%d skipped=%d\n", ok, bad, skipped);
	return bad ? 1 : 0;
}
