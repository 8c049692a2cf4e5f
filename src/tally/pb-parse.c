/*
 * pb-parse.c - streaming parser for Pabulib .pb files.
 *
 * The format (shared/pabulib/README.md): UTF-8 text, optional BOM, CSV rows
 * with ';' between fields and '"' as the quote ("" inside quotes is a quote;
 * a quoted field may span lines). Line ends are \n, \r\n or \r. Three
 * sections in order, each opened by a row whose first field is its name
 * (any case) and followed by a header row:
 *
 *   META      key;value rows (budget, vote_type, free metadata)
 *   PROJECTS  first column = project id, a "cost" column, others kept
 *   VOTES     one row per voter; "vote" = comma-separated ids, "points" for
 *             cumulative and scoring ballots
 *
 * Field values are trimmed; "None" (any case) means missing. Vote items are
 * not trimmed and empty items are skipped, as pabutools does.
 *
 * The CSV layer follows Python's csv module (non-strict), which is what
 * pabutools reads with: text after a closing quote is kept, a quote inside
 * an unquoted field is an ordinary character. Bytes arrive in chunks of any
 * size; the parser keeps only the current row.
 */
#include "tally/tally.h"
#include "tally/internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PB_MAX_FIELD (1u << 20)  /* bytes in one field */
#define PB_MAX_FIELDS 10000u     /* fields in one row */

enum csv_state { CSV_FIELD_START, CSV_UNQUOTED, CSV_QUOTED, CSV_QUOTE_IN_QUOTED };
enum pb_section { SECTION_NONE, SECTION_META, SECTION_PROJECTS, SECTION_VOTES };

struct tally_pb_parser {
	struct tally_election *e;        /* filled in place; owned by the caller */
	struct tally_diag diag;          /* the sticky error */

	uint64_t line;                   /* physical line being read, 1-based */
	uint64_t row_line;               /* line where the current row started */
	uint64_t quote_line;             /* line where the open quoted field started */
	unsigned bom_matched;            /* bytes of a leading BOM seen so far */
	bool bom_done;
	bool after_cr;                   /* last byte was \r (a \n after it ends nothing) */
	enum csv_state csv;
	bool row_started;

	char *buf;                       /* current row: fields, each NUL-terminated */
	size_t len, cap;
	size_t *field_start;
	size_t n_fields, cap_fields;
	size_t field_len;                /* bytes in the field being read */

	enum pb_section section;
	bool expect_header;
	bool seen_vote_type;
	size_t n_header;                 /* columns of the current section's header */
	size_t cost_col;                 /* PROJECTS */
	size_t *extra_col;               /* PROJECTS: header index of each extra column */
	size_t vote_col, points_col;     /* VOTES; SIZE_MAX when absent */

	uint32_t *ballot_projects;       /* scratch for one ballot */
	int64_t *ballot_points;
	size_t cap_ballot;
};

/* ------------------------------------------------------------ diagnostics */

/* Copies at most 40 bytes of s, escaping what is not printable ASCII. */
static void quote_bytes(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && i < 40 && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
	}
	if (n > 40 && o + 4 < cap) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o < cap ? o : cap - 1] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static enum tally_error fail(struct tally_pb_parser *p, enum tally_error code, uint64_t line,
                             const char *fmt, ...)
{
	va_list ap;
	p->diag.code = code;
	p->diag.line = line;
	va_start(ap, fmt);
	vsnprintf(p->diag.reason, sizeof(p->diag.reason), fmt, ap);
	va_end(ap);
	return code;
}

/* ------------------------------------------------------------- lifecycle */

struct tally_pb_parser *tally_pb_parser_new(struct tally_election *out)
{
	struct tally_pb_parser *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->e = out;
	p->line = 1;
	p->row_line = 1;
	p->vote_col = p->points_col = SIZE_MAX;
	return p;
}

void tally_pb_parser_free(struct tally_pb_parser *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p->field_start);
	free(p->extra_col);
	free(p->ballot_projects);
	free(p->ballot_points);
	free(p);
}

const struct tally_diag *tally_pb_parser_diag(const struct tally_pb_parser *p)
{
	return &p->diag;
}

