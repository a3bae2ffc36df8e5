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

/* A lent asset past its due date. */
typedef struct oa_asset_overdue {
	const oa_asset_state *st;
	long row;               /* in the register, -1 when it is not there */
	long days;              /* calendar days past due on AS_OF */
} oa_asset_overdue;

/*
 * The assets the journal has lent with a due date before AS_OF, sorted by
 * the borrower's department, then due date, then tag.  *OUT is malloc'd.
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
 * notice.  Each file is replaced atomically.
 */
int oa_assetreport_notices(const char *dir, const oa_register *reg, const oa_asset_overdue *v,
                           size_t n, const oa_departments *depts, const char *organisation,
                           oa_date as_of, oa_error *err);

#endif
