/*
 * label.c - asset labels as PDF, PNG or SVG, and the dispatch to ZPL.
 * See label.h.
 *
 * In order: templates and settings; the barcode (libzint vector output,
 * drawn as cairo rectangles, its module snapped to whole pixels for PNG so
 * bars keep their exact widths); text lines (pango, one line each,
 * ellipsized at the end, the tag shrunk to fit instead); the layout of one
 * label; and the writer that places labels on pages.  All drawing is in
 * millimetres: the cairo matrix scales them to points or pixels.
 */
#include "label.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zint.h>

#include "columns.h"
#include "tag.h"
#include "utf8.h"
#include "zpl.h"

/*
 * fontconfig (2.14) leaks a few hundred bytes while parsing its own
 * configuration, once per process; nothing here can free them.  Under
 * LeakSanitizer (make check SANITIZE=1) that would fail every run that
 * draws text, so leaks whose stack is inside fontconfig are suppressed.
 */
#if defined(__SANITIZE_ADDRESS__)
#define OA_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OA_LSAN 1
#endif
#endif
#ifdef OA_LSAN
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

/* ---- templates and settings ---- */

static const oa_label_template builtin_templates[] = {
	/* name, page w h, label w h, left top, pitch x y, columns rows */
	{ "L7160", 210, 297, 63.5, 38.1, 7.25, 15.15, 66.0, 38.1, 3, 7 },
	{ "L7162", 210, 297, 99.1, 33.9, 4.65, 12.9, 101.6, 33.9, 2, 8 },
	{ "L7163", 210, 297, 99.1, 38.1, 4.65, 15.15, 101.6, 38.1, 2, 7 },
	{ "roll60x40", 60, 40, 60, 40, 0, 0, 60, 40, 1, 1 },
	{ "roll50x30", 50, 30, 50, 30, 0, 0, 50, 30, 1, 1 },
};

static int
custom_template(const oa_config *cfg, oa_label_template *t, oa_error *err)
{
	double hgap, vgap;
	long cols, rows;

	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "custom");
	if (!oa_config_has(cfg, "labels", "width") || !oa_config_has(cfg, "labels", "height"))
		return oa_error_set(err, oa_config_path(cfg), 0,
		                    "template \"custom\" needs [labels] width and height (mm)");
	if (oa_config_get_double(cfg, "labels", "width", 0, 5, 1000, &t->width, err) < 0 ||
	    oa_config_get_double(cfg, "labels", "height", 0, 5, 1000, &t->height, err) < 0 ||
	    oa_config_get_long(cfg, "labels", "columns", 1, 1, 50, &cols, err) < 0 ||
	    oa_config_get_long(cfg, "labels", "rows", 1, 1, 100, &rows, err) < 0 ||
	    oa_config_get_double(cfg, "labels", "left", 0, 0, 1000, &t->left, err) < 0 ||
	    oa_config_get_double(cfg, "labels", "top", 0, 0, 1000, &t->top, err) < 0 ||
	    oa_config_get_double(cfg, "labels", "hgap", 0, 0, 1000, &hgap, err) < 0 ||
	    oa_config_get_double(cfg, "labels", "vgap", 0, 0, 1000, &vgap, err) < 0)
		return -1;
	t->columns = (int)cols;
	t->rows = (int)rows;
	t->pitch_x = t->width + hgap;
	t->pitch_y = t->height + vgap;
	if (oa_config_get_double(cfg, "labels", "page_width",
	                         2 * t->left + cols * t->width + (double)(cols - 1) * hgap, 5, 2000,
	                         &t->page_width, err) < 0 ||
	    oa_config_get_double(cfg, "labels", "page_height",
	                         2 * t->top + rows * t->height + (double)(rows - 1) * vgap, 5, 2000,
	                         &t->page_height, err) < 0)
		return -1;
	if (t->left + (cols - 1) * t->pitch_x + t->width > t->page_width + 0.01 ||
	    t->top + (rows - 1) * t->pitch_y + t->height > t->page_height + 0.01)
		return oa_error_set(err, oa_config_path(cfg), 0,
		                    "[labels] custom labels do not fit on a %gx%g mm page",
		                    t->page_width, t->page_height);
	return 0;
}

