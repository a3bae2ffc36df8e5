/*
 * test_stocktake.c - reconciling a register with scans: the status words,
 * the hash, the join with every status (on one thread and on two, by
 * offset and sequentially), findings and summary as CSV text, and the
 * errors (duplicate tag naming both lines).
 *
 * Tags were checked with the MOD 37,36 recurrence by hand as in
 * test_tag.c: ADM-2026-000123-7 (worked there), and the same way
 * ADM-2026-000124-5, -000126-1, -000127-0, -000128-Y, -000200-D.
 * ADM-2026-000132-7 swaps "23" of the first and is invalid.
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

#include "stocktake.h"

#define S(s) s, strlen(s)

static char dir[] = "/tmp/test_stocktake.XXXXXX";

static char *
write_file(const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *fp;

	sprintf(path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* Tag not first, a quoted newline, statuses in English; ADM-...-125-3 is not used. */
static const char register_csv[] =
	"name,tag,department,location,status\n"
	"\"Desk\nlarge\",ADM-2026-000123-7,Office,R1,in-use\n"
	"Chair,ADM-2026-000124-5,Office,R1,in-use\n"
	"Phone,ADM-2026-000126-1,IT,R2,missing\n"
	"PC,ADM-2026-000127-0,IT,R3,lent\n"
	"Mouse,ADM-2026-000128-Y,IT,R3,\n";

/* Location r1 folds to R1: not moved. */
static const char scan_csv[] =
	"location,tag,scanned_by\n"
	"r1,adm-2026-000123-7,Li\n"
	"R9,ADM-2026-000124-5,Li\n"
	"R2,ADM-2026-000126-1,Li\n"
	"R2,ADM-2026-000132-7,Li\n"
	"R2,ADM-2026-000200-D,Li\n";

static const char scan_txt[] = "ADM-2026-000123-7\n";

static const char expected[] =
	"status,tag,name,department,custodian,location,found_location,scanned_by,detail\n"
	"moved,ADM-2026-000124-5,Chair,Office,,R1,R9,Li,\n"
	"recovered,ADM-2026-000126-1,Phone,IT,,R2,R2,Li,registered as missing\n"
	"lent,ADM-2026-000127-0,PC,IT,,R3,,,\"lent, not scanned\"\n"
	"missing,ADM-2026-000128-Y,Mouse,IT,,R3,,,not found\n"
	"misread,ADM-2026-000132-7,,,,,R2,Li,check character wrong; registered tag one edit away: "
	"ADM-2026-000123-7; %1$s:5\n"
	"surplus,ADM-2026-000200-D,,,,,R2,Li,not in the register; %1$s:6\n"
	"duplicate,ADM-2026-000123-7,\"Desk\nlarge\",Office,,R1,,,\"scanned 2 times: %1$s:2, %2$s:1\"\n";

static char *
findings(oa_stocktake *st, bool all)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	oa_csv_writer *w = oa_csv_writer_new(fp, false);
	oa_error err;

	oa_error_clear(&err);
	assert_int_equal(oa_stocktake_write_findings(st, w, all, "mem", &err), 0);
	oa_csv_writer_free(w);
	fclose(fp);
	return text;
}

static void
check_run(const char *reg, const char *csv, const char *txt, int threads, oa_encoding enc)
{
	const char *scans[2] = { csv, txt };
	oa_stocktake_options opt;
	oa_stocktake *st;
	oa_error err;
	char want[2048];
	char *got;

	oa_stocktake_options_init(&opt);
	opt.threads = threads;
	opt.csv.encoding = enc;
	oa_error_clear(&err);
	st = oa_stocktake_run(reg, scans, 2, &opt, &err);
	if (st == NULL)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	assert_int_equal(oa_stocktake_count(st, OA_ST_OK), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_MOVED), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_RECOVERED), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_LENT), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_MISSING), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_MISREAD), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_SURPLUS), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_DUPLICATE), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_DISPOSED), 0);
	assert_int_equal(oa_stocktake_findings(st), 7);
	assert_int_equal(oa_stocktake_date(st), -1);
	got = findings(st, false);
	snprintf(want, sizeof want, expected, csv, txt);
	assert_string_equal(got, want);
	free(got);
	oa_stocktake_free(st);
}

static void
test_join_two_threads(void **state)
{
	char *reg = write_file("reg.csv", register_csv);
	char *csv = write_file("a.csv", scan_csv);
	char *txt = write_file("b.txt", scan_txt);

	(void)state;
	check_run(reg, csv, txt, 2, OA_ENC_AUTO);
	check_run(reg, csv, txt, 1, OA_ENC_AUTO);
	free(reg);
	free(csv);
	free(txt);
}

