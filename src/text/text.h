/*
 * text: Chinese-aware tokenizing, search queries and near-duplicate detection.
 *
 * Pure library: libc only, no I/O, no database.  The same tokens feed the
 * SQLite FTS5 index (through src/store/fts5-tokenizer.c) and, as tsvector and
 * tsquery literals, a PostgreSQL GIN index, so both backends find the same
 * needs for the same query.
 *
 * Tokens.  Input is UTF-8; invalid bytes act as separators and never stop
 * the scan.  Text is folded first: full-width ASCII to half-width, the
 * ideographic space to a space, ASCII and Latin-1 letters to lower case;
 * zero-width characters, variation selectors and the soft hyphen are dropped.
 * Then it is cut into elements:
 *   - a CJK character (Han, kana, hangul) is an element on its own;
 *   - a run of other letters and digits is a word element (capped at
 *     TEXT_TOKEN_MAX bytes; the rest of an overlong word is dropped);
 *   - whitespace, punctuation, symbols and emoji separate elements.
 * Every element takes one position, counting from 0.
 *
 * Document mode (what is indexed): a word gives the word; a CJK character
 * gives its unigram and, at the same position (colocated), the bigram it
 * forms with the next CJK character when no separator lies between them.
 *   "3号楼电梯，坏了" -> 3@0 号@1 号楼@1 楼@2 楼电@2 电@3 电梯@3 梯@4 坏@5 坏了@5 了@6
 *
 * Query mode (what a quoted query string becomes; all tokens form a phrase):
 * a run of one CJK character gives its unigram; a run of n >= 2 gives its
 * n-1 bigrams at consecutive positions, plus the unigram of its last
 * character when more elements follow, so the positions of what follows
 * still line up with document positions.  Hence a query matches exactly the
 * documents that contain it as a substring (after folding, and ignoring
 * separators between elements): 电梯 matches "电梯坏了" but not "电动楼梯",
 * and 梯 alone matches both.
 *
 * Memory.  Tokens handed to callbacks live in the tokenizer's own stack
 * buffers and are valid only during the callback: no allocation per token.
 * Builders append to a text_buf owned by the caller (text_buf_init before,
 * text_buf_release after); text_features and text_clusters follow the same
 * init/release pattern.  Functions that allocate return 0 on success and -1
 * when memory runs out.
 */
#ifndef GZ_TEXT_TEXT_H
#define GZ_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest token in bytes: a word is cut here (at a character boundary). */
#define TEXT_TOKEN_MAX 64

/* Query builders use at most this many elements of a user query, so a
 * pasted essay cannot make one search arbitrarily slow. */
#define TEXT_QUERY_MAX_ELEMENTS 64

/* PostgreSQL keeps word positions in 14 bits (1..16383). */
#define TEXT_TSVECTOR_MAX_POS 16383

/* ---- UTF-8 ---------------------------------------------------------- */

/* Returned by text_utf8_decode for a byte that starts no valid sequence. */
#define TEXT_UTF8_INVALID 0xFFFFFFFFu

/*
 * Decode one code point from s[0..len) (len >= 1) into *cp and return the
 * number of bytes it takes.  Overlong forms, surrogates, values above
 * U+10FFFF and truncated sequences give *cp = TEXT_UTF8_INVALID and 1, so a
 * caller stepping by the return value always advances.
 */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* True if s[0..len) is well-formed UTF-8 (an empty string is). */
bool text_utf8_valid(const char *s, size_t len);

/* ---- Growable string ------------------------------------------------ */

/*
 * A byte string being built.  data is never NULL and always NUL-terminated.
 * After an allocation failure the buffer is marked failed, later appends do
 * nothing, and the builder that hit it returns -1: check once at the end.
 */
typedef struct text_buf {
	char *data;  /* len bytes plus a NUL; a static "" until the first growth */
	size_t len;  /* bytes used, excluding the NUL */
	size_t cap;  /* bytes allocated; 0 while data is the static "" */
	bool failed; /* an allocation failed; contents are incomplete */
} text_buf;

void text_buf_init(text_buf *b);
/* Frees the memory and leaves b initialised and empty. */
void text_buf_release(text_buf *b);
/* Empties b, keeping its memory (and clearing failed). */
void text_buf_reset(text_buf *b);
void text_buf_append(text_buf *b, const char *s, size_t len);
void text_buf_append_str(text_buf *b, const char *s);

