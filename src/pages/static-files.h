/* Files served from memory under /static/ (compiled in from static/). */
#ifndef GZ_PAGES_STATIC_FILES_H
#define GZ_PAGES_STATIC_FILES_H

#include <stddef.h>

typedef struct static_file {
	const char *name;          /* "style.css" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
	const char *etag;          /* quoted, as sent */
} static_file;

/* Ends with an entry whose name is NULL. */
extern const static_file static_files[];

#endif
