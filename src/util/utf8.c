#include "util/utf8.h"

#include <string.h>

/* Length of the sequence starting at s (1..4), or 0 when it is malformed:
 * overlong forms, surrogates and code points past U+10FFFF are refused. */
static size_t sequence_len(const unsigned char *s, size_t left)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	if (left < n)
		return 0;
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool utf8_is_clean_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
		if (p[i] == 0x7f)
			return false;
		size_t n = sequence_len(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

bool utf8_text_fits(const char *s, size_t min_chars, size_t max_chars, bool one_line)
{
	const char *text = s ? s : "";
	size_t len = strlen(text), chars = utf8_count(text, len);
	return utf8_is_clean_text(text, len) && chars >= min_chars && chars <= max_chars &&
	       (!one_line || !strpbrk(text, "\r\n"));
}

size_t utf8_count(const char *s, size_t len)
{
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

size_t utf8_prefix_len(const char *s, size_t len, size_t n)
{
	size_t i = 0, seen = 0;
	while (i < len) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (seen == n)
				break;
			seen++;
		}
		i++;
	}
	return i;
}
