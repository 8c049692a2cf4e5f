/*
 * gen-needs: fills a demo database (made by `gongzhi demo`) with needs until
 * it holds --count of them, reproducibly from --seed.
 *
 *   gen-needs --db PATH --count N [--seed S] [--batch B]
 *
 * Needs are raised the way the server raises them: need_create_in as the
 * system actor, so every one is checked, indexed for search and recorded in
 * the audit chain exactly as a submission would be.  Supports go in through
 * the support_insert statement, with one audit record per batch naming how
 * many (as the demo does).  Each batch of B needs is one store_write, so one
 * durable transaction.
 *
 * Need number k (counting the needs already there) is a function of (seed, k)
 * alone (needs-text.h): running to 100,000 and then to 1,000,000 gives the
 * same database as running to 1,000,000 at once, apart from timestamps.
 *
 * Times: the campaign runs from the opening of the 问需 period at a steady
 * 1,000,000 needs in 28 days, so need k is dated period start + k * 2.42 s
 * (never later than now); a support comes within three days of its need.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/needs.h"
#include "domain/org.h"
#include "needs-text.h"
#include "store/store.h"
#include "util/timeutil.h"

#define DAY 86400
#define CAMPAIGN_SECONDS (28 * DAY)
#define CAMPAIGN_NEEDS 1000000
#define MAX_COMMUNITIES 64
#define MAX_BUILDINGS 64

typedef struct community {
	int64_t id;
	const char *name;
	int64_t grid_of_building[MAX_BUILDINGS + 1];    /* by the building's number */
	int64_t building[MAX_BUILDINGS + 1];            /* unit id of "N号楼", 0 when none */
	int64_t *people;                                /* who lives there */
	size_t people_count;
} community;

typedef struct street_data {
	int64_t street_id;
	community communities[MAX_COMMUNITIES];
	size_t community_count;
	int64_t *supporters;                            /* verified residents, not social units */
	size_t supporter_count;
	int64_t period_start, now;
} street_data;

typedef struct batch {
	street_data *sd;
	uint64_t seed;
	int64_t from, to;                               /* need numbers [from, to) */
	int64_t supports;                               /* supports written */
	const char *refused;                            /* why need_create_in refused, if it did */
} batch;

static arena keep = ARENA_INIT;                         /* lives for the whole run */

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
					"胡", "朱", "高", "林", "何", "郭", "马", "罗" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
				     "秀英", "桂英", "建华", "淑珍", "海燕", "国庆", "玉兰", "建国" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int building_number(const char *name)
{
	int n = atoi(name);
	return n > 0 && n <= MAX_BUILDINGS && strstr(name, "号楼") ? n : 0;
}

