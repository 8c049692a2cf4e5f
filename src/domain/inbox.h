/*
 * The in-site inbox (消息): every person whose need was merged, consolidated
 * into a draft matter, not adopted or hidden is told so, with the reason and
 * a link on to what became of it.  Notices are written inside the
 * transaction that changes the need's fate; their text is composed when
 * read, in the reader's language.
 *
 * Daily digest: a per-person setting.  It changes nothing at write time; the
 * inbox groups one day's notices into one entry when it is read, so a
 * person with many needs is not flooded.
 */
#ifndef GZ_DOMAIN_INBOX_H
#define GZ_DOMAIN_INBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/actor.h"
#include "store/store.h"

/* Kinds of notice: "merged", "consolidated", "declined", "hidden". */

/* Tells everyone behind need `need_id` (submitter, supporters, and those of
 * the needs merged into it) of its fate.  `other_id`: the primary need for
 * "merged", the draft for "consolidated", else 0. */
gz_err inbox_notify_need_in(store_conn *c, int64_t street_id, int64_t need_id, const char *kind, int64_t other_id,
			    const char *reason);

typedef struct inbox_message {
	int64_t id;
	const char *kind;
	int64_t need_id, other_id;
	const char *reason;
	int64_t created_at;
	bool unread;
	const char *need_title;
	const char *other_title;    /* the draft's or the primary need's title, "" otherwise */
} inbox_message;

/* A page of a person's notices, newest first, with the totals. */
gz_err inbox_list(store_conn *c, arena *a, int64_t street_id, int64_t person_id, int64_t limit, int64_t offset,
		  inbox_message **out, size_t *count, int64_t *total, int64_t *unread);
/* Marks all of the actor's notices read. */
gz_err inbox_mark_read(store *st, const actor *who);
bool inbox_digest_on(store_conn *c, int64_t street_id, int64_t person_id);
gz_err inbox_set_digest(store *st, const actor *who, bool on);

#endif
