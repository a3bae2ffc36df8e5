/*
 * test_depreciation.c - depreciation plans (depreciation.h), each checked
 * against arithmetic done by hand in the comments, in fen (0.01 yuan):
 * government straight-line from the month of acquisition, enterprise
 * straight-line with a residual value from the month after, double-
 * declining-balance and sum-of-years'-digits; the settings the government
 * basis refuses; low-value items and the schedule CSV.
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

#include "depreciation.h"

static oa_date
day(const char *s)
{
	oa_date d;

	assert_int_equal(oa_date_parse(s, strlen(s), &d), 0);
	return d;
}

static int
month(const char *s)
{
	int m = oa_month_parse(s);

	assert_true(m >= 0);
	return m;
}

/* Settings from INI text. */
static void
settings(oa_dep_settings *s, const char *ini, int expect)
{
	char path[] = "/tmp/test_dep_XXXXXX";
	int fd = mkstemp(path);
	oa_config *cfg;
	oa_error err;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
	close(fd);
	oa_error_clear(&err);
	cfg = oa_config_load(path, &err);
	assert_non_null(cfg);
	assert_int_equal(oa_dep_settings_load(s, cfg, &err), expect);
	oa_config_free(cfg);
	unlink(path);
}

/*
 * Government, straight-line, no residual, from the month of acquisition.
 * A computer of 6000.00 yuan (600000 fen), 6 years = 72 months, acquired
 * 2026-01-15:
 *   600000 / 72 = 8333.33 -> 8333 fen a month (83.33 yuan),
 *   71 months * 8333 = 591643, so the 72nd month is 600000 - 591643 = 8357.
 *   First month 2026-01 (当月增加当月计提), last 2026-01 + 71 = 2031-12.
 */
static void
test_government_straight_line(void **state)
{
	oa_dep_settings s;
	oa_dep_plan p;
	long long sum = 0;

	settings(&s, "[depreciation]\nbasis = government\n", 0);
	assert_false(s.next_month);
	assert_int_equal(oa_dep_plan_make(&s, 600000, 6, day("2026-01-15"), &p), 0);
	assert_int_equal(p.residual, 0);
	assert_int_equal(oa_dep_month_amount(&p, month("2025-12")), 0);
	assert_int_equal(oa_dep_month_amount(&p, month("2026-01")), 8333);
	assert_int_equal(oa_dep_month_amount(&p, month("2031-11")), 8333);
	assert_int_equal(oa_dep_month_amount(&p, month("2031-12")), 8357);
	assert_int_equal(oa_dep_month_amount(&p, month("2032-01")), 0);
	for (int m = month("2026-01"); m <= month("2031-12"); m++)
		sum += oa_dep_month_amount(&p, m);
	assert_int_equal(sum, 600000);
	/* The built-in life table of the government guide. */
	assert_int_equal(oa_dep_category_life(&s, "计算机设备"), 6);
	assert_int_equal(oa_dep_category_life(&s, "家具"), 15);
	oa_dep_settings_release(&s);
}

/*
 * Enterprise, straight-line, residual 5 %, from the month after.
 * 10000.00 yuan, 5 years = 60 months, acquired 2026-03-10:
 *   residual 1000000 * 5 % = 50000; depreciable 950000;
 *   950000 / 60 = 15833.33 -> 15833 a month; 59 * 15833 = 934147,
 *   last month 950000 - 934147 = 15853.
 *   2026-03 nothing (当月增加当月不提), first 2026-04, last 2031-03.
 */
static void
test_enterprise_straight_line(void **state)
{
	oa_dep_settings s;
	oa_dep_plan p;

	settings(&s, "[depreciation]\nbasis = enterprise\nresidual_rate = 0.05\n", 0);
	assert_true(s.next_month);
	assert_int_equal(oa_dep_plan_make(&s, 1000000, 5, day("2026-03-10"), &p), 0);
	assert_int_equal(p.residual, 50000);
	assert_int_equal(oa_dep_month_amount(&p, month("2026-03")), 0);
	assert_int_equal(oa_dep_month_amount(&p, month("2026-04")), 15833);
	assert_int_equal(oa_dep_month_amount(&p, month("2031-02")), 15833);
	assert_int_equal(oa_dep_month_amount(&p, month("2031-03")), 15853);
	assert_int_equal(oa_dep_month_amount(&p, month("2031-04")), 0);
	oa_dep_settings_release(&s);
}

