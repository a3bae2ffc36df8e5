/*
 * meeting-sched - place meeting requests into rooms and free time by
 * priority; write the schedule CSV and iCalendar invitations; or list the
 * common free slots of a few people.
 *
 *     meeting-sched [options] [REQUESTS]
 *     meeting-sched --free PEOPLE --within RANGE --duration D [options] [REQUESTS]
 *
 * All logic is in libofficeadm (schedule.c, ical.c); this file reads the
 * options and the inputs, and reports.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csv.h"
#include "date.h"
#include "ical.h"
#include "schedule.h"
#include "schedule_exact.h"

static const char usage_text[] =
	"usage: meeting-sched [-vx] [-c config] [-e encoding] [-o file] [-p people]\n"
	"                     [-r rooms] [-b busy] [-i busy.ics] [--busy-of person busy.ics]\n"
	"                     [--ics file] [--previous file] [--cancel file] [--batch name]\n"
	"                     [--invitations dir] [--today datetime]\n"
	"                     [-u unplaced] [--from date] [--sequence n] [--utc]\n"
	"                     [--prove] [--prove-seconds n] [requests]\n"
	"       meeting-sched --free people --within range --duration d [-x] [-c config]\n"
	"                     [-e encoding] [-o file] [-p people] [-b busy] [-i busy.ics]\n"
	"                     [requests]\n";

static const char help_text[] =
	"Place meeting requests into rooms and free time, by priority.\n"
	"\n"
	"  -c, --config FILE      settings (default: the search order in officeadm.ini(5))\n"
	"  -e, --encoding ENC     input encoding: auto, utf-8, gb18030 (default auto)\n"
	"  -p, --people FILE      people CSV: name, email, department\n"
	"  -r, --rooms FILE       rooms CSV: name, capacity (default: [rooms] of the config)\n"
	"  -b, --busy FILE        busy times CSV: person, start, end (repeatable)\n"
	"  -i, --busy-ics FILE    busy times from an iCalendar file, for the attendees,\n"
	"                         organizer or calendar name it gives (repeatable)\n"
	"      --busy-of PERSON FILE  FILE is PERSON's calendar: all its events are\n"
	"                         PERSON's busy time (repeatable)\n"
	"  -o, --output FILE      write the schedule CSV to FILE (default stdout)\n"
	"      --ics FILE         write the invitations (iCalendar, METHOD:REQUEST; PUBLISH\n"
	"                         when a meeting has no organizer or attendee address)\n"
	"      --previous FILE    the invitations of the previous run of this batch: keep\n"
	"                         their UIDs, raise SEQUENCE of the changed meetings;\n"
	"                         a meeting stays where it was unless moving it saves\n"
	"                         more than [meetings] move_cost; one that has started\n"
	"                         stays, and nothing is placed before now\n"
	"      --today DATETIME   the time of a --previous re-run (default now)\n"
	"      --cancel FILE      write METHOD:CANCEL for the previous meetings no longer\n"
	"                         placed (needed when there are any)\n"
	"      --invitations DIR  with --ics: also one file per meeting to send, DIR/ID.ics\n"
	"                         (its own METHOD:REQUEST, new or changed meetings only)\n"
	"                         and DIR/ID.cancel.ics (METHOD:CANCEL); DIR is made by\n"
	"                         the run and must not hold files\n"
	"      --batch NAME       the batch the UIDs are made from (default: the previous\n"
	"                         invitations' batch, else the window's first date)\n"
	"  -u, --unplaced FILE    write the requests not placed, with reasons, as CSV\n"
	"      --from DATE        window start for requests without earliest (default today)\n"
	"      --sequence N       SEQUENCE of new invitations (default 0)\n"
	"      --utc              invitations in UTC instead of the calendar's zone\n"
	"      --prove            solve the exact model (GLPK): report the optimum or the\n"
	"                         gap on stderr, and output the solver's schedule if better\n"
	"      --prove-seconds N  time limit of --prove (default 60)\n"
	"      --free PEOPLE      list the common free slots of PEOPLE (comma-separated)\n"
	"      --within RANGE     ... in RANGE: DATE, DATE..DATE or DATETIME..DATETIME\n"
	"      --duration D       ... at least D long (90, 1h30m, 1.5h, 半小时)\n"
	"  -v, --verbose          print the objective and its parts on stderr\n"
	"  -x, --excel            CSV for Excel: BOM, CRLF, formula guard\n"
	"  -h, --help             this help;  -V, --version  the version\n"
	"Dates in the CSV files: 2026-05-06 09:00, or as Excel saves them (2026/5/6 9:00,\n"
	"2026年5月6日).  A requests file with no request is an error.\n"
	"Durations in days are working days: 半天 half the office minutes of a day,\n"
	"1天 the whole office day through lunch.  Fixed starts are checked (holiday,\n"
	"night, lunch, double booking, busy): each conflict is reported.\n"
	"Exit status: 0 all placed (or free slots found), 1 some requests not placed,\n"
	"or a fixed meeting conflicts (or no free slot), 2 error.\n";

enum {
	OPT_ICS = 256, OPT_FROM, OPT_SEQUENCE, OPT_FREE, OPT_WITHIN, OPT_DURATION, OPT_UTC,
	OPT_PREVIOUS, OPT_CANCEL, OPT_BATCH, OPT_BUSY_OF, OPT_TODAY, OPT_INVITATIONS
};
enum { OPT_PROVE = 512, OPT_PROVE_SECONDS };

static const struct option longopts[] = {
	{ "busy", required_argument, NULL, 'b' },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "busy-ics", required_argument, NULL, 'i' },
	{ "busy-of", required_argument, NULL, OPT_BUSY_OF },
	{ "cancel", required_argument, NULL, OPT_CANCEL },
	{ "config", required_argument, NULL, 'c' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "encoding", required_argument, NULL, 'e' },
	{ "excel", no_argument, NULL, 'x' },
	{ "free", required_argument, NULL, OPT_FREE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "help", no_argument, NULL, 'h' },
	{ "ics", required_argument, NULL, OPT_ICS },
	{ "invitations", required_argument, NULL, OPT_INVITATIONS },
	{ "output", required_argument, NULL, 'o' },
	{ "people", required_argument, NULL, 'p' },
	{ "previous", required_argument, NULL, OPT_PREVIOUS },
	{ "prove", no_argument, NULL, OPT_PROVE },
	{ "prove-seconds", required_argument, NULL, OPT_PROVE_SECONDS },
	{ "rooms", required_argument, NULL, 'r' },
	{ "sequence", required_argument, NULL, OPT_SEQUENCE },
	{ "today", required_argument, NULL, OPT_TODAY },
	{ "unplaced", required_argument, NULL, 'u' },
	{ "utc", no_argument, NULL, OPT_UTC },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ NULL, 0, NULL, 0 },
};

#define MAX_FILES 64

struct opts {
	const char *config, *encoding, *output, *people, *rooms, *ics, *unplaced;
	const char *from, *free, *within, *duration;
	const char *previous, *cancel, *batch, *today, *invitations;
	const char *busy[MAX_FILES], *busy_ics[MAX_FILES];
	const char *busy_of[MAX_FILES]; /* the person whose calendar busy_ics[i] is, or NULL */
	int nbusy, nbusy_ics;
	long sequence;
	bool excel, verbose, utc;
	bool prove;
	double prove_seconds;
};

