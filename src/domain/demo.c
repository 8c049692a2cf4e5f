#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/org.h"
#include "domain/year.h"
#include "util/timeutil.h"

#define DAY 86400

const demo_account demo_accounts[] = {
	{ "admin", "role.admin", "administrator: organisation tree, people, roles" },
	{ "street", "role.street_staff", "street office staff" },
	{ "staff1", "role.community_staff", "staff of the first community" },
	{ "delegate1", "role.delegate", "a resident representative, first community" },
	{ "builder", "role.implementer", "an implementing unit" },
	{ "resident1", "role.resident", "a verified resident, first community" },
	{ "resident2", "role.resident", "a resident not yet verified, second community" },
	{ "unit1", "role.social_unit", "a social unit (驻区单位)" },
	{ NULL, NULL, NULL },
};

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
					"胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢",
					"韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
				     "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文",
				     "志强", "淑珍", "海燕", "国庆", "玉兰", "红梅", "建国", "秀兰", "德明", "春生",
				     "晓东", "丽华", "子涵", "雨桐", "浩然", "思远" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

uint64_t demo_random(demo_context *d)
{
	/* xorshift64*: small, fast, and the same on every machine */
	d->seed ^= d->seed >> 12;
	d->seed ^= d->seed << 25;
	d->seed ^= d->seed >> 27;
	return d->seed * 2685821657736338717ull;
}

const char *demo_name(demo_context *d, arena *a)
{
	return arena_printf(a, "%s%s", surnames[demo_random(d) % COUNT(surnames)], given[demo_random(d) % COUNT(given)]);
}

static const struct {
	const char *name;
	int64_t households;
} communities[DEMO_COMMUNITIES] = {
	{ "望湖东里社区", 2400 },
	{ "望湖西里社区", 1800 },
	{ "枣林社区", 3100 },
	{ "花园北社区", 2650 },
};

static const char *const grid_names[3] = { "第一网格", "第二网格", "第三网格" };

static gz_err build_tree(store_conn *c, demo_context *d)
{
	const actor *sys = &actor_system;
	for (int i = 0; i < DEMO_COMMUNITIES; i++) {
		gz_err rc = unit_create_in(c, sys, d->street_unit_id, UNIT_COMMUNITY, communities[i].name,
					   communities[i].households, &d->community_ids[i]);
		for (int g = 0; !rc && g < 3; g++) {
			rc = unit_create_in(c, sys, d->community_ids[i], UNIT_GRID, grid_names[g], 0, &d->grid_ids[i][g]);
			for (int b = 1; !rc && b <= 4; b++) {
				int64_t building;
				char name[32];
				snprintf(name, sizeof(name), "%d号楼", g * 4 + b);
				rc = unit_create_in(c, sys, d->grid_ids[i][g], UNIT_BUILDING, name, 0, &building);
			}
		}
		if (rc)
			return rc;
	}
	return GZ_OK;
}

static gz_err add_person(store_conn *c, demo_context *d, const char *name, int64_t unit, bool party, bool verified,
			 bool social_unit, int64_t *id)
{
	char phone[16];
	snprintf(phone, sizeof(phone), "13%09llu", (unsigned long long)(demo_random(d) % 1000000000ull));
	person_input in = { name, phone, party, social_unit, verified, unit };
	return person_create_in(c, &actor_system, d->street_id, &in, id);
}

static gz_err add_role(store_conn *c, demo_context *d, int64_t person, int64_t unit, role_kind role,
		       delegate_kind kind)
{
	int64_t id;
	role_input in = { person, unit, role, kind, d->now - 400 * DAY, d->now + 3 * 365 * DAY };
	return role_assign_in(c, &actor_system, &in, &id);
}

static gz_err add_account(store_conn *c, demo_context *d, int64_t person, const char *login, const char *encoded)
{
	int64_t id;
	return account_create(c, &actor_system, d->street_id, person, login, encoded, &id);
}

