/*
 * tag.c - the asset tag check character (ISO/IEC 7064 MOD 37,36) and the
 * search for registered tags one edit away from a misread one.
 *
 * MOD 37,36 is the "hybrid" system of ISO/IEC 7064 with M = 36: the
 * characters 0-9 and A-Z have the values 0..35.  Starting from P = M, each
 * character value a updates
 *
 *     S = (P mod (M+1) + a) mod M, with 0 read as M;   P = 2 S
 *
 * and the check character is the one whose value c makes
 * (P mod (M+1) + c) mod M equal 1.  A string with its check character
 * appended therefore ends with S = 1, which is how it is verified.
 */
#include "tag.h"

#include <string.h>

#define M 36

/* Value 0..35 of an ASCII letter or digit (either case), or -1. */
static int
char_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return -1;
}

static char
value_char(int v)
{
	return v < 10 ? (char)('0' + v) : (char)('A' + v - 10);
}

/* A separator: printable ASCII that is not a letter or digit, or a space. */
static bool
is_separator(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && char_value(c) < 0;
}

/*
 * The state is Q = P mod (M+1), 0..36, plus 64 once a letter or digit has
 * been seen (a check character needs at least one), or -1 after a
 * character that is neither alphanumeric nor a separator.
 */
#define SEEN 64

int
oa_tag_check_feed(int state, const char *s, size_t len)
{
	/*
	 * Since 0 <= Q <= 36 and a <= 35, the sums stay below 2M and
	 * 2(M+1), so one subtraction replaces each division.
	 */
	int q = state & (SEEN - 1), seen = state & SEEN;

	if (state < 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int a = char_value(c), sum;

		if (a < 0) {
			if (!is_separator(c))
				return -1;
			continue;
		}
		sum = q + a;
		if (sum >= M)
			sum -= M;
		if (sum == 0)
			sum = M;
		q = 2 * sum;
		if (q >= M + 1)
			q -= M + 1;
		seen = SEEN;
	}
	return q | seen;
}

char
oa_tag_check_finish(int state)
{
	int c;

	if (state < 0 || !(state & SEEN))
		return 0;
	c = M + 1 - (state & (SEEN - 1)); /* 1..37 */
	return value_char(c >= M ? c - M : c);
}

char
oa_tag_check_char(const char *s, size_t len)
{
	return oa_tag_check_finish(oa_tag_check_feed(OA_TAG_CHECK_START, s, len));
}

bool
oa_tag_valid(const char *tag, size_t len)
{
	size_t end = len;
	char want;

	/* Trailing separators are not part of the check. */
	while (end > 0 && char_value((unsigned char)tag[end - 1]) < 0) {
		if (!is_separator((unsigned char)tag[end - 1]))
			return false;
		end--;
	}
	if (end < 2)
		return false;
	want = oa_tag_check_char(tag, end - 1);
	if (want == 0)
		return false;
	return value_char(char_value((unsigned char)tag[end - 1])) == want;
}

/*
 * Reads one UTF-8 character at s (n bytes left) and returns its ASCII
 * equivalent when it is ASCII, a full-width form U+FF01..U+FF5E or the
 * ideographic space U+3000; else 0.  *used is the byte count consumed.
 */
static unsigned char
fold_char(const unsigned char *s, size_t n, size_t *used)
{
	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) {
		*used = 3;
		return ' ';
	}
	if (n >= 3 && s[0] == 0xef && (s[1] == 0xbc || s[1] == 0xbd) &&
	    s[2] >= 0x80 && s[2] <= 0xbf) {
		unsigned cp = 0xf000 | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);

		if (cp >= 0xff01 && cp <= 0xff5e) {
			*used = 3;
			return (unsigned char)(cp - 0xff01 + 0x21);
		}
	}
	return 0;
}