struct ics_ctx {
	oa_schedule *s;
	int owner;        /* --busy-of: the calendar's person, else -1 */
	long nobody;      /* occurrences that name no known person */
};

/* Adds the occurrence to the calendar's owner and every known person it names. */
static int
ics_busy(void *ctx, const oa_ical_who *who, size_t n, oa_minute start, oa_minute end,
         const char *summary, oa_error *err)
{
	struct ics_ctx *c = ctx;
	oa_schedule *s = c->s;
	int seen[64];
	size_t nseen = 0;

	(void)summary;
	if (c->owner >= 0) {
		seen[nseen++] = c->owner;
		if (oa_schedule_add_busy(s, c->owner, start, end, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int p = -1;
		if (who[i].email != NULL)
			p = oa_schedule_find_person(s, who[i].email);
		if (p < 0 && who[i].name != NULL)
			p = oa_schedule_find_person(s, who[i].name);
		if (p < 0)
			continue;
		bool dup = false;
		for (size_t j = 0; j < nseen; j++)
			dup |= seen[j] == p;
		if (dup)
			continue;
		if (nseen < 64)
			seen[nseen++] = p;
		if (oa_schedule_add_busy(s, p, start, end, err) < 0)
			return -1;
	}
	if (nseen == 0)
		c->nobody++;
	return 0;
}

/* "DATE", "A..B" with dates or date-times; a bare end date includes that day. */
static int
parse_range(const char *arg, oa_minute *from, oa_minute *to)
{
	const char *dots = strstr(arg, "..");
	size_t alen = dots ? (size_t)(dots - arg) : strlen(arg);
	const char *b = dots ? dots + 2 : arg;

	if (oa_datetime_parse(arg, alen, OA_DATETIME_DATE_OK, from) < 0 ||
	    oa_datetime_parse(b, strlen(b), OA_DATETIME_DATE_OK, to) < 0 || *from < 0)
		return -1;
	if (strlen(b) == 10)
		*to += OA_MINUTES_PER_DAY;
	return *to > *from ? 0 : -1;
}

static int
write_free(oa_schedule *s, const struct opts *o, cli_output *out)
{
	oa_minute from, to;
	long dur, n;
	int persons[256];
	size_t np = 0;
	char *list = strdup(o->free), *save = NULL;
	oa_sched_slot *slots;
	oa_error err;
	oa_csv_writer *w;
	static const char *const head[] = { "date", "start", "end", "minutes" };

	oa_error_clear(&err);
	if (list == NULL) {
		cli_sys(NULL, "out of memory");
		return EXIT_TROUBLE;
	}
	for (char *tok = strtok_r(list, ",;", &save); tok != NULL; tok = strtok_r(NULL, ",;", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;
		int p = oa_schedule_find_person(s, tok);
		if (p < 0 && s->people_closed) {
			cli_msg("--free: \"%s\" is not in the people file", tok);
			free(list);
			return EXIT_TROUBLE;
		}
		if (p < 0 && (p = oa_schedule_person(s, tok, &err)) < 0) {
			cli_error(&err);
			free(list);
			return EXIT_TROUBLE;
		}
		if (np < 256)
			persons[np++] = p;
	}
	free(list);
	if (np == 0) {
		cli_msg("--free: no person named");
		return EXIT_TROUBLE;
	}
	if (o->within == NULL || parse_range(o->within, &from, &to) < 0) {
		cli_msg("--within \"%s\": expected DATE, DATE..DATE or DATETIME..DATETIME, "
		        "from 1970-01-01 on",
		        o->within ? o->within : "");
		return EXIT_TROUBLE;
	}
	if (o->duration == NULL || oa_duration_parse(o->duration, strlen(o->duration), &dur) < 0) {
		cli_msg("--duration \"%s\" is not a duration", o->duration ? o->duration : "");
		return EXIT_TROUBLE;
	}
	n = oa_schedule_free_slots(s, persons, np, from, to, dur, &slots, &err);
	if (n < 0) {
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out->fp, o->excel);
	oa_csv_write_record(w, head, 4);
	for (long i = 0; i < n; i++) {
		char d[16], a[8], b[8], m[24];
		oa_date_format((oa_date)(slots[i].start / OA_MINUTES_PER_DAY), d);
		oa_time_format((int)(slots[i].start % OA_MINUTES_PER_DAY), a);
		oa_time_format((int)(slots[i].end % OA_MINUTES_PER_DAY), b);
		snprintf(m, sizeof m, "%lld", (long long)(slots[i].end - slots[i].start));
		const char *row[] = { d, a, b, m };
		oa_csv_write_record(w, row, 4);
	}
	free(slots);
	if (oa_csv_writer_check(w, out->name, &err) < 0) {
		oa_csv_writer_free(w);
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	oa_csv_writer_free(w);
	return n > 0 ? EXIT_DONE : EXIT_FINDINGS;
}

static int
load(oa_schedule *s, const struct opts *o, const char *requests, bool need_requests)
{
	oa_config *cfg = cli_load_config(o->config);
	oa_csv_options copt;
	oa_error err;
	oa_date from = oa_date_today();
	oa_minute wa, wb;

	oa_error_clear(&err);
	if (cfg == NULL)
		return -1;
	if (oa_csv_options_load(&copt, cfg, &err) < 0 ||
	    (o->encoding && oa_encoding_parse(o->encoding, &copt.encoding, &err) < 0))
		goto fail;
	if (o->from && oa_date_parse(o->from, strlen(o->from), &from) < 0) {
		oa_error_set(&err, NULL, 0, "--from \"%s\" is not a date (YYYY-MM-DD)", o->from);
		goto fail;
	}
	if (oa_schedule_configure(s, cfg, &err) < 0)
		goto fail;
	if (o->free != NULL && o->within != NULL) {
		oa_minute fa, fb;
		if (parse_range(o->within, &fa, &fb) == 0 &&
		    fb - fa > (oa_minute)s->max_window * OA_MINUTES_PER_DAY) {
			oa_error_set(&err, NULL, 0, "--within \"%s\" is longer than [meetings] max_window "
			             "(%d days)", o->within, s->max_window);
			goto fail;
		}
	}
	if (o->people && oa_schedule_read_people(s, o->people, &copt, &err) < 0)
		goto fail;
	if (o->rooms && oa_schedule_read_rooms(s, o->rooms, &copt, &err) < 0)
		goto fail;
	if (need_requests && oa_schedule_read_requests(s, requests, &copt, from, &err) < 0)
		goto fail;
	for (int i = 0; i < o->nbusy; i++)
		if (oa_schedule_read_busy(s, o->busy[i], &copt, &err) < 0)
			goto fail;
	oa_schedule_window(s, &wa, &wb);
	if (o->free != NULL && o->within != NULL) {
		oa_minute fa, fb;
		if (parse_range(o->within, &fa, &fb) == 0) {
			if (s->nreq == 0 || fa < wa)
				wa = fa;
			if (s->nreq == 0 || fb > wb)
				wb = fb;
		}
	}
	{
		/* Office days in a year without holidays would be guesses. */
		oa_error cw;
		oa_error_clear(&cw);
		if (wb > wa && oa_calendar_check_range(&s->cal, (oa_date)(wa / OA_MINUTES_PER_DAY),
		                            (oa_date)((wb - 1) / OA_MINUTES_PER_DAY), &cw) < 0)
			cli_msg_at(cw.file[0] ? cw.file : NULL, cw.line, "warning: %s", cw.msg);
	}
	for (int i = 0; i < o->nbusy_ics; i++) {
		struct ics_ctx c = { s, -1, 0 };
		oa_ical_busy_report rep;
		long n;
		if (o->busy_of[i] != NULL) {
			c.owner = oa_schedule_find_person(s, o->busy_of[i]);
			if (c.owner < 0 && s->people_closed) {
				oa_error_set(&err, NULL, 0, "--busy-of \"%s\": not in the people file",
				             o->busy_of[i]);
				goto fail;
			}
			if (c.owner < 0 && (c.owner = oa_schedule_person(s, o->busy_of[i], &err)) < 0)
				goto fail;
		}
		rep.from = wa;
		rep.to = wb;
		n = oa_ical_read_busy_report(o->busy_ics[i], s->cal.timezone, wa - OA_MINUTES_PER_DAY,
		                             wb + OA_MINUTES_PER_DAY, ics_busy, &c, &rep, &err);
		if (n < 0)
			goto fail;
		if (rep.free_allday > 0) {
			char day[16];
			oa_date_format((oa_date)(rep.free_start / OA_MINUTES_PER_DAY), day);
			cli_msg_at(o->busy_ics[i], rep.free_line,
			           "warning: %ld all-day event%s marked free (TRANSP:TRANSPARENT, "
			           "Outlook's and Google's default for all-day events) not counted as "
			           "busy, the first \"%s\" on %s; if the person is away then, mark %s "
			           "busy", rep.free_allday, rep.free_allday == 1 ? "" : "s",
			           rep.free_summary, day, rep.free_allday == 1 ? "it" : "them");
		}
		if (c.nobody > 0)
			cli_msg("%s: warning: %ld of %ld busy times name no known person (no ATTENDEE, "
			        "ORGANIZER or calendar name matches) and are ignored; say whose "
			        "calendar it is with --busy-of PERSON %s",
			        o->busy_ics[i], c.nobody, n, o->busy_ics[i]);
	}
	for (size_t i = 0; i < s->nwarnings; i++)
		cli_msg_at(s->warnings[i].file[0] ? s->warnings[i].file : NULL, s->warnings[i].line,
		           "warning: %s", s->warnings[i].msg);
	oa_config_free(cfg);
	return 0;
fail:
	cli_error(&err);
	oa_config_free(cfg);
	return -1;
}

/*
 * --prove: the exact model of the schedule solved within the time limit;
 * the schedule is replaced when the solver's is better.  Reports on stderr
 * and returns the number of requests now unplaced, or -1.
 */
static int
prove(oa_schedule *s, const struct opts *o)
{
	oa_sched_prove_options po;
	oa_sched_proof pf;
	oa_error err;
	int unplaced = 0;

	oa_error_clear(&err);
	oa_sched_prove_options_init(&po);
	po.seconds = o->prove_seconds;
	if (oa_schedule_prove(s, &po, &pf, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	switch (pf.status) {
	case OA_PROVE_OPTIMAL:
		cli_msg("prove: objective %lld; optimum %lld (proven, %.1f s); gap of the heuristic "
		        "%.2f%%%s", pf.given, pf.best, pf.seconds, oa_sched_gap(pf.given, pf.best),
		        pf.replaced ? "; the output is the optimal schedule" : "");
		break;
	case OA_PROVE_LIMIT:
		cli_msg("prove: objective %lld; best %lld, lower bound %lld (not proven, time limit "
		        "%g s); gap of the heuristic %.2f%%%s", pf.given, pf.best, pf.bound,
		        o->prove_seconds, oa_sched_gap(pf.given, pf.bound),
		        pf.replaced ? "; the output is the solver's better schedule" : "");
		break;
	case OA_PROVE_TOO_LARGE:
		cli_msg("prove: objective %lld; nothing proven: %s", pf.given, pf.detail);
		break;
	case OA_PROVE_OUTSIDE:
		cli_msg("prove: objective %lld; nothing proven (internal error): %s", pf.given,
		        pf.detail);
		break;
	}
	for (size_t r = 0; r < s->nreq; r++)
		unplaced += !s->req[r].placed;
	return unplaced;
}

static int
report(oa_schedule *s, int unplaced, const struct opts *o)
{
	oa_sched_cost c;
	char msg[512];
	int conflicts = 0;

	if (oa_schedule_check(s, msg, sizeof msg) > 0) {
		cli_msg("internal error: the schedule breaks a hard constraint: %s", msg);
		return EXIT_TROUBLE;
	}
	for (size_t r = 0; r < s->nreq; r++) {
		const char *cf = s->req[r].conflicts;
		while (cf != NULL && *cf != '\0') {
			const char *nl = strchr(cf, '\n');
			int len = nl ? (int)(nl - cf) : (int)strlen(cf);
			cli_msg_at(s->requests_name, s->req[r].line, "fixed \"%s\": %.*s", s->req[r].id,
			           len, cf);
			conflicts++;
			cf = nl ? nl + 1 : NULL;
		}
		if (!s->req[r].placed)
			cli_msg_at(s->requests_name, s->req[r].line, "\"%s\" not placed: %s", s->req[r].id,
			           s->req[r].reason ? s->req[r].reason : "no reason recorded");
	}
	if (o->verbose) {
		oa_schedule_objective(s, &c);
		cli_msg("objective %lld (unplaced %lld, optional %lld, late %lld, room %lld, "
		        "moved %lld); %zu requests, %d not placed",
		        c.total, c.unplaced, c.optional, c.late, c.room, c.move, s->nreq, unplaced);
	}
	return unplaced > 0 || conflicts > 0 ? EXIT_FINDINGS : EXIT_DONE;
}

/*
 * --previous, before solving: the meetings sent keep their place unless
 * moving them is worth [meetings] move_cost; those that started stay.
 */
static int
apply_previous(oa_schedule *s, const struct opts *o)
{
	oa_ical_previous prev;
	oa_error err;
	oa_minute now;
	size_t nwarn;
	int kept;

	oa_error_clear(&err);
	if (o->today != NULL) {
		if (oa_datetime_parse(o->today, strlen(o->today), OA_DATETIME_DATE_OK, &now) < 0 ||
		    now < 0) {
			cli_msg("--today \"%s\" is not a date or date-time (YYYY-MM-DD[ HH:MM])",
			        o->today);
			return -1;
		}
	} else if ((now = oa_ical_now(s->cal.timezone)) == INT64_MIN) {
		cli_msg("unknown time zone \"%s\"", s->cal.timezone);
		return -1;
	}
	if (oa_ical_read_previous(o->previous, &prev, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	nwarn = s->nwarnings;
	kept = oa_ical_previous_apply(s, &prev, now, &err);
	oa_ical_previous_release(&prev);
	if (kept < 0) {
		cli_error(&err);
		return -1;
	}
	/* Meetings whose room is gone (warned by the library). */
	for (size_t i = nwarn; i < s->nwarnings; i++)
		cli_msg_at(s->warnings[i].file[0] ? s->warnings[i].file : NULL, s->warnings[i].line,
		           "warning: %s", s->warnings[i].msg);
	for (size_t r = 0; r < s->nreq; r++)
		if (s->req[r].prev_kept && s->req[r].prev_room >= 0) {
			char day[16];
			oa_minute t = s->req[r].prev_start;
			oa_date_format((oa_date)(t / OA_MINUTES_PER_DAY), day);
			cli_msg_at(s->requests_name, s->req[r].line, "\"%s\" started before now (%s %02d:%02d, "
			           "%s, in %s): kept there, not moved", s->req[r].id, day,
			           (int)(t % OA_MINUTES_PER_DAY / 60), (int)(t % 60),
			           s->rooms[s->req[r].prev_room].name, o->previous);
		}
	return 0;
}

/*
 * A file name for request ID in --invitations: the id itself, unless it
 * could not be one on every file system an office uses (a control
 * character, one of / \\ : * ? " < > |, a leading '.'); then the UID's
 * hexadecimal part.
 */
static void
invitation_name(const char *id, const char *uid, char *buf, size_t cap)
{
	bool ok = id[0] != '\0' && id[0] != '.' && strlen(id) < cap - 16;

	for (const unsigned char *p = (const unsigned char *)id; ok && *p; p++)
		ok = *p >= 0x20 && *p != 0x7f && strchr("/\\:*?\"<>|", *p) == NULL;
	if (ok)
		snprintf(buf, cap, "%s", id);
	else
		snprintf(buf, cap, "%.*s", (int)strcspn(uid, "@"), uid);
}

/*
 * --invitations DIR: each meeting's own message, to send by itself (an
 * iTIP message is about one meeting, and each meeting goes to its own
 * people): DIR/ID.ics, METHOD:REQUEST (PUBLISH without addresses), for
 * the meetings new to the batch or changed since --previous; DIR/ID.cancel.ics,
 * METHOD:CANCEL, for those no longer placed.  Unchanged meetings need no
 * message.  DIR is made by this run (it may exist empty): files left in it
 * by an earlier run would be sent again.  The files join SET.
 */
static int
write_invitations(const oa_schedule *s, const struct opts *o, const oa_ical_options *io0,
                  oa_atomic_set *set)
{
	oa_ical_options io = *io0;
	oa_error err;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t nnames = 0;
	int rc = -1;

	oa_error_clear(&err);
	if ((d = opendir(o->invitations)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				break;
		closedir(d);
		if (de != NULL) {
			cli_msg("%s: --invitations: the directory holds files (of an earlier run?); "
			        "they would be sent again: name a new or empty directory",
			        o->invitations);
			return -1;
		}
	} else if (errno != ENOENT) {
		cli_msg("%s: %s", o->invitations, strerror(errno));
		return -1;
	}
	if (oa_atomic_set_mkdir(set, o->invitations, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	if ((names = calloc(s->nreq + (io.previous ? io.previous->n : 0) + 1, sizeof *names)) ==
	    NULL) {
		cli_msg("out of memory");
		return -1;
	}
	/* Each placed meeting, then each previous one (cancelled when not placed). */
	for (size_t i = 0; i < s->nreq + (io.previous ? io.previous->n : 0); i++) {
		bool cancel = i >= s->nreq;
		const char *id = cancel ? io.previous->ev[i - s->nreq].id : s->req[i].id;
		char uid[160], base[200], path[4096], *text;
		oa_ical_report rep;
		size_t nc = 0;
		oa_atomic_file *af;

		if (!cancel && !s->req[i].placed)
			continue;
		io.only_id = id;
		if (cancel) {
			if ((text = oa_ical_cancel(s, &io, &nc, &err)) == NULL)
				goto fail;
			snprintf(uid, sizeof uid, "%s", io.previous->ev[i - s->nreq].uid);
		} else {
			const oa_ical_prev_event *pe = NULL;
			if ((text = oa_ical_schedule(s, &io, &rep, &err)) == NULL)
				goto fail;
			nc = rep.added + rep.changed;
			for (size_t k = 0; io.previous != NULL && k < io.previous->n && !pe; k++)
				if (strcmp(io.previous->ev[k].id, id) == 0)
					pe = &io.previous->ev[k];
			if (pe != NULL)
				snprintf(uid, sizeof uid, "%s", pe->uid);
			else
				oa_ical_uid(io.batch, id, io.domain, uid, sizeof uid);
		}
		if (nc == 0) {
			free(text);
			continue;
		}
		invitation_name(id, uid, base, sizeof base);
		snprintf(path, sizeof path, "%s/%s%s", o->invitations, base,
		         cancel ? ".cancel.ics" : ".ics");
		/* Two ids of one name on a file system that ignores case: refused. */
		for (size_t k = 0; k < nnames; k++)
			if (strcasecmp(names[k], path) == 0) {
				cli_msg("%s: --invitations: two meetings would have this file (request ids "
				        "that differ only in case or in characters a file name cannot "
				        "hold)", path);
				free(text);
				goto out;
			}
		if ((names[nnames] = strdup(path)) == NULL) {
			free(text);
			cli_msg("out of memory");
			goto out;
		}
		nnames++;
		if ((af = oa_atomic_set_open(set, path, 0644, 0, &err)) == NULL) {
			free(text);
			goto fail;
		}
		fputs(text, af->fp);
		free(text);
	}
	rc = 0;
	goto out;
fail:
	cli_error(&err);
out:
	for (size_t k = 0; k < nnames; k++)
		free(names[k]);
	free(names);
	return rc;
}

/* Writes the outputs; nothing is committed yet. */
static int
write_files(oa_schedule *s, const struct opts *o, cli_output *out, cli_output *ics,
            cli_output *cancel, cli_output *unp, oa_atomic_set *set)
{
	oa_error err;
	oa_ical_previous prev;

	oa_error_clear(&err);
	memset(&prev, 0, sizeof prev);
	if (o->ics) {
		oa_ical_options io;
		oa_ical_report rep;
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		char *text, *ctext = NULL, batch[16];
		size_t ncancel = 0;
		oa_minute wa, wb;

		oa_ical_options_init(&io);
		io.sequence = (int)o->sequence;
		io.domain = s->uid_domain;
		if (o->utc)
			io.timezone = "UTC";
		if (sde != NULL && *sde != '\0')
			io.dtstamp = (time_t)strtoll(sde, NULL, 10);
		if (o->previous != NULL) {
			if (oa_ical_read_previous(o->previous, &prev, &err) < 0) {
				cli_error(&err);
				return -1;
			}
			if (o->batch != NULL && prev.batch != NULL && strcmp(o->batch, prev.batch) != 0) {
				cli_msg("--previous %s holds batch \"%s\", not \"%s\": UIDs are kept only "
				        "for a re-run of the same batch", o->previous, prev.batch, o->batch);
				oa_ical_previous_release(&prev);
				return -1;
			}
			io.previous = &prev;
		}
		/* The batch: named, else the previous one's, else the window's first date. */
		oa_schedule_window(s, &wa, &wb);
		oa_date_format((oa_date)(wa / OA_MINUTES_PER_DAY), batch);
		io.batch = o->batch ? o->batch : prev.batch ? prev.batch : batch;
		if ((text = oa_ical_schedule(s, &io, &rep, &err)) == NULL) {
			cli_error(&err);
			oa_ical_previous_release(&prev);
			return -1;
		}
		if (o->previous != NULL &&
		    (ctext = oa_ical_cancel(s, &io, &ncancel, &err)) == NULL) {
			cli_error(&err);
			free(text);
			oa_ical_previous_release(&prev);
			return -1;
		}
		if (ncancel > 0 && o->cancel == NULL && o->invitations == NULL) {
			cli_msg("%zu meetings of %s are no longer placed: name a --cancel FILE for "
			        "their cancellations (METHOD:CANCEL)", ncancel, o->previous);
			free(text);
			free(ctext);
			oa_ical_previous_release(&prev);
			return -1;
		}
		if (rep.no_email > 0)
			cli_msg("%s: warning: %zu attendee entries have no e-mail address and are "
			        "left out of the invitations", o->ics, rep.no_email);
		if (rep.publish)
			cli_msg("%s: warning: %zu meetings have no organizer address and %zu no "
			        "attendee address: written as METHOD:PUBLISH (a calendar to import, not "
			        "invitations); set [meetings] organizer and the people's e-mail",
			        o->ics, rep.no_organizer, rep.no_attendee);
		if (cli_output_open(ics, o->ics, 0644) < 0) {
			free(text);
			free(ctext);
			oa_ical_previous_release(&prev);
			return -1;
		}
		fputs(text, ics->fp);
		free(text);
		/* Nothing to cancel: no empty CANCEL to send (main says so). */
		if (o->cancel != NULL && ncancel > 0) {
			if (cli_output_open(cancel, o->cancel, 0644) < 0) {
				free(ctext);
				oa_ical_previous_release(&prev);
				return -1;
			}
			fputs(ctext, cancel->fp);
		}
		free(ctext);
		if (o->invitations != NULL && write_invitations(s, o, &io, set) < 0) {
			oa_ical_previous_release(&prev);
			return -1;
		}
		oa_ical_previous_release(&prev);
	}
	if (o->unplaced) {
		if (cli_output_open(unp, o->unplaced, 0644) < 0)
			return -1;
		if (oa_schedule_write_unplaced(s, unp->fp, o->excel, o->unplaced, &err) < 0)
			goto fail;
	}
	if (oa_schedule_write_csv(s, out->fp, o->excel, out->name, &err) < 0)
		goto fail;
	return 0;
fail:
	cli_error(&err);
	return -1;
}

/*
 * --cancel with every meeting of --previous placed again: there is nothing
 * to send, so no empty CANCEL is written; a file of that name left by an
 * earlier run would be sent again by mistake, so it is removed.  Said on
 * standard error either way.
 */
static void
nothing_to_cancel(const struct opts *o)
{
	struct stat st;
	bool stale = strcmp(o->cancel, "-") != 0 && lstat(o->cancel, &st) == 0 &&
	             S_ISREG(st.st_mode);

	if (stale && unlink(o->cancel) < 0) {
		cli_msg("%s: warning: nothing to cancel (every meeting of %s is placed again), "
		        "but the file of an earlier run could not be removed: %s; do not send it",
		        o->cancel, o->previous, strerror(errno));
		return;
	}
	cli_msg("%s: warning: nothing to cancel: every meeting of %s is placed again; no "
	        "cancellations written%s", o->cancel, o->previous,
	        stale ? " (the file of an earlier run is removed)" : "");
}

int
main(int argc, char **argv)
{
	struct opts o;
	oa_schedule s;
	cli_output out, ics, unp, cancel;
	bool has_ics, has_unp, has_cancel;
	oa_atomic_set set;
	oa_error err;
	int c, status, unplaced = 0;
	char *end;

	cli_init(argv);
	memset(&o, 0, sizeof o);
	o.prove_seconds = 60;
	memset(&ics, 0, sizeof ics);
	memset(&unp, 0, sizeof unp);
	memset(&cancel, 0, sizeof cancel);
	while ((c = getopt_long(argc, argv, "b:c:e:hi:o:p:r:u:vVx", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
		case 'i':
			if ((c == 'b' ? o.nbusy : o.nbusy_ics) == MAX_FILES) {
				cli_msg("too many busy files (at most %d)", MAX_FILES);
				return EXIT_TROUBLE;
			}
			if (c == 'b')
				o.busy[o.nbusy++] = optarg;
			else
				o.busy_ics[o.nbusy_ics++] = optarg;
			break;
		case OPT_BUSY_OF:
			/* Two arguments: PERSON (optarg) and the FILE that follows. */
			if (optind >= argc || argv[optind][0] == '\0' ||
			    (argv[optind][0] == '-' && argv[optind][1] != '\0')) {
				cli_msg("--busy-of needs PERSON and FILE");
				return cli_usage(usage_text);
			}
			if (strlen(optarg) > 4 && strcasecmp(optarg + strlen(optarg) - 4, ".ics") == 0) {
				/* The person forgotten: FILE would be taken as the person. */
				cli_msg("--busy-of \"%s\": a person, then the file: --busy-of NAME %s",
				        optarg, optarg);
				return cli_usage(usage_text);
			}
			if (o.nbusy_ics == MAX_FILES) {
				cli_msg("too many busy files (at most %d)", MAX_FILES);
				return EXIT_TROUBLE;
			}
			o.busy_of[o.nbusy_ics] = optarg;
			o.busy_ics[o.nbusy_ics++] = argv[optind++];
			break;
		case OPT_PREVIOUS: o.previous = optarg; break;
		case OPT_TODAY: o.today = optarg; break;
		case OPT_CANCEL: o.cancel = optarg; break;
		case OPT_BATCH: o.batch = optarg; break;
		case OPT_INVITATIONS: o.invitations = optarg; break;
		case 'c': o.config = optarg; break;
		case 'e': o.encoding = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_finish(EXIT_DONE);
		case 'o': o.output = optarg; break;
		case 'p': o.people = optarg; break;
		case 'r': o.rooms = optarg; break;
		case 'u': o.unplaced = optarg; break;
		case 'v': o.verbose = true; break;
		case 'V': return cli_finish(cli_version());
		case 'x': o.excel = true; break;
		case OPT_ICS: o.ics = optarg; break;
		case OPT_FROM: o.from = optarg; break;
		case OPT_FREE: o.free = optarg; break;
		case OPT_WITHIN: o.within = optarg; break;
		case OPT_DURATION: o.duration = optarg; break;
		case OPT_UTC: o.utc = true; break;
		case OPT_PROVE: o.prove = true; break;
		case OPT_PROVE_SECONDS:
			o.prove_seconds = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(o.prove_seconds > 0) ||
			    o.prove_seconds > 86400) {
				cli_msg("--prove-seconds \"%s\" is not a number of seconds (up to 86400)",
				        optarg);
				return EXIT_TROUBLE;
			}
			o.prove = true;
			break;
		case OPT_SEQUENCE:
			o.sequence = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o.sequence < 0 || o.sequence > 1000000) {
				cli_msg("--sequence \"%s\" is not a number", optarg);
				return EXIT_TROUBLE;
			}
			break;
		default:
			return cli_usage(usage_text);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return cli_usage(usage_text);
	if (o.free == NULL && (o.within != NULL || o.duration != NULL)) {
		cli_msg("--within and --duration go with --free");
		return cli_usage(usage_text);
	}
	if (o.free != NULL && o.prove) {
		cli_msg("--prove goes with placing requests, not with --free");
		return cli_usage(usage_text);
	}
	if (o.free != NULL && (o.within == NULL || o.duration == NULL)) {
		cli_msg("--free needs --within and --duration");
		return cli_usage(usage_text);
	}
	if ((o.previous != NULL || o.cancel != NULL || o.batch != NULL || o.invitations != NULL) &&
	    o.ics == NULL) {
		cli_msg("--previous, --cancel, --batch and --invitations go with --ics");
		return cli_usage(usage_text);
	}
	if (o.today != NULL && o.previous == NULL) {
		cli_msg("--today goes with --previous");
		return cli_usage(usage_text);
	}
	if (o.cancel != NULL && o.previous == NULL) {
		cli_msg("--cancel needs --previous");
		return cli_usage(usage_text);
	}
	if (o.previous != NULL &&
	    (cli_same_file(o.previous, o.ics) || cli_same_file(o.previous, o.cancel) ||
	     cli_same_file(o.previous, o.output))) {
		cli_msg("%s: --previous is an input and may not be an output too: write the new "
		        "invitations to another file", o.previous);
		return EXIT_TROUBLE;
	}

	/* No output may replace an input. */
	if (cli_input(o.people, 0) < 0 || cli_input(o.rooms, 0) < 0 ||
	    cli_inputs((char *const *)o.busy, o.nbusy) < 0 ||
	    cli_inputs((char *const *)o.busy_ics, o.nbusy_ics) < 0 ||
	    (o.previous != NULL && cli_input(o.previous, 0) < 0) ||
	    (argc > 0 ? cli_input(argv[0], 0) : o.free == NULL ? cli_input("-", 0) : 0) < 0)
		return cli_finish(EXIT_TROUBLE);
	oa_schedule_init(&s);
	oa_error_clear(&err);
	if (load(&s, &o, argc > 0 ? argv[0] : NULL, o.free == NULL || argc > 0) < 0) {
		oa_schedule_release(&s);
		return cli_finish(EXIT_TROUBLE);
	}
	if (o.previous != NULL && s.nreq > 0 && apply_previous(&s, &o) < 0) {
		oa_schedule_release(&s);
		return cli_finish(EXIT_TROUBLE);
	}
	if (s.nreq > 0 && (unplaced = oa_schedule_solve(&s, &err)) < 0) {
		cli_error(&err);
		oa_schedule_release(&s);
		return cli_finish(EXIT_TROUBLE);
	}
	if (o.prove && o.free == NULL && s.nreq > 0 && (unplaced = prove(&s, &o)) < 0) {
		oa_schedule_release(&s);
		return cli_finish(EXIT_TROUBLE);
	}
	if (cli_output_open(&out, o.output, 0644) < 0) {
		oa_schedule_release(&s);
		return cli_finish(EXIT_TROUBLE);
	}
	oa_atomic_set_init(&set);
	if (o.free != NULL) {
		status = write_free(&s, &o, &out);
	} else {
		status = report(&s, unplaced, &o);
		if (status != EXIT_TROUBLE &&
		    write_files(&s, &o, &out, &ics, &cancel, &unp, &set) < 0)
			status = EXIT_TROUBLE;
	}
	/*
	 * The schedule, the invitations and the unplaced list are one set:
	 * all written and synced before any is renamed into place, so that a
	 * write error in any (full disk) is status 2 with none of them
	 * replaced (oa_atomic_set).
	 */
	has_ics = ics.fp != NULL;
	has_unp = unp.fp != NULL;
	has_cancel = cancel.fp != NULL;
	if (status != EXIT_TROUBLE &&
	    (cli_output_join(&out, &set) < 0 || (has_ics && cli_output_join(&ics, &set) < 0) ||
	     (has_cancel && cli_output_join(&cancel, &set) < 0) ||
	     (has_unp && cli_output_join(&unp, &set) < 0)))
		status = EXIT_TROUBLE;
	if (status != EXIT_TROUBLE && oa_atomic_set_commit(&set, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	if (status != EXIT_TROUBLE && o.cancel != NULL && !has_cancel && o.free == NULL)
		nothing_to_cancel(&o);
	if (status == EXIT_TROUBLE) {
		cli_output_abort(&out);
		cli_output_abort(&ics);
		cli_output_abort(&cancel);
		cli_output_abort(&unp);
		oa_atomic_set_abort(&set);
	}
	oa_schedule_release(&s);
	return cli_finish(status);
}