uint64_t tally_pb_parser_line(const struct tally_pb_parser *p)
{
	return p->line;
}

/* ------------------------------------------------------------- fields */

struct field {
	const char *s;
	size_t n;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Field i of the row, trimmed; empty when the row is shorter. */
static struct field field_at(const struct tally_pb_parser *p, size_t i)
{
	struct field f = { "", 0 };
	if (i >= p->n_fields)
		return f;
	f.s = p->buf + p->field_start[i];
	f.n = strlen(f.s);
	while (f.n && is_space(f.s[0])) {
		f.s++;
		f.n--;
	}
	while (f.n && is_space(f.s[f.n - 1]))
		f.n--;
	return f;
}

static bool field_is(struct field f, const char *word)
{
	size_t n = strlen(word);
	if (f.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)f.s[i]) != word[i])
			return false;
	return true;
}

/* "None" (any case) means missing. */
static bool field_missing(struct field f)
{
	return f.n == 0 || field_is(f, "none");
}

static char *field_dup(struct field f)
{
	return tally_strndup(f.s, f.n);
}

/* ---------------------------------------------------------------- META */

static enum tally_error meta_row(struct tally_pb_parser *p)
{
	if (p->n_fields < 2)
		return fail(p, TALLY_ERR_FIELD, p->row_line, "META line needs a key and a value");
	struct field key = field_at(p, 0), value = field_at(p, 1);
	char *k = field_dup(key), *v = field_dup(value);
	enum tally_error err = TALLY_ERR_NOMEM;
	if (!k || !v)
		goto release_strings;
	char quoted[192];
	if (strcmp(k, "budget") == 0) {
		if (!tally_decimal_parse(p->e->budget, value.s, value.n)) {
			quote_bytes(quoted, sizeof(quoted), value.s, value.n);
			err = fail(p, TALLY_ERR_NUMBER, p->row_line, "budget '%s' is not a non-negative decimal", quoted);
			goto release_strings;
		}
		p->e->has_budget = true;
	} else if (strcmp(k, "vote_type") == 0) {
		if (!tally_vote_type_from_name(v, &p->e->vote_type)) {
			quote_bytes(quoted, sizeof(quoted), value.s, value.n);
			err = fail(p, TALLY_ERR_META, p->row_line, "unknown vote_type '%s'", quoted);
			goto release_strings;
		}
		p->seen_vote_type = true;
	}
	err = tally_election_set_meta(p->e, k, v);
	if (err)
		fail(p, err, p->row_line, "cannot store META value");
release_strings:
	if (err == TALLY_ERR_NOMEM && !p->diag.code)
		fail(p, err, p->row_line, "out of memory");
	free(k);
	free(v);
	return err;
}

/* ------------------------------------------------------------ PROJECTS */

static enum tally_error projects_header(struct tally_pb_parser *p)
{
	struct tally_election *e = p->e;
	if (!e->has_budget)
		return fail(p, TALLY_ERR_META, p->row_line, "META has no budget");
	if (!p->seen_vote_type)
		return fail(p, TALLY_ERR_META, p->row_line, "META has no vote_type");
	p->cost_col = SIZE_MAX;
	for (size_t i = 1; i < p->n_fields; i++)
		if (field_at(p, i).n == 4 && memcmp(field_at(p, i).s, "cost", 4) == 0)
			p->cost_col = i;
	if (p->cost_col == SIZE_MAX)
		return fail(p, TALLY_ERR_FIELD, p->row_line, "PROJECTS header has no cost column");
	p->n_header = p->n_fields;
	e->n_project_columns = p->n_fields;
	e->project_columns = calloc(p->n_fields + 1, sizeof(char *));
	p->extra_col = malloc((p->n_fields + 1) * sizeof(size_t));
	if (!e->project_columns || !p->extra_col) {
		e->n_project_columns = 0;
		return fail(p, TALLY_ERR_NOMEM, p->row_line, "out of memory");
	}
	size_t c = 0;
	e->project_columns[c++] = field_dup(field_at(p, 0));
	e->project_columns[c++] = field_dup(field_at(p, p->cost_col));
	for (size_t i = 1; i < p->n_fields; i++) {
		if (i == p->cost_col)
			continue;
		p->extra_col[c - 2] = i;
		e->project_columns[c++] = field_dup(field_at(p, i));
	}
	for (size_t i = 0; i < c; i++)
		if (!e->project_columns[i])
			return fail(p, TALLY_ERR_NOMEM, p->row_line, "out of memory");
	return TALLY_OK;
}

