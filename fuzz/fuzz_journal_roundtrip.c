/*
 * fuzz_journal_roundtrip.c - libFuzzer target for the document journal's
 * one validation (journal.h): what the writer writes, the reader reads
 * back identically.  The input is a flags byte and up to 13 strings
 * separated by 0x1f: a document's title, issuer, ref, keywords, lead, co,
 * leader, circulate, secrecy text and code, then the actor, department and
 * note of its steps.  The document is registered in a fresh journal and
 * chased once; every record the writer accepts must read back with the
 * fields as given (tab, CR and LF made spaces), and a record it refuses
 * must leave the journal as it was.  Fields that pass the shared check
 * and make a well-formed document must be accepted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "journal.h"

enum { F_TITLE, F_ISSUER, F_REF, F_KEYWORDS, F_LEAD, F_CO, F_LEADER, F_CIRCULATE,
       F_SECRECY, F_CODE, F_ACTOR, F_DEPARTMENT, F_NOTE, NF };

static char dir[64], path[128], state[160];

static void
paths(void)
{
	if (dir[0] != '\0')
		return;
	snprintf(dir, sizeof dir, "/tmp/oafuzz.rt.%ld.XXXXXX", (long)getpid());
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "%s/j.journal", dir);
	snprintf(state, sizeof state, "%s.state", path);
}

/* The field as the writer stores it. */
static char *
cleaned(const char *s)
{
	char *c = strdup(s);

	if (c == NULL)
		abort();
	oa_journal_field_clean(c, strlen(c));
	return c;
}

static void
same(const char *got, const char *given)
{
	char *want = cleaned(given);

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "read back \"%s\", wrote \"%s\"\n", got, want);
		abort();
	}
	free(want);
}

static bool
field_ok(const char *s)
{
	char *c = cleaned(s), why[128];
	size_t at;
	bool ok = oa_journal_field_check(c, strlen(c), why, sizeof why, &at) == 0;

	free(c);
	return ok;
}

static off_t
size_of(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? st.st_size : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[NF];
	uint8_t flags = size > 0 ? data[0] : 0;
	const uint8_t *p = size > 0 ? data + 1 : data;
	size_t left = size > 0 ? size - 1 : 0;
	oa_doc d;
	oa_doc_change c;
	oa_docjournal j;
	oa_error err;
	bool all_ok = true;
	int rc;

	paths();
	unlink(path);
	unlink(state);
	for (int i = 0; i < NF; i++) {
		size_t first = left, rest = 0;
		const uint8_t *next = p ? fuzz_split(p, left, "\x1f", &first, &rest) : NULL;
		f[i] = strndup(p ? (const char *)p : "", p ? first : 0);
		if (f[i] == NULL)
			abort();
		p = next;
		left = next ? rest : 0;
		all_ok = all_ok && field_ok(f[i]);
	}

	memset(&d, 0, sizeof d);
	d.direction = (flags & 1) ? OA_DOC_OUT : OA_DOC_IN;
	d.type = (flags >> 1) % OA_DOC_NTYPES;
	d.urgency = (oa_urgency)((flags >> 5) % 3);
	d.title = f[F_TITLE];
	d.issuer = f[F_ISSUER];
	d.ref = f[F_REF];
	d.keywords = f[F_KEYWORDS];
	d.lead = f[F_LEAD];
	d.co = f[F_CO];
	d.leader = f[F_LEADER];
	d.circulate = f[F_CIRCULATE];
	d.secrecy_text = f[F_SECRECY];
	d.code = f[F_CODE];
	d.number = (char *)"";
	{
		char *s = cleaned(f[F_SECRECY]);
		if (oa_doc_parse_secrecy(s, strlen(s), &d.secrecy) < 0)
			all_ok = false;
		free(s);
	}
	if (oa_date_parse("2026-11-23", 10, &d.received) < 0 ||
	    oa_date_parse("2026-11-26", 10, &d.deadline) < 0)
		abort();
	{
		char *t = cleaned(f[F_TITLE]), *k = cleaned(f[F_CODE]);
		if (t[0] == '\0' || (d.direction == OA_DOC_OUT && k[0] == '\0'))
			all_ok = false;
		free(t);
		free(k);
	}

	memset(&c, 0, sizeof c);
	c.newdoc = &d;
	if (oa_datetime_parse("2026-11-23 09:00", 16, 0, &c.time) < 0)
		abort();
	c.actor = f[F_ACTOR];
	c.department = f[F_DEPARTMENT];
	c.note = f[F_NOTE];
	oa_error_clear(&err);
	rc = oa_docjournal_record(path, &c, 1, NULL, &err);
	if (rc < 0) {
		FUZZ_DEBUG_ERR(&err);
		if (all_ok) {
			fprintf(stderr, "a well-formed document refused: %s\n", err.msg);
			abort();
		}
		if (size_of(path) > 0 || size_of(state) >= 0) /* refused: nothing written */
			abort();
		goto out;
	}

	/* A 催办 with the same actor, department and note. */
	memset(&c, 0, sizeof c);
	c.doc = 1;
	c.step = OA_STEP_URGED;
	if (oa_datetime_parse("2026-11-23 09:10", 16, 0, &c.time) < 0)
		abort();
	c.actor = f[F_ACTOR];
	c.department = f[F_DEPARTMENT];
	c.note = f[F_NOTE];
	if (oa_docjournal_record(path, &c, 1, NULL, &err) < 0)
		abort(); /* the same fields were just accepted */

	oa_error_clear(&err);
	if (oa_docjournal_load(&j, path, -1, &err) < 0) {
		fprintf(stderr, "written, then not read: %s:%ld: %s\n", err.file, err.line, err.msg);
		abort();
	}
	if (j.ndocs != 1 || j.nevents != 2 || !j.chained || j.torn_line != 0 || j.state_missing)
		abort();
	same(j.docs[0].title, f[F_TITLE]);
	same(j.docs[0].issuer, f[F_ISSUER]);
	same(j.docs[0].ref, f[F_REF]);
	same(j.docs[0].keywords, f[F_KEYWORDS]);
	same(j.docs[0].lead, f[F_LEAD]);
	same(j.docs[0].co, f[F_CO]);
	same(j.docs[0].leader, f[F_LEADER]);
	same(j.docs[0].circulate, f[F_CIRCULATE]);
	same(j.docs[0].code, d.direction == OA_DOC_OUT ? f[F_CODE] : "");
	same(j.docs[0].secrecy_text, f[F_SECRECY][0] ? f[F_SECRECY] : oa_secrecy_name(d.secrecy));
	if (j.docs[0].direction != d.direction || j.docs[0].type != d.type ||
	    j.docs[0].urgency != d.urgency || j.docs[0].secrecy != d.secrecy ||
	    j.docs[0].step != (d.direction == OA_DOC_IN ? OA_STEP_RECEIVED : OA_STEP_DRAFTED) ||
	    j.docs[0].urged != 1)
		abort();
	for (int e = 0; e < 2; e++) {
		same(j.events[e].actor, f[F_ACTOR]);
		same(j.events[e].department, f[F_DEPARTMENT]);
		same(j.events[e].note, f[F_NOTE]);
	}
	oa_docjournal_release(&j);
out:
	for (int i = 0; i < NF; i++)
		free(f[i]);
	return 0;
}
