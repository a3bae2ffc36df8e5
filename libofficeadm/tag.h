/*
 * tag.h - asset tags and their check character.
 *
 * The check character is ISO/IEC 7064 MOD 37,36 (hybrid system, M = 36)
 * over the tag's letters and digits, separators ignored, so any single wrong
 * character and almost every swap of two neighbours is detected.  Tags are
 * compared in their canonical form (oa_tag_canonical): trimmed, full-width
 * folded to half-width, upper case, separators dropped (as a barcode
 * scanner or a person may type them), so tags that differ only in
 * separators or case are one tag.
 */
#ifndef OA_TAG_H
#define OA_TAG_H

#include <stdbool.h>
#include <stddef.h>

#define OA_TAG_MAX 64 /* longest tag, bytes, with the NUL */

/*
 * Computes the check character over the letters and digits of s[0..len)
 * (other ASCII punctuation such as '-' is skipped; lower case counts as
 * upper).  Returns the character ('0'-'9', 'A'-'Z'), or 0 when s holds a
 * character that is neither alphanumeric nor a separator, or no alnum.
 */
char oa_tag_check_char(const char *s, size_t len);

/*
 * The same computation in pieces, for many tags sharing a prefix: the
 * state after the prefix is kept and each tag resumes from it.
 *
 *     int st = oa_tag_check_feed(OA_TAG_CHECK_START, prefix, n);
 *     char c = oa_tag_check_finish(oa_tag_check_feed(st, rest, m));
 *
 * gives what oa_tag_check_char gives for prefix and rest together.  A
 * state below 0 stays there and finishes as 0.
 */
#define OA_TAG_CHECK_START 36
int oa_tag_check_feed(int state, const char *s, size_t len);
char oa_tag_check_finish(int state);

/* True when the last letter/digit of TAG is the check character of the rest. */
bool oa_tag_valid(const char *tag, size_t len);

/* Trim, full-width to half-width, upper case; NUL-terminated; returns length. */
size_t oa_tag_normalise(const char *in, size_t len, char *out, size_t cap);

/*
 * The canonical form of a tag, the one every comparison of tags uses
 * (duplicates, the register, a stock-take's matching): oa_tag_normalise,
 * then every separator (printable ASCII that is not a letter or digit,
 * spaces included) dropped.  "bgs-2026-0001-o", "BGS 2026 0001 O" and
 * "BGS20260001O" are one tag.  Bytes that are not ASCII stay, so a tag
 * holding them stays invalid.  NUL-terminated; returns the length.
 */
size_t oa_tag_canonical(const char *in, size_t len, char *out, size_t cap);

/*
 * The valid tags one edit away from TAG (a single substituted alphanumeric,
 * or two neighbouring characters swapped) for which EXISTS returns true
 * (typically: is registered).  Writes up to MAX NUL-terminated tags into
 * OUT and returns how many were found (possibly more than MAX).
 */
size_t oa_tag_neighbours(const char *tag, size_t len,
                         bool (*exists)(void *ctx, const char *s, size_t len), void *ctx,
                         char (*out)[OA_TAG_MAX], size_t max);

#endif
