#include "domain/surveys.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/org.h"
#include "util/timeutil.h"
#include "util/utf8.h"
#include "util/names.h"

/* ---- names ---- */

static const char *const state_names[SURVEY__MAX] = { "draft", "published", "closed" };
static const char *const kind_names[QUESTION__MAX] = { "single", "multiple", "scale", "ranking", "text" };

const char *survey_state_name(survey_state s)
{
	return s < SURVEY__MAX ? state_names[s] : "";
}

bool survey_state_parse(const char *name, survey_state *out)
{
	int i = name_index(state_names, SURVEY__MAX, name);
	if (i < 0)
		return false;
	*out = (survey_state)i;
	return true;
}

const char *question_kind_name(question_kind k)
{
	return k < QUESTION__MAX ? kind_names[k] : "";
}

bool question_kind_parse(const char *name, question_kind *out)
{
	int i = name_index(kind_names, QUESTION__MAX, name);
	if (i < 0)
		return false;
	*out = (question_kind)i;
	return true;
}

bool question_kind_has_options(question_kind k)
{
	return k == QUESTION_SINGLE || k == QUESTION_MULTIPLE || k == QUESTION_RANKING;
}

static void refuse(survey_refusal *why, const char *key, int question)
{
	if (why) {
		why->key = key;
		why->question = question;
	}
}

/* ---- reading ---- */

static void survey_from_row(const rows *r, size_t i, survey *s)
{
	memset(s, 0, sizeof(*s));
	s->id = rows_int(r, i, 0);
	s->street_id = rows_int(r, i, 1);
	s->unit_id = rows_int(r, i, 2);
	s->unit_name = rows_text(r, i, 3);
	s->unit_path = rows_text(r, i, 4);
	s->title = rows_text(r, i, 5);
	s->intro = rows_text(r, i, 6);
	survey_state_parse(rows_text(r, i, 7), &s->state);
	s->created_at = rows_int(r, i, 8);
	s->published_at = rows_int(r, i, 9);
	s->closed_at = rows_int(r, i, 10);
	s->responses = rows_int(r, i, 11);
}

static survey_question *find_question(const survey *s, int64_t question_id)
{
	for (size_t i = 0; i < s->question_count; i++)
		if (s->questions[i].id == question_id)
			return &s->questions[i];
	return NULL;
}

/* Index of the option in its question, or -1. */
static int option_index(const survey_question *q, int64_t option_id)
{
	for (size_t i = 0; i < q->option_count; i++)
		if (q->options[i].id == option_id)
			return (int)i;
	return -1;
}

static gz_err load_questions(store_conn *c, arena *a, survey *s)
{
	rows q, o;
	gz_err rc = db_run(c, a, STMT_SURVEY_QUESTIONS, ARGS(sv_int(s->street_id), sv_int(s->id)), &q);
	if (!rc)
		rc = db_run(c, a, STMT_SURVEY_OPTIONS, ARGS(sv_int(s->street_id), sv_int(s->id)), &o);
	if (rc)
		return rc;
	s->questions = ARENA_ARRAY(a, survey_question, q.nrows + 1);
	s->question_count = q.nrows;
	for (size_t i = 0; i < q.nrows; i++) {
		survey_question *sq = &s->questions[i];
		sq->id = rows_int(&q, i, 0);
		sq->position = (int)rows_int(&q, i, 1);
		question_kind_parse(rows_text(&q, i, 2), &sq->kind);
		sq->prompt = rows_text(&q, i, 3);
		sq->required = rows_int(&q, i, 4) != 0;
		sq->options = ARENA_ARRAY(a, survey_option, SURVEY_MAX_OPTIONS + 1);
	}
	for (size_t i = 0; i < o.nrows; i++) {
		survey_question *sq = find_question(s, rows_int(&o, i, 1));
		if (sq && sq->option_count < SURVEY_MAX_OPTIONS)
			sq->options[sq->option_count++] = (survey_option){ rows_int(&o, i, 0), rows_text(&o, i, 2) };
	}
	return GZ_OK;
}

gz_err survey_get(store_conn *c, arena *a, int64_t survey_id, survey *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_SURVEY_GET, ARGS(sv_int(survey_id)), &r);
	if (rc)
		return rc;
	if (r.nrows != 1)
		return GZ_ENOTFOUND;
	survey_from_row(&r, 0, out);
	return load_questions(c, a, out);
}

