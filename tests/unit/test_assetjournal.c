/*
 * test_assetjournal.c - the asset journal and the register it keeps
 * (assetjournal.h, assetregister.h): every event and what it does to the
 * register; every refusal, with the register and journal left byte for
 * byte as they were; batches all or nothing; the hash chain catching an
 * edited or removed record; events left uncommitted by a dead writer,
 * settled forward, backward, or refused; changes made outside the journal
 * found as gaps; the register's encoding, BOM, line ends, quoting and
 * vocabulary kept; events from a CSV; several writers at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assetjournal.h"
#include "assetreport.h"

static char dir[64], reg[128], jpath[128];

static const char register_text[] =
	"资产编号,资产名称,资产类别,资产类型,原值,购置日期,使用年限,使用部门,责任人,存放地点,状态\n"
	"BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,在用\n"
	"BGS-2,\"打印机, 激光\",电子设备,fixed,2300.00,2026-01-12,3,办公室,李娜,301室,在用\n"
	"BGS-3,投影仪,电子设备,fixed,4600.00,2026-03-02,3,办公室,赵敏,302室,报废\n"
	"XXZX-1,服务器,电子设备,fixed,26000.00,2026-02-01,3,信息中心,陈晓东,机房,在用\n"
	"XXZX-2,交换机,电子设备,fixed,8000.00,2026-02-01,3,信息中心,陈晓东,机房,丢失\n";

static void
put(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return strdup("(none)");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/test_assetjournal_XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(reg, sizeof reg, "%s/reg.csv", dir);
	snprintf(jpath, sizeof jpath, "%s/reg.journal", dir);
	put(reg, register_text, strlen(register_text));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static oa_date
day(const char *s)
{
	oa_date d;

	assert_int_equal(oa_date_parse(s, strlen(s), &d), 0);
	return d;
}

static oa_departments depts;

static oa_assetlog_options
options(void)
{
	oa_assetlog_options o;

	memset(&o, 0, sizeof o);
	o.lock_timeout_ms = 5000;
	o.who = "test";
	o.depts = &depts; /* empty: the register's departments are the known ones */
	o.today = day("2026-12-01");
	o.now = (oa_minute)day("2026-12-01") * OA_MINUTES_PER_DAY + 9 * 60;
	oa_csv_options_init(&o.csv);
	return o;
}

static oa_asset_change
change(oa_asset_event_kind kind, const char *tag, const char *date)
{
	oa_asset_change c;

	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.tag = tag;
	c.date = day(date);
	c.due = -1;
	return c;
}

static int
record(oa_asset_change *c, size_t n, oa_error *err)
{
	oa_assetlog_options o = options();

	oa_error_clear(err);
	return oa_assetlog_record(jpath, reg, c, n, &o, err);
}

/* The register line of TAG (without its line end), from the file. */
static char *
line_of(const char *tag)
{
	char *all = slurp(reg), *p = strstr(all, tag), *e;
	char *out;

	assert_non_null(p);
	e = strpbrk(p, "\r\n");
	out = strndup(p, (size_t)(e - p));
	free(all);
	return out;
}

#define LINE_IS(tag, want) do { \
	char *l_ = line_of(tag); \
	assert_string_equal(l_, want); \
	free(l_); \
} while (0)

/* Transfer: the row changes, every other line keeps its bytes, quotes included. */
static void
test_transfer(void **state)
{
	oa_asset_change c = change(OA_AEV_TRANSFER, "bgs-1", "2026-11-01");
	oa_assetjournal j;
	const oa_asset_state *st;
	oa_error err;
	char *after;

	c.department = "信息中心";
	c.custodian = "王五";
	c.location = "201室";
	assert_int_equal(record(&c, 1, &err), 0);
	assert_int_equal(c.seq, 1);
	LINE_IS("BGS-1", "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,信息中心,王五,201室,在用");
	after = slurp(reg);
	/* Exactly the one row differs. */
	{
		const char *old_row = "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,在用\n";
		const char *new_row = "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,信息中心,王五,201室,在用\n";
		char want[2048];
		const char *p = strstr(register_text, old_row);
		snprintf(want, sizeof want, "%.*s%s%s", (int)(p - register_text), register_text,
		         new_row, p + strlen(old_row));
		assert_string_equal(after, want);
	}
	free(after);
	assert_int_equal(oa_assetjournal_load(&j, jpath, "*", &err), 0);
	assert_int_equal(j.last_seq, 2); /* the event and its commit */
	assert_int_equal(j.pending, 0);
	st = oa_assetjournal_state(&j, "BGS-1");
	assert_non_null(st);
	assert_string_equal(st->department, "信息中心");
	assert_string_equal(st->custodian, "王五");
	assert_int_equal(st->status, OA_AST_IN_USE);
	assert_int_equal(j.nevents, 1);
	assert_string_equal(j.events[0].f[OA_AJ_FROM_CUSTODIAN], "张伟");
	assert_string_equal(j.events[0].f[OA_AJ_EVENT], "transfer");
	oa_assetjournal_release(&j);
}

