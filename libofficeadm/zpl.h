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

#include "label.h"

/* Writes one label.  Errors show up in ferror(fp). */
void oa_zpl_label(FILE *fp, const oa_label_settings *s, const oa_label *label);

/*
 * Writes s[0..len) as ^FD data: at most WIDTH display cells (a CJK
 * character is 2 cells), shortened with "…" when longer, with '^', '~'
 * and '_' as _XX hex escapes (for ^FH).
 */
void oa_zpl_field_data(FILE *fp, const char *s, size_t len, size_t width);

#endif
