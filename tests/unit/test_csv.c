/*
 * test_csv.c - the CSV reader and writer.
 *
 * Table-driven: each case is an input and the records it must give (fields
 * joined by '|', records by '\n' in `want`), or the line and message of
 * the error it must give.  Every case is read at every chunk size from 1
 * byte to the whole input, so records split across reads are proven.  The
 * csv-spectrum suite (tests/data/csv-spectrum) is read against its JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "columns.h"
#include "csv.h"

/* Reads everything into "a|b\nc|d\n" form; returns 0, or -1 with err. */
static int
slurp(const char *data, size_t len, size_t chunk, oa_encoding enc, size_t width, char *out,
      size_t cap, oa_error *err)
{
	oa_csv_options opt;
	oa_csv_reader *r;
	size_t used = 0;
	int rc;

	oa_csv_options_init(&opt);
	opt.chunk_size = chunk;
	opt.encoding = enc;
	opt.max_field = 64;
	r = oa_csv_reader_memory(data, len, "t.csv", &opt, err);
	assert_non_null(r);
	out[0] = '\0';
	while ((rc = oa_csv_read(r, err)) == 1) {
		if (width)
			oa_csv_reader_set_width(r, width);
		for (size_t i = 0; i < oa_csv_nfields(r); i++) {
			int n = snprintf(out + used, cap - used, "%s%s", i ? "|" : "", oa_csv_field(r, i));
			assert_true(n >= 0 && (size_t)n < cap - used);
			used += (size_t)n;
		}
		used += (size_t)snprintf(out + used, cap - used, "@%ld\n", oa_csv_line(r));
	}
	oa_csv_reader_free(r);
	return rc;
}

struct good_case {
	const char *name;
	const char *in;
	const char *want; /* fields joined by '|', then @line */
};

static const struct good_case good_cases[] = {
	{ "simple", "a,b\n1,2\n", "a|b@1\n1|2@2\n" },
	{ "no final newline", "a,b\n1,2", "a|b@1\n1|2@2\n" },
	{ "crlf", "a,b\r\n1,2\r\n", "a|b@1\n1|2@2\n" },
	{ "bom", "\xEF\xBB\xBF" "a,b\n1,2\n", "a|b@1\n1|2@2\n" },
	{ "spaces kept", " a , b \n", " a | b @1\n" },
	{ "quoted comma", "\"x,y\",z\n", "x,y|z@1\n" },
	{ "doubled quote", "\"say \"\"hi\"\"\",2\n", "say \"hi\"|2@1\n" },
	{ "newline in quotes", "\"l1\nl2\",x\nnext,y\n", "l1\nl2|x@1\nnext|y@3\n" },
	{ "crlf in quotes", "\"l1\r\nl2\",x\r\nnext,y\r\n", "l1\r\nl2|x@1\nnext|y@3\n" },
	{ "blank lines skipped", "a\n\n\nb\n", "a@1\nb@4\n" },
	{ "empty fields", ",,\n", "||@1\n" },
	{ "empty quoted", "\"\",x\n", "|x@1\n" },
	{ "chinese", "名称,部门\n台式电脑,办公室\n", "名称|部门@1\n台式电脑|办公室@2\n" },
	{ "4-byte utf8", "\xF0\x9F\x98\x80,x\n", "\xF0\x9F\x98\x80|x@1\n" },
	{ "quoted field ending file", "a,\"b\"", "a|b@1\n" },
};

static void
test_good_cases(void **state)
{
	char out[4096];
	oa_error err;

	(void)state;
	for (size_t c = 0; c < sizeof good_cases / sizeof good_cases[0]; c++) {
		const struct good_case *g = &good_cases[c];
		size_t len = strlen(g->in);
		for (size_t chunk = 1; chunk <= len + 1; chunk++) {
			oa_error_clear(&err);
			int rc = slurp(g->in, len, chunk, OA_ENC_AUTO, 0, out, sizeof out, &err);
			if (rc != 0 || strcmp(out, g->want) != 0)
				fail_msg("case \"%s\" chunk %zu: rc %d err \"%s\"\ngot:\n%s\nwant:\n%s", g->name,
				         chunk, rc, err.msg, out, g->want);
		}
	}
}

struct bad_case {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen */
	size_t width;
	long line;
	const char *msg; /* substring */
};