/* Lend and return, repair and repaired, dispose: statuses in the register's Chinese. */
static void
test_each_event(void **state)
{
	oa_asset_change c;
	oa_assetjournal j;
	const oa_asset_state *st;
	const oa_asset_event *e;
	oa_error err;

	c = change(OA_AEV_LEND, "BGS-1", "2026-11-02");
	c.borrower = "陈静";
	c.borrower_department = "信息中心";
	c.due = day("2026-11-20");
	assert_int_equal(record(&c, 1, &err), 0);
	LINE_IS("BGS-1", "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,借出");

	c = change(OA_AEV_RETURN, "BGS-1", "2026-11-18");
	assert_int_equal(record(&c, 1, &err), 0);
	LINE_IS("BGS-1", "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,在用");

	c = change(OA_AEV_REPAIR, "BGS-1", "2026-11-19");
	assert_int_equal(record(&c, 1, &err), 0);
	LINE_IS("BGS-1", "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,维修");

	c = change(OA_AEV_REPAIRED, "BGS-1", "2026-11-25");
	assert_int_equal(record(&c, 1, &err), 0);
	LINE_IS("BGS-1", "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,在用");

	c = change(OA_AEV_DISPOSE, "BGS-1", "2026-11-30");
	c.method = OA_DISPOSE_SCRAP;
	c.reason = "主板损坏，无修复价值";
	c.approver = "周局长";
	c.document = "示行服〔2026〕12号";
	assert_int_equal(record(&c, 1, &err), 0);
	LINE_IS("BGS-1", "BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,报废");

	assert_int_equal(oa_assetjournal_load(&j, jpath, "BGS-1", &err), 0);
	assert_int_equal(j.last_seq, 10);
	assert_int_equal(j.nevents, 5);
	st = oa_assetjournal_state(&j, "BGS-1");
	assert_int_equal(st->status, OA_AST_DISPOSED);
	assert_int_equal(st->disposed_on, day("2026-11-30"));
	assert_string_equal(j.events[4].f[OA_AJ_METHOD], "scrap");
	assert_string_equal(j.events[4].f[OA_AJ_DOCUMENT], "示行服〔2026〕12号");
	/* Who held it: on 11-10 the borrower; on 11-01 (before any event) nothing kept. */
	e = oa_assetjournal_at(&j, day("2026-11-10"));
	assert_non_null(e);
	assert_string_equal(e->f[OA_AJ_EVENT], "lend");
	assert_string_equal(e->f[OA_AJ_BORROWER], "陈静");
	e = oa_assetjournal_at(&j, day("2026-11-18"));
	assert_string_equal(e->f[OA_AJ_EVENT], "return");
	assert_null(oa_assetjournal_at(&j, day("2026-11-01")));
	oa_assetjournal_release(&j);
}

/* Each refusal: -1, a message naming the problem, nothing changed. */
static void
test_refusals(void **state)
{
	static const struct {
		oa_asset_event_kind kind;
		const char *tag, *date, *expect;
	} cases[] = {
		{ OA_AEV_RETURN, "BGS-2", "2026-11-01", "it is not lent" },
		{ OA_AEV_REPAIRED, "BGS-2", "2026-11-01", "it is not in repair" },
		{ OA_AEV_TRANSFER, "BGS-3", "2026-11-01", "was disposed of" },
		{ OA_AEV_LEND, "BGS-3", "2026-11-01", "was disposed of" },
		{ OA_AEV_TRANSFER, "XXZX-2", "2026-11-01", "is missing" },
		{ OA_AEV_TRANSFER, "NOPE-9", "2026-11-01", "unknown tag \"NOPE-9\"" },
		{ OA_AEV_TRANSFER, "BGS-2", "2027-01-01", "in the future" },
		{ OA_AEV_TRANSFER, "BGS-2", "2025-01-01", "before its acquisition" },
	};
	char *reg_before = slurp(reg);
	oa_asset_change c;
	oa_error err;

	/* A journal with one event, so the checks run against a real one. */
	c = change(OA_AEV_TRANSFER, "XXZX-1", "2026-11-10");
	c.location = "新机房";
	assert_int_equal(record(&c, 1, &err), 0);
	free(reg_before);
	reg_before = slurp(reg);
	char *jnl_before = slurp(jpath);

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = change(cases[i].kind, cases[i].tag, cases[i].date);
		c.location = cases[i].kind == OA_AEV_TRANSFER ? "别处" : NULL;
		c.borrower = cases[i].kind == OA_AEV_LEND ? "某人" : NULL;
		c.due = cases[i].kind == OA_AEV_LEND ? day("2026-12-01") : -1;
		assert_int_equal(record(&c, 1, &err), -1);
		if (strstr(err.msg, cases[i].expect) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].expect);
	}
	/* Transfers that are wrong in their fields. */
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-01");
	c.department = "财务科";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "unknown department \"财务科\""));
	c.department = "办公室";
	c.custodian = "李娜";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "changes nothing"));
	c = change(OA_AEV_TRANSFER, "XXZX-1", "2026-11-09");
	c.custodian = "某人";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "before its last event (2026-11-10)"));
	/* Lends without what they need. */
	c = change(OA_AEV_LEND, "BGS-2", "2026-11-01");
	c.due = day("2026-11-20");
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "without a borrower"));
	c.borrower = "陈静";
	c.due = day("2026-10-20");
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "due before it is lent"));
	c.due = -1;
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "without a due date"));
	/* Disposals without their approval. */
	c = change(OA_AEV_DISPOSE, "BGS-2", "2026-11-01");
	c.method = OA_DISPOSE_DONATION;
	c.reason = "捐赠希望小学";
	c.approver = "周局长";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "without the approval document number"));
	c.method = OA_DISPOSE_NONE;
	c.document = "示行服〔2026〕13号";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "without a method"));
	/* A batch whose second change is illegal records neither. */
	{
		oa_asset_change b[2];
		b[0] = change(OA_AEV_REPAIR, "BGS-2", "2026-11-01");
		b[1] = change(OA_AEV_RETURN, "BGS-1", "2026-11-01");
		assert_int_equal(record(b, 2, &err), -1);
		assert_non_null(strstr(err.msg, "not lent"));
	}

	char *reg_after = slurp(reg), *jnl_after = slurp(jpath);
	assert_string_equal(reg_after, reg_before);
	assert_string_equal(jnl_after, jnl_before);
	free(reg_before);
	free(jnl_before);
	free(reg_after);
	free(jnl_after);
}

/* A status the rules do not know is refused, not guessed. */
static void
test_unknown_status(void **state)
{
	static const char text[] = "tag,department,status\nT-1,办公室,外借中的\n";
	oa_asset_change c = change(OA_AEV_TRANSFER, "T-1", "2026-11-01");
	oa_error err;

	put(reg, text, strlen(text));
	c.location = "x";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "has status \"外借中的\""));
}

/* One batch: lend then return of one tag, and a whole department moved. */
static void
test_batch(void **state)
{
	oa_asset_change b[4];
	oa_assetjournal j;
	oa_error err;

	b[0] = change(OA_AEV_LEND, "BGS-2", "2026-11-01");
	b[0].borrower = "陈静";
	b[0].due = day("2026-11-05");
	b[1] = change(OA_AEV_RETURN, "BGS-2", "2026-11-04");
	b[2] = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-06");
	b[2].department = "信息中心";
	b[3] = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-06");
	b[3].department = "信息中心";
	assert_int_equal(record(b, 4, &err), 0);
	assert_int_equal(b[3].seq, 4);
	LINE_IS("BGS-2", "BGS-2,\"打印机, 激光\",电子设备,fixed,2300.00,2026-01-12,3,信息中心,李娜,301室,在用");
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(j.last_seq, 5);
	assert_string_equal(oa_assetjournal_state(&j, "BGS-2")->department, "信息中心");
	oa_assetjournal_release(&j);
}

