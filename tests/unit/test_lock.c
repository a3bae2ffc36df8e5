/*
 * test_lock.c - advisory file locks (lock.h).
 *
 * A forked child takes the lock and waits on a pipe; the parent's acquire
 * must then fail, naming the child's pid, and succeed once the child has
 * exited, released, or been killed with SIGKILL (flock dies with its
 * holder, so no stale lock remains).  Four processes incrementing one
 * counter file under the lock lose no update.  Nothing here measures time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "durable.h"
#include "lock.h"

static char dir[64];
static char target[128];

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/test_lock.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(target, sizeof target, "%s/register.csv", dir);
	/* The register exists, mode 0644 (a lock for a missing file is removed at release). */
	{
		int fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || fchmod(fd, 0644) < 0)
			return -1;
		close(fd);
	}
	return 0;
}

static int
teardown(void **state)
{
	char path[160];

	snprintf(path, sizeof path, "%s.lock", target);
	unlink(path);
	unlink(target);
	rmdir(dir);
	return 0;
}

/*
 * Forks a child that takes the lock as "holder-prog", reports on a pipe,
 * then waits until the parent closes *release_fd (or kills it).
 */
static pid_t
spawn_holder_as(int *release_fd, bool shared)
{
	int ready[2], release[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(release), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		oa_lock lk;
		oa_error err;

		close(ready[0]);
		close(release[1]);
		if ((shared ? oa_lock_acquire_shared(&lk, target, 5000, "holder-prog", &err)
		            : oa_lock_acquire(&lk, target, 5000, "holder-prog", &err)) != 0)
			_exit(3);
		if (write(ready[1], "r", 1) != 1)
			_exit(4);
		/* Blocks until the parent closes its end (or kills us). */
		while (read(release[0], &c, 1) < 0 && errno == EINTR)
			;
		oa_lock_release(&lk);
		_exit(0);
	}
	close(ready[1]);
	close(release[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*release_fd = release[1];
	return pid;
}

static pid_t
spawn_holder(int *release_fd)
{
	return spawn_holder_as(release_fd, false);
}

/*
 * Shared locks: readers hold it together; a writer cannot while one does
 * (and is told who), nor a reader while a writer does; the last reader to
 * leave clears the holder line, one of several does not.
 */
static void
test_shared(void **state)
{
	char path[160], buf[256];
	oa_lock lk, mine, other;
	oa_error err;
	pid_t pid;
	int release, status, fd;
	ssize_t n;

	(void)state;
	snprintf(path, sizeof path, "%s.lock", target);

	/* A reader holds it: another reader takes it at once, a writer cannot. */
	pid = spawn_holder_as(&release, true);
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire_shared(&mine, target, 0, "reader", &err), 0);
	assert_true(mine.fd >= 0);
	assert_int_equal(oa_lock_acquire_shared(&other, target, 0, "reader2", &err), 0);
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire(&lk, target, 150, "writer", &err), -1);
	assert_int_equal(lk.fd, -1);
	assert_non_null(strstr(err.msg, "is locked by pid"));
	assert_non_null(strstr(err.msg, "gave up after 0.1 s"));
	/* One reader leaves: the others still hold it, and the line stays. */
	oa_lock_release(&other);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n > 0);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "writer", &err), -1);
	oa_lock_release(&mine);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "writer", &err), -1); /* the child still reads */
	close(release);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The last reader gone, the line is cleared and a writer takes it. */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof buf), 0);
	close(fd);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "writer", &err), 0);
	oa_lock_release(&lk);

	/* A writer holds it: a reader waits, then gives up naming it. */
	pid = spawn_holder_as(&release, false);
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire_shared(&mine, target, 150, "reader", &err), -1);
	assert_int_equal(mine.fd, -1);
	assert_null(mine.path);
	assert_non_null(strstr(err.msg, "(holder-prog since "));
	close(release);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(oa_lock_acquire_shared(&mine, target, 0, "reader", &err), 0);
	oa_lock_release(&mine);
}

/*
 * A reader who may not open or create the lock file is told so (1, err
 * set, nothing held) and may read without it; a writer gets -1 (needs root).
 */
