#include "util/names.h"

#include <string.h>

int name_index(const char *const *names, int count, const char *name)
{
	for (int i = 0; name && i < count; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}
