/*
 * test_tally.c - table-driven unit tests of the tally engine: each rule on
 * small hand-made cases with known answers, the parser on good and broken
 * input, the writer by round trip, and the floating-point MES filter
 * against the all-rational path on random profiles.
 */
#include "tally/tally.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ------------------------------------------------------------ builders */

/*
 * Builds an election from a compact text:
 *   projects "id:cost id:cost ..."
 *   ballots  "a,b|c|" - '|' separates ballots (an empty one counts),
 *            "a=2,b=1" gives points; "3*a,b" repeats a ballot 3 times.
 */
static void build(struct tally_election *e, enum tally_vote_type type, const char *budget, const char *projects,
                  const char *ballots)
{
	tally_election_init(e, type);
	assert_int_equal(tally_election_set_budget(e, budget), TALLY_OK);
	char *copy = strdup(projects), *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(tok, ':');
		assert_non_null(colon);
		*colon = '\0';
		assert_int_equal(tally_election_add_project(e, tok, colon + 1, NULL), TALLY_OK);
	}
	free(copy);
	copy = strdup(ballots);
	char *rest = copy;
	for (;;) {
		char *bar = strchr(rest, '|');
		if (bar)
			*bar = '\0';
		long repeat = 1;
		char *star = strchr(rest, '*');
		if (star) {
			repeat = strtol(rest, NULL, 10);
			rest = star + 1;
		}
		uint32_t ids[64];
		int64_t points[64];
		size_t n = 0;
		char *save2 = NULL;
		for (char *item = strtok_r(rest, ",", &save2); item; item = strtok_r(NULL, ",", &save2)) {
			char *eq = strchr(item, '=');
			if (eq)
				*eq = '\0';
			size_t p = tally_election_find_project(e, item, strlen(item));
			assert_true(p != SIZE_MAX);
			ids[n] = (uint32_t)p;
			points[n] = eq ? strtoll(eq + 1, NULL, 10) : 1;
			n++;
		}
		for (long r = 0; r < repeat; r++)
			assert_int_equal(tally_election_add_ballot(e, n, ids, points), TALLY_OK);
		if (!bar)
			break;
		rest = bar + 1;
	}
	free(copy);
}

/* "a b c" from a result. */
static void selection_text(const struct tally_election *e, const struct tally_result *r, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->n_selected && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "", e->projects[r->selected[i]].id);
}

/* ------------------------------------------------------------ rule table */

struct rule_case {
	const char *name;
	enum tally_vote_type type;
	enum tally_rule rule;
	const char *budget;
	const char *projects;
	const char *ballots;
	const char *expected;
};