static void
test_shared_read_only_user(void **state)
{
	char path[160];
	oa_lock lk;
	oa_error err;
	pid_t child;
	int status;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof path, "%s.lock", target);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "root", &err), 0);
	oa_lock_release(&lk);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		oa_error_clear(&err);
		if (oa_lock_acquire_shared(&lk, target, 0, "nobody", &err) != 1 || lk.fd != -1 ||
		    lk.path != NULL || strstr(err.msg, "belongs to root") == NULL)
			_exit(4);
		oa_lock_release(&lk);
		if (oa_lock_acquire(&lk, target, 0, "nobody", &err) != -1)
			_exit(5);
		_exit(0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chmod(dir, 0700);
}

static void
test_acquire_release(void **state)
{
	oa_lock lk;
	oa_error err;
	char path[160], buf[256], want[64];
	struct stat st;
	int fd;
	ssize_t n;

	oa_error_clear(&err);
	{
		/* 0600 whatever the umask: others cannot open it to block writers. */
		mode_t old = umask(0);

		assert_int_equal(oa_lock_acquire(&lk, target, 0, "test lock", &err), 0);
		umask(old);
	}
	assert_true(lk.fd >= 0);
	snprintf(path, sizeof path, "%s.lock", target);
	assert_string_equal(lk.path, path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* The holder line names us; the space in the program name is kept out. */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	snprintf(want, sizeof want, "pid %ld test_lock since ", (long)getpid());
	assert_memory_equal(buf, want, strlen(want));
	assert_int_equal(buf[n - 1], '\n');

	oa_lock_release(&lk);
	assert_int_equal(lk.fd, -1);
	assert_null(lk.path);
	oa_lock_release(&lk); /* twice is harmless */

	/* Released: it can be taken again at once, and the file stays. */
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "again", &err), 0);
	oa_lock_release(&lk);
	assert_int_equal(stat(path, &st), 0);

	/* A zeroed oa_lock holds nothing; releasing it must not close fd 0. */
	{
		oa_lock zero = { 0 };
		int was_open = fcntl(0, F_GETFD) != -1;

		oa_lock_release(&zero);
		assert_int_equal(fcntl(0, F_GETFD) != -1, was_open);
	}
}

static void
test_busy_names_holder(void **state)
{
	oa_lock lk;
	oa_error err;
	char want[64];
	int release_fd, status;
	pid_t child = spawn_holder(&release_fd);

	/* Held by the child: a short wait fails and says who holds it. */
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire(&lk, target, 150, "waiter", &err), -1);
	assert_int_equal(lk.fd, -1);
	assert_null(lk.path);
	snprintf(want, sizeof want, "is locked by pid %ld (holder-prog since ", (long)child);
	if (strstr(err.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	assert_non_null(strstr(err.msg, "register.csv\""));
	assert_non_null(strstr(err.msg, "gave up after 0.1 s"));

	/* Trying once fails the same way. */
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "waiter", &err), -1);
	assert_non_null(strstr(err.msg, want));

	/* The child leaves; the lock is free. */
	close(release_fd);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "waiter", &err), 0);
	oa_lock_release(&lk);
}

/* A register reached through a symlink shares the lock of its own name. */
static void
test_symlink_shares_lock(void **state)
{
	oa_lock lk;
	oa_error err;
	char link[160], chain[160], want[160];
	int release_fd, status;
	pid_t child = spawn_holder(&release_fd); /* holds target's lock */

	(void)state;
	snprintf(link, sizeof link, "%s.link", target);
	snprintf(chain, sizeof chain, "%s.chain", target);
	unlink(link);
	unlink(chain);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(symlink(link, chain), 0); /* chain -> link -> (missing) target */
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire(&lk, link, 0, "via link", &err), -1);
	assert_non_null(strstr(err.msg, "holder-prog"));
	assert_int_equal(oa_lock_acquire(&lk, chain, 0, "via chain", &err), -1);
	assert_non_null(strstr(err.msg, "holder-prog"));
	close(release_fd);
	assert_int_equal(waitpid(child, &status, 0), child);
	/* Free now; the lock file is the target's, none is made beside the link. */
	assert_int_equal(oa_lock_acquire(&lk, link, 0, "via link", &err), 0);
	snprintf(want, sizeof want, "%s.lock", target);
	assert_string_equal(lk.path, want);
	oa_lock_release(&lk);
	snprintf(want, sizeof want, "%s.link.lock", target);
	assert_int_equal(access(want, F_OK), -1);
	unlink(link);
	unlink(chain);
}

