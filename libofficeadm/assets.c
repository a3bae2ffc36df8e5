/*
 * assets.c - new assets entering the register.  See assets.h.
 *
 * In order: settings and the category table; the tag pattern; parsing of
 * values, classes and statuses; a small string map (tags, prefixes and
 * lookup caches); and the tagging run, which writes the good rows into one
 * memory buffer as it reads them and fills in their tags at the end, so a
 * million rows need no allocation per row and no second pass over fields.
 */
#include "assets.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columns.h"
#include "date.h"
#include "prefetch.h"
#include "tag.h"
#include "utf8.h"

/* ---- settings ---- */

static const struct {
	const char *name, *code;
	long life;
} builtin_categories[] = {
	{ "电子设备", "DZ", 3 },  { "electronics", "DZ", 3 },
	{ "办公设备", "BG", 5 },  { "office equipment", "BG", 5 },
	{ "家具", "JJ", 5 },      { "furniture", "JJ", 5 },
	{ "车辆", "CL", 4 },      { "vehicles", "CL", 4 },
	{ "房屋", "FW", 20 },     { "buildings", "FW", 20 },
};

static bool
is_code(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return false;
	return true;
}

static char *
upper_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = (char)toupper((unsigned char)s[i]);
	d[n] = '\0';
	return d;
}

static char *
trim_dup(const char *s, size_t n, bool upper)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return upper ? upper_dup(s, n) : strndup(s, n);
}

static int
load_categories(oa_asset_settings *s, const oa_config *cfg, oa_error *err)
{
	const char **keys;
	size_t n = oa_config_keys(cfg, "categories", &keys);
	const char *file = oa_config_path(cfg);

	if (n == 0) {
		n = sizeof builtin_categories / sizeof builtin_categories[0];
		s->cats = calloc(n, sizeof *s->cats);
		if (s->cats == NULL)
			return oa_error_set(err, NULL, 0, "out of memory");
		for (size_t i = 0; i < n; i++) {
			s->cats[i].name = strdup(builtin_categories[i].name);
			s->cats[i].code = strdup(builtin_categories[i].code);
			s->cats[i].life = builtin_categories[i].life;
			s->cats[i].threshold = -1;
			s->ncats++;
			if (s->cats[i].name == NULL || s->cats[i].code == NULL)
				return oa_error_set(err, NULL, 0, "out of memory");
		}
		return 0;
	}
	s->cats = calloc(n, sizeof *s->cats);
	if (s->cats == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *v = oa_config_get_string(cfg, "categories", keys[i], "");
		const char *comma = strchr(v, ','), *comma2;
		oa_asset_category *c = &s->cats[s->ncats++];
		char *end;

		c->name = strdup(keys[i]);
		c->code = trim_dup(v, comma ? (size_t)(comma - v) : strlen(v), true);
		if (c->name == NULL || c->code == NULL)
			return oa_error_set(err, NULL, 0, "out of memory");
		if (!is_code(c->code) || comma == NULL)
			return oa_error_set(err, file, 0,
			                    "[categories] %s: expected \"CODE, years\" with a code of "
			                    "letters and digits", keys[i]);
		c->threshold = -1;
		c->life = strtol(comma + 1, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		comma2 = *end == ',' ? end : NULL;
		if (end == comma + 1 || (*end != '\0' && comma2 == NULL) || c->life < 0 ||
		    c->life > 100)
			return oa_error_set(err, file, 0,
			                    "[categories] %s: useful life \"%s\" is not a whole "
			                    "number of years (0-100)", keys[i], comma + 1);
		if (comma2 != NULL &&
		    oa_asset_parse_value(comma2 + 1, strlen(comma2 + 1), &c->threshold) < 0)
			return oa_error_set(err, file, 0,
			                    "[categories] %s: threshold \"%s\" is not an amount in "
			                    "yuan", keys[i], comma2 + 1);
	}
	return 0;
}

int
oa_asset_settings_load(oa_asset_settings *s, const oa_config *cfg, oa_error *err)
{
	const char *file = oa_config_path(cfg);
	const char *v;

	memset(s, 0, sizeof *s);
	if (oa_config_get_double(cfg, "assets", "threshold", OA_ASSET_THRESHOLD_DEFAULT, 0,
	                         1e12, &s->threshold, err) < 0 ||
	    oa_config_get_long(cfg, "assets", "life", OA_ASSET_LIFE_DEFAULT, 0, 100,
	                       &s->default_life, err) < 0)
		return -1;
	v = oa_config_get_string(cfg, "assets", "department_code", OA_ASSET_DEPT_CODE_DEFAULT);
	s->dept_code = trim_dup(v, strlen(v), true);
	v = oa_config_get_string(cfg, "assets", "category_code", OA_ASSET_CAT_CODE_DEFAULT);
	s->cat_code = trim_dup(v, strlen(v), true);
	v = oa_config_get_string(cfg, "general", "organisation", "");
	s->organisation = strdup(v);
	if (s->dept_code == NULL || s->cat_code == NULL || s->organisation == NULL) {
		oa_asset_settings_release(s);
		return oa_error_set(err, NULL, 0, "out of memory");
	}
	if (!is_code(s->dept_code) || !is_code(s->cat_code)) {
		oa_error_set(err, file, 0, "[assets] %s: a code is letters and digits",
		             is_code(s->dept_code) ? "category_code" : "department_code");
		oa_asset_settings_release(s);
		return -1;
	}
	v = oa_config_get_string(cfg, "assets", "tag_pattern", OA_ASSET_PATTERN_DEFAULT);
	s->pattern = oa_tag_pattern_compile(v, err);
	if (s->pattern == NULL) {
		char msg[OA_ERROR_MSG_MAX];

		snprintf(msg, sizeof msg, "%s", err->msg);
		oa_error_set(err, file, 0, "[assets] tag_pattern: %s", msg);
		oa_asset_settings_release(s);
		return -1;
	}
	if (load_categories(s, cfg, err) < 0 ||
	    oa_departments_load(&s->depts, cfg, err) < 0) {
		oa_asset_settings_release(s);
		return -1;
	}
	for (size_t i = 0; i < s->depts.count; i++) {
		char *code = s->depts.items[i].code;

		for (char *p = code; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if (!is_code(code)) {
			oa_error_set(err, file, 0,
			             "[departments] %s: code \"%s\" must be letters and digits",
			             s->depts.items[i].name, code);
			oa_asset_settings_release(s);
			return -1;
		}
	}
	return 0;
}

void
oa_asset_settings_release(oa_asset_settings *s)
{
	for (size_t i = 0; i < s->ncats; i++) {
		free(s->cats[i].name);
		free(s->cats[i].code);
	}
	free(s->cats);
	free(s->dept_code);
	free(s->cat_code);
	free(s->organisation);
	oa_tag_pattern_free(s->pattern);
	oa_departments_release(&s->depts);
	memset(s, 0, sizeof *s);
}

const oa_asset_category *
oa_asset_category_find(const oa_asset_settings *s, const char *name, size_t len)
{
	char want[256], have[256];

	oa_utf8_fold(name, len, want, sizeof want, OA_FOLD_SEPARATORS);
	if (want[0] == '\0')
		return NULL;
	for (size_t i = 0; i < s->ncats; i++) {
		oa_utf8_fold(s->cats[i].name, strlen(s->cats[i].name), have, sizeof have,
		             OA_FOLD_SEPARATORS);
		if (strcmp(want, have) == 0)
			return &s->cats[i];
	}
	return NULL;
}

/* ---- the tag pattern ---- */

enum seg_type { SEG_LIT, SEG_DEPT, SEG_CAT, SEG_YEAR, SEG_YY, SEG_SEQ, SEG_CHECK };

struct segment {
	enum seg_type type;
	char text[OA_TAG_MAX]; /* SEG_LIT */
	int width;             /* SEG_SEQ */
};

struct oa_tag_pattern {
	struct segment *segs;
	size_t nsegs;
	size_t seq;   /* index of the {seq} segment */
	int width;
};

static bool
is_literal_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '/' || c == '.';
}

oa_tag_pattern *
oa_tag_pattern_compile(const char *text, oa_error *err)
{
	oa_tag_pattern *p = calloc(1, sizeof *p);
	size_t n = strlen(text), nseq = 0;
	const char *s = text;

	if (p == NULL || (p->segs = calloc(n + 1, sizeof *p->segs)) == NULL) {
		free(p);
		oa_error_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	while (*s != '\0') {
		struct segment *g = &p->segs[p->nsegs];

		if (*s == '{') {
			const char *close = strchr(s, '}');
			size_t len = close ? (size_t)(close - s - 1) : 0;
			const char *name = s + 1;

			if (close == NULL) {
				oa_error_set(err, NULL, 0, "unclosed \"{\" in \"%s\"", text);
				goto fail;
			}
			if (len == 4 && memcmp(name, "dept", 4) == 0) {
				g->type = SEG_DEPT;
			} else if (len == 3 && memcmp(name, "cat", 3) == 0) {
				g->type = SEG_CAT;
			} else if (len == 4 && memcmp(name, "year", 4) == 0) {
				g->type = SEG_YEAR;
			} else if (len == 2 && memcmp(name, "yy", 2) == 0) {
				g->type = SEG_YY;
			} else if (len == 5 && memcmp(name, "check", 5) == 0) {
				g->type = SEG_CHECK;
			} else if (len >= 3 && memcmp(name, "seq", 3) == 0 &&
			           (len == 3 || name[3] == ':')) {
				char *end;
				long w = 6;

				if (len > 3) {
					w = strtol(name + 4, &end, 10);
					if (end != close || w < 1 || w > 12) {
						oa_error_set(err, NULL, 0,
						             "{seq:N} wants N from 1 to 12 in \"%s\"", text);
						goto fail;
					}
				}
				g->type = SEG_SEQ;
				g->width = (int)w;
				p->width = (int)w;
				p->seq = p->nsegs;
				nseq++;
			} else {
				oa_error_set(err, NULL, 0,
				             "unknown token \"%.*s\" (known: {dept} {cat} {year} {yy} "
				             "{seq:N} {check})", (int)len + 2, s);
				goto fail;
			}
			s = close + 1;
		} else {
			size_t k = 0;

			while (*s != '\0' && *s != '{') {
				if (!is_literal_char((unsigned char)*s)) {
					oa_error_set(err, NULL, 0,
					             "\"%c\" in \"%s\": literal text is letters, digits "
					             "and - _ / .", *s, text);
					goto fail;
				}
				if (k + 1 >= sizeof g->text) {
					oa_error_set(err, NULL, 0, "pattern \"%s\" too long", text);
					goto fail;
				}
				g->text[k++] = (char)toupper((unsigned char)*s++);
			}
			g->type = SEG_LIT;
		}
		p->nsegs++;
	}
	if (nseq != 1) {
		oa_error_set(err, NULL, 0, "\"%s\" must hold {seq} exactly once", text);
		goto fail;
	}
	if (p->nsegs == 0 || p->segs[p->nsegs - 1].type != SEG_CHECK) {
		oa_error_set(err, NULL, 0, "\"%s\" must end with {check}", text);
		goto fail;
	}
	for (size_t i = 0; i + 1 < p->nsegs; i++)
		if (p->segs[i].type == SEG_CHECK) {
			oa_error_set(err, NULL, 0, "{check} only at the end of \"%s\"", text);
			goto fail;
		}
	if (p->segs[0].type == SEG_LIT && !isalnum((unsigned char)p->segs[0].text[0])) {
		oa_error_set(err, NULL, 0, "\"%s\" must start with a letter, a digit or a token",
		             text);
		goto fail;
	}
	return p;
fail:
	oa_tag_pattern_free(p);
	return NULL;
}

void
oa_tag_pattern_free(oa_tag_pattern *p)
{
	if (p == NULL)
		return;
	free(p->segs);
	free(p);
}

/* Appends segments [from, to) to out (length *n); false when too long. */
static bool
render_part(const oa_tag_pattern *p, size_t from, size_t to, const char *dept,
            const char *cat, int year, char *out, size_t *n, size_t cap)
{
	for (size_t i = from; i < to; i++) {
		const struct segment *g = &p->segs[i];
		char num[8];
		const char *add = "";

		switch (g->type) {
		case SEG_LIT:
			add = g->text;
			break;
		case SEG_DEPT:
			add = dept;
			break;
		case SEG_CAT:
			add = cat;
			break;
		case SEG_YEAR:
			snprintf(num, sizeof num, "%04d", year % 10000);
			add = num;
			break;
		case SEG_YY:
			snprintf(num, sizeof num, "%02d", year % 100);
			add = num;
			break;
		case SEG_SEQ:
		case SEG_CHECK:
			break;
		}
		size_t k = strlen(add);
		if (*n + k + 1 > cap)
			return false;
		memcpy(out + *n, add, k + 1);
		*n += k;
	}
	return true;
}

/*
 * Builds the tag from the parts before and after the sequence; CHECK is
 * the check-character state after BEFORE (oa_tag_check_feed).
 */
static size_t
build_tag(const char *before, size_t nb, int check, const char *after, size_t na, int width,
          unsigned long seq, char *out, size_t cap)
{
	char digits[24];
	size_t nd = 0, n;
	char c;

	do
		digits[sizeof digits - 1 - nd++] = (char)('0' + seq % 10);
	while ((seq /= 10) != 0 && nd < sizeof digits);
	while (nd < (size_t)width && nd < sizeof digits)
		digits[sizeof digits - 1 - nd++] = '0';
	n = nb + nd + na;
	if (n + 2 > cap)
		return 0;
	memcpy(out, before, nb);
	memcpy(out + nb, digits + sizeof digits - nd, nd);
	memcpy(out + nb + nd, after, na);
	c = oa_tag_check_finish(oa_tag_check_feed(oa_tag_check_feed(check, out + nb, nd),
	                                          after, na));
	if (c == 0)
		return 0;
	out[n++] = c;
	out[n] = '\0';
	return n;
}

size_t
oa_tag_pattern_render(const oa_tag_pattern *p, const char *dept, const char *cat, int year,
                      unsigned long seq, char *out, size_t cap)
{
	char before[OA_TAG_MAX], after[OA_TAG_MAX];
	size_t nb = 0, na = 0;

	if (!render_part(p, 0, p->seq, dept, cat, year, before, &nb, sizeof before) ||
	    !render_part(p, p->seq + 1, p->nsegs - 1, dept, cat, year, after, &na, sizeof after))
		return 0;
	before[nb] = after[na] = '\0';
	return build_tag(before, nb, oa_tag_check_feed(OA_TAG_CHECK_START, before, nb), after, na,
	                 p->width, seq, out,
	                 cap < OA_TAG_MAX ? cap : OA_TAG_MAX);
}

/* ---- values ---- */

/* isspace in the C and UTF-8 locales, without the table look-up. */
static inline bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline void
trim(const char **s, size_t *len)
{
	if (*len == 0 || (!is_space((unsigned char)**s) && !is_space((unsigned char)(*s)[*len - 1])))
		return;
	while (*len > 0 && is_space((unsigned char)**s))
		(*s)++, (*len)--;
	while (*len > 0 && is_space((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

int
oa_asset_parse_value(const char *s, size_t len, double *out)
{
	size_t i = 0, digits = 0;
	double v = 0, scale = 1;

	trim(&s, &len);
	while (i < len && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0'), digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (s[i++] - '0'), scale *= 10, digits++;
	}
	if (i != len || digits == 0)
		return -1;
	*out = v / scale;
	return 0;
}

int
oa_asset_parse_amount(const char *s, size_t len, double *out, char *norm, size_t cap)
{
	size_t i = 0, o = 0, group = 0;
	bool commas = false, point = false, first_group = true;

	trim(&s, &len);
	/* "¥" is C2 A5, the full-width "￥" EF BF A5. */
	if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA5)
		i = 2;
	else if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBF &&
	         (unsigned char)s[2] == 0xA5)
		i = 3;
	while (i > 0 && i < len && s[i] == ' ')
		i++;
	while (i < len) {
		char c = s[i];

		/* Full-width ０-９ (EF BC 90-99), ， (EF BC 8C) and ． (EF BC 8E). */
		if ((unsigned char)c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC) {
			unsigned char d = (unsigned char)s[i + 2];

			c = d >= 0x90 && d <= 0x99 ? (char)('0' + d - 0x90) :
			    d == 0x8C              ? ',' :
			    d == 0x8E              ? '.' : 'x';
			i += 3;
		} else {
			i++;
		}
		if (c >= '0' && c <= '9') {
			if (!point)
				group++;
		} else if (c == ',' && !point) {
			/* 1 to 3 digits before the first comma, 3 between the others */
			if (group == 0 || group > 3 || (!first_group && group != 3))
				return -1;
			commas = true;
			first_group = false;
			group = 0;
			continue;
		} else if (c == '.' && !point) {
			point = true;
		} else {
			return -1;
		}
		if (o + 1 >= cap)
			return -1;
		norm[o++] = c;
	}
	if (commas && group != 3)
		return -1;
	norm[o] = '\0';
	if (oa_asset_parse_value(norm, o, out) < 0)
		return -1;
	return (int)o;
}

enum oa_asset_class
oa_asset_classify(double value, long life, double threshold)
{
	return value >= threshold && life > 1 ? OA_CLASS_FIXED : OA_CLASS_LOW_VALUE;
}

static bool
folded_is(const char *s, size_t len, const char *name)
{
	char f[64];

	oa_utf8_fold(s, len, f, sizeof f, OA_FOLD_SEPARATORS);
	return strcmp(f, name) == 0;
}

enum oa_asset_class
oa_asset_class_parse(const char *s, size_t len)
{
	if (folded_is(s, len, "fixed") || folded_is(s, len, "固定资产"))
		return OA_CLASS_FIXED;
	if (folded_is(s, len, "low_value") || folded_is(s, len, "低值易耗品"))
		return OA_CLASS_LOW_VALUE;
	return OA_CLASS_NONE;
}

const char *
oa_asset_class_name(enum oa_asset_class c)
{
	return c == OA_CLASS_FIXED ? "fixed" : c == OA_CLASS_LOW_VALUE ? "low-value" : "";
}

const char *
oa_asset_status_parse(const char *s, size_t len)
{
	static const struct {
		const char *folded, *name;
	} statuses[] = {
		{ "in_use", "in-use" },     { "在用", "in-use" },
		{ "idle", "idle" },         { "闲置", "idle" },
		{ "repair", "repair" },     { "维修", "repair" },
		{ "lent", "lent" },         { "借出", "lent" },
		{ "missing", "missing" },   { "丢失", "missing" },
		{ "disposed", "disposed" }, { "报废", "disposed" },
		{ "已处置", "disposed" },
		/* what offices also type: unambiguous, so read, not warned */
		{ "在用中", "in-use" },     { "维修中", "repair" },
		{ "送修", "repair" },       { "已借出", "lent" },
	};
	char f[64];

	oa_utf8_fold(s, len, f, sizeof f, OA_FOLD_SEPARATORS);
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(f, statuses[i].folded) == 0)
			return statuses[i].name;
	return NULL;
}

/*
 * Room for one more element in the array *P of N used out of *CAP, each
 * SIZE bytes, doubling from FIRST.  0, or -1 when out of memory.
 */
static int
room_for_one(void **p, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t c;
	void *a;

	if (n < *cap)
		return 0;
	c = *cap ? 2 * *cap : first;
	a = realloc(*p, c * size);
	if (a == NULL)
		return -1;
	*p = a;
	*cap = c;
	return 0;
}

/* ---- growing text block and string map ---- */

struct text {
	char *p;
	size_t len, cap;
};

/* Appends s[0..n) and a NUL; returns its offset, or SIZE_MAX. */
static size_t
text_add(struct text *t, const char *s, size_t n)
{
	size_t off = t->len;

	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1 << 16;
		char *p;

		while (t->len + n + 1 > cap)
			cap *= 2;
		p = realloc(t->p, cap);
		if (p == NULL)
			return SIZE_MAX;
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->p[t->len + n] = '\0';
	t->len += n + 1;
	return off;
}

struct slot {
	size_t key; /* offset in keys, SIZE_MAX when free */
	size_t len;
	uint64_t hash;
	long value;
};

struct strmap {
	struct slot *slots;
	size_t cap, count; /* cap a power of two */
	struct text keys;
};

/* A word-at-a-time multiplicative hash: keys are short, lookups many. */
static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15u, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 32);
}

static void
strmap_free(struct strmap *m)
{
	free(m->slots);
	free(m->keys.p);
	memset(m, 0, sizeof *m);
}

static struct slot *
strmap_slot(const struct strmap *m, const char *s, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct slot *sl = &m->slots[i];

		if (sl->key == SIZE_MAX)
			return sl;
		if (sl->hash == h && sl->len == n && memcmp(m->keys.p + sl->key, s, n) == 0)
			return sl;
		i = (i + 1) & (m->cap - 1);
	}
}

