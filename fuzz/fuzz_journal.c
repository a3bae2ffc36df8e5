/*
 * fuzz_journal.c - libFuzzer target for doc-route's journal reader
 * (journal.h): the whole file is verified on every read (header, sequence,
 * times, steps, transitions, numbers), and a damaged line must be an error
 * naming the file and line, never a crash.  After a good read every
 * document is looked up by id and by number, and its title is checked
 * against the secrecy rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "journal.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	oa_docjournal j;
	oa_error err;
	const char *path = fuzz_file(0, ".csv", data, size);
	int rc;

	memset(&j, 0, sizeof j);
	oa_error_clear(&err);
	rc = oa_docjournal_load(&j, path, -1, &err);
	if (rc != 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err) || strcmp(err.file, path) != 0 || err.line < 1)
			abort();
		oa_docjournal_release(&j);
		return 0;
	}
	for (size_t i = 0; i < j.ndocs; i++) {
		oa_doc *d = &j.docs[i];
		char id[32];

		if (d->id != (long)i + 1 || oa_docjournal_doc(&j, d->id) != d)
			abort();
		snprintf(id, sizeof id, "%ld", d->id);
		if (oa_docjournal_find(&j, id) != d)
			abort();
		if (d->number != NULL && d->number[0] != '\0' && oa_docjournal_find(&j, d->number) == NULL)
			abort();
		if (oa_doc_classified(d) && d->title[0] != '\0' &&
		    strcmp(oa_doc_title_shown(d, false), d->title) == 0 &&
		    strcmp(d->title, OA_DOC_TITLE_WITHHELD) != 0)
			abort();
	}
	(void)oa_docjournal_find(&j, "");
	(void)oa_docjournal_find(&j, "收文〔2026〕1号");
	oa_docjournal_release(&j);
	return 0;
}
