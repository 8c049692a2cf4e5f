/* The subcommands of gongzhi; each takes argv with argv[0] = its name and
 * returns the process exit status (0 ok, 1 failure, 2 bad usage). */
#ifndef GZ_CLI_COMMANDS_H
#define GZ_CLI_COMMANDS_H

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
/* Hidden: the route table as JSON lines, for the authorization matrix test. */
int cmd_routes(int argc, char **argv);

#endif
