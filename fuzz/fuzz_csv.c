/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and writer (csv.h).
 *
 * The first input byte chooses the options: encoding (AUTO, UTF-8 or
 * GB18030), a small chunk size (1..16 bytes or the default), a small
 * max_field, and whether the first record sets the width.  The rest is the
 * CSV text.  Besides "no crash, no leak, no undefined behaviour" it checks
 * what csv.h promises about every record the reader hands out:
 *
 *   - fields are NUL-terminated, field_len agrees, no NUL inside;
 *   - fields are valid UTF-8 (output is always UTF-8);
 *   - no field is longer than max_field;
 *   - record lines start at 1 and never go back;
 *   - with a width set, every record has exactly that many fields;
 *   - an error names the file and a line;
 *   - the writer's output read back gives the same records (plain mode), or
 *     the same records with ' before formula-looking cells (Excel mode).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "utf8.h"

#define MAX_RECORDS 4096

struct record {
	size_t n;
	char **f;
	size_t *len;
};

static void
records_free(struct record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < recs[i].n; j++)
			free(recs[i].f[j]);
		free(recs[i].f);
		free(recs[i].len);
	}
	free(recs);
}

static void
record_copy(struct record *rec, const oa_csv_reader *r)
{
	rec->n = oa_csv_nfields(r);
	rec->f = calloc(rec->n ? rec->n : 1, sizeof *rec->f);
	rec->len = calloc(rec->n ? rec->n : 1, sizeof *rec->len);
	if (rec->f == NULL || rec->len == NULL)
		abort();
	for (size_t j = 0; j < rec->n; j++) {
		rec->len[j] = oa_csv_field_len(r, j);
		rec->f[j] = malloc(rec->len[j] + 1);
		if (rec->f[j] == NULL)
			abort();
		memcpy(rec->f[j], oa_csv_field(r, j), rec->len[j] + 1);
	}
}

/* True when a spreadsheet would take a cell starting with C for a formula. */
static int
formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/*
 * A plain decimal number, optionally signed ("-300", "+5", "-12.50", "-.5"):
 * the Excel writer leaves it unguarded so a spreadsheet reads a number.
 * Written here on its own so the harness checks the writer's rule.
 */
static int
plain_number(const char *s, size_t len)
{
	size_t i = (len > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0, digits = 0, dots = 0;

	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && dots++ == 0)
			;
		else
			return 0;
	}
	return digits > 0;
}

/* A record the reader skips as a blank line when written: one empty field. */
static int
blank_record(const struct record *rec)
{
	return rec->n == 1 && rec->len[0] == 0;
}

