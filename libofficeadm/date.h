/*
 * date.h - ISO 8601 dates, local times and durations.
 *
 * A date is a day number (days since 1970-01-01, proleptic Gregorian).  A
 * local moment is a minute number: day * 1440 + minute of the day, in the
 * configured time zone's wall-clock time (no UTC conversion happens here).
 * Parsers are strict: "2026-02-30" and "24:00" are errors.
 */
#ifndef OA_DATE_H
#define OA_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t oa_date;   /* days since 1970-01-01 */
typedef int64_t oa_minute; /* oa_date * 1440 + minute of day */

#define OA_MINUTES_PER_DAY 1440

/* 0 and *out for a valid y-m-d (years 1..9999), else -1. */
int oa_date_from_ymd(int y, int m, int d, oa_date *out);
void oa_date_to_ymd(oa_date date, int *y, int *m, int *d);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int oa_date_weekday(oa_date date);

/* Parses exactly "YYYY-MM-DD" (s[0..len)).  0 ok, -1 invalid. */
int oa_date_parse(const char *s, size_t len, oa_date *out);
/*
 * Parses a date as a spreadsheet (Excel, WPS) exports it: "YYYY-MM-DD",
 * and with one- or two-digit month and day "YYYY-M-D", "YYYY/M/D",
 * "YYYY.M.D" (one separator throughout) and "YYYY年M月D日"; spaces
 * around are ignored, and so is a time after the date ("2026/11/3 0:00",
 * H:MM or H:MM:SS, checked), as Excel exports a date-time cell.  Full-width
 * digits and ／－．(a Chinese input method's) are read as ASCII.  Year first always: "11/20/2026" and "20.11.2026"
 * are refused (day and month cannot be told apart).  So are Excel serial
 * day numbers ("46346"): they count from 1900 or from 1904 depending on
 * the workbook, so the date cannot be known; oa_date_looks_like_serial
 * tells a caller to say so.  0 ok, -1 invalid.
 */
int oa_date_parse_excel(const char *s, size_t len, oa_date *out);

/* True when s[0..len) is a number of 3 to 6 digits (an Excel serial date?). */
int oa_date_looks_like_serial(const char *s, size_t len);

/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). */
void oa_date_format(oa_date date, char *buf);

/* Parses "HH:MM" (00:00..23:59) into minutes of the day. 0 ok, -1 invalid. */
int oa_time_parse(const char *s, size_t len, int *minutes);
/* Writes "HH:MM" and a NUL (6 bytes). */
void oa_time_format(int minutes, char *buf);

/*
 * Parses "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM" or with ":SS" (seconds
 * dropped).  With OA_DATETIME_DATE_OK a bare date is accepted and gives
 * minute 0 of that day.  0 ok, -1 invalid.
 */
enum { OA_DATETIME_DATE_OK = 1 };
int oa_datetime_parse(const char *s, size_t len, unsigned flags, oa_minute *out);
/* Writes "YYYY-MM-DD HH:MM" and a NUL (17 bytes). */
void oa_datetime_format(oa_minute t, char *buf);

/*
 * Parses a duration in minutes: "90", "90m", "1h", "1h30m", "1.5h",
 * "2d"... (d = 1440 min) and Chinese "1小时30分钟", "90分钟", "半小时".
 * Must be > 0.  0 ok, -1 invalid.
 *
 * Grammar: a bare whole number is minutes; otherwise one or more parts
 * NUMBER UNIT, units from large to small, each at most once, spaces allowed
 * around them.  Units (ASCII ones case-insensitive): d day days 天 日;
 * h hr hrs hour hours 小时 个小时 钟头 时; m min mins minute minutes 分钟 分.
 * A NUMBER may have a fraction ("1.5h", "0.25h") that must come to whole
 * minutes ("0.01h" is an error); "半" stands for 0.5 ("半小时", "半天") and
 * "N个半" for N.5 ("1个半小时" = 90).  NUMBER may also be a Chinese number
 * below 100 followed directly by its unit: "两小时", "四十五分钟",
 * "一个半小时".  Results above 10^9 minutes are refused.
 */
int oa_duration_parse(const char *s, size_t len, long *minutes);

/* Today's date / the current minute in local time (TZ of the process). */
oa_date oa_date_today(void);
oa_minute oa_minute_now(void);

#endif
