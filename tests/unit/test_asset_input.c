/*
 * test_asset_input.c - the register and an events list as an office
 * exports them (assetregister.h, assetjournal.h): a total row skipped and
 * written back where it was, a bare-comma row skipped, a row whose cells
 * shifted named by column, the registered tag one edit from a mistyped
 * one, and in an events list the same event twice and a note on two
 * lines.  Each case is a small file in a scratch directory.
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

#include "assetjournal.h"
#include "assetregister.h"

static char dir[64], path[128];

static const char head[] =
	"资产编号,资产名称,资产类别,资产类型,原值,购置日期,使用年限,使用部门,责任人,存放地点,状态\n"
	"BGS-2026-0001-O,台式电脑,电子设备,fixed,5200.00,2026-01-12,3,办公室,张伟,301室,在用\n"
	"BGS-2026-0002-M,打印机,电子设备,fixed,2300.00,2026-01-12,3,办公室,李娜,301室,在用\n";

static void
put(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/oa-input-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/input.csv", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

/* The register written to memory. */
static char *
written(const oa_register *reg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	oa_error err;

	assert_non_null(mem);
	oa_error_clear(&err);
	assert_int_equal(oa_register_write(reg, mem, "mem", &err), 0);
	fclose(mem);
	return buf;
}

static void
test_total_row(void **state)
{
	oa_register reg;
	oa_error err;
	char text[2048], *out;

	(void)state;
	snprintf(text, sizeof text, "%s合计,,,,7500.00,,,,,,\n,,,,,,,,,,\n", head);
	put(text);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), 0);
	assert_int_equal(reg.nrows, 2);
	assert_int_equal(reg.ntotals, 1);
	assert_int_equal(reg.total_lines[0], 4);
	assert_string_equal(reg.total_words[0], "合计");
	/* Unchanged: the same bytes. */
	out = written(&reg);
	assert_string_equal(out, text);
	free(out);
	/* The row above the total changed: the total and the blank row stay below it. */
	assert_int_equal(oa_register_set(&reg, 1, OA_REG_CUSTODIAN, "王强", &err), 0);
	out = written(&reg);
	assert_non_null(strstr(out, "BGS-2026-0002-M,打印机,电子设备,fixed,2300.00,2026-01-12,3,办公室,"
	                            "王强,301室,在用\n合计,,,,7500.00,,,,,,\n,,,,,,,,,,\n"));
	free(out);
	/* A column added (headed in the header's Chinese): every row rewritten, the skipped ones kept. */
	assert_int_equal(oa_register_set(&reg, 0, OA_REG_NOTE, "值班用", &err), 0);
	out = written(&reg);
	assert_non_null(strstr(out, ",状态,备注\n"));
	assert_non_null(strstr(out, ",在用,\n合计,,,,7500.00,,,,,,\n,,,,,,,,,,\n"));
	free(out);
	oa_register_release(&reg);
}

static void
test_shifted_row(void **state)
{
	oa_register reg;
	oa_error err;
	char text[2048];

	(void)state;
	/* 1,500.00 unquoted: 原值 1, 购置日期 500.00. */
	snprintf(text, sizeof text, "%sBGS-2026-0003-K,椅子,家具,fixed,1,500.00,2026-03-02,5,办公室,"
	         "张伟,301室,在用\n", head);
	put(text);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), -1);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "12 cells where the header has 11: column 6 (购置日期) holds "
	                    "\"500.00\", expected a date (2026-01-12): a cell too many at or before "
	                    "it (an unquoted comma, as in 1,234.50? quote the cell)");
	oa_register_release(&reg);
	/* No 原值: the date lands in it. */
	snprintf(text, sizeof text, "%sBGS-2026-0003-K,椅子,家具,fixed,2026-03-02,5,办公室,张伟,"
	         "301室,在用\n", head);
	put(text);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), -1);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "10 cells where the header has 11: column 5 (原值) holds "
	                    "\"2026-03-02\", expected an amount in yuan (5200.00): a cell missing "
	                    "at or before it");
	oa_register_release(&reg);
	/* A short row whose cells are in place is read. */
	snprintf(text, sizeof text, "%sBGS-2026-0003-K,椅子,家具,low-value,500.00\n", head);
	put(text);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), 0);
	assert_int_equal(reg.nrows, 3);
	assert_string_equal(oa_register_get(&reg, 2, OA_REG_STATUS), "");
	oa_register_release(&reg);
}

