/*
 * Read-side views of the organisation for the administration pages: a
 * person's roles over time, who holds roles in a unit, a community's
 * delegate roster with its party-member share, searching people, and the
 * audit log a page at a time.
 *
 * These functions only read.  They do not decide who may see what: the page
 * asks authz_can first (AUTHZ_MANAGE_PEOPLE for people, AUTHZ_VIEW_RESTRICTED
 * before showing party membership or phone numbers, AUTHZ_VIEW_AUDIT for the
 * log).  Everything returned lives in the arena passed in.
 */
#ifndef GZ_DOMAIN_ORG_VIEW_H
#define GZ_DOMAIN_ORG_VIEW_H

#include "domain/org.h"

/* One role assignment, current or past. */
typedef struct role_record {
	int64_t id, street_id, person_id, unit_id;
	role_kind role;
	delegate_kind delegate;     /* DELEGATE_NONE unless role is ROLE_DELEGATE */
	int64_t term_start;
	int64_t term_end;           /* 0: open-ended */
	const char *unit_name, *unit_path;
	const char *person_name;    /* only filled by roles_of_unit */
} role_record;

/* True when the assignment is in force at `t`. */
bool role_in_force(const role_record *r, int64_t t);

gz_err role_get(store_conn *c, arena *a, int64_t assignment_id, role_record *out);
/* Every role a person held or holds, newest term first. */
gz_err role_history(store_conn *c, arena *a, int64_t street_id, int64_t person_id, role_record **out,
		    size_t *count);
/* Roles in force at `t` held in exactly this unit. */
gz_err roles_of_unit(store_conn *c, arena *a, int64_t street_id, int64_t unit_id, int64_t t, role_record **out,
		     size_t *count);

/* A delegate of a community's deliberation platform. */
typedef struct roster_member {
	int64_t assignment_id, person_id;
	const char *name;
	delegate_kind kind;
	bool party_member;          /* restricted: show only with AUTHZ_VIEW_RESTRICTED */
} roster_member;

typedef struct roster_share {
	int64_t delegates;
	int64_t party_members;
	bool party_majority;        /* DESIGN: 议事代表中党员过半, strictly more than half */
} roster_share;

/* Strictly more than half: 5 of 10 is not a majority, 6 of 10 is. */
bool roster_party_majority(int64_t delegates, int64_t party_members);

/* Delegates in force at `t` in the unit, with the party-member share. */
gz_err delegate_roster(store_conn *c, arena *a, int64_t street_id, int64_t unit_id, int64_t t, roster_member **out,
		       size_t *count, roster_share *share);

/* A page of the street's people under `unit_path` ("" for all) whose name
 * contains `name_part` ("" for any; matched literally, % and _ included). */
gz_err person_search(store_conn *c, arena *a, int64_t street_id, const char *unit_path, const char *name_part,
		     int64_t limit, int64_t offset, person_record **out, size_t *count, int64_t *total);

/* People living in the unit itself and roles held in it: a unit with
 * either cannot be deleted. */
gz_err unit_references(store_conn *c, int64_t street_id, int64_t unit_id, int64_t *people, int64_t *roles);

/* One audit record as the audit page shows it. */
typedef struct audit_row {
	int64_t id, at, object_id;
	const char *actor_role, *action, *object_type, *summary;
	const char *actor_name, *actor_login;   /* "" for the system */
} audit_row;

/* Up to `limit` records of the street older than `before_id` (0: from the
 * newest), newest first. */
gz_err audit_page(store_conn *c, arena *a, int64_t street_id, int64_t before_id, int64_t limit, audit_row **out,
		  size_t *count);

#endif
