/*
 * Tests for src/util: byte buffers, arenas, UTF-8 checks and time in China
 * Standard Time.  Most cases are tables of input and expected output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- buf -------------------------------------------------------------- */

static void test_buf_init_is_printable(void **state)
{
	buf b = BUF_INIT;
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_release(&b);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_buf_appends(void **state)
{
	buf b;
	buf_init(&b, 0);
	buf_adds(&b, "共治");
	buf_addch(&b, '-');
	buf_add(&b, "abc", 2);
	buf_printf(&b, "%d:%s", 42, "x");
	assert_false(b.failed);
	assert_string_equal(b.data, "共治-ab42:x");
	assert_int_equal(b.len, strlen("共治-ab42:x"));
	/* Growth across many reallocations keeps every byte. */
	for (int i = 0; i < 5000; i++)
		buf_addch(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, strlen("共治-ab42:x") + 5000);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(b.data[b.len - 1], 'a' + 4999 % 26);
	buf_release(&b);
}

static void test_buf_binary(void **state)
{
	buf b = BUF_INIT;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_release(&b);
}

/* Once an append passes the cap, the buffer keeps its content and ignores
 * every later append, even one that would fit. */
static void test_buf_cap_is_sticky(void **state)
{
	buf b;
	buf_init(&b, 8);
	buf_adds(&b, "12345");
	assert_false(b.failed);
	buf_adds(&b, "6789");
	assert_true(b.failed);
	assert_string_equal(b.data, "12345");
	buf_adds(&b, "6");
	buf_addch(&b, '7');
	buf_printf(&b, "%d", 8);
	assert_true(b.failed);
	assert_string_equal(b.data, "12345");
	assert_false(buf_grow(&b, 1));
	/* Exactly at the cap is allowed. */
	buf_reset(&b);
	assert_false(b.failed);
	assert_string_equal(b.data, "");
	buf_adds(&b, "12345678");
	assert_false(b.failed);
	assert_int_equal(b.len, 8);
	buf_addch(&b, '9');
	assert_true(b.failed);
	assert_int_equal(b.len, 8);
	buf_release(&b);
	assert_int_equal(b.cap, 8);   /* release keeps the cap */
	assert_false(b.failed);
}

static void test_buf_printf_cap(void **state)
{
	buf b;
	buf_init(&b, 10);
	buf_printf(&b, "%s", "0123456789");
	assert_false(b.failed);
	buf_printf(&b, "%d", 1);
	assert_true(b.failed);
	assert_string_equal(b.data, "0123456789");
	buf_release(&b);
}

static void test_buf_detach(void **state)
{
	buf b;
	buf_init(&b, 100);
	buf_adds(&b, "hello");
	size_t len = 0;
	char *s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_int_equal(b.cap, 100);
	assert_string_equal(b.data, "");
	free(s);
	/* An empty buffer still hands over memory the caller can free. */
	s = buf_detach(&b, NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_ptr_not_equal(s, buf_empty);
	free(s);
	/* The buffer is usable after a detach. */
	buf_adds(&b, "again");
	assert_string_equal(b.data, "again");
	buf_release(&b);
}

/* ---- arena ------------------------------------------------------------ */

static void test_arena_alignment_and_zero(void **state)
{
	arena a = ARENA_INIT;
	static const size_t sizes[] = { 1, 3, 7, 8, 15, 16, 17, 31, 100, 1000, 8191, 8192, 8193, 70000 };
	for (size_t i = 0; i < COUNT(sizes); i++) {
		unsigned char *p = arena_alloc(&a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, sizes[i]);   /* ASan catches a block that is too small */
	}
	assert_true(a.total >= 70000);
	/* Many small allocations do not overlap. */
	int *ints[500];
	for (int i = 0; i < 500; i++) {
		ints[i] = ARENA_NEW(&a, int);
		*ints[i] = i;
	}
	for (int i = 0; i < 500; i++)
		assert_int_equal(*ints[i], i);
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	/* Usable again after release. */
	assert_non_null(arena_alloc(&a, 10));
	arena_release(&a);
}

static void test_arena_strings(void **state)
{
	arena a = ARENA_INIT;
	assert_null(arena_strdup(&a, NULL));
	assert_null(arena_strndup(&a, NULL, 3));
	char *s = arena_strdup(&a, "议事协商");
	assert_string_equal(s, "议事协商");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(&a, "", 0), "");
	unsigned char *m = arena_memdup(&a, "x\0y", 3);
	assert_memory_equal(m, "x\0y", 3);
	assert_non_null(arena_memdup(&a, NULL, 0));
	assert_string_equal(arena_printf(&a, "%s-%d-%05.1f", "a", -7, 2.25), "a--7-002.2");
	/* Longer than one block. */
	char *big = arena_printf(&a, "%20000d|", 5);
	assert_int_equal(strlen(big), 20001);
	assert_int_equal(big[19999], '5');
	assert_int_equal((uintptr_t)big % 16, 0);
	arena_release(&a);
}

/* ---- UTF-8 ------------------------------------------------------------ */

typedef struct utf8_case {
	const char *what;
	const char *bytes;
	size_t len;
	bool clean;
} utf8_case;

#define U(what, lit, clean) { what, lit, sizeof(lit) - 1, clean }

static const utf8_case utf8_cases[] = {
	U("empty", "", true),
	U("ascii", "hello, world", true),
	U("chinese", "社区议事厅", true),
	U("tab, LF and CR", "a\tb\nc\r\n", true),
	U("emoji (4 bytes)", "\xf0\x9f\x98\x80", true),
	U("byte order mark", "\xef\xbb\xbf" "x", true),
	U("U+D7FF, last before surrogates", "\xed\x9f\xbf", true),
	U("U+E000, first after surrogates", "\xee\x80\x80", true),
	U("U+10FFFF, the last code point", "\xf4\x8f\xbf\xbf", true),
	U("ideographic space U+3000", "\xe3\x80\x80", true),
	U("NUL", "a\0b", false),
	U("NUL alone", "\0", false),
	U("C0 control 0x01", "a\x01", false),
	U("C0 control 0x1b (escape)", "\x1b[31m", false),
	U("C0 control 0x1f", "\x1f", false),
	U("vertical tab", "\v", false),
	U("form feed", "\f", false),
	U("DEL", "\x7f", false),
	U("overlong slash (2 bytes)", "\xc0\xaf", false),
	U("overlong 0x7f (2 bytes, C1 lead)", "\xc1\xbf", false),
	U("overlong NUL (2 bytes)", "\xc0\x80", false),
	U("overlong slash (3 bytes)", "\xe0\x80\xaf", false),
	U("overlong U+07FF (3 bytes)", "\xe0\x9f\xbf", false),
	U("overlong slash (4 bytes)", "\xf0\x80\x80\xaf", false),
	U("overlong U+FFFF (4 bytes)", "\xf0\x8f\xbf\xbf", false),
	U("high surrogate U+D800", "\xed\xa0\x80", false),
	U("low surrogate U+DFFF", "\xed\xbf\xbf", false),
	U("surrogate pair as CESU-8", "\xed\xa0\xbd\xed\xb8\x80", false),
	U("U+110000", "\xf4\x90\x80\x80", false),
	U("lead byte F5", "\xf5\x80\x80\x80", false),
	U("lead byte FF", "\xff", false),
	U("lead byte FE", "\xfe", false),
	U("lone continuation byte", "\x80", false),
	U("continuation after ascii", "a\xbf", false),
	U("truncated 2-byte", "\xc3", false),
	U("truncated 3-byte", "\xe4\xb8", false),
	U("truncated 4-byte", "\xf0\x9f\x98", false),
	U("truncated at the end of good text", "中文\xe6\x96", false),
	U("bad continuation", "\xe4\xb8\x41", false),
	U("5-byte form", "\xf8\x88\x80\x80\x80", false),
};

static void test_utf8_clean_text(void **state)
{
	for (size_t i = 0; i < COUNT(utf8_cases); i++) {
		const utf8_case *c = &utf8_cases[i];
		if (utf8_is_clean_text(c->bytes, c->len) != c->clean)
			fail_msg("utf8_is_clean_text: %s: expected %s", c->what, c->clean ? "clean" : "refused");
	}
}

static void test_utf8_count_and_prefix(void **state)
{
	static const struct {
		const char *s;
		size_t count;
		size_t n;        /* code points wanted */
		size_t prefix;   /* their byte length */
	} cases[] = {
		{ "", 0, 0, 0 },
		{ "", 0, 3, 0 },
		{ "abc", 3, 0, 0 },
		{ "abc", 3, 2, 2 },
		{ "abc", 3, 9, 3 },
		{ "中文字", 3, 1, 3 },
		{ "中文字", 3, 2, 6 },
		{ "中文字", 3, 5, 9 },
		{ "a中b", 3, 2, 4 },
		{ "\xf0\x9f\x98\x80x", 2, 1, 4 },
		{ "欧阳修远", 4, 1, 3 },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		size_t len = strlen(cases[i].s);
		assert_int_equal(utf8_count(cases[i].s, len), cases[i].count);
		if (utf8_prefix_len(cases[i].s, len, cases[i].n) != cases[i].prefix)
			fail_msg("utf8_prefix_len(\"%s\", %zu) != %zu", cases[i].s, cases[i].n, cases[i].prefix);
	}
}

/* ---- time ------------------------------------------------------------- */

/* 2026-01-01 00:00 in China is 2025-12-31 16:00 UTC. */
#define NEW_YEAR_2026_CST INT64_C(1767196800)

static void test_time_format(void **state)
{
	static const struct {
		int64_t t;
		const char *date, *minute;
		int year;
	} cases[] = {
		{ 0, "1970-01-01", "1970-01-01 08:00", 1970 },
		{ NEW_YEAR_2026_CST, "2026-01-01", "2026-01-01 00:00", 2026 },
		{ NEW_YEAR_2026_CST - 1, "2025-12-31", "2025-12-31 23:59", 2025 },
		{ NEW_YEAR_2026_CST + 8 * 3600, "2026-01-01", "2026-01-01 08:00", 2026 },
		{ INT64_C(1709136000), "2024-02-29", "2024-02-29 00:00", 2024 },
		{ INT64_C(1773553500), "2026-03-15", "2026-03-15 13:45", 2026 },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		char date[11], minute[17];
		time_format_date(cases[i].t, date);
		time_format_minute(cases[i].t, minute);
		assert_string_equal(date, cases[i].date);
		assert_string_equal(minute, cases[i].minute);
		assert_int_equal(time_year(cases[i].t), cases[i].year);
	}
}

static void test_time_parse_date(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		int64_t t;
	} cases[] = {
		{ "2026-01-01", true, NEW_YEAR_2026_CST },
		{ "2024-02-29", true, INT64_C(1709136000) },
		{ "2026-03-15", true, INT64_C(1773504000) },
		{ "1970-01-01", true, -8 * 3600 },
		{ "2026-02-28", true, INT64_C(1772208000) },
		{ "2026-12-31", true, INT64_C(1798646400) },
		{ "2026-02-29", false, 0 },   /* not a leap year */
		{ "2026-02-30", false, 0 },
		{ "2100-02-29", false, 0 },   /* centuries are not leap years ... */
		{ "2000-02-29", true, INT64_C(951753600) },   /* ... unless divisible by 400 */
		{ "2026-04-31", false, 0 },
		{ "2026-13-01", false, 0 },
		{ "2026-00-10", false, 0 },
		{ "2026-01-00", false, 0 },
		{ "2026-01-32", false, 0 },
		{ "1969-12-31", false, 0 },
		{ "", false, 0 },
		{ "2026-1-1", false, 0 },
		{ "2026/01/01", false, 0 },
		{ "2026-01-01x", false, 0 },
		{ "2026-01-01 ", false, 0 },
		{ " 2026-1-01", false, 0 },
		{ "2026- 1-01", false, 0 },
		{ "2026-+1-01", false, 0 },
		{ "2026-01--1", false, 0 },
		{ "+202-01-01", false, 0 },
		{ "abcd-ef-gh", false, 0 },
		{ "２０２６-01-01", false, 0 },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		int64_t t = -1;
		bool ok = time_parse_date(cases[i].s, &t);
		if (ok != cases[i].ok)
			fail_msg("time_parse_date(\"%s\"): expected %s", cases[i].s, cases[i].ok ? "a date" : "refusal");
		if (ok) {
			assert_int_equal(t, cases[i].t);
			char back[11];
			time_format_date(t, back);
			assert_string_equal(back, cases[i].s);
		}
	}
}

