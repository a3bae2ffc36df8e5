/*
 * test_assets.c - the tag pattern, values and classification, settings,
 * and tagging runs over in-memory CSV: per-prefix counters from the
 * register and the input, defaults, problems, output layout.
 *
 * Check characters below are MOD 37,36, the algorithm hand-checked in
 * test_tag.c; these particular ones were computed with a separate ten-line
 * implementation of ISO/IEC 7064 (not with this library).
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

#include "assets.h"
#include "config.h"
#include "date.h"
#include "tag.h"

static void
test_pattern_render(void **state)
{
	oa_error err;
	oa_tag_pattern *p = oa_tag_pattern_compile(OA_ASSET_PATTERN_DEFAULT, &err);
	char out[OA_TAG_MAX];

	(void)state;
	assert_non_null(p);
	assert_int_equal(oa_tag_pattern_render(p, "ADM", "DZ", 2026, 123, out, sizeof out), 17);
	assert_string_equal(out, "ADM-2026-000123-7");
	/* A sequence beyond its width grows rather than wraps. */
	assert_true(oa_tag_pattern_render(p, "ADM", "DZ", 2026, 1234567, out, sizeof out) > 0);
	assert_int_equal(strncmp(out, "ADM-2026-1234567-", 17), 0);
	assert_true(oa_tag_valid(out, strlen(out)));
	oa_tag_pattern_free(p);

	/* Category and two-digit year; lower-case literals are upper-cased. */
	p = oa_tag_pattern_compile("{cat}{yy}/{dept}.{seq:4}x{check}", &err);
	assert_non_null(p);
	assert_true(oa_tag_pattern_render(p, "BGS", "DZ", 2026, 5, out, sizeof out) > 0);
	assert_int_equal(strncmp(out, "DZ26/BGS.0005X", 14), 0);
	assert_int_equal(strlen(out), 15);
	assert_int_equal(out[14], oa_tag_check_char(out, 14));
	oa_tag_pattern_free(p);
}

static void
test_pattern_errors(void **state)
{
	static const char *bad[] = {
		"{dept}-{year}-{check}",          /* no {seq} */
		"{dept}-{seq}-{seq}-{check}",     /* two */
		"{dept}-{seq:6}",                 /* no {check} */
		"{check}{dept}{seq}",             /* {check} not last */
		"{dept}-{seq:0}-{check}",         /* width */
		"{dept}-{seq:13}-{check}",
		"{dept}-{sequence}-{check}",      /* unknown token */
		"{dept}-{seq-{check}",
		"{dept} {seq}{check}",            /* space is not a literal */
		"{dept},{seq}{check}",            /* nor a comma: CSV */
		"-{dept}{seq}{check}",            /* cannot start with a separator */
	};
	oa_error err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		oa_error_clear(&err);
		assert_null(oa_tag_pattern_compile(bad[i], &err));
		assert_true(oa_error_isset(&err));
	}
}

/* Excel's currency and accounting formats (ux): the plain number, or -1. */
static void
test_parse_amount(void **state)
{
	static const struct {
		const char *in, *norm;
	} cases[] = {
		{ "1280", "1280" },           { "1,280.00", "1280.00" },
		{ "¥1,280.00", "1280.00" },   { "￥ 450", "450" },
		{ "12,345,678.9", "12345678.9" }, { "１２８０．５", "1280.5" },
		{ "１，２８０", "1280" },       { " 999 ", "999" },
		{ "1,28", NULL },             { "1234,567", NULL },
		{ ",123", NULL },             { "1,234,56", NULL },
		{ "1.200,50", NULL },         { "12元", NULL },
		{ "-5", NULL },               { "¥", NULL },
		{ "", NULL },                 { "1,280.0,0", NULL },
		{ "$12", NULL },              { "1 280", NULL },
	};
	char norm[64];
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = oa_asset_parse_amount(cases[i].in, strlen(cases[i].in), &v, norm,
		                              sizeof norm);

		if (cases[i].norm == NULL) {
			assert_int_equal(n, -1);
		} else {
			assert_int_equal(n, (int)strlen(cases[i].norm));
			assert_string_equal(norm, cases[i].norm);
		}
	}
	assert_int_equal(oa_asset_parse_amount("¥1,280.50", strlen("¥1,280.50"), &v, norm,
	                                       sizeof norm), 7);
	assert_true(v > 1280.49 && v < 1280.51);
	/* too long for NORM: refused, not cut */
	assert_int_equal(oa_asset_parse_amount("123456", 6, &v, norm, 4), -1);
}

