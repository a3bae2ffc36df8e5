/*
 * utf8.c - UTF-8 validation, decoding, name folding and edit distance.
 * See utf8.h.  The validator has an ASCII fast path (eight bytes at a time)
 * because it runs over every byte the CSV reader sees.
 */
#include "utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

int
oa_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	int n, i;

	if (len == 0)
		return -1;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
	} else {
		return -1;
	}
	if (len < (size_t)n)
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return n;
}

int
oa_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Expected length of a sequence from its lead byte; 0 for an invalid lead. */
static int
lead_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

int
oa_utf8_valid_prefix(const char *str, size_t len, size_t *bad, size_t *complete)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			/* Fast path: eight ASCII bytes without NUL at a time. */
			while (i + 8 <= len) {
				uint64_t v;
				memcpy(&v, s + i, 8);
				if ((v & 0x8080808080808080ULL) != 0 ||
				    ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL) != 0)
					break;
				i += 8;
			}
			if (i >= len)
				break;
			c = s[i];
			if (c < 0x80) {
				if (c == 0)
					goto invalid;
				i++;
				continue;
			}
		}
		/* The common CJK case, inline: a 3-byte sequence. */
		if (c >= 0xE0 && c <= 0xEF && i + 3 <= len) {
			unsigned char c1 = s[i + 1], c2 = s[i + 2];
			if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 ||
			    (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))
				goto invalid;
			i += 3;
			continue;
		}
		int n = lead_length(c);
		if (n == 0)
			goto invalid;
		if (i + (size_t)n > len) {
			/* Possibly cut by the buffer end: check what is there. */
			for (size_t k = i + 1; k < len; k++)
				if ((s[k] & 0xC0) != 0x80)
					goto invalid;
			if (complete == NULL)
				goto invalid;
			*complete = i;
			return 0;
		}
		uint32_t cp;
		if (oa_utf8_decode((const char *)s + i, (size_t)n, &cp) != n)
			goto invalid;
		i += (size_t)n;
	}
	if (complete != NULL)
		*complete = len;
	return 0;
invalid:
	if (bad != NULL)
		*bad = i;
	return -1;
}

#ifdef __SSE2__
/*
 * The rules of RFC 3629 section 4 for sixteen bytes X, given the three
 * bytes before each (P1, P2, P3): a byte is a continuation (10xxxxxx)
 * exactly when a lead byte before it calls for one (C0.. one back, E0..
 * two back, F0.. three back); C0, C1 and F5..FF never occur; after E0 the
 * next byte is A0..BF, after ED 80..9F, after F0 90..BF, after F4 80..8F.
 * The bytes where one of these fails.
 */
static inline __m128i
utf8_errors(__m128i x, __m128i p1, __m128i p2, __m128i p3)
{
#define GE(v, c) _mm_cmpeq_epi8(_mm_max_epu8((v), _mm_set1_epi8((char)(c))), (v))
#define EQ(v, c) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(c)))
	__m128i cont = _mm_cmplt_epi8(x, _mm_set1_epi8((char)0xC0));
	cont = _mm_andnot_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(-1)), cont); /* not ASCII */
	__m128i wanted = _mm_or_si128(_mm_or_si128(GE(p1, 0xC0), GE(p2, 0xE0)), GE(p3, 0xF0));
	__m128i ge_a0 = GE(x, 0xA0), ge_90 = GE(x, 0x90);
	__m128i err = _mm_xor_si128(cont, wanted);
	err = _mm_or_si128(err, EQ(_mm_and_si128(x, _mm_set1_epi8((char)0xFE)), 0xC0));
	err = _mm_or_si128(err, GE(x, 0xF5));
	err = _mm_or_si128(err, _mm_andnot_si128(ge_a0, EQ(p1, 0xE0)));
	err = _mm_or_si128(err, _mm_and_si128(ge_a0, EQ(p1, 0xED)));
	err = _mm_or_si128(err, _mm_andnot_si128(ge_90, EQ(p1, 0xF0)));
	err = _mm_or_si128(err, _mm_and_si128(ge_90, EQ(p1, 0xF4)));
	return err;
#undef GE
#undef EQ
}