int
oa_label_template_find(const char *name, const oa_config *cfg, oa_label_template *out,
                       oa_error *err)
{
	for (size_t i = 0; i < sizeof builtin_templates / sizeof builtin_templates[0]; i++)
		if (strcasecmp(name, builtin_templates[i].name) == 0) {
			*out = builtin_templates[i];
			return 0;
		}
	if (strcasecmp(name, "custom") == 0)
		return custom_template(cfg, out, err);
	return oa_error_set(err, NULL, 0,
	                    "unknown label template \"%s\" (known: L7160, L7162, L7163, "
	                    "roll60x40, roll50x30, custom)", name);
}

int
oa_barcode_parse(const char *name, oa_barcode *out, oa_error *err)
{
	if (strcasecmp(name, "code128") == 0)
		*out = OA_BARCODE_CODE128;
	else if (strcasecmp(name, "qr") == 0)
		*out = OA_BARCODE_QR;
	else if (strcasecmp(name, "datamatrix") == 0)
		*out = OA_BARCODE_DATAMATRIX;
	else
		return oa_error_set(err, NULL, 0,
		                    "unknown barcode \"%s\" (known: code128, qr, datamatrix)", name);
	return 0;
}

int
oa_label_format_choose(const char *format, const char *output, oa_label_format *out,
                       oa_error *err)
{
	static const char *names[] = { "pdf", "png", "svg", "zpl" };
	const char *dot;

	if (format == NULL && output != NULL && (dot = strrchr(output, '.')) != NULL &&
	    strchr(dot, '/') == NULL)
		for (int i = 0; i < 4; i++)
			if (strcasecmp(dot + 1, names[i]) == 0)
				format = names[i];
	if (format == NULL) {
		*out = OA_LABEL_PDF;
		return 0;
	}
	for (int i = 0; i < 4; i++)
		if (strcasecmp(format, names[i]) == 0) {
			*out = (oa_label_format)i;
			return 0;
		}
	return oa_error_set(err, NULL, 0, "unknown label format \"%s\" (known: pdf, png, svg, zpl)",
	                    format);
}

int
oa_label_settings_load(oa_label_settings *s, const oa_config *cfg, oa_error *err)
{
	const char *file = oa_config_path(cfg);

	memset(s, 0, sizeof *s);
	if (oa_label_template_find(oa_config_get_string(cfg, "labels", "template", "L7160"), cfg,
	                           &s->tmpl, err) < 0 ||
	    oa_barcode_parse(oa_config_get_string(cfg, "labels", "barcode", "code128"),
	                     &s->barcode, err) < 0) {
		if (err != NULL && err->file[0] == '\0')
			snprintf(err->file, sizeof err->file, "%s", file ? file : "");
		return -1;
	}
	if (oa_config_get_double(cfg, "labels", "dpi", 300, 72, 1200, &s->dpi, err) < 0 ||
	    oa_config_get_long(cfg, "labels", "zpl_dpi", 203, 150, 600, &s->zpl_dpi, err) < 0)
		return -1;
	s->font = strdup(oa_config_get_string(cfg, "labels", "font",
	                                      "Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"));
	s->url = strdup(oa_config_get_string(cfg, "labels", "url", ""));
	s->organisation = strdup(oa_config_get_string(cfg, "general", "organisation", ""));
	s->zpl_font = strdup(oa_config_get_string(cfg, "labels", "zpl_font", "E:SIMSUN.TTF"));
	if (s->font == NULL || s->url == NULL || s->organisation == NULL || s->zpl_font == NULL) {
		oa_label_settings_release(s);
		return oa_error_set(err, NULL, 0, "out of memory");
	}
	return 0;
}

void
oa_label_settings_release(oa_label_settings *s)
{
	free(s->font);
	free(s->url);
	free(s->organisation);
	free(s->zpl_font);
	memset(s, 0, sizeof *s);
}

