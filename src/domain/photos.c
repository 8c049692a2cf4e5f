#include "domain/photos.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const unsigned char png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

photo_kind photo_sniff(const unsigned char *d, size_t len)
{
	if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return PHOTO_JPEG;
	if (len >= 8 && !memcmp(d, png_signature, 8))
		return PHOTO_PNG;
	if (len >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
		return PHOTO_WEBP;
	return PHOTO_NONE;
}

const char *photo_mime(photo_kind kind)
{
	switch (kind) {
	case PHOTO_JPEG: return "image/jpeg";
	case PHOTO_PNG: return "image/png";
	case PHOTO_WEBP: return "image/webp";
	default: return NULL;
	}
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/*
 * JPEG: SOI, then marker segments (FF xx, a big-endian length that counts
 * itself, the payload) up to SOS, after which the entropy-coded data and
 * everything else are copied unchanged.  Fill bytes (FF FF ...) and
 * standalone markers (RST, TEM) carry no length.
 */
static gz_err strip_jpeg(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len)
{
	size_t i = 2, o = 2;
	memcpy(out, in, 2);
	for (;;) {
		if (i + 2 > len || in[i] != 0xff)
			return GZ_EINVAL;
		unsigned char marker = in[i + 1];
		if (marker == 0xff) {   /* fill byte */
			i++;
			continue;
		}
		if (marker == 0xd9 || marker == 0xd8 || marker == 0x00)
			return GZ_EINVAL;   /* EOI or SOI before any scan */
		if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			out[o++] = in[i++];
			out[o++] = in[i++];
			continue;
		}
		if (i + 4 > len)
			return GZ_EINVAL;
		size_t seg = (size_t)in[i + 2] << 8 | in[i + 3];
		if (seg < 2 || i + 2 + seg > len)
			return GZ_EINVAL;
		if (marker == 0xda) {   /* start of scan: the rest is image data */
			memcpy(out + o, in + i, len - i);
			*out_len = o + (len - i);
			return GZ_OK;
		}
		bool drop = marker == 0xe1 || marker == 0xed;   /* APP1 (EXIF, XMP), APP13 (IPTC) */
		if (!drop) {
			memcpy(out + o, in + i, 2 + seg);
			o += 2 + seg;
		}
		i += 2 + seg;
	}
}

/* PNG: the signature, then chunks of length (BE), type, data, CRC; IHDR
 * first, IEND last. */
static gz_err strip_png(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len)
{
	size_t i = 8, o = 8;
	bool first = true;
	memcpy(out, in, 8);
	while (i < len) {
		if (len - i < 12)
			return GZ_EINVAL;
		uint32_t n = be32(in + i);
		if (n > len - i - 12)
			return GZ_EINVAL;
		const unsigned char *type = in + i + 4;
		for (int k = 0; k < 4; k++)
			if (!((type[k] >= 'A' && type[k] <= 'Z') || (type[k] >= 'a' && type[k] <= 'z')))
				return GZ_EINVAL;
		if (first && memcmp(type, "IHDR", 4))
			return GZ_EINVAL;
		first = false;
		size_t total = 12 + (size_t)n;
		bool drop = !memcmp(type, "eXIf", 4) || !memcmp(type, "iTXt", 4) || !memcmp(type, "tEXt", 4) ||
			    !memcmp(type, "zTXt", 4);
		if (!drop) {
			memcpy(out + o, in + i, total);
			o += total;
		}
		i += total;
		if (!memcmp(type, "IEND", 4)) {
			*out_len = o;
			return GZ_OK;
		}
	}
	return GZ_EINVAL;   /* no IEND */
}

/* WebP: RIFF size WEBP, then chunks of fourcc, size (LE), data padded to an
 * even length.  The RIFF size is rewritten for what is left. */
static gz_err strip_webp(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len)
{
	uint32_t riff = le32(in + 4);
	if (riff < 4 || (size_t)riff + 8 > len)
		return GZ_EINVAL;
	size_t end = (size_t)riff + 8, i = 12, o = 12, vp8x = 0;
	bool image = false;
	memcpy(out, in, 12);
	while (i < end) {
		if (end - i < 8)
			return GZ_EINVAL;
		uint32_t n = le32(in + i + 4);
		size_t total = 8 + (size_t)n + (n & 1);
		if ((size_t)n > end - i - 8 || total > end - i)
			return GZ_EINVAL;
		const unsigned char *fourcc = in + i;
		bool drop = !memcmp(fourcc, "EXIF", 4) || !memcmp(fourcc, "XMP ", 4);
		if (!memcmp(fourcc, "VP8 ", 4) || !memcmp(fourcc, "VP8L", 4) || !memcmp(fourcc, "ANIM", 4))
			image = true;
		if (!drop) {
			if (!memcmp(fourcc, "VP8X", 4) && n >= 1)
				vp8x = o;
			memcpy(out + o, in + i, total);
			o += total;
		}
		i += total;
	}
	if (!image)
		return GZ_EINVAL;
	if (vp8x)
		out[vp8x + 8] &= (unsigned char)~0x0c;   /* no EXIF (0x08), no XMP (0x04) any more */
	put_le32(out + 4, (uint32_t)(o - 8));
	*out_len = o;
	return GZ_OK;
}

gz_err photo_strip(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len, photo_kind *kind)
{
	*out_len = 0;
	*kind = photo_sniff(in, len);
	if (len > PHOTO_MAX_BYTES)
		return GZ_ETOOBIG;
	switch (*kind) {
	case PHOTO_JPEG: return strip_jpeg(in, len, out, out_len);
	case PHOTO_PNG: return strip_png(in, len, out, out_len);
	case PHOTO_WEBP: return strip_webp(in, len, out, out_len);
	default: return GZ_EINVAL;
	}
}
