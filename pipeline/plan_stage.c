/* The action plan's stage of a run: read the plan from the project file,
 * fill its baselines from the stage results, check it against the budget,
 * compute the skills gaps and the training modules. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../analysis/plan.h"
#include "../core/geo.h"
#include "../core/store.h"
#include "../core/strbuf.h"
#include "../core/territory.h"
#include "../report/budget_report.h"
#include "../report/plan_report.h"
#include "pipeline.h"
#include "plan_stage.h"
#include "plancfg.h"

struct pick {
	const struct geo *g;
	const struct territory *t;
	const char *code; /* the territory's code without its type */
	struct plan *p;
};

static int take(const struct siae_structure *x, const char *retrieved, void *arg)
{
	const struct pick *k = arg;
	const struct geo *g = k->g;
	bool in = false;
	(void)retrieved;
	if (k->t->type == TERRITORY_COM || k->t->type == TERRITORY_ARM) {
		in = *x->insee ? !strcmp(x->insee, k->code)
			       : k->t->name && !strcasecmp(x->city, k->t->name);
	} else if (k->t->type == TERRITORY_DEP) {
		in = true; /* the store's query took the département's */
	} else if (k->t->type == TERRITORY_EPCI && *x->insee) {
		size_t i = geo_commune_find(g, x->insee);
		in = i != GEO_NONE && g->com[i].epci != GEO_NONE &&
		     !strcmp(g->epci[g->com[i].epci].code, k->code);
	}
	if (in)
		plan_count_structure(k->p, x->kind, x->source);
	return 0;
}

enum status plan_stage_structures(const struct project *proj, const struct geo *g,
				  const struct territory *t, struct plan *p, struct error *err)
{
	const char *colon = strchr(t->code, ':');
	const char *dep = NULL;
	if (!colon)
		return TERRAIN_OK;
	if (t->type == TERRITORY_COM || t->type == TERRITORY_ARM) {
		if (t->index == GEO_NONE)
			return TERRAIN_OK;
		dep = g->com[t->index].dep;
	} else if (t->type == TERRITORY_DEP) {
		dep = colon + 1;
	} else if (t->type != TERRITORY_EPCI) {
		return TERRAIN_OK;
	}
	struct store *s = NULL;
	struct strbuf path = STRBUF_INIT;
	enum status st = pipeline_open_store(proj, true, NULL, &s, &path, err);
	if (!st && s) {
		struct pick k = {g, t, colon + 1, p};
		p->have_store = true;
		st = store_each_structure(s, dep, take, &k, err);
		store_close(s);
	}
	strbuf_release(&path);
	return st;
}

enum status plan_stage_run(const struct project *proj, const char *bundle_dir,
			   const struct note_input *in, const struct budget_input *bin,
			   const struct budget_result *bres, struct plan *out, struct error *err)
{
	struct strbuf rome = STRBUF_INIT;
	struct plan_value *vals = NULL;
	size_t nvals = 0;
	struct budget_plan bp = {0};
	const char *labels[5 + BUDGET_MAX_LINES];
	size_t nlabels = 0;
	strbuf_addf(&rome, "%s/rome/rome.csv", bundle_dir);
	enum status st = plancfg_read(proj, rome.buf, out, err);
	if (st)
		goto out;
	strbuf_reset(&rome);
	strbuf_addf(&rome, "%s/actors/actors.csv", bundle_dir);
	if ((st = plancfg_read_actors(rome.buf, out, err)))
		goto out;
	/* the skills the survey's questions measure, beside the positioning
	 * file's */
	for (size_t q = 0; in->survey && q < in->survey->nq; q++) {
		const struct note_survey_question *sq = &in->survey->q[q];
		if (sq->skill && (st = plan_measure_survey(
				      out, sq->skill, sq->label, in->survey->codebook, sq->line,
				      sq->level, sq->level_low, sq->level_high, sq->level_n, err)))
			goto out;
	}
	report_plan_values(in, out, &vals, &nvals);
	if ((st = plan_fill(out, vals, nvals, err)))
		goto out;
	if (bin) {
		report_budget_plan(&bp, bin, bres, in->en);
		for (size_t k = 0; k < bp.ncharge; k++)
			labels[nlabels++] = bp.charge[k].label;
	}
	if ((st = plan_check(out, bin != NULL, labels, nlabels, err)))
		goto out;
	if (in->sizing) {
		out->public_size = in->sizing->target.central;
		out->public_low = in->sizing->target.low;
		out->public_high = in->sizing->target.high;
	}
	st = plan_gaps(out, err);
out:
	if (bin)
		report_budget_plan_release(&bp);
	free(vals);
	strbuf_release(&rome);
	return st;
}
