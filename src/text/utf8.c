/*
 * Strict UTF-8 decoding: every byte sequence either decodes to one Unicode
 * scalar value or is rejected one byte at a time, so scanning always moves
 * forward and never reads past len.
 */
#include "text/scan.h"

#include <stdint.h>

/* Smallest code point each sequence length may encode (anything smaller
 * is an overlong form, a classic way to smuggle '"' or '/' past filters). */
static const uint32_t min_for_length[5] = { 0, 0, 0x80, 0x800, 0x10000 };

static size_t sequence_length(unsigned char lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xC2 && lead <= 0xDF)
		return 2;
	if (lead >= 0xE0 && lead <= 0xEF)
		return 3;
	if (lead >= 0xF0 && lead <= 0xF4)
		return 4;
	return 0; /* continuation byte, C0/C1 or F5..FF: never a lead */
}

size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = sequence_length(u[0]);
	*cp = TEXT_UTF8_INVALID;
	if (n == 0 || n > len)
		return 1;
	if (n == 1) {
		*cp = u[0];
		return 1;
	}
	uint32_t v = u[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 1;
		v = (v << 6) | (u[i] & 0x3Fu);
	}
	if (v < min_for_length[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 1;
	*cp = v;
	return n;
}

bool text_utf8_valid(const char *s, size_t len)
{
	size_t at = 0;
	while (at < len) {
		uint32_t cp;
		at += text_utf8_decode(s + at, len - at, &cp);
		if (cp == TEXT_UTF8_INVALID)
			return false;
	}
	return true;
}

size_t text_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}
