#include "i18n/i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int compare_key(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

static size_t lang_index(const char *lang)
{
	for (size_t i = 0; i < i18n_lang_count; i++)
		if (!strcmp(i18n_langs[i], lang))
			return i;
	return 0;
}

const char *i18n_get(const char *lang, const char *key)
{
	const char *const *hit = bsearch(key, i18n_keys, i18n_key_count, sizeof(i18n_keys[0]), compare_key);
	if (!hit)
		return key;
	size_t k = (size_t)(hit - i18n_keys);
	return i18n_texts[lang_index(lang ? lang : "zh") * i18n_key_count + k];
}

const char *i18n_lang(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < i18n_lang_count; i++)
		if (!strcmp(i18n_langs[i], code))
			return i18n_langs[i];
	return NULL;
}

/* Quality of one Accept-Language entry such as "en-GB;q=0.8". */
static double entry_quality(const char *entry, size_t len)
{
	const char *q = memmem(entry, len, ";q=", 3);
	return q ? atof(q + 3) : 1.0;
}

const char *i18n_negotiate(const char *header)
{
	double best_zh = -1, best_en = -1;
	const char *p = header ? header : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		double q = len >= 2 ? entry_quality(p, len) : 0;
		if (q > 0) {   /* q=0 (or unreadable) means "not this language" */
			if (!strncasecmp(p, "zh", 2) && q > best_zh)
				best_zh = q;
			else if (!strncasecmp(p, "en", 2) && q > best_en)
				best_en = q;
		}
		p += len;
	}
	return best_en > best_zh ? "en" : "zh";
}
