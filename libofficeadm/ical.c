/*
 * ical.c - iCalendar over libical: the schedule as METHOD:REQUEST (or
 * PUBLISH) invitations, the previous invitations read back and the
 * cancellations of a re-run, line folding that keeps UTF-8 characters
 * whole, and busy times read from calendar files with their recurrences
 * expanded.  See ical.h.
 *
 * The recurrence expansion is done here with libical's rule iterator rather
 * than icalcomponent_foreach_recurrence, which (libical 3.0) reads RDATE
 * values with a TZID as UTC and places floating and all-day events in UTC.
 * Daily and coarser rules go through the iterator, started at the window
 * (without COUNT) and stopped at its end (UNTIL); SECONDLY, MINUTELY and
 * HOURLY rules are expanded here minute by minute over the window's days,
 * because libical steps them second by second and can look for an
 * impossible date (February 30) until the year 2582 inside one call.
 */
#include "ical.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#ifndef OA_VERSION
#define OA_VERSION "0"
#endif

void
oa_ical_options_init(oa_ical_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->dtstamp = (time_t)-1;
}

void
oa_ical_uid(const char *batch, const char *id, const char *domain, char *buf, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *p = (const unsigned char *)(batch ? batch : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	h ^= 0x1f;
	h *= 0x100000001b3ull;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	snprintf(buf, cap, "%016llx@%s", (unsigned long long)h,
	         domain && *domain ? domain : "officeadm");
}

/* ---- folding ---- */

char *
oa_ical_fold(const char *text)
{
	size_t len = strlen(text);
	char *flat = malloc(len + 1);
	char *out = malloc(2 * len + 16);
	size_t n = 0, o = 0;

	if (flat == NULL || out == NULL) {
		free(flat);
		free(out);
		return NULL;
	}
	/* Unfold: a line break followed by one space or tab joins the lines. */
	for (size_t i = 0; i < len; i++) {
		size_t nl = text[i] == '\r' && text[i + 1] == '\n' ? 2 : text[i] == '\n' ? 1 : 0;
		if (nl == 0) {
			flat[n++] = text[i];
			continue;
		}
		if (text[i + nl] == ' ' || text[i + nl] == '\t') {
			i += nl; /* now at the white space, which the loop skips */
		} else {
			flat[n++] = '\n';
			i += nl - 1;
		}
	}
	flat[n] = '\0';
	/* Fold: at most 75 octets a line, continuation lines start with a space. */
	for (size_t i = 0; i < n;) {
		size_t end = i, room = 75;

		while (end < n && flat[end] != '\n')
			end++;
		while (i < end) {
			size_t take = end - i < room ? end - i : room;
			while (i + take < end && take > 0 && ((unsigned char)flat[i + take] & 0xC0) == 0x80)
				take--;
			if (take == 0) /* no character boundary: invalid UTF-8, cut anywhere */
				take = end - i < room ? end - i : room;
			memcpy(out + o, flat + i, take);
			o += take;
			i += take;
			if (i < end) {
				memcpy(out + o, "\r\n ", 3);
				o += 3;
				room = 74;
			}
		}
		out[o++] = '\r';
		out[o++] = '\n';
		i = end + 1;
	}
	out[o] = '\0';
	free(flat);
	return out;
}

/* ---- writing ---- */

static struct icaltimetype
local_time(oa_minute t)
{
	struct icaltimetype it = icaltime_null_time();
	int y, m, d;

	oa_date_to_ymd((oa_date)(t / OA_MINUTES_PER_DAY), &y, &m, &d);
	it.year = y;
	it.month = m;
	it.day = d;
	it.hour = (int)(t % OA_MINUTES_PER_DAY) / 60;
	it.minute = (int)(t % OA_MINUTES_PER_DAY) % 60;
	it.second = 0;
	it.is_date = 0;
	return it;
}

static bool
is_utc_name(const char *tz)
{
	return strcasecmp(tz, "UTC") == 0 || strcasecmp(tz, "Etc/UTC") == 0 ||
	       strcasecmp(tz, "GMT") == 0 || strcasecmp(tz, "Z") == 0;
}

static icalproperty *
time_prop(icalproperty *p, oa_minute t, const char *zone_name, icaltimezone *zone, bool utc)
{
	struct icaltimetype it = local_time(t);

	if (utc) {
		it = icaltime_set_timezone(&it, zone);
		it = icaltime_convert_to_zone(it, icaltimezone_get_utc_timezone());
		icalproperty_set_value(p, icalvalue_new_datetime(it));
	} else {
		icalproperty_set_value(p, icalvalue_new_datetime(it));
		icalproperty_add_parameter(p, icalparameter_new_tzid(zone_name));
	}
	return p;
}

static icalproperty *
person_prop(icalproperty *p, const oa_sched_person *who)
{
	icalproperty_add_parameter(p, icalparameter_new_cn(who->name));
	return p;
}

static char *
mailto(const char *email)
{
	char *s = NULL;

	if (asprintf(&s, "mailto:%s", email) < 0)
		return NULL;
	return s;
}

static int
add_attendee(icalcomponent *ev, const oa_sched_person *who, bool required, size_t *no_email)
{
	icalproperty *p;
	char *addr;

	if (who->email[0] == '\0') {
		if (no_email)
			(*no_email)++;
		return 0;
	}
	if ((addr = mailto(who->email)) == NULL)
		return -1;
	p = person_prop(icalproperty_new_attendee(addr), who);
	free(addr);
	icalproperty_add_parameter(p, icalparameter_new_role(required ? ICAL_ROLE_REQPARTICIPANT
	                                                              : ICAL_ROLE_OPTPARTICIPANT));
	icalproperty_add_parameter(p, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
	icalproperty_add_parameter(p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
	icalcomponent_add_property(ev, p);
	return 0;
}

/* The organizer of Q: its own, else [meetings] organizer, else the first attendee with an e-mail. */
static const oa_sched_person *
organizer_of(const oa_schedule *s, const oa_sched_request *q, oa_sched_person *tmp)
{
	if (q->organizer >= 0 && s->people[q->organizer].email[0] != '\0')
		return &s->people[q->organizer];
	if (s->organizer != NULL) {
		int p = oa_schedule_find_person(s, s->organizer);
		if (p >= 0 && s->people[p].email[0] != '\0')
			return &s->people[p];
		if (strchr(s->organizer, '@') != NULL) {
			tmp->name = s->organizer;
			tmp->email = s->organizer;
			tmp->department = (char *)"";
			return tmp;
		}
	}
	for (size_t i = 0; i < q->nrequired; i++)
		if (s->people[q->required[i]].email[0] != '\0')
			return &s->people[q->required[i]];
	return NULL;
}

/* The last year an observance (STANDARD or DAYLIGHT) of a VTIMEZONE applies in. */
static int
observance_last_year(icalcomponent *obs)
{
	int last = icalcomponent_get_dtstart(obs).year;
	icalproperty *p;

	for (p = icalcomponent_get_first_property(obs, ICAL_RDATE_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(obs, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
		if (dp.time.year > last)
			last = dp.time.year;
	}
	for (p = icalcomponent_get_first_property(obs, ICAL_RRULE_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(obs, ICAL_RRULE_PROPERTY)) {
		struct icalrecurrencetype r = icalproperty_get_rrule(p);
		int until = icaltime_is_null_time(r.until) ? 9999 : r.until.year;
		if (until > last)
			last = until;
	}
	return last;
}

/*
 * Drops the observances of VTZ that ended before 1970: libical's built-in
 * zones carry their whole history, which no invitation needs.  The latest
 * observance is always kept.
 */
static void
drop_old_observances(icalcomponent *vtz)
{
	icalcomponent *c, *next, *latest = NULL;
	int latest_year = -1, kept = 0;

	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c != NULL;
	     c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		int y = observance_last_year(c);
		if (y > latest_year) {
			latest_year = y;
			latest = c;
		}
		kept += y >= 1970;
	}
	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c != NULL; c = next) {
		next = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT);
		if (observance_last_year(c) < 1970 && !(kept == 0 && c == latest)) {
			icalcomponent_remove_component(vtz, c);
			icalcomponent_free(c);
		}
	}
}

/* Appends the iCalendar text of the properties an attendee sees to *out. */
static int
add_seen(icalcomponent *ev, char **out)
{
	static const icalproperty_kind kinds[] = {
		ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY, ICAL_SUMMARY_PROPERTY,
		ICAL_LOCATION_PROPERTY, ICAL_ORGANIZER_PROPERTY, ICAL_ATTENDEE_PROPERTY,
		ICAL_DESCRIPTION_PROPERTY,
	};
	size_t len = 0;

	*out = strdup("");
	if (*out == NULL)
		return -1;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (icalproperty *p = icalcomponent_get_first_property(ev, kinds[k]); p != NULL;
		     p = icalcomponent_get_next_property(ev, kinds[k])) {
			char *t = icalproperty_as_ical_string_r(p);
			size_t n;
			char *grown;
			if (t == NULL)
				return -1;
			n = strlen(t);
			grown = realloc(*out, len + n + 1);
			if (grown == NULL) {
				free(t);
				return -1;
			}
			memcpy(grown + len, t, n + 1);
			len += n;
			*out = grown;
			free(t);
		}
	return 0;
}

static const oa_ical_prev_event *
find_previous(const oa_ical_options *opt, const char *id)
{
	if (opt == NULL || opt->previous == NULL)
		return NULL;
	for (size_t i = 0; i < opt->previous->n; i++)
		if (strcmp(opt->previous->ev[i].id, id) == 0)
			return &opt->previous->ev[i];
	return NULL;
}

static int
append_names(char **buf, const oa_schedule *s, const int *who, size_t n, const char *label)
{
	char *t = NULL;
	int rc;

	if (n == 0)
		return 0;
	rc = asprintf(&t, "%s%s: ", *buf ? *buf : "", label);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *u = NULL;
		rc = asprintf(&u, "%s%s%s", t, i ? ", " : "", s->people[who[i]].name);
		free(t);
		if (rc < 0)
			return -1;
		t = u;
	}
	free(*buf);
	rc = asprintf(buf, "%s\n", t);
	free(t);
	return rc < 0 ? -1 : 0;
}

static icalcomponent *
new_vcalendar(const oa_ical_options *opt, icalproperty_method method, const char *batch)
{
	char prodid[128];
	icalcomponent *cal;

	snprintf(prodid, sizeof prodid, "%s",
	         opt && opt->prodid ? opt->prodid : "-//officeadm//meeting-sched " OA_VERSION "//ZH");
	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
	                          icalproperty_new_prodid(prodid), icalproperty_new_calscale("GREGORIAN"),
	                          icalproperty_new_method(method), (void *)0);
	if (cal != NULL && batch != NULL) {
		icalproperty *x = icalproperty_new_x(batch);
		icalproperty_set_x_name(x, "X-OFFICEADM-BATCH");
		icalcomponent_add_property(cal, x);
	}
	return cal;
}

static void
add_vtimezone(icalcomponent *cal, icaltimezone *zone, const char *zone_name)
{
	icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
	icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);

	if (p != NULL)
		icalproperty_set_tzid(p, zone_name);
	drop_old_observances(vtz);
	icalcomponent_add_component(cal, vtz);
}

