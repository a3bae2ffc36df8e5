/*
 * test_schedule_exact.c - the exact model and its solution (schedule_exact.h).
 *
 * The calendar is the built-in one: Monday to Friday, 08:30-12:00 and
 * 14:00-17:30, grain 15 minutes; 2026-03-02 is a Monday.  Rooms S (4 seats)
 * and L (10 seats).  Every optimum below is worked out by hand from the
 * objective in schedule.h: unplaced U*2^(5-p), U = 10000; late (6-p)*k with
 * k the grid steps after 08:30 of the first day; 100 per optional attendee
 * who cannot come; 1 per smaller room that would also hold the meeting.
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

#include "schedule.h"
#include "schedule_exact.h"

static oa_minute
T(const char *s)
{
	oa_minute t;

	if (oa_datetime_parse(s, strlen(s), 0, &t) < 0)
		fail_msg("bad date-time in test: %s", s);
	return t;
}

/* A schedule with rooms L (10 seats) and S (4 seats) and REQUESTS (CSV). */
static void
setup(oa_schedule *s, const char *requests, double search_seconds)
{
	char path[64];
	oa_error err;
	oa_date from;
	int fd;

	oa_schedule_init(s);
	s->search_seconds = search_seconds;
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_add_room(s, "L", 10, &err), 0);
	assert_int_equal(oa_schedule_add_room(s, "S", 4, &err), 1);
	assert_int_equal(oa_date_parse("2026-03-02", 10, &from), 0);
	snprintf(path, sizeof path, "/tmp/test_schedule_exact.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, requests, strlen(requests)), (ssize_t)strlen(requests));
	close(fd);
	if (oa_schedule_read_requests(s, path, NULL, from, &err) < 0)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	unlink(path);
}

static void
busy(oa_schedule *s, const char *who, const char *a, const char *b)
{
	oa_error err;

	assert_int_equal(oa_schedule_add_busy(s, oa_schedule_person(s, who, NULL), T(a), T(b),
	                                      &err), 0);
}

static oa_sched_request *
req(oa_schedule *s, const char *id)
{
	for (size_t i = 0; i < s->nreq; i++)
		if (strcmp(s->req[i].id, id) == 0)
			return &s->req[i];
	fail_msg("no request %s", id);
	return NULL;
}

static void
solve(oa_schedule *s, int want_unplaced)
{
	oa_error err;
	char msg[256];

	oa_error_clear(&err);
	assert_int_equal(oa_schedule_solve(s, &err), want_unplaced);
	if (oa_schedule_check(s, msg, sizeof msg) != 0)
		fail_msg("hard constraint broken: %s", msg);
}

static void
prove(oa_schedule *s, bool replace, oa_sched_proof *pf)
{
	oa_sched_prove_options po;
	oa_error err;
	char msg[256];

	oa_error_clear(&err);
	oa_sched_prove_options_init(&po);
	po.seconds = 30;
	po.replace = replace;
	if (oa_schedule_prove(s, &po, pf, &err) < 0)
		fail_msg("prove: %s", err.msg);
	if (pf->status == OA_PROVE_OUTSIDE)
		fail_msg("prove: model and schedule disagree: %s", pf->detail);
	if (oa_schedule_check(s, msg, sizeof msg) != 0)
		fail_msg("hard constraint broken after prove: %s", msg);
	assert_int_equal(oa_schedule_objective(s, NULL), pf->replaced ? pf->best : pf->given);
}

#define HEAD "id,title,duration,required,optional,priority,earliest,latest,room,seats,start\n"

/* One meeting after a busy block: optimum 10:00, k = 6, F = (6-1)*6 = 30. */
static void
test_optimum_after_busy(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s, HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n", 0.5);
	busy(&s, "A", "2026-03-02 08:30", "2026-03-02 10:00");
	solve(&s, 0);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.given, 30);
	assert_int_equal(pf.best, 30);
	assert_int_equal(pf.bound, 30);
	assert_false(pf.replaced);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 10:00"));
	assert_true(oa_sched_gap(pf.given, pf.bound) == 0.0);
	oa_schedule_release(&s);
}

/*
 * The same meeting moved by hand to 11:00 (k = 10, F = 50): the gap to the
 * optimum 30 is (50 - 30) / 50 = 40%.  Without replace the schedule stays;
 * with it, the meeting goes to 10:00.
 */
static void
test_gap_of_a_worse_schedule(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s, HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n", 0.5);
	busy(&s, "A", "2026-03-02 08:30", "2026-03-02 10:00");
	solve(&s, 0);
	req(&s, "R1")->start = T("2026-03-02 11:00");
	assert_int_equal(oa_schedule_objective(&s, NULL), 50);
	prove(&s, false, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.given, 50);
	assert_int_equal(pf.best, 30);
	assert_int_equal(pf.bound, 30);
	assert_false(pf.replaced);
	assert_true(oa_sched_gap(pf.given, pf.bound) > 39.999 &&
	            oa_sched_gap(pf.given, pf.bound) < 40.001);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 11:00"));
	prove(&s, true, &pf);
	assert_true(pf.replaced);
	assert_int_equal(pf.best, 30);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 10:00"));
	assert_int_equal(oa_schedule_objective(&s, NULL), 30);
	oa_schedule_release(&s);
}

