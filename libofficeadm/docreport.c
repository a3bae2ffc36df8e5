/*
 * docreport.c - doc-route's reports from the journal: the status, log and
 * 督办 CSVs, the notices to department heads, and the 公文处理笺.  See
 * docreport.h.
 *
 * Each report is one function writing to a writer or a FILE; the notices
 * are the one place that creates files (a directory of them, each through
 * oa_atomic_*).  Order: route and register (the documents CSV), then the
 * journal's status, log and overdue list, the notices, the slip.
 */
#include "docreport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "durable.h"
#include "utf8.h"

static const char *
or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

/* ---- route ---- */

/* The columns route fills, found in the input (through oa_doc_columns) or
 * appended under these names. */
enum { RC_DEADLINE, RC_LEAD, RC_CO, RC_LEADER, RC_CIRCULATE, RC_N };
static const char *const route_columns[RC_N] = {
	"deadline", "lead", "co", "leader", "circulate",
};

typedef struct route_state {
	const oa_route_report *rep;
	size_t n, width;
	long pos[RC_N]; /* header position, or -1: appended */
	long title;     /* header position of the title */
	const oa_calendar *cal;
} route_state;

/* For explain: the lead departments (in LIST) not in [departments]. */
static void
note_unknown(const oa_route_report *rep, const char *list)
{
	char **items;
	size_t n;

	if (rep->depts == NULL || rep->depts->count == 0)
		return;
	n = oa_config_split_list(list, &items);
	for (size_t i = 0; i < n; i++)
		if (oa_departments_find(rep->depts, items[i], strlen(items[i])) == NULL)
			fprintf(rep->fp,
			        "   (%s is not in [departments]: no notice can reach its head)\n",
			        items[i]);
	free(items);
}

/* The header: where the routing columns are, and the header written out. */
static void
route_header(route_state *c, const oa_csv_reader *r, const int *index)
{
	oa_csv_writer *w = c->rep->w;

	c->width = oa_csv_nfields(r);
	c->title = index[OA_DC_TITLE];
	c->pos[RC_DEADLINE] = index[OA_DC_DEADLINE];
	c->pos[RC_LEAD] = index[OA_DC_LEAD];
	c->pos[RC_CO] = index[OA_DC_CO];
	c->pos[RC_LEADER] = index[OA_DC_LEADER];
	c->pos[RC_CIRCULATE] = index[OA_DC_CIRCULATE];
	if (c->rep->explain)
		return;
	for (size_t i = 0; i < c->width; i++)
		oa_csv_write_field(w, oa_csv_field(r, i), oa_csv_field_len(r, i));
	for (int k = 0; k < RC_N; k++)
		if (c->pos[k] < 0)
			oa_csv_write_str(w, route_columns[k]);
	oa_csv_end_record(w);
}

static int
route_one(void *arg, oa_doc *doc, const oa_csv_reader *r, const int *index, oa_error *err)
{
	route_state *c = arg;
	const oa_route_report *rep = c->rep;
	char deadline[11], *text = NULL;
	const char *value[RC_N];

	if (doc == NULL) {
		route_header(c, r, index);
		return 0;
	}
	if (oa_rules_route(rep->rules, doc, rep->show_classified, rep->explain ? &text : NULL,
	                   err) < 0)
		return -1;
	c->n++;
	if (rep->calendar != NULL && rep->calendar->msg[0] == '\0' && doc->deadline_computed)
		oa_calendar_check_range(c->cal, doc->received, doc->deadline, rep->calendar);
	oa_date_format(doc->deadline, deadline);
	if (rep->explain) {
		fprintf(rep->fp, "%s%zu: %s (%s)\n%s=> lead %s; co %s; leader %s; circulate %s\n",
		        c->n > 1 ? "\n" : "", c->n, oa_doc_title_shown(doc, rep->show_classified),
		        oa_doc_types[doc->type], text, or_dash(doc->lead), or_dash(doc->co),
		        or_dash(doc->leader), or_dash(doc->circulate));
		free(text);
		note_unknown(rep, doc->lead);
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
			cell = oa_doc_title_shown(doc, rep->show_classified);
		if (cell != NULL)
			oa_csv_write_str(rep->w, cell);
		else
			oa_csv_write_field(rep->w, oa_csv_field(r, i), oa_csv_field_len(r, i));
	}
	for (int k = 0; k < RC_N; k++)
		if (c->pos[k] < 0)
			oa_csv_write_str(rep->w, value[k]);
	oa_csv_end_record(rep->w);
	return 0;
}

