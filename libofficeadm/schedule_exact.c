/*
 * schedule_exact.c - the exact integer program of meeting placement and
 * its solution with GLPK (see schedule_exact.h for the model).
 *
 * Organisation: the static commitments (busy time and fixed meetings) per
 * person and per room; the columns (start times, rooms, left out, absent
 * optional attendees); the rows; the values of the schedule given as a
 * solution of the model, checked against oa_schedule_objective; the solve
 * (GLPK's simplex for the root, then its branch and cut, with a callback
 * that hands it the schedule given, follows the bound and stops as soon as
 * the bound, rounded up since F is an integer, meets the best schedule);
 * then the solver's schedule put back into the oa_schedule with reasons.
 *
 * GLPK prints and aborts on internal errors: its terminal output is turned
 * off and its error hook jumps back here, so the library stays silent and
 * returns an error instead.
 */
#include "schedule_exact.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_MAX_COLUMNS 400000
#define DEFAULT_MAX_NONZEROS 4000000

void
oa_sched_prove_options_init(oa_sched_prove_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->seconds = 60;
	opt->replace = true;
}

double
oa_sched_gap(long long f, long long bound)
{
	if (f <= 0 || bound >= f)
		return 0.0;
	return 100.0 * (double)(f - bound) / (double)f;
}

/* ---- intervals ---- */

typedef struct span {
	oa_minute s, e;
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

static int
spans_add(spans *l, oa_minute s, oa_minute e)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		span *p = realloc(l->v, nc * sizeof *p);
		if (p == NULL)
			return -1;
		l->v = p;
		l->cap = nc;
	}
	l->v[l->n++] = (span){ s, e };
	return 0;
}

/* Does [s, e) come within B minutes of an interval of L? */
static bool
spans_hit(const spans *l, oa_minute s, oa_minute e, int b)
{
	for (size_t i = 0; i < l->n; i++)
		if (s < l->v[i].e + b && l->v[i].s < e + b)
			return true;
	return false;
}

/* ---- the model ---- */

typedef struct ycol {
	int r;
	oa_minute t;
	size_t x0, nx;    /* its x columns: xs[x0 .. x0 + nx) */
	long long cost;
} ycol;

typedef struct xcol {
	size_t y;         /* index in ys */
	int room;
	long long cost;
} xcol;

/*
 * a[r,o] (optional attendees counted present at every meeting they are
 * free for), or z[r,o,t] = o attends r placed at t (counted present at one
 * meeting at a time): then y is the y column, and the cost is -O.
 */
typedef struct acol {
	int r, o;
	size_t y;         /* z only */
	long long cost;
} acol;

typedef struct model {
	oa_schedule *s;
	const oa_sched_prove_options *opt;
	spans *pst;       /* per person: busy time and fixed meetings */
	spans *rst;       /* per room: fixed meetings */
	ycol *ys;
	size_t ny, capy;
	xcol *xs;
	size_t nx, capx;
	size_t *y0;       /* per request: ys[y0[r] .. y0[r + 1]) */
	size_t *ucol;     /* per request: column of u[r] (0 for fixed requests) */
	size_t nfree;     /* requests that are not fixed: one u column each */
	acol *as;
	size_t na, capa;
	/* Rows and coefficients, 1-based for glp_load_matrix. */
	int *ia, *ja;
	double *ar;
	size_t nnz, capnz;
	int *rtype;
	double *rhs;
	size_t nrows, caprows;
	size_t ncols;
	bool too_large;
	bool exclusive;   /* presence at one meeting at a time (z columns) */
	/* Values of the schedule given, 1-based per column. */
	double *given;
	oa_error *err;
} model;

/* Column numbers: y first, then x, then u, then a. */
#define YCOL(m, i) ((int)(i) + 1)
#define XCOL(m, i) ((int)((m)->ny + (i)) + 1)
#define ACOL(m, i) ((int)((m)->ny + (m)->nx + (m)->nfree + (i)) + 1)

static int
nomem(model *m)
{
	return oa_error_sys(m->err, NULL, "out of memory");
}

static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t nc;
	void *p;

	if (n <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	while (nc < n)
		nc *= 2;
	if ((p = realloc(*arr, nc * size)) == NULL)
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

static bool
in_list(const int *a, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}

static bool
is_free_request(const oa_schedule *s, size_t r)
{
	return !s->req[r].fixed;
}

/* The static commitments: busy time, and fixed meetings as placed. */
static int
build_static(model *m)
{
	oa_schedule *s = m->s;

	m->pst = calloc(s->npeople + 1, sizeof *m->pst);
	m->rst = calloc(s->nrooms + 1, sizeof *m->rst);
	if (m->pst == NULL || m->rst == NULL)
		return nomem(m);
	for (size_t i = 0; i < s->nbusy; i++)
		if (spans_add(&m->pst[s->busy[i].person], s->busy[i].start, s->busy[i].end) < 0)
			return nomem(m);
	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		oa_minute e = q->start + q->duration;
		if (!q->fixed || !q->placed)
			continue;
		if (spans_add(&m->rst[q->placed_room], q->start, e) < 0)
			return nomem(m);
		for (size_t i = 0; i < q->nrequired; i++)
			if (spans_add(&m->pst[q->required[i]], q->start, e) < 0)
				return nomem(m);
		for (size_t i = 0; i < q->noptional; i++)
			if (spans_add(&m->pst[q->optional[i]], q->start, e) < 0)
				return nomem(m);
	}
	return 0;
}

/* Rank of ROOM among the rooms that hold Q's seats: how many are smaller. */
static int
room_rank(const oa_schedule *s, const oa_sched_request *q, int room)
{
	int rank = 0;

	for (size_t i = 0; i < s->nrooms; i++)
		rank += s->rooms[i].capacity >= q->seats &&
		        s->rooms[i].capacity < s->rooms[room].capacity;
	return rank;
}

