#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char buf_empty[1];

void buf_init(buf *b, size_t cap)
{
	*b = (buf)BUF_INIT;
	b->cap = cap;
}

void buf_release(buf *b)
{
	if (b->alloc)
		free(b->data);
	size_t cap = b->cap;
	buf_init(b, cap);
}

char *buf_detach(buf *b, size_t *len)
{
	char *data = b->alloc ? b->data : calloc(1, 1);
	if (len)
		*len = b->len;
	size_t cap = b->cap;
	buf_init(b, cap);
	return data;
}

void buf_reset(buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->alloc)
		b->data[0] = '\0';
}

bool buf_grow(buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len || (b->cap && b->len + extra > b->cap)) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return true;
	size_t alloc = b->alloc ? b->alloc : 64;
	while (alloc < need)
		alloc *= 2;
	char *data = realloc(b->alloc ? b->data : NULL, alloc);
	if (!data) {
		b->failed = true;
		return false;
	}
	if (!b->alloc)
		data[0] = '\0';
	b->data = data;
	b->alloc = alloc;
	return true;
}

void buf_add(buf *b, const void *data, size_t len)
{
	if (!buf_grow(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_adds(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (!buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}
