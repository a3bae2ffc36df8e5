/*
 * asset-log - what happens to an asset between entering the register and
 * leaving it: transfers, loans, repairs and disposal, journalled with the
 * register updated under the same lock; its history; the leadership's
 * reports; depreciation.
 *
 * git-style: `asset-log [-c FILE] [-r REGISTER] [-j JOURNAL] COMMAND ...`.
 * Every command parses its own options from argv[0] on; argv[0] is
 * "asset-log NAME" there, for getopt's messages, and c->command is NAME.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assetjournal.h"
#include "assetregister.h"
#include "assetreport.h"
#include "cli.h"
#include "config.h"
#include "departments.h"
#include "depreciation.h"
#include "tag.h"
#include "utf8.h"

static const char usage_text[] =
	"usage: asset-log [-c config] [-r register] [-j journal] command [options] [arguments]\n"
	"       asset-log transfer [common] [--department d] [--custodian p] [--location l] tag ...\n"
	"       asset-log lend [common] --to person [--borrower-department d] --due date tag ...\n"
	"       asset-log return [common] tag ...\n"
	"       asset-log repair [common] tag ...\n"
	"       asset-log repaired [common] tag ...\n"
	"       asset-log dispose [common] --method m --reason text --approver name\n"
	"                         --document number tag ...\n"
	"       asset-log apply [common] [--encoding enc] [--again] [file]\n"
	"         (a list with mistakes: every one named with its line, nothing recorded)\n"
	"         common: [--date date] [--by name] [--note text] [--today date]\n"
	"       asset-log history [--excel] [-o file] tag\n"
	"       asset-log holder [--date date] [--today date] tag\n"
	"       asset-log check [--history] [--excel] [-o file]\n"
	"       asset-log rebuild -o file\n"
	"       asset-log summary [--by-department] [--excel] [-o file]\n"
	"       asset-log overdue [--as-of date] [--notices dir] [--excel] [-o file]\n"
	"       asset-log missing [--excel] [-o file]\n"
	"       asset-log depreciation [--from yyyy-mm] [--to yyyy-mm] [--by-department]\n"
	"                              [--excel] [-o file]\n";

typedef struct ctx {
	/* What main() was given; settle() loads the rest once a command has
	 * read its options, so that COMMAND --help needs no configuration. */
	const char *config_arg, *reg_arg, *journal_arg;
	const char *command;   /* the subcommand's name (argv[0] names it for getopt) */
	bool settled;
	oa_config *cfg;
	const char *reg;       /* register path */
	const char *journal;   /* journal path */
	char *journal_buf;     /* when derived from the register's name */
	oa_csv_options csv;
	int lock_timeout_ms;
	oa_assetlog_locks locks; /* a reader's, held to the end of the run */
} ctx;

static int
usage(void)
{
	return cli_usage(usage_text);
}

static int settle(ctx *c);

enum { OPT_DATE = 256, OPT_BY, OPT_NOTE, OPT_TODAY, OPT_DEPARTMENT, OPT_CUSTODIAN,
       OPT_LOCATION, OPT_TO, OPT_BDEPT, OPT_DUE, OPT_METHOD, OPT_REASON, OPT_APPROVER,
       OPT_DOCUMENT, OPT_ENCODING, OPT_EXCEL, OPT_AS_OF, OPT_NOTICES, OPT_BY_DEPT, OPT_FROM,
       OPT_TO_MONTH, OPT_HISTORY, OPT_AGAIN };

static int
parse_date(const char *opt, const char *s, oa_date *out)
{
	if (oa_date_parse_excel(s, strlen(s), out) < 0) {
		cli_msg("%s \"%s\" is not a date (2026-12-20, 2026/12/20 or 2026年12月20日%s)", opt, s,
		        oa_date_looks_like_serial(s, strlen(s))
		        ? "; a number such as 46020 is Excel's day number: copy the date as text" : "");
		return -1;
	}
	return 0;
}

/*
 * --today moves "today" back (a late entry, a test, a cron job's fixed
 * day), never forward: a day after the clock's would date events in the
 * future, and every later event on the asset would then be refused as
 * before its last.
 */
static int
parse_today(const char *s, oa_date *out)
{
	return parse_date("--today", s, out);
}

/*
 * TODAY once the configuration is loaded (settle: "today" is the office's
 * [calendar] timezone's, whatever zone the machine runs in): the clock's
 * when no --today was given (-1), else --today, which may not be later.
 */
static int
today_settled(oa_date *today)
{
	char buf[11], now[11];
	oa_date clock = oa_date_today();

	if (*today < 0) {
		*today = clock;
	} else if (*today > clock) {
		oa_date_format(*today, buf);
		oa_date_format(clock, now);
		cli_msg("--today %s is after today (%s): it may move today back, not forward", buf,
		        now);
		return -1;
	}
	return 0;
}

/*
 * An option given twice with two values (--location 301室 --location
 * 302室): which one was meant is a guess, so it is refused, as a key
 * repeated in the configuration is.  -1 after saying so.
 */
static int
set_once(const char *opt, const char **slot, const char *value)
{
	if (*slot != NULL && strcmp(*slot, value) != 0) {
		cli_msg("%s given twice (\"%s\" and \"%s\"): give it once", opt, *slot, value);
		return -1;
	}
	*slot = value;
	return 0;
}

/*
 * An option's text goes into the journal and the register, which are
 * UTF-8: bytes of another encoding (a GBK terminal, a script saved in GBK)
 * would make both unreadable, so they are refused, naming the option.
 */
static int
option_text(const char *opt, const char *value)
{
	size_t bad;

	if (value == NULL || oa_utf8_valid(value, strlen(value), &bad) == 0)
		return 0;
	cli_msg("%s: the text is not UTF-8 (byte %zu): was it typed in a GBK terminal or "
	        "saved by a GBK script? nothing changed", opt, bad + 1);
	return -1;
}

/*
 * S without the spaces around it (typed or pasted "财务科 ", a full-width
 * or no-break space from a spreadsheet), in place.
 */
static char *
trimmed(char *s)
{
	const char *t = s;
	size_t n = strlen(s);

	oa_utf8_trim(&t, &n);
	s += t - s;
	s[n] = '\0';
	return s;
}

/*
 * Whether option OPT's value S is one line.  A journal record is one line
 * (the hash chain, and the cut of a record a crash left half written, go
 * by lines), so a line break in a value cannot be kept: refused, not
 * turned into a space behind the user's back.
 */
static bool
one_line(const char *opt, const char *s)
{
	if (s != NULL && strpbrk(s, "\n\r") != NULL) {
		cli_msg("%s has a line break: a journal record is one line, so give the text on "
		        "one line", opt);
		return false;
	}
	return true;
}

static bool
need_register(const ctx *c)
{
	if (c->reg == NULL) {
		cli_msg("no register: give -r FILE or set [asset-log] register");
		return false;
	}
	return true;
}

