#include "domain/authz.h"

#include <string.h>

#define R(role) (1u << (role))

typedef enum reach {
	REACH_STREET,   /* any role of the listed kinds in the street will do */
	REACH_SUBTREE,  /* the role's unit must contain the target unit */
} reach;

typedef struct rule {
	const char *name;
	unsigned roles;       /* bit set of role_kind */
	reach reach;
	bool self_service;    /* any signed-in person of the street, without a role */
	bool verified_only;   /* ... but only a verified resident */
} rule;

/* Administrators and street staff always reach the whole street. */
#define STREET_WIDE (R(ROLE_ADMIN) | R(ROLE_STREET_STAFF))

static const rule rules[AUTHZ__MAX] = {
	[AUTHZ_MANAGE_ORG] = { "manage_org", R(ROLE_ADMIN), REACH_STREET, false, false },
	[AUTHZ_MANAGE_PEOPLE] = { "manage_people", STREET_WIDE | R(ROLE_COMMUNITY_STAFF), REACH_SUBTREE, false, false },
	[AUTHZ_MANAGE_ROLES] = { "manage_roles", STREET_WIDE, REACH_STREET, false, false },
	[AUTHZ_VIEW_RESTRICTED] = { "view_restricted", STREET_WIDE | R(ROLE_COMMUNITY_STAFF), REACH_SUBTREE, false, false },
	[AUTHZ_CONFIGURE_YEAR] = { "configure_year", STREET_WIDE, REACH_STREET, false, false },
	[AUTHZ_VIEW_AUDIT] = { "view_audit", STREET_WIDE, REACH_STREET, false, false },
	[AUTHZ_SUBMIT_NEED] = { "submit_need", 0, REACH_STREET, true, false },
	[AUTHZ_SUPPORT_NEED] = { "support_need", 0, REACH_STREET, true, true },
	[AUTHZ_RECORD_NEED] = { "record_need", STREET_WIDE | R(ROLE_COMMUNITY_STAFF), REACH_SUBTREE, false, false },
	[AUTHZ_CURATE_NEEDS] = { "curate_needs", STREET_WIDE | R(ROLE_COMMUNITY_STAFF), REACH_SUBTREE, false, false },
	[AUTHZ_CONFIGURE_NEEDS] = { "configure_needs", STREET_WIDE, REACH_STREET, false, false },
	[AUTHZ_ANSWER_SURVEY] = { "answer_survey", 0, REACH_STREET, true, true },
};

static bool unit_contains(const char *role_path, const char *target_path)
{
	if (!target_path || !*target_path)
		return false;   /* a street-wide target needs a street-wide role */
	return role_path && *role_path && !strncmp(role_path, target_path, strlen(role_path));
}

static bool role_reaches(const held_role *h, const rule *rl, authz_target where)
{
	if (!(rl->roles & R(h->role)))
		return false;
	if (rl->reach == REACH_STREET || (STREET_WIDE & R(h->role)))
		return true;
	return unit_contains(h->unit_path, where.unit_path);
}

bool authz_can(const actor *a, authz_action action, authz_target where)
{
	if (!a || action >= AUTHZ__MAX)
		return false;
	if (!a->account_id)
		return a == &actor_system;   /* the command line acts for the operator */
	if (a->street_id != where.street_id)
		return false;
	const rule *rl = &rules[action];
	if (rl->self_service)
		return !rl->verified_only || (a->verified && !a->social_unit);
	for (size_t i = 0; i < a->role_count; i++)
		if (role_reaches(&a->roles[i], rl, where))
			return true;
	return false;
}

const char *authz_action_name(authz_action action)
{
	return action < AUTHZ__MAX ? rules[action].name : "";
}
