/*
 * asset-tag - tag new assets, keep the register, print labels that scan.
 *
 *     asset-tag [tag] [options] [FILE]     tag, classify, fill defaults
 *     asset-tag label [options] [FILE...]  labels: PDF, PNG, SVG or ZPL
 *
 * All logic is in libofficeadm (assets.c, label.c, zpl.c); this file reads
 * the options, takes the register lock, and reports.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "cli.h"
#include "csv.h"
#include "date.h"
#include "departments.h"
#include "durable.h"
#include "label.h"
#include "lock.h"
#include "utf8.h"
#include "prefetch.h"

static const char usage_text[] =
	"usage: asset-tag [tag] [-x] [-c config] [-e encoding] [-o file]\n"
	"                 [-r register [--create]] [--skip-bad rejects] [--today date]\n"
	"                 [file]\n"
	"       asset-tag label [--force] [-c config] [-b barcode] [-e encoding]\n"
	"                 [-f format] [-o file] [-s n] [-t template] [--dpi n] [file ...]\n"
	"       asset-tag -h | -V\n";

static const char help_text[] =
	"Tag new assets and keep the register (tag), or print their labels (label).\n"
	"\n"
	"asset-tag [tag] [options] [FILE]\n"
	"  Reads newly acquired items (CSV, register columns, FILE or stdin) and\n"
	"  writes them with tag, class and defaults filled.  A quantity (数量, qty)\n"
	"  with a unit price (单价, unit_price) makes one asset per item at that price;\n"
	"  1,280.00 and ¥1280 are read as 1280.00; a total row (合计) is skipped.\n"
	"  Unknown categories and departments, dates after today or before 1950 are\n"
	"  errors; dates as 2026/3/2 or 2026年3月2日 are written 2026-03-02.\n"
	"  -c, --config FILE      settings (default: the search order in officeadm.ini(5))\n"
	"  -e, --encoding ENC     input encoding: auto, utf-8, gb18030 (default auto)\n"
	"  -o, --output FILE      write the tagged rows to FILE (default stdout)\n"
	"  -r, --register FILE    append the rows to the register FILE, all or nothing,\n"
	"                         numbering after its highest tags; locks it meanwhile;\n"
	"                         a FILE that does not exist is an error; rows keep\n"
	"                         FILE's encoding, line ends and words (在用 or in-use);\n"
	"                         its 序号 (row number) column goes on from its highest\n"
	"      --create           let -r start a new register FILE\n"
	"      --skip-bad FILE    write the good rows, the bad ones with a reason column\n"
	"                         to FILE in the input's encoding and line ends\n"
	"                         (corrected, FILE can be tagged again)\n"
	"      --today DATE       date for an empty acquisition date (default today)\n"
	"  -x, --excel            -o/stdout for Excel: BOM, CRLF, formula guard, codes\n"
	"                         such as 000123 kept text as =\"000123\" (never the\n"
	"                         register, which keeps its own style)\n"
	"\n"
	"asset-tag label [options] [FILE...]\n"
	"  Reads register rows and writes one label per row.  A wrong check character,\n"
	"  a value that is not a tag, or a tag labelled twice is an error (exit 2,\n"
	"  nothing written).  A disposed asset (报废) gets no label, with a warning\n"
	"  naming its line (exit 1).\n"
	"  -b, --barcode TYPE     code128 (default), qr, datamatrix\n"
	"  -f, --format FMT       pdf, png, svg, zpl (default from -o's suffix, else pdf)\n"
	"      --force            label such tags and disposed assets anyway, with a\n"
	"                         warning each (exit 1)\n"
	"  -o, --output FILE      output file (default stdout, not a terminal for PDF/PNG)\n"
	"  -s, --skip N           leave the first N positions of the sheet empty\n"
	"  -t, --template NAME    L7160, L7162, L7163, roll60x40, roll50x30, custom\n"
	"      --dpi N            PNG resolution (default 300)\n"
	"\n"
	"  -h, --help             this help;  -V, --version  the version\n"
	"Exit status: 0 done, 1 rows rejected (--skip-bad), labels left out (disposed\n"
	"assets, past a PNG or SVG sheet) or forced, 2 error.\n";

static int
usage(void)
{
	return cli_usage(usage_text);
}

static int
help(void)
{
	fputs(usage_text, stdout);
	fputc('\n', stdout);
	fputs(help_text, stdout);
	return EXIT_DONE;
}

/* [general] encoding and max_field, the encoding overridden by -e. */
static int
csv_options(const oa_config *cfg, const char *encoding, oa_csv_options *opt)
{
	oa_error err;

	oa_error_clear(&err);
	if (oa_csv_options_load(opt, cfg, &err) < 0 ||
	    (encoding != NULL && oa_encoding_parse(encoding, &opt->encoding, &err) < 0)) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

struct tag_args {
	const char *config, *encoding, *output, *reg, *rejects, *input;
	bool excel, create;
	oa_date today;
	bool today_given; /* else today in the configured zone */
};

/*
 * Says that the register PATH does not exist, naming a file beside it
 * whose name is close (资产台账.csv for 资产台帐.csv: one character, which
 * the eye does not see), so that nobody reaches for --create by mistake.
 */
static void
no_register(const char *path)
{
	char near[4096];

	if (cli_near_file(path, near, sizeof near))
		cli_msg_at(path, 0, "no such register (did you mean %s?); --create starts a new one",
		           near);
	else
		cli_msg_at(path, 0, "no such register; --create starts a new one");
}

/*
 * Reads the register (when it exists) into the tagger; *stamp is the file
 * before reading, for the append to check that nobody changed it since (a
 * change during the reading included).
 */
static int
read_register(oa_tagger *tg, const char *path, const oa_csv_options *opt, oa_file_stamp *stamp,
              bool create)
{
	oa_csv_reader *r;
	oa_error err;
	int rc;

	oa_error_clear(&err);
	if (oa_file_stamp_get(path, stamp, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	if (!stamp->exists) {
		/* A mistyped name (台帐 for 台账) would start a second register at 1. */
		if (create)
			return 0;
		no_register(path);
		return -1;
	}
	r = oa_csv_reader_open(path, opt, &err);
	if (r == NULL) {
		cli_error(&err);
		return -1;
	}
	rc = oa_tagger_read_register(tg, r, &err);
	oa_csv_reader_free(r);
	if (rc < 0)
		cli_error(&err);
	return rc;
}

/*
 * Appends the tagged rows to the register, all or nothing, if it is still
 * as read: AF joins SET, to be committed with the run's other outputs.
 */
static int
append_register(oa_tagger *tg, const char *path, const oa_file_stamp *was, oa_atomic_file *af,
                oa_atomic_set *set)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	oa_error err;
	int rc;

	oa_error_clear(&err);
	if (mem == NULL) {
		cli_sys(NULL, "memory");
		return -1;
	}
	/*
	 * The register's own style (encoding, line ends): --excel shapes only
	 * the -o/stdout copy.
	 */
	rc = oa_tagger_write_register(tg, mem, !oa_tagger_register_has_header(tg), &err);
	if (fclose(mem) == EOF && rc == 0)
		rc = oa_error_sys(&err, path, "memory");
	if (rc == 0 && len > 0 && (rc = oa_file_append_open(af, path, buf, len, 0644, was, &err)) == 0)
		rc = oa_atomic_set_add(set, af, &err);
	free(buf);
	if (rc < 0)
		cli_error(&err);
	return rc;
}

/*
 * The rejects are corrected where the input came from (Excel, most of the
 * time) and tagged again: they are written in the input's style (GB18030
 * stays GB18030, a BOM and CRLF are kept), or for Excel with -x.
 */
static int
write_rejects(cli_output *out, oa_tagger *tg, const oa_csv_reader *in, bool excel)
{
	oa_csv_style style;
	oa_csv_writer *w;
	oa_error err;
	int rc;

	oa_csv_reader_style(in, &style);
	w = excel ? oa_csv_writer_new(out->fp, true) : oa_csv_writer_new_style(out->fp, &style);
	oa_error_clear(&err);
	if (w == NULL) {
		cli_msg("out of memory");
		return -1;
	}
	oa_tagger_write_rejects(tg, w);
	rc = oa_csv_writer_check(w, out->name, &err);
	oa_csv_writer_free(w);
	if (rc < 0)
		cli_error(&err);
	return rc;
}

static int
run_tag(const struct tag_args *a)
{
	oa_config *cfg = cli_load_config(a->config);
	oa_asset_settings settings;
	oa_tagger_options topt = { a->excel, a->today_given ? a->today : oa_date_today(),
	                           oa_cpus_available() > 1 };
	oa_tagger *tg = NULL;
	oa_csv_options copt;
	oa_csv_reader *in = NULL;
	oa_lock lock = { -1, NULL };
	oa_file_stamp reg_stamp = { 0 };
	oa_atomic_set set;
	oa_atomic_file reg_af;
	cli_output out, rej;
	const oa_tagger_problem *probs;
	const long *total_lines;
	const char *const *total_words;
	bool out_open = false, rej_open = false, have_settings = false;
	int status = EXIT_TROUBLE;
	int timeout_ms;
	oa_error err;
	size_t n;

	oa_error_clear(&err);
	oa_atomic_set_init(&set);
	if (cfg == NULL)
		return EXIT_TROUBLE;
	if (oa_asset_settings_load(&settings, cfg, &err) < 0) {
		cli_error(&err);
		goto done;
	}
	have_settings = true;
	if ((timeout_ms = oa_config_lock_timeout_ms(cfg, &err)) < 0) {
		cli_error(&err);
		goto done;
	}
	if (csv_options(cfg, a->encoding, &copt) < 0)
		goto done;
	tg = oa_tagger_new(&settings, &topt);
	if (tg == NULL) {
		cli_msg("out of memory");
		goto done;
	}
	if (a->reg != NULL && (cli_same_file(a->output, a->reg) || cli_same_file(a->rejects, a->reg))) {
		cli_msg("\"%s\" is the register (-r): it cannot also take %s", a->reg,
		        cli_same_file(a->output, a->reg) ? "the output (-o)" : "the rejects (--skip-bad)");
		goto done;
	}
	if (cli_same_file(a->output, a->rejects)) {
		cli_msg("\"%s\" cannot take both the output (-o) and the rejects (--skip-bad)",
		        a->output);
		goto done;
	}
	/* No output may replace an input; the register alone is appended to. */
	if (cli_input(a->input ? a->input : "-", 0) < 0 ||
	    (a->reg != NULL && cli_input(a->reg, OA_INPUT_REWRITABLE) < 0))
		goto done;
	if (a->reg != NULL && !a->create && access(a->reg, F_OK) < 0 && errno == ENOENT) {
		/* Checked again under the lock; here so no lock file is left behind. */
		no_register(a->reg);
		goto done;
	}
	if (a->reg != NULL) {
		if (oa_lock_acquire(&lock, a->reg, timeout_ms, "asset-tag", &err) < 0) {
			cli_error(&err);
			goto done;
		}
		if (read_register(tg, a->reg, &copt, &reg_stamp, a->create) < 0)
			goto done;
	}
	in = oa_csv_reader_open(a->input, &copt, &err);
	if (in == NULL || oa_tagger_read_input(tg, in, &err) < 0) {
		cli_error(&err);
		goto done;
	}
	if (oa_tagger_rows(tg) == 0)
		cli_msg_at(a->input ? a->input : "<stdin>", 0, "warning: no rows to tag%s",
		           a->reg ? "; the register is unchanged" : "");
	n = oa_tagger_total_rows(tg, &total_lines, &total_words);
	for (size_t i = 0; i < n; i++)
		cli_msg_at(a->input ? a->input : "<stdin>", total_lines[i],
		           "warning: skipped the total row (%s): it is not an asset", total_words[i]);
	n = oa_tagger_warnings(tg, &probs);
	for (size_t i = 0; i < n; i++)
		cli_msg_at(probs[i].file, probs[i].line, "warning: %s", probs[i].msg);
	n = oa_tagger_problems(tg, &probs);
	for (size_t i = 0; i < n; i++)
		cli_msg_at(probs[i].file, probs[i].line, "%s", probs[i].msg);
	if (n > 0 && a->rejects == NULL) {
		cli_msg("%zu of %zu rows rejected; nothing written", oa_tagger_bad_rows(tg),
		        oa_tagger_rows(tg));
		goto done;
	}
	if (oa_tagger_assign(tg, &err) < 0) {
		cli_error(&err);
		goto done;
	}
	if (a->rejects != NULL) {
		if (cli_output_open(&rej, a->rejects, 0644) < 0)
			goto done;
		rej_open = true;
		if (write_rejects(&rej, tg, in, a->excel) < 0)
			goto done;
	}
	if (a->output != NULL || a->reg == NULL) {
		if (cli_output_open(&out, a->output, 0644) < 0)
			goto done;
		out_open = true;
		if (oa_tagger_write(tg, out.fp, true, &err) < 0) {
			cli_error(&err);
			goto done;
		}
	}
	/*
	 * The register, -o and the rejects are one set (oa_atomic_set): all
	 * are written and synced before any is renamed, so a failure in any
	 * leaves every one as it was.  Standard output goes first: it cannot
	 * be taken back.
	 */
	if (a->reg != NULL && append_register(tg, a->reg, &reg_stamp, &reg_af, &set) < 0)
		goto done;
	if ((out_open && cli_output_join(&out, &set) < 0) || (rej_open && cli_output_join(&rej, &set) < 0))
		goto done;
	out_open = rej_open = false;
	if (oa_atomic_set_commit(&set, &err) < 0) {
		cli_error(&err);
		goto done;
	}
	status = oa_tagger_bad_rows(tg) > 0 ? EXIT_FINDINGS : EXIT_DONE;
	if (status == EXIT_FINDINGS)
		cli_msg("%zu of %zu rows rejected, see %s", oa_tagger_bad_rows(tg),
		        oa_tagger_rows(tg), a->rejects);
done:
	if (out_open)
		cli_output_abort(&out);
	if (rej_open)
		cli_output_abort(&rej);
	oa_atomic_set_abort(&set);
	oa_csv_reader_free(in);
	oa_lock_release(&lock);
	oa_tagger_free(tg);
	if (have_settings)
		oa_asset_settings_release(&settings);
	oa_config_free(cfg);
	return status;
}

/* True when S, which is no file, is one or two letters from a subcommand. */
static bool
misspelt_subcommand(const char *s)
{
	size_t n = strlen(s);

	if (access(s, F_OK) == 0 || errno != ENOENT)
		return false;
	return (n >= 4 && oa_utf8_edit_distance(s, n, "label", 5) <= 2) ||
	       (n >= 2 && oa_utf8_edit_distance(s, n, "tag", 3) <= 1);
}

static int
cmd_tag(int argc, char **argv)
{
	enum { OPT_SKIP_BAD = 256, OPT_TODAY, OPT_CREATE };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "create", no_argument, NULL, OPT_CREATE },
		{ "encoding", required_argument, NULL, 'e' },
		{ "excel", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "register", required_argument, NULL, 'r' },
		{ "skip-bad", required_argument, NULL, OPT_SKIP_BAD },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tag_args a;
	int c;

	memset(&a, 0, sizeof a);
	while ((c = getopt_long(argc, argv, "Vc:e:ho:r:x", longopts, NULL)) != -1) {
		switch (c) {
		case 'V':
			return cli_version();
		case 'c':
			a.config = optarg;
			break;
		case 'e':
			a.encoding = optarg;
			break;
		case 'h':
			return help();
		case 'o':
			a.output = optarg;
			break;
		case 'r':
			a.reg = optarg;
			break;
		case 'x':
			a.excel = true;
			break;
		case OPT_CREATE:
			a.create = true;
			break;
		case OPT_SKIP_BAD:
			a.rejects = optarg;
			break;
		case OPT_TODAY:
			a.today_given = true;
			if (oa_date_parse(optarg, strlen(optarg), &a.today) < 0) {
				cli_msg("--today \"%s\" is not a valid YYYY-MM-DD date", optarg);
				return EXIT_TROUBLE;
			}
			break;
		default:
			return usage();
		}
	}
	argc -= optind;
	argv += optind;
	/* "asset-tag lable x.csv": a subcommand misspelt, read as a file */
	if (argc >= 1 && misspelt_subcommand(argv[0])) {
		cli_msg("unknown subcommand \"%s\" (label or tag)", argv[0]);
		return usage();
	}
	if (argc > 1) {
		cli_msg("one input file at most, not %d (tag them one after another, or join "
		        "them)", argc);
		return usage();
	}
	a.input = argc == 1 ? argv[0] : NULL;
	if (a.create && a.reg == NULL) {
		cli_msg("--create is for a new register: give it with -r");
		return EXIT_TROUBLE;
	}
	return run_tag(&a);
}

struct label_args {
	const char *config, *encoding, *output, *format, *barcode, *tmpl;
	long skip, dpi;
	char **files;
	int nfiles;
	bool force;
};

static int
run_label(const struct label_args *a)
{
	oa_config *cfg = cli_load_config(a->config);
	oa_label_settings ls;
	oa_label_format fmt;
	oa_label_writer *lw = NULL;
	oa_csv_options copt;
	cli_output out;
	bool out_open = false, have_settings = false;
	int status = EXIT_TROUBLE;
	oa_error err;
	size_t dropped, nprobs = 0, nleft = 0;
	const oa_label_problem *probs, *left;

	oa_error_clear(&err);
	if (cfg == NULL)
		return EXIT_TROUBLE;
	if (oa_label_settings_load(&ls, cfg, &err) < 0) {
		cli_error(&err);
		goto done;
	}
	have_settings = true;
	if ((a->tmpl != NULL && oa_label_template_find(a->tmpl, cfg, &ls.tmpl, &err) < 0) ||
	    (a->barcode != NULL && oa_barcode_parse(a->barcode, &ls.barcode, &err) < 0) ||
	    oa_label_format_choose(a->format, a->output, &fmt, &err) < 0) {
		cli_error(&err);
		goto done;
	}
	/* A PDF or PNG is no use on a terminal, and can upset it. */
	if (a->output == NULL && (fmt == OA_LABEL_PDF || fmt == OA_LABEL_PNG) &&
	    isatty(STDOUT_FILENO)) {
		cli_msg("the labels are %s, not for the terminal: give -o labels.%s, or pipe "
		        "them (| lp)", fmt == OA_LABEL_PDF ? "a PDF" : "a PNG image",
		        fmt == OA_LABEL_PDF ? "pdf" : "png");
		goto done;
	}
	if (a->dpi > 0)
		ls.dpi = (double)a->dpi;
	ls.force = a->force;
	if (csv_options(cfg, a->encoding, &copt) < 0)
		goto done;
	if (a->nfiles > 0 ? cli_inputs(a->files, a->nfiles) < 0 : cli_input("-", 0) < 0)
		goto done;
	if (cli_output_open(&out, a->output, 0644) < 0)
		goto done;
	out_open = true;
	lw = oa_label_writer_new(&ls, fmt, out.fp, (int)a->skip, &err);
	if (lw == NULL) {
		cli_error(&err);
		goto done;
	}
	for (int i = 0; i < (a->nfiles ? a->nfiles : 1); i++) {
		oa_csv_reader *r = oa_csv_reader_open(a->nfiles ? a->files[i] : NULL, &copt, &err);
		int rc;

		if (r == NULL) {
			cli_error(&err);
			goto done;
		}
		rc = oa_label_add_csv(lw, r, &err);
		oa_csv_reader_free(r);
		if (rc < 0) {
			cli_error(&err);
			goto done;
		}
	}
	nleft = oa_label_left_out(lw, &left);
	for (size_t i = 0; i < nleft; i++)
		cli_msg_at(left[i].file, left[i].line, "warning: %s", left[i].msg);
	nprobs = oa_label_problems(lw, &probs);
	for (size_t i = 0; i < nprobs; i++)
		cli_msg_at(probs[i].file, probs[i].line, "%s%s", a->force ? "warning: " : "",
		           probs[i].msg);
	if (nprobs > 0 && !a->force) {
		cli_msg("%zu label%s refused; nothing written (--force prints them)", nprobs,
		        nprobs == 1 ? "" : "s");
		goto done;
	}
	if (oa_label_writer_count(lw) == 0) {
		/* An empty sheet would only waste one in the printer. */
		if (nleft > 0)
			cli_msg("no labels to print: every row is a disposed asset (--force prints "
			        "them)");
		else
			cli_msg("no labels to print: %s no rows", a->nfiles > 1 ? "the files hold" :
			        a->nfiles == 1 ? "the file holds" : "standard input holds");
		goto done;
	}
	if (oa_label_writer_finish(lw, &err) < 0) {
		if (err.file[0] == '\0') /* the writer knows no name */
			snprintf(err.file, sizeof err.file, "%s", out.name);
		cli_error(&err);
		goto done;
	}
	out_open = false;
	if (cli_output_commit(&out) < 0)
		goto done;
	/* Labels refused and forced, or disposed assets left out or forced: findings. */
	status = nprobs > 0 || nleft > 0 ? EXIT_FINDINGS : EXIT_DONE;
	dropped = oa_label_writer_dropped(lw);
	if (dropped > 0) {
		cli_msg("%s holds one sheet: %zu labels left out", fmt == OA_LABEL_PNG ? "png" : "svg",
		        dropped);
		status = EXIT_FINDINGS;
	}
done:
	oa_label_writer_free(lw);
	if (out_open)
		cli_output_abort(&out);
	if (have_settings)
		oa_label_settings_release(&ls);
	oa_config_free(cfg);
	return status;
}

static int
cmd_label(int argc, char **argv)
{
	enum { OPT_DPI = 256, OPT_FORCE };
	static const struct option longopts[] = {
		{ "barcode", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "encoding", required_argument, NULL, 'e' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "skip", required_argument, NULL, 's' },
		{ "template", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct label_args a;
	char *end;
	int c;

	memset(&a, 0, sizeof a);
	while ((c = getopt_long(argc, argv, "Vb:c:e:f:ho:s:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'V':
			return cli_version();
		case 'b':
			a.barcode = optarg;
			break;
		case 'c':
			a.config = optarg;
			break;
		case 'e':
			a.encoding = optarg;
			break;
		case 'f':
			a.format = optarg;
			break;
		case 'h':
			return help();
		case 'o':
			a.output = optarg;
			break;
		case 's':
			a.skip = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || a.skip < 0 || a.skip > 10000) {
				cli_msg("--skip \"%s\" is not a number of label positions", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 't':
			a.tmpl = optarg;
			break;
		case OPT_FORCE:
			a.force = true;
			break;
		case OPT_DPI:
			a.dpi = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || a.dpi < 72 || a.dpi > 1200) {
				cli_msg("--dpi \"%s\" is not a resolution from 72 to 1200", optarg);
				return EXIT_TROUBLE;
			}
			break;
		default:
			return usage();
		}
	}
	a.files = argv + optind;
	a.nfiles = argc - optind;
	return run_label(&a);
}

int
main(int argc, char **argv)
{
	int status;

	cli_init(argv);
	/* Tagged rows can run to many megabytes: write them in big blocks. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	/*
	 * getopt names argv[0] in its messages: the program, not the
	 * subcommand ("asset-tag: unrecognized option", never "label: ...").
	 */
	argv[0] = (char *)cli_progname;
	if (argc > 1 && strcmp(argv[1], "label") == 0) {
		argv[1] = argv[0];
		status = cmd_label(argc - 1, argv + 1);
	} else if (argc > 1 && strcmp(argv[1], "tag") == 0) {
		argv[1] = argv[0];
		status = cmd_tag(argc - 1, argv + 1);
	} else {
		status = cmd_tag(argc, argv);
	}
	return cli_finish(status);
}
