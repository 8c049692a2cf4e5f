/* Subcommands that work on a database without serving it: init, demo,
 * backup, audit verify. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/config.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/demo.h"
#include "domain/org.h"
#include "store/store.h"

static const char *const db_only[] = { "db", NULL };

/* Loads options, handling --help; returns -1 to go on, else an exit status. */
static int load_options(config *cfg, int argc, char **argv, const char *usage, const char *about)
{
	config_defaults(cfg);
	bool help;
	if (!config_load(cfg, argc, argv, db_only, &help))
		return 2;
	if (help) {
		printf("usage: gongzhi %s\n\n%s\n\noptions:\n", usage, about);
		config_print_options(db_only);
		return 0;
	}
	return -1;
}

static store *open_store(const config *cfg)
{
	char err[512] = "";
	store *st;
	store_options opt = STORE_OPTIONS_DEFAULT;
	if (store_open(cfg->db, &opt, &st, err, sizeof(err))) {
		fprintf(stderr, "gongzhi: %s\n", err[0] ? err : "cannot open the database");
		return NULL;
	}
	return st;
}

typedef struct admin_job {
	int64_t street_id, street_unit_id;
	const char *encoded;
} admin_job;

static gz_err create_admin(store_conn *c, void *ctx)
{
	admin_job *job = ctx;
	person_input in = { "管理员", "", false, false, true, job->street_unit_id };
	int64_t person_id, assignment_id, account_id;
	gz_err rc = person_create_in(c, &actor_system, job->street_id, &in, &person_id);
	role_input role = { person_id, job->street_unit_id, ROLE_ADMIN, DELEGATE_NONE, time(NULL) - 60, 0 };
	if (!rc)
		rc = role_assign_in(c, &actor_system, &role, &assignment_id);
	if (!rc)
		rc = account_create(c, &actor_system, job->street_id, person_id, "admin", job->encoded, &account_id);
	return rc;
}

static int run_init(config *cfg)
{
	if (cfg->argc != 2) {
		fprintf(stderr, "gongzhi init: give the district and the street, e.g. gongzhi init 朝阳区 望湖街道\n");
		return 2;
	}
	store *st = open_store(cfg);
	if (!st)
		return 1;
	accounts_setup(NULL);
	admin_job job = { 0 };
	char password[17], encoded[128];
	unsigned char raw[8];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(password, sizeof(password), raw, sizeof(raw));
	gz_err rc = street_create(st, &actor_system, cfg->argv[0], cfg->argv[1], &job.street_id, &job.street_unit_id);
	if (!rc)
		rc = password_hash(password, encoded);
	job.encoded = encoded;
	if (!rc)
		rc = store_write(st, create_admin, &job);
	store_close(st);
	if (rc) {
		fprintf(stderr, "gongzhi init: %s\n",
			rc == GZ_EINVAL ? "the district and street names must be 1 to 60 characters" : gz_strerror(rc));
		return 1;
	}
	printf("created %s %s in %s\nadministrator: login admin, password %s (change it after signing in)\n",
	       cfg->argv[0], cfg->argv[1], cfg->db, password);
	return 0;
}

int cmd_init(int argc, char **argv)
{
	config cfg;
	int status = load_options(&cfg, argc, argv, "init --db PATH DISTRICT STREET",
				  "Creates the database and a street in it, with an administrator account 'admin'\n"
				  "whose password is printed once.");
	if (status < 0)
		status = run_init(&cfg);
	config_release(&cfg);
	return status;
}

static int run_demo(config *cfg)
{
	store *st = open_store(cfg);
	if (!st)
		return 1;
	accounts_setup(NULL);
	gz_err rc = demo_build(st);
	store_close(st);
	if (rc && rc != GZ_EEXIST) {
		fprintf(stderr, "gongzhi demo: %s\n", gz_strerror(rc));
		return 1;
	}
	printf(rc == GZ_EEXIST ? "%s already has data; left as it is\n" : "demo street built in %s\n", cfg->db);
	printf("demo accounts (password %s):\n", DEMO_PASSWORD);
	for (const demo_account *d = demo_accounts; d->login; d++)
		printf("  %-10s %s\n", d->login, d->description);
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	config cfg;
	int status = load_options(&cfg, argc, argv, "demo --db PATH",
				  "Fills an empty database with a fictional street for trying the platform.\n"
				  "A database that already has a street is left as it is.");
	if (status < 0)
		status = run_demo(&cfg);
	config_release(&cfg);
	return status;
}

static int run_backup(config *cfg)
{
	if (cfg->argc != 1) {
		fprintf(stderr, "gongzhi backup: give the file to write, e.g. gongzhi backup --db gongzhi.db copy.db\n");
		return 2;
	}
	store *st = open_store(cfg);
	if (!st)
		return 1;
	char err[512] = "";
	gz_err rc = store_backup(st, cfg->argv[0], err, sizeof(err));
	store_close(st);
	if (rc) {
		fprintf(stderr, "gongzhi backup: %s\n", err[0] ? err : gz_strerror(rc));
		return rc == GZ_EINVAL ? 2 : 1;
	}
	store *copy;
	store_options opt = STORE_OPTIONS_DEFAULT;
	opt.read_only = true;
	if (store_open(cfg->argv[0], &opt, &copy, err, sizeof(err))) {
		fprintf(stderr, "gongzhi backup: the copy does not open: %s\n", err);
		return 1;
	}
	bool ok = store_integrity_ok(copy);
	store_close(copy);
	if (!ok) {
		fprintf(stderr, "gongzhi backup: the copy failed its integrity check\n");
		return 1;
	}
	printf("backed up %s to %s (integrity check ok)\n", cfg->db, cfg->argv[0]);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	config cfg;
	int status = load_options(&cfg, argc, argv, "backup --db PATH FILE",
				  "Copies a live SQLite database to FILE with the online backup API, then checks\n"
				  "the copy with PRAGMA integrity_check.");
	if (status < 0)
		status = run_backup(&cfg);
	config_release(&cfg);
	return status;
}

static int run_audit(config *cfg)
{
	store *st;
	char err[512] = "";
	store_options opt = STORE_OPTIONS_DEFAULT;
	opt.read_only = true;
	if (store_open(cfg->db, &opt, &st, err, sizeof(err))) {
		fprintf(stderr, "gongzhi: %s\n", err);
		return 1;
	}
	audit_report report;
	gz_err rc = audit_verify(st, &report);
	store_close(st);
	if (rc) {
		fprintf(stderr, "gongzhi audit verify: %s\n", gz_strerror(rc));
		return 1;
	}
	if (report.first_bad) {
		printf("audit chain broken at record %lld: %s (%lld records intact before it)\n",
		       (long long)report.first_bad, report.reason, (long long)report.records);
		return 1;
	}
	printf("audit chain intact: %lld records\nhead: record %lld, hash %s (keep this line elsewhere to anchor the chain)\n",
	       (long long)report.records, (long long)report.records, report.head_hash);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "verify")) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			printf("usage: gongzhi audit verify --db PATH\n\nChecks the audit log's hash chain.\n");
			return 0;
		}
		fprintf(stderr, "gongzhi audit: the only action is 'verify' (gongzhi audit verify --db PATH)\n");
		return 2;
	}
	config cfg;
	int status = load_options(&cfg, argc - 1, argv + 1, "audit verify --db PATH",
				  "Checks the audit log's hash chain: exit 0 when intact, 1 naming the first bad\n"
				  "record when a record was altered, removed or reordered.");
	if (status < 0)
		status = run_audit(&cfg);
	config_release(&cfg);
	return status;
}
