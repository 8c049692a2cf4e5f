/*
 * pb-write.c - exports a ballot set as a Pabulib .pb file, so that anyone
 * can recount it with another tool (pabutools, spec_check.py, ...).
 *
 * Output goes through the caller's write callback in blocks of up to 64 KiB.
 * Fields that hold ';', '"', a line break or outer spaces are quoted.
 * Values are exact: costs, budget and points are written as the decimals
 * they are (a value with no finite decimal form is refused).
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pb_out {
	tally_write_fn write;
	void *ctx;
	enum tally_error err;   /* sticky: after a failure nothing more is written */
	size_t len;
	char buf[1 << 16];
};

static void out_flush(struct pb_out *o)
{
	if (o->err || o->len == 0)
		return;
	if (o->write(o->ctx, o->buf, o->len) != 0)
		o->err = TALLY_ERR_WRITE;
	o->len = 0;
}

static void out_bytes(struct pb_out *o, const char *s, size_t n)
{
	while (n && !o->err) {
		size_t room = sizeof(o->buf) - o->len;
		size_t take = n < room ? n : room;
		memcpy(o->buf + o->len, s, take);
		o->len += take;
		s += take;
		n -= take;
		if (o->len == sizeof(o->buf))
			out_flush(o);
	}
}

static void out_str(struct pb_out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

static bool needs_quotes(const char *s)
{
	size_t n = strlen(s);
	if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		return true;
	return strpbrk(s, ";\"\r\n") != NULL;
}

static void out_field(struct pb_out *o, const char *s)
{
	if (!s) {
		out_str(o, "None");
		return;
	}
	if (!needs_quotes(s)) {
		out_str(o, s);
		return;
	}
	out_bytes(o, "\"", 1);
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			out_bytes(o, "\"\"", 2); /* a quote inside quotes is doubled */
		else
			out_bytes(o, c, 1);
	}
	out_bytes(o, "\"", 1);
}

static void out_decimal(struct pb_out *o, const mpq_t q)
{
	char small[128];
	size_t n = tally_decimal_format(q, small, sizeof(small));
	if (n) {
		out_bytes(o, small, n);
		return;
	}
	size_t cap = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) * 4 + 16;
	char *big = malloc(cap);
	if (!big) {
		o->err = TALLY_ERR_NOMEM;
		return;
	}
	n = tally_decimal_format(q, big, cap);
	if (n)
		out_bytes(o, big, n);
	else if (!o->err)
		o->err = TALLY_ERR_NOT_DECIMAL;
	free(big);
}

/* Fixed-point points (value / 10^decimals) with trailing zeros dropped. */
static void out_points(struct pb_out *o, int64_t value, unsigned decimals)
{
	char digits[64];
	int n = snprintf(digits, sizeof(digits), "%0*lld", (int)decimals + 1, (long long)value);
	size_t int_len = (size_t)n - decimals;
	size_t frac_len = decimals;
	while (frac_len && digits[int_len + frac_len - 1] == '0')
		frac_len--;
	out_bytes(o, digits, int_len);
	if (frac_len) {
		out_bytes(o, ".", 1);
		out_bytes(o, digits + int_len, frac_len);
	}
}

static bool is_fixed_meta(const char *key)
{
	return !strcmp(key, "budget") || !strcmp(key, "vote_type") || !strcmp(key, "num_projects") ||
	       !strcmp(key, "num_votes");
}

static void write_meta(struct pb_out *o, const struct tally_election *e)
{
	char num[32];
	out_str(o, "META\nkey;value\n");
	out_str(o, "budget;");
	out_decimal(o, e->budget);
	out_str(o, "\nvote_type;");
	out_str(o, tally_vote_type_name(e->vote_type));
	snprintf(num, sizeof(num), "\nnum_projects;%zu\nnum_votes;%zu\n", e->n_projects, e->n_ballots);
	out_str(o, num);
	for (size_t i = 0; i < e->n_meta; i++) {
		if (is_fixed_meta(e->meta_keys[i]))
			continue;
		out_field(o, e->meta_keys[i]);
		out_bytes(o, ";", 1);
		out_field(o, e->meta_values[i]);
		out_bytes(o, "\n", 1);
	}
}

