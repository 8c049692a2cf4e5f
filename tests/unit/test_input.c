/*
 * Tests for src/http/input.c: the declared-field validators.  Each case is a
 * field declaration, the raw value a client sent (NULL: the field is absent)
 * and what input_read must make of it.  Requests are built by hand: an arena
 * and the kv lists, as the server's decoding would leave them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/input.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const levels[] = { "low", "mid", "high", NULL };

/* Field declarations used by the table. */
static const field line_req = { "title", FIELD_LINE, true, 2, 5, NULL };
static const field line_opt = { "title", FIELD_LINE, false, 2, 5, NULL };
static const field text_req = { "body", FIELD_TEXT, true, 1, 10, NULL };
static const field int_req = { "n", FIELD_INT, true, -5, 100, NULL };
static const field int_wide = { "n", FIELD_INT, true, INT64_MIN, INT64_MAX, NULL };
static const field int_opt = { "n", FIELD_INT, false, 0, 10, NULL };
static const field id_req = { "id", FIELD_ID, true, 0, 0, NULL };
static const field date_req = { "day", FIELD_DATE, true, 0, 0, NULL };
static const field bool_opt = { "agree", FIELD_BOOL, false, 0, 0, NULL };
static const field bool_req = { "agree", FIELD_BOOL, true, 0, 0, NULL };
static const field choice_req = { "level", FIELD_CHOICE, true, 0, 0, levels };
static const field login_req = { "login", FIELD_LOGIN, true, 0, 0, NULL };
static const field phone_opt = { "phone", FIELD_PHONE, false, 0, 0, NULL };
static const field password_req = { "password", FIELD_PASSWORD, true, 0, 0, NULL };

#define IDSP "\xe3\x80\x80"   /* U+3000 IDEOGRAPHIC SPACE */

typedef struct input_case {
	const field *f;
	const char *raw;      /* NULL: absent */
	bool ok;
	bool present;
	const char *text;     /* expected text when ok and present */
	int64_t number;       /* expected number when ok (ints, ids, dates, bools, choices) */
} input_case;

