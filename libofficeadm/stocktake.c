/*
 * stocktake.c - reconciling the register with a stock-take.  See stocktake.h.
 *
 * The file is organised in the order the work happens:
 *
 *   hashing and two small tables: `strtab` interns short texts (locations,
 *       departments, scanners' names) to ids; `tagtab` maps a tag hash to a
 *       row index (open addressing, linear probing, 8-byte slots);
 *   sources: an input file, kept by path (or in memory for standard input)
 *       so that a row can be read again later by its byte offset;
 *   parsing: the register on one thread, the scans on another, each row
 *       reduced to an entry of 24 bytes (register) or 32 bytes (scan); the
 *       scan thread then builds the scans' table (first scan of each tag,
 *       the others are duplicates);
 *   the join: the register rows look up the scans' table in register
 *       order and get their status, while the other thread builds the
 *       register's table (for tags registered twice and for misreads);
 *   cursors: reading rows again, by offset (UTF-8 input: a reader over just
 *       that record of the mapped file) or sequentially (GB18030, pipes);
 *   the outputs: findings, summary, notices, the updated register.
 */
#include "stocktake.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "columns.h"
#include "durable.h"
#include "prefetch.h"
#include "tag.h"
#include "utf8.h"

#define NONE UINT32_MAX
#define FOLD_MAX 512 /* folded texts compare on their first 511 bytes */

/* scan_row.flags */
enum {
	SF_UNREG = 1,    /* first scan of an unregistered tag */
	SF_SURPLUS = 2,  /* ... whose check character is right */
	SF_MISREAD = 4,  /* ... whose check character is wrong */
	SF_DUP = 8,      /* second scan of a tag: the duplicate is reported here */
	SF_HAS_DUP = 16, /* first scan of a tag scanned again */
	SF_REPEAT = 32,  /* not the first scan of its tag */
	SF_MATCHED = 64, /* first scan of a registered tag */
};

/* 24 bytes a register row. */
typedef struct reg_row {
	uint64_t hash;
	uint32_t scan;          /* first scan of the tag, or NONE */
	uint32_t loc;           /* register location id (0: empty) */
	uint64_t offset : 38;   /* of the record in the register (up to 256 GiB) */
	uint64_t has_dup : 1;   /* the tag was scanned more than once */
	uint64_t conflict : 1;  /* ... at locations that disagree */
	uint64_t dept : 16;     /* department id (0: empty) */
	uint64_t kind : 4;      /* OA_ST_OK, _DISPOSED, _MISSING or _LENT from the status cell */
	uint64_t result : 4;    /* the finding */
} reg_row;

#define MAX_OFFSET (((uint64_t)1 << 38) - 1)
#define MAX_DEPTS 0xffff

typedef struct scan_row {
	uint64_t hash;
	uint64_t offset; /* of the record in its file */
	uint32_t line;
	uint32_t loc;    /* scan location id (0: none) */
	uint32_t by;     /* scanned_by id (0: none) */
	uint16_t file;
	uint8_t flags;
} scan_row;

/* ---- hashing ---- */

static inline uint64_t
fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

unsigned long long
oa_stocktake_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)len * 0x100000001b3ULL);
	uint64_t w;

	while (len >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ fmix64(w)) * 0x9fb21c651e98df25ULL;
		h ^= h >> 29;
		s += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, s, len);
	h = fmix64(h ^ fmix64(w + len));
	return h ? h : 1;
}

/*
 * oa_tag_normalise, with a fast path for the usual tag that needs nothing:
 * ASCII digits, upper-case letters and punctuation, no spaces.
 */
static size_t
normalise(const char *in, size_t len, char *out, size_t cap)
{
	size_t i;

	if (len + 1 <= cap) {
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)in[i];

			if (c <= ' ' || c >= 0x7f || (c >= 'a' && c <= 'z'))
				break;
		}
		if (i == len) {
			memcpy(out, in, len);
			out[len] = '\0';
			return len;
		}
	}
	return oa_tag_normalise(in, len, out, cap);
}

/*
 * The key a tag is matched by: normalised, then without separators
 * (printable ASCII that is neither letter nor digit, spaces included), so
 * that "bgs-2024-0001-e", "BGS20240001E" and "BGS 2024 0001 E", as a
 * person or a scanner may type the tag, are one tag (the check character
 * skips separators too).  So are the no-break spaces and Unicode hyphens
 * pasted from a document.  Other bytes that are not ASCII stay.  KEY gets the
 * NUL-terminated key; returns its length.
 */
static size_t
tag_key(const char *tag, size_t len, char *key, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < len && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)tag[i];
		const unsigned char *u = (const unsigned char *)tag + i;

		if (c >= 0x20 && c < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= 'a' && c <= 'z'))
			continue;
		/*
		 * What a word processor or a web page puts for a space or a
		 * hyphen: no-break space U+00A0, hyphens and dashes U+2010..2015,
		 * zero-width space U+200B, minus U+2212, U+FEFF.
		 */
		if (c == 0xC2 && len - i >= 2 && u[1] == 0xA0) {
			i += 1;
			continue;
		}
		if (c == 0xE2 && len - i >= 3 &&
		    ((u[1] == 0x80 && ((u[2] >= 0x90 && u[2] <= 0x95) || u[2] == 0x8B)) ||
		     (u[1] == 0x88 && u[2] == 0x92))) {
			i += 2;
			continue;
		}
		if (c == 0xEF && len - i >= 3 && u[1] == 0xBB && u[2] == 0xBF) {
			i += 2;
			continue;
		}
		key[k++] = (char)c;
	}
	if (cap > 0)
		key[k] = '\0';
	return k;
}

/* The hash a normalised tag is matched by: its key's (see tag_key). */
static uint64_t
key_hash(const char *tag, size_t len)
{
	char key[OA_TAG_MAX];

	len = tag_key(tag, len, key, sizeof key);
	return oa_stocktake_hash(key, len);
}

/* ---- strtab: interned texts ---- */

typedef struct str_item {
	uint64_t hash;
	uint32_t key, keylen;   /* folded text, in the arena */
	uint32_t text, textlen; /* the first text seen, in the arena */
} str_item;

/*
 * A direct-mapped cache of raw (unfolded) texts recently interned, indexed
 * by a cheap hash of the first and last 8 bytes (the text is compared).
 */
#define RAW_CACHE 1024 /* 2^10: the top 10 bits of quick_hash */

static inline uint64_t
quick_hash(const char *s, size_t len)
{
	uint64_t a = 0, b = 0;

	if (len >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
	} else {
		memcpy(&a, s, len);
	}
	return (a * 0x9e3779b97f4a7c15ULL) ^ ((b + len) * 0xc2b2ae3d27d4eb4fULL);
}

#define RAW_MAX 52
typedef struct raw_entry {
	uint64_t hash;
	uint32_t id, len;
	char text[RAW_MAX];
} raw_entry;

typedef struct strtab {
	raw_entry *cache;
	uint32_t *slots; /* item id, 0 empty */
	size_t mask;
	str_item *items; /* items[0] unused: id 0 is "empty" */
	size_t count, cap;
	char *arena;
	size_t alen, acap;
} strtab;

static int
strtab_init(strtab *t)
{
	memset(t, 0, sizeof *t);
	t->mask = 63;
	t->slots = calloc(t->mask + 1, sizeof *t->slots);
	t->cap = 16;
	t->items = malloc(t->cap * sizeof *t->items);
	t->count = 1;
	t->cache = calloc(RAW_CACHE, sizeof *t->cache);
	return t->slots && t->items && t->cache ? 0 : -1;
}

static void
strtab_release(strtab *t)
{
	free(t->cache);
	free(t->slots);
	free(t->items);
	free(t->arena);
	memset(t, 0, sizeof *t);
}

static const char *
strtab_text(const strtab *t, uint32_t id, size_t *len)
{
	if (id == 0 || id >= t->count) {
		*len = 0;
		return "";
	}
	*len = t->items[id].textlen;
	return t->arena + t->items[id].text;
}

static long
arena_add(strtab *t, const char *s, size_t len)
{
	size_t at = t->alen;

	if (t->alen + len + 1 > t->acap) {
		size_t cap = t->acap ? t->acap * 2 : 4096;
		char *a;

		while (cap < t->alen + len + 1)
			cap *= 2;
		if (cap > UINT32_MAX || (a = realloc(t->arena, cap)) == NULL)
			return -1;
		t->arena = a;
		t->acap = cap;
	}
	memcpy(t->arena + at, s, len);
	t->arena[at + len] = '\0';
	t->alen += len + 1;
	return (long)at;
}

/* The id of the folded KEY, or 0. */
static uint32_t
strtab_find(const strtab *t, const char *key, size_t keylen, uint64_t h)
{
	size_t i = h & t->mask;

	for (;; i = (i + 1) & t->mask) {
		uint32_t id = t->slots[i];
		const str_item *it;

		if (id == 0)
			return 0;
		it = &t->items[id];
		if (it->hash == h && it->keylen == keylen &&
		    memcmp(t->arena + it->key, key, keylen) == 0)
			return id;
	}
}

/*
 * Interns TEXT (compared folded).  Returns its id, 0 for a text that folds
 * to nothing, or -1 when out of memory.
 */
static long strtab_intern_folded(strtab *t, const char *text, size_t len);

static long
strtab_intern(strtab *t, const char *text, size_t len)
{
	uint64_t h;
	raw_entry *e;
	long id;

	if (len == 0)
		return 0;
	if (len > RAW_MAX)
		return strtab_intern_folded(t, text, len);
	h = quick_hash(text, len);
	e = &t->cache[h >> 54];
	if (e->hash == h && e->len == len && memcmp(e->text, text, len) == 0)
		return e->id;
	id = strtab_intern_folded(t, text, len);
	if (id >= 0) {
		e->hash = h;
		e->id = (uint32_t)id;
		e->len = (uint32_t)len;
		memcpy(e->text, text, len);
	}
	return id;
}

static long
strtab_intern_folded(strtab *t, const char *text, size_t len)
{
	char key[FOLD_MAX];
	size_t keylen;
	uint64_t h;
	uint32_t id;
	long k, x;

	if (len == 0)
		return 0;
	keylen = oa_utf8_fold(text, len, key, sizeof key, 0);
	if (keylen == 0)
		return 0;
	h = oa_stocktake_hash(key, keylen);
	id = strtab_find(t, key, keylen, h);
	if (id != 0)
		return id;
	if (t->count >= NONE - 1)
		return -1;
	if ((t->count + 1) * 2 > t->mask + 1) {
		size_t ncap = (t->mask + 1) * 2, i;
		uint32_t *s = calloc(ncap, sizeof *s);

		if (s == NULL)
			return -1;
		for (i = 1; i < t->count; i++) {
			size_t j = t->items[i].hash & (ncap - 1);

			while (s[j] != 0)
				j = (j + 1) & (ncap - 1);
			s[j] = (uint32_t)i;
		}
		free(t->slots);
		t->slots = s;
		t->mask = ncap - 1;
	}
	if (t->count == t->cap) {
		str_item *n = realloc(t->items, t->cap * 2 * sizeof *n);

		if (n == NULL)
			return -1;
		t->items = n;
		t->cap *= 2;
	}
	if ((k = arena_add(t, key, keylen)) < 0 || (x = arena_add(t, text, len)) < 0)
		return -1;
	id = (uint32_t)t->count++;
	t->items[id] = (str_item){ h, (uint32_t)k, (uint32_t)keylen, (uint32_t)x, (uint32_t)len };
	{
		size_t i = h & t->mask;

		while (t->slots[i] != 0)
			i = (i + 1) & t->mask;
		t->slots[i] = id;
	}
	return id;
}

/* ---- big arrays ---- */

/*
 * The row arrays and the tag table are mapped directly (zeroed) and grown
 * with mremap, so growing never copies and never needs twice the memory.
 * Transparent huge pages were tried: with other processes on the machine
 * their compaction stalls cost more (wall 16 s against 10 s at 10M rows)
 * than the page faults they save.
 */
static void *
big_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *
big_realloc(void *p, size_t old, size_t size)
{
	void *q = mremap(p, old, size, MREMAP_MAYMOVE);

	return q == MAP_FAILED ? NULL : q;
}

static void
big_free(void *p, size_t size)
{
	if (p != NULL)
		munmap(p, size);
}

/* ---- tagtab: tag hash -> row ---- */

/*
 * A slot holds the row index + 1 in its low 32 bits and the high 32 bits
 * of the hash above them; 0 is empty.  The full hash is in the row itself
 * (first member of reg_row and scan_row), read through BASE and STRIDE.
 */
typedef struct tagtab {
	uint64_t *slots;
	size_t mask, count;
} tagtab;

static inline uint64_t
row_hash(const void *base, size_t stride, uint32_t i)
{
	uint64_t h;

	memcpy(&h, (const char *)base + (size_t)i * stride, sizeof h);
	return h;
}

