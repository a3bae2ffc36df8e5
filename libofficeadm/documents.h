/*
 * documents.h - official documents (公文): their elements, the fifteen
 * types of the 《党政机关公文处理工作条例》, the processing steps and the
 * legal transitions between them, deadlines, and the documents CSV.
 *
 * The steps follow the 《党政机关公文处理工作条例》 (2012), articles 24-25,
 * with the returns and optional steps of common practice.  Incoming (收文):
 *     签收 -> 登记 -> [初审] -> [拟办] -> [批办 ...] -> 承办 ... -> [答复] -> 办结 -> 归档
 *     退回 (to the sender: an end) after 签收, 登记 or 初审;
 *     传阅 of a document to be read only, after 登记, 初审, 拟办 or 批办;
 *     改办 (another department takes it over) after 拟办, 批办 or 承办.
 * Outgoing (发文):
 *     起草 -> 审核 [-> 审核 ...] -> 签发 -> 复核 -> 登记 -> 印制 -> 核发 -> 归档
 *     with a return to 起草 from 审核, 签发 or 复核, directly or through
 *     退回, and 复核 -> 签发 (substantive change).
 * The full table is oa_step_legal's (and doc-route(1)'s).  Events that do
 * not change the state may be recorded at any step of a registered
 * document that is not done: 催办 (a chase), 延期 (an extension: a new,
 * later deadline and a reason) and 重算 (the deadline recomputed after the
 * calendar changed).  批办 and 改办 with a department, and 承办 with a
 * department that is not a 协办 one, make it the lead (主办).  The first
 * step (签收 or 起草) registers the document and carries its elements.
 */
#ifndef OA_DOCUMENTS_H
#define OA_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "columns.h"
#include "config.h"
#include "csv.h"
#include "date.h"
#include "error.h"

typedef enum oa_doc_direction {
	OA_DOC_IN = 0,  /* 收文 */
	OA_DOC_OUT = 1, /* 发文 */
} oa_doc_direction;

typedef enum oa_doc_step {
	OA_STEP_NONE = 0, /* not registered yet */
	OA_STEP_RECEIVED, /* 签收 */
	OA_STEP_REGISTERED, /* 登记 (both directions: assigns the number) */
	OA_STEP_SCREENED, /* 初审 */
	OA_STEP_RETURNED, /* 退回 */
	OA_STEP_PROPOSED, /* 拟办 */
	OA_STEP_INSTRUCTED, /* 批办 */
	OA_STEP_HANDLED, /* 承办 */
	OA_STEP_CIRCULATED, /* 传阅 */
	OA_STEP_COMPLETED, /* 办结 */
	OA_STEP_ARCHIVED, /* 归档 */
	OA_STEP_DRAFTED, /* 起草 */
	OA_STEP_REVIEWED, /* 审核 */
	OA_STEP_SIGNED, /* 签发 */
	OA_STEP_CHECKED, /* 复核 */
	OA_STEP_PRINTED, /* 印制 */
	OA_STEP_ISSUED, /* 核发 */
	OA_STEP_REASSIGNED, /* 改办: another lead department */
	OA_STEP_REPLIED, /* 答复: the result told to the sender */
	/* Events, never states: */
	OA_STEP_URGED, /* 催办 */
	OA_STEP_EXTENDED, /* 延期: a later deadline, with a reason */
	OA_STEP_RECOMPUTED, /* 重算: the deadline recomputed on the calendar */
	OA_STEP_COUNT
} oa_doc_step;

/* True for 催办, 延期 and 重算: recorded, but the state stays. */
bool oa_step_is_event(oa_doc_step step);
/* True when STEP with a department names the lead: 批办 and 改办 always,
 * 承办 unless DEPARTMENT is one of the document's co departments. */
struct oa_doc;
bool oa_step_sets_lead(const struct oa_doc *doc, oa_doc_step step, const char *department,
                       size_t len);

typedef enum oa_urgency {
	OA_URGENCY_NONE = 0,
	OA_URGENCY_URGENT,    /* 加急 */
	OA_URGENCY_IMMEDIATE, /* 特急 */
} oa_urgency;

typedef enum oa_secrecy {
	OA_SECRECY_NONE = 0,
	OA_SECRECY_CONFIDENTIAL, /* 秘密 */
	OA_SECRECY_SECRET,       /* 机密 */
	OA_SECRECY_TOP_SECRET,   /* 绝密 */
} oa_secrecy;

#define OA_DOC_NTYPES 15
/* The fifteen types in the order of the regulations (Chinese). */
extern const char *const oa_doc_types[OA_DOC_NTYPES];

/* Step names: Chinese (canonical, written to the journal) and English. */
const char *oa_step_name(oa_doc_step step);
const char *oa_step_english(oa_doc_step step);
/*
 * The step named S[0..len) in Chinese or English (any ASCII case), or
 * OA_STEP_NONE when unknown.
 */
oa_doc_step oa_step_parse(const char *s, size_t len);

