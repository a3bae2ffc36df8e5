/*
 * assetreport.c - the leadership's reports over the register and the
 * asset journal.  See assetreport.h.
 *
 * The summary sorts row numbers by (department, custodian, class, status)
 * and sums runs; the overdue list walks the journal's states; notices
 * reuse the mail form of the 督办 notices (docreport.h).
 */
#include "assetreport.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "docreport.h"
#include "durable.h"

/* Plain digits with an optional fraction of at most two places (fen). */
static int
plain_fen(const char *s, size_t len, long long *fen)
{
	long long whole = 0, frac = 0;
	size_t i = 0, digits = 0;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len) {
		*fen = 0;
		return 0;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (whole > 1000000000000000LL)
			return -1;
		whole = whole * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		int n = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++) {
			if (n < 2)
				frac = frac * 10 + (s[i] - '0');
			else if (s[i] != '0')
				return -1; /* finer than a fen */
		}
		if (n == 1)
			frac *= 10;
		digits += (size_t)n;
	}
	if (i != len || digits == 0)
		return -1;
	*fen = whole * 100 + frac;
	return 0;
}

int
oa_value_fen(const char *s, long long *fen)
{
	size_t len = strlen(s);
	char norm[64];
	double ignored;
	int n;

	if (plain_fen(s, len, fen) == 0)
		return 0;
	/* 1234.5元: the unit after the number. */
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len > strlen("元") && memcmp(s + len - strlen("元"), "元", strlen("元")) == 0) {
		len -= strlen("元");
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len == 0) /* "元" alone is no amount */
			return -1;
		if (plain_fen(s, len, fen) == 0)
			return 0;
	}
	/* As Excel shows money: ¥1,234.50, ￥1,234.50, 1,234.50, full-width digits. */
	n = oa_asset_parse_amount(s, len, &ignored, norm, sizeof norm);
	if (n <= 0)
		return -1;
	return plain_fen(norm, (size_t)n, fen);
}

void
oa_fen_format(long long fen, char *buf)
{
	snprintf(buf, 32, "%s%lld.%02lld", fen < 0 ? "-" : "", llabs(fen) / 100, llabs(fen) % 100);
}

static int
row_fen(const oa_register *reg, size_t row, long long *fen, oa_error *err)
{
	const char *v = oa_register_get(reg, row, OA_REG_VALUE);

	if (oa_value_fen(v, fen) < 0)
		return oa_error_set(err, reg->path, oa_register_line(reg, row),
		                    "value \"%s\" is not an amount in yuan (1234.50, ¥1,234.50, 1234.5元; "
		                    "at most two decimals, a fen)", v);
	return 0;
}

/* ---- summary ---- */

typedef struct key {
	const char *dept, *cust, *cls, *status;
	long long fen;
} key;

static int
key_cmp(const void *a, const void *b)
{
	const key *x = a, *y = b;
	int c;

	if ((c = strcmp(x->dept, y->dept)) != 0)
		return c;
	if ((c = strcmp(x->cust, y->cust)) != 0)
		return c;
	if ((c = strcmp(x->cls, y->cls)) != 0)
		return c;
	return strcmp(x->status, y->status);
}

static void
put_row(oa_csv_writer *w, const char *d, const char *c, const char *cls, const char *st,
        long count, long long fen)
{
	char n[24], v[32];

	snprintf(n, sizeof n, "%ld", count);
	oa_fen_format(fen, v);
	const char *f[6] = { d, c, cls, st, n, v };
	oa_csv_write_record(w, f, 6);
}

