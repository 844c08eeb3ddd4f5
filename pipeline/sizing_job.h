/* The sizing stage, as terrain project size and terrain run run it. */
#ifndef TERRAIN_SIZING_JOB_H
#define TERRAIN_SIZING_JOB_H

#include "../analysis/sizing.h"
#include "../core/error.h"
#include "../core/project.h"
#include "bundle.h"

/* The sizing of project p ([target], [offer], the survey when a term asks
 * for it) into r.  Errors about the project's values cite its lines. */
enum status sizing_job_run(struct project *p, const struct bundle *b, struct sizing_result *r,
			   struct error *err);

#endif