/* The hash chain: an edited record, a removed one. */
static void
test_tamper(void **state)
{
	oa_asset_change c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
	oa_assetjournal j;
	oa_error err;
	char *text, *p;

	c.custodian = "王五";
	assert_int_equal(record(&c, 1, &err), 0);
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
	c.custodian = "赵六";
	assert_int_equal(record(&c, 1, &err), 0);
	text = slurp(jpath);
	/* 王五 becomes 王六 in record 1 (line 2). */
	p = strstr(text, "王五");
	assert_non_null(p);
	memcpy(p, "王六", strlen("王六"));
	put(jpath, text, strlen(text));
	oa_error_clear(&err);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "hash chain"));
	oa_assetjournal_release(&j);
	/* Record 1 and its commit removed: the sequence breaks first. */
	memcpy(p, "王五", strlen("王五"));
	{
		char *l2 = strchr(text, '\n') + 1;
		char *l4 = strchr(strchr(l2, '\n') + 1, '\n') + 1;
		memmove(l2, l4, strlen(l4) + 1);
	}
	put(jpath, text, strlen(text));
	oa_error_clear(&err);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
	assert_int_equal(err.line, 2);
	oa_assetjournal_release(&j);
	free(text);
}

/*
 * A journal over 64 KiB is verified on a second thread (when two CPUs may
 * be used): a whole journal reads as before, and a record changed in the
 * middle is still found at its line, before any later error.
 */
static void
test_large_journal(void **state)
{
	enum { N = 600 };
	static oa_asset_change v[N];
	static char names[N][24];
	oa_assetjournal j;
	oa_error err;
	char *text, *p;

	for (int i = 0; i < N; i++) {
		v[i] = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
		snprintf(names[i], sizeof names[i], "职工%d", i);
		v[i].custodian = names[i];
		v[i].note = "一条足够长的备注，让每条记录都有两三百字节，日志因此超过六十四千字节";
	}
	assert_int_equal(record(v, N, &err), 0);
	assert_int_equal(oa_assetjournal_load(&j, jpath, "*", &err), 0);
	assert_int_equal(j.last_seq, N + 1);
	assert_int_equal(j.nevents, N);
	assert_string_equal(oa_assetjournal_state(&j, "BGS-1")->custodian, names[N - 1]);
	oa_assetjournal_release(&j);
	text = slurp(jpath);
	assert_true(strlen(text) > 64 * 1024);
	/* Record 300 (line 301): 职工299 becomes 职工298 there. */
	p = strstr(text, ",职工299,");
	assert_non_null(p);
	p[strlen(",职工29")] = '8';
	put(jpath, text, strlen(text));
	oa_error_clear(&err);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
	assert_int_equal(err.line, 301);
	assert_non_null(strstr(err.msg, "hash chain"));
	oa_assetjournal_release(&j);
	free(text);
}

/*
 * The last batch cut off (event and commit): a consistent, shorter chain,
 * which only the state file catches; and a journal replaced by another
 * with as many records.
 */
static void
test_truncated(void **state)
{
	oa_asset_change c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
	oa_assetjournal j;
	oa_error err;
	char *text, *first;

	c.custodian = "王五";
	assert_int_equal(record(&c, 1, &err), 0);
	first = slurp(jpath);
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
	c.custodian = "赵六";
	assert_int_equal(record(&c, 1, &err), 0);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	oa_assetjournal_release(&j);
	text = slurp(jpath);
	put(jpath, first, strlen(first));
	oa_error_clear(&err);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "the journal has 2 records but its state file says 4"));
	oa_assetjournal_release(&j);
	/* Another journal of four records: the fourth is not the one the state knows. */
	{
		char sp[160], *state_a, *other;
		snprintf(sp, sizeof sp, "%s.state", jpath);
		state_a = slurp(sp);
		put(reg, register_text, strlen(register_text));
		unlink(jpath);
		unlink(sp);
		c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
		c.custodian = "孙七";
		assert_int_equal(record(&c, 1, &err), 0);
		c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
		c.custodian = "周八";
		assert_int_equal(record(&c, 1, &err), 0);
		other = slurp(jpath);
		put(sp, state_a, strlen(state_a));
		oa_error_clear(&err);
		assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
		assert_non_null(strstr(err.msg, "not the record 4 the state file knows"));
		oa_assetjournal_release(&j);
		free(state_a);
		free(other);
	}
	free(text);
	free(first);
}

/* Drops the journal's last line (the commit record): a writer that died before it. */
static void
drop_commit(void)
{
	char *text = slurp(jpath);
	size_t n = strlen(text);

	assert_true(n > 1);
	n--;
	while (n > 0 && text[n - 1] != '\n')
		n--;
	put(jpath, text, n);
	free(text);
}

/*
 * Records C as a writer that died after renaming the register and before
 * its commit record: the journal without its last line, and the state file
 * as it was before (it is written after the commit).
 */
static void
record_then_crash(oa_asset_change *c, size_t n)
{
	char sp[160];
	char *before;
	oa_error err;
	bool had;

	snprintf(sp, sizeof sp, "%s.state", jpath);
	had = access(sp, F_OK) == 0;
	before = slurp(sp);
	assert_int_equal(record(c, n, &err), 0);
	drop_commit();
	if (had)
		put(sp, before, strlen(before));
	else
		unlink(sp);
	free(before);
}