/* GB18030 input: rows are read again sequentially; same answer. */
static void
test_join_gb18030(void **state)
{
	/* "办公室" in GB18030: B0 EC B9 AB CA D2. */
	char *reg = write_file("reg-gb.csv",
	                       "tag,department,location\n"
	                       "ADM-2026-000123-7,\xB0\xEC\xB9\xAB\xCA\xD2,R1\n"
	                       "ADM-2026-000124-5,\xB0\xEC\xB9\xAB\xCA\xD2,R1\n");
	char *scan = write_file("gb-scan.txt", "ADM-2026-000123-7\n");
	const char *scans[1] = { scan };
	oa_stocktake *st;
	oa_error err;
	char *got;

	(void)state;
	oa_error_clear(&err);
	st = oa_stocktake_run(reg, scans, 1, NULL, &err);
	assert_non_null(st);
	got = findings(st, false);
	assert_string_equal(got,
	                    "status,tag,name,department,custodian,location,found_location,scanned_by,detail\n"
	                    "missing,ADM-2026-000124-5,,办公室,,R1,,,not found\n");
	free(got);
	oa_stocktake_free(st);
	free(reg);
	free(scan);
}

static void
test_summary(void **state)
{
	char *reg = write_file("reg.csv", register_csv);
	char *csv = write_file("a.csv", scan_csv);
	char *txt = write_file("b.txt", scan_txt);
	const char *scans[2] = { csv, txt };
	oa_stocktake *st;
	oa_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	oa_csv_writer *w;

	(void)state;
	oa_error_clear(&err);
	st = oa_stocktake_run(reg, scans, 2, NULL, &err);
	assert_non_null(st);
	fp = open_memstream(&text, &len);
	w = oa_csv_writer_new(fp, false);
	assert_int_equal(oa_stocktake_write_summary(st, w, "mem", &err), 0);
	oa_csv_writer_free(w);
	fclose(fp);
	/*
	 * Each asset once: Office: 123 scanned twice (found, so counted as
	 * duplicate only, not also ok), 124 moved; IT: 126 recovered, 127
	 * lent, 128 missing; unassigned: one surplus, one misread.  7 in all.
	 */
	assert_string_equal(text,
	                    "department,missing,surplus,moved,duplicate,misread,disposed,recovered,lent,"
	                    "repair,returned,ok\n"
	                    "Office,0,0,1,1,0,0,0,0,0,0,0\n"
	                    "IT,1,0,0,0,0,0,1,1,0,0,0\n"
	                    ",0,1,0,0,1,0,0,0,0,0,0\n"
	                    "total,1,1,1,1,1,0,1,1,0,0,0\n");
	free(text);
	oa_stocktake_free(st);
	free(reg);
	free(csv);
	free(txt);
}

static void
test_duplicate_register_tag(void **state)
{
	char *reg = write_file("dup.csv",
	                       "tag,name\n"
	                       "ADM-2026-000123-7,a\n"
	                       "\"ADM-2026-000124-5\",\"b\nb\"\n"
	                       " adm-2026-000123-7 ,c\n");
	char *scan = write_file("s.txt", "ADM-2026-000123-7\n");
	const char *scans[1] = { scan };
	oa_error err;

	(void)state;
	oa_error_clear(&err);
	assert_null(oa_stocktake_run(reg, scans, 1, NULL, &err));
	assert_string_equal(err.file, reg);
	assert_int_equal(err.line, 5);
	assert_string_equal(err.msg, "duplicate tag \"ADM-2026-000123-7\" (also on line 2)");
	free(reg);
	free(scan);
}

static void
test_scan_errors(void **state)
{
	char *reg = write_file("reg.csv", register_csv);
	char *empty = write_file("empty.csv", "tag,location\nADM-2026-000123-7,R1\n  ,R2\n");
	char *date = write_file("date.csv", "tag,scanned_at\nADM-2026-000123-7,2026-06-31\n");
	char *ok = write_file("ok.csv", "tag,scanned_at\nADM-2026-000123-7,2026-06-28 10:00\n"
	                                 "ADM-2026-000124-5, 2026-06-29 \n");
	const char *scans[1];
	oa_stocktake *st;
	oa_error err;

	(void)state;
	scans[0] = empty;
	oa_error_clear(&err);
	assert_null(oa_stocktake_run(reg, scans, 1, NULL, &err));
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "empty tag (a row without a tag: fill it in, or delete the row)");

	scans[0] = date;
	oa_error_clear(&err);
	assert_null(oa_stocktake_run(reg, scans, 1, NULL, &err));
	assert_int_equal(err.line, 2);

	scans[0] = ok;
	oa_error_clear(&err);
	st = oa_stocktake_run(reg, scans, 1, NULL, &err);
	assert_non_null(st);
	/* 2026-06-29 is day 20633 since 1970-01-01: 56 years with 14 leap days, then 179 days. */
	assert_int_equal(oa_stocktake_date(st), 56 * 365 + 14 + 179);
	oa_stocktake_free(st);
	free(reg);
	free(empty);
	free(date);
	free(ok);
}


