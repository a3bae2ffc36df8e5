/*
 * report.c - the subcommands that read the journal: status (a CSV of
 * current states), log (the events of one document), overdue (what is
 * late or due soon, per department, with notices to department heads), and
 * slip (the 公文处理笺 of one document as printable text).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc-route.h"
#include "durable.h"
#include "utf8.h"

enum { OPT_OPEN = 256, OPT_EXCEL, OPT_SHOW, OPT_AS_OF, OPT_SOON, OPT_NOTICES };

static const char usage_status[] =
	"usage: doc-route status [--open] [--excel] [--show-classified] [-o file]\n";
static const char usage_log[] = "usage: doc-route log [--excel] [-o file] doc\n";
static const char usage_overdue[] =
	"usage: doc-route overdue [--as-of date] [--soon n] [--notices dir] [--excel]\n"
	"                         [--show-classified] [-o file]\n";
static const char usage_slip[] = "usage: doc-route slip [--show-classified] [-o file] doc\n";

static const char *
or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

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
	static const char *const head[] = {
		"doc", "number", "direction", "type", "title", "issuer", "ref", "urgency",
		"secrecy", "received", "deadline", "lead", "co", "leader", "step", "updated",
		"urged", "state",
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
	if (cli_output_open(&out, outpath, 0644) < 0) {
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out.fp, excel);
	oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < j.ndocs; i++) {
		const oa_doc *d = &j.docs[i];
		bool done = oa_step_done(d->direction, d->step);
		char id[24], urged[24], received[11], deadline[11];

		if (open_only && done)
			continue;
		snprintf(id, sizeof id, "%ld", d->id);
		snprintf(urged, sizeof urged, "%ld", d->urged);
		oa_date_format(d->received, received);
		oa_date_format(d->deadline, deadline);
		const char *row[] = {
			id, d->number, oa_direction_name(d->direction), oa_doc_types[d->type],
			oa_doc_title_shown(d, show), d->issuer, d->ref, oa_urgency_name(d->urgency),
			d->secrecy_text, received, deadline, d->lead, d->co, d->leader,
			oa_step_name(d->step), d->updated, urged, done ? "done" : "open",
		};
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
	oa_docjournal_release(&j);
	return finish_output(&out, w, EXIT_DONE);
}

/* Loads the journal keeping the events of the document named TEXT. */
static const oa_doc *
load_one(dr_ctx *ctx, oa_docjournal *j, const char *text)
{
	const oa_doc *d;
	long id;

	if (dr_load(ctx, j, 0) < 0)
		return NULL;
	d = oa_docjournal_find(j, text);
	if (d == NULL) {
		cli_msg_at(ctx->journal, 0, "no document \"%s\"", text);
		oa_docjournal_release(j);
		return NULL;
	}
	id = d->id;
	oa_docjournal_release(j);
	if (dr_load(ctx, j, id) < 0)
		return NULL;
	return oa_docjournal_doc(j, id);
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
	static const char *const head[] = { "seq", "time", "doc", "step", "actor",
	                                    "department", "note", "number" };
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
	if (cli_output_open(&out, outpath, 0644) < 0) {
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out.fp, excel);
	oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < j.nevents; i++) {
		const oa_doc_event *e = &j.events[i];
		char seq[24], doc[24];
		snprintf(seq, sizeof seq, "%ld", e->seq);
		snprintf(doc, sizeof doc, "%ld", e->doc);
		const char *row[] = { seq, e->time, doc, oa_step_name(e->step), e->actor,
		                      e->department, e->note, e->number };
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
	oa_docjournal_release(&j);
	return finish_output(&out, w, EXIT_DONE);
}

/* ---- overdue ---- */

/* RFC 2047 encoded-word (base64) for a UTF-8 header value. */
static void
put_encoded_word(FILE *fp, const char *s)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	/* One word per up to 45 bytes of whole characters keeps lines short. */
	while (len > 0) {
		size_t n = len < 45 ? len : 45;
		while (n < len && (p[n] & 0xC0) == 0x80)
			n--;
		fputs("=?UTF-8?B?", fp);
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)p[i] << 16;
			if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
			if (i + 2 < n) v |= p[i + 2];
			fputc(b64[(v >> 18) & 63], fp);
			fputc(b64[(v >> 12) & 63], fp);
			fputc(i + 1 < n ? b64[(v >> 6) & 63] : '=', fp);
			fputc(i + 2 < n ? b64[v & 63] : '=', fp);
		}
		fputs("?=", fp);
		p += n;
		len -= n;
		if (len > 0)
			fputs("\n ", fp);
	}
}