/*
 * M * moved(R) of schedule.h, linear in the columns: moved(R) = 1 - x at
 * the previous start and room = the other x columns of R plus its unplaced
 * column, as exactly one of them is 1.  So every x column but the previous
 * place costs M more, and so does leaving R out.
 */
static long long
move_coef(const oa_sched_request *q, oa_minute t, int room, long move)
{
	if (!q->has_prev || q->fixed)
		return 0;
	return t == q->prev_start && room == q->prev_room ? 0 : move;
}

/* The coefficient of R's unplaced column: its penalty and its move cost. */
static long long
unplaced_coef(const oa_schedule *s, size_t r)
{
	const oa_sched_request *q = &s->req[r];

	return (s->w.unplaced << (5 - q->priority)) + move_coef(q, 0, -1, s->w.move);
}

/*
 * The y and x columns of request R: every grid start in its window (k
 * counted as in schedule.h) that no static commitment of a required
 * attendee rules out, and every room that fits and is free of fixed
 * meetings then.
 */
static int
build_starts(model *m, size_t r)
{
	oa_schedule *s = m->s;
	const oa_sched_request *q = &s->req[r];
	oa_date d0 = (oa_date)(q->earliest / OA_MINUTES_PER_DAY);
	long k = 0;

	for (oa_date d = d0; (oa_minute)d * OA_MINUTES_PER_DAY < q->latest; d++) {
		if (!oa_calendar_is_workday(&s->cal, d))
			continue;
		for (size_t p = 0; p < s->cal.nhours; p++) {
			const oa_period *per = &s->cal.hours[p];
			for (int mm = per->start; mm < per->end; mm += s->grain, k++) {
				oa_minute t = (oa_minute)d * OA_MINUTES_PER_DAY + mm;
				oa_minute e = t + q->duration;
				long long cost;
				size_t nx = 0;
				bool ok = true;

				if (!oa_schedule_fits_hours(s, q, mm, p) || t < q->earliest || e > q->latest)
					continue;
				for (size_t i = 0; i < q->nrequired && ok; i++)
					ok = !spans_hit(&m->pst[q->required[i]], t, e, s->buffer);
				if (!ok)
					continue;
				if (m->ny + m->nx + s->nrooms > m->opt->max_columns) {
					m->too_large = true;
					return 0;
				}
				cost = (long long)s->w.late * (6 - q->priority) * k;
				for (size_t i = 0; i < q->noptional; i++)
					if (spans_hit(&m->pst[q->optional[i]], t, e, s->buffer))
						cost += s->w.optional;
				for (size_t room = 0; room < s->nrooms; room++) {
					if (s->rooms[room].capacity < q->seats ||
					    (q->room >= 0 && (int)room != q->room) ||
					    spans_hit(&m->rst[room], t, e, 0))
						continue;
					if (grow((void **)&m->xs, &m->capx, m->nx + 1, sizeof *m->xs) < 0)
						return nomem(m);
					m->xs[m->nx++] = (xcol){ m->ny, (int)room,
						                 (long long)s->w.room * room_rank(s, q, (int)room) +
						                 move_coef(q, t, (int)room, s->w.move) };
					nx++;
				}
				if (nx == 0)
					continue;
				if (grow((void **)&m->ys, &m->capy, m->ny + 1, sizeof *m->ys) < 0)
					return nomem(m);
				m->ys[m->ny++] = (ycol){ (int)r, t, m->nx - nx, nx, cost };
			}
		}
	}
	return 0;
}

static int
add_row(model *m, int type, double rhs)
{
	if (grow((void **)&m->rtype, &m->caprows, m->nrows + 1, sizeof *m->rtype) < 0)
		return nomem(m);
	m->rhs = realloc(m->rhs, m->caprows * sizeof *m->rhs);
	if (m->rhs == NULL)
		return nomem(m);
	m->rtype[m->nrows] = type;
	m->rhs[m->nrows] = rhs;
	m->nrows++;
	return 0;
}

/* Adds COEF * column COL to the last row. */
static int
add_coef(model *m, int col, double coef)
{
	if (m->nnz + 2 > m->opt->max_nonzeros) {
		m->too_large = true;
		return 0;
	}
	if (grow((void **)&m->ia, &m->capnz, m->nnz + 2, sizeof *m->ia) < 0)
		return nomem(m);
	m->ja = realloc(m->ja, m->capnz * sizeof *m->ja);
	m->ar = realloc(m->ar, m->capnz * sizeof *m->ar);
	if (m->ja == NULL || m->ar == NULL)
		return nomem(m);
	m->nnz++;
	m->ia[m->nnz] = (int)m->nrows;
	m->ja[m->nnz] = col;
	m->ar[m->nnz] = coef;
	return 0;
}

static int
cmp_ll(const void *a, const void *b)
{
	oa_minute x = *(const oa_minute *)a, y = *(const oa_minute *)b;

	return (x > y) - (x < y);
}

/* Sorted distinct start times of the y columns in LIST (n indexes). */
static size_t
points(const model *m, const size_t *list, size_t n, oa_minute *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		out[i] = m->ys[list[i]].t;
	if (n == 0)
		return 0;
	qsort(out, n, sizeof *out, cmp_ll);
	for (size_t i = 1; i < n; i++)
		if (out[i] != out[k])
			out[++k] = out[i];
	return k + 1;
}

/* Does y column I, widened at its end by B, hold TAU? */
static bool
holds(const model *m, size_t i, oa_minute tau, int b)
{
	const ycol *y = &m->ys[i];

	return y->t <= tau && tau < y->t + m->s->req[y->r].duration + b;
}

/*
 * "At most one at a time": for the y columns of LIST (all meetings of one
 * person), one row per start time holding columns of two requests or more.
 */