static char *
finish_text(icalcomponent *cal, oa_error *err)
{
	char *text = icalcomponent_as_ical_string_r(cal), *folded;

	icalcomponent_free(cal);
	if (text == NULL) {
		oa_error_set(err, NULL, 0, "libical could not write the calendar");
		return NULL;
	}
	folded = oa_ical_fold(text);
	free(text);
	if (folded == NULL)
		oa_error_sys(err, NULL, "out of memory");
	return folded;
}

static bool
has_address(const oa_schedule *s, const oa_sched_request *q)
{
	for (size_t j = 0; j < q->nrequired; j++)
		if (s->people[q->required[j]].email[0] != '\0')
			return true;
	for (size_t j = 0; j < q->noptional; j++)
		if (s->people[q->optional[j]].email[0] != '\0')
			return true;
	return false;
}

char *
oa_ical_schedule(const oa_schedule *s, const oa_ical_options *opt, oa_ical_report *rep,
                 oa_error *err)
{
	/* Times are wall-clock in the calendar's zone; they are written in TZNAME. */
	const char *zone_name = opt && opt->timezone ? opt->timezone : s->cal.timezone;
	bool utc = is_utc_name(zone_name);
	icaltimezone *zone = is_utc_name(s->cal.timezone)
	                     ? icaltimezone_get_utc_timezone()
	                     : icaltimezone_get_builtin_timezone(s->cal.timezone);
	time_t stamp = opt && opt->dtstamp != (time_t)-1 ? opt->dtstamp : time(NULL);
	const char *batch = opt && opt->batch ? opt->batch : "";
	char uid[160];
	icalcomponent *cal;
	size_t *order = NULL, n;
	struct icaltimetype stamp_utc;
	oa_ical_report dummy;
	bool publish = false;

	if (rep == NULL)
		rep = &dummy;
	memset(rep, 0, sizeof *rep);
	if (zone == NULL) {
		oa_error_set(err, NULL, 0, "unknown time zone \"%s\"", s->cal.timezone);
		return NULL;
	}
	if (!utc && strcmp(zone_name, s->cal.timezone) != 0) {
		oa_error_set(err, NULL, 0, "invitations are written in the calendar's zone \"%s\" or UTC",
		             s->cal.timezone);
		return NULL;
	}
	n = oa_schedule_sorted(s, &order);
	if (order == NULL) {
		oa_error_sys(err, NULL, "out of memory");
		return NULL;
	}
	if (opt != NULL && opt->only_id != NULL) {
		/* One meeting's own message (an iTIP message is about one UID). */
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(s->req[order[i]].id, opt->only_id) == 0)
				order[k++] = order[i];
		n = k;
	}
	/* A REQUEST needs an organizer and attendees: else the calendar is published. */
	for (size_t i = 0; i < n; i++) {
		const oa_sched_request *q = &s->req[order[i]];
		oa_sched_person tmp;
		if (organizer_of(s, q, &tmp) == NULL)
			rep->no_organizer++;
		if (!has_address(s, q))
			rep->no_attendee++;
	}
	publish = rep->no_organizer > 0 || rep->no_attendee > 0;
	rep->publish = publish;
	cal = new_vcalendar(opt, publish ? ICAL_METHOD_PUBLISH : ICAL_METHOD_REQUEST, batch);
	if (cal == NULL) {
		free(order);
		oa_error_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	if (!utc)
		add_vtimezone(cal, zone, zone_name);
	stamp_utc = icaltime_from_timet_with_zone(stamp, 0, icaltimezone_get_utc_timezone());
	stamp_utc = icaltime_set_timezone(&stamp_utc, icaltimezone_get_utc_timezone());
	for (size_t i = 0; i < n; i++) {
		const oa_sched_request *q = &s->req[order[i]];
		icalcomponent *ev = icalcomponent_new_vevent();
		oa_sched_person tmp;
		const oa_sched_person *org = organizer_of(s, q, &tmp);
		const oa_ical_prev_event *prev = find_previous(opt, q->id);
		icalproperty *x, *seq;
		char *seen = NULL;

		if (prev != NULL)
			snprintf(uid, sizeof uid, "%s", prev->uid);
		else
			oa_ical_uid(batch, q->id, opt ? opt->domain : NULL, uid, sizeof uid);
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
		x = icalproperty_new_x(q->id);
		icalproperty_set_x_name(x, "X-OFFICEADM-ID");
		icalcomponent_add_property(ev, x);
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp_utc));
		seq = icalproperty_new_sequence(opt ? opt->sequence : 0);
		icalcomponent_add_property(ev, seq);
		icalcomponent_add_property(
		    ev, time_prop(icalproperty_new_dtstart(icaltime_null_time()), q->start, zone_name, zone, utc));
		icalcomponent_add_property(
		    ev, time_prop(icalproperty_new_dtend(icaltime_null_time()), q->start + q->duration,
		                  zone_name, zone, utc));
		icalcomponent_add_property(ev, icalproperty_new_summary(q->title[0] ? q->title : q->id));
		icalcomponent_add_property(ev, icalproperty_new_location(s->rooms[q->placed_room].name));
		icalcomponent_add_property(ev, icalproperty_new_priority(2 * q->priority - 1));
		icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
		icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
		if (org != NULL) {
			char *addr = mailto(org->email);
			if (addr == NULL)
				goto nomem_ev;
			icalcomponent_add_property(ev, person_prop(icalproperty_new_organizer(addr), org));
			free(addr);
		}
		if (publish) {
			/* RFC 5546: no ATTENDEE in a PUBLISH; the names are told in DESCRIPTION. */
			char *desc = NULL;
			if (append_names(&desc, s, q->required, q->nrequired, "出席") < 0 ||
			    append_names(&desc, s, q->optional, q->noptional, "列席") < 0) {
				free(desc);
				goto nomem_ev;
			}
			if (desc != NULL) {
				desc[strlen(desc) - 1] = '\0';
				icalcomponent_add_property(ev, icalproperty_new_description(desc));
				free(desc);
			}
		} else {
			for (size_t j = 0; j < q->nrequired; j++)
				if (add_attendee(ev, &s->people[q->required[j]], true, &rep->no_email) < 0)
					goto nomem_ev;
			for (size_t j = 0; j < q->noptional; j++)
				if (add_attendee(ev, &s->people[q->optional[j]], false, &rep->no_email) < 0)
					goto nomem_ev;
		}
		if (prev != NULL) {
			if (add_seen(ev, &seen) < 0) {
				free(seen);
				goto nomem_ev;
			}
			if (strcmp(seen, prev->seen) != 0) {
				icalproperty_set_sequence(seq, prev->sequence + 1);
				rep->changed++;
			} else {
				icalproperty_set_sequence(seq, prev->sequence);
				rep->unchanged++;
			}
			free(seen);
		} else {
			rep->added++;
		}
		icalcomponent_add_component(cal, ev);
		continue;
nomem_ev:
		icalcomponent_free(ev);
		goto nomem;
	}
	free(order);
	return finish_text(cal, err);
nomem:
	free(order);
	icalcomponent_free(cal);
	oa_error_sys(err, NULL, "out of memory");
	return NULL;
}

