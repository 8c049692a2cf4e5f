/*
 * Settings of the gongzhi command, from three sources, later wins:
 * an INI file (--config FILE, or GONGZHI_CONFIG), environment variables
 * (GONGZHI_DB, GONGZHI_LISTEN, ...: the option name upper-cased, '-' as '_'),
 * then command-line flags (--db PATH or --db=PATH).
 *
 * Each subcommand names the options it takes; anything else is refused with
 * a one-line error naming it, and exit status 2.
 */
#ifndef GZ_CLI_CONFIG_H
#define GZ_CLI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct config {
	const char *db;             /* SQLite path or postgres:// URL */
	const char *listen;         /* HOST:PORT */
	const char *host;           /* parsed from listen */
	unsigned port;
	unsigned io_threads;
	unsigned workers;
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned timeout;           /* seconds */
	unsigned max_body_kb;
	unsigned deadline_ms;
	bool secure_cookies;
	bool group_commit;
	const char *access_log;     /* file path, "-" for stdout, "" for none */
	unsigned session_idle_minutes;
	unsigned session_max_hours;
	unsigned password_max_age_days;
	const char *public_url;
	const char *trusted_proxy;  /* reverse proxy address whose X-Forwarded-For is believed */
	const char *config_file;
	/* positional arguments after the options */
	int argc;
	char **argv;
	/* strings this config allocated (file values, the parsed host) */
	char *owned[64];
	int owned_count;
} config;

void config_defaults(config *c);
/* Frees what config_load allocated. */
void config_release(config *c);

/*
 * Reads the file, the environment and argv[1..] for the options named in
 * `allowed` (a NULL-terminated list).  On error prints one line to stderr
 * and returns false (the caller exits 2).  --help is reported by *help.
 */
bool config_load(config *c, int argc, char **argv, const char *const *allowed, bool *help);

/* One line per allowed option, for --help. */
void config_print_options(const char *const *allowed);

#endif