static void
test_values_and_classes(void **state)
{
	double v;

	(void)state;
	assert_int_equal(oa_asset_parse_value("2000", 4, &v), 0);
	assert_true(v == 2000.0);
	assert_int_equal(oa_asset_parse_value(" 1999.99 ", 9, &v), 0);
	assert_true(v > 1999.98 && v < 2000.0);
	assert_int_equal(oa_asset_parse_value("0", 1, &v), 0);
	assert_int_equal(oa_asset_parse_value(".5", 2, &v), 0);
	assert_int_equal(oa_asset_parse_value("-5", 2, &v), -1);
	assert_int_equal(oa_asset_parse_value("1,000", 5, &v), -1);
	assert_int_equal(oa_asset_parse_value("12元", strlen("12元"), &v), -1);
	assert_int_equal(oa_asset_parse_value(".", 1, &v), -1);
	assert_int_equal(oa_asset_parse_value("", 0, &v), -1);
	assert_int_equal(oa_asset_parse_value("1e3", 3, &v), -1);

	/* fixed: value >= threshold AND life > 1 year. */
	assert_int_equal(oa_asset_classify(2000, 3, 2000), OA_CLASS_FIXED);
	assert_int_equal(oa_asset_classify(1999.99, 3, 2000), OA_CLASS_LOW_VALUE);
	assert_int_equal(oa_asset_classify(50000, 1, 2000), OA_CLASS_LOW_VALUE);
	assert_int_equal(oa_asset_classify(1000, 5, 1000), OA_CLASS_FIXED);
	assert_int_equal(oa_asset_classify(1499, 5, 1500), OA_CLASS_LOW_VALUE);

	assert_int_equal(oa_asset_class_parse("Fixed", 5), OA_CLASS_FIXED);
	assert_int_equal(oa_asset_class_parse("固定资产", strlen("固定资产")), OA_CLASS_FIXED);
	assert_int_equal(oa_asset_class_parse("low value", 9), OA_CLASS_LOW_VALUE);
	assert_int_equal(oa_asset_class_parse("低值易耗品", strlen("低值易耗品")), OA_CLASS_LOW_VALUE);
	assert_int_equal(oa_asset_class_parse("cheap", 5), OA_CLASS_NONE);

	assert_string_equal(oa_asset_status_parse("In-Use", 6), "in-use");
	assert_string_equal(oa_asset_status_parse("报废", strlen("报废")), "disposed");
	assert_string_equal(oa_asset_status_parse("闲置", strlen("闲置")), "idle");
	assert_null(oa_asset_status_parse("gone", 4));
}

