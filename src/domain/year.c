#include "domain/year.h"

#include <inttypes.h>
#include <stdio.h>

#include "domain/audit.h"
#include "domain/authz.h"
#include "util/timeutil.h"

#define DAY 86400

static const char *const stage_names[STAGE__MAX] = { "needs", "plans", "effects" };

const char *stage_name(stage s)
{
	return s < STAGE__MAX ? stage_names[s] : "";
}

static int64_t date_of(int year, int month, int day)
{
	char text[32];
	int64_t t = 0;
	snprintf(text, sizeof(text), "%04d-%02d-%02d", year, month, day);
	time_parse_date(text, &t);
	return t;
}

void year_defaults(int year, year_cycle *out)
{
	*out = (year_cycle){ .year = year };
	out->start[STAGE_NEEDS] = date_of(year, 9, 1);
	out->end[STAGE_NEEDS] = date_of(year, 10, 31);
	out->start[STAGE_PLANS] = date_of(year, 11, 1);
	out->end[STAGE_PLANS] = date_of(year + 1, 1, 31);
	out->start[STAGE_EFFECTS] = date_of(year + 1, 2, 1);
	out->end[STAGE_EFFECTS] = date_of(year + 1, 11, 30);
}

bool year_in_stage(const year_cycle *y, stage s, int64_t t)
{
	return s < STAGE__MAX && t >= y->start[s] && t < y->end[s] + DAY;
}

int year_days_left(const year_cycle *y, stage s, int64_t t)
{
	if (!year_in_stage(y, s, t))
		return 0;
	return (int)((y->end[s] + DAY - t + DAY - 1) / DAY);
}

static void cycle_from_row(const rows *r, size_t i, year_cycle *y)
{
	y->id = rows_int(r, i, 0);
	y->year = (int)rows_int(r, i, 1);
	for (int s = 0; s < STAGE__MAX; s++) {
		y->start[s] = rows_int(r, i, 2 + 2 * (size_t)s);
		y->end[s] = rows_int(r, i, 3 + 2 * (size_t)s);
	}
}

gz_err year_get(store_conn *c, arena *a, int64_t street_id, int year, year_cycle *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_YEAR_GET, ARGS(sv_int(street_id), sv_int(year)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	cycle_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err year_list(store_conn *c, arena *a, int64_t street_id, year_cycle **out, size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_YEAR_LIST, ARGS(sv_int(street_id)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, year_cycle, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		cycle_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

static bool cycle_is_sound(const year_cycle *y)
{
	if (y->year < 2000 || y->year > 2200)
		return false;
	for (int s = 0; s < STAGE__MAX; s++) {
		if (y->end[s] < y->start[s])
			return false;
		if (s > 0 && y->start[s] <= y->end[s - 1])
			return false;
	}
	return true;
}

gz_err year_save_in(store_conn *c, const actor *who, int64_t street_id, const year_cycle *y)
{
	if (!cycle_is_sound(y))
		return GZ_EINVAL;
	if (!authz_can(who, AUTHZ_CONFIGURE_YEAR, (authz_target){ street_id, NULL }))
		return GZ_EFORBIDDEN;
	year_cycle existing;
	gz_err rc = year_get(c, db_arena(c), street_id, y->year, &existing);
	if (rc && rc != GZ_ENOTFOUND)
		return rc;
	bool is_new = rc == GZ_ENOTFOUND;
	int64_t id = existing.id;
	if (is_new)
		rc = db_int(c, STMT_YEAR_INSERT,
			    ARGS(sv_int(street_id), sv_int(y->year), sv_int(y->start[0]), sv_int(y->end[0]),
				 sv_int(y->start[1]), sv_int(y->end[1]), sv_int(y->start[2]), sv_int(y->end[2]),
				 sv_int(time_now())),
			    0, &id);
	else
		rc = db_run(c, NULL, STMT_YEAR_UPDATE,
			    ARGS(sv_int(street_id), sv_int(y->year), sv_int(y->start[0]), sv_int(y->end[0]),
				 sv_int(y->start[1]), sv_int(y->end[1]), sv_int(y->start[2]), sv_int(y->end[2])),
			    NULL);
	if (rc)
		return rc;
	char d[6][11];
	for (int s = 0; s < STAGE__MAX; s++) {
		time_format_date(y->start[s], d[2 * s]);
		time_format_date(y->end[s], d[2 * s + 1]);
	}
	audit_entry e = { street_id, is_new ? "year.create" : "year.update", "year_cycle", id,
			  arena_printf(db_arena(c), "%d needs %s..%s plans %s..%s effects %s..%s", y->year, d[0],
				       d[1], d[2], d[3], d[4], d[5]) };
	return audit_append(c, who, &e);
}

typedef struct year_job {
	const actor *who;
	int64_t street_id;
	const year_cycle *y;
} year_job;

static gz_err year_save_write(store_conn *c, void *ctx)
{
	year_job *j = ctx;
	return year_save_in(c, j->who, j->street_id, j->y);
}

gz_err year_save(store *st, const actor *who, int64_t street_id, const year_cycle *y)
{
	year_job job = { who, street_id, y };
	return store_write(st, year_save_write, &job);
}
