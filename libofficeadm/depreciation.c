/*
 * depreciation.c - monthly depreciation plans and schedules.  See
 * depreciation.h for the rules and their sources.
 *
 * A plan is computed, not stored: oa_dep_month_amount derives a month's
 * amount from the method, the yearly amounts and the rounding rule each
 * time, so a schedule costs O(months in its life) per asset at most.
 */
#include "depreciation.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assetreport.h"
#include "utf8.h"

static const char *const method_names[] = { "straight-line", "double-declining",
	                                    "sum-of-years" };

const char *
oa_dep_method_name(oa_dep_method m)
{
	return method_names[m];
}

int
oa_dep_method_parse(const char *s, oa_dep_method *out)
{
	if (strcasecmp(s, "straight-line") == 0 || strcmp(s, "年限平均法") == 0 ||
	    strcmp(s, "直线法") == 0)
		*out = OA_DEP_STRAIGHT_LINE;
	else if (strcasecmp(s, "double-declining") == 0 || strcmp(s, "双倍余额递减法") == 0)
		*out = OA_DEP_DOUBLE_DECLINING;
	else if (strcasecmp(s, "sum-of-years") == 0 || strcmp(s, "年数总和法") == 0)
		*out = OA_DEP_SUM_OF_YEARS;
	else
		return -1;
	return 0;
}

int
oa_dep_life_parse(const char *s, size_t len, long *years)
{
	size_t i = 0;
	long n = 0;
	bool months = false;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len || s[i] < '0' || s[i] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		n = n * 10 + (s[i] - '0');
		if (n > 1200)
			return -1;
	}
	/* "6.00" as a spreadsheet shows a number: only zeros may follow. */
	if (i < len && s[i] == '.') {
		if (++i == len || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (s[i] != '0')
				return -1;
	}
	while (i < len && s[i] == ' ')
		i++;
	if (len - i == strlen("年") && memcmp(s + i, "年", len - i) == 0) {
		i = len;
	} else if ((len - i == strlen("月") && memcmp(s + i, "月", len - i) == 0) ||
	           (len - i == strlen("个月") && memcmp(s + i, "个月", len - i) == 0)) {
		months = true;
		i = len;
	}
	if (i != len)
		return -1;
	if (months) {
		if (n % 12 != 0)
			return -1;
		n /= 12;
	}
	if (n < 1 || n > 100)
		return -1;
	*years = n;
	return 0;
}

/*
 * 《政府会计准则第3号——固定资产》应用指南 (财会〔2017〕4号) table 1: the
 * least useful life of each class, in years.
 */
static const struct {
	const char *name;
	long years;
} government_lives[] = {
	{ "钢结构", 50 }, { "钢筋混凝土结构", 50 }, { "砖混结构", 30 }, { "砖木结构", 30 },
	{ "简易房", 8 }, { "房屋附属设施", 8 }, { "构筑物", 8 },
	{ "计算机设备", 6 }, { "办公设备", 6 }, { "车辆", 8 }, { "图书档案设备", 5 },
	{ "机械设备", 10 }, { "电气设备", 5 }, { "雷达、无线电和卫星导航设备", 10 },
	{ "通信设备", 5 }, { "广播、电视、电影设备", 5 }, { "仪器仪表", 5 },
	{ "电子和通信测量设备", 5 }, { "计量标准器具及量具、衡器", 5 },
	{ "家具", 15 }, { "用具、装具", 5 },
};

/* Whether a cell holds nothing but spaces. */
static bool
blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}


long
oa_dep_government_life(const char *category)
{
	for (size_t i = 0; i < sizeof government_lives / sizeof government_lives[0]; i++)
		if (strcmp(government_lives[i].name, category) == 0)
			return government_lives[i].years;
	return 0;
}

