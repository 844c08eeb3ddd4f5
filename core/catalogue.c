#include "catalogue.h"

#include <stdlib.h>
#include <string.h>

static const char *const themes[THEME_COUNT][3] = {
    {"employment", "emploi", "employment"},
    {"income_poverty", "revenus et pauvreté", "income and poverty"},
    {"youth", "jeunesse", "young people"},
    {"ageing", "vieillissement", "ageing"},
    {"families", "familles", "families"},
    {"education", "formation", "education and training"},
    {"housing", "logement", "housing"},
    {"demography", "démographie", "demography"},
};

const char *const catalogue_kind_ids[INDICATOR_KIND_COUNT] = {"count", "ratio", "growth", "rate"};

const char *catalogue_theme_id(enum indicator_theme t)
{
	return themes[t][0];
}

const char *catalogue_theme_name(enum indicator_theme t, bool en)
{
	return themes[t][en ? 2 : 1];
}

int catalogue_theme_find(const char *id)
{
	for (int t = 0; t < THEME_COUNT; t++)
		if (!strcmp(id, themes[t][0]))
			return t;
	return -1;
}

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
		free(d->source_fr);
		free(d->source_en);
		free(d->note_fr);
		free(d->note_en);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->alloc = 0;
}
