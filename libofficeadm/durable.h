/*
 * durable.h - writes that survive crashes and full disks.
 *
 * Replacing a file: oa_atomic_open writes a temporary file beside the
 * target ("TARGET.tmp.PID"); oa_atomic_commit flushes it, fsyncs it, gives it
 * the old file's mode, renames it over the target and fsyncs the directory;
 * oa_atomic_abort removes it.  Until commit the target is untouched, so an
 * interrupted or failed write leaves the old file whole.  Callers that
 * read-modify-write hold an oa_lock around the whole sequence.
 *
 * Appending to a journal: oa_journal_open opens for O_APPEND (creating it
 * with mode 0600) and drops an incomplete last line left by a writer that
 * died mid-write; oa_journal_append writes one buffer and fsyncs.
 *
 * Locking: none of these functions takes a lock.  Whoever reads a file,
 * changes it and writes it back, appends with oa_file_append_atomic, or
 * opens or appends to a journal must hold oa_lock_acquire(TARGET) for the
 * whole sequence.  This matters most for oa_journal_open: the torn-tail
 * repair truncates the file, which would cut a record that another writer
 * is still writing if that writer were not excluded by the lock.
 */
#ifndef OA_DURABLE_H
#define OA_DURABLE_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <sys/types.h>

#include "error.h"

typedef struct oa_atomic_file {
	FILE *fp;        /* write the new content here (not seekable; no fileno) */
	char *path;      /* target (a symlink resolved to the file it names) */
	char *tmp_path;  /* temporary file beside it */
	mode_t mode;     /* mode the result gets */
	/* Private to durable.c: */
	int fd;          /* the temporary file; fp writes through it */
	void *sink;      /* fp's cookie: remembers the first write error */
	uid_t uid;       /* owner and group of the old file, kept when allowed */
	gid_t gid;
	int existed;     /* the target existed at open */
	bool prepared;   /* oa_atomic_prepare done: only the rename is left */
} oa_atomic_file;

/*
 * Starts replacing PATH.  The result keeps PATH's mode (and its owner and
 * group where the process may set them) when it exists, else gets NEW_MODE
 * less the umask, as open(2) does (the umask is read with umask(2), so not
 * while another thread changes it).  A symlink is followed: the file it
 * names is replaced, the link stays.  A PATH that exists and is not a
 * regular file (/dev/null, a directory) is an error, never replaced.  The
 * temporary file is "PATH.tmp.PID" (or "PATH.tmp.PID.N" when taken), mode
 * 0600 until commit.  Before creating it, files "PATH.tmp.PID[.N]" whose
 * process no longer exists (left by a killed writer) are removed.  (A
 * writer in another PID namespace sharing the directory can look dead: its
 * commit then fails cleanly, its rename finding no file.)  On error af is
 * released (all zero but fd, which is -1).
 */
int oa_atomic_open(oa_atomic_file *af, const char *path, mode_t new_mode, oa_error *err);

/*
 * The file that writing to PATH changes: PATH itself, or what it names when
 * it is a symlink (resolved with realpath(3); a dangling link, or a chain
 * of them, is followed link by link as open(2) would, up to 40).
 * malloc'd; NULL with err on error (ELOOP for a loop).
 * oa_atomic_open and oa_lock_acquire both use it, so a register reached
 * through a link and through its own name is replaced in one place and
 * locked by one lock.
 */
char *oa_path_resolve(const char *path, oa_error *err);
/*
 * Makes the new content the file: flushes, sets mode (and owner), fsyncs,
 * renames over the target, fsyncs the directory.  A write error found here
 * (full disk: ENOSPC, or EFBIG past RLIMIT_FSIZE) is -1 with err naming the
 * target, the temporary file removed and the old file whole.  Only a failed
 * fsync of the directory comes after the rename: then the new content is in
 * place but a crash could still undo it, and -1 is returned all the same.
 * Either way af is released.
 */
int oa_atomic_commit(oa_atomic_file *af, oa_error *err);
/*
 * Everything oa_atomic_commit does before the rename (flush, mode, fsync),
 * so that a caller committing two files can find every write error before
 * either is renamed into place; oa_atomic_commit then only renames.  -1 with
 * err (and af released, the temporary file removed) on error.  Nothing may
 * be written to af->fp afterwards.
 */
int oa_atomic_prepare(oa_atomic_file *af, oa_error *err);
/* Drops the new content and removes the temporary file.  Safe on a released
 * or zeroed af. */
void oa_atomic_abort(oa_atomic_file *af);

/*
 * What a file was when it was read, to check before writing it back that
 * nobody changed it meanwhile (a program that takes no lock: a spreadsheet
 * saving over the register).  exists is false for a missing file.
 */
typedef struct oa_file_stamp {
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
} oa_file_stamp;

/* Stamps PATH (following symlinks); -1 with err on an error but ENOENT. */
int oa_file_stamp_get(const char *path, oa_file_stamp *stamp, oa_error *err);
/* Whether two stamps describe the same unchanged file. */
bool oa_file_stamp_same(const oa_file_stamp *a, const oa_file_stamp *b);

/*
 * Appends DATA to PATH all-or-nothing by copying it into a temporary file,
 * appending, and committing as above (a newline is added first when the old
 * content does not end with one).  PATH is created (NEW_MODE) if missing.
 * Copies with copy_file_range(2), falling back to read/write, so it costs a
 * copy of the whole file: meant for registers, not for busy logs (use a
 * journal).  The caller holds the lock on PATH.
 */
int oa_file_append_atomic(const char *path, const void *data, size_t len, mode_t new_mode,
                          oa_error *err);
/*
 * The same, but when PATH is no longer the file stamped in WAS (NULL: no
 * check), nothing is written: -1 with err "changed since it was read".
 */
int oa_file_append_atomic_if(const char *path, const void *data, size_t len, mode_t new_mode,
                             const oa_file_stamp *was, oa_error *err);

/*
 * Opens a journal for reading and appending (O_RDWR|O_APPEND, close-on-exec),
 * creating it with mode 0600 (and fsyncing the directory) when missing.  If
 * the file does not end with '\n', the bytes after its last '\n' (the whole
 * file when it has none) are a record that a killed writer left half
 * written: they are truncated away and the file is fsynced.  Call it only
 * while holding oa_lock_acquire(PATH) (see above).  Returns the descriptor
 * (the caller close()s it), or -1 with err.
 */
int oa_journal_open(const char *path, oa_error *err);
/*
 * Appends one or more whole records: DATA must end with '\n' (else -1, so
 * that the next open's repair can never eat a finished record).  Writes all
 * of DATA, with one write(2) where the kernel takes it, then fsyncs.  On a
 * failed write or fsync (full disk) the file is truncated back to its size
 * before the call and -1 returned: nothing recorded.  The caller holds the
 * lock, as for oa_journal_open.
 */
int oa_journal_append(int fd, const char *path, const void *data, size_t len, oa_error *err);

/* fsync the directory holding PATH (EINVAL from file systems that cannot is ignored). */
int oa_fsync_dir(const char *path, oa_error *err);

#endif
