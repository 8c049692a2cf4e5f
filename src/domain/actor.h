/*
 * Who is acting.  Every domain function that changes state takes an actor,
 * asks authz_can whether the actor may, and names the actor in the audit
 * record it writes.
 */
#ifndef GZ_DOMAIN_ACTOR_H
#define GZ_DOMAIN_ACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum role_kind {
	ROLE_RESIDENT,
	ROLE_SOCIAL_UNIT,
	ROLE_DELEGATE,
	ROLE_COMMUNITY_STAFF,
	ROLE_STREET_STAFF,
	ROLE_IMPLEMENTER,
	ROLE_ADMIN,
	ROLE__MAX
} role_kind;

typedef enum delegate_kind {
	DELEGATE_NONE,
	DELEGATE_RESIDENT_REP,
	DELEGATE_PARTY_REP,
	DELEGATE_NPC_DEPUTY,
	DELEGATE_CPPCC_MEMBER,
	DELEGATE_SOCIAL_UNIT_REP,
	DELEGATE_LEGAL_PROFESSIONAL,
	DELEGATE__MAX
} delegate_kind;

/* Stored names ("community_staff"), also the catalogue key suffixes. */
const char *role_name(role_kind role);
bool role_parse(const char *name, role_kind *out);
const char *delegate_kind_name(delegate_kind kind);
bool delegate_kind_parse(const char *name, delegate_kind *out);

/* One role in force: held in a unit, covering the unit's subtree. */
typedef struct held_role {
	int64_t assignment_id;
	role_kind role;
	delegate_kind delegate;
	int64_t unit_id;
	const char *unit_name;
	const char *unit_path;   /* "/12/15/": the subtree is every path with this prefix */
} held_role;

#define ACTOR_MAX_ROLES 16

typedef struct actor {
	int64_t account_id;      /* 0 for the system (demo, command line) */
	int64_t person_id;
	int64_t street_id;
	const char *login;
	const char *name;
	bool verified;           /* a resident checked by community staff */
	bool social_unit;
	const char *csrf_token;  /* the session's form token */
	size_t role_count;
	held_role roles[ACTOR_MAX_ROLES];
} actor;

/* The command line and the demo builder act as this. */
extern const actor actor_system;

/* The most senior role, for the audit record's "acting as" field. */
const char *actor_role_label(const actor *a);
bool actor_has_role(const actor *a, role_kind role);
/* Community staff, street staff or an administrator (NULL: no). */
bool actor_is_staff(const actor *a);

#endif
