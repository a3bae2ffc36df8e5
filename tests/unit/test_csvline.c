/*
 * test_csvline.c - the plain-line fast path (csvline.h).
 *
 * Fields are compared with the values each line was built from, not with
 * what the code printed: a journal record with Chinese text; quoted fields
 * (with commas and "" inside, empty, first, last, one after another) at
 * every offset across the 16-byte steps of the scan; and random lines built
 * field by field, also read by the CSV reader, which must agree.  Every
 * kind of line the fast path must leave to the reader is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csvline.h"

enum { MAXF = 32 };

typedef struct split {
	int ok;
	size_t n, len;
	const char *f[MAXF];
	size_t flen[MAXF];
	char scratch[4096];
} split;

static int
split_line(split *sp, const char *s, size_t n)
{
	sp->n = n;
	sp->ok = oa_csvline_split(s, strlen(s), n, sp->f, sp->flen, 1u << 20, sp->scratch,
	                          sizeof sp->scratch, &sp->len);
	return sp->ok;
}

static void
assert_field(const split *sp, size_t i, const char *want)
{
	assert_true(i < sp->n);
	assert_int_equal(sp->flen[i], strlen(want));
	assert_memory_equal(sp->f[i], want, strlen(want));
}

static void
test_journal_line(void **state)
{
	const char *line =
	    "12,2026-11-30 09:00,2020-01-01,A0000000,transfer,王秘书,办公室,职工0-0,100室,in-use,"
	    "办公室,职工0,100室,in-use,,,,,,,,,158e1c96832d682f4d4d8e7d64b543d73967017aece4b0f"
	    "2602df7fceb1aa236\n13,next line";
	const char *want[23] = {
		"12", "2026-11-30 09:00", "2020-01-01", "A0000000", "transfer", "王秘书", "办公室",
		"职工0-0", "100室", "in-use", "办公室", "职工0", "100室", "in-use", "", "", "", "",
		"", "", "", "", "158e1c96832d682f4d4d8e7d64b543d73967017aece4b0f2602df7fceb1aa236",
	};
	split sp;

	(void)state;
	assert_int_equal(split_line(&sp, line, 23), 1);
	assert_int_equal(sp.len, (size_t)(strchr(line, '\n') - line));
	for (size_t i = 0; i < 23; i++)
		assert_field(&sp, i, want[i]);
	/* Another field count is not this line. */
	assert_int_equal(split_line(&sp, line, 22), 0);
	assert_int_equal(split_line(&sp, line, 24), 0);
}

/*
 * A line of a first field of K letters, then FIELD (as written), then
 * "z": for K from 0 to 40 the quoted field starts at every offset of the
 * scan's 16-byte steps.
 */
static void
test_quoted_everywhere(void **state)
{
	static const struct {
		const char *written, *value;
	} q[] = {
		{ "\"a,b\"", "a,b" },
		{ "\"\"", "" },
		{ "\"say \"\"hi\"\", then,go\"", "say \"hi\", then,go" },
		{ "\"\"\"\"", "\"" },
		{ "\"甲,乙\"\"丙\"\"\"", "甲,乙\"丙\"" },
		{ "\"0123456789abcdef0123456789,abcdef\"", "0123456789abcdef0123456789,abcdef" },
	};
	char line[256], first[64];
	split sp;

	(void)state;
	for (size_t v = 0; v < sizeof q / sizeof q[0]; v++) {
		for (int k = 0; k <= 40; k++) {
			memset(first, 'x', (size_t)k);
			first[k] = '\0';
			/* In the middle, then last, then first, then twice running. */
			snprintf(line, sizeof line, "%s,%s,z\n", first, q[v].written);
			assert_int_equal(split_line(&sp, line, 3), 1);
			assert_field(&sp, 0, first);
			assert_field(&sp, 1, q[v].value);
			assert_field(&sp, 2, "z");
			assert_int_equal(sp.len, strlen(line) - 1);

			snprintf(line, sizeof line, "%s,%s\nrest", first, q[v].written);
			assert_int_equal(split_line(&sp, line, 2), 1);
			assert_field(&sp, 1, q[v].value);
			assert_int_equal(line[sp.len], '\n');

			snprintf(line, sizeof line, "%s,%s,%s\n", q[v].written, first, q[v].written);
			assert_int_equal(split_line(&sp, line, 3), 1);
			assert_field(&sp, 0, q[v].value);
			assert_field(&sp, 1, first);
			assert_field(&sp, 2, q[v].value);

			snprintf(line, sizeof line, "%s,%s,%s,\n", first, q[v].written, q[v].written);
			assert_int_equal(split_line(&sp, line, 4), 1);
			assert_field(&sp, 1, q[v].value);
			assert_field(&sp, 2, q[v].value);
			assert_field(&sp, 3, "");
		}
	}
}

