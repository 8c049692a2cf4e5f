/*
 * Demo data of questionnaires and community meetings: one street-wide
 * questionnaire, published three weeks ago, with 150 responses (140 from
 * verified residents, 10 with paper codes) and a few free-text answers; two
 * community meetings with the needs raised at them.
 *
 * The responses are inserted directly, not through survey_submit: the demo
 * must build in a moment, and these rows are the same ones survey_submit
 * would write.  resident1 is left out so that trying the demo (and the
 * tests) can still answer as resident1.
 */
#include <inttypes.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/demo.h"
#include "domain/meetings.h"
#include "domain/needs.h"
#include "domain/surveys.h"
#include "util/timeutil.h"

#define DAY 86400
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct demo_question {
	question_kind kind;
	const char *prompt;
	bool required;
	const char *options[8];
	int weights[8];          /* how often each option is chosen (or ranked first) */
} demo_question;

static const demo_question questions[] = {
	{ QUESTION_SINGLE, "您在本街道居住了多长时间？", true,
	  { "不到1年", "1至5年", "5至10年", "10年以上" }, { 8, 25, 30, 37 } },
	{ QUESTION_MULTIPLE, "您最希望改善哪些公共设施？（可多选）", true,
	  { "老旧楼加装电梯", "停车位", "健身器材", "路灯照明", "无障碍设施", "垃圾分类站" }, { 45, 40, 20, 25, 15, 18 } },
	{ QUESTION_SCALE, "您对所在社区的环境卫生满意吗？（1分最不满意，5分最满意）", true, { NULL }, { 5, 10, 30, 35, 20 } },
	{ QUESTION_RANKING, "请为下列拟办实事按您心中的优先程度排序", true,
	  { "老旧小区加装电梯", "增设电动自行车充电桩", "改造社区活动中心", "修缮破损路面" }, { 40, 30, 12, 18 } },
	{ QUESTION_TEXT, "您还有什么意见和建议？", false, { NULL }, { 0 } },
};

static const char *const suggestions[] = {
	"望湖东里3号楼前的路灯坏了两个多月，晚上老人出门很不安全，希望尽快修好。",
	"小区里电动车在楼道充电太危险，建议在空地建集中充电棚。",
	"社区活动中心周末能不能开放给孩子们写作业？",
	"垃圾分类站附近味道很大，夏天尤其严重，希望增加清运次数。",
	"希望在枣林社区增加几张长椅，方便老人散步时休息。",
	"花园北社区的健身器材有些已经生锈，存在安全隐患。",
	"建议给老旧楼加装电梯时多听听低层住户的意见，做好补偿。",
	"早高峰学校门口太堵，希望协调交警在上学时段疏导。",
	"楼下的便民菜站关了，买菜要走很远，希望能重新引进。",
	"希望社区多组织一些面向老年人的防诈骗讲座。",
};

/* Picks an index with probability proportional to its weight. */
static int weighted(demo_context *d, const int *weights, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	int x = (int)(demo_random(d) % (uint64_t)(total > 0 ? total : 1));
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

static int option_count(const demo_question *q)
{
	int n = 0;
	while (n < 8 && q->options[n])
		n++;
	return n;
}

typedef struct built_survey {
	int64_t id, street_id;
	int64_t question_ids[COUNT(questions)];
	int64_t option_ids[COUNT(questions)][8];
	int64_t code_ids[10];
} built_survey;

static gz_err insert_questions(store_conn *c, built_survey *b)
{
	for (size_t qi = 0; qi < COUNT(questions); qi++) {
		const demo_question *q = &questions[qi];
		gz_err rc = db_int(c, STMT_SURVEY_QUESTION_INSERT,
				   ARGS(sv_int(b->street_id), sv_int(b->id), sv_text(question_kind_name(q->kind)),
					sv_text(q->prompt), sv_bool(q->required)),
				   0, &b->question_ids[qi]);
		for (int k = 0; !rc && k < option_count(q); k++)
			rc = db_int(c, STMT_SURVEY_OPTION_INSERT,
				    ARGS(sv_int(b->street_id), sv_int(b->question_ids[qi]), sv_int(k + 1), sv_text(q->options[k])),
				    0, &b->option_ids[qi][k]);
		if (rc)
			return rc;
	}
	return GZ_OK;
}

/* Twenty paper codes, the first ten of which come back answered. */
static gz_err insert_codes(store_conn *c, demo_context *d, built_survey *b, int64_t at)
{
	static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++) {
		char code[SURVEY_CODE_LEN + 1];
		for (int k = 0; k < SURVEY_CODE_LEN; k++)
			code[k] = k == 4 ? '-' : alphabet[demo_random(d) % (sizeof(alphabet) - 1)];
		code[SURVEY_CODE_LEN] = '\0';
		gz_err rc = db_run(c, NULL, STMT_SURVEY_CODE_INSERT,
				   ARGS(sv_int(b->street_id), sv_int(b->id), sv_text(code), sv_int(1), sv_int(at)), NULL);
		if (rc)
			return rc;
		if (i < 10 && (rc = db_int(c, STMT_SURVEY_CODE_LOOKUP,
					   ARGS(sv_int(b->street_id), sv_int(b->id), sv_text(code)), 0, &b->code_ids[i])))
			return rc;
	}
	return GZ_OK;
}

