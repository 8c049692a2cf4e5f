/* gongzhi tally: counts a Pabulib .pb file with one of the engine's rules. */
#ifndef GZ_CLI_CMD_TALLY_H
#define GZ_CLI_CMD_TALLY_H

/* argv[0] is "tally". Returns 0 on success, 2 on a bad file, rule or usage. */
int cmd_tally(int argc, char **argv);

#endif
