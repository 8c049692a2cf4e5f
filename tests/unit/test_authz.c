/*
 * Tests for src/domain/authz.c: the matrix of action x role x place.
 *
 * Street 1 is laid out as
 *     /1/        the street unit (street staff and administrators hold roles here)
 *     /1/2/      community A (every other role is held here)
 *     /1/2/5/    a grid inside community A
 *     /1/3/      community B, A's sibling
 * and street 2 is somebody else's.  Each expectation string gives, for one
 * role, the answer at five places, in this order:
 *     S  community A itself           C  a grid in community A
 *     B  community B (a sibling)      W  the street as a whole
 *     O  community A's path, but in street 2
 * Actions are looked up by their stable name, so an action added later
 * still gets the invariant checks even before it has a row here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/authz.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PLACES 5

static const authz_target places[PLACES] = {
	{ 1, "/1/2/" },
	{ 1, "/1/2/5/" },
	{ 1, "/1/3/" },
	{ 1, "" },
	{ 2, "/1/2/" },
};
static const char place_names[] = "SCBWO";

typedef struct expectation {
	const char *action;
	const char *by_role[ROLE__MAX];   /* indexed by role_kind */
} expectation;

#define NONE "NNNNN"
#define STREET "YYYYN"    /* anywhere in the street */
#define SUBTREE "YYNNN"   /* the role's community and below */

/* Roles in role_kind order: resident, social unit, delegate, community
 * staff, street staff, implementer, administrator. */
static const expectation table[] = {
	{ "manage_org", { NONE, NONE, NONE, NONE, NONE, NONE, STREET } },
	{ "manage_people", { NONE, NONE, NONE, SUBTREE, STREET, NONE, STREET } },
	{ "manage_roles", { NONE, NONE, NONE, NONE, STREET, NONE, STREET } },
	{ "view_restricted", { NONE, NONE, NONE, SUBTREE, STREET, NONE, STREET } },
	{ "configure_year", { NONE, NONE, NONE, NONE, STREET, NONE, STREET } },
	{ "view_audit", { NONE, NONE, NONE, NONE, STREET, NONE, STREET } },
	/* self-service: anyone signed in to the street */
	{ "submit_need", { STREET, STREET, STREET, STREET, STREET, STREET, STREET } },
	/* self-service for verified people, never for a social unit's account */
	{ "support_need", { STREET, NONE, STREET, STREET, STREET, STREET, STREET } },
	{ "record_need", { NONE, NONE, NONE, SUBTREE, STREET, NONE, STREET } },
	{ "curate_needs", { NONE, NONE, NONE, SUBTREE, STREET, NONE, STREET } },
	{ "configure_needs", { NONE, NONE, NONE, NONE, STREET, NONE, STREET } },
	{ "answer_survey", { STREET, NONE, STREET, STREET, STREET, STREET, STREET } },
};

/* A verified person of street 1 holding one role. */
static actor actor_with(role_kind role)
{
	bool street_level = role == ROLE_STREET_STAFF || role == ROLE_ADMIN;
	actor a = {
		.account_id = 10 + role,
		.person_id = 20 + role,
		.street_id = 1,
		.login = "tester",
		.name = "测试",
		.verified = true,
		.social_unit = role == ROLE_SOCIAL_UNIT,
		.role_count = 1,
	};
	a.roles[0] = (held_role){
		.assignment_id = 30 + role,
		.role = role,
		.delegate = role == ROLE_DELEGATE ? DELEGATE_RESIDENT_REP : DELEGATE_NONE,
		.unit_id = street_level ? 1 : 2,
		.unit_name = street_level ? "街道" : "社区甲",
		.unit_path = street_level ? "/1/" : "/1/2/",
	};
	return a;
}

static const expectation *expected_for(const char *name)
{
	for (size_t i = 0; i < COUNT(table); i++)
		if (!strcmp(table[i].action, name))
			return &table[i];
	return NULL;
}

static void test_matrix(void **state)
{
	size_t checked = 0;
	for (int act = 0; act < AUTHZ__MAX; act++) {
		const expectation *e = expected_for(authz_action_name((authz_action)act));
		if (!e)
			continue;
		for (int role = 0; role < ROLE__MAX; role++) {
			actor a = actor_with((role_kind)role);
			for (int p = 0; p < PLACES; p++) {
				bool want = e->by_role[role][p] == 'Y';
				if (authz_can(&a, (authz_action)act, places[p]) != want)
					fail_msg("%s by %s at %c (street %lld, \"%s\"): expected %s", e->action,
						 role_name((role_kind)role), place_names[p], (long long)places[p].street_id,
						 places[p].unit_path, want ? "allowed" : "refused");
				checked++;
			}
		}
	}
	/* Every action of the foundation is in the table. */
	assert_true(checked >= 10 * ROLE__MAX * PLACES);
}

/* Whatever an action is, some answers never change. */
static void test_invariants_of_every_action(void **state)
{
	for (int act = 0; act < AUTHZ__MAX; act++) {
		const char *name = authz_action_name((authz_action)act);
		assert_true(name && *name);
		for (int other = 0; other < act; other++)
			if (!strcmp(name, authz_action_name((authz_action)other)))
				fail_msg("two actions are named %s", name);
		for (int p = 0; p < PLACES; p++) {
			/* The command line and the demo builder act as the system. */
			assert_true(authz_can(&actor_system, (authz_action)act, places[p]));
			assert_false(authz_can(NULL, (authz_action)act, places[p]));
		}
		for (int role = 0; role < ROLE__MAX; role++) {
			actor a = actor_with((role_kind)role);
			/* No role reaches into another street. */
			if (authz_can(&a, (authz_action)act, places[4]))
				fail_msg("%s by %s reaches street 2", name, role_name((role_kind)role));
			/* Whoever may act on the street as a whole may act on every unit in it. */
			if (authz_can(&a, (authz_action)act, places[3]))
				for (int p = 0; p < 3; p++)
					assert_true(authz_can(&a, (authz_action)act, places[p]));
			/* Whoever may act on a unit may act below it. */
			if (authz_can(&a, (authz_action)act, places[0]))
				assert_true(authz_can(&a, (authz_action)act, places[1]));
		}
	}
}

