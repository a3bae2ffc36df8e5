/*
 * fuzz_util.h - what several fuzz targets share: putting the input into a
 * file, since the commands' input paths read files by name.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Writes DATA to a per-process temporary file made once for SLOT (0..7)
 * and returns its path (valid for the life of the process).  A file is
 * truncated and rewritten on every call.
 */
static inline const char *
fuzz_file(int slot, const char *suffix, const void *data, size_t size)
{
	static char paths[8][96];
	FILE *fp;

	if (paths[slot][0] == '\0') {
		int fd;

		snprintf(paths[slot], sizeof paths[slot], "/tmp/oafuzz.%ld.%d.XXXXXX%s",
		         (long)getpid(), slot, suffix);
		fd = mkstemps(paths[slot], (int)strlen(suffix));
		if (fd < 0)
			abort();
		close(fd);
	}
	fp = fopen(paths[slot], "wb");
	if (fp == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	return paths[slot];
}

/* The input up to the first SEP, and what follows it (NULL when no SEP). */
static inline const uint8_t *
fuzz_split(const uint8_t *data, size_t size, const char *sep, size_t *first, size_t *rest)
{
	size_t seplen = strlen(sep);
	const uint8_t *p = seplen <= size ? memmem(data, size, sep, seplen) : NULL;

	if (p == NULL) {
		*first = size;
		*rest = 0;
		return NULL;
	}
	*first = (size_t)(p - data);
	*rest = size - *first - seplen;
	return p + seplen;
}

/* Prints the error when FUZZ_DEBUG is set (to check seeds by hand). */
#define FUZZ_DEBUG_ERR(err)                                                          \
	do {                                                                          \
		if (getenv("FUZZ_DEBUG") != NULL)                                     \
			fprintf(stderr, "%s:%ld: %s\n", (err)->file, (err)->line, (err)->msg); \
	} while (0)

#endif
