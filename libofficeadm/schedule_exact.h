/*
 * schedule_exact.h - the exact model of meeting placement, solved by an
 * integer programming solver (GLPK), to prove how good a schedule is.
 *
 * oa_schedule_prove takes a schedule as oa_schedule_solve left it and
 * builds the integer program of the same problem: the hard constraints and
 * the objective F of schedule.h, over the same grid of start times and the
 * same rooms.  The schedule given is handed to the solver as its first
 * solution; the solver then searches, within a time limit, for a better one
 * and for a lower bound on F.  When it ends, either the best schedule is
 * proven optimal (the bound meets it), or the bound proves how far from the
 * optimum the schedule can at most be.
 *
 * The model (columns; all costs are those of schedule.h):
 *   y[r,t]    meeting r starts at grid time t (a start that no busy time
 *             or fixed meeting of a required attendee rules out); binary
 *             (branching on start times first is what makes GLPK fast); costs
 *             L*(6-p)*k + O*(optional attendees busy or in a fixed meeting);
 *   x[r,t,m]  ... in room m (a room that fits, free of fixed meetings);
 *             binary; costs W*rank(m);
 *   u[r]      r is left out; costs U*2^(5-p);
 *   a[r,o]    optional attendee o of r misses r because o is required at
 *             another placed meeting; costs O.
 * Rows: sum_t y[r,t] + u[r] = 1;  sum_m x[r,t,m] = y[r,t];  for each
 * person and each start time tau of a meeting they are required at, the
 * meetings of that person whose time widened by the buffer holds tau sum to
 * at most 1 (intervals on a line that meet pairwise share such a point, so
 * this is exactly "no two overlap within the buffer"); the same per room
 * without the buffer; a[r,o] >= (r holds tau) + (a meeting o is required at
 * holds tau) - 1 for each such tau.
 */
#ifndef OA_SCHEDULE_EXACT_H
#define OA_SCHEDULE_EXACT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "schedule.h"

typedef struct oa_sched_prove_options {
	double seconds;     /* wall-clock limit on the solver (model building aside) */
	bool replace;       /* put the solver's schedule in S when it is better */
	size_t max_columns; /* refuse a larger model (0: the default, 400000) */
	size_t max_nonzeros;/* ... with more coefficients (0: the default, 4000000) */
} oa_sched_prove_options;

/* Defaults: 60 seconds, replace, the default size limits. */
void oa_sched_prove_options_init(oa_sched_prove_options *opt);

typedef enum oa_prove_status {
	OA_PROVE_OPTIMAL,   /* best is proven optimal: bound == best */
	OA_PROVE_LIMIT,     /* the time limit came first: bound < best */
	OA_PROVE_TOO_LARGE, /* the model is over the size limits: nothing solved */
	OA_PROVE_OUTSIDE,   /* the schedule given is not a point of the model, or
	                       the model's objective disagrees with schedule.h's:
	                       nothing is claimed (a bug; see detail) */
} oa_prove_status;

typedef struct oa_sched_proof {
	oa_prove_status status;
	long long given;    /* F of the schedule given */
	long long best;     /* F of the best schedule known (<= given) */
	long long bound;    /* a proven lower bound on F (<= best) */
	bool replaced;      /* S now holds the solver's schedule (best < given) */
	double seconds;     /* wall-clock time of building and solving */
	size_t columns, rows, nonzeros;
	char detail[256];   /* for TOO_LARGE and OUTSIDE: what happened */
} oa_sched_proof;

/*
 * Builds and solves the exact model of S within OPT->seconds (OPT NULL: the
 * defaults) and fills OUT.  With OPT->replace and a better schedule found,
 * S is changed to it (fixed requests stay as they are) and the requests it
 * leaves out get a reason; the schedule is checked with oa_schedule_check
 * and its objective recomputed before it is accepted.  Returns 0, or -1 with
 * ERR (out of memory, or an internal error of the solver); S is unchanged on
 * -1.
 */
int oa_schedule_prove(oa_schedule *s, const oa_sched_prove_options *opt, oa_sched_proof *out,
                      oa_error *err);

/*
 * The relative gap of a schedule of objective F to a lower bound, in per
 * cent: 100 * (F - bound) / F, and 0 when F is 0.  The optimum lies in
 * [bound, F], so the schedule is at most that much worse than the optimum.
 */
double oa_sched_gap(long long f, long long bound);

#endif
