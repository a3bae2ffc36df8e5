/*
 * test_ical.c - iCalendar writing and reading (ical.h).
 *
 * Folding is checked octet by octet; the invitation is parsed back with
 * libical and checked against RFC 5546's restrictions for METHOD:REQUEST;
 * the busy-time reader is fed a calendar whose occurrences are worked out
 * by hand (America/New_York changes to daylight saving time on 2026-03-08,
 * so 20:00 there is 09:00 in Shanghai before and 08:00 after).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libical/ical.h>

#include "ical.h"
#include "schedule.h"
#include "utf8.h"

static oa_minute
T(const char *s)
{
	oa_minute t;

	if (oa_datetime_parse(s, strlen(s), 0, &t) < 0)
		fail_msg("bad date-time in test: %s", s);
	return t;
}

/* Every line of TEXT ends in CRLF, has at most 75 octets and is valid UTF-8. */
static void
assert_folded(const char *text)
{
	const char *p = text;

	while (*p) {
		const char *crlf = strstr(p, "\r\n");
		size_t bad;
		assert_non_null(crlf);
		assert_true(crlf - p <= 75);
		assert_int_equal(oa_utf8_valid(p, (size_t)(crlf - p), &bad), 0);
		p = crlf + 2;
	}
}

static void
test_fold_ascii(void **state)
{
	char in[300];
	char *out;

	(void)state;
	memset(in, 'x', sizeof in);
	memcpy(in, "DESCRIPTION:", 12);
	in[200] = '\0';
	out = oa_ical_fold(in);
	/* 200 octets: 75, then 74 + 1 space, then 51 + 1 space. */
	assert_int_equal(strlen(out), 200 + 3 + 3 + 2);
	assert_memory_equal(out + 75, "\r\n x", 4);
	assert_memory_equal(out + 75 + 3 + 74, "\r\n x", 4);
	assert_folded(out);
	free(out);
}

static void
test_fold_utf8(void **state)
{
	char in[256] = "SUMMARY:";
	char *out;

	(void)state;
	/* 8 + 30 * 3 octets.  75 would cut the 23rd character: the first line takes 22 (74). */
	for (int i = 0; i < 30; i++)
		strcat(in, "会");
	out = oa_ical_fold(in);
	assert_memory_equal(out + 74, "\r\n ", 3);
	assert_int_equal(strlen(out), 8 + 90 + 3 + 2);
	assert_folded(out);
	free(out);
}

static void
test_unfold_refold(void **state)
{
	char *out;

	(void)state;
	/* libical's own folding (here with a tab) is undone first; LF becomes CRLF. */
	out = oa_ical_fold("BEGIN:VEVENT\nSUMMARY:ab\r\n\tcd\r\n e\nEND:VEVENT\n");
	assert_string_equal(out, "BEGIN:VEVENT\r\nSUMMARY:abcde\r\nEND:VEVENT\r\n");
	free(out);
}

static void
test_uid(void **state)
{
	char a[128], b[128], c[128], d[128];

	(void)state;
	oa_ical_uid("2026-05-06", "HY-01", NULL, a, sizeof a);
	oa_ical_uid("2026-05-06", "HY-01", NULL, b, sizeof b);
	oa_ical_uid("2026-05-06", "HY-02", "example.gov.cn", c, sizeof c);
	oa_ical_uid("2026-05-13", "HY-01", NULL, d, sizeof d);
	assert_string_equal(a, b);            /* the same batch again: the same UID */
	assert_int_equal(strlen(a), 16 + strlen("@officeadm"));
	assert_non_null(strstr(c, "@example.gov.cn"));
	assert_memory_not_equal(a, c, 16);
	assert_memory_not_equal(a, d, 16);    /* next week's HY-01 is another meeting */
	/* FNV-1a 64 of the one octet 0x1f (empty batch and id), worked out by hand. */
	oa_ical_uid("", "", NULL, a, sizeof a);
	assert_string_equal(a, "af63d24c8601db8e@officeadm");
	/* The separator keeps ("ab", "c") and ("a", "bc") apart. */
	oa_ical_uid("ab", "c", NULL, a, sizeof a);
	oa_ical_uid("a", "bc", NULL, b, sizeof b);
	assert_string_not_equal(a, b);
}

