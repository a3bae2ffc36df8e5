/*
 * fuzz_utf8.c - libFuzzer target for the Unicode helpers (utf8.h) that the
 * CSV reader, header matching and department suggestions rely on.
 *
 * Checks: validation and decoding agree; encoding a decoded code point
 * gives the same bytes; folding stays inside its buffer and is idempotent;
 * valid_prefix reports a complete part that is itself valid; valid (SSE2
 * where it can) says yes exactly when valid_prefix finds all of it complete.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t bad = 0, complete = 0, half = size / 2;
	/* NUL bytes never reach these functions (the CSV reader rejects them). */
	int nul = memchr(data, 0, size) != NULL;
	char fold[256], tiny[4];
	int valid;

	valid = oa_utf8_valid(s, size, &bad) == 0;
	if (!valid && bad >= size && size > 0)
		abort();
	if (oa_utf8_valid_prefix(s, size, &bad, &complete) == 0) {
		size_t b2;

		if (complete > size || size - complete > 3)
			abort();
		if (oa_utf8_valid(s, complete, &b2) != 0)
			abort();
		/* valid() (sixteen bytes at a time) and the byte-wise prefix agree. */
		if (valid != (complete == size))
			abort();
	} else if (valid) {
		abort();
	}

	/* Walk the input one code point at a time. */
	for (size_t i = 0; i < size;) {
		uint32_t cp;
		char enc[4];
		int n = oa_utf8_decode(s + i, size - i, &cp);

		if (n < 0) {
			if (valid)
				abort();
			i++;
			continue;
		}
		if (n < 1 || n > 4 || (size_t)n > size - i || cp > 0x10FFFF)
			abort();
		if (oa_utf8_encode(cp, enc) != n || memcmp(enc, s + i, (size_t)n) != 0)
			abort();
		i += (size_t)n;
	}

	for (unsigned flags = 0; flags < 4; flags++) {
		size_t n = oa_utf8_fold(s, size, fold, sizeof fold, flags);
		size_t n2;

		if (n >= sizeof fold || (!nul && strlen(fold) != n))
			abort();
		/*
		 * Idempotent, checked with room for everything (folding never
		 * lengthens), since a cut result may end in a space that a
		 * second fold trims.
		 */
		{
			char *big = malloc(size + 1), *big2 = malloc(size + 1);
			size_t nb, nb2;

			if (big == NULL || big2 == NULL)
				abort();
			nb = oa_utf8_fold(s, size, big, size + 1, flags);
			if (nb > size || (n < nb && memcmp(fold, big, n) != 0))
				abort();
			nb2 = oa_utf8_fold(big, nb, big2, size + 1, flags);
			if (valid && (nb2 != nb || memcmp(big, big2, nb) != 0))
				abort();
			free(big);
			free(big2);
		}
		n = oa_utf8_fold(s, size, tiny, sizeof tiny, flags);
		if (n >= sizeof tiny || (!nul && strlen(tiny) != n))
			abort();
	}
	if (oa_utf8_length(s, size) > size)
		abort();
	(void)oa_utf8_width(s, size);
	{
		size_t d = oa_utf8_edit_distance(s, half, s + half, size - half);
		size_t la = oa_utf8_length(s, half), lb = oa_utf8_length(s + half, size - half);

		if (d != (size_t)-1 && d > (la > lb ? la : lb))
			abort();
		if (d == 0 && oa_utf8_edit_distance(s, half, s, half) != 0)
			abort();
	}
	return 0;
}
