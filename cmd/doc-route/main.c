/*
 * doc-route - register, route, number and chase official documents.
 *
 * git-style: `doc-route [-c FILE] [-j JOURNAL] SUBCOMMAND [options] [args]`.
 * This file holds main() and the subcommands that write the journal
 * (register, step, number) or only read documents (route); report.c holds
 * the ones that read the journal (status, log, overdue, slip).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc-route.h"
#include "docreport.h"
#include "routing.h"
#include "utf8.h"

static const char usage_text[] =
	"usage: doc-route [-c config] [-j journal] command [options] [arguments]\n"
	"       doc-route register [--again] [--at time] [--by name] [--encoding enc]\n"
	"                          [--show-classified] [file]\n"
	"       doc-route route [--explain] [--encoding enc] [--excel] [--show-classified]\n"
	"                       [-o file] [file]\n"
	"       doc-route step [--at time] [--by name] [--department dept] [--note text]\n"
	"                      [--deadline date] doc step\n"
	"       doc-route number [--at time] [--by name] [--note text] doc\n"
	"       doc-route status [--open] [--excel] [--show-classified] [-o file]\n"
	"       doc-route log [--excel] [-o file] doc\n"
	"       doc-route overdue [--as-of date] [--soon n] [--notices dir] [--excel]\n"
	"                         [--show-classified] [-o file]\n"
	"       doc-route slip [--show-classified] [-o file] doc\n"
	"       doc-route recompute [--at time] [--by name] [doc ...]\n"
	"       doc-route workday [date]\n"
	"       doc-route verify [--last] [--seal]\n";

static int
usage(void)
{
	return cli_usage(usage_text);
}

/* Parses --at: "YYYY-MM-DD HH:MM" or a date (00:00). */
static int
parse_at(const char *s, oa_minute *out)
{
	if (oa_datetime_parse(s, strlen(s), OA_DATETIME_DATE_OK, out) < 0) {
		cli_msg("--at \"%s\" is not YYYY-MM-DD [HH:MM]", s);
		return -1;
	}
	return 0;
}

void
dr_journal_warnings(const dr_ctx *ctx, const oa_docjournal *j)
{
	if (j->torn_line > 0)
		cli_msg_at(ctx->journal, j->torn_line,
		           "warning: an incomplete last record (a writer died, or is writing now) "
		           "is left out; the next step moves it to %s.torn-TIME", ctx->journal);
	if (j->complete_len > 0 && !j->chained)
		cli_msg_at(ctx->journal, 0,
		           "warning: an old journal without the chain column: edits cannot be "
		           "detected; run \"doc-route verify --seal\" once");
	if (j->state_missing)
		cli_msg_at(ctx->journal, 0,
		           "warning: no state file %s.state: records removed at the end could not "
		           "be detected (the next step writes it)", ctx->journal);
}

void
dr_calendar_warn(dr_ctx *ctx, oa_date from, oa_date to, const char *then)
{
	oa_error err;

	if (ctx->calendar_warned)
		return;
	oa_error_clear(&err);
	if (oa_calendar_check_range(&ctx->cal, from, to, &err) < 0) {
		cli_msg_at(err.file[0] ? err.file : NULL, err.line, "warning: %s%s", err.msg,
		           then ? then : "");
		ctx->calendar_warned = true;
	}
}

/*
 * A report on a journal that is not there would be empty and look like
 * "nothing to do": from cron, with the config not found or the wrong
 * directory, that is a silence that lasts.  Say where it was looked for.
 */
static int
journal_exists(const dr_ctx *ctx)
{
	struct stat st;
	const char *config = oa_config_path(ctx->cfg);

	if (stat(ctx->journal, &st) == 0 || errno != ENOENT)
		return 0;
	if (config != NULL)
		cli_msg("%s: no such journal: nothing is registered there yet, or the name is "
		        "wrong (-j, or journal = in %s; a relative name is taken from the working "
		        "directory; doc-route register creates it)", ctx->journal, config);
	else
		cli_msg("%s: no such journal, and no officeadm.ini was found (use -c, or set "
		        "OFFICEADM_CONFIG, as from cron): nothing is registered there yet",
		        ctx->journal);
	return -1;
}