/* The value for s, or NULL. */
static long *
strmap_get(const struct strmap *m, const char *s, size_t n)
{
	struct slot *sl;

	if (m->count == 0)
		return NULL;
	sl = strmap_slot(m, s, n, hash_bytes(s, n));
	return sl->key == SIZE_MAX ? NULL : &sl->value;
}

static int
strmap_grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct slot *old = m->slots, *slots = malloc(cap * sizeof *slots);
	size_t oldcap = m->cap;

	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < cap; i++)
		slots[i].key = SIZE_MAX;
	m->slots = slots;
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key != SIZE_MAX)
			*strmap_slot(m, m->keys.p + old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
	return 0;
}

/* Adds s with VALUE unless present.  Returns the slot's value, NULL on ENOMEM. */
static long *
strmap_put(struct strmap *m, const char *s, size_t n, long value)
{
	uint64_t h = hash_bytes(s, n);
	struct slot *sl;

	if ((m->count + 1) * 2 > m->cap && strmap_grow(m) < 0)
		return NULL;
	sl = strmap_slot(m, s, n, h);
	if (sl->key != SIZE_MAX)
		return &sl->value;
	sl->key = text_add(&m->keys, s, n);
	if (sl->key == SIZE_MAX)
		return NULL;
	sl->len = n;
	sl->hash = h;
	sl->value = value;
	m->count++;
	return &sl->value;
}

/* ---- the tagging run ---- */

/* Room for N more bytes in T. */
static int
text_reserve(struct text *t, size_t n)
{
	size_t cap;
	char *p;

	if (t->len + n <= t->cap)
		return 0;
	cap = t->cap ? t->cap : 1 << 16;
	while (t->len + n > cap)
		cap *= 2;
	p = realloc(t->p, cap);
	if (p == NULL)
		return -1;
	t->p = p;
	t->cap = cap;
	return 0;
}

/*
 * Good rows are written as CSV into one memory buffer while they are read;
 * a row that still needs a tag gets a placeholder of the tag's length, and
 * oa_tagger_assign fills the placeholders in place once every tag of the
 * register and the input is known.  Bad rows keep their fields in a text
 * block for the reject file.
 */

/* A new tag's placeholder (its prefix's ph, nph bytes); a million rows make a million. */
struct gen {
	uint64_t off : 40;    /* in the output buffer */
	uint64_t prefix : 24; /* index into t->prefixes */
};
#define GEN_MAX_PREFIXES (1L << 24)

/* A tag that grew past {seq:N}: longer than its placeholder, written separately. */
struct splice {
	size_t gen;
	unsigned long seq;
};

struct bad {
	size_t off;          /* first field in t->bad_text */
	long line;
};

struct prefix {
	char before[OA_TAG_MAX], after[OA_TAG_MAX];
	size_t nb, na;       /* their lengths */
	char ph[OA_TAG_MAX]; /* the placeholder written for a new tag */
	size_t nph;
	int check;           /* check-character state after before */
	/* The last tag made (next_tag): its sequence but the last digit, and the state there. */
	char tag[OA_TAG_MAX];
	size_t ntag, nd;
	unsigned long hi;    /* sequence / 10, plus 1; 0 before the first tag */
	int hi_check;
	unsigned long max;   /* highest sequence in use */
	size_t counter;      /* the prefix whose max counts for this one (oa_tagger_assign) */
};

/*
 * Caches in front of the string maps for the values every row looks up.
 * A department or category name of 1 to 16 bytes is held whole in two
 * words (its first and last eight bytes, overlapping), so a hit needs no
 * comparison of strings; longer names go to the string map.
 */
