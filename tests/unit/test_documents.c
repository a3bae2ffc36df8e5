/*
 * test_documents.c - document elements, step names, the transition table,
 * deadlines and the documents CSV (documents.h), and 发文字号 (numbering.h).
 *
 * Calendar facts used (worked out by hand): 2026-11-23 is a Monday, so +1
 * working day is Tue 11-24, +3 is Thu 11-26, +7 is Wed 12-02 (Sat 28, Sun 29
 * skipped).  With 10-01..10-07 as holidays and Sat 10-10 worked, 2026-09-30
 * (Wed) + 1 working day is Thu 10-08; + 3 is Thu 10-08, Fri 10-09, Sat 10-10
 * (调休), so Sat 10-10.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "documents.h"
#include "numbering.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static oa_date
d(const char *s)
{
	oa_date out;

	assert_int_equal(oa_date_parse(s, strlen(s), &out), 0);
	return out;
}

static void
test_step_names(void **state)
{
	assert_int_equal(oa_step_parse("签收", strlen("签收")), OA_STEP_RECEIVED);
	assert_int_equal(oa_step_parse("registered", 10), OA_STEP_REGISTERED);
	assert_int_equal(oa_step_parse("Registered", 10), OA_STEP_REGISTERED);
	assert_int_equal(oa_step_parse(" 核发 ", strlen(" 核发 ")), OA_STEP_ISSUED);
	assert_int_equal(oa_step_parse("urged", 5), OA_STEP_URGED);
	assert_int_equal(oa_step_parse("催办", strlen("催办")), OA_STEP_URGED);
	assert_int_equal(oa_step_parse("签", strlen("签")), OA_STEP_NONE);
	assert_int_equal(oa_step_parse("done", 4), OA_STEP_NONE);
	assert_int_equal(oa_step_parse("", 0), OA_STEP_NONE);
	/* Every step's names parse back to it. */
	for (int s = 1; s < OA_STEP_COUNT; s++) {
		const char *zh = oa_step_name((oa_doc_step)s), *en = oa_step_english((oa_doc_step)s);
		assert_int_equal(oa_step_parse(zh, strlen(zh)), s);
		assert_int_equal(oa_step_parse(en, strlen(en)), s);
	}
}

/* The whole incoming path, and the whole outgoing path with both loops. */
static void
test_legal_paths(void **state)
{
	static const oa_doc_step in[] = {
		OA_STEP_RECEIVED, OA_STEP_REGISTERED, OA_STEP_SCREENED, OA_STEP_PROPOSED,
		OA_STEP_INSTRUCTED, OA_STEP_HANDLED, OA_STEP_CIRCULATED, OA_STEP_CIRCULATED,
		OA_STEP_COMPLETED, OA_STEP_ARCHIVED,
	};
	static const oa_doc_step out[] = {
		OA_STEP_DRAFTED, OA_STEP_REVIEWED, OA_STEP_DRAFTED, OA_STEP_REVIEWED,
		OA_STEP_SIGNED, OA_STEP_CHECKED, OA_STEP_SIGNED, OA_STEP_CHECKED,
		OA_STEP_REGISTERED, OA_STEP_PRINTED, OA_STEP_ISSUED, OA_STEP_ARCHIVED,
	};
	oa_doc_step cur = OA_STEP_NONE;

	for (size_t i = 0; i < N(in); i++) {
		assert_true(oa_step_legal(OA_DOC_IN, cur, in[i]));
		cur = in[i];
	}
	assert_true(oa_step_done(OA_DOC_IN, cur));
	cur = OA_STEP_NONE;
	for (size_t i = 0; i < N(out); i++) {
		assert_true(oa_step_legal(OA_DOC_OUT, cur, out[i]));
		cur = out[i];
	}
	assert_true(oa_step_done(OA_DOC_OUT, cur));
}