int
oa_assetreport_summary(const oa_register *reg, bool by_department, oa_csv_writer *w,
                       const char *out_name, oa_error *err)
{
	static const char *const header[6] = { "department", "custodian", "class", "status",
		                                "count", "value" };
	key *keys = malloc((reg->nrows + 1) * sizeof *keys);
	long long total = 0;

	if (keys == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (size_t r = 0; r < reg->nrows; r++) {
		key *k = &keys[r];
		const char *cls = oa_register_get(reg, r, OA_REG_CLASS);
		const char *st = oa_register_get(reg, r, OA_REG_STATUS);
		enum oa_asset_class c = oa_asset_class_parse(cls, strlen(cls));
		oa_asset_status s = oa_asset_status_read(st, strlen(st));

		k->dept = oa_register_get(reg, r, OA_REG_DEPARTMENT);
		k->cust = by_department ? "" : oa_register_get(reg, r, OA_REG_CUSTODIAN);
		k->cls = c != OA_CLASS_NONE ? oa_asset_class_name(c) : cls;
		k->status = st[0] == '\0' ? "in-use" : s != OA_AST_NONE ? oa_asset_status_en(s) : st;
		if (row_fen(reg, r, &k->fen, err) < 0) {
			free(keys);
			return -1;
		}
		total += k->fen;
	}
	qsort(keys, reg->nrows, sizeof *keys, key_cmp);
	oa_csv_write_record(w, header, 6);
	for (size_t i = 0; i < reg->nrows;) {
		size_t dstart = i;
		long dcount = 0;
		long long dfen = 0;
		while (i < reg->nrows && strcmp(keys[i].dept, keys[dstart].dept) == 0) {
			size_t s = i;
			long count = 0;
			long long fen = 0;
			while (i < reg->nrows && key_cmp(&keys[i], &keys[s]) == 0) {
				count++;
				fen += keys[i].fen;
				i++;
			}
			put_row(w, keys[s].dept, keys[s].cust, keys[s].cls, keys[s].status, count, fen);
			dcount += count;
			dfen += fen;
		}
		put_row(w, keys[dstart].dept, "*", "*", "*", dcount, dfen);
	}
	put_row(w, "total", "", "", "", (long)reg->nrows, total);
	free(keys);
	return oa_csv_writer_check(w, out_name, err);
}

/* ---- missing ---- */

long
oa_assetreport_missing(const oa_register *reg, oa_csv_writer *w, const char *out_name,
                       oa_error *err)
{
	static const char *const header[8] = { "tag", "name", "department", "custodian",
		                                "location", "class", "value", "last_audit" };
	static const int cols[8] = { OA_REG_TAG, OA_REG_NAME, OA_REG_DEPARTMENT, OA_REG_CUSTODIAN,
		                     OA_REG_LOCATION, OA_REG_CLASS, OA_REG_VALUE, OA_REG_LAST_AUDIT };
	long n = 0;
	long long total = 0;
	char count[24], sum[32];

	oa_csv_write_record(w, header, 8);
	for (size_t r = 0; r < reg->nrows; r++) {
		long long fen;
		if (oa_register_status(reg, r) != OA_AST_MISSING)
			continue;
		if (row_fen(reg, r, &fen, err) < 0)
			return -1;
		for (int c = 0; c < 8; c++)
			oa_csv_write_str(w, oa_register_get(reg, r, cols[c]));
		oa_csv_end_record(w);
		n++;
		total += fen;
	}
	snprintf(count, sizeof count, "%ld", n);
	oa_fen_format(total, sum);
	const char *f[8] = { "total", count, "", "", "", "", sum, "" };
	oa_csv_write_record(w, f, 8);
	if (oa_csv_writer_check(w, out_name, err) < 0)
		return -1;
	return n;
}

/* ---- statuses no event explains ---- */

long
oa_assetreport_check_unjournalled(const oa_assetjournal *j, const oa_register *reg,
                                  oa_csv_writer *w, const char *out_name, oa_error *err)
{
	long n = 0;

	for (size_t r = 0; r < reg->nrows; r++) {
		oa_asset_status s = oa_register_status(reg, r);
		const char *tag, *detail;
		const oa_asset_state *st;

		if (s == OA_AST_LENT)
			detail = "no event in the journal: only a lend makes an asset lent (typed in by hand?)";
		else if (s == OA_AST_REPAIR)
			detail = "no event in the journal: only a repair puts an asset in repair (typed in by hand?)";
		else
			continue;
		tag = oa_register_get(reg, r, OA_REG_TAG);
		st = oa_assetjournal_state(j, tag);
		if (st != NULL && st->events > 0)
			continue; /* oa_assetjournal_check compared it */
		const char *f[5] = { tag, "status", "no-events", oa_register_get(reg, r, OA_REG_STATUS),
		                     detail };
		oa_csv_write_record(w, f, 5);
		n++;
	}
	if (oa_csv_writer_check(w, out_name, err) < 0)
		return -1;
	return n;
}

int
oa_assetreport_lent_unrecorded(const oa_assetjournal *j, const oa_register *reg, long **rows,
                               size_t *n, oa_error *err)
{
	long *v = NULL;
	size_t count = 0, cap = 0;

	for (size_t r = 0; r < reg->nrows; r++) {
		const oa_asset_state *st;

		if (oa_register_status(reg, r) != OA_AST_LENT)
			continue;
		st = oa_assetjournal_state(j, oa_register_get(reg, r, OA_REG_TAG));
		if (st != NULL && st->events > 0 && st->status == OA_AST_LENT)
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			long *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL) {
				free(v);
				return oa_error_set(err, NULL, 0, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		v[count++] = (long)r;
	}
	*rows = v;
	*n = count;
	return 0;
}

/* ---- overdue ---- */

static int
overdue_cmp(const void *a, const void *b)
{
	const oa_asset_overdue *x = a, *y = b;
	int c = strcmp(x->st.borrower_department, y->st.borrower_department);

	if (c != 0)
		return c;
	if (x->st.due != y->st.due)
		return x->st.due < y->st.due ? -1 : 1;
	return strcmp(x->st.tag, y->st.tag);
}

bool
oa_assetreport_overdue_needs_events(const oa_assetjournal *j, oa_date as_of)
{
	for (size_t i = 0; i < j->nstates; i++)
		if (j->states[i].events > 0 && j->states[i].last_date > as_of)
			return true;
	return false;
}

static int
add_overdue(oa_asset_overdue **v, size_t *count, size_t *cap, const oa_asset_state *st,
            const oa_register *reg, oa_date as_of, oa_error *err)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		oa_asset_overdue *nv = realloc(*v, ncap * sizeof *nv);
		if (nv == NULL)
			return oa_error_set(err, NULL, 0, "out of memory");
		*v = nv;
		*cap = ncap;
	}
	(*v)[*count].st = *st;
	(*v)[*count].row = reg ? oa_register_find(reg, st->tag, strlen(st->tag)) : -1;
	(*v)[*count].days = as_of - st->due;
	(*count)++;
	return 0;
}