/* Ten delegates a community: six party members, every kind represented. */
static const delegate_kind delegate_mix[10] = {
	DELEGATE_RESIDENT_REP, DELEGATE_RESIDENT_REP, DELEGATE_RESIDENT_REP, DELEGATE_RESIDENT_REP,
	DELEGATE_PARTY_REP,    DELEGATE_PARTY_REP,    DELEGATE_NPC_DEPUTY,   DELEGATE_CPPCC_MEMBER,
	DELEGATE_SOCIAL_UNIT_REP, DELEGATE_LEGAL_PROFESSIONAL,
};

static gz_err build_delegates(store_conn *c, demo_context *d, arena *a, const char *encoded)
{
	for (int i = 0; i < DEMO_COMMUNITIES; i++)
		for (int k = 0; k < 10; k++) {
			int64_t person;
			bool party = k >= 4 || k < 2;   /* six of ten */
			gz_err rc = add_person(c, d, demo_name(d, a), d->grid_ids[i][k % 3], party, true, false, &person);
			if (!rc)
				rc = add_role(c, d, person, d->community_ids[i], ROLE_DELEGATE, delegate_mix[k]);
			if (!rc && i == 0 && k == 2)
				rc = add_account(c, d, person, "delegate1", encoded);
			if (rc)
				return rc;
		}
	return GZ_OK;
}

static gz_err build_staff(store_conn *c, demo_context *d, arena *a, const char *encoded)
{
	int64_t person;
	gz_err rc = add_person(c, d, demo_name(d, a), d->grid_ids[0][0], true, true, false, &person);
	if (!rc)
		rc = add_role(c, d, person, d->street_unit_id, ROLE_ADMIN, DELEGATE_NONE);
	if (!rc)
		rc = add_account(c, d, person, "admin", encoded);
	for (int s = 0; !rc && s < 3; s++) {
		rc = add_person(c, d, demo_name(d, a), d->grid_ids[s][1], true, true, false, &person);
		if (!rc)
			rc = add_role(c, d, person, d->street_unit_id, ROLE_STREET_STAFF, DELEGATE_NONE);
		if (!rc && s == 0) {
			d->street_staff_person_id = person;
			rc = add_account(c, d, person, "street", encoded);
		}
	}
	for (int i = 0; !rc && i < DEMO_COMMUNITIES; i++)
		for (int s = 0; !rc && s < 2; s++) {
			rc = add_person(c, d, demo_name(d, a), d->grid_ids[i][2], s == 0, true, false, &person);
			if (!rc)
				rc = add_role(c, d, person, d->community_ids[i], ROLE_COMMUNITY_STAFF, DELEGATE_NONE);
			if (!rc && s == 0) {
				d->staff_person_ids[i] = person;
				char login[16];
				snprintf(login, sizeof(login), "staff%d", i + 1);
				rc = add_account(c, d, person, login, encoded);
			}
		}
	if (!rc)
		rc = add_person(c, d, "望湖市政工程有限公司", d->grid_ids[1][0], false, true, true, &person);
	if (!rc)
		rc = add_role(c, d, person, d->street_unit_id, ROLE_IMPLEMENTER, DELEGATE_NONE);
	if (!rc)
		rc = add_account(c, d, person, "builder", encoded);
	return rc;
}

static const char *const social_units[] = { "望湖小学", "枣林社区卫生服务站", "花园北物业服务中心", "望湖商场",
					    "区图书馆望湖分馆", "望湖派出所", "朝阳供热望湖站", "青禾幼儿园" };