static void
test_suggest(void **state)
{
	oa_register reg;
	oa_error err;
	char hint[320];

	(void)state;
	put(head);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), 0);
	oa_register_suggest(&reg, "BGS-2026-0001-X", 15, hint, sizeof hint);
	assert_string_equal(hint, "; its check character is wrong: did you mean \"BGS-2026-0001-O\"?");
	/* Typed loosely, answered in the register's spelling. */
	oa_register_suggest(&reg, "bgs20260001x", 12, hint, sizeof hint);
	assert_string_equal(hint, "; its check character is wrong: did you mean \"BGS-2026-0001-O\"?");
	/* M is 0002's check character: 0001-O and 0002-M are both one edit away. */
	oa_register_suggest(&reg, "BGS-2026-0001-M", 15, hint, sizeof hint);
	assert_non_null(strstr(hint, "2 registered tags are one edit away"));
	assert_non_null(strstr(hint, "\"BGS-2026-0001-O\""));
	assert_non_null(strstr(hint, "\"BGS-2026-0002-M\""));
	/* A valid tag that is not registered: nothing to say. */
	oa_register_suggest(&reg, "BGS-2026-0001-O", 15, hint, sizeof hint);
	assert_string_equal(hint, "");
	oa_register_suggest(&reg, "BGS-2026-0009-X", 15, hint, sizeof hint);
	assert_string_equal(hint, "; its check character is wrong, and no registered tag is one "
	                    "edit away");
	oa_register_release(&reg);
}

static void
test_events(void **state)
{
	oa_asset_change *v;
	oa_asset_changes_skipped sk;
	size_t n;
	char *store;
	oa_error err;

	(void)state;
	put("tag,event,department,note\n"
	    "BGS-2026-0001-O,transfer,财务科,\"一\r\n二\n三\"\n"
	    "合计,,,\n");
	oa_error_clear(&err);
	assert_int_equal(oa_asset_changes_read(path, NULL, 20000, NULL, &v, &n, &store, &sk, &err),
	                 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].note, "一 二 三");
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.lines[0], 5);
	assert_string_equal(sk.words[0], "合计");
	oa_asset_changes_skipped_release(&sk);
	free(v);
	free(store);

	put("tag,event,custodian\n"
	    "BGS-2026-0001-O,transfer,王强\n"
	    "BGS-2026-0002-M,repair,\n"
	    "bgs-2026-0001-o,transfer, 王强\n");
	oa_error_clear(&err);
	assert_int_equal(oa_asset_changes_read(path, NULL, 20000, NULL, &v, &n, &store, &sk, &err),
	                 -1);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "transfer on line 2 and again on line 4"));
	oa_asset_changes_skipped_release(&sk);

	/* Two transfers that say different things are two moves. */
	put("tag,event,custodian\n"
	    "BGS-2026-0001-O,transfer,王强\n"
	    "bgs-2026-0001-o,transfer,李四\n");
	oa_error_clear(&err);
	assert_int_equal(oa_asset_changes_read(path, NULL, 20000, NULL, &v, &n, &store, &sk, &err),
	                 0);
	assert_int_equal(n, 2);
	oa_asset_changes_skipped_release(&sk);
	free(v);
	free(store);

	put("tag,event,borrower,due\n"
	    "BGS-2026-0001-O,lend,王强,2026-12-20\n"
	    "BGS-2026-0001-O,return,,\n"
	    "BGS-2026-0001-O,lend,李四,2026-12-30\n");
	oa_error_clear(&err);
	assert_int_equal(oa_asset_changes_read(path, NULL, 20000, NULL, &v, &n, &store, NULL, &err),
	                 0);
	assert_int_equal(n, 3);
	free(v);
	free(store);

	put("tag,event,custodian\nBGS-2026-0001-O,transfer,\"王\n强\"\n");
	oa_error_clear(&err);
	assert_int_equal(oa_asset_changes_read(path, NULL, 20000, NULL, &v, &n, &store, NULL, &err),
	                 -1);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "a line break inside column 3 (custodian) \"王\": only a note or "
	                    "a reason may have several lines");
}

/*
 * The register's fast path (every row plain, LF) and its reader give the
 * same register: the same rows, lines, cells and bytes written back.  The
 * same rows are loaded as this toolkit writes them (fast) and with a last
 * line the fast path will not take (no line end, a bare-comma row, a
 * quoted cell with a line break), where the reader reads them all.
 */
