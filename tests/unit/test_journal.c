/*
 * test_journal.c - the document journal (journal.h): recording steps,
 * reading back the state, verification of damaged files (each with the line
 * and reason), torn tails, illegal steps leaving the file untouched, and
 * gap-free numbering with several processes numbering at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define HEADER_LINE \
	"seq,time,doc,step,actor,department,note,direction,type,title,issuer,ref,urgency," \
	"secrecy,received,deadline,keywords,code,number,lead,co,leader,circulate,chain"

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/test_journal_XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/docs.journal", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static oa_minute
at(const char *s)
{
	oa_minute t;

	assert_int_equal(oa_datetime_parse(s, strlen(s), 0, &t), 0);
	return t;
}

static oa_date
day(const char *s)
{
	oa_date d;

	assert_int_equal(oa_date_parse(s, strlen(s), &d), 0);
	return d;
}

/* A document with the given elements; strings are strdup'd. */
static void
make_doc(oa_doc *d, oa_doc_direction dir_, const char *title, oa_secrecy sec)
{
	memset(d, 0, sizeof *d);
	d->direction = dir_;
	d->type = dir_ == OA_DOC_IN ? 10 : 9; /* 请示 / 报告 */
	d->title = strdup(title);
	d->issuer = strdup("市财政局");
	d->ref = strdup("");
	d->secrecy = sec;
	d->secrecy_text = strdup(oa_secrecy_name(sec));
	d->keywords = strdup("");
	d->code = strdup(dir_ == OA_DOC_OUT ? "示例办发" : "");
	d->number = strdup("");
	d->lead = strdup("办公室");
	d->co = strdup("财务科, 人事科");
	d->leader = strdup("张局长");
	d->circulate = strdup("");
	d->received = day("2026-11-23");
	d->deadline = day("2026-11-26");
}

static int
step(long doc, oa_doc_step s, const char *when, char *number, oa_error *err)
{
	oa_doc_change c;
	int rc;

	memset(&c, 0, sizeof c);
	c.doc = doc;
	c.step = s;
	c.time = at(when);
	c.actor = "王秘书";
	c.note = "第一行\n第二行";
	rc = oa_docjournal_record(path, &c, 1, NULL, err);
	if (number != NULL)
		strcpy(number, c.number);
	return rc;
}

