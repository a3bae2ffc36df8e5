/*
 * assetjournal.c - reading, verifying and appending the asset journal, and
 * committing it together with the register.  See assetjournal.h for the
 * format and the commit protocol.
 *
 * One function, apply(), takes a record as fields, checks it against the
 * rules and the state so far, and updates the state.  The reader feeds it
 * every record of the file; the writer feeds it each record it is about to
 * append, so what is written is what the next read accepts.  Events after
 * the last commit are applied with an undo log and undone at the end of
 * the file.  Strings of the state (departments, people, places) are kept
 * in a pool, departments once each, so a million events cost a few small
 * allocations.
 */
#include "assetjournal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "columns.h"
#include "durable.h"
#include "lock.h"
#include "csvline.h"
#include "tag.h"
#include "utf8.h"

const char *const oa_assetjournal_header[OA_ASSETJOURNAL_NCOLS] = {
	"seq", "time", "date", "tag", "event", "actor", "department", "custodian", "location",
	"status", "from_department", "from_custodian", "from_location", "from_status",
	"borrower", "borrower_department", "due", "method", "reason", "approver", "document",
	"note", "chain",
};

static const char *const event_names[OA_AEV_COUNT] = {
	"", "transfer", "lend", "return", "repair", "repaired", "dispose", "commit",
};

static const char *const method_names[OA_DISPOSE_COUNT] = { "", "scrap", "sale", "donation" };

const char *
oa_asset_event_name(oa_asset_event_kind k)
{
	return (unsigned)k < OA_AEV_COUNT ? event_names[k] : "";
}

const char *
oa_disposal_method_name(oa_disposal_method m)
{
	return (unsigned)m < OA_DISPOSE_COUNT ? method_names[m] : "";
}

/*
 * Whether s[0..len) is the string Z.  Inline and without strlen: the
 * replay compares every field of a million records with short words.
 */
static inline bool
eq(const char *s, size_t len, const char *z)
{
	for (size_t i = 0; i < len; i++)
		if (z[i] == '\0' || z[i] != s[i])
			return false;
	return z[len] == '\0';
}

/* Trims ASCII spaces. */

static bool
ieq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && strncasecmp(s, lit, len) == 0;
}

oa_disposal_method
oa_disposal_method_parse(const char *s, size_t len)
{
	oa_utf8_trim(&s, &len);
	if (ieq(s, len, "scrap") || eq(s, len, "报废"))
		return OA_DISPOSE_SCRAP;
	if (ieq(s, len, "sale") || ieq(s, len, "sell") || eq(s, len, "出售") || eq(s, len, "变卖"))
		return OA_DISPOSE_SALE;
	if (ieq(s, len, "donation") || ieq(s, len, "donate") || eq(s, len, "捐赠"))
		return OA_DISPOSE_DONATION;
	return OA_DISPOSE_NONE;
}

oa_asset_event_kind
oa_asset_event_parse(const char *s, size_t len, oa_disposal_method *method)
{
	static const struct {
		const char *name;
		oa_asset_event_kind kind;
	} names[] = {
		{ "transfer", OA_AEV_TRANSFER }, { "调拨", OA_AEV_TRANSFER },
		{ "变更责任人", OA_AEV_TRANSFER }, { "变更地点", OA_AEV_TRANSFER },
		{ "lend", OA_AEV_LEND }, { "借出", OA_AEV_LEND },
		{ "return", OA_AEV_RETURN }, { "归还", OA_AEV_RETURN },
		{ "repair", OA_AEV_REPAIR }, { "送修", OA_AEV_REPAIR },
		{ "repaired", OA_AEV_REPAIRED }, { "修复", OA_AEV_REPAIRED },
		{ "dispose", OA_AEV_DISPOSE }, { "处置", OA_AEV_DISPOSE },
	};
	oa_disposal_method m;
	char packed[64];
	size_t plen = 0;

	oa_utf8_trim(&s, &len);
	/* "送 修", "借　出": spaces typed inside a Chinese word are no part of it. */
	for (size_t i = 0; i < len && plen < sizeof packed; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (i + 2 < len && memcmp(s + i, "\xE3\x80\x80", 3) == 0) {
			i += 2; /* U+3000 */
			continue;
		}
		packed[plen++] = s[i];
	}
	if (plen < len && plen < sizeof packed && plen > 0 && (unsigned char)packed[0] >= 0x80) {
		s = packed;
		len = plen;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (ieq(s, len, names[i].name))
			return names[i].kind;
	if (len > 0 && (unsigned char)s[0] >= 0x80 &&
	    (m = oa_disposal_method_parse(s, len)) != OA_DISPOSE_NONE) {
		if (method != NULL)
			*method = m;
		return OA_AEV_DISPOSE;
	}
	return OA_AEV_NONE;
}

/* ---- the string pool and the tag index ---- */

/*
 * Starts fetching the cache line at P.  GCC 12 at -O2 dropped
 * __builtin_prefetch here as dead code (seen in the object file), so on
 * x86 the instruction is written out.
 */
static inline void
fetch(const void *p)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__asm__ volatile("prefetcht0 %0" : : "m"(*(const char *)p));
#else
	__builtin_prefetch(p);
#endif
}

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
} chunk;

/*
 * A slot of the tag table: a state's index and its tag's hash, and the tag
 * itself when it is short (as tags are), so that finding a tag reads one
 * slot of 32 bytes and nothing else.
 */
enum { TAG_INLINE = 19 };

struct tag_slot {
	uint64_t hash;
	uint32_t idx;          /* state index + 1; 0 empty */
	uint8_t len;           /* the tag's length when it is inline, else 0 */
	char tag[TAG_INLINE];
};

/* A set of tags in canonical form (oa_tag_canonical), hashed. */
typedef struct tagset {
	char (*tag)[OA_TAG_MAX];
	size_t n, cap;
	size_t *slot;          /* index + 1, 0 empty */
	size_t mask;
} tagset;

typedef struct undo {
	size_t state;
	oa_asset_state was;
	bool took_as_of;        /* this event kept the state's as-of day (see apply) */
} undo;

typedef struct priv {
	chunk *chunks;
	struct slot {          /* open addressing: a string and its hash */
		uint64_t hash;
		const char *s;
	} *strs;
	struct tag_slot *tags;
	size_t nstrs, strcap;
	size_t tagcap;
	size_t statecap;
	undo *undo;            /* changes since the last commit */
	size_t nundo, undocap;
	size_t eventcap, gapcap;
	size_t kept_at_commit, gaps_at_commit;
	long batch;            /* events since the last commit */
	char keep[OA_TAG_MAX]; /* "" none, "*" all, else a tag */
	struct tagset *keep_tags; /* and those of these tags dated in keep_from..keep_to */
	oa_date keep_from, keep_to;
	bool keep_pending;     /* a writer rolling them forward: do not undo */
	struct dchange {       /* department changes, chained per asset */
		oa_date date;
		const char *from;
		long next;         /* index + 1, 0 for the last */
		long last;         /* in the first of a chain: the last one's index + 1 */
	} *dchanges;
	size_t ndchanges, dchangecap, dchanges_at_commit;
	oa_chain committed;    /* the chain at the last commit */
	/* The last time and date read, as written and as checked: records
	 * come in runs of one run's time and one day's date. */
	char seen_time[16], seen_date[10];
	bool have_time, have_date;
	oa_date seen_date_value;
	bool has_as_of;        /* oa_assetjournal_load_as_of's day, */
	oa_date as_of;         /* this one, */
	oa_asset_as_of *as;    /* and each state's then (statecap of them) */
	size_t ascap;
} priv;

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static char *
pool_alloc(priv *p, size_t len)
{
	chunk *c = p->chunks;

	if (c == NULL || c->cap - c->used < len) {
		size_t cap = len > 65536 ? len : 65536;
		c = malloc(sizeof *c + cap);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = p->chunks;
		p->chunks = c;
	}
	char *s = c->data + c->used;
	c->used += len;
	return s;
}

