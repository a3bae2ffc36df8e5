/*
 * numbering.h - 发文字号 and 收文编号.
 *
 * GB/T 9704-2012 7.2.4: 机关代字, the year in hexagonal brackets 〔〕
 * (U+3014, U+3015), and the serial number followed by 号, with no zero
 * padding and no 第, e.g. 郴地税办发〔2026〕12号.  Incoming documents get a
 * registration number of the same form with the configured incoming code
 * (default 收文): 收文〔2026〕3号.
 *
 * Each (direction, code, year) has one sequence starting at 1.  The
 * counters are rebuilt from the journal on every read (journal.c counts the
 * 登记 events), so the sequence is gap-free and a number is never reused;
 * the writer holds the journal's lock between counting and appending.
 */
#ifndef OA_NUMBERING_H
#define OA_NUMBERING_H

#include <stddef.h>

#include "error.h"

/* Writes CODE〔YEAR〕SEQ号 into buf (NUL-terminated).  Returns the length,
 * or -1 when it does not fit. */
int oa_number_format(char *buf, size_t cap, const char *code, int year, long seq);

/*
 * Splits NUMBER into code, year and sequence.  0, or -1 when it is not of
 * the form above (a zero-padded or zero sequence is invalid).  *code points
 * into NUMBER, *code_len bytes long.
 */
int oa_number_parse(const char *number, const char **code, size_t *code_len, int *year,
                    long *seq);

/* Counters of numbers handed out so far, one per (direction, code, year). */
typedef struct oa_counter {
	int direction;
	int year;
	long last;
	char *code;
} oa_counter;

typedef struct oa_counters {
	oa_counter *items;
	size_t count, cap;
} oa_counters;

void oa_counters_init(oa_counters *c);
void oa_counters_release(oa_counters *c);
/* The last number given for the key (0 when none). */
long oa_counters_last(const oa_counters *c, int direction, const char *code, int year);
/* Records that SEQ was given for the key.  -1 only when out of memory. */
int oa_counters_set(oa_counters *c, int direction, const char *code, int year, long seq);

#endif
