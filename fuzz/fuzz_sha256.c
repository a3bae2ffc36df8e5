/*
 * fuzz_sha256.c - libFuzzer target for SHA-256 over many messages at once
 * (oa_sha256_digest_many: AVX-512's sixteen lanes where the CPU has them,
 * else pairs on the SHA extensions) and two at once (oa_sha256_digest2).
 *
 * The input is cut into up to 40 messages: each takes a length byte (times
 * 5, so lengths up to 1275 and past a lane's 32 blocks with the rest), a
 * head length byte, then its bytes.  Checks: every digest equals the one
 * the portable code gives for that message alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

enum { MAX = 40 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	oa_sha256_msg m[MAX];
	unsigned char want[MAX][OA_SHA256_LEN], got[MAX][OA_SHA256_LEN];
	size_t n = 0, at = 0;
	int mode = oa_sha256_accelerated(-1);

	while (n < MAX && at + 2 <= size) {
		size_t len = (size_t)data[at] * 5, head = data[at + 1];
		at += 2;
		if (len > size - at)
			len = size - at;
		if (head > len)
			head = len;
		m[n] = (oa_sha256_msg){ data + at, head, data + at + head, len - head };
		oa_sha256_accelerated(0);
		oa_sha256_digest(data + at, len, want[n]);
		oa_sha256_accelerated(mode);
		at += len;
		n++;
	}
	oa_sha256_digest_many(m, n, got);
	for (size_t i = 0; i < n; i++)
		if (memcmp(got[i], want[i], OA_SHA256_LEN) != 0)
			abort();
	for (size_t i = 0; i + 1 < n; i += 2) {
		oa_sha256_digest2(m + i, got + i);
		if (memcmp(got[i], want[i], OA_SHA256_LEN) != 0 ||
		    memcmp(got[i + 1], want[i + 1], OA_SHA256_LEN) != 0)
			abort();
	}
	return 0;
}
