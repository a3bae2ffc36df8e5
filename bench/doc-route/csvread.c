/*
 * csvread.c - the "CSV reader alone" baseline for the doc-route benchmark:
 * reads any CSV (the journal) with oa_csv_reader, as UTF-8, touches every
 * field, and prints the record count and the field bytes.  Unlike
 * bench/csv/csvread.c it maps no columns, since the journal has no asset
 * tag column; it does no more than a reader must.  With -m it maps the
 * file and reads it with oa_csv_reader_memory, as doc-route does, so both
 * ways of feeding the reader can serve as the baseline.
 *
 * build: cc -O2 -Ilibofficeadm bench/doc-route/csvread.c build/libofficeadm.a -lcsv -liniparser
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"

int
main(int argc, char **argv)
{
	oa_error err;
	oa_csv_options opt;
	oa_csv_reader *r;
	unsigned long long records = 0, bytes = 0;
	int rc;

	oa_error_clear(&err);
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	if (argc > 2 && strcmp(argv[1], "-m") == 0) {
		struct stat st;
		int fd = open(argv[2], O_RDONLY);
		char *map;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0 ||
		    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
			perror(argv[2]);
			return 2;
		}
		madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
		r = oa_csv_reader_memory(map, (size_t)st.st_size, argv[2], &opt, &err);
	} else {
		r = oa_csv_reader_open(argc > 1 ? argv[1] : "-", &opt, &err);
	}
	if (r == NULL) {
		fprintf(stderr, "csvread: %s: %s\n", err.file, err.msg);
		return 2;
	}
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
