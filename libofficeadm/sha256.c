/*
 * sha256.c - SHA-256 from FIPS 180-4: the constants K (4.2.2), the initial
 * hash value (5.3.3), padding (5.1.1) and the compression function (6.2.2).
 * Words are read big-endian byte by byte, so the code does not depend on the
 * host's byte order.
 *
 * On x86 CPUs with the SHA extensions (CPUID.7.0:EBX.SHA) the compression
 * function runs on SHA256RNDS2/SHA256MSG1/SHA256MSG2, written from the
 * instruction descriptions in Intel's Software Developer's Manual (vol. 2)
 * and chosen at run time; the portable code stays for every other CPU and
 * both are tested against the NIST vectors and against each other.  Many
 * messages at once (oa_sha256_digest_many) run sixteen to the AVX-512
 * registers, one per 32-bit lane, the 6.2.2 rounds written lane-wise.
 */
#include "sha256.h"

#include <stdbool.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define OA_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

static void
compress(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;

	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
	for (int t = 16; t < 64; t++)
		w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
		uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void
compress_portable(uint32_t h[8], const unsigned char *p, size_t blocks)
{
	for (; blocks > 0; blocks--, p += 64)
		compress(h, p);
}

#ifdef OA_SHA256_X86
/*
 * SHA256RNDS2 (SDM vol. 2): src1 holds C,D,G,H and src2 A,B,E,F (from the
 * high lane down), xmm0's two low lanes W+K of two rounds; the result is the
 * new A,B,E,F, and the new C,D,G,H are the old A,B,E,F.  SHA256MSG1 gives
 * W[i] + sigma0(W[i+1]) for four i; SHA256MSG2 adds sigma1 of W[i-2] to
 * four partial words, taking W[14], W[15] from the high lanes of src2.
 */
__attribute__((target("sha,sse4.1"))) static void
compress_shani(uint32_t h[8], const unsigned char *p, size_t blocks)
{
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
	__m128i abef = _mm_set_epi32((int)h[0], (int)h[1], (int)h[4], (int)h[5]);
	__m128i cdgh = _mm_set_epi32((int)h[2], (int)h[3], (int)h[6], (int)h[7]);

	for (; blocks > 0; blocks--, p += 64) {
		__m128i w[16], abef0 = abef, cdgh0 = cdgh;

		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), bswap);
		for (int i = 4; i < 16; i++) {
			__m128i t = _mm_sha256msg1_epu32(w[i - 4], w[i - 3]);
			t = _mm_add_epi32(t, _mm_alignr_epi8(w[i - 1], w[i - 2], 4));
			w[i] = _mm_sha256msg2_epu32(t, w[i - 1]);
		}
		for (int i = 0; i < 16; i++) {
			__m128i wk = _mm_add_epi32(w[i], _mm_loadu_si128((const __m128i *)(const void *)(K + 4 * i)));
			__m128i t = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			cdgh = abef;
			abef = t;
			t = _mm_sha256rnds2_epu32(cdgh, abef, _mm_shuffle_epi32(wk, 0x0e));
			cdgh = abef;
			abef = t;
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	h[0] = (uint32_t)_mm_extract_epi32(abef, 3);
	h[1] = (uint32_t)_mm_extract_epi32(abef, 2);
	h[4] = (uint32_t)_mm_extract_epi32(abef, 1);
	h[5] = (uint32_t)_mm_extract_epi32(abef, 0);
	h[2] = (uint32_t)_mm_extract_epi32(cdgh, 3);
	h[3] = (uint32_t)_mm_extract_epi32(cdgh, 2);
	h[6] = (uint32_t)_mm_extract_epi32(cdgh, 1);
	h[7] = (uint32_t)_mm_extract_epi32(cdgh, 0);
}

/* Two independent blocks at once: P into (AB[0], AB[1]), Q into (AB[2],
 * AB[3]).  SHA256RNDS2 waits on its previous round; interleaving two
 * messages keeps the unit busy meanwhile (1.5x the throughput measured on
 * this project's machine). */
__attribute__((target("sha,sse4.1"))) static void
compress_shani_pair(__m128i ab[4], const unsigned char *p, const unsigned char *q)
{
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
	__m128i abef = ab[0], cdgh = ab[1], abef2 = ab[2], cdgh2 = ab[3];
	__m128i w[16], v[16];

	for (int i = 0; i < 4; i++) {
		w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), bswap);
		v[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(q + 16 * i)), bswap);
	}
	for (int i = 4; i < 16; i++) {
		__m128i t = _mm_sha256msg1_epu32(w[i - 4], w[i - 3]);
		__m128i u = _mm_sha256msg1_epu32(v[i - 4], v[i - 3]);
		t = _mm_add_epi32(t, _mm_alignr_epi8(w[i - 1], w[i - 2], 4));
		u = _mm_add_epi32(u, _mm_alignr_epi8(v[i - 1], v[i - 2], 4));
		w[i] = _mm_sha256msg2_epu32(t, w[i - 1]);
		v[i] = _mm_sha256msg2_epu32(u, v[i - 1]);
	}
	for (int i = 0; i < 16; i++) {
		__m128i k = _mm_loadu_si128((const __m128i *)(const void *)(K + 4 * i));
		__m128i wk = _mm_add_epi32(w[i], k), vk = _mm_add_epi32(v[i], k);
		__m128i t = _mm_sha256rnds2_epu32(cdgh, abef, wk);
		__m128i u = _mm_sha256rnds2_epu32(cdgh2, abef2, vk);
		cdgh = abef, abef = t, cdgh2 = abef2, abef2 = u;
		t = _mm_sha256rnds2_epu32(cdgh, abef, _mm_shuffle_epi32(wk, 0x0e));
		u = _mm_sha256rnds2_epu32(cdgh2, abef2, _mm_shuffle_epi32(vk, 0x0e));
		cdgh = abef, abef = t, cdgh2 = abef2, abef2 = u;
	}
	ab[0] = _mm_add_epi32(abef, ab[0]);
	ab[1] = _mm_add_epi32(cdgh, ab[1]);
	ab[2] = _mm_add_epi32(abef2, ab[2]);
	ab[3] = _mm_add_epi32(cdgh2, ab[3]);
}
#endif