char *
oa_ical_cancel(const oa_schedule *s, const oa_ical_options *opt, size_t *count, oa_error *err)
{
	time_t stamp = opt && opt->dtstamp != (time_t)-1 ? opt->dtstamp : time(NULL);
	const oa_ical_previous *prev = opt ? opt->previous : NULL;
	struct icaltimetype stamp_utc;
	icalcomponent *cal;
	bool publish = false;

	*count = 0;
	cal = new_vcalendar(opt, ICAL_METHOD_CANCEL, prev && prev->batch ? prev->batch : NULL);
	if (cal == NULL) {
		oa_error_sys(err, NULL, "out of memory");
		return NULL;
	}
	/* The events keep their TZID: the calendar's zone, as oa_ical_schedule wrote them. */
	if (!is_utc_name(s->cal.timezone) &&
	    icaltimezone_get_builtin_timezone(s->cal.timezone) != NULL)
		add_vtimezone(cal, icaltimezone_get_builtin_timezone(s->cal.timezone),
		              s->cal.timezone);
	stamp_utc = icaltime_from_timet_with_zone(stamp, 0, icaltimezone_get_utc_timezone());
	stamp_utc = icaltime_set_timezone(&stamp_utc, icaltimezone_get_utc_timezone());
	for (size_t i = 0; prev != NULL && i < prev->n; i++) {
		const oa_ical_prev_event *pe = &prev->ev[i];
		bool placed = false;
		icalcomponent *ev, *c;
		icalproperty *p;

		if (opt != NULL && opt->only_id != NULL && strcmp(pe->id, opt->only_id) != 0)
			continue;
		for (size_t r = 0; r < s->nreq && !placed; r++)
			placed = s->req[r].placed && strcmp(s->req[r].id, pe->id) == 0;
		if (placed)
			continue;
		c = icalparser_parse_string(pe->vevent);
		if (c == NULL) {
			icalcomponent_free(cal);
			oa_error_set(err, prev->path, 0, "libical could not read event \"%s\" again",
			             pe->uid);
			return NULL;
		}
		ev = icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT
		     ? c : icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
		if (ev != c && ev != NULL) {
			icalcomponent_remove_component(c, ev);
			icalcomponent_free(c);
		}
		if (ev == NULL) {
			icalcomponent_free(cal);
			oa_error_set(err, prev->path, 0, "event \"%s\" is empty", pe->uid);
			return NULL;
		}
		while ((p = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY)) != NULL) {
			icalcomponent_remove_property(ev, p);
			icalproperty_free(p);
		}
		while ((p = icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY)) != NULL) {
			icalcomponent_remove_property(ev, p);
			icalproperty_free(p);
		}
		while ((p = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY)) != NULL) {
			icalcomponent_remove_property(ev, p);
			icalproperty_free(p);
		}
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp_utc));
		icalcomponent_add_property(ev, icalproperty_new_sequence(pe->sequence + 1));
		icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
		if (icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY) == NULL ||
		    icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY) == NULL)
			publish = true;
		icalcomponent_add_component(cal, ev);
		(*count)++;
	}
	/*
	 * A CANCEL needs ORGANIZER and ATTENDEE (RFC 5546 3.2.5); the meetings of
	 * a published calendar (METHOD:PUBLISH, no addresses) are withdrawn by
	 * publishing them again with STATUS:CANCELLED, without ATTENDEE lines.
	 */
	if (publish) {
		icalproperty *mp = icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
		if (mp != NULL)
			icalproperty_set_method(mp, ICAL_METHOD_PUBLISH);
		for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
		     ev != NULL; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
			icalproperty *p;
			while ((p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY)) != NULL) {
				icalcomponent_remove_property(ev, p);
				icalproperty_free(p);
			}
		}
	}
	return finish_text(cal, err);
}

void
oa_ical_previous_release(oa_ical_previous *prev)
{
	for (size_t i = 0; i < prev->n; i++) {
		free(prev->ev[i].id);
		free(prev->ev[i].uid);
		free(prev->ev[i].seen);
		free(prev->ev[i].vevent);
		free(prev->ev[i].summary);
		free(prev->ev[i].location);
	}
	free(prev->ev);
	free(prev->batch);
	free(prev->path);
	memset(prev, 0, sizeof *prev);
}

static const char *
x_value(icalcomponent *c, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (icalproperty_get_x_name(p) && strcasecmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

static char *slurp(const char *path, oa_error *err);
static long line_of(const char *text, const char *needle);

/* The zone a TZID of a previous run's invitations names (its VTIMEZONE or the built-in one). */
static icaltimezone *
prev_zone(icalcomponent *root, const char *tzid)
{
	icaltimezone *z;

	if ((z = icalcomponent_get_timezone(root, tzid)) != NULL)
		return z;
	if (is_utc_name(tzid))
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(tzid);
}

/* PE's DTSTART as a moment (has_start false when not a date-time in a known zone). */
static void
prev_start(icalcomponent *root, icalcomponent *ev, oa_ical_prev_event *pe)
{
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalparameter *par;
	struct icaltimetype t;
	icaltimezone *z = NULL;

	pe->has_start = false;
	if (p == NULL)
		return;
	t = icalproperty_get_dtstart(p);
	if (icaltime_is_null_time(t) || t.is_date)
		return;
	if (icaltime_is_utc(t))
		z = icaltimezone_get_utc_timezone();
	else if ((par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)) != NULL &&
	         icalparameter_get_tzid(par) != NULL)
		z = prev_zone(root, icalparameter_get_tzid(par));
	if (z == NULL)
		return; /* floating or unknown: not compared */
	pe->start = icaltime_as_timet_with_zone(t, z);
	pe->has_start = true;
}

static icaltimezone *
calendar_zone(const char *zone_name)
{
	return is_utc_name(zone_name) ? icaltimezone_get_utc_timezone()
	                              : icaltimezone_get_builtin_timezone(zone_name);
}

/* Moment TT as a local minute of ZONE. */
static oa_minute
moment_local(time_t tt, icaltimezone *zone)
{
	struct icaltimetype l = icaltime_from_timet_with_zone(tt, 0, zone);
	oa_date day;

	if (oa_date_from_ymd(l.year, l.month, l.day, &day) < 0)
		return INT64_MIN;
	return (oa_minute)day * OA_MINUTES_PER_DAY + l.hour * 60 + l.minute;
}

oa_minute
oa_ical_now(const char *zone_name)
{
	icaltimezone *zone = calendar_zone(zone_name);

	return zone == NULL ? INT64_MIN : moment_local(time(NULL), zone);
}

int
oa_ical_previous_apply(oa_schedule *s, const oa_ical_previous *prev, oa_minute now,
                       oa_error *err)
{
	icaltimezone *zone = calendar_zone(s->cal.timezone);
	int kept = 0;

	if (zone == NULL)
		return oa_error_set(err, NULL, 0, "unknown time zone \"%s\"", s->cal.timezone);
	for (size_t r = 0; r < s->nreq; r++) {
		oa_sched_request *q = &s->req[r];
		const oa_ical_prev_event *pe = NULL;

		for (size_t i = 0; i < prev->n && pe == NULL; i++)
			if (strcmp(prev->ev[i].id, q->id) == 0)
				pe = &prev->ev[i];
		if (pe != NULL && pe->has_start && !q->fixed) {
			bool started;
			char when[32];

			q->has_prev = true;
			q->prev_start = moment_local(pe->start, zone);
			q->prev_room = oa_schedule_find_room(s, pe->location);
			started = q->prev_start != INT64_MIN && q->prev_start < now;
			if (q->prev_room < 0 && q->prev_start != INT64_MIN) {
				/*
				 * Its room is no longer among the rooms (taken out, or
				 * renamed): it cannot stay where it was.  Said, never
				 * silent; a meeting that started keeps its time.
				 */
				oa_datetime_format(q->prev_start, when);
				if (oa_schedule_warn(s, s->requests_name, q->line, err,
				                     started
				                     ? "\"%s\" started before now (%s, in %s) in room \"%s\", "
				                       "which is not among the rooms now: kept at its time, in "
				                       "the smallest free room that fits"
				                     : "\"%s\" was sent for %s (in %s) in room \"%s\", which is "
				                       "not among the rooms now: placed again",
				                     q->id, when, prev->path ? prev->path : "--previous",
				                     pe->location) < 0)
					return -1;
			}
			if (started) {
				/* It has started (or is over): it stays where it was. */
				q->fixed = true;
				q->fixed_start = q->prev_start;
				q->room = q->prev_room;  /* -1: the smallest free room that fits */
				q->prev_kept = true;
				kept++;
				continue;
			}
		}
		if (!q->fixed && q->earliest < now)
			q->earliest = now;
	}
	return kept;
}

int
oa_ical_read_previous(const char *path, oa_ical_previous *prev, oa_error *err)
{
	const char *name = (path == NULL || strcmp(path, "-") == 0) ? "<stdin>" : path;
	char *text = slurp(path, err);
	const char *p;
	icalcomponent *root, *ev;
	icalproperty *mp;
	const char *batch;

	memset(prev, 0, sizeof *prev);
	if (text == NULL)
		return -1;
	if ((prev->path = strdup(name)) == NULL)
		goto nomem0;
	p = text;
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (*p == '\r' || *p == '\n' || *p == ' ')
		p++;
	if (strncasecmp(p, "BEGIN:VCALENDAR", 15) != 0) {
		free(text);
		oa_ical_previous_release(prev);
		return oa_error_set(err, name, 1, "not an iCalendar file: no BEGIN:VCALENDAR");
	}
	root = icalparser_parse_string(p);
	if (root == NULL || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
		if (root)
			icalcomponent_free(root);
		free(text);
		oa_ical_previous_release(prev);
		return oa_error_set(err, name, 0, "not one VCALENDAR that libical can read");
	}
	mp = icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY);
	if (mp == NULL || (icalproperty_get_method(mp) != ICAL_METHOD_REQUEST &&
	                   icalproperty_get_method(mp) != ICAL_METHOD_PUBLISH)) {
		icalcomponent_free(root);
		oa_error_set(err, name, mp ? line_of(text, "METHOD:") : 0,
		             "previous invitations must be METHOD:REQUEST or PUBLISH as meeting-sched "
		             "writes them");
		free(text);
		oa_ical_previous_release(prev);
		return -1;
	}
	batch = x_value(root, "X-OFFICEADM-BATCH");
	if (batch != NULL && (prev->batch = strdup(batch)) == NULL)
		goto nomem;
	for (ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); ev != NULL;
	     ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
		const char *id = x_value(ev, "X-OFFICEADM-ID"), *uid = icalcomponent_get_uid(ev);
		icalproperty *sq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
		oa_ical_prev_event *pe, *grown;
		const char *sum = icalcomponent_get_summary(ev);

		if (id == NULL || uid == NULL) {
			char needle[200];
			snprintf(needle, sizeof needle, "UID:%s", uid ? uid : "");
			oa_error_set(err, name, uid ? line_of(text, needle) : 0,
			             "event \"%s\" has no %s: not invitations written by meeting-sched",
			             uid ? uid : "?", uid ? "X-OFFICEADM-ID" : "UID");
			icalcomponent_free(root);
			free(text);
			oa_ical_previous_release(prev);
			return -1;
		}
		for (size_t i = 0; i < prev->n; i++)
			if (strcmp(prev->ev[i].id, id) == 0) {
				icalcomponent_free(root);
				oa_error_set(err, name, 0, "request id \"%s\" is in two events", id);
				free(text);
				oa_ical_previous_release(prev);
				return -1;
			}
		grown = realloc(prev->ev, (prev->n + 1) * sizeof *prev->ev);
		if (grown == NULL)
			goto nomem;
		prev->ev = grown;
		pe = &prev->ev[prev->n];
		memset(pe, 0, sizeof *pe);
		prev->n++;
		pe->sequence = sq ? icalproperty_get_sequence(sq) : 0;
		pe->id = strdup(id);
		pe->uid = strdup(uid);
		pe->summary = strdup(sum ? sum : "");
		pe->vevent = icalcomponent_as_ical_string_r(ev);
		pe->location = strdup(icalcomponent_get_location(ev) ? icalcomponent_get_location(ev)
		                                                      : "");
		prev_start(root, ev, pe);
		if (pe->id == NULL || pe->uid == NULL || pe->summary == NULL || pe->vevent == NULL ||
		    pe->location == NULL ||
		    add_seen(ev, &pe->seen) < 0)
			goto nomem;
	}
	icalcomponent_free(root);
	free(text);
	return 0;
