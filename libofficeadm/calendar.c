/*
 * calendar.c - the working-day calendar.  See calendar.h.
 *
 * The [calendar] keys are parsed here into a bitmask of working weekdays,
 * a short sorted array of office periods, and two sorted date arrays
 * (holidays, extra working days) that are searched with bsearch.  Counting
 * working days over a range works by weekday arithmetic and then corrects
 * for the listed dates inside the range, so it does not walk every day.
 */
#include "calendar.h"
#include "utf8.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SECTION "calendar"
#define DEFAULT_TIMEZONE "Asia/Shanghai"
#define DATES_EXPECTED "expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
/* One range may cover at most this many days (a typo guard). */
#define MAX_RANGE_DAYS 366

void
oa_calendar_init(oa_calendar *cal)
{
	memset(cal, 0, sizeof *cal);
	for (int wd = 1; wd <= 5; wd++)
		cal->weekdays |= 1u << wd;
	cal->hours[0] = (oa_period){ 8 * 60 + 30, 12 * 60 };
	cal->hours[1] = (oa_period){ 14 * 60, 17 * 60 + 30 };
	cal->nhours = 2;
	snprintf(cal->timezone, sizeof cal->timezone, "%s", DEFAULT_TIMEZONE);
}

void
oa_calendar_release(oa_calendar *cal)
{
	free(cal->holidays);
	free(cal->extra_workdays);
	cal->holidays = cal->extra_workdays = NULL;
	cal->nholidays = cal->nextra = 0;
}

static int
cmp_date(const void *a, const void *b)
{
	oa_date x = *(const oa_date *)a, y = *(const oa_date *)b;

	return (x > y) - (x < y);
}

static bool
has_date(const oa_date *dates, size_t n, oa_date d)
{
	return n > 0 && bsearch(&d, dates, n, sizeof *dates, cmp_date) != NULL;
}

/* Index of the first date >= d. */
static size_t
lower_bound(const oa_date *dates, size_t n, oa_date d)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dates[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Parses one "DATE" or "DATE..DATE" item. */
static int
parse_date_item(const char *item, oa_date *first, oa_date *last, oa_error *err)
{
	const char *dots = strstr(item, "..");
	size_t n = strlen(item);

	if (dots == NULL) {
		if (oa_date_parse(item, n, first) < 0)
			return oa_error_set(err, NULL, 0, "\"%s\" is not a date (%s)", item,
			                    DATES_EXPECTED);
		*last = *first;
		return 0;
	}
	if (oa_date_parse(item, (size_t)(dots - item), first) < 0 ||
	    oa_date_parse(dots + 2, n - (size_t)(dots - item) - 2, last) < 0)
		return oa_error_set(err, NULL, 0, "\"%s\" is not a date range (%s)", item,
		                    DATES_EXPECTED);
	if (*last < *first)
		return oa_error_set(err, NULL, 0, "\"%s\" ends before it starts", item);
	if (*last - *first >= MAX_RANGE_DAYS)
		return oa_error_set(err, NULL, 0, "\"%s\" is longer than %d days", item,
		                    MAX_RANGE_DAYS);
	return 0;
}

int
oa_calendar_parse_dates(const char *list, oa_date **dates, size_t *count, oa_error *err)
{
	char **items = NULL;
	size_t nitems = oa_config_split_list(list ? list : "", &items);
	oa_date *out = NULL;
	size_t n = 0, cap = 0;

	*dates = NULL;
	*count = 0;
	for (size_t i = 0; i < nitems; i++) {
		oa_date first, last;

		if (parse_date_item(items[i], &first, &last, err) < 0)
			goto fail;
		for (oa_date d = first; d <= last; d++) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 32;
				oa_date *p = realloc(out, ncap * sizeof *out);

				if (p == NULL) {
					oa_error_set(err, NULL, 0, "out of memory");
					goto fail;
				}
				out = p;
				cap = ncap;
			}
			out[n++] = d;
		}
	}
	free(items);
	if (n > 0) {
		size_t u = 1;

		qsort(out, n, sizeof *out, cmp_date);
		for (size_t i = 1; i < n; i++)
			if (out[i] != out[u - 1])
				out[u++] = out[i];
		n = u;
	}
	*dates = out;
	*count = n;
	return 0;
