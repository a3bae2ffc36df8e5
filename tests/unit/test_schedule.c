/*
 * test_schedule.c - meeting placement (schedule.h).
 *
 * The calendar is the built-in one: Monday to Friday, 08:30-12:00 and
 * 14:00-17:30, grain 15 minutes, so a day has 14 + 14 grid start times.
 * 2026-03-02 is a Monday.  Every expected placement and objective below is
 * worked out by hand from the objective in schedule.h:
 *   unplaced U*2^(5-p), U = 10000; late (6-p)*k; optional 100 each; room rank.
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

#include "config.h"
#include "schedule.h"

static oa_minute
T(const char *s)
{
	oa_minute t;

	if (oa_datetime_parse(s, strlen(s), 0, &t) < 0)
		fail_msg("bad date-time in test: %s", s);
	return t;
}

static char tmpfile_path[64];

/* Writes TEXT to a temporary file and returns its path. */
static const char *
tmp_csv(const char *text)
{
	int fd;

	snprintf(tmpfile_path, sizeof tmpfile_path, "/tmp/test_schedule.XXXXXX");
	fd = mkstemp(tmpfile_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return tmpfile_path;
}

/* A schedule with rooms S (4 seats) and L (10 seats) and REQUESTS. */
static void
setup(oa_schedule *s, const char *requests)
{
	oa_error err;
	oa_date from;

	oa_schedule_init(s);
	s->search_seconds = 0.5;
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_add_room(s, "L", 10, &err), 0);
	assert_int_equal(oa_schedule_add_room(s, "S", 4, &err), 1);
	assert_int_equal(oa_date_parse("2026-03-02", 10, &from), 0);
	if (oa_schedule_read_requests(s, tmp_csv(requests), NULL, from, &err) < 0)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	unlink(tmpfile_path);
}

static int
busy(oa_schedule *s, const char *who, const char *a, const char *b)
{
	oa_error err;
	int p = oa_schedule_person(s, who, NULL);

	return oa_schedule_add_busy(s, p, T(a), T(b), &err);
}

static const oa_sched_request *
req(const oa_schedule *s, const char *id)
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

#define HEAD "id,title,duration,required,optional,priority,earliest,latest,room,seats,start\n"

