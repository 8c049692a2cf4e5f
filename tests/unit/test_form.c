/*
 * Tests for src/http/form.c: urlencoded and multipart/form-data bodies and
 * percent-decoding.  Cases are tables of body and expected fields, written
 * "key=value|key=value" (the expected string of a refused body is ignored).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/form.h"
#include "util/buf.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "k=v|k=v" of a field list; caller frees. */
static char *fields_string(const kv_list *l)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < l->count; i++) {
		if (i)
			buf_addch(&b, '|');
		buf_printf(&b, "%s=", l->items[i].key);
		buf_add(&b, l->items[i].value, l->items[i].value_len);
	}
	return buf_detach(&b, NULL);
}

/* ---- urlencoded ------------------------------------------------------- */

typedef struct url_case {
	const char *what;
	const char *body;
	size_t len;
	gz_err rc;
	const char *fields;
} url_case;

#define B(lit) lit, sizeof(lit) - 1

static const url_case url_cases[] = {
	{ "empty body", B(""), GZ_OK, "" },
	{ "two fields", B("a=1&b=2"), GZ_OK, "a=1|b=2" },
	{ "plus is a space", B("q=a+b+c"), GZ_OK, "q=a b c" },
	{ "escaped plus stays a plus", B("q=1%2B1"), GZ_OK, "q=1+1" },
	{ "UTF-8 escapes", B("q=%E4%B8%AD%E6%96%87"), GZ_OK, "q=中文" },
	{ "lower-case escapes", B("q=%e4%b8%ad"), GZ_OK, "q=中" },
	{ "raw UTF-8", B("title=路灯"), GZ_OK, "title=路灯" },
	{ "escaped key", B("a%5Bb%5D=1"), GZ_OK, "a[b]=1" },
	{ "no equals sign", B("flag"), GZ_OK, "flag=" },
	{ "empty value", B("a=&b="), GZ_OK, "a=|b=" },
	{ "empty pieces are skipped", B("&&a=1&&&b=2&"), GZ_OK, "a=1|b=2" },
	{ "equals in the value", B("a=1=2"), GZ_OK, "a=1=2" },
	{ "repeated key kept in order", B("t=1&t=2"), GZ_OK, "t=1|t=2" },
	{ "newline, CR and tab are text", B("a=x%0D%0Ay%09z"), GZ_OK, "a=x\r\ny\tz" },
	{ "escaped percent", B("a=100%25"), GZ_OK, "a=100%" },
	{ "lone percent", B("a=%"), GZ_EINVAL, NULL },
	{ "percent and one digit", B("a=%4"), GZ_EINVAL, NULL },
	{ "percent at the end of the key", B("a%=1"), GZ_EINVAL, NULL },
	{ "bad hex (first)", B("a=%G1"), GZ_EINVAL, NULL },
	{ "bad hex (second)", B("a=%4G"), GZ_EINVAL, NULL },
	{ "escaped NUL", B("a=x%00y"), GZ_EINVAL, NULL },
	{ "escaped NUL in the key", B("a%00=1"), GZ_EINVAL, NULL },
	{ "raw NUL", B("a=x\0y"), GZ_EINVAL, NULL },
	{ "escaped control character", B("a=%01"), GZ_EINVAL, NULL },
	{ "escaped escape character", B("a=%1B%5B2J"), GZ_EINVAL, NULL },
	{ "DEL", B("a=%7F"), GZ_EINVAL, NULL },
	{ "invalid UTF-8 byte", B("a=%FF"), GZ_EINVAL, NULL },
	{ "overlong UTF-8", B("a=%C0%AF"), GZ_EINVAL, NULL },
	{ "surrogate", B("a=%ED%A0%80"), GZ_EINVAL, NULL },
	{ "truncated UTF-8", B("a=%E4%B8"), GZ_EINVAL, NULL },
	{ "invalid UTF-8 in the key", B("%FF=1"), GZ_EINVAL, NULL },
	{ "raw invalid UTF-8", B("a=\xc3\x28"), GZ_EINVAL, NULL },
	{ "a good field before a bad one", B("a=1&b=%ZZ"), GZ_EINVAL, NULL },
};

