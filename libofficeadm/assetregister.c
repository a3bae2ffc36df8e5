/*
 * assetregister.c - the register in memory, rewritten in its own style.
 * See assetregister.h.
 *
 * The file is one block of UTF-8 text (converted from GB18030 when it was
 * that); each row records where its bytes lie in the block and where its
 * cells lie in one arena of NUL-separated cells.  A changed row gets an
 * array of replacement cells.  A hash table maps normalised tags to rows.
 */
#include "assetregister.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assetreport.h"
#include "assets.h"
#include "csvline.h"
#include "date.h"
#include "depreciation.h"
#include "stocktake.h"
#include "tag.h"
#include "utf8.h"

struct oa_register_row {
	size_t off, len;   /* the row's bytes in text (up to the next row) */
	size_t own;        /* its own record's bytes: the rest are rows skipped after it */
	size_t cells;      /* offset of its first cell in the arena */
	long line;
	char **set;        /* width + added replacement cells, NULL unless changed */
	unsigned char status; /* its status cell as read (oa_asset_status_read) */
};

/* The arena is kept in the register's head pointer block: see load. */
typedef struct arena {
	char *p;
	size_t len, cap;
} arena;

static const char *const status_en[OA_AST_COUNT] = {
	"", "in-use", "idle", "repair", "lent", "missing", "disposed",
};
static const char *const status_zh[OA_AST_COUNT] = {
	"", "在用", "闲置", "维修", "借出", "丢失", "报废",
};

const char *
oa_asset_status_en(oa_asset_status s)
{
	return (unsigned)s < OA_AST_COUNT ? status_en[s] : "";
}

const char *
oa_asset_status_zh(oa_asset_status s)
{
	return (unsigned)s < OA_AST_COUNT ? status_zh[s] : "";
}

oa_asset_status
oa_asset_status_read(const char *s, size_t len)
{
	/* The words this toolkit writes, exactly as written: most cells, read
	 * for every row by every report, so without folding. */
	static const unsigned char en_len[OA_AST_COUNT] = { 0, 6, 4, 6, 4, 7, 8 };
	for (int i = 1; i < OA_AST_COUNT; i++)
		if ((en_len[i] == len && memcmp(s, status_en[i], len) == 0) ||
		    (len == 6 && memcmp(s, status_zh[i], 6) == 0))
			return (oa_asset_status)i;

	const char *en = oa_asset_status_parse(s, len);

	if (en != NULL) {
		for (int i = 1; i < OA_AST_COUNT; i++)
			if (strcmp(en, status_en[i]) == 0)
				return (oa_asset_status)i;
	}
	switch (oa_stocktake_register_status(s, len)) {
	case OA_ST_DISPOSED:
		return OA_AST_DISPOSED;
	case OA_ST_MISSING:
		return OA_AST_MISSING;
	case OA_ST_LENT:
		return OA_AST_LENT;
	default:
		return OA_AST_NONE;
	}
}

/* ---- reading ---- */

static int
read_all(const char *path, char **out, size_t *len, oa_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (fd < 0)
		return oa_error_sys(err, path, "cannot open");
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return oa_error_sys(err, path, "cannot read");
	}
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
	for (;;) {
		if (n + 1 >= cap) {
			char *p = realloc(buf, cap * 2);
			if (p == NULL)
				goto nomem;
			buf = p;
			cap *= 2;
		}
		if (buf == NULL && (buf = malloc(cap)) == NULL)
			goto nomem;
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return oa_error_sys(err, path, "cannot read");
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
nomem:
	free(buf);
	close(fd);
	return oa_error_set(err, path, 0, "out of memory");
}

/* Converts LEN bytes at IN with CD; a malloc'd result. */
static char *
convert(iconv_t cd, const char *in, size_t len, size_t *outlen)
{
	size_t cap = len * 2 + 16;
	char *out = malloc(cap);
	char *src = (char *)in, *dst = out;
	size_t left = len, room = cap;

	if (out == NULL)
		return NULL;
	while (left > 0) {
		if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
			if (errno != E2BIG) {
				free(out);
				return NULL;
			}
			size_t used = (size_t)(dst - out);
			char *p = realloc(out, cap * 2);
			if (p == NULL) {
				free(out);
				return NULL;
			}
			out = p;
			cap *= 2;
			dst = out + used;
			room = cap - used;
		}
	}
	*outlen = (size_t)(dst - out);
	return out;
}

static int
arena_add(arena *a, const char *s, size_t len)
{
	if (a->len + len + 1 > a->cap) {
		size_t ncap = a->cap ? a->cap : 65536;
		while (a->len + len + 1 > ncap)
			ncap *= 2;
		char *p = realloc(a->p, ncap);
		if (p == NULL)
			return -1;
		a->p = p;
		a->cap = ncap;
	}
	memcpy(a->p + a->len, s, len);
	a->p[a->len + len] = '\0';
	a->len += len + 1;
	return 0;
}