static int
clique_rows(model *m, const size_t *list, size_t n, int b, oa_minute *pts)
{
	size_t np = points(m, list, n, pts);

	for (size_t p = 0; p < np && !m->too_large; p++) {
		int r0 = -1;
		bool two = false;
		for (size_t i = 0; i < n && !two; i++)
			if (holds(m, list[i], pts[p], b)) {
				if (r0 >= 0 && m->ys[list[i]].r != r0)
					two = true;
				r0 = m->ys[list[i]].r;
			}
		if (!two)
			continue;
		if (add_row(m, GLP_UP, 1.0) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (holds(m, list[i], pts[p], b) && add_coef(m, YCOL(m, list[i]), 1.0) < 0)
				return -1;
	}
	return 0;
}

/* The same for the x columns of one room (no buffer between meetings in a room). */
static int
room_rows(model *m, int room, size_t *list, oa_minute *pts)
{
	size_t n = 0, np;

	for (size_t i = 0; i < m->nx; i++)
		if (m->xs[i].room == room)
			list[n++] = i;
	for (size_t i = 0; i < n; i++)
		pts[i] = m->ys[m->xs[list[i]].y].t;
	if (n == 0)
		return 0;
	qsort(pts, n, sizeof *pts, cmp_ll);
	np = 0;
	for (size_t i = 1; i < n; i++)
		if (pts[i] != pts[np])
			pts[++np] = pts[i];
	np++;
	for (size_t p = 0; p < np && !m->too_large; p++) {
		int r0 = -1;
		bool two = false;
		for (size_t i = 0; i < n && !two; i++)
			if (holds(m, m->xs[list[i]].y, pts[p], 0)) {
				if (r0 >= 0 && m->ys[m->xs[list[i]].y].r != r0)
					two = true;
				r0 = m->ys[m->xs[list[i]].y].r;
			}
		if (!two)
			continue;
		if (add_row(m, GLP_UP, 1.0) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (holds(m, m->xs[list[i]].y, pts[p], 0) &&
			    add_coef(m, XCOL(m, list[i]), 1.0) < 0)
				return -1;
	}
	return 0;
}

/* y columns of the free requests where person P is required, into LIST. */
static size_t
person_starts(const model *m, int p, int except, size_t *list)
{
	const oa_schedule *s = m->s;
	size_t n = 0;

	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		if (!is_free_request(s, r) || (int)r == except ||
		    !in_list(q->required, q->nrequired, p))
			continue;
		for (size_t i = m->y0[r]; i < m->y0[r + 1]; i++)
			list[n++] = i;
	}
	return n;
}

/*
 * a[r,o]: for each start time tau of r (where o is not statically busy) or
 * of a meeting o is required at, a - (r holds tau) - (o's meeting holds tau)
 * >= -1, when both sums have a column.
 */
static int
absent_rows(model *m, size_t ai, size_t *mine, size_t *theirs, oa_minute *pts)
{
	const oa_schedule *s = m->s;
	const acol *a = &m->as[ai];
	const oa_sched_request *q = &s->req[a->r];
	int b = s->buffer;
	size_t nm = 0, nt, np;

	for (size_t i = m->y0[a->r]; i < m->y0[a->r + 1]; i++)
		if (!spans_hit(&m->pst[a->o], m->ys[i].t, m->ys[i].t + q->duration, b))
			mine[nm++] = i;
	nt = person_starts(m, a->o, a->r, theirs);
	if (nm == 0 || nt == 0)
		return 0;
	/* Points: the start times of both lists. */
	for (size_t i = 0; i < nm; i++)
		pts[i] = m->ys[mine[i]].t;
	for (size_t i = 0; i < nt; i++)
		pts[nm + i] = m->ys[theirs[i]].t;
	qsort(pts, nm + nt, sizeof *pts, cmp_ll);
	np = 0;
	for (size_t i = 1; i < nm + nt; i++)
		if (pts[i] != pts[np])
			pts[++np] = pts[i];
	np++;
	for (size_t p = 0; p < np && !m->too_large; p++) {
		bool hm = false, ht = false;
		for (size_t i = 0; i < nm && !hm; i++)
			hm = holds(m, mine[i], pts[p], b);
		for (size_t i = 0; i < nt && !ht; i++)
			ht = holds(m, theirs[i], pts[p], b);
		if (!hm || !ht)
			continue;
		if (add_row(m, GLP_LO, -1.0) < 0 || add_coef(m, ACOL(m, ai), 1.0) < 0)
			return -1;
		for (size_t i = 0; i < nm; i++)
			if (holds(m, mine[i], pts[p], b) && add_coef(m, YCOL(m, mine[i]), -1.0) < 0)
				return -1;
		for (size_t i = 0; i < nt; i++)
			if (holds(m, theirs[i], pts[p], b) && add_coef(m, YCOL(m, theirs[i]), -1.0) < 0)
				return -1;
	}
	return 0;
}

/*
 * z[r,o,t]: optional attendee O of R attends R placed at T (o neither busy
 * nor in a fixed meeting then).  R's start costs O for every optional
 * attendee, each z gives it back: absent = placed - present.
 */
static int
build_presence(model *m)
{
	oa_schedule *s = m->s;

	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		if (!is_free_request(s, r))
			continue;
		for (size_t i = m->y0[r]; i < m->y0[r + 1]; i++)
			for (size_t j = 0; j < q->noptional; j++) {
				int o = q->optional[j];
				if (spans_hit(&m->pst[o], m->ys[i].t, m->ys[i].t + q->duration, s->buffer))
					continue;
				if (m->ny + m->nx + m->na + 1 > m->opt->max_columns) {
					m->too_large = true;
					return 0;
				}
				if (grow((void **)&m->as, &m->capa, m->na + 1, sizeof *m->as) < 0)
					return nomem(m);
				m->as[m->na++] = (acol){ (int)r, o, i, -(long long)s->w.optional };
				m->ys[i].cost += s->w.optional;
			}
	}
	return 0;
}