/* -1 not yet decided; else the OA_SHA256_* bits of what is used (0: the
 * portable code); an int read and written whole, so threads that decide at
 * once decide the same. */
static volatile int use_accel = -1;

static int
cpu_has_sha(void)
{
#ifdef OA_SHA256_X86
	/* CPUID leaf 1: ECX bit 9 SSSE3, bit 19 SSE4.1; leaf 7.0: EBX bit 29 SHA.
	 * (clang 14's __builtin_cpu_supports does not know "sha".) */
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & 1u << 9) || !(c & 1u << 19))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;
#else
	return 0;
#endif
}

static int
cpu_has_avx512(void)
{
#ifdef OA_SHA256_X86
	/* CPUID leaf 7.0: EBX bit 16 AVX512F, bit 30 AVX512BW; and the kernel
	 * saving the vector state (leaf 1 ECX bit 27 OSXSAVE, then XCR0 bits
	 * 1, 2 and 5-7: SSE, AVX, opmask and both halves of the ZMM registers). */
	unsigned a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & 1u << 27))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & 1u << 16) || !(b & 1u << 30))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return (lo & 0xe6) == 0xe6;
#else
	return 0;
#endif
}

int
oa_sha256_accelerated(int mode)
{
	int have = (cpu_has_sha() ? OA_SHA256_SHANI : 0) | (cpu_has_avx512() ? OA_SHA256_AVX512 : 0);

	if (mode >= 0)
		use_accel = mode & have;
	else if (use_accel < 0)
		use_accel = have;
	return use_accel;
}

