#include "powerloss-vfs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One write since the last sync: where, and what was there before. */
typedef struct undo {
	sqlite3_int64 offset;
	int len;
	int had;              /* bytes that existed before (the rest extended the file) */
	unsigned char *old;
	struct undo *next;
} undo;

typedef struct shim_file {
	sqlite3_file base;              /* must be first */
	sqlite3_file *real;
	char *path;
	sqlite3_int64 synced_size;      /* size at the last sync */
	undo *log;                      /* newest first */
	struct shim_file *next_open;
} shim_file;

/* Files whose unsynced state must be undone, kept after close too. */
typedef struct pending {
	char *path;
	sqlite3_int64 synced_size;
	undo *log;
	struct pending *next;
} pending;

static sqlite3_vfs shim_vfs, *real_vfs;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int cut;
static uint64_t writes, syncs, cut_after;
static shim_file *open_files;
static pending *closed_files;

static void free_log(undo *u)
{
	while (u) {
		undo *next = u->next;
		free(u->old);
		free(u);
		u = next;
	}
}

static int shim_close(sqlite3_file *f)
{
	shim_file *s = (shim_file *)f;
	pthread_mutex_lock(&lock);
	for (shim_file **p = &open_files; *p; p = &(*p)->next_open)
		if (*p == s) {
			*p = s->next_open;
			break;
		}
	if (s->log || cut) {
		/* Unsynced writes survive the close in the page cache only. */
		pending *pd = calloc(1, sizeof(*pd));
		pd->path = s->path;
		pd->synced_size = s->synced_size;
		pd->log = s->log;
		pd->next = closed_files;
		closed_files = pd;
		s->path = NULL;
		s->log = NULL;
	}
	pthread_mutex_unlock(&lock);
	int rc = s->real->pMethods ? s->real->pMethods->xClose(s->real) : SQLITE_OK;
	free(s->path);
	free_log(s->log);
	free(s->real);
	return rc;
}

static int shim_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	shim_file *s = (shim_file *)f;
	return s->real->pMethods->xRead(s->real, buf, n, off);
}

static int maybe_cut(void)
{
	/* called with lock held */
	writes++;
	if (cut_after && writes >= cut_after)
		cut = 1;
	return cut;
}

static int shim_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	shim_file *s = (shim_file *)f;
	pthread_mutex_lock(&lock);
	if (maybe_cut()) {
		pthread_mutex_unlock(&lock);
		return SQLITE_IOERR_WRITE;
	}
	sqlite3_int64 size = 0;
	s->real->pMethods->xFileSize(s->real, &size);
	undo *u = calloc(1, sizeof(*u));
	u->offset = off;
	u->len = n;
	u->had = off >= size ? 0 : (int)(size - off < n ? size - off : n);
	u->old = malloc((size_t)(u->had ? u->had : 1));
	if (u->had)
		s->real->pMethods->xRead(s->real, u->old, u->had, off);
	u->next = s->log;
	s->log = u;
	int rc = s->real->pMethods->xWrite(s->real, buf, n, off);
	pthread_mutex_unlock(&lock);
	return rc;
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	shim_file *s = (shim_file *)f;
	pthread_mutex_lock(&lock);
	if (cut) {
		pthread_mutex_unlock(&lock);
		return SQLITE_IOERR_TRUNCATE;
	}
	/* Keep what the truncation throws away, so it can come back. */
	sqlite3_int64 old_size = 0;
	s->real->pMethods->xFileSize(s->real, &old_size);
	if (old_size > size) {
		undo *u = calloc(1, sizeof(*u));
		u->offset = size;
		u->len = (int)(old_size - size);
		u->had = u->len;
		u->old = malloc((size_t)u->len);
		s->real->pMethods->xRead(s->real, u->old, u->len, size);
		u->next = s->log;
		s->log = u;
	}
	int rc = s->real->pMethods->xTruncate(s->real, size);
	pthread_mutex_unlock(&lock);
	return rc;
}