/* Runs REG against SCANS (n files) with OPT (NULL: defaults); NULL and err on error. */
static oa_stocktake *
run_n(const char *reg, const char *const *scans, size_t n, const oa_stocktake_options *opt,
      oa_error *err)
{
	oa_error_clear(err);
	return oa_stocktake_run(reg, scans, n, opt, err);
}

/*
 * Repair and lent never become missing; found, they are "returned".  A
 * tag scanned in two rooms is a duplicate, never moved, whatever the order
 * of the files; the summary counts it once.  Recovered and found
 * elsewhere: relocated.
 */
static void
test_repair_returned_and_conflicts(void **state)
{
	char *reg = write_file("r4.csv", "tag,location,status\n"
	                                 "ADM-2026-000123-7,R1,维修\n"
	                                 "ADM-2026-000124-5,R1,借出\n"
	                                 "ADM-2026-000126-1,R2,丢失\n"
	                                 "ADM-2026-000127-0,R3,在用\n"
	                                 "ADM-2026-000128-Y,R3,\n");
	char *a = write_file("a4.csv", "tag,location\nADM-2026-000124-5,R1\n"
	                               "ADM-2026-000126-1,R9\nADM-2026-000127-0,R3\n");
	char *b = write_file("b4.csv", "tag,location\nADM-2026-000127-0,R7\n");
	const char *ab[2] = { a, b }, *ba[2] = { b, a };
	oa_stocktake *st;
	oa_error err;
	char *got1, *got2, *upd = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	st = run_n(reg, ab, 2, NULL, &err);
	assert_non_null(st);
	assert_int_equal(oa_stocktake_count(st, OA_ST_REPAIR), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_RETURNED), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_RECOVERED), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_DUPLICATE), 1);
	assert_int_equal(oa_stocktake_count(st, OA_ST_MOVED), 0);
	assert_int_equal(oa_stocktake_count(st, OA_ST_MISSING), 1);
	got1 = findings(st, false);
	fp = open_memstream(&upd, &len);
	assert_int_equal(oa_stocktake_write_update(st, fp, 20000, true, "mem", &err), 0);
	fclose(fp);
	/* 1970-01-01 + 20000 days = 2024-10-04. */
	assert_string_equal(upd, "tag,location,status,last_audit\n"
	                         "ADM-2026-000123-7,R1,维修,\n"
	                         "ADM-2026-000124-5,R1,借出,2024-10-04\n"
	                         "ADM-2026-000126-1,R9,在用,2024-10-04\n"
	                         "ADM-2026-000127-0,R3,在用,2024-10-04\n"
	                         "ADM-2026-000128-Y,R3,丢失,\n");
	free(upd);
	oa_stocktake_free(st);
	st = run_n(reg, ba, 2, NULL, &err);
	assert_non_null(st);
	got2 = findings(st, false);
	assert_string_equal(got1, got2);
	assert_non_null(strstr(got1, "repair,ADM-2026-000123-7,,,,R1,,,\"in repair, not scanned\"\n"));
	assert_non_null(strstr(got1, "returned,ADM-2026-000124-5,,,,R1,R1,,\"registered as 借出, found\"\n"));
	assert_null(strstr(got1, "moved"));
	oa_stocktake_free(st);
	free(got1);
	free(got2);
	free(reg);
	free(a);
	free(b);
}

