/*
 * Clustering near-duplicate needs for the staff view.
 *
 * 1. Every item gets its feature set.  Items with identical sets (the same
 *    need typed again, with other punctuation) are linked at once, and only
 *    one of each group goes on to step 2.
 * 2. An inverted list (feature -> items holding it) gives, for each item,
 *    the later items sharing a feature with it; each such pair is scored
 *    exactly and linked when the score reaches the threshold.  Features held
 *    by more than COMMON_FEATURE items are not followed: they would make the
 *    cost quadratic, and a pair that shares only such features is rarely a
 *    near-duplicate.
 * 3. Linked items form clusters through union-find.
 */
#include "text/scan.h"

#include <stdlib.h>
#include <string.h>

#define COMMON_FEATURE 200

/* All items' features, back to back: item i owns hash[off[i] .. off[i+1]). */
typedef struct feature_table {
	uint64_t *hash;
	size_t *off;
} feature_table;

typedef struct posting {
	uint64_t hash;
	size_t item;
} posting;

typedef struct union_find {
	size_t *parent;
	size_t *size;
} union_find;

static size_t uf_find(union_find *uf, size_t x)
{
	while (uf->parent[x] != x) {
		uf->parent[x] = uf->parent[uf->parent[x]]; /* path halving */
		x = uf->parent[x];
	}
	return x;
}

static void uf_union(union_find *uf, size_t a, size_t b)
{
	a = uf_find(uf, a);
	b = uf_find(uf, b);
	if (a == b)
		return;
	if (uf->size[a] < uf->size[b]) {
		size_t t = a;
		a = b;
		b = t;
	}
	uf->parent[b] = a;
	uf->size[a] += uf->size[b];
}

static text_features view(const feature_table *t, size_t i)
{
	/* t->hash stays NULL when no item has a feature; NULL + 0 is undefined. */
	return (text_features){ .hash = t->hash ? t->hash + t->off[i] : NULL, .count = t->off[i + 1] - t->off[i] };
}

static int build_table(feature_table *t, const text_item *items, size_t n)
{
	text_features f;
	text_features_init(&f);
	size_t cap = 0, used = 0;
	int rc = 0;
	t->off[0] = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		rc = text_features_build(&f, items[i].text, items[i].len);
		if (!rc && used + f.count > cap) {
			size_t newcap = (used + f.count) * 2 + 256;
			uint64_t *p = realloc(t->hash, newcap * sizeof(*p));
			rc = p ? 0 : -1;
			if (p) {
				t->hash = p;
				cap = newcap;
			}
		}
		if (!rc && f.count) {
			memcpy(t->hash + used, f.hash, f.count * sizeof(*f.hash));
			used += f.count;
		}
		t->off[i + 1] = used;
	}
	text_features_release(&f);
	return rc;
}

/* ---- Step 1: identical sets ------------------------------------------ */

typedef struct set_key {
	uint64_t key;   /* a hash of the whole feature set */
	size_t item;
} set_key;

static int compare_set_key(const void *a, const void *b)
{
	const set_key *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->item > y->item) - (x->item < y->item);
}

static bool same_set(const feature_table *t, size_t a, size_t b)
{
	text_features x = view(t, a), y = view(t, b);
	return x.count == y.count && memcmp(x.hash, y.hash, x.count * sizeof(*x.hash)) == 0;
}

/* Link items with identical non-empty sets; mark all but one of each as
 * not a representative. */
static int link_identical(const feature_table *t, size_t n, union_find *uf, bool *rep)
{
	set_key *keys = malloc((n ? n : 1) * sizeof(*keys));
	if (!keys)
		return -1;
	for (size_t i = 0; i < n; i++) {
		text_features f = view(t, i);
		uint64_t h = 0x9E3779B97F4A7C15u ^ f.count;
		for (size_t k = 0; k < f.count; k++)
			h = (h ^ f.hash[k]) * 0x100000001b3u;
		keys[i] = (set_key){ .key = h, .item = i };
		rep[i] = f.count > 0;
	}
	qsort(keys, n, sizeof(*keys), compare_set_key);
	for (size_t i = 1; i < n; i++) {
		size_t a = keys[i - 1].item, b = keys[i].item;
		if (keys[i - 1].key != keys[i].key || !rep[b] || !same_set(t, a, b))
			continue;
		uf_union(uf, a, b);
		rep[b] = false;
		keys[i].item = a; /* so a third copy compares with the representative */
	}
	free(keys);
	return 0;
}

/* ---- Step 2: similar pairs through shared features ------------------- */

static int compare_posting(const void *a, const void *b)
{
	const posting *x = a, *y = b;
	if (x->hash != y->hash)
		return (x->hash > y->hash) - (x->hash < y->hash);
	return (x->item > y->item) - (x->item < y->item);
}