static void
register_two(void)
{
	oa_doc docs[2];
	oa_doc_change c[2];
	oa_error err;

	make_doc(&docs[0], OA_DOC_IN, "关于经费的请示", OA_SECRECY_NONE);
	make_doc(&docs[1], OA_DOC_OUT, "关于工作的报告", OA_SECRECY_NONE);
	memset(c, 0, sizeof c);
	for (int i = 0; i < 2; i++) {
		c[i].newdoc = &docs[i];
		c[i].time = at("2026-11-23 09:00");
	}
	oa_error_clear(&err);
	if (oa_docjournal_record(path, c, 2, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(c[0].assigned_doc, 1);
	assert_int_equal(c[1].assigned_doc, 2);
	assert_int_equal(c[1].seq, 2);
	oa_doc_release(&docs[0]);
	oa_doc_release(&docs[1]);
}

static char *
slurp(const char *p, size_t *len)
{
	FILE *fp = fopen(p, "rb");
	char *buf = malloc(1 << 20);
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, (1 << 20) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
test_record_and_load(void **state)
{
	oa_docjournal j;
	oa_error err;
	char number[256];
	struct stat st;
	size_t len;
	char *text;

	register_two();
	oa_error_clear(&err);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:10", number, &err), 0);
	assert_string_equal(number, "收文〔2026〕1号");
	assert_int_equal(step(1, OA_STEP_URGED, "2026-11-24 09:10", number, &err), 0);
	assert_string_equal(number, "");
	assert_int_equal(step(2, OA_STEP_REVIEWED, "2026-11-23 10:00", NULL, &err), 0);
	assert_int_equal(step(2, OA_STEP_SIGNED, "2026-11-23 11:00", NULL, &err), 0);
	assert_int_equal(step(2, OA_STEP_CHECKED, "2026-11-23 12:00", NULL, &err), 0);
	assert_int_equal(step(2, OA_STEP_REGISTERED, "2026-11-23 13:00", number, &err), 0);
	assert_string_equal(number, "示例办发〔2026〕1号");

	oa_error_clear(&err);
	if (oa_docjournal_load(&j, path, 1, &err) < 0)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	assert_int_equal(j.ndocs, 2);
	assert_int_equal(j.last_seq, 8);
	assert_int_equal(j.docs[0].step, OA_STEP_REGISTERED);
	assert_int_equal(j.docs[0].urged, 1);
	assert_string_equal(j.docs[0].updated, "2026-11-24 09:10");
	assert_string_equal(j.docs[0].number, "收文〔2026〕1号");
	assert_string_equal(j.docs[0].co, "财务科, 人事科");
	assert_int_equal(j.docs[0].deadline, day("2026-11-26"));
	assert_string_equal(j.docs[1].number, "示例办发〔2026〕1号");
	assert_int_equal(j.docs[1].step, OA_STEP_REGISTERED);
	/* Events kept for document 1 only; the note's line break became a space. */
	assert_int_equal(j.nevents, 3);
	assert_int_equal(j.events[1].seq, 3);
	assert_string_equal(j.events[1].number, "收文〔2026〕1号");
	assert_string_equal(j.events[2].note, "第一行 第二行");
	assert_ptr_equal(oa_docjournal_find(&j, "示例办发〔2026〕1号"), &j.docs[1]);
	assert_ptr_equal(oa_docjournal_find(&j, "2"), &j.docs[1]);
	assert_null(oa_docjournal_find(&j, "3"));
	assert_null(oa_docjournal_find(&j, "02"));
	oa_docjournal_release(&j);

	/* The second line of the file, written out by hand, then its chain value. */
	text = slurp(path, &len);
	{
		static const char body[] =
			"1,2026-11-23 09:00,1,签收,,,,收文,请示,关于经费的请示,市财政局,,,,2026-11-23,"
			"2026-11-26,,,,办公室,\"财务科, 人事科\",张局长,,";
		const char *at = strstr(text, "\n" "1,2026-11-23 09:00,1,");
		const char *nl;
		assert_non_null(at);
		at++;
		nl = strchr(at, '\n');
		assert_non_null(nl);
		assert_int_equal(nl - at, strlen(body) + 64);
		assert_memory_equal(at, body, strlen(body));
		assert_true(strncmp(text, HEADER_LINE "\n", strlen(HEADER_LINE) + 1) == 0);
	}
	free(text);
}

static void
test_illegal_step_untouched(void **state)
{
	oa_error err;
	size_t len1, len2;
	char *before, *after;

	register_two();
	before = slurp(path, &len1);
	oa_error_clear(&err);
	assert_int_equal(step(1, OA_STEP_COMPLETED, "2026-11-23 09:10", NULL, &err), -1);
	assert_string_equal(err.msg, "document 1 is at 签收; 办结 may not follow (next: 登记, 退回, 催办, 延期, 重算)");
	assert_int_equal(step(2, OA_STEP_REGISTERED, "2026-11-23 09:10", NULL, &err), -1);
	assert_int_equal(step(3, OA_STEP_URGED, "2026-11-23 09:10", NULL, &err), -1);
	after = slurp(path, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(before, after, len1);
	free(before);
	free(after);
}

static const char header[] =
	"seq,time,doc,step,actor,department,note,direction,type,title,issuer,ref,urgency,"
	"secrecy,received,deadline,keywords,code,number,lead,co,leader,circulate\n";
#define REG1 "1,2026-11-23 09:00,1,签收,,,,收文,请示,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n"
#define REG2 "2,2026-11-23 09:00,2,起草,,,,发文,报告,乙,,,,,2026-11-23,2026-11-26,,示例办发,,,,,\n"

static void
write_file(const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_damaged(void **state)
{
	static const struct {
		const char *body;
		long line;
		const char *msg;
	} cases[] = {
		{ REG1 "3,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文〔2026〕1号,,,,\n", 3,
		  "column 1 (seq): sequence number where 2 was due" },
		{ REG1 "2,2026-11-23 9:10,1,登记,,,,,,,,,,,,,,,收文〔2026〕1号,,,,\n", 3,
		  "column 2 (time): bad time" },
		{ REG1 "2,2026-11-23 09:10,1,盖章,,,,,,,,,,,,,,,,,,,\n", 3, "column 4 (step): unknown step" },
		{ REG1 "2,2026-11-23 09:10,1,办结,,,,,,,,,,,,,,,,,,,\n", 3,
		  "document 1 is at 签收; 办结 may not follow" },
		{ REG1 "2,2026-11-23 09:10,3,登记,,,,,,,,,,,,,,,,,,,\n", 3,
		  "column 3 (doc): not a registered document" },
		{ REG1 "2,2026-11-23 09:10,2,登记,,,,,,,,,,,,,,,,,,,\n", 3,
		  "document 2 is not registered: 登记 may not come first" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文〔2026〕2号,,,,\n", 3,
		  "column 19 (number): number 2 of its code and year follows 0" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文〔2025〕1号,,,,\n", 3,
		  "not of the year" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,,,,,\n", 3, "登记 without a number" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文[2026]1号,,,,\n", 3, "bad number" },
		{ REG1 "2,2026-11-23 09:10,1,催办,,,,,,甲,,,,,,,,,,,,\n", 3,
		  "column 10 (title): set by the registering record only" },
		{ REG1 REG2 "3,2026-11-23 09:10,2,审核,,,,,,,,,,,,,,,,,,,\n"
		  "4,2026-11-23 09:10,2,签发,,,,,,,,,,,,,,,,,,,\n"
		  "5,2026-11-23 09:10,2,复核,,,,,,,,,,,,,,,,,,,\n"
		  "6,2026-11-23 09:10,2,登记,,,,,,,,,,,,,,,别的发〔2026〕1号,,,,\n", 7,
		  "the number's code is not the document's code" },
		{ "2,2026-11-23 09:00,1,签收,,,,收文,请示,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n", 2,
		  "sequence number where 1 was due" },
		{ "1,2026-11-23 09:00,1,签收,,,,发文,请示,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n", 2,
		  "发文 document registered by 签收" },
		{ "1,2026-11-23 09:00,1,签收,,,,收文,公函,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n", 2,
		  "column 9 (type): bad type" },
		{ "1,2026-11-23 09:00,1,签收,,,,收文,请示,甲,,,,,2026-11-23,,,,,,,,\n", 2,
		  "column 16 (deadline): bad deadline" },
		{ "1,2026-11-23 09:00,1,签收,,,,收文,请示,\"甲,,,,,2026-11-23,,,,,,,,\n", 2, "" },
	};

	for (size_t i = 0; i < N(cases); i++) {
		char *text;
		oa_docjournal j;
		oa_error err;

		if (asprintf(&text, "%s%s", header, cases[i].body) < 0)
			fail();
		write_file(text);
		free(text);
		oa_error_clear(&err);
		assert_int_equal(oa_docjournal_load(&j, path, 0, &err), -1);
		oa_docjournal_release(&j);
		assert_string_equal(err.file, path);
		if (err.line != cases[i].line || strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: line %ld \"%s\", want line %ld \"%s\"", i, err.line, err.msg,
			         cases[i].line, cases[i].msg);
	}
	/* Not a journal at all. */
	write_file("name,value\na,b\n");
	{
		oa_docjournal j;
		oa_error err;
		oa_error_clear(&err);
		assert_int_equal(oa_docjournal_load(&j, path, 0, &err), -1);
		oa_docjournal_release(&j);
		assert_int_equal(err.line, 1);
		assert_non_null(strstr(err.msg, "not a doc-route journal"));
	}
}

/* Loads PATH expecting success; returns last_seq. */
static long
load_ok(oa_docjournal *j)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_docjournal_load(j, path, 0, &err) < 0)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	return j->last_seq;
}

static void
write_bytes(const char *p, const char *data, size_t len)
{
	FILE *fp = fopen(p, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static bool
exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* The name of the one file in dir whose name starts with PREFIX, or "". */
static void
find_aside(const char *prefix, char *out, size_t cap)
{
	char cmd[256];
	FILE *fp;

	snprintf(cmd, sizeof cmd, "ls -d '%s'/%s* 2>/dev/null", dir, prefix);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	out[0] = '\0';
	if (fgets(out, (int)cap, fp) != NULL)
		out[strcspn(out, "\n")] = '\0';
	pclose(fp);
}

static void
test_torn_tail(void **state)
{
	oa_docjournal j;
	oa_error err;
	char *before, *after, *text, aside[256];
	size_t len1, len2, len;
	static const char torn[] = "3,2026-11-23 09:30,1,初审,王";

	register_two();
	oa_error_clear(&err);
	before = slurp(path, &len1);
	{
		FILE *fp = fopen(path, "ab");
		assert_non_null(fp);
		fputs(torn, fp);
		fclose(fp);
	}
	/* Readers leave it out and say where it is. */
	assert_int_equal(load_ok(&j), 2);
	assert_int_equal(j.torn_line, 4);
	assert_false(j.unterminated);
	oa_docjournal_release(&j);
	/* The next writer moves it aside, never deletes it. */
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:20", NULL, &err), 0);
	find_aside("docs.journal.torn-", aside, sizeof aside);
	assert_true(aside[0] != '\0');
	text = slurp(aside, &len);
	assert_int_equal(len, strlen(torn));
	assert_memory_equal(text, torn, len);
	free(text);
	after = slurp(path, &len2);
	assert_true(len2 > len1);
	assert_memory_equal(before, after, len1); /* the old records, then the new one */
	assert_memory_equal(after + len1, "3,2026-11-23 09:20,1,登记,", 27);
	free(before);
	free(after);
	assert_int_equal(load_ok(&j), 3);
	assert_int_equal(j.torn_line, 0);
	oa_docjournal_release(&j);

	/* A torn record longer than the 64 KiB the reader looks back at once. */
	{
		FILE *fp = fopen(path, "ab");
		assert_non_null(fp);
		fputs("4,2026-11-23 09:30,1,初审,,,", fp);
		for (int i = 0; i < 100000; i++)
			fputc('x', fp);
		fclose(fp);
	}
	assert_int_equal(load_ok(&j), 3);
	assert_int_equal(j.torn_line, 5);
	assert_int_equal(j.docs[0].step, OA_STEP_REGISTERED);
	oa_docjournal_release(&j);
}

/* A complete last record without its line end is kept, and the next writer adds the line end. */
static void
test_unterminated_kept(void **state)
{
	oa_docjournal j;
	oa_error err;
	char number[256];
	char *text;
	size_t len;

	register_two();
	oa_error_clear(&err);
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:10", number, &err), 0);
	assert_string_equal(number, "收文〔2026〕1号");
	text = slurp(path, &len);
	assert_int_equal(text[len - 1], '\n');
	write_bytes(path, text, len - 1);
	assert_int_equal(load_ok(&j), 3);
	assert_true(j.unterminated);
	assert_int_equal(j.torn_line, 0);
	assert_string_equal(j.docs[0].number, "收文〔2026〕1号");
	oa_docjournal_release(&j);
	/* The number is not given again; the record stays. */
	assert_int_equal(step(1, OA_STEP_SCREENED, "2026-11-23 09:20", NULL, &err), 0);
	assert_int_equal(load_ok(&j), 4);
	assert_false(j.unterminated);
	assert_int_equal(j.docs[0].step, OA_STEP_SCREENED);
	oa_docjournal_release(&j);
	free(text);
	text = slurp(path, &len);
	assert_non_null(strstr(text, "\n4,2026-11-23 09:20,1,初审,"));
	free(text);
}

/* Records removed at the end, or the journal replaced: the state file tells. */
static void
test_shorter_than_state(void **state)
{
	oa_docjournal j;
	oa_error err;
	char *text, *last, sp[160], other[160];
	size_t len;

	register_two();
	oa_error_clear(&err);
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:10", NULL, &err), 0);
	snprintf(sp, sizeof sp, "%s.state", path);
	assert_true(exists(sp));
	{
		struct stat st;
		assert_int_equal(stat(sp, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	/* Drop the last line (the 登记): a consistent, shorter chain. */
	text = slurp(path, &len);
	text[len - 1] = '\0';
	last = strrchr(text, '\n');
	assert_non_null(last);
	write_bytes(path, text, (size_t)(last - text) + 1);
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), -1);
	oa_docjournal_release(&j);
	assert_non_null(strstr(err.msg, "has 2 records but its state file says 3"));
	/* ... and no writer numbers the document again. */
	oa_error_clear(&err);
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:30", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "records were removed"));
	/* The whole file gone, the state file left: also refused. */
	assert_int_equal(unlink(path), 0);
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), -1);
	oa_docjournal_release(&j);
	assert_non_null(strstr(err.msg, "missing but its state file"));
	/* Another consistent journal put in its place. */
	write_bytes(path, text, len - 1);
	text[0] = '\0';
	snprintf(other, sizeof other, "%s/other.journal", dir);
	{
		char *save = strdup(path);
		oa_doc d;
		oa_doc_change c;
		memcpy(path, other, sizeof path < sizeof other ? sizeof path : sizeof other);
		make_doc(&d, OA_DOC_IN, "另一份", OA_SECRECY_NONE);
		memset(&c, 0, sizeof c);
		c.newdoc = &d;
		c.time = at("2026-11-23 09:00");
		for (int k = 0; k < 3; k++) {
			free(d.title);
			d.title = strdup(k == 0 ? "另一份" : k == 1 ? "另两份" : "另三份");
			assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), 0);
		}
		oa_doc_release(&d);
		strncpy(path, save, sizeof path - 1);
		free(save);
	}
	assert_int_equal(rename(other, path), 0);
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), -1);
	oa_docjournal_release(&j);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "column 24 (chain): not the record 3 the state file knows"));
	free(text);
	/* Without a state file: read, and said. */
	assert_int_equal(unlink(sp), 0);
	assert_int_equal(load_ok(&j), 3);
	assert_true(j.state_missing);
	oa_docjournal_release(&j);
}

