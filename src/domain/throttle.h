/*
 * Counting events per key in a sliding window, in this process's memory:
 * failed logins per login name and per address, submissions per account.
 * A fixed table: under a flood of distinct keys the oldest entries are
 * overwritten, so memory stays bounded whatever the attacker sends.
 */
#ifndef GZ_DOMAIN_THROTTLE_H
#define GZ_DOMAIN_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct throttle throttle;

throttle *throttle_new(unsigned slots);
void throttle_free(throttle *t);
/* Seconds until `key` is below `limit` events in `window` seconds; 0 when it is now. */
int throttle_wait(throttle *t, const char *key, unsigned limit, unsigned window, int64_t now);
/* Records one event for `key`. */
void throttle_hit(throttle *t, const char *key, unsigned window, int64_t now);
/* Forgets `key` (after a successful login). */
void throttle_clear(throttle *t, const char *key);

#endif