static enum tally_error project_extras(struct tally_pb_parser *p, struct tally_project *proj)
{
	size_t n_extra = p->e->n_project_columns - 2;
	if (!n_extra)
		return TALLY_OK;
	proj->extra = calloc(n_extra, sizeof(char *));
	if (!proj->extra)
		return TALLY_ERR_NOMEM;
	for (size_t i = 0; i < n_extra; i++) {
		struct field f = field_at(p, p->extra_col[i]);
		if (field_missing(f))
			continue;
		proj->extra[i] = field_dup(f);
		if (!proj->extra[i])
			return TALLY_ERR_NOMEM;
	}
	return TALLY_OK;
}

static enum tally_error project_row(struct tally_pb_parser *p)
{
	char quoted[192];
	if (p->n_fields > p->n_header)
		return fail(p, TALLY_ERR_FIELD, p->row_line, "project line has %zu fields, the header %zu",
		            p->n_fields, p->n_header);
	struct field id = field_at(p, 0), cost = field_at(p, p->cost_col);
	if (id.n == 0)
		return fail(p, TALLY_ERR_FIELD, p->row_line, "empty project id");
	quote_bytes(quoted, sizeof(quoted), id.s, id.n);
	if (field_missing(cost))
		return fail(p, TALLY_ERR_FIELD, p->row_line, "project '%s' has no cost", quoted);
	mpq_t q;
	mpq_init(q);
	enum tally_error err;
	if (!tally_decimal_parse(q, cost.s, cost.n)) {
		char bad[192];
		quote_bytes(bad, sizeof(bad), cost.s, cost.n);
		err = fail(p, TALLY_ERR_NUMBER, p->row_line, "project '%s': cost '%s' is not a non-negative decimal",
		           quoted, bad);
	} else {
		size_t index;
		err = tally_election_add_project_q(p->e, id.s, id.n, q, &index);
		if (err == TALLY_ERR_DUPLICATE_PROJECT)
			fail(p, err, p->row_line, "project id '%s' appears twice", quoted);
		else if (err == TALLY_ERR_INVALID)
			err = fail(p, TALLY_ERR_FIELD, p->row_line, "project id '%s' contains a NUL byte", quoted);
		else if (err)
			fail(p, err, p->row_line, "cannot add project '%s'", quoted);
		else if ((err = project_extras(p, &p->e->projects[index])) != TALLY_OK)
			fail(p, err, p->row_line, "out of memory");
	}
	mpq_clear(q);
	return err;
}

/* ---------------------------------------------------------------- VOTES */

static enum tally_error votes_header(struct tally_pb_parser *p)
{
	p->n_header = p->n_fields;
	for (size_t i = 0; i < p->n_fields; i++) {
		struct field f = field_at(p, i);
		if (f.n == 4 && memcmp(f.s, "vote", 4) == 0)
			p->vote_col = i;
		else if (f.n == 6 && memcmp(f.s, "points", 6) == 0)
			p->points_col = i;
	}
	if (p->vote_col == SIZE_MAX)
		return fail(p, TALLY_ERR_FIELD, p->row_line, "VOTES header has no vote column");
	return TALLY_OK;
}

static bool ballot_reserve(struct tally_pb_parser *p, size_t n)
{
	if (n <= p->cap_ballot)
		return true;
	size_t cap = p->cap_ballot ? p->cap_ballot * 2 : 64;
	while (cap < n)
		cap *= 2;
	uint32_t *a = realloc(p->ballot_projects, cap * sizeof(uint32_t));
	if (!a)
		return false;
	p->ballot_projects = a;
	int64_t *b = realloc(p->ballot_points, cap * sizeof(int64_t));
	if (!b)
		return false;
	p->ballot_points = b;
	p->cap_ballot = cap;
	return true;
}

