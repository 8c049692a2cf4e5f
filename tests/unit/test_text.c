/*
 * Tests for src/text (tokenizer, query builders, similarity, clustering)
 * and for the "gongzhi" FTS5 tokenizer on a real in-memory SQLite table.
 *
 * Most cases are tables of input and expected output.  Token lists are
 * written "token@position", with a leading "=" on a token colocated with
 * the one before it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/fts5-tokenizer.h"
#include "text/text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Helpers ---------------------------------------------------------- */

static int write_token(void *ctx, const text_token *tok)
{
	text_buf *out = ctx;
	char pos[24];
	if (out->len)
		text_buf_append_str(out, " ");
	if (tok->colocated)
		text_buf_append_str(out, "=");
	text_buf_append(out, tok->text, tok->len);
	snprintf(pos, sizeof(pos), "@%u", (unsigned)tok->pos);
	text_buf_append_str(out, pos);
	return 0;
}

/* The token list of s as one string; caller frees. */
static char *tokens_of(const char *s, size_t len, text_mode mode)
{
	text_buf b;
	text_buf_init(&b);
	assert_int_equal(text_tokenize(s, len, mode, write_token, &b), 0);
	assert_false(b.failed);
	char *copy = strdup(b.data);
	text_buf_release(&b);
	return copy;
}

typedef int builder_fn(text_buf *out, const char *s, size_t len);

static char *built(builder_fn *fn, const char *s)
{
	text_buf b;
	text_buf_init(&b);
	assert_int_equal(fn(&b, s, strlen(s)), 0);
	char *copy = strdup(b.data);
	text_buf_release(&b);
	return copy;
}

static double similarity_of(const char *a, const char *b)
{
	text_features fa, fb;
	text_features_init(&fa);
	text_features_init(&fb);
	assert_int_equal(text_features_build(&fa, a, strlen(a)), 0);
	assert_int_equal(text_features_build(&fb, b, strlen(b)), 0);
	double s = text_similarity(&fa, &fb);
	text_features_release(&fa);
	text_features_release(&fb);
	return s;
}

/* ---- UTF-8 ------------------------------------------------------------ */

static void test_utf8_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool valid;
	} cases[] = {
		{ "", true },
		{ "abc", true },
		{ "电梯", true },
		{ "\xF0\xA0\x80\x80", true },   /* U+20000, extension B */
		{ "\xE7\x94", false },          /* 电 cut short */
		{ "\xC0\xA2", false },          /* overlong '"' */
		{ "\xE0\x80\xA2", false },      /* overlong '"', three bytes */
		{ "\xED\xA0\x80", false },      /* surrogate */
		{ "\xF4\x90\x80\x80", false },  /* above U+10FFFF */
		{ "\x80", false },              /* lone continuation */
		{ "\xFF", false },
	};
	for (size_t i = 0; i < COUNT(cases); i++)
		assert_int_equal(text_utf8_valid(cases[i].s, strlen(cases[i].s)), cases[i].valid);
}

/* ---- Tokenizer -------------------------------------------------------- */

