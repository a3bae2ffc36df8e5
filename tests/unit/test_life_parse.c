/*
 * test_life_parse.c - the register cells asset-log reads as numbers:
 * useful lives (oa_dep_life_parse: 6, 6.00, 6年, 72月, 72个月 and what is
 * refused) and values in yuan as a spreadsheet shows money (oa_value_fen:
 * ¥1,234.50, 1234.5元 and what is refused), table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "assetreport.h"
#include "depreciation.h"

static void
test_life_parse(void **state)
{
	static const struct {
		const char *in;
		long years; /* 0: refused */
	} cases[] = {
		{ "6", 6 },         { " 6 ", 6 },      { "6.00", 6 },     { "6.0", 6 },
		{ "6年", 6 },       { "6 年", 6 },     { "72月", 6 },     { "72个月", 6 },
		{ "12个月", 1 },    { "100", 100 },    { "1200月", 100 }, { "15年", 15 },
		/* not whole years, or not a life at all */
		{ "", 0 },          { " ", 0 },        { "0", 0 },        { "0年", 0 },
		{ "101", 0 },       { "6.5", 0 },      { "6.", 0 },       { ".5", 0 },
		{ "18个月", 0 },    { "6月", 0 },      { "-6", 0 },       { "6年6月", 0 },
		{ "六年", 0 },      { "6 years", 0 },  { "x", 0 },        { "2026-01-12", 0 },
		{ "99999999999", 0 }, { "年", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long years = -7;
		int rc = oa_dep_life_parse(cases[i].in, strlen(cases[i].in), &years);
		if (cases[i].years == 0) {
			if (rc != -1)
				fail_msg("\"%s\" was taken as %ld years", cases[i].in, years);
			assert_int_equal(years, -7); /* untouched on refusal */
		} else {
			if (rc != 0)
				fail_msg("\"%s\" was refused", cases[i].in);
			assert_int_equal(years, cases[i].years);
		}
	}
	/* The length counts, not the NUL: "6年" cut after "6". */
	long years = 0;
	assert_int_equal(oa_dep_life_parse("6年", 1, &years), 0);
	assert_int_equal(years, 6);
}

static void
test_value_fen(void **state)
{
	static const struct {
		const char *in;
		long long fen; /* -1: refused */
	} cases[] = {
		{ "1234.50", 123450 },      { "1234.5", 123450 },     { "", 0 },
		{ "¥1,234.50", 123450 },    { "￥1,234.50", 123450 },  { "1,234.50", 123450 },
		{ "1234.5元", 123450 },     { "1234.50 元", 123450 }, { "¥ 1,234.50", 123450 },
		{ "1,234,567.89", 123456789 }, { "17,998", 1799800 }, { "0.01元", 1 },
		{ "12.345", -1 },           { "1,23", -1 },           { "1.234,50", -1 },
		{ "元", -1 },               { "abc", -1 },            { "1234.50$", -1 },
		{ "-5", -1 },               { "1 234.50", -1 },       { "¥", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long fen = -7;
		int rc = oa_value_fen(cases[i].in, &fen);
		if (cases[i].fen < 0) {
			if (rc != -1)
				fail_msg("\"%s\" was taken as %lld fen", cases[i].in, fen);
		} else {
			if (rc != 0)
				fail_msg("\"%s\" was refused", cases[i].in);
			assert_int_equal(fen, cases[i].fen);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_life_parse),
		cmocka_unit_test(test_value_fen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
