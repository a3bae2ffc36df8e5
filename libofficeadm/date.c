/*
 * date.c - ISO 8601 dates, local times and durations.  See date.h.
 *
 * Dates are day numbers in the proleptic Gregorian calendar, converted with
 * the usual era arithmetic (400-year cycles of 146097 days, years counted
 * from March so the leap day falls last).  The parsers take exact byte
 * ranges and accept nothing they do not understand: no trailing text, no
 * missing zeros, no out-of-range fields.
 */
#include "date.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

/* Durations above this many minutes (about 1900 years) are refused. */
#define DURATION_MAX 1000000000L

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int
oa_date_from_ymd(int y, int m, int d, oa_date *out)
{
	long era, yoe, doy, doe;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	if (m <= 2)
		y--;
	era = y / 400; /* y >= 0 here */
	yoe = y - era * 400;
	doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = (oa_date)(era * 146097 + doe - 719468);
	return 0;
}

void
oa_date_to_ymd(oa_date date, int *y, int *m, int *d)
{
	long z = (long)date + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int
oa_date_weekday(oa_date date)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = ((long)date + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

/* N decimal digits at s; -1 when any is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
oa_date_parse(const char *s, size_t len, oa_date *out)
{
	int y, m, d;

	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return -1;
	return oa_date_from_ymd(y, m, d, out);
}

/* Reads 1 to MAX ASCII digits at s[*i]; the number or -1. */
static int
loose_number(const char *s, size_t len, size_t *i, int max)
{
	int v = 0, n = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9' && n < max)
		v = v * 10 + (s[(*i)++] - '0'), n++;
	if (n == 0 || (*i < len && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	return v;
}

/* True when s[*i..) starts with LIT; then *i moves past it. */
static int
loose_literal(const char *s, size_t len, size_t *i, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *i < n || memcmp(s + *i, lit, n) != 0)
		return 0;
	*i += n;
	return 1;
}

/*
 * Copies S to BUF (CAP bytes) with full-width digits and ／－．：
 * (U+FF10..FF19, FF0F, FF0D, FF0E, FF1A) made ASCII, as a Chinese input
 * method types them.  The new length, or -1 when BUF is too small.
 */
static long
halfwidth(const char *s, size_t len, char *buf, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC) {
			unsigned char d = (unsigned char)s[i + 2];

			if ((d >= 0x90 && d <= 0x9A) || d == 0x8F || d == 0x8D || d == 0x8E) {
				c = (unsigned char)(d - 0x90 + '0');
				if (d == 0x8F)
					c = '/';
				else if (d == 0x8D)
					c = '-';
				else if (d == 0x8E)
					c = '.';
				i += 2;
			}
		}
		if (o + 1 >= cap)
			return -1;
		buf[o++] = (char)c;
	}
	return (long)o;
}

int
oa_date_parse_excel(const char *s, size_t len, oa_date *out)
{
	size_t i = 0;
	int y, m, d;
	char sep, buf[64];
	long n;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	s += i, len -= i, i = 0;
	if (oa_date_parse(s, len, out) == 0)
		return 0;
	if (memchr(s, 0xEF, len) != NULL) {
		if ((n = halfwidth(s, len, buf, sizeof buf)) < 0)
			return -1;
		s = buf, len = (size_t)n;
	}
	if (len < 8 || (y = loose_number(s, len, &i, 4)) < 0 || i != 4)
		return -1;
	if (loose_literal(s, len, &i, "年")) {
		if ((m = loose_number(s, len, &i, 2)) < 0 || !loose_literal(s, len, &i, "月") ||
		    (d = loose_number(s, len, &i, 2)) < 0 || !loose_literal(s, len, &i, "日"))
			return -1;
	} else {
		sep = s[i++];
		if (sep != '-' && sep != '/' && sep != '.')
			return -1;
		if ((m = loose_number(s, len, &i, 2)) < 0 || i >= len || s[i++] != sep ||
		    (d = loose_number(s, len, &i, 2)) < 0)
			return -1;
	}
	/*
	 * A time after the date, as Excel exports a date-time cell ("2026/11/3
	 * 0:00", "2026-11-03 00:00:00"): H:MM or H:MM:SS, checked, dropped.
	 */
	if (i < len && s[i] == ' ') {
		size_t at;
		int h;

		while (i < len && s[i] == ' ')
			i++;
		if ((h = loose_number(s, len, &i, 2)) < 0 || h > 23 || !loose_literal(s, len, &i, ":"))
			return -1;
		at = i;
		if (loose_number(s, len, &i, 2) > 59 || i != at + 2)
			return -1;
		if (loose_literal(s, len, &i, ":")) {
			at = i;
			if (loose_number(s, len, &i, 2) > 59 || i != at + 2)
				return -1;
		}
	}
	if (i != len)
		return -1;
	return oa_date_from_ymd(y, m, d, out);
}

int
oa_date_looks_like_serial(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (i < len && s[i] == ' ')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
	return i == len && digits >= 3 && digits <= 6;
}

void
oa_date_format(oa_date date, char *buf)
{
	int y, m, d;

	oa_date_to_ymd(date, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* outside the documented range: keep 10 bytes */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int
oa_time_parse(const char *s, size_t len, int *minutes)
{
	int h, m;

	if (s == NULL || len != 5 || s[2] != ':')
		return -1;
	h = digits(s, 2);
	m = digits(s + 3, 2);
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

void
oa_time_format(int minutes, char *buf)
{
	int h, m;

	minutes %= OA_MINUTES_PER_DAY;
	if (minutes < 0)
		minutes += OA_MINUTES_PER_DAY;
	h = minutes / 60;
	m = minutes % 60;
	buf[0] = (char)('0' + h / 10);
	buf[1] = (char)('0' + h % 10);
	buf[2] = ':';
	buf[3] = (char)('0' + m / 10);
	buf[4] = (char)('0' + m % 10);
	buf[5] = '\0';
}

int
oa_datetime_parse(const char *s, size_t len, unsigned flags, oa_minute *out)
{
	oa_date date;
	int minutes, sec;

	if (s == NULL)
		return -1;
	if (len == 10) {
		if (!(flags & OA_DATETIME_DATE_OK) || oa_date_parse(s, 10, &date) < 0)
			return -1;
		*out = (oa_minute)date * OA_MINUTES_PER_DAY;
		return 0;
	}
	if (len != 16 && len != 19)
		return -1;
	if (s[10] != ' ' && s[10] != 'T')
		return -1;
	if (oa_date_parse(s, 10, &date) < 0 || oa_time_parse(s + 11, 5, &minutes) < 0)
		return -1;
	if (len == 19) {
		if (s[16] != ':' || (sec = digits(s + 17, 2)) < 0 || sec > 59)
			return -1;
	}
	*out = (oa_minute)date * OA_MINUTES_PER_DAY + minutes;
	return 0;
}

void
oa_datetime_format(oa_minute t, char *buf)
{
	oa_minute day = t / OA_MINUTES_PER_DAY;
	oa_minute min = t % OA_MINUTES_PER_DAY;

	if (min < 0) {
		min += OA_MINUTES_PER_DAY;
		day--;
	}
	oa_date_format((oa_date)day, buf);
	buf[10] = ' ';
	oa_time_format((int)min, buf + 11);
}

/*
 * Duration units, longest spelling first where one is a prefix of another.
 * Matching is case-insensitive for the ASCII ones.
 */
static const struct unit {
	const char *name;
	long minutes;
} units[] = {
	{ "个小时", 60 }, { "小时", 60 }, { "钟头", 60 }, { "时", 60 },
	{ "分钟", 1 }, { "分", 1 },
	{ "天", 1440 }, { "日", 1440 },
	{ "hours", 60 }, { "hour", 60 }, { "hrs", 60 }, { "hr", 60 }, { "h", 60 },
	{ "minutes", 1 }, { "minute", 1 }, { "mins", 1 }, { "min", 1 }, { "m", 1 },
	{ "days", 1440 }, { "day", 1440 }, { "d", 1440 },
};

static size_t
match_unit(const char *s, size_t len, long *minutes)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		size_t n = strlen(units[i].name);

		if (n <= len && strncasecmp(s, units[i].name, n) == 0) {
			*minutes = units[i].minutes;
			return n;
		}
	}
	return 0;
}

/*
 * A Chinese number below 100 as written in durations: 一 .. 九, 两, 十,
 * 十五, 二十, 四十五.  Returns the bytes taken (0 when none) and *value.
 */
static size_t
cn_number(const char *s, size_t len, long *value)
{
	static const char *const digit[] = { "零", "一", "二", "三", "四", "五", "六", "七",
	                                     "八", "九" };
	static const char ten[] = "十", two[] = "两";
	size_t i = 0;
	long tens = -1, ones = -1;

	/* Each of these characters is 3 bytes of UTF-8. */
	for (int round = 0; round < 3 && len - i >= 3; round++) {
		long d = -1;

		for (int k = 1; k <= 9; k++)
			if (memcmp(s + i, digit[k], 3) == 0)
				d = k;
		if (d < 0 && memcmp(s + i, two, 3) == 0)
			d = 2;
		if (d >= 0) {
			if (ones >= 0)
				break; /* two digits in a row: 五五 */
			ones = d;
			i += 3;
			continue;
		}
		if (memcmp(s + i, ten, 3) == 0 && tens < 0) {
			tens = ones >= 0 ? ones : 1;
			ones = -1;
			i += 3;
			continue;
		}
		break;
	}
	if (tens < 0 && ones < 0)
		return 0;
	*value = (tens > 0 ? tens * 10 : 0) + (ones > 0 ? ones : 0);
	return i;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

int
oa_duration_parse(const char *s, size_t len, long *minutes)
{
	static const char half[] = "半";        /* 半小时, 1个半小时 */
	static const char ge_half[] = "个半";   /* 1个半小时 = 1.5 h */
	const size_t half_len = sizeof half - 1, ge_half_len = sizeof ge_half - 1;
	long total = 0, last_unit = LONG_MAX;
	size_t i = 0;
	bool any = false;

	if (s == NULL)
		return -1;
	while (len > 0 && is_space(s[len - 1]))
		len--;
	while (i < len && is_space(s[i]))
		i++;
	if (i == len)
		return -1;

	while (i < len) {
		long ipart = 0, frac = 0, scale = 1, unit, value;
		bool have_digits = false, half_extra = false;
		size_t n;

		if (len - i >= half_len && memcmp(s + i, half, half_len) == 0) {
			/* "半小时", "半天": one half of the unit that follows. */
			i += half_len;
			frac = 5;
			scale = 10;
			have_digits = true;
		} else if ((n = cn_number(s + i, len - i, &ipart)) > 0) {
			/* 两小时, 四十五分钟, 一个半小时: a unit must follow. */
			i += n;
			have_digits = true;
			if (len - i >= ge_half_len && memcmp(s + i, ge_half, ge_half_len) == 0) {
				i += ge_half_len;
				half_extra = true;
			}
			if (match_unit(s + i, len - i, &unit) == 0)
				return -1;
		} else {
			while (i < len && s[i] >= '0' && s[i] <= '9') {
				if (ipart > DURATION_MAX / 10)
					return -1;
				ipart = ipart * 10 + (s[i++] - '0');
				have_digits = true;
			}
			if (i < len && s[i] == '.') {
				i++;
				if (i == len || s[i] < '0' || s[i] > '9')
					return -1;
				while (i < len && s[i] >= '0' && s[i] <= '9') {
					if (scale >= 1000000)
						return -1;
					frac = frac * 10 + (s[i++] - '0');
					scale *= 10;
				}
			}
			if (!have_digits)
				return -1;
			if (len - i >= ge_half_len && memcmp(s + i, ge_half, ge_half_len) == 0) {
				/* "1个半小时": the half binds to the following unit. */
				if (scale != 1)
					return -1;
				i += ge_half_len;
				half_extra = true;
			}
		}
		while (i < len && is_space(s[i]))
			i++;
		n = match_unit(s + i, len - i, &unit);
		if (n == 0) {
			/* A bare number is minutes, and only on its own. */
			if (any || i != len || half_extra || scale != 1)
				return -1;
			unit = 1;
		}
		i += n;
		/* Units go from large to small, each at most once: "1h30m", not "30m1h". */
		if (unit >= last_unit)
			return -1;
		last_unit = unit;
		if (half_extra) {
			frac = 5;
			scale = 10;
		}
		if (ipart > DURATION_MAX / unit)
			return -1;
		value = ipart * unit;
		if (frac * unit % scale != 0)
			return -1; /* not a whole number of minutes, such as 0.01h */
		value += frac * unit / scale;
		total += value;
		if (total > DURATION_MAX)
			return -1;
		any = true;
		while (i < len && is_space(s[i]))
			i++;
	}
	if (total <= 0)
		return -1;
	*minutes = total;
	return 0;
}

oa_date
oa_date_today(void)
{
	return (oa_date)(oa_minute_now() / OA_MINUTES_PER_DAY);
}

oa_minute
oa_minute_now(void)
{
	time_t now = time(NULL);
	struct tm tm;
	oa_date date;

	if (localtime_r(&now, &tm) == NULL ||
	    oa_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &date) < 0)
		return 0;
	return (oa_minute)date * OA_MINUTES_PER_DAY + tm.tm_hour * 60 + tm.tm_min;
}
