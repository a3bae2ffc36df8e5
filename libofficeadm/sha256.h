/*
 * sha256.h - SHA-256 as specified in FIPS 180-4, section 6.2, written from
 * the standard.  Used to chain journal records (chain.h); not meant for
 * secrets (no constant-time claims, no key handling).
 *
 * Streaming use: oa_sha256_init, any number of oa_sha256_update calls, then
 * oa_sha256_final, which writes the 32-byte digest.  One-shot: oa_sha256_digest.
 * The context holds no allocated memory: nothing to release.
 */
#ifndef OA_SHA256_H
#define OA_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define OA_SHA256_LEN 32       /* digest bytes */
#define OA_SHA256_HEX_LEN 64   /* digest as lower-case hex, without the NUL */

typedef struct oa_sha256 {
	uint32_t h[8];         /* the intermediate hash value H(i) */
	uint64_t bytes;        /* message length so far, in bytes */
	unsigned char block[64];
	size_t used;           /* bytes waiting in block */
} oa_sha256;

void oa_sha256_init(oa_sha256 *c);
void oa_sha256_update(oa_sha256 *c, const void *data, size_t len);
/* Pads, writes the digest to OUT and leaves c unusable until oa_sha256_init. */
void oa_sha256_final(oa_sha256 *c, unsigned char out[OA_SHA256_LEN]);

/* The digest of data[0..len) in one call. */
void oa_sha256_digest(const void *data, size_t len, unsigned char out[OA_SHA256_LEN]);

/* A message given as two pieces, HEAD then BODY (either may be empty). */
typedef struct oa_sha256_msg {
	const void *head;
	size_t head_len;
	const void *body;
	size_t body_len;
} oa_sha256_msg;

/*
 * The digests of two messages at once: OUT[k] = SHA-256(M[k].head ||
 * M[k].body).  With the SHA extensions the two are computed interleaved,
 * which is faster than one after the other; otherwise one after the other.
 */
void oa_sha256_digest2(const oa_sha256_msg m[2], unsigned char out[2][OA_SHA256_LEN]);

/*
 * The digests of N messages: OUT[i] = SHA-256(M[i].head || M[i].body).
 * With AVX-512 (F and BW), sixteen at a time, one per vector lane (with
 * more than eight messages, or without the SHA extensions); else two at a
 * time as oa_sha256_digest2.  The journals' readers hash their records so.
 */
void oa_sha256_digest_many(const oa_sha256_msg *m, size_t n, unsigned char (*out)[OA_SHA256_LEN]);

/* Writes the 32 bytes of DIGEST as 64 lower-case hex digits and a NUL. */
void oa_sha256_hex(const unsigned char digest[OA_SHA256_LEN], char out[OA_SHA256_HEX_LEN + 1]);

/* What oa_sha256_accelerated may use, as bits. */
#define OA_SHA256_SHANI 1  /* the x86 SHA extensions (with SSSE3 and SSE4.1) */
#define OA_SHA256_AVX512 2 /* AVX-512 F and BW, for oa_sha256_digest_many */

/*
 * What the code uses: the OA_SHA256_* bits, 0 for the portable code alone.
 * MODE < 0 only asks (deciding from the CPU on first use: all it has); MODE
 * >= 0 uses the bits of MODE the CPU has (0 forces the portable code, 1 the
 * SHA extensions without AVX-512).  Returns the choice now in force.  For
 * tests and benchmarks; the default needs no call.
 */
int oa_sha256_accelerated(int mode);

#endif