static void
test_smallest_room_first_slot(void **state)
{
	oa_schedule s;

	(void)state;
	setup(&s, HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n");
	solve(&s, 0);
	assert_true(req(&s, "R1")->placed);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 08:30"));
	assert_string_equal(s.rooms[req(&s, "R1")->placed_room].name, "S");
	assert_int_equal(oa_schedule_objective(&s, NULL), 0);
	oa_schedule_release(&s);
}

/*
 * A re-run: R1 was sent for 10:00 in L.  Alone it would go to 08:30 in S
 * (F = 0); kept where it was it costs late (6-1)*6 = 30 and room rank 1
 * (S is smaller and fits), 31 < move_cost 1000: it stays.  With move_cost
 * 10 moving is cheaper (F = 10 against 31): it goes to 08:30 in S.
 */
static void
test_rerun_keeps_previous_place(void **state)
{
	oa_schedule s;
	oa_sched_cost c;
	oa_sched_request *q;

	(void)state;
	setup(&s, HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n");
	q = &s.req[0];
	q->has_prev = true;
	q->prev_start = T("2026-03-02 10:00");
	q->prev_room = oa_schedule_find_room(&s, "L");
	solve(&s, 0);
	assert_int_equal(q->start, T("2026-03-02 10:00"));
	assert_string_equal(s.rooms[q->placed_room].name, "L");
	assert_int_equal(oa_schedule_objective(&s, &c), 31);
	assert_int_equal(c.move, 0);
	assert_int_equal(c.late, 30);
	assert_int_equal(c.room, 1);
	s.w.move = 10;
	solve(&s, 0);
	assert_int_equal(q->start, T("2026-03-02 08:30"));
	assert_string_equal(s.rooms[q->placed_room].name, "S");
	assert_int_equal(oa_schedule_objective(&s, &c), 10);
	assert_int_equal(c.move, 10);
	oa_schedule_release(&s);
}

/*
 * Moving a sent meeting costs less than leaving out one of higher priority:
 * R1 (priority 3) was sent for 08:30; R2 (priority 1, A too) fits only at
 * 08:30-09:30.  R2 takes 08:30 and R1 moves to 09:30 (k = 4, late
 * (6-3)*4 = 12, plus move 1000); leaving R2 out would cost 160000.  A
 * previous meeting left out costs its penalty and the move cost.
 */
static void
test_rerun_move_below_priority(void **state)
{
	oa_schedule s;
	oa_sched_cost c;
	oa_sched_request *q;

	(void)state;
	setup(&s, HEAD "R1,Plan,1h,A,,3,2026-03-02,2026-03-02,,,\n"
	               "R2,Urgent,1h,A,,1,2026-03-02 08:30,2026-03-02 09:30,,,\n");
	q = &s.req[0];
	q->has_prev = true;
	q->prev_start = T("2026-03-02 08:30");
	q->prev_room = oa_schedule_find_room(&s, "S");
	solve(&s, 0);
	assert_int_equal(req(&s, "R2")->start, T("2026-03-02 08:30"));
	assert_int_equal(q->start, T("2026-03-02 09:30"));
	assert_int_equal(oa_schedule_objective(&s, &c), 1012);
	assert_int_equal(c.move, 1000);
	assert_int_equal(c.late, 12);
	/* A is away all day: R1 cannot be placed, R2 neither. */
	assert_int_equal(busy(&s, "A", "2026-03-02 08:00", "2026-03-02 18:00"), 0);
	solve(&s, 2);
	assert_int_equal(oa_schedule_objective(&s, &c), 40000 + 160000 + 1000);
	assert_int_equal(c.move, 1000);
	oa_schedule_release(&s);
}

static void
test_busy_moves_later(void **state)
{
	oa_schedule s;
	oa_sched_cost c;

	(void)state;
	/* A busy 08:30-10:00: first start 10:00, k = 90/15 = 6, late = (6-1)*6 = 30. */
	setup(&s, HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n");
	assert_int_equal(busy(&s, "A", "2026-03-02 08:30", "2026-03-02 10:00"), 0);
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 10:00"));
	assert_int_equal(oa_schedule_objective(&s, &c), 30);
	assert_int_equal(c.late, 30);
	oa_schedule_release(&s);
}

static void
test_buffer(void **state)
{
	oa_schedule s;

	(void)state;
	setup(&s, HEAD "R1,Budget,1h,A;B,,1,2026-03-02,2026-03-02,,,\n");
	s.buffer = 15;
	assert_int_equal(busy(&s, "A", "2026-03-02 08:30", "2026-03-02 10:00"), 0);
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 10:15"));
	oa_schedule_release(&s);
}

static void
test_lunch_break_and_next_day(void **state)
{
	oa_schedule s;

	(void)state;
	/*
	 * A 2-hour meeting from Monday 11:00: 11:00 would cross lunch, so the
	 * first start is 14:00 (k counts every grid time of the day before it:
	 * 14 morning times, late = (6-3)*14 = 42).  A busy all afternoon moves
	 * it to Tuesday 08:30: k = 28, late 84.
	 */
	setup(&s, HEAD "R1,Plan,2h,A,,3,2026-03-02 11:00,2026-03-04,,,\n");
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 14:00"));
	assert_int_equal(oa_schedule_objective(&s, NULL), 42);
	assert_int_equal(busy(&s, "A", "2026-03-02 14:00", "2026-03-02 17:30"), 0);
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-03 08:30"));
	assert_int_equal(oa_schedule_objective(&s, NULL), 84);
	oa_schedule_release(&s);
}

static void
test_priority_wins_and_reason(void **state)
{
	oa_schedule s;
	oa_sched_cost c;

	(void)state;
	/* Only 08:30-09:30 fits both; the priority-1 request gets it. */
	setup(&s, HEAD
	      "LOW,Low,1h,A;C,,3,2026-03-02 08:30,2026-03-02 09:30,,,\n"
	      "HIGH,High,1h,A;B,,1,2026-03-02 08:30,2026-03-02 09:30,,,\n");
	solve(&s, 1);
	assert_true(req(&s, "HIGH")->placed);
	assert_false(req(&s, "LOW")->placed);
	assert_string_equal(req(&s, "LOW")->reason,
	                    "A is busy at every possible time in the window");
	/* Unplaced priority 3: 10000 * 2^2. */
	assert_int_equal(oa_schedule_objective(&s, &c), 40000);
	assert_int_equal(c.unplaced, 40000);
	oa_schedule_release(&s);
}

static void
test_reasons(void **state)
{
	oa_schedule s;

	(void)state;
	setup(&s, HEAD
	      "BIG,Plenary,1h,A,,2,2026-03-02,2026-03-02,,20,\n"
	      "LUNCH,Lunch,1h,B,,2,2026-03-02 11:30,2026-03-02 14:00,,,\n"
	      "WEEKEND,Sat,1h,C,,2,2026-03-07,2026-03-08,,,\n"
	      "SMALL,Fixed room,1h,D;E;F;G;H,,2,2026-03-02,2026-03-02,S,,\n"
	      "BOTH,Two,1h,J;K,,2,2026-03-02 08:30,2026-03-02 10:00,,,\n");
	assert_int_equal(busy(&s, "J", "2026-03-02 08:30", "2026-03-02 09:00"), 0);
	assert_int_equal(busy(&s, "K", "2026-03-02 09:30", "2026-03-02 10:00"), 0);
	solve(&s, 5);
	assert_string_equal(req(&s, "BIG")->reason, "no room holds 20 seats (largest: \"L\", 10)");
	assert_string_equal(req(&s, "LUNCH")->reason,
	                    "no office time of 60 minutes between 2026-03-02 11:30 and "
	                    "2026-03-02 14:00");
	assert_string_equal(req(&s, "WEEKEND")->reason,
	                    "no working day between 2026-03-07 00:00 and 2026-03-09 00:00");
	assert_string_equal(req(&s, "SMALL")->reason, "room \"S\" holds 4, 5 seats needed");
	/* Starts 08:30, 08:45, 09:00: J blocks 08:30 and 08:45, K blocks 08:45 and 09:00. */
	assert_string_equal(req(&s, "BOTH")->reason, "no time when J and K are all free");
	oa_schedule_release(&s);
}

static void
test_optional_attendee(void **state)
{
	oa_schedule s;
	int absent[4];

	(void)state;
	/*
	 * C (optional) is busy 08:30-09:30.  At 08:30 C misses it: 100.  At
	 * 09:30: k = 4, late (6-3)*4 = 12.  So 09:30.
	 */
	setup(&s, HEAD "R1,Review,1h,A,C,3,2026-03-02,2026-03-02,,,\n");
	assert_int_equal(busy(&s, "C", "2026-03-02 08:30", "2026-03-02 09:30"), 0);
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 09:30"));
	assert_int_equal(oa_schedule_absent(&s, 0, absent, 4), 0);
	assert_int_equal(oa_schedule_objective(&s, NULL), 12);
	/* With C busy all day, C is absent whatever: 08:30 and 100. */
	assert_int_equal(busy(&s, "C", "2026-03-02 09:30", "2026-03-02 17:30"), 0);
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 08:30"));
	assert_int_equal(oa_schedule_absent(&s, 0, absent, 4), 1);
	assert_string_equal(s.people[absent[0]].name, "C");
	assert_int_equal(oa_schedule_objective(&s, NULL), 100);
	oa_schedule_release(&s);
}

static void
test_fixed_start_is_busy(void **state)
{
	oa_schedule s;

	(void)state;
	/* FIX holds A and room S at 08:30-09:30; R1 (A, 3 seats) goes to 09:30 in S. */
	setup(&s, HEAD
	      "R1,Next,1h,A;B;C,,1,2026-03-02,2026-03-02,,,\n"
	      "FIX,Fixed,1h,A,,5,,,S,,2026-03-02 08:30\n");
	solve(&s, 0);
	assert_true(req(&s, "FIX")->placed);
	assert_int_equal(req(&s, "FIX")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 09:30"));
	/* Fixed requests are not in the objective: k = 4, late = 5 * 4 = 20. */
	assert_int_equal(oa_schedule_objective(&s, NULL), 20);
	oa_schedule_release(&s);
}

static void
test_room_contention(void **state)
{
	oa_schedule s;

	(void)state;
	/*
	 * Three 1-hour meetings of different people, Monday only, rooms L
	 * and S.  Two fit at 08:30 (one in L: rank 1 for a 2-seat meeting);
	 * the third waits until 09:30 (k = 4).  Cheapest: priority 1 and 2 at
	 * 08:30, priority 3 at 09:30 in S: late 3*4 = 12, plus rank 1 for
	 * whichever of the two early ones is in L: 13.
	 */
	setup(&s, HEAD
	      "P1,One,1h,A;B,,1,2026-03-02,2026-03-02,,,\n"
	      "P2,Two,1h,C;D,,2,2026-03-02,2026-03-02,,,\n"
	      "P3,Three,1h,E;F,,3,2026-03-02,2026-03-02,,,\n");
	solve(&s, 0);
	assert_int_equal(req(&s, "P1")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "P2")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "P3")->start, T("2026-03-02 09:30"));
	assert_int_equal(oa_schedule_objective(&s, NULL), 13);
	oa_schedule_release(&s);
}

static void
test_free_slots(void **state)
{
	oa_schedule s;
	oa_sched_slot *slots;
	oa_error err;
	int who[2];

	(void)state;
	/*
	 * A busy 09:00-10:00 and B 14:00-15:00 on Monday; 60 minutes wanted:
	 * 08:30-09:00 is too short; 10:00-12:00 and 15:00-17:30 remain.
	 */
	oa_schedule_init(&s);
	who[0] = oa_schedule_person(&s, "A", &err);
	who[1] = oa_schedule_person(&s, "B", &err);
	assert_int_equal(busy(&s, "A", "2026-03-02 09:00", "2026-03-02 10:00"), 0);
	assert_int_equal(busy(&s, "B", "2026-03-02 14:00", "2026-03-02 15:00"), 0);
	assert_int_equal(oa_schedule_free_slots(&s, who, 2, T("2026-03-02 00:00"),
	                                        T("2026-03-03 00:00"), 60, &slots, &err), 2);
	assert_int_equal(slots[0].start, T("2026-03-02 10:00"));
	assert_int_equal(slots[0].end, T("2026-03-02 12:00"));
	assert_int_equal(slots[1].start, T("2026-03-02 15:00"));
	assert_int_equal(slots[1].end, T("2026-03-02 17:30"));
	free(slots);
	/* With a 30-minute buffer: A's 10:00 becomes 10:30, 08:30-08:30 nothing; B 15:30. */
	s.buffer = 30;
	assert_int_equal(oa_schedule_free_slots(&s, who, 2, T("2026-03-02 00:00"),
	                                        T("2026-03-03 00:00"), 60, &slots, &err), 2);
	assert_int_equal(slots[0].start, T("2026-03-02 10:30"));
	assert_int_equal(slots[1].start, T("2026-03-02 15:30"));
	free(slots);
	oa_schedule_release(&s);
}

static void
test_check_finds_violations(void **state)
{
	oa_schedule s;
	char msg[256];

	(void)state;
	setup(&s, HEAD
	      "R1,One,1h,A,,1,2026-03-02,2026-03-02,,,\n"
	      "R2,Two,1h,A,,1,2026-03-02,2026-03-02,,,\n");
	solve(&s, 0);
	/* Put R2 on top of R1: A in two places at once. */
	s.req[1].start = s.req[0].start;
	s.req[1].placed_room = 1 - s.req[0].placed_room;
	assert_true(oa_schedule_check(&s, msg, sizeof msg) > 0);
	assert_non_null(strstr(msg, "A is committed elsewhere"));
	/* And at lunch time. */
	s.req[1].start = T("2026-03-02 12:00");
	assert_true(oa_schedule_check(&s, msg, sizeof msg) > 0);
	assert_string_equal(msg, "R2: not in office hours on the grid");
	oa_schedule_release(&s);
}

static void
test_priority_parse(void **state)
{
	(void)state;
	assert_int_equal(oa_schedule_parse_priority("1"), 1);
	assert_int_equal(oa_schedule_parse_priority(" 5 "), 5);
	assert_int_equal(oa_schedule_parse_priority(""), 3);
	assert_int_equal(oa_schedule_parse_priority("特急"), 1);
	assert_int_equal(oa_schedule_parse_priority("紧急"), 2);
	assert_int_equal(oa_schedule_parse_priority("一般"), 3);
	assert_int_equal(oa_schedule_parse_priority("0"), -1);
	assert_int_equal(oa_schedule_parse_priority("6"), -1);
	assert_int_equal(oa_schedule_parse_priority("urgent"), -1);
}

static void
test_bad_requests(void **state)
{
	static const struct {
		const char *csv;
		long line;
		const char *msg;
	} cases[] = {
		{ HEAD "R1,x,0,A,,1,,,,,\n", 2, "duration \"0\" is not a duration" },
		{ HEAD "R1,x,1h,A,,9,,,,,\n", 2, "priority \"9\" is not 1..5, 特急, 紧急 or 一般" },
		{ HEAD "R1,x,1h,A,,1,2026-03-05,2026-03-04,,,\n", 2, "latest is not after earliest" },
		{ HEAD "R1,x,1h,A,,1,,,Nowhere,,\n", 2, "unknown room \"Nowhere\"" },
		{ HEAD "R1,x,1h,,,1,,,,,\n", 2, "no required attendee" },
		{ HEAD "R1,x,1h,A,,1,,,,,\nR1,y,1h,A,,1,,,,,\n", 3, "id \"R1\" already used on line 2" },
		{ HEAD "R1,x,1h,A,,1,2026-02-30,,,,\n", 2,
		  "earliest \"2026-02-30\" is not a date or date-time (2026-05-06 09:00, "
		  "2026/5/6 9:00 or 2026年5月6日)" },
		{ HEAD "R1,x,1h,A,,1,46148,,,,\n", 2,
		  "earliest \"46148\" is a spreadsheet day number, not a date: format the column "
		  "as a date (2026-05-06) before saving the CSV" },
		{ HEAD ",,,,,,,,,,\n", 0,
		  "no requests below the header (an empty batch would place nothing and cancel "
		  "every previous meeting)" },
		{ "id,title,required\nR1,x,A\n", 1, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		oa_schedule s;
		oa_error err;
		oa_date from = 20000;

		oa_schedule_init(&s);
		oa_error_clear(&err);
		assert_int_equal(oa_schedule_add_room(&s, "L", 10, &err), 0);
		assert_int_equal(oa_schedule_read_requests(&s, tmp_csv(cases[i].csv), NULL, from, &err),
		                 -1);
		unlink(tmpfile_path);
		assert_int_equal(err.line, cases[i].line);
		if (cases[i].msg)
			assert_string_equal(err.msg, cases[i].msg);
		else
			assert_non_null(strstr(err.msg, "duration"));
		oa_schedule_release(&s);
	}
}

static void
test_people_closed(void **state)
{
	oa_schedule s;
	oa_error err;

	(void)state;
	oa_schedule_init(&s);
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_read_people(&s, tmp_csv("姓名,邮箱\n张三,zhang@example.org\n"),
	                                         NULL, &err), 0);
	unlink(tmpfile_path);
	assert_int_equal(oa_schedule_find_person(&s, "zhang@EXAMPLE.org"), 0);
	assert_int_equal(oa_schedule_add_room(&s, "L", 10, &err), 0);
	assert_int_equal(oa_schedule_read_requests(&s, tmp_csv(HEAD "R1,x,1h,张三;李四,,1,,,,,\n"),
	                                           NULL, 20000, &err), -1);
	unlink(tmpfile_path);
	assert_string_equal(err.msg, "attendee \"李四\" is not in the people file");
	oa_schedule_release(&s);
}

/*
 * C is optional at R1 (priority 2) and R2 (priority 3), which can only be
 * at 08:30 the same day: C attends R1, which comes first, and misses R2.
 * Objective: 100 (C absent from R2) + 1 (one of them in the larger room L).
 */
static void
test_optional_not_in_two_places(void **state)
{
	oa_schedule s;
	int absent[4];

	(void)state;
	setup(&s, HEAD "R1,One,1h,A,C,2,2026-03-02 08:30,2026-03-02 09:30,,2,\n"
	               "R2,Two,1h,B,C,3,2026-03-02 08:30,2026-03-02 09:30,,2,\n");
	solve(&s, 0);
	assert_int_equal(req(&s, "R1")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "R2")->start, T("2026-03-02 08:30"));
	assert_int_equal(oa_schedule_absent(&s, 0, absent, 4), 0);
	assert_int_equal(oa_schedule_absent(&s, 1, absent, 4), 1);
	assert_string_equal(s.people[absent[0]].name, "C");
	assert_int_equal(oa_schedule_objective(&s, NULL), 101);
	oa_schedule_release(&s);
}

/*
 * The search sees the optional term exactly.  C is optional at M1
 * (priority 1, 08:30-09:30, its only time) and M2 (priority 2, 08:30-10:30,
 * its only time), so C attends M1 and misses M2 whatever else happens; R
 * (C required, priority 3, 30 minutes, from 10:00) is hand-checked
 * cheapest at 10:00 in S with M1 in S and M2 in L:
 *   F = 100 (C misses M2) + 1 (M2 in L) + (6-3)*6 (R: 6 grid starts from
 *       08:30 before 10:00) = 119,
 * against 120 with M1 in L (R must then take L) and 125 with R at 10:30
 * after M2 (k = 8).  The search before counted R's overlap with M2 as C
 * lost to M2 (100), which C already misses, and kept R at 10:30: 125.
 */
static void
test_optional_exact_delta(void **state)
{
	oa_schedule s;
	oa_sched_cost c;

	(void)state;
	setup(&s, HEAD "M1,One,1h,A,C,1,2026-03-02 08:30,2026-03-02 09:30,,2,\n"
	               "M2,Two,2h,B,C,2,2026-03-02 08:30,2026-03-02 10:30,,2,\n"
	               "R,Three,30,C,,3,2026-03-02 10:00,2026-03-02 12:00,,,\n");
	solve(&s, 0);
	assert_int_equal(req(&s, "R")->start, T("2026-03-02 10:00"));
	assert_string_equal(s.rooms[req(&s, "R")->placed_room].name, "S");
	assert_string_equal(s.rooms[req(&s, "M1")->placed_room].name, "S");
	assert_int_equal(oa_schedule_objective(&s, &c), 119);
	assert_int_equal(c.optional, 100);
	assert_int_equal(c.late, 18);
	assert_int_equal(c.room, 1);
	oa_schedule_release(&s);
}

/* Built-in hours 08:30-12:00, 14:00-17:30: 420 office minutes, a day of 540. */
static void
test_days_and_long_meetings(void **state)
{
	oa_schedule s;
	oa_error err;
	long m;
	bool whole;

	(void)state;
	oa_schedule_init(&s);
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_parse_duration(&s, "半天", &m, &whole, &err), 0);
	assert_int_equal(m, 210);
	assert_false(whole);
	assert_int_equal(oa_schedule_parse_duration(&s, "0.5d", &m, &whole, &err), 0);
	assert_int_equal(m, 210);
	assert_int_equal(oa_schedule_parse_duration(&s, "1天", &m, &whole, &err), 0);
	assert_int_equal(m, 540);
	assert_true(whole);
	assert_int_equal(oa_schedule_parse_duration(&s, "一天", &m, &whole, &err), 0);
	assert_int_equal(m, 540);
	assert_int_equal(oa_schedule_parse_duration(&s, "2天", &m, &whole, &err), -1);
	assert_int_equal(oa_schedule_parse_duration(&s, "1天2小时", &m, &whole, &err), -1);
	assert_int_equal(oa_schedule_parse_duration(&s, "90", &m, &whole, &err), 0);
	assert_int_equal(m, 90);
	oa_schedule_release(&s);

	/*
	 * H (半天) fills Monday morning; W (1天) is Tuesday 08:30-17:30 through
	 * lunch; X (240 minutes) fits no office period: unplaced, and the
	 * reason says so (not "empty window").
	 */
	setup(&s, HEAD "H,Half,半天,A,,3,2026-03-02,2026-03-02,,,\n"
	               "W,Whole,1天,B,,3,2026-03-03,2026-03-03,,,\n"
	               "X,Long,240,C,,3,2026-03-02,2026-03-06,,,\n");
	solve(&s, 1);
	assert_int_equal(req(&s, "H")->start, T("2026-03-02 08:30"));
	assert_int_equal(req(&s, "H")->duration, 210);
	assert_int_equal(req(&s, "W")->start, T("2026-03-03 08:30"));
	assert_int_equal(req(&s, "W")->start + req(&s, "W")->duration, T("2026-03-03 17:30"));
	assert_false(req(&s, "X")->placed);
	assert_string_equal(req(&s, "X")->reason,
	                    "240 minutes is longer than any office period (longest 210 minutes); "
	                    "[meetings] span_breaks = yes lets a meeting run through the breaks");
	/* Through lunch allowed: the first start that ends in the afternoon, 10:15-14:15. */
	s.span_breaks = true;
	solve(&s, 0);
	assert_int_equal(req(&s, "X")->start, T("2026-03-02 10:15"));
	oa_schedule_release(&s);
}