/*
 * A heuristic known to be suboptimal: with no search time it is the greedy
 * pass and single moves only.  R1 (priority 1, A, any time that day) is
 * placed first at 08:30; R2 (priority 2, A and C) fits only at 08:30, so it
 * is left out: F = 10000 * 2^3 = 80000.  The optimum puts R2 at 08:30 and
 * R1 at 09:30 (k = 4): F = (6-1)*4 = 20, gap (80000 - 20) / 80000.
 */
static void
test_prove_beats_the_heuristic(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s,
	      HEAD "R1,Budget,1h,A,,1,2026-03-02,2026-03-02,,,\n"
	           "R2,Audit,1h,A;C,,2,2026-03-02 08:30,2026-03-02 09:30,,,\n",
	      0.0);
	solve(&s, 1);
	assert_int_equal(oa_schedule_objective(&s, NULL), 80000);
	assert_false(req(&s, "R2")->placed);
	assert_non_null(req(&s, "R2")->reason);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.given, 80000);
	assert_int_equal(pf.best, 20);
	assert_int_equal(pf.bound, 20);
	assert_true(pf.replaced);
	assert_true(req(&s, "R2")->placed);
	assert_null(req(&s, "R2")->reason);
	assert_int_equal(req(&s, "R2")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 09:30"));
	assert_string_equal(s.rooms[req(&s, "R1")->placed_room].name, "S");
	assert_true(oa_sched_gap(80000, 20) > 99.97 && oa_sched_gap(80000, 20) < 99.98);
	oa_schedule_release(&s);
}

/*
 * An optional attendee: R2 (priority 2, C required, A optional) at 08:30
 * with R1 (priority 1, A and B) costs 100 for A; at 09:30 it costs
 * (6-2)*4 = 16; moving R1 instead costs 20.  Optimum 16.  The schedule
 * with both at 08:30, R2 in L (rank 1), costs 100 + 1 = 101: gap 84.16%.
 */
static void
test_optional_attendee(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s,
	      HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n"
	           "R2,Audit,1h,C,A,2,2026-03-02,2026-03-02,,,\n",
	      0.5);
	solve(&s, 0);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.best, 16);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "R2")->start, T("2026-03-02 09:30"));
	/* The deliberately worse schedule. */
	req(&s, "R2")->start = T("2026-03-02 08:30");
	req(&s, "R2")->placed_room = oa_schedule_find_room(&s, "L");
	req(&s, "R1")->placed_room = oa_schedule_find_room(&s, "S");
	assert_int_equal(oa_schedule_objective(&s, NULL), 101);
	prove(&s, false, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.given, 101);
	assert_int_equal(pf.best, 16);
	assert_int_equal(pf.bound, 16);
	assert_true(oa_sched_gap(101, 16) > 84.158 && oa_sched_gap(101, 16) < 84.159);
	oa_schedule_release(&s);
}

/*
 * Buffer 15 and rooms: R1 (A, B) and R2 (C, D) both fit only 08:30-09:30,
 * so one takes L (rank 1); R3 (A) starts 15 minutes after R1 ends, at
 * 09:45 (k = 5), priority 3: (6-3)*5 = 15.  Optimum 1 + 15 = 16.
 */
static void
test_buffer_and_rooms(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s,
	      HEAD "R1,Budget,1h,A;B,,3,2026-03-02 08:30,2026-03-02 09:30,,,\n"
	           "R2,Audit,1h,C;D,,3,2026-03-02 08:30,2026-03-02 09:30,,,\n"
	           "R3,Plan,1h,A,,3,2026-03-02,2026-03-02,,,\n",
	      0.5);
	s.buffer = 15;
	solve(&s, 0);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.best, 16);
	assert_int_equal(pf.bound, 16);
	assert_int_equal(req(&s, "R3")->start, T("2026-03-02 09:45"));
	oa_schedule_release(&s);
}

/*
 * A fixed meeting F1 (08:30-09:30 in S, B required, A optional) is busy
 * time for A: R1 (priority 1, A) goes to 09:30, (6-1)*4 = 20.  R2
 * (priority 5, C, room S, only 08:30-09:30) can never be placed: 10000.
 * Optimum 10020; R2 keeps the heuristic's reason.
 */
