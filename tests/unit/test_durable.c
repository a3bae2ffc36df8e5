/*
 * test_durable.c - crash-safe file writes (durable.h).
 *
 * The kill test forks a writer that replaces a file with 1 MiB of new
 * content in chunks, reporting each step on a pipe, and SIGKILLs it after a
 * different step (and a different short delay) in each of 57 rounds: from
 * before the temporary file exists to after the rename.  Every time the
 * target must hold exactly the old or exactly the new content.  A full disk
 * is simulated with RLIMIT_FSIZE (SIGXFSZ ignored, so write fails EFBIG).
 * Journal writers are killed the same way in the middle of 128 KiB records
 * (SIGKILL can cut a large write(2) short: a real torn tail, seen in about
 * half the runs), and the next open must leave only whole records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "durable.h"

#define CHUNK (64 * 1024)
#define NCHUNKS 16
#define NEW_SIZE (CHUNK * NCHUNKS)
#define OLD_SIZE 5000

static char dir[64];
static char target[128];
static char *old_content, *new_content;

static void
fill(char *buf, size_t n, unsigned seed)
{
	/* Lines of varying text, so a shifted or mixed copy cannot pass. */
	for (size_t i = 0; i < n; i++)
		buf[i] = (i % 61 == 60) ? '\n' : (char)('a' + (i * 7 + seed + i / 61) % 26);
}

static void
write_file(const char *path, const void *data, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Reads PATH into a malloc'd buffer; *n its size. */
static char *
read_file(const char *path, size_t *n)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	*n = (size_t)st.st_size;
	return buf;
}

static void
assert_content(const char *path, const char *want)
{
	size_t n;
	char *got = read_file(path, &n);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(got, want, n);
	free(got);
}

/* Entries in dir other than the target and the ones named. */
static int
count_tmps(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp.") != NULL)
			n++;
	closedir(d);
	return n;
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/test_durable.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(target, sizeof target, "%s/register.csv", dir);
	old_content = malloc(OLD_SIZE);
	new_content = malloc(NEW_SIZE);
	if (old_content == NULL || new_content == NULL)
		return -1;
	fill(old_content, OLD_SIZE, 1);
	fill(new_content, NEW_SIZE, 2);
	return 0;
}

static int
teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
	free(old_content);
	free(new_content);
	return 0;
}

static void
test_replace_keeps_mode(void **state)
{
	oa_atomic_file af;
	oa_error err;
	char other[160];

	write_file(target, "old\n", 4, 0640);
	oa_error_clear(&err);
	assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
	assert_non_null(af.fp);
	assert_true(strncmp(af.tmp_path, target, strlen(target)) == 0);
	assert_int_equal(mode_of(af.tmp_path), 0600); /* private while written */
	fputs("new content\n", af.fp);
	assert_content(target, "old\n"); /* untouched until commit */
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_null(af.fp);
	assert_null(af.tmp_path);
	assert_content(target, "new content\n");
	assert_int_equal(mode_of(target), 0640);
	assert_int_equal(count_tmps(), 0);

	/* A new file gets NEW_MODE less the umask. */
	snprintf(other, sizeof other, "%s/new.csv", dir);
	{
		mode_t old = umask(027);

		assert_int_equal(oa_atomic_open(&af, other, 0666, &err), 0);
		umask(old);
	}
	fputs("x\n", af.fp);
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_int_equal(mode_of(other), 0640);
}

static void
test_abort(void **state)
{
	oa_atomic_file af;
	oa_error err;

	write_file(target, "old\n", 4, 0600);
	assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
	fputs("half written", af.fp);
	fflush(af.fp);
	assert_int_equal(count_tmps(), 1);
	oa_atomic_abort(&af);
	assert_int_equal(count_tmps(), 0);
	assert_content(target, "old\n");
	oa_atomic_abort(&af); /* released: harmless */

	/* Two replacements of one file at once in one process get two names. */
	{
		oa_atomic_file a, b;

		assert_int_equal(oa_atomic_open(&a, target, 0644, &err), 0);
		assert_int_equal(oa_atomic_open(&b, target, 0644, &err), 0);
		assert_string_not_equal(a.tmp_path, b.tmp_path);
		fputs("a\n", a.fp);
		fputs("b\n", b.fp);
		assert_int_equal(oa_atomic_commit(&a, &err), 0);
		assert_int_equal(oa_atomic_commit(&b, &err), 0);
		assert_content(target, "b\n");
		assert_int_equal(count_tmps(), 0);
	}
}