#define FAST_SLOTS 256
/*
 * The prefix cache is indexed by department, category and the year's last
 * four bits: no collisions for up to 255 pairs of department and category
 * and 16 years in a row.
 */
#define FAST_PREFIX_SLOTS 4096

struct fast_name {
	uint64_t w0, w1;
	size_t len;          /* 0: free */
	long value;
};

/* Raw text of a department or category cell -> its index, -1 unknown. */
struct name_cache {
	struct fast_name fast[FAST_SLOTS];
	struct strmap map;   /* every text seen, including the long ones */
};

struct fast_prefix {
	long dept, cat, year;
	long value;          /* -1: free */
};

/* The values a good row may write in place of its input fields. */
enum { OV_TAG, OV_CLASS, OV_ACQUIRED, OV_LIFE, OV_STATUS, OV_VALUE, OV_QTY, OV_DEPT, OV_CAT,
       OV_ROWNO, OV_N };

struct outcol {
	int src; /* input field, or -1 */
	int reg; /* register column the value is for, or -1 */
	int ov;  /* OV_ value that may replace the input's, or -1 */
	int purchase; /* a register column named like a purchase column (OA_PURCHASE_), or -1 */
	bool rowno;   /* the row number (序号): numbered by the tagger */
};

struct problem {
	long line;
	char *msg;
};

struct oa_tagger {
	const oa_asset_settings *s;
	oa_tagger_options opt;
	char today[11];
	int today_year;

	/* register */
	bool register_header;
	char *register_name;
	char **reg_header;       /* register header cells */
	size_t reg_width;
	struct strmap reg_tags;  /* canonical tag (oa_tag_canonical) -> line */
	oa_csv_style reg_style;  /* its encoding, BOM and line ends */
	bool status_zh, class_zh; /* its status and class words are Chinese */
	int reg_rowno;           /* its row number column (序号), or -1 */
	struct problem *warnings; /* about the register, by its lines */
	size_t nwarnings;
	oa_tagger_problem *warning_views;

	/* the row numbers (序号) of the rows written: next, zero-padded to width */
	unsigned long long rowno_next;
	int rowno_width;
	int in_rowno;            /* the input's row number column, or -1 */
	bool has_rowno;          /* the output has a row number column */

	/* input */
	char *input_name;
	char **in_header;
	size_t in_width;
	int index[OA_REG_NCOLS];
	size_t col[OA_REG_NCOLS]; /* index[], or in_width (an empty field) when absent */
	int pindex[OA_PURCHASE_NCOLS]; /* quantity and unit price, -1 when absent */
	size_t pcol[OA_PURCHASE_NCOLS];
	const char **fv;         /* the current record's fields, in_width + 1 */
	size_t *fl;              /* and their lengths */
	size_t *fix;             /* write_plain_row's commas, in_width */
	size_t max_copies;       /* the most output columns that copy one input field */
	size_t nrows;
	struct strmap in_tags;   /* canonical tag -> line */
	struct name_cache dept_seen, cat_seen;
	struct strmap prefix_map; /* before "\x1f" after -> prefix index */
	struct strmap prefix_cache; /* (department, category, year) -> prefix index */
	struct fast_prefix prefix_fast[FAST_PREFIX_SLOTS];
	struct prefix *prefixes;
	size_t nprefixes, prefixes_cap;

	/* output: good rows as CSV, without the header */
	struct outcol *out;
	size_t nout;
	struct text sink;
	oa_csv_writer *w;        /* held: rows that cannot be copied as they came */
	struct gen *gens;
	size_t ngens, gens_cap;
	struct splice *splices;  /* in the order of gens */
	size_t nsplices, splices_cap;

	/* bad rows */
	struct text bad_text;
	struct bad *bads;
	size_t nbad, bads_cap;

	struct problem *problems;
	size_t nproblems, problems_cap;
	oa_tagger_problem *views;

	/* input columns without a name that the register does not take */
	size_t *unnamed, nunnamed;

	/* total rows (合计) skipped, with their word */
	long *total_lines;
	const char **total_words;
	size_t ntotals, totals_cap, total_words_cap;
};

oa_tagger *
oa_tagger_new(const oa_asset_settings *s, const oa_tagger_options *opt)
{
	oa_tagger *t = calloc(1, sizeof *t);
	int month, day;

	if (t == NULL)
		return NULL;
	t->s = s;
	oa_csv_style_init(&t->reg_style);
	for (size_t i = 0; i < FAST_PREFIX_SLOTS; i++)
		t->prefix_fast[i].value = -1;
	if (opt != NULL)
		t->opt = *opt;
	t->reg_rowno = t->in_rowno = -1;
	t->rowno_next = 1;
	oa_date_format(t->opt.today, t->today);
	oa_date_to_ymd(t->opt.today, &t->today_year, &month, &day);
	return t;
}

