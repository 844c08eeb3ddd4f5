#include "qpv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void qpv_list_init(struct qpv_list *q)
{
	memset(q, 0, sizeof(*q));
}

void qpv_list_release(struct qpv_list *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->v[i].name);
	free(q->v);
	qpv_list_init(q);
}

void qpv_list_add(struct qpv_list *q, const char *code, const char *name, const char *commune)
{
	ALLOC_GROW(q->v, q->n + 1, q->alloc);
	struct qpv_row *r = &q->v[q->n++];
	snprintf(r->code, sizeof(r->code), "%s", code);
	snprintf(r->commune, sizeof(r->commune), "%s", commune);
	r->name = xstrdup(name);
}

static int cmp_row(const void *a, const void *b)
{
	const struct qpv_row *x = a, *y = b;
	int c = strcmp(x->commune, y->commune);
	return c ? c : strcmp(x->code, y->code);
}

void qpv_list_sort(struct qpv_list *q)
{
	if (q->n)
		qsort(q->v, q->n, sizeof(*q->v), cmp_row);
}

/* The first pair of commune, or q->n. */
static size_t first_of(const struct qpv_list *q, const char *commune)
{
	size_t lo = 0, hi = q->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(q->v[mid].commune, commune) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct hit {
	const char *code; /* borrowed from the list */
	size_t row;
};

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

size_t qpv_in_territory(const struct qpv_list *q, const struct geo *g, const struct territory *t,
			size_t **out)
{
	size_t *u, nu = territory_units(g, t, &u), n = 0, alloc = 0, m = 0;
	struct hit *h = NULL;
	for (size_t k = 0; k < nu; k++) {
		const struct geo_commune *c = &g->com[u[k]];
		for (size_t i = first_of(q, c->code); i < q->n && !strcmp(q->v[i].commune, c->code);
		     i++) {
			ALLOC_GROW(h, n + 1, alloc);
			h[n++] = (struct hit){q->v[i].code, i};
		}
	}
	free(u);
	if (n)
		qsort(h, n, sizeof(*h), cmp_hit);
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t k = 0; k < n; k++) /* a QPV over several communes of t once */
		if (!m || strcmp(h[k - 1].code, h[k].code))
			(*out)[m++] = h[k].row;
	free(h);
	return m;
}

size_t qpv_find(const struct qpv_list *q, const char *code)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->v[i].code, code))
			return i;
	return GEO_NONE;
}