nomem:
	icalcomponent_free(root);
nomem0:
	free(text);
	oa_ical_previous_release(prev);
	return oa_error_sys(err, name, "out of memory");
}

/* ---- reading ---- */

static char *
slurp(const char *path, oa_error *err)
{
	FILE *fp = (path == NULL || strcmp(path, "-") == 0) ? stdin : fopen(path, "rb");
	size_t cap = 65536, n = 0;
	char *buf;

	if (fp == NULL) {
		oa_error_sys(err, path, "cannot open");
		return NULL;
	}
	buf = malloc(cap);
	while (buf != NULL) {
		size_t got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (n + 1 < cap)
			break;
		char *nb = realloc(buf, cap * 2);
		if (nb == NULL) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	if (buf == NULL) {
		oa_error_sys(err, path, "out of memory");
	} else if (ferror(fp)) {
		oa_error_sys(err, path, "read error");
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
	}
	if (fp != stdin)
		fclose(fp);
	return buf;
}

typedef struct reader {
	icalcomponent *root;  /* the VCALENDAR, for TZID lookups */
	icaltimezone *local;
	bool local_utc;
	const char *text;     /* the file, for line numbers in messages */
	const char *path;
	long steps;           /* work done: rule iterations, days and minutes looked at */
	oa_error *err;
	bool failed;          /* err is set */
	oa_ical_busy_report *rep; /* the all-day events marked free, or NULL */
} reader;

/* The line of TEXT where NEEDLE first occurs, or 0. */
static long
line_of(const char *text, const char *needle)
{
	const char *hit = text && needle && *needle ? strstr(text, needle) : NULL;
	long line = 1;

	if (hit == NULL)
		return 0;
	for (const char *p = text; p < hit; p++)
		line += *p == '\n';
	return line;
}

/*
 * Windows zone names as Outlook and Exchange write them in TZID, with the
 * IANA zone CLDR's windowsZones.xml maps each to (territory 001), and an
 * older IANA name for systems whose zone data lacks the newer one.
 */
static const struct {
	const char *windows, *iana, *alt;
} windows_zones[] = {
	{ "Dateline Standard Time", "Etc/GMT+12", NULL },
	{ "UTC-11", "Etc/GMT+11", NULL },
	{ "Aleutian Standard Time", "America/Adak", NULL },
	{ "Hawaiian Standard Time", "Pacific/Honolulu", NULL },
	{ "Marquesas Standard Time", "Pacific/Marquesas", NULL },
	{ "Alaskan Standard Time", "America/Anchorage", NULL },
	{ "UTC-09", "Etc/GMT+9", NULL },
	{ "Pacific Standard Time (Mexico)", "America/Tijuana", NULL },
	{ "UTC-08", "Etc/GMT+8", NULL },
	{ "Pacific Standard Time", "America/Los_Angeles", NULL },
	{ "US Mountain Standard Time", "America/Phoenix", NULL },
	{ "Mountain Standard Time (Mexico)", "America/Mazatlan", NULL },
	{ "Mountain Standard Time", "America/Denver", NULL },
	{ "Yukon Standard Time", "America/Whitehorse", NULL },
	{ "Central America Standard Time", "America/Guatemala", NULL },
	{ "Central Standard Time", "America/Chicago", NULL },
	{ "Easter Island Standard Time", "Pacific/Easter", NULL },
	{ "Central Standard Time (Mexico)", "America/Mexico_City", NULL },
	{ "Canada Central Standard Time", "America/Regina", NULL },
	{ "SA Pacific Standard Time", "America/Bogota", NULL },
	{ "Eastern Standard Time (Mexico)", "America/Cancun", NULL },
	{ "Eastern Standard Time", "America/New_York", NULL },
	{ "Haiti Standard Time", "America/Port-au-Prince", NULL },
	{ "Cuba Standard Time", "America/Havana", NULL },
	{ "US Eastern Standard Time", "America/Indiana/Indianapolis", "America/Indianapolis" },
	{ "Turks And Caicos Standard Time", "America/Grand_Turk", NULL },
	{ "Paraguay Standard Time", "America/Asuncion", NULL },
	{ "Atlantic Standard Time", "America/Halifax", NULL },
	{ "Venezuela Standard Time", "America/Caracas", NULL },
	{ "Central Brazilian Standard Time", "America/Cuiaba", NULL },
	{ "SA Western Standard Time", "America/La_Paz", NULL },
	{ "Pacific SA Standard Time", "America/Santiago", NULL },
	{ "Newfoundland Standard Time", "America/St_Johns", NULL },
	{ "Tocantins Standard Time", "America/Araguaina", NULL },
	{ "E. South America Standard Time", "America/Sao_Paulo", NULL },
	{ "SA Eastern Standard Time", "America/Cayenne", NULL },
	{ "Argentina Standard Time", "America/Argentina/Buenos_Aires", "America/Buenos_Aires" },
	{ "Greenland Standard Time", "America/Nuuk", "America/Godthab" },
	{ "Montevideo Standard Time", "America/Montevideo", NULL },
	{ "Magallanes Standard Time", "America/Punta_Arenas", NULL },
	{ "Saint Pierre Standard Time", "America/Miquelon", NULL },
	{ "Bahia Standard Time", "America/Bahia", NULL },
	{ "UTC-02", "Etc/GMT+2", NULL },
	{ "Mid-Atlantic Standard Time", "Etc/GMT+2", NULL },
	{ "Azores Standard Time", "Atlantic/Azores", NULL },
	{ "Cape Verde Standard Time", "Atlantic/Cape_Verde", NULL },
	{ "UTC", "Etc/UTC", "UTC" },
	{ "Coordinated Universal Time", "Etc/UTC", "UTC" },
	{ "GMT Standard Time", "Europe/London", NULL },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik", NULL },
	{ "Sao Tome Standard Time", "Africa/Sao_Tome", NULL },
	{ "Morocco Standard Time", "Africa/Casablanca", NULL },
	{ "W. Europe Standard Time", "Europe/Berlin", NULL },
	{ "Central Europe Standard Time", "Europe/Budapest", NULL },
	{ "Romance Standard Time", "Europe/Paris", NULL },
	{ "Central European Standard Time", "Europe/Warsaw", NULL },
	{ "W. Central Africa Standard Time", "Africa/Lagos", NULL },
	{ "Jordan Standard Time", "Asia/Amman", NULL },
	{ "GTB Standard Time", "Europe/Bucharest", NULL },
	{ "Middle East Standard Time", "Asia/Beirut", NULL },
	{ "Egypt Standard Time", "Africa/Cairo", NULL },
	{ "E. Europe Standard Time", "Europe/Chisinau", NULL },
	{ "Syria Standard Time", "Asia/Damascus", NULL },
	{ "West Bank Standard Time", "Asia/Hebron", NULL },
	{ "South Africa Standard Time", "Africa/Johannesburg", NULL },
	{ "FLE Standard Time", "Europe/Kyiv", "Europe/Kiev" },
	{ "Israel Standard Time", "Asia/Jerusalem", NULL },
	{ "South Sudan Standard Time", "Africa/Juba", NULL },
	{ "Kaliningrad Standard Time", "Europe/Kaliningrad", NULL },
	{ "Sudan Standard Time", "Africa/Khartoum", NULL },
	{ "Libya Standard Time", "Africa/Tripoli", NULL },
	{ "Namibia Standard Time", "Africa/Windhoek", NULL },
	{ "Arabic Standard Time", "Asia/Baghdad", NULL },
	{ "Turkey Standard Time", "Europe/Istanbul", NULL },
	{ "Arab Standard Time", "Asia/Riyadh", NULL },
	{ "Belarus Standard Time", "Europe/Minsk", NULL },
	{ "Russian Standard Time", "Europe/Moscow", NULL },
	{ "E. Africa Standard Time", "Africa/Nairobi", NULL },
	{ "Volgograd Standard Time", "Europe/Volgograd", NULL },
	{ "Iran Standard Time", "Asia/Tehran", NULL },
	{ "Arabian Standard Time", "Asia/Dubai", NULL },
	{ "Astrakhan Standard Time", "Europe/Astrakhan", NULL },
	{ "Azerbaijan Standard Time", "Asia/Baku", NULL },
	{ "Russia Time Zone 3", "Europe/Samara", NULL },
	{ "Mauritius Standard Time", "Indian/Mauritius", NULL },
	{ "Saratov Standard Time", "Europe/Saratov", NULL },
	{ "Georgian Standard Time", "Asia/Tbilisi", NULL },
	{ "Caucasus Standard Time", "Asia/Yerevan", NULL },
	{ "Afghanistan Standard Time", "Asia/Kabul", NULL },
	{ "West Asia Standard Time", "Asia/Tashkent", NULL },
	{ "Ekaterinburg Standard Time", "Asia/Yekaterinburg", NULL },
	{ "Pakistan Standard Time", "Asia/Karachi", NULL },
	{ "Qyzylorda Standard Time", "Asia/Qyzylorda", NULL },
	{ "India Standard Time", "Asia/Kolkata", "Asia/Calcutta" },
	{ "Sri Lanka Standard Time", "Asia/Colombo", NULL },
	{ "Nepal Standard Time", "Asia/Kathmandu", "Asia/Katmandu" },
	{ "Central Asia Standard Time", "Asia/Almaty", NULL },
	{ "Bangladesh Standard Time", "Asia/Dhaka", NULL },
	{ "Omsk Standard Time", "Asia/Omsk", NULL },
	{ "Myanmar Standard Time", "Asia/Yangon", "Asia/Rangoon" },
	{ "SE Asia Standard Time", "Asia/Bangkok", NULL },
	{ "Altai Standard Time", "Asia/Barnaul", NULL },
	{ "W. Mongolia Standard Time", "Asia/Hovd", NULL },
	{ "North Asia Standard Time", "Asia/Krasnoyarsk", NULL },
	{ "N. Central Asia Standard Time", "Asia/Novosibirsk", NULL },
	{ "Tomsk Standard Time", "Asia/Tomsk", NULL },
	{ "China Standard Time", "Asia/Shanghai", NULL },
	{ "North Asia East Standard Time", "Asia/Irkutsk", NULL },
	{ "Singapore Standard Time", "Asia/Singapore", NULL },
	{ "Malay Peninsula Standard Time", "Asia/Kuala_Lumpur", NULL },
	{ "W. Australia Standard Time", "Australia/Perth", NULL },
	{ "Taipei Standard Time", "Asia/Taipei", NULL },
	{ "Ulaanbaatar Standard Time", "Asia/Ulaanbaatar", NULL },
	{ "Aus Central W. Standard Time", "Australia/Eucla", NULL },
	{ "Transbaikal Standard Time", "Asia/Chita", NULL },
	{ "Tokyo Standard Time", "Asia/Tokyo", NULL },
	{ "North Korea Standard Time", "Asia/Pyongyang", NULL },
	{ "Korea Standard Time", "Asia/Seoul", NULL },
	{ "Yakutsk Standard Time", "Asia/Yakutsk", NULL },
	{ "Cen. Australia Standard Time", "Australia/Adelaide", NULL },
	{ "AUS Central Standard Time", "Australia/Darwin", NULL },
	{ "E. Australia Standard Time", "Australia/Brisbane", NULL },
	{ "AUS Eastern Standard Time", "Australia/Sydney", NULL },
	{ "West Pacific Standard Time", "Pacific/Port_Moresby", NULL },
	{ "Tasmania Standard Time", "Australia/Hobart", NULL },
	{ "Vladivostok Standard Time", "Asia/Vladivostok", NULL },
	{ "Lord Howe Standard Time", "Australia/Lord_Howe", NULL },
	{ "Bougainville Standard Time", "Pacific/Bougainville", NULL },
	{ "Russia Time Zone 10", "Asia/Srednekolymsk", NULL },
	{ "Magadan Standard Time", "Asia/Magadan", NULL },
	{ "Norfolk Standard Time", "Pacific/Norfolk", NULL },
	{ "Sakhalin Standard Time", "Asia/Sakhalin", NULL },
	{ "Central Pacific Standard Time", "Pacific/Guadalcanal", NULL },
	{ "Russia Time Zone 11", "Asia/Kamchatka", NULL },
	{ "New Zealand Standard Time", "Pacific/Auckland", NULL },
	{ "UTC+12", "Etc/GMT-12", NULL },
	{ "Fiji Standard Time", "Pacific/Fiji", NULL },
	{ "Chatham Islands Standard Time", "Pacific/Chatham", NULL },
	{ "UTC+13", "Etc/GMT-13", NULL },
	{ "Tonga Standard Time", "Pacific/Tongatapu", NULL },
	{ "Samoa Standard Time", "Pacific/Apia", NULL },
	{ "Line Islands Standard Time", "Pacific/Kiritimati", NULL },
};

const char *
oa_ical_windows_zone(const char *name)
{
	for (size_t i = 0; i < sizeof windows_zones / sizeof windows_zones[0]; i++)
		if (strcasecmp(windows_zones[i].windows, name) == 0) {
			if (windows_zones[i].alt != NULL &&
			    icaltimezone_get_builtin_timezone(windows_zones[i].iana) == NULL)
				return windows_zones[i].alt;
			return windows_zones[i].iana;
		}
	return NULL;
}

static oa_minute
ymdhm(int y, int m, int d, int hh, int mm)
{
	oa_date day;

	if (oa_date_from_ymd(y, m, d, &day) < 0)
		return INT64_MIN;
	return (oa_minute)day * OA_MINUTES_PER_DAY + hh * 60 + mm;
}

/* T (in ZONE, NULL: floating) as a local minute of the planning zone. */
static oa_minute
to_local(const reader *rd, struct icaltimetype t, icaltimezone *zone)
{
	if (t.is_date)
		return ymdhm(t.year, t.month, t.day, 0, 0);
	if (icaltime_is_utc(t))
		zone = icaltimezone_get_utc_timezone();
	if (zone == NULL)
		return ymdhm(t.year, t.month, t.day, t.hour, t.minute);
	time_t tt = icaltime_as_timet_with_zone(t, zone);
	struct icaltimetype l = icaltime_from_timet_with_zone(tt, 0, rd->local);
	return ymdhm(l.year, l.month, l.day, l.hour, l.minute);
}

/* END - START, or 0 when either is out of range (INT64_MIN from ymdhm). */
static oa_minute
span(oa_minute start, oa_minute end)
{
	if (start == INT64_MIN || end == INT64_MIN)
		return 0;
	return end - start;
}

/* The zone a TZID names (see ical.h), or NULL. */
static icaltimezone *
find_zone(const reader *rd, const char *tzid)
{
	icaltimezone *z;
	const char *iana;

	if ((z = icalcomponent_get_timezone(rd->root, tzid)) != NULL)
		return z;
	if (is_utc_name(tzid))
		return icaltimezone_get_utc_timezone();
	if ((z = icaltimezone_get_builtin_timezone(tzid)) != NULL)
		return z;
	if ((z = icaltimezone_get_builtin_timezone_from_tzid(tzid)) != NULL)
		return z;
	if ((iana = oa_ical_windows_zone(tzid)) != NULL) {
		if (is_utc_name(iana) || strcmp(iana, "Etc/UTC") == 0)
			return icaltimezone_get_utc_timezone();
		return icaltimezone_get_builtin_timezone(iana);
	}
	return NULL;
}

/* The zone of a property's TZID parameter, or FALLBACK (check_tzids has run). */
static icaltimezone *
prop_zone(const reader *rd, icalproperty *p, icaltimezone *fallback)
{
	icalparameter *par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	const char *tzid;
	icaltimezone *z;

	if (par == NULL)
		return fallback;
	tzid = icalparameter_get_tzid(par);
	if (tzid == NULL)
		return fallback;
	z = find_zone(rd, tzid);
	return z ? z : fallback;
}

/* Every TZID of the events must name a zone: an unknown one is an error with its line. */
static int
check_tzids(reader *rd, icalcomponent *vcal)
{
	for (icalcomponent *ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT);
	     ev != NULL; ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT))
		for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ANY_PROPERTY);
		     p != NULL; p = icalcomponent_get_next_property(ev, ICAL_ANY_PROPERTY)) {
			icalparameter *par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
			const char *tzid = par ? icalparameter_get_tzid(par) : NULL;
			if (tzid == NULL || find_zone(rd, tzid) != NULL)
				continue;
			rd->failed = true;
			return oa_error_set(rd->err, rd->path, line_of(rd->text, tzid),
			                    "unknown time zone TZID \"%s\": no VTIMEZONE for it in the "
			                    "file, and not an IANA or Windows zone name", tzid);
		}
	return 0;
}

