/*
 * lock.c - advisory locks that serialise writers of one file.  See lock.h.
 *
 * The lock is flock(2) on "TARGET.lock", taken without blocking and retried
 * with short sleeps until the timeout, so a busy lock becomes a clean error
 * instead of a hang.  Writers take it exclusive (LOCK_EX), readers shared
 * (LOCK_SH): readers run together, and exclude writers.  The holder writes
 * one line, "pid PROGRAM since TIME", into the lock file (readers leave a
 * live reader's line in place); a waiter that gives up reads it to name
 * the holder.
 * The lock file stays in place: removing it would let two processes lock
 * two different files of the same name.
 */
#include "lock.h"
#include "durable.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_MIN_MS 5
#define POLL_MAX_MS 25

/*
 * The locks held by this process whose lock file it created (their path
 * pointers), so that release can remove a lock file made for nothing.
 */
#define MAX_CREATED 16
static const char *created[MAX_CREATED];

static void
set_created(const char *path, bool on)
{
	for (size_t i = 0; i < MAX_CREATED; i++) {
		if (on && created[i] == NULL) {
			created[i] = path;
			return;
		}
		if (!on && created[i] == path) {
			created[i] = NULL;
			return;
		}
	}
}

static bool
is_created(const char *path)
{
	for (size_t i = 0; i < MAX_CREATED; i++)
		if (path != NULL && created[i] == path)
			return true;
	return false;
}

/*
 * The locks held shared by this process (their path pointers): kept here,
 * not in oa_lock, whose callers initialise its two fields by position.
 */
static const char *shared_locks[MAX_CREATED];