/*
 * Points as fixed-point integers with the election's decimals; more decimals
 * than seen so far rescale the election (and this ballot's earlier points).
 */
static enum tally_error parse_points(struct tally_pb_parser *p, struct field f, int64_t *out, size_t n_before)
{
	int64_t value = 0;
	unsigned decimals = 0;
	bool point = false, digits = false;
	for (size_t i = 0; i < f.n; i++) {
		char c = f.s[i];
		if (c == '.' && !point) {
			point = true;
			continue;
		}
		if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10)
			return TALLY_ERR_NUMBER;
		value = value * 10 + (c - '0');
		digits = true;
		decimals += point;
	}
	if (!digits)
		return TALLY_ERR_NUMBER;
	if (decimals > p->e->points_decimals) {
		unsigned old = p->e->points_decimals;
		enum tally_error err = tally_election_rescale_points(p->e, decimals);
		if (err)
			return err;
		for (size_t i = 0; i < n_before; i++)
			for (unsigned k = old; k < decimals; k++) {
				if (p->ballot_points[i] > INT64_MAX / 10)
					return TALLY_ERR_TOO_LARGE;
				p->ballot_points[i] *= 10;
			}
	}
	for (unsigned k = decimals; k < p->e->points_decimals; k++) {
		if (value > INT64_MAX / 10)
			return TALLY_ERR_TOO_LARGE;
		value *= 10;
	}
	*out = value;
	return TALLY_OK;
}

/* Next comma-separated item of *rest (not trimmed); false at the end. */
static bool next_item(struct field *rest, struct field *item, bool *done)
{
	if (*done)
		return false;
	const char *comma = memchr(rest->s, ',', rest->n);
	item->s = rest->s;
	item->n = comma ? (size_t)(comma - rest->s) : rest->n;
	if (comma) {
		rest->n -= item->n + 1;
		rest->s = comma + 1;
	} else {
		*done = true;
	}
	return true;
}

static enum tally_error vote_row(struct tally_pb_parser *p)
{
	struct tally_election *e = p->e;
	char quoted[192];
	if (p->n_fields > p->n_header)
		return fail(p, TALLY_ERR_FIELD, p->row_line, "vote line has %zu fields, the header %zu",
		            p->n_fields, p->n_header);
	struct field vote = field_at(p, p->vote_col);
	bool pointed = e->vote_type == TALLY_VOTE_CUMULATIVE || e->vote_type == TALLY_VOTE_SCORING;
	struct field points = p->points_col == SIZE_MAX ? (struct field){ "", 0 } : field_at(p, p->points_col);
	size_t n = 0;
	if (field_missing(vote) || (pointed && field_missing(points)))
		goto add; /* an empty ballot still counts */
	bool vote_done = false, points_done = false;
	struct field item, pts;
	while (next_item(&vote, &item, &vote_done)) {
		bool have_points = pointed && next_item(&points, &pts, &points_done);
		if (pointed && !have_points)
			return fail(p, TALLY_ERR_FIELD, p->row_line, "fewer points than projects");
		if (item.n == 0)
			continue;
		size_t index = tally_election_find_project(e, item.s, item.n);
		if (index == SIZE_MAX) {
			quote_bytes(quoted, sizeof(quoted), item.s, item.n);
			return fail(p, TALLY_ERR_UNKNOWN_PROJECT, p->row_line, "vote for unknown project '%s'", quoted);
		}
		if (!ballot_reserve(p, n + 1))
			return fail(p, TALLY_ERR_NOMEM, p->row_line, "out of memory");
		p->ballot_projects[n] = (uint32_t)index;
		if (pointed) {
			while (pts.n && is_space(pts.s[0])) {
				pts.s++;
				pts.n--;
			}
			while (pts.n && is_space(pts.s[pts.n - 1]))
				pts.n--;
			enum tally_error err = parse_points(p, pts, &p->ballot_points[n], n);
			if (err) {
				quote_bytes(quoted, sizeof(quoted), pts.s, pts.n);
				return fail(p, err, p->row_line, "points '%s' are not a non-negative decimal", quoted);
			}
		}
		n++;
		if (n > TALLY_MAX_BALLOT_ITEMS)
			return fail(p, TALLY_ERR_TOO_LARGE, p->row_line, "ballot lists too many projects");
	}
add:;
	enum tally_error err = tally_election_add_ballot(e, n, p->ballot_projects, pointed ? p->ballot_points : NULL);
	if (err)
		return fail(p, err, p->row_line, "cannot add ballot: %s", tally_strerror(err));
	return TALLY_OK;
}

