/*
 * libFuzzer harness for multipart/form-data decoding (src/http/form.c).
 *
 * Input layout: the first line (up to '\n', at most 200 bytes) is the
 * Content-Type header; the rest is the body.  Inputs without a newline use
 * "multipart/form-data; boundary=XyZ" and the whole input as the body.
 *
 * Besides not crashing (ASan checks every upload lies inside the arena),
 * a decoded body must keep form.h's promises: text fields are clean UTF-8
 * without NUL, field names and filenames are clean, and there are at most
 * FORM_MAX_FIELDS parts.  File contents may be anything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static bool clean(const char *s)
{
	return s && utf8_is_clean_text(s, strlen(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char content_type[201] = "multipart/form-data; boundary=XyZ";
	const uint8_t *nl = memchr(data, '\n', size < 201 ? size : 201);
	const uint8_t *body = data;
	if (nl) {
		size_t n = (size_t)(nl - data);
		memcpy(content_type, data, n);
		content_type[n] = '\0';
		body = nl + 1;
	}
	size_t body_len = size - (size_t)(body - data);

	/* A copy of exactly body_len bytes, so ASan sees any read past the end. */
	uint8_t *copy = malloc(body_len ? body_len : 1);
	if (body_len)
		memcpy(copy, body, body_len);

	arena a = ARENA_INIT;
	kv_list fields = { 0 };
	upload *files = NULL;
	size_t nfiles = 0;
	gz_err rc = form_decode_multipart(&a, content_type, copy, body_len, &fields, &files, &nfiles);
	CHECK(rc == GZ_OK || rc == GZ_EINVAL || rc == GZ_ETOOBIG);
	if (rc == GZ_OK) {
		CHECK(fields.count + nfiles <= FORM_MAX_FIELDS);
		for (size_t i = 0; i < fields.count; i++) {
			CHECK(clean(fields.items[i].key));
			CHECK(strlen(fields.items[i].value) == fields.items[i].value_len);
			CHECK(utf8_is_clean_text(fields.items[i].value, fields.items[i].value_len));
		}
		size_t total = 0;
		for (size_t i = 0; i < nfiles; i++) {
			CHECK(clean(files[i].field) && clean(files[i].filename) && files[i].content_type);
			CHECK(files[i].len <= body_len);
			total += files[i].len;
			/* The bytes were copied out of the body. */
			if (files[i].len)
				CHECK(memmem(copy, body_len, files[i].data, files[i].len) != NULL);
		}
		CHECK(total <= body_len);
	}
	arena_release(&a);
	free(copy);
	return 0;
}
