/*
 * fuzz_schedule.c - libFuzzer target for meeting-sched's input path
 * (schedule.h): a requests CSV and a busy-times CSV read against the
 * example people and rooms, then, for small windows, placed.
 *
 * Input: a mode byte (1: people file, 2: place, 4: meetings may run
 * through the breaks), the requests, a line "@@BUSY@@", the busy times.
 * The placement must pass the schedule's own hard-constraint check, and
 * every fixed meeting's conflicts are lines of text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "schedule.h"

static const char people[] =
	"name,email,department\n"
	"赵志刚,zhaozg@example.gov.cn,局领导\n"
	"钱丽华,qianlh@example.gov.cn,局领导\n"
	"王建国,wangjg@example.gov.cn,办公室\n"
	"Li Na,lina@example.org,Finance\n";
static const char rooms[] = "name,capacity\n第一会议室,30\n小会议室,6\nRoom 2,12\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	oa_schedule s;
	oa_error err;
	oa_date from;
	const uint8_t *busy;
	size_t first, restlen;
	const char *ppath, *rpath, *qpath, *bpath = NULL;
	uint8_t mode;

	if (size < 1 || size > 16384)
		return 0;
	mode = data[0];
	data++;
	size--;
	busy = fuzz_split(data, size, "\n@@BUSY@@\n", &first, &restlen);
	ppath = fuzz_file(0, ".csv", people, sizeof people - 1);
	rpath = fuzz_file(1, ".csv", rooms, sizeof rooms - 1);
	qpath = fuzz_file(2, ".csv", data, first);
	if (busy != NULL)
		bpath = fuzz_file(3, ".csv", busy, restlen);
	if (oa_date_from_ymd(2026, 5, 6, &from) != 0)
		abort();

	oa_schedule_init(&s);
	s.search_seconds = 0;
	s.span_breaks = (mode & 4) != 0;
	oa_error_clear(&err);
	if (((mode & 1) && oa_schedule_read_people(&s, ppath, NULL, &err) != 0) ||
	    oa_schedule_read_rooms(&s, rpath, NULL, &err) != 0)
		abort();
	if ((bpath != NULL && oa_schedule_read_busy(&s, bpath, NULL, &err) != 0) ||
	    oa_schedule_read_requests(&s, qpath, NULL, from, &err) != 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err) || err.file[0] == '\0')
			abort();
		oa_schedule_release(&s);
		return 0;
	}
	{
		oa_minute wfrom, wto;

		oa_schedule_window(&s, &wfrom, &wto);
		if ((mode & 2) && s.nreq <= 12 && wto - wfrom <= 14 * OA_MINUTES_PER_DAY) {
			char msg[512];

			if (oa_schedule_solve(&s, &err) >= 0 && oa_schedule_check(&s, msg, sizeof msg) != 0) {
				fprintf(stderr, "hard constraint broken: %s\n", msg);
				abort();
			}
			for (size_t r = 0; r < s.nreq; r++)
				if (s.req[r].conflicts != NULL &&
				    (!s.req[r].fixed || s.req[r].conflicts[0] == '\0'))
					abort();
		}
	}
	oa_schedule_release(&s);
	return 0;
}