fail:
	free(items);
	free(out);
	return -1;
}

/* Weekday names: ISO number, then spellings. */
static const struct {
	int wd;
	const char *name;
} weekday_names[] = {
	{ 1, "mon" }, { 2, "tue" }, { 3, "wed" }, { 4, "thu" }, { 5, "fri" }, { 6, "sat" },
	{ 7, "sun" }, { 1, "monday" }, { 2, "tuesday" }, { 3, "wednesday" }, { 4, "thursday" },
	{ 5, "friday" }, { 6, "saturday" }, { 7, "sunday" }, { 1, "1" }, { 2, "2" }, { 3, "3" },
	{ 4, "4" }, { 5, "5" }, { 6, "6" }, { 7, "7" }, { 1, "周一" }, { 2, "周二" },
	{ 3, "周三" }, { 4, "周四" }, { 5, "周五" }, { 6, "周六" }, { 7, "周日" },
	{ 7, "周天" }, { 1, "星期一" }, { 2, "星期二" }, { 3, "星期三" }, { 4, "星期四" },
	{ 5, "星期五" }, { 6, "星期六" }, { 7, "星期日" }, { 7, "星期天" },
};

static int
weekday_by_name(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && *s == ' ') {
		s++;
		len--;
	}
	for (size_t i = 0; i < sizeof weekday_names / sizeof weekday_names[0]; i++)
		if (strlen(weekday_names[i].name) == len &&
		    strncasecmp(s, weekday_names[i].name, len) == 0)
			return weekday_names[i].wd;
	return -1;
}

static int
parse_workdays(const char *value, unsigned *mask, const char *file, oa_error *err)
{
	char **items = NULL;
	size_t n = oa_config_split_list(value, &items);

	*mask = 0;
	for (size_t i = 0; i < n; i++) {
		const char *item = items[i], *dash = strchr(item, '-');
		int a, b;

		if (dash == NULL) {
			a = b = weekday_by_name(item, strlen(item));
		} else {
			a = weekday_by_name(item, (size_t)(dash - item));
			b = weekday_by_name(dash + 1, strlen(dash + 1));
		}
		if (a < 0 || b < 0) {
			oa_error_set(err, file, 0,
			             "[" SECTION "] workdays: \"%s\" is not a weekday "
			             "(expected names such as mon,tue,wed,thu,fri or a range mon-fri)",
			             item);
			free(items);
			return -1;
		}
		/* A range may wrap around the week: fri-mon is fri,sat,sun,mon. */
		for (int wd = a;; wd = wd % 7 + 1) {
			*mask |= 1u << wd;
			if (wd == b)
				break;
		}
	}
	free(items);
	if (*mask == 0)
		return oa_error_set(err, file, 0,
		                    "[" SECTION "] workdays: expected at least one weekday "
		                    "(such as mon,tue,wed,thu,fri)");
	return 0;
}