static void
test_uncommitted(void **state)
{
	oa_asset_change c;
	oa_assetjournal j;
	oa_error err;
	char *reg_old;

	/* Died after renaming the register: the next writer commits the events. */
	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
	c.location = "305室";
	record_then_crash(&c, 1);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(j.pending, 1);
	assert_int_equal(j.pending_first_line, 2);
	assert_null(oa_assetjournal_state(&j, "BGS-1")); /* not counted */
	oa_assetjournal_release(&j);
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
	c.location = "306室";
	assert_int_equal(record(&c, 1, &err), 0);
	assert_int_equal(c.seq, 3); /* 1 the old event, 2 its commit */
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(j.pending, 0);
	assert_int_equal(j.last_seq, 4);
	assert_string_equal(oa_assetjournal_state(&j, "BGS-1")->location, "305室");
	oa_assetjournal_release(&j);

	/* Died before renaming it: the events are cut off. */
	reg_old = slurp(reg);
	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-03");
	c.location = "307室";
	record_then_crash(&c, 1);
	put(reg, reg_old, strlen(reg_old));
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-04");
	c.location = "308室";
	assert_int_equal(record(&c, 1, &err), 0);
	assert_int_equal(c.seq, 5);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(j.last_seq, 6);
	assert_string_equal(oa_assetjournal_state(&j, "BGS-1")->location, "305室");
	oa_assetjournal_release(&j);
	free(reg_old);

	/* The register shows neither: refused, nothing changed. */
	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-05");
	c.location = "309室";
	record_then_crash(&c, 1);
	{
		char *text = slurp(reg), *p = strstr(text, "309室");
		memcpy(p, "399", 3);
		put(reg, text, strlen(text));
		free(text);
	}
	char *r1 = slurp(reg), *j1 = slurp(jpath);
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-06");
	c.location = "310室";
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "neither their start nor their end"));
	char *r2 = slurp(reg), *j2 = slurp(jpath);
	assert_string_equal(r1, r2);
	assert_string_equal(j1, j2);
	free(r1);
	free(r2);
	free(j1);
	free(j2);
}

/* A stock-take marked an asset missing between two events: a gap, and check finds it. */
static void
test_gap_and_check(void **state)
{
	oa_asset_change c;
	oa_assetjournal j;
	oa_register r;
	oa_error err;
	char *buf = NULL, *text, *p;
	size_t len = 0;
	FILE *mem;
	oa_csv_writer *w;

	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-01");
	c.location = "305室";
	assert_int_equal(record(&c, 1, &err), 0);
	text = slurp(reg);
	p = strstr(text, "305室,在用");
	assert_non_null(p);
	memcpy(p + strlen("305室,"), "丢失", strlen("丢失"));
	put(reg, text, strlen(text));
	free(text);

	/* check: the register says missing, the journal in-use. */
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(oa_register_load(&r, reg, NULL, &err), 0);
	mem = open_memstream(&buf, &len);
	w = oa_csv_writer_new(mem, false);
	assert_int_equal(oa_assetjournal_check(&j, &r, false, w, "mem", &err), 1);
	oa_csv_writer_free(w);
	fclose(mem);
	assert_string_equal(buf, "tag,column,journal,register,detail\n"
	                         "BGS-2,status,in-use,丢失,journal record 1\n");
	free(buf);
	oa_register_release(&r);
	oa_assetjournal_release(&j);

	/* Written off as missing (盘亏): the event starts from missing, a gap. */
	c = change(OA_AEV_DISPOSE, "BGS-2", "2026-11-20");
	c.method = OA_DISPOSE_SCRAP;
	c.reason = "盘亏";
	c.approver = "周局长";
	c.document = "示行服〔2026〕14号";
	/* Recorded, with a warning that says what the register changed. */
	assert_int_equal(record(&c, 1, &err), 1);
	assert_non_null(strstr(err.msg, "warning: \"BGS-2\": the register's status is \"missing\" "
	                                "where the journal left \"in-use\": changed outside the "
	                                "journal"));
	assert_non_null(strstr(err.msg, "record 3 starts from the register's value"));
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(j.ngaps, 1);
	assert_int_equal(j.gaps[0].column, OA_AJ_STATUS);
	assert_string_equal(j.gaps[0].was, "in-use");
	assert_string_equal(j.gaps[0].now, "missing");
	/* check: the register and the journal agree now; the gap is history. */
	assert_int_equal(oa_register_load(&r, reg, NULL, &err), 0);
	mem = open_memstream(&buf, &len);
	w = oa_csv_writer_new(mem, false);
	assert_int_equal(oa_assetjournal_check(&j, &r, false, w, "mem", &err), 0);
	assert_int_equal(oa_assetjournal_check(&j, &r, true, w, "mem", &err), 1);
	oa_csv_writer_free(w);
	fclose(mem);
	assert_non_null(strstr(buf, "BGS-2,status,in-use,missing,changed outside the journal "
	                            "before record 3"));
	free(buf);
	oa_register_release(&r);
	oa_assetjournal_release(&j);
}

/* GB18030 with CRLF: kept, and so are a UTF-8 BOM with CRLF, and English statuses. */
static void
test_register_style(void **state)
{
	static const char utf8[] =
		"tag,name,department,custodian,status\r\n"
		"A-1,电脑,办公室,张伟,in-use\r\n"
		"A-2,\"quoted\",办公室,李娜,in-use\r\n";
	char gb[512];
	oa_asset_change c;
	oa_error err;
	char *after;

	{
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		char *in = (char *)utf8, *out = gb;
		size_t left = strlen(utf8), room = sizeof gb;
		assert_true(iconv(cd, &in, &left, &out, &room) != (size_t)-1);
		iconv_close(cd);
		put(reg, gb, sizeof gb - room);
		gb[sizeof gb - room] = '\0';
	}
	c = change(OA_AEV_LEND, "A-1", "2026-11-01");
	c.borrower = "陈静";
	c.due = day("2026-11-05");
	assert_int_equal(record(&c, 1, &err), 0);
	after = slurp(reg);
	{
		/* Expected: the same GB18030 bytes with A-1's status lent. */
		char want_utf8[512], want[512];
		snprintf(want_utf8, sizeof want_utf8, "%s",
		         "tag,name,department,custodian,status\r\n"
		         "A-1,电脑,办公室,张伟,lent\r\n"
		         "A-2,\"quoted\",办公室,李娜,in-use\r\n");
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		char *in = want_utf8, *out = want;
		size_t left = strlen(want_utf8), room = sizeof want;
		assert_true(iconv(cd, &in, &left, &out, &room) != (size_t)-1);
		iconv_close(cd);
		*out = '\0';
		assert_string_equal(after, want);
	}
	free(after);

	/* UTF-8 with a BOM and CRLF. */
	unlink(jpath);
	{
		char sp[160];
		snprintf(sp, sizeof sp, "%s.state", jpath);
		unlink(sp);
	}
	{
		char text[512];
		snprintf(text, sizeof text, "\xEF\xBB\xBF%s", utf8);
		put(reg, text, strlen(text));
	}
	c = change(OA_AEV_REPAIR, "A-2", "2026-11-01");
	assert_int_equal(record(&c, 1, &err), 0);
	after = slurp(reg);
	assert_string_equal(after, "\xEF\xBB\xBF" "tag,name,department,custodian,status\r\n"
	                           "A-1,电脑,办公室,张伟,in-use\r\n"
	                           "A-2,quoted,办公室,李娜,repair\r\n");
	free(after);
}

