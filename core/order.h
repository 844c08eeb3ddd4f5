/* Sorting numbers in linear time.
 *
 * order_doubles() ranks n doubles by value with a stable least-significant-
 * digit radix sort on their bits: equal values keep the data's order, as R's
 * order() and a stable comparison sort do, in O(n) instead of O(n log n).
 * -0.0 and 0.0 are equal (as == says); NaN must not occur (callers leave
 * those units out). */
#ifndef TERRAIN_ORDER_H
#define TERRAIN_ORDER_H

#include <stddef.h>
#include <stdint.h>

/* idx (n entries, caller's) receives the positions 0..n-1 of x ordered by
 * x[idx[j]], ties by position.  x is borrowed and left unchanged. */
void order_doubles(const double *x, size_t n, size_t *idx);

/* idx (n entries, caller's) receives 0..n-1 ordered by key[idx[j]], ties
 * by position.  key is borrowed and left unchanged. */
void order_keys(const uint64_t *key, size_t n, size_t *idx);

/* x (n entries) sorted in place, ascending (the same values as qsort with
 * a < comparison, found in linear time). */
void order_sort_doubles(double *x, size_t n);

#endif
