/*
 * utf8.h - the few Unicode operations the toolkit needs: validation,
 * decoding one code point, folding a name for comparison (trim, full-width
 * to half-width, ASCII case), and an edit distance over code points.
 */
#ifndef OA_UTF8_H
#define OA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Checks that s[0..len) is well-formed UTF-8 without NUL bytes.
 * Returns 0 when it is; otherwise -1 and *bad = offset of the first bad byte.
 * A sequence cut short by the end of the buffer is bad; callers that stream
 * use oa_utf8_valid_prefix instead.
 */
int oa_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Like oa_utf8_valid, but a multi-byte sequence cut off by the end of the
 * buffer is not an error: *complete is set to the length of the part that
 * ends on a character boundary (len, or up to 3 bytes less).
 */
int oa_utf8_valid_prefix(const char *s, size_t len, size_t *bad, size_t *complete);

/*
 * Decodes one code point at s (len bytes available).  Returns the number of
 * bytes used (1-4), or -1 for an invalid sequence.
 */
int oa_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (4 bytes room).  Returns the byte count. */
int oa_utf8_encode(uint32_t cp, char *out);

/*
 * Folds a name for comparison: trims ASCII white space and U+3000 at both
 * ends, maps full-width forms U+FF01..U+FF5E to ASCII and U+3000 to a space,
 * lower-cases ASCII, and with OA_FOLD_SEPARATORS maps ' ' and '-' to '_'.
 * Writes a NUL-terminated result of at most cap-1 bytes into out and returns
 * its length (truncated when out is too small).  Invalid bytes are copied.
 */
enum { OA_FOLD_SEPARATORS = 1, OA_FOLD_UPPER = 2 };
size_t oa_utf8_fold(const char *in, size_t len, char *out, size_t cap, unsigned flags);

/*
 * Trims *S[0..*LEN) in place of white space a spreadsheet or a paste
 * leaves around a name: ASCII space, tab, CR and LF, the ideographic space
 * U+3000, the no-break space U+00A0 and a stray BOM U+FEFF, at both ends.
 * Text inside is untouched; invalid bytes are not spaces.
 */
void oa_utf8_trim(const char **s, size_t *len);

/*
 * Whether oa_utf8_trim may find anything to drop in S[0..LEN): its first
 * or last byte may be part of such a space (ASCII white space, or a byte
 * of U+3000 E3 80 80, U+00A0 C2 A0, U+FEFF EF BB BF).  Most cells are
 * not: a cheap test before the decoding.
 */
static inline int
oa_utf8_may_trim(const char *s, size_t len)
{
	static const unsigned char edge[256] = {
		['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, [0x80] = 1, [0xA0] = 1,
		[0xBF] = 1, [0xC2] = 1, [0xE3] = 1, [0xEF] = 1,
	};
	return len > 0 && (edge[(unsigned char)s[0]] || edge[(unsigned char)s[len - 1]]);
}

/*
 * The length of S cut to at most 48 bytes at a character boundary: a cell
 * quoted in a message (printed with "%.*s").
 */
int oa_utf8_cut48(const char *s);

/* Number of code points in s[0..len) (invalid bytes count one each). */
size_t oa_utf8_length(const char *s, size_t len);

/*
 * Levenshtein distance between a and b counted in code points.  Returns
 * (size_t)-1 when either string has more than 256 code points.
 */
size_t oa_utf8_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Display width of s in terminal/label cells: East Asian wide characters
 * (CJK, full-width forms, Hangul) count 2, others 1.
 */
size_t oa_utf8_width(const char *s, size_t len);

#endif