void
oa_label_barcode_data(const oa_label_settings *s, const char *tag, char *out, size_t cap)
{
	const char *u = s->url;
	size_t n = 0, tl = strlen(tag);

	if (cap == 0)
		return;
	if (s->barcode != OA_BARCODE_QR || u == NULL || u[0] == '\0') {
		snprintf(out, cap, "%s", tag);
		return;
	}
	while (*u != '\0' && n + 1 < cap) {
		if (strncmp(u, "{tag}", 5) == 0) {
			size_t k = tl < cap - 1 - n ? tl : cap - 1 - n;

			memcpy(out + n, tag, k);
			n += k;
			u += 5;
		} else {
			out[n++] = *u++;
		}
	}
	out[n] = '\0';
}

/* ---- the writer ---- */

struct oa_label_writer {
	const oa_label_settings *s;
	oa_label_format fmt;
	FILE *fp;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fontmap;
	PangoContext *context;
	PangoLayout *layout;
	PangoFontDescription *font;
	double px_per_mm;   /* PNG: pixels per mm, for snapping; 0 otherwise */
	int pos;            /* next position on the current page */
	int per_page;
	size_t dropped;
	size_t added; /* labels given to oa_label_add */
	bool write_failed;
	/* tags seen (canonical, oa_tag_canonical), for duplicates: open addressing */
	struct seen_tag {
		char *tag;         /* NULL: free */
		char *file;
		long line;
	} *seen;
	size_t seen_cap, nseen;
	oa_label_problem *problems;
	size_t nproblems, problems_cap;
	oa_label_problem *left;      /* rows left out (disposed assets), with a warning */
	size_t nleft, left_cap;
};