static gz_err answer(store_conn *c, const built_survey *b, int64_t response, size_t qi, int64_t option, int64_t value,
		     const char *text)
{
	bool has_option = questions[qi].kind != QUESTION_SCALE && questions[qi].kind != QUESTION_TEXT;
	bool has_value = questions[qi].kind == QUESTION_SCALE || questions[qi].kind == QUESTION_RANKING;
	return db_run(c, NULL, STMT_SURVEY_ANSWER_INSERT,
		      ARGS(sv_int(b->street_id), sv_int(response), sv_int(b->question_ids[qi]),
			   has_option ? sv_int(option) : sv_null(), has_value ? sv_int(value) : sv_null(), sv_text(text)),
		      NULL);
}

/* A ranking leaning on the weights: options drawn without replacement. */
static gz_err answer_ranking(store_conn *c, demo_context *d, const built_survey *b, int64_t response, size_t qi)
{
	const demo_question *q = &questions[qi];
	int n = option_count(q), w[8];
	bool used[8] = { false };
	memcpy(w, q->weights, sizeof(w));
	for (int rank = 1; rank <= n; rank++) {
		int k = weighted(d, w, n);
		for (k = used[k] ? 0 : k; used[k]; k++)
			;
		used[k] = true;
		w[k] = 0;
		gz_err rc = answer(c, b, response, qi, b->option_ids[qi][k], rank, NULL);
		if (rc)
			return rc;
	}
	return GZ_OK;
}

/* Each option on its own chance; a required question always gets one. */
static gz_err answer_multiple(store_conn *c, demo_context *d, const built_survey *b, int64_t response, size_t qi)
{
	const demo_question *q = &questions[qi];
	int n = option_count(q), chosen = 0;
	for (int k = 0; k < n; k++)
		if ((int)(demo_random(d) % 100) < q->weights[k]) {
			gz_err rc = answer(c, b, response, qi, b->option_ids[qi][k], 0, NULL);
			if (rc)
				return rc;
			chosen++;
		}
	return chosen ? GZ_OK : answer(c, b, response, qi, b->option_ids[qi][weighted(d, q->weights, n)], 0, NULL);
}

static gz_err answer_all(store_conn *c, demo_context *d, const built_survey *b, int64_t response)
{
	gz_err rc = GZ_OK;
	for (size_t qi = 0; !rc && qi < COUNT(questions); qi++) {
		const demo_question *q = &questions[qi];
		int n = option_count(q);
		switch (q->kind) {
		case QUESTION_SINGLE:
			rc = answer(c, b, response, qi, b->option_ids[qi][weighted(d, q->weights, n)], 0, NULL);
			break;
		case QUESTION_MULTIPLE:
			rc = answer_multiple(c, d, b, response, qi);
			break;
		case QUESTION_SCALE:
			rc = answer(c, b, response, qi, 0, weighted(d, q->weights, 5) + 1, NULL);
			break;
		case QUESTION_RANKING:
			rc = answer_ranking(c, d, b, response, qi);
			break;
		case QUESTION_TEXT:
		case QUESTION__MAX:
			if (demo_random(d) % 5 == 0)
				rc = answer(c, b, response, qi, 0, 0, suggestions[demo_random(d) % COUNT(suggestions)]);
			break;
		}
	}
	return rc;
}

/* 140 verified residents (never resident1) and 10 paper codes. */
static gz_err insert_responses(store_conn *c, demo_context *d, const built_survey *b, int64_t from)
{
	int by_person = 0;
	for (size_t k = 2; k < d->resident_count && by_person < 140; k++) {
		if (k >= 200 || k % 10 == 1)   /* social units; residents not yet verified */
			continue;
		int64_t response;
		gz_err rc = db_int(c, STMT_SURVEY_RESPONSE_INSERT,
				   ARGS(sv_int(b->street_id), sv_int(b->id), sv_int(d->resident_ids[k]), sv_null(),
					sv_int(from + (int64_t)(demo_random(d) % (19 * DAY)))),
				   0, &response);
		if (!rc)
			rc = answer_all(c, d, b, response);
		if (rc)
			return rc;
		by_person++;
	}
	for (int i = 0; i < 10; i++) {
		int64_t response, at = from + (int64_t)(demo_random(d) % (19 * DAY));
		gz_err rc = db_run(c, NULL, STMT_SURVEY_CODE_USE, ARGS(sv_int(b->street_id), sv_int(b->code_ids[i]), sv_int(at)),
				   NULL);
		if (!rc)
			rc = db_int(c, STMT_SURVEY_RESPONSE_INSERT,
				    ARGS(sv_int(b->street_id), sv_int(b->id), sv_null(), sv_int(b->code_ids[i]), sv_int(at)), 0,
				    &response);
		if (!rc)
			rc = answer_all(c, d, b, response);
		if (rc)
			return rc;
	}
	return GZ_OK;
}