size_t
oa_tag_normalise(const char *in, size_t len, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, n = 0, last = 0;

	if (cap == 0)
		return 0;
	while (i < len) {
		size_t used;
		unsigned char c = fold_char(s + i, len - i, &used);

		if (c == 0) {
			/* Not foldable: copy the byte as it is, so it stays invalid. */
			c = s[i];
		} else if (c >= 'a' && c <= 'z') {
			c = (unsigned char)(c - 'a' + 'A');
		}
		i += used;
		if (n == 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			continue; /* leading space */
		if (n + 1 >= cap)
			break;
		out[n++] = (char)c;
		if (!(c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			last = n;
	}
	out[last] = '\0';
	return last;
}

size_t
oa_tag_canonical(const char *in, size_t len, char *out, size_t cap)
{
	size_t n, k = 0;

	/* ASCII letters, digits and hyphens alone, as this toolkit writes a
	 * tag (every register look-up): upper-cased, hyphens dropped, which
	 * is what the general way below makes of them. */
	if (len < cap) {
		size_t i;
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)in[i];
			if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
				out[k++] = (char)c;
			else if (c >= 'a' && c <= 'z')
				out[k++] = (char)(c - 'a' + 'A');
			else if (c != '-')
				break;
		}
		if (i == len) {
			out[k] = '\0';
			return k;
		}
		k = 0;
	}
	n = oa_tag_normalise(in, len, out, cap);

	for (size_t i = 0; i < n; i++)
		if (!is_separator((unsigned char)out[i]))
			out[k++] = out[i];
	if (cap > 0)
		out[k] = '\0';
	return k;
}

/* Adds CAND to OUT unless it is there already; returns the new count. */
static size_t
add_found(char (*out)[OA_TAG_MAX], size_t max, size_t found, const char *cand,
          char (*seen)[OA_TAG_MAX], size_t *nseen, size_t seencap)
{
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (strcmp(seen[i], cand) == 0)
			return found;
	if (*nseen < seencap)
		memcpy(seen[(*nseen)++], cand, OA_TAG_MAX);
	if (found < max)
		memcpy(out[found], cand, OA_TAG_MAX);
	return found + 1;
}

size_t
oa_tag_neighbours(const char *tag, size_t len,
                  bool (*exists)(void *ctx, const char *s, size_t len), void *ctx,
                  char (*out)[OA_TAG_MAX], size_t max)
{
	/*
	 * A tag of n characters has at most 35 n + (n - 1) neighbours, but only
	 * about n + 1 of them carry a valid check character; those few are
	 * remembered to drop duplicates (a swap of equal characters is none).
	 */
	char seen[2 * OA_TAG_MAX][OA_TAG_MAX];
	size_t nseen = 0, found = 0, n, i;
	char t[OA_TAG_MAX], cand[OA_TAG_MAX];
	int v;

	n = oa_tag_normalise(tag, len, t, sizeof t);
	if (n == 0 || n >= OA_TAG_MAX - 1)
		return 0;
	memset(cand, 0, sizeof cand);
	for (i = 0; i < n; i++) {
		if (char_value((unsigned char)t[i]) < 0)
			continue;
		for (v = 0; v < M; v++) {
			char c = value_char(v);

			if (c == t[i])
				continue;
			memcpy(cand, t, n + 1);
			cand[i] = c;
			if (oa_tag_valid(cand, n) && exists(ctx, cand, n))
				found = add_found(out, max, found, cand, seen, &nseen,
				                  sizeof seen / sizeof seen[0]);
		}
	}
	for (i = 0; i + 1 < n; i++) {
		if (t[i] == t[i + 1] || char_value((unsigned char)t[i]) < 0 ||
		    char_value((unsigned char)t[i + 1]) < 0)
			continue;
		memcpy(cand, t, n + 1);
		cand[i] = t[i + 1];
		cand[i + 1] = t[i];
		if (oa_tag_valid(cand, n) && exists(ctx, cand, n))
			found = add_found(out, max, found, cand, seen, &nseen,
			                  sizeof seen / sizeof seen[0]);
	}
	return found;
}