static cairo_status_t
write_stream(void *closure, const unsigned char *data, unsigned int length)
{
	oa_label_writer *lw = closure;

	if (fwrite(data, 1, length, lw->fp) != length) {
		lw->write_failed = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

oa_label_writer *
oa_label_writer_new(const oa_label_settings *s, oa_label_format fmt, FILE *fp, int skip,
                    oa_error *err)
{
	oa_label_writer *lw = calloc(1, sizeof *lw);
	const oa_label_template *t = &s->tmpl;
	double pt_w = t->page_width * 72 / 25.4, pt_h = t->page_height * 72 / 25.4;
	cairo_font_options_t *fo;

	if (lw == NULL) {
		oa_error_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	lw->s = s;
	lw->fmt = fmt;
	lw->fp = fp;
	lw->per_page = t->columns * t->rows;
	lw->pos = skip;
	if (fmt == OA_LABEL_ZPL)
		return lw;
	lw->pos %= lw->per_page; /* whole sheets skipped: start a fresh one */
	switch (fmt) {
	case OA_LABEL_PDF:
		lw->surface = cairo_pdf_surface_create_for_stream(write_stream, lw, pt_w, pt_h);
		break;
	case OA_LABEL_SVG:
		lw->surface = cairo_svg_surface_create_for_stream(write_stream, lw, pt_w, pt_h);
		break;
	default:
		lw->px_per_mm = s->dpi / 25.4;
		lw->surface = cairo_image_surface_create(
			CAIRO_FORMAT_RGB24, (int)ceil(t->page_width * lw->px_per_mm),
			(int)ceil(t->page_height * lw->px_per_mm));
		break;
	}
	lw->cr = cairo_create(lw->surface);
	if (cairo_status(lw->cr) != CAIRO_STATUS_SUCCESS) {
		oa_error_set(err, NULL, 0, "cannot start the label document: %s",
		             cairo_status_to_string(cairo_status(lw->cr)));
		oa_label_writer_free(lw);
		return NULL;
	}
	if (fmt == OA_LABEL_PNG) {
		cairo_set_source_rgb(lw->cr, 1, 1, 1);
		cairo_paint(lw->cr);
		cairo_scale(lw->cr, lw->px_per_mm, lw->px_per_mm);
	} else {
		cairo_scale(lw->cr, 72 / 25.4, 72 / 25.4);
	}
	/*
	 * A font map of our own rather than pango's global one, so that
	 * freeing the writer gives back the fonts and fontconfig patterns.
	 */
	lw->fontmap = pango_cairo_font_map_new();
	lw->context = pango_font_map_create_context(lw->fontmap);
	pango_cairo_update_context(lw->cr, lw->context);
	lw->layout = pango_layout_new(lw->context);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(lw->layout), fo);
	cairo_font_options_destroy(fo);
	/* Positions are in mm: rounding them to whole units would be coarse. */
	pango_context_set_round_glyph_positions(pango_layout_get_context(lw->layout), FALSE);
	pango_layout_context_changed(lw->layout);
	pango_layout_set_single_paragraph_mode(lw->layout, TRUE);
	lw->font = pango_font_description_from_string(s->font);
	return lw;
}

void
oa_label_writer_free(oa_label_writer *lw)
{
	if (lw == NULL)
		return;
	if (lw->font != NULL)
		pango_font_description_free(lw->font);
	if (lw->layout != NULL)
		g_object_unref(lw->layout);
	if (lw->context != NULL)
		g_object_unref(lw->context);
	if (lw->fontmap != NULL)
		g_object_unref(lw->fontmap);
	if (lw->cr != NULL)
		cairo_destroy(lw->cr);
	if (lw->surface != NULL)
		cairo_surface_destroy(lw->surface);
	for (size_t i = 0; i < lw->seen_cap; i++) {
		free(lw->seen[i].tag);
		free(lw->seen[i].file);
	}
	free(lw->seen);
	for (size_t i = 0; i < lw->nproblems; i++) {
		free((char *)lw->problems[i].file);
		free((char *)lw->problems[i].msg);
	}
	free(lw->problems);
	for (size_t i = 0; i < lw->nleft; i++) {
		free((char *)lw->left[i].file);
		free((char *)lw->left[i].msg);
	}
	free(lw->left);
	free(lw);
}

size_t
oa_label_problems(const oa_label_writer *lw, const oa_label_problem **out)
{
	*out = lw->problems;
	return lw->nproblems;
}

size_t
oa_label_left_out(const oa_label_writer *lw, const oa_label_problem **out)
{
	*out = lw->left;
	return lw->nleft;
}

static size_t
seen_hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot for TAG: its entry, or the free slot where it would go. */
static struct seen_tag *
seen_slot(struct seen_tag *tab, size_t cap, const char *tag)
{
	size_t i = seen_hash(tag) & (cap - 1);

	while (tab[i].tag != NULL && strcmp(tab[i].tag, tag) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Remembers TAG from FILE:LINE; its earlier entry when seen before, else NULL; -1 ENOMEM. */
static int
seen_add(oa_label_writer *lw, const char *tag, const char *file, long line,
         const struct seen_tag **before)
{
	struct seen_tag *sl;

	*before = NULL;
	if ((lw->nseen + 1) * 2 > lw->seen_cap) {
		size_t cap = lw->seen_cap ? lw->seen_cap * 2 : 64;
		struct seen_tag *tab = calloc(cap, sizeof *tab);

		if (tab == NULL)
			return -1;
		for (size_t i = 0; i < lw->seen_cap; i++)
			if (lw->seen[i].tag != NULL)
				*seen_slot(tab, cap, lw->seen[i].tag) = lw->seen[i];
		free(lw->seen);
		lw->seen = tab;
		lw->seen_cap = cap;
	}
	sl = seen_slot(lw->seen, lw->seen_cap, tag);
	if (sl->tag != NULL) {
		*before = sl;
		return 0;
	}
	sl->tag = strdup(tag);
	sl->file = strdup(file);
	sl->line = line;
	if (sl->tag == NULL || sl->file == NULL) {
		free(sl->tag);
		free(sl->file);
		sl->tag = sl->file = NULL;
		return -1;
	}
	lw->nseen++;
	return 0;
}

/* Adds a message about FILE:LINE to the list *V of *N (room for *CAP). */
static int
add_note(oa_label_problem **v, size_t *n, size_t *cap, const char *file, long line,
         const char *fmt, va_list ap)
{
	oa_label_problem *p;
	char *msg;

	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;

		p = realloc(*v, ncap * sizeof *p);
		if (p == NULL)
			return -1;
		*v = p;
		*cap = ncap;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		return -1;
	p = &(*v)[*n];
	p->file = strdup(file);
	p->line = line;
	p->msg = msg;
	if (p->file == NULL) {
		free(msg);
		return -1;
	}
	(*n)++;
	return 0;
}

static int
add_problem(oa_label_writer *lw, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
add_problem(oa_label_writer *lw, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = add_note(&lw->problems, &lw->nproblems, &lw->problems_cap, file, line, fmt, ap);
	va_end(ap);
	return rc;
}

static int
add_left_out(oa_label_writer *lw, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
add_left_out(oa_label_writer *lw, const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = add_note(&lw->left, &lw->nleft, &lw->left_cap, file, line, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Whether the status S says the asset is gone (disposed, 报废, 已报废,
 * 处置, 已处置: the words inventory-diff reads as disposed).
 */
static bool
is_disposed(const char *s)
{
	static const char *const words[] = { "disposed", "报废", "已报废", "处置", "已处置" };
	char f[64];

	if (oa_utf8_fold(s, strlen(s), f, sizeof f, OA_FOLD_SEPARATORS) == 0)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(f, words[i]) == 0)
			return true;
	return false;
}

/*
 * Checks the tag of a label from FILE:LINE: a tag with its check
 * character, not seen before in this run.  0 when good, 1 when a problem
 * was noted, -1 when out of memory.
 */
static int
check_tag(oa_label_writer *lw, const char *tag, const char *file, long line)
{
	char norm[OA_TAG_MAX], canon[OA_TAG_MAX];
	size_t len = strlen(tag), n;
	const struct seen_tag *before;
	int rc;

	if (len >= OA_TAG_MAX - 1)
		rc = add_problem(lw, file, line, "\"%s\" is too long for a tag", tag);
	else if (n = oa_tag_normalise(tag, len, norm, sizeof norm), !oa_tag_valid(norm, n)) {
		char want = n > 1 ? oa_tag_check_char(norm, n - 1) : 0;

		if (want != 0 && oa_tag_check_char(norm, n) != 0)
			rc = add_problem(lw, file, line,
			                 "tag \"%s\" has a wrong check character: expected '%c'",
			                 tag, want);
		else
			rc = add_problem(lw, file, line,
			                 "\"%s\" is not a tag (letters and digits with a check "
			                 "character)", tag);
	} else {
		oa_tag_canonical(tag, len, canon, sizeof canon);
		if (seen_add(lw, canon, file, line, &before) < 0)
			return -1;
		if (before == NULL)
			return 0;
		rc = add_problem(lw, file, line, "duplicate tag \"%s\" (also %s:%ld)", tag,
		                 before->file, before->line);
	}
	return rc < 0 ? -1 : 1;
}

size_t
oa_label_writer_count(const oa_label_writer *lw)
{
	return lw->added;
}

size_t
oa_label_writer_dropped(const oa_label_writer *lw)
{
	return lw->dropped;
}

/* ---- text ---- */

enum { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTRE };

/* Prepares the layout: TEXT in SIZE mm, bold or not, one line in WIDTH. */
static void
set_text(oa_label_writer *lw, const char *text, double size, bool bold, double width,
         int align, bool ellipsize)
{
	PangoLayout *l = lw->layout;

	pango_font_description_set_absolute_size(lw->font, size * PANGO_SCALE);
	pango_font_description_set_weight(lw->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, lw->font);
	pango_layout_set_width(l, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_ellipsize(l, ellipsize ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	pango_layout_set_alignment(l, align == ALIGN_RIGHT ? PANGO_ALIGN_RIGHT :
	                              align == ALIGN_CENTRE ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
}

/* Draws one line of text at (x, y), top left, shortened with an ellipsis. */
static void
draw_line(oa_label_writer *lw, const char *text, double x, double y, double width, double size,
          bool bold, int align)
{
	if (text == NULL || text[0] == '\0' || width <= 0)
		return;
	set_text(lw, text, size, bold, width, align, true);
	cairo_move_to(lw->cr, x, y);
	pango_cairo_show_layout(lw->cr, lw->layout);
}

/* Draws TEXT whole, its size reduced until it fits WIDTH. */
static void
draw_fitted(oa_label_writer *lw, const char *text, double x, double y, double width,
            double size, bool bold, int align)
{
	int w, h;

	if (text == NULL || text[0] == '\0' || width <= 0)
		return;
	set_text(lw, text, size, bold, -1, ALIGN_LEFT, false);
	pango_layout_get_size(lw->layout, &w, &h);
	if ((double)w / PANGO_SCALE > width)
		size *= width / ((double)w / PANGO_SCALE) * 0.98;
	set_text(lw, text, size, bold, width, align, false);
	cairo_move_to(lw->cr, x, y);
	pango_cairo_show_layout(lw->cr, lw->layout);
}

/* ---- barcodes ---- */

/* Rounds a length in mm down to whole pixels (PNG); leaves it otherwise. */
static double
snap_len(const oa_label_writer *lw, double mm)
{
	double px;

	if (lw->px_per_mm <= 0)
		return mm;
	px = floor(mm * lw->px_per_mm);
	return px >= 1 ? px / lw->px_per_mm : mm;
}

/* Moves user point (x, y) onto the nearest pixel corner (PNG). */
static void
snap_point(const oa_label_writer *lw, double *x, double *y)
{
	if (lw->px_per_mm <= 0)
		return;
	cairo_user_to_device(lw->cr, x, y);
	*x = round(*x);
	*y = round(*y);
	cairo_device_to_user(lw->cr, x, y);
}

/*
 * Draws the barcode for DATA in the box (x, y, w, h): Code 128 fills the
 * width (with 10 modules of quiet zone each side) and the height; the
 * matrix codes are square, centred, with 2 modules of quiet zone.
 */
static int
draw_barcode(oa_label_writer *lw, const char *data, double x, double y, double w, double h,
             oa_error *err)
{
	struct zint_symbol *sym = ZBarcode_Create();
	bool linear = lw->s->barcode == OA_BARCODE_CODE128;
	double minx = INFINITY, maxx = -INFINITY, unit, module, quiet, bw, bh;
	struct zint_vector_rect *r;
	int rc;

	if (sym == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	sym->symbology = linear ? BARCODE_CODE128 :
	                 lw->s->barcode == OA_BARCODE_QR ? BARCODE_QRCODE : BARCODE_DATAMATRIX;
	sym->input_mode = linear ? DATA_MODE : UNICODE_MODE;
	sym->show_hrt = 0;
	if (lw->s->barcode == OA_BARCODE_QR)
		sym->option_1 = 2; /* error correction level M */
	rc = ZBarcode_Encode_and_Buffer_Vector(sym, (const unsigned char *)data, (int)strlen(data), 0);
	if (rc >= ZINT_ERROR || sym->vector == NULL || sym->width <= 0) {
		oa_error_set(err, NULL, 0, "cannot encode \"%s\" as a barcode: %s", data, sym->errtxt);
		ZBarcode_Delete(sym);
		return -1;
	}
	for (r = sym->vector->rectangles; r != NULL; r = r->next) {
		if (r->x < minx)
			minx = r->x;
		if (r->x + r->width > maxx)
			maxx = r->x + r->width;
	}
	unit = (maxx - minx) / sym->width; /* vector units per module */
	quiet = linear ? 10 : 2;
	if (linear) {
		module = snap_len(lw, w / (sym->width + 2 * quiet));
		bw = module * sym->width;
		bh = h;
	} else {
		double side = w < h ? w : h;

		module = snap_len(lw, side / (sym->width + 2 * quiet));
		bw = module * sym->width;
		bh = module * sym->rows;
	}
	x += (w - bw) / 2;
	y += (h - bh) / 2;
	snap_point(lw, &x, &y);
	cairo_save(lw->cr);
	cairo_set_source_rgb(lw->cr, 0, 0, 0);
	for (r = sym->vector->rectangles; r != NULL; r = r->next) {
		double rx = x + (r->x - minx) / unit * module;
		double rw = r->width / unit * module;

		if (linear)
			cairo_rectangle(lw->cr, rx, y, rw, bh);
		else
			cairo_rectangle(lw->cr, rx, y + r->y / unit * module, rw,
			                r->height / unit * module);
	}
	cairo_fill(lw->cr);
	cairo_restore(lw->cr);
	ZBarcode_Delete(sym);
	return 0;
}

/* ---- one label ---- */

static int
draw_label(oa_label_writer *lw, const oa_label *l, double x, double y, oa_error *err)
{
	const oa_label_settings *s = lw->s;
	double w = s->tmpl.width, h = s->tmpl.height;
	double m = (w < h ? w : h) * 0.06, iw, ih, ty;
	char data[512], who[512];
	int rc;

	if (m < 1.5)
		m = 1.5;
	if (m > 3)
		m = 3;
	iw = w - 2 * m;
	ih = h - 2 * m;
	oa_label_barcode_data(s, l->tag, data, sizeof data);
	snprintf(who, sizeof who, "%s%s%s", l->department,
	         l->department[0] && l->custodian[0] ? "  " : "", l->custodian);

	cairo_save(lw->cr);
	cairo_rectangle(lw->cr, x, y, w, h);
	cairo_clip(lw->cr);
	cairo_translate(lw->cr, x, y);
	cairo_set_source_rgb(lw->cr, 0, 0, 0);
	ty = m;
	if (s->barcode == OA_BARCODE_CODE128) {
		double fo = ih * 0.095, fn = ih * 0.125, fi = ih * 0.095, ft = ih * 0.1;
		double bar_top, bar_bottom;

		if (s->organisation[0] != '\0') {
			draw_line(lw, s->organisation, m, ty, iw, fo, true, ALIGN_LEFT);
			ty += fo * 1.3;
		}
		draw_line(lw, l->name, m, ty, iw, fn, true, ALIGN_LEFT);
		ty += fn * 1.3;
		draw_line(lw, who, m, ty, iw * 0.64, fi, false, ALIGN_LEFT);
		draw_line(lw, l->acquired, m + iw * 0.66, ty, iw * 0.34, fi, false, ALIGN_RIGHT);
		ty += fi * 1.35;
		bar_top = ty;
		bar_bottom = h - m - ft * 1.3;
		cairo_save(lw->cr);
		rc = draw_barcode(lw, data, m, bar_top, iw, bar_bottom - bar_top, err);
		cairo_restore(lw->cr);
		if (rc < 0)
			goto out;
		draw_fitted(lw, l->tag, m, bar_bottom + ft * 0.15, iw, ft, false, ALIGN_CENTRE);
	} else {
		double side = ih < iw * 0.45 ? ih : iw * 0.45;
		double tw = iw - side - m * 0.5, f = ih * 0.1;

		cairo_save(lw->cr);
		rc = draw_barcode(lw, data, w - m - side, m + (ih - side) / 2, side, side, err);
		cairo_restore(lw->cr);
		if (rc < 0)
			goto out;
		if (s->organisation[0] != '\0') {
			draw_line(lw, s->organisation, m, ty, tw, f * 0.9, true, ALIGN_LEFT);
			ty += f * 1.25;
		}
		draw_line(lw, l->name, m, ty, tw, f * 1.15, true, ALIGN_LEFT);
		ty += f * 1.55;
		draw_line(lw, l->department, m, ty, tw, f * 0.95, false, ALIGN_LEFT);
		ty += f * 1.3;
		draw_line(lw, l->custodian, m, ty, tw, f * 0.95, false, ALIGN_LEFT);
		ty += f * 1.3;
		draw_line(lw, l->acquired, m, ty, tw, f * 0.95, false, ALIGN_LEFT);
		draw_fitted(lw, l->tag, m, h - m - f * 1.3, tw, f * 1.05, true, ALIGN_LEFT);
	}
	rc = 0;
out:
	cairo_restore(lw->cr);
	return rc;
}

int
oa_label_add(oa_label_writer *lw, const oa_label *label, oa_error *err)
{
	const oa_label_template *t = &lw->s->tmpl;
	int col, row;

	lw->added++;
	if (lw->fmt == OA_LABEL_ZPL) {
		char data[512];

		/* Let the same checks as for drawing reject what cannot be encoded. */
		oa_label_barcode_data(lw->s, label->tag, data, sizeof data);
		if (data[0] == '\0')
			return oa_error_set(err, NULL, 0, "empty tag");
		return oa_zpl_label(lw->fp, lw->s, label, err);
	}
	if (lw->pos >= lw->per_page) {
		if (lw->fmt != OA_LABEL_PDF) {
			lw->dropped++;
			return 0;
		}
		cairo_show_page(lw->cr);
		lw->pos = 0;
	}
	col = lw->pos % t->columns;
	row = lw->pos / t->columns;
	lw->pos++;
	return draw_label(lw, label, t->left + col * t->pitch_x, t->top + row * t->pitch_y, err);
}

int
oa_label_add_csv(oa_label_writer *lw, oa_csv_reader *r, oa_error *err)
{
	int index[OA_REG_NCOLS];
	int rc = oa_csv_read(r, err), ck;

	if (rc <= 0)
		return rc;
	if (oa_columns_map(r, oa_register_columns, OA_REG_NCOLS, 0, index, err) < 0)
		return -1;
	/* A purchase list given for the tagged rows: say what to do. */
	if (index[OA_REG_TAG] < 0)
		return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
		                    "no tag column (tag, 资产编号): labels are printed from "
		                    "tagged rows; tag these first (asset-tag -o new.csv %s) and "
		                    "print new.csv", oa_csv_name(r));
	while ((rc = oa_csv_read(r, err)) > 0) {
		oa_label l;
		const char *status;
		bool blank_row = true;

		/* Excel's ",,,," of a formatted but empty row: skipped. */
		for (size_t i = 0; i < oa_csv_nfields(r) && blank_row; i++)
			blank_row = strspn(oa_csv_field(r, i), " \t") == strlen(oa_csv_field(r, i));
		if (blank_row)
			continue;
#define COL(c) (index[c] >= 0 ? oa_csv_field(r, (size_t)index[c]) : "")
		l.tag = COL(OA_REG_TAG);
		l.name = COL(OA_REG_NAME);
		l.department = COL(OA_REG_DEPARTMENT);
		l.custodian = COL(OA_REG_CUSTODIAN);
		l.acquired = COL(OA_REG_ACQUIRED);
		status = COL(OA_REG_STATUS);
#undef COL
		if (l.tag[strspn(l.tag, " \t")] == '\0')
			return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			                    "empty tag: a row not tagged yet? (asset-tag -o new.csv "
			                    "tags the rows; print new.csv)");
		/*
		 * A disposed asset (报废) is gone: a label for it would only be
		 * stuck on something else.  Left out with a warning, or printed
		 * with one under --force.
		 */
		if (is_disposed(status)) {
			/* The word as written ("报废"), unless it is "disposed". */
			const char *w = status + strspn(status, " \t");
			int wn = (int)strlen(w);
			bool word;

			while (wn > 0 && (w[wn - 1] == ' ' || w[wn - 1] == '\t'))
				wn--;
			word = !(wn == 8 && strncasecmp(w, "disposed", 8) == 0);
			if (add_left_out(lw, oa_csv_name(r), oa_csv_line(r),
			                 "\"%s\" is disposed%s%.*s%s: %s", l.tag, word ? " (" : "",
			                 word ? wn : 0, w, word ? ")" : "",
			                 lw->s->force ? "labelled all the same (--force)" :
			                                "no label (--force prints it)") < 0)
				return oa_error_set(err, NULL, 0, "out of memory");
			if (!lw->s->force)
				continue;
		}
		ck = check_tag(lw, l.tag, oa_csv_name(r), oa_csv_line(r));
		if (ck < 0)
			return oa_error_set(err, NULL, 0, "out of memory");
		/* A bad tag is noted; its label is printed only with --force. */
		if (ck > 0 && !lw->s->force)
			continue;
		if (oa_label_add(lw, &l, err) < 0) {
			err->line = oa_csv_line(r);
			snprintf(err->file, sizeof err->file, "%s", oa_csv_name(r));
			return -1;
		}
	}
	return rc;
}

int
oa_label_writer_finish(oa_label_writer *lw, oa_error *err)
{
	cairo_status_t st = CAIRO_STATUS_SUCCESS;

	if (lw->fmt != OA_LABEL_ZPL) {
		if (lw->fmt == OA_LABEL_PNG) {
			cairo_surface_flush(lw->surface);
			st = cairo_surface_write_to_png_stream(lw->surface, write_stream, lw);
		} else {
			cairo_show_page(lw->cr);
			cairo_surface_finish(lw->surface);
			st = cairo_surface_status(lw->surface);
		}
	}
	if (st != CAIRO_STATUS_SUCCESS || lw->write_failed || fflush(lw->fp) == EOF ||
	    ferror(lw->fp))
		return oa_error_set(err, NULL, 0, "cannot write the labels: %s",
		                    st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) :
		                                                 "write error");
	return 0;
}