/* First posting with hash >= h. */
static size_t lower_bound(const posting *p, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

typedef struct pair_finder {
	const feature_table *t;
	posting *postings;
	size_t npostings;
	size_t *seen_by;   /* seen_by[j] == i + 1: j already a candidate for i */
	size_t *candidates;
} pair_finder;

static size_t gather_candidates(pair_finder *pf, size_t i)
{
	text_features f = view(pf->t, i);
	size_t ncand = 0;
	for (size_t k = 0; k < f.count; k++) {
		size_t lo = lower_bound(pf->postings, pf->npostings, f.hash[k]);
		size_t hi = lo;
		while (hi < pf->npostings && pf->postings[hi].hash == f.hash[k])
			hi++;
		if (hi - lo > COMMON_FEATURE)
			continue;
		for (size_t p = lo; p < hi; p++) {
			size_t j = pf->postings[p].item;
			if (j > i && pf->seen_by[j] != i + 1) {
				pf->seen_by[j] = i + 1;
				pf->candidates[ncand++] = j;
			}
		}
	}
	return ncand;
}

static int link_similar(const feature_table *t, size_t n, const bool *rep, double threshold,
			union_find *uf)
{
	pair_finder pf = { .t = t };
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += rep[i] ? t->off[i + 1] - t->off[i] : 0;
	pf.postings = malloc((total ? total : 1) * sizeof(*pf.postings));
	pf.seen_by = calloc(n ? n : 1, sizeof(*pf.seen_by));
	pf.candidates = malloc((n ? n : 1) * sizeof(*pf.candidates));
	int rc = pf.postings && pf.seen_by && pf.candidates ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++)
		for (size_t k = t->off[i]; rep[i] && k < t->off[i + 1]; k++)
			pf.postings[pf.npostings++] = (posting){ .hash = t->hash[k], .item = i };
	if (!rc)
		qsort(pf.postings, pf.npostings, sizeof(*pf.postings), compare_posting);
	for (size_t i = 0; i < n && !rc; i++) {
		if (!rep[i])
			continue;
		text_features a = view(t, i);
		size_t ncand = gather_candidates(&pf, i);
		for (size_t c = 0; c < ncand; c++) {
			text_features b = view(t, pf.candidates[c]);
			if (text_similarity(&a, &b) >= threshold)
				uf_union(uf, i, pf.candidates[c]);
		}
	}
	free(pf.postings);
	free(pf.seen_by);
	free(pf.candidates);
	return rc;
}

/* ---- Step 3: clusters out of the union-find -------------------------- */

void text_clusters_init(text_clusters *c)
{
	c->members = NULL;
	c->start = NULL;
	c->count = 0;
}

void text_clusters_release(text_clusters *c)
{
	free(c->members);
	free(c->start);
	text_clusters_init(c);
}

/* Number the clusters in order of their first member, then lay out the
 * members of each in ascending order. */
static int collect_clusters(union_find *uf, size_t n, text_clusters *out)
{
	size_t *cluster_of_root = malloc((n ? n : 1) * sizeof(size_t));
	size_t *fill = NULL;
	if (!cluster_of_root)
		return -1;
	size_t count = 0, members = 0;
	for (size_t i = 0; i < n; i++)
		cluster_of_root[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t r = uf_find(uf, i);
		if (uf->size[r] < 2)
			continue;
		if (cluster_of_root[r] == SIZE_MAX) {
			cluster_of_root[r] = count++;
			members += uf->size[r];
		}
	}
	out->members = malloc((members ? members : 1) * sizeof(size_t));
	out->start = calloc(count + 1, sizeof(size_t));
	fill = calloc(count ? count : 1, sizeof(size_t));
	int rc = out->members && out->start && fill ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t r = uf_find(uf, i);
		if (uf->size[r] >= 2)
			out->start[cluster_of_root[r] + 1] = uf->size[r];
	}
	for (size_t k = 0; k < count && !rc; k++)
		out->start[k + 1] += out->start[k];
	for (size_t i = 0; i < n && !rc; i++) {
		size_t r = uf_find(uf, i);
		if (uf->size[r] < 2)
			continue;
		size_t k = cluster_of_root[r];
		out->members[out->start[k] + fill[k]++] = i;
	}
	out->count = rc ? 0 : count;
	free(fill);
	free(cluster_of_root);
	return rc;
}

int text_cluster(const text_item *items, size_t n, double threshold, text_clusters *out)
{
	feature_table t = { .hash = NULL, .off = malloc((n + 1) * sizeof(size_t)) };
	union_find uf = {
		.parent = malloc((n ? n : 1) * sizeof(size_t)),
		.size = malloc((n ? n : 1) * sizeof(size_t)),
	};
	bool *rep = malloc(n ? n : 1);
	text_clusters_release(out);
	int rc = t.off && uf.parent && uf.size && rep ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++) {
		uf.parent[i] = i;
		uf.size[i] = 1;
	}
	if (!rc)
		rc = build_table(&t, items, n);
	if (!rc)
		rc = link_identical(&t, n, &uf, rep);
	if (!rc)
		rc = link_similar(&t, n, rep, threshold, &uf);
	if (!rc)
		rc = collect_clusters(&uf, n, out);
	if (rc)
		text_clusters_release(out);
	free(rep);
	free(uf.parent);
	free(uf.size);
	free(t.hash);
	free(t.off);
	return rc;
}
