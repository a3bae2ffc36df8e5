/*
 * depreciation.h - monthly depreciation of fixed assets (折旧).
 *
 * Two bases, from the config:
 *
 *     [depreciation]
 *     basis         = government   ; or enterprise
 *     method        = straight-line ; double-declining, sum-of-years (enterprise)
 *     residual_rate = 0            ; 预计净残值率, 0 .. 0.5 (enterprise only)
 *     start         = same-month   ; or next-month
 *     [depreciation.lives]
 *     计算机设备 = 6                ; category = useful life in years
 *
 * government (政府会计准则第3号——固定资产, for administrative and public
 * institutions): straight-line (年限平均法) only, no residual value (the
 * standard says 计提折旧时不考虑预计净残值), and depreciation from the month
 * the asset is added and not in the month it leaves (当月增加当月计提，当月
 * 减少当月不提); the standard useful lives of its application guide
 * (财会〔2017〕4号, table 1) are built in for the categories that have none
 * in [depreciation.lives].  enterprise (企业会计准则第4号——固定资产):
 * straight-line, double-declining-balance (双倍余额递减法) or
 * sum-of-years'-digits (年数总和法), a residual value rate, and depreciation
 * from the month after the asset is added and still in the month it leaves
 * (当月增加当月不提，从下月起计提；当月减少当月照提, the standard's
 * application guide).  start overrides the month convention of either.
 *
 * Low-value items (低值易耗品) are not depreciated.  An asset's life is its
 * register row's life column, else [depreciation.lives] for its category,
 * else (government) the built-in table, else [categories], else [assets]
 * life.
 *
 * Amounts are in fen (integers).  Straight-line: the depreciable amount
 * (cost less residual) over life × 12 months, each month the amount
 * rounded half up to the fen, and the last month what is left, so the
 * months add up to the depreciable amount exactly.  The declining methods
 * compute each year's amount (rounded to the fen) and spread it over its
 * twelve months the same way; double-declining switches to straight-line
 * over the last two years (book value less residual, halved), as the
 * enterprise standard's guide prescribes.
 */
#ifndef OA_DEPRECIATION_H
#define OA_DEPRECIATION_H

#include <stdbool.h>
#include <stddef.h>

#include "assetjournal.h"
#include "assetregister.h"
#include "assets.h"
#include "config.h"
#include "csv.h"
#include "error.h"

typedef enum oa_dep_basis { OA_DEP_GOVERNMENT, OA_DEP_ENTERPRISE } oa_dep_basis;
typedef enum oa_dep_method {
	OA_DEP_STRAIGHT_LINE, OA_DEP_DOUBLE_DECLINING, OA_DEP_SUM_OF_YEARS
} oa_dep_method;

/* "straight-line", "double-declining", "sum-of-years". */
const char *oa_dep_method_name(oa_dep_method m);
/* Those names, or 年限平均法 直线法 双倍余额递减法 年数总和法; -1 when unknown. */
int oa_dep_method_parse(const char *s, oa_dep_method *out);

typedef struct oa_dep_settings {
	oa_dep_basis basis;
	oa_dep_method method;
	int residual_permille;   /* residual value rate in 0.1 % (50 = 5 %) */
	bool next_month;         /* start the month after acquisition */
	char **names;            /* [depreciation.lives] */
	long *lives;
	size_t nlives;
	oa_asset_settings assets; /* [categories], [assets] threshold and life */
} oa_dep_settings;

/*
 * Reads [depreciation], [depreciation.lives] and the asset settings.  A
 * method or residual rate the government basis does not allow is an
 * error naming the key.  Release with oa_dep_settings_release.
 */
int oa_dep_settings_load(oa_dep_settings *s, const oa_config *cfg, oa_error *err);
void oa_dep_settings_release(oa_dep_settings *s);

/*
 * A life cell as an office writes it: whole years ("6", "6.00", "6年",
 * "6 年") or months that make whole years ("72月", "72个月"), since a plan
 * runs over whole years (the declining methods by year).  Spaces around
 * are allowed.  0 and *years (1 to 100); -1 for anything else, "6.5",
 * "18个月", "0" and "" included.
 */
int oa_dep_life_parse(const char *s, size_t len, long *years);

/* The useful life in years for CATEGORY when the row gives none; 0 when unknown. */
long oa_dep_category_life(const oa_dep_settings *s, const char *category);

/* One asset's plan. */
typedef struct oa_dep_plan {
	oa_dep_method method;
	long long cost, residual;  /* fen */
	int years;
	int start;                 /* month number (year * 12 + month - 1) of the first month */
} oa_dep_plan;

/*
 * The plan for an asset of COST fen, LIFE years, acquired on ACQUIRED,
 * under S (residual rounded half up to the fen).  -1 when life < 1.
 */
int oa_dep_plan_make(const oa_dep_settings *s, long long cost, long life, oa_date acquired,
                     oa_dep_plan *p);
/* The depreciation of the plan's month number MONTH (0 outside its life). */
long long oa_dep_month_amount(const oa_dep_plan *p, int month);

/* A month number from a date, and from "YYYY-MM" (-1 when malformed). */
int oa_month_of(oa_date d);
int oa_month_parse(const char *s);
/* "YYYY-MM" into BUF (8 bytes). */
void oa_month_format(int month, char *buf);

/* What a run left out, for the command's warnings. */
typedef struct oa_dep_counts {
	size_t assets;             /* fixed assets with a schedule */
	size_t low_value;          /* not depreciated */
	size_t no_life;            /* no life anywhere: left out */
	size_t bad_life;           /* a life cell that is no life (oa_dep_life_parse): left out */
	long bad_life_line;        /* the first one's register line, */
	char bad_life_tag[64];     /* its tag */
	char bad_life_text[64];    /* and its cell (cut at a character) */
	size_t no_date;            /* no or bad acquisition date: left out */
	size_t disposed_undated;   /* disposed, no disposal date in the journal: left out */
	/* The register line of the first asset of each of the last three. */
	long no_life_line, no_date_line, disposed_undated_line;
	size_t no_value;           /* a fixed asset with an empty value cell: left out */
	long no_value_line;
	/* government: a life cell shorter than the guide's least for the
	 * category (财会〔2017〕4号 table 1), used as written */
	size_t short_life;
	long short_life_line, short_life_years, short_life_least;
	char short_life_tag[64], short_life_category[64];
	/* government: fixed assets whose category neither the guide nor
	 * [depreciation.lives] names, so no least life can be checked */
	size_t unchecked;
	long unchecked_line;
	char unchecked_category[64];
} oa_dep_counts;

/* The least useful life the government guide sets for CATEGORY, 0 when it names none. */
long oa_dep_government_life(const char *category);

/*
 * Writes the schedule for the months FROM..TO (month numbers), each asset
 * in the department it belonged to at the end of the month (the
 * register's, unless a later transfer in J moved it from another): with
 * BY_DEPARTMENT one row per department and month, "department,month,assets,depreciation,accumulated,net_value";
 * else one row per asset and month it is held in,
 * "tag,name,department,category,method,month,depreciation,accumulated,
 * net_value".  Disposal dates come from J (may be NULL).  A bad value cell
 * is an error naming the register line; a bad life cell leaves that asset
 * out (counted in COUNTS, the first one named there).
 */
int oa_depreciation_write(const oa_register *reg, const oa_assetjournal *j,
                          const oa_dep_settings *s, int from, int to, bool by_department,
                          oa_csv_writer *w, const char *out_name, oa_dep_counts *counts,
                          oa_error *err);

#endif