/*
 * Every byte of a chained journal, changed: the read fails at that line
 * (or, for the last line end, the state file says the record is missing),
 * and no message holds a word of the classified title.
 */
static void
test_every_change_detected(void **state)
{
	oa_doc d;
	oa_doc_change c;
	oa_error err;
	char *text, *copy;
	size_t len;
	static const char secret[] = "绝密标题词";

	make_doc(&d, OA_DOC_IN, "关于绝密标题词的通报", OA_SECRECY_TOP_SECRET);
	memset(&c, 0, sizeof c);
	c.newdoc = &d;
	c.time = at("2026-11-23 09:00");
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), 0);
	oa_doc_release(&d);
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:10", NULL, &err), 0);
	assert_int_equal(step(1, OA_STEP_SCREENED, "2026-11-23 09:20", NULL, &err), 0);
	text = slurp(path, &len);
	copy = malloc(len);
	for (size_t pos = 0; pos < len; pos++) {
		for (int bit = 0; bit < 8; bit += 7) {
			oa_docjournal j;
			long line = 1;

			for (size_t k = 0; k < pos; k++)
				line += text[k] == '\n';
			memcpy(copy, text, len);
			copy[pos] ^= (char)(1 << bit);
			write_bytes(path, copy, len);
			oa_error_clear(&err);
			if (oa_docjournal_load(&j, path, 0, &err) == 0)
				fail_msg("byte %zu bit %d changed, the journal still reads", pos, bit);
			oa_docjournal_release(&j);
			if (strstr(err.msg, secret) != NULL || strstr(err.msg, "绝密") != NULL)
				fail_msg("byte %zu: the message shows the title: %s", pos, err.msg);
			if (err.line != line && !(err.line == 0 && strstr(err.msg, "state file")))
				fail_msg("byte %zu (line %ld): error at line %ld: %s", pos, line, err.line,
				         err.msg);
			if (err.line > 1 && strncmp(err.msg, "column ", 7) != 0)
				fail_msg("byte %zu: no column named: %s", pos, err.msg);
		}
	}
	write_bytes(path, text, len);
	free(copy);
	free(text);
}

