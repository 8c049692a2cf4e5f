/*
 * Folding and classifying code points, and cutting text into elements.
 *
 * The ranges below are deliberately coarse: what matters is that every
 * code point gets exactly one class, the same for documents and queries,
 * so the index and the query always agree.
 */
#include "text/scan.h"

#include <string.h>

typedef enum cp_class {
	CP_SEP,    /* whitespace, punctuation, symbols, controls, invalid bytes */
	CP_IGNORE, /* invisible: dropped without separating anything */
	CP_CJK,    /* one element per character */
	CP_WORD,   /* letters and digits that run together into words */
} cp_class;

typedef struct cp_range {
	uint32_t lo, hi;
} cp_range;

/* Han, kana, hangul, bopomofo and their supplements. */
static const cp_range cjk_ranges[] = {
	{ 0x1100, 0x11FF },   /* hangul jamo */
	{ 0x2E80, 0x2FDF },   /* CJK and Kangxi radicals */
	{ 0x3005, 0x3005 },   /* 々 iteration mark */
	{ 0x3007, 0x3007 },   /* 〇 */
	{ 0x3040, 0x30FA },   /* hiragana, katakana (30FB ・ is punctuation) */
	{ 0x30FC, 0x30FF },
	{ 0x3100, 0x318F },   /* bopomofo, hangul compatibility jamo */
	{ 0x31A0, 0x31BF },
	{ 0x31F0, 0x31FF },
	{ 0x3400, 0x4DBF },   /* extension A */
	{ 0x4E00, 0x9FFF },   /* unified ideographs */
	{ 0xAC00, 0xD7AF },   /* hangul syllables */
	{ 0xF900, 0xFAFF },   /* compatibility ideographs */
	{ 0xFF66, 0xFF9F },   /* half-width katakana */
	{ 0xFFA0, 0xFFDC },   /* half-width hangul */
	{ 0x20000, 0x3FFFF }, /* extensions B and later */
};

/* Non-ASCII separators; everything else outside cjk_ranges is a letter. */
static const cp_range sep_ranges[] = {
	{ 0x0080, 0x00BF },   /* C1 controls, Latin-1 punctuation and signs */
	{ 0x00D7, 0x00D7 },   /* × */
	{ 0x00F7, 0x00F7 },   /* ÷ */
	{ 0x2000, 0x2BFF },   /* punctuation, currency, arrows, math, shapes, dingbats */
	{ 0x2E00, 0x2E7F },   /* supplemental punctuation */
	{ 0x2FF0, 0x303F },   /* ideographic description, CJK punctuation */
	{ 0x30FB, 0x30FB },   /* ・ */
	{ 0x3200, 0x33FF },   /* enclosed CJK letters, CJK compatibility */
	{ 0xD800, 0xF8FF },   /* surrogates (never decoded), private use */
	{ 0xFE10, 0xFE1F },   /* vertical forms */
	{ 0xFE30, 0xFE6F },   /* CJK compatibility and small forms */
	{ 0xFF00, 0xFF65 },   /* full-width forms left after folding */
	{ 0xFFE0, 0xFFFF },   /* full-width signs, specials */
	{ 0x1F000, 0x1FAFF }, /* emoji, pictographs, playing cards */
	{ 0xF0000, 0x10FFFF },/* private use planes */
};

/* Invisible characters that must not split 电\u200B梯 into two. */
static const cp_range ignore_ranges[] = {
	{ 0x00AD, 0x00AD },   /* soft hyphen */
	{ 0x0300, 0x036F },   /* combining diacritics */
	{ 0x200B, 0x200F },   /* zero-width space, joiners, direction marks */
	{ 0x2060, 0x2064 },   /* word joiner, invisible operators */
	{ 0xFE00, 0xFE0F },   /* variation selectors */
	{ 0xFEFF, 0xFEFF },   /* byte order mark */
	{ 0xE0000, 0xE01EF }, /* tags, variation selectors supplement */
};

static bool in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

#define IN(cp, table) in_ranges((cp), (table), sizeof(table) / sizeof((table)[0]))

/* Full-width ASCII to ASCII, then letters to lower case. */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	else if (cp == 0x3000)
		cp = ' ';
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

static cp_class classify(uint32_t cp)
{
	if (cp < 0x80) {
		bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
		return alnum ? CP_WORD : CP_SEP;
	}
	if (cp >= 0x4E00 && cp <= 0x9FFF)
		return CP_CJK; /* most of what residents write */
	if (cp == TEXT_UTF8_INVALID)
		return CP_SEP;
	if (IN(cp, cjk_ranges))
		return CP_CJK;
	if (IN(cp, ignore_ranges))
		return CP_IGNORE;
	if (IN(cp, sep_ranges))
		return CP_SEP;
	return CP_WORD;
}

typedef struct scanned_cp {
	uint32_t cp;   /* folded */
	cp_class cls;
	size_t size;   /* input bytes */
} scanned_cp;

static scanned_cp peek_cp(const scanner *sc)
{
	scanned_cp c;
	const unsigned char b = (unsigned char)sc->s[sc->at];
	if (b < 0x80) {
		/* The common case in mixed text: no decoding, no tables. */
		c.cp = fold(b);
		c.size = 1;
	} else {
		uint32_t raw;
		c.size = text_utf8_decode(sc->s + sc->at, sc->len - sc->at, &raw);
		c.cp = raw == TEXT_UTF8_INVALID ? raw : fold(raw);
	}
	c.cls = classify(c.cp);
	return c;
}

void scanner_init(scanner *sc, const char *s, size_t len)
{
	sc->s = s;
	sc->len = s ? len : 0;
	sc->at = 0;
}

static void append_cp(scan_elem *e, uint32_t cp)
{
	char enc[4];
	size_t n = text_utf8_encode(cp, enc);
	/* An overlong word keeps its first TEXT_TOKEN_MAX bytes, whole characters only. */
	if (e->len + n > sizeof(e->text))
		return;
	memcpy(e->text + e->len, enc, n);
	e->len += n;
}

static void read_word(scanner *sc, scan_elem *e)
{
	while (sc->at < sc->len) {
		scanned_cp c = peek_cp(sc);
		if (c.cls != CP_WORD && c.cls != CP_IGNORE)
			break;
		sc->at += c.size;
		if (c.cls == CP_WORD) {
			append_cp(e, c.cp);
			e->end = sc->at;
		}
	}
}

bool scanner_next(scanner *sc, scan_elem *e)
{
	bool separated = sc->at == 0;
	while (sc->at < sc->len) {
		size_t start = sc->at;
		scanned_cp c = peek_cp(sc);
		sc->at += c.size;
		if (c.cls == CP_SEP) {
			separated = true;
			continue;
		}
		if (c.cls == CP_IGNORE)
			continue;
		e->joined = !separated;
		e->start = start;
		e->end = sc->at;
		e->len = 0;
		append_cp(e, c.cp);
		if (c.cls == CP_CJK) {
			e->kind = SCAN_CJK;
		} else {
			e->kind = SCAN_WORD;
			read_word(sc, e);
		}
		return true;
	}
	return false;
}
