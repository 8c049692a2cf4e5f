/*
 * gongzhi routes: the route table as JSON lines, one route a line:
 *
 *     {"method": "POST", "pattern": "/admin/units/:id", "flags": ["login"]}
 *
 * Not listed in `gongzhi help`: it exists for the authorization matrix test
 * (tests/http/authz-matrix.test.mjs), which walks every route so that a new
 * route cannot escape it.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "routes/routes.h"

#define ROUTES_MAX 1024

static const char *method_text(http_method m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_HEAD: return "HEAD";
	case HTTP_POST: return "POST";
	default: return "OTHER";
	}
}

static const struct {
	unsigned bit;
	const char *name;
} flag_names[] = {
	{ ROUTE_LOGIN, "login" },
	{ ROUTE_INLINE, "inline" },
	{ ROUTE_API, "api" },
	{ ROUTE_NO_DB, "no_db" },
};

int cmd_routes(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "usage: gongzhi routes (prints the route table as JSON lines)\n");
		return strcmp(argv[1], "--help") ? 2 : 0;
	}
	static const route *all[ROUTES_MAX];
	size_t n = routes_all(all, ROUTES_MAX);
	if (n >= ROUTES_MAX) {
		fprintf(stderr, "gongzhi routes: more than %d routes; raise ROUTES_MAX\n", ROUTES_MAX - 1);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *flags = json_array();
		for (size_t f = 0; f < sizeof(flag_names) / sizeof(flag_names[0]); f++)
			if (all[i]->flags & flag_names[f].bit)
				json_array_append_new(flags, json_string(flag_names[f].name));
		json_t *line = json_pack("{s:s, s:s, s:o}", "method", method_text(all[i]->method), "pattern",
					 all[i]->pattern, "flags", flags);
		char *text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(line);
		if (!text) {
			fprintf(stderr, "gongzhi routes: out of memory\n");
			return 1;
		}
		puts(text);
		free(text);
	}
	return fflush(stdout) ? 1 : 0;
}