/*
 * True when STEP may follow state CUR for a document of direction DIR.
 * CUR is OA_STEP_NONE for a document not yet registered: then only 签收
 * (incoming) or 起草 (outgoing) is legal.  The events (催办, 延期, 重算)
 * are legal at any state that is registered and not done.
 */
bool oa_step_legal(oa_doc_direction dir, oa_doc_step cur, oa_doc_step step);
/* True when a document in state CUR needs no more work (办结, 退回, 核发, 归档). */
bool oa_step_done(oa_doc_direction dir, oa_doc_step cur);
/* The steps legal after CUR, as a comma-separated Chinese list in BUF. */
void oa_step_legal_list(oa_doc_direction dir, oa_doc_step cur, char *buf, size_t cap);

/*
 * Parsers for the document elements, each taking s[0..len) trimmed of
 * ASCII spaces by the caller or not (they trim).  0, or -1 when invalid.
 *   direction: in, 收文, 收 / out, 发文, 发
 *   type: one of the fifteen, or its English name (resolution, decision,
 *         order, communique, announcement, circular, opinion, notice,
 *         bulletin, report, request, reply, motion, letter, minutes)
 *   urgency: 特急/immediate, 加急/urgent, ""/无/none/普通/平件
 *   secrecy: text starting 绝密/机密/秘密 (so "机密★1年" works) or
 *         top-secret/secret/confidential; ""/无/none/普通/公开 for none
 */
int oa_doc_parse_direction(const char *s, size_t len, oa_doc_direction *out);
int oa_doc_parse_type(const char *s, size_t len, int *type);
int oa_doc_parse_urgency(const char *s, size_t len, oa_urgency *out);
int oa_doc_parse_secrecy(const char *s, size_t len, oa_secrecy *out);
const char *oa_urgency_name(oa_urgency u);   /* "特急", "加急", "" */
const char *oa_secrecy_name(oa_secrecy s);   /* "绝密", "机密", "秘密", "" */
const char *oa_direction_name(oa_doc_direction d); /* "收文" / "发文" */

/* A document as known from its register event and the later steps. */
typedef struct oa_doc {
	long id;                 /* 1, 2, ... in order of registration */
	oa_doc_direction direction;
	int type;                /* index into oa_doc_types */
	oa_urgency urgency;
	oa_secrecy secrecy;
	oa_date received;        /* 收文日期 (incoming) or 起草日期 (outgoing) */
	oa_date deadline;        /* 办理期限, explicit or computed */
	oa_doc_step step;        /* current state */
	long urged;              /* number of 催办 events */
	char updated[20];        /* time of the last event, "YYYY-MM-DD HH:MM" */
	/* Strings: NUL-terminated, "" when absent; owned by the document. */
	char *title, *issuer, *ref, *secrecy_text, *keywords;
	char *code;              /* 机关代字 used for numbering */
	char *number;            /* 发文字号 or 收文编号, once 登记 happened */
	char *lead, *co, *leader, *circulate; /* routing (co, circulate: "a, b") */
	char *lead_owned;        /* the lead a later step set (lead points to it), or NULL */
	bool deadline_computed;  /* from the calendar, not given (重算 may redo it) */
	long extended;           /* number of 延期 events */
	oa_date done_on;         /* date of 办结 or 核发, when done so */
	long line;               /* its line in the documents CSV; 0 from the journal */
	/* When not NULL, every string but number lives in this one block
	 * (the journal reader allocates so); otherwise each is malloc'd. */
	char *block;
} oa_doc;

void oa_doc_release(oa_doc *doc);

/*
 * The title as it may be shown: for 绝密 and 机密 documents a placeholder
 * ("（密件，标题不予显示）") unless SHOW_CLASSIFIED.  Valid while doc lives.
 */
const char *oa_doc_title_shown(const oa_doc *doc, bool show_classified);
#define OA_DOC_TITLE_WITHHELD "（密件，标题不予显示）"
/* True for 绝密 and 机密. */
bool oa_doc_classified(const oa_doc *doc);
/* True when DOC was done (办结, 核发) after its deadline: 超期办结. */
bool oa_doc_done_late(const oa_doc *doc);
/*
 * The note the registering record of a document whose deadline came from
 * the calendar carries, so that `doc-route recompute` knows which ones to
 * recompute after the calendar changed.
 */
#define OA_DOC_DEADLINE_COMPUTED_NOTE "期限按工作日历计算"

/* Working days allowed by urgency: [doc-route] deadline_immediate (1),
 * deadline_urgent (3), deadline_normal (7). */
typedef struct oa_doc_limits {
	long days[3]; /* by oa_urgency */
} oa_doc_limits;
int oa_doc_limits_load(oa_doc_limits *lim, const oa_config *cfg, oa_error *err);
/* RECEIVED plus the working days for URGENCY, on CAL. */
oa_date oa_doc_deadline(const oa_doc_limits *lim, const oa_calendar *cal,
                        oa_date received, oa_urgency urgency);

/* ---- the documents CSV ---- */