static int
cmp_period(const void *a, const void *b)
{
	const oa_period *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static int
parse_hours(const char *value, oa_calendar *cal, const char *file, oa_error *err)
{
	static const char expected[] = "expected periods such as 08:30-12:00, 14:00-17:30";
	char **items = NULL;
	size_t n = oa_config_split_list(value, &items);
	int rc = -1;

	if (n == 0) {
		oa_error_set(err, file, 0, "[" SECTION "] hours: empty (%s)", expected);
		goto out;
	}
	if (n > OA_CALENDAR_MAX_PERIODS) {
		oa_error_set(err, file, 0, "[" SECTION "] hours: more than %d periods",
		             OA_CALENDAR_MAX_PERIODS);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *item = items[i], *dash = strchr(item, '-');
		size_t alen, blen;
		const char *b;
		oa_period p;

		if (dash == NULL)
			goto bad;
		alen = (size_t)(dash - item);
		while (alen > 0 && item[alen - 1] == ' ')
			alen--;
		for (b = dash + 1; *b == ' '; b++)
			;
		blen = strlen(b);
		if (oa_time_parse(item, alen, &p.start) < 0)
			goto bad;
		/* 24:00 is allowed as the end of a period only. */
		if (blen == 5 && strncmp(b, "24:00", 5) == 0)
			p.end = OA_MINUTES_PER_DAY;
		else if (oa_time_parse(b, blen, &p.end) < 0)
			goto bad;
		if (p.end <= p.start) {
			oa_error_set(err, file, 0, "[" SECTION "] hours: \"%s\" ends before it starts",
			             item);
			goto out;
		}
		cal->hours[i] = p;
		continue;
bad:
		oa_error_set(err, file, 0, "[" SECTION "] hours: \"%s\" is not a period (%s)", item,
		             expected);
		goto out;
	}
	qsort(cal->hours, n, sizeof cal->hours[0], cmp_period);
	for (size_t i = 1; i < n; i++) {
		if (cal->hours[i].start < cal->hours[i - 1].end) {
			char a[6], b[6];

			oa_time_format(cal->hours[i].start, a);
			oa_time_format(cal->hours[i - 1].end, b);
			oa_error_set(err, file, 0,
			             "[" SECTION "] hours: periods overlap (%s starts before %s)", a, b);
			goto out;
		}
	}
	cal->nhours = n;
	rc = 0;
out:
	free(items);
	return rc;
}

/* An IANA name such as Asia/Shanghai; checked against the zoneinfo files when present. */
static int
check_timezone(const char *tz, const char *file, oa_error *err)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	struct stat st;
	size_t n = strlen(tz);

	if (n == 0 || n >= sizeof(((oa_calendar *)NULL)->timezone) || tz[0] == '/' ||
	    strstr(tz, "..") != NULL)
		goto bad;
	for (const char *p = tz; *p; p++)
		if (!(*p >= 'A' && *p <= 'Z') && !(*p >= 'a' && *p <= 'z') &&
		    !(*p >= '0' && *p <= '9') && !strchr("/_+-", *p))
			goto bad;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(path, sizeof path, "%s/%s", dir, tz);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			return oa_error_set(err, file, 0,
			                    "[" SECTION "] timezone: unknown time zone \"%s\" "
			                    "(expected an IANA name such as Asia/Shanghai)",
			                    tz);
	}
	return 0;
bad:
	return oa_error_set(err, file, 0,
	                    "[" SECTION "] timezone: \"%s\" is not a time zone name "
	                    "(expected an IANA name such as Asia/Shanghai)",
	                    tz);
}

/*
 * A list value as typed with a Chinese input method folded to ASCII:
 * "2026－01－01，08：30" reads as "2026-01-01,08:30" (full-width forms,
 * ideographic space; ASCII letters lower-cased).  NULL when absent.
 */
static char *
get_folded(const oa_config *cfg, const char *key)
{
	const char *value = oa_config_get_string(cfg, SECTION, key, NULL);
	size_t len;
	char *out;

	if (value == NULL)
		return NULL;
	len = strlen(value);
	out = malloc(len + 1);
	if (out != NULL)
		oa_utf8_fold(value, len, out, len + 1, 0);
	return out;
}

static int
load_dates(const oa_config *cfg, const char *key, oa_date **dates, size_t *n, oa_error *err)
{
	char *value = get_folded(cfg, key);
	oa_error e;
	int rc = 0;

	oa_error_clear(&e);
	if (oa_calendar_parse_dates(value ? value : "", dates, n, &e) < 0)
		rc = oa_error_set(err, oa_config_path(cfg), oa_config_line(cfg, SECTION, key),
		                  "[" SECTION "] %s: %s", key, e.msg);
	free(value);
	return rc;
}