int
oa_docreport_route(const char *path, const oa_csv_options *opt, const oa_doc_limits *lim,
                   const oa_calendar *cal, oa_date today, const char *default_code,
                   const oa_route_report *rep, oa_error *err)
{
	route_state c;

	memset(&c, 0, sizeof c);
	c.rep = rep;
	c.cal = cal;
	return oa_docs_each(path, opt, lim, cal, today, default_code, route_one, &c, err);
}

void
oa_docreport_registered(oa_csv_writer *w, const oa_doc_change *changes, size_t n,
                        bool show_classified)
{
	static const char *const head[] = { "doc", "direction", "type", "title", "deadline",
	                                    "lead", "co", "leader", "circulate" };

	oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < n; i++) {
		const oa_doc *d = changes[i].newdoc;
		char id[24], deadline[11];

		snprintf(id, sizeof id, "%ld", changes[i].assigned_doc);
		oa_date_format(d->deadline, deadline);
		const char *row[] = { id, oa_direction_name(d->direction), oa_doc_types[d->type],
		                      oa_doc_title_shown(d, show_classified), deadline, d->lead,
		                      d->co, d->leader, d->circulate };
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
}

/* ---- the journal: status, log, overdue ---- */

void
oa_docreport_status(oa_csv_writer *w, const oa_docjournal *j, bool open_only,
                    bool show_classified)
{
	static const char *const head[] = {
		"doc", "number", "direction", "type", "title", "issuer", "ref", "urgency",
		"secrecy", "received", "deadline", "lead", "co", "leader", "step", "updated",
		"urged", "state",
	};

	oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < j->ndocs; i++) {
		const oa_doc *d = &j->docs[i];
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
			oa_doc_title_shown(d, show_classified), d->issuer, d->ref,
			oa_urgency_name(d->urgency), d->secrecy_text, received, deadline, d->lead,
			d->co, d->leader, oa_step_name(d->step), d->updated, urged,
			done ? (oa_doc_done_late(d) ? "done-late" : "done") : "open",
		};
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
}

void
oa_docreport_log(oa_csv_writer *w, const oa_docjournal *j)
{
	static const char *const head[] = { "seq", "time", "doc", "step", "actor",
	                                    "department", "note", "number", "deadline" };

	oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < j->nevents; i++) {
		const oa_doc_event *e = &j->events[i];
		char seq[24], doc[24];

		snprintf(seq, sizeof seq, "%ld", e->seq);
		snprintf(doc, sizeof doc, "%ld", e->doc);
		const char *row[] = { seq, e->time, doc, oa_step_name(e->step), e->actor,
		                      e->department, e->note, e->number, e->deadline };
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
}

void
oa_docreport_overdue(oa_csv_writer *w, const oa_overdue *v, size_t n, bool header,
                     bool show_classified)
{
	static const char *const head[] = { "department", "doc", "number", "title", "urgency",
	                                    "deadline", "due", "days", "step", "urged" };

	if (header)
		oa_csv_write_record(w, head, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < n; i++) {
		const oa_doc *d = v[i].doc;
		char id[24], days[24], urged[24], deadline[11];

		snprintf(id, sizeof id, "%ld", d->id);
		snprintf(days, sizeof days, "%ld", v[i].days);
		snprintf(urged, sizeof urged, "%ld", d->urged);
		oa_date_format(d->deadline, deadline);
		const char *row[] = { v[i].department, id, d->number,
		                      oa_doc_title_shown(d, show_classified),
		                      oa_urgency_name(d->urgency), deadline,
		                      v[i].due == OA_DUE_OVERDUE ? "overdue" : "soon", days,
		                      oa_step_name(d->step), urged };
		oa_csv_write_record(w, row, sizeof row / sizeof row[0]);
	}
}

/* ---- notices ---- */

void
oa_mime_put_encoded_word(FILE *fp, const char *s)
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

size_t
oa_overdue_group(const oa_overdue *v, size_t n)
{
	size_t k = n > 0 ? 1 : 0;

	while (k < n && strcmp(v[k].department, v[0].department) == 0)
		k++;
	return k;
}

char *
oa_notice_path(const char *dir, oa_notice_names *names, const oa_department *dept,
               const char *name)
{
	const char *file = oa_notice_name(names, dept && dept->code[0] ? dept->code : name);
	char *path;

	if (file == NULL || asprintf(&path, "%s/%s", dir, file) < 0)
		return NULL;
	return path;
}

static const oa_department *
find_department(const oa_notice_options *opt, const char *name)
{
	return opt->depts ? oa_departments_find(opt->depts, name, strlen(name)) : NULL;
}

