/*
 * journal.c - reading, verifying and appending the document journal.  See
 * journal.h for the format.
 *
 * Reading is two passes over the file mapped up to its last line end (and
 * the bytes after it, read apart).  The line pass checks every line's
 * encoding, control characters and chain value, and the state file; so the
 * first bad line is found before any field is trusted.  The record pass
 * parses the CSV and feeds each record to apply(), which checks it against
 * the state so far and updates the state.  The writer feeds apply() each
 * record it is about to append, after the same field check the line pass
 * makes, so what is written is exactly what the next read accepts.
 */
#include "journal.h"

#include <errno.h>
#include <stdarg.h>
#include <time.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "csv.h"
#include "csvline.h"
#include "durable.h"
#include "lock.h"
#include "utf8.h"

const char *const oa_journal_header[OA_JOURNAL_NCOLS] = {
	"seq", "time", "doc", "step", "actor", "department", "note", "direction", "type",
	"title", "issuer", "ref", "urgency", "secrecy", "received", "deadline", "keywords",
	"code", "number", "lead", "co", "leader", "circulate", OA_CHAIN_COLUMN,
};

enum {
	J_SEQ, J_TIME, J_DOC, J_STEP, J_ACTOR, J_DEPARTMENT, J_NOTE, J_DIRECTION, J_TYPE,
	J_TITLE, J_ISSUER, J_REF, J_URGENCY, J_SECRECY, J_RECEIVED, J_DEADLINE,
	J_KEYWORDS, J_CODE, J_NUMBER, J_LEAD, J_CO, J_LEADER, J_CIRCULATE, J_CHAIN,
};

/*
 * An error about column COL (from 0) of the record at LINE: "column 7
 * (note): ...".  Messages never quote a field's text.
 */
static int __attribute__((format(printf, 5, 6)))
bad_col(oa_error *err, const char *file, long line, int col, const char *fmt, ...)
{
	char msg[OA_ERROR_MSG_MAX - 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line == 0) /* the writer: about a change, not a line */
		return oa_error_set(err, file, 0, "%s", msg);
	return oa_error_set(err, file, line, "column %d (%s): %s", col + 1, oa_journal_header[col],
	                    msg);
}

/* A record as fields; the strings need not be NUL-terminated. */
typedef struct record {
	const char *f[OA_JOURNAL_NCOLS];
	size_t len[OA_JOURNAL_NCOLS];
} record;
/* (A field whose length is 0 may point to "" instead of its text.) */

static const char *const default_incoming_code = "收文";