int
oa_dep_settings_load(oa_dep_settings *s, const oa_config *cfg, oa_error *err)
{
	const char *v;
	double rate;
	const char **keys;
	size_t n;

	memset(s, 0, sizeof *s);
	v = oa_config_get_string(cfg, "depreciation", "basis", "government");
	if (strcmp(v, "government") == 0 || strcmp(v, "政府") == 0)
		s->basis = OA_DEP_GOVERNMENT;
	else if (strcmp(v, "enterprise") == 0 || strcmp(v, "企业") == 0)
		s->basis = OA_DEP_ENTERPRISE;
	else
		return oa_error_set(err, oa_config_path(cfg), oa_config_line(cfg, "depreciation", "basis"),
		                    "[depreciation] basis \"%s\" is neither government nor enterprise", v);
	v = oa_config_get_string(cfg, "depreciation", "method", "straight-line");
	if (oa_dep_method_parse(v, &s->method) < 0)
		return oa_error_set(err, oa_config_path(cfg),
		                    oa_config_line(cfg, "depreciation", "method"),
		                    "[depreciation] method \"%s\" is not straight-line, "
		                    "double-declining or sum-of-years", v);
	if (s->basis == OA_DEP_GOVERNMENT && s->method != OA_DEP_STRAIGHT_LINE)
		return oa_error_set(err, oa_config_path(cfg),
		                    oa_config_line(cfg, "depreciation", "method"),
		                    "[depreciation] method \"%s\" is for enterprises: government "
		                    "units use straight-line (政府会计准则第3号)", v);
	if (oa_config_get_double(cfg, "depreciation", "residual_rate", 0, 0, 0.5, &rate, err) < 0)
		return -1;
	if (s->basis == OA_DEP_GOVERNMENT && rate != 0)
		return oa_error_set(err, oa_config_path(cfg),
		                    oa_config_line(cfg, "depreciation", "residual_rate"),
		                    "[depreciation] residual_rate must be 0 for government units "
		                    "(政府会计准则第3号: 不考虑预计净残值)");
	s->residual_permille = (int)(rate * 1000 + 0.5);
	if (s->residual_permille != (int)(rate * 1000 + 1e-9) &&
	    s->residual_permille - 1 != (int)(rate * 1000 + 1e-9))
		return oa_error_set(err, oa_config_path(cfg),
		                    oa_config_line(cfg, "depreciation", "residual_rate"),
		                    "[depreciation] residual_rate is finer than 0.1 %%");
	v = oa_config_get_string(cfg, "depreciation", "start",
	                         s->basis == OA_DEP_GOVERNMENT ? "same-month" : "next-month");
	if (strcmp(v, "same-month") == 0)
		s->next_month = false;
	else if (strcmp(v, "next-month") == 0)
		s->next_month = true;
	else
		return oa_error_set(err, oa_config_path(cfg), oa_config_line(cfg, "depreciation", "start"),
		                    "[depreciation] start \"%s\" is neither same-month nor next-month", v);
	n = oa_config_keys(cfg, "depreciation.lives", &keys);
	if (n > 0) {
		s->names = calloc(n, sizeof *s->names);
		s->lives = calloc(n, sizeof *s->lives);
		if (s->names == NULL || s->lives == NULL) {
			oa_dep_settings_release(s);
			return oa_error_set(err, NULL, 0, "out of memory");
		}
		for (size_t i = 0; i < n; i++) {
			if (oa_config_get_long(cfg, "depreciation.lives", keys[i], 0, 1, 100,
			                       &s->lives[i], err) < 0 ||
			    (s->names[i] = strdup(keys[i])) == NULL) {
				s->nlives = i + 1;
				oa_dep_settings_release(s);
				return oa_error_isset(err) ? -1 : oa_error_set(err, NULL, 0, "out of memory");
			}
			s->nlives = i + 1;
		}
	}
	if (oa_asset_settings_load(&s->assets, cfg, err) < 0) {
		oa_dep_settings_release(s);
		return -1;
	}
	return 0;
}

void
oa_dep_settings_release(oa_dep_settings *s)
{
	for (size_t i = 0; i < s->nlives; i++)
		free(s->names[i]);
	free(s->names);
	free(s->lives);
	if (s->assets.pattern != NULL || s->assets.cats != NULL)
		oa_asset_settings_release(&s->assets);
	memset(s, 0, sizeof *s);
}

static bool
folded_eq(const char *a, const char *b)
{
	char fa[256], fb[256];

	oa_utf8_fold(a, strlen(a), fa, sizeof fa, OA_FOLD_SEPARATORS);
	oa_utf8_fold(b, strlen(b), fb, sizeof fb, OA_FOLD_SEPARATORS);
	return strcmp(fa, fb) == 0;
}

/* Whether [depreciation.lives] names CATEGORY. */
static bool
named_in_lives(const oa_dep_settings *s, const char *category)
{
	for (size_t i = 0; i < s->nlives; i++)
		if (folded_eq(s->names[i], category))
			return true;
	return false;
}

