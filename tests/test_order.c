/* core/order.c: the linear-time ordering of numbers, against a hand-ordered
 * case and against qsort with an explicit position tie-break (a stable
 * comparison sort, the reference), on data with many ties. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/order.h"
#include "helpers.h"

struct ref {
	double x;
	size_t at;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct ref *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->at < q->at ? -1 : p->at > q->at;
}

/* Ordered by hand: -0.0 ties with 0.0 and keeps its place after it. */
static void test_order_by_hand(void)
{
	const double x[] = {3, -1, 0.0, -0.0, 3, 2.5, -1e300, 1e-300, 3};
	const size_t want[] = {6, 1, 2, 3, 7, 5, 0, 4, 8};
	size_t idx[9];
	order_doubles(x, 9, idx);
	for (size_t i = 0; i < 9; i++)
		CU_ASSERT_EQUAL(idx[i], want[i]);
	order_doubles(x, 0, idx); /* nothing to order: no access */
}

/* 200 000 values of few distinct numbers of both signs: the same order as
 * the stable reference, and the sorted values those of qsort. */
static void test_order_matches_stable_sort(void)
{
	size_t n = 200000;
	double *x = malloc(n * sizeof(double)), *s = malloc(n * sizeof(double));
	size_t *idx = malloc(n * sizeof(size_t));
	struct ref *r = malloc(n * sizeof(*r));
	uint64_t seed = 12345;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		double v = (double)((seed >> 33) % 97) / 8.0 - 6;
		if ((seed >> 20) % 50 == 0)
			v *= 1e200;
		x[i] = v;
		r[i].x = v;
		r[i].at = i;
	}
	memcpy(s, x, n * sizeof(double));
	order_doubles(x, n, idx);
	qsort(r, n, sizeof(*r), cmp_ref);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += idx[i] != r[i].at;
	CU_ASSERT_EQUAL(bad, 0);
	order_sort_doubles(s, n);
	bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += s[i] != r[i].x;
	CU_ASSERT_EQUAL(bad, 0);
	free(x);
	free(s);
	free(idx);
	free(r);
}

/* Unsigned keys over the whole 64-bit range, ties by position. */
static void test_order_keys(void)
{
	const uint64_t k[] = {UINT64_MAX, 0, (uint64_t)1 << 40, 5, 0, (uint64_t)1 << 63, 5};
	const size_t want[] = {1, 4, 3, 6, 2, 5, 0};
	size_t idx[7];
	order_keys(k, 7, idx);
	for (size_t i = 0; i < 7; i++)
		CU_ASSERT_EQUAL(idx[i], want[i]);
}

void suite_order(void)
{
	CU_pSuite s = CU_add_suite("order", NULL, NULL);
	ADD_TEST(s, test_order_by_hand);
	ADD_TEST(s, test_order_matches_stable_sort);
	ADD_TEST(s, test_order_keys);
}