/*
 * A register that history or holder could not read (they answer from the
 * journal alone): said as a warning, with the file beside it whose name is
 * close when it is not there (cli_error).
 */
static void
register_unread(const oa_error *err)
{
	oa_error w = *err;

	snprintf(w.msg, sizeof w.msg, "warning: %.900s; the journal alone answers", err->msg);
	cli_error(&w);
}

/* The register's total rows (合计), skipped: said, so nothing is silent. */
static void
warn_totals(const ctx *c, const oa_register *reg)
{
	for (size_t i = 0; i < reg->ntotals; i++)
		cli_msg_at(c->reg, reg->total_lines[i],
		           "warning: a total row (%s) is not an asset: skipped", reg->total_words[i]);
}

/*
 * The tag as the register spells it, into BUF, when the register has TAG in
 * another case or without its hyphens (bgs20260001o); else TAG itself, and
 * in HINT what oa_register_suggest says about it.
 * The journal names tags as the register does.
 */
static const char *
register_spelling(const ctx *c, const char *tag, char *buf, size_t cap, char *hint,
                  size_t hcap)
{
	oa_register reg;
	oa_error err;
	const char *out = tag;

	hint[0] = '\0';
	if (c->reg == NULL)
		return tag;
	oa_error_clear(&err);
	if (oa_register_load(&reg, c->reg, &c->csv, &err) < 0) {
		register_unread(&err);
	} else {
		long row = oa_register_find(&reg, tag, strlen(tag));
		warn_totals(c, &reg);
		if (row >= 0) {
			snprintf(buf, cap, "%s", oa_register_get(&reg, (size_t)row, OA_REG_TAG));
			out = buf;
		} else {
			oa_register_suggest(&reg, tag, strlen(tag), hint, hcap);
		}
	}
	oa_register_release(&reg);
	return out;
}

/* ---- recording ---- */

/*
 * A journal named with -j that is not there while a file beside it has a
 * close name and the same ending (-j 台帐.csv.journal for 台账.csv.journal):
 * said, not taken for a new, empty journal, which a first event would
 * start.  False after saying so.
 */
static bool
journal_not_mistyped(const ctx *c)
{
	char near[4096];
	struct stat sb;

	const char *ext, *next;

	/* Named by hand (-j): a journal named after the register is the
	 * register's, however close another register's journal is. */
	if (c->journal_arg == NULL || c->journal == NULL || stat(c->journal, &sb) == 0 ||
	    errno != ENOENT || !cli_near_file(c->journal, near, sizeof near))
		return true;
	/* Only a file named as a journal is (the same ending: .journal), not
	 * the register beside it or its state file. */
	ext = strrchr(c->journal, '.');
	next = strrchr(near, '.');
	if (ext == NULL || next == NULL || strcmp(ext, next) != 0 ||
	    (c->reg != NULL && cli_same_file(near, c->reg)))
		return true;
	cli_msg_at(c->journal, 0, "no such journal (did you mean %s?): give its name with -j, or "
	           "move that file aside to start a new journal here", near);
	return false;
}

enum { SHOWN = 20 }; /* problems listed after the first */

/* The problems a list had after its first (already said), and how many in all. */
static void
more_problems(const oa_asset_problems *p, bool form)
{
	if (p->n == 0)
		return;
	for (size_t i = 0; i < p->n; i++)
		cli_error(&p->v[i]);
	if (p->more > 0)
		cli_msg("and %zu more problem%s not shown", p->more, p->more == 1 ? "" : "s");
	if (form)
		cli_msg("%zu rows of the wrong form: nothing recorded (the events are checked "
		        "against the register once these are put right)", 1 + p->n + p->more);
	else
		cli_msg("%zu problems in all: nothing recorded", 1 + p->n + p->more);
}

static int
record(ctx *c, oa_asset_change *changes, size_t n, oa_date today, bool list)
{
	oa_assetlog_options opt;
	oa_asset_changes_skipped totals;
	oa_departments depts;
	oa_error err, later[SHOWN];
	oa_asset_problems problems = { later, SHOWN, 0, 0 };
	int rc;

