/*
 * Photos attached to needs: what a file is, judged by its bytes (never by
 * its name or the type the browser claimed), and a copy of it without the
 * metadata that can give away where the photo was taken or by whom.
 *
 * Removed before a photo is stored:
 *   JPEG  APP1 segments (EXIF, with GPS, and XMP) and APP13 (IPTC);
 *   PNG   eXIf chunks and iTXt/tEXt/zTXt chunks (XMP lives in iTXt);
 *   WebP  EXIF and "XMP " chunks, and their flags in the VP8X header.
 * Everything else is copied byte for byte, so the picture itself is
 * unchanged (a JPEG loses its EXIF orientation with the rest).
 *
 * Pure functions over bytes, no allocation: they are unit-tested and can be
 * fuzzed on their own.
 */
#ifndef GZ_DOMAIN_PHOTOS_H
#define GZ_DOMAIN_PHOTOS_H

#include <stddef.h>

#include "util/error.h"

#define PHOTO_MAX_BYTES (3u * 1024 * 1024)   /* per photo */
#define PHOTO_MAX_COUNT 3                    /* per need */

typedef enum photo_kind { PHOTO_NONE, PHOTO_JPEG, PHOTO_PNG, PHOTO_WEBP } photo_kind;

/* The kind the content says, PHOTO_NONE when it is none of the three. */
photo_kind photo_sniff(const unsigned char *data, size_t len);
/* "image/jpeg", "image/png", "image/webp"; NULL for PHOTO_NONE. */
const char *photo_mime(photo_kind kind);

/*
 * Copies `in` into `out` (room for at least `len` bytes: the copy is never
 * longer) without location and other metadata, and sets *out_len.  Checks the
 * container structure on the way: GZ_EINVAL for a file that is not a
 * well-formed JPEG, PNG or WebP, GZ_ETOOBIG above PHOTO_MAX_BYTES.
 */
gz_err photo_strip(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len, photo_kind *kind);

#endif
