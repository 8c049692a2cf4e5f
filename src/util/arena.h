/*
 * Arenas: memory whose owner is a span of work, not a pointer.
 *
 * A request gets one arena; everything the request allocates comes from it,
 * and the whole lot is released when the request completes.  Nothing in an
 * arena is freed on its own.  Allocation never returns NULL: running out of
 * memory aborts, because a half-built response is worse than none.
 */
#ifndef GZ_UTIL_ARENA_H
#define GZ_UTIL_ARENA_H

#include <stddef.h>
#include <stdarg.h>

typedef struct arena_block arena_block;

typedef struct arena {
	arena_block *head;  /* newest block; older ones chained behind it */
	size_t total;       /* bytes handed out, for limits and statistics */
} arena;

#define ARENA_INIT { NULL, 0 }

void arena_init(arena *a);
/* Frees every block; the arena can be used again afterwards. */
void arena_release(arena *a);

/* Zeroed, aligned for any type. */
void *arena_alloc(arena *a, size_t size);
void *arena_memdup(arena *a, const void *src, size_t len);
/* NUL-terminated copy; NULL in gives NULL out. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_alloc((a), sizeof(type) * (n)))

#endif
