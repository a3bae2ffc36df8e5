/*
 * settings.c - every section and key the toolkit reads from officeadm.ini.
 *
 * oa_config_check warns about anything not listed here, so a typo such as
 * "treshold" is reported instead of silently ignored.  Keep this table, the
 * code that reads each setting, and officeadm.ini(5) in step.  Key "*"
 * marks a table section whose keys are data (department names, rule names).
 */
#include "config.h"

#include <stddef.h>

const oa_setting oa_settings[] = {
	/* BEGIN foundation */
	{ "general", "organisation" },
	{ "general", "encoding" },
	{ "general", "max_field" },
	{ "general", "lock_timeout" },
	{ "calendar", "workdays" },
	{ "calendar", "hours" },
	{ "calendar", "holidays" },
	{ "calendar", "extra_workdays" },
	{ "calendar", "timezone" },
	{ "departments", "*" },
	/* END foundation */
	/* BEGIN asset-tag */
	{ "assets", "threshold" },
	{ "assets", "tag_pattern" },
	{ "assets", "department_code" },
	{ "assets", "category_code" },
	{ "assets", "life" },
	{ "categories", "*" },
	{ "labels", "template" },
	{ "labels", "barcode" },
	{ "labels", "font" },
	{ "labels", "url" },
	{ "labels", "dpi" },
	{ "labels", "zpl_font" },
	{ "labels", "zpl_dpi" },
	{ "labels", "width" },
	{ "labels", "height" },
	{ "labels", "columns" },
	{ "labels", "rows" },
	{ "labels", "page_width" },
	{ "labels", "page_height" },
	{ "labels", "left" },
	{ "labels", "top" },
	{ "labels", "hgap" },
	{ "labels", "vgap" },
	/* END asset-tag */
	/* BEGIN inventory-diff */
	{ "stocktake", "relocate" },
	{ "stocktake", "signature" },
	{ "stocktake", "max_missing_share" },
	{ "stocktake", "date_window" },
	/* END inventory-diff */
	/* BEGIN doc-route */
	{ "doc-route", "journal" },
	{ "doc-route", "future_minutes" },
	{ "doc-route", "code" },
	{ "doc-route", "incoming_code" },
	{ "doc-route", "deadline_immediate" },
	{ "doc-route", "deadline_urgent" },
	{ "doc-route", "deadline_normal" },
	{ "doc-route.rules", "*" },
	/* END doc-route */
	/* BEGIN meeting-sched */
	{ "meetings", "grain" },
	{ "meetings", "buffer" },
	{ "meetings", "horizon" },
	{ "meetings", "organizer" },
	{ "meetings", "weight_unplaced" },
	{ "meetings", "weight_optional" },
	{ "meetings", "weight_late" },
	{ "meetings", "weight_room" },
	{ "meetings", "move_cost" },
	{ "meetings", "search_seconds" },
	{ "meetings", "max_window" },
	{ "meetings", "span_breaks" },
	{ "meetings", "uid_domain" },
	{ "rooms", "*" },
	/* END meeting-sched */
	/* BEGIN asset-log */
	{ "asset-log", "register" },
	{ "asset-log", "journal" },
	{ "depreciation", "basis" },
	{ "depreciation", "method" },
	{ "depreciation", "residual_rate" },
	{ "depreciation", "start" },
	{ "depreciation.lives", "*" },
	/* END asset-log */
	{ NULL, NULL },
};