static int
tagtab_init(tagtab *t, size_t n)
{
	size_t cap = 1024;

	while (cap * 7 / 10 < n)
		cap *= 2;
	t->slots = big_alloc(cap * sizeof *t->slots);
	t->mask = cap - 1;
	t->count = 0;
	return t->slots ? 0 : -1;
}

static uint32_t
tagtab_find(const tagtab *t, uint64_t h, const void *base, size_t stride)
{
	uint64_t hi = h >> 32;
	size_t i = h & t->mask;

	for (;; i = (i + 1) & t->mask) {
		uint64_t s = t->slots[i];

		if (s == 0)
			return NONE;
		if ((s >> 32) == hi) {
			uint32_t row = (uint32_t)s - 1;

			if (row_hash(base, stride, row) == h)
				return row;
		}
	}
}

static int tagtab_insert(tagtab *t, uint32_t row, const void *base, size_t stride, uint32_t *dup);

static int
tagtab_grow(tagtab *t, const void *base, size_t stride)
{
	tagtab n;
	size_t i;
	uint32_t dup;

	n.mask = t->mask * 2 + 1;
	n.count = 0;
	n.slots = big_alloc((n.mask + 1) * sizeof *n.slots);
	if (n.slots == NULL)
		return -1;
	for (i = 0; i <= t->mask; i++)
		if (t->slots[i] != 0)
			tagtab_insert(&n, (uint32_t)t->slots[i] - 1, base, stride, &dup);
	big_free(t->slots, (t->mask + 1) * sizeof *t->slots);
	*t = n;
	return 0;
}

/*
 * Inserts ROW.  When a row with the same hash is there, nothing is
 * inserted and *dup is set to it; else *dup is NONE.  -1 when out of memory.
 */
static int
tagtab_insert(tagtab *t, uint32_t row, const void *base, size_t stride, uint32_t *dup)
{
	uint64_t h = row_hash(base, stride, row);
	size_t i;

	*dup = NONE;
	if ((t->count + 1) * 10 > (t->mask + 1) * 7 && tagtab_grow(t, base, stride) < 0)
		return -1;
	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slots[i];

		if (s == 0)
			break;
		if ((s >> 32) == (h >> 32) && row_hash(base, stride, (uint32_t)s - 1) == h) {
			*dup = (uint32_t)s - 1;
			return 0;
		}
	}
	t->slots[i] = ((h >> 32) << 32) | ((uint64_t)row + 1);
	t->count++;
	return 0;
}

/* ---- sources ---- */

typedef struct source {
	const char *path; /* as given; "-" is standard input */
	const char *name; /* for messages */
	char *mem;        /* standard input's bytes (a pipe's), else NULL */
	size_t len;       /* their length, or the file's when opened for pread */
	bool mapped, map_failed; /* mapped: fd is open to read rows by offset */
	int fd;
	oa_encoding enc;  /* as the first read found it */
	oa_csv_options opt; /* this file's: its encoding (once known) and separator */
	oa_csv_style style; /* as the first read found it */
	bool header;      /* the first record is a header */
	int idx[OA_REG_NCOLS]; /* register or scan column positions */
	size_t width;     /* header width */
	uint32_t first, end; /* scans: rows [first, end) of st->scans */
} source;

