#include "routes/page-cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512
#define MAX_PAGE (256 * 1024)

typedef struct cached_page {
	char *key;
	uint64_t generation;
	int status;
	const char *type;   /* a string constant from the handler */
	char *body;
	size_t len;
} cached_page;

static cached_page slots[SLOTS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static bool enabled;

void page_cache_enable(bool on)
{
	enabled = on;
}

bool page_cache_enabled(void)
{
	return enabled;
}

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h % SLOTS);
}

bool page_cache_fetch(const char *key, uint64_t generation, request *r)
{
	if (!enabled)
		return false;
	bool hit = false;
	pthread_rwlock_rdlock(&lock);
	const cached_page *p = &slots[slot_of(key)];
	if (p->key && p->generation == generation && !strcmp(p->key, key)) {
		r->status = p->status;
		r->out_type = p->type;
		buf_add(&r->out, p->body, p->len);
		hit = true;
	}
	pthread_rwlock_unlock(&lock);
	return hit;
}

void page_cache_keep(const char *key, uint64_t generation, const request *r)
{
	/* A handler that sets no status answers 200: the server fills it in later. */
	int status = r->status ? r->status : 200;
	if (!enabled || status != 200 || r->out.len > MAX_PAGE || r->out.failed)
		return;
	char *key_copy = strdup(key), *body = malloc(r->out.len ? r->out.len : 1);
	if (!key_copy || !body) {
		free(key_copy);
		free(body);
		return;
	}
	memcpy(body, r->out.data, r->out.len);
	pthread_rwlock_wrlock(&lock);
	cached_page *p = &slots[slot_of(key)];
	free(p->key);
	free(p->body);
	*p = (cached_page){ key_copy, generation, status, r->out_type, body, r->out.len };
	pthread_rwlock_unlock(&lock);
}

void page_cache_clear(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].body);
		slots[i] = (cached_page){ 0 };
	}
	pthread_rwlock_unlock(&lock);
}