int
oa_calendar_load(oa_calendar *cal, const oa_config *cfg, oa_error *err)
{
	const char *file = oa_config_path(cfg);
	const char *value;
	char *folded;
	int rc;

	oa_calendar_init(cal);
	folded = get_folded(cfg, "workdays");
	rc = folded != NULL ? parse_workdays(folded, &cal->weekdays, file, err) : 0;
	free(folded);
	if (rc < 0)
		goto fail;
	folded = get_folded(cfg, "hours");
	rc = folded != NULL ? parse_hours(folded, cal, file, err) : 0;
	free(folded);
	if (rc < 0)
		goto fail;
	if (load_dates(cfg, "holidays", &cal->holidays, &cal->nholidays, err) < 0 ||
	    load_dates(cfg, "extra_workdays", &cal->extra_workdays, &cal->nextra, err) < 0)
		goto fail;
	for (size_t i = 0; i < cal->nextra; i++) {
		if (has_date(cal->holidays, cal->nholidays, cal->extra_workdays[i])) {
			char d[11];

			oa_date_format(cal->extra_workdays[i], d);
			oa_error_set(err, file, 0,
			             "[" SECTION "] %s is in both holidays and extra_workdays", d);
			goto fail;
		}
	}
	snprintf(cal->file, sizeof cal->file, "%s", file ? file : "");
	cal->holidays_line = oa_config_line(cfg, SECTION, "holidays");
	value = oa_config_get_string(cfg, SECTION, "timezone", NULL);
	if (value != NULL) {
		if (check_timezone(value, file, err) < 0)
			goto fail;
		snprintf(cal->timezone, sizeof cal->timezone, "%s", value);
	}
	return 0;
fail:
	oa_calendar_release(cal);
	return -1;
}

/* True when some holiday lies in year Y. */
static bool
year_known(const oa_calendar *cal, int y)
{
	oa_date first, last;
	size_t i;

	if (oa_date_from_ymd(y, 1, 1, &first) < 0 || oa_date_from_ymd(y, 12, 31, &last) < 0)
		return false;
	i = lower_bound(cal->holidays, cal->nholidays, first);
	return i < cal->nholidays && cal->holidays[i] <= last;
}

int
oa_calendar_check_range(const oa_calendar *cal, oa_date from, oa_date to, oa_error *err)
{
	int y0, y1, m, d, last_known;

	if (cal->nholidays == 0)
		return 0;
	if (to < from) {
		oa_date t = from;
		from = to;
		to = t;
	}
	oa_date_to_ymd(from, &y0, &m, &d);
	oa_date_to_ymd(to, &y1, &m, &d);
	oa_date_to_ymd(cal->holidays[cal->nholidays - 1], &last_known, &m, &d);
	for (int y = y0; y <= y1; y++) {
		if (year_known(cal, y))
			continue;
		return oa_error_set(err, cal->file[0] ? cal->file : NULL, cal->holidays_line,
		                    "[" SECTION "] has no holidays for %d (the last year it has is %d): "
		                    "dates in %d are counted as plain weekdays, which may be wrong; "
		                    "add %d's holidays and extra_workdays as the State Council "
		                    "publishes them",
		                    y, last_known, y, y);
	}
	return 0;
}

bool
oa_calendar_is_workday(const oa_calendar *cal, oa_date date)
{
	if (has_date(cal->holidays, cal->nholidays, date))
		return false;
	if (has_date(cal->extra_workdays, cal->nextra, date))
		return true;
	return (cal->weekdays >> oa_date_weekday(date)) & 1u;
}

oa_date
oa_calendar_add_workdays(const oa_calendar *cal, oa_date from, int n)
{
	oa_date d = from;
	int step = n < 0 ? -1 : 1;

	if ((cal->weekdays & 0xFEu) == 0)
		return from; /* no working weekday: nothing sensible to find */
	if (n == 0) {
		while (!oa_calendar_is_workday(cal, d))
			d++;
		return d;
	}
	for (int left = n < 0 ? -n : n; left > 0;) {
		d += step;
		if (oa_calendar_is_workday(cal, d))
			left--;
	}
	return d;
}

