#include "domain/needs.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/inbox.h"
#include "domain/org.h"
#include "domain/throttle.h"
#include "domain/year.h"
#include "text/text.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FOREVER ((int64_t)1 << 62)

const char *const need_status_names[] = { "open", "merged", "consolidated", "declined", "withdrawn", NULL };
const char *const need_channel_names[] = { "web", "questionnaire", "meeting", "paper", "phone", "poster", NULL };

const char *const need_default_categories[] = { "环境卫生", "道路交通", "停车",     "养老助老",
						 "托幼教育", "医疗健康", "文体活动", "治安安全",
						 "物业管理", "绿化",     "便民服务", "其他",
						 NULL };

const char *need_status_name(need_status s)
{
	return s < NEED_STATUS__MAX ? need_status_names[s] : "";
}

bool need_status_parse(const char *name, need_status *out)
{
	int i = name_index(need_status_names, NEED_STATUS__MAX, name);
	if (i < 0)
		return false;
	*out = (need_status)i;
	return true;
}

const char *need_channel_name(need_channel ch)
{
	return ch < CHANNEL__MAX ? need_channel_names[ch] : "";
}

bool need_channel_parse(const char *name, need_channel *out)
{
	int i = name_index(need_channel_names, CHANNEL__MAX, name);
	if (i < 0)
		return false;
	*out = (need_channel)i;
	return true;
}

/* ---- the search backend ---- */

bool needs_on_pg(store_conn *c)
{
	/* One process talks to one kind of database, so the answer is kept. */
	static int cached = -1;
	int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	if (known >= 0)
		return known == 1;
	rows r;
	arena a = ARENA_INIT;
	bool pg = !db_run(c, &a, STMT_NEEDS_BACKEND, NOARGS, &r) && r.nrows && !strcmp(rows_text(&r, 0, 0), "postgresql");
	arena_release(&a);
	__atomic_store_n(&cached, pg ? 1 : 0, __ATOMIC_RELAXED);
	return pg;
}

const char *need_scope_words(arena *a, int64_t street_id, int64_t community_id)
{
	return arena_printf(a, "s%" PRId64 " c%" PRId64, street_id, community_id);
}

/* The builders' output, copied into the arena; NULL when empty or on failure. */
static const char *built(arena *a, text_buf *b, int rc)
{
	const char *s = !rc && b->len ? arena_strndup(a, b->data, b->len) : NULL;
	text_buf_release(b);
	return s;
}

const char *needs_match(store_conn *c, arena *a, const char *query, const char *scope)
{
	text_buf b;
	text_buf_init(&b);
	if (needs_on_pg(c))
		return built(a, &b, text_query_tsquery(&b, query, strlen(query)));
	const char *expr = built(a, &b, text_query_fts5(&b, query, strlen(query)));
	if (!expr)
		return NULL;
	/* The user's parts only ever match title and body; the scope word is ours. */
	if (scope)
		return arena_printf(a, "scope : \"%s\" AND {title body} : (%s)", scope, expr);
	return arena_printf(a, "{title body} : (%s)", expr);
}

const char *needs_index_text(store_conn *c, arena *a, const char *doc)
{
	if (!needs_on_pg(c))
		return doc;
	text_buf b;
	text_buf_init(&b);
	const char *v = built(a, &b, text_tsvector(&b, doc, strlen(doc)));
	return v ? v : "";
}

/* ---- reading ---- */

/* Columns of a need in every need query (need_get, need_list, need_search). */
#define NEED_COLUMNS 30

static void need_from_row(const rows *r, size_t i, need *n)
{
	n->id = rows_int(r, i, 0);
	n->street_id = rows_int(r, i, 1);
	n->year = (int)rows_int(r, i, 2);
	n->title = rows_text(r, i, 3);
	n->body = rows_text(r, i, 4);
	n->category = rows_text(r, i, 5);
	n->community_id = rows_int(r, i, 6);
	n->community_name = rows_text(r, i, 7);
	n->unit_id = rows_int(r, i, 8);
	n->unit_name = rows_text(r, i, 9);
	n->unit_path = rows_text(r, i, 10);
	n->address = rows_text(r, i, 11);
	n->person_id = rows_int(r, i, 12);
	n->submitter = rows_text(r, i, 13);
	n->recorded_by = rows_int(r, i, 14);
	need_channel ch = CHANNEL_WEB;
	need_channel_parse(rows_text(r, i, 15), &ch);
	n->channel = ch;
	n->show_name = rows_int(r, i, 16) != 0;
	need_status st = NEED_OPEN;
	need_status_parse(rows_text(r, i, 17), &st);
	n->status = st;
	n->merged_into = rows_int(r, i, 18);
	n->draft_id = rows_int(r, i, 19);
	n->decline_reason = rows_text(r, i, 20);
	n->hidden = rows_int(r, i, 21) != 0;
	n->hidden_reason = rows_text(r, i, 22);
	n->created_at = rows_int(r, i, 23);
	n->supports = rows_int(r, i, 24);
	n->merged_count = rows_int(r, i, 25);
	n->photo_count = (int)rows_int(r, i, 26);
	n->meeting_id = rows_int(r, i, 27);
	n->answer_id = rows_int(r, i, 28);
	n->decided_at = rows_int(r, i, 29);
}