static const struct rule_case rule_cases[] = {
	/* greedy */
	{ "greedy_cost ties go to the smaller id as bytes: 10 < 11 < 9", TALLY_VOTE_APPROVAL, TALLY_RULE_GREEDY_COST,
	  "200", "9:100 10:100 11:100", "9,10,11", "10 11" },
	{ "greedy_cost most votes first, skips what does not fit", TALLY_VOTE_APPROVAL, TALLY_RULE_GREEDY_COST,
	  "100", "a:80 b:30 c:20", "3*a|2*b|c", "a c" },
	{ "greedy_card votes per cost", TALLY_VOTE_APPROVAL, TALLY_RULE_GREEDY_CARD,
	  "120", "a:100 b:50 c:60", "a|a|b|c,b", "b c" },
	{ "greedy takes unsupported projects last if they fit", TALLY_VOTE_APPROVAL, TALLY_RULE_GREEDY_COST,
	  "20", "a:10 z:5", "a", "a z" },
	{ "greedy_score points per cost", TALLY_VOTE_CUMULATIVE, TALLY_RULE_GREEDY_SCORE,
	  "100", "a:50 b:50 c:10", "a=3,b=1|a=1,b=4|c=1", "b c" },
	{ "greedy_score Borda: the last ranked gets 0", TALLY_VOTE_ORDINAL, TALLY_RULE_GREEDY_SCORE,
	  "10", "a:10 b:10", "b,a|b,a|a,b", "b" },
	/* MES, worked by hand in docs/TALLY.md: voters hold 30 each */
	{ "mes_card: E at 12, then F with v1 capped at 18, the others 21", TALLY_VOTE_APPROVAL, TALLY_RULE_MES_CARD,
	  "90", "E:12 F:60", "E,F|F|F", "E F" },
	{ "mes_cost: F at rho 1/3 first, then E is short", TALLY_VOTE_APPROVAL, TALLY_RULE_MES_COST,
	  "90", "E:12 F:60", "E,F|F|F", "F" },
	{ "mes ties go to the smaller id: 10 before 9", TALLY_VOTE_APPROVAL, TALLY_RULE_MES_CARD,
	  "20", "9:10 10:10", "9,10|9,10", "10 9" },
	{ "mes empty ballots count in n", TALLY_VOTE_APPROVAL, TALLY_RULE_MES_COST,
	  "40", "a:20", "a||", "" },
	{ "mes_score cumulative points", TALLY_VOTE_CUMULATIVE, TALLY_RULE_MES_SCORE,
	  "90", "a:30 b:30 c:30", "a=2,b=1|a=2,c=1|b=1", "a b" },
	{ "mes_cost_add1 raises budgets, then completes greedily", TALLY_VOTE_APPROVAL, TALLY_RULE_MES_COST_ADD1,
	  "90", "E:12 F:60 G:10", "E,F|F|F", "F E G" },
	/* Phragmen */
	{ "phragmen ties by id, all fit", TALLY_VOTE_APPROVAL, TALLY_RULE_PHRAGMEN,
	  "3", "a:1 b:1 c:1", "2*a,b|c", "a b c" },
	{ "phragmen halts at the first tie that does not fit", TALLY_VOTE_APPROVAL, TALLY_RULE_PHRAGMEN,
	  "1.5", "a:1 b:1 c:1", "2*a,b|c", "a" },
	/* screening and ranking */
	{ "approval: more than half of those present", TALLY_VOTE_APPROVAL, TALLY_RULE_APPROVAL,
	  "0", "a:1 b:1 c:1", "a,c|a,c|a,b,c|b,c|c", "c a" },
	{ "borda: L-1-k points", TALLY_VOTE_ORDINAL, TALLY_RULE_BORDA,
	  "0", "a:1 b:1 c:1", "2*a,b,c|c,b,a", "a b c" },
	{ "schulze: Wikipedia's 45-voter example", TALLY_VOTE_ORDINAL, TALLY_RULE_SCHULZE, "0", "A:1 B:1 C:1 D:1 E:1",
	  "5*A,C,B,E,D|5*A,D,E,C,B|8*B,E,D,A,C|3*C,A,B,E,D|7*C,A,E,B,D|2*C,B,A,D,E|7*D,C,E,B,A|8*E,B,A,D,C",
	  "E A C B D" },
	{ "schulze: a perfect tie goes to the smaller id", TALLY_VOTE_ORDINAL, TALLY_RULE_SCHULZE,
	  "0", "9:1 10:1", "9,10|10,9", "10 9" },
	{ "schulze: Condorcet cycle a>b>c>a broken by strength", TALLY_VOTE_ORDINAL, TALLY_RULE_SCHULZE,
	  "0", "a:1 b:1 c:1", "4*a,b,c|3*b,c,a|2*c,a,b", "a b c" },
	{ "schulze on approval ballots", TALLY_VOTE_APPROVAL, TALLY_RULE_SCHULZE,
	  "0", "x:1 y:1 z:1", "x,y|x|z|x,z", "x z y" },
};

static void test_rule_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct tally_election e;
		struct tally_result r;
		char got[512];
		build(&e, c->type, c->budget, c->projects, c->ballots);
		for (int explain = 0; explain < 2; explain++) {
			struct tally_options opt;
			tally_options_init(&opt);
			opt.explain = explain;
			tally_result_init(&r);
			enum tally_error err = tally_run(&e, c->rule, &opt, &r);
			if (err)
				fail_msg("%s: %s", c->name, tally_strerror(err));
			selection_text(&e, &r, got, sizeof(got));
			if (strcmp(got, c->expected) != 0)
				fail_msg("%s (explain=%d): expected '%s', got '%s'", c->name, explain, c->expected, got);
			tally_result_release(&r);
		}
		tally_election_release(&e);
	}
}