/*
 * The loans in force at the end of AS_OF, from the kept events (every
 * one, in journal order): per tag the last event dated on or before it,
 * and the last lend among those.  Later events (a return after AS_OF, a
 * loan made after it) do not count.
 */
static int
overdue_replayed(const oa_assetjournal *j, const oa_register *reg, oa_date as_of,
                 oa_asset_overdue **v, size_t *count, size_t *cap, oa_error *err)
{
	const oa_asset_event **last = calloc(j->nstates ? j->nstates * 2 : 1, sizeof *last);
	const oa_asset_event **lend;
	int rc = 0;

	if (last == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	lend = last + j->nstates;
	for (size_t i = 0; i < j->nevents; i++) {
		const oa_asset_event *e = &j->events[i];
		const oa_asset_state *st;
		if (e->date > as_of || e->kind == OA_AEV_COMMIT)
			continue;
		st = oa_assetjournal_state(j, e->f[OA_AJ_TAG]);
		if (st == NULL)
			continue;
		last[st - j->states] = e;
		if (e->kind == OA_AEV_LEND)
			lend[st - j->states] = e;
	}
	for (size_t i = 0; i < j->nstates && rc == 0; i++) {
		const oa_asset_event *e = last[i], *l = lend[i];
		oa_asset_state at;
		if (e == NULL || e->status != OA_AST_LENT || l == NULL || l->due >= as_of)
			continue;
		at = j->states[i];
		at.department = e->f[OA_AJ_DEPARTMENT];
		at.custodian = e->f[OA_AJ_CUSTODIAN];
		at.location = e->f[OA_AJ_LOCATION];
		at.status = OA_AST_LENT;
		at.borrower = l->f[OA_AJ_BORROWER];
		at.borrower_department = l->f[OA_AJ_BORROWER_DEPARTMENT];
		at.lent_on = l->date;
		at.due = l->due;
		at.last_date = e->date;
		at.last_seq = e->seq;
		at.disposed_on = -1;
		rc = add_overdue(v, count, cap, &at, reg, as_of, err);
	}
	free(last);
	return rc;
}

int
oa_assetreport_overdue(const oa_assetjournal *j, const oa_register *reg, oa_date as_of,
                       oa_asset_overdue **out, size_t *n, oa_error *err)
{
	oa_asset_overdue *v = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;

	if (oa_assetreport_overdue_needs_events(j, as_of) && j->as_of_kept && j->as_of == as_of &&
	    j->nevents == 0) {
		/* The states at the end of that day, kept in the one pass. */
		for (size_t i = 0; i < j->nstates && rc == 0; i++) {
			oa_asset_as_of as, *a = &as;
			oa_asset_state at = j->states[i];
			if (!oa_assetjournal_as_of(j, i, a) || a->status != OA_AST_LENT ||
			    a->due >= as_of)
				continue;
			at.department = a->department;
			at.custodian = a->custodian;
			at.location = a->location;
			at.status = OA_AST_LENT;
			at.borrower = a->borrower;
			at.borrower_department = a->borrower_department;
			at.lent_on = a->lent_on;
			at.due = a->due;
			at.last_date = a->date;
			at.last_seq = a->seq;
			at.disposed_on = -1;
			rc = add_overdue(&v, &count, &cap, &at, reg, as_of, err);
		}
	} else if (oa_assetreport_overdue_needs_events(j, as_of)) {
		char day[11];
		oa_date_format(as_of, day);
		if (j->nevents == 0)
			return oa_error_set(err, j->path, 0, "events dated after %s: overdue on that day "
			                    "needs the journal read with every event kept", day);
		rc = overdue_replayed(j, reg, as_of, &v, &count, &cap, err);
	} else {
		for (size_t i = 0; i < j->nstates && rc == 0; i++) {
			const oa_asset_state *st = &j->states[i];
			if (st->events == 0 || st->status != OA_AST_LENT || st->due >= as_of)
				continue;
			rc = add_overdue(&v, &count, &cap, st, reg, as_of, err);
		}
	}
	if (rc < 0) {
		free(v);
		return -1;
	}
	if (count > 1)
		qsort(v, count, sizeof *v, overdue_cmp);
	*out = v;
	*n = count;
	return 0;
}

static const char *
row_cell(const oa_register *reg, long row, int col)
{
	return reg && row >= 0 ? oa_register_get(reg, (size_t)row, col) : "";
}

/* Whether S is an amount as oa_fen_format writes one: 26000.00, 0.50. */
static bool
written_as_amount(const char *s)
{
	size_t i = 0;

	if (s[0] == '0' && s[1] != '.')
		return false; /* a leading zero */
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' &&
	       s[i + 2] <= '9' && s[i + 3] == '\0';
}

int
oa_assetreport_write_overdue(const oa_register *reg, const oa_asset_overdue *v, size_t n,
                             oa_csv_writer *w, const char *out_name, oa_error *err)
{
	static const char *const header[10] = { "tag", "name", "department", "custodian",
		"borrower", "borrower_department", "lent_on", "due", "days_overdue", "value" };

	oa_csv_write_record(w, header, 10);
	for (size_t i = 0; i < n; i++) {
		char lent[11], due[11], days[24], yuan[32];
		const oa_asset_state *st = &v[i].st;
		const char *value = row_cell(reg, v[i].row, OA_REG_VALUE);
		long long fen;

		oa_date_format(st->lent_on, lent);
		oa_date_format(st->due, due);
		snprintf(days, sizeof days, "%ld", v[i].days);
		/* As summary writes amounts (¥26,000.00 is 26000.00, a number
		 * to a spreadsheet); a cell that is no amount stays as typed.
		 * One written so already (as this toolkit writes them) is not
		 * parsed again. */
		if (value[0] != '\0' && !written_as_amount(value) && oa_value_fen(value, &fen) == 0) {
			oa_fen_format(fen, yuan);
			value = yuan;
		}
		const char *f[10] = { st->tag, row_cell(reg, v[i].row, OA_REG_NAME), st->department,
		                      st->custodian, st->borrower, st->borrower_department, lent, due,
		                      days, value };
		oa_csv_write_record(w, f, 10);
	}
	return oa_csv_writer_check(w, out_name, err);
}

/*
 * The header line that marks a notice of this command, so that a later run
 * can tell its own files from anything else kept in the directory.
 */
#define NOTICE_MARK "X-Officeadm-Notice: asset-log overdue"
/* Notices written before the mark: their subject starts "催还：" (base64). */
#define NOTICE_OLD_SUBJECT "Subject: =?UTF-8?B?5YKs6L+Y77ya"

static void
notice_text(FILE *fp, const oa_register *reg, const oa_asset_overdue *v, size_t n,
            const oa_department *dept, const char *org, oa_date as_of)
{
	const char *name = v[0].st.borrower_department;
	const char *head = dept && dept->head[0] ? dept->head : name;
	char date[11], *subject = NULL;

	oa_date_format(as_of, date);
	if (asprintf(&subject, "催还：%s 借用的 %zu 件资产已逾期未还（%s）", name, n, date) < 0)
		subject = NULL;
	if (dept && dept->email[0]) {
		fputs("To: ", fp);
		oa_mime_put_encoded_word(fp, head);
		fprintf(fp, " <%s>\n", dept->email);
	}
	fputs("Subject: ", fp);
	oa_mime_put_encoded_word(fp, subject ? subject : "催还");
	fputs("\n" NOTICE_MARK "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
	      "Content-Transfer-Encoding: 8bit\n\n", fp);
	fprintf(fp, "%s：\n\n截至 %s，%s借用的下列资产已过归还日期，请督促归还：\n\n", head, date,
	        name);
	for (size_t i = 0; i < n; i++) {
		const oa_asset_state *st = &v[i].st;
		char lent[11], due[11];

		oa_date_format(st->lent_on, lent);
		oa_date_format(st->due, due);
		fprintf(fp, "%zu. %s %s\n   借用人：%s  借出：%s  应还：%s  已逾期 %ld 天  资产所属：%s\n",
		        i + 1, st->tag, row_cell(reg, v[i].row, OA_REG_NAME), st->borrower, lent, due,
		        v[i].days, st->department[0] ? st->department : "-");
	}
	fprintf(fp, "\n%s办公室\n%s\n", org ? org : "", date);
	free(subject);
}

/*
 * True when NAME in DIRFD is a regular file whose mail header (up to the
 * first empty line, in its first 8 KiB) has the mark or the old subject.
 */
static bool
is_own_notice(int dirfd, const char *name)
{
	char buf[8192];
	struct stat sb;
	ssize_t got;
	size_t len = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	bool own = false;

	if (fd < 0)
		return false;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return false;
	}
	while (len < sizeof buf - 1 && (got = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	buf[len] = '\0';
	for (char *line = buf; *line != '\0' && *line != '\n';) {
		char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if ((n == strlen(NOTICE_MARK) && memcmp(line, NOTICE_MARK, n) == 0) ||
		    strncmp(line, NOTICE_OLD_SUBJECT, strlen(NOTICE_OLD_SUBJECT)) == 0) {
			own = true;
			break;
		}
		if (end == NULL)
			break;
		line = end + 1;
	}
	return own;
}

/*
 * The notices of earlier runs in DIR that this run did not write (their
 * loans came back): files named *.txt that are this command's notices
 * (is_own_notice) and not among KEEP[0..nkeep).  *OUT is a malloc'd array
 * of malloc'd names.
 */
static int
stale_notices(const char *dir, char **keep, size_t nkeep, char ***out, size_t *n,
              oa_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t count = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return errno == ENOENT ? 0 : oa_error_sys(err, dir, "cannot read directory");
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		bool kept = false;
		if (len <= 4 || strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		for (size_t i = 0; i < nkeep && !kept; i++)
			kept = strcmp(keep[i], de->d_name) == 0;
		if (kept || !is_own_notice(dirfd(d), de->d_name))
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL)
				goto oom;
			v = nv;
			cap = ncap;
		}
		if ((v[count] = strdup(de->d_name)) == NULL)
			goto oom;
		count++;
	}
	closedir(d);
	*out = v;
	*n = count;
	return 0;
oom:
	closedir(d);
	for (size_t i = 0; i < count; i++)
		free(v[i]);
	free(v);
	return oa_error_set(err, NULL, 0, "out of memory");
}

