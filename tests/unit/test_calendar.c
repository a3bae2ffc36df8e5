/*
 * test_calendar.c - the working-day calendar (calendar.h).
 *
 * The 2026 China calendar (国务院办公厅, 2025-11-04) is worked by hand:
 * 2026 starts on a Thursday, so it has 52 weeks and one Thursday, 261
 * Monday-to-Friday days.  The holidays falling on those days are Jan 1-2
 * (2), Feb 16-20 and 23 (6), Apr 6 (1), May 1, 4, 5 (3), Jun 19 (1),
 * Sep 25 (1) and Oct 1, 2, 5, 6, 7 (5): 19.  The six 调休 days are all
 * weekend days: 261 - 19 + 6 = 248.
 *
 * Runs from the top of the source tree (tests/run.sh does), where it reads
 * examples/officeadm.ini.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "config.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char holidays_2026[] =
	"2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06, "
	"2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27, "
	"2026-10-01..2026-10-07";
static const char extra_2026[] =
	"2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10";

static oa_date
D(const char *s)
{
	oa_date d;

	if (oa_date_parse(s, strlen(s), &d) < 0)
		fail_msg("bad date in test: %s", s);
	return d;
}

static oa_minute
T(const char *s)
{
	oa_minute t;

	if (oa_datetime_parse(s, strlen(s), 0, &t) < 0)
		fail_msg("bad date-time in test: %s", s);
	return t;
}

/* The 2026 calendar built directly from the lists, without a config file. */
static void
make_2026(oa_calendar *cal)
{
	oa_calendar_init(cal);
	assert_int_equal(oa_calendar_parse_dates(holidays_2026, &cal->holidays, &cal->nholidays,
	                                         NULL), 0);
	assert_int_equal(oa_calendar_parse_dates(extra_2026, &cal->extra_workdays, &cal->nextra,
	                                         NULL), 0);
}

/* Writes TEXT to a temporary ini file and loads [calendar] from it. */
static int
load_text(const char *text, oa_calendar *cal, oa_error *err, char *path, size_t pathsz)
{
	char tmpl[] = "/tmp/test_calendar.XXXXXX";
	int fd = mkstemp(tmpl);
	oa_config *cfg;
	int rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	if (path)
		snprintf(path, pathsz, "%s", tmpl);
	oa_error_clear(err);
	cfg = oa_config_load(tmpl, err);
	assert_non_null(cfg);
	rc = oa_calendar_load(cal, cfg, err);
	oa_config_free(cfg);
	unlink(tmpl);
	return rc;
}

static void
test_defaults(void **state)
{
	oa_calendar cal;

	oa_calendar_init(&cal);
	assert_int_equal(cal.weekdays, 0x3e); /* bits 1..5 */
	assert_int_equal(cal.nhours, 2);
	assert_int_equal(cal.hours[0].start, 510);
	assert_int_equal(cal.hours[1].end, 1050);
	assert_int_equal(oa_calendar_minutes_per_day(&cal), 420);
	assert_string_equal(cal.timezone, "Asia/Shanghai");
	assert_true(oa_calendar_is_workday(&cal, D("2026-01-01")));  /* Thursday, no holidays */
	assert_false(oa_calendar_is_workday(&cal, D("2026-01-03"))); /* Saturday */
	oa_calendar_release(&cal);

	/* An empty config gives the same. */
	{
		oa_config *cfg = oa_config_empty();
		oa_error err;

		oa_error_clear(&err);
		assert_int_equal(oa_calendar_load(&cal, cfg, &err), 0);
		assert_int_equal(cal.weekdays, 0x3e);
		assert_int_equal(cal.nholidays, 0);
		assert_int_equal(oa_calendar_minutes_per_day(&cal), 420);
		oa_calendar_release(&cal);
		oa_config_free(cfg);
	}
}