static const input_case cases[] = {
	/* one line of text: 2..5 characters, trimmed */
	{ &line_req, "ab", true, true, "ab", 0 },
	{ &line_req, "  ab\t ", true, true, "ab", 0 },
	{ &line_req, IDSP "ab" IDSP, true, true, "ab", 0 },
	{ &line_req, IDSP " " IDSP "a b" " " IDSP, true, true, "a b", 0 },
	{ &line_req, "a" IDSP "b", true, true, "a" IDSP "b", 0 },   /* inner spaces stay */
	{ &line_req, "五个汉字啊", true, true, "五个汉字啊", 0 },   /* characters, not bytes */
	{ &line_req, "六个汉字啊啊", false, true, NULL, 0 },
	{ &line_req, "a", false, true, NULL, 0 },
	{ &line_req, "abcdef", false, true, NULL, 0 },
	{ &line_req, "a\nb", false, true, NULL, 0 },
	{ &line_req, "a\rb", false, true, NULL, 0 },
	{ &line_req, "\nab\n", true, true, "ab", 0 },   /* line breaks at the ends are trimmed away */
	{ &line_req, NULL, false, false, NULL, 0 },
	{ &line_req, "", false, false, NULL, 0 },
	{ &line_req, "   ", false, false, NULL, 0 },
	{ &line_req, IDSP IDSP, false, false, NULL, 0 },
	{ &line_opt, NULL, true, false, NULL, 0 },
	{ &line_opt, " " IDSP " ", true, false, NULL, 0 },
	{ &line_opt, "a", false, true, NULL, 0 },   /* optional, but when given it must fit */
	/* multi-line text: 1..10 characters */
	{ &text_req, "a\nb", true, true, "a\nb", 0 },
	{ &text_req, "  a\r\n b \n", true, true, "a\r\n b", 0 },
	{ &text_req, "一二三四五六七八九十", true, true, "一二三四五六七八九十", 0 },
	{ &text_req, "一二三四五六七八九十一", false, true, NULL, 0 },
	{ &text_req, "\n\n", false, false, NULL, 0 },
	/* integers in -5..100 */
	{ &int_req, "0", true, true, "0", 0 },
	{ &int_req, "-5", true, true, "-5", -5 },
	{ &int_req, "100", true, true, "100", 100 },
	{ &int_req, " 42 ", true, true, "42", 42 },
	{ &int_req, "101", false, true, NULL, 0 },
	{ &int_req, "-6", false, true, NULL, 0 },
	{ &int_req, "1.5", false, true, NULL, 0 },
	{ &int_req, "1e2", false, true, NULL, 0 },
	{ &int_req, "0x10", false, true, NULL, 0 },
	{ &int_req, "12abc", false, true, NULL, 0 },
	{ &int_req, "abc", false, true, NULL, 0 },
	{ &int_req, "--1", false, true, NULL, 0 },
	{ &int_req, "1 2", false, true, NULL, 0 },
	{ &int_req, "４２", false, true, NULL, 0 },   /* full-width digits */
	{ &int_req, NULL, false, false, NULL, 0 },
	{ &int_opt, NULL, true, false, NULL, 0 },
	{ &int_opt, "11", false, true, NULL, 0 },
	{ &int_wide, "9223372036854775807", true, true, "9223372036854775807", INT64_MAX },
	{ &int_wide, "-922337203685477580", true, true, "-922337203685477580", INT64_C(-922337203685477580) },
	{ &int_wide, "9223372036854775808", false, true, NULL, 0 },   /* overflows int64 */
	{ &int_wide, "9999999999999999999", false, true, NULL, 0 },
	{ &int_wide, "99999999999999999999", false, true, NULL, 0 },
	/* ids: positive */
	{ &id_req, "1", true, true, "1", 1 },
	{ &id_req, "123456789", true, true, "123456789", 123456789 },
	{ &id_req, "0", false, true, NULL, 0 },
	{ &id_req, "-1", false, true, NULL, 0 },
	{ &id_req, "1a", false, true, NULL, 0 },
	{ &id_req, "9223372036854775808", false, true, NULL, 0 },   /* would clamp to INT64_MAX */
	{ &id_req, "", false, false, NULL, 0 },
	/* dates in China */
	{ &date_req, "2026-03-15", true, true, "2026-03-15", INT64_C(1773504000) },
	{ &date_req, " 2026-03-15 ", true, true, "2026-03-15", INT64_C(1773504000) },
	{ &date_req, "2024-02-29", true, true, "2024-02-29", INT64_C(1709136000) },
	{ &date_req, "2026-02-30", false, true, NULL, 0 },
	{ &date_req, "2026-02-29", false, true, NULL, 0 },
	{ &date_req, "2026-3-15", false, true, NULL, 0 },
	{ &date_req, "2026/03/15", false, true, NULL, 0 },
	{ &date_req, "15-03-2026", false, true, NULL, 0 },
	{ &date_req, "2026-03-15T00:00", false, true, NULL, 0 },
	/* check boxes */
	{ &bool_opt, NULL, true, false, NULL, 0 },
	{ &bool_opt, "1", true, true, "1", 1 },
	{ &bool_opt, "on", true, true, "on", 1 },
	{ &bool_opt, "true", true, true, "true", 1 },
	{ &bool_opt, "0", true, true, "0", 0 },
	{ &bool_opt, "false", true, true, "false", 0 },
	{ &bool_opt, "yes", false, true, NULL, 0 },
	{ &bool_opt, "ON", false, true, NULL, 0 },
	{ &bool_req, NULL, true, false, NULL, 0 },   /* an unticked box is absent, not missing */
	/* choices: the index in the list */
	{ &choice_req, "low", true, true, "low", 0 },
	{ &choice_req, "high", true, true, "high", 2 },
	{ &choice_req, " mid ", true, true, "mid", 1 },
	{ &choice_req, "MID", false, true, NULL, 0 },
	{ &choice_req, "medium", false, true, NULL, 0 },
	{ &choice_req, NULL, false, false, NULL, 0 },
	/* logins: 3..32 of a-z 0-9 _ */
	{ &login_req, "staff1", true, true, "staff1", 0 },
	{ &login_req, "a_b", true, true, "a_b", 0 },
	{ &login_req, " resident1 ", true, true, "resident1", 0 },
	{ &login_req, "abcdefghijklmnopqrstuvwxyz012345", true, true, "abcdefghijklmnopqrstuvwxyz012345", 0 },
	{ &login_req, "abcdefghijklmnopqrstuvwxyz0123456", false, true, NULL, 0 },
	{ &login_req, "ab", false, true, NULL, 0 },
	{ &login_req, "Staff1", false, true, NULL, 0 },
	{ &login_req, "a-b", false, true, NULL, 0 },
	{ &login_req, "a.b", false, true, NULL, 0 },
	{ &login_req, "a b", false, true, NULL, 0 },
	{ &login_req, "张三丰", false, true, NULL, 0 },
	{ &login_req, "ａｂｃ", false, true, NULL, 0 },   /* full-width letters */
	/* phones: digits, optional leading +, 5..20 */
	{ &phone_opt, "13812341234", true, true, "13812341234", 0 },
	{ &phone_opt, "+8613812341234", true, true, "+8613812341234", 0 },
	{ &phone_opt, "12345", true, true, "12345", 0 },
	{ &phone_opt, "+1234", true, true, "+1234", 0 },
	{ &phone_opt, "12345678901234567890", true, true, "12345678901234567890", 0 },
	{ &phone_opt, "123456789012345678901", false, true, NULL, 0 },
	{ &phone_opt, "1234", false, true, NULL, 0 },
	{ &phone_opt, "138-1234-1234", false, true, NULL, 0 },
	{ &phone_opt, "138 1234 1234", false, true, NULL, 0 },
	{ &phone_opt, "1381234+1234", false, true, NULL, 0 },
	{ &phone_opt, "++8613812341234", false, true, NULL, 0 },
	{ &phone_opt, "１３８１２３４１２３４", false, true, NULL, 0 },
	{ &phone_opt, NULL, true, false, NULL, 0 },
	/* passwords: taken as typed, 1..128 bytes */
	{ &password_req, "  secret  ", true, true, "  secret  ", 0 },
	{ &password_req, IDSP, true, true, IDSP, 0 },
	{ &password_req, "密码 with spaces\t", true, true, "密码 with spaces\t", 0 },
	{ &password_req, NULL, false, false, NULL, 0 },
	{ &password_req, "", false, false, NULL, 0 },
};