gz_err survey_list(store_conn *c, arena *a, int64_t street_id, const char *draft_path, int64_t limit,
		   int64_t offset, survey **out, size_t *count, int64_t *total)
{
	rows r;
	const char *path = draft_path ? draft_path : "";
	gz_err rc = db_int(c, STMT_SURVEY_COUNT, ARGS(sv_int(street_id), sv_text(path)), 0, total);
	if (!rc)
		rc = db_run(c, a, STMT_SURVEY_LIST, ARGS(sv_int(street_id), sv_text(path), sv_int(limit), sv_int(offset)),
			    &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, survey, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		survey_from_row(&r, i, &(*out)[i]);
	*count = r.nrows;
	return GZ_OK;
}

bool survey_can_curate(const actor *who, const survey *s)
{
	return authz_can(who, AUTHZ_CURATE_NEEDS, (authz_target){ s->street_id, s->unit_path });
}

gz_err survey_answered(store_conn *c, int64_t street_id, int64_t survey_id, int64_t person_id, bool *answered)
{
	int64_t id = 0;
	gz_err rc = db_int(c, STMT_SURVEY_RESPONSE_BY_PERSON, ARGS(sv_int(street_id), sv_int(survey_id), sv_int(person_id)),
			   0, &id);
	*answered = id != 0;
	return rc;
}

/* ---- building ---- */

/* What every change job carries; each write function reads the fields it needs. */
typedef struct survey_job {
	const actor *who;
	int64_t survey_id, unit_id, question_id;
	const char *title, *intro;
	const question_input *question;
	bool up;
	int count, batch;
	survey_refusal *why;
} survey_job;

static gz_err audit_survey(store_conn *c, const actor *who, const survey *s, const char *action, const char *summary)
{
	audit_entry e = { s->street_id, action, "survey", s->id, summary };
	return audit_append(c, who, &e);
}

/* Loads the questionnaire for a change by staff; GZ_ECONFLICT unless in `need_state`
 * (SURVEY__MAX for any state). */
static gz_err load_for_change(store_conn *c, const survey_job *j, survey_state need_state, survey *s)
{
	gz_err rc = survey_get(c, db_arena(c), j->survey_id, s);
	if (rc)
		return rc;
	if (!survey_can_curate(j->who, s))
		return GZ_EFORBIDDEN;
	if (need_state != SURVEY__MAX && s->state != need_state) {
		refuse(j->why, need_state == SURVEY_DRAFT ? "survey.bad.not_draft" : "survey.bad.not_open", 0);
		return GZ_ECONFLICT;
	}
	return GZ_OK;
}

static bool valid_heading(const survey_job *j)
{
	if (!utf8_text_fits(j->title, 1, SURVEY_TITLE_MAX, true)) {
		refuse(j->why, "survey.bad.title", 0);
		return false;
	}
	if (!utf8_text_fits(j->intro, 0, SURVEY_INTRO_MAX, false)) {
		refuse(j->why, "survey.bad.intro", 0);
		return false;
	}
	return true;
}

static gz_err create_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	if (!valid_heading(j))
		return GZ_EINVAL;
	org_unit u;
	gz_err rc = unit_get(c, db_arena(c), j->unit_id, &u);
	if (rc == GZ_ENOTFOUND || (!rc && u.kind != UNIT_STREET && u.kind != UNIT_COMMUNITY)) {
		refuse(j->why, "survey.bad.scope_unit", 0);
		return GZ_EINVAL;
	}
	if (rc)
		return rc;
	if (!authz_can(j->who, AUTHZ_CURATE_NEEDS, (authz_target){ u.street_id, u.path }))
		return GZ_EFORBIDDEN;
	rc = db_int(c, STMT_SURVEY_INSERT,
		    ARGS(sv_int(u.street_id), sv_int(u.id), sv_text(j->title), sv_text(j->intro ? j->intro : ""),
			 sv_id(j->who->account_id), sv_int(time_now())),
		    0, &j->survey_id);
	if (rc)
		return rc;
	survey s = { .id = j->survey_id, .street_id = u.street_id };
	return audit_survey(c, j->who, &s, "survey.create",
			    arena_printf(db_arena(c), "%s (scope %s)", j->title, u.name));
}

gz_err survey_create(store *st, const actor *who, int64_t unit_id, const char *title, const char *intro,
		     int64_t *survey_id, survey_refusal *why)
{
	refuse(why, NULL, 0);
	survey_job j = { .who = who, .unit_id = unit_id, .title = title, .intro = intro, .why = why };
	gz_err rc = store_write(st, create_write, &j);
	*survey_id = rc ? 0 : j.survey_id;
	return rc;
}

static gz_err update_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY_DRAFT, &s);
	if (rc)
		return rc;
	if (!valid_heading(j))
		return GZ_EINVAL;
	rc = db_run(c, NULL, STMT_SURVEY_UPDATE,
		    ARGS(sv_int(s.street_id), sv_int(s.id), sv_text(j->title), sv_text(j->intro ? j->intro : "")), NULL);
	return rc ? rc : audit_survey(c, j->who, &s, "survey.update", j->title);
}

gz_err survey_update(store *st, const actor *who, int64_t survey_id, const char *title, const char *intro,
		     survey_refusal *why)
{
	refuse(why, NULL, 0);
	survey_job j = { .who = who, .survey_id = survey_id, .title = title, .intro = intro, .why = why };
	return store_write(st, update_write, &j);
}

/* Splits the options text into trimmed, non-empty lines. */
static size_t split_options(arena *a, const char *text, const char **out, size_t max)
{
	size_t n = 0;
	const char *p = text ? text : "";
	while (*p) {
		size_t len = strcspn(p, "\r\n");
		const char *start = p, *end = p + len;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start) {
			if (n == max)
				return max + 1;   /* too many: the caller refuses */
			out[n++] = arena_strndup(a, start, (size_t)(end - start));
		}
		p += len;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	return n;
}