static void
test_parse_dates(void **state)
{
	oa_date *dates;
	size_t n;
	oa_error err;

	assert_int_equal(oa_calendar_parse_dates("2026-05-09, 2026-05-01..2026-05-03,2026-05-02",
	                                         &dates, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_int_equal(dates[0], D("2026-05-01"));
	assert_int_equal(dates[1], D("2026-05-02"));
	assert_int_equal(dates[2], D("2026-05-03"));
	assert_int_equal(dates[3], D("2026-05-09"));
	free(dates);

	/* A range across a month and a leap day. */
	assert_int_equal(oa_calendar_parse_dates("2028-02-28..2028-03-01", &dates, &n, &err), 0);
	assert_int_equal(n, 3);
	free(dates);

	assert_int_equal(oa_calendar_parse_dates("", &dates, &n, &err), 0);
	assert_int_equal(n, 0);
	free(dates);

	static const struct {
		const char *list;
		const char *in_msg;
	} bad[] = {
		{ "2026-02-30", "\"2026-02-30\" is not a date" },
		{ "2026-01-01, 2026-13-01", "\"2026-13-01\"" },
		{ "2026-01-03..2026-01-01", "ends before it starts" },
		{ "2026-01-01..2026-1-3", "is not a date range" },
		{ "2026-01-01...2026-01-03", "is not a date range" },
		{ "2026-01-01..", "is not a date range" },
		{ "2026-01-01..2028-01-01", "longer than" },
		{ "元旦", "\"元旦\" is not a date" },
	};
	for (size_t i = 0; i < N(bad); i++) {
		oa_error_clear(&err);
		dates = (oa_date *)&n; /* must be reset to NULL on failure */
		assert_int_equal(oa_calendar_parse_dates(bad[i].list, &dates, &n, &err), -1);
		assert_null(dates);
		if (strstr(err.msg, bad[i].in_msg) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", bad[i].list, err.msg,
			         bad[i].in_msg);
	}
}

static void
test_2026_has_248_workdays(void **state)
{
	oa_calendar cal;

	make_2026(&cal);
	assert_int_equal(cal.nholidays, 3 + 9 + 3 + 5 + 3 + 3 + 7);
	assert_int_equal(cal.nextra, 6);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-01-01"), D("2026-12-31")), 248);
	/* Month by month, worked by hand: Jan 22-2+1, Feb 20-6+2, Oct 22-5+1. */
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-01-01"), D("2026-01-31")), 21);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-02-01"), D("2026-02-28")), 16);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-10-01"), D("2026-10-31")), 18);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-02-15"), D("2026-02-23")), 0);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-02-14"), D("2026-02-14")), 1);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-12-31"), D("2026-01-01")), 0);
	oa_calendar_release(&cal);
}

static void
test_example_config(void **state)
{
	oa_config *cfg;
	oa_calendar cal;
	oa_error err;

	oa_error_clear(&err);
	if (access("examples/officeadm.ini", R_OK) != 0)
		fail_msg("run from the top of the source tree: examples/officeadm.ini not found");
	cfg = oa_config_load("examples/officeadm.ini", &err);
	if (cfg == NULL)
		fail_msg("%s: %s", err.file, err.msg);
	if (oa_calendar_load(&cal, cfg, &err) < 0)
		fail_msg("%s: %s", err.file, err.msg);
	assert_int_equal(oa_calendar_count_workdays(&cal, D("2026-01-01"), D("2026-12-31")), 248);
	assert_true(oa_calendar_is_workday(&cal, D("2026-01-04")));  /* Sunday, 调休 */
	assert_false(oa_calendar_is_workday(&cal, D("2026-01-02"))); /* Friday, 元旦 */
	assert_int_equal(cal.weekdays, 0x3e);
	assert_int_equal(oa_calendar_minutes_per_day(&cal), 420);
	assert_string_equal(cal.timezone, "Asia/Shanghai");
	oa_calendar_release(&cal);
	oa_config_free(cfg);
}

