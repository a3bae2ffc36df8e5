/*
 * fuzz_date.c - libFuzzer target for dates, times, date-times and
 * durations (date.h).
 *
 * Each parser gets the whole input.  What parses must format back to a
 * string that parses to the same value, and the parts must be in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	oa_date d, d2;
	oa_minute t, t2;
	int m, m2, y, mo, da;
	long dur;
	char buf[32];

	/* Excel's forms: whatever is accepted is a real date, written back as ISO. */
	if (oa_date_parse_excel(s, size, &d) == 0) {
		oa_date_format(d, buf);
		if (oa_date_parse(buf, strlen(buf), &d2) != 0 || d2 != d)
			abort();
		if (oa_date_parse(s, size, &d2) == 0 && d2 != d)
			abort();
	} else if (oa_date_parse(s, size, &d) == 0) {
		abort(); /* the Excel reader takes every ISO date */
	}
	if (oa_date_parse(s, size, &d) == 0) {
		if (size != 10)
			abort();
		oa_date_format(d, buf);
		if (memcmp(buf, s, 10) != 0 || buf[10] != '\0')
			abort();
		oa_date_to_ymd(d, &y, &mo, &da);
		if (y < 1 || y > 9999 || mo < 1 || mo > 12 || da < 1 || da > 31)
			abort();
		if (oa_date_from_ymd(y, mo, da, &d2) != 0 || d2 != d)
			abort();
		m = oa_date_weekday(d);
		if (m < 1 || m > 7)
			abort();
	}
	if (oa_time_parse(s, size, &m) == 0) {
		if (m < 0 || m >= OA_MINUTES_PER_DAY)
			abort();
		oa_time_format(m, buf);
		if (strlen(buf) != 5 || oa_time_parse(buf, 5, &m2) != 0 || m2 != m)
			abort();
	}
	for (unsigned flags = 0; flags <= OA_DATETIME_DATE_OK; flags++) {
		if (oa_datetime_parse(s, size, flags, &t) == 0) {
			oa_datetime_format(t, buf);
			if (strlen(buf) != 16 || oa_datetime_parse(buf, 16, 0, &t2) != 0 || t2 != t)
				abort();
		}
	}
	if (oa_duration_parse(s, size, &dur) == 0 && dur <= 0)
		abort();
	/* Arbitrary y-m-d from the input bytes. */
	if (size >= 4) {
		y = (int)((unsigned)data[0] | (unsigned)data[1] << 8) % 10050 - 20;
		mo = (int)(signed char)data[2];
		da = (int)(signed char)data[3];
		if (oa_date_from_ymd(y, mo, da, &d) == 0) {
			int y2, mo2, da2;

			oa_date_to_ymd(d, &y2, &mo2, &da2);
			if (y2 != y || mo2 != mo || da2 != da)
				abort();
			oa_date_format(d, buf);
			if (oa_date_parse(buf, strlen(buf), &d2) != 0 || d2 != d)
				abort();
		}
	}
	return 0;
}