static bool valid_options(const question_input *in, const char **opts, size_t n, survey_refusal *why)
{
	if (!question_kind_has_options(in->kind))
		return true;
	if (n < 2 || n > SURVEY_MAX_OPTIONS) {
		refuse(why, "survey.bad.option_count", 0);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!utf8_text_fits(opts[i], 1, SURVEY_OPTION_MAX, true)) {
			refuse(why, "survey.bad.option_text", 0);
			return false;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(opts[i], opts[k])) {
				refuse(why, "survey.bad.option_duplicate", 0);
				return false;
			}
	}
	return true;
}

static gz_err question_add_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	const question_input *in = j->question;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY_DRAFT, &s);
	if (rc)
		return rc;
	if (in->kind >= QUESTION__MAX) {
		refuse(j->why, "survey.bad.kind", 0);
		return GZ_EINVAL;
	}
	if (!utf8_text_fits(in->prompt, 1, SURVEY_PROMPT_MAX, true)) {
		refuse(j->why, "survey.bad.prompt", 0);
		return GZ_EINVAL;
	}
	if (s.question_count >= SURVEY_MAX_QUESTIONS) {
		refuse(j->why, "survey.bad.too_many_questions", 0);
		return GZ_EINVAL;
	}
	const char *opts[SURVEY_MAX_OPTIONS + 1];
	size_t n = question_kind_has_options(in->kind) ? split_options(db_arena(c), in->options, opts, SURVEY_MAX_OPTIONS)
						       : 0;
	if (!valid_options(in, opts, n, j->why))
		return GZ_EINVAL;
	rc = db_int(c, STMT_SURVEY_QUESTION_INSERT,
		    ARGS(sv_int(s.street_id), sv_int(s.id), sv_text(question_kind_name(in->kind)), sv_text(in->prompt),
			 sv_bool(in->required)),
		    0, &j->question_id);
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t option_id;
		rc = db_int(c, STMT_SURVEY_OPTION_INSERT,
			    ARGS(sv_int(s.street_id), sv_int(j->question_id), sv_int((int64_t)i + 1), sv_text(opts[i])), 0,
			    &option_id);
	}
	if (rc)
		return rc;
	return audit_survey(c, j->who, &s, "survey.question_add",
			    arena_printf(db_arena(c), "question %" PRId64 " (%s): %s", j->question_id,
					 question_kind_name(in->kind), in->prompt));
}

gz_err survey_question_add(store *st, const actor *who, int64_t survey_id, const question_input *in,
			   survey_refusal *why)
{
	refuse(why, NULL, 0);
	survey_job j = { .who = who, .survey_id = survey_id, .question = in, .why = why };
	return store_write(st, question_add_write, &j);
}

static gz_err question_delete_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY_DRAFT, &s);
	if (rc)
		return rc;
	const survey_question *q = find_question(&s, j->question_id);
	if (!q)
		return GZ_ENOTFOUND;
	rc = db_run(c, NULL, STMT_SURVEY_OPTION_DELETE_QUESTION, ARGS(sv_int(s.street_id), sv_int(q->id)), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_SURVEY_QUESTION_DELETE, ARGS(sv_int(s.street_id), sv_int(q->id)), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_SURVEY_QUESTION_CLOSE_GAP,
			    ARGS(sv_int(s.street_id), sv_int(s.id), sv_int(q->position)), NULL);
	if (rc)
		return rc;
	return audit_survey(c, j->who, &s, "survey.question_delete",
			    arena_printf(db_arena(c), "question %" PRId64 ": %s", q->id, q->prompt));
}

gz_err survey_question_delete(store *st, const actor *who, int64_t survey_id, int64_t question_id)
{
	survey_job j = { .who = who, .survey_id = survey_id, .question_id = question_id };
	return store_write(st, question_delete_write, &j);
}

static gz_err question_move_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY_DRAFT, &s);
	if (rc)
		return rc;
	const survey_question *q = find_question(&s, j->question_id);
	if (!q)
		return GZ_ENOTFOUND;
	int target = q->position + (j->up ? -1 : 1);
	rows r;
	rc = db_run(c, db_arena(c), STMT_SURVEY_QUESTION_NEIGHBOUR,
		    ARGS(sv_int(s.street_id), sv_int(s.id), sv_int(target)), &r);
	if (rc)
		return rc;
	if (!r.nrows)
		return GZ_OK;   /* already first or last: nothing to do */
	rc = db_run(c, NULL, STMT_SURVEY_QUESTION_SET_POSITION,
		    ARGS(sv_int(s.street_id), sv_int(rows_int(&r, 0, 0)), sv_int(q->position)), NULL);
	if (!rc)
		rc = db_run(c, NULL, STMT_SURVEY_QUESTION_SET_POSITION,
			    ARGS(sv_int(s.street_id), sv_int(q->id), sv_int(target)), NULL);
	if (rc)
		return rc;
	return audit_survey(c, j->who, &s, "survey.question_move",
			    arena_printf(db_arena(c), "question %" PRId64 " to %d", q->id, target));
}

