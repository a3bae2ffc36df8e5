/*
 * test_tag.c - the MOD 37,36 check character, tag validation,
 * normalisation and the search for registered tags one edit away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tag.h"

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

#define S(s) s, strlen(s)

/*
 * Worked by hand with P = 36, S = (P mod 37 + a) mod 36 (0 -> 36), P = 2S:
 *   "A1":  A=10: S=(36+10)%36=10, P=20;  1: S=21, P=42
 *          check = (37 - 42%37) % 36 = 32 -> 'W'
 *   "ADM-2026-000123": P after each character
 *          A 20, D 66, M 30, 2 64, 0 54, 2 38, 6 14, 0 28, 0 56, 0 38, 1 4,
 *          2 12, 3 30;  check = (37 - 30) % 36 = 7 -> '7'
 * and the GRid example A1-2425G-ABC1234002-M (GRid uses MOD 37,36).
 */
static void
test_check_char_worked(void **state)
{
	(void)state;
	assert_int_equal(oa_tag_check_char(S("A1")), 'W');
	assert_int_equal(oa_tag_check_char(S("ADM-2026-000123")), '7');
	assert_int_equal(oa_tag_check_char(S("A1-2425G-ABC1234002")), 'M');
	assert_int_equal(oa_tag_check_char(S("A12425GABC1234002")), 'M');
}

static void
test_check_char_separators_and_case(void **state)
{
	(void)state;
	assert_int_equal(oa_tag_check_char(S("ADM2026000123")), '7');
	assert_int_equal(oa_tag_check_char(S("adm-2026-000123")), '7');
	assert_int_equal(oa_tag_check_char(S("ADM 2026/000123")), '7');
	/* Not alphanumeric nor ASCII punctuation: no check character. */
	assert_int_equal(oa_tag_check_char(S("办公室-2026")), 0);
	assert_int_equal(oa_tag_check_char(S("ADM\t1")), 0);
	assert_int_equal(oa_tag_check_char(S("")), 0);
	assert_int_equal(oa_tag_check_char(S("---")), 0);
}

static void
test_valid(void **state)
{
	(void)state;
	assert_true(oa_tag_valid(S("ADM-2026-000123-7")));
	assert_true(oa_tag_valid(S("adm-2026-000123-7")));
	assert_true(oa_tag_valid(S("A1W")));
	assert_true(oa_tag_valid(S("A12425GABC1234002M")));
	assert_false(oa_tag_valid(S("ADM-2026-000123-8")));
	assert_false(oa_tag_valid(S("ADM-2026-000123")));
	assert_false(oa_tag_valid(S("W")));
	assert_false(oa_tag_valid(S("")));
	assert_false(oa_tag_valid(S("办公室-7")));
}

/* Every single substitution of every character is caught. */
static void
test_all_substitutions_caught(void **state)
{
	const char *good = "ADM-2026-000123-7";
	char t[32];
	size_t i, k, n = strlen(good);

	(void)state;
	for (i = 0; i < n; i++) {
		if (good[i] == '-')
			continue;
		for (k = 0; k < 36; k++) {
			if (alnum[k] == good[i])
				continue;
			memcpy(t, good, n + 1);
			t[i] = alnum[k];
			assert_false(oa_tag_valid(t, n));
		}
	}
}

/* Swaps of two different neighbours: almost all (> 99 %) caught. */
static void
test_swaps_mostly_caught(void **state)
{
	uint32_t seed = 12345;
	size_t total = 0, missed = 0, k, i;
	char t[16];

	(void)state;
	for (k = 0; k < 5000; k++) {
		for (i = 0; i < 12; i++) {
			seed = seed * 1103515245u + 12345u;
			t[i] = alnum[(seed >> 16) % 36];
		}
		t[12] = oa_tag_check_char(t, 12);
		t[13] = '\0';
		assert_true(oa_tag_valid(t, 13));
		for (i = 0; i + 1 < 13; i++) {
			char c;

			if (t[i] == t[i + 1])
				continue;
			c = t[i], t[i] = t[i + 1], t[i + 1] = c;
			total++;
			if (oa_tag_valid(t, 13))
				missed++;
			c = t[i], t[i] = t[i + 1], t[i + 1] = c;
		}
	}
	assert_true(total > 50000);
	assert_true(missed * 100 < total);
}

