/* terrain refresh's loop, for cron: the indicators of every territory of a
 * région, kept in the store with their history. */
#ifndef TERRAIN_REFRESH_H
#define TERRAIN_REFRESH_H

#include <stdbool.h>

#include "../core/error.h"

struct refresh_options {
	const char *config;  /* the project file, or NULL: ./terrain.ini when present */
	const char *datadir; /* or NULL */
	const char *region;  /* "84" or "reg:84" */
	const char *levels;  /* as given, for the run's key */
	const char *store;   /* or NULL: the configured one */
	const char *output;  /* or NULL: OUTPUT/refresh-REG */
	double threshold;    /* a revision beyond it (in %) is flagged */
	bool com, epci, dep; /* the levels asked */
};

/* Compute, store (batch by batch, under the store's lock) and export
 * (indicators.csv, changes.csv) the indicators of the région's territories. */
enum status refresh_run(const struct refresh_options *o, struct error *err);

#endif
