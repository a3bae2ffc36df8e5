/*
 * test_chain.c - SHA-256 against the FIPS 180-4 / NIST example vectors
 * ("abc", the empty message, the 448-bit message, a million 'a', fed in
 * pieces of every size) and the journal hash chain (chain.h): sealing then
 * verifying, and every kind of damage found at the right record.  Chain
 * values are checked against SHA-256 computed independently of chain.c.
 * The SHA-256 vectors run twice, on the portable code and on the x86 SHA
 * extensions when the CPU has them, and the two agree on random inputs.
 * Two messages hashed at once (oa_sha256_digest2) and a run of records
 * verified in pairs (oa_chain_verify_run) agree with the one-by-one calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "sha256.h"

static void
hex_of(const void *data, size_t len, char out[65])
{
	unsigned char d[32];

	oa_sha256_digest(data, len, d);
	oa_sha256_hex(d, out);
}

static void
test_sha256_vectors(void **state)
{
	char hex[65];
	static const char two_block[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char four_block[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
		"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	(void)state;
	hex_of("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of(two_block, strlen(two_block), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	hex_of(four_block, strlen(four_block), hex);
	assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void
test_sha256_million_a(void **state)
{
	static const char expect[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *a = malloc(1000000);
	unsigned char d[32];
	char hex[65];
	oa_sha256 c;

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	hex_of(a, 1000000, hex);
	assert_string_equal(hex, expect);
	/* The same message in pieces of every length from 1 to 130 bytes. */
	oa_sha256_init(&c);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 130 + 1)
		oa_sha256_update(&c, a + off, off + step > 1000000 ? 1000000 - off : step);
	oa_sha256_final(&c, d);
	oa_sha256_hex(d, hex);
	assert_string_equal(hex, expect);
	free(a);
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes) agree streamed and whole. */
static void
test_sha256_boundaries(void **state)
{
	char buf[200], h1[65], h2[65];
	unsigned char d[32];
	oa_sha256 c;

	(void)state;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)('a' + i % 26);
	for (size_t len = 0; len <= sizeof buf; len++) {
		hex_of(buf, len, h1);
		oa_sha256_init(&c);
		for (size_t i = 0; i < len; i++)
			oa_sha256_update(&c, buf + i, 1);
		oa_sha256_final(&c, d);
		oa_sha256_hex(d, h2);
		assert_string_equal(h1, h2);
	}
	/* 56 bytes of 'a' (needs a second padding block), from sha256sum. */
	hex_of(buf, 0, h1);
	memset(buf, 'a', 56);
	hex_of(buf, 56, h1);
	assert_string_equal(h1, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
}

/* Group setups: the portable code, then the SHA extensions if present. */
static int
use_portable(void **state)
{
	(void)state;
	return oa_sha256_accelerated(0) == 0 ? 0 : -1;
}

static int
use_accel(void **state)
{
	(void)state;
	oa_sha256_accelerated(1);
	return 0;
}

/* AVX-512's sixteen lanes for many messages, where the CPU has them. */
static int
use_avx512(void **state)
{
	(void)state;
	oa_sha256_accelerated(OA_SHA256_SHANI | OA_SHA256_AVX512);
	return 0;
}

/* On x86 Linux the extensions are used exactly when the kernel reports
 * sha_ni (and sse4_1) in /proc/cpuinfo; elsewhere, whatever the library says. */
static void
test_sha256_dispatch(void **state)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	int sha = 0, sse41 = 0, avx512 = 0;

	(void)state;
	assert_int_equal(oa_sha256_accelerated(0), 0);
#if !defined(__x86_64__) && !defined(__i386__)
	assert_int_equal(oa_sha256_accelerated(1), 0);
#endif
	if (f != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			if (strncmp(line, "flags", 5) == 0) {
				sha = strstr(line, " sha_ni") != NULL;
				sse41 = strstr(line, " sse4_1") != NULL;
				avx512 = strstr(line, " avx512f") != NULL && strstr(line, " avx512bw") != NULL;
				break;
			}
		fclose(f);
#if defined(__x86_64__) || defined(__i386__)
		assert_int_equal(oa_sha256_accelerated(1), sha && sse41);
		assert_int_equal(oa_sha256_accelerated(OA_SHA256_AVX512), avx512 ? OA_SHA256_AVX512 : 0);
		assert_int_equal(oa_sha256_accelerated(3), (sha && sse41 ? 1 : 0) | (avx512 ? 2 : 0));
#endif
	}
	if (!oa_sha256_accelerated(1))
		print_message("note: no SHA extensions here, only the portable code tested\n");
	if (!(oa_sha256_accelerated(OA_SHA256_AVX512) & OA_SHA256_AVX512))
		print_message("note: no AVX-512 here, its sixteen lanes not tested\n");
}