/*
 * A date as a spreadsheet writes it: YYYY-MM-DD, or with the month and day
 * unpadded and '/', '-' or '.' between (Excel's 2026/1/5), or 2026年1月5日;
 * a time after it (2026/1/5 9:30) is ignored.  The year comes first, so
 * none of these is ambiguous.  0, or -1 when invalid (2026/2/30 too).
 */
int oa_doc_parse_date(const char *s, size_t len, oa_date *out);

/*
 * Dates of a document just read that look like slips of the keyboard:
 * received after REGISTERED (the day it is registered), or a deadline more
 * than a year after the date received.  -1 with err (FILE, the document's
 * line) saying which, for a warning; 0 when neither.
 */
int oa_doc_check_dates(const oa_doc *doc, const char *file, oa_date registered,
                       oa_error *err);

enum oa_doc_column {
	OA_DC_DIRECTION, OA_DC_TYPE, OA_DC_TITLE, OA_DC_ISSUER, OA_DC_REF,
	OA_DC_URGENCY, OA_DC_SECRECY, OA_DC_RECEIVED, OA_DC_DEADLINE,
	OA_DC_KEYWORDS, OA_DC_CODE,
	/* Routing a sheet may already carry (doc-route route writes them):
	 * given, they take the place of what the rules would say. */
	OA_DC_LEAD, OA_DC_CO, OA_DC_LEADER, OA_DC_CIRCULATE,
	OA_DC_NCOLS
};
extern const oa_column oa_doc_columns[OA_DC_NCOLS];

/*
 * Reads a documents CSV (header with the columns above; type and title
 * required; direction defaults to in) into a malloc'd array of documents
 * with id 0 and step OA_STEP_NONE.  received defaults to TODAY; deadline,
 * when not given, is computed with LIM and CAL; code defaults to
 * DEFAULT_CODE for outgoing documents; lead, co, leader and circulate are
 * the sheet's (oa_rules_route keeps those given).  Dates may be written as
 * oa_doc_parse_date reads them.  A row whose cells are all empty (a
 * spreadsheet's bare commas) is skipped.  Any bad row is an error naming the
 * file and line, and nothing is returned: among them a title that is the
 * placeholder OA_DOC_TITLE_WITHHELD (a route output registered in place of
 * the original sheet would lose the real title).  Free with oa_docs_free.
 */
int oa_docs_read(const char *path, const oa_csv_options *opt, const oa_doc_limits *lim,
                 const oa_calendar *cal, oa_date today, const char *default_code,
                 oa_doc **docs, size_t *count, oa_error *err);
void oa_docs_free(oa_doc *docs, size_t count);

/*
 * The streaming form of oa_docs_read, for commands that write each row out
 * again: calls EACH once for the header (doc NULL, the reader on the header
 * row) and then for every row, with the document just read and the reader
 * on its row, so that the row's other columns can be carried through.
 * INDEX maps oa_doc_columns onto the header (-1 when absent).  The document
 * is released after EACH returns; to keep it, copy the struct and clear
 * *doc.  EACH returns 0 to go on or -1 (with err filled) to stop.
 */
typedef int (*oa_doc_each)(void *ctx, oa_doc *doc, const oa_csv_reader *r, const int *index,
                           oa_error *err);
int oa_docs_each(const char *path, const oa_csv_options *opt, const oa_doc_limits *lim,
                 const oa_calendar *cal, oa_date today, const char *default_code,
                 oa_doc_each each, void *ctx, oa_error *err);

/*
 * Where a document stands on AS_OF: OA_DUE_OVERDUE when it is registered,
 * not done, and its deadline is before AS_OF; OA_DUE_SOON when not done and
 * the deadline is AS_OF or later but not after SOON_UNTIL (the caller
 * computes it once, e.g. oa_calendar_add_workdays(cal, as_of, n); a date
 * before AS_OF means never); else OA_DUE_OK.
 */
typedef enum oa_due { OA_DUE_OK = 0, OA_DUE_SOON, OA_DUE_OVERDUE } oa_due;
oa_due oa_doc_due(const oa_doc *doc, oa_date as_of, oa_date soon_until);

/* One line of the 督办 list. */
typedef struct oa_overdue {
	const oa_doc *doc;      /* points into the array given */
	const char *department; /* the lead department, or OA_DOC_UNASSIGNED */
	oa_due due;             /* OA_DUE_OVERDUE or OA_DUE_SOON */
	long days;              /* working days late (after the deadline, up to
	                           AS_OF), or left (after AS_OF, up to it) */
} oa_overdue;
#define OA_DOC_UNASSIGNED "（未分派）"

/*
 * The documents of DOCS[0..n) that are overdue on AS_OF or, when SOON >= 0,
 * due within SOON working days, sorted by department (byte order), overdue
 * before soon, then by deadline and id.  *out is malloc'd (free it; NULL
 * when none).  Returns the count, or -1 when out of memory.
 */
long oa_docs_overdue(const oa_doc *docs, size_t n, const oa_calendar *cal, oa_date as_of,
                     int soon, oa_overdue **out, oa_error *err);

#endif
