/*
 * Personal data under PIPL: a person can download everything the platform
 * holds about them, and ask for deletion.  Deletion pseudonymises: the
 * person's row stays (so supports, needs and attendance still count, and the
 * audit chain, which names only ids, stays intact) but the name becomes
 * "已注销用户 N", phone and party membership are cleared, the account can no
 * longer sign in, its sessions end and its roles end.
 */
#ifndef GZ_DOMAIN_PRIVACY_H
#define GZ_DOMAIN_PRIVACY_H

#include <jansson.h>

#include "domain/actor.h"
#include "store/store.h"

/* Everything about the actor's own person, as a new JSON object (caller owns). */
gz_err privacy_export(store_conn *c, arena *a, const actor *who, json_t **out);

/* Pseudonymises the actor after checking their password (GZ_EAUTH when wrong). */
gz_err privacy_forget_self(store *st, const actor *who, const char *password);

#endif