/* The writer refuses what the reader would reject; the journal stays as it was. */
static void
test_writer_refuses_unreadable(void **state)
{
	oa_doc_change c;
	oa_error err;
	char *before, *after;
	size_t len1, len2;
	oa_docjournal j;
	static const char *const bad[] = {
		"\xb5\xe7\xbb\xb0", /* 电话 in GBK */
		"a\x01z",
		"a\x7fz",
		"a\xc2\x85z",       /* U+0085, a C1 control */
	};

	register_two();
	before = slurp(path, &len1);
	for (size_t i = 0; i < N(bad); i++) {
		for (int field = 0; field < 3; field++) {
			memset(&c, 0, sizeof c);
			c.doc = 1;
			c.step = OA_STEP_URGED;
			c.time = at("2026-11-24 09:00");
			if (field == 0)
				c.note = bad[i];
			else if (field == 1)
				c.actor = bad[i];
			else
				c.department = bad[i];
			oa_error_clear(&err);
			assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), -1);
			assert_non_null(strstr(err.msg, field == 0 ? "--note" : field == 1 ? "--by"
			                                                               : "--department"));
			assert_non_null(strstr(err.msg, "nothing recorded"));
		}
	}
	/* A title longer than the reader takes. */
	{
		oa_doc d;
		size_t n = OA_JOURNAL_MAX_FIELD + 1;
		make_doc(&d, OA_DOC_IN, "", OA_SECRECY_NONE);
		free(d.title);
		d.title = malloc(n + 1);
		memset(d.title, 'a', n);
		d.title[n] = '\0';
		memset(&c, 0, sizeof c);
		c.newdoc = &d;
		c.time = at("2026-11-24 09:00");
		oa_error_clear(&err);
		assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), -1);
		assert_non_null(strstr(err.msg, "title: longer than"));
		oa_doc_release(&d);
	}
	after = slurp(path, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(before, after, len1);
	free(before);
	free(after);
	/* Tab, CR and LF become spaces, and read back so. */
	memset(&c, 0, sizeof c);
	c.doc = 1;
	c.step = OA_STEP_URGED;
	c.time = at("2026-11-24 09:00");
	c.note = "a\tb\r\nc";
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), 0);
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_load(&j, path, 1, &err), 0);
	assert_string_equal(j.events[j.nevents - 1].note, "a b  c");
	oa_docjournal_release(&j);
}

