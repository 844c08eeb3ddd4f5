/* terrain census aggregate. */
#ifndef TERRAIN_CENSUS_JOB_H
#define TERRAIN_CENSUS_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"

/* What terrain census aggregate is asked (borrowed strings; NULL: not
 * given). */
struct census_args {
	const char *file, *by, *where, *set, *weight, *member, *output;
	const char *store_path; /* with --store=FILE */
	bool store;
	const char *name, *period;
	size_t workers;
	bool libcsv;
};

/* Aggregate a->file by a->by (or the set a->set) over the records a->where
 * keeps: the CSV to a->output or stdout, and with a->store the rows as
 * observations of custom:NAME territories in the store. */
enum status census_job_run(const struct census_args *a, struct error *err);

#endif
