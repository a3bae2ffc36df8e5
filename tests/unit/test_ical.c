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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_ascii),
		cmocka_unit_test(test_fold_utf8),
		cmocka_unit_test(test_unfold_refold),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_invitation),
		cmocka_unit_test(test_read_busy),
		cmocka_unit_test(test_read_busy_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
