/*
 * report.c - the subcommands that read the journal: status (a CSV of
 * current states), log (the events of one document), overdue (what is
 * late or due soon, per department, with notices to department heads), and
 * slip (the 公文处理笺 of one document as printable text).  The reports
 * themselves are in libofficeadm/docreport.c; here are their options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc-route.h"
#include "docreport.h"

enum { OPT_OPEN = 256, OPT_EXCEL, OPT_SHOW, OPT_AS_OF, OPT_SOON, OPT_NOTICES };

static const char usage_status[] =
	"usage: doc-route status [--open] [--excel] [--show-classified] [-o file]\n";
static const char usage_log[] = "usage: doc-route log [--excel] [-o file] doc\n";
static const char usage_overdue[] =
	"usage: doc-route overdue [--as-of date] [--soon n] [--notices dir] [--excel]\n"
	"                         [--show-classified] [-o file]\n";
static const char usage_slip[] = "usage: doc-route slip [--show-classified] [-o file] doc\n";

/* Finishes OUT and the writer: commit on success, else drop. */
static int
finish_output(cli_output *out, oa_csv_writer *w, int status)
{
	oa_error err;

	oa_error_clear(&err);
	if (w != NULL && oa_csv_writer_check(w, out->name, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	oa_csv_writer_free(w);
	if (status == EXIT_TROUBLE) {
		cli_output_abort(out);
		return status;
	}
	if (cli_output_commit(out) < 0)
		return EXIT_TROUBLE;
	return status;
}

int
dr_status(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "open", no_argument, NULL, OPT_OPEN },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "show-classified", no_argument, NULL, OPT_SHOW },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool open_only = false, excel = false, show = false;
	const char *outpath = NULL;
	oa_docjournal j;
	cli_output out;
	oa_csv_writer *w;
	int c;

	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_OPEN: open_only = true; break;
		case OPT_EXCEL: excel = true; break;
		case OPT_SHOW: show = true; break;
		case 'o': outpath = optarg; break;
		case 'h': fputs(usage_status, stdout); return EXIT_DONE;
		default: return cli_usage(usage_status);
		}
	}
	if (optind != argc)
		return cli_usage(usage_status);
	if (dr_load(ctx, &j, 0) < 0)
		return EXIT_TROUBLE;
	if (dr_output_open(ctx, &out, outpath, show) < 0) {
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out.fp, excel);
	if (w == NULL) {
		cli_msg("out of memory");
		oa_docjournal_release(&j);
		cli_output_abort(&out);
		return EXIT_TROUBLE;
	}
	oa_docreport_status(w, &j, open_only, show);
	oa_docjournal_release(&j);
	return finish_output(&out, w, EXIT_DONE);
}

/* Loads the journal keeping the events of the document named TEXT. */
static const oa_doc *
load_one(dr_ctx *ctx, oa_docjournal *j, const char *text)
{
	oa_error err;
	const oa_doc *d;

	oa_error_clear(&err);
	d = oa_docjournal_load_doc(j, ctx->journal, text, &err);
	if (d == NULL) {
		cli_error(&err);
		oa_docjournal_release(j);
	} else {
		dr_journal_warnings(ctx, j);
	}
	return d;
}

int
dr_log(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool excel = false;
	const char *outpath = NULL;
	oa_docjournal j;
	cli_output out;
	oa_csv_writer *w;
	int c;

	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_EXCEL: excel = true; break;
		case 'o': outpath = optarg; break;
		case 'h': fputs(usage_log, stdout); return EXIT_DONE;
		default: return cli_usage(usage_log);
		}
	}
	if (optind != argc - 1)
		return cli_usage(usage_log);
	if (load_one(ctx, &j, argv[optind]) == NULL)
		return EXIT_TROUBLE;
	if (dr_output_open(ctx, &out, outpath, false) < 0) {
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out.fp, excel);
	if (w == NULL) {
		cli_msg("out of memory");
		oa_docjournal_release(&j);
		cli_output_abort(&out);
		return EXIT_TROUBLE;
	}
	oa_docreport_log(w, &j);
	oa_docjournal_release(&j);
	return finish_output(&out, w, EXIT_DONE);
}

