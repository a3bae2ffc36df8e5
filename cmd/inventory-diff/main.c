/*
 * inventory-diff - compare the asset register with a stock-take's scans.
 *
 * Reads the register and the scan files (libofficeadm/stocktake.c does the
 * work), then writes the findings (or the --summary) as CSV, and on request
 * one notice per department (--notices) and the reconciled register
 * (--update, under the register's lock, written atomically).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "departments.h"
#include "lock.h"
#include "stocktake.h"

static const char usage_text[] =
	"usage: inventory-diff [-afrsx] [-c config] [-d date] [-e [file=]encoding] [-n dir]\n"
	"                      [-o file] [-u out] register [scan ...]\n"
	"       inventory-diff -h | -V\n";

static const char help_text[] =
	"  -a, --all            also list the assets found as registered (ok)\n"
	"  -c, --config FILE    settings file (default: the search order of officeadm.ini(5))\n"
	"  -d, --date DATE      stock-take date for --update and --notices (default: the\n"
	"                       latest scanned_at near the others, else today); a scan\n"
	"                       dated after today is an error without it\n"
	"  -e, --encoding ENC   input encoding: auto, utf-8, gb18030 (default: auto,\n"
	"                       detected for each file on its own)\n"
	"  -e FILE=ENC          the encoding of one input file (may be repeated)\n"
	"  -f, --force          with --update, rewrite the register even when more than\n"
	"                       [stocktake] max_missing_share (50%) would become missing\n"
	"  -n, --notices DIR    write into DIR (created if needed, not its parents) one\n"
	"                       notice per department with missing or moved assets\n"
	"  -o, --output FILE    write the findings to FILE instead of standard output\n"
	"                       (standard output gets nothing when there is nothing to\n"
	"                       report, unless --all or --summary)\n"
	"  -r, --relocate       with --update, move assets found elsewhere to where they were found\n"
	"  -s, --summary        print counts per department and status instead of the findings\n"
	"  -u, --update OUT     write the reconciled register to OUT (may be the register;\n"
	"                       not when it is read-only)\n"
	"  -x, --excel          output for a spreadsheet: BOM, CRLF, formula guard,\n"
	"                       codes such as room 0301 kept text as =\"0301\"\n"
	"  -h, --help           this help\n"
	"  -V, --version        the version\n";

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "notices", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "relocate", no_argument, NULL, 'r' },
		{ "summary", no_argument, NULL, 's' },
		{ "update", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ "excel", no_argument, NULL, 'x' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *date_arg = NULL, *enc_arg = NULL, *notices = NULL;
	const char *output = NULL, *update = NULL, *signature;
	const char *stdin_scan[] = { "-" };
	bool all = false, relocate = false, relocate_set = false, summary = false, excel = false;
	bool force = false;
	oa_file_encoding *file_enc = NULL;
	size_t nfile_enc = 0;
	double max_missing;
	oa_stocktake_options opt;
	oa_stocktake *st = NULL;
	oa_config *cfg = NULL;
	oa_departments depts = { 0 };
	oa_lock lock = { -1, NULL };
	oa_atomic_set set;
	oa_atomic_file *upd;
	cli_output out = { 0 };
	oa_csv_writer *w = NULL;
	oa_error err;
	oa_date date = -1;
	int lock_timeout_ms;
	int c, status = EXIT_TROUBLE;

	cli_init(argv);
	oa_atomic_set_init(&set);
	oa_error_clear(&err);
	while ((c = getopt_long(argc, argv, "ac:d:e:fhn:o:rsu:Vx", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'c': config = optarg; break;
		case 'd': date_arg = optarg; break;
		case 'e':
			if (strchr(optarg, '=') == NULL) {
				enc_arg = optarg;
				break;
			}
			/* FILE=ENC: one file's encoding. */
			{
				oa_file_encoding *n = realloc(file_enc, (nfile_enc + 1) * sizeof *n);
				char *eq = strrchr(optarg, '=');

				if (n == NULL) {
					cli_msg("out of memory");
					free(file_enc);
					return EXIT_TROUBLE;
				}
				file_enc = n;
				*eq = '\0';
				file_enc[nfile_enc].path = optarg;
				if (oa_encoding_parse(eq + 1, &file_enc[nfile_enc].encoding, &err) < 0) {
					cli_error(&err);
					free(file_enc);
					return EXIT_TROUBLE;
				}
				nfile_enc++;
			}
			break;
		case 'f': force = true; break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_finish(EXIT_DONE);
		case 'n': notices = optarg; break;
		case 'o': output = optarg; break;
		case 'r': relocate = relocate_set = true; break;
		case 's': summary = true; break;
		case 'u': update = optarg; break;
		case 'V': return cli_finish(cli_version());
		case 'x': excel = true; break;
		default: return cli_usage(usage_text);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		free(file_enc);
		return cli_usage(usage_text);
	}
	if (relocate && update == NULL) {
		cli_msg("--relocate needs --update");
		return cli_usage(usage_text);
	}
	if (cli_same_file(output, update)) {
		cli_msg("\"%s\" is the register to update (-u): it cannot also take the output (-o)",
		        update);
		return EXIT_TROUBLE;
	}
	if (cli_in_notices(output, notices) < 0) {
		free(file_enc);
		return EXIT_TROUBLE;
	}
	/* No output may replace an input; -u may rewrite the register alone. */
	if (cli_input(argv[0], OA_INPUT_REWRITABLE) < 0 ||
	    (argc > 1 ? cli_inputs(argv + 1, argc - 1) : cli_input("-", 0)) < 0)
		return EXIT_TROUBLE;
	if (date_arg != NULL && oa_date_parse(date_arg, strlen(date_arg), &date) < 0) {
		cli_msg("--date \"%s\" is not YYYY-MM-DD", date_arg);
		return EXIT_TROUBLE;
	}

	/* Settings: [general] for reading, [stocktake] for this command. */
	if ((cfg = cli_load_config(config)) == NULL)
		return EXIT_TROUBLE;
	oa_stocktake_options_init(&opt);
	if (oa_csv_options_load(&opt.csv, cfg, &err) < 0 ||
	    (enc_arg != NULL && oa_encoding_parse(enc_arg, &opt.csv.encoding, &err) < 0) ||
	    (lock_timeout_ms = oa_config_lock_timeout_ms(cfg, &err)) < 0)
		goto fail;
	if (!relocate_set &&
	    oa_config_get_bool(cfg, "stocktake", "relocate", false, &relocate, &err) < 0)
		goto fail;
	if (oa_config_get_double(cfg, "stocktake", "max_missing_share", 50, 0, 100, &max_missing,
	                         &err) < 0)
		goto fail;
	{
		long window;

		if (oa_config_get_long(cfg, "stocktake", "date_window", 31, 0, 36500, &window, &err) < 0)
			goto fail;
		opt.date_window = (int)window;
	}
	opt.file_encodings = file_enc;
	opt.nfile_encodings = nfile_enc;
	opt.date_given = date >= 0;
	signature = oa_config_get_string(cfg, "stocktake", "signature", "办公室");
	if (notices != NULL && oa_departments_load(&depts, cfg, &err) < 0)
		goto fail;

	/*
	 * A register made read-only (chmod a-w), or one this user may not
	 * write, is not to be rewritten: the rename that replaces it would not
	 * ask, nor would root's write.
	 */
	if (update != NULL) {
		struct stat sb;

		if (stat(update, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if ((sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) {
				cli_msg_at(update, 0, "read-only: --update leaves it as it is (make it "
				           "writable first, e.g. chmod u+w)");
				goto out;
			}
			if (access(update, W_OK) < 0) {
				cli_sys(update, "--update cannot rewrite it");
				goto out;
			}
		}
	}

	/* The register is read and rewritten under its lock. */
	if (update != NULL &&
	    oa_lock_acquire(&lock, update, lock_timeout_ms, "inventory-diff", &err) < 0)
		goto fail;

	/* A person who gave no scan files would otherwise wait on a silent terminal. */
	if (isatty(STDIN_FILENO)) {
		bool from_stdin = argc == 1;

		for (int i = 1; i < argc; i++)
			from_stdin = from_stdin || strcmp(argv[i], "-") == 0;
		if (from_stdin)
			cli_msg("reading the scans from the terminal: one tag per line, Ctrl-D to "
			        "end (or name the scan files after the register)");
	}
	st = oa_stocktake_run(argv[0], argc > 1 ? (const char *const *)argv + 1 : stdin_scan,
	                      argc > 1 ? (size_t)argc - 1 : 1, &opt, &err);
	if (st == NULL)
		goto fail;
	if (notices != NULL)
		oa_stocktake_check_recipients(st, &depts);
	for (size_t i = 0; i < oa_stocktake_nwarnings(st); i++)
		cli_error(oa_stocktake_warning(st, i));
	if (date < 0)
		date = oa_stocktake_date(st);
	if (date < 0)
		date = oa_date_today();

	if (update != NULL) {
		if (!force && oa_stocktake_check_missing(st, max_missing / 100, &err) < 0) {
			cli_error(&err);
			cli_msg("the register is left as it was; --force rewrites it anyway");
			goto out;
		}
		if ((upd = oa_atomic_set_open(&set, update, 0644, OA_ATOMIC_REWRITE, &err)) == NULL)
			goto fail;
		if (oa_stocktake_write_update(st, upd->fp, date, relocate, update, &err) < 0)
			goto fail;
	}
	if (cli_output_open(&out, output, 0644) < 0)
		goto out;
	if ((w = oa_csv_writer_new(out.fp, excel)) == NULL) {
		cli_msg("out of memory");
		cli_output_abort(&out);
		goto out;
	}
	/*
	 * Nothing to report on standard output: nothing at all, so that cron
	 * mails nothing (a file named by -o still gets the header).
	 */
	if (output == NULL && !summary && !all && oa_stocktake_findings(st) == 0)
		;
	else if ((summary ? oa_stocktake_write_summary(st, w, out.name, &err)
	                  : oa_stocktake_write_findings(st, w, all, out.name, &err)) < 0) {
		cli_output_abort(&out);
		goto fail;
	}
	/*
	 * Everything is written: now make it the files.  The new register, the
	 * notices and the findings file are one set: all are flushed and synced
	 * (a full disk shows here) before any is renamed into place, so a
	 * failure leaves every one as it was (status 2).  Standard output is
	 * flushed first, since it cannot be taken back.
	 */
	oa_csv_writer_free(w);
	w = NULL;
	if (notices != NULL &&
	    oa_stocktake_write_notices(st, notices, &depts, date, signature, &set, &err) < 0)
		goto fail;
	if (cli_output_join(&out, &set) < 0)
		goto out;
	if (oa_atomic_set_commit(&set, &err) < 0)
		goto fail;
	status = oa_stocktake_findings(st) > 0 ? EXIT_FINDINGS : EXIT_DONE;
	goto out;
fail:
	cli_error(&err);
out:
	cli_output_abort(&out);
	oa_atomic_set_abort(&set);
	oa_csv_writer_free(w);
	oa_lock_release(&lock);
	oa_stocktake_free(st);
	oa_departments_release(&depts);
	oa_config_free(cfg);
	free(file_enc);
	return cli_finish(status);
}
