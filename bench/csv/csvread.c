/*
 * csvread.c - the benchmark's "reader alone": reads a CSV with the
 * officeadm reader (UTF-8 checking on), maps the header onto the register
 * columns, touches every field, and prints the record count and a checksum
 * of field lengths.  Other benchmarks use it as the baseline cost of reading.
 *
 * build: cc -O2 -iquote libofficeadm bench/csv/csvread.c build/libofficeadm.a -lcsv -liniparser
 */
#include <stdio.h>

#include "columns.h"
#include "csv.h"

int
main(int argc, char **argv)
{
	oa_error err;
	oa_csv_reader *r;
	int idx[OA_REG_NCOLS];
	unsigned long long records = 0, bytes = 0;
	int rc;

	oa_error_clear(&err);
	r = oa_csv_reader_open(argc > 1 ? argv[1] : "-", NULL, &err);
	if (r == NULL || oa_csv_read(r, &err) != 1 ||
	    oa_columns_map(r, oa_register_columns, OA_REG_NCOLS, OA_BIT(OA_REG_TAG), idx, &err) < 0) {
		fprintf(stderr, "csvread: %s:%ld: %s\n", err.file, err.line, err.msg);
		return 2;
	}
	for (size_t i = 0; i < oa_csv_nfields(r); i++) /* the header, as libcsv counts it */
		bytes += oa_csv_field_len(r, i);
	while ((rc = oa_csv_read(r, &err)) == 1) {
		records++;
		for (size_t i = 0; i < oa_csv_nfields(r); i++)
			bytes += oa_csv_field_len(r, i);
	}
	if (rc < 0) {
		fprintf(stderr, "csvread: %s:%ld: %s\n", err.file, err.line, err.msg);
		return 2;
	}
	printf("%llu records, %llu field bytes\n", records, bytes);
	oa_csv_reader_free(r);
	return 0;
}
