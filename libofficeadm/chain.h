/*
 * chain.h - a hash chain that makes an append-only CSV journal
 * tamper-evident.  Independent of what the journal holds: the document
 * journal uses it, and any other journal can.
 *
 * The format.  The journal's last column holds, in every record, 64
 * lower-case hex digits:
 *
 *     seed    = hex(SHA-256(header))
 *     chain_1 = hex(SHA-256(seed    || body_1))
 *     chain_i = hex(SHA-256(chain_i-1 || body_i))
 *
 * where header is the journal's header line and body_i is record i as
 * written, both without their line end, body_i running up to and including
 * the comma before the chain field (the record is body_i followed by
 * chain_i).  The previous value enters as its 64 hex characters, so the
 * chain can be checked by hand:
 *
 *     printf '%s%s' "$prev" "$body" | sha256sum
 *
 * What it detects.  A record changed, inserted, removed or reordered
 * breaks the chain at that record or the next one, unless every later
 * chain value is recomputed as well, which anyone can do: SHA-256 has no
 * key.  The chain proves a journal consistent with itself, not authentic.
 * Removing records at the end leaves a shorter, consistent chain; that is
 * caught only by comparing with a value kept elsewhere (the caller's state
 * file, a printed value, a copy).
 *
 * Use.  A writer that appends reads the journal first (verifying it, which
 * leaves the chain at its last record), then for each new record formats
 * its fields and the comma, calls oa_chain_seal and writes the value.  A
 * reader calls oa_chain_init with the header and oa_chain_verify with every
 * record in order.  The struct holds no allocated memory.
 */
#ifndef OA_CHAIN_H
#define OA_CHAIN_H

#include <stddef.h>

#include "sha256.h"

/* The name this toolkit gives the chain column in a header. */
#define OA_CHAIN_COLUMN "chain"

typedef struct oa_chain {
	char last[OA_SHA256_HEX_LEN + 1]; /* the seed, then the last record's value */
	long records;                     /* records sealed or verified */
} oa_chain;

/* Starts a chain from the journal's header line HEADER[0..len), without its line end. */
void oa_chain_init(oa_chain *c, const char *header, size_t len);

/*
 * For a writer: BODY[0..len) is the record about to be written, up to and
 * including the comma before its chain field.  Writes the chain value
 * (64 hex digits and a NUL) into HEX and advances C to this record.
 */
void oa_chain_seal(oa_chain *c, const char *body, size_t len, char hex[OA_SHA256_HEX_LEN + 1]);

typedef enum oa_chain_result {
	OA_CHAIN_OK = 0,
	OA_CHAIN_MALFORMED,  /* the record does not end with ",<64 lower-case hex>" */
	OA_CHAIN_MISMATCH,   /* well-formed, but not the value its bytes and the chain give */
} oa_chain_result;

/*
 * For a reader: LINE[0..len) is a whole record as read, without its line
 * end.  On OA_CHAIN_OK C advances to this record; otherwise C is unchanged.
 * When BODY_LEN is not NULL it receives the length of the record without
 * its chain field (and without the comma before it) when the record is
 * well-formed, else len.
 */
oa_chain_result oa_chain_verify(oa_chain *c, const char *line, size_t len, size_t *body_len);

/*
 * For a reader with many records at hand: verifies the N whole records
 * LINE[i][0..LEN[i]) that follow C, in order, hashed together
 * (oa_sha256_digest_many: each record's previous value is the chain field
 * of the record before it, so the hashes do not wait on each other).  Returns N when all hold, with C advanced past
 * them; else the index k of the first that does not, with *BAD saying how
 * (as oa_chain_verify would) and C advanced past the k before it.
 */
size_t oa_chain_verify_run(oa_chain *c, const char *const *line, const size_t *len, size_t n,
                           oa_chain_result *bad);

/* The byte offset (from 0) of the chain field in a record of LEN bytes. */
static inline size_t
oa_chain_field_offset(size_t len)
{
	return len >= OA_SHA256_HEX_LEN ? len - OA_SHA256_HEX_LEN : 0;
}

#endif