/* A positive decimal number without sign or leading zero; -1 if not. */
static long
parse_id(const char *s, size_t len)
{
	long v = 0;

	if (len == 0 || len > 15 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * The journal holds canonical Chinese step names only: 2 characters, 6
 * bytes, compared as one integer each (a million records are read).
 */
static uint64_t
key6(const char *s)
{
	uint64_t k = 0;

	memcpy(&k, s, 6);
	return k;
}

static oa_doc_step
parse_step(const char *s, size_t len)
{
	static uint64_t keys[OA_STEP_COUNT];
	uint64_t k;

	if (len != 6)
		return OA_STEP_NONE;
	if (keys[1] == 0)
		for (int i = 1; i < OA_STEP_COUNT; i++)
			keys[i] = key6(oa_step_name((oa_doc_step)i));
	k = key6(s);
	for (int i = 1; i < OA_STEP_COUNT; i++)
		if (keys[i] == k)
			return (oa_doc_step)i;
	return OA_STEP_NONE;
}

static char *
dupn(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static int
grow_docs(oa_docjournal *j)
{
	if (j->ndocs < j->cap)
		return 0;
	size_t ncap = j->cap ? j->cap * 2 : 64;
	oa_doc *v = realloc(j->docs, ncap * sizeof *v);
	if (v == NULL)
		return -1;
	j->docs = v;
	j->cap = ncap;
	return 0;
}

static int
keep_event(oa_docjournal *j, const record *rec, long seq, long id, oa_doc_step step)
{
	oa_doc_event *e;

	if (j->nevents == j->events_cap) {
		size_t ncap = j->events_cap ? j->events_cap * 2 : 16;
		oa_doc_event *v = realloc(j->events, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		j->events = v;
		j->events_cap = ncap;
	}
	e = &j->events[j->nevents];
	memset(e, 0, sizeof *e);
	e->seq = seq;
	e->doc = id;
	e->step = step;
	memcpy(e->time, rec->f[J_TIME], rec->len[J_TIME]);
	e->time[rec->len[J_TIME]] = '\0';
	if (rec->len[J_DEADLINE] == 10) /* checked by apply */
		memcpy(e->deadline, rec->f[J_DEADLINE], 10);
	e->actor = dupn(rec->f[J_ACTOR], rec->len[J_ACTOR]);
	e->department = dupn(rec->f[J_DEPARTMENT], rec->len[J_DEPARTMENT]);
	e->note = dupn(rec->f[J_NOTE], rec->len[J_NOTE]);
	e->number = dupn(rec->f[J_NUMBER], rec->len[J_NUMBER]);
	j->nevents++;
	if (!e->actor || !e->department || !e->note || !e->number)
		return -1;
	return 0;
}

/* Fills a new document from the elements of its registering record. */
static int
read_elements(oa_doc *d, const record *rec, oa_doc_step step, const char *file, long line,
              oa_error *err)
{
#define BAD(c, what) bad_col(err, file, line, c, "bad " what)
	if (oa_doc_parse_direction(rec->f[J_DIRECTION], rec->len[J_DIRECTION], &d->direction) < 0)
		return BAD(J_DIRECTION, "direction");
	if ((step == OA_STEP_RECEIVED) != (d->direction == OA_DOC_IN))
		return bad_col(err, file, line, J_DIRECTION, "%s document registered by %s",
		               oa_direction_name(d->direction), oa_step_name(step));
	if (oa_doc_parse_type(rec->f[J_TYPE], rec->len[J_TYPE], &d->type) < 0)
		return BAD(J_TYPE, "type");
	if (oa_doc_parse_urgency(rec->f[J_URGENCY], rec->len[J_URGENCY], &d->urgency) < 0)
		return BAD(J_URGENCY, "urgency");
	if (oa_doc_parse_secrecy(rec->f[J_SECRECY], rec->len[J_SECRECY], &d->secrecy) < 0)
		return BAD(J_SECRECY, "secrecy");
	if (oa_date_parse(rec->f[J_RECEIVED], rec->len[J_RECEIVED], &d->received) < 0)
		return BAD(J_RECEIVED, "received date");
	if (oa_date_parse(rec->f[J_DEADLINE], rec->len[J_DEADLINE], &d->deadline) < 0)
		return BAD(J_DEADLINE, "deadline");
	if (rec->len[J_TITLE] == 0)
		return bad_col(err, file, line, J_TITLE, "registering record without a title");
	if (d->direction == OA_DOC_OUT && rec->len[J_CODE] == 0)
		return bad_col(err, file, line, J_CODE, "outgoing document without a code");
#undef BAD
	{
		/* One block for the strings: 100k documents, 100k allocations. */
		static const int cols[] = { J_TITLE, J_ISSUER, J_REF, J_SECRECY, J_KEYWORDS,
		                            J_CODE, J_LEAD, J_CO, J_LEADER, J_CIRCULATE };
		char **dst[] = { &d->title, &d->issuer, &d->ref, &d->secrecy_text, &d->keywords,
		                 &d->code, &d->lead, &d->co, &d->leader, &d->circulate };
		size_t total = 0;
		char *p;

		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
			total += rec->len[cols[i]] + 1;
		d->block = p = malloc(total);
		d->number = dupn("", 0);
		if (p == NULL || d->number == NULL)
			return oa_error_set(err, file, line, "out of memory");
		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
			*dst[i] = p;
			memcpy(p, rec->f[cols[i]], rec->len[cols[i]]);
			p += rec->len[cols[i]];
			*p++ = '\0';
		}
	}
	return 0;
}

/*
 * True for "YYYY-MM-DD HH:MM".  Checked by hand for speed (a million
 * records); a day past the 28th goes through the full parser.
 */
static bool
time_ok(const char *s, size_t len)
{
	oa_minute t;

	if (len != 16 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':')
		return false;
#define NOT_DIGIT(i) ((unsigned)(s[i] - '0') > 9u)
	if (NOT_DIGIT(0) | NOT_DIGIT(1) | NOT_DIGIT(2) | NOT_DIGIT(3) | NOT_DIGIT(5) |
	    NOT_DIGIT(6) | NOT_DIGIT(8) | NOT_DIGIT(9) | NOT_DIGIT(11) | NOT_DIGIT(12) |
	    NOT_DIGIT(14) | NOT_DIGIT(15))
		return false;
#undef NOT_DIGIT
	int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	int hour = (s[11] - '0') * 10 + (s[12] - '0'), min = (s[14] - '0') * 10 + (s[15] - '0');
	if (mon < 1 || mon > 12 || day < 1 || hour > 23 || min > 59 || memcmp(s, "0000", 4) == 0)
		return false;
	return day <= 28 || oa_datetime_parse(s, 16, 0, &t) == 0;
}

/* The year of a "YYYY-MM-DD HH:MM" time already validated. */
static int
time_year(const char *s)
{
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

/* Checks 登记's number and advances its counter. */
static int
take_number(oa_docjournal *j, oa_doc *d, const record *rec, const char *file, long line,
            oa_error *err)
{
	char number[512];
	const char *code;
	size_t code_len;
	int year;
	long seq, last;

	if (rec->len[J_NUMBER] == 0 || rec->len[J_NUMBER] >= sizeof number)
		return bad_col(err, file, line, J_NUMBER, "登记 without a number");
	memcpy(number, rec->f[J_NUMBER], rec->len[J_NUMBER]);
	number[rec->len[J_NUMBER]] = '\0';
	if (oa_number_parse(number, &code, &code_len, &year, &seq) < 0)
		return bad_col(err, file, line, J_NUMBER, "bad number");
	if (year != time_year(rec->f[J_TIME]))
		return bad_col(err, file, line, J_NUMBER, "the number is not of the year of its record");
	number[code_len] = '\0'; /* number now holds the code */
	if (d->direction == OA_DOC_OUT && strcmp(number, d->code) != 0)
		return bad_col(err, file, line, J_NUMBER,
		               "the number's code is not the document's code");
	last = oa_counters_last(&j->counters, d->direction, number, year);
	if (seq != last + 1)
		return bad_col(err, file, line, J_NUMBER,
		               "number %ld of its code and year follows %ld: not in sequence", seq,
		               last);
	if (oa_counters_set(&j->counters, d->direction, number, year, seq) < 0)
		return oa_error_set(err, file, line, "out of memory");
	free(d->number);
	d->number = dupn(rec->f[J_NUMBER], rec->len[J_NUMBER]);
	if (d->number == NULL)
		return oa_error_set(err, file, line, "out of memory");
	return 0;
}

/*
 * What a step does besides the state: 改办 needs the department taking
 * over; 批办, 改办 and 承办 with a department may make it the lead
 * (oa_step_sets_lead); 延期 needs a reason (the note) and a later deadline;
 * 重算 a deadline; 办结 and 核发 remember their date (超期办结).
 */
static int
apply_handling(oa_doc *d, const record *rec, oa_doc_step step, const char *file, long line,
               oa_error *err)
{
	size_t dlen = rec->len[J_DEPARTMENT];

	if (step == OA_STEP_REASSIGNED && dlen == 0)
		return bad_col(err, file, line, J_DEPARTMENT,
		               "改办 without the department taking it over");
	if (oa_step_sets_lead(d, step, rec->f[J_DEPARTMENT], dlen) &&
	    !(strlen(d->lead) == dlen && memcmp(d->lead, rec->f[J_DEPARTMENT], dlen) == 0)) {
		char *lead = dupn(rec->f[J_DEPARTMENT], dlen);
		if (lead == NULL)
			return oa_error_set(err, file, line, "out of memory");
		free(d->lead_owned);
		d->lead = d->lead_owned = lead;
	}
	if (step == OA_STEP_EXTENDED || step == OA_STEP_RECOMPUTED) {
		oa_date deadline;
		char old[11];

		if (rec->len[J_DEADLINE] == 0)
			return bad_col(err, file, line, J_DEADLINE, "%s without the new deadline",
			               oa_step_name(step));
		if (oa_date_parse(rec->f[J_DEADLINE], rec->len[J_DEADLINE], &deadline) < 0)
			return bad_col(err, file, line, J_DEADLINE, "bad deadline");
		oa_date_format(d->deadline, old);
		if (step == OA_STEP_EXTENDED) {
			if (rec->len[J_NOTE] == 0)
				return bad_col(err, file, line, J_NOTE, "延期 without a reason (the note)");
			if (deadline <= d->deadline)
				return bad_col(err, file, line, J_DEADLINE,
				               "延期 to %.*s is not after the deadline %s",
				               (int)rec->len[J_DEADLINE], rec->f[J_DEADLINE], old);
			d->extended++;
			d->deadline_computed = false; /* a date agreed, no longer the calendar's */
		} else if (deadline < d->received) {
			return bad_col(err, file, line, J_DEADLINE,
			               "重算 to %.*s, before the document came",
			               (int)rec->len[J_DEADLINE], rec->f[J_DEADLINE]);
		}
		d->deadline = deadline;
	}
	if ((step == OA_STEP_COMPLETED || step == OA_STEP_ISSUED) &&
	    oa_date_parse(rec->f[J_TIME], 10, &d->done_on) < 0)
		return bad_col(err, file, line, J_TIME, "bad time");
	return 0;
}

/* Checks one record against the state and applies it. */
static int
apply(oa_docjournal *j, const record *rec, long keep, const char *file, long line,
      oa_error *err)
{
	long seq, id;
	oa_doc_step step;
	oa_doc *d;

	seq = parse_id(rec->f[J_SEQ], rec->len[J_SEQ]);
	if (seq != j->last_seq + 1)
		return bad_col(err, file, line, J_SEQ, "sequence number where %ld was due",
		               j->last_seq + 1);
	if (!time_ok(rec->f[J_TIME], rec->len[J_TIME]))
		return bad_col(err, file, line, J_TIME, "bad time");
	step = parse_step(rec->f[J_STEP], rec->len[J_STEP]);
	if (step == OA_STEP_NONE)
		return bad_col(err, file, line, J_STEP, "unknown step");
	id = parse_id(rec->f[J_DOC], rec->len[J_DOC]);
	if (id < 1 || (size_t)id > j->ndocs + 1)
		return bad_col(err, file, line, J_DOC, "not a registered document (%zu are)",
		               j->ndocs);
	if ((size_t)id == j->ndocs + 1) {
		if (step != OA_STEP_RECEIVED && step != OA_STEP_DRAFTED)
			return bad_col(err, file, line, J_STEP,
			               "document %ld is not registered: %s may not come first", id,
			               oa_step_name(step));
		if (grow_docs(j) < 0)
			return oa_error_set(err, file, line, "out of memory");
		d = &j->docs[j->ndocs];
		memset(d, 0, sizeof *d);
		j->ndocs++; /* counted now, so that release frees what was filled */
		d->id = id;
		if (read_elements(d, rec, step, file, line, err) < 0)
			return -1;
		d->deadline_computed = rec->len[J_NOTE] == strlen(OA_DOC_DEADLINE_COMPUTED_NOTE) &&
		                       memcmp(rec->f[J_NOTE], OA_DOC_DEADLINE_COMPUTED_NOTE,
		                              rec->len[J_NOTE]) == 0;
		if (rec->len[J_NUMBER] != 0)
			return bad_col(err, file, line, J_NUMBER, "number given by %s, not by 登记",
			               oa_step_name(step));
	} else {
		size_t set = 0;

		d = &j->docs[id - 1];
		for (int c = J_DIRECTION; c < J_NUMBER; c++)
			set |= rec->len[c];
		for (int c = J_NUMBER + 1; c < J_CHAIN; c++)
			set |= rec->len[c];
		if (set != 0) {
			/* 延期 and 重算 carry the new deadline. */
			bool dated = step == OA_STEP_EXTENDED || step == OA_STEP_RECOMPUTED;
			for (int c = J_DIRECTION; c < J_CHAIN; c++)
				if (c != J_NUMBER && rec->len[c] != 0 && !(dated && c == J_DEADLINE))
					return bad_col(err, file, line, c,
					               "set by the registering record only");
		}
		if (!oa_step_legal(d->direction, d->step, step)) {
			char next[256];
			oa_step_legal_list(d->direction, d->step, next, sizeof next);
			return bad_col(err, file, line, J_STEP,
			               "document %ld is at %s; %s may not follow (next: %s)", id,
			               oa_step_name(d->step), oa_step_name(step), next);
		}
		if (step == OA_STEP_REGISTERED) {
			if (take_number(j, d, rec, file, line, err) < 0)
				return -1;
		} else if (rec->len[J_NUMBER] != 0) {
			return bad_col(err, file, line, J_NUMBER, "number given by %s, not by 登记",
			               oa_step_name(step));
		}
		if (apply_handling(d, rec, step, file, line, err) < 0)
			return -1;
	}
	if (step == OA_STEP_URGED)
		d->urged++;
	else if (!oa_step_is_event(step))
		d->step = step;
	memcpy(d->updated, rec->f[J_TIME], 16);
	d->updated[16] = '\0';
	j->last_seq = seq;
	if ((keep == -1 || keep == id) && keep_event(j, rec, seq, id, step) < 0)
		return oa_error_set(err, file, line, "out of memory");
	return 0;
}

/* ---- the shared field check ---- */

/* A control character at s[i] (C0, DEL, or C1 as UTF-8): its code point, else 0. */
static unsigned
control_at(const char *s, size_t len, size_t i)
{
	unsigned char ch = (unsigned char)s[i];

	if (ch < 0x20 || ch == 0x7f)
		return ch == 0 ? 0x100 : ch; /* 0x100 stands for U+0000 */
	if (ch == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
	    (unsigned char)s[i + 1] <= 0x9f)
		return (unsigned char)s[i + 1];
	return 0;
}

/*
 * Whether s[0..len) may hold a control character: false when it surely
 * holds none (no byte below 0x20, no DEL, no 0xC2 that could start a C1
 * control), sixteen bytes at a time.
 */
static bool
may_hold_controls(const char *s, size_t len)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i ctl = _mm_set1_epi8(0x1f), del = _mm_set1_epi8(0x7f);
	const __m128i c2 = _mm_set1_epi8((char)0xc2);
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x),
		                         _mm_or_si128(_mm_cmpeq_epi8(x, del), _mm_cmpeq_epi8(x, c2)));
		if (_mm_movemask_epi8(m) != 0)
			return true;
	}
#endif
	for (; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f || ch == 0xc2)
			return true;
	}
	return false;
}

