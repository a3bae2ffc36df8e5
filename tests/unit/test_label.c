/*
 * test_label.c - label templates, format choice, barcode content, and the
 * drawing itself checked pixel by pixel on PNG output: a very long name
 * stays inside its label (ellipsized before the margin), and --skip puts
 * the first label at the right position.  That labels scan is checked by
 * tests/e2e/asset-tag.sh with zbarimg.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "label.h"
#include "zpl.h"

static void
test_templates(void **state)
{
	static const char *names[] = { "L7160", "l7162", "L7163", "roll60x40", "roll50x30" };
	oa_label_template t;
	oa_error err;

	(void)state;
	/*
	 * Avery sheets on A4 (210 x 297 mm) are symmetric: both side margins
	 * equal, so left + columns * width + gaps + left = 210, and the same
	 * for the height.  L7160: 7.25 + 3 x 63.5 + 2 x 2.5 + 7.25 = 210.
	 */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		assert_int_equal(oa_label_template_find(names[i], NULL, &t, &err), 0);
		double right = t.left + (t.columns - 1) * t.pitch_x + t.width;
		double bottom = t.top + (t.rows - 1) * t.pitch_y + t.height;
		assert_true(right <= t.page_width + 1e-9);
		assert_true(bottom <= t.page_height + 1e-9);
		assert_true(t.page_width - right - t.left < 0.01 && t.page_width - right - t.left > -0.01);
		assert_true(t.page_height - bottom - t.top < 0.01 && t.page_height - bottom - t.top > -0.01);
	}
	assert_int_equal(oa_label_template_find("L7160", NULL, &t, &err), 0);
	assert_int_equal(t.columns * t.rows, 21);
	assert_int_equal(oa_label_template_find("L7162", NULL, &t, &err), 0);
	assert_int_equal(t.columns * t.rows, 16);
	assert_int_equal(oa_label_template_find("L7163", NULL, &t, &err), 0);
	assert_int_equal(t.columns * t.rows, 14);
	assert_int_equal(oa_label_template_find("A4", NULL, &t, &err), -1);
	/* custom without a size */
	oa_config *cfg = oa_config_empty();
	assert_int_equal(oa_label_template_find("custom", cfg, &t, &err), -1);
	oa_config_free(cfg);
}

static void
test_custom_template(void **state)
{
	char path[] = "/tmp/test_label_XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	oa_label_template t;
	oa_config *cfg;
	oa_error err;

	(void)state;
	fputs("[labels]\nwidth = 70\nheight = 25\ncolumns = 3\nrows = 11\nhgap = 0\n"
	      "page_width = 210\npage_height = 297\ntop = 11\n", fp);
	fclose(fp);
	cfg = oa_config_load(path, &err);
	assert_non_null(cfg);
	assert_int_equal(oa_label_template_find("custom", cfg, &t, &err), 0);
	assert_true(t.pitch_x == 70 && t.pitch_y == 25);
	oa_config_free(cfg);

	/* 12 rows of 25 mm do not fit on 297 mm with 11 mm on top. */
	fp = fopen(path, "w");
	fputs("[labels]\nwidth = 70\nheight = 25\ncolumns = 3\nrows = 12\n"
	      "page_width = 210\npage_height = 297\ntop = 11\n", fp);
	fclose(fp);
	cfg = oa_config_load(path, &err);
	assert_non_null(cfg);
	assert_int_equal(oa_label_template_find("custom", cfg, &t, &err), -1);
	assert_non_null(strstr(err.msg, "do not fit"));
	oa_config_free(cfg);
	unlink(path);
}

static void
test_formats_and_data(void **state)
{
	oa_label_format f;
	oa_label_settings s;
	oa_error err;
	char data[128];

	(void)state;
	assert_int_equal(oa_label_format_choose(NULL, "x.PNG", &f, &err), 0);
	assert_int_equal(f, OA_LABEL_PNG);
	assert_int_equal(oa_label_format_choose(NULL, "x.zpl", &f, &err), 0);
	assert_int_equal(f, OA_LABEL_ZPL);
	assert_int_equal(oa_label_format_choose(NULL, NULL, &f, &err), 0);
	assert_int_equal(f, OA_LABEL_PDF);
	assert_int_equal(oa_label_format_choose("svg", "x.pdf", &f, &err), 0);
	assert_int_equal(f, OA_LABEL_SVG);
	assert_int_equal(oa_label_format_choose("gif", NULL, &f, &err), -1);

	memset(&s, 0, sizeof s);
	s.url = "https://a.example/{tag}?t={tag}";
	s.barcode = OA_BARCODE_CODE128;
	oa_label_barcode_data(&s, "BGS-1-S", data, sizeof data);
	assert_string_equal(data, "BGS-1-S"); /* url only for QR */
	s.barcode = OA_BARCODE_QR;
	oa_label_barcode_data(&s, "BGS-1-S", data, sizeof data);
	assert_string_equal(data, "https://a.example/BGS-1-S?t=BGS-1-S");
	oa_label_barcode_data(&s, "BGS-1-S", data, 12);
	assert_string_equal(data, "https://a.e");
}

