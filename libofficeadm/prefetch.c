/*
 * prefetch.c - CSV records read ahead on a thread of their own.
 *
 * The reader thread fills batches from a ring of NBATCH; each batch holds
 * the text of its records (every record's fields copied as the one block
 * the reader keeps them in, see csv.h) and their field lengths.  The
 * caller empties batches in the same order.  A batch is either the
 * reader's or the caller's, handed over under the mutex, so the batches
 * themselves need no locking.
 */
#include "prefetch.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define NBATCH 4
#define BATCH_RECORDS 2048
#define BATCH_TEXT (256u * 1024u)

struct brec {
	size_t text;   /* offset of the record's block in the batch's text */
	size_t lens;   /* index of its first length in the batch's lens */
	size_t nfields;
	long line;
	bool plain;
};

struct batch {
	char *text;
	size_t len, cap;
	size_t *lens;
	size_t nlens, lens_cap;
	struct brec *recs;
	size_t nrecs, recs_cap;
	bool last;     /* the reading ended after these records */
	int status;    /* then: 0 end of input, -1 error */
	oa_error err;
};

struct oa_csv_prefetch {
	oa_csv_reader *r;
	bool threaded, started;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	struct batch b[NBATCH];
	size_t nfull;  /* batches handed to the caller, not yet given back */
	size_t head;   /* the caller's batch */
	bool cancel;
	const char **scratch;  /* the reader thread's */
	size_t scratch_cap;

	/* the caller's side */
	struct batch *cur;
	size_t next_rec;
	const char **fv;
	size_t *fl;
	size_t fv_cap, fl_cap;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

int
oa_thread_create(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, was;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &was);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

/* Copies the reader's current record into B; SCRATCH holds *ncap pointers. */
static int
batch_add(struct batch *b, const oa_csv_reader *r, const char ***scratch, size_t *ncap)
{
	size_t n = oa_csv_nfields(r), plain_len, block = 0;
	struct brec *rec;

	if (grow((void **)scratch, ncap, n, sizeof **scratch) < 0 ||
	    grow((void **)&b->lens, &b->lens_cap, b->nlens + n, sizeof *b->lens) < 0 ||
	    grow((void **)&b->recs, &b->recs_cap, b->nrecs + 1, sizeof *b->recs) < 0)
		return -1;
	oa_csv_fields(r, *scratch, b->lens + b->nlens, n);
	/* The fields lie one after another from the first, each with its NUL. */
	if (n > 0)
		block = (size_t)((*scratch)[n - 1] - (*scratch)[0]) + b->lens[b->nlens + n - 1] + 1;
	if (grow((void **)&b->text, &b->cap, b->len + block, 1) < 0)
		return -1;
	rec = &b->recs[b->nrecs++];
	rec->text = b->len;
	rec->lens = b->nlens;
	rec->nfields = n;
	rec->line = oa_csv_line(r);
	rec->plain = oa_csv_plain_line(r, &plain_len) != NULL;
	if (n > 0)
		memcpy(b->text + b->len, (*scratch)[0], block);
	b->len += block;
	b->nlens += n;
	return 0;
}

/* Fills B with records until it is full or the input ends. */
static void
batch_fill(oa_csv_prefetch *p, struct batch *b)
{
	oa_csv_reader *r = p->r;

	b->len = b->nlens = b->nrecs = 0;
	b->last = false;
	oa_error_clear(&b->err);
	while (b->nrecs < BATCH_RECORDS && b->len < BATCH_TEXT) {
		int rc;

		/* Stopped: leave now, not after a whole batch more of input. */
		if (__atomic_load_n(&p->cancel, __ATOMIC_RELAXED)) {
			b->last = true;
			b->status = 0;
			return;
		}
		/*
		 * The only cancellation point in oa_csv_read is read(2): a
		 * thread waiting there on a pipe that stays open can be
		 * cancelled by oa_csv_prefetch_stop; nowhere else.
		 */
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		rc = oa_csv_read(r, &b->err);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);

		if (rc <= 0) {
			b->last = true;
			b->status = rc;
			return;
		}
		if (batch_add(b, r, &p->scratch, &p->scratch_cap) < 0) {
			b->last = true;
			b->status = oa_error_set(&b->err, oa_csv_name(r), oa_csv_line(r),
			                         "out of memory");
			return;
		}
	}
}

static void *
reader_thread(void *arg)
{
	oa_csv_prefetch *p = arg;
	size_t tail = 0;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);

	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&p->mu);
		while (p->nfull == NBATCH && !p->cancel)
			pthread_cond_wait(&p->emptied, &p->mu);
		if (p->cancel) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_mutex_unlock(&p->mu);

		b = &p->b[tail];
		batch_fill(p, b);

		pthread_mutex_lock(&p->mu);
		p->nfull++;
		pthread_cond_signal(&p->filled);
		pthread_mutex_unlock(&p->mu);
		if (b->last)
			return NULL;
		tail = (tail + 1) % NBATCH;
	}
}