	if (!journal_not_mistyped(c))
		return EXIT_TROUBLE;
	oa_error_clear(&err);
	if (oa_departments_load(&depts, c->cfg, &err) < 0) {
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	memset(&opt, 0, sizeof opt);
	opt.lock_timeout_ms = c->lock_timeout_ms;
	opt.who = "asset-log";
	opt.depts = &depts;
	opt.today = today;
	opt.now = oa_minute_now();
	opt.csv = c->csv;
	opt.refuse_repeat = list;
	opt.problems = &problems;
	memset(&totals, 0, sizeof totals);
	opt.register_totals = &totals;
	rc = oa_assetlog_record(c->journal, c->reg, changes, n, &opt, &err);
	for (size_t i = 0; i < totals.n; i++)
		cli_msg_at(c->reg, totals.lines[i],
		           "warning: a total row (%s) is not an asset: skipped", totals.words[i]);
	oa_asset_changes_skipped_release(&totals);
	if (rc != 0)
		cli_error(&err); /* rc 1: a warning, the events are recorded */
	if (rc < 0)
		more_problems(&problems, false);
	oa_departments_release(&depts);
	return rc < 0 ? EXIT_TROUBLE : EXIT_DONE;
}

/* transfer, lend, return, repair, repaired, dispose: one event per tag. */
static int
cmd_event(ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "by", required_argument, NULL, OPT_BY },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "department", required_argument, NULL, OPT_DEPARTMENT },
		{ "custodian", required_argument, NULL, OPT_CUSTODIAN },
		{ "location", required_argument, NULL, OPT_LOCATION },
		{ "to", required_argument, NULL, OPT_TO },
		{ "borrower-department", required_argument, NULL, OPT_BDEPT },
		{ "due", required_argument, NULL, OPT_DUE },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "approver", required_argument, NULL, OPT_APPROVER },
		{ "document", required_argument, NULL, OPT_DOCUMENT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_asset_change proto;
	oa_asset_change *v;
	oa_date today = -1;
	bool dated = false;
	int opt, rc = 0;

	memset(&proto, 0, sizeof proto);
	proto.kind = oa_asset_event_parse(c->command, strlen(c->command), &proto.method);
	proto.due = -1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_DATE:
			if (parse_date("--date", optarg, &proto.date) < 0)
				return EXIT_TROUBLE;
			dated = true;
			break;
		case OPT_TODAY:
			if (parse_today(optarg, &today) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_DUE:
			if (parse_date("--due", optarg, &proto.due) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_BY: rc = set_once("--by", &proto.actor, trimmed(optarg)); break;
		case OPT_NOTE: rc = set_once("--note", &proto.note, optarg); break;
		case OPT_DEPARTMENT:
			rc = set_once("--department", &proto.department, trimmed(optarg));
			break;
		case OPT_CUSTODIAN:
			rc = set_once("--custodian", &proto.custodian, trimmed(optarg));
			break;
		case OPT_LOCATION:
			rc = set_once("--location", &proto.location, trimmed(optarg));
			break;
		case OPT_TO: rc = set_once("--to", &proto.borrower, trimmed(optarg)); break;
		case OPT_BDEPT:
			rc = set_once("--borrower-department", &proto.borrower_department,
			              trimmed(optarg));
			break;
		case OPT_REASON: rc = set_once("--reason", &proto.reason, optarg); break;
		case OPT_APPROVER:
			rc = set_once("--approver", &proto.approver, trimmed(optarg));
			break;
		case OPT_DOCUMENT:
			rc = set_once("--document", &proto.document, trimmed(optarg));
			break;
		case OPT_METHOD: {
			oa_disposal_method m = oa_disposal_method_parse(optarg, strlen(optarg));
			if (m == OA_DISPOSE_NONE) {
				cli_msg("--method \"%s\" is not scrap (报废), sale (出售) or donation (捐赠)",
				        optarg);
				return EXIT_TROUBLE;
			}
			if (proto.method != OA_DISPOSE_NONE && proto.method != m) {
				cli_msg("\"%s\" and --method \"%s\" disagree", c->command, optarg);
				return EXIT_TROUBLE;
			}
			proto.method = m;
			break;
		}
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
		if (rc < 0)
			return EXIT_TROUBLE;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		cli_msg("%s of what? give the tag of each asset", oa_asset_event_name(proto.kind));
		return usage();
	}
	/* Options that do not belong to the event are mistakes, not ignored. */
	{
		const struct { bool given; oa_asset_event_kind kind; const char *name; } own[] = {
			{ proto.department != NULL, OA_AEV_TRANSFER, "--department" },
			{ proto.custodian != NULL, OA_AEV_TRANSFER, "--custodian" },
			{ proto.location != NULL, OA_AEV_TRANSFER, "--location" },
			{ proto.borrower != NULL, OA_AEV_LEND, "--to" },
			{ proto.borrower_department != NULL, OA_AEV_LEND, "--borrower-department" },
			{ proto.due >= 0, OA_AEV_LEND, "--due" },
			{ proto.reason != NULL, OA_AEV_DISPOSE, "--reason" },
			{ proto.approver != NULL, OA_AEV_DISPOSE, "--approver" },
			{ proto.document != NULL, OA_AEV_DISPOSE, "--document" },
			{ proto.method != OA_DISPOSE_NONE, OA_AEV_DISPOSE, "--method" },
		};
		for (size_t k = 0; k < sizeof own / sizeof own[0]; k++)
			if (own[k].given && own[k].kind != proto.kind) {
				cli_msg("%s belongs to %s, not to %s", own[k].name,
				        oa_asset_event_name(own[k].kind), oa_asset_event_name(proto.kind));
				return usage();
			}
	}
	{
		const struct { const char *name, *value; } text[] = {
			{ "--by", proto.actor }, { "--note", proto.note },
			{ "--department", proto.department }, { "--custodian", proto.custodian },
			{ "--location", proto.location }, { "--to", proto.borrower },
			{ "--borrower-department", proto.borrower_department },
			{ "--reason", proto.reason }, { "--approver", proto.approver },
			{ "--document", proto.document },
		};
		for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
			if (option_text(text[k].name, text[k].value) < 0 ||
			    !one_line(text[k].name, text[k].value))
				return EXIT_TROUBLE;
	}
	if (settle(c) < 0 || today_settled(&today) < 0 || !need_register(c))
		return EXIT_TROUBLE;
	if (!dated)
		proto.date = today;
	v = calloc((size_t)argc, sizeof *v);
	if (v == NULL) {
		cli_msg("out of memory");
		return EXIT_TROUBLE;
	}
	for (int i = 0; i < argc; i++) {
		v[i] = proto;
		v[i].tag = argv[i];
	}
	rc = record(c, v, (size_t)argc, today, false);
	free(v);
	return rc;
}

static int
cmd_apply(ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "by", required_argument, NULL, OPT_BY },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "again", no_argument, NULL, OPT_AGAIN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	oa_date today = -1, date = -1;
	const char *by = NULL;
	bool again = false;
	oa_csv_options csv = c->csv;
	oa_asset_change *v;
	oa_asset_changes_skipped skipped;
	size_t n;
	char *store;
	oa_error err, later[SHOWN];
	oa_asset_problems problems = { later, SHOWN, 0, 0 };
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_DATE:
			if (parse_date("--date", optarg, &date) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_TODAY:
			if (parse_today(optarg, &today) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_BY: by = optarg; break;
		case OPT_AGAIN: again = true; break;
		case OPT_ENCODING:
			oa_error_clear(&err);
			if (oa_encoding_parse(optarg, &csv.encoding, &err) < 0) {
				cli_error(&err);
				return EXIT_TROUBLE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		cli_msg("apply reads one list of events, not %d files", argc);
		return usage();
	}
	if (option_text("--by", by) < 0 || !one_line("--by", by) || settle(c) < 0 ||
	    today_settled(&today) < 0 || !need_register(c))
		return EXIT_TROUBLE;
	if (argc == 1 && (cli_same_file(argv[0], c->reg) || cli_same_file(argv[0], c->journal))) {
		cli_msg("\"%s\" is the register or the journal, not a list of events", argv[0]);
		return EXIT_TROUBLE;
	}
	if (argc == 0 && (cli_stdin_closed || isatty(STDIN_FILENO))) {
		/* Nothing to read, or a person who meant to name a file. */
		cli_msg("no list of events: give it as a file (apply 搬迁.csv) or pipe it in");
		return EXIT_TROUBLE;
	}
	if (cli_input(argc ? argv[0] : "-", 0) < 0)
		return EXIT_TROUBLE;
	oa_error_clear(&err);
	if (oa_asset_changes_read_all(argc ? argv[0] : "-", &csv, date >= 0 ? date : today, by, &v,
	                              &n, &store, &skipped, &problems, &err) < 0) {
		cli_error(&err);
		more_problems(&problems, true);
		oa_asset_changes_skipped_release(&skipped);
		return EXIT_TROUBLE;
	}
	for (size_t i = 0; i < skipped.n; i++)
		cli_msg_at(n > 0 ? v[0].file : argc ? argv[0] : "<stdin>", skipped.lines[i],
		           "warning: a total row (%s) is not an event: skipped", skipped.words[i]);
	oa_asset_changes_skipped_release(&skipped);
	if (n == 0) {
		/* A header and no rows (a day with no changes): nothing to do. */
		free(v);
		free(store);
		return EXIT_DONE;
	}
	rc = record(c, v, n, today, !again);
	free(v);
	free(store);
	return rc;
}

/* ---- reading ---- */

/*
 * A reader takes the register's lock (when there is a register) and, when
 * it reads the journal, the journal's, shared: reports run together, and
 * never while an event is being recorded.  main() releases them.
 */
static int
lock_read(ctx *c, bool journal)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_assetlog_lock_read(&c->locks, c->reg, journal ? c->journal : NULL,
	                          c->lock_timeout_ms, "asset-log", &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

static int
load_journal_as_of(ctx *c, oa_assetjournal *j, const char *keep, oa_date as_of)
{
	oa_error err;

	if (!journal_not_mistyped(c)) {
		memset(j, 0, sizeof *j);
		return -1;
	}
	oa_error_clear(&err);
	if (oa_assetjournal_load_as_of(j, c->journal, keep, as_of, &err) < 0) {
		cli_error(&err);
		oa_assetjournal_release(j);
		return -1;
	}
	if (j->torn_line > 0)
		cli_msg_at(c->journal, j->torn_line,
		           "warning: the last record was cut short (a run was killed while writing "
		           "it) and is left out (the next change moves it to JOURNAL.torn-TIME)");
	if (j->pending > 0)
		cli_msg_at(c->journal, j->pending_first_line,
		           "warning: %ld events at the end were never committed and are left out "
		           "(the next change settles them)", j->pending);
	return 0;
}

static int
load_journal(ctx *c, oa_assetjournal *j, const char *keep)
{
	return load_journal_as_of(c, j, keep, OA_NO_DAY);
}

static int
load_register(ctx *c, oa_register *reg)
{
	oa_error err;

	if (!need_register(c))
		return -1;
	oa_error_clear(&err);
	if (oa_register_load(reg, c->reg, &c->csv, &err) < 0) {
		cli_error(&err);
		oa_register_release(reg);
		return -1;
	}
	/* A status word no rule knows (未找到, 待报废) is counted as typed by
	 * the reports, and no event may follow it: named, not passed over. */
	for (size_t r = 0; reg->unknown_statuses > 0 && r < reg->nrows; r++) {
		const char *st = oa_register_get(reg, r, OA_REG_STATUS);
		if (st[0] != '\0' && oa_register_status(reg, r) == OA_AST_NONE)
			cli_msg_at(c->reg, oa_register_line(reg, r),
			           "warning: \"%s\": status \"%s\" is none of in-use (在用), idle (闲置), "
			           "repair (维修), lent (借出), missing (丢失), disposed (报废): counted as "
			           "it is, and no event will be taken for it until it is corrected",
			           oa_register_get(reg, r, OA_REG_TAG), st);
	}
	warn_totals(c, reg);
	return 0;
}

/*
 * A report that sums values, over a register without a value column: the
 * sums would be 0.00 in silence, so it says so (a header the aliases miss,
 * such as 原值（万元）).
 */
static void
warn_no_value(const ctx *c, const oa_register *reg)
{
	if (reg->idx[OA_REG_VALUE] < 0)
		cli_msg_at(c->reg, 1, "warning: no value column (原值, 原值(元), 资产原值, 账面原值, "
		           "金额, value ...): every value counts as 0.00; rename the column");
}

/*
 * A journal that holds nothing while the register shows loans (which only
 * the journal explains): lost, moved or emptied; -1 after saying so.
 */
static int
journal_lost(const oa_assetjournal *j, const oa_register *reg)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_assetjournal_check_lost(j, reg, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* Output options shared by the reports. */
typedef struct report_opts {
	const char *out;
	bool excel;
	bool quiet;     /* findings reports: nothing on stdout when there are none */
	bool history;   /* check --history: the changes made outside the journal too */
	FILE *mem;      /* a report to stdout is held here until the end */
	char *buf;
	size_t len;
} report_opts;

static int
open_output(ctx *c, report_opts *ro, cli_output *out, oa_csv_writer **w)
{
	memset(out, 0, sizeof *out);
	if (cli_same_file(ro->out, c->reg) || cli_same_file(ro->out, c->journal)) {
		cli_msg("\"%s\" is the register or the journal: it cannot also take the output (-o)",
		        ro->out);
		return -1;
	}
	if (cli_output_open(out, ro->out, 0644) < 0)
		return -1;
	/* Standard output gets the report only when it is whole: a row found
	 * bad late must not leave the rows before it in a pipe. */
	if (!out->atomic && (ro->mem = open_memstream(&ro->buf, &ro->len)) == NULL) {
		cli_msg("out of memory");
		cli_output_abort(out);
		return -1;
	}
	*w = oa_csv_writer_new(ro->mem ? ro->mem : out->fp, ro->excel);
	if (*w == NULL) {
		cli_msg("out of memory");
		cli_output_abort(out);
		return -1;
	}
	return 0;
}

/*
 * Ends a report: commits on STATUS < 2, else drops it (nothing of it on
 * standard output, no -o file).  A quiet report to standard output is
 * printed only when it has findings (status 1), so cron mails only then.
 */
static int
close_output(report_opts *ro, cli_output *out, oa_csv_writer *w, int status)
{
	oa_csv_writer_free(w);
	if (ro->mem != NULL) {
		if (fflush(ro->mem) == EOF)
			status = EXIT_TROUBLE;
		fclose(ro->mem);
		ro->mem = NULL;
		if (status == EXIT_FINDINGS || (status == EXIT_DONE && !ro->quiet))
			fwrite(ro->buf, 1, ro->len, out->fp);
		free(ro->buf);
		ro->buf = NULL;
	}
	if (status == EXIT_TROUBLE) {
		cli_output_abort(out);
		return status;
	}
	if (out->fp == NULL) /* committed already, with other outputs */
		return status;
	if (cli_output_commit(out) < 0)
		return EXIT_TROUBLE;
	return status;
}

static int
cmd_history(ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	report_opts ro = { 0 };
	oa_assetjournal j;
	cli_output out;
	oa_csv_writer *w;
	oa_error err;
	char tagbuf[OA_TAG_MAX], hint[320];
	const char *tag;
	int opt, status = EXIT_DONE;

	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_EXCEL: ro.excel = true; break;
		case 'o': ro.out = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		cli_msg("history takes one tag, not %d", argc);
		return usage();
	}
	if (settle(c) < 0 || lock_read(c, true) < 0)
		return EXIT_TROUBLE;
	tag = register_spelling(c, argv[0], tagbuf, sizeof tagbuf, hint, sizeof hint);
	if (load_journal(c, &j, tag) < 0)
		return EXIT_TROUBLE;
	if (j.nevents == 0 && tag != tagbuf) {
		/* Not in the register either: a mistyped tag, not an empty life. */
		cli_msg("no events of \"%s\" in %s%s%s%s", tag, c->journal,
		        c->reg ? ", and it is not in " : "", c->reg ? c->reg : "", hint);
		oa_assetjournal_release(&j);
		return EXIT_TROUBLE;
	}
	if (j.nevents == 0)
		cli_msg("%s: no events of \"%s\" yet: its row in the register is all there is",
		        c->journal, tag);
	if (open_output(c, &ro, &out, &w) < 0) {
		oa_assetjournal_release(&j);
		return EXIT_TROUBLE;
	}
	oa_error_clear(&err);
	if (oa_assetjournal_write_events(&j, w, out.name, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	oa_assetjournal_release(&j);
	return close_output(&ro, &out, w, status);
}

static int
cmd_holder(ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const header[9] = { "tag", "date", "department", "custodian",
		"location", "status", "borrower", "borrower_department", "since" };
	oa_date today = -1, date = -1;
	oa_assetjournal j;
	oa_csv_writer *w;
	const oa_asset_event *e;
	char datebuf[11], todaybuf[11];
	char tagbuf[OA_TAG_MAX];
	const char *tag;
	oa_register reg = { 0 };
	oa_error rerr;
	bool have_reg = false;
	long row = -1;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_DATE:
			if (parse_date("--date", optarg, &date) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_TODAY:
			if (parse_today(optarg, &today) < 0)
				return EXIT_TROUBLE;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		cli_msg("holder takes one tag, not %d", argc);
		return usage();
	}
	if (settle(c) < 0 || today_settled(&today) < 0)
		return EXIT_TROUBLE;
	if (date < 0)
		date = today;
	if (date > today) {
		/* The journal knows the past; a holder tomorrow would be a guess. */
		oa_date_format(date, datebuf);
		oa_date_format(today, todaybuf);
		cli_msg("--date %s is after today (%s): the journal cannot say who will hold it",
		        datebuf, todaybuf);
		return EXIT_TROUBLE;
	}
	if (lock_read(c, true) < 0)
		return EXIT_TROUBLE;
	tag = argv[0];
	/* The register: its spelling of the tag, the acquisition date, and
	 * the answer for an asset no event has touched. */
	oa_error_clear(&rerr);
	if (c->reg != NULL && oa_register_load(&reg, c->reg, &c->csv, &rerr) < 0) {
		register_unread(&rerr);
	} else if (c->reg != NULL) {
		have_reg = true;
		row = oa_register_find(&reg, argv[0], strlen(argv[0]));
		warn_totals(c, &reg);
	}
	if (row >= 0) {
		const char *acq = oa_register_get(&reg, (size_t)row, OA_REG_ACQUIRED);
		oa_date acquired;
		snprintf(tagbuf, sizeof tagbuf, "%s", oa_register_get(&reg, (size_t)row, OA_REG_TAG));
		tag = tagbuf;
		oa_date_format(date, datebuf);
		if (oa_date_parse_excel(acq, strlen(acq), &acquired) == 0) {
			if (date < acquired) {
				cli_msg_at(c->reg, oa_register_line(&reg, (size_t)row),
				           "\"%s\" was acquired on %s, after %s: nobody held it then",
				           tag, acq, datebuf);
				oa_register_release(&reg);
				return EXIT_TROUBLE;
			}
		} else if (acq[strspn(acq, " \t")] != '\0') {
			/* The answer stands, but not its check against the acquisition. */
			cli_msg_at(c->reg, oa_register_line(&reg, (size_t)row),
			           "warning: \"%s\": its acquisition date \"%s\" is not a date%s: "
			           "whether it was acquired by %s is not checked", tag, acq,
			           oa_date_looks_like_serial(acq, strlen(acq))
			           ? " (an Excel day number: format the column as a date)" : "",
			           datebuf);
		}
	}
	if (load_journal(c, &j, tag) < 0) {
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (have_reg && journal_lost(&j, &reg) < 0) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (j.nevents == 0 && row < 0) {
		char hint[320] = "";
		if (c->reg != NULL && !oa_error_isset(&rerr))
			oa_register_suggest(&reg, tag, strlen(tag), hint, sizeof hint);
		cli_msg("unknown tag \"%s\": not in %s, no events in %s%s", tag,
		        c->reg ? c->reg : "a register", c->journal, hint);
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_date_format(date, datebuf);
	e = j.nevents > 0 ? oa_assetjournal_at(&j, date) : NULL;
	w = oa_csv_writer_new(stdout, false);
	if (w == NULL) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_csv_write_record(w, header, 9);
	if (e != NULL) {
		bool lent = e->status == OA_AST_LENT;
		const char *f[9] = { e->f[OA_AJ_TAG], datebuf, e->f[OA_AJ_DEPARTMENT],
		                     e->f[OA_AJ_CUSTODIAN], e->f[OA_AJ_LOCATION], e->f[OA_AJ_STATUS],
		                     lent ? e->f[OA_AJ_BORROWER] : "",
		                     lent ? e->f[OA_AJ_BORROWER_DEPARTMENT] : "", e->f[OA_AJ_DATE] };
		oa_csv_write_record(w, f, 9);
	} else if (j.nevents > 0) {
		/* Before its first event: what the register held then. */
		const oa_asset_event *first = &j.events[0];
		const char *f[9] = { first->f[OA_AJ_TAG], datebuf, first->f[OA_AJ_FROM_DEPARTMENT],
		                     first->f[OA_AJ_FROM_CUSTODIAN], first->f[OA_AJ_FROM_LOCATION],
		                     first->f[OA_AJ_FROM_STATUS], "", "", "before-journal" };
		oa_csv_write_record(w, f, 9);
	} else {
		/* No event ever touched it: the register's row is the answer. */
		const char *f[9] = { tag, datebuf,
		                     oa_register_get(&reg, (size_t)row, OA_REG_DEPARTMENT),
		                     oa_register_get(&reg, (size_t)row, OA_REG_CUSTODIAN),
		                     oa_register_get(&reg, (size_t)row, OA_REG_LOCATION),
		                     oa_asset_status_en(oa_register_status(&reg, (size_t)row)),
		                     "", "", "no-events" };
		oa_csv_write_record(w, f, 9);
	}
	oa_csv_writer_free(w);
	oa_assetjournal_release(&j);
	oa_register_release(&reg);
	return EXIT_DONE;
}

static int
parse_report(ctx *c, int argc, char **argv, report_opts *ro, bool *by_dept)
{
	static const struct option longopts[] = {
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "output", required_argument, NULL, 'o' },
		{ "by-department", no_argument, NULL, OPT_BY_DEPT },
		{ "history", no_argument, NULL, OPT_HISTORY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(ro, 0, sizeof *ro);
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_EXCEL: ro->excel = true; break;
		case 'o': ro->out = optarg; break;
		case OPT_BY_DEPT:
			if (by_dept == NULL)
				return usage();
			*by_dept = true;
			break;
		case OPT_HISTORY:
			if (strcmp(c->command, "check") != 0)
				return usage();
			ro->history = true;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	return settle(c) < 0 ? EXIT_TROUBLE : -1;
}

static int
cmd_check(ctx *c, int argc, char **argv)
{
	report_opts ro;
	oa_assetjournal j;
	oa_register reg;
	cli_output out;
	oa_csv_writer *w = NULL;
	oa_error err;
	long n;
	int rc;

	if ((rc = parse_report(c, argc, argv, &ro, NULL)) >= 0)
		return rc;
	ro.quiet = true;
	if (!need_register(c) || lock_read(c, true) < 0)
		return EXIT_TROUBLE;
	if (load_register(c, &reg) < 0)
		return EXIT_TROUBLE;
	if (load_journal(c, &j, NULL) < 0) {
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (journal_lost(&j, &reg) < 0) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (open_output(c, &ro, &out, &w) < 0) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_error_clear(&err);
	n = oa_assetjournal_check(&j, &reg, ro.history, w, out.name, &err);
	if (n >= 0) {
		/* A status typed into the register for a tag no event names. */
		long k = oa_assetreport_check_unjournalled(&j, &reg, w, out.name, &err);
		n = k < 0 ? -1 : n + k;
	}
	if (n < 0)
		cli_error(&err);
	oa_assetjournal_release(&j);
	oa_register_release(&reg);
	return close_output(&ro, &out, w, n < 0 ? EXIT_TROUBLE : n > 0 ? EXIT_FINDINGS : EXIT_DONE);
}

static int
cmd_rebuild(ctx *c, int argc, char **argv)
{
	report_opts ro;
	oa_assetjournal j;
	oa_register reg;
	cli_output out;
	oa_error err;
	size_t absent = 0;
	int rc, status = EXIT_DONE;

	if ((rc = parse_report(c, argc, argv, &ro, NULL)) >= 0)
		return rc;
	if (ro.out == NULL || ro.excel) {
		cli_msg("rebuild writes a register: give -o FILE (and no --excel)");
		return usage();
	}
	if (cli_same_file(ro.out, c->reg) || cli_same_file(ro.out, c->journal)) {
		cli_msg("\"%s\" is the register or the journal: rebuild writes a new file", ro.out);
		return EXIT_TROUBLE;
	}
	if (!need_register(c) || lock_read(c, true) < 0)
		return EXIT_TROUBLE;
	if (load_register(c, &reg) < 0)
		return EXIT_TROUBLE;
	if (load_journal(c, &j, NULL) < 0) {
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (journal_lost(&j, &reg) < 0) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_error_clear(&err);
	if (oa_assetjournal_rebuild(&j, &reg, &absent, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	} else if (cli_output_open(&out, ro.out, 0644) < 0) {
		status = EXIT_TROUBLE;
	} else if (oa_register_write(&reg, out.fp, out.name, &err) < 0) {
		cli_error(&err);
		cli_output_abort(&out);
		status = EXIT_TROUBLE;
	} else if (cli_output_commit(&out) < 0) {
		status = EXIT_TROUBLE;
	}
	if (status == EXIT_DONE && absent > 0) {
		cli_msg("%zu tags of the journal are not in %s", absent, c->reg);
		status = EXIT_FINDINGS;
	}
	oa_assetjournal_release(&j);
	oa_register_release(&reg);
	return status;
}

static int
cmd_summary(ctx *c, int argc, char **argv)
{
	report_opts ro;
	bool by_dept = false;
	oa_register reg;
	cli_output out;
	oa_csv_writer *w;
	oa_error err;
	int rc, status = EXIT_DONE;

	if ((rc = parse_report(c, argc, argv, &ro, &by_dept)) >= 0)
		return rc;
	if (!need_register(c) || lock_read(c, false) < 0)
		return EXIT_TROUBLE;
	if (load_register(c, &reg) < 0)
		return EXIT_TROUBLE;
	warn_no_value(c, &reg);
	if (open_output(c, &ro, &out, &w) < 0) {
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_error_clear(&err);
	if (oa_assetreport_summary(&reg, by_dept, w, out.name, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	oa_register_release(&reg);
	return close_output(&ro, &out, w, status);
}

static int
cmd_missing(ctx *c, int argc, char **argv)
{
	report_opts ro;
	oa_register reg;
	cli_output out;
	oa_csv_writer *w;
	oa_error err;
	long n;
	int rc;

	if ((rc = parse_report(c, argc, argv, &ro, NULL)) >= 0)
		return rc;
	ro.quiet = true;
	if (!need_register(c) || lock_read(c, false) < 0)
		return EXIT_TROUBLE;
	if (load_register(c, &reg) < 0)
		return EXIT_TROUBLE;
	warn_no_value(c, &reg);
	if (open_output(c, &ro, &out, &w) < 0) {
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_error_clear(&err);
	n = oa_assetreport_missing(&reg, w, out.name, &err);
	if (n < 0)
		cli_error(&err);
	oa_register_release(&reg);
	return close_output(&ro, &out, w, n < 0 ? EXIT_TROUBLE : n > 0 ? EXIT_FINDINGS : EXIT_DONE);
}

static int
cmd_overdue(ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ "notices", required_argument, NULL, OPT_NOTICES },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	report_opts ro = { .quiet = true };
	const char *notices = NULL;
	oa_date as_of = -1;
	oa_assetjournal j;
	oa_register reg;
	oa_asset_overdue *v = NULL;
	size_t n = 0, unrecorded = 0;
	cli_output out;
	oa_csv_writer *w;
	oa_error err;
	int opt, status = EXIT_DONE;

	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_AS_OF:
			if (parse_date("--as-of", optarg, &as_of) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_NOTICES: notices = optarg; break;
		case OPT_EXCEL: ro.excel = true; break;
		case 'o': ro.out = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (cli_in_notices(ro.out, notices) < 0)
		return EXIT_TROUBLE;
	if (settle(c) < 0 || !need_register(c) || lock_read(c, true) < 0)
		return EXIT_TROUBLE;
	if (as_of < 0)
		as_of = oa_date_today(); /* the office's, now that the zone is set */
	if (load_register(c, &reg) < 0)
		return EXIT_TROUBLE;
	warn_no_value(c, &reg);
	/* The loans as they stood at the end of that day, in the one pass. */
	if (load_journal_as_of(c, &j, NULL, as_of) < 0) {
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (journal_lost(&j, &reg) < 0) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	oa_error_clear(&err);
	if (oa_assetreport_overdue(&j, &reg, as_of, &v, &n, &err) < 0 ||
	    open_output(c, &ro, &out, &w) < 0) {
		if (oa_error_isset(&err))
			cli_error(&err);
		free(v);
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		return EXIT_TROUBLE;
	}
	if (oa_assetreport_write_overdue(&reg, v, n, w, out.name, &err) < 0) {
		cli_error(&err);
		status = EXIT_TROUBLE;
	}
	/* A loan the journal holds while the register says otherwise (报废
	 * or 在用 typed in by hand): still late by the journal, but named. */
	for (size_t i = 0; status == EXIT_DONE && i < n; i++) {
		size_t r = (size_t)v[i].row;
		const oa_asset_state *now = oa_assetjournal_state(&j, v[i].st.tag);
		char due[11];
		if (v[i].row < 0 || oa_register_status(&reg, r) == OA_AST_LENT)
			continue;
		/* Late on a past day but back since: the register agrees with
		 * the journal as it is now. */
		if (now != NULL && now->status != OA_AST_LENT)
			continue;
		oa_date_format(v[i].st.due, due);
		cli_msg_at(c->reg, oa_register_line(&reg, r),
		           "warning: \"%s\" is lent in the journal (to %s, due %s) but the register "
		           "says \"%s\": the register was changed by hand; asset-log check shows the "
		           "difference", v[i].st.tag, v[i].st.borrower, due,
		           oa_register_get(&reg, r, OA_REG_STATUS));
	}
	/* 借出 typed into the register with no loan in the journal: no due
	 * date to judge it by, so it is named, not left out in silence. */
	if (status == EXIT_DONE) {
		long *rows = NULL;
		if (oa_assetreport_lent_unrecorded(&j, &reg, &rows, &unrecorded, &err) < 0) {
			cli_error(&err);
			status = EXIT_TROUBLE;
		}
		for (size_t i = 0; i < unrecorded; i++) {
			size_t r = (size_t)rows[i];
			const char *tag = oa_register_get(&reg, r, OA_REG_TAG);
			const oa_asset_state *st = oa_assetjournal_state(&j, tag);
			char was[96] = "no loan of it";
			if (st != NULL)
				snprintf(was, sizeof was, "no loan of it (its last event, record %ld, left "
				         "it %s)", st->last_seq, oa_asset_status_en(st->status));
			cli_msg_at(c->reg, oa_register_line(&reg, r),
			           "warning: \"%s\" is %s in the register but the journal has %s: "
			           "no due date is known, so overdue cannot judge it (correct the cell, then "
			           "record the loan with lend)", tag,
			           oa_register_get(&reg, r, OA_REG_STATUS), was);
		}
		free(rows);
	}
	/* Also when nothing is overdue: the notices of loans that came back
	 * since the last run are removed, so none stays claiming otherwise.
	 * The notices and the -o file are committed together; the old
	 * notices go only once the new ones are in place. */
	if (status == EXIT_DONE && notices != NULL) {
		oa_departments depts;
		oa_atomic_set set;
		oa_notice_sweep sweep;
		size_t removed;
		bool joined = out.atomic;
		oa_atomic_set_init(&set);
		oa_csv_writer_free(w); /* flushed into the -o file before it joins */
		w = NULL;
		if (oa_departments_load(&depts, c->cfg, &err) < 0 ||
		    oa_assetreport_notices_set(notices, &reg, v, n, &depts,
		                               oa_config_get_string(c->cfg, "general", "organisation", ""),
		                               as_of, &set, &sweep, &err) < 0) {
			cli_error(&err);
			oa_atomic_set_abort(&set);
			status = EXIT_TROUBLE;
		} else if (out.atomic && cli_output_join(&out, &set) < 0) {
			oa_notice_sweep_release(&sweep);
			oa_atomic_set_abort(&set);
			status = EXIT_TROUBLE;
		} else if (oa_atomic_set_commit(&set, &err) < 0) {
			cli_error(&err);
			oa_notice_sweep_release(&sweep);
			status = EXIT_TROUBLE;
		} else {
			if (joined)
				out.fp = NULL; /* committed with the notices: nothing left to close */
			if (oa_notice_sweep_run(&sweep, &removed, &err) < 0) {
				cli_error(&err);
				status = EXIT_TROUBLE;
			}
		}
		/* A notice without To: is dropped by sendmail -t: say so. */
		for (size_t i = 0; status == EXIT_DONE && i < n; i++) {
			const char *bd = v[i].st.borrower_department;
			const oa_department *d = oa_departments_find(&depts, bd, strlen(bd));
			if ((i == 0 || strcmp(bd, v[i - 1].st.borrower_department) != 0) &&
			    (d == NULL || d->email[0] == '\0'))
				cli_msg("warning: %s: no e-mail address for \"%s\" in [departments] of %s: "
				        "its notice has no To: line", notices, bd,
				        oa_config_path(c->cfg) ? oa_config_path(c->cfg) : "the configuration (none found)");
		}
		oa_departments_release(&depts);
	}
	free(v);
	oa_assetjournal_release(&j);
	oa_register_release(&reg);
	return close_output(&ro, &out, w,
	                    status == EXIT_DONE && n + unrecorded > 0 ? EXIT_FINDINGS : status);
}

static int
cmd_depreciation(ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO_MONTH },
		{ "by-department", no_argument, NULL, OPT_BY_DEPT },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	report_opts ro = { 0 };
	bool by_dept = false;
	int from = -1, to = -1; /* this year to this month, once the zone is set */
	oa_dep_settings s;
	oa_dep_counts counts;
	oa_assetjournal j;
	oa_register reg;
	cli_output out;
	oa_csv_writer *w;
	oa_error err;
	int opt, status = EXIT_DONE;

	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FROM:
		case OPT_TO_MONTH: {
			int m = oa_month_parse(optarg);
			if (m < 0) {
				cli_msg("%s \"%s\" is not a month (2026-03, 2026/3 or 2026年3月)",
				        opt == OPT_FROM ? "--from" : "--to", optarg);
				return EXIT_TROUBLE;
			}
			*(opt == OPT_FROM ? &from : &to) = m;
			break;
		}
		case OPT_BY_DEPT: by_dept = true; break;
		case OPT_EXCEL: ro.excel = true; break;
		case 'o': ro.out = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_DONE;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (settle(c) < 0)
		return EXIT_TROUBLE;
	{
		int this_month = oa_month_of(oa_date_today());
		if (from < 0)
			from = this_month - this_month % 12;
		if (to < 0)
			to = this_month;
	}
	oa_error_clear(&err);
	if (oa_dep_settings_load(&s, c->cfg, &err) < 0) {
		cli_error(&err);
		return EXIT_TROUBLE;
	}
	if (!need_register(c) || lock_read(c, true) < 0 || load_register(c, &reg) < 0) {
		oa_dep_settings_release(&s);
		return EXIT_TROUBLE;
	}
	warn_no_value(c, &reg);
	if (load_journal(c, &j, NULL) < 0) {
		oa_register_release(&reg);
		oa_dep_settings_release(&s);
		return EXIT_TROUBLE;
	}
	if (journal_lost(&j, &reg) < 0) {
		oa_assetjournal_release(&j);
		oa_register_release(&reg);
		oa_dep_settings_release(&s);
		return EXIT_TROUBLE;
	}
	if (open_output(c, &ro, &out, &w) < 0) {
		status = EXIT_TROUBLE;
	} else {
		if (oa_depreciation_write(&reg, &j, &s, from, to, by_dept, w, out.name, &counts,
		                          &err) < 0) {
			cli_error(&err);
			status = EXIT_TROUBLE;
		}
		status = close_output(&ro, &out, w, status);
	}
	if (status != EXIT_TROUBLE) {
		/* Name the first one, so the fix starts somewhere. */
		if (counts.no_date > 0)
			cli_msg_at(c->reg, counts.no_date_line,
			           "warning: no valid acquisition date (2026-01-12, 2026/1/12; a "
			           "number such as 45992 is Excel's day number: format the column as a "
			           "date): %zu fixed asset%s left out, the first on this line",
			           counts.no_date,
			           counts.no_date == 1 ? "" : "s");
		if (counts.no_life > 0)
			cli_msg_at(c->reg, counts.no_life_line,
			           "warning: no useful life: %zu fixed asset%s left out, the first on "
			           "this line", counts.no_life, counts.no_life == 1 ? "" : "s");
		if (counts.bad_life > 0)
			cli_msg_at(c->reg, counts.bad_life_line,
			           "warning: life \"%s\" of %s is not a whole number of years (6, 6年, "
			           "6.00, 72个月): %zu fixed asset%s left out, the first on this line",
			           counts.bad_life_text, counts.bad_life_tag, counts.bad_life,
			           counts.bad_life == 1 ? "" : "s");
		if (counts.no_value > 0)
			cli_msg_at(c->reg, counts.no_value_line,
			           "warning: no value (原值): %zu asset%s left out, the first on "
			           "this line", counts.no_value, counts.no_value == 1 ? "" : "s");
		if (counts.unchecked > 0)
			cli_msg_at(c->reg, counts.unchecked_line,
			           "warning: %zu fixed asset%s in categories the government guide "
			           "(财会〔2017〕4号) does not name, such as \"%s\" on this line: their "
			           "lives are not checked against its least; name the guide's life in "
			           "[depreciation.lives] (%s = 6)", counts.unchecked,
			           counts.unchecked == 1 ? "" : "s", counts.unchecked_category[0]
			           ? counts.unchecked_category : "(none)", counts.unchecked_category[0]
			           ? counts.unchecked_category : "计算机设备");
		if (counts.short_life > 0)
			cli_msg_at(c->reg, counts.short_life_line,
			           "warning: \"%s\": a life of %ld years, where the government guide "
			           "(财会〔2017〕4号) sets at least %ld for %s: depreciated over %ld as "
			           "written (%zu asset%s so, the first on this line)",
			           counts.short_life_tag, counts.short_life_years, counts.short_life_least,
			           counts.short_life_category, counts.short_life_years, counts.short_life,
			           counts.short_life == 1 ? "" : "s");
		if (counts.disposed_undated > 0)
			cli_msg_at(c->reg, counts.disposed_undated_line,
			           "warning: disposed with no disposal date in the journal: %zu asset%s "
			           "left out, the first on this line", counts.disposed_undated,
			           counts.disposed_undated == 1 ? "" : "s");
	}
	oa_assetjournal_release(&j);
	oa_register_release(&reg);
	oa_dep_settings_release(&s);
	return status;
}

static const struct {
	const char *name;
	int (*run)(ctx *, int, char **);
} commands[] = {
	{ "transfer", cmd_event }, { "lend", cmd_event }, { "return", cmd_event },
	{ "repair", cmd_event }, { "repaired", cmd_event }, { "dispose", cmd_event },
	{ "apply", cmd_apply }, { "history", cmd_history }, { "holder", cmd_holder },
	{ "check", cmd_check }, { "rebuild", cmd_rebuild }, { "summary", cmd_summary },
	{ "overdue", cmd_overdue }, { "missing", cmd_missing },
	{ "depreciation", cmd_depreciation },
};

/*
 * Loads the configuration and the settings from it, and names the register
 * and journal: called by each command once its options are read (so that
 * COMMAND --help needs neither); a second call does nothing.
 */
static int
settle(ctx *c)
{
	const char *reg = c->reg_arg, *journal = c->journal_arg;
	oa_error err;

	if (c->settled)
		return 0;
	c->settled = true;
	c->cfg = cli_load_config(c->config_arg);
	if (c->cfg == NULL)
		return -1;
	oa_error_clear(&err);
	if ((c->lock_timeout_ms = oa_config_lock_timeout_ms(c->cfg, &err)) < 0 ||
	    oa_csv_options_load(&c->csv, c->cfg, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	c->reg = reg ? reg : oa_config_get_string(c->cfg, "asset-log", "register", NULL);
	c->journal = journal ? journal : oa_config_get_string(c->cfg, "asset-log", "journal", NULL);
	if (c->journal == NULL && c->reg != NULL) {
		/* The journal belongs to the register file, not to a link to it:
		 * reached through a symlink, it is still the one journal. */
		struct stat st;
		char *real = lstat(c->reg, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(c->reg, NULL)
		                                                             : NULL;
		int n = asprintf(&c->journal_buf, "%s.journal", real ? real : c->reg);

		free(real);
		if (n < 0) {
			cli_msg("out of memory");
			return -1;
		}
		c->journal = c->journal_buf;
	}
	if (c->journal == NULL) {
		cli_msg("no journal: give -r REGISTER (its journal is REGISTER.journal) or -j FILE");
		return -1;
	}
	if (c->reg != NULL && cli_same_file(c->reg, c->journal)) {
		cli_msg("the register and the journal are one file \"%s\"", c->reg);
		return -1;
	}
	/* No output (-o, notices) may replace them; the event commands
	 * rewrite the register itself (OA_ATOMIC_REWRITE). */
	if ((c->reg != NULL && cli_input(c->reg, OA_INPUT_REWRITABLE) < 0) ||
	    cli_input(c->journal, 0) < 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "register", required_argument, NULL, 'r' },
		{ "journal", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char subname[64];
	const char *config = NULL, *reg = NULL, *journal = NULL;
	ctx c;
	int opt, status;

	cli_init(argv);
	while ((opt = getopt_long(argc, argv, "+Vc:hj:r:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'V': return cli_finish(cli_version());
		case 'c': config = optarg; break;
		case 'h': fputs(usage_text, stdout); return cli_finish(EXIT_DONE);
		case 'j': journal = optarg; break;
		case 'r': reg = optarg; break;
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
		memset(&c, 0, sizeof c);
		c.config_arg = config;
		c.reg_arg = reg;
		c.journal_arg = journal;
		c.command = commands[i].name;
		optind = 0; /* glibc: start the subcommand's getopt afresh */
		/* getopt's own messages name argv[0]: "asset-log apply: ...". */
		snprintf(subname, sizeof subname, "%s %s", cli_progname, commands[i].name);
		argv[0] = subname;
		status = commands[i].run(&c, argc, argv);
		oa_assetlog_unlock(&c.locks); /* a reader's; after its output is in place */
		free(c.journal_buf);
		oa_config_free(c.cfg);
		return cli_finish(status);
	}
	cli_msg("unknown command \"%s\"", argv[0]);
	return usage();
}
