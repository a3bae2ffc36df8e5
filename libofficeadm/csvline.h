/*
 * csvline.h - the fast path for reading CSV this toolkit wrote itself (the
 * document and asset journals): one record a line, fields split in one pass
 * over the bytes, no copying.
 *
 * It only says yes to a line it is sure of, and otherwise no, never an
 * error: the caller then reads that record with oa_csv_reader (csv.h), which
 * gives the fields or says exactly what is wrong.  So a reader that takes
 * the fast path where it can accepts and refuses the same files, with the
 * same messages, as one that never does.
 */
#ifndef OA_CSVLINE_H
#define OA_CSVLINE_H

#include <stddef.h>

/*
 * Splits the record at S[0..avail) that ends at the first line feed, when
 * it is plain:
 *
 *   - it is not empty, it has a line feed, and no other byte below 0x20
 *     (no CR, tab, NUL);
 *   - it is valid UTF-8, and does not start with a byte order mark (which
 *     the reader drops at the start of its input);
 *   - a quote only opens a field and closes it, with "" for a quote inside;
 *   - it has exactly N fields, none longer than MAX bytes.
 *
 * Fields are F[i][0..FLEN[i]), pointing into S, or into SCRATCH for a
 * quoted field with "" inside (SCRATCH holds SCRATCH_CAP bytes; a line that
 * needs more is not plain).  Returns 1 with *LINE_LEN the length of the
 * line without its line feed; 0 when the line is not plain.
 */
int oa_csvline_split(const char *s, size_t avail, size_t n, const char **f, size_t *flen,
                     size_t max, char *scratch, size_t scratch_cap, size_t *line_len);

/*
 * The same, for a caller that has already found the whole line valid UTF-8
 * (oa_utf8_valid): its encoding is not checked again.  On a line that is
 * not valid UTF-8 it may say yes.
 */
int oa_csvline_split_valid(const char *s, size_t avail, size_t n, const char **f,
                           size_t *flen, size_t max, char *scratch, size_t scratch_cap,
                           size_t *line_len);

#endif
