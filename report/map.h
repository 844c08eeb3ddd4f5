/* Choropleth maps of the note (issue 15): the outlines of a territory's
 * units (communes, or départements for a région) projected through PROJ,
 * coloured by one indicator in MAP_CLASSES classes of quantiles, with the
 * QPV outlined over them; written as SVG (by hand: one filled path per unit,
 * the legend as text) and as PNG (the same drawing through cairo).
 *
 * A map is prepared once (map_prepare: outlines merged per unit, projected,
 * fitted to the picture) and drawn for each indicator (map_render). */
#ifndef TERRAIN_MAP_H
#define TERRAIN_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "../analysis/mapdata.h"
#include "../core/catalogue.h"
#include "../core/error.h"
#include "../core/geo.h"
#include "../core/shape.h"
#include "../core/strbuf.h"

#define MAP_CLASSES 5

struct map_unit {
	char code[8];		    /* commune or département code */
	const char *name;	    /* borrowed from the geography */
	const struct shape **shape; /* owned array of borrowed shapes: its outlines */
	size_t nshape;
	/* map_prepare: the union of its outlines, projected, in pixels */
	double *xy;   /* owned: x, y pairs */
	size_t *ring; /* owned: nring + 1 offsets into xy (in points) */
	size_t nring;
};

struct map {
	bool deps;	  /* units are départements */
	char crs[16];	  /* "EPSG:2154" (map_crs) */
	char *frame;	  /* owned: what the map covers, "Grenoble-Alpes-Métropole" */
	const char *kind; /* static: MAPDATA_EPCI, _ZE, _SELF as words (set by map_build) */
	enum mapdata_frame frame_kind;
	int frame_zone;	    /* enum geo_zonage when the frame is one of INSEE's zones
			     * (a commune's zone d'emploi, a zone studied), else
			     * GEO_NZONAGE */
	int frame_tncc;	    /* then the type de nom en clair of its name */
	struct map_unit *u; /* owned; the units with at least one outline */
	size_t nu;
	size_t outlined;	     /* unit drawn with a thick line, or GEO_NONE */
	const char *outlined_name;   /* borrowed */
	const struct shapes *shapes; /* borrowed: the communes' outlines */
	const struct shapes *qpv;    /* borrowed: the QPV outlines, may be NULL */
	const struct shape **q;	     /* owned array of borrowed QPV drawn */
	size_t nq;
	double *qxy; /* owned: the QPV rings projected (map_prepare) */
	size_t *qring;
	size_t nqring;
	char **not_drawn; /* owned: names of the units without an outline */
	size_t nnot_drawn;
	size_t *value_of;     /* owned: for each unit of u, its index in the mapdata */
	double width, height; /* picture size in pixels (map_prepare) */
};

/* One indicator drawn on a prepared map. */
struct map_layer {
	char name[32];			 /* file name: "map_poverty_rate" */
	const struct indicator_def *def; /* borrowed */
	const double *value;		 /* borrowed: per unit of the mapdata */
	const enum mapdata_status *status;
};

/* The official projection of a département's outlines: EPSG:2154
 * (Lambert-93) for metropolitan France, EPSG:5490 (RGAF09 / UTM 20N) for
 * Guadeloupe and Martinique, EPSG:2972 (RGFG95 / UTM 22N) for Guyane,
 * EPSG:2975 (RGR92 / UTM 40S) for La Réunion, EPSG:4471 (RGM04 / UTM 38S)
 * for Mayotte.  A static string. */
const char *map_crs(const char *dep);

/* Fill m (zeroed) from the units of md: each commune unit takes its shape
 * in shapes (merged communes: one shape made of their 2018 outlines);
 * each département unit the shapes of its communes; a unit without any is
 * listed in m->not_drawn.  The QPV of qpv (may be NULL) one of whose
 * communes is a unit are drawn.  Everything is borrowed but what the
 * struct says it owns; m->crs is the first département's. */
void map_build(struct map *m, const struct geo *g, const struct mapdata *md,
	       const struct shapes *shapes, const struct shapes *qpv);

/* Merge each unit's outlines (a border two of them share is dropped),
 * project them from WGS84 into m->crs through PROJ and fit them to the
 * picture.  PROJ failing to initialise is TERRAIN_EDATA naming the CRS. */
enum status map_prepare(struct map *m, struct error *err);

void map_release(struct map *m);

/* Class breaks by quantiles (R's type 7, quantile(x, seq(0, 1, 1/k))) of
 * the n values (NANs skipped; v is not reordered): breaks[0..k], the
 * duplicates dropped.  Returns the number of classes (0 without values);
 * class c is (breaks[c], breaks[c + 1]], the first one closed. */
size_t map_breaks(const double *v, size_t n, size_t k, double *breaks);

/* The class of x among nclass classes of breaks. */
size_t map_class(const double *breaks, size_t nclass, double x);

/* The layer's map as SVG text (appended to svg) and PNG bytes (to png; may
 * be NULL).  The title, also the alternative text, starts with "Carte :"
 * or "Map:" (map_title). */
enum status map_render(const struct map *m, const struct map_layer *l, bool en, struct strbuf *svg,
		       struct strbuf *png, struct error *err);

/* Has no unit of m a value or a secret in l (a région's Filosofi: nothing
 * published for départements)?  The note leaves such a map out. */
bool map_layer_empty(const struct map *m, const struct map_layer *l);

/* "Carte : Taux de pauvreté — Grenoble-Alpes-Métropole (EPCI), par
 * commune", appended to out. */
void map_title(const struct map *m, const struct map_layer *l, bool en, struct strbuf *out);

/* The line under the map naming the units not drawn (none: nothing),
 * appended to out as plain text. */
void map_caption(const struct map *m, bool en, struct strbuf *out);

#endif