static void
free_cells(char **cells, size_t n)
{
	if (cells == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

void
oa_tagger_free(oa_tagger *t)
{
	if (t == NULL)
		return;
	free(t->register_name);
	free_cells(t->reg_header, t->reg_width);
	strmap_free(&t->reg_tags);
	free(t->input_name);
	free_cells(t->in_header, t->in_width);
	strmap_free(&t->in_tags);
	strmap_free(&t->dept_seen.map);
	strmap_free(&t->cat_seen.map);
	strmap_free(&t->prefix_map);
	strmap_free(&t->prefix_cache);
	free(t->prefixes);
	free(t->out);
	free(t->fv);
	free(t->fl);
	free(t->fix);
	oa_csv_writer_free(t->w);
	free(t->sink.p);
	free(t->gens);
	free(t->splices);
	free(t->bad_text.p);
	free(t->bads);
	for (size_t i = 0; i < t->nproblems; i++)
		free(t->problems[i].msg);
	free(t->problems);
	for (size_t i = 0; i < t->nwarnings; i++)
		free(t->warnings[i].msg);
	free(t->warnings);
	free(t->warning_views);
	free(t->total_lines);
	free(t->unnamed);
	free(t->total_words);
	free(t->views);
	free(t);
}

static char **
copy_record(const oa_csv_reader *r, size_t *n)
{
	size_t w = oa_csv_nfields(r);
	char **cells = calloc(w ? w : 1, sizeof *cells);

	if (cells == NULL)
		return NULL;
	for (size_t i = 0; i < w; i++) {
		cells[i] = strdup(oa_csv_field(r, i));
		if (cells[i] == NULL) {
			free_cells(cells, i);
			return NULL;
		}
	}
	*n = w;
	return cells;
}

static int
nomem(oa_error *err)
{
	return oa_error_set(err, NULL, 0, "out of memory");
}

static bool
is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* S folded without its spaces ("合 计", "合　计": a centred cell), in F. */
static void
fold_unspaced(const char *s, size_t n, char *f, size_t cap)
{
	size_t k = 0;

	oa_utf8_fold(s, n, f, cap, OA_FOLD_SEPARATORS);
	for (size_t j = 0; f[j] != '\0'; j++)
		if (f[j] != '_')
			f[k++] = f[j];
	f[k] = '\0';
}

/* The total word (合计 ...) that the cell S (N bytes) is, or NULL. */
static const char *
total_word(const char *s, size_t n)
{
	static const char *const words[] = { "合计", "总计", "小计", "共计", "合计金额",
		                             "total", "sum", "grandtotal", "subtotal" };
	char f[64];

	if (n == 0 || n >= sizeof f)
		return NULL;
	fold_unspaced(s, n, f, sizeof f);
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
		if (strcmp(f, words[w]) == 0)
			return words[w];
	return NULL;
}

const char *
oa_asset_total_word(const char *s, size_t n)
{
	/* "合计：" and "Total:" as a label cell is typed. */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= strlen("：") && memcmp(s + n - strlen("："), "：", strlen("：")) == 0)
		n -= strlen("：");
	else if (n > 0 && s[n - 1] == ':')
		n--;
	return total_word(s, n);
}

static int
add_warning(oa_tagger *t, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Notes a warning about the register at LINE; -1 when out of memory. */
static int
add_warning(oa_tagger *t, long line, const char *fmt, ...)
{
	struct problem *grown = realloc(t->warnings, (t->nwarnings + 1) * sizeof *grown);
	va_list ap;
	char *msg;
	int n;

	if (grown == NULL)
		return -1;
	t->warnings = grown;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	t->warnings[t->nwarnings].line = line;
	t->warnings[t->nwarnings++].msg = msg;
	return 0;
}

/* The register's row number cells that are no number: how many, the first. */
struct odd_rowno {
	size_t count;
	long line;
	char first[32];
};

/*
 * Takes the register's row number S (N bytes) into account: the next
 * number is one after the highest, zero-padded as that one is (0099 is
 * followed by 0100).  A cell that is empty or not a whole number is
 * counted in ODD.
 */
static void
note_rowno(oa_tagger *t, const char *s, size_t n, long line, struct odd_rowno *odd)
{
	unsigned long long v = 0;
	size_t i;

	trim(&s, &n);
	for (i = 0; i < n && i < 18 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned long long)(s[i] - '0');
	if (n == 0 || i < n) {
		if (odd->count++ == 0) {
			size_t m = n < 24 ? n : 24;

			while (m > 0 && m < n && ((unsigned char)s[m] & 0xC0) == 0x80)
				m--; /* not cut inside a character */
			odd->line = line;
			snprintf(odd->first, sizeof odd->first, "%.*s", (int)m, s);
		}
		return;
	}
	if (v + 1 > t->rowno_next || (v + 1 == t->rowno_next && s[0] == '0')) {
		t->rowno_next = v + 1;
		t->rowno_width = s[0] == '0' ? (int)n : 0;
	}
}

size_t
oa_tagger_warnings(const oa_tagger *t, const oa_tagger_problem **out)
{
	oa_tagger *mut = (oa_tagger *)t;

	free(mut->warning_views);
	mut->warning_views = calloc(t->nwarnings + 1, sizeof *mut->warning_views);
	if (mut->warning_views == NULL) {
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i < t->nwarnings; i++) {
		mut->warning_views[i].file = t->register_name;
		mut->warning_views[i].line = t->warnings[i].line;
		mut->warning_views[i].msg = t->warnings[i].msg;
	}
	*out = mut->warning_views;
	return t->nwarnings;
}

int
oa_tagger_read_register(oa_tagger *t, oa_csv_reader *r, oa_error *err)
{
	int index[OA_REG_NCOLS];
	char tag[OA_TAG_MAX];
	int rc;

	size_t zh[2] = { 0, 0 }, en[2] = { 0, 0 }; /* status and class cells */
	bool header_zh = false;
	struct odd_rowno odd = { 0, 0, "" };

	t->register_name = strdup(oa_csv_name(r));
	if (t->register_name == NULL)
		return nomem(err);
	rc = oa_csv_read(r, err);
	if (rc <= 0) {
		oa_csv_reader_style(r, &t->reg_style);
		return rc; /* empty: the layout comes from the input */
	}
	if (oa_columns_map(r, oa_register_columns, OA_REG_NCOLS, OA_BIT(OA_REG_TAG), index,
	                   err) < 0)
		return -1;
	t->reg_header = copy_record(r, &t->reg_width);
	if (t->reg_header == NULL)
		return nomem(err);
	t->register_header = true;
	for (size_t i = 0; i < t->reg_width; i++) {
		header_zh |= !is_ascii(t->reg_header[i], strlen(t->reg_header[i]));
		if (t->reg_rowno < 0 && oa_column_matches(&oa_rowno_column, t->reg_header[i],
		                                          strlen(t->reg_header[i])))
			t->reg_rowno = (int)i;
	}
	while ((rc = oa_csv_read(r, err)) > 0) {
		const char *tf = oa_csv_field(r, (size_t)index[OA_REG_TAG]), *word = NULL;
		size_t tl = oa_csv_field_len(r, (size_t)index[OA_REG_TAG]);
		size_t n = oa_tag_canonical(tf, tl, tag, sizeof tag);

		/*
		 * A total row (合计) kept in the register: the new rows would go
		 * below it and leave its sum wrong, and a stock-take would look
		 * for a "合计" asset.
		 */
		if (n == 0 || (tl > 0 && tl < 16 && ((unsigned char)tf[0] >= 0x80 ||
		                                      strchr("tTsSgG ", tf[0]) != NULL) &&
		               (word = total_word(tf, tl)) != NULL))
			for (size_t i = 0; i < oa_csv_nfields(r) && word == NULL; i++)
				word = total_word(oa_csv_field(r, i), oa_csv_field_len(r, i));
		if (word != NULL)
			return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			                    "the register has a total row (%s): new rows would go "
			                    "below it and its sum would be wrong; move the total out "
			                    "of the register (or delete the row) and run again", word);

		if (n > 0 && strmap_put(&t->reg_tags, tag, n, oa_csv_line(r)) == NULL)
			return nomem(err);
		if (t->reg_rowno >= 0)
			note_rowno(t, oa_csv_field(r, (size_t)t->reg_rowno),
			           oa_csv_field_len(r, (size_t)t->reg_rowno), oa_csv_line(r), &odd);
		for (int k = 0; k < 2; k++) {
			int c = index[k == 0 ? OA_REG_STATUS : OA_REG_CLASS];
			size_t len = c >= 0 ? oa_csv_field_len(r, (size_t)c) : 0;

			if (len > 0 && is_ascii(oa_csv_field(r, (size_t)c), len))
				en[k]++;
			else if (len > 0)
				zh[k]++;
		}
	}
	if (rc < 0)
		return -1;
	if (odd.count > 0) {
		char next[32], first[48];

		snprintf(next, sizeof next, "%0*llu", t->rowno_width, t->rowno_next);
		if (odd.first[0] == '\0')
			snprintf(first, sizeof first, "empty");
		else
			snprintf(first, sizeof first, "\"%s\"", odd.first);
		if (add_warning(t, odd.line, "%s is empty or not a whole number on %zu row%s (here %s): "
		                "the new rows are numbered from %s, after the highest",
		                t->reg_header[t->reg_rowno], odd.count, odd.count == 1 ? "" : "s",
		                first, next) < 0)
			return nomem(err);
	}
	/*
	 * The register's vocabulary: the language most of its status (class)
	 * cells are in; without any, the other column's, then the header's.
	 */
	t->status_zh = zh[0] > en[0] || (zh[0] == en[0] && (zh[1] > en[1] ||
	                                                    (zh[1] == en[1] && header_zh)));
	t->class_zh = zh[1] > en[1] || (zh[1] == en[1] && t->status_zh);
	oa_csv_reader_style(r, &t->reg_style);
	return 0;
}

void
oa_tagger_register_style(const oa_tagger *t, oa_csv_style *style)
{
	*style = t->reg_style;
}

static int
add_problem(oa_tagger *t, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
add_problem(oa_tagger *t, long line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (room_for_one((void **)&t->problems, t->nproblems, &t->problems_cap, sizeof *t->problems,
	                 16) < 0)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return -1;
	t->problems[t->nproblems].line = line;
	t->problems[t->nproblems].msg = msg;
	t->nproblems++;
	return 0;
}

/* Lays out the output columns; -1 when an input column has no place. */
static int
plan_columns(oa_tagger *t, oa_error *err)
{
	size_t cap = t->in_width + OA_REG_NCOLS + (t->register_header ? t->reg_width : 0);
	static const int filled[] = { OA_REG_CLASS, OA_REG_ACQUIRED, OA_REG_LIFE, OA_REG_STATUS };
	bool *used;

	t->out = calloc(cap, sizeof *t->out);
	t->unnamed = calloc(t->in_width + 1, sizeof *t->unnamed);
	used = calloc(t->in_width + 1, sizeof *used);
	if (t->out == NULL || used == NULL || t->unnamed == NULL) {
		free(used);
		return nomem(err);
	}
	if (!t->register_header) {
		if (t->index[OA_REG_TAG] < 0)
			t->out[t->nout++] = (struct outcol){ -1, OA_REG_TAG, -1, -1, false };
		for (size_t h = 0; h < t->in_width; h++) {
			int reg = -1;

			/*
			 * Quantity and unit price are consumed: each asset's value
			 * is the unit price, in the value column, or in a "value"
			 * column where the unit price was.
			 */
			if ((int)h == t->pindex[OA_PURCHASE_UNIT_PRICE] && t->index[OA_REG_VALUE] < 0)
				t->out[t->nout++] = (struct outcol){ -1, OA_REG_VALUE, -1, -1, false };
			if ((int)h == t->pindex[OA_PURCHASE_UNIT_PRICE] ||
			    (int)h == t->pindex[OA_PURCHASE_QUANTITY])
				continue;
			for (int c = 0; c < OA_REG_NCOLS; c++)
				if (t->index[c] == (int)h)
					reg = c;
			/* The input's 序号 stays, renumbering the rows written from 1. */
			t->out[t->nout++] = (struct outcol){ (int)h, reg, -1, -1, (int)h == t->in_rowno };
		}
		for (size_t k = 0; k < sizeof filled / sizeof filled[0]; k++)
			if (t->index[filled[k]] < 0)
				t->out[t->nout++] = (struct outcol){ -1, filled[k], -1, -1, false };
		free(used);
		return 0;
	}
	for (size_t h = 0; h < t->reg_width; h++) {
		const char *name = t->reg_header[h];
		struct outcol oc = { -1, -1, -1, -1, false };

		if ((int)h == t->reg_rowno) {
			/* Numbered on from the register's highest; the input's numbers replaced. */
			oc.rowno = true;
			oc.src = t->in_rowno;
			if (oc.src >= 0)
				used[oc.src] = true;
			t->out[t->nout++] = oc;
			continue;
		}
		for (int c = 0; c < OA_REG_NCOLS && oc.reg < 0; c++)
			if (oa_column_matches(&oa_register_columns[c], name, strlen(name))) {
				oc.reg = c;
				oc.src = t->index[c];
			}
		for (int c = 0; c < OA_PURCHASE_NCOLS && oc.reg < 0 && oc.purchase < 0; c++)
			if (oa_column_matches(&oa_purchase_columns[c], name, strlen(name))) {
				oc.purchase = c;
				oc.src = t->pindex[c];
			}
		if (oc.reg < 0 && oc.purchase < 0) {
			char want[256], have[256];

			oa_utf8_fold(name, strlen(name), want, sizeof want, OA_FOLD_SEPARATORS);
			for (size_t i = 0; i < t->in_width && want[0] != '\0'; i++) {
				oa_utf8_fold(t->in_header[i], strlen(t->in_header[i]), have,
				             sizeof have, OA_FOLD_SEPARATORS);
				if (strcmp(want, have) == 0) {
					oc.src = (int)i;
					break;
				}
			}
		}
		if (oc.src >= 0)
			used[oc.src] = true;
		t->out[t->nout++] = oc;
	}
	for (size_t i = 0; i < t->in_width; i++) {
		if (!used[i] && t->in_header[i][0] == '\0') {
			/* Excel's empty columns: dropped, but not a value in one (take_row) */
			t->unnamed[t->nunnamed++] = i;
			continue;
		}
		/*
		 * The input's own row numbers (序号) number the purchase list: a
		 * register without the column has no use for them.
		 */
		if (used[i] || (int)i == t->pindex[OA_PURCHASE_QUANTITY] ||
		    (int)i == t->pindex[OA_PURCHASE_UNIT_PRICE] || (int)i == t->in_rowno)
			continue;
		oa_error_set(err, t->input_name, 1,
		             "column \"%s\" is not in the register \"%s\"; add it to the "
		             "register's header first, or delete it from the input",
		             t->in_header[i], t->register_name);
		free(used);
		return -1;
	}
	free(used);
	return 0;
}

static int
plan_output(oa_tagger *t, oa_error *err)
{
	size_t *uses;

	if (plan_columns(t, err) < 0)
		return -1;
	uses = calloc(t->in_width + 1, sizeof *uses);
	if (uses == NULL)
		return nomem(err);
	/*
	 * A register whose header names one input column twice (two columns
	 * whose names fold alike) copies that field twice: write_plain_row
	 * sizes its room by the most copies of any field.
	 */
	t->max_copies = 1;
	for (size_t k = 0; k < t->nout; k++) {
		struct outcol *oc = &t->out[k];

		oc->ov = oc->reg == OA_REG_TAG ? OV_TAG : oc->reg == OA_REG_CLASS ? OV_CLASS :
		         oc->reg == OA_REG_ACQUIRED ? OV_ACQUIRED : oc->reg == OA_REG_LIFE ? OV_LIFE :
		         oc->reg == OA_REG_STATUS ? OV_STATUS : oc->reg == OA_REG_VALUE ? OV_VALUE :
		         oc->reg == OA_REG_DEPARTMENT ? OV_DEPT : oc->reg == OA_REG_CATEGORY ? OV_CAT :
		         oc->purchase == OA_PURCHASE_QUANTITY ? OV_QTY :
		         oc->purchase == OA_PURCHASE_UNIT_PRICE ? OV_VALUE :
		         oc->rowno ? OV_ROWNO : -1;
		t->has_rowno |= oc->rowno;
		if (oc->src >= 0 && ++uses[oc->src] > t->max_copies)
			t->max_copies = uses[oc->src];
	}
	free(uses);
	return 0;
}

/*
 * The slot of the fast cache for s[0..n), 1 <= n <= 16, with the words
 * that identify it in *w0 and *w1.
 */
static inline struct fast_name *
fast_name_slot(struct fast_name *cache, const char *s, size_t n, uint64_t *w0, uint64_t *w1)
{
	*w0 = *w1 = 0;
	if (n >= 8) {
		memcpy(w0, s, 8);
		memcpy(w1, s + n - 8, 8);
	} else {
		memcpy(w0, s, n);
	}
	return &cache[((*w0 ^ (*w1 * 0x9e3779b97f4a7c15u) ^ n) * 0xff51afd7ed558ccdu) >> 56];
}

static long
department_lookup(const oa_tagger *t, const char *s, size_t n)
{
	const oa_department *d = oa_departments_find(&t->s->depts, s, n);

	return d ? d - t->s->depts.items : -1;
}

static long
category_lookup(const oa_tagger *t, const char *s, size_t n)
{
	const oa_asset_category *c = oa_asset_category_find(t->s, s, n);

	return c ? c - t->s->cats : -1;
}

/*
 * The index LOOKUP gives for s[0..n), remembered in C: -1 when unknown,
 * -2 out of memory.  Every row looks up its department and category, and
 * a sheet has few distinct ones.
 */
static long
cached_index(oa_tagger *t, struct name_cache *c, const char *s, size_t n,
             long (*lookup)(const oa_tagger *, const char *, size_t), oa_error *err)
{
	struct fast_name *f = NULL;
	uint64_t w0, w1;
	long *v, idx;

	if (n >= 1 && n <= 16) {
		f = fast_name_slot(c->fast, s, n, &w0, &w1);
		if (f->len == n && f->w0 == w0 && f->w1 == w1)
			return f->value;
	}
	v = strmap_get(&c->map, s, n);
	if (v != NULL) {
		idx = *v;
	} else {
		idx = lookup(t, s, n);
		if (strmap_put(&c->map, s, n, idx) == NULL)
			return nomem(err) - 1;
	}
	if (f != NULL)
		*f = (struct fast_name){ w0, w1, n, idx };
	return idx;
}

static const oa_department *
find_department(oa_tagger *t, const char *s, size_t n, oa_error *err, int *rc)
{
	long i = cached_index(t, &t->dept_seen, s, n, department_lookup, err);

	*rc = i == -2 ? -1 : 0;
	return i < 0 ? NULL : &t->s->depts.items[i];
}

static const oa_asset_category *
find_category(oa_tagger *t, const char *s, size_t n, oa_error *err, int *rc)
{
	long i = cached_index(t, &t->cat_seen, s, n, category_lookup, err);

	*rc = i == -2 ? -1 : 0;
	return i < 0 ? NULL : &t->s->cats[i];
}

/* The prefix index for the parts of a tag before and after its sequence. */
static long
find_prefix(oa_tagger *t, const char *dept, const char *cat, int year, oa_error *err)
{
	const oa_tag_pattern *p = t->s->pattern;
	char key[2 * OA_TAG_MAX + 1];
	struct prefix pf;
	size_t nb = 0, na = 0;
	long *v;

	if (!render_part(p, 0, p->seq, dept, cat, year, pf.before, &nb, sizeof pf.before) ||
	    !render_part(p, p->seq + 1, p->nsegs - 1, dept, cat, year, pf.after, &na,
	                 sizeof pf.after) ||
	    nb + na + (size_t)p->width + 2 > OA_TAG_MAX)
		return -2;
	pf.before[nb] = pf.after[na] = '\0';
	memcpy(key, pf.before, nb);
	key[nb] = '\x1f';
	memcpy(key + nb + 1, pf.after, na);
	v = strmap_get(&t->prefix_map, key, nb + 1 + na);
	if (v != NULL)
		return *v;
	if (room_for_one((void **)&t->prefixes, t->nprefixes, &t->prefixes_cap, sizeof *t->prefixes,
	                 16) < 0)
		return nomem(err);
	pf.max = 0;
	pf.nb = nb;
	pf.na = na;
	/* Placeholder: letters, digits and separators, never quoted. */
	memcpy(pf.ph, pf.before, nb);
	memset(pf.ph + nb, '0', (size_t)p->width);
	memcpy(pf.ph + nb + (size_t)p->width, pf.after, na);
	pf.nph = nb + (size_t)p->width + na;
	pf.ph[pf.nph++] = '0';
	pf.ph[pf.nph] = '\0';
	pf.check = oa_tag_check_feed(OA_TAG_CHECK_START, pf.before, nb);
	pf.hi = 0;
	t->prefixes[t->nprefixes] = pf;
	if (strmap_put(&t->prefix_map, key, nb + 1 + na, (long)t->nprefixes) == NULL)
		return nomem(err);
	return (long)t->nprefixes++;
}

/* Field i (a register column) of the current record; "" when the input lacks it. */
#define FIELD(i) (t->fv[t->col[i]])
#define FLEN(i) (t->fl[t->col[i]])

static bool
blank(const char *s, size_t n)
{
	trim(&s, &n);
	return n == 0;
}

/*
 * What a good row writes in place of its input fields: v[OV_x] (n[OV_x]
 * bytes), or the input's field where v[OV_x] is NULL.  A new tag is its
 * prefix's placeholder.
 */
struct row_out {
	const char *v[OV_N];
	size_t n[OV_N];
	long prefix;
	bool new_tag;
	bool quote; /* a value in v[] may need quotes: not for write_plain_row */
};

/* Notes that the new tag's placeholder is at offset OFF of the output. */
static int
add_gen(oa_tagger *t, size_t off, long prefix, oa_error *err)
{
	struct gen *g;

	if (prefix >= GEN_MAX_PREFIXES || off >= ((uint64_t)1 << 40))
		return oa_error_set(err, t->input_name, 0, "too many rows or tag prefixes");

	if (room_for_one((void **)&t->gens, t->ngens, &t->gens_cap, sizeof *t->gens,
	                 1024) < 0)
		return nomem(err);
	g = &t->gens[t->ngens++];
	g->off = off;
	g->prefix = (uint64_t)prefix;
	return 0;
}

/*
 * The value column OC takes from RO instead of the input, or NULL; a new
 * tag is its placeholder, with *is_new set.
 */
static inline const char *
row_value(const struct outcol *oc, const struct row_out *ro, size_t *n, bool *is_new)
{
	if (oc->ov < 0 || ro->v[oc->ov] == NULL) {
		*is_new = false;
		return NULL;
	}
	*is_new = oc->ov == OV_TAG && ro->new_tag;
	*n = ro->n[oc->ov];
	return ro->v[oc->ov];
}

/* Copies a run of fields to O, turning the NULs at FIX[0..nfix) back into commas. */
static inline char *
copy_run(char *o, const char *run, const char *run_end, const size_t *fix, size_t nfix)
{
	memcpy(o, run, (size_t)(run_end - run));
	for (size_t i = 0; i < nfix; i++)
		o[fix[i]] = ',';
	return o + (run_end - run);
}

static int
write_plain_row(oa_tagger *t, const struct row_out *ro, oa_error *err)
{
	size_t block = (size_t)(t->fv[t->in_width - 1] - t->fv[0]) + t->fl[t->in_width - 1];
	const char *run = NULL, *run_end = NULL;
	size_t nfix = 0;
	char *o;

	/* Each field copied at most max_copies times, each value at most OA_TAG_MAX bytes. */
	if (text_reserve(&t->sink, block * t->max_copies +
	                 t->nout * (OA_TAG_MAX + 1 + ro->n[OV_VALUE] + ro->n[OV_DEPT] +
	                            ro->n[OV_CAT]) + 2) < 0)
		return nomem(err);
	o = t->sink.p + t->sink.len;
	for (size_t k = 0; k < t->nout; k++) {
		const struct outcol *oc = &t->out[k];
		bool is_new;
		size_t n = 0;
		const char *v = row_value(oc, ro, &n, &is_new);

		if (v == NULL && oc->src >= 0) {
			const char *p = t->fv[oc->src];

			n = t->fl[oc->src];
			if (run != NULL && p == run_end + 1) {
				t->fix[nfix++] = (size_t)(run_end - run);
				run_end = p + n;
				continue;
			}
			if (run != NULL)
				o = copy_run(o, run, run_end, t->fix, nfix);
			if (k > 0)
				*o++ = ',';
			run = p;
			run_end = p + n;
			nfix = 0;
			continue;
		}
		if (run != NULL) {
			o = copy_run(o, run, run_end, t->fix, nfix);
			run = NULL;
		}
		if (k > 0)
			*o++ = ',';
		if (is_new && add_gen(t, (size_t)(o - t->sink.p), ro->prefix, err) < 0)
			return -1;
		if (v != NULL) {
			memcpy(o, v, n);
			o += n;
		}
	}
	if (run != NULL)
		o = copy_run(o, run, run_end, t->fix, nfix);
	*o++ = '\n';
	t->sink.len = (size_t)(o - t->sink.p);
	return 0;
}

/* Writes the current record (t->fv) to the output, in the output layout. */
static int
write_row(oa_tagger *t, bool plain, const struct row_out *ro, oa_error *err)
{
	oa_csv_writer *w = t->w;
	const char *rec;
	size_t len;

	/*
	 * A line without quotes needs no quoting on the way out, and values
	 * put in its place are letters, digits and dates; but the first row
	 * may start with a BOM-like cell, and a tag may hold a comma or quote.
	 */
	if (plain && t->sink.len > 0 &&
	    (ro->new_tag || strpbrk(ro->v[OV_TAG], ",\"") == NULL) && !ro->quote)
		return write_plain_row(t, ro, err);

	for (size_t k = 0; k < t->nout; k++) {
		const struct outcol *oc = &t->out[k];
		bool is_new;
		size_t n = 0;
		const char *v = row_value(oc, ro, &n, &is_new);

		if (v == NULL) {
			v = oc->src >= 0 ? t->fv[oc->src] : "";
			n = oc->src >= 0 ? t->fl[oc->src] : 0;
		}
		oa_csv_write_field(w, v, n);
		if (is_new && add_gen(t, t->sink.len + (size_t)oa_csv_writer_tell(w) - n,
		                      ro->prefix, err) < 0)
			return -1;
	}
	oa_csv_end_record(w);
	if (oa_csv_writer_check(w, NULL, err) < 0)
		return -1;
	rec = oa_csv_writer_take(w, &len);
	if (text_reserve(&t->sink, len) < 0)
		return nomem(err);
	memcpy(t->sink.p + t->sink.len, rec, len);
	t->sink.len += len;
	return 0;
}

/* Keeps the fields of a bad row for the reject file. */
static int
keep_bad_row(oa_tagger *t, long line, oa_error *err)
{
	struct bad b = { t->bad_text.len, line };

	for (size_t i = 0; i < t->in_width; i++)
		if (text_add(&t->bad_text, t->fv[i], t->fl[i]) == SIZE_MAX)
			return nomem(err);
	if (room_for_one((void **)&t->bads, t->nbad, &t->bads_cap, sizeof *t->bads,
	                 64) < 0)
		return nomem(err);
	t->bads[t->nbad++] = b;
	return 0;
}

static const char *
category_name(const void *ctx, size_t i)
{
	return ((const oa_asset_settings *)ctx)->cats[i].name;
}

/* " (did you mean "a", "b" or "c"?)", or "" without names. */
static void
did_you_mean(char *hint, size_t cap, const char *const *names, size_t k)
{
	size_t used = 0;

	hint[0] = '\0';
	for (size_t i = 0; i < k && used < cap; i++)
		used += (size_t)snprintf(hint + used, cap - used, "%s\"%s\"",
		                         i == 0 ? " (did you mean " : i + 1 == k ? " or " : ", ",
		                         names[i]);
	if (k > 0 && used < cap)
		snprintf(hint + used, cap - used, "?)");
}

/* An amount NORM[0..len) (digits and a point) with a non-zero digit past the fen. */
static bool
finer_than_fen(const char *norm, size_t len)
{
	const char *point = memchr(norm, '.', len);

	if (point == NULL)
		return false;
	for (size_t i = (size_t)(point - norm) + 3; i < len; i++)
		if (norm[i] != '0')
			return true;
	return false;
}


/*
 * The value of a row, and with a purchase list's quantity and unit price
 * (issue 12 item 11) how many assets it makes.  *qty is 1 without a
 * quantity column; *unit (*nunit bytes) is the unit price text, written as
 * each asset's value, or NULL.  -1 only when out of memory.
 */
static int
take_purchase(oa_tagger *t, long line, long *qty, double *value, const char **unit,
              size_t *nunit, char *norm, size_t cap)
{
	const char *f = t->fv[t->pcol[OA_PURCHASE_QUANTITY]], *v = FIELD(OA_REG_VALUE);
	size_t n = t->fl[t->pcol[OA_PURCHASE_QUANTITY]], nv = FLEN(OA_REG_VALUE);
	double price, total, q;
	char total_norm[64];
	int len;

	*qty = 1;
	*unit = NULL;
	trim(&f, &n);
	if (n > 0) {
		/* "10", "１０", and "10.00" from a number-formatted column */
		if (oa_asset_parse_amount(f, n, &q, total_norm, sizeof total_norm) < 0 ||
		    q != floor(q) || q < 1 || q > OA_ASSET_QUANTITY_MAX)
			return add_problem(t, line, "quantity \"%.*s\" is not a whole number from 1 to %d",
			                   (int)n, f, OA_ASSET_QUANTITY_MAX);
		*qty = (long)q;
	}
	trim(&v, &nv);
	if (t->pindex[OA_PURCHASE_UNIT_PRICE] < 0) {
		if (nv == 0)
			return add_problem(t, line, "value is empty");
		if ((len = oa_asset_parse_amount(v, nv, value, norm, cap)) < 0)
			return add_problem(t, line, "value \"%.*s\" is not a non-negative decimal number",
			                   (int)nv, v);
		if (finer_than_fen(norm, (size_t)len))
			return add_problem(t, line, "value \"%.*s\" is finer than a fen (two decimals): "
			                   "give it as the invoice has it", (int)nv, v);
		/* "¥1,280.00" goes in as 1280.00; a plain number as it was */
		if ((size_t)len != nv || memcmp(norm, v, nv) != 0) {
			*unit = norm;
			*nunit = (size_t)len;
		}
		if (*qty > 1)
			return add_problem(t, line, "quantity %ld and no unit price column (单价, "
			                   "unit_price): is \"%.*s\" the total or each one's value? give "
			                   "the unit price, or one row per asset", *qty, (int)nv, v);
		return 0;
	}
	f = t->fv[t->pcol[OA_PURCHASE_UNIT_PRICE]];
	n = t->fl[t->pcol[OA_PURCHASE_UNIT_PRICE]];
	trim(&f, &n);
	if (n == 0)
		return add_problem(t, line, "unit price is empty");
	if ((len = oa_asset_parse_amount(f, n, &price, norm, cap)) < 0)
		return add_problem(t, line, "unit price \"%.*s\" is not a non-negative decimal number",
		                   (int)n, f);
	if (finer_than_fen(norm, (size_t)len))
		return add_problem(t, line, "unit price \"%.*s\" is finer than a fen (two decimals): "
		                   "each asset's value would be too; give it as the invoice has it",
		                   (int)n, f);
	*value = price;
	*unit = norm;
	*nunit = (size_t)len;
	if (nv == 0)
		return 0;
	/* An amount beside the unit price: the total, or the unit price again. */
	if (oa_asset_parse_amount(v, nv, &total, total_norm, sizeof total_norm) < 0)
		return add_problem(t, line, "value \"%.*s\" is not a non-negative decimal number",
		                   (int)nv, v);
	if (fabs(total - price * (double)*qty) < 0.005 || fabs(total - price) < 0.005)
		return 0;
	return add_problem(t, line, "amount \"%.*s\" is neither quantity %ld x unit price %s "
	                   "(%.2f) nor the unit price", (int)nv, v, *qty, norm,
	                   price * (double)*qty);
}

/* The Chinese words of a register kept in Chinese (在用 stays 在用). */
static const char *
class_zh(enum oa_asset_class c)
{
	return c == OA_CLASS_FIXED ? "固定资产" : c == OA_CLASS_LOW_VALUE ? "低值易耗品" : "";
}

static const char *
status_zh(const char *english)
{
	static const char *const words[][2] = {
		{ "in-use", "在用" }, { "idle", "闲置" },   { "repair", "维修" },
		{ "lent", "借出" },   { "missing", "丢失" }, { "disposed", "报废" },
	};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(english, words[i][0]) == 0)
			return words[i][1];
	return english;
}

/*
 * The spelling to write for the name S (N bytes) that was found as NAME of
 * the settings: *out is NAME, or S without the white space around it when
 * NAME has ASCII letters (iniparser lower-cases them: "General Office" is
 * "general office" there), or NULL when S is written as it is.  True when
 * *out needs quotes in CSV.
 */
static bool
spelling(const char *s, size_t n, const char *name, const char **out, size_t *nout)
{
	size_t len = strlen(name), n0 = n;
	bool ascii_letters = false;

	for (size_t i = 0; i < len; i++)
		if (isalpha((unsigned char)name[i]))
			ascii_letters = true;
	if (!ascii_letters) {
		if (n == len && memcmp(s, name, n) == 0)
			return false;
		*out = name;
		*nout = len;
		return strpbrk(name, ",\"\r\n") != NULL;
	}
	/* trimmed: ASCII white space and U+3000 (E3 80 80) */
	for (;;) {
		if (n > 0 && is_space((unsigned char)s[0]))
			s++, n--;
		else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3, n -= 3;
		else if (n > 0 && is_space((unsigned char)s[n - 1]))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	if (n == n0 || n == 0)
		return false;
	*out = s;
	*nout = n;
	return memchr(s, ',', n) != NULL || memchr(s, '"', n) != NULL;
}

/* Checks one input record and stores it; -1 only on a fatal error. */
static int
take_row(oa_tagger *t, const oa_csv_record *rec, oa_error *err)
{
	const oa_asset_settings *s = t->s;
	long line = rec->line;
	size_t before = t->nproblems;
	const char *f, *tagp = NULL, *status = "in-use";
	bool acquired_today = false, life_default = false, iso;
	long prefix = -1;
	int cls;
	size_t n;
	double value = 0;
	long qty;
	const char *unit;
	size_t nunit = 0;
	char unit_norm[64];
	oa_date acquired = t->opt.today;
	int year = t->today_year;
	const oa_department *dept = NULL;
	const oa_asset_category *cat;
	int rc;
	long life = -1;
	char tag[OA_TAG_MAX], canon[OA_TAG_MAX], num[4], acquired_iso[11] = "";
	char rowno[32];
	struct row_out ro;

	f = FIELD(OA_REG_NAME), n = FLEN(OA_REG_NAME);
	if (blank(f, n) && add_problem(t, line, "asset name is empty") < 0)
		return nomem(err);
	for (size_t i = 0; i < t->nunnamed; i++)
		if (!blank(t->fv[t->unnamed[i]], t->fl[t->unnamed[i]]) &&
		    add_problem(t, line, "column %zu has no name in the header but holds \"%s\", "
		                "which the register would lose: name the column (and add it to "
		                "the register), or clear it", t->unnamed[i] + 1,
		                t->fv[t->unnamed[i]]) < 0)
			return nomem(err);

	if (take_purchase(t, line, &qty, &value, &unit, &nunit, unit_norm, sizeof unit_norm) < 0)
		return nomem(err);

	f = FIELD(OA_REG_ACQUIRED), n = FLEN(OA_REG_ACQUIRED);
	trim(&f, &n);
	if (n == 0) {
		acquired_today = true;
	} else if ((iso = oa_date_parse(f, n, &acquired) == 0) ||
	           oa_date_parse_excel(f, n, &acquired) == 0) {
		int month, day;

		if (iso) {
			/* YYYY-MM-DD, just checked */
			year = (f[0] - '0') * 1000 + (f[1] - '0') * 100 + (f[2] - '0') * 10 +
			       (f[3] - '0');
		} else {
			oa_date_to_ymd(acquired, &year, &month, &day);
		}
		/* Excel's 2026/3/2, 2026年3月2日 or " 2026-03-02" goes in as 2026-03-02. */
		if (!iso || FLEN(OA_REG_ACQUIRED) != 10)
			oa_date_format(acquired, acquired_iso);
		if (acquired > t->opt.today)
			rc = add_problem(t, line, "acquisition date \"%.*s\" is after today (%s)",
			                 (int)n, f, t->today);
		else if (year < OA_ASSET_EARLIEST_YEAR)
			rc = add_problem(t, line, "acquisition date \"%.*s\" is before %d", (int)n, f,
			                 OA_ASSET_EARLIEST_YEAR);
		else
			rc = 0;
		if (rc < 0)
			return nomem(err);
	} else {
		if (oa_date_looks_like_serial(f, n))
			rc = add_problem(t, line, "acquisition date \"%.*s\" is a number, not a date (an "
			                 "Excel serial date?): format the column as yyyy-mm-dd in the "
			                 "spreadsheet and export again", (int)n, f);
		else
			rc = add_problem(t, line, "acquisition date \"%.*s\" is not a valid YYYY-MM-DD "
			                 "date", (int)n, f);
		if (rc < 0)
			return nomem(err);
		acquired = t->opt.today;
	}
	f = FIELD(OA_REG_LAST_AUDIT), n = FLEN(OA_REG_LAST_AUDIT);
	trim(&f, &n);
	if (n > 0) {
		oa_date dummy;

		if (oa_date_parse(f, n, &dummy) < 0 &&
		    add_problem(t, line, "last audit date \"%.*s\" is not a valid YYYY-MM-DD date",
		                (int)n, f) < 0)
			return nomem(err);
	}

	f = FIELD(OA_REG_CATEGORY), n = FLEN(OA_REG_CATEGORY);
	cat = find_category(t, f, n, err, &rc);
	if (rc < 0)
		return -1;
	if (cat == NULL && !blank(f, n)) {
		/* Its defaults would decide life and class unseen: refused. */
		size_t near[3], k = oa_names_suggest(f, n, category_name, s, s->ncats, near, 3);
		const char *names[3];
		char hint[512];

		for (size_t i = 0; i < k; i++)
			names[i] = s->cats[near[i]].name;
		did_you_mean(hint, sizeof hint, names, k);
		if (k == 0) {
			/* Nothing close: the categories there are, and where they come from. */
			size_t used = (size_t)snprintf(hint, sizeof hint, " (categories:");

			for (size_t i = 0; i < s->ncats && used < sizeof hint - 64; i++)
				used += (size_t)snprintf(hint + used, sizeof hint - used, "%s %s",
				                         i == 0 ? "" : ",", s->cats[i].name);
			snprintf(hint + used, sizeof hint - used, "%s; others are added to "
			         "[categories] in the settings)", used >= sizeof hint - 64 ? " ..." : "");
		}
		if (add_problem(t, line, "unknown category \"%s\"%s", f, hint) < 0)
			return nomem(err);
	}

	f = FIELD(OA_REG_LIFE), n = FLEN(OA_REG_LIFE);
	trim(&f, &n);
	if (n > 0) {
		char buf[16], *end;

		life = -1;
		if (n < sizeof buf) {
			memcpy(buf, f, n);
			buf[n] = '\0';
			if (isdigit((unsigned char)buf[0])) {
				life = strtol(buf, &end, 10);
				if (*end != '\0' || life > 100)
					life = -1;
			}
		}
		if (life < 0 &&
		    add_problem(t, line, "useful life \"%.*s\" is not a whole number of years (0-100)",
		                (int)n, f) < 0)
			return nomem(err);
	} else {
		life = cat ? cat->life : s->default_life;
		life_default = true;
	}
	if (life < 0)
		life = 0;

	f = FIELD(OA_REG_CLASS), n = FLEN(OA_REG_CLASS);
	if (!blank(f, n)) {
		cls = (int)oa_asset_class_parse(f, n);
		if (cls == OA_CLASS_NONE &&
		    add_problem(t, line, "class \"%s\" is neither fixed (固定资产) nor low-value "
		                "(低值易耗品)", f) < 0)
			return nomem(err);
	} else {
		cls = (int)oa_asset_classify(value, life,
		                             cat && cat->threshold >= 0 ? cat->threshold :
		                                                          s->threshold);
	}

	f = FIELD(OA_REG_STATUS), n = FLEN(OA_REG_STATUS);
	if (!blank(f, n)) {
		status = oa_asset_status_parse(f, n);
		if (status == NULL &&
		    add_problem(t, line, "status \"%s\" is not one of in-use, idle, repair, lent, "
		                "missing, disposed", f) < 0)
			return nomem(err);
	}

	f = FIELD(OA_REG_DEPARTMENT), n = FLEN(OA_REG_DEPARTMENT);
	if (s->depts.count > 0) {
		dept = find_department(t, f, n, err, &rc);
		if (rc < 0)
			return -1;
		if (dept == NULL && blank(f, n)) {
			if (add_problem(t, line, "department is empty") < 0)
				return nomem(err);
		} else if (dept == NULL) {
			const oa_department *near[3];
			size_t k = oa_departments_suggest(&s->depts, f, n, near, 3);
			const char *names[3];
			char hint[512];

			char code[64];

			for (size_t i = 0; i < k; i++)
				names[i] = near[i]->name;
			did_you_mean(hint, sizeof hint, names, k);
			/* "BGS" or "ＢＧＳ" typed for 办公室: its code, not its name */
			oa_utf8_fold(f, n, code, sizeof code, OA_FOLD_UPPER);
			for (size_t i = 0; i < s->depts.count; i++)
				if (strcasecmp(code, s->depts.items[i].code) == 0) {
					snprintf(hint, sizeof hint, " (%s is the code of %s: write the "
					         "department's name)", s->depts.items[i].code,
					         s->depts.items[i].name);
					break;
				}
			if (add_problem(t, line, "unknown department \"%s\"%s", f, hint) < 0)
				return nomem(err);
		}
	}

	f = FIELD(OA_REG_TAG), n = FLEN(OA_REG_TAG);
	if (!blank(f, n)) {
		size_t tn = oa_tag_normalise(f, n, tag, sizeof tag);
		size_t kn = oa_tag_canonical(f, n, canon, sizeof canon);
		long *seen;

		if (!oa_tag_valid(tag, tn)) {
			char want = tn > 1 ? oa_tag_check_char(tag, tn - 1) : 0;

			if (want != 0 && oa_tag_check_char(tag, tn) != 0)
				rc = add_problem(t, line, "tag \"%s\" has a wrong check character: "
				                 "expected '%c'", tag, want);
			else
				rc = add_problem(t, line, "tag \"%s\" is not letters and digits with "
				                 "a check character", tag);
			if (rc < 0)
				return nomem(err);
		} else if ((seen = strmap_get(&t->reg_tags, canon, kn)) != NULL) {
			if (add_problem(t, line, "tag \"%s\" is already in the register (%s:%ld)", tag,
			                t->register_name, *seen) < 0)
				return nomem(err);
		} else if ((seen = strmap_get(&t->in_tags, canon, kn)) != NULL) {
			if (add_problem(t, line, "duplicate tag \"%s\" (also on line %ld)", tag,
			                *seen) < 0)
				return nomem(err);
		} else if (strmap_put(&t->in_tags, canon, kn, line) == NULL) {
			return nomem(err);
		}
		tagp = tag;
		if (qty > 1 && add_problem(t, line, "a row with a tag is one asset, but its quantity "
		                           "is %ld", qty) < 0)
			return nomem(err);
	} else {
		long pf, key[3], *cached;
		struct fast_prefix *fp;

		/* The prefix depends on department, category and year only. */
		key[0] = dept ? dept - s->depts.items : -1;
		key[1] = cat ? cat - s->cats : -1;
		key[2] = year;
		fp = &t->prefix_fast[(((size_t)(key[0] + 1) * (s->ncats + 1) + (size_t)(key[1] + 1)) *
		                      16 + ((size_t)year & 15)) & (FAST_PREFIX_SLOTS - 1)];
		if (fp->value != -1 && fp->dept == key[0] && fp->cat == key[1] &&
		    fp->year == key[2]) {
			pf = fp->value;
		} else if ((cached = strmap_get(&t->prefix_cache, (const char *)key,
		                                sizeof key)) != NULL) {
			pf = *cached;
		} else {
			pf = find_prefix(t, dept ? dept->code : s->dept_code,
			                 cat ? cat->code : s->cat_code, year, err);
			if (pf == -1)
				return -1;
			if (strmap_put(&t->prefix_cache, (const char *)key, sizeof key, pf) == NULL)
				return nomem(err);
		}
		*fp = (struct fast_prefix){ key[0], key[1], key[2], pf };
		if (pf == -2) {
			if (add_problem(t, line, "the tag for this row would be longer than %d "
			                "characters", OA_TAG_MAX - 1) < 0)
				return nomem(err);
			pf = 0;
		}
		prefix = pf;
	}

	t->nrows++;
	if (t->nproblems > before)
		return keep_bad_row(t, line, err);
	ro.prefix = prefix;
	ro.quote = false;
	/*
	 * A department or category found by its folded name ("财务科 ",
	 * "信息中心　", " Finance") is written as one spelling, so that the
	 * register's filters and the stock-take's notices see one name.
	 */
	ro.v[OV_DEPT] = ro.v[OV_CAT] = NULL;
	ro.n[OV_DEPT] = ro.n[OV_CAT] = 0;
	if (dept != NULL)
		ro.quote |= spelling(FIELD(OA_REG_DEPARTMENT), FLEN(OA_REG_DEPARTMENT), dept->name,
		                     &ro.v[OV_DEPT], &ro.n[OV_DEPT]);
	if (cat != NULL)
		ro.quote |= spelling(FIELD(OA_REG_CATEGORY), FLEN(OA_REG_CATEGORY), cat->name,
		                     &ro.v[OV_CAT], &ro.n[OV_CAT]);
	ro.new_tag = tagp == NULL;
	if (tagp != NULL) {
		ro.v[OV_TAG] = tagp;
		ro.n[OV_TAG] = strlen(tagp);
	} else {
		ro.v[OV_TAG] = t->prefixes[prefix].ph;
		ro.n[OV_TAG] = t->prefixes[prefix].nph;
	}
	ro.v[OV_CLASS] = t->class_zh ? class_zh((enum oa_asset_class)cls) :
	                               oa_asset_class_name((enum oa_asset_class)cls);
	ro.n[OV_CLASS] = strlen(ro.v[OV_CLASS]);
	if (t->status_zh)
		status = status_zh(status);
	ro.v[OV_ACQUIRED] = acquired_today ? t->today : acquired_iso[0] ? acquired_iso : NULL;
	ro.n[OV_ACQUIRED] = 10;
	ro.v[OV_LIFE] = NULL;
	ro.n[OV_LIFE] = 0;
	if (life_default) {
		if (life >= 100)
			num[ro.n[OV_LIFE]++] = (char)('0' + life / 100);
		if (life >= 10)
			num[ro.n[OV_LIFE]++] = (char)('0' + life / 10 % 10);
		num[ro.n[OV_LIFE]++] = (char)('0' + life % 10);
		ro.v[OV_LIFE] = num;
	}
	ro.v[OV_STATUS] = status;
	ro.n[OV_STATUS] = strlen(status);
	ro.v[OV_VALUE] = unit;
	ro.n[OV_VALUE] = nunit;
	ro.v[OV_QTY] = t->pindex[OA_PURCHASE_QUANTITY] >= 0 ? "1" : NULL;
	ro.n[OV_QTY] = 1;
	ro.v[OV_ROWNO] = NULL;
	ro.n[OV_ROWNO] = 0;
	/*
	 * N items of a purchase list: N assets, each with a tag of its own,
	 * and each with the next row number (序号) when the output has one.
	 */
	for (long i = 0; i < qty; i++) {
		if (t->has_rowno) {
			ro.n[OV_ROWNO] = (size_t)snprintf(rowno, sizeof rowno, "%0*llu",
			                                  t->rowno_width, t->rowno_next++);
			ro.v[OV_ROWNO] = rowno;
		}
		if (write_row(t, rec->plain, &ro, err) < 0)
			return -1;
	}
	return 0;
}

/* True when every field of the current record is blank. */
static bool
empty_row(const oa_tagger *t)
{
	for (size_t i = 0; i < t->in_width; i++)
		if (!blank(t->fv[i], t->fl[i]))
			return false;
	return true;
}

/*
 * The word of a spreadsheet's total row (合计 at the foot of a purchase
 * list), or NULL: a row without a tag and without a name (or named by the
 * word itself) with a cell that says 合计, 总计, 小计, 共计 or total.
 */
static const char *
total_row(const oa_tagger *t)
{
	const char *name = FIELD(OA_REG_NAME);
	size_t nname = FLEN(OA_REG_NAME);
	const char *found = NULL;

	if (!blank(FIELD(OA_REG_TAG), FLEN(OA_REG_TAG)))
		return NULL;
	for (size_t i = 0; i < t->in_width && found == NULL; i++)
		found = total_word(t->fv[i], t->fl[i]);
	if (found == NULL || blank(name, nname))
		return found;
	return total_word(name, nname) == found ? found : NULL;
}

size_t
oa_tagger_total_rows(const oa_tagger *t, const long **lines, const char *const **words)
{
	*lines = t->total_lines;
	*words = t->total_words;
	return t->ntotals;
}

int
oa_tagger_read_input(oa_tagger *t, oa_csv_reader *r, oa_error *err)
{
	oa_csv_prefetch *pf;
	oa_csv_record rec;
	const char *word;
	int rc;

	t->input_name = strdup(oa_csv_name(r));
	if (t->input_name == NULL)
		return nomem(err);
	rc = oa_csv_read(r, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return oa_error_set(err, oa_csv_name(r), 0, "no header line");
	if (oa_columns_map(r, oa_purchase_columns, OA_PURCHASE_NCOLS, 0, t->pindex, err) < 0 ||
	    oa_columns_map(r, oa_register_columns, OA_REG_NCOLS,
	                   OA_BIT(OA_REG_NAME) |
	                   (t->pindex[OA_PURCHASE_UNIT_PRICE] >= 0 ? 0 : OA_BIT(OA_REG_VALUE)),
	                   t->index, err) < 0)
		return -1;
	t->in_header = copy_record(r, &t->in_width);
	if (t->in_header == NULL)
		return nomem(err);
	for (size_t i = 0; i < t->in_width && t->in_rowno < 0; i++)
		if (oa_column_matches(&oa_rowno_column, t->in_header[i], strlen(t->in_header[i])))
			t->in_rowno = (int)i;
	/*
	 * A corrected rejects file comes back with the reason column (and an
	 * older one's line column) that oa_tagger_write_rejects added: dropped.
	 */
	if (t->in_width > 1 && folded_is(t->in_header[t->in_width - 1],
	                                 strlen(t->in_header[t->in_width - 1]), "reason")) {
		free(t->in_header[--t->in_width]);
		if (t->in_width > 1 && folded_is(t->in_header[t->in_width - 1],
		                                 strlen(t->in_header[t->in_width - 1]), "line"))
			free(t->in_header[--t->in_width]);
	}
	if (plan_output(t, err) < 0)
		return -1;
	t->fv = calloc(t->in_width + 1, sizeof *t->fv);
	t->fl = calloc(t->in_width + 1, sizeof *t->fl);
	if (t->fv == NULL || t->fl == NULL)
		return nomem(err);
	t->fv[t->in_width] = "";
	for (int c = 0; c < OA_REG_NCOLS; c++)
		t->col[c] = t->index[c] >= 0 ? (size_t)t->index[c] : t->in_width;
	for (int c = 0; c < OA_PURCHASE_NCOLS; c++)
		t->pcol[c] = t->pindex[c] >= 0 ? (size_t)t->pindex[c] : t->in_width;
	t->fix = calloc(t->in_width + 1, sizeof *t->fix);
	/* The rows are kept plain; only oa_tagger_write's copy for Excel is shaped. */
	t->w = oa_csv_writer_new_held(false);
	if (t->fix == NULL || t->w == NULL)
		return nomem(err);
	pf = oa_csv_prefetch_start(r, t->opt.threaded, err);
	if (pf == NULL)
		return -1;
	while ((rc = oa_csv_prefetch_next(pf, &rec, err)) > 0) {
		/* The reader pads every record to the header's width. */
		memcpy(t->fv, rec.fields, t->in_width * sizeof *t->fv);
		memcpy(t->fl, rec.lens, t->in_width * sizeof *t->fl);
		if (empty_row(t))
			continue; /* Excel's ",,,," for a formatted but empty row */
		if ((word = total_row(t)) != NULL) {
			/* The list's total (合计): not an asset, skipped and said. */
			if (room_for_one((void **)&t->total_lines, t->ntotals, &t->totals_cap,
			                 sizeof *t->total_lines, 4) < 0 ||
			    room_for_one((void **)&t->total_words, t->ntotals, &t->total_words_cap,
			                 sizeof *t->total_words, 4) < 0) {
				rc = nomem(err);
				break;
			}
			t->total_lines[t->ntotals] = rec.line;
			t->total_words[t->ntotals++] = word;
			continue;
		}
		if (take_row(t, &rec, err) < 0) {
			rc = -1;
			break;
		}
	}
	oa_csv_prefetch_stop(pf);
	return rc;
}

size_t
oa_tagger_problems(const oa_tagger *t, const oa_tagger_problem **out)
{
	oa_tagger *mut = (oa_tagger *)t;

	free(mut->views);
	mut->views = calloc(t->nproblems + 1, sizeof *mut->views);
	if (mut->views == NULL) {
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i < t->nproblems; i++) {
		mut->views[i].file = t->input_name;
		mut->views[i].line = t->problems[i].line;
		mut->views[i].msg = t->problems[i].msg;
	}
	*out = mut->views;
	return t->nproblems;
}

size_t
oa_tagger_rows(const oa_tagger *t)
{
	return t->nrows;
}

size_t
oa_tagger_bad_rows(const oa_tagger *t)
{
	return t->nbad;
}

bool
oa_tagger_register_has_header(const oa_tagger *t)
{
	return t->register_header;
}

/*
 * Counting the tags in use.  Tags are compared in their canonical form
 * (oa_tag_canonical: no separators), so each prefix is known by its
 * canonical parts too; prefixes whose canonical parts agree (department
 * codes "AB" and "A" with categories "C" and "BC" in "{dept}-{cat}-...")
 * would make the same tags, so they share one counter.
 */
struct counting {
	struct strmap map;        /* canonical before "\x1f" canonical after -> counter */
	char (*afters)[OA_TAG_MAX]; /* the distinct canonical afters (usually one) */
	size_t nafters;
};

/* Copies s[0..n) without separators to out; returns the length. */
static size_t
strip_separators(const char *s, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]))
			out[k++] = s[i];
	out[k] = '\0';
	return k;
}

