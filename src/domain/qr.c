#include "domain/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "util/buf.h"

gz_err qr_encode_svg(arena *a, const char *text, qr_svg *out)
{
	if (!text || !*text)
		return GZ_EINVAL;
	errno = 0;
	QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!code)
		return errno == ERANGE ? GZ_ETOOBIG : GZ_ENOMEM;
	int w = code->width;
	buf path = BUF_INIT;
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			/* Bit 0 of each byte is the module's colour (1: dark). */
			if (!(code->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (code->data[y * w + x + run] & 1))
				run++;
			buf_printf(&path, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE, y + QR_QUIET_ZONE, run, run);
			x += run;
		}
	}
	QRcode_free(code);
	if (path.failed) {
		buf_release(&path);
		return GZ_ENOMEM;
	}
	out->modules = w;
	out->view = w + 2 * QR_QUIET_ZONE;
	out->path = arena_strndup(a, path.data, path.len);
	buf_release(&path);
	return GZ_OK;
}