static void
compress_blocks(uint32_t h[8], const unsigned char *p, size_t blocks)
{
	int a = use_accel;

	if (a < 0)
		a = oa_sha256_accelerated(-1);
#ifdef OA_SHA256_X86
	if (a & OA_SHA256_SHANI) {
		compress_shani(h, p, blocks);
		return;
	}
#endif
	compress_portable(h, p, blocks);
}

static void
digest_bytes(const uint32_t h[8], unsigned char out[OA_SHA256_LEN])
{
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

static const uint32_t H0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

void
oa_sha256_init(oa_sha256 *c)
{
	memcpy(c->h, H0, sizeof H0);
	c->bytes = 0;
	c->used = 0;
}

void
oa_sha256_update(oa_sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->bytes += len;
	if (c->used > 0) {
		size_t take = 64 - c->used < len ? 64 - c->used : len;
		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		len -= take;
		if (c->used < 64)
			return;
		compress_blocks(c->h, c->block, 1);
		c->used = 0;
	}
	if (len >= 64) {
		compress_blocks(c->h, p, len / 64);
		p += len / 64 * 64;
		len %= 64;
	}
	if (len > 0) {
		memcpy(c->block, p, len);
		c->used = len;
	}
}

void
oa_sha256_final(oa_sha256 *c, unsigned char out[OA_SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;

	/* 5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, the length in bits. */
	c->block[c->used++] = 0x80;
	if (c->used > 56) {
		memset(c->block + c->used, 0, 64 - c->used);
		compress_blocks(c->h, c->block, 1);
		c->used = 0;
	}
	memset(c->block + c->used, 0, 56 - c->used);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress_blocks(c->h, c->block, 1);
	digest_bytes(c->h, out);
	memset(c->block, 0, sizeof c->block);
	c->used = 0;
}

void
oa_sha256_digest(const void *data, size_t len, unsigned char out[OA_SHA256_LEN])
{
	oa_sha256 c;

	oa_sha256_init(&c);
	oa_sha256_update(&c, data, len);
	oa_sha256_final(&c, out);
}

/* One message alone, in the portable or SHA-extension code. */
static void
digest_msg(const oa_sha256_msg *m, unsigned char out[OA_SHA256_LEN])
{
	oa_sha256 c;

	oa_sha256_init(&c);
	oa_sha256_update(&c, m->head, m->head_len);
	oa_sha256_update(&c, m->body, m->body_len);
	oa_sha256_final(&c, out);
}

#ifdef OA_SHA256_X86
enum { PAIR_MAX_BLOCKS = 32 };

/*
 * Message M (head then body) as a list of 64-byte blocks, 5.1.1's padding
 * included: whole blocks are read where they lie (the head when it is a
 * whole number of blocks, then the body), and only the last one or two,
 * with the padding, are copied into TAIL.  Returns the number of blocks,
 * or 0 when there are more than MAX.
 */
static size_t
block_list(const oa_sha256_msg *m, const unsigned char **blk, size_t max, unsigned char tail[128])
{
	size_t len = m->head_len + m->body_len, n = 0, rest;
	const unsigned char *h = m->head, *b = m->body;
	uint64_t bits = (uint64_t)len * 8;

	if ((len + 9 + 63) / 64 > max)
		return 0;
	if (m->head_len % 64 == 0) {
		for (size_t i = 0; i < m->head_len; i += 64)
			blk[n++] = h + i;
		for (rest = m->body_len; rest >= 64; rest -= 64, b += 64)
			blk[n++] = b;
		if (rest > 0)
			memcpy(tail, b, rest);
	} else {
		/* A head that ends inside a block: copy the lot (not the journal's case). */
		if (len > 128 - 9)
			return 0;
		if (m->head_len > 0)
			memcpy(tail, h, m->head_len);
		if (m->body_len > 0)
			memcpy(tail + m->head_len, b, m->body_len);
		rest = len;
	}
	tail[rest] = 0x80;
	size_t tail_blocks = rest + 9 > 64 ? 2 : 1;
	memset(tail + rest + 1, 0, tail_blocks * 64 - 8 - rest - 1);
	for (int i = 0; i < 8; i++)
		tail[tail_blocks * 64 - 8 + i] = (unsigned char)(bits >> (56 - 8 * i));
	for (size_t i = 0; i < tail_blocks; i++)
		blk[n++] = tail + 64 * i;
	return n;
}

/* The two messages of blocks BLK[k][0..NB[k]) on the SHA extensions, in pairs of blocks. */
__attribute__((target("sha,sse4.1"))) static void
digest_pair_shani(const unsigned char *const blk[2][PAIR_MAX_BLOCKS], const size_t nb[2],
                  unsigned char out[2][OA_SHA256_LEN])
{
	__m128i ab[4];
	size_t both = nb[0] < nb[1] ? nb[0] : nb[1];
	uint32_t h[8];

	ab[0] = ab[2] = _mm_set_epi32((int)H0[0], (int)H0[1], (int)H0[4], (int)H0[5]);
	ab[1] = ab[3] = _mm_set_epi32((int)H0[2], (int)H0[3], (int)H0[6], (int)H0[7]);
	for (size_t i = 0; i < both; i++)
		compress_shani_pair(ab, blk[0][i], blk[1][i]);
	for (int k = 0; k < 2; k++) {
		h[0] = (uint32_t)_mm_extract_epi32(ab[2 * k], 3);
		h[1] = (uint32_t)_mm_extract_epi32(ab[2 * k], 2);
		h[4] = (uint32_t)_mm_extract_epi32(ab[2 * k], 1);
		h[5] = (uint32_t)_mm_extract_epi32(ab[2 * k], 0);
		h[2] = (uint32_t)_mm_extract_epi32(ab[2 * k + 1], 3);
		h[3] = (uint32_t)_mm_extract_epi32(ab[2 * k + 1], 2);
		h[6] = (uint32_t)_mm_extract_epi32(ab[2 * k + 1], 1);
		h[7] = (uint32_t)_mm_extract_epi32(ab[2 * k + 1], 0);
		for (size_t i = both; i < nb[k]; i++)
			compress_shani(h, blk[k][i], 1);
		digest_bytes(h, out[k]);
	}
}
#endif

void
oa_sha256_digest2(const oa_sha256_msg m[2], unsigned char out[2][OA_SHA256_LEN])
{
#ifdef OA_SHA256_X86
	const unsigned char *blk[2][PAIR_MAX_BLOCKS];
	unsigned char tail[2][128];
	size_t nb[2];
	int a = use_accel;

	if (a < 0)
		a = oa_sha256_accelerated(-1);
	if ((a & OA_SHA256_SHANI) && (nb[0] = block_list(&m[0], blk[0], PAIR_MAX_BLOCKS, tail[0])) != 0 &&
	    (nb[1] = block_list(&m[1], blk[1], PAIR_MAX_BLOCKS, tail[1])) != 0) {
		digest_pair_shani((const unsigned char *const(*)[PAIR_MAX_BLOCKS])blk, nb, out);
		return;
	}
#endif
	for (int k = 0; k < 2; k++)
		digest_msg(&m[k], out[k]);
}

#ifdef OA_SHA256_X86
/*
 * Sixteen independent blocks at once, one per 32-bit lane of the AVX-512
 * registers: BLK[l] into lane l of the state ST (a..h, FIPS 180-4 6.2.2).
 * The blocks are loaded as rows, byte-swapped to big-endian words and
 * transposed, so that W[t] holds word t of all sixteen.  Then the 64 rounds
 * of 6.2.2, each function in one three-input logic instruction (VPTERNLOGD:
 * 0x96 is x^y^z, 0xca Ch, 0xe8 Maj).
 */
__attribute__((target("avx512f,avx512bw"))) static void
compress16_avx512(__m512i st[8], const unsigned char *const blk[16])
{
	const __m512i bswap = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
	__m512i r[16], t[16], w[16];

	for (int l = 0; l < 16; l++)
		r[l] = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)blk[l]), bswap);
	/* In each 128-bit quarter q: pairs of rows interleaved, then fours, so
	 * that r[4g + j] holds word 4q + j of rows 4g..4g+3 in quarter q. */
	for (int i = 0; i < 16; i += 2) {
		t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
		t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
	}
	for (int g = 0; g < 16; g += 4) {
		r[g] = _mm512_unpacklo_epi64(t[g], t[g + 2]);
		r[g + 1] = _mm512_unpackhi_epi64(t[g], t[g + 2]);
		r[g + 2] = _mm512_unpacklo_epi64(t[g + 1], t[g + 3]);
		r[g + 3] = _mm512_unpackhi_epi64(t[g + 1], t[g + 3]);
	}
	/* Then the quarters gathered: word 4q + j of the rows of all four groups. */
	for (int j = 0; j < 4; j++) {
		__m512i x0 = _mm512_shuffle_i32x4(r[j], r[4 + j], 0x88);
		__m512i x1 = _mm512_shuffle_i32x4(r[j], r[4 + j], 0xdd);
		__m512i y0 = _mm512_shuffle_i32x4(r[8 + j], r[12 + j], 0x88);
		__m512i y1 = _mm512_shuffle_i32x4(r[8 + j], r[12 + j], 0xdd);
		w[j] = _mm512_shuffle_i32x4(x0, y0, 0x88);
		w[4 + j] = _mm512_shuffle_i32x4(x1, y1, 0x88);
		w[8 + j] = _mm512_shuffle_i32x4(x0, y0, 0xdd);
		w[12 + j] = _mm512_shuffle_i32x4(x1, y1, 0xdd);
	}
	__m512i a = st[0], b = st[1], c = st[2], d = st[3];
	__m512i e = st[4], f = st[5], g = st[6], h = st[7];
	for (int i = 0; i < 64; i++) {
		__m512i wi = w[i & 15];
		if (i >= 16) {
			__m512i w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
			__m512i s0 = _mm512_ternarylogic_epi32(_mm512_ror_epi32(w15, 7), _mm512_ror_epi32(w15, 18),
			                                       _mm512_srli_epi32(w15, 3), 0x96);
			__m512i s1 = _mm512_ternarylogic_epi32(_mm512_ror_epi32(w2, 17), _mm512_ror_epi32(w2, 19),
			                                       _mm512_srli_epi32(w2, 10), 0x96);
			wi = _mm512_add_epi32(_mm512_add_epi32(wi, s0), _mm512_add_epi32(w[(i - 7) & 15], s1));
			w[i & 15] = wi;
		}
		__m512i big1 = _mm512_ternarylogic_epi32(_mm512_ror_epi32(e, 6), _mm512_ror_epi32(e, 11),
		                                         _mm512_ror_epi32(e, 25), 0x96);
		__m512i ch = _mm512_ternarylogic_epi32(e, f, g, 0xca);
		__m512i t1 = _mm512_add_epi32(_mm512_add_epi32(h, big1),
		                              _mm512_add_epi32(ch, _mm512_add_epi32(wi, _mm512_set1_epi32((int)K[i]))));
		__m512i big0 = _mm512_ternarylogic_epi32(_mm512_ror_epi32(a, 2), _mm512_ror_epi32(a, 13),
		                                         _mm512_ror_epi32(a, 22), 0x96);
		__m512i maj = _mm512_ternarylogic_epi32(a, b, c, 0xe8);
		h = g, g = f, f = e, e = _mm512_add_epi32(d, t1);
		d = c, c = b, b = a, a = _mm512_add_epi32(t1, _mm512_add_epi32(big0, maj));
	}
	st[0] = _mm512_add_epi32(st[0], a), st[1] = _mm512_add_epi32(st[1], b);
	st[2] = _mm512_add_epi32(st[2], c), st[3] = _mm512_add_epi32(st[3], d);
	st[4] = _mm512_add_epi32(st[4], e), st[5] = _mm512_add_epi32(st[5], f);
	st[6] = _mm512_add_epi32(st[6], g), st[7] = _mm512_add_epi32(st[7], h);
}