long
oa_dep_category_life(const oa_dep_settings *s, const char *category)
{
	const oa_asset_category *c;

	if (category[0] == '\0')
		return s->assets.default_life;
	for (size_t i = 0; i < s->nlives; i++)
		if (folded_eq(s->names[i], category))
			return s->lives[i];
	if (s->basis == OA_DEP_GOVERNMENT)
		for (size_t i = 0; i < sizeof government_lives / sizeof government_lives[0]; i++)
			if (strcmp(government_lives[i].name, category) == 0)
				return government_lives[i].years;
	c = oa_asset_category_find(&s->assets, category, strlen(category));
	return c != NULL ? c->life : s->assets.default_life;
}

/* ---- months ---- */

int
oa_month_of(oa_date d)
{
	int y, m, day;

	oa_date_to_ymd(d, &y, &m, &day);
	return y * 12 + m - 1;
}

int
oa_month_parse(const char *s)
{
	oa_date d;
	char buf[32];
	size_t len = strlen(s);

	/* 2026-03, as Excel writes it 2026/3, or 2026年3月: the month's first
	 * day read as a date in those forms. */
	if (len == 0 || len > 20)
		return -1;
	if (len >= 3 && strcmp(s + len - 3, "月") == 0)
		snprintf(buf, sizeof buf, "%s1日", s);
	else
		snprintf(buf, sizeof buf, "%s%c1", s, strchr(s, '/') ? '/' : '-');
	if (oa_date_parse_excel(buf, strlen(buf), &d) < 0)
		return -1;
	return oa_month_of(d);
}

void
oa_month_format(int month, char *buf)
{
	int y = month / 12, m = month % 12 + 1;

	if (y < 0 || y > 9999)
		y = 0;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '\0';
}

/* ---- plans ---- */

/* a * b / c rounded half up, for non-negative a, b and positive c. */
static long long
muldiv(long long a, long long b, long long c)
{
	__int128 p = (__int128)a * b;

	return (long long)((p + c / 2) / c);
}

int
oa_dep_plan_make(const oa_dep_settings *s, long long cost, long life, oa_date acquired,
                 oa_dep_plan *p)
{
	if (life < 1 || life > 100)
		return -1;
	p->method = s->method;
	p->cost = cost;
	p->residual = muldiv(cost, s->residual_permille, 1000);
	p->years = (int)life;
	p->start = oa_month_of(acquired) + (s->next_month ? 1 : 0);
	return 0;
}

/*
 * The amount of year Y (0-based) of a declining plan.  Years before it are
 * summed as they are needed: at most 100.
 */
static long long
year_amount(const oa_dep_plan *p, int y)
{
	long long base = p->cost - p->residual;
	int n = p->years;

	if (p->method == OA_DEP_SUM_OF_YEARS) {
		long long sum = (long long)n * (n + 1) / 2, done = 0;
		if (y < n - 1)
			return muldiv(base, n - y, sum);
		for (int k = 0; k < n - 1; k++)
			done += muldiv(base, n - k, sum);
		return base - done;
	}
	/* Double-declining: 2/n of the book value, then the last two years
	 * share what is left above the residual. */
	long long book = p->cost;
	for (int k = 0; k < n - 2 && k <= y; k++) {
		long long d = muldiv(book, 2, n);
		if (d > book - p->residual)
			d = book - p->residual;
		if (k == y)
			return d;
		book -= d;
	}
	long long left = book - p->residual, first = (left + 1) / 2;
	if (n == 1)
		return left;
	return y == n - 2 ? first : left - first;
}

/* Month K (0-based) of N months sharing TOTAL: rounded share, the last takes the rest. */
static long long
share(long long total, int n, int k)
{
	long long per = muldiv(total, 1, n);

	if (per * (n - 1) > total) /* tiny totals: spread by cumulative rounding instead */
		return muldiv(total, k + 1, n) - muldiv(total, k, n);
	return k < n - 1 ? per : total - per * (n - 1);
}

long long
oa_dep_month_amount(const oa_dep_plan *p, int month)
{
	int m = month - p->start;

	if (m < 0 || m >= p->years * 12)
		return 0;
	if (p->method == OA_DEP_STRAIGHT_LINE)
		return share(p->cost - p->residual, p->years * 12, m);
	return share(year_amount(p, m / 12), 12, m % 12);
}

/* ---- schedules ---- */

typedef struct dept_month {
	const char *dept;
	int month;
	long assets;
	long long dep, acc, net;
} dept_month;

static int
dm_cmp(const void *a, const void *b)
{
	const dept_month *x = a, *y = b;
	int c = strcmp(x->dept, y->dept);

	return c != 0 ? c : x->month - y->month;
}

