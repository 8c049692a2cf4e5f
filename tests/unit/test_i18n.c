/*
 * Tests for src/i18n: the compiled catalogues are complete and
 * Accept-Language negotiation picks the language a person asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "i18n/i18n.h"
#include "util/utf8.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_languages(void **state)
{
	assert_int_equal(i18n_lang_count, 2);
	assert_string_equal(i18n_langs[0], "zh");   /* Chinese first */
	assert_string_equal(i18n_langs[1], "en");
	assert_string_equal(i18n_lang("zh"), "zh");
	assert_string_equal(i18n_lang("en"), "en");
	assert_null(i18n_lang("fr"));
	assert_null(i18n_lang("EN"));
	assert_null(i18n_lang(""));
	assert_null(i18n_lang(NULL));
}

static void test_every_key_has_text_in_both_languages(void **state)
{
	assert_true(i18n_key_count > 20);
	for (size_t k = 0; k < i18n_key_count; k++) {
		if (k)   /* sorted, so lookups can bisect */
			assert_true(strcmp(i18n_keys[k - 1], i18n_keys[k]) < 0);
		for (size_t l = 0; l < i18n_lang_count; l++) {
			const char *text = i18n_texts[l * i18n_key_count + k];
			if (!text || !*text)
				fail_msg("%s has no %s text", i18n_keys[k], i18n_langs[l]);
			if (!utf8_is_clean_text(text, strlen(text)))
				fail_msg("%s: %s text is not clean UTF-8", i18n_keys[k], i18n_langs[l]);
			assert_ptr_equal(i18n_get(i18n_langs[l], i18n_keys[k]), text);
		}
	}
}

/* Chinese text should read as Chinese: a zh string made only of ASCII
 * letters is usually a forgotten translation.  Proper names, codes and
 * symbols are allowed through by the digit/punctuation check. */
static void test_chinese_catalogue_is_chinese(void **state)
{
	size_t ascii_words = 0;
	for (size_t k = 0; k < i18n_key_count; k++) {
		const char *zh = i18n_texts[k];
		const char *en = i18n_texts[i18n_key_count + k];
		bool has_non_ascii = false, has_letters = false;
		for (const unsigned char *p = (const unsigned char *)zh; *p; p++) {
			if (*p >= 0x80)
				has_non_ascii = true;
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
				has_letters = true;
		}
		if (!has_non_ascii && has_letters && strlen(zh) > 12 && !strcmp(zh, en)) {
			fprintf(stderr, "note: %s is the same untranslated text in both catalogues\n", i18n_keys[k]);
			ascii_words++;
		}
	}
	assert_int_equal(ascii_words, 0);
}

static void test_get(void **state)
{
	assert_string_equal(i18n_get("zh", "site.name"), "共治");
	assert_string_equal(i18n_get("en", "site.name"), "Gongzhi");
	assert_string_equal(i18n_get(NULL, "site.name"), "共治");
	assert_string_equal(i18n_get("fr", "site.name"), "共治");   /* unknown language: Chinese */
	assert_string_equal(i18n_get("en", "no.such.key"), "no.such.key");
	assert_string_equal(i18n_get("zh", ""), "");
}

static void test_negotiate(void **state)
{
	static const struct {
		const char *header, *lang;
	} cases[] = {
		{ NULL, "zh" },
		{ "", "zh" },
		{ "zh-CN", "zh" },
		{ "zh-CN,zh;q=0.9", "zh" },
		{ "zh-TW", "zh" },
		{ "en", "en" },
		{ "en-US", "en" },
		{ "EN-gb", "en" },
		{ "en-US,en;q=0.9", "en" },
		{ "en-US;q=0.8, zh;q=0.9", "zh" },
		{ "zh;q=0.8, en-US;q=0.9", "en" },
		{ "en-US;q=0.9, zh;q=0.9", "zh" },   /* a tie goes to Chinese */
		{ "zh-CN,zh;q=0.9,en;q=0.8", "zh" },
		{ "fr-FR,fr;q=0.9,en;q=0.5", "en" },
		{ "fr-FR,de;q=0.9", "zh" },
		{ "*", "zh" },
		{ "garbage", "zh" },
		{ ";;;,,,===", "zh" },
		{ "en;q=abc", "zh" },                 /* an unreadable quality counts as 0 ... */
		{ "en;q=0", "zh" },                   /* ... and 0 means "not English" */
		{ "en;q=0, zh;q=0.1", "zh" },
		{ ",,,en", "en" },
		{ "   en   ", "en" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		const char *got = i18n_negotiate(cases[i].header);
		if (strcmp(got, cases[i].lang))
			fail_msg("Accept-Language \"%s\": got %s, expected %s", cases[i].header ? cases[i].header : "(none)",
				 got, cases[i].lang);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_every_key_has_text_in_both_languages),
		cmocka_unit_test(test_chinese_catalogue_is_chinese),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_negotiate),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