static void test_system_actor_is_the_only_accountless_one(void **state)
{
	actor copy = actor_system;   /* same content, not the system itself */
	for (int act = 0; act < AUTHZ__MAX; act++)
		assert_false(authz_can(&copy, (authz_action)act, places[0]));
	assert_false(authz_can(&actor_system, AUTHZ__MAX, places[0]));
	actor admin = actor_with(ROLE_ADMIN);
	assert_false(authz_can(&admin, AUTHZ__MAX, places[0]));
	assert_false(authz_can(&admin, (authz_action)-1, places[0]));
	assert_string_equal(authz_action_name(AUTHZ__MAX), "");
}

static void test_verified_only_support(void **state)
{
	authz_target where = { 1, "/1/2/" };
	actor person = { .account_id = 5, .person_id = 6, .street_id = 1 };   /* no role at all */
	assert_true(authz_can(&person, AUTHZ_SUBMIT_NEED, where));
	assert_false(authz_can(&person, AUTHZ_SUPPORT_NEED, where));   /* not yet verified */
	person.verified = true;
	assert_true(authz_can(&person, AUTHZ_SUPPORT_NEED, where));
	assert_false(authz_can(&person, AUTHZ_CURATE_NEEDS, where));
	person.social_unit = true;   /* a unit's account is never one resident's voice */
	assert_false(authz_can(&person, AUTHZ_SUPPORT_NEED, where));
	assert_true(authz_can(&person, AUTHZ_SUBMIT_NEED, where));
	person.social_unit = false;
	person.street_id = 2;
	assert_false(authz_can(&person, AUTHZ_SUBMIT_NEED, where));
	assert_false(authz_can(&person, AUTHZ_SUPPORT_NEED, where));
	/* Staff who are not verified residents do not support either. */
	actor staff = actor_with(ROLE_COMMUNITY_STAFF);
	staff.verified = false;
	assert_false(authz_can(&staff, AUTHZ_SUPPORT_NEED, where));
	assert_true(authz_can(&staff, AUTHZ_CURATE_NEEDS, where));
}

static void test_subtree_edges(void **state)
{
	actor staff = actor_with(ROLE_COMMUNITY_STAFF);   /* holds /1/2/ */
	static const struct {
		const char *target;
		bool allowed;
	} cases[] = {
		{ "/1/2/", true },
		{ "/1/2/5/", true },
		{ "/1/2/5/9/", true },
		{ "/1/23/", false },    /* a prefix of the digits is not a parent */
		{ "/1/2", false },      /* malformed, shorter than the role's path */
		{ "/1/", false },       /* the street unit above */
		{ "/1/3/", false },
		{ "/2/", false },
		{ "", false },          /* the street as a whole */
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		authz_target where = { 1, cases[i].target };
		if (authz_can(&staff, AUTHZ_CURATE_NEEDS, where) != cases[i].allowed)
			fail_msg("community staff of /1/2/ at \"%s\": expected %s", cases[i].target,
				 cases[i].allowed ? "allowed" : "refused");
	}
	assert_false(authz_can(&staff, AUTHZ_CURATE_NEEDS, (authz_target){ 1, NULL }));

	/* A role whose unit path was never set reaches nothing. */
	staff.roles[0].unit_path = "";
	assert_false(authz_can(&staff, AUTHZ_CURATE_NEEDS, (authz_target){ 1, "/1/2/" }));
	staff.roles[0].unit_path = NULL;
	assert_false(authz_can(&staff, AUTHZ_CURATE_NEEDS, (authz_target){ 1, "/1/2/" }));

	/* Two communities: each reaches its own. */
	staff = actor_with(ROLE_COMMUNITY_STAFF);
	staff.roles[1] = staff.roles[0];
	staff.roles[1].unit_path = "/1/3/";
	staff.role_count = 2;
	assert_true(authz_can(&staff, AUTHZ_CURATE_NEEDS, (authz_target){ 1, "/1/2/" }));
	assert_true(authz_can(&staff, AUTHZ_CURATE_NEEDS, (authz_target){ 1, "/1/3/5/" }));
	assert_false(authz_can(&staff, AUTHZ_CURATE_NEEDS, (authz_target){ 1, "/1/4/" }));

	/* A signed-in person with no role gets no staff action. */
	actor nobody = { .account_id = 99, .street_id = 1, .verified = true };
	for (int act = 0; act < AUTHZ__MAX; act++) {
		const expectation *e = expected_for(authz_action_name((authz_action)act));
		bool self_service = e && !strcmp(e->by_role[ROLE_RESIDENT], STREET);
		if (e && !self_service)
			assert_false(authz_can(&nobody, (authz_action)act, (authz_target){ 1, "/1/2/" }));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_invariants_of_every_action),
		cmocka_unit_test(test_system_actor_is_the_only_accountless_one),
		cmocka_unit_test(test_verified_only_support),
		cmocka_unit_test(test_subtree_edges),
	};
	return cmocka_run_group_tests_name("authz", tests, NULL, NULL);
}
