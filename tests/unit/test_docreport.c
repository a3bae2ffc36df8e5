/*
 * test_docreport.c - doc-route's reports (docreport.h): RFC 2047 encoded
 * words, the 督办 notice of one department, the notice file names, the
 * 公文处理笺 of one document, and classified titles withheld from every
 * report unless asked for.
 *
 * Expected texts are worked out by hand.  Display widths: a CJK character,
 * 〔 〕 and the fullwidth colon ： are 2 cells, ASCII 1; a slip cell pads
 * LABEL：VALUE with spaces to 36 (or 18) cells.  The base64 of the encoded
 * words was computed with Python's base64 module (RFC 4648), not with the
 * code under test; "王主任"/"李科长" checked by hand: 李 e6 9d 8e ->
 * 111001 101001 110110 001110 -> "5p2O".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docreport.h"
#include "utf8.h"

#define SECRET_TITLE "关于绝密事项的通报"

static oa_date
day(const char *s)
{
	oa_date out;

	assert_int_equal(oa_date_parse(s, strlen(s), &out), 0);
	return out;
}

/* An in-memory FILE and what was written to it. */
typedef struct memout {
	FILE *fp;
	char *buf;
	size_t len;
} memout;

static void
mem_open(memout *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	assert_non_null(m->fp);
}

static char *
mem_close(memout *m)
{
	assert_int_equal(fclose(m->fp), 0);
	return m->buf;
}

/* A document with every string "" (literals: never released). */
static oa_doc
blank_doc(long id)
{
	oa_doc d;

	memset(&d, 0, sizeof d);
	d.id = id;
	d.title = d.issuer = d.ref = d.secrecy_text = d.keywords = (char *)"";
	d.code = d.number = d.lead = d.co = d.leader = d.circulate = (char *)"";
	return d;
}

/* 关于经费的请示: 加急, 承办, chased twice, in 收文〔2026〕1号. */
static oa_doc
request_doc(void)
{
	oa_doc d = blank_doc(1);

	d.direction = OA_DOC_IN;
	d.type = 10; /* 请示 */
	d.urgency = OA_URGENCY_URGENT;
	d.title = (char *)"关于经费的请示";
	d.number = (char *)"收文〔2026〕1号";
	d.lead = (char *)"财务科";
	d.step = OA_STEP_HANDLED;
	d.urged = 2;
	d.received = day("2026-11-23");
	d.deadline = day("2026-11-24");
	return d;
}

/* A 绝密 通报 registered without a number yet. */
static oa_doc
secret_doc(void)
{
	oa_doc d = blank_doc(4);

	d.direction = OA_DOC_IN;
	d.type = 8; /* 通报 */
	d.secrecy = OA_SECRECY_TOP_SECRET;
	d.secrecy_text = (char *)"绝密";
	d.title = (char *)SECRET_TITLE;
	d.lead = (char *)"财务科";
	d.step = OA_STEP_RECEIVED;
	d.received = day("2026-11-23");
	d.deadline = day("2026-11-30");
	return d;
}

static void
encoded(const char *in, const char *want)
{
	memout m;
	char *got;

	mem_open(&m);
	oa_mime_put_encoded_word(m.fp, in);
	got = mem_close(&m);
	assert_string_equal(got, want);
	free(got);
}

static void
test_encoded_word(void **state)
{
	(void)state;
	/* RFC 4648 test vectors: padding of 1, 2 and 0 bytes. */
	encoded("f", "=?UTF-8?B?Zg==?=");
	encoded("fo", "=?UTF-8?B?Zm8=?=");
	encoded("foobar", "=?UTF-8?B?Zm9vYmFy?=");
	encoded("", "");
	encoded("王主任", "=?UTF-8?B?546L5Li75Lu7?=");
	/* 46 bytes: a word of 45, folded, a word of 1. */
	encoded("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	        "=?UTF-8?B?YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh?=\n"
	        " =?UTF-8?B?YQ==?=");
	/* "a" and 15 中 (46 bytes): byte 45 is inside the 15th 中, so the
	 * first word stops before it at 43 bytes; no character is cut. */
	encoded("a中中中中中中中中中中中中中中中",
	        "=?UTF-8?B?YeS4reS4reS4reS4reS4reS4reS4reS4reS4reS4reS4reS4reS4reS4rQ==?=\n"
	        " =?UTF-8?B?5Lit?=");
}