/* The same sheet registered twice is refused, unless again. */
static void
test_registered_twice(void **state)
{
	oa_doc d;
	oa_doc_change c;
	oa_error err;
	oa_docjournal_options opt;
	oa_docjournal j;

	register_two();
	make_doc(&d, OA_DOC_IN, "关于经费的请示", OA_SECRECY_NONE);
	memset(&c, 0, sizeof c);
	c.newdoc = &d;
	c.time = at("2026-11-23 10:00");
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "registered already as document 1 (same title, 来文机关 and date)"));
	assert_null(strstr(err.msg, "关于经费"));
	/* Another date: another document. */
	d.received = day("2026-11-20");
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), 0);
	assert_int_equal(c.assigned_doc, 3);
	/* With a reference: the issuer and reference decide, whatever the title. */
	free(d.ref);
	d.ref = strdup("市财发〔2026〕8号");
	free(d.title);
	d.title = strdup("关于甲的请示");
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), 0);
	free(d.title);
	d.title = strdup("关于乙的请示");
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "as document 4 (same 来文机关 and 来文字号)"));
	memset(&opt, 0, sizeof opt);
	opt.again = true;
	assert_int_equal(oa_docjournal_record(path, &c, 1, &opt, &err), 0);
	assert_int_equal(c.assigned_doc, 5);
	oa_doc_release(&d);
	assert_int_equal(load_ok(&j), 5);
	oa_docjournal_release(&j);
}

