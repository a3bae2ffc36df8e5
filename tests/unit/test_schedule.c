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
		  "earliest \"2026-02-30\" is not a date or date-time" },
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smallest_room_first_slot),
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