static const struct tokenize_case {
	const char *in;
	text_mode mode;
	const char *want;
} tokenize_cases[] = {
	{ "", TEXT_MODE_DOCUMENT, "" },
	{ "，。！ ", TEXT_MODE_DOCUMENT, "" },
	{ "电梯", TEXT_MODE_DOCUMENT, "电@0 =电梯@0 梯@1" },
	{ "3号楼电梯，坏了", TEXT_MODE_DOCUMENT,
	  "3@0 号@1 =号楼@1 楼@2 =楼电@2 电@3 =电梯@3 梯@4 坏@5 =坏了@5 了@6" },
	{ "电…梯", TEXT_MODE_DOCUMENT, "电@0 梯@1" },              /* no bigram across punctuation */
	{ "电\xE2\x80\x8B梯", TEXT_MODE_DOCUMENT, "电@0 =电梯@0 梯@1" }, /* zero-width space ignored */
	{ "Hello, WORLD ＡＢＣ１２３", TEXT_MODE_DOCUMENT, "hello@0 world@1 abc123@2" },
	{ "Ça va", TEXT_MODE_DOCUMENT, "ça@0 va@1" },
	{ "wifi信号", TEXT_MODE_DOCUMENT, "wifi@0 信@1 =信号@1 号@2" },
	{ "\xE7\x94梯", TEXT_MODE_DOCUMENT, "梯@0" },               /* truncated 电 is a separator */
	{ "a\xFF" "b\xC0\xA2" "c", TEXT_MODE_DOCUMENT, "a@0 b@1 c@2" },
	/* Query mode: a run of one character is its unigram ... */
	{ "梯", TEXT_MODE_QUERY, "梯@0" },
	/* ... a longer run is its bigrams ... */
	{ "电梯", TEXT_MODE_QUERY, "电梯@0" },
	{ "电梯坏了", TEXT_MODE_QUERY, "电梯@0 梯坏@1 坏了@2" },
	/* ... plus its last unigram when more follows, to keep positions aligned. */
	{ "电梯5号", TEXT_MODE_QUERY, "电梯@0 梯@1 5@2 号@3" },
	{ "3号楼电梯", TEXT_MODE_QUERY, "3@0 号楼@1 楼电@2 电梯@3" },
	{ "电梯，停车", TEXT_MODE_QUERY, "电梯@0 梯@1 停车@2" },
	{ "WiFi", TEXT_MODE_QUERY, "wifi@0" },
};

static void test_tokenize(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(tokenize_cases); i++) {
		const struct tokenize_case *c = &tokenize_cases[i];
		char *got = tokens_of(c->in, strlen(c->in), c->mode);
		if (strcmp(got, c->want) != 0)
			fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, c->in, got, c->want);
		free(got);
	}
}