static const struct bad_case bad_cases[] = {
	{ "text after closing quote", "a,b\n\"Desk\" A,2\nc,d\n", 0, 0, 2, "after the closing quote" },
	{ "stray quote", "a,b\nDe\"sk,2\n", 0, 0, 2, "quote inside unquoted field" },
	{ "unterminated at eof", "a,b\n1,\"open\nmore\n", 0, 0, 2, "unterminated quoted field" },
	{ "nul byte", "a,b\nx\0y,2\n", 11, 0, 2, "NUL byte" },
	{ "invalid utf8 not gb18030", "a\nok\n\xFF\xFF\xFF\n", 0, 0, 3, "invalid UTF-8" },
	{ "more fields than header", "a,b\n1,2\n1,2,3\n", 0, 2, 3, "more fields than the header" },
	{ "empty past the header, then text", "a,b\n1,2,,x\n", 0, 2, 2, "more fields than the header" },
	{ "quoted text past the header", "a,b\n1,2,,\"x\"\n", 0, 2, 2, "more fields than the header" },
	{ "field too long", "a\n0123456789012345678901234567890123456789012345678901234567890123456789\n", 0, 0, 2, "longer than 64 bytes" },
	{ "runaway quote", "a\n\"0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n", 0, 0, 2, "longer than 64 bytes" },
	{ "utf8 cut at eof", "a\n\xE4\xB8", 0, 0, 2, "" },
};

static void
test_bad_cases(void **state)
{
	char out[4096];
	oa_error err;

	(void)state;
	for (size_t c = 0; c < sizeof bad_cases / sizeof bad_cases[0]; c++) {
		const struct bad_case *b = &bad_cases[c];
		size_t len = b->len ? b->len : strlen(b->in);
		for (size_t chunk = 1; chunk <= len + 1; chunk++) {
			oa_error_clear(&err);
			int rc = slurp(b->in, len, chunk, OA_ENC_UTF8, b->width, out, sizeof out, &err);
			if (rc != -1 || err.line != b->line || strstr(err.msg, b->msg) == NULL ||
			    strcmp(err.file, "t.csv") != 0)
				fail_msg("case \"%s\" chunk %zu: rc %d, error %s:%ld: \"%s\" (want line %ld, \"%s\")",
				         b->name, chunk, rc, err.file, err.line, err.msg, b->line, b->msg);
		}
	}
}

static void
test_width_pads_short_records(void **state)
{
	char out[256];
	oa_error err;

	(void)state;
	assert_int_equal(slurp("a,b,c\n1\n", 8, 3, OA_ENC_AUTO, 3, out, sizeof out, &err), 0);
	assert_string_equal(out, "a|b|c@1\n1||@2\n");
}

/*
 * Excel exports empty columns past the header as trailing commas: they are
 * dropped (quoted or not), and the record is no longer a plain line.
 */
static void
test_width_drops_trailing_empty_fields(void **state)
{
	static const char in[] = "a,b\n1,2,,\n3,4,\"\",\n";
	char out[256];
	oa_error err;
	oa_csv_reader *r;
	size_t len;

	(void)state;
	for (size_t chunk = 1; chunk <= sizeof in; chunk++) {
		assert_int_equal(slurp(in, sizeof in - 1, chunk, OA_ENC_AUTO, 2, out, sizeof out, &err), 0);
		assert_string_equal(out, "a|b@1\n1|2@2\n3|4@3\n");
	}
	r = oa_csv_reader_memory(in, sizeof in - 1, "t.csv", NULL, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	oa_csv_reader_set_width(r, 2);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_csv_nfields(r), 2);
	assert_null(oa_csv_plain_line(r, &len));
	oa_csv_reader_free(r);
}

/* Tab- and semicolon-separated text with opt.delim. */
static void
test_delimiters(void **state)
{
	static const char tab[] = "tag\tlocation\nT-1\t\"3,1\"\nT-2\tR2\n";
	static const char semi[] = "tag;location\r\nT-1;R1\r\n";
	oa_csv_options opt;
	oa_error err;
	oa_csv_reader *r;
	size_t len;

	(void)state;
	oa_csv_options_init(&opt);
	opt.delim = '\t';
	r = oa_csv_reader_memory(tab, sizeof tab - 1, "t.tsv", &opt, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_csv_nfields(r), 2);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_string_equal(oa_csv_field(r, 1), "3,1");
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_string_equal(oa_csv_field(r, 0), "T-2");
	assert_null(oa_csv_plain_line(r, &len));
	oa_csv_reader_free(r);
	opt.delim = ';';
	r = oa_csv_reader_memory(semi, sizeof semi - 1, "t.csv", &opt, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_string_equal(oa_csv_field(r, 1), "R1");
	oa_csv_reader_free(r);
}

static void
test_gb18030(void **state)
{
	/* "名称,部门\n台式电脑,办公室\n" in GB18030. */
	static const char gb[] = "\xC3\xFB\xB3\xC6,\xB2\xBF\xC3\xC5\n"
	                         "\xCC\xA8\xCA\xBD\xB5\xE7\xC4\xD4,\xB0\xEC\xB9\xAB\xCA\xD2\n";
	char out[256];
	oa_error err;

	(void)state;
	for (size_t chunk = 1; chunk <= sizeof gb; chunk++) {
		oa_error_clear(&err);
		assert_int_equal(slurp(gb, sizeof gb - 1, chunk, OA_ENC_AUTO, 0, out, sizeof out, &err), 0);
		assert_string_equal(out, "名称|部门@1\n台式电脑|办公室@2\n");
		assert_int_equal(slurp(gb, sizeof gb - 1, chunk, OA_ENC_GB18030, 0, out, sizeof out, &err), 0);
		assert_string_equal(out, "名称|部门@1\n台式电脑|办公室@2\n");
	}
	/* Forced UTF-8: an error on line 1. */
	oa_error_clear(&err);
	assert_int_equal(slurp(gb, sizeof gb - 1, 4096, OA_ENC_UTF8, 0, out, sizeof out, &err), -1);
	assert_int_equal(err.line, 1);
	/* An invalid GB18030 sequence on line 3 (0xFF is never a GB18030 byte). */
	static const char badgb[] = "a\n\xC3\xFB\n\xC3\xFF\n";
	oa_error_clear(&err);
	assert_int_equal(slurp(badgb, sizeof badgb - 1, 4096, OA_ENC_GB18030, 0, out, sizeof out, &err), -1);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "GB18030"));
}

