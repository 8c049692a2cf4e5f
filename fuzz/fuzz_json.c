/*
 * libFuzzer harness for JSON request bodies: jansson's json_loadb on inputs
 * up to the size an API request may have, with the flags the API will use.
 *
 * No API endpoint reads a JSON body yet (src/api has only GET endpoints), so
 * there is no project validator to call after parsing; when one is added,
 * call it here on every parsed document.  Until then the harness checks
 * what the API will rely on: every parsed string is well-formed UTF-8
 * without NUL, nesting stays bounded, and a parsed document survives a
 * dump and reload unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* A request body larger than this is refused before parsing (413). */
#define API_BODY_MAX (64 * 1024)
#define DEPTH_MAX 2048   /* jansson's own JSON_PARSER_MAX_DEPTH */

static void check_value(const json_t *v, int depth)
{
	CHECK(depth <= DEPTH_MAX + 1);
	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		CHECK(strlen(s) == len);   /* no NUL: JSON_ALLOW_NUL is not used */
		CHECK(text_utf8_valid(s, len));
		break;
	}
	case JSON_OBJECT: {
		const char *key;
		json_t *child;
		json_object_foreach((json_t *)v, key, child) {
			CHECK(text_utf8_valid(key, strlen(key)));
			check_value(child, depth + 1);
		}
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *child;
		json_array_foreach(v, i, child)
			check_value(child, depth + 1);
		break;
	}
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > API_BODY_MAX)
		return 0;
	json_error_t error;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
	if (!doc) {
		CHECK(strlen(error.text) > 0);
		return 0;
	}
	check_value(doc, 0);
	char *text = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	CHECK(text != NULL);
	json_t *again = json_loads(text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &error);
	CHECK(again != NULL);
	CHECK(json_equal(doc, again));
	json_decref(again);
	free(text);
	json_decref(doc);
	return 0;
}