/* No scans is an error; too many newly missing fails the check; dates. */
static void
test_no_scans_share_and_dates(void **state)
{
	char *reg = write_file("reg.csv", register_csv);
	char *empty = write_file("e.csv", "tag,location\n,\n");
	char *one = write_file("one.txt", "ADM-2026-000123-7\n");
	char *dates = write_file("d.csv", "tag,scanned_at\nADM-2026-000123-7,2026-06-28\n"
	                                  "ADM-2026-000124-5,2026-06-29\n"
	                                  "ADM-2026-000126-1,2026-01-01\n"
	                                  "ADM-2026-000127-0,2026-12-31\n");
	const char *scans[1];
	oa_stocktake_options opt;
	oa_stocktake *st;
	oa_error err;

	(void)state;
	scans[0] = empty;
	assert_null(run_n(reg, scans, 1, NULL, &err));
	assert_non_null(strstr(err.msg, "no scans"));

	/* Register: 123, 124 (in-use), 126 (missing), 127 (lent), 128: 124 and 128 newly missing. */
	scans[0] = one;
	st = run_n(reg, scans, 1, NULL, &err);
	assert_non_null(st);
	assert_int_equal(oa_stocktake_check_missing(st, 0.5, &err), 0);  /* 2 of 5 */
	assert_int_equal(oa_stocktake_check_missing(st, 0.3, &err), -1);
	assert_non_null(strstr(err.msg, "2 of the register's 5 assets (40%)"));
	oa_stocktake_free(st);

	oa_stocktake_options_init(&opt);
	assert_int_equal(oa_date_parse(S("2026-07-01"), &opt.today), 0);
	scans[0] = dates;
	assert_null(run_n(reg, scans, 1, &opt, &err));
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "2026-12-31 is after today (2026-07-01)"));
	opt.date_given = true;
	st = run_n(reg, scans, 1, &opt, &err);
	assert_non_null(st);
	assert_int_equal(oa_stocktake_nwarnings(st), 2);
	assert_int_equal(oa_stocktake_warning(st, 0)->line, 4); /* 2026-01-01: far */
	assert_non_null(strstr(oa_stocktake_warning(st, 0)->msg, "warning: scanned_at 2026-01-01"));
	assert_int_equal(oa_stocktake_warning(st, 1)->line, 5); /* after today */
	/* The stock-take date: 2026-06-29, neither the far one nor the future one. */
	oa_date want;
	assert_int_equal(oa_date_parse(S("2026-06-29"), &want), 0);
	assert_int_equal(oa_stocktake_date(st), want);
	oa_stocktake_free(st);
	free(reg);
	free(empty);
	free(one);
	free(dates);
}

static void
test_register_status(void **state)
{
	static const struct {
		const char *text;
		oa_st_status kind;
	} cases[] = {
		{ "disposed", OA_ST_DISPOSED }, { " Disposed ", OA_ST_DISPOSED },
		{ "报废", OA_ST_DISPOSED },      { "已处置", OA_ST_DISPOSED },
		{ "missing", OA_ST_MISSING },   { "ＭＩＳＳＩＮＧ", OA_ST_MISSING },
		{ "丢失", OA_ST_MISSING },       { "盘亏", OA_ST_MISSING },
		{ "lent", OA_ST_LENT },         { "借出", OA_ST_LENT },
		{ "repair", OA_ST_REPAIR },     { "维修", OA_ST_REPAIR },
		{ "送修", OA_ST_REPAIR },        { "修理", OA_ST_REPAIR },
		{ "in-use", OA_ST_OK },         { "在用", OA_ST_OK },
		{ "", OA_ST_OK },               { "missing in action", OA_ST_OK },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(oa_stocktake_register_status(S(cases[i].text)), cases[i].kind);
}

static void
test_hash_and_names(void **state)
{
	(void)state;
	assert_true(oa_stocktake_hash("", 0) != 0);
	assert_true(oa_stocktake_hash(S("A")) != oa_stocktake_hash("A\0", 2));
	assert_true(oa_stocktake_hash(S("ADM-2026-000123-7")) !=
	            oa_stocktake_hash(S("ADM-2026-000132-7")));
	assert_true(oa_stocktake_hash(S("ADM-2026-000123-7")) ==
	            oa_stocktake_hash(S("ADM-2026-000123-7")));
	assert_string_equal(oa_st_status_name(OA_ST_OK), "ok");
	assert_string_equal(oa_st_status_name(OA_ST_MISREAD), "misread");
	assert_string_equal(oa_st_status_name(OA_ST_LENT), "lent");
	assert_string_equal(oa_stocktake_columns[6], "found_location");
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_two_threads),
		cmocka_unit_test(test_join_gb18030),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_duplicate_register_tag),
		cmocka_unit_test(test_scan_errors),
		cmocka_unit_test(test_register_status),
		cmocka_unit_test(test_repair_returned_and_conflicts),
		cmocka_unit_test(test_no_scans_share_and_dates),
		cmocka_unit_test(test_hash_and_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
