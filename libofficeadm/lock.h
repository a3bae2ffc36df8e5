/*
 * lock.h - advisory locks that serialise writers of one file, and let its
 * readers run together but never while a writer holds it.
 *
 * The lock for FILE is flock(2) on "FILE.lock", beside what FILE names
 * when it is a symlink (oa_path_resolve), so a link and the file's own
 * name share one lock.  The lock file is created mode 0600, or 0660 in
 * FILE's group when FILE is group-writable, so that the colleagues who may
 * write FILE may lock it too and nobody else can hold a lock that blocks
 * them; it is left in place, except when FILE still does not exist at the
 * release (a run that failed to create it leaves nothing new).  flock is
 * released by the
 * kernel when the holder dies, so a killed cron job never leaves a stale
 * lock.  The holder writes "pid PROGRAM since TIME" into the lock file so a
 * waiting process can say who holds it; release empties it, and a line whose
 * pid is dead is ignored.  A user who may only read the lock file still
 * locks through it, without writing the line.
 */
#ifndef OA_LOCK_H
#define OA_LOCK_H

#include "error.h"

typedef struct oa_lock {
	int fd;     /* -1 when not held */
	char *path; /* the .lock file */
} oa_lock;

#define OA_LOCK_DEFAULT_TIMEOUT_MS 10000

/*
 * Takes the lock for TARGET, waiting up to TIMEOUT_MS (0: try once; < 0:
 * wait as long as it takes), polling with sleeps of 5 to 25 ms.  WHO names
 * the program for the holder line.  On timeout: -1 and a message (no file)
 * like `"reg.csv" is locked by pid 123 (asset-tag since 2026-11-28
 * 10:00:00); gave up after 10.0 s`, or "locked by another process" when
 * the holder has not written its line.  A lock file that is a symlink is
 * refused (O_NOFOLLOW).  On error lock->fd is -1 and lock->path NULL.
 *
 * The lock is per open file: a second acquire of the same TARGET in the
 * same process waits like any other.  The descriptor is close-on-exec, and
 * a child created by fork() shares the lock (oa_lock_release in either
 * process releases it for both).
 */
int oa_lock_acquire(oa_lock *lock, const char *target, int timeout_ms, const char *who,
                    oa_error *err);
/*
 * Takes the lock for TARGET shared (flock LOCK_SH), for a reader: any
 * number of readers hold it at once, and none while a writer holds it
 * (oa_lock_acquire), so a reader never sees a write half done and a
 * writer waits for the readers.  Waiting, the holder line, symlinks and
 * errors as for oa_lock_acquire.  When this user may not open or create
 * the lock file (another user's, mode 0600; a directory or file system it
 * may not write), it returns 1 with the reason in err and nothing held:
 * the caller may read without the lock, as before there were shared
 * locks, or refuse.
 */
int oa_lock_acquire_shared(oa_lock *lock, const char *target, int timeout_ms, const char *who,
                           oa_error *err);
/*
 * Releases a held lock (clearing the holder line, unless other readers
 * still hold it shared) and frees lock->path;
 * harmless on a lock not held, on a failed acquire, and on a zeroed oa_lock.
 */
void oa_lock_release(oa_lock *lock);

#endif