/* What each of the sixteen lanes is hashing. */
typedef struct lane {
	size_t msg;          /* the message's index, or (size_t)-1: the lane is idle */
	size_t nb, at;       /* its blocks, and the next one */
	const unsigned char *blk[PAIR_MAX_BLOCKS];
	unsigned char tail[128];
} lane;

/*
 * The N messages M in sixteen lanes: each lane takes the next message when
 * its own is done, and starts it from H0; a lane with nothing left hashes
 * a block of zeros that nobody reads.  A message of more than
 * PAIR_MAX_BLOCKS blocks is hashed alone.
 */
__attribute__((target("avx512f,avx512bw"))) static void
digest_many_avx512(const oa_sha256_msg *m, size_t n, unsigned char (*out)[OA_SHA256_LEN])
{
	static const unsigned char zeros[64];
	lane ln[16];
	__m512i st[8];
	size_t next = 0;
	unsigned busy = 0;

	for (int k = 0; k < 8; k++)
		st[k] = _mm512_set1_epi32((int)H0[k]);
	for (;;) {
		__mmask16 fresh = 0;
		const unsigned char *blk[16];

		for (int l = 0; l < 16; l++) {
			if (busy & 1u << l)
				continue;
			ln[l].msg = (size_t)-1;
			while (next < n) {
				size_t i = next++;
				ln[l].nb = block_list(&m[i], ln[l].blk, PAIR_MAX_BLOCKS, ln[l].tail);
				if (ln[l].nb == 0) {
					digest_msg(&m[i], out[i]);
					continue;
				}
				ln[l].msg = i;
				ln[l].at = 0;
				busy |= 1u << l;
				fresh |= (__mmask16)(1u << l);
				break;
			}
		}
		if (busy == 0)
			break;
		for (int k = 0; k < 8; k++)
			st[k] = _mm512_mask_blend_epi32(fresh, st[k], _mm512_set1_epi32((int)H0[k]));
		for (int l = 0; l < 16; l++)
			blk[l] = busy & 1u << l ? ln[l].blk[ln[l].at] : zeros;
		compress16_avx512(st, blk);
		uint32_t h[8][16];
		bool stored = false;
		for (int l = 0; l < 16; l++) {
			if (!(busy & 1u << l) || ++ln[l].at < ln[l].nb)
				continue;
			if (!stored) {
				for (int k = 0; k < 8; k++)
					_mm512_storeu_si512((void *)h[k], st[k]);
				stored = true;
			}
			uint32_t v[8];
			for (int k = 0; k < 8; k++)
				v[k] = h[k][l];
			digest_bytes(v, out[ln[l].msg]);
			busy &= ~(1u << l);
		}
	}
}
#endif

void
oa_sha256_digest_many(const oa_sha256_msg *m, size_t n, unsigned char (*out)[OA_SHA256_LEN])
{
	size_t i = 0;
	int a = use_accel;

	if (a < 0)
		a = oa_sha256_accelerated(-1);
#ifdef OA_SHA256_X86
	/* Sixteen lanes cost the same however few are busy: with eight
	 * messages or fewer, pairs on the SHA extensions are as fast. */
	if ((a & OA_SHA256_AVX512) && (n > 8 || !(a & OA_SHA256_SHANI))) {
		digest_many_avx512(m, n, out);
		return;
	}
#endif
	for (; i + 1 < n; i += 2)
		oa_sha256_digest2(m + i, out + i);
	if (i < n)
		digest_msg(&m[i], out[i]);
}

void
oa_sha256_hex(const unsigned char digest[OA_SHA256_LEN], char out[OA_SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < OA_SHA256_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[OA_SHA256_HEX_LEN] = '\0';
}
