/*
 * error.h - how the library reports failure.
 *
 * Library functions never print and never exit.  A function that can fail
 * takes an `oa_error *` as its last argument and returns -1 (or NULL) after
 * filling it with the file and line the problem is about, when known, and a
 * lower-case message without a full stop.  The command prints it as
 * `PROG: FILE:LINE: message` (see cmd/common/diag.h).
 */
#ifndef OA_ERROR_H
#define OA_ERROR_H

#include <stdarg.h>

#define OA_ERROR_MSG_MAX 1024
#define OA_ERROR_FILE_MAX 512

typedef struct oa_error {
	char file[OA_ERROR_FILE_MAX]; /* "" when the error is about no file */
	long line;                    /* 0 when no line applies */
	char msg[OA_ERROR_MSG_MAX];   /* "" when no error was recorded */
} oa_error;

/* Empties err.  A NULL err is allowed everywhere and ignored. */
void oa_error_clear(oa_error *err);

/*
 * Records an error about FILE (may be NULL) at LINE (0 for none).
 * Always returns -1, so callers can write `return oa_error_set(...)`.
 */
int oa_error_set(oa_error *err, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int oa_error_setv(oa_error *err, const char *file, long line, const char *fmt, va_list ap);

/* Like oa_error_set, and appends ": " and strerror(errno). Returns -1. */
int oa_error_sys(oa_error *err, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* True when err holds a message. */
int oa_error_isset(const oa_error *err);

#endif
