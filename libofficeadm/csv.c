/*
 * csv.c - the streaming CSV reader (over libcsv) and the writer.
 *
 * Reading happens in three layers:
 *
 *   raw bytes   read(2) in chunks into `raw`, a multi-byte character cut by
 *               the chunk end carried over to the next chunk;
 *   text        UTF-8: the raw bytes themselves after validation; GB18030:
 *               converted with iconv into `dec`.  OA_ENC_AUTO decides on the
 *               first chunk holding a non-ASCII byte, looking ahead up to
 *               DETECT_WINDOW bytes: valid UTF-8 stays UTF-8 (marked
 *               ambiguous when it is plausible GB2312 too), otherwise text
 *               that converts from GB18030 is GB18030;
 *   records     the text is handed to libcsv one line at a time (a segment
 *               ends after each CR or LF), so the reader always knows the
 *               line it is on and at most one record completes per call.
 *
 * libcsv runs with CSV_STRICT | CSV_STRICT_FINI and no space characters, so
 * RFC 4180 is enforced and spaces are kept.  A complete line that holds no
 * quote character at all is split on commas directly, which is exactly what
 * RFC 4180 makes of it and several times cheaper than the character-by-
 * character state machine; every line with a quote goes through libcsv.  Fields are copied into one
 * arena per record, so memory is bounded by the longest record.
 *
 * The reader notes the file's style (BOM, first line end, encoding) for
 * oa_csv_reader_style; the writer reproduces a style, converting each
 * finished record to GB18030 when asked.
 */
#include "csv.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "utf8.h"

#define DEFAULT_CHUNK (64u * 1024u)
#define DETECT_WINDOW (64u * 1024u)

struct oa_csv_reader {
	char *name;
	int fd;          /* -1 for memory input */
	bool own_fd;
	const char *mem; /* memory input */
	size_t mem_len, mem_pos;
	bool eof;        /* no more raw bytes */
	bool finished;   /* csv_fini done */
	oa_csv_options opt;
	oa_encoding enc; /* AUTO until decided */
	bool ambiguous;  /* AUTO decided between two plausible readings */
	long detect_line; /* line of the first non-ASCII byte (when AUTO decided) */
	bool bom_seen;   /* a BOM was skipped */
	bool start_checked; /* the first bytes were looked at for a UTF-16 BOM */
	int eol;         /* first line end: 0 none yet, 1 LF, 2 CR LF */
	bool prev_cr;    /* the previous segment ended with CR */

	struct csv_parser parser;

	/* raw layer */
	char *raw;
	size_t raw_len, raw_cap;

	/* GB18030 */
	iconv_t cd;
	char *dec;
	size_t dec_cap;

	/* text layer: the bytes being segmented (points into raw or dec) */
	const char *text;
	size_t text_len, text_pos;
	bool bom_checked;
	bool lead_checked; /* utf8_bom_on_gb18030 looked at the start */
	long long text_base; /* stream offset of text[0] */

	/* record layer */
	long line;           /* line the next segment starts on */
	bool in_record;
	bool record_ready;
	long record_line;
	long long record_offset;
	char *arena;
	size_t arena_len, arena_cap;
	size_t *off, *len;
	size_t nfields, fields_cap;
	size_t width;        /* 0: not set */
	char *hdr;           /* the header's cells, for messages (oa_csv_reader_set_header) */
	size_t *hdr_off, hdr_n;
	const char *plain;   /* the record's line when split on the fast path, else NULL */
	size_t plain_len;
	bool dropped;        /* empty fields past the width were dropped from the record */
	int cb_error;        /* set by callbacks */
	char cb_msg[256];
};

void
oa_csv_options_init(oa_csv_options *opt)
{
	opt->encoding = OA_ENC_AUTO;
	opt->max_field = OA_CSV_DEFAULT_MAX_FIELD;
	opt->chunk_size = DEFAULT_CHUNK;
	opt->delim = ',';
}

int
oa_csv_options_load(oa_csv_options *opt, const oa_config *cfg, oa_error *err)
{
	const char *enc;
	long max;

	oa_csv_options_init(opt);
	if (cfg == NULL)
		return 0;
	enc = oa_config_get_string(cfg, "general", "encoding", NULL);
	if (enc != NULL && oa_encoding_parse(enc, &opt->encoding, NULL) < 0)
		return oa_error_set(err, oa_config_path(cfg),
		                    oa_config_line(cfg, "general", "encoding"),
		                    "[general] encoding = \"%s\": expected auto, utf-8 or gb18030", enc);
	if (oa_config_get_long(cfg, "general", "max_field", (long)OA_CSV_DEFAULT_MAX_FIELD, 1,
	                       1L << 30, &max, err) < 0)
		return -1;
	opt->max_field = (size_t)max;
	return 0;
}