static void test_urlencoded_table(void **state)
{
	for (size_t i = 0; i < COUNT(url_cases); i++) {
		const url_case *c = &url_cases[i];
		arena a = ARENA_INIT;
		kv_list out = { 0 };
		gz_err rc = form_decode_urlencoded(&a, c->body, c->len, &out);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d", c->what, rc, c->rc);
		if (!rc) {
			char *got = fields_string(&out);
			if (strcmp(got, c->fields))
				fail_msg("%s: got \"%s\", expected \"%s\"", c->what, got, c->fields);
			free(got);
		}
		arena_release(&a);
	}
}

static void test_urlencoded_value_len(void **state)
{
	arena a = ARENA_INIT;
	kv_list out = { 0 };
	assert_int_equal(form_decode_urlencoded(&a, B("a=%E4%B8%AD+x"), &out), GZ_OK);
	assert_int_equal(out.count, 1);
	assert_int_equal(out.items[0].value_len, 5);
	assert_string_equal(kv_get(&out, "a"), "中 x");
	assert_null(kv_get(&out, "b"));
	arena_release(&a);
}

/* Builds "f=1&f=1&..." with n fields; caller frees. */
static char *many_fields(size_t n)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%sf%zu=1", i ? "&" : "", i);
	return buf_detach(&b, NULL);
}

static void test_urlencoded_too_many_fields(void **state)
{
	arena a = ARENA_INIT;
	kv_list out = { 0 };
	char *body = many_fields(FORM_MAX_FIELDS);
	assert_int_equal(form_decode_urlencoded(&a, body, strlen(body), &out), GZ_OK);
	assert_int_equal(out.count, FORM_MAX_FIELDS);
	free(body);

	kv_list more = { 0 };
	body = many_fields(FORM_MAX_FIELDS + 1);
	assert_int_equal(form_decode_urlencoded(&a, body, strlen(body), &more), GZ_ETOOBIG);
	free(body);
	arena_release(&a);
}

static void test_urlencoded_value_too_long(void **state)
{
	arena a = ARENA_INIT;
	size_t n = FORM_MAX_VALUE + 1;
	char *body = malloc(n + 2);
	memcpy(body, "a=", 2);
	memset(body + 2, 'x', n);
	kv_list out = { 0 };
	assert_int_equal(form_decode_urlencoded(&a, body, n + 2, &out), GZ_EINVAL);
	kv_list ok = { 0 };
	assert_int_equal(form_decode_urlencoded(&a, body, n + 1, &ok), GZ_OK);
	assert_int_equal(ok.items[0].value_len, FORM_MAX_VALUE);
	free(body);
	arena_release(&a);
}

/* ---- url_decode ------------------------------------------------------- */

static void test_url_decode(void **state)
{
	static const struct {
		const char *in;
		bool plus_is_space;
		const char *out;   /* NULL: refused */
		size_t out_len;
	} cases[] = {
		{ "", false, "", 0 },
		{ "abc", false, "abc", 3 },
		{ "a+b", false, "a+b", 3 },
		{ "a+b", true, "a b", 3 },
		{ "%41%42", false, "AB", 2 },
		{ "%2f%2F", false, "//", 2 },
		{ "%E5%85%B1%E6%B2%BB", false, "共治", 6 },
		{ "x%00y", false, "x\0y", 3 },   /* url_decode itself keeps bytes; callers check them */
		{ "%", false, NULL, 0 },
		{ "%4", false, NULL, 0 },
		{ "ab%", false, NULL, 0 },
		{ "%%41", false, NULL, 0 },
		{ "%-1", false, NULL, 0 },
		{ "% 1", false, NULL, 0 },
		{ "%g0", false, NULL, 0 },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		arena a = ARENA_INIT;
		size_t len = 99;
		char *got = url_decode(&a, cases[i].in, strlen(cases[i].in), cases[i].plus_is_space, &len);
		if (!cases[i].out) {
			if (got)
				fail_msg("url_decode(\"%s\") should refuse", cases[i].in);
		} else {
			if (!got)
				fail_msg("url_decode(\"%s\") refused", cases[i].in);
			assert_int_equal(len, cases[i].out_len);
			assert_memory_equal(got, cases[i].out, len + 1);
		}
		arena_release(&a);
	}
}

/* ---- multipart -------------------------------------------------------- */

