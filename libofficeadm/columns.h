/*
 * columns.h - finding columns by header name.
 *
 * A column has a canonical English name and Chinese (or other) aliases.
 * Header cells match after oa_utf8_fold with OA_FOLD_SEPARATORS: trimmed,
 * full-width folded to half-width, ASCII lower-cased, ' ' and '-' read as
 * '_'.  Unknown header cells are left alone, so commands carry them through.
 * The register and stock-take tables of DESIGN.md are defined here because
 * several commands read them.
 */
#ifndef OA_COLUMNS_H
#define OA_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "error.h"

typedef struct oa_column {
	const char *name;    /* canonical name, lower case, e.g. "tag" */
	const char *aliases; /* '|'-separated, e.g. "资产编号|标签号|编号"; may be NULL */
} oa_column;

/*
 * Maps the reader's current record (the header) onto COLS.  index[i] is set
 * to the header position of cols[i], or -1 when absent.  Columns whose bit
 * is set in REQUIRED (bit i for cols[i]) must be present: a missing one is an
 * error naming it and listing the header found.  Two header cells naming the
 * same column is an error too (naming both, by number and header text).
 * Also calls oa_csv_reader_set_header: the header's width, and its names
 * for the reader's messages ("field 7 (原值)").
 */
int oa_columns_map(oa_csv_reader *r, const oa_column *cols, size_t ncols,
                   uint64_t required, int *index, oa_error *err);

/* True when the header cell TEXT names column COL. */
int oa_column_matches(const oa_column *col, const char *text, size_t len);

/* The asset register (DESIGN.md), in this order. */
enum oa_register_column {
	OA_REG_TAG, OA_REG_NAME, OA_REG_CATEGORY, OA_REG_CLASS, OA_REG_VALUE,
	OA_REG_ACQUIRED, OA_REG_LIFE, OA_REG_DEPARTMENT, OA_REG_CUSTODIAN,
	OA_REG_LOCATION, OA_REG_STATUS, OA_REG_LAST_AUDIT, OA_REG_NOTE,
	OA_REG_NCOLS
};
extern const oa_column oa_register_columns[OA_REG_NCOLS];

/*
 * A purchase list's extra columns (asset-tag): a row of N items at a unit
 * price makes N assets.  Not register columns: asset-tag consumes them.
 */
enum oa_purchase_column {
	OA_PURCHASE_QUANTITY, OA_PURCHASE_UNIT_PRICE,
	OA_PURCHASE_NCOLS
};
extern const oa_column oa_purchase_columns[OA_PURCHASE_NCOLS];

/*
 * A row number column (序号, 行号, No.): not a register column, carried by
 * the commands that rewrite a register; asset-tag numbers the rows it adds.
 */
extern const oa_column oa_rowno_column;

/* A stock-take scan file with a header. */
enum oa_scan_column {
	OA_SCAN_TAG, OA_SCAN_LOCATION, OA_SCAN_SCANNED_BY, OA_SCAN_SCANNED_AT,
	OA_SCAN_NCOLS
};
extern const oa_column oa_scan_columns[OA_SCAN_NCOLS];

#define OA_BIT(i) ((uint64_t)1 << (i))

#endif
