/* Outlines as the bundle carries them (datasets/contours/): for each
 * commune of COG 2026 or QPV, rings of points in 1e-4 degrees of WGS84
 * longitude and latitude, as integers, so that two neighbours share their
 * border's points exactly.  Filled by ingest/contours.c, drawn by
 * report/map.c; pure data and lookups here, no I/O. */
#ifndef TERRAIN_SHAPE_H
#define TERRAIN_SHAPE_H

#include <stddef.h>
#include <stdint.h>

struct shape {
	char code[12];	    /* commune of COG 2026 ("38185") or QPV ("QN03806M") */
	char *parts;	    /* owned: a commune's 2018 communes ("01039,01138"); a
			     * QPV's communes (COG 2024) */
	size_t ring, nring; /* its rings: shapes.ring[ring .. ring + nring - 1] */
};

struct shape_ring {
	size_t pt, npt; /* its points: shapes.xy[2 * pt .. 2 * (pt + npt) - 1]; not closed */
};

struct shapes {
	struct shape *v;
	size_t n, alloc;
	struct shape_ring *ring;
	size_t nring, alloc_ring;
	int32_t *xy; /* x (longitude), y (latitude) pairs in 1e-4 degrees */
	size_t npt, alloc_pt;
	int sorted; /* v sorted by code (shapes_sort) */
};

void shapes_init(struct shapes *s);
void shapes_release(struct shapes *s);

/* Sort v by code so that shapes_find works (rings stay where they are). */
void shapes_sort(struct shapes *s);

/* The shape of code, or NULL (s must be sorted). */
const struct shape *shapes_find(const struct shapes *s, const char *code);

#endif