static bool
set_shared(const char *path, bool on)
{
	for (size_t i = 0; i < MAX_CREATED; i++) {
		if (on && shared_locks[i] == NULL) {
			shared_locks[i] = path;
			return true;
		}
		if (!on && path != NULL && shared_locks[i] == path) {
			shared_locks[i] = NULL;
			return true;
		}
	}
	return false;
}

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Writes the holder line: "pid PROGRAM since YYYY-MM-DD HH:MM:SS\n". */
static void
write_holder(int fd, const char *who)
{
	char line[256], prog[64], since[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i = 0;
	int n;

	/* Keep the program name to one printable word. */
	for (const char *p = who ? who : "?"; *p && i < sizeof prog - 1; p++)
		prog[i++] = (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') ? '_' : *p;
	prog[i] = '\0';
	if (i == 0)
		snprintf(prog, sizeof prog, "?");
	if (localtime_r(&now, &tm) == NULL || strftime(since, sizeof since, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(since, sizeof since, "?");
	n = snprintf(line, sizeof line, "pid %ld %s since %s\n", (long)getpid(), prog, since);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	/* Best effort: the line only helps messages; the flock is what counts. */
	if (ftruncate(fd, 0) < 0 || pwrite(fd, line, (size_t)n, 0) != n)
		return;
}

/*
 * Whether the holder line in FD names a live process: another reader that
 * holds the lock shared, whose line a newcomer leaves in place.
 */
static bool
holder_alive(int fd)
{
	char line[64];
	long pid;
	ssize_t n = pread(fd, line, sizeof line - 1, 0);

	if (n <= 0)
		return false;
	line[n] = '\0';
	return sscanf(line, "pid %ld ", &pid) == 1 && pid > 0 && pid != (long)getpid() &&
	       !(kill((pid_t)pid, 0) < 0 && errno == ESRCH);
}

/* Describes the holder from the lock file, or says it is unknown. */
static void
describe_holder(const char *lock_path, char *buf, size_t size)
{
	char line[256], prog[64], day[16], clock[16];
	long pid;
	ssize_t n = -1;
	int fd = open(lock_path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = pread(fd, line, sizeof line - 1, 0);
		close(fd);
	}
	if (n > 0) {
		line[n] = '\0';
		/* A line naming a dead process is stale: its writer was killed. */
		if (sscanf(line, "pid %ld %63s since %15s %15s", &pid, prog, day, clock) == 4 &&
		    pid > 0 && !(kill((pid_t)pid, 0) < 0 && errno == ESRCH)) {
			snprintf(buf, size, "pid %ld (%s since %s %s)", pid, prog, day, clock);
			return;
		}
	}
	/* The holder has the lock but has not written its line yet, or never does. */
	snprintf(buf, size, "another process");
}

/* The name of user UID, or "uid N" when it has none. */
static void
user_name(uid_t uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "uid %ld", (long)uid);
}

/*
 * The lock file PATH could not be opened, or not created, for want of
 * permission (errno E): says whose the lock file (or, when it is missing,
 * its directory) is, its mode, and who this run is, so that the person
 * who reads it knows whom to ask.
 */
static int
denied(const char *path, int e, oa_error *err)
{
	struct stat st;
	char owner[64], me[64], dir[PATH_MAX];
	const char *slash;

	user_name(geteuid(), me, sizeof me);
	if (lstat(path, &st) == 0) {
		user_name(st.st_uid, owner, sizeof owner);
		return oa_error_set(err, path, 0,
		                    "cannot open the lock file: it belongs to %s, mode %03o, and this "
		                    "run is user %s (%s); its owner may give it to the group of the "
		                    "file's users (chgrp, chmod 660), or remove it while nothing runs "
		                    "(the next run makes it again)", owner,
		                    (unsigned)(st.st_mode & 07777), me, strerror(e));
	}
	slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash == path ? 1 : slash - path), path);
	if (stat(dir, &st) == 0) {
		user_name(st.st_uid, owner, sizeof owner);
		return oa_error_set(err, path, 0,
		                    "cannot create the lock file: its directory \"%s\" belongs to %s, "
		                    "mode %03o, and this run is user %s (%s)", dir, owner,
		                    (unsigned)(st.st_mode & 07777), me, strerror(e));
	}
	errno = e;
	return oa_error_sys(err, path, "cannot create the lock file");
}

/*
 * Opens (creating it when missing) LOCK->path for TARGET.  A new lock file
 * is 0600, or 0660 with TARGET's group when TARGET is group-writable (the
 * colleagues who may write it may lock it); a lock file of ours that others
 * may read is narrowed the same way, since whoever can open it can hold a
 * lock that blocks every writer.  *WRITABLE is false when only a read-only
 * descriptor could be had (another user's lock file).  -1 with err; -2 with
 * err when this user may not open or create it (permission, read-only
 * file system).
 */
static int
open_lock_file(oa_lock *lock, const char *target, bool *writable, oa_error *err)
{
	struct stat ts, ls;
	mode_t mode = 0600;
	bool shared;
	int create_errno;

	shared = stat(target, &ts) == 0 && (ts.st_mode & S_IWGRP);
	if (shared)
		mode = 0660;
	*writable = true;
	lock->fd = open(lock->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock->fd >= 0) {
		set_created(lock->path, true);
		if (shared && fchown(lock->fd, (uid_t)-1, ts.st_gid) < 0)
			mode = 0600; /* not in the file's group: keep it ours */
		if (fchmod(lock->fd, mode) < 0) {
			/* 0600 from open: narrow enough */
		}
		return 0;
	}
	create_errno = errno;
	lock->fd = open(lock->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (lock->fd < 0 && (errno == EACCES || errno == EROFS)) {
		/* Another user's lock file: flock needs only read access. */
		lock->fd = open(lock->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		*writable = false;
	}
	if (lock->fd < 0) {
		/* Missing and not creatable: say why it could not be created. */
		if (errno == ENOENT && create_errno != EEXIST)
			errno = create_errno;
		if (errno == EACCES || errno == EPERM) {
			denied(lock->path, errno, err);
			return -2;
		}
		if (errno == EROFS) {
			oa_error_sys(err, lock->path, "cannot create the lock file");
			return -2;
		}
		return oa_error_sys(err, lock->path, "cannot open lock file");
	}
	if (fstat(lock->fd, &ls) == 0 && ls.st_uid == geteuid() && (ls.st_mode & 0177) != 0 &&
	    (ls.st_mode & 0777) != mode && fchmod(lock->fd, mode) < 0) {
		/* best effort: the lock works all the same */
	}
	return 0;
}

static int
acquire(oa_lock *lock, const char *target, int timeout_ms, const char *who, bool shared,
        oa_error *err)
{
	struct timespec start;
	long delay = POLL_MIN_MS;
	size_t len;
	char holder[192], *real;
	bool writable = true;
	int rc = -1, orc;

	lock->fd = -1;
	/* A register reached through a symlink is locked beside the file itself. */
	real = oa_path_resolve(target, err);
	if (real == NULL) {
		lock->path = NULL;
		return -1;
	}
	len = strlen(real);
	lock->path = malloc(len + sizeof ".lock");
	if (lock->path == NULL) {
		free(real);
		return oa_error_set(err, target, 0, "out of memory");
	}
	memcpy(lock->path, real, len);
	memcpy(lock->path + len, ".lock", sizeof ".lock");
	free(real);

retry:
	if ((orc = open_lock_file(lock, target, &writable, err)) < 0) {
		/* A reader that may not lock (read-only access) reads all the same. */
		if (orc == -2 && shared)
			rc = 1;
		goto fail;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long waited, left;

		if (flock(lock->fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0) {
			struct stat held, now;

			/*
			 * The holder before us may have removed the lock file (a
			 * target it failed to create): then this lock guards
			 * nothing, and the file now at the path is the one to lock.
			 */
			if (fstat(lock->fd, &held) == 0 &&
			    (lstat(lock->path, &now) < 0 || now.st_ino != held.st_ino ||
			     now.st_dev != held.st_dev)) {
				close(lock->fd);
				lock->fd = -1;
				set_created(lock->path, false);
				goto retry;
			}
			if (shared && !set_shared(lock->path, true)) {
				oa_error_set(err, target, 0, "too many shared locks held at once");
				goto fail;
			}
			/* Readers share the line: the first one still there keeps it. */
			if (writable && !(shared && holder_alive(lock->fd)))
				write_holder(lock->fd, who);
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			oa_error_sys(err, lock->path, "cannot lock");
			goto fail;
		}
		waited = elapsed_ms(&start);
		if (timeout_ms >= 0 && waited >= timeout_ms)
			break;
		left = timeout_ms >= 0 ? timeout_ms - waited : POLL_MAX_MS;
		sleep_ms(delay < left ? delay : left);
		delay = delay * 2 < POLL_MAX_MS ? delay * 2 : POLL_MAX_MS;
	}
	describe_holder(lock->path, holder, sizeof holder);
	if (timeout_ms > 0)
		oa_error_set(err, NULL, 0, "\"%s\" is locked by %s; gave up after %d.%d s", target,
		             holder, timeout_ms / 1000, timeout_ms % 1000 / 100);
	else
		oa_error_set(err, NULL, 0, "\"%s\" is locked by %s", target, holder);
fail:
	if (lock->fd >= 0)
		close(lock->fd);
	lock->fd = -1;
	set_created(lock->path, false);
	free(lock->path);
	lock->path = NULL;
	return rc;
}

int
oa_lock_acquire(oa_lock *lock, const char *target, int timeout_ms, const char *who,
                oa_error *err)
{
	return acquire(lock, target, timeout_ms, who, false, err);
}

int
oa_lock_acquire_shared(oa_lock *lock, const char *target, int timeout_ms, const char *who,
                       oa_error *err)
{
	return acquire(lock, target, timeout_ms, who, true, err);
}

void
oa_lock_release(oa_lock *lock)
{
	if (lock == NULL)
		return;
	/*
	 * A shared lock that others still hold is just let go: the holder
	 * line and the lock file are theirs too.  The last holder (it can
	 * take the lock exclusive) cleans up as a writer does.
	 */
	if (lock->path != NULL && lock->fd >= 0 && set_shared(lock->path, false) &&
	    flock(lock->fd, LOCK_EX | LOCK_NB) != 0) {
		close(lock->fd);
		lock->fd = -1;
	}
	/* fd is only ours while path is set: a zeroed oa_lock holds nothing. */
	if (lock->path != NULL && lock->fd >= 0) {
		size_t len = strlen(lock->path) - strlen(".lock");
		char *target = strndup(lock->path, len);
		struct stat st;

		/*
		 * A lock file made for a target that still does not exist (its
		 * creation failed) is removed, so that a failed run leaves nothing
		 * new; a waiter that opened it sees that and locks afresh.
		 */
		if (is_created(lock->path) && target != NULL && stat(target, &st) < 0 && errno == ENOENT)
			unlink(lock->path);
		free(target);
		/* Clear the holder line first, so nobody is named after we leave. */
		if (ftruncate(lock->fd, 0) < 0) {
			/* read-only lock file: there is no line of ours to clear */
		}
		flock(lock->fd, LOCK_UN);
		close(lock->fd);
	}
	set_created(lock->path, false);
	lock->fd = -1;
	free(lock->path);
	lock->path = NULL;
}
