/*
 * departments.c - the [departments] table.  See departments.h.
 */
#include "departments.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

static char *
dup_trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return strndup(s, n);
}

int
oa_departments_load(oa_departments *depts, const oa_config *cfg, oa_error *err)
{
	const char **keys;
	size_t n = oa_config_keys(cfg, "departments", &keys);

	depts->items = NULL;
	depts->count = 0;
	if (n == 0)
		return 0;
	depts->items = calloc(n, sizeof *depts->items);
	if (depts->items == NULL)
		return oa_error_set(err, oa_config_path(cfg), 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *value = oa_config_get_string(cfg, "departments", keys[i], "");
		const char *parts[3] = { "", "", "" };
		size_t lens[3] = { 0, 0, 0 };
		const char *p = value;
		for (int k = 0; k < 3 && p != NULL; k++) {
			const char *comma = k < 2 ? strchr(p, ',') : NULL;
			parts[k] = p;
			lens[k] = comma ? (size_t)(comma - p) : strlen(p);
			p = comma ? comma + 1 : NULL;
		}
		oa_department *d = &depts->items[depts->count++];
		d->name = strdup(keys[i]);
		d->code = dup_trimmed(parts[0], lens[0]);
		d->head = dup_trimmed(parts[1], lens[1]);
		d->email = dup_trimmed(parts[2], lens[2]);
		if (d->name == NULL || d->code == NULL || d->head == NULL || d->email == NULL) {
			oa_departments_release(depts);
			return oa_error_set(err, oa_config_path(cfg), 0, "out of memory");
		}
		if (d->code[0] == '\0') {
			oa_error_set(err, oa_config_path(cfg), oa_config_line(cfg, "departments", d->name),
			             "[departments] %s: expected \"CODE, head, email\"", d->name);
			oa_departments_release(depts);
			return -1;
		}
	}
	/*
	 * Two departments with one code would share their tags' numbering and
	 * their notice: an error naming both lines.
	 */
	for (size_t i = 0; i < depts->count; i++)
		for (size_t k = 0; k < i; k++) {
			if (strcasecmp(depts->items[i].code, depts->items[k].code) != 0)
				continue;
			oa_error_set(err, oa_config_path(cfg),
			             oa_config_line(cfg, "departments", depts->items[i].name),
			             "[departments] %s and %s (line %ld) share the code \"%s\"",
			             depts->items[i].name, depts->items[k].name,
			             oa_config_line(cfg, "departments", depts->items[k].name),
			             depts->items[i].code);
			oa_departments_release(depts);
			return -1;
		}
	return 0;
}

void
oa_departments_release(oa_departments *depts)
{
	for (size_t i = 0; i < depts->count; i++) {
		free(depts->items[i].name);
		free(depts->items[i].code);
		free(depts->items[i].head);
		free(depts->items[i].email);
	}
	free(depts->items);
	depts->items = NULL;
	depts->count = 0;
}

const oa_department *
oa_departments_find(const oa_departments *depts, const char *name, size_t len)
{
	char want[256], have[256];

	oa_utf8_fold(name, len, want, sizeof want, 0);
	for (size_t i = 0; i < depts->count; i++) {
		const oa_department *d = &depts->items[i];
		oa_utf8_fold(d->name, strlen(d->name), have, sizeof have, 0);
		if (strcmp(want, have) == 0)
			return d;
	}
	return NULL;
}

size_t
oa_names_suggest(const char *name, size_t len, const char *(*get)(const void *ctx, size_t i),
                 const void *ctx, size_t n, size_t *out, size_t max)
{
	char want[256], have[256];
	size_t wlen = oa_utf8_fold(name, len, want, sizeof want, 0);
	size_t wchars = oa_utf8_length(want, wlen);
	size_t count = 0;
	size_t dist[64];

	if (max > 64)
		max = 64;

	for (size_t i = 0; i < n && max > 0; i++) {
		const char *cand = get(ctx, i);
		size_t hlen = oa_utf8_fold(cand, strlen(cand), have, sizeof have, 0);
		size_t e = oa_utf8_edit_distance(want, wlen, have, hlen);
		int contains = wlen > 0 && (strstr(have, want) != NULL || strstr(want, have) != NULL);
		bool dup = false;

		if (e == (size_t)-1 || (!contains && e > (wchars + 1) / 2))
			continue;
		if (contains && e > 1)
			e = 1;
		/* Two names that fold alike (a built-in table's) are suggested once. */
		for (size_t k = 0; k < count && !dup; k++) {
			char other[256];

			oa_utf8_fold(get(ctx, out[k]), strlen(get(ctx, out[k])), other, sizeof other, 0);
			dup = strcmp(other, have) == 0;
		}
		if (dup)
			continue;
		/* Insert sorted by distance. */
		size_t pos = count < max ? count : max;
		while (pos > 0 && dist[pos - 1] > e)
			pos--;
		if (pos >= max || pos >= 64)
			continue;
		size_t last = count < max ? count : max - 1;
		for (size_t k = last; k > pos; k--) {
			out[k] = out[k - 1];
			dist[k] = dist[k - 1];
		}
		out[pos] = i;
		dist[pos] = e;
		if (count < max)
			count++;
	}
	return count;
}

static const char *
department_name(const void *ctx, size_t i)
{
	return ((const oa_departments *)ctx)->items[i].name;
}

size_t
oa_departments_suggest(const oa_departments *depts, const char *name, size_t len,
                       const oa_department **out, size_t max)
{
	size_t idx[64], k;

	if (max > 64)
		max = 64;
	k = oa_names_suggest(name, len, department_name, depts, depts->count, idx, max);
	for (size_t i = 0; i < k; i++)
		out[i] = &depts->items[idx[i]];
	return k;
}

/* ---- notice file names ---- */

static bool
notice_name_taken(const oa_notice_names *set, const char *name)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->names[i], name) == 0)
			return true;
	return false;
}

const char *
oa_notice_name(oa_notice_names *set, const char *base)
{
	char safe[OA_NOTICE_BASE_MAX + 1], name[OA_NOTICE_BASE_MAX + 32];
	size_t n = strlen(base), i;

	if (n > OA_NOTICE_BASE_MAX) {
		n = OA_NOTICE_BASE_MAX;
		while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
			n--; /* base[n] continues a character: cut before it */
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)base[i];

		safe[i] = c == '/' || c == '\\' || c < 0x20 || c == 0x7f || (i == 0 && c == '.')
		          ? '_' : (char)c;
	}
	if (n == 0)
		safe[n++] = '_';
	safe[n] = '\0';
	snprintf(name, sizeof name, "%s.txt", safe);
	for (unsigned long k = 2; notice_name_taken(set, name); k++)
		snprintf(name, sizeof name, "%s-%lu.txt", safe, k);
	if (set->count == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 16;
		char **a = realloc(set->names, cap * sizeof *a);

		if (a == NULL)
			return NULL;
		set->names = a;
		set->cap = cap;
	}
	set->names[set->count] = strdup(name);
	if (set->names[set->count] == NULL)
		return NULL;
	return set->names[set->count++];
}

void
oa_notice_names_release(oa_notice_names *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->names[i]);
	free(set->names);
	memset(set, 0, sizeof *set);
}
