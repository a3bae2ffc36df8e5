/*
 * test_config.c - config loading, typed getters, unknown-key warnings, the
 * search order, and the [departments] table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "departments.h"

static char dir[] = "/tmp/oa-test-config-XXXXXX";

static const char *
write_ini(const char *name, const char *text)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static void
test_getters(void **state)
{
	oa_error err;
	oa_config *cfg;
	long n;
	double d;
	bool b;

	(void)state;
	cfg = oa_config_load(write_ini("a.ini", "[general]\nlock_timeout = 30\n"
	                                        "[assets]\nthreshold = 1500.5\n\n"
	                                        "[calendar]\nhours = 09:00-12:00\n"
	                                        "[x]\nflag = yes\nbad = maybe\nnum = 12abc\n"),
	                     &err);
	assert_non_null(cfg);
	assert_int_equal(oa_config_get_long(cfg, "general", "lock_timeout", 10, 0, 3600, &n, &err), 0);
	assert_int_equal(n, 30);
	assert_int_equal(oa_config_get_long(cfg, "General", "LOCK_TIMEOUT", 10, 0, 3600, &n, &err), 0);
	assert_int_equal(n, 30);
	assert_int_equal(oa_config_get_long(cfg, "general", "missing", 10, 0, 3600, &n, &err), 0);
	assert_int_equal(n, 10);
	assert_int_equal(oa_config_get_double(cfg, "assets", "threshold", 2000, 0, 1e9, &d, &err), 0);
	assert_true(d == 1500.5);
	assert_int_equal(oa_config_get_bool(cfg, "x", "flag", false, &b, &err), 0);
	assert_true(b);
	assert_string_equal(oa_config_get_string(cfg, "calendar", "hours", ""), "09:00-12:00");

	/* A bad value names the file, line, section, key and what was expected. */
	oa_error_clear(&err);
	assert_int_equal(oa_config_get_bool(cfg, "x", "bad", false, &b, &err), -1);
	assert_string_equal(err.file, oa_config_path(cfg));
	assert_int_equal(err.line, 10);
	assert_non_null(strstr(err.msg, "[x] bad = \"maybe\": expected yes or no"));
	assert_int_equal(oa_config_get_long(cfg, "x", "num", 0, 0, 100, &n, &err), -1);
	assert_int_equal(err.line, 11);
	assert_non_null(strstr(err.msg, "a whole number from 0 to 100"));
	assert_int_equal(oa_config_get_long(cfg, "general", "lock_timeout", 0, 0, 20, &n, &err), -1);
	oa_config_free(cfg);
}

struct warnings {
	int count;
	char text[1024];
};

static void
collect(void *ctx, const char *file, const char *msg)
{
	struct warnings *w = ctx;

	(void)file;
	w->count++;
	strcat(w->text, msg);
	strcat(w->text, ";");
}

static void
test_unknown_keys_warn(void **state)
{
	oa_error err;
	struct warnings w = { 0, "" };
	oa_config *cfg = oa_config_load(
		write_ini("b.ini", "[calendar]\nworkdays = mon\nholliday = 2026-01-01\n"
		                   "[departments]\n办公室 = BGS\n[colour]\nx = 1\n"),
		&err);

	(void)state;
	assert_non_null(cfg);
	oa_config_check(cfg, collect, &w);
	assert_int_equal(w.count, 2);
	assert_non_null(strstr(w.text, "unknown key \"holliday\" in [calendar]"));
	assert_non_null(strstr(w.text, "unknown section [colour]"));
	oa_config_free(cfg);
}

static void
test_syntax_error_has_line(void **state)
{
	oa_error err;

	(void)state;
	oa_error_clear(&err);
	assert_null(oa_config_load(write_ini("c.ini", "[general]\norganisation = x\nthis is not ini\n"), &err));
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "syntax error"));
	oa_error_clear(&err);
	assert_null(oa_config_load("/nonexistent/officeadm.ini", &err));
	assert_string_equal(err.file, "/nonexistent/officeadm.ini");
}

/* iniparser keeps the last of two values of a key: a repeat is an error. */
static void
test_repeated_key(void **state)
{
	oa_error err;
	oa_config *cfg;

	(void)state;
	oa_error_clear(&err);
	/* The case: a second holidays = line (2026 国庆 would vanish). */
	assert_null(oa_config_load(write_ini("rep.ini",
	                                     "[calendar]\n"
	                                     "holidays = 2026-10-01..2026-10-07\n"
	                                     "; 2027\n"
	                                     "workdays = mon-fri\n"
	                                     "Holidays=2027-01-01\n"), &err));
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "key \"holidays\" of [calendar] is given twice, "
	                                "on lines 2 and 5"));
	/* Across two parts of one section, names folded to lower case. */
	oa_error_clear(&err);
	assert_null(oa_config_load(write_ini("rep2.ini",
	                                     "[General]\norganisation = a\n"
	                                     "[calendar]\nworkdays = mon-fri\n"
	                                     "[general]\n  ORGANISATION = b\n"), &err));
	assert_int_equal(err.line, 6);
	assert_non_null(strstr(err.msg, "lines 2 and 6"));
	/* A continued line counts as one, at its first line; after a BOM. */
	oa_error_clear(&err);
	assert_null(oa_config_load(write_ini("rep3.ini",
	                                     "\xEF\xBB\xBF[calendar]\nholidays = 2026-01-01, \\\n"
	                                     "  2026-01-02\nholidays = 2026-01-03\n"), &err));
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "lines 2 and 4"));
	/* The same key in two sections, a section given twice with different
	 * keys, and commented-out repeats are fine. */
	cfg = oa_config_load(write_ini("ok.ini",
	                               "[a]\nx = 1\n[b]\nx = 2\n[a]\ny = 3\n;x = 4\n# y = 5\n"),
	                     &err);
	assert_non_null(cfg);
	assert_string_equal(oa_config_get_string(cfg, "a", "x", ""), "1");
	assert_string_equal(oa_config_get_string(cfg, "a", "y", ""), "3");
	oa_config_free(cfg);
}