/* Do the meetings of y columns I and J, widened at their ends by B, overlap? */
static bool
clash(const model *m, size_t i, size_t j, int b)
{
	const ycol *x = &m->ys[i], *y = &m->ys[j];

	return x->t < y->t + m->s->req[y->r].duration + b &&
	       y->t < x->t + m->s->req[x->r].duration + b;
}

/* Does z column A (at y column ya) come before z column B for their attendee? */
static bool
comes_first(const model *m, const acol *a, const acol *b)
{
	const oa_sched_request *x = &m->s->req[a->r], *y = &m->s->req[b->r];
	oa_minute at = m->ys[a->y].t, bt = m->ys[b->y].t;

	if (x->priority != y->priority)
		return x->priority < y->priority;
	if (at != bt)
		return at < bt;
	return a->r < b->r;
}

/*
 * The rows of presence (schedule.h: the meetings where O is optional are
 * taken by priority, start and input order, and O attends each that meets
 * none O is required at or already attends):
 *   z <= y;
 *   z + (a meeting O is required at, holding tau) <= 1 for the taus of z;
 *   at most one z of O holds any tau (widened by the buffer);
 *   y - z - (O's required meetings meeting it) - (z of O that come first and
 *   meet it) <= 0: O, free, stays away only for one that comes first.
 * Given the y, these leave exactly the attendance of schedule.h.
 */
static int
presence_rows(model *m, size_t *req, size_t *zs, oa_minute *pts)
{
	oa_schedule *s = m->s;
	int b = s->buffer;

	for (size_t o = 0; o < s->npeople && !m->too_large; o++) {
		size_t nz = 0, nr, np;

		for (size_t i = 0; i < m->na; i++)
			if (m->as[i].o == (int)o)
				zs[nz++] = i;
		if (nz == 0)
			continue;
		nr = person_starts(m, (int)o, -1, req);
		for (size_t k = 0; k < nz && !m->too_large; k++) {
			const acol *a = &m->as[zs[k]];
			size_t yi = a->y;
			oa_minute t = m->ys[yi].t, e = t + s->req[a->r].duration;

			if (add_row(m, GLP_UP, 0.0) < 0 || add_coef(m, ACOL(m, zs[k]), 1.0) < 0 ||
			    add_coef(m, YCOL(m, yi), -1.0) < 0)
				return -1;
			/* Required elsewhere at a point of z. */
			np = 0;
			pts[np++] = t;
			for (size_t j = 0; j < nr; j++)
				if (m->ys[req[j]].t > t && m->ys[req[j]].t < e + b)
					pts[np++] = m->ys[req[j]].t;
			for (size_t p = 0; p < np; p++) {
				bool any = false, dup = false;
				for (size_t q = 0; q < p && !dup; q++)
					dup = pts[q] == pts[p];
				for (size_t j = 0; j < nr && !any && !dup; j++)
					any = holds(m, req[j], pts[p], b);
				if (!any)
					continue;
				if (add_row(m, GLP_UP, 1.0) < 0 || add_coef(m, ACOL(m, zs[k]), 1.0) < 0)
					return -1;
				for (size_t j = 0; j < nr; j++)
					if (holds(m, req[j], pts[p], b) && add_coef(m, YCOL(m, req[j]), 1.0) < 0)
						return -1;
			}
			/* Stays away only for a reason. */
			if (add_row(m, GLP_UP, 0.0) < 0 || add_coef(m, YCOL(m, yi), 1.0) < 0 ||
			    add_coef(m, ACOL(m, zs[k]), -1.0) < 0)
				return -1;
			for (size_t j = 0; j < nr; j++)
				if (clash(m, yi, req[j], b) && add_coef(m, YCOL(m, req[j]), -1.0) < 0)
					return -1;
			for (size_t j = 0; j < nz; j++) {
				const acol *c = &m->as[zs[j]];
				if (c->r != a->r && clash(m, yi, c->y, b) && comes_first(m, c, a) &&
				    add_coef(m, ACOL(m, zs[j]), -1.0) < 0)
					return -1;
			}
		}
		/* One meeting at a time: cliques at the start times of O's z. */
		np = 0;
		for (size_t k = 0; k < nz; k++)
			pts[np++] = m->ys[m->as[zs[k]].y].t;
		qsort(pts, np, sizeof *pts, cmp_ll);
		for (size_t p = 0; p < np && !m->too_large; p++) {
			int r0 = -1;
			bool two = false;
			if (p > 0 && pts[p] == pts[p - 1])
				continue;
			for (size_t k = 0; k < nz && !two; k++)
				if (holds(m, m->as[zs[k]].y, pts[p], b)) {
					if (r0 >= 0 && m->as[zs[k]].r != r0)
						two = true;
					r0 = m->as[zs[k]].r;
				}
			if (!two)
				continue;
			if (add_row(m, GLP_UP, 1.0) < 0)
				return -1;
			for (size_t k = 0; k < nz; k++)
				if (holds(m, m->as[zs[k]].y, pts[p], b) &&
				    add_coef(m, ACOL(m, zs[k]), 1.0) < 0)
					return -1;
		}
	}
	return 0;
}

/*
 * Does oa_schedule_objective count an optional attendee present at one of
 * two overlapping meetings only (1), or at both (0)?  The rule changed with
 * issue 14; asking the objective itself, on a schedule of two meetings,
 * keeps the model the same as the objective it is checked against.
 */