/* Blank lines before the header stay (found by fuzz_assetjournal). */
static void
test_blank_lines_kept(void **state)
{
	static const char text[] = "\n\ntag,department,location\nA-1,办公室,1\n\nA-2,办公室,2\n";
	oa_asset_change c = change(OA_AEV_TRANSFER, "A-2", "2026-11-01");
	oa_error err;
	char *after;

	put(reg, text, strlen(text));
	c.location = "3";
	assert_int_equal(record(&c, 1, &err), 0);
	after = slurp(reg);
	assert_string_equal(after, "\n\ntag,department,location\nA-1,办公室,1\n\nA-2,办公室,3\n");
	free(after);
}

/* A register without a location column gets one when a transfer sets it. */
static void
test_added_column(void **state)
{
	static const char text[] = "tag,department\nA-1,办公室\nA-2,办公室\n";
	oa_asset_change c = change(OA_AEV_TRANSFER, "A-1", "2026-11-01");
	oa_error err;
	char *after;

	put(reg, text, strlen(text));
	c.location = "301室";
	assert_int_equal(record(&c, 1, &err), 0);
	after = slurp(reg);
	assert_string_equal(after, "tag,department,location\nA-1,办公室,301室\nA-2,办公室,\n");
	free(after);
}

/* Events from a CSV with Chinese headers; bad rows are errors with their line. */
static void
test_changes_read(void **state)
{
	static const char good[] =
		"资产编号,事项,日期,调入部门,责任人,借用人,归还日期,原因,批准人,批准文号\n"
		"BGS-1,调拨,2026-11-01,信息中心,王五,,,,,\n"
		"BGS-2,借出,,,,陈静,2026-11-20,,,\n"
		"XXZX-2,报废,2026-11-03,,,,,盘亏,周局长,示行服〔2026〕15号\n";
	static const char bad[] = "tag,event\nBGS-1,transfer\nBGS-2,挪用\n";
	char path[160];
	oa_asset_change *v;
	size_t n;
	char *store;
	oa_error err;

	snprintf(path, sizeof path, "%s/events.csv", dir);
	put(path, good, strlen(good));
	oa_error_clear(&err);
	assert_int_equal(oa_asset_changes_read(path, NULL, day("2026-11-02"), "王秘书", &v, &n,
	                                       &store, NULL, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].kind, OA_AEV_TRANSFER);
	assert_string_equal(v[0].department, "信息中心");
	assert_int_equal(v[1].kind, OA_AEV_LEND);
	assert_int_equal(v[1].date, day("2026-11-02"));
	assert_int_equal(v[1].due, day("2026-11-20"));
	assert_string_equal(v[1].actor, "王秘书");
	assert_int_equal(v[2].kind, OA_AEV_DISPOSE);
	assert_int_equal(v[2].method, OA_DISPOSE_SCRAP);
	assert_int_equal(v[2].line, 4);
	assert_int_equal(record(v, n, &err), 0);
	LINE_IS("XXZX-2", "XXZX-2,交换机,电子设备,fixed,8000.00,2026-02-01,3,信息中心,陈晓东,机房,报废");
	free(v);
	free(store);

	put(path, bad, strlen(bad));
	assert_int_equal(oa_asset_changes_read(path, NULL, day("2026-11-02"), NULL, &v, &n, &store,
	                                       NULL, &err), -1);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "unknown event \"挪用\""));
	/* A misspelt column is refused, not ignored. */
	put(path, "资产编号,事项,调入部门名称\nBGS-1,调拨,信息中心\n", strlen("资产编号,事项,调入部门名称\nBGS-1,调拨,信息中心\n"));
	assert_int_equal(oa_asset_changes_read(path, NULL, day("2026-11-02"), NULL, &v, &n, &store,
	                                       NULL, &err), -1);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "unknown column \"调入部门名称\""));
}

/* Reports: missing value and overdue loans. */
static void
test_reports(void **state)
{
	oa_asset_change c = change(OA_AEV_LEND, "BGS-2", "2026-11-01");
	oa_assetjournal j;
	oa_register r;
	oa_asset_overdue *v;
	size_t n;
	oa_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	oa_csv_writer *w;

	c.borrower = "陈静";
	c.borrower_department = "信息中心";
	c.due = day("2026-11-20");
	assert_int_equal(record(&c, 1, &err), 0);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(oa_register_load(&r, reg, NULL, &err), 0);
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-20"), &v, &n, &err), 0);
	assert_int_equal(n, 0); /* due that day: not yet late */
	free(v);
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-23"), &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].days, 3);
	free(v);
	mem = open_memstream(&buf, &len);
	w = oa_csv_writer_new(mem, false);
	assert_int_equal(oa_assetreport_missing(&r, w, "mem", &err), 1);
	oa_csv_writer_free(w);
	fclose(mem);
	assert_string_equal(buf, "tag,name,department,custodian,location,class,value,last_audit\n"
	                         "XXZX-2,交换机,信息中心,陈晓东,机房,fixed,8000.00,\n"
	                         "total,1,,,,,8000.00,\n");
	free(buf);
	oa_register_release(&r);
	oa_assetjournal_release(&j);
}

/*
 * Overdue on a past day: BGS-1 lent 11-01 due 11-05 to 陈静 (信息中心),
 * back 11-10, lent 11-20 due 11-25 to 王五 (办公室).  On 11-08 the first loan
 * is 3 days late though it came back; on 11-12 nothing is; on 11-30 the
 * second loan is 5 days late.  Without the events kept, a past day is an
 * error, not today's answer.
 */