static void
test_windows_refused(void **state)
{
	oa_schedule s;
	oa_error err;
	oa_date from;

	(void)state;
	oa_schedule_init(&s);
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_add_room(&s, "L", 10, &err), 0);
	assert_int_equal(oa_date_parse("2026-03-02", 10, &from), 0);
	/* To 9999-12-31: refused, rather than a grid of 8000 years per request. */
	assert_int_equal(oa_schedule_read_requests(&s, tmp_csv(HEAD "R1,x,1h,A,,3,2026-03-02,9999-12-31,,,\n"),
	                                           NULL, from, &err), -1);
	unlink(tmpfile_path);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "is longer than [meetings] max_window (366 days)"));
	/* Before 1970: refused with its line, never "internal error". */
	assert_int_equal(oa_schedule_read_requests(&s, tmp_csv(HEAD "R1,x,1h,A,,3,1969-12-01,1969-12-05,,,\n"),
	                                           NULL, from, &err), -1);
	unlink(tmpfile_path);
	assert_non_null(strstr(err.msg, "before 1970-01-01"));
	assert_int_equal(oa_schedule_read_requests(&s, tmp_csv(HEAD "R1,x,1h,A,,3,,,,,1969-07-20 20:17\n"),
	                                           NULL, from, &err), -1);
	unlink(tmpfile_path);
	assert_non_null(strstr(err.msg, "before 1970-01-01"));
	oa_schedule_release(&s);
}

