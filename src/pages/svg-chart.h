/*
 * Charts drawn on the server as inline SVG, written through the escaping
 * writer like any other markup: labels are escaped text, numbers are
 * integers or decimals this file formats itself.  No script, no external
 * file: the page's Content-Security-Policy stays strict, and a chart prints.
 *
 * Every chart is one <svg> with role="img", a <title> naming what it shows,
 * and the figures written as text beside the shapes, so the numbers are
 * there for screen readers and for anyone who cannot read a bar's length.
 */
#ifndef GZ_PAGES_SVG_CHART_H
#define GZ_PAGES_SVG_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

/* Horizontal bars, one a label: count and share of `base` (the
 * responses that answered; 0 gives no percentages). */
void chart_bars(request *r, const char *title, const char *const *labels, const int64_t *counts, size_t n,
		int64_t base);

/* Columns for the values 1..n of a scale (counts[1..n]). */
void chart_distribution(request *r, const char *title, const int64_t *counts, int n);

/* Average rank per option, best (lowest) first: bars are longer for a
 * better rank.  rank_sums[i] / rank_counts[i] is the average; options
 * nobody ranked are drawn last with no bar. */
void chart_ranking(request *r, const char *title, const char *const *labels, const int64_t *rank_sums,
		   const int64_t *rank_counts, size_t n);

/* "3.47": a ratio with two decimals, into the request arena. */
const char *chart_decimal(request *r, int64_t num, int64_t den);

#endif
