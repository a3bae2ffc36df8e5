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
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	if (*end == '.') {
		if (end[1] < '0' || end[1] > '9')
			return false;
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	}
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

char *
oa_path_resolve(const char *path, oa_error *err)
{
	struct stat st;
	char *cur, *next;

	cur = strdup(path);
	if (cur == NULL) {
		oa_error_set(err, path, 0, "out of memory");
		return NULL;
	}
	/* Link by link, as open(2) would follow them (and give up as it does, ELOOP). */
	for (int hops = 0; lstat(cur, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		char buf[PATH_MAX];
		ssize_t n;
		const char *slash;

		if (hops == 40) {
			errno = ELOOP;
			oa_error_sys(err, path, "cannot resolve the symlink");
			free(cur);
			return NULL;
		}
		/* A link to a file that exists: realpath(3) does the rest. */
		next = realpath(cur, NULL);
		if (next != NULL) {
			free(cur);
			return next;
		}
		n = readlink(cur, buf, sizeof buf - 1);
		if (n <= 0) {
			oa_error_sys(err, path, "cannot read the symlink");
			free(cur);
			return NULL;
		}
		buf[n] = '\0';
		slash = strrchr(cur, '/');
		if (buf[0] == '/' || slash == NULL)
			next = strdup(buf);
		else if (asprintf(&next, "%.*s/%s", (int)(slash - cur), cur, buf) < 0)
			next = NULL;
		free(cur);
		if (next == NULL) {
			oa_error_set(err, path, 0, "out of memory");
			return NULL;
		}
		cur = next; /* a dangling link: what it names, as open(2) would create it */
	}
	return cur;
}

static void
release(oa_atomic_file *af)
{
	free(af->path);
	free(af->tmp_path);
	memset(af, 0, sizeof *af);
	af->fd = -1;
}

int
oa_atomic_open(oa_atomic_file *af, const char *path, mode_t new_mode, oa_error *err)
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

	if (stat(af->path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			oa_error_set(err, path, 0, "not a regular file: it cannot be replaced");
			goto fail;
		}
		af->mode = st.st_mode & 07777;
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
	int src;
	off_t copied = 0;
	char last = '\n';

	if (oa_atomic_open(&af, path, new_mode, err) < 0)
		return -1;
	src = open(af.path, O_RDONLY | O_CLOEXEC);
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
		copied = copy_fd(src, af.fd);
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
	if ((last != '\n' && putc('\n', af.fp) == EOF) ||
	    (len > 0 && fwrite(data, 1, len, af.fp) != len)) {
		errno = stream_errno(&af);
		oa_error_sys(err, path, "cannot write the new content, old file kept");
		goto fail;
	}
	return oa_atomic_commit(&af, err);
fail:
	oa_atomic_abort(&af);
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
			if (oa_fsync_dir(path, err) < 0) {
				close(fd);
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
	if (st.st_size == 0)
		return fd;
	if (pread(fd, &last, 1, st.st_size - 1) != 1) {
		oa_error_sys(err, path, "cannot read");
		goto fail;
	}
	if (last != '\n') {
		/* A writer died mid-record: drop the incomplete last line. */
		off_t keep = end_of_last_line(fd, st.st_size, err, path);

		if (keep < 0)
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