void
oa_notice_sweep_release(oa_notice_sweep *sw)
{
	for (size_t i = 0; i < sw->n; i++)
		free(sw->names[i]);
	free(sw->names);
	free(sw->dir);
	memset(sw, 0, sizeof *sw);
}

/*
 * A field of DIR/recipients, as inventory-diff writes them: never empty
 * ("-": a cron loop's `read -r f email head dept` would otherwise shift
 * the head's name into the e-mail column), no tab or line break inside.
 */
static void
recipients_field(FILE *fp, const char *s, const char *end)
{
	if (s == NULL || *s == '\0')
		fputc('-', fp);
	for (; s != NULL && *s != '\0'; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
	fputs(end, fp);
}

int
oa_assetreport_notices_set(const char *dir, const oa_register *reg, const oa_asset_overdue *v,
                           size_t n, const oa_departments *depts, const char *organisation,
                           oa_date as_of, oa_atomic_set *set, oa_notice_sweep *sweep,
                           oa_error *err)
{
	oa_notice_names names = { 0 };
	char *list = NULL, *rpath = NULL;
	char **made = NULL;
	size_t listlen = 0, nmade = 0;
	struct stat sb;
	oa_atomic_file *af;
	FILE *lm;
	int rc = 0;

	memset(sweep, 0, sizeof *sweep);
	/* Nothing overdue and no directory: nothing to write, nothing to clear. */
	if (n == 0 && stat(dir, &sb) < 0 && errno == ENOENT)
		return 0;
	if ((made = calloc(n ? n : 1, sizeof *made)) == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	if ((lm = open_memstream(&list, &listlen)) == NULL) {
		free(made);
		return oa_error_set(err, NULL, 0, "out of memory");
	}
	rc = oa_atomic_set_mkdir(set, dir, err);
	for (size_t i = 0; i < n && rc == 0;) {
		const char *name = v[i].st.borrower_department;
		size_t k = 1;
		while (i + k < n && strcmp(v[i + k].st.borrower_department, name) == 0)
			k++;
		const oa_department *d = depts ? oa_departments_find(depts, name, strlen(name)) : NULL;
		char *path = oa_notice_path(dir, &names, d, name[0] ? name : "unknown");

		if (path == NULL) {
			rc = oa_error_set(err, NULL, 0, "out of memory");
			break;
		}
		if ((af = oa_atomic_set_open(set, path, 0644, 0, err)) == NULL ||
		    (made[nmade] = strdup(strrchr(path, '/') + 1)) == NULL) {
			if (af != NULL)
				oa_error_set(err, NULL, 0, "out of memory");
			free(path);
			rc = -1;
			break;
		}
		nmade++;
		/* A write error shows at the commit (the stream keeps it). */
		notice_text(af->fp, reg, v + i, k, d, organisation, as_of);
		recipients_field(lm, strrchr(path, '/') + 1, "\t");
		recipients_field(lm, d ? d->email : "", "\t");
		recipients_field(lm, d ? d->head : "", "\t");
		recipients_field(lm, name, "\n");
		free(path);
		i += k;
	}
	if (fclose(lm) == EOF && rc == 0)
		rc = oa_error_set(err, NULL, 0, "out of memory");
	/* recipients lists this run's notices: none when nothing is overdue. */
	if (rc == 0 && asprintf(&rpath, "%s/recipients", dir) < 0) {
		rpath = NULL;
		rc = oa_error_set(err, NULL, 0, "out of memory");
	}
	if (rc == 0) {
		if ((af = oa_atomic_set_open(set, rpath, 0644, 0, err)) == NULL)
			rc = -1;
		else
			fwrite(list, 1, listlen, af->fp);
	}
	/* The notices of earlier runs whose loans came back: found now, removed
	 * by the sweep once the new ones are in place. */
	if (rc == 0)
		rc = stale_notices(dir, made, nmade, &sweep->names, &sweep->n, err);
	if (rc == 0 && (sweep->dir = strdup(dir)) == NULL)
		rc = oa_error_set(err, NULL, 0, "out of memory");
	if (rc < 0)
		oa_notice_sweep_release(sweep);
	for (size_t i = 0; i < nmade; i++)
		free(made[i]);
	free(made);
	free(rpath);
	free(list);
	oa_notice_names_release(&names);
	return rc;
}

int
oa_notice_sweep_run(oa_notice_sweep *sw, size_t *removed, oa_error *err)
{
	char *p = NULL;
	int rc = 0;

	*removed = 0;
	for (size_t i = 0; i < sw->n && rc == 0; i++) {
		if (asprintf(&p, "%s/%s", sw->dir, sw->names[i]) < 0) {
			p = NULL;
			rc = oa_error_set(err, NULL, 0, "out of memory");
		} else if (unlink(p) < 0 && errno != ENOENT) {
			rc = oa_error_sys(err, p, "cannot remove the notice of an earlier run");
		} else {
			(*removed)++;
		}
		if (rc == 0 && i + 1 == sw->n)
			rc = oa_fsync_dir(p, err);
		free(p);
	}
	oa_notice_sweep_release(sw);
	return rc;
}

int
oa_assetreport_notices(const char *dir, const oa_register *reg, const oa_asset_overdue *v,
                       size_t n, const oa_departments *depts, const char *organisation,
                       oa_date as_of, size_t *removed, oa_error *err)
{
	oa_atomic_set set;
	oa_notice_sweep sw;

	*removed = 0;
	oa_atomic_set_init(&set);
	if (oa_assetreport_notices_set(dir, reg, v, n, depts, organisation, as_of, &set, &sw,
	                               err) < 0) {
		oa_atomic_set_abort(&set);
		return -1;
	}
	if (oa_atomic_set_commit(&set, err) < 0) {
		oa_notice_sweep_release(&sw);
		return -1;
	}
	return oa_notice_sweep_run(&sw, removed, err);
}

