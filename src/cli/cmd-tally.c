/*
 * cmd-tally.c - `gongzhi tally`: reads a .pb file, counts it with one rule,
 * prints the outcome. The engine (src/tally) does the counting; this file
 * only reads the file, parses options and prints.
 *
 * Plain output: one project id per line, in selection order (budget rules),
 * most votes first (approval: accepted items only), best first (borda,
 * schulze: every project). --json prints one object with costs, total,
 * budget and per-project explanations (codes and numbers, see docs/TALLY.md).
 */
#include "cli/cmd-tally.h"
#include "tally/tally.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_BAD 2
#define READ_CHUNK (1 << 16)
#define PROGRESS_MIN_BYTES (1 << 20) /* smaller files parse too fast to need a progress line */

static const char usage_text[] =
	"usage: gongzhi tally --rule RULE [options] FILE.pb\n"
	"\n"
	"Counts the ballots of a Pabulib .pb file (FILE '-' reads stdin).\n"
	"\n"
	"rules (exactly as pabutools 1.2.3 computes them, see docs/TALLY.md):\n"
	"  greedy_cost greedy_card greedy_score   greedy by votes / per cost / points per cost\n"
	"  mes_cost mes_card mes_score            Method of Equal Shares\n"
	"  mes_cost_add1                          iterated MES plus greedy completion\n"
	"  phragmen                               sequential Phragmen (approval ballots)\n"
	"  approval                               items passing a threshold, most votes first\n"
	"  borda                                  every project by Borda score (ordinal ballots)\n"
	"  schulze                                every project by the Schulze method\n"
	"\n"
	"options:\n"
	"  --json             print costs, total, budget and per-project explanations as JSON\n"
	"  --threshold N/D    approval: accept with more than N/D of those present (default 1/2)\n"
	"  --at-least         approval: accept with at least N/D instead of more than\n"
	"  --present N        approval: people present (default: number of ballots)\n"
	"  --exclude ID       treat project ID as not compliant (repeatable)\n"
	"  --help             print this help\n"
	"\n"
	"Plain output: one project id per line, in selection order; approval prints the\n"
	"accepted items, borda and schulze the full ranking, best first.\n"
	"Exit status: 0 counted, 2 bad usage, file or rule.\n";

struct tally_args {
	const char *rule_name;
	const char *path;
	bool json;
	struct tally_options options;
	const char **excluded;
	int n_excluded;
};

static int fail_usage(const char *what, const char *arg)
{
	fprintf(stderr, "gongzhi tally: %s%s%s (see --help)\n", what, arg ? " " : "", arg ? arg : "");
	return EXIT_BAD;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_fraction(const char *s, struct tally_threshold *th)
{
	const char *slash = strchr(s, '/');
	char num[32];
	if (!slash || (size_t)(slash - s) >= sizeof(num))
		return false;
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	return parse_u64(num, &th->num) && parse_u64(slash + 1, &th->den) && th->den > 0 && th->num <= th->den;
}

/* Returns -1 when the arguments are fine, else the exit status. */
static int parse_args(int argc, char **argv, struct tally_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(arg, "--json")) {
			a->json = true;
		} else if (!strcmp(arg, "--at-least")) {
			a->options.threshold.strict = false;
		} else if (!strcmp(arg, "--rule") && next) {
			a->rule_name = argv[++i];
		} else if (!strncmp(arg, "--rule=", 7)) {
			a->rule_name = arg + 7;
		} else if (!strcmp(arg, "--threshold") && next) {
			if (!parse_fraction(argv[++i], &a->options.threshold))
				return fail_usage("bad --threshold, want N/D with N <= D:", argv[i]);
		} else if (!strcmp(arg, "--present") && next) {
			if (!parse_u64(argv[++i], &a->options.present))
				return fail_usage("bad --present:", argv[i]);
		} else if (!strcmp(arg, "--exclude") && next) {
			a->excluded[a->n_excluded++] = argv[++i];
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return fail_usage("unknown or incomplete option", arg);
		} else if (a->path) {
			return fail_usage("more than one file:", arg);
		} else {
			a->path = arg;
		}
	}
	if (!a->rule_name)
		return fail_usage("missing --rule", NULL);
	if (!a->path)
		return fail_usage("missing FILE.pb", NULL);
	return -1;
}

