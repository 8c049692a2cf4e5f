/*
 * What the needs pages share with the drafts and inbox pages and the JSON
 * API: reading list filters from the query string, and showing a need.
 */
#ifndef GZ_PAGES_PAGE_NEEDS_H
#define GZ_PAGES_PAGE_NEEDS_H

#include "domain/drafts.h"
#include "domain/needs.h"
#include "pages/pages.h"

#define NEEDS_PER_PAGE 20

/* Reads q, category, community, status, from, to and page from the query
 * string into a filter for `per_page` rows; GZ_EINVAL names the bad field. */
gz_err needs_read_filter(request *r, need_filter *f, int64_t *page, int64_t per_page, const char **bad);

/* The submitter as this reader may see them: masked unless the submitter
 * chose to show the name or the reader may see restricted data. */
const char *need_submitter_shown(request *r, const need *n);
/* True when the reader may see restricted data about this need. */
bool need_reader_restricted(request *r, const need *n);

/* One need in a list; `pick` adds a checkbox named "need" for staff. */
void need_card(request *r, const need *n, bool pick, bool supported);
/* The localized status of a need ("已纳入拟办") */
const char *need_status_label(request *r, need_status s);

/* Reads q, category, scope and page for the drafts list (20 a page). */
gz_err drafts_read_filter(request *r, draft_filter *f, int64_t *page);

#endif
