#include "domain/org.h"

#include <inttypes.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/authz.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/names.h"

static const char *const unit_kind_names[UNIT__MAX] = { "street", "community", "grid", "building" };

const char *unit_kind_name(unit_kind kind)
{
	return kind < UNIT__MAX ? unit_kind_names[kind] : "";
}

bool unit_kind_parse(const char *name, unit_kind *out)
{
	int i = name_index(unit_kind_names, UNIT__MAX, name);
	if (i < 0)
		return false;
	*out = (unit_kind)i;
	return true;
}

int64_t community_budget_yuan(int64_t households)
{
	return 80000 + (households > 2000 ? (households - 2000) * 40 : 0);
}

static void unit_from_row(const rows *r, size_t i, org_unit *u)
{
	u->id = rows_int(r, i, 0);
	u->street_id = rows_int(r, i, 1);
	u->parent_id = rows_int(r, i, 2);
	unit_kind_parse(rows_text(r, i, 3), &u->kind);
	u->name = rows_text(r, i, 4);
	u->households = rows_int(r, i, 5);
	u->path = rows_text(r, i, 6);
}

gz_err unit_get(store_conn *c, arena *a, int64_t unit_id, org_unit *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_UNIT_GET, ARGS(sv_int(unit_id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	unit_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err unit_list(store_conn *c, arena *a, int64_t street_id, int kind, org_unit **out, size_t *count)
{
	rows r;
	gz_err rc = kind < 0 ? db_run(c, a, STMT_UNIT_LIST_STREET, ARGS(sv_int(street_id)), &r)
			     : db_run(c, a, STMT_UNIT_LIST_KIND,
				      ARGS(sv_int(street_id), sv_text(unit_kind_name((unit_kind)kind))), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, org_unit, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		unit_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

gz_err street_first(store_conn *c, arena *a, int64_t *street_id, const char **name, const char **district)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_STREET_FIRST, NOARGS, &r);
	if (rc)
		return rc;
	if (!r.nrows)
		return GZ_ENOTFOUND;
	*street_id = rows_int(&r, 0, 0);
	if (district)
		*district = rows_text(&r, 0, 1);
	if (name)
		*name = rows_text(&r, 0, 2);
	return GZ_OK;
}

/* ---- units ---- */

static gz_err unit_insert(store_conn *c, int64_t street_id, int64_t parent_id, const char *parent_path,
			  unit_kind kind, const char *name, int64_t households, int64_t *unit_id)
{
	gz_err rc = db_int(c, STMT_UNIT_INSERT,
			   ARGS(sv_int(street_id), sv_id(parent_id), sv_text(unit_kind_name(kind)), sv_text(name),
				sv_int(households), sv_int(time_now())),
			   0, unit_id);
	if (rc)
		return rc;
	const char *path = arena_printf(db_arena(c), "%s%" PRId64 "/", parent_path, *unit_id);
	return db_run(c, NULL, STMT_UNIT_SET_PATH, ARGS(sv_int(street_id), sv_int(*unit_id), sv_text(path)), NULL);
}

typedef struct street_job {
	const actor *who;
	const char *district, *name;
	int64_t street_id, unit_id;
} street_job;

static gz_err street_write(store_conn *c, void *ctx)
{
	street_job *job = ctx;
	gz_err rc = db_int(c, STMT_STREET_INSERT, ARGS(sv_text(job->district), sv_text(job->name), sv_int(time_now())),
			   0, &job->street_id);
	if (!rc)
		rc = unit_insert(c, job->street_id, 0, "/", UNIT_STREET, job->name, 0, &job->unit_id);
	if (rc)
		return rc;
	audit_entry e = { job->street_id, "street.create", "street", job->street_id,
			  arena_printf(db_arena(c), "%s %s", job->district, job->name) };
	return audit_append(c, job->who, &e);
}

gz_err street_create(store *st, const actor *who, const char *district, const char *name, int64_t *street_id,
		     int64_t *street_unit_id)
{
	if (who != &actor_system)
		return GZ_EFORBIDDEN;
	if (!utf8_text_fits(district, 1, 60, true) || !utf8_text_fits(name, 1, 60, true))
		return GZ_EINVAL;
	street_job job = { who, district, name, 0, 0 };
	gz_err rc = store_write(st, street_write, &job);
	*street_id = job.street_id;
	if (street_unit_id)
		*street_unit_id = job.unit_id;
	return rc;
}

gz_err unit_create_in(store_conn *c, const actor *who, int64_t parent_id, unit_kind kind, const char *name,
		      int64_t households, int64_t *unit_id)
{
	if (!utf8_text_fits(name, 1, 60, true) || households < 0 || households > 10000000)
		return GZ_EINVAL;
	org_unit parent;
	gz_err rc = unit_get(c, db_arena(c), parent_id, &parent);
	if (rc)
		return rc == GZ_ENOTFOUND ? GZ_EINVAL : rc;
	if (!authz_can(who, AUTHZ_MANAGE_ORG, (authz_target){ parent.street_id, parent.path }))
		return GZ_EFORBIDDEN;
	if (kind != parent.kind + 1)
		return GZ_EINVAL;   /* a grid goes in a community, a building in a grid */
	if ((rc = unit_insert(c, parent.street_id, parent_id, parent.path, kind, name, households, unit_id)))
		return rc;
	audit_entry e = { parent.street_id, "unit.create", "org_unit", *unit_id,
			  arena_printf(db_arena(c), "%s %s under %" PRId64, unit_kind_name(kind), name, parent_id) };
	return audit_append(c, who, &e);
}

typedef struct unit_job {
	const actor *who;
	int64_t parent_id, unit_id, households;
	unit_kind kind;
	const char *name;
} unit_job;

static gz_err unit_create_write(store_conn *c, void *ctx)
{
	unit_job *j = ctx;
	return unit_create_in(c, j->who, j->parent_id, j->kind, j->name, j->households, &j->unit_id);
}

gz_err unit_create(store *st, const actor *who, int64_t parent_id, unit_kind kind, const char *name,
		   int64_t households, int64_t *unit_id)
{
	unit_job job = { who, parent_id, 0, households, kind, name };
	gz_err rc = store_write(st, unit_create_write, &job);
	*unit_id = job.unit_id;
	return rc;
}

static gz_err unit_rename_write(store_conn *c, void *ctx)
{
	unit_job *j = ctx;
	if (!utf8_text_fits(j->name, 1, 60, true) || j->households < 0 || j->households > 10000000)
		return GZ_EINVAL;
	org_unit u;
	gz_err rc = unit_get(c, db_arena(c), j->unit_id, &u);
	if (rc)
		return rc;
	if (!authz_can(j->who, AUTHZ_MANAGE_ORG, (authz_target){ u.street_id, u.path }))
		return GZ_EFORBIDDEN;
	rc = db_run(c, NULL, STMT_UNIT_UPDATE,
		    ARGS(sv_int(u.street_id), sv_int(u.id), sv_text(j->name), sv_int(j->households)), NULL);
	if (rc)
		return rc;
	audit_entry e = { u.street_id, "unit.update", "org_unit", u.id,
			  arena_printf(db_arena(c), "name %s -> %s, households %" PRId64 " -> %" PRId64, u.name,
				       j->name, u.households, j->households) };
	return audit_append(c, j->who, &e);
}

gz_err unit_rename(store *st, const actor *who, int64_t unit_id, const char *name, int64_t households)
{
	unit_job job = { who, 0, unit_id, households, UNIT_STREET, name };
	return store_write(st, unit_rename_write, &job);
}

static gz_err unit_delete_write(store_conn *c, void *ctx)
{
	unit_job *j = ctx;
	org_unit u;
	gz_err rc = unit_get(c, db_arena(c), j->unit_id, &u);
	if (rc)
		return rc;
	if (!authz_can(j->who, AUTHZ_MANAGE_ORG, (authz_target){ u.street_id, u.path }))
		return GZ_EFORBIDDEN;
	int64_t children = 0;
	if ((rc = db_int(c, STMT_UNIT_CHILD_COUNT, ARGS(sv_int(u.street_id), sv_int(u.id)), 0, &children)))
		return rc;
	if (children || u.kind == UNIT_STREET)
		return GZ_ECONFLICT;
	/* Foreign keys refuse the delete while people, roles or needs refer to it. */
	rc = db_run(c, NULL, STMT_UNIT_DELETE, ARGS(sv_int(u.street_id), sv_int(u.id)), NULL);
	if (rc == GZ_EINVAL)
		return GZ_ECONFLICT;
	if (rc)
		return rc;
	audit_entry e = { u.street_id, "unit.delete", "org_unit", u.id,
			  arena_printf(db_arena(c), "%s %s", unit_kind_name(u.kind), u.name) };
	return audit_append(c, j->who, &e);
}

gz_err unit_delete(store *st, const actor *who, int64_t unit_id)
{
	unit_job job = { who, 0, unit_id, 0, UNIT_STREET, NULL };
	return store_write(st, unit_delete_write, &job);
}

/* ---- people ---- */

void person_from_row(const rows *r, size_t i, person_record *p)
{
	p->id = rows_int(r, i, 0);
	p->street_id = rows_int(r, i, 1);
	p->name = rows_text(r, i, 2);
	p->phone = rows_text(r, i, 3);
	p->party_member = rows_int(r, i, 4) != 0;
	p->home_unit_id = rows_int(r, i, 5);
	p->social_unit = !strcmp(rows_text(r, i, 6), "social_unit");
	p->verified = rows_int(r, i, 7) != 0;
	p->home_unit_name = rows_text(r, i, 8);
	p->pseudonymised = rows_int(r, i, 9) != 0;
	p->home_unit_path = rows_text(r, i, 10);
}

gz_err person_get(store_conn *c, arena *a, int64_t person_id, person_record *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_PERSON_GET, ARGS(sv_int(person_id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	person_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err person_list(store_conn *c, arena *a, int64_t street_id, const char *unit_path, int64_t limit,
		   int64_t offset, person_record **out, size_t *count, int64_t *total)
{
	rows r;
	const char *path = unit_path ? unit_path : "";
	gz_err rc = db_int(c, STMT_PERSON_COUNT, ARGS(sv_int(street_id), sv_text(path)), 0, total);
	if (!rc)
		rc = db_run(c, a, STMT_PERSON_LIST,
			    ARGS(sv_int(street_id), sv_text(path), sv_int(limit), sv_int(offset)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, person_record, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		person_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

static bool valid_phone(const char *phone)
{
	size_t len = strlen(phone ? phone : "");
	if (len > 20)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((phone[i] >= '0' && phone[i] <= '9') || phone[i] == '-' || phone[i] == '+'))
			return false;
	return true;
}

/* The unit a person belongs to must be in the street; returns its path.
 * Staff may belong to the street itself. */
static gz_err home_unit_path(store_conn *c, int64_t street_id, int64_t unit_id, const char **path)
{
	org_unit u;
	gz_err rc = unit_get(c, db_arena(c), unit_id, &u);
	if (rc == GZ_ENOTFOUND || (!rc && u.street_id != street_id))
		return GZ_EINVAL;
	*path = u.path;
	return rc;
}

gz_err person_create_in(store_conn *c, const actor *who, int64_t street_id, const person_input *in,
			int64_t *person_id)
{
	if (!utf8_text_fits(in->name, 1, 40, true) || !valid_phone(in->phone))
		return GZ_EINVAL;
	const char *path;
	gz_err rc = home_unit_path(c, street_id, in->home_unit_id, &path);
	if (rc)
		return rc;
	if (!authz_can(who, AUTHZ_MANAGE_PEOPLE, (authz_target){ street_id, path }))
		return GZ_EFORBIDDEN;
	rc = db_int(c, STMT_PERSON_INSERT,
		    ARGS(sv_int(street_id), sv_text(in->name), sv_text(in->phone ? in->phone : ""),
			 sv_bool(in->party_member), sv_int(in->home_unit_id),
			 sv_text(in->social_unit ? "social_unit" : "resident"), sv_bool(in->verified),
			 sv_int(time_now())),
		    0, person_id);
	if (rc)
		return rc;
	/* The summary names no restricted data: the chain is readable by staff. */
	audit_entry e = { street_id, "person.create", "person", *person_id,
			  arena_printf(db_arena(c), "unit %" PRId64, in->home_unit_id) };
	return audit_append(c, who, &e);
}

typedef struct person_job {
	const actor *who;
	int64_t street_id, person_id;
	const person_input *in;
	bool verified;
} person_job;

static gz_err person_create_write(store_conn *c, void *ctx)
{
	person_job *j = ctx;
	return person_create_in(c, j->who, j->street_id, j->in, &j->person_id);
}

gz_err person_create(store *st, const actor *who, int64_t street_id, const person_input *in, int64_t *person_id)
{
	person_job job = { who, street_id, 0, in, false };
	gz_err rc = store_write(st, person_create_write, &job);
	*person_id = job.person_id;
	return rc;
}

/* Loads the person and checks the actor may manage them. */
static gz_err person_for_change(store_conn *c, const actor *who, int64_t person_id, person_record *p)
{
	gz_err rc = person_get(c, db_arena(c), person_id, p);
	if (rc)
		return rc;
	if (!authz_can(who, AUTHZ_MANAGE_PEOPLE, (authz_target){ p->street_id, p->home_unit_path }))
		return GZ_EFORBIDDEN;
	return GZ_OK;
}

static gz_err person_update_write(store_conn *c, void *ctx)
{
	person_job *j = ctx;
	const person_input *in = j->in;
	person_record p;
	gz_err rc = person_for_change(c, j->who, j->person_id, &p);
	if (rc)
		return rc;
	if (!utf8_text_fits(in->name, 1, 40, true) || !valid_phone(in->phone))
		return GZ_EINVAL;
	const char *new_path;
	if ((rc = home_unit_path(c, p.street_id, in->home_unit_id, &new_path)))
		return rc;
	if (!authz_can(j->who, AUTHZ_MANAGE_PEOPLE, (authz_target){ p.street_id, new_path }))
		return GZ_EFORBIDDEN;
	rc = db_run(c, NULL, STMT_PERSON_UPDATE,
		    ARGS(sv_int(p.street_id), sv_int(p.id), sv_text(in->name), sv_text(in->phone ? in->phone : ""),
			 sv_bool(in->party_member), sv_int(in->home_unit_id),
			 sv_text(in->social_unit ? "social_unit" : "resident")),
		    NULL);
	if (rc)
		return rc;
	audit_entry e = { p.street_id, "person.update", "person", p.id,
			  arena_printf(db_arena(c), "unit %" PRId64 " -> %" PRId64, p.home_unit_id, in->home_unit_id) };
	return audit_append(c, j->who, &e);
}

gz_err person_update(store *st, const actor *who, int64_t person_id, const person_input *in)
{
	person_job job = { who, 0, person_id, in, false };
	return store_write(st, person_update_write, &job);
}

static gz_err person_verify_write(store_conn *c, void *ctx)
{
	person_job *j = ctx;
	person_record p;
	gz_err rc = person_for_change(c, j->who, j->person_id, &p);
	if (rc)
		return rc;
	rc = db_run(c, NULL, STMT_PERSON_SET_VERIFIED, ARGS(sv_int(p.street_id), sv_int(p.id), sv_bool(j->verified)),
		    NULL);
	if (rc)
		return rc;
	audit_entry e = { p.street_id, j->verified ? "person.verify" : "person.unverify", "person", p.id, "" };
	return audit_append(c, j->who, &e);
}

gz_err person_verify(store *st, const actor *who, int64_t person_id, bool verified)
{
	person_job job = { who, 0, person_id, NULL, verified };
	return store_write(st, person_verify_write, &job);
}

/* ---- roles ---- */

gz_err role_assign_in(store_conn *c, const actor *who, const role_input *in, int64_t *assignment_id)
{
	org_unit u;
	person_record p;
	gz_err rc = unit_get(c, db_arena(c), in->unit_id, &u);
	if (!rc)
		rc = person_get(c, db_arena(c), in->person_id, &p);
	if (rc)
		return rc == GZ_ENOTFOUND ? GZ_EINVAL : rc;
	if (p.street_id != u.street_id || in->role >= ROLE__MAX || in->delegate >= DELEGATE__MAX)
		return GZ_EINVAL;
	if ((in->role == ROLE_DELEGATE) != (in->delegate != DELEGATE_NONE))
		return GZ_EINVAL;   /* a delegate has a kind; nobody else does */
	if (in->term_end && in->term_end <= in->term_start)
		return GZ_EINVAL;
	if (!authz_can(who, AUTHZ_MANAGE_ROLES, (authz_target){ u.street_id, u.path }))
		return GZ_EFORBIDDEN;
	rc = db_int(c, STMT_ROLE_INSERT,
		    ARGS(sv_int(u.street_id), sv_int(p.id), sv_int(u.id), sv_text(role_name(in->role)),
			 in->delegate ? sv_text(delegate_kind_name(in->delegate)) : sv_null(), sv_int(in->term_start),
			 sv_id(in->term_end), sv_int(time_now())),
		    0, assignment_id);
	if (rc)
		return rc;
	audit_entry e = { u.street_id, "role.assign", "role_assignment", *assignment_id,
			  arena_printf(db_arena(c), "person %" PRId64 " %s%s%s in unit %" PRId64, p.id,
				       role_name(in->role), in->delegate ? "/" : "", delegate_kind_name(in->delegate),
				       u.id) };
	return audit_append(c, who, &e);
}

typedef struct role_job {
	const actor *who;
	const role_input *in;
	int64_t id;
} role_job;

static gz_err role_assign_write(store_conn *c, void *ctx)
{
	role_job *j = ctx;
	return role_assign_in(c, j->who, j->in, &j->id);
}

gz_err role_assign(store *st, const actor *who, const role_input *in, int64_t *assignment_id)
{
	role_job job = { who, in, 0 };
	gz_err rc = store_write(st, role_assign_write, &job);
	*assignment_id = job.id;
	return rc;
}

static gz_err role_end_write(store_conn *c, void *ctx)
{
	role_job *j = ctx;
	rows r;
	gz_err rc = db_run(c, NULL, STMT_ROLE_GET, ARGS(sv_int(j->id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	int64_t street_id = rows_int(&r, 0, 1);
	if (!authz_can(j->who, AUTHZ_MANAGE_ROLES, (authz_target){ street_id, rows_text(&r, 0, 9) }))
		return GZ_EFORBIDDEN;
	int64_t now = time_now();
	if (!rows_null(&r, 0, 7) && rows_int(&r, 0, 7) <= now)
		return GZ_ECONFLICT;   /* already ended */
	if ((rc = db_run(c, NULL, STMT_ROLE_END, ARGS(sv_int(street_id), sv_int(j->id), sv_int(now)), NULL)))
		return rc;
	audit_entry e = { street_id, "role.end", "role_assignment", j->id,
			  arena_printf(db_arena(c), "%s ended", rows_text(&r, 0, 4)) };
	return audit_append(c, j->who, &e);
}

gz_err role_end(store *st, const actor *who, int64_t assignment_id)
{
	role_job job = { who, NULL, assignment_id };
	return store_write(st, role_end_write, &job);
}
