/*
 * fuzz_assets.c - libFuzzer target for asset-tag's whole input path
 * (assets.h): a register and a file of new items read, checked, tagged and
 * written out, with the built-in settings.
 *
 * Input: a mode byte, the register, a line "@@INPUT@@", the new items.
 * Without the separator the whole input is the new items and the register
 * is empty.  Also parses the first line of the input as a value and as a
 * tag pattern.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "config.h"
#include "fuzz_util.h"
#include "tag.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static oa_asset_settings settings;
	static int loaded;
	oa_tagger_options topt;
	oa_csv_options copt;
	oa_tagger *t;
	oa_error err;
	const uint8_t *input;
	size_t first, restlen;
	uint8_t mode;

	if (!loaded) {
		oa_config *cfg = oa_config_empty();

		if (oa_asset_settings_load(&settings, cfg, &err) != 0)
			abort();
		oa_config_free(cfg);
		loaded = 1;
	}
	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;

	/* The first line as a value and as a tag pattern. */
	{
		size_t n = 0;
		char *line;
		double v;
		oa_tag_pattern *p;

		while (n < size && n < 200 && data[n] != '\n')
			n++;
		line = malloc(n + 1);
		if (line == NULL)
			abort();
		memcpy(line, data, n);
		line[n] = '\0';
		if (oa_asset_parse_value(line, n, &v) == 0 && !(v >= 0))
			abort();
		p = oa_tag_pattern_compile(line, &err);
		if (p != NULL) {
			char out[OA_TAG_MAX];
			size_t len = oa_tag_pattern_render(p, "BGS", "E", 2026, 123, out, sizeof out);

			if (len >= sizeof out || (len > 0 && strlen(out) != len))
				abort();
			oa_tag_pattern_free(p);
		}
		(void)oa_asset_status_parse(line, n);
		(void)oa_asset_class_parse(line, n);
		free(line);
	}

	input = fuzz_split(data, size, "\n@@INPUT@@\n", &first, &restlen);
	oa_csv_options_init(&copt);
	copt.encoding = (mode & 3) == 1 ? OA_ENC_GB18030 : (mode & 3) == 2 ? OA_ENC_UTF8 : OA_ENC_AUTO;
	if (mode & 4)
		copt.chunk_size = 3;
	topt.excel = (mode & 16) != 0;
	topt.today = 20000;
	topt.threaded = (mode & 64) != 0;
	t = oa_tagger_new(&settings, &topt);
	if (t == NULL)
		abort();
	oa_error_clear(&err);
	if (input != NULL) {
		oa_csv_reader *r = oa_csv_reader_memory((const char *)data, first, "register.csv",
		                                        &copt, &err);

		if (r == NULL)
			abort();
		if (oa_tagger_read_register(t, r, &err) != 0) {
			FUZZ_DEBUG_ERR(&err);
			oa_csv_reader_free(r);
			oa_tagger_free(t);
			return 0;
		}
		oa_csv_reader_free(r);
	} else {
		input = data;
		restlen = size;
	}
	{
		oa_csv_reader *r = oa_csv_reader_memory((const char *)input, restlen, "new.csv",
		                                        &copt, &err);
		const oa_tagger_problem *probs;
		size_t nprobs;

		if (r == NULL)
			abort();
		if (oa_tagger_read_input(t, r, &err) != 0) {
			FUZZ_DEBUG_ERR(&err);
			if (!oa_error_isset(&err))
				abort();
		} else {
			nprobs = oa_tagger_problems(t, &probs);
			for (size_t i = 0; i < nprobs; i++)
				if (probs[i].msg == NULL || probs[i].line < 1)
					abort();
			if (oa_tagger_bad_rows(t) > oa_tagger_rows(t))
				abort();
			if (oa_tagger_assign(t, &err) == 0) {
				char *buf = NULL;
				size_t len = 0;
				FILE *fp = open_memstream(&buf, &len);

				if (fp == NULL)
					abort();
				(void)oa_tagger_write(t, fp, true, &err);
				if (mode & 8) {
					oa_csv_writer *w = oa_csv_writer_new(fp, topt.excel);

					if (w == NULL)
						abort();
					oa_tagger_write_rejects(t, w);
					oa_csv_writer_free(w);
				}
				fclose(fp);
				free(buf);
			}
		}
		oa_csv_reader_free(r);
	}
	oa_tagger_free(t);
	return 0;
}
