/*
 * Decoding of what clients send: application/x-www-form-urlencoded bodies
 * and query strings, multipart/form-data bodies, and cookies.  Pure
 * functions over bytes, so they can be fuzzed on their own.
 */
#ifndef GZ_HTTP_FORM_H
#define GZ_HTTP_FORM_H

#include "http/request.h"

/* Limits that keep a hostile body from costing more than its size. */
#define FORM_MAX_FIELDS 256
#define FORM_MAX_VALUE (256 * 1024)

/*
 * Splits "a=1&b=%E4%B8%AD" into decoded pairs appended to `out`.  Refuses
 * (GZ_EINVAL) a bad percent escape, a NUL byte, text that is not clean
 * UTF-8, or more than FORM_MAX_FIELDS fields.
 */
gz_err form_decode_urlencoded(arena *a, const char *data, size_t len, kv_list *out);

/*
 * Parses a multipart/form-data body with the given Content-Type header.
 * Text parts go to `fields` (same checks as above), file parts to `files`.
 */
gz_err form_decode_multipart(arena *a, const char *content_type, const unsigned char *data, size_t len,
			     kv_list *fields, upload **files, size_t *file_count);

/* Percent-decodes `len` bytes into a new NUL-terminated string; NULL when malformed. */
char *url_decode(arena *a, const char *s, size_t len, bool plus_is_space, size_t *out_len);

#endif