/* ------------------------------------------------------------ reading */

struct progress {
	bool on;          /* stderr is a terminal and the file is large */
	uint64_t total;   /* file size, 0 when unknown */
	int last_percent;
};

static void progress_bytes(struct progress *pr, uint64_t done)
{
	if (!pr->on || !pr->total)
		return;
	int percent = (int)(done * 100 / pr->total);
	if (percent != pr->last_percent) {
		fprintf(stderr, "\rreading %d%%", percent);
		pr->last_percent = percent;
	}
}

static void progress_runs(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *pr = ctx;
	(void)total;
	if (pr->on && done % 16 == 0)
		fprintf(stderr, "\rMES runs: %" PRIu64 "   ", done);
}

static void progress_clear(struct progress *pr)
{
	if (pr->on)
		fputs("\r\033[K", stderr);
}

/* Parses the file into e; prints a one-line error and returns false on failure. */
static bool read_election(const char *path, struct tally_election *e, struct progress *pr)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "gongzhi tally: %s: %s\n", path, strerror(errno));
		return false;
	}
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
		pr->total = (uint64_t)sb.st_size;
		pr->on = pr->on && pr->total >= PROGRESS_MIN_BYTES;
	}
	struct tally_pb_parser *parser = tally_pb_parser_new(e);
	char *chunk = malloc(READ_CHUNK);
	bool ok = parser && chunk;
	enum tally_error err = ok ? TALLY_OK : TALLY_ERR_NOMEM;
	uint64_t done = 0;
	size_t got;
	while (ok && (got = fread(chunk, 1, READ_CHUNK, f)) > 0) {
		err = tally_pb_parser_feed(parser, chunk, got);
		done += got;
		progress_bytes(pr, done);
		ok = err == TALLY_OK;
	}
	if (ok && ferror(f)) {
		progress_clear(pr);
		fprintf(stderr, "gongzhi tally: %s: read error\n", path);
		ok = false;
	} else if (ok || err) {
		if (ok)
			err = tally_pb_parser_finish(parser);
		progress_clear(pr);
		if (err) {
			const struct tally_diag *d = parser ? tally_pb_parser_diag(parser) : NULL;
			if (d && d->line)
				fprintf(stderr, "gongzhi tally: %s:%" PRIu64 ": %s\n", path, d->line, d->reason);
			else
				fprintf(stderr, "gongzhi tally: %s: %s\n", path, d && d->reason[0] ? d->reason : tally_strerror(err));
			ok = false;
		}
	}
	free(chunk);
	tally_pb_parser_free(parser);
	if (f != stdin)
		fclose(f);
	return ok;
}

/* ------------------------------------------------------------- output */

static json_t *json_decimal(const mpq_t q)
{
	char buf[256];
	if (tally_decimal_format(q, buf, sizeof(buf)))
		return json_string(buf);
	/* no finite decimal (never for parsed input): give the exact fraction */
	char *s = mpq_get_str(NULL, 10, q);
	json_t *j = json_string(s);
	void (*free_fn)(void *, size_t);
	mp_get_memory_functions(NULL, NULL, &free_fn);
	free_fn(s, strlen(s) + 1);
	return j;
}

/* JSON has no NaN or infinity: those become null. */
static json_t *json_number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_explain(const struct tally_election *e, const struct tally_result *r, size_t p)
{
	const struct tally_item_explain *x = &r->items[p];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(e->projects[p].id));
	json_object_set_new(o, "cost", json_decimal(e->projects[p].cost));
	json_object_set_new(o, "why", json_string(tally_why_code(x->why)));
	json_object_set_new(o, "round", json_integer(x->round));
	json_object_set_new(o, "votes", json_number(x->votes));
	json_object_set_new(o, "support", json_number(x->support));
	json_object_set_new(o, "value", json_number(x->value));
	json_object_set_new(o, "price", json_number(x->price));
	json_object_set_new(o, "amount", json_number(x->amount));
	if (r->scores)
		json_object_set_new(o, "score", json_integer(r->scores[p]));
	if (x->n_rounds) {
		json_t *rounds = json_array();
		for (size_t i = 0; i < x->n_rounds; i++)
			json_array_append_new(rounds, json_number(x->per_round[i]));
		json_object_set_new(o, "per_round", rounds);
	}
	return o;
}

