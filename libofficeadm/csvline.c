/*
 * csvline.c - splitting a plain CSV line in one pass (csvline.h).
 *
 * The scan looks for the bytes that end or complicate a field: the comma,
 * the quote and the control characters (the line feed among them); on
 * x86-64 sixteen bytes at a time with SSE2, taking every comma of the
 * sixteen from one bit mask, elsewhere byte by byte.  Bytes from 0x80 up
 * only raise a flag; a line that has any is then checked as UTF-8 from the
 * first of them, as the CSV reader would check it.
 */
#include "csvline.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* What splitting a line carries along. */
typedef struct splitter {
	const char *end;           /* of the input */
	size_t n, nf, max;         /* fields wanted, found, longest allowed */
	const char **f;
	size_t *flen;
	char *scratch;
	size_t scratch_cap, used;
	const char *high;          /* the first byte >= 0x80, or NULL */
} splitter;

static inline bool
add_field(splitter *sp, const char *s, size_t len)
{
	if (sp->nf == sp->n || len > sp->max)
		return false;
	sp->f[sp->nf] = s;
	sp->flen[sp->nf] = len;
	sp->nf++;
	return true;
}

/*
 * The quoted field opening at Q: adds it and returns the byte after its
 * closing quote (a comma or the line feed), or NULL when it is not plain.
 */
static const char *
quoted(splitter *sp, const char *q)
{
	const char *seg = q + 1, *p = seg;
	char *copy = NULL;
	size_t clen = 0;

	for (;; p++) {
		if (p >= sp->end)
			return NULL;
		unsigned char c = (unsigned char)*p;
		if (c < 0x20)
			return NULL; /* a line break or a control character inside */
		if (c >= 0x80 && sp->high == NULL)
			sp->high = p;
		if (c != '"')
			continue;
		if (p + 1 < sp->end && p[1] == '"') {
			/* "": the field is unescaped into the scratch space. */
			size_t part = (size_t)(p + 1 - seg);
			if (copy == NULL)
				copy = sp->scratch + sp->used;
			if (sp->used + clen + part > sp->scratch_cap)
				return NULL;
			memcpy(copy + clen, seg, part);
			clen += part;
			seg = p + 2;
			p++;
			continue;
		}
		break;
	}
	if (copy != NULL) {
		size_t part = (size_t)(p - seg);
		if (sp->used + clen + part > sp->scratch_cap)
			return NULL;
		memcpy(copy + clen, seg, part);
		clen += part;
		sp->used += clen;
		if (!add_field(sp, copy, clen))
			return NULL;
	} else if (!add_field(sp, q + 1, (size_t)(p - (q + 1)))) {
		return NULL;
	}
	p++;
	if (p >= sp->end || (*p != ',' && *p != '\n'))
		return NULL; /* something after the closing quote */
	return p;
}

static inline int
split(const char *s, size_t avail, size_t n, const char **f, size_t *flen, size_t max,
      char *scratch, size_t scratch_cap, size_t *line_len, bool check_utf8)
{
	splitter sp = { .end = s + avail, .n = n, .max = max, .f = f, .flen = flen,
	                .scratch = scratch, .scratch_cap = scratch_cap };
	const char *p = s, *field = s, *eol = NULL;

	if (avail > 0 && *s == '\n')
		return 0; /* an empty line, which the reader skips */
	if (avail >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return 0; /* a byte order mark, which the reader drops at its start */

	while (eol == NULL) {
		if (p == field && p < sp.end && *p == '"') {
			/* A quoted field: read on after its closing quote. */
			const char *q = quoted(&sp, p);
			if (q == NULL)
				return 0;
			if (*q == '\n') {
				eol = q;
				break;
			}
			field = p = q + 1;
			continue;
		}
#ifdef __SSE2__
		if (sp.end - p >= 16) {
			const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
			const __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
			unsigned stops = (unsigned)_mm_movemask_epi8(
			    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(',')),
			                              _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
			                 ctl));
			unsigned hi = (unsigned)_mm_movemask_epi8(x);
			const char *next = p + 16;

			while (stops != 0) {
				const char *q = p + __builtin_ctz(stops);
				stops &= stops - 1;
				if (*q == ',') {
					if (!add_field(&sp, field, (size_t)(q - field)))
						return 0;
					field = q + 1;
					if (q + 1 < sp.end && q[1] == '"') {
						/* The next field is quoted: the loop's
						 * top reads it; the bytes after it are
						 * not this scan's. */
						hi &= (1u << (q + 1 - p)) - 1;
						next = q + 1;
						break;
					}
					continue;
				}
				if (*q != '\n')
					return 0; /* a quote inside a field, or a control character */
				if (!add_field(&sp, field, (size_t)(q - field)))
					return 0;
				eol = q;
				hi &= (1u << (q - p)) - 1;
				break;
			}
			if (hi != 0 && sp.high == NULL)
				sp.high = p + __builtin_ctz(hi);
			p = next;
			continue;
		}
#endif
		/* Byte by byte: the end of the input, or no SSE2. */
		for (;; p++) {
			if (p >= sp.end)
				return 0; /* no line feed */
			unsigned char c = (unsigned char)*p;
			if (c >= 0x80) {
				if (sp.high == NULL)
					sp.high = p;
				continue;
			}
			if (c >= 0x20 && c != ',' && c != '"')
				continue;
			if (c == ',') {
				if (!add_field(&sp, field, (size_t)(p - field)))
					return 0;
				field = p + 1;
				if (p + 1 < sp.end && p[1] == '"') {
					p++;
					break; /* the loop's top reads the quoted field */
				}
				continue;
			}
			if (c != '\n')
				return 0;
			if (!add_field(&sp, field, (size_t)(p - field)))
				return 0;
			eol = p;
			break;
		}
	}
	if (sp.nf != n)
		return 0;
	*line_len = (size_t)(eol - s);
	if (check_utf8 && sp.high != NULL &&
	    oa_utf8_valid(sp.high, (size_t)(eol - sp.high), NULL) != 0)
		return 0;
	return 1;
}

int
oa_csvline_split(const char *s, size_t avail, size_t n, const char **f, size_t *flen,
                 size_t max, char *scratch, size_t scratch_cap, size_t *line_len)
{
	return split(s, avail, n, f, flen, max, scratch, scratch_cap, line_len, true);
}

int
oa_csvline_split_valid(const char *s, size_t avail, size_t n, const char **f, size_t *flen,
                       size_t max, char *scratch, size_t scratch_cap, size_t *line_len)
{
	return split(s, avail, n, f, flen, max, scratch, scratch_cap, line_len, false);
}