/*
 * Raises the counter of the prefix the canonical TAG belongs to, if any:
 * TAG without its check character must read BEFORE, digits, AFTER (all
 * canonical).  The sequence may have any number of digits (a register
 * kept with {seq:4} before {seq:6} counts): the pattern's width is tried
 * first, then fewer digits, then more.
 */
static void
count_tag(oa_tagger *t, const struct counting *c, const char *tag, size_t len)
{
	size_t width = (size_t)t->s->pattern->width;
	char key[2 * OA_TAG_MAX + 1], digitsbuf[20];

	if (len < 2 || len >= OA_TAG_MAX)
		return;
	len--; /* the check character */
	for (size_t k = 0; k < c->nafters; k++) {
		const char *after = c->afters[k];
		size_t na = strlen(after), run = 0, end;

		if (na > len || memcmp(tag + len - na, after, na) != 0)
			continue;
		end = len - na;
		while (run < end && isdigit((unsigned char)tag[end - 1 - run]))
			run++;
		for (size_t i = 0; i < run && i < sizeof digitsbuf - 1; i++) {
			/* width, then 1, 2, ..., width - 1, then width + 1, ... */
			size_t digits = i == 0 ? width : i < width ? i : i + 1;
			size_t nb;
			long *v;

			if (digits > run || digits >= sizeof digitsbuf)
				continue;
			nb = end - digits;
			memcpy(key, tag, nb);
			key[nb] = '\x1f';
			memcpy(key + nb + 1, after, na);
			v = strmap_get(&c->map, key, nb + 1 + na);
			if (v != NULL) {
				struct prefix *pf = &t->prefixes[*v];
				unsigned long seq;

				memcpy(digitsbuf, tag + nb, digits);
				digitsbuf[digits] = '\0';
				seq = strtoul(digitsbuf, NULL, 10);
				if (seq > pf->max)
					pf->max = seq;
				return;
			}
		}
	}
}

