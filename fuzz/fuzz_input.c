/*
 * libFuzzer harness for the declared-field validators (src/http/input.c).
 *
 * Input layout: the first byte picks the method (odd: POST, reading the
 * body's fields; even: GET, reading the query string's); the rest is split
 * at NUL bytes into one raw value per field of the spec below, in order.
 * The values go in as raw bytes, the way libmicrohttpd hands over query
 * arguments, so the validators are tested without the help of the body
 * decoder's checks.
 *
 * Whatever the bytes, an accepted value must be what its declaration says:
 * clean UTF-8, trimmed, within its bounds, of its shape; and reading all
 * fields at once must agree with reading each alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/input.h"
#include "util/timeutil.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const colours[] = { "red", "green", "蓝", NULL };

static const field spec[] = {
	{ "line", FIELD_LINE, false, 1, 20, NULL },
	{ "short", FIELD_LINE, false, 2, 5, NULL },
	{ "text", FIELD_TEXT, false, 0, 200, NULL },
	{ "int", FIELD_INT, false, -100, 100, NULL },
	{ "wide", FIELD_INT, false, INT64_MIN, INT64_MAX, NULL },
	{ "id", FIELD_ID, false, 0, 0, NULL },
	{ "date", FIELD_DATE, false, 0, 0, NULL },
	{ "bool", FIELD_BOOL, false, 0, 0, NULL },
	{ "choice", FIELD_CHOICE, false, 0, 0, colours },
	{ "login", FIELD_LOGIN, false, 0, 0, NULL },
	{ "phone", FIELD_PHONE, false, 0, 0, NULL },
	{ "password", FIELD_PASSWORD, false, 0, 0, NULL },
	{ "need", FIELD_LINE, true, 1, 60, NULL },
};
#define FIELDS (sizeof(spec) / sizeof(spec[0]))

static bool is_space_at_end(const char *s)
{
	size_t n = strlen(s);
	if (!n)
		return false;
	if (strchr(" \t\n\r\v\f", s[0]) || strchr(" \t\n\r\v\f", s[n - 1]))
		return true;
	return n >= 3 && (!memcmp(s, "\xe3\x80\x80", 3) || !memcmp(s + n - 3, "\xe3\x80\x80", 3));
}

static void check_value(const field *f, const field_value *v)
{
	if (!v->present) {
		CHECK(!f->required || f->type == FIELD_BOOL);
		return;
	}
	const char *s = v->text;
	size_t len = strlen(s), chars = utf8_count(s, len);
	CHECK(utf8_is_clean_text(s, len));
	if (f->type != FIELD_PASSWORD)
		CHECK(!is_space_at_end(s));
	switch (f->type) {
	case FIELD_LINE:
		CHECK(!strpbrk(s, "\r\n"));
		/* fall through */
	case FIELD_TEXT:
		CHECK((int64_t)chars >= f->min && (int64_t)chars <= f->max);
		break;
	case FIELD_INT:
		CHECK(v->number >= f->min && v->number <= f->max);
		CHECK(strtoll(s, NULL, 10) == v->number);
		break;
	case FIELD_ID:
		CHECK(v->number > 0 && strtoll(s, NULL, 10) == v->number);
		break;
	case FIELD_DATE: {
		char back[11];
		time_format_date(v->number, back);
		CHECK(!strcmp(back, s));
		break;
	}
	case FIELD_BOOL:
		CHECK(v->number == 0 || v->number == 1);
		break;
	case FIELD_CHOICE:
		CHECK(v->number >= 0 && v->number < 3 && !strcmp(f->choices[v->number], s));
		break;
	case FIELD_LOGIN:
		CHECK(len >= 3 && len <= 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == len);
		break;
	case FIELD_PHONE:
		CHECK(len >= 5 && len <= 20 && strspn(s + (s[0] == '+'), "0123456789") == len - (s[0] == '+'));
		break;
	case FIELD_PASSWORD:
		CHECK(len >= 1 && len <= 128);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	request r;
	memset(&r, 0, sizeof(r));
	arena_init(&r.mem);
	r.method = data[0] & 1 ? HTTP_POST : HTTP_GET;
	kv_list *list = r.method == HTTP_POST ? &r.form : &r.query;

	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	for (size_t i = 0; i < FIELDS && p < end; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
		kv_add(&r.mem, list, spec[i].name, arena_strndup(&r.mem, p, n), n);
		p += n + 1;
	}

	field_value one[FIELDS], all[FIELDS];
	const char *first_bad = NULL;
	for (size_t i = 0; i < FIELDS; i++) {
		const char *bad = NULL;
		gz_err rc = input_read(&r, &spec[i], 1, &one[i], &bad);
		if (rc == GZ_OK) {
			CHECK(bad == NULL);
			check_value(&spec[i], &one[i]);
		} else {
			CHECK(rc == GZ_EINVAL && bad == spec[i].name);
			if (!first_bad)
				first_bad = bad;
		}
	}
	const char *bad = NULL;
	gz_err rc = input_read(&r, spec, FIELDS, all, &bad);
	CHECK((rc == GZ_OK) == (first_bad == NULL));
	CHECK(bad == first_bad);
	if (rc == GZ_OK)
		for (size_t i = 0; i < FIELDS; i++)
			CHECK(all[i].present == one[i].present && all[i].number == one[i].number);
	arena_release(&r.mem);
	return 0;
}