static void
test_encoding_names(void **state)
{
	oa_encoding e;
	oa_error err;

	(void)state;
	assert_int_equal(oa_encoding_parse("UTF-8", &e, &err), 0);
	assert_int_equal(e, OA_ENC_UTF8);
	assert_int_equal(oa_encoding_parse("gbk", &e, &err), 0);
	assert_int_equal(e, OA_ENC_GB18030);
	assert_int_equal(oa_encoding_parse("latin1", &e, &err), -1);
	assert_non_null(strstr(err.msg, "latin1"));
}

/* ---- csv-spectrum ---- */

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Parses a JSON string at *p into out (UTF-8); advances *p. */
static size_t
json_string(const char **p, char *out)
{
	const char *s = *p;
	size_t n = 0;

	assert_int_equal(*s, '"');
	s++;
	while (*s != '"') {
		if (*s == '\\') {
			s++;
			switch (*s) {
			case 'n': out[n++] = '\n'; break;
			case 'r': out[n++] = '\r'; break;
			case 't': out[n++] = '\t'; break;
			case 'u': {
				unsigned cp = (unsigned)strtoul((char[]){ s[1], s[2], s[3], s[4], 0 }, NULL, 16);
				s += 4;
				if (cp < 0x80) {
					out[n++] = (char)cp;
				} else if (cp < 0x800) {
					out[n++] = (char)(0xC0 | (cp >> 6));
					out[n++] = (char)(0x80 | (cp & 0x3F));
				} else {
					out[n++] = (char)(0xE0 | (cp >> 12));
					out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					out[n++] = (char)(0x80 | (cp & 0x3F));
				}
				break;
			}
			default: out[n++] = *s; break;
			}
			s++;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	*p = s + 1;
	return n;
}

/* Expected records from the JSON: the values of each object, '|'-joined. */
static void
json_expect(const char *json, char *out)
{
	const char *p = json;
	char buf[1024];
	size_t used = 0;
	int first = 1;

	out[0] = '\0';
	while (*p) {
		if (*p == '{') {
			first = 1;
			p++;
		} else if (*p == '}') {
			out[used++] = '\n';
			out[used] = '\0';
			p++;
		} else if (*p == '"') {
			json_string(&p, buf); /* key */
			while (*p != '"')
				p++;
			json_string(&p, buf); /* value */
			used += (size_t)sprintf(out + used, "%s%s", first ? "" : "|", buf);
			first = 0;
		} else {
			p++;
		}
	}
}

static void
test_csv_spectrum(void **state)
{
	static const char *const cases[] = { "comma_in_quotes", "empty", "empty_crlf",
		"escaped_quotes", "json", "newlines", "newlines_crlf", "quotes_and_newlines",
		"simple", "simple_crlf", "utf8" };
	const char *dir = getenv("OA_TEST_DATA") ? getenv("OA_TEST_DATA") : "tests/data";
	char path[512], want[8192], got[8192];

	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t clen, jlen;
		snprintf(path, sizeof path, "%s/csv-spectrum/%s.csv", dir, cases[c]);
		char *csv = read_file(path, &clen);
		snprintf(path, sizeof path, "%s/csv-spectrum/%s.json", dir, cases[c]);
		char *json = read_file(path, &jlen);
		json_expect(json, want);
		for (size_t chunk = 1; chunk <= clen; chunk++) {
			oa_csv_options opt;
			oa_error err;
			oa_csv_reader *r;
			size_t used = 0;
			int rc;
			oa_csv_options_init(&opt);
			opt.chunk_size = chunk;
			r = oa_csv_reader_memory(csv, clen, cases[c], &opt, &err);
			assert_int_equal(oa_csv_read(r, &err), 1); /* header */
			oa_csv_reader_set_width(r, oa_csv_nfields(r));
			got[0] = '\0';
			while ((rc = oa_csv_read(r, &err)) == 1) {
				for (size_t i = 0; i < oa_csv_nfields(r); i++)
					used += (size_t)sprintf(got + used, "%s%s", i ? "|" : "",
					                        oa_csv_field(r, i));
				got[used++] = '\n';
				got[used] = '\0';
			}
			if (rc != 0 || strcmp(got, want) != 0)
				fail_msg("%s chunk %zu: rc %d (%s)\ngot:\n%s\nwant:\n%s", cases[c], chunk, rc,
				         err.msg, got, want);
			oa_csv_reader_free(r);
		}
		free(csv);
		free(json);
	}

	/* location_coordinates has a bare quote in an unquoted field: rejected. */
	size_t len;
	snprintf(path, sizeof path, "%s/csv-spectrum/location_coordinates.csv", dir);
	char *csv = read_file(path, &len);
	oa_error err;
	oa_csv_reader *r = oa_csv_reader_memory(csv, len, "location_coordinates.csv", NULL, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_csv_read(r, &err), -1);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.file, "location_coordinates.csv");
	oa_csv_reader_free(r);
	free(csv);
}

