/* gongzhi: one program, with subcommands. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd-tally.h"
#include "cli/commands.h"

#ifndef GZ_VERSION
#define GZ_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv)
{
	printf("gongzhi %s\n", GZ_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "serve", cmd_serve, "serve the site (--db PATH --listen HOST:PORT)" },
	{ "init", cmd_init, "create a database with a street and its administrator" },
	{ "demo", cmd_demo, "fill an empty database with a fictional street" },
	{ "backup", cmd_backup, "copy a live SQLite database and check the copy" },
	{ "audit", cmd_audit, "audit verify: check the audit log's hash chain" },
	{ "migrate", cmd_migrate, "copy a SQLite database into an empty PostgreSQL one" },
	{ "tally", cmd_tally, "count a Pabulib .pb file with a voting rule" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "this list" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(int argc, char **argv)
{
	printf("gongzhi %s: co-governance for streets and communities (问需 · 问计 · 问效 · 问责)\n\n"
	       "usage: gongzhi COMMAND [options]; gongzhi COMMAND --help for its options\n\n",
	       GZ_VERSION);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "gongzhi: libsodium failed to initialise\n");
		return 1;
	}
	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return cmd_help(0, NULL);
	if (!strcmp(name, "--version"))
		return cmd_version(0, NULL);
	if (!strcmp(name, "routes"))   /* hidden: the route table, for the authorization matrix */
		return cmd_routes(argc - 1, argv + 1);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "gongzhi: unknown command '%s' (see gongzhi help)\n", name);
	return 2;
}
