/*
 * assetjournal.h - the asset journal: what happened to each asset between
 * entering the register and leaving it, one CSV record per event, appended
 * under a lock, hash-chained, never rewritten; and the register updated
 * with it, all or nothing.
 *
 * Events.  transfer (调拨, 变更责任人, 变更地点: a new department, custodian
 * or location), lend (借出, to a borrower until a due date) and return
 * (归还), repair (送修) and repaired (修复), dispose (处置; 报废, 出售 and
 * 捐赠 name its method), with the reason, approver and approval document.
 *
 * Format (UTF-8, LF, RFC 4180 quoting; line breaks in fields are written
 * as spaces, so a record is one line).  The header is
 *
 *     seq,time,date,tag,event,actor,department,custodian,location,status,
 *     from_department,from_custodian,from_location,from_status,borrower,
 *     borrower_department,due,method,reason,approver,document,note,chain
 *
 * (one line).  seq counts records from 1 without gaps; time is when the
 * record was written ("YYYY-MM-DD HH:MM", local); date is the day the
 * event took effect.  department, custodian, location and status are the
 * asset's after the event, the from_ columns what the register held
 * before it (status in English: in-use, idle, repair, lent, missing,
 * disposed).  borrower, borrower_department and due belong to lend;
 * method (scrap, sale, donation), reason, approver and document to
 * dispose.  chain is the hash chain of chain.h (seeded by the header).
 *
 * Batches.  One run appends its events and then one record whose event is
 * "commit" (tag and date empty, note = the number of events it commits).
 * Only committed events count: readers ignore events after the last commit
 * (a writer died, or is between its two writes).  See oa_assetlog_record
 * for why and how the next writer settles them.
 *
 * Every read verifies the whole file: header, sequence, times and dates,
 * known events and statuses, the fields each event needs, that each event
 * may follow the status it started from (a return starts from lent), the
 * commit counts, and the hash chain.  The first bad record is an error
 * naming the file and line.  A record cut short at the end (a writer
 * killed mid-append: no line end, and no chain value that holds) is not
 * part of the journal (torn_line names it).  A journal an editor saved
 * again is refused, its file left alone, with a message saying so: a
 * UTF-8 BOM, CRLF line ends, or a whole last record (its chain value
 * holds) without its line end.
 */
#ifndef OA_ASSETJOURNAL_H
#define OA_ASSETJOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "assetregister.h"
#include "chain.h"
#include "csv.h"
#include "date.h"
#include "departments.h"
#include "error.h"
#include "lock.h"

typedef enum oa_asset_event_kind {
	OA_AEV_NONE, OA_AEV_TRANSFER, OA_AEV_LEND, OA_AEV_RETURN, OA_AEV_REPAIR,
	OA_AEV_REPAIRED, OA_AEV_DISPOSE, OA_AEV_COMMIT, OA_AEV_COUNT
} oa_asset_event_kind;

typedef enum oa_disposal_method {
	OA_DISPOSE_NONE, OA_DISPOSE_SCRAP, OA_DISPOSE_SALE, OA_DISPOSE_DONATION,
	OA_DISPOSE_COUNT
} oa_disposal_method;

/* "transfer", ... as in the journal. */
const char *oa_asset_event_name(oa_asset_event_kind k);
/*
 * An event named in English or Chinese (transfer 调拨 变更责任人 变更地点,
 * lend 借出, return 归还, repair 送修, repaired 修复, dispose 处置, and 报废
 * 出售 捐赠 which are dispose with their method, set in *method when METHOD
 * is not NULL).  OA_AEV_NONE when unknown; commit is not an event one asks for.
 */
oa_asset_event_kind oa_asset_event_parse(const char *s, size_t len, oa_disposal_method *method);
/* "scrap", "sale", "donation" ("" for NONE). */
const char *oa_disposal_method_name(oa_disposal_method m);
/* scrap 报废, sale 出售 变卖, donation 捐赠; OA_DISPOSE_NONE when unknown. */
oa_disposal_method oa_disposal_method_parse(const char *s, size_t len);

