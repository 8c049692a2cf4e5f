/*
 * Interface strings.  Chinese (zh) is the first language, English (en) the
 * second.  Each language has one catalogue, src/i18n/<lang>.txt, compiled in
 * at build time; the build fails when a key is missing from either.
 */
#ifndef GZ_I18N_I18N_H
#define GZ_I18N_I18N_H

#include <stddef.h>

extern const size_t i18n_key_count;
extern const char *const i18n_keys[];          /* sorted */
extern const char *const i18n_langs[];         /* "zh", "en" */
extern const size_t i18n_lang_count;
extern const char *const i18n_texts[];         /* [lang * i18n_key_count + key] */

/* The text for `key` in `lang` ("zh" or "en"); the key itself when unknown,
 * so a missing string shows up on screen instead of crashing. */
const char *i18n_get(const char *lang, const char *key);
/* "en" when the Accept-Language header prefers English over Chinese, else "zh". */
const char *i18n_negotiate(const char *accept_language);
/* The supported language code equal to `code`, or NULL. */
const char *i18n_lang(const char *code);

#endif
