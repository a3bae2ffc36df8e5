/*
 * ical.c - iCalendar over libical: the schedule as METHOD:REQUEST
 * invitations, line folding that keeps UTF-8 characters whole, and busy
 * times read from calendar files with their recurrences expanded.  See
 * ical.h.
 *
 * The recurrence expansion is done here with libical's rule iterator rather
 * than icalcomponent_foreach_recurrence, which (libical 3.0) reads RDATE
 * values with a TZID as UTC and places floating and all-day events in UTC.
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
oa_ical_uid(const char *id, const char *domain, char *buf, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ull;

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

char *
oa_ical_schedule(const oa_schedule *s, const oa_ical_options *opt, size_t *no_email,
                 oa_error *err)
{
	/* Times are wall-clock in the calendar's zone; they are written in TZNAME. */
	const char *zone_name = opt && opt->timezone ? opt->timezone : s->cal.timezone;
	bool utc = is_utc_name(zone_name);
	icaltimezone *zone = is_utc_name(s->cal.timezone)
	                     ? icaltimezone_get_utc_timezone()
	                     : icaltimezone_get_builtin_timezone(s->cal.timezone);
	time_t stamp = opt && opt->dtstamp != (time_t)-1 ? opt->dtstamp : time(NULL);
	char prodid[128], uid[160];
	icalcomponent *cal;
	size_t *order = NULL, n;
	char *text, *folded;
	struct icaltimetype stamp_utc;

	if (no_email)
		*no_email = 0;
	if (zone == NULL) {
		oa_error_set(err, NULL, 0, "unknown time zone \"%s\"", s->cal.timezone);
		return NULL;
	}
	if (!utc && strcmp(zone_name, s->cal.timezone) != 0) {
		oa_error_set(err, NULL, 0, "invitations are written in the calendar's zone \"%s\" or UTC",
		             s->cal.timezone);
		return NULL;
	}
	snprintf(prodid, sizeof prodid, "%s",
	         opt && opt->prodid ? opt->prodid : "-//officeadm//meeting-sched " OA_VERSION "//ZH");
	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
	                          icalproperty_new_prodid(prodid), icalproperty_new_calscale("GREGORIAN"),
	                          icalproperty_new_method(ICAL_METHOD_REQUEST), (void *)0);
	if (cal == NULL) {
		oa_error_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	if (!utc) {
		icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
		icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
		if (p != NULL)
			icalproperty_set_tzid(p, zone_name);
		drop_old_observances(vtz);
		icalcomponent_add_component(cal, vtz);
	}
	stamp_utc = icaltime_from_timet_with_zone(stamp, 0, icaltimezone_get_utc_timezone());
	stamp_utc = icaltime_set_timezone(&stamp_utc, icaltimezone_get_utc_timezone());
	n = oa_schedule_sorted(s, &order);
	for (size_t i = 0; i < n; i++) {
		const oa_sched_request *q = &s->req[order[i]];
		icalcomponent *ev = icalcomponent_new_vevent();
		oa_sched_person tmp;
		const oa_sched_person *org = organizer_of(s, q, &tmp);

		oa_ical_uid(q->id, opt ? opt->domain : NULL, uid, sizeof uid);
		icalcomponent_add_property(ev, icalproperty_new_uid(uid));
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp_utc));
		icalcomponent_add_property(ev, icalproperty_new_sequence(opt ? opt->sequence : 0));
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
				goto nomem;
			icalcomponent_add_property(ev, person_prop(icalproperty_new_organizer(addr), org));
			free(addr);
		}
		for (size_t j = 0; j < q->nrequired; j++)
			if (add_attendee(ev, &s->people[q->required[j]], true, no_email) < 0)
				goto nomem;
		for (size_t j = 0; j < q->noptional; j++)
			if (add_attendee(ev, &s->people[q->optional[j]], false, no_email) < 0)
				goto nomem;
		icalcomponent_add_component(cal, ev);
	}
	free(order);
	order = NULL;
	text = icalcomponent_as_ical_string_r(cal);
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
nomem:
	free(order);
	icalcomponent_free(cal);
	oa_error_sys(err, NULL, "out of memory");
	return NULL;
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
} reader;

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