/*
 * Double-declining-balance, 10000.00 yuan, 5 years, residual 5 %
 * (the textbook case), rate 2/5 = 40 % of the book value:
 *   year 1: 1000000 * 40 % = 400000, book 600000
 *   year 2:  600000 * 40 % = 240000, book 360000
 *   year 3:  360000 * 40 % = 144000, book 216000
 *   years 4 and 5: (216000 - 50000) / 2 = 83000 each
 *   total 400000 + 240000 + 144000 + 83000 + 83000 = 950000 = cost - residual.
 * Months: year 1 400000 / 12 = 33333.33 -> 33333, twelfth 400000 - 11 *
 * 33333 = 33337; year 4 83000 / 12 = 6916.67 -> 6917, twelfth 83000 -
 * 76087 = 6913.  Acquired 2025-12-20, so year 1 is 2026-01 .. 2026-12.
 */
static void
test_double_declining(void **state)
{
	oa_dep_settings s;
	oa_dep_plan p;
	long long year[5] = { 0 }, sum = 0;

	settings(&s, "[depreciation]\nbasis = enterprise\nmethod = 双倍余额递减法\n"
	             "residual_rate = 0.05\n", 0);
	assert_int_equal(s.method, OA_DEP_DOUBLE_DECLINING);
	assert_int_equal(oa_dep_plan_make(&s, 1000000, 5, day("2025-12-20"), &p), 0);
	for (int y = 0; y < 5; y++)
		for (int m = 0; m < 12; m++)
			year[y] += oa_dep_month_amount(&p, month("2026-01") + y * 12 + m);
	assert_int_equal(year[0], 400000);
	assert_int_equal(year[1], 240000);
	assert_int_equal(year[2], 144000);
	assert_int_equal(year[3], 83000);
	assert_int_equal(year[4], 83000);
	for (int y = 0; y < 5; y++)
		sum += year[y];
	assert_int_equal(sum, 950000);
	assert_int_equal(oa_dep_month_amount(&p, month("2026-01")), 33333);
	assert_int_equal(oa_dep_month_amount(&p, month("2026-12")), 33337);
	assert_int_equal(oa_dep_month_amount(&p, month("2029-01")), 6917);
	assert_int_equal(oa_dep_month_amount(&p, month("2029-12")), 6913);
	assert_int_equal(oa_dep_month_amount(&p, month("2031-01")), 0);
	oa_dep_settings_release(&s);
}

/*
 * Sum-of-years'-digits, same asset: depreciable 950000, digits 1+..+5 = 15:
 *   year 1: 950000 * 5/15 = 316666.67 -> 316667
 *   year 2: 950000 * 4/15 = 253333.33 -> 253333
 *   year 3: 950000 * 3/15 = 190000
 *   year 4: 950000 * 2/15 = 126666.67 -> 126667
 *   year 5: the rest, 950000 - 886667 = 63333
 * Month 1: 316667 / 12 = 26388.92 -> 26389; twelfth 316667 - 11 * 26389
 * = 316667 - 290279 = 26388.
 */
static void
test_sum_of_years(void **state)
{
	oa_dep_settings s;
	oa_dep_plan p;
	long long year[5] = { 0 };
	static const long long want[5] = { 316667, 253333, 190000, 126667, 63333 };

	settings(&s, "[depreciation]\nbasis = enterprise\nmethod = sum-of-years\n"
	             "residual_rate = 0.05\n", 0);
	assert_int_equal(oa_dep_plan_make(&s, 1000000, 5, day("2025-12-20"), &p), 0);
	for (int y = 0; y < 5; y++) {
		for (int m = 0; m < 12; m++)
			year[y] += oa_dep_month_amount(&p, month("2026-01") + y * 12 + m);
		assert_int_equal(year[y], want[y]);
	}
	assert_int_equal(oa_dep_month_amount(&p, month("2026-01")), 26389);
	assert_int_equal(oa_dep_month_amount(&p, month("2026-12")), 26388);
	oa_dep_settings_release(&s);
}