/* Renders LABELS to a PNG file at 300 dpi and loads it. */
static cairo_surface_t *
render(const char *tmpl, oa_barcode bc, int skip, const oa_label *labels, size_t n)
{
	char path[] = "/tmp/test_label_png_XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	oa_config *cfg = oa_config_empty();
	oa_label_settings s;
	oa_label_writer *lw;
	cairo_surface_t *img;
	oa_error err;

	assert_int_equal(oa_label_settings_load(&s, cfg, &err), 0);
	assert_int_equal(oa_label_template_find(tmpl, cfg, &s.tmpl, &err), 0);
	free(s.organisation);
	s.organisation = strdup("示例市档案馆");
	s.barcode = bc;
	s.dpi = 300;
	lw = oa_label_writer_new(&s, OA_LABEL_PNG, fp, skip, &err);
	assert_non_null(lw);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(oa_label_add(lw, &labels[i], &err), 0);
	assert_int_equal(oa_label_writer_finish(lw, &err), 0);
	oa_label_writer_free(lw);
	fclose(fp);
	img = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	unlink(path);
	oa_label_settings_release(&s);
	oa_config_free(cfg);
	return img;
}

/* Dark pixels in the rectangle (mm) of a 300 dpi image. */
static long
dark(cairo_surface_t *img, double x0, double y0, double x1, double y1)
{
	unsigned char *d = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	double k = 300 / 25.4;
	long count = 0;

	cairo_surface_flush(img);
	for (int y = (int)(y0 * k); y < (int)(y1 * k); y++)
		for (int x = (int)(x0 * k); x < (int)(x1 * k); x++) {
			uint32_t px = *(uint32_t *)(d + y * stride + 4 * x);
			if (((px >> 8) & 0xff) < 128) /* green channel */
				count++;
		}
	return count;
}

static const oa_label long_name = {
	"BGS-2026-000008-E",
	"联想ThinkCentre台式电脑（含显示器、键盘和鼠标，三年保修，另附备用电源适配器两个）",
	"办公室综合科（行政、后勤、档案、机要保密、信息化建设、对外联络）",
	"王芳",
	"2026-03-02",
};

static void
test_long_text_stays_inside(void **state)
{
	cairo_surface_t *img;

	(void)state;
	for (int bc = OA_BARCODE_CODE128; bc <= OA_BARCODE_QR; bc++) {
		img = render("L7160", (oa_barcode)bc, 0, &long_name, 1);
		/*
		 * Label 1 spans x 7.25..70.75 mm, y 15.15..53.25 mm; its margin is
		 * 6 % of 38.1 = 2.29 mm.  Something is drawn, the text rows end
		 * before the right margin, and nothing at all lies in the gap to
		 * the next label or below the label.
		 */
		assert_true(dark(img, 7.25, 15.15, 70.75, 53.25) > 1000);
		assert_int_equal(dark(img, 70.75 - 2.2, 15.15, 70.75, 53.25), 0);
		assert_int_equal(dark(img, 70.75, 0, 73.25, 297), 0);
		assert_int_equal(dark(img, 0, 53.25, 210, 297), 0);
		cairo_surface_destroy(img);
	}
}

static void
test_skip(void **state)
{
	oa_label l = { "T1-X", "台灯", "办公室", "王芳", "2026-03-01" };
	cairo_surface_t *img;

	(void)state;
	/* --skip 4 on L7160 (3 columns): the label goes to column 2 of row 2. */
	img = render("L7160", OA_BARCODE_CODE128, 4, &l, 1);
	assert_int_equal(dark(img, 0, 0, 210, 15.15 + 38.1), 0);    /* row 1 empty */
	assert_int_equal(dark(img, 0, 53.25, 73.25, 91.35), 0);      /* row 2, column 1 */
	assert_true(dark(img, 73.25, 53.25, 136.75, 91.35) > 1000);  /* row 2, column 2 */
	assert_int_equal(dark(img, 136.75, 53.25, 210, 297), 0);
	assert_int_equal(dark(img, 0, 91.35, 210, 297), 0);
	cairo_surface_destroy(img);
}

/*
 * A disposed asset (报废, 已处置, disposed, any spacing) gets no label: it
 * is left out with a note naming its file and line; with force it is
 * labelled and still noted.  待报废 (to be disposed of) is still there.
 */