/* ---- writer ---- */

static char *
write_with(bool excel, const char *const *fields, size_t n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	oa_csv_writer *w = oa_csv_writer_new(fp, excel);

	oa_csv_write_record(w, fields, n);
	oa_csv_write_record(w, fields, n);
	assert_int_equal(oa_csv_writer_check(w, "mem", NULL), 0);
	oa_csv_writer_free(w);
	fclose(fp);
	return buf;
}

static void
test_writer(void **state)
{
	const char *f[] = { "plain", "a,b", "say \"hi\"", "l1\nl2", " sp ", "", "=SUM(A1)", "-3", "名称" };
	char *s;

	(void)state;
	s = write_with(false, f, 9);
	assert_string_equal(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\", sp ,,=SUM(A1),-3,名称\n"
	                       "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\", sp ,,=SUM(A1),-3,名称\n");
	free(s);
	s = write_with(true, f, 9);
	assert_string_equal(s, "\xEF\xBB\xBF"
	                       "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\", sp ,,'=SUM(A1),-3,名称\r\n"
	                       "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\", sp ,,'=SUM(A1),-3,名称\r\n");
	free(s);
	const char *g[] = { "@x", "+1+1", "\tt", "\rr", "a=b" };
	s = write_with(true, g, 5);
	assert_string_equal(s, "\xEF\xBB\xBF'@x,'+1+1,'\tt,\"'\rr\",a=b\r\n'@x,'+1+1,'\tt,\"'\rr\",a=b\r\n");
	free(s);
	/* Plain numbers stay numbers; anything more is a formula and guarded. */
	const char *h[] = { "-300", "+5", "-12.50", "-.5", "-1+2", "-1.5e3", "-", "+cmd|x", "-1.2.3" };
	s = write_with(true, h, 9);
	assert_string_equal(s, "\xEF\xBB\xBF-300,+5,-12.50,-.5,'-1+2,'-1.5e3,'-,'+cmd|x,'-1.2.3\r\n"
	                       "-300,+5,-12.50,-.5,'-1+2,'-1.5e3,'-,'+cmd|x,'-1.2.3\r\n");
	free(s);
}

/*
 * Codes for Excel: what a spreadsheet would turn into a number and change
 * (a leading zero, over 15 digits, digits E digits) is written ="...";
 * everything else as oa_csv_write_field would, and nothing at all changes
 * outside Excel mode.
 */
static void
test_writer_codes(void **state)
{
	static const struct {
		const char *in, *excel;
	} cases[] = {
		{ "000123", "\"=\"\"000123\"\"\"" },
		{ "0301", "\"=\"\"0301\"\"\"" },
		{ "00", "\"=\"\"00\"\"\"" },
		{ "1234567890123456", "\"=\"\"1234567890123456\"\"\"" },
		{ "1E5", "\"=\"\"1E5\"\"\"" },
		{ "12e-3", "\"=\"\"12e-3\"\"\"" },
		{ "0", "0" },
		{ "123", "123" },
		{ "123456789012345", "123456789012345" },
		{ "0.5", "0.5" },
		{ "E5", "E5" },
		{ "1E", "1E" },
		{ "1E5x", "1E5x" },
		{ "0301室", "0301室" },
		{ "BGS-2026-000123-7", "BGS-2026-000123-7" },
		{ "", "" },
		{ "=1+1", "'=1+1" },
		{ "-0123", "-0123" },
	};
	char *buf;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int excel = 0; excel <= 1; excel++) {
			FILE *fp = open_memstream(&buf, &len);
			oa_csv_writer *w;
			char want[128];

			assert_non_null(fp);
			w = oa_csv_writer_new(fp, excel);
			assert_non_null(w);
			oa_csv_write_str(w, "x");
			oa_csv_write_code(w, cases[i].in, strlen(cases[i].in));
			oa_csv_end_record(w);
			oa_csv_writer_free(w);
			fclose(fp);
			snprintf(want, sizeof want, "%sx,%s%s", excel ? "\xEF\xBB\xBF" : "",
			         excel ? cases[i].excel : cases[i].in, excel ? "\r\n" : "\n");
			if (strcmp(buf, want) != 0)
				fail_msg("\"%s\" (excel %d): wrote \"%s\", want \"%s\"", cases[i].in,
				         excel, buf, want);
			free(buf);
		}
	}
}

