/*
 * libFuzzer harness for application/x-www-form-urlencoded decoding
 * (src/http/form.c), the decoder every POST form and query body goes through.
 *
 * Besides not crashing, a decoded body must keep the promises of form.h:
 * every key and value is clean UTF-8 with no NUL, value_len is the value's
 * length, there are at most FORM_MAX_FIELDS fields, and decoding is
 * deterministic.  url_decode never writes more bytes than it reads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_fields(const kv_list *l)
{
	CHECK(l->count <= FORM_MAX_FIELDS);
	for (size_t i = 0; i < l->count; i++) {
		const kv *f = &l->items[i];
		CHECK(utf8_is_clean_text(f->key, strlen(f->key)));
		CHECK(strlen(f->value) == f->value_len);
		CHECK(f->value_len <= FORM_MAX_VALUE);
		CHECK(utf8_is_clean_text(f->value, f->value_len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	arena a = ARENA_INIT;

	kv_list first = { 0 };
	gz_err rc = form_decode_urlencoded(&a, s, size, &first);
	CHECK(rc == GZ_OK || rc == GZ_EINVAL || rc == GZ_ETOOBIG);
	if (rc == GZ_OK) {
		check_fields(&first);
		kv_list again = { 0 };
		CHECK(form_decode_urlencoded(&a, s, size, &again) == GZ_OK);
		CHECK(again.count == first.count);
		for (size_t i = 0; i < first.count; i++) {
			CHECK(!strcmp(first.items[i].key, again.items[i].key));
			CHECK(first.items[i].value_len == again.items[i].value_len);
			CHECK(!memcmp(first.items[i].value, again.items[i].value, first.items[i].value_len));
		}
	}

	for (int plus = 0; plus < 2; plus++) {
		size_t out_len = 0;
		char *out = url_decode(&a, s, size, plus, &out_len);
		if (out) {
			CHECK(out_len <= size);
			CHECK(out[out_len] == '\0');
			if (!memchr(s, '%', size) && !plus)
				CHECK(out_len == size && !memcmp(out, s, size));
		}
	}
	arena_release(&a);
	return 0;
}