/* The length of S cut to fit CAP bytes with its NUL, at a character boundary. */
static int
cut_len(const char *s, size_t cap)
{
	size_t n = strlen(s);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

int
oa_depreciation_write(const oa_register *reg, const oa_assetjournal *j,
                      const oa_dep_settings *s, int from, int to, bool by_department,
                      oa_csv_writer *w, const char *out_name, oa_dep_counts *counts,
                      oa_error *err)
{
	static const char *const asset_header[9] = { "tag", "name", "department", "category",
		"method", "month", "depreciation", "accumulated", "net_value" };
	static const char *const dept_header[6] = { "department", "month", "assets",
		"depreciation", "accumulated", "net_value" };
	int span = to - from + 1;
	dept_month *dm = NULL;
	size_t ndm = 0, cap = 0;

	memset(counts, 0, sizeof *counts);
	if (span < 1 || span > 1200)
		return oa_error_set(err, NULL, 0, "the months asked for run backwards or span over "
		                    "100 years");
	if (by_department)
		oa_csv_write_record(w, dept_header, 6);
	else
		oa_csv_write_record(w, asset_header, 9);
	for (size_t r = 0; r < reg->nrows; r++) {
		const char *cls = oa_register_get(reg, r, OA_REG_CLASS);
		const char *lifes = oa_register_get(reg, r, OA_REG_LIFE);
		const char *acqs = oa_register_get(reg, r, OA_REG_ACQUIRED);
		const char *cat = oa_register_get(reg, r, OA_REG_CATEGORY);
		const char *dept = oa_register_get(reg, r, OA_REG_DEPARTMENT);
		long long cost, acc = 0;
		long life = 0;
		oa_date acquired;
		oa_dep_plan p;
		int last = to;
		enum oa_asset_class c;
		const oa_asset_state *st = j ? oa_assetjournal_state(j, oa_register_get(reg, r,
		                                                                       OA_REG_TAG))
		                             : NULL;

		if (oa_value_fen(oa_register_get(reg, r, OA_REG_VALUE), &cost) < 0) {
			free(dm);
			return oa_error_set(err, reg->path, oa_register_line(reg, r),
			                    "value \"%s\" is not an amount in yuan (1234.50, ¥1,234.50, "
			                    "1234.5元; at most two decimals, a fen)",
			                    oa_register_get(reg, r, OA_REG_VALUE));
		}
		if (lifes[0] != '\0') {
			if (oa_dep_life_parse(lifes, strlen(lifes), &life) < 0)
				life = -1;
			long least = s->basis == OA_DEP_GOVERNMENT ? oa_dep_government_life(cat) : 0;
			if (life > 0 && life < least &&
			    oa_asset_class_parse(cls, strlen(cls)) != OA_CLASS_LOW_VALUE &&
			    counts->short_life++ == 0) {
				counts->short_life_line = oa_register_line(reg, r);
				counts->short_life_years = life;
				counts->short_life_least = least;
				snprintf(counts->short_life_tag, sizeof counts->short_life_tag, "%.*s",
				         cut_len(oa_register_get(reg, r, OA_REG_TAG),
				                 sizeof counts->short_life_tag),
				         oa_register_get(reg, r, OA_REG_TAG));
				snprintf(counts->short_life_category, sizeof counts->short_life_category,
				         "%.*s", cut_len(cat, sizeof counts->short_life_category), cat);
			}
		} else {
			life = oa_dep_category_life(s, cat);
		}
		c = oa_asset_class_parse(cls, strlen(cls));
		if (c != OA_CLASS_LOW_VALUE && life < 0) {
			/* One asset's bad life costs that asset, not the report:
			 * it is left out and named (counts); a low-value item
			 * is not depreciated anyway. */
			if (counts->bad_life++ == 0) {
				counts->bad_life_line = oa_register_line(reg, r);
				snprintf(counts->bad_life_tag, sizeof counts->bad_life_tag, "%.*s",
				         cut_len(oa_register_get(reg, r, OA_REG_TAG),
				                 sizeof counts->bad_life_tag),
				         oa_register_get(reg, r, OA_REG_TAG));
				snprintf(counts->bad_life_text, sizeof counts->bad_life_text, "%.*s",
				         cut_len(lifes, sizeof counts->bad_life_text), lifes);
			}
			continue;
		}
		if (c != OA_CLASS_LOW_VALUE && blank(oa_register_get(reg, r, OA_REG_VALUE))) {
			/* No value is no depreciation to compute, not a zero one
			 * (nor a low-value item for want of one). */
			if (counts->no_value++ == 0)
				counts->no_value_line = oa_register_line(reg, r);
			continue;
		}
		if (c == OA_CLASS_NONE) {
			const oa_asset_category *ac = oa_asset_category_find(&s->assets, cat, strlen(cat));
			double th = ac && ac->threshold >= 0 ? ac->threshold : s->assets.threshold;
			c = oa_asset_classify((double)cost / 100, life, th);
		}
		if (c == OA_CLASS_LOW_VALUE) {
			counts->low_value++;
			continue;
		}
		if (s->basis == OA_DEP_GOVERNMENT && oa_dep_government_life(cat) == 0 &&
		    !named_in_lives(s, cat) && counts->unchecked++ == 0) {
			counts->unchecked_line = oa_register_line(reg, r);
			snprintf(counts->unchecked_category, sizeof counts->unchecked_category, "%.*s",
			         cut_len(cat, sizeof counts->unchecked_category), cat);
		}
		if (oa_date_parse_excel(acqs, strlen(acqs), &acquired) < 0) {
			if (counts->no_date++ == 0)
				counts->no_date_line = oa_register_line(reg, r);
			continue;
		}
		if (life < 1) {
			if (counts->no_life++ == 0)
				counts->no_life_line = oa_register_line(reg, r);
			continue;
		}
		if (oa_register_status(reg, r) == OA_AST_DISPOSED) {
			if (st == NULL || st->disposed_on < 0) {
				if (counts->disposed_undated++ == 0)
					counts->disposed_undated_line = oa_register_line(reg, r);
				continue;
			}
			/* The month it leaves: still depreciated (next-month
			 * convention) or not (same-month). */
			last = oa_month_of(st->disposed_on) - (s->next_month ? 0 : 1);
			if (last > to)
				last = to;
		}
		if (oa_dep_plan_make(s, cost, life, acquired, &p) < 0) {
			if (counts->no_life++ == 0)
				counts->no_life_line = oa_register_line(reg, r);
			continue;
		}
		counts->assets++;
		for (int m = p.start; m < from; m++)
			acc += oa_dep_month_amount(&p, m);
		for (int m = from; m <= last; m++) {
			if (m < oa_month_of(acquired))
				continue;
			long long d = oa_dep_month_amount(&p, m);
			acc += d;
			/* The department it belonged to at the end of the month. */
			const char *then = dept;
			if (st != NULL) {
				int y = m / 12, mo = m % 12 + 1;
				oa_date end;
				oa_date_from_ymd(mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1, 1, &end);
				then = oa_assetjournal_department_at(j, st, end - 1, dept);
			}
			if (!by_department) {
				char month[8], ds[32], as[32], ns[32];
				oa_month_format(m, month);
				oa_fen_format(d, ds);
				oa_fen_format(acc, as);
				oa_fen_format(cost - acc, ns);
				const char *f[9] = { oa_register_get(reg, r, OA_REG_TAG),
				                     oa_register_get(reg, r, OA_REG_NAME), then, cat,
				                     method_names[p.method], month, ds, as, ns };
				oa_csv_write_record(w, f, 9);
				continue;
			}
			if (ndm == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				dept_month *v = realloc(dm, ncap * sizeof *v);
				if (v == NULL) {
					free(dm);
					return oa_error_set(err, NULL, 0, "out of memory");
				}
				dm = v;
				cap = ncap;
			}
			dm[ndm++] = (dept_month){ then, m, d > 0, d, acc, cost - acc };
		}
	}
	if (by_department && ndm > 0) {
		qsort(dm, ndm, sizeof *dm, dm_cmp);
		for (size_t i = 0; i < ndm;) {
			dept_month t = dm[i];
			size_t k = i + 1;
			for (; k < ndm && dm_cmp(&dm[k], &dm[i]) == 0; k++) {
				t.assets += dm[k].assets;
				t.dep += dm[k].dep;
				t.acc += dm[k].acc;
				t.net += dm[k].net;
			}
			char month[8], n[24], ds[32], as[32], ns[32];
			oa_month_format(t.month, month);
			snprintf(n, sizeof n, "%ld", t.assets);
			oa_fen_format(t.dep, ds);
			oa_fen_format(t.acc, as);
			oa_fen_format(t.net, ns);
			const char *f[6] = { t.dept, month, n, ds, as, ns };
			oa_csv_write_record(w, f, 6);
			i = k;
		}
	}
	free(dm);
	return oa_csv_writer_check(w, out_name, err);
}
