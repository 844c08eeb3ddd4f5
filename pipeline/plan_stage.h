/* The action plan's stage of a run (bloc 2): *out read from the project,
 * its baselines filled from in's results (in the project's language),
 * checked against the budget (bin NULL: none), its skills gaps and training
 * modules computed. */
#ifndef TERRAIN_PLAN_STAGE_H
#define TERRAIN_PLAN_STAGE_H

#include "../analysis/budget.h"
#include "../analysis/plan.h"
#include "../core/error.h"
#include "../core/project.h"
#include "../report/note.h"

enum status plan_stage_run(const struct project *proj, const char *bundle_dir,
			   const struct note_input *in, const struct budget_input *bin,
			   const struct budget_result *bres, struct plan *out, struct error *err);

/* The structures the store holds for territory t (g its geography),
 * counted by kind into p: a commune's (its code, or for the SIAE
 * directory, which gives none, its name), a département's, an EPCI's (its
 * communes' codes).  Without a store, or for another kind of territory,
 * nothing (p->have_store stays false). */
struct geo;
struct territory;
enum status plan_stage_structures(const struct project *proj, const struct geo *g,
				  const struct territory *t, struct plan *p, struct error *err);

#endif
