#include "plan.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warn(struct plan *p, enum plan_warning_kind kind, size_t index, const char *text)
{
	if (p->nwarning == PLAN_MAX_WARNINGS)
		return;
	struct plan_warning *w = &p->warning[p->nwarning++];
	w->kind = kind;
	w->index = index;
	snprintf(w->text, sizeof(w->text), "%s", text ? text : "");
}

void plan_measure_compute(const double *x, size_t n, struct plan_measure *out)
{
	double sum = 0, ss = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			sum += x[i], k++;
	out->n = k;
	out->mean = k ? sum / (double)k : NAN;
	out->low = out->high = NAN;
	if (k < 2)
		return;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			ss += (x[i] - out->mean) * (x[i] - out->mean);
	double se = sqrt(ss / (double)(k - 1) / (double)k);
	double t = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1));
	out->low = out->mean - t * se;
	out->high = out->mean + t * se;
}

const char *plan_skill_label(const struct plan *p, const char *skill)
{
	for (size_t k = 0; k < p->nlabel; k++)
		if (!strcmp(p->label[k].skill, skill))
			return p->label[k].label;
	return skill;
}

enum status plan_measure_survey(struct plan *p, const char *skill, const char *question,
				const char *codebook, unsigned long line, double mean, double low,
				double high, size_t n, struct error *err)
{
	for (size_t m = 0; m < p->nmeasure; m++) {
		const struct plan_measure *o = &p->measure[m];
		if (strcmp(o->skill, skill))
			continue;
		if (o->from == PLAN_FROM_POSITIONING)
			return error_set(err, TERRAIN_EDATA,
					 "%s:%lu: the skill \"%s\" is measured twice, by this "
					 "question and by the positioning file %s (expected one "
					 "source a skill: remove its column or the codebook's "
					 "skill)",
					 codebook, line, skill, p->positioning);
		return error_set(err, TERRAIN_EDATA,
				 "%s:%lu: the skill \"%s\" is measured twice, by this question and "
				 "by the one of line %lu (expected one question a skill)",
				 codebook, line, skill, o->line);
	}
	if (p->nmeasure == PLAN_MAX_SKILLS)
		return error_set(err, TERRAIN_EDATA,
				 "%s:%lu: too many skills measured (at most %d)", codebook, line,
				 PLAN_MAX_SKILLS);
	if (!n || isnan(mean)) /* its gap would be NAN, ranked anywhere, given no module */
		return error_set(err, TERRAIN_EDATA,
				 "%s:%lu: no respondent answered \"%s\", the question that "
				 "measures the skill \"%s\" (expected at least one answer, or no "
				 "skill on the question)",
				 codebook, line, question, skill);
	struct plan_measure *me = &p->measure[p->nmeasure++];
	memset(me, 0, sizeof(*me));
	snprintf(me->skill, sizeof(me->skill), "%s", skill);
	snprintf(me->question, sizeof(me->question), "%s", question);
	snprintf(p->codebook, sizeof(p->codebook), "%s", codebook);
	me->from = PLAN_FROM_SURVEY;
	me->line = line;
	me->mean = mean;
	me->low = low;
	me->high = high;
	me->n = n;
	return TERRAIN_OK;
}

void plan_count_structure(struct plan *p, const char *kind, const char *source)
{
	size_t k = 0;
	while (k < p->nkind && strcmp(p->kind[k].kind, kind))
		k++;
	if (k == p->nkind) {
		if (p->nkind == PLAN_MAX_KINDS)
			k = PLAN_MAX_KINDS - 1;
		else
			snprintf(p->kind[p->nkind++].kind, sizeof(p->kind[0].kind), "%s", kind);
	}
	if (!strcmp(source, "inclusion"))
		p->kind[k].inclusion++;
	else
		p->kind[k].siae++;
}

double plan_target_value(enum plan_target kind, double written, double baseline)
{
	switch (kind) {
	case PLAN_TARGET_CHANGE:
		return baseline + written;
	case PLAN_TARGET_PERCENT:
		return baseline * (1 + written / 100);
	case PLAN_TARGET_VALUE:
		break;
	}
	return written;
}

enum status plan_fill(struct plan *p, const struct plan_value *vals, size_t n, struct error *err)
{
	for (size_t i = 0; i < p->nindicator; i++) {
		struct plan_indicator *ind = &p->indicator[i];
		const struct plan_value *v = NULL;
		for (size_t k = 0; k < n && !v; k++)
			if (!strcmp(vals[k].key, ind->base))
				v = &vals[k];
		if (!v)
			return error_set(
			    err, TERRAIN_EDATA,
			    "%s:%u: no result for baseline \"%s\" (expected an "
			    "indicator:ID terrain computed for the territory, a "
			    "survey:VARIABLE=CODE of the survey, sizing:target or "
			    "sizing:coverage of the [target] and [offer] sections, or "
			    "positioning:SKILL of the positioning file, or skill:SKILL "
			    "of a measured skill)",
			    p->file, ind->line, ind->base);
		ind->baseline = *v;
		ind->target = plan_target_value(ind->target_kind, ind->target_written, v->value);
		ind->target_in_margin = false;
		if (isnan(v->value)) {
			warn(p, PLAN_WARN_NO_BASELINE, i, NULL);
			continue;
		}
		if (!isnan(v->low) && !isnan(v->high) && ind->target >= v->low &&
		    ind->target <= v->high) {
			ind->target_in_margin = true;
			warn(p, PLAN_WARN_IN_MARGIN, i, NULL);
		}
	}
	return TERRAIN_OK;
}

