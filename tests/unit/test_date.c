/*
 * test_date.c - ISO 8601 dates, times, date-times and durations (date.h).
 *
 * Expected day numbers were worked out by hand: 2026-01-01 is 56 years of
 * 365 days plus 14 leap days (1972..2024) after 1970-01-01, so day 20454,
 * a Thursday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
test_date_known_days(void **state)
{
	static const struct {
		const char *s;
		oa_date day;
		int weekday;
	} cases[] = {
		{ "1970-01-01", 0, 4 },
		{ "1969-12-31", -1, 3 },
		{ "2000-01-01", 10957, 6 },
		{ "2000-03-01", 11017, 3 },   /* 10957 + 31 + 29 */
		{ "2026-01-01", 20454, 4 },
		{ "2026-03-01", 20513, 7 },   /* 20454 + 31 + 28 */
		{ "2026-10-01", 20727, 4 },   /* + 31+28+31+30+31+30+31+31+30 = 273 */
		{ "2026-12-31", 20818, 4 },
		{ "0001-01-01", -719162, 1 },
		{ "9999-12-31", 2932896, 5 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		oa_date d = 12345;
		char buf[11];

		assert_int_equal(oa_date_parse(cases[i].s, strlen(cases[i].s), &d), 0);
		assert_int_equal(d, cases[i].day);
		assert_int_equal(oa_date_weekday(d), cases[i].weekday);
		oa_date_format(d, buf);
		assert_string_equal(buf, cases[i].s);
	}
}

