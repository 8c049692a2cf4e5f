/*
 * Search query builders: a user's search text to an FTS5 MATCH expression
 * or a PostgreSQL tsquery, and a document to a tsvector literal.
 *
 * Both query builders start from the normalized query, whose space-separated
 * pieces are exactly the parts (see text.h): a part holds only folded letters,
 * digits and CJK characters, so quoting it is trivially safe, and quoting is
 * still done properly in case that ever changes.
 */
#include "text/scan.h"

#include <stdio.h>
#include <string.h>

/* The normalized query, cut after TEXT_QUERY_MAX_ELEMENTS elements. */
static int normalize_query(text_buf *out, const char *s, size_t len)
{
	scanner sc;
	scan_elem e;
	scanner_init(&sc, s, len);
	for (size_t n = 0; n < TEXT_QUERY_MAX_ELEMENTS && scanner_next(&sc, &e); n++) {
		if (n > 0 && !e.joined)
			text_buf_append(out, " ", 1);
		text_buf_append(out, e.text, e.len);
	}
	return out->failed ? -1 : 0;
}

typedef void part_fn(text_buf *out, const char *part, size_t len, bool first);

/* Call fn for each part of the query, then report the buffer's state. */
static int for_each_part(text_buf *out, const char *query, size_t len, part_fn *fn)
{
	text_buf norm;
	text_buf_init(&norm);
	int rc = normalize_query(&norm, query, len);
	const char *p = norm.data;
	const char *end = norm.data + norm.len;
	for (bool first = true; rc == 0 && p < end; first = false) {
		const char *space = memchr(p, ' ', (size_t)(end - p));
		const char *stop = space ? space : end;
		fn(out, p, (size_t)(stop - p), first);
		p = stop + (space != NULL);
	}
	text_buf_release(&norm);
	return (rc || out->failed) ? -1 : 0;
}

void text_fts5_quote(text_buf *out, const char *s, size_t len)
{
	text_buf_append(out, "\"", 1);
	for (const char *q; len && (q = memchr(s, '"', len)) != NULL;) {
		size_t n = (size_t)(q - s) + 1;
		text_buf_append(out, s, n);
		text_buf_append(out, "\"", 1);
		s += n;
		len -= n;
	}
	text_buf_append(out, s, len);
	text_buf_append(out, "\"", 1);
}

static void fts5_part(text_buf *out, const char *part, size_t len, bool first)
{
	if (!first)
		text_buf_append(out, " ", 1);
	text_fts5_quote(out, part, len);
}

int text_query_fts5(text_buf *out, const char *query, size_t len)
{
	return for_each_part(out, query, len, fts5_part);
}

void tsquery_lexeme(text_buf *out, const char *s, size_t len)
{
	text_buf_append(out, "'", 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			text_buf_append(out, &s[i], 1);
		text_buf_append(out, &s[i], 1);
	}
	text_buf_append(out, "'", 1);
}

typedef struct phrase_writer {
	text_buf *out;
	bool first;     /* no token of this phrase written yet */
} phrase_writer;

static int phrase_token(void *ctx, const text_token *tok)
{
	phrase_writer *w = ctx;
	if (!w->first)
		text_buf_append(w->out, " <-> ", 5);
	w->first = false;
	tsquery_lexeme(w->out, tok->text, tok->len);
	return 0;
}

static void tsquery_part(text_buf *out, const char *part, size_t len, bool first)
{
	if (!first)
		text_buf_append(out, " & ", 3);
	/* Parenthesised so that & never binds inside a <-> chain. */
	text_buf_append(out, "(", 1);
	phrase_writer w = { .out = out, .first = true };
	text_tokenize(part, len, TEXT_MODE_QUERY, phrase_token, &w);
	text_buf_append(out, ")", 1);
}

int text_query_tsquery(text_buf *out, const char *query, size_t len)
{
	return for_each_part(out, query, len, tsquery_part);
}

static int tsvector_token(void *ctx, const text_token *tok)
{
	text_buf *out = ctx;
	if (out->len)
		text_buf_append(out, " ", 1);
	tsquery_lexeme(out, tok->text, tok->len);
	uint32_t pos = tok->pos < TEXT_TSVECTOR_MAX_POS ? tok->pos + 1 : TEXT_TSVECTOR_MAX_POS;
	char num[16];
	int n = snprintf(num, sizeof(num), ":%u", (unsigned)pos);
	text_buf_append(out, num, (size_t)n);
	return 0;
}

int text_tsvector(text_buf *out, const char *doc, size_t len)
{
	/* Write into a fresh buffer so "first token" is simply "empty buffer". */
	text_buf v;
	text_buf_init(&v);
	text_tokenize(doc, len, TEXT_MODE_DOCUMENT, tsvector_token, &v);
	text_buf_append(out, v.data, v.len);
	bool failed = v.failed;
	text_buf_release(&v);
	return failed || out->failed ? -1 : 0;
}
