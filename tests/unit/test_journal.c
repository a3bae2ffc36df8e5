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

	/* The second line of the file, written out by hand. */
	text = slurp(path, &len);
	assert_non_null(strstr(text,
		"\n1,2026-11-23 09:00,1,签收,,,,收文,请示,关于经费的请示,市财政局,,,,2026-11-23,"
		"2026-11-26,,,,办公室,\"财务科, 人事科\",张局长,\n"));
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
		  "sequence number \"3\" where 2 was due" },
		{ REG1 "2,2026-11-23 9:10,1,登记,,,,,,,,,,,,,,,收文〔2026〕1号,,,,\n", 3,
		  "bad time" },
		{ REG1 "2,2026-11-23 09:10,1,盖章,,,,,,,,,,,,,,,,,,,\n", 3, "unknown step \"盖章\"" },
		{ REG1 "2,2026-11-23 09:10,1,办结,,,,,,,,,,,,,,,,,,,\n", 3,
		  "document 1 is at 签收; 办结 may not follow" },
		{ REG1 "2,2026-11-23 09:10,3,登记,,,,,,,,,,,,,,,,,,,\n", 3,
		  "document \"3\" is not registered" },
		{ REG1 "2,2026-11-23 09:10,2,登记,,,,,,,,,,,,,,,,,,,\n", 3,
		  "document 2 is not registered: 登记 may not come first" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文〔2026〕2号,,,,\n", 3,
		  "number 2 of 收文〔2026〕 follows 0" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文〔2025〕1号,,,,\n", 3,
		  "not of the year" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,,,,,\n", 3, "登记 without a number" },
		{ REG1 "2,2026-11-23 09:10,1,登记,,,,,,,,,,,,,,,收文[2026]1号,,,,\n", 3, "bad number" },
		{ REG1 "2,2026-11-23 09:10,1,催办,,,,,,甲,,,,,,,,,,,,\n", 3,
		  "column title is set by the registering record only" },
		{ REG1 REG2 "3,2026-11-23 09:10,2,审核,,,,,,,,,,,,,,,,,,,\n"
		  "4,2026-11-23 09:10,2,签发,,,,,,,,,,,,,,,,,,,\n"
		  "5,2026-11-23 09:10,2,复核,,,,,,,,,,,,,,,,,,,\n"
		  "6,2026-11-23 09:10,2,登记,,,,,,,,,,,,,,,别的发〔2026〕1号,,,,\n", 7,
		  "number code \"别的发\" is not the document's \"示例办发\"" },
		{ "2,2026-11-23 09:00,1,签收,,,,收文,请示,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n", 2,
		  "sequence number \"2\" where 1 was due" },
		{ "1,2026-11-23 09:00,1,签收,,,,发文,请示,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n", 2,
		  "发文 document registered by 签收" },
		{ "1,2026-11-23 09:00,1,签收,,,,收文,公函,甲,,,,,2026-11-23,2026-11-26,,,,,,,\n", 2,
		  "bad type" },
		{ "1,2026-11-23 09:00,1,签收,,,,收文,请示,甲,,,,,2026-11-23,,,,,,,,\n", 2,
		  "bad deadline" },
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

static void
test_torn_tail(void **state)
{
	oa_docjournal j;
	oa_error err;
	char *text;
	size_t len;

	/* A record cut off mid-write: readers ignore it, the next writer drops it. */
	if (asprintf(&text, "%s" REG1 "2,2026-11-23 09:10,1,登", header) < 0)
		fail();
	write_file(text);
	free(text);
	oa_error_clear(&err);
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), 0);
	assert_int_equal(j.last_seq, 1);
	oa_docjournal_release(&j);
	assert_int_equal(step(1, OA_STEP_REGISTERED, "2026-11-23 09:20", NULL, &err), 0);
	text = slurp(path, &len);
	assert_non_null(strstr(text, REG1 "2,2026-11-23 09:20,1,登记,王秘书,,第一行 第二行,"));
	free(text);
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), 0);
	assert_int_equal(j.last_seq, 2);
	oa_docjournal_release(&j);

	/* A torn record longer than the 64 KiB the reader looks back at once. */
	{
		FILE *fp = fopen(path, "ab");
		assert_non_null(fp);
		fputs("3,2026-11-23 09:30,1,初审,,,", fp);
		for (int i = 0; i < 100000; i++)
			fputc('x', fp);
		fclose(fp);
	}
	assert_int_equal(oa_docjournal_load(&j, path, 0, &err), 0);
	assert_int_equal(j.last_seq, 2);
	assert_int_equal(j.docs[0].step, OA_STEP_REGISTERED);
	oa_docjournal_release(&j);
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
		make_doc(&docs[i], OA_DOC_OUT, "稿", OA_SECRECY_NONE);
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
		cmocka_unit_test_setup_teardown(test_missing_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_numbering, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
