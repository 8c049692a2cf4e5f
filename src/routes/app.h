/*
 * The running application: what every handler can reach through r->app.
 * Made once at start-up by `gongzhi serve`; read-only afterwards.
 */
#ifndef GZ_ROUTES_APP_H
#define GZ_ROUTES_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

typedef struct app {
	store *st;
	int64_t street_id;          /* the street this site serves */
	const char *street_name;
	const char *district_name;
	bool secure_cookies;
	const char *public_url;     /* e.g. https://gongzhi.example.cn, for QR posters */
} app;

#endif