static void test_tokenize_long_word_is_cut(void **state)
{
	(void)state;
	char in[200];
	memset(in, 'x', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	char want[80];
	memset(want, 'x', TEXT_TOKEN_MAX);
	strcpy(want + TEXT_TOKEN_MAX, "@0");
	char *got = tokens_of(in, strlen(in), TEXT_MODE_DOCUMENT);
	assert_string_equal(got, want);
	free(got);
}

typedef struct offsets {
	size_t n;
	size_t start[8], end[8];
} offsets;

static int record_offsets(void *ctx, const text_token *tok)
{
	offsets *o = ctx;
	if (o->n < COUNT(o->start)) {
		o->start[o->n] = tok->start;
		o->end[o->n] = tok->end;
	}
	o->n++;
	return 0;
}

static void test_tokenize_offsets(void **state)
{
	(void)state;
	/* a, 电, 电梯, 梯: offsets cover the bytes each token comes from. */
	static const size_t want_start[] = { 0, 1, 1, 4 }, want_end[] = { 1, 4, 7, 7 };
	offsets o = { .n = 0 };
	assert_int_equal(text_tokenize("a电梯", 7, TEXT_MODE_DOCUMENT, record_offsets, &o), 0);
	assert_int_equal(o.n, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(o.start[i], want_start[i]);
		assert_int_equal(o.end[i], want_end[i]);
	}
}

static int stop_at_second(void *ctx, const text_token *tok)
{
	(void)tok;
	int *seen = ctx;
	return ++*seen == 2 ? 42 : 0;
}

static void test_tokenize_stops_when_asked(void **state)
{
	(void)state;
	int seen = 0;
	assert_int_equal(text_tokenize("电梯坏了", 12, TEXT_MODE_DOCUMENT, stop_at_second, &seen), 42);
	assert_int_equal(seen, 2);
}

static void test_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "  ３号楼 电梯!!", "3号楼 电梯" },
		{ "Ｗｉ－Ｆｉ　信号", "wi fi 信号" },
		{ "电\xE2\x80\x8B梯", "电梯" },
		{ "\xFF\xFE", "" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		char *got = built(text_normalize, cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

/* ---- Query builders --------------------------------------------------- */

static const struct query_case {
	const char *in;
	const char *fts5;
	const char *tsquery;
} query_cases[] = {
	{ "", "", "" },
	{ "   ，。", "", "" },
	{ "电梯", "\"电梯\"", "('电梯')" },
	{ "梯", "\"梯\"", "('梯')" },
	{ "电梯 停车", "\"电梯\" \"停车\"", "('电梯') & ('停车')" },
	{ "电梯坏了", "\"电梯坏了\"", "('电梯' <-> '梯坏' <-> '坏了')" },
	{ "３号楼电梯", "\"3号楼电梯\"", "('3' <-> '号楼' <-> '楼电' <-> '电梯')" },
	{ "WiFi", "\"wifi\"", "('wifi')" },
	/* FTS5 syntax in user text is only ever text. */
	{ "\" OR *", "\"or\"", "('or')" },
	{ "NEAR(电梯", "\"near\" \"电梯\"", "('near') & ('电梯')" },
	{ "电梯\" OR \"停车", "\"电梯\" \"or\" \"停车\"", "('电梯') & ('or') & ('停车')" },
	{ "title:电梯", "\"title\" \"电梯\"", "('title') & ('电梯')" },
	{ "-电梯*", "\"电梯\"", "('电梯')" },
	{ "^电梯 + {body}", "\"电梯\" \"body\"", "('电梯') & ('body')" },
	{ "'; DROP TABLE needs; --", "\"drop\" \"table\" \"needs\"", "('drop') & ('table') & ('needs')" },
	{ "电梯\\' | !停车", "\"电梯\" \"停车\"", "('电梯') & ('停车')" },
	{ "\xC0\xA2 OR \xE0\x80\xA2", "\"or\"", "('or')" },
};

static void test_query_builders(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(query_cases); i++) {
		const struct query_case *c = &query_cases[i];
		char *fts5 = built(text_query_fts5, c->in);
		char *tsq = built(text_query_tsquery, c->in);
		if (strcmp(fts5, c->fts5) != 0)
			fail_msg("fts5 case %zu: got %s, want %s", i, fts5, c->fts5);
		if (strcmp(tsq, c->tsquery) != 0)
			fail_msg("tsquery case %zu: got %s, want %s", i, tsq, c->tsquery);
		free(fts5);
		free(tsq);
	}
}

static void test_query_is_capped(void **state)
{
	(void)state;
	/* 200 separate words: only the first TEXT_QUERY_MAX_ELEMENTS are used. */
	text_buf in, out;
	text_buf_init(&in);
	text_buf_init(&out);
	for (int i = 0; i < 200; i++)
		text_buf_append_str(&in, "x ");
	assert_int_equal(text_query_fts5(&out, in.data, in.len), 0);
	size_t quotes = 0;
	for (size_t i = 0; i < out.len; i++)
		quotes += out.data[i] == '"';
	assert_int_equal(quotes, 2 * TEXT_QUERY_MAX_ELEMENTS);
	text_buf_release(&in);
	text_buf_release(&out);
}

static void test_fts5_quote(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "\"\"" },
		{ "c12", "\"c12\"" },
		{ "a\"b", "\"a\"\"b\"" },
		{ "\"\"", "\"\"\"\"\"\"" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		text_buf b;
		text_buf_init(&b);
		text_fts5_quote(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(b.data, cases[i].want);
		text_buf_release(&b);
	}
}

static void test_tsvector(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "电梯", "'电':1 '电梯':1 '梯':2" },
		{ "Lift 电梯！", "'lift':1 '电':2 '电梯':2 '梯':3" },
		{ "It's", "'it':1 's':2" },
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		char *got = built(text_tsvector, cases[i].in);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void test_tsvector_positions_are_capped(void **state)
{
	(void)state;
	text_buf in, out;
	text_buf_init(&in);
	text_buf_init(&out);
	for (int i = 0; i < TEXT_TSVECTOR_MAX_POS + 10; i++)
		text_buf_append_str(&in, "a ");
	assert_int_equal(text_tsvector(&out, in.data, in.len), 0);
	const char *last = strrchr(out.data, ' ');
	assert_non_null(last);
	assert_string_equal(last, " 'a':16383");
	text_buf_release(&in);
	text_buf_release(&out);
}

/* ---- Similarity ------------------------------------------------------- */

/* How alike two needs are, as the store uses the score. */
typedef enum likeness {
	UNRELATED, /* below TEXT_SIMILAR_THRESHOLD: not shown */
	SIMILAR,   /* shown to a resident as perhaps the same need */
	DUPLICATE, /* at or above TEXT_DUPLICATE_THRESHOLD: clustered for staff */
} likeness;

static const struct similarity_case {
	const char *a, *b;
	likeness want;
} similarity_cases[] = {
	{ "3号楼电梯经常坏", "3号楼电梯经常坏！", DUPLICATE },
	{ "3号楼电梯经常坏", "3号楼电梯又坏了", DUPLICATE },
	{ "3号楼电梯经常坏，希望尽快维修", "３号楼的电梯老是坏，希望尽快修理", DUPLICATE },
	{ "小区停车难，外来车辆占用车位", "外来车辆占用小区车位，停车太难了", DUPLICATE },
	{ "希望增加健身器材", "建议小区增加一些健身器材", DUPLICATE },
	{ "路灯不亮，晚上走路很黑", "西门路灯坏了，晚上很黑", SIMILAR },
	{ "楼道灯坏了", "路灯坏了", SIMILAR },
	{ "3号楼电梯经常坏", "小区停车难，外来车辆占用车位", UNRELATED },
	{ "加装电梯费用怎么分摊", "电梯经常坏希望维修", UNRELATED },
	/* Only boilerplate in common: 希望 社区 尽快 解决 问题 and the seams between. */
	{ "希望社区尽快解决这个问题", "希望社区尽快解决我们的问题", UNRELATED },
	{ "电梯", "楼梯", UNRELATED },
	{ "", "", UNRELATED },
	{ "", "电梯", UNRELATED },
};

static likeness likeness_of(double s)
{
	if (s >= TEXT_DUPLICATE_THRESHOLD)
		return DUPLICATE;
	return s >= TEXT_SIMILAR_THRESHOLD ? SIMILAR : UNRELATED;
}

static void test_similarity(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(similarity_cases); i++) {
		const struct similarity_case *c = &similarity_cases[i];
		double ab = similarity_of(c->a, c->b), ba = similarity_of(c->b, c->a);
		assert_true(ab == ba);
		assert_true(ab >= 0.0 && ab <= 1.0);
		if (likeness_of(ab) != c->want)
			fail_msg("case %zu: similarity %.3f of \"%s\" and \"%s\"", i, ab, c->a, c->b);
	}
}

