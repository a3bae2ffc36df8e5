/*
 * fuzz_assetjournal.c - libFuzzer target for asset-log's input paths
 * (assetjournal.h, assetregister.h).  The first byte chooses:
 *   0: the rest is an asset journal: read and verified whole; a bad one
 *      must be an error naming the file and a line, never a crash; a good
 *      one is checked against a small register and its events listed;
 *   1: the rest is an events CSV (asset-log apply): read, every problem an
 *      error with file and line;
 *   2: the rest is a register: read, and when it reads, written back
 *      unchanged, which must give exactly the input bytes (the rewrite
 *      keeps the register's style).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assetjournal.h"
#include "fuzz_util.h"

static const char small_register[] =
	"tag,department,custodian,location,status\nBGS-1,办公室,张伟,301室,在用\n";

static void
journal(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, ".journal", data, size);
	const char *rpath = fuzz_file(1, ".csv", small_register, strlen(small_register));
	oa_assetjournal j;
	oa_register reg;
	oa_error err;

	oa_error_clear(&err);
	if (oa_assetjournal_load(&j, path, "*", &err) != 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err) || strstr(err.file, "oafuzz") == NULL)
			abort();
		oa_assetjournal_release(&j);
		return;
	}
	if (oa_register_load(&reg, rpath, NULL, &err) != 0)
		abort();
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		oa_csv_writer *w = oa_csv_writer_new(mem, false);
		if (oa_assetjournal_check(&j, &reg, true, w, "mem", &err) < 0 ||
		    oa_assetjournal_write_events(&j, w, "mem", &err) < 0)
			abort();
		oa_csv_writer_free(w);
		fclose(mem);
		free(buf);
	}
	for (size_t i = 0; i < j.nstates; i++)
		if (j.states[i].events > 0 && oa_assetjournal_state(&j, j.states[i].tag) != &j.states[i])
			abort();
	(void)oa_assetjournal_at(&j, 20000);
	oa_register_release(&reg);
	oa_assetjournal_release(&j);
}

static void
events(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(2, ".csv", data, size);
	oa_asset_change *v;
	size_t n;
	char *store;
	oa_error err;

	oa_error_clear(&err);
	if (oa_asset_changes_read(path, NULL, 20000, "fuzz", &v, &n, &store, NULL, &err) != 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err))
			abort();
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == OA_AEV_NONE || v[i].tag == NULL || v[i].line < 2)
			abort();
	free(v);
	free(store);
}

static void
register_roundtrip(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(3, ".csv", data, size);
	oa_register reg;
	oa_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	oa_error_clear(&err);
	if (oa_register_load(&reg, path, NULL, &err) != 0) {
		FUZZ_DEBUG_ERR(&err);
		if (!oa_error_isset(&err))
			abort();
		oa_register_release(&reg);
		return;
	}
	mem = open_memstream(&buf, &len);
	if (oa_register_write(&reg, mem, "mem", &err) != 0)
		abort();
	fclose(mem);
	if (len != size || memcmp(buf, data, size) != 0)
		abort();
	free(buf);
	oa_register_release(&reg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: journal(data + 1, size - 1); break;
	case 1: events(data + 1, size - 1); break;
	default: register_roundtrip(data + 1, size - 1); break;
	}
	return 0;
}
