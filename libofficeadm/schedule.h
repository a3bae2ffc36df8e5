/*
 * schedule.h - placing meeting requests into rooms and free time.
 *
 * A schedule holds the people, the rooms, the busy times (from a CSV or
 * from iCalendar files, see ical.h) and the requests.  oa_schedule_solve
 * places the requests on the working-day calendar without breaking a hard
 * constraint and with the objective below as small as it can find:
 *
 * Hard constraints of a placed request R (start t, end t + duration):
 *   - t is on the grid: a working day, an office period's start plus a
 *     multiple of the grain, and [t, t + duration) inside that one period
 *     (or, with [meetings] span_breaks = yes and for whole-day meetings,
 *     ending inside a later office period of the same day: the meeting runs
 *     through the break);
 *   - earliest <= t and t + duration <= latest;
 *   - a room with capacity >= seats (the fixed room when one is named);
 *   - no required attendee has another commitment (busy time, fixed meeting
 *     or placed meeting) within BUFFER minutes of [t, t + duration);
 *   - the room holds no other meeting overlapping [t, t + duration).
 *
 * Objective (smaller is better), over the requests that are not fixed:
 *
 *   F = sum over unplaced R of  U * 2^(5 - p(R))
 *     + sum over placed R of    O * absent(R) + L * (6 - p(R)) * k(R) + W * rank(R)
 *     + sum over R sent before  M * moved(R)
 *
 *   p(R)      priority, 1 (highest) .. 5;
 *   absent(R) optional attendees with another commitment within BUFFER
 *             minutes of the meeting (busy time, fixed meeting, or a placed
 *             meeting they are required at), or present at another placed
 *             meeting overlapping R where they are optional too and that
 *             comes first (higher priority, then earlier start, then input
 *             order): nobody is counted present at two meetings at once;
 *   k(R)      grid start times before t, counted from the first office
 *             period of the day of `earliest` (working days only);
 *   rank(R)   rooms large enough for R that are strictly smaller than the
 *             one chosen (0 for the smallest room that fits);
 *   moved(R)  for a request with a previous placement (prev_start,
 *             prev_room: a re-run with the previous invitations, see
 *             oa_ical_previous_apply): 0 when R is placed at that start in
 *             that room, else 1 (moved elsewhere or left out);
 *   U, O, L, W, M  the weights weight_unplaced (10000), weight_optional (100),
 *             weight_late (1), weight_room (1), move_cost (1000) of [meetings].
 *
 * Requests with a fixed start are placed first, as given (the room named,
 * else the smallest free room that fits), and become busy time for their
 * attendees; they are not in F.  They are checked: a fixed meeting on a day
 * that is not a working day, outside office hours, through a break (unless
 * allowed), at the same time as another fixed meeting of one of its
 * required attendees, or during one's busy time keeps its place but each
 * conflict is listed in its `conflicts`.
 *
 * Durations in days are working days: "半天" (0.5d) is half the office
 * minutes of a day, placed like any other duration; "1天" (1d) is a
 * whole-day meeting from the first office period's start to the last one's
 * end, through the breaks.  Longer durations in days are refused.
 */
#ifndef OA_SCHEDULE_H
#define OA_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calendar.h"
#include "config.h"
#include "csv.h"
#include "date.h"
#include "error.h"

typedef struct oa_sched_person {
	char *name;       /* as written in the input */
	char *email;      /* "" when unknown */
	char *department; /* "" when unknown */
} oa_sched_person;

typedef struct oa_sched_room {
	char *name;
	int capacity;
} oa_sched_room;

typedef struct oa_sched_busy {
	int person;
	oa_minute start, end; /* [start, end) */
} oa_sched_busy;

typedef struct oa_sched_request {
	char *id, *title;
	long line;                 /* line in the requests file */
	long duration;             /* minutes */
	int *required, *optional;  /* person indexes */
	size_t nrequired, noptional;
	int priority;              /* 1 .. 5 */
	oa_minute earliest;        /* start >= earliest */
	oa_minute latest;          /* end <= latest */
	int room;                  /* fixed room or -1 */
	int seats;
	int organizer;             /* person or -1 */
	bool fixed;                /* start given */
	bool whole_day;            /* "1天": runs through the breaks */
	oa_minute fixed_start;
	bool has_prev;             /* placed by the previous run (re-run) */
	oa_minute prev_start;      /* ... at this start */
	int prev_room;             /* ... in this room, or -1 (a room not known now) */
	bool prev_kept;            /* fixed at its previous place: it had started */
	/* Results of oa_schedule_solve. */
	bool placed;
	oa_minute start;
	int placed_room;
	char *reason;              /* why not placed (malloc'd), else NULL */
	char *conflicts;           /* a fixed meeting's conflicts, one a line (malloc'd), else NULL */
} oa_sched_request;

