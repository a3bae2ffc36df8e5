/*
 * csv.h - RFC 4180 CSV reading (over libcsv) and writing.
 *
 * The reader streams: one record at a time, memory bounded by the longest
 * record.  It skips a UTF-8 BOM, accepts CRLF and LF, keeps the spaces of
 * unquoted fields, and knows the line each record starts on.  Input that is
 * not UTF-8 is converted from GB18030 (OA_ENC_AUTO decides on the first
 * chunk holding a non-ASCII byte).  Everything malformed is an error with the
 * file and line: unterminated quote, text after a closing quote, a quote in
 * an unquoted field, NUL bytes, invalid encoding, a field longer than
 * max_field, and (once oa_csv_reader_set_width was called) a record with
 * more fields than the header.  Shorter records are padded with ""; empty
 * fields past the header's width (the trailing ",," of an Excel export) are
 * dropped.
 *
 * The writer quotes only where needed and ends records with LF; in Excel
 * mode it writes a BOM, CRLF, and prefixes ' to cells that a spreadsheet
 * would take for a formula.
 *
 * A file's style (oa_csv_style: encoding, BOM, line end) is what the reader
 * found and what a writer made with oa_csv_writer_new_style reproduces, so
 * that a register kept in Excel (GB18030 or UTF-8 with a BOM, CRLF) is
 * rewritten or appended to as it was.  See "style" below.
 */
#ifndef OA_CSV_H
#define OA_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef enum oa_encoding {
	OA_ENC_AUTO = 0, /* UTF-8, or GB18030 when the input is not UTF-8 */
	OA_ENC_UTF8,
	OA_ENC_GB18030,
} oa_encoding;

/* Parses "auto", "utf-8"/"utf8", "gb18030"/"gbk"/"gb2312" (any case). */
int oa_encoding_parse(const char *name, oa_encoding *out, oa_error *err);

#define OA_CSV_DEFAULT_MAX_FIELD (1024u * 1024u)

typedef struct oa_csv_options {
	oa_encoding encoding; /* default OA_ENC_AUTO */
	size_t max_field;     /* longest field accepted, bytes; default 1 MiB */
	size_t chunk_size;    /* read size; default 64 KiB; tests use 1.. */
	char delim;           /* field separator: ',' (default; 0 means ','), '\t' or ';' */
} oa_csv_options;

void oa_csv_options_init(oa_csv_options *opt);

struct oa_config;
/*
 * Defaults, then [general] encoding and max_field from CFG (may be NULL).
 * A command's --encoding option is applied after this by the caller.
 */
int oa_csv_options_load(oa_csv_options *opt, const struct oa_config *cfg, oa_error *err);

typedef struct oa_csv_reader oa_csv_reader;

/*
 * Opens PATH for reading; NULL or "-" reads standard input, named "<stdin>"
 * in messages.  opt may be NULL for defaults.  Free with oa_csv_reader_free.
 */
oa_csv_reader *oa_csv_reader_open(const char *path, const oa_csv_options *opt, oa_error *err);

/* Reads from an open descriptor, not closed by the reader; NAME is for messages. */
oa_csv_reader *oa_csv_reader_fdopen(int fd, const char *name, const oa_csv_options *opt, oa_error *err);

/* Reads from memory (not copied: it must outlive the reader). */
oa_csv_reader *oa_csv_reader_memory(const char *data, size_t len, const char *name,
                                    const oa_csv_options *opt, oa_error *err);

void oa_csv_reader_free(oa_csv_reader *r);

/*
 * Reads the next record.  Returns 1 when a record is ready, 0 at end of
 * input, -1 on error (err filled with file and line).  Blank lines between
 * records are skipped.
 */
int oa_csv_read(oa_csv_reader *r, oa_error *err);

/*
 * From now on a record with more than WIDTH fields is an error and one with
 * fewer is padded with empty fields.  Call it after reading the header.
 */
void oa_csv_reader_set_width(oa_csv_reader *r, size_t width);

/*
 * The current record is the header: its width becomes the width (as
 * oa_csv_reader_set_width) and its cells name the fields in later
 * messages ("field 7 (原值) is longer than ...").  -1 with err when out of
 * memory.
 */
