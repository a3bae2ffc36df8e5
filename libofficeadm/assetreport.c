/*
 * assetreport.c - the leadership's reports over the register and the
 * asset journal.  See assetreport.h.
 *
 * The summary sorts row numbers by (department, custodian, class, status)
 * and sums runs; the overdue list walks the journal's states; notices
 * reuse the mail form of the 督办 notices (docreport.h).
 */
#include "assetreport.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
		                    "value \"%s\" is not an amount in yuan", v);
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

/* ---- overdue ---- */

static int
overdue_cmp(const void *a, const void *b)
{
	const oa_asset_overdue *x = a, *y = b;
	int c = strcmp(x->st->borrower_department, y->st->borrower_department);

	if (c != 0)
		return c;
	if (x->st->due != y->st->due)
		return x->st->due < y->st->due ? -1 : 1;
	return strcmp(x->st->tag, y->st->tag);
}

int
oa_assetreport_overdue(const oa_assetjournal *j, const oa_register *reg, oa_date as_of,
                       oa_asset_overdue **out, size_t *n, oa_error *err)
{
	oa_asset_overdue *v = NULL;
	size_t count = 0, cap = 0;

	for (size_t i = 0; i < j->nstates; i++) {
		const oa_asset_state *st = &j->states[i];
		if (st->events == 0 || st->status != OA_AST_LENT || st->due >= as_of)
			continue;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			oa_asset_overdue *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL) {
				free(v);
				return oa_error_set(err, NULL, 0, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		v[count].st = st;
		v[count].row = reg ? oa_register_find(reg, st->tag, strlen(st->tag)) : -1;
		v[count].days = as_of - st->due;
		count++;
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

int
oa_assetreport_write_overdue(const oa_register *reg, const oa_asset_overdue *v, size_t n,
                             oa_csv_writer *w, const char *out_name, oa_error *err)
{
	static const char *const header[10] = { "tag", "name", "department", "custodian",
		"borrower", "borrower_department", "lent_on", "due", "days_overdue", "value" };

	oa_csv_write_record(w, header, 10);
	for (size_t i = 0; i < n; i++) {
		char lent[11], due[11], days[24];
		const oa_asset_state *st = v[i].st;

		oa_date_format(st->lent_on, lent);
		oa_date_format(st->due, due);
		snprintf(days, sizeof days, "%ld", v[i].days);
		const char *f[10] = { st->tag, row_cell(reg, v[i].row, OA_REG_NAME), st->department,
		                      st->custodian, st->borrower, st->borrower_department, lent, due,
		                      days, row_cell(reg, v[i].row, OA_REG_VALUE) };
		oa_csv_write_record(w, f, 10);
	}
	return oa_csv_writer_check(w, out_name, err);
}

static void
notice_text(FILE *fp, const oa_register *reg, const oa_asset_overdue *v, size_t n,
            const oa_department *dept, const char *org, oa_date as_of)
{
	const char *name = v[0].st->borrower_department;
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
	fputs("\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
	      "Content-Transfer-Encoding: 8bit\n\n", fp);
	fprintf(fp, "%s：\n\n截至 %s，%s借用的下列资产已过归还日期，请督促归还：\n\n", head, date,
	        name);
	for (size_t i = 0; i < n; i++) {
		const oa_asset_state *st = v[i].st;
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

int
oa_assetreport_notices(const char *dir, const oa_register *reg, const oa_asset_overdue *v,
                       size_t n, const oa_departments *depts, const char *organisation,
                       oa_date as_of, oa_error *err)
{
	oa_notice_names names = { 0 };
	char *list = NULL;
	size_t listlen = 0;
	FILE *lm;
	int rc = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return oa_error_sys(err, dir, "cannot create directory");
	if ((lm = open_memstream(&list, &listlen)) == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (size_t i = 0; i < n && rc == 0;) {
		const char *name = v[i].st->borrower_department;
		size_t k = 1;
		while (i + k < n && strcmp(v[i + k].st->borrower_department, name) == 0)
			k++;
		const oa_department *d = depts ? oa_departments_find(depts, name, strlen(name)) : NULL;
		char *path = oa_notice_path(dir, &names, d, name[0] ? name : "unknown");
		oa_atomic_file af;

		if (path == NULL) {
			rc = oa_error_set(err, NULL, 0, "out of memory");
			break;
		}
		if (oa_atomic_open(&af, path, 0644, err) < 0) {
			free(path);
			rc = -1;
			break;
		}
		notice_text(af.fp, reg, v + i, k, d, organisation, as_of);
		rc = oa_atomic_commit(&af, err);
		fprintf(lm, "%s\t%s\t%s\t%s\n", strrchr(path, '/') + 1, d ? d->email : "",
		        d && d->head[0] ? d->head : "", name);
		free(path);
		i += k;
	}
	fclose(lm);
	if (rc == 0) {
		char *path;
		oa_atomic_file af;
		if (asprintf(&path, "%s/recipients", dir) < 0) {
			free(list);
			oa_notice_names_release(&names);
			return oa_error_set(err, NULL, 0, "out of memory");
		}
		if (oa_atomic_open(&af, path, 0644, err) < 0) {
			rc = -1;
		} else {
			fwrite(list, 1, listlen, af.fp);
			rc = oa_atomic_commit(&af, err);
		}
		free(path);
	}
	free(list);
	oa_notice_names_release(&names);
	return rc;
}
