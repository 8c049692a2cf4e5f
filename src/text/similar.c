/*
 * Near-duplicate detection: feature sets, their similarity, and the FTS5 /
 * tsquery expression that fetches candidates for a draft need.
 *
 * Features are 64-bit FNV-1a hashes of tokens; with a few hundred features
 * per need, a collision changes a similarity by a fraction of a percent at
 * worst, which is far below what the threshold can tell apart.
 */
#include "text/scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bigrams nearly every need contains: they say nothing about what it is about.
 * Fixed-size entries (two 3-byte characters, no NUL) so the check below is a
 * 6-byte compare the compiler inlines: it runs for every bigram of every
 * candidate a similar-needs lookup ranks. */
#define STOP_BIGRAM_BYTES 6
static const char stop_bigrams[][STOP_BIGRAM_BYTES] = {
	"希望", "建议", "问题", "小区", "社区", "居民", "反映", "解决", "我们", "大家",
	"一下", "一个", "这个", "那个", "没有", "可以", "能否", "能够", "是否", "请求",
	"要求", "情况", "相关", "部门", "进行", "目前", "现在", "非常", "经常", "存在",
	"及时", "尽快", "处理", "什么", "怎么", "谢谢", "麻烦", "领导", "有关", "已经",
};

/* Sentence particles: a bigram holding one ("坏了", "的灯") is noise.
 * Fixed-size entries (one 3-byte character), as for stop_bigrams. */
#define PARTICLE_BYTES 3
static const char particles[][PARTICLE_BYTES] = {
	"的", "了", "吗", "呢", "吧", "啊", "呀", "嘛", "哦",
};

/* Common function characters: a bigram without any is a good search term. */
static const char function_chars[] =
	"的了吗呢吧啊呀嘛哦是在有和也就都而及与或把被让给对从向这那个些我你他她它们"
	"不没很太又还才会能要可以之于其等着过得地一";

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t hash_token(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static bool is_stop_bigram(const char *s, size_t len)
{
	if (len != STOP_BIGRAM_BYTES)
		return false;
	for (size_t i = 0; i < COUNT(stop_bigrams); i++)
		if (memcmp(stop_bigrams[i], s, STOP_BIGRAM_BYTES) == 0)
			return true;
	return false;
}

/* True if the character c is one of the characters of the UTF-8 string list. */
static bool char_in(const char *c, size_t clen, const char *list, size_t listlen)
{
	for (size_t at = 0; at < listlen;) {
		uint32_t cp;
		size_t n = text_utf8_decode(list + at, listlen - at, &cp);
		if (n == clen && memcmp(list + at, c, n) == 0)
			return true;
		at += n;
	}
	return false;
}

/* True if the unigram or bigram s is or holds a particle. */
static bool holds_particle(const char *s, size_t len)
{
	uint32_t cp;
	size_t first = text_utf8_decode(s, len, &cp);
	for (size_t i = 0; i < COUNT(particles); i++)
		if ((first == PARTICLE_BYTES && memcmp(s, particles[i], PARTICLE_BYTES) == 0) ||
		    (len - first == PARTICLE_BYTES && memcmp(s + first, particles[i], PARTICLE_BYTES) == 0))
			return true;
	return false;
}

/* ---- Feature sets ---------------------------------------------------- */

void text_features_init(text_features *f)
{
	f->hash = NULL;
	f->count = 0;
	f->cap = 0;
}

void text_features_release(text_features *f)
{
	free(f->hash);
	text_features_init(f);
}

static int features_add(text_features *f, uint64_t h)
{
	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		uint64_t *p = realloc(f->hash, cap * sizeof(*p));
		if (!p)
			return -1;
		f->hash = p;
		f->cap = cap;
	}
	f->hash[f->count++] = h;
	return 0;
}

/*
 * Collects features while tokenizing.  Two kinds of feature wait for the
 * next token before they count:
 *   - a unigram, until it is clear that no bigram starts at it;
 *   - a bigram, until it is clear that the next one is no stop bigram: in
 *     希望社区 both 希望 and 社区 are stop bigrams, and 望社 is only a seam
 *     between them, which two needs share without being about one thing.
 */
typedef struct feature_collector {
	text_features *f;
	bool unigram_waits;
	uint64_t unigram_hash;
	bool bigram_waits;
	uint64_t bigram_hash;
	uint32_t bigram_pos;
	bool seen_bigram;        /* last_bigram_pos and last_stop_pos below are set */
	uint32_t last_bigram_pos; /* of any bigram, noise included */
	bool seen_stop;
	uint32_t last_stop_pos;
} feature_collector;

static int flush_unigram(feature_collector *c)
{
	int rc = c->unigram_waits ? features_add(c->f, c->unigram_hash) : 0;
	c->unigram_waits = false;
	return rc;
}

static int flush_bigram(feature_collector *c)
{
	int rc = c->bigram_waits ? features_add(c->f, c->bigram_hash) : 0;
	c->bigram_waits = false;
	return rc;
}