static uint64_t
hash_tag(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* The cell arena lives after the header cells: reg->head is the arena. */
static const char *
cell_at(const oa_register *reg, const oa_register_row *row, size_t k)
{
	return reg->head + row->cells + reg->cell_off[(size_t)(row - reg->rows) * reg->width + k];
}

static long
find_norm(const oa_register *reg, const char *norm, size_t nlen)
{
	if (reg->nslots == 0)
		return -1;
	size_t mask = reg->nslots - 1;
	uint64_t h = hash_tag(norm, nlen);
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		size_t v = reg->slots[i];
		char other[OA_TAG_MAX];
		if (v == 0)
			return -1;
		if (reg->slot_hash[i] != h)
			continue; /* another tag: no need to read and fold it */
		const char *t = oa_register_get(reg, v - 1, OA_REG_TAG);
		size_t olen = oa_tag_canonical(t, strlen(t), other, sizeof other);
		if (olen == nlen && memcmp(other, norm, nlen) == 0)
			return (long)(v - 1);
	}
}

static int
index_tags(oa_register *reg, oa_error *err)
{
	size_t n = 16;

	while (n < reg->nrows * 2)
		n *= 2;
	reg->slots = calloc(n, sizeof *reg->slots);
	reg->slot_hash = calloc(n, sizeof *reg->slot_hash);
	if (reg->slots == NULL || reg->slot_hash == NULL)
		return oa_error_set(err, reg->path, 0, "out of memory");
	reg->nslots = n;
	for (size_t r = 0; r < reg->nrows; r++) {
		const char *t = oa_register_get(reg, r, OA_REG_TAG);
		char norm[OA_TAG_MAX];
		size_t nlen = oa_tag_canonical(t, strlen(t), norm, sizeof norm);
		long other;

		if (nlen == 0)
			return oa_error_set(err, reg->path, reg->rows[r].line,
			                    t[0] ? "tag \"%s\" is too long" : "empty tag%s", t);
		other = find_norm(reg, norm, nlen);
		if (other >= 0)
			return oa_error_set(err, reg->path, reg->rows[r].line,
			                    "tag \"%s\" is registered twice (also line %ld)", t,
			                    reg->rows[other].line);
		uint64_t h = hash_tag(norm, nlen);
		size_t i = (size_t)h & (n - 1);
		while (reg->slots[i] != 0)
			i = (i + 1) & (n - 1);
		reg->slots[i] = r + 1;
		reg->slot_hash[i] = h;
	}
	return 0;
}

/* ---- rows that are no asset, and rows whose cells shifted ---- */

static bool
blank_cell(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}


/*
 * What register field F holds, when the cell S (LEN bytes) cannot be that;
 * NULL when it can (an empty cell can be anything but a tag).
 */
static const char *
misfit(int f, const char *s, size_t len)
{
	oa_date d;
	long years;
	long long fen;

	if (f == OA_REG_TAG)
		return blank_cell(s, len) ? "a tag" : NULL;
	if (blank_cell(s, len))
		return NULL;
	switch (f) {
	case OA_REG_VALUE:
		return oa_value_fen(s, &fen) < 0 ? "an amount in yuan (5200.00)" : NULL;
	case OA_REG_ACQUIRED:
	case OA_REG_LAST_AUDIT:
		return oa_date_parse_excel(s, len, &d) < 0 ? "a date (2026-01-12)" : NULL;
	case OA_REG_LIFE:
		return oa_dep_life_parse(s, len, &years) < 0 ? "a life in years (6, 6年)" : NULL;
	case OA_REG_CLASS:
		return oa_asset_class_parse(s, len) == OA_CLASS_NONE
		       ? "a class (fixed 固定资产, low-value 低值易耗品)" : NULL;
	case OA_REG_STATUS:
		return oa_asset_status_read(s, len) == OA_AST_NONE
		       ? "a status (in-use 在用, idle 闲置, repair 维修, lent 借出, missing 丢失, "
		         "disposed 报废)" : NULL;
	default:
		return NULL;
	}
}

/* Header cell K, from the header cells at the start of the arena. */
static const char *
head_cell(const char *cells, size_t k)
{
	while (k-- > 0)
		cells += strlen(cells) + 1;
	return cells;
}

/*
 * The first column of the current record whose cell cannot be what its
 * header says (misfit), field SKIP aside, or -1; *what says what was
 * expected.
 */
static long
first_misfit(const oa_register *reg, oa_csv_reader *r, int skip, const char **what)
{
	for (size_t k = 0; k < reg->width; k++)
		for (int f = 0; f < OA_REG_NCOLS; f++)
			if (reg->idx[f] == (int)k && f != skip &&
			    (*what = misfit(f, oa_csv_field(r, k), oa_csv_field_len(r, k))) != NULL)
				return (long)k;
	return -1;
}


