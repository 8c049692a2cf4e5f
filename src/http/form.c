#include "http/form.h"

#include <string.h>
#include <strings.h>

#include "util/utf8.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(arena *a, const char *s, size_t len, bool plus_is_space, size_t *out_len)
{
	char *out = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return NULL;
			int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		out[n++] = c;
	}
	out[n] = '\0';
	if (out_len)
		*out_len = n;
	return out;
}

void kv_add(arena *a, kv_list *list, const char *key, const char *value, size_t value_len)
{
	if (list->count == list->capacity) {
		size_t grown = list->capacity ? list->capacity * 2 : 8;
		kv *items = ARENA_ARRAY(a, kv, grown);
		if (list->count)
			memcpy(items, list->items, sizeof(kv) * list->count);
		list->items = items;
		list->capacity = grown;
	}
	list->items[list->count++] = (kv){ key, value, value_len };
}

const char *kv_get(const kv_list *list, const char *key)
{
	for (size_t i = 0; i < list->count; i++)
		if (!strcmp(list->items[i].key, key))
			return list->items[i].value;
	return NULL;
}

static bool clean(const char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL && utf8_is_clean_text(s, len);
}

gz_err form_decode_urlencoded(arena *a, const char *data, size_t len, kv_list *out)
{
	size_t i = 0, fields = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(data + i, '=', end - i);
			size_t key_len = eq ? (size_t)(eq - (data + i)) : end - i;
			const char *value_start = eq ? eq + 1 : data + end;
			size_t klen, vlen;
			char *key = url_decode(a, data + i, key_len, true, &klen);
			char *value = url_decode(a, value_start, (size_t)(data + end - value_start), true, &vlen);
			if (!key || !value || !clean(key, klen) || !clean(value, vlen) || vlen > FORM_MAX_VALUE)
				return GZ_EINVAL;
			if (++fields > FORM_MAX_FIELDS)
				return GZ_ETOOBIG;
			kv_add(a, out, key, value, vlen);
		}
		i = end + 1;
	}
	return GZ_OK;
}

/* ---- multipart/form-data (RFC 7578) ---- */

static const unsigned char *find_bytes(const unsigned char *hay, size_t hay_len, const char *needle,
				       size_t needle_len)
{
	if (needle_len == 0 || hay_len < needle_len)
		return NULL;
	return memmem(hay, hay_len, needle, needle_len);
}

/* Value of `name="..."` inside a Content-Disposition header, or NULL. */
static char *disposition_param(arena *a, const char *header, size_t len, const char *name)
{
	size_t name_len = strlen(name);
	for (size_t i = 0; i + name_len + 2 <= len; i++) {
		bool at_boundary = i == 0 || header[i - 1] == ' ' || header[i - 1] == ';';
		if (!at_boundary || strncasecmp(header + i, name, name_len) || header[i + name_len] != '=')
			continue;
		size_t v = i + name_len + 1;
		if (v < len && header[v] == '"') {
			size_t end = v + 1;
			while (end < len && header[end] != '"')
				end++;
			if (end >= len)
				return NULL;
			return arena_strndup(a, header + v + 1, end - v - 1);
		}
		size_t end = v;
		while (end < len && header[end] != ';' && header[end] != ' ')
			end++;
		return arena_strndup(a, header + v, end - v);
	}
	return NULL;
}

static char *boundary_of(arena *a, const char *content_type)
{
	const char *b = strcasestr(content_type, "boundary=");
	if (!b)
		return NULL;
	b += 9;
	size_t len;
	if (*b == '"') {
		b++;
		const char *end = strchr(b, '"');
		if (!end)
			return NULL;
		len = (size_t)(end - b);
	} else {
		len = strcspn(b, "; \t");
	}
	if (len == 0 || len > 70)
		return NULL;
	return arena_printf(a, "--%.*s", (int)len, b);
}

typedef struct part_headers {
	char *name, *filename, *type;
} part_headers;

static gz_err parse_part_headers(arena *a, const char *h, size_t len, part_headers *out)
{
	memset(out, 0, sizeof(*out));
	size_t i = 0;
	while (i < len) {
		const char *eol = memmem(h + i, len - i, "\r\n", 2);
		size_t line_len = eol ? (size_t)(eol - (h + i)) : len - i;
		const char *line = h + i;
		if (line_len > 20 && !strncasecmp(line, "Content-Disposition:", 20)) {
			out->name = disposition_param(a, line + 20, line_len - 20, "name");
			out->filename = disposition_param(a, line + 20, line_len - 20, "filename");
		} else if (line_len > 13 && !strncasecmp(line, "Content-Type:", 13)) {
			size_t skip = 13;
			while (skip < line_len && line[skip] == ' ')
				skip++;
			out->type = arena_strndup(a, line + skip, line_len - skip);
		}
		i += line_len + 2;
	}
	if (!out->name || !clean(out->name, strlen(out->name)))
		return GZ_EINVAL;
	if (out->filename && !clean(out->filename, strlen(out->filename)))
		return GZ_EINVAL;
	return GZ_OK;
}

static gz_err add_part(arena *a, const part_headers *ph, const unsigned char *body, size_t len, kv_list *fields,
		       upload **files, size_t *file_count, size_t *capacity)
{
	if (!ph->filename) {
		if (!clean((const char *)body, len) || len > FORM_MAX_VALUE)
			return GZ_EINVAL;
		kv_add(a, fields, ph->name, arena_strndup(a, (const char *)body, len), len);
		return GZ_OK;
	}
	if (len == 0 && !ph->filename[0])
		return GZ_OK;   /* an empty file input */
	if (*file_count == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 4;
		upload *items = ARENA_ARRAY(a, upload, grown);
		if (*file_count)
			memcpy(items, *files, sizeof(upload) * *file_count);
		*files = items;
		*capacity = grown;
	}
	(*files)[(*file_count)++] = (upload){ ph->name, ph->filename, ph->type ? ph->type : "",
					      arena_memdup(a, body, len), len };
	return GZ_OK;
}

gz_err form_decode_multipart(arena *a, const char *content_type, const unsigned char *data, size_t len,
			     kv_list *fields, upload **files, size_t *file_count)
{
	char *boundary = boundary_of(a, content_type);
	if (!boundary)
		return GZ_EINVAL;
	size_t blen = strlen(boundary), capacity = 0, parts = 0;
	const unsigned char *p = find_bytes(data, len, boundary, blen);
	if (!p)
		return GZ_EINVAL;
	for (;;) {
		p += blen;
		size_t left = len - (size_t)(p - data);
		if (left >= 2 && p[0] == '-' && p[1] == '-')
			return GZ_OK;   /* closing delimiter */
		if (left < 2 || p[0] != '\r' || p[1] != '\n')
			return GZ_EINVAL;
		p += 2;
		left -= 2;
		const unsigned char *header_end = find_bytes(p, left, "\r\n\r\n", 4);
		if (!header_end)
			return GZ_EINVAL;
		part_headers ph;
		if (parse_part_headers(a, (const char *)p, (size_t)(header_end - p) + 2, &ph))
			return GZ_EINVAL;
		const unsigned char *body = header_end + 4;
		char *delim = arena_printf(a, "\r\n%s", boundary);
		const unsigned char *next = find_bytes(body, len - (size_t)(body - data), delim, blen + 2);
		if (!next)
			return GZ_EINVAL;
		if (++parts > FORM_MAX_FIELDS)
			return GZ_ETOOBIG;
		gz_err rc = add_part(a, &ph, body, (size_t)(next - body), fields, files, file_count, &capacity);
		if (rc)
			return rc;
		p = next + 2;
	}
}