gz_err survey_question_move(store *st, const actor *who, int64_t survey_id, int64_t question_id, bool up)
{
	survey_job j = { .who = who, .survey_id = survey_id, .question_id = question_id, .up = up };
	return store_write(st, question_move_write, &j);
}

static gz_err set_state(store_conn *c, const survey_job *j, const survey *s, survey_state to)
{
	gz_err rc = db_run(c, NULL, STMT_SURVEY_SET_STATE,
			   ARGS(sv_int(s->street_id), sv_int(s->id), sv_text(survey_state_name(s->state)),
				sv_text(survey_state_name(to)), sv_int(time_now())),
			   NULL);
	if (rc)
		return rc;
	if (db_changes(c) != 1)
		return GZ_ECONFLICT;
	return audit_survey(c, j->who, s, to == SURVEY_PUBLISHED ? "survey.publish" : "survey.close", s->title);
}

static gz_err publish_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY_DRAFT, &s);
	if (rc)
		return rc;
	if (!s.question_count) {
		refuse(j->why, "survey.bad.no_questions", 0);
		return GZ_EINVAL;
	}
	return set_state(c, j, &s, SURVEY_PUBLISHED);
}

gz_err survey_publish(store *st, const actor *who, int64_t survey_id, survey_refusal *why)
{
	refuse(why, NULL, 0);
	survey_job j = { .who = who, .survey_id = survey_id, .why = why };
	return store_write(st, publish_write, &j);
}

static gz_err close_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY_PUBLISHED, &s);
	return rc ? rc : set_state(c, j, &s, SURVEY_CLOSED);
}

gz_err survey_close(store *st, const actor *who, int64_t survey_id)
{
	survey_job j = { .who = who, .survey_id = survey_id };
	return store_write(st, close_write, &j);
}

/* ---- one-time codes ---- */

/* No 0/O, 1/I/L: codes are read off paper and typed in by hand. */
static const char code_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

static void code_make(char out[SURVEY_CODE_LEN + 1])
{
	for (int i = 0; i < SURVEY_CODE_LEN; i++)
		out[i] = i == 4 ? '-' : code_alphabet[randombytes_uniform(sizeof(code_alphabet) - 1)];
	out[SURVEY_CODE_LEN] = '\0';
}

static gz_err codes_write(store_conn *c, void *ctx)
{
	survey_job *j = ctx;
	survey s;
	gz_err rc = load_for_change(c, j, SURVEY__MAX, &s);
	if (rc)
		return rc;
	if (s.state == SURVEY_CLOSED)
		return GZ_ECONFLICT;
	if (j->count < 1 || j->count > SURVEY_CODE_BATCH_MAX)
		return GZ_EINVAL;
	int64_t batch;
	if ((rc = db_int(c, STMT_SURVEY_CODE_NEXT_BATCH, ARGS(sv_int(s.street_id), sv_int(s.id)), 1, &batch)))
		return rc;
	int64_t now = time_now();
	/* 31^8 codes: a repeat within one questionnaire is rare enough that
	 * making a fresh one when it happens is all the handling needed. */
	for (int made = 0, tries = 0; made < j->count; tries++) {
		if (tries > j->count * 4)
			return GZ_EINTERNAL;
		char code[SURVEY_CODE_LEN + 1];
		code_make(code);
		int64_t found = 0;
		if ((rc = db_int(c, STMT_SURVEY_CODE_LOOKUP, ARGS(sv_int(s.street_id), sv_int(s.id), sv_text(code)), 0,
				 &found)))
			return rc;
		if (found)
			continue;
		rc = db_run(c, NULL, STMT_SURVEY_CODE_INSERT,
			    ARGS(sv_int(s.street_id), sv_int(s.id), sv_text(code), sv_int(batch), sv_int(now)), NULL);
		if (rc)
			return rc;
		made++;
	}
	j->batch = (int)batch;
	return audit_survey(c, j->who, &s, "survey.codes",
			    arena_printf(db_arena(c), "batch %d: %d codes", j->batch, j->count));
}

gz_err survey_codes_create(store *st, const actor *who, int64_t survey_id, int count, int *batch)
{
	survey_job j = { .who = who, .survey_id = survey_id, .count = count };
	gz_err rc = store_write(st, codes_write, &j);
	*batch = rc ? 0 : j.batch;
	return rc;
}

