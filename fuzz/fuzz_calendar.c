/*
 * fuzz_calendar.c - libFuzzer target for date lists and the working-day
 * arithmetic of calendar.h.
 *
 * The input is a holiday list as written in [calendar] holidays (e.g.
 * "2026-01-01..2026-01-03, 2026-05-09").  What parses must be sorted and
 * unique; with it as the holidays of the default calendar, adding N working
 * days must land on a working day with exactly N working days counted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *list;
	oa_date *dates = NULL;
	size_t count = 0;
	oa_error err;
	oa_calendar cal;
	oa_date from;

	if (size > 4096)
		return 0;
	list = malloc(size + 1);
	if (list == NULL)
		abort();
	memcpy(list, data, size);
	list[size] = '\0';
	oa_error_clear(&err);
	if (oa_calendar_parse_dates(list, &dates, &count, &err) != 0) {
		if (!oa_error_isset(&err))
			abort();
		free(list);
		return 0;
	}
	free(list);
	for (size_t i = 1; i < count; i++)
		if (dates[i - 1] >= dates[i])
			abort();

	oa_calendar_init(&cal);
	free(cal.holidays);
	cal.holidays = dates;
	cal.nholidays = count;
	if (oa_date_from_ymd(2026, 1, 1, &from) != 0)
		abort();
	if (count > 0)
		from = dates[0] - 3;
	for (int n = 1; n <= 10; n += 3) {
		oa_date to = oa_calendar_add_workdays(&cal, from, n);

		if (to <= from || !oa_calendar_is_workday(&cal, to))
			abort();
		if (oa_calendar_count_workdays(&cal, from + 1, to) != n)
			abort();
	}
	{
		oa_date first = oa_calendar_add_workdays(&cal, from, 0);
		oa_minute t = (oa_minute)from * OA_MINUTES_PER_DAY + 13 * 60;
		oa_minute next = oa_calendar_next_working_moment(&cal, t);

		if (first < from || !oa_calendar_is_workday(&cal, first))
			abort();
		if (next < t || !oa_calendar_is_working_moment(&cal, next))
			abort();
	}
	oa_calendar_release(&cal);
	return 0;
}