static void
test_writer_long_fields_and_tell(void **state)
{
	/* Special bytes past the first eight are found too. */
	const char *f[] = { "0123456789abcdef,x", "0123456789abcdefgh\"", "0123456789abcdef\n",
	                    "0123456789abcdefghijklmnopqrstuv" };
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	oa_csv_writer *w = oa_csv_writer_new(fp, false);

	(void)state;
	oa_csv_write_field(w, f[0], strlen(f[0]));
	/* The record is held until it ends; tell counts it. */
	assert_int_equal(oa_csv_writer_tell(w), 20);
	oa_csv_write_field(w, f[1], strlen(f[1]));
	oa_csv_write_field(w, f[2], strlen(f[2]));
	oa_csv_write_field(w, f[3], strlen(f[3]));
	oa_csv_end_record(w);
	assert_int_equal(oa_csv_writer_check(w, "mem", NULL), 0);
	assert_int_equal(oa_csv_writer_tell(w), (long long)size);
	assert_string_equal(buf, "\"0123456789abcdef,x\",\"0123456789abcdefgh\"\"\",\"0123456789abcdef\n\","
	                         "0123456789abcdefghijklmnopqrstuv\n");
	oa_csv_writer_free(w);
	fclose(fp);
	free(buf);
}

static void
test_writer_quotes_a_leading_bom(void **state)
{
	/* A first cell starting with U+FEFF is quoted, so it reads back whole. */
	const char *f[] = { "\xEF\xBB\xBFx", "y" };
	char *s = write_with(false, f, 2);
	oa_error err;
	oa_csv_reader *r;

	(void)state;
	assert_string_equal(s, "\"\xEF\xBB\xBFx\",y\n\xEF\xBB\xBFx,y\n");
	r = oa_csv_reader_memory(s, strlen(s), "bom", NULL, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_string_equal(oa_csv_field(r, 0), "\xEF\xBB\xBFx");
	oa_csv_reader_free(r);
	free(s);
}

static void
test_writer_quotes_a_leading_zip_signature(void **state)
{
	/*
	 * A first cell starting "PK\3\4" (found by fuzz_csv) is quoted: the
	 * reader takes a file starting so for a workbook named by mistake.
	 */
	const char *f[] = { "PK\3\4x", "y" };
	char *s = write_with(false, f, 2);
	oa_error err;
	oa_csv_reader *r;

	(void)state;
	assert_int_equal(s[0], '"');
	r = oa_csv_reader_memory(s, strlen(s), "zip", NULL, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_string_equal(oa_csv_field(r, 0), "PK\3\4x");
	oa_csv_reader_free(r);
	free(s);
}

static void
test_round_trip(void **state)
{
	/* What the writer writes, the reader reads back unchanged. */
	const char *f[] = { "a,b", "say \"hi\"", "l1\r\nl2", " sp ", "", "x" };
	char *s = write_with(false, f, 6);
	oa_error err;
	oa_csv_reader *r = oa_csv_reader_memory(s, strlen(s), "rt", NULL, &err);

	(void)state;
	for (int rec = 0; rec < 2; rec++) {
		assert_int_equal(oa_csv_read(r, &err), 1);
		assert_int_equal(oa_csv_nfields(r), 6);
		for (size_t i = 0; i < 6; i++)
			assert_string_equal(oa_csv_field(r, i), f[i]);
	}
	assert_int_equal(oa_csv_read(r, &err), 0);
	oa_csv_reader_free(r);
	free(s);
}

/* A quote-free line is handed over as it was; a quoted or padded one is not. */
static void
test_plain_line(void **state)
{
	static const char in[] = "a,b,c\r\nx,,z\n\"q\",r,s\nshort\nlast,1,2\n";
	const char *fields[4], *line;
	size_t lens[4], len;
	oa_error err;
	oa_csv_reader *r = oa_csv_reader_memory(in, sizeof in - 1, "p.csv", NULL, &err);

	(void)state;
	assert_int_equal(oa_csv_read(r, &err), 1);
	line = oa_csv_plain_line(r, &len);
	assert_non_null(line);
	assert_int_equal(len, 5); /* "a,b,c" without the CRLF */
	assert_memory_equal(line, "a,b,c", 5);
	oa_csv_reader_set_width(r, 3);

	assert_int_equal(oa_csv_read(r, &err), 1);
	line = oa_csv_plain_line(r, &len);
	assert_non_null(line);
	assert_int_equal(len, 4);
	assert_memory_equal(line, "x,,z", 4);
	/* Fields in one block: each after the previous one's NUL, at its place in the line. */
	assert_int_equal(oa_csv_fields(r, fields, lens, 4), 3);
	assert_int_equal(lens[0], 1);
	assert_int_equal(lens[1], 0);
	assert_int_equal(lens[2], 1);
	assert_ptr_equal(fields[1], fields[0] + 2);
	assert_ptr_equal(fields[2], fields[0] + 3);
	assert_int_equal(fields[2][1], '\0');

	assert_int_equal(oa_csv_read(r, &err), 1); /* quoted */
	assert_null(oa_csv_plain_line(r, &len));
	assert_int_equal(len, 0);
	assert_int_equal(oa_csv_fields(r, fields, lens, 4), 3);
	assert_string_equal(fields[0], "q");
	assert_ptr_equal(fields[1], fields[0] + 2);

	assert_int_equal(oa_csv_read(r, &err), 1); /* padded to three fields */
	assert_null(oa_csv_plain_line(r, &len));
	assert_int_equal(oa_csv_nfields(r), 3);

	assert_int_equal(oa_csv_read(r, &err), 1); /* last line */
	line = oa_csv_plain_line(r, &len);
	assert_non_null(line);
	assert_int_equal(len, 8);
	assert_memory_equal(line, "last,1,2", 8);
	assert_int_equal(oa_csv_read(r, &err), 0);
	oa_csv_reader_free(r);
}

/* A held writer keeps each record for the caller, BOM and CRLF included. */
static void
test_held_writer(void **state)
{
	oa_csv_writer *w = oa_csv_writer_new_held(true);
	oa_error err;
	const char *rec;
	size_t len;

	(void)state;
	assert_non_null(w);
	oa_csv_write_str(w, "=1+1");
	assert_int_equal(oa_csv_writer_tell(w), 3 + 5); /* BOM, then '=1+1 */
	oa_csv_write_str(w, "a,b");
	oa_csv_end_record(w);
	assert_int_equal(oa_csv_writer_check(w, "held", &err), 0);
	rec = oa_csv_writer_take(w, &len);
	assert_int_equal(len, 3 + 5 + 1 + 5 + 2);
	assert_memory_equal(rec, "\xEF\xBB\xBF'=1+1,\"a,b\"\r\n", len);
	oa_csv_write_str(w, "x");
	oa_csv_end_record(w);
	rec = oa_csv_writer_take(w, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(rec, "x\r\n", 3);
	rec = oa_csv_writer_take(w, &len);
	assert_int_equal(len, 0);
	oa_csv_writer_free(w);
}

#define S(s) s, strlen(s)

/* ---- style ---- */

/* Reads DATA to its end and returns the reader's style. */
static oa_csv_style
style_of(const char *data, size_t len, size_t chunk)
{
	oa_csv_options opt;
	oa_csv_style style;
	oa_error err;
	oa_csv_reader *r;

	oa_csv_options_init(&opt);
	opt.chunk_size = chunk;
	r = oa_csv_reader_memory(data, len, "style.csv", &opt, &err);
	assert_non_null(r);
	while (oa_csv_read(r, &err) > 0)
		;
	oa_csv_reader_style(r, &style);
	oa_csv_reader_free(r);
	return style;
}

/*
 * The reader notes BOM, line end and encoding; a writer in that style
 * writes the same bytes back (GB18030 through iconv, CR LF, BOM).
 */
static void
test_style_round_trip(void **state)
{
	/* "名称,部门\r\n台式电脑,办公室\r\n" in GB18030, and in UTF-8 with a BOM. */
	static const char gb[] = "\xC3\xFB\xB3\xC6,\xB2\xBF\xC3\xC5\r\n"
	                         "\xCC\xA8\xCA\xBD\xB5\xE7\xC4\xD4,\xB0\xEC\xB9\xAB\xCA\xD2\r\n";
	static const char u8[] = "\xEF\xBB\xBF名称,部门\r\n台式电脑,\"办,公室\"\r\n";
	static const char lf[] = "a,b\n1,2\r\n";
	static const struct {
		const char *data;
		size_t len;
		oa_encoding enc;
		bool bom, crlf;
	} cases[] = {
		{ gb, sizeof gb - 1, OA_ENC_GB18030, false, true },
		{ u8, sizeof u8 - 1, OA_ENC_UTF8, true, true },
		{ lf, sizeof lf - 1, OA_ENC_AUTO, false, false }, /* the first line end counts */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (size_t chunk = 1; chunk <= cases[i].len; chunk += chunk < 8 ? 1 : 7) {
			oa_csv_style st = style_of(cases[i].data, cases[i].len, chunk);

			assert_int_equal(st.encoding, cases[i].enc);
			assert_int_equal(st.bom, cases[i].bom);
			assert_int_equal(st.crlf, cases[i].crlf);
		}
		if (cases[i].data == lf)
			continue;
		/* Write what was read, in its style: the same bytes. */
		oa_csv_style st = style_of(cases[i].data, cases[i].len, 4096);
		char *text = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&text, &len);
		oa_csv_writer *w = oa_csv_writer_new_style(fp, &st);
		oa_error err;
		oa_csv_reader *r = oa_csv_reader_memory(cases[i].data, cases[i].len, "x", NULL, &err);

		assert_non_null(w);
		while (oa_csv_read(r, &err) > 0)
			oa_csv_write_current(w, r);
		assert_int_equal(oa_csv_writer_check(w, "out", &err), 0);
		oa_csv_writer_free(w);
		oa_csv_reader_free(r);
		fclose(fp);
		assert_int_equal(len, cases[i].len);
		assert_memory_equal(text, cases[i].data, len);
		free(text);
	}
}

/* A held GB18030 writer hands over converted records; no BOM when appending. */
static void
test_style_held_and_encode(void **state)
{
	oa_csv_style st = { OA_ENC_GB18030, false, true };
	oa_csv_writer *w = oa_csv_writer_new_style(NULL, &st);
	oa_error err;
	const char *rec;
	char *out;
	size_t len;

	(void)state;
	assert_non_null(w);
	oa_csv_write_str(w, "在用");
	oa_csv_write_str(w, "=x"); /* no formula guard in a style */
	oa_csv_end_record(w);
	assert_int_equal(oa_csv_writer_check(w, "held", &err), 0);
	rec = oa_csv_writer_take(w, &len);
	assert_int_equal(len, 9);
	assert_memory_equal(rec, "\xD4\xDA\xD3\xC3,=x\r\n", 9);
	oa_csv_writer_free(w);

	assert_int_equal(oa_text_encode(OA_ENC_GB18030, S("丢失\n"), &out, &len, &err), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "\xB6\xAA\xCA\xA7\n", 5);
	free(out);
	assert_int_equal(oa_text_encode(OA_ENC_UTF8, S("丢失"), &out, &len, &err), 0);
	assert_int_equal(len, 6);
	free(out);
	assert_int_equal(oa_text_encode(OA_ENC_GB18030, S("\xFF"), &out, &len, &err), -1);
	assert_null(out);
}

/*
 * Encoding detection when the bytes are valid both ways.  GB18030 "3楼"
 * (33 C2 A5) is also UTF-8 "3¥": read as UTF-8 (DESIGN.md), flagged
 * ambiguous; forced GB18030 reads 3楼.  Ordinary UTF-8 Chinese is not
 * ambiguous (its GB18030 reading pairs bytes outside GB2312); nor is
 * GB18030 that is not UTF-8.
 */
static void
test_encoding_ambiguity(void **state)
{
	static const char gb_floor[] = "tag,location\nT-1,3\xC2\xA5\n";
	static const char u8[] = "tag,location\nT-1,会议室\n";
	static const char gb[] = "tag,location\nT-1,\xBB\xE1\xD2\xE9\xCA\xD2\n"; /* 会议室 */
	static const struct {
		const char *data;
		size_t len;
		oa_encoding enc;
		bool ambiguous;
		const char *cell;
	} cases[] = {
		{ gb_floor, sizeof gb_floor - 1, OA_ENC_UTF8, true, "3¥" },
		{ u8, sizeof u8 - 1, OA_ENC_UTF8, false, "会议室" },
		{ gb, sizeof gb - 1, OA_ENC_GB18030, false, "会议室" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		oa_error err;
		oa_csv_reader *r = oa_csv_reader_memory(cases[i].data, cases[i].len, "amb.csv", NULL,
		                                        &err);
		long line = -1;

		assert_int_equal(oa_csv_read(r, &err), 1);
		assert_int_equal(oa_csv_read(r, &err), 1);
		assert_string_equal(oa_csv_field(r, 1), cases[i].cell);
		assert_int_equal(oa_csv_encoding(r), cases[i].enc);
		assert_int_equal(oa_csv_encoding_ambiguous(r, &line), cases[i].ambiguous);
		assert_int_equal(line, cases[i].ambiguous ? 2 : 0);
		oa_csv_reader_free(r);
	}
	oa_csv_options opt;
	oa_error err;
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_GB18030;
	oa_csv_reader *r = oa_csv_reader_memory(gb_floor, sizeof gb_floor - 1, "f", &opt, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_string_equal(oa_csv_field(r, 1), "3楼");
	assert_false(oa_csv_encoding_ambiguous(r, NULL));
	oa_csv_reader_free(r);
}

/* ---- columns ---- */

static void
test_columns_map(void **state)
{
	static const char in[] = "备注,ＴＡＧ, 资产名称 ,Last Audit,extra\n";
	oa_error err;
	int idx[OA_REG_NCOLS];
	oa_csv_reader *r = oa_csv_reader_memory(in, sizeof in - 1, "reg.csv", NULL, &err);

	(void)state;
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_columns_map(r, oa_register_columns, OA_REG_NCOLS,
	                                OA_BIT(OA_REG_TAG) | OA_BIT(OA_REG_NAME), idx, &err), 0);
	assert_int_equal(idx[OA_REG_NOTE], 0);
	assert_int_equal(idx[OA_REG_TAG], 1);
	assert_int_equal(idx[OA_REG_NAME], 2);
	assert_int_equal(idx[OA_REG_LAST_AUDIT], 3);
	assert_int_equal(idx[OA_REG_VALUE], -1);
	/* Headers spaced out as official forms do, and "last-audit". */
	assert_true(oa_column_matches(&oa_register_columns[OA_REG_NAME], "资产　名称", strlen("资产　名称")));
	assert_true(oa_column_matches(&oa_register_columns[OA_REG_NAME], "名　　称", strlen("名　　称")));
	assert_true(oa_column_matches(&oa_register_columns[OA_REG_DEPARTMENT], "使用 部门", strlen("使用 部门")));
	assert_true(oa_column_matches(&oa_register_columns[OA_REG_LAST_AUDIT], "last-audit", 10));
	assert_false(oa_column_matches(&oa_register_columns[OA_REG_NAME], "名称甲", strlen("名称甲")));
	/* Missing required column: named, and the header listed. */
	assert_int_equal(oa_columns_map(r, oa_register_columns, OA_REG_NCOLS,
	                                OA_BIT(OA_REG_DEPARTMENT), idx, &err), -1);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "\"department\""));
	assert_non_null(strstr(err.msg, "备注,ＴＡＧ, 资产名称 ,Last Audit,extra"));
	oa_csv_reader_free(r);

	static const char dup[] = "tag,编号\n";
	r = oa_csv_reader_memory(dup, sizeof dup - 1, "dup.csv", NULL, &err);
	assert_int_equal(oa_csv_read(r, &err), 1);
	assert_int_equal(oa_columns_map(r, oa_register_columns, OA_REG_NCOLS, 0, idx, &err), -1);
	assert_string_equal(err.msg, "columns 1 (tag) and 2 (编号) both name \"tag\"");
	oa_csv_reader_free(r);
}

/*
 * Once the header is known, a bad field is named by its column as well as
 * its number: "field 3 (原值)" says where to look in the sheet.  A field
 * past an empty header cell is only numbered; a long name is cut at a
 * character; a name running over lines keeps its first line.
 */
static void
test_errors_name_the_column(void **state)
{
	static const struct {
		const char *in;
		const char *msg;
	} cases[] = {
		{ "资产编号,名称,原值\nA-1,Desk,12\"3\n", "quote inside unquoted field 3 (原值)" },
		{ "资产编号,名称,原值\nA-1,\"Desk\"x,123\n",
		  "text after the closing quote in field 2 (名称)" },
		{ "tag,,note\nA-1,a\"b,c\n", "quote inside unquoted field 2" },
		{ "tag,\"备注\n（第二行）\"\nA-1,a\"b\n", "quote inside unquoted field 2 (备注)" },
		{ "tag,名称名称名称名称名称名称名称名称名称名称名称名称名称名称名称名称名称\nA-1,a\"b\n",
		  "quote inside unquoted field 2 (名称名称名称名称名称名称名称名称...)" },
		{ "tag,name,value\nA-1,xxxxxxxxxx,1\n", "field 2 (name) is longer than 8 bytes" },
	};
	oa_csv_options opt;

	(void)state;
	oa_csv_options_init(&opt);
	opt.max_field = 8;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		oa_error err;
		oa_csv_reader *r = oa_csv_reader_memory(cases[i].in, strlen(cases[i].in), "t.csv",
		                                        i == 5 ? &opt : NULL, &err);

		assert_non_null(r);
		assert_int_equal(oa_csv_read(r, &err), 1);
		assert_int_equal(oa_csv_reader_set_header(r, &err), 0);
		assert_int_equal(oa_csv_read(r, &err), -1);
		if (strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu: \"%s\", want \"%s\"", i, err.msg, cases[i].msg);
		oa_csv_reader_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_cases),
		cmocka_unit_test(test_bad_cases),
		cmocka_unit_test(test_width_pads_short_records),
		cmocka_unit_test(test_width_drops_trailing_empty_fields),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_encoding_names),
		cmocka_unit_test(test_csv_spectrum),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_writer_codes),
		cmocka_unit_test(test_writer_long_fields_and_tell),
		cmocka_unit_test(test_writer_quotes_a_leading_bom),
		cmocka_unit_test(test_writer_quotes_a_leading_zip_signature),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_columns_map),
		cmocka_unit_test(test_errors_name_the_column),
		cmocka_unit_test(test_plain_line),
		cmocka_unit_test(test_held_writer),
		cmocka_unit_test(test_style_round_trip),
		cmocka_unit_test(test_style_held_and_encode),
		cmocka_unit_test(test_encoding_ambiguity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
