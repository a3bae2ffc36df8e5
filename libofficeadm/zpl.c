/*
 * zpl.c - asset labels in ZPL II.  See zpl.h.
 *
 * The layout follows label.c's: text lines at the top, the barcode below
 * (Code 128) or at the right (QR, Data Matrix), the tag in the printer's
 * built-in font 0 (it is plain ASCII).  Positions are in dots; the
 * template's label size and [labels] zpl_dpi give the scale.
 */
#include "zpl.h"

#include <string.h>

#include "utf8.h"

void
oa_zpl_field_data(FILE *fp, const char *s, size_t len, size_t width)
{
	size_t used = 0, i = 0, cut = len;
	bool shorten = oa_utf8_width(s, len) > width;

	if (shorten) {
		/* Keep what fits in WIDTH - 1 cells, then the ellipsis. */
		while (i < len) {
			uint32_t cp;
			int n = oa_utf8_decode(s + i, len - i, &cp);
			size_t cw;

			if (n < 0)
				n = 1;
			cw = oa_utf8_width(s + i, (size_t)n);
			if (used + cw + 1 > width)
				break;
			used += cw;
			i += (size_t)n;
		}
		cut = i;
	}
	for (i = 0; i < cut; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '^' || c == '~' || c == '_')
			fprintf(fp, "_%02X", c);
		else
			putc(c, fp);
	}
	if (shorten)
		fputs("\xE2\x80\xA6", fp);
}

/* A text field at (x, y) in font height H dots, at most W dots wide. */
static void
text_field(FILE *fp, const oa_label_settings *s, int x, int y, int h, int w, const char *text)
{
	size_t cells;

	if (text == NULL || text[0] == '\0')
		return;
	/* One cell is half a CJK glyph, which is about as wide as it is high. */
	cells = h > 0 ? (size_t)(2 * w / h) : 0;
	fprintf(fp, "^FO%d,%d^A@N,%d,%d,%s^FH_^FD", x, y, h, h, s->zpl_font);
	oa_zpl_field_data(fp, text, strlen(text), cells);
	fputs("^FS\n", fp);
}

void
oa_zpl_label(FILE *fp, const oa_label_settings *s, const oa_label *l)
{
	double dpmm = (double)s->zpl_dpi / 25.4;
	int w = (int)(s->tmpl.width * dpmm + 0.5), h = (int)(s->tmpl.height * dpmm + 0.5);
	int m = (int)(2 * dpmm), iw = w - 2 * m, ih = h - 2 * m, y = m;
	char data[512];

	oa_label_barcode_data(s, l->tag, data, sizeof data);
	fprintf(fp, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", w, h);
	if (s->barcode == OA_BARCODE_CODE128) {
		int fo = ih / 10, fn = ih / 8, fi = ih / 10, ft = ih / 10;
		int bar_h, module;
		char who[512];

		if (s->organisation[0] != '\0') {
			text_field(fp, s, m, y, fo, iw, s->organisation);
			y += fo * 13 / 10;
		}
		text_field(fp, s, m, y, fn, iw, l->name);
		y += fn * 13 / 10;
		snprintf(who, sizeof who, "%s%s%s  %s", l->department,
		         l->department[0] && l->custodian[0] ? "  " : "", l->custodian, l->acquired);
		text_field(fp, s, m, y, fi, iw, who);
		y += fi * 135 / 100;
		bar_h = h - m - ft * 13 / 10 - y;
		/* Code 128 needs about 11 modules a character plus 35; 2 dots at least. */
		module = iw / (int)(11 * strlen(data) + 35 + 20);
		if (module < 2)
			module = 2;
		fprintf(fp, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N^FH_^FD", m + 10 * module, y, module,
		        bar_h, bar_h);
		oa_zpl_field_data(fp, data, strlen(data), (size_t)-1);
		fputs("^FS\n", fp);
		fprintf(fp, "^FO%d,%d^FB%d,1,0,C^A0N,%d,%d^FH_^FD", m, h - m - ft, iw, ft,
		        ft * 8 / 10);
		oa_zpl_field_data(fp, l->tag, strlen(l->tag), (size_t)-1);
		fputs("^FS\n", fp);
	} else {
		int side = ih < iw * 45 / 100 ? ih : iw * 45 / 100, tw = iw - side - m / 2;
		int f = ih / 10, mag;

		if (s->barcode == OA_BARCODE_QR) {
			/* Version 1-3 QR is 21-29 modules; ^BQ magnification 1-10. */
			mag = side / 29;
			if (mag < 1)
				mag = 1;
			if (mag > 10)
				mag = 10;
			fprintf(fp, "^FO%d,%d^BQN,2,%d^FH_^FDMA,", w - m - side, m, mag);
		} else {
			mag = side / 24;
			if (mag < 1)
				mag = 1;
			fprintf(fp, "^FO%d,%d^BXN,%d,200^FH_^FD", w - m - side, m, mag);
		}
		oa_zpl_field_data(fp, data, strlen(data), (size_t)-1);
		fputs("^FS\n", fp);
		if (s->organisation[0] != '\0') {
			text_field(fp, s, m, y, f * 9 / 10, tw, s->organisation);
			y += f * 125 / 100;
		}
		text_field(fp, s, m, y, f * 115 / 100, tw, l->name);
		y += f * 155 / 100;
		text_field(fp, s, m, y, f * 95 / 100, tw, l->department);
		y += f * 13 / 10;
		text_field(fp, s, m, y, f * 95 / 100, tw, l->custodian);
		y += f * 13 / 10;
		text_field(fp, s, m, y, f * 95 / 100, tw, l->acquired);
		fprintf(fp, "^FO%d,%d^A0N,%d,%d^FH_^FD", m, h - m - f, f, f * 7 / 10);
		oa_zpl_field_data(fp, l->tag, strlen(l->tag), (size_t)-1);
		fputs("^FS\n", fp);
	}
	fputs("^PQ1\n^XZ\n", fp);
}
