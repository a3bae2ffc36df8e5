/*
 * journal.h - the document journal: every step of every document as one
 * CSV record, appended under a lock and never rewritten.  The state of the
 * documents is derived by reading it from the start.
 *
 * Format (UTF-8, LF, RFC 4180 quoting, one record per line: line breaks in
 * notes are written as spaces).  The first line is the header
 *
 *     seq,time,doc,step,actor,department,note,direction,type,title,issuer,
 *     ref,urgency,secrecy,received,deadline,keywords,code,number,lead,co,
 *     leader,circulate
 *
 * (one line).  seq counts records from 1 without gaps; time is local
 * "YYYY-MM-DD HH:MM"; doc is the document number 1, 2, ... given in order of
 * registration; step is the Chinese step name.  The columns from direction
 * on are filled only by the registering event (签收 or 起草), which carries
 * the document's elements and its routing (lead = 主办, co = 协办, leader =
 * 批办, circulate = 传阅); number is filled only by 登记 with the number it
 * assigned; deadline is filled by 延期 and 重算 with the new deadline.
 * Every other event leaves them empty.  The department of 批办 and 改办,
 * and of 承办 unless it is a 协办 department, becomes the document's lead
 * (改办 must name one).  A registering record whose deadline came from the
 * calendar has the note OA_DOC_DEADLINE_COMPUTED_NOTE.
 *
 * Every read verifies the whole file: the header, contiguous sequence
 * numbers, valid times, known steps, documents registered in order, legal
 * transitions, well-formed elements, and numbers that continue their
 * sequence.  The first damaged record is an error naming the file and line.
 * An incomplete last line (a writer died mid-write, or is writing now) is
 * not part of the journal: readers ignore it and the next writer drops it.
 */
#ifndef OA_JOURNAL_H
#define OA_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "documents.h"
#include "error.h"
#include "numbering.h"

#define OA_JOURNAL_NCOLS 23
extern const char *const oa_journal_header[OA_JOURNAL_NCOLS];

/* One event, as kept for `log` and `slip`. */
typedef struct oa_doc_event {
	long seq;
	long doc;
	oa_doc_step step;
	char time[20];
	char *actor, *department, *note, *number; /* owned */
	char deadline[11];     /* the new deadline of 延期 and 重算, else "" */
} oa_doc_event;

typedef struct oa_docjournal {
	char *path;
	oa_doc *docs;          /* docs[i].id == i + 1 */
	size_t ndocs, cap;
	long last_seq;         /* records read */
	oa_counters counters;  /* numbers given so far */
	oa_doc_event *events;  /* the events kept (see oa_docjournal_load) */
	size_t nevents, events_cap;
} oa_docjournal;

/*
 * Reads and verifies the journal at PATH.  A missing or empty file is an
 * empty journal.  Events of document KEEP_DOC are kept in j->events (0: none,
 * -1: every event).  Release with oa_docjournal_release, also after failure.
 */
int oa_docjournal_load(oa_docjournal *j, const char *path, long keep_doc, oa_error *err);
void oa_docjournal_release(oa_docjournal *j);

/* The document with id ID, or NULL. */
oa_doc *oa_docjournal_doc(const oa_docjournal *j, long id);
/*
 * The document named by TEXT: its id ("12") or its number (发文字号 or
 * 收文编号).  NULL when there is none.
 */
oa_doc *oa_docjournal_find(const oa_docjournal *j, const char *text);

/*
 * The id of the document named TEXT (oa_docjournal_find) in the journal at
 * PATH, or -1 with err (a bad journal, or "no document \"TEXT\"" naming
 * PATH).
 */
long oa_docjournal_resolve(const char *path, const char *text, oa_error *err);

/*
 * Loads the journal at PATH keeping the events of the document named TEXT
 * and returns that document (in J), or NULL with err as for
 * oa_docjournal_resolve.  Release J with oa_docjournal_release, also after
 * failure.
 */
oa_doc *oa_docjournal_load_doc(oa_docjournal *j, const char *path, const char *text,
                               oa_error *err);

/* A step to record. */
typedef struct oa_doc_change {
	long doc;              /* the document; ignored when newdoc is set */
	oa_doc *newdoc;        /* registers this document (elements, routing) */
	oa_doc_step step;      /* for newdoc: 签收 or 起草 is implied when NONE */
	oa_minute time;
	const char *actor, *department, *note; /* NULL for "" */
	bool has_deadline;     /* 延期, 重算: the new deadline */
	oa_date deadline;
	/* Filled by oa_docjournal_record: */
	long assigned_doc;     /* the document's id */
	long seq;
	char number[256];      /* the number 登记 assigned, else "" */
} oa_doc_change;

typedef struct oa_docjournal_options {
	const char *incoming_code; /* code of 收文编号, default "收文" */
	int lock_timeout_ms;
	const char *who;           /* program name for the lock holder line */
} oa_docjournal_options;

/*
 * Records CHANGES, in order, all or none: takes the journal's lock, opens it
 * (creating it mode 0600 with the header; dropping a torn last line), reads
 * and verifies it, checks that every change is legal after the ones before
 * it, assigns document ids, sequence numbers and (for 登记) numbers, and
 * appends all records with one write and fsync.  An illegal step is an error
 * ("document 3 is at 登记; 办结 may not follow (next: 初审)") and the journal
 * is not touched.
 */
int oa_docjournal_record(const char *path, oa_doc_change *changes, size_t n,
                         const oa_docjournal_options *opt, oa_error *err);

#endif
