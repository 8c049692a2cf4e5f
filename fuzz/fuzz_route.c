/*
 * libFuzzer harness for route_match against the real route table
 * (src/routes/routes.c), with the path as the input.
 *
 * Besides not crashing, a match must explain itself: the pattern with its
 * :name segments replaced by the captured values spells the path exactly,
 * no captured value is empty or holds a '/', and route_match answers the
 * same with or without a request to fill.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "routes/routes.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_ROUTES 4096

static const route *table[MAX_ROUTES];
static size_t table_len;

/* The path the pattern stands for, given its captured values. */
static void rebuild(buf *out, const char *pattern, const char *const params[4])
{
	int k = 0;
	for (const char *p = pattern; *p;) {
		if (p[0] == ':' && p > pattern && p[-1] == '/') {
			CHECK(k < 4 && params[k]);
			buf_adds(out, params[k++]);
			p += strcspn(p, "/");
		} else {
			buf_addch(out, *p++);
		}
	}
	for (; k < 4; k++)
		CHECK(params[k] == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!table_len)
		table_len = routes_all(table, MAX_ROUTES);
	if (size > 4096)
		return 0;
	char *path = malloc(size + 1);
	memcpy(path, data, size);
	path[size] = '\0';   /* the server hands paths over as C strings */

	for (size_t i = 0; i < table_len; i++) {
		request r;
		memset(&r, 0, sizeof(r));
		arena_init(&r.mem);
		bool matched = route_match(table[i]->pattern, path, &r);
		CHECK(matched == route_match(table[i]->pattern, path, NULL));
		if (matched) {
			for (int k = 0; k < 4 && r.route_params[k]; k++)
				CHECK(r.route_params[k][0] && !strchr(r.route_params[k], '/'));
			buf b = BUF_INIT;
			rebuild(&b, table[i]->pattern, r.route_params);
			CHECK(!b.failed && !strcmp(b.data, path));
			buf_release(&b);
		}
		arena_release(&r.mem);
	}
	free(path);
	return 0;
}
