#include "domain/org-view.h"

#include <stdint.h>
#include <string.h>

bool role_in_force(const role_record *r, int64_t t)
{
	return r->term_start <= t && (!r->term_end || r->term_end > t);
}

/* Columns: id, street_id, person_id, unit_id, role, delegate_kind,
 * term_start, term_end, unit name, unit path (role_get and
 * roles_history_of_person share them). */
static void role_from_row(const rows *r, size_t i, role_record *out)
{
	*out = (role_record){ 0 };
	out->id = rows_int(r, i, 0);
	out->street_id = rows_int(r, i, 1);
	out->person_id = rows_int(r, i, 2);
	out->unit_id = rows_int(r, i, 3);
	role_parse(rows_text(r, i, 4), &out->role);
	if (!delegate_kind_parse(rows_text(r, i, 5), &out->delegate))
		out->delegate = DELEGATE_NONE;
	out->term_start = rows_int(r, i, 6);
	out->term_end = rows_null(r, i, 7) ? 0 : rows_int(r, i, 7);
	out->unit_name = rows_text(r, i, 8);
	out->unit_path = rows_text(r, i, 9);
	out->person_name = "";
}

gz_err role_get(store_conn *c, arena *a, int64_t assignment_id, role_record *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_ROLE_GET, ARGS(sv_int(assignment_id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	role_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err role_history(store_conn *c, arena *a, int64_t street_id, int64_t person_id, role_record **out,
		    size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_ROLES_HISTORY_OF_PERSON, ARGS(sv_int(street_id), sv_int(person_id)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, role_record, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		role_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

gz_err roles_of_unit(store_conn *c, arena *a, int64_t street_id, int64_t unit_id, int64_t t, role_record **out,
		     size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_ADMIN_ROLES_OF_UNIT, ARGS(sv_int(street_id), sv_int(unit_id), sv_int(t)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, role_record, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++) {
		role_record *x = &(*out)[i];
		*x = (role_record){ .id = rows_int(&r, i, 0), .street_id = street_id, .person_id = rows_int(&r, i, 1),
				    .unit_id = unit_id, .person_name = rows_text(&r, i, 2),
				    .term_start = rows_int(&r, i, 5),
				    .term_end = rows_null(&r, i, 6) ? 0 : rows_int(&r, i, 6), .unit_name = "", .unit_path = "" };
		role_parse(rows_text(&r, i, 3), &x->role);
		if (!delegate_kind_parse(rows_text(&r, i, 4), &x->delegate))
			x->delegate = DELEGATE_NONE;
	}
	*count = r.nrows;
	return GZ_OK;
}

bool roster_party_majority(int64_t delegates, int64_t party_members)
{
	return delegates > 0 && party_members * 2 > delegates;
}

gz_err delegate_roster(store_conn *c, arena *a, int64_t street_id, int64_t unit_id, int64_t t, roster_member **out,
		       size_t *count, roster_share *share)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_DELEGATES_OF_UNIT, ARGS(sv_int(street_id), sv_int(unit_id), sv_int(t)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, roster_member, r.nrows + 1);
	*share = (roster_share){ 0 };
	for (size_t i = 0; i < r.nrows; i++) {
		roster_member *m = &(*out)[i];
		m->assignment_id = rows_int(&r, i, 0);
		m->person_id = rows_int(&r, i, 1);
		m->name = rows_text(&r, i, 2);
		if (!delegate_kind_parse(rows_text(&r, i, 3), &m->kind))
			m->kind = DELEGATE_NONE;
		m->party_member = rows_int(&r, i, 4) != 0;
		share->party_members += m->party_member;
	}
	*count = r.nrows;
	share->delegates = (int64_t)r.nrows;
	share->party_majority = roster_party_majority(share->delegates, share->party_members);
	return GZ_OK;
}

/* LIKE treats % and _ as wildcards; a name search means the characters. */
static const char *like_escape(arena *a, const char *s)
{
	size_t len = strlen(s), n = 0;
	char *out = arena_alloc(a, 2 * len + 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
			out[n++] = '\\';
		out[n++] = s[i];
	}
	out[n] = '\0';
	return out;
}

gz_err person_search(store_conn *c, arena *a, int64_t street_id, const char *unit_path, const char *name_part,
		     int64_t limit, int64_t offset, person_record **out, size_t *count, int64_t *total)
{
	const char *path = unit_path ? unit_path : "";
	const char *like = like_escape(a, name_part ? name_part : "");
	rows r;
	gz_err rc = db_int(c, STMT_ADMIN_PERSON_SEARCH_COUNT, ARGS(sv_int(street_id), sv_text(path), sv_text(like)), 0,
			   total);
	if (!rc)
		rc = db_run(c, a, STMT_ADMIN_PERSON_SEARCH,
			    ARGS(sv_int(street_id), sv_text(path), sv_text(like), sv_int(limit), sv_int(offset)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, person_record, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		person_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

gz_err unit_references(store_conn *c, int64_t street_id, int64_t unit_id, int64_t *people, int64_t *roles)
{
	rows r;
	gz_err rc = db_run(c, NULL, STMT_ADMIN_UNIT_REFERENCES, ARGS(sv_int(street_id), sv_int(unit_id)), &r);
	if (rc)
		return rc;
	*people = r.nrows ? rows_int(&r, 0, 0) : 0;
	*roles = r.nrows ? rows_int(&r, 0, 1) : 0;
	return GZ_OK;
}

gz_err audit_page(store_conn *c, arena *a, int64_t street_id, int64_t before_id, int64_t limit, audit_row **out,
		  size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_ADMIN_AUDIT_PAGE,
			   ARGS(sv_int(street_id), sv_int(before_id > 0 ? before_id : INT64_MAX), sv_int(limit)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, audit_row, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (audit_row){ .id = rows_int(&r, i, 0), .at = rows_int(&r, i, 1),
					 .actor_role = rows_text(&r, i, 2), .action = rows_text(&r, i, 3),
					 .object_type = rows_text(&r, i, 4), .object_id = rows_int(&r, i, 5),
					 .summary = rows_text(&r, i, 6), .actor_name = rows_text(&r, i, 7),
					 .actor_login = rows_text(&r, i, 8) };
	*count = r.nrows;
	return GZ_OK;
}
