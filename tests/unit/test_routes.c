/*
 * Tests for src/routes: the path matcher (a table of pattern, path and the
 * parameters it must yield) and the shape of the real route table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routes/routes.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ROUTES 4096

typedef struct match_case {
	const char *pattern;
	const char *path;
	bool match;
	const char *params[4];
} match_case;

static const match_case match_cases[] = {
	{ "/", "/", true, { 0 } },
	{ "/", "", false, { 0 } },
	{ "/", "/x", false, { 0 } },
	{ "/needs", "/needs", true, { 0 } },
	{ "/needs", "/needs/", false, { 0 } },          /* trailing slash is another path */
	{ "/needs/", "/needs", false, { 0 } },
	{ "/needs", "/need", false, { 0 } },
	{ "/needs", "/needsx", false, { 0 } },
	{ "/needs", "/NEEDS", false, { 0 } },
	{ "/needs", "needs", false, { 0 } },
	{ "/needs", "//needs", false, { 0 } },
	{ "/needs/new", "/needs/new", true, { 0 } },
	{ "/needs/new", "/needs/news", false, { 0 } },
	{ "/needs/:id", "/needs/42", true, { "42" } },
	{ "/needs/:id", "/needs/new", true, { "new" } },   /* any segment; handlers parse ids */
	{ "/needs/:id", "/needs/", false, { 0 } },          /* empty segment */
	{ "/needs/:id", "/needs", false, { 0 } },
	{ "/needs/:id", "/needs//", false, { 0 } },
	{ "/needs/:id", "/needs/42/", false, { 0 } },
	{ "/needs/:id", "/needs/42/x", false, { 0 } },
	{ "/needs/:id/edit", "/needs/42/edit", true, { "42" } },
	{ "/needs/:id/edit", "/needs//edit", false, { 0 } },
	{ "/needs/:id/edit", "/needs/42/edit/", false, { 0 } },
	{ "/needs/:id/edit", "/needs/42/show", false, { 0 } },
	{ "/needs/:id", "/needs/%E4%B8%AD", true, { "%E4%B8%AD" } },
	{ "/needs/:id", "/needs/中文", true, { "中文" } },
	{ "/m/:a/v/:b", "/m/1/v/2", true, { "1", "2" } },
	{ "/:a/:b/:c/:d", "/1/2/3/4", true, { "1", "2", "3", "4" } },
	{ "/:a/:b/:c/:d/:e", "/1/2/3/4/5", false, { 0 } },  /* more than four parameters */
	{ "/:a/:b/:c/:d/x", "/1/2/3/4/x", true, { "1", "2", "3", "4" } },
	{ "/:a", "/", false, { 0 } },
	{ "/api/meta", "/api/meta?x=1", false, { 0 } },     /* the query is never part of the path */
	{ "", "", true, { 0 } },
	{ "", "/", false, { 0 } },
};

static void test_route_match_table(void **state)
{
	for (size_t i = 0; i < COUNT(match_cases); i++) {
		const match_case *c = &match_cases[i];
		request r;
		memset(&r, 0, sizeof(r));
		arena_init(&r.mem);
		bool got = route_match(c->pattern, c->path, &r);
		if (got != c->match)
			fail_msg("route_match(\"%s\", \"%s\") should be %s", c->pattern, c->path, c->match ? "true" : "false");
		/* Without a request the answer is the same. */
		assert_int_equal(route_match(c->pattern, c->path, NULL), got);
		if (got)
			for (int p = 0; p < 4; p++) {
				if (!c->params[p]) {
					assert_null(r.route_params[p]);
					continue;
				}
				assert_non_null(r.route_params[p]);
				assert_string_equal(r.route_params[p], c->params[p]);
			}
		arena_release(&r.mem);
	}
}

static size_t all_routes(const route **table)
{
	size_t n = routes_all(table, MAX_ROUTES);
	assert_true(n > 0);
	assert_true(n < MAX_ROUTES);
	return n;
}

static int param_count(const char *pattern)
{
	int n = 0;
	for (const char *p = pattern; (p = strstr(p, "/:")); p += 2)
		n++;
	return n;
}

static const char *method_name(http_method m)
{
	return m == HTTP_GET ? "GET" : m == HTTP_POST ? "POST" : m == HTTP_HEAD ? "HEAD" : "OTHER";
}

static void test_route_table_has_no_duplicates(void **state)
{
	static const route *table[MAX_ROUTES];
	size_t n = all_routes(table);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (table[i]->method == table[j]->method && !strcmp(table[i]->pattern, table[j]->pattern))
				fail_msg("%s %s is in the route table twice", method_name(table[i]->method), table[i]->pattern);
}

static void test_route_table_shape(void **state)
{
	static const route *table[MAX_ROUTES];
	size_t n = all_routes(table);
	for (size_t i = 0; i < n; i++) {
		const route *rt = table[i];
		if (rt->pattern[0] != '/')
			fail_msg("route \"%s\" does not start with /", rt->pattern);
		if (!rt->handler)
			fail_msg("route %s has no handler", rt->pattern);
		if (rt->method != HTTP_GET && rt->method != HTTP_POST)
			fail_msg("route %s: only GET and POST are routed", rt->pattern);
		if (param_count(rt->pattern) > 4)
			fail_msg("route %s has more than four :parameters", rt->pattern);
		/* A POST changes state: it takes the database and the writer,
		 * which may block, so it must never run on the I/O thread. */
		if (rt->method == HTTP_POST && (rt->flags & ROUTE_INLINE))
			fail_msg("POST %s is marked ROUTE_INLINE", rt->pattern);
		/* An inline route never blocks, so it cannot take a database connection. */
		if ((rt->flags & ROUTE_INLINE) && !(rt->flags & ROUTE_NO_DB))
			fail_msg("%s is ROUTE_INLINE but uses the database", rt->pattern);
		/* Every route's own pattern reaches it. */
		char path[512];
		size_t k = 0;
		for (const char *p = rt->pattern; *p && k < sizeof(path) - 4; p++) {
			if (*p == ':') {
				path[k++] = '7';
				p += strcspn(p, "/") - 1;
			} else {
				path[k++] = *p;
			}
		}
		path[k] = '\0';
		if (!route_match(rt->pattern, path, NULL))
			fail_msg("route %s does not match its own path %s", rt->pattern, path);
		/* API routes live under /api/ and pages do not. */
		bool under_api = !strncmp(rt->pattern, "/api/", 5);
		if (under_api != ((rt->flags & ROUTE_API) != 0))
			fail_msg("route %s: ROUTE_API must be set exactly for /api/ paths", rt->pattern);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_match_table),
		cmocka_unit_test(test_route_table_has_no_duplicates),
		cmocka_unit_test(test_route_table_shape),
	};
	return cmocka_run_group_tests_name("routes", tests, NULL, NULL);
}
