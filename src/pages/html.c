#include "pages/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n/i18n.h"
#include "util/utf8.h"

void html_markup(request *r, const char *trusted_markup)
{
	buf_adds(&r->out, trusted_markup);
}

void html_textn(request *r, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *entity;
		switch (s[i]) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		case '\0': entity = ""; break;
		default: continue;
		}
		buf_add(&r->out, s + start, i - start);
		buf_adds(&r->out, entity);
		start = i + 1;
	}
	buf_add(&r->out, s + start, len - start);
}

void html_text(request *r, const char *s)
{
	if (s)
		html_textn(r, s, strlen(s));
}

void html_url_part(request *r, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p)) {
			buf_addch(&r->out, (char)*p);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			buf_add(&r->out, esc, 3);
		}
	}
}

void html_fmt(request *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_adds(&r->out, p);
			break;
		}
		buf_add(&r->out, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == 's') {
			html_text(r, va_arg(ap, const char *));
			p++;
		} else if (*p == 'd') {
			buf_printf(&r->out, "%d", va_arg(ap, int));
			p++;
		} else if (*p == 'u') {
			buf_printf(&r->out, "%u", va_arg(ap, unsigned));
			p++;
		} else if (!strncmp(p, "lld", 3)) {
			buf_printf(&r->out, "%lld", va_arg(ap, long long));
			p += 3;
		} else if (!strncmp(p, "ld", 2)) {
			buf_printf(&r->out, "%ld", va_arg(ap, long));
			p += 2;
		} else if (!strncmp(p, "zu", 2)) {
			buf_printf(&r->out, "%zu", va_arg(ap, size_t));
			p += 2;
		} else if (*p == '%') {
			buf_addch(&r->out, '%');
			p++;
		} else {
			/* An unknown conversion is a programming error; show it plainly. */
			buf_addch(&r->out, '%');
		}
	}
	va_end(ap);
}

const char *tr(request *r, const char *key)
{
	return i18n_get(r->lang, key);
}

const char *trf(request *r, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	const char *text = arena_vprintf(&r->mem, tr(r, key), ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return text;
}

void html_t(request *r, const char *key)
{
	html_text(r, tr(r, key));
}

const char *mask_name(arena *a, const char *name)
{
	size_t len = strlen(name ? name : "");
	if (!len)
		return "";
	size_t chars = utf8_count(name, len);
	size_t first = utf8_prefix_len(name, len, 1);
	char *out = arena_alloc(a, first + (chars > 1 ? chars - 1 : 1) + 1);
	memcpy(out, name, first);
	size_t n = first;
	for (size_t i = 1; i < (chars > 1 ? chars : 2); i++)
		out[n++] = '*';
	out[n] = '\0';
	return out;
}

/* A mobile number keeps its first 3 and last 4 digits (138****1234); a
 * shorter number keeps 2 and 2, so never more than half of it shows. */
const char *mask_phone(arena *a, const char *phone)
{
	size_t len = strlen(phone ? phone : "");
	if (len < 7)
		return len ? "****" : "";
	size_t head = len >= 11 ? 3 : 2, tail = len >= 11 ? 4 : 2;
	return arena_printf(a, "%.*s****%s", (int)head, phone, phone + len - tail);
}