enum status plan_check(struct plan *p, bool has_budget, const char *const *labels, size_t nlabels,
		       struct error *err)
{
	for (size_t a = 0; a < p->naction; a++) {
		struct plan_action *ac = &p->action[a];
		if (ac->nbudget && !has_budget)
			warn(p, PLAN_WARN_NO_BUDGET, a, NULL);
		if (ac->start < 1 || ac->end > PLAN_MONTHS)
			warn(p, PLAN_WARN_OUTSIDE, a, NULL);
		if (!has_budget)
			continue;
		for (size_t b = 0; b < ac->nbudget; b++) {
			size_t k = 0;
			while (k < nlabels && strcmp(labels[k], ac->budget[b]))
				k++;
			if (k < nlabels)
				continue;
			size_t len = 0;
			char list[2048] = "";
			for (size_t j = 0; j < nlabels && len < sizeof(list); j++)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s\"%s\"",
							j ? ", " : "", labels[j]);
			return error_set(err, TERRAIN_EDATA,
					 "%s:%u: [action:%s] uses the budget line \"%s\", which "
					 "the budget does not have (expected one of: %s)",
					 p->file, ac->budget_line, ac->id, ac->budget[b], list);
		}
	}
	for (size_t k = 0; k < nlabels; k++) {
		bool used = false;
		for (size_t a = 0; a < p->naction && !used; a++)
			for (size_t b = 0; b < p->action[a].nbudget && !used; b++)
				used = !strcmp(p->action[a].budget[b], labels[k]);
		if (!used && p->naction)
			warn(p, PLAN_WARN_UNUSED_LINE, k, labels[k]);
	}
	for (size_t o = 0; o < p->nobjective; o++) {
		bool measured = false;
		for (size_t i = 0; i < p->nindicator && !measured; i++)
			measured = p->indicator[i].objective == o;
		if (!measured)
			warn(p, PLAN_WARN_NO_INDICATOR, o, NULL);
	}
	return TERRAIN_OK;
}

static int gap_cmp(const void *a, const void *b)
{
	const struct plan_gap *x = a, *y = b;
	if (x->gap != y->gap)
		return x->gap < y->gap ? 1 : -1;
	if (x->job != y->job)
		return x->job < y->job ? -1 : 1;
	return x->measure < y->measure ? -1 : x->measure > y->measure;
}

static int module_cmp(const void *a, const void *b)
{
	const struct plan_module *x = a, *y = b;
	if (x->gap != y->gap)
		return x->gap < y->gap ? 1 : -1;
	return x->measure < y->measure ? -1 : x->measure > y->measure;
}

enum status plan_gaps(struct plan *p, struct error *err)
{
	p->ngap = p->nmodule = 0;
	double largest[PLAN_MAX_SKILLS];
	for (size_t m = 0; m < PLAN_MAX_SKILLS; m++)
		largest[m] = -INFINITY;
	for (size_t j = 0; j < p->njob; j++) {
		const struct plan_job *job = &p->job[j];
		for (size_t s = 0; s < job->nreq; s++) {
			size_t m = 0;
			while (m < p->nmeasure && strcmp(p->measure[m].skill, job->req[s].skill))
				m++;
			if (m == p->nmeasure)
				return error_set(
				    err, TERRAIN_EDATA,
				    "%s:%u: [job:%s] requires the skill \"%s\", which "
				    "nothing measures (expected a column of the positioning "
				    "file, or a question of the survey's codebook with skill "
				    "= %s)",
				    p->file, job->line, job->code, job->req[s].skill,
				    job->req[s].skill);
			const struct plan_measure *me = &p->measure[m];
			struct plan_gap *g = &p->gap[p->ngap++];
			g->job = j;
			g->measure = m;
			g->required = job->req[s].level;
			g->gap = g->required - me->mean;
			g->low = g->required - me->high;
			g->high = g->required - me->low;
			g->maybe_none = !(g->low > 0);
			if (g->gap > largest[m])
				largest[m] = g->gap;
		}
	}
	qsort(p->gap, p->ngap, sizeof(p->gap[0]), gap_cmp);
	for (size_t m = 0; m < p->nmeasure && p->has_training; m++) {
		if (!(largest[m] > p->threshold))
			continue;
		struct plan_module *mod = &p->module[p->nmodule++];
		mod->measure = m;
		mod->gap = largest[m];
		mod->hours = ceil(largest[m] * p->rate);
	}
	qsort(p->module, p->nmodule, sizeof(p->module[0]), module_cmp);
	return TERRAIN_OK;
}