static void test_similarity_measures(void **state)
{
	(void)state;
	text_features a, b;
	text_features_init(&a);
	text_features_init(&b);
	/* a: 电梯 梯坏 (坏了 holds a particle); b: 电梯 梯坏 坏得 (得 is no particle) ... */
	assert_int_equal(text_features_build(&a, "电梯坏了", strlen("电梯坏了")), 0);
	assert_int_equal(text_features_build(&b, "电梯坏, 电梯修", strlen("电梯坏, 电梯修")), 0);
	/* a = {电梯, 梯坏}; b = {电梯, 梯坏, 梯修} */
	assert_int_equal(a.count, 2);
	assert_int_equal(b.count, 3);
	assert_int_equal(text_features_shared(&a, &b), 2);
	assert_true(text_containment(&a, &b) == 1.0);
	assert_true(text_jaccard(&a, &b) > 0.66 && text_jaccard(&a, &b) < 0.67);
	assert_true(text_similarity(&a, &b) > 0.81 && text_similarity(&a, &b) < 0.82);
	text_features_release(&a);
	text_features_release(&b);
}

static void test_features_isolated_characters(void **state)
{
	(void)state;
	/* "修 灯": two lone characters, each a feature; "灯" in "路灯" is not lone. */
	text_features a, b;
	text_features_init(&a);
	text_features_init(&b);
	assert_int_equal(text_features_build(&a, "修 灯", strlen("修 灯")), 0);
	assert_int_equal(text_features_build(&b, "路灯", strlen("路灯")), 0);
	assert_int_equal(a.count, 2);
	assert_int_equal(b.count, 1);
	assert_int_equal(text_features_shared(&a, &b), 0);
	text_features_release(&a);
	text_features_release(&b);
}