static void
test_encoding_of_the_file(void **state)
{
	oa_error err;
	oa_config *cfg;

	(void)state;
	/* GB18030 "办公室" on line 3: refused, naming the line. */
	oa_error_clear(&err);
	assert_null(oa_config_load(write_ini("gb.ini", "[departments]\n; x\n\xB0\xEC\xB9\xAB\xCA\xD2 = BGS\n"), &err));
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "not UTF-8"));
	/* A UTF-8 byte-order mark (Notepad) is fine. */
	cfg = oa_config_load(write_ini("bom.ini", "\xEF\xBB\xBF[general]\norganisation = 办公室\n"), &err);
	assert_non_null(cfg);
	assert_string_equal(oa_config_get_string(cfg, "general", "organisation", ""), "办公室");
	oa_config_free(cfg);
}

static void
test_search_order(void **state)
{
	oa_error err;
	oa_config *cfg;
	char cwd[512], xdg[300], path[400];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	unsetenv("OFFICEADM_CONFIG");
	snprintf(xdg, sizeof xdg, "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	snprintf(path, sizeof path, "%s/officeadm", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	write_ini("xdg/officeadm/officeadm.ini", "[general]\norganisation = xdg\n");
	cfg = oa_config_load(NULL, &err);
	assert_string_equal(oa_config_get_string(cfg, "general", "organisation", ""), "xdg");
	oa_config_free(cfg);
	write_ini("officeadm.ini", "[general]\norganisation = cwd\n");
	cfg = oa_config_load(NULL, &err);
	assert_string_equal(oa_config_get_string(cfg, "general", "organisation", ""), "cwd");
	oa_config_free(cfg);
	setenv("OFFICEADM_CONFIG", write_ini("env.ini", "[general]\norganisation = env\n"), 1);
	cfg = oa_config_load(NULL, &err);
	assert_string_equal(oa_config_get_string(cfg, "general", "organisation", ""), "env");
	oa_config_free(cfg);
	/* An explicit file wins over all. */
	cfg = oa_config_load(write_ini("x.ini", "[general]\norganisation = explicit\n"), &err);
	assert_string_equal(oa_config_get_string(cfg, "general", "organisation", ""), "explicit");
	oa_config_free(cfg);
	unsetenv("OFFICEADM_CONFIG");
	assert_int_equal(chdir(cwd), 0);
}

static void
test_departments(void **state)
{
	oa_error err;
	oa_departments d;
	const oa_department *found[4];
	oa_config *cfg = oa_config_load(
		write_ini("d.ini", "[departments]\n办公室 = BGS, 王主任, wang@example.org\n"
		                   "财务科 = CWK, 李科长, li@example.org\nFinance = FIN\n"),
		&err);

	(void)state;
	assert_int_equal(oa_departments_load(&d, cfg, &err), 0);
	assert_int_equal(d.count, 3);
	const oa_department *o = oa_departments_find(&d, " 办公室 ", strlen(" 办公室 "));
	assert_non_null(o);
	assert_string_equal(o->code, "BGS");
	assert_string_equal(o->head, "王主任");
	assert_string_equal(o->email, "wang@example.org");
	assert_non_null(oa_departments_find(&d, "FINANCE", 7));
	assert_null(oa_departments_find(&d, "人事科", strlen("人事科")));
	/* "财务处" is one character from 财务科. */
	assert_int_equal(oa_departments_suggest(&d, "财务处", strlen("财务处"), found, 4), 1);
	assert_string_equal(found[0]->code, "CWK");
	assert_int_equal(oa_departments_suggest(&d, "xyz", 3, found, 4), 0);
	oa_departments_release(&d);
	oa_config_free(cfg);
}

static void
test_long_key(void **state)
{
	/* A 700-byte key (found by fuzz_config): listed, found, and its value read. */
	char text[1024];
	oa_error err;
	oa_config *cfg;
	const char **keys;

	(void)state;
	memset(text, 0, sizeof text);
	strcpy(text, "[departments]\n");
	memset(text + strlen(text), 'k', 700);
	strcat(text, " = BGS\n");
	cfg = oa_config_load(write_ini("long.ini", text), &err);
	assert_non_null(cfg);
	assert_int_equal(oa_config_keys(cfg, "departments", &keys), 1);
	assert_int_equal(strlen(keys[0]), 700);
	assert_true(oa_config_has(cfg, "departments", keys[0]));
	assert_string_equal(oa_config_get_string(cfg, "departments", keys[0], ""), "BGS");
	oa_config_free(cfg);
}

static void
test_split_list(void **state)
{
	char **items;
	size_t n = oa_config_split_list(" mon, tue ,,wed ", &items);

	(void)state;
	assert_int_equal(n, 3);
	assert_string_equal(items[0], "mon");
	assert_string_equal(items[1], "tue");
	assert_string_equal(items[2], "wed");
	free(items);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_unknown_keys_warn),
		cmocka_unit_test(test_syntax_error_has_line),
		cmocka_unit_test(test_encoding_of_the_file),
		cmocka_unit_test(test_repeated_key),
		cmocka_unit_test(test_search_order),
		cmocka_unit_test(test_departments),
		cmocka_unit_test(test_long_key),
		cmocka_unit_test(test_split_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