static int
check_controls(const char *s, size_t len, char *why, size_t cap, size_t *at)
{
	if (!may_hold_controls(s, len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned cp = control_at(s, len, i);
		if (cp != 0) {
			snprintf(why, cap, "control character U+%04X", cp == 0x100 ? 0 : cp);
			*at = i;
			return -1;
		}
	}
	return 0;
}

int
oa_journal_field_check(const char *s, size_t len, char *why, size_t cap, size_t *at)
{
	size_t bad;

	if (len > OA_JOURNAL_MAX_FIELD) {
		snprintf(why, cap, "longer than the journal's %u bytes", (unsigned)OA_JOURNAL_MAX_FIELD);
		*at = OA_JOURNAL_MAX_FIELD;
		return -1;
	}
	if (oa_utf8_valid(s, len, &bad) < 0) {
		snprintf(why, cap, "%s at byte %zu", s[bad] == '\0' ? "NUL byte" : "invalid UTF-8",
		         bad + 1);
		*at = bad;
		return -1;
	}
	return check_controls(s, len, why, cap, at);
}

void
oa_journal_field_clean(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			s[i] = ' ';
}

/* ---- reading ---- */

/* The header line of a chained journal (chained) or an old one, without its line end. */
static const char *
header_line(bool chained, size_t *len)
{
	static char text[2][400];
	static size_t lens[2];
	int k = chained ? 1 : 0;

	if (lens[k] == 0) {
		size_t n = 0;
		int cols = chained ? OA_JOURNAL_NCOLS : OA_JOURNAL_OLD_NCOLS;
		for (int i = 0; i < cols; i++)
			n += (size_t)snprintf(text[k] + n, sizeof text[k] - n, "%s%s", i ? "," : "",
			                      oa_journal_header[i]);
		lens[k] = n;
	}
	*len = lens[k];
	return text[k];
}

/* The column (from 0) that byte OFF of a raw LINE falls in. */
static int
column_at(const char *line, size_t off)
{
	bool quoted = false;
	int col = 0;

	for (size_t i = 0; i < off; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == ',' && !quoted)
			col++;
	}
	return col < OA_JOURNAL_NCOLS ? col : OA_JOURNAL_NCOLS - 1;
}

/* What the state file says. */
typedef struct jstate {
	bool have;
	long records;
	char chain[OA_SHA256_HEX_LEN + 1];
} jstate;

static char *
state_path(const char *path)
{
	char *p;

	if (asprintf(&p, "%s.state", path) < 0)
		return NULL;
	return p;
}

/* Reads PATH.state into ST (st->have false when there is none). */
static int
read_state(const char *path, jstate *st, oa_error *err)
{
	char buf[4096], *sp = state_path(path), *line, *save;
	ssize_t n;
	int fd;
	bool got_records = false, got_chain = false;

	memset(st, 0, sizeof *st);
	if (sp == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	fd = open(sp, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT) {
			free(sp);
			return 0;
		}
		oa_error_sys(err, sp, "cannot open the journal's state file");
		free(sp);
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		oa_error_sys(err, sp, "cannot read");
		free(sp);
		return -1;
	}
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		if (strncmp(line, "records ", 8) == 0) {
			errno = 0;
			st->records = strtol(line + 8, &end, 10);
			got_records = errno == 0 && *end == '\0' && end != line + 8 && st->records >= 0;
		} else if (strncmp(line, "chain ", 6) == 0 && strlen(line + 6) == OA_SHA256_HEX_LEN) {
			memcpy(st->chain, line + 6, OA_SHA256_HEX_LEN + 1);
			got_chain = true;
		}
	}
	if (!got_records || !got_chain) {
		oa_error_set(err, sp, 0, "the journal's state file is damaged (no \"records\" or "
		             "\"chain\" line)");
		free(sp);
		return -1;
	}
	st->have = true;
	free(sp);
	return 0;
}

/* 0 for OA_CHAIN_OK, else -1 with the error for line LINENO. */
static int
chain_problem(oa_chain_result r, const char *file, long lineno, oa_error *err)
{
	switch (r) {
	case OA_CHAIN_OK:
		return 0;
	case OA_CHAIN_MALFORMED:
		return bad_col(err, file, lineno, J_CHAIN,
		               "no chain value (64 hex digits) at the end of the record");
	default:
		return bad_col(err, file, lineno, J_CHAIN,
		               "the chain value does not match: this record was changed, or one "
		               "before it removed or inserted");
	}
}

/* The line pass's checks of a chained record's text: encoding and control characters. */
static int
check_text(const char *line, size_t len, const char *file, long lineno, oa_error *err)
{
	char why[128];
	size_t bad;

	if (oa_utf8_valid(line, len, &bad) < 0)
		return bad_col(err, file, lineno, column_at(line, bad), "%s",
		               line[bad] == '\0' ? "NUL byte" : "invalid UTF-8");
	if (check_controls(line, len, why, sizeof why, &bad) < 0)
		return bad_col(err, file, lineno, column_at(line, bad), "%s", why);
	return 0;
}

/*
 * The line pass on one line (without its line end): encoding, control
 * characters and chain (CH, NULL for an old journal).  On success CH
 * advances.
 */
