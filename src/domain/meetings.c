#include "domain/meetings.h"

#include <inttypes.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/org.h"
#include "util/timeutil.h"
#include "util/utf8.h"

static void meeting_from_row(const rows *r, size_t i, community_meeting *m)
{
	m->id = rows_int(r, i, 0);
	m->street_id = rows_int(r, i, 1);
	m->unit_id = rows_int(r, i, 2);
	m->unit_name = rows_text(r, i, 3);
	m->unit_path = rows_text(r, i, 4);
	m->title = rows_text(r, i, 5);
	m->held_on = rows_int(r, i, 6);
	m->place = rows_text(r, i, 7);
	m->attendance = rows_int(r, i, 8);
	m->notes = rows_text(r, i, 9);
	m->created_at = rows_int(r, i, 10);
}

gz_err community_meeting_get(store_conn *c, arena *a, int64_t id, community_meeting *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_COMMUNITY_MEETING_GET, ARGS(sv_int(id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	meeting_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err community_meeting_list(store_conn *c, arena *a, int64_t street_id, const char *unit_path, int64_t limit,
			      int64_t offset, community_meeting **out, size_t *count, int64_t *total)
{
	rows r;
	const char *path = unit_path ? unit_path : "";
	gz_err rc = db_int(c, STMT_COMMUNITY_MEETING_COUNT, ARGS(sv_int(street_id), sv_text(path)), 0, total);
	if (!rc)
		rc = db_run(c, a, STMT_COMMUNITY_MEETING_LIST,
			    ARGS(sv_int(street_id), sv_text(path), sv_int(limit), sv_int(offset)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, community_meeting, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		meeting_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

bool community_meeting_can_record(const actor *who, const community_meeting *m)
{
	return authz_can(who, AUTHZ_CURATE_NEEDS, (authz_target){ m->street_id, m->unit_path });
}

gz_err community_meeting_needs(store_conn *c, arena *a, int64_t street_id, int64_t meeting_id, meeting_need **out,
			       size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_COMMUNITY_MEETING_NEEDS, ARGS(sv_int(street_id), sv_int(meeting_id)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, meeting_need, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++) {
		meeting_need *n = &(*out)[i];
		n->id = rows_int(&r, i, 0);
		n->title = rows_text(&r, i, 1);
		n->category = rows_text(&r, i, 2);
		need_status_parse(rows_text(&r, i, 3), &n->status);
		n->hidden = rows_int(&r, i, 4) != 0;
		n->created_at = rows_int(&r, i, 5);
	}
	*count = r.nrows;
	return GZ_OK;
}

typedef struct meeting_job {
	const actor *who;
	const meeting_input *in;
	int64_t id;
	meeting_refusal *why;
} meeting_job;

static const char *check_input(const meeting_input *in)
{
	if (!utf8_text_fits(in->title, 1, MEETING_TITLE_MAX, true))
		return "meeting.bad.title";
	if (!utf8_text_fits(in->place, 1, MEETING_PLACE_MAX, true))
		return "meeting.bad.place";
	/* A meeting is recorded after it was held: a day later than today is a slip. */
	if (in->held_on <= 0 || in->held_on > time_now())
		return "meeting.bad.date";
	if (in->attendance < 1 || in->attendance > MEETING_ATTENDANCE_MAX)
		return "meeting.bad.attendance";
	if (!utf8_text_fits(in->notes, 0, MEETING_NOTES_MAX, false))
		return "meeting.bad.notes";
	return NULL;
}

static gz_err create_write(store_conn *c, void *ctx)
{
	meeting_job *j = ctx;
	const meeting_input *in = j->in;
	if ((j->why->key = check_input(in)))
		return GZ_EINVAL;
	org_unit u;
	gz_err rc = unit_get(c, db_arena(c), in->unit_id, &u);
	if (rc == GZ_ENOTFOUND || (!rc && u.kind != UNIT_COMMUNITY)) {
		j->why->key = "meeting.bad.unit";
		return GZ_EINVAL;
	}
	if (rc)
		return rc;
	if (!authz_can(j->who, AUTHZ_CURATE_NEEDS, (authz_target){ u.street_id, u.path }))
		return GZ_EFORBIDDEN;
	rc = db_int(c, STMT_COMMUNITY_MEETING_INSERT,
		    ARGS(sv_int(u.street_id), sv_int(u.id), sv_text(in->title), sv_int(in->held_on), sv_text(in->place),
			 sv_int(in->attendance), sv_text(in->notes ? in->notes : ""), sv_id(j->who->account_id),
			 sv_int(time_now())),
		    0, &j->id);
	if (rc)
		return rc;
	char day[11];
	time_format_date(in->held_on, day);
	audit_entry e = { u.street_id, "meeting.create", "community_meeting", j->id,
			  arena_printf(db_arena(c), "%s, %s, %s, %" PRId64 " present", in->title, day, u.name,
				       in->attendance) };
	return audit_append(c, j->who, &e);
}

gz_err community_meeting_create(store *st, const actor *who, const meeting_input *in, int64_t *id,
				meeting_refusal *why)
{
	meeting_refusal ignored;
	meeting_job j = { who, in, 0, why ? why : &ignored };
	j.why->key = NULL;
	gz_err rc = store_write(st, create_write, &j);
	*id = rc ? 0 : j.id;
	return rc;
}

typedef struct need_job {
	const actor *who;
	int64_t meeting_id;
	const need_input *in;
	int64_t need_id;
	need_refusal *why;
} need_job;

static gz_err add_need_write(store_conn *c, void *ctx)
{
	need_job *j = ctx;
	community_meeting m;
	gz_err rc = community_meeting_get(c, db_arena(c), j->meeting_id, &m);
	if (rc)
		return rc;
	if (!community_meeting_can_record(j->who, &m))
		return GZ_EFORBIDDEN;
	need_input in = *j->in;
	in.channel = CHANNEL_MEETING;
	in.meeting_id = m.id;
	in.answer_id = 0;
	if (!in.unit_id)
		in.unit_id = m.unit_id;
	/* A need raised at a community's meeting is placed in that community. */
	org_unit place;
	if ((rc = unit_get(c, db_arena(c), in.unit_id, &place)))
		return rc == GZ_ENOTFOUND ? GZ_EINVAL : rc;
	if (strncmp(place.path, m.unit_path, strlen(m.unit_path))) {
		j->why->key = "meeting.bad.need_place";
		return GZ_EINVAL;
	}
	if ((rc = need_create_in(c, j->who, &in, &j->need_id, j->why)))
		return rc;
	audit_entry e = { m.street_id, "meeting.need", "community_meeting", m.id,
			  arena_printf(db_arena(c), "need %" PRId64 " raised: %s", j->need_id, in.title) };
	return audit_append(c, j->who, &e);
}

gz_err community_meeting_add_need(store *st, const actor *who, int64_t meeting_id, const need_input *in,
				  int64_t *need_id, need_refusal *why)
{
	need_refusal ignored;
	need_job j = { who, meeting_id, in, 0, why ? why : &ignored };
	j.why->key = NULL;
	gz_err rc = store_write(st, add_need_write, &j);
	*need_id = rc ? 0 : j.need_id;
	return rc;
}
