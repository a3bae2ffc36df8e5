/*
 * docreport.h - what doc-route reports: the documents CSV routed (or the
 * routing explained), the documents just registered, and from the journal
 * the status and log CSVs, the 督办 list with its notices to department
 * heads (one mail file per department, RFC 2047 headers), and the 公文处理笺
 * (slip) of one document as printable text.
 *
 * Writers to an oa_csv_writer or a FILE leave write errors where they
 * happen (oa_csv_writer_check, ferror): the caller checks once at the end.
 * Titles of 绝密 and 机密 documents are withheld unless SHOW_CLASSIFIED
 * (oa_doc_title_shown).
 */
#ifndef OA_DOCREPORT_H
#define OA_DOCREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "date.h"
#include "departments.h"
#include "documents.h"
#include "durable.h"
#include "error.h"
#include "journal.h"
#include "routing.h"

/*
 * How `route` writes a documents CSV routed by RULES.  As CSV (W): the
 * input's columns in their order, the title withheld for classified
 * documents, the columns deadline, lead (主办), co (协办), leader (批办) and
 * circulate (传阅) filled in where the header has them and appended after
 * the others where it has not.  With EXPLAIN, instead, to FP: for each
 * document its number, title and type, which rules matched and why, the
 * routing, and any lead department missing from DEPTS (when DEPTS has
 * any), whose head no notice can reach.
 */
typedef struct oa_route_report {
	const oa_rules *rules;
	const oa_departments *depts; /* may be NULL */
	bool explain, show_classified;
	oa_csv_writer *w;            /* the CSV, unless explain */
	FILE *fp;                    /* the explanation, with explain */
	oa_error *calendar;          /* when not NULL: gets the first computed deadline
	                                in a year the calendar does not know
	                                (oa_calendar_check_range), for a warning */
} oa_route_report;

/*
 * Reads the documents CSV at PATH (as oa_docs_each, with OPT, LIM, CAL,
 * TODAY and DEFAULT_CODE), routes each document and writes it as REP says.
 * -1 with err on bad input or a routing failure; what was written stays.
 */
int oa_docreport_route(const char *path, const oa_csv_options *opt, const oa_doc_limits *lim,
                       const oa_calendar *cal, oa_date today, const char *default_code,
                       const oa_route_report *rep, oa_error *err);

/*
 * What `register` recorded: the header (doc, direction, type, title,
 * deadline, lead, co, leader, circulate) and one row per change, with its
 * assigned_doc and the elements of its newdoc.
 */
void oa_docreport_registered(oa_csv_writer *w, const oa_doc_change *changes, size_t n,
                             bool show_classified);

/*
 * `status`: the header (doc, number, direction, type, title, issuer, ref,
 * urgency, secrecy, received, deadline, lead, co, leader, step, updated,
 * urged, state) and one row per document of J, only those not done when
 * OPEN_ONLY.
 */
void oa_docreport_status(oa_csv_writer *w, const oa_docjournal *j, bool open_only,
                         bool show_classified);

/* `log`: the header (seq, time, doc, step, actor, department, note,
 * number, deadline) and one row per event kept in J; deadline is the new
 * one of 延期 and 重算. */
void oa_docreport_log(oa_csv_writer *w, const oa_docjournal *j);

/*
 * The 督办 list of V[0..n) (from oa_docs_overdue): the header (department,
 * doc, number, title, urgency, deadline, due, days, step, urged) when
 * HEADER, then one row per entry; due is "overdue" or "soon".
 */
void oa_docreport_overdue(oa_csv_writer *w, const oa_overdue *v, size_t n, bool header,
                          bool show_classified);

/*
 * S (UTF-8) as RFC 2047 encoded words ("=?UTF-8?B?...?="), each of at most
 * 45 bytes of whole characters, joined by a folding "\n ".  "" gives "".
 */
void oa_mime_put_encoded_word(FILE *fp, const char *s);

/* What a 督办 notice needs besides the documents. */
typedef struct oa_notice_options {
	const oa_departments *depts; /* addresses the head; may be NULL */
	const char *organisation;    /* signs as "<organisation>办公室"; NULL for "" */
	oa_date as_of;               /* the date the list is for */
	bool show_classified;
} oa_notice_options;

/*
 * The number of entries at the start of V[0..n) (sorted by department, as
 * oa_docs_overdue returns them) that share V[0]'s department; 0 when n is 0.
 */
size_t oa_overdue_group(const oa_overdue *v, size_t n);

/*
 * The path of the notice to department NAME in DIR: "DIR/CODE.txt" with the
 * department's code when DEPT has one, else "DIR/NAME.txt", made a safe and
 * unique file name among NAMES (oa_notice_name).  malloc'd (free it); NULL
 * when out of memory.
 */
char *oa_notice_path(const char *dir, oa_notice_names *names, const oa_department *dept,
                     const char *name);

/*
 * Writes the notice (a mail: To when the department has an e-mail address,
 * Subject, MIME headers, then the text) for V[0..n), which all share one
 * department, to FP.
 */
void oa_notice_write(FILE *fp, const oa_overdue *v, size_t n, const oa_notice_options *opt);

/*
 * Writes one notice per department of V[0..n) into DIR (created when
 * missing), committed all together (oa_atomic_set).  On failure: -1 with
 * err, and no notice is changed (nor DIR left behind when made here).
 */
int oa_notices_write(const char *dir, const oa_overdue *v, size_t n,
                     const oa_notice_options *opt, oa_error *err);
/*
 * The same, but the files (and DIR when made) join SET uncommitted, to be
 * committed with the run's other outputs (oa_atomic_set_commit); on
 * failure the caller aborts SET.
 */
int oa_notices_write_set(const char *dir, const oa_overdue *v, size_t n,
                         const oa_notice_options *opt, oa_atomic_set *set, oa_error *err);

/*
 * The 公文处理笺 of D for printing: its elements, routing, the events
 * EVENTS[0..nevents) (its 办理经过) and its current step.  ORGANISATION
 * (NULL for "") heads the slip.
 */
void oa_docreport_slip(FILE *fp, const oa_doc *d, const oa_doc_event *events, size_t nevents,
                       const char *organisation, bool show_classified);

#endif