static void
test_illegal_steps(void **state)
{
	/* Skipping ahead, going back where not allowed, the wrong direction. */
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_NONE, OA_STEP_DRAFTED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_NONE, OA_STEP_RECEIVED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_RECEIVED, OA_STEP_SCREENED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_REGISTERED, OA_STEP_REGISTERED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_INSTRUCTED, OA_STEP_COMPLETED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_RETURNED, OA_STEP_ARCHIVED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_HANDLED, OA_STEP_ARCHIVED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_DRAFTED, OA_STEP_SIGNED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_SIGNED, OA_STEP_REGISTERED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_REGISTERED, OA_STEP_ISSUED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_CHECKED, OA_STEP_SCREENED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_ARCHIVED, OA_STEP_DRAFTED));
	/* Returned is an end. */
	assert_true(oa_step_legal(OA_DOC_IN, OA_STEP_SCREENED, OA_STEP_RETURNED));
	assert_true(oa_step_done(OA_DOC_IN, OA_STEP_RETURNED));
	for (int s = 1; s < OA_STEP_COUNT; s++)
		assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_RETURNED, (oa_doc_step)s));
}

/*
 * Handling as offices do it (条例 2012 and practice), refused before:
 * 拟办 -> 承办 without 批办; 传阅 of a document to be read only; 答复;
 * a second 审核; 签发 sent back to 起草, directly or by 退回; 改办.
 */
static void
test_real_handling(void **state)
{
	static const oa_doc_step in_no_leader[] = {
		OA_STEP_RECEIVED, OA_STEP_REGISTERED, OA_STEP_SCREENED, OA_STEP_PROPOSED,
		OA_STEP_HANDLED, OA_STEP_REPLIED, OA_STEP_COMPLETED, OA_STEP_ARCHIVED,
	};
	static const oa_doc_step in_read_only[] = {
		OA_STEP_RECEIVED, OA_STEP_REGISTERED, OA_STEP_SCREENED, OA_STEP_CIRCULATED,
		OA_STEP_CIRCULATED, OA_STEP_COMPLETED,
	};
	static const oa_doc_step in_reassigned[] = {
		OA_STEP_RECEIVED, OA_STEP_REGISTERED, OA_STEP_PROPOSED, OA_STEP_INSTRUCTED,
		OA_STEP_INSTRUCTED, OA_STEP_HANDLED, OA_STEP_REASSIGNED, OA_STEP_HANDLED,
		OA_STEP_COMPLETED,
	};
	static const oa_doc_step out_returns[] = {
		OA_STEP_DRAFTED, OA_STEP_REVIEWED, OA_STEP_REVIEWED, OA_STEP_SIGNED,
		OA_STEP_DRAFTED, OA_STEP_REVIEWED, OA_STEP_SIGNED, OA_STEP_RETURNED,
		OA_STEP_DRAFTED, OA_STEP_REVIEWED, OA_STEP_SIGNED, OA_STEP_CHECKED,
		OA_STEP_REGISTERED, OA_STEP_PRINTED, OA_STEP_ISSUED,
	};
	const struct { oa_doc_direction dir; const oa_doc_step *v; size_t n; } paths[] = {
		{ OA_DOC_IN, in_no_leader, N(in_no_leader) },
		{ OA_DOC_IN, in_read_only, N(in_read_only) },
		{ OA_DOC_IN, in_reassigned, N(in_reassigned) },
		{ OA_DOC_OUT, out_returns, N(out_returns) },
	};

	for (size_t p = 0; p < N(paths); p++) {
		oa_doc_step cur = OA_STEP_NONE;
		for (size_t i = 0; i < paths[p].n; i++) {
			if (!oa_step_legal(paths[p].dir, cur, paths[p].v[i]))
				fail_msg("path %zu: %s after %s refused", p, oa_step_name(paths[p].v[i]),
				         oa_step_name(cur));
			cur = paths[p].v[i];
		}
		assert_true(oa_step_done(paths[p].dir, cur));
	}
	/* An outgoing 退回 is sent back for redrafting, not an end. */
	assert_false(oa_step_done(OA_DOC_OUT, OA_STEP_RETURNED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_RETURNED, OA_STEP_SIGNED));
	/* Still refused: 答复 before anything was handled, 改办 after 办结. */
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_SCREENED, OA_STEP_REPLIED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_COMPLETED, OA_STEP_REASSIGNED));
	/* The events keep the state: 延期 and 重算 like 催办. */
	assert_true(oa_step_is_event(OA_STEP_EXTENDED));
	assert_true(oa_step_is_event(OA_STEP_RECOMPUTED));
	assert_false(oa_step_is_event(OA_STEP_REPLIED));
	assert_true(oa_step_legal(OA_DOC_IN, OA_STEP_HANDLED, OA_STEP_EXTENDED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_COMPLETED, OA_STEP_EXTENDED));
}

