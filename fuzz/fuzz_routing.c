/*
 * fuzz_routing.c - libFuzzer target for doc-route's routing rules
 * (routing.h) and the documents CSV (documents.h).
 *
 * Input: the rules (the text of a [doc-route.rules] section, which this
 * target puts first), then a line "@@DOCS@@", then a documents CSV.
 * Without the separator a fixed documents file is used.  Every document
 * read is routed with an explanation; the explanation must not show the
 * title of a 绝密 or 机密 document.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "documents.h"
#include "fuzz_util.h"
#include "routing.h"

static const char default_docs[] =
	"direction,type,title,issuer,ref,urgency,secrecy,received,keywords\n"
	"in,请示,关于申请办公经费的请示,财务科,财〔2026〕3号,加急,,2026-11-23,经费\n"
	"收文,通知,绝密测试标题甲乙丙丁,市政府办公室,市政办〔2026〕9号,特急,绝密,2026-11-23,\n"
	"out,函,关于商洽消防演练的函,,,,机密★1年,2026-11-24,安全\n";

/* True when NEEDLE (non-empty) occurs in HAY. */
static int
contains(const char *hay, const char *needle)
{
	return needle[0] != '\0' && hay != NULL && strstr(hay, needle) != NULL;
}

/* The same for HAY[0..len), which may hold NUL bytes. */
static int
contains_n(const char *hay, size_t len, const char *needle)
{
	return needle[0] != '\0' && memmem(hay, len, needle, strlen(needle)) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "[doc-route.rules]\n";
	const uint8_t *docs_part;
	size_t first, restlen;
	char *ini;
	const char *ini_path, *docs_path;
	oa_config *cfg;
	oa_rules *rules;
	oa_error err;
	oa_calendar cal;
	oa_doc_limits lim;
	oa_doc *docs = NULL;
	size_t ndocs = 0;
	oa_date today;

	if (size > 16384)
		return 0;
	/*
	 * Known (reported): glibc's regcomp duplicates the tree for every
	 * quantifier, so a regex rule such as "a++++..." or "a{99}{99}" takes
	 * gigabytes.  Such rules are left out here.
	 */
	{
		size_t run = 0;

		for (size_t i = 0; i < size; i++) {
			if (data[i] == '{')
				return 0;
			run = (data[i] == '+' || data[i] == '*' || data[i] == '?') ? run + 1 : 0;
			if (run > 3)
				return 0;
		}
	}
	docs_part = fuzz_split(data, size, "\n@@DOCS@@\n", &first, &restlen);
	ini = malloc(sizeof head + first);
	if (ini == NULL)
		abort();
	memcpy(ini, head, sizeof head - 1);
	memcpy(ini + sizeof head - 1, data, first);
	ini[sizeof head - 1 + first] = '\0';
	ini_path = fuzz_file(0, ".ini", ini, sizeof head - 1 + first);
	if (docs_part != NULL)
		docs_path = fuzz_file(1, ".csv", docs_part, restlen);
	else
		docs_path = fuzz_file(1, ".csv", default_docs, sizeof default_docs - 1);

	oa_error_clear(&err);
	cfg = oa_config_load(ini_path, &err);
	if (cfg == NULL) {
		free(ini);
		return 0;
	}
	rules = oa_rules_load(cfg, &err);
	if (rules == NULL) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err))
			abort();
		oa_config_free(cfg);
		free(ini);
		return 0;
	}
	(void)oa_rules_count(rules);
	if (oa_doc_limits_load(&lim, cfg, &err) != 0) {
		/* A bad [doc-route] deadline_* value: an error, as it should be. */
		if (!oa_error_isset(&err))
			abort();
		oa_rules_free(rules);
		oa_config_free(cfg);
		free(ini);
		return 0;
	}
	oa_calendar_init(&cal);
	if (oa_date_from_ymd(2026, 11, 25, &today) != 0)
		abort();
	if (oa_docs_read(docs_path, NULL, &lim, &cal, today, "示例办发", &docs, &ndocs, &err) != 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err) || strcmp(err.file, docs_path) != 0)
			abort();
	} else {
		for (size_t i = 0; i < ndocs; i++) {
			oa_doc *d = &docs[i];
			char *explain = NULL;

			if (oa_rules_route(rules, d, false, &explain, &err) < 0)
				abort();
			/*
			 * A classified title must not be shown, unless it also
			 * stands in the rules or another element of the document
			 * (then it is not the title that is shown).
			 */
			if (oa_doc_classified(d) && strlen(d->title) >= 6 && explain != NULL &&
			    contains(explain, d->title) && !contains_n(ini, sizeof head - 1 + first, d->title) &&
			    !contains(d->issuer, d->title) && !contains(d->keywords, d->title) &&
			    !contains(d->ref, d->title) && !contains(d->secrecy_text, d->title) &&
			    !contains(d->code, d->title) && !contains(OA_DOC_TITLE_WITHHELD, d->title) &&
			    /* routing the sheet gives is shown as given */
			    !contains(d->lead, d->title) && !contains(d->co, d->title) &&
			    !contains(d->leader, d->title) && !contains(d->circulate, d->title)) {
				fprintf(stderr, "classified title shown: %s\n", explain);
				abort();
			}
			free(explain);
			(void)oa_doc_due(d, today, today + 3);
		}
		oa_docs_free(docs, ndocs);
	}
	oa_calendar_release(&cal);
	oa_rules_free(rules);
	oa_config_free(cfg);
	free(ini);
	return 0;
}
