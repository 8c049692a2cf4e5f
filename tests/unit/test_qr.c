/* QR codes as SVG paths: the path, read back, must draw exactly the
 * encoder's dark modules, offset by the quiet zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "domain/qr.h"

/* Paints the runs of an "M x y h n v1 h-n z" path into a view x view grid. */
static unsigned char *paint(const qr_svg *svg)
{
	unsigned char *grid = calloc((size_t)(svg->view * svg->view), 1);
	const char *p = svg->path;
	int x, y, run, back, used;
	while (*p) {
		assert_int_equal(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &used), 4);
		assert_int_equal(run, back);
		assert_true(x >= QR_QUIET_ZONE && y >= QR_QUIET_ZONE);
		assert_true(x + run <= svg->view - QR_QUIET_ZONE && y < svg->view - QR_QUIET_ZONE);
		for (int i = 0; i < run; i++) {
			assert_int_equal(grid[y * svg->view + x + i], 0);   /* runs never overlap */
			grid[y * svg->view + x + i] = 1;
		}
		p += used;
	}
	return grid;
}

static void check_round_trip(const char *text, int expected_modules)
{
	arena a = ARENA_INIT;
	qr_svg svg;
	assert_int_equal(qr_encode_svg(&a, text, &svg), GZ_OK);
	if (expected_modules)
		assert_int_equal(svg.modules, expected_modules);
	assert_int_equal(svg.view, svg.modules + 2 * QR_QUIET_ZONE);
	QRcode *ref = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	assert_non_null(ref);
	assert_int_equal(ref->width, svg.modules);
	unsigned char *grid = paint(&svg);
	for (int y = 0; y < svg.view; y++)
		for (int x = 0; x < svg.view; x++) {
			bool inside = x >= QR_QUIET_ZONE && y >= QR_QUIET_ZONE && x < svg.view - QR_QUIET_ZONE &&
				      y < svg.view - QR_QUIET_ZONE;
			int want = inside ? ref->data[(y - QR_QUIET_ZONE) * ref->width + x - QR_QUIET_ZONE] & 1 : 0;
			assert_int_equal(grid[y * svg.view + x], want);
		}
	free(grid);
	QRcode_free(ref);
	arena_release(&a);
}

static void test_round_trips(void **state)
{
	static const struct {
		const char *text;
		int modules;   /* 0: whatever version fits */
	} cases[] = {
		{ "A", 21 },
		{ "http://127.0.0.1:8080/surveys/1", 29 },
		{ "https://gongzhi.example.cn/surveys/123456", 0 },
		{ "望湖街道 问需 调查问卷", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_round_trip(cases[i].text, cases[i].modules);
}

static void test_finder_pattern_comes_first(void **state)
{
	arena a = ARENA_INIT;
	qr_svg svg;
	assert_int_equal(qr_encode_svg(&a, "finder", &svg), GZ_OK);
	/* The top-left finder's first row is seven dark modules at the quiet zone. */
	assert_true(!strncmp(svg.path, "M4 4h7v1h-7z", 12));
	arena_release(&a);
}

static void test_refusals(void **state)
{
	arena a = ARENA_INIT;
	qr_svg svg;
	assert_int_equal(qr_encode_svg(&a, "", &svg), GZ_EINVAL);
	assert_int_equal(qr_encode_svg(&a, NULL, &svg), GZ_EINVAL);
	/* Version 40-M holds 2331 bytes; 3000 cannot fit. */
	char *big = malloc(3001);
	memset(big, 'x', 3000);
	big[3000] = '\0';
	assert_int_equal(qr_encode_svg(&a, big, &svg), GZ_ETOOBIG);
	free(big);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_finder_pattern_comes_first),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