/* The pooled copy of s[0..len); "" for an empty string; NULL when out of memory. */
static const char *
intern(priv *p, const char *s, size_t len)
{
	if (len == 0)
		return "";
	if (p->nstrs * 2 >= p->strcap) {
		size_t ncap = p->strcap ? p->strcap * 2 : 1024;
		struct slot *v = calloc(ncap, sizeof *v);
		if (v == NULL)
			return NULL;
		for (size_t i = 0; i < p->strcap; i++) {
			if (p->strs[i].s == NULL)
				continue;
			size_t k = (size_t)p->strs[i].hash & (ncap - 1);
			while (v[k].s != NULL)
				k = (k + 1) & (ncap - 1);
			v[k] = p->strs[i];
		}
		free(p->strs);
		p->strs = v;
		p->strcap = ncap;
	}
	uint64_t h = hash_bytes(s, len);
	size_t mask = p->strcap - 1;
	size_t k = (size_t)h & mask;
	for (; p->strs[k].s != NULL; k = (k + 1) & mask)
		if (p->strs[k].hash == h && eq(s, len, p->strs[k].s))
			return p->strs[k].s;
	char *copy = pool_alloc(p, len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	p->strs[k].s = copy;
	p->strs[k].hash = h;
	p->nstrs++;
	return copy;
}

/* CUR when it already holds s[0..len), else the pooled copy. */
static const char *
keep_or_intern(priv *p, const char *cur, const char *s, size_t len)
{
	if (cur != NULL && eq(s, len, cur))
		return cur;
	return intern(p, s, len);
}

/*
 * A copy of s[0..len) in the pool, not looked up: for what is nearly
 * always one asset's own (a tag, a custodian, a place, a borrower), where
 * the look-up in the string table, a cache miss in a table of a million
 * strings, costs more than the few bytes it would save.  "" for "".
 */
static const char *
copy(priv *p, const char *s, size_t len)
{
	if (len == 0)
		return "";
	char *c = pool_alloc(p, len + 1);
	if (c == NULL)
		return NULL;
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

/* CUR when it already holds s[0..len), else a pooled copy (copy()). */
static const char *
keep_or_copy(priv *p, const char *cur, const char *s, size_t len)
{
	if (cur != NULL && eq(s, len, cur))
		return cur;
	return copy(p, s, len);
}

/* Whether SL holds tag T[0..len) of hash H. */
static inline bool
slot_holds(const oa_assetjournal *j, const struct tag_slot *sl, uint64_t h, const char *t, size_t len)
{
	if (sl->hash != h)
		return false;
	if (sl->len > 0) {
		if (sl->len != len)
			return false;
		for (size_t i = 0; i < len; i++)
			if (sl->tag[i] != t[i])
				return false;
		return true;
	}
	return eq(t, len, j->states[sl->idx - 1].tag);
}

/*
 * The state index of normalised tag T, or -1; with CREATE a new state (-2:
 * out of memory).  H is the tag's hash_bytes, or 0 when not yet known.
 */
static long
state_of(oa_assetjournal *j, const char *t, size_t len, uint64_t h, bool create)
{
	priv *p = j->priv;

	if (h == 0)
		h = hash_bytes(t, len);

	if (create && (j->nstates + 1) * 2 >= p->tagcap) {
		size_t ncap = p->tagcap ? p->tagcap * 2 : 1024;
		struct tag_slot *v;
		/* Aligned to the cache line, so that no slot spans two. */
		if (posix_memalign((void **)&v, 64, ncap * sizeof *v) != 0)
			return -2;
		memset(v, 0, ncap * sizeof *v);
		for (size_t i = 0; i < p->tagcap; i++) {
			if (p->tags[i].idx == 0)
				continue;
			size_t k = (size_t)p->tags[i].hash & (ncap - 1);
			while (v[k].idx != 0)
				k = (k + 1) & (ncap - 1);
			v[k] = p->tags[i];
		}
		free(p->tags);
		p->tags = v;
		p->tagcap = ncap;
	}
	if (p->tagcap == 0)
		return -1;
	size_t mask = p->tagcap - 1;
	size_t k = (size_t)h & mask;
	for (; p->tags[k].idx != 0; k = (k + 1) & mask)
		if (slot_holds(j, &p->tags[k], h, t, len))
			return (long)(p->tags[k].idx - 1);
	if (!create)
		return -1;
	if (j->nstates == p->statecap) {
		size_t ncap = p->statecap ? p->statecap * 2 : 1024;
		oa_asset_state *v = realloc(j->states, ncap * sizeof *v);
		if (v == NULL)
			return -2;
		j->states = v;
		p->statecap = ncap;
	}
	if (j->nstates >= UINT32_MAX - 1)
		return -2;
	oa_asset_state *st = &j->states[j->nstates];
	memset(st, 0, sizeof *st);
	st->tag = copy(p, t, len);
	if (st->tag == NULL)
		return -2;
	st->department = st->custodian = st->location = st->borrower = st->borrower_department = "";
	st->lent_on = st->due = st->last_date = st->disposed_on = -1;
	p->tags[k].hash = h;
	p->tags[k].idx = (uint32_t)++j->nstates;
	p->tags[k].len = len <= TAG_INLINE ? (uint8_t)len : 0;
	if (len <= TAG_INLINE)
		memcpy(p->tags[k].tag, t, len);
	return (long)(j->nstates - 1);
}

/* For reading ahead: the slot of hash H among the first few probed, or NULL. */
static inline const struct tag_slot *
probe(const priv *p, uint64_t h)
{
	size_t mask = p->tagcap - 1, k = (size_t)h & mask;

	for (int n = 0; n < 8 && p->tags[k].idx != 0; n++, k = (k + 1) & mask)
		if (p->tags[k].hash == h)
			return &p->tags[k];
	return NULL;
}

/*
 * For reading ahead: starts fetching the state of tag T[0..len) and the
 * strings it points to, when its slot is at hand.  Only a hint: a wrong
 * guess costs nothing but the fetch.
 */
static inline void
prefetch_state(const oa_assetjournal *j, uint64_t h)
{
	const priv *p = j->priv;

	if (p->tagcap == 0)
		return;
	const struct tag_slot *sl = probe(p, h);
	if (sl != NULL) {
		const char *st = (const char *)&j->states[sl->idx - 1];
		for (size_t b = 0; b < sizeof(oa_asset_state); b += 64)
			fetch(st + b);
		fetch(st + sizeof(oa_asset_state) - 1);
	}
}

/* Strings of the state of T (fetched by prefetch_state) on their way too. */
static inline void
prefetch_strings(const oa_assetjournal *j, uint64_t h)
{
	const priv *p = j->priv;

	if (p->tagcap == 0)
		return;
	const struct tag_slot *sl = probe(p, h);
	if (sl != NULL) {
		const oa_asset_state *st = &j->states[sl->idx - 1];
		fetch(st->department);
		fetch(st->custodian);
		fetch(st->location);
	}
}

const oa_asset_state *
oa_assetjournal_state(const oa_assetjournal *j, const char *tag)
{
	char norm[OA_TAG_MAX];
	size_t n = oa_tag_normalise(tag, strlen(tag), norm, sizeof norm);
	long i;

	if (n == 0 || j->priv == NULL)
		return NULL;
	i = state_of((oa_assetjournal *)j, norm, n, 0, false);
	if (i < 0 || j->states[i].events == 0)
		return NULL;
	return &j->states[i];
}

/* ---- the rules ---- */

/* A record as fields; the strings need not be NUL-terminated. */
typedef struct record {
	const char *f[OA_ASSETJOURNAL_NCOLS];
	size_t len[OA_ASSETJOURNAL_NCOLS];
	uint64_t tag_hash;     /* hash_bytes of the tag field, or 0 when not computed */
} record;

static oa_asset_status
status_en(const char *s, size_t len)
{
	for (int i = 1; i < OA_AST_COUNT; i++)
		if (eq(s, len, oa_asset_status_en((oa_asset_status)i)))
			return (oa_asset_status)i;
	return OA_AST_NONE;
}

/* Whether KIND may start from status FROM; else a message into WHY. */
static bool
may_start(oa_asset_event_kind kind, oa_asset_status from)
{
	bool usable = from == OA_AST_IN_USE || from == OA_AST_IDLE;

	switch (kind) {
	case OA_AEV_TRANSFER:
	case OA_AEV_LEND:
	case OA_AEV_REPAIR:
		return usable;
	case OA_AEV_RETURN:
		return from == OA_AST_LENT;
	case OA_AEV_REPAIRED:
		return from == OA_AST_REPAIR;
	case OA_AEV_DISPOSE:
		return usable || from == OA_AST_REPAIR || from == OA_AST_MISSING;
	default:
		return false;
	}
}

/* The status an event leaves, given where it started and what came before. */
static oa_asset_status
result_status(oa_asset_event_kind kind, oa_asset_status from, oa_asset_status before)
{
	switch (kind) {
	case OA_AEV_LEND:
		return OA_AST_LENT;
	case OA_AEV_REPAIR:
		return OA_AST_REPAIR;
	case OA_AEV_RETURN:
	case OA_AEV_REPAIRED:
		return before == OA_AST_IDLE ? OA_AST_IDLE : OA_AST_IN_USE;
	case OA_AEV_DISPOSE:
		return OA_AST_DISPOSED;
	default:
		return from;
	}
}

/* Why an asset in status FROM cannot take KIND, for messages. */
static const char *
refusal(oa_asset_event_kind kind, oa_asset_status from)
{
	switch (from) {
	case OA_AST_DISPOSED:
		return "was disposed of: no event may follow";
	case OA_AST_LENT:
		return kind == OA_AEV_REPAIRED ? "is lent, not in repair" : "is lent: return it first";
	case OA_AST_REPAIR:
		return kind == OA_AEV_RETURN ? "is in repair, not lent"
		                             : "is in repair: record repaired first";
	case OA_AST_MISSING:
		return kind == OA_AEV_RETURN || kind == OA_AEV_REPAIRED
		       ? "is missing (the stock-take did not find it): if it is back, set its status "
		         "cell back to what the journal has (asset-log check shows it), then record this"
		       : "is missing (the stock-take did not find it): if it is found, set its status "
		         "cell back first";
	default:
		return kind == OA_AEV_RETURN ? "is not lent" : "is not in repair";
	}
}

static bool
time_ok(const char *s, size_t len)
{
	oa_minute t;

	return len == 16 && s[10] == ' ' && oa_datetime_parse(s, len, 0, &t) == 0;
}

static int
add_gap(oa_assetjournal *j, long seq, long line, const char *tag, int col, const char *was,
        const char *now, size_t nowlen)
{
	priv *p = j->priv;

	if (j->ngaps == p->gapcap) {
		size_t ncap = p->gapcap ? p->gapcap * 2 : 16;
		oa_journal_gap *v = realloc(j->gaps, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		j->gaps = v;
		p->gapcap = ncap;
	}
	oa_journal_gap *g = &j->gaps[j->ngaps];
	g->seq = seq;
	g->line = line;
	g->tag = tag;
	g->column = col;
	g->was = was;
	g->now = intern(p, now, nowlen);
	if (g->now == NULL)
		return -1;
	j->ngaps++;
	return 0;
}

static int
keep_event(oa_assetjournal *j, const record *rec, long seq, long line,
           oa_asset_event_kind kind, oa_date date, oa_date due, oa_asset_status to,
           oa_asset_status from)
{
	priv *p = j->priv;
	oa_asset_event *e;

	if (j->nevents == p->eventcap) {
		size_t ncap = p->eventcap ? p->eventcap * 2 : 16;
		oa_asset_event *v = realloc(j->events, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		j->events = v;
		p->eventcap = ncap;
	}
	e = &j->events[j->nevents];
	memset(e, 0, sizeof *e);
	e->seq = seq;
	e->line = line;
	e->kind = kind;
	e->date = date;
	e->due = due;
	e->status = to;
	e->from_status = from;
	j->nevents++;
	for (int i = 0; i < OA_ASSETJOURNAL_NCOLS; i++) {
		e->f[i] = malloc(rec->len[i] + 1);
		if (e->f[i] == NULL)
			return -1;
		memcpy(e->f[i], rec->f[i], rec->len[i]);
		e->f[i][rec->len[i]] = '\0';
	}
	return 0;
}

static void
free_event(oa_asset_event *e)
{
	for (int i = 0; i < OA_ASSETJOURNAL_NCOLS; i++)
		free(e->f[i]);
}

/* Ends a batch: what was applied since the last commit stays. */
static void
commit_batch(oa_assetjournal *j, off_t end)
{
	priv *p = j->priv;

	p->nundo = 0;
	p->batch = 0;
	p->kept_at_commit = j->nevents;
	p->gaps_at_commit = j->ngaps;
	p->dchanges_at_commit = p->ndchanges;
	j->committed_len = end;
	j->pending = 0;
	j->pending_first_line = 0;
}

/* Undoes what was applied since the last commit (the file ended without one). */
static void
undo_batch(oa_assetjournal *j)
{
	priv *p = j->priv;

	while (p->nundo > 0) {
		undo *u = &p->undo[--p->nundo];
		j->states[u->state] = u->was;
		if (u->took_as_of)
			p->as[u->state].seq = 0; /* not kept after all */
	}
	/* Cut the department changes the batch chained on. */
	for (size_t i = 0; i < j->nstates; i++) {
		long k = j->states[i].dept_changes, last = 0;
		while (k != 0 && (size_t)k <= p->dchanges_at_commit) {
			last = k;
			k = p->dchanges[k - 1].next;
		}
		if (last != 0) {
			p->dchanges[last - 1].next = 0;
			p->dchanges[j->states[i].dept_changes - 1].last = last;
		}
	}
	p->ndchanges = p->dchanges_at_commit;
	while (j->nevents > p->kept_at_commit)
		free_event(&j->events[--j->nevents]);
	j->ngaps = p->gaps_at_commit;
	j->pending = p->batch;
	j->last_seq -= p->batch;
	p->batch = 0;
}

#define F(c) rec->f[c], rec->len[c]
#define SET(c) (rec->len[c] != 0)

/*
 * Chains a department change to ST.  The chain is append-only; undoing a
 * batch restores ST (its first and last links), which drops the links the
 * batch added from the chain without freeing them.
 */
static int
add_dchange(priv *p, oa_asset_state *st, oa_date date, const char *from, size_t len)
{
	if (p->ndchanges == p->dchangecap) {
		size_t ncap = p->dchangecap ? p->dchangecap * 2 : 64;
		struct dchange *v = realloc(p->dchanges, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		p->dchanges = v;
		p->dchangecap = ncap;
	}
	struct dchange *d = &p->dchanges[p->ndchanges];
	d->date = date;
	d->from = intern(p, from, len);
	d->next = 0;
	d->last = 0;
	if (d->from == NULL)
		return -1;
	p->ndchanges++;
	if (st->dept_changes == 0) {
		st->dept_changes = (long)p->ndchanges;
		d->last = (long)p->ndchanges;
	} else {
		struct dchange *first = &p->dchanges[st->dept_changes - 1];
		p->dchanges[first->last - 1].next = (long)p->ndchanges;
		first->last = (long)p->ndchanges;
	}
	return 0;
}

/*
 * Whether tag T[0..len) is one oa_tag_normalise leaves as it is, seen
 * without normalising it: printable ASCII other than the space, no
 * lower-case letter, shorter than OA_TAG_MAX (every tag the writer wrote).
 */
static inline bool
plainly_normal(const char *t, size_t len)
{
	if (len == 0 || len >= OA_TAG_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c <= ' ' || c > '~' || (c >= 'a' && c <= 'z'))
			return false;
	}
	return true;
}

/*
 * Checks one record against the rules and the state, and applies it.
 * END is the file offset just after the record (for commits).
 */
/*
 * Whether a spreadsheet would take S for a formula that does something: it
 * starts with '=', or with '+', '-' or '@' and holds a call or a link
 * ('(', '!', '|').  "+86 138 0000 0000", "-", "@会议室" are text.
 */
static bool
formula_like(const char *s)
{
	if (s[0] == '=')
		return true;
	return (s[0] == '+' || s[0] == '-' || s[0] == '@') && strpbrk(s + 1, "(!|") != NULL;
}

/* A set for up to CAP tags; -1 out of memory. */
static int
tagset_init(tagset *t, size_t cap)
{
	size_t slots = 16;

	while (slots < cap * 2)
		slots *= 2;
	t->tag = calloc(cap ? cap : 1, sizeof *t->tag);
	t->slot = calloc(slots, sizeof *t->slot);
	t->n = 0;
	t->cap = cap;
	t->mask = slots - 1;
	return t->tag != NULL && t->slot != NULL ? 0 : -1;
}

static void
tagset_free(tagset *t)
{
	if (t == NULL)
		return;
	free(t->tag);
	free(t->slot);
}

/*
 * Whether the tag S[0..len) is in T; with ADD, put it in when it is not
 * (and there is room).  S in any spelling: compared in canonical form.
 */
static bool
tagset_has(tagset *t, const char *s, size_t len, bool add)
{
	char canon[OA_TAG_MAX];
	size_t clen = oa_tag_canonical(s, len, canon, sizeof canon);
	size_t i;

	if (clen == 0)
		return false;
	for (i = (size_t)hash_bytes(canon, clen) & t->mask; t->slot[i] != 0; i = (i + 1) & t->mask)
		if (strcmp(t->tag[t->slot[i] - 1], canon) == 0)
			return true;
	if (add && t->n < t->cap) {
		memcpy(t->tag[t->n], canon, clen + 1);
		t->slot[i] = ++t->n;
	}
	return false;
}

/* Whether the record of NORM dated DATE is one a list needs kept (keep_tags). */
static bool
kept_tag(const priv *p, const char *norm, size_t nlen, oa_date date)
{
	return date >= p->keep_from && date <= p->keep_to &&
	       tagset_has(p->keep_tags, norm, nlen, false);
}

static int
apply(oa_assetjournal *j, const record *rec, const char *file, long line, off_t end,
      oa_error *err)
{
	priv *p = j->priv;
	char norm[OA_TAG_MAX];
	long seq = 0;
	oa_asset_event_kind kind;
	oa_asset_status from, to;
	oa_date date, due = -1;
	size_t nlen;
	long si;
	oa_asset_state *st;

	/* Digits, no leading zero, at most 18 of them (no overflow). */
	if (rec->len[OA_AJ_SEQ] <= 18 && rec->len[OA_AJ_SEQ] > 0 && rec->f[OA_AJ_SEQ][0] != '0') {
		for (size_t i = 0; i < rec->len[OA_AJ_SEQ]; i++) {
			char d = rec->f[OA_AJ_SEQ][i];
			if (d < '0' || d > '9') {
				seq = 0;
				break;
			}
			seq = seq * 10 + (d - '0');
		}
	}
	if (seq != j->last_seq + 1)
		return oa_error_set(err, file, line, "sequence number \"%.*s\" where %ld was due",
		                    (int)rec->len[OA_AJ_SEQ], rec->f[OA_AJ_SEQ], j->last_seq + 1);
	if (!p->have_time || rec->len[OA_AJ_TIME] != 16 ||
	    memcmp(rec->f[OA_AJ_TIME], p->seen_time, 16) != 0) {
		if (!time_ok(F(OA_AJ_TIME)))
			return oa_error_set(err, file, line, "bad time \"%.*s\"",
			                    (int)rec->len[OA_AJ_TIME], rec->f[OA_AJ_TIME]);
		memcpy(p->seen_time, rec->f[OA_AJ_TIME], 16);
		p->have_time = true;
	}
	kind = OA_AEV_NONE;
	for (int k = 1; k < OA_AEV_COUNT; k++)
		if (eq(F(OA_AJ_EVENT), event_names[k]))
			kind = (oa_asset_event_kind)k;
	if (kind == OA_AEV_NONE)
		return oa_error_set(err, file, line, "unknown event \"%.*s\"",
		                    (int)rec->len[OA_AJ_EVENT], rec->f[OA_AJ_EVENT]);
	if (kind == OA_AEV_COMMIT) {
		char want[24];
		for (int c = OA_AJ_DATE; c < OA_AJ_CHAIN; c++)
			if (c != OA_AJ_EVENT && c != OA_AJ_NOTE && c != OA_AJ_ACTOR && SET(c))
				return oa_error_set(err, file, line, "a commit record with a %s",
				                    oa_assetjournal_header[c]);
		snprintf(want, sizeof want, "%ld", p->batch);
		if (p->batch == 0 || !eq(F(OA_AJ_NOTE), want))
			return oa_error_set(err, file, line,
			                    "commit of \"%.*s\" events where %ld precede it",
			                    (int)rec->len[OA_AJ_NOTE], rec->f[OA_AJ_NOTE], p->batch);
		j->last_seq = seq;
		commit_batch(j, end);
		return 0;
	}
	if (p->have_date && rec->len[OA_AJ_DATE] == 10 &&
	    memcmp(rec->f[OA_AJ_DATE], p->seen_date, 10) == 0) {
		date = p->seen_date_value;
	} else {
		if (oa_date_parse(F(OA_AJ_DATE), &date) < 0)
			return oa_error_set(err, file, line, "bad date \"%.*s\"",
			                    (int)rec->len[OA_AJ_DATE], rec->f[OA_AJ_DATE]);
		memcpy(p->seen_date, rec->f[OA_AJ_DATE], 10);
		p->seen_date_value = date;
		p->have_date = true;
	}
	if (plainly_normal(F(OA_AJ_TAG))) {
		nlen = rec->len[OA_AJ_TAG];
		memcpy(norm, rec->f[OA_AJ_TAG], nlen);
		norm[nlen] = '\0';
	} else {
		nlen = oa_tag_normalise(F(OA_AJ_TAG), norm, sizeof norm);
	}
	if (nlen == 0 || nlen != rec->len[OA_AJ_TAG] || memcmp(norm, rec->f[OA_AJ_TAG], nlen) != 0)
		return oa_error_set(err, file, line, "bad tag \"%.*s\"", (int)rec->len[OA_AJ_TAG],
		                    rec->f[OA_AJ_TAG]);
	from = status_en(F(OA_AJ_FROM_STATUS));
	to = status_en(F(OA_AJ_STATUS));
	if (from == OA_AST_NONE || to == OA_AST_NONE)
		return oa_error_set(err, file, line, "bad status \"%.*s\"",
		                    (int)(from == OA_AST_NONE ? rec->len[OA_AJ_FROM_STATUS]
		                                              : rec->len[OA_AJ_STATUS]),
		                    from == OA_AST_NONE ? rec->f[OA_AJ_FROM_STATUS]
		                                        : rec->f[OA_AJ_STATUS]);
	if (!may_start(kind, from))
		return oa_error_set(err, file, line, "%s of \"%s\", which %s", event_names[kind], norm,
		                    refusal(kind, from));
	if (to != result_status(kind, from, to))
		return oa_error_set(err, file, line, "%s from %s leaves the asset %s, not %s",
		                    event_names[kind], oa_asset_status_en(from),
		                    oa_asset_status_en(result_status(kind, from, OA_AST_IN_USE)),
		                    oa_asset_status_en(to));
	if (kind == OA_AEV_TRANSFER) {
		bool same = rec->len[OA_AJ_DEPARTMENT] == rec->len[OA_AJ_FROM_DEPARTMENT] &&
		            memcmp(rec->f[OA_AJ_DEPARTMENT], rec->f[OA_AJ_FROM_DEPARTMENT],
		                   rec->len[OA_AJ_DEPARTMENT]) == 0 &&
		            rec->len[OA_AJ_CUSTODIAN] == rec->len[OA_AJ_FROM_CUSTODIAN] &&
		            memcmp(rec->f[OA_AJ_CUSTODIAN], rec->f[OA_AJ_FROM_CUSTODIAN],
		                   rec->len[OA_AJ_CUSTODIAN]) == 0 &&
		            rec->len[OA_AJ_LOCATION] == rec->len[OA_AJ_FROM_LOCATION] &&
		            memcmp(rec->f[OA_AJ_LOCATION], rec->f[OA_AJ_FROM_LOCATION],
		                   rec->len[OA_AJ_LOCATION]) == 0;
		if (same)
			return oa_error_set(err, file, line, "transfer of \"%s\" changes nothing", norm);
	} else {
		for (int c = OA_AJ_DEPARTMENT; c <= OA_AJ_LOCATION; c++) {
			int fc = c - OA_AJ_DEPARTMENT + OA_AJ_FROM_DEPARTMENT;
			if (rec->len[c] != rec->len[fc] || memcmp(rec->f[c], rec->f[fc], rec->len[c]) != 0)
				return oa_error_set(err, file, line, "%s changes the %s", event_names[kind],
				                    oa_assetjournal_header[c]);
		}
	}
	if (kind == OA_AEV_LEND) {
		if (!SET(OA_AJ_BORROWER))
			return oa_error_set(err, file, line, "lend of \"%s\" without a borrower", norm);
		if (oa_date_parse(F(OA_AJ_DUE), &due) < 0)
			return oa_error_set(err, file, line, "lend of \"%s\" with a bad due date \"%.*s\"",
			                    norm, (int)rec->len[OA_AJ_DUE], rec->f[OA_AJ_DUE]);
		if (due < date)
			return oa_error_set(err, file, line, "lend of \"%s\" due %.*s, before it is lent",
			                    norm, (int)rec->len[OA_AJ_DUE], rec->f[OA_AJ_DUE]);
	} else {
		for (int c = OA_AJ_BORROWER; c <= OA_AJ_DUE; c++)
			if (SET(c))
				return oa_error_set(err, file, line, "%s with a %s", event_names[kind],
				                    oa_assetjournal_header[c]);
	}
	if (kind == OA_AEV_DISPOSE) {
		if (oa_disposal_method_parse(F(OA_AJ_METHOD)) == OA_DISPOSE_NONE ||
		    !eq(F(OA_AJ_METHOD),
		        method_names[oa_disposal_method_parse(F(OA_AJ_METHOD))]))
			return oa_error_set(err, file, line, "disposal of \"%s\" with method \"%.*s\" "
			                    "(scrap, sale or donation)", norm,
			                    (int)rec->len[OA_AJ_METHOD], rec->f[OA_AJ_METHOD]);
		for (int c = OA_AJ_REASON; c <= OA_AJ_DOCUMENT; c++)
			if (!SET(c))
				return oa_error_set(err, file, line, "disposal of \"%s\" without a %s", norm,
				                    c == OA_AJ_DOCUMENT ? "document number (批准文号)"
				                                        : oa_assetjournal_header[c]);
	} else {
		for (int c = OA_AJ_METHOD; c <= OA_AJ_DOCUMENT; c++)
			if (SET(c))
				return oa_error_set(err, file, line, "%s with a %s", event_names[kind],
				                    oa_assetjournal_header[c]);
	}

	si = state_of(j, norm, nlen, rec->tag_hash, true);
	if (si < 0)
		return oa_error_set(err, file, line, "out of memory");
	st = &j->states[si];
	if (st->events > 0 && date < st->last_date) {
		char last[11];
		oa_date_format(st->last_date, last);
		return oa_error_set(err, file, line, "%s of \"%s\" dated %.*s, before its last event (%s)",
		                    event_names[kind], norm, (int)rec->len[OA_AJ_DATE],
		                    rec->f[OA_AJ_DATE], last);
	}
	if (p->nundo == p->undocap) {
		size_t ncap = p->undocap ? p->undocap * 2 : 64;
		undo *v = realloc(p->undo, ncap * sizeof *v);
		if (v == NULL)
			return oa_error_set(err, file, line, "out of memory");
		p->undo = v;
		p->undocap = ncap;
	}
	p->undo[p->nundo].state = (size_t)si;
	p->undo[p->nundo].was = *st;
	p->undo[p->nundo].took_as_of = false;
	/*
	 * The first event of a tag after the as-of day: the state before it is
	 * the tag's at the end of that day (its events come in date order), so
	 * it is kept now.  A tag with no event after the day needs nothing kept:
	 * its state is that day's (oa_assetjournal_as_of), which spares most
	 * replays, a report as of today among them, any copy.
	 */
	if (p->has_as_of && date > p->as_of && ((size_t)si >= p->ascap || p->as[si].seq == 0)) {
		if ((size_t)si >= p->ascap) {
			size_t ncap = p->statecap > (size_t)si ? p->statecap : (size_t)si + 1;
			oa_asset_as_of *nv = realloc(p->as, ncap * sizeof *nv);
			if (nv == NULL)
				return oa_error_set(err, file, line, "out of memory");
			memset(nv + p->ascap, 0, (ncap - p->ascap) * sizeof *nv);
			p->as = nv;
			p->ascap = ncap;
		}
		oa_asset_as_of *a = &p->as[si];
		a->seq = st->events > 0 ? st->last_seq : -1; /* -1: no event by then */
		a->date = st->last_date;
		a->status = st->status;
		a->department = st->department;
		a->custodian = st->custodian;
		a->location = st->location;
		a->borrower = st->borrower;
		a->borrower_department = st->borrower_department;
		a->lent_on = st->lent_on;
		a->due = st->due;
		p->undo[p->nundo].took_as_of = true;
	}
	p->nundo++;
	bool as_left = false; /* from_ columns are what the journal left */
	if (st->events > 0) {
		/* What the register held before this event against what the
		 * journal left: a difference is a change made outside it. */
		const char *was[4] = { st->department, st->custodian, st->location,
		                       oa_asset_status_en(st->status) };
		as_left = true;
		for (int c = 0; c < 4; c++) {
			int fc = OA_AJ_FROM_DEPARTMENT + c;
			if (!eq(rec->f[fc], rec->len[fc], was[c])) {
				as_left = false;
				if (add_gap(j, seq, line, st->tag, OA_AJ_DEPARTMENT + c, was[c], rec->f[fc],
				            rec->len[fc]) < 0)
					return oa_error_set(err, file, line, "out of memory");
			}
		}
	}
	if (kind == OA_AEV_LEND || kind == OA_AEV_REPAIR)
		st->before = from;
	if (kind == OA_AEV_TRANSFER &&
	    (rec->len[OA_AJ_DEPARTMENT] != rec->len[OA_AJ_FROM_DEPARTMENT] ||
	     memcmp(rec->f[OA_AJ_DEPARTMENT], rec->f[OA_AJ_FROM_DEPARTMENT],
	            rec->len[OA_AJ_DEPARTMENT]) != 0) &&
	    add_dchange(p, st, date, F(OA_AJ_FROM_DEPARTMENT)) < 0)
		return oa_error_set(err, file, line, "out of memory");
	/* Any event but a transfer keeps the place (checked above): when it
	 * also started from what the journal left, the state's strings are
	 * the record's already. */
	if (kind == OA_AEV_TRANSFER || !as_left) {
		st->department = keep_or_intern(p, st->department, F(OA_AJ_DEPARTMENT));
		st->custodian = keep_or_copy(p, st->custodian, F(OA_AJ_CUSTODIAN));
		st->location = keep_or_copy(p, st->location, F(OA_AJ_LOCATION));
	}
	st->status = to;
	if (kind == OA_AEV_LEND) {
		st->borrower = copy(p, F(OA_AJ_BORROWER));
		st->borrower_department = intern(p, F(OA_AJ_BORROWER_DEPARTMENT));
		st->lent_on = date;
		st->due = due;
	} else if (kind == OA_AEV_RETURN) {
		st->borrower = st->borrower_department = "";
		st->lent_on = st->due = -1;
	}
	if (kind == OA_AEV_DISPOSE)
		st->disposed_on = date;
	if (!st->department || !st->custodian || !st->location || !st->borrower ||
	    !st->borrower_department)
		return oa_error_set(err, file, line, "out of memory");
	st->last_date = date;
	st->last_seq = seq;
	st->events++;
	j->last_seq = seq;
	p->batch++;
	if (((p->keep[0] != '\0' && (strcmp(p->keep, "*") == 0 || strcmp(p->keep, norm) == 0)) ||
	     (p->keep_tags != NULL && kept_tag(p, norm, nlen, date))) &&
	    keep_event(j, rec, seq, line, kind, date, due, to, from) < 0)
		return oa_error_set(err, file, line, "out of memory");
	return 0;
}

#undef F
#undef SET

/* ---- reading ---- */

static int
init(oa_assetjournal *j, const char *path, const char *keep, oa_error *err)
{
	priv *p;

	memset(j, 0, sizeof *j);
	j->path = strdup(path);
	j->priv = p = calloc(1, sizeof *p);
	if (j->path == NULL || p == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	if (keep != NULL && strcmp(keep, "*") == 0)
		strcpy(p->keep, "*");
	else if (keep != NULL && oa_tag_normalise(keep, strlen(keep), p->keep, sizeof p->keep) == 0)
		strcpy(p->keep, "\x01"); /* matches no tag */
	return 0;
}

static void
header_line(char *buf, size_t cap)
{
	size_t used = 0;

	for (int i = 0; i < OA_ASSETJOURNAL_NCOLS; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "," : "",
		                         oa_assetjournal_header[i]);
}

/*
 * A journal that an editor saved again: asset-log writes UTF-8 without a
 * BOM, LF line ends and a line end after every record, so a BOM, a CRLF
 * or a whole last record without its line end is an editor's doing (a
 * crash leaves a record cut short, never one of these).  The message
 * says which and what to do; the file is left as it is.
 */
enum { EDITOR_BOM = 1, EDITOR_CRLF = 2, EDITOR_NO_EOL = 4 };

/* Joins the N phrases of V as "a", "a and b", "a, b and c" into BUF. */
static void
join_phrases(char *buf, size_t cap, const char *const *v, int n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s",
		                         i == 0 ? "" : i == n - 1 ? " and " : ", ", v[i]);
}

static int
editor_error(oa_error *err, const char *path, long line, int what)
{
	const char *found[3], *todo[3];
	char f[256], t[256], eol[96];
	int n = 0;

	if (what & EDITOR_BOM) {
		found[n] = "it starts with a UTF-8 byte order mark (BOM)";
		todo[n++] = "save it as UTF-8 without BOM";
	}
	if (what & EDITOR_CRLF) {
		found[n] = "line ends are CRLF";
		todo[n++] = "convert the line ends to LF (dos2unix)";
	}
	if (what & EDITOR_NO_EOL) {
		found[n] = what == EDITOR_NO_EOL
		                   ? "the last record has no line end (it is whole and its hash chain "
		                     "holds, so it was not cut short by a crash)"
		                   : "the last record has no line end";
		snprintf(eol, sizeof eol, "add a line end after the last record (echo >>%s)", path);
		todo[n++] = eol;
	}
	join_phrases(f, sizeof f, found, n);
	join_phrases(t, sizeof t, todo, n);
	return oa_error_set(err, path, line,
	                    "was saved by an editor: %s; asset-log writes UTF-8 without BOM, LF line "
	                    "ends and a line end after every record: %s, or restore it from a copy, "
	                    "and run again (nothing was changed)", f, t);
}

static int
chain_error(oa_error *err, const char *path, long line, const char *s, size_t len,
            oa_chain_result r)
{
	if (len > 0 && s[len - 1] == '\r')
		return editor_error(err, path, line, EDITOR_CRLF);
	if (r == OA_CHAIN_MALFORMED)
		return oa_error_set(err, path, line, "no chain value at the end of the record");
	return oa_error_set(err, path, line,
	                    "the hash chain breaks here: this record or the one before it "
	                    "was changed");
}



/*
 * The state file "JOURNAL.state" (mode 0600): the number of records and
 * the chain value of the last one, as the last writer left them.  Records
 * removed at the end of a journal leave a consistent, shorter chain; the
 * state file is what finds them.
 */
typedef struct jstate {
	bool have;
	long records;
	char chain[OA_SHA256_HEX_LEN + 1];
} jstate;

static int
read_state(const char *path, jstate *st, oa_error *err)
{
	char *sp, buf[512];
	int fd;
	ssize_t n;
	bool got_records = false, got_chain = false;

	memset(st, 0, sizeof *st);
	if (asprintf(&sp, "%s.state", path) < 0)
		return oa_error_set(err, path, 0, "out of memory");
	fd = open(sp, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int rc = errno == ENOENT ? 0 : oa_error_sys(err, sp, "cannot open");
		free(sp);
		return rc;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		int rc = oa_error_sys(err, sp, "cannot read");
		free(sp);
		return rc;
	}
	buf[n] = '\0';
	for (char *save, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		if (strncmp(line, "records ", 8) == 0) {
			errno = 0;
			st->records = strtol(line + 8, &end, 10);
			got_records = errno == 0 && *end == '\0' && end != line + 8 && st->records >= 0;
		} else if (strncmp(line, "chain ", 6) == 0 && strlen(line + 6) == OA_SHA256_HEX_LEN) {
			memcpy(st->chain, line + 6, sizeof st->chain);
			got_chain = true;
		}
	}
	if (!got_records || !got_chain) {
		oa_error_set(err, sp, 0, "the journal's state file is damaged (no \"records\" or "
		             "\"chain\" line)");
		free(sp);
		return -1;
	}
	free(sp);
	st->have = true;
	return 0;
}

static int
write_state(const char *path, const oa_chain *ch, oa_error *err)
{
	oa_atomic_file af;
	char *sp;
	int rc;

	if (asprintf(&sp, "%s.state", path) < 0)
		return oa_error_set(err, path, 0, "out of memory");
	rc = oa_atomic_open_flags(&af, sp, 0600, OA_ATOMIC_REWRITE, err);
	free(sp);
	if (rc < 0)
		return -1;
	fprintf(af.fp, "# asset-log journal state: the last record written (see asset-log(1))\n"
	        "records %ld\nchain %s\n", ch->records, ch->last);
	return oa_atomic_commit(&af, err);
}

/* Says that the journal at PATH is gone while its state file knows records. */
static int
lost_error(oa_error *err, const char *path, const char *how, long records)
{
	return oa_error_set(err, path, 0,
	                    "the journal is lost, moved or emptied: %s, but its state file "
	                    "\"%s.state\" says it had %ld records; put it back (or name it with "
	                    "asset-log -j), or restore it from a copy; nothing was changed", how, path,
	                    records);
}

/*
 * A missing journal at PATH: an empty journal, unless its state file says
 * it had records (then it was lost or moved: -1 with err).
 */
static int
check_missing(const char *path, oa_error *err)
{
	jstate st;

	if (read_state(path, &st, err) < 0)
		return -1;
	if (st.have && st.records > 0)
		return lost_error(err, path, "it does not exist", st.records);
	return 0;
}

/* Checks the chain read against the state file: -1 with err on a loss. */
static int
check_state(const char *path, const jstate *st, long records, const char *at_state,
            oa_error *err)
{
	if (!st->have)
		return 0;
	if (records == 0 && st->records > 0)
		return lost_error(err, path, "it holds no record", st->records);
	if (records < st->records)
		return oa_error_set(err, path, 0,
		                    "the journal has %ld records but its state file says %ld: records "
		                    "were removed at the end, or the journal was replaced", records,
		                    st->records);
	if (st->records > 0 && strcmp(at_state, st->chain) != 0)
		return oa_error_set(err, path, st->records + 1,
		                    "not the record %ld the state file knows: the journal was "
		                    "replaced or rewritten", st->records);
	return 0;
}

/* What reading a journal carries from record to record. */
typedef struct reading {
	oa_assetjournal *j;
	const char *map;           /* the window of the file being read */
	off_t map_off;             /* the file offset of map[0] */
	oa_csv_options opt;
	long line;                 /* the line read last */
	const jstate *state;
	char *at_state;            /* the chain value of record state->records */
	oa_chain committed;        /* the chain at the last commit record */
	long pending_first_line;
} reading;

/*
 * Records are read in batches of plain lines (csvline.h): a batch's hash
 * chain is checked two records at a time, and the states its tags name are
 * fetched while the next batch is hashed.
 */
enum { LINE_BATCH = 16, LINE_SCRATCH = 2048 };

typedef struct line_batch {
	size_t n;                  /* lines in the batch */
	const char *line[LINE_BATCH];
	size_t len[LINE_BATCH];
	record rec[LINE_BATCH];
	long base;                 /* records before the batch */
	size_t ok;                 /* lines whose chain value holds, from the first */
	oa_chain_result cr;        /* how line OK does not */
	char scratch[LINE_BATCH][LINE_SCRATCH]; /* fields with "" inside, unescaped */
} line_batch;

/* Starts fetching the tag table slot of tag hash H. */
static inline void
prefetch_slot(const oa_assetjournal *j, uint64_t h)
{
	const priv *p = j->priv;

	if (p->tagcap > 0)
		fetch(&p->tags[(size_t)h & (p->tagcap - 1)]);
}

/*
 * Splits up to LINE_BATCH plain lines from *POS into B; false when it
 * stopped at a line that is not plain.
 */
static bool
split_batch(reading *rd, line_batch *b, size_t *pos, size_t len)
{
	b->n = 0;
	while (b->n < LINE_BATCH && *pos < len) {
		record *rec = &b->rec[b->n];
		size_t llen;
		if (!oa_csvline_split(rd->map + *pos, len - *pos, OA_ASSETJOURNAL_NCOLS, rec->f,
		                      rec->len, rd->opt.max_field, b->scratch[b->n],
		                      sizeof b->scratch[b->n], &llen))
			return false;
		b->line[b->n] = rd->map + *pos;
		b->len[b->n] = llen;
		rec->tag_hash = hash_bytes(rec->f[OA_AJ_TAG], rec->len[OA_AJ_TAG]);
		prefetch_slot(rd->j, rec->tag_hash);
		*pos += llen + 1;
		b->n++;
	}
	return true;
}

/* Notes, after record RECORDS (its chain value VALUE) was applied, what the reader keeps. */
static void
applied(reading *rd, long records, const char *value)
{
	priv *p = rd->j->priv;

	if (rd->state->have && records == rd->state->records) {
		memcpy(rd->at_state, value, OA_SHA256_HEX_LEN);
		rd->at_state[OA_SHA256_HEX_LEN] = '\0';
	}
	if (p->batch == 1)
		rd->pending_first_line = rd->line;
	else if (p->batch == 0) {
		rd->committed.records = records;
		memcpy(rd->committed.last, value, OA_SHA256_HEX_LEN);
		rd->committed.last[OA_SHA256_HEX_LEN] = '\0';
	}
}

/* Applies the records of B in order, up to its first broken chain value. */
static int
apply_batch(reading *rd, const line_batch *b, oa_error *err)
{
	for (size_t i = 0; i < b->n; i++) {
		rd->line++;
		if (i == b->ok)
			return chain_error(err, rd->j->path, rd->line, b->line[i], b->len[i], b->cr);
		if (apply(rd->j, &b->rec[i], rd->j->path, rd->line,
		          rd->map_off + (off_t)(b->line[i] + b->len[i] + 1 - rd->map), err) < 0)
			return -1;
		applied(rd, b->base + (long)i + 1, b->line[i] + b->len[i] - OA_SHA256_HEX_LEN);
	}
	return 0;
}

/*
 * The record on the line at MAP+POS, one the fast path does not take: the
 * CSV reader reads it alone and says what is wrong with it, if anything
 * is; then its chain value is checked and it is applied.  RD's line
 * number moves on to it; *NEXT is the offset of the line after it.
 */
static int
read_one(reading *rd, size_t pos, size_t len, size_t *next, oa_error *err)
{
	oa_assetjournal *j = rd->j;
	const char *path = j->path, *s = rd->map + pos;
	const char *nl = memchr(s, '\n', len - pos);
	size_t llen = (size_t)(nl - s);
	oa_csv_reader *r;
	oa_chain_result cr;
	record rec;
	int rc;

	rd->line++;
	*next = pos + llen + 1;
	if (llen == 0)
		return oa_error_set(err, path, rd->line, "an empty line");
	r = oa_csv_reader_memory(s, llen + 1, path, &rd->opt, err);
	if (r == NULL)
		return -1;
	oa_csv_reader_set_width(r, OA_ASSETJOURNAL_NCOLS);
	rc = oa_csv_read(r, err);
	if (rc < 0) {
		if (err->line > 0)
			err->line += rd->line - 1;
	} else if (rc == 0 || oa_csv_nfields(r) != OA_ASSETJOURNAL_NCOLS) {
		rc = oa_error_set(err, path, rd->line, "%zu fields where %d were due",
		                  rc == 0 ? (size_t)0 : oa_csv_nfields(r), OA_ASSETJOURNAL_NCOLS);
	} else if ((cr = oa_chain_verify(&j->chain, s, llen, NULL)) != OA_CHAIN_OK) {
		rc = chain_error(err, path, rd->line, s, llen, cr);
	} else {
		oa_csv_fields(r, rec.f, rec.len, OA_ASSETJOURNAL_NCOLS);
		rec.tag_hash = 0;
		rc = apply(j, &rec, path, rd->line, rd->map_off + (off_t)*next, err);
		if (rc >= 0)
			applied(rd, j->chain.records, j->chain.last);
	}
	oa_csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

/*
 * The journal is read through a window of WINDOW bytes (larger when a line
 * is), not whole: a large journal costs no more memory than a small one,
 * and the pages are the same few, touched again.  Read, not mapped: a
 * writer that cuts off uncommitted events meanwhile shrinks the file,
 * which would fault a mapping.
 */
enum { WINDOW = 4 << 20 };

typedef struct window {
	int fd;
	char *buf;
	size_t cap, have;          /* bytes in buf */
	off_t off;                 /* the file offset of buf[0] */
	off_t size;                /* the file's size when reading began: read no further */
	bool eof;
} window;

/* Reads on into W until it is full or the file ends. */
static int
window_fill(window *w, const char *path, oa_error *err)
{
	while (!w->eof && w->have < w->cap) {
		off_t at = w->off + (off_t)w->have;
		size_t want = w->cap - w->have;
		ssize_t n;

		if (at >= w->size) {
			w->eof = true;
			break;
		}
		if ((off_t)want > w->size - at)
			want = (size_t)(w->size - at);
		n = pread(w->fd, w->buf + w->have, want, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return oa_error_sys(err, path, "cannot read");
		if (n == 0)
			w->eof = true; /* shrunk meanwhile: what was read is the journal */
		w->have += (size_t)n;
	}
	return 0;
}

/* The length of W's complete lines. */
static size_t
window_lines(const window *w)
{
	size_t len = w->have;

	while (len > 0 && w->buf[len - 1] != '\n')
		len--;
	return len;
}

/*
 * Drops W's first LEN bytes and reads on; a window holding no line break
 * grows first.
 */
static int
window_advance(window *w, size_t len, const char *path, oa_error *err)
{
	memmove(w->buf, w->buf + len, w->have - len);
	w->have -= len;
	w->off += (off_t)len;
	if (w->have == w->cap) {
		char *nb = realloc(w->buf, w->cap * 2);
		if (nb == NULL)
			return oa_error_set(err, path, 0, "out of memory");
		w->buf = nb;
		w->cap *= 2;
	}
	return window_fill(w, path, err);
}

/*
 * Applies the records of MAP[pos..len), whole lines, through a pipeline of
 * two batches: while one batch's hashes are computed, the states and
 * strings the batch before it needs arrive from memory; then that batch
 * is applied.
 */
static int
read_lines(reading *rd, line_batch bs[2], size_t pos, size_t len, oa_error *err)
{
	oa_assetjournal *j = rd->j;
	line_batch *pending = NULL; /* split and verified, not yet applied */
	int cur = 0, rc = 0;

	while (rc == 0 && (pos < len || pending != NULL)) {
		line_batch *b = &bs[cur];
		bool plain_end = split_batch(rd, b, &pos, len);

		if (pending != NULL)
			for (size_t i = 0; i < pending->n; i++)
				prefetch_strings(j, pending->rec[i].tag_hash);
		b->base = j->chain.records;
		b->ok = oa_chain_verify_run(&j->chain, b->line, b->len, b->n, &b->cr);
		for (size_t i = 0; i < b->n; i++)
			prefetch_state(j, b->rec[i].tag_hash);
		if (pending != NULL && (rc = apply_batch(rd, pending, err)) < 0)
			break;
		pending = b->n > 0 ? b : NULL;
		cur ^= 1;
		if (b->ok < b->n || (!plain_end && pos < len)) {
			/* A broken chain ends the file; a line that is not
			 * plain goes to the CSV reader, after what came before. */
			if (pending != NULL && (rc = apply_batch(rd, pending, err)) < 0)
				break;
			pending = NULL;
			if (b->ok < b->n)
				break; /* apply_batch reported it */
			rc = read_one(rd, pos, len, &pos, err);
		}
	}
	return rc < 0 ? -1 : 0;
}

/*
 * Reads the journal from FD: the complete lines only (what follows the
 * last line break is a record being written or torn).  The state file is
 * read first, so that a writer appending meanwhile never looks like a loss.
 */
static int
load_fd(oa_assetjournal *j, int fd, oa_error *err)
{
	const char *path = j->path;
	struct stat st;
	window w = { .fd = fd };
	size_t len, eol;
	char head[512];
	char at_state[OA_SHA256_HEX_LEN + 1] = "";
	jstate state;
	reading rd;
	line_batch *bs;
	int rc = 0;

	if (read_state(path, &state, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return oa_error_sys(err, path, "cannot stat");
	if (st.st_size == 0)
		return check_state(path, &state, 0, "", err);
	w.size = st.st_size;
	w.cap = st.st_size < WINDOW ? (size_t)st.st_size : WINDOW;
	w.buf = malloc(w.cap);
	bs = malloc(2 * sizeof *bs);
	if (w.buf == NULL || bs == NULL) {
		free(w.buf);
		free(bs);
		return oa_error_set(err, path, 0, "out of memory");
	}
	if (window_fill(&w, path, err) < 0)
		goto out;
	len = window_lines(&w);
	header_line(head, sizeof head);
	eol = len > 0 ? (size_t)((char *)memchr(w.buf, '\n', len) - w.buf) : 0;
	/*
	 * Our header behind a BOM or before a CR: an editor's doing, said as
	 * such (anything else is not an asset journal, below).
	 */
	if (len > 0) {
		int what = 0;
		size_t hs = 0, he = eol;
		char last;
		if (eol >= 3 && memcmp(w.buf, "\xEF\xBB\xBF", 3) == 0) {
			what |= EDITOR_BOM;
			hs = 3;
		}
		if (he > hs && w.buf[he - 1] == '\r') {
			what |= EDITOR_CRLF;
			he--;
		}
		if (what != 0 && he - hs == strlen(head) && memcmp(w.buf + hs, head, he - hs) == 0) {
			if (pread(fd, &last, 1, w.size - 1) == 1 && last != '\n')
				what |= EDITOR_NO_EOL;
			rc = editor_error(err, path, 1, what);
			goto out;
		}
	}
	if (len == 0 || eol != strlen(head) || memcmp(w.buf, head, eol) != 0) {
		if (len == 0 && w.eof)
			rc = check_state(path, &state, 0, "", err);
		else
			rc = oa_error_set(err, path, 1, "not an asset journal: the header is not "
			                  "\"seq,time,date,tag,...\"");
		goto out;
	}
	oa_chain_init(&j->chain, w.buf, eol);
	j->committed_len = (off_t)eol + 1;
	rd = (reading){ .j = j, .map = w.buf, .line = 1, .state = &state, .at_state = at_state,
	                .committed = j->chain };
	oa_csv_options_init(&rd.opt);
	rd.opt.encoding = OA_ENC_UTF8;
	for (size_t pos = eol + 1;; pos = 0) {
		rd.map = w.buf;
		rd.map_off = w.off;
		if ((rc = read_lines(&rd, bs, pos, len, err)) < 0)
			break;
		if (w.eof && len == w.have)
			break;
		if ((rc = window_advance(&w, len, path, err)) < 0)
			break;
		len = window_lines(&w);
		if (len == 0 && w.eof)
			break; /* a last line without its line end: W holds it */
	}
	/*
	 * After the last line end: a record cut short by a crash (a writer
	 * killed mid-append), which is left out here and cut off by the next
	 * writer (oa_journal_open); or a whole record whose line end an editor
	 * dropped, which is refused: cutting it would lose a record.
	 */
	if (rc == 0 && w.eof && len == 0 && w.have > 0) {
		oa_chain probe = j->chain;
		bool cr = w.buf[w.have - 1] == '\r';
		if (oa_chain_verify(&probe, w.buf, w.have - cr, NULL) == OA_CHAIN_OK)
			rc = editor_error(err, path, rd.line + 1, EDITOR_NO_EOL | (cr ? EDITOR_CRLF : 0));
		else
			j->torn_line = rd.line + 1;
	}
	if (rd.pending_first_line != 0)
		j->pending_first_line = rd.pending_first_line;
	((priv *)j->priv)->committed = rd.committed;
	if (rc == 0)
		rc = check_state(path, &state, j->chain.records, at_state, err);
	if (rc == 0) {
		if (((priv *)j->priv)->keep_pending)
			j->pending = ((priv *)j->priv)->batch;
		else
			undo_batch(j);
	}
out:
	free(w.buf);
	free(bs);
	return rc < 0 ? -1 : 0;
}

bool
oa_assetjournal_as_of(const oa_assetjournal *j, size_t i, oa_asset_as_of *out)
{
	const priv *p = j->priv;
	const oa_asset_state *st;

	if (p == NULL || !p->has_as_of || i >= j->nstates)
		return false;
	if (i < p->ascap && p->as[i].seq != 0) {
		/* Kept when its first event after the day came. */
		*out = p->as[i];
		return out->seq > 0;
	}
	st = &j->states[i];
	if (st->events == 0 || st->last_date > p->as_of)
		return false;
	/* No event after the day: the state now is that day's. */
	*out = (oa_asset_as_of){ .seq = st->last_seq, .date = st->last_date,
	                         .lent_on = st->lent_on, .due = st->due, .status = st->status,
	                         .department = st->department, .custodian = st->custodian,
	                         .location = st->location, .borrower = st->borrower,
	                         .borrower_department = st->borrower_department };
	return true;
}

int
oa_assetjournal_load(oa_assetjournal *j, const char *path, const char *keep, oa_error *err)
{
	return oa_assetjournal_load_as_of(j, path, keep, OA_NO_DAY, err);
}

int
oa_assetjournal_load_as_of(oa_assetjournal *j, const char *path, const char *keep,
                           oa_date as_of, oa_error *err)
{
	int fd, rc;

	if (init(j, path, keep, err) < 0)
		return -1;
	((priv *)j->priv)->has_as_of = j->as_of_kept = as_of != OA_NO_DAY;
	((priv *)j->priv)->as_of = j->as_of = as_of;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return check_missing(path, err);
		return oa_error_sys(err, path, "cannot open");
	}
	rc = load_fd(j, fd, err);
	close(fd);
	return rc;
}

void
oa_assetjournal_release(oa_assetjournal *j)
{
	priv *p = j->priv;

	if (p != NULL) {
		while (p->chunks) {
			chunk *c = p->chunks;
			p->chunks = c->next;
			free(c);
		}
		free(p->strs);
		free(p->tags);
		free(p->undo);
		free(p->dchanges);
		free(p->as);
		tagset_free(p->keep_tags);
		free(p->keep_tags);
		free(p);
	}
	for (size_t i = 0; i < j->nevents; i++)
		free_event(&j->events[i]);
	free(j->events);
	free(j->states);
	free(j->gaps);
	free(j->path);
	memset(j, 0, sizeof *j);
}

const char *
oa_assetjournal_department_at(const oa_assetjournal *j, const oa_asset_state *st, oa_date day,
                              const char *now)
{
	const priv *p = j->priv;

	for (long k = st ? st->dept_changes : 0; k != 0; k = p->dchanges[k - 1].next)
		if (p->dchanges[k - 1].date > day)
			return p->dchanges[k - 1].from;
	return now;
}

const oa_asset_event *
oa_assetjournal_at(const oa_assetjournal *j, oa_date date)
{
	const oa_asset_event *found = NULL;

	for (size_t i = 0; i < j->nevents; i++)
		if (j->events[i].date <= date)
			found = &j->events[i];
	return found;
}

/* ---- writing ---- */

/* A field for the journal: line breaks become spaces. */
static void
write_clean(oa_csv_writer *w, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	char *p = malloc(len + 1);

	if (p == NULL) {
		oa_csv_write_field(w, s, len);
		return;
	}
	for (size_t i = 0; i < len; i++)
		p[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	oa_csv_write_field(w, p, len);
	free(p);
}

/*
 * Formats the record of fields V (chain excluded), seals it and appends
 * it to OUT; applies it to J first, so that a record the reader would
 * refuse is never written.
 */
static int
emit(oa_assetjournal *j, oa_csv_writer *w, const char *const *v, FILE *out,
     const char *file, long line, oa_error *err)
{
	record rec;
	const char *body;
	size_t blen;
	char hex[OA_SHA256_HEX_LEN + 1];
	char *clean[OA_ASSETJOURNAL_NCOLS];

	for (int i = 0; i < OA_ASSETJOURNAL_NCOLS - 1; i++) {
		const char *s = v[i] ? v[i] : "";
		clean[i] = strdup(s);
		if (clean[i] == NULL) {
			while (i-- > 0)
				free(clean[i]);
			return oa_error_set(err, file, line, "out of memory");
		}
		for (char *c = clean[i]; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		rec.f[i] = clean[i];
		rec.len[i] = strlen(clean[i]);
	}
	rec.f[OA_AJ_CHAIN] = "";
	rec.len[OA_AJ_CHAIN] = 0;
	rec.tag_hash = 0;
	int rc = apply(j, &rec, file, line, 0, err);
	if (rc == 0) {
		for (int i = 0; i < OA_ASSETJOURNAL_NCOLS - 1; i++)
			write_clean(w, clean[i]);
		oa_csv_write_field(w, "", 0);
		oa_csv_end_record(w);
		body = oa_csv_writer_take(w, &blen);
		if (blen > 0 && body[blen - 1] == '\n')
			blen--;
		oa_chain_seal(&j->chain, body, blen, hex);
		fwrite(body, 1, blen, out);
		fputs(hex, out);
		fputc('\n', out);
	}
	for (int i = 0; i < OA_ASSETJOURNAL_NCOLS - 1; i++)
		free(clean[i]);
	return rc;
}

/* The commit record for the batch of N events. */
static int
emit_commit(oa_assetjournal *j, oa_csv_writer *w, const char *time, const char *actor,
            FILE *out, oa_error *err)
{
	const char *v[OA_ASSETJOURNAL_NCOLS] = { 0 };
	char seq[24], n[24];

	snprintf(seq, sizeof seq, "%ld", j->last_seq + 1);
	snprintf(n, sizeof n, "%ld", ((priv *)j->priv)->batch);
	v[OA_AJ_SEQ] = seq;
	v[OA_AJ_TIME] = time;
	v[OA_AJ_EVENT] = "commit";
	v[OA_AJ_ACTOR] = actor;
	v[OA_AJ_NOTE] = n;
	return emit(j, w, v, out, j->path, 0, err);
}

static bool
streq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The register's status with an empty cell read as in-use (asset-tag's default). */
static oa_asset_status
reg_status(const oa_register *reg, size_t row, bool *unknown)
{
	const char *s = oa_register_get(reg, row, OA_REG_STATUS);
	oa_asset_status st;

	*unknown = false;
	if (s[0] == '\0')
		return OA_AST_IN_USE;
	st = oa_register_status(reg, row);
	if (st == OA_AST_NONE)
		*unknown = true;
	return st;
}

/* The tail of the journal after COMMITTED_LEN: the pending records, parsed. */
static int
pending_records(const char *path, int rfd, off_t from, off_t size, char **buf, oa_error *err)
{
	size_t n = (size_t)(size - from);

	*buf = malloc(n + 1);
	if (*buf == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	if (pread(rfd, *buf, n, from) != (ssize_t)n) {
		free(*buf);
		return oa_error_sys(err, path, "cannot read");
	}
	(*buf)[n] = '\0';
	return 0;
}

/*
 * Decides what the pending events were: compares, for every tag they
 * name, the register with the state before the first and after the last.
 * 1: the register shows their end; 0: their start; -1: neither (err).
 */
static int
pending_outcome(const oa_assetjournal *j, int rfd, const oa_register *reg, oa_error *err)
{
	struct stat st;
	char *buf;
	oa_csv_options opt;
	oa_csv_reader *r;
	bool start_ok = true, end_ok = true;
	int rc;

	if (fstat(rfd, &st) < 0)
		return oa_error_sys(err, j->path, "cannot stat");
	if (pending_records(j->path, rfd, j->committed_len, st.st_size, &buf, err) < 0)
		return -1;
	oa_csv_options_init(&opt);
	opt.encoding = OA_ENC_UTF8;
	r = oa_csv_reader_memory(buf, strlen(buf), j->path, &opt, err);
	if (r == NULL) {
		free(buf);
		return -1;
	}
	/* Per tag, the first event's from_ values and the last one's values. */
	typedef struct seen {
		char tag[OA_TAG_MAX];
		char *first[4], *last[4];
	} seen;
	seen *v = NULL;
	size_t nv = 0;
	while ((rc = oa_csv_read(r, err)) > 0) {
		const char *tag = oa_csv_field(r, OA_AJ_TAG);
		size_t i;
		for (i = 0; i < nv; i++)
			if (strcmp(v[i].tag, tag) == 0)
				break;
		if (i == nv) {
			seen *nvv = realloc(v, (nv + 1) * sizeof *v);
			if (nvv == NULL) {
				rc = oa_error_set(err, j->path, 0, "out of memory");
				break;
			}
			v = nvv;
			memset(&v[nv], 0, sizeof v[nv]);
			snprintf(v[nv].tag, sizeof v[nv].tag, "%s", tag);
			for (int c = 0; c < 4; c++)
				v[nv].first[c] = strdup(oa_csv_field(r, OA_AJ_FROM_DEPARTMENT + c));
			nv++;
		}
		for (int c = 0; c < 4; c++) {
			free(v[i].last[c]);
			v[i].last[c] = strdup(oa_csv_field(r, OA_AJ_DEPARTMENT + c));
		}
	}
	oa_csv_reader_free(r);
	free(buf);
	for (size_t i = 0; i < nv && rc == 0; i++) {
		long row = oa_register_find(reg, v[i].tag, strlen(v[i].tag));
		if (row < 0) {
			start_ok = end_ok = false;
			break;
		}
		bool unknown;
		oa_asset_status s = reg_status(reg, (size_t)row, &unknown);
		const char *now[4] = { oa_register_get(reg, (size_t)row, OA_REG_DEPARTMENT),
		                       oa_register_get(reg, (size_t)row, OA_REG_CUSTODIAN),
		                       oa_register_get(reg, (size_t)row, OA_REG_LOCATION),
		                       oa_asset_status_en(s) };
		for (int c = 0; c < 4; c++) {
			/* A column the register lacks holds nothing either way. */
			bool absent = c < 3 && reg->idx[OA_REG_DEPARTMENT + c] < 0;
			if (!absent && !streq(now[c], v[i].first[c]))
				start_ok = false;
			if (!absent && !streq(now[c], v[i].last[c]))
				end_ok = false;
		}
	}
	for (size_t i = 0; i < nv; i++)
		for (int c = 0; c < 4; c++) {
			free(v[i].first[c]);
			free(v[i].last[c]);
		}
	free(v);
	if (rc < 0)
		return -1;
	if (start_ok)
		return 0; /* also when both hold: the batch changed nothing visible */
	if (end_ok)
		return 1;
	return oa_error_set(err, j->path, j->pending_first_line,
	                    "the last %ld events were never committed and the register shows "
	                    "neither their start nor their end (was it edited meanwhile?): "
	                    "see asset-log check", j->pending);
}

/*
 * Settles the events a dead writer left after the last commit: cuts them
 * off when the register shows their start, commits them when it shows
 * their end, else fails (pending_outcome).  J is then as if just read.
 */
static int
settle(oa_assetjournal *j, int fd, int rfd, const oa_register *reg, const char *time,
       const char *who, oa_error *err)
{
	int outcome = pending_outcome(j, rfd, reg, err);
	priv *p;

	if (outcome < 0)
		return -1;
	if (outcome == 0) {
		if (ftruncate(fd, j->committed_len) < 0 || fsync(fd) < 0)
			return oa_error_sys(err, j->path, "cannot remove uncommitted events");
		j->chain = ((priv *)j->priv)->committed;
		j->pending = 0;
		return 0;
	}
	/* Read again with them applied, and append their commit. */
	char *path = strdup(j->path);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	oa_csv_writer *w;
	int rc = -1;

	if (path == NULL)
		return oa_error_set(err, j->path, 0, "out of memory");
	oa_assetjournal_release(j);
	rc = init(j, path, NULL, err);
	free(path);
	if (rc < 0)
		return -1;
	p = j->priv;
	p->keep_pending = true;
	if (load_fd(j, rfd, err) < 0)
		return -1;
	p->keep_pending = false;
	j->pending = 0;
	if ((mem = open_memstream(&buf, &len)) == NULL)
		return oa_error_set(err, j->path, 0, "out of memory");
	if ((w = oa_csv_writer_new_held(false)) == NULL) {
		fclose(mem);
		free(buf);
		return oa_error_set(err, j->path, 0, "out of memory");
	}
	rc = emit_commit(j, w, time, who, mem, err);
	oa_csv_writer_free(w);
	if (fflush(mem) == EOF && rc == 0)
		rc = oa_error_set(err, j->path, 0, "out of memory");
	fclose(mem);
	if (rc == 0)
		rc = oa_journal_append(fd, j->path, buf, len, err);
	if (rc == 0)
		rc = write_state(j->path, &j->chain, err);
	free(buf);
	return rc;
}

/* The departments the register names, sorted, for a config without [departments]. */
typedef struct known_set {
	const char **v;
	size_t n;
} known_set;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
known_build(known_set *k, const oa_register *reg)
{
	k->n = 0;
	k->v = malloc((reg->nrows + 1) * sizeof *k->v);
	if (k->v == NULL)
		return -1;
	for (size_t r = 0; r < reg->nrows; r++)
		k->v[k->n++] = oa_register_get(reg, r, OA_REG_DEPARTMENT);
	qsort(k->v, k->n, sizeof *k->v, cmp_str);
	/* Each name once: the look-ups below go through them all. */
	size_t u = 0;
	for (size_t i = 0; i < k->n; i++)
		if (u == 0 || strcmp(k->v[u - 1], k->v[i]) != 0)
			k->v[u++] = k->v[i];
	k->n = u;
	return 0;
}

/*
 * The spelling to record for department NAME: the register's own when it
 * names the department in another case or width ("general office" typed,
 * "General Office" in the register), so that reports count one department
 * once; NAME when the register has it as typed; NULL when the register
 * does not name it.
 */
static const char *
department_spelling(const known_set *k, const char *name)
{
	char want[256], have[256];

	if (k->n == 0)
		return NULL;
	if (bsearch(&name, k->v, k->n, sizeof *k->v, cmp_str) != NULL)
		return name;
	oa_utf8_fold(name, strlen(name), want, sizeof want, 0);
	for (size_t i = 0; i < k->n; i++) {
		oa_utf8_fold(k->v[i], strlen(k->v[i]), have, sizeof have, 0);
		if (k->v[i][0] != '\0' && strcmp(want, have) == 0)
			return k->v[i];
	}
	return NULL;
}

/*
 * What to record for department NAME: the register's spelling, else that
 * of [departments] (one department typed "finance" and "Finance" is one
 * group in the reports and gets one notice), else NAME.
 */
static const char *
department_recorded(const oa_assetlog_options *opt, const known_set *k, const char *name)
{
	const char *sp = department_spelling(k, name);
	const oa_department *d;

	if (sp != NULL)
		return sp;
	if (opt->depts != NULL && opt->depts->count > 0 &&
	    (d = oa_departments_find(opt->depts, name, strlen(name))) != NULL)
		return d->name;
	return name;
}

/* Known departments: DEPTS, or when empty, those the register names (K). */
static bool
department_known(const oa_assetlog_options *opt, const known_set *k, const char *name)
{
	if (opt->depts != NULL && opt->depts->count > 0)
		return oa_departments_find(opt->depts, name, strlen(name)) != NULL;
	return name[0] != '\0' && department_spelling(k, name) != NULL;
}

static int
unknown_department(const oa_assetlog_options *opt, const oa_asset_change *c, const char *name,
                   oa_error *err)
{
	const oa_department *near[3];
	size_t k = 0;
	char hint[512] = "";

	if (opt->depts != NULL && opt->depts->count > 0)
		k = oa_departments_suggest(opt->depts, name, strlen(name), near, 3);
	for (size_t i = 0, used = 0; i < k && i < 3 && used < sizeof hint; i++)
		used += (size_t)snprintf(hint + used, sizeof hint - used, "%s\"%s\"",
		                         i ? ", " : " (did you mean ", near[i]->name);
	if (k > 0)
		strncat(hint, ")", sizeof hint - strlen(hint) - 1);
	return oa_error_set(err, c->file, c->line, "unknown department \"%s\"%s%s", name, hint,
	                    opt->depts != NULL && opt->depts->count > 0
	                    ? "" : " (not in the register; list it in [departments])");
}

/* Checks change C against the register row, fills V with its record. */
static int
make_record(oa_assetjournal *j, oa_register *reg, const oa_assetlog_options *opt,
            const known_set *known, oa_asset_change *c, const char *time, const char **v, char (*buf)[OA_TAG_MAX],
            long *row_out, oa_error *err)
{
	char norm[OA_TAG_MAX];
	size_t nlen = c->tag ? oa_tag_normalise(c->tag, strlen(c->tag), norm, sizeof norm) : 0;
	long row;
	bool unknown;
	oa_asset_status from, before;
	const oa_asset_state *st;
	oa_date acquired;
	const char *acq;

	if (nlen == 0)
		return oa_error_set(err, c->file, c->line, "no tag");
	row = oa_register_find(reg, norm, nlen);
	if (row < 0) {
		char hint[320];
		oa_register_suggest(reg, norm, nlen, hint, sizeof hint);
		return oa_error_set(err, c->file, c->line, "unknown tag \"%s\": not in %s%s", norm,
		                    reg->path, hint);
	}
	/* Typed as "bgs20260001o": the journal names it as the register does. */
	acq = oa_register_get(reg, (size_t)row, OA_REG_TAG);
	oa_tag_normalise(acq, strlen(acq), norm, sizeof norm);
	from = reg_status(reg, (size_t)row, &unknown);
	if (unknown)
		return oa_error_set(err, c->file, c->line,
		                    "\"%s\" has status \"%s\" (%s:%ld), which is not one of in-use, "
		                    "idle, repair, lent, missing, disposed", norm,
		                    oa_register_get(reg, (size_t)row, OA_REG_STATUS), reg->path,
		                    oa_register_line(reg, (size_t)row));
	if (!may_start(c->kind, from))
		return oa_error_set(err, c->file, c->line, "cannot %s \"%s\": it %s",
		                    event_names[c->kind], norm, refusal(c->kind, from));
	if (c->date > opt->today) {
		char d[11];
		oa_date_format(c->date, d);
		return oa_error_set(err, c->file, c->line, "%s of \"%s\" dated %s, in the future",
		                    event_names[c->kind], norm, d);
	}
	acq = oa_register_get(reg, (size_t)row, OA_REG_ACQUIRED);
	if (oa_date_parse_excel(acq, strlen(acq), &acquired) == 0) {
		if (c->date < acquired)
			return oa_error_set(err, c->file, c->line,
			                    "%s of \"%s\" dated before its acquisition (%s, %s:%ld)",
			                    event_names[c->kind], norm, acq, reg->path,
			                    oa_register_line(reg, (size_t)row));
	} else if (acq[strspn(acq, " \t")] != '\0') {
		/* A cell that is no date cannot vouch for the event's date. */
		return oa_error_set(err, c->file, c->line,
		                    "\"%s\": its acquisition date \"%s\" (%s:%ld) is not a date "
		                    "(2026-01-12, 2026/1/12, 2026年1月12日%s): correct the cell, so the "
		                    "event's date can be checked against it", norm, acq, reg->path,
		                    oa_register_line(reg, (size_t)row),
		                    oa_date_looks_like_serial(acq, strlen(acq))
		                    ? "; an Excel day number: format the column as a date" : "");
	}
	st = oa_assetjournal_state(j, norm);
	before = st != NULL && (st->status == OA_AST_LENT || st->status == OA_AST_REPAIR)
	         ? st->before : OA_AST_IN_USE;
	for (int i = 0; i < OA_ASSETJOURNAL_NCOLS; i++)
		v[i] = "";
	snprintf(buf[0], OA_TAG_MAX, "%ld", j->last_seq + 1);
	oa_date_format(c->date, buf[1]);
	v[OA_AJ_SEQ] = buf[0];
	v[OA_AJ_TIME] = time;
	v[OA_AJ_DATE] = buf[1];
	v[OA_AJ_TAG] = strcpy(buf[2], norm);
	v[OA_AJ_EVENT] = event_names[c->kind];
	v[OA_AJ_ACTOR] = c->actor;
	v[OA_AJ_FROM_DEPARTMENT] = oa_register_get(reg, (size_t)row, OA_REG_DEPARTMENT);
	v[OA_AJ_FROM_CUSTODIAN] = oa_register_get(reg, (size_t)row, OA_REG_CUSTODIAN);
	v[OA_AJ_FROM_LOCATION] = oa_register_get(reg, (size_t)row, OA_REG_LOCATION);
	v[OA_AJ_FROM_STATUS] = oa_asset_status_en(from);
	v[OA_AJ_DEPARTMENT] = v[OA_AJ_FROM_DEPARTMENT];
	v[OA_AJ_CUSTODIAN] = v[OA_AJ_FROM_CUSTODIAN];
	v[OA_AJ_LOCATION] = v[OA_AJ_FROM_LOCATION];
	v[OA_AJ_STATUS] = oa_asset_status_en(result_status(c->kind, from, before));
	v[OA_AJ_NOTE] = c->note;
	switch (c->kind) {
	case OA_AEV_TRANSFER:
		/* What goes into the register's cells: a spreadsheet would run
		 * it as a formula (=HYPERLINK(...), -2+3+cmd|'/C calc'!A0). */
		{
			const char *into[3] = { c->department, c->custodian, c->location };
			static const char *const col[3] = { "department", "custodian", "location" };
			for (int k = 0; k < 3; k++)
				if (into[k] != NULL && formula_like(into[k]))
					return oa_error_set(err, c->file, c->line,
					                    "%s \"%.*s\" for \"%s\" would be run as a formula "
					                    "by a spreadsheet opening the register (it starts "
					                    "with '%c'%s): write it without", col[k],
					                    oa_utf8_cut48(into[k]), into[k], norm, into[k][0],
					                    into[k][0] == '=' ? "" : " and calls or links");
		}
		if (c->department != NULL && c->department[0] != '\0') {
			if (!department_known(opt, known, c->department))
				return unknown_department(opt, c, c->department, err);
			v[OA_AJ_DEPARTMENT] = department_recorded(opt, known, c->department);
		}
		if (c->custodian != NULL && c->custodian[0] != '\0')
			v[OA_AJ_CUSTODIAN] = c->custodian;
		if (c->location != NULL && c->location[0] != '\0')
			v[OA_AJ_LOCATION] = c->location;
		if (streq(v[OA_AJ_DEPARTMENT], v[OA_AJ_FROM_DEPARTMENT]) &&
		    streq(v[OA_AJ_CUSTODIAN], v[OA_AJ_FROM_CUSTODIAN]) &&
		    streq(v[OA_AJ_LOCATION], v[OA_AJ_FROM_LOCATION]))
			return oa_error_set(err, c->file, c->line,
			                    "transfer of \"%s\" changes nothing (give a new department, "
			                    "custodian or location)", norm);
		break;
	case OA_AEV_LEND:
		if (c->borrower == NULL || c->borrower[0] == '\0')
			return oa_error_set(err, c->file, c->line, "lend of \"%s\" without a borrower", norm);
		if (c->due < 0)
			return oa_error_set(err, c->file, c->line, "lend of \"%s\" without a due date", norm);
		if (c->due < c->date)
			return oa_error_set(err, c->file, c->line, "lend of \"%s\" due before it is lent",
			                    norm);
		v[OA_AJ_BORROWER] = c->borrower;
		v[OA_AJ_BORROWER_DEPARTMENT] = c->borrower_department && c->borrower_department[0]
		                               ? department_recorded(opt, known, c->borrower_department)
		                               : v[OA_AJ_FROM_DEPARTMENT];
		if (c->borrower_department && c->borrower_department[0] &&
		    !department_known(opt, known, c->borrower_department))
			return unknown_department(opt, c, c->borrower_department, err);
		oa_date_format(c->due, buf[3]);
		v[OA_AJ_DUE] = buf[3];
		break;
	case OA_AEV_DISPOSE:
		if (c->method == OA_DISPOSE_NONE)
			return oa_error_set(err, c->file, c->line,
			                    "disposal of \"%s\" without a method (scrap 报废, sale 出售, "
			                    "donation 捐赠)", norm);
		{
			/* Every missing part at once, not one per attempt. */
			const char *need[3] = { "a reason (--reason, 原因)",
			                        "an approver (--approver, 批准人)",
			                        "the approval document number (--document, 批准文号)" };
			const char *part[3] = { c->reason, c->approver, c->document };
			char list[256] = "";
			for (int k = 0; k < 3; k++)
				if (part[k] == NULL || !part[k][0])
					snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					         list[0] ? ", " : "", need[k]);
			if (list[0])
				return oa_error_set(err, c->file, c->line, "disposal of \"%s\" without %s",
				                    norm, list);
		}
		v[OA_AJ_METHOD] = method_names[c->method];
		v[OA_AJ_REASON] = c->reason;
		v[OA_AJ_APPROVER] = c->approver;
		v[OA_AJ_DOCUMENT] = c->document;
		break;
	default:
		break;
	}
	*row_out = row;
	return 0;
}

/* Updates the register row for the record V. */
static int
update_register(oa_register *reg, long row, const char *const *v, oa_error *err)
{
	static const int cols[3] = { OA_REG_DEPARTMENT, OA_REG_CUSTODIAN, OA_REG_LOCATION };

	for (int c = 0; c < 3; c++) {
		const char *now = oa_register_get(reg, (size_t)row, cols[c]);
		if (!streq(now, v[OA_AJ_DEPARTMENT + c]) &&
		    oa_register_set(reg, (size_t)row, cols[c], v[OA_AJ_DEPARTMENT + c], err) < 0)
			return -1;
	}
	if (strcmp(v[OA_AJ_STATUS], v[OA_AJ_FROM_STATUS]) != 0 ||
	    oa_register_get(reg, (size_t)row, OA_REG_STATUS)[0] == '\0') {
		oa_asset_status s = status_en(v[OA_AJ_STATUS], strlen(v[OA_AJ_STATUS]));
		if (strcmp(v[OA_AJ_STATUS], v[OA_AJ_FROM_STATUS]) != 0 &&
		    oa_register_set_status(reg, (size_t)row, s, err) < 0)
			return -1;
	}
	return 0;
}

/* qsort_r: kept events (EVENTS) by their indices A and B, in the order of their tags. */
static int
event_tag_cmp(const void *a, const void *b, void *events)
{
	const oa_asset_event *x = &((const oa_asset_event *)events)[*(const size_t *)a];
	const oa_asset_event *y = &((const oa_asset_event *)events)[*(const size_t *)b];

	return strcmp(x->f[OA_AJ_TAG], y->f[OA_AJ_TAG]);
}

/* The columns that make two records the same event (who and when recorded aside). */
static const int same_cols[] = { OA_AJ_DATE, OA_AJ_EVENT, OA_AJ_DEPARTMENT, OA_AJ_CUSTODIAN,
	OA_AJ_LOCATION, OA_AJ_STATUS, OA_AJ_BORROWER, OA_AJ_BORROWER_DEPARTMENT, OA_AJ_DUE,
	OA_AJ_METHOD, OA_AJ_REASON, OA_AJ_APPROVER, OA_AJ_DOCUMENT, OA_AJ_NOTE };

/* Whether the kept record E says what V does, of the same tag. */
static bool
same_event(const oa_asset_event *e, const char *const *v)
{
	if (strcmp(e->f[OA_AJ_TAG], v[OA_AJ_TAG]) != 0)
		return false;
	for (size_t i = 0; i < sizeof same_cols / sizeof same_cols[0]; i++) {
		const char *x = v[same_cols[i]] ? v[same_cols[i]] : "";
		if (strcmp(x, e->f[same_cols[i]]) != 0)
			return false;
	}
	return true;
}

/* Keeps problem E of a list after its first in PR. */
static void
add_problem(oa_asset_problems *pr, const oa_error *e)
{
	if (pr->n < pr->cap)
		pr->v[pr->n++] = *e;
	else
		pr->more++;
}

/* Everything under the two locks, J read already.  FD appends, RFD reads. */
static int
record_locked(oa_assetjournal *j, int fd, int rfd, const char *regpath,
              oa_asset_change *changes, size_t n, const oa_assetlog_options *opt,
              oa_error *err)
{
	oa_register reg;
	oa_file_stamp stamp, now;
	oa_atomic_file af = { .fd = -1 };
	oa_csv_writer *w = NULL;
	char *buf = NULL, *cbuf = NULL;
	size_t buflen = 0, cbuflen = 0;
	FILE *mem = NULL, *cmem = NULL;
	char time[20];
	struct stat st;
	off_t before;
	known_set known = { NULL, 0 };
	sigset_t held_was;
	bool held = false;
	int rc = -1;

	if (oa_file_stamp_get(regpath, &stamp, err) < 0)
		return -1;
	if (oa_register_load(&reg, regpath, &opt->csv, err) < 0)
		goto out;
	if (oa_assetjournal_check_lost(j, &reg, err) < 0)
		goto out;
	if (opt->register_totals != NULL && reg.ntotals > 0) {
		oa_asset_changes_skipped *t = opt->register_totals;
		t->lines = malloc(reg.ntotals * sizeof *t->lines);
		t->words = malloc(reg.ntotals * sizeof *t->words);
		if (t->lines == NULL || t->words == NULL) {
			oa_asset_changes_skipped_release(t);
			goto nomem;
		}
		memcpy(t->lines, reg.total_lines, reg.ntotals * sizeof *t->lines);
		memcpy(t->words, reg.total_words, reg.ntotals * sizeof *t->words);
		t->n = reg.ntotals;
	}
	oa_datetime_format(opt->now, time);
	if ((w = oa_csv_writer_new_held(false)) == NULL)
		goto nomem;

	/* Events a dead writer left after the last commit. */
	if (j->pending > 0 && settle(j, fd, rfd, &reg, time, opt->who, err) < 0)
		goto out;
	if (fstat(rfd, &st) < 0) {
		oa_error_sys(err, j->path, "cannot stat");
		goto out;
	}

	/* Changes made outside the journal that this run's events start from. */
	size_t gaps_before = j->ngaps;

	/* Built before any cell is set, so it points into the register's
	 * arena of cells as read, which setting a cell never frees. */
	if (known_build(&known, &reg) < 0)
		goto nomem;
	mem = open_memstream(&buf, &buflen);
	if (mem == NULL)
		goto nomem;
	if (st.st_size == 0) {
		char head[512];
		header_line(head, sizeof head);
		fprintf(mem, "%s\n", head);
		oa_chain_init(&j->chain, head, strlen(head));
	}
	size_t failed = 0;
	if (opt->problems != NULL)
		opt->problems->n = opt->problems->more = 0;
	/* The journal's records of the list's tags (kept while it was read);
	 * the list's own events are kept after them. */
	size_t kept_before = j->nevents, repeat_at = n;
	tagset firsts = { 0 };  /* the tags whose first row was seen */
	size_t *by_tag = NULL;  /* the kept records, in the order of their tags */
	if (opt->refuse_repeat && n > 0) {
		if (tagset_init(&firsts, n) < 0 ||
		    (by_tag = malloc((kept_before ? kept_before : 1) * sizeof *by_tag)) == NULL)
			goto out_repeat_nomem;
		for (size_t e = 0; e < kept_before; e++)
			by_tag[e] = e;
		qsort_r(by_tag, kept_before, sizeof *by_tag, event_tag_cmp, j->events);
	}
	for (size_t i = 0; i < n; i++) {
		const char *v[OA_ASSETJOURNAL_NCOLS];
		char fbuf[4][OA_TAG_MAX];
		long row = -1;
		oa_error later;

		/* The change checked against the register (make_record), then
		 * as the journal's replay checks its record (emit, which applies
		 * it only when it holds).  With a list of problems, a change that
		 * fails is left out and the next ones are checked without it. */
		if (make_record(j, &reg, opt, &known, &changes[i], time, v, fbuf, &row,
		                failed == 0 ? err : &later) < 0 ||
		    emit(j, w, v, mem, changes[i].file, changes[i].line,
		         failed == 0 ? err : &later) < 0) {
			if (opt->problems == NULL)
				goto out_repeat;
			if (failed++ > 0)
				add_problem(opt->problems, &later);
			continue;
		}
		changes[i].seq = j->last_seq;
		/* A tag's first row in the list that is already a record of it
		 * (the same event, day and values): the list, or its start, was
		 * applied before (yesterday's sheet with rows added below). */
		if (by_tag != NULL && repeat_at == n &&
		    !tagset_has(&firsts, v[OA_AJ_TAG], strlen(v[OA_AJ_TAG]), true)) {
			/* Its records: a run of BY_TAG, found by halving. */
			size_t lo = 0, hi = kept_before;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (strcmp(j->events[by_tag[mid]].f[OA_AJ_TAG], v[OA_AJ_TAG]) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < kept_before && repeat_at == n &&
			       strcmp(j->events[by_tag[lo]].f[OA_AJ_TAG], v[OA_AJ_TAG]) == 0; lo++)
				if (same_event(&j->events[by_tag[lo]], v))
					repeat_at = i;
		}
		if (update_register(&reg, row, v, failed ? &later : err) < 0)
			goto out_repeat; /* out of memory: after a problem, ERR keeps it */
	}
	tagset_free(&firsts);
	free(by_tag);
	by_tag = NULL;
	firsts = (tagset){ 0 };
	if (failed > 0)
		goto out_repeat; /* ERR holds the first */
	if (repeat_at < n) {
		oa_error_set(err, changes[repeat_at].file, changes[repeat_at].line,
		             "the %s of \"%s\" on this line is already a record of that asset in the "
		             "journal, the same event, day and values: was the list (or its start) "
		             "applied before? nothing recorded (give --again to record it again)",
		             event_names[changes[repeat_at].kind], changes[repeat_at].tag);
		goto out_repeat;
	}
	if (fflush(mem) == EOF)
		goto nomem;
	cmem = open_memstream(&cbuf, &cbuflen);
	if (cmem == NULL || emit_commit(j, w, time, opt->who, cmem, err) < 0 || fflush(cmem) == EOF)
		goto out_nomem_if;

	/* 1. the new register, written and synced beside the old one. */
	/* The register is this run's input too: rewriting it is the point. */
	if (oa_atomic_open_flags(&af, regpath, 0644, OA_ATOMIC_REWRITE, err) < 0)
		goto out;
	if (oa_register_write(&reg, af.fp, regpath, err) < 0 || oa_atomic_prepare(&af, err) < 0)
		goto out;
	if (oa_file_stamp_get(regpath, &now, err) < 0)
		goto out;
	if (!oa_file_stamp_same(&stamp, &now)) {
		oa_error_set(err, regpath, 0, "changed since it was read (by a program that does not "
		             "take the lock?); nothing was recorded");
		goto out;
	}
	/* 2. the events.  From here to the commit record an interrupt (Ctrl-C,
	 * kill) waits: the four steps finish, or fail as they would. */
	oa_interrupts_hold(&held_was);
	held = true;
	if (fstat(fd, &st) < 0) {
		oa_error_sys(err, j->path, "cannot stat");
		goto out;
	}
	before = st.st_size;
	if (oa_journal_append(fd, j->path, buf, buflen, err) < 0)
		goto out;
	/* 3. the register. */
	if (oa_atomic_commit(&af, err) < 0) {
		oa_file_stamp after;
		if (oa_file_stamp_get(regpath, &after, NULL) == 0 && oa_file_stamp_same(&stamp, &after)) {
			/* Not renamed: the journal may not claim the events. */
			if (ftruncate(fd, before) < 0 || fsync(fd) < 0) {
				char msg[OA_ERROR_MSG_MAX];
				snprintf(msg, sizeof msg, "%s", err->msg);
				oa_error_set(err, regpath, 0, "%s; the journal keeps the events uncommitted "
				             "(the next run removes them)", msg);
			}
			goto out;
		}
		/* Renamed, but the directory's fsync failed: the events stand. */
	}
	/* 4. the commit record. */
	if (oa_journal_append(fd, j->path, cbuf, cbuflen, err) < 0) {
		char msg[OA_ERROR_MSG_MAX];
		snprintf(msg, sizeof msg, "%s", err->msg);
		oa_error_set(err, j->path, 0, "%s: the register is updated and the events are in the "
		             "journal, but not their commit record; the next asset-log run writes it",
		             msg);
		goto out;
	}
	rc = 0;
	if (j->ngaps > gaps_before) {
		/* Recorded as the register has it (the event's from_ columns
		 * keep it); said, as nobody else will see it now. */
		const oa_journal_gap *g = &j->gaps[gaps_before];
		size_t more = j->ngaps - gaps_before - 1;
		char also[48] = "";
		if (more > 0)
			snprintf(also, sizeof also, " (and %zu more such cells)", more);
		oa_error_set(err, regpath, 0, "warning: \"%s\": the register's %s is \"%s\" where the "
		             "journal left \"%s\": changed outside the journal (inventory-diff -u, "
		             "or by hand); record %ld starts from the register's value%s", g->tag,
		             oa_assetjournal_header[g->column], g->now, g->was, g->seq, also);
		rc = 1;
	}
	/* The state file, for the next reader: a failure loses no event. */
	if (write_state(j->path, &j->chain, err) < 0) {
		char msg[OA_ERROR_MSG_MAX];
		snprintf(msg, sizeof msg, "%s", err->msg);
		oa_error_set(err, j->path, 0, "warning: the events are recorded, but the state file "
		             "was not updated (%s)", msg);
		rc = 1;
	}
	goto out;
out_repeat_nomem:
	if (!oa_error_isset(err))
		oa_error_set(err, j->path, 0, "out of memory");
out_repeat:
	tagset_free(&firsts);
	free(by_tag);
	goto out;
out_nomem_if:
	if (oa_error_isset(err))
		goto out;
nomem:
	oa_error_set(err, j->path, 0, "out of memory");
out:
	oa_atomic_abort(&af);
	if (mem)
		fclose(mem);
	if (cmem)
		fclose(cmem);
	free(buf);
	free(cbuf);
	oa_csv_writer_free(w);
	free(known.v);
	oa_register_release(&reg);
	if (held)
		oa_interrupts_resume(&held_was);
	return rc;
}

int
oa_assetlog_record(const char *journal, const char *register_path, oa_asset_change *changes,
                   size_t n, const oa_assetlog_options *opt, oa_error *err)
{
	oa_assetjournal j;
	oa_lock rlock = { .fd = -1 }, jlock = { .fd = -1 };
	const char *who = opt->who ? opt->who : "asset-log";
	int fd = -1, rfd = -1, rc = -1;

	if (init(&j, journal, NULL, err) < 0)
		goto out;
	/* A list applied before: the records of its tags are kept, to be told
	 * from its rows (record_locked). */
	if (opt->refuse_repeat && n > 0) {
		priv *p = j.priv;
		p->keep_tags = calloc(1, sizeof *p->keep_tags);
		if (p->keep_tags == NULL || tagset_init(p->keep_tags, n) < 0) {
			oa_error_set(err, journal, 0, "out of memory");
			goto out;
		}
		p->keep_from = OA_NO_DAY;
		p->keep_to = OA_NO_DAY;
		for (size_t i = 0; i < n; i++) {
			if (changes[i].tag != NULL)
				tagset_has(p->keep_tags, changes[i].tag, strlen(changes[i].tag), true);
			if (p->keep_from == OA_NO_DAY || changes[i].date < p->keep_from)
				p->keep_from = changes[i].date;
			if (p->keep_to == OA_NO_DAY || changes[i].date > p->keep_to)
				p->keep_to = changes[i].date;
		}
	}
	if (oa_lock_acquire(&rlock, register_path, opt->lock_timeout_ms, who, err) < 0)
		goto out;
	if (oa_lock_acquire(&jlock, journal, opt->lock_timeout_ms, who, err) < 0)
		goto out;
	/*
	 * Read and verified before anything is changed: a journal that is
	 * refused (damaged, saved by an editor) is left as it is.  Only then
	 * may oa_journal_open cut off a record a crash left cut short, which
	 * the read has told from a whole one without its line end.
	 */
	if ((rfd = open(journal, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (load_fd(&j, rfd, err) < 0)
			goto out;
	} else if (errno != ENOENT) {
		oa_error_sys(err, journal, "cannot open");
		goto out;
	} else if (check_missing(journal, err) < 0) {
		goto out;
	}
	if ((fd = oa_journal_open(journal, err)) < 0)
		goto out;
	if (rfd < 0 && (rfd = open(journal, O_RDONLY | O_CLOEXEC)) < 0) {
		oa_error_sys(err, journal, "cannot open");
		goto out;
	}
	rc = record_locked(&j, fd, rfd, register_path, changes, n, opt, err);
out:
	if (rfd >= 0)
		close(rfd);
	if (fd >= 0)
		oa_journal_close(fd, journal); /* removes a journal this run made and left empty */
	oa_lock_release(&jlock);
	oa_lock_release(&rlock);
	oa_assetjournal_release(&j);
	return rc;
}

/* ---- a journal lost ---- */

int
oa_assetjournal_check_lost(const oa_assetjournal *j, const oa_register *reg, oa_error *err)
{
	size_t lent = 0, first = 0;

	if (j->chain.records > 0 || j->last_seq > 0 || j->pending > 0)
		return 0;
	for (size_t r = 0; r < reg->nrows; r++)
		if (oa_register_status(reg, r) == OA_AST_LENT && lent++ == 0)
			first = r;
	if (lent == 0)
		return 0;
	return oa_error_set(err, reg->path, oa_register_line(reg, first),
	                    "the journal is lost, moved or emptied: \"%s\" holds no record, but "
	                    "the register shows %zu asset%s lent (借出), the first (%s) on this "
	                    "line, and a loan's borrower and due date are kept only in the journal; "
	                    "put the journal back (or name it with asset-log -j); if the loans were "
	                    "entered by hand before asset-log was used, set their status back and "
	                    "record them with asset-log lend; nothing was changed",
	                    j->path, lent, lent == 1 ? "" : "s",
	                    oa_register_get(reg, first, OA_REG_TAG));
}

/* ---- a reader's locks ---- */

int
oa_assetlog_lock_read(oa_assetlog_locks *l, const char *register_path, const char *journal,
                      int timeout_ms, const char *who, oa_error *err)
{
	const char *targets[2] = { register_path, journal };
	oa_lock *locks[2] = { &l->reg, &l->journal };

	l->reg.fd = l->journal.fd = -1;
	l->reg.path = l->journal.path = NULL;
	for (int i = 0; i < 2; i++) {
		int rc;
		if (targets[i] == NULL)
			continue;
		rc = oa_lock_acquire_shared(locks[i], targets[i], timeout_ms, who ? who : "asset-log",
		                            err);
		if (rc < 0) {
			oa_assetlog_unlock(l);
			return -1;
		}
		if (rc > 0)
			oa_error_clear(err); /* read-only access: read without it */
	}
	return 0;
}

void
oa_assetlog_unlock(oa_assetlog_locks *l)
{
	/* The journal's first: the reverse of the order taken. */
	oa_lock_release(&l->journal);
	oa_lock_release(&l->reg);
}

/* ---- history, check, rebuild ---- */

int
oa_assetjournal_write_events(const oa_assetjournal *j, oa_csv_writer *w, const char *out_name,
                             oa_error *err)
{
	oa_csv_write_record(w, oa_assetjournal_header, OA_ASSETJOURNAL_NCOLS - 1);
	for (size_t i = 0; i < j->nevents; i++)
		oa_csv_write_record(w, (const char *const *)j->events[i].f, OA_ASSETJOURNAL_NCOLS - 1);
	return oa_csv_writer_check(w, out_name, err);
}

static void
finding(oa_csv_writer *w, const char *tag, const char *col, const char *journal,
        const char *reg, const char *detail)
{
	const char *f[5] = { tag, col, journal, reg, detail };

	oa_csv_write_record(w, f, 5);
}

long
oa_assetjournal_check(const oa_assetjournal *j, const oa_register *reg, bool history,
                      oa_csv_writer *w, const char *out_name, oa_error *err)
{
	static const char *const header[5] = { "tag", "column", "journal", "register", "detail" };
	static const int cols[3] = { OA_REG_DEPARTMENT, OA_REG_CUSTODIAN, OA_REG_LOCATION };
	long n = 0;

	oa_csv_write_record(w, header, 5);
	for (size_t i = 0; i < j->nstates; i++) {
		const oa_asset_state *st = &j->states[i];
		long row;
		char detail[128];

		if (st->events == 0)
			continue;
		snprintf(detail, sizeof detail, "journal record %ld", st->last_seq);
		row = oa_register_find(reg, st->tag, strlen(st->tag));
		if (row < 0) {
			finding(w, st->tag, "tag", st->tag, "", "not in the register");
			n++;
			continue;
		}
		const char *have[3] = { st->department, st->custodian, st->location };
		for (int c = 0; c < 3; c++) {
			const char *now = oa_register_get(reg, (size_t)row, cols[c]);
			if (strcmp(now, have[c]) != 0) {
				finding(w, st->tag, oa_assetjournal_header[OA_AJ_DEPARTMENT + c], have[c],
				        now, detail);
				n++;
			}
		}
		bool unknown;
		oa_asset_status s = reg_status(reg, (size_t)row, &unknown);
		if (s != st->status) {
			finding(w, st->tag, "status", oa_asset_status_en(st->status),
			        oa_register_get(reg, (size_t)row, OA_REG_STATUS), detail);
			n++;
		}
	}
	for (size_t i = 0; history && i < j->ngaps; i++) {
		const oa_journal_gap *g = &j->gaps[i];
		char detail[160];
		snprintf(detail, sizeof detail,
		         "changed outside the journal before record %ld (line %ld)", g->seq, g->line);
		finding(w, g->tag, oa_assetjournal_header[g->column], g->was, g->now, detail);
		n++;
	}
	if (j->pending > 0) {
		char detail[160];
		snprintf(detail, sizeof detail,
		         "%ld events from line %ld were never committed (the next change settles them)",
		         j->pending, j->pending_first_line);
		finding(w, "", "", "", "", detail);
		n++;
	}
	if (oa_csv_writer_check(w, out_name, err) < 0)
		return -1;
	return n;
}

int
oa_assetjournal_rebuild(const oa_assetjournal *j, oa_register *reg, size_t *absent,
                        oa_error *err)
{
	static const int cols[3] = { OA_REG_DEPARTMENT, OA_REG_CUSTODIAN, OA_REG_LOCATION };

	*absent = 0;
	for (size_t i = 0; i < j->nstates; i++) {
		const oa_asset_state *st = &j->states[i];
		long row;
		bool unknown;

		if (st->events == 0)
			continue;
		row = oa_register_find(reg, st->tag, strlen(st->tag));
		if (row < 0) {
			(*absent)++;
			continue;
		}
		const char *have[3] = { st->department, st->custodian, st->location };
		for (int c = 0; c < 3; c++)
			if (strcmp(oa_register_get(reg, (size_t)row, cols[c]), have[c]) != 0 &&
			    oa_register_set(reg, (size_t)row, cols[c], have[c], err) < 0)
				return -1;
		if (reg_status(reg, (size_t)row, &unknown) != st->status &&
		    oa_register_set_status(reg, (size_t)row, st->status, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- events from a CSV ---- */

enum { EV_TAG, EV_EVENT, EV_DATE, EV_DEPARTMENT, EV_CUSTODIAN, EV_LOCATION, EV_BORROWER,
       EV_BORROWER_DEPARTMENT, EV_DUE, EV_METHOD, EV_REASON, EV_APPROVER, EV_DOCUMENT,
       EV_NOTE, EV_BY, EV_NCOLS };

static const oa_column event_columns[EV_NCOLS] = {
	[EV_TAG] = { "tag", "资产编号|标签号|编号|资产标签" },
	[EV_EVENT] = { "event", "事项|业务|类型|操作" },
	[EV_DATE] = { "date", "日期|业务日期|发生日期" },
	[EV_DEPARTMENT] = { "department", "部门|使用部门|调入部门" },
	[EV_CUSTODIAN] = { "custodian", "责任人|保管人|使用人|新责任人" },
	[EV_LOCATION] = { "location", "存放地点|位置|地点" },
	[EV_BORROWER] = { "borrower", "借用人" },
	[EV_BORROWER_DEPARTMENT] = { "borrower_department", "借用部门" },
	[EV_DUE] = { "due", "归还日期|应还日期|到期日" },
	[EV_METHOD] = { "method", "处置方式" },
	[EV_REASON] = { "reason", "原因|处置原因|事由" },
	[EV_APPROVER] = { "approver", "批准人|审批人" },
	[EV_DOCUMENT] = { "document", "批准文号|审批文号|文号" },
	[EV_NOTE] = { "note", "备注" },
	[EV_BY] = { "by", "经办人|actor" },
};

void
oa_asset_changes_skipped_release(oa_asset_changes_skipped *sk)
{
	if (sk == NULL)
		return;
	free(sk->lines);
	free(sk->words);
	memset(sk, 0, sizeof *sk);
}

static bool
blank_cell(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}


#define EVENTS_KNOWN "transfer 调拨, lend 借出, return 归还, repair 送修, repaired 修复, " \
	"dispose 报废/出售/捐赠"

/* What events column K holds, when the cell S cannot be that; NULL when it can. */
static const char *
event_misfit(int k, const char *s)
{
	size_t len = strlen(s);
	oa_disposal_method m;
	oa_date d;

	if (k == EV_TAG)
		return blank_cell(s, len) ? "a tag" : NULL;
	if (k == EV_EVENT)
		return oa_asset_event_parse(s, len, &m) == OA_AEV_NONE
		       ? "an event (" EVENTS_KNOWN ")" : NULL;
	if (blank_cell(s, len))
		return NULL;
	if (k == EV_DATE || k == EV_DUE)
		return oa_date_parse_excel(s, len, &d) < 0 ? "a date (2026-11-03)" : NULL;
	if (k == EV_METHOD)
		return oa_disposal_method_parse(s, len) == OA_DISPOSE_NONE
		       ? "a disposal method (scrap 报废, sale 出售, donation 捐赠)" : NULL;
	return NULL;
}

/* Header cell H of the NUL-separated copy HEAD. */
static const char *
event_head(const char *head, size_t h)
{
	while (h-- > 0)
		head += strlen(head) + 1;
	return head;
}

/*
 * The first column of the current record (in header order) whose cell
 * cannot be what its header says, column SKIP aside, or -1.
 */
static long
event_first_misfit(oa_csv_reader *r, const int *idx, size_t width, int skip,
                   const char **what)
{
	for (size_t h = 0; h < width; h++)
		for (int k = 0; k < EV_NCOLS; k++)
			if (idx[k] == (int)h && k != skip &&
			    (*what = event_misfit(k, oa_csv_field(r, h))) != NULL)
				return (long)h;
	return -1;
}


/*
 * How many of the typed columns (event, date, due, method) hold a value of
 * their kind once the cells are moved (oa_csv_field_moved; DROP 0: as they
 * stand), or -1 when, moved, one holds something else or a non-empty cell
 * is left past the header.  The tag may come out empty: it may be the
 * cell missing.
 */
static long
event_fitting(oa_csv_reader *r, const int *idx, size_t width, size_t p, long drop)
{
	long n = 0;

	for (size_t c = 0; c < width; c++)
		for (int k = 0; k < EV_NCOLS; k++) {
			if (idx[k] != (int)c || (k != EV_EVENT && k != EV_DATE && k != EV_DUE &&
			                          k != EV_METHOD))
				continue;
			const char *s = oa_csv_field_moved(r, c, p, drop);
			bool bad = event_misfit(k, s) != NULL;
			if (bad && drop != 0)
				return -1;
			n += !bad && !blank_cell(s, strlen(s));
		}
	for (size_t i = width + (drop > 0 ? (size_t)drop : 0); drop != 0 && i < oa_csv_nfields(r);
	     i++)
		if (!blank_cell(oa_csv_field(r, i), oa_csv_field_len(r, i)))
			return -1;
	return n;
}

/*
 * How many cells too many (> 0) or missing (< 0) at or before column H
 * make the record, which has not the header's WIDTH, fit it: every typed
 * cell then of its kind, and more of them filled than as it stands (a
 * shift that only slides empty cells over a bad one explains nothing).
 * 0 when no shift of up to three cells does.
 */
static long
event_shift_at(oa_csv_reader *r, const int *idx, size_t width, size_t h)
{
	long sign = oa_csv_nfields(r) > width ? 1 : -1;
	long as_is = event_fitting(r, idx, width, 0, 0);

	for (long d = 1; d <= 3; d++)
		for (size_t p = 0; p <= h; p++)
			if (event_fitting(r, idx, width, p, sign * d) > as_is)
				return sign * d;
	return 0;
}

typedef struct dup_key {
	char tag[OA_TAG_MAX];
	size_t i;
} dup_key;

static int
dup_cmp(const void *a, const void *b)
{
	const dup_key *x = a, *y = b;
	int c = strcmp(x->tag, y->tag);

	return c != 0 ? c : x->i < y->i ? -1 : x->i > y->i;
}

static bool
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/*
 * Two rows of one tag and event that a person would call one row entered
 * twice.  Two transfers are that only when they say the same (the same
 * day, department, custodian and place): moving an asset to one room and
 * then on to another is two real events.  Any other event twice running
 * the rules would refuse anyway (a return of what is not lent), so it is
 * named as the repeat it is.
 */
static bool
repeated(const oa_asset_change *a, const oa_asset_change *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind != OA_AEV_TRANSFER)
		return true;
	return a->date == b->date && same_text(a->department, b->department) &&
	       same_text(a->custodian, b->custodian) && same_text(a->location, b->location);
}

/*
 * The same tag with the same event twice, no other event of it between:
 * a row entered twice (repeated).  -1 with err naming both lines (the
 * pair whose second row comes first).
 */
static int
check_repeats(const oa_asset_change *v, size_t n, const char *name, oa_error *err)
{
	dup_key *k = n > 1 ? malloc(n * sizeof *k) : NULL;
	size_t m = 0, first = SIZE_MAX, second = 0;

	if (n < 2)
		return 0;
	if (k == NULL)
		return oa_error_set(err, name, 0, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (oa_tag_canonical(v[i].tag, strlen(v[i].tag), k[m].tag, sizeof k[m].tag) > 0)
			k[m++].i = i;
	qsort(k, m, sizeof *k, dup_cmp);
	for (size_t i = 1; i < m; i++)
		if (strcmp(k[i].tag, k[i - 1].tag) == 0 && repeated(&v[k[i - 1].i], &v[k[i].i]) &&
		    (first == SIZE_MAX || k[i].i < second)) {
			first = k[i - 1].i;
			second = k[i].i;
		}
	free(k);
	if (first == SIZE_MAX)
		return 0;
	return oa_error_set(err, name, v[second].line,
	                    "tag \"%s\": %s on line %ld and again on line %ld, with no other event "
	                    "of it between: a row entered twice? (%s)", v[second].tag,
	                    oa_asset_event_name(v[second].kind), v[first].line, v[second].line,
	                    "delete one");
}

int
oa_asset_changes_read(const char *path, const oa_csv_options *opt, oa_date default_date,
                      const char *default_actor, oa_asset_change **out, size_t *n,
                      char **store, oa_asset_changes_skipped *skipped, oa_error *err)
{
	return oa_asset_changes_read_all(path, opt, default_date, default_actor, out, n, store,
	                                 skipped, NULL, err);
}

int
oa_asset_changes_read_all(const char *path, const oa_csv_options *opt, oa_date default_date,
                          const char *default_actor, oa_asset_change **out, size_t *n,
                          char **store, oa_asset_changes_skipped *skipped,
                          oa_asset_problems *problems, oa_error *err)
{
	oa_csv_reader *r = oa_csv_reader_open(path, opt, err);
	int idx[EV_NCOLS];
	oa_asset_change *v = NULL;
	size_t count = 0, cap = 0;
	char *buf = NULL;
	size_t buflen = 0;
	FILE *mem = NULL;
	uint64_t unnamed = 0; /* columns with an empty header */
	char *head = NULL;    /* the header's cells, NUL-separated, for messages */
	size_t width = 0;
	size_t nbad = 0;      /* rows refused (with PROBLEMS, all are read) */
	oa_error later;       /* a problem after the first */
	int rc;

	*out = NULL;
	if (problems != NULL)
		problems->n = problems->more = 0;
	*n = 0;
	*store = NULL;
	if (skipped != NULL)
		memset(skipped, 0, sizeof *skipped);
	if (r == NULL)
		return -1;
	rc = oa_csv_read(r, err);
	if (rc == 0)
		rc = oa_error_set(err, oa_csv_name(r), 0, "no events (the file is empty)");
	if (rc < 0 || oa_columns_map(r, event_columns, EV_NCOLS, OA_BIT(EV_TAG) | OA_BIT(EV_EVENT),
	                             idx, err) < 0)
		goto fail;
	/* A column that is none of these would be silently ignored (a
	 * misspelt 调入部门 would move nobody): refused instead. */
	width = oa_csv_nfields(r);
	for (size_t h = 0; h < width; h++) {
		bool known = false;
		const char *hs = oa_csv_field(r, h);
		size_t hl = strlen(hs);
		for (int k = 0; k < EV_NCOLS; k++)
			known |= idx[k] == (int)h;
		oa_utf8_trim(&hs, &hl);
		if (!known && hl == 0 && h < sizeof unnamed * CHAR_BIT) {
			/* Excel's trailing empty columns: fine while their cells are. */
			unnamed |= (uint64_t)1 << h;
			continue;
		}
		if (!known && oa_column_matches(&oa_rowno_column, hs, hl))
			continue; /* 序号: the sheet's row numbers, no event's business */
		if (!known) {
			oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
			             "unknown column \"%s\" (known: tag 资产编号, event 事项, date 日期, "
			             "department 调入部门, custodian 责任人, location 存放地点, borrower "
			             "借用人, borrower_department 借用部门, due 归还日期, method 处置方式, "
			             "reason 原因, approver 批准人, document 批准文号, note 备注, by 经办人)",
			             oa_csv_field(r, h));
			goto fail;
		}
	}
	{
		const char *first = oa_csv_field(r, 0), *last = oa_csv_field(r, width - 1);
		size_t hlen = (size_t)(last + strlen(last) + 1 - first);
		if ((head = malloc(hlen)) == NULL)
			goto nomem;
		memcpy(head, first, hlen);
	}
	/* Every cell is seen, those past the header too: a shifted row is
	 * told from a stray value below. */
	oa_csv_reader_set_width(r, 0);
	if ((mem = open_memstream(&buf, &buflen)) == NULL)
		goto nomem;
	/* First pass: the strings go into one buffer, at offsets kept in the
	 * pointers; the second turns the offsets into pointers. */
	while ((rc = oa_csv_read(r, nbad ? &later : err)) > 0) {
		oa_error *rerr = nbad ? &later : err;
		oa_asset_change *c;
		const char *s, *word = NULL, *what = NULL;
		long line = oa_csv_line(r);
		size_t nf = oa_csv_nfields(r);
		long mis, shift;

		bool blank = true, stray = false;
		size_t stray_col = 0, extra = SIZE_MAX;
		for (size_t h = 0; h < nf; h++) {
			const char *f = oa_csv_field(r, h);
			size_t fl = strlen(f);
			oa_utf8_trim(&f, &fl);
			if (fl > 0) {
				blank = false;
				if (h < 64 && (unnamed >> h & 1) && !stray) {
					stray = true;
					stray_col = h;
				}
				if (h >= width && extra == SIZE_MAX)
					extra = h;
				if (word == NULL)
					word = oa_asset_total_word(f, fl);
			}
		}
		if (blank)
			continue; /* a row of bare commas, as spreadsheets leave them */
		{
			const char *t = oa_csv_field(r, (size_t)idx[EV_TAG]);
			const char *e = oa_csv_field(r, (size_t)idx[EV_EVENT]);
			const char *tw = oa_asset_total_word(t, strlen(t));
			if (tw == NULL && blank_cell(t, strlen(t)) && word != NULL &&
			    (blank_cell(e, strlen(e)) || oa_asset_total_word(e, strlen(e)) == word))
				tw = word;
			if (tw != NULL) {
				word = tw;
				/* The sheet's total (合计): no event, said by the caller. */
				if (skipped != NULL) {
					long *l = realloc(skipped->lines, (skipped->n + 1) * sizeof *l);
					if (l == NULL)
						goto nomem;
					skipped->lines = l;
					const char **w = realloc(skipped->words,
					                         (skipped->n + 1) * sizeof *w);
					if (w == NULL)
						goto nomem;
					skipped->words = w;
					skipped->lines[skipped->n] = line;
					skipped->words[skipped->n++] = word;
				}
				continue;
			}
		}
		mis = event_first_misfit(r, idx, width, -1, &what);
		if (nf != width && mis >= 0 &&
		    (shift = event_shift_at(r, idx, width, (size_t)mis)) != 0) {
			const char *cell = oa_csv_field(r, (size_t)mis);
			bool empty = blank_cell(cell, strlen(cell));
			long d = shift > 0 ? shift : -shift;
			char cells[32];
			snprintf(cells, sizeof cells, d == 1 ? "a cell" : "%ld cells", d);
			rc = oa_error_set(rerr, oa_csv_name(r), line,
			                  "%zu cells where the header has %zu: column %ld (%s) %s%.*s%s, "
			                  "expected %s: %s %s at or before it%s", nf, width, mis + 1,
			                  event_head(head, (size_t)mis), empty ? "is empty" : "holds \"",
			                  empty ? 0 : oa_utf8_cut48(cell), cell, empty ? "" : "\"", what, cells,
			                  shift > 0 ? "too many" : "missing",
			                  shift > 0 ? " (an unquoted comma? quote the cell)" : "");
			goto bad_row;
		}
		if (extra != SIZE_MAX) {
			rc = oa_error_set(rerr, oa_csv_name(r), line,
			                  "%zu cells where the header has %zu: column %zu holds \"%.*s\" "
			                  "and has no name in the header: a cell too many (an unquoted "
			                  "comma? quote the cell)", nf, width, extra + 1,
			                  oa_utf8_cut48(oa_csv_field(r, extra)), oa_csv_field(r, extra));
			goto bad_row;
		}
		if (stray) {
			rc = oa_error_set(rerr, oa_csv_name(r), line,
			                  "\"%s\" in column %zu, which has no name in the header",
			                  oa_csv_field(r, stray_col), stray_col + 1);
			goto bad_row;
		}
		s = oa_csv_field(r, (size_t)idx[EV_TAG]);
		if (blank_cell(s, strlen(s))) {
			mis = event_first_misfit(r, idx, width, EV_TAG, &what);
			if (mis >= 0) {
				const char *cell = oa_csv_field(r, (size_t)mis);
				rc = oa_error_set(rerr, oa_csv_name(r), line,
				                  "empty tag in column %d (%s), and column %ld (%s) holds "
				                  "\"%.*s\", expected %s: are the cells shifted?",
				                  idx[EV_TAG] + 1, event_head(head, (size_t)idx[EV_TAG]),
				                  mis + 1, event_head(head, (size_t)mis), oa_utf8_cut48(cell), cell,
				                  what);
			} else {
				rc = oa_error_set(rerr, oa_csv_name(r), line,
				                  "empty tag in column %d (%s): which asset is it?",
				                  idx[EV_TAG] + 1, event_head(head, (size_t)idx[EV_TAG]));
			}
			goto bad_row;
		}
		/* A line break (Alt+Enter) is a second line of a note or reason;
		 * in a name, place, date or tag it is a mistake. */
		for (int k = 0; k < EV_NCOLS; k++) {
			const char *cell = idx[k] >= 0 ? oa_csv_field(r, (size_t)idx[k]) : "";
			if (k == EV_NOTE || k == EV_REASON || strpbrk(cell, "\r\n") == NULL)
				continue;
			rc = oa_error_set(rerr, oa_csv_name(r), line,
			                  "a line break inside column %d (%s) \"%.*s\": only a note or "
			                  "a reason may have several lines", idx[k] + 1,
			                  event_head(head, (size_t)idx[k]),
			                  (int)strcspn(cell, "\r\n"), cell);
			goto bad_row;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			oa_asset_change *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL)
				goto nomem;
			v = nv;
			cap = ncap;
		}
		c = &v[count];
		memset(c, 0, sizeof *c);
		c->line = line;
		c->due = -1;
		c->date = default_date;
		s = oa_csv_field(r, (size_t)idx[EV_EVENT]);
		c->kind = oa_asset_event_parse(s, strlen(s), &c->method);
		if (c->kind == OA_AEV_NONE) {
			rc = oa_error_set(rerr, oa_csv_name(r), line,
			                  "unknown event \"%s\" (" EVENTS_KNOWN ")", s);
			goto bad_row;
		}
#define CELL(k) (idx[k] >= 0 ? oa_csv_field(r, (size_t)idx[k]) : "")
		/* Dates as a spreadsheet writes them: 2026/11/3, 2026年11月3日. */
		for (int k = 0; k < 2; k++) {
			const char *d = CELL(k ? EV_DUE : EV_DATE);
			if (d[0] && oa_date_parse_excel(d, strlen(d), k ? &c->due : &c->date) < 0) {
				rc = oa_error_set(rerr, oa_csv_name(r), line, "bad %s \"%s\" (%s)",
				                  k ? "due date" : "date", d,
				                  oa_date_looks_like_serial(d, strlen(d))
				                  ? "an Excel day number: format the column as a date"
				                  : "write it as 2026-11-03, 2026/11/3 or 2026年11月3日");
				goto bad_row;
			}
		}
		if (CELL(EV_METHOD)[0]) {
			oa_disposal_method m = oa_disposal_method_parse(CELL(EV_METHOD),
			                                                strlen(CELL(EV_METHOD)));
			if (m == OA_DISPOSE_NONE) {
				rc = oa_error_set(rerr, oa_csv_name(r), line,
				                  "unknown disposal method \"%s\" (scrap 报废, sale 出售, "
				                  "donation 捐赠)", CELL(EV_METHOD));
				goto bad_row;
			}
			if (c->method != OA_DISPOSE_NONE && c->method != m) {
				rc = oa_error_set(rerr, oa_csv_name(r), line,
				                  "event \"%s\" and method \"%s\" disagree", s, CELL(EV_METHOD));
				goto bad_row;
			}
			c->method = m;
		}
		/* A cell of another event's (a borrower on a return row, a method
		 * on a transfer): refused, as the options are, not dropped. */
		{
			static const struct { int col; oa_asset_event_kind kind; } own[] = {
				{ EV_DEPARTMENT, OA_AEV_TRANSFER }, { EV_CUSTODIAN, OA_AEV_TRANSFER },
				{ EV_LOCATION, OA_AEV_TRANSFER }, { EV_BORROWER, OA_AEV_LEND },
				{ EV_BORROWER_DEPARTMENT, OA_AEV_LEND }, { EV_DUE, OA_AEV_LEND },
				{ EV_METHOD, OA_AEV_DISPOSE }, { EV_REASON, OA_AEV_DISPOSE },
				{ EV_APPROVER, OA_AEV_DISPOSE }, { EV_DOCUMENT, OA_AEV_DISPOSE },
			};
			for (size_t k = 0; k < sizeof own / sizeof own[0]; k++) {
				const char *cell = CELL(own[k].col);
				if (own[k].kind == c->kind || blank_cell(cell, strlen(cell)))
					continue;
				rc = oa_error_set(rerr, oa_csv_name(r), line,
				                  "column %d (%s) \"%.*s\" belongs to %s, not to %s: clear "
				                  "the cell, or give the row's event", idx[own[k].col] + 1,
				                  event_head(head, (size_t)idx[own[k].col]), oa_utf8_cut48(cell), cell,
				                  oa_asset_event_name(own[k].kind), oa_asset_event_name(c->kind));
				goto bad_row;
			}
		}
		/* Offsets + 1 into buf (0 stays NULL). */
		const char **dst[] = { &c->tag, &c->department, &c->custodian, &c->location,
		                       &c->borrower, &c->borrower_department, &c->reason, &c->approver,
		                       &c->document, &c->note, &c->actor };
		const int src[] = { EV_TAG, EV_DEPARTMENT, EV_CUSTODIAN, EV_LOCATION, EV_BORROWER,
		                    EV_BORROWER_DEPARTMENT, EV_REASON, EV_APPROVER, EV_DOCUMENT,
		                    EV_NOTE, EV_BY };
		for (size_t k = 0; k < sizeof src / sizeof src[0]; k++) {
			const char *cell = CELL(src[k]);
			size_t clen = strlen(cell);
			oa_utf8_trim(&cell, &clen); /* "财务科 " from a spreadsheet is 财务科 */
			if (src[k] == EV_BY && clen == 0) {
				cell = default_actor ? default_actor : "";
				clen = strlen(cell);
			}
			*dst[k] = (const char *)(uintptr_t)(ftello(mem) + 1);
			/* A note's or reason's lines joined by one space (CRLF too). */
			for (size_t i = 0; i < clen; i++) {
				if (cell[i] == '\r' && i + 1 < clen && cell[i + 1] == '\n')
					continue;
				fputc(cell[i] == '\r' || cell[i] == '\n' ? ' ' : cell[i], mem);
			}
			fputc('\0', mem);
		}
#undef CELL
		c->file = oa_csv_name(r);
		count++;
		continue;
bad_row:
		/* With PROBLEMS the next rows are read too: every problem at once. */
		if (problems == NULL)
			goto fail;
		if (nbad++ > 0)
			add_problem(problems, &later);
	}
	if (rc < 0) {
		if (nbad > 0)
			add_problem(problems, &later);
		goto fail;
	}
	if (nbad > 0)
		goto fail; /* ERR holds the first */
	/* A header and no rows is a list with nothing in it (a day's export
	 * with no changes): no events, not an error. */
	if (fflush(mem) == EOF)
		goto nomem;
	fclose(mem);
	mem = NULL;
	/* The file name must outlive the reader: keep it in the buffer too. */
	{
		const char *name = oa_csv_name(r);
		size_t nlen = strlen(name);
		char *nb = realloc(buf, buflen + nlen + 1);
		if (nb == NULL)
			goto nomem;
		buf = nb;
		memcpy(buf + buflen, name, nlen + 1);
	}
	for (size_t i = 0; i < count; i++) {
		oa_asset_change *c = &v[i];
		const char **ptrs[] = { &c->tag, &c->department, &c->custodian, &c->location,
		                        &c->borrower, &c->borrower_department, &c->reason,
		                        &c->approver, &c->document, &c->note, &c->actor };
		for (size_t k = 0; k < sizeof ptrs / sizeof ptrs[0]; k++)
			*ptrs[k] = buf + ((uintptr_t)*ptrs[k] - 1);
		c->file = buf + buflen;
	}
	if (check_repeats(v, count, oa_csv_name(r), err) < 0)
		goto fail;
	oa_csv_reader_free(r);
	free(head);
	*out = v;
	*n = count;
	*store = buf;
	return 0;
nomem:
	oa_error_set(err, path, 0, "out of memory");
fail:
	if (mem)
		fclose(mem);
	free(buf);
	free(v);
	free(head);
	oa_csv_reader_free(r);
	return -1;
}
