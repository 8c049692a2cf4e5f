#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util/timeutil.h"

typedef enum req_state { REQ_READING, REQ_QUEUED, REQ_READY } req_state;

/* What the server keeps beside the request the application sees. */
typedef struct conn_request {
	request r;                   /* first member: a request* is a conn_request* */
	http_server *server;
	req_state state;
	http_mode mode;
	bool hopeless_body;          /* declared far over the limit: do not drain it */
	struct MHD_Response *response;
	int64_t queued_usec;
	struct conn_request *next;   /* worker queue */
} conn_request;

struct http_server {
	http_config cfg;
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	conn_request *queue_head, *queue_tail;
	bool stopping;
	pthread_t *workers;
	unsigned worker_count;
	atomic_int in_flight;
	pthread_mutex_t log_lock;
};

/* ---- responses ---- */

static struct MHD_Response *build_response(request *r)
{
	size_t len;
	char *body = buf_detach(&r->out, &len);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return NULL;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->out_type ? r->out_type : "text/html; charset=utf-8");
	for (size_t i = 0; i < r->headers.count; i++)
		MHD_add_response_header(resp, r->headers.items[i].key, r->headers.items[i].value);
	r->status = r->status ? r->status : 200;
	/* Keep the byte count for the access log. */
	r->out.len = len;
	return resp;
}

static void run_handler(conn_request *cr)
{
	http_server *s = cr->server;
	s->cfg.handle(s->cfg.app, &cr->r);
	cr->response = build_response(&cr->r);
}

/* ---- workers ---- */

static void answer_late(conn_request *cr)
{
	cr->r.status = 503;
	cr->r.body_too_big = false;
	resp_header(&cr->r, "Retry-After", "2");
	/* The application renders 503 when it sees status 503 preset. */
	cr->server->cfg.handle(cr->server->cfg.app, &cr->r);
	cr->response = build_response(&cr->r);
}

static void *worker_main(void *arg)
{
	http_server *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->queue_head && !s->stopping)
			pthread_cond_wait(&s->wake, &s->lock);
		conn_request *cr = s->queue_head;
		if (!cr)
			break;
		s->queue_head = cr->next;
		if (!s->queue_head)
			s->queue_tail = NULL;
		pthread_mutex_unlock(&s->lock);

		int64_t waited_ms = (time_mono_usec() - cr->queued_usec) / 1000;
		if (s->cfg.deadline_ms && waited_ms > (int64_t)s->cfg.deadline_ms)
			answer_late(cr);
		else
			run_handler(cr);
		cr->state = REQ_READY;
		MHD_resume_connection(cr->r.mhd);

		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void enqueue(http_server *s, conn_request *cr)
{
	cr->queued_usec = time_mono_usec();
	cr->state = REQ_QUEUED;
	cr->next = NULL;
	MHD_suspend_connection(cr->r.mhd);
	pthread_mutex_lock(&s->lock);
	if (s->queue_tail)
		s->queue_tail->next = cr;
	else
		s->queue_head = cr;
	s->queue_tail = cr;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

/* ---- the access handler ---- */

static http_method method_of(const char *m)
{
	if (!strcmp(m, "GET"))
		return HTTP_GET;
	if (!strcmp(m, "HEAD"))
		return HTTP_HEAD;
	if (!strcmp(m, "POST"))
		return HTTP_POST;
	return HTTP_OTHER;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	request *r = cls;
	kv_add(&r->mem, &r->query, arena_strdup(&r->mem, key), arena_strdup(&r->mem, value ? value : ""),
	       value ? strlen(value) : 0);
	return MHD_YES;
}

static const char *client_ip(arena *a, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "?";
	if (info && info->client_addr) {
		const struct sockaddr *sa = info->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text, sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
				  sizeof(text));
	}
	return arena_strdup(a, text);
}

/* Behind a trusted reverse proxy, the client is the last address it added
 * to X-Forwarded-For; anything earlier in the list came from the client and
 * is not believed.  A malformed entry keeps the proxy's own address. */
static const char *forwarded_for(arena *a, struct MHD_Connection *conn, const char *proxy)
{
	const char *header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!header)
		return proxy;
	const char *last = strrchr(header, ',');
	last = last ? last + 1 : header;
	while (*last == ' ')
		last++;
	char *candidate = arena_strndup(a, last, strcspn(last, " "));
	unsigned char parsed[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, candidate, parsed) == 1 || inet_pton(AF_INET6, candidate, parsed) == 1)
		return candidate;
	return proxy;
}

static conn_request *request_new(http_server *s, struct MHD_Connection *conn, const char *url, const char *method)
{
	conn_request *cr = calloc(1, sizeof(*cr));
	if (!cr)
		return NULL;
	request *r = &cr->r;
	cr->server = s;
	arena_init(&r->mem);
	buf_init(&r->body, s->cfg.max_body);
	buf_init(&r->out, 0);
	r->mhd = conn;
	r->app = s->cfg.app;
	r->started_usec = time_mono_usec();
	r->method = method_of(method);
	r->method_name = arena_strdup(&r->mem, method);
	r->path = arena_strdup(&r->mem, url);
	r->client_ip = client_ip(&r->mem, conn);
	if (s->cfg.trusted_proxy && !strcmp(r->client_ip, s->cfg.trusted_proxy))
		r->client_ip = forwarded_for(&r->mem, conn, r->client_ip);
	r->content_type = arena_strdup(&r->mem, MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
									   MHD_HTTP_HEADER_CONTENT_TYPE));
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, r);
	const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long declared = length ? strtoull(length, NULL, 10) : 0;
	if (declared > s->cfg.max_body)
		r->body_too_big = true;
	if (declared / 8 > s->cfg.max_body)
		cr->hopeless_body = true;
	atomic_fetch_add(&s->in_flight, 1);
	return cr;
}

