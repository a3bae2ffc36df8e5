/*
 * stocktake.h - reconciling the asset register with a stock-take's scans.
 *
 * oa_stocktake_run reads the register and the scan files (the register on
 * one thread, the scans on another) and keeps, per row, only a compact
 * entry: the 64-bit hash of the normalised tag, the byte offset of the
 * record, and small ids for the location and department.  Tags are joined
 * through open-addressing tables of hash -> row.  The few rows a report
 * needs (missing, moved, ...) are read again by their offsets afterwards,
 * so memory stays about 35 bytes a register row and 45 a scan (entry and
 * table slot), whatever the width of the files.
 *
 * Findings come out in a stable order: the register's rows in register
 * order (missing, moved, disposed, recovered, lent, repair, returned, and
 * ok when asked), then the findings that belong to scans in scan order
 * (surplus, misread, duplicate).  Scan files are read in the order of
 * their names (strcmp), not of the arguments, so the result does not
 * depend on how they were listed.
 *
 * Things worth a person's look that are not errors (an empty scan file, a
 * guessed encoding, a needed column missing beside unknown ones, a scan
 * dated far from the others) are kept as warnings: oa_stocktake_warning.
 */
#ifndef OA_STOCKTAKE_H
#define OA_STOCKTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "date.h"
#include "departments.h"
#include "durable.h"
#include "error.h"

typedef enum oa_st_status {
	OA_ST_OK,
	OA_ST_MISSING,   /* registered and expected, not scanned */
	OA_ST_SURPLUS,   /* scanned, not registered (check character right) */
	OA_ST_MOVED,     /* found at another location than registered */
	OA_ST_DUPLICATE, /* scanned more than once */
	OA_ST_MISREAD,   /* not registered and the check character is wrong */
	OA_ST_DISPOSED,  /* scanned but registered as disposed */
	OA_ST_RECOVERED, /* registered as missing, now found */
	OA_ST_LENT,      /* registered as lent, not scanned */
	OA_ST_REPAIR,    /* registered as in repair, not scanned */
	OA_ST_RETURNED,  /* registered as lent or in repair, found on site */
	OA_ST_NSTATUS
} oa_st_status;

/* "ok", "missing", ... as written in the output. */
const char *oa_st_status_name(oa_st_status s);

/* An encoding for one input file, named as on the command line. */
typedef struct oa_file_encoding {
	const char *path;
	oa_encoding encoding;
} oa_file_encoding;

typedef struct oa_stocktake_options {
	oa_csv_options csv; /* encoding and max_field for every input */
	int threads;        /* 2: register and scans in parallel (default when the process may
	                       use two CPUs, oa_cpus_available); 1: one after the other */
	/*
	 * Per-file encodings, over csv.encoding; a file is matched by its
	 * path as given or by being the same file.  One that names no input
	 * is an error.  The array must outlive the run.
	 */
	const oa_file_encoding *file_encodings;
	size_t nfile_encodings;
	oa_date today;      /* for the scan dates' check; -1 (default): oa_date_today() */
	bool date_given;    /* the caller sets the stock-take date: a scan dated after today is
	                       then a warning, not an error */
	int date_window;    /* days a scan date may lie from the others' median before it is
	                       warned about and not taken as the stock-take date; default 31 */
} oa_stocktake_options;

void oa_stocktake_options_init(oa_stocktake_options *opt);

typedef struct oa_stocktake oa_stocktake;

/*
 * Reads REGISTER and the NSCANS scan files and reconciles them.  At most
 * one of the paths may be "-" (standard input).  A scan file whose first
 * record names a tag column (by name or alias: tag, 资产编号, Barcode,
 * 条形码, ...) is CSV with a header; otherwise it is a plain list, one tag
 * per line.  A first line holding no comma but a tab or a semicolon sets
 * the file's separator (register and scans alike).  Each file's encoding
 * is detected on its own (or set by opt->file_encodings).  Records whose
 * fields are all empty (Excel's rows of bare commas) are skipped.  Tags
 * are compared after oa_tag_normalise.
 *
 * Errors (file and line filled in): unreadable or malformed input, a
 * register without a tag column, an empty tag, a tag registered twice
 * (naming both lines), no scans at all (every scan file empty, or none),
 * a plain list with a second field, a scan dated after today (unless
 * opt->date_given).  Returns NULL on error.  The paths must outlive the
 * result; free it with oa_stocktake_free.
 *
 * A tag scanned at two different locations is a duplicate whose locations
 * disagree: it is reported as duplicate, neither moved nor relocated.
 */
oa_stocktake *oa_stocktake_run(const char *register_path, const char *const *scan_paths,
                               size_t nscans, const oa_stocktake_options *opt, oa_error *err);
void oa_stocktake_free(oa_stocktake *st);

/*
 * Number of findings with status S.  OA_ST_OK counts the rows found as
 * registered and the disposed ones rightly not found (the ok rows of --all).
 */
size_t oa_stocktake_count(const oa_stocktake *st, oa_st_status s);
/* Number of findings other than ok. */
size_t oa_stocktake_findings(const oa_stocktake *st);