static const char header_rnd[] = "seq,when,tag,event,chain";

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random messages of 0 to 5000 bytes: the portable code in one call against
 * the accelerated code fed in random pieces (single blocks, many blocks at
 * once, partial blocks), and the chain of 256-byte records the journals use.
 */
static void
test_sha256_accel_agrees(void **state)
{
	static unsigned char buf[5000];
	unsigned char d1[32], d2[32];
	oa_sha256 c;

	(void)state;
	if (!oa_sha256_accelerated(1))
		skip();
	for (int n = 0; n < 3000; n++) {
		size_t len = n < 300 ? (size_t)n : (size_t)(rng() % sizeof buf);

		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)rng();
		oa_sha256_accelerated(0);
		oa_sha256_digest(buf, len, d1);
		oa_sha256_accelerated(1);
		oa_sha256_init(&c);
		for (size_t off = 0; off < len;) {
			size_t step = (size_t)(rng() % 300) + 1;

			if (step > len - off)
				step = len - off;
			oa_sha256_update(&c, buf + off, step);
			off += step;
		}
		oa_sha256_final(&c, d2);
		assert_memory_equal(d1, d2, 32);
	}
	{
		char a[65], b[65];
		oa_chain ca, cb;

		oa_sha256_accelerated(0);
		oa_chain_init(&ca, header_rnd, strlen(header_rnd));
		oa_sha256_accelerated(1);
		oa_chain_init(&cb, header_rnd, strlen(header_rnd));
		assert_string_equal(ca.last, cb.last);
		for (int n = 0; n < 1000; n++) {
			size_t len = 1 + (size_t)(rng() % 256);

			for (size_t i = 0; i < len; i++)
				buf[i] = (unsigned char)('a' + rng() % 26);
			oa_sha256_accelerated(0);
			oa_chain_seal(&ca, (const char *)buf, len, a);
			oa_sha256_accelerated(1);
			oa_chain_seal(&cb, (const char *)buf, len, b);
			assert_string_equal(a, b);
		}
	}
}

static const char header[] = "seq,name,chain";

static void
seal_line(oa_chain *c, const char *body, char *out, size_t cap)
{
	char hex[65];

	oa_chain_seal(c, body, strlen(body), hex);
	snprintf(out, cap, "%s%s", body, hex);
}

static void
test_chain_seal_verify(void **state)
{
	oa_chain w, r;
	char lines[3][160], seed[65], want[65], buf[256];
	const char *bodies[3] = { "1,甲,", "2,\"b,c\",", "3,,", };
	size_t body_len;

	(void)state;
	oa_chain_init(&w, header, strlen(header));
	hex_of(header, strlen(header), seed);
	assert_string_equal(w.last, seed);
	for (int i = 0; i < 3; i++)
		seal_line(&w, bodies[i], lines[i], sizeof lines[i]);
	/* chain_1 = SHA-256(seed-hex || body_1), computed here by hand. */
	snprintf(buf, sizeof buf, "%s%s", seed, bodies[0]);
	hex_of(buf, strlen(buf), want);
	assert_string_equal(lines[0] + strlen(bodies[0]), want);
	assert_int_equal(w.records, 3);

	oa_chain_init(&r, header, strlen(header));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(oa_chain_verify(&r, lines[i], strlen(lines[i]), &body_len),
		                 OA_CHAIN_OK);
		assert_int_equal(body_len, strlen(bodies[i]) - 1);
	}
	assert_string_equal(r.last, w.last);
	assert_int_equal(r.records, 3);
}