/* Writes the notices into DIR; prints the error. */
static int
write_notices(dr_ctx *ctx, const char *dir, const oa_overdue *v, size_t n, oa_date as_of,
              bool show, oa_atomic_set *set)
{
	oa_departments depts;
	oa_notice_options opt = { &depts, NULL, as_of, show };
	oa_error err;
	int rc;

	oa_error_clear(&err);
	if (oa_departments_load(&depts, ctx->cfg, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	opt.organisation = oa_config_get_string(ctx->cfg, "general", "organisation", "");
	rc = oa_notices_write_set(dir, v, n, &opt, set, &err);
	if (rc < 0)
		cli_error(&err);
	oa_departments_release(&depts);
	return rc;
}

int
dr_overdue(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ "soon", required_argument, NULL, OPT_SOON },
		{ "notices", required_argument, NULL, OPT_NOTICES },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "show-classified", no_argument, NULL, OPT_SHOW },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool excel = false, show = false;
	const char *outpath = NULL, *notices = NULL;
	oa_date as_of = oa_calendar_today(&ctx->cal);
	long soon = -1, count;
	oa_docjournal j;
	cli_output out;
	oa_csv_writer *w;
	oa_overdue *v;
	oa_error err;
	oa_atomic_set set;
	size_t n;
	int c, status;

	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_AS_OF:
			if (oa_date_parse(optarg, strlen(optarg), &as_of) < 0) {
				cli_msg("--as-of \"%s\" is not YYYY-MM-DD", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case OPT_SOON:
			errno = 0;
			soon = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || soon < 0 || soon > 366) {
				cli_msg("--soon \"%s\" is not a number of working days (0-366)", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case OPT_NOTICES: notices = optarg; break;
		case OPT_EXCEL: excel = true; break;
		case OPT_SHOW: show = true; break;
		case 'o': outpath = optarg; break;
		case 'h': fputs(usage_overdue, stdout); return EXIT_DONE;
		default: return cli_usage(usage_overdue);
		}
	}
	if (optind != argc)
		return cli_usage(usage_overdue);
	if (cli_in_notices(outpath, notices) < 0)
		return EXIT_TROUBLE;
	if (dr_load(ctx, &j, 0) < 0)
		return EXIT_TROUBLE;
	oa_error_clear(&err);
	count = oa_docs_overdue(j.docs, j.ndocs, &ctx->cal, as_of, (int)soon, &v, &err);
	if (count < 0) {
		cli_error(&err);
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	n = (size_t)count;
	status = n > 0 ? EXIT_FINDINGS : EXIT_DONE;
	/* Working days counted in a year without holidays would be guesses. */
	if (soon >= 0)
		dr_calendar_warn(ctx, as_of, oa_calendar_add_workdays(&ctx->cal, as_of, (int)soon),
		                 NULL);
	for (size_t i = 0; i < n; i++)
		dr_calendar_warn(ctx, v[i].doc->deadline, as_of, NULL);
	if (dr_output_open(ctx, &out, outpath, show) < 0) {
		free(v);
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out.fp, excel);
	if (w == NULL) {
		cli_msg("out of memory");
		free(v);
		oa_docjournal_release(&j);
		cli_output_abort(&out);
		return EXIT_TROUBLE;
	}
	/* Silent when nothing is listed, so cron mails only when needed; a
	 * file named by -o still gets its header. */
	oa_docreport_overdue(w, v, n, n > 0 || out.atomic, show);
	/* The notices and the -o file are committed together, after both are written. */
	oa_atomic_set_init(&set);
	if (notices != NULL && write_notices(ctx, notices, v, n, as_of, show, &set) < 0)
		status = EXIT_TROUBLE;
	free(v);
	oa_docjournal_release(&j);
	if (status != EXIT_TROUBLE && out.atomic && cli_output_join(&out, &set) < 0)
		status = EXIT_TROUBLE;
	status = finish_output(&out, w, status);
	if (status != EXIT_TROUBLE && oa_atomic_set_commit(&set, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	oa_atomic_set_abort(&set);
	return status;
}

int
dr_slip(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "show-classified", no_argument, NULL, OPT_SHOW },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool show = false;
	const char *outpath = NULL;
	oa_docjournal j;
	const oa_doc *d;
	cli_output out;
	int c;

	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SHOW: show = true; break;
		case 'o': outpath = optarg; break;
		case 'h': fputs(usage_slip, stdout); return EXIT_DONE;
		default: return cli_usage(usage_slip);
		}
	}
	if (optind != argc - 1)
		return cli_usage(usage_slip);
	d = load_one(ctx, &j, argv[optind]);
	if (d == NULL)
		return EXIT_TROUBLE;
	if (dr_output_open(ctx, &out, outpath, show) < 0) {
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	oa_docreport_slip(out.fp, d, j.events, j.nevents,
	                  oa_config_get_string(ctx->cfg, "general", "organisation", ""), show);
	oa_docjournal_release(&j);
	return finish_output(&out, NULL, EXIT_DONE);
}