int
dr_load(dr_ctx *ctx, oa_docjournal *j, long keep)
{
	oa_error err;

	memset(j, 0, sizeof *j);
	if (journal_exists(ctx) < 0)
		return -1;
	oa_error_clear(&err);
	if (oa_docjournal_load(j, ctx->journal, keep, &err) < 0) {
		cli_error(&err);
		oa_docjournal_release(j);
		return -1;
	}
	dr_journal_warnings(ctx, j);
	return 0;
}

/* The options of a write to the journal, with NOTES to fill. */
static oa_docjournal_options
journal_options(const dr_ctx *ctx, oa_docjournal_notes *notes)
{
	oa_docjournal_options jo;

	memset(&jo, 0, sizeof jo);
	memset(notes, 0, sizeof *notes);
	jo.incoming_code = ctx->incoming_code;
	jo.lock_timeout_ms = ctx->lock_timeout_ms;
	jo.who = cli_progname;
	jo.now = oa_calendar_now(&ctx->cal);
	jo.future_minutes = ctx->future_minutes;
	jo.notes = notes;
	return jo;
}

/* Prints what a write noted: a torn record moved aside, warnings. */
static void
print_notes(const dr_ctx *ctx, const oa_docjournal_notes *notes)
{
	if (notes->torn_saved[0] != '\0')
		cli_msg_at(ctx->journal, notes->torn_line,
		           "warning: an incomplete last record (a writer died mid-write) was moved "
		           "to %s", notes->torn_saved);
	for (int i = 0; i < notes->nwarnings; i++)
		cli_msg_at(notes->warnings[i].file, notes->warnings[i].line, "warning: %s",
		           notes->warnings[i].msg);
}

static oa_rules *
load_rules(dr_ctx *ctx)
{
	oa_error err;
	oa_rules *rules;

	oa_error_clear(&err);
	rules = oa_rules_load(ctx->cfg, &err);
	if (rules == NULL)
		cli_error(&err);
	return rules;
}

/* The documents read by register, and whether the header was looked at. */
typedef struct reg_docs {
	oa_doc *v;
	size_t n, cap;
} reg_docs;

/*
 * Keeps each document; on the header, warns about every named column that
 * register does not read (a 备注 or a 截止日期 would be dropped unsaid).
 * 序号, the row number every Chinese sheet has, is let be.
 */