static void
test_urging(void **state)
{
	/* 催办 at any open step, not before registration, not when done. */
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_NONE, OA_STEP_URGED));
	assert_true(oa_step_legal(OA_DOC_IN, OA_STEP_RECEIVED, OA_STEP_URGED));
	assert_true(oa_step_legal(OA_DOC_IN, OA_STEP_HANDLED, OA_STEP_URGED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_COMPLETED, OA_STEP_URGED));
	assert_false(oa_step_legal(OA_DOC_IN, OA_STEP_ARCHIVED, OA_STEP_URGED));
	assert_true(oa_step_legal(OA_DOC_OUT, OA_STEP_PRINTED, OA_STEP_URGED));
	assert_false(oa_step_legal(OA_DOC_OUT, OA_STEP_ISSUED, OA_STEP_URGED));
}

static void
test_legal_list(void **state)
{
	char buf[128];

	oa_step_legal_list(OA_DOC_IN, OA_STEP_SCREENED, buf, sizeof buf);
	assert_string_equal(buf, "退回, 拟办, 承办, 传阅, 催办, 延期, 重算");
	oa_step_legal_list(OA_DOC_OUT, OA_STEP_CHECKED, buf, sizeof buf);
	assert_string_equal(buf, "登记, 退回, 起草, 签发, 催办, 延期, 重算");
	oa_step_legal_list(OA_DOC_IN, OA_STEP_ARCHIVED, buf, sizeof buf);
	assert_string_equal(buf, "none");
}

static void
test_element_parsers(void **state)
{
	oa_doc_direction dir;
	oa_urgency u;
	oa_secrecy s;
	int t;

	assert_int_equal(oa_doc_parse_direction("收文", strlen("收文"), &dir), 0);
	assert_int_equal(dir, OA_DOC_IN);
	assert_int_equal(oa_doc_parse_direction("OUT", 3, &dir), 0);
	assert_int_equal(dir, OA_DOC_OUT);
	assert_int_equal(oa_doc_parse_direction("内部", strlen("内部"), &dir), -1);

	assert_int_equal(oa_doc_parse_type("函", strlen("函"), &t), 0);
	assert_string_equal(oa_doc_types[t], "函");
	assert_int_equal(oa_doc_parse_type("Minutes", 7, &t), 0);
	assert_string_equal(oa_doc_types[t], "纪要");
	assert_int_equal(oa_doc_parse_type("公函", strlen("公函"), &t), -1);
	assert_int_equal(oa_doc_parse_type("会议纪要", strlen("会议纪要"), &t), -1);

	assert_int_equal(oa_doc_parse_urgency("", 0, &u), 0);
	assert_int_equal(u, OA_URGENCY_NONE);
	assert_int_equal(oa_doc_parse_urgency("特急", strlen("特急"), &u), 0);
	assert_int_equal(u, OA_URGENCY_IMMEDIATE);
	assert_int_equal(oa_doc_parse_urgency(" 加急\u3000", strlen(" 加急\u3000"), &u), 0);
	assert_int_equal(u, OA_URGENCY_URGENT);
	assert_int_equal(oa_doc_parse_urgency("急", strlen("急"), &u), -1);

	assert_int_equal(oa_doc_parse_secrecy("机密★1年", strlen("机密★1年"), &s), 0);
	assert_int_equal(s, OA_SECRECY_SECRET);
	assert_int_equal(oa_doc_parse_secrecy("绝密", strlen("绝密"), &s), 0);
	assert_int_equal(s, OA_SECRECY_TOP_SECRET);
	assert_int_equal(oa_doc_parse_secrecy("秘密", strlen("秘密"), &s), 0);
	assert_int_equal(s, OA_SECRECY_CONFIDENTIAL);
	assert_int_equal(oa_doc_parse_secrecy("无", strlen("无"), &s), 0);
	assert_int_equal(s, OA_SECRECY_NONE);
	assert_int_equal(oa_doc_parse_secrecy("内部", strlen("内部"), &s), -1);
}

