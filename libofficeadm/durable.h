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

#include <signal.h>
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

/* Flags of oa_atomic_open_flags. */
enum {
	/*
	 * The result gets NEW_MODE less the umask whatever the old file's mode:
	 * a file meant for one reader (0600) is never widened by an old file
	 * that was 0644.  Owner and group are kept as usual.
	 */
	OA_ATOMIC_MODE_EXACT = 1 << 0,
	/*
	 * PATH is meant to rewrite an input registered OA_INPUT_REWRITABLE (the
	 * register of inventory-diff -u REG REG).  Without it, naming any
	 * registered input is an error (see oa_input_add).
	 */
	OA_ATOMIC_REWRITE = 1 << 1,
};

/* oa_atomic_open with FLAGS (OA_ATOMIC_*); oa_atomic_open is FLAGS 0. */
int oa_atomic_open_flags(oa_atomic_file *af, const char *path, mode_t new_mode, int flags,
                         oa_error *err);

/*
 * The inputs of this process, which no output may replace.  A command
 * registers every file it reads (oa_input_add) before opening any output;
 * from then on oa_atomic_open, oa_file_append_atomic and
 * oa_atomic_set_open refuse a target that is one of them: the same device
 * and inode (a hard link, a symlink, another spelling of the path), or,
 * when either does not exist, the same resolved path.  The message names
 * both: `"out.csv" is also an input ("reg.csv"): an output may not
 * replace an input`.  "-" and NULL name no file and are ignored.
 * OA_INPUT_REWRITABLE marks an input that an output opened with
 * OA_ATOMIC_REWRITE may replace (a register updated in place); any other
 * output naming it is still refused.  A file's companions are registered
 * with it: "PATH.lock" (its lock file) and "PATH.state" (a journal's state
 * file, which the journal itself rewrites with OA_ATOMIC_REWRITE); an
 * output naming one is refused as `"reg.csv.lock" is the lock file of
 * "reg.csv"`.  The list is process-wide, meant to be
 * filled at start-up by a single thread; oa_inputs_clear empties it.
 */
enum { OA_INPUT_REWRITABLE = 1 << 0 };
int oa_input_add(const char *path, int flags, oa_error *err);
void oa_inputs_clear(void);
/* -1 with err when PATH names a registered input (FLAGS as for oa_atomic_open_flags). */
int oa_output_check(const char *path, int flags, oa_error *err);

/*
 * Several outputs of one run, committed together: each is written to its
 * temporary file, then oa_atomic_set_commit prepares (flushes, fsyncs) all
 * of them, and only when every one is sound renames them into place.  A
 * target that existed is first hard-linked to "TARGET.tmp.PID.old", so
 * that if a later rename fails the earlier ones are undone (the old file
 * renamed back, a new one removed): either every file is new or every file
 * is as it was.  (Where the file system has no hard links, an undo of that
 * file is not possible; such a rename failure is very rare.)  Directories
 * made with oa_atomic_set_mkdir are removed again by an abort, so a failed
 * run leaves nothing new behind.
 *
 *	oa_atomic_set set;
 *	oa_atomic_set_init(&set);
 *	if (oa_atomic_set_mkdir(&set, dir, err) < 0 ||
 *	    (af = oa_atomic_set_open(&set, path, 0644, 0, err)) == NULL) ...
 *	fputs(text, af->fp);
 *	... more files ...
 *	if (oa_atomic_set_commit(&set, err) < 0) ...   (or oa_atomic_set_abort)
 *
 * Commit and abort both release the set (it may be initialised again).
 */
typedef struct oa_atomic_set {
	oa_atomic_file **files;
	bool *owned;   /* files[i] was allocated by oa_atomic_set_open */
	size_t count, cap;
	char **dirs;   /* made by oa_atomic_set_mkdir, removed on abort */
	size_t ndirs;
} oa_atomic_set;

void oa_atomic_set_init(oa_atomic_set *set);
/*
 * Creates directory DIR (mode 0777 less the umask) unless it exists; a
 * directory made here is removed by oa_atomic_set_abort (when empty).  An
 * existing DIR that is not a directory is an error.
 */
