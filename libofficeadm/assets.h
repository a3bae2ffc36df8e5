/*
 * assets.h - new assets entering the register: settings, classification,
 * defaults, tag assignment from the pattern, and the register append.
 *
 * Settings come from the config:
 *
 *     [general]
 *     organisation = 示例单位
 *     [assets]
 *     threshold       = 2000         ; yuan; fixed asset at or above
 *     tag_pattern     = {dept}-{year}-{seq:6}-{check}
 *     department_code = ADM          ; {dept} without a [departments] entry
 *     category_code   = QT           ; {cat} for a category not in [categories]
 *     life            = 5            ; years, for a category not in [categories]
 *     [categories]
 *     电子设备 = DZ, 3               ; name = code, useful life in years
 *     专用设备 = ZY, 10, 1500        ; and a threshold of its own
 *
 * The tag pattern is literal text (letters, digits and - _ / .) and the
 * tokens {dept} (department code), {cat} (category code), {year} (year of
 * acquisition), {yy} (its last two digits), {seq:N} (sequence, zero-padded
 * to N digits, default 6) and {check} (the MOD 37,36 check character of
 * all that precedes it, see tag.h).  It must hold {seq} once and end with
 * {check}.  Everything but the sequence and the check character is the
 * tag's prefix; each prefix has its own counter.
 *
 * A tagging run (oa_tagger) reads the register's tags, then the whole input
 * (validating every row and collecting every problem), then assigns tags
 * (highest used + 1 per prefix, counting register and input, disposed
 * assets included), then writes the good rows.  The output is held in
 * memory, so nothing is written until every row is known good.
 */
#ifndef OA_ASSETS_H
#define OA_ASSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "csv.h"
#include "departments.h"
#include "error.h"

#define OA_ASSET_THRESHOLD_DEFAULT 2000.0
#define OA_ASSET_PATTERN_DEFAULT "{dept}-{year}-{seq:6}-{check}"
#define OA_ASSET_DEPT_CODE_DEFAULT "ADM"
#define OA_ASSET_CAT_CODE_DEFAULT "QT"
#define OA_ASSET_LIFE_DEFAULT 5
#define OA_ASSET_EARLIEST_YEAR 1950 /* an acquisition date before it is refused */
#define OA_ASSET_QUANTITY_MAX 10000 /* assets one purchase-list row may make */

typedef struct oa_asset_category {
	char *name;       /* as in the config */
	char *code;       /* upper case letters and digits */
	long life;        /* years */
	double threshold; /* yuan; < 0 for the [assets] threshold */
} oa_asset_category;

typedef struct oa_tag_pattern oa_tag_pattern;

typedef struct oa_asset_settings {
	double threshold;
	long default_life;
	char *dept_code;
	char *cat_code;
	char *organisation;         /* [general] organisation, "" when unset */
	oa_tag_pattern *pattern;
	oa_asset_category *cats;    /* [categories], or the built-in table */
	size_t ncats;
	oa_departments depts;
} oa_asset_settings;

/*
 * Reads [assets], [categories], [departments] and [general] organisation.
 * When [categories] is absent a built-in table is used (electronics 3,
 * office equipment 5, furniture 5, vehicles 4, buildings 20 years; English
 * and Chinese names).  On error nothing needs releasing.
 */
int oa_asset_settings_load(oa_asset_settings *s, const oa_config *cfg, oa_error *err);
void oa_asset_settings_release(oa_asset_settings *s);

/* The category named NAME (folded match), or NULL. */
const oa_asset_category *oa_asset_category_find(const oa_asset_settings *s,
                                                const char *name, size_t len);

/*
 * Compiles a tag pattern (see above).  NULL with err (no file) on a
 * malformed pattern.  Free with oa_tag_pattern_free.
 */
oa_tag_pattern *oa_tag_pattern_compile(const char *text, oa_error *err);
void oa_tag_pattern_free(oa_tag_pattern *p);

/*
 * Renders the tag with sequence SEQ into OUT (OA_TAG_MAX bytes, see
 * tag.h).  Returns the length, or 0 when the tag would be too long.
 */
size_t oa_tag_pattern_render(const oa_tag_pattern *p, const char *dept, const char *cat,
                             int year, unsigned long seq, char *out, size_t cap);

/* ---- values ---- */

enum oa_asset_class { OA_CLASS_NONE, OA_CLASS_FIXED, OA_CLASS_LOW_VALUE };

/*
 * Parses a value in yuan: digits with an optional fraction ("2000",
 * "1999.99"), spaces around allowed.  0 and *out, or -1.
 */
int oa_asset_parse_value(const char *s, size_t len, double *out);

/*
 * A value as Excel exports a cell in a currency or accounting format, or as
 * typed with a Chinese input method: oa_asset_parse_value's forms, and also
 * a leading "¥" or "￥", thousands separated by commas in groups of three
 * ("1,280.00", "17,998"), full-width digits, comma and point.  The plain
 * number ("1280.00") goes into NORM (CAP bytes, NUL-terminated) and its
 * length is returned; -1 when S is none of these (also for "1,28" or
 * "1.200,50", which cannot be told apart from a mistake).
 */
int oa_asset_parse_amount(const char *s, size_t len, double *out, char *norm, size_t cap);

/*
 * fixed when value >= threshold and life > 1 year, else low-value.  The
 * threshold is the category's when it has one, else [assets] threshold.
 */
enum oa_asset_class oa_asset_classify(double value, long life, double threshold);

/* "fixed"/"固定资产", "low-value"/"低值易耗品" (any case); OA_CLASS_NONE else. */
enum oa_asset_class oa_asset_class_parse(const char *s, size_t len);
const char *oa_asset_class_name(enum oa_asset_class c);