/* A warning about the input (a busy row naming nobody known...). */
typedef struct oa_sched_warning {
	char *file;                /* may be "" */
	long line;                 /* 0 when none */
	char *msg;
} oa_sched_warning;

typedef struct oa_sched_weights {
	long unplaced, optional, late, room, move;
} oa_sched_weights;

typedef struct oa_schedule {
	oa_calendar cal;
	int grain;                 /* minutes, default 15 */
	int buffer;                /* minutes between one person's commitments */
	int horizon;               /* days after earliest when latest is missing */
	double search_seconds;     /* processor time bound on the search */
	int max_window;            /* days a request's window may span, default 366 */
	bool span_breaks;          /* meetings may run through the breaks */
	oa_sched_weights w;
	char *organizer;           /* [meetings] organizer: name or email, or NULL */
	char *uid_domain;          /* [meetings] uid_domain, or NULL */
	oa_sched_person *people;
	size_t npeople, cap_people;
	bool people_closed;        /* a people file was read: names must be known */
	/* Private: hash indexes of the people by folded name and by e-mail. */
	int *ix_name, *ix_mail;
	size_t ix_cap;
	unsigned long ix_probes;   /* slots looked at, for the tests: linear in the people */
	oa_sched_warning *warnings;
	size_t nwarnings, cap_warnings;
	oa_sched_room *rooms;
	size_t nrooms, cap_rooms;
	oa_sched_busy *busy;
	size_t nbusy, cap_busy;
	oa_sched_request *req;
	size_t nreq, cap_req;
	char *requests_name;       /* file name for messages */
} oa_schedule;

/* An empty schedule with the built-in defaults.  Release with oa_schedule_release. */
void oa_schedule_init(oa_schedule *s);
void oa_schedule_release(oa_schedule *s);

/*
 * Reads [calendar], [meetings] (grain, buffer, horizon, weights, organizer,
 * search_seconds, max_window, span_breaks, uid_domain) and [rooms]
 * (name = capacity; the names keep the case they have in the file) from CFG.
 */
int oa_schedule_configure(oa_schedule *s, const oa_config *cfg, oa_error *err);

/* The person called NAME or with e-mail NAME (case-insensitive), or -1. */
int oa_schedule_find_person(const oa_schedule *s, const char *name);
/* Finds NAME, or adds it (no e-mail) when unknown.  -1 only on ENOMEM. */
int oa_schedule_person(oa_schedule *s, const char *name, oa_error *err);
int oa_schedule_find_room(const oa_schedule *s, const char *name);
/* Adds a room; a second room of the same name is an error. */
int oa_schedule_add_room(oa_schedule *s, const char *name, int capacity, oa_error *err);
/* Adds busy time [start, end) for PERSON (ignored when empty). */
int oa_schedule_add_busy(oa_schedule *s, int person, oa_minute start, oa_minute end,
                         oa_error *err);

/*
 * Readers for the CSV inputs (columns found by name, Chinese aliases in
 * schedule.c); PATH NULL or "-" is standard input.  OPT may be NULL.
 *   people:   name, email, department        (name required)
 *   rooms:    name, capacity                 (both required)
 *   busy:     person, start, end             (all required; a bare date as
 *             start is 00:00, as end the end of that day)
 *   requests: id, title, duration, required, optional, priority, earliest,
 *             latest, room, seats, organizer, start (id and duration required)
 * Dates and date-times are ISO or as a spreadsheet saves them, year first
 * ("2026/5/6 9:00", "2026年5月6日"); rows whose fields are all blank are
 * skipped; a requests file with no request is an error.
 * The rooms file replaces the rooms of the config.  Once people are read,
 * a request naming an unknown person is an error, and busy times of
 * unknown people are skipped with a warning (oa_schedule_warn) per name,
 * naming its first line and the count of its rows.  Without people, the
 * busy times of a name in no request (read the requests first) are kept,
 * with the same warning.
 * A request without earliest starts at FROM (a date); without latest it
 * ends `horizon` days after earliest's date.  A window longer than
 * max_window days, or a date before 1970-01-01, is refused (file:line).
 * People are found through a hash index: reading N people is linear.
 */
