/*
 * JSON endpoints under /api/v1.  They share the domain functions with the
 * pages, so a rule holds whatever the channel.  Responses are built with
 * jansson and written by api_send; errors go through page_error, which
 * answers JSON on API routes.
 */
#ifndef GZ_API_API_H
#define GZ_API_API_H

#include <jansson.h>

#include "http/request.h"

/* Serialises `body` (stolen) as the response with `status`. */
gz_err api_send(request *r, int status, json_t *body);

#endif