static void
test_title_withheld(void **state)
{
	oa_doc doc;

	memset(&doc, 0, sizeof doc);
	doc.title = "关于某事项的通报";
	doc.secrecy = OA_SECRECY_SECRET;
	assert_string_equal(oa_doc_title_shown(&doc, false), OA_DOC_TITLE_WITHHELD);
	assert_string_equal(oa_doc_title_shown(&doc, true), "关于某事项的通报");
	doc.secrecy = OA_SECRECY_TOP_SECRET;
	assert_string_equal(oa_doc_title_shown(&doc, false), OA_DOC_TITLE_WITHHELD);
	doc.secrecy = OA_SECRECY_CONFIDENTIAL; /* 秘密 titles may be shown */
	assert_string_equal(oa_doc_title_shown(&doc, false), "关于某事项的通报");
}

static void
test_deadlines(void **state)
{
	oa_calendar cal;
	oa_doc_limits lim = { { 7, 3, 1 } };
	oa_error err;

	oa_calendar_init(&cal);
	assert_int_equal(oa_doc_deadline(&lim, &cal, d("2026-11-23"), OA_URGENCY_IMMEDIATE),
	                 d("2026-11-24"));
	assert_int_equal(oa_doc_deadline(&lim, &cal, d("2026-11-23"), OA_URGENCY_URGENT),
	                 d("2026-11-26"));
	assert_int_equal(oa_doc_deadline(&lim, &cal, d("2026-11-23"), OA_URGENCY_NONE),
	                 d("2026-12-02"));
	oa_calendar_release(&cal);

	oa_calendar_init(&cal);
	oa_error_clear(&err);
	assert_int_equal(oa_calendar_parse_dates("2026-10-01..2026-10-07", &cal.holidays,
	                                         &cal.nholidays, &err), 0);
	assert_int_equal(oa_calendar_parse_dates("2026-10-10", &cal.extra_workdays, &cal.nextra,
	                                         &err), 0);
	assert_int_equal(oa_doc_deadline(&lim, &cal, d("2026-09-30"), OA_URGENCY_IMMEDIATE),
	                 d("2026-10-08"));
	assert_int_equal(oa_doc_deadline(&lim, &cal, d("2026-09-30"), OA_URGENCY_URGENT),
	                 d("2026-10-10"));
	oa_calendar_release(&cal);
}

static void
test_due(void **state)
{
	oa_doc doc;

	memset(&doc, 0, sizeof doc);
	doc.direction = OA_DOC_IN;
	doc.step = OA_STEP_HANDLED;
	doc.deadline = d("2026-11-26");
	/* as of the deadline itself: not overdue; the day after: overdue */
	assert_int_equal(oa_doc_due(&doc, d("2026-11-26"), d("2026-11-25")), OA_DUE_OK);
	assert_int_equal(oa_doc_due(&doc, d("2026-11-27"), d("2026-11-26")), OA_DUE_OVERDUE);
	assert_int_equal(oa_doc_due(&doc, d("2026-11-24"), d("2026-11-26")), OA_DUE_SOON);
	assert_int_equal(oa_doc_due(&doc, d("2026-11-24"), d("2026-11-25")), OA_DUE_OK);
	doc.step = OA_STEP_COMPLETED; /* done: never late */
	assert_int_equal(oa_doc_due(&doc, d("2026-12-27"), d("2026-12-26")), OA_DUE_OK);
}

