/*
 * doc-route - register, route, number and chase official documents.
 *
 * git-style: `doc-route [-c FILE] [-j JOURNAL] SUBCOMMAND [options] [args]`.
 * This file holds main() and the subcommands that write the journal
 * (register, step, number) or only read documents (route); report.c holds
 * the ones that read the journal (status, log, overdue, slip).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc-route.h"
#include "routing.h"

static const char usage_text[] =
	"usage: doc-route [-c config] [-j journal] command [options] [arguments]\n"
	"       doc-route register [--at time] [--by name] [--encoding enc] [--show-classified] [file]\n"
	"       doc-route route [--explain] [--encoding enc] [--excel] [--show-classified]\n"
	"                       [-o file] [file]\n"
	"       doc-route step [--at time] [--by name] [--department dept] [--note text] doc step\n"
	"       doc-route number [--at time] [--by name] [--note text] doc\n"
	"       doc-route status [--open] [--excel] [--show-classified] [-o file]\n"
	"       doc-route log [--excel] [-o file] doc\n"
	"       doc-route overdue [--as-of date] [--soon n] [--notices dir] [--excel]\n"
	"                         [--show-classified] [-o file]\n"
	"       doc-route slip [--show-classified] [-o file] doc\n";

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

int
dr_load(dr_ctx *ctx, oa_docjournal *j, long keep)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_docjournal_load(j, ctx->journal, keep, &err) < 0) {
		cli_error(&err);
		oa_docjournal_release(j);
		return -1;
	}
	return 0;
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

/* Reads the documents CSV named by ARG and routes every document. */
static int
read_documents(dr_ctx *ctx, const char *path, oa_date today, oa_doc **docs, size_t *n)
{
	oa_error err;
	oa_csv_options opt;

	oa_csv_options_init(&opt);
	opt.encoding = ctx->encoding;
	oa_error_clear(&err);
	if (oa_docs_read(path, &opt, &ctx->limits, &ctx->cal, today, ctx->code, docs, n,
	                 &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

static int
set_encoding(dr_ctx *ctx, const char *name)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_encoding_parse(name, &ctx->encoding, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

enum { OPT_AT = 256, OPT_BY, OPT_DEPARTMENT, OPT_NOTE, OPT_ENCODING, OPT_SHOW, OPT_EXPLAIN,
       OPT_EXCEL };

int
dr_register(dr_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		{ "by", required_argument, NULL, OPT_BY },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "show-classified", no_argument, NULL, OPT_SHOW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_minute at = oa_calendar_now(&ctx->cal);
	const char *by = "", *path = NULL;
	bool show = false;
	oa_doc *docs = NULL;
	size_t n = 0;
	oa_doc_change *changes = NULL;
	oa_rules *rules = NULL;
	oa_csv_writer *w = NULL;
	int c, status = EXIT_TROUBLE;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
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
	}
	if (n > 0) {
		oa_docjournal_options jo = { ctx->incoming_code, (int)ctx->lock_timeout_ms,
		                             cli_progname };
		oa_error err;
		oa_error_clear(&err);
		if (oa_docjournal_record(ctx->journal, changes, n, &jo, &err) < 0) {
			cli_error(&err);
			goto out;
		}
	}
	/* What was registered: the ids to use with step, number, slip. */
	w = oa_csv_writer_new(stdout, false);
	if (w == NULL) {
		cli_msg("out of memory");
		goto out;
	}
	{
		static const char *const head[] = { "doc", "direction", "type", "title", "deadline",
		                                    "lead", "co", "leader", "circulate" };
		oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	}
	for (size_t i = 0; i < n; i++) {
		char id[24], deadline[11];
		snprintf(id, sizeof id, "%ld", changes[i].assigned_doc);
		oa_date_format(docs[i].deadline, deadline);
		const char *row[] = { id, oa_direction_name(docs[i].direction),
		                      oa_doc_types[docs[i].type], oa_doc_title_shown(&docs[i], show),
		                      deadline, docs[i].lead, docs[i].co, docs[i].leader,
		                      docs[i].circulate };
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
	status = EXIT_DONE;
out:
	oa_csv_writer_free(w);
	free(changes);
	oa_rules_free(rules);
	oa_docs_free(docs, n);
	return status;
}

/* route: the columns it fills, found in the input or appended. */
enum { RC_DEADLINE, RC_LEAD, RC_CO, RC_LEADER, RC_CIRCULATE, RC_N };
static const oa_column route_columns[RC_N] = {
	{ "deadline", NULL }, /* found through oa_doc_columns */
	{ "lead", "主办|主办部门|主办单位" },
	{ "co", "协办|协办部门|协办单位" },
	{ "leader", "批办|批办领导" },
	{ "circulate", "传阅|传阅范围" },
};

typedef struct route_ctx {
	const oa_rules *rules;
	oa_departments depts;
	bool explain, show;
	FILE *fp;
	oa_csv_writer *w;
	size_t n, width;
	long pos[RC_N];   /* header position, or -1: appended */
	long title;       /* header position of the title */
} route_ctx;

/*
 * For --explain: a lead department (in LIST) not in [departments], whose
 * head the 督办 notices cannot address.
 */
static void
note_unknown(route_ctx *c, const char *list)
{
	char **items;
	size_t n;

	if (c->depts.count == 0)
		return;
	n = oa_config_split_list(list, &items);
	for (size_t i = 0; i < n; i++)
		if (oa_departments_find(&c->depts, items[i], strlen(items[i])) == NULL)
			fprintf(c->fp, "   (%s is not in [departments]: no notice can reach its head)\n",
			        items[i]);
	free(items);
}

static int
route_one(void *arg, oa_doc *doc, const oa_csv_reader *r, const int *index, oa_error *err)
{
	route_ctx *c = arg;
	char deadline[11], *text = NULL;
	const char *value[RC_N];

	if (doc == NULL) { /* the header */
		c->width = oa_csv_nfields(r);
		c->title = index[OA_DC_TITLE];
		c->pos[RC_DEADLINE] = index[OA_DC_DEADLINE];
		for (int k = RC_LEAD; k < RC_N; k++) {
			c->pos[k] = -1;
			for (size_t i = 0; i < c->width; i++)
				if (oa_column_matches(&route_columns[k], oa_csv_field(r, i),
				                      oa_csv_field_len(r, i)))
					c->pos[k] = (long)i;
		}
		if (c->explain)
			return 0;
		for (size_t i = 0; i < c->width; i++)
			oa_csv_write_field(c->w, oa_csv_field(r, i), oa_csv_field_len(r, i));
		for (int k = 0; k < RC_N; k++)
			if (c->pos[k] < 0)
				oa_csv_write_str(c->w, route_columns[k].name);
		oa_csv_end_record(c->w);
		return 0;
	}
	if (oa_rules_route(c->rules, doc, c->show, c->explain ? &text : NULL, err) < 0)
		return -1;
	c->n++;
	oa_date_format(doc->deadline, deadline);
	if (c->explain) {
		fprintf(c->fp, "%s%zu: %s (%s)\n%s=> lead %s; co %s; leader %s; circulate %s\n",
		        c->n > 1 ? "\n" : "", c->n, oa_doc_title_shown(doc, c->show),
		        oa_doc_types[doc->type], text, doc->lead[0] ? doc->lead : "-",
		        doc->co[0] ? doc->co : "-", doc->leader[0] ? doc->leader : "-",
		        doc->circulate[0] ? doc->circulate : "-");
		free(text);
		note_unknown(c, doc->lead);
		return 0;
	}
	value[RC_DEADLINE] = deadline;
	value[RC_LEAD] = doc->lead;
	value[RC_CO] = doc->co;
	value[RC_LEADER] = doc->leader;
	value[RC_CIRCULATE] = doc->circulate;
	for (size_t i = 0; i < c->width; i++) {
		const char *cell = NULL;
		for (int k = 0; k < RC_N; k++)
			if (c->pos[k] == (long)i)
				cell = value[k];
		if ((long)i == c->title)
			cell = oa_doc_title_shown(doc, c->show);
		if (cell != NULL)
			oa_csv_write_str(c->w, cell);
		else
			oa_csv_write_field(c->w, oa_csv_field(r, i), oa_csv_field_len(r, i));
	}
	for (int k = 0; k < RC_N; k++)
		if (c->pos[k] < 0)
			oa_csv_write_str(c->w, value[k]);
	oa_csv_end_record(c->w);
	return 0;
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
	route_ctx c;
	const char *path = NULL, *outpath = NULL;
	bool excel = false;
	cli_output out;
	oa_csv_options opt;
	oa_error err;
	oa_rules *rules;
	int ch, status = EXIT_DONE;

	memset(&c, 0, sizeof c);
	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_EXPLAIN: c.explain = true; break;
		case OPT_ENCODING: if (set_encoding(ctx, optarg) < 0) return EXIT_TROUBLE; break;
		case OPT_EXCEL: excel = true; break;
		case OPT_SHOW: c.show = true; break;
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
	rules = load_rules(ctx);
	if (rules == NULL)
		return EXIT_TROUBLE;
	oa_error_clear(&err);
	if (oa_departments_load(&c.depts, ctx->cfg, &err) < 0) {
		cli_error(&err);
		oa_rules_free(rules);
		return EXIT_TROUBLE;
	}
	if (cli_output_open(&out, outpath, 0644) < 0) {
		oa_departments_release(&c.depts);
		oa_rules_free(rules);
		return EXIT_TROUBLE;
	}
	c.rules = rules;
	c.fp = out.fp;
	c.w = oa_csv_writer_new(out.fp, excel);
	oa_csv_options_init(&opt);
	opt.encoding = ctx->encoding;
	oa_error_clear(&err);
	if (c.w == NULL ||
	    oa_docs_each(path, &opt, &ctx->limits, &ctx->cal, oa_calendar_today(&ctx->cal),
	                 ctx->code, route_one, &c, &err) < 0 ||
	    oa_csv_writer_check(c.w, out.name, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	oa_csv_writer_free(c.w);
	oa_departments_release(&c.depts);
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
	oa_docjournal j;
	const oa_doc *d;
	long id;

	if (dr_load(ctx, &j, 0) < 0)
		return -1;
	d = oa_docjournal_find(&j, text);
	id = d ? d->id : -1;
	if (d == NULL)
		cli_msg_at(ctx->journal, 0, "no document \"%s\"", text);
	oa_docjournal_release(&j);
	return id;
}

static int
record_step(dr_ctx *ctx, int argc, char **argv, bool numbering)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		{ "by", required_argument, NULL, OPT_BY },
		{ "department", required_argument, NULL, OPT_DEPARTMENT },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_doc_change change;
	oa_docjournal_options jo = { ctx->incoming_code, (int)ctx->lock_timeout_ms, cli_progname };
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
			cli_msg("unknown step \"%s\" (签收 登记 初审 退回 拟办 批办 承办 传阅 办结 归档 "
			        "起草 审核 签发 复核 印制 核发 催办, or in English)", argv[1]);
			return EXIT_TROUBLE;
		}
	}
	change.doc = resolve_doc(ctx, argv[0]);
	if (change.doc < 0)
		return EXIT_TROUBLE;
	oa_error_clear(&err);
	if (oa_docjournal_record(ctx->journal, &change, 1, &jo, &err) < 0) {
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	if (change.number[0] != '\0')
		printf("%s\n", change.number);
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

static const struct {
	const char *name;
	int (*run)(dr_ctx *, int, char **);
} commands[] = {
	{ "register", dr_register }, { "route", dr_route }, { "step", dr_step },
	{ "number", dr_number }, { "status", dr_status }, { "log", dr_log },
	{ "overdue", dr_overdue }, { "slip", dr_slip },
};

static int
load_settings(dr_ctx *ctx, const char *journal)
{
	oa_error err;
	long secs;
	const char *enc;

	oa_error_clear(&err);
	if (oa_calendar_load(&ctx->cal, ctx->cfg, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	if (oa_doc_limits_load(&ctx->limits, ctx->cfg, &err) < 0 ||
	    oa_config_get_long(ctx->cfg, "general", "lock_timeout", 10, 0, 86400, &secs, &err) < 0) {
		cli_error(&err);
		oa_calendar_release(&ctx->cal);
		return -1;
	}
	ctx->lock_timeout_ms = secs * 1000;
	ctx->journal = journal ? journal
	               : oa_config_get_string(ctx->cfg, "doc-route", "journal", "documents.journal");
	ctx->code = oa_config_get_string(ctx->cfg, "doc-route", "code", "");
	ctx->incoming_code = oa_config_get_string(ctx->cfg, "doc-route", "incoming_code", "收文");
	enc = oa_config_get_string(ctx->cfg, "general", "encoding", "auto");
	if (oa_encoding_parse(enc, &ctx->encoding, &err) < 0) {
		cli_error(&err);
		oa_calendar_release(&ctx->cal);
		return -1;
	}
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
	dr_ctx ctx;
	int c, status;

	cli_init(argv[0]);
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
		status = commands[i].run(&ctx, argc, argv);
		oa_calendar_release(&ctx.cal);
		oa_config_free(ctx.cfg);
		return cli_finish(status);
	}
	cli_msg("unknown command \"%s\"", argv[0]);
	return usage();
}