#define OA_ASSETJOURNAL_NCOLS 23
extern const char *const oa_assetjournal_header[OA_ASSETJOURNAL_NCOLS];

/* The columns, in order. */
enum oa_assetjournal_column {
	OA_AJ_SEQ, OA_AJ_TIME, OA_AJ_DATE, OA_AJ_TAG, OA_AJ_EVENT, OA_AJ_ACTOR,
	OA_AJ_DEPARTMENT, OA_AJ_CUSTODIAN, OA_AJ_LOCATION, OA_AJ_STATUS,
	OA_AJ_FROM_DEPARTMENT, OA_AJ_FROM_CUSTODIAN, OA_AJ_FROM_LOCATION, OA_AJ_FROM_STATUS,
	OA_AJ_BORROWER, OA_AJ_BORROWER_DEPARTMENT, OA_AJ_DUE, OA_AJ_METHOD, OA_AJ_REASON,
	OA_AJ_APPROVER, OA_AJ_DOCUMENT, OA_AJ_NOTE, OA_AJ_CHAIN
};

/* One event as kept by a read (history): every column but chain, owned. */
typedef struct oa_asset_event {
	long seq;
	long line;
	oa_asset_event_kind kind;
	oa_date date;
	oa_date due;                 /* lend; else -1 */
	oa_asset_status status, from_status;
	char *f[OA_ASSETJOURNAL_NCOLS]; /* the fields as text, NUL-terminated */
} oa_asset_event;

/*
 * The state of one asset after the committed events: strings are owned by
 * the journal and shared between assets.
 */
typedef struct oa_asset_state {
	const char *tag;             /* normalised (oa_tag_normalise) */
	const char *department, *custodian, *location;
	oa_asset_status status;
	oa_asset_status before;      /* while lent or in repair: the status to return to */
	const char *borrower, *borrower_department;
	oa_date lent_on, due;        /* while lent */
	oa_date last_date;           /* date of the last event */
	oa_date disposed_on;         /* -1 unless disposed */
	long last_seq;
	long events;
	long dept_changes;           /* private: the department's changes (first + 1, 0 none) */
} oa_asset_state;

/*
 * Something the journal shows that is not an error: the register changed
 * outside the journal between two events of a tag (the stock-take marked it
 * missing, a hand edit), seen as an event whose from_ column differs from
 * what the previous event left.
 */
typedef struct oa_journal_gap {
	long seq, line;
	const char *tag;
	int column;                  /* OA_AJ_DEPARTMENT ... OA_AJ_STATUS */
	const char *was, *now;       /* what the journal left, what the event started from */
} oa_journal_gap;

typedef struct oa_assetjournal {
	char *path;
	long last_seq;               /* committed records, commits included */
	off_t committed_len;         /* bytes up to the end of the last commit */
	long pending;                /* records after the last commit (ignored) */
	long pending_first_line;
	long torn_line;              /* a record cut short by a crash, left out; else 0 */
	oa_chain chain;              /* at the last record read, pending ones included */
	oa_asset_state *states;      /* one per tag, in order of first event */
	size_t nstates;
	oa_journal_gap *gaps;
	size_t ngaps;
	oa_asset_event *events;      /* kept events (see oa_assetjournal_load) */
	size_t nevents;
	oa_date as_of;               /* the day of the states' as_ fields, */
	bool as_of_kept;             /* when loaded with oa_assetjournal_load_as_of */
	void *priv;                  /* tag index, string pool, undo log */
} oa_assetjournal;

/*
 * Reads and verifies the journal at PATH.  A missing or empty file is an
 * empty journal.  KEEP: NULL keeps no event, "*" every committed one, else
 * those of the tag KEEP (normalised first).  Release with
 * oa_assetjournal_release, also after failure.
 */
