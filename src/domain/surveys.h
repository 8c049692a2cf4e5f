/*
 * Questionnaires (调查问卷), one of the 问需 channels.
 *
 * Staff of a street or community build a questionnaire from five kinds of
 * question, publish it (its questions are then fixed) and close it when the
 * asking is over: draft -> published -> closed.  A questionnaire is scoped to
 * a unit, the street's own unit or one community; staff act on it where
 * authz_can(AUTHZ_CURATE_NEEDS) reaches that unit.
 *
 * Each person answers once: a signed-in verified resident living in the
 * scope, or anyone holding an unused one-time code that staff printed for
 * this questionnaire.  A response is checked whole against the questions and
 * stored whole, or refused with a reason and nothing stored.
 */
#ifndef GZ_DOMAIN_SURVEYS_H
#define GZ_DOMAIN_SURVEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/actor.h"
#include "domain/needs.h"
#include "store/store.h"

typedef enum survey_state { SURVEY_DRAFT, SURVEY_PUBLISHED, SURVEY_CLOSED, SURVEY__MAX } survey_state;

typedef enum question_kind {
	QUESTION_SINGLE,     /* one option */
	QUESTION_MULTIPLE,   /* any number of options */
	QUESTION_SCALE,      /* 1..5 */
	QUESTION_RANKING,    /* every option given a distinct rank 1..n */
	QUESTION_TEXT,       /* free text */
	QUESTION__MAX
} question_kind;

#define SURVEY_TITLE_MAX 80          /* characters */
#define SURVEY_INTRO_MAX 2000
#define SURVEY_PROMPT_MAX 300
#define SURVEY_OPTION_MAX 60         /* characters of one option */
#define SURVEY_MAX_QUESTIONS 40
#define SURVEY_MAX_OPTIONS 12        /* per question; ranking at most this many too */
#define SURVEY_ANSWER_TEXT_MAX 1000
#define SURVEY_SCALE_MIN 1
#define SURVEY_SCALE_MAX 5
#define SURVEY_CODE_BATCH_MAX 500
#define SURVEY_CODE_LEN 9            /* "XXXX-XXXX" */

/* Stored names: "draft"..., "single"...; also catalogue key suffixes. */
const char *survey_state_name(survey_state s);
bool survey_state_parse(const char *name, survey_state *out);
const char *question_kind_name(question_kind k);
bool question_kind_parse(const char *name, question_kind *out);
/* True for the kinds whose question carries options. */
bool question_kind_has_options(question_kind k);

typedef struct survey_option {
	int64_t id;
	const char *label;
} survey_option;

typedef struct survey_question {
	int64_t id;
	int position;                /* 1-based, as shown */
	question_kind kind;
	const char *prompt;
	bool required;
	survey_option *options;
	size_t option_count;
} survey_question;

typedef struct survey {
	int64_t id, street_id;
	int64_t unit_id;             /* scope */
	const char *unit_name, *unit_path;
	const char *title, *intro;
	survey_state state;
	int64_t created_at, published_at, closed_at;   /* 0: not yet */
	int64_t responses;
	survey_question *questions;  /* filled by survey_get only */
	size_t question_count;
} survey;

/* The questionnaire with its questions and options. */
gz_err survey_get(store_conn *c, arena *a, int64_t survey_id, survey *out);
/* Published and closed questionnaires, and drafts under `draft_path` (""
 * for none), published first, newest first. */
gz_err survey_list(store_conn *c, arena *a, int64_t street_id, const char *draft_path, int64_t limit,
		   int64_t offset, survey **out, size_t *count, int64_t *total);
/* True when `who` may build, publish, close and read everything of `s`. */
bool survey_can_curate(const actor *who, const survey *s);

/*
 * Why a change or a response was refused: a catalogue key and, for a
 * response, the 1-based number of the question at fault (0 for none).
 * Keys taking the number have "%d" in their text.
 */
typedef struct survey_refusal {
	const char *key;
	int question;
} survey_refusal;

/* Creates a draft scoped to `unit_id` (the street unit or a community). */
gz_err survey_create(store *st, const actor *who, int64_t unit_id, const char *title, const char *intro,
		     int64_t *survey_id, survey_refusal *why);
gz_err survey_update(store *st, const actor *who, int64_t survey_id, const char *title, const char *intro,
		     survey_refusal *why);

typedef struct question_input {
	question_kind kind;
	const char *prompt;
	bool required;
	const char *options;   /* one option a line, for single, multiple and ranking */
} question_input;

gz_err survey_question_add(store *st, const actor *who, int64_t survey_id, const question_input *in,
			   survey_refusal *why);
/* Removes a question of a draft. */
gz_err survey_question_delete(store *st, const actor *who, int64_t survey_id, int64_t question_id);
/* Swaps a question of a draft with the one above (up) or below. */
gz_err survey_question_move(store *st, const actor *who, int64_t survey_id, int64_t question_id, bool up);