static void
count_map(oa_tagger *t, const struct counting *c, const struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key != SIZE_MAX)
			count_tag(t, c, m->keys.p + m->slots[i].key, m->slots[i].len);
}

/* Fills C from the prefixes and links each prefix to its counter. */
static int
counting_init(oa_tagger *t, struct counting *c)
{
	memset(c, 0, sizeof *c);
	c->afters = calloc(t->nprefixes + 1, sizeof *c->afters);
	if (c->afters == NULL)
		return -1;
	for (size_t p = 0; p < t->nprefixes; p++) {
		struct prefix *pf = &t->prefixes[p];
		char key[2 * OA_TAG_MAX + 1];
		size_t nb = strip_separators(pf->before, pf->nb, key), na;
		bool seen = false;
		long *v;

		key[nb] = '\x1f';
		na = strip_separators(pf->after, pf->na, key + nb + 1);
		v = strmap_put(&c->map, key, nb + 1 + na, (long)p);
		if (v == NULL)
			return -1;
		pf->counter = (size_t)*v;
		for (size_t k = 0; k < c->nafters && !seen; k++)
			seen = strcmp(c->afters[k], key + nb + 1) == 0;
		if (!seen)
			memcpy(c->afters[c->nafters++], key + nb + 1, na + 1);
	}
	return 0;
}

