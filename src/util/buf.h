/*
 * Growable byte buffers (after git's strbuf).
 *
 * Invariants: `data` is never NULL and always NUL-terminated, so a buffer
 * can be printed at any time.  A buffer may carry a size cap; once an append
 * would pass the cap, or memory runs out, the buffer turns `failed` and every
 * later append does nothing.  Builders check `failed` once at the end instead
 * of after every call (the sticky error of SQLite's printf.c).
 */
#ifndef GZ_UTIL_BUF_H
#define GZ_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
	char *data;     /* heap memory, or the shared empty string while alloc == 0 */
	size_t len;     /* bytes used, not counting the terminating NUL */
	size_t alloc;   /* bytes allocated; 0 means nothing is owned yet */
	size_t cap;     /* largest len allowed; 0 means no cap */
	bool failed;    /* sticky: an append passed the cap or memory ran out */
} buf;

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0, 0, false }

void buf_init(buf *b, size_t cap);
/* Frees the memory and returns the buffer to BUF_INIT. */
void buf_release(buf *b);
/* Hands the memory to the caller, who frees it; the buffer is reset. */
char *buf_detach(buf *b, size_t *len);
void buf_reset(buf *b);

void buf_add(buf *b, const void *data, size_t len);
void buf_adds(buf *b, const char *s);
void buf_addch(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Makes room for `extra` more bytes without changing len. */
bool buf_grow(buf *b, size_t extra);

#endif
