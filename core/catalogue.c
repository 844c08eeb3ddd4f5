#include "catalogue.h"

#include <stdlib.h>
#include <string.h>

const struct indicator_def *catalogue_find(const struct catalogue *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].id, id))
			return &c->v[i];
	return NULL;
}

void catalogue_release(struct catalogue *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct indicator_def *d = &c->v[i];
		free(d->id);
		free(d->label_fr);
		free(d->label_en);
		free(d->numerator);
		free(d->denominator);
		free(d->unit);
		free(d->source);
		free(d->note_fr);
		free(d->note_en);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->alloc = 0;
}