void
oa_notice_write(FILE *fp, const oa_overdue *v, size_t n, const oa_notice_options *opt)
{
	const char *name = v[0].department;
	const oa_department *dept = find_department(opt, name);
	const char *org = opt->organisation ? opt->organisation : "";
	char *subject = NULL, date[11];
	size_t nover = 0, nsoon = 0;

	for (size_t i = 0; i < n; i++)
		v[i].due == OA_DUE_OVERDUE ? nover++ : nsoon++;
	oa_date_format(opt->as_of, date);
	if (asprintf(&subject, "督办：%s %zu 件公文逾期，%zu 件即将到期（%s）", name, nover, nsoon,
	             date) < 0)
		subject = NULL;
	if (dept && dept->email[0]) {
		fputs("To: ", fp);
		oa_mime_put_encoded_word(fp, dept->head[0] ? dept->head : name);
		fprintf(fp, " <%s>\n", dept->email);
	}
	fputs("Subject: ", fp);
	oa_mime_put_encoded_word(fp, subject ? subject : "督办");
	fputs("\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
	      "Content-Transfer-Encoding: 8bit\n\n", fp);
	fprintf(fp, "%s：\n\n", dept && dept->head[0] ? dept->head : name);
	fprintf(fp, "截至 %s，%s主办的公文中有 %zu 件已逾期、%zu 件即将到期，请督促办理：\n\n",
	        date, name, nover, nsoon);
	for (size_t i = 0; i < n; i++) {
		const oa_doc *d = v[i].doc;
		char deadline[11];

		oa_date_format(d->deadline, deadline);
		fprintf(fp, "%zu. %s\n   编号：%s（登记序号 %ld）  期限：%s  ", i + 1,
		        oa_doc_title_shown(d, opt->show_classified), or_dash(d->number), d->id,
		        deadline);
		/* Never "0 days": due today, or past a deadline with no working
		 * day since (a weekend run), says so in words. */
		if (v[i].due == OA_DUE_OVERDUE && v[i].days > 0)
			fprintf(fp, "已逾期 %ld 个工作日", v[i].days);
		else if (v[i].due == OA_DUE_OVERDUE)
			fputs("已过期限", fp);
		else if (d->deadline == opt->as_of)
			fputs("今日到期", fp);
		else if (v[i].days > 0)
			fprintf(fp, "剩余 %ld 个工作日", v[i].days);
		else
			fputs("下一个工作日前到期", fp);
		fprintf(fp, "  当前环节：%s", oa_step_name(d->step));
		if (d->urgency)
			fprintf(fp, "  %s", oa_urgency_name(d->urgency));
		if (d->urged)
			fprintf(fp, "  已催办 %ld 次", d->urged);
		fputc('\n', fp);
	}
	fprintf(fp, "\n%s办公室\n%s\n", org, date);
	free(subject);
}

/* Writes the notice for V[0..n) (one department) into DIR. */
static int
notice_file(const char *dir, oa_notice_names *names, const oa_overdue *v, size_t n,
            const oa_notice_options *opt, oa_atomic_set *set, oa_error *err)
{
	const char *name = v[0].department;
	char *path = oa_notice_path(dir, names, find_department(opt, name), name);
	oa_atomic_file *af;

	if (path == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	/* A notice that may name classified titles is for its addressee only:
	 * 0600 even when it replaces a notice readable by others. */
	af = oa_atomic_set_open(set, path, opt->show_classified ? 0600 : 0644,
	                        opt->show_classified ? OA_ATOMIC_MODE_EXACT : 0, err);
	free(path);
	if (af == NULL)
		return -1;
	/* A write error shows at the commit (the stream keeps it). */
	oa_notice_write(af->fp, v, n, opt);
	return 0;
}

int
oa_notices_write(const char *dir, const oa_overdue *v, size_t n, const oa_notice_options *opt,
                 oa_error *err)
{
	return oa_notices_write_set(dir, v, n, opt, NULL, err);
}

int
oa_notices_write_set(const char *dir, const oa_overdue *v, size_t n,
                     const oa_notice_options *opt, oa_atomic_set *set, oa_error *err)
{
	oa_notice_names names = { 0 };
	oa_atomic_set own;
	int rc;

	if (set == NULL) {
		oa_atomic_set_init(&own);
		set = &own;
	}
	rc = oa_atomic_set_mkdir(set, dir, err);
	for (size_t i = 0; i < n && rc == 0;) {
		size_t k = oa_overdue_group(v + i, n - i);

		rc = notice_file(dir, &names, v + i, k, opt, set, err);
		i += k;
	}
	oa_notice_names_release(&names);
	if (set == &own) {
		if (rc == 0)
			return oa_atomic_set_commit(set, err);
		oa_atomic_set_abort(set);
	}
	return rc;
}

/* ---- the 公文处理笺 ---- */

/*
 * The slip is a grid 72 cells wide (a CJK character is 2 cells): rows of
 * one, two or three cells, each "LABEL：VALUE", the value wrapped inside its
 * own column under its first line, so that a long 来文机关 never runs into
 * the next label and a long title stays within the page.
 */
#define SLIP_WIDTH 72

/* Closing punctuation that should not start a line (避头点). */
static bool
closing_punct(uint32_t cp)
{
	static const uint32_t v[] = { 0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF09, 0x3015,
	                              0x300D, 0x300F, 0xFF01, 0xFF1F, 0x300B, 0x3009, 0x201D,
	                              0x2019, ',', '.', ';', ':', ')', '!', '?' };

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i] == cp)
			return true;
	return false;
}