/* The hand-computed MES rounds: prices and explanation codes. */
static void test_mes_explanations(void **state)
{
	(void)state;
	struct tally_election e;
	struct tally_result r;
	struct tally_options opt;
	build(&e, TALLY_VOTE_APPROVAL, "90", "E:12 F:60 G:50", "E,F|F|F,G");
	tally_options_init(&opt);
	opt.explain = true;
	tally_result_init(&r);
	assert_int_equal(tally_run(&e, TALLY_RULE_MES_CARD, &opt, &r), TALLY_OK);
	/* round 1: E costs its only supporter 12; round 2: v1 has 18 < 20, so v2, v3 pay 21 */
	assert_int_equal(r.items[0].why, TALLY_WHY_SELECTED);
	assert_int_equal(r.items[0].round, 1);
	assert_true(fabs(r.items[0].price - 12) < 1e-9);
	assert_int_equal(r.items[1].why, TALLY_WHY_SELECTED);
	assert_int_equal(r.items[1].round, 2);
	assert_true(fabs(r.items[1].price - 21) < 1e-9);
	/* G: its only supporter holds 30 < 50 from the start */
	assert_int_equal(r.items[2].why, TALLY_WHY_SUPPORTERS_SHORT);
	assert_int_equal(r.items[2].round, 1);
	assert_true(fabs(r.items[2].amount - 30) < 1e-9);
	assert_string_equal(tally_why_code(r.items[2].why), "supporters_short");
	tally_result_release(&r);

	/* greedy: over budget with the money left */
	tally_result_init(&r);
	assert_int_equal(tally_run(&e, TALLY_RULE_GREEDY_COST, &opt, &r), TALLY_OK);
	assert_int_equal(r.items[2].why, TALLY_WHY_OVER_BUDGET);
	assert_true(fabs(r.items[2].amount - 18) < 1e-9);
	tally_result_release(&r);

	/* not compliant: excluded before counting */
	e.projects[1].excluded = true;
	tally_result_init(&r);
	assert_int_equal(tally_run(&e, TALLY_RULE_MES_CARD, &opt, &r), TALLY_OK);
	assert_int_equal(r.items[1].why, TALLY_WHY_NOT_COMPLIANT);
	for (size_t i = 0; i < r.n_selected; i++)
		assert_int_not_equal(r.selected[i], 1);
	tally_result_release(&r);
	tally_election_release(&e);
}

static void test_not_applicable(void **state)
{
	(void)state;
	struct tally_election e;
	struct tally_result r;
	build(&e, TALLY_VOTE_CUMULATIVE, "10", "a:1", "a=1");
	tally_result_init(&r);
	assert_int_equal(tally_run(&e, TALLY_RULE_PHRAGMEN, NULL, &r), TALLY_ERR_NOT_APPLICABLE);
	assert_int_equal(tally_run(&e, TALLY_RULE_BORDA, NULL, &r), TALLY_ERR_NOT_APPLICABLE);
	tally_result_release(&r);
	tally_election_release(&e);
	build(&e, TALLY_VOTE_APPROVAL, "10", "a:1", "a");
	tally_result_init(&r);
	assert_int_equal(tally_run(&e, TALLY_RULE_MES_SCORE, NULL, &r), TALLY_ERR_NOT_APPLICABLE);
	tally_result_release(&r);
	tally_election_release(&e);
}

/* ------------------------------------------------------------ hands */

struct hands_case {
	const char *name;
	struct tally_hands hands[3];
	uint64_t present;
	struct tally_threshold threshold;
	enum tally_error err;
	const char *expected; /* accepted indexes */
};

static const struct hands_case hands_cases[] = {
	{ "more than half of 10", { { 6, 3, 1 }, { 5, 5, 0 }, { 9, 0, 0 } }, 10, { 1, 2, true }, TALLY_OK, "2 0" },
	{ "at least half of 10", { { 6, 3, 1 }, { 5, 5, 0 }, { 1, 0, 0 } }, 10, { 1, 2, false }, TALLY_OK, "0 1" },
	{ "two thirds of the hands raised", { { 2, 1, 0 }, { 3, 1, 0 }, { 0, 0, 0 } }, 0, { 2, 3, false }, TALLY_OK,
	  "1 0" },
	{ "more hands than people", { { 6, 6, 0 }, { 0, 0, 0 }, { 0, 0, 0 } }, 10, { 1, 2, true }, TALLY_ERR_INVALID,
	  "" },
};

static void test_hands(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hands_cases) / sizeof(hands_cases[0]); i++) {
		const struct hands_case *c = &hands_cases[i];
		struct tally_result r;
		tally_result_init(&r);
		assert_int_equal(tally_hands_count(c->hands, 3, c->present, c->threshold, true, &r), c->err);
		char got[64] = "";
		size_t o = 0;
		for (size_t k = 0; k < r.n_selected; k++)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%u", k ? " " : "", r.selected[k]);
		if (strcmp(got, c->expected))
			fail_msg("%s: expected '%s', got '%s'", c->name, c->expected, got);
		tally_result_release(&r);
	}
}

