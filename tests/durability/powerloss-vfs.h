/*
 * A test-only SQLite VFS that can "lose power".
 *
 * It wraps the default VFS and writes through to the real files, but keeps,
 * for every open file, an undo log of everything written since that file's
 * last xSync.  powerloss_cut() makes every later write, sync, truncate and
 * delete fail, as if the machine stopped; powerloss_restore() then undoes
 * every unsynced write, leaving the files exactly as durable storage would
 * hold them after the power came back.  The shared-memory index (-shm) is
 * not durable either; the caller removes it.
 */
#ifndef GZ_TESTS_POWERLOSS_VFS_H
#define GZ_TESTS_POWERLOSS_VFS_H

#include <sqlite3.h>
#include <stdint.h>

/* Registers the shim as the default VFS.  `cut_after_writes` > 0 cuts the
 * power by itself at that xWrite call; 0 never does. */
int powerloss_install(uint64_t cut_after_writes);
/* Cuts the power now. */
void powerloss_cut(void);
int powerloss_is_cut(void);
/* Rolls every file back to its last synced state; returns files restored. */
int powerloss_restore(void);
/* Unregisters the shim and forgets everything. */
void powerloss_uninstall(void);
/* Statistics of the run. */
uint64_t powerloss_writes(void);
uint64_t powerloss_syncs(void);

#endif
