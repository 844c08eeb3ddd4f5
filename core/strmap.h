/* A map from strings to sizes (open addressing, FNV-1a, at most half
 * full), for the parsers of untrusted input: looking a name up costs a few
 * probes whatever the number of names, so that a file of many columns,
 * variables or categories is read in time linear in its size (issue 18:
 * a linear search for every name made headers of 4 000 names cubic). */
#ifndef TERRAIN_STRMAP_H
#define TERRAIN_STRMAP_H

#include <stddef.h>

#define STRMAP_NONE ((size_t)-1)

struct strmap {
	char **key;  /* owned; NULL: a free slot */
	size_t *val; /* the value of each key */
	size_t cap, n;
};

#define STRMAP_INIT              \
	{                        \
		NULL, NULL, 0, 0 \
	}

/* The value of key, or STRMAP_NONE when it is absent. */
size_t strmap_get(const struct strmap *m, const char *key);

/* Set key's value (key is copied). */
void strmap_put(struct strmap *m, const char *key, size_t val);

void strmap_release(struct strmap *m);

/* The probes every map has made since the process started: the tests
 * count work with it, they never time it. */
size_t strmap_probes(void);

#endif
