/* UTF-8 helpers shared by input validation and display masking. */
#ifndef GZ_UTIL_UTF8_H
#define GZ_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8 with no NUL and no C0 control other than tab, LF, CR. */
bool utf8_is_clean_text(const char *s, size_t len);
/* Clean text (as above) of min_chars..max_chars code points; with one_line,
 * no line breaks.  NULL counts as the empty string. */
bool utf8_text_fits(const char *s, size_t min_chars, size_t max_chars, bool one_line);
/* Number of code points in well-formed UTF-8. */
size_t utf8_count(const char *s, size_t len);
/* Byte length of the first `n` code points. */
size_t utf8_prefix_len(const char *s, size_t len, size_t n);

#endif