/* A POST request carrying `name=raw` in its body (nothing when raw is NULL). */
static void post_with(request *r, const char *name, const char *raw)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->mem);
	r->method = HTTP_POST;
	if (raw)
		kv_add(&r->mem, &r->form, name, raw, strlen(raw));
}

static void test_validators_table(void **state)
{
	for (size_t i = 0; i < COUNT(cases); i++) {
		const input_case *c = &cases[i];
		request r;
		post_with(&r, c->f->name, c->raw);
		field_value v;
		const char *bad = "unset";
		gz_err rc = input_read(&r, c->f, 1, &v, &bad);
		if ((rc == GZ_OK) != c->ok)
			fail_msg("case %zu: field %s, value \"%s\": expected %s", i, c->f->name, c->raw ? c->raw : "(absent)",
				 c->ok ? "accepted" : "refused");
		if (!c->ok) {
			assert_int_equal(rc, GZ_EINVAL);
			assert_string_equal(bad, c->f->name);
		} else {
			assert_null(bad);
			if (v.present != c->present)
				fail_msg("case %zu: value \"%s\": present should be %d", i, c->raw ? c->raw : "(absent)",
					 c->present);
			if (c->present && strcmp(v.text, c->text))
				fail_msg("case %zu: text \"%s\", expected \"%s\"", i, v.text, c->text);
			if (v.number != c->number)
				fail_msg("case %zu: \"%s\" gave number %lld, expected %lld", i, c->raw ? c->raw : "(absent)",
					 (long long)v.number, (long long)c->number);
		}
		arena_release(&r.mem);
	}
}

static void test_password_length(void **state)
{
	char pw[130];
	memset(pw, 'p', sizeof(pw));
	for (size_t len = 127; len <= 129; len++) {
		pw[len] = '\0';
		request r;
		post_with(&r, "password", pw);
		field_value v;
		const char *bad;
		assert_int_equal(input_read(&r, &password_req, 1, &v, &bad), len <= 128 ? GZ_OK : GZ_EINVAL);
		arena_release(&r.mem);
		pw[len] = 'p';
	}
}