static void
test_waits_for_release(void **state)
{
	oa_lock lk;
	oa_error err;
	int release_fd, status;
	pid_t child = spawn_holder(&release_fd);
	pid_t closer = fork();

	/* A second child lets the holder go a little later while we wait. */
	assert_true(closer >= 0);
	if (closer == 0) {
		struct timespec ts = { 0, 100 * 1000000L };

		nanosleep(&ts, NULL);
		close(release_fd);
		_exit(0);
	}
	close(release_fd);
	/* A generous timeout: only the release ends the wait. */
	assert_int_equal(oa_lock_acquire(&lk, target, 20000, "waiter", &err), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_int_equal(waitpid(closer, &status, 0), closer);
	oa_lock_release(&lk);
}

static void
test_killed_holder_leaves_no_lock(void **state)
{
	oa_lock lk;
	oa_error err;
	int release_fd, status;
	pid_t child = spawn_holder(&release_fd);

	assert_int_equal(oa_lock_acquire(&lk, target, 0, "waiter", &err), -1);
	assert_int_equal(kill(child, SIGKILL), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(release_fd);

	/* The dead holder's line is still in the file, but the lock is free. */
	oa_error_clear(&err);
	if (oa_lock_acquire(&lk, target, 0, "after-kill", &err) < 0)
		fail_msg("stale lock after SIGKILL: %s", err.msg);
	oa_lock_release(&lk);
}

/*
 * A holder that cannot write its line (a colleague's read-only lock file),
 * with the line of a killed holder still in the file: the waiter must not
 * name the dead process.
 */
static void
test_stale_holder_line(void **state)
{
	char path[160], line[128];
	int fd, ready[2], status;
	pid_t dead, child;
	oa_lock lk;
	oa_error err;
	char c;

	dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, &status, 0), dead);
	snprintf(path, sizeof path, "%s.lock", target);
	snprintf(line, sizeof line, "pid %ld ghost since 2026-01-01 00:00:00\n", (long)dead);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);

	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int lfd = open(path, O_RDONLY);

		if (lfd < 0 || flock(lfd, LOCK_EX) < 0 || write(ready[1], "r", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "waiter", &err), -1);
	if (strstr(err.msg, "is locked by another process") == NULL)
		fail_msg("message \"%s\" names a dead holder", err.msg);
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	close(ready[0]);
	close(ready[1]);

	/* Free again; the new holder's line replaces the ghost's. */
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "waiter", &err), 0);
	oa_lock_release(&lk);
}

/* A user who may only read the lock file still locks through it (needs root to set up). */
static void
test_read_only_lock_file(void **state)
{
	char path[160];
	oa_lock lk;
	oa_error err;
	pid_t child;
	int status;

	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof path, "%s.lock", target);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "root", &err), 0);
	oa_lock_release(&lk);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		oa_lock mine, again;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		if (oa_lock_acquire(&mine, target, 0, "nobody", &err) < 0)
			_exit(4);
		/* Held: a second open file description cannot take it. */
		if (oa_lock_acquire(&again, target, 0, "nobody", &err) == 0 ||
		    strstr(err.msg, "locked by another process") == NULL)
			_exit(5);
		oa_lock_release(&mine);
		_exit(0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chmod(dir, 0700);
}

/*
 * Another user's lock file that this user may not open, and a directory
 * where this user may not create one: the message names the lock file,
 * whose it is (or its directory's), the mode and this user (needs root).
 */
static void
test_denied_names_owner_mode_user(void **state)
{
	char path[160];
	oa_lock lk;
	oa_error err;
	pid_t child;
	int status;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof path, "%s.lock", target);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "root", &err), 0);
	oa_lock_release(&lk);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct passwd *pw = getpwuid(65534);
		char me[80], lockname[200];

		snprintf(me, sizeof me, "this run is user %s", pw ? pw->pw_name : "uid 65534");
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		oa_error_clear(&err);
		if (oa_lock_acquire(&lk, target, 0, "nobody", &err) == 0)
			_exit(4);
		if (strcmp(err.file, path) != 0 ||
		    strstr(err.msg, "cannot open the lock file: it belongs to root, mode 600") == NULL ||
		    strstr(err.msg, me) == NULL || strstr(err.msg, "Permission denied") == NULL)
			_exit(5);
		/* No lock file, and a directory this user may not write. */
		snprintf(lockname, sizeof lockname, "%s/other.csv", dir);
		oa_error_clear(&err);
		if (oa_lock_acquire(&lk, lockname, 0, "nobody", &err) == 0)
			_exit(6);
		if (strstr(err.msg, "cannot create the lock file: its directory") == NULL ||
		    strstr(err.msg, "belongs to root, mode 755") == NULL || strstr(err.msg, me) == NULL)
			_exit(7);
		_exit(0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chmod(dir, 0700);
}

