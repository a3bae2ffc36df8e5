/*
 * fuzz_config.c - libFuzzer target for the config file (config.h) and the
 * settings read from it: the working-day calendar (calendar.h) and the
 * departments table (departments.h).
 *
 * The input is written to a temporary file and loaded with oa_config_load,
 * as a command does with -c FILE.  Every section and key is then read
 * through each typed getter, split as a list, and checked against the
 * settings table; [calendar] and [departments] are loaded.  Loading may fail
 * (with a message) but must not crash, leak or hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "config.h"
#include "departments.h"

static char path[64];

static void
warn(void *ctx, const char *file, const char *msg)
{
	size_t *count = ctx;

	if (msg == NULL || msg[0] == '\0')
		abort();
	(void)file;
	(*count)++;
}

static void
exercise(const oa_config *cfg)
{
	const char **sections = NULL;
	size_t nsec = oa_config_sections(cfg, &sections);
	size_t warnings = 0;
	oa_error err;

	for (size_t s = 0; s < nsec; s++) {
		const char **keys = NULL;
		size_t nkeys = oa_config_keys(cfg, sections[s], &keys);

		for (size_t k = 0; k < nkeys; k++) {
			const char *v = oa_config_get_string(cfg, sections[s], keys[k], NULL);
			long l;
			double d;
			bool b;
			char **items = NULL;
			size_t n;

			if (!oa_config_has(cfg, sections[s], keys[k]))
				abort();
			oa_config_get_long(cfg, sections[s], keys[k], 0, -1000000, 1000000, &l, &err);
			oa_config_get_double(cfg, sections[s], keys[k], 0, -1e9, 1e9, &d, &err);
			oa_config_get_bool(cfg, sections[s], keys[k], false, &b, &err);
			if (v != NULL) {
				n = oa_config_split_list(v, &items);
				for (size_t i = 0; i < n; i++)
					if (items[i] == NULL)
						abort();
				free(items);
			}
		}
	}
	free(sections);
	oa_config_check(cfg, warn, &warnings);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	oa_config *cfg;
	oa_error err;
	FILE *fp;

	if (path[0] == '\0') {
		int fd;

		snprintf(path, sizeof path, "/tmp/fuzz_config.XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	fp = fopen(path, "w");
	if (fp == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();

	oa_error_clear(&err);
	cfg = oa_config_load(path, &err);
	if (cfg == NULL) {
		if (!oa_error_isset(&err))
			abort();
		return 0;
	}
	if (oa_config_path(cfg) == NULL)
		abort();
	exercise(cfg);

	{
		oa_calendar cal;

		oa_calendar_init(&cal);
		if (oa_calendar_load(&cal, cfg, &err) == 0) {
			oa_date d;

			if (cal.nhours > OA_CALENDAR_MAX_PERIODS)
				abort();
			for (size_t i = 1; i < cal.nholidays; i++)
				if (cal.holidays[i - 1] >= cal.holidays[i])
					abort();
			if (oa_date_from_ymd(2026, 1, 1, &d) == 0 && cal.weekdays != 0) {
				(void)oa_calendar_is_workday(&cal, d);
				(void)oa_calendar_minutes_per_day(&cal);
			}
			oa_calendar_release(&cal);
		} else if (!oa_error_isset(&err)) {
			abort();
		}
	}
	{
		oa_departments depts;

		if (oa_departments_load(&depts, cfg, &err) == 0) {
			for (size_t i = 0; i < depts.count; i++) {
				const oa_department *found, *sugg[4];
				const char *name = depts.items[i].name;

				found = oa_departments_find(&depts, name, strlen(name));
				if (found == NULL)
					abort();
				(void)oa_departments_suggest(&depts, name, strlen(name), sugg, 4);
			}
			oa_departments_release(&depts);
		} else if (!oa_error_isset(&err)) {
			abort();
		}
	}
	oa_config_free(cfg);
	return 0;
}
