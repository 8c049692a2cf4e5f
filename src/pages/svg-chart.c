#include "pages/svg-chart.h"

#include <stdlib.h>

#include "pages/html.h"

#define WIDTH 640
#define LABEL_H 20   /* a label line above its bar */
#define BAR_H 18
#define ROW_H (LABEL_H + BAR_H + 10)
#define BAR_MAX 500  /* bar length at 100 %; the figure is written after it */

const char *chart_decimal(request *r, int64_t num, int64_t den)
{
	if (den <= 0)
		return "0";
	/* Rounded to hundredths in integers, so no locale or float formatting is involved. */
	int64_t hundredths = (num * 100 * 2 + den) / (den * 2);
	return arena_printf(&r->mem, "%lld.%02lld", (long long)(hundredths / 100), (long long)(hundredths % 100));
}

static void svg_open(request *r, const char *title, int height, const char *kind)
{
	html_fmt(r, "<svg class=\"chart chart-%s\" viewBox=\"0 0 %d %d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
		    "<title>%s</title>",
		 kind, WIDTH, height, title);
}

static int bar_length(int64_t value, int64_t max)
{
	if (max <= 0 || value <= 0)
		return 0;
	int64_t len = value * BAR_MAX / max;
	return len < 2 ? 2 : (int)len;   /* a non-zero figure always shows */
}

void chart_bars(request *r, const char *title, const char *const *labels, const int64_t *counts, size_t n,
		int64_t base)
{
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (counts[i] > max)
			max = counts[i];
	svg_open(r, title, (int)n * ROW_H + 4, "bars");
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * ROW_H;
		int len = bar_length(counts[i], max);
		html_fmt(r, "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>", y + 15, labels[i]);
		html_fmt(r, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>", y + LABEL_H, len, BAR_H);
		html_fmt(r, "<text x=\"%d\" y=\"%d\" class=\"figure\">%lld", len + 6, y + LABEL_H + 14, (long long)counts[i]);
		if (base > 0)
			html_fmt(r, " (%s%%)", chart_decimal(r, counts[i] * 100, base));
		html_markup(r, "</text>");
	}
	html_markup(r, "</svg>");
}

void chart_distribution(request *r, const char *title, const int64_t *counts, int n)
{
	enum { TOP = 24, PLOT_H = 160, AXIS = 24 };
	int64_t max = 0;
	for (int v = 1; v <= n; v++)
		if (counts[v] > max)
			max = counts[v];
	int col_w = WIDTH / (n > 0 ? n : 1);
	svg_open(r, title, TOP + PLOT_H + AXIS, "distribution");
	html_fmt(r, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", TOP + PLOT_H, WIDTH, TOP + PLOT_H);
	for (int v = 1; v <= n; v++) {
		int h = max > 0 ? (int)(counts[v] * PLOT_H / max) : 0;
		if (counts[v] > 0 && h < 2)
			h = 2;
		int x = (v - 1) * col_w, mid = x + col_w / 2;
		html_fmt(r, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>", x + col_w / 5,
			 TOP + PLOT_H - h, col_w * 3 / 5, h);
		html_fmt(r, "<text x=\"%d\" y=\"%d\" class=\"figure\" text-anchor=\"middle\">%lld</text>", mid,
			 TOP + PLOT_H - h - 6, (long long)counts[v]);
		html_fmt(r, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%d</text>", mid,
			 TOP + PLOT_H + 18, v);
	}
	html_markup(r, "</svg>");
}

typedef struct ranked {
	size_t index;
	int64_t sum, count;
} ranked;

/* Lower average rank first; unranked options last, in their own order. */
static int ranked_cmp(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;
	if (!a->count || !b->count)
		return a->count && !b->count ? -1 : !a->count && b->count ? 1 : (a->index > b->index) - (a->index < b->index);
	/* a.sum/a.count < b.sum/b.count, compared without division */
	int64_t lhs = a->sum * b->count, rhs = b->sum * a->count;
	if (lhs != rhs)
		return lhs < rhs ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

void chart_ranking(request *r, const char *title, const char *const *labels, const int64_t *rank_sums,
		   const int64_t *rank_counts, size_t n)
{
	ranked *order = ARENA_ARRAY(&r->mem, ranked, n + 1);
	for (size_t i = 0; i < n; i++)
		order[i] = (ranked){ i, rank_sums[i], rank_counts[i] };
	qsort(order, n, sizeof(*order), ranked_cmp);
	svg_open(r, title, (int)n * ROW_H + 4, "ranking");
	for (size_t k = 0; k < n; k++) {
		const ranked *o = &order[k];
		int y = (int)k * ROW_H;
		/* Rank 1 of n draws a full bar, rank n a short one: length (n + 1 - avg) / n. */
		int len = o->count ? bar_length((int64_t)(n + 1) * o->count - o->sum, (int64_t)n * o->count) : 0;
		html_fmt(r, "<text x=\"0\" y=\"%d\" class=\"label\">%zu. %s</text>", y + 15, k + 1, labels[o->index]);
		html_fmt(r, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>", y + LABEL_H, len, BAR_H);
		html_fmt(r, "<text x=\"%d\" y=\"%d\" class=\"figure\">%s</text>", len + 6, y + LABEL_H + 14,
			 o->count ? chart_decimal(r, o->sum, o->count) : "–");
	}
	html_markup(r, "</svg>");
}