int
oa_encoding_parse(const char *name, oa_encoding *out, oa_error *err)
{
	if (strcasecmp(name, "auto") == 0)
		*out = OA_ENC_AUTO;
	else if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
		*out = OA_ENC_UTF8;
	else if (strcasecmp(name, "gb18030") == 0 || strcasecmp(name, "gbk") == 0 ||
	         strcasecmp(name, "gb2312") == 0)
		*out = OA_ENC_GB18030;
	else
		return oa_error_set(err, NULL, 0,
		                    "unknown encoding \"%s\" (expected auto, utf-8 or gb18030)", name);
	return 0;
}

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static oa_csv_reader *
reader_new(const char *name, const oa_csv_options *opt, oa_error *err)
{
	oa_csv_reader *r = calloc(1, sizeof *r);

	if (r == NULL) {
		oa_error_sys(err, name, "out of memory");
		return NULL;
	}
	if (opt != NULL)
		r->opt = *opt;
	else
		oa_csv_options_init(&r->opt);
	if (r->opt.chunk_size == 0)
		r->opt.chunk_size = DEFAULT_CHUNK;
	if (r->opt.max_field == 0)
		r->opt.max_field = OA_CSV_DEFAULT_MAX_FIELD;
	if (r->opt.delim == 0)
		r->opt.delim = ',';
	r->enc = r->opt.encoding;
	r->fd = -1;
	r->cd = (iconv_t)-1;
	r->line = 1;
	r->name = strdup(name);
	r->raw_cap = (r->opt.chunk_size > DETECT_WINDOW ? r->opt.chunk_size : DETECT_WINDOW) +
	             r->opt.chunk_size + 16;
	r->raw = malloc(r->raw_cap);
	r->fields_cap = 16;
	r->off = malloc(r->fields_cap * sizeof *r->off);
	r->len = malloc(r->fields_cap * sizeof *r->len);
	r->arena_cap = 4096;
	r->arena = malloc(r->arena_cap);
	if (r->name == NULL || r->raw == NULL || r->off == NULL || r->len == NULL ||
	    r->arena == NULL || csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		oa_error_set(err, name, 0, "out of memory");
		oa_csv_reader_free(r);
		return NULL;
	}
	csv_set_space_func(&r->parser, never_space);
	csv_set_delim(&r->parser, (unsigned char)r->opt.delim);
	/* libcsv grows a field 128 bytes at a time by default: far too slowly. */
	csv_set_blk_size(&r->parser, 64 * 1024);
	return r;
}

oa_csv_reader *
oa_csv_reader_fdopen(int fd, const char *name, const oa_csv_options *opt, oa_error *err)
{
	oa_csv_reader *r = reader_new(name, opt, err);

	if (r != NULL)
		r->fd = fd;
	return r;
}

oa_csv_reader *
oa_csv_reader_open(const char *path, const oa_csv_options *opt, oa_error *err)
{
	oa_csv_reader *r;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return oa_csv_reader_fdopen(0, "<stdin>", opt, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		oa_error_sys(err, path, "cannot open");
		return NULL;
	}
	r = oa_csv_reader_fdopen(fd, path, opt, err);
	if (r == NULL) {
		close(fd);
		return NULL;
	}
	r->own_fd = true;
	return r;
}

oa_csv_reader *
oa_csv_reader_memory(const char *data, size_t len, const char *name, const oa_csv_options *opt,
                     oa_error *err)
{
	oa_csv_reader *r = reader_new(name, opt, err);

	if (r != NULL) {
		r->mem = data;
		r->mem_len = len;
	}
	return r;
}

void
oa_csv_reader_free(oa_csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fd)
		close(r->fd);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	csv_free(&r->parser);
	free(r->name);
	free(r->raw);
	free(r->dec);
	free(r->arena);
	free(r->off);
	free(r->len);
	free(r->hdr);
	free(r->hdr_off);
	free(r);
}

void
oa_csv_reader_set_width(oa_csv_reader *r, size_t width)
{
	r->width = width;
}

int
oa_csv_reader_set_header(oa_csv_reader *r, oa_error *err)
{
	char *hdr = malloc(r->arena_len + 1);
	size_t *off = malloc((r->nfields + 1) * sizeof *off);

	if (hdr == NULL || off == NULL) {
		free(hdr);
		free(off);
		return oa_error_set(err, r->name, r->record_line, "out of memory");
	}
	memcpy(hdr, r->arena, r->arena_len);
	memcpy(off, r->off, r->nfields * sizeof *off);
	free(r->hdr);
	free(r->hdr_off);
	r->hdr = hdr;
	r->hdr_off = off;
	r->hdr_n = r->nfields;
	r->width = r->nfields;
	return 0;
}

/*
 * "field N", and the header's name for it when there is one: "field 7
 * (原值)", so that a message says which column of the sheet to look at.
 * I counts from 0.  A long name is cut (at a character) with "...", and
 * a name running over lines ends at its first line end.
 */
static const char *
field_desc(const oa_csv_reader *r, size_t i, char *buf, size_t cap)
{
	const char *name = i < r->hdr_n ? r->hdr + r->hdr_off[i] : "";
	size_t n = strcspn(name, "\r\n"), max = 48;
	bool cut = false;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
			n--;
		cut = true;
	}
	if (n == 0)
		snprintf(buf, cap, "field %zu", i + 1);
	else
		snprintf(buf, cap, "field %zu (%.*s%s)", i + 1, (int)n, name, cut ? "..." : "");
	return buf;
}

size_t
oa_csv_nfields(const oa_csv_reader *r)
{
	return r->nfields;
}

const char *
oa_csv_field(const oa_csv_reader *r, size_t i)
{
	return i < r->nfields ? r->arena + r->off[i] : "";
}

const char *
oa_csv_field_moved(const oa_csv_reader *r, size_t i, size_t p, long drop)
{
	if (i < p)
		return oa_csv_field(r, i);
	if (drop >= 0)
		return oa_csv_field(r, i + (size_t)drop);
	if (i < p + (size_t)-drop)
		return "";
	return oa_csv_field(r, i - (size_t)-drop);
}

size_t
oa_csv_field_len(const oa_csv_reader *r, size_t i)
{
	return i < r->nfields ? r->len[i] : 0;
}

size_t
oa_csv_fields(const oa_csv_reader *r, const char **fields, size_t *lens, size_t max)
{
	size_t n = r->nfields < max ? r->nfields : max;

	for (size_t i = 0; i < n; i++) {
		fields[i] = r->arena + r->off[i];
		lens[i] = r->len[i];
	}
	return n;
}

