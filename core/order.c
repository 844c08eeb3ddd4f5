#include "order.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define DIGIT_BITS 16
#define DIGITS	   (64 / DIGIT_BITS)
#define RADIX	   ((size_t)1 << DIGIT_BITS)

/* A key whose unsigned order is the doubles' order: negative numbers have
 * every bit flipped, the others only their sign bit. */
static uint64_t key_of(double x)
{
	uint64_t u;
	if (x == 0)
		x = 0.0; /* -0.0 ties with 0.0 */
	memcpy(&u, &x, sizeof(u));
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

/* Stable LSD radix sort of (key, payload) pairs: DIGITS passes of counting
 * sort, skipping a digit every key shares (the high digits of numbers of
 * one magnitude, most of the time). */
static void radix(uint64_t *key, size_t *pay, size_t n)
{
	uint64_t *k2 = xmalloc((n ? n : 1) * sizeof(*k2));
	size_t *p2 = xmalloc((n ? n : 1) * sizeof(*p2));
	size_t *count = xmalloc(RADIX * sizeof(*count));
	for (unsigned d = 0; d < DIGITS; d++) {
		unsigned shift = d * DIGIT_BITS;
		memset(count, 0, RADIX * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(key[i] >> shift) & (RADIX - 1)]++;
		if (n && count[(key[0] >> shift) & (RADIX - 1)] == n)
			continue;
		size_t sum = 0;
		for (size_t b = 0; b < RADIX; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = count[(key[i] >> shift) & (RADIX - 1)]++;
			k2[at] = key[i];
			p2[at] = pay[i];
		}
		memcpy(key, k2, n * sizeof(*key));
		memcpy(pay, p2, n * sizeof(*pay));
	}
	free(k2);
	free(p2);
	free(count);
}

void order_doubles(const double *x, size_t n, size_t *idx)
{
	uint64_t *key = xmalloc((n ? n : 1) * sizeof(*key));
	for (size_t i = 0; i < n; i++) {
		key[i] = key_of(x[i]);
		idx[i] = i;
	}
	radix(key, idx, n);
	free(key);
}

void order_keys(const uint64_t *key, size_t n, size_t *idx)
{
	uint64_t *k = xmalloc((n ? n : 1) * sizeof(*k));
	memcpy(k, key, n * sizeof(*k));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	radix(k, idx, n);
	free(k);
}

void order_sort_doubles(double *x, size_t n)
{
	size_t *idx = xmalloc((n ? n : 1) * sizeof(*idx));
	double *v = xmalloc((n ? n : 1) * sizeof(*v));
	order_doubles(x, n, idx);
	for (size_t i = 0; i < n; i++)
		v[i] = x[idx[i]];
	memcpy(x, v, n * sizeof(*x));
	free(idx);
	free(v);
}
