/*
 * doc-route.h - what the subcommands of doc-route share: the settings
 * every subcommand needs, loaded once by main.c.
 */
#ifndef DOC_ROUTE_H
#define DOC_ROUTE_H

#include <stdbool.h>

#include "calendar.h"
#include "cli.h"
#include "config.h"
#include "csv.h"
#include "departments.h"
#include "documents.h"
#include "journal.h"

typedef struct dr_ctx {
	oa_config *cfg;
	const char *journal;       /* path */
	oa_calendar cal;
	oa_doc_limits limits;
	const char *code;          /* default 机关代字 */
	const char *incoming_code; /* code of 收文编号 */
	oa_csv_options csv;        /* documents CSV input: [general] encoding,
	                              max_field, then --encoding */
	int lock_timeout_ms;
	long future_minutes;       /* [doc-route] future_minutes: how far ahead --at may be */
	bool calendar_warned;      /* dr_calendar_warn said it once */
} dr_ctx;

/* Subcommands: each parses its own options from argv[0] (its name) on. */
int dr_register(dr_ctx *ctx, int argc, char **argv);
int dr_route(dr_ctx *ctx, int argc, char **argv);
int dr_step(dr_ctx *ctx, int argc, char **argv);
int dr_number(dr_ctx *ctx, int argc, char **argv);
int dr_status(dr_ctx *ctx, int argc, char **argv);
int dr_log(dr_ctx *ctx, int argc, char **argv);
int dr_overdue(dr_ctx *ctx, int argc, char **argv);
int dr_slip(dr_ctx *ctx, int argc, char **argv);
int dr_verify(dr_ctx *ctx, int argc, char **argv);

/*
 * cli_output_open, refusing (with a message) a PATH that is the journal
 * itself.  CLASSIFIED (the output may hold classified titles: with
 * --show-classified) makes a file mode 0600, whatever mode a file it
 * replaces had.
 */
int dr_output_open(const dr_ctx *ctx, cli_output *out, const char *path, bool classified);

/*
 * Warns once per run (`warning: ...` on stderr, with THEN appended) when a
 * date from FROM to TO lies in a year the calendar has no holidays for.
 */
void dr_calendar_warn(dr_ctx *ctx, oa_date from, oa_date to, const char *then);

/* Loads the journal, printing the error and warnings; -1 on failure (j released). */
int dr_load(dr_ctx *ctx, oa_docjournal *j, long keep);
/* Prints the warnings a read of the journal found (torn tail, old journal, no state file). */
void dr_journal_warnings(const dr_ctx *ctx, const oa_docjournal *j);

#endif