static const struct similar_query_case {
	const char *in;
	size_t max;
	const char *fts5;
	const char *tsquery;
} similar_query_cases[] = {
	{ "", 12, "", "" },
	{ "了吗", 12, "", "" },
	{ "3号楼电梯坏了", 12, "\"号楼\" OR \"楼电\" OR \"电梯\" OR \"梯坏\"",
	  "'号楼' | '楼电' | '电梯' | '梯坏'" },
	/* Stop bigrams and the seams next to them give way to real words. */
	{ "希望解决停车难", 12, "\"停车\" OR \"车难\"", "'停车' | '车难'" },
	/* At most max terms, spread over the text. */
	{ "门口停车晚上车位", 3, "\"门口\" OR \"车晚\" OR \"上车\"", "'门口' | '车晚' | '上车'" },
	{ "电梯电梯电梯", 12, "\"电梯\" OR \"梯电\"", "'电梯' | '梯电'" },
	{ "\" OR NEAR(", 12, "\"or\" OR \"near\"", "'or' | 'near'" },
};

static void test_similar_query(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(similar_query_cases); i++) {
		const struct similar_query_case *c = &similar_query_cases[i];
		text_buf f, t;
		text_buf_init(&f);
		text_buf_init(&t);
		assert_int_equal(text_similar_query_fts5(&f, c->in, strlen(c->in), c->max), 0);
		assert_int_equal(text_similar_query_tsquery(&t, c->in, strlen(c->in), c->max), 0);
		if (strcmp(f.data, c->fts5) != 0 || strcmp(t.data, c->tsquery) != 0)
			fail_msg("case %zu: got %s / %s", i, f.data, t.data);
		text_buf_release(&f);
		text_buf_release(&t);
	}
}

/* ---- Clustering ------------------------------------------------------- */

static void test_cluster(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"3号楼电梯经常坏，希望尽快维修",    /* 0 */
		"小区停车难，外来车辆占用车位",      /* 1 */
		"３号楼的电梯老是坏，希望尽快修理",  /* 2: like 0 */
		"路灯不亮",                          /* 3: alone */
		"外来车辆占用小区车位，停车太难了",  /* 4: like 1 */
		"3号楼电梯经常坏!!",                 /* 5: like 0 */
		"",                                  /* 6: nothing to compare */
		"",                                  /* 7 */
		"3号楼电梯经常坏，希望尽快维修。",  /* 8: same as 0 */
	};
	text_item items[COUNT(texts)];
	for (size_t i = 0; i < COUNT(texts); i++)
		items[i] = (text_item){ .id = (int64_t)i, .text = texts[i], .len = strlen(texts[i]) };
	text_clusters c;
	text_clusters_init(&c);
	assert_int_equal(text_cluster(items, COUNT(items), TEXT_DUPLICATE_THRESHOLD, &c), 0);
	static const size_t want_members[] = { 0, 2, 5, 8, 1, 4 };
	static const size_t want_start[] = { 0, 4, 6 };
	assert_int_equal(c.count, 2);
	for (size_t k = 0; k <= c.count; k++)
		assert_int_equal(c.start[k], want_start[k]);
	for (size_t i = 0; i < COUNT(want_members); i++)
		assert_int_equal(c.members[i], want_members[i]);
	/* Clustering again replaces the old result. */
	assert_int_equal(text_cluster(items, 2, TEXT_DUPLICATE_THRESHOLD, &c), 0);
	assert_int_equal(c.count, 0);
	assert_int_equal(text_cluster(NULL, 0, TEXT_DUPLICATE_THRESHOLD, &c), 0);
	assert_int_equal(c.count, 0);
	text_clusters_release(&c);
}

static void test_cluster_many_copies(void **state)
{
	(void)state;
	/* 500 copies of one short need: common features, still one cluster. */
	enum { N = 500 };
	text_item *items = calloc(N, sizeof(*items));
	assert_non_null(items);
	for (size_t i = 0; i < N; i++)
		items[i] = (text_item){ .id = (int64_t)i, .text = i % 2 ? "电梯坏了" : "电梯坏了！",
					.len = strlen(i % 2 ? "电梯坏了" : "电梯坏了！") };
	text_clusters c;
	text_clusters_init(&c);
	assert_int_equal(text_cluster(items, N, TEXT_DUPLICATE_THRESHOLD, &c), 0);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.start[1], N);
	text_clusters_release(&c);
	free(items);
}