static void write_projects(struct pb_out *o, const struct tally_election *e)
{
	size_t n_extra = e->n_project_columns > 2 ? e->n_project_columns - 2 : 0;
	out_str(o, "PROJECTS\n");
	out_field(o, e->n_project_columns ? e->project_columns[0] : "project_id");
	out_str(o, ";cost");
	for (size_t c = 0; c < n_extra; c++) {
		out_bytes(o, ";", 1);
		out_field(o, e->project_columns[c + 2]);
	}
	out_bytes(o, "\n", 1);
	for (size_t p = 0; p < e->n_projects; p++) {
		const struct tally_project *proj = &e->projects[p];
		out_field(o, proj->id);
		out_bytes(o, ";", 1);
		out_decimal(o, proj->cost);
		for (size_t c = 0; c < n_extra; c++) {
			out_bytes(o, ";", 1);
			out_field(o, proj->extra ? proj->extra[c] : NULL);
		}
		out_bytes(o, "\n", 1);
	}
}

/* The vote list of ballot b, quoted as one field when an id needs it. */
static void write_vote_list(struct pb_out *o, const struct tally_election *e, size_t b, bool quoted)
{
	if (quoted)
		out_bytes(o, "\"", 1);
	for (size_t i = e->ballot_start[b]; i < e->ballot_start[b + 1]; i++) {
		if (i > e->ballot_start[b])
			out_bytes(o, ",", 1);
		for (const char *c = e->projects[e->item_project[i]].id; *c; c++) {
			out_bytes(o, c, 1);
			if (*c == '"' && quoted)
				out_bytes(o, "\"", 1);
		}
	}
	if (quoted)
		out_bytes(o, "\"", 1);
}

static void write_votes(struct pb_out *o, const struct tally_election *e, bool quoted)
{
	bool pointed = e->vote_type == TALLY_VOTE_CUMULATIVE || e->vote_type == TALLY_VOTE_SCORING;
	char num[32];
	out_str(o, pointed ? "VOTES\nvoter_id;vote;points\n" : "VOTES\nvoter_id;vote\n");
	for (size_t b = 0; b < e->n_ballots && !o->err; b++) {
		int n = snprintf(num, sizeof(num), "%zu;", b + 1);
		out_bytes(o, num, (size_t)n);
		write_vote_list(o, e, b, quoted);
		if (pointed) {
			out_bytes(o, ";", 1);
			for (size_t i = e->ballot_start[b]; i < e->ballot_start[b + 1]; i++) {
				if (i > e->ballot_start[b])
					out_bytes(o, ",", 1);
				out_points(o, e->item_points[i], e->points_decimals);
			}
		}
		out_bytes(o, "\n", 1);
	}
}

/* Ids must survive a re-read: no ',' (vote lists), no outer spaces (trimmed). */
static enum tally_error check_ids(const struct tally_election *e, bool *quote_votes)
{
	*quote_votes = false;
	for (size_t p = 0; p < e->n_projects; p++) {
		const char *id = e->projects[p].id;
		size_t n = strlen(id);
		if (n == 0 || strchr(id, ',') || id[0] == ' ' || id[n - 1] == ' ' || id[0] == '\t' ||
		    id[n - 1] == '\t')
			return TALLY_ERR_INVALID;
		if (strpbrk(id, ";\"\r\n"))
			*quote_votes = true;
	}
	return TALLY_OK;
}

enum tally_error tally_pb_write(const struct tally_election *e, tally_write_fn write, void *ctx)
{
	bool quote_votes;
	enum tally_error err = check_ids(e, &quote_votes);
	if (err)
		return err;
	struct pb_out *o = malloc(sizeof(*o));
	if (!o)
		return TALLY_ERR_NOMEM;
	o->write = write;
	o->ctx = ctx;
	o->err = TALLY_OK;
	o->len = 0;
	write_meta(o, e);
	write_projects(o, e);
	write_votes(o, e, quote_votes);
	out_flush(o);
	err = o->err;
	free(o);
	return err;
}
