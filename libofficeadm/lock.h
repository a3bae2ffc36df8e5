/*
 * lock.h - advisory locks that serialise writers of one file.
 *
 * The lock for FILE is flock(2) on "FILE.lock" (created, mode 0600, left in
 * place).  flock is released by the kernel when the holder dies, so a
 * killed cron job never leaves a stale lock.  The holder writes
 * "pid PROGRAM since TIME" into the lock file so a waiting process can say
 * who holds it.
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
 * Takes the lock for TARGET, waiting up to TIMEOUT_MS (0: try once).  WHO
 * names the program for the holder line.  On timeout: -1 and a message like
 * `"reg.csv" is locked by pid 123 (asset-tag since 2026-11-28 10:00:00)`.
 */
int oa_lock_acquire(oa_lock *lock, const char *target, int timeout_ms, const char *who,
                    oa_error *err);
/* Releases a held lock; harmless on a lock not held. */
void oa_lock_release(oa_lock *lock);

#endif
