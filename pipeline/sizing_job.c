/* The sizing stage: the target public of [target] (indicators of the
 * territory, survey proportions, figures of the project file), the offer of
 * [offer], the coverage and the posts to open. */
#include "sizing_job.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "../ingest/offer.h"
#include "indicators_job.h"
#include "sizingcfg.h"
#include "survey_job.h"

static bool project_en(const struct project *p)
{
	return p->lang && !strcmp(p->lang, "en");
}

/* An indicator of the territory as a term of the target public. */
static enum status indicator_term(const struct indicators_job *ij, const struct project *p,
				  const struct sizingcfg_term *c, struct sizing_term *t,
				  struct error *err)
{
	const struct indicator_value *v = NULL;
	for (size_t i = 0; i < ij->cat.n && !v; i++)
		if (!strcmp(ij->cat.v[i].id, c->id))
			v = &ij->vals[0][i];
	if (!v)
		return project_error_at(p, c->line, err,
					"indicator:%s: no such indicator in the catalogue "
					"(terrain indicators lists them)",
					c->id);
	const struct indicator_def *d = v->def;
	bool en = project_en(p);
	snprintf(t->label, sizeof(t->label), "%s", en ? d->label_en : d->label_fr);
	if (isnan(v->value))
		return project_error_at(p, c->line, err, "indicator:%s is unavailable for %s: %s",
					c->id, ij->ts[0].code, v->why ? v->why : "no data");
	if (!c->share && d->kind != INDICATOR_COUNT)
		return project_error_at(p, c->line, err,
					"indicator:%s is not a count (expected a count as the "
					"base, such as jobseekers_abc or rsa_households)",
					c->id);
	if (c->share &&
	    (d->kind == INDICATOR_COUNT || d->kind == INDICATOR_GROWTH || strcmp(d->unit, "%")))
		return project_error_at(p, c->line, err,
					"indicator:%s is not a share in %% (expected a ratio or "
					"rate in %%, such as poverty_rate)",
					c->id);
	t->share = c->share;
	const char *how;
	switch (sizing_indicator_range(v, c->share, &t->v)) {
	case SIZING_RANGE_CENSUS:
		how = en ? "census sampling range" : "intervalle d'échantillonnage du recensement";
		break;
	case SIZING_RANGE_ROUNDED:
		how = en ? "rounded to 5 by the source" : "arrondi à 5 par la source";
		break;
	default:
		how = en ? "no range published" : "aucune fourchette publiée";
		break;
	}
	snprintf(t->origin, sizeof(t->origin), "%s%s%s%s%.10s; %s; %s:%u",
		 en ? d->source_en : d->source_fr, *v->period ? ", " : "", v->period,
		 v->retrieved ? (en ? ", retrieved " : ", téléchargé le ") : "",
		 v->retrieved ? v->retrieved : "", how, p->path, c->line);
	return TERRAIN_OK;
}

