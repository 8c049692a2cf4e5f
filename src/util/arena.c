#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN 8192
#define ARENA_ALIGN 16

struct arena_block {
	arena_block *next;
	size_t used, size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static void *must_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("gongzhi: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void arena_release(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

static arena_block *arena_grow(arena *a, size_t need)
{
	size_t size = ARENA_BLOCK_MIN;
	if (a->head && a->head->size < 1 << 20)
		size = a->head->size * 2;
	if (size < need)
		size = need;
	arena_block *b = must_malloc(sizeof(*b) + size);
	b->used = 0;
	b->size = size;
	b->next = a->head;
	a->head = b;
	return b;
}

void *arena_alloc(arena *a, size_t size)
{
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded < size)
		abort();
	arena_block *b = a->head;
	if (!b || b->size - b->used < rounded)
		b = arena_grow(a, rounded);
	void *p = b->data + b->used;
	b->used += rounded;
	a->total += rounded;
	memset(p, 0, size);
	return p;
}

void *arena_memdup(arena *a, const void *src, size_t len)
{
	void *p = arena_alloc(a, len ? len : 1);
	if (len)
		memcpy(p, src, len);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	/* Most strings fit a small buffer: format once, copy once. */
	char small[256];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
