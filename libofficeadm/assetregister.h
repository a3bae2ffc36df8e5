/*
 * assetregister.h - the asset register held in memory, for a command that
 * changes a few cells of some rows and writes the whole file back in its
 * own style.
 *
 * The file is read whole.  Text that is not UTF-8 is GB18030 (unless the
 * options say UTF-8) and is converted to UTF-8 for reading; the rows are
 * parsed with the CSV reader and the columns of DESIGN.md are found by
 * header name or alias (oa_register_columns).  Every row keeps the bytes it
 * was read from.  Writing gives back exactly those bytes for every row that
 * was not changed, and writes a changed row with the file's line end (LF or
 * CRLF), after the file's BOM if it had one, in the file's encoding (its
 * oa_csv_style; GB18030 through oa_text_encode): a rewritten register
 * differs from the old one only in the changed rows.
 *
 * Status cells keep the register's vocabulary: a cell set through
 * oa_register_set_status is written in Chinese (在用, 闲置, 维修, 借出, 丢失,
 * 报废) when the old cell held Chinese, else in English.
 */
#ifndef OA_ASSETREGISTER_H
#define OA_ASSETREGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "columns.h"
#include "csv.h"
#include "durable.h"
#include "error.h"

/* The statuses of DESIGN.md; OA_AST_NONE for an empty or unknown cell. */
typedef enum oa_asset_status {
	OA_AST_NONE, OA_AST_IN_USE, OA_AST_IDLE, OA_AST_REPAIR, OA_AST_LENT,
	OA_AST_MISSING, OA_AST_DISPOSED, OA_AST_COUNT
} oa_asset_status;

/* "in-use", ... ("" for NONE) and 在用, ... */
const char *oa_asset_status_en(oa_asset_status s);
const char *oa_asset_status_zh(oa_asset_status s);
/*
 * A status cell in English or Chinese (oa_asset_status_parse of assets.h,
 * and the stock-take's 遗失, 盘亏, 外借, 已报废, 处置 ...); OA_AST_NONE when
 * empty or unknown.
 */
oa_asset_status oa_asset_status_read(const char *s, size_t len);

typedef struct oa_register_row oa_register_row;

typedef struct oa_register {
	char *path;                 /* as given */
	char *text;                 /* the file as UTF-8 */
	size_t len;
	oa_csv_style style;         /* encoding (UTF-8 or GB18030), BOM, line ends (csv.h) */
	size_t head_off, head_len;  /* the header record's bytes in text */
	char *head;                 /* header cells, NUL-separated */
	size_t width;               /* header cells */
	size_t added;               /* columns appended by oa_register_set */
	int idx[OA_REG_NCOLS];      /* column of each register field, -1 absent */
	oa_register_row *rows;
	size_t nrows;
	size_t head_own;            /* the header record's own bytes (head_len less rows skipped) */
	/* Total rows (合计) skipped on reading, kept in the file as they were. */
	long *total_lines;
	const char **total_words;   /* static strings (oa_asset_total_word) */
	size_t ntotals;
	/* Private: the tag index (row + 1, 0 empty; the canonical tag's hash). */
	size_t *slots;
	uint64_t *slot_hash;
	/* Private: row * width + k, cell k's offset from the row's first cell. */
	uint32_t *cell_off;
	/* Rows read whose status cell is not empty and no status word. */
	size_t unknown_statuses;
	size_t nslots;
	bool changed;
} oa_register;

/*
 * Reads PATH ("-" is not allowed: the register is rewritten).  A missing
 * file is an error.  The tag column is required; an empty or duplicated tag
 * is an error naming the lines.
 *
 * Rows that are no asset are skipped, their bytes kept where they are when
 * the register is written: a row of empty cells (",,,," as a spreadsheet
 * leaves it), and a total row (合计, 总计, 小计 ... total as the tag, or
 * in a cell of a row without tag whose name is empty or that word: see
 * oa_asset_total_word), which is noted in total_lines and total_words for
 * the caller's warning.
 *
 * A row with more cells than the header (an unquoted "1,234.50" splits in
 * two) or fewer is checked column by column: when the first cell that is
 * not what its column holds (an amount, a date, a life, a class, a status)
 * fits once one to three cells at or before it are dropped or inserted,
 * it is an error naming its column number and header cell, what was
 * expected, and how many cells are too many or missing before it; a
 * non-empty cell past the header's width is an error too.  Otherwise the
 * row is read as it is (Excel drops trailing empty cells, and a bad cell
 * is the reports' to refuse).  Release with oa_register_release, also after failure.
 */
int oa_register_load(oa_register *reg, const char *path, const oa_csv_options *opt,
                     oa_error *err);
void oa_register_release(oa_register *reg);

/* The row of TAG (compared by oa_tag_canonical: case and separators ignored), or -1. */
long oa_register_find(const oa_register *reg, const char *tag, size_t len);
/*
 * For a TAG the register lacks: when its check character is wrong (tag.h),
 * a hint naming the registered tags one edit away (oa_tag_neighbours), in
 * the register's spelling, to append to the "unknown tag" message:
 * "; its check character is wrong: did you mean \"BGS-2026-0001-O\"?" for
 * exactly one, the list for several, and that none is near for none.
 * "" when the check character is right (no tag is one edit away then).
 * Written into HINT (CAP bytes, cut at a character).
 */
void oa_register_suggest(const oa_register *reg, const char *tag, size_t len, char *hint,
                         size_t cap);
/* The line a row starts on. */
long oa_register_line(const oa_register *reg, size_t row);
/*
 * The cell of column COL (an oa_register_column) in ROW: "" when the
 * register lacks the column.  Valid until the cell is set or reg released.
 */
const char *oa_register_get(const oa_register *reg, size_t row, int col);
/* The row's status (OA_AST_NONE when the column is absent or unknown). */
oa_asset_status oa_register_status(const oa_register *reg, size_t row);

/*
 * Sets a cell; a column the register lacks is added at the end of every
 * row (its canonical name in the header, "" in the other rows).  -1 on
 * running out of memory.
 */
int oa_register_set(oa_register *reg, size_t row, int col, const char *value, oa_error *err);
/* Sets the status in the vocabulary of the old cell (see above). */
int oa_register_set_status(oa_register *reg, size_t row, oa_asset_status s, oa_error *err);

/*
 * Writes the register to FP in its own encoding, BOM and line ends.  -1
 * with err on a write error (NAME in the message).
 */
int oa_register_write(const oa_register *reg, FILE *fp, const char *name, oa_error *err);

#endif