static void
test_chain_damage(void **state)
{
	oa_chain w, r;
	char lines[3][160], copy[160];
	const char *bodies[3] = { "1,alpha,", "2,beta,", "3,gamma,", };

	(void)state;
	oa_chain_init(&w, header, strlen(header));
	for (int i = 0; i < 3; i++)
		seal_line(&w, bodies[i], lines[i], sizeof lines[i]);

	/* Every single bit flipped in record 2 is found at record 2. */
	for (size_t pos = 0; pos < strlen(lines[1]); pos++) {
		for (int bit = 0; bit < 8; bit++) {
			oa_chain_result res;

			oa_chain_init(&r, header, strlen(header));
			assert_int_equal(oa_chain_verify(&r, lines[0], strlen(lines[0]), NULL),
			                 OA_CHAIN_OK);
			strcpy(copy, lines[1]);
			copy[pos] ^= (char)(1 << bit);
			res = oa_chain_verify(&r, copy, strlen(copy), NULL);
			assert_int_not_equal(res, OA_CHAIN_OK);
			assert_int_equal(r.records, 1); /* not advanced */
		}
	}
	/* A removed record breaks the chain at the next one. */
	oa_chain_init(&r, header, strlen(header));
	assert_int_equal(oa_chain_verify(&r, lines[0], strlen(lines[0]), NULL), OA_CHAIN_OK);
	assert_int_equal(oa_chain_verify(&r, lines[2], strlen(lines[2]), NULL), OA_CHAIN_MISMATCH);
	/* Another header is another seed. */
	oa_chain_init(&r, "seq,nom,chain", 13);
	assert_int_equal(oa_chain_verify(&r, lines[0], strlen(lines[0]), NULL), OA_CHAIN_MISMATCH);
	/* Malformed: no chain field, upper-case hex, too short. */
	oa_chain_init(&r, header, strlen(header));
	assert_int_equal(oa_chain_verify(&r, "1,alpha", 7, NULL), OA_CHAIN_MALFORMED);
	strcpy(copy, lines[0]);
	copy[strlen(copy) - 1] = 'A';
	assert_int_equal(oa_chain_verify(&r, copy, strlen(copy), NULL), OA_CHAIN_MALFORMED);
	assert_int_equal(oa_chain_verify(&r, "", 0, NULL), OA_CHAIN_MALFORMED);
	assert_int_equal(oa_chain_field_offset(strlen(lines[0])), strlen(bodies[0]));
}

/*
 * oa_sha256_digest2 gives, for two messages of every pair of lengths 0..300
 * (so every block count from 1 to 6, equal and unequal, and both pieces
 * empty or not), the digests oa_sha256_digest gives for each alone.
 */