static void
test_notice_path(void **state)
{
	oa_department cwk = { (char *)"财务科", (char *)"CWK", (char *)"", (char *)"" };
	oa_department nocode = { (char *)"财务科", (char *)"", (char *)"", (char *)"" };
	oa_notice_names names = { 0 };
	char *p;

	(void)state;
	p = oa_notice_path("out/n", &names, &cwk, "财务科");
	assert_string_equal(p, "out/n/CWK.txt");
	free(p);
	p = oa_notice_path("out/n", &names, &nocode, "财务科");
	assert_string_equal(p, "out/n/财务科.txt");
	free(p);
	/* Not a department: its name, a '/' in it made '_' (not the dir's). */
	p = oa_notice_path("out/n", &names, NULL, "党/群办");
	assert_string_equal(p, "out/n/党_群办.txt");
	free(p);
	/* "党_群办" as well must not overwrite it. */
	p = oa_notice_path("out/n", &names, NULL, "党_群办");
	assert_string_equal(p, "out/n/党_群办-2.txt");
	free(p);
	oa_notice_names_release(&names);
}

/* Names made safe, cut on a character boundary, and never given twice. */
static void
test_notice_names(void **state)
{
	oa_notice_names names = { 0 };
	char longname[3 * 100 + 1];
	const char *f;

	(void)state;
	assert_string_equal(oa_notice_name(&names, "a/b"), "a_b.txt");
	assert_string_equal(oa_notice_name(&names, "a_b"), "a_b-2.txt");
	assert_string_equal(oa_notice_name(&names, "a\\b"), "a_b-3.txt");
	assert_string_equal(oa_notice_name(&names, ".hidden"), "_hidden.txt");
	assert_string_equal(oa_notice_name(&names, ""), "_.txt");
	assert_string_equal(oa_notice_name(&names, "tab\there"), "tab_here.txt");
	/* 100 three-byte characters: 200 bytes would end inside the 67th. */
	longname[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(longname, "财");
	f = oa_notice_name(&names, longname);
	assert_int_equal(strlen(f), 66 * 3 + 4);
	assert_int_equal(strncmp(f, longname, 66 * 3), 0);
	assert_string_equal(f + 66 * 3, ".txt");
	/* Two long names that differ only after the cut still get two files. */
	longname[3 * 99] = 'x';
	longname[3 * 99 + 1] = '\0';
	f = oa_notice_name(&names, longname);
	assert_string_equal(f + 66 * 3, "-2.txt");
	oa_notice_names_release(&names);
}

static void
test_overdue_group(void **state)
{
	oa_doc a = request_doc();
	oa_overdue v[] = {
		{ &a, "人事科", OA_DUE_OVERDUE, 1 },
		{ &a, "人事科", OA_DUE_SOON, 1 },
		{ &a, "财务科", OA_DUE_OVERDUE, 1 },
	};

	(void)state;
	assert_int_equal(oa_overdue_group(v, 3), 2);
	assert_int_equal(oa_overdue_group(v + 2, 1), 1);
	assert_int_equal(oa_overdue_group(v, 0), 0);
}

/* Both documents of 财务科 on 2026-11-27: one 3 working days late, one due
 * in 1; the department has a head and an address. */
static const char notice_want[] =
	"To: =?UTF-8?B?5p2O56eR6ZW/?= <li@example.org>\n"
	/* 督办：财务科 1 件公文逾期，1 件即将到期（2026-11-27）: 66 bytes,
	 * cut after 42 (45 would split 件). */
	"Subject: =?UTF-8?B?552j5Yqe77ya6LSi5Yqh56eRIDEg5Lu25YWs5paH6YC+5pyf77yMMSDku7Y=?=\n"
	" =?UTF-8?B?5Y2z5bCG5Yiw5pyf77yIMjAyNi0xMS0yN++8iQ==?=\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=UTF-8\n"
	"Content-Transfer-Encoding: 8bit\n"
	"\n"
	"李科长：\n"
	"\n"
	"截至 2026-11-27，财务科主办的公文中有 1 件已逾期、1 件即将到期，请督促办理：\n"
	"\n"
	"1. 关于经费的请示\n"
	"   编号：收文〔2026〕1号（登记序号 1）  期限：2026-11-24  已逾期 3 个工作日"
	"  当前环节：承办  加急  已催办 2 次\n"
	"2. （密件，标题不予显示）\n"
	"   编号：-（登记序号 4）  期限：2026-11-30  剩余 1 个工作日  当前环节：签收\n"
	"\n"
	"测试局办公室\n"
	"2026-11-27\n";

static void
test_notice_text(void **state)
{
	oa_department dept = { (char *)"财务科", (char *)"CWK", (char *)"李科长",
	                       (char *)"li@example.org" };
	oa_departments depts = { &dept, 1 };
	oa_doc a = request_doc(), b = secret_doc();
	oa_overdue v[] = {
		{ &a, "财务科", OA_DUE_OVERDUE, 3 },
		{ &b, "财务科", OA_DUE_SOON, 1 },
	};
	oa_notice_options opt = { &depts, "测试局", day("2026-11-27"), false };
	memout m;
	char *got;

	(void)state;
	mem_open(&m);
	oa_notice_write(m.fp, v, 2, &opt);
	got = mem_close(&m);
	assert_string_equal(got, notice_want);
	assert_null(strstr(got, SECRET_TITLE));
	free(got);

	/* Asked for: the title is shown. */
	opt.show_classified = true;
	mem_open(&m);
	oa_notice_write(m.fp, v, 2, &opt);
	got = mem_close(&m);
	assert_non_null(strstr(got, "2. " SECRET_TITLE "\n"));
	assert_null(strstr(got, OA_DOC_TITLE_WITHHELD));
	free(got);
}

/* A department not in [departments]: no To line, greeted by its name. */
static void
test_notice_unknown_department(void **state)
{
	oa_doc a = request_doc();
	oa_overdue v[] = { { &a, "保卫科", OA_DUE_OVERDUE, 3 } };
	oa_notice_options opt = { NULL, NULL, day("2026-11-27"), false };
	memout m;
	char *got;

	(void)state;
	mem_open(&m);
	oa_notice_write(m.fp, v, 1, &opt);
	got = mem_close(&m);
	assert_true(strncmp(got, "Subject: ", 9) == 0);
	assert_non_null(strstr(got, "\n\n保卫科：\n\n截至 2026-11-27，保卫科主办的公文中有 1 件已逾期、"
	                            "0 件即将到期"));
	assert_non_null(strstr(got, "\n\n办公室\n2026-11-27\n"));
	free(got);
}

static void
test_notices_write(void **state)
{
	oa_department dept = { (char *)"财务科", (char *)"CWK", (char *)"李科长",
	                       (char *)"li@example.org" };
	oa_departments depts = { &dept, 1 };
	oa_doc a = request_doc(), b = secret_doc();
	oa_overdue v[] = {
		{ &a, "人事科", OA_DUE_OVERDUE, 3 },
		{ &a, "财务科", OA_DUE_OVERDUE, 3 },
		{ &b, "财务科", OA_DUE_SOON, 1 },
	};
	oa_notice_options opt = { &depts, "测试局", day("2026-11-27"), false };
	char dir[] = "/tmp/test_docreport.XXXXXX", path[128], buf[4096];
	oa_error err;
	FILE *fp;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/notices", dir);
	oa_error_clear(&err);
	assert_int_equal(oa_notices_write(path, v, 3, &opt, &err), 0);
	snprintf(path, sizeof path, "%s/notices/CWK.txt", dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf, notice_want);
	unlink(path);
	snprintf(path, sizeof path, "%s/notices/人事科.txt", dir);
	assert_int_equal(access(path, R_OK), 0);
	unlink(path);
	snprintf(path, sizeof path, "%s/notices", dir);
	rmdir(path);

	/* A directory that cannot be made: -1, named. */
	snprintf(path, sizeof path, "%s/no/such/notices", dir);
	assert_int_equal(oa_notices_write(path, v, 3, &opt, &err), -1);
	assert_string_equal(err.file, path);
	assert_non_null(strstr(err.msg, "cannot create directory"));
	rmdir(dir);
}

/*
 * The slip of an incoming document; the padding: 编号：收文〔2026〕3号 is
 * 4+2+15 = 21 cells (15 spaces to 36); 来文机关：市财政局 8+2+8 = 18 (18);
 * 文种：请示 4+2+4 = 10 (8 to 18); 紧急程度：加急 8+2+4 = 14 (4 to 18);
 * 收文日期：2026-11-23 8+2+10 = 20 (16); 主办：财务科 4+2+6 = 12 (24);
 * 批办领导：王局长 8+2+6 = 16 (20).
 */
static const char slip_want[] =
	"测试局收文处理笺\n"
	"------------------------------------------------------------------------\n"
	"编号：收文〔2026〕3号" "               " "登记序号：7\n"
	"来文机关：市财政局" "                  " "来文字号：市财〔2026〕5号\n"
	"标题：关于经费的请示\n"
	"文种：请示" "        " "紧急程度：加急" "    " "密级：-\n"
	"收文日期：2026-11-23" "                " "办理期限：2026-11-26\n"
	"主题词：经费\n"
	"------------------------------------------------------------------------\n"
	"主办：财务科" "                        " "协办：-\n"
	"批办领导：王局长" "                    " "传阅：-\n"
	"------------------------------------------------------------------------\n"
	"办理经过：\n"
	"  2026-11-23 08:30  签收  王秘书\n"
	"  2026-11-23 09:00  登记  -  收文〔2026〕3号\n"
	"  2026-11-25 10:00  催办  王秘书（办公室）  电话催办\n"
	"------------------------------------------------------------------------\n"
	"当前环节：承办  催办 1 次\n";

static void
test_slip(void **state)
{
	oa_doc d = blank_doc(7);
	oa_doc_event ev[] = {
		{ 1, 7, OA_STEP_RECEIVED, "2026-11-23 08:30", (char *)"王秘书", (char *)"",
		  (char *)"", (char *)"", "" },
		{ 2, 7, OA_STEP_REGISTERED, "2026-11-23 09:00", (char *)"", (char *)"", (char *)"",
		  (char *)"收文〔2026〕3号", "" },
		{ 3, 7, OA_STEP_URGED, "2026-11-25 10:00", (char *)"王秘书", (char *)"办公室",
		  (char *)"电话催办", (char *)"", "" },
	};
	memout m;
	char *got;

	(void)state;
	d.direction = OA_DOC_IN;
	d.type = 10; /* 请示 */
	d.urgency = OA_URGENCY_URGENT;
	d.received = day("2026-11-23");
	d.deadline = day("2026-11-26");
	d.step = OA_STEP_HANDLED;
	d.urged = 1;
	d.title = (char *)"关于经费的请示";
	d.issuer = (char *)"市财政局";
	d.ref = (char *)"市财〔2026〕5号";
	d.keywords = (char *)"经费";
	d.number = (char *)"收文〔2026〕3号";
	d.lead = (char *)"财务科";
	d.leader = (char *)"王局长";
	mem_open(&m);
	oa_docreport_slip(m.fp, &d, ev, 3, "测试局", false);
	got = mem_close(&m);
	assert_string_equal(got, slip_want);
	free(got);
}

/*
 * Long values wrap inside their column: a long 来文机关 stays left of
 * 来文字号 (which starts at cell 36 on the first line), continues under
 * its first line, and a long title wraps under itself; no line is wider
 * than the 72 cells of the rules, none ends in a space.
 */
static void
test_slip_wraps(void **state)
{
	oa_doc d = blank_doc(9);
	oa_doc_event ev[] = {
		{ 1, 9, OA_STEP_URGED, "2026-11-25 10:00", (char *)"王秘书", (char *)"",
		  (char *)"请办公室会同财务科、后勤服务中心按通知要求于十一月底前完成清查盘点，"
		          "并将结果报送市财政局。Please reply by email before the end of November.",
		  (char *)"", "" },
	};
	memout m;
	char *got, *line, *save = NULL;
	int n = 0, issuer_lines = 0;

	(void)state;
	d.direction = OA_DOC_IN;
	d.type = 7; /* 通知 */
	d.received = day("2026-11-23");
	d.deadline = day("2026-11-26");
	d.step = OA_STEP_REGISTERED;
	d.title = (char *)"关于做好二〇二六年度全市机关事业单位国有资产清查盘点暨固定资产信息系统"
	                  "数据核实工作的补充通知（第二批）";
	d.issuer = (char *)"中共示范市委机构编制委员会办公室、示范市财政局、示范市机关事务管理局";
	d.ref = (char *)"示编办〔2026〕123号";
	d.keywords = (char *)"";
	d.number = (char *)"收文〔2026〕9号";
	mem_open(&m);
	oa_docreport_slip(m.fp, &d, ev, 1, "测试局", false);
	got = mem_close(&m);
	for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		size_t len = strlen(line);
		if (oa_utf8_width(line, len) > 72)
			fail_msg("line %d is %zu cells wide: %s", n, oa_utf8_width(line, len), line);
		assert_true(len == 0 || line[len - 1] != ' ');
		if (strncmp(line, "来文机关：", strlen("来文机关：")) == 0) {
			const char *ref = strstr(line, "来文字号：示编办〔2026〕123号");
			assert_non_null(ref);
			assert_int_equal(oa_utf8_width(line, (size_t)(ref - line)), 36);
			/* 24 cells of it per line: 中共示范市委机构编制委员 */
			assert_non_null(strstr(line, "来文机关：中共示范市委机构编制委员  来文字号"));
			issuer_lines = 1;
		} else if (issuer_lines > 0 && strncmp(line, "          ", 10) == 0 &&
		           line[10] != ' ') {
			issuer_lines++;
			assert_null(strstr(line, "来文字号"));
		}
	}
	free(got);
	/* 35 characters, 70 cells, at 24 cells a line: 3 lines (12 + 12 + 11). */
	assert_int_equal(issuer_lines, 3);
	mem_open(&m);
	oa_docreport_slip(m.fp, &d, ev, 1, "测试局", false);
	got = mem_close(&m);
	/* The title: 33 characters (66 cells) after "标题：", then the rest under it. */
	assert_non_null(strstr(got, "\n标题：关于做好二〇二六年度全市机关事业单位国有资产清查盘点暨固定资产信息\n"
	                            "      系统数据核实工作的补充通知（第二批）\n"));
	/* The event's note wraps under the text after the time (20 cells in). */
	assert_non_null(strstr(got, "\n                    "));
	/* ... between words, never inside one. */
	{
		static const char *const words[] = { "Please", "reply", "email", "before",
		                                     "November." };
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			assert_non_null(strstr(got, words[i]));
	}
	free(got);
}