static int
check_line(oa_chain *ch, const char *line, size_t len, const char *file, long lineno,
           oa_error *err)
{
	char why[128];
	size_t bad;

	if (oa_utf8_valid(line, len, &bad) < 0)
		return bad_col(err, file, lineno, column_at(line, bad), "%s",
		               line[bad] == '\0' ? "NUL byte" : "invalid UTF-8");
	if (ch == NULL)
		return 0;
	if (check_controls(line, len, why, sizeof why, &bad) < 0)
		return bad_col(err, file, lineno, column_at(line, bad), "%s", why);
	return chain_problem(oa_chain_verify(ch, line, len, NULL), file, lineno, err);
}

/*
 * The length of FD's content up to and including its last line break
 * (SIZE bytes long): what lies after it is a record still being written, torn
 * by a crash, or complete but without its line end.  Read with pread, from
 * the end backwards.
 */
static int
complete_length(int fd, size_t size, size_t *len)
{
	char buf[65536];
	size_t end = size;

	while (end > 0) {
		size_t n = end < sizeof buf ? end : sizeof buf;
		ssize_t got = pread(fd, buf, n, (off_t)(end - n));
		if (got != (ssize_t)n)
			return -1;
		for (size_t i = n; i > 0; i--) {
			if (buf[i - 1] == '\n') {
				*len = end - n + i;
				return 0;
			}
		}
		end -= n;
	}
	*len = 0;
	return 0;
}

/*
 * The record pass over DATA[0..len): a header line first when HEADER, then
 * one record per line from line FIRST_LINE on.  Each record must be exactly
 * its line (no line break inside quotes), its chain field the line's last
 * 64 bytes.
 */
static int
parse_records(oa_docjournal *j, const char *data, size_t len, bool header, long first_line,
              long keep, oa_error *err)
{
	const char *path = j->path;
	size_t ncols = j->chained ? OA_JOURNAL_NCOLS : OA_JOURNAL_OLD_NCOLS;
	size_t expect = 0;
	long want_line = first_line;
	oa_csv_options opt;
	oa_csv_reader *r;
	record rec;
	int rc = 1;

	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	opt.max_field = OA_JOURNAL_MAX_FIELD;
	r = oa_csv_reader_memory(data, len, path, &opt, err);
	if (r == NULL)
		return -1;
	if (header) {
		const char *nl = memchr(data, '\n', len);
		rc = oa_csv_read(r, err);
		expect = nl ? (size_t)(nl - data) + 1 : len;
	}
	oa_csv_reader_set_width(r, ncols);
	while (rc > 0 && (rc = oa_csv_read(r, err)) > 0) {
		long line = first_line + oa_csv_line(r) - (header ? 2 : 1);
		const char *raw = data + expect, *nl;
		size_t raw_len;

		if ((size_t)oa_csv_offset(r) != expect || line != want_line) {
			rc = bad_col(err, path, want_line - 1, column_at(raw, 0),
			             "a line break inside quotes: a record must be one line");
			break;
		}
		nl = memchr(raw, '\n', len - expect);
		raw_len = nl ? (size_t)(nl - raw) : len - expect;
		expect += raw_len + (nl ? 1 : 0);
		want_line++;
		if (j->chained && (oa_csv_field_len(r, J_CHAIN) != OA_SHA256_HEX_LEN ||
		                   raw_len < OA_SHA256_HEX_LEN ||
		                   memcmp(oa_csv_field(r, J_CHAIN), raw + raw_len - OA_SHA256_HEX_LEN,
		                          OA_SHA256_HEX_LEN) != 0)) {
			rc = bad_col(err, path, line, J_CHAIN, "the record has %s fields, not %zu",
			             oa_csv_field_len(r, J_CHAIN) == 0 ? "fewer" : "other", ncols);
			break;
		}
		/* Only a registering record (it has a title) needs every field,
		 * or all when events are kept; the others need five, and the
		 * lengths of the rest. */
		for (size_t i = 0; i < OA_JOURNAL_NCOLS; i++)
			rec.len[i] = i < ncols ? oa_csv_field_len(r, i) : 0;
		if (rec.len[J_TITLE] != 0 || keep != 0) {
			for (size_t i = 0; i < OA_JOURNAL_NCOLS; i++)
				rec.f[i] = i < ncols ? oa_csv_field(r, i) : "";
		} else {
			for (size_t i = 0; i < OA_JOURNAL_NCOLS; i++)
				rec.f[i] = "";
			rec.f[J_SEQ] = oa_csv_field(r, J_SEQ);
			rec.f[J_TIME] = oa_csv_field(r, J_TIME);
			rec.f[J_DOC] = oa_csv_field(r, J_DOC);
			rec.f[J_STEP] = oa_csv_field(r, J_STEP);
			rec.f[J_NUMBER] = oa_csv_field(r, J_NUMBER);
			/* The lead, a deadline and its reason may change later. */
			rec.f[J_DEPARTMENT] = oa_csv_field(r, J_DEPARTMENT);
			rec.f[J_NOTE] = oa_csv_field(r, J_NOTE);
			rec.f[J_DEADLINE] = oa_csv_field(r, J_DEADLINE);
		}
		if (apply(j, &rec, keep, path, line, err) < 0)
			rc = -1;
	}
	oa_csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

/* The first LEN bytes of FD into *OUT (malloc'd). */
static int
read_all(int fd, size_t len, char **out, const char *path, oa_error *err)
{
	char *buf = malloc(len ? len : 1);

	*out = NULL;
	if (buf == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	for (size_t got = 0; got < len;) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				oa_error_set(err, path, 0, "changed while it was being read "
				             "(rewritten by another program?); run again");
			else
				oa_error_sys(err, path, "cannot read");
			free(buf);
			return -1;
		}
		got += (size_t)n;
	}
	*out = buf;
	return 0;
}

static int
state_mismatch(const char *path, long lineno, long records, oa_error *err)
{
	return bad_col(err, path, lineno, J_CHAIN,
	               "not the record %ld the state file knows: the journal was replaced "
	               "or rewritten", records);
}

enum { PASS_BATCH = 64 };

/*
 * The line pass over the complete lines MAP[pos..len) of a chained
 * journal, from line *LINENO: each line's text, then the chain of
 * PASS_BATCH lines at once (two records at a time, oa_chain_verify_run).
 * The first problem in the file is the one reported, as line by line would
 * find it.  *LINENO ends as the number of the line after the last.
 */
static int
line_pass(oa_docjournal *j, const char *map, size_t pos, size_t len, const jstate *state,
          long *lineno, oa_error *err)
{
	const char *line[PASS_BATCH];
	size_t n_of[PASS_BATCH];

	while (pos < len) {
		size_t n = 0, good;
		oa_error text_err;
		bool text_bad = false;

		while (n < PASS_BATCH && pos < len) {
			const char *nl = memchr(map + pos, '\n', len - pos);
			size_t ln = (size_t)(nl - (map + pos));
			line[n] = map + pos;
			n_of[n] = ln;
			pos += ln + 1;
			if (check_text(line[n], ln, j->path, *lineno + (long)n, &text_err) < 0) {
				text_bad = true;
				break;
			}
			n++;
		}
		good = n; /* lines whose text holds; with TEXT_BAD, line N does not */
		long base = j->chain.records;
		oa_chain_result cr;
		size_t ok = oa_chain_verify_run(&j->chain, line, n_of, good, &cr);
		if (state->have && state->records > base && state->records <= base + (long)ok) {
			size_t si = (size_t)(state->records - base - 1);
			if (memcmp(line[si] + n_of[si] - OA_SHA256_HEX_LEN, state->chain,
			           OA_SHA256_HEX_LEN) != 0)
				return state_mismatch(j->path, *lineno + (long)si, state->records, err);
		}
		if (ok < good)
			return chain_problem(cr, j->path, *lineno + (long)ok, err);
		if (text_bad) {
			*err = text_err;
			return -1;
		}
		*lineno += (long)n;
	}
	return 0;
}

/*
 * The record pass over a chained journal's complete lines MAP[hlen+1..len)
 * (after its header of HLEN bytes): each plain line split in one pass
 * (csvline.h; the line pass has found every line valid UTF-8, so the
 * split does not look again); from the first line that is not plain on,
 * the CSV reader (parse_records), which reads it as it always did.
 */