/* ---- SQLite FTS5 with the gongzhi tokenizer --------------------------- */

static const struct need {
	int64_t id;
	const char *title, *body;
} needs[] = {
	{ 1, "3号楼电梯经常坏", "3号楼的电梯上个月坏了三次，老人上下楼很不方便，希望尽快维修。" },
	{ 2, "电动车充电桩不够", "小区里电动车越来越多，充电桩太少，很多人在楼道里充电，有安全隐患。" },
	{ 3, "楼梯间堆放杂物", "5号楼楼梯间堆满了杂物和电动车，消防通道被堵。" },
	{ 4, "小区停车难", "晚上回来找不到车位，外来车辆占用停车位，希望加强停车管理。" },
	{ 5, "加装电梯的费用分摊", "老旧小区加装电梯，低层住户不同意，费用怎么分摊？" },
	{ 6, "路灯不亮", "西门的路灯坏了一个月，晚上走路很黑。" },
	{ 7, "垃圾分类站异味大", "垃圾站夏天臭味很重，建议每天清洗两次。" },
	{ 8, "停车位被占", "消防通道上长期停车，占用了停车位和通道。" },
	{ 9, "WiFi覆盖活动中心", "社区活动中心没有WiFi，老年人学手机不方便。" },
	{ 10, "门禁系统故障", "门禁刷卡没反应，Elevator card也没用，电、梯都要刷卡。" },
	{ 11, "电梯又坏了", "3号楼电梯经常坏，3号楼电梯经常坏，真的受不了。" },
};

/* The statements the store is meant to run against its own tables. */
static const char create_sql[] =
	"CREATE VIRTUAL TABLE need_fts USING fts5(title, body, tokenize = 'gongzhi');";
static const char insert_sql[] = "INSERT INTO need_fts(rowid, title, body) VALUES (?1, ?2, ?3)";
static const char search_sql[] =
	"SELECT rowid FROM need_fts WHERE need_fts MATCH ?1 "
	"ORDER BY (title = ?2) DESC, bm25(need_fts, 10.0, 1.0) LIMIT ?3";
static const char similar_sql[] =
	"SELECT rowid, title, body FROM need_fts WHERE need_fts MATCH ?1 ORDER BY rank LIMIT ?2";

