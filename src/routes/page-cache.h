/*
 * Rendered public pages, kept until the next change.
 *
 * Anonymous GETs of routes flagged ROUTE_CACHE are answered from memory
 * while the store's generation is the one the page was made at; any commit
 * makes every cached page stale at once, so a page is never staler than the
 * last write.  Only for a single process owning its database (SQLite): with
 * several servers on one PostgreSQL, another server's writes would not be
 * seen, so the cache is off there.  Bounded: a fixed number of slots, and
 * pages over a size limit are not kept.
 */
#ifndef GZ_ROUTES_PAGE_CACHE_H
#define GZ_ROUTES_PAGE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

void page_cache_enable(bool on);
bool page_cache_enabled(void);
/* Copies a fresh cached page for `key` into the response; false on a miss. */
bool page_cache_fetch(const char *key, uint64_t generation, request *r);
/* Keeps the response just rendered under `key`. */
void page_cache_keep(const char *key, uint64_t generation, const request *r);
/* Frees everything (at shutdown). */
void page_cache_clear(void);

#endif