/* One meeting placed by hand: 2026-03-02 08:30-10:00 in 第一会议室. */
static void
make_schedule(oa_schedule *s)
{
	static int req[] = { 0, 1 }, opt[] = { 2 };
	oa_error err;

	oa_schedule_init(s);
	oa_error_clear(&err);
	s->npeople = 0;
	assert_int_equal(oa_schedule_person(s, "赵志刚", &err), 0);
	assert_int_equal(oa_schedule_person(s, "钱丽华", &err), 1);
	assert_int_equal(oa_schedule_person(s, "王建国", &err), 2);
	free(s->people[0].email);
	s->people[0].email = strdup("zhaozg@example.gov.cn");
	free(s->people[2].email);
	s->people[2].email = strdup("wangjg@example.gov.cn");
	assert_int_equal(oa_schedule_add_room(s, "第一会议室", 30, &err), 0);
	s->req = calloc(1, sizeof *s->req);
	s->nreq = s->cap_req = 1;
	s->req[0].id = strdup("HY-01");
	s->req[0].title = strdup("预算, 决算; 审核\\说明");
	s->req[0].duration = 90;
	s->req[0].required = malloc(sizeof req);
	memcpy(s->req[0].required, req, sizeof req);
	s->req[0].nrequired = 2;
	s->req[0].optional = malloc(sizeof opt);
	memcpy(s->req[0].optional, opt, sizeof opt);
	s->req[0].noptional = 1;
	s->req[0].priority = 2;
	s->req[0].organizer = 2;
	s->req[0].placed = true;
	s->req[0].start = T("2026-03-02 08:30");
	s->req[0].placed_room = 0;
}

static void
test_invitation(void **state)
{
	oa_schedule s;
	oa_ical_options opt;
	oa_error err;
	oa_ical_report rep;
	char *text;
	icalcomponent *cal, *ev;

	(void)state;
	make_schedule(&s);
	oa_ical_options_init(&opt);
	opt.dtstamp = 1772409600; /* 2026-03-02 00:00:00 UTC */
	opt.sequence = 2;
	oa_error_clear(&err);
	text = oa_ical_schedule(&s, &opt, &rep, &err);
	assert_non_null(text);
	assert_folded(text);
	assert_int_equal(rep.no_email, 1); /* 钱丽华 has no address */
	assert_false(rep.publish);
	assert_non_null(strstr(text, "\r\nMETHOD:REQUEST\r\n"));
	assert_non_null(strstr(text, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
	assert_non_null(strstr(text, "\r\nDTSTART;TZID=Asia/Shanghai:20260302T083000\r\n"));
	assert_non_null(strstr(text, "\r\nDTEND;TZID=Asia/Shanghai:20260302T100000\r\n"));
	assert_non_null(strstr(text, "\r\nDTSTAMP:20260302T000000Z\r\n"));
	assert_non_null(strstr(text, "\r\nSEQUENCE:2\r\n"));
	assert_non_null(strstr(text, "\r\nSUMMARY:预算\\, 决算\\; 审核\\\\说明\r\n"));
	assert_non_null(strstr(text, "\r\nORGANIZER;CN=王建国:mailto:wangjg@example.gov.cn\r\n"));

	/* Parse it back: one event, its attendees and roles, valid for REQUEST. */
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalrestriction_check(cal), 1);
	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(ev);
	assert_string_equal(icalcomponent_get_summary(ev), "预算, 决算; 审核\\说明");
	{
		int req = 0, opt_n = 0;
		for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
		     p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
			icalparameter *r = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER);
			assert_non_null(r);
			if (icalparameter_get_role(r) == ICAL_ROLE_REQPARTICIPANT) {
				req++;
				assert_string_equal(icalproperty_get_attendee(p), "mailto:zhaozg@example.gov.cn");
			} else {
				opt_n++;
				assert_int_equal(icalparameter_get_role(r), ICAL_ROLE_OPTPARTICIPANT);
			}
		}
		assert_int_equal(req, 1);
		assert_int_equal(opt_n, 1);
	}
	icalcomponent_free(cal);
	free(text);

	/* UTC instead of a zone: 08:30 in Shanghai is 00:30Z, no VTIMEZONE. */
	opt.timezone = "UTC";
	text = oa_ical_schedule(&s, &opt, NULL, &err);
	assert_non_null(strstr(text, "\r\nDTSTART:20260302T003000Z\r\n"));
	assert_null(strstr(text, "VTIMEZONE"));
	free(text);
	oa_schedule_release(&s);
}

struct got {
	oa_minute start[32], end[32];
	int nwho[32];
	char who0[32][64];
	size_t n;
};