static int collect_bigram(feature_collector *c, const text_token *tok)
{
	c->unigram_waits = false; /* that unigram starts this bigram */
	c->seen_bigram = true;
	c->last_bigram_pos = tok->pos;
	if (is_stop_bigram(tok->text, tok->len)) {
		if (c->bigram_waits && c->bigram_pos + 1 == tok->pos)
			c->bigram_waits = false; /* a seam before a stop bigram */
		c->seen_stop = true;
		c->last_stop_pos = tok->pos;
		return 0;
	}
	if (flush_bigram(c))
		return -1;
	bool seam = c->seen_stop && c->last_stop_pos + 1 == tok->pos;
	if (seam || holds_particle(tok->text, tok->len))
		return 0;
	c->bigram_waits = true;
	c->bigram_hash = hash_token(tok->text, tok->len);
	c->bigram_pos = tok->pos;
	return 0;
}

static int collect_feature(void *ctx, const text_token *tok)
{
	feature_collector *c = ctx;
	if (tok->kind == TEXT_TOKEN_BIGRAM)
		return collect_bigram(c, tok);
	if (flush_unigram(c))
		return -1;
	if (tok->kind == TEXT_TOKEN_WORD)
		return features_add(c->f, hash_token(tok->text, tok->len));
	bool ends_bigram = c->seen_bigram && c->last_bigram_pos + 1 == tok->pos;
	if (!ends_bigram && !holds_particle(tok->text, tok->len)) {
		c->unigram_waits = true;
		c->unigram_hash = hash_token(tok->text, tok->len);
	}
	return 0;
}

/*
 * Sorts n hashes ascending.  Quicksort on the values themselves, insertion
 * sort below 16: a similar-needs lookup builds the features of hundreds of
 * candidates, and qsort's call per comparison was a third of its time.
 */