static int
record_pass(oa_docjournal *j, const char *map, size_t hlen, size_t len, long keep, oa_error *err)
{
	size_t pos = hlen + 1;
	long line = 2;
	record rec;
	char scratch[8192];

	while (pos < len) {
		size_t ln;
		if (!oa_csvline_split_valid(map + pos, len - pos, OA_JOURNAL_NCOLS, rec.f, rec.len,
		                            OA_JOURNAL_MAX_FIELD, scratch, sizeof scratch, &ln))
			return parse_records(j, map + pos, len - pos, false, line, keep, err);
		if (rec.len[J_CHAIN] != OA_SHA256_HEX_LEN ||
		    memcmp(rec.f[J_CHAIN], map + pos + ln - OA_SHA256_HEX_LEN, OA_SHA256_HEX_LEN) != 0)
			return bad_col(err, j->path, line, J_CHAIN, "the record has %s fields, not %d",
			               rec.len[J_CHAIN] == 0 ? "fewer" : "other", OA_JOURNAL_NCOLS);
		if (apply(j, &rec, keep, j->path, line, err) < 0)
			return -1;
		pos += ln + 1;
		line++;
	}
	return 0;
}

/* Reads the journal from the open descriptor FD. */
static int
load_fd(oa_docjournal *j, int fd, long keep, oa_error *err)
{
	const char *path = j->path;
	struct stat st;
	jstate state;
	char *map = NULL, *tail = NULL;
	size_t len = 0, tail_len, hlen, want_len;
	const char *want;
	long lineno;
	int rc = -1;

	/* The state first: a writer appending meanwhile only lengthens the journal. */
	if (read_state(path, &state, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return oa_error_sys(err, path, "cannot stat");
	j->file_size = (size_t)st.st_size;
	if (j->file_size > 0 && complete_length(fd, j->file_size, &len) < 0)
		return oa_error_sys(err, path, "cannot read");
	j->complete_len = len;
	tail_len = j->file_size - len;
	if (tail_len > 0) {
		tail = malloc(tail_len);
		if (tail == NULL)
			return oa_error_set(err, path, 0, "out of memory");
		ssize_t got = pread(fd, tail, tail_len, (off_t)len);
		if (got < 0) {
			free(tail);
			return oa_error_sys(err, path, "cannot read");
		}
		/* Shorter: a writer moved a torn record aside meanwhile. */
		tail_len = (size_t)got;
		if (tail_len == 0) {
			free(tail);
			tail = NULL;
		}
	}
	if (len == 0) {
		/* No complete line: nothing, or a header cut short. */
		if (tail_len > 0)
			j->torn_line = 1;
		rc = 0;
		goto check_state;
	}
	/*
	 * Only the complete lines are read, and read, not mapped: a journal
	 * that another program rewrites in place (cp over it) while it is
	 * mapped would kill this reader with SIGBUS.  One that shrinks while
	 * it is read is an error, never a short journal taken as whole.
	 */
	if (read_all(fd, len, &map, path, err) < 0)
		goto out;
	hlen = (size_t)((char *)memchr(map, '\n', len) - map);
	want = header_line(true, &want_len);
	if (hlen == want_len && memcmp(map, want, hlen) == 0) {
		j->chained = true;
	} else {
		want = header_line(false, &want_len);
		if (hlen != want_len || memcmp(map, want, hlen) != 0) {
			oa_error_set(err, path, 1,
			             "not a doc-route journal: the header is not \"seq,time,doc,...\"");
			goto out;
		}
	}
	if (j->chained)
		oa_chain_init(&j->chain, map, hlen);

	/* The line pass. */
	lineno = 2;
	if (j->chained && line_pass(j, map, hlen + 1, len, &state, &lineno, err) < 0)
		goto out;
	for (size_t p = j->chained ? len : hlen + 1; p < len; lineno++) {
		const char *nl = memchr(map + p, '\n', len - p);
		size_t n = (size_t)(nl - (map + p));
		if (check_line(j->chained ? &j->chain : NULL, map + p, n, path, lineno, err) < 0)
			goto out;
		if (j->chained && state.have && j->chain.records == state.records &&
		    strcmp(j->chain.last, state.chain) != 0) {
			bad_col(err, path, lineno, J_CHAIN,
			        "not the record %ld the state file knows: the journal was replaced "
			        "or rewritten", state.records);
			goto out;
		}
		p += n + 1;
	}
	if (tail_len > 0) {
		oa_error ignored;
		oa_chain probe = j->chain;
		if (j->chained && check_line(&probe, tail, tail_len, path, lineno, &ignored) == 0) {
			j->chain = probe;
			j->unterminated = true;
			if (state.have && j->chain.records == state.records &&
			    strcmp(j->chain.last, state.chain) != 0) {
				bad_col(err, path, lineno, J_CHAIN,
				        "not the record %ld the state file knows: the journal was "
				        "replaced or rewritten", state.records);
				goto out;
			}
		} else {
			j->torn_line = lineno;
		}
	}

	/* The record pass. */
	if ((j->chained ? record_pass(j, map, hlen, len, keep, err)
	                : parse_records(j, map, len, true, 2, keep, err)) < 0)
		goto out;
	if (j->unterminated && parse_records(j, tail, tail_len, false, lineno, keep, err) < 0)
		goto out;
	rc = 0;
check_state:
	if (rc == 0 && j->chained && state.have && state.records > j->chain.records) {
		rc = oa_error_set(err, path, 0,
		                  "the journal has %ld records but its state file says %ld: records "
		                  "were removed at the end, or the journal was replaced",
		                  j->chain.records, state.records);
	} else if (rc == 0 && !j->chained && state.have && state.records > 0) {
		rc = oa_error_set(err, path, 0,
		                  "the journal has no chain column but its state file says it had "
		                  "%ld chained records: the journal was replaced", state.records);
	}
	if (rc == 0 && j->chained && !state.have && j->chain.records > 0)
		j->state_missing = true;
out:
	free(map);
	free(tail);
	return rc;
}

static int
init(oa_docjournal *j, const char *path, oa_error *err)
{
	memset(j, 0, sizeof *j);
	oa_counters_init(&j->counters);
	j->path = strdup(path);
	if (j->path == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	return 0;
}

int
oa_docjournal_load(oa_docjournal *j, const char *path, long keep_doc, oa_error *err)
{
	int fd, rc;
	jstate state;

	if (init(j, path, err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return oa_error_sys(err, path, "cannot open");
		/* A missing journal whose state file says it had records: deleted. */
		if (read_state(path, &state, err) < 0)
			return -1;
		if (state.have && state.records > 0)
			return oa_error_set(err, path, 0,
			                    "the journal is missing but its state file says it had %ld "
			                    "records: it was deleted or moved", state.records);
		return 0;
	}
	rc = load_fd(j, fd, keep_doc, err);
	close(fd);
	return rc;
}

void
oa_docjournal_release(oa_docjournal *j)
{
	for (size_t i = 0; i < j->ndocs; i++)
		oa_doc_release(&j->docs[i]);
	free(j->docs);
	for (size_t i = 0; i < j->nevents; i++) {
		free(j->events[i].actor);
		free(j->events[i].department);
		free(j->events[i].note);
		free(j->events[i].number);
	}
	free(j->events);
	oa_counters_release(&j->counters);
	free(j->path);
	memset(j, 0, sizeof *j);
}

oa_doc *
oa_docjournal_doc(const oa_docjournal *j, long id)
{
	if (id < 1 || (size_t)id > j->ndocs)
		return NULL;
	return &j->docs[id - 1];
}

oa_doc *
oa_docjournal_find(const oa_docjournal *j, const char *text)
{
	long id = parse_id(text, strlen(text));

	if (id > 0)
		return oa_docjournal_doc(j, id);
	for (size_t i = 0; i < j->ndocs; i++)
		if (j->docs[i].number[0] != '\0' && strcmp(j->docs[i].number, text) == 0)
			return &j->docs[i];
	return NULL;
}

long
oa_docjournal_resolve(const char *path, const char *text, oa_error *err)
{
	oa_docjournal j;
	const oa_doc *d;
	long id = -1;

	if (oa_docjournal_load(&j, path, 0, err) == 0) {
		d = oa_docjournal_find(&j, text);
		if (d != NULL)
			id = d->id;
		else
			oa_error_set(err, path, 0, "no document \"%s\"", text);
	}
	oa_docjournal_release(&j);
	return id;
}

oa_doc *
oa_docjournal_load_doc(oa_docjournal *j, const char *path, const char *text, oa_error *err)
{
	long id = oa_docjournal_resolve(path, text, err);

	if (id < 0) {
		memset(j, 0, sizeof *j);
		return NULL;
	}
	if (oa_docjournal_load(j, path, id, err) < 0)
		return NULL;
	return oa_docjournal_doc(j, id);
}

/* ---- writing ---- */

/* The fields of a change as the journal will hold them (cleaned copies). */
typedef struct fields {
	char *v[OA_JOURNAL_NCOLS]; /* owned; J_CHAIN unused */
} fields;

static void
fields_free(fields *fl)
{
	for (int i = 0; i < OA_JOURNAL_NCOLS; i++)
		free(fl->v[i]);
	memset(fl, 0, sizeof *fl);
}

static int
make_fields(fields *fl, const oa_doc_change *c, long seq, long id)
{
	const oa_doc *d = c->newdoc;
	const char *src[OA_JOURNAL_NCOLS];
	char sseq[24], sdoc[24], stime[20], received[11], deadline[11];

	for (int i = 0; i < OA_JOURNAL_NCOLS; i++)
		src[i] = "";
	snprintf(sseq, sizeof sseq, "%ld", seq);
	snprintf(sdoc, sizeof sdoc, "%ld", id);
	oa_datetime_format(c->time, stime);
	src[J_SEQ] = sseq;
	src[J_DOC] = sdoc;
	src[J_TIME] = stime;
	src[J_STEP] = oa_step_name(c->step);
	src[J_ACTOR] = c->actor ? c->actor : "";
	src[J_DEPARTMENT] = c->department ? c->department : "";
	src[J_NOTE] = c->note ? c->note : "";
	src[J_NUMBER] = c->number;
	if (c->has_deadline) {
		oa_date_format(c->deadline, deadline);
		src[J_DEADLINE] = deadline;
	}
	if (d != NULL) {
		if (d->deadline_computed && src[J_NOTE][0] == '\0')
			src[J_NOTE] = OA_DOC_DEADLINE_COMPUTED_NOTE;
		oa_date_format(d->received, received);
		oa_date_format(d->deadline, deadline);
		src[J_DIRECTION] = oa_direction_name(d->direction);
		src[J_TYPE] = oa_doc_types[d->type];
		src[J_TITLE] = d->title ? d->title : "";
		src[J_ISSUER] = d->issuer ? d->issuer : "";
		src[J_REF] = d->ref ? d->ref : "";
		src[J_URGENCY] = oa_urgency_name(d->urgency);
		src[J_SECRECY] = d->secrecy_text && d->secrecy_text[0] ? d->secrecy_text
		                                                       : oa_secrecy_name(d->secrecy);
		src[J_RECEIVED] = received;
		src[J_DEADLINE] = deadline;
		src[J_KEYWORDS] = d->keywords ? d->keywords : "";
		src[J_CODE] = d->direction == OA_DOC_OUT && d->code ? d->code : "";
		src[J_LEAD] = d->lead ? d->lead : "";
		src[J_CO] = d->co ? d->co : "";
		src[J_LEADER] = d->leader ? d->leader : "";
		src[J_CIRCULATE] = d->circulate ? d->circulate : "";
	}
	memset(fl, 0, sizeof *fl);
	for (int i = 0; i < J_CHAIN; i++) {
		fl->v[i] = strdup(src[i]);
		if (fl->v[i] == NULL) {
			fields_free(fl);
			return -1;
		}
		oa_journal_field_clean(fl->v[i], strlen(fl->v[i]));
	}
	return 0;
}

/* The option a field comes from, for messages about a change. */
static const char *
field_source(int col)
{
	switch (col) {
	case J_ACTOR: return "--by";
	case J_DEPARTMENT: return "--department";
	case J_NOTE: return "--note";
	default: return oa_journal_header[col];
	}
}

/* The number 登记 of document D at TIME gets next. */
static int
next_number(const oa_docjournal *j, const oa_doc *d, oa_minute time, const char *incoming,
            char *buf, size_t cap, oa_error *err)
{
	const char *code = d->direction == OA_DOC_OUT ? d->code : incoming;
	int y, m, day;

	oa_date_to_ymd((oa_date)(time / OA_MINUTES_PER_DAY), &y, &m, &day);
	if (oa_number_format(buf, cap, code, y,
	                     oa_counters_last(&j->counters, d->direction, code, y) + 1) < 0)
		return oa_error_set(err, j->path, 0, "code \"%s\" is too long", code);
	return 0;
}

static bool
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/*
 * A document already in J that the new document with fields FL repeats:
 * same issuer and reference, or without a reference the same title, issuer
 * and date.  NULL when none.
 */
static const oa_doc *
registered_before(const oa_docjournal *j, const fields *fl, oa_date received)
{
	for (size_t i = 0; i < j->ndocs; i++) {
		const oa_doc *d = &j->docs[i];
		if (!same(d->issuer, fl->v[J_ISSUER]))
			continue;
		if (fl->v[J_REF][0] != '\0') {
			if (same(d->ref, fl->v[J_REF]))
				return d;
		} else if (d->ref[0] == '\0' && d->received == received &&
		           same(d->title, fl->v[J_TITLE])) {
			return d;
		}
	}
	return NULL;
}

static void
note_warning(const oa_docjournal_options *opt, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
note_warning(const oa_docjournal_options *opt, const char *file, const char *fmt, ...)
{
	oa_docjournal_notes *n = opt ? opt->notes : NULL;
	va_list ap;

	if (n == NULL || n->nwarnings >= OA_DOCJOURNAL_MAX_NOTES)
		return;
	va_start(ap, fmt);
	oa_error_setv(&n->warnings[n->nwarnings++], file, 0, fmt, ap);
	va_end(ap);
}

/* The checks of a change's time (item: --at), before apply. */
static int
check_time(const oa_docjournal *j, const oa_doc_change *c, const oa_doc *d, long id,
           const oa_docjournal_options *opt, oa_error *err)
{
	char when[20], last[20];

	oa_datetime_format(c->time, when);
	if (opt && opt->now > 0 && c->time > opt->now + (opt->future_minutes > 0
	                                                 ? opt->future_minutes : 0)) {
		char now[20];
		oa_datetime_format(opt->now, now);
		return oa_error_set(err, j->path, 0,
		                    "document %ld: %s at %s is in the future (now %s, %ld minutes "
		                    "allowed): check --at", id, oa_step_name(c->step), when, now,
		                    opt->future_minutes);
	}
	if (c->newdoc != NULL) {
		char date[11];
		int ty, dy, m, dd;
		oa_date_to_ymd((oa_date)(c->time / OA_MINUTES_PER_DAY), &ty, &m, &dd);
		oa_date_to_ymd(d->received, &dy, &m, &dd);
		oa_date_format(d->received, date);
		/* A year typo: its 登记 would number it in the wrong year. */
		if (ty < dy)
			return oa_error_set(err, j->path, 0,
			                    "document %ld: %s at %s is in a year before the document's "
			                    "date %s: check --at", id, oa_step_name(c->step), when, date);
		if ((oa_date)(c->time / OA_MINUTES_PER_DAY) < d->received)
			note_warning(opt, j->path, "document %ld: %s at %s comes before the document's "
			             "date %s", id, oa_step_name(c->step), when, date);
		return 0;
	}
	if (d->updated[0] != '\0') {
		oa_minute t;
		if (oa_datetime_parse(d->updated, strlen(d->updated), 0, &t) == 0 && c->time < t) {
			memcpy(last, d->updated, sizeof last);
			return oa_error_set(err, j->path, 0,
			                    "document %ld: %s at %s comes before its last step (%s at %s): "
			                    "check --at", id, oa_step_name(c->step), when,
			                    oa_step_name(d->step), last);
		}
	}
	return 0;
}

/* Appends FL as one record, sealed with CH, to MEM. */
static int
emit_record(FILE *mem, oa_chain *ch, char *const *v, size_t n)
{
	oa_csv_writer *w = oa_csv_writer_new_held(false);
	const char *bytes;
	char *body, hex[OA_SHA256_HEX_LEN + 1];
	size_t len;

	if (w == NULL)
		return -1;
	for (size_t k = 0; k < n; k++)
		oa_csv_write_field(w, v[k], strlen(v[k]));
	oa_csv_end_record(w);
	bytes = oa_csv_writer_take(w, &len);
	if (bytes == NULL || len == 0 || bytes[len - 1] != '\n' || (body = malloc(len)) == NULL) {
		oa_csv_writer_free(w);
		return -1;
	}
	memcpy(body, bytes, len - 1);
	body[len - 1] = ',';
	oa_csv_writer_free(w);
	oa_chain_seal(ch, body, len, hex);
	fwrite(body, 1, len, mem);
	fputs(hex, mem);
	fputc('\n', mem);
	free(body);
	return 0;
}

/*
 * Moves the torn record after the last line end (j->complete_len on) to
 * PATH.torn-YYYYMMDD-HHMMSS, then cuts it off the journal.
 */
static int
save_torn(oa_docjournal *j, int fd, const oa_docjournal_options *opt, oa_error *err)
{
	size_t len = j->file_size - j->complete_len;
	char stamp[32], *aside = NULL, *buf;
	struct tm tm;
	time_t now = time(NULL);
	int afd = -1;

	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return oa_error_set(err, j->path, 0, "out of memory");
	if (pread(fd, buf, len, (off_t)j->complete_len) != (ssize_t)len) {
		free(buf);
		return oa_error_sys(err, j->path, "cannot read");
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	for (int k = 0; k < 100 && afd < 0; k++) {
		free(aside);
		aside = NULL;
		if ((k == 0 ? asprintf(&aside, "%s.torn-%s", j->path, stamp)
		            : asprintf(&aside, "%s.torn-%s.%d", j->path, stamp, k)) < 0) {
			aside = NULL;
			break;
		}
		afd = open(aside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (afd < 0 && errno != EEXIST)
			break;
	}
	if (afd < 0) {
		int rc = aside ? oa_error_sys(err, aside, "cannot save the torn last record")
		               : oa_error_set(err, j->path, 0, "out of memory");
		free(aside);
		free(buf);
		return rc;
	}
	if (write(afd, buf, len) != (ssize_t)len || fsync(afd) < 0) {
		oa_error_sys(err, aside, "cannot save the torn last record");
		close(afd);
		unlink(aside);
		free(aside);
		free(buf);
		return -1;
	}
	close(afd);
	free(buf);
	if (oa_fsync_dir(aside, err) < 0 || ftruncate(fd, (off_t)j->complete_len) < 0 ||
	    fsync(fd) < 0) {
		if (!oa_error_isset(err))
			oa_error_sys(err, j->path, "cannot cut off the torn last record");
		free(aside);
		return -1;
	}
	if (opt && opt->notes) {
		opt->notes->torn_line = j->torn_line;
		snprintf(opt->notes->torn_saved, sizeof opt->notes->torn_saved, "%s", aside);
	}
	j->file_size = j->complete_len;
	free(aside);
	return 0;
}

/* Rewrites PATH.state: the record count and the last chain value, and EXTRA lines. */
static int
write_state(const char *path, const oa_chain *ch, const char *extra, oa_error *err)
{
	oa_atomic_file af;
	char *sp = state_path(path);
	int rc;

	if (sp == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	rc = oa_atomic_open_flags(&af, sp, 0600, OA_ATOMIC_REWRITE, err);
	free(sp);
	if (rc < 0)
		return -1;
	fprintf(af.fp,
	        "# doc-route journal state: the last record written (see doc-route(1), JOURNAL)\n"
	        "records %ld\nchain %s\n%s", ch->records, ch->last, extra ? extra : "");
	return oa_atomic_commit(&af, err);
}

static int
record_locked(oa_docjournal *j, int fd, oa_doc_change *changes, size_t n,
              const oa_docjournal_options *opt, oa_error *err)
{
	const char *incoming = opt && opt->incoming_code && opt->incoming_code[0]
	                       ? opt->incoming_code : default_incoming_code;
	char *buf = NULL;
	size_t buflen = 0;
	FILE *mem;
	int rc = -1;

	if (load_fd(j, fd, 0, err) < 0)
		return -1;
	if (j->complete_len > 0 && !j->chained)
		return oa_error_set(err, j->path, 0,
		                    "an old journal without the chain column: run \"doc-route verify "
		                    "--seal\" once to upgrade it; nothing recorded");
	mem = open_memstream(&buf, &buflen);
	if (mem == NULL)
		return oa_error_sys(err, j->path, "cannot allocate");
	if (j->complete_len == 0) {
		/* A new journal (or one whose header was torn). */
		size_t hlen;
		const char *h = header_line(true, &hlen);
		j->chained = true;
		oa_chain_init(&j->chain, h, hlen);
		fwrite(h, 1, hlen, mem);
		fputc('\n', mem);
	} else if (j->unterminated) {
		fputc('\n', mem); /* the last record's line end */
	}
	for (size_t i = 0; i < n; i++) {
		oa_doc_change *c = &changes[i];
		long id = c->newdoc ? (long)j->ndocs + 1 : c->doc;
		const oa_doc *d = c->newdoc ? c->newdoc : oa_docjournal_doc(j, id);
		const oa_doc *dup;
		fields fl;
		record rec;

		c->number[0] = '\0';
		if (d == NULL) {
			oa_error_set(err, j->path, 0, "no document %ld", id);
			goto out;
		}
		if (c->newdoc && c->step == OA_STEP_NONE)
			c->step = d->direction == OA_DOC_IN ? OA_STEP_RECEIVED : OA_STEP_DRAFTED;
		if (check_time(j, c, d, id, opt, err) < 0)
			goto out;
		if (c->step == OA_STEP_REGISTERED && !c->newdoc &&
		    oa_step_legal(d->direction, d->step, c->step) &&
		    next_number(j, d, c->time, incoming, c->number, sizeof c->number, err) < 0)
			goto out;
		if (make_fields(&fl, c, j->last_seq + 1, id) < 0) {
			oa_error_set(err, j->path, 0, "out of memory");
			goto out;
		}
		/* The reader's field check, then its record check (apply). */
		for (int k = 0; k < J_CHAIN; k++) {
			char why[128];
			size_t at;
			if (oa_journal_field_check(fl.v[k], strlen(fl.v[k]), why, sizeof why, &at) < 0) {
				oa_error_set(err, j->path, 0, "document %ld: %s: %s; nothing recorded", id,
				             field_source(k), why);
				fields_free(&fl);
				goto out;
			}
		}
		if (c->newdoc && !(opt && opt->again) &&
		    (dup = registered_before(j, &fl, d->received)) != NULL) {
			oa_error_set(err, j->path, 0,
			             "the %zu%s document of this run is registered already as document %ld "
			             "(same %s): "
			             "use --again to register it once more; nothing recorded", i + 1,
			             i == 0 ? "st" : i == 1 ? "nd" : i == 2 ? "rd" : "th", dup->id,
			             fl.v[J_REF][0] ? "来文机关 and 来文字号" : "title, 来文机关 and date");
			fields_free(&fl);
			goto out;
		}
		for (int k = 0; k < OA_JOURNAL_NCOLS; k++) {
			rec.f[k] = k < J_CHAIN ? fl.v[k] : "";
			rec.len[k] = strlen(rec.f[k]);
		}
		/* Errors here are about the change, not a line of the file. */
		if (apply(j, &rec, 0, j->path, 0, err) < 0) {
			fields_free(&fl);
			goto out;
		}
		if (c->step == OA_STEP_REGISTERED) {
			const oa_doc *nd = oa_docjournal_doc(j, id);
			int y, m, dd, yr;
			oa_date_to_ymd(nd->received, &y, &m, &dd);
			oa_date_to_ymd((oa_date)(c->time / OA_MINUTES_PER_DAY), &yr, &m, &dd);
			if (y != yr)
				note_warning(opt, j->path,
				             "document %ld is dated %d but numbered %s, of the year of its "
				             "登记: right only across the new year", id, y, c->number);
		}
		c->assigned_doc = id;
		c->seq = j->last_seq;
		if (emit_record(mem, &j->chain, fl.v, J_CHAIN) < 0) {
			fields_free(&fl);
			oa_error_set(err, j->path, 0, "out of memory");
			goto out;
		}
		fields_free(&fl);
	}
	if (fflush(mem) == EOF || ferror(mem)) {
		oa_error_set(err, j->path, 0, "cannot format records");
		goto out;
	}
	if (j->torn_line > 0 && save_torn(j, fd, opt, err) < 0)
		goto out;
	rc = oa_journal_append(fd, j->path, buf, buflen, err);
	if (rc == 0) {
		oa_error serr;
		oa_error_clear(&serr);
		if (write_state(j->path, &j->chain, NULL, &serr) < 0)
			note_warning(opt, j->path,
			             "recorded, but the state file could not be updated (%s): the next "
			             "write updates it", serr.msg);
	}
out:
	fclose(mem);
	free(buf);
	return rc;
}

/*
 * Opens (creating) the journal for reading and appending; fsyncs the
 * directory on creation, and says so in *CREATED.
 */
static int
open_journal(const char *path, bool *created, oa_error *err)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);

	*created = false;
	if (fd >= 0 || errno != ENOENT) {
		if (fd < 0)
			oa_error_sys(err, path, "cannot open");
		return fd;
	}
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return oa_error_sys(err, path, "cannot create");
	if (oa_fsync_dir(path, err) < 0) {
		close(fd);
		return -1;
	}
	*created = true;
	return fd;
}

/*
 * Closes the journal; one this run CREATED and left empty (nothing was
 * recorded) is removed, so a refused run leaves nothing behind.  Called
 * while the lock is held.
 */
static void
close_journal(int fd, const char *path, bool created)
{
	struct stat st, now;

	if (created && fstat(fd, &st) == 0 && st.st_size == 0 && stat(path, &now) == 0 &&
	    now.st_dev == st.st_dev && now.st_ino == st.st_ino && unlink(path) == 0)
		oa_fsync_dir(path, NULL);
	close(fd);
}

/* Takes the lock and opens the journal; -1 with err (nothing held). */
static int
lock_open(const char *path, const oa_docjournal_options *opt, oa_lock *lock, bool *created,
          oa_error *err)
{
	int fd;

	lock->fd = -1;
	lock->path = NULL;
	if (oa_lock_acquire(lock, path, opt ? opt->lock_timeout_ms : OA_LOCK_DEFAULT_TIMEOUT_MS,
	                    opt && opt->who ? opt->who : "doc-route", err) < 0)
		return -1;
	fd = open_journal(path, created, err);
	if (fd < 0)
		oa_lock_release(lock);
	return fd;
}

int
oa_docjournal_record(const char *path, oa_doc_change *changes, size_t n,
                     const oa_docjournal_options *opt, oa_error *err)
{
	oa_docjournal j;
	oa_lock lock;
	bool created;
	int fd, rc;

	if (init(&j, path, err) < 0)
		return -1;
	fd = lock_open(path, opt, &lock, &created, err);
	if (fd < 0) {
		oa_docjournal_release(&j);
		return -1;
	}
	rc = record_locked(&j, fd, changes, n, opt, err);
	close_journal(fd, path, created);
	oa_lock_release(&lock);
	oa_docjournal_release(&j);
	return rc;
}

/* ---- sealing an old journal ---- */

/* Writes every record of the old journal J (read from FD) with its chain into AF. */
static int
reseal(oa_docjournal *j, int fd, FILE *out, oa_chain *ch, oa_error *err)
{
	char *map;
	size_t len = j->complete_len, hlen;
	const char *h = header_line(true, &hlen);
	oa_csv_options opt;
	oa_csv_reader *r;
	int rc;

	oa_chain_init(ch, h, hlen);
	fwrite(h, 1, hlen, out);
	fputc('\n', out);
	if (len == 0)
		return 0;
	if (read_all(fd, len, &map, j->path, err) < 0)
		return -1;
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	opt.max_field = OA_JOURNAL_MAX_FIELD;
	r = oa_csv_reader_memory(map, len, j->path, &opt, err);
	if (r == NULL) {
		free(map);
		return -1;
	}
	rc = oa_csv_read(r, err); /* the header, checked by load_fd */
	oa_csv_reader_set_width(r, OA_JOURNAL_OLD_NCOLS);
	while (rc > 0 && (rc = oa_csv_read(r, err)) > 0) {
		char *v[OA_JOURNAL_OLD_NCOLS];
		int k, bad = -1;
		char why[128];
		size_t at;

		for (k = 0; k < OA_JOURNAL_OLD_NCOLS; k++) {
			v[k] = strdup(oa_csv_field(r, (size_t)k));
			if (v[k] == NULL) {
				bad = k;
				snprintf(why, sizeof why, "out of memory");
				break;
			}
			oa_journal_field_clean(v[k], strlen(v[k]));
			if (bad < 0 && oa_journal_field_check(v[k], strlen(v[k]), why, sizeof why, &at) < 0)
				bad = k;
		}
		if (bad >= 0)
			rc = bad_col(err, j->path, oa_csv_line(r), bad, "%s: cannot be sealed", why);
		else if (emit_record(out, ch, v, OA_JOURNAL_OLD_NCOLS) < 0)
			rc = oa_error_set(err, j->path, 0, "out of memory");
		while (k-- > 0)
			free(v[k]);
	}
	oa_csv_reader_free(r);
	free(map);
	return rc < 0 ? -1 : 0;
}

int
oa_docjournal_seal(const char *path, const oa_docjournal_options *opt, char *kept, size_t cap,
                   oa_error *err)
{
	oa_docjournal j;
	oa_lock lock;
	oa_atomic_file af;
	oa_chain ch;
	char stamp[32], when[40], *aside = NULL, *extra = NULL;
	struct tm tm;
	time_t now = time(NULL);
	bool created;
	int fd, rc = -1;

	if (cap > 0)
		kept[0] = '\0';
	if (init(&j, path, err) < 0)
		return -1;
	fd = lock_open(path, opt, &lock, &created, err);
	if (fd < 0) {
		oa_docjournal_release(&j);
		return -1;
	}
	if (load_fd(&j, fd, 0, err) < 0)
		goto out;
	if (j.chained || j.complete_len == 0) {
		rc = 0; /* nothing to upgrade */
		goto out;
	}
	if (j.torn_line > 0) {
		oa_error_set(err, path, j.torn_line,
		             "an incomplete last record: an old writer may be running; finish or "
		             "move it by hand, then seal");
		goto out;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	if (asprintf(&aside, "%s.unchained", path) < 0) {
		aside = NULL;
		oa_error_set(err, path, 0, "out of memory");
		goto out;
	}
	if (link(path, aside) < 0) {
		if (errno != EEXIST) {
			oa_error_sys(err, aside, "cannot keep the old journal");
			goto out;
		}
		free(aside);
		if (asprintf(&aside, "%s.unchained-%s", path, stamp) < 0) {
			aside = NULL;
			oa_error_set(err, path, 0, "out of memory");
			goto out;
		}
		if (link(path, aside) < 0) {
			oa_error_sys(err, aside, "cannot keep the old journal");
			goto out;
		}
	}
	if (oa_atomic_open_flags(&af, path, 0600, OA_ATOMIC_REWRITE, err) < 0) {
		unlink(aside);
		goto out;
	}
	if (reseal(&j, fd, af.fp, &ch, err) < 0) {
		oa_atomic_abort(&af);
		unlink(aside);
		goto out;
	}
	if (oa_atomic_commit(&af, err) < 0) {
		unlink(aside);
		goto out;
	}
	if (asprintf(&extra, "sealed %s from %s (%ld records)\n", when, aside, ch.records) < 0)
		extra = NULL;
	if (write_state(path, &ch, extra, err) < 0)
		goto out;
	snprintf(kept, cap, "%s", aside);
	rc = 0;
out:
	free(extra);
	free(aside);
	close_journal(fd, path, created);
	oa_lock_release(&lock);
	oa_docjournal_release(&j);
	return rc;
}