static sqlite3 *open_needs_db(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(fts5_tokenizer_register(db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, create_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *ins;
	assert_int_equal(sqlite3_prepare_v2(db, insert_sql, -1, &ins, NULL), SQLITE_OK);
	for (size_t i = 0; i < COUNT(needs); i++) {
		sqlite3_bind_int64(ins, 1, needs[i].id);
		sqlite3_bind_text(ins, 2, needs[i].title, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, needs[i].body, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return db;
}

/* Run the search for query; ids in rank order, -1 terminated, into ids[]. */
static size_t search(sqlite3 *db, const char *query, int64_t *ids, size_t max)
{
	text_buf expr;
	text_buf_init(&expr);
	assert_int_equal(text_query_fts5(&expr, query, strlen(query)), 0);
	size_t n = 0;
	if (expr.len > 0) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, search_sql, -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, expr.data, (int)expr.len, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, query, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)max);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			ids[n++] = sqlite3_column_int64(st, 0);
		if (rc != SQLITE_DONE)
			fail_msg("query %s (%s): %s", query, expr.data, sqlite3_errmsg(db));
		sqlite3_finalize(st);
	}
	text_buf_release(&expr);
	return n;
}

static int compare_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static const struct search_case {
	const char *query;
	int64_t want[12]; /* ids in ascending order, 0-terminated */
} search_cases[] = {
	{ "电梯", { 1, 5, 11 } },              /* not 3 or 10, where 电 and 梯 stand apart */
	{ "梯", { 1, 3, 5, 10, 11 } },
	{ "电", { 1, 2, 3, 5, 10, 11 } },
	{ "停车", { 4, 8 } },
	{ "停车位", { 4, 8 } },
	{ "车位", { 4, 8 } },
	{ "楼梯", { 3 } },
	{ "3号楼", { 1, 11 } },
	{ "３号楼", { 1, 11 } },
	{ "5号楼 杂物", { 3 } },
	{ "电梯 停车", { 0 } },
	{ "elevator", { 10 } },
	{ "ＥＬＥＶＡＴＯＲ", { 10 } },
	{ "wifi", { 9 } },
	{ "电梯经常坏", { 1, 11 } },
	{ "电梯经常坏了", { 0 } },
	{ "通道", { 3, 8 } },
	{ "", { 0 } },
	{ "！！！", { 0 } },
	/* Hostile input is searched for as text, and never is an SQL error. */
	{ "\" OR *", { 0 } },
	{ "NEAR(电梯", { 0 } },
	{ "电梯\" OR \"停车", { 0 } },
	{ "电梯*", { 1, 5, 11 } },
	{ "-电梯", { 1, 5, 11 } },
	{ "^电梯", { 1, 5, 11 } },
	{ "title:停车", { 0 } },
	{ "{title}:停车", { 0 } },
	{ "停车 NOT 通道", { 0 } },
	{ "\xFF\xFE停车\xC0", { 4, 8 } },
};

static void test_fts5_search(void **state)
{
	(void)state;
	sqlite3 *db = open_needs_db();
	for (size_t i = 0; i < COUNT(search_cases); i++) {
		const struct search_case *c = &search_cases[i];
		int64_t got[32];
		size_t n = search(db, c->query, got, COUNT(got));
		qsort(got, n, sizeof(got[0]), compare_id);
		size_t want_n = 0;
		while (want_n < COUNT(c->want) && c->want[want_n])
			want_n++;
		bool same = n == want_n;
		for (size_t k = 0; same && k < n; k++)
			same = got[k] == c->want[k];
		if (!same)
			fail_msg("search case %zu \"%s\": %zu results, first %lld", i, c->query, n,
				 n ? (long long)got[0] : 0LL);
	}
	sqlite3_close(db);
}

/* Every CJK substring of up to four characters of every need: the search
 * finds exactly the needs whose title or body contains it (after folding). */
static bool need_contains(const struct need *nd, const char *part)
{
	text_buf t, b;
	text_buf_init(&t);
	text_buf_init(&b);
	text_normalize(&t, nd->title, strlen(nd->title));
	text_normalize(&b, nd->body, strlen(nd->body));
	bool found = strstr(t.data, part) || strstr(b.data, part);
	text_buf_release(&t);
	text_buf_release(&b);
	return found;
}

static void check_substring_query(sqlite3 *db, const char *part)
{
	int64_t got[32];
	size_t n = search(db, part, got, COUNT(got));
	qsort(got, n, sizeof(got[0]), compare_id);
	size_t k = 0;
	for (size_t i = 0; i < COUNT(needs); i++) {
		if (!need_contains(&needs[i], part))
			continue;
		if (k >= n || got[k] != needs[i].id)
			fail_msg("query %s misses need %lld", part, (long long)needs[i].id);
		k++;
	}
	if (k != n)
		fail_msg("query %s finds %zu needs, want %zu", part, n, k);
}

static void test_fts5_search_matches_substrings(void **state)
{
	(void)state;
	sqlite3 *db = open_needs_db();
	size_t checked = 0;
	for (size_t i = 0; i < COUNT(needs); i++) {
		const char *texts[] = { needs[i].title, needs[i].body };
		for (size_t t = 0; t < 2; t++) {
			const char *s = texts[t];
			size_t len = strlen(s);
			/* CJK characters here are all 3 bytes: walk them by 3. */
			for (size_t at = 0; at + 3 <= len; at++) {
				for (size_t chars = 1; chars <= 4 && at + 3 * chars <= len; chars++) {
					char part[13];
					memcpy(part, s + at, 3 * chars);
					part[3 * chars] = '\0';
					bool cjk = true;
					for (size_t c = 0; c < chars && cjk; c++)
						cjk = (unsigned char)part[3 * c] >= 0xE4 && (unsigned char)part[3 * c] <= 0xE9;
					if (!cjk || !text_utf8_valid(part, 3 * chars))
						continue;
					check_substring_query(db, part);
					checked++;
				}
			}
		}
	}
	assert_true(checked > 500);
	sqlite3_close(db);
}

static void test_fts5_exact_title_first(void **state)
{
	(void)state;
	sqlite3 *db = open_needs_db();
	for (size_t i = 0; i < COUNT(needs); i++) {
		int64_t got[32];
		size_t n = search(db, needs[i].title, got, COUNT(got));
		if (n == 0 || got[0] != needs[i].id)
			fail_msg("title \"%s\" ranks need %lld first", needs[i].title, n ? (long long)got[0] : 0LL);
	}
	sqlite3_close(db);
}

static void test_fts5_delete_and_update(void **state)
{
	(void)state;
	sqlite3 *db = open_needs_db();
	assert_int_equal(sqlite3_exec(db, "DELETE FROM need_fts WHERE rowid = 1;"
					  "UPDATE need_fts SET title = '电梯费用' WHERE rowid = 7;",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO need_fts(need_fts) VALUES ('integrity-check');",
				      NULL, NULL, NULL), SQLITE_OK);
	int64_t got[32];
	size_t n = search(db, "电梯", got, COUNT(got));
	qsort(got, n, sizeof(got[0]), compare_id);
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 5);
	assert_int_equal(got[1], 7);
	assert_int_equal(got[2], 11);
	sqlite3_close(db);
}