oa_csv_prefetch *
oa_csv_prefetch_start(oa_csv_reader *r, bool threaded, oa_error *err)
{
	oa_csv_prefetch *p = calloc(1, sizeof *p);

	if (p == NULL) {
		oa_error_set(err, oa_csv_name(r), 0, "out of memory");
		return NULL;
	}
	p->r = r;
	if (threaded && pthread_mutex_init(&p->mu, NULL) == 0) {
		if (pthread_cond_init(&p->filled, NULL) == 0) {
			if (pthread_cond_init(&p->emptied, NULL) == 0) {
				p->threaded = true;
				/* No thread (no resources): read on this one. */
				p->started = oa_thread_create(&p->thread, reader_thread, p) == 0;
				if (p->started)
					return p;
				pthread_cond_destroy(&p->emptied);
			}
			pthread_cond_destroy(&p->filled);
		}
		pthread_mutex_destroy(&p->mu);
		p->threaded = false;
	}
	return p;
}

/* Points the caller's field arrays at record REC of batch B. */
static int
expose(oa_csv_prefetch *p, const struct batch *b, const struct brec *rec, oa_csv_record *out)
{
	const char *f = b->text + rec->text;

	if (grow((void **)&p->fv, &p->fv_cap, rec->nfields, sizeof *p->fv) < 0)
		return -1;
	for (size_t i = 0; i < rec->nfields; i++) {
		p->fv[i] = f;
		f += b->lens[rec->lens + i] + 1;
	}
	out->fields = p->fv;
	out->lens = b->lens + rec->lens;
	out->nfields = rec->nfields;
	out->line = rec->line;
	out->plain = rec->plain;
	return 0;
}

/* The next record straight from the reader. */
static int
next_unthreaded(oa_csv_prefetch *p, oa_csv_record *rec, oa_error *err)
{
	size_t n, plain_len;
	int rc = oa_csv_read(p->r, err);

	if (rc <= 0)
		return rc;
	n = oa_csv_nfields(p->r);
	if (grow((void **)&p->fv, &p->fv_cap, n, sizeof *p->fv) < 0 ||
	    grow((void **)&p->fl, &p->fl_cap, n, sizeof *p->fl) < 0)
		return oa_error_set(err, oa_csv_name(p->r), oa_csv_line(p->r), "out of memory");
	oa_csv_fields(p->r, p->fv, p->fl, n);
	rec->fields = p->fv;
	rec->lens = p->fl;
	rec->nfields = n;
	rec->line = oa_csv_line(p->r);
	rec->plain = oa_csv_plain_line(p->r, &plain_len) != NULL;
	return 1;
}

int
oa_csv_prefetch_next(oa_csv_prefetch *p, oa_csv_record *rec, oa_error *err)
{
	if (!p->started)
		return next_unthreaded(p, rec, err);
	for (;;) {
		struct batch *b = p->cur;

		if (b != NULL && p->next_rec < b->nrecs) {
			if (expose(p, b, &b->recs[p->next_rec], rec) < 0)
				return oa_error_set(err, oa_csv_name(p->r), b->recs[p->next_rec].line,
				                    "out of memory");
			p->next_rec++;
			return 1;
		}
		if (b != NULL) {
			if (b->last) {
				if (b->status < 0)
					*err = b->err;
				return b->status;
			}
			/* Give the batch back. */
			pthread_mutex_lock(&p->mu);
			p->nfull--;
			p->head = (p->head + 1) % NBATCH;
			pthread_cond_signal(&p->emptied);
			pthread_mutex_unlock(&p->mu);
			p->cur = NULL;
		}
		pthread_mutex_lock(&p->mu);
		while (p->nfull == 0)
			pthread_cond_wait(&p->filled, &p->mu);
		p->cur = &p->b[p->head];
		pthread_mutex_unlock(&p->mu);
		p->next_rec = 0;
	}
}

void
oa_csv_prefetch_stop(oa_csv_prefetch *p)
{
	if (p == NULL)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->mu);
		__atomic_store_n(&p->cancel, true, __ATOMIC_RELAXED);
		pthread_cond_signal(&p->emptied);
		pthread_mutex_unlock(&p->mu);
		/* A thread blocked reading a pipe that stays open leaves only so. */
		pthread_cancel(p->thread);
		pthread_join(p->thread, NULL);
		pthread_cond_destroy(&p->emptied);
		pthread_cond_destroy(&p->filled);
		pthread_mutex_destroy(&p->mu);
	}
	for (size_t i = 0; i < NBATCH; i++) {
		free(p->b[i].text);
		free(p->b[i].lens);
		free(p->b[i].recs);
	}
	free(p->scratch);
	free(p->fv);
	free(p->fl);
	free(p);
}

int
oa_cpus_available(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof set, &set) < 0)
		return 1;
	n = CPU_COUNT(&set);
	return n > 0 ? n : 1;
}
