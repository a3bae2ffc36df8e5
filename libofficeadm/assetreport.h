/*
 * assetreport.h - reports on the register and the asset journal for the
 * leadership: counts and original values (原值) per department and
 * custodian, lent assets overdue for return with notices to the borrowing
 * department's head, and what the last stock-take found missing.
 *
 * Values are summed in fen (0.01 yuan) as integers, so totals are exact,
 * and written as yuan with two decimals.  A value cell that is not a
 * decimal number is an error naming the register line (a total that left
 * a row out would be a quiet wrong answer).
 */
#ifndef OA_ASSETREPORT_H
#define OA_ASSETREPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "assetjournal.h"
#include "assetregister.h"
#include "csv.h"
#include "departments.h"
#include "durable.h"
#include "error.h"

/*
 * A value cell in fen: 0 and *fen, or -1 (an empty cell is 0).  Taken as
 * a spreadsheet shows money: "1234.50", "¥1,234.50", "￥1,234.50",
 * "1,234.50" (oa_asset_parse_amount's forms) and a unit after the number,
 * "1234.5元".  Finer than a fen ("12.345"), misgrouped commas ("1,23",
 * "1.234,50") and anything else are -1.
 */
int oa_value_fen(const char *s, long long *fen);
/* Writes FEN as yuan, "1234.50", into BUF (32 bytes). */
void oa_fen_format(long long fen, char *buf);

/*
 * Counts and sums the register's rows by department, custodian (unless
 * BY_DEPARTMENT), class and status (statuses in English, an empty cell as
 * in-use; classes fixed or low-value, as the cell says), sorted by those
 * columns, each department followed by its subtotal row (custodian, class
 * and status "*"), and a last row "total".  Header:
 * department,custodian,class,status,count,value.
 */
int oa_assetreport_summary(const oa_register *reg, bool by_department, oa_csv_writer *w,
                           const char *out_name, oa_error *err);

/*
 * The assets with status missing (丢失, 遗失, 盘亏): tag,name,department,
 * custodian,location,class,value,last_audit, in register order, then a row
 * "total" with the count in name and the summed value.  Returns how many
 * (the caller's findings), or -1.
 */
long oa_assetreport_missing(const oa_register *reg, oa_csv_writer *w, const char *out_name,
                            oa_error *err);

/*
 * Check's second half: the register's rows whose status only an event can
 * give, lent or repair, while the journal has no event of the tag at all:
 * a status typed into the register by hand.  (Disposed is not among them:
 * an asset disposed of before the journal began is disposed with no event,
 * and stays so.)  Writes one
 * "tag,column,journal,register,detail" row each (journal "no-events",
 * register the cell as written; no header: oa_assetjournal_check wrote it)
 * and returns how many, or -1.
 */
long oa_assetreport_check_unjournalled(const oa_assetjournal *j, const oa_register *reg,
                                       oa_csv_writer *w, const char *out_name, oa_error *err);

/*
 * The register's rows that say lent (借出) while the journal has no loan of
 * the tag (no event, or its last event left another status): loans with no
 * borrower or due date known, which overdue cannot judge.  *ROWS
 * (malloc'd, register order; NULL when none) and *N; -1 with err.
 */
int oa_assetreport_lent_unrecorded(const oa_assetjournal *j, const oa_register *reg, long **rows,
                                   size_t *n, oa_error *err);

/* A lent asset past its due date. */
typedef struct oa_asset_overdue {
	oa_asset_state st;      /* as on AS_OF; its strings are the journal's */
	long row;               /* in the register, -1 when it is not there */
	long days;              /* calendar days past due on AS_OF */
} oa_asset_overdue;

/*
 * True when some event of J is dated after AS_OF: the loans of that day
 * are then not the journal's present state, and oa_assetreport_overdue
 * needs J loaded with every event kept (KEEP "*").
 */
bool oa_assetreport_overdue_needs_events(const oa_assetjournal *j, oa_date as_of);

/*
 * The assets lent at the end of AS_OF with a due date before it, sorted by
 * the borrower's department, then due date, then tag.  When events are
 * dated after AS_OF (a past day), the loans are replayed from J's kept
 * events up to AS_OF: a loan returned later is still overdue then, one
 * made later is not; J must keep every event (else -1 with err).  *OUT is
 * malloc'd; its strings live as long as J.
 */
int oa_assetreport_overdue(const oa_assetjournal *j, const oa_register *reg, oa_date as_of,
                           oa_asset_overdue **out, size_t *n, oa_error *err);
/* tag,name,department,borrower,borrower_department,lent_on,due,days_overdue,value */
int oa_assetreport_write_overdue(const oa_register *reg, const oa_asset_overdue *v, size_t n,
                                 oa_csv_writer *w, const char *out_name, oa_error *err);
/*
 * One notice per borrowing department into DIR (created when missing):
 * DIR/CODE.txt, a mail to the department's head from DEPTS (To when it has
 * an e-mail address), listing each overdue asset and its borrower; and
 * DIR/recipients, one line "FILE<TAB>EMAIL<TAB>HEAD<TAB>DEPARTMENT" per
 * notice (empty when N is 0).  Every notice carries the header line
 * "X-Officeadm-Notice: asset-log overdue".  The files are committed all
 * together (oa_atomic_set); then the notices of earlier runs that this run
 * did not write (their loans came back) are removed: the regular files
 * named *.txt in DIR whose header has that line (or, written before it, a
 * subject starting 催还：), and no other file; *REMOVED counts them.  With N 0 and no DIR, nothing
 * is done.  On failure -1 with err, and no file is changed (a failure to
 * remove an old notice comes after the new ones are in place).
 */
int oa_assetreport_notices(const char *dir, const oa_register *reg, const oa_asset_overdue *v,
                           size_t n, const oa_departments *depts, const char *organisation,
                           oa_date as_of, size_t *removed, oa_error *err);

/* The notices of earlier runs to remove once this run's are in place. */
typedef struct oa_notice_sweep {
	char *dir;
	char **names;
	size_t n;
} oa_notice_sweep;

/*
 * oa_assetreport_notices in two halves, for a caller that commits the
 * notices with its other outputs: the files (and DIR when made) join SET
 * uncommitted and *SWEEP gets the old notices to remove; on failure -1
 * with err (the caller aborts SET; *SWEEP is empty).  After committing SET,
 * oa_notice_sweep_run removes them (counted in *REMOVED); on abort,
 * oa_notice_sweep_release just forgets them.  Both release *SWEEP.
 */
int oa_assetreport_notices_set(const char *dir, const oa_register *reg, const oa_asset_overdue *v,
                               size_t n, const oa_departments *depts, const char *organisation,
                               oa_date as_of, oa_atomic_set *set, oa_notice_sweep *sweep,
                               oa_error *err);
int oa_notice_sweep_run(oa_notice_sweep *sweep, size_t *removed, oa_error *err);
void oa_notice_sweep_release(oa_notice_sweep *sweep);

#endif
