/*
 * libFuzzer harness for the Pabulib .pb parser (src/tally/pb-parse.c).
 *
 * Besides not crashing: feeding the bytes in two chunks must give the same
 * answer as parsing them at once (the parser streams), and a file that
 * parses must survive the writer: its output parses again to an election of
 * the same size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

typedef struct sink {
	char *data;
	size_t len, cap;
} sink;

static int write_to_sink(void *ctx, const void *bytes, size_t len)
{
	sink *s = ctx;
	if (s->len + len > s->cap) {
		size_t cap = (s->len + len) * 2;
		char *grown = realloc(s->data, cap);
		if (!grown)
			return -1;
		s->data = grown;
		s->cap = cap;
	}
	memcpy(s->data + s->len, bytes, len);
	s->len += len;
	return 0;
}

static enum tally_error parse_in_two(const uint8_t *data, size_t size, struct tally_election *e)
{
	struct tally_pb_parser *p = tally_pb_parser_new(e);
	CHECK(p);
	size_t cut = size ? data[0] % (size + 1) : 0;
	enum tally_error rc = tally_pb_parser_feed(p, data, cut);
	if (rc == TALLY_OK)
		rc = tally_pb_parser_feed(p, data + cut, size - cut);
	if (rc == TALLY_OK)
		rc = tally_pb_parser_finish(p);
	tally_pb_parser_free(p);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally_election whole, chunked;
	tally_election_init(&whole, TALLY_VOTE_APPROVAL);
	tally_election_init(&chunked, TALLY_VOTE_APPROVAL);
	struct tally_diag diag;
	enum tally_error rc = tally_pb_parse(&whole, data, size, &diag);
	CHECK((rc == TALLY_OK) == (parse_in_two(data, size, &chunked) == TALLY_OK));
	if (rc == TALLY_OK) {
		CHECK(whole.n_projects == chunked.n_projects && whole.n_ballots == chunked.n_ballots);
		sink out = { 0 };
		if (tally_pb_write(&whole, write_to_sink, &out) == TALLY_OK) {
			struct tally_election again;
			tally_election_init(&again, TALLY_VOTE_APPROVAL);
			CHECK(tally_pb_parse(&again, out.data, out.len, NULL) == TALLY_OK);
			CHECK(again.n_projects == whole.n_projects && again.n_ballots == whole.n_ballots);
			tally_election_release(&again);
		}
		free(out.data);
	}
	tally_election_release(&whole);
	tally_election_release(&chunked);
	return 0;
}
