#include "cli/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum opt_type { OPT_STRING, OPT_UINT, OPT_BOOL, OPT_LISTEN } opt_type;

typedef struct option_def {
	const char *name;
	opt_type type;
	size_t offset;
	unsigned min, max;
	const char *help;
} option_def;

#define AT(field) offsetof(config, field)

static const option_def options[] = {
	{ "db", OPT_STRING, AT(db), 0, 0, "database: a SQLite file path or postgres://user@host/dbname" },
	{ "listen", OPT_LISTEN, AT(listen), 0, 0, "address and port to serve on (default 127.0.0.1:8080)" },
	{ "io-threads", OPT_UINT, AT(io_threads), 0, 256, "HTTP I/O threads (default: one per core)" },
	{ "workers", OPT_UINT, AT(workers), 1, 1024, "handler threads (default 32)" },
	{ "max-connections", OPT_UINT, AT(max_connections), 1, 100000, "connections at once (default 1000)" },
	{ "max-per-ip", OPT_UINT, AT(max_per_ip), 1, 100000, "connections at once from one address (default 64)" },
	{ "timeout", OPT_UINT, AT(timeout), 1, 3600, "idle connection timeout in seconds (default 30)" },
	{ "max-body-kb", OPT_UINT, AT(max_body_kb), 1, 1048576, "largest request body in KiB (default 12288)" },
	{ "deadline-ms", OPT_UINT, AT(deadline_ms), 10, 600000, "longest wait for a handler thread (default 10000)" },
	{ "secure-cookies", OPT_BOOL, AT(secure_cookies), 0, 0, "mark cookies Secure (behind HTTPS)" },
	{ "group-commit", OPT_BOOL, AT(group_commit), 0, 0, "batch concurrent writes into one commit (default on)" },
	{ "access-log", OPT_STRING, AT(access_log), 0, 0, "access log file, '-' for standard output, '' for none" },
	{ "session-idle-minutes", OPT_UINT, AT(session_idle_minutes), 1, 100000, "idle session expiry (default 120)" },
	{ "session-max-hours", OPT_UINT, AT(session_max_hours), 1, 100000, "absolute session expiry (default 168)" },
	{ "password-max-age-days", OPT_UINT, AT(password_max_age_days), 0, 3650,
	  "force a password change after this many days (0: never)" },
	{ "public-url", OPT_STRING, AT(public_url), 0, 0, "the site's public address, for QR posters" },
	{ "trusted-proxy", OPT_STRING, AT(trusted_proxy), 0, 0,
	  "address of the reverse proxy in front (e.g. 127.0.0.1): its X-Forwarded-For names the client" },
	{ "config", OPT_STRING, AT(config_file), 0, 0, "INI file to read first" },
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))

void config_defaults(config *c)
{
	memset(c, 0, sizeof(*c));
	c->db = "gongzhi.db";
	c->listen = "127.0.0.1:8080";
	c->host = "127.0.0.1";
	c->port = 8080;
	c->workers = 32;
	c->max_connections = 1000;
	c->max_per_ip = 64;
	c->timeout = 30;
	c->max_body_kb = 12288;
	c->deadline_ms = 10000;
	c->group_commit = true;
	c->access_log = "";
	c->session_idle_minutes = 120;
	c->session_max_hours = 168;
	c->public_url = "http://127.0.0.1:8080";
}

/* Keeps `s` for config_release; NULL when the list is full (then it leaks,
 * which only matters to a config file with more than 64 settings). */
static char *keep(config *c, char *s)
{
	if (s && c->owned_count < (int)(sizeof(c->owned) / sizeof(c->owned[0])))
		c->owned[c->owned_count++] = s;
	return s;
}

void config_release(config *c)
{
	for (int i = 0; i < c->owned_count; i++)
		free(c->owned[i]);
	c->owned_count = 0;
}

static const option_def *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (strlen(options[i].name) == len && !strncmp(options[i].name, name, len))
			return &options[i];
	return NULL;
}

static bool allowed_here(const option_def *o, const char *const *allowed)
{
	if (!strcmp(o->name, "config"))
		return true;
	for (; *allowed; allowed++)
		if (!strcmp(*allowed, o->name))
			return true;
	return false;
}

