/* gongzhi serve: the web server. */
#include <malloc.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/config.h"
#include "domain/accounts.h"
#include "domain/org.h"
#include "http/server.h"
#include "routes/app.h"
#include "routes/page-cache.h"
#include "routes/routes.h"
#include "store/store.h"

static const char *const serve_options[] = {
	"db", "listen", "io-threads", "workers", "max-connections", "max-per-ip", "timeout", "max-body-kb",
	"deadline-ms", "secure-cookies", "group-commit", "access-log", "session-idle-minutes", "session-max-hours",
	"password-max-age-days", "public-url", "trusted-proxy", NULL,
};

static FILE *open_access_log(const char *path)
{
	if (!path || !*path)
		return NULL;
	if (!strcmp(path, "-"))
		return stdout;
	FILE *f = fopen(path, "a");
	if (!f)
		fprintf(stderr, "gongzhi serve: cannot open access log %s; going on without it\n", path);
	return f;
}

/* Loads the street the site serves into the app. */
static bool load_street(app *a)
{
	store_conn *c = store_conn_get(a->st);
	static arena street_mem;   /* lives as long as the server */
	gz_err rc = c ? street_first(c, &street_mem, &a->street_id, &a->street_name, &a->district_name) : GZ_ESTORE;
	store_conn_put(a->st, c);
	if (rc == GZ_ENOTFOUND)
		fprintf(stderr, "gongzhi serve: the database has no street yet; run 'gongzhi demo' or 'gongzhi init'\n");
	else if (rc)
		fprintf(stderr, "gongzhi serve: cannot read the street: %s\n", gz_strerror(rc));
	return rc == GZ_OK;
}

/* Waits for SIGINT or SIGTERM; SIGHUP reopens the access log, so logrotate
 * can keep months of logs without restarting the server. */
static void wait_for_signal(http_server *server, const char *log_path)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	for (;;) {
		sigwait(&set, &sig);
		if (sig != SIGHUP)
			break;
		FILE *fresh = open_access_log(log_path);
		FILE *old = http_swap_access_log(server, fresh);
		if (old && old != stdout)
			fclose(old);
	}
	fprintf(stderr, "gongzhi serve: %s received, finishing requests in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
}

static void setup_accounts(const config *cfg)
{
	accounts_config ac = ACCOUNTS_CONFIG_DEFAULT;
	ac.session_idle_seconds = (int64_t)cfg->session_idle_minutes * 60;
	ac.session_max_seconds = (int64_t)cfg->session_max_hours * 3600;
	ac.password_max_age_days = cfg->password_max_age_days;
	accounts_setup(&ac);
}

static int serve(const config *cfg)
{
	/* Signals go to sigwait in this thread, never to a worker. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Every request frees its arena and buffers; with glibc's defaults the
	 * heaps were handed back to the kernel and faulted in again request after
	 * request (a quarter of the CPU under a write load, bench/run).  Keeping
	 * up to 8 MiB free per heap and serving blocks under 1 MiB from the heap
	 * left peak memory where it was and raised need submissions by a third. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	mallopt(M_MMAP_THRESHOLD, 1 << 20);

	setup_accounts(cfg);
	app a = { .secure_cookies = cfg->secure_cookies, .public_url = cfg->public_url };
	http_secure_cookies = cfg->secure_cookies;
	char err[512] = "";
	store_options opt = STORE_OPTIONS_DEFAULT;
	opt.group_commit = cfg->group_commit;
	if (store_open(cfg->db, &opt, &a.st, err, sizeof(err))) {
		fprintf(stderr, "gongzhi serve: %s\n", err);
		return 1;
	}
	if (!load_street(&a)) {
		store_close(a.st);
		return 1;
	}
	/* Another server's commits would not invalidate this one's pages. */
	page_cache_enable(!strcmp(store_backend_name(a.st), "sqlite"));
	FILE *access_log = open_access_log(cfg->access_log);
	http_config hc = {
		.host = cfg->host, .port = cfg->port, .io_threads = cfg->io_threads, .workers = cfg->workers,
		.max_connections = cfg->max_connections, .max_per_ip = cfg->max_per_ip, .timeout_seconds = cfg->timeout,
		.max_body = (size_t)cfg->max_body_kb * 1024, .deadline_ms = cfg->deadline_ms, .access_log = access_log,
		.trusted_proxy = cfg->trusted_proxy && *cfg->trusted_proxy ? cfg->trusted_proxy : NULL,
		.classify = routes_classify, .handle = routes_dispatch, .request_done = routes_request_done, .app = &a,
	};
	http_server *server = http_start(&hc, err, sizeof(err));
	if (!server) {
		fprintf(stderr, "gongzhi serve: %s\n", err);
		store_close(a.st);
		return 1;
	}
	printf("gongzhi serving %s %s on http://%s:%u/ (database %s, %s)\n", a.district_name, a.street_name, cfg->host,
	       http_port(server), cfg->db, store_backend_name(a.st));
	fflush(stdout);
	wait_for_signal(server, cfg->access_log);
	FILE *last_log = http_swap_access_log(server, NULL);
	http_stop(server);
	store_stats stats;
	store_get_stats(a.st, &stats);
	fprintf(stderr, "gongzhi serve: %llu writes committed in %llu transactions\n", (unsigned long long)stats.writes,
		(unsigned long long)stats.transactions);
	store_close(a.st);
	page_cache_clear();
	if (last_log && last_log != stdout)
		fclose(last_log);
	fprintf(stderr, "gongzhi serve: stopped cleanly\n");
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	config cfg;
	config_defaults(&cfg);
	bool help;
	int status = 2;
	if (!config_load(&cfg, argc, argv, serve_options, &help)) {
		status = 2;
	} else if (help) {
		printf("usage: gongzhi serve [--db PATH] [--listen HOST:PORT] [options]\n\nServes the site.\n\noptions:\n");
		config_print_options(serve_options);
		status = 0;
	} else if (cfg.argc) {
		fprintf(stderr, "gongzhi serve: unexpected argument '%s'\n", cfg.argv[0]);
	} else {
		status = serve(&cfg);
	}
	config_release(&cfg);
	return status;
}