/* What the fast path leaves to the CSV reader. */
static void
test_not_plain(void **state)
{
	static const struct {
		const char *line;
		size_t n;
	} no[] = {
		{ "a,b,c", 3 },                        /* no line feed */
		{ "\n", 1 },                           /* an empty line */
		{ "a,b\r\n", 2 },                      /* CR LF */
		{ "a\tb,c\n", 2 },                     /* a tab */
		{ "a,b\"c,d\n", 3 },                   /* a quote inside a field */
		{ "a,\"b\"c,d\n", 3 },                 /* text after the closing quote */
		{ "a,\"b,c\n", 2 },                    /* no closing quote */
		{ "a,\"b\nc\",d\n", 3 },               /* a line break inside quotes */
		{ "a, \"b\",c\n", 3 },                 /* a space before the quote */
		{ "\xEF\xBB\xBF" "a,b\n", 2 },         /* a byte order mark */
		{ "a,\xff,b\n", 3 },                   /* not UTF-8 */
		{ "0123456789abcdef0123,\xe5\xa5,b\n", 3 }, /* cut UTF-8, after 16 bytes */
		{ "a,b,c\n", 2 },                      /* a field too many */
		{ "a,b\n", 3 },                        /* a field too few */
	};
	split sp;

	(void)state;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		if (split_line(&sp, no[i].line, no[i].n) != 0)
			fail_msg("split \"%s\"", no[i].line);
	}
	/* A field over the limit, quoted or not; a scratch space too small. */
	const char *f[4];
	size_t fl[4], len;
	char scratch[8];
	assert_int_equal(oa_csvline_split("abcd,e\n", 7, 2, f, fl, 3, scratch, 8, &len), 0);
	assert_int_equal(oa_csvline_split("\"abcd\",e\n", 9, 2, f, fl, 3, scratch, 8, &len), 0);
	assert_int_equal(oa_csvline_split("abc,e\n", 6, 2, f, fl, 3, scratch, 8, &len), 1);
	assert_int_equal(oa_csvline_split("\"a\"\"bcdefghij\",e\n", 17, 2, f, fl, 64, scratch, 8,
	                                  &len), 0);
	assert_int_equal(oa_csvline_split("\"a\"\"b\",e\n", 9, 2, f, fl, 64, scratch, 8, &len), 1);
	assert_int_equal(fl[0], 3);
	assert_memory_equal(f[0], "a\"b", 3);
}

/*
 * The split for text already found valid: the same answer on every line
 * whose encoding is good, and no second look at the encoding.
 */
static void
test_split_valid(void **state)
{
	static const char *lines[] = {
		"a,b\r\n", "a,\"b\"c,d\n", "\xEF\xBB\xBF" "a,b\n", "甲,\"乙,丙\",丁\n",
		"0123456789abcdef,\"x\"\"y\",办公室 100室\n", "a,b,c\n",
	};
	const char *f[4], *g[4];
	size_t fl[4], gl[4], len, glen;
	char scratch[64], gscratch[64];

	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		for (size_t n = 2; n <= 3; n++) {
			size_t l = strlen(lines[i]);
			int a = oa_csvline_split(lines[i], l, n, f, fl, 64, scratch, sizeof scratch, &len);
			int b = oa_csvline_split_valid(lines[i], l, n, g, gl, 64, gscratch,
			                               sizeof gscratch, &glen);
			assert_int_equal(a, b);
			if (a) {
				assert_int_equal(len, glen);
				for (size_t k = 0; k < n; k++) {
					assert_int_equal(fl[k], gl[k]);
					assert_memory_equal(f[k], g[k], fl[k]);
				}
			}
		}
	}
	/* Bad bytes in an otherwise plain line: only the checking split refuses it. */
	assert_int_equal(oa_csvline_split("a,\xff,b\n", 7, 3, f, fl, 64, scratch, 64, &len), 0);
	assert_int_equal(oa_csvline_split_valid("a,\xff,b\n", 7, 3, f, fl, 64, scratch, 64, &len), 1);
	assert_int_equal(fl[1], 1);
}

/* Random lines built field by field: split as built, and as the reader reads them. */
static void
test_random_lines_agree_with_reader(void **state)
{
	static const char *const pieces[] = { "a", "Z9", "-", " ", "甲", "办公室", ",", "\"", "é", "0" };
	char line[4096], values[MAXF][256];
	split sp;
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % 24), pos = 0;
		for (size_t i = 0; i < n; i++) {
			size_t vl = 0;
			int quoted = 0, parts = rand_r(&seed) % 6;
			for (int k = 0; k < parts; k++) {
				const char *pc = pieces[rand_r(&seed) % 10];
				if (strchr(pc, ',') || strchr(pc, '"'))
					quoted = 1;
				strcpy(values[i] + vl, pc);
				vl += strlen(pc);
			}
			values[i][vl] = '\0';
			if (!quoted && rand_r(&seed) % 5 == 0)
				quoted = 1;
			if (i > 0)
				line[pos++] = ',';
			if (quoted) {
				line[pos++] = '"';
				for (const char *c = values[i]; *c; c++) {
					if (*c == '"')
						line[pos++] = '"';
					line[pos++] = *c;
				}
				line[pos++] = '"';
			} else {
				memcpy(line + pos, values[i], vl);
				pos += vl;
			}
		}
		/* A line of one empty field is an empty line, which is not plain. */
		if (pos == 0)
			continue;
		line[pos++] = '\n';
		line[pos] = '\0';
		assert_int_equal(split_line(&sp, line, n), 1);
		assert_int_equal(sp.len, pos - 1);
		for (size_t i = 0; i < n; i++)
			assert_field(&sp, i, values[i]);

		oa_csv_options opt;
		oa_error err;
		const char *rf[MAXF];
		size_t rl[MAXF];
		oa_csv_options_init(&opt);
		opt.encoding = OA_ENC_UTF8;
		oa_csv_reader *r = oa_csv_reader_memory(line, pos, "t", &opt, &err);
		assert_non_null(r);
		assert_int_equal(oa_csv_read(r, &err), 1);
		assert_int_equal(oa_csv_nfields(r), n);
		oa_csv_fields(r, rf, rl, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(rl[i], sp.flen[i]);
			assert_memory_equal(rf[i], sp.f[i], rl[i]);
		}
		oa_csv_reader_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journal_line),
		cmocka_unit_test(test_quoted_everywhere),
		cmocka_unit_test(test_not_plain),
		cmocka_unit_test(test_split_valid),
		cmocka_unit_test(test_random_lines_agree_with_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
