#include "shape.h"

#include <stdlib.h>
#include <string.h>

void shapes_init(struct shapes *s)
{
	memset(s, 0, sizeof(*s));
}

void shapes_release(struct shapes *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].parts);
	free(s->v);
	free(s->ring);
	free(s->xy);
	memset(s, 0, sizeof(*s));
}

static int cmp_shape(const void *a, const void *b)
{
	return strcmp(((const struct shape *)a)->code, ((const struct shape *)b)->code);
}

void shapes_sort(struct shapes *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_shape);
	s->sorted = 1;
}

const struct shape *shapes_find(const struct shapes *s, const char *code)
{
	struct shape key;
	if (!s->n || strlen(code) >= sizeof(key.code))
		return NULL;
	strcpy(key.code, code);
	return bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_shape);
}
