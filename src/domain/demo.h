/*
 * A realistic fictional street for trying the platform: communities with
 * grids and buildings, delegates of every kind with a party-member majority
 * in each community, staff in every role, residents with Chinese names, and
 * a yearly cycle whose 问需 stage is open on the day the demo is built.
 * Each stage adds its own data through a builder listed in demo.c.
 */
#ifndef GZ_DOMAIN_DEMO_H
#define GZ_DOMAIN_DEMO_H

#include <stdint.h>

#include "store/store.h"

#define DEMO_PASSWORD "demo2026"
#define DEMO_COMMUNITIES 4

typedef struct demo_account {
	const char *login;
	const char *role_key;    /* catalogue key of the role, e.g. "role.admin" */
	const char *description; /* English, for the terminal */
} demo_account;

/* What the builders share. */
typedef struct demo_context {
	int64_t street_id, street_unit_id;
	int64_t community_ids[DEMO_COMMUNITIES];
	int64_t grid_ids[DEMO_COMMUNITIES][3];
	int64_t *resident_ids;          /* every resident and social unit, in creation order */
	size_t resident_count;
	int64_t staff_person_ids[DEMO_COMMUNITIES];   /* one community staff member each */
	int64_t street_staff_person_id;
	uint64_t seed;                  /* deterministic pseudo-random state */
	int64_t now;
} demo_context;

/* A small deterministic generator so every demo is the same. */
uint64_t demo_random(demo_context *d);
/* A Chinese personal name. */
const char *demo_name(demo_context *d, arena *a);

/* Builds the demo into an empty database; GZ_EEXIST when it has a street. */
gz_err demo_build(store *st);
/* The accounts the demo creates, ending with a NULL login. */
extern const demo_account demo_accounts[];

/* The builders of each stage (demo-<stage>.c), listed in demo.c's builders[]. */
gz_err demo_build_needs(store_conn *c, demo_context *d, arena *a, const char *encoded);
gz_err demo_build_surveys(store_conn *c, demo_context *d, arena *a, const char *encoded);

#endif