static void test_fts5_similar_needs(void **state)
{
	(void)state;
	sqlite3 *db = open_needs_db();
	const char *draft = "３号楼的电梯老是坏，上下楼太不方便了";
	text_buf expr;
	text_buf_init(&expr);
	assert_int_equal(text_similar_query_fts5(&expr, draft, strlen(draft), TEXT_SIMILAR_TERMS), 0);
	text_features want, have;
	text_features_init(&want);
	text_features_init(&have);
	assert_int_equal(text_features_build(&want, draft, strlen(draft)), 0);

	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, similar_sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, expr.data, (int)expr.len, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, 50);
	int64_t best = 0;
	double best_score = -1.0;
	size_t candidates = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		text_buf doc;
		text_buf_init(&doc);
		text_buf_append_str(&doc, (const char *)sqlite3_column_text(st, 1));
		text_buf_append_str(&doc, "\n");
		text_buf_append_str(&doc, (const char *)sqlite3_column_text(st, 2));
		assert_int_equal(text_features_build(&have, doc.data, doc.len), 0);
		double score = text_similarity(&want, &have);
		if (score > best_score) {
			best_score = score;
			best = sqlite3_column_int64(st, 0);
		}
		candidates++;
		text_buf_release(&doc);
	}
	sqlite3_finalize(st);
	assert_true(candidates >= 2);
	assert_int_equal(best, 1);
	text_features_release(&want);
	text_features_release(&have);
	text_buf_release(&expr);
	sqlite3_close(db);
}

static void test_fts5_tokenizer_refuses_options(void **state)
{
	(void)state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(fts5_tokenizer_register(db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'gongzhi extra');",
					  NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_tokenize),
		cmocka_unit_test(test_tokenize_long_word_is_cut),
		cmocka_unit_test(test_tokenize_offsets),
		cmocka_unit_test(test_tokenize_stops_when_asked),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_query_builders),
		cmocka_unit_test(test_query_is_capped),
		cmocka_unit_test(test_fts5_quote),
		cmocka_unit_test(test_tsvector),
		cmocka_unit_test(test_tsvector_positions_are_capped),
		cmocka_unit_test(test_similarity),
		cmocka_unit_test(test_similarity_measures),
		cmocka_unit_test(test_features_isolated_characters),
		cmocka_unit_test(test_similar_query),
		cmocka_unit_test(test_cluster),
		cmocka_unit_test(test_cluster_many_copies),
		cmocka_unit_test(test_fts5_search),
		cmocka_unit_test(test_fts5_search_matches_substrings),
		cmocka_unit_test(test_fts5_exact_title_first),
		cmocka_unit_test(test_fts5_delete_and_update),
		cmocka_unit_test(test_fts5_similar_needs),
		cmocka_unit_test(test_fts5_tokenizer_refuses_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
