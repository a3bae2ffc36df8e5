/*
 * durable.c - writes that survive crashes and full disks.  See durable.h.
 *
 * Three pieces: replacing a file through a temporary file beside it
 * (oa_atomic_*), appending all-or-nothing by copying into such a temporary
 * file (oa_file_append_atomic), and an append-only journal whose records
 * are whole lines (oa_journal_*).  The order of operations follows the
 * usual recipe: write, fflush, fchmod, fsync the file, rename, fsync the
 * directory.  A writer killed before the rename leaves "TARGET.tmp.PID"
 * behind; the next oa_atomic_open of the same target removes such files
 * when their process is gone.
 */
#include "durable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COPY_CHUNK (1 << 20)
#define TMP_TRIES 100

/* Opens the directory holding PATH. */
static int
open_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (slash == path)
		return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL) {
		errno = ENOMEM;
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

int
oa_fsync_dir(const char *path, oa_error *err)
{
	int fd = open_dir_of(path);

	if (fd < 0)
		return oa_error_sys(err, path, "cannot open the directory");
	/* Some file systems cannot sync a directory; they say EINVAL. */
	if (fsync(fd) < 0 && errno != EINVAL && errno != ENOTSUP) {
		oa_error_sys(err, path, "cannot sync the directory");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Is NAME "BASE.tmp.PID" or "BASE.tmp.PID.N" for a process that no longer
 * exists?  Our own pid never counts: that temporary file may be open here.
 */
static bool
is_stale_tmp(const char *name, const char *base, size_t baselen)
{
	const char *p;
	char *end;
	long pid;

	if (strncmp(name, base, baselen) != 0 || strncmp(name + baselen, ".tmp.", 5) != 0)
		return false;
	p = name + baselen + 5;
	if (*p < '1' || *p > '9')
		return false;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno != 0 || pid <= 0 || pid > INT_MAX)
		return false;
	if (*end == '.' && end[1] >= '0' && end[1] <= '9')
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	/* "BASE.tmp.PID.old": the old file kept by a set's commit until it is done. */
	if (strcmp(end, ".old") == 0)
		end += 4;
	if (*end != '\0' || pid == (long)getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Removes temporary files of PATH left by writers that died.  Best effort. */
static void
remove_stale_tmps(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t baselen = strlen(base);
	int dfd = open_dir_of(path);
	DIR *d;
	struct dirent *de;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (is_stale_tmp(de->d_name, base, baselen))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static mode_t
current_umask(void)
{
	mode_t m = umask(077);

	umask(m);
	return m;
}

/*
 * The stream handed to the caller writes through this sink, which keeps the
 * first write error: a full disk found by an fwrite the caller did not check
 * is still reported with its real cause (ENOSPC, EFBIG) at commit.
 */
struct sink {
	int fd;
	int err; /* first errno of a failed write, 0 if none */
};

static ssize_t
sink_write(void *cookie, const char *buf, size_t size)
{
	struct sink *s = cookie;
	size_t done = 0;

	if (s->err != 0) {
		errno = s->err;
		return 0;
	}
	while (done < size) {
		ssize_t n = write(s->fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->err = n < 0 ? errno : EIO;
			errno = s->err;
			/* glibc reads 0 as an error; bytes already written stay written. */
			return done > 0 ? (ssize_t)done : 0;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int
sink_close(void *cookie)
{
	free(cookie); /* the descriptor is closed by commit or abort */
	return 0;
}

static int
stream_errno(const oa_atomic_file *af)
{
	const struct sink *s = af->sink;

	return s != NULL && s->err != 0 ? s->err : EIO;
}

/* Closes the stream (if open) and the descriptor, keeping errno. */
static void
close_all(oa_atomic_file *af)
{
	int saved = errno;
	struct sink *sk = af->sink;

	if (sk != NULL && sk->err == 0)
		sk->err = ECANCELED; /* fclose need not write out what is dropped */
	if (af->fp != NULL)
		fclose(af->fp);
	af->fp = NULL;
	af->sink = NULL;
	/* The descriptor is ours only while tmp_path is set: a zeroed af has fd 0. */
	if (af->tmp_path != NULL && af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	errno = saved;
}

/* ---- following symlinks safely ---- */

/* Is UID a member of group GID (its primary group or a supplementary one)? */
static bool
uid_in_group(uid_t uid, gid_t gid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	gid_t groups[256];
	int n = 256;

	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) != 0 || res == NULL)
		return false;
	if (pw.pw_gid == gid)
		return true;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		n = 256; /* more groups than room: look at the first 256 */
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* Could UID write the file or directory ST, by its mode bits? */
static bool
uid_may_write(uid_t uid, const struct stat *st)
{
	if (uid == 0)
		return true;
	if (st->st_uid == uid)
		return (st->st_mode & S_IWUSR) != 0;
	if (uid_in_group(uid, st->st_gid))
		return (st->st_mode & S_IWGRP) != 0;
	return (st->st_mode & S_IWOTH) != 0;
}

/* Appends "/" and LEN bytes of S to DONE (a PATH_MAX buffer).  -1: too long. */
static int
path_push(char *done, const char *s, size_t len)
{
	size_t have = strlen(done);

	if (have + 1 + len >= PATH_MAX)
		return -1;
	done[have] = '/';
	memcpy(done + have + 1, s, len);
	done[have + 1 + len] = '\0';
	return 0;
}

char *
oa_path_resolve(const char *path, oa_error *err)
{
	char done[PATH_MAX]; /* resolved so far: absolute, no links; "" is "/" */
	char cand[PATH_MAX], target[PATH_MAX];
	char *todo, *p, *result;
	uid_t owner = 0;     /* owner of a link of another user (not root), if any */
	char owner_link[PATH_MAX] = "";
	bool any_link = false;
	int hops = 0;

	if (path == NULL || *path == '\0') {
		oa_error_set(err, path, 0, "not a file name");
		return NULL;
	}
	done[0] = '\0';
	if (path[0] != '/' && getcwd(done, sizeof done) == NULL) {
		oa_error_sys(err, path, "cannot find the current directory");
		return NULL;
	}
	if (strcmp(done, "/") == 0)
		done[0] = '\0';
	if ((todo = strdup(path)) == NULL)
		goto oom;
	p = todo;
	while (*p != '\0') {
		struct stat st, dst;
		const char *comp;
		size_t clen;
		ssize_t n;
		char *next;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		comp = p;
		while (*p != '\0' && *p != '/')
			p++;
		clen = (size_t)(p - comp);
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			char *slash = strrchr(done, '/');

			if (slash != NULL)
				*slash = '\0';
			continue;
		}
		memcpy(cand, done, strlen(done) + 1);
		if (path_push(cand, comp, clen) < 0)
			goto toolong;
		if (lstat(cand, &st) < 0 || !S_ISLNK(st.st_mode)) {
			/* A file, a directory, or nothing yet: open(2) will say which. */
			memcpy(done, cand, strlen(cand) + 1);
			continue;
		}
		any_link = true;
		if (++hops > 40) {
			errno = ELOOP;
			oa_error_sys(err, path, "cannot resolve the symlink");
			goto fail;
		}
		/* The kernel's protected_symlinks rule, since the link is followed here. */
		if (lstat(done[0] ? done : "/", &dst) == 0 && (dst.st_mode & S_ISVTX) &&
		    (dst.st_mode & S_IWOTH) && st.st_uid != geteuid() && st.st_uid != dst.st_uid) {
			oa_error_set(err, path, 0, "not following the symlink \"%s\": it belongs to "
			             "another user (uid %ld) in a world-writable sticky directory",
			             cand, (long)st.st_uid);
			goto fail;
		}
		if (st.st_uid != geteuid() && st.st_uid != 0 && owner_link[0] == '\0') {
			owner = st.st_uid;
			memcpy(owner_link, cand, strlen(cand) + 1);
		}
		n = readlink(cand, target, sizeof target - 1);
		if (n <= 0) {
			oa_error_sys(err, path, "cannot read the symlink");
			goto fail;
		}
		target[n] = '\0';
		if (asprintf(&next, "%s%s", target, p) < 0)
			goto oom;
		if (target[0] == '/')
			done[0] = '\0';
		free(todo);
		todo = p = next;
	}
	free(todo);
	todo = NULL;
	if (!any_link) {
		/* No link: the name as given (relative names stay relative). */
		if ((result = strdup(path)) == NULL)
			goto oom;
		return result;
	}
	if (done[0] == '\0')
		strcpy(done, "/");
	if (owner_link[0] != '\0') {
		/* A link of another user leads only where that user could write. */
		struct stat st;
		bool ok;

		if (stat(done, &st) == 0) {
			ok = uid_may_write(owner, &st);
		} else {
			char *slash = strrchr(done, '/');

			*slash = '\0';
			ok = stat(done[0] ? done : "/", &st) == 0 && uid_may_write(owner, &st);
			*slash = '/';
		}
		if (!ok) {
			oa_error_set(err, path, 0, "not following the symlink \"%s\" of another user "
			             "(uid %ld): it leads to \"%s\", where that user may not write",
			             owner_link, (long)owner, done);
			return NULL;
		}
	}
	result = strdup(done);
	if (result == NULL)
		goto oom;
	return result;
toolong:
	errno = ENAMETOOLONG;
	oa_error_sys(err, path, "cannot resolve");
	goto fail;
oom:
	oa_error_set(err, path, 0, "out of memory");
fail:
	free(todo);
	return NULL;
}

/*
 * The temporary files being written, for oa_atomic_unlink_pending (a
 * signal handler): a slot holds a path from when its file is created to
 * its release (committed: renamed away; aborted: removed).  Written only
 * by the thread that writes the files, read by the handler, which runs on
 * that thread (the library's own threads block signals: oa_thread_create),
 * so a path is never freed under it; a store of a pointer is whole.
 */
enum { PENDING_MAX = 16 };
static char *volatile pending_tmp[PENDING_MAX];

static void
pending_add(char *path)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending_tmp[i] == NULL) {
			__atomic_store_n(&pending_tmp[i], path, __ATOMIC_RELEASE);
			return;
		}
	/* More at once than slots: that one is left to the next writer. */
}

static void
pending_drop(const char *path)
{
	for (int i = 0; path != NULL && i < PENDING_MAX; i++)
		if (pending_tmp[i] == path)
			__atomic_store_n(&pending_tmp[i], NULL, __ATOMIC_RELEASE);
}

void
oa_atomic_unlink_pending(void)
{
	for (int i = 0; i < PENDING_MAX; i++) {
		char *p = __atomic_load_n(&pending_tmp[i], __ATOMIC_ACQUIRE);
		if (p != NULL)
			unlink(p);
	}
}

void
oa_interrupts_hold(sigset_t *was)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &set, was);
}

void
oa_interrupts_resume(const sigset_t *was)
{
	pthread_sigmask(SIG_SETMASK, was, NULL);
}

static void
release(oa_atomic_file *af)
{
	pending_drop(af->tmp_path);
	free(af->path);
	free(af->tmp_path);
	memset(af, 0, sizeof *af);
	af->fd = -1;
}

/* ---- the inputs no output may replace ---- */

typedef struct input {
	char *path;  /* as given */
	char *canon; /* absolute, links followed; NULL for standard input */
	bool exists;
	dev_t dev;
	ino_t ino;
	int flags;
	const char *role;  /* a companion's role ("lock file"), or NULL */
	size_t of;         /* and the input it belongs to */
} input;

static input *inputs;
static size_t ninputs;

/*
 * PATH absolute with its links followed, or, when it does not exist, its
 * directory's real path and its name; NULL when neither can be found.
 */
static char *
canon_path(const char *path)
{
	char *r = realpath(path, NULL), *dir, *slash;
	const char *base;

	if (r != NULL)
		return r;
	slash = strrchr(path, '/');
	dir = slash == NULL ? strdup(".") : slash == path ? strdup("/")
	                                                  : strndup(path, (size_t)(slash - path));
	base = slash ? slash + 1 : path;
	if (dir == NULL)
		return NULL;
	r = realpath(dir, NULL);
	free(dir);
	if (r != NULL) {
		char *full;

		if (asprintf(&full, "%s/%s", strcmp(r, "/") == 0 ? "" : r, base) < 0)
			full = NULL;
		free(r);
		return full;
	}
	return NULL;
}

static int
input_add(const char *path, int flags, const char *role, size_t of, oa_error *err)
{
	struct stat st;
	input *in, *grown;

	if (path == NULL)
		return 0;
	grown = realloc(inputs, (ninputs + 1) * sizeof *grown);
	if (grown == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	inputs = grown;
	in = &inputs[ninputs];
	memset(in, 0, sizeof *in);
	in->flags = flags;
	if (strcmp(path, "-") == 0) {
		/* Standard input redirected from a file: that file is an input too. */
		if (fstat(STDIN_FILENO, &st) < 0 || !S_ISREG(st.st_mode))
			return 0;
		in->path = strdup("<stdin>");
	} else {
		if (stat(path, &st) < 0)
			memset(&st, 0, sizeof st);
		in->path = strdup(path);
		in->canon = canon_path(path);
	}
	if (in->path == NULL) {
		free(in->canon);
		return oa_error_set(err, path, 0, "out of memory");
	}
	in->exists = st.st_ino != 0;
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	in->role = role;
	in->of = of;
	ninputs++;
	return 0;
}

/*
 * A file's companions are inputs too: its lock file (oa_lock_acquire) and
 * a journal's state file.  An output named "reg.csv.lock" or
 * "journal.state" would replace what guards or vouches for the input.  The
 * state file is written by the journal itself, with OA_ATOMIC_REWRITE.
 */
static const struct {
	const char *suffix, *role;
	int flags;
} companions[] = {
	{ ".lock", "lock file", 0 },
	{ ".state", "state file", OA_INPUT_REWRITABLE },
};

int
oa_input_add(const char *path, int flags, oa_error *err)
{
	size_t self = ninputs;

	if (path == NULL)
		return 0;
	if (input_add(path, flags, NULL, 0, err) < 0)
		return -1;
	if (ninputs == self || strcmp(path, "-") == 0)
		return 0; /* standard input, not a file */
	for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++) {
		char *cp;
		int rc;

		if (asprintf(&cp, "%s%s", path, companions[i].suffix) < 0)
			return oa_error_set(err, path, 0, "out of memory");
		rc = input_add(cp, companions[i].flags, companions[i].role, self, err);
		free(cp);
		if (rc < 0)
			return -1;
	}
	return 0;
}

void
oa_inputs_clear(void)
{
	for (size_t i = 0; i < ninputs; i++) {
		free(inputs[i].path);
		free(inputs[i].canon);
	}
	free(inputs);
	inputs = NULL;
	ninputs = 0;
}

/* oa_output_check of PATH, named NAME in messages. */
static int
output_check(const char *path, const char *name, int flags, oa_error *err)
{
	struct stat st;
	bool exists;
	char *canon;

	if (ninputs == 0 || path == NULL || strcmp(path, "-") == 0)
		return 0;
	exists = stat(path, &st) == 0;
	canon = canon_path(path);
	for (size_t i = 0; i < ninputs; i++) {
		const input *in = &inputs[i];
		struct stat now;
		bool same = false;

		/* The inode recorded at the start only while the input still has it
		 * (standard input is held open, so it does): once another run renamed
		 * a new file over the input, the old inode is free and a new file
		 * (this output) may get its number. */
		if (exists && in->exists && st.st_dev == in->dev && st.st_ino == in->ino &&
		    (in->canon == NULL || (stat(in->path, &now) == 0 && now.st_dev == in->dev &&
		                           now.st_ino == in->ino)))
			same = true;
		else if (exists && in->canon != NULL && stat(in->path, &now) == 0 &&
		         st.st_dev == now.st_dev && st.st_ino == now.st_ino)
			same = true; /* the input replaced meanwhile (renamed over) */
		else if (canon != NULL && in->canon != NULL && strcmp(canon, in->canon) == 0)
			same = true;
		if (!same || ((in->flags & OA_INPUT_REWRITABLE) && (flags & OA_ATOMIC_REWRITE)))
			continue;
		free(canon);
		if (in->role != NULL)
			return oa_error_set(err, name, 0, "is the %s of \"%s\" and may not also be "
			                    "an output; nothing written", in->role,
			                    inputs[in->of].path);
		if (strcmp(in->path, name) == 0)
			return oa_error_set(err, name, 0, "is an input of this run and may not also be "
			                    "an output; nothing written");
		return oa_error_set(err, name, 0, "is the input \"%s\" (by another name or link) "
		                    "and may not also be an output; nothing written", in->path);
	}
	free(canon);
	return 0;
}

int
oa_output_check(const char *path, int flags, oa_error *err)
{
	return output_check(path, path, flags, err);
}

int
oa_atomic_open(oa_atomic_file *af, const char *path, mode_t new_mode, oa_error *err)
{
	return oa_atomic_open_flags(af, path, new_mode, 0, err);
}

int
oa_atomic_open_flags(oa_atomic_file *af, const char *path, mode_t new_mode, int flags,
                     oa_error *err)
{
	struct stat st;
	size_t len;
	int fd = -1;

	memset(af, 0, sizeof *af);
	af->fd = -1;
	if (path == NULL || *path == '\0' || path[strlen(path) - 1] == '/')
		return oa_error_set(err, path, 0, "not a file name");
	/* Replace what a symlink points to, not the link itself. */
	af->path = oa_path_resolve(path, err);
	if (af->path == NULL)
		return -1;
	if (output_check(af->path, path, flags, err) < 0)
		goto fail;

	if (stat(af->path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			oa_error_set(err, path, 0, "not a regular file: it cannot be replaced");
			goto fail;
		}
		af->mode = (flags & OA_ATOMIC_MODE_EXACT) ? new_mode & ~current_umask() & 07777
		                                          : st.st_mode & 07777;
		af->uid = st.st_uid;
		af->gid = st.st_gid;
		af->existed = 1;
	} else if (errno == ENOENT) {
		af->mode = new_mode & ~current_umask() & 07777;
	} else {
		oa_error_sys(err, path, "cannot stat");
		goto fail;
	}

	remove_stale_tmps(af->path);
	len = strlen(af->path) + 64;
	af->tmp_path = malloc(len);
	if (af->tmp_path == NULL) {
		oa_error_set(err, path, 0, "out of memory");
		goto fail;
	}
	/* Readable by us only until commit gives it the final mode. */
	for (int i = 0; i < TMP_TRIES; i++) {
		if (i == 0)
			snprintf(af->tmp_path, len, "%s.tmp.%ld", af->path, (long)getpid());
		else
			snprintf(af->tmp_path, len, "%s.tmp.%ld.%d", af->path, (long)getpid(), i);
		fd = open(af->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		oa_error_sys(err, path, "cannot create a temporary file beside it");
		goto fail;
	}
	pending_add(af->tmp_path);
	af->fd = fd;
	{
		static const cookie_io_functions_t io = { .write = sink_write, .close = sink_close };
		struct sink *sk = malloc(sizeof *sk);

		if (sk != NULL) {
			sk->fd = fd;
			sk->err = 0;
			af->fp = fopencookie(sk, "w", io);
			if (af->fp == NULL)
				free(sk);
			else
				af->sink = sk;
		}
	}
	if (af->fp == NULL) {
		oa_error_sys(err, path, "cannot open the temporary file");
		close(fd);
		unlink(af->tmp_path);
		goto fail;
	}
	setvbuf(af->fp, NULL, _IOFBF, 64 * 1024);
	return 0;
fail:
	release(af);
	return -1;
}

int
oa_atomic_prepare(oa_atomic_file *af, oa_error *err)
{
	const char *path = af->path;
	int fd = af->fd;

	if (af->fp == NULL || fd < 0) {
		oa_error_set(err, af->path, 0, "no file open to commit");
		oa_atomic_abort(af);
		return -1;
	}
	if (fflush(af->fp) == EOF || ferror(af->fp)) {
		errno = stream_errno(af);
		oa_error_sys(err, path, "cannot write the new content, old file kept");
		goto fail;
	}
	fclose(af->fp); /* flushed already: closing the stream cannot fail now */
	af->fp = NULL;
	af->sink = NULL;
	/* Keep the owner when we may (root editing another user's file), else the group. */
	if (af->existed && (af->uid != geteuid() || af->gid != getegid()) &&
	    fchown(fd, af->uid, af->gid) < 0 && fchown(fd, (uid_t)-1, af->gid) < 0) {
		/* Not allowed: the new file is ours, with the old mode. */
	}
	/* After fchown, which may clear set-id bits. */
	if (fchmod(fd, af->mode) < 0) {
		oa_error_sys(err, path, "cannot set the mode of the new content, old file kept");
		goto fail;
	}
	if (fsync(fd) < 0) {
		oa_error_sys(err, path, "cannot sync the new content, old file kept");
		goto fail;
	}
	if (close(fd) < 0) {
		af->fd = -1;
		oa_error_sys(err, path, "cannot write the new content, old file kept");
		goto fail;
	}
	af->fd = -1;
	af->prepared = true;
	return 0;
fail:
	oa_atomic_abort(af);
	return -1;
}

int
oa_atomic_commit(oa_atomic_file *af, oa_error *err)
{
	const char *path;

	if (!af->prepared && oa_atomic_prepare(af, err) < 0)
		return -1;
	path = af->path;
	if (rename(af->tmp_path, path) < 0) {
		oa_error_sys(err, path, "cannot rename the new content into place, old file kept");
		goto fail;
	}
	if (oa_fsync_dir(path, err) < 0) {
		release(af);
		return -1;
	}
	release(af);
	return 0;
fail:
	oa_atomic_abort(af);
	return -1;
}

void
oa_atomic_abort(oa_atomic_file *af)
{
	if (af == NULL)
		return;
	close_all(af);
	if (af->tmp_path != NULL)
		unlink(af->tmp_path);
	release(af);
}

/* ---- several outputs committed together ---- */

void
oa_atomic_set_init(oa_atomic_set *set)
{
	memset(set, 0, sizeof *set);
}

static int
set_grow(oa_atomic_set *set, oa_error *err)
{
	oa_atomic_file **f;
	bool *o;
	size_t cap = set->cap ? set->cap * 2 : 8;

	if (set->count < set->cap)
		return 0;
	f = realloc(set->files, cap * sizeof *f);
	if (f == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	set->files = f;
	o = realloc(set->owned, cap * sizeof *o);
	if (o == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	set->owned = o;
	set->cap = cap;
	return 0;
}

int
oa_atomic_set_mkdir(oa_atomic_set *set, const char *dir, oa_error *err)
{
	struct stat st;
	char **d;

	if (mkdir(dir, 0777) < 0) {
		if (errno != EEXIST)
			return oa_error_sys(err, dir, "cannot create directory");
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			return oa_error_set(err, dir, 0, "not a directory");
		return 0;
	}
	d = realloc(set->dirs, (set->ndirs + 1) * sizeof *d);
	if (d == NULL || (d[set->ndirs] = strdup(dir)) == NULL) {
		if (d != NULL)
			set->dirs = d;
		rmdir(dir);
		return oa_error_set(err, dir, 0, "out of memory");
	}
	set->dirs = d;
	set->ndirs++;
	return 0;
}

int
oa_atomic_set_add(oa_atomic_set *set, oa_atomic_file *af, oa_error *err)
{
	if (set_grow(set, err) < 0) {
		oa_atomic_abort(af);
		return -1;
	}
	set->files[set->count] = af;
	set->owned[set->count] = false;
	set->count++;
	return 0;
}

oa_atomic_file *
oa_atomic_set_open(oa_atomic_set *set, const char *path, mode_t new_mode, int flags,
                   oa_error *err)
{
	oa_atomic_file *af;

	if (set_grow(set, err) < 0)
		return NULL;
	if ((af = malloc(sizeof *af)) == NULL) {
		oa_error_set(err, path, 0, "out of memory");
		return NULL;
	}
	/* Two members naming one file would leave only the last one's content. */
	if (set->count > 0) {
		char *real = oa_path_resolve(path, NULL);

		for (size_t i = 0; real != NULL && i < set->count; i++) {
			if (set->files[i]->path != NULL && strcmp(real, set->files[i]->path) == 0) {
				free(real);
				free(af);
				oa_error_set(err, path, 0, "written twice in one run");
				return NULL;
			}
		}
		free(real);
	}
	if (oa_atomic_open_flags(af, path, new_mode, flags, err) < 0) {
		free(af);
		return NULL;
	}
	set->files[set->count] = af;
	set->owned[set->count] = true;
	set->count++;
	return af;
}

/* Frees what the set holds (the members already committed or aborted). */
static void
set_release(oa_atomic_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->owned[i])
			free(set->files[i]);
	for (size_t i = 0; i < set->ndirs; i++)
		free(set->dirs[i]);
	free(set->files);
	free(set->owned);
	free(set->dirs);
	memset(set, 0, sizeof *set);
}

void
oa_atomic_set_abort(oa_atomic_set *set)
{
	int saved = errno;

	for (size_t i = 0; i < set->count; i++)
		oa_atomic_abort(set->files[i]);
	/* Newest first: a directory made inside another goes before it. */
	for (size_t i = set->ndirs; i-- > 0;)
		rmdir(set->dirs[i]);
	set_release(set);
	errno = saved;
}

/* Puts back the first N renamed members: the old file, or none when new. */
static void
set_undo(oa_atomic_set *set, char **old, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		oa_atomic_file *af = set->files[i];

		if (old[i] != NULL)
			rename(old[i], af->path);
		else if (!af->existed)
			unlink(af->path);
	}
}

int
oa_atomic_set_commit(oa_atomic_set *set, oa_error *err)
{
	char **old = NULL;
	size_t i, renamed = 0, n = set->count; /* an abort empties the set */
	int rc = -1;

	/* Every write error shows here, before anything is renamed. */
	for (i = 0; i < set->count; i++)
		if (!set->files[i]->prepared && oa_atomic_prepare(set->files[i], err) < 0)
			goto abort;
	if (set->count > 1) {
		old = calloc(set->count, sizeof *old);
		if (old == NULL) {
			oa_error_set(err, NULL, 0, "out of memory");
			goto abort;
		}
		/* Keep each old file under a second name until all are renamed. */
		for (i = 0; i < set->count; i++) {
			oa_atomic_file *af = set->files[i];

			if (!af->existed)
				continue;
			if (asprintf(&old[i], "%s.old", af->tmp_path) < 0) {
				old[i] = NULL;
				oa_error_set(err, af->path, 0, "out of memory");
				goto abort;
			}
			unlink(old[i]);
			if (link(af->path, old[i]) < 0) {
				int e = errno;

				free(old[i]);
				old[i] = NULL;
				/* No hard links here: this file cannot be put back. */
				if (e == EPERM || e == EOPNOTSUPP || e == EMLINK || e == ENOSYS)
					continue;
				errno = e;
				oa_error_sys(err, af->path, "cannot keep the old file until the commit, "
				             "nothing changed");
				goto abort;
			}
		}
	}
	for (i = 0; i < set->count; i++) {
		oa_atomic_file *af = set->files[i];

		if (rename(af->tmp_path, af->path) < 0) {
			oa_error_sys(err, af->path, "cannot rename the new content into place, "
			             "%s", i > 0 ? "the files of this run put back" : "old file kept");
			set_undo(set, old, i);
			goto abort;
		}
		renamed++;
	}
	rc = 0;
	for (i = 0; i < set->count; i++) {
		oa_atomic_file *af = set->files[i];

		if (old != NULL && old[i] != NULL)
			unlink(old[i]);
		/* Each directory once is enough, but a second fsync costs little. */
		if (oa_fsync_dir(af->path, err) < 0)
			rc = -1;
	}
	for (i = 0; i < set->ndirs; i++)
		if (oa_fsync_dir(set->dirs[i], err) < 0)
			rc = -1;
	for (i = 0; i < set->count; i++) {
		/* Renamed: nothing left to remove. */
		free(set->files[i]->tmp_path);
		set->files[i]->tmp_path = NULL;
		release(set->files[i]);
	}
	set_release(set);
	goto out;
abort:
	for (i = 0; old != NULL && i < n; i++)
		if (old[i] != NULL && i >= renamed)
			unlink(old[i]);
	oa_atomic_set_abort(set);
out:
	for (i = 0; old != NULL && i < n; i++)
		free(old[i]);
	free(old);
	return rc;
}

/* Copies all of SRC into DST from the current offsets; returns bytes or -1. */
static off_t
copy_fd(int src, int dst)
{
	off_t total = 0;
	bool use_read = false;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		if (!use_read) {
			n = copy_file_range(src, NULL, dst, NULL, COPY_CHUNK, 0);
			if (n < 0 && total == 0 &&
			    (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
			     errno == EOPNOTSUPP || errno == EPERM)) {
				use_read = true;
				continue;
			}
		} else {
			if (buf == NULL && (buf = malloc(COPY_CHUNK)) == NULL)
				return -1;
			n = read(src, buf, COPY_CHUNK);
			for (ssize_t off = 0; n > 0 && off < n;) {
				ssize_t w = write(dst, buf + off, (size_t)(n - off));

				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					if (w == 0)
						errno = EIO;
					free(buf);
					return -1;
				}
				off += w;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		total += n;
	}
	free(buf);
	return total;
}

int
oa_file_append_atomic(const char *path, const void *data, size_t len, mode_t new_mode,
                      oa_error *err)
{
	return oa_file_append_atomic_if(path, data, len, new_mode, NULL, err);
}

static void
stamp_from(oa_file_stamp *stamp, const struct stat *st)
{
	stamp->exists = true;
	stamp->dev = st->st_dev;
	stamp->ino = st->st_ino;
	stamp->size = st->st_size;
	stamp->mtime = st->st_mtim;
}

int
oa_file_stamp_get(const char *path, oa_file_stamp *stamp, oa_error *err)
{
	struct stat st;

	memset(stamp, 0, sizeof *stamp);
	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : oa_error_sys(err, path, "cannot stat");
	stamp_from(stamp, &st);
	return 0;
}

bool
oa_file_stamp_same(const oa_file_stamp *a, const oa_file_stamp *b)
{
	if (a->exists != b->exists)
		return false;
	return !a->exists || (a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	                      a->mtime.tv_sec == b->mtime.tv_sec &&
	                      a->mtime.tv_nsec == b->mtime.tv_nsec);
}

int
oa_file_append_atomic_if(const char *path, const void *data, size_t len, mode_t new_mode,
                         const oa_file_stamp *was, oa_error *err)
{
	oa_atomic_file af;

	if (oa_file_append_open(&af, path, data, len, new_mode, was, err) < 0)
		return -1;
	return oa_atomic_commit(&af, err);
}

int
oa_file_append_open(oa_atomic_file *afp, const char *path, const void *data, size_t len,
                    mode_t new_mode, const oa_file_stamp *was, oa_error *err)
{
	int src;
	off_t copied = 0;
	char last = '\n';

	/* Appending rewrites the file, which the caller has read: an input. */
	if (oa_atomic_open_flags(afp, path, new_mode, OA_ATOMIC_REWRITE, err) < 0)
		return -1;
	src = open(afp->path, O_RDONLY | O_CLOEXEC);
	if (src < 0 && errno != ENOENT) {
		oa_error_sys(err, path, "cannot open");
		goto fail;
	}
	if (was != NULL) {
		oa_file_stamp now = { 0 };
		struct stat st;

		if (src >= 0 && fstat(src, &st) == 0)
			stamp_from(&now, &st);
		if (!oa_file_stamp_same(was, &now)) {
			oa_error_set(err, path, 0, "changed since it was read (written by a program "
			             "that does not take the lock?); nothing appended, run again");
			if (src >= 0)
				close(src);
			goto fail;
		}
	}
	if (src >= 0) {
		/* Straight into the descriptor, before anything goes through the stream. */
		copied = copy_fd(src, afp->fd);
		if (copied < 0) {
			oa_error_sys(err, path, "cannot copy the old content, old file kept");
			close(src);
			goto fail;
		}
		if (copied > 0 && pread(src, &last, 1, copied - 1) != 1) {
			oa_error_sys(err, path, "cannot read");
			close(src);
			goto fail;
		}
		close(src);
	}
	/* The stream's writes go on from the descriptor's offset, after the copy. */
	if ((last != '\n' && putc('\n', afp->fp) == EOF) ||
	    (len > 0 && fwrite(data, 1, len, afp->fp) != len)) {
		errno = stream_errno(afp);
		oa_error_sys(err, path, "cannot write the new content, old file kept");
		goto fail;
	}
	return 0;
fail:
	oa_atomic_abort(afp);
	return -1;
}

/* Offset just past the last '\n' in the first SIZE bytes of FD, or 0. */
static off_t
end_of_last_line(int fd, off_t size, oa_error *err, const char *path)
{
	char buf[4096];
	off_t pos = size;

	while (pos > 0) {
		size_t want = pos < (off_t)sizeof buf ? (size_t)pos : sizeof buf;
		ssize_t n = pread(fd, buf, want, pos - (off_t)want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)want) {
			if (n >= 0)
				errno = EIO;
			oa_error_sys(err, path, "cannot read");
			return -1;
		}
		for (size_t i = want; i > 0; i--)
			if (buf[i - 1] == '\n')
				return pos - (off_t)want + (off_t)i;
		pos -= (off_t)want;
	}
	return 0;
}

/*
 * Journals this process created and has not closed (device and inode), to
 * remove at close if left empty.  Opening an existing file drops its entry
 * (a stale one: a file on a reused inode is not ours).
 */
#define MAX_CREATED 16
static struct { dev_t dev; ino_t ino; } created[MAX_CREATED];
static size_t ncreated;

/* Drops the entry of ST's file; true when there was one. */
static bool
forget_created(const struct stat *st)
{
	for (size_t i = 0; i < ncreated; i++) {
		if (created[i].dev == st->st_dev && created[i].ino == st->st_ino) {
			created[i] = created[--ncreated];
			return true;
		}
	}
	return false;
}

/*
 * Copies PATH's bytes [KEEP, SIZE) (a record a killed writer left torn)
 * to PATH.torn-YYYYMMDD-HHMMSS (.N when taken), mode 0600, fsynced with
 * its directory, before they are cut off: nothing a journal held is ever
 * deleted.  0, or -1 with err (then nothing is cut).
 */
static int
save_torn_tail(int fd, const char *path, off_t keep, off_t size, oa_error *err)
{
	size_t len = (size_t)(size - keep);
	char stamp[32], *aside = NULL, *buf = malloc(len ? len : 1);
	time_t now = time(NULL);
	struct tm tm;
	int afd = -1, rc = -1;

	if (buf == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	if (pread(fd, buf, len, keep) != (ssize_t)len) {
		free(buf);
		return oa_error_sys(err, path, "cannot read the torn last record");
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	for (int k = 0; k < 100 && afd < 0; k++) {
		free(aside);
		if ((k == 0 ? asprintf(&aside, "%s.torn-%s", path, stamp)
		            : asprintf(&aside, "%s.torn-%s.%d", path, stamp, k)) < 0) {
			aside = NULL;
			break;
		}
		afd = open(aside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (afd < 0 && errno != EEXIST)
			break;
	}
	if (afd < 0) {
		if (aside == NULL)
			oa_error_set(err, path, 0, "out of memory");
		else
			oa_error_sys(err, aside, "cannot save the torn last record");
	} else if (write(afd, buf, len) != (ssize_t)len || fsync(afd) < 0) {
		oa_error_sys(err, aside, "cannot save the torn last record");
		close(afd);
		unlink(aside);
	} else {
		close(afd);
		rc = oa_fsync_dir(aside, err);
	}
	free(aside);
	free(buf);
	return rc;
}

int
oa_journal_open(const char *path, oa_error *err)
{
	struct stat st;
	char last;
	int fd;

	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			if (fstat(fd, &st) == 0 && ncreated < MAX_CREATED) {
				created[ncreated].dev = st.st_dev;
				created[ncreated].ino = st.st_ino;
				ncreated++;
			}
			if (oa_fsync_dir(path, err) < 0) {
				oa_journal_close(fd, path);
				return -1;
			}
			return fd;
		}
		if (errno == EEXIST) /* created meanwhile by someone else */
			fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	}
	if (fd < 0)
		return oa_error_sys(err, path, "cannot open the journal");
	if (fstat(fd, &st) < 0) {
		oa_error_sys(err, path, "cannot stat");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		oa_error_set(err, path, 0, "not a regular file");
		goto fail;
	}
	forget_created(&st); /* it existed: not one of ours to remove */
	if (st.st_size == 0)
		return fd;
	if (pread(fd, &last, 1, st.st_size - 1) != 1) {
		oa_error_sys(err, path, "cannot read");
		goto fail;
	}
	if (last != '\n') {
		/* A writer died mid-record: drop the incomplete last line. */
		off_t keep = end_of_last_line(fd, st.st_size, err, path);

		if (keep < 0 || save_torn_tail(fd, path, keep, st.st_size, err) < 0)
			goto fail;
		if (ftruncate(fd, keep) < 0 || fsync(fd) < 0) {
			oa_error_sys(err, path, "cannot repair the incomplete last line");
			goto fail;
		}
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int
oa_journal_append(int fd, const char *path, const void *data, size_t len, oa_error *err)
{
	const char *p = data;
	struct stat st;
	size_t done = 0;

	if (len == 0)
		return 0;
	if (p[len - 1] != '\n')
		return oa_error_set(err, path, 0, "journal record does not end with a newline");
	if (fstat(fd, &st) < 0)
		return oa_error_sys(err, path, "cannot stat");
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			goto fail;
		}
		done += (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	return 0;
fail:
	oa_error_sys(err, path, "cannot append to the journal, nothing recorded");
	/* Take back a partial record, so the journal ends with a whole line. */
	if (ftruncate(fd, st.st_size) == 0)
		fsync(fd);
	return -1;
}

void
oa_journal_close(int fd, const char *path)
{
	struct stat st, now;

	if (fd < 0)
		return;
	/* The file we made, still empty (every append failed): take it away again. */
	if (fstat(fd, &st) == 0 && forget_created(&st) && st.st_size == 0 &&
	    stat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino &&
	    unlink(path) == 0)
		oa_fsync_dir(path, NULL);
	close(fd);
}