static void
test_overdue_past(void **state)
{
	oa_asset_change c[3] = { change(OA_AEV_LEND, "BGS-1", "2026-11-01"),
	                         change(OA_AEV_RETURN, "BGS-1", "2026-11-10"),
	                         change(OA_AEV_LEND, "BGS-1", "2026-11-20") };
	oa_assetjournal j;
	oa_register r;
	oa_asset_overdue *v = NULL;
	size_t n;
	oa_error err;

	c[0].borrower = "陈静";
	c[0].borrower_department = "信息中心";
	c[0].due = day("2026-11-05");
	c[2].borrower = "王五";
	c[2].borrower_department = "办公室";
	c[2].due = day("2026-11-25");
	assert_int_equal(record(c, 3, &err), 0);
	assert_int_equal(oa_register_load(&r, reg, NULL, &err), 0);

	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_false(oa_assetreport_overdue_needs_events(&j, day("2026-11-30")));
	assert_true(oa_assetreport_overdue_needs_events(&j, day("2026-11-19")));
	oa_error_clear(&err);
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-08"), &v, &n, &err), -1);
	assert_non_null(strstr(err.msg, "events dated after 2026-11-08"));
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-30"), &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].st.borrower, "王五");
	assert_int_equal(v[0].days, 5);
	free(v);
	oa_assetjournal_release(&j);

	assert_int_equal(oa_assetjournal_load(&j, jpath, "*", &err), 0);
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-08"), &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].st.tag, "BGS-1");
	assert_string_equal(v[0].st.borrower, "陈静");
	assert_string_equal(v[0].st.borrower_department, "信息中心");
	assert_int_equal(v[0].st.lent_on, day("2026-11-01"));
	assert_int_equal(v[0].st.due, day("2026-11-05"));
	assert_int_equal(v[0].days, 3);
	assert_int_equal(v[0].row, 0);
	free(v);
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-12"), &v, &n, &err), 0);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-30"), &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].st.borrower, "王五");
	free(v);
	oa_assetjournal_release(&j);

	/* The same answers from the states of that day, kept in the one pass. */
	static const char *const days[] = { "2026-11-08", "2026-11-12", "2026-10-31" };
	static const size_t late[] = { 1, 0, 0 };
	for (size_t d = 0; d < 3; d++) {
		assert_int_equal(oa_assetjournal_load_as_of(&j, jpath, NULL, day(days[d]), &err), 0);
		assert_int_equal(j.nevents, 0);
		assert_int_equal(oa_assetreport_overdue(&j, &r, day(days[d]), &v, &n, &err), 0);
		assert_int_equal(n, late[d]);
		if (n == 1) {
			assert_string_equal(v[0].st.borrower, "陈静");
			assert_string_equal(v[0].st.borrower_department, "信息中心");
			assert_int_equal(v[0].st.lent_on, day("2026-11-01"));
			assert_int_equal(v[0].st.due, day("2026-11-05"));
			assert_int_equal(v[0].days, 3);
			assert_int_equal(v[0].row, 0);
		}
		free(v);
		oa_assetjournal_release(&j);
	}
	/* Before its first event, no state of that day. */
	{
		oa_asset_as_of a;
		assert_int_equal(oa_assetjournal_load_as_of(&j, jpath, NULL, day("2026-10-31"), &err), 0);
		assert_int_equal(j.nstates, 1);
		assert_false(oa_assetjournal_as_of(&j, 0, &a));
		oa_assetjournal_release(&j);
		/* After its last, the state now: lent to 王五. */
		assert_int_equal(oa_assetjournal_load_as_of(&j, jpath, NULL, day("2026-11-30"), &err), 0);
		assert_true(oa_assetjournal_as_of(&j, 0, &a));
		assert_int_equal(a.status, OA_AST_LENT);
		assert_string_equal(a.borrower, "王五");
		assert_int_equal(a.due, day("2026-11-25"));
		oa_assetjournal_release(&j);
	}
	/*
	 * A return on 11-26 and a new loan on 11-28 whose writer died before
	 * their commit: left out.  Read as of 11-27, the loan of 11-28 keeps
	 * the state before it, which is the uncommitted return's; that is
	 * dropped with the batch, so 11-27 is the committed loan's, 2 days late.
	 * (BGS-2's committed move of 11-29 makes that day one that needs the
	 * states kept: without it every state is that day's.)
	 */
	oa_register_release(&r);
	oa_asset_change move = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-29");
	move.location = "302室";
	assert_int_equal(record(&move, 1, &err), 0);
	oa_asset_change crashed[2] = { change(OA_AEV_RETURN, "BGS-1", "2026-11-26"),
	                               change(OA_AEV_LEND, "BGS-1", "2026-11-28") };
	crashed[1].borrower = "张三";
	crashed[1].due = day("2026-12-30");
	record_then_crash(crashed, 2);
	assert_int_equal(oa_register_load(&r, reg, NULL, &err), 0);
	assert_int_equal(oa_assetjournal_load_as_of(&j, jpath, NULL, day("2026-11-27"), &err), 0);
	assert_int_equal(j.pending, 2); /* left out (and said by the command) */
	assert_int_equal(oa_assetreport_overdue(&j, &r, day("2026-11-27"), &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].st.borrower, "王五");
	assert_int_equal(v[0].days, 2);
	free(v);
	oa_assetjournal_release(&j);
	oa_register_release(&r);
}

/*
 * 借出 and 维修 typed into the register: BGS-2 (no events) and XXZX-1 (no
 * events) are differences; BGS-3's 报废 (disposed before the journal) and
 * XXZX-2's 丢失 are not.  Overdue's list of lent rows without a loan has
 * BGS-2, and BGS-1 once its loan is returned and 借出 typed back in.
 */