static void
test_date_rejects(void **state)
{
	static const char *const bad[] = {
		"2026-02-29", /* 2026 is not a leap year */
		"2026-02-30",
		"2100-02-29", /* divisible by 100, not by 400 */
		"1900-02-29",
		"2026-04-31",
		"2026-06-31",
		"2026-13-01",
		"2026-00-10",
		"2026-01-00",
		"2026-01-32",
		"0000-01-01",
		"2026-1-01",
		"2026-01-1",
		"26-01-01",
		"2026/01/01",
		"2026-01-01 ",
		" 2026-01-01",
		"2026-01-01x",
		"+026-01-01",
		"2026-0a-01",
		"20260101",
		"",
		"２０２６-01-01",
	};

	for (size_t i = 0; i < N(bad); i++) {
		oa_date d = 777;

		if (oa_date_parse(bad[i], strlen(bad[i]), &d) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(d, 777);
	}
	/* The length is the caller's: a valid prefix is not a date. */
	{
		oa_date d;
		assert_int_equal(oa_date_parse("2026-01-015", 10, &d), 0);
		assert_int_equal(d, 20454);
	}
}

static void
test_date_leap_years(void **state)
{
	static const struct {
		int y;
		int leap;
	} cases[] = {
		{ 2024, 1 }, { 2026, 0 }, { 2000, 1 }, { 1900, 0 }, { 2100, 0 },
		{ 2400, 1 }, { 4, 1 }, { 1, 0 }, { 9996, 1 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		oa_date d;

		assert_int_equal(oa_date_from_ymd(cases[i].y, 2, 29, &d), cases[i].leap ? 0 : -1);
		if (cases[i].leap) {
			oa_date d28, m1;
			assert_int_equal(oa_date_from_ymd(cases[i].y, 2, 28, &d28), 0);
			assert_int_equal(oa_date_from_ymd(cases[i].y, 3, 1, &m1), 0);
			assert_int_equal(d, d28 + 1);
			assert_int_equal(m1, d + 1);
		}
	}
	assert_int_equal(oa_date_from_ymd(10000, 1, 1, &(oa_date){ 0 }), -1);
	assert_int_equal(oa_date_from_ymd(0, 12, 31, &(oa_date){ 0 }), -1);
}

/* Every day from 1600 to 2400 follows the one before and converts back. */
static void
test_date_roundtrip(void **state)
{
	oa_date first, last, prev;
	int py = 1599, pm = 12, pd = 31;

	assert_int_equal(oa_date_from_ymd(1600, 1, 1, &first), 0);
	assert_int_equal(oa_date_from_ymd(2400, 12, 31, &last), 0);
	assert_int_equal(last - first + 1, 801 * 365 + 195); /* leap years 1600..2400 */
	prev = first - 1;
	for (oa_date d = first; d <= last; d++) {
		int y, m, dd;
		oa_date back;

		oa_date_to_ymd(d, &y, &m, &dd);
		if (dd == pd + 1 && m == pm && y == py) {
			/* next day in the month */
		} else {
			assert_int_equal(dd, 1);
			assert_true((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1));
		}
		assert_int_equal(oa_date_from_ymd(y, m, dd, &back), 0);
		assert_int_equal(back, d);
		assert_int_equal(oa_date_weekday(d), (oa_date_weekday(prev) % 7) + 1);
		py = y;
		pm = m;
		pd = dd;
		prev = d;
	}
}

static void
test_time_parse(void **state)
{
	static const struct {
		const char *s;
		int minutes; /* -1: rejected */
	} cases[] = {
		{ "00:00", 0 },    { "08:30", 510 }, { "12:00", 720 }, { "17:30", 1050 },
		{ "23:59", 1439 }, { "24:00", -1 },  { "12:60", -1 },  { "8:30", -1 },
		{ "08:3", -1 },    { "08-30", -1 },  { "0830", -1 },   { "08:30 ", -1 },
		{ "", -1 },        { "ab:cd", -1 },  { "-1:00", -1 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		int m = -42;
		int rc = oa_time_parse(cases[i].s, strlen(cases[i].s), &m);

		if (cases[i].minutes < 0) {
			if (rc != -1)
				fail_msg("accepted \"%s\"", cases[i].s);
		} else {
			char buf[6];

			if (rc != 0)
				fail_msg("rejected \"%s\"", cases[i].s);
			assert_int_equal(m, cases[i].minutes);
			oa_time_format(m, buf);
			assert_string_equal(buf, cases[i].s);
		}
	}
}

static void
test_datetime_parse(void **state)
{
	static const oa_minute mar1 = (oa_minute)20513 * 1440; /* 2026-03-01 00:00 */
	static const struct {
		const char *s;
		unsigned flags;
		int ok;
		oa_minute t;
	} cases[] = {
		{ "2026-03-01 08:30", 0, 1, mar1 + 510 },
		{ "2026-03-01T08:30", 0, 1, mar1 + 510 },
		{ "2026-03-01 08:30:59", 0, 1, mar1 + 510 },
		{ "2026-03-01T23:59:00", 0, 1, mar1 + 1439 },
		{ "2026-03-01", OA_DATETIME_DATE_OK, 1, mar1 },
		{ "2026-03-01", 0, 0, 0 },
		{ "2026-03-01 24:00", 0, 0, 0 },
		{ "2026-03-01 08:30:60", 0, 0, 0 },
		{ "2026-03-01 08:30:5", 0, 0, 0 },
		{ "2026-03-01x08:30", 0, 0, 0 },
		{ "2026-03-01  08:30", 0, 0, 0 },
		{ "2026-02-29 08:30", 0, 0, 0 },
		{ "2026-03-01 8:30", 0, 0, 0 },
		{ "2026-03-01 08:30Z", 0, 0, 0 },
		{ "2026-03-01 08:30+08:00", 0, 0, 0 },
		{ "", OA_DATETIME_DATE_OK, 0, 0 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		oa_minute t = -5;
		int rc = oa_datetime_parse(cases[i].s, strlen(cases[i].s), cases[i].flags, &t);

		if (!cases[i].ok) {
			if (rc != -1)
				fail_msg("accepted \"%s\"", cases[i].s);
			continue;
		}
		if (rc != 0)
			fail_msg("rejected \"%s\"", cases[i].s);
		assert_int_equal(t, cases[i].t);
	}
}

static void
test_datetime_format(void **state)
{
	char buf[17];

	oa_datetime_format((oa_minute)20513 * 1440 + 510, buf);
	assert_string_equal(buf, "2026-03-01 08:30");
	oa_datetime_format(-1, buf);
	assert_string_equal(buf, "1969-12-31 23:59");
	oa_datetime_format(0, buf);
	assert_string_equal(buf, "1970-01-01 00:00");
}

static void
test_duration_parse(void **state)
{
	static const struct {
		const char *s;
		long minutes; /* -1: rejected */
	} cases[] = {
		{ "90", 90 },
		{ "90m", 90 },
		{ "90min", 90 },
		{ "90 minutes", 90 },
		{ "1h", 60 },
		{ "1H", 60 },
		{ "1h30m", 90 },
		{ "1h 30m", 90 },
		{ " 1h30m ", 90 },
		{ "1.5h", 90 },
		{ "0.25h", 15 },
		{ "2d", 2880 },
		{ "1d2h3m", 1440 + 120 + 3 },
		{ "1小时30分钟", 90 },
		{ "1小时30分", 90 },
		{ "90分钟", 90 },
		{ "半小时", 30 },
		{ "1个半小时", 90 },
		{ "2个小时", 120 },
		{ "2天", 2880 },
		{ "0h30m", 30 },
		{ "两小时", 120 },
		{ "两个小时", 120 },
		{ "一个半小时", 90 },
		{ "四十五分钟", 45 },
		{ "十分钟", 10 },
		{ "十五分钟", 15 },
		{ "二十分钟", 20 },
		{ "一小时三十分钟", 90 },
		{ "三天", 4320 },
		{ "半天", 720 },
		{ "九十", -1 },       /* Chinese numbers need a unit */
		{ "五五分钟", -1 },
		{ "十十分钟", -1 },
		{ "零分钟", -1 },
		{ "", -1 },
		{ "   ", -1 },
		{ "0", -1 },
		{ "0m", -1 },
		{ "-5", -1 },
		{ "h", -1 },
		{ "1.h", -1 },
		{ ".5h", -1 },
		{ "1.5", -1 },      /* a bare number is whole minutes */
		{ "0.01h", -1 },    /* 0.6 min: not a whole minute */
		{ "1h30", -1 },     /* the minutes need their unit */
		{ "30m1h", -1 },    /* units run large to small */
		{ "1h1h", -1 },
		{ "1x", -1 },
		{ "1hh", -1 },
		{ "半", -1 },
		{ "1.5个半小时", -1 },
		{ "99999999999999999999", -1 },
		{ "2000000000m", -1 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		long m = -42;
		int rc = oa_duration_parse(cases[i].s, strlen(cases[i].s), &m);

		if (cases[i].minutes < 0) {
			if (rc != -1)
				fail_msg("accepted \"%s\" as %ld", cases[i].s, m);
			assert_int_equal(m, -42);
		} else {
			if (rc != 0)
				fail_msg("rejected \"%s\"", cases[i].s);
			assert_int_equal(m, cases[i].minutes);
		}
	}
}

static void
test_today(void **state)
{
	oa_minute now = oa_minute_now();
	oa_date today = oa_date_today();

	/* Sanity only: after 2020-01-01 (18262) and consistent with each other. */
	assert_true(today > 18262);
	assert_true(now / 1440 == today || now / 1440 + 1 == today);
}

/* Issue 12 item 23: the forms Excel and WPS export. */
static void
test_date_parse_excel(void **state)
{
	static const struct {
		const char *in;
		int y, m, d; /* y 0: refused */
	} cases[] = {
		{ "2026-11-20", 2026, 11, 20 }, { "2026/11/20", 2026, 11, 20 },
		{ "2026/1/5", 2026, 1, 5 },     { "2026-1-5", 2026, 1, 5 },
		{ "2026.11.20", 2026, 11, 20 }, { " 2026/01/05 ", 2026, 1, 5 },
		{ "2026年11月20日", 2026, 11, 20 }, { "2026年1月5日", 2026, 1, 5 },
		{ "2024/2/29", 2024, 2, 29 },
		{ "2026/2/29", 0, 0, 0 },       /* no such day */
		{ "2026/11-20", 0, 0, 0 },      /* mixed separators */
		{ "11/20/2026", 0, 0, 0 },      /* month or day first: ambiguous */
		{ "20.11.2026", 0, 0, 0 },
		{ "2026年11月20", 0, 0, 0 },    /* 日 missing */
		{ "2026/111/2", 0, 0, 0 },
		{ "2026/11/20 10:00", 2026, 11, 20 }, /* Excel's date-time: the time dropped */
		{ "2026/11/20 0:00", 2026, 11, 20 },  { "2026-11-20 00:00:00", 2026, 11, 20 },
		{ "2026年11月20日 9:30", 2026, 11, 20 },
		{ "２０２６／１１／２０", 2026, 11, 20 }, /* full-width, as an IME types it */
		{ "２０２６年１１月２０日", 2026, 11, 20 }, { "２０２６－１１－２０", 2026, 11, 20 },
		{ "2026/11/20 24:00", 0, 0, 0 },      { "2026/11/20 9:5", 0, 0, 0 },
		{ "2026/11/20 :00", 0, 0, 0 },        { "2026/11/20 10:00:5", 0, 0, 0 },
		{ "2026/11/20 10", 0, 0, 0 },         { "2026/11/20 10:60", 0, 0, 0 },
		{ "2026/11/20 10:00 PM", 0, 0, 0 },   { "2026/11/20 ", 2026, 11, 20 },
		{ "２０２６／１１／２", 2026, 11, 2 },   { "11／20／2026", 0, 0, 0 },
		{ "46346", 0, 0, 0 },           /* an Excel serial: 1900 or 1904 based */
		{ "", 0, 0, 0 },
		{ "26/11/20", 0, 0, 0 },
	};
	oa_date d, want;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = oa_date_parse_excel(cases[i].in, strlen(cases[i].in), &d);

		if (cases[i].y == 0) {
			if (rc != -1)
				fail_msg("\"%s\" accepted", cases[i].in);
			continue;
		}
		if (rc != 0)
			fail_msg("\"%s\" refused", cases[i].in);
		oa_date_from_ymd(cases[i].y, cases[i].m, cases[i].d, &want);
		assert_int_equal(d, want);
	}
	assert_true(oa_date_looks_like_serial("46346", 5));
	assert_true(oa_date_looks_like_serial("46346.5", 7));
	assert_false(oa_date_looks_like_serial("2026-11-20", 10));
	assert_false(oa_date_looks_like_serial("12", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_known_days),
		cmocka_unit_test(test_date_rejects),
		cmocka_unit_test(test_date_leap_years),
		cmocka_unit_test(test_date_roundtrip),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_datetime_parse),
		cmocka_unit_test(test_datetime_format),
		cmocka_unit_test(test_duration_parse),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_date_parse_excel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