/* ------------------------------------------------------------ parser */

#define GOOD_HEAD "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n"

struct parse_case {
	const char *name;
	const char *input;
	size_t len; /* 0: strlen */
	enum tally_error err;
	uint64_t line;
	size_t projects, ballots;
};

static const struct parse_case parse_cases[] = {
	{ "minimal", GOOD_HEAD "1;10;x\nVOTES\nvoter_id;vote\n1;1\n2;\n", 0, TALLY_OK, 0, 1, 2 },
	{ "BOM and CRLF", "\xef\xbb\xbf" "META\r\nkey;value\r\nbudget;1,5\r\nvote_type;approval\r\nPROJECTS\r\n"
	  "project_id;cost\r\n1;1\r\nVOTES\r\nvoter_id;vote\r\n1;1\r\n", 0, TALLY_OK, 0, 1, 1 },
	{ "quoted name with ; and quotes", GOOD_HEAD "1;10;\"a;b \"\"c\"\"\"\n2;5;\"two\nlines\"\nVOTES\nvoter_id;vote\n"
	  "1;1,2\n", 0, TALLY_OK, 0, 2, 1 },
	{ "repeats collapse, empty items skipped", GOOD_HEAD "1;10;x\nVOTES\nvoter_id;vote\n1;1,,1\n", 0, TALLY_OK, 0,
	  1, 1 },
	{ "None vote is an empty ballot", GOOD_HEAD "1;10;x\nVOTES\nvoter_id;vote\n1;None\n", 0, TALLY_OK, 0, 1, 1 },
	{ "unknown project", GOOD_HEAD "1;10;x\nVOTES\nvoter_id;vote\n1;2\n", 0, TALLY_ERR_UNKNOWN_PROJECT, 10, 0, 0 },
	{ "bad cost", GOOD_HEAD "1;ten;x\n", 0, TALLY_ERR_NUMBER, 7, 0, 0 },
	{ "negative cost", GOOD_HEAD "1;-5;x\n", 0, TALLY_ERR_NUMBER, 7, 0, 0 },
	{ "duplicate project", GOOD_HEAD "1;10;x\n1;12;y\n", 0, TALLY_ERR_DUPLICATE_PROJECT, 8, 0, 0 },
	{ "unterminated quote", GOOD_HEAD "1;10;\"x\n\nVOTES\n", 0, TALLY_ERR_SYNTAX, 7, 0, 0 },
	{ "NUL byte", GOOD_HEAD "1;1\0;x\n", sizeof(GOOD_HEAD "1;1\0;x\n") - 1, TALLY_ERR_SYNTAX, 7, 0, 0 },
	{ "votes before projects", "META\nkey;value\nbudget;1\nvote_type;approval\nVOTES\n", 0, TALLY_ERR_SECTION, 5, 0,
	  0 },
	{ "data before META", "hello\n", 0, TALLY_ERR_SECTION, 1, 0, 0 },
	{ "no budget", "META\nkey;value\nvote_type;approval\nPROJECTS\nid;cost\n", 0, TALLY_ERR_META, 5, 0, 0 },
	{ "unknown vote type", "META\nkey;value\nvote_type;plurality\n", 0, TALLY_ERR_META, 3, 0, 0 },
	{ "no cost column", "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nid;price\n", 0, TALLY_ERR_FIELD,
	  6, 0, 0 },
	{ "no VOTES section", GOOD_HEAD "1;10;x\n", 0, TALLY_ERR_SECTION, 0, 0, 0 },
	{ "row wider than header", GOOD_HEAD "1;10;x;extra\n", 0, TALLY_ERR_FIELD, 7, 0, 0 },
	{ "points missing", "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nid;cost\n1;1\n2;1\nVOTES\n"
	  "voter_id;vote;points\n1;1,2;3\n", 0, TALLY_ERR_FIELD, 11, 0, 0 },
	{ "points with decimals", "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nid;cost\n1;1\n2;1\n"
	  "VOTES\nvoter_id;vote;points\n1;1,2;3,0.25\n2;2;1.5\n", 0, TALLY_OK, 0, 2, 2 },
	{ "empty input", "", 0, TALLY_ERR_SECTION, 0, 0, 0 },
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		size_t len = c->len ? c->len : strlen(c->input);
		struct tally_election e;
		struct tally_diag diag;
		tally_election_init(&e, TALLY_VOTE_APPROVAL);
		enum tally_error err = tally_pb_parse(&e, c->input, len, &diag);
		if (err != c->err)
			fail_msg("%s: expected %s, got %s (%s)", c->name, tally_strerror(c->err), tally_strerror(err),
			         diag.reason);
		if (c->line && diag.line != c->line)
			fail_msg("%s: expected line %llu, got %llu (%s)", c->name, (unsigned long long)c->line,
			         (unsigned long long)diag.line, diag.reason);
		if (!err) {
			assert_int_equal(e.n_projects, c->projects);
			assert_int_equal(e.n_ballots, c->ballots);
		} else {
			assert_true(diag.reason[0] != '\0');
		}
		tally_election_release(&e);
	}
}