int oa_csv_reader_set_header(oa_csv_reader *r, oa_error *err);

/*
 * The current record.  Fields are NUL-terminated and valid until the next
 * read; they lie one after another in one block, field i + 1 right after
 * the NUL of field i.
 */
size_t oa_csv_nfields(const oa_csv_reader *r);
const char *oa_csv_field(const oa_csv_reader *r, size_t i); /* "" when i is out of range */
/*
 * The field column I shows when the record's fields from P on are moved by
 * DROP: DROP > 0 drops that many fields at P, DROP < 0 inserts -DROP empty
 * ones there ("a cell too many or missing" in a shifted spreadsheet row).
 * "" past the record's end.
 */
const char *oa_csv_field_moved(const oa_csv_reader *r, size_t i, size_t p, long drop);
size_t oa_csv_field_len(const oa_csv_reader *r, size_t i);
/*
 * Fills fields[i] and lens[i] with the first MAX fields of the current
 * record (as oa_csv_field and oa_csv_field_len would); returns how many.
 */
size_t oa_csv_fields(const oa_csv_reader *r, const char **fields, size_t *lens, size_t max);
/*
 * The current record's line as read (after decoding, without its line
 * end) when the line holds no quote character and every field of the
 * record: its fields are then exactly the text between its commas, and
 * field i starts (oa_csv_field(r, i) - oa_csv_field(r, 0)) bytes into it.
 * NULL (and *len 0) for a record that had quotes or was padded.  Valid
 * until the next read.  Lets a filter copy untouched fields in one piece.
 */
const char *oa_csv_plain_line(const oa_csv_reader *r, size_t *len);
long oa_csv_line(const oa_csv_reader *r);          /* line the record starts on, from 1 */
const char *oa_csv_name(const oa_csv_reader *r);   /* file name for messages */
/*
 * Byte offset of the current record in the input as read (after decoding:
 * for GB18030 input it is an offset into the UTF-8 text).
 */
long long oa_csv_offset(const oa_csv_reader *r);
/* The encoding in effect: OA_ENC_UTF8 or OA_ENC_GB18030 (AUTO until decided). */
oa_encoding oa_csv_encoding(const oa_csv_reader *r);

/* ---- style: what a file looks like, so that a rewrite keeps it ---- */

/*
 * The style of a CSV file: its encoding, whether it starts with a byte-
 * order mark, and its line ends.  Columns, quoting and the words inside
 * cells are the caller's business; this is only the bytes around them.
 *
 *   reading:  oa_csv_reader_style(r, &style) after reading (all of) the
 *             file, or oa_csv_style_of_file(path, ...) for a file not read
 *             otherwise;
 *   writing:  w = oa_csv_writer_new_style(fp, &style) writes records in
 *             that style: each record is converted to GB18030 (iconv) when
 *             style.encoding says so, ends with CR LF when style.crlf, and
 *             the first record is preceded by the BOM when style.bom.  No
 *             formula guard: a register is not an Excel copy.
 *   appending to an existing file: use the file's style with bom = false
 *             (the BOM is at the start of the file already).
 *
 * A GB18030 file with a BOM (bytes 84 31 95 33) reads as bom = true and
 * encoding GB18030, and is written back the same way.
 */
typedef struct oa_csv_style {
	oa_encoding encoding; /* OA_ENC_UTF8 or OA_ENC_GB18030; OA_ENC_AUTO: the file was all
	                         ASCII (nothing told the encoding), written as UTF-8 */
	bool bom;             /* a byte-order mark before the first record */
	bool crlf;            /* records end with CR LF (else LF) */
} oa_csv_style;

/* UTF-8 (AUTO), no BOM, LF: what every command writes by default. */
void oa_csv_style_init(oa_csv_style *style);

/*
 * What R has found about its input so far: the encoding in effect (AUTO
 * while everything read was ASCII), whether a BOM was skipped, and whether
 * the first line end was CR LF (LF when none was seen yet).  Complete once
 * the input was read to its end; the BOM and line end are known after the
 * first record.
 */
void oa_csv_reader_style(const oa_csv_reader *r, oa_csv_style *style);