/* The columns misfit can tell a wrong cell in (the tag aside). */
static bool
typed(int f)
{
	return f == OA_REG_VALUE || f == OA_REG_ACQUIRED || f == OA_REG_LIFE ||
	       f == OA_REG_CLASS || f == OA_REG_STATUS || f == OA_REG_LAST_AUDIT;
}

/*
 * How many typed columns (value, dates, life, class, status) hold a value
 * of their kind once the cells are moved (oa_csv_field_moved), or -1 when one
 * holds something else or a non-empty cell is left past the header.  The
 * tag may come out empty: it may be the cell missing.
 */
static long
fitting_cells(const oa_register *reg, oa_csv_reader *r, size_t p, long drop)
{
	long n = 0;

	for (size_t c = 0; c < reg->width; c++) {
		const char *s = oa_csv_field_moved(r, c, p, drop);
		for (int f = 0; f < OA_REG_NCOLS; f++) {
			if (reg->idx[f] != (int)c || f == OA_REG_TAG)
				continue;
			if (misfit(f, s, strlen(s)) != NULL)
				return -1;
			n += typed(f) && !blank_cell(s, strlen(s));
		}
	}
	for (size_t i = reg->width + (drop > 0 ? (size_t)drop : 0); i < oa_csv_nfields(r); i++)
		if (!blank_cell(oa_csv_field(r, i), oa_csv_field_len(r, i)))
			return -1;
	return n;
}

/*
 * How many cells too many (> 0) or missing (< 0) at or before column K
 * make the record, which has not the header's width, fit it: every typed
 * cell then of its kind, and more of them filled than as it stands (so a
 * shift that only slides empty cells over a bad one explains nothing).
 * 0 when no shift of up to three cells does; the row is then read as it
 * is, a bad cell and all.
 */
static long
shift_at(const oa_register *reg, oa_csv_reader *r, size_t k)
{
	long sign = oa_csv_nfields(r) > reg->width ? 1 : -1;
	long as_is = 0;

	/* As it stands, counted the same way but without failing on a misfit. */
	for (size_t c = 0; c < reg->width; c++)
		for (int f = 0; f < OA_REG_NCOLS; f++) {
			const char *s = oa_csv_field(r, c);
			as_is += reg->idx[f] == (int)c && typed(f) && !blank_cell(s, strlen(s)) &&
			         misfit(f, s, strlen(s)) == NULL;
		}
	/* Not only the difference in width: a split value may also have
	 * pushed an empty last cell away. */
	for (size_t d = 1; d <= 3; d++)
		for (size_t p = 0; p <= k; p++)
			if (fitting_cells(reg, r, p, sign * (long)d) > as_is)
				return sign * (long)d;
	return 0;
}

/*
 * Whether a tag cell may be a total word (合计, total ...), cheaply: a tag
 * has digits and starts with a letter, the words have none.  Every row
 * asks, so most answer on their first byte.
 */
static bool
maybe_total(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];

	if (c == 0 || (c < 0x80 && strchr("tTsSgG ", c) == NULL))
		return false;
	if (len > 40)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return false;
	return oa_asset_total_word(s, len) != NULL;
}

/*
 * Checks a record that is odd (not the header's width, or no tag): 0 when
 * it is an asset row; 1 when it is to be skipped (blank, or a total row,
 * noted); -1 with err when its cells do not line up with the header.
 */
