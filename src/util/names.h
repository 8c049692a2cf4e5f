/* Enums stored as words ("community_staff"): one lookup for all of them. */
#ifndef GZ_UTIL_NAMES_H
#define GZ_UTIL_NAMES_H

/* Index of `name` in names[0..count), or -1 (also for NULL). */
int name_index(const char *const *names, int count, const char *name);

#endif