static int print_json(const struct tally_args *a, const struct tally_election *e, const struct tally_result *r)
{
	json_t *o = json_object();
	json_t *selected = json_array();
	for (size_t i = 0; i < r->n_selected; i++)
		json_array_append_new(selected, json_string(e->projects[r->selected[i]].id));
	json_object_set_new(o, "file", json_string(a->path));
	json_object_set_new(o, "rule", json_string(tally_rule_name(r->rule)));
	json_object_set_new(o, "vote_type", json_string(tally_vote_type_name(e->vote_type)));
	json_object_set_new(o, "num_votes", json_integer((json_int_t)e->n_ballots));
	json_object_set_new(o, "num_projects", json_integer((json_int_t)e->n_projects));
	json_object_set_new(o, "budget", e->has_budget ? json_decimal(e->budget) : json_null());
	json_object_set_new(o, "selected", selected);
	json_object_set_new(o, "total_cost", json_decimal(r->total_cost));
	if (r->rule == TALLY_RULE_MES_COST_ADD1)
		json_object_set_new(o, "mes_phase_selected", json_integer((json_int_t)r->n_mes_phase));
	if (r->mes_runs)
		json_object_set_new(o, "mes_runs", json_integer((json_int_t)r->mes_runs));
	json_t *projects = json_array();
	for (size_t p = 0; p < r->n_items; p++)
		json_array_append_new(projects, json_explain(e, r, p));
	json_object_set_new(o, "projects", projects);
	int rc = json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? 0 : 1;
	putchar('\n');
	json_decref(o);
	return rc;
}

static void print_plain(const struct tally_election *e, const struct tally_result *r)
{
	for (size_t i = 0; i < r->n_selected; i++) {
		fputs(e->projects[r->selected[i]].id, stdout);
		putchar('\n');
	}
}

/* ---------------------------------------------------------------- main */

static int count_and_print(struct tally_args *a, enum tally_rule rule, struct tally_election *e,
                           struct progress *pr)
{
	for (int i = 0; i < a->n_excluded; i++) {
		size_t p = tally_election_find_project(e, a->excluded[i], strlen(a->excluded[i]));
		if (p == SIZE_MAX) {
			fprintf(stderr, "gongzhi tally: --exclude %s: no such project\n", a->excluded[i]);
			return EXIT_BAD;
		}
		e->projects[p].excluded = true;
	}
	a->options.explain = a->json;
	a->options.progress = progress_runs;
	a->options.progress_ctx = pr;
	struct tally_result r;
	tally_result_init(&r);
	enum tally_error err = tally_run(e, rule, &a->options, &r);
	progress_clear(pr);
	int rc = 0;
	if (err) {
		fprintf(stderr, "gongzhi tally: %s on %s ballots: %s\n", a->rule_name, tally_vote_type_name(e->vote_type),
		        tally_strerror(err));
		rc = EXIT_BAD;
	} else if (a->json) {
		rc = print_json(a, e, &r);
	} else {
		print_plain(e, &r);
	}
	tally_result_release(&r);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = 1;
	return rc;
}

int cmd_tally(int argc, char **argv)
{
	struct tally_args a;
	memset(&a, 0, sizeof(a));
	tally_options_init(&a.options);
	a.excluded = calloc((size_t)argc + 1, sizeof(char *));
	if (!a.excluded)
		return 1;
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0) {
		free(a.excluded);
		return rc;
	}
	enum tally_rule rule;
	if (!tally_rule_from_name(a.rule_name, &rule)) {
		free(a.excluded);
		return fail_usage("unknown rule", a.rule_name);
	}
	struct progress pr = { isatty(STDERR_FILENO) != 0, 0, -1 };
	struct tally_election e;
	tally_election_init(&e, TALLY_VOTE_APPROVAL);
	rc = read_election(a.path, &e, &pr) ? count_and_print(&a, rule, &e, &pr) : EXIT_BAD;
	tally_election_release(&e);
	free(a.excluded);
	return rc;
}