gz_err survey_codes_list(store_conn *c, arena *a, int64_t street_id, int64_t survey_id, int batch, int64_t limit,
			 int64_t offset, survey_code **out, size_t *count, int64_t *total, int64_t *used)
{
	rows n, r;
	gz_err rc = db_run(c, a, STMT_SURVEY_CODE_COUNT, ARGS(sv_int(street_id), sv_int(survey_id), sv_int(batch)), &n);
	if (!rc)
		rc = db_run(c, a, STMT_SURVEY_CODES,
			    ARGS(sv_int(street_id), sv_int(survey_id), sv_int(batch), sv_int(limit), sv_int(offset)), &r);
	if (rc)
		return rc;
	*total = n.nrows ? rows_int(&n, 0, 0) : 0;
	*used = n.nrows ? rows_int(&n, 0, 1) : 0;
	*out = ARENA_ARRAY(a, survey_code, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (survey_code){ rows_int(&r, i, 0), rows_text(&r, i, 1), (int)rows_int(&r, i, 2),
					   rows_int(&r, i, 3), rows_int(&r, i, 4) };
	*count = r.nrows;
	return GZ_OK;
}

/* Upper case, without spaces, with the hyphen where the printed code has it,
 * so "abcd efgh" and "ABCD-EFGH" are the same code. */
static const char *code_normalise(arena *a, const char *in)
{
	char raw[SURVEY_CODE_LEN];
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		char ch = *p;
		if (ch == ' ' || ch == '-')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (n == SURVEY_CODE_LEN - 1 || !strchr(code_alphabet, ch))
			return NULL;
		raw[n++] = ch;
	}
	if (n != SURVEY_CODE_LEN - 1)
		return NULL;
	return arena_printf(a, "%.4s-%.4s", raw, raw + 4);
}

/* ---- responses ---- */

/* Items of one question gathered for checking. */
typedef struct gathered {
	const answer_item *item[SURVEY_MAX_OPTIONS + 1];
	size_t n;
	bool overflow;
} gathered;

static gz_err check_choice(const survey_question *q, const gathered *g, int no, survey_refusal *why)
{
	if (q->kind == QUESTION_SINGLE && g->n > 1) {
		refuse(why, "survey.bad.one_choice", no);
		return GZ_EINVAL;
	}
	for (size_t i = 0; i < g->n; i++) {
		if (option_index(q, g->item[i]->option_id) < 0) {
			refuse(why, "survey.bad.option", no);
			return GZ_EINVAL;
		}
		for (size_t k = 0; k < i; k++)
			if (g->item[k]->option_id == g->item[i]->option_id) {
				refuse(why, "survey.bad.option", no);
				return GZ_EINVAL;
			}
	}
	return GZ_OK;
}

/* A ranking must give every option exactly one of the ranks 1..n. */
static gz_err check_ranking(const survey_question *q, const gathered *g, int no, survey_refusal *why)
{
	bool option_seen[SURVEY_MAX_OPTIONS] = { false }, rank_seen[SURVEY_MAX_OPTIONS + 1] = { false };
	if (g->n != q->option_count) {
		refuse(why, "survey.bad.ranking", no);
		return GZ_EINVAL;
	}
	for (size_t i = 0; i < g->n; i++) {
		int idx = option_index(q, g->item[i]->option_id);
		int64_t rank = g->item[i]->value;
		if (idx < 0 || option_seen[idx] || rank < 1 || rank > (int64_t)q->option_count || rank_seen[rank]) {
			refuse(why, "survey.bad.ranking", no);
			return GZ_EINVAL;
		}
		option_seen[idx] = rank_seen[rank] = true;
	}
	return GZ_OK;
}

static gz_err check_one(const survey_question *q, const gathered *g, int no, survey_refusal *why)
{
	if (g->overflow) {
		refuse(why, "survey.bad.option", no);
		return GZ_EINVAL;
	}
	if (!g->n) {
		if (q->required) {
			refuse(why, "survey.bad.required", no);
			return GZ_EINVAL;
		}
		return GZ_OK;
	}
	switch (q->kind) {
	case QUESTION_SINGLE:
	case QUESTION_MULTIPLE:
		return check_choice(q, g, no, why);
	case QUESTION_SCALE:
		if (g->n != 1 || g->item[0]->value < SURVEY_SCALE_MIN || g->item[0]->value > SURVEY_SCALE_MAX) {
			refuse(why, "survey.bad.scale", no);
			return GZ_EINVAL;
		}
		return GZ_OK;
	case QUESTION_RANKING:
		return check_ranking(q, g, no, why);
	case QUESTION_TEXT:
		if (g->n != 1 || !utf8_text_fits(g->item[0]->text, 0, SURVEY_ANSWER_TEXT_MAX, false)) {
			refuse(why, "survey.bad.text", no);
			return GZ_EINVAL;
		}
		return GZ_OK;
	case QUESTION__MAX:
		break;
	}
	return GZ_EINTERNAL;
}

/* Whether an item carries an answer at all: empty text counts as none. */
static bool item_given(const survey_question *q, const answer_item *it)
{
	return q->kind != QUESTION_TEXT || (it->text && *it->text);
}

/* Checks the whole response against the questions before anything is stored. */
static gz_err check_answers(const survey *s, const answer_item *items, size_t count, survey_refusal *why)
{
	for (size_t i = 0; i < count; i++)
		if (!find_question(s, items[i].question_id)) {
			refuse(why, "survey.bad.unknown_question", 0);
			return GZ_EINVAL;
		}
	for (size_t qi = 0; qi < s->question_count; qi++) {
		const survey_question *q = &s->questions[qi];
		gathered g = { .n = 0 };
		for (size_t i = 0; i < count; i++) {
			if (items[i].question_id != q->id || !item_given(q, &items[i]))
				continue;
			if (g.n == SURVEY_MAX_OPTIONS + 1)
				g.overflow = true;
			else
				g.item[g.n++] = &items[i];
		}
		gz_err rc = check_one(q, &g, q->position, why);
		if (rc)
			return rc;
	}
	return GZ_OK;
}