/* --at: not before the last step, not in the future, a number of another year noted. */
static void
test_step_times(void **state)
{
	oa_doc_change c;
	oa_error err;
	oa_docjournal_options opt;
	oa_docjournal_notes notes;
	oa_doc d;

	register_two();
	oa_error_clear(&err);
	/* Before the registration (09:00) of document 1; a year typo. */
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2025-11-23 09:10", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "comes before its last step (签收 at 2026-11-23 09:00)"));
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 08:59", NULL, &err), -1);
	/* In the future beyond the tolerance. */
	memset(&opt, 0, sizeof opt);
	memset(&notes, 0, sizeof notes);
	opt.now = at("2026-11-24 12:00");
	opt.future_minutes = 10;
	opt.notes = &notes;
	memset(&c, 0, sizeof c);
	c.doc = 1;
	c.step = OA_STEP_REGISTERED;
	c.time = at("2036-11-24 12:00");
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_record(path, &c, 1, &opt, &err), -1);
	assert_non_null(strstr(err.msg, "is in the future"));
	c.time = at("2026-11-24 12:11");
	assert_int_equal(oa_docjournal_record(path, &c, 1, &opt, &err), -1);
	c.time = at("2026-11-24 12:10");
	assert_int_equal(oa_docjournal_record(path, &c, 1, &opt, &err), 0);
	assert_string_equal(c.number, "收文〔2026〕1号");
	assert_int_equal(notes.nwarnings, 0);
	/* Registered in a year before the document's date: a year typo. */
	make_doc(&d, OA_DOC_IN, "关于明年的通知", OA_SECRECY_NONE);
	d.received = day("2026-12-31");
	memset(&c, 0, sizeof c);
	c.newdoc = &d;
	c.time = at("2025-12-31 09:00");
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "is in a year before the document's date 2026-12-31"));
	/* Received on 31 December, numbered on 4 January: right, and said. */
	c.time = at("2026-12-31 16:00");
	assert_int_equal(oa_docjournal_record(path, &c, 1, NULL, &err), 0);
	oa_doc_release(&d);
	/* Earlier in the same year: recorded, with a warning. */
	make_doc(&d, OA_DOC_IN, "关于后天的通知", OA_SECRECY_NONE);
	d.received = day("2026-12-31");
	memset(&c, 0, sizeof c);
	c.newdoc = &d;
	c.time = at("2026-12-30 09:00");
	memset(&notes, 0, sizeof notes);
	opt.now = 0;
	assert_int_equal(oa_docjournal_record(path, &c, 1, &opt, &err), 0);
	assert_int_equal(notes.nwarnings, 1);
	assert_non_null(strstr(notes.warnings[0].msg, "comes before the document's date 2026-12-31"));
	oa_doc_release(&d);
	memset(&c, 0, sizeof c);
	c.doc = 3;
	c.step = OA_STEP_REGISTERED;
	c.time = at("2027-01-04 09:00");
	memset(&notes, 0, sizeof notes);
	opt.now = 0;
	assert_int_equal(oa_docjournal_record(path, &c, 1, &opt, &err), 0);
	assert_string_equal(c.number, "收文〔2027〕1号");
	assert_int_equal(notes.nwarnings, 1);
	assert_non_null(strstr(notes.warnings[0].msg, "dated 2026 but numbered 收文〔2027〕1号"));
}

