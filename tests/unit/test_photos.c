/* Photos: the kind is read from the bytes, and location metadata (EXIF, XMP,
 * IPTC) is gone from what is stored while the picture data stays intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/photos.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A byte string being assembled by a test. */
typedef struct bytes {
	unsigned char data[4096];
	size_t len;
} bytes;

static void put(bytes *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->data));
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put_be16(bytes *b, unsigned v)
{
	unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };
	put(b, x, 2);
}

static void put_be32(bytes *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v };
	put(b, x, 4);
}

static void put_le32(bytes *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	put(b, x, 4);
}

static bool contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return true;
	return false;
}

/* A JPEG segment: FF marker, length (counting itself), payload. */
static void jpeg_segment(bytes *b, unsigned char marker, const char *payload)
{
	unsigned char m[2] = { 0xff, marker };
	put(b, m, 2);
	put_be16(b, (unsigned)strlen(payload) + 2);
	put(b, payload, strlen(payload));
}

static bytes sample_jpeg(bool with_metadata)
{
	bytes b = { .len = 0 };
	put(&b, "\xff\xd8", 2);
	jpeg_segment(&b, 0xe0, "JFIF\0\1\1");
	if (with_metadata) {
		jpeg_segment(&b, 0xe1, "Exif\0\0GPSLatitude 39.9042 GPSLongitude 116.4074");
		jpeg_segment(&b, 0xe1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS</x:xmpmeta>");
		jpeg_segment(&b, 0xed, "Photoshop 3.0\0IPTC location");
	}
	jpeg_segment(&b, 0xdb, "quant-table");
	jpeg_segment(&b, 0xda, "scan-header");
	put(&b, "\x12\x34\xff\x00\x56\xff\xd0\x78\xff\xd9", 10);   /* entropy data with stuffing and a restart */
	return b;
}

static void png_chunk(bytes *b, const char *type, const char *data, size_t n)
{
	put_be32(b, (uint32_t)n);
	put(b, type, 4);
	put(b, data, n);
	put_be32(b, 0xdeadbeef);   /* CRC: not checked, copied */
}

static bytes sample_png(bool with_metadata, bool ihdr_first, bool with_end)
{
	bytes b = { .len = 0 };
	put(&b, "\x89PNG\r\n\x1a\n", 8);
	if (!ihdr_first)
		png_chunk(&b, "tEXt", "Comment\0hi", 10);
	png_chunk(&b, "IHDR", "\0\0\0\1\0\0\0\1\x08\x02\0\0\0", 13);
	if (with_metadata) {
		png_chunk(&b, "eXIf", "MM\0*GPS", 7);
		png_chunk(&b, "iTXt", "XML:com.adobe.xmp\0\0\0\0\0<GPS/>", 29);
	}
	png_chunk(&b, "IDAT", "pixels", 6);
	if (with_end)
		png_chunk(&b, "IEND", "", 0);
	return b;
}

static void webp_chunk(bytes *b, const char *fourcc, const char *data, size_t n)
{
	put(b, fourcc, 4);
	put_le32(b, (uint32_t)n);
	put(b, data, n);
	if (n & 1)
		put(b, "\0", 1);
}

static bytes sample_webp(bool with_metadata, bool with_image)
{
	bytes b = { .len = 0 };
	put(&b, "RIFF\0\0\0\0WEBP", 12);
	webp_chunk(&b, "VP8X", "\x0c\0\0\0\0\0\0\0\0\0", 10);
	if (with_image)
		webp_chunk(&b, "VP8 ", "frame", 5);
	if (with_metadata) {
		webp_chunk(&b, "EXIF", "MM\0*GPS", 7);
		webp_chunk(&b, "XMP ", "<GPS/>", 6);
	}
	b.data[4] = (unsigned char)(b.len - 8);   /* small samples: the size fits one byte */
	return b;
}

static void test_sniff(void **state)
{
	(void)state;
	bytes j = sample_jpeg(false), p = sample_png(false, true, true), w = sample_webp(false, true);
	static const struct {
		const char *data;
		size_t len;
		photo_kind want;
	} cases[] = {
		{ "GIF89a....", 10, PHOTO_NONE },
		{ "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 41, PHOTO_NONE },
		{ "%PDF-1.7", 8, PHOTO_NONE },
		{ "\xff\xd8", 2, PHOTO_NONE },
		{ "RIFF\0\0\0\0WAVE", 12, PHOTO_NONE },
		{ "", 0, PHOTO_NONE },
	};
	for (size_t i = 0; i < COUNT(cases); i++)
		assert_int_equal(photo_sniff((const unsigned char *)cases[i].data, cases[i].len), cases[i].want);
	assert_int_equal(photo_sniff(j.data, j.len), PHOTO_JPEG);
	assert_int_equal(photo_sniff(p.data, p.len), PHOTO_PNG);
	assert_int_equal(photo_sniff(w.data, w.len), PHOTO_WEBP);
	assert_string_equal(photo_mime(PHOTO_JPEG), "image/jpeg");
	assert_string_equal(photo_mime(PHOTO_PNG), "image/png");
	assert_string_equal(photo_mime(PHOTO_WEBP), "image/webp");
	assert_null(photo_mime(PHOTO_NONE));
}

static void test_jpeg_strip(void **state)
{
	(void)state;
	bytes in = sample_jpeg(true), clean = sample_jpeg(false);
	unsigned char out[4096];
	size_t len;
	photo_kind kind;
	assert_int_equal(photo_strip(in.data, in.len, out, &len, &kind), GZ_OK);
	assert_int_equal(kind, PHOTO_JPEG);
	assert_false(contains(out, len, "Exif"));
	assert_false(contains(out, len, "GPS"));
	assert_false(contains(out, len, "IPTC"));
	/* Exactly the file without the metadata segments, scan data untouched. */
	assert_int_equal(len, clean.len);
	assert_memory_equal(out, clean.data, len);
	/* A file without metadata passes through unchanged. */
	assert_int_equal(photo_strip(clean.data, clean.len, out, &len, &kind), GZ_OK);
	assert_memory_equal(out, clean.data, clean.len);
}

static void test_png_strip(void **state)
{
	(void)state;
	bytes in = sample_png(true, true, true), clean = sample_png(false, true, true);
	unsigned char out[4096];
	size_t len;
	photo_kind kind;
	assert_int_equal(photo_strip(in.data, in.len, out, &len, &kind), GZ_OK);
	assert_int_equal(kind, PHOTO_PNG);
	assert_false(contains(out, len, "eXIf"));
	assert_false(contains(out, len, "GPS"));
	assert_int_equal(len, clean.len);
	assert_memory_equal(out, clean.data, len);
}

static void test_webp_strip(void **state)
{
	(void)state;
	bytes in = sample_webp(true, true);
	unsigned char out[4096];
	size_t len;
	photo_kind kind;
	assert_int_equal(photo_strip(in.data, in.len, out, &len, &kind), GZ_OK);
	assert_int_equal(kind, PHOTO_WEBP);
	assert_false(contains(out, len, "EXIF"));
	assert_false(contains(out, len, "XMP "));
	assert_false(contains(out, len, "GPS"));
	assert_true(contains(out, len, "VP8 "));
	/* The RIFF size covers what is left, and VP8X no longer claims metadata. */
	uint32_t riff = (uint32_t)out[4] | (uint32_t)out[5] << 8 | (uint32_t)out[6] << 16 | (uint32_t)out[7] << 24;
	assert_int_equal(riff + 8, len);
	assert_int_equal(out[12 + 8] & 0x0c, 0);
}

static void test_malformed_refused(void **state)
{
	(void)state;
	unsigned char out[4096];
	size_t len;
	photo_kind kind;
	bytes cut = sample_jpeg(true);
	cut.len = 12;   /* the APP1 length runs past the end */
	bytes png_no_end = sample_png(true, true, false), png_late_header = sample_png(false, false, true);
	bytes webp_no_image = sample_webp(true, false), webp_long = sample_webp(false, true);
	webp_long.data[4] = (unsigned char)(webp_long.len + 10);   /* RIFF says more than there is */
	bytes *cases[] = { &cut, &png_no_end, &png_late_header, &webp_no_image, &webp_long };
	for (size_t i = 0; i < COUNT(cases); i++)
		assert_int_equal(photo_strip(cases[i]->data, cases[i]->len, out, &len, &kind), GZ_EINVAL);
	const char *text = "just text, named photo.jpg";
	assert_int_equal(photo_strip((const unsigned char *)text, strlen(text), out, &len, &kind), GZ_EINVAL);
	assert_int_equal(kind, PHOTO_NONE);
}

static void test_size_limit(void **state)
{
	(void)state;
	size_t n = PHOTO_MAX_BYTES + 1;
	unsigned char *big = calloc(1, n), *out = malloc(n);
	assert_non_null(big);
	assert_non_null(out);
	memcpy(big, "\xff\xd8\xff", 3);
	size_t len;
	photo_kind kind;
	assert_int_equal(photo_strip(big, n, out, &len, &kind), GZ_ETOOBIG);
	free(big);
	free(out);
}

/* Every prefix of a valid file is either refused or parsed within bounds
 * (ASan watches the reads). */
static void test_every_prefix(void **state)
{
	(void)state;
	bytes samples[] = { sample_jpeg(true), sample_png(true, true, true), sample_webp(true, true) };
	unsigned char out[4096];
	for (size_t s = 0; s < COUNT(samples); s++)
		for (size_t n = 0; n <= samples[s].len; n++) {
			unsigned char *copy = malloc(n ? n : 1);
			memcpy(copy, samples[s].data, n);
			size_t len = 0;
			photo_kind kind;
			gz_err rc = photo_strip(copy, n, out, &len, &kind);
			assert_true(rc == GZ_OK || rc == GZ_EINVAL);
			assert_true(len <= n);
			free(copy);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_jpeg_strip),
		cmocka_unit_test(test_png_strip),
		cmocka_unit_test(test_webp_strip),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_every_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
