/*
 * test_utf8.c - validation, folding, edit distance and display width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

static void
test_valid(void **state)
{
	size_t bad = 99, complete = 0;

	(void)state;
	assert_int_equal(oa_utf8_valid("abc名称", strlen("abc名称"), &bad), 0);
	assert_int_equal(oa_utf8_valid("abc\xC0\x80", 5, &bad), -1); /* overlong NUL */
	assert_int_equal(bad, 3);
	assert_int_equal(oa_utf8_valid("abcdefghij\xED\xA0\x80", 13, &bad), -1); /* surrogate */
	assert_int_equal(bad, 10);
	assert_int_equal(oa_utf8_valid("abcdefgh\0", 9, &bad), -1);
	assert_int_equal(bad, 8);
	assert_int_equal(oa_utf8_valid("\xF4\x90\x80\x80", 4, &bad), -1); /* > U+10FFFF */
	/* Cut at the end: an error for valid(), a shorter prefix for valid_prefix(). */
	assert_int_equal(oa_utf8_valid("ab\xE5\x90", 4, &bad), -1);
	assert_int_equal(oa_utf8_valid_prefix("ab\xE5\x90", 4, &bad, &complete), 0);
	assert_int_equal(complete, 2);
	assert_int_equal(oa_utf8_valid_prefix("ab\xE5" "x", 4, &bad, &complete), -1);
	assert_int_equal(bad, 2);
}

static void
test_fold(void **state)
{
	char out[64];

	(void)state;
	oa_utf8_fold("\xE3\x80\x80 ＴＡＧ－Ｎｏ ", strlen("\xE3\x80\x80 ＴＡＧ－Ｎｏ "), out, sizeof out, 0);
	assert_string_equal(out, "tag-no");
	oa_utf8_fold("Last Audit", 10, out, sizeof out, OA_FOLD_SEPARATORS);
	assert_string_equal(out, "last_audit");
	oa_utf8_fold(" adm-2026-000001-k ", 19, out, sizeof out, OA_FOLD_UPPER);
	assert_string_equal(out, "ADM-2026-000001-K");
	oa_utf8_fold("资产编号", strlen("资产编号"), out, sizeof out, 0);
	assert_string_equal(out, "资产编号");
	/* Truncation never splits a character. */
	oa_utf8_fold("资产编号", strlen("资产编号"), out, 8, 0);
	assert_string_equal(out, "资产");
}

static void
test_distance_and_width(void **state)
{
	(void)state;
	assert_int_equal(oa_utf8_edit_distance("财务科", 9, "财务处", 9), 1);
	assert_int_equal(oa_utf8_edit_distance("kitten", 6, "sitting", 7), 3);
	assert_int_equal(oa_utf8_edit_distance("", 0, "办公室", 9), 3);
	assert_int_equal(oa_utf8_width("ab办公", strlen("ab办公")), 6);
	assert_int_equal(oa_utf8_length("ab办公", strlen("ab办公")), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_distance_and_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
