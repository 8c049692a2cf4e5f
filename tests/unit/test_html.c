/*
 * Tests for src/pages/html.c: the escaping writer and the masking of names
 * and phone numbers on public pages.  Cases are tables of input and the
 * exact bytes expected in the response.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pages/html.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void request_init(request *r, const char *lang)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->mem);
	buf_init(&r->out, 0);
	r->lang = lang;
}

static void request_release(request *r)
{
	buf_release(&r->out);
	arena_release(&r->mem);
}

static void test_html_text_table(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{ "", 0, "" },
		{ "plain", 5, "plain" },
		{ "社区议事", 12, "社区议事" },
		{ "a&b", 3, "a&amp;b" },
		{ "&amp;", 5, "&amp;amp;" },   /* already-escaped text is escaped again */
		{ "<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "\"'", 2, "&quot;&#39;" },
		{ "\" onmouseover='x'", 17, "&quot; onmouseover=&#39;x&#39;" },
		{ "a\0b", 3, "ab" },              /* NUL is dropped */
		{ "\0<\0", 3, "&lt;" },
		{ "&<>\"'", 5, "&amp;&lt;&gt;&quot;&#39;" },
		{ "x\ny\tz", 5, "x\ny\tz" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		request r;
		request_init(&r, "zh");
		html_textn(&r, cases[i].in, cases[i].len);
		if (strcmp(r.out.data, cases[i].out))
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, r.out.data, cases[i].out);
		assert_int_equal(r.out.len, strlen(cases[i].out));
		/* html_text is html_textn up to the first NUL. */
		buf_reset(&r.out);
		html_text(&r, cases[i].in);
		if (!memchr(cases[i].in, '\0', cases[i].len))
			assert_string_equal(r.out.data, cases[i].out);
		request_release(&r);
	}
	request r;
	request_init(&r, "zh");
	html_text(&r, NULL);
	assert_string_equal(r.out.data, "");
	request_release(&r);
}

static void test_html_fmt(void **state)
{
	request r;
	request_init(&r, "zh");
	html_fmt(&r, "<a title=\"%s\">%s</a>", "\"><script>", "a&b'");
	assert_string_equal(r.out.data, "<a title=\"&quot;&gt;&lt;script&gt;\">a&amp;b&#39;</a>");
	buf_reset(&r.out);
	html_fmt(&r, "%d|%u|%ld|%lld|%zu|100%%|%s", -3, 4u, -5L, -6LL, (size_t)7, (const char *)NULL);
	assert_string_equal(r.out.data, "-3|4|-5|-6|7|100%|");
	buf_reset(&r.out);
	html_fmt(&r, "<p>no arguments</p>");
	assert_string_equal(r.out.data, "<p>no arguments</p>");
	buf_reset(&r.out);
	html_markup(&r, "<b>");
	html_fmt(&r, "%s", "<b>");
	assert_string_equal(r.out.data, "<b>&lt;b&gt;");
	request_release(&r);
}

static void test_html_url_part(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "abcXYZ019", "abcXYZ019" },
		{ "-._~", "-._~" },
		{ "a b", "a%20b" },
		{ "a+b", "a%2Bb" },
		{ "a/b?c=d&e#f", "a%2Fb%3Fc%3Dd%26e%23f" },
		{ "中", "%E4%B8%AD" },
		{ "\"<>'", "%22%3C%3E%27" },
		{ "%", "%25" },
		{ "\r\n", "%0D%0A" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		request r;
		request_init(&r, "zh");
		html_url_part(&r, cases[i].in);
		assert_string_equal(r.out.data, cases[i].out);
		request_release(&r);
	}
	request r;
	request_init(&r, "zh");
	html_url_part(&r, NULL);
	assert_string_equal(r.out.data, "");
	request_release(&r);
}

static void test_mask_name(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "张三", "张*" },
		{ "张三丰", "张**" },
		{ "欧阳修远", "欧***" },
		{ "张", "张*" },        /* one character still hides that it is the whole name */
		{ "", "" },
		{ "Li", "L*" },
		{ "Wang Fang", "W********" },
		{ "\xf0\xa0\x80\x80" "明", "\xf0\xa0\x80\x80*" },   /* a 4-byte first character */
	};
	arena a = ARENA_INIT;
	for (size_t i = 0; i < COUNT(cases); i++)
		if (strcmp(mask_name(&a, cases[i].in), cases[i].out))
			fail_msg("mask_name(\"%s\") = \"%s\", expected \"%s\"", cases[i].in, mask_name(&a, cases[i].in),
				 cases[i].out);
	assert_string_equal(mask_name(&a, NULL), "");
	arena_release(&a);
}

static void test_mask_phone(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "13812341234", "138****1234" },
		{ "+8613812341234", "+86****1234" },
		{ "01065001234", "010****1234" },
		{ "123456", "****" },
		{ "12", "****" },
		{ "", "" },
	};
	arena a = ARENA_INIT;
	for (size_t i = 0; i < COUNT(cases); i++)
		assert_string_equal(mask_phone(&a, cases[i].in), cases[i].out);
	assert_string_equal(mask_phone(&a, NULL), "");
	arena_release(&a);
}

static void test_catalogue_strings(void **state)
{
	request r;
	request_init(&r, "zh");
	assert_string_equal(tr(&r, "site.name"), "共治");
	assert_string_equal(trf(&r, "home.days_left", 3), "还剩 3 天");
	html_t(&r, "site.name");
	assert_string_equal(r.out.data, "共治");
	/* An unknown key shows itself rather than nothing. */
	assert_string_equal(tr(&r, "no.such.key"), "no.such.key");
	r.lang = "en";
	assert_string_equal(tr(&r, "site.name"), "Gongzhi");
	assert_string_equal(trf(&r, "home.welcome", "<Li>"), "Welcome, <Li>.");   /* trf does not escape ... */
	buf_reset(&r.out);
	html_fmt(&r, tr(&r, "home.welcome"), "<Li>");                            /* ... html_fmt does */
	assert_string_equal(r.out.data, "Welcome, &lt;Li&gt;.");
	request_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text_table),
		cmocka_unit_test(test_html_fmt),
		cmocka_unit_test(test_html_url_part),
		cmocka_unit_test(test_mask_name),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_catalogue_strings),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