typedef struct submit_job {
	const actor *who;
	int64_t survey_id;
	const char *code;
	const answer_item *items;
	size_t count;
	int64_t response_id;
	survey_refusal *why;
} submit_job;

/* Who is answering: the code's holder, or the signed-in resident. */
static gz_err find_respondent(store_conn *c, submit_job *j, const survey *s, int64_t *person_id, int64_t *code_id)
{
	*person_id = *code_id = 0;
	if (j->code && *j->code) {
		const char *code = code_normalise(db_arena(c), j->code);
		rows r;
		gz_err rc = code ? db_run(c, db_arena(c), STMT_SURVEY_CODE_LOOKUP,
					  ARGS(sv_int(s->street_id), sv_int(s->id), sv_text(code)), &r)
				 : GZ_OK;
		if (rc)
			return rc;
		if (!code || !r.nrows) {
			refuse(j->why, "survey.bad.code_unknown", 0);
			return GZ_ENOTFOUND;
		}
		if (rows_int(&r, 0, 1)) {
			refuse(j->why, "survey.bad.code_used", 0);
			return GZ_EEXIST;
		}
		*code_id = rows_int(&r, 0, 0);
		return GZ_OK;
	}
	if (!j->who || !j->who->account_id) {
		refuse(j->why, "survey.bad.sign_in", 0);
		return GZ_EAUTH;
	}
	if (!authz_can(j->who, AUTHZ_ANSWER_SURVEY, (authz_target){ s->street_id, s->unit_path })) {
		refuse(j->why, "survey.bad.unverified", 0);
		return GZ_EFORBIDDEN;
	}
	person_record p;
	gz_err rc = person_get(c, db_arena(c), j->who->person_id, &p);
	if (rc)
		return rc;
	if (strncmp(p.home_unit_path, s->unit_path, strlen(s->unit_path))) {
		refuse(j->why, "survey.bad.scope", 0);
		return GZ_EFORBIDDEN;
	}
	bool answered;
	if ((rc = survey_answered(c, s->street_id, s->id, p.id, &answered)))
		return rc;
	if (answered) {
		refuse(j->why, "survey.bad.answered", 0);
		return GZ_EEXIST;
	}
	*person_id = p.id;
	return GZ_OK;
}

static gz_err store_answers(store_conn *c, const submit_job *j, const survey *s)
{
	for (size_t i = 0; i < j->count; i++) {
		const answer_item *it = &j->items[i];
		const survey_question *q = find_question(s, it->question_id);
		if (!item_given(q, it))
			continue;
		bool has_option = q->kind != QUESTION_SCALE && q->kind != QUESTION_TEXT;
		bool has_value = q->kind == QUESTION_SCALE || q->kind == QUESTION_RANKING;
		gz_err rc = db_run(c, NULL, STMT_SURVEY_ANSWER_INSERT,
				   ARGS(sv_int(s->street_id), sv_int(j->response_id), sv_int(q->id),
					has_option ? sv_int(it->option_id) : sv_null(),
					has_value ? sv_int(it->value) : sv_null(),
					q->kind == QUESTION_TEXT ? sv_text(it->text) : sv_null()),
				   NULL);
		if (rc)
			return rc;
	}
	return GZ_OK;
}

static gz_err submit_write(store_conn *c, void *ctx)
{
	submit_job *j = ctx;
	survey s;
	gz_err rc = survey_get(c, db_arena(c), j->survey_id, &s);
	if (rc)
		return rc;
	if (s.state != SURVEY_PUBLISHED) {
		refuse(j->why, "survey.bad.not_open", 0);
		return GZ_ECONFLICT;
	}
	int64_t person_id, code_id;
	if ((rc = find_respondent(c, j, &s, &person_id, &code_id)))
		return rc;
	if ((rc = check_answers(&s, j->items, j->count, j->why)))
		return rc;
	int64_t now = time_now();
	if (code_id) {
		if ((rc = db_run(c, NULL, STMT_SURVEY_CODE_USE, ARGS(sv_int(s.street_id), sv_int(code_id), sv_int(now)),
				 NULL)))
			return rc;
		if (db_changes(c) != 1) {
			refuse(j->why, "survey.bad.code_used", 0);
			return GZ_EEXIST;
		}
	}
	rc = db_int(c, STMT_SURVEY_RESPONSE_INSERT,
		    ARGS(sv_int(s.street_id), sv_int(s.id), sv_id(person_id), sv_id(code_id), sv_int(now)), 0,
		    &j->response_id);
	if (!rc)
		rc = store_answers(c, j, &s);
	if (rc)
		return rc;
	/* The audit names the response, never its content nor the code. */
	audit_entry e = { s.street_id, "survey.answer", "survey_response", j->response_id,
			  arena_printf(db_arena(c), "survey %" PRId64 " answered %s", s.id,
				       code_id ? "with a one-time code" : "by a verified resident") };
	static const actor anonymous = { .login = "anonymous", .name = "anonymous" };
	return audit_append(c, j->who ? j->who : &anonymous, &e);
}