static void
test_add_workdays_2026(void **state)
{
	static const struct {
		const char *from;
		int n;
		const char *want;
	} cases[] = {
		/* Spring Festival: Sat Feb 14 is worked, Feb 15-23 off, Sat Feb 28 worked. */
		{ "2026-02-13", 1, "2026-02-14" },
		{ "2026-02-13", 2, "2026-02-24" },
		{ "2026-02-12", 3, "2026-02-24" },
		{ "2026-02-14", 1, "2026-02-24" },
		{ "2026-02-15", 0, "2026-02-24" },
		{ "2026-02-14", 0, "2026-02-14" },
		{ "2026-02-27", 1, "2026-02-28" },
		{ "2026-02-27", 2, "2026-03-02" },
		{ "2026-02-24", -1, "2026-02-14" },
		{ "2026-02-24", -2, "2026-02-13" },
		/* National Day: Sun Sep 20 worked, Sep 25-27 and Oct 1-7 off, Sat Oct 10 worked. */
		{ "2026-09-18", 1, "2026-09-20" },
		{ "2026-09-24", 1, "2026-09-28" },
		{ "2026-09-30", 1, "2026-10-08" },
		{ "2026-09-30", 2, "2026-10-09" },
		{ "2026-09-30", 3, "2026-10-10" },
		{ "2026-09-30", 4, "2026-10-12" },
		{ "2026-10-08", -1, "2026-09-30" },
		/* New Year: Sun Jan 4 worked. */
		{ "2025-12-31", 1, "2026-01-04" },
		{ "2025-12-31", 2, "2026-01-05" },
		/* An ordinary stretch: ten working days from Mon Mar 2 is Mon Mar 16. */
		{ "2026-03-02", 10, "2026-03-16" },
	};
	oa_calendar cal;

	make_2026(&cal);
	for (size_t i = 0; i < N(cases); i++) {
		oa_date got = oa_calendar_add_workdays(&cal, D(cases[i].from), cases[i].n);
		char buf[11];

		oa_date_format(got, buf);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%s %+d: got %s, want %s", cases[i].from, cases[i].n, buf,
			         cases[i].want);
	}
	oa_calendar_release(&cal);
}

/* count_workdays (weekday arithmetic) agrees with walking day by day. */
static void
test_count_matches_walk(void **state)
{
	oa_calendar cal;
	oa_date base = D("2025-12-01");

	make_2026(&cal);
	cal.weekdays |= 1u << 6; /* Saturdays too: the 调休 Saturdays must not count twice */
	srand(7);
	for (int i = 0; i < 300; i++) {
		oa_date a = base + rand() % 420, b = a + rand() % 120;
		long walk = 0;

		for (oa_date d = a; d <= b; d++)
			walk += oa_calendar_is_workday(&cal, d);
		assert_int_equal(oa_calendar_count_workdays(&cal, a, b), walk);
		/* And add_workdays inverts it: the walk-th day after a-1 is the last one. */
		if (walk > 0) {
			oa_date last = oa_calendar_add_workdays(&cal, a - 1, (int)walk);
			assert_true(last <= b);
			assert_int_equal(oa_calendar_count_workdays(&cal, a, last), walk);
			assert_true(oa_calendar_is_workday(&cal, last));
		}
	}
	oa_calendar_release(&cal);
}

static void
test_working_moments(void **state)
{
	static const struct {
		const char *t;
		bool working;
		const char *next;
	} cases[] = {
		{ "2026-03-02 09:00", true, "2026-03-02 09:00" },   /* Monday morning */
		{ "2026-03-02 08:29", false, "2026-03-02 08:30" },
		{ "2026-03-02 08:30", true, "2026-03-02 08:30" },
		{ "2026-03-02 11:59", true, "2026-03-02 11:59" },
		{ "2026-03-02 12:00", false, "2026-03-02 14:00" },  /* lunch */
		{ "2026-03-02 13:59", false, "2026-03-02 14:00" },
		{ "2026-03-02 17:29", true, "2026-03-02 17:29" },
		{ "2026-03-02 17:30", false, "2026-03-03 08:30" },
		{ "2026-02-13 18:00", false, "2026-02-14 08:30" },  /* Fri evening -> 调休 Sat */
		{ "2026-02-14 12:30", false, "2026-02-14 14:00" },
		{ "2026-02-14 17:30", false, "2026-02-24 08:30" },  /* then the Spring Festival */
		{ "2026-02-18 10:00", false, "2026-02-24 08:30" },
		{ "2026-03-07 10:00", false, "2026-03-09 08:30" },  /* Saturday */
		{ "2026-09-30 23:59", false, "2026-10-08 08:30" },
	};
	oa_calendar cal;

	make_2026(&cal);
	for (size_t i = 0; i < N(cases); i++) {
		oa_minute t = T(cases[i].t);
		char buf[17];

		assert_int_equal(oa_calendar_is_working_moment(&cal, t), cases[i].working);
		oa_datetime_format(oa_calendar_next_working_moment(&cal, t), buf);
		if (strcmp(buf, cases[i].next) != 0)
			fail_msg("next after %s: got %s, want %s", cases[i].t, buf, cases[i].next);
	}
	oa_calendar_release(&cal);
}

