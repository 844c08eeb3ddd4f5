#include "comtable.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void comtable_init(struct comtable *t, const struct geo *g, const char *const *vars, size_t nvar)
{
	memset(t, 0, sizeof(*t));
	t->nrow = g->ncom;
	t->nvar = nvar;
	t->var = xcalloc(nvar ? nvar : 1, sizeof(*t->var));
	for (size_t i = 0; i < nvar; i++)
		t->var[i] = xstrdup(vars[i]);
	size_t n = t->nrow * nvar;
	if (nvar && n / nvar != t->nrow)
		n = (size_t)-1; /* xreallocarray reports the overflow */
	t->v = xreallocarray(NULL, n ? n : 1, sizeof(*t->v));
	for (size_t i = 0; i < n; i++)
		t->v[i] = NAN;
}

void comtable_release(struct comtable *t)
{
	for (size_t i = 0; i < t->nvar; i++)
		free(t->var[i]);
	free(t->var);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

size_t comtable_var(const struct comtable *t, const char *name)
{
	for (size_t i = 0; i < t->nvar; i++)
		if (!strcmp(t->var[i], name))
			return i;
	return (size_t)-1;
}

void comtable_add(struct comtable *t, size_t row, size_t var, double x)
{
	double *cell = &t->v[row * t->nvar + var];
	*cell = isnan(*cell) ? x : *cell + x;
}

void comtable_rollup_arm(struct comtable *t, const struct geo *g)
{
	double *sum = xcalloc(t->nrow ? t->nrow : 1, sizeof(*sum));
	unsigned char *state = xcalloc(t->nrow ? t->nrow : 1, 1); /* 1 has arms, 2 one missing */
	for (size_t k = 0; k < t->nvar; k++) {
		memset(state, 0, t->nrow);
		for (size_t i = 0; i < t->nrow; i++)
			sum[i] = 0;
		for (size_t i = 0; i < t->nrow; i++) {
			if (g->com[i].kind != GEO_ARM)
				continue;
			size_t city = g->com[i].city;
			double x = comtable_get(t, i, k);
			if (isnan(x))
				state[city] = 2;
			else if (state[city] != 2)
				state[city] = 1, sum[city] += x;
		}
		for (size_t i = 0; i < t->nrow; i++)
			/* a city with a value of its own keeps it */
			if (state[i] == 1 && isnan(comtable_get(t, i, k)))
				t->v[i * t->nvar + k] = sum[i];
	}
	free(sum);
	free(state);
}