/* Feeding one byte at a time gives the same election as one buffer. */
static void test_parse_chunks(void **state)
{
	(void)state;
	static const char text[] = "\xef\xbb\xbfMETA\r\nkey;value\r\nbudget;100\r\nvote_type;ordinal\r\nPROJECTS\r\n"
	                           "project_id;cost\r\n1;10\r\n2;20\r\nVOTES\r\nvoter_id;vote\r\n1;2,1\r\n2;1\r";
	struct tally_election whole, bytes;
	tally_election_init(&whole, TALLY_VOTE_APPROVAL);
	tally_election_init(&bytes, TALLY_VOTE_APPROVAL);
	assert_int_equal(tally_pb_parse(&whole, text, sizeof(text) - 1, NULL), TALLY_OK);
	struct tally_pb_parser *p = tally_pb_parser_new(&bytes);
	for (size_t i = 0; i + 1 < sizeof(text); i++)
		assert_int_equal(tally_pb_parser_feed(p, text + i, 1), TALLY_OK);
	assert_int_equal(tally_pb_parser_finish(p), TALLY_OK);
	tally_pb_parser_free(p);
	assert_int_equal(whole.vote_type, TALLY_VOTE_ORDINAL);
	assert_int_equal(bytes.n_ballots, 2);
	assert_int_equal(whole.n_items, bytes.n_items);
	assert_memory_equal(whole.item_project, bytes.item_project, whole.n_items * sizeof(uint32_t));
	assert_int_equal(bytes.item_project[0], 1); /* ranking order kept */
	tally_election_release(&whole);
	tally_election_release(&bytes);
}

/* ------------------------------------------------------------ writer */

struct sink {
	char *buf;
	size_t len, cap;
};

