/*
 * zpl.h - asset labels in ZPL II for Zebra thermal printers.
 *
 * One ^XA...^XZ format per label, sized to the template's label at the
 * printer's resolution.  ^CI28 selects UTF-8; the text fields use the
 * scalable font named by [labels] zpl_font (a font on the printer that has
 * the Chinese glyphs, e.g. E:SIMSUN.TTF) and ^FH so that ^ and ~ in the data
 * are sent as hex escapes.  The barcode is drawn by the printer (^BC Code
 * 128, ^BQ QR, ^BX Data Matrix), so it is as sharp as the printer can make
 * it.  Send the result with `lp -o raw`.
 */
#ifndef OA_ZPL_H
#define OA_ZPL_H

#include <stdio.h>

#include "error.h"
#include "label.h"

/*
 * Writes one label.  -1 with err (no file) when its Code 128 barcode does
 * not fit the label (see oa_zpl_code128_module); nothing is written then.
 * Write errors show up in ferror(fp).
 */
int oa_zpl_label(FILE *fp, const oa_label_settings *s, const oa_label *label, oa_error *err);

/*
 * Code 128 as written for ^BC (mode N): subset B, switching to subset C
 * (">5", or ">;" at the start) for runs of four digits or more, so that
 * the width is known before printing.  oa_zpl_code128_modules gives the
 * symbol's width in modules without quiet zones (11 per symbol: start,
 * data, switches, check character; 13 for the stop), 0 when DATA is not
 * printable ASCII.
 */
size_t oa_zpl_code128_modules(const char *data, size_t len);

/*
 * The ^BY module width in dots for DATA on the settings' template at
 * zpl_dpi: the widest, up to 4 dots, for which the symbol plus two quiet
 * zones of 10 modules fit the label's width (^PW).  -1 with err saying
 * the tag is too long for the stock when even 1 dot does not fit.
 */
int oa_zpl_code128_module(const oa_label_settings *s, const char *data, size_t len, int *module,
                          oa_error *err);

/*
 * Writes s[0..len) as ^FD data: at most WIDTH display cells (a CJK
 * character is 2 cells), shortened with "…" when longer, with '^', '~'
 * and '_' as _XX hex escapes (for ^FH).
 */
void oa_zpl_field_data(FILE *fp, const char *s, size_t len, size_t width);

#endif
