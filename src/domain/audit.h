/*
 * The audit log: a hash chain of every state change.
 *
 * Each record holds who acted (account, and the role acted in), the action,
 * the object, a compact summary, the time, the previous record's hash and
 * its own hash: SHA-256 over the canonical form
 *
 *     for each field in order: decimal length, ':', the bytes, ';'
 *     fields: id, street_id, at, actor_account_id, actor_role, action,
 *             object_type, object_id, summary, prev_hash
 *
 * Length prefixes make the form unambiguous whatever the summary holds.
 * audit_head names the newest record, so a removed tail is caught too.
 * audit_append must run inside the transaction of the change it records
 * (from a write_fn); the head row serialises appends, also across servers
 * sharing one PostgreSQL database.
 */
#ifndef GZ_DOMAIN_AUDIT_H
#define GZ_DOMAIN_AUDIT_H

#include <stdint.h>

#include "domain/actor.h"
#include "store/store.h"

typedef struct audit_entry {
	int64_t street_id;
	const char *action;        /* "need.create", "account.login", ... */
	const char *object_type;   /* "need", "account", ... */
	int64_t object_id;
	const char *summary;       /* compact, human-readable; no secrets */
} audit_entry;

gz_err audit_append(store_conn *c, const actor *who, const audit_entry *entry);

typedef struct audit_report {
	int64_t records;       /* records checked */
	int64_t first_bad;     /* id of the first bad record, 0 when intact */
	char reason[160];      /* why it is bad */
	char head_hash[65];    /* the newest record's hash: record it elsewhere to anchor the chain */
} audit_report;

/* Walks the whole chain; GZ_OK with first_bad == 0 when intact. */
gz_err audit_verify(store *st, audit_report *report);

#endif