/*
 * A status in English (in-use, idle, repair, lent, missing, disposed) or
 * Chinese (在用, 闲置, 维修, 借出, 丢失, 报废/已处置); returns the English
 * name, or NULL when unknown.
 */
const char *oa_asset_status_parse(const char *s, size_t len);

/*
 * The word of a total row's cell, or NULL: 合计, 总计, 小计, 共计, 合计金额,
 * total, sum, grand total, subtotal (folded: any case and width, spaces
 * inside ignored, "合 计" too; a colon after it, "合计：", "Total:").  The
 * returned string is static.
 */
const char *oa_asset_total_word(const char *s, size_t n);

/* ---- a tagging run ---- */

typedef struct oa_tagger oa_tagger;

/*
 * Bad rows never stop a run: they are set aside with their problems, and
 * the caller decides (exit 2, or write the good rows and the rejects).
 */
typedef struct oa_tagger_options {
	bool excel;     /* oa_tagger_write's copy is for Excel (never the register) */
	int today;      /* oa_date used for an empty acquisition date */
	bool threaded;  /* read the input on a thread of its own (prefetch.h) */
} oa_tagger_options;

/* S must outlive the tagger.  NULL only when out of memory. */
oa_tagger *oa_tagger_new(const oa_asset_settings *s, const oa_tagger_options *opt);
void oa_tagger_free(oa_tagger *t);

/*
 * Reads the register R (positioned before its header) to its end: its
 * header becomes the output layout and every tag is remembered, for
 * duplicates and for the counters.  A register that is empty (no header)
 * leaves the layout to the input.  Its style (encoding, BOM, line ends,
 * see oa_csv_style) and vocabulary are noted: when most of its status
 * (class) cells are in Chinese, or it has none and its header is Chinese,
 * the rows made get Chinese status and class words (在用, 固定资产...),
 * in every copy.  -1 with err on malformed CSV.
 */
int oa_tagger_read_register(oa_tagger *t, oa_csv_reader *r, oa_error *err);

/* The register's style as read (the default style when none was read). */
void oa_tagger_register_style(const oa_tagger *t, oa_csv_style *style);

/*
 * Reads every row of the input R (positioned before its header), checking
 * each: value, dates, life, class, status, department, tag (check character,
 * duplicates in the input and against the register).  Problems are
 * collected (see oa_tagger_problems); -1 only on an error that stops the
 * reading (malformed CSV, missing column, an input column the register
 * does not have, out of memory).  A row of empty fields (",,,," as Excel
 * exports a formatted but empty row) is skipped, and so is a total row
 * (see oa_tagger_total_rows).
 */
int oa_tagger_read_input(oa_tagger *t, oa_csv_reader *r, oa_error *err);

typedef struct oa_tagger_problem {
	const char *file;
	long line;
	const char *msg;
} oa_tagger_problem;

/* Problems found so far, in input order; valid while t lives. */
size_t oa_tagger_problems(const oa_tagger *t, const oa_tagger_problem **out);
/*
 * Warnings about the register read (file and line are the register's),
 * which do not stop the run: a row number column (序号) with cells that
 * are empty or no whole number.  Valid while t lives.
 */
size_t oa_tagger_warnings(const oa_tagger *t, const oa_tagger_problem **out);
/*
 * The total rows of a spreadsheet (合计, 总计, 小计, 共计, total, sum in a
 * cell of a row without tag and name) that oa_tagger_read_input skipped:
 * their lines and words, valid while t lives.
 */
size_t oa_tagger_total_rows(const oa_tagger *t, const long **lines, const char *const **words);
/* Rows read, and rows with at least one problem. */
size_t oa_tagger_rows(const oa_tagger *t);
size_t oa_tagger_bad_rows(const oa_tagger *t);

/*
 * Gives every good row without a tag the next tag of its prefix.  -1 when
 * a tag would be longer than OA_TAG_MAX - 1.
 */
int oa_tagger_assign(oa_tagger *t, oa_error *err);

/*
 * Writes the good rows to FP in the output layout (the register's header
 * when a register with a header was read, else the input header with tag
 * first and the missing class, acquired, life and status columns
 * appended), after the header line when HEADER is true.  With EXCEL the
 * copy is shaped for a spreadsheet (BOM with the header, CRLF, formula
 * guard); without it the rows are plain UTF-8 CSV with LF, which is what a
 * register takes.  oa_tagger_write uses the options' excel: it is for the
 * copy the user sees (stdout, -o), never for the register.  Call after
 * oa_tagger_assign; may be called more than once.  -1 with err on a write
 * error.
 */
int oa_tagger_write_as(const oa_tagger *t, FILE *fp, bool header, bool excel, oa_error *err);
int oa_tagger_write(const oa_tagger *t, FILE *fp, bool header, oa_error *err);

/*
 * Writes the rows (after the header when HEADER) for appending to the
 * register read: in its encoding (GB18030 stays GB18030) and with its line
 * ends, without a BOM (an appended file has one already).  -1 with err on
 * a write error or a cell GB18030 cannot hold.
 */
int oa_tagger_write_register(const oa_tagger *t, FILE *fp, bool header, oa_error *err);

/*
 * Writes the bad rows: the input header plus a "reason" column ("line N:
 * problem; problem").  Corrected, the file can be tagged again: an input
 * whose last column is "reason" (after an optional "line", as older
 * versions wrote) has them dropped.
 */
void oa_tagger_write_rejects(const oa_tagger *t, oa_csv_writer *w);

/* Whether the register read had a header (rows are appended under it). */
bool oa_tagger_register_has_header(const oa_tagger *t);

#endif