/* Fixed meetings: each conflict listed, and they keep their places. */
static void
test_fixed_conflicts(void **state)
{
	oa_schedule s;

	(void)state;
	setup(&s, HEAD "F1,Sunday,1h,A,,3,,,,,2026-03-08 10:00\n"
	               "F2,Night,8h,B,,3,,,,,2026-03-02 20:00\n"
	               "F3,Lunch,3h,C,,3,,,,,2026-03-03 11:00\n"
	               "F4,First,1h,D,,3,,,,,2026-03-04 09:00\n"
	               "F5,Second,1h,D,,3,,,,,2026-03-04 09:30\n"
	               "F6,Trip,1h,E,,3,,,,,2026-03-05 09:00\n"
	               "F7,Fine,1h,F,,3,,,,,2026-03-05 09:00\n");
	assert_int_equal(busy(&s, "E", "2026-03-05 00:00", "2026-03-06 00:00"), 0);
	solve(&s, 0);
	assert_string_equal(req(&s, "F1")->conflicts, "2026-03-08 is not a working day");
	assert_string_equal(req(&s, "F2")->conflicts,
	                    "2026-03-02 20:00-2026-03-03 04:00 is outside office hours");
	assert_string_equal(req(&s, "F3")->conflicts, "2026-03-03 11:00-14:00 is outside office hours");
	assert_null(req(&s, "F4")->conflicts);
	assert_string_equal(req(&s, "F5")->conflicts,
	                    "D is also at fixed meeting \"F4\" (2026-03-04 09:00-10:00)");
	assert_string_equal(req(&s, "F6")->conflicts, "E is busy 2026-03-05 00:00-2026-03-06 00:00");
	assert_null(req(&s, "F7")->conflicts);
	for (size_t r = 0; r < s.nreq; r++)
		assert_true(s.req[r].placed);
	oa_schedule_release(&s);
}