static enum MHD_Result queue_ready(conn_request *cr)
{
	if (!cr->response)
		return MHD_NO;
	enum MHD_Result ok = MHD_queue_response(cr->r.mhd, (unsigned)cr->r.status, cr->response);
	MHD_destroy_response(cr->response);
	cr->response = NULL;
	return ok;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				      const char *version, const char *upload_data, size_t *upload_data_size,
				      void **con_cls)
{
	http_server *s = cls;
	conn_request *cr = *con_cls;
	if (!cr) {
		/* First call: headers only.  Answering now would close keep-alive. */
		cr = request_new(s, conn, url, method);
		*con_cls = cr;
		return cr ? MHD_YES : MHD_NO;
	}
	if (cr->state == REQ_READY)
		return queue_ready(cr);
	if (*upload_data_size) {
		if (!cr->r.body_too_big) {
			buf_add(&cr->r.body, upload_data, *upload_data_size);
			if (cr->r.body.failed)
				cr->r.body_too_big = true;
		}
		*upload_data_size = 0;
		/* A body somewhat over the limit is read and dropped, so the client
		 * sees the 413 page instead of a reset connection; a huge one is
		 * answered at once, and the connection closes. */
		if (!cr->r.body_too_big || !cr->hopeless_body)
			return MHD_YES;
	}
	if (cr->state != REQ_READING)
		return MHD_YES;
	/* The whole request is here (or it is too big to read further). */
	cr->mode = cr->r.body_too_big ? HTTP_RUN_INLINE : s->cfg.classify(s->cfg.app, &cr->r);
	if (cr->mode == HTTP_RUN_INLINE || s->stopping) {
		run_handler(cr);
		cr->state = REQ_READY;
		return queue_ready(cr);
	}
	enqueue(s, cr);
	return MHD_YES;
}

static void log_access(http_server *s, request *r)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	long long usec = (long long)(time_mono_usec() - r->started_usec);
	pthread_mutex_lock(&s->log_lock);
	if (!s->cfg.access_log) {
		pthread_mutex_unlock(&s->log_lock);
		return;
	}
	/* The path is logged without the query, which may hold personal data. */
	fprintf(s->cfg.access_log, "%s %s %s %s %d %zu %lld\n", when, r->client_ip, r->method_name, r->path,
		r->status, r->out.len, usec);
	fflush(s->cfg.access_log);
	pthread_mutex_unlock(&s->log_lock);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			      enum MHD_RequestTerminationCode why)
{
	http_server *s = cls;
	conn_request *cr = *con_cls;
	if (!cr)
		return;
	*con_cls = NULL;
	if (cr->state == REQ_QUEUED) {
		/* Cannot happen: a suspended connection is not completed. */
		return;
	}
	log_access(s, &cr->r);
	if (s->cfg.request_done)
		s->cfg.request_done(s->cfg.app, &cr->r);
	if (cr->response)
		MHD_destroy_response(cr->response);
	buf_release(&cr->r.body);
	buf_release(&cr->r.out);
	arena_release(&cr->r.mem);
	free(cr);
	atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- lifecycle ---- */

static bool parse_address(const char *host, unsigned port, struct sockaddr_storage *out, bool *v6)
{
	memset(out, 0, sizeof(*out));
	struct sockaddr_in *in4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*v6 = false;
		return true;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return true;
	}
	return false;
}

http_server *http_start(const http_config *cfg, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	bool v6;
	if (!parse_address(cfg->host, cfg->port, &addr, &v6)) {
		snprintf(err, errlen, "listen address %s is not a numeric IPv4 or IPv6 address", cfg->host);
		return NULL;
	}
	http_server *s = calloc(1, sizeof(*s));
	s->cfg = *cfg;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->log_lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	unsigned io_threads = cfg->io_threads ? cfg->io_threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (io_threads < 1)
		io_threads = 1;
	s->worker_count = cfg->workers ? cfg->workers : 16;
	s->workers = calloc(s->worker_count, sizeof(pthread_t));
	for (unsigned i = 0; i < s->worker_count; i++)
		pthread_create(&s->workers[i], NULL, worker_main, s);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 (v6 ? MHD_USE_IPv6 : 0);
	s->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, access_handler, s,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				     MHD_OPTION_THREAD_POOL_SIZE, io_threads,
				     MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip,
				     MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
				     MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
				     MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on %s port %u (in use, or not allowed)", cfg->host, cfg->port);
		s->stopping = true;
		pthread_cond_broadcast(&s->wake);
		for (unsigned i = 0; i < s->worker_count; i++)
			pthread_join(s->workers[i], NULL);
		free(s->workers);
		free(s);
		return NULL;
	}
	return s;
}

FILE *http_swap_access_log(http_server *s, FILE *log)
{
	pthread_mutex_lock(&s->log_lock);
	FILE *old = s->cfg.access_log;
	s->cfg.access_log = log;
	pthread_mutex_unlock(&s->log_lock);
	return old;
}

unsigned http_port(const http_server *s)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : 0;
}

void http_stop(http_server *s)
{
	if (!s)
		return;
	MHD_quiesce_daemon(s->daemon);
	/* Let requests already taken finish, within reason. */
	for (int i = 0; i < 1000 && atomic_load(&s->in_flight) > 0; i++)
		usleep(10000);
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->wake);
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 0; i < s->worker_count; i++)
		pthread_join(s->workers[i], NULL);
	MHD_stop_daemon(s->daemon);
	free(s->workers);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->log_lock);
	pthread_cond_destroy(&s->wake);
	free(s);
}