static void
test_hand_edited(void **state)
{
	static const char edited[] =
		"资产编号,资产名称,资产类别,资产类型,原值,购置日期,使用年限,使用部门,责任人,存放地点,状态\n"
		"BGS-1,电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,借出\n"
		"BGS-2,\"打印机, 激光\",电子设备,fixed,2300.00,2026-01-12,3,办公室,李娜,301室,借出\n"
		"BGS-3,投影仪,电子设备,fixed,4600.00,2026-03-02,3,办公室,赵敏,302室,报废\n"
		"XXZX-1,服务器,电子设备,fixed,26000.00,2026-02-01,3,信息中心,陈晓东,机房,维修\n"
		"XXZX-2,交换机,电子设备,fixed,8000.00,2026-02-01,3,信息中心,陈晓东,机房,丢失\n";
	oa_asset_change c[2] = { change(OA_AEV_LEND, "BGS-1", "2026-11-01"),
	                         change(OA_AEV_RETURN, "BGS-1", "2026-11-10") };
	oa_assetjournal j;
	oa_register r;
	long *rows;
	size_t n;
	oa_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	oa_csv_writer *w;

	c[0].borrower = "陈静";
	c[0].due = day("2026-11-05");
	assert_int_equal(record(c, 2, &err), 0);
	put(reg, edited, strlen(edited));
	assert_int_equal(oa_register_load(&r, reg, NULL, &err), 0);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	mem = open_memstream(&buf, &len);
	w = oa_csv_writer_new(mem, false);
	assert_int_equal(oa_assetreport_check_unjournalled(&j, &r, w, "mem", &err), 2);
	oa_csv_writer_free(w);
	fclose(mem);
	assert_string_equal(buf,
		"BGS-2,status,no-events,借出,no event in the journal: only a lend makes an asset "
		"lent (typed in by hand?)\n"
		"XXZX-1,status,no-events,维修,no event in the journal: only a repair puts an asset "
		"in repair (typed in by hand?)\n");
	free(buf);
	assert_int_equal(oa_assetreport_lent_unrecorded(&j, &r, &rows, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0], 0); /* BGS-1: the journal left it in-use */
	assert_int_equal(rows[1], 1); /* BGS-2: no events */
	free(rows);
	oa_assetjournal_release(&j);
	oa_register_release(&r);
}

/*
 * Where an asset was in the past: BGS-1 moves 办公室 -> 信息中心 on 11-10
 * and back on 11-20.  End of 11-09: 办公室; 11-10 .. 11-19: 信息中心;
 * from 11-20: the register's (办公室).  An uncommitted third move is not
 * counted.
 */
static void
test_department_at(void **state)
{
	oa_asset_change c;
	oa_assetjournal j;
	const oa_asset_state *st;
	oa_error err;

	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-10");
	c.department = "信息中心";
	assert_int_equal(record(&c, 1, &err), 0);
	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-15");
	c.custodian = "王五";
	assert_int_equal(record(&c, 1, &err), 0);
	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-20");
	c.department = "办公室";
	assert_int_equal(record(&c, 1, &err), 0);
	c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-25");
	c.department = "信息中心";
	record_then_crash(&c, 1);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	st = oa_assetjournal_state(&j, "BGS-1");
	assert_non_null(st);
	assert_string_equal(oa_assetjournal_department_at(&j, st, day("2026-11-09"), "now"), "办公室");
	assert_string_equal(oa_assetjournal_department_at(&j, st, day("2026-11-10"), "now"), "信息中心");
	assert_string_equal(oa_assetjournal_department_at(&j, st, day("2026-11-19"), "now"), "信息中心");
	assert_string_equal(oa_assetjournal_department_at(&j, st, day("2026-11-20"), "now"), "now");
	assert_string_equal(oa_assetjournal_department_at(&j, st, day("2026-11-30"), "now"), "now");
	oa_assetjournal_release(&j);
}

