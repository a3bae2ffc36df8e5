/*
 * test_fuzz_regressions.c - inputs the fuzz targets (fuzz/) found to crash
 * or to reach undefined behaviour, kept so that they stay fixed.  Each test
 * names the target and the function that was at fault.  They mean most
 * under `make check SANITIZE=1`, where undefined behaviour aborts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "ical.h"
#include "stocktake.h"

static char tmpdir[] = "/tmp/test_fuzz_regressions.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	return path;
}

/*
 * fuzz_ical, oa_ical_fold: a line with 80 UTF-8 continuation bytes and no
 * character boundary made the folding loop write line breaks forever,
 * past its buffer.  Now such bytes are cut where the line is full.
 * Worked out: "X" ends the first line (the only boundary within 75
 * octets is before the ':'); then ":" and 73 bytes fill a continuation
 * line (space + 74 octets = 75), and the last 7 bytes follow.
 */
static void
test_fold_continuation_run(void **state)
{
	char text[128], want[128];
	char *out;

	(void)state;
	memcpy(text, "X:", 2);
	memset(text + 2, 0x80, 80);
	text[82] = '\0';
	memcpy(want, "X\r\n :", 5);
	memset(want + 5, 0x80, 73);
	memcpy(want + 78, "\r\n ", 3);
	memset(want + 81, 0x80, 7);
	memcpy(want + 88, "\r\n", 3);
	out = oa_ical_fold(text);
	assert_non_null(out);
	assert_int_equal(strlen(out), 90);
	assert_memory_equal(out, want, 91);
	free(out);
}

struct counter {
	long n;
};

static int
count_busy(void *ctx, const oa_ical_who *who, size_t nwho, oa_minute start, oa_minute end,
           const char *summary, oa_error *err)
{
	struct counter *c = ctx;

	(void)who;
	(void)nwho;
	(void)summary;
	(void)err;
	assert_true(start < end);
	c->n++;
	return 0;
}

/*
 * fuzz_ical, oa_ical_read_busy: a DTEND that is no date of years 1..9999
 * once in local time (year 0, or 9999-12-31 23:59 UTC, which is year 10000
 * in Shanghai) became INT64_MIN and was subtracted from DTSTART (signed
 * overflow).  Such events are now skipped; the good event beside them is
 * still read.
 */
static void
test_busy_bad_dtend(void **state)
{
	const char *path = write_file("bad-dtend.ics",
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
		"BEGIN:VEVENT\r\nUID:bad1@example.org\r\nDTSTAMP:20260420T000000Z\r\n"
		"DTSTART;TZID=Asia/Shanghai:20260506T090000\r\n"
		"DTEND;TZID=Asia/Shanghai:00000000T100000\r\n"
		"SUMMARY:year 0\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:bad2@example.org\r\nDTSTAMP:20260420T000000Z\r\n"
		"DTSTART;TZID=Asia/Shanghai:20260506T090000\r\n"
		"DTEND:99991231T235900Z\r\n"
		"SUMMARY:year 10000 here\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:good@example.org\r\nDTSTAMP:20260420T000000Z\r\n"
		"DTSTART;TZID=Asia/Shanghai:20260507T090000\r\n"
		"DTEND;TZID=Asia/Shanghai:20260507T100000\r\n"
		"SUMMARY:good\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
	struct counter c = { 0 };
	oa_date from, to;
	oa_error err;

	(void)state;
	assert_int_equal(oa_date_from_ymd(2026, 5, 1, &from), 0);
	assert_int_equal(oa_date_from_ymd(2026, 6, 1, &to), 0);
	assert_int_equal(oa_ical_read_busy(path, "Asia/Shanghai", (oa_minute)from * 1440,
	                                   (oa_minute)to * 1440, count_busy, &c, &err), 1);
	assert_int_equal(c.n, 1);
}

/*
 * fuzz_stocktake, join() in stocktake.c: with no duplicate scan the
 * duplicates array is NULL and was passed to qsort (undefined, caught by
 * UBSan).  A stock-take without duplicates must simply work.
 */
static void
test_stocktake_no_duplicates(void **state)
{
	const char *reg = "tag,name,location\nBGS-2024-0001-E,PC,301\nBGS-2024-0002-C,Printer,301\n";
	char regpath[256];
	const char *scans[1];
	oa_stocktake_options opt;
	oa_stocktake *st;
	oa_error err;

	(void)state;
	snprintf(regpath, sizeof regpath, "%s", write_file("reg.csv", reg));
	scans[0] = write_file("scan.txt", "BGS-2024-0001-E\n");
	oa_stocktake_options_init(&opt);
	opt.threads = 1;
	st = oa_stocktake_run(regpath, scans, 1, &opt, &err);
	if (st == NULL)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	assert_int_equal(oa_stocktake_count(st, OA_ST_DUPLICATE), 0);
	assert_int_equal(oa_stocktake_count(st, OA_ST_MISSING), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_OK), 1);
	oa_stocktake_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_continuation_run),
		cmocka_unit_test(test_busy_bad_dtend),
		cmocka_unit_test(test_stocktake_no_duplicates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