gz_err survey_submit(store *st, const actor *who, int64_t survey_id, const char *code, const answer_item *items,
		     size_t count, int64_t *response_id, survey_refusal *why)
{
	refuse(why, NULL, 0);
	submit_job j = { who, survey_id, code, items, count, 0, why };
	gz_err rc = store_write(st, submit_write, &j);
	if (response_id)
		*response_id = rc ? 0 : j.response_id;
	return rc;
}

/* ---- results ---- */

/* The question and option index of an option id, searching every question. */
static bool locate_option(const survey *s, int64_t option_id, size_t *qi, int *oi)
{
	for (size_t i = 0; i < s->question_count; i++) {
		int k = option_index(&s->questions[i], option_id);
		if (k >= 0) {
			*qi = i;
			*oi = k;
			return true;
		}
	}
	return false;
}

static gz_err results_options(store_conn *c, arena *a, const survey *s, question_result *res)
{
	rows ch, rk;
	gz_err rc = db_run(c, a, STMT_SURVEY_RESULT_CHOICES, ARGS(sv_int(s->street_id), sv_int(s->id)), &ch);
	if (!rc)
		rc = db_run(c, a, STMT_SURVEY_RESULT_RANKING, ARGS(sv_int(s->street_id), sv_int(s->id)), &rk);
	if (rc)
		return rc;
	size_t qi;
	int oi;
	for (size_t i = 0; i < ch.nrows; i++)
		if (locate_option(s, rows_int(&ch, i, 0), &qi, &oi))
			res[qi].option_counts[oi] = rows_int(&ch, i, 1);
	for (size_t i = 0; i < rk.nrows; i++)
		if (locate_option(s, rows_int(&rk, i, 0), &qi, &oi)) {
			res[qi].rank_counts[oi] = rows_int(&rk, i, 1);
			res[qi].rank_sums[oi] = rows_int(&rk, i, 2);
		}
	return GZ_OK;
}

static size_t question_index(const survey *s, int64_t question_id)
{
	for (size_t i = 0; i < s->question_count; i++)
		if (s->questions[i].id == question_id)
			return i;
	return s->question_count;
}

gz_err survey_results(store_conn *c, arena *a, const survey *s, question_result **out)
{
	question_result *res = ARENA_ARRAY(a, question_result, s->question_count + 1);
	for (size_t i = 0; i < s->question_count; i++) {
		size_t n = s->questions[i].option_count + 1;
		res[i].option_counts = ARENA_ARRAY(a, int64_t, n);
		res[i].rank_counts = ARENA_ARRAY(a, int64_t, n);
		res[i].rank_sums = ARENA_ARRAY(a, int64_t, n);
	}
	rows sc, an;
	gz_err rc = results_options(c, a, s, res);
	if (!rc)
		rc = db_run(c, a, STMT_SURVEY_RESULT_SCALE, ARGS(sv_int(s->street_id), sv_int(s->id)), &sc);
	if (!rc)
		rc = db_run(c, a, STMT_SURVEY_RESULT_ANSWERED, ARGS(sv_int(s->street_id), sv_int(s->id)), &an);
	if (rc)
		return rc;
	for (size_t i = 0; i < sc.nrows; i++) {
		size_t qi = question_index(s, rows_int(&sc, i, 0));
		int64_t v = rows_int(&sc, i, 1);
		if (qi < s->question_count && v >= SURVEY_SCALE_MIN && v <= SURVEY_SCALE_MAX)
			res[qi].scale[v] = rows_int(&sc, i, 2);
	}
	for (size_t i = 0; i < an.nrows; i++) {
		size_t qi = question_index(s, rows_int(&an, i, 0));
		if (qi < s->question_count)
			res[qi].answered = rows_int(&an, i, 1);
	}
	*out = res;
	return GZ_OK;
}

gz_err survey_text_answers(store_conn *c, arena *a, int64_t street_id, int64_t question_id, int64_t limit,
			   int64_t offset, text_answer **out, size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_SURVEY_RESULT_TEXTS,
			   ARGS(sv_int(street_id), sv_int(question_id), sv_int(limit), sv_int(offset)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, text_answer, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (text_answer){ rows_int(&r, i, 0), rows_text(&r, i, 1), rows_int(&r, i, 2) };
	*count = r.nrows;
	return GZ_OK;
}

gz_err survey_text_answer_get(store_conn *c, arena *a, int64_t street_id, int64_t survey_id, int64_t answer_id,
			      text_answer *out)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_SURVEY_ANSWER_GET, ARGS(sv_int(street_id), sv_int(answer_id)), &r);
	if (rc)
		return rc;
	if (!r.nrows || rows_int(&r, 0, 4) != survey_id || strcmp(rows_text(&r, 0, 6), "text"))
		return GZ_ENOTFOUND;
	*out = (text_answer){ rows_int(&r, 0, 0), rows_text(&r, 0, 3), rows_int(&r, 0, 7) };
	return GZ_OK;
}

