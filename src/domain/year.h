/*
 * A street's yearly cycle: 问需 (needs), 问计 (plans), 问效 (effects); 问责
 * (accountability) runs at any time.  Dates are whole days in China time,
 * each stage from its start day to its end day inclusive.  Stages of
 * neighbouring years overlap: the implementation of last year's projects runs
 * while this year's needs are being asked.
 */
#ifndef GZ_DOMAIN_YEAR_H
#define GZ_DOMAIN_YEAR_H

#include "domain/actor.h"
#include "store/store.h"

typedef enum stage { STAGE_NEEDS, STAGE_PLANS, STAGE_EFFECTS, STAGE__MAX } stage;

/* "needs", "plans", "effects": catalogue keys are "stage.<name>". */
const char *stage_name(stage s);

typedef struct year_cycle {
	int64_t id;
	int year;
	int64_t start[STAGE__MAX];   /* midnight of the first day */
	int64_t end[STAGE__MAX];     /* midnight of the last day */
} year_cycle;

/* DESIGN defaults: needs Sep-Oct, plans Nov-Jan, effects Feb-Nov of the next year. */
void year_defaults(int year, year_cycle *out);
bool year_in_stage(const year_cycle *y, stage s, int64_t t);
/* Days remaining in the stage including today, 0 when not in it. */
int year_days_left(const year_cycle *y, stage s, int64_t t);

gz_err year_get(store_conn *c, arena *a, int64_t street_id, int year, year_cycle *out);
/* Cycles of the street, newest first. */
gz_err year_list(store_conn *c, arena *a, int64_t street_id, year_cycle **out, size_t *count);
/* Creates or changes a cycle; GZ_EINVAL unless each stage ends on or after
 * it starts and the stages follow one another. */
gz_err year_save(store *st, const actor *who, int64_t street_id, const year_cycle *y);
gz_err year_save_in(store_conn *c, const actor *who, int64_t street_id, const year_cycle *y);

#endif