/*
 * As of Fri 2026-11-27 with --soon 1 (until Mon 11-30): F (办公室, due Thu
 * 11-26) 1 working day late; C (办公室, due Mon 11-30) 1 left; A (财务科, due
 * 11-26) 1 late; B (no lead, due Tue 11-24) 3 late (25, 26, 27); D and E
 * are done.  Byte order: 办 (e5) < 财 (e8) < （ (ef).
 */
static void
test_overdue_list(void **state)
{
	static const struct {
		const char *name, *lead, *deadline;
		oa_doc_direction dir;
		oa_doc_step step;
	} in[] = {
		{ "A", "财务科", "2026-11-26", OA_DOC_IN, OA_STEP_HANDLED },
		{ "B", "", "2026-11-24", OA_DOC_IN, OA_STEP_REGISTERED },
		{ "C", "办公室", "2026-11-30", OA_DOC_IN, OA_STEP_PROPOSED },
		{ "D", "办公室", "2026-11-20", OA_DOC_IN, OA_STEP_COMPLETED },
		{ "E", "办公室", "2026-11-25", OA_DOC_OUT, OA_STEP_ISSUED },
		{ "F", "办公室", "2026-11-26", OA_DOC_OUT, OA_STEP_DRAFTED },
	};
	static const struct {
		const char *name, *dept;
		oa_due due;
		long days;
	} want[] = {
		{ "F", "办公室", OA_DUE_OVERDUE, 1 },
		{ "C", "办公室", OA_DUE_SOON, 1 },
		{ "A", "财务科", OA_DUE_OVERDUE, 1 },
		{ "B", OA_DOC_UNASSIGNED, OA_DUE_OVERDUE, 3 },
	};
	oa_doc docs[N(in)];
	oa_calendar cal;
	oa_overdue *v;
	oa_error err;

	oa_calendar_init(&cal);
	memset(docs, 0, sizeof docs);
	for (size_t i = 0; i < N(in); i++) {
		docs[i].id = (long)i + 1;
		docs[i].title = (char *)in[i].name;
		docs[i].lead = (char *)in[i].lead;
		docs[i].direction = in[i].dir;
		docs[i].step = in[i].step;
		docs[i].deadline = d(in[i].deadline);
	}
	oa_error_clear(&err);
	assert_int_equal(oa_docs_overdue(docs, N(in), &cal, d("2026-11-27"), 1, &v, &err),
	                 (long)N(want));
	for (size_t i = 0; i < N(want); i++) {
		assert_string_equal(v[i].doc->title, want[i].name);
		assert_string_equal(v[i].department, want[i].dept);
		assert_int_equal(v[i].due, want[i].due);
		assert_int_equal(v[i].days, want[i].days);
	}
	free(v);
	/* Without --soon, C is not listed; as of the 24th nothing is late. */
	assert_int_equal(oa_docs_overdue(docs, N(in), &cal, d("2026-11-27"), -1, &v, &err), 3);
	free(v);
	assert_int_equal(oa_docs_overdue(docs, N(in), &cal, d("2026-11-24"), -1, &v, &err), 0);
	assert_null(v);
	oa_calendar_release(&cal);
}

static const char docs_csv[] =
	"\xef\xbb\xbf" "文种,标题,收发,紧急程度,密级,收文日期,办理期限,备注\n"
	"请示,关于经费的请示,收文,加急,,2026-11-23,,x\n"
	"报告,关于工作的报告,发文,,,2026-11-23,2026-12-31,\n";