/* A file name for a department: its code, else its name with / made _. */
static char *
notice_name(const char *dir, const oa_department *dept, const char *name)
{
	char *path, *base;

	if (asprintf(&path, "%s/%s.txt", dir, dept && dept->code[0] ? dept->code : name) < 0)
		return NULL;
	base = path + strlen(dir) + 1;
	for (char *p = base; *p; p++)
		if (*p == '/')
			*p = '_';
	return path;
}

static int
write_notice(dr_ctx *ctx, const char *dir, const oa_departments *depts, const oa_overdue *v,
             size_t n, oa_date as_of, bool show)
{
	const char *name = v[0].department;
	const oa_department *dept = oa_departments_find(depts, name, strlen(name));
	const char *org = oa_config_get_string(ctx->cfg, "general", "organisation", "");
	char *path = notice_name(dir, dept, name), *subject = NULL, date[11];
	size_t nover = 0, nsoon = 0;
	oa_atomic_file af;
	oa_error err;

	if (path == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i].due == OA_DUE_OVERDUE ? nover++ : nsoon++;
	oa_date_format(as_of, date);
	oa_error_clear(&err);
	if (oa_atomic_open(&af, path, 0644, &err) < 0) {
		cli_error(&err);
		free(path);
		return -1;
	}
	if (asprintf(&subject, "督办：%s %zu 件公文逾期，%zu 件即将到期（%s）", name, nover, nsoon,
	             date) < 0)
		subject = NULL;
	if (dept && dept->email[0]) {
		fputs("To: ", af.fp);
		put_encoded_word(af.fp, dept->head[0] ? dept->head : name);
		fprintf(af.fp, " <%s>\n", dept->email);
	}
	fputs("Subject: ", af.fp);
	put_encoded_word(af.fp, subject ? subject : "督办");
	fputs("\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
	      "Content-Transfer-Encoding: 8bit\n\n", af.fp);
	fprintf(af.fp, "%s：\n\n", dept && dept->head[0] ? dept->head : name);
	fprintf(af.fp, "截至 %s，%s主办的公文中有 %zu 件已逾期、%zu 件即将到期，请督促办理：\n\n",
	        date, name, nover, nsoon);
	for (size_t i = 0; i < n; i++) {
		const oa_doc *d = v[i].doc;
		char deadline[11];
		oa_date_format(d->deadline, deadline);
		fprintf(af.fp, "%zu. %s\n   编号：%s（登记序号 %ld）  期限：%s  ", i + 1,
		        oa_doc_title_shown(d, show), or_dash(d->number), d->id, deadline);
		if (v[i].due == OA_DUE_OVERDUE)
			fprintf(af.fp, "已逾期 %ld 个工作日", v[i].days);
		else
			fprintf(af.fp, "剩余 %ld 个工作日", v[i].days);
		fprintf(af.fp, "  当前环节：%s", oa_step_name(d->step));
		if (d->urgency)
			fprintf(af.fp, "  %s", oa_urgency_name(d->urgency));
		if (d->urged)
			fprintf(af.fp, "  已催办 %ld 次", d->urged);
		fputc('\n', af.fp);
	}
	fprintf(af.fp, "\n%s办公室\n%s\n", org, date);
	free(subject);
	free(path);
	if (oa_atomic_commit(&af, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

static int
write_notices(dr_ctx *ctx, const char *dir, const oa_overdue *v, size_t n, oa_date as_of, bool show)
{
	oa_departments depts;
	oa_error err;
	int rc = 0;

	oa_error_clear(&err);
	if (oa_departments_load(&depts, ctx->cfg, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		cli_sys(dir, "cannot create directory");
		oa_departments_release(&depts);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0;) {
		size_t k = i + 1;
		while (k < n && strcmp(v[k].department, v[i].department) == 0)
			k++;
		rc = write_notice(ctx, dir, &depts, v + i, k - i, as_of, show);
		i = k;
	}
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
	static const char *const head[] = { "department", "doc", "number", "title", "urgency",
	                                    "deadline", "due", "days", "step", "urged" };
	bool excel = false, show = false;
	const char *outpath = NULL, *notices = NULL;
	oa_date as_of = oa_calendar_today(&ctx->cal);
	long soon = -1, count;
	oa_docjournal j;
	cli_output out;
	oa_csv_writer *w;
	oa_overdue *v;
	oa_error err;
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
	if (cli_output_open(&out, outpath, 0644) < 0) {
		free(v);
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	w = oa_csv_writer_new(out.fp, excel);
	/* Silent when nothing is listed, so cron mails only when needed; a
	 * file named by -o still gets its header. */
	if (n > 0 || out.atomic)
		oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < n; i++) {
		const oa_doc *d = v[i].doc;
		char id[24], days[24], urged[24], deadline[11];
		snprintf(id, sizeof id, "%ld", d->id);
		snprintf(days, sizeof days, "%ld", v[i].days);
		snprintf(urged, sizeof urged, "%ld", d->urged);
		oa_date_format(d->deadline, deadline);
		const char *row[] = { v[i].department, id, d->number, oa_doc_title_shown(d, show),
		                      oa_urgency_name(d->urgency), deadline,
		                      v[i].due == OA_DUE_OVERDUE ? "overdue" : "soon", days,
		                      oa_step_name(d->step), urged };
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
	if (notices != NULL && write_notices(ctx, notices, v, n, as_of, show) < 0)
		status = EXIT_TROUBLE;
	free(v);
	oa_docjournal_release(&j);
	return finish_output(&out, w, status);
}

/* ---- slip ---- */

/* Prints LABEL：VALUE padded to WIDTH display cells. */
static void
cell(FILE *fp, const char *label, const char *value, size_t width)
{
	size_t used;

	fprintf(fp, "%s：%s", label, value);
	used = oa_utf8_width(label, strlen(label)) + 2 + oa_utf8_width(value, strlen(value));
	for (; used < width; used++)
		fputc(' ', fp);
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
	static const char rule[] =
		"------------------------------------------------------------------------\n";
	bool show = false;
	const char *outpath = NULL;
	const char *org = oa_config_get_string(ctx->cfg, "general", "organisation", "");
	oa_docjournal j;
	const oa_doc *d;
	cli_output out;
	char received[11], deadline[11], id[24];
	FILE *fp;
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
	if (cli_output_open(&out, outpath, 0644) < 0) {
		oa_docjournal_release(&j);
		return EXIT_TROUBLE;
	}
	fp = out.fp;
	oa_date_format(d->received, received);
	oa_date_format(d->deadline, deadline);
	snprintf(id, sizeof id, "%ld", d->id);
	fprintf(fp, "%s%s处理笺\n", org, d->direction == OA_DOC_IN ? "收文" : "发文");
	fputs(rule, fp);
	cell(fp, "编号", or_dash(d->number), 36);
	cell(fp, "登记序号", id, 0);
	fputc('\n', fp);
	if (d->direction == OA_DOC_IN) {
		cell(fp, "来文机关", or_dash(d->issuer), 36);
		cell(fp, "来文字号", or_dash(d->ref), 0);
	} else {
		cell(fp, "机关代字", or_dash(d->code), 36);
		cell(fp, "主送", or_dash(d->issuer), 0);
	}
	fputc('\n', fp);
	cell(fp, "标题", oa_doc_title_shown(d, show), 0);
	fputc('\n', fp);
	cell(fp, "文种", oa_doc_types[d->type], 18);
	cell(fp, "紧急程度", or_dash(oa_urgency_name(d->urgency)), 18);
	cell(fp, "密级", or_dash(d->secrecy_text), 0);
	fputc('\n', fp);
	cell(fp, d->direction == OA_DOC_IN ? "收文日期" : "起草日期", received, 36);
	cell(fp, "办理期限", deadline, 0);
	fputc('\n', fp);
	if (d->keywords[0]) {
		cell(fp, "主题词", d->keywords, 0);
		fputc('\n', fp);
	}
	fputs(rule, fp);
	cell(fp, "主办", or_dash(d->lead), 36);
	cell(fp, "协办", or_dash(d->co), 0);
	fputc('\n', fp);
	cell(fp, "批办领导", or_dash(d->leader), 36);
	cell(fp, "传阅", or_dash(d->circulate), 0);
	fputc('\n', fp);
	fputs(rule, fp);
	fputs("办理经过：\n", fp);
	for (size_t i = 0; i < j.nevents; i++) {
		const oa_doc_event *e = &j.events[i];
		fprintf(fp, "  %s  %s  %s", e->time, oa_step_name(e->step), or_dash(e->actor));
		if (e->department[0])
			fprintf(fp, "（%s）", e->department);
		if (e->number[0])
			fprintf(fp, "  %s", e->number);
		if (e->note[0])
			fprintf(fp, "  %s", e->note);
		fputc('\n', fp);
	}
	fputs(rule, fp);
	fprintf(fp, "当前环节：%s%s", oa_step_name(d->step),
	        oa_step_done(d->direction, d->step) ? "（已办结）" : "");
	if (d->urged > 0)
		fprintf(fp, "  催办 %ld 次", d->urged);
	fputc('\n', fp);
	oa_docjournal_release(&j);
	return finish_output(&out, NULL, EXIT_DONE);
}
