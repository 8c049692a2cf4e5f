#include "domain/inbox.h"

#include "domain/audit.h"
#include "util/timeutil.h"

gz_err inbox_notify_need_in(store_conn *c, int64_t street_id, int64_t need_id, const char *kind, int64_t other_id,
			    const char *reason)
{
	return db_run(c, NULL, STMT_INBOX_NOTIFY_NEED,
		      ARGS(sv_int(street_id), sv_int(need_id), sv_text(kind), sv_id(other_id), sv_text(reason ? reason : ""),
			   sv_int(time_now())),
		      NULL);
}

gz_err inbox_list(store_conn *c, arena *a, int64_t street_id, int64_t person_id, int64_t limit, int64_t offset,
		  inbox_message **out, size_t *count, int64_t *total, int64_t *unread)
{
	rows r, n;
	gz_err rc = db_run(c, a, STMT_INBOX_COUNT, ARGS(sv_int(street_id), sv_int(person_id)), &n);
	if (!rc)
		rc = db_run(c, a, STMT_INBOX_LIST, ARGS(sv_int(street_id), sv_int(person_id), sv_int(limit), sv_int(offset)),
			    &r);
	if (rc)
		return rc;
	*total = n.nrows ? rows_int(&n, 0, 0) : 0;
	*unread = n.nrows ? rows_int(&n, 0, 1) : 0;
	*out = ARENA_ARRAY(a, inbox_message, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++) {
		inbox_message *m = &(*out)[i];
		m->id = rows_int(&r, i, 0);
		m->kind = rows_text(&r, i, 1);
		m->need_id = rows_int(&r, i, 2);
		m->other_id = rows_int(&r, i, 3);
		m->reason = rows_text(&r, i, 4);
		m->created_at = rows_int(&r, i, 5);
		m->unread = rows_int(&r, i, 6) == 0;
		m->need_title = rows_text(&r, i, 7);
		m->other_title = *rows_text(&r, i, 8) ? rows_text(&r, i, 8) : rows_text(&r, i, 9);
	}
	*count = r.nrows;
	return GZ_OK;
}

typedef struct inbox_job {
	const actor *who;
	bool on;
} inbox_job;

static gz_err mark_read_write(store_conn *c, void *ctx)
{
	inbox_job *j = ctx;
	gz_err rc = db_run(c, NULL, STMT_INBOX_MARK_READ,
			   ARGS(sv_int(j->who->street_id), sv_int(j->who->person_id), sv_int(time_now())), NULL);
	if (rc)
		return rc;
	audit_entry e = { j->who->street_id, "inbox.read", "person", j->who->person_id, "all notices read" };
	return audit_append(c, j->who, &e);
}

gz_err inbox_mark_read(store *st, const actor *who)
{
	if (!who || !who->account_id)
		return GZ_EAUTH;
	inbox_job job = { who, false };
	return store_write(st, mark_read_write, &job);
}

bool inbox_digest_on(store_conn *c, int64_t street_id, int64_t person_id)
{
	int64_t on = 0;
	if (db_int(c, STMT_INBOX_SETTING_GET, ARGS(sv_int(street_id), sv_int(person_id)), 0, &on))
		return false;
	return on != 0;
}

static gz_err set_digest_write(store_conn *c, void *ctx)
{
	inbox_job *j = ctx;
	gz_err rc = db_run(c, NULL, STMT_INBOX_SETTING_SET,
			   ARGS(sv_int(j->who->street_id), sv_int(j->who->person_id), sv_bool(j->on)), NULL);
	if (rc)
		return rc;
	audit_entry e = { j->who->street_id, "inbox.digest", "person", j->who->person_id,
			  j->on ? "daily digest on" : "daily digest off" };
	return audit_append(c, j->who, &e);
}

gz_err inbox_set_digest(store *st, const actor *who, bool on)
{
	if (!who || !who->account_id)
		return GZ_EAUTH;
	inbox_job job = { who, on };
	return store_write(st, set_digest_write, &job);
}