const char *
oa_csv_plain_line(const oa_csv_reader *r, size_t *len)
{
	*len = r->plain != NULL ? r->plain_len : 0;
	return r->plain;
}

long
oa_csv_line(const oa_csv_reader *r)
{
	return r->record_line;
}

const char *
oa_csv_name(const oa_csv_reader *r)
{
	return r->name;
}

long long
oa_csv_offset(const oa_csv_reader *r)
{
	return r->record_offset;
}

oa_encoding
oa_csv_encoding(const oa_csv_reader *r)
{
	return r->enc;
}

void
oa_csv_style_init(oa_csv_style *style)
{
	style->encoding = OA_ENC_AUTO;
	style->bom = false;
	style->crlf = false;
}

void
oa_csv_reader_style(const oa_csv_reader *r, oa_csv_style *style)
{
	style->encoding = r->enc;
	style->bom = r->bom_seen;
	style->crlf = r->eol == 2;
}

bool
oa_csv_encoding_ambiguous(const oa_csv_reader *r, long *line)
{
	if (line != NULL)
		*line = r->ambiguous ? r->detect_line : 0;
	return r->ambiguous;
}

int
oa_csv_style_of_file(const char *path, const oa_csv_options *opt, oa_csv_style *style,
                     oa_error *err)
{
	oa_csv_reader *r = oa_csv_reader_open(path, opt, err);
	int t;

	oa_csv_style_init(style);
	if (r == NULL)
		return -1;
	/* Until the encoding is known (or the end): the line end comes with record 1. */
	while ((t = oa_csv_read(r, err)) > 0)
		if (r->enc != OA_ENC_AUTO && r->eol != 0)
			break;
	if (t >= 0)
		oa_csv_reader_style(r, style);
	oa_csv_reader_free(r);
	return t < 0 ? -1 : 0;
}

/* ---- record layer: libcsv callbacks ---- */

static int
grow_fields(oa_csv_reader *r)
{
	size_t cap = r->fields_cap * 2;
	size_t *o = realloc(r->off, cap * sizeof *o);

	if (o == NULL)
		return -1;
	r->off = o;
	size_t *l = realloc(r->len, cap * sizeof *l);
	if (l == NULL)
		return -1;
	r->len = l;
	r->fields_cap = cap;
	return 0;
}

static int
grow_arena(oa_csv_reader *r, size_t need)
{
	size_t cap = r->arena_cap;

	while (need > cap)
		cap *= 2;
	char *a = realloc(r->arena, cap);
	if (a == NULL)
		return -1;
	r->arena = a;
	r->arena_cap = cap;
	return 0;
}

static inline int
add_field(oa_csv_reader *r, const char *s, size_t n)
{
	if (__builtin_expect(r->nfields == r->fields_cap, 0) && grow_fields(r) < 0)
		return -1;
	if (__builtin_expect(r->arena_len + n + 1 > r->arena_cap, 0) &&
	    grow_arena(r, r->arena_len + n + 1) < 0)
		return -1;
	char *dst = r->arena + r->arena_len;
	memcpy(dst, s, n);
	dst[n] = '\0';
	r->off[r->nfields] = r->arena_len;
	r->len[r->nfields] = n;
	r->arena_len += n + 1;
	r->nfields++;
	return 0;
}

static void
on_field(void *s, size_t n, void *data)
{
	oa_csv_reader *r = data;

	if (r->cb_error)
		return;
	if (n > r->opt.max_field) {
		char desc[96];

		r->cb_error = 1;
		snprintf(r->cb_msg, sizeof r->cb_msg, "%s is longer than %zu bytes",
		         field_desc(r, r->nfields, desc, sizeof desc), r->opt.max_field);
		return;
	}
	if (r->width > 0 && r->nfields == r->width) {
		if (n == 0) { /* an empty column past the header, as Excel exports */
			r->dropped = true;
			return;
		}
		r->cb_error = 1;
		snprintf(r->cb_msg, sizeof r->cb_msg,
		         "record has more fields than the header's %zu", r->width);
		return;
	}
	if (add_field(r, s, n) < 0) {
		r->cb_error = 1;
		snprintf(r->cb_msg, sizeof r->cb_msg, "out of memory");
	}
}

static void
on_record(int c, void *data)
{
	oa_csv_reader *r = data;

	(void)c;
	r->in_record = false;
	if (r->cb_error)
		return;
	r->record_ready = true;
}

/* Counts '\n' in s[0..n). */
static long
count_lines(const char *s, size_t n)
{
	long lines = 0;
	const char *end = s + n;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		lines++;
		s++;
	}
	return lines;
}

/* ---- raw layer ---- */

