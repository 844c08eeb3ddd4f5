#include "mapdata.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static void add_dep(struct mapdata *m, const char *dep)
{
	for (size_t i = 0; i < m->ndep; i++)
		if (!strcmp(m->dep[i], dep))
			return;
	m->dep = xreallocarray(m->dep, m->ndep + 1, sizeof(*m->dep));
	snprintf(m->dep[m->ndep++], sizeof(m->dep[0]), "%s", dep);
}

/* The communes of commune c's zone d'emploi, sorted; 0 when z has none. */
static size_t ze_members(const struct geo *g, const struct geo_zonages *z, size_t c, size_t **out,
			 const char **name)
{
	*out = NULL;
	size_t row = z ? geo_zonages_find(z, g->com[c].code) : GEO_NONE;
	if (row == GEO_NONE || z->row[row].zone[GEO_ZE] == GEO_NONE)
		return 0;
	size_t ze = z->row[row].zone[GEO_ZE], n = 0;
	*name = z->zone[GEO_ZE][ze].name;
	for (size_t r = 0; r < z->nrow; r++) {
		if (z->row[r].zone[GEO_ZE] != ze)
			continue;
		size_t i = geo_commune_find(g, z->row[r].code);
		if (i == GEO_NONE || g->com[i].kind != GEO_COM)
			continue; /* an arrondissement: its city is there */
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		(*out)[n++] = i;
	}
	if (n)
		qsort(*out, n, sizeof(**out), cmp_size);
	return n;
}

enum status mapdata_units(const struct geo *g, const struct geo_zonages *z,
			  const struct territory *t, struct mapdata *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->outlined = GEO_NONE;
	out->frame = MAPDATA_SELF;
	size_t self = GEO_NONE;
	if (t->type == TERRITORY_COM || t->type == TERRITORY_ARM) {
		self = t->type == TERRITORY_ARM ? g->com[t->index].city : t->index;
		if (self == GEO_NONE)
			return error_set(err, TERRAIN_ENOTFOUND, "no map for %s: no city", t->code);
		size_t epci = g->com[self].epci;
		if (epci != GEO_NONE) {
			struct territory e;
			territory_of_epci(g, epci, &e);
			out->n = territory_members(g, &e, &out->unit);
			out->frame = MAPDATA_EPCI;
			out->frame_name = g->epci[epci].name;
		}
		if (out->n < MAPDATA_MIN_EPCI) {
			size_t *ze;
			const char *name = NULL;
			size_t n = ze_members(g, z, self, &ze, &name);
			if (n > out->n) {
				free(out->unit);
				out->unit = ze;
				out->n = n;
				out->frame = MAPDATA_ZE;
				out->frame_name = name;
			} else
				free(ze);
		}
	} else if (t->type == TERRITORY_REG) {
		out->deps = true;
		for (size_t d = 0; d < g->ndep; d++) {
			if (g->dep[d].reg_index != t->index)
				continue;
			out->unit = xreallocarray(out->unit, out->n + 1, sizeof(*out->unit));
			out->unit[out->n++] = d;
			add_dep(out, g->dep[d].code);
		}
	} else if (t->type != TERRITORY_FR) {
		out->n = territory_members(g, t, &out->unit);
	}
	if (!out->n) {
		mapdata_release(out);
		return error_set(err, TERRAIN_ENOTFOUND, "no map for %s: no communes to draw",
				 t->code);
	}
	if (!out->deps)
		for (size_t i = 0; i < out->n; i++) {
			if (out->unit[i] == self)
				out->outlined = i;
			add_dep(out, g->com[out->unit[i]].dep);
		}
	return TERRAIN_OK;
}

void mapdata_release(struct mapdata *m)
{
	free(m->unit);
	free(m->dep);
	memset(m, 0, sizeof(*m));
	m->outlined = GEO_NONE;
}

void mapdata_values(const struct indicators_input *in, const struct indicator_def *def,
		    const struct mapdata *m, double *value, enum mapdata_status *status)
{
	/* one indicator: a catalogue of one entry, borrowed */
	struct catalogue one = {(struct indicator_def *)(uintptr_t)def, 1, 1};
	for (size_t i = 0; i < m->n; i++) {
		struct territory t;
		struct indicator_value v = {0};
		if (m->deps)
			territory_of_dep(in->geo, m->unit[i], &t);
		else
			territory_of_commune(in->geo, m->unit[i], &t);
		indicators_compute(in, &one, &t, &v);
		value[i] = v.value;
		if (!isnan(v.value))
			status[i] = MAPDATA_VALUE;
		else if (v.status == OBS_SECRET || (v.why && !strcmp(v.why, "statistical secrecy")))
			status[i] = MAPDATA_SECRET;
		else
			status[i] = MAPDATA_MISSING;
	}
}

bool mapdata_has_commune(const struct geo *g, const struct mapdata *m, const char *communes)
{
	if (m->deps)
		return false;
	const char *p = communes;
	while (*p) {
		char code[8];
		size_t len = strcspn(p, ",");
		if (len < sizeof(code)) {
			memcpy(code, p, len);
			code[len] = 0;
			size_t i = geo_convert(g, code, NULL);
			if (i != GEO_NONE && g->com[i].kind == GEO_ARM)
				i = g->com[i].city;
			if (i != GEO_NONE && bsearch(&i, m->unit, m->n, sizeof(*m->unit), cmp_size))
				return true;
		}
		p += len + (p[len] == ',');
	}
	return false;
}