/* One character at S (LEN bytes left): its byte length, code point and width. */
static size_t
slip_char(const char *s, size_t len, uint32_t *cp, size_t *width)
{
	int n = oa_utf8_decode(s, len, cp);

	if (n <= 0) {
		*cp = (unsigned char)*s;
		n = 1;
	}
	*width = oa_utf8_width(s, (size_t)n);
	return (size_t)n;
}

/*
 * The length in bytes of the first line of S[0..len) that fits in WIDTH
 * cells: whole characters, an ASCII word not split when the line has a
 * space to break at, no closing punctuation carried to the next line's
 * start.  At least one character.
 */
static size_t
slip_fit(const char *s, size_t len, size_t width)
{
	size_t i = 0, used = 0, last_space = 0, prev = 0;
	uint32_t cp = 0, pcp = 0;

	while (i < len) {
		size_t w, n = slip_char(s + i, len - i, &cp, &w);
		if (used + w > width && i > 0)
			break;
		if (cp == ' ')
			last_space = i + 1;
		prev = i;
		pcp = cp;
		used += w;
		i += n;
	}
	if (i >= len)
		return len;
	/* Inside an ASCII word: break after its space instead. */
	if (cp < 0x80 && cp != ' ' && pcp < 0x80 && pcp != ' ' && last_space > 0)
		return last_space;
	/* A closing mark would start the next line: take the character
	 * before it along. */
	if (closing_punct(cp) && prev > 0)
		return prev;
	return i;
}

typedef struct slip_cell {
	const char *label, *value;
	size_t width; /* cells of the column, label included; 0: to the edge */
} slip_cell;

/* Prints a row of N cells starting at the left edge, each value wrapped. */
static void
slip_row(FILE *fp, const slip_cell *cells, size_t n)
{
	const char *at[3];
	size_t left[3], avail[3], lw[3], start = 0;
	bool first = true;

	for (size_t k = 0; k < n && k < 3; k++) {
		size_t width = cells[k].width ? cells[k].width : SLIP_WIDTH - start;
		lw[k] = oa_utf8_width(cells[k].label, strlen(cells[k].label)) + 2; /* "：" */
		avail[k] = width > lw[k] + 2 + 8 ? width - lw[k] - (k + 1 < n ? 2 : 0) : 8;
		at[k] = cells[k].value;
		left[k] = strlen(cells[k].value);
		start += width;
	}
	for (;;) {
		size_t col = 0, more = 0;

		for (size_t k = 0; k < n && k < 3; k++)
			more |= left[k];
		if (!more && !first)
			break;
		start = 0;
		for (size_t k = 0; k < n && k < 3; k++) {
			size_t width = cells[k].width ? cells[k].width : SLIP_WIDTH - start;
			size_t rest = 0, take;

			for (size_t m = k; m < n && m < 3; m++)
				rest |= left[m];
			if (!first && rest == 0)
				break; /* nothing more on this line: no trailing spaces */
			for (; col < start; col++)
				fputc(' ', fp);
			if (first)
				fprintf(fp, "%s：", cells[k].label);
			else
				for (size_t i = 0; i < lw[k]; i++)
					fputc(' ', fp);
			col += lw[k];
			take = left[k] ? slip_fit(at[k], left[k], avail[k]) : 0;
			size_t shown = take;
			while (shown > 0 && at[k][shown - 1] == ' ')
				shown--; /* no trailing space at a break */
			fwrite(at[k], 1, shown, fp);
			col += oa_utf8_width(at[k], shown);
			at[k] += take;
			left[k] -= take;
			while (left[k] > 0 && *at[k] == ' ')
				at[k]++, left[k]--;
			start += width;
		}
		fputc('\n', fp);
		first = false;
	}
}