/* An old journal (no chain column): read, not written, sealed once. */
static void
test_old_journal_sealed(void **state)
{
	static const char old_header[] =
		"seq,time,doc,step,actor,department,note,direction,type,title,issuer,ref,urgency,"
		"secrecy,received,deadline,keywords,code,number,lead,co,leader,circulate\n";
	char *text, *old, kept[256], sp[160];
	size_t len, oldlen;
	oa_docjournal j;
	oa_error err;

	if (asprintf(&old, "%s" REG1 "2,2026-11-23 09:10,1,登记,\"王,秘书\",,a\tb,,,,,,,,,,,,"
	                   "收文〔2026〕1号,,,,\n", old_header) < 0)
		fail();
	oldlen = strlen(old);
	write_file(old);
	assert_int_equal(load_ok(&j), 2);
	assert_false(j.chained);
	oa_docjournal_release(&j);
	oa_error_clear(&err);
	assert_int_equal(step(1, OA_STEP_SCREENED, "2026-11-23 09:20", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "verify --seal"));
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_seal(path, NULL, kept, sizeof kept, &err), 0);
	assert_non_null(strstr(kept, "docs.journal.unchained"));
	text = slurp(kept, &len);
	assert_int_equal(len, oldlen);
	assert_memory_equal(text, old, len);
	free(text);
	assert_int_equal(load_ok(&j), 2);
	assert_true(j.chained);
	assert_false(j.state_missing);
	assert_string_equal(j.docs[0].number, "收文〔2026〕1号");
	oa_docjournal_release(&j);
	snprintf(sp, sizeof sp, "%s.state", path);
	text = slurp(sp, &len);
	assert_non_null(strstr(text, "records 2\n"));
	assert_non_null(strstr(text, "sealed "));
	free(text);
	/* Sealing again does nothing. */
	assert_int_equal(oa_docjournal_seal(path, NULL, kept, sizeof kept, &err), 0);
	assert_string_equal(kept, "");
	assert_int_equal(step(1, OA_STEP_SCREENED, "2026-11-23 09:20", NULL, &err), 0);
	assert_int_equal(load_ok(&j), 3);
	oa_docjournal_release(&j);
	free(old);
}