static void
counting_release(struct counting *c)
{
	strmap_free(&c->map);
	free(c->afters);
}

static bool
tag_taken(const oa_tagger *t, const char *tag, size_t n)
{
	char key[OA_TAG_MAX];

	n = strip_separators(tag, n, key);
	return strmap_get(&t->reg_tags, key, n) != NULL || strmap_get(&t->in_tags, key, n) != NULL;
}

/*
 * The tag with sequence SEQ of prefix PF (in pf->tag), its length, or 0
 * when too long.  Tags are mostly made in order, so ten in a row share
 * all digits but the last: the check state is kept there.
 */
static size_t
next_tag(struct prefix *pf, int width, unsigned long seq)
{
	char *last;
	int st;

	if (pf->hi == seq / 10 + 1) {
		last = pf->tag + pf->nb + pf->nd - 1;
		*last = (char)('0' + seq % 10);
		st = oa_tag_check_feed(oa_tag_check_feed(pf->hi_check, last, 1), pf->after, pf->na);
		pf->tag[pf->ntag - 1] = oa_tag_check_finish(st);
		return pf->ntag;
	}
	pf->ntag = build_tag(pf->before, pf->nb, pf->check, pf->after, pf->na, width, seq, pf->tag,
	                     sizeof pf->tag);
	if (pf->ntag == 0) {
		pf->hi = 0;
		return 0;
	}
	pf->nd = pf->ntag - 1 - pf->nb - pf->na;
	pf->hi_check = oa_tag_check_feed(pf->check, pf->tag + pf->nb, pf->nd - 1);
	pf->hi = seq / 10 + 1;
	return pf->ntag;
}

