/*
 * columns.c - mapping a header row onto known columns, and the register and
 * stock-take column tables of DESIGN.md.  See columns.h.
 */
#include "columns.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

const oa_column oa_register_columns[OA_REG_NCOLS] = {
	[OA_REG_TAG] = { "tag", "资产编号|标签号|编号|资产标签" },
	[OA_REG_NAME] = { "name", "资产名称|名称" },
	[OA_REG_CATEGORY] = { "category", "资产类别|类别|分类" },
	[OA_REG_CLASS] = { "class", "资产类型" },
	/* (元) is （元） as well: headers are compared folded (utf8.h). */
	[OA_REG_VALUE] = { "value", "原值|金额|价格|原值(元)|金额(元)|资产原值|账面原值|原价|价值(元)" },
	[OA_REG_ACQUIRED] = { "acquired", "购置日期|取得日期" },
	[OA_REG_LIFE] = { "life", "使用年限" },
	[OA_REG_DEPARTMENT] = { "department",
		                "使用部门|保管单位|部门|所属部门|使用单位|管理部门|归属部门|所在部门" },
	[OA_REG_CUSTODIAN] = { "custodian", "责任人|保管人|使用人|领用人|负责人" },
	[OA_REG_LOCATION] = { "location",
		              "存放地点|位置|地点|存放位置|所在位置|所在地点|放置地点|使用地点|存放地址" },
	[OA_REG_STATUS] = { "status", "状态|使用状态|资产状态" },
	[OA_REG_LAST_AUDIT] = { "last_audit", "上次盘点|盘点日期|上次盘点日期|最近盘点" },
	[OA_REG_NOTE] = { "note", "备注" },
};

/* A row number, as spreadsheets number their rows. */
const oa_column oa_rowno_column = { "no", "序号|行号|no.|#" };

/* asset-tag: a purchase list's quantity and unit price (issue 12 item 11). */
const oa_column oa_purchase_columns[OA_PURCHASE_NCOLS] = {
	[OA_PURCHASE_QUANTITY] = { "quantity", "数量|数目|qty" },
	[OA_PURCHASE_UNIT_PRICE] = { "unit_price", "单价" },
};

const oa_column oa_scan_columns[OA_SCAN_NCOLS] = {
	[OA_SCAN_TAG] = { "tag",
		          "资产编号|标签号|编号|资产标签|条码|条形码|条码号|资产条码|barcode|asset_tag" },
	[OA_SCAN_LOCATION] = { "location",
		               "存放地点|位置|地点|盘点地点|盘点位置|存放位置|所在位置|实际位置|实际地点|"
		               "扫描地点|扫描位置" },
	[OA_SCAN_SCANNED_BY] = { "scanned_by", "盘点人|扫描人|操作员|操作人" },
	[OA_SCAN_SCANNED_AT] = { "scanned_at", "盘点时间|扫描时间|盘点日期|扫描日期" },
};

/*
 * Drops the '_' that folding made of spaces and hyphens: official forms
 * space out short headers ("标　　题", "文 种"), and "unit price",
 * "unit-price" and "unit_price" are one name.
 */
static void
drop_separators(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++)
		if (*s != '_')
			*w++ = *s;
	*w = '\0';
}

int
oa_column_matches(const oa_column *col, const char *text, size_t len)
{
	char folded[256];
	char alias[256];
	size_t n = oa_utf8_fold(text, len, folded, sizeof folded, OA_FOLD_SEPARATORS);
	const char *a, *bar;

	if (n == 0)
		return 0;
	drop_separators(folded);
	oa_utf8_fold(col->name, strlen(col->name), alias, sizeof alias, OA_FOLD_SEPARATORS);
	drop_separators(alias);
	if (strcmp(folded, alias) == 0)
		return 1;
	for (a = col->aliases; a != NULL && *a != '\0'; a = bar ? bar + 1 : NULL) {
		bar = strchr(a, '|');
		size_t alen = bar ? (size_t)(bar - a) : strlen(a);
		oa_utf8_fold(a, alen, alias, sizeof alias, OA_FOLD_SEPARATORS);
		drop_separators(alias);
		if (strcmp(folded, alias) == 0)
			return 1;
		if (bar == NULL)
			break;
	}
	return 0;
}


int
oa_columns_map(oa_csv_reader *r, const oa_column *cols, size_t ncols, uint64_t required,
               int *index, oa_error *err)
{
	size_t width = oa_csv_nfields(r);

	for (size_t i = 0; i < ncols; i++)
		index[i] = -1;
	for (size_t h = 0; h < width; h++) {
		const char *text = oa_csv_field(r, h);
		size_t len = oa_csv_field_len(r, h);
		for (size_t i = 0; i < ncols; i++) {
			if (!oa_column_matches(&cols[i], text, len))
				continue;
			if (index[i] >= 0)
				return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
				                    "columns %d (%.*s) and %zu (%.*s) both name \"%s\"",
				                    index[i] + 1, oa_utf8_cut48(oa_csv_field(r, (size_t)index[i])),
				                    oa_csv_field(r, (size_t)index[i]), h + 1, oa_utf8_cut48(text),
				                    text, cols[i].name);
			index[i] = (int)h;
			break;
		}
	}
	for (size_t i = 0; i < ncols && i < 64; i++) {
		if (!(required & OA_BIT(i)) || index[i] >= 0)
			continue;
		char found[512];
		size_t used = 0;
		found[0] = '\0';
		for (size_t h = 0; h < width && used + 4 < sizeof found; h++) {
			int k = snprintf(found + used, sizeof found - used, "%s%s", h ? "," : "",
			                 oa_csv_field(r, h));
			if (k < 0 || (size_t)k >= sizeof found - used) {
				snprintf(found + sizeof found - 5, 5, "...");
				break;
			}
			used += (size_t)k;
		}
		/* The names that would have been taken, so the fix is a rename. */
		char names[512];
		size_t nu = (size_t)snprintf(names, sizeof names, "%s", cols[i].name);
		for (const char *a = cols[i].aliases; a != NULL && *a != '\0' && nu < sizeof names;) {
			const char *bar = strchr(a, '|');
			int alen = bar ? (int)(bar - a) : (int)strlen(a);
			int k = snprintf(names + nu, sizeof names - nu, ", %.*s", alen, a);
			if (k < 0)
				break;
			nu += (size_t)k;
			a = bar ? bar + 1 : NULL;
		}
		/* One cell holding tabs or semicolons: another separator. */
		const char *sep = width != 1 ? NULL
		                  : strchr(oa_csv_field(r, 0), '\t') ? "tabs"
		                  : strchr(oa_csv_field(r, 0), ';') ? "semicolons" : NULL;
		return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
		                    "missing required column \"%s\" (accepted names: %s; header "
		                    "found: %s)%s%s%s", cols[i].name, names, width ? found : "(empty)",
		                    sep ? ": the header is one cell with " : "", sep ? sep : "",
		                    sep ? " in it: save the file as CSV with commas (逗号分隔)" : "");
	}
	/* The header names the fields in the reader's messages from now on. */
	return oa_csv_reader_set_header(r, err);
}