static void
test_disposed_left_out(void **state)
{
	static const char csv[] =
		"资产编号,资产名称,状态\n"
		"BGS-2026-0001-O,电脑,在用\n"
		"BGS-2026-0002-M,打印机,报废\n"
		"BGS-2026-0003-K,椅子, 已处置 \n"
		"BGS-2026-0004-I,投影仪,Disposed\n"
		"BGS-2026-0005-G,台灯,待报废\n";
	oa_config *cfg = oa_config_empty();
	oa_label_settings s;
	const oa_label_problem *left, *probs;
	oa_error err;

	(void)state;
	assert_int_equal(oa_label_settings_load(&s, cfg, &err), 0);
	for (int force = 0; force <= 1; force++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		oa_label_writer *lw;
		oa_csv_reader *r = oa_csv_reader_memory(csv, sizeof csv - 1, "reg.csv", NULL, &err);

		s.force = force;
		lw = oa_label_writer_new(&s, OA_LABEL_ZPL, fp, 0, &err);
		assert_non_null(lw);
		assert_int_equal(oa_label_add_csv(lw, r, &err), 0);
		assert_int_equal(oa_label_problems(lw, &probs), 0);
		assert_int_equal(oa_label_writer_count(lw), force ? 5 : 2);
		assert_int_equal(oa_label_left_out(lw, &left), 3);
		assert_string_equal(left[0].file, "reg.csv");
		assert_int_equal(left[0].line, 3);
		assert_int_equal(left[1].line, 4);
		assert_int_equal(left[2].line, 5);
		assert_string_equal(left[0].msg, force ?
		                    "\"BGS-2026-0002-M\" is disposed (报废): labelled all the same (--force)" :
		                    "\"BGS-2026-0002-M\" is disposed (报废): no label (--force prints it)");
		assert_non_null(strstr(left[1].msg, "is disposed (已处置):"));
		assert_non_null(strstr(left[2].msg, "\"BGS-2026-0004-I\" is disposed:"));
		assert_int_equal(oa_label_writer_finish(lw, &err), 0);
		oa_label_writer_free(lw);
		oa_csv_reader_free(r);
		fclose(fp);
		assert_non_null(strstr(buf, "BGS-2026-0005-G"));
		assert_true((strstr(buf, "BGS-2026-0002-M") != NULL) == force);
		free(buf);
	}
	oa_label_settings_release(&s);
	oa_config_free(cfg);
}

/*
 * Issue 12 item 15: the Code 128 width the printer draws, counted by hand
 * in symbols of 11 modules (the stop is 13): start B, B G S -, >5 to C,
 * 20 26, >6 to B, -, >5, 00 00 08, >6, - E, check = 18 symbols.
 */
static void
test_zpl_code128_width(void **state)
{
	oa_label_settings s;
	oa_error err;
	int module;

	(void)state;
	assert_int_equal(oa_zpl_code128_modules("BGS-2026-000008-E", 17), 18 * 11 + 13);
	/* Odd digit runs: "12345" is 1 in B, then 2345 in C. start,A,1,>5,23,45,check = 7 */
	assert_int_equal(oa_zpl_code128_modules("A12345", 6), 7 * 11 + 13);
	/* Only digits, an even count: start C, 12 34, check. */
	assert_int_equal(oa_zpl_code128_modules("1234", 4), 4 * 11 + 13);
	/* Three digits stay in B. */
	assert_int_equal(oa_zpl_code128_modules("A-123", 5), 7 * 11 + 13);
	assert_int_equal(oa_zpl_code128_modules("\xe5\x8a\x9e", 3), 0);

	memset(&s, 0, sizeof s);
	assert_int_equal(oa_label_template_find("roll50x30", NULL, &s.tmpl, &err), 0);
	s.zpl_dpi = 203;
	/* 400 dots: (211 + 20) x 2 = 462 does not fit, 231 does. */
	assert_int_equal(oa_zpl_code128_module(&s, "BGS-2026-000008-E", 17, &module, &err), 0);
	assert_int_equal(module, 1);
	assert_int_equal(oa_label_template_find("roll60x40", NULL, &s.tmpl, &err), 0);
	/* 480 dots: 462 fits with 2-dot modules. */
	assert_int_equal(oa_zpl_code128_module(&s, "BGS-2026-000008-E", 17, &module, &err), 0);
	assert_int_equal(module, 2);
	s.zpl_dpi = 300; /* 709 dots: 3 x 231 = 693 */
	assert_int_equal(oa_zpl_code128_module(&s, "BGS-2026-000008-E", 17, &module, &err), 0);
	assert_int_equal(module, 3);
	s.zpl_dpi = 203;
	assert_int_equal(oa_label_template_find("roll50x30", NULL, &s.tmpl, &err), 0);
	assert_int_equal(oa_zpl_code128_module(&s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-ABCDEFGHIJKLMN", 40,
	                                       &module, &err), -1);
	assert_non_null(strstr(err.msg, "too long for a Code 128 barcode on roll50x30"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_custom_template),
		cmocka_unit_test(test_formats_and_data),
		cmocka_unit_test(test_long_text_stays_inside),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_disposed_left_out),
		cmocka_unit_test(test_zpl_code128_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
