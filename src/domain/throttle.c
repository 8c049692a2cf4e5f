#include "domain/throttle.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 96

typedef struct slot {
	char key[KEY_MAX];
	int64_t window_start;
	unsigned count;
} slot;

struct throttle {
	pthread_mutex_t lock;
	unsigned nslots;
	slot *slots;
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

throttle *throttle_new(unsigned slots)
{
	throttle *t = calloc(1, sizeof(*t));
	t->nslots = slots ? slots : 4096;
	t->slots = calloc(t->nslots, sizeof(slot));
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void throttle_free(throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
}

/* The slot for key, or a stale one to reuse when create is set. */
static slot *find(throttle *t, const char *key, bool create, unsigned window, int64_t now)
{
	uint64_t h = hash_key(key);
	slot *victim = NULL;
	for (unsigned probe = 0; probe < 8; probe++) {
		slot *s = &t->slots[(h + probe) % t->nslots];
		if (!strncmp(s->key, key, KEY_MAX - 1))
			return s;
		if (!victim || s->window_start < victim->window_start)
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	strncpy(victim->key, key, KEY_MAX - 1);
	victim->window_start = now;
	(void)window;
	return victim;
}

int throttle_wait(throttle *t, const char *key, unsigned limit, unsigned window, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	slot *s = find(t, key, false, window, now);
	int wait = 0;
	if (s && now - s->window_start < window && s->count >= limit)
		wait = (int)(s->window_start + window - now);
	pthread_mutex_unlock(&t->lock);
	return wait;
}

void throttle_hit(throttle *t, const char *key, unsigned window, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	slot *s = find(t, key, true, window, now);
	if (now - s->window_start >= window) {
		s->window_start = now;
		s->count = 0;
	}
	s->count++;
	pthread_mutex_unlock(&t->lock);
}

void throttle_clear(throttle *t, const char *key)
{
	pthread_mutex_lock(&t->lock);
	slot *s = find(t, key, false, 0, 0);
	if (s)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&t->lock);
}