/* 20,000 people: each found through the index, a few slots each (linear). */
static void
test_many_people(void **state)
{
	oa_schedule s;
	oa_error err;
	size_t n = 20000, len = 0;
	char *text = malloc(n * 48 + 64);

	(void)state;
	assert_non_null(text);
	len = (size_t)sprintf(text, "name,email\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "人员%zu,p%zu@example.org\n", i, i);
	oa_schedule_init(&s);
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_read_people(&s, tmp_csv(text), NULL, &err), 0);
	unlink(tmpfile_path);
	free(text);
	assert_int_equal(s.npeople, n);
	assert_true(s.ix_probes < 4 * n);
	assert_int_equal(oa_schedule_find_person(&s, "人员19999"), 19999);
	assert_int_equal(oa_schedule_find_person(&s, "P123@EXAMPLE.ORG"), 123);
	oa_schedule_release(&s);
}

/* [rooms] names keep their case (iniparser lower-cases keys). */
static void
test_room_case(void **state)
{
	char path[] = "/tmp/test_schedule_ini.XXXXXX";
	int fd = mkstemp(path);
	const char *ini = "[rooms]\nRoom A = 10\nBoardRoom = 30\n";
	oa_schedule s;
	oa_config *cfg;
	oa_error err;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
	close(fd);
	oa_error_clear(&err);
	cfg = oa_config_load(path, &err);
	assert_non_null(cfg);
	oa_schedule_init(&s);
	assert_int_equal(oa_schedule_configure(&s, cfg, &err), 0);
	assert_int_equal(s.nrooms, 2);
	assert_string_equal(s.rooms[0].name, "Room A");
	assert_string_equal(s.rooms[1].name, "BoardRoom");
	assert_int_equal(oa_schedule_find_room(&s, "room a"), 0);
	oa_schedule_release(&s);
	oa_config_free(cfg);
	unlink(path);
}

