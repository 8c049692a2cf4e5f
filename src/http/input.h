/*
 * Inputs declared once.  A handler lists the fields it accepts, each with
 * its type and bounds; input_read validates all of them and hands back
 * parsed values, or names the first field that failed.  Handlers never see
 * unvalidated text.  Text is trimmed; single-line fields refuse line breaks;
 * every field refuses NUL bytes, control characters and malformed UTF-8
 * (bodies at decoding, query strings here).
 */
#ifndef GZ_HTTP_INPUT_H
#define GZ_HTTP_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "http/request.h"

typedef enum field_type {
	FIELD_LINE,      /* one line of text, min..max characters */
	FIELD_TEXT,      /* multi-line text, min..max characters */
	FIELD_INT,       /* integer in min..max */
	FIELD_ID,        /* positive integer id */
	FIELD_DATE,      /* YYYY-MM-DD, as Unix time of that midnight in China */
	FIELD_BOOL,      /* checkbox: "1", "on", "true" or absent */
	FIELD_CHOICE,    /* one of `choices` */
	FIELD_LOGIN,     /* 3..32 of a-z 0-9 _ */
	FIELD_PHONE,     /* digits, optional leading +, 5..20 */
	FIELD_PASSWORD,  /* taken as typed, 1..128 bytes */
} field_type;

typedef struct field {
	const char *name;
	field_type type;
	bool required;
	int64_t min, max;            /* characters for text, value for numbers */
	const char *const *choices;  /* NULL-terminated, for FIELD_CHOICE */
} field;

typedef struct field_value {
	bool present;
	const char *text;   /* trimmed text, or the raw form of a number */
	int64_t number;     /* ints, ids, dates, bools, choice index */
} field_value;

/*
 * Validates every field in `spec`: from the body of a POST, from the query
 * string otherwise.  On failure
 * returns GZ_EINVAL and sets *bad to the failing field's name.
 */
gz_err input_read(request *r, const field *spec, size_t count, field_value *out, const char **bad);

#define INPUT_COUNT(spec) (sizeof(spec) / sizeof((spec)[0]))

#endif