static bool parse_listen(config *c, const char *value, const char *source)
{
	const char *colon = strrchr(value, ':');
	char *end;
	unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
	if (!colon || colon == value || !colon[1] || *end || port > 65535) {
		fprintf(stderr, "gongzhi: %s '%s' is not HOST:PORT (e.g. 127.0.0.1:8080)\n", source, value);
		return false;
	}
	char *host = keep(c, strndup(value, (size_t)(colon - value)));
	/* [::1]:8080 */
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	c->host = host;
	c->port = (unsigned)port;
	c->listen = value;
	return true;
}

static bool set_option(config *c, const option_def *o, const char *value, const char *source)
{
	char *slot = (char *)c + o->offset;
	switch (o->type) {
	case OPT_STRING:
		*(const char **)(void *)slot = value;
		return true;
	case OPT_LISTEN:
		return parse_listen(c, value, source);
	case OPT_BOOL:
		if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on")) {
			*(bool *)(void *)slot = true;
			return true;
		}
		if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off")) {
			*(bool *)(void *)slot = false;
			return true;
		}
		fprintf(stderr, "gongzhi: %s %s: '%s' is not true or false\n", source, o->name, value);
		return false;
	case OPT_UINT: {
		char *end;
		errno = 0;
		unsigned long v = strtoul(value, &end, 10);
		if (!*value || *end || errno || v < o->min || v > o->max || value[0] == '-') {
			fprintf(stderr, "gongzhi: %s %s: '%s' is not a whole number from %u to %u\n", source, o->name,
				value, o->min, o->max);
			return false;
		}
		*(unsigned *)(void *)slot = (unsigned)v;
		return true;
	}
	}
	return false;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool load_file(config *c, const char *path, const char *const *allowed)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "gongzhi: cannot read config file %s\n", path);
		return false;
	}
	char line[1024];
	int lineno = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#' || *s == ';' || *s == '[')
			continue;
		char *eq = strchr(s, '=');
		char source[256];
		snprintf(source, sizeof(source), "%s:%d:", path, lineno);
		if (!eq) {
			fprintf(stderr, "gongzhi: %s expected 'key = value'\n", source);
			ok = false;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		const option_def *o = find_option(key, strlen(key));
		if (!o) {
			fprintf(stderr, "gongzhi: %s unknown setting '%s'\n", source, key);
			ok = false;
		} else if (allowed_here(o, allowed)) {
			ok = set_option(c, o, keep(c, strdup(value)), source);
		}
	}
	fclose(f);
	return ok;
}

static bool load_environment(config *c, const char *const *allowed)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		char name[64] = "GONGZHI_";
		size_t n = strlen(name);
		for (const char *p = options[i].name; *p && n < sizeof(name) - 1; p++)
			name[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
		name[n] = '\0';
		const char *value = getenv(name);
		if (value && allowed_here(&options[i], allowed) && !set_option(c, &options[i], value, name))
			return false;
	}
	return true;
}

/* The value of --config, looked for before anything else is read. */
static const char *config_flag(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "--config=", 9))
			return argv[i] + 9;
	}
	return getenv("GONGZHI_CONFIG");
}

static bool load_flags(config *c, int argc, char **argv, const char *const *allowed, bool *help)
{
	int i = 1;
	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			*help = true;
			return true;
		}
		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (strncmp(arg, "--", 2)) {
			break;
		}
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const option_def *o = find_option(name, len);
		if (!o || !allowed_here(o, allowed)) {
			fprintf(stderr, "gongzhi %s: unknown option --%.*s (see --help)\n", argv[0], (int)len, name);
			return false;
		}
		const char *value = eq ? eq + 1 : NULL;
		if (!value && o->type == OPT_BOOL)
			value = "true";
		if (!value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "gongzhi %s: option --%s needs a value\n", argv[0], o->name);
				return false;
			}
			value = argv[++i];
		}
		char source[80];
		snprintf(source, sizeof(source), "option --%s:", o->name);
		if (!set_option(c, o, value, source))
			return false;
	}
	c->argc = argc - i;
	c->argv = argv + i;
	return true;
}

bool config_load(config *c, int argc, char **argv, const char *const *allowed, bool *help)
{
	*help = false;
	const char *file = config_flag(argc, argv);
	if (file && !load_file(c, file, allowed))
		return false;
	if (!load_environment(c, allowed))
		return false;
	return load_flags(c, argc, argv, allowed, help);
}

void config_print_options(const char *const *allowed)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (allowed_here(&options[i], allowed))
			printf("  --%-22s %s\n", options[i].name, options[i].help);
}