int
oa_tagger_assign(oa_tagger *t, oa_error *err)
{
	struct counting c;
	bool check_taken = t->reg_tags.count > 0 || t->in_tags.count > 0;

	if (counting_init(t, &c) < 0) {
		counting_release(&c);
		return nomem(err);
	}
	count_map(t, &c, &t->reg_tags);
	count_map(t, &c, &t->in_tags);
	counting_release(&c);
	/* Prefixes sharing a counter start from the highest of them. */
	for (size_t p = 0; p < t->nprefixes; p++) {
		struct prefix *pf = &t->prefixes[p];

		if (pf->max > t->prefixes[pf->counter].max)
			t->prefixes[pf->counter].max = pf->max;
	}
	for (size_t i = 0; i < t->ngens; i++) {
		const struct gen *g = &t->gens[i];
		struct prefix *pf = &t->prefixes[g->prefix];
		unsigned long seq;
		size_t n;

		do {
			seq = ++t->prefixes[pf->counter].max;
			n = next_tag(pf, t->s->pattern->width, seq);
			if (n == 0)
				return oa_error_set(err, t->input_name, 0,
				                    "a tag would be longer than %d characters",
				                    OA_TAG_MAX - 1);
		} while (check_taken && tag_taken(t, pf->tag, n));
		/*
		 * The placeholder must be where the writer put it, unquoted; a
		 * writer that changed its ways would be caught here, not in the
		 * register.
		 */
		if (g->off + pf->nph > t->sink.len ||
		    memcmp(t->sink.p + g->off, pf->before, pf->nb) != 0)
			return oa_error_set(err, NULL, 0, "tag placeholder not found in the output");
		if (n == pf->nph) {
			memcpy(t->sink.p + g->off, pf->tag, n);
		} else {
			if (room_for_one((void **)&t->splices, t->nsplices, &t->splices_cap, sizeof *t->splices,
			                 64) < 0)
				return nomem(err);
			t->splices[t->nsplices++] = (struct splice){ i, seq };
		}
	}
	return 0;
}

/* Writes the rows (and the header) as plain CSV: UTF-8, LF, no guard. */
static int
write_plain(const oa_tagger *t, FILE *fp, bool header, oa_error *err)
{
	const char *name = "<output>";
	char tag[OA_TAG_MAX];
	size_t from = 0;

	if (header) {
		oa_csv_writer *w = oa_csv_writer_new(fp, false);

		if (w == NULL)
			return nomem(err);
		for (size_t k = 0; k < t->nout; k++) {
			const struct outcol *oc = &t->out[k];

			if (t->register_header)
				oa_csv_write_str(w, t->reg_header[k]);
			else if (oc->src >= 0)
				oa_csv_write_str(w, t->in_header[oc->src]);
			else
				oa_csv_write_str(w, oa_register_columns[oc->reg].name);
		}
		oa_csv_end_record(w);
		oa_csv_writer_free(w);
	}
	for (size_t i = 0; i < t->nsplices; i++) {
		const struct gen *g = &t->gens[t->splices[i].gen];
		const struct prefix *pf = &t->prefixes[g->prefix];
		size_t n = build_tag(pf->before, pf->nb, pf->check, pf->after, pf->na,
		                     t->s->pattern->width, t->splices[i].seq, tag, sizeof tag);

		fwrite(t->sink.p + from, 1, g->off - from, fp);
		fwrite(tag, 1, n, fp);
		from = g->off + pf->nph;
	}
	if (t->sink.len > from)
		fwrite(t->sink.p + from, 1, t->sink.len - from, fp);
	if (ferror(fp))
		return oa_error_sys(err, name, "write error");
	return 0;
}

/*
 * Is output column K a quantity (value, life, a purchase list's quantity
 * or unit price), which a spreadsheet should read as a number?  The
 * others are codes and text: with --excel a tag or serial number such as
 * 000123 is kept from turning into the number 123 (oa_csv_write_code).
 */
static bool
out_is_number(const oa_tagger *t, size_t k)
{
	const struct outcol *oc = &t->out[k];

	return oc->reg == OA_REG_VALUE || oc->reg == OA_REG_LIFE || oc->purchase >= 0;
}

/*
 * The copy for Excel, or the rows for a register kept in another style:
 * the plain rows read back and written again by an Excel writer (BOM,
 * CRLF, formula guard) or by a writer in STYLE (encoding, line ends; no
 * guard), so Excel's shaping never reaches the register.
 */
static int
write_restyled(const oa_tagger *t, FILE *fp, bool header, const oa_csv_style *style,
               oa_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	oa_csv_options opt;
	oa_csv_reader *r = NULL;
	oa_csv_writer *w = NULL;
	int rc;

	if (mem == NULL)
		return nomem(err);
	rc = write_plain(t, mem, header, err);
	if (fclose(mem) == EOF && rc == 0)
		rc = nomem(err);
	if (rc < 0) {
		free(buf);
		return -1;
	}
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	opt.max_field = len + 1;
	r = oa_csv_reader_memory(buf, len, "<output>", &opt, err);
	w = style != NULL ? oa_csv_writer_new_style(fp, style) : oa_csv_writer_new(fp, true);
	if (r == NULL || w == NULL) {
		rc = r == NULL ? -1 : nomem(err);
	} else {
		while ((rc = oa_csv_read(r, err)) > 0) {
			if (style != NULL) {
				oa_csv_write_current(w, r);
				continue;
			}
			for (size_t k = 0; k < oa_csv_nfields(r); k++)
				if (k < t->nout && out_is_number(t, k))
					oa_csv_write_field(w, oa_csv_field(r, k), oa_csv_field_len(r, k));
				else
					oa_csv_write_code(w, oa_csv_field(r, k), oa_csv_field_len(r, k));
			oa_csv_end_record(w);
		}
		if (rc == 0)
			rc = oa_csv_writer_check(w, "<output>", err);
	}
	oa_csv_writer_free(w);
	oa_csv_reader_free(r);
	free(buf);
	return rc;
}

int
oa_tagger_write_as(const oa_tagger *t, FILE *fp, bool header, bool excel, oa_error *err)
{
	return excel ? write_restyled(t, fp, header, NULL, err) : write_plain(t, fp, header, err);
}

int
oa_tagger_write_register(const oa_tagger *t, FILE *fp, bool header, oa_error *err)
{
	oa_csv_style style = t->reg_style;

	style.bom = false; /* appended: a BOM is at the start of the file already */
	if (style.encoding != OA_ENC_GB18030 && !style.crlf)
		return write_plain(t, fp, header, err);
	return write_restyled(t, fp, header, &style, err);
}

int
oa_tagger_write(const oa_tagger *t, FILE *fp, bool header, oa_error *err)
{
	return oa_tagger_write_as(t, fp, header, t->opt.excel, err);
}

void
oa_tagger_write_rejects(const oa_tagger *t, oa_csv_writer *w)
{
	size_t p = 0;
	char num[32];

	for (size_t i = 0; i < t->in_width; i++)
		oa_csv_write_str(w, t->in_header[i]);
	oa_csv_write_str(w, "reason");
	oa_csv_end_record(w);
	for (size_t i = 0; i < t->nbad; i++) {
		const struct bad *b = &t->bads[i];
		const char *f = t->bad_text.p + b->off;
		char *reason = NULL;
		size_t rlen = 0;
		FILE *mem;

		for (size_t k = 0; k < t->in_width; k++) {
			size_t n = strlen(f);

			/* For Excel (-x), codes such as 000123 stay text (see out_is_number). */
			if ((int)k == t->index[OA_REG_VALUE] || (int)k == t->index[OA_REG_LIFE] ||
			    (int)k == t->pindex[OA_PURCHASE_QUANTITY] ||
			    (int)k == t->pindex[OA_PURCHASE_UNIT_PRICE])
				oa_csv_write_field(w, f, n);
			else
				oa_csv_write_code(w, f, n);
			f += n + 1;
		}
		snprintf(num, sizeof num, "line %ld: ", b->line);
		mem = open_memstream(&reason, &rlen);
		if (mem != NULL)
			fputs(num, mem);
		while (p < t->nproblems && t->problems[p].line < b->line)
			p++;
		for (bool first = true; p < t->nproblems && t->problems[p].line == b->line;
		     p++, first = false)
			if (mem != NULL)
				fprintf(mem, "%s%s", first ? "" : "; ", t->problems[p].msg);
		if (mem != NULL)
			fclose(mem);
		oa_csv_write_str(w, reason ? reason : "");
		free(reason);
		oa_csv_end_record(w);
	}
}
