/*
 * prefetch.h - CSV records read ahead on a thread of their own.
 *
 * A filter that does real work on every record (asset-tag checks,
 * classifies and writes each row) can let the reading and splitting run
 * on a second core: a reader thread calls oa_csv_read and copies each
 * record into batches, and the caller takes the records from them in
 * order.  Without threads (or when one cannot be started) the records
 * come straight from oa_csv_read; the results are the same either way.
 *
 *     oa_csv_prefetch *p = oa_csv_prefetch_start(r, true, &err);
 *     while ((rc = oa_csv_prefetch_next(p, &rec, &err)) > 0)
 *             ... rec.fields[i], rec.lens[i], rec.line ...
 *     oa_csv_prefetch_stop(p);
 *
 * The reader R must not be used by the caller between start and stop.
 */
#ifndef OA_PREFETCH_H
#define OA_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "csv.h"
#include "error.h"

#include <pthread.h>

/*
 * pthread_create with every signal blocked in the new thread, so that a
 * signal sent to the process (Ctrl-C: SIGINT) is taken by the thread that
 * started it, whose handler may then use what that thread keeps
 * (oa_atomic_unlink_pending) without a race.  As pthread_create: 0 or an
 * error number.
 */
int oa_thread_create(pthread_t *t, void *(*fn)(void *), void *arg);

typedef struct oa_csv_record {
	const char *const *fields; /* NUL-terminated */
	const size_t *lens;
	size_t nfields;
	long line;                 /* line the record starts on */
	/*
	 * The record was one line without quotes (see oa_csv_plain_line):
	 * its fields then lie one after another from fields[0], each
	 * followed by a NUL where the line had its comma.
	 */
	bool plain;
} oa_csv_record;

typedef struct oa_csv_prefetch oa_csv_prefetch;

/*
 * Starts reading the records after the current one (the header, usually).
 * THREADED false reads on the caller's thread.  NULL (err set) when out of
 * memory.
 */
oa_csv_prefetch *oa_csv_prefetch_start(oa_csv_reader *r, bool threaded, oa_error *err);

/*
 * The next record in *rec, valid until the next call: 1, or 0 at the end
 * of the input, or -1 with err as oa_csv_read gave it.
 */
int oa_csv_prefetch_next(oa_csv_prefetch *p, oa_csv_record *rec, oa_error *err);

/*
 * Stops the reader thread and frees P; the input need not be at its end.
 * A thread waiting in read(2) for input that has not come (a pipe that
 * stays open) is cancelled there (pthread_cancel), so the reader R may be
 * left mid-record: free it, do not read on.
 */
void oa_csv_prefetch_stop(oa_csv_prefetch *p);

/*
 * The CPUs this process may run on (its affinity mask, as taskset(1) sets
 * it), at least 1: a second thread only pays when there are two.
 */
int oa_cpus_available(void);

#endif
