/*
 * slow-fsync.so: an LD_PRELOAD shim for bench/run.  fsync and fdatasync do
 * their work and then wait GZ_BENCH_FSYNC_MS milliseconds more, so one run
 * can show what group commit does on a disk whose cache flushes cost
 * milliseconds (a cloud volume, a consumer SSD) when this machine's cost a
 * tenth of one.  Nothing else changes; the data is as durable as without it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void wait_more(void)
{
	const char *value = getenv("GZ_BENCH_FSYNC_MS");
	double ms = value ? atof(value) : 0;
	if (ms <= 0)
		return;
	struct timespec t = { (time_t)(ms / 1000), (long)((ms - 1000.0 * (double)(time_t)(ms / 1000)) * 1e6) };
	while (nanosleep(&t, &t) != 0)
		;
}

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

/* Resolved before main, so the worker threads only ever read them. */
__attribute__((constructor)) static void find_real(void)
{
	real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
}

int fsync(int fd)
{
	int rc = real_fsync(fd);
	wait_more();
	return rc;
}

int fdatasync(int fd)
{
	int rc = real_fdatasync(fd);
	wait_more();
	return rc;
}
