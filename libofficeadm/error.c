/*
 * error.c - filling an oa_error.  See error.h.
 */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void
oa_error_clear(oa_error *err)
{
	if (err == NULL)
		return;
	err->file[0] = '\0';
	err->line = 0;
	err->msg[0] = '\0';
}

int
oa_error_setv(oa_error *err, const char *file, long line, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return -1;
}

int
oa_error_set(oa_error *err, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	oa_error_setv(err, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

int
oa_error_sys(oa_error *err, const char *file, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	oa_error_setv(err, file, 0, fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

int
oa_error_isset(const oa_error *err)
{
	return err != NULL && err->msg[0] != '\0';
}