static int
cmp_min(const void *a, const void *b)
{
	oa_minute x = *(const oa_minute *)a, y = *(const oa_minute *)b;

	return (x > y) - (x < y);
}

typedef struct mlist {
	oa_minute *v;
	size_t n, cap;
} mlist;

static int
mlist_add(mlist *l, oa_minute m)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		oa_minute *p = realloc(l->v, nc * sizeof *p);
		if (p == NULL)
			return -1;
		l->v = p;
		l->cap = nc;
	}
	l->v[l->n++] = m;
	return 0;
}

/* Is M in L (sorted)? */
static bool
mlist_has(const mlist *l, oa_minute m)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->v[mid] < m)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo] == m;
}

static void
mlist_sort(mlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_min);
}

/* Counts a unit of work; false (with err) past the bound. */
static bool
step(reader *rd, icalcomponent *ev, long n)
{
	const char *uid;
	char needle[300];

	rd->steps += n;
	if (rd->steps <= OA_ICAL_MAX_STEPS)
		return true;
	uid = icalcomponent_get_uid(ev);
	snprintf(needle, sizeof needle, "UID:%s", uid ? uid : "");
	rd->failed = true;
	oa_error_set(rd->err, rd->path, uid ? line_of(rd->text, needle) : 0,
	             "event \"%s\": its recurrence needs more than %ld steps to expand over the "
	             "window (a rule too fine or too far from it)",
	             uid ? uid : "?", OA_ICAL_MAX_STEPS);
	return false;
}