/* The zone of a property's TZID parameter, or FALLBACK. */
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
	if ((z = icalcomponent_get_timezone(rd->root, tzid)) != NULL)
		return z;
	if ((z = icaltimezone_get_builtin_timezone(tzid)) != NULL)
		return z;
	if ((z = icaltimezone_get_builtin_timezone_from_tzid(tzid)) != NULL)
		return z;
	return fallback;
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

static bool
mlist_has(const mlist *l, oa_minute m)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == m)
			return true;
	return false;
}

#define MAX_INSTANCES 200000

/* Start times (local minutes) of EV's occurrences starting before TO. */
static int
occurrences(const reader *rd, icalcomponent *ev, struct icaltimetype dtstart,
            icaltimezone *zone, oa_minute to, mlist *starts, mlist *exdates)
{
	icalproperty *p;
	bool has_rule = false;

	for (p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
		struct icalrecurrencetype rule = icalproperty_get_rrule(p);
		icalrecur_iterator *it = icalrecur_iterator_new(rule, dtstart);
		struct icaltimetype t;
		size_t count = 0;

		has_rule = true;
		if (it == NULL)
			continue;
		while (!icaltime_is_null_time(t = icalrecur_iterator_next(it)) &&
		       count++ < MAX_INSTANCES) {
			oa_minute m = to_local(rd, t, zone);
			if (m >= to)
				break;
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
		if (t.is_date && !dtstart.is_date) {
			oa_minute day = to_local(rd, t, NULL);
			for (size_t i = 0; i < starts->n; i++)
				if (starts->v[i] >= day && starts->v[i] < day + OA_MINUTES_PER_DAY &&
				    mlist_add(exdates, starts->v[i]) < 0)
					return -1;
		}
	}
	return 0;
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
	mlist starts = { 0 }, ex = { 0 };

	rd->root = vcal;
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

		if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
			continue;
		if (p != NULL && icalproperty_get_transp(p) == ICAL_TRANSP_TRANSPARENT)
			continue;
		p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		if (p == NULL)
			continue;
		ds = icalcomponent_get_dtstart(ev);
		if (icaltime_is_null_time(ds))
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
		starts.n = ex.n = 0;
		if (is_override) {
			if (mlist_add(&starts, to_local(rd, ds, zone)) < 0)
				goto nomem;
		} else if (occurrences(rd, ev, ds, zone, to, &starts, &ex) < 0) {
			goto nomem;
		}
		if (starts.n > 1)
			qsort(starts.v, starts.n, sizeof *starts.v, cmp_min);
		for (size_t i = 0; i < starts.n; i++) {
			oa_minute st = starts.v[i];
			bool replaced = false;
			if (i > 0 && st == starts.v[i - 1])
				continue;
			if (st == INT64_MIN || mlist_has(&ex, st))
				continue;
			for (size_t j = 0; j < nov && !is_override && uid; j++)
				replaced |= ov[j].rid == st && strcmp(ov[j].uid, uid) == 0;
			if (replaced || st >= to || st + len <= from)
				continue;
			count++;
			if (fn != NULL &&
			    fn(ctx, who, nwho, st, st + len, icalcomponent_get_summary(ev), err) < 0) {
				if (err && err->file[0] == '\0')
					snprintf(err->file, sizeof err->file, "%s", path);
				count = -1;
				goto out;
			}
		}
	}
out:
	free(ov);
	free(who);
	free(starts.v);
	free(ex.v);
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
	const char *name = (path == NULL || strcmp(path, "-") == 0) ? "<stdin>" : path;
	char *text = slurp(path, err);
	const char *p;
	icalcomponent *root;
	reader rd;
	long total = 0;

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
	free(text);
	if (root == NULL) {
		oa_error_set(err, name, 0, "libical could not parse the calendar");
		return -1;
	}
	memset(&rd, 0, sizeof rd);
	rd.local_utc = is_utc_name(zone_name);
	rd.local = rd.local_utc ? icaltimezone_get_utc_timezone()
	                        : icaltimezone_get_builtin_timezone(zone_name);
	if (rd.local == NULL) {
		icalcomponent_free(root);
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
	return total;
}
