#include "margins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void margins_init(struct margins *m)
{
	memset(m, 0, sizeof(*m));
}

void margins_release(struct margins *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->m[i].target);
		free(m->m[i].cat_line);
	}
	free(m->m);
	free(m->file);
	margins_init(m);
}

const char *margin_name(const struct margin *g, const struct survey *s, char *buf, size_t cap)
{
	if (g->var2 == (size_t)-1)
		snprintf(buf, cap, "%s", s->var[g->var].name);
	else
		snprintf(buf, cap, "%s*%s", s->var[g->var].name, s->var[g->var2].name);
	return buf;
}

const char *margin_category(const struct margin *g, const struct survey *s, size_t k, bool label,
			    char *buf, size_t cap)
{
	const struct survey_var *a = &s->var[g->var];
	if (g->numeric) {
		snprintf(buf, cap, "%s", "");
	} else if (g->var2 == (size_t)-1) {
		snprintf(buf, cap, "%s", label ? a->cat[k].label : a->cat[k].code);
	} else {
		const struct survey_var *b = &s->var[g->var2];
		const struct survey_category *x = &a->cat[k / b->ncat], *y = &b->cat[k % b->ncat];
		snprintf(buf, cap, "%s*%s", label ? x->label : x->code, label ? y->label : y->code);
	}
	return buf;
}
