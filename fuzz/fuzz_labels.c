/*
 * fuzz_labels.c - libFuzzer target for asset-tag label: register rows laid
 * out as labels (label.h, zpl.h).
 *
 * The first byte picks the barcode (Code 128, QR, Data Matrix) and the
 * format: mostly ZPL, sometimes SVG (cairo, pango and libzint).  The rest
 * is a register CSV.  For ZPL the data must not break out of its field: the
 * output holds exactly one ^XA ... ^XZ format per label added.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csv.h"
#include "fuzz_util.h"
#include "label.h"

static size_t
count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nl = strlen(needle);

	for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, nl)) != NULL; p += nl)
		n++;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static oa_label_settings settings;
	static int loaded;
	oa_label_format fmt;
	oa_label_writer *lw;
	oa_csv_reader *r;
	oa_error err;
	char *buf = NULL;
	size_t len = 0, labels = 0;
	FILE *fp;
	uint8_t mode;
	int rc;

	if (!loaded) {
		oa_config *cfg = oa_config_empty();

		if (oa_label_settings_load(&settings, cfg, &err) != 0)
			abort();
		oa_config_free(cfg);
		loaded = 1;
	}
	if (size < 1 || size > 8192)
		return 0;
	mode = data[0];
	data++;
	size--;
	settings.barcode = (mode & 3) == 1 ? OA_BARCODE_QR :
	                   (mode & 3) == 2 ? OA_BARCODE_DATAMATRIX : OA_BARCODE_CODE128;
	fmt = (mode & 0x1c) == 0x1c ? OA_LABEL_SVG : OA_LABEL_ZPL;
	settings.force = (mode & 0x20) != 0; /* bad tags labelled too, or left out */

	fp = open_memstream(&buf, &len);
	if (fp == NULL)
		abort();
	oa_error_clear(&err);
	lw = oa_label_writer_new(&settings, fmt, fp, (mode >> 5) & 7, &err);
	if (lw == NULL) {
		fclose(fp);
		free(buf);
		return 0;
	}
	/* The records after the header: one label each when all goes well. */
	r = oa_csv_reader_memory((const char *)data, size, "register.csv", NULL, &err);
	if (r == NULL)
		abort();
	while (oa_csv_read(r, &err) == 1) {
		/* A row of blanks only (Excel's bare commas) is skipped, no label. */
		int blank = 1;

		for (size_t i = 0; i < oa_csv_nfields(r) && blank; i++) {
			const char *f = oa_csv_field(r, i);

			for (size_t k = 0; k < oa_csv_field_len(r, i); k++)
				if (f[k] != ' ' && f[k] != '\t')
					blank = 0;
		}
		labels += !blank;
	}
	oa_csv_reader_free(r);
	labels = labels > 0 ? labels - 1 : 0;
	r = oa_csv_reader_memory((const char *)data, size, "register.csv", NULL, &err);
	if (r == NULL)
		abort();
	rc = oa_label_add_csv(lw, r, &err);
	if (rc < 0)
		FUZZ_DEBUG_ERR(&err);
	/*
	 * Without force, a refused tag (problem) makes no label, nor does a
	 * disposed asset (left out, and not checked as a tag).
	 */
	if (!settings.force) {
		const oa_label_problem *probs;
		size_t np = oa_label_problems(lw, &probs) + oa_label_left_out(lw, &probs);

		labels = np <= labels ? labels - np : 0;
	}
	oa_csv_reader_free(r);
	(void)oa_label_writer_finish(lw, &err);
	(void)oa_label_writer_dropped(lw);
	oa_label_writer_free(lw);
	fclose(fp);
	if (fmt == OA_LABEL_ZPL && rc >= 0 && buf != NULL) {
		size_t xa = count(buf, len, "^XA"), xz = count(buf, len, "^XZ");

		if (xa != xz || xa != labels) {
			fprintf(stderr, "ZPL: %zu ^XA, %zu ^XZ for %zu labels\n", xa, xz, labels);
			abort();
		}
	}
	free(buf);
	return 0;
}