/* An outgoing 绝密 document: 机关代字 and 主送, the title withheld, done. */
static void
test_slip_classified(void **state)
{
	oa_doc d = secret_doc();
	memout m;
	char *got;

	(void)state;
	d.direction = OA_DOC_OUT;
	d.code = (char *)"测试发";
	d.issuer = (char *)"市政府";
	d.step = OA_STEP_ISSUED;
	mem_open(&m);
	oa_docreport_slip(m.fp, &d, NULL, 0, NULL, false);
	got = mem_close(&m);
	assert_true(strncmp(got, "发文处理笺\n", strlen("发文处理笺\n")) == 0);
	/* 机关代字：测试发 8+2+6 = 16 cells, 20 spaces to 36. */
	assert_non_null(strstr(got, "\n机关代字：测试发                    主送：市政府\n"));
	assert_non_null(strstr(got, "\n标题：" OA_DOC_TITLE_WITHHELD "\n"));
	assert_non_null(strstr(got, "密级：绝密\n"));
	assert_non_null(strstr(got, "\n起草日期：2026-11-23"));
	assert_non_null(strstr(got, "办理经过：\n----"));
	assert_true(strlen(got) > strlen("当前环节：核发（已办结）\n"));
	assert_string_equal(got + strlen(got) - strlen("当前环节：核发（已办结）\n"),
	                    "当前环节：核发（已办结）\n");
	assert_null(strstr(got, SECRET_TITLE));
	free(got);

	mem_open(&m);
	oa_docreport_slip(m.fp, &d, NULL, 0, NULL, true);
	got = mem_close(&m);
	assert_non_null(strstr(got, "\n标题：" SECRET_TITLE "\n"));
	free(got);
}