/* ---------------------------------------------------------------- rows */

static enum tally_error open_section(struct tally_pb_parser *p, enum pb_section next, const char *name)
{
	static const char *const names[] = { "", "META", "PROJECTS", "VOTES" };
	if (next != p->section + 1) {
		if (next <= p->section)
			return fail(p, TALLY_ERR_SECTION, p->row_line, "section %s repeated or out of order", name);
		return fail(p, TALLY_ERR_SECTION, p->row_line, "section %s before %s", name, names[p->section + 1]);
	}
	p->section = next;
	p->expect_header = true;
	return TALLY_OK;
}

static enum tally_error handle_row(struct tally_pb_parser *p)
{
	struct field first = field_at(p, 0);
	if (p->n_fields <= 1 && first.n == 0)
		return TALLY_OK; /* blank line */
	if (field_is(first, "meta"))
		return open_section(p, SECTION_META, "META");
	if (field_is(first, "projects"))
		return open_section(p, SECTION_PROJECTS, "PROJECTS");
	if (field_is(first, "votes"))
		return open_section(p, SECTION_VOTES, "VOTES");
	if (p->section == SECTION_NONE)
		return fail(p, TALLY_ERR_SECTION, p->row_line, "data before the META section");
	if (p->expect_header) {
		p->expect_header = false;
		if (p->section == SECTION_PROJECTS)
			return projects_header(p);
		if (p->section == SECTION_VOTES)
			return votes_header(p);
		return TALLY_OK;
	}
	switch (p->section) {
	case SECTION_META:
		return meta_row(p);
	case SECTION_PROJECTS:
		return project_row(p);
	default:
		return vote_row(p);
	}
}

/* ----------------------------------------------------------------- CSV */

static enum tally_error push_byte(struct tally_pb_parser *p, char c)
{
	if (p->field_len >= PB_MAX_FIELD)
		return fail(p, TALLY_ERR_SYNTAX, p->row_line, "field longer than %u bytes", PB_MAX_FIELD);
	if (!tally_grow((void **)&p->buf, &p->cap, p->len + 2, 1))
		return fail(p, TALLY_ERR_NOMEM, p->row_line, "out of memory");
	p->buf[p->len++] = c;
	p->field_len++;
	return TALLY_OK;
}

static enum tally_error end_field(struct tally_pb_parser *p)
{
	if (p->n_fields >= PB_MAX_FIELDS)
		return fail(p, TALLY_ERR_SYNTAX, p->row_line, "more than %u fields in a line", PB_MAX_FIELDS);
	if (!tally_grow((void **)&p->buf, &p->cap, p->len + 1, 1) ||
	    !tally_grow((void **)&p->field_start, &p->cap_fields, p->n_fields + 1, sizeof(size_t)))
		return fail(p, TALLY_ERR_NOMEM, p->row_line, "out of memory");
	p->field_start[p->n_fields++] = p->len - p->field_len;
	p->buf[p->len++] = '\0';
	p->field_len = 0;
	p->csv = CSV_FIELD_START;
	return TALLY_OK;
}

static enum tally_error end_row(struct tally_pb_parser *p)
{
	enum tally_error err = end_field(p);
	if (!err)
		err = handle_row(p);
	p->len = 0;
	p->n_fields = 0;
	p->field_len = 0;
	p->row_started = false;
	p->csv = CSV_FIELD_START;
	return err;
}

static bool is_line_end(char c)
{
	return c == '\n' || c == '\r';
}

/* Counts physical lines: \r\n is one line end. */
static void count_line(struct tally_pb_parser *p, char c)
{
	if (c == '\r' || (c == '\n' && !p->after_cr))
		p->line++;
}

