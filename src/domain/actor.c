#include "domain/actor.h"
#include "util/names.h"

#include <string.h>

static const char *const role_names[ROLE__MAX] = {
	[ROLE_RESIDENT] = "resident",
	[ROLE_SOCIAL_UNIT] = "social_unit",
	[ROLE_DELEGATE] = "delegate",
	[ROLE_COMMUNITY_STAFF] = "community_staff",
	[ROLE_STREET_STAFF] = "street_staff",
	[ROLE_IMPLEMENTER] = "implementer",
	[ROLE_ADMIN] = "admin",
};

static const char *const delegate_names[DELEGATE__MAX] = {
	[DELEGATE_NONE] = "",
	[DELEGATE_RESIDENT_REP] = "resident_rep",
	[DELEGATE_PARTY_REP] = "party_rep",
	[DELEGATE_NPC_DEPUTY] = "npc_deputy",
	[DELEGATE_CPPCC_MEMBER] = "cppcc_member",
	[DELEGATE_SOCIAL_UNIT_REP] = "social_unit_rep",
	[DELEGATE_LEGAL_PROFESSIONAL] = "legal_professional",
};

const actor actor_system = { .login = "system", .name = "system" };

const char *role_name(role_kind role)
{
	return role < ROLE__MAX ? role_names[role] : "";
}

bool role_parse(const char *name, role_kind *out)
{
	int i = name_index(role_names, ROLE__MAX, name);
	if (i < 0)
		return false;
	*out = (role_kind)i;
	return true;
}

const char *delegate_kind_name(delegate_kind kind)
{
	return kind < DELEGATE__MAX ? delegate_names[kind] : "";
}

bool delegate_kind_parse(const char *name, delegate_kind *out)
{
	int i = name_index(delegate_names, DELEGATE__MAX, name);
	if (i < 0)
		return false;
	*out = (delegate_kind)i;
	return true;
}

const char *actor_role_label(const actor *a)
{
	if (!a->account_id)
		return a == &actor_system ? "system" : "anonymous";   /* e.g. a paper survey code */
	role_kind best = ROLE_RESIDENT;
	bool any = false;
	for (size_t i = 0; i < a->role_count; i++)
		if (!any || a->roles[i].role > best) {
			best = a->roles[i].role;
			any = true;
		}
	return any ? role_name(best) : (a->social_unit ? "social_unit" : "resident");
}

bool actor_has_role(const actor *a, role_kind role)
{
	for (size_t i = 0; i < a->role_count; i++)
		if (a->roles[i].role == role)
			return true;
	return false;
}

bool actor_is_staff(const actor *a)
{
	return a && (actor_has_role(a, ROLE_COMMUNITY_STAFF) || actor_has_role(a, ROLE_STREET_STAFF) ||
		     actor_has_role(a, ROLE_ADMIN));
}