/* status and the 督办 list as CSV: the classified title withheld. */
static void
test_csv_reports_withhold(void **state)
{
	oa_doc docs[2] = { request_doc(), secret_doc() };
	oa_docjournal j;
	oa_overdue v[] = { { &docs[1], "财务科", OA_DUE_SOON, 1 } };
	oa_csv_writer *w;
	memout m;
	char *got;

	(void)state;
	memset(&j, 0, sizeof j);
	j.docs = docs;
	j.ndocs = 2;
	mem_open(&m);
	w = oa_csv_writer_new(m.fp, false);
	oa_docreport_status(w, &j, false, false);
	oa_csv_writer_free(w);
	got = mem_close(&m);
	assert_string_equal(got,
		"doc,number,direction,type,title,issuer,ref,urgency,secrecy,received,deadline,"
		"lead,co,leader,step,updated,urged,state\n"
		"1,收文〔2026〕1号,收文,请示,关于经费的请示,,,加急,,2026-11-23,2026-11-24,"
		"财务科,,,承办,,2,open\n"
		"4,,收文,通报,（密件，标题不予显示）,,,,绝密,2026-11-23,2026-11-30,"
		"财务科,,,签收,,0,open\n");
	free(got);

	mem_open(&m);
	w = oa_csv_writer_new(m.fp, false);
	oa_docreport_overdue(w, v, 1, true, false);
	oa_docreport_overdue(w, v, 1, false, true);
	oa_csv_writer_free(w);
	got = mem_close(&m);
	assert_string_equal(got,
		"department,doc,number,title,urgency,deadline,due,days,step,urged\n"
		"财务科,4,,（密件，标题不予显示）,,2026-11-30,soon,1,签收,0\n"
		"财务科,4,," SECRET_TITLE ",,2026-11-30,soon,1,签收,0\n");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoded_word),
		cmocka_unit_test(test_notice_path),
		cmocka_unit_test(test_notice_names),
		cmocka_unit_test(test_overdue_group),
		cmocka_unit_test(test_notice_text),
		cmocka_unit_test(test_notice_unknown_department),
		cmocka_unit_test(test_notices_write),
		cmocka_unit_test(test_slip),
		cmocka_unit_test(test_slip_wraps),
		cmocka_unit_test(test_slip_classified),
		cmocka_unit_test(test_csv_reports_withhold),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