/* Writes RECS (plain or Excel), reads them back and compares. */
static void
roundtrip(const struct record *recs, size_t nrecs, int excel)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	oa_csv_writer *w;
	oa_csv_reader *r;
	oa_csv_options opt;
	oa_error err;
	size_t i = 0;
	int rc;

	if (fp == NULL)
		abort();
	w = oa_csv_writer_new(fp, excel);
	if (w == NULL)
		abort();
	for (size_t k = 0; k < nrecs; k++) {
		for (size_t j = 0; j < recs[k].n; j++)
			oa_csv_write_field(w, recs[k].f[j], recs[k].len[j]);
		oa_csv_end_record(w);
	}
	if (oa_csv_writer_check(w, "<memory>", &err) != 0)
		abort();
	oa_csv_writer_free(w);
	fclose(fp);

	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	opt.max_field = (size_t)-1 / 4;
	r = oa_csv_reader_memory(buf, len, "<roundtrip>", &opt, &err);
	if (r == NULL)
		abort();
	while ((rc = oa_csv_read(r, &err)) == 1) {
		/* The writer may write a lone empty field as "" or as a blank line. */
		if (!(oa_csv_nfields(r) == 1 && oa_csv_field_len(r, 0) == 0))
			while (i < nrecs && blank_record(&recs[i]))
				i++;
		if (i >= nrecs) {
			fprintf(stderr, "roundtrip: extra record\n");
			abort();
		}
		if (oa_csv_nfields(r) != recs[i].n) {
			fprintf(stderr, "roundtrip: record %zu has %zu fields, want %zu\n",
			        i, oa_csv_nfields(r), recs[i].n);
			abort();
		}
		for (size_t j = 0; j < recs[i].n; j++) {
			const char *got = oa_csv_field(r, j);
			size_t glen = oa_csv_field_len(r, j);
			const char *want = recs[i].f[j];
			size_t wlen = recs[i].len[j];

			if (excel && wlen > 0 && formula_start(want[0]) && !plain_number(want, wlen)) {
				if (glen != wlen + 1 || got[0] != '\'' ||
				    memcmp(got + 1, want, wlen) != 0) {
					fprintf(stderr, "roundtrip: excel cell %zu/%zu not guarded\n", i, j);
					abort();
				}
			} else if (glen != wlen || memcmp(got, want, wlen) != 0) {
				fprintf(stderr, "roundtrip: field %zu/%zu differs\n", i, j);
				abort();
			}
		}
		i++;
	}
	if (rc != 0) {
		fprintf(stderr, "roundtrip: writer output unreadable: %s:%ld: %s\n",
		        err.file, err.line, err.msg);
		abort();
	}
	while (i < nrecs && blank_record(&recs[i]))
		i++;
	if (i != nrecs) {
		fprintf(stderr, "roundtrip: %zu records lost\n", nrecs - i);
		abort();
	}
	oa_csv_reader_free(r);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[8] = { 1, 2, 3, 4, 5, 7, 16, 0 };
	oa_csv_options opt;
	oa_csv_reader *r;
	oa_error err;
	struct record *recs;
	size_t nrecs = 0;
	size_t width = 0;
	long last_line = 0;
	int rc, set_width;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;

	oa_csv_options_init(&opt);
	opt.encoding = (mode & 3) == 1 ? OA_ENC_GB18030 : (mode & 3) == 2 ? OA_ENC_UTF8 : OA_ENC_AUTO;
	if (chunks[(mode >> 2) & 7] != 0)
		opt.chunk_size = chunks[(mode >> 2) & 7];
	if (mode & 0x20)
		opt.max_field = 32;
	set_width = (mode & 0x40) != 0;

	oa_error_clear(&err);
	r = oa_csv_reader_memory((const char *)data, size, "fuzz.csv", &opt, &err);
	if (r == NULL)
		return 0;
	recs = calloc(MAX_RECORDS, sizeof *recs);
	if (recs == NULL)
		abort();
	while ((rc = oa_csv_read(r, &err)) == 1) {
		size_t n = oa_csv_nfields(r);
		long line = oa_csv_line(r);

		if (line < 1 || line < last_line) {
			fprintf(stderr, "line went from %ld to %ld\n", last_line, line);
			abort();
		}
		last_line = line;
		if (set_width && width != 0 && n != width) {
			fprintf(stderr, "record has %zu fields, width is %zu\n", n, width);
			abort();
		}
		for (size_t j = 0; j < n; j++) {
			const char *f = oa_csv_field(r, j);
			size_t len = oa_csv_field_len(r, j);
			size_t bad;

			if (f == NULL || strlen(f) != len) {
				fprintf(stderr, "field %zu: length %zu disagrees\n", j, len);
				abort();
			}
			if (len > opt.max_field) {
				fprintf(stderr, "field %zu: %zu bytes > max_field\n", j, len);
				abort();
			}
			if (oa_utf8_valid(f, len, &bad) != 0) {
				fprintf(stderr, "field %zu: invalid UTF-8 at %zu\n", j, bad);
				abort();
			}
		}
		/*
		 * The fields lie in one block; a plain line is exactly the
		 * fields joined by commas, without a quote (csv.h).
		 */
		for (size_t j = 1; j < n; j++)
			if (oa_csv_field(r, j) != oa_csv_field(r, j - 1) + oa_csv_field_len(r, j - 1) + 1) {
				fprintf(stderr, "field %zu is not right after field %zu\n", j, j - 1);
				abort();
			}
		{
			size_t plen, at = 0;
			const char *pl = oa_csv_plain_line(r, &plen);

			for (size_t j = 0; pl != NULL && j < n; j++) {
				size_t len = oa_csv_field_len(r, j);

				if (at + len > plen || memcmp(pl + at, oa_csv_field(r, j), len) != 0 ||
				    (j + 1 < n ? at + len >= plen || pl[at + len] != ','
				               : at + len != plen)) {
					fprintf(stderr, "plain line does not match field %zu\n", j);
					abort();
				}
				at += len + 1;
			}
			if (pl != NULL && memchr(pl, '"', plen) != NULL)
				abort();
		}
		/* Out-of-range fields are "". */
		if (oa_csv_field(r, n)[0] != '\0' || oa_csv_field_len(r, n) != 0)
			abort();
		if (set_width && width == 0) {
			width = n;
			oa_csv_reader_set_width(r, width);
		}
		if (nrecs < MAX_RECORDS)
			record_copy(&recs[nrecs++], r);
	}
	if (rc == -1) {
		if (!oa_error_isset(&err) || strcmp(err.file, "fuzz.csv") != 0 || err.line < 1) {
			fprintf(stderr, "error without file and line: \"%s\":%ld: %s\n",
			        err.file, err.line, err.msg);
			abort();
		}
	} else if (rc != 0) {
		abort();
	}
	(void)oa_csv_encoding(r);
	oa_csv_reader_free(r);

	if (rc == 0) {
		/* The writer quotes a first cell that starts with U+FEFF, so it survives. */
		roundtrip(recs, nrecs, 0);
		roundtrip(recs, nrecs, 1);
	}
	records_free(recs, nrecs);
	return 0;
}
