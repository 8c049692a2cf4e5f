/*
 * The organisation tree (street -> community -> grid -> building), the people
 * in it and the roles they hold.  Every change is checked with authz_can and
 * audited in its own transaction.
 */
#ifndef GZ_DOMAIN_ORG_H
#define GZ_DOMAIN_ORG_H

#include "domain/actor.h"
#include "store/store.h"

typedef enum unit_kind { UNIT_STREET, UNIT_COMMUNITY, UNIT_GRID, UNIT_BUILDING, UNIT__MAX } unit_kind;

const char *unit_kind_name(unit_kind kind);
bool unit_kind_parse(const char *name, unit_kind *out);

typedef struct org_unit {
	int64_t id, street_id, parent_id;
	unit_kind kind;
	const char *name;
	int64_t households;
	const char *path;
} org_unit;

typedef struct person_record {
	int64_t id, street_id, home_unit_id;
	const char *name, *phone, *home_unit_name, *home_unit_path;
	bool party_member, verified, social_unit, pseudonymised;
} person_record;

/* Community grant formula (Beijing): 80,000 yuan a year, plus 40 yuan per
 * household above 2,000. */
int64_t community_budget_yuan(int64_t households);

/* Creates a street with its street-level unit; by the system only. */
gz_err street_create(store *st, const actor *who, const char *district, const char *name, int64_t *street_id,
		     int64_t *street_unit_id);
gz_err street_first(store_conn *c, arena *a, int64_t *street_id, const char **name, const char **district);

/* Adds a unit under `parent_id`; the kind must be the next level down. */
gz_err unit_create(store *st, const actor *who, int64_t parent_id, unit_kind kind, const char *name,
		   int64_t households, int64_t *unit_id);
gz_err unit_rename(store *st, const actor *who, int64_t unit_id, const char *name, int64_t households);
/* Removes a unit with no children and nothing referring to it. */
gz_err unit_delete(store *st, const actor *who, int64_t unit_id);
gz_err unit_get(store_conn *c, arena *a, int64_t unit_id, org_unit *out);
/* Units of a street, in tree order; `kind` < 0 for every kind. */
gz_err unit_list(store_conn *c, arena *a, int64_t street_id, int kind, org_unit **out, size_t *count);

typedef struct person_input {
	const char *name, *phone;
	bool party_member, social_unit, verified;
	int64_t home_unit_id;
} person_input;

gz_err person_create(store *st, const actor *who, int64_t street_id, const person_input *in, int64_t *person_id);
gz_err person_update(store *st, const actor *who, int64_t person_id, const person_input *in);
gz_err person_verify(store *st, const actor *who, int64_t person_id, bool verified);
gz_err person_get(store_conn *c, arena *a, int64_t person_id, person_record *out);
/* Reads a row in the column order of the person_get statement. */
void person_from_row(const rows *r, size_t i, person_record *p);
/* A page of people under `unit_path` ("" for the whole street). */
gz_err person_list(store_conn *c, arena *a, int64_t street_id, const char *unit_path, int64_t limit,
		   int64_t offset, person_record **out, size_t *count, int64_t *total);

typedef struct role_input {
	int64_t person_id, unit_id;
	role_kind role;
	delegate_kind delegate;
	int64_t term_start, term_end;   /* term_end 0: open-ended */
} role_input;

gz_err role_assign(store *st, const actor *who, const role_input *in, int64_t *assignment_id);
/* Ends a role now. */
gz_err role_end(store *st, const actor *who, int64_t assignment_id);

/* The write-side helpers, for use inside another write (the demo builder). */
gz_err unit_create_in(store_conn *c, const actor *who, int64_t parent_id, unit_kind kind, const char *name,
		      int64_t households, int64_t *unit_id);
gz_err person_create_in(store_conn *c, const actor *who, int64_t street_id, const person_input *in,
			int64_t *person_id);
gz_err role_assign_in(store_conn *c, const actor *who, const role_input *in, int64_t *assignment_id);

#endif
