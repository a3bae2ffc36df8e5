/*
 * test_utf8.c - validation, folding, edit distance and display width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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

/*
 * An independent reading of RFC 3629's table (section 4): the code point
 * of each sequence, its length minimal, no surrogate, at most U+10FFFF,
 * no NUL.  oa_utf8_valid (sixteen bytes at a time where it can) must agree
 * with it.
 */
static int
reference_valid(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned c = s[i], n, cp;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			n = 2, cp = c & 0x1F;
		else if ((c & 0xF0) == 0xE0)
			n = 3, cp = c & 0x0F;
		else if ((c & 0xF8) == 0xF0)
			n = 4, cp = c & 0x07;
		else
			return 0;
		if (i + n > len)
			return 0;
		for (unsigned k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return 0;
		i += n;
	}
	return 1;
}

/* SEQ[0..n) put after PAD letters and followed by TRAIL letters. */
static void
agree_at(const unsigned char *seq, size_t n)
{
	unsigned char buf[128];

	/* Around the sixteen-byte blocks, and the thirty-two-byte ones that
	 * start at 16 where the CPU has AVX2 (boundaries 48 and 80). */
	static const size_t pads[] = { 0, 1, 2, 12, 13, 14, 15, 16, 17, 18, 19, 20, 29, 30, 31,
		                       32, 33, 45, 46, 47, 48, 49, 50, 62, 63, 64, 77, 78, 79, 80,
		                       81 };

	for (size_t p = 0; p < sizeof pads / sizeof pads[0]; p++) {
		size_t pad = pads[p];
		for (size_t trail = 0; trail <= 34; trail += 17) {
			memset(buf, 'a', pad);
			memcpy(buf + pad, seq, n);
			memset(buf + pad + n, 'b', trail);
			size_t len = pad + n + trail;
			int want = reference_valid(buf, len);
			if ((oa_utf8_valid((const char *)buf, len, NULL) == 0) != want)
				fail_msg("sequence of %zu bytes (%02x %02x ...) after %zu: want %d", n,
				         seq[0], n > 1 ? seq[1] : 0, pad, want);
		}
	}
}

static void
test_valid_agrees_with_rfc3629(void **state)
{
	static const unsigned char edge[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
	                                      0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0,
	                                      0xF4, 0xF5, 0xFF };
	const size_t ne = sizeof edge;
	unsigned char seq[4];
	unsigned seed = 7;

	(void)state;
	for (unsigned a = 0; a < 256; a++) {
		seq[0] = (unsigned char)a;
		agree_at(seq, 1);
		for (unsigned b = 0; b < 256; b++) {
			seq[1] = (unsigned char)b;
			agree_at(seq, 2);
		}
		for (size_t b = 0; b < ne; b++)
			for (size_t c = 0; c < ne; c++) {
				seq[1] = edge[b];
				seq[2] = edge[c];
				agree_at(seq, 3);
				for (size_t d = 0; d < ne; d += 3) {
					seq[3] = edge[d];
					agree_at(seq, 4);
				}
			}
	}
	/* Random text of Chinese, ASCII and stray bytes. */
	for (int round = 0; round < 20000; round++) {
		unsigned char buf[160];
		size_t len = (size_t)(rand_r(&seed) % 150);
		for (size_t i = 0; i < len;) {
			unsigned r = (unsigned)rand_r(&seed) % 10;
			if (r < 5 || len - i < 3)
				buf[i++] = (unsigned char)(r < 4 ? 'x' : rand_r(&seed) % 256);
			else {
				memcpy(buf + i, "\xE5\x8A\x9E", 3); /* 办 */
				i += 3;
			}
		}
		assert_int_equal(oa_utf8_valid((const char *)buf, len, NULL) == 0,
		                 reference_valid(buf, len));
	}
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

/* oa_utf8_trim of IN is EXPECT (both NUL-terminated). */
static void
trims_to(const char *in, const char *expect)
{
	const char *s = in;
	size_t len = strlen(in);

	oa_utf8_trim(&s, &len);
	assert_int_equal(len, strlen(expect));
	assert_memory_equal(s, expect, len);
}

static void
test_trim(void **state)
{
	(void)state;
	trims_to("王五", "王五");
	trims_to(" 王五\t", "王五");
	trims_to("王五\xE3\x80\x80", "王五");               /* ideographic space */
	trims_to("\xC2\xA0王五\xC2\xA0", "王五");           /* no-break space */
	trims_to("\xEF\xBB\xBF王五\r\n", "王五");           /* BOM, line end */
	trims_to("\xE3\x80\x80 \xC2\xA0", "");              /* nothing but spaces */
	trims_to("王\xE3\x80\x80五", "王\xE3\x80\x80五");    /* inside: kept */
	trims_to("", "");
	/* A lone A0 or 80 80 is not a space: invalid bytes are kept. */
	trims_to("x\xA0", "x\xA0");
	trims_to("x\x80\x80", "x\x80\x80");
	/* 面 is E9 9D A2: its last byte is not the start of a space. */
	trims_to("面 ", "面");
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
		cmocka_unit_test(test_valid_agrees_with_rfc3629),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_distance_and_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
