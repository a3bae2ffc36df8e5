/*
 * fuzz_stocktake.c - libFuzzer target for inventory-diff's whole input
 * path (stocktake.h): a register and a scan file read, joined and written
 * out as findings, summary and the reconciled register.
 *
 * Input: the register, then a line "@@SCAN@@", then the scan file (CSV
 * with a header or a plain list of tags).  Without the separator the whole
 * input is the register and the scan is a fixed short list.  The first byte
 * picks the encoding and whether the two files are read in parallel.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "stocktake.h"

static const char default_scan[] = "BGS-2024-0001-E\nbgs-2024-0003-a\nXXZX-2024-0010-9\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	oa_stocktake_options opt;
	oa_stocktake *st;
	oa_error err;
	const char *reg, *scan;
	const char *scans[2];
	const uint8_t *rest;
	size_t first, restlen;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	rest = fuzz_split(data, size, "\n@@SCAN@@\n", &first, &restlen);
	reg = fuzz_file(0, ".csv", data, first);
	if (rest != NULL)
		scan = fuzz_file(1, ".csv", rest, restlen);
	else
		scan = fuzz_file(1, ".txt", default_scan, sizeof default_scan - 1);
	scans[0] = scan;
	scans[1] = scan;

	oa_stocktake_options_init(&opt);
	opt.csv.encoding = (mode & 3) == 1 ? OA_ENC_GB18030 : (mode & 3) == 2 ? OA_ENC_UTF8 : OA_ENC_AUTO;
	opt.threads = (mode & 4) ? 2 : 1;
	if (mode & 8)
		opt.csv.max_field = 64;
	oa_error_clear(&err);
	st = oa_stocktake_run(reg, scans, (mode & 16) ? 2 : 1, &opt, &err);
	if (st == NULL) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err) || err.file[0] == '\0')
			abort();
		return 0;
	}
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		oa_csv_writer *w;
		oa_date date = oa_stocktake_date(st);

		if (fp == NULL)
			abort();
		w = oa_csv_writer_new(fp, (mode & 32) != 0);
		if (oa_stocktake_write_findings(st, w, (mode & 64) != 0, "out", &err) != 0)
			FUZZ_DEBUG_ERR(&err);
		if (oa_stocktake_write_summary(st, w, "out", &err) != 0)
			FUZZ_DEBUG_ERR(&err);
		oa_csv_writer_free(w);
		if (oa_stocktake_write_update(st, fp, date >= 0 ? date : 20000, (mode & 128) != 0,
		                              "out", &err) != 0)
			FUZZ_DEBUG_ERR(&err);
		fclose(fp);
		free(buf);
		for (int s = 0; s < OA_ST_NSTATUS; s++)
			(void)oa_stocktake_count(st, (oa_st_status)s);
		(void)oa_stocktake_findings(st);
	}
	oa_stocktake_free(st);
	return 0;
}
