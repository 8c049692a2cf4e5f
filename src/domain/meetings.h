/*
 * Community meetings recorded for needs intake (问需): a community's
 * residents' meeting, hearing or deliberation evening (居民议事会, 恳谈会)
 * where residents raised needs.  Staff record the meeting (date, place,
 * attendance) and then each need raised there, on the channel "meeting",
 * linked back to the meeting through need.meeting_id.
 *
 * Staff act where authz_can(AUTHZ_CURATE_NEEDS) reaches the meeting's unit;
 * the record is public, like the needs raised in it.
 */
#ifndef GZ_DOMAIN_MEETINGS_H
#define GZ_DOMAIN_MEETINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/actor.h"
#include "domain/needs.h"
#include "store/store.h"

#define MEETING_TITLE_MAX 60
#define MEETING_PLACE_MAX 60
#define MEETING_NOTES_MAX 2000
#define MEETING_ATTENDANCE_MAX 100000

typedef struct community_meeting {
	int64_t id, street_id;
	int64_t unit_id;              /* the community holding it */
	const char *unit_name, *unit_path;
	const char *title;
	int64_t held_on;              /* midnight of the day, China time */
	const char *place;
	int64_t attendance;
	const char *notes;
	int64_t created_at;
} community_meeting;

typedef struct meeting_input {
	int64_t unit_id;
	const char *title;
	int64_t held_on;
	const char *place;
	int64_t attendance;
	const char *notes;            /* optional */
} meeting_input;

/* Why a change was refused: a catalogue key, NULL when none. */
typedef struct meeting_refusal {
	const char *key;
} meeting_refusal;

/* Records a meeting.  GZ_EINVAL with a key for bad input: a unit that is not
 * one of the street's communities, a day in the future, an empty title
 * or place, attendance out of 1..MEETING_ATTENDANCE_MAX. */
gz_err community_meeting_create(store *st, const actor *who, const meeting_input *in, int64_t *id,
				meeting_refusal *why);
gz_err community_meeting_get(store_conn *c, arena *a, int64_t id, community_meeting *out);
/* Meetings under `unit_path` ("" for the whole street), newest first. */
gz_err community_meeting_list(store_conn *c, arena *a, int64_t street_id, const char *unit_path, int64_t limit,
			      int64_t offset, community_meeting **out, size_t *count, int64_t *total);
bool community_meeting_can_record(const actor *who, const community_meeting *m);

/* A need raised at a meeting, as listed on the meeting's page. */
typedef struct meeting_need {
	int64_t id;
	const char *title, *category;
	need_status status;
	bool hidden;
	int64_t created_at;
} meeting_need;

gz_err community_meeting_needs(store_conn *c, arena *a, int64_t street_id, int64_t meeting_id, meeting_need **out,
			       size_t *count);

/*
 * Records a need raised at the meeting: channel "meeting", linked to it,
 * placed in the meeting's community unless `in->unit_id` names a place
 * inside it.  The need's own rules apply (need_create_in); its refusal key
 * comes back in `why`.
 */
gz_err community_meeting_add_need(store *st, const actor *who, int64_t meeting_id, const need_input *in,
				  int64_t *need_id, need_refusal *why);

#endif