/* What the government basis refuses, and bad values. */
static void
test_settings_refused(void **state)
{
	oa_dep_settings s;

	settings(&s, "[depreciation]\nmethod = double-declining\n", -1);
	settings(&s, "[depreciation]\nresidual_rate = 0.05\n", -1);
	settings(&s, "[depreciation]\nbasis = enterprise\nmethod = fastest\n", -1);
	settings(&s, "[depreciation]\nbasis = enterprise\nresidual_rate = 0.9\n", -1);
	settings(&s, "[depreciation]\nstart = whenever\n", -1);
	settings(&s, "[depreciation]\nbasis = enterprise\nstart = same-month\n"
	             "[depreciation.lives]\n电子设备 = 4\n", 0);
	assert_false(s.next_month);
	assert_int_equal(oa_dep_category_life(&s, "电子设备"), 4);
	oa_dep_settings_release(&s);
}

/*
 * A schedule over a small register: the low-value chair is left out, the
 * computer (6000.00, 6 years, 2026-01) shows 83.33 a month, and per
 * department the two fixed assets of 办公室 add up.  Second asset: a
 * printer of 3600.00, 3 years (36 months): 360000 / 36 = 10000 = 100.00
 * a month, from 2026-02.  So 办公室 2026-02: 83.33 + 100.00 = 183.33,
 * accumulated 2 * 83.33 + 100.00 = 266.66.
 */
static void
test_schedule(void **state)
{
	static const char reg_text[] =
		"tag,name,category,class,value,acquired,life,department,status\n"
		"A-1,电脑,计算机设备,fixed,6000.00,2026-01-15,6,办公室,in-use\n"
		"A-2,打印机,办公设备,fixed,3600,2026-02-01,3,办公室,in-use\n"
		"A-3,椅子,家具,low-value,300,2026-01-15,5,办公室,in-use\n";
	char path[] = "/tmp/test_dep_reg_XXXXXX";
	int fd = mkstemp(path);
	oa_register reg;
	oa_dep_settings s;
	oa_dep_counts counts;
	oa_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	oa_csv_writer *w;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, reg_text, strlen(reg_text)), (ssize_t)strlen(reg_text));
	close(fd);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), 0);
	settings(&s, "[general]\n", 0);
	mem = open_memstream(&buf, &len);
	w = oa_csv_writer_new(mem, false);
	assert_int_equal(oa_depreciation_write(&reg, NULL, &s, month("2026-01"), month("2026-02"),
	                                       true, w, "mem", &counts, &err), 0);
	oa_csv_writer_free(w);
	fclose(mem);
	assert_string_equal(buf, "department,month,assets,depreciation,accumulated,net_value\n"
	                         "办公室,2026-01,1,83.33,83.33,5916.67\n"
	                         "办公室,2026-02,2,183.33,266.66,9333.34\n");
	assert_int_equal(counts.assets, 2);
	assert_int_equal(counts.low_value, 1);
	free(buf);
	oa_dep_settings_release(&s);
	oa_register_release(&reg);
	unlink(path);
}

/* Months as typed: 2026-03, 2026-3, 2026/3, 2026年3月 are March 2026; others none. */
static void
test_month_forms(void **state)
{
	static const char *const march[] = { "2026-03", "2026-3", "2026/3", "2026/03", "2026年3月" };
	static const char *const bad[] = { "", "2026", "2026-13", "2026/0", "2026年13月", "x",
		                           "2026-03-05", "03/2026" };
	(void)state;
	for (size_t i = 0; i < sizeof march / sizeof march[0]; i++)
		assert_int_equal(oa_month_parse(march[i]), 2026 * 12 + 2);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(oa_month_parse(bad[i]), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_government_straight_line),
		cmocka_unit_test(test_enterprise_straight_line),
		cmocka_unit_test(test_double_declining),
		cmocka_unit_test(test_sum_of_years),
		cmocka_unit_test(test_settings_refused),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_month_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