static int sink_write(void *ctx, const void *data, size_t len)
{
	struct sink *s = ctx;
	if (s->len + len > s->cap) {
		s->cap = (s->len + len) * 2;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	return 0;
}

static void test_write_round_trip(void **state)
{
	(void)state;
	static const char text[] = "META\nkey;value\ndescription;\"a;b\"\nbudget;2828094.61\nvote_type;cumulative\n"
	                           "PROJECTS\nproject_id;cost;name\nL1;100.5;\"x \"\"y\"\"\"\nL031;7;None\n"
	                           "VOTES\nvoter_id;vote;points\n1;L1,L031;2,0.125\n2;;\n3;L031;4\n";
	struct tally_election a, b;
	struct sink out = { NULL, 0, 0 };
	tally_election_init(&a, TALLY_VOTE_APPROVAL);
	tally_election_init(&b, TALLY_VOTE_APPROVAL);
	assert_int_equal(tally_pb_parse(&a, text, sizeof(text) - 1, NULL), TALLY_OK);
	assert_int_equal(tally_pb_write(&a, sink_write, &out), TALLY_OK);
	struct tally_diag diag;
	if (tally_pb_parse(&b, out.buf, out.len, &diag))
		fail_msg("re-read: line %llu: %s", (unsigned long long)diag.line, diag.reason);
	assert_true(mpq_equal(a.budget, b.budget));
	assert_int_equal(a.n_projects, b.n_projects);
	for (size_t p = 0; p < a.n_projects; p++) {
		assert_string_equal(a.projects[p].id, b.projects[p].id);
		assert_true(mpq_equal(a.projects[p].cost, b.projects[p].cost));
	}
	assert_string_equal(b.projects[0].extra[0], "x \"y\"");
	assert_int_equal(a.n_ballots, b.n_ballots);
	assert_int_equal(a.points_decimals, b.points_decimals);
	assert_memory_equal(a.ballot_start, b.ballot_start, (a.n_ballots + 1) * sizeof(size_t));
	assert_memory_equal(a.item_project, b.item_project, a.n_items * sizeof(uint32_t));
	assert_memory_equal(a.item_points, b.item_points, a.n_items * sizeof(int64_t));
	free(out.buf);
	tally_election_release(&a);
	tally_election_release(&b);
}

static int failing_write(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return -1;
}

static void test_write_errors(void **state)
{
	(void)state;
	struct tally_election e;
	build(&e, TALLY_VOTE_APPROVAL, "10", "a:1", "a");
	assert_int_equal(tally_pb_write(&e, failing_write, NULL), TALLY_ERR_WRITE);
	tally_election_release(&e);
	build(&e, TALLY_VOTE_APPROVAL, "10", "a,b:1", "");
	assert_int_equal(tally_pb_write(&e, failing_write, NULL), TALLY_ERR_INVALID);
	tally_election_release(&e);
}

static void test_decimals(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = { { "0", "0" }, { "120000.0", "120000" }, { "2828094.61", "2828094.61" }, { "0,5", "0.5" },
		      { ".25", "0.25" }, { "007", "7" }, { "+3", "3" } };
	static const char *const bad[] = { "", "-1", "1e5", "1.2.3", "abc", "+", "." };
	mpq_t q;
	mpq_init(q);
	char buf[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(tally_decimal_parse(q, cases[i].in, strlen(cases[i].in)));
		assert_true(tally_decimal_format(q, buf, sizeof(buf)) > 0);
		assert_string_equal(buf, cases[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(tally_decimal_parse(q, bad[i], strlen(bad[i])));
	mpq_set_ui(q, 1, 3);
	assert_int_equal(tally_decimal_format(q, buf, sizeof(buf)), 0);
	mpq_clear(q);
}

/* ------------------------------------------- float filter vs rationals */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % bound);
}

/* Random small profiles with many equal costs and equal ballots, so ties abound. */
static void random_election(struct tally_election *e, enum tally_vote_type type)
{
	char id[16], cost[16], budget[16];
	uint32_t m = 2 + rng(10), n = 1 + rng(40);
	snprintf(budget, sizeof(budget), "%u", 10 + rng(200));
	tally_election_init(e, type);
	assert_int_equal(tally_election_set_budget(e, budget), TALLY_OK);
	for (uint32_t p = 0; p < m; p++) {
		snprintf(id, sizeof(id), "%u", p + 8); /* 8, 9, 10, 11: byte order differs from numeric */
		snprintf(cost, sizeof(cost), "%u", 1 + rng(4) * 10 + (rng(3) == 0 ? rng(7) : 0));
		assert_int_equal(tally_election_add_project(e, id, cost, NULL), TALLY_OK);
	}
	for (uint32_t v = 0; v < n; v++) {
		uint32_t ids[16];
		int64_t pts[16];
		size_t k = 0;
		for (uint32_t p = 0; p < m; p++)
			if (rng(3) == 0) {
				ids[k] = p;
				pts[k++] = 1 + rng(3);
			}
		assert_int_equal(tally_election_add_ballot(e, k, ids, pts), TALLY_OK);
	}
}

static void test_mes_filter_matches_rationals(void **state)
{
	(void)state;
	static const enum tally_rule rules[] = { TALLY_RULE_MES_COST, TALLY_RULE_MES_CARD, TALLY_RULE_MES_SCORE,
		                                 TALLY_RULE_MES_COST_ADD1 };
	for (int iter = 0; iter < 400; iter++) {
		struct tally_election e;
		random_election(&e, iter % 2 ? TALLY_VOTE_CUMULATIVE : TALLY_VOTE_ORDINAL);
		for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			struct tally_options fast, exact;
			struct tally_result a, b;
			tally_options_init(&fast);
			tally_options_init(&exact);
			exact.exact = true;
			fast.explain = iter % 3 == 0;
			tally_result_init(&a);
			tally_result_init(&b);
			assert_int_equal(tally_run(&e, rules[r], &fast, &a), TALLY_OK);
			assert_int_equal(tally_run(&e, rules[r], &exact, &b), TALLY_OK);
			assert_int_equal(a.n_selected, b.n_selected);
			assert_memory_equal(a.selected, b.selected, a.n_selected * sizeof(uint32_t));
			assert_true(mpq_cmp(a.total_cost, e.budget) <= 0);
			tally_result_release(&a);
			tally_result_release(&b);
		}
		tally_election_release(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_mes_explanations),
		cmocka_unit_test(test_not_applicable),
		cmocka_unit_test(test_hands),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_chunks),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_mes_filter_matches_rationals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
