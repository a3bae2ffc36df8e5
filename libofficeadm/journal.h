/*
 * journal.h - the document journal: every step of every document as one
 * CSV record, appended under a lock and never rewritten.  The state of the
 * documents is derived by reading it from the start.
 *
 * Format (UTF-8, LF, RFC 4180 quoting, one record per line).  The first
 * line is the header
 *
 *     seq,time,doc,step,actor,department,note,direction,type,title,issuer,
 *     ref,urgency,secrecy,received,deadline,keywords,code,number,lead,co,
 *     leader,circulate,chain
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
 * calendar has the note OA_DOC_DEADLINE_COMPUTED_NOTE.  chain is the hash
 * chain of chain.h: SHA-256 over the previous record's chain value and this
 * record's bytes, so that any change to a record breaks it.
 *
 * One validation for both sides.  A field holds valid UTF-8 without control
 * characters (U+0000-U+001F, U+007F-U+009F), at most OA_JOURNAL_MAX_FIELD
 * bytes; the writer turns tab, CR and LF into spaces first and refuses
 * anything else the reader would reject, so that what is written reads back
 * identically.  The same function (apply) checks each record's meaning for
 * the reader and for the writer.
 *
 * Every read verifies the whole file: the header, the chain of every line,
 * encoding, contiguous sequence numbers, valid times, known steps, documents
 * registered in order, legal transitions, well-formed elements, and numbers
 * that continue their sequence.  The first damaged record is an error naming
 * the file, line and column (never the text of the field: titles may be
 * classified).
 *
 * The end of the file.  A last record without its line end is kept when its
 * chain value is right (the next writer adds the line end).  Anything else
 * after the last line end is a torn record (a writer died mid-write, or is
 * writing now): readers leave it out and report its line (torn_line); the
 * next writer moves it to "JOURNAL.torn-YYYYMMDD-HHMMSS" before appending,
 * never deleting it.
 *
 * The state file "JOURNAL.state" (mode 0600), rewritten by every writer
 * under the lock after its append, holds the record count and the chain
 * value of the last record.  A journal with fewer records than the state
 * file names, or another record at that place, is an error: records were
 * removed at the end, or the journal was replaced.  The state file is read
 * before the journal, so a writer appending meanwhile never looks like a
 * loss.  Limits: removing or replacing the state file as well, or a
 * consistent forgery of both (SHA-256 has no key), cannot be detected from
 * the files alone; keep the value `doc-route verify --last` prints
 * elsewhere for that.
 *
 * Old journals (the 23 columns without chain) are read as before, without
 * tamper evidence (chained is false), and not written to:
 * oa_docjournal_seal upgrades one once.
 */
#ifndef OA_JOURNAL_H
#define OA_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "chain.h"
#include "date.h"
#include "documents.h"
#include "error.h"
#include "numbering.h"

#define OA_JOURNAL_NCOLS 24       /* with the chain column */
#define OA_JOURNAL_OLD_NCOLS 23   /* an old journal, without it */
extern const char *const oa_journal_header[OA_JOURNAL_NCOLS];
/* Longest field, in bytes, the journal holds (writer and reader). */
#define OA_JOURNAL_MAX_FIELD OA_CSV_DEFAULT_MAX_FIELD
/*
 * The shared validation of a field's text (see above): 0, or -1 with WHY
 * (a message without the text) and *AT (the byte offset of the first bad
 * byte).  The writer applies it after oa_journal_field_clean.
 */
int oa_journal_field_check(const char *s, size_t len, char *why, size_t cap, size_t *at);
/* Tab, CR and LF in S become spaces, in place. */
void oa_journal_field_clean(char *s, size_t len);

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
	/* What the read found besides the records: */
	bool chained;          /* the header has the chain column (false: an old journal) */
	oa_chain chain;        /* the chain after the last record */
	bool state_missing;    /* chained and not empty, but no state file beside it */
	long torn_line;        /* line of a torn last record left out, else 0 */
	bool unterminated;     /* the last record lacks its line end (kept) */
	/* Private to journal.c: */
	size_t complete_len;   /* bytes up to and including the last line end */
	size_t file_size;
} oa_docjournal;

/*
 * Reads and verifies the journal at PATH (and its state file, see above).
 * A missing or empty file is an empty journal.  A torn last record is not
 * an error: torn_line says where it is; an old journal is not either:
 * chained is false.  Events of document KEEP_DOC are kept in j->events (0: none,
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

/* What a write did besides recording: filled when options->notes is set. */
#define OA_DOCJOURNAL_MAX_NOTES 8
typedef struct oa_docjournal_notes {
	long torn_line;           /* a torn last record was at this line, else 0 */
	char torn_saved[OA_ERROR_FILE_MAX + 40]; /* ... and was moved to this file */
	oa_error warnings[OA_DOCJOURNAL_MAX_NOTES]; /* e.g. a number of another year */
	int nwarnings;
} oa_docjournal_notes;

typedef struct oa_docjournal_options {
	const char *incoming_code; /* code of 收文编号, default "收文" */
	int lock_timeout_ms;
	const char *who;           /* program name for the lock holder line */
	bool again;                /* register a document that is already registered */
	oa_minute now;             /* the time now; 0: future times are not checked */
	long future_minutes;       /* how far after NOW a step may be dated */
	oa_docjournal_notes *notes; /* NULL, or filled as above */
} oa_docjournal_options;

/*
 * Records CHANGES, in order, all or none: takes the journal's lock, opens it
 * (creating it mode 0600 with the header), reads and verifies it (an old
 * journal is refused: seal it first), checks that every change is legal
 * after the ones before it, assigns document ids, sequence numbers and (for
 * 登记) numbers, moves a torn last record aside, appends all records with
 * one write and fsync, and rewrites the state file.  Refused, with the
 * journal untouched: an illegal step ("document 3 is at 登记; 办结 may not
 * follow (next: 初审)"); a field the reader would reject; a step dated
 * before the document's last step (or its registration before its date),
 * or more than future_minutes after NOW; a new document with the same
 * issuer and reference (without a reference: the same title, issuer and
 * date) as one registered, unless AGAIN.  A 登记 in another year than the
 * document's date is recorded with a warning in the notes.
 */
int oa_docjournal_record(const char *path, oa_doc_change *changes, size_t n,
                         const oa_docjournal_options *opt, oa_error *err);

/*
 * Upgrades the old journal at PATH (no chain column) once: under the lock,
 * verifies it, writes it again with the chain column (fields cleaned as the
 * writer cleans them), keeps the old file as "PATH.unchained" (or
 * "PATH.unchained-YYYYMMDD-HHMMSS"), whose name goes to KEPT (CAP bytes), and
 * writes the state file, which records when and from which file it was
 * sealed.  A journal already chained is left alone: 0 with KEPT "".
 */
int oa_docjournal_seal(const char *path, const oa_docjournal_options *opt, char *kept,
                       size_t cap, oa_error *err);

#endif
