/*
 * journal.c - reading, verifying and appending the document journal.  See
 * journal.h for the format.
 *
 * One function, apply(), takes a record as an array of fields, checks it
 * against the state so far and updates the state.  The reader feeds it every
 * record of the file; the writer feeds it each record it is about to append,
 * so what is written is exactly what the next read accepts.  The reader maps
 * the file and parses only up to its last line break, which leaves out a
 * record still being written or torn by a crash.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "durable.h"
#include "lock.h"

const char *const oa_journal_header[OA_JOURNAL_NCOLS] = {
	"seq", "time", "doc", "step", "actor", "department", "note", "direction", "type",
	"title", "issuer", "ref", "urgency", "secrecy", "received", "deadline", "keywords",
	"code", "number", "lead", "co", "leader", "circulate",
};

enum {
	J_SEQ, J_TIME, J_DOC, J_STEP, J_ACTOR, J_DEPARTMENT, J_NOTE, J_DIRECTION, J_TYPE,
	J_TITLE, J_ISSUER, J_REF, J_URGENCY, J_SECRECY, J_RECEIVED, J_DEADLINE,
	J_KEYWORDS, J_CODE, J_NUMBER, J_LEAD, J_CO, J_LEADER, J_CIRCULATE,
};

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
	const char *s;
	size_t len;

#define BAD(what) oa_error_set(err, file, line, "bad " what " \"%.*s\"", (int)len, s)
	s = rec->f[J_DIRECTION];
	len = rec->len[J_DIRECTION];
	if (oa_doc_parse_direction(s, len, &d->direction) < 0)
		return BAD("direction");
	if ((step == OA_STEP_RECEIVED) != (d->direction == OA_DOC_IN))
		return oa_error_set(err, file, line, "%s document registered by %s",
		                    oa_direction_name(d->direction), oa_step_name(step));
	s = rec->f[J_TYPE];
	len = rec->len[J_TYPE];
	if (oa_doc_parse_type(s, len, &d->type) < 0)
		return BAD("type");
	s = rec->f[J_URGENCY];
	len = rec->len[J_URGENCY];
	if (oa_doc_parse_urgency(s, len, &d->urgency) < 0)
		return BAD("urgency");
	s = rec->f[J_SECRECY];
	len = rec->len[J_SECRECY];
	if (oa_doc_parse_secrecy(s, len, &d->secrecy) < 0)
		return BAD("secrecy");
	s = rec->f[J_RECEIVED];
	len = rec->len[J_RECEIVED];
	if (oa_date_parse(s, len, &d->received) < 0)
		return BAD("received date");
	s = rec->f[J_DEADLINE];
	len = rec->len[J_DEADLINE];
	if (oa_date_parse(s, len, &d->deadline) < 0)
		return BAD("deadline");
	if (rec->len[J_TITLE] == 0)
		return oa_error_set(err, file, line, "registering record without a title");
	if (d->direction == OA_DOC_OUT && rec->len[J_CODE] == 0)
		return oa_error_set(err, file, line, "outgoing document without a code");
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
		return oa_error_set(err, file, line, "登记 without a number");
	memcpy(number, rec->f[J_NUMBER], rec->len[J_NUMBER]);
	number[rec->len[J_NUMBER]] = '\0';
	if (oa_number_parse(number, &code, &code_len, &year, &seq) < 0)
		return oa_error_set(err, file, line, "bad number \"%s\"", number);
	if (year != time_year(rec->f[J_TIME]))
		return oa_error_set(err, file, line, "number \"%s\" is not of the year of its record",
		                    number);
	number[code_len] = '\0'; /* number now holds the code */
	if (d->direction == OA_DOC_OUT && strcmp(number, d->code) != 0)
		return oa_error_set(err, file, line, "number code \"%s\" is not the document's \"%s\"",
		                    number, d->code);
	last = oa_counters_last(&j->counters, d->direction, number, year);
	if (seq != last + 1)
		return oa_error_set(err, file, line, "number %ld of %s〔%d〕 follows %ld: not in sequence",
		                    seq, number, year, last);
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
		return oa_error_set(err, file, line, "改办 without the department taking it over");
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
			return oa_error_set(err, file, line, "%s without the new deadline",
			                    oa_step_name(step));
		if (oa_date_parse(rec->f[J_DEADLINE], rec->len[J_DEADLINE], &deadline) < 0)
			return oa_error_set(err, file, line, "bad deadline \"%.*s\"",
			                    (int)rec->len[J_DEADLINE], rec->f[J_DEADLINE]);
		oa_date_format(d->deadline, old);
		if (step == OA_STEP_EXTENDED) {
			if (rec->len[J_NOTE] == 0)
				return oa_error_set(err, file, line,
				                    "延期 without a reason (the note)");
			if (deadline <= d->deadline)
				return oa_error_set(err, file, line,
				                    "延期 to %.*s is not after the deadline %s",
				                    (int)rec->len[J_DEADLINE], rec->f[J_DEADLINE], old);
			d->extended++;
			d->deadline_computed = false; /* a date agreed, no longer the calendar's */
		} else if (deadline < d->received) {
			return oa_error_set(err, file, line, "重算 to %.*s, before the document came",
			                    (int)rec->len[J_DEADLINE], rec->f[J_DEADLINE]);
		}
		d->deadline = deadline;
	}
	if ((step == OA_STEP_COMPLETED || step == OA_STEP_ISSUED) &&
	    oa_date_parse(rec->f[J_TIME], 10, &d->done_on) < 0)
		return oa_error_set(err, file, line, "bad time");
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
		return oa_error_set(err, file, line, "sequence number \"%.*s\" where %ld was due",
		                    (int)rec->len[J_SEQ], rec->f[J_SEQ], j->last_seq + 1);
	if (!time_ok(rec->f[J_TIME], rec->len[J_TIME]))
		return oa_error_set(err, file, line, "bad time \"%.*s\"", (int)rec->len[J_TIME],
		                    rec->f[J_TIME]);
	step = parse_step(rec->f[J_STEP], rec->len[J_STEP]);
	if (step == OA_STEP_NONE)
		return oa_error_set(err, file, line, "unknown step \"%.*s\"", (int)rec->len[J_STEP],
		                    rec->f[J_STEP]);
	id = parse_id(rec->f[J_DOC], rec->len[J_DOC]);
	if (id < 1 || (size_t)id > j->ndocs + 1)
		return oa_error_set(err, file, line, "document \"%.*s\" is not registered",
		                    (int)rec->len[J_DOC], rec->f[J_DOC]);
	if ((size_t)id == j->ndocs + 1) {
		if (step != OA_STEP_RECEIVED && step != OA_STEP_DRAFTED)
			return oa_error_set(err, file, line,
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
			return oa_error_set(err, file, line, "number given by %s, not by 登记",
			                    oa_step_name(step));
	} else {
		size_t set = 0;

		d = &j->docs[id - 1];
		for (int c = J_DIRECTION; c < J_NUMBER; c++)
			set |= rec->len[c];
		for (int c = J_NUMBER + 1; c < OA_JOURNAL_NCOLS; c++)
			set |= rec->len[c];
		if (set != 0) {
			/* 延期 and 重算 carry the new deadline. */
			bool dated = step == OA_STEP_EXTENDED || step == OA_STEP_RECOMPUTED;
			for (int c = J_DIRECTION; c < OA_JOURNAL_NCOLS; c++)
				if (c != J_NUMBER && rec->len[c] != 0 && !(dated && c == J_DEADLINE))
					return oa_error_set(err, file, line,
					                    "column %s is set by the registering record only",
					                    oa_journal_header[c]);
		}
		if (!oa_step_legal(d->direction, d->step, step)) {
			char next[256];
			oa_step_legal_list(d->direction, d->step, next, sizeof next);
			return oa_error_set(err, file, line,
			                    "document %ld is at %s; %s may not follow (next: %s)", id,
			                    oa_step_name(d->step), oa_step_name(step), next);
		}
		if (step == OA_STEP_REGISTERED) {
			if (take_number(j, d, rec, file, line, err) < 0)
				return -1;
		} else if (rec->len[J_NUMBER] != 0) {
			return oa_error_set(err, file, line, "number given by %s, not by 登记",
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

static int
check_header(oa_csv_reader *r, const char *file, oa_error *err)
{
	if (oa_csv_nfields(r) != OA_JOURNAL_NCOLS)
		goto bad;
	for (size_t i = 0; i < OA_JOURNAL_NCOLS; i++)
		if (strcmp(oa_csv_field(r, i), oa_journal_header[i]) != 0)
			goto bad;
	oa_csv_reader_set_width(r, OA_JOURNAL_NCOLS);
	return 0;
bad:
	return oa_error_set(err, file, oa_csv_line(r),
	                    "not a doc-route journal: the header is not \"seq,time,doc,...\"");
}

/*
 * The length of FD's content up to and including its last line break
 * (SIZE bytes long): what lies after it is a record still being written or
 * torn by a crash.  Read with pread, from the end backwards.
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

/* Reads the journal from the open descriptor FD. */
static int
load_fd(oa_docjournal *j, int fd, const char *path, long keep, oa_error *err)
{
	struct stat st;
	char *map = NULL;
	size_t len = 0;
	oa_csv_options opt;
	oa_csv_reader *r;
	record rec;
	int rc;

	if (fstat(fd, &st) < 0)
		return oa_error_sys(err, path, "cannot stat");
	if (st.st_size == 0)
		return 0;
	if (complete_length(fd, (size_t)st.st_size, &len) < 0)
		return oa_error_sys(err, path, "cannot read");
	if (len == 0)
		return 0;
	/*
	 * Only the complete lines are read, and read, not mapped: a journal
	 * that another program rewrites in place (cp over it) while it is
	 * mapped would kill this reader with SIGBUS.  One that shrinks while
	 * it is read is an error, never a short journal taken as whole.
	 */
	if ((map = malloc(len)) == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	for (size_t got = 0; got < len;) {
		ssize_t n = pread(fd, map + got, len - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				oa_error_set(err, path, 0, "changed while it was being read "
				             "(rewritten by another program?); run again");
			else
				oa_error_sys(err, path, "cannot read");
			free(map);
			return -1;
		}
		got += (size_t)n;
	}
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	r = oa_csv_reader_memory(map, len, path, &opt, err);
	if (r == NULL) {
		free(map);
		return -1;
	}
	rc = oa_csv_read(r, err);
	if (rc > 0 && check_header(r, path, err) < 0)
		rc = -1;
	while (rc > 0 && (rc = oa_csv_read(r, err)) > 0) {
		/* Only a registering record (it has a title) needs every field,
		 * or all when events are kept; the others need five, and the
		 * lengths of the rest. */
		for (size_t i = 0; i < OA_JOURNAL_NCOLS; i++)
			rec.len[i] = oa_csv_field_len(r, i);
		if (rec.len[J_TITLE] != 0 || keep != 0) {
			for (size_t i = 0; i < OA_JOURNAL_NCOLS; i++)
				rec.f[i] = oa_csv_field(r, i);
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
		if (apply(j, &rec, keep, path, oa_csv_line(r), err) < 0)
			rc = -1;
	}
	oa_csv_reader_free(r);
	free(map);
	return rc < 0 ? -1 : 0;
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

	if (init(j, path, err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return oa_error_sys(err, path, "cannot open");
	}
	rc = load_fd(j, fd, path, keep_doc, err);
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

/* A field for the journal: line breaks become spaces. */
static void
write_clean(oa_csv_writer *w, const char *s)
{
	char buf[256];
	size_t len = s ? strlen(s) : 0;
	char *p = len < sizeof buf ? buf : malloc(len + 1);

	if (p == NULL) {
		oa_csv_write_field(w, s, len); /* journal.c checks the writer after */
		return;
	}
	for (size_t i = 0; i < len; i++)
		p[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	oa_csv_write_field(w, p, len);
	if (p != buf)
		free(p);
}

/* The fields of change C as strings, pointing into BUF storage where needed. */
typedef struct fields {
	const char *v[OA_JOURNAL_NCOLS];
	char seq[24], doc[24], time[20], received[11], deadline[11];
} fields;

static void
make_fields(fields *fl, const oa_doc_change *c, long seq, long id)
{
	const oa_doc *d = c->newdoc;

	for (int i = 0; i < OA_JOURNAL_NCOLS; i++)
		fl->v[i] = "";
	snprintf(fl->seq, sizeof fl->seq, "%ld", seq);
	snprintf(fl->doc, sizeof fl->doc, "%ld", id);
	oa_datetime_format(c->time, fl->time);
	fl->v[J_SEQ] = fl->seq;
	fl->v[J_DOC] = fl->doc;
	fl->v[J_TIME] = fl->time;
	fl->v[J_STEP] = oa_step_name(c->step);
	fl->v[J_ACTOR] = c->actor ? c->actor : "";
	fl->v[J_DEPARTMENT] = c->department ? c->department : "";
	fl->v[J_NOTE] = c->note ? c->note : "";
	fl->v[J_NUMBER] = c->number;
	if (c->has_deadline) {
		oa_date_format(c->deadline, fl->deadline);
		fl->v[J_DEADLINE] = fl->deadline;
	}
	if (d == NULL)
		return;
	if (d->deadline_computed && fl->v[J_NOTE][0] == '\0')
		fl->v[J_NOTE] = OA_DOC_DEADLINE_COMPUTED_NOTE;
	oa_date_format(d->received, fl->received);
	oa_date_format(d->deadline, fl->deadline);
	fl->v[J_DIRECTION] = oa_direction_name(d->direction);
	fl->v[J_TYPE] = oa_doc_types[d->type];
	fl->v[J_TITLE] = d->title;
	fl->v[J_ISSUER] = d->issuer;
	fl->v[J_REF] = d->ref;
	fl->v[J_URGENCY] = oa_urgency_name(d->urgency);
	fl->v[J_SECRECY] = d->secrecy_text && d->secrecy_text[0] ? d->secrecy_text
	                                                         : oa_secrecy_name(d->secrecy);
	fl->v[J_RECEIVED] = fl->received;
	fl->v[J_DEADLINE] = fl->deadline;
	fl->v[J_KEYWORDS] = d->keywords;
	fl->v[J_CODE] = d->direction == OA_DOC_OUT ? d->code : "";
	fl->v[J_LEAD] = d->lead;
	fl->v[J_CO] = d->co;
	fl->v[J_LEADER] = d->leader;
	fl->v[J_CIRCULATE] = d->circulate;
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

static int
record_locked(oa_docjournal *j, int rfd, int fd, oa_doc_change *changes, size_t n,
              const oa_docjournal_options *opt, oa_error *err)
{
	const char *incoming = opt && opt->incoming_code && opt->incoming_code[0]
	                       ? opt->incoming_code : default_incoming_code;
	char *buf = NULL;
	size_t buflen = 0;
	FILE *mem;
	oa_csv_writer *w;
	struct stat st;
	int rc = -1;

	if (load_fd(j, rfd, j->path, 0, err) < 0)
		return -1;
	if (fstat(rfd, &st) < 0)
		return oa_error_sys(err, j->path, "cannot stat");
	mem = open_memstream(&buf, &buflen);
	if (mem == NULL)
		return oa_error_sys(err, j->path, "cannot allocate");
	w = oa_csv_writer_new(mem, false);
	if (w == NULL) {
		fclose(mem);
		free(buf);
		return oa_error_set(err, j->path, 0, "out of memory");
	}
	if (st.st_size == 0)
		oa_csv_write_record(w, oa_journal_header, OA_JOURNAL_NCOLS);
	for (size_t i = 0; i < n; i++) {
		oa_doc_change *c = &changes[i];
		long id = c->newdoc ? (long)j->ndocs + 1 : c->doc;
		const oa_doc *d = c->newdoc ? c->newdoc : oa_docjournal_doc(j, id);
		fields fl;
		record rec;

		c->number[0] = '\0';
		if (d == NULL) {
			oa_error_set(err, j->path, 0, "no document %ld", id);
			goto out;
		}
		if (c->newdoc && c->step == OA_STEP_NONE)
			c->step = d->direction == OA_DOC_IN ? OA_STEP_RECEIVED : OA_STEP_DRAFTED;
		if (c->step == OA_STEP_REGISTERED && !c->newdoc &&
		    oa_step_legal(d->direction, d->step, c->step) &&
		    next_number(j, d, c->time, incoming, c->number, sizeof c->number, err) < 0)
			goto out;
		make_fields(&fl, c, j->last_seq + 1, id);
		for (int k = 0; k < OA_JOURNAL_NCOLS; k++) {
			rec.f[k] = fl.v[k];
			rec.len[k] = strlen(fl.v[k]);
		}
		/* Errors here are about the change, not a line of the file. */
		if (apply(j, &rec, 0, j->path, 0, err) < 0)
			goto out;
		c->assigned_doc = id;
		c->seq = j->last_seq;
		for (int k = 0; k < OA_JOURNAL_NCOLS; k++)
			write_clean(w, fl.v[k]);
		oa_csv_end_record(w);
	}
	if (oa_csv_writer_check(w, j->path, err) < 0 || fflush(mem) == EOF) {
		oa_error_set(err, j->path, 0, "cannot format records");
		goto out;
	}
	rc = oa_journal_append(fd, j->path, buf, buflen, err);
out:
	oa_csv_writer_free(w);
	fclose(mem);
	free(buf);
	return rc;
}

int
oa_docjournal_record(const char *path, oa_doc_change *changes, size_t n,
                     const oa_docjournal_options *opt, oa_error *err)
{
	oa_docjournal j;
	oa_lock lock = { .fd = -1, .path = NULL };
	int fd, rfd, rc;

	if (init(&j, path, err) < 0)
		return -1;
	if (oa_lock_acquire(&lock, path, opt ? opt->lock_timeout_ms : OA_LOCK_DEFAULT_TIMEOUT_MS,
	                    opt && opt->who ? opt->who : "doc-route", err) < 0) {
		oa_docjournal_release(&j);
		return -1;
	}
	fd = oa_journal_open(path, err);
	if (fd < 0) {
		oa_lock_release(&lock);
		oa_docjournal_release(&j);
		return -1;
	}
	/* The journal descriptor may be write-only: read through another. */
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd < 0) {
		rc = oa_error_sys(err, path, "cannot open");
	} else {
		rc = record_locked(&j, rfd, fd, changes, n, opt, err);
		close(rfd);
	}
	oa_journal_close(fd, path); /* a journal made by this run and left empty goes */
	oa_lock_release(&lock);
	oa_docjournal_release(&j);
	return rc;
}