static void
test_open_errors(void **state)
{
	oa_atomic_file af;
	oa_error err;
	char path[160];

	snprintf(path, sizeof path, "%s/no/such/dir/x.csv", dir);
	oa_error_clear(&err);
	assert_int_equal(oa_atomic_open(&af, path, 0644, &err), -1);
	assert_string_equal(err.file, path);
	assert_non_null(strstr(err.msg, "temporary file"));
	assert_null(af.fp);
	assert_null(af.path);

	/* Never replace a device or a directory. */
	assert_int_equal(oa_atomic_open(&af, "/dev/null", 0644, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(oa_atomic_open(&af, dir, 0644, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

static void
test_symlink_followed(void **state)
{
	oa_atomic_file af;
	oa_error err;
	char link[160];
	struct stat st;

	write_file(target, "old\n", 4, 0604);
	snprintf(link, sizeof link, "%s/link.csv", dir);
	assert_int_equal(symlink("register.csv", link), 0);
	assert_int_equal(oa_atomic_open(&af, link, 0644, &err), 0);
	fputs("via link\n", af.fp);
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_content(target, "via link\n");
	assert_int_equal(mode_of(target), 0604);

	/* A dangling relative link: the file it names is created beside it. */
	unlink(target);
	assert_int_equal(oa_atomic_open(&af, link, 0600, &err), 0);
	fputs("created\n", af.fp);
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_content(target, "created\n");

	/* Not a file name at all. */
	assert_int_equal(oa_atomic_open(&af, "", 0600, &err), -1);
	assert_int_equal(oa_atomic_open(&af, "somedir/", 0600, &err), -1);
	assert_non_null(strstr(err.msg, "not a file name"));
}

/* Removes tmp files of dead writers; leaves those of live processes. */
static void
test_stale_tmps_removed(void **state)
{
	oa_atomic_file af;
	oa_error err;
	char dead_tmp[192], dead_tmp2[192], live_tmp[192], other_tmp[192];
	pid_t dead = fork();
	int status;

	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, &status, 0), dead);
	snprintf(dead_tmp, sizeof dead_tmp, "%s.tmp.%ld", target, (long)dead);
	snprintf(dead_tmp2, sizeof dead_tmp2, "%s.tmp.%ld.3", target, (long)dead);
	snprintf(live_tmp, sizeof live_tmp, "%s.tmp.%ld", target, (long)getppid());
	snprintf(other_tmp, sizeof other_tmp, "%s/unrelated.csv.tmp.%ld", dir, (long)dead);
	write_file(target, "old\n", 4, 0644);
	write_file(dead_tmp, "junk", 4, 0600);
	write_file(dead_tmp2, "junk", 4, 0600);
	write_file(live_tmp, "junk", 4, 0600);
	write_file(other_tmp, "junk", 4, 0600);

	assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
	assert_int_equal(access(dead_tmp, F_OK), -1);
	assert_int_equal(access(dead_tmp2, F_OK), -1);
	assert_int_equal(access(live_tmp, F_OK), 0);  /* its process lives */
	assert_int_equal(access(other_tmp, F_OK), 0); /* another target's */
	oa_atomic_abort(&af);
	unlink(live_tmp);
	unlink(other_tmp);
}

/*
 * The writer goes in steps: open the temporary file, write each chunk, then
 * commit.  After each step it reports one byte on REPORT and waits for an
 * acknowledgement on ACK, so the parent knows how far it may have got.
 */
static void
step_done(int report, int ack)
{
	char c;

	if (write(report, "s", 1) != 1 || read(ack, &c, 1) != 1)
		_exit(4);
}

static void
writer(int report, int ack)
{
	oa_atomic_file af;
	oa_error err;

	if (oa_atomic_open(&af, target, 0644, &err) < 0)
		_exit(3);
	step_done(report, ack);
	for (int i = 0; i < NCHUNKS; i++) {
		if (fwrite(new_content + (size_t)i * CHUNK, 1, CHUNK, af.fp) != CHUNK ||
		    fflush(af.fp) == EOF)
			_exit(5);
		step_done(report, ack);
	}
	if (oa_atomic_commit(&af, &err) < 0)
		_exit(6);
	step_done(report, ack);
	_exit(0);
}

/*
 * Round R lets the writer finish K = R % 19 steps, then lets it run on for
 * 0, 150 or 300 us and kills it.  Having been acknowledged K times, the
 * writer is at most in step K + 1 when killed: with K + 1 < 18 the commit
 * has not started (old content certain), with K = 18 it has finished (new
 * content certain), with K = 17 it may be anywhere in the commit.
 */
/* Lets a writer finish K steps, waits DELAY_US, kills it; returns 0 old, 1 new. */
static int
kill_round(int k, long delay_us)
{
	int report[2], ack[2], status, outcome = -1;
	char c;
	pid_t pid;
	size_t n;
	char *got;

	assert_int_equal(pipe(report), 0);
	assert_int_equal(pipe(ack), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(report[0]);
		close(ack[1]);
		writer(report[1], ack[0]);
	}
	close(report[1]);
	close(ack[0]);
	for (int i = 0; i < k; i++) {
		assert_int_equal(read(report[0], &c, 1), 1);
		assert_int_equal(write(ack[1], "a", 1), 1);
	}
	if (delay_us > 0) {
		struct timespec ts = { 0, delay_us * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(report[0]);
	close(ack[1]);
	/* Exit statuses 3..6 would mean the writer failed by itself. */
	assert_true(WIFSIGNALED(status) || WEXITSTATUS(status) == 0);

	got = read_file(target, &n);
	if (n == OLD_SIZE && memcmp(got, old_content, OLD_SIZE) == 0) {
		outcome = 0;
	} else if (n == NEW_SIZE && memcmp(got, new_content, NEW_SIZE) == 0) {
		outcome = 1;
		assert_int_equal(mode_of(target), 0640);
		write_file(target, old_content, OLD_SIZE, 0640); /* for the next round */
	} else {
		fail_msg("killed after %d steps and %ld us: target has %zu bytes, "
		         "neither the old nor the new content", k, delay_us, n);
	}
	free(got);
	return outcome;
}

/*
 * Round R lets the writer finish K = R % 19 steps, then lets it run on for
 * 0, 150 or 300 us and kills it.  Having been acknowledged K times, the
 * writer is at most in step K + 1 when killed: with K + 1 < 18 the commit
 * has not started (old content certain), with K = 18 it has finished (new
 * content certain), with K = 17 it may be anywhere in the commit.
 */
static void
test_kill_writer_anywhere(void **state)
{
	const int steps = 1 + NCHUNKS + 1; /* open, chunks, commit */
	int seen_old = 0, seen_new = 0;

	write_file(target, old_content, OLD_SIZE, 0640);
	for (int round = 0; round < 3 * (steps + 1); round++) {
		int k = round % (steps + 1);
		int outcome = kill_round(k, (round / (steps + 1)) * 150L);

		if (outcome == 0 && k == steps)
			fail_msg("round %d: commit reported, but the old content is there", round);
		if (outcome == 1 && k + 1 < steps)
			fail_msg("round %d: new content before the commit began", round);
		seen_old += outcome == 0;
		seen_new += outcome == 1;
		/* Each writer's open removed the temporary file of the one killed before. */
		assert_true(count_tmps() <= 1);
	}
	assert_true(seen_old >= 3 * (steps - 1));
	assert_true(seen_new >= 3);

	/* A writer killed mid-write leaves its temporary file; the next open clears it. */
	assert_int_equal(kill_round(5, 0), 0);
	assert_int_equal(count_tmps(), 1);
	{
		oa_atomic_file af;
		oa_error err;

		assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
		assert_int_equal(count_tmps(), 1); /* only its own */
		oa_atomic_abort(&af);
		assert_int_equal(count_tmps(), 0);
	}
}

/* Runs FN in a child limited to LIMIT bytes per file; returns its status. */
static int
with_file_limit(rlim_t limit, int (*fn)(char *msg, size_t msgsz), char *msg, size_t msgsz)
{
	int pfd[2], status;
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { limit, limit };
		char buf[1200];
		int rc;

		close(pfd[0]);
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(9);
		rc = fn(buf, sizeof buf);
		if (write(pfd[1], buf, strlen(buf)) < 0)
			_exit(8);
		_exit(rc);
	}
	close(pfd[1]);
	n = read(pfd[0], msg, msgsz - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
replace_big(char *msg, size_t msgsz)
{
	oa_atomic_file af;
	oa_error err;

	oa_error_clear(&err);
	if (oa_atomic_open(&af, target, 0644, &err) < 0) {
		snprintf(msg, msgsz, "open: %s", err.msg);
		return 2;
	}
	/* The stream may take it all into its buffer; commit must still see it fail. */
	fwrite(new_content, 1, NEW_SIZE, af.fp);
	if (oa_atomic_commit(&af, &err) == 0) {
		snprintf(msg, msgsz, "commit succeeded");
		return 0;
	}
	snprintf(msg, msgsz, "%s: %s", err.file, err.msg);
	return 1;
}

static int
append_big(char *msg, size_t msgsz)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_file_append_atomic(target, new_content, NEW_SIZE, 0644, &err) == 0) {
		snprintf(msg, msgsz, "append succeeded");
		return 0;
	}
	snprintf(msg, msgsz, "%s: %s", err.file, err.msg);
	return 1;
}

static int
journal_big(char *msg, size_t msgsz)
{
	oa_error err;
	int fd;

	oa_error_clear(&err);
	fd = oa_journal_open(target, &err);
	if (fd < 0) {
		snprintf(msg, msgsz, "open: %s", err.msg);
		return 2;
	}
	/* new_content ends with a partial line: give it a newline at the end. */
	new_content[NEW_SIZE - 1] = '\n';
	if (oa_journal_append(fd, target, new_content, NEW_SIZE, &err) == 0) {
		snprintf(msg, msgsz, "append succeeded");
		return 0;
	}
	snprintf(msg, msgsz, "%s: %s", err.file, err.msg);
	return 1;
}

static void
test_full_disk(void **state)
{
	char msg[1200], want[256];

	/* The old content fits under the limit; the new does not. */
	write_file(target, old_content, OLD_SIZE, 0644);
	assert_int_equal(with_file_limit(64 * 1024, replace_big, msg, sizeof msg), 1);
	snprintf(want, sizeof want, "%s: cannot write the new content, old file kept: %s", target,
	         strerror(EFBIG));
	assert_string_equal(msg, want);
	assert_int_equal(count_tmps(), 0);
	{
		size_t n;
		char *got = read_file(target, &n);

		assert_int_equal(n, OLD_SIZE);
		assert_memory_equal(got, old_content, OLD_SIZE);
		free(got);
	}

	/* Appending by copy fails the same way and keeps the old file. */
	assert_int_equal(with_file_limit(64 * 1024, append_big, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, strerror(EFBIG)));
	assert_non_null(strstr(msg, "old file kept"));
	assert_int_equal(count_tmps(), 0);
	{
		size_t n;
		char *got = read_file(target, &n);

		assert_int_equal(n, OLD_SIZE);
		assert_memory_equal(got, old_content, OLD_SIZE);
		free(got);
	}

	/* A journal record that does not fit is taken back whole. */
	write_file(target, "seq,what\n1,first\n", 17, 0600);
	assert_int_equal(with_file_limit(64 * 1024, journal_big, msg, sizeof msg), 1);
	assert_non_null(strstr(msg, "nothing recorded"));
	assert_content(target, "seq,what\n1,first\n");
}

/* An append checks that the file is still the one stamped when it was read. */
static void
test_append_if_unchanged(void **state)
{
	oa_file_stamp was, missing;
	oa_error err;
	char path[160];

	(void)state;
	write_file(target, "a\n", 2, 0644);
	oa_error_clear(&err);
	assert_int_equal(oa_file_stamp_get(target, &was, &err), 0);
	assert_true(was.exists);
	/* Unchanged: appended. */
	assert_int_equal(oa_file_append_atomic_if(target, "b\n", 2, 0644, &was, &err), 0);
	assert_content(target, "a\nb\n");
	/* The append replaced the file: the old stamp no longer matches. */
	assert_int_equal(oa_file_append_atomic_if(target, "c\n", 2, 0644, &was, &err), -1);
	assert_content(target, "a\nb\n");
	assert_non_null(strstr(err.msg, "changed since it was read"));

	/* Changed in place (same inode, same size, later time) or grown: refused. */
	assert_int_equal(oa_file_stamp_get(target, &was, &err), 0);
	{
		struct timespec ts[2] = { { 0, UTIME_OMIT }, was.mtime };

		ts[1].tv_sec += 5;
		assert_int_equal(utimensat(AT_FDCWD, target, ts, 0), 0);
	}
	oa_error_clear(&err);
	assert_int_equal(oa_file_append_atomic_if(target, "c\n", 2, 0644, &was, &err), -1);
	assert_content(target, "a\nb\n");

	/* Missing when read, created meanwhile: refused; still missing: created. */
	snprintf(path, sizeof path, "%s/late.csv", dir);
	assert_int_equal(oa_file_stamp_get(path, &missing, &err), 0);
	assert_false(missing.exists);
	write_file(path, "x\n", 2, 0644);
	assert_int_equal(oa_file_append_atomic_if(path, "y\n", 2, 0644, &missing, &err), -1);
	assert_content(path, "x\n");
	unlink(path);
	assert_int_equal(oa_file_append_atomic_if(path, "y\n", 2, 0644, &missing, &err), 0);
	assert_content(path, "y\n");
	unlink(path);
}

/* prepare finds the write errors; commit then only renames. */
static void
test_prepare_then_commit(void **state)
{
	oa_atomic_file af;
	oa_error err;

	(void)state;
	write_file(target, "old\n", 4, 0644);
	oa_error_clear(&err);
	assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
	fputs("new\n", af.fp);
	assert_int_equal(oa_atomic_prepare(&af, &err), 0);
	assert_true(af.prepared);
	assert_content(target, "old\n"); /* not renamed yet */
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_content(target, "new\n");

	/* Dropped after prepare: the old file stays, no temporary file is left. */
	assert_int_equal(oa_atomic_open(&af, target, 0644, &err), 0);
	fputs("newer\n", af.fp);
	assert_int_equal(oa_atomic_prepare(&af, &err), 0);
	{
		char tmp[200];

		snprintf(tmp, sizeof tmp, "%s", af.tmp_path);
		oa_atomic_abort(&af);
		assert_int_equal(access(tmp, F_OK), -1);
	}
	assert_content(target, "new\n");
}

static void
test_append_atomic(void **state)
{
	oa_error err;
	char path[160];

	/* The old content lacks its last newline: one is added. */
	write_file(target, "a\nb", 3, 0640);
	oa_error_clear(&err);
	assert_int_equal(oa_file_append_atomic(target, "c\n", 2, 0644, &err), 0);
	assert_content(target, "a\nb\nc\n");
	assert_int_equal(mode_of(target), 0640);
	assert_int_equal(oa_file_append_atomic(target, "d\n", 2, 0644, &err), 0);
	assert_content(target, "a\nb\nc\nd\n");

	/* A missing file is created with NEW_MODE less the umask. */
	snprintf(path, sizeof path, "%s/fresh.csv", dir);
	{
		mode_t old = umask(022);

		assert_int_equal(oa_file_append_atomic(path, "x\n", 2, 0664, &err), 0);
		umask(old);
	}
	assert_content(path, "x\n");
	assert_int_equal(mode_of(path), 0644);

	/* Larger than one copy chunk is copied whole. */
	write_file(target, new_content, NEW_SIZE, 0600);
	assert_int_equal(oa_file_append_atomic(target, "tail\n", 5, 0644, &err), 0);
	{
		size_t n;
		char *got = read_file(target, &n);

		/* new_content ends mid-line (NEW_SIZE % 61 != 0): a newline comes first. */
		assert_int_equal(n, NEW_SIZE + 1 + 5);
		assert_memory_equal(got, new_content, NEW_SIZE);
		assert_memory_equal(got + NEW_SIZE, "\ntail\n", 6);
		free(got);
	}
	assert_int_equal(count_tmps(), 0);
}

static void
test_journal(void **state)
{
	oa_error err;
	struct stat st;
	mode_t old;
	int fd;

	/* A new journal is 0600 whatever the umask allows. */
	old = umask(0);
	oa_error_clear(&err);
	fd = oa_journal_open(target, &err);
	umask(old);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(oa_journal_append(fd, target, "1,a\n", 4, &err), 0);
	assert_int_equal(oa_journal_append(fd, target, "2,b\n3,c\n", 8, &err), 0);
	assert_int_equal(oa_journal_append(fd, target, "", 0, &err), 0);
	/* A record without its newline is refused, and nothing written. */
	assert_int_equal(oa_journal_append(fd, target, "4,d", 3, &err), -1);
	assert_non_null(strstr(err.msg, "newline"));
	close(fd);
	assert_content(target, "1,a\n2,b\n3,c\n");

	/* Reopening a whole journal changes nothing, and appends go at the end. */
	fd = oa_journal_open(target, &err);
	assert_true(fd >= 0);
	assert_int_equal(oa_journal_append(fd, target, "4,d\n", 4, &err), 0);
	close(fd);
	assert_content(target, "1,a\n2,b\n3,c\n4,d\n");
	/* An existing journal keeps its mode. */
	assert_int_equal(chmod(target, 0640), 0);
	fd = oa_journal_open(target, &err);
	close(fd);
	assert_int_equal(mode_of(target), 0640);
}

static void
test_journal_torn_tail(void **state)
{
	static const struct {
		const char *before, *after;
	} cases[] = {
		{ "1,a\n2,b\n3,half", "1,a\n2,b\n" },
		{ "1,a\n2,b\n", "1,a\n2,b\n" },
		{ "no newline at all", "" },
		{ "", "" },
		{ "\n", "\n" },
		{ "1,a\n\"quoted\nfield", "1,a\n\"quoted\n" }, /* lines, not CSV records */
	};
	oa_error err;
	char *big;
	size_t n;
	int fd;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_file(target, cases[i].before, strlen(cases[i].before), 0600);
		oa_error_clear(&err);
		fd = oa_journal_open(target, &err);
		assert_true(fd >= 0);
		close(fd);
		assert_content(target, cases[i].after);
	}

	/* A torn tail longer than the 4 KiB read-back buffer. */
	big = malloc(10 + 10000);
	assert_non_null(big);
	memcpy(big, "1,first\n", 8);
	memset(big + 8, 'x', 10000);
	write_file(target, big, 8 + 10000, 0600);
	fd = oa_journal_open(target, &err);
	assert_true(fd >= 0);
	assert_int_equal(oa_journal_append(fd, target, "2,second\n", 9, &err), 0);
	close(fd);
	assert_content(target, "1,first\n2,second\n");
	/* And one with no newline at all in 10000 bytes. */
	write_file(target, big + 8, 10000, 0600);
	fd = oa_journal_open(target, &err);
	assert_true(fd >= 0);
	close(fd);
	free(read_file(target, &n));
	assert_int_equal(n, 0);
	free(big);

	/* A journal that is not a regular file is refused. */
	assert_int_equal(oa_journal_open(dir, &err), -1);
}

/*
 * Journal writers killed mid-record.  A writer appends records of 128 KiB
 * (large, so that SIGKILL can cut one write(2) short between pages); the
 * parent kills it after K acknowledged records and a short delay, then
 * opens the journal as the next writer would.  The journal must then hold
 * only whole records, in order, and the next append must land after them.
 */
#define REC_SIZE (128 * 1024)

static void
make_record(char *buf, int seq)
{
	memset(buf, 'a' + seq % 26, REC_SIZE);
	snprintf(buf, 16, "R%06d:", seq);
	buf[8] = 'a' + seq % 26; /* snprintf's NUL */
	buf[REC_SIZE - 1] = '\n';
}

static void
journal_writer(int first_seq, int report, int ack)
{
	char *rec = malloc(REC_SIZE);
	oa_error err;
	int fd = oa_journal_open(target, &err);

	if (fd < 0 || rec == NULL)
		_exit(3);
	for (int seq = first_seq;; seq++) {
		make_record(rec, seq);
		if (oa_journal_append(fd, target, rec, REC_SIZE, &err) < 0)
			_exit(5);
		step_done(report, ack);
	}
}

/* Checks the journal holds records 0..n-1 exactly; returns n. */
static int
check_records(void)
{
	size_t n;
	char *got = read_file(target, &n);
	char *want = malloc(REC_SIZE);
	int count;

	assert_non_null(want);
	if (n % REC_SIZE != 0)
		fail_msg("journal of %zu bytes: not whole records", n);
	count = (int)(n / REC_SIZE);
	for (int i = 0; i < count; i++) {
		make_record(want, i);
		if (memcmp(got + (size_t)i * REC_SIZE, want, REC_SIZE) != 0)
			fail_msg("record %d is damaged", i);
	}
	free(want);
	free(got);
	return count;
}

static void
test_journal_killed_writers(void **state)
{
	int total = 0, prev;

	for (int round = 0; round < 12; round++) {
		int k = round % 3, report[2], ack[2], status, fd;
		long delay_us = (round / 3) * 100;
		oa_error err;
		pid_t pid;
		char c;

		assert_int_equal(pipe(report), 0);
		assert_int_equal(pipe(ack), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(report[0]);
			close(ack[1]);
			journal_writer(total, report[1], ack[0]);
		}
		close(report[1]);
		close(ack[0]);
		for (int i = 0; i < k; i++) {
			assert_int_equal(read(report[0], &c, 1), 1);
			assert_int_equal(write(ack[1], "a", 1), 1);
		}
		if (delay_us > 0) {
			struct timespec ts = { 0, delay_us * 1000 };
			nanosleep(&ts, NULL);
		}
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		close(report[0]);
		close(ack[1]);
		assert_true(WIFSIGNALED(status));

		/* The next writer's open repairs whatever the killed one left. */
		oa_error_clear(&err);
		fd = oa_journal_open(target, &err);
		assert_true(fd >= 0);
		close(fd);
		prev = total;
		total = check_records();
		/* The acknowledged records are there, and maybe one more, whole. */
		assert_true(total >= prev + k && total <= prev + k + 1);
	}
	assert_true(total >= 12); /* rounds 1, 2 mod 3 acknowledged 1 or 2 each */
}

/* Writes TEXT into a new member of SET for PATH. */
static oa_atomic_file *
set_write(oa_atomic_set *set, const char *path, const char *text)
{
	oa_error err;
	oa_atomic_file *af = oa_atomic_set_open(set, path, 0644, 0, &err);

	assert_non_null(af);
	fputs(text, af->fp);
	return af;
}

/*
 * A set commits all or nothing: a rename that fails after others were
 * done puts them back (the old file, or no file where there was none).
 */
static void
test_set_commit_and_undo(void **state)
{
	char a[160], b[160], c[160], sub[160];
	oa_atomic_set set;
	oa_error err;
	struct stat st;

	(void)state;
	snprintf(a, sizeof a, "%s/a.txt", dir);
	snprintf(b, sizeof b, "%s/b.txt", dir);
	snprintf(c, sizeof c, "%s/c.txt", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	write_file(a, "old a\n", 6, 0644);

	/* Success: every file new, the directory made stays. */
	oa_atomic_set_init(&set);
	assert_int_equal(oa_atomic_set_mkdir(&set, sub, &err), 0);
	set_write(&set, a, "new a\n");
	set_write(&set, b, "new b\n");
	assert_int_equal(oa_atomic_set_commit(&set, &err), 0);
	assert_content(a, "new a\n");
	assert_content(b, "new b\n");
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(unlink(b), 0);
	write_file(a, "old a\n", 6, 0644);

	/* c is replaced by a directory before the commit: its rename fails. */
	oa_atomic_set_init(&set);
	assert_int_equal(oa_atomic_set_mkdir(&set, sub, &err), 0);
	set_write(&set, a, "new a\n");
	set_write(&set, b, "new b\n");
	set_write(&set, c, "new c\n");
	assert_int_equal(mkdir(c, 0755), 0);
	assert_int_equal(oa_atomic_set_commit(&set, &err), -1);
	assert_non_null(strstr(err.file, "c.txt"));
	assert_content(a, "old a\n");
	assert_int_equal(stat(b, &st), -1);
	assert_int_equal(stat(sub, &st), -1); /* the directory it made is gone */
	assert_int_equal(rmdir(c), 0);
	assert_int_equal(count_tmps(), 0);   /* no temporary, no .old */

	/* An abort leaves nothing either; one file twice is refused. */
	oa_atomic_set_init(&set);
	assert_int_equal(oa_atomic_set_mkdir(&set, sub, &err), 0);
	set_write(&set, a, "new a\n");
	assert_null(oa_atomic_set_open(&set, a, 0644, 0, &err));
	assert_non_null(strstr(err.msg, "twice"));
	oa_atomic_set_abort(&set);
	assert_content(a, "old a\n");
	assert_int_equal(stat(sub, &st), -1);
	assert_int_equal(count_tmps(), 0);
	assert_int_equal(unlink(a), 0);
}

/* No output may replace a registered input, by any name; -u's rewrite may. */
static void
test_output_is_input(void **state)
{
	char in[160], lnk[160], hard[160], other[160], reg[160], alias[170];
	oa_atomic_file af;
	oa_error err;

	(void)state;
	snprintf(in, sizeof in, "%s/in.csv", dir);
	snprintf(lnk, sizeof lnk, "%s/link.csv", dir);
	snprintf(hard, sizeof hard, "%s/hard.csv", dir);
	snprintf(other, sizeof other, "%s/other.csv", dir);
	snprintf(reg, sizeof reg, "%s/reg.csv", dir);
	snprintf(alias, sizeof alias, "%s/./reg.csv", dir);
	write_file(in, "x\n", 2, 0644);
	write_file(reg, "r\n", 2, 0644);
	assert_int_equal(symlink("in.csv", lnk), 0);
	assert_int_equal(link(in, hard), 0);
	assert_int_equal(oa_input_add(in, 0, &err), 0);
	assert_int_equal(oa_input_add(reg, OA_INPUT_REWRITABLE, &err), 0);
	assert_int_equal(oa_input_add("-", 0, &err), 0);

	assert_int_equal(oa_atomic_open(&af, in, 0644, &err), -1);
	assert_non_null(strstr(err.msg, "may not also be an output"));
	assert_int_equal(oa_atomic_open(&af, lnk, 0644, &err), -1);
	assert_int_equal(oa_atomic_open(&af, hard, 0644, &err), -1);
	assert_non_null(strstr(err.msg, "in.csv"));
	assert_int_equal(oa_atomic_open_flags(&af, in, 0644, OA_ATOMIC_REWRITE, &err), -1);
	/* The register: only a rewrite may name it. */
	assert_int_equal(oa_atomic_open(&af, alias, 0644, &err), -1);
	assert_int_equal(oa_atomic_open_flags(&af, alias, 0644, OA_ATOMIC_REWRITE, &err), 0);
	oa_atomic_abort(&af);
	assert_int_equal(oa_file_append_atomic(reg, "s\n", 2, 0644, &err), 0);
	assert_content(reg, "r\ns\n");
	/* Another file is fine. */
	assert_int_equal(oa_atomic_open(&af, other, 0644, &err), 0);
	oa_atomic_abort(&af);
	assert_content(in, "x\n");
	oa_inputs_clear();
	assert_int_equal(oa_atomic_open(&af, in, 0644, &err), 0);
	oa_atomic_abort(&af);
	unlink(in);
	unlink(lnk);
	unlink(hard);
	unlink(reg);
}

/* OA_ATOMIC_MODE_EXACT: an old 0644 file does not widen a 0600 output. */
static void
test_mode_exact(void **state)
{
	oa_atomic_file af;
	oa_error err;
	struct stat st;

	(void)state;
	write_file(target, "old\n", 4, 0644);
	assert_int_equal(oa_atomic_open_flags(&af, target, 0600, OA_ATOMIC_MODE_EXACT, &err), 0);
	fputs("new\n", af.fp);
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Without the flag the old mode is kept, as before. */
	assert_int_equal(chmod(target, 0640), 0);
	assert_int_equal(oa_atomic_open(&af, target, 0600, &err), 0);
	assert_int_equal(oa_atomic_commit(&af, &err), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

/* A journal this process created and left empty is removed at close. */
static void
test_journal_close_removes_empty_new(void **state)
{
	char path[160];
	struct stat st;
	oa_error err;
	int fd;

	(void)state;
	snprintf(path, sizeof path, "%s/new.journal", dir);
	fd = oa_journal_open(path, &err);
	assert_true(fd >= 0);
	oa_journal_close(fd, path);
	assert_int_equal(stat(path, &st), -1);
	/* With a record it stays; an empty one that existed before stays too. */
	fd = oa_journal_open(path, &err);
	assert_int_equal(oa_journal_append(fd, path, "r\n", 2, &err), 0);
	oa_journal_close(fd, path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, 0), 0);
	fd = oa_journal_open(path, &err);
	oa_journal_close(fd, path);
	assert_int_equal(stat(path, &st), 0);
	unlink(path);
}

/*
 * protected_symlinks in user space: as root, a link of nobody's in a sticky
 * world-writable directory is not followed; nor a link of nobody's that
 * leads to a file nobody may not write.  Root's own link is.
 */
static void
test_symlink_of_another_user(void **state)
{
	char sticky[160], secret[160], lnk[200], own[200], nob[160], nlink[200];
	oa_atomic_file af;
	oa_error err;
	char *r;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(sticky, sizeof sticky, "%s/sticky", dir);
	snprintf(secret, sizeof secret, "%s/secret", dir);
	snprintf(lnk, sizeof lnk, "%s/planted", sticky);
	snprintf(own, sizeof own, "%s/own", sticky);
	snprintf(nob, sizeof nob, "%s/nobodys", dir);
	snprintf(nlink, sizeof nlink, "%s/link", nob);
	assert_int_equal(mkdir(sticky, 01777), 0);
	assert_int_equal(chmod(sticky, 01777), 0);
	assert_int_equal(mkdir(nob, 0755), 0);
	assert_int_equal(chown(nob, 65534, 65534), 0);
	write_file(secret, "secret\n", 7, 0600);
	assert_int_equal(symlink(secret, lnk), 0);
	assert_int_equal(lchown(lnk, 65534, 65534), 0);
	assert_int_equal(symlink(secret, nlink), 0);
	assert_int_equal(lchown(nlink, 65534, 65534), 0);
	assert_int_equal(symlink(secret, own), 0);

	assert_null(oa_path_resolve(lnk, &err));
	assert_non_null(strstr(err.msg, "sticky"));
	assert_int_equal(oa_atomic_open(&af, lnk, 0644, &err), -1);
	assert_null(oa_path_resolve(nlink, &err));
	assert_non_null(strstr(err.msg, "may not write"));
	r = oa_path_resolve(own, &err);
	assert_non_null(r);
	assert_string_equal(r, secret);
	free(r);
	/* nobody's link to a file nobody may write is followed. */
	assert_int_equal(chown(secret, 65534, 65534), 0);
	r = oa_path_resolve(nlink, &err);
	assert_non_null(r);
	free(r);
	assert_content(secret, "secret\n");
	unlink(lnk);
	unlink(own);
	unlink(nlink);
	rmdir(nob);
	rmdir(sticky);
	unlink(secret);
}

/*
 * oa_atomic_unlink_pending (what an interrupted command's signal handler
 * calls) removes the temporary files of the open replacements, and only
 * those: the targets stay as they were, a committed file is not touched,
 * and a replacement committed after it is forgotten.
 */
static void
test_unlink_pending(void **state)
{
	oa_atomic_file a, b, c;
	oa_error err;
	char other[128];

	(void)state;
	snprintf(other, sizeof other, "%s/other.csv", dir);
	write_file(target, "old\n", 4, 0600);
	assert_int_equal(oa_atomic_open(&c, other, 0644, &err), 0);
	fputs("committed\n", c.fp);
	assert_int_equal(oa_atomic_commit(&c, &err), 0);
	assert_int_equal(oa_atomic_open(&a, target, 0644, &err), 0);
	assert_int_equal(oa_atomic_open(&b, target, 0644, &err), 0);
	fputs("half written", a.fp);
	fflush(a.fp);
	assert_int_equal(count_tmps(), 2);
	oa_atomic_unlink_pending();
	assert_int_equal(count_tmps(), 0);
	assert_content(target, "old\n");
	assert_content(other, "committed\n");
	oa_atomic_abort(&a); /* its file is gone already: harmless */
	oa_atomic_abort(&b);
	/* Released ones are no longer pending: a later replacement commits. */
	assert_int_equal(oa_atomic_open(&a, target, 0644, &err), 0);
	fputs("new\n", a.fp);
	assert_int_equal(oa_atomic_commit(&a, &err), 0);
	oa_atomic_unlink_pending();
	assert_content(target, "new\n");
	assert_content(other, "committed\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_keeps_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlink_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_tmps_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_writer_anywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_if_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_then_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_torn_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_killed_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_commit_and_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_is_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_close_removes_empty_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_of_another_user, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
