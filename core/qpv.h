/* The quartiers prioritaires de la politique de la ville (QPV 2024, ANCT)
 * and the communes they lie in (datasets/social/qpv_2024.csv, loaded by
 * ingest/bundle.c): code and name as ANCT gives them.  No population per
 * QPV: the source publishes none. */
#ifndef TERRAIN_QPV_H
#define TERRAIN_QPV_H

#include <stddef.h>

#include "geo.h"
#include "territory.h"

/* One (QPV, commune) pair: a QPV over several communes has one per commune. */
struct qpv_row {
	char code[12];	 /* "QN03806M" */
	char *name;	 /* owned: "Mistral Lys Rouge Camine" */
	char commune[6]; /* COG 2026 code */
};

struct qpv_list {
	struct qpv_row *v; /* owned, sorted by commune then code */
	size_t n, alloc;
};

void qpv_list_init(struct qpv_list *q);
void qpv_list_release(struct qpv_list *q);

/* Append a pair (code and name borrowed, copied); call qpv_list_sort once
 * all are in. */
void qpv_list_add(struct qpv_list *q, const char *code, const char *name, const char *commune);
void qpv_list_sort(struct qpv_list *q);

/* The distinct QPV lying, wholly or in part, in territory t: none for an
 * arrondissement municipal, since ANCT's list places the QPV of Paris,
 * Lyon and Marseille in the city, not in its arrondissements.  *out is returned owned (free with
 * free()), one row index per QPV (its first pair), sorted by code.
 * Returns the count. */
size_t qpv_in_territory(const struct qpv_list *q, const struct geo *g, const struct territory *t,
			size_t **out);

/* The row of QPV code ("QN03806M"), or GEO_NONE. */
size_t qpv_find(const struct qpv_list *q, const char *code);

#endif