/* A config file written for the test; returns its path (static buffer). */
static const char *
write_config(const char *text)
{
	static char path[] = "/tmp/test_assets_XXXXXX";
	int fd;
	FILE *fp;

	strcpy(path, "/tmp/test_assets_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

#define S(s) s, strlen(s)

static oa_config *
load(const char *text, oa_asset_settings *s)
{
	oa_error err;
	const char *path = write_config(text);
	oa_config *cfg = oa_config_load(path, &err);

	assert_non_null(cfg);
	oa_error_clear(&err);
	assert_int_equal(oa_asset_settings_load(s, cfg, &err), 0);
	unlink(path);
	return cfg;
}

static void
test_settings(void **state)
{
	oa_asset_settings s;
	oa_config *cfg;
	const oa_asset_category *c;
	oa_error err;
	const char *path;

	(void)state;
	/* Built-in defaults. */
	cfg = oa_config_empty();
	assert_int_equal(oa_asset_settings_load(&s, cfg, &err), 0);
	assert_true(s.threshold == 2000.0);
	assert_string_equal(s.dept_code, "ADM");
	c = oa_asset_category_find(&s, "Electronics", 11);
	assert_non_null(c);
	assert_int_equal(c->life, 3);
	assert_non_null(c = oa_asset_category_find(&s, "车辆", strlen("车辆")));
	assert_int_equal(c->life, 4);
	assert_non_null(c = oa_asset_category_find(&s, "房屋", strlen("房屋")));
	assert_int_equal(c->life, 20);
	oa_asset_settings_release(&s);
	oa_config_free(cfg);

	/* A public institution: threshold 1000, own categories. */
	cfg = load("[assets]\nthreshold = 1000\ndepartment_code = hq\n"
	           "[categories]\n专用设备 = zy, 10, 1500\n通用设备 = TY, 5\n", &s);
	assert_true(s.threshold == 1000.0);
	assert_string_equal(s.dept_code, "HQ");
	assert_non_null(c = oa_asset_category_find(&s, "专用设备", strlen("专用设备")));
	assert_string_equal(c->code, "ZY");
	assert_int_equal(c->life, 10);
	assert_true(c->threshold == 1500);
	assert_non_null(c = oa_asset_category_find(&s, "通用设备", strlen("通用设备")));
	assert_true(c->threshold < 0);
	assert_null(oa_asset_category_find(&s, "electronics", 11));
	oa_asset_settings_release(&s);
	oa_config_free(cfg);

	/* Malformed settings are errors naming the key. */
	static const char *bad[] = {
		"[assets]\ntag_pattern = {dept}-{seq}\n",
		"[assets]\nthreshold = lots\n",
		"[categories]\n家具 = JJ\n",
		"[categories]\n家具 = J-J, 5\n",
		"[categories]\n家具 = JJ, five\n",
		"[categories]\n家具 = JJ, 5, cheap\n",
		"[departments]\n办公室 = B G S\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		path = write_config(bad[i]);
		cfg = oa_config_load(path, &err);
		assert_non_null(cfg);
		oa_error_clear(&err);
		assert_int_equal(oa_asset_settings_load(&s, cfg, &err), -1);
		assert_true(oa_error_isset(&err));
		oa_config_free(cfg);
		unlink(path);
	}
}

/* Runs a tagging run; returns the output (malloc'd) or NULL on a fatal error. */
static char *
tag_run_once(const oa_asset_settings *s, const char *reg, const char *input, bool threaded,
             size_t *nproblems, const char **first_problem)
{
	oa_tagger_options opt = { false, 0, threaded };
	oa_tagger *t;
	oa_csv_reader *r;
	oa_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	const oa_tagger_problem *probs;
	static char first[2 * OA_ERROR_MSG_MAX];

	oa_date_from_ymd(2026, 11, 28, &opt.today);
	t = oa_tagger_new(s, &opt);
	assert_non_null(t);
	if (reg != NULL) {
		r = oa_csv_reader_memory(reg, strlen(reg), "reg.csv", NULL, &err);
		assert_non_null(r);
		assert_int_equal(oa_tagger_read_register(t, r, &err), 0);
		oa_csv_reader_free(r);
	}
	r = oa_csv_reader_memory(input, strlen(input), "in.csv", NULL, &err);
	assert_non_null(r);
	if (oa_tagger_read_input(t, r, &err) < 0) {
		oa_csv_reader_free(r);
		oa_tagger_free(t);
		snprintf(first, sizeof first, "%ld: %s", err.line, err.msg);
		*first_problem = first;
		return NULL;
	}
	oa_csv_reader_free(r);
	*nproblems = oa_tagger_problems(t, &probs);
	first[0] = '\0';
	if (*nproblems > 0)
		snprintf(first, sizeof first, "%ld: %s", probs[0].line, probs[0].msg);
	*first_problem = first;
	assert_int_equal(oa_tagger_assign(t, &err), 0);
	mem = open_memstream(&buf, &len);
	assert_int_equal(oa_tagger_write(t, mem, !oa_tagger_register_has_header(t), &err), 0);
	fclose(mem);
	oa_tagger_free(t);
	return buf;
}

/*
 * Runs the tagging with the input read on the caller's thread and on a
 * thread of its own (prefetch.h), checks that both give the same output
 * and problems, and returns the first's.
 */
static char *
tag_run(const oa_asset_settings *s, const char *reg, const char *input, size_t *nproblems,
        const char **first_problem)
{
	static char first[2 * OA_ERROR_MSG_MAX];
	size_t n2 = 0;
	const char *p2;
	char *out = tag_run_once(s, reg, input, false, nproblems, first_problem);
	char *out2;

	snprintf(first, sizeof first, "%s", *first_problem);
	out2 = tag_run_once(s, reg, input, true, &n2, &p2);
	assert_string_equal(first, p2);
	if (out == NULL || out2 == NULL) {
		assert_null(out);
		assert_null(out2);
	} else {
		assert_string_equal(out, out2);
		assert_int_equal(*nproblems, n2);
	}
	free(out2);
	*first_problem = first;
	return out;
}

static void
test_register_layout(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[departments]\n办公室 = BGS\n财务科 = CWK\n", &s);
	const char *first;
	size_t np;
	char *out;

	(void)state;
	/*
	 * Rows follow the register's header: its order, its (Chinese) names,
	 * empty cells for columns the input lacks, the unknown column 备注2
	 * matched by name.  Numbering goes on after the register's BGS-2026-7.
	 */
	out = tag_run(&s,
	              "资产编号,备注2,名称,部门,原值,购置日期,状态,保管人\n"
	              "BGS-2026-000007-G,,b,办公室,1,2026-01-01,disposed,\n",
	              "department,value,name,acquired,备注2\n"
	              "办公室,100,p,2026-03-01,x\n",
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(out, "BGS-2026-000008-E,x,p,办公室,100,2026-03-01,in-use,\n");
	free(out);

	/* An input column the register does not have stops the run. */
	out = tag_run(&s, "tag,name,status\nBGS-2026-000001-S,a,in-use\n",
	              "name,value,department\np,100,办公室\n", &np, &first);
	assert_null(out);
	assert_string_equal(first, "1: column \"value\" is not in the register \"reg.csv\"; "
	                           "add it to the register's header first, or delete it "
	                           "from the input");
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
}

/* The first cell of every line of OUT, joined by spaces, into BUF. */
static const char *
first_cells(const char *out, char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const char *l = out; *l != '\0'; l = strchr(l, '\n') + 1) {
		used += (size_t)snprintf(buf + used, cap - used, "%s%.*s", used ? " " : "",
		                         (int)strcspn(l, ",\n"), l);
		if (strchr(l, '\n') == NULL)
			break;
	}
	return buf;
}

/*
 * A row number column (序号): the rows appended to a register go on from
 * its highest number, zero-padded as that one is, whatever numbers the
 * input brings (its own list's); each item of a purchase line has a number
 * of its own; without a register the rows written are numbered from 1; a
 * register without the column drops the input's.  Cells of the register
 * that are empty or no number are a warning naming the first line.
 */
static void
test_row_numbers(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[departments]\n办公室 = BGS\n", &s);
	const char *first;
	size_t np;
	char *out, cells[256];

	(void)state;
	out = tag_run(&s, "序号,资产编号,名称,部门,原值,购置日期\n"
	                  "1,BGS-2026-000007-G,a,办公室,1,2026-01-01\n"
	                  "2,BGS-2026-000008-E,b,办公室,1,2026-01-01\n",
	              "名称,部门,原值,购置日期\np,办公室,100,2026-03-01\nq,办公室,100,2026-03-01\n",
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(first_cells(out, cells, sizeof cells), "3 4");
	free(out);

	/* The input's own 1, 2 are replaced; a quantity of 3 takes three numbers. */
	out = tag_run(&s, "No.,tag,name,department,value,acquired\n"
	                  "0098,BGS-2026-000007-G,a,办公室,1,2026-01-01\n"
	                  "0099,BGS-2026-000008-E,b,办公室,1,2026-01-01\n",
	              "序号,name,department,单价,数量,acquired\n"
	              "1,p,办公室,100,3,2026-03-01\n2,q,办公室,100,1,2026-03-01\n",
	              &np, &first);
	assert_non_null(out);
	assert_string_equal(first_cells(out, cells, sizeof cells), "0100 0101 0102 0103");
	free(out);

	/* No register: the rows written are numbered from 1. */
	out = tag_run(&s, NULL, "序号,name,department,单价,数量,acquired\n"
	                        "7,p,办公室,100,2,2026-03-01\n7,q,办公室,100,1,2026-03-01\n",
	              &np, &first);
	assert_non_null(out);
	assert_non_null(strstr(out, "\n"));
	assert_string_equal(first_cells(strchr(out, '\n') + 1, cells, sizeof cells),
	                    "BGS-2026-000001-S BGS-2026-000002-Q BGS-2026-000003-O");
	assert_non_null(strstr(out, "BGS-2026-000001-S,1,p,"));
	assert_non_null(strstr(out, "BGS-2026-000002-Q,2,p,"));
	assert_non_null(strstr(out, "BGS-2026-000003-O,3,q,"));
	free(out);

	/* A register without the column: the input's numbers are dropped, not an error. */
	out = tag_run(&s, "tag,name,department,value,acquired\n",
	              "序号,name,department,value,acquired\n1,p,办公室,100,2026-03-01\n", &np,
	              &first);
	assert_non_null(out);
	assert_string_equal(out, "BGS-2026-000001-S,p,办公室,100,2026-03-01\n");
	free(out);

	/* Cells that are no number: a warning with the first line and the count. */
	{
		static const char reg[] = "序号,tag,name\n1,BGS-2026-000007-G,a\n,BGS-2026-000008-E,b\n"
		                          "五,X-1-1,c\n12,X-2-2,d\n";
		oa_tagger_options opt = { false, 0, false };
		oa_tagger *t = oa_tagger_new(&s, &opt);
		oa_csv_reader *r = oa_csv_reader_memory(reg, sizeof reg - 1, "reg.csv", NULL, NULL);
		const oa_tagger_problem *w;
		oa_error err;

		assert_non_null(t);
		assert_non_null(r);
		assert_int_equal(oa_tagger_read_register(t, r, &err), 0);
		assert_int_equal(oa_tagger_warnings(t, &w), 1);
		assert_string_equal(w[0].file, "reg.csv");
		assert_int_equal(w[0].line, 3);
		assert_string_equal(w[0].msg, "序号 is empty or not a whole number on 2 rows (here "
		                              "empty): the new rows are numbered from 13, after the "
		                              "highest");
		oa_csv_reader_free(r);
		oa_tagger_free(t);
	}
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
}

/*
 * A register naming one input column twice (supplier, Supplier fold
 * alike) copies a long field twice: the plain-line copy must have room
 * for both.  The first row goes through the CSV writer and leaves the
 * 64 kB output block mostly free; the second's 40 kB field fits it once,
 * not twice (it overran the block once).
 */
static void
test_register_copies_a_field_twice(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[departments]\n办公室 = BGS\n", &s);
	const char *first;
	size_t np, big = 40000;
	char *input, *want, *out, *field = malloc(big + 1);

	(void)state;
	assert_non_null(field);
	memset(field, 'x', big);
	field[big] = '\0';
	assert_true(asprintf(&input, "name,value,department,acquired,supplier\n"
	                             "p,1,办公室,2026-03-01,s\nq,1,办公室,2026-03-01,%s\n",
	                     field) > 0);
	assert_true(asprintf(&want, "BGS-2026-000001-S,p,1,办公室,2026-03-01,s,s\n"
	                            "BGS-2026-000002-Q,q,1,办公室,2026-03-01,%s,%s\n",
	                     field, field) > 0);
	out = tag_run(&s, "tag,name,value,department,acquired,supplier,Supplier\n", input, &np,
	              &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(out, want);
	free(out);
	free(want);
	free(input);
	free(field);
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
}

static void
test_counters_stdout(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[departments]\n办公室 = BGS\n财务科 = CWK\n", &s);
	const char *first;
	size_t np;
	char *out;

	(void)state;
	out = tag_run(&s,
	              "tag,name,value,acquired,department\n"
	              "BGS-2026-000001-S,,,,\nBGS-2026-000007-G,,,,\n"
	              "CWK-2025-000003-A,,,,\nOLD-17,,,,\n",
	              "name,value,acquired,department,tag\n"
	              "p,100,2026-03-01,办公室,\n"
	              "q,100,2026-03-01,财务科,\n"
	              "r,100,2026-03-01,办公室,bgs-2026-000020-m\n"
	              "s,5000,2025-03-01,财务科,\n",
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	/*
	 * A row arrives with a pre-printed BGS-2026-000020-M after rows without
	 * tags: the counter must go on after 20, not collide with it.
	 * BGS-2026: register max 7, input max 20 -> 21.  CWK-2026: none -> 1.
	 * CWK-2025: register max 3 -> 4.  OLD-17 belongs to no prefix.
	 */
	assert_string_equal(out,
	                    "BGS-2026-000021-K,p,100,2026-03-01,办公室\n"
	                    "CWK-2026-000001-Y,q,100,2026-03-01,财务科\n"
	                    "BGS-2026-000020-M,r,100,2026-03-01,办公室\n"
	                    "CWK-2025-000004-8,s,5000,2025-03-01,财务科\n");
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
	free(out);
}

static void
test_defaults_and_layout(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[assets]\nthreshold = 1000\n", &s);
	const char *first;
	size_t np;
	char *out;

	(void)state;
	/*
	 * No [departments]: {dept} is ADM for everyone, any department text is
	 * fine.  Empty acquired -> today (2026-11-28); life from the category
	 * (vehicles 4) or [assets] life (5) for an empty one; class from the
	 * public-institution threshold 1000; given class and status are kept,
	 * in English.  Unknown column "备注2" carried through in place.
	 */
	out = tag_run(&s, NULL,
	              "名称,备注2,类别,原值,购置日期,状态,资产类型\n"
	              "轿车,x,车辆,180000,,,\n"
	              "台灯,y,,1000,2026-01-02,闲置,\n"
	              "样机,z, ,10,2026-01-02,,固定资产\n",
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(out,
	                    "tag,名称,备注2,类别,原值,购置日期,状态,资产类型,life\n"
	                    "ADM-2026-000001-R,轿车,x,车辆,180000,2026-11-28,in-use,fixed,4\n"
	                    "ADM-2026-000002-P,台灯,y,,1000,2026-01-02,idle,fixed,5\n"
	                    "ADM-2026-000003-N,样机,z, ,10,2026-01-02,in-use,fixed,5\n");
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
	free(out);
}

static void
test_category_threshold(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[assets]\nthreshold = 1000\n"
	                      "[categories]\n专用设备 = ZY, 10, 1500\n", &s);
	const char *first;
	size_t np;
	char *out;

	(void)state;
	/* Special equipment at 1500, everything else at 1000. */
	out = tag_run(&s, NULL,
	              "name,category,value,acquired\n"
	              "a,专用设备,1499.99,2026-01-02\n"
	              "b,专用设备,1500,2026-01-02\n"
	              "c,,1200,2026-01-02\n",
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(out,
	                    "tag,name,category,value,acquired,class,life,status\n"
	                    "ADM-2026-000001-R,a,专用设备,1499.99,2026-01-02,low-value,10,in-use\n"
	                    "ADM-2026-000002-P,b,专用设备,1500,2026-01-02,fixed,10,in-use\n"
	                    "ADM-2026-000003-N,c,,1200,2026-01-02,fixed,5,in-use\n");
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
	free(out);
}

static void
test_sequence_overflow(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[assets]\ntag_pattern = {dept}-{seq:1}-{check}\n", &s);
	const char *first;
	size_t np;
	char *out;

	(void)state;
	/* After ADM-9 comes ADM-10: the sequence grows a digit, it does not wrap. */
	out = tag_run(&s, "tag,name,value\nADM-8-X,a,1\nADM-9-V,b,1\n",
	              "name,value\nc,1\nd,1\n", &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(out, "ADM-10-O,c,1\nADM-11-M,d,1\n");
	free(out);
	/* The same without a register, numbering from the input's own tags. */
	out = tag_run(&s, NULL, "tag,name,value\n,c,1\nADM-9-V,x,1\n,d,1\n", &np, &first);
	assert_non_null(out);
	assert_string_equal(out, "tag,name,value,class,acquired,life,status\n"
	                         "ADM-10-O,c,1,low-value,2026-11-28,5,in-use\n"
	                         "ADM-9-V,x,1,low-value,2026-11-28,5,in-use\n"
	                         "ADM-11-M,d,1,low-value,2026-11-28,5,in-use\n");
	free(out);
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
}

static void
test_problems(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[departments]\n办公室 = BGS\n财务科 = CWK\n", &s);
	const char *first;
	size_t np;
	char *out;

	(void)state;
	out = tag_run(&s, "tag,name,value,acquired,department,life,class,status\n"
	              "BGS-2026-000007-G,,,,,,,\n",
	              "name,value,acquired,department,tag,life,class,status\n"
	              "a,1,2026-01-01,办公室,,,,\n"
	              ",1,2026-01-01,办公室,,,,\n"              /* empty name */
	              "a,1,2026-13-01,办公室,,,,\n"             /* date */
	              "a,1,2026-01-01,财务,,,,\n"               /* department */
	              "a,1,2026-01-01,办公室,BGS-2026-000007-G,,,\n" /* in register */
	              "a,1,2026-01-01,办公室,,1.5,,\n"          /* life */
	              "a,1,2026-01-01,办公室,,,cheap,\n"        /* class */
	              "a,1,2026-01-01,办公室,,,,gone\n"         /* status */
	              "a,1,2026-01-01,,,,,\n",                  /* empty department */
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 8);
	assert_string_equal(first, "3: asset name is empty");
	/* --skip-bad: only the good row is written, numbered after the register. */
	assert_non_null(strstr(out, "BGS-2026-000008-E,a,1,2026-01-01,办公室"));
	assert_null(strstr(out, "000009"));
	free(out);

	/* Fatal: a required column missing. */
	out = tag_run(&s, NULL, "name,department\na,办公室\n", &np, &first);
	assert_null(out);
	assert_non_null(strstr(first, "value"));
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
}

/* Issue 12 items 17, 18, 23: categories, date range, Excel's date forms. */
static void
test_category_and_dates(void **state)
{
	oa_asset_settings s;
	oa_config *cfg = load("[assets]\nthreshold = 1000\n", &s);
	const oa_tagger_problem *probs;
	oa_tagger_options opt = { false, 0, false };
	oa_tagger *t;
	oa_csv_reader *r;
	oa_error err;
	char *out;
	const char *first;
	size_t np;
	static const char *const want[] = {
		"unknown category \"电子设被\" (did you mean \"电子设备\"?)",
		"unknown category \"furnitur\" (did you mean \"furniture\"?)",
		"acquisition date \"2026-11-29\" is after today (2026-11-28)",
		"acquisition date \"1949/12/31\" is before 1950",
		("acquisition date \"46346\" is a number, not a date (an Excel serial date?): "
		 "format the column as yyyy-mm-dd in the spreadsheet and export again"),
		"acquisition date \"11/20/2026\" is not a valid YYYY-MM-DD date",
	};

	(void)state;
	oa_date_from_ymd(2026, 11, 28, &opt.today);
	t = oa_tagger_new(&s, &opt);
	r = oa_csv_reader_memory(S("name,category,value,acquired\n"
	                           "a,电子设被,1,2026-01-02\n"
	                           "b,furnitur,1,2026-01-02\n"
	                           "c,家具,1,2026-11-29\n"
	                           "d,家具,1,1949/12/31\n"
	                           "e,家具,1,46346\n"
	                           "f,家具,1,11/20/2026\n"),
	                         "in.csv", NULL, &err);
	assert_int_equal(oa_tagger_read_input(t, r, &err), 0);
	assert_int_equal(oa_tagger_problems(t, &probs), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(probs[i].line, (long)i + 2);
		assert_string_equal(probs[i].msg, want[i]);
	}
	oa_csv_reader_free(r);
	oa_tagger_free(t);

	/* Excel's forms are accepted and written as YYYY-MM-DD; 1950 and today are fine. */
	out = tag_run(&s, NULL,
	              "name,category,value,acquired\n"
	              "a,家具,1,2026/11/20\n"
	              "b,家具,1,2026/1/5\n"
	              "c,家具,1,2026年3月2日\n"
	              "d,家具,1,2026.11.28\n"
	              "e,家具,1, 1950-01-01 \n",
	              &np, &first);
	assert_non_null(out);
	assert_int_equal(np, 0);
	assert_string_equal(out,
	                    "tag,name,category,value,acquired,class,life,status\n"
	                    "ADM-2026-000001-R,a,家具,1,2026-11-20,low-value,5,in-use\n"
	                    "ADM-2026-000002-P,b,家具,1,2026-01-05,low-value,5,in-use\n"
	                    "ADM-2026-000003-N,c,家具,1,2026-03-02,low-value,5,in-use\n"
	                    "ADM-2026-000004-L,d,家具,1,2026-11-28,low-value,5,in-use\n"
	                    "ADM-1950-000001-W,e,家具,1,1950-01-01,low-value,5,in-use\n");
	free(out);
	oa_asset_settings_release(&s);
	oa_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_render),
		cmocka_unit_test(test_pattern_errors),
		cmocka_unit_test(test_parse_amount),
		cmocka_unit_test(test_values_and_classes),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_register_layout),
		cmocka_unit_test(test_row_numbers),
		cmocka_unit_test(test_register_copies_a_field_twice),
		cmocka_unit_test(test_counters_stdout),
		cmocka_unit_test(test_defaults_and_layout),
		cmocka_unit_test(test_category_threshold),
		cmocka_unit_test(test_sequence_overflow),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_category_and_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