int oa_assetjournal_load(oa_assetjournal *j, const char *path, const char *keep, oa_error *err);
/*
 * An asset at the end of a past day (oa_assetjournal_load_as_of): its last
 * event by then, the place and status it left, and while lent then, the
 * loan.  Kept apart from the states, which every replay walks, and only
 * for the assets with events after that day.
 */
typedef struct oa_asset_as_of {
	long seq;
	oa_date date, lent_on, due;
	oa_asset_status status;
	const char *department, *custodian, *location, *borrower, *borrower_department;
} oa_asset_as_of;

/*
 * State I as of the loaded day into *OUT: true, or false when the journal
 * was not loaded so or the asset had no event by then.
 */
bool oa_assetjournal_as_of(const oa_assetjournal *j, size_t i, oa_asset_as_of *out);

/* No day: oa_assetjournal_load_as_of keeps no state of a past day. */
#define OA_NO_DAY INT32_MIN

/*
 * The same, also keeping each asset's state at the end of day AS_OF (the
 * as_ fields: its last event dated by then, and its last loan), in the
 * one pass: a report on a past day without keeping every event.
 */
int oa_assetjournal_load_as_of(oa_assetjournal *j, const char *path, const char *keep,
                               oa_date as_of, oa_error *err);
void oa_assetjournal_release(oa_assetjournal *j);

/* The state of TAG (normalised first), or NULL when no event names it. */
const oa_asset_state *oa_assetjournal_state(const oa_assetjournal *j, const char *tag);

/*
 * The department ST's asset belonged to at the end of DAY: the department
 * a later transfer moved it from, else NOW (the register's today).
 */
const char *oa_assetjournal_department_at(const oa_assetjournal *j, const oa_asset_state *st,
                                          oa_date day, const char *now);

/* ---- recording ---- */

/* An event to record.  Strings are borrowed; NULL for none. */
typedef struct oa_asset_change {
	oa_asset_event_kind kind;
	const char *tag;
	oa_date date;
	const char *actor;
	const char *department, *custodian, *location; /* transfer: what changes */
	const char *borrower, *borrower_department;    /* lend */
	oa_date due;                                   /* lend */
	oa_disposal_method method;                     /* dispose */
	const char *reason, *approver, *document;      /* dispose */
	const char *note;
	const char *file;                              /* where it was asked, for messages */
	long line;
	long seq;                                      /* filled: its record */
} oa_asset_change;

/*
 * Rows a reader skipped that the caller should warn about: total rows
 * (合计) of an events list (oa_asset_changes_read) or of the register
 * (oa_assetlog_options), their lines and words (static strings).
 * Release with oa_asset_changes_skipped_release.
 */
typedef struct oa_asset_changes_skipped {
	long *lines;
	const char **words;
	size_t n;
} oa_asset_changes_skipped;

void oa_asset_changes_skipped_release(oa_asset_changes_skipped *s);

/*
 * The problems a list's changes have after the first (which is the call's
 * error), for a caller that shows them all at once: V is the caller's
 * array of CAP; N are filled, MORE were found past CAP.
 */
typedef struct oa_asset_problems {
	oa_error *v;
	size_t cap, n, more;
} oa_asset_problems;

typedef struct oa_assetlog_options {
	int lock_timeout_ms;
	const char *who;                 /* program name for the lock holder line */
	const oa_departments *depts;     /* known departments; empty: the register's */
	oa_date today;                   /* no event may be dated later */
	oa_minute now;                   /* the records' time */
	oa_csv_options csv;              /* for reading the register */
	/* Out, may be NULL: the total rows the register's reading skipped
	 * (oa_register_load), filled also on failure; release it. */
	oa_asset_changes_skipped *register_totals;
	/* A list (apply): refused when an asset's first row in it is
	 * already a record of that asset in the journal, the same event,
	 * day and values (the list, or its start, applied before). */
	bool refuse_repeat;
	/* Out, may be NULL: every change is checked, not only up to the first
	 * that fails, and the problems after the first are kept here (each
	 * change checked against the register as the good changes before it
	 * leave it: one that fails is as if not in the list).  Nothing is
	 * recorded when there is any. */
	oa_asset_problems *problems;
} oa_assetlog_options;