enum status sizing_job_run(struct project *p, const struct bundle *b, struct sizing_result *r,
			   struct error *err)
{
	struct sizingcfg cfg;
	struct indicators_job ij = {0};
	struct offer off = {0};
	struct territory ts[1 + PROJECT_MAX_REFS];
	size_t nref = 0;
	enum status st;
	memset(r, 0, sizeof(*r));
	if ((st = sizingcfg_read(p, &cfg, err)))
		goto out;
	if (!cfg.has_target) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "%s has no [target] section (README.md, \"Project sizing\")",
			       p->path);
		goto out;
	}
	if ((st = project_resolve(p, &b->geo, &ts[0], ts + 1, &nref, err)) ||
	    (st = indicators_job_run(&ij, p, true, NULL, b, ts, 1, err)))
		goto out;

	/* the survey's proportions, when a term asks for them */
	const char *want[SIZINGCFG_MAX_TERMS];
	struct estimate got[SIZINGCFG_MAX_TERMS];
	size_t nwant = 0;
	for (size_t i = 0; i < cfg.nterms; i++)
		if (cfg.term[i].kind == SIZINGCFG_SURVEY)
			want[nwant++] = cfg.term[i].id;
	if (nwant) {
		struct survey_job job;
		struct strbuf paths[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
		survey_job_init(&job);
		if (!p->survey.line)
			st = error_set(err, TERRAIN_EDATA,
				       "%s: [target] uses survey: terms but the project has no "
				       "[survey] section",
				       p->path);
		else if (!(st = survey_job_from_project(&job, p, paths, err))) {
			job.want = want;
			job.nwant = nwant;
			job.got = got;
			st = survey_job_run(&job, err);
		}
		for (int i = 0; i < 3; i++)
			strbuf_release(&paths[i]);
		if (st)
			goto out;
	}

	snprintf(r->label, sizeof(r->label), "%s", cfg.label);
	r->nterms = cfg.nterms;
	for (size_t i = 0, w = 0; i < cfg.nterms; i++) {
		const struct sizingcfg_term *c = &cfg.term[i];
		struct sizing_term *t = &r->term[i];
		t->share = c->share;
		if (c->kind == SIZINGCFG_INDICATOR) {
			if ((st = indicator_term(&ij, p, c, t, err)))
				goto out;
		} else if (c->kind == SIZINGCFG_SURVEY) {
			const struct estimate *e = &got[w++];
			bool en = project_en(p);
			snprintf(t->label, sizeof(t->label), en ? "survey: %s" : "enquête : %s",
				 c->id);
			t->v = (struct sizing_range){e->value, e->ci_low, e->ci_high};
			snprintf(
			    t->origin, sizeof(t->origin),
			    en ? "field survey, weighted proportion, n = %zu, 95 %% CI; %s:%u"
			       : "enquête de terrain, proportion pondérée, n = %zu, IC à 95 %% ; "
				 "%s:%u",
			    e->n, p->path, c->line);
		} else {
			snprintf(t->label, sizeof(t->label), "%s", c->source);
			t->v = c->v;
			snprintf(t->origin, sizeof(t->origin), "%s:%u", p->path, c->line);
		}
	}
	struct sizing_term terms[SIZING_MAX_TERMS];
	memcpy(terms, r->term, sizeof(terms));
	if ((st = sizing_target(terms, r->nterms, &r->target, err))) {
		st = project_error_at(p, p->target.line, err, "[target]: %s", err->msg);
		goto out;
	}

	if (*cfg.offer_file) {
		if ((st = offer_load(&b->geo, cfg.offer_file, &off, err)))
			goto out;
		sizing_offer_in(&b->geo, &off, &ts[0], &r->offer);
		r->has_offer = true;
		snprintf(r->offer_file, sizeof(r->offer_file), "%.255s", cfg.offer_file);
		r->coverage = sizing_coverage(r->offer.capacity, &r->target);
	} else if (cfg.ncovers || *cfg.goal_ref || !isnan(cfg.goal)) {
		st = project_error_at(p, p->offer.line, err,
				      "[offer] has no file (expected file = the offer inventory)");
		goto out;
	}
	/* the references the inventory covers whole, with the same definition */
	for (size_t k = 0; k < cfg.ncovers && r->has_offer; k++) {
		struct sizing_ref *rf = &r->ref[r->nref++];
		struct territory rt;
		struct indicators_job rj = {0};
		struct sizing_term rterm[SIZING_MAX_TERMS];
		if ((st = territory_lookup(&b->geo, cfg.covers[k], p->resolved, p->ncustom, &rt,
					   err))) {
			st = project_error_at(p, cfg.covers_line, err, "covers: %s", err->msg);
			goto out;
		}
		snprintf(rf->code, sizeof(rf->code), "%.47s", rt.code);
		snprintf(rf->name, sizeof(rf->name), "%s", rt.name ? rt.name : rt.code);
		if ((st = indicators_job_run(&rj, p, true, NULL, b, &rt, 1, err)))
			goto out;
		for (size_t i = 0; i < r->nterms && !st; i++)
			rterm[i] = r->term[i];
		for (size_t i = 0; i < r->nterms && !st; i++)
			if (cfg.term[i].kind == SIZINGCFG_INDICATOR)
				st = indicator_term(&rj, p, &cfg.term[i], &rterm[i], err);
		indicators_job_release(&rj);
		if (st || (st = sizing_target(rterm, r->nterms, &rf->target, err)))
			goto out;
		sizing_offer_in(&b->geo, &off, &rt, &rf->offer);
		rf->coverage = sizing_coverage(rf->offer.capacity, &rf->target);
	}
	if (r->has_offer && (!isnan(cfg.goal) || *cfg.goal_ref)) {
		r->has_goal = true;
		r->goal = cfg.goal;
		snprintf(r->goal_origin, sizeof(r->goal_origin), "%.120s, %.100s:%u",
			 cfg.goal_source, p->path, cfg.goal_line);
		snprintf(r->goal_source, sizeof(r->goal_source), "%s", cfg.goal_source);
		r->goal_line = cfg.goal_line;
		if (*cfg.goal_ref) {
			const struct sizing_ref *g = NULL;
			struct territory gt;
			if (!territory_lookup(&b->geo, cfg.goal_ref, p->resolved, p->ncustom, &gt,
					      NULL))
				for (size_t k = 0; k < r->nref && !g; k++)
					if (!strcmp(r->ref[k].code, gt.code))
						g = &r->ref[k];
			if (!g) {
				st = project_error_at(p, cfg.goal_line, err,
						      "goal = ref:%s: the reference must be one "
						      "that \"covers\" lists (the inventory lists "
						      "its every structure)",
						      cfg.goal_ref);
				goto out;
			}
			r->goal = g->coverage.central;
			r->goal_ref_set = true;
			r->goal_ref = (size_t)(g - r->ref);
			snprintf(r->goal_origin, sizeof(r->goal_origin),
				 project_en(p) ? "the coverage of %.80s (%.40s), %.80s:%u"
					       : "la couverture de %.80s (%.40s), %.80s:%u",
				 g->name, g->code, p->path, cfg.goal_line);
		}
		sizing_deficit(r->goal, r->offer.capacity, &r->target, &r->deficit);
	}
out:
	offer_release(&off);
	indicators_job_release(&ij);
	return st;
}