static void
test_open_errors(void **state)
{
	oa_lock lk;
	oa_error err;
	char path[160], link_target[160];

	/* A directory that does not exist. */
	snprintf(path, sizeof path, "%s/no/such/dir/register.csv", dir);
	oa_error_clear(&err);
	assert_int_equal(oa_lock_acquire(&lk, path, 0, "t", &err), -1);
	assert_non_null(strstr(err.msg, "cannot open lock file"));
	assert_non_null(strstr(err.file, "register.csv.lock"));
	assert_int_equal(lk.fd, -1);

	/* A lock file that is a symlink is refused. */
	snprintf(path, sizeof path, "%s/linked.csv.lock", dir);
	snprintf(link_target, sizeof link_target, "%s/elsewhere", dir);
	assert_int_equal(symlink(link_target, path), 0);
	snprintf(path, sizeof path, "%s/linked.csv", dir);
	assert_int_equal(oa_lock_acquire(&lk, path, 0, "t", &err), -1);
	assert_non_null(strstr(err.msg, "cannot open lock file"));
	snprintf(path, sizeof path, "%s/linked.csv.lock", dir);
	unlink(path);
	assert_int_equal(access(link_target, F_OK), -1); /* nothing created through it */
}

/*
 * Four processes each add 1 to a counter file 8 times, reading it and
 * replacing it with oa_atomic_* under the lock: no update may be lost.
 */
static void
test_serialises_writers(void **state)
{
	enum { PROCS = 4, ROUNDS = 8 };
	pid_t pids[PROCS];
	oa_atomic_file af;
	oa_error err;
	char buf[32];
	FILE *fp;

	assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
	fputs("0\n", af.fp);
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] != 0)
			continue;
		for (int r = 0; r < ROUNDS; r++) {
			oa_lock lk;
			long n = -1;

			if (oa_lock_acquire(&lk, target, -1, "counter", &err) < 0)
				_exit(3);
			fp = fopen(target, "r");
			if (fp == NULL || fscanf(fp, "%ld", &n) != 1)
				_exit(4);
			fclose(fp);
			if (oa_atomic_open(&af, target, 0644, &err) < 0)
				_exit(5);
			fprintf(af.fp, "%ld\n", n + 1);
			if (oa_atomic_commit(&af, &err) < 0)
				_exit(6);
			oa_lock_release(&lk);
		}
		_exit(0);
	}
	for (int p = 0; p < PROCS; p++) {
		int status;

		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	fp = fopen(target, "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof buf, fp));
	fclose(fp);
	assert_string_equal(buf, "32\n");
}

/*
 * The lock file's mode: 0660 in the register's group when the register is
 * group-writable; an old world-readable lock file of ours is narrowed.
 */
static void
test_lock_file_mode(void **state)
{
	char path[160];
	struct stat st;
	oa_lock lk;
	oa_error err;
	int fd;

	(void)state;
	snprintf(path, sizeof path, "%s.lock", target);
	assert_int_equal(chmod(target, 0664), 0);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "t", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	oa_lock_release(&lk);
	assert_int_equal(unlink(path), 0);

	/* A lock file left 0644 by an older version: narrowed to 0600. */
	assert_int_equal(chmod(target, 0644), 0);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "t", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	oa_lock_release(&lk);
	/* It existed before: it stays. */
	assert_int_equal(stat(path, &st), 0);
}

/* A lock made for a file that still does not exist is removed at release. */
static void
test_lock_for_missing_file_removed(void **state)
{
	char path[160];
	struct stat st;
	oa_lock lk;
	oa_error err;

	(void)state;
	snprintf(path, sizeof path, "%s.lock", target);
	assert_int_equal(unlink(target), 0);
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "t", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	oa_lock_release(&lk);
	assert_int_equal(stat(path, &st), -1);
	/* Created meanwhile (the run succeeded): the lock file stays. */
	assert_int_equal(oa_lock_acquire(&lk, target, 0, "t", &err), 0);
	assert_int_equal(close(open(target, O_WRONLY | O_CREAT, 0644)), 0);
	oa_lock_release(&lk);
	assert_int_equal(stat(path, &st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_acquire_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_names_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waits_for_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_shares_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_holder_leaves_no_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_holder_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_lock_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_denied_names_owner_mode_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_read_only_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serialises_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_file_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_for_missing_file_removed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
