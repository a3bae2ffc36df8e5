/*
 * label.h - asset labels: sheet templates, label settings, and a writer
 * that lays labels out on sheets or rolls as PDF, PNG or SVG (cairo, pango
 * and libzint's vector output, one drawing routine for all three) or as
 * ZPL for Zebra printers (zpl.h).
 *
 * A label shows the organisation, the asset name, department and
 * custodian, the acquisition date, a barcode (Code 128, QR or Data Matrix)
 * encoding the tag (or, for QR, the [labels] url with {tag} replaced), and
 * the tag in human-readable form.  Text too long for its line is shortened
 * with an ellipsis; nothing is drawn outside the label.
 *
 *     [labels]
 *     template = L7160            ; or L7162, L7163, roll60x40, roll50x30, custom
 *     barcode  = code128          ; or qr, datamatrix
 *     font     = Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif
 *     url      = https://assets.example.org/{tag}
 *     dpi      = 300              ; PNG
 *     zpl_font = E:SIMSUN.TTF     ; ZPL font for Chinese text
 *     zpl_dpi  = 203
 *     ; template "custom": a label of width x height mm, one per page, or a
 *     ; sheet when columns/rows and the page are given
 *     width = 70, height = 30, columns = 1, rows = 1,
 *     page_width = 70, page_height = 30, left = 0, top = 0, hgap = 0, vgap = 0
 */
#ifndef OA_LABEL_H
#define OA_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "csv.h"
#include "error.h"

typedef enum oa_label_format {
	OA_LABEL_PDF, OA_LABEL_PNG, OA_LABEL_SVG, OA_LABEL_ZPL
} oa_label_format;

typedef enum oa_barcode {
	OA_BARCODE_CODE128, OA_BARCODE_QR, OA_BARCODE_DATAMATRIX
} oa_barcode;

/* All lengths in millimetres. */
typedef struct oa_label_template {
	char name[32];
	double page_width, page_height;
	double width, height;   /* one label */
	double left, top;       /* the first label's top left corner */
	double pitch_x, pitch_y; /* from one label to the next */
	int columns, rows;
} oa_label_template;

/*
 * Fills OUT with the template NAME (case ignored): a built-in one, or
 * "custom" from [labels] in CFG.  -1 with err for an unknown name or a
 * custom size that does not fit its page.
 */
int oa_label_template_find(const char *name, const oa_config *cfg, oa_label_template *out,
                           oa_error *err);

/* "code128", "qr", "datamatrix" (any case). */
int oa_barcode_parse(const char *name, oa_barcode *out, oa_error *err);

/*
 * FORMAT when given ("pdf", "png", "svg", "zpl"), else from OUTPUT's
 * suffix, else PDF.
 */
int oa_label_format_choose(const char *format, const char *output, oa_label_format *out,
                           oa_error *err);

typedef struct oa_label_settings {
	oa_label_template tmpl;
	oa_barcode barcode;
	char *font;         /* pango family list */
	char *url;          /* QR content template with {tag}; "" for the tag */
	char *organisation; /* [general] organisation */
	char *zpl_font;
	double dpi;         /* PNG */
	long zpl_dpi;
	bool force;         /* label bad tags too (--force); not from the config */
} oa_label_settings;

int oa_label_settings_load(oa_label_settings *s, const oa_config *cfg, oa_error *err);
void oa_label_settings_release(oa_label_settings *s);

/* One label's text; "" for an empty field. */
typedef struct oa_label {
	const char *tag, *name, *department, *custodian, *acquired;
} oa_label;

/*
 * The barcode content for TAG: the tag, or for QR with a url template the
 * url with each {tag} replaced.  Writes at most cap bytes with the NUL.
 */
void oa_label_barcode_data(const oa_label_settings *s, const char *tag, char *out, size_t cap);

typedef struct oa_label_writer oa_label_writer;

/*
 * Starts writing labels in FMT to FP (not closed), leaving the first SKIP
 * positions of the first sheet empty (SKIP modulo the labels per sheet, so
 * nothing for a roll; ZPL ignores it).  S must outlive the writer.
 */
oa_label_writer *oa_label_writer_new(const oa_label_settings *s, oa_label_format fmt, FILE *fp,
                                     int skip, oa_error *err);

/* Adds one label.  -1 with err when the tag cannot be encoded. */
int oa_label_add(oa_label_writer *lw, const oa_label *label, oa_error *err);

/*
 * Adds a label for every row of R (register columns; tag required).  A
 * row with an empty tag is an error naming its line.  A tag with a wrong
 * check character, a value that is not a tag, and a tag already labelled
 * in this run (in any file read; tags compared by oa_tag_canonical) are
 * problems (oa_label_problems): their labels are left out, or printed
 * anyway when the settings say force.  A disposed asset is left out with
 * a warning (oa_label_left_out), or labelled with one under force.
 */
int oa_label_add_csv(oa_label_writer *lw, oa_csv_reader *r, oa_error *err);

typedef struct oa_label_problem {
	const char *file;
	long line;
	const char *msg;
} oa_label_problem;

/* The problems noted so far, in input order; valid while lw lives. */
size_t oa_label_problems(const oa_label_writer *lw, const oa_label_problem **out);

/*
 * The rows oa_label_add_csv left out, each with its warning: assets whose
 * status is disposed (disposed, 报废, 已报废, 处置, 已处置), which get no
 * label, or one all the same when the settings say force (still listed,
 * so that the caller warns).  In input order; valid while lw lives.
 */
size_t oa_label_left_out(const oa_label_writer *lw, const oa_label_problem **out);

/* Writes what is pending and finishes the document.  -1 on write error. */
int oa_label_writer_finish(oa_label_writer *lw, oa_error *err);

/* Labels given to oa_label_add so far (those left out of a PNG included). */
size_t oa_label_writer_count(const oa_label_writer *lw);

/* Labels not written because PNG and SVG hold only the first sheet. */
size_t oa_label_writer_dropped(const oa_label_writer *lw);

void oa_label_writer_free(oa_label_writer *lw);

#endif
