/*
 * ical.h - iCalendar (RFC 5545) over libical: writing a schedule as
 * invitations, and reading busy times from calendar files.
 *
 * Writing: one VCALENDAR with METHOD:REQUEST, a VTIMEZONE for the
 * calendar's time zone (or UTC times when the zone is UTC), and one VEVENT
 * per placed request with UID (stable: derived from the request id and the
 * domain), DTSTAMP, SEQUENCE, DTSTART/DTEND with TZID, SUMMARY, LOCATION,
 * ORGANIZER and one ATTENDEE per person (mailto, CN, ROLE=REQ-PARTICIPANT or
 * OPT-PARTICIPANT, RSVP=TRUE).  libical escapes the text; the lines are then
 * folded again by oa_ical_fold so that no UTF-8 character is split.
 *
 * Reading: every VEVENT that is not STATUS:CANCELLED nor TRANSP:TRANSPARENT
 * is expanded over a window (RRULE, RDATE, EXDATE, in the event's own time
 * zone, so TZID and daylight saving are honoured) and each occurrence is
 * handed to a callback in local wall-clock minutes of the planning zone.
 * Floating times are local; all-day events cover whole local days.
 */
#ifndef OA_ICAL_H
#define OA_ICAL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "date.h"
#include "error.h"
#include "schedule.h"

typedef struct oa_ical_options {
	const char *timezone; /* NULL: the calendar's zone with a VTIMEZONE; "UTC": UTC times */
	int sequence;         /* SEQUENCE, default 0 */
	time_t dtstamp;       /* DTSTAMP, default now */
	const char *domain;   /* right-hand side of UIDs, default "officeadm" */
	const char *prodid;   /* default "-//officeadm//meeting-sched VERSION//ZH" */
} oa_ical_options;

void oa_ical_options_init(oa_ical_options *opt);

/*
 * The schedule's placed requests as a VCALENDAR text (CRLF line ends,
 * folded).  Persons without an e-mail address get no ATTENDEE line; their
 * names are counted in *no_email when not NULL.  Returns a malloc'd string,
 * or NULL with err.
 */
char *oa_ical_schedule(const oa_schedule *s, const oa_ical_options *opt, size_t *no_email,
                       oa_error *err);

/* The UID of a request: hex FNV-1a of the id, "@", domain.  Writes into buf. */
void oa_ical_uid(const char *id, const char *domain, char *buf, size_t cap);

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
 * of occurrences, or -1 with err (unreadable file, not iCalendar).
 */
long oa_ical_read_busy(const char *path, const char *zone_name, oa_minute from, oa_minute to,
                       oa_ical_busy_fn fn, void *ctx, oa_error *err);

#endif
