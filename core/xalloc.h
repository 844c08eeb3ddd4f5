/* Allocation that cannot fail: on exhaustion the process prints
 * "terrain: out of memory" and exits with status 1 (as git's xmalloc does).
 * Every other error goes through struct error; running out of memory is
 * the one condition no caller can do anything useful about. */
#ifndef TERRAIN_XALLOC_H
#define TERRAIN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n); /* returned owned; free with free() */
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s); /* returned owned; free with free() */
char *xstrndup(const char *s, size_t n);

/* Grow the array x (of *alloc elements) so that it holds at least nr
 * elements: for the v / n / alloc pattern. */
#define ALLOC_GROW(x, nr, alloc)                                               \
	do {                                                                   \
		if ((nr) > (alloc)) {                                          \
			size_t alloc_grow_n_ = (alloc) < 8 ? 16 : (alloc)*2;   \
			if (alloc_grow_n_ < (nr))                              \
				alloc_grow_n_ = (nr);                          \
			(x) = xreallocarray((x), alloc_grow_n_, sizeof(*(x))); \
			(alloc) = alloc_grow_n_;                               \
		}                                                              \
	} while (0)

void *xreallocarray(void *p, size_t nmemb, size_t size);
/* nmemb * size bytes; a product that overflows size_t is out of memory. */
void *xmallocarray(size_t nmemb, size_t size);
/* a * b; a product that overflows size_t is out of memory (a count of
 * cells to allocate). */
size_t xmul(size_t a, size_t b);

#endif
