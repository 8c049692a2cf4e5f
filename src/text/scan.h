/*
 * The element scanner shared by the tokenizer and the query builders
 * (internal to src/text).  It folds and classifies code points and hands
 * out one element at a time: a CJK character or a word.
 */
#ifndef GZ_TEXT_SCAN_H
#define GZ_TEXT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "text/text.h"

typedef enum scan_kind {
	SCAN_WORD,
	SCAN_CJK,
} scan_kind;

typedef struct scan_elem {
	scan_kind kind;
	bool joined;        /* no separator between this element and the previous one */
	size_t start, end;  /* byte range in the input */
	size_t len;         /* bytes in text */
	char text[TEXT_TOKEN_MAX]; /* folded UTF-8, not NUL-terminated */
} scan_elem;

typedef struct scanner {
	const char *s;
	size_t len;
	size_t at;          /* next byte to read */
} scanner;

void scanner_init(scanner *sc, const char *s, size_t len);

/* Fill *e with the next element; false at the end of the input. */
bool scanner_next(scanner *sc, scan_elem *e);

/* Append the UTF-8 encoding of cp (a valid scalar value) to out, which has
 * room for 4 bytes; return the number of bytes written. */
size_t text_utf8_encode(uint32_t cp, char *out);

/* Append a PostgreSQL lexeme literal: '...' with ' and \ escaped. */
void tsquery_lexeme(text_buf *out, const char *s, size_t len);

#endif