/* Several fields: all are read in order, and the first bad one is named. */
static void test_spec_names_first_bad_field(void **state)
{
	static const field spec[] = {
		{ "title", FIELD_LINE, true, 1, 20, NULL },
		{ "level", FIELD_CHOICE, true, 0, 0, levels },
		{ "count", FIELD_INT, false, 0, 9, NULL },
		{ "agree", FIELD_BOOL, false, 0, 0, NULL },
	};
	request r;
	post_with(&r, "title", " 路灯 ");
	kv_add(&r.mem, &r.form, "level", "high", 4);
	kv_add(&r.mem, &r.form, "agree", "on", 2);
	field_value v[INPUT_COUNT(spec)];
	const char *bad;
	assert_int_equal(input_read(&r, spec, INPUT_COUNT(spec), v, &bad), GZ_OK);
	assert_null(bad);
	assert_string_equal(v[0].text, "路灯");
	assert_int_equal(v[1].number, 2);
	assert_false(v[2].present);
	assert_true(v[3].present);
	assert_int_equal(v[3].number, 1);

	kv_add(&r.mem, &r.form, "count", "10", 2);
	assert_int_equal(input_read(&r, spec, INPUT_COUNT(spec), v, &bad), GZ_EINVAL);
	assert_string_equal(bad, "count");
	arena_release(&r.mem);
}

/* A POST reads its body only; a GET reads its query string only, so a
 * value smuggled in the URL of a form submission is not taken. */
static void test_post_reads_body_get_reads_query(void **state)
{
	static const field spec[] = { { "q", FIELD_LINE, true, 1, 10, NULL } };
	request r;
	memset(&r, 0, sizeof(r));
	arena_init(&r.mem);
	kv_add(&r.mem, &r.query, "q", "from-url", 8);
	field_value v[1];
	const char *bad;

	r.method = HTTP_POST;
	assert_int_equal(input_read(&r, spec, 1, v, &bad), GZ_EINVAL);
	assert_string_equal(bad, "q");

	r.method = HTTP_GET;
	assert_int_equal(input_read(&r, spec, 1, v, &bad), GZ_OK);
	assert_string_equal(v[0].text, "from-url");

	kv_add(&r.mem, &r.form, "q", "from-body", 9);
	r.method = HTTP_POST;
	assert_int_equal(input_read(&r, spec, 1, v, &bad), GZ_OK);
	assert_string_equal(v[0].text, "from-body");
	arena_release(&r.mem);
}

/* Query strings reach input_read straight from libmicrohttpd's decoding,
 * without the body decoder's checks (found by fuzz/fuzz_input.c). */
static void test_query_values_are_checked(void **state)
{
	static const char *const raw[] = {
		"\xff\xfe", "a\x1b[2Jb", "\xc0\xaf", "\xed\xa0\x80", "x\x7f", "\xe4\xb8",
	};
	static const field spec[] = { { "q", FIELD_LINE, false, 0, 100, NULL } };
	static const field pw[] = { { "q", FIELD_PASSWORD, false, 0, 0, NULL } };
	for (size_t i = 0; i < COUNT(raw); i++) {
		request r;
		memset(&r, 0, sizeof(r));
		arena_init(&r.mem);
		r.method = HTTP_GET;
		kv_add(&r.mem, &r.query, "q", raw[i], strlen(raw[i]));
		field_value v[1];
		const char *bad = NULL;
		assert_int_equal(input_read(&r, spec, 1, v, &bad), GZ_EINVAL);
		assert_string_equal(bad, "q");
		assert_int_equal(input_read(&r, pw, 1, v, &bad), GZ_EINVAL);
		arena_release(&r.mem);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validators_table),
		cmocka_unit_test(test_password_length),
		cmocka_unit_test(test_spec_names_first_bad_field),
		cmocka_unit_test(test_post_reads_body_get_reads_query),
		cmocka_unit_test(test_query_values_are_checked),
	};
	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