static int
collect(void *ctx, const oa_ical_who *who, size_t nwho, oa_minute start, oa_minute end,
        const char *summary, oa_error *err)
{
	struct got *g = ctx;

	(void)summary;
	(void)err;
	if (g->n == 32)
		return -1;
	g->start[g->n] = start;
	g->end[g->n] = end;
	g->nwho[g->n] = (int)nwho;
	snprintf(g->who0[g->n], sizeof g->who0[0], "%s",
	         nwho ? (who[0].email ? who[0].email : who[0].name) : "");
	g->n++;
	return 0;
}

static const char busy_ics[] =
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
	"BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"
	"BEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"
	"TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n"
	"BEGIN:DAYLIGHT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"
	"TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
	/* Daily x5 from 03-01 20:00 New York, 03-03 excluded, plus 03-10 (after DST). */
	"BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=America/New_York:20260301T200000\r\n"
	"DTEND;TZID=America/New_York:20260301T210000\r\nRRULE:FREQ=DAILY;COUNT=5\r\n"
	"EXDATE;TZID=America/New_York:20260303T200000\r\n"
	"RDATE;TZID=America/New_York:20260310T200000\r\n"
	"ATTENDEE;CN=Alice:mailto:alice@example.org\r\n"
	"ATTENDEE;PARTSTAT=DECLINED;CN=Bob:mailto:bob@example.org\r\nEND:VEVENT\r\n"
	/* All day on 03-05 (local day). */
	"BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20260305\r\nDTEND;VALUE=DATE:20260306\r\n"
	"END:VEVENT\r\n"
	/* Floating: local wall-clock time. */
	"BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20260305T140000\r\nDTEND:20260305T150000\r\nEND:VEVENT\r\n"
	/* UTC: 01:00Z is 09:00 in Shanghai; 45 minutes by DURATION. */
	"BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260305T010000Z\r\nDURATION:PT45M\r\nEND:VEVENT\r\n"
	/* Cancelled and transparent: not busy. */
	"BEGIN:VEVENT\r\nUID:e\r\nSTATUS:CANCELLED\r\nDTSTART:20260304T100000\r\n"
	"DTEND:20260304T110000\r\nEND:VEVENT\r\n"
	"BEGIN:VEVENT\r\nUID:f\r\nTRANSP:TRANSPARENT\r\nDTSTART:20260304T100000\r\n"
	"DTEND:20260304T110000\r\nEND:VEVENT\r\n"
	/* Weekly from 03-02 15:00 Shanghai (no VTIMEZONE: libical's built-in zone), */
	/* the 03-09 one moved to 03-10 10:00, 03-16 outside the window. */
	"BEGIN:VEVENT\r\nUID:g\r\nDTSTART;TZID=Asia/Shanghai:20260302T150000\r\n"
	"DTEND;TZID=Asia/Shanghai:20260302T160000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
	"BEGIN:VEVENT\r\nUID:g\r\nRECURRENCE-ID;TZID=Asia/Shanghai:20260309T150000\r\n"
	"DTSTART;TZID=Asia/Shanghai:20260310T100000\r\nDTEND;TZID=Asia/Shanghai:20260310T110000\r\n"
	"END:VEVENT\r\n"
	"END:VCALENDAR\r\n";

static void
test_read_busy(void **state)
{
	static const char *const want[][2] = {
		{ "2026-03-02 09:00", "2026-03-02 10:00" }, /* a */
		{ "2026-03-02 15:00", "2026-03-02 16:00" }, /* g */
		{ "2026-03-03 09:00", "2026-03-03 10:00" }, /* a */
		{ "2026-03-05 00:00", "2026-03-06 00:00" }, /* b */
		{ "2026-03-05 09:00", "2026-03-05 09:45" }, /* d */
		{ "2026-03-05 09:00", "2026-03-05 10:00" }, /* a */
		{ "2026-03-05 14:00", "2026-03-05 15:00" }, /* c */
		{ "2026-03-06 09:00", "2026-03-06 10:00" }, /* a */
		{ "2026-03-10 10:00", "2026-03-10 11:00" }, /* g, moved */
		{ "2026-03-11 08:00", "2026-03-11 09:00" }, /* a, RDATE after DST */
	};
	char path[] = "/tmp/test_ical.XXXXXX";
	int fd = mkstemp(path);
	struct got g;
	oa_error err;
	size_t n = sizeof want / sizeof want[0];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, busy_ics, strlen(busy_ics)), (ssize_t)strlen(busy_ics));
	close(fd);
	memset(&g, 0, sizeof g);
	oa_error_clear(&err);
	assert_int_equal(oa_ical_read_busy(path, "Asia/Shanghai", T("2026-03-01 00:00"),
	                                   T("2026-03-15 00:00"), collect, &g, &err),
	                 (long)n);
	unlink(path);
	assert_int_equal(g.n, n);
	/* Sort by start, then end, to compare with the table. */
	for (size_t i = 1; i < g.n; i++)
		for (size_t j = i; j > 0 && (g.start[j - 1] > g.start[j] ||
		                             (g.start[j - 1] == g.start[j] && g.end[j - 1] > g.end[j]));
		     j--) {
			oa_minute t = g.start[j];
			g.start[j] = g.start[j - 1];
			g.start[j - 1] = t;
			t = g.end[j];
			g.end[j] = g.end[j - 1];
			g.end[j - 1] = t;
			int w = g.nwho[j];
			g.nwho[j] = g.nwho[j - 1];
			g.nwho[j - 1] = w;
		}
	for (size_t i = 0; i < n; i++) {
		char a[20], b[20];
		oa_datetime_format(g.start[i], a);
		oa_datetime_format(g.end[i], b);
		assert_string_equal(a, want[i][0]);
		assert_string_equal(b, want[i][1]);
	}
	/* Event a names Alice only: Bob declined. */
	assert_int_equal(g.nwho[0], 1);
}