/*
 * Whether s[0..len) is valid UTF-8 without NUL, sixteen bytes at a time.
 * Text of 19 bytes or more ends with its last sixteen bytes (overlapping
 * the blocks already checked) and a look at its last three for a sequence
 * cut short by the end; shorter text is checked from a copy padded with
 * zeros, which finds a sequence cut short as an error of its own.
 */
static bool
valid_sse2(const char *s, size_t len)
{
	const __m128i zero = _mm_setzero_si128();
	__m128i err = zero;
	size_t i = 0;
	bool ascii_before = true; /* the block before (none: zeros) is ASCII */

	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i)), p1, p2, p3;
		bool ascii = _mm_movemask_epi8(x) == 0;
		/* ASCII after ASCII (most of a journal line): no rule can fail,
		 * as no lead byte before it calls for a continuation; only NUL. */
		if (ascii && ascii_before) {
			err = _mm_or_si128(err, _mm_cmpeq_epi8(x, zero));
			continue;
		}
		ascii_before = ascii;
		if (i == 0) {
			p1 = _mm_slli_si128(x, 1);
			p2 = _mm_slli_si128(x, 2);
			p3 = _mm_slli_si128(x, 3);
		} else {
			p1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 1));
			p2 = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 2));
			p3 = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 3));
		}
		err = _mm_or_si128(err, utf8_errors(x, p1, p2, p3));
		err = _mm_or_si128(err, _mm_cmpeq_epi8(x, zero));
	}
	if (len >= 19 && i < len) {
		/* The rest as the last sixteen bytes, overlapping checked ones;
		 * then no sequence may be cut short by the end. */
		const char *t = s + len - 16;
		err = _mm_or_si128(err, utf8_errors(_mm_loadu_si128((const __m128i *)(const void *)t),
		                                    _mm_loadu_si128((const __m128i *)(const void *)(t - 1)),
		                                    _mm_loadu_si128((const __m128i *)(const void *)(t - 2)),
		                                    _mm_loadu_si128((const __m128i *)(const void *)(t - 3))));
		err = _mm_or_si128(err, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)t), zero));
		i = len;
	}
	if (i == len) {
		const unsigned char *e = (const unsigned char *)s + len;
		if (len >= 1 && e[-1] >= 0xC0)
			return false;
		if (len >= 2 && e[-2] >= 0xE0)
			return false;
		if (len >= 3 && e[-3] >= 0xF0)
			return false;
		return _mm_movemask_epi8(err) == 0;
	}
	/* Short text: the rest, after the three bytes before it, in zeros. */
	unsigned char tail[3 + 16 + 3] = { 0 };
	size_t rest = len - i, before = i < 3 ? i : 3;
	memcpy(tail + 3 - before, s + i - before, before);
	memcpy(tail + 3, s + i, rest);
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(tail + 3));
	err = _mm_or_si128(err, utf8_errors(x, _mm_loadu_si128((const __m128i *)(const void *)(tail + 2)),
	                                    _mm_loadu_si128((const __m128i *)(const void *)(tail + 1)),
	                                    _mm_loadu_si128((const __m128i *)(const void *)tail)));
	unsigned nul = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, zero)) & ((1u << rest) - 1);
	return _mm_movemask_epi8(err) == 0 && nul == 0;
}
#endif

int
oa_utf8_valid(const char *s, size_t len, size_t *bad)
{
#ifdef __SSE2__
	/* Most text is valid: say so fast, and find the bad byte only when not. */
	if (valid_sse2(s, len))
		return 0;
#endif
	return oa_utf8_valid_prefix(s, len, bad, NULL);
}

static int
is_trim_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 ||
	       cp == 0xFEFF || cp == 0xA0;
}

/* The length of the trim space ending at s[len - 1], or 0. */
static size_t
trailing_space(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len >= 1 && (u[len - 1] == ' ' || u[len - 1] == '\t' || u[len - 1] == '\r' ||
	                 u[len - 1] == '\n'))
		return 1;
	if (len >= 2 && u[len - 2] == 0xC2 && u[len - 1] == 0xA0)
		return 2; /* U+00A0 */
	if (len >= 3 && ((u[len - 3] == 0xE3 && u[len - 2] == 0x80 && u[len - 1] == 0x80) ||
	                 (u[len - 3] == 0xEF && u[len - 2] == 0xBB && u[len - 1] == 0xBF)))
		return 3; /* U+3000, U+FEFF */
	return 0;
}