/* One line of the 办理经过, wrapped under its text after the time. */
static void
slip_event(FILE *fp, const oa_doc_event *e)
{
	char *text = NULL;
	size_t size = 0, len;
	FILE *mem = open_memstream(&text, &size);
	const char *p;

	if (mem == NULL)
		return;
	fprintf(mem, "%s  %s", oa_step_name(e->step), or_dash(e->actor));
	if (e->department[0])
		fprintf(mem, "（%s）", e->department);
	if (e->number[0])
		fprintf(mem, "  %s", e->number);
	if (e->deadline[0] && e->step != OA_STEP_RECEIVED && e->step != OA_STEP_DRAFTED)
		fprintf(mem, "  期限至 %s", e->deadline);
	if (e->note[0])
		fprintf(mem, "  %s", e->note);
	if (fclose(mem) != 0) {
		free(text);
		return;
	}
	/* "  YYYY-MM-DD HH:MM  " is 20 cells; the text wraps in the other 52. */
	fprintf(fp, "  %s  ", e->time);
	for (p = text, len = strlen(text);;) {
		size_t take = slip_fit(p, len, SLIP_WIDTH - 20), shown = take;
		while (shown > 0 && p[shown - 1] == ' ')
			shown--;
		fwrite(p, 1, shown, fp);
		fputc('\n', fp);
		p += take;
		len -= take;
		while (len > 0 && *p == ' ')
			p++, len--;
		if (len == 0)
			break;
		fprintf(fp, "%20s", "");
	}
	free(text);
}

void
oa_docreport_slip(FILE *fp, const oa_doc *d, const oa_doc_event *events, size_t nevents,
                  const char *organisation, bool show_classified)
{
	static const char rule[] =
		"------------------------------------------------------------------------\n";
	char received[11], deadline[11], id[24];

	oa_date_format(d->received, received);
	oa_date_format(d->deadline, deadline);
	snprintf(id, sizeof id, "%ld", d->id);
	fprintf(fp, "%s%s处理笺\n", organisation ? organisation : "",
	        d->direction == OA_DOC_IN ? "收文" : "发文");
	fputs(rule, fp);
	slip_row(fp, (slip_cell[]){ { "编号", or_dash(d->number), 36 }, { "登记序号", id, 0 } }, 2);
	if (d->direction == OA_DOC_IN)
		slip_row(fp, (slip_cell[]){ { "来文机关", or_dash(d->issuer), 36 },
		                            { "来文字号", or_dash(d->ref), 0 } }, 2);
	else
		slip_row(fp, (slip_cell[]){ { "机关代字", or_dash(d->code), 36 },
		                            { "主送", or_dash(d->issuer), 0 } }, 2);
	slip_row(fp, (slip_cell[]){ { "标题", oa_doc_title_shown(d, show_classified), 0 } }, 1);
	slip_row(fp, (slip_cell[]){ { "文种", oa_doc_types[d->type], 18 },
	                            { "紧急程度", or_dash(oa_urgency_name(d->urgency)), 18 },
	                            { "密级", or_dash(d->secrecy_text), 0 } }, 3);
	slip_row(fp, (slip_cell[]){ { d->direction == OA_DOC_IN ? "收文日期" : "起草日期",
	                              received, 36 },
	                            { "办理期限", deadline, 0 } }, 2);
	if (d->keywords[0])
		slip_row(fp, (slip_cell[]){ { "主题词", d->keywords, 0 } }, 1);
	fputs(rule, fp);
	slip_row(fp, (slip_cell[]){ { "主办", or_dash(d->lead), 36 }, { "协办", or_dash(d->co), 0 } },
	         2);
	slip_row(fp, (slip_cell[]){ { "批办领导", or_dash(d->leader), 36 },
	                            { "传阅", or_dash(d->circulate), 0 } }, 2);
	fputs(rule, fp);
	fputs("办理经过：\n", fp);
	for (size_t i = 0; i < nevents; i++)
		slip_event(fp, &events[i]);
	fputs(rule, fp);
	fprintf(fp, "当前环节：%s%s", oa_step_name(d->step),
	        !oa_step_done(d->direction, d->step) ? ""
	        : oa_doc_done_late(d) ? "（已办结，超期）" : "（已办结）");
	if (d->urged > 0)
		fprintf(fp, "  催办 %ld 次", d->urged);
	if (d->extended > 0)
		fprintf(fp, "  延期 %ld 次", d->extended);
	fputc('\n', fp);
}