static void
test_load_keys(void **state)
{
	oa_calendar cal;
	oa_error err;

	assert_int_equal(load_text("[calendar]\n"
	                           "workdays = 周一-周六\n"
	                           "hours = 14:00 - 18:00, 09:00-12:00\n"
	                           "holidays = 2026-05-01..2026-05-03\n"
	                           "timezone = UTC\n",
	                           &cal, &err, NULL, 0),
	                 0);
	assert_int_equal(cal.weekdays, 0x7e); /* Monday to Saturday */
	assert_int_equal(cal.nhours, 2);
	assert_int_equal(cal.hours[0].start, 540); /* sorted */
	assert_int_equal(cal.hours[1].end, 1080);
	assert_int_equal(oa_calendar_minutes_per_day(&cal), 180 + 240);
	assert_int_equal(cal.nholidays, 3);
	assert_string_equal(cal.timezone, "UTC");
	/* Sat May 2 is a holiday although Saturdays are worked. */
	assert_false(oa_calendar_is_workday(&cal, D("2026-05-02")));
	assert_true(oa_calendar_is_workday(&cal, D("2026-05-09")));
	oa_calendar_release(&cal);

	assert_int_equal(load_text("[calendar]\nworkdays = sat, sun, Mon\nhours = 00:00-24:00\n",
	                           &cal, &err, NULL, 0), 0);
	assert_int_equal(cal.weekdays, (1u << 6) | (1u << 7) | (1u << 1));
	assert_int_equal(oa_calendar_minutes_per_day(&cal), 1440);
	oa_calendar_release(&cal);

	/* Typed with a Chinese input method: full-width digits, colons, dashes, commas. */
	assert_int_equal(load_text("[calendar]\n"
	                           "workdays = 周一－周五，周六\n"
	                           "hours = ０８：３０－１２：００，14:00－17:30\n"
	                           "holidays = 2026－10－01..2026－10－07，２０２６-01-01\n",
	                           &cal, &err, NULL, 0),
	                 0);
	assert_int_equal(cal.weekdays, 0x7e);
	assert_int_equal(cal.hours[0].start, 510);
	assert_int_equal(cal.hours[1].end, 1050);
	assert_int_equal(cal.nholidays, 8);
	oa_calendar_release(&cal);

	/* A range wraps around the week. */
	assert_int_equal(load_text("[calendar]\nworkdays = fri-mon\n", &cal, &err, NULL, 0), 0);
	assert_int_equal(cal.weekdays, (1u << 5) | (1u << 6) | (1u << 7) | (1u << 1));
	oa_calendar_release(&cal);
}

