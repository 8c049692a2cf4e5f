#include "domain/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/timeutil.h"

#define HASH_HEX 65

static void add_field(buf *b, const char *s)
{
	buf_printf(b, "%zu:%s;", strlen(s), s);
}

static void add_int(buf *b, int64_t v)
{
	char text[24];
	snprintf(text, sizeof(text), "%" PRId64, v);
	add_field(b, text);
}

typedef struct audit_record {
	int64_t id, street_id, at, actor_account_id, object_id;
	const char *actor_role, *action, *object_type, *summary, *prev_hash;
} audit_record;

static void record_hash(const audit_record *rec, char out[HASH_HEX])
{
	buf b = BUF_INIT;
	add_int(&b, rec->id);
	add_int(&b, rec->street_id);
	add_int(&b, rec->at);
	add_int(&b, rec->actor_account_id);
	add_field(&b, rec->actor_role);
	add_field(&b, rec->action);
	add_field(&b, rec->object_type);
	add_int(&b, rec->object_id);
	add_field(&b, rec->summary);
	add_field(&b, rec->prev_hash);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)b.data, b.len);
	sodium_bin2hex(out, HASH_HEX, digest, sizeof(digest));
	buf_release(&b);
}

gz_err audit_append(store_conn *c, const actor *who, const audit_entry *entry)
{
	rows head;
	gz_err rc = db_run(c, NULL, STMT_AUDIT_HEAD_GET, NOARGS, &head);
	if (rc)
		return rc;
	if (head.nrows != 1)
		return GZ_ECORRUPT;
	audit_record rec = {
		.id = rows_int(&head, 0, 0) + 1,
		.street_id = entry->street_id,
		.at = time_now(),
		.actor_account_id = who->account_id,
		.object_id = entry->object_id,
		.actor_role = actor_role_label(who),
		.action = entry->action,
		.object_type = entry->object_type,
		.summary = entry->summary ? entry->summary : "",
		.prev_hash = rows_text(&head, 0, 1),
	};
	char hash[HASH_HEX];
	record_hash(&rec, hash);
	rc = db_run(c, NULL, STMT_AUDIT_INSERT,
		    ARGS(sv_int(rec.id), sv_id(rec.street_id), sv_int(rec.at), sv_id(rec.actor_account_id),
			 sv_text(rec.actor_role), sv_text(rec.action), sv_text(rec.object_type),
			 sv_id(rec.object_id), sv_text(rec.summary), sv_text(rec.prev_hash), sv_text(hash)),
		    NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_AUDIT_HEAD_SET, ARGS(sv_int(rec.id), sv_text(hash)), NULL);
	return rc;
}

static bool check_record(const rows *page, size_t i, int64_t expected_id, const char *prev_hash,
			 audit_report *report)
{
	audit_record rec = {
		.id = rows_int(page, i, 0),
		.street_id = rows_int(page, i, 1),
		.at = rows_int(page, i, 2),
		.actor_account_id = rows_int(page, i, 3),
		.actor_role = rows_text(page, i, 4),
		.action = rows_text(page, i, 5),
		.object_type = rows_text(page, i, 6),
		.object_id = rows_int(page, i, 7),
		.summary = rows_text(page, i, 8),
		.prev_hash = rows_text(page, i, 9),
	};
	char hash[HASH_HEX];
	record_hash(&rec, hash);
	report->first_bad = rec.id;
	if (rec.id != expected_id)
		snprintf(report->reason, sizeof(report->reason), "record %" PRId64 " is missing (found %" PRId64 " next)",
			 expected_id, rec.id);
	else if (strcmp(rec.prev_hash, prev_hash))
		snprintf(report->reason, sizeof(report->reason),
			 "does not follow the record before it (removed or reordered records)");
	else if (strcmp(hash, rows_text(page, i, 10)))
		snprintf(report->reason, sizeof(report->reason), "its content does not match its hash (altered)");
	else
		report->first_bad = 0;
	return report->first_bad == 0;
}

gz_err audit_verify(store *st, audit_report *report)
{
	memset(report, 0, sizeof(*report));
	store_conn *c = store_conn_get(st);
	if (!c)
		return GZ_ESTORE;
	arena a = ARENA_INIT;
	char prev_hash[HASH_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
	int64_t last_id = 0;
	gz_err rc = GZ_OK;
	for (;;) {
		rows page;
		if ((rc = db_run(c, &a, STMT_AUDIT_SCAN, ARGS(sv_int(last_id), sv_int(1000)), &page)))
			break;
		for (size_t i = 0; i < page.nrows; i++) {
			if (!check_record(&page, i, last_id + 1, prev_hash, report))
				goto done;
			last_id++;
			report->records++;
			snprintf(prev_hash, sizeof(prev_hash), "%s", rows_text(&page, i, 10));
		}
		arena_release(&a);
		if (page.nrows < 1000)
			break;
	}
	rows head;
	if (!rc && !(rc = db_run(c, &a, STMT_AUDIT_HEAD_PEEK, NOARGS, &head))) {
		if (head.nrows != 1 || rows_int(&head, 0, 0) != last_id || strcmp(rows_text(&head, 0, 1), prev_hash)) {
			report->first_bad = last_id + 1;
			snprintf(report->reason, sizeof(report->reason),
				 "the chain ends at record %" PRId64 " but its head names record %" PRId64
				 " (records removed from the end)",
				 last_id, head.nrows ? rows_int(&head, 0, 0) : 0);
		}
	}
	snprintf(report->head_hash, sizeof(report->head_hash), "%s", prev_hash);
done:
	arena_release(&a);
	store_conn_put(st, c);
	return rc;
}
