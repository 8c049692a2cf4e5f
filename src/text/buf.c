/*
 * text_buf: a growable NUL-terminated string with a sticky failure flag.
 */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

/* What data points at before the first growth, so it is never NULL.
 * Never written: growth replaces it before any byte is stored. */
static char empty_string[1];

void text_buf_init(text_buf *b)
{
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void text_buf_release(text_buf *b)
{
	if (b->cap)
		free(b->data);
	text_buf_init(b);
}

void text_buf_reset(text_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
	b->failed = false;
}

static bool grow(text_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra >= SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->cap ? b->data : NULL, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return true;
}

void text_buf_append(text_buf *b, const char *s, size_t len)
{
	if (!grow(b, len))
		return;
	if (len)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void text_buf_append_str(text_buf *b, const char *s)
{
	text_buf_append(b, s, strlen(s));
}