static void
test_read_busy_errors(void **state)
{
	char path[] = "/tmp/test_ical.XXXXXX";
	int fd = mkstemp(path);
	oa_error err;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "id,title\n1,x\n", 13), 13);
	close(fd);
	oa_error_clear(&err);
	assert_int_equal(oa_ical_read_busy(path, "Asia/Shanghai", 0, 1, collect, NULL, &err), -1);
	assert_string_equal(err.msg, "not an iCalendar file: no BEGIN:VCALENDAR");
	unlink(path);
	assert_int_equal(oa_ical_read_busy("/nonexistent/x.ics", "Asia/Shanghai", 0, 1, collect,
	                                   NULL, &err), -1);
}

/* Writes TEXT to a temporary .ics and reads it over [from, to); returns the count. */
static long
read_text(const char *text, const char *from, const char *to, struct got *g, long *steps,
          oa_error *err)
{
	char path[] = "/tmp/test_ical.XXXXXX";
	int fd = mkstemp(path);
	long n;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	if (g != NULL)
		memset(g, 0, sizeof *g);
	oa_error_clear(err);
	n = oa_ical_read_busy_counted(path, "Asia/Shanghai", T(from), T(to), g ? collect : NULL, g,
	                              steps, err);
	unlink(path);
	return n;
}

#define CAL(events) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" events \
	"END:VCALENDAR\r\n"

static void
test_recurrence_bounds(void **state)
{
	struct got g;
	oa_error err;
	long steps = 0;
	char *many;
	size_t len = 0;

	(void)state;
	/* No 30th of February: nothing, and the work is the window's days, not the seconds to 2582. */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:feb30\r\nDTSTART:20260101T090000\r\n"
	                               "DURATION:PT1M\r\nRRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\r\n"
	                               "END:VEVENT\r\n"),
	                           "2026-01-01 00:00", "2027-01-01 00:00", &g, &steps, &err), 0);
	assert_true(steps > 0 && steps < 400);
	/* The same with DAILY, which libical iterates: UNTIL is the window's end. */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:feb30d\r\nDTSTART:20260101T090000\r\n"
	                               "DURATION:PT1M\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n"
	                               "END:VEVENT\r\n"),
	                           "2026-01-01 00:00", "2027-01-01 00:00", &g, &steps, &err), 0);
	assert_true(steps < 400);

	/*
	 * Every 7 hours from 2000-01-01 09:00, 30 minutes: still there in 2026.
	 * Worked out with Python's datetime: 03:00, 10:00 and 17:00 on 03-02.
	 */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:h\r\nDTSTART:20000101T090000\r\n"
	                               "DURATION:PT30M\r\nRRULE:FREQ=HOURLY;INTERVAL=7\r\nEND:VEVENT\r\n"),
	                           "2026-03-02 00:00", "2026-03-03 00:00", &g, &steps, &err), 3);
	assert_int_equal(g.start[0], T("2026-03-02 03:00"));
	assert_int_equal(g.end[0], T("2026-03-02 03:30"));
	assert_int_equal(g.start[1], T("2026-03-02 10:00"));
	assert_int_equal(g.start[2], T("2026-03-02 17:00"));
	assert_true(steps < 10000); /* the window's days, not 26 years of hours */
	/* A weekly rule from 2000 through libical: the window only as well. */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20000103T090000\r\n"
	                               "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;INTERVAL=2\r\nEND:VEVENT\r\n"),
	                           "2026-03-02 00:00", "2026-03-16 00:00", &g, &steps, &err), 1);
	/* 2000-01-03 and 2026-03-02 are Mondays 1365 weeks apart (odd): 03-09 is the one. */
	assert_int_equal(g.start[0], T("2026-03-09 09:00"));
	assert_true(steps < 100);

	/* 100 events every second, a minute long: one busy stretch each, bounded work. */
	many = malloc(100 * 200 + 200);
	assert_non_null(many);
	len = (size_t)sprintf(many, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n");
	for (int i = 0; i < 100; i++)
		len += (size_t)sprintf(many + len,
		                       "BEGIN:VEVENT\r\nUID:s%d\r\nDTSTART:20260302T0900%02d\r\n"
		                       "DURATION:PT1M\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n",
		                       i, i % 60);
	sprintf(many + len, "END:VCALENDAR\r\n");
	assert_int_equal(read_text(many, "2026-03-02 00:00", "2026-03-04 00:00", NULL, &steps, &err),
	                 100);
	free(many);
	assert_true(steps <= 100L * 7 * 1441);

	/* A rule that counts from 1900 cannot jump to the window: past the bound, an error. */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:far\r\nDTSTART:19000101T090000\r\n"
	                               "DURATION:PT1M\r\nRRULE:FREQ=SECONDLY;COUNT=2000000000\r\n"
	                               "END:VEVENT\r\n"),
	                           "2026-03-02 00:00", "2026-03-03 00:00", &g, &steps, &err), -1);
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "needs more than 5000000 steps"));
}