static int
odd_row(oa_register *reg, oa_csv_reader *r, const char *heads, oa_error *err)
{
	size_t nf = oa_csv_nfields(r), extra = SIZE_MAX;
	const char *tag = oa_csv_field(r, (size_t)reg->idx[OA_REG_TAG]);
	size_t tlen = oa_csv_field_len(r, (size_t)reg->idx[OA_REG_TAG]);
	const char *name = reg->idx[OA_REG_NAME] >= 0
	                   ? oa_csv_field(r, (size_t)reg->idx[OA_REG_NAME]) : "";
	const char *word = NULL, *what = NULL;
	bool blank = true;
	long k, shift;

	for (size_t i = 0; i < nf; i++) {
		if (blank_cell(oa_csv_field(r, i), oa_csv_field_len(r, i)))
			continue;
		blank = false;
		if (i >= reg->width && extra == SIZE_MAX)
			extra = i;
	}
	if (blank)
		return 1; /* ",,,,": a spreadsheet's empty row */
	/* 合计 as the tag is never a tag; under an empty tag, the name must
	 * be empty or the word too (an asset named 小计 keeps its row). */
	if ((word = oa_asset_total_word(tag, tlen)) == NULL && blank_cell(tag, tlen)) {
		for (size_t i = 0; i < nf && word == NULL; i++)
			word = oa_asset_total_word(oa_csv_field(r, i), oa_csv_field_len(r, i));
		if (word != NULL && !blank_cell(name, strlen(name)) &&
		    oa_asset_total_word(name, strlen(name)) != word)
			word = NULL;
	}
	if (word != NULL) {
		long *l = realloc(reg->total_lines, (reg->ntotals + 1) * sizeof *l);
		const char **w;
		if (l == NULL)
			return oa_error_set(err, reg->path, 0, "out of memory");
		reg->total_lines = l;
		w = realloc(reg->total_words, (reg->ntotals + 1) * sizeof *w);
		if (w == NULL)
			return oa_error_set(err, reg->path, 0, "out of memory");
		reg->total_words = w;
		reg->total_lines[reg->ntotals] = oa_csv_line(r);
		reg->total_words[reg->ntotals++] = word;
		return 1;
	}
	k = first_misfit(reg, r, -1, &what);
	if (nf != reg->width && k >= 0 && (shift = shift_at(reg, r, (size_t)k)) != 0) {
		const char *cell = oa_csv_field(r, (size_t)k);
		bool empty = blank_cell(cell, strlen(cell));
		long d = shift > 0 ? shift : -shift;
		char cells[32];
		snprintf(cells, sizeof cells, d == 1 ? "a cell" : "%ld cells", d);
		return oa_error_set(err, reg->path, oa_csv_line(r),
		                    "%zu cells where the header has %zu: column %ld (%s) %s%.*s%s, "
		                    "expected %s: %s %s at or before it%s", nf, reg->width,
		                    k + 1, head_cell(heads, (size_t)k), empty ? "is empty" : "holds \"",
		                    empty ? 0 : oa_utf8_cut48(cell), cell, empty ? "" : "\"", what, cells,
		                    shift > 0 ? "too many" : "missing",
		                    shift > 0 ? " (an unquoted comma, as in 1,234.50? quote the cell)"
		                              : "");
	}
	if (extra != SIZE_MAX) {
		const char *cell = oa_csv_field(r, extra);
		return oa_error_set(err, reg->path, oa_csv_line(r),
		                    "%zu cells where the header has %zu: column %zu holds \"%.*s\" "
		                    "and has no name in the header: a cell too many (an unquoted "
		                    "comma? quote the cell)", nf, reg->width, extra + 1, oa_utf8_cut48(cell),
		                    cell);
	}
	if (blank_cell(tag, tlen)) {
		int tk = reg->idx[OA_REG_TAG];
		k = first_misfit(reg, r, OA_REG_TAG, &what);
		if (k >= 0) {
			const char *cell = oa_csv_field(r, (size_t)k);
			return oa_error_set(err, reg->path, oa_csv_line(r),
			                    "empty tag in column %d (%s), and column %ld (%s) holds "
			                    "\"%.*s\", expected %s: are the cells shifted?", tk + 1,
			                    head_cell(heads, (size_t)tk), k + 1,
			                    head_cell(heads, (size_t)k), oa_utf8_cut48(cell), cell, what);
		}
		return oa_error_set(err, reg->path, oa_csv_line(r),
		                    "empty tag in column %d (%s): give the row its tag (asset-tag "
		                    "does) or delete the row", tk + 1, head_cell(heads, (size_t)tk));
	}
	return 0;
}

/* Where parse keeps the rows it reads. */
typedef struct rows_in {
	arena a;
	size_t cap;    /* of reg->rows */
	size_t offcap; /* of reg->cell_off */
} rows_in;

/*
 * Appends a row of the register's width starting at byte OFF on LINE, its
 * cells F[k][0..FLEN[k]) copied into the arena.  The previous row (or the
 * header) ends where it starts.  -1 out of memory, -2 a row over 4 GiB.
 */