static void sort_hashes(uint64_t *v, size_t n)
{
	while (n > 16) {
		uint64_t a = v[0], b = v[n / 2], c = v[n - 1];
		uint64_t pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = 0, j = n - 1;
		for (;;) {   /* Hoare partition: v[0..j] <= pivot <= v[j+1..n) */
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			uint64_t t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		/* Recurse into the smaller side, loop on the larger: depth stays log n. */
		if (j + 1 < n - j - 1) {
			sort_hashes(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_hashes(v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t k = i;
		for (; k > 0 && v[k - 1] > x; k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

static void sort_unique(text_features *f)
{
	if (f->count < 2)
		return;
	sort_hashes(f->hash, f->count);
	size_t kept = 1;
	for (size_t i = 1; i < f->count; i++)
		if (f->hash[i] != f->hash[kept - 1])
			f->hash[kept++] = f->hash[i];
	f->count = kept;
}

int text_features_build(text_features *f, const char *s, size_t len)
{
	feature_collector c = { .f = f };
	f->count = 0;
	int rc = text_tokenize(s, len, TEXT_MODE_DOCUMENT, collect_feature, &c);
	if (!rc)
		rc = flush_unigram(&c) || flush_bigram(&c) ? -1 : 0;
	if (rc) {
		f->count = 0;
		return -1;
	}
	sort_unique(f);
	return 0;
}

size_t text_features_shared(const text_features *a, const text_features *b)
{
	size_t i = 0, j = 0, shared = 0;
	while (i < a->count && j < b->count) {
		if (a->hash[i] < b->hash[j]) {
			i++;
		} else if (a->hash[i] > b->hash[j]) {
			j++;
		} else {
			shared++;
			i++;
			j++;
		}
	}
	return shared;
}

double text_similarity(const text_features *a, const text_features *b)
{
	if (!a->count || !b->count)
		return 0.0;
	return (double)text_features_shared(a, b) / sqrt((double)a->count * (double)b->count);
}

double text_containment(const text_features *a, const text_features *b)
{
	if (!a->count)
		return 0.0;
	return (double)text_features_shared(a, b) / (double)a->count;
}

double text_jaccard(const text_features *a, const text_features *b)
{
	size_t shared = text_features_shared(a, b);
	size_t all = a->count + b->count - shared;
	return all ? (double)shared / (double)all : 0.0;
}

/* ---- Candidate lookup ---------------------------------------------- */

/*
 * Terms are ranked without corpus statistics, by what makes a bigram a
 * likely word rather than the seam between two words:
 *   2  a bigram of two content characters, or a word with a letter in it;
 *   1  a bigram with one function character ("不亮");
 *   0  the rest: bare numbers, two function characters, and seams that
 *      overlap a stop bigram ("希望社区" gives 望社, which is no word).
 * FTS5's bm25 then weighs the chosen terms by how rare they really are.
 */

/* Only the start of a long text is scanned for terms: the title and first
 * sentences say what a need is about, and the cost stays bounded. */
#define TERMS_SCANNED 512

/* Below this many best terms, second-best ones are added too. */
#define TERMS_ENOUGH 4

typedef struct term {
	size_t off, len;  /* in the collector's text buffer */
	uint64_t hash;
	uint32_t pos;     /* token position in the text */
	bool bigram;
	bool stop;        /* a stop bigram: never a term, but marks its neighbours */
	int score;        /* 0..2, see above */
} term;

typedef struct term_collector {
	term *terms;      /* TERMS_SCANNED slots, in text order */
	size_t count;
	text_buf text;    /* the terms' bytes, back to back */
} term_collector;

static bool is_strong_word(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return len >= 2;
	return false; /* a bare number like 3 or 2024 matches too much */
}

static int initial_score(const text_token *tok)
{
	if (tok->kind == TEXT_TOKEN_WORD)
		return is_strong_word(tok->text, tok->len) ? 2 : 0;
	uint32_t cp;
	size_t first = text_utf8_decode(tok->text, tok->len, &cp);
	const size_t nfunc = sizeof(function_chars) - 1;
	int score = 2;
	score -= char_in(tok->text, first, function_chars, nfunc);
	score -= char_in(tok->text + first, tok->len - first, function_chars, nfunc);
	return score;
}

static int collect_term(void *ctx, const text_token *tok)
{
	term_collector *c = ctx;
	if (c->count == TERMS_SCANNED)
		return 1; /* enough: stop tokenizing */
	if (tok->kind == TEXT_TOKEN_UNIGRAM)
		return 0; /* a single character matches far too many needs */
	bool bigram = tok->kind == TEXT_TOKEN_BIGRAM;
	if (bigram && holds_particle(tok->text, tok->len))
		return 0;
	c->terms[c->count++] = (term){
		.off = c->text.len, .len = tok->len, .hash = hash_token(tok->text, tok->len),
		.pos = tok->pos, .bigram = bigram, .stop = bigram && is_stop_bigram(tok->text, tok->len),
		.score = initial_score(tok),
	};
	text_buf_append(&c->text, tok->text, tok->len);
	return 0;
}

static bool overlaps_stop(const term *a, const term *b)
{
	return a->bigram && b->bigram && b->stop && (a->pos + 1 == b->pos || b->pos + 1 == a->pos);
}

/* Demote seams next to stop bigrams; drop stop bigrams and repeats (score -1). */
static void settle_scores(term_collector *c)
{
	for (size_t i = 0; i < c->count; i++) {
		term *t = &c->terms[i];
		bool seam = (i > 0 && overlaps_stop(t, &c->terms[i - 1])) ||
			    (i + 1 < c->count && overlaps_stop(t, &c->terms[i + 1]));
		if (seam)
			t->score = 0;
	}
	for (size_t i = 0; i < c->count; i++) {
		term *t = &c->terms[i];
		bool repeat = false;
		for (size_t j = 0; j < i && !repeat; j++)
			repeat = c->terms[j].hash == t->hash;
		if (t->stop || repeat)
			t->score = -1;
	}
}

typedef void term_writer(text_buf *out, const char *s, size_t len, bool first);

/* Write up to max of the terms with the given score, evenly spread over the text. */
static size_t write_spread(text_buf *out, const term_collector *c, int score, size_t max,
			   bool first, term_writer *write)
{
	size_t n = 0;
	for (size_t i = 0; i < c->count; i++)
		n += c->terms[i].score == score;
	size_t take = n < max ? n : max;
	size_t written = 0;
	for (size_t i = 0, rank = 0; i < c->count && written < take; i++) {
		if (c->terms[i].score != score)
			continue;
		/* Pick number k is the first term at or past k * n / take. */
		if (rank++ * take >= written * n) {
			write(out, c->text.data + c->terms[i].off, c->terms[i].len, first && written == 0);
			written++;
		}
	}
	return written;
}

static void write_terms(text_buf *out, const term_collector *c, size_t max_terms, term_writer *write)
{
	size_t written = write_spread(out, c, 2, max_terms, true, write);
	if (written < TERMS_ENOUGH)
		written += write_spread(out, c, 1, max_terms - written, written == 0, write);
	if (written == 0)
		write_spread(out, c, 0, max_terms, true, write);
}

static int similar_query(text_buf *out, const char *s, size_t len, size_t max_terms, term_writer *write)
{
	term_collector c = { .count = 0 };
	text_buf_init(&c.text);
	c.terms = malloc(TERMS_SCANNED * sizeof(*c.terms));
	if (!c.terms)
		return -1;
	text_tokenize(s, len, TEXT_MODE_DOCUMENT, collect_term, &c);
	int rc = c.text.failed ? -1 : 0;
	if (!rc) {
		settle_scores(&c);
		write_terms(out, &c, max_terms, write);
	}
	free(c.terms);
	text_buf_release(&c.text);
	return (rc || out->failed) ? -1 : 0;
}

static void write_fts5_term(text_buf *out, const char *s, size_t len, bool first)
{
	if (!first)
		text_buf_append(out, " OR ", 4);
	text_fts5_quote(out, s, len);
}

static void write_tsquery_term(text_buf *out, const char *s, size_t len, bool first)
{
	if (!first)
		text_buf_append(out, " | ", 3);
	tsquery_lexeme(out, s, len);
}

int text_similar_query_fts5(text_buf *out, const char *s, size_t len, size_t max_terms)
{
	return similar_query(out, s, len, max_terms, write_fts5_term);
}

int text_similar_query_tsquery(text_buf *out, const char *s, size_t len, size_t max_terms)
{
	return similar_query(out, s, len, max_terms, write_tsquery_term);
}