static int
exclusive_presence(oa_error *err)
{
	oa_schedule p;
	oa_sched_cost c;
	oa_date d;
	int rc = -1;

	oa_schedule_init(&p);
	oa_date_parse("2026-03-02", 10, &d);
	if (oa_schedule_person(&p, "a", err) < 0 || oa_schedule_person(&p, "b", err) < 0 ||
	    oa_schedule_person(&p, "c", err) < 0 || oa_schedule_add_room(&p, "1", 10, err) < 0 ||
	    oa_schedule_add_room(&p, "2", 10, err) < 0)
		goto out;
	if ((p.req = calloc(2, sizeof *p.req)) == NULL) {
		oa_error_sys(err, NULL, "out of memory");
		goto out;
	}
	p.cap_req = 2;
	for (int i = 0; i < 2; i++) {
		oa_sched_request *q = &p.req[p.nreq++];
		q->id = strdup(i ? "2" : "1");
		q->title = strdup("");
		q->required = malloc(sizeof *q->required);
		q->optional = malloc(sizeof *q->optional);
		if (!q->id || !q->title || !q->required || !q->optional) {
			oa_error_sys(err, NULL, "out of memory");
			goto out;
		}
		q->required[0] = i;
		q->optional[0] = 2;
		q->nrequired = q->noptional = 1;
		q->priority = 3;
		q->duration = 60;
		q->earliest = (oa_minute)d * OA_MINUTES_PER_DAY;
		q->latest = q->earliest + OA_MINUTES_PER_DAY;
		q->room = q->organizer = -1;
		q->seats = 2;
		q->placed = true;
		q->start = q->earliest + 10 * 60;
		q->placed_room = i;
	}
	oa_schedule_objective(&p, &c);
	rc = c.optional > 0;
out:
	oa_schedule_release(&p);
	return rc;
}

/* Builds every column and row; sets m->too_large instead when over the limits. */
static int
build(model *m)
{
	oa_schedule *s = m->s;
	size_t *list = NULL, *list2 = NULL, nscratch;
	oa_minute *pts = NULL;
	int rc = -1;

	if (build_static(m) < 0)
		return -1;
	if ((m->y0 = calloc(s->nreq + 1, sizeof *m->y0)) == NULL ||
	    (m->ucol = calloc(s->nreq + 1, sizeof *m->ucol)) == NULL)
		return nomem(m);
	for (size_t r = 0; r < s->nreq; r++) {
		m->y0[r] = m->ny;
		if (is_free_request(s, r) && build_starts(m, r) < 0)
			return -1;
		if (m->too_large)
			return 0;
	}
	m->y0[s->nreq] = m->ny;
	for (size_t r = 0; r < s->nreq; r++)
		if (is_free_request(s, r))
			m->ucol[r] = m->ny + m->nx + ++m->nfree;
	/* a[r,o] for optional attendees required at some other free request. */
	if (m->exclusive && s->w.optional > 0) {
		if (build_presence(m) < 0)
			return -1;
	} else if (s->w.optional > 0)
		for (size_t r = 0; r < s->nreq; r++) {
			const oa_sched_request *q = &s->req[r];
			if (!is_free_request(s, r) || m->y0[r] == m->y0[r + 1])
				continue;
			for (size_t i = 0; i < q->noptional; i++) {
				bool any = false;
				for (size_t o = 0; o < s->nreq && !any; o++)
					any = o != r && is_free_request(s, o) &&
					      in_list(s->req[o].required, s->req[o].nrequired, q->optional[i]);
				if (!any)
					continue;
				if (grow((void **)&m->as, &m->capa, m->na + 1, sizeof *m->as) < 0)
					return nomem(m);
				m->as[m->na++] = (acol){ (int)r, q->optional[i], 0, s->w.optional };
			}
		}
	m->ncols = m->ny + m->nx + m->nfree + m->na;
	if (m->ncols > m->opt->max_columns) {
		m->too_large = true;
		return 0;
	}
	nscratch = (m->nx > m->ny ? m->nx : m->ny) * 2 + m->na + 1;
	list = malloc(nscratch * sizeof *list);
	list2 = malloc(nscratch * sizeof *list2);
	pts = malloc(nscratch * sizeof *pts);
	if (list == NULL || list2 == NULL || pts == NULL) {
		nomem(m);
		goto out;
	}
	/* Each free request once: placed at one start, or left out. */
	for (size_t r = 0; r < s->nreq && !m->too_large; r++) {
		if (!is_free_request(s, r))
			continue;
		if (add_row(m, GLP_FX, 1.0) < 0 || add_coef(m, (int)m->ucol[r], 1.0) < 0)
			goto out;
		for (size_t i = m->y0[r]; i < m->y0[r + 1]; i++)
			if (add_coef(m, YCOL(m, i), 1.0) < 0)
				goto out;
	}
	/* A start has one room. */
	for (size_t i = 0; i < m->ny && !m->too_large; i++) {
		if (add_row(m, GLP_FX, 0.0) < 0 || add_coef(m, YCOL(m, i), -1.0) < 0)
			goto out;
		for (size_t j = m->ys[i].x0; j < m->ys[i].x0 + m->ys[i].nx; j++)
			if (add_coef(m, XCOL(m, j), 1.0) < 0)
				goto out;
	}
	/* One meeting at a time per person (with the buffer) and per room. */
	for (size_t p = 0; p < s->npeople && !m->too_large; p++) {
		size_t n = person_starts(m, (int)p, -1, list);
		if (clique_rows(m, list, n, s->buffer, pts) < 0)
			goto out;
	}
	for (size_t room = 0; room < s->nrooms && !m->too_large; room++)
		if (room_rows(m, (int)room, list, pts) < 0)
			goto out;
	if (m->exclusive) {
		if (presence_rows(m, list, list2, pts) < 0)
			goto out;
	} else {
		for (size_t i = 0; i < m->na && !m->too_large; i++)
			if (absent_rows(m, i, list, list2, pts) < 0)
				goto out;
	}
	rc = 0;
out:
	free(list);
	free(list2);
	free(pts);
	return rc;
}

/* ---- the schedule given, as a solution of the model ---- */