static int
read_string(const char *text, oa_doc **docs, size_t *n, oa_error *err)
{
	char path[] = "/tmp/test_documents_XXXXXX";
	int fd = mkstemp(path);
	oa_calendar cal;
	oa_doc_limits lim = { { 7, 3, 1 } };
	int rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	oa_calendar_init(&cal);
	rc = oa_docs_read(path, NULL, &lim, &cal, d("2026-11-20"), "示例办发", docs, n, err);
	oa_calendar_release(&cal);
	unlink(path);
	return rc;
}

static void
test_docs_read(void **state)
{
	oa_doc *docs;
	size_t n;
	oa_error err;

	oa_error_clear(&err);
	assert_int_equal(read_string(docs_csv, &docs, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(docs[0].direction, OA_DOC_IN);
	assert_string_equal(docs[0].title, "关于经费的请示");
	assert_int_equal(docs[0].urgency, OA_URGENCY_URGENT);
	assert_int_equal(docs[0].deadline, d("2026-11-26"));
	assert_string_equal(docs[0].code, "");
	assert_int_equal(docs[1].direction, OA_DOC_OUT);
	assert_string_equal(docs[1].code, "示例办发");
	assert_int_equal(docs[1].deadline, d("2026-12-31"));
	oa_docs_free(docs, n);
}

static void
test_docs_read_errors(void **state)
{
	static const struct {
		const char *csv;
		long line;
		const char *msg;
	} cases[] = {
		{ "类型,标题\n请示,a\n公函,b\n", 3, "type \"公函\"" },
		{ "类型,标题,紧急程度\n请示,a,急\n", 2, "urgency \"急\"" },
		{ "类型,标题,收文日期\n请示,a,2026-02-30\n", 2, "received date" },
		{ "类型,标题,收文日期,办理期限\n请示,a,2026-11-20,2026-11-19\n", 2, "before" },
		{ "类型,标题\n请示,\n", 2, "title is empty" },
		{ "标题\na\n", 1, "type" },
	};

	for (size_t i = 0; i < N(cases); i++) {
		oa_doc *docs;
		size_t n;
		oa_error err;

		oa_error_clear(&err);
		assert_int_equal(read_string(cases[i].csv, &docs, &n, &err), -1);
		assert_int_equal(err.line, cases[i].line);
		if (strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
		assert_null(docs);
	}
}

static void
test_number_format(void **state)
{
	char buf[64];
	const char *code;
	size_t code_len;
	int year;
	long seq;

	assert_int_equal(oa_number_format(buf, sizeof buf, "郴地税办发", 2026, 12),
	                 (int)strlen("郴地税办发〔2026〕12号"));
	assert_string_equal(buf, "郴地税办发\xe3\x80\x94" "2026\xe3\x80\x95" "12号");
	/* 4 CJK (12 bytes) + 〔 (3) + 2026 + 〕 (3) + 1 + 号 (3) = 26 bytes */
	assert_int_equal(oa_number_format(buf, sizeof buf, "示例办发", 2026, 1), 26);
	assert_string_equal(buf, "示例办发〔2026〕1号");
	assert_int_equal(oa_number_format(buf, 8, "示例办发", 2026, 1), -1);

	assert_int_equal(oa_number_parse("郴地税办发〔2026〕12号", &code, &code_len, &year, &seq), 0);
	assert_int_equal(code_len, strlen("郴地税办发"));
	assert_int_equal(year, 2026);
	assert_int_equal(seq, 12);
	/* padding, 第, ASCII or other brackets, missing 号 are not 发文字号 */
	assert_int_equal(oa_number_parse("示例办发〔2026〕012号", &code, &code_len, &year, &seq), -1);
	assert_int_equal(oa_number_parse("示例办发〔2026〕第12号", &code, &code_len, &year, &seq), -1);
	assert_int_equal(oa_number_parse("示例办发[2026]12号", &code, &code_len, &year, &seq), -1);
	assert_int_equal(oa_number_parse("示例办发（2026）12号", &code, &code_len, &year, &seq), -1);
	assert_int_equal(oa_number_parse("示例办发〔2026〕12", &code, &code_len, &year, &seq), -1);
	assert_int_equal(oa_number_parse("〔2026〕12号", &code, &code_len, &year, &seq), -1);
	assert_int_equal(oa_number_parse("示例办发〔26〕12号", &code, &code_len, &year, &seq), -1);
}

static void
test_counters(void **state)
{
	oa_counters c;

	oa_counters_init(&c);
	assert_int_equal(oa_counters_last(&c, OA_DOC_OUT, "甲发", 2026), 0);
	assert_int_equal(oa_counters_set(&c, OA_DOC_OUT, "甲发", 2026, 1), 0);
	assert_int_equal(oa_counters_set(&c, OA_DOC_OUT, "乙发", 2026, 1), 0);
	assert_int_equal(oa_counters_set(&c, OA_DOC_OUT, "甲发", 2026, 2), 0);
	assert_int_equal(oa_counters_last(&c, OA_DOC_OUT, "甲发", 2026), 2);
	assert_int_equal(oa_counters_last(&c, OA_DOC_OUT, "乙发", 2026), 1);
	assert_int_equal(oa_counters_last(&c, OA_DOC_OUT, "甲发", 2027), 0);
	assert_int_equal(oa_counters_last(&c, OA_DOC_IN, "甲发", 2026), 0);
	oa_counters_release(&c);
}

/* Dates as a spreadsheet writes them, year first; the day worked out by hand. */
static void
test_sheet_dates(void **state)
{
	static const struct { const char *text; int y, m, d; } good[] = {
		{ "2026-11-20", 2026, 11, 20 },   { "2026/11/20", 2026, 11, 20 },
		{ "2026/1/5", 2026, 1, 5 },       { "2026-1-5", 2026, 1, 5 },
		{ "2026.1.5", 2026, 1, 5 },       { "2026年11月20日", 2026, 11, 20 },
		{ "2026年1月5日", 2026, 1, 5 },   { " 2026/1/5 ", 2026, 1, 5 },
		{ "2026/1/5 9:30", 2026, 1, 5 },  { "2026/11/20 09:30:59", 2026, 11, 20 },
		{ "2024/2/29", 2024, 2, 29 },
	};
	static const char *const bad[] = {
		"", "2026/2/30", "2025/2/29", "2026/13/1", "2026/0/5", "2026/1/0", "26/1/5",
		"2026/1", "2026/1-5", "2026年1月5", "2026年1/5", "2026/1/5 24:00",
		"2026/1/5 9:60", "2026/1/5 9:3", "2026/1/5 9:30:60", "2026/1/5x", "2026/001/5",
		"5/1/2026", "2026/1/5 9:30 am",
	};
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		oa_date got, want;
		assert_int_equal(oa_date_from_ymd(good[i].y, good[i].m, good[i].d, &want), 0);
		if (oa_doc_parse_date(good[i].text, strlen(good[i].text), &got) != 0 || got != want)
			fail_msg("\"%s\" not read as %04d-%02d-%02d", good[i].text, good[i].y,
			         good[i].m, good[i].d);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		oa_date got;
		if (oa_doc_parse_date(bad[i], strlen(bad[i]), &got) != -1)
			fail_msg("\"%s\" taken for a date", bad[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_names),
		cmocka_unit_test(test_legal_paths),
		cmocka_unit_test(test_illegal_steps),
		cmocka_unit_test(test_urging),
		cmocka_unit_test(test_real_handling),
		cmocka_unit_test(test_legal_list),
		cmocka_unit_test(test_element_parsers),
		cmocka_unit_test(test_title_withheld),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_overdue_list),
		cmocka_unit_test(test_docs_read),
		cmocka_unit_test(test_docs_read_errors),
		cmocka_unit_test(test_sheet_dates),
		cmocka_unit_test(test_number_format),
		cmocka_unit_test(test_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