static void
test_normalise(void **state)
{
	char out[OA_TAG_MAX];
	/* "  ａｄｍ－２０２６－０００１２３－７" + U+3000 */
	const char *wide = "  \xef\xbd\x81\xef\xbd\x84\xef\xbd\x8d\xef\xbc\x8d"
	                   "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96\xef\xbc\x8d"
	                   "\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92"
	                   "\xef\xbc\x93\xef\xbc\x8d\xef\xbc\x97\xe3\x80\x80";

	(void)state;
	assert_int_equal(oa_tag_normalise(S(wide), out, sizeof out), 17);
	assert_string_equal(out, "ADM-2026-000123-7");
	assert_int_equal(oa_tag_normalise(S(" adm-1 \r\n"), out, sizeof out), 5);
	assert_string_equal(out, "ADM-1");
	assert_int_equal(oa_tag_normalise(S("   "), out, sizeof out), 0);
	assert_string_equal(out, "");
	/* Truncated to the room given. */
	assert_int_equal(oa_tag_normalise(S("abcdef"), out, 4), 3);
	assert_string_equal(out, "ABC");
}

/* Issue 12 item 14: tags that differ only in separators or case are one tag. */
static void
test_canonical(void **state)
{
	char a[OA_TAG_MAX], b[OA_TAG_MAX], c[OA_TAG_MAX];

	(void)state;
	assert_int_equal(oa_tag_canonical(S(" bgs-2026-0001-o "), a, sizeof a), 12);
	assert_string_equal(a, "BGS20260001O");
	oa_tag_canonical(S("BGS20260001O"), b, sizeof b);
	oa_tag_canonical(S("BGS 2026/0001.o"), c, sizeof c);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	/* A non-ASCII byte stays, so the tag stays distinct and invalid. */
	assert_int_equal(oa_tag_canonical(S("BGS-\xe5\x8a\x9e-1"), a, sizeof a), 7);
	assert_memory_equal(a, "BGS\xe5\x8a\x9e" "1", 7);
	/* The check character is the same over either form. */
	assert_int_equal(oa_tag_check_char(S("BGS-2026-0001")), oa_tag_check_char(S("BGS20260001")));
}

static const char *registered[] = {
	"ADM-2026-000123-7", "ADM-2026-000124-5", "ADM-2026-000213-3",
};

static bool
is_registered(void *ctx, const char *s, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof registered / sizeof registered[0]; i++)
		if (strlen(registered[i]) == len && memcmp(registered[i], s, len) == 0)
			return true;
	return false;
}

static bool
anything(void *ctx, const char *s, size_t len)
{
	(*(int *)ctx)++;
	(void)s, (void)len;
	return true;
}

