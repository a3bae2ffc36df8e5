/*
 * numbering.c - formatting and parsing 发文字号, and the per-key counters
 * the journal reader keeps.  See numbering.h.  The number of distinct keys
 * is small (a few 代字 times a few years), so the counters are a plain array
 * searched from the end, where the current year's keys are.
 */
#include "numbering.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LBRACKET "\xe3\x80\x94" /* U+3014 〔 */
#define RBRACKET "\xe3\x80\x95" /* U+3015 〕 */
#define HAO "\xe5\x8f\xb7"      /* 号 */

int
oa_number_format(char *buf, size_t cap, const char *code, int year, long seq)
{
	int n = snprintf(buf, cap, "%s" LBRACKET "%d" RBRACKET "%ld" HAO, code, year, seq);

	if (n < 0 || (size_t)n >= cap)
		return -1;
	return n;
}

int
oa_number_parse(const char *number, const char **code, size_t *code_len, int *year,
                long *seq)
{
	const char *l = strstr(number, LBRACKET), *p;
	long y = 0, s = 0;
	int digits = 0;

	if (l == NULL || l == number)
		return -1;
	p = l + 3;
	for (; *p >= '0' && *p <= '9' && digits < 5; p++, digits++)
		y = y * 10 + (*p - '0');
	if (digits != 4 || strncmp(p, RBRACKET, 3) != 0)
		return -1;
	p += 3;
	if (*p < '1' || *p > '9')
		return -1;
	for (digits = 0; *p >= '0' && *p <= '9'; p++)
		if (++digits > 9)
			return -1;
		else
			s = s * 10 + (*p - '0');
	if (strcmp(p, HAO) != 0)
		return -1;
	*code = number;
	*code_len = (size_t)(l - number);
	*year = (int)y;
	*seq = s;
	return 0;
}

void
oa_counters_init(oa_counters *c)
{
	memset(c, 0, sizeof *c);
}

void
oa_counters_release(oa_counters *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].code);
	free(c->items);
	memset(c, 0, sizeof *c);
}

static oa_counter *
find(const oa_counters *c, int direction, const char *code, int year)
{
	for (size_t i = c->count; i-- > 0;) {
		oa_counter *k = &c->items[i];
		if (k->year == year && k->direction == direction && strcmp(k->code, code) == 0)
			return k;
	}
	return NULL;
}

long
oa_counters_last(const oa_counters *c, int direction, const char *code, int year)
{
	const oa_counter *k = find(c, direction, code, year);

	return k ? k->last : 0;
}

int
oa_counters_set(oa_counters *c, int direction, const char *code, int year, long seq)
{
	oa_counter *k = find(c, direction, code, year);

	if (k == NULL) {
		if (c->count == c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 8;
			oa_counter *v = realloc(c->items, ncap * sizeof *v);
			if (v == NULL)
				return -1;
			c->items = v;
			c->cap = ncap;
		}
		k = &c->items[c->count];
		k->code = strdup(code);
		if (k->code == NULL)
			return -1;
		k->direction = direction;
		k->year = year;
		c->count++;
	}
	k->last = seq;
	return 0;
}
