/*
 * fuzz_ical.c - libFuzzer target for meeting-sched's iCalendar import
 * (ical.h, over libical): busy times read from a calendar file, with
 * recurrences expanded over a window, and the line folding used on output.
 *
 * Checks: every occurrence handed out overlaps the window and does not end
 * before it starts; folded text has no line over 75 octets and no UTF-8
 * character split.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fuzz_util.h"
#include "ical.h"
#include "utf8.h"

struct window {
	oa_minute from, to;
	long count;
};

static int
on_busy(void *ctx, const oa_ical_who *who, size_t nwho, oa_minute start, oa_minute end,
        const char *summary, oa_error *err)
{
	struct window *w = ctx;

	(void)summary;
	if (end < start || end <= w->from || start >= w->to)
		abort();
	for (size_t i = 0; i < nwho; i++)
		if (who[i].email == NULL && who[i].name == NULL)
			abort();
	/* A callback that stops the reading says why (ical.h). */
	if (++w->count > 100000)
		return oa_error_set(err, NULL, 0, "more than 100000 busy occurrences");
	return 0;
}

static void
check_fold(const char *text)
{
	char *folded = oa_ical_fold(text);
	const char *p, *line;
	size_t bad;

	if (folded == NULL)
		return;
	for (line = folded; *line != '\0'; line = p + 2) {
		p = strstr(line, "\r\n");
		if (p == NULL)
			p = line + strlen(line);
		if ((size_t)(p - line) > 75)
			abort();
		if (oa_utf8_valid(text, strlen(text), &bad) == 0 &&
		    oa_utf8_valid(line + (line[0] == ' '), (size_t)(p - line) - (line[0] == ' '), &bad) != 0)
			abort();
		if (*p == '\0')
			break;
	}
	free(folded);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct window w = { 0, 0, 0 };
	oa_date from, to;
	oa_error err;
	const char *path;
	char *text;

	if (size > 65536)
		return 0;
	/* Two months, as a planning window is (the seeds' events are in March 2026). */
	if (oa_date_from_ymd(2026, 2, 1, &from) != 0 || oa_date_from_ymd(2026, 4, 1, &to) != 0)
		abort();
	w.from = (oa_minute)from * OA_MINUTES_PER_DAY;
	w.to = (oa_minute)to * OA_MINUTES_PER_DAY;
	path = fuzz_file(0, ".ics", data, size);
	oa_error_clear(&err);
	if (oa_ical_read_busy(path, "Asia/Shanghai", w.from, w.to, on_busy, &w, &err) < 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err))
			abort();
	}

	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	check_fold(text);
	free(text);
	return 0;
}