static gz_err build_residents(store_conn *c, demo_context *d, arena *a, const char *encoded)
{
	size_t total = 200 + COUNT(social_units);
	d->resident_ids = ARENA_ARRAY(a, int64_t, total);
	for (size_t k = 0; k < total; k++) {
		bool unit = k >= 200;
		int i = (int)(k % DEMO_COMMUNITIES), g = (int)(demo_random(d) % 3);
		/* Most residents are verified; every tenth is still waiting. */
		bool verified = unit || k % 10 != 1;
		const char *name = unit ? social_units[k - 200] : demo_name(d, a);
		gz_err rc = add_person(c, d, name, d->grid_ids[i][g], demo_random(d) % 4 == 0, verified, unit,
				       &d->resident_ids[k]);
		if (!rc && k == 0)
			rc = add_account(c, d, d->resident_ids[k], "resident1", encoded);
		if (!rc && k == 1)
			rc = add_account(c, d, d->resident_ids[k], "resident2", encoded);
		if (!rc && k == 200)
			rc = add_account(c, d, d->resident_ids[k], "unit1", encoded);
		if (rc)
			return rc;
	}
	d->resident_count = total;
	return GZ_OK;
}

/* This year's 问需 is open on the day the demo is built; last year's projects
 * are being implemented. */
static gz_err build_years(store_conn *c, demo_context *d)
{
	char today_text[11];
	time_format_date(d->now, today_text);
	int64_t today;
	time_parse_date(today_text, &today);
	year_cycle this_year = { .year = time_year(d->now) };
	this_year.start[STAGE_NEEDS] = today - 30 * DAY;
	this_year.end[STAGE_NEEDS] = today + 30 * DAY;
	this_year.start[STAGE_PLANS] = today + 31 * DAY;
	this_year.end[STAGE_PLANS] = today + 90 * DAY;
	this_year.start[STAGE_EFFECTS] = today + 91 * DAY;
	this_year.end[STAGE_EFFECTS] = today + 364 * DAY;
	year_cycle last_year = { .year = this_year.year - 1 };
	for (int s = 0; s < STAGE__MAX; s++) {
		last_year.start[s] = this_year.start[s] - 365 * DAY;
		last_year.end[s] = this_year.end[s] - 365 * DAY;
	}
	/* Last year's projects are still being built while this year's needs are asked. */
	last_year.end[STAGE_EFFECTS] = today + 20 * DAY;
	gz_err rc = year_save_in(c, &actor_system, d->street_id, &last_year);
	return rc ? rc : year_save_in(c, &actor_system, d->street_id, &this_year);
}

typedef gz_err (*demo_builder)(store_conn *c, demo_context *d, arena *a, const char *encoded);

static gz_err build_people(store_conn *c, demo_context *d, arena *a, const char *encoded)
{
	gz_err rc = build_tree(c, d);
	if (!rc)
		rc = build_staff(c, d, a, encoded);
	if (!rc)
		rc = build_delegates(c, d, a, encoded);
	if (!rc)
		rc = build_residents(c, d, a, encoded);
	if (!rc)
		rc = build_years(c, d);
	return rc;
}

/* Each stage adds its builder here, in the order of the year. */
static const demo_builder builders[] = {
	build_people,
	demo_build_needs,
	demo_build_surveys,
};

typedef struct demo_job {
	demo_context *d;
	const char *encoded;
	arena *a;
} demo_job;

static gz_err demo_write(store_conn *c, void *ctx)
{
	demo_job *job = ctx;
	for (size_t i = 0; i < COUNT(builders); i++) {
		gz_err rc = builders[i](c, job->d, job->a, job->encoded);
		if (rc)
			return rc;
	}
	return GZ_OK;
}

gz_err demo_build(store *st)
{
	store_conn *c = store_conn_get(st);
	int64_t streets = 0;
	gz_err rc = c ? db_int(c, STMT_STREET_COUNT, NOARGS, 0, &streets) : GZ_ESTORE;
	store_conn_put(st, c);
	if (rc)
		return rc;
	if (streets)
		return GZ_EEXIST;
	demo_context d = { .seed = 20261127, .now = time_now() };
	if ((rc = street_create(st, &actor_system, "朝阳区", "望湖街道", &d.street_id, &d.street_unit_id)))
		return rc;
	char encoded[128];
	if ((rc = password_hash(DEMO_PASSWORD, encoded)))
		return rc;
	arena a = ARENA_INIT;
	demo_job job = { &d, encoded, &a };
	rc = store_write(st, demo_write, &job);
	arena_release(&a);
	return rc;
}
