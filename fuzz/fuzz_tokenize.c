/*
 * libFuzzer harness for the text library.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Isrc fuzz/fuzz_tokenize.c \
 *         $(ls src/text/[a-z]*.c) -lm -o fuzz_tokenize
 *   ./fuzz_tokenize fuzz/corpus/tokenize
 *
 * Besides not crashing, every input must keep these promises:
 *   - tokens are 1..TEXT_TOKEN_MAX bytes of valid UTF-8, inside the input,
 *     with positions that never go back and never skip;
 *   - the normalized text tokenizes exactly like the input;
 *   - every builder's output is valid UTF-8, and an FTS5 expression is a
 *     sequence of well-formed quoted strings joined by spaces or " OR ".
 * The first line of the input is also clustered against the other lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* A running digest of a token stream, to compare two of them. */
typedef struct stream {
	size_t len;
	size_t count;
	uint64_t digest;
	uint32_t last_pos;
} stream;

static void digest(stream *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		s->digest = (s->digest ^ b[i]) * 0x100000001b3u;
}

static int check_token(void *ctx, const text_token *tok)
{
	stream *s = ctx;
	CHECK(tok->len >= 1 && tok->len <= TEXT_TOKEN_MAX);
	CHECK(text_utf8_valid(tok->text, tok->len));
	CHECK(tok->start < tok->end && tok->end <= s->len);
	if (s->count == 0) {
		CHECK(!tok->colocated && tok->pos == 0);
	} else if (tok->colocated) {
		CHECK(tok->pos == s->last_pos);
	} else {
		CHECK(tok->pos == s->last_pos + 1);
	}
	s->last_pos = tok->pos;
	s->count++;
	digest(s, tok->text, tok->len);
	digest(s, &tok->pos, sizeof(tok->pos));
	digest(s, &tok->colocated, sizeof(tok->colocated));
	return 0;
}

static stream token_stream(const char *s, size_t len, text_mode mode)
{
	stream st = { .len = len, .digest = 0xcbf29ce484222325u };
	CHECK(text_tokenize(s, len, mode, check_token, &st) == 0);
	return st;
}

static void check_same_tokens(const char *a, size_t alen, const char *b, size_t blen)
{
	for (int m = 0; m < 2; m++) {
		text_mode mode = m ? TEXT_MODE_QUERY : TEXT_MODE_DOCUMENT;
		stream x = token_stream(a, alen, mode), y = token_stream(b, blen, mode);
		CHECK(x.count == y.count && x.digest == y.digest);
	}
}

/* "..." strings joined by " " or " OR ", with inner quotes doubled. */
static void check_fts5_expression(const text_buf *b)
{
	const char *p = b->data, *end = b->data + b->len;
	while (p < end) {
		CHECK(*p++ == '"');
		for (;;) {
			CHECK(p < end);
			if (*p == '"' && p + 1 < end && p[1] == '"') {
				p += 2;
			} else if (*p++ == '"') {
				break;
			}
		}
		if (p == end)
			break;
		if (end - p >= 5 && memcmp(p, " OR \"", 5) == 0)
			p += 4;
		else
			CHECK(*p++ == ' ' && p < end && *p == '"');
	}
}

typedef int builder_fn(text_buf *out, const char *s, size_t len);

static void check_builder(builder_fn *fn, const char *s, size_t len, bool fts5)
{
	text_buf b;
	text_buf_init(&b);
	CHECK(fn(&b, s, len) == 0);
	CHECK(b.data[b.len] == '\0' && strlen(b.data) == b.len);
	CHECK(text_utf8_valid(b.data, b.len));
	if (fts5)
		check_fts5_expression(&b);
	text_buf_release(&b);
}

static int similar_fts5(text_buf *out, const char *s, size_t len)
{
	return text_similar_query_fts5(out, s, len, TEXT_SIMILAR_TERMS);
}

static int similar_tsquery(text_buf *out, const char *s, size_t len)
{
	return text_similar_query_tsquery(out, s, len, TEXT_SIMILAR_TERMS);
}

static void check_cluster(const char *s, size_t len)
{
	text_item items[16];
	size_t n = 0;
	for (const char *p = s, *end = s + len; p < end && n < 16;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		items[n] = (text_item){ .id = (int64_t)n, .text = p, .len = (size_t)(stop - p) };
		n++;
		p = stop + 1;
	}
	text_clusters c;
	text_clusters_init(&c);
	CHECK(text_cluster(items, n, TEXT_DUPLICATE_THRESHOLD, &c) == 0);
	for (size_t k = 0; k < c.count; k++) {
		CHECK(c.start[k + 1] - c.start[k] >= 2);
		for (size_t i = c.start[k]; i < c.start[k + 1]; i++)
			CHECK(c.members[i] < n && (i == c.start[k] || c.members[i] > c.members[i - 1]));
	}
	text_clusters_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	token_stream(s, size, TEXT_MODE_DOCUMENT);
	token_stream(s, size, TEXT_MODE_QUERY);

	text_buf norm;
	text_buf_init(&norm);
	CHECK(text_normalize(&norm, s, size) == 0);
	CHECK(text_utf8_valid(norm.data, norm.len));
	check_same_tokens(s, size, norm.data, norm.len);
	text_buf_release(&norm);

	check_builder(text_query_fts5, s, size, true);
	check_builder(text_query_tsquery, s, size, false);
	check_builder(text_tsvector, s, size, false);
	check_builder(similar_fts5, s, size, true);
	check_builder(similar_tsquery, s, size, false);

	text_features f;
	text_features_init(&f);
	CHECK(text_features_build(&f, s, size) == 0);
	CHECK(f.count == 0 || text_similarity(&f, &f) > 0.999);
	text_features_release(&f);

	check_cluster(s, size);
	return 0;
}