static bool
is_stdin(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/*
 * Whether SRC must be read into memory to be read twice: standard input,
 * or a pipe, socket or device named as a file (e.g. <(command) in bash).
 */
static bool
source_needs_slurp(const source *src)
{
	struct stat sb;

	if (is_stdin(src->path))
		return true;
	return stat(src->path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

/* Reads all of SRC (standard input, or a pipe named as a file) into memory. */
static int
source_slurp(source *src, oa_error *err)
{
	size_t cap = 1 << 16, len = 0;
	char *buf;
	bool own = !is_stdin(src->path);
	int fd = 0;

	if (own) {
		fd = open(src->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return oa_error_sys(err, src->name, "cannot open");
	}
	buf = malloc(cap);
	if (buf == NULL) {
		if (own)
			close(fd);
		return oa_error_set(err, NULL, 0, "out of memory");
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *b = realloc(buf, cap * 2);

			if (b == NULL) {
				free(buf);
				if (own)
					close(fd);
				return oa_error_set(err, NULL, 0, "out of memory");
			}
			buf = b;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			oa_error_sys(err, src->name, "cannot read");
			free(buf);
			if (own)
				close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (own)
		close(fd);
	src->mem = buf;
	src->len = len;
	return 0;
}

static oa_csv_reader *
source_open(const source *src, const oa_csv_options *opt, oa_error *err)
{
	if (src->mem != NULL && !src->mapped)
		return oa_csv_reader_memory(src->mem, src->len, src->name, opt, err);
	return oa_csv_reader_open(src->path, opt, err);
}

/*
 * Opens a regular file for reading rows by offset (pread; not mmap, which
 * dies of SIGBUS when another program shrinks the file meanwhile: cp over
 * a register being read).  False when it cannot.
 */
static bool
source_map(source *src)
{
	struct stat sb;
	int fd;

	if (src->mem != NULL || src->mapped)
		return true;
	if (src->map_failed)
		return false;
	src->map_failed = true;
	fd = open(src->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
		close(fd);
		return false;
	}
	src->fd = fd;
	src->len = (size_t)sb.st_size;
	src->mapped = true;
	src->map_failed = false;
	return true;
}

static void
source_release(source *src)
{
	if (src->mapped)
		close(src->fd);
	else
		free(src->mem);
	src->mapped = false;
	src->mem = NULL;
}

/* ---- the stock-take ---- */

/* Saved copies of a few rows' cells, found by row index. */
typedef struct saved {
	uint32_t idx;
	char *cells[5]; /* tag, name, department, custodian, location */
} saved;

typedef struct saved_set {
	saved *items;
	size_t count, cap;
} saved_set;

static int
saved_add(saved_set *set, uint32_t idx, const char *const cells[5], const size_t lens[5])
{
	saved *s;
	int k;

	if (set->count == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		saved *n = realloc(set->items, cap * sizeof *n);

		if (n == NULL)
			return -1;
		set->items = n;
		set->cap = cap;
	}
	s = &set->items[set->count];
	s->idx = idx;
	for (k = 0; k < 5; k++) {
		s->cells[k] = strndup(cells[k], lens[k]);
		if (s->cells[k] == NULL) {
			while (k-- > 0)
				free(s->cells[k]);
			return -1;
		}
	}
	set->count++;
	return 0;
}

/* Items are added in increasing idx order, so a binary search finds them. */
static const saved *
saved_find(const saved_set *set, uint32_t idx)
{
	size_t lo = 0, hi = set->count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (set->items[mid].idx == idx)
			return &set->items[mid];
		if (set->items[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
saved_release(saved_set *set)
{
	size_t i;
	int k;

	for (i = 0; i < set->count; i++)
		for (k = 0; k < 5; k++)
			free(set->items[i].cells[k]);
	free(set->items);
	memset(set, 0, sizeof *set);
}


struct dup_pair {
	uint32_t first, scan;
};

struct scan_day {
	oa_date day;
	size_t count;
	uint16_t file; /* the first scan of that day */
	uint32_t line;
};

#define MAX_WARNINGS 100 /* per side; more are dropped */
#define MAX_UNKNOWN_STATUS 8 /* different status words warned about */

/*
 * How the register's last_audit cells write a date, so that --update
 * writes the stock-take date the same way (Excel saves 2026/6/28).
 */
enum {
	AUDIT_ISO,       /* 2026-06-28 */
	AUDIT_SLASH,     /* 2026/6/28 */
	AUDIT_SLASH_PAD, /* 2026/06/28 */
	AUDIT_DOT,       /* 2026.6.28 */
	AUDIT_CJK,       /* 2026年6月28日 */
	AUDIT_NSTYLES
};

/* Records a warning (side 0: the register's thread, 1: the scans' and later). */
static void st_warn(oa_stocktake *st, int side, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

struct oa_stocktake {
	oa_stocktake_options opt;
	source reg;
	source *scanfiles;
	size_t nscanfiles;

	reg_row *rows;
	size_t nrows, rows_cap;
	scan_row *scans;
	size_t nscans, scans_cap;
	tagtab regtab;  /* register: tag hash -> row */
	tagtab scantab; /* scans: tag hash -> first scan */

	strtab reg_locs, depts; /* register side */
	strtab scan_locs, bys;  /* scan side */
	uint32_t *locmap;       /* register location id -> scan location id */

	struct dup_pair *dups;  /* sorted by first, then scan */
	size_t ndups, dups_cap;
	uint32_t pending[2];    /* register rows with the same hash, or NONE */

	saved_set scan_tags;    /* tags of the scans reported on their own */
	oa_error *warns[2];     /* the register's, then the scans' and the rest */
	size_t nwarns[2], warns_cap[2];
	struct scan_day *days;  /* scan dates, sorted, with a count and the first scan's place */
	size_t ndays, days_cap;
	size_t status_ascii, status_cjk; /* status cells in English, in Chinese */
	struct {
		char word[48];
		size_t len, count;
		long line;
	} unknown[MAX_UNKNOWN_STATUS]; /* status words not known, see note_unknown_status */
	size_t nunknown, unknown_more;
	size_t audit_styles[AUDIT_NSTYLES]; /* last_audit cells by how they write a date */
	size_t audit_pad, audit_unpad;      /* slash dates with and without leading zeros */
	bool header_cjk;        /* the register's header is in Chinese */
	oa_date date;
	size_t counts[OA_ST_NSTATUS];
	size_t (*dept_counts)[OA_ST_NSTATUS]; /* per department id */
};

const char *const oa_stocktake_columns[OA_ST_NCOLS] = {
	"status", "tag", "name", "department", "custodian", "location",
	"found_location", "scanned_by", "detail",
};

static const char *const status_names[OA_ST_NSTATUS] = {
	"ok", "missing", "surplus", "moved", "duplicate", "misread",
	"disposed", "recovered", "lent", "repair", "returned",
};

const char *
oa_st_status_name(oa_st_status s)
{
	return (unsigned)s < OA_ST_NSTATUS ? status_names[s] : "?";
}

void
oa_stocktake_options_init(oa_stocktake_options *opt)
{
	memset(opt, 0, sizeof *opt);
	oa_csv_options_init(&opt->csv);
	opt->threads = oa_cpus_available() > 1 ? 2 : 1;
	opt->today = -1;
	opt->date_window = 31;
}

static void
st_warn(oa_stocktake *st, int side, const char *file, long line, const char *fmt, ...)
{
	char msg[OA_ERROR_MSG_MAX - 16];
	va_list ap;

	if (st->nwarns[side] >= MAX_WARNINGS)
		return;
	if (st->nwarns[side] == st->warns_cap[side]) {
		size_t cap = st->warns_cap[side] ? st->warns_cap[side] * 2 : 4;
		oa_error *w = realloc(st->warns[side], cap * sizeof *w);

		if (w == NULL)
			return;
		st->warns[side] = w;
		st->warns_cap[side] = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	oa_error_set(&st->warns[side][st->nwarns[side]++], file, line, "warning: %s", msg);
}

size_t
oa_stocktake_nwarnings(const oa_stocktake *st)
{
	return st->nwarns[0] + st->nwarns[1];
}

const oa_error *
oa_stocktake_warning(const oa_stocktake *st, size_t i)
{
	return i < st->nwarns[0] ? &st->warns[0][i] : &st->warns[1][i - st->nwarns[0]];
}

/* Are all the current record's fields empty or blank (a row of bare commas, a line of spaces)? */
static bool
all_empty(const oa_csv_reader *r)
{
	size_t i, k;

	for (i = 0; i < oa_csv_nfields(r); i++) {
		const char *f = oa_csv_field(r, i);
		size_t n = oa_csv_field_len(r, i);

		for (k = 0; k < n; k++)
			if (f[k] != ' ' && f[k] != '\t')
				return false;
	}
	return true;
}

/*
 * A first record that is one field holding a tab or a semicolon, in a file
 * read as comma-separated: that character is the file's separator.
 */
static char
sniff_delim(const oa_csv_reader *r)
{
	const char *f = oa_csv_field(r, 0);
	size_t n = oa_csv_field_len(r, 0);

	if (oa_csv_nfields(r) != 1)
		return 0;
	if (memchr(f, '\t', n) != NULL)
		return '\t';
	if (memchr(f, ';', n) != NULL)
		return ';';
	return 0;
}

static const char *
delim_name(char d)
{
	return d == '\t' ? "tab" : d == ';' ? "semicolon" : "comma";
}

/* After the whole of SRC was read by R: its style, and a warning when its encoding was a guess. */
static void
note_encoding(oa_stocktake *st, int side, source *src, const oa_csv_reader *r)
{
	long line;

	src->enc = oa_csv_encoding(r);
	oa_csv_reader_style(r, &src->style);
	if (src->enc != OA_ENC_AUTO)
		src->opt.encoding = src->enc; /* read again the same way */
	if (oa_csv_encoding_ambiguous(r, &line))
		st_warn(st, side, src->name, line,
		        "encoding guessed: the text reads as UTF-8 and as GB18030 alike; read as "
		        "UTF-8 (if it shows mojibake, give -e %s=gb18030)", src->path);
}

/*
 * When a needed column is missing, names the header cells that no column
 * knows: the column is probably there under another name.
 */
static void
warn_unknown_columns(oa_stocktake *st, int side, const oa_csv_reader *r, const oa_column *cols,
                     size_t ncols, const int *idx, const int *needed, size_t nneeded,
                     const char *const *why)
{
	char unknown[400];
	size_t used = 0, h, i, k;

	unknown[0] = '\0';
	for (h = 0; h < oa_csv_nfields(r); h++) {
		const char *t = oa_csv_field(r, h);
		size_t n = oa_csv_field_len(r, h);

		for (i = 0; i < ncols; i++)
			if (oa_column_matches(&cols[i], t, n))
				break;
		if (i < ncols || n == 0 || used + 8 >= sizeof unknown)
			continue;
		int w = snprintf(unknown + used, sizeof unknown - used, "%s\"%.*s\"",
		                 used ? ", " : "", (int)(n > 60 ? 60 : n), t);
		if (w < 0 || (size_t)w >= sizeof unknown - used) {
			unknown[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	if (used == 0)
		return;
	for (k = 0; k < nneeded; k++)
		if (idx[needed[k]] < 0)
			st_warn(st, side, oa_csv_name(r), oa_csv_line(r),
			        "no %s column (%s); columns not known: %s", cols[needed[k]].name,
			        why[k], unknown);
}

/*
 * The kind of a register status cell, and whether its word is known: the
 * words of OA_ST_OK too (in use, idle) or an empty cell.  An unknown word
 * (已调拨, 待报废, a typo) is taken as in use, and warned about.
 */
static oa_st_status
register_status(const char *s, size_t len, bool *known)
{
	static const struct {
		const char *word;
		oa_st_status kind;
	} words[] = {
		{ "disposed", OA_ST_DISPOSED }, { "报废", OA_ST_DISPOSED },
		{ "已报废", OA_ST_DISPOSED }, { "处置", OA_ST_DISPOSED },
		{ "已处置", OA_ST_DISPOSED }, { "missing", OA_ST_MISSING },
		{ "丢失", OA_ST_MISSING }, { "遗失", OA_ST_MISSING },
		{ "盘亏", OA_ST_MISSING }, { "lent", OA_ST_LENT },
		{ "借出", OA_ST_LENT }, { "外借", OA_ST_LENT },
		{ "repair", OA_ST_REPAIR }, { "in-repair", OA_ST_REPAIR },
		{ "in_repair", OA_ST_REPAIR }, { "维修", OA_ST_REPAIR },
		{ "维修中", OA_ST_REPAIR }, { "送修", OA_ST_REPAIR },
		{ "修理", OA_ST_REPAIR }, { "在修", OA_ST_REPAIR },
		{ "in-use", OA_ST_OK }, { "in use", OA_ST_OK }, { "in_use", OA_ST_OK },
		{ "inuse", OA_ST_OK }, { "idle", OA_ST_OK }, { "在用", OA_ST_OK },
		{ "使用中", OA_ST_OK }, { "正常", OA_ST_OK }, { "正常使用", OA_ST_OK },
		{ "闲置", OA_ST_OK }, { "在库", OA_ST_OK }, { "备用", OA_ST_OK },
	};
	char key[64];
	size_t n, i;

	*known = true;
	if (len == 0)
		return OA_ST_OK;
	*known = false;
	if (len >= sizeof key)
		return OA_ST_OK;
	n = oa_utf8_fold(s, len, key, sizeof key, 0);
	if (n == 0) {
		*known = true; /* only spaces */
		return OA_ST_OK;
	}
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == n && memcmp(words[i].word, key, n) == 0) {
			*known = true;
			return words[i].kind;
		}
	return OA_ST_OK;
}

oa_st_status
oa_stocktake_register_status(const char *s, size_t len)
{
	bool known;

	return register_status(s, len, &known);
}

/*
 * Remembers a status word register_status does not know (up to
 * MAX_UNKNOWN_STATUS different words, with a count and the first line),
 * for one warning each after the register is read.
 */
static void
note_unknown_status(oa_stocktake *st, const char *s, size_t len, long line)
{
	size_t i;

	for (i = 0; i < st->nunknown; i++)
		if (st->unknown[i].len == len && memcmp(st->unknown[i].word, s, len) == 0) {
			st->unknown[i].count++;
			return;
		}
	if (st->nunknown == MAX_UNKNOWN_STATUS) {
		st->unknown_more++;
		return;
	}
	if (len > sizeof st->unknown[0].word)
		len = sizeof st->unknown[0].word;
	memcpy(st->unknown[i].word, s, len);
	st->unknown[i].len = len;
	st->unknown[i].count = 1;
	st->unknown[i].line = line;
	st->nunknown++;
}

/* Normalises a tag cell into OUT; -1 with err for an empty or too long one. */
static int
tag_cell(const char *cell, size_t len, char out[OA_TAG_MAX], size_t *outlen,
         const oa_csv_reader *r, oa_error *err)
{
	size_t n = normalise(cell, len, out, OA_TAG_MAX);

	if (n == 0)
		return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
		                    "empty tag (a row without a tag: fill it in, or delete the row)");
	if (n >= OA_TAG_MAX - 1)
		return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
		                    "tag \"%.20s...\" is longer than %d bytes", out, OA_TAG_MAX - 2);
	*outlen = n;
	return 0;
}

/*
 * A total row (合计) in the register: its word as the tag, or in a cell of
 * a row without one.  Refused: the stock-take would report "合计" as a
 * missing asset, and -u writes only assets.  TAG[0..len) is its tag cell.
 */
static int
total_row(const oa_csv_reader *r, const char *tag, size_t len, oa_error *err)
{
	const char *word = NULL;
	size_t i = 0;

	while (i < len && (tag[i] == ' ' || tag[i] == '\t'))
		i++;
	if (i == len) {
		for (size_t k = 0; k < oa_csv_nfields(r) && word == NULL; k++)
			word = oa_asset_total_word(oa_csv_field(r, k), oa_csv_field_len(r, k));
	} else if (len < 24 && ((unsigned char)tag[i] >= 0x80 || strchr("tTsSgG", tag[i]) != NULL)) {
		word = oa_asset_total_word(tag, len);
	}
	if (word == NULL)
		return 0;
	return oa_error_set(err, oa_csv_name(r), oa_csv_line(r),
	                    "the register has a total row (%s): the stock-take would look for it "
	                    "as an asset; move the total out of the register (or delete the row) "
	                    "and run again", word);
}

static const char *
cell(const oa_csv_reader *r, int idx, size_t *len)
{
	if (idx < 0) {
		*len = 0;
		return "";
	}
	*len = oa_csv_field_len(r, (size_t)idx);
	return oa_csv_field(r, (size_t)idx);
}

static size_t
estimate_rows(const char *path, size_t per_row)
{
	struct stat sb;

	if (is_stdin(path) || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 1024;
	return (size_t)sb.st_size / per_row + 1024;
}

/* ---- parsing the register (its own thread) ---- */

struct reg_job {
	oa_stocktake *st;
	oa_error err;
	int rc;
};

/*
 * The AUDIT_ style of a last_audit cell, or -1 (empty, or not a date's
 * shape).  A slash date with a leading zero (2026/06/28) is padded, one
 * with a one-digit month or day (2026/6/28) is not; 2026/12/31 tells
 * neither (AUDIT_SLASH, counted only for the style, not the padding).
 */
static int
audit_style(const char *s, size_t len, int *pad)
{
	*pad = 0;
	if (len < 8 || len > 20 || s[0] < '0' || s[0] > '9')
		return -1;
	switch (s[4]) {
	case '-':
		return AUDIT_ISO;
	case '/':
		if (s[5] == '0' || (len == 10 && s[7] == '/' && s[8] == '0'))
			*pad = 1;
		else if (len < 10)
			*pad = -1;
		return AUDIT_SLASH;
	case '.':
		return AUDIT_DOT;
	default:
		return memcmp(s + 4, "年", 3) == 0 ? AUDIT_CJK : -1;
	}
}

/* Writes DATE into BUF (32 bytes) in the register's usual last_audit style. */
static void
audit_format(const oa_stocktake *st, oa_date date, char *buf)
{
	int style = AUDIT_ISO, y, m, d;

	for (int k = 0; k < AUDIT_NSTYLES; k++)
		if (st->audit_styles[k] > st->audit_styles[style])
			style = k;
	if (style == AUDIT_SLASH && st->audit_pad > st->audit_unpad)
		style = AUDIT_SLASH_PAD;
	oa_date_to_ymd(date, &y, &m, &d);
	switch (style) {
	case AUDIT_SLASH: snprintf(buf, 32, "%d/%d/%d", y, m, d); break;
	case AUDIT_SLASH_PAD: snprintf(buf, 32, "%04d/%02d/%02d", y, m, d); break;
	case AUDIT_DOT: snprintf(buf, 32, "%d.%d.%d", y, m, d); break;
	case AUDIT_CJK: snprintf(buf, 32, "%d年%d月%d日", y, m, d); break;
	default: oa_date_format(date, buf); break;
	}
}

static int
parse_register(oa_stocktake *st, oa_error *err)
{
	source *src = &st->reg;
	oa_csv_reader *r;
	int rc = -1, t;

	st->rows_cap = estimate_rows(src->path, 48);
	st->rows = big_alloc(st->rows_cap * sizeof *st->rows);
	if (st->rows == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	if ((r = source_open(src, &src->opt, err)) == NULL)
		return -1;
	t = oa_csv_read(r, err);
	if (t > 0 && sniff_delim(r) != 0 &&
	    !oa_column_matches(&oa_register_columns[OA_REG_TAG], oa_csv_field(r, 0),
	                       oa_csv_field_len(r, 0))) {
		/* "tag;name;..." or "资产编号<TAB>...": read it with that separator. */
		src->opt.delim = sniff_delim(r);
		oa_csv_reader_free(r);
		if ((r = source_open(src, &src->opt, err)) == NULL)
			return -1;
		t = oa_csv_read(r, err);
	}
	if (t <= 0) {
		if (t == 0)
			oa_error_set(err, src->name, 0, "empty register: no header");
		goto out;
	}
	if (oa_columns_map(r, oa_register_columns, OA_REG_NCOLS, OA_BIT(OA_REG_TAG), src->idx,
	                   err) < 0)
		goto out;
	src->header = true;
	src->width = oa_csv_nfields(r);
	{
		static const int needed[] = { OA_REG_LOCATION, OA_REG_DEPARTMENT, OA_REG_STATUS };
		static const char *const why[] = { "nothing can be found moved",
			                           "notices go to nobody", "statuses are not known" };
		size_t len, k;
		const char *h = cell(r, src->idx[OA_REG_TAG], &len);

		for (k = 0; k < len && !st->header_cjk; k++)
			st->header_cjk = (unsigned char)h[k] >= 0x80;
		warn_unknown_columns(st, 0, r, oa_register_columns, OA_REG_NCOLS, src->idx, needed, 3,
		                     why);
	}
	while ((t = oa_csv_read(r, err)) > 0) {
		char tag[OA_TAG_MAX];
		size_t n, len;
		const char *s;
		long loc, dept;
		reg_row *row;

		if (all_empty(r))
			continue; /* a row of bare commas */
		s = cell(r, src->idx[OA_REG_TAG], &len);
		if (total_row(r, s, len, err) < 0)
			goto out;
		if (tag_cell(s, len, tag, &n, r, err) < 0)
			goto out;
		if (st->nrows == st->rows_cap) {
			reg_row *g;

			if (st->nrows >= NONE - 1) {
				oa_error_set(err, src->name, oa_csv_line(r), "too many rows");
				goto out;
			}
			g = big_realloc(st->rows, st->rows_cap * sizeof *g, st->rows_cap * 2 * sizeof *g);
			if (g == NULL) {
				oa_error_set(err, NULL, 0, "out of memory");
				goto out;
			}
			st->rows = g;
			st->rows_cap *= 2;
		}
		/* "办公室 " is 办公室: no department or place of its own. */
		s = cell(r, src->idx[OA_REG_LOCATION], &len);
		if (oa_utf8_may_trim(s, len))
			oa_utf8_trim(&s, &len);
		loc = strtab_intern(&st->reg_locs, s, len);
		s = cell(r, src->idx[OA_REG_DEPARTMENT], &len);
		if (oa_utf8_may_trim(s, len))
			oa_utf8_trim(&s, &len);
		dept = strtab_intern(&st->depts, s, len);
		if (loc < 0 || dept < 0) {
			oa_error_set(err, NULL, 0, "out of memory");
			goto out;
		}
		if (dept > MAX_DEPTS) {
			oa_error_set(err, src->name, oa_csv_line(r), "more than %d departments",
			             MAX_DEPTS);
			goto out;
		}
		if ((uint64_t)oa_csv_offset(r) > MAX_OFFSET) {
			oa_error_set(err, src->name, oa_csv_line(r), "register larger than 256 GiB");
			goto out;
		}
		row = &st->rows[st->nrows++];
		row->hash = key_hash(tag, n);
		row->offset = (uint64_t)oa_csv_offset(r);
		row->scan = NONE;
		row->loc = (uint32_t)loc;
		row->dept = (uint64_t)dept;
		s = cell(r, src->idx[OA_REG_STATUS], &len);
		{
			bool known;

			row->kind = (uint8_t)register_status(s, len, &known);
			if (!known)
				note_unknown_status(st, s, len, oa_csv_line(r));
		}
		if (src->idx[OA_REG_LAST_AUDIT] >= 0) {
			size_t alen;
			const char *a = cell(r, src->idx[OA_REG_LAST_AUDIT], &alen);
			int pad, style = audit_style(a, alen, &pad);

			if (style >= 0)
				st->audit_styles[style]++;
			st->audit_pad += pad > 0;
			st->audit_unpad += pad < 0;
		}
		if (len > 0) {
			size_t k;

			for (k = 0; k < len && (unsigned char)s[k] < 0x80; k++)
				;
			if (k < len)
				st->status_cjk++;
			else
				st->status_ascii++;
		}
		row->result = OA_ST_OK;
		row->has_dup = 0;
		row->conflict = 0;
	}
	if (t < 0)
		goto out;
	note_encoding(st, 0, src, r);
	for (size_t k = 0; k < st->nunknown; k++)
		st_warn(st, 0, src->name, st->unknown[k].line,
		        "status \"%.*s\" is not known (%zu %s): taken as in use, so %s "
		        "missing when not scanned",
		        (int)st->unknown[k].len, st->unknown[k].word, st->unknown[k].count,
		        st->unknown[k].count == 1 ? "row" : "rows",
		        st->unknown[k].count == 1 ? "it is" : "they are");
	if (st->unknown_more > 0)
		st_warn(st, 0, src->name, 0,
		        "%zu more rows with status words not known, taken as in use",
		        st->unknown_more);

	rc = 0;
out:
	oa_csv_reader_free(r);
	return rc;
}

/*
 * The register's table, built after the parse (so the inserts can be
 * prefetched) on the register's thread while the other joins.  Two rows
 * with the same hash are remembered in st->pending.
 */
static int
build_register_table(oa_stocktake *st, oa_error *err)
{
	size_t i;

	if (tagtab_init(&st->regtab, st->nrows) < 0)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (i = 0; i < st->nrows; i++) {
		uint32_t dup;

		if (i + 16 < st->nrows)
			__builtin_prefetch(&st->regtab.slots[st->rows[i + 16].hash & st->regtab.mask]);
		if (tagtab_insert(&st->regtab, (uint32_t)i, st->rows, sizeof *st->rows, &dup) < 0)
			return oa_error_set(err, NULL, 0, "out of memory");
		if (dup != NONE && st->pending[0] == NONE) {
			st->pending[0] = dup;
			st->pending[1] = (uint32_t)i;
		}
	}
	return 0;
}

static void *
register_thread(void *arg)
{
	struct reg_job *job = arg;

	job->rc = parse_register(job->st, &job->err);
	return NULL;
}

static void *
register_table_thread(void *arg)
{
	struct reg_job *job = arg;

	job->rc = build_register_table(job->st, &job->err);
	return NULL;
}

/* ---- parsing the scans ---- */

/* Counts a scan dated DAY (the scan at FILE:LINE). */
static int
add_day(oa_stocktake *st, oa_date day, uint16_t file, uint32_t line)
{
	size_t lo = 0, hi = st->ndays;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (st->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->ndays && st->days[lo].day == day) {
		st->days[lo].count++;
		return 0;
	}
	if (st->ndays == st->days_cap) {
		size_t cap = st->days_cap ? st->days_cap * 2 : 16;
		struct scan_day *d = realloc(st->days, cap * sizeof *d);

		if (d == NULL)
			return -1;
		st->days = d;
		st->days_cap = cap;
	}
	memmove(&st->days[lo + 1], &st->days[lo], (st->ndays - lo) * sizeof *st->days);
	st->days[lo] = (struct scan_day){ day, 1, file, line };
	st->ndays++;
	return 0;
}

/* Reads 1 to MAX digits at s[*i]; -1 when there is none. */
static long
read_num(const char *s, size_t len, size_t *i, int max)
{
	long v = 0;
	int n = 0;

	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	return n > 0 ? v : -1;
}

/*
 * The day of a scanned_at cell: ISO 8601 ("2026-12-03", "2026-12-03
 * 09:10[:33]", with T), or as a spreadsheet saves a scanner's export again:
 * a date oa_date_parse_excel reads ("2026/12/3", "2026.12.3",
 * "2026年12月3日"), then optionally a space and H:MM[:SS[.fff]].  0 ok, -1
 * not a date.
 */
static int
scan_day_parse(const char *s, size_t len, oa_date *day)
{
	oa_minute m;
	size_t i, d;
	long h, mi, sec;

	if (oa_datetime_parse(s, len, OA_DATETIME_DATE_OK, &m) == 0) {
		*day = (oa_date)(m / OA_MINUTES_PER_DAY);
		return 0;
	}
	for (d = 0; d < len && s[d] != ' ' && s[d] != 'T'; d++)
		;
	if (oa_date_parse_excel(s, d, day) < 0)
		return -1;
	i = d;
	if (i == len)
		return 0;
	while (i < len && (s[i] == ' ' || s[i] == 'T'))
		i++;
	if ((h = read_num(s, len, &i, 2)) < 0 || h > 23 || i >= len || s[i++] != ':' ||
	    (mi = read_num(s, len, &i, 2)) < 0 || mi > 59)
		return -1;
	if (i < len && s[i] == ':') {
		i++;
		if ((sec = read_num(s, len, &i, 2)) < 0 || sec > 59)
			return -1;
		if (i < len && s[i] == '.')
			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
				;
	}
	return i == len ? 0 : -1;
}

static int
push_scan(oa_stocktake *st, source *src, oa_csv_reader *r, uint16_t file, oa_error *err)
{
	char tag[OA_TAG_MAX];
	size_t n, len;
	const char *s;
	long loc = 0, by = 0;
	scan_row *row;

	if (all_empty(r))
		return 0; /* a row of bare commas */
	if (src->header) {
		s = cell(r, src->idx[OA_SCAN_TAG], &len);
	} else {
		size_t i;

		for (i = 1; i < oa_csv_nfields(r); i++)
			if (oa_csv_field_len(r, i) > 0)
				return oa_error_set(err, src->name, oa_csv_line(r),
				                    "more than one field in a plain list of tags "
				                    "(%s-separated; a scan with more than the tag needs a "
				                    "header line naming the tag column, e.g. tag%slocation)",
				                    delim_name(src->opt.delim),
				                    src->opt.delim == '\t' ? "<TAB>" :
				                    src->opt.delim == ';' ? ";" : ",");
		s = oa_csv_field(r, 0);
		len = oa_csv_field_len(r, 0);
		if (memchr(s, '\t', len) != NULL || memchr(s, ';', len) != NULL)
			return oa_error_set(err, src->name, oa_csv_line(r),
			                    "a %s inside a tag in a plain list of tags: the list is not "
			                    "one tag per line (save it from the scanner as CSV, or as "
			                    "one tag per line)",
			                    memchr(s, '\t', len) != NULL ? "tab" : "semicolon");
	}
	if (tag_cell(s, len, tag, &n, r, err) < 0)
		return -1;
	if (st->nscans == st->scans_cap) {
		scan_row *g;

		if (st->nscans >= NONE - 1)
			return oa_error_set(err, src->name, oa_csv_line(r), "too many scans");
		g = big_realloc(st->scans, st->scans_cap * sizeof *g, st->scans_cap * 2 * sizeof *g);
		if (g == NULL)
			return oa_error_set(err, NULL, 0, "out of memory");
		st->scans = g;
		st->scans_cap *= 2;
	}
	if (src->header) {
		s = cell(r, src->idx[OA_SCAN_LOCATION], &len);
		loc = strtab_intern(&st->scan_locs, s, len);
		s = cell(r, src->idx[OA_SCAN_SCANNED_BY], &len);
		by = strtab_intern(&st->bys, s, len);
		if (loc < 0 || by < 0)
			return oa_error_set(err, NULL, 0, "out of memory");
		s = cell(r, src->idx[OA_SCAN_SCANNED_AT], &len);
		if (len > 0) {
			oa_date day;

			while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
				len--;
			while (len > 0 && (*s == ' ' || *s == '\t'))
				s++, len--;
			if (scan_day_parse(s, len, &day) < 0) {
				return oa_error_set(err, src->name, oa_csv_line(r),
				                    "scanned_at \"%.*s\" is not a date and time "
				                    "(YYYY-MM-DD HH:MM, or as a spreadsheet writes it: "
				                    "2026/12/3 9:10, 2026年12月3日)%s",
				                    (int)(len > 40 ? 40 : len), s,
				                    oa_date_looks_like_serial(s, len) ?
				                        ": a spreadsheet's serial number? format the "
				                        "column as yyyy-mm-dd hh:mm before saving" : "");
			}
			if (add_day(st, day, file, (uint32_t)oa_csv_line(r)) < 0)
				return oa_error_set(err, NULL, 0, "out of memory");
		}
	}
	row = &st->scans[st->nscans++];
	row->hash = key_hash(tag, n);
	row->offset = (uint64_t)oa_csv_offset(r);
	row->line = (uint32_t)oa_csv_line(r);
	row->loc = (uint32_t)loc;
	row->by = (uint32_t)by;
	row->file = file;
	row->flags = 0;
	return 0;
}

static int
parse_scan(oa_stocktake *st, size_t f, oa_error *err)
{
	source *src = &st->scanfiles[f];
	oa_csv_reader *r;
	int rc = -1, t;
	size_t i;

	src->first = (uint32_t)st->nscans;
	if ((r = source_open(src, &src->opt, err)) == NULL)
		return -1;
	t = oa_csv_read(r, err);
	if (t < 0)
		goto out;
	if (t > 0 && sniff_delim(r) != 0) {
		/* A tab- or semicolon-separated export: read it with that separator. */
		src->opt.delim = sniff_delim(r);
		oa_csv_reader_free(r);
		if ((r = source_open(src, &src->opt, err)) == NULL)
			return -1;
		t = oa_csv_read(r, err);
		if (t < 0)
			goto out;
	}
	if (t > 0) {
		for (i = 0; i < oa_csv_nfields(r); i++)
			if (oa_column_matches(&oa_scan_columns[OA_SCAN_TAG], oa_csv_field(r, i),
			                      oa_csv_field_len(r, i)))
				src->header = true;
		if (src->header) {
			static const int needed[] = { OA_SCAN_LOCATION };
			static const char *const why[] = { "nothing can be found moved" };

			if (oa_columns_map(r, oa_scan_columns, OA_SCAN_NCOLS, OA_BIT(OA_SCAN_TAG),
			                   src->idx, err) < 0)
				goto out;
			src->width = oa_csv_nfields(r);
			warn_unknown_columns(st, 1, r, oa_scan_columns, OA_SCAN_NCOLS, src->idx, needed,
			                     1, why);
		} else if (push_scan(st, src, r, (uint16_t)f, err) < 0) {
			goto out;
		}
		while ((t = oa_csv_read(r, err)) > 0)
			if (push_scan(st, src, r, (uint16_t)f, err) < 0)
				goto out;
		if (t < 0)
			goto out;
	}
	note_encoding(st, 1, src, r);
	src->end = (uint32_t)st->nscans;
	rc = 0;
out:
	oa_csv_reader_free(r);
	return rc;
}

static int add_dup(oa_stocktake *st, uint32_t first, uint32_t scan);
static int cmp_dup(const void *a, const void *b);

static int
parse_scans(oa_stocktake *st, oa_error *err)
{
	size_t f, i, est = 0;

	for (f = 0; f < st->nscanfiles; f++)
		est += estimate_rows(st->scanfiles[f].path, 40);
	st->scans_cap = est;
	st->scans = big_alloc(est * sizeof *st->scans);
	if (st->scans == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (f = 0; f < st->nscanfiles; f++)
		if (parse_scan(st, f, err) < 0)
			return -1;
	if (st->nscans == 0) {
		char names[300] = "";
		size_t used = 0;

		for (f = 0; f < st->nscanfiles && used + 8 < sizeof names; f++) {
			int w = snprintf(names + used, sizeof names - used, "%s%s", f ? ", " : "",
			                 st->scanfiles[f].name);
			if (w < 0 || (size_t)w >= sizeof names - used)
				break;
			used += (size_t)w;
		}
		if (st->nscanfiles <= 1)
			return oa_error_set(err, st->nscanfiles ? st->scanfiles[0].name : "-", 0,
			                    "no scans: the file holds no tag (a stock-take with no "
			                    "scans would find every asset missing)");
		return oa_error_set(err, st->scanfiles[0].name, 0,
		                    "no scans: %s hold no tag (a stock-take with no scans would "
		                    "find every asset missing)", names);
	}
	for (f = 0; f < st->nscanfiles; f++)
		if (st->scanfiles[f].first == st->scanfiles[f].end)
			st_warn(st, 1, st->scanfiles[f].name, 0, "no scans in this file");

	/* The scans' table, first scan of each tag; the others are duplicates. */
	if (tagtab_init(&st->scantab, st->nscans) < 0)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (i = 0; i < st->nscans; i++) {
		uint32_t first;

		if (i + 16 < st->nscans)
			__builtin_prefetch(&st->scantab.slots[st->scans[i + 16].hash & st->scantab.mask]);
		if (tagtab_insert(&st->scantab, (uint32_t)i, st->scans, sizeof *st->scans, &first) < 0)
			return oa_error_set(err, NULL, 0, "out of memory");
		if (first != NONE) {
			st->scans[i].flags |= SF_REPEAT;
			if (add_dup(st, first, (uint32_t)i) < 0)
				return oa_error_set(err, NULL, 0, "out of memory");
		}
	}
	/* By first scan, for the join (scans_disagree) and the reports. */
	if (st->ndups > 0) /* qsort(NULL, 0, ...) is undefined */
		qsort(st->dups, st->ndups, sizeof *st->dups, cmp_dup);
	return 0;
}

/* ---- cursors: reading rows again ---- */

typedef struct cursor {
	source *src;
	oa_csv_options opt;
	bool fast;
	oa_csv_reader *seq; /* slow path */
	size_t next;        /* row index the sequential reader yields next */
	oa_csv_reader *one; /* fast path: the current record */
	char *win;          /* fast path: bytes [win_off, win_off + win_len) of the file */
	uint64_t win_off;
	size_t win_len, win_cap;
} cursor;


static int
cursor_open(cursor *c, source *src, const oa_csv_options *opt, bool want_fast, oa_error *err)
{
	memset(c, 0, sizeof *c);
	c->src = src;
	c->opt = *opt;
	c->fast = want_fast && src->enc != OA_ENC_GB18030 && source_map(src);
	if (c->fast) {
		/*
		 * One small reader per record: a small chunk keeps its buffers
		 * on the heap (reused) instead of a fresh mapping each time.
		 */
		c->opt.encoding = OA_ENC_UTF8;
		c->opt.chunk_size = 4096;
		return 0;
	}
	if ((c->seq = source_open(src, opt, err)) == NULL)
		return -1;
	if (src->header) {
		int t = oa_csv_read(c->seq, err);

		/* The header's names for messages; the width as first read. */
		if (t <= 0 || oa_csv_reader_set_header(c->seq, err) < 0)
			goto changed;
		oa_csv_reader_set_width(c->seq, src->width);
	}
	return 0;
changed:
	if (!oa_error_isset(err))
		oa_error_set(err, src->name, 0, "file changed while it was being read");
	oa_csv_reader_free(c->seq); /* callers do not close a cursor that failed to open */
	c->seq = NULL;
	return -1;
}

static void
cursor_close(cursor *c)
{
	oa_csv_reader_free(c->seq);
	oa_csv_reader_free(c->one);
	free(c->win);
	c->win = NULL;
	c->seq = c->one = NULL;
}

#define WINDOW ((size_t)256 << 10)

/*
 * Bytes [OFFSET, END) of C's file, read into the cursor's window (rows are
 * asked for in increasing order, so one read serves many).  NULL when the
 * file is shorter now than when it was parsed, or on a read error (err set).
 */
static const char *
window_get(cursor *c, uint64_t offset, uint64_t end, oa_error *err)
{
	size_t want = (size_t)(end - offset), got = 0;

	if (c->win != NULL && offset >= c->win_off && end <= c->win_off + c->win_len)
		return c->win + (offset - c->win_off);
	if (want < WINDOW)
		want = WINDOW;
	if (want > c->src->len - offset)
		want = c->src->len - (size_t)offset;
	if (want > c->win_cap) {
		char *w = realloc(c->win, want);

		if (w == NULL) {
			oa_error_set(err, NULL, 0, "out of memory");
			return NULL;
		}
		c->win = w;
		c->win_cap = want;
	}
	c->win_len = 0;
	while (got < want) {
		ssize_t n = pread(c->src->fd, c->win + got, want - got, (off_t)(offset + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			oa_error_sys(err, c->src->name, "cannot read");
			return NULL;
		}
		if (n == 0)
			break; /* shorter than it was: the caller says it changed */
		got += (size_t)n;
	}
	c->win_off = offset;
	c->win_len = got;
	return got >= (size_t)(end - offset) ? c->win : NULL;
}

/*
 * Positions C on row ROW (its record at OFFSET, the next record at END),
 * rows being asked for in increasing order.  Returns the reader holding
 * the record, or NULL with err.  The record's tag must hash to HASH, or the
 * file changed since it was parsed.
 */
static oa_csv_reader *
cursor_seek(cursor *c, size_t row, uint64_t offset, uint64_t end, uint64_t hash, int tagidx,
            oa_error *err)
{
	oa_csv_reader *r;
	char tag[OA_TAG_MAX];
	size_t len;
	const char *s;

	if (c->fast) {
		oa_csv_reader_free(c->one);
		c->one = NULL;
		const char *data;

		if (end > c->src->len || offset >= end)
			goto changed;
		data = c->src->mem != NULL ? c->src->mem + offset : window_get(c, offset, end, err);
		if (data == NULL)
			goto changed;
		c->one = oa_csv_reader_memory(data, (size_t)(end - offset), c->src->name, &c->opt,
		                              err);
		if (c->one == NULL)
			return NULL;
		if (oa_csv_read(c->one, err) <= 0)
			goto changed;
		if (c->src->width > 0)
			oa_csv_reader_set_width(c->one, c->src->width);
		r = c->one;
	} else {
		int t = 1;

		while (c->next <= row && (t = oa_csv_read(c->seq, err)) > 0)
			if (!all_empty(c->seq))
				c->next++;
		if (t <= 0)
			goto changed;
		r = c->seq;
	}
	if (tagidx < 0) {
		s = oa_csv_field(r, 0);
		len = oa_csv_field_len(r, 0);
	} else {
		s = cell(r, tagidx, &len);
	}
	len = normalise(s, len, tag, sizeof tag);
	if (key_hash(tag, len) != hash)
		goto changed;
	return r;
changed:
	if (!oa_error_isset(err))
		oa_error_set(err, c->src->name, 0, "file changed while it was being read");
	return NULL;
}

static oa_csv_reader *
seek_reg(cursor *c, oa_stocktake *st, size_t i, oa_error *err)
{
	uint64_t end = i + 1 < st->nrows ? st->rows[i + 1].offset : st->reg.len;

	return cursor_seek(c, i, st->rows[i].offset, end, st->rows[i].hash,
	                   st->reg.idx[OA_REG_TAG], err);
}

static oa_csv_reader *
seek_scan(cursor *c, oa_stocktake *st, size_t i, oa_error *err)
{
	source *src = &st->scanfiles[st->scans[i].file];
	uint64_t end = i + 1 < src->end ? st->scans[i + 1].offset : src->len;

	return cursor_seek(c, i - src->first, st->scans[i].offset, end, st->scans[i].hash,
	                   src->header ? src->idx[OA_SCAN_TAG] : -1, err);
}

/* ---- the join ---- */

static int
add_dup(oa_stocktake *st, uint32_t first, uint32_t scan)
{
	if (st->ndups == st->dups_cap) {
		size_t cap = st->dups_cap ? st->dups_cap * 2 : 64;
		struct dup_pair *d = realloc(st->dups, cap * sizeof *d);

		if (d == NULL)
			return -1;
		st->dups = d;
		st->dups_cap = cap;
	}
	st->dups[st->ndups++] = (struct dup_pair){ first, scan };
	if (!(st->scans[first].flags & SF_HAS_DUP)) {
		st->scans[first].flags |= SF_HAS_DUP;
		st->scans[scan].flags |= SF_DUP;
	}
	return 0;
}

static int
cmp_dup(const void *a, const void *b)
{
	const struct dup_pair *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->scan < y->scan ? -1 : x->scan > y->scan;
}

/* Reports two register rows with the same tag, naming both lines. */
static int
duplicate_error(oa_stocktake *st, oa_error *err)
{
	oa_csv_options opt = st->reg.opt;
	char a[OA_TAG_MAX], b[OA_TAG_MAX];
	long la = 0, lb = 0;
	cursor c;
	oa_csv_reader *r;
	size_t len;
	const char *s;

	if (cursor_open(&c, &st->reg, &opt, false, err) < 0)
		return -1;
	if ((r = seek_reg(&c, st, st->pending[0], err)) == NULL)
		goto fail;
	la = oa_csv_line(r);
	s = cell(r, st->reg.idx[OA_REG_TAG], &len);
	oa_tag_normalise(s, len, a, sizeof a);
	if ((r = seek_reg(&c, st, st->pending[1], err)) == NULL)
		goto fail;
	lb = oa_csv_line(r);
	s = cell(r, st->reg.idx[OA_REG_TAG], &len);
	oa_tag_normalise(s, len, b, sizeof b);
	cursor_close(&c);
	{
		char ka[OA_TAG_MAX], kb[OA_TAG_MAX];

		tag_key(a, strlen(a), ka, sizeof ka);
		tag_key(b, strlen(b), kb, sizeof kb);
		if (strcmp(a, b) == 0)
			return oa_error_set(err, st->reg.name, lb,
			                    "duplicate tag \"%s\" (also on line %ld)", b, la);
		if (strcmp(ka, kb) == 0)
			return oa_error_set(err, st->reg.name, lb,
			                    "duplicate tag \"%s\" (also on line %ld as \"%s\": tags "
			                    "that differ only in separators are one tag)",
			                    b, la, a);
	}
	return oa_error_set(err, st->reg.name, lb,
	                    "tags \"%s\" and \"%s\" (line %ld) have the same hash", b, a, la);
fail:
	cursor_close(&c);
	return -1;
}

/*
 * Do the scans of a tag scanned more than once (S its first scan) name two
 * different locations?  Scans without a location agree with any.
 */
static bool
scans_disagree(const oa_stocktake *st, uint32_t s)
{
	size_t lo = 0, hi = st->ndups;
	uint32_t loc = st->scans[s].loc;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (st->dups[mid].first < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->ndups && st->dups[lo].first == s; lo++) {
		uint32_t l = st->scans[st->dups[lo].scan].loc;

		if (l == 0)
			continue;
		if (loc == 0)
			loc = l;
		else if (l != loc)
			return true;
	}
	return false;
}

/* Was ROW's first scan at a location other than the registered one? */
static bool
found_elsewhere(const oa_stocktake *st, const reg_row *row)
{
	const scan_row *sc;

	if (row->scan == NONE)
		return false;
	sc = &st->scans[row->scan];
	return sc->loc != 0 && row->loc != 0 && st->locmap[row->loc] != sc->loc;
}

/*
 * The join: every register row looks up its first scan (register order,
 * so the rows are written in order and the scans' table is read at
 * random, prefetched two stages ahead) and gets its status while the scan
 * is in the cache.  Runs while the other thread builds the register's
 * table; st->locmap and st->dept_counts must be ready.
 */
static void
join_rows(oa_stocktake *st)
{
	const tagtab *t = &st->scantab;
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		reg_row *row = &st->rows[i];
		oa_st_status res;
		uint32_t s;

		if (i + 16 < st->nrows)
			__builtin_prefetch(&t->slots[st->rows[i + 16].hash & t->mask]);
		if (i + 8 < st->nrows) {
			uint64_t slot = t->slots[st->rows[i + 8].hash & t->mask];

			if (slot != 0)
				__builtin_prefetch(&st->scans[(uint32_t)slot - 1], 1);
		}
		s = tagtab_find(t, row->hash, st->scans, sizeof *st->scans);
		row->scan = s;
		if (s != NONE) {
			scan_row *sc = &st->scans[s];

			sc->flags |= SF_MATCHED;
			row->has_dup = (sc->flags & SF_HAS_DUP) != 0;
			row->conflict = row->has_dup && scans_disagree(st, s);
			if (row->conflict)
				res = OA_ST_DUPLICATE; /* reported with the scans, never relocated */
			else if (row->kind == OA_ST_DISPOSED)
				res = OA_ST_DISPOSED;
			else if (row->kind == OA_ST_MISSING)
				res = OA_ST_RECOVERED;
			else if (row->kind == OA_ST_LENT || row->kind == OA_ST_REPAIR)
				res = OA_ST_RETURNED;
			else if (found_elsewhere(st, row))
				res = OA_ST_MOVED;
			else
				res = OA_ST_OK;
		} else if (row->kind == OA_ST_DISPOSED) {
			res = OA_ST_OK; /* gone, as registered */
		} else if (row->kind == OA_ST_LENT || row->kind == OA_ST_REPAIR) {
			res = (oa_st_status)row->kind;
		} else {
			res = OA_ST_MISSING;
		}
		row->result = (uint8_t)res;
		/* The summary counts each asset once; a duplicate's own finding counts in finish_join. */
		st->dept_counts[row->dept][res != OA_ST_OK ? res
		                           : row->has_dup ? OA_ST_DUPLICATE : OA_ST_OK]++;
		if (res != OA_ST_DUPLICATE)
			st->counts[res]++;
	}
}

/* Register location -> scan location, by folded text; and the counters. */
static int
prepare_join(oa_stocktake *st, oa_error *err)
{
	size_t i;

	st->locmap = calloc(st->reg_locs.count, sizeof *st->locmap);
	st->dept_counts = calloc(st->depts.count, sizeof *st->dept_counts);
	if (st->locmap == NULL || st->dept_counts == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	for (i = 1; i < st->reg_locs.count; i++) {
		const str_item *it = &st->reg_locs.items[i];

		st->locmap[i] = strtab_find(&st->scan_locs, st->reg_locs.arena + it->key, it->keylen,
		                            it->hash);
	}
	return 0;
}

/* Unregistered scans and duplicates, once the register is known good. */
static void
finish_join(oa_stocktake *st)
{
	size_t i, d;

	for (i = 0; i < st->nscans; i++)
		if (!(st->scans[i].flags & (SF_REPEAT | SF_MATCHED)))
			st->scans[i].flags |= SF_UNREG;

	/* One duplicate finding per tag; the summary counted its asset already. */
	for (d = 0; d < st->ndups; d++)
		if (d == 0 || st->dups[d].first != st->dups[d - 1].first)
			st->counts[OA_ST_DUPLICATE]++;
}

static int classify_scans(oa_stocktake *st, oa_error *err);

/*
 * The scan dates: one after today is an error (a warning when the caller
 * sets the date); one more than date_window days from the median is a
 * warning and not taken as the stock-take date, which is the latest of
 * the others.
 */
static int
check_dates(oa_stocktake *st, oa_error *err)
{
	oa_date today = st->opt.today >= 0 ? st->opt.today : oa_date_today();
	size_t total = 0, seen = 0, k;
	oa_date median = -1;
	char a[16], b[16];

	for (k = 0; k < st->ndays; k++)
		total += st->days[k].count;
	for (k = 0; k < st->ndays && median < 0; k++) {
		seen += st->days[k].count;
		if (seen * 2 >= total)
			median = st->days[k].day;
	}
	for (k = 0; k < st->ndays; k++) {
		const struct scan_day *d = &st->days[k];
		const char *name = st->scanfiles[d->file].name;
		long dist = (long)(d->day > median ? d->day - median : median - d->day);

		oa_date_format(d->day, a);
		oa_date_format(today, b);
		if (d->day > today) {
			if (!st->opt.date_given)
				return oa_error_set(err, name, (long)d->line,
				                    "scanned_at %s is after today (%s): is the scanner's "
				                    "clock right? (--date sets the stock-take date)", a, b);
			st_warn(st, 1, name, (long)d->line, "scanned_at %s is after today (%s)", a, b);
			continue;
		}
		if (dist > st->opt.date_window) {
			oa_date_format(median, b);
			st_warn(st, 1, name, (long)d->line,
			        "scanned_at %s is %ld days from the other scans (median %s): not taken "
			        "as the stock-take date", a, dist, b);
			continue;
		}
		st->date = d->day; /* ascending: the last one kept is the latest */
	}
	return 0;
}

static int
cmp_source_path(const void *a, const void *b)
{
	return strcmp(((const source *)a)->path, ((const source *)b)->path);
}

/* Same file: the path as given, or the same inode. */
static bool
same_input(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return true;
	if (is_stdin(a) || is_stdin(b) || stat(a, &sa) < 0 || stat(b, &sb) < 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Each input's reading options: the common ones, then its own encoding. */
static int
set_file_options(oa_stocktake *st, oa_error *err)
{
	size_t e, f;

	st->reg.opt = st->opt.csv;
	for (f = 0; f < st->nscanfiles; f++)
		st->scanfiles[f].opt = st->opt.csv;
	for (e = 0; e < st->opt.nfile_encodings; e++) {
		const oa_file_encoding *fe = &st->opt.file_encodings[e];
		bool found = false;

		if (same_input(fe->path, st->reg.path)) {
			st->reg.opt.encoding = fe->encoding;
			found = true;
		}
		for (f = 0; f < st->nscanfiles; f++)
			if (same_input(fe->path, st->scanfiles[f].path)) {
				st->scanfiles[f].opt.encoding = fe->encoding;
				found = true;
			}
		if (!found)
			return oa_error_set(err, NULL, 0,
			                    "an encoding is given for \"%s\", which is not one of the inputs",
			                    fe->path);
	}
	return 0;
}

oa_stocktake *
oa_stocktake_run(const char *register_path, const char *const *scan_paths, size_t nscans,
                 const oa_stocktake_options *opt, oa_error *err)
{
	oa_stocktake *st;
	struct reg_job job;
	pthread_t th;
	bool threaded = false;
	size_t f, nstdin = is_stdin(register_path);
	int rc;

	for (f = 0; f < nscans; f++)
		nstdin += is_stdin(scan_paths[f]);
	if (nstdin > 1) {
		oa_error_set(err, NULL, 0, "standard input can be read only once");
		return NULL;
	}
	if (nscans > UINT16_MAX) {
		oa_error_set(err, NULL, 0, "too many scan files");
		return NULL;
	}
	st = calloc(1, sizeof *st);
	if (st == NULL) {
		oa_error_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	if (opt != NULL)
		st->opt = *opt;
	else
		oa_stocktake_options_init(&st->opt);
	st->date = -1;
	st->pending[0] = st->pending[1] = NONE;
	st->scanfiles = calloc(nscans ? nscans : 1, sizeof *st->scanfiles);
	if (st->scanfiles == NULL || strtab_init(&st->reg_locs) < 0 || strtab_init(&st->depts) < 0 ||
	    strtab_init(&st->scan_locs) < 0 || strtab_init(&st->bys) < 0) {
		oa_error_set(err, NULL, 0, "out of memory");
		goto fail;
	}
	st->reg.path = register_path ? register_path : "-";
	st->reg.name = is_stdin(register_path) ? "<stdin>" : register_path;
	st->nscanfiles = nscans;
	for (f = 0; f < nscans; f++) {
		st->scanfiles[f].path = scan_paths[f] ? scan_paths[f] : "-";
		st->scanfiles[f].name = is_stdin(scan_paths[f]) ? "<stdin>" : scan_paths[f];
	}
	/* In the order of their names, so that the order of the arguments does not matter. */
	if (nscans > 1)
		qsort(st->scanfiles, nscans, sizeof *st->scanfiles, cmp_source_path);
	if (set_file_options(st, err) < 0)
		goto fail;
	/*
	 * Standard input and pipes are kept in memory so that their rows can
	 * be read again.
	 */
	if (source_needs_slurp(&st->reg) && source_slurp(&st->reg, err) < 0)
		goto fail;
	for (f = 0; f < nscans; f++)
		if (source_needs_slurp(&st->scanfiles[f]) &&
		    source_slurp(&st->scanfiles[f], err) < 0)
			goto fail;

	memset(&job, 0, sizeof job);
	job.st = st;
	if (st->opt.threads > 1 && nscans > 0 &&
	    oa_thread_create(&th, register_thread, &job) == 0)
		threaded = true;
	else
		job.rc = parse_register(st, &job.err);
	rc = parse_scans(st, err);
	if (threaded)
		pthread_join(th, NULL);
	if (job.rc < 0) {
		if (err != NULL)
			*err = job.err;
		goto fail;
	}
	if (rc < 0)
		goto fail;

	/* The register's table on one thread, the join on the other. */
	if (prepare_join(st, err) < 0)
		goto fail;
	threaded = false;
	if (st->opt.threads > 1 && oa_thread_create(&th, register_table_thread, &job) == 0)
		threaded = true;
	else
		job.rc = build_register_table(st, &job.err);
	join_rows(st);
	if (threaded)
		pthread_join(th, NULL);
	if (job.rc < 0) {
		if (err != NULL)
			*err = job.err;
		goto fail;
	}
	if (st->pending[0] != NONE) {
		duplicate_error(st, err);
		goto fail;
	}
	finish_join(st);
	if (classify_scans(st, err) < 0 || check_dates(st, err) < 0)
		goto fail;
	return st;
fail:
	oa_stocktake_free(st);
	return NULL;
}

void
oa_stocktake_free(oa_stocktake *st)
{
	size_t f;

	if (st == NULL)
		return;
	source_release(&st->reg);
	for (f = 0; f < st->nscanfiles; f++)
		source_release(&st->scanfiles[f]);
	free(st->scanfiles);
	big_free(st->rows, st->rows_cap * sizeof *st->rows);
	big_free(st->scans, st->scans_cap * sizeof *st->scans);
	if (st->regtab.slots)
		big_free(st->regtab.slots, (st->regtab.mask + 1) * sizeof *st->regtab.slots);
	if (st->scantab.slots)
		big_free(st->scantab.slots, (st->scantab.mask + 1) * sizeof *st->scantab.slots);
	strtab_release(&st->reg_locs);
	strtab_release(&st->depts);
	strtab_release(&st->scan_locs);
	strtab_release(&st->bys);
	free(st->locmap);
	free(st->dups);
	free(st->dept_counts);
	saved_release(&st->scan_tags);
	free(st->warns[0]);
	free(st->warns[1]);
	free(st->days);
	free(st);
}

size_t
oa_stocktake_count(const oa_stocktake *st, oa_st_status s)
{
	return (unsigned)s < OA_ST_NSTATUS ? st->counts[s] : 0;
}

size_t
oa_stocktake_findings(const oa_stocktake *st)
{
	size_t n = 0, s;

	for (s = 1; s < OA_ST_NSTATUS; s++)
		n += st->counts[s];
	return n;
}

oa_date
oa_stocktake_date(const oa_stocktake *st)
{
	return st->date;
}

int
oa_stocktake_check_missing(const oa_stocktake *st, double max_share, oa_error *err)
{
	size_t i, base = 0, newly = 0;

	for (i = 0; i < st->nrows; i++) {
		if (st->rows[i].kind == OA_ST_DISPOSED)
			continue;
		base++;
		newly += st->rows[i].result == OA_ST_MISSING && st->rows[i].kind != OA_ST_MISSING;
	}
	if (base == 0 || (double)newly <= max_share * (double)base)
		return 0;
	return oa_error_set(err, st->reg.name, 0,
	                    "%zu of the register's %zu assets (%.0f%%) would be marked missing, "
	                    "more than [stocktake] max_missing_share (%.0f%%): are all the scan "
	                    "files there?",
	                    newly, base, 100.0 * (double)newly / (double)base, 100.0 * max_share);
}

/* ---- materialised rows ---- */

/* The cells of a register row that the outputs show. */
typedef struct reg_cells {
	char tag[OA_TAG_MAX];
	const char *name, *department, *custodian, *location, *last_audit, *status;
	size_t name_len, department_len, custodian_len, location_len, last_audit_len, status_len;
} reg_cells;

static void
get_reg_cells(const oa_stocktake *st, const oa_csv_reader *r, reg_cells *c)
{
	size_t len;
	const char *s = cell(r, st->reg.idx[OA_REG_TAG], &len);

	normalise(s, len, c->tag, sizeof c->tag);
	c->name = cell(r, st->reg.idx[OA_REG_NAME], &c->name_len);
	c->department = cell(r, st->reg.idx[OA_REG_DEPARTMENT], &c->department_len);
	c->custodian = cell(r, st->reg.idx[OA_REG_CUSTODIAN], &c->custodian_len);
	c->location = cell(r, st->reg.idx[OA_REG_LOCATION], &c->location_len);
	c->last_audit = cell(r, st->reg.idx[OA_REG_LAST_AUDIT], &c->last_audit_len);
	c->status = cell(r, st->reg.idx[OA_REG_STATUS], &c->status_len);
}

/*
 * Reads the tags of the scans reported on their own again (the first scan
 * of an unregistered tag, the second of a tag scanned twice), keeps them in
 * st->scan_tags, and tells surplus from misread by the check character.
 */
static int
classify_scans(oa_stocktake *st, oa_error *err)
{
	size_t f, i;

	for (f = 0; f < st->nscanfiles; f++) {
		source *src = &st->scanfiles[f];
		cursor c;
		bool opened = false;

		for (i = src->first; i < src->end; i++) {
			scan_row *sc = &st->scans[i];
			oa_csv_reader *r;
			char tag[OA_TAG_MAX];
			const char *cells[5];
			size_t lens[5] = { 0 }, len;
			const char *s;

			if (!(sc->flags & (SF_UNREG | SF_DUP)))
				continue;
			if (!opened) {
				if (cursor_open(&c, src, &src->opt, true, err) < 0)
					return -1;
				opened = true;
			}
			if ((r = seek_scan(&c, st, i, err)) == NULL) {
				cursor_close(&c);
				return -1;
			}
			if (src->header)
				s = cell(r, src->idx[OA_SCAN_TAG], &len);
			else
				s = oa_csv_field(r, 0), len = oa_csv_field_len(r, 0);
			lens[0] = normalise(s, len, tag, sizeof tag);
			cells[0] = tag;
			cells[1] = cells[2] = cells[3] = cells[4] = "";
			if (saved_add(&st->scan_tags, (uint32_t)i, cells, lens) < 0) {
				cursor_close(&c);
				return oa_error_set(err, NULL, 0, "out of memory");
			}
			if (sc->flags & SF_UNREG) {
				oa_st_status k = oa_tag_valid(tag, lens[0]) ? OA_ST_SURPLUS : OA_ST_MISREAD;

				sc->flags |= k == OA_ST_SURPLUS ? SF_SURPLUS : SF_MISREAD;
				st->counts[k]++;
				st->dept_counts[0][k]++;
			}
		}
		if (opened)
			cursor_close(&c);
	}
	return 0;
}

/* The text of scan I's location and scanner. */
static const char *
scan_loc(const oa_stocktake *st, uint32_t i, size_t *len)
{
	return strtab_text(&st->scan_locs, st->scans[i].loc, len);
}

static const char *
scan_by(const oa_stocktake *st, uint32_t i, size_t *len)
{
	return strtab_text(&st->bys, st->scans[i].by, len);
}

/* A growing text buffer for details and notices. */
typedef struct buf {
	char *s;
	size_t len, cap;
	bool oom;
} buf;

static void
buf_add(buf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		char *n;

		while (cap < b->len + len + 1)
			cap *= 2;
		if ((n = realloc(b->s, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->s = n;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
buf_str(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
buf_printf(buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* "FILE:LINE" of scan I. */
static void
buf_scan_ref(buf *b, const oa_stocktake *st, uint32_t i)
{
	buf_printf(b, "%s:%lu", st->scanfiles[st->scans[i].file].name,
	           (unsigned long)st->scans[i].line);
}

/* The detail of the duplicate reported at scan I (the second scan of its tag). */
static void
dup_detail(const oa_stocktake *st, uint32_t i, buf *b)
{
	uint32_t first = NONE, locs[4];
	size_t k, n, nlocs = 0, j, lo = 0, hi = st->ndups;

	/* The pair whose scan is I gives the first scan; its group follows. */
	for (k = 0; k < st->ndups; k++)
		if (st->dups[k].scan == i) {
			first = st->dups[k].first;
			break;
		}
	if (first == NONE)
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (st->dups[mid].first < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (n = 0; lo + n < st->ndups && st->dups[lo + n].first == first; n++)
		;
	buf_printf(b, "scanned %zu times", n + 1);
	for (k = 0; k <= n; k++) {
		uint32_t s = k == 0 ? first : st->dups[lo + k - 1].scan;
		uint32_t loc = st->scans[s].loc;

		if (loc == 0)
			continue;
		for (j = 0; j < nlocs && locs[j] != loc; j++)
			;
		if (j == nlocs && nlocs < 4)
			locs[nlocs++] = loc;
	}
	if (nlocs > 1) {
		buf_str(b, " at ");
		for (j = 0; j < nlocs; j++) {
			size_t len;
			const char *t = strtab_text(&st->scan_locs, locs[j], &len);

			if (j > 0)
				buf_str(b, j + 1 == nlocs ? " and " : ", ");
			buf_add(b, t, len);
		}
	}
	buf_str(b, ": ");
	for (k = 0; k <= n && k < 6; k++) {
		if (k > 0)
			buf_str(b, ", ");
		buf_scan_ref(b, st, k == 0 ? first : st->dups[lo + k - 1].scan);
	}
	if (n + 1 > 6)
		buf_str(b, ", ...");
}

struct exists_ctx {
	const oa_stocktake *st;
};

static bool
registered(void *ctx, const char *s, size_t len)
{
	const oa_stocktake *st = ((struct exists_ctx *)ctx)->st;

	return tagtab_find(&st->regtab, key_hash(s, len), st->rows, sizeof *st->rows) !=
	       NONE;
}

static void
misread_detail(const oa_stocktake *st, const char *tag, uint32_t i, buf *b)
{
	char near[8][OA_TAG_MAX];
	struct exists_ctx ctx = { st };
	size_t n = oa_tag_neighbours(tag, strlen(tag), registered, &ctx, near, 8), k;

	buf_str(b, "check character wrong; ");
	if (n == 0) {
		buf_str(b, "no registered tag one edit away");
	} else {
		buf_str(b, n == 1 ? "registered tag one edit away: " : "registered tags one edit away: ");
		for (k = 0; k < n && k < 8; k++) {
			if (k > 0)
				buf_str(b, ", ");
			buf_str(b, near[k]);
		}
		if (n > 8)
			buf_str(b, ", ...");
	}
	buf_str(b, "; ");
	buf_scan_ref(b, st, i);
}

/* ---- findings ---- */

int
oa_stocktake_write_findings(oa_stocktake *st, oa_csv_writer *w, bool all, const char *out_name,
                            oa_error *err)
{
	saved_set regs = { 0 };
	cursor c;
	buf detail = { 0 };
	size_t i;
	int rc = -1;

	oa_csv_write_record(w, oa_stocktake_columns, OA_ST_NCOLS);
	if (cursor_open(&c, &st->reg, &st->reg.opt, !all, err) < 0)
		goto out;
	for (i = 0; i < st->nrows; i++) {
		const reg_row *row = &st->rows[i];
		bool has_dup = row->has_dup;
		oa_csv_reader *r;
		reg_cells rc_;
		const char *s;
		size_t len;

		if (row->result == OA_ST_OK && !all && !has_dup)
			continue;
		if ((r = seek_reg(&c, st, i, err)) == NULL) {
			cursor_close(&c);
			goto out;
		}
		get_reg_cells(st, r, &rc_);
		if (has_dup) {
			const char *cells[5] = { rc_.tag, rc_.name, rc_.department, rc_.custodian,
			                         rc_.location };
			size_t lens[5] = { strlen(rc_.tag), rc_.name_len, rc_.department_len,
			                   rc_.custodian_len, rc_.location_len };

			if (saved_add(&regs, (uint32_t)i, cells, lens) < 0) {
				cursor_close(&c);
				oa_error_set(err, NULL, 0, "out of memory");
				goto out;
			}
		}
		if ((row->result == OA_ST_OK && !all) || row->result == OA_ST_DUPLICATE)
			continue; /* a duplicate is reported with its scans */
		detail.len = 0;
		if (detail.s)
			detail.s[0] = '\0';
		switch (row->result) {
		case OA_ST_MISSING:
			buf_str(&detail, "not found");
			if (rc_.last_audit_len > 0) {
				buf_str(&detail, "; last audit ");
				buf_add(&detail, rc_.last_audit, rc_.last_audit_len);
			}
			break;
		case OA_ST_DISPOSED:
			buf_str(&detail, "registered as disposed");
			break;
		case OA_ST_RECOVERED:
			buf_str(&detail, "registered as missing");
			break;
		case OA_ST_LENT:
			buf_str(&detail, "lent, not scanned");
			break;
		case OA_ST_REPAIR:
			buf_str(&detail, "in repair, not scanned");
			break;
		case OA_ST_RETURNED:
			buf_str(&detail, "registered as ");
			buf_add(&detail, rc_.status, rc_.status_len);
			buf_str(&detail, ", found");
			break;
		case OA_ST_OK:
			if (row->scan == NONE)
				buf_str(&detail, "disposed, not scanned");
			break;
		default:
			break;
		}
		/*
		 * Tags, rooms and names are codes and text: with --excel a room
		 * 0301 stays 0301, not the number 301 (oa_csv_write_code).
		 */
		oa_csv_write_str(w, oa_st_status_name((oa_st_status)row->result));
		oa_csv_write_code(w, rc_.tag, strlen(rc_.tag));
		oa_csv_write_code(w, rc_.name, rc_.name_len);
		oa_csv_write_code(w, rc_.department, rc_.department_len);
		oa_csv_write_code(w, rc_.custodian, rc_.custodian_len);
		oa_csv_write_code(w, rc_.location, rc_.location_len);
		if (row->scan != NONE) {
			s = scan_loc(st, row->scan, &len);
			oa_csv_write_code(w, s, len);
			s = scan_by(st, row->scan, &len);
			oa_csv_write_code(w, s, len);
		} else {
			oa_csv_write_str(w, "");
			oa_csv_write_str(w, "");
		}
		oa_csv_write_str(w, detail.s ? detail.s : "");
		oa_csv_end_record(w);
	}
	cursor_close(&c);

	for (i = 0; i < st->nscans; i++) {
		const scan_row *sc = &st->scans[i];
		const saved *sv;
		const char *s;
		size_t len;
		oa_st_status status;

		if (!(sc->flags & (SF_SURPLUS | SF_MISREAD | SF_DUP)))
			continue;
		sv = saved_find(&st->scan_tags, (uint32_t)i);
		if (sv == NULL) {
			oa_error_set(err, NULL, 0, "internal error: scan %zu not saved", i);
			goto out;
		}
		detail.len = 0;
		if (detail.s)
			detail.s[0] = '\0';
		if (sc->flags & SF_SURPLUS) {
			status = OA_ST_SURPLUS;
			buf_str(&detail, "not in the register; ");
			buf_scan_ref(&detail, st, (uint32_t)i);
		} else if (sc->flags & SF_MISREAD) {
			status = OA_ST_MISREAD;
			misread_detail(st, sv->cells[0], (uint32_t)i, &detail);
		} else {
			status = OA_ST_DUPLICATE;
			dup_detail(st, (uint32_t)i, &detail);
		}
		oa_csv_write_str(w, oa_st_status_name(status));
		oa_csv_write_code(w, sv->cells[0], strlen(sv->cells[0]));
		if (status == OA_ST_DUPLICATE) {
			uint32_t r = tagtab_find(&st->regtab, sc->hash, st->rows, sizeof *st->rows);
			const saved *rv = r == NONE ? NULL : saved_find(&regs, r);

			for (int k = 1; k <= 4; k++)
				oa_csv_write_code(w, rv ? rv->cells[k] : "", rv ? strlen(rv->cells[k]) : 0);
		} else {
			int k;

			for (k = 0; k < 4; k++)
				oa_csv_write_str(w, "");
		}
		s = scan_loc(st, (uint32_t)i, &len);
		oa_csv_write_code(w, s, len);
		s = scan_by(st, (uint32_t)i, &len);
		oa_csv_write_code(w, s, len);
		oa_csv_write_str(w, detail.s ? detail.s : "");
		oa_csv_end_record(w);
	}
	if (detail.oom) {
		oa_error_set(err, NULL, 0, "out of memory");
		goto out;
	}
	rc = oa_csv_writer_check(w, out_name, err);
out:
	free(detail.s);
	saved_release(&regs);
	return rc;
}

/* ---- summary ---- */

static const oa_st_status summary_order[] = {
	OA_ST_MISSING, OA_ST_SURPLUS, OA_ST_MOVED, OA_ST_DUPLICATE, OA_ST_MISREAD,
	OA_ST_DISPOSED, OA_ST_RECOVERED, OA_ST_LENT, OA_ST_REPAIR, OA_ST_RETURNED, OA_ST_OK,
};
#define NSUMMARY (sizeof summary_order / sizeof summary_order[0])

static void
write_counts(oa_csv_writer *w, const char *label, size_t len, const size_t *counts)
{
	size_t k;

	oa_csv_write_field(w, label, len);
	for (k = 0; k < NSUMMARY; k++) {
		char num[32];

		snprintf(num, sizeof num, "%zu", counts[summary_order[k]]);
		oa_csv_write_str(w, num);
	}
	oa_csv_end_record(w);
}

int
oa_stocktake_write_summary(oa_stocktake *st, oa_csv_writer *w, const char *out_name,
                           oa_error *err)
{
	size_t d, k;

	oa_csv_write_str(w, "department");
	for (k = 0; k < NSUMMARY; k++)
		oa_csv_write_str(w, oa_st_status_name(summary_order[k]));
	oa_csv_end_record(w);
	for (d = 1; d < st->depts.count; d++) {
		size_t len;
		const char *name = strtab_text(&st->depts, (uint32_t)d, &len);

		write_counts(w, name, len, st->dept_counts[d]);
	}
	for (k = 0; k < OA_ST_NSTATUS; k++)
		if (st->dept_counts[0][k] != 0)
			break;
	if (k < OA_ST_NSTATUS)
		write_counts(w, "", 0, st->dept_counts[0]);
	{
		size_t total[OA_ST_NSTATUS] = { 0 };

		for (d = 0; d < st->depts.count; d++)
			for (k = 0; k < OA_ST_NSTATUS; k++)
				total[k] += st->dept_counts[d][k];
		write_counts(w, "total", 5, total);
	}
	return oa_csv_writer_check(w, out_name, err);
}

/* ---- notices ---- */

typedef struct notice {
	buf missing, moved;
	size_t nmissing, nmoved;
} notice;

static void
notice_line(buf *b, const reg_cells *c, const char *found, size_t found_len)
{
	buf_str(b, "  ");
	buf_str(b, c->tag);
	buf_str(b, "  ");
	buf_add(b, c->name, c->name_len);
	buf_str(b, "  责任人 ");
	if (c->custodian_len > 0)
		buf_add(b, c->custodian, c->custodian_len);
	else
		buf_str(b, "（未登记）");
	buf_str(b, "  登记地点 ");
	buf_add(b, c->location, c->location_len);
	if (found != NULL) {
		buf_str(b, "  实际地点 ");
		buf_add(b, found, found_len);
	}
	buf_str(b, "\n");
}

/*
 * A field of the recipients list: never empty ("-"), no tab or newline
 * inside, so that `IFS=<TAB> read` (tab being IFS white space, runs of it
 * are one separator) keeps the columns apart.
 */
static void
list_field(buf *b, const char *s, size_t len, const char *end)
{
	size_t i;

	if (len == 0)
		buf_str(b, "-");
	for (i = 0; i < len; i++)
		buf_add(b, s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? " " : &s[i], 1);
	buf_str(b, end);
}

void
oa_stocktake_check_recipients(oa_stocktake *st, const oa_departments *depts)
{
	size_t *n = calloc(st->depts.count, sizeof *n), i, d;

	if (n == NULL)
		return;
	for (i = 0; i < st->nrows; i++)
		if (st->rows[i].result == OA_ST_MISSING || st->rows[i].result == OA_ST_MOVED)
			n[st->rows[i].dept]++;
	for (d = 0; d < st->depts.count; d++) {
		size_t len;
		const char *name = strtab_text(&st->depts, (uint32_t)d, &len);
		const oa_department *dep, *near[3];
		size_t k, nnear;
		char hint[160] = "";

		if (n[d] == 0)
			continue;
		if (len == 0) {
			st_warn(st, 1, st->reg.name, 0,
			        "%zu missing or moved %s no department: no department head gets %s",
			        n[d], n[d] == 1 ? "asset has" : "assets have", n[d] == 1 ? "it" : "them");
			continue;
		}
		dep = oa_departments_find(depts, name, len);
		if (dep != NULL) {
			if (dep->email[0] == '\0')
				st_warn(st, 1, st->reg.name, 0,
				        "department \"%.*s\" has no e-mail address in [departments]: "
				        "its notice (%zu %s) is not mailed",
				        (int)len, name, n[d], n[d] == 1 ? "asset" : "assets");
			continue;
		}
		nnear = oa_departments_suggest(depts, name, len, near, 3);
		for (k = 0; k < nnear && k < 3; k++) {
			size_t used = strlen(hint);

			snprintf(hint + used, sizeof hint - used, "%s%s", k == 0 ? "; closest: " : ", ",
			         near[k]->name);
		}
		st_warn(st, 1, st->reg.name, 0,
		        "department \"%.*s\" is not in [departments]: its notice (%zu %s) "
		        "reaches nobody%s",
		        (int)len, name, n[d], n[d] == 1 ? "asset" : "assets", hint);
	}
	free(n);
}

int
oa_stocktake_write_notices(oa_stocktake *st, const char *dir, const oa_departments *depts,
                           oa_date date, const char *signature, oa_atomic_set *set,
                           oa_error *err)
{
	oa_atomic_set own;
	notice *notes;
	cursor c;
	size_t i, d;
	buf list = { 0 }, path = { 0 };
	oa_notice_names names = { 0 };
	char datebuf[16] = "";
	int rc = -1;

	if (set == NULL) {
		oa_atomic_set_init(&own);
		set = &own;
	}
	notes = calloc(st->depts.count, sizeof *notes);
	if (notes == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	if (cursor_open(&c, &st->reg, &st->reg.opt, true, err) < 0) {
		free(notes);
		return -1;
	}
	for (i = 0; i < st->nrows; i++) {
		const reg_row *row = &st->rows[i];
		oa_csv_reader *r;
		reg_cells rc_;
		notice *n = &notes[row->dept];

		if (row->result != OA_ST_MISSING && row->result != OA_ST_MOVED)
			continue;
		if ((r = seek_reg(&c, st, i, err)) == NULL) {
			cursor_close(&c);
			goto out;
		}
		get_reg_cells(st, r, &rc_);
		if (row->result == OA_ST_MISSING) {
			notice_line(&n->missing, &rc_, NULL, 0);
			n->nmissing++;
		} else {
			size_t len;
			const char *s = scan_loc(st, row->scan, &len);

			notice_line(&n->moved, &rc_, s, len);
			n->nmoved++;
		}
	}
	cursor_close(&c);

	{
		struct stat sb;

		if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
			oa_error_set(err, dir, 0, "not a directory: the notices need one (--notices DIR)");
			goto out;
		}
	}
	if (oa_atomic_set_mkdir(set, dir, err) < 0)
		goto out;
	if (date >= 0)
		oa_date_format(date, datebuf);
	for (d = 0; d < st->depts.count; d++) {
		notice *n = &notes[d];
		size_t len;
		const char *dname = strtab_text(&st->depts, (uint32_t)d, &len);
		const oa_department *dep;
		const char *fname;
		buf text = { 0 };
		oa_atomic_file *af;

		if (n->nmissing + n->nmoved == 0)
			continue;
		dep = len > 0 ? oa_departments_find(depts, dname, len) : NULL;
		fname = oa_notice_name(&names, dep && dep->code[0] ? dep->code
		                                              : len > 0 ? dname : "unassigned");
		if (fname == NULL) {
			oa_error_set(err, NULL, 0, "out of memory");
			goto out;
		}
		if (dep && dep->head[0])
			buf_printf(&text, "%s：\n\n", dep->head);
		else
			buf_printf(&text, "%s负责同志：\n\n", len > 0 ? dname : "未登记部门");
		if (datebuf[0])
			buf_printf(&text, "在 %s 的资产盘点中，", datebuf);
		else
			buf_str(&text, "在本次资产盘点中，");
		buf_add(&text, len > 0 ? dname : "未登记部门", len > 0 ? len : strlen("未登记部门"));
		buf_str(&text, "的下列资产与资产台账不符，请核实后回复。\n");
		if (n->nmissing > 0) {
			buf_printf(&text, "\n未找到（missing）%zu 件：\n", n->nmissing);
			buf_add(&text, n->missing.s, n->missing.len);
		}
		if (n->nmoved > 0) {
			buf_printf(&text, "\n存放地点变动（moved）%zu 件：\n", n->nmoved);
			buf_add(&text, n->moved.s, n->moved.len);
		}
		if (signature != NULL && signature[0] != '\0')
			buf_printf(&text, "\n%s\n", signature);
		if (text.oom || n->missing.oom || n->moved.oom) {
			free(text.s);
			oa_error_set(err, NULL, 0, "out of memory");
			goto out;
		}
		path.len = 0;
		buf_str(&path, dir);
		buf_str(&path, "/");
		buf_str(&path, fname);
		if (path.oom || (af = oa_atomic_set_open(set, path.s, 0644, 0, err)) == NULL) {
			free(text.s);
			if (path.oom)
				oa_error_set(err, NULL, 0, "out of memory");
			goto out;
		}
		/* A write error shows at the commit (the stream keeps it). */
		fwrite(text.s, 1, text.len, af->fp);
		free(text.s);
		list_field(&list, fname, strlen(fname), "\t");
		list_field(&list, dep ? dep->email : "", dep ? strlen(dep->email) : 0, "\t");
		list_field(&list, dep ? dep->head : "", dep ? strlen(dep->head) : 0, "\t");
		list_field(&list, len > 0 ? dname : "", len, "\n");
	}
	{
		oa_atomic_file *af;

		path.len = 0;
		buf_str(&path, dir);
		buf_str(&path, "/recipients");
		if (path.oom || list.oom) {
			oa_error_set(err, NULL, 0, "out of memory");
			goto out;
		}
		if ((af = oa_atomic_set_open(set, path.s, 0644, 0, err)) == NULL)
			goto out;
		if (list.len > 0)
			fwrite(list.s, 1, list.len, af->fp);
	}
	rc = set == &own ? oa_atomic_set_commit(set, err) : 0;
out:
	if (rc < 0 && set == &own)
		oa_atomic_set_abort(set);
	for (d = 0; d < st->depts.count; d++) {
		free(notes[d].missing.s);
		free(notes[d].moved.s);
	}
	free(notes);
	free(list.s);
	free(path.s);
	oa_notice_names_release(&names);
	return rc;
}

/* ---- the updated register ---- */

static bool
is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

int
oa_stocktake_write_update(oa_stocktake *st, FILE *out, oa_date date, bool relocate,
                          const char *out_name, oa_error *err)
{
	oa_csv_writer *w = oa_csv_writer_new_style(out, &st->reg.style);
	int ia = st->reg.idx[OA_REG_LAST_AUDIT], is = st->reg.idx[OA_REG_STATUS];
	/* Words for an empty status cell: the register's usual language. */
	bool cjk = st->status_cjk > st->status_ascii ||
	           (st->status_cjk == 0 && st->status_ascii == 0 && st->header_cjk);
	int il = st->reg.idx[OA_REG_LOCATION];
	char datebuf[32];
	cursor c;
	oa_csv_reader *hr;
	size_t i, k, width = st->reg.width;
	int rc = -1, t;

	if (w == NULL)
		return oa_error_set(err, NULL, 0, "out of memory");
	audit_format(st, date, datebuf);
	/* The header, read again; then every row through a sequential cursor. */
	if ((hr = source_open(&st->reg, &st->reg.opt, err)) == NULL)
		goto out_w;
	t = oa_csv_read(hr, err);
	if (t <= 0) {
		if (t == 0)
			oa_error_set(err, st->reg.name, 0, "file changed while it was being read");
		oa_csv_reader_free(hr);
		goto out_w;
	}
	for (k = 0; k < width; k++)
		oa_csv_write_field(w, oa_csv_field(hr, k), oa_csv_field_len(hr, k));
	oa_csv_reader_free(hr);
	if (ia < 0)
		oa_csv_write_str(w, st->header_cjk ? "上次盘点" : "last_audit");
	if (is < 0)
		oa_csv_write_str(w, st->header_cjk ? "状态" : "status");
	oa_csv_end_record(w);

	if (cursor_open(&c, &st->reg, &st->reg.opt, false, err) < 0)
		goto out_w;
	for (i = 0; i < st->nrows; i++) {
		const reg_row *row = &st->rows[i];
		oa_csv_reader *r = seek_reg(&c, st, i, err);
		const char *status = NULL, *audit = NULL, *loc = NULL;
		size_t loclen = 0, stlen;
		const char *old;

		if (r == NULL)
			goto out_c;
		old = cell(r, is, &stlen);
		bool zh = stlen > 0 ? !is_ascii(old, stlen) : cjk;
		/* Lent and in-repair assets never become missing (their result is lent or repair). */
		if (row->result == OA_ST_MISSING && row->kind != OA_ST_MISSING)
			status = zh ? "丢失" : "missing";
		else if (row->scan != NONE && row->kind == OA_ST_MISSING)
			status = zh ? "在用" : "in-use"; /* recovered, duplicate or not */
		if (row->scan != NONE)
			audit = datebuf;
		if (relocate && !row->conflict &&
		    (row->result == OA_ST_MOVED ||
		     (row->result == OA_ST_RECOVERED && found_elsewhere(st, row))))
			loc = scan_loc(st, row->scan, &loclen);
		for (k = 0; k < width; k++) {
			if ((int)k == is && status != NULL)
				oa_csv_write_str(w, status);
			else if ((int)k == ia && audit != NULL)
				oa_csv_write_str(w, audit);
			else if ((int)k == il && loc != NULL)
				oa_csv_write_field(w, loc, loclen);
			else
				oa_csv_write_field(w, oa_csv_field(r, k), oa_csv_field_len(r, k));
		}
		if (ia < 0)
			oa_csv_write_str(w, audit ? audit : "");
		if (is < 0)
			oa_csv_write_str(w, status ? status : "");
		oa_csv_end_record(w);
	}
	rc = oa_csv_writer_check(w, out_name, err);
out_c:
	cursor_close(&c);
out_w:
	oa_csv_writer_free(w);
	return rc;
}
