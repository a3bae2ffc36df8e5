/*
 * fuzz_csvline.c - libFuzzer target for the plain-line fast path
 * (csvline.h) against the CSV reader (csv.h).
 *
 * The first byte gives the number of fields wanted (1..32) and, in its top
 * bits, a small max_field or scratch size.  What csvline.h promises, checked
 * on every input:
 *
 *   - when it splits a line, the line ends at the first line feed, and the
 *     CSV reader, given that line alone, reads one record of exactly the
 *     same fields, byte for byte (so the fast path never accepts what the
 *     reader refuses nor reads it differently);
 *   - every field is within max_field, every field pointer lies in the
 *     line or in the scratch space;
 *   - oa_csvline_split_valid, told the line is valid UTF-8, says the same
 *     as oa_csvline_split whenever the line up to its first line feed is
 *     (and gives the same fields).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csvline.h"
#include "utf8.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[32];
	size_t flen[32], len, n, max = 1u << 20, scap = 4096;
	char scratch[4096];

	if (size < 1)
		return 0;
	n = (size_t)(data[0] & 31) + 1;
	if (data[0] & 0x40)
		max = 8;
	if (data[0] & 0x80)
		scap = 16;
	data++;
	size--;
	int yes = oa_csvline_split((const char *)data, size, n, f, flen, max, scratch, scap, &len);
	const uint8_t *nl = memchr(data, '\n', size);
	if (nl != NULL && oa_utf8_valid((const char *)data, (size_t)(nl - data), NULL) == 0) {
		const char *g[32];
		size_t glen[32], vlen;
		char vscratch[4096];
		int vyes = oa_csvline_split_valid((const char *)data, size, n, g, glen, max, vscratch,
		                                  scap, &vlen);
		if (vyes != yes || (yes && vlen != len))
			abort();
		for (size_t i = 0; yes && i < n; i++)
			if (glen[i] != flen[i] || memcmp(g[i], f[i], flen[i]) != 0)
				abort();
	}
	if (!yes)
		return 0;
	if (len >= size || data[len] != '\n' || memchr(data, '\n', len) != NULL)
		abort();
	for (size_t i = 0; i < n; i++) {
		const char *p = f[i];
		bool in_line = p >= (const char *)data && p + flen[i] <= (const char *)data + len;
		bool in_scratch = p >= scratch && p + flen[i] <= scratch + scap;
		if (flen[i] > max || !(in_line || in_scratch))
			abort();
	}

	oa_csv_options opt;
	oa_error err;
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	opt.max_field = max;
	oa_csv_reader *r = oa_csv_reader_memory((const char *)data, len + 1, "fuzz", &opt, &err);
	if (r == NULL)
		abort();
	if (oa_csv_read(r, &err) != 1 || oa_csv_nfields(r) != n)
		abort();
	const char *rf[32];
	size_t rlen[32];
	oa_csv_fields(r, rf, rlen, n);
	for (size_t i = 0; i < n; i++)
		if (rlen[i] != flen[i] || memcmp(rf[i], f[i], flen[i]) != 0)
			abort();
	if (oa_csv_read(r, &err) != 0)
		abort();
	oa_csv_reader_free(r);
	return 0;
}