static void
test_load_errors(void **state)
{
	static const struct {
		const char *text;
		const char *in_msg[3];
	} cases[] = {
		{ "[calendar]\nworkdays = mon,fry\n", { "[calendar] workdays", "\"fry\"", "expected" } },
		{ "[calendar]\nworkdays = \n", { "[calendar] workdays", "at least one", NULL } },
		{ "[calendar]\nworkdays = mon-xyz\n", { "[calendar] workdays", "mon-xyz", NULL } },
		{ "[calendar]\nhours = 8:30-12:00\n", { "[calendar] hours", "\"8:30-12:00\"", "expected" } },
		{ "[calendar]\nhours = 08:30\n", { "[calendar] hours", "not a period", NULL } },
		{ "[calendar]\nhours = 12:00-08:30\n", { "[calendar] hours", "ends before", NULL } },
		{ "[calendar]\nhours = 08:00-12:00, 11:00-13:00\n", { "[calendar] hours", "overlap", "11:00" } },
		{ "[calendar]\nhours =\n", { "[calendar] hours", "expected", NULL } },
		{ "[calendar]\nhours = 01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00,"
		  "11:00-12:00,13:00-14:00,15:00-16:00,17:00-18:00\n", { "[calendar] hours", "more than 8", NULL } },
		{ "[calendar]\nholidays = 2026-02-30\n", { "[calendar] holidays", "\"2026-02-30\"", "expected YYYY-MM-DD" } },
		{ "[calendar]\nextra_workdays = 2026-1-4\n", { "[calendar] extra_workdays", "\"2026-1-4\"", "expected" } },
		{ "[calendar]\nholidays = 2026-01-01..2026-01-03\nextra_workdays = 2026-01-02\n",
		  { "2026-01-02", "both holidays and extra_workdays", NULL } },
		{ "[calendar]\ntimezone = ../../etc/passwd\n", { "[calendar] timezone", "expected an IANA name", NULL } },
		{ "[calendar]\ntimezone = Asia/Shang hai\n", { "[calendar] timezone", NULL, NULL } },
	};

	for (size_t i = 0; i < N(cases); i++) {
		oa_calendar cal;
		oa_error err;
		char path[64];

		if (load_text(cases[i].text, &cal, &err, path, sizeof path) != -1)
			fail_msg("accepted: %s", cases[i].text);
		assert_string_equal(err.file, path);
		for (int j = 0; j < 3; j++)
			if (cases[i].in_msg[j] && strstr(err.msg, cases[i].in_msg[j]) == NULL)
				fail_msg("message \"%s\" lacks \"%s\"", err.msg, cases[i].in_msg[j]);
		/* Released on error: nothing left to free. */
		assert_null(cal.holidays);
		assert_null(cal.extra_workdays);
	}

	/* An unknown zone, where the zone database is installed to tell. */
	if (access("/usr/share/zoneinfo/Asia/Shanghai", R_OK) == 0 && getenv("TZDIR") == NULL) {
		oa_calendar cal;
		oa_error err;

		assert_int_equal(load_text("[calendar]\ntimezone = Mars/Olympus_Mons\n", &cal, &err,
		                           NULL, 0), -1);
		assert_non_null(strstr(err.msg, "unknown time zone \"Mars/Olympus_Mons\""));
	}
}

/*
 * Now in the calendar's zone, not the process's: UTC is epoch minutes,
 * Asia/Shanghai (no daylight saving) eight hours more.
 */
static void
test_now_in_calendar_zone(void **state)
{
	oa_calendar cal;
	oa_minute utc, sh, epoch_min;

	setenv("TZ", "America/New_York", 1);
	tzset();
	oa_calendar_init(&cal);
	snprintf(cal.timezone, sizeof cal.timezone, "UTC");
	epoch_min = (oa_minute)(time(NULL) / 60);
	utc = oa_calendar_now(&cal);
	snprintf(cal.timezone, sizeof cal.timezone, "Asia/Shanghai");
	sh = oa_calendar_now(&cal);
	unsetenv("TZ");
	tzset();
	if (access("/usr/share/zoneinfo/Asia/Shanghai", R_OK) != 0)
		skip(); /* no zone data: both fall back to local time */
	assert_true(utc >= epoch_min && utc <= epoch_min + 1);
	assert_true(sh - utc >= 480 && sh - utc <= 481);
	assert_int_equal(oa_calendar_today(&cal), (oa_date)(oa_calendar_now(&cal) / 1440));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_2026_has_248_workdays),
		cmocka_unit_test(test_example_config),
		cmocka_unit_test(test_add_workdays_2026),
		cmocka_unit_test(test_count_matches_walk),
		cmocka_unit_test(test_working_moments),
		cmocka_unit_test(test_load_keys),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_now_in_calendar_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
