/*
 * Synthetic needs for the server benchmarks: titles, bodies and search
 * queries in the Chinese residents write, built from word lists.
 *
 * Every piece of text is a pure function of (seed, number): need number k
 * of seed s is the same whichever program asks and whenever, so a database
 * of 100,000 needs is the first 100,000 needs of the 1,000,000 one, and a
 * cached database can be extended instead of rebuilt.
 *
 * A need picks an issue (with its category), a place and a building, then
 * writes a title of 6 to 30 characters and a body of 20 to 400 characters
 * from sentences about the issue at that place, its duration, who suffers,
 * what was tried and what is wished.  Issues and places are finite, so the
 * same complaint recurs in many wordings: near-duplicates occur as they do
 * when a poster goes up in every building.
 */
#ifndef GZ_BENCH_NEEDS_TEXT_H
#define GZ_BENCH_NEEDS_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* A small counter-seeded generator (splitmix64). */
typedef struct bench_rng {
	uint64_t state;
} bench_rng;

/* The generator for item `k` of stream `seed`: independent of every other k. */
bench_rng bench_rng_for(uint64_t seed, uint64_t k);
uint64_t bench_rng_next(bench_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t bench_rng_below(bench_rng *r, uint32_t n);

#define BENCH_TITLE_MIN 6
#define BENCH_TITLE_MAX 30
#define BENCH_BODY_MIN 20
#define BENCH_BODY_MAX 400

/* One generated need's text, NUL-terminated in fixed buffers. */
typedef struct bench_need_text {
	char title[BENCH_TITLE_MAX * 4 + 1];
	char body[BENCH_BODY_MAX * 4 + 1];
	const char *category;   /* one of the default categories (src/domain/needs.c) */
	int building;           /* 1..12: the building named in the body, matching the demo's 1号楼..12号楼 */
	int issue;              /* which issue it is about, for tests of the generator */
} bench_need_text;

/* Writes need number k of `seed` into *out; `community` names the
 * residents' community in some openings ("我是望湖东里社区的居民"). */
void bench_need_text_make(uint64_t seed, uint64_t k, const char *community, bench_need_text *out);

/* Search query number k of `seed`: 1 to 4 Chinese characters, or a
 * phrase of two such parts separated by a space, taken from the words
 * needs are made of (so most queries find something and some find little).
 * Writes at most `cap` bytes including the NUL. */
void bench_query_make(uint64_t seed, uint64_t k, char *out, size_t cap);

/* What a resident has typed so far when the similar-needs box asks:
 * a fresh need's title, then the first 0 to 60 characters of its body. */
void bench_typing_make(uint64_t seed, uint64_t k, char *out, size_t cap);

/* Characters (code points) of a UTF-8 string. */
size_t bench_utf8_chars(const char *s);

#endif