/* Busy rows of someone not in the people file: a warning per name with its first line. */
static void
test_busy_unknown_warned(void **state)
{
	oa_schedule s;
	oa_error err;

	(void)state;
	oa_schedule_init(&s);
	oa_error_clear(&err);
	assert_int_equal(oa_schedule_read_people(&s, tmp_csv("name\n赵志刚\n"), NULL, &err), 0);
	unlink(tmpfile_path);
	assert_int_equal(oa_schedule_read_busy(&s, tmp_csv("person,start,end\n"
	                                                   "赵志钢,2026-03-02 08:30,2026-03-02 09:00\n"
	                                                   "赵志刚,2026-03-02 10:00,2026-03-02 11:00\n"
	                                                   "赵志钢,2026-03-03,2026-03-03\n"),
	                                       NULL, &err), 0);
	unlink(tmpfile_path);
	assert_int_equal(s.nbusy, 1);
	assert_int_equal(s.nwarnings, 1);
	assert_int_equal(s.warnings[0].line, 2);
	assert_string_equal(s.warnings[0].msg, "\"赵志钢\" is not in the people file: 2 busy rows ignored");
	oa_schedule_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smallest_room_first_slot),
		cmocka_unit_test(test_rerun_keeps_previous_place),
		cmocka_unit_test(test_rerun_move_below_priority),
		cmocka_unit_test(test_busy_moves_later),
		cmocka_unit_test(test_buffer),
		cmocka_unit_test(test_lunch_break_and_next_day),
		cmocka_unit_test(test_priority_wins_and_reason),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_optional_attendee),
		cmocka_unit_test(test_fixed_start_is_busy),
		cmocka_unit_test(test_room_contention),
		cmocka_unit_test(test_free_slots),
		cmocka_unit_test(test_check_finds_violations),
		cmocka_unit_test(test_priority_parse),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_people_closed),
		cmocka_unit_test(test_optional_not_in_two_places),
		cmocka_unit_test(test_optional_exact_delta),
		cmocka_unit_test(test_days_and_long_meetings),
		cmocka_unit_test(test_windows_refused),
		cmocka_unit_test(test_fixed_conflicts),
		cmocka_unit_test(test_many_people),
		cmocka_unit_test(test_room_case),
		cmocka_unit_test(test_busy_unknown_warned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