/*
 * Fills m->given with the schedule of S and checks it against the model:
 * every placement is a column, every row holds, and the model's objective
 * equals oa_schedule_objective.  Returns 1 when it does, 0 when not (DETAIL
 * says why), -1 on ENOMEM.
 */
static int
given_values(model *m, long long given, char *detail, size_t cap)
{
	oa_schedule *s = m->s;
	double *v, obj = 0;
	double *act;
	int *absent;
	long long mobj;

	if ((v = m->given = calloc(m->ncols + 1, sizeof *v)) == NULL)
		return nomem(m);
	for (size_t r = 0; r < s->nreq; r++) {
		const oa_sched_request *q = &s->req[r];
		size_t i, j;
		char when[32];

		if (!is_free_request(s, r))
			continue;
		if (!q->placed) {
			v[m->ucol[r]] = 1;
			continue;
		}
		for (i = m->y0[r]; i < m->y0[r + 1] && m->ys[i].t != q->start; i++)
			;
		j = i < m->y0[r + 1] ? m->ys[i].x0 : 0;
		while (i < m->y0[r + 1] && j < m->ys[i].x0 + m->ys[i].nx &&
		       m->xs[j].room != q->placed_room)
			j++;
		if (i == m->y0[r + 1] || j == m->ys[i].x0 + m->ys[i].nx) {
			oa_datetime_format(q->start, when);
			snprintf(detail, cap, "\"%s\" at %s in room \"%s\" is not a placement of the model",
			         q->id, when, s->rooms[q->placed_room].name);
			return 0;
		}
		v[YCOL(m, i)] = 1;
		v[XCOL(m, j)] = 1;
	}
	if ((absent = malloc((s->npeople + 1) * sizeof *absent)) == NULL)
		return nomem(m);
	for (size_t i = 0; i < m->na; i++) {
		const acol *a = &m->as[i];
		const oa_sched_request *q = &s->req[a->r];
		size_t na;
		bool out;
		if (!q->placed || spans_hit(&m->pst[a->o], q->start, q->start + q->duration, s->buffer))
			continue;
		na = oa_schedule_absent(s, (size_t)a->r, absent, s->npeople);
		out = in_list(absent, na < s->npeople ? na : s->npeople, a->o);
		if (m->exclusive)
			v[ACOL(m, i)] = !out && m->ys[a->y].t == q->start;
		else
			v[ACOL(m, i)] = out;
	}
	free(absent);
	/* The objective. */
	for (size_t i = 0; i < m->ny; i++)
		obj += v[YCOL(m, i)] * (double)m->ys[i].cost;
	for (size_t i = 0; i < m->nx; i++)
		obj += v[XCOL(m, i)] * (double)m->xs[i].cost;
	for (size_t r = 0; r < s->nreq; r++)
		if (is_free_request(s, r))
			obj += v[m->ucol[r]] * (double)unplaced_coef(s, r);
	for (size_t i = 0; i < m->na; i++)
		obj += v[ACOL(m, i)] * (double)m->as[i].cost;
	mobj = llround(obj);
	if (mobj != given) {
		snprintf(detail, cap, "the model gives the schedule objective %lld, not %lld", mobj,
		         given);
		return 0;
	}
	/* Every row. */
	if ((act = calloc(m->nrows + 1, sizeof *act)) == NULL)
		return nomem(m);
	for (size_t k = 1; k <= m->nnz; k++)
		act[m->ia[k]] += m->ar[k] * v[m->ja[k]];
	for (size_t i = 1; i <= m->nrows; i++) {
		int t = m->rtype[i - 1];
		double b = m->rhs[i - 1];
		if ((t == GLP_FX && fabs(act[i] - b) > 1e-9) || (t == GLP_UP && act[i] > b + 1e-9) ||
		    (t == GLP_LO && act[i] < b - 1e-9)) {
			snprintf(detail, cap, "the schedule breaks row %zu of the model", i);
			free(act);
			return 0;
		}
	}
	free(act);
	return 1;
}

/* ---- the solve ---- */

typedef struct search {
	model *m;
	double bound;        /* best lower bound seen */
	long long incumbent; /* F of the best solution the solver holds */
	bool handed;         /* the schedule given was offered */
} search;

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* F is an integer: a bound B proves F >= ceil(B). */
static long long
ceil_bound(double b)
{
	if (b <= 0)
		return 0;
	if (b >= (double)LLONG_MAX / 2)
		return LLONG_MAX / 2;
	return (long long)ceil(b - 1e-6 * (1.0 + fabs(b)));
}

static void
callback(glp_tree *tree, void *info)
{
	search *se = info;
	glp_prob *p = glp_ios_get_prob(tree);
	int node;

	switch (glp_ios_reason(tree)) {
	case GLP_IHEUR:
		if (!se->handed) {
			se->handed = true;
			glp_ios_heur_sol(tree, se->m->given);
		}
		break;
	case GLP_IBINGO:
		break;
	default:
		break;
	}
	if (glp_mip_status(p) == GLP_FEAS || glp_mip_status(p) == GLP_OPT) {
		long long inc = llround(glp_mip_obj_val(p));
		if (inc < se->incumbent)
			se->incumbent = inc;
	}
	if ((node = glp_ios_best_node(tree)) != 0) {
		double b = glp_ios_node_bound(tree, node);
		if (b > se->bound)
			se->bound = b;
	}
	if (ceil_bound(se->bound) >= se->incumbent)
		glp_ios_terminate(tree);
}

static void
error_hook(void *info)
{
	longjmp(*(jmp_buf *)info, 1);
}

