/*
 * What the administration pages share (page-admin*.c): asking authz_can
 * for this site's street, the refusal answers, form pieces.  Private to
 * those files.
 *
 * Every handler loads the object it acts on, asks authz_can where the object
 * sits in the tree, then validates the form, then calls the domain function
 * (which asks again inside its transaction).  A refusal answers with a
 * status and a sentence and changes nothing.
 */
#ifndef GZ_PAGES_PAGE_ADMIN_H
#define GZ_PAGES_PAGE_ADMIN_H

#include "domain/authz.h"
#include "domain/org-view.h"
#include "http/input.h"
#include "pages/pages.h"

#define ADMIN_PAGE_SIZE 50

/* authz_can for the signed-in user, in this site's street, at `unit_path`
 * ("" or NULL: the street as a whole). */
bool admin_can(request *r, authz_action action, const char *unit_path);
/* True when the user may take `action` on the street or in some unit of it
 * (community staff: in their community). */
bool admin_can_somewhere(request *r, authz_action action);
/* Where the user may take `action` most widely: "" for the whole street,
 * the path of the unit of their role otherwise; NULL when nowhere. */
const char *admin_scope(request *r, authz_action action);
/* May see the administration pages at all (tree, people). */
bool admin_may_enter(request *r);

/* Answers 403 with the sentence of catalogue key `key`. */
gz_err admin_refuse(request *r, const char *key);
/* Answers `err`'s status with the sentence `key`. */
gz_err admin_fail(request *r, gz_err err, const char *key);

/* Answers `status` with a sentence already in the user's language. */
gz_err admin_fail_text(request *r, int status, const char *text);

/* The catalogue key of a role, delegate kind or unit kind's display name. */
const char *admin_role_label(request *r, role_kind role, delegate_kind delegate);
const char *admin_unit_kind_label(request *r, unit_kind kind);

/* A labelled <input>; `extra` is literal attribute markup from the program. */
void admin_input(request *r, const char *name, const char *label_key, const char *type, const char *value,
		 const char *extra);
/* The same inside the form named `form`, for pages with several forms. */
void admin_input_in(request *r, const char *form, const char *name, const char *label_key, const char *type,
		    const char *value, const char *extra);
/* A labelled checkbox. */
void admin_checkbox(request *r, const char *name, const char *label_key, bool checked);
/* A date as YYYY-MM-DD, "" for 0. */
const char *admin_date(request *r, int64_t t);
/* The page's breadcrumb: 管理 › `title`. */
void admin_heading(request *r, const char *title);

/* Handlers, by file. */
gz_err admin_dashboard(request *r);

gz_err admin_units_page(request *r);
gz_err admin_unit_page(request *r);
gz_err admin_unit_update(request *r);
gz_err admin_unit_add_child(request *r);
gz_err admin_unit_delete_confirm(request *r);
gz_err admin_unit_delete(request *r);

gz_err admin_people_page(request *r);
gz_err admin_person_new_page(request *r);
gz_err admin_person_create(request *r);
gz_err admin_person_page(request *r);
gz_err admin_person_update(request *r);
gz_err admin_person_verify(request *r);
gz_err admin_role_assign(request *r);
gz_err admin_role_end_confirm(request *r);
gz_err admin_role_end(request *r);

gz_err admin_year_page(request *r);
gz_err admin_year_next(request *r);
gz_err admin_year_update(request *r);

gz_err admin_audit_page(request *r);

/* The community's delegate roster: members, party share and the warning
 * when party members are not more than half (shown only to those who may
 * see party membership). */
gz_err admin_roster_section(request *r, const org_unit *community);

#endif
