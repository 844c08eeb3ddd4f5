/* terrain refresh's loop, for cron: the indicators of every territory of
 * one or more régions, or of all France, kept in the store with their
 * history. */
#ifndef TERRAIN_REFRESH_H
#define TERRAIN_REFRESH_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"

struct refresh_options {
	const char *config;	    /* the project file, or NULL: ./terrain.ini when present */
	const char *datadir;	    /* or NULL */
	const char *const *regions; /* borrowed: "84" or "reg:84" each; ignored with all */
	size_t nregions;
	bool all;	    /* every région, and France */
	const char *levels; /* as given, for the run's key */
	const char *store;  /* or NULL: the configured one */
	const char *output; /* or NULL: OUTPUT/refresh-REG, refresh-REG-REG, refresh-all */
	double threshold;   /* a revision beyond it (in %) is flagged */
	bool com, epci, dep, reg, fr; /* the levels asked (reg: the régions themselves) */
};

/* Compute, store (batch by batch, under the store's lock, in one run) and
 * export (indicators.csv, changes.csv) the indicators of the régions'
 * territories.  changes.csv lists the changes of every run not reported
 * yet; the run is marked reported once it is in place. */
enum status refresh_run(const struct refresh_options *o, struct error *err);

#endif