/* Appends up to `want` bytes of input to raw.  Returns bytes read, 0 at EOF, -1 error. */
static ssize_t
read_raw(oa_csv_reader *r, size_t want, oa_error *err)
{
	ssize_t n;

	if (r->raw_len + want > r->raw_cap)
		want = r->raw_cap - r->raw_len;
	if (r->fd < 0) {
		size_t left = r->mem_len - r->mem_pos;
		if (want > left)
			want = left;
		memcpy(r->raw + r->raw_len, r->mem + r->mem_pos, want);
		r->mem_pos += want;
		r->raw_len += want;
		return (ssize_t)want;
	}
	do
		n = read(r->fd, r->raw + r->raw_len, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return oa_error_sys(err, r->name, "read error");
	r->raw_len += (size_t)n;
	return n;
}

static int
has_high_byte(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static int
open_iconv(oa_csv_reader *r, oa_error *err)
{
	if (r->cd != (iconv_t)-1)
		return 0;
	r->cd = iconv_open("UTF-8", "GB18030");
	if (r->cd == (iconv_t)-1)
		return oa_error_sys(err, r->name, "cannot convert from GB18030");
	return 0;
}

/* Would raw[0..len) convert from GB18030 (an incomplete tail allowed)? */
static int
converts_from_gb18030(oa_csv_reader *r, const char *s, size_t len)
{
	char out[4096];
	char *in = (char *)s;
	size_t inleft = len;

	iconv(r->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		char *o = out;
		size_t oleft = sizeof out;
		if (iconv(r->cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			if (errno == EINVAL)
				break;
			return 0;
		}
		/* iconv accepts NUL; the reader does not. */
		if (memchr(out, '\0', (size_t)(o - out)) != NULL)
			return 0;
	}
	iconv(r->cd, NULL, NULL, NULL, NULL);
	return 1;
}

/*
 * Are the bytes s[0..len), valid UTF-8 holding a non-ASCII byte, plausible
 * GB18030 too?  Chinese text in UTF-8 read as GB18030 almost always gives
 * pairs outside GB2312 (a trail byte below 0xA1, a pair with ASCII), so
 * when every pair is a GB2312 character the reading is a guess: GB2312
 * text can be valid UTF-8 (GB18030 "3楼", 33 C2 A5, is UTF-8 "3¥").  The
 * reader keeps UTF-8 then, as DESIGN.md says, and marks the guess.
 */
static bool
gb2312_plausible(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len;) {
		unsigned c = s[i], d;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			break; /* cut by the window */
		d = s[i + 1];
		if (!((c >= 0xA1 && c <= 0xA9) || (c >= 0xB0 && c <= 0xF7)) || d < 0xA1 || d == 0xFF)
			return false;
		i += 2;
	}
	return true;
}

/*
 * A UTF-8 byte order mark before GB18030 text (a file saved as "ANSI" by a
 * tool that still wrote the mark): with --encoding gb18030, or when the
 * text after the mark is not UTF-8 but is GB18030, the mark is dropped and
 * the text read as GB18030 (and written back without a mark).  0, or -1
 * with ERR on a read error.
 */
static int
utf8_bom_on_gb18030(oa_csv_reader *r, oa_error *err)
{
	size_t bad, complete;
	ssize_t n;

	r->lead_checked = true;
	if (r->raw_len >= 3 && memcmp(r->raw, "\xEF\xBB\xBF", 3) != 0)
		return 0;
	while (!r->eof && r->raw_len < DETECT_WINDOW) {
		n = read_raw(r, DETECT_WINDOW - r->raw_len, err);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = true;
	}
	if (r->raw_len < 3 || memcmp(r->raw, "\xEF\xBB\xBF", 3) != 0)
		return 0;
	if (r->enc == OA_ENC_AUTO) {
		if (oa_utf8_valid_prefix(r->raw, r->raw_len, &bad, r->eof ? NULL : &complete) == 0)
			return 0; /* UTF-8 after all: the ordinary BOM */
		if (open_iconv(r, err) < 0)
			return -1;
		if (!converts_from_gb18030(r, r->raw + 3, r->raw_len - 3))
			return 0; /* neither: the UTF-8 error is reported as usual */
		r->enc = OA_ENC_GB18030;
	}
	memmove(r->raw, r->raw + 3, r->raw_len - 3);
	r->raw_len -= 3;
	r->bom_checked = true;
	return 0;
}

/*
 * Produces the next piece of text from raw input.  Returns 1 when text is
 * ready, 0 at end of input, -1 on error.
 */
static int
next_text(oa_csv_reader *r, oa_error *err)
{
	ssize_t n;
	size_t bad, complete;

	/* The previous text was consumed: drop it, keeping any carried tail. */
	for (;;) {
		n = r->eof ? 0 : read_raw(r, r->opt.chunk_size, err);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = true;
		if (r->raw_len == 0)
			return 0;
		/*
		 * UTF-16 (Excel's "Unicode Text" save, tab-separated): every
		 * other byte NUL.  Say what it is, not "invalid UTF-8".
		 */
		if (!r->start_checked) {
			const unsigned char *u = (const unsigned char *)r->raw;

			r->start_checked = true;
			if (r->raw_len >= 2 &&
			    ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
				return oa_error_set(err, r->name, r->line,
				                    "UTF-16 text (as Excel saves \"Unicode Text\"): save it "
				                    "as CSV instead, or convert it: iconv -f UTF-16 -t UTF-8");
			/* A workbook named instead of its CSV export. */
			if ((r->raw_len >= 4 && memcmp(u, "PK\3\4", 4) == 0) ||
			    (r->raw_len >= 8 && memcmp(u, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0))
				return oa_error_set(err, r->name, r->line,
				                    "a spreadsheet workbook (%s), not CSV: save it from "
				                    "Excel or WPS as CSV first",
				                    u[0] == 'P' ? "xlsx, ods or another zip file" : "xls or et");
		}
		if (!r->lead_checked && r->enc != OA_ENC_UTF8 && utf8_bom_on_gb18030(r, err) < 0)
			return -1;

		if (r->enc == OA_ENC_AUTO) {
			if (!has_high_byte(r->raw, r->raw_len))
				goto as_utf8; /* plain ASCII reads the same either way */
			/* Look ahead before deciding. */
			while (!r->eof && r->raw_len < DETECT_WINDOW) {
				n = read_raw(r, DETECT_WINDOW - r->raw_len, err);
				if (n < 0)
					return -1;
				if (n == 0)
					r->eof = true;
			}
			{
				size_t hi = 0;

				while ((unsigned char)r->raw[hi] < 0x80)
					hi++;
				r->detect_line = r->line + count_lines(r->raw, hi);
			}
			if (oa_utf8_valid_prefix(r->raw, r->raw_len, &bad, r->eof ? NULL : &complete) == 0) {
				r->enc = OA_ENC_UTF8;
				r->ambiguous = gb2312_plausible((const unsigned char *)r->raw,
				                                r->eof ? r->raw_len : complete);
			} else {
				if (open_iconv(r, err) < 0)
					return -1;
				r->enc = converts_from_gb18030(r, r->raw, r->raw_len) ? OA_ENC_GB18030
				                                                      : OA_ENC_UTF8;
			}
		}
		if (r->enc == OA_ENC_GB18030)
			break;
as_utf8:
		if (oa_utf8_valid_prefix(r->raw, r->raw_len, &bad, r->eof ? NULL : &complete) < 0) {
			if (r->raw[bad] == '\0')
				return oa_error_set(err, r->name, r->line + count_lines(r->raw, bad),
				                    "NUL byte in input");
			return oa_error_set(err, r->name, r->line + count_lines(r->raw, bad),
			                    "invalid UTF-8 byte sequence%s",
			                    r->opt.encoding == OA_ENC_UTF8
			                        ? ""
			                        : " (and not GB18030: try --encoding)");
		}
		if (r->eof)
			complete = r->raw_len;
		if (complete == 0)
			continue; /* only a partial character so far */
		r->text = r->raw;
		r->text_len = complete;
		r->text_pos = 0;
		return 1;
	}

	/* GB18030: convert raw into dec. */
	if (open_iconv(r, err) < 0)
		return -1;
	size_t need = r->raw_len * 2 + 16;
	if (r->dec_cap < need) {
		char *d = realloc(r->dec, need);
		if (d == NULL)
			return oa_error_set(err, r->name, r->line, "out of memory");
		r->dec = d;
		r->dec_cap = need;
	}
	char *in = r->raw, *out = r->dec;
	size_t inleft = r->raw_len, outleft = r->dec_cap;
	if (iconv(r->cd, &in, &inleft, &out, &outleft) == (size_t)-1 && errno != EINVAL) {
		return oa_error_set(err, r->name, r->line + count_lines(r->dec, (size_t)(out - r->dec)),
		                    "invalid GB18030 byte sequence");
	}
	if (inleft > 0 && r->eof)
		return oa_error_set(err, r->name, r->line + count_lines(r->dec, (size_t)(out - r->dec)),
		                    "incomplete GB18030 character at end of input");
	size_t produced = (size_t)(out - r->dec);
	if (memchr(r->dec, '\0', produced) != NULL) {
		const char *z = memchr(r->dec, '\0', produced);
		return oa_error_set(err, r->name, r->line + count_lines(r->dec, (size_t)(z - r->dec)),
		                    "NUL byte in input");
	}
	/* Keep the unconverted tail at the front of raw for the next round. */
	memmove(r->raw, in, inleft);
	r->raw_len = inleft;
	r->text = r->dec;
	r->text_len = produced;
	r->text_pos = 0;
	if (produced == 0)
		return next_text(r, err);
	return 1;
}

/* Drops consumed UTF-8 text from raw, keeping the carried tail. */
static void
release_text(oa_csv_reader *r)
{
	if (r->text == r->raw) {
		size_t keep = r->raw_len - r->text_len;
		memmove(r->raw, r->raw + r->text_len, keep);
		r->raw_len = keep;
	}
	r->text_base += (long long)r->text_len;
	r->text = NULL;
	r->text_len = r->text_pos = 0;
}

/* Splits a quote-free line into fields (the fast path of oa_csv_read). */
static int
split_line(oa_csv_reader *r, const char *s, size_t len, oa_error *err)
{
	const char *end = s + len;
	char desc[96];

	for (;;) {
		const char *comma = memchr(s, r->opt.delim, (size_t)(end - s));
		size_t n = comma ? (size_t)(comma - s) : (size_t)(end - s);
		if (n > r->opt.max_field)
			return oa_error_set(err, r->name, r->record_line,
			                    "%s is longer than %zu bytes",
			                    field_desc(r, r->nfields, desc, sizeof desc),
			                    r->opt.max_field);
		if (r->width > 0 && r->nfields == r->width && n == 0)
			r->dropped = true; /* an empty column past the header, as Excel exports */
		else if (r->width > 0 && r->nfields == r->width)
			return oa_error_set(err, r->name, r->record_line,
			                    "record has more fields than the header's %zu", r->width);
		else if (add_field(r, s, n) < 0)
			return oa_error_set(err, r->name, r->record_line, "out of memory");
		if (comma == NULL)
			return 0;
		s = comma + 1;
	}
}

static int
parse_error(oa_csv_reader *r, long line, oa_error *err)
{
	char desc[96];

	if (r->cb_error)
		return oa_error_set(err, r->name, line, "%s", r->cb_msg);
	field_desc(r, r->nfields, desc, sizeof desc);
	if (r->parser.quoted)
		return oa_error_set(err, r->name, line, "text after the closing quote in %s", desc);
	return oa_error_set(err, r->name, line, "quote inside unquoted %s", desc);
}

int
oa_csv_read(oa_csv_reader *r, oa_error *err)
{
	r->record_ready = false;
	r->nfields = 0;
	r->arena_len = 0;
	r->plain = NULL;
	r->dropped = false;

	for (;;) {
		if (r->text_pos >= r->text_len) {
			int t;
			if (r->text != NULL)
				release_text(r);
			if (r->finished)
				return 0;
			t = next_text(r, err);
			if (t < 0)
				return -1;
			if (t == 0) {
				r->finished = true;
				if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
					if (r->cb_error)
						return oa_error_set(err, r->name, r->record_line, "%s", r->cb_msg);
					return oa_error_set(err, r->name, r->record_line,
					                    "unterminated quoted field");
				}
				if (r->cb_error)
					return oa_error_set(err, r->name, r->record_line, "%s", r->cb_msg);
				if (r->record_ready)
					goto ready;
				return 0;
			}
			if (!r->bom_checked) {
				r->bom_checked = true;
				if (r->text_len >= 3 && memcmp(r->text, "\xEF\xBB\xBF", 3) == 0) {
					r->text_pos = 3;
					r->bom_seen = true;
				}
			}
			continue;
		}

		/* One segment: up to and including the next CR or LF. */
		const char *seg = r->text + r->text_pos;
		size_t left = r->text_len - r->text_pos;
		const char *nl = memchr(seg, '\n', left);
		size_t seglen = nl ? (size_t)(nl - seg) + 1 : left;
		const char *cr = memchr(seg, '\r', seglen);
		if (cr != NULL)
			seglen = (size_t)(cr - seg) + 1;
		int ends_line = seg[seglen - 1] == '\n';

		if (r->eol == 0 && ends_line)
			r->eol = seglen == 1 && r->prev_cr ? 2 : 1;
		r->prev_cr = seg[seglen - 1] == '\r';

		if (!r->in_record) {
			if (seglen == 1 && (seg[0] == '\n' || seg[0] == '\r')) {
				/* A blank line, or the LF of a CRLF. */
				r->text_pos += seglen;
				r->line += ends_line;
				continue;
			}
			r->record_line = r->line;
			r->record_offset = r->text_base + (long long)r->text_pos;
			/*
			 * Fast path: a whole line without a quote character is a
			 * record whose fields are exactly the text between commas
			 * (RFC 4180 leaves nothing to interpret), so it is split
			 * here; every line holding a quote goes through libcsv.
			 */
			int terminated = seg[seglen - 1] == '\n' || seg[seglen - 1] == '\r';
			if (terminated || (r->eof && r->text_pos + seglen == r->text_len)) {
				size_t body = seglen - (size_t)terminated;
				if (memchr(seg, '"', body) == NULL) {
					if (split_line(r, seg, body, err) < 0)
						return -1;
					r->plain = seg;
					r->plain_len = body;
					r->text_pos += seglen;
					r->line += ends_line;
					goto ready;
				}
			}
			r->in_record = true;
		}
		size_t used = csv_parse(&r->parser, seg, seglen, on_field, on_record, r);
		if (used != seglen || r->cb_error) {
			long line = r->cb_error ? r->record_line
			                        : r->line + count_lines(seg, used);
			return parse_error(r, line, err);
		}
		r->text_pos += seglen;
		r->line += ends_line;
		if (r->in_record && r->parser.entry_pos > r->opt.max_field) {
			char desc[96];

			/* A quote left open runs on to the end of the file. */
			return oa_error_set(err, r->name, r->record_line,
			                    "%s is longer than %zu bytes%s",
			                    field_desc(r, r->nfields, desc, sizeof desc),
			                    r->opt.max_field,
			                    r->parser.quoted ? " (unterminated quote?)" : "");
		}
		if (r->record_ready)
			goto ready;
	}
ready:
	if (r->dropped || r->opt.delim != ',')
		r->plain = NULL; /* the line holds more than the record's fields */
	if (r->width > 0 && r->nfields < r->width) {
		r->plain = NULL; /* padded: the line no longer holds every field */
		while (r->nfields < r->width)
			if (add_field(r, "", 0) < 0)
				return oa_error_set(err, r->name, r->record_line, "out of memory");
	}
	return 1;
}

/* ---- writer ---- */

/*
 * The writer builds each record in its own buffer and hands it to stdio
 * with one fwrite when the record ends, so a caller may still write other
 * text to the same FILE between records.
 */
struct oa_csv_writer {
	FILE *fp;
	bool excel;     /* formula guard */
	bool bom;       /* a BOM before the first record */
	bool crlf;      /* CR LF line ends */
	bool started;   /* BOM written */
	bool in_record; /* a field was written in this record */
	bool failed;    /* out of memory */
	bool unconvertible; /* a record could not be converted to the style's encoding */
	char *buf;
	size_t len, cap;
	/* GB18030 style: each finished record converted into conv */
	iconv_t cd;
	char *conv;
	size_t conv_len, conv_cap;
};

/* Bytes that make a field need quotes. */
static const unsigned char needs_quote[256] = {
	['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1,
};

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define HAS_ZERO_BYTE(x) (((x) - ONES) & ~(x) & HIGHS)

/* Does s[0..len) hold a byte that makes the field need quotes?  Eight at a time. */
static bool
has_special(const unsigned char *s, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (HAS_ZERO_BYTE(v ^ (ONES * ',')) | HAS_ZERO_BYTE(v ^ (ONES * '"')) |
		    HAS_ZERO_BYTE(v ^ (ONES * '\n')) | HAS_ZERO_BYTE(v ^ (ONES * '\r')))
			return true;
	}
	for (; i < len; i++)
		if (needs_quote[s[i]])
			return true;
	return false;
}

static oa_csv_writer *
writer_new(FILE *fp, bool excel, bool bom, bool crlf, oa_encoding enc)
{
	oa_csv_writer *w = calloc(1, sizeof *w);

	if (w != NULL) {
		w->fp = fp;
		w->excel = excel;
		w->bom = bom;
		w->crlf = crlf;
		w->cd = (iconv_t)-1;
		w->cap = 4096;
		w->buf = malloc(w->cap);
		if (w->buf == NULL ||
		    (enc == OA_ENC_GB18030 &&
		     (w->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1)) {
			free(w->buf);
			free(w);
			return NULL;
		}
	}
	return w;
}

oa_csv_writer *
oa_csv_writer_new(FILE *fp, bool excel)
{
	return writer_new(fp, excel, excel, excel, OA_ENC_UTF8);
}

oa_csv_writer *
oa_csv_writer_new_style(FILE *fp, const oa_csv_style *style)
{
	return writer_new(fp, false, style->bom, style->crlf, style->encoding);
}

/*
 * Converts UTF-8 s[0..len) with CD into *out (grown as needed).  Returns
 * the length, or -1 (errno EILSEQ or ENOMEM).
 */
static long
convert_text(iconv_t cd, const char *s, size_t len, char **out, size_t *cap)
{
	char *in = (char *)s, *o;
	size_t inleft = len, oleft, used = 0;

	iconv(cd, NULL, NULL, NULL, NULL);
	for (;;) {
		if (*cap < used + inleft * 2 + 16) {
			size_t ncap = used + inleft * 2 + 16;
			char *n = realloc(*out, ncap);

			if (n == NULL) {
				errno = ENOMEM;
				return -1;
			}
			*out = n;
			*cap = ncap;
		}
		o = *out + used;
		oleft = *cap - used;
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		used = (size_t)(o - *out);
		if (errno != E2BIG)
			return -1;
	}
	used = (size_t)(o - *out);
	return (long)used;
}

int
oa_text_encode(oa_encoding enc, const char *s, size_t len, char **out, size_t *outlen,
               oa_error *err)
{
	size_t cap = 0, bad;
	iconv_t cd;
	long n;

	*out = NULL;
	*outlen = 0;
	if (oa_utf8_valid(s, len, &bad) < 0)
		return oa_error_set(err, NULL, 0, "text is not valid UTF-8 at byte %zu", bad);
	if (enc != OA_ENC_GB18030) {
		*out = malloc(len + 1);
		if (*out == NULL)
			return oa_error_set(err, NULL, 0, "out of memory");
		memcpy(*out, s, len);
		*outlen = len;
		return 0;
	}
	if ((cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1)
		return oa_error_sys(err, NULL, "cannot convert to GB18030");
	n = convert_text(cd, s, len, out, &cap);
	iconv_close(cd);
	if (n < 0) {
		free(*out);
		*out = NULL;
		return errno == ENOMEM ? oa_error_set(err, NULL, 0, "out of memory")
		                       : oa_error_set(err, NULL, 0, "text cannot be written in GB18030");
	}
	*outlen = (size_t)n;
	return 0;
}

/*
 * With a GB18030 style, converts the finished record in buf into conv.
 * Returns the bytes to hand over and their length in *len.
 */
static const char *
record_bytes(oa_csv_writer *w, size_t *len)
{
	long n;

	*len = w->len;
	if (w->cd == (iconv_t)-1 || w->len == 0)
		return w->buf;
	n = convert_text(w->cd, w->buf, w->len, &w->conv, &w->conv_cap);
	if (n < 0) {
		if (errno == ENOMEM)
			w->failed = true;
		else
			w->unconvertible = true;
		*len = 0;
		return w->buf;
	}
	*len = (size_t)n;
	return w->conv;
}

oa_csv_writer *
oa_csv_writer_new_held(bool excel)
{
	return oa_csv_writer_new(NULL, excel);
}

const char *
oa_csv_writer_take(oa_csv_writer *w, size_t *len)
{
	const char *b = record_bytes(w, len);

	w->len = 0;
	return b;
}

static void
flush_record(oa_csv_writer *w)
{
	const char *b;
	size_t n;

	if (w->fp == NULL)
		return; /* held until taken */
	if (w->len > 0) {
		b = record_bytes(w, &n);
		if (n > 0)
			fwrite_unlocked(b, 1, n, w->fp);
	}
	w->len = 0;
}

void
oa_csv_writer_free(oa_csv_writer *w)
{
	if (w == NULL)
		return;
	flush_record(w);
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	free(w->conv);
	free(w->buf);
	free(w);
}

/* Room for N more bytes; false (and failed set) when memory runs out. */
static bool
reserve(oa_csv_writer *w, size_t n)
{
	if (w->len + n <= w->cap)
		return true;
	size_t cap = w->cap;
	while (w->len + n > cap)
		cap *= 2;
	char *b = realloc(w->buf, cap);
	if (b == NULL) {
		w->failed = true;
		return false;
	}
	w->buf = b;
	w->cap = cap;
	return true;
}

/* Any byte of the word V that makes a field need quotes, as a nonzero value. */
static inline uint64_t
special_bytes(uint64_t v)
{
	return HAS_ZERO_BYTE(v ^ (ONES * ',')) | HAS_ZERO_BYTE(v ^ (ONES * '"')) |
	       HAS_ZERO_BYTE(v ^ (ONES * '\n')) | HAS_ZERO_BYTE(v ^ (ONES * '\r'));
}

/*
 * The common case in one pass: a field that needs neither quotes nor a
 * formula guard is copied eight bytes at a time while it is scanned.  The
 * copy lands after w->len and counts only when the field turns out plain;
 * otherwise nothing has changed and false sends it to the general path.
 */
static inline bool
write_plain(oa_csv_writer *w, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t bad = 0, v;
	char *o;
	size_t i = 0;

	if (!w->started || w->len + len + 1 > w->cap ||
	    (w->excel && len > 0 && strchr("=+-@\t\r", s[0]) != NULL))
		return false;
	o = w->buf + w->len + w->in_record;
	if (len >= 8) {
		for (; i + 8 <= len; i += 8) {
			memcpy(&v, s + i, 8);
			memcpy(o + i, &v, 8);
			bad |= special_bytes(v);
		}
		if (i < len) { /* the last eight bytes, overlapping */
			memcpy(&v, s + len - 8, 8);
			memcpy(o + len - 8, &v, 8);
			bad |= special_bytes(v);
		}
	} else {
		for (; i < len; i++) {
			o[i] = s[i];
			bad |= needs_quote[u[i]];
		}
	}
	if (bad)
		return false;
	if (w->in_record)
		o[-1] = ',';
	w->len = (size_t)(o - w->buf) + len;
	w->in_record = true;
	return true;
}

/*
 * Is S a plain decimal number: a sign, digits, at most one '.', nothing
 * else ("-300", "+5", "-12.50")?  A spreadsheet reads it as that number,
 * never as a formula, so the --excel guard leaves it alone: a guarded
 * "'-300" would be text, and sums over the column would skip it.
 */
static bool
is_plain_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	bool dot = false;

	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		i = 1;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && !dot)
			dot = true;
		else
			return false;
	}
	return digits > 0;
}

void
oa_csv_write_field(oa_csv_writer *w, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t quotes = 0, i;
	bool guard, quote = false;

	if (write_plain(w, s, len))
		return;

	if (!w->started) {
		/*
		 * A first cell starting with U+FEFF would be taken for a
		 * byte-order mark and dropped by a reader: quote it.
		 */
		if (!w->bom && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			quote = true;
		/* Nor may it start as a zip file does: the reader takes that for a workbook. */
		if (len >= 4 && memcmp(s, "PK\3\4", 4) == 0)
			quote = true;
		w->started = true;
		if (w->bom && reserve(w, 3)) {
			memcpy(w->buf, "\xEF\xBB\xBF", 3);
			w->len = 3;
		}
	}
	/* Formulas are guarded, numbers are not (-300 stays a number). */
	guard = w->excel && len > 0 && strchr("=+-@\t\r", s[0]) != NULL &&
	        !is_plain_number(s, len);
	if (has_special(u, len) || quote) {
		quote = true;
		for (const char *q = s; (q = memchr(q, '"', len - (size_t)(q - s))) != NULL; q++)
			quotes++;
	}
	/* Worst case: comma, two quotes, guard, doubled quotes. */
	if (!reserve(w, len + quotes + 4))
		return;
	char *o = w->buf + w->len;
	if (w->in_record)
		*o++ = ',';
	w->in_record = true;
	if (quote)
		*o++ = '"';
	if (guard)
		*o++ = '\'';
	if (quotes == 0) {
		memcpy(o, s, len);
		o += len;
	} else {
		for (i = 0; i < len; i++) {
			*o++ = s[i];
			if (s[i] == '"')
				*o++ = '"';
		}
	}
	if (quote)
		*o++ = '"';
	w->len = (size_t)(o - w->buf);
}

/*
 * Would a spreadsheet take the code S for a number and so change it?
 * Digits with a leading zero (000123 becomes 123), more than 15 digits
 * (rounded to 15 significant ones), or digits, E and digits (1E5 becomes
 * 100000).
 */
static bool
code_looks_numeric(const char *s, size_t len)
{
	size_t i = 0, digits, e;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	digits = i;
	if (digits == len)
		return (len >= 2 && s[0] == '0') || len > 15;
	if (digits == 0 || (s[i] != 'E' && s[i] != 'e'))
		return false;
	if (++i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (e = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i == len && i > e;
}

void
oa_csv_write_code(oa_csv_writer *w, const char *s, size_t len)
{
	char *f;

	if (!w->excel || len > 250 || !code_looks_numeric(s, len)) {
		oa_csv_write_field(w, s, len);
		return;
	}
	/* ="000123": a formula whose value is the text, the guard left off. */
	f = malloc(len + 4);
	if (f == NULL) {
		w->failed = true;
		return;
	}
	f[0] = '=';
	f[1] = '"';
	memcpy(f + 2, s, len);
	f[len + 2] = '"';
	w->excel = false;
	oa_csv_write_field(w, f, len + 3);
	w->excel = true;
	free(f);
}

void
oa_csv_write_str(oa_csv_writer *w, const char *s)
{
	if (s == NULL)
		s = "";
	oa_csv_write_field(w, s, strlen(s));
}

void
oa_csv_end_record(oa_csv_writer *w)
{
	if (!w->started)
		oa_csv_write_field(w, "", 0); /* writes the BOM */
	if (reserve(w, 2)) {
		if (w->crlf)
			w->buf[w->len++] = '\r';
		w->buf[w->len++] = '\n';
	}
	w->in_record = false;
	flush_record(w);
}

void
oa_csv_write_record(oa_csv_writer *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		oa_csv_write_str(w, fields[i]);
	oa_csv_end_record(w);
}

void
oa_csv_write_current(oa_csv_writer *w, const oa_csv_reader *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		oa_csv_write_field(w, r->arena + r->off[i], r->len[i]);
	oa_csv_end_record(w);
}

long long
oa_csv_writer_tell(const oa_csv_writer *w)
{
	off_t pos;

	if (w->fp == NULL)
		return (long long)w->len;
	pos = ftello(w->fp);
	return pos < 0 ? -1 : (long long)pos + (long long)w->len;
}

int
oa_csv_writer_check(oa_csv_writer *w, const char *name, oa_error *err)
{
	flush_record(w);
	if (w->failed)
		return oa_error_set(err, name, 0, "out of memory while writing");
	if (w->unconvertible)
		return oa_error_set(err, name, 0, "a record cannot be written in GB18030");
	if (w->fp == NULL)
		return 0;
	if (fflush(w->fp) == EOF)
		return oa_error_sys(err, name, "write error");
	if (ferror(w->fp)) {
		errno = EIO;
		return oa_error_sys(err, name, "write error");
	}
	return 0;
}