/* Communities, their buildings and grids, and the people of the street. */
static gz_err load_street(store *st, street_data *sd)
{
	store_conn *c = store_conn_get(st);
	const char *name, *district;
	gz_err rc = street_first(c, &keep, &sd->street_id, &name, &district);
	org_unit *units = NULL;
	size_t n = 0;
	if (!rc)
		rc = unit_list(c, &keep, sd->street_id, -1, &units, &n);
	for (size_t i = 0; !rc && i < n; i++)
		if (units[i].kind == UNIT_COMMUNITY && sd->community_count < MAX_COMMUNITIES)
			sd->communities[sd->community_count++] = (community){ .id = units[i].id, .name = units[i].name };
	for (size_t i = 0; !rc && i < n; i++) {
		int b = units[i].kind == UNIT_BUILDING ? building_number(units[i].name) : 0;
		org_unit grid;
		if (!b || unit_get(c, &keep, units[i].parent_id, &grid))
			continue;
		for (size_t k = 0; k < sd->community_count; k++)
			if (sd->communities[k].id == grid.parent_id) {
				sd->communities[k].building[b] = units[i].id;
				sd->communities[k].grid_of_building[b] = grid.id;
			}
	}
	person_record *people = NULL;
	size_t pc = 0;
	int64_t total = 0;
	if (!rc)
		rc = person_list(c, &keep, sd->street_id, "", 100000, 0, &people, &pc, &total);
	sd->supporters = ARENA_ARRAY(&keep, int64_t, pc + 1);
	for (size_t k = 0; !rc && k < sd->community_count; k++) {
		community *cm = &sd->communities[k];
		cm->people = ARENA_ARRAY(&keep, int64_t, pc + 1);
		const char *path = NULL;
		org_unit u;
		if (!unit_get(c, &keep, cm->id, &u))
			path = u.path;
		for (size_t i = 0; path && i < pc; i++)
			if (!strncmp(people[i].home_unit_path, path, strlen(path)))
				cm->people[cm->people_count++] = people[i].id;
	}
	for (size_t i = 0; !rc && i < pc; i++)
		if (people[i].verified && !people[i].social_unit)
			sd->supporters[sd->supporter_count++] = people[i].id;
	int year;
	int64_t ends;
	if (!rc && !need_period_open(c, &keep, sd->street_id, &year, &sd->period_start, &ends))
		rc = GZ_ECONFLICT;
	store_conn_put(st, c);
	sd->now = time_now();
	if (!rc && (!sd->community_count || !sd->supporter_count))
		rc = GZ_ENOTFOUND;
	return rc;
}

/* The place of need k: its building, that building's grid, or the community. */
static int64_t place_of(bench_rng *r, const community *cm, int building)
{
	uint32_t u = bench_rng_below(r, 4);
	if (u < 2 && cm->building[building])
		return cm->building[building];
	if (u < 3 && cm->grid_of_building[building])
		return cm->grid_of_building[building];
	return cm->id;
}

/* How many supports a need gets: most none, a few very many. */
static uint32_t support_count(bench_rng *r)
{
	uint32_t u = bench_rng_below(r, 1000);
	if (u < 550)
		return 0;
	if (u < 800)
		return 1 + bench_rng_below(r, 2);
	if (u < 950)
		return 3 + bench_rng_below(r, 7);
	if (u < 990)
		return 10 + bench_rng_below(r, 30);
	return 40 + bench_rng_below(r, 110);
}

static gz_err raise_one(store_conn *c, batch *b, int64_t k)
{
	street_data *sd = b->sd;
	arena *a = db_arena(c);
	bench_rng r = bench_rng_for(b->seed ^ 0x504c414345ull, (uint64_t)k);
	const community *cm = &sd->communities[bench_rng_below(&r, (uint32_t)sd->community_count)];
	bench_need_text t;
	bench_need_text_make(b->seed, (uint64_t)k, cm->name, &t);
	need_input in = { .title = t.title, .body = t.body, .category = t.category, .unit_id = place_of(&r, cm, t.building),
			  .channel = CHANNEL_WEB, .show_name = bench_rng_below(&r, 5) == 0 };
	uint32_t how = bench_rng_below(&r, 100);
	if (how < 10) {   /* a paper form or a call, recorded for someone without an account */
		in.submitter_name = arena_printf(a, "%s%s", surnames[bench_rng_below(&r, COUNT(surnames))],
						 given[bench_rng_below(&r, COUNT(given))]);
		in.channel = how < 6 ? CHANNEL_PAPER : CHANNEL_PHONE;
		in.show_name = false;
	} else {
		const int64_t *pool = cm->people_count ? cm->people : sd->supporters;
		size_t pool_count = cm->people_count ? cm->people_count : sd->supporter_count;
		in.person_id = pool[bench_rng_below(&r, (uint32_t)pool_count)];
		in.channel = how < 25 ? CHANNEL_POSTER : CHANNEL_WEB;
	}
	int64_t id;
	need_refusal why = { NULL };
	gz_err rc = need_create_in(c, &actor_system, &in, &id, &why);
	if (rc) {
		b->refused = why.key;
		return rc;
	}
	int64_t when = sd->period_start + k * (int64_t)CAMPAIGN_SECONDS / CAMPAIGN_NEEDS;
	when = when < sd->now ? when : sd->now;
	rc = db_run(c, NULL, STMT_NEED_BACKDATE, ARGS(sv_int(sd->street_id), sv_int(id), sv_int(when)), NULL);
	uint32_t supports = support_count(&r);
	for (uint32_t s = 0; !rc && s < supports; s++) {
		int64_t person = sd->supporters[bench_rng_below(&r, (uint32_t)sd->supporter_count)];
		int64_t at = when + bench_rng_below(&r, 3 * DAY);
		if (person == in.person_id)
			continue;   /* one's own need needs no support */
		rc = db_run(c, NULL, STMT_SUPPORT_INSERT,
			    ARGS(sv_int(sd->street_id), sv_int(id), sv_int(person), sv_int(at < sd->now ? at : sd->now)), NULL);
		b->supports += db_changes(c);
	}
	return rc;
}

