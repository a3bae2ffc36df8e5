/*
 * ical.h - iCalendar (RFC 5545) over libical: writing a schedule as
 * invitations, and reading busy times from calendar files.
 *
 * Writing: one VCALENDAR with METHOD:REQUEST, a VTIMEZONE for the
 * calendar's time zone (or UTC times when the zone is UTC), X-OFFICEADM-BATCH,
 * and one VEVENT per placed request with UID (from the batch, the request id
 * and the domain: unique per meeting, the same only when the same batch is
 * run again), X-OFFICEADM-ID (the request id), DTSTAMP, SEQUENCE,
 * DTSTART/DTEND with TZID, SUMMARY, LOCATION, ORGANIZER and one ATTENDEE per
 * person (mailto, CN, ROLE=REQ-PARTICIPANT or OPT-PARTICIPANT, RSVP=TRUE).
 * When a meeting has no organizer address or no attendee with one, no
 * invitation can be sent (RFC 5546 needs both in a REQUEST): the whole
 * calendar is then METHOD:PUBLISH, without ATTENDEE lines (the names go to
 * DESCRIPTION).  libical escapes the text; the lines are then folded again
 * by oa_ical_fold so that no UTF-8 character is split.
 *
 * Re-runs: with the previous invitations (oa_ical_read_previous), a meeting
 * of the same request id keeps its UID, and its SEQUENCE goes up by one when
 * what the attendees see changed (time, room, title, people); the meetings
 * of the previous invitations no longer placed are cancelled by
 * oa_ical_cancel (METHOD:CANCEL, same UID, SEQUENCE raised, STATUS:CANCELLED;
 * METHOD:PUBLISH without ATTENDEE when one has no ORGANIZER or ATTENDEE, as
 * the meetings of a published calendar are withdrawn).
 *
 * Reading: every VEVENT that is not STATUS:CANCELLED nor TRANSP:TRANSPARENT
 * (an all-day transparent one is counted in the report: see below) is expanded over a window (RRULE, RDATE, EXDATE, in the event's own time
 * zone, so TZID and daylight saving are honoured) and each occurrence is
 * handed to a callback in local wall-clock minutes of the planning zone.
 * Floating times are local; all-day events cover whole local days.  A TZID
 * is found in the file's VTIMEZONEs, then among the IANA names, then among
 * the Windows zone names Outlook writes ("China Standard Time", mapped as
 * CLDR's windowsZones does); an unknown one is an error naming its line.
 * Recurrences are expanded over the window only: rules without COUNT start
 * at the window, and the work of a whole file is bounded (OA_ICAL_MAX_STEPS
 * rule iterations, days or minutes looked at), past which it is an error
 * naming the event; occurrences of one event that overlap are joined.
 */
#ifndef OA_ICAL_H
#define OA_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "date.h"
#include "error.h"
#include "schedule.h"

#define OA_ICAL_MAX_STEPS 5000000L

/* One event of previous invitations. */
typedef struct oa_ical_prev_event {
	char *id;        /* X-OFFICEADM-ID: the request id */
	char *uid;
	int sequence;
	char *seen;      /* what the attendees see (times, room, title, people), to compare */
	char *vevent;    /* the VEVENT as it was, iCalendar text */
	char *summary;
	bool has_start;  /* DTSTART read (a date-time) */
	time_t start;    /* DTSTART as a moment */
	char *location;  /* LOCATION (the room), "" when none */
} oa_ical_prev_event;

/* Previous invitations, as oa_ical_read_previous reads them. */
typedef struct oa_ical_previous {
	char *path;
	char *batch;     /* X-OFFICEADM-BATCH, or NULL */
	oa_ical_prev_event *ev;
	size_t n;
} oa_ical_previous;

typedef struct oa_ical_options {
	const char *timezone; /* NULL: the calendar's zone with a VTIMEZONE; "UTC": UTC times */
	int sequence;         /* SEQUENCE of new meetings, default 0 */
	time_t dtstamp;       /* DTSTAMP, default now */
	const char *domain;   /* right-hand side of UIDs, default "officeadm" */
	const char *batch;    /* the batch the UIDs are made from, default "" */
	const oa_ical_previous *previous; /* previous invitations, or NULL */
	const char *prodid;   /* default "-//officeadm//meeting-sched VERSION//ZH" */
	const char *only_id;  /* NULL: every meeting; else only the meeting of this request
	                         id (one meeting's own REQUEST or CANCEL, to send by itself) */
} oa_ical_options;

void oa_ical_options_init(oa_ical_options *opt);

/* What oa_ical_schedule wrote. */
typedef struct oa_ical_report {
	size_t no_email;      /* attendee entries without an address, left out */
	bool publish;         /* written as METHOD:PUBLISH */
	size_t no_organizer;  /* meetings without an organizer address */
	size_t no_attendee;   /* meetings without an attendee address */
	size_t added, changed, unchanged; /* against the previous invitations */
} oa_ical_report;

/*
 * The schedule's placed requests as a VCALENDAR text (CRLF line ends,
 * folded): METHOD:REQUEST, or METHOD:PUBLISH when some meeting has no
 * organizer or attendee address (see the top).  Persons without an e-mail
 * address get no ATTENDEE line.  REP (may be NULL) says what was written.
 * With opt->only_id, only that request's meeting is written (none when it
 * is not placed), and the method follows its addresses alone; REP then says
 * whether it is new (added), changed or unchanged against the previous
 * invitations.  Returns a malloc'd string, or NULL with err.
 */