/* ---- Tokenizer ------------------------------------------------------ */

typedef enum text_mode {
	TEXT_MODE_DOCUMENT, /* text being indexed or compared */
	TEXT_MODE_QUERY,    /* one quoted query string: tokens form a phrase */
} text_mode;

typedef enum text_token_kind {
	TEXT_TOKEN_WORD,    /* a folded run of letters and digits */
	TEXT_TOKEN_UNIGRAM, /* one CJK character */
	TEXT_TOKEN_BIGRAM,  /* two adjacent CJK characters */
} text_token_kind;

typedef struct text_token {
	const char *text;     /* folded bytes, not NUL-terminated; valid during the callback */
	size_t len;           /* 1..TEXT_TOKEN_MAX */
	size_t start, end;    /* byte range of the input it comes from */
	uint32_t pos;         /* element position, from 0 */
	text_token_kind kind;
	bool colocated;       /* same position as the previous token (document-mode bigram) */
} text_token;

/* Return 0 to go on; anything else stops text_tokenize, which returns it. */
typedef int text_token_fn(void *ctx, const text_token *tok);

/*
 * Call fn for every token of s[0..len), in order (see the top of this file
 * for what each mode emits).  Returns 0, or the first non-zero value fn
 * returned.  Never allocates.
 */
int text_tokenize(const char *s, size_t len, text_mode mode, text_token_fn *fn, void *ctx);

/*
 * Append the folded form of s to out: elements in order, those with a
 * separator between them joined by one space, nothing else.  Tokenizing the
 * result gives the same tokens as tokenizing s.  "  ３号楼 电梯!!" -> "3号楼 电梯"
 */
int text_normalize(text_buf *out, const char *s, size_t len);

/* ---- Search queries ------------------------------------------------- */

/*
 * A user's search box text becomes parts: maximal runs of elements with no
 * separator between them ("3号楼电梯 停车" has two parts).  A document
 * matches when it contains every part as a substring (in the sense above).
 * Only the first TEXT_QUERY_MAX_ELEMENTS elements are used.  When the query
 * has no searchable text, the builders append nothing: run no search and
 * show no results.
 */

/*
 * How the store uses these (bound parameters only; E is the builder's output):
 *
 * SQLite, table need_fts USING fts5(title, body, scope, tokenize = 'gongzhi'),
 * scope holding words such as "s12 c345" (street and community keys):
 *   search:   ... WHERE need_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1001,
 *             then of those (title = ?2) DESC, title hits first, newest first
 *             ?1 = '{title body} : (' E ')' built in C, ?2 = the raw query
 *             (bm25() is not used: it counts every match of every phrase)
 *   similar:  ... WHERE need_fts MATCH ?1 ORDER BY rowid DESC LIMIT 500, then
 *             text_similarity on each row, keep >= TEXT_SIMILAR_THRESHOLD, top 5
 * PostgreSQL, needs.search tsvector with a GIN index:
 *   write:    search = $n::tsvector with text_tsvector(title + "\n" + body)
 *   search:   WHERE search @@ $1::tsquery ORDER BY (title = $2) DESC,
 *             ts_rank(search, $1::tsquery) DESC LIMIT $3
 * Scoping by street or community keeps ranking cheap: ranking sorts every
 * match, and a one-character query matches a large share of all needs.
 */

/*
 * Append an FTS5 MATCH expression for the query to out: each part as a
 * double-quoted string, the parts separated by spaces (implicit AND):
 * 电梯 停车 -> "电梯" "停车".  All user text is inside quotes, and quotes are
 * doubled, so no FTS5 syntax (OR, NEAR, *, ^, column filters) can get in.
 * The table's tokenizer must be "gongzhi".  The result is a self-contained
 * expression that may be wrapped in parentheses and combined.
 */
int text_query_fts5(text_buf *out, const char *query, size_t len);

/*
 * Append a PostgreSQL tsquery literal for the query: the query-mode tokens
 * of a part joined by <->, parts joined by &:
 * 电梯坏 停车 -> '电梯' <-> '梯坏' & '停车'.  Use as $1::tsquery.
 */
int text_query_tsquery(text_buf *out, const char *query, size_t len);