/*
 * The stock-take date: the latest date among the scans' scanned_at cells
 * (a date or date-time), leaving out dates more than opt.date_window days
 * from the median of all of them (those are warnings), or -1 when no scan
 * has one.
 */
oa_date oa_stocktake_date(const oa_stocktake *st);

/*
 * Warnings, in order (the register's first): file and line filled in when
 * known, the message starting with "warning: ".  I < count.
 */
size_t oa_stocktake_nwarnings(const oa_stocktake *st);
const oa_error *oa_stocktake_warning(const oa_stocktake *st, size_t i);

/*
 * Before rewriting the register: -1 with err (naming the register) when
 * more than MAX_SHARE (0..1) of the register's assets that are not
 * disposed would newly be marked missing - a sign of missing scan files,
 * not of missing assets.  Assets registered as lent or in repair never
 * become missing.
 */
int oa_stocktake_check_missing(const oa_stocktake *st, double max_share, oa_error *err);

/* The header of the findings CSV, OA_ST_NCOLS cells. */
enum { OA_ST_NCOLS = 9 };
extern const char *const oa_stocktake_columns[OA_ST_NCOLS];

/*
 * Writes the header and one row per finding (with ALL, an ok row for every
 * register row found as registered, and for disposed ones not scanned).
 * Returns 0, or -1 with err (a row that can no longer be read, or a write
 * error checked through the writer under the name OUT_NAME).
 */
int oa_stocktake_write_findings(oa_stocktake *st, oa_csv_writer *w, bool all,
                                const char *out_name, oa_error *err);

/*
 * Writes the counts per department (register order; findings without a
 * department under "") and status, one column per status, and a last row
 * "total".  Each asset is counted once: a registered asset scanned more
 * than once under its finding (moved, recovered, ...) or else under
 * duplicate, never also under ok; an unregistered tag under surplus or
 * misread however often it was scanned.
 */
int oa_stocktake_write_summary(oa_stocktake *st, oa_csv_writer *w, const char *out_name,
                               oa_error *err);

/*
 * Adds a warning (see oa_stocktake_warning) for each department with
 * missing or moved assets whose notice would reach nobody: a department
 * not in DEPTS (with the closest names there), one without an e-mail
 * address, and the assets without a department.  Call before printing the
 * warnings, when --notices is asked for.
 */
void oa_stocktake_check_recipients(oa_stocktake *st, const oa_departments *depts);

/*
 * Writes into DIR (created if missing) one UTF-8 text file per department
 * that has missing or moved assets: DIR/CODE.txt, CODE from DEPTS (or the
 * department name when it is not in DEPTS), addressed to the head, listing
 * each missing or moved asset with its custodian.  DIR/recipients lists one
 * line per file: "FILE<TAB>EMAIL<TAB>HEAD<TAB>DEPARTMENT", no field empty
 * ("-" stands for an unknown e-mail address or head) and no tab or
 * newline inside a field, so that `IFS=<TAB> read` keeps the columns.
 * DATE is the stock-take date shown in the text; SIGNATURE signs
 * it.  Files of departments without findings are not touched, and not
 * listed.  The files (and DIR when it is made) join SET, uncommitted, to be
 * committed with the run's other outputs (oa_atomic_set_commit); with SET
 * NULL they are committed here, all together.  On error nothing is changed
 * (the caller aborts SET).
 */
int oa_stocktake_write_notices(oa_stocktake *st, const char *dir, const oa_departments *depts,
                               oa_date date, const char *signature, oa_atomic_set *set,
                               oa_error *err);

/*
 * Writes the reconciled register to OUT: every row as read (unknown
 * columns kept), with last_audit set to DATE for every registered asset
 * that was scanned, status set to "missing" (or 丢失) for missing ones and
 * to "in-use" (在用) for recovered ones, and with RELOCATE the location of
 * moved and recovered ones set to where they were found (not of a
 * duplicate whose locations disagree).  Lent and in-repair assets keep
 * their status.  The file keeps the register's style (encoding, BOM, line
 * ends: oa_csv_style) and vocabulary: a status cell written in Chinese
 * gets a Chinese word, an empty one the register's usual language.
 * Columns last_audit and status are added at the end when the register
 * lacks them, named 上次盘点 and 状态 when its header is Chinese.  Running
 * it again on its own output with the same scans writes the same bytes.
 */
int oa_stocktake_write_update(oa_stocktake *st, FILE *out, oa_date date, bool relocate,
                              const char *out_name, oa_error *err);

/*
 * Low-level pieces, exported for the tests.
 *
 * oa_stocktake_hash: the 64-bit hash the join uses (never 0).
 * oa_stocktake_register_status: the kind of a register status cell:
 * OA_ST_DISPOSED (disposed, 报废, 已报废, 处置, 已处置), OA_ST_MISSING (missing,
 * 丢失, 遗失, 盘亏), OA_ST_LENT (lent, 借出, 外借), OA_ST_REPAIR (repair,
 * in-repair, 维修, 维修中, 送修, 修理, 在修), else OA_ST_OK.
 */
unsigned long long oa_stocktake_hash(const char *s, size_t len);
oa_st_status oa_stocktake_register_status(const char *s, size_t len);

#endif
