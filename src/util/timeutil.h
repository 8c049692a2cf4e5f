/* Time in one representation: int64 seconds since the Unix epoch (UTC),
 * shown and entered as dates in China Standard Time (UTC+8), which has no
 * daylight saving. */
#ifndef GZ_UTIL_TIMEUTIL_H
#define GZ_UTIL_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

int64_t time_now(void);
/* Monotonic microseconds, for measuring durations. */
int64_t time_mono_usec(void);
/* "YYYY-MM-DD" in UTC+8 into out[11]. */
void time_format_date(int64_t t, char out[11]);
/* "YYYY-MM-DD HH:MM" in UTC+8 into out[17]. */
void time_format_minute(int64_t t, char out[17]);
/* Parses "YYYY-MM-DD" (UTC+8 midnight); false when malformed or not a real date. */
bool time_parse_date(const char *s, int64_t *out);
/* Calendar year in UTC+8. */
int time_year(int64_t t);

#endif
