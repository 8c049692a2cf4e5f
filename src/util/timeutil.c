#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CST_OFFSET (8 * 3600)

int64_t time_now(void)
{
	return (int64_t)time(NULL);
}

int64_t time_mono_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct tm to_cst(int64_t t)
{
	time_t shifted = (time_t)(t + CST_OFFSET);
	struct tm tm;
	gmtime_r(&shifted, &tm);
	return tm;
}

void time_format_date(int64_t t, char out[11])
{
	struct tm tm = to_cst(t);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void time_format_minute(int64_t t, char out[17])
{
	struct tm tm = to_cst(t);
	strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
}

/* Exactly "DDDD-DD-DD": sscanf alone would also take " 2026-1-01" or "2026-+1-01". */
static bool date_shaped(const char *s)
{
	if (strlen(s) != 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

bool time_parse_date(const char *s, int64_t *out)
{
	int y, m, d;
	if (!date_shaped(s) || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return false;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	time_t t = timegm(&tm);
	struct tm check;
	gmtime_r(&t, &check);
	if (check.tm_mday != d || check.tm_mon != m - 1)
		return false;
	*out = (int64_t)t - CST_OFFSET;
	return true;
}

int time_year(int64_t t)
{
	return to_cst(t).tm_year + 1900;
}