char *oa_ical_schedule(const oa_schedule *s, const oa_ical_options *opt, oa_ical_report *rep,
                       oa_error *err);

/*
 * The cancellations (METHOD:CANCEL) of the previous invitations' meetings
 * that are not placed now, as a VCALENDAR text; *count says how many (the
 * text is written even when 0).  With opt->only_id, only the meeting of
 * that request id (count 0 or 1).  NULL with err on error.
 */
char *oa_ical_cancel(const oa_schedule *s, const oa_ical_options *opt, size_t *count,
                     oa_error *err);

/*
 * Reads invitations written by oa_ical_schedule (METHOD:REQUEST or
 * PUBLISH, every VEVENT with X-OFFICEADM-ID).  Release with
 * oa_ical_previous_release.  -1 with err (file and line) otherwise.
 */
int oa_ical_read_previous(const char *path, oa_ical_previous *prev, oa_error *err);
void oa_ical_previous_release(oa_ical_previous *prev);

/*
 * Before solving a re-run: gives every request of S that PREV placed its
 * previous start (in the calendar's zone) and room (has_prev, prev_start,
 * prev_room), so that keeping it there is preferred ([meetings] move_cost).
 * A meeting that started before NOW (a local minute of the calendar's zone)
 * is not moved: it becomes fixed at its previous start and room (prev_kept
 * set).  No meeting that is not fixed is placed before NOW: a request's
 * earliest is raised to NOW.  Returns the number of requests kept at their
 * previous place, or -1 with err (unknown time zone).
 */
int oa_ical_previous_apply(oa_schedule *s, const oa_ical_previous *prev, oa_minute now,
                           oa_error *err);

/* The current time as a local minute of ZONE_NAME, or INT64_MIN for an unknown zone. */
oa_minute oa_ical_now(const char *zone_name);

/*
 * The UID of a meeting: hex FNV-1a 64 of BATCH, a 0x1f octet and ID, "@",
 * domain (default "officeadm").  Writes into buf.
 */
void oa_ical_uid(const char *batch, const char *id, const char *domain, char *buf, size_t cap);

/* The IANA zone for a Windows zone name ("China Standard Time"), or NULL. */
const char *oa_ical_windows_zone(const char *name);

/*
 * Unfolds TEXT (CRLF or LF followed by a space or tab) and folds each line
 * again so that no line exceeds 75 octets (without its CRLF) and no UTF-8
 * sequence is split; line ends become CRLF.  Returns a malloc'd string or
 * NULL (ENOMEM).
 */
char *oa_ical_fold(const char *text);

/* Someone an event belongs to: an ATTENDEE or ORGANIZER, or the calendar's name. */
typedef struct oa_ical_who {
	const char *email; /* without "mailto:", or NULL */
	const char *name;  /* CN or X-WR-CALNAME, or NULL */
} oa_ical_who;

/* Called once per occurrence; a negative return stops the reading. */
typedef int (*oa_ical_busy_fn)(void *ctx, const oa_ical_who *who, size_t nwho,
                               oa_minute start, oa_minute end, const char *summary,
                               oa_error *err);

/*
 * Reads PATH ("-" is standard input) and calls FN for every busy occurrence
 * that overlaps [from, to) (local minutes in the zone ZONE_NAME).  Attendees
 * who declined (PARTSTAT=DECLINED) are left out of WHO.  Returns the number
 * of busy intervals handed out (the overlapping occurrences of one event
 * are joined into one), or -1 with err (unreadable file, not iCalendar, an
 * unknown TZID, a recurrence past the bound on work).
 */
long oa_ical_read_busy(const char *path, const char *zone_name, oa_minute from, oa_minute to,
                       oa_ical_busy_fn fn, void *ctx, oa_error *err);
/*
 * What oa_ical_read_busy_report saw besides the busy times: the work done,
 * and the occurrences in the window of all-day events marked free
 * (TRANSP:TRANSPARENT), which are not busy time but are often a trip or a
 * leave left "free" as Outlook and Google make all-day events by default.
 */
typedef struct oa_ical_busy_report {
	/* In: count the free all-day occurrences that overlap [from, to); to <= from
	 * counts those of the whole window read. */
	oa_minute from, to;
	/* Out: */
	long steps;             /* work done, in OA_ICAL_MAX_STEPS's units */
	long free_allday;       /* occurrences of free all-day events in the window */
	long free_line;         /* the line of the earliest one's UID, or 0 */
	oa_minute free_start;   /* its first local minute (00:00 of its day) */
	char free_summary[96];  /* its SUMMARY, cut at a character */
} oa_ical_busy_report;

/* oa_ical_read_busy, filling REP (not NULL; its from and to are read first). */
long oa_ical_read_busy_report(const char *path, const char *zone_name, oa_minute from,
                              oa_minute to, oa_ical_busy_fn fn, void *ctx,
                              oa_ical_busy_report *rep, oa_error *err);
/* The same, and *STEPS (may be NULL) gets the work done, in OA_ICAL_MAX_STEPS's units. */
long oa_ical_read_busy_counted(const char *path, const char *zone_name, oa_minute from,
                               oa_minute to, oa_ical_busy_fn fn, void *ctx, long *steps,
                               oa_error *err);

#endif