static bool
in_short_list(const short *a, size_t cap, int v)
{
	for (size_t i = 0; i < cap && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (a[i] == v)
			return true;
	return false;
}

static bool
has_any(const short *a)
{
	return a[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Does day D (y-m-d) pass the day-level parts of a sub-daily rule (all limits)? */
static bool
day_passes(const struct icalrecurrencetype *r, oa_date d)
{
	int y, m, dd, yd, ylen, wd;
	oa_date jan1;

	oa_date_to_ymd(d, &y, &m, &dd);
	if (has_any(r->by_month) && !in_short_list(r->by_month, ICAL_BY_MONTH_SIZE, m))
		return false;
	if (has_any(r->by_month_day)) {
		int last = days_in_month(y, m);
		if (!in_short_list(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, dd) &&
		    !in_short_list(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, dd - last - 1))
			return false;
	}
	if (has_any(r->by_year_day)) {
		if (oa_date_from_ymd(y, 1, 1, &jan1) < 0)
			return false;
		yd = d - jan1 + 1;
		ylen = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
		if (!in_short_list(r->by_year_day, ICAL_BY_YEARDAY_SIZE, yd) &&
		    !in_short_list(r->by_year_day, ICAL_BY_YEARDAY_SIZE, yd - ylen - 1))
			return false;
	}
	if (has_any(r->by_day)) {
		bool ok = false;
		wd = oa_date_weekday(d) % 7 + 1; /* libical: Sunday 1 .. Saturday 7 */
		for (size_t i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
			ok |= (int)icalrecurrencetype_day_day_of_week(r->by_day[i]) == wd;
		if (!ok)
			return false;
	}
	return true;
}

/* Floor division and modulo for negative numbers too. */
static long long
fdiv(long long a, long long b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/*
 * The occurrences of a SECONDLY, MINUTELY or HOURLY rule, minute by minute
 * over the days of the window only (from DTSTART when the rule counts):
 * the work is the window's minutes, whatever the rule says.  Times are
 * wall-clock in the event's zone, as libical steps them.  Adds the local
 * start minutes of the planning zone to STARTS; or, when RUNS is not NULL
 * (nothing of the event is excluded or moved), the busy stretches they
 * make, joined, as start and end pairs: a rule every second is one stretch.
 */
static int
subdaily(reader *rd, icalcomponent *ev, const struct icalrecurrencetype *r,
         struct icaltimetype ds, icaltimezone *zone, oa_minute from, oa_minute to, oa_minute len,
         mlist *starts, mlist *runs)
{
	long long interval = r->interval > 0 ? r->interval : 1;
	oa_date d0, dfirst, dlast;
	long long sec0;
	long long total = 0;
	oa_minute until = INT64_MAX;
	const char *why = NULL;

	if (has_any(r->by_set_pos))
		why = "BYSETPOS";
	else if (has_any(r->by_week_no))
		why = "BYWEEKNO";
	else if (r->rscale != NULL)
		why = "RSCALE";
	for (size_t i = 0; !why && i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (icalrecurrencetype_day_position(r->by_day[i]) != 0)
			why = "BYDAY with a number";
	for (size_t i = 0; !why && i < ICAL_BY_MONTH_SIZE && r->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (r->by_month[i] < 1 || r->by_month[i] > 12)
			why = "BYMONTH out of 1..12";
	if (why != NULL) {
		const char *uid = icalcomponent_get_uid(ev);
		char needle[300];
		snprintf(needle, sizeof needle, "UID:%s", uid ? uid : "");
		rd->failed = true;
		return oa_error_set(rd->err, rd->path, uid ? line_of(rd->text, needle) : 0,
		                    "event \"%s\": %s in a SECONDLY, MINUTELY or HOURLY rule is not "
		                    "supported", uid ? uid : "?", why);
	}
	if (oa_date_from_ymd(ds.year, ds.month, ds.day, &d0) < 0)
		return 0;
	if (ds.is_date)
		ds.hour = ds.minute = ds.second = 0;
	sec0 = (long long)d0 * 86400 + ds.hour * 3600 + ds.minute * 60 + ds.second;
	if (!icaltime_is_null_time(r->until)) {
		until = to_local(rd, r->until, r->until.is_date ? NULL : zone);
		if (until == INT64_MIN)
			return 0;
		if (r->until.is_date)
			until += OA_MINUTES_PER_DAY - 1;
	}
	/* Days of the event's wall clock: the window, widened by the zones' difference and LEN. */
	dfirst = (oa_date)fdiv(from - len, OA_MINUTES_PER_DAY) - 2;
	dlast = (oa_date)fdiv(to, OA_MINUTES_PER_DAY) + 2;
	if (r->count > 0 || dfirst < d0)
		dfirst = d0;
	for (oa_date d = dfirst; d <= dlast; d++) {
		oa_minute delta = 0;
		bool fixed_delta = true;
		int y, mo, dd;

		if (!step(rd, ev, 1))
			return -1;
		if (!day_passes(r, d))
			continue;
		oa_date_to_ymd(d, &y, &mo, &dd);
		if (zone != NULL) {
			/* The offset to the planning zone, constant over the day except on a change. */
			struct icaltimetype t = ds;
			oa_minute a, b, c;
			t.year = y, t.month = mo, t.day = dd, t.is_date = 0, t.second = 0;
			t.hour = 0, t.minute = 0;
			a = to_local(rd, t, zone) - ((oa_minute)d * OA_MINUTES_PER_DAY);
			t.hour = 12;
			b = to_local(rd, t, zone) - ((oa_minute)d * OA_MINUTES_PER_DAY + 720);
			t.hour = 23, t.minute = 59;
			c = to_local(rd, t, zone) - ((oa_minute)d * OA_MINUTES_PER_DAY + 1439);
			delta = a;
			fixed_delta = a == b && b == c;
		}
		for (int hm = 0; hm < 1440; hm++) {
			int h = hm / 60, mi = hm % 60;
			long long ms = (long long)d * 86400 + hm * 60; /* the minute's first second */
			long long n = 0;
			oa_minute local;

			if (has_any(r->by_hour) && !in_short_list(r->by_hour, ICAL_BY_HOUR_SIZE, h)) {
				hm += 59 - mi;
				continue;
			}
			if (r->freq == ICAL_HOURLY_RECURRENCE) {
				long long hi = fdiv(ms, 3600), h0 = fdiv(sec0, 3600);
				if (hi < h0 || (hi - h0) % interval != 0) {
					hm += 59 - mi;
					continue;
				}
			}
			if (!step(rd, ev, 1))
				return -1;
			if (has_any(r->by_minute) ? !in_short_list(r->by_minute, ICAL_BY_MINUTE_SIZE, mi)
			                          : (r->freq == ICAL_HOURLY_RECURRENCE && mi != ds.minute))
				continue;
			if (r->freq == ICAL_MINUTELY_RECURRENCE) {
				long long mi_ix = ms / 60, m0 = fdiv(sec0, 60);
				if (mi_ix < m0 || (mi_ix - m0) % interval != 0)
					continue;
			}
			if (r->freq == ICAL_SECONDLY_RECURRENCE) {
				if (has_any(r->by_second)) {
					for (size_t i = 0; i < ICAL_BY_SECOND_SIZE &&
					                   r->by_second[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
						long long x = ms + r->by_second[i];
						if (r->by_second[i] < 60 && x >= sec0 && (x - sec0) % interval == 0)
							n++;
					}
				} else {
					long long lo = ms > sec0 ? ms : sec0;
					long long x = sec0 + (lo - sec0 + interval - 1) / interval * interval;
					if (x < ms + 60)
						n = (ms + 59 - x) / interval + 1;
				}
			} else if (has_any(r->by_second)) {
				for (size_t i = 0; i < ICAL_BY_SECOND_SIZE &&
				                   r->by_second[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
					n += r->by_second[i] < 60 && ms + r->by_second[i] >= sec0;
			} else {
				n = ms + ds.second >= sec0;
			}
			if (n == 0)
				continue;
			if (fixed_delta) {
				local = (oa_minute)d * OA_MINUTES_PER_DAY + hm + delta;
			} else {
				struct icaltimetype t = ds;
				t.year = y, t.month = mo, t.day = dd, t.is_date = 0;
				t.hour = h, t.minute = mi, t.second = 0;
				local = to_local(rd, t, zone);
			}
			if (local > until || local >= to)
				return 0;
			if (r->count > 0 && total >= r->count)
				return 0;
			total += n;
			if (local + len <= from)
				continue;
			if (runs == NULL) {
				if (mlist_add(starts, local) < 0)
					return -1;
			} else if (runs->n > 0 && local <= runs->v[runs->n - 1] &&
			           local >= runs->v[runs->n - 2]) {
				if (local + len > runs->v[runs->n - 1])
					runs->v[runs->n - 1] = local + len;
			} else if (mlist_add(runs, local) < 0 || mlist_add(runs, local + len) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

/*
 * Start times (local minutes) of EV's occurrences that may overlap
 * [from, to) for an event LEN long; the all-day EXDATEs of a timed event go
 * to EXDAYS (local days), the others to EXDATES.  -1 with rd->failed set,
 * or on ENOMEM.
 */
static int
occurrences(reader *rd, icalcomponent *ev, struct icaltimetype dtstart, icaltimezone *zone,
            oa_minute from, oa_minute to, oa_minute len, mlist *starts, mlist *exdates,
            mlist *exdays, mlist *runs)
{
	icalproperty *p;
	bool has_rule = false;
	/* Stretches instead of starts: one rule, nothing added, excluded or moved. */
	bool simple = runs != NULL &&
	              icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY) == 1 &&
	              icalcomponent_count_properties(ev, ICAL_RDATE_PROPERTY) == 0 &&
	              icalcomponent_count_properties(ev, ICAL_EXDATE_PROPERTY) == 0;
	int ty, tm, td, fy, fm, fd;

	oa_date_to_ymd((oa_date)fdiv(to, OA_MINUTES_PER_DAY) + 2, &ty, &tm, &td);
	oa_date_to_ymd((oa_date)fdiv(from - len, OA_MINUTES_PER_DAY) - 2, &fy, &fm, &fd);
	for (p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
		struct icalrecurrencetype rule = icalproperty_get_rrule(p);
		struct icaltimetype t, wend = dtstart, wstart = dtstart;
		icalrecur_iterator *it;

		has_rule = true;
		if (rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
		    rule.freq == ICAL_HOURLY_RECURRENCE) {
			if (subdaily(rd, ev, &rule, dtstart, zone, from, to, len, starts,
			             simple ? runs : NULL) < 0)
				return -1;
			continue;
		}
		/* No need to look past the window: UNTIL at most its end (with a margin). */
		wend.year = ty, wend.month = tm, wend.day = td;
		if (!wend.is_date)
			wend.hour = 23, wend.minute = 59, wend.second = 59;
		if (icaltime_is_null_time(rule.until) ||
		    to_local(rd, rule.until, rule.until.is_date ? NULL : zone) >
		        to_local(rd, wend, wend.is_date ? NULL : zone))
			rule.until = wend;
		it = icalrecur_iterator_new(rule, dtstart);
		if (it == NULL)
			continue;
		/* Without COUNT the rule starts at the window (with a margin). */
		wstart.year = fy, wstart.month = fm, wstart.day = fd;
		if (!wstart.is_date)
			wstart.hour = wstart.minute = wstart.second = 0;
		if (rule.count == 0 && icaltime_compare(wstart, dtstart) > 0)
			(void)icalrecur_iterator_set_start(it, wstart);
		while (!icaltime_is_null_time(t = icalrecur_iterator_next(it))) {
			oa_minute m;
			if (!step(rd, ev, 1)) {
				icalrecur_iterator_free(it);
				return -1;
			}
			m = to_local(rd, t, zone);
			if (m >= to)
				break;
			if (m != INT64_MIN && m + len <= from)
				continue;
			if (mlist_add(starts, m) < 0) {
				icalrecur_iterator_free(it);
				return -1;
			}
		}
		icalrecur_iterator_free(it);
	}
	if (!has_rule && mlist_add(starts, to_local(rd, dtstart, zone)) < 0)
		return -1;
	for (p = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
		struct icaltimetype t = icaltime_is_null_time(dp.time) ? dp.period.start : dp.time;
		if (icaltime_is_null_time(t))
			continue;
		if (mlist_add(starts, to_local(rd, t, prop_zone(rd, p, t.is_date ? NULL : zone))) < 0)
			return -1;
	}
	for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		struct icaltimetype t = icalproperty_get_exdate(p);
		if (icaltime_is_null_time(t))
			continue;
		if (mlist_add(exdates, to_local(rd, t, prop_zone(rd, p, t.is_date ? NULL : zone))) < 0)
			return -1;
		/* An all-day EXDATE removes that day's occurrence of a timed event too. */
		if (t.is_date && !dtstart.is_date && to_local(rd, t, NULL) != INT64_MIN &&
		    mlist_add(exdays, fdiv(to_local(rd, t, NULL), OA_MINUTES_PER_DAY)) < 0)
			return -1;
	}
	return 0;
}

/* Counts an occurrence, from START, of an all-day event marked free; keeps the first. */
static void
free_day(reader *rd, icalcomponent *ev, oa_minute start, oa_minute end)
{
	oa_ical_busy_report *rep = rd->rep;
	const char *sum = icalcomponent_get_summary(ev), *uid = icalcomponent_get_uid(ev);
	char needle[300];
	size_t n;

	if (rep->to > rep->from && (end <= rep->from || start >= rep->to))
		return;
	if (rep->free_allday++ > 0 && start >= rep->free_start)
		return;
	rep->free_start = start;
	snprintf(needle, sizeof needle, "UID:%s", uid ? uid : "");
	rep->free_line = uid ? line_of(rd->text, needle) : 0;
	n = sum ? strlen(sum) : 0;
	if (n >= sizeof rep->free_summary) {
		/* Cut at a character, not inside one. */
		n = sizeof rep->free_summary - 1;
		while (n > 0 && ((unsigned char)sum[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(rep->free_summary, sum ? sum : "", n);
	rep->free_summary[n] = '\0';
}

static char *
strip_mailto(const char *v)
{
	if (v == NULL)
		return NULL;
	if (strncasecmp(v, "mailto:", 7) == 0)
		v += 7;
	return (char *)v;
}

/* Overrides: UID and RECURRENCE-ID (local minute) of events that replace an occurrence. */
typedef struct override {
	const char *uid;
	oa_minute rid;
} override;

static long
read_events(reader *rd, icalcomponent *vcal, oa_minute from, oa_minute to, oa_ical_busy_fn fn,
            void *ctx, oa_error *err, const char *path)
{
	const char *calname = NULL;
	override *ov = NULL;
	size_t nov = 0;
	long count = 0;
	icalproperty *xp;
	icalcomponent *ev;
	oa_ical_who *who = NULL;
	size_t capwho = 0;
	mlist starts = { 0 }, ex = { 0 }, exdays = { 0 }, rids = { 0 }, runs = { 0 };

	rd->root = vcal;
	if (check_tzids(rd, vcal) < 0)
		return -1;
	for (xp = icalcomponent_get_first_property(vcal, ICAL_X_PROPERTY); xp != NULL;
	     xp = icalcomponent_get_next_property(vcal, ICAL_X_PROPERTY))
		if (icalproperty_get_x_name(xp) && strcasecmp(icalproperty_get_x_name(xp), "X-WR-CALNAME") == 0)
			calname = icalproperty_get_x(xp);
	for (ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT); ev != NULL;
	     ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
		icalproperty *rp = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
		if (rp == NULL || icalcomponent_get_uid(ev) == NULL)
			continue;
		override *nv = realloc(ov, (nov + 1) * sizeof *ov);
		if (nv == NULL)
			goto nomem;
		ov = nv;
		struct icaltimetype rid = icalproperty_get_recurrenceid(rp);
		ov[nov].uid = icalcomponent_get_uid(ev);
		ov[nov].rid = to_local(rd, rid, prop_zone(rd, rp, rid.is_date ? NULL : (icaltimezone *)rid.zone));
		nov++;
	}
	for (ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT); ev != NULL;
	     ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
		icalproperty *p = icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY);
		struct icaltimetype ds, de;
		icaltimezone *zone;
		oa_minute len;
		size_t nwho = 0;
		const char *uid = icalcomponent_get_uid(ev);
		bool is_override = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY) != NULL;

		bool transparent = p != NULL && icalproperty_get_transp(p) == ICAL_TRANSP_TRANSPARENT;

		if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
			continue;
		p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		if (p == NULL)
			continue;
		ds = icalcomponent_get_dtstart(ev);
		if (icaltime_is_null_time(ds))
			continue;
		/*
		 * Transparent events are not busy.  An all-day one (a trip, a leave)
		 * is often transparent only because Outlook and Google make all-day
		 * events "free" unless told otherwise: it is expanded, not handed
		 * out, and counted for the caller's warning.
		 */
		if (transparent && (!ds.is_date || rd->rep == NULL))
			continue;
		zone = ds.is_date ? NULL : prop_zone(rd, p, (icaltimezone *)ds.zone);
		de = icalcomponent_get_dtend(ev);
		if (icaltime_is_null_time(de)) {
			len = ds.is_date ? OA_MINUTES_PER_DAY : 0;
		} else if (ds.is_date) {
			len = span(to_local(rd, ds, NULL), to_local(rd, de, NULL));
		} else {
			icalproperty *ep = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
			icaltimezone *ez = ep ? prop_zone(rd, ep, (icaltimezone *)de.zone) : zone;
			if (ep == NULL) {
				struct icaldurationtype d = icalcomponent_get_duration(ev);
				len = icaldurationtype_as_int(d) / 60;
			} else {
				len = span(to_local(rd, ds, zone), to_local(rd, de, ez));
			}
		}
		if (len <= 0)
			continue;
		/* Who: attendees (not those who declined), the organizer, the calendar's name. */
		for (p = icalcomponent_get_first_property(ev, ICAL_ANY_PROPERTY); p != NULL;
		     p = icalcomponent_get_next_property(ev, ICAL_ANY_PROPERTY)) {
			icalproperty_kind k = icalproperty_isa(p);
			icalparameter *cn, *ps;
			if (k != ICAL_ATTENDEE_PROPERTY && k != ICAL_ORGANIZER_PROPERTY)
				continue;
			ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
			if (ps != NULL && icalparameter_get_partstat(ps) == ICAL_PARTSTAT_DECLINED)
				continue;
			if (nwho + 2 > capwho) {
				size_t nc = capwho ? capwho * 2 : 8;
				oa_ical_who *nw = realloc(who, nc * sizeof *who);
				if (nw == NULL)
					goto nomem;
				who = nw;
				capwho = nc;
			}
			cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
			who[nwho].email = strip_mailto(k == ICAL_ATTENDEE_PROPERTY
			                               ? icalproperty_get_attendee(p)
			                               : icalproperty_get_organizer(p));
			who[nwho].name = cn ? icalparameter_get_cn(cn) : NULL;
			nwho++;
		}
		if (calname != NULL) {
			if (nwho + 1 > capwho) {
				oa_ical_who *nw = realloc(who, (capwho + 8) * sizeof *who);
				if (nw == NULL)
					goto nomem;
				who = nw;
				capwho += 8;
			}
			who[nwho].email = NULL;
			who[nwho].name = calname;
			nwho++;
		}
		starts.n = ex.n = exdays.n = rids.n = runs.n = 0;
		for (size_t j = 0; j < nov && !is_override && uid; j++)
			if (strcmp(ov[j].uid, uid) == 0 && mlist_add(&rids, ov[j].rid) < 0)
				goto nomem;
		if (is_override) {
			if (mlist_add(&starts, to_local(rd, ds, zone)) < 0)
				goto nomem;
		} else if (occurrences(rd, ev, ds, zone, from, to, len, &starts, &ex, &exdays,
		                       rids.n == 0 ? &runs : NULL) < 0) {
			if (rd->failed) {
				count = -1;
				goto out;
			}
			goto nomem;
		}
		/* The joined stretches of a fine rule (see subdaily). */
		for (size_t i = 0; i + 1 < runs.n; i += 2) {
			if (runs.v[i] >= to || runs.v[i + 1] <= from)
				continue;
			if (transparent) {
				free_day(rd, ev, runs.v[i], runs.v[i + 1]);
				continue;
			}
			count++;
			if (fn != NULL &&
			    fn(ctx, who, nwho, runs.v[i], runs.v[i + 1], icalcomponent_get_summary(ev),
			       err) < 0) {
				if (err && err->file[0] == '\0')
					snprintf(err->file, sizeof err->file, "%s", path);
				count = -1;
				goto out;
			}
		}
		mlist_sort(&starts);
		mlist_sort(&ex);
		mlist_sort(&exdays);
		mlist_sort(&rids);
		/* The occurrences in the window; those of the event that overlap are joined. */
		{
			oa_minute cs = 0, ce = 0;
			bool open = false;
			for (size_t i = 0; i <= starts.n; i++) {
				oa_minute st = i < starts.n ? starts.v[i] : 0;
				if (i < starts.n) {
					if ((i > 0 && st == starts.v[i - 1]) || st == INT64_MIN ||
					    mlist_has(&ex, st) || mlist_has(&exdays, fdiv(st, OA_MINUTES_PER_DAY)) ||
					    mlist_has(&rids, st) || st >= to || st + len <= from)
						continue;
					if (open && st <= ce) {
						if (st + len > ce)
							ce = st + len;
						continue;
					}
				}
				if (open && transparent) {
					free_day(rd, ev, cs, ce);
				} else if (open) {
					count++;
					if (fn != NULL &&
					    fn(ctx, who, nwho, cs, ce, icalcomponent_get_summary(ev), err) < 0) {
						if (err && err->file[0] == '\0')
							snprintf(err->file, sizeof err->file, "%s", path);
						count = -1;
						goto out;
					}
				}
				cs = st;
				ce = st + len;
				open = i < starts.n;
			}
		}
	}
out:
	free(ov);
	free(who);
	free(starts.v);
	free(ex.v);
	free(exdays.v);
	free(rids.v);
	free(runs.v);
	return count;
nomem:
	oa_error_sys(err, path, "out of memory");
	count = -1;
	goto out;
}

long
oa_ical_read_busy(const char *path, const char *zone_name, oa_minute from, oa_minute to,
                  oa_ical_busy_fn fn, void *ctx, oa_error *err)
{
	return oa_ical_read_busy_counted(path, zone_name, from, to, fn, ctx, NULL, err);
}

long
oa_ical_read_busy_counted(const char *path, const char *zone_name, oa_minute from, oa_minute to,
                          oa_ical_busy_fn fn, void *ctx, long *steps, oa_error *err)
{
	oa_ical_busy_report rep = { 0 };
	long n = oa_ical_read_busy_report(path, zone_name, from, to, fn, ctx, &rep, err);

	if (steps != NULL)
		*steps = rep.steps;
	return n;
}

long
oa_ical_read_busy_report(const char *path, const char *zone_name, oa_minute from, oa_minute to,
                         oa_ical_busy_fn fn, void *ctx, oa_ical_busy_report *rep, oa_error *err)
{
	const char *name = (path == NULL || strcmp(path, "-") == 0) ? "<stdin>" : path;
	char *text;
	const char *p;
	icalcomponent *root;
	reader rd;
	long total = 0;
	oa_minute from_rep, to_rep;

	from_rep = rep->from;
	to_rep = rep->to;
	memset(rep, 0, sizeof *rep);
	rep->from = from_rep;
	rep->to = to_rep;
	text = slurp(path, err);
	if (text == NULL)
		return -1;
	p = text;
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (*p == '\r' || *p == '\n' || *p == ' ')
		p++;
	if (strncasecmp(p, "BEGIN:VCALENDAR", 15) != 0) {
		free(text);
		oa_error_set(err, name, 1, "not an iCalendar file: no BEGIN:VCALENDAR");
		return -1;
	}
	root = icalparser_parse_string(p);
	if (root == NULL) {
		free(text);
		oa_error_set(err, name, 0, "libical could not parse the calendar");
		return -1;
	}
	memset(&rd, 0, sizeof rd);
	rd.rep = rep;
	rd.text = text;
	rd.path = name;
	rd.err = err;
	rd.local_utc = is_utc_name(zone_name);
	rd.local = rd.local_utc ? icaltimezone_get_utc_timezone()
	                        : icaltimezone_get_builtin_timezone(zone_name);
	if (rd.local == NULL) {
		icalcomponent_free(root);
		free(text);
		oa_error_set(err, NULL, 0, "unknown time zone \"%s\"", zone_name);
		return -1;
	}
	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
		total = read_events(&rd, root, from, to, fn, ctx, err, name);
	} else {
		for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
		     c != NULL && total >= 0; c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
			long n = read_events(&rd, c, from, to, fn, ctx, err, name);
			total = n < 0 ? -1 : total + n;
		}
	}
	icalcomponent_free(root);
	free(text);
	rep->steps = rd.steps;
	return total;
}