gz_err survey_export(store_conn *c, arena *a, int64_t street_id, int64_t survey_id, export_cell **out,
		     size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_SURVEY_EXPORT_ANSWERS, ARGS(sv_int(street_id), sv_int(survey_id)), &r);
	if (rc)
		return rc;
	*out = ARENA_ARRAY(a, export_cell, r.nrows + 1);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (export_cell){ .response_id = rows_int(&r, i, 0),
					   .at = rows_int(&r, i, 1),
					   .channel = rows_text(&r, i, 2),
					   .question_id = rows_int(&r, i, 3),
					   .option_id = rows_int(&r, i, 4),
					   .value = rows_int(&r, i, 5),
					   .text = rows_null(&r, i, 6) ? NULL : rows_text(&r, i, 6) };
	*count = r.nrows;
	return GZ_OK;
}

/* ---- answers into needs ---- */

gz_err survey_answer_need(store_conn *c, int64_t street_id, int64_t answer_id, int64_t *need_id)
{
	return db_int(c, STMT_SURVEY_ANSWER_NEED, ARGS(sv_int(street_id), sv_int(answer_id)), 0, need_id);
}

gz_err survey_question_needs(store_conn *c, arena *a, int64_t street_id, int64_t question_id, int64_t **pairs,
			     size_t *count)
{
	rows r;
	gz_err rc = db_run(c, a, STMT_SURVEY_QUESTION_NEEDS, ARGS(sv_int(street_id), sv_int(question_id)), &r);
	if (rc)
		return rc;
	*pairs = ARENA_ARRAY(a, int64_t, 2 * r.nrows + 2);
	for (size_t i = 0; i < r.nrows; i++) {
		(*pairs)[2 * i] = rows_int(&r, i, 0);
		(*pairs)[2 * i + 1] = rows_int(&r, i, 1);
	}
	*count = r.nrows;
	return GZ_OK;
}

typedef struct to_need_job {
	const actor *who;
	int64_t survey_id, answer_id;
	const need_input *in;
	int64_t need_id;
	survey_refusal *why;
} to_need_job;

/* Where the need goes when staff named no place: the questionnaire's
 * community, or the respondent's home; 0 when neither is known. */
static int64_t default_place(store_conn *c, const survey *s, int64_t person_id)
{
	org_unit u;
	if (!unit_get(c, db_arena(c), s->unit_id, &u) && u.kind == UNIT_COMMUNITY)
		return u.id;
	person_record p;
	if (person_id && !person_get(c, db_arena(c), person_id, &p))
		return p.home_unit_id;
	return 0;
}

static gz_err to_need_write(store_conn *c, void *ctx)
{
	to_need_job *j = ctx;
	survey s;
	gz_err rc = survey_get(c, db_arena(c), j->survey_id, &s);
	if (rc)
		return rc;
	if (!survey_can_curate(j->who, &s))
		return GZ_EFORBIDDEN;
	rows r;
	if ((rc = db_run(c, db_arena(c), STMT_SURVEY_ANSWER_GET, ARGS(sv_int(s.street_id), sv_int(j->answer_id)), &r)))
		return rc;
	if (!r.nrows || rows_int(&r, 0, 4) != s.id || strcmp(rows_text(&r, 0, 6), "text"))
		return GZ_ENOTFOUND;
	int64_t respondent = rows_int(&r, 0, 5), existing = 0;
	if ((rc = survey_answer_need(c, s.street_id, j->answer_id, &existing)))
		return rc;
	if (existing) {
		refuse(j->why, "survey.bad.already_need", 0);
		return GZ_EEXIST;
	}
	need_input in = *j->in;
	in.channel = CHANNEL_QUESTIONNAIRE;
	in.answer_id = j->answer_id;
	in.meeting_id = 0;
	in.person_id = respondent;
	in.show_name = false;
	if (!in.unit_id)
		in.unit_id = default_place(c, &s, respondent);
	if (!in.unit_id) {
		refuse(j->why, "survey.bad.need_place", 0);
		return GZ_EINVAL;
	}
	/* Without a known respondent the need must still not become the staff member's own. */
	if (!respondent && !(in.submitter_name && *in.submitter_name)) {
		refuse(j->why, "survey.bad.need_submitter", 0);
		return GZ_EINVAL;
	}
	need_refusal nr = { NULL };
	if ((rc = need_create_in(c, j->who, &in, &j->need_id, &nr))) {
		refuse(j->why, nr.key, 0);
		return rc;
	}
	return audit_survey(c, j->who, &s, "survey.answer_to_need",
			    arena_printf(db_arena(c), "answer %" PRId64 " became need %" PRId64, j->answer_id,
					 j->need_id));
}

gz_err survey_answer_to_need(store *st, const actor *who, int64_t survey_id, int64_t answer_id,
			     const need_input *in, int64_t *need_id, survey_refusal *why)
{
	refuse(why, NULL, 0);
	to_need_job j = { who, survey_id, answer_id, in, 0, why };
	gz_err rc = store_write(st, to_need_write, &j);
	*need_id = rc ? 0 : j.need_id;
	return rc;
}
