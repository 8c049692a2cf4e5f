/*
 * The one way HTML is written.
 *
 * Everything goes into the request's response buffer.  Text is escaped for
 * its context: html_text for element content and quoted attribute values
 * (both escape & < > " '), html_url_part for a query-string or path
 * component.  html_fmt escapes every %s argument as text.  The only call
 * that writes a string unescaped is html_markup, and it is meant for
 * literal markup from the program itself: grep for it when reviewing.
 */
#ifndef GZ_PAGES_HTML_H
#define GZ_PAGES_HTML_H

#include <stdint.h>

#include "http/request.h"

void html_markup(request *r, const char *trusted_markup);
void html_text(request *r, const char *s);
void html_textn(request *r, const char *s, size_t len);
void html_url_part(request *r, const char *s);
/* printf-like: %s (escaped text), %d, %u, %ld, %lld, %zu, %% only. */
void html_fmt(request *r, const char *fmt, ...);

/* The interface string `key` in the request's language, escaped. */
void html_t(request *r, const char *key);
/* The raw catalogue string (for use as an html_fmt format or attribute). */
const char *tr(request *r, const char *key);
/* The catalogue string `key` used as a printf format, into the request arena.
 * Safe because gen-i18n.py makes every language use the same conversions. */
const char *trf(request *r, const char *key, ...);

/* Masking for public pages: "张三丰" -> "张**", "13812341234" -> "138****1234". */
const char *mask_name(arena *a, const char *name);
const char *mask_phone(arena *a, const char *phone);

#endif
