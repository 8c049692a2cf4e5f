/*
 * The HTTP server: libmicrohttpd glue.
 *
 * libmicrohttpd's own thread pool (sized to the cores, epoll) does the
 * socket work.  Handlers that may block (the database, waiting for a commit)
 * never run on those threads: the connection is suspended, the request goes
 * to a queue served by worker threads, and the connection is resumed when
 * the response is ready.  A request that waited in the queue past the
 * deadline is answered 503 instead of being run late.  Routes flagged as
 * fast run inline.  The response is always queued on a later call of the
 * access handler than the first, which keeps keep-alive connections open.
 */
#ifndef GZ_HTTP_SERVER_H
#define GZ_HTTP_SERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "http/request.h"

typedef struct http_server http_server;

/* Chooses how a request runs before its body is read. */
typedef enum http_mode { HTTP_RUN_WORKER, HTTP_RUN_INLINE } http_mode;

typedef struct http_config {
	const char *host;          /* numeric IPv4 or IPv6 address */
	unsigned port;             /* 0 picks a free port */
	unsigned io_threads;       /* 0: one per core */
	unsigned workers;          /* handler threads */
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned timeout_seconds;  /* idle connection timeout */
	size_t max_body;           /* bytes; larger bodies get 413 */
	unsigned deadline_ms;      /* longest wait in the worker queue */
	const char *trusted_proxy; /* address of a reverse proxy whose X-Forwarded-For is believed; NULL: none */
	FILE *access_log;          /* NULL for none */
	/* The application: how a request runs, and running it. */
	http_mode (*classify)(void *app, request *r);
	void (*handle)(void *app, request *r);
	void (*request_done)(void *app, request *r);  /* release app state of r */
	void *app;
} http_config;

/* Binds and starts serving; `err` says why not. */
http_server *http_start(const http_config *cfg, char *err, size_t errlen);
/* The bound port (useful with port 0). */
unsigned http_port(const http_server *s);
/* Replaces the access log (after logrotate moved the file); returns the old
 * one for the caller to close. */
FILE *http_swap_access_log(http_server *s, FILE *log);
/* Stops accepting, lets in-flight requests finish, joins every thread. */
void http_stop(http_server *s);

#endif