/*
 * Records CHANGES, in order, all or none, into the journal at JOURNAL and
 * the register at REGISTER.
 *
 * Locks: the register's (oa_lock_acquire(REGISTER)), then the journal's,
 * always in that order, held to the end.  Under them: the journal is
 * opened (a torn last line dropped) and verified, the register read, and
 * every change checked against the register as it stands after the
 * changes before it: the tag must be registered; its status must allow the
 * event (a return needs lent, a repaired needs repair, nothing follows
 * disposed; a transfer or lend of a lent, missing or in-repair asset is
 * refused); a department must be known (DEPTS, or when that is empty one
 * the register already names); a transfer must change something; the date
 * may not be after TODAY, before the acquisition or before the tag's last
 * event; a lend needs a borrower and a due date not before it; a disposal
 * needs its method, reason, approver and document.  The first problem is
 * an error naming the change (its FILE and LINE when set) and nothing is
 * written; with OPT->problems the rest of the changes are checked too and
 * their problems kept there.
 *
 * Then the commit, in four steps:
 *   1. the new register is written beside the old one and fsynced;
 *   2. the events are appended to the journal (one write, fsync);
 *   3. the new register is renamed over the old one (directory fsynced);
 *   4. the commit record is appended (one write, fsync).
 * If step 3 fails, the journal is cut back to its size before step 2: it
 * never claims events the register does not show.  If the process dies
 * between 2 and 4, the journal ends with events and no commit: readers
 * ignore them, and the next writer settles them before anything else: when
 * the register shows the batch's end (step 3 happened) it appends the
 * commit; when it shows the batch's start it cuts them off; when it shows
 * neither (someone edited the register without a lock meanwhile), it stops
 * with an error and changes nothing.  The register is also checked, just
 * before step 2, to be the file that was read (oa_file_stamp): a program
 * that saved over it without the lock makes the run fail with nothing
 * written.
 *
 * Last, the state file "JOURNAL.state" (mode 0600) is rewritten with the
 * number of records and the last chain value; every read checks that the
 * journal still has that record, so records cut off at the end are found.
 * Returns 0; 1 with a warning in err when only the state file could not
 * be written (the events stand); -1 with err when nothing was recorded.
 */
int oa_assetlog_record(const char *journal, const char *register_path,
                       oa_asset_change *changes, size_t n, const oa_assetlog_options *opt,
                       oa_error *err);

/*
 * Reads events from the CSV at PATH (many at once: a department's move).
 * Columns by name or Chinese alias: tag (资产编号), event (事项), date (日期),
 * department (部门, 调入部门), custodian (责任人), location (存放地点),
 * borrower (借用人), borrower_department (借用部门), due (归还日期),
 * method (处置方式), reason (原因), approver (批准人), document (批准文号),
 * note (备注), by (经办人).  tag and event are required; an empty date is
 * DEFAULT_DATE.  Every row is checked for form (known event and method,
 * valid dates); every problem is an error naming its line.
 *
 * As a spreadsheet exports it: a row of empty cells is skipped, and so is
 * a total row (合计, 总计, 小计 ... total as the tag, or in a cell of a row
 * without tag whose event is empty or that word: oa_asset_total_word),
 * noted in *SKIPPED (may be NULL).  A row with more or fewer cells than
 * the header whose first cell out of place (an event, a date, a method)
 * fits once one to three cells at or before it are dropped or inserted is
 * an error naming the column's number and header, what was expected and
 * how many cells are too many or missing; so is a value past the header's
 * last column.  A line break
 * inside a note or reason (Alt+Enter) becomes a space (CRLF one space),
 * as the journal would write it; inside any other cell it is an error
 * naming the line and column.  The same tag (as oa_tag_canonical folds
 * it) with the same event on two rows with no other event of that tag
 * between them is an error naming both lines (a row entered twice); lend
 * then return is not.  The changes' strings live in *STORE: free(*store)
 * and free(*out) when done, and release *SKIPPED, also after failure.
 */
