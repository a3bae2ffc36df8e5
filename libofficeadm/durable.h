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
 */
#ifndef OA_DURABLE_H
#define OA_DURABLE_H

#include <stdio.h>
#include <sys/types.h>

#include "error.h"

typedef struct oa_atomic_file {
	FILE *fp;        /* write the new content here */
	char *path;      /* target */
	char *tmp_path;  /* temporary file beside it */
	mode_t mode;     /* mode the result gets */
} oa_atomic_file;

/*
 * Starts replacing PATH.  The result keeps PATH's mode when it exists, else
 * gets NEW_MODE (subject to the umask, as open(2) does).
 */
int oa_atomic_open(oa_atomic_file *af, const char *path, mode_t new_mode, oa_error *err);
/* Makes the new content the file.  Either way af is released. */
int oa_atomic_commit(oa_atomic_file *af, oa_error *err);
/* Drops the new content.  Safe on a released af. */
void oa_atomic_abort(oa_atomic_file *af);

/*
 * Appends DATA to PATH all-or-nothing by copying it into a temporary file,
 * appending, and committing as above (a newline is added first when the old
 * content does not end with one).  PATH is created (NEW_MODE) if missing.
 */
int oa_file_append_atomic(const char *path, const void *data, size_t len, mode_t new_mode,
                          oa_error *err);

/* Opens (creates 0600) a journal for appending; repairs a torn tail. -1 on error. */
int oa_journal_open(const char *path, oa_error *err);
/* Writes all of DATA with one write where possible, then fsync. */
int oa_journal_append(int fd, const char *path, const void *data, size_t len, oa_error *err);

/* fsync the directory holding PATH. */
int oa_fsync_dir(const char *path, oa_error *err);

#endif