static void
test_fixed_meeting(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s,
	      HEAD "F1,Board,1h,B,A,1,,,S,,2026-03-02 08:30\n"
	           "R1,Budget,1h,A,,1,2026-03-02,2026-03-02,,,\n"
	           "R2,Audit,1h,C,,5,2026-03-02 08:30,2026-03-02 09:30,S,,\n",
	      0.5);
	solve(&s, 1);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.best, 10020);
	assert_int_equal(pf.bound, 10020);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 09:30"));
	assert_true(req(&s, "F1")->placed);
	assert_false(req(&s, "R2")->placed);
	assert_non_null(req(&s, "R2")->reason);
	oa_schedule_release(&s);
}

/*
 * One optional attendee O at three meetings whose windows fix them: A
 * (priority 1, 08:30-10:30) meets B (08:30-09:30) and C (09:30-10:30).  One
 * room holds A, the other B then C; the cheapest has A in L: 1.  C starts
 * 4 grid steps after 08:30 of its day: (6-2)*4 = 16.  Before issue 14 the
 * objective counts O present at all three: F = 17.  Since, O attends A (it
 * comes first) and misses B and C: F = 217, although missing A instead
 * would cost only 100; the model must follow that rule too.
 */
static void
test_optional_at_overlapping_meetings(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;
	oa_sched_cost c;

	(void)state;
	setup(&s,
	      HEAD "A,Budget,2h,P1,O,1,2026-03-02 08:30,2026-03-02 10:30,,2,\n"
	           "B,Audit,1h,P2,O,2,2026-03-02 08:30,2026-03-02 09:30,,2,\n"
	           "C,Plan,1h,P3,O,2,2026-03-02 09:30,2026-03-02 10:30,,2,\n",
	      0.5);
	solve(&s, 0);
	oa_schedule_objective(&s, &c);
	assert_true(c.optional == 0 || c.optional == 200);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.best, c.optional == 0 ? 17 : 217);
	assert_int_equal(pf.bound, pf.best);
	oa_schedule_release(&s);
}

/*
 * Through the lunch break: with span_breaks a 4-hour meeting may start at
 * 11:00 and end at 15:00 (A is busy until 11:00): k = 10, (6-1)*10 = 50.
 * A whole-day meeting (1天) cannot be on Monday (B busy at 09:00), so it is
 * on Tuesday at 08:30: k = 28 (the 14 + 14 grid starts of Monday),
 * (6-3)*28 = 84.  Optimum 134; both are starts of the model.
 */
static void
test_through_the_break(void **state)
{
	oa_schedule s;
	oa_sched_proof pf;

	(void)state;
	setup(&s,
	      HEAD "R1,Budget,4h,A,,1,2026-03-02,2026-03-02,,,\n"
	           "R2,Retreat,1天,B,,3,2026-03-02,2026-03-03,,,\n",
	      0.5);
	s.span_breaks = true;
	busy(&s, "A", "2026-03-02 08:30", "2026-03-02 11:00");
	busy(&s, "B", "2026-03-02 09:00", "2026-03-02 10:00");
	assert_true(req(&s, "R2")->whole_day);
	solve(&s, 0);
	prove(&s, true, &pf);
	assert_int_equal(pf.status, OA_PROVE_OPTIMAL);
	assert_int_equal(pf.best, 134);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 11:00"));
	assert_int_equal(req(&s, "R2")->start, T("2026-03-03 08:30"));
	oa_schedule_release(&s);
}

/* Over the size limit: nothing solved, the schedule unchanged. */
static void
test_too_large(void **state)
{
	oa_schedule s;
	oa_sched_prove_options po;
	oa_sched_proof pf;
	oa_error err;

	(void)state;
	setup(&s, HEAD "R1,Budget,1h,A,,1,2026-03-02,2026-03-06,,,\n", 0.5);
	solve(&s, 0);
	oa_sched_prove_options_init(&po);
	po.max_columns = 10;
	assert_int_equal(oa_schedule_prove(&s, &po, &pf, &err), 0);
	assert_int_equal(pf.status, OA_PROVE_TOO_LARGE);
	assert_false(pf.replaced);
	assert_int_equal(pf.best, pf.given);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 08:30"));
	oa_schedule_release(&s);
}

static void
test_gap(void **state)
{
	(void)state;
	assert_true(oa_sched_gap(0, 0) == 0.0);
	assert_true(oa_sched_gap(100, 100) == 0.0);
	assert_true(oa_sched_gap(200, 150) == 25.0);
	assert_true(oa_sched_gap(80, 0) == 100.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_optimum_after_busy),
		cmocka_unit_test(test_gap_of_a_worse_schedule),
		cmocka_unit_test(test_prove_beats_the_heuristic),
		cmocka_unit_test(test_optional_attendee),
		cmocka_unit_test(test_buffer_and_rooms),
		cmocka_unit_test(test_fixed_meeting),
		cmocka_unit_test(test_optional_at_overlapping_meetings),
		cmocka_unit_test(test_through_the_break),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