/* The columns of the solver's solution into S (free requests only). */
static void
apply(model *m, glp_prob *lp)
{
	oa_schedule *s = m->s;

	for (size_t r = 0; r < s->nreq; r++)
		if (is_free_request(s, r))
			s->req[r].placed = false;
	for (size_t i = 0; i < m->ny; i++) {
		oa_sched_request *q = &s->req[m->ys[i].r];
		if (glp_mip_col_val(lp, YCOL(m, i)) < 0.5)
			continue;
		for (size_t j = m->ys[i].x0; j < m->ys[i].x0 + m->ys[i].nx; j++)
			if (glp_mip_col_val(lp, XCOL(m, j)) > 0.5) {
				q->placed = true;
				q->start = m->ys[i].t;
				q->placed_room = m->xs[j].room;
			}
	}
}

/*
 * Solves the model.  Returns 0 with OUT's best, bound and status filled and,
 * when the solver's schedule is better, S holding it; -1 on a solver error.
 */
static int
solve(model *m, oa_sched_proof *out, double t0)
{
	oa_schedule *s = m->s;
	glp_prob *volatile lp = NULL;
	glp_smcp smcp;
	glp_iocp iocp;
	jmp_buf env;
	search se = { m, 0.0, out->given, false };
	double left;
	int ret;
	volatile long long sol = LLONG_MAX;

	glp_term_out(GLP_OFF);
	if (setjmp(env) != 0) {
		/* GLPK's environment, the problem included, is gone. */
		glp_free_env();
		return oa_error_set(m->err, NULL, 0, "the integer programming solver (GLPK) failed");
	}
	glp_error_hook(error_hook, &env);
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_cols(lp, (int)m->ncols);
	for (size_t i = 0; i < m->ny; i++) {
		glp_set_col_kind(lp, YCOL(m, i), GLP_BV);
		glp_set_obj_coef(lp, YCOL(m, i), (double)m->ys[i].cost);
	}
	for (size_t i = 0; i < m->nx; i++) {
		glp_set_col_kind(lp, XCOL(m, i), GLP_BV);
		glp_set_obj_coef(lp, XCOL(m, i), (double)m->xs[i].cost);
	}
	for (size_t r = 0; r < s->nreq; r++)
		if (is_free_request(s, r)) {
			glp_set_col_bnds(lp, (int)m->ucol[r], GLP_DB, 0.0, 1.0);
			glp_set_obj_coef(lp, (int)m->ucol[r], (double)unplaced_coef(s, r));
		}
	for (size_t i = 0; i < m->na; i++) {
		glp_set_col_bnds(lp, ACOL(m, i), GLP_DB, 0.0, 1.0);
		glp_set_obj_coef(lp, ACOL(m, i), (double)m->as[i].cost);
	}
	if (m->nrows > 0) {
		glp_add_rows(lp, (int)m->nrows);
		for (size_t i = 0; i < m->nrows; i++)
			glp_set_row_bnds(lp, (int)i + 1, m->rtype[i], m->rhs[i], m->rhs[i]);
		glp_load_matrix(lp, (int)m->nnz, m->ia, m->ja, m->ar);
	}

	glp_init_smcp(&smcp);
	smcp.msg_lev = GLP_MSG_OFF;
	left = m->opt->seconds - (now() - t0);
	smcp.tm_lim = left > 0 ? (int)(left * 1000) : 1;
	ret = glp_simplex(lp, &smcp);
	if (ret == 0 && glp_get_status(lp) == GLP_OPT) {
		se.bound = glp_get_obj_val(lp);
		left = m->opt->seconds - (now() - t0);
		if (ceil_bound(se.bound) < out->given && left > 0) {
			glp_init_iocp(&iocp);
			iocp.msg_lev = GLP_MSG_OFF;
			iocp.presolve = GLP_OFF;
			iocp.clq_cuts = GLP_ON;
			iocp.bt_tech = GLP_BT_BLB;
			iocp.tm_lim = (int)(left * 1000) + 1;
			iocp.cb_func = callback;
			iocp.cb_info = &se;
			ret = glp_intopt(lp, &iocp);
			if (glp_mip_status(lp) == GLP_OPT || glp_mip_status(lp) == GLP_FEAS)
				sol = llround(glp_mip_obj_val(lp));
			if (ret == 0 && glp_mip_status(lp) == GLP_OPT && sol <= out->given)
				se.bound = (double)sol;
		}
	}
	out->best = out->given;
	out->replaced = false;
	if (sol < out->given) {
		out->best = sol;
		apply(m, lp);
		out->replaced = true; /* checked and maybe undone by the caller */
	}
	out->bound = ceil_bound(se.bound);
	if (out->bound > out->best)
		out->bound = out->best;
	out->status = out->bound >= out->best ? OA_PROVE_OPTIMAL : OA_PROVE_LIMIT;
	glp_delete_prob(lp);
	glp_error_hook(NULL, NULL);
	return 0;
}

/* ---- reasons for the requests the solver's schedule leaves out ---- */

/* Is person P free at [t, e) in S (request R aside), keeping the buffer? */
static bool
person_free(const model *m, int p, size_t r, oa_minute t, oa_minute e)
{
	const oa_schedule *s = m->s;

	if (spans_hit(&m->pst[p], t, e, s->buffer))
		return false;
	for (size_t j = 0; j < s->nreq; j++) {
		const oa_sched_request *x = &s->req[j];
		if (j == r || x->fixed || !x->placed || !in_list(x->required, x->nrequired, p))
			continue;
		if (t < x->start + x->duration + s->buffer && x->start < e + s->buffer)
			return false;
	}
	return true;
}

static bool
room_free(const oa_schedule *s, int room, size_t r, oa_minute t, oa_minute e)
{
	for (size_t j = 0; j < s->nreq; j++) {
		const oa_sched_request *x = &s->req[j];
		if (j != r && x->placed && x->placed_room == room && t < x->start + x->duration &&
		    x->start < e)
			return false;
	}
	return true;
}

static int
set_reason(oa_sched_request *q, const char *text, oa_error *err)
{
	char *p = strdup(text);

	if (p == NULL)
		return oa_error_sys(err, NULL, "out of memory");
	free(q->reason);
	q->reason = p;
	return 0;
}