static void test_time_clock(void **state)
{
	int64_t a = time_mono_usec(), b = time_mono_usec();
	assert_true(b >= a);
	assert_true(time_now() > NEW_YEAR_2026_CST - 400 * 86400);
}

/* ---- errors ----------------------------------------------------------- */

static void test_error_table(void **state)
{
	for (int e = 0; e < GZ_ERR__MAX; e++) {
		assert_non_null(gz_strerror((gz_err)e));
		assert_true(strlen(gz_strerror((gz_err)e)) > 0);
		assert_true(gz_err_status((gz_err)e) >= 200 && gz_err_status((gz_err)e) < 600);
		assert_true(!strncmp(gz_err_key((gz_err)e), "err.", 4));
	}
	assert_int_equal(gz_err_status(GZ_ENOTFOUND), 404);
	assert_int_equal(gz_err_status(GZ_EFORBIDDEN), 403);
	assert_int_equal(gz_err_status(GZ_EINVAL), 400);
	assert_string_equal(gz_strerror((gz_err)999), "unknown error");
	assert_int_equal(gz_err_status((gz_err)-1), 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_is_printable),
		cmocka_unit_test(test_buf_appends),
		cmocka_unit_test(test_buf_binary),
		cmocka_unit_test(test_buf_cap_is_sticky),
		cmocka_unit_test(test_buf_printf_cap),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_arena_alignment_and_zero),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_utf8_clean_text),
		cmocka_unit_test(test_utf8_count_and_prefix),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_parse_date),
		cmocka_unit_test(test_time_clock),
		cmocka_unit_test(test_error_table),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
