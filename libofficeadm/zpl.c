/*
 * zpl.c - asset labels in ZPL II.  See zpl.h.
 *
 * The layout follows label.c's: text lines at the top, the barcode below
 * (Code 128) or at the right (QR, Data Matrix), the tag in the printer's
 * built-in font 0 (it is plain ASCII).  Positions are in dots; the
 * template's label size and [labels] zpl_dpi give the scale.
 */
#include "zpl.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

/* ---- Code 128 as the printer draws it (^BC, mode N) ---- */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Plans the Code 128 symbol for DATA the way ^BC in mode N draws it from
 * the field data written by code128_field: subset B, and subset C for a
 * run of four digits or more (an odd run leaves its first digit in B).
 * Returns the symbol's width in modules (start, data, switches, check
 * character, stop; quiet zones not included), or 0 when DATA holds a
 * byte subset B cannot encode (Code 128 is printable ASCII here).
 */
static size_t
code128_plan(const char *data, size_t len, FILE *fp)
{
	size_t symbols = 2, i = 0; /* start and check character */
	bool in_c = false, first = true;

	for (size_t k = 0; k < len; k++)
		if ((unsigned char)data[k] < 0x20 || (unsigned char)data[k] > 0x7e)
			return 0;
	while (i < len) {
		size_t run = 0;

		while (i + run < len && is_digit(data[i + run]))
			run++;
		if (run >= 4 && run % 2 == 1) {
			run = 1; /* the odd digit goes in B, before the switch */
		} else if (run >= 4 || (run >= 2 && run % 2 == 0 && i + run == len && first)) {
			if (!in_c) {
				if (fp != NULL)
					fputs(first ? ">;" : ">5", fp);
				symbols += first ? 0 : 1;
				in_c = true;
			}
			if (fp != NULL)
				fwrite(data + i, 1, run, fp);
			symbols += run / 2;
			i += run;
			first = false;
			continue;
		}
		if (in_c || first) {
			if (fp != NULL)
				fputs(first ? ">:" : ">6", fp);
			symbols += first ? 0 : 1;
			in_c = false;
		}
		first = false;
		if (run == 0)
			run = 1;
		for (size_t k = i; k < i + run; k++) {
			if (fp == NULL)
				continue;
			/* '>' starts an invocation code: "><" is a '>'; ^ ~ _ go as ^FH escapes. */
			if (data[k] == '>')
				fputs("><", fp);
			else if (data[k] == '^' || data[k] == '~' || data[k] == '_')
				fprintf(fp, "_%02X", (unsigned char)data[k]);
			else
				putc(data[k], fp);
		}
		symbols += run;
		i += run;
	}
	return symbols * 11 + 13; /* the stop character is 13 modules */
}

size_t
oa_zpl_code128_modules(const char *data, size_t len)
{
	return code128_plan(data, len, NULL);
}

int
oa_zpl_code128_module(const oa_label_settings *s, const char *data, size_t len, int *module,
                      oa_error *err)
{
	double dpmm = (double)s->zpl_dpi / 25.4;
	int w = (int)(s->tmpl.width * dpmm + 0.5), m = (int)(2 * dpmm);
	size_t modules = code128_plan(data, len, NULL);

	if (modules == 0)
		return oa_error_set(err, NULL, 0, "tag \"%.*s\" cannot be encoded in Code 128 "
		                    "(printable ASCII only)", (int)len, data);
	/*
	 * The widest module (at most 4 dots) for which the symbol and its two
	 * quiet zones of 10 modules fit the label's width, the bars keeping
	 * half the margin from each edge.
	 */
	for (*module = 4; *module >= 1; (*module)--)
		if ((modules + 20) * (size_t)*module <= (size_t)w &&
		    modules * (size_t)*module <= (size_t)(w - m))
			return 0;
	return oa_error_set(err, NULL, 0,
	                    "tag \"%.*s\" is too long for a Code 128 barcode on %s (%zu modules "
	                    "and quiet zones, the label is %d dots wide at %ld dpi): use a "
	                    "wider label, a shorter tag_pattern, or -b qr or datamatrix",
	                    (int)len, data, s->tmpl.name, modules + 20, w, s->zpl_dpi);
}

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

int
oa_zpl_label(FILE *fp, const oa_label_settings *s, const oa_label *l, oa_error *err)
{
	double dpmm = (double)s->zpl_dpi / 25.4;
	int w = (int)(s->tmpl.width * dpmm + 0.5), h = (int)(s->tmpl.height * dpmm + 0.5);
	int m = (int)(2 * dpmm), iw = w - 2 * m, ih = h - 2 * m, y = m;
	char data[512];

	oa_label_barcode_data(s, l->tag, data, sizeof data);
	if (s->barcode == OA_BARCODE_CODE128) {
		int fo = ih / 10, fn = ih / 8, fi = ih / 10, ft = ih / 10, ftw = ft * 8 / 10;
		int bar_h, module;
		size_t modules = code128_plan(data, strlen(data), NULL);
		char who[512];

		if (oa_zpl_code128_module(s, data, strlen(data), &module, err) < 0)
			return -1;
		fprintf(fp, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", w, h);
		/* The tag in font 0 under the bars: narrower characters for a long tag. */
		if (strlen(l->tag) > 0 && (size_t)ftw * strlen(l->tag) > (size_t)iw)
			ftw = iw / (int)strlen(l->tag);

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
		/* Centred: the quiet zones (10 modules) lie inside the label. */
		fprintf(fp, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N^FH_^FD",
		        (w - (int)modules * module) / 2, y, module, bar_h, bar_h);
		code128_plan(data, strlen(data), fp);
		fputs("^FS\n", fp);
		fprintf(fp, "^FO%d,%d^FB%d,1,0,C^A0N,%d,%d^FH_^FD", m, h - m - ft, iw, ft, ftw);
		oa_zpl_field_data(fp, l->tag, strlen(l->tag), (size_t)-1);
		fputs("^FS\n", fp);
	} else {
		int side = ih < iw * 45 / 100 ? ih : iw * 45 / 100, tw = iw - side - m / 2;
		int f = ih / 10, mag;

		fprintf(fp, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", w, h);
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
	return 0;
}