int oa_asset_changes_read(const char *path, const oa_csv_options *opt, oa_date default_date,
                          const char *default_actor, oa_asset_change **out, size_t *n,
                          char **store, oa_asset_changes_skipped *skipped, oa_error *err);

/*
 * The same, with PROBLEMS (may be NULL): a row refused does not end the
 * reading; every row is read and the problems after the first (which is
 * the call's error) are kept there.  Returns -1 when there was any.
 */
int oa_asset_changes_read_all(const char *path, const oa_csv_options *opt, oa_date default_date,
                              const char *default_actor, oa_asset_change **out, size_t *n,
                              char **store, oa_asset_changes_skipped *skipped,
                              oa_asset_problems *problems, oa_error *err);

/*
 * Whether the register shows what only a journal can explain while J
 * holds no record (missing or empty, and no state file said otherwise):
 * an asset lent (借出), whose borrower and due date live only in the
 * journal.  Then the journal was lost, moved or emptied (or the register
 * renamed away from it), and starting afresh would hide the loans: -1
 * with err naming REG's line of the first such asset and the journal.
 * 0 otherwise.  oa_assetlog_record checks it before anything is written.
 */
int oa_assetjournal_check_lost(const oa_assetjournal *j, const oa_register *reg, oa_error *err);

/* ---- reading for reports ---- */

/* A reader's locks: the register's and the journal's. */
typedef struct oa_assetlog_locks {
	oa_lock reg, journal;
} oa_assetlog_locks;

/*
 * For a reader (history, holder, check, rebuild, the reports): takes the
 * lock of REGISTER_PATH, then of JOURNAL (either may be NULL: not read),
 * shared (oa_lock_acquire_shared), in the order oa_assetlog_record takes
 * them exclusive.  Readers run together; a writer waits for them, and
 * they for a writer, up to TIMEOUT_MS, so a reader never reads a register
 * and a journal half way through a change.  A lock file this user may not
 * open or create (read-only access) is read past without its lock.
 * Returns 0, or -1 with err and nothing held.  Release with
 * oa_assetlog_unlock, also after failure and on a zeroed struct.
 */
int oa_assetlog_lock_read(oa_assetlog_locks *l, const char *register_path, const char *journal,
                          int timeout_ms, const char *who, oa_error *err);
void oa_assetlog_unlock(oa_assetlog_locks *l);

/*
 * The event of tag KEPT events that was in force at the end of day DATE:
 * the last kept event dated on or before it, or NULL when the first is
 * later (the holder is then the first event's from_ columns).
 */
const oa_asset_event *oa_assetjournal_at(const oa_assetjournal *j, oa_date date);

/*
 * Writes the columns of the journal but chain, then one row per kept
 * event (history).
 */
int oa_assetjournal_write_events(const oa_assetjournal *j, oa_csv_writer *w,
                                 const char *out_name, oa_error *err);

/*
 * Compares the journal's state with the register: one finding per
 * difference in department, custodian, location or status of a tag the
 * journal knows (or a tag missing from the register), and one for events
 * left uncommitted; with HISTORY also one per gap (a change made outside
 * the journal that a later event then started from: the register and the
 * journal agree again, and the event's record keeps what it found).
 * Writes "tag,column,journal,register,detail" rows (with a header) and
 * returns the number of findings, or -1.
 */
long oa_assetjournal_check(const oa_assetjournal *j, const oa_register *reg, bool history,
                           oa_csv_writer *w, const char *out_name, oa_error *err);

/*
 * Applies the journal's state to the register in memory (department,
 * custodian, location, status of every tag the journal knows): the
 * register rebuilt from the journal.  Tags the register lacks are
 * counted in *absent.
 */
int oa_assetjournal_rebuild(const oa_assetjournal *j, oa_register *reg, size_t *absent,
                            oa_error *err);

#endif
