/*
 * Who may do what where: the one place that decides.
 *
 * Each action lists the roles that may take it and how far a role reaches:
 * a role held in a unit covers that unit's subtree (a community's staff act
 * on its grids and buildings, not on the next community).  Every handler
 * asks authz_can before it acts, and the domain functions ask again.
 */
#ifndef GZ_DOMAIN_AUTHZ_H
#define GZ_DOMAIN_AUTHZ_H

#include <stdbool.h>

#include "domain/actor.h"

typedef enum authz_action {
	AUTHZ_MANAGE_ORG,          /* edit the organisation tree */
	AUTHZ_MANAGE_PEOPLE,       /* add and edit people, verify residents */
	AUTHZ_MANAGE_ROLES,        /* assign and end roles */
	AUTHZ_VIEW_RESTRICTED,     /* party membership and contact data */
	AUTHZ_CONFIGURE_YEAR,      /* the yearly cycle's dates */
	AUTHZ_VIEW_AUDIT,          /* the audit log pages */
	AUTHZ_SUBMIT_NEED,         /* raise a need as oneself */
	AUTHZ_SUPPORT_NEED,        /* support (附议) a need */
	AUTHZ_RECORD_NEED,         /* record a need on someone's behalf, any time */
	AUTHZ_CURATE_NEEDS,        /* merge, consolidate, decline, hide; questionnaires; meetings */
	AUTHZ_CONFIGURE_NEEDS,     /* the street's need categories */
	AUTHZ_ANSWER_SURVEY,       /* answer a questionnaire as oneself (verified residents) */
	AUTHZ__MAX
} authz_action;

/* Where the action applies: a street, and the path of the unit within it
 * ("" or NULL for the street as a whole). */
typedef struct authz_target {
	int64_t street_id;
	const char *unit_path;
} authz_target;

bool authz_can(const actor *a, authz_action action, authz_target where);
/* Stable name, e.g. "manage_org", used in tests and the audit log. */
const char *authz_action_name(authz_action action);

#endif