static void
test_sha256_pairs(void **state)
{
	unsigned char data[600], got[2][32], want[32];

	(void)state;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (size_t a = 0; a <= 300; a += 7) {
		for (size_t b = 0; b <= 300; b += 11) {
			size_t ha = a / 3, hb = b / 2;
			oa_sha256_msg m[2] = {
				{ data, ha, data + ha, a - ha },
				{ data + 300, hb, data + 300 + hb, b - hb },
			};
			oa_sha256_digest2(m, got);
			oa_sha256_digest(data, a, want);
			assert_memory_equal(got[0], want, 32);
			oa_sha256_digest(data + 300, b, want);
			assert_memory_equal(got[1], want, 32);
		}
	}
	/* A head of one or two whole blocks (a chain value is 64 bytes), with
	 * bodies of every length up to 300, so the padding falls everywhere. */
	for (size_t head = 64; head <= 128; head += 64) {
		for (size_t b = 0; b <= 300; b++) {
			oa_sha256_msg m[2] = {
				{ data + 5, head, data + 200, b },
				{ data + 7, head, data + 100, 300 - b },
			};
			unsigned char whole[2][600];
			memcpy(whole[0], data + 5, head);
			memcpy(whole[0] + head, data + 200, b);
			memcpy(whole[1], data + 7, head);
			memcpy(whole[1] + head, data + 100, 300 - b);
			oa_sha256_digest2(m, got);
			oa_sha256_digest(whole[0], head + b, want);
			assert_memory_equal(got[0], want, 32);
			oa_sha256_digest(whole[1], head + 300 - b, want);
			assert_memory_equal(got[1], want, 32);
		}
	}
	/* The first NIST vector, as the second of a pair. */
	oa_sha256_msg abc[2] = { { "", 0, "", 0 }, { "a", 1, "bc", 2 } };
	char hex[65];
	oa_sha256_digest2(abc, got);
	oa_sha256_hex(got[1], hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	oa_sha256_hex(got[0], hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/*
 * oa_chain_verify_run over runs of 0 to 70 records (odd and even, fewer
 * and more than the sixteen lanes and the 64 hashed in one call, so the
 * last ones are checked alone, in a pair or in part-filled lanes; bodies
 * of one to five blocks and one of 37, more than a lane takes) agrees with
 * oa_chain_verify one by one: all hold; and with any one record damaged (a
 * bit flipped in its body or its chain field, or the field cut), the run
 * stops at that record with the result oa_chain_verify gives, the chain
 * advanced past the ones before it.
 */
static void
test_chain_verify_run(void **state)
{
	enum { N = 70, LONG = 20, CAP = 2600 };
	static char lines[N][CAP], copy[N][CAP], body[CAP];
	oa_chain w, r, one;
	const char *lp[N];
	size_t len[N];
	oa_chain_result res;

	(void)state;
	oa_chain_init(&w, header, strlen(header));
	for (int i = 0; i < N; i++) {
		int pad = i == LONG ? 2300 : i % 5 * 50;
		snprintf(body, sizeof body, "%d,记录%d%*s,\"a,\"\"b\"\"\",", i + 1, i * 37, pad, "");
		seal_line(&w, body, lines[i], sizeof lines[i]);
	}
	for (size_t n = 0; n <= N; n++) {
		for (size_t i = 0; i < n; i++) {
			lp[i] = lines[i];
			len[i] = strlen(lines[i]);
		}
		oa_chain_init(&r, header, strlen(header));
		assert_int_equal(oa_chain_verify_run(&r, lp, len, n, &res), n);
		assert_int_equal(res, OA_CHAIN_OK);
		assert_int_equal(r.records, (long)n);
		oa_chain_init(&one, header, strlen(header));
		for (size_t i = 0; i < n; i++)
			assert_int_equal(oa_chain_verify(&one, lines[i], strlen(lines[i]), NULL), OA_CHAIN_OK);
		assert_string_equal(r.last, one.last);
	}
	for (int bad = 0; bad < N; bad++) {
		for (int how = 0; how < 3; how++) {
			for (int i = 0; i < N; i++) {
				strcpy(copy[i], lines[i]);
				lp[i] = copy[i];
				len[i] = strlen(copy[i]);
			}
			if (how == 0)
				copy[bad][0] ^= 1;                   /* the body */
			else if (how == 1)
				copy[bad][len[bad] - 1] ^= 1;        /* the chain field */
			else
				len[bad] -= 10;                      /* the field cut */
			oa_chain_init(&r, header, strlen(header));
			assert_int_equal(oa_chain_verify_run(&r, lp, len, N, &res), bad);
			assert_int_equal(r.records, bad);
			oa_chain_init(&one, header, strlen(header));
			for (int i = 0; i < bad; i++)
				assert_int_equal(oa_chain_verify(&one, lp[i], len[i], NULL), OA_CHAIN_OK);
			assert_string_equal(r.last, one.last);
			assert_int_equal(res, oa_chain_verify(&one, lp[bad], len[bad], NULL));
			assert_int_not_equal(res, OA_CHAIN_OK);
		}
	}
}

/*
 * oa_sha256_digest_many gives, for runs of 0 to 100 messages of random
 * lengths (0 to 300 bytes in two pieces; a head of 64 bytes, as a chain
 * value is, or of any length; now and then one of up to 5000 bytes, more
 * than a lane takes), the digests the portable code gives for each alone.
 */
static void
test_sha256_many(void **state)
{
	enum { MAX = 100 };
	static unsigned char data[MAX][5000], want[MAX][32], got[MAX][32];
	oa_sha256_msg m[MAX];
	int mode = oa_sha256_accelerated(-1);

	(void)state;
	for (size_t n = 0; n <= MAX; n += n < 40 ? 1 : 20) {
		for (size_t i = 0; i < n; i++) {
			size_t len = rng() % 23 == 0 ? (size_t)(rng() % 5000) : (size_t)(rng() % 301);
			size_t head = len >= 64 && rng() % 2 ? 64 : (size_t)rng() % (len + 1);
			for (size_t k = 0; k < len; k++)
				data[i][k] = (unsigned char)rng();
			m[i] = (oa_sha256_msg){ data[i], head, data[i] + head, len - head };
			oa_sha256_accelerated(0);
			oa_sha256_digest(data[i], len, want[i]);
			oa_sha256_accelerated(mode);
		}
		memset(got, 0, sizeof got);
		oa_sha256_digest_many(m, n, got);
		for (size_t i = 0; i < n; i++)
			assert_memory_equal(got[i], want[i], 32);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_dispatch),
		cmocka_unit_test_setup(test_sha256_vectors, use_portable),
		cmocka_unit_test_setup(test_sha256_million_a, use_portable),
		cmocka_unit_test_setup(test_sha256_boundaries, use_portable),
		cmocka_unit_test_setup(test_sha256_vectors, use_accel),
		cmocka_unit_test_setup(test_sha256_million_a, use_accel),
		cmocka_unit_test_setup(test_sha256_boundaries, use_accel),
		cmocka_unit_test_setup(test_sha256_accel_agrees, use_accel),
		cmocka_unit_test_setup(test_chain_seal_verify, use_accel),
		cmocka_unit_test(test_chain_damage),
		cmocka_unit_test_setup(test_sha256_pairs, use_portable),
		cmocka_unit_test_setup(test_sha256_pairs, use_accel),
		cmocka_unit_test_setup(test_chain_verify_run, use_portable),
		cmocka_unit_test_setup(test_chain_verify_run, use_accel),
		cmocka_unit_test_setup(test_chain_verify_run, use_avx512),
		cmocka_unit_test_setup(test_sha256_many, use_portable),
		cmocka_unit_test_setup(test_sha256_many, use_accel),
		cmocka_unit_test_setup(test_sha256_many, use_avx512),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
