/*
 * calendar.h - the working-day calendar: working weekdays, office hours
 * with a lunch break, public holidays, and weekend days worked instead
 * (调休), all from the [calendar] section of the config:
 *
 *     [calendar]
 *     workdays   = mon,tue,wed,thu,fri
 *     hours      = 08:30-12:00, 14:00-17:30
 *     holidays   = 2026-01-01..2026-01-03, 2026-02-15..2026-02-23
 *     extra_workdays = 2026-01-04, 2026-02-14
 *     timezone   = Asia/Shanghai
 *
 * A holiday is never a working day; an extra working day always is;
 * otherwise the weekday decides.
 *
 * workdays takes names (mon..sun, monday..sunday, 1..7, 周一..周日/周天,
 * 星期一..星期日/星期天) and ranges that may wrap (mon-fri, fri-mon); hours
 * takes up to OA_CALENDAR_MAX_PERIODS disjoint HH:MM-HH:MM periods (24:00
 * allowed as an end); holidays and extra_workdays take dates and ranges
 * DATE..DATE (at most 366 days each); a date in both lists is an error.
 * timezone is checked against $TZDIR or /usr/share/zoneinfo when that
 * exists; the library never sets TZ itself, the caller decides.
 */
#ifndef OA_CALENDAR_H
#define OA_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "date.h"
#include "error.h"

#define OA_CALENDAR_MAX_PERIODS 8

typedef struct oa_period {
	int start; /* minutes of the day, inclusive */
	int end;   /* exclusive */
} oa_period;

typedef struct oa_calendar {
	unsigned weekdays;           /* bit (1 << iso_weekday) for working weekdays */
	oa_period hours[OA_CALENDAR_MAX_PERIODS]; /* office hours, sorted, disjoint */
	size_t nhours;
	oa_date *holidays;           /* sorted, unique */
	size_t nholidays;
	oa_date *extra_workdays;     /* sorted, unique (调休 working days) */
	size_t nextra;
	char timezone[64];           /* IANA name, default "Asia/Shanghai" */
	char file[1024];             /* the config, for messages; "" for none */
	long holidays_line;          /* line of holidays there, 0 when unknown */
} oa_calendar;

/* Mon-Fri, 08:30-12:00 and 14:00-17:30, no holidays, Asia/Shanghai. */
void oa_calendar_init(oa_calendar *cal);
/* Reads [calendar] over the defaults.  On error cal is left released. */
int oa_calendar_load(oa_calendar *cal, const oa_config *cfg, oa_error *err);
void oa_calendar_release(oa_calendar *cal);

/*
 * Parses a date list "2026-01-01..2026-01-03, 2026-05-09" into a sorted,
 * unique array (free with free()).  Returns 0, or -1 with a message in
 * err naming the bad item (file/line left empty).
 */
int oa_calendar_parse_dates(const char *list, oa_date **dates, size_t *count, oa_error *err);

bool oa_calendar_is_workday(const oa_calendar *cal, oa_date date);

/*
 * The calendar knows a year when [calendar] holidays lists a date in it
 * (every year has 元旦); for any other year it can only guess from the
 * weekdays, and a 特急 document received on 12-31 would be due on 元旦.
 * Returns 0 when every year from FROM to TO is known, or when no holidays
 * are configured at all (a plain weekday calendar, chosen as such); else -1
 * with err naming the config's holidays line and the first year to add.
 * Commands warn (a computed date) or refuse (a question about one day)
 * with it.
 */
int oa_calendar_check_range(const oa_calendar *cal, oa_date from, oa_date to, oa_error *err);

/*
 * The N-th working day after FROM (N >= 1): FROM itself never counts.  With
 * N = 0 returns FROM when it is a working day, else the next working day;
 * with N < 0, the -N-th working day before FROM.  Walks day by day, so N is
 * meant to be a deadline's size (hundreds, not millions).  cal->weekdays must
 * not be empty (oa_calendar_load ensures it); if it is, FROM is returned.
 */
oa_date oa_calendar_add_workdays(const oa_calendar *cal, oa_date from, int n);

/* Working days in the closed range [from, to]; 0 when to < from. */
long oa_calendar_count_workdays(const oa_calendar *cal, oa_date from, oa_date to);

/* True when T lies inside office hours on a working day. */
bool oa_calendar_is_working_moment(const oa_calendar *cal, oa_minute t);
/*
 * T itself when working, else the start of the next office period (periods
 * end exclusively: at 12:00 with hours 08:30-12:00, 14:00-... it is 14:00).
 */
oa_minute oa_calendar_next_working_moment(const oa_calendar *cal, oa_minute t);

/* Office minutes per working day (sum of hours). */
int oa_calendar_minutes_per_day(const oa_calendar *cal);

/*
 * The current minute and today's date in the calendar's time zone
 * (cal->timezone), whatever TZ the process runs with: a cron job on a UTC
 * server still counts days as Beijing does.  Falls back to the process's
 * local time (oa_minute_now) when the zone cannot be loaded.
 */
oa_minute oa_calendar_now(const oa_calendar *cal);
oa_date oa_calendar_today(const oa_calendar *cal);

#endif