int oa_atomic_set_mkdir(oa_atomic_set *set, const char *dir, oa_error *err);
/* Opens PATH as oa_atomic_open_flags does, as a member of SET; NULL with err. */
oa_atomic_file *oa_atomic_set_open(oa_atomic_set *set, const char *path, mode_t new_mode,
                                   int flags, oa_error *err);
/*
 * Makes AF, opened by the caller (and still owned by it: not freed), a
 * member of SET: it is committed or aborted with the others.  On error
 * (out of memory) AF is aborted.
 */
int oa_atomic_set_add(oa_atomic_set *set, oa_atomic_file *af, oa_error *err);
/*
 * Commits every member as described above.  -1 with err (naming the file
 * at fault) when any cannot be written, synced or renamed: then no target
 * is changed and nothing new is left.  As for oa_atomic_commit, a failed
 * fsync of a directory comes after the renames and is -1 too.
 */
int oa_atomic_set_commit(oa_atomic_set *set, oa_error *err);
/* Drops every member and removes the directories the set made. */
void oa_atomic_set_abort(oa_atomic_set *set);

/*
 * The file that writing to PATH changes: PATH itself when no component of
 * it is a symlink, else the absolute path with every link followed (a
 * dangling last link as open(2) would create it; up to 40 links).
 * Links are followed only where the kernel's protected_symlinks rule
 * would follow them, applied here because the link is resolved in user
 * space: never a link in a sticky world-writable directory (/tmp) unless
 * it belongs to this user or to the directory's owner.  And a link owned
 * by another user (not root) is followed only when that user could write
 * where it leads (the file, or the directory of a file to create), so a
 * link planted by someone cannot make this process replace a file they
 * could not.  malloc'd; NULL with err on error (ELOOP for a loop, a
 * refused link named).
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
 * Removes the temporary files of every oa_atomic_file of this process not
 * yet committed or aborted (up to 16 at once), and nothing else: for a
 * handler of SIGINT or SIGTERM, so that Ctrl-C leaves no TARGET.tmp.PID
 * behind.  Async-signal-safe (unlink(2) only); the targets are untouched,
 * as after any failure before the rename.  Call it on the thread that
 * opens the files (the library's own threads block signals, so a signal
 * to the process is taken there).
 */
void oa_atomic_unlink_pending(void);

/*
 * Holds back SIGINT, SIGTERM, SIGHUP and SIGQUIT on this thread (their
 * previous mask into *WAS) for a sequence of writes that must finish once
 * begun (asset-log's events, register and commit record); resuming lets a
 * signal that came meanwhile take effect then.  kill -9 is not held: the
 * journal's commit record is for that.
 */
void oa_interrupts_hold(sigset_t *was);
void oa_interrupts_resume(const sigset_t *was);

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
 * Everything oa_file_append_atomic_if does but the commit: AF holds the old
 * content and DATA, to be committed (alone, or as a member of an
 * oa_atomic_set with the run's other outputs) or aborted.  -1 with err
 * (AF released) on error.
 */
int oa_file_append_open(oa_atomic_file *af, const char *path, const void *data, size_t len,
                        mode_t new_mode, const oa_file_stamp *was, oa_error *err);

/*
 * Opens a journal for reading and appending (O_RDWR|O_APPEND, close-on-exec),
 * creating it with mode 0600 (and fsyncing the directory) when missing.  If
 * the file does not end with '\n', the bytes after its last '\n' (the whole
 * file when it has none) are a record that a killed writer left half
 * written: they are copied to PATH.torn-YYYYMMDD-HHMMSS (mode 0600,
 * fsynced), then truncated away and the file is fsynced; nothing is cut
 * when the copy cannot be made.  Call it only
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
/*
 * Closes a journal opened by oa_journal_open.  A journal that this open
 * created and that is still empty (every append failed, or none was made:
 * a full disk, an input refused) is removed, so a failed run leaves no new
 * empty journal behind.  Call it while still holding the lock.
 */
void oa_journal_close(int fd, const char *path);

/* fsync the directory holding PATH (EINVAL from file systems that cannot is ignored). */
int oa_fsync_dir(const char *path, oa_error *err);

#endif