#define CT "multipart/form-data; boundary=XyZ"
#define PART(name) "--XyZ\r\nContent-Disposition: form-data; name=\"" name "\"\r\n\r\n"
#define END "\r\n--XyZ--\r\n"
#define NEXT "\r\n"

typedef struct mp_case {
	const char *what;
	const char *content_type;
	const char *body;
	size_t len;
	gz_err rc;
	const char *fields;
	size_t files;
} mp_case;

static const mp_case mp_cases[] = {
	{ "one text part", CT, B(PART("title") "路灯不亮" END), GZ_OK, "title=路灯不亮", 0 },
	{ "two text parts", CT, B(PART("a") "1" NEXT PART("b") "x\r\ny" END), GZ_OK, "a=1|b=x\r\ny", 0 },
	{ "empty text part", CT, B(PART("a") END), GZ_OK, "a=", 0 },
	{ "preamble and epilogue are ignored", CT, B("ignored\r\n" PART("a") "1" END "trailing junk"), GZ_OK, "a=1", 0 },
	{ "quoted boundary", "multipart/form-data; boundary=\"XyZ\"", B(PART("a") "1" END), GZ_OK, "a=1", 0 },
	{ "quoted boundary with a space", "multipart/form-data; boundary=\"a b\"",
	  B("--a b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--a b--"), GZ_OK, "a=1", 0 },
	{ "boundary before other parameters", "multipart/form-data; boundary=XyZ; charset=utf-8",
	  B(PART("a") "1" END), GZ_OK, "a=1", 0 },
	{ "header names in any case", CT, B("--XyZ\r\ncontent-disposition: form-data; NAME=\"a\"\r\n\r\n1" END), GZ_OK,
	  "a=1", 0 },
	{ "unquoted name", CT, B("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1" END), GZ_OK, "a=1", 0 },
	{ "value holding the boundary text without CRLF", CT, B(PART("a") "x--XyZ" END), GZ_OK, "a=x--XyZ", 0 },
	{ "empty file input is skipped", CT,
	  B("--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n" END),
	  GZ_OK, "", 0 },
	{ "no boundary parameter", "multipart/form-data", B(PART("a") "1" END), GZ_EINVAL, NULL, 0 },
	{ "empty boundary", "multipart/form-data; boundary=", B(PART("a") "1" END), GZ_EINVAL, NULL, 0 },
	{ "unclosed quoted boundary", "multipart/form-data; boundary=\"XyZ", B(PART("a") "1" END), GZ_EINVAL, NULL, 0 },
	{ "boundary over 70 characters",
	  "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789X",
	  B(PART("a") "1" END), GZ_EINVAL, NULL, 0 },
	{ "boundary absent from the body", CT, B("nothing here"), GZ_EINVAL, NULL, 0 },
	{ "empty body", CT, B(""), GZ_EINVAL, NULL, 0 },
	{ "missing closing boundary", CT, B(PART("a") "1"), GZ_EINVAL, NULL, 0 },
	{ "missing closing boundary after a whole part", CT, B(PART("a") "1\r\n--XyZ"), GZ_EINVAL, NULL, 0 },
	{ "garbage after a delimiter", CT, B(PART("a") "1\r\n--XyZxx"), GZ_EINVAL, NULL, 0 },
	{ "headers never end", CT, B("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"), GZ_EINVAL, NULL, 0 },
	{ "header without name", CT, B("--XyZ\r\nContent-Disposition: form-data\r\n\r\n1" END), GZ_EINVAL, NULL, 0 },
	{ "no Content-Disposition", CT, B("--XyZ\r\nContent-Type: text/plain\r\n\r\n1" END), GZ_EINVAL, NULL, 0 },
	{ "name is not clean text", CT, B("--XyZ\r\nContent-Disposition: form-data; name=\"\x01\"\r\n\r\n1" END),
	  GZ_EINVAL, NULL, 0 },
	{ "unclosed quoted name", CT, B("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1" END), GZ_EINVAL,
	  NULL, 0 },
	{ "NUL in a text part", CT, B(PART("a") "x\0y" END), GZ_EINVAL, NULL, 0 },
	{ "invalid UTF-8 in a text part", CT, B(PART("a") "\xff\xfe" END), GZ_EINVAL, NULL, 0 },
	{ "control character in a text part", CT, B(PART("a") "\x1b[2J" END), GZ_EINVAL, NULL, 0 },
	{ "filename not clean text", CT,
	  B("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xc0\xaf\"\r\n\r\nabc" END), GZ_EINVAL,
	  NULL, 0 },
};