int
oa_utf8_cut48(const char *s)
{
	size_t n = strlen(s);

	if (n > 48) {
		n = 48;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

void
oa_utf8_trim(const char **s, size_t *len)
{
	uint32_t cp;
	size_t n;
	int k;

	while (*len > 0 && (k = oa_utf8_decode(*s, *len, &cp)) > 0 && is_trim_space(cp)) {
		*s += k;
		*len -= (size_t)k;
	}
	while ((n = trailing_space(*s, *len)) > 0)
		*len -= n;
}

size_t
oa_utf8_fold(const char *in, size_t len, char *out, size_t cap, unsigned flags)
{
	size_t i = 0, o = 0, end = len;
	uint32_t cp;
	int n;

	if (cap == 0)
		return 0;
	/* Trim the front. */
	while (i < end && (n = oa_utf8_decode(in + i, end - i, &cp)) > 0 && is_trim_space(cp))
		i += (size_t)n;
	/* Trim the back: step back over trailing spaces. */
	for (;;) {
		if (end > i && (in[end - 1] == ' ' || in[end - 1] == '\t' || in[end - 1] == '\r' ||
		                in[end - 1] == '\n')) {
			end--;
			continue;
		}
		if (end >= i + 3 && (unsigned char)in[end - 3] == 0xE3 &&
		    (unsigned char)in[end - 2] == 0x80 && (unsigned char)in[end - 1] == 0x80) {
			end -= 3; /* U+3000 */
			continue;
		}
		break;
	}
	while (i < end) {
		char buf[4];
		n = oa_utf8_decode(in + i, end - i, &cp);
		if (n < 0) {
			if (o + 1 >= cap)
				break;
			out[o++] = in[i++];
			continue;
		}
		i += (size_t)n;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		else if (cp == 0x3000)
			cp = ' ';
		if (cp < 0x80) {
			if (flags & OA_FOLD_UPPER) {
				if (cp >= 'a' && cp <= 'z')
					cp -= 32;
			} else if (cp >= 'A' && cp <= 'Z') {
				cp += 32;
			}
			if ((flags & OA_FOLD_SEPARATORS) && (cp == ' ' || cp == '-'))
				cp = '_';
		}
		int m = oa_utf8_encode(cp, buf);
		if (o + (size_t)m >= cap)
			break;
		memcpy(out + o, buf, (size_t)m);
		o += (size_t)m;
	}
	out[o] = '\0';
	return o;
}

size_t
oa_utf8_length(const char *s, size_t len)
{
	size_t i = 0, count = 0;
	uint32_t cp;

	while (i < len) {
		int n = oa_utf8_decode(s + i, len - i, &cp);
		i += n > 0 ? (size_t)n : 1;
		count++;
	}
	return count;
}

static size_t
to_codepoints(const char *s, size_t len, uint32_t *out, size_t max)
{
	size_t i = 0, count = 0;
	uint32_t cp;

	while (i < len) {
		int n = oa_utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			cp = (unsigned char)s[i];
			n = 1;
		}
		if (count == max)
			return (size_t)-1;
		out[count++] = cp;
		i += (size_t)n;
	}
	return count;
}

size_t
oa_utf8_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	enum { MAX = 256 };
	uint32_t ca[MAX], cb[MAX];
	size_t prev[MAX + 1], cur[MAX + 1];
	size_t na = to_codepoints(a, alen, ca, MAX);
	size_t nb = to_codepoints(b, blen, cb, MAX);

	if (na == (size_t)-1 || nb == (size_t)-1)
		return (size_t)-1;
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t best = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, (nb + 1) * sizeof prev[0]);
	}
	return prev[nb];
}

static int
is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t
oa_utf8_width(const char *s, size_t len)
{
	size_t i = 0, width = 0;
	uint32_t cp;

	while (i < len) {
		int n = oa_utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			i++;
			width++;
			continue;
		}
		i += (size_t)n;
		width += is_wide(cp) ? 2 : 1;
	}
	return width;
}