/* Eight writers at once, each moving its own asset: all recorded, in one gap-free sequence. */
static void
test_concurrent(void **state)
{
	static const char head[] = "tag,department,location,status\n";
	char text[4096];
	size_t used = 0;
	oa_assetjournal j;
	oa_error err;

	used += (size_t)snprintf(text + used, sizeof text - used, "%s", head);
	for (int i = 0; i < 8; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "T-%d,办公室,A,in-use\n", i);
	put(reg, text, used);
	for (int i = 0; i < 8; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			char tag[16];
			snprintf(tag, sizeof tag, "T-%d", i);
			oa_asset_change c = change(OA_AEV_TRANSFER, tag, "2026-11-01");
			c.location = "B";
			_exit(record(&c, 1, &err) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < 8; i++) {
		int status;
		assert_true(wait(&status) > 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(j.last_seq, 16);
	for (int i = 0; i < 8; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "T-%d", i);
		assert_string_equal(oa_assetjournal_state(&j, tag)->location, "B");
	}
	oa_assetjournal_release(&j);
	char *after = slurp(reg);
	assert_null(strstr(after, ",A,"));
	free(after);
}

/*
 * A journal an editor saved again: load and record both refuse it, say
 * what they found, and leave journal, state file and register as they
 * were; a record cut short by a crash is left out (torn_line) and cut off
 * by the next writer.
 */
static void
test_editor_saved(void **state)
{
	oa_asset_change c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
	oa_assetjournal j;
	oa_error err;
	char sp[160], *good, *st, *regtext;
	size_t n;
	static const struct {
		const char *name, *msg;
	} cases[] = {
		{ "no line end", "was saved by an editor: the last record has no line end (it is whole" },
		{ "crlf", "was saved by an editor: line ends are CRLF; " },
		{ "bom", "was saved by an editor: it starts with a UTF-8 byte order mark (BOM); " },
	};

	c.custodian = "王五";
	assert_int_equal(record(&c, 1, &err), 0);
	good = slurp(jpath);
	n = strlen(good);
	snprintf(sp, sizeof sp, "%s.state", jpath);
	st = slurp(sp);
	regtext = slurp(reg);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *bad = malloc(2 * n + 4), *now;
		size_t m = 0;

		if (k == 0) {
			memcpy(bad, good, n - 1);
			m = n - 1;
		} else if (k == 1) {
			for (size_t i = 0; i < n; i++) {
				if (good[i] == '\n')
					bad[m++] = '\r';
				bad[m++] = good[i];
			}
		} else {
			memcpy(bad, "\xEF\xBB\xBF", 3);
			memcpy(bad + 3, good, n);
			m = n + 3;
		}
		put(jpath, bad, m);
		oa_error_clear(&err);
		assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
		assert_non_null(strstr(err.msg, cases[k].msg));
		assert_non_null(strstr(err.msg, "nothing was changed"));
		assert_int_equal(err.line, k == 0 ? 3 : 1);
		oa_assetjournal_release(&j);
		c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
		c.custodian = "赵六";
		assert_int_equal(record(&c, 1, &err), -1);
		assert_non_null(strstr(err.msg, cases[k].msg));
		now = slurp(jpath);
		assert_int_equal(strlen(now), m);
		assert_memory_equal(now, bad, m);
		free(now);
		now = slurp(sp);
		assert_string_equal(now, st);
		free(now);
		now = slurp(reg);
		assert_string_equal(now, regtext);
		free(now);
		free(bad);
	}

	/* Torn: the last record cut inside its chain value. */
	put(jpath, good, n);
	{
		char *more;
		size_t len;
		c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
		c.custodian = "赵六";
		/* A second run's records, its state file as before it (written last). */
		assert_int_equal(record(&c, 1, &err), 0);
		more = slurp(jpath);
		len = strlen(more);
		put(sp, st, strlen(st));
		put(reg, regtext, strlen(regtext));
		/* Keep the first run's records and 100 bytes of the next. */
		put(jpath, more, n + 100);
		assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
		assert_int_equal(j.torn_line, 4);
		assert_int_equal(j.last_seq, 2);
		oa_assetjournal_release(&j);
		assert_int_equal(record(&c, 1, &err), 0);
		assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
		assert_int_equal(j.torn_line, 0);
		assert_int_equal(j.last_seq, 4);
		assert_string_equal(oa_assetjournal_state(&j, "BGS-2")->custodian, "赵六");
		oa_assetjournal_release(&j);
		(void)len;
		free(more);
	}
	free(good);
	free(st);
	free(regtext);
}

/*
 * A journal lost, moved or emptied: its state file knows records, or the
 * register shows a loan; nothing is created or changed.
 */
static void
test_lost(void **state)
{
	oa_asset_change c = change(OA_AEV_LEND, "BGS-1", "2026-11-01");
	oa_assetjournal j;
	oa_register r;
	oa_error err;
	oa_csv_options opt;
	char sp[160], moved[160], *regtext;

	c.borrower = "陈静";
	c.due = day("2026-12-20");
	assert_int_equal(record(&c, 1, &err), 0);
	snprintf(sp, sizeof sp, "%s.state", jpath);
	snprintf(moved, sizeof moved, "%s/moved.journal", dir);
	assert_int_equal(rename(jpath, moved), 0);
	oa_error_clear(&err);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "the journal is lost, moved or emptied: it does not exist, "
	                                "but its state file"));
	assert_string_equal(err.file, jpath);
	oa_assetjournal_release(&j);
	c = change(OA_AEV_TRANSFER, "BGS-2", "2026-11-02");
	c.custodian = "赵六";
	regtext = slurp(reg);
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "lost, moved or emptied"));
	assert_int_equal(access(jpath, F_OK), -1); /* no new journal */
	put(jpath, "", 0);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "lost, moved or emptied: it holds no record"));
	oa_assetjournal_release(&j);

	/* No state file either: the register's loan shows it. */
	unlink(sp);
	unlink(jpath);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	oa_csv_options_init(&opt);
	assert_int_equal(oa_register_load(&r, reg, &opt, &err), 0);
	oa_error_clear(&err);
	assert_int_equal(oa_assetjournal_check_lost(&j, &r, &err), -1);
	assert_string_equal(err.file, reg);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "the register shows 1 asset lent (借出), the first (BGS-1)"));
	oa_register_release(&r);
	oa_assetjournal_release(&j);
	assert_int_equal(record(&c, 1, &err), -1);
	assert_non_null(strstr(err.msg, "lost, moved or emptied"));
	assert_int_equal(access(jpath, F_OK), -1);
	{
		char *now = slurp(reg);
		assert_string_equal(now, regtext);
		free(now);
	}
	/* The journal back: it explains the loan. */
	assert_int_equal(rename(moved, jpath), 0);
	assert_int_equal(oa_assetjournal_load(&j, jpath, NULL, &err), 0);
	assert_int_equal(oa_register_load(&r, reg, &opt, &err), 0);
	assert_int_equal(oa_assetjournal_check_lost(&j, &r, &err), 0);
	oa_register_release(&r);
	oa_assetjournal_release(&j);
	assert_int_equal(record(&c, 1, &err), 0);
	free(regtext);
}

/* Readers' locks: two at once; a writer refused while they hold them. */
static void
test_read_locks(void **state)
{
	oa_assetlog_locks a, b, none;
	oa_asset_change c = change(OA_AEV_TRANSFER, "BGS-1", "2026-11-01");
	oa_assetlog_options o = options();
	oa_error err;
	char *regtext;

	oa_error_clear(&err);
	assert_int_equal(oa_assetlog_lock_read(&a, reg, jpath, 0, "r1", &err), 0);
	assert_int_equal(oa_assetlog_lock_read(&b, reg, jpath, 0, "r2", &err), 0);
	assert_true(a.reg.fd >= 0 && a.journal.fd >= 0 && b.reg.fd >= 0 && b.journal.fd >= 0);
	c.custodian = "王五";
	o.lock_timeout_ms = 100;
	regtext = slurp(reg);
	assert_int_equal(oa_assetlog_record(jpath, reg, &c, 1, &o, &err), -1);
	assert_non_null(strstr(err.msg, "is locked by"));
	{
		char *now = slurp(reg);
		assert_string_equal(now, regtext);
		free(now);
	}
	assert_int_equal(access(jpath, F_OK), -1);
	oa_assetlog_unlock(&a);
	assert_int_equal(oa_assetlog_record(jpath, reg, &c, 1, &o, &err), -1); /* b still reads */
	oa_assetlog_unlock(&b);
	oa_assetlog_unlock(&b); /* twice is harmless */
	assert_int_equal(oa_assetlog_record(jpath, reg, &c, 1, &o, &err), 0);
	/* Only the register: the journal's lock is not taken. */
	assert_int_equal(oa_assetlog_lock_read(&none, reg, NULL, 0, "r3", &err), 0);
	assert_true(none.reg.fd >= 0);
	assert_int_equal(none.journal.fd, -1);
	oa_assetlog_unlock(&none);
	free(regtext);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uncommitted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_style, setup, teardown),
		cmocka_unit_test_setup_teardown(test_added_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_lines_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overdue_past, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_edited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_department_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_editor_saved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_locks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
