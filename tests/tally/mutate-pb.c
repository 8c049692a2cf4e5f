/*
 * mutate-pb.c - mutation test of the .pb parser: real files with a bounded
 * number of random byte mutations (seeded, so a failure can be replayed),
 * fed in random chunk sizes. The parser must either parse or report an
 * error with a reason - never crash (run under ASan/UBSan). Whatever
 * parses is also counted and written back, so the rules and the writer see
 * odd input too.
 *
 * usage: mutate-pb PABULIB_DIR [SEED [ROUNDS]]
 */
#include "tally/tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_LIMIT (48 * 1024)  /* larger files are cut: enough structure, quick runs */
#define MAX_MUTATIONS 12

static const char *const instances[] = {
	"Poland_Warszawa_2018_Pole_Mokotowskie.pb",
	"Worldwide_Mechanical_Turk_Utilities_8.pb",
	"Netherlands_Assen_2024.pb",
	"Switzerland_Zurich_S5R.pb",
	"Switzerland_Zurich_D10.pb",
	"Poland_Wieliczka_2023_Green_Budget.pb",
	"Poland_Wroclaw_2015_150_-_500.pb",
};

static uint64_t rng_state;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return bound ? (uint32_t)(rng_state % bound) : 0;
}

/* Bytes that matter to the format, so mutations hit its structure often. */
static const char special[] = ";\"\n\r,.0123456789 \t\0\xef\xbb\xbf-eE";

static size_t mutate(char *buf, size_t len, size_t cap)
{
	int n = 1 + (int)rng(MAX_MUTATIONS);
	for (int i = 0; i < n && len > 0; i++) {
		size_t at = rng((uint32_t)len);
		switch (rng(5)) {
		case 0: /* replace with any byte */
			buf[at] = (char)rng(256);
			break;
		case 1: /* replace with a structural byte */
			buf[at] = special[rng(sizeof(special) - 1)];
			break;
		case 2: /* delete a run */
		{
			size_t run = 1 + rng(8);
			if (at + run > len)
				run = len - at;
			memmove(buf + at, buf + at + run, len - at - run);
			len -= run;
			break;
		}
		case 3: /* insert a structural byte */
			if (len < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = special[rng(sizeof(special) - 1)];
				len++;
			}
			break;
		default: /* duplicate a chunk somewhere else */
		{
			size_t run = 1 + rng(64), to = rng((uint32_t)len);
			if (at + run > len)
				run = len - at;
			if (len + run <= cap) {
				memmove(buf + to + run, buf + to, len - to);
				memmove(buf + to, buf + (at < to ? at : at + run), run);
				len += run;
			}
			break;
		}
		}
	}
	return len;
}

static int discard(void *ctx, const void *data, size_t len)
{
	(void)data;
	*(size_t *)ctx += len;
	return 0;
}

/* Parses buf in random chunks; returns 1 if it parsed, 0 if it reported an error, -1 on a broken report. */
static int feed_one(const char *buf, size_t len)
{
	struct tally_election e;
	tally_election_init(&e, TALLY_VOTE_APPROVAL);
	struct tally_pb_parser *p = tally_pb_parser_new(&e);
	enum tally_error err = TALLY_OK;
	for (size_t off = 0; off < len && !err;) {
		size_t n = 1 + rng(4096);
		if (n > len - off)
			n = len - off;
		err = tally_pb_parser_feed(p, buf + off, n);
		off += n;
	}
	if (!err)
		err = tally_pb_parser_finish(p);
	const struct tally_diag *d = tally_pb_parser_diag(p);
	int verdict = err ? 0 : 1;
	if (err && (d->code != err || d->reason[0] == '\0' || err >= TALLY_ERR__MAX))
		verdict = -1;
	if (verdict == 1) {
		static const enum tally_rule rules[] = { TALLY_RULE_GREEDY_COST, TALLY_RULE_MES_COST,
			                                 TALLY_RULE_MES_SCORE, TALLY_RULE_PHRAGMEN,
			                                 TALLY_RULE_SCHULZE, TALLY_RULE_APPROVAL };
		struct tally_result r;
		struct tally_options opt;
		tally_options_init(&opt);
		opt.explain = rng(2);
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
			tally_result_init(&r);
			(void)tally_run(&e, rules[i], &opt, &r); /* any error code is fine, a crash is not */
			tally_result_release(&r);
		}
		size_t written = 0;
		(void)tally_pb_write(&e, discard, &written);
	}
	tally_pb_parser_free(p);
	tally_election_release(&e);
	return verdict;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mutate-pb PABULIB_DIR [SEED [ROUNDS]]\n");
		return 2;
	}
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20240601;
	int rounds = argc > 3 ? atoi(argv[3]) : 300;
	char *original = malloc(INPUT_LIMIT), *work = malloc(INPUT_LIMIT * 2);
	int parsed = 0, rejected = 0, broken = 0;
	for (size_t f = 0; f < sizeof(instances) / sizeof(instances[0]); f++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/instances/%s", argv[1], instances[f]);
		FILE *in = fopen(path, "rb");
		if (!in) {
			fprintf(stderr, "cannot open %s\n", path);
			return 2;
		}
		size_t len = fread(original, 1, INPUT_LIMIT, in);
		fclose(in);
		for (int r = 0; r < rounds; r++) {
			rng_state = (seed ^ (f * 0x9e3779b97f4a7c15ULL)) + (uint64_t)r * 0x2545f4914f6cdd1dULL + 1;
			memcpy(work, original, len);
			size_t n = mutate(work, len, INPUT_LIMIT * 2);
			int v = feed_one(work, n);
			if (v < 0) {
				fprintf(stderr, "broken error report: %s round %d (seed %llu)\n", instances[f], r,
				        (unsigned long long)seed);
				broken++;
			}
			parsed += v == 1;
			rejected += v == 0;
		}
	}
	printf("mutations: %d parsed, %d rejected with a reason, %d broken\n", parsed, rejected, broken);
	free(original);
	free(work);
	return broken ? 1 : 0;
}
