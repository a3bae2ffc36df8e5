/*
 * rawlibcsv.c - the peer: libcsv alone with the same RFC settings as the
 * officeadm reader (CSV_STRICT | CSV_STRICT_FINI, no space trimming), fed
 * 64 KiB blocks, counting records and field bytes.  With -t it uses
 * libcsv's default trimming instead, for comparison.
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned long long records, bytes;

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)data;
	bytes += len;
}

static void
on_record(int c, void *data)
{
	(void)c;
	(void)data;
	records++;
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int
main(int argc, char **argv)
{
	static char buf[65536];
	struct csv_parser p;
	int trim = argc > 1 && strcmp(argv[1], "-t") == 0;
	const char *path = argv[argc - 1];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		perror(path);
		return 2;
	}
	if (!trim)
		csv_set_space_func(&p, no_space);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (csv_parse(&p, buf, (size_t)n, on_field, on_record, NULL) != (size_t)n) {
			fprintf(stderr, "rawlibcsv: %s\n", csv_strerror(csv_error(&p)));
			return 2;
		}
	}
	if (csv_fini(&p, on_field, on_record, NULL) != 0) {
		fprintf(stderr, "rawlibcsv: %s\n", csv_strerror(csv_error(&p)));
		return 2;
	}
	csv_free(&p);
	printf("%llu records, %llu field bytes\n", records - 1, bytes);
	return 0;
}