/* Days in [from, to] whose weekday is a working weekday. */
static long
count_weekdays(unsigned weekdays, oa_date from, oa_date to)
{
	long days = (long)to - from + 1;
	long count = 0;
	int wd = oa_date_weekday(from);
	int per_week = 0;

	for (int i = 1; i <= 7; i++)
		per_week += (weekdays >> i) & 1u;
	count = days / 7 * per_week;
	for (long i = 0; i < days % 7; i++) {
		count += (weekdays >> wd) & 1u;
		wd = wd % 7 + 1;
	}
	return count;
}

long
oa_calendar_count_workdays(const oa_calendar *cal, oa_date from, oa_date to)
{
	long count;

	if (to < from)
		return 0;
	count = count_weekdays(cal->weekdays, from, to);
	for (size_t i = lower_bound(cal->holidays, cal->nholidays, from);
	     i < cal->nholidays && cal->holidays[i] <= to; i++)
		if ((cal->weekdays >> oa_date_weekday(cal->holidays[i])) & 1u)
			count--;
	for (size_t i = lower_bound(cal->extra_workdays, cal->nextra, from);
	     i < cal->nextra && cal->extra_workdays[i] <= to; i++) {
		oa_date d = cal->extra_workdays[i];

		if (!((cal->weekdays >> oa_date_weekday(d)) & 1u) &&
		    !has_date(cal->holidays, cal->nholidays, d))
			count++;
	}
	return count;
}

static void
split_minute(oa_minute t, oa_date *day, int *minute)
{
	oa_minute d = t / OA_MINUTES_PER_DAY, m = t % OA_MINUTES_PER_DAY;

	if (m < 0) {
		m += OA_MINUTES_PER_DAY;
		d--;
	}
	*day = (oa_date)d;
	*minute = (int)m;
}

bool
oa_calendar_is_working_moment(const oa_calendar *cal, oa_minute t)
{
	oa_date day;
	int minute;

	split_minute(t, &day, &minute);
	if (!oa_calendar_is_workday(cal, day))
		return false;
	for (size_t i = 0; i < cal->nhours; i++)
		if (minute >= cal->hours[i].start && minute < cal->hours[i].end)
			return true;
	return false;
}

oa_minute
oa_calendar_next_working_moment(const oa_calendar *cal, oa_minute t)
{
	oa_date day;
	int minute;

	if (cal->nhours == 0 || (cal->weekdays & 0xFEu) == 0)
		return t;
	split_minute(t, &day, &minute);
	if (oa_calendar_is_workday(cal, day)) {
		for (size_t i = 0; i < cal->nhours; i++) {
			if (minute < cal->hours[i].end) {
				if (minute >= cal->hours[i].start)
					return t;
				return (oa_minute)day * OA_MINUTES_PER_DAY + cal->hours[i].start;
			}
		}
	}
	day = oa_calendar_add_workdays(cal, day, 1);
	return (oa_minute)day * OA_MINUTES_PER_DAY + cal->hours[0].start;
}

int
oa_calendar_minutes_per_day(const oa_calendar *cal)
{
	int sum = 0;

	for (size_t i = 0; i < cal->nhours; i++)
		sum += cal->hours[i].end - cal->hours[i].start;
	return sum;
}

oa_minute
oa_calendar_now(const oa_calendar *cal)
{
	/* libical reads the zone from the system's zoneinfo; TZ stays untouched. */
	icaltimezone *zone = icaltimezone_get_builtin_timezone(cal->timezone);
	struct icaltimetype t;
	oa_date day;

	if (zone == NULL)
		return oa_minute_now();
	t = icaltime_from_timet_with_zone(time(NULL), 0, zone);
	if (oa_date_from_ymd(t.year, t.month, t.day, &day) < 0)
		return oa_minute_now();
	return (oa_minute)day * OA_MINUTES_PER_DAY + t.hour * 60 + t.minute;
}

oa_date
oa_calendar_today(const oa_calendar *cal)
{
	return (oa_date)(oa_calendar_now(cal) / OA_MINUTES_PER_DAY);
}
