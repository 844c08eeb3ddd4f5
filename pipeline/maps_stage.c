/* The maps stage of terrain run: outlines (ingest/contours), units and
 * values (analysis/mapdata), one prepared map (report/map) for the note. */
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/xalloc.h"
#include "../ingest/contours.h"
#include "../ingest/geodata.h"
#include "../report/maplib.h"
#include "maps_stage.h"

static const char *const default_maps[] = {"poverty_rate", "median_living_standard",
					   "unemployment_rate_census"};

static void add_layer(struct maps_stage *s, const struct indicator_def *def)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->layers[i].def == def)
			return;
	s->layers = xreallocarray(s->layers, s->n + 1, sizeof(*s->layers));
	struct map_layer *l = &s->layers[s->n++];
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "map_%.27s", def->id);
	l->def = def;
}

/* The layers: the defaults, then [note] maps = id, id... */
static enum status layers_of(struct maps_stage *s, const struct project *p,
			     const struct catalogue *cat, struct error *err)
{
	for (size_t i = 0; i < sizeof(default_maps) / sizeof(default_maps[0]); i++) {
		const struct indicator_def *d = catalogue_find(cat, default_maps[i]);
		if (d)
			add_layer(s, d);
	}
	for (size_t k = 0; k < p->note.key.n; k++) {
		const char *v = p->note.value.item[k];
		while (*v) {
			size_t len = strcspn(v, ",");
			char id[64];
			const char *a = v, *e = v + len;
			while (a < e && (*a == ' ' || *a == '\t'))
				a++;
			while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			snprintf(id, sizeof(id), "%.*s", (int)(e - a), a);
			const struct indicator_def *d = *id ? catalogue_find(cat, id) : NULL;
			if (!d || (d->kind != INDICATOR_RATIO && d->kind != INDICATOR_RATE))
				return project_error_at(
				    p, p->note.value.line[k], err,
				    "%s \"%s\" in [note] maps (expected the id of a rate or ratio "
				    "of the catalogue: terrain indicators --list)",
				    d ? "not a rate or ratio:" : "unknown indicator", id);
			add_layer(s, d);
			v += len + (v[len] == ',');
		}
	}
	return TERRAIN_OK;
}

enum status maps_stage_run(struct maps_stage *s, const struct project *p, const struct bundle *b,
			   const struct indicators_job *ind, const struct territory *t,
			   struct error *err)
{
	struct geo_zonages z = {0};
	const struct indicators_published *filosofi;
	enum status st;
	memset(s, 0, sizeof(*s));
	shapes_init(&s->com);
	shapes_init(&s->qpv);
	if ((st = layers_of(s, p, &ind->cat, err)) || (st = bundle_filosofi(b, &filosofi, err)))
		return st;
	bool commune = t->type == TERRITORY_COM || t->type == TERRITORY_ARM;
	if (commune && (st = geodata_load_zonages(&z, b->dir, err)))
		return st;
	if (mapdata_units(&b->geo, commune ? &z : NULL, t, &s->md, NULL)) {
		geo_zonages_release(&z);
		log_info("no map for %s", t->code);
		return TERRAIN_OK;
	}
	geo_zonages_release(&z);
	const char **deps = xcalloc(s->md.ndep + 1, sizeof(*deps));
	for (size_t i = 0; i < s->md.ndep; i++)
		deps[i] = s->md.dep[i];
	st = contours_load(b->dir, "communes", deps, s->md.ndep, &s->com, err);
	if (!st)
		st = contours_load(b->dir, "qpv", deps, s->md.ndep, &s->qpv, err);
	free(deps);
	if (st)
		return st;
	map_build(&s->map, &b->geo, &s->md, &s->com, &s->qpv);
	s->map.frame = xstrdup(s->md.frame_name ? s->md.frame_name : t->name ? t->name : t->code);
	if (s->md.frame == MAPDATA_ZE) /* named as INSEE writes it: "zone d'emploi d'Annecy" */
		s->map.frame_tncc = geo_zone_name_tncc(&b->geo, s->map.frame);
	else if (s->md.frame == MAPDATA_SELF && territory_zonage(t->type) != GEO_NZONAGE)
		s->map.frame_zone = (int)territory_zonage(t->type), s->map.frame_tncc = t->tncc;
	if ((st = map_prepare(&s->map, err)))
		return st;
	struct indicators_input in = {
	    &b->geo, &b->census, &b->pop_cog, &b->series, ind->have_store ? &ind->stored : NULL,
	    filosofi};
	s->value = xcalloc(s->n * s->md.n + 1, sizeof(*s->value));
	s->status = xcalloc(s->n * s->md.n + 1, sizeof(*s->status));
	for (size_t i = 0; i < s->n; i++) {
		s->layers[i].value = s->value + i * s->md.n;
		s->layers[i].status = s->status + i * s->md.n;
		mapdata_values(&in, s->layers[i].def, &s->md, s->value + i * s->md.n,
			       s->status + i * s->md.n);
	}
	s->ready = s->map.nu > 0;
	return TERRAIN_OK;
}

void maps_stage_release(struct maps_stage *s)
{
	map_release(&s->map);
	mapdata_release(&s->md);
	shapes_release(&s->com);
	shapes_release(&s->qpv);
	free(s->layers);
	free(s->value);
	free(s->status);
	memset(s, 0, sizeof(*s));
	maplib_release();
}