static void
test_zones(void **state)
{
	static const char *const names[] = {
		"China Standard Time", "Tokyo Standard Time", "W. Europe Standard Time",
		"Eastern Standard Time", "Pacific Standard Time", "GMT Standard Time",
		"Romance Standard Time", "India Standard Time", "Korea Standard Time",
		"Singapore Standard Time", "Taipei Standard Time", "AUS Eastern Standard Time",
		"Russian Standard Time", "Central Standard Time", "SE Asia Standard Time",
	};
	struct got g;
	oa_error err;

	(void)state;
	assert_string_equal(oa_ical_windows_zone("China Standard Time"), "Asia/Shanghai");
	assert_string_equal(oa_ical_windows_zone("tokyo standard time"), "Asia/Tokyo");
	assert_string_equal(oa_ical_windows_zone("W. Europe Standard Time"), "Europe/Berlin");
	assert_null(oa_ical_windows_zone("Mars Standard Time"));
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_non_null(icaltimezone_get_builtin_timezone(oa_ical_windows_zone(names[i])));
	/* Tokyo 15:00 is Shanghai 14:00; Berlin 07:00 (winter, UTC+1) is 14:00. */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:t\r\n"
	                               "DTSTART;TZID=Tokyo Standard Time:20260303T150000\r\n"
	                               "DTEND;TZID=Tokyo Standard Time:20260303T170000\r\nEND:VEVENT\r\n"
	                               "BEGIN:VEVENT\r\nUID:b\r\n"
	                               "DTSTART;TZID=\"W. Europe Standard Time\":20260302T070000\r\n"
	                               "DTEND;TZID=\"W. Europe Standard Time\":20260302T080000\r\n"
	                               "END:VEVENT\r\n"),
	                           "2026-03-01 00:00", "2026-03-05 00:00", &g, NULL, &err), 2);
	assert_int_equal(g.start[0], T("2026-03-03 14:00"));
	assert_int_equal(g.end[0], T("2026-03-03 16:00"));
	assert_int_equal(g.start[1], T("2026-03-02 14:00"));
	/* An unknown zone is an error naming its line, not Beijing time. */
	assert_int_equal(read_text(CAL("BEGIN:VEVENT\r\nUID:x\r\n"
	                               "DTSTART;TZID=Mars Standard Time:20260303T150000\r\n"
	                               "DURATION:PT1H\r\nEND:VEVENT\r\n"),
	                           "2026-03-01 00:00", "2026-03-05 00:00", &g, NULL, &err), -1);
	assert_int_equal(err.line, 6);
	assert_non_null(strstr(err.msg, "unknown time zone TZID \"Mars Standard Time\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_ascii),
		cmocka_unit_test(test_fold_utf8),
		cmocka_unit_test(test_unfold_refold),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_recurrence_bounds),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_invitation),
		cmocka_unit_test(test_read_busy),
		cmocka_unit_test(test_read_busy_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