static void test_multipart_table(void **state)
{
	for (size_t i = 0; i < COUNT(mp_cases); i++) {
		const mp_case *c = &mp_cases[i];
		arena a = ARENA_INIT;
		kv_list fields = { 0 };
		upload *files = NULL;
		size_t nfiles = 0;
		gz_err rc = form_decode_multipart(&a, c->content_type, (const unsigned char *)c->body, c->len, &fields,
						  &files, &nfiles);
		if (rc != c->rc)
			fail_msg("%s: rc %d, expected %d", c->what, rc, c->rc);
		if (!rc) {
			char *got = fields_string(&fields);
			if (strcmp(got, c->fields))
				fail_msg("%s: got \"%s\", expected \"%s\"", c->what, got, c->fields);
			free(got);
			assert_int_equal(nfiles, c->files);
		}
		arena_release(&a);
	}
}

/* A form with text and a binary file holding NULs, CRLFs and a line that
 * looks like a delimiter but is not this one. */
static const char file_bytes[] = "\xff\xd8\xff\xe0\0\0JFIF\0\r\n--XyW-\r\n\r\n\x80\xff\xd9";

static void test_multipart_text_and_file(void **state)
{
	static const char body[] =
		PART("title") "小区路灯" NEXT
		"--XyZ\r\nContent-Disposition: form-data; filename=\"照片.jpg\"; name=\"photo\"\r\n"
		"Content-Type: image/jpeg\r\n\r\n"
		"\xff\xd8\xff\xe0\0\0JFIF\0\r\n--XyW-\r\n\r\n\x80\xff\xd9" NEXT
		"--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"b.txt\"\r\n\r\nplain" NEXT
		PART("body") "第二行\r\n第三行" END;
	arena a = ARENA_INIT;
	kv_list fields = { 0 };
	upload *files = NULL;
	size_t nfiles = 0;
	assert_int_equal(form_decode_multipart(&a, CT, (const unsigned char *)body, sizeof(body) - 1, &fields, &files,
					       &nfiles),
			 GZ_OK);
	char *got = fields_string(&fields);
	assert_string_equal(got, "title=小区路灯|body=第二行\r\n第三行");
	free(got);
	assert_int_equal(nfiles, 2);
	assert_string_equal(files[0].field, "photo");
	assert_string_equal(files[0].filename, "照片.jpg");
	assert_string_equal(files[0].content_type, "image/jpeg");
	assert_int_equal(files[0].len, sizeof(file_bytes) - 1);
	assert_memory_equal(files[0].data, file_bytes, sizeof(file_bytes) - 1);
	assert_string_equal(files[1].field, "doc");
	assert_string_equal(files[1].filename, "b.txt");
	assert_string_equal(files[1].content_type, "");
	assert_int_equal(files[1].len, 5);
	assert_memory_equal(files[1].data, "plain", 5);
	arena_release(&a);
}

static void test_multipart_too_many_parts(void **state)
{
	for (size_t n = FORM_MAX_FIELDS; n <= FORM_MAX_FIELDS + 1; n++) {
		buf b = BUF_INIT;
		for (size_t i = 0; i < n; i++)
			buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f%zu\"\r\n\r\n%zu\r\n", i, i);
		buf_adds(&b, "--XyZ--\r\n");
		arena a = ARENA_INIT;
		kv_list fields = { 0 };
		upload *files = NULL;
		size_t nfiles = 0;
		gz_err rc = form_decode_multipart(&a, CT, (const unsigned char *)b.data, b.len, &fields, &files, &nfiles);
		assert_int_equal(rc, n > FORM_MAX_FIELDS ? GZ_ETOOBIG : GZ_OK);
		if (!rc)
			assert_int_equal(fields.count, n);
		arena_release(&a);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlencoded_table),
		cmocka_unit_test(test_urlencoded_value_len),
		cmocka_unit_test(test_urlencoded_too_many_fields),
		cmocka_unit_test(test_urlencoded_value_too_long),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_multipart_table),
		cmocka_unit_test(test_multipart_text_and_file),
		cmocka_unit_test(test_multipart_too_many_parts),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