/* draft -> published (needs at least one question), published -> closed. */
gz_err survey_publish(store *st, const actor *who, int64_t survey_id, survey_refusal *why);
gz_err survey_close(store *st, const actor *who, int64_t survey_id);

/* ---- one-time codes ---- */

typedef struct survey_code {
	int64_t id;
	const char *code;
	int batch;
	int64_t created_at, used_at;
} survey_code;

/* Generates `count` fresh codes as a new batch; *batch gets its number. */
gz_err survey_codes_create(store *st, const actor *who, int64_t survey_id, int count, int *batch);
/* Codes of one batch (0: all), newest batch first. */
gz_err survey_codes_list(store_conn *c, arena *a, int64_t street_id, int64_t survey_id, int batch, int64_t limit,
			 int64_t offset, survey_code **out, size_t *count, int64_t *total, int64_t *used);

/* ---- responses ---- */

/*
 * One submitted value.  single and multiple: option_id (one item each
 * chosen option); scale: value; ranking: option_id with its rank in value
 * (one item each option); text: text.  The page passes what it read, bad or
 * not: an option id of another question, a value out of range.  The domain
 * refuses it with a reason.
 */
typedef struct answer_item {
	int64_t question_id;
	int64_t option_id;
	int64_t value;
	const char *text;
} answer_item;

/*
 * Stores one response.  The respondent is `who` when `code` is NULL or
 * empty, otherwise the holder of the code (who may be NULL).  Refusals:
 * GZ_EAUTH nobody signed in and no code; GZ_EFORBIDDEN not verified or not
 * living in the scope; GZ_EEXIST answered already or code used; GZ_ENOTFOUND
 * unknown code; GZ_ECONFLICT not published; GZ_EINVAL an answer is wrong.
 */
gz_err survey_submit(store *st, const actor *who, int64_t survey_id, const char *code, const answer_item *items,
		     size_t count, int64_t *response_id, survey_refusal *why);
/* Whether this person has answered already. */
gz_err survey_answered(store_conn *c, int64_t street_id, int64_t survey_id, int64_t person_id, bool *answered);

/* ---- results ---- */

typedef struct question_result {
	int64_t answered;            /* responses that answered this question */
	int64_t *option_counts;      /* single, multiple: per option, in option order */
	int64_t *rank_counts;        /* ranking: how many ranked each option */
	int64_t *rank_sums;          /* ranking: sum of ranks per option (average = sum / count) */
	int64_t scale[SURVEY_SCALE_MAX + 1];   /* scale: count per value, index 1..5 */
} question_result;

/* Figures for every question of `s` (from survey_get), in question order. */
gz_err survey_results(store_conn *c, arena *a, const survey *s, question_result **out);

typedef struct text_answer {
	int64_t id;                  /* survey_answer id, for turning it into a need */
	const char *text;
	int64_t at;
} text_answer;

gz_err survey_text_answers(store_conn *c, arena *a, int64_t street_id, int64_t question_id, int64_t limit,
			   int64_t offset, text_answer **out, size_t *count);

/* One free-text answer of the questionnaire; GZ_ENOTFOUND for any other answer. */
gz_err survey_text_answer_get(store_conn *c, arena *a, int64_t street_id, int64_t survey_id, int64_t answer_id,
			      text_answer *out);

/* One row of the export: a response's answer to one question. */
typedef struct export_cell {
	int64_t response_id, at, question_id, option_id, value;
	const char *channel;         /* "resident" or "code" */
	const char *text;            /* NULL when not a text answer */
} export_cell;

/* Every answer, ordered by response then question; a response with no
 * answers gives one cell with question_id 0. */
gz_err survey_export(store_conn *c, arena *a, int64_t street_id, int64_t survey_id, export_cell **out,
		     size_t *count);

/*
 * Turns a free-text answer into a need (channel "questionnaire") linked back
 * to the answer through need.answer_id.  `in` carries the title, body and
 * category staff wrote (body usually the answer itself) and optionally a
 * place (unit_id; 0: the questionnaire's community, else the respondent's
 * home).  The respondent, when known, is the need's submitter; otherwise
 * in->submitter_name names them ("问卷答题人").  Staff curating the
 * questionnaire only; an answer becomes at most one need (GZ_EEXIST).
 * The need's own refusals come back with their keys in `why`.
 */
gz_err survey_answer_to_need(store *st, const actor *who, int64_t survey_id, int64_t answer_id,
			     const need_input *in, int64_t *need_id, survey_refusal *why);
/* The need made from an answer, 0 when none. */
gz_err survey_answer_need(store_conn *c, int64_t street_id, int64_t answer_id, int64_t *need_id);
/* Needs made from the answers of one question: pairs answer id, need id. */
gz_err survey_question_needs(store_conn *c, arena *a, int64_t street_id, int64_t question_id, int64_t **pairs,
			     size_t *count);

#endif