static int shim_sync(sqlite3_file *f, int flags)
{
	shim_file *s = (shim_file *)f;
	pthread_mutex_lock(&lock);
	if (cut) {
		pthread_mutex_unlock(&lock);
		return SQLITE_IOERR_FSYNC;
	}
	int rc = s->real->pMethods->xSync(s->real, flags);
	if (rc == SQLITE_OK) {
		free_log(s->log);
		s->log = NULL;
		s->real->pMethods->xFileSize(s->real, &s->synced_size);
		syncs++;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	shim_file *s = (shim_file *)f;
	return s->real->pMethods->xFileSize(s->real, size);
}

#define PASS(name, sig, call)                                                                                  \
	static int shim_##name sig                                                                             \
	{                                                                                                      \
		shim_file *s = (shim_file *)f;                                                                 \
		return s->real->pMethods->call;                                                                \
	}

PASS(lock, (sqlite3_file * f, int l), xLock(s->real, l))
PASS(unlock, (sqlite3_file * f, int l), xUnlock(s->real, l))
PASS(check_reserved, (sqlite3_file * f, int *out), xCheckReservedLock(s->real, out))
PASS(file_control, (sqlite3_file * f, int op, void *arg), xFileControl(s->real, op, arg))
PASS(sector_size, (sqlite3_file * f), xSectorSize(s->real))
PASS(device_characteristics, (sqlite3_file * f), xDeviceCharacteristics(s->real))
PASS(shm_map, (sqlite3_file * f, int pg, int sz, int extend, void volatile **out), xShmMap(s->real, pg, sz, extend, out))
PASS(shm_lock, (sqlite3_file * f, int offset, int n, int flags), xShmLock(s->real, offset, n, flags))
PASS(shm_unmap, (sqlite3_file * f, int del), xShmUnmap(s->real, del))

static void shim_shm_barrier(sqlite3_file *f)
{
	shim_file *s = (shim_file *)f;
	s->real->pMethods->xShmBarrier(s->real);
}

/* Version 2: WAL's shared memory, but no memory-mapped I/O, so every write
 * passes through xWrite where it can be undone. */
static const sqlite3_io_methods shim_methods = {
	2, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size, shim_lock, shim_unlock,
	shim_check_reserved, shim_file_control, shim_sector_size, shim_device_characteristics, shim_shm_map,
	shim_shm_lock, shim_shm_barrier, shim_shm_unmap, NULL, NULL,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	shim_file *s = (shim_file *)f;
	memset(s, 0, sizeof(*s));
	s->real = calloc(1, (size_t)real_vfs->szOsFile);
	int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		free(s->real);
		s->real = NULL;
		f->pMethods = NULL;
		return rc;
	}
	s->path = strdup(name ? name : "");
	s->real->pMethods->xFileSize(s->real, &s->synced_size);
	f->pMethods = &shim_methods;
	pthread_mutex_lock(&lock);
	s->next_open = open_files;
	open_files = s;
	pthread_mutex_unlock(&lock);
	return SQLITE_OK;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	if (powerloss_is_cut())
		return SQLITE_IOERR_DELETE;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int shim_sleep(sqlite3_vfs *vfs, int us)
{
	return real_vfs->xSleep(real_vfs, us);
}

static int shim_current_time(sqlite3_vfs *vfs, double *out)
{
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int shim_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

int powerloss_install(uint64_t cut_after_writes)
{
	real_vfs = sqlite3_vfs_find(NULL);
	cut = 0;
	writes = syncs = 0;
	cut_after = cut_after_writes;
	shim_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(shim_file),
		.mxPathname = real_vfs->mxPathname,
		.zName = "powerloss",
		.xOpen = shim_open,
		.xDelete = shim_delete,
		.xAccess = shim_access,
		.xFullPathname = shim_full_pathname,
		.xRandomness = shim_randomness,
		.xSleep = shim_sleep,
		.xCurrentTime = shim_current_time,
		.xGetLastError = shim_last_error,
		.xCurrentTimeInt64 = shim_current_time64,
	};
	return sqlite3_vfs_register(&shim_vfs, 1);
}

void powerloss_cut(void)
{
	pthread_mutex_lock(&lock);
	cut = 1;
	pthread_mutex_unlock(&lock);
}

int powerloss_is_cut(void)
{
	pthread_mutex_lock(&lock);
	int c = cut;
	pthread_mutex_unlock(&lock);
	return c;
}

/* Writes the old bytes back, newest first, then cuts the file to its synced size. */
static void undo_file(const char *path, undo *log, sqlite3_int64 synced_size)
{
	sqlite3_file *f = calloc(1, (size_t)real_vfs->szOsFile);
	int out_flags;
	if (real_vfs->xOpen(real_vfs, path, f, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MAIN_DB, &out_flags) == SQLITE_OK) {
		for (undo *u = log; u; u = u->next)
			if (u->had)
				f->pMethods->xWrite(f, u->old, u->had, u->offset);
		f->pMethods->xTruncate(f, synced_size);
		f->pMethods->xClose(f);
	}
	free(f);
}

int powerloss_restore(void)
{
	int restored = 0;
	pthread_mutex_lock(&lock);
	for (shim_file *s = open_files; s; s = s->next_open) {
		undo_file(s->path, s->log, s->synced_size);
		free_log(s->log);
		s->log = NULL;
		restored++;
	}
	for (pending *p = closed_files; p;) {
		pending *next = p->next;
		undo_file(p->path, p->log, p->synced_size);
		free_log(p->log);
		free(p->path);
		free(p);
		restored++;
		p = next;
	}
	closed_files = NULL;
	pthread_mutex_unlock(&lock);
	return restored;
}

void powerloss_uninstall(void)
{
	sqlite3_vfs_unregister(&shim_vfs);
}

uint64_t powerloss_writes(void)
{
	return writes;
}

uint64_t powerloss_syncs(void)
{
	return syncs;
}
