/*
 * QR codes as SVG, for posters that take residents straight to a page.
 *
 * The code is drawn as one SVG path in a viewBox of (modules + 8) units
 * square: each dark module is one unit, and a quiet zone of four modules
 * surrounds the symbol as the standard asks.  Dark modules of a row are
 * merged into runs ("M4 4h7v1h-7z"), which keeps a poster's path short.
 * The path holds only digits, spaces and the letters M h v z, so it is safe
 * in an attribute; it is still written through the escaping writer.
 */
#ifndef GZ_DOMAIN_QR_H
#define GZ_DOMAIN_QR_H

#include "util/arena.h"
#include "util/error.h"

#define QR_QUIET_ZONE 4

typedef struct qr_svg {
	int modules;        /* symbol width in modules, without the quiet zone */
	int view;           /* viewBox width and height: modules + 2 * QR_QUIET_ZONE */
	const char *path;   /* the "d" attribute of the dark modules, in the arena */
} qr_svg;

/*
 * Encodes `text` (8-bit mode, error correction level M: a poster may get
 * scuffed).  GZ_EINVAL for an empty text, GZ_ETOOBIG when it does not fit
 * the largest symbol, GZ_ENOMEM when the encoder fails otherwise.
 */
gz_err qr_encode_svg(arena *a, const char *text, qr_svg *out);

#endif