/*
 * Append a PostgreSQL tsvector literal of a document's tokens, positions
 * counted from 1 and capped at TEXT_TSVECTOR_MAX_POS: 电梯 -> '电':1 '电梯':1 '梯':2.
 * Use as $1::tsvector (not to_tsvector, whose parser would re-split it).
 * Lexemes may repeat; PostgreSQL merges them on input.
 */
int text_tsvector(text_buf *out, const char *doc, size_t len);

/* Append s as one FTS5 string: "..." with any " doubled. */
void text_fts5_quote(text_buf *out, const char *s, size_t len);

/* ---- Similarity ----------------------------------------------------- */

/*
 * The features of a text: hashes of its CJK bigrams, its words and its
 * isolated CJK characters (those in no bigram), leaving out a short list of
 * bigrams common to every need (希望, 小区, 问题, ...), the seams next to
 * them (望社 in 希望社区) and bigrams with a particle (的, 了, 吗, ...).
 * A sorted set without duplicates.
 */
typedef struct text_features {
	uint64_t *hash; /* count sorted, distinct hashes; NULL while cap is 0 */
	size_t count;
	size_t cap;
} text_features;

void text_features_init(text_features *f);
void text_features_release(text_features *f);
/* Replace f's contents with the features of s[0..len). */
int text_features_build(text_features *f, const char *s, size_t len);

/* |A ∩ B|. */
size_t text_features_shared(const text_features *a, const text_features *b);

/*
 * Similarity in [0, 1]: |A ∩ B| / sqrt(|A| |B|) (the Ochiai coefficient),
 * 0 when either set is empty.  Symmetric; unlike Jaccard it does not punish
 * a short draft for being short.
 */
double text_similarity(const text_features *a, const text_features *b);

/* Share of a's features that b also has: |A ∩ B| / |A|, 0 if A is empty. */
double text_containment(const text_features *a, const text_features *b);

/* Jaccard index |A ∩ B| / |A ∪ B|, 0 if both are empty. */
double text_jaccard(const text_features *a, const text_features *b);

/* Similarity at or above which two needs count as near-duplicates
 * (what text_cluster is meant to be called with). */
#define TEXT_DUPLICATE_THRESHOLD 0.5

/* Similarity at or above which a need is worth showing to a resident as
 * perhaps already raised: lower, since a person looks at the list. */
#define TEXT_SIMILAR_THRESHOLD 0.3

/* Terms used to look up candidates for similar needs. */
#define TEXT_SIMILAR_TERMS 12

/*
 * Append an FTS5 expression that matches any document sharing one of the
 * most distinctive terms of s (at most max_terms of them, spread over the
 * text): "电梯" OR "梯坏" OR ...  Appends nothing when s has no usable
 * term.  Candidates found this way are then ranked with text_similarity.
 */
int text_similar_query_fts5(text_buf *out, const char *s, size_t len, size_t max_terms);

/* The same terms as a PostgreSQL tsquery literal: '电梯' | '梯坏' | ... */
int text_similar_query_tsquery(text_buf *out, const char *s, size_t len, size_t max_terms);

/* ---- Clustering ----------------------------------------------------- */

typedef struct text_item {
	int64_t id;       /* the caller's key, copied into no output */
	const char *text; /* borrowed for the call */
	size_t len;
} text_item;

/*
 * Groups of near-duplicates.  Cluster k is members[start[k] .. start[k+1]),
 * indices into the caller's item array, ascending; clusters are ordered by
 * their first member.  Items with no near-duplicate appear in no cluster.
 */
typedef struct text_clusters {
	size_t *members; /* item indices, grouped by cluster */
	size_t *start;   /* count + 1 offsets into members */
	size_t count;    /* number of clusters (each has at least 2 members) */
} text_clusters;

void text_clusters_init(text_clusters *c);
void text_clusters_release(text_clusters *c);

/*
 * Link every two items whose text_similarity is at least threshold and
 * put linked items in one cluster (single linkage, with union-find).
 * Pairs are found through shared features, so the cost follows the number
 * of similar pairs rather than n squared; a feature held by very many items
 * does not on its own make two items candidates.  Replaces out's contents.
 */
int text_cluster(const text_item *items, size_t n, double threshold, text_clusters *out);

#endif