static int
add_row(oa_register *reg, rows_in *in, size_t off, long line, const char *const *f,
        const size_t *flen)
{
	oa_register_row *row;

	if (reg->nrows == 0)
		reg->head_len = off - reg->head_off;
	else
		reg->rows[reg->nrows - 1].len = off - reg->rows[reg->nrows - 1].off;
	if (reg->nrows == in->cap) {
		size_t ncap = in->cap ? in->cap * 2 : 1024;
		oa_register_row *v = realloc(reg->rows, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		reg->rows = v;
		in->cap = ncap;
	}
	if ((reg->nrows + 1) * reg->width > in->offcap) {
		size_t ncap = in->offcap ? in->offcap * 2 : 1024 * reg->width;
		uint32_t *v = realloc(reg->cell_off, ncap * sizeof *v);
		if (v == NULL)
			return -1;
		reg->cell_off = v;
		in->offcap = ncap;
	}
	row = &reg->rows[reg->nrows++];
	memset(row, 0, sizeof *row);
	row->off = off;
	row->line = line;
	row->cells = in->a.len;
	for (size_t k = 0; k < reg->width; k++) {
		const char *cell = f[k];
		size_t clen = flen[k];
		if (in->a.len - row->cells > UINT32_MAX)
			return -2;
		reg->cell_off[(reg->nrows - 1) * reg->width + k] = (uint32_t)(in->a.len - row->cells);
		/* "财务科 " is 财务科: a space typed or pasted around a cell
		 * would make another department of it in every report. */
		if (oa_utf8_may_trim(cell, clen))
			oa_utf8_trim(&cell, &clen);
		if ((int)k == reg->idx[OA_REG_STATUS]) {
			/* Read now, while the cell is at hand: every report asks. */
			row->status = (unsigned char)oa_asset_status_read(cell, clen);
			if (row->status == OA_AST_NONE && clen > 0)
				reg->unknown_statuses++;
		}
		if (arena_add(&in->a, cell, clen) < 0)
			return -1;
	}
	return 0;
}

/*
 * The fast path for a register this toolkit wrote (LF line ends, every row
 * plain, of the header's width, with a tag that is no total): each line
 * split in one pass (csvline.h).  1 when every row after the header at
 * POS was read so, to the end; 0 when a line is not that plain (the rows
 * read are dropped: the reader then reads them all, as before, with its
 * messages); -1 out of memory.
 */
static int
fast_rows(oa_register *reg, rows_in *in, size_t pos, long line, size_t max)
{
	size_t keep = in->a.len, tk = (size_t)reg->idx[OA_REG_TAG];
	const char **f = malloc(reg->width * sizeof *f);
	size_t *flen = malloc(reg->width * sizeof *flen);
	char scratch[4096];
	int rc = 1;

	if (f == NULL || flen == NULL) {
		rc = -1;
		goto out;
	}
	while (pos < reg->len) {
		size_t ll;
		if (!oa_csvline_split(reg->text + pos, reg->len - pos, reg->width, f, flen, max,
		                      scratch, sizeof scratch, &ll) ||
		    blank_cell(f[tk], flen[tk]) || maybe_total(f[tk], flen[tk])) {
			reg->nrows = 0;
			in->a.len = keep;
			rc = 0;
			goto out;
		}
		int added = add_row(reg, in, pos, line, f, flen);
		if (added < 0) {
			rc = added == -1 ? -1 : 0; /* a row that long: the reader says so */
			reg->nrows = 0;
			in->a.len = keep;
			goto out;
		}
		reg->rows[reg->nrows - 1].own = ll + 1;
		pos += ll + 1;
		line++;
	}
out:
	free(f);
	free(flen);
	return rc;
}

/*
 * The length of the header line with its line feed when it is plain (one
 * line of the register's width, csvline.h), else 0; -1 out of memory.
 */
static long
header_plain(const oa_register *reg, size_t max)
{
	const char **f = malloc(reg->width * sizeof *f);
	size_t *flen = malloc(reg->width * sizeof *flen), ll;
	char scratch[4096];
	long n = -1;

	if (f != NULL && flen != NULL)
		n = oa_csvline_split(reg->text + reg->head_off, reg->len - reg->head_off, reg->width, f,
		                     flen, max, scratch, sizeof scratch, &ll)
		    ? (long)ll + 1 : 0;
	free(f);
	free(flen);
	return n;
}

static int
parse(oa_register *reg, const oa_csv_options *copt, oa_error *err)
{
	oa_csv_options opt = *copt;
	oa_csv_reader *r;
	rows_in in = { 0 };
	int rc, fast = 0;

	opt.encoding = OA_ENC_UTF8;
	r = oa_csv_reader_memory(reg->text, reg->len, reg->path, &opt, err);
	if (r == NULL)
		return -1;
	rc = oa_csv_read(r, err);
	if (rc == 0)
		rc = oa_error_set(err, reg->path, 0, "the register is empty (no header)");
	if (rc < 0)
		goto out;
	if (oa_columns_map(r, oa_register_columns, OA_REG_NCOLS, OA_BIT(OA_REG_TAG), reg->idx,
	                   err) < 0) {
		rc = -1;
		goto out;
	}
	reg->width = oa_csv_nfields(r);
	reg->head_off = (size_t)oa_csv_offset(r);
	/* Every cell is seen, those past the header too: odd_row says what
	 * a row of another width is. */
	oa_csv_reader_set_width(r, 0);
	for (size_t k = 0; k < reg->width; k++)
		if (arena_add(&in.a, oa_csv_field(r, k), oa_csv_field_len(r, k)) < 0)
			goto nomem;
	/* A plain header on line 1, with commas: the rows may take the fast path. */
	if ((opt.delim == 0 || opt.delim == ',') && oa_csv_line(r) == 1) {
		long hl = header_plain(reg, opt.max_field);
		if (hl < 0)
			goto nomem;
		if (hl > 0 && (fast = fast_rows(reg, &in, reg->head_off + (size_t)hl, 2,
		                                opt.max_field)) < 0)
			goto nomem;
	}
	bool owned = fast && reg->nrows > 0; /* the last record kept has its own length */
	while (!fast && (rc = oa_csv_read(r, err)) > 0) {
		size_t off = (size_t)oa_csv_offset(r);
		size_t tk = (size_t)reg->idx[OA_REG_TAG];

		if (!owned) {
			if (reg->nrows == 0)
				reg->head_own = off - reg->head_off;
			else
				reg->rows[reg->nrows - 1].own = off - reg->rows[reg->nrows - 1].off;
			owned = true;
		}
		if (oa_csv_nfields(r) != reg->width ||
		    blank_cell(oa_csv_field(r, tk), oa_csv_field_len(r, tk)) ||
		    maybe_total(oa_csv_field(r, tk), oa_csv_field_len(r, tk))) {
			int odd = odd_row(reg, r, in.a.p, err);
			if (odd < 0) {
				rc = -1;
				goto out;
			}
			if (odd > 0)
				continue; /* its bytes stay with the record before it */
		}
		owned = false;
		const char *f[reg->width];
		size_t flen[reg->width];
		for (size_t k = 0; k < reg->width; k++) {
			f[k] = oa_csv_field(r, k);
			flen[k] = oa_csv_field_len(r, k);
		}
		int added = add_row(reg, &in, off, oa_csv_line(r), f, flen);
		if (added == -2) {
			rc = oa_error_set(err, reg->path, oa_csv_line(r), "a row longer than 4 GiB");
			goto out;
		}
		if (added < 0)
			goto nomem;
	}
	if (rc < 0)
		goto out;
	if (fast && reg->nrows > 0)
		reg->head_own = reg->rows[0].off - reg->head_off;
	if (reg->nrows == 0)
		reg->head_len = reg->len - reg->head_off;
	else
		reg->rows[reg->nrows - 1].len = reg->len - reg->rows[reg->nrows - 1].off;
	if (!owned) {
		if (reg->nrows == 0)
			reg->head_own = reg->head_len;
		else
			reg->rows[reg->nrows - 1].own = reg->rows[reg->nrows - 1].len;
	}
	reg->head = in.a.p;
	in.a.p = NULL;
	if (reg->head == NULL && (reg->head = calloc(1, 1)) == NULL)
		goto nomem;
	rc = index_tags(reg, err);
	goto out;
nomem:
	rc = oa_error_set(err, reg->path, 0, "out of memory");
out:
	free(in.a.p);
	oa_csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

int
oa_register_load(oa_register *reg, const char *path, const oa_csv_options *opt, oa_error *err)
{
	oa_csv_options defaults;
	char *raw = NULL;
	size_t len = 0, bad;

	memset(reg, 0, sizeof *reg);
	if (opt == NULL) {
		oa_csv_options_init(&defaults);
		opt = &defaults;
	}
	if (path == NULL || strcmp(path, "-") == 0)
		return oa_error_set(err, NULL, 0, "the register must be a file (it is rewritten)");
	reg->path = strdup(path);
	if (reg->path == NULL)
		return oa_error_set(err, path, 0, "out of memory");
	if (read_all(path, &raw, &len, err) < 0)
		return -1;
	oa_csv_style_init(&reg->style);
	reg->style.encoding = OA_ENC_UTF8;
	if (opt->encoding == OA_ENC_GB18030 ||
	    (opt->encoding == OA_ENC_AUTO && oa_utf8_valid(raw, len, &bad) != 0)) {
		iconv_t cd = iconv_open("UTF-8", "GB18030");
		size_t ulen = 0;
		char *u = cd == (iconv_t)-1 ? NULL : convert(cd, raw, len, &ulen);

		if (cd != (iconv_t)-1)
			iconv_close(cd);
		free(raw);
		if (u == NULL)
			return oa_error_set(err, path, 0, "neither UTF-8 nor GB18030");
		char *z = realloc(u, ulen + 1);
		if (z == NULL) {
			free(u);
			return oa_error_set(err, path, 0, "out of memory");
		}
		z[ulen] = '\0';
		raw = z;
		len = ulen;
		reg->style.encoding = OA_ENC_GB18030;
	}
	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		reg->style.bom = true;
		memmove(raw, raw + 3, len - 3 + 1);
		len -= 3;
	}
	reg->text = raw;
	reg->len = len;
	{
		const char *nl = memchr(raw, '\n', len);
		reg->style.crlf = nl != NULL && nl > raw && nl[-1] == '\r';
	}
	return parse(reg, opt, err);
}

void
oa_register_release(oa_register *reg)
{
	for (size_t r = 0; r < reg->nrows; r++) {
		if (reg->rows[r].set == NULL)
			continue;
		for (size_t k = 0; k < reg->width + reg->added; k++)
			free(reg->rows[r].set[k]);
		free(reg->rows[r].set);
	}
	free(reg->rows);
	free(reg->total_lines);
	free(reg->total_words);
	free(reg->slots);
	free(reg->slot_hash);
	free(reg->cell_off);
	free(reg->head);
	free(reg->text);
	free(reg->path);
	memset(reg, 0, sizeof *reg);
}

long
oa_register_find(const oa_register *reg, const char *tag, size_t len)
{
	char norm[OA_TAG_MAX];
	size_t nlen = oa_tag_canonical(tag, len, norm, sizeof norm);

	if (nlen == 0)
		return -1;
	return find_norm(reg, norm, nlen);
}

static bool
registered(void *ctx, const char *s, size_t len)
{
	return oa_register_find(ctx, s, len) >= 0;
}

void
oa_register_suggest(const oa_register *reg, const char *tag, size_t len, char *hint,
                    size_t cap)
{
	char near[4][OA_TAG_MAX];
	size_t n, used;

	hint[0] = '\0';
	if (len == 0 || oa_tag_valid(tag, len))
		return;
	/* A register of tags without check characters (an older system's
	 * ZC0001) says nothing about this one's. */
	n = 0;
	for (size_t r = 0; r < reg->nrows; r++) {
		const char *t = oa_register_get(reg, r, OA_REG_TAG);
		n += oa_tag_valid(t, strlen(t));
	}
	if (n * 2 < reg->nrows || reg->nrows == 0)
		return;
	n = oa_tag_neighbours(tag, len, registered, (void *)reg, near, 4);
	if (n == 0) {
		snprintf(hint, cap, "; its check character is wrong, and no registered tag is one "
		         "edit away");
		return;
	}
	used = (size_t)snprintf(hint, cap, n == 1 ? "; its check character is wrong: did you "
	                        "mean" : "; its check character is wrong, and %zu registered "
	                        "tags are one edit away:", n);
	for (size_t k = 0; k < n && k < 4 && used < cap; k++) {
		long row = oa_register_find(reg, near[k], strlen(near[k]));
		const char *t = row >= 0 ? oa_register_get(reg, (size_t)row, OA_REG_TAG) : near[k];
		used += (size_t)snprintf(hint + used, cap - used, "%s \"%s\"", k ? "," : "", t);
	}
	if (n == 1 && used < cap)
		snprintf(hint + used, cap - used, "?");
	else if (n > 4 && used < cap)
		snprintf(hint + used, cap - used, ", ...");
}

long
oa_register_line(const oa_register *reg, size_t row)
{
	return reg->rows[row].line;
}

const char *
oa_register_get(const oa_register *reg, size_t row, int col)
{
	const oa_register_row *rw = &reg->rows[row];
	int k = reg->idx[col];

	if (k < 0)
		return "";
	if (rw->set != NULL && rw->set[k] != NULL)
		return rw->set[k];
	if ((size_t)k >= reg->width)
		return "";
	return cell_at(reg, rw, (size_t)k);
}

oa_asset_status
oa_register_status(const oa_register *reg, size_t row)
{
	const oa_register_row *rw = &reg->rows[row];
	int k = reg->idx[OA_REG_STATUS];

	if (k < 0)
		return OA_AST_NONE;
	if (rw->set != NULL && rw->set[k] != NULL)
		return oa_asset_status_read(rw->set[k], strlen(rw->set[k]));
	return (oa_asset_status)rw->status;
}

/* Makes room for one more column in every changed row. */
static int
add_column(oa_register *reg, int col)
{
	size_t n = reg->width + reg->added;

	for (size_t r = 0; r < reg->nrows; r++) {
		char **set = reg->rows[r].set;
		if (set == NULL)
			continue;
		set = realloc(set, (n + 1) * sizeof *set);
		if (set == NULL)
			return -1;
		set[n] = NULL;
		reg->rows[r].set = set;
	}
	reg->idx[col] = (int)n;
	reg->added++;
	return 0;
}

int
oa_register_set(oa_register *reg, size_t row, int col, const char *value, oa_error *err)
{
	oa_register_row *rw = &reg->rows[row];
	size_t n;
	char *v;

	if (reg->idx[col] < 0 && add_column(reg, col) < 0)
		return oa_error_set(err, reg->path, 0, "out of memory");
	n = reg->width + reg->added;
	if (rw->set == NULL && (rw->set = calloc(n, sizeof *rw->set)) == NULL)
		return oa_error_set(err, reg->path, 0, "out of memory");
	if ((v = strdup(value)) == NULL)
		return oa_error_set(err, reg->path, 0, "out of memory");
	free(rw->set[reg->idx[col]]);
	rw->set[reg->idx[col]] = v;
	reg->changed = true;
	return 0;
}

static bool
has_high(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* Whether the register's header is written in Chinese (any cell not ASCII). */
static bool
header_zh(const oa_register *reg)
{
	const char *p = reg->head;

	for (size_t k = 0; k < reg->width; k++, p += strlen(p) + 1)
		if (has_high(p))
			return true;
	return false;
}

int
oa_register_set_status(oa_register *reg, size_t row, oa_asset_status s, oa_error *err)
{
	const char *old = oa_register_get(reg, row, OA_REG_STATUS);
	bool zh = has_high(old);

	if (old[0] == '\0') {
		/* An empty cell: the vocabulary of the first status in the register,
		 * else (no status yet) the header's language. */
		zh = header_zh(reg);
		for (size_t r = 0; r < reg->nrows; r++) {
			const char *o = oa_register_get(reg, r, OA_REG_STATUS);
			if (o[0] != '\0') {
				zh = has_high(o);
				break;
			}
		}
	}
	return oa_register_set(reg, row, OA_REG_STATUS, zh ? status_zh[s] : status_en[s], err);
}

/* ---- writing ---- */

/* Ends the held record with the file's line end and appends it to OUT. */
static void
put_held(const oa_register *reg, oa_csv_writer *w, FILE *out)
{
	size_t len;
	const char *p = oa_csv_writer_take(w, &len);

	if (len > 0 && p[len - 1] == '\n')
		len--;
	fwrite(p, 1, len, out);
	fputs(reg->style.crlf ? "\r\n" : "\n", out);
}

static const char *const canonical[OA_REG_NCOLS] = {
	"tag", "name", "category", "class", "value", "acquired", "life", "department",
	"custodian", "location", "status", "last_audit", "note",
};
/* The same, for a register whose header is in Chinese. */
static const char *const canonical_zh[OA_REG_NCOLS] = {
	"资产编号", "资产名称", "资产类别", "资产类型", "原值", "购置日期", "使用年限", "使用部门",
	"责任人", "存放地点", "状态", "上次盘点", "备注",
};


static int
write_utf8(const oa_register *reg, FILE *out)
{
	oa_csv_writer *w = oa_csv_writer_new_held(false);
	size_t n = reg->width + reg->added;
	bool all = reg->added > 0;

	if (w == NULL)
		return -1;
	/* Whatever precedes the header (blank lines) stays. */
	fwrite(reg->text, 1, reg->head_off, out);
	if (!all) {
		fwrite(reg->text + reg->head_off, 1, reg->head_len, out);
	} else {
		const char *p = reg->head;
		for (size_t k = 0; k < reg->width; k++, p += strlen(p) + 1)
			oa_csv_write_str(w, p);
		for (size_t k = reg->width; k < n; k++)
			for (int c = 0; c < OA_REG_NCOLS; c++)
				if (reg->idx[c] == (int)k)
					oa_csv_write_str(w, (header_zh(reg) ? canonical_zh : canonical)[c]);
		oa_csv_end_record(w);
		put_held(reg, w, out);
		/* Rows skipped on reading (blank, 合计) stay where they were. */
		fwrite(reg->text + reg->head_off + reg->head_own, 1, reg->head_len - reg->head_own,
		       out);
	}
	for (size_t r = 0; r < reg->nrows; r++) {
		const oa_register_row *rw = &reg->rows[r];
		if (rw->set == NULL && !all) {
			fwrite(reg->text + rw->off, 1, rw->len, out);
			continue;
		}
		const char *p = reg->head + rw->cells;
		for (size_t k = 0; k < n; k++) {
			const char *v = k < reg->width ? p : "";
			if (rw->set != NULL && rw->set[k] != NULL)
				v = rw->set[k];
			oa_csv_write_str(w, v);
			if (k < reg->width)
				p += strlen(p) + 1;
		}
		oa_csv_end_record(w);
		put_held(reg, w, out);
		fwrite(reg->text + rw->off + rw->own, 1, rw->len - rw->own, out);
	}
	oa_csv_writer_free(w);
	return 0;
}

int
oa_register_write(const oa_register *reg, FILE *fp, const char *name, oa_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc = 0;

	if (mem == NULL)
		return oa_error_sys(err, name, "cannot allocate");
	if (reg->style.bom)
		fputs("\xEF\xBB\xBF", mem);
	if (write_utf8(reg, mem) < 0 || fflush(mem) == EOF || ferror(mem)) {
		fclose(mem);
		free(buf);
		return oa_error_set(err, name, 0, "out of memory");
	}
	fclose(mem);
	if (reg->style.encoding == OA_ENC_GB18030) {
		char *g;
		size_t glen;
		int e = oa_text_encode(OA_ENC_GB18030, buf, len, &g, &glen, err);
		free(buf);
		if (e < 0)
			return -1;
		buf = g;
		len = glen;
	}
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		rc = oa_error_sys(err, name, "cannot write");
	free(buf);
	return rc;
}