/*
 * True when OA_ENC_AUTO had to guess: the bytes that decided are valid
 * UTF-8 (so they are read as UTF-8) and every non-ASCII pair is also a
 * GB2312 character (GB18030 "3楼" is the bytes of UTF-8 "3¥").  Ordinary
 * Chinese in UTF-8 is not ambiguous.  *line (may be NULL) is set to the
 * line of the first non-ASCII byte.  A command should warn and point to
 * its per-file encoding option.
 */
bool oa_csv_encoding_ambiguous(const oa_csv_reader *r, long *line);

/*
 * Reads PATH (with OPT's encoding and limits; NULL for defaults) far enough
 * to know its style, into *style.  A file that does not exist is an error
 * (errno ENOENT kept); an empty one gets the default style.  Malformed CSV
 * is an error naming the file and line, as for reading.
 */
int oa_csv_style_of_file(const char *path, const oa_csv_options *opt, oa_csv_style *style,
                         oa_error *err);

/*
 * Converts the UTF-8 text S[0..len) to ENC (GB18030; UTF-8 and AUTO copy it)
 * into a new buffer *out (free() it) of *outlen bytes.  -1 with err when S
 * is not valid UTF-8 or memory runs out.
 */
int oa_text_encode(oa_encoding enc, const char *s, size_t len, char **out, size_t *outlen,
                   oa_error *err);

/* ---- writing ---- */

typedef struct oa_csv_writer oa_csv_writer;

/* Writes to FP (not closed by the writer).  excel: BOM, CRLF, formula guard. */
oa_csv_writer *oa_csv_writer_new(FILE *fp, bool excel);
/*
 * Writes to FP in STYLE (see "style" above; no formula guard).  FP NULL
 * makes a held writer (oa_csv_writer_take hands over each record already
 * converted).  With a GB18030 style, oa_csv_writer_tell counts the
 * converted bytes of finished records plus the UTF-8 bytes of the record
 * under way.  A cell that cannot be converted makes oa_csv_writer_check
 * fail.
 */
oa_csv_writer *oa_csv_writer_new_style(FILE *fp, const oa_csv_style *style);
/*
 * A writer that holds each record instead of writing it: after
 * oa_csv_end_record, oa_csv_writer_take hands over the record's bytes
 * (with the BOM before the first one in Excel mode), valid until the next
 * write.  oa_csv_writer_tell is then the length held so far.
 */
oa_csv_writer *oa_csv_writer_new_held(bool excel);
const char *oa_csv_writer_take(oa_csv_writer *w, size_t *len);
void oa_csv_writer_free(oa_csv_writer *w);

/* Adds one field to the current record. */
void oa_csv_write_field(oa_csv_writer *w, const char *s, size_t len);
void oa_csv_write_str(oa_csv_writer *w, const char *s); /* NULL writes "" */
/*
 * Adds a field that is a code, not a quantity (a tag, a serial number, a
 * room): as oa_csv_write_field, except that in Excel mode a code a
 * spreadsheet would read as a number and change (000123 with its leading
 * zeros, more than 15 digits, 1E5) is written as the formula ="000123",
 * which Excel and LibreOffice show as the text itself.  Amounts and
 * counts go through oa_csv_write_field, so that they stay numbers.
 */
void oa_csv_write_code(oa_csv_writer *w, const char *s, size_t len);
/* Ends the current record. */
void oa_csv_end_record(oa_csv_writer *w);
/* Writes a whole record. */
void oa_csv_write_record(oa_csv_writer *w, const char *const *fields, size_t n);
/* Copies the reader's current record (as padded to its width). */
void oa_csv_write_current(oa_csv_writer *w, const oa_csv_reader *r);
/*
 * Where the next byte will land in the FILE: ftello(fp) plus what the
 * writer holds for the record under way (the writer hands a record to the
 * FILE when it ends).  -1 when the FILE cannot tell.  For a held writer,
 * the bytes held.
 */
long long oa_csv_writer_tell(const oa_csv_writer *w);
/* 0 when every write so far succeeded, else -1 with err naming NAME. */
int oa_csv_writer_check(oa_csv_writer *w, const char *name, oa_error *err);

#endif