static need *needs_from_rows(arena *a, const rows *r)
{
	need *out = ARENA_ARRAY(a, need, r->nrows + 1);
	for (size_t i = 0; i < r->nrows; i++)
		need_from_row(r, i, &out[i]);
	return out;
}

gz_err need_get(store_conn *c, arena *a, int64_t street_id, int64_t id, need *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_NEED_GET, ARGS(sv_int(street_id), sv_int(id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	need_from_row(&r, 0, out);
	return GZ_OK;
}

gz_err need_list(store_conn *c, arena *a, int64_t street_id, const need_filter *f, need **out, size_t *count,
		 int64_t *total)
{
	const char *status = f->status >= 0 && f->status < NEED_STATUS__MAX ? need_status_names[f->status] : "";
	sval args[11] = {
		sv_int(street_id), sv_text(f->category ? f->category : ""), sv_int(f->community_id), sv_text(status),
		sv_int(f->from), sv_int(f->to ? f->to : FOREVER),
	};
	rows r;
	gz_err rc;
	*count = 0;
	*total = 0;
	if (f->q && *f->q) {
		/* No street scope word: every need of a one-street database holds it,
		 * and ANDing it walks the whole index for a rare query (25 ms over a
		 * million needs).  need_search's join on street_id keeps other streets out. */
		const char *match = needs_match(c, a, f->q, NULL);
		if (!match) {
			*out = ARENA_ARRAY(a, need, 1);
			return GZ_OK;   /* nothing searchable: no results */
		}
		args[6] = sv_bool(f->include_hidden);
		args[7] = sv_int(f->limit);
		args[8] = sv_int(f->offset);
		args[9] = sv_text(match);
		args[10] = sv_text(f->q);
		if ((rc = db_run(c, a, STMT_NEED_SEARCH, args, 11, &r)))
			return rc;
		/* Each row carries the number of matches; with no row (no match, or a
		 * page past the end) they are counted apart. */
		args[7] = sv_text(match);
		if (r.nrows)
			*total = rows_int(&r, 0, NEED_COLUMNS);
		else if ((rc = db_int(c, STMT_NEED_SEARCH_COUNT, args, 8, 0, total)))
			return rc;
		if (*total > NEED_SEARCH_MAX)
			*total = NEED_SEARCH_MAX + 1;   /* PostgreSQL counts them all */
	} else {
		bool unfiltered = !*status && !(f->category && *f->category) && !f->community_id && !f->from && !f->to;
		/* The whole street's count is kept by triggers: counting a million needs takes 80 ms. */
		rc = unfiltered ? db_int(c, STMT_NEED_TALLY_GET, args, 1, 0, total)
				: db_int(c, STMT_NEED_COUNT, args, 6, 0, total);
		if (rc)
			return rc;
		args[6] = sv_int(f->limit);
		args[7] = sv_int(f->offset);
		rc = db_run(c, a, STMT_NEED_LIST, args, 8, &r);
	}
	if (rc)
		return rc;
	*out = needs_from_rows(a, &r);
	*count = r.nrows;
	return GZ_OK;
}

typedef struct scored {
	size_t row;
	double score;
} scored;

static int by_score(const void *x, const void *y)
{
	const scored *a = x, *b = y;
	return a->score < b->score ? 1 : a->score > b->score ? -1 : (a->row > b->row) - (a->row < b->row);
}

gz_err need_similar(store_conn *c, arena *a, int64_t street_id, const char *text, int64_t exclude_id, size_t max,
		    need **out, size_t *count)
{
	*count = 0;
	*out = ARENA_ARRAY(a, need, max + 1);
	text_buf q;
	text_buf_init(&q);
	size_t len = strlen(text);
	bool pg = needs_on_pg(c);
	int brc = pg ? text_similar_query_tsquery(&q, text, len, TEXT_SIMILAR_TERMS)
		     : text_similar_query_fts5(&q, text, len, TEXT_SIMILAR_TERMS);
	const char *terms = built(a, &q, brc);
	if (!terms)
		return brc ? GZ_ENOMEM : GZ_OK;
	/* No street scope word, as in need_list: the candidates' join on street_id suffices. */
	const char *match = pg ? terms : arena_printf(a, "{title body} : (%s)", terms);
	rows r;
	gz_err rc = db_run(c, a, STMT_NEED_SIMILAR_CANDIDATES, ARGS(sv_text(match), sv_int(street_id), sv_int(exclude_id)),
			   &r);
	if (rc || !r.nrows)
		return rc;
	text_features mine, theirs;
	text_features_init(&mine);
	text_features_init(&theirs);
	scored *s = ARENA_ARRAY(a, scored, r.nrows);
	size_t kept = 0;
	if (text_features_build(&mine, text, len)) {
		rc = GZ_ENOMEM;
		goto release_features;
	}
	for (size_t i = 0; i < r.nrows; i++) {
		const char *doc = arena_printf(a, "%s\n%s", rows_text(&r, i, 1), rows_text(&r, i, 2));
		if (text_features_build(&theirs, doc, strlen(doc))) {
			rc = GZ_ENOMEM;
			goto release_features;
		}
		double score = text_similarity(&mine, &theirs);
		if (score >= TEXT_SIMILAR_THRESHOLD)
			s[kept++] = (scored){ i, score };
	}
	qsort(s, kept, sizeof(*s), by_score);
	for (size_t k = 0; k < kept && *count < max; k++)
		if (!need_get(c, a, street_id, rows_int(&r, s[k].row, 0), &(*out)[*count]))
			(*count)++;
release_features:
	text_features_release(&mine);
	text_features_release(&theirs);
	return rc;
}

gz_err need_photo(store_conn *c, arena *a, int64_t street_id, int64_t need_id, int position, const char **mime,
		  const unsigned char **data, size_t *len)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_NEED_PHOTO_GET, ARGS(sv_int(street_id), sv_int(need_id), sv_int(position)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	*mime = rows_text(&r, 0, 0);
	*data = (const unsigned char *)r.cell[1];
	*len = r.len[1];
	return GZ_OK;
}

gz_err need_merged_children(store_conn *c, arena *a, int64_t street_id, int64_t id, need **out, size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_NEED_MERGED_CHILDREN, ARGS(sv_int(street_id), sv_int(id)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, need, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++) {
		need *n = &(*out)[i];
		n->id = rows_int(&r, i, 0);
		n->title = rows_text(&r, i, 1);
		n->submitter = rows_text(&r, i, 2);
		n->show_name = rows_int(&r, i, 3) != 0;
		n->created_at = rows_int(&r, i, 4);
		n->supports = rows_int(&r, i, 5);
		n->status = NEED_MERGED;
		n->merged_into = id;
	}
	*count = r.nrows;
	return GZ_OK;
}

gz_err need_people(store_conn *c, int64_t street_id, int64_t id, int64_t *people)
{
	return db_int(c, STMT_NEED_PEOPLE_COUNT, ARGS(sv_int(street_id), sv_int(id)), 0, people);
}

bool need_supported_by(store_conn *c, int64_t street_id, int64_t need_id, int64_t person_id)
{
	int64_t n = 0;
	return person_id && !db_int(c, STMT_SUPPORT_EXISTS, ARGS(sv_int(street_id), sv_int(need_id), sv_int(person_id)), 0,
				    &n) &&
	       n > 0;
}

gz_err need_supported_flags(store_conn *c, arena *a, int64_t street_id, int64_t person_id, const need *needs,
			    size_t count, bool *flags)
{
	if (!count || !person_id)
		return GZ_OK;
	int64_t lo = needs[0].id, hi = needs[0].id;
	for (size_t i = 0; i < count; i++) {
		lo = needs[i].id < lo ? needs[i].id : lo;
		hi = needs[i].id > hi ? needs[i].id : hi;
	}
	rows r;
	gz_err rc = db_run(c, a, STMT_SUPPORT_OF_PERSON, ARGS(sv_int(street_id), sv_int(person_id), sv_int(lo), sv_int(hi)),
			   &r);
	for (size_t i = 0; !rc && i < count; i++)
		for (size_t k = 0; k < r.nrows; k++)
			if (rows_int(&r, k, 0) == needs[i].id)
				flags[i] = true;
	return rc;
}

bool need_period_open(store_conn *c, arena *a, int64_t street_id, int *year, int64_t *starts, int64_t *ends)
{
	int64_t now = time_now();
	year_cycle *cycles;
	size_t count = 0;
	*year = time_year(now);
	*starts = 0;
	*ends = 0;
	if (year_list(c, a, street_id, &cycles, &count))
		return false;
	for (size_t i = 0; i < count; i++) {
		if (year_in_stage(&cycles[i], STAGE_NEEDS, now)) {
			*year = cycles[i].year;
			*starts = cycles[i].start[STAGE_NEEDS];
			*ends = cycles[i].end[STAGE_NEEDS];
			return true;
		}
		if (cycles[i].start[STAGE_NEEDS] > now)
			*starts = cycles[i].start[STAGE_NEEDS];   /* newest first: ends at the nearest future start */
	}
	return false;
}

gz_err need_categories(store_conn *c, arena *a, int64_t street_id, const char ***out, size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_CATEGORY_LIST, ARGS(sv_int(street_id)), &r);
	if (rc)
		return rc;
	if (!r.nrows) {
		*out = (const char **)need_default_categories;
		*count = COUNT(need_default_categories) - 1;
		return GZ_OK;
	}
	*out = ARENA_ARRAY(a, const char *, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = rows_text(&r, i, 0);
	*count = r.nrows;
	return GZ_OK;
}

static bool category_known(store_conn *c, arena *a, int64_t street_id, const char *name)
{
	const char **list;
	size_t count;
	if (!name || need_categories(c, a, street_id, &list, &count))
		return false;
	for (size_t i = 0; i < count; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* ---- throttling ---- */

static throttle *submissions;
static pthread_once_t submissions_once = PTHREAD_ONCE_INIT;

static void submissions_init(void)
{
	submissions = throttle_new(4096);
}

int need_throttle_wait(const actor *who, const char *client_ip)
{
	pthread_once(&submissions_once, submissions_init);
	char by_account[48], by_ip[80];
	snprintf(by_account, sizeof(by_account), "need-a:%" PRId64, who ? who->account_id : 0);
	snprintf(by_ip, sizeof(by_ip), "need-ip:%s", client_ip ? client_ip : "");
	int64_t now = time_now();
	int a = throttle_wait(submissions, by_account, NEED_LIMIT_PER_ACCOUNT, 3600, now);
	int b = throttle_wait(submissions, by_ip, NEED_LIMIT_PER_IP, 3600, now);
	return a > b ? a : b;
}

void need_throttle_hit(const actor *who, const char *client_ip)
{
	pthread_once(&submissions_once, submissions_init);
	char by_account[48], by_ip[80];
	snprintf(by_account, sizeof(by_account), "need-a:%" PRId64, who ? who->account_id : 0);
	snprintf(by_ip, sizeof(by_ip), "need-ip:%s", client_ip ? client_ip : "");
	int64_t now = time_now();
	throttle_hit(submissions, by_account, 3600, now);
	throttle_hit(submissions, by_ip, 3600, now);
}

/* ---- raising a need ---- */

/* The community id within a unit path "/street/community/...". */
static int64_t community_of_path(const char *path)
{
	const char *p = path && *path == '/' ? strchr(path + 1, '/') : NULL;
	return p && p[1] ? strtoll(p + 1, NULL, 10) : 0;
}

static gz_err refuse(need_refusal *why, const char *key, gz_err rc)
{
	if (why)
		why->key = key;
	return rc;
}

static gz_err check_input(store_conn *c, const need_input *in, need_refusal *why, int64_t street_id, org_unit *place)
{
	arena *a = db_arena(c);
	if (!utf8_text_fits(in->title, NEED_TITLE_MIN, NEED_TITLE_MAX, true))
		return refuse(why, "need.bad.title", GZ_EINVAL);
	if (!utf8_text_fits(in->body, NEED_BODY_MIN, NEED_BODY_MAX, false))
		return refuse(why, "need.bad.body", GZ_EINVAL);
	if (!category_known(c, a, street_id, in->category))
		return refuse(why, "need.bad.category", GZ_EINVAL);
	if (!utf8_text_fits(in->address ? in->address : "", 0, NEED_ADDRESS_MAX, true))
		return refuse(why, "need.bad.address", GZ_EINVAL);
	if (in->channel >= CHANNEL__MAX)
		return refuse(why, "need.bad.channel", GZ_EINVAL);
	if (in->photo_count > PHOTO_MAX_COUNT)
		return refuse(why, "need.bad.photos", GZ_EINVAL);
	gz_err rc = unit_get(c, a, in->unit_id, place);
	if (rc == GZ_ENOTFOUND || (!rc && (place->street_id != street_id || place->kind == UNIT_STREET)))
		return refuse(why, "need.bad.place", GZ_EINVAL);
	return rc;
}

/* Who raised it, and whether the actor may record it for them. */
static gz_err check_submitter(store_conn *c, const actor *who, const need_input *in, const org_unit *place,
			      need_refusal *why, int64_t *person_id, int64_t *recorded_by)
{
	authz_target here = { place->street_id, place->path };
	bool may_record = authz_can(who, AUTHZ_RECORD_NEED, here);
	bool self = !in->person_id && !(in->submitter_name && *in->submitter_name);
	self |= in->person_id && in->person_id == who->person_id;
	bool staff_channel = in->channel == CHANNEL_PAPER || in->channel == CHANNEL_PHONE || in->channel == CHANNEL_MEETING;
	*recorded_by = 0;
	*person_id = self ? who->person_id : in->person_id;
	if (!self || staff_channel) {
		if (!may_record)
			return refuse(why, "need.cannot_record", GZ_EFORBIDDEN);
		*recorded_by = who->person_id;
		if (!self && in->person_id) {
			person_record p;
			gz_err rc = person_get(c, db_arena(c), in->person_id, &p);
			if (rc == GZ_ENOTFOUND || (!rc && p.street_id != place->street_id))
				return refuse(why, "need.bad.person", GZ_EINVAL);
			if (rc)
				return rc;
		} else if (!self && !utf8_text_fits(in->submitter_name, 1, 40, true)) {
			return refuse(why, "need.bad.person", GZ_EINVAL);
		}
		return GZ_OK;
	}
	if (!authz_can(who, AUTHZ_SUBMIT_NEED, here) || !who->person_id)
		return refuse(why, "need.cannot_submit", GZ_EFORBIDDEN);
	int year;
	int64_t starts, ends;
	if (!may_record && !need_period_open(c, db_arena(c), place->street_id, &year, &starts, &ends))
		return refuse(why, "need.closed", GZ_ECONFLICT);
	return GZ_OK;
}

/* Checks and strips every photo before anything is written. */
static gz_err clean_photos(arena *a, const need_input *in, need_refusal *why, need_photo_in *clean, photo_kind *kinds)
{
	for (size_t i = 0; i < in->photo_count; i++) {
		unsigned char *out = arena_alloc(a, in->photos[i].len + 1);
		size_t len;
		gz_err rc = photo_strip(in->photos[i].data, in->photos[i].len, out, &len, &kinds[i]);
		if (rc)
			return refuse(why, rc == GZ_ETOOBIG ? "need.bad.photo_size" : "need.bad.photo_type", rc);
		clean[i] = (need_photo_in){ out, len };
	}
	return GZ_OK;
}

gz_err need_create_in(store_conn *c, const actor *who, const need_input *in, int64_t *id, need_refusal *why)
{
	arena *a = db_arena(c);
	int64_t street_id = who->account_id ? who->street_id : 0;
	org_unit place;
	if (!who->account_id) {   /* the system (demo, import) acts in the place's street */
		gz_err rc = unit_get(c, a, in->unit_id, &place);
		if (rc)
			return rc == GZ_ENOTFOUND ? refuse(why, "need.bad.place", GZ_EINVAL) : rc;
		street_id = place.street_id;
	}
	gz_err rc = check_input(c, in, why, street_id, &place);
	int64_t person_id = 0, recorded_by = 0;
	if (!rc)
		rc = check_submitter(c, who, in, &place, why, &person_id, &recorded_by);
	need_photo_in clean[PHOTO_MAX_COUNT];
	photo_kind kinds[PHOTO_MAX_COUNT];
	if (!rc)
		rc = clean_photos(a, in, why, clean, kinds);
	if (rc)
		return rc;
	int year;
	int64_t starts, ends, now = time_now();
	need_period_open(c, a, street_id, &year, &starts, &ends);
	int64_t community = place.kind == UNIT_COMMUNITY ? place.id : community_of_path(place.path);
	const char *name = person_id ? "" : (in->submitter_name ? in->submitter_name : "");
	rc = db_int(c, STMT_NEED_INSERT,
		    ARGS(sv_int(street_id), sv_int(year), sv_text(in->title), sv_text(in->body), sv_text(in->category),
			 sv_int(community), sv_int(place.id), sv_text(place.path), sv_text(in->address ? in->address : ""),
			 sv_id(person_id), sv_text(name), sv_id(recorded_by), sv_text(need_channel_name(in->channel)),
			 sv_id(in->meeting_id), sv_id(in->answer_id), sv_bool(in->show_name), sv_int(now)),
		    0, id);
	if (!rc)
		rc = db_run(c, NULL, STMT_NEED_INDEX,
			    ARGS(sv_int(*id), sv_text(needs_index_text(c, a, in->title)), sv_text(needs_index_text(c, a, in->body)),
				 sv_text(need_scope_words(a, street_id, community))),
			    NULL);
	for (size_t i = 0; !rc && i < in->photo_count; i++)
		rc = db_run(c, NULL, STMT_NEED_PHOTO_INSERT,
			    ARGS(sv_int(street_id), sv_int(*id), sv_int((int64_t)i + 1), sv_text(photo_mime(kinds[i])),
				 sv_blob(clean[i].data, clean[i].len)),
			    NULL);
	if (rc)
		return rc;
	audit_entry e = { street_id, "need.create", "need", *id,
			  arena_printf(a, "%s via %s in unit %" PRId64 "%s%s", in->category, need_channel_name(in->channel),
				       place.id, recorded_by ? " recorded for " : "",
				       recorded_by ? (person_id ? arena_printf(a, "person %" PRId64, person_id) : "a named person")
						   : "") };
	return audit_append(c, who, &e);
}

typedef struct create_job {
	const actor *who;
	const need_input *in;
	int64_t *id;
	need_refusal *why;
} create_job;

static gz_err create_write(store_conn *c, void *ctx)
{
	create_job *j = ctx;
	return need_create_in(c, j->who, j->in, j->id, j->why);
}

gz_err need_create(store *st, const actor *who, const need_input *in, int64_t *id, need_refusal *why)
{
	if (why)
		why->key = NULL;
	if (!who)
		return GZ_EAUTH;
	create_job job = { who, in, id, why };
	return store_write(st, create_write, &job);
}

/* ---- changes of state ---- */

typedef enum need_op { OP_SUPPORT, OP_UNSUPPORT, OP_WITHDRAW, OP_UNMERGE, OP_DECLINE, OP_REOPEN, OP_HIDE, OP_UNHIDE } need_op;

typedef struct op_job {
	const actor *who;
	need_op op;
	int64_t need_id;
	const char *reason;
} op_job;

bool need_can_curate(const actor *who, const need *n)
{
	return authz_can(who, AUTHZ_CURATE_NEEDS, (authz_target){ n->street_id, n->unit_path });
}

static bool period_open_now(store_conn *c, int64_t street_id)
{
	int year;
	int64_t starts, ends;
	return need_period_open(c, db_arena(c), street_id, &year, &starts, &ends);
}

static gz_err support_op(store_conn *c, const actor *who, const need *n, bool add)
{
	authz_target here = { n->street_id, n->unit_path };
	if (!authz_can(who, AUTHZ_SUPPORT_NEED, here) || !who->person_id)
		return GZ_EFORBIDDEN;
	if (!period_open_now(c, n->street_id))
		return GZ_ECONFLICT;
	int64_t now = time_now();
	if (add) {
		if (n->status != NEED_OPEN || n->hidden)
			return GZ_ECONFLICT;
		if (n->person_id == who->person_id)
			return GZ_EINVAL;   /* one's own need needs no support */
		gz_err rc = db_run(c, NULL, STMT_SUPPORT_INSERT,
				   ARGS(sv_int(n->street_id), sv_int(n->id), sv_int(who->person_id), sv_int(now)), NULL);
		if (rc)
			return rc;
		return db_changes(c) ? GZ_OK : GZ_EEXIST;
	}
	gz_err rc = db_run(c, NULL, STMT_SUPPORT_DELETE, ARGS(sv_int(n->street_id), sv_int(n->id), sv_int(who->person_id)),
			   NULL);
	if (rc)
		return rc;
	return db_changes(c) ? GZ_OK : GZ_ENOTFOUND;
}

static gz_err withdraw_op(store_conn *c, const actor *who, const need *n)
{
	if (!who->person_id || n->person_id != who->person_id || n->recorded_by)
		return GZ_EFORBIDDEN;   /* only the submitter, and not for what staff recorded */
	if (n->status != NEED_OPEN || n->merged_count || !period_open_now(c, n->street_id))
		return GZ_ECONFLICT;
	return db_run(c, NULL, STMT_NEED_SET_WITHDRAWN, ARGS(sv_int(n->street_id), sv_int(n->id), sv_int(time_now())), NULL);
}

static bool reason_ok(const char *reason)
{
	return utf8_text_fits(reason, NEED_REASON_MIN, NEED_REASON_MAX, false);
}

static gz_err curate_op(store_conn *c, const actor *who, const need *n, need_op op, const char *reason)
{
	if (!need_can_curate(who, n))
		return GZ_EFORBIDDEN;
	int64_t s = n->street_id, now = time_now();
	gz_err rc;
	switch (op) {
	case OP_UNMERGE:
		if (n->status != NEED_MERGED)
			return GZ_ECONFLICT;
		return db_run(c, NULL, STMT_NEED_SET_UNMERGED, ARGS(sv_int(s), sv_int(n->id)), NULL);
	case OP_DECLINE:
		if (!reason_ok(reason))
			return GZ_EINVAL;
		if (n->status != NEED_OPEN)
			return GZ_ECONFLICT;
		rc = db_run(c, NULL, STMT_NEED_SET_DECLINED, ARGS(sv_int(s), sv_int(n->id), sv_text(reason), sv_int(now)), NULL);
		return rc ? rc : inbox_notify_need_in(c, s, n->id, "declined", 0, reason);
	case OP_REOPEN:
		if (n->status != NEED_DECLINED)
			return GZ_ECONFLICT;
		return db_run(c, NULL, STMT_NEED_SET_REOPENED, ARGS(sv_int(s), sv_int(n->id)), NULL);
	case OP_HIDE:
		if (!reason_ok(reason))
			return GZ_EINVAL;
		if (n->hidden)
			return GZ_ECONFLICT;
		rc = db_run(c, NULL, STMT_NEED_SET_HIDDEN, ARGS(sv_int(s), sv_int(n->id), sv_int(1), sv_text(reason)), NULL);
		return rc ? rc : inbox_notify_need_in(c, s, n->id, "hidden", 0, reason);
	case OP_UNHIDE:
		if (!n->hidden)
			return GZ_ECONFLICT;
		return db_run(c, NULL, STMT_NEED_SET_HIDDEN, ARGS(sv_int(s), sv_int(n->id), sv_int(0), sv_text("")), NULL);
	default:
		return GZ_EINTERNAL;
	}
}

static const char *const op_actions[] = {
	[OP_SUPPORT] = "need.support", [OP_UNSUPPORT] = "need.unsupport", [OP_WITHDRAW] = "need.withdraw",
	[OP_UNMERGE] = "need.unmerge",  [OP_DECLINE] = "need.decline",     [OP_REOPEN] = "need.reopen",
	[OP_HIDE] = "need.hide",        [OP_UNHIDE] = "need.unhide",
};

static gz_err op_write(store_conn *c, void *ctx)
{
	op_job *j = ctx;
	arena *a = db_arena(c);
	need n;
	gz_err rc = need_get(c, a, j->who->street_id, j->need_id, &n);
	if (rc)
		return rc;
	switch (j->op) {
	case OP_SUPPORT:
	case OP_UNSUPPORT:
		rc = support_op(c, j->who, &n, j->op == OP_SUPPORT);
		break;
	case OP_WITHDRAW:
		rc = withdraw_op(c, j->who, &n);
		break;
	default:
		rc = curate_op(c, j->who, &n, j->op, j->reason);
	}
	if (rc)
		return rc;
	const char *summary = j->op == OP_UNMERGE ? arena_printf(a, "from need %" PRId64, n.merged_into)
			      : j->reason	   ? arena_printf(a, "reason: %s", j->reason)
						   : need_status_name(n.status);
	audit_entry e = { n.street_id, op_actions[j->op], "need", n.id, summary };
	return audit_append(c, j->who, &e);
}

static gz_err need_op_run(store *st, const actor *who, need_op op, int64_t need_id, const char *reason)
{
	if (!who || !who->account_id)
		return GZ_EAUTH;
	op_job job = { who, op, need_id, reason };
	return store_write(st, op_write, &job);
}

gz_err need_support(store *st, const actor *who, int64_t need_id)
{
	return need_op_run(st, who, OP_SUPPORT, need_id, NULL);
}

gz_err need_unsupport(store *st, const actor *who, int64_t need_id)
{
	return need_op_run(st, who, OP_UNSUPPORT, need_id, NULL);
}

gz_err need_withdraw(store *st, const actor *who, int64_t need_id)
{
	return need_op_run(st, who, OP_WITHDRAW, need_id, NULL);
}

gz_err need_unmerge(store *st, const actor *who, int64_t need_id)
{
	return need_op_run(st, who, OP_UNMERGE, need_id, NULL);
}

gz_err need_decline(store *st, const actor *who, int64_t need_id, const char *reason)
{
	return need_op_run(st, who, OP_DECLINE, need_id, reason ? reason : "");
}

gz_err need_reopen(store *st, const actor *who, int64_t need_id)
{
	return need_op_run(st, who, OP_REOPEN, need_id, NULL);
}

gz_err need_hide(store *st, const actor *who, int64_t need_id, const char *reason)
{
	return need_op_run(st, who, OP_HIDE, need_id, reason ? reason : "");
}

gz_err need_unhide(store *st, const actor *who, int64_t need_id)
{
	return need_op_run(st, who, OP_UNHIDE, need_id, NULL);
}

/* ---- merging ---- */

typedef struct merge_job {
	const actor *who;
	int64_t primary;
	const int64_t *others;
	size_t count;
} merge_job;

static gz_err merge_one(store_conn *c, const actor *who, const need *p, int64_t other_id)
{
	arena *a = db_arena(c);
	need o;
	gz_err rc = need_get(c, a, p->street_id, other_id, &o);
	if (rc)
		return rc == GZ_ENOTFOUND ? GZ_EINVAL : rc;
	if (!need_can_curate(who, &o))
		return GZ_EFORBIDDEN;
	if (o.id == p->id || o.community_id != p->community_id)
		return GZ_EINVAL;
	if (o.status != NEED_OPEN || o.hidden || o.merged_count)
		return GZ_ECONFLICT;
	rc = db_run(c, NULL, STMT_NEED_SET_MERGED, ARGS(sv_int(p->street_id), sv_int(o.id), sv_int(p->id), sv_int(time_now())),
		    NULL);
	if (!rc)
		rc = inbox_notify_need_in(c, p->street_id, o.id, "merged", p->id, "");
	if (rc)
		return rc;
	audit_entry e = { p->street_id, "need.merge", "need", o.id, arena_printf(a, "into need %" PRId64, p->id) };
	return audit_append(c, who, &e);
}

static gz_err merge_write(store_conn *c, void *ctx)
{
	merge_job *j = ctx;
	need p;
	gz_err rc = need_get(c, db_arena(c), j->who->street_id, j->primary, &p);
	if (rc)
		return rc == GZ_ENOTFOUND ? GZ_EINVAL : rc;
	if (!need_can_curate(j->who, &p))
		return GZ_EFORBIDDEN;
	if (p.status != NEED_OPEN || p.hidden)
		return GZ_ECONFLICT;
	for (size_t i = 0; !rc && i < j->count; i++)
		rc = merge_one(c, j->who, &p, j->others[i]);
	return rc;
}

gz_err need_merge(store *st, const actor *who, int64_t primary, const int64_t *others, size_t count)
{
	if (!who || !who->account_id)
		return GZ_EAUTH;
	if (!count || count > 50)
		return GZ_EINVAL;
	merge_job job = { who, primary, others, count };
	return store_write(st, merge_write, &job);
}

/* ---- clusters ---- */

gz_err need_clusters(store_conn *c, arena *a, int64_t street_id, int64_t community_id, need_cluster **out,
		     size_t *count)
{
	*count = 0;
	rows r;
	gz_err rc = db_run(c, a, STMT_NEED_OPEN_TEXTS, ARGS(sv_int(street_id), sv_int(community_id)), &r);
	if (rc)
		return rc;
	text_item *items = ARENA_ARRAY(a, text_item, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++) {
		const char *doc = arena_printf(a, "%s\n%s", rows_text(&r, i, 1), rows_text(&r, i, 2));
		items[i] = (text_item){ rows_int(&r, i, 0), doc, strlen(doc) };
	}
	text_clusters cl;
	text_clusters_init(&cl);
	if (text_cluster(items, r.nrows, TEXT_DUPLICATE_THRESHOLD, &cl)) {
		text_clusters_release(&cl);
		return GZ_ENOMEM;
	}
	*out = ARENA_ARRAY(a, need_cluster, cl.count + 1);
	for (size_t k = 0; !rc && k < cl.count; k++) {
		need_cluster *g = &(*out)[k];
		size_t n = cl.start[k + 1] - cl.start[k];
		g->members = ARENA_ARRAY(a, need, n);
		for (size_t m = 0; !rc && m < n; m++)
			rc = need_get(c, a, street_id, items[cl.members[cl.start[k] + m]].id, &g->members[m]);
		g->count = n;
	}
	if (!rc)
		*count = cl.count;
	text_clusters_release(&cl);
	return rc;
}

/* ---- accounting ---- */

gz_err need_accounting_get(store_conn *c, int64_t street_id, int year, need_accounting *out)
{
	*out = (need_accounting){ 0 };
	rows r;
	gz_err rc = db_int(c, STMT_NEED_TOTAL, ARGS(sv_int(street_id), sv_int(year)), 0, &out->total);
	if (!rc)
		rc = db_run(c, NULL, STMT_NEED_FATES, ARGS(sv_int(street_id), sv_int(year)), &r);
	if (rc)
		return rc;
	int64_t sum = 0;
	bool sound = true;
	for (size_t i = 0; i < r.nrows; i++) {
		need_status s;
		/* A fate of "merged" would mean a chain of merges, which need_merge refuses. */
		if (!need_status_parse(rows_text(&r, i, 0), &s) || s == NEED_MERGED) {
			sound = false;
			continue;
		}
		out->fate[s] = rows_int(&r, i, 1);
		out->merged += rows_int(&r, i, 2);
		sum += out->fate[s];
	}
	out->balanced = sound && sum == out->total;
	return GZ_OK;
}

/* ---- configuration ---- */

typedef struct categories_job {
	const actor *who;
	int64_t street_id;
	const char *const *names;
	size_t count;
} categories_job;

static gz_err categories_write(store_conn *c, void *ctx)
{
	categories_job *j = ctx;
	if (!authz_can(j->who, AUTHZ_CONFIGURE_NEEDS, (authz_target){ j->street_id, NULL }))
		return GZ_EFORBIDDEN;
	gz_err rc = db_run(c, NULL, STMT_CATEGORY_CLEAR, ARGS(sv_int(j->street_id)), NULL);
	buf summary = BUF_INIT;
	for (size_t i = 0; !rc && i < j->count; i++) {
		rc = db_run(c, NULL, STMT_CATEGORY_INSERT, ARGS(sv_int(j->street_id), sv_text(j->names[i]), sv_int((int64_t)i)),
			    NULL);
		buf_printf(&summary, "%s%s", i ? "," : "", j->names[i]);
	}
	if (!rc) {
		audit_entry e = { j->street_id, "need.categories", "street", j->street_id,
				  arena_strdup(db_arena(c), summary.data) };
		rc = audit_append(c, j->who, &e);
	}
	buf_release(&summary);
	return rc == GZ_EEXIST ? GZ_EINVAL : rc;   /* a duplicate name */
}

gz_err need_categories_set(store *st, const actor *who, int64_t street_id, const char *const *names, size_t count)
{
	if (!count || count > 40)
		return GZ_EINVAL;
	for (size_t i = 0; i < count; i++)
		if (!utf8_text_fits(names[i], 1, 12, true))
			return GZ_EINVAL;
	categories_job job = { who, street_id, names, count };
	return store_write(st, categories_write, &job);
}