int oa_schedule_read_people(oa_schedule *s, const char *path, const oa_csv_options *opt,
                            oa_error *err);
int oa_schedule_read_rooms(oa_schedule *s, const char *path, const oa_csv_options *opt,
                           oa_error *err);
int oa_schedule_read_busy(oa_schedule *s, const char *path, const oa_csv_options *opt,
                          oa_error *err);
int oa_schedule_read_requests(oa_schedule *s, const char *path, const oa_csv_options *opt,
                              oa_date from, oa_error *err);

/* Adds a warning (FILE may be NULL, LINE 0).  -1 only on ENOMEM. */
int oa_schedule_warn(oa_schedule *s, const char *file, long line, oa_error *err,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Parses a request's duration: as oa_duration_parse, but a duration in days
 * counts working days: "半天" is half the office minutes of a day, "1天" a
 * whole-day meeting (*whole_day set); other day counts are refused.
 * 0 ok, -1 invalid (with a message in err, file and line empty).
 */
int oa_schedule_parse_duration(const oa_schedule *s, const char *text, long *minutes,
                               bool *whole_day, oa_error *err);

/* Parses a priority: 1..5, 特急 (1), 紧急 (2), 一般 (3); "" gives 3.  -1 if invalid. */
int oa_schedule_parse_priority(const char *s);

/* The planning window: earliest start and latest end over all requests. */
void oa_schedule_window(const oa_schedule *s, oa_minute *from, oa_minute *to);

/*
 * Places the requests (see the top of this file).  Returns the number of
 * requests left unplaced (each with its reason), or -1 with err.
 */
int oa_schedule_solve(oa_schedule *s, oa_error *err);

/* The objective F of the current placement, and its five parts (may be NULL). */
typedef struct oa_sched_cost {
	long long unplaced, optional, late, room, move, total;
} oa_sched_cost;
long long oa_schedule_objective(const oa_schedule *s, oa_sched_cost *parts);

/* Optional attendees of placed request R who are absent; returns the count. */
size_t oa_schedule_absent(const oa_schedule *s, size_t r, int *out, size_t cap);

/* Request indexes of the placed requests sorted by start, room, id.  Free with free(). */
size_t oa_schedule_sorted(const oa_schedule *s, size_t **order);

/*
 * Writes the schedule CSV: id, title, date, start, end, room, attendees
 * (required and present optional, ';'-separated), optional_absent.
 */
int oa_schedule_write_csv(const oa_schedule *s, FILE *fp, bool excel, const char *name,
                          oa_error *err);
/* Writes the unplaced requests: id, title, priority, line, reason. */
int oa_schedule_write_unplaced(const oa_schedule *s, FILE *fp, bool excel, const char *name,
                               oa_error *err);

/*
 * Checks every hard constraint of the current placement (independently of
 * the solver).  Returns the number of violations; the first is described in
 * MSG (cap bytes).
 */
int oa_schedule_check(const oa_schedule *s, char *msg, size_t cap);

/*
 * Whether a meeting of Q starting at minute M of a working day, M on the
 * grid of office period P (an index into s->cal.hours), keeps to the office
 * hours: it ends inside P, or, when it may run through the breaks
 * (span_breaks, or a whole-day meeting), inside a later period of the same
 * day.  The search and the exact model (schedule_exact.c) share this rule.
 */
bool oa_schedule_fits_hours(const oa_schedule *s, const oa_sched_request *q, int m, size_t p);

/* A free interval in oa_schedule_free_slots. */
typedef struct oa_sched_slot {
	oa_minute start, end;
} oa_sched_slot;

/*
 * The intervals within office hours on working days in [from, to) when
 * every one of PERSONS (n indexes) is free (keeping the buffer to busy time,
 * fixed and placed meetings) for at least DURATION minutes, each as long as
 * it is.  *out is malloc'd (free it); returns the count or -1 on ENOMEM.
 */
long oa_schedule_free_slots(const oa_schedule *s, const int *persons, size_t n,
                            oa_minute from, oa_minute to, long duration,
                            oa_sched_slot **out, oa_error *err);

#endif
