/* The indicators of a territory against its references, in text, CSV or
 * JSON (terrain indicators). */
#ifndef TERRAIN_INDICATORS_REPORT_H
#define TERRAIN_INDICATORS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../analysis/indicators.h"
#include "format.h"

struct indicators_table {
	const struct territory *t; /* t[0]: the territory, then its references */
	size_t nt;
	struct indicator_value *const *v; /* v[k][i]: territory k, indicator i */
	size_t nind;
	const struct gap *gap;		   /* gap[k * nind + i] for k >= 1: t[0] against t[k] */
	const bool *has_gap;		   /* same indexes */
	bool en;			   /* English labels */
	const struct indicator_rank *rank; /* rank[i]: t[0] among its peers, or NULL */
	const char *peers;		   /* what the peers are */
	const struct indicators_stored *stored; /* the store's data, or NULL */
};

void report_indicators(FILE *fp, enum report_format fmt, const struct indicators_table *tab);

/* The catalogue's indicators (terrain indicators --list), labelled in
 * French as the catalogue's ids are: id, kind, unit and label a line in
 * text; id, kind, unit, theme, label and source a row in CSV, an object of
 * a JSON array. */
struct catalogue;
void report_catalogue(FILE *fp, enum report_format fmt, const struct catalogue *c);

#endif
