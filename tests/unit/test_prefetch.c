/*
 * test_prefetch.c - records read ahead on a thread of their own must be
 * exactly the records oa_csv_read gives, in order, across many batches,
 * with the same error at the same place, and stopping early must not
 * hang or leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "csv.h"
#include "prefetch.h"

/*
 * N records of four fields: plain lines, quoted fields (with commas,
 * doubled quotes and line breaks), CRLF, blank lines, short records, long
 * fields, Chinese text.  BAD_AT > 0 puts a stray quote (an error) in
 * that record.
 */
static char *
make_input(size_t n, size_t bad_at, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *fp = open_memstream(&buf, &cap);

	assert_non_null(fp);
	fputs("tag,name,value,note\n", fp);
	for (size_t i = 1; i <= n; i++) {
		if (i == bad_at) {
			fprintf(fp, "T%zu,bad\"quote,1,x\n", i);
			continue;
		}
		switch (i % 7) {
		case 0:
			fprintf(fp, "T%zu,\"name, with comma\",%zu.5,\"say \"\"hi\"\"\"\r\n", i, i);
			break;
		case 1:
			fprintf(fp, "T%zu,台式电脑%zu,%zu,\n", i, i, i * 3);
			break;
		case 2:
			fprintf(fp, "T%zu,\"two\nlines\",0,note\n\n", i);
			break;
		case 3:
			fprintf(fp, "T%zu,short\n", i);
			break;
		case 4:
			fprintf(fp, "T%zu,", i);
			for (size_t k = 0; k < 300; k++)
				fputc('a' + (int)(k % 26), fp);
			fputs(",7,long\n", fp);
			break;
		default:
			fprintf(fp, "T%zu,plain,%zu,n%zu\n", i, i, i);
			break;
		}
	}
	fclose(fp);
	*len = cap;
	return buf;
}

static oa_csv_reader *
open_input(const char *data, size_t len, size_t chunk)
{
	oa_csv_options opt;
	oa_error err;
	oa_csv_reader *r;

	oa_csv_options_init(&opt);
	if (chunk > 0)
		opt.chunk_size = chunk;
	r = oa_csv_reader_memory(data, len, "p.csv", &opt, &err);
	assert_non_null(r);
	assert_int_equal(oa_csv_read(r, &err), 1); /* the header */
	oa_csv_reader_set_width(r, 4);
	return r;
}

/* Reads DATA both ways and compares every record and the ending. */
static void
compare(const char *data, size_t len, size_t chunk, bool threaded, size_t *nrecords,
        long *err_line)
{
	oa_csv_reader *direct = open_input(data, len, chunk);
	oa_csv_reader *ahead = open_input(data, len, chunk);
	oa_error err1, err2;
	oa_csv_prefetch *p = oa_csv_prefetch_start(ahead, threaded, &err2);
	oa_csv_record rec;
	size_t n = 0, plain_len;
	int rc1, rc2;

	assert_non_null(p);
	oa_error_clear(&err1);
	oa_error_clear(&err2);
	for (;;) {
		rc1 = oa_csv_read(direct, &err1);
		rc2 = oa_csv_prefetch_next(p, &rec, &err2);
		assert_int_equal(rc1, rc2);
		if (rc1 <= 0)
			break;
		n++;
		assert_int_equal(rec.nfields, oa_csv_nfields(direct));
		assert_int_equal(rec.line, oa_csv_line(direct));
		assert_int_equal(rec.plain, oa_csv_plain_line(direct, &plain_len) != NULL);
		for (size_t i = 0; i < rec.nfields; i++) {
			assert_int_equal(rec.lens[i], oa_csv_field_len(direct, i));
			assert_string_equal(rec.fields[i], oa_csv_field(direct, i));
			if (rec.plain && i > 0)
				assert_ptr_equal(rec.fields[i], rec.fields[i - 1] + rec.lens[i - 1] + 1);
		}
	}
	if (rc1 < 0) {
		assert_int_equal(err1.line, err2.line);
		assert_string_equal(err1.msg, err2.msg);
		assert_string_equal(err1.file, err2.file);
	}
	/* The end repeats. */
	assert_int_equal(oa_csv_prefetch_next(p, &rec, &err2), rc1);
	*nrecords = n;
	*err_line = rc1 < 0 ? err1.line : 0;
	oa_csv_prefetch_stop(p);
	oa_csv_reader_free(direct);
	oa_csv_reader_free(ahead);
}

static void
test_same_records(void **state)
{
	size_t len, n;
	long line;
	char *data = make_input(20000, 0, &len); /* about ten batches */

	(void)state;
	compare(data, len, 0, true, &n, &line);
	assert_int_equal(n, 20000);
	assert_int_equal(line, 0);
	compare(data, len, 0, false, &n, &line);
	assert_int_equal(n, 20000);
	compare(data, len, 3, true, &n, &line); /* records split across reads */
	assert_int_equal(n, 20000);
	free(data);
}

static void
test_same_error(void **state)
{
	size_t len, n;
	long line;
	char *data = make_input(9000, 6000, &len);

	(void)state;
	compare(data, len, 0, true, &n, &line);
	assert_int_equal(n, 5999); /* every record before the bad one */
	assert_true(line > 6000);  /* two-line records and blank lines come before it */
	compare(data, len, 0, false, &n, &line);
	assert_int_equal(n, 5999);
	free(data);
}

static void
test_empty_input(void **state)
{
	static const char only_header[] = "tag,name,value,note\n";
	size_t n;
	long line;

	(void)state;
	compare(only_header, sizeof only_header - 1, 0, true, &n, &line);
	assert_int_equal(n, 0);
	assert_int_equal(line, 0);
}

/* Stopping after a few records, with the reader thread still busy, returns. */
static void
test_stop_early(void **state)
{
	size_t len;
	char *data = make_input(50000, 0, &len);
	oa_csv_reader *r = open_input(data, len, 0);
	oa_error err;
	oa_csv_prefetch *p = oa_csv_prefetch_start(r, true, &err);
	oa_csv_record rec;

	(void)state;
	assert_non_null(p);
	for (int i = 0; i < 10; i++)
		assert_int_equal(oa_csv_prefetch_next(p, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "T10");
	oa_csv_prefetch_stop(p);
	oa_csv_reader_free(r);
	free(data);
}

/*
 * Stopping while the reader thread waits for more input from a pipe whose
 * writer stays open returns at once (the thread is cancelled in read(2)).
 */
static void
test_stop_while_pipe_open(void **state)
{
	int fds[2];
	oa_error err;
	oa_csv_reader *r;
	oa_csv_prefetch *p;
	oa_csv_record rec;
	FILE *w;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	w = fdopen(fds[1], "w");
	assert_non_null(w);
	fputs("tag,name,value,note\n", w);
	for (int i = 0; i < 2100; i++) /* one full batch and part of the next */
		fprintf(w, "a%d,b,c,d\n", i);
	fflush(w);
	r = oa_csv_reader_fdopen(fds[0], "pipe", NULL, &err);
	assert_non_null(r);
	assert_int_equal(oa_csv_read(r, &err), 1);
	p = oa_csv_prefetch_start(r, true, &err);
	assert_non_null(p);
	assert_int_equal(oa_csv_prefetch_next(p, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "a0");
	usleep(300 * 1000); /* time for the thread to read all 2100 and wait for more */
	alarm(10);          /* a hang fails the test */
	oa_csv_prefetch_stop(p);
	alarm(0);
	oa_csv_reader_free(r);
	fclose(w);
	close(fds[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_records),
		cmocka_unit_test(test_same_error),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_stop_while_pipe_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
