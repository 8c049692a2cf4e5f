#include "http/input.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/utf8.h"

/* Trims ASCII white space and the ideographic space U+3000 at both ends. */
static const char *trim(arena *a, const char *s)
{
	size_t len = strlen(s);
	size_t start = 0;
	for (;;) {
		if (start < len && isspace((unsigned char)s[start]))
			start++;
		else if (len - start >= 3 && !memcmp(s + start, "\xe3\x80\x80", 3))
			start += 3;
		else
			break;
	}
	for (;;) {
		if (len > start && isspace((unsigned char)s[len - 1]))
			len--;
		else if (len - start >= 3 && !memcmp(s + len - 3, "\xe3\x80\x80", 3))
			len -= 3;
		else
			break;
	}
	return arena_strndup(a, s + start, len - start);
}

static bool parse_int(const char *s, int64_t *out)
{
	if (!*s || strlen(s) > 19)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno == ERANGE)   /* out of range would clamp to the extreme */
		return false;
	*out = v;
	return true;
}

static bool read_one(request *r, const field *f, const char *raw, field_value *v)
{
	/* Bodies were checked when decoded, but query strings come straight
	 * from libmicrohttpd's percent-decoding: check every value here. */
	if (!utf8_is_clean_text(raw, strlen(raw)))
		return false;
	const char *s = f->type == FIELD_PASSWORD ? raw : trim(&r->mem, raw);
	size_t chars = utf8_count(s, strlen(s));
	v->text = s;
	if (!*s) {
		v->present = false;
		return !f->required || f->type == FIELD_BOOL;
	}
	v->present = true;
	switch (f->type) {
	case FIELD_LINE:
		if (strpbrk(s, "\r\n"))
			return false;
		/* fall through */
	case FIELD_TEXT:
		return (int64_t)chars >= f->min && (int64_t)chars <= f->max;
	case FIELD_INT:
		return parse_int(s, &v->number) && v->number >= f->min && v->number <= f->max;
	case FIELD_ID:
		return parse_int(s, &v->number) && v->number > 0;
	case FIELD_DATE:
		return time_parse_date(s, &v->number);
	case FIELD_BOOL:
		v->number = !strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true");
		return v->number || !strcmp(s, "0") || !strcmp(s, "false");
	case FIELD_CHOICE:
		for (int64_t i = 0; f->choices && f->choices[i]; i++)
			if (!strcmp(f->choices[i], s)) {
				v->number = i;
				return true;
			}
		return false;
	case FIELD_LOGIN:
		if (chars < 3 || chars > 32)
			return false;
		for (const char *p = s; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				return false;
		return true;
	case FIELD_PHONE:
		if (strlen(s) < 5 || strlen(s) > 20)
			return false;
		for (const char *p = s; *p; p++)
			if (!((*p >= '0' && *p <= '9') || (p == s && *p == '+')))
				return false;
		return true;
	case FIELD_PASSWORD:
		return strlen(s) <= 128;
	}
	return false;
}

gz_err input_read(request *r, const field *spec, size_t count, field_value *out, const char **bad)
{
	/* All cleared first: a caller re-showing the form after a refusal reads
	 * the fields after the bad one too. */
	memset(out, 0, sizeof(*out) * count);
	for (size_t i = 0; i < count; i++) {
		/* A form is read from its body only, a query from the URL only. */
		const char *raw = r->method == HTTP_POST ? req_form(r, spec[i].name) : req_query(r, spec[i].name);
		if (!read_one(r, &spec[i], raw ? raw : "", &out[i])) {
			*bad = spec[i].name;
			return GZ_EINVAL;
		}
	}
	*bad = NULL;
	return GZ_OK;
}