static void
test_neighbours(void **state)
{
	char out[8][OA_TAG_MAX];
	size_t n;
	int calls = 0;

	(void)state;
	/* 000128: one digit misread; lower case as typed. */
	n = oa_tag_neighbours(S("adm-2026-000128-7"), is_registered, NULL, out, 8);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "ADM-2026-000123-7");

	/* 000213-7: "12" swapped; also the check character misread from 3. */
	n = oa_tag_neighbours(S("ADM-2026-000213-7"), is_registered, NULL, out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "ADM-2026-000213-3");
	assert_string_equal(out[1], "ADM-2026-000123-7");

	/* The count goes past MAX; only MAX are written. */
	n = oa_tag_neighbours(S("ADM-2026-000213-7"), is_registered, NULL, out, 1);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "ADM-2026-000213-3");

	/*
	 * With everything registered: in a hybrid system each position has
	 * exactly one value that makes the check come out, so an invalid tag
	 * with 13 letters and digits has exactly 13 substitution neighbours
	 * (plus the rare valid swaps); every one offered is valid.
	 */
	char all[64][OA_TAG_MAX];
	n = oa_tag_neighbours(S("ADM-2026-000128-7"), anything, &calls, all, 64);
	assert_true(n >= 13 && n < 64);
	assert_int_equal((size_t)calls, n);
	for (size_t i = 0; i < n; i++) {
		assert_true(oa_tag_valid(all[i], strlen(all[i])));
		assert_int_equal(strlen(all[i]), 17);
	}
	/* A valid tag has no valid single substitution. */
	calls = 0;
	n = oa_tag_neighbours(S("ADM-2026-000123-7"), anything, &calls, all, 64);
	for (size_t i = 0; i < n; i++) {
		size_t diff = 0;

		for (size_t k = 0; k < 17; k++)
			diff += all[i][k] != "ADM-2026-000123-7"[k];
		assert_int_equal(diff, 2); /* a swap */
	}

	assert_int_equal(oa_tag_neighbours(S(""), is_registered, NULL, out, 8), 0);
}

/* Fed in pieces from any split point, the check character is the same. */
static void
test_check_incremental(void **state)
{
	static const char *const tags[] = {
		"ADM-2026-000123-", "BGS2026000001", "a-b-c", "Z", "--", "ADM 2026/000999.",
		"ADM-2026-00é",
	};

	(void)state;
	for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
		const char *t = tags[k];
		size_t n = strlen(t);
		char whole = oa_tag_check_char(t, n);

		for (size_t cut = 0; cut <= n; cut++) {
			int st = oa_tag_check_feed(OA_TAG_CHECK_START, t, cut);

			assert_int_equal(oa_tag_check_finish(oa_tag_check_feed(st, t + cut, n - cut)),
			                 whole);
		}
	}
	/* Worked by hand (see test_check_char_worked): nothing fed has no check character. */
	assert_int_equal(oa_tag_check_finish(OA_TAG_CHECK_START), 0);
	assert_int_equal(oa_tag_check_char("--", 2), 0);
	assert_int_equal(oa_tag_check_char("ADM-2026-00\xC3\xA9", 13), 0);
}

/*
 * The canonical form of every short string over letters of both cases,
 * digits, hyphens, spaces, dots and slashes (the plain ones take a short
 * way, the others the general one) is the reference: the string with its
 * separators dropped and upper-cased.
 */
static void
test_canonical_all_short(void **state)
{
	static const char alphabet[] = "aZ9- ./";
	char in[8], out[16], want[16];
	(void)state;

	for (int len = 0; len <= 5; len++) {
		long total = 1;
		for (int i = 0; i < len; i++)
			total *= (long)(sizeof alphabet - 1);
		for (long code = 0; code < total; code++) {
			long c = code;
			size_t k = 0;
			for (int i = 0; i < len; i++, c /= (long)(sizeof alphabet - 1))
				in[i] = alphabet[c % (long)(sizeof alphabet - 1)];
			for (int i = 0; i < len; i++)
				if ((in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z') ||
				    (in[i] >= '0' && in[i] <= '9'))
					want[k++] = (char)(in[i] >= 'a' && in[i] <= 'z' ? in[i] - 32 : in[i]);
			want[k] = '\0';
			assert_int_equal(oa_tag_canonical(in, (size_t)len, out, sizeof out), k);
			assert_string_equal(out, want);
		}
	}
	/* Room for less than the tag: the general way, cut, never overrun. */
	assert_true(oa_tag_canonical("abc-def", 7, out, 4) <= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_char_worked),
		cmocka_unit_test(test_check_incremental),
		cmocka_unit_test(test_check_char_separators_and_case),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_all_substitutions_caught),
		cmocka_unit_test(test_swaps_mostly_caught),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_neighbours),
		cmocka_unit_test(test_canonical_all_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