static void
test_missing_is_empty(void **state)
{
	oa_docjournal j;
	oa_error err;

	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), 0);
	assert_int_equal(j.ndocs, 0);
	oa_docjournal_release(&j);
}

/* Several processes number documents at once: one gap-free sequence. */
#define PROCS 4
#define PER_PROC 6

static void
test_concurrent_numbering(void **state)
{
	oa_docjournal j;
	oa_error err;
	oa_doc docs[PROCS * PER_PROC];
	oa_doc_change c[PROCS * PER_PROC];
	pid_t pids[PROCS];
	bool seen[PROCS * PER_PROC + 1];

	/* Register outgoing documents, and bring each to 复核. */
	memset(c, 0, sizeof c);
	for (int i = 0; i < PROCS * PER_PROC; i++) {
		char title[32];
		snprintf(title, sizeof title, "稿%d", i + 1);
		make_doc(&docs[i], OA_DOC_OUT, title, OA_SECRECY_NONE);
		c[i].newdoc = &docs[i];
		c[i].time = at("2026-11-23 09:00");
	}
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_record(path, c, PROCS * PER_PROC, NULL, &err), 0);
	for (int i = 0; i < PROCS * PER_PROC; i++) {
		oa_doc_release(&docs[i]);
		assert_int_equal(step(i + 1, OA_STEP_REVIEWED, "2026-11-23 10:00", NULL, &err), 0);
		assert_int_equal(step(i + 1, OA_STEP_SIGNED, "2026-11-23 10:00", NULL, &err), 0);
		assert_int_equal(step(i + 1, OA_STEP_CHECKED, "2026-11-23 10:00", NULL, &err), 0);
	}
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0) {
			int bad = 0;
			for (int k = 0; k < PER_PROC; k++) {
				oa_doc_change one;
				oa_error e;
				memset(&one, 0, sizeof one);
				one.doc = p * PER_PROC + k + 1;
				one.step = OA_STEP_REGISTERED;
				one.time = at("2026-11-23 11:00");
				oa_error_clear(&e);
				if (oa_docjournal_record(path, &one, 1, NULL, &e) < 0)
					bad = 1;
			}
			_exit(bad);
		}
	}
	for (int p = 0; p < PROCS; p++) {
		int st;
		assert_int_equal(waitpid(pids[p], &st, 0), pids[p]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	oa_error_clear(&err);
	if (oa_docjournal_load(&j, path, 0, &err) < 0)
		fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < j.ndocs; i++) {
		const char *code;
		size_t code_len;
		int year;
		long seq;
		assert_int_equal(oa_number_parse(j.docs[i].number, &code, &code_len, &year, &seq), 0);
		assert_true(seq >= 1 && seq <= PROCS * PER_PROC);
		assert_false(seen[seq]);
		seen[seq] = true;
	}
	assert_int_equal(j.last_seq, PROCS * PER_PROC * 5);
	oa_docjournal_release(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_illegal_step_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unterminated_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shorter_than_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_change_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_refuses_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registered_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_journal_sealed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_numbering, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