static gz_err build_questionnaire(store_conn *c, demo_context *d, arena *a)
{
	built_survey b = { .street_id = d->street_id };
	int64_t published = d->now - 20 * DAY;
	const char *title = arena_printf(a, "%d年度望湖街道公共服务需求调查", time_year(d->now));
	gz_err rc = db_int(c, STMT_SURVEY_INSERT,
			   ARGS(sv_int(d->street_id), sv_int(d->street_unit_id), sv_text(title),
				sv_text("为了解居民最关心的身边事，街道工委开展本次问卷调查。结果将作为今年拟办实事的重要依据。"
					"每位居民限填一次，约需3分钟。"),
				sv_null(), sv_int(published - DAY)),
			   0, &b.id);
	if (!rc)
		rc = insert_questions(c, &b);
	if (!rc)
		rc = db_run(c, NULL, STMT_SURVEY_SET_STATE,
			    ARGS(sv_int(d->street_id), sv_int(b.id), sv_text("draft"), sv_text("published"), sv_int(published)),
			    NULL);
	if (!rc)
		rc = insert_codes(c, d, &b, published);
	if (!rc)
		rc = insert_responses(c, d, &b, published);
	if (rc)
		return rc;
	audit_entry e = { d->street_id, "survey.demo", "survey", b.id, "demo questionnaire with 150 responses" };
	return audit_append(c, &actor_system, &e);
}

typedef struct demo_meeting {
	int community;            /* index into d->community_ids */
	const char *title, *place;
	int days_ago, attendance;
	const char *notes;
	struct {
		const char *title, *body, *category;
	} needs[3];
} demo_meeting;

static const demo_meeting meetings[] = {
	{ 0, "望湖东里社区居民议事会", "社区党群服务中心二楼会议室", 12, 46,
	  "社区党委书记主持，各楼门长、居民代表和物业公司参加，围绕今年拟办实事听取居民意见。",
	  { { "3号楼加装电梯", "3号楼共6层，住户中60岁以上老人占一半，上下楼困难，希望纳入加装电梯计划。", "设施建设" },
	    { "北门外增设非机动车停放区", "北门外人行道被电动车占满，行人只能走机动车道，建议划定停放区。", "交通出行" },
	    { "社区活动室延长开放时间", "活动室晚上7点就关门，上班族用不上，希望周末和晚上延长开放。", "文化活动" } } },
	{ 2, "枣林社区楼门长恳谈会", "枣林社区居委会活动室", 5, 28,
	  "楼门长反映楼内和小区公共区域的问题，社区逐条登记。",
	  { { "小区主路破损修补", "小区主路多处坑洼，雨天积水，老人孩子容易摔倒，希望尽快修补。", "环境卫生" },
	    { "楼道照明更换声控灯", "5号楼、7号楼楼道灯坏了很久，建议统一换成声控节能灯。", "设施建设" },
	    { NULL, NULL, NULL } } },
};

/* A category the street uses: the named one if present, else the first. */
static const char *category_of(store_conn *c, arena *a, int64_t street_id, const char *want)
{
	const char **cats;
	size_t n;
	if (need_categories(c, a, street_id, &cats, &n) || !n)
		return want;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cats[i], want))
			return cats[i];
	return cats[0];
}

static gz_err build_meetings(store_conn *c, demo_context *d, arena *a)
{
	for (size_t i = 0; i < COUNT(meetings); i++) {
		const demo_meeting *m = &meetings[i];
		int64_t id, unit = d->community_ids[m->community];
		int64_t held = d->now - m->days_ago * DAY;
		gz_err rc = db_int(c, STMT_COMMUNITY_MEETING_INSERT,
				   ARGS(sv_int(d->street_id), sv_int(unit), sv_text(m->title), sv_int(held), sv_text(m->place),
					sv_int(m->attendance), sv_text(m->notes), sv_null(), sv_int(held)),
				   0, &id);
		if (rc)
			return rc;
		audit_entry e = { d->street_id, "meeting.create", "community_meeting", id, m->title };
		if ((rc = audit_append(c, &actor_system, &e)))
			return rc;
		for (int k = 0; k < 3 && m->needs[k].title; k++) {
			/* Raised by a resident of the community (residents cycle through the communities). */
			size_t who = (size_t)m->community + 4 * (size_t)(k + 3);
			need_input in = { .title = m->needs[k].title,
					  .body = m->needs[k].body,
					  .category = category_of(c, a, d->street_id, m->needs[k].category),
					  .unit_id = unit,
					  .person_id = who < d->resident_count ? d->resident_ids[who] : 0,
					  .submitter_name = "参会居民",
					  .channel = CHANNEL_MEETING,
					  .meeting_id = id };
			int64_t need_id;
			need_refusal why = { NULL };
			if ((rc = need_create_in(c, &actor_system, &in, &need_id, &why)))
				return rc;
		}
	}
	return GZ_OK;
}

gz_err demo_build_surveys(store_conn *c, demo_context *d, arena *a, const char *encoded)
{
	gz_err rc = build_questionnaire(c, d, a);
	return rc ? rc : build_meetings(c, d, a);
}