static enum tally_error csv_byte(struct tally_pb_parser *p, char c)
{
	bool crlf_tail = c == '\n' && p->after_cr;
	if (c == '\0')
		return fail(p, TALLY_ERR_SYNTAX, p->line, "NUL byte in the file");
	if (!p->row_started && !is_line_end(c)) {
		p->row_started = true;
		p->row_line = p->line;
	}
	enum tally_error err = TALLY_OK;
	switch (p->csv) {
	case CSV_QUOTED:
		if (c == '"')
			p->csv = CSV_QUOTE_IN_QUOTED;
		else
			err = push_byte(p, c);
		break;
	case CSV_QUOTE_IN_QUOTED:
		if (c == '"') {
			err = push_byte(p, c);
			p->csv = CSV_QUOTED;
			break;
		}
		/* the quote closed the quoted part: go on as in an unquoted field */
		/* fall through */
	case CSV_FIELD_START:
	case CSV_UNQUOTED:
		if (c == ';') {
			err = end_field(p);
		} else if (is_line_end(c)) {
			if (!crlf_tail && (p->row_started || p->n_fields || p->csv != CSV_FIELD_START))
				err = end_row(p);
		} else if (c == '"' && p->csv == CSV_FIELD_START) {
			p->csv = CSV_QUOTED;
			p->quote_line = p->line;
		} else {
			err = push_byte(p, c);
			p->csv = CSV_UNQUOTED;
		}
		break;
	}
	count_line(p, c);
	p->after_cr = c == '\r';
	return err;
}

static const unsigned char utf8_bom[3] = { 0xef, 0xbb, 0xbf };

enum tally_error tally_pb_parser_feed(struct tally_pb_parser *p, const void *data, size_t len)
{
	const char *s = data;
	if (p->diag.code)
		return p->diag.code;
	for (size_t i = 0; i < len; i++) {
		if (!p->bom_done) {
			if ((unsigned char)s[i] == utf8_bom[p->bom_matched]) {
				if (++p->bom_matched == 3)
					p->bom_done = true;
				continue;
			}
			p->bom_done = true;
			for (unsigned k = 0; k < p->bom_matched; k++)
				if (csv_byte(p, (char)utf8_bom[k]))
					return p->diag.code;
		}
		if (csv_byte(p, s[i]))
			return p->diag.code;
	}
	return TALLY_OK;
}

enum tally_error tally_pb_parser_finish(struct tally_pb_parser *p)
{
	if (p->diag.code)
		return p->diag.code;
	if (!p->bom_done) {
		p->bom_done = true;
		for (unsigned k = 0; k < p->bom_matched; k++)
			if (csv_byte(p, (char)utf8_bom[k]))
				return p->diag.code;
	}
	if (p->csv == CSV_QUOTED)
		return fail(p, TALLY_ERR_SYNTAX, p->quote_line, "quoted field never closed");
	if ((p->row_started || p->n_fields || p->csv != CSV_FIELD_START) && end_row(p))
		return p->diag.code;
	if (p->section != SECTION_VOTES || p->expect_header) {
		static const char *const missing[] = { "META", "PROJECTS", "VOTES", "VOTES" };
		const char *what = p->expect_header ? "header line" : missing[p->section];
		return fail(p, TALLY_ERR_SECTION, p->line, "file ends without a %s%s", what,
		            p->expect_header ? "" : " section");
	}
	return TALLY_OK;
}

enum tally_error tally_pb_parse(struct tally_election *out, const void *data, size_t len,
                                struct tally_diag *diag)
{
	struct tally_pb_parser *p = tally_pb_parser_new(out);
	if (!p) {
		if (diag) {
			memset(diag, 0, sizeof(*diag));
			diag->code = TALLY_ERR_NOMEM;
			snprintf(diag->reason, sizeof(diag->reason), "out of memory");
		}
		return TALLY_ERR_NOMEM;
	}
	enum tally_error err = tally_pb_parser_feed(p, data, len);
	if (!err)
		err = tally_pb_parser_finish(p);
	if (diag)
		*diag = p->diag;
	tally_pb_parser_free(p);
	return err;
}