static int
reg_one(void *arg, oa_doc *doc, const oa_csv_reader *r, const int *index, oa_error *err)
{
	reg_docs *c = arg;

	if (doc == NULL) {
		for (size_t h = 0; h < oa_csv_nfields(r); h++) {
			const char *text = oa_csv_field(r, h);
			bool known = false;
			for (int k = 0; k < OA_DC_NCOLS; k++)
				known |= index[k] == (int)h;
			if (known || strspn(text, " \t") == strlen(text) || strcmp(text, "序号") == 0)
				continue;
			cli_msg_at(oa_csv_name(r), oa_csv_line(r),
			           "warning: column %zu \"%s\" is not one register reads: ignored "
			           "(see doc-route(1) for the columns and their Chinese names)", h + 1,
			           text);
		}
		return 0;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		oa_doc *nv = realloc(c->v, ncap * sizeof *nv);
		if (nv == NULL)
			return oa_error_set(err, oa_csv_name(r), oa_csv_line(r), "out of memory");
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = *doc;
	memset(doc, 0, sizeof *doc);
	return 0;
}

/* Reads the documents CSV named by ARG for register. */
static int
read_documents(dr_ctx *ctx, const char *path, oa_date today, oa_doc **docs, size_t *n)
{
	oa_error err;
	reg_docs c = { NULL, 0, 0 };

	oa_error_clear(&err);
	if (oa_docs_each(path, &ctx->csv, &ctx->limits, &ctx->cal, today, ctx->code, reg_one, &c,
	                 &err) < 0) {
		cli_error(&err);
		oa_docs_free(c.v, c.n);
		return -1;
	}
	*docs = c.v;
	*n = c.n;
	return 0;
}

static int
set_encoding(dr_ctx *ctx, const char *name)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_encoding_parse(name, &ctx->csv.encoding, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

enum { OPT_AT = 256, OPT_BY, OPT_DEPARTMENT, OPT_NOTE, OPT_ENCODING, OPT_SHOW, OPT_EXPLAIN,
       OPT_EXCEL, OPT_DEADLINE, OPT_AGAIN, OPT_LAST, OPT_SEAL };

int
dr_output_open(const dr_ctx *ctx, cli_output *out, const char *path, bool classified)
{
	memset(out, 0, sizeof *out);
	if (cli_same_file(path, ctx->journal)) {
		cli_msg("\"%s\" is the journal: it cannot also take the output (-o)", path);
		return -1;
	}
	if (oa_config_path(ctx->cfg) != NULL && cli_same_file(path, oa_config_path(ctx->cfg))) {
		cli_msg("\"%s\" is the config file: it cannot also take the output (-o)", path);
		return -1;
	}
	if (cli_output_open(out, path, 0644) < 0)
		return -1;
	/* Classified titles are for the owner only: 0600 even when the file
	 * being replaced was readable by others. */
	if (classified && out->atomic)
		out->af.mode = 0600;
	return 0;
}

int
dr_register(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "again", no_argument, NULL, OPT_AGAIN },
		{ "at", required_argument, NULL, OPT_AT },
		{ "by", required_argument, NULL, OPT_BY },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "show-classified", no_argument, NULL, OPT_SHOW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_minute at = oa_calendar_now(&ctx->cal);
	const char *by = "", *path = NULL;
	bool show = false, again = false;
	oa_doc *docs = NULL;
	size_t n = 0;
	oa_doc_change *changes = NULL;
	oa_rules *rules = NULL;
	oa_csv_writer *w = NULL;
	int c, status = EXIT_TROUBLE;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AGAIN: again = true; break;
		case OPT_AT: if (parse_at(optarg, &at) < 0) return EXIT_TROUBLE; break;
		case OPT_BY: by = optarg; break;
		case OPT_ENCODING: if (set_encoding(ctx, optarg) < 0) return EXIT_TROUBLE; break;
		case OPT_SHOW: show = true; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage();
	if (argc == 1)
		path = argv[0];
	if (read_documents(ctx, path, (oa_date)(at / OA_MINUTES_PER_DAY), &docs, &n) < 0)
		return EXIT_TROUBLE;
	rules = load_rules(ctx);
	if (rules == NULL)
		goto out;
	changes = calloc(n ? n : 1, sizeof *changes);
	if (changes == NULL) {
		cli_msg("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		oa_error err;
		oa_error_clear(&err);
		if (oa_rules_route(rules, &docs[i], show, NULL, &err) < 0) {
			cli_error(&err);
			goto out;
		}
		changes[i].newdoc = &docs[i];
		changes[i].time = at;
		changes[i].actor = by;
		oa_error_clear(&err);
		if (oa_doc_check_dates(&docs[i], path ? path : "<stdin>",
		                       (oa_date)(at / OA_MINUTES_PER_DAY), &err) < 0)
			cli_msg_at(err.file, err.line, "warning: %s", err.msg);
		if (docs[i].deadline_computed)
			dr_calendar_warn(ctx, docs[i].received, docs[i].deadline,
			                 " (registered all the same: run doc-route recompute once "
			                 "the calendar has it)");
	}
	if (n == 0)
		cli_msg_at(path ? path : "<stdin>", 0,
		           "warning: no documents, only the header: nothing registered");
	if (n > 0) {
		oa_docjournal_notes notes;
		oa_docjournal_options jo = journal_options(ctx, &notes);
		oa_error err;
		jo.again = again;
		oa_error_clear(&err);
		if (oa_docjournal_record(ctx->journal, changes, n, &jo, &err) < 0) {
			cli_error(&err);
			goto out;
		}
		print_notes(ctx, &notes);
	}
	/* What was registered: the ids to use with step, number, slip. */
	w = oa_csv_writer_new(stdout, false);
	if (w == NULL) {
		cli_msg("out of memory");
		goto out;
	}
	oa_docreport_registered(w, changes, n, show);
	status = EXIT_DONE;
	{
		oa_error err;
		oa_error_clear(&err);
		if (oa_csv_writer_check(w, "<stdout>", &err) < 0) {
			/* The journal already holds them: say so, lest they be registered twice. */
			cli_error(&err);
			cli_msg("the %zu documents are recorded in the journal all the same "
			        "(doc-route status lists them): do not register them again", n);
			status = EXIT_TROUBLE;
		}
	}
out:
	oa_csv_writer_free(w);
	free(changes);
	oa_rules_free(rules);
	oa_docs_free(docs, n);
	return status;
}

int
dr_route(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "show-classified", no_argument, NULL, OPT_SHOW },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_route_report rep;
	oa_error calendar;
	oa_departments depts;
	const char *path = NULL, *outpath = NULL;
	bool excel = false;
	cli_output out;
	oa_error err;
	oa_rules *rules;
	int ch, status = EXIT_DONE;

	memset(&rep, 0, sizeof rep);
	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_EXPLAIN: rep.explain = true; break;
		case OPT_ENCODING: if (set_encoding(ctx, optarg) < 0) return EXIT_TROUBLE; break;
		case OPT_EXCEL: excel = true; break;
		case OPT_SHOW: rep.show_classified = true; break;
		case 'o': outpath = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage();
	if (argc == 1)
		path = argv[0];
	if (path != NULL && cli_same_file(outpath, path)) {
		cli_msg("\"%s\" is the documents CSV read: it cannot also take the output (-o)",
		        outpath);
		return EXIT_TROUBLE;
	}
	if (cli_input(path ? path : "-", 0) < 0)
		return EXIT_TROUBLE;
	rules = load_rules(ctx);
	if (rules == NULL)
		return EXIT_TROUBLE;
	oa_error_clear(&err);
	if (oa_departments_load(&depts, ctx->cfg, &err) < 0) {
		cli_error(&err);
		oa_rules_free(rules);
		return EXIT_TROUBLE;
	}
	if (dr_output_open(ctx, &out, outpath, rep.show_classified) < 0) {
		oa_departments_release(&depts);
		oa_rules_free(rules);
		return EXIT_TROUBLE;
	}
	rep.rules = rules;
	rep.depts = &depts;
	rep.fp = out.fp;
	rep.w = oa_csv_writer_new(out.fp, excel);
	oa_error_clear(&err);
	oa_error_clear(&calendar);
	rep.calendar = &calendar;
	if (rep.w == NULL ||
	    oa_docreport_route(path, &ctx->csv, &ctx->limits, &ctx->cal,
	                       oa_calendar_today(&ctx->cal), ctx->code, &rep, &err) < 0 ||
	    oa_csv_writer_check(rep.w, out.name, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	if (calendar.msg[0] != '\0')
		cli_msg_at(calendar.file[0] ? calendar.file : NULL, calendar.line, "warning: %s",
		           calendar.msg);
	oa_csv_writer_free(rep.w);
	oa_departments_release(&depts);
	oa_rules_free(rules);
	if (status == EXIT_TROUBLE)
		cli_output_abort(&out);
	else if (cli_output_commit(&out) < 0)
		status = EXIT_TROUBLE;
	return status;
}

/* Finds the document named TEXT (id or number); prints the error. */
static long
resolve_doc(dr_ctx *ctx, const char *text)
{
	oa_error err;
	long id;

	oa_error_clear(&err);
	id = oa_docjournal_resolve(ctx->journal, text, &err);
	if (id < 0)
		cli_error(&err);
	return id;
}

/* 超期办结: says so on stderr when document ID was done past its deadline. */
static void
report_done_late(dr_ctx *ctx, long id)
{
	oa_docjournal j;
	const oa_doc *d;

	if (dr_load(ctx, &j, 0) < 0)
		return;
	d = oa_docjournal_doc(&j, id);
	if (d != NULL && oa_doc_done_late(d)) {
		char deadline[11], done[11];
		long late = oa_calendar_count_workdays(&ctx->cal, d->deadline + 1, d->done_on);

		oa_date_format(d->deadline, deadline);
		oa_date_format(d->done_on, done);
		if (late > 0)
			cli_msg("document %ld: %s on %s, %ld working day%s after its deadline %s "
			        "(超期办结)", id, oa_step_name(d->step), done, late, late > 1 ? "s" : "",
			        deadline);
		else
			cli_msg("document %ld: %s on %s, after its deadline %s (超期办结)", id,
			        oa_step_name(d->step), done, deadline);
	}
	oa_docjournal_release(&j);
}

/*
 * An unknown step name: the closest known one if it is a likely slip
 * (成办 for 承办), and a hint when the arguments are the wrong way round.
 */
static void
unknown_step(const char *doc, const char *name)
{
	const char *best[4];
	size_t nbest = 0, best_d = (size_t)-1;
	char hint[128] = "";

	if (oa_step_parse(doc, strlen(doc)) != OA_STEP_NONE) {
		cli_msg("\"%s\" is a step and \"%s\" is not: the document comes first "
		        "(doc-route step %s %s)", doc, name, name, doc);
		return;
	}
	for (int i = 1; i < OA_STEP_COUNT; i++) {
		const char *cand[2] = { oa_step_name((oa_doc_step)i), oa_step_english((oa_doc_step)i) };
		for (int k = 0; k < 2; k++) {
			size_t d = oa_utf8_edit_distance(name, strlen(name), cand[k], strlen(cand[k]));
			size_t chars = oa_utf8_length(cand[k], strlen(cand[k]));
			if (d * 2 > chars || d > best_d)
				continue;
			if (d < best_d)
				nbest = 0;
			best_d = d;
			if (nbest < 4)
				best[nbest++] = cand[k];
		}
	}
	/* "did you mean 承办?", or with several as close "拟办, 批办 or 承办?" */
	for (size_t i = 0; i < nbest; i++)
		snprintf(hint + strlen(hint), sizeof hint - strlen(hint), "%s%s",
		         i == 0 ? ": did you mean " : i + 1 == nbest ? " or " : ", ", best[i]);
	if (nbest > 0)
		snprintf(hint + strlen(hint), sizeof hint - strlen(hint), "?");
	cli_msg("unknown step \"%s\"%s (签收 登记 初审 退回 拟办 批办 改办 承办 传阅 答复 "
	        "办结 归档 起草 审核 签发 复核 印制 核发 催办 延期, or in English)", name, hint);
}

static int
record_step(dr_ctx *ctx, int argc, char **argv, bool numbering)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		{ "by", required_argument, NULL, OPT_BY },
		{ "department", required_argument, NULL, OPT_DEPARTMENT },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "deadline", required_argument, NULL, OPT_DEADLINE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_doc_change change;
	oa_docjournal_notes notes;
	oa_docjournal_options jo = journal_options(ctx, &notes);
	oa_error err;
	int c;

	memset(&change, 0, sizeof change);
	change.time = oa_calendar_now(&ctx->cal);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AT: if (parse_at(optarg, &change.time) < 0) return EXIT_TROUBLE; break;
		case OPT_BY: change.actor = optarg; break;
		case OPT_DEPARTMENT: change.department = optarg; break;
		case OPT_NOTE: change.note = optarg; break;
		case OPT_DEADLINE:
			if (numbering || oa_date_parse(optarg, strlen(optarg), &change.deadline) < 0) {
				cli_msg("--deadline \"%s\" is not YYYY-MM-DD", optarg);
				return EXIT_TROUBLE;
			}
			change.has_deadline = true;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != (numbering ? 1 : 2))
		return usage();
	if (numbering) {
		change.step = OA_STEP_REGISTERED;
	} else {
		change.step = oa_step_parse(argv[1], strlen(argv[1]));
		if (change.step == OA_STEP_NONE) {
			unknown_step(argv[0], argv[1]);
			return EXIT_TROUBLE;
		}
		if (change.step == OA_STEP_RECOMPUTED) {
			cli_msg("重算 is recorded by \"doc-route recompute\", not by step; to give a "
			        "document another deadline, record 延期 with --deadline and --note");
			return EXIT_TROUBLE;
		}
		if (change.step == OA_STEP_EXTENDED &&
		    (!change.has_deadline || change.note == NULL || change.note[0] == '\0')) {
			cli_msg("延期 needs the new deadline (--deadline) and the reason (--note)");
			return EXIT_TROUBLE;
		}
		if (change.step == OA_STEP_REASSIGNED &&
		    (change.department == NULL || change.department[0] == '\0')) {
			cli_msg("改办 needs the department taking the document over (--department)");
			return EXIT_TROUBLE;
		}
		if (change.has_deadline && change.step != OA_STEP_EXTENDED) {
			cli_msg("--deadline goes with 延期 only (doc-route recompute redoes deadlines)");
			return EXIT_TROUBLE;
		}
	}
	change.doc = resolve_doc(ctx, argv[0]);
	if (change.doc < 0)
		return EXIT_TROUBLE;
	if (change.has_deadline && change.deadline - change.time / OA_MINUTES_PER_DAY > 366) {
		char when[11];
		oa_date_format(change.deadline, when);
		cli_msg("warning: the new deadline %s is more than a year away: check the year", when);
	}
	oa_error_clear(&err);
	if (oa_docjournal_record(ctx->journal, &change, 1, &jo, &err) < 0) {
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	print_notes(ctx, &notes);
	if (change.number[0] != '\0')
		printf("%s\n", change.number);
	if (change.step == OA_STEP_COMPLETED || change.step == OA_STEP_ISSUED)
		report_done_late(ctx, change.doc);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		/* The journal has it: say so, lest it be recorded twice. */
		cli_sys("<stdout>", "write error");
		if (change.number[0] != '\0')
			cli_msg("%s was numbered %s in the journal all the same; do not number it again "
			        "(doc-route log %s shows it)", argv[0], change.number, argv[0]);
		else
			cli_msg("the step is recorded in the journal all the same; do not record it "
			        "again (doc-route log %s shows it)", argv[0]);
		return EXIT_TROUBLE;
	}
	return EXIT_DONE;
}

int
dr_step(dr_ctx *ctx, int argc, char **argv)
{
	return record_step(ctx, argc, argv, false);
}

int
dr_number(dr_ctx *ctx, int argc, char **argv)
{
	return record_step(ctx, argc, argv, true);
}

/*
 * verify: reads the whole journal (chain, state file, every record) and
 * says nothing when it is sound; --last prints the last record's sequence
 * number and chain value, to keep elsewhere; --seal upgrades an old journal.
 */
int
dr_verify(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "last", no_argument, NULL, OPT_LAST },
		{ "seal", no_argument, NULL, OPT_SEAL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool last = false, seal = false;
	oa_docjournal j;
	oa_error err;
	int c, status = EXIT_DONE;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LAST: last = true; break;
		case OPT_SEAL: seal = true; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	if (argc - optind != 0)
		return usage();
	if (seal) {
		oa_docjournal_notes notes;
		oa_docjournal_options jo = journal_options(ctx, &notes);
		char kept[OA_ERROR_FILE_MAX + 64];
		oa_error_clear(&err);
		if (oa_docjournal_seal(ctx->journal, &jo, kept, sizeof kept, &err) < 0) {
			cli_error(&err);
			return EXIT_TROUBLE;
		}
		if (kept[0] != '\0')
			cli_msg_at(ctx->journal, 0, "sealed: every record now carries its chain value; "
			           "the old file is kept as %s", kept);
	}
	oa_error_clear(&err);
	if (oa_docjournal_load(&j, ctx->journal, 0, &err) < 0) {
		cli_error(&err);
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	if (j.torn_line > 0) {
		cli_msg_at(ctx->journal, j.torn_line, "column 1 (seq): an incomplete last record "
		           "(a writer died, or is writing now)");
		status = EXIT_TROUBLE;
	}
	if (j.complete_len > 0 && !j.chained) {
		cli_msg_at(ctx->journal, 0, "an old journal without the chain column: it cannot "
		           "be verified; run \"doc-route verify --seal\" once");
		status = EXIT_TROUBLE;
	}
	if (j.state_missing) {
		cli_msg_at(ctx->journal, 0, "no state file %s.state: records removed at the end "
		           "cannot be detected (the next step writes it)", ctx->journal);
		status = EXIT_TROUBLE;
	}
	if (last && status == EXIT_DONE)
		printf("%ld %s\n", j.last_seq, j.chained ? j.chain.last : "");
	oa_docjournal_release(&j);
	return status;
}

/*
 * recompute: the deadlines that came from the calendar, computed again on
 * the calendar as it is now, for the open documents (or those named); each
 * change recorded as a 重算 event, all in one append.
 */
static int
dr_recompute(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		{ "by", required_argument, NULL, OPT_BY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_minute at = oa_calendar_now(&ctx->cal);
	const char *by = "";
	oa_docjournal j;
	oa_doc_change *changes = NULL;
	char (*notes)[96] = NULL;
	size_t n = 0, skipped = 0;
	int c, status = EXIT_TROUBLE;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AT: if (parse_at(optarg, &at) < 0) return EXIT_TROUBLE; break;
		case OPT_BY: by = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (dr_load(ctx, &j, 0) < 0)
		return EXIT_TROUBLE;
	changes = calloc(j.ndocs ? j.ndocs : 1, sizeof *changes);
	notes = calloc(j.ndocs ? j.ndocs : 1, sizeof *notes);
	if (changes == NULL || notes == NULL) {
		cli_msg("out of memory");
		goto out;
	}
	/* Named documents must exist and be open; they are redone even when
	 * the journal does not say their deadline came from the calendar. */
	for (int i = 0; i < argc; i++) {
		const oa_doc *d = oa_docjournal_find(&j, argv[i]);
		if (d == NULL) {
			cli_msg("%s: no document \"%s\"", ctx->journal, argv[i]);
			goto out;
		}
		if (oa_step_done(d->direction, d->step)) {
			cli_msg("document %s is done (%s): its deadline stays", argv[i],
			        oa_step_name(d->step));
			goto out;
		}
	}
	for (size_t i = 0; i < j.ndocs; i++) {
		const oa_doc *d = &j.docs[i];
		bool named = false;
		oa_date now;
		char old[11];

		for (int k = 0; k < argc; k++)
			named |= oa_docjournal_find(&j, argv[k]) == d;
		if (argc > 0 ? !named : (oa_step_done(d->direction, d->step)))
			continue;
		if (!named && !d->deadline_computed) {
			skipped++;
			continue;
		}
		now = oa_doc_deadline(&ctx->limits, &ctx->cal, d->received, d->urgency);
		dr_calendar_warn(ctx, d->received, now, NULL);
		if (now == d->deadline)
			continue;
		changes[n].doc = d->id;
		changes[n].step = OA_STEP_RECOMPUTED;
		changes[n].time = at;
		changes[n].actor = by;
		changes[n].has_deadline = true;
		changes[n].deadline = now;
		oa_date_format(d->deadline, old);
		snprintf(notes[n], sizeof notes[n], "按工作日历重算，原期限 %s", old);
		changes[n].note = notes[n];
		n++;
	}
	if (n > 0) {
		oa_docjournal_notes jnotes;
		oa_docjournal_options jo = journal_options(ctx, &jnotes);
		oa_error err;
		oa_error_clear(&err);
		if (oa_docjournal_record(ctx->journal, changes, n, &jo, &err) < 0) {
			cli_error(&err);
			goto out;
		}
		print_notes(ctx, &jnotes);
	}
	/* What changed, as CSV: doc, new deadline, the note with the old one. */
	if (n > 0)
		printf("doc,deadline,note\n");
	for (size_t i = 0; i < n; i++) {
		char now[11];
		oa_date_format(changes[i].deadline, now);
		printf("%ld,%s,%s\n", changes[i].doc, now, notes[i]);
	}
	if (skipped > 0 && argc == 0)
		cli_msg("%zu open documents have a deadline that was given or extended, or not "
		        "marked as computed by an older doc-route: left alone (name them to "
		        "recompute them)", skipped);
	status = EXIT_DONE;
out:
	free(changes);
	free(notes);
	oa_docjournal_release(&j);
	return status;
}

/* workday: exit 0 on a working day, 1 otherwise; for cron's `&&`. */
static int
dr_workday(dr_ctx *ctx, int argc, char **argv)
{
	oa_date day;
	oa_error err;
	int c;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return usage();
	day = oa_calendar_today(&ctx->cal);
	if (argc == 1 && oa_date_parse(argv[0], strlen(argv[0]), &day) < 0) {
		cli_msg("\"%s\" is not YYYY-MM-DD", argv[0]);
		return EXIT_TROUBLE;
	}
	/* No guessing for a year the calendar does not know: a holiday might
	 * be taken for a working day (or a 调休 Saturday missed). */
	oa_error_clear(&err);
	if (oa_calendar_check_range(&ctx->cal, day, day, &err) < 0) {
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	return oa_calendar_is_workday(&ctx->cal, day) ? EXIT_DONE : EXIT_FINDINGS;
}

static const struct {
	const char *name;
	int (*run)(dr_ctx *, int, char **);
} commands[] = {
	{ "register", dr_register }, { "route", dr_route }, { "step", dr_step },
	{ "number", dr_number }, { "status", dr_status }, { "log", dr_log },
	{ "overdue", dr_overdue }, { "slip", dr_slip }, { "recompute", dr_recompute },
	{ "workday", dr_workday }, { "verify", dr_verify },
};

static int
load_settings(dr_ctx *ctx, const char *journal)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_calendar_load(&ctx->cal, ctx->cfg, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	if (oa_doc_limits_load(&ctx->limits, ctx->cfg, &err) < 0 ||
	    (ctx->lock_timeout_ms = oa_config_lock_timeout_ms(ctx->cfg, &err)) < 0 ||
	    oa_csv_options_load(&ctx->csv, ctx->cfg, &err) < 0) {
		cli_error(&err);
		oa_calendar_release(&ctx->cal);
		return -1;
	}
	if (oa_config_get_long(ctx->cfg, "doc-route", "future_minutes", 10, 0, 525600,
	                       &ctx->future_minutes, &err) < 0) {
		cli_error(&err);
		oa_calendar_release(&ctx->cal);
		return -1;
	}
	ctx->journal = journal ? journal
	               : oa_config_get_string(ctx->cfg, "doc-route", "journal", "documents.journal");
	/* The journal is an input of every subcommand: no output may replace it
	 * (only verify --seal rewrites it, with OA_ATOMIC_REWRITE). */
	if (cli_input(ctx->journal, OA_INPUT_REWRITABLE) < 0) {
		oa_calendar_release(&ctx->cal);
		return -1;
	}
	ctx->code = oa_config_get_string(ctx->cfg, "doc-route", "code", "");
	ctx->incoming_code = oa_config_get_string(ctx->cfg, "doc-route", "incoming_code", "收文");
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "journal", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *journal = NULL;
	static char subname[64];
	dr_ctx ctx;
	int c, status;

	cli_init(argv);
	while ((c = getopt_long(argc, argv, "+Vc:hj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'V': return cli_finish(cli_version());
		case 'c': config = optarg; break;
		case 'h': fputs(usage_text, stdout); return cli_finish(EXIT_DONE);
		case 'j': journal = optarg; break;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		memset(&ctx, 0, sizeof ctx);
		ctx.cfg = cli_load_config(config);
		if (ctx.cfg == NULL)
			return EXIT_TROUBLE;
		if (load_settings(&ctx, journal) < 0) {
			oa_config_free(ctx.cfg);
			return EXIT_TROUBLE;
		}
		optind = 0; /* glibc: start the subcommand's getopt afresh */
		/* getopt's own messages name argv[0]: "doc-route status: ...". */
		snprintf(subname, sizeof subname, "%s %s", cli_progname, commands[i].name);
		argv[0] = subname;
		status = commands[i].run(&ctx, argc, argv);
		oa_calendar_release(&ctx.cal);
		oa_config_free(ctx.cfg);
		return cli_finish(status);
	}
	cli_msg("unknown command \"%s\"", argv[0]);
	return usage();
}