static void
same_register(const char *fast_text, const char *slow_text, size_t rows)
{
	oa_register a, b;
	oa_error err;

	put(fast_text);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&a, path, NULL, &err), 0);
	put(slow_text);
	assert_int_equal(oa_register_load(&b, path, NULL, &err), 0);
	assert_int_equal(a.nrows, rows);
	assert_int_equal(b.nrows, rows);
	assert_int_equal(a.width, b.width);
	if (rows > 0) { /* else the header is all there is, one byte longer */
		assert_int_equal(a.head_len, b.head_len);
		assert_int_equal(a.head_own, b.head_own);
	}
	for (size_t r = 0; r < rows; r++) {
		assert_int_equal(oa_register_line(&a, r), oa_register_line(&b, r));
		for (int c = 0; c < OA_REG_NCOLS; c++)
			assert_string_equal(oa_register_get(&a, r, c), oa_register_get(&b, r, c));
		/* The status kept from the reading is the cell's. */
		const char *st = oa_register_get(&a, r, OA_REG_STATUS);
		assert_int_equal(oa_register_status(&a, r), oa_asset_status_read(st, strlen(st)));
		assert_int_equal(oa_register_status(&b, r), oa_asset_status_read(st, strlen(st)));
		assert_int_equal(oa_register_find(&a, oa_register_get(&a, r, OA_REG_TAG), 15),
		                 (long)r);
	}
	oa_register_release(&a);
	oa_register_release(&b);
}

static void
test_fast_rows(void **state)
{
	char fast[2048], slow[4096];
	(void)state;

	/* Quoted cells, "" inside, an empty cell, Chinese: all plain. */
	snprintf(fast, sizeof fast, "%s%s", head,
	         "BGS-2026-0004-I,\"投影仪, 便携\",电子设备,fixed,\"4,600.00\",2026-03-02,5,"
	         "办公室,赵敏,\"302\"\"会议室\",\n");
	/* The same without the last line end: the reader reads every row. */
	snprintf(slow, sizeof slow, "%s", fast);
	slow[strlen(slow) - 1] = '\0';
	same_register(fast, slow, 3);
	/* A bare-comma row at the end: skipped by the reader. */
	snprintf(slow, sizeof slow, "%s,,,,,,,,,,\n", fast);
	same_register(fast, slow, 3);
	/* A header-only register. */
	same_register("资产编号,资产名称\n", "资产编号,资产名称", 0);

	/* Written back byte for byte, by either path. */
	oa_register reg;
	oa_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	put(fast);
	oa_error_clear(&err);
	assert_int_equal(oa_register_load(&reg, path, NULL, &err), 0);
	mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	assert_int_equal(oa_register_write(&reg, mem, path, &err), 0);
	fclose(mem);
	assert_int_equal(len, strlen(fast));
	assert_memory_equal(buf, fast, len);
	free(buf);
	oa_register_release(&reg);
}

/* Every status word reads as its status, in English and Chinese, as
 * written and as typed loosely; other words are none. */
static void
test_status_words(void **state)
{
	static const char *const loose[] = { "In Use", "IN-USE", " 在用 ", "维修中", "已借出",
		                             "送修", "在用中", "遗失", "已报废" };
	static const oa_asset_status want[] = { OA_AST_IN_USE, OA_AST_IN_USE, OA_AST_IN_USE,
		                                OA_AST_REPAIR, OA_AST_LENT, OA_AST_REPAIR,
		                                OA_AST_IN_USE, OA_AST_MISSING, OA_AST_DISPOSED };
	(void)state;
	for (int i = 1; i < OA_AST_COUNT; i++) {
		const char *en = oa_asset_status_en((oa_asset_status)i);
		const char *zh = oa_asset_status_zh((oa_asset_status)i);
		assert_int_equal(oa_asset_status_read(en, strlen(en)), i);
		assert_int_equal(oa_asset_status_read(zh, strlen(zh)), i);
		/* A word cut short or run on is not the status. */
		assert_int_equal(oa_asset_status_read(en, strlen(en) - 1), OA_AST_NONE);
	}
	for (size_t i = 0; i < sizeof loose / sizeof loose[0]; i++)
		assert_int_equal(oa_asset_status_read(loose[i], strlen(loose[i])), want[i]);
	assert_int_equal(oa_asset_status_read("未找到", strlen("未找到")), OA_AST_NONE);
	assert_int_equal(oa_asset_status_read("lentx", 5), OA_AST_NONE);
	assert_int_equal(oa_asset_status_read("", 0), OA_AST_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_total_row),
		cmocka_unit_test(test_shifted_row),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_fast_rows),
		cmocka_unit_test(test_status_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
