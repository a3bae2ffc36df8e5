/*
 * fuzz_tag.c - libFuzzer target for asset tags (tag.h): the ISO/IEC 7064
 * MOD 37,36 check character, validation, normalisation and the
 * one-edit neighbours.
 *
 * Checks: a tag followed by its own check character is valid; changing
 * that check character makes it invalid; normalising is idempotent and
 * stays inside the buffer; neighbours are valid tags.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tag.h"

static bool
exists_some(void *ctx, const char *s, size_t len)
{
	/* Pretend every third candidate is registered. */
	size_t h = 0;

	(void)ctx;
	for (size_t i = 0; i < len; i++)
		h = h * 31 + (unsigned char)s[i];
	return h % 3 == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char norm[OA_TAG_MAX], again[OA_TAG_MAX], small[8];
	char with[OA_TAG_MAX + 2];
	char out[8][OA_TAG_MAX];
	size_t n, n2, found;
	char c;
	/* NUL bytes never reach these functions (the CSV reader rejects them). */
	int nul = memchr(data, 0, size) != NULL;

	c = oa_tag_check_char(s, size);
	if (c != 0 && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
		abort();
	(void)oa_tag_valid(s, size);

	n = oa_tag_normalise(s, size, norm, sizeof norm);
	if (n >= sizeof norm || (!nul && strlen(norm) != n))
		abort();
	n2 = oa_tag_normalise(norm, n, again, sizeof again);
	if (n2 != n || memcmp(norm, again, n) != 0)
		abort();
	n2 = oa_tag_normalise(s, size, small, sizeof small);
	if (n2 >= sizeof small || (!nul && strlen(small) != n2))
		abort();

	c = oa_tag_check_char(norm, n);
	if (c != 0 && n + 1 < sizeof with) {
		memcpy(with, norm, n);
		with[n] = c;
		with[n + 1] = '\0';
		if (!oa_tag_valid(with, n + 1))
			abort();
		with[n] = c == 'Z' ? '0' : c == '9' ? 'A' : (char)(c + 1);
		if (oa_tag_valid(with, n + 1))
			abort();
		with[n] = c;
		found = oa_tag_neighbours(with, n + 1, exists_some, NULL, out, 8);
		for (size_t i = 0; i < found && i < 8; i++) {
			size_t len = strlen(out[i]);

			if (len >= OA_TAG_MAX || !oa_tag_valid(out[i], len))
				abort();
		}
	}
	found = oa_tag_neighbours(s, size, exists_some, NULL, out, 8);
	for (size_t i = 0; i < found && i < 8; i++)
		if (strlen(out[i]) >= OA_TAG_MAX)
			abort();
	return 0;
}