/*
 * A request with no column can never be placed, whatever the others do: the
 * heuristic's reason (about busy time, rooms or the window) stays.  One the
 * solver chose to leave out has a start that is free, or none is.
 */
static int
reasons(model *m)
{
	oa_schedule *s = m->s;

	for (size_t r = 0; r < s->nreq; r++) {
		oa_sched_request *q = &s->req[r];
		bool some = false;

		if (!is_free_request(s, r))
			continue;
		if (q->placed) {
			free(q->reason);
			q->reason = NULL;
			continue;
		}
		if (m->y0[r] == m->y0[r + 1] && q->reason != NULL)
			continue;
		for (size_t i = m->y0[r]; i < m->y0[r + 1] && !some; i++) {
			oa_minute t = m->ys[i].t, e = t + q->duration;
			bool ok = true;
			for (size_t j = 0; j < q->nrequired && ok; j++)
				ok = person_free(m, q->required[j], r, t, e);
			for (size_t j = m->ys[i].x0; j < m->ys[i].x0 + m->ys[i].nx && ok && !some; j++)
				some = room_free(s, m->xs[j].room, r, t, e);
		}
		if (set_reason(q, some
		               ? "left out by --prove: placing it would raise the objective more "
		                 "than leaving it out"
		               : "left out by --prove: at every possible time a required attendee, "
		                 "or every room that fits, is taken by the solver's schedule",
		               m->err) < 0)
			return -1;
	}
	return 0;
}

/* ---- the entry point ---- */

static void
model_free(model *m)
{
	oa_schedule *s = m->s;

	if (m->pst)
		for (size_t i = 0; i < s->npeople; i++)
			free(m->pst[i].v);
	if (m->rst)
		for (size_t i = 0; i < s->nrooms; i++)
			free(m->rst[i].v);
	free(m->pst);
	free(m->rst);
	free(m->ys);
	free(m->xs);
	free(m->y0);
	free(m->ucol);
	free(m->as);
	free(m->ia);
	free(m->ja);
	free(m->ar);
	free(m->rtype);
	free(m->rhs);
	free(m->given);
}

typedef struct kept {
	bool placed;
	oa_minute start;
	int room;
} kept;

int
oa_schedule_prove(oa_schedule *s, const oa_sched_prove_options *opt, oa_sched_proof *out,
                  oa_error *err)
{
	oa_sched_prove_options defaults;
	model m;
	kept *keep = NULL;
	double t0 = now();
	int rc = -1, ok;
	char msg[256];

	if (opt == NULL) {
		oa_sched_prove_options_init(&defaults);
		opt = &defaults;
	}
	defaults = *opt;
	if (defaults.max_columns == 0)
		defaults.max_columns = DEFAULT_MAX_COLUMNS;
	if (defaults.max_nonzeros == 0)
		defaults.max_nonzeros = DEFAULT_MAX_NONZEROS;
	memset(out, 0, sizeof *out);
	memset(&m, 0, sizeof m);
	m.s = s;
	m.opt = &defaults;
	m.err = err;
	out->given = out->best = oa_schedule_objective(s, NULL);
	if (oa_schedule_check(s, msg, sizeof msg) > 0) {
		out->status = OA_PROVE_OUTSIDE;
		snprintf(out->detail, sizeof out->detail, "the schedule breaks a hard constraint: %.200s",
		         msg);
		rc = 0;
		goto out;
	}
	if ((ok = exclusive_presence(err)) < 0)
		goto out;
	m.exclusive = ok == 1;
	if (build(&m) < 0)
		goto out;
	out->columns = m.ncols;
	out->rows = m.nrows;
	out->nonzeros = m.nnz;
	if (m.too_large) {
		out->status = OA_PROVE_TOO_LARGE;
		snprintf(out->detail, sizeof out->detail,
		         "the exact model is larger than %zu columns or %zu coefficients",
		         defaults.max_columns, defaults.max_nonzeros);
		rc = 0;
		goto out;
	}
	if ((ok = given_values(&m, out->given, out->detail, sizeof out->detail)) < 0)
		goto out;
	if (ok == 0) {
		out->status = OA_PROVE_OUTSIDE;
		rc = 0;
		goto out;
	}
	if ((keep = malloc((s->nreq + 1) * sizeof *keep)) == NULL) {
		nomem(&m);
		goto out;
	}
	for (size_t r = 0; r < s->nreq; r++)
		keep[r] = (kept){ s->req[r].placed, s->req[r].start, s->req[r].placed_room };
	if (solve(&m, out, t0) < 0)
		goto out;
	if (out->replaced) {
		long long f = oa_schedule_objective(s, NULL);
		if (oa_schedule_check(s, msg, sizeof msg) > 0 || f != out->best) {
			snprintf(out->detail, sizeof out->detail,
			         "the solver's schedule %.160s (objective %lld, model %lld)",
			         msg[0] ? msg : "disagrees with the objective", f, out->best);
			out->status = OA_PROVE_OUTSIDE;
			out->best = out->given;
			out->bound = 0;
			out->replaced = false;
		}
		if (!out->replaced || !defaults.replace) {
			for (size_t r = 0; r < s->nreq; r++) {
				s->req[r].placed = keep[r].placed;
				s->req[r].start = keep[r].start;
				s->req[r].placed_room = keep[r].room;
			}
			out->replaced = false;
		} else if (reasons(&m) < 0) {
			goto out;
		}
	}
	rc = 0;
out:
	if (rc < 0 && keep != NULL)
		for (size_t r = 0; r < s->nreq; r++) {
			s->req[r].placed = keep[r].placed;
			s->req[r].start = keep[r].start;
			s->req[r].placed_room = keep[r].room;
		}
	out->seconds = now() - t0;
	free(keep);
	model_free(&m);
	return rc;
}