static gz_err batch_write(store_conn *c, void *ctx)
{
	batch *b = ctx;
	b->supports = 0;
	gz_err rc = GZ_OK;
	for (int64_t k = b->from; !rc && k < b->to; k++)
		rc = raise_one(c, b, k);
	if (rc)
		return rc;
	audit_entry e = { b->sd->street_id, "bench.supports", "street", b->sd->street_id,
			  arena_printf(db_arena(c), "%" PRId64 " supports of needs %" PRId64 "..%" PRId64 " (seed %" PRIu64 ")",
				       b->supports, b->from, b->to - 1, b->seed) };
	return audit_append(c, &actor_system, &e);
}

static int64_t need_count(store *st, int64_t street_id)
{
	store_conn *c = store_conn_get(st);
	int64_t n = -1;
	if (db_int(c, STMT_NEED_TOTAL, ARGS(sv_int(street_id), sv_int(0)), 0, &n))
		n = -1;
	store_conn_put(st, c);
	return n;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: gen-needs --db PATH --count N [--seed S] [--batch B]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *db = NULL;
	int64_t count = -1, batch_size = 4000;
	uint64_t seed = 42;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--count"))
			count = strtoll(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--batch"))
			batch_size = strtoll(argv[i + 1], NULL, 10);
		else
			return usage();
	}
	if (!db || count < 0 || batch_size < 1 || argc % 2 == 0)
		return usage();
	store *st;
	char err[512];
	store_options opt = STORE_OPTIONS_DEFAULT;
	if (store_open(db, &opt, &st, err, sizeof(err))) {
		fprintf(stderr, "gen-needs: %s\n", err);
		return 1;
	}
	static street_data sd;
	gz_err rc = load_street(st, &sd);
	if (rc) {
		fprintf(stderr, "gen-needs: %s is not a demo database with an open 问需 period (%s)\n", db, gz_strerror(rc));
		store_close(st);
		return 1;
	}
	int64_t have = need_count(st, sd.street_id);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int64_t start = have, supports = 0;
	for (int64_t from = have; !rc && from < count; from += batch_size) {
		batch b = { &sd, seed, from, from + batch_size < count ? from + batch_size : count, 0, NULL };
		rc = store_write(st, batch_write, &b);
		if (rc) {
			fprintf(stderr, "gen-needs: need %" PRId64 "..: %s%s%s\n", from, gz_strerror(rc), b.refused ? " " : "",
				b.refused ? b.refused : "");
			break;
		}
		supports += b.supports;
		if ((b.to / batch_size) % 25 == 0 || b.to == count)
			fprintf(stderr, "gen-needs: %" PRId64 " needs (%.0f a second)\n", b.to,
				(double)(b.to - start) / seconds_since(&t0));
	}
	store_close(st);
	arena_release(&keep);
	if (rc)
		return 1;
	printf("%" PRId64 " needs (%" PRId64 " added, %" PRId64 " supports) in %.1f s\n", have > count ? have : count,
	       count > have ? count - have : 0, supports, seconds_since(&t0));
	return 0;
}
