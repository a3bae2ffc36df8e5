/*
 * cli.h - what every command's main() shares: diagnostics in the form
 * `PROG: FILE:LINE: message`, loading the config with its warnings, output
 * to stdout or to `-o FILE` (written beside FILE and renamed on success), and
 * the exit statuses.  Only cmd/ prints; the library fills oa_error.
 */
#ifndef OA_CLI_H
#define OA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "durable.h"
#include "error.h"

enum { EXIT_DONE = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

extern const char *cli_progname;
/* Standard input or output was closed when the command started (cli_init
 * then opened it on /dev/null): nothing can be read from it, and a report
 * written to it would be lost. */
extern bool cli_stdin_closed, cli_stdout_closed;

/*
 * Sets the program name (and argv[0] to it, so getopt names the command,
 * not its path), the locale, SIGXFSZ ignored, and /dev/null on any closed
 * standard descriptor.
 */
void cli_init(char **argv);

/* `PROG: FILE:LINE: message` (parts left out when empty). */
void cli_error(const oa_error *err);
/* `PROG: message` */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `PROG: FILE:LINE: message` */
void cli_msg_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* `PROG: FILE: message: strerror(errno)` */
void cli_sys(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints `usage: ...` text to stderr and returns EXIT_TROUBLE. */
int cli_usage(const char *usage);
/* Prints "PROG (officeadm) VERSION" and returns EXIT_DONE. */
int cli_version(void);

/*
 * Loads the config (PATH, or the search order); warns on stderr about
 * unknown sections and keys; sets TZ to [calendar] timezone (default
 * Asia/Shanghai) so that "today" is the office's.  NULL after printing the
 * error.
 */
oa_config *cli_load_config(const char *path);

/*
 * Do A and B name one file: the same inode, or the same path when one does
 * not exist yet?  NULL or "-" (standard input/output) names no file.  Used
 * to refuse an output that would replace a register or journal.
 */
bool cli_same_file(const char *a, const char *b);

/*
 * Whether a file beside PATH (in its directory) has a name close to PATH's
 * (oa_names_suggest: 台帐.csv and 台账.csv, a letter swapped); if so its
 * path, as PATH spells the directory, goes into BUF.  cli_error adds it
 * to a message that a file is not there.
 */
bool cli_near_file(const char *path, char *buf, size_t cap);

/*
 * Registers PATH (FLAGS: OA_INPUT_REWRITABLE for a register this run may
 * update in place) or PATHS[0..n) as inputs of this run (oa_input_add):
 * from then on no output (-o, a rewritten register, notices, rejects) may
 * replace one of them, by any name or link; opening such an output is an
 * error naming both.  cli_load_config registers the settings file.  "-"
 * stands for standard input (counted when it is a regular file).  Prints
 * and returns -1 on error (out of memory).
 */
int cli_input(const char *path, int flags);
int cli_inputs(char *const *paths, int n);

/*
 * The -o file OUT of a run that writes notices into DIR: refused (printed,
 * -1) when OUT is in DIR, by any spelling or link, existing or not, since
 * the notices replace and remove the files there.  0 when either is NULL
 * or OUT is "-".
 */
int cli_in_notices(const char *out, const char *dir);

/* Output: stdout, or an atomic file when path is given and not "-". */
typedef struct cli_output {
	FILE *fp;
	const char *name; /* for messages */
	bool atomic;
	oa_atomic_file af;
} cli_output;

int cli_output_open(cli_output *out, const char *path, mode_t mode);
/*
 * Finds every write error short of the rename (flush, fsync; stdout: flush),
 * for a command that must commit more than one file: prepare them all,
 * then commit.  Prints and returns -1 on error (the file is dropped).
 */
int cli_output_prepare(cli_output *out);
/* Commits the file (or flushes stdout).  Prints and returns -1 on error. */
int cli_output_commit(cli_output *out);
/*
 * For a command with several outputs: a file output joins SET (committed
 * with the others by oa_atomic_set_commit, aborted with them), standard
 * output is flushed now, since it cannot be taken back.  OUT must outlive
 * the set's commit.  Prints and returns -1 on error.
 */
int cli_output_join(cli_output *out, oa_atomic_set *set);
/* Drops an unfinished output file (stdout: nothing to undo). */
void cli_output_abort(cli_output *out);

/* Flushes and closes stdout; a failed write (full disk) is trouble. */
int cli_finish(int status);

#endif
