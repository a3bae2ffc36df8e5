/*
 * chain.c - the hash chain of chain.h: a seed from the header, then one
 * SHA-256 per record over the previous value (as hex) and the record's
 * bytes before its chain field.
 */
#include "chain.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void
oa_chain_init(oa_chain *c, const char *header, size_t len)
{
	unsigned char d[OA_SHA256_LEN];

	oa_sha256_digest(header, len, d);
	oa_sha256_hex(d, c->last);
	c->records = 0;
}

/* hex(SHA-256(prev || body)) into OUT. */
static void
link_value(const char *prev, const char *body, size_t len, char out[OA_SHA256_HEX_LEN + 1])
{
	oa_sha256 s;
	unsigned char d[OA_SHA256_LEN];

	oa_sha256_init(&s);
	oa_sha256_update(&s, prev, OA_SHA256_HEX_LEN);
	oa_sha256_update(&s, body, len);
	oa_sha256_final(&s, d);
	oa_sha256_hex(d, out);
}

void
oa_chain_seal(oa_chain *c, const char *body, size_t len, char hex[OA_SHA256_HEX_LEN + 1])
{
	link_value(c->last, body, len, hex);
	memcpy(c->last, hex, OA_SHA256_HEX_LEN + 1);
	c->records++;
}

oa_chain_result
oa_chain_verify(oa_chain *c, const char *line, size_t len, size_t *body_len)
{
	char want[OA_SHA256_HEX_LEN + 1];
	size_t body;

	if (body_len != NULL)
		*body_len = len;
	if (len < OA_SHA256_HEX_LEN + 1 || line[len - OA_SHA256_HEX_LEN - 1] != ',')
		return OA_CHAIN_MALFORMED;
	body = len - OA_SHA256_HEX_LEN;
	link_value(c->last, line, body, want);
	/* A field equal to WANT is lower-case hex; only one that differs is
	 * checked digit by digit, to tell MALFORMED from MISMATCH (the digit
	 * test on every record cost as much as its hash with SHA-NI). */
	if (memcmp(want, line + body, OA_SHA256_HEX_LEN) != 0) {
		for (size_t i = body; i < len; i++) {
			char ch = line[i];
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
				return OA_CHAIN_MALFORMED;
		}
		if (body_len != NULL)
			*body_len = body - 1;
		return OA_CHAIN_MISMATCH;
	}
	if (body_len != NULL)
		*body_len = body - 1;
	memcpy(c->last, want, OA_SHA256_HEX_LEN + 1);
	c->records++;
	return OA_CHAIN_OK;
}

/* Whether FIELD's 64 characters are D in lower-case hex. */
static inline int
is_hex_of(const unsigned char d[OA_SHA256_LEN], const char *field)
{
#ifdef __SSE2__
	const __m128i low = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
	const __m128i zero = _mm_set1_epi8('0'), gap = _mm_set1_epi8('a' - '0' - 10);
	unsigned same = 0xffffffffu;

	for (int half = 0; half < 2; half++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + 16 * half));
		__m128i hi = _mm_and_si128(_mm_srli_epi16(x, 4), low), lo = _mm_and_si128(x, low);
		__m128i n[2] = { _mm_unpacklo_epi8(hi, lo), _mm_unpackhi_epi8(hi, lo) };
		for (int k = 0; k < 2; k++) {
			__m128i c = _mm_add_epi8(_mm_add_epi8(n[k], zero),
			                         _mm_and_si128(_mm_cmpgt_epi8(n[k], nine), gap));
			__m128i f = _mm_loadu_si128((const __m128i *)(const void *)(field + 32 * half + 16 * k));
			same &= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, f)) | 0xffff0000u;
		}
	}
	return same == 0xffffffffu;
#else
	char hex[OA_SHA256_HEX_LEN + 1];

	oa_sha256_hex(d, hex);
	return memcmp(hex, field, OA_SHA256_HEX_LEN) == 0;
#endif
}

/* Whether LINE[0..len) ends with a comma and 64 characters. */
static int
shaped(const char *line, size_t len)
{
	return len >= OA_SHA256_HEX_LEN + 1 && line[len - OA_SHA256_HEX_LEN - 1] == ',';
}

/* C, advanced to the record whose chain value is the 64 characters at PREV, the Nth. */
static void
advance(oa_chain *c, const char *prev, long records)
{
	if (prev != c->last)
		memcpy(c->last, prev, OA_SHA256_HEX_LEN);
	c->last[OA_SHA256_HEX_LEN] = '\0';
	c->records = records;
}

/* Records hashed in one call to oa_sha256_digest_many. */
enum { RUN_MAX = 64 };

size_t
oa_chain_verify_run(oa_chain *c, const char *const *line, const size_t *len, size_t n,
                    oa_chain_result *bad)
{
	const char *prev = c->last;
	long base = c->records;
	size_t i = 0;

	while (i < n) {
		/* The well-shaped records from i, hashed together: each one's
		 * previous value is the chain field of the record before it. */
		size_t k = i;
		while (k < n && k - i < RUN_MAX && shaped(line[k], len[k]))
			k++;
		if (k > i) {
			oa_sha256_msg m[RUN_MAX];
			unsigned char d[RUN_MAX][OA_SHA256_LEN];
			size_t q = i;

			for (size_t r = i; r < k; r++)
				m[r - i] = (oa_sha256_msg){
					r == i ? prev : line[r - 1] + len[r - 1] - OA_SHA256_HEX_LEN,
					OA_SHA256_HEX_LEN, line[r], len[r] - OA_SHA256_HEX_LEN
				};
			oa_sha256_digest_many(m, k - i, d);
			while (q < k && is_hex_of(d[q - i], line[q] + len[q] - OA_SHA256_HEX_LEN))
				q++;
			if (q > i)
				prev = line[q - 1] + len[q - 1] - OA_SHA256_HEX_LEN;
			i = q;
			if (q == k)
				continue; /* all hold: the next run, or a record not shaped */
		}
		/* Record i does not hold, or is not shaped: the one-record check says how. */
		advance(c, prev, base + (long)i);
		oa_chain_result r = oa_chain_verify(c, line[i], len[i], NULL);
		if (r != OA_CHAIN_OK) {
			*bad = r;
			return i;
		}
		prev = c->last;
		i++;
	}
	advance(c, prev, base + (long)n);
	*bad = OA_CHAIN_OK;
	return n;
}
