/*
 * csvcopy.c - the floor under asset-tag's time: read a CSV with the
 * officeadm reader and write every field back with the officeadm writer,
 * nothing else.  asset-tag does this plus checking, classifying and
 * numbering every row, and holds the output until the input is known good.
 *
 * build: cc -O2 -iquote libofficeadm bench/asset-tag/csvcopy.c build/libofficeadm.a -lcsv -liniparser
 */
#include <stdio.h>

#include "csv.h"

int
main(int argc, char **argv)
{
	oa_error err;
	oa_csv_reader *r;
	oa_csv_writer *w;
	int rc;

	oa_error_clear(&err);
	r = oa_csv_reader_open(argc > 1 ? argv[1] : "-", NULL, &err);
	w = oa_csv_writer_new(stdout, false);
	if (r == NULL || w == NULL) {
		fprintf(stderr, "csvcopy: %s: %s\n", err.file, err.msg);
		return 2;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while ((rc = oa_csv_read(r, &err)) == 1) {
		for (size_t i = 0; i < oa_csv_nfields(r); i++)
			oa_csv_write_field(w, oa_csv_field(r, i), oa_csv_field_len(r, i));
		oa_csv_end_record(w);
	}
	if (rc < 0) {
		fprintf(stderr, "csvcopy: %s:%ld: %s\n", err.file, err.line, err.msg);
		return 2;
	}
	oa_csv_writer_free(w);
	oa_csv_reader_free(r);
	return fflush(stdout) == 0 ? 0 : 2;
}
