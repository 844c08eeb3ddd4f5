#include "plan_report.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "../analysis/sizing.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "typo.h"
#include "xlsx.h"

#define L(fr_, en_) (en ? (en_) : (fr_))

/* An indicator as the grid names it: its baseline's label ("Chômeurs de
 * 15-64 ans (recensement)"), of vals when they have its key, else the key
 * the project file wrote. */
static const char *indicator_name(const struct plan_indicator *ind, const struct plan_value *vals,
				  size_t nvals)
{
	for (size_t k = 0; k < nvals; k++)
		if (!strcmp(vals[k].key, ind->base) && vals[k].label[0])
			return vals[k].label;
	return ind->baseline.label[0] ? ind->baseline.label : ind->base;
}

static struct plan_value *value_add(struct plan_value **v, size_t *n, size_t *alloc)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	struct plan_value *pv = &(*v)[(*n)++];
	memset(pv, 0, sizeof(*pv));
	pv->low = pv->high = NAN;
	return pv;
}

void report_plan_measured_by(const struct plan *p, const struct plan_measure *me, bool en,
			     char *buf, size_t size)
{
	if (me->from == PLAN_FROM_POSITIONING)
		snprintf(buf, size,
			 L("fichier de positionnement (%s), moyenne et intervalle de Student à "
			   "95 %%",
			   "positioning file (%s), mean and 95 %% Student interval"),
			 p->positioning);
	else
		snprintf(buf, size,
			 L("enquête de terrain, question « %s », moyenne pondérée et son "
			   "intervalle à 95 %%",
			   "field survey, question “%s”, weighted mean and its 95 %% interval"),
			 me->question);
}

void report_plan_values(const struct note_input *in, const struct plan *p, struct plan_value **out,
			size_t *n)
{
	bool en = in->en;
	struct plan_value *v = NULL;
	size_t nv = 0, alloc = 0;
	const struct indicators_table *tab = in->ind;
	for (size_t i = 0; tab && tab->nt && i < tab->nind; i++) {
		const struct indicator_value *iv = &tab->v[0][i];
		const struct indicator_def *d = iv->def;
		struct plan_value *pv = value_add(&v, &nv, &alloc);
		snprintf(pv->key, sizeof(pv->key), "indicator:%s", d->id);
		snprintf(pv->label, sizeof(pv->label), "%s", en ? d->label_en : d->label_fr);
		const char *unit = typo_unit(d->unit, !en);
		snprintf(pv->unit, sizeof(pv->unit), "%s", unit ? unit : d->unit);
		snprintf(pv->source, sizeof(pv->source), "%s", en ? d->source_en : d->source_fr);
		pv->decimals = d->decimals;
		pv->value = iv->value;
		/* the census sampling interval (sizing.h), where terrain knows the
		 * counts and the sampling fraction behind the value */
		bool f_ok = iv->f > 0 && iv->f <= 1;
		if (f_ok && d->kind == INDICATOR_RATIO && iv->den > 0 && d->scale > 0) {
			struct sizing_range r =
			    sizing_census_share(iv->num / iv->den, iv->den, iv->f);
			pv->low = r.low * d->scale;
			pv->high = r.high * d->scale;
		} else if (f_ok && d->kind == INDICATOR_COUNT && !isnan(iv->value)) {
			struct sizing_range r = sizing_census_count(iv->value, iv->f);
			pv->low = r.low;
			pv->high = r.high;
		}
	}
	for (size_t q = 0; in->survey && q < in->survey->nq; q++) {
		const struct note_survey_question *sq = &in->survey->q[q];
		for (size_t k = 0; k < sq->nanswer; k++) {
			const struct note_survey_answer *a = &sq->answer[k];
			if (!a->code || a->suppressed)
				continue;
			struct plan_value *pv = value_add(&v, &nv, &alloc);
			snprintf(pv->key, sizeof(pv->key), "survey:%s=%s", sq->name, a->code);
			snprintf(pv->label, sizeof(pv->label), "%s : %s", sq->label, a->label);
			snprintf(pv->unit, sizeof(pv->unit), "%%");
			pv->decimals = 1;
			pv->value = a->share * 100;
			pv->low = a->low * 100;
			pv->high = a->high * 100;
			snprintf(pv->source, sizeof(pv->source), "%s",
				 L("enquête de terrain, part pondérée et son intervalle à 95 %",
				   "field survey, weighted share and its 95 % interval"));
		}
	}
	const struct sizing_result *s = in->sizing;
	if (s) {
		struct plan_value *pv = value_add(&v, &nv, &alloc);
		snprintf(pv->key, sizeof(pv->key), "sizing:target");
		snprintf(pv->label, sizeof(pv->label), "%s", s->label);
		snprintf(pv->unit, sizeof(pv->unit), "%s", L("pers.", "people"));
		snprintf(pv->source, sizeof(pv->source), "%s",
			 L("dimensionnement du public cible ([target])",
			   "sizing of the target public ([target])"));
		pv->value = s->target.central;
		pv->low = s->target.low;
		pv->high = s->target.high;
		if (s->has_offer) {
			pv = value_add(&v, &nv, &alloc);
			snprintf(pv->key, sizeof(pv->key), "sizing:coverage");
			snprintf(pv->label, sizeof(pv->label), "%s",
				 L("Places pour 1 000 personnes du public cible",
				   "Places per 1,000 people of the target public"));
			snprintf(pv->unit, sizeof(pv->unit), "%s", L("‰", "per 1,000"));
			snprintf(pv->source, sizeof(pv->source), "%s",
				 L("inventaire de l'offre et public cible ([offer], [target])",
				   "offer inventory and target public ([offer], [target])"));
			pv->decimals = 1;
			pv->value = s->coverage.central;
			pv->low = s->coverage.low;
			pv->high = s->coverage.high;
		}
	}
	/* each measured skill as skill:SKILL, and as positioning:SKILL too when
	 * the positioning file measures it */
	for (size_t m = 0; p && m < 2 * p->nmeasure; m++) {
		const struct plan_measure *me = &p->measure[m / 2];
		bool positioning = me->from == PLAN_FROM_POSITIONING;
		if (m % 2 && !positioning)
			continue;
		struct plan_value *pv = value_add(&v, &nv, &alloc);
		snprintf(pv->key, sizeof(pv->key), "%s:%s", m % 2 ? "positioning" : "skill",
			 me->skill);
		snprintf(pv->label, sizeof(pv->label),
			 L("Niveau moyen en « %s »", "Mean level in “%s”"),
			 plan_skill_label(p, me->skill));
		snprintf(pv->unit, sizeof(pv->unit), "%s", L("niveau", "level"));
		report_plan_measured_by(p, me, en, pv->source, sizeof(pv->source));
		pv->decimals = 1;
		pv->value = me->mean;
		pv->low = me->low;
		pv->high = me->high;
	}
	*out = v;
	*n = nv;
}

void report_plan_warning(const struct plan *p, const struct plan_warning *w, bool en,
			 const struct plan_value *vals, size_t nvals, struct strbuf *sb)
{
	switch (w->kind) {
	case PLAN_WARN_NO_BUDGET:
		strbuf_addf(sb,
			    L("L'action %s cite des lignes budgétaires, mais le projet n'a pas de "
			      "budget.",
			      "Action %s names budget lines, but the project has no budget."),
			    p->action[w->index].id);
		break;
	case PLAN_WARN_UNUSED_LINE:
		strbuf_addf(sb,
			    L("La ligne budgétaire « %s » n'est utilisée par aucune action.",
			      "The budget line “%s” is used by no action."),
			    w->text);
		break;
	case PLAN_WARN_OUTSIDE:
		strbuf_addf(sb,
			    L("L'action %s (mois %d à %d) dépasse les trois années du budget "
			      "(mois 1 à %d).",
			      "Action %s (months %d to %d) goes beyond the budget's three years "
			      "(months 1 to %d)."),
			    p->action[w->index].id, p->action[w->index].start,
			    p->action[w->index].end, PLAN_MONTHS);
		break;
	case PLAN_WARN_NO_INDICATOR:
		strbuf_addf(sb,
			    L("L'objectif %s n'a aucun indicateur d'évaluation.",
			      "Objective %s has no evaluation indicator."),
			    p->objective[w->index].id);
		break;
	case PLAN_WARN_IN_MARGIN:
		strbuf_addf(sb,
			    L("La cible de l'indicateur « %s » se trouve dans la marge d'erreur de "
			      "sa valeur de départ : elle ne pourra pas être mesurée.",
			      "The target of the indicator “%s” lies inside its baseline's margin "
			      "of error: it cannot be measured."),
			    indicator_name(&p->indicator[w->index], vals, nvals));
		break;
	case PLAN_WARN_NO_BASELINE:
		strbuf_addf(sb,
			    L("La valeur de départ de l'indicateur « %s » n'est pas disponible.",
			      "The baseline of the indicator “%s” is not available."),
			    p->indicator[w->index].base);
		break;
	}
}

static void num(struct strbuf *sb, double v)
{
	strbuf_reset(sb);
	if (!isnan(v))
		format_decimal(sb, v, 3);
}

#define PLAN_COLS 22

static void plan_csv(FILE *fp, const struct plan *p, bool en)
{
	static const char *const head[PLAN_COLS] = {
	    "part",	   "id",     "objective",   "label",	      "start",
	    "end",	   "lead",   "partners",    "budget",	      "outputs",
	    "baseline",	   "value",  "low",	    "high",	      "unit",
	    "source",	   "target", "target_kind", "target_written", "in_margin",
	    "measured_by", "when"};
	format_csv_row(fp, head, PLAN_COLS);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, d = STRBUF_INIT,
		      e = STRBUF_INIT, f = STRBUF_INIT, g = STRBUF_INIT, h = STRBUF_INIT;
	const char *row[PLAN_COLS];
	memset(row, 0, sizeof(row));
	for (size_t k = 0; k < PLAN_COLS; k++)
		row[k] = "";
	row[0] = "goal";
	row[1] = "";
	row[3] = p->goal;
	format_csv_row(fp, row, PLAN_COLS);
	for (size_t o = 0; o < p->nobjective; o++) {
		row[0] = "objective";
		row[1] = p->objective[o].id;
		row[3] = p->objective[o].text;
		format_csv_row(fp, row, PLAN_COLS);
	}
	for (size_t i = 0; i < p->naction; i++) {
		const struct plan_action *ac = &p->action[i];
		for (size_t k = 0; k < PLAN_COLS; k++)
			row[k] = "";
		strbuf_reset(&a);
		for (size_t k = 0; k < ac->nobjective; k++)
			strbuf_addf(&a, "%s%s", k ? " " : "", p->objective[ac->objective[k]].id);
		strbuf_reset(&b);
		strbuf_addf(&b, "%d", ac->start);
		strbuf_reset(&c);
		strbuf_addf(&c, "%d", ac->end);
		strbuf_reset(&d);
		for (size_t k = 0; k < ac->nbudget; k++)
			strbuf_addf(&d, "%s%s", k ? " | " : "", ac->budget[k]);
		row[0] = "action";
		row[1] = ac->id;
		row[2] = a.buf;
		row[3] = ac->label;
		row[4] = b.buf;
		row[5] = c.buf;
		row[6] = ac->lead;
		row[7] = ac->partners;
		row[8] = d.buf;
		row[9] = ac->outputs;
		format_csv_row(fp, row, PLAN_COLS);
	}
	for (size_t i = 0; i < p->nindicator; i++) {
		const struct plan_indicator *ind = &p->indicator[i];
		for (size_t k = 0; k < PLAN_COLS; k++)
			row[k] = "";
		num(&a, ind->baseline.value);
		num(&b, ind->baseline.low);
		num(&c, ind->baseline.high);
		num(&d, ind->target);
		static const char *const kinds[] = {"value", "change", "relative_change"};
		num(&e, ind->target_written);
		strbuf_reset(&f);
		strbuf_addf(&f, "%u", ind->line);
		row[0] = "indicator";
		row[1] = f.buf;
		row[2] = p->objective[ind->objective].id;
		row[3] = ind->baseline.label;
		row[10] = ind->base;
		row[11] = a.buf;
		row[12] = b.buf;
		row[13] = c.buf;
		row[14] = ind->baseline.unit;
		row[15] = ind->baseline.source;
		row[16] = d.buf;
		row[17] = kinds[ind->target_kind];
		row[18] = e.buf;
		row[19] = ind->target_in_margin ? "yes" : "no";
		row[20] = ind->measured_by;
		row[21] = ind->when;
		format_csv_row(fp, row, PLAN_COLS);
	}
	for (size_t i = 0; i < p->nwarning; i++) {
		for (size_t k = 0; k < PLAN_COLS; k++)
			row[k] = "";
		strbuf_reset(&g);
		report_plan_warning(p, &p->warning[i], en, NULL, 0, &g);
		row[0] = "warning";
		row[3] = g.buf;
		format_csv_row(fp, row, PLAN_COLS);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	strbuf_release(&d);
	strbuf_release(&e);
	strbuf_release(&f);
	strbuf_release(&g);
	strbuf_release(&h);
}

static void plan_json(FILE *fp, const struct plan *p, bool en)
{
	json_t *root = json_object(), *objs = json_array(), *acts = json_array(),
	       *inds = json_array(), *warns = json_array();
	json_object_set_new(root, "goal", json_string(p->goal));
	for (size_t o = 0; o < p->nobjective; o++)
		json_array_append_new(objs, json_pack("{s:s, s:s}", "id", p->objective[o].id,
						      "label", p->objective[o].text));
	for (size_t i = 0; i < p->naction; i++) {
		const struct plan_action *ac = &p->action[i];
		json_t *ob = json_array(), *bu = json_array();
		for (size_t k = 0; k < ac->nobjective; k++)
			json_array_append_new(ob, json_string(p->objective[ac->objective[k]].id));
		for (size_t k = 0; k < ac->nbudget; k++)
			json_array_append_new(bu, json_string(ac->budget[k]));
		json_array_append_new(
		    acts, json_pack("{s:s, s:s, s:o, s:i, s:i, s:s, s:s, s:o, s:s}", "id", ac->id,
				    "label", ac->label, "objectives", ob, "start", ac->start, "end",
				    ac->end, "lead", ac->lead, "partners", ac->partners, "budget",
				    bu, "outputs", ac->outputs));
	}
	for (size_t i = 0; i < p->nindicator; i++) {
		const struct plan_indicator *ind = &p->indicator[i];
		static const char *const kinds[] = {"value", "change", "relative_change"};
		json_array_append_new(
		    inds, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:s, s:o, s:b, "
				    "s:s, s:s, s:i}",
				    "objective", p->objective[ind->objective].id, "baseline",
				    ind->base, "label", ind->baseline.label, "value",
				    format_json_number(ind->baseline.value), "low",
				    format_json_number(ind->baseline.low), "high",
				    format_json_number(ind->baseline.high), "unit",
				    ind->baseline.unit, "source", ind->baseline.source, "target",
				    format_json_number(ind->target), "target_kind",
				    kinds[ind->target_kind], "target_written",
				    format_json_number(ind->target_written), "in_margin",
				    ind->target_in_margin, "measured_by", ind->measured_by, "when",
				    ind->when, "line", (int)ind->line));
	}
	struct strbuf w = STRBUF_INIT;
	for (size_t i = 0; i < p->nwarning; i++) {
		strbuf_reset(&w);
		report_plan_warning(p, &p->warning[i], en, NULL, 0, &w);
		json_array_append_new(warns, json_string(w.buf));
	}
	strbuf_release(&w);
	json_object_set_new(root, "objectives", objs);
	json_object_set_new(root, "actions", acts);
	json_object_set_new(root, "indicators", inds);
	json_object_set_new(root, "warnings", warns);
	format_json_write(fp, root);
}

void report_plan(FILE *fp, enum report_format fmt, const struct plan *p, bool en)
{
	if (fmt == REPORT_JSON)
		plan_json(fp, p, en);
	else
		plan_csv(fp, p, en);
}

#define TRAINING_COLS 16

void report_training(FILE *fp, enum report_format fmt, const struct plan *p, bool en)
{
	(void)en;
	if (fmt == REPORT_JSON) {
		json_t *root = json_object(), *gaps = json_array(), *mods = json_array();
		for (size_t i = 0; i < p->ngap; i++) {
			const struct plan_gap *g = &p->gap[i];
			const struct plan_measure *m = &p->measure[g->measure];
			json_array_append_new(
			    gaps,
			    json_pack(
				"{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:o, "
				"s:o, s:b}",
				"job", p->job[g->job].code, "job_label", p->job[g->job].label,
				"skill", m->skill, "skill_label", plan_skill_label(p, m->skill),
				"measured_by",
				m->from == PLAN_FROM_SURVEY ? "survey" : "positioning", "required",
				format_json_number(g->required), "measured",
				format_json_number(m->mean), "measured_low",
				format_json_number(m->low), "measured_high",
				format_json_number(m->high), "n", (int)m->n, "gap",
				format_json_number(g->gap), "gap_low", format_json_number(g->low),
				"gap_high", format_json_number(g->high), "maybe_no_gap",
				g->maybe_none));
		}
		for (size_t i = 0; i < p->nmodule; i++)
			json_array_append_new(
			    mods,
			    json_pack("{s:i, s:s, s:s, s:o, s:o}", "order", (int)i + 1, "skill",
				      p->measure[p->module[i].measure].skill, "skill_label",
				      plan_skill_label(p, p->measure[p->module[i].measure].skill),
				      "gap", format_json_number(p->module[i].gap), "hours",
				      format_json_number(p->module[i].hours)));
		json_object_set_new(root, "gaps", gaps);
		json_object_set_new(root, "modules", mods);
		json_object_set_new(root, "rate", format_json_number(p->rate));
		json_object_set_new(root, "threshold", format_json_number(p->threshold));
		json_object_set_new(root, "public", format_json_number(p->public_size));
		format_json_write(fp, root);
		return;
	}
	static const char *const head[TRAINING_COLS] = {
	    "part",	    "job",	     "job_label",   "skill",	  "required", "measured",
	    "measured_low", "measured_high", "n",	    "gap",	  "gap_low",  "gap_high",
	    "maybe_no_gap", "hours",	     "skill_label", "measured_by"};
	format_csv_row(fp, head, TRAINING_COLS);
	struct strbuf s[9];
	for (size_t k = 0; k < 9; k++)
		strbuf_init(&s[k]);
	for (size_t i = 0; i < p->ngap; i++) {
		const struct plan_gap *g = &p->gap[i];
		const struct plan_measure *m = &p->measure[g->measure];
		double x[] = {g->required,  m->mean, m->low, m->high,
			      (double)m->n, g->gap,  g->low, g->high};
		for (size_t k = 0; k < 8; k++)
			num(&s[k], x[k]);
		strbuf_reset(&s[4]);
		strbuf_addf(&s[4], "%zu", m->n);
		const char *row[TRAINING_COLS] = {"gap",
						  p->job[g->job].code,
						  p->job[g->job].label,
						  m->skill,
						  s[0].buf,
						  s[1].buf,
						  s[2].buf,
						  s[3].buf,
						  s[4].buf,
						  s[5].buf,
						  s[6].buf,
						  s[7].buf,
						  g->maybe_none ? "yes" : "no",
						  "",
						  plan_skill_label(p, m->skill),
						  m->from == PLAN_FROM_SURVEY ? "survey"
									      : "positioning"};
		format_csv_row(fp, row, TRAINING_COLS);
	}
	for (size_t i = 0; i < p->nmodule; i++) {
		num(&s[0], p->module[i].gap);
		num(&s[1], p->module[i].hours);
		const char *skill = p->measure[p->module[i].measure].skill;
		const char *row[TRAINING_COLS] = {
		    "module", "", "", skill,	"",
		    "",	      "", "", "",	s[0].buf,
		    "",	      "", "", s[1].buf, plan_skill_label(p, skill),
		    ""};
		format_csv_row(fp, row, TRAINING_COLS);
	}
	for (size_t k = 0; k < 9; k++)
		strbuf_release(&s[k]);
}

#define STR(x)	  ((struct xlsx_cell){XLSX_STRING, (x), 0, 0})
#define NUM(x, d) ((struct xlsx_cell){XLSX_NUMBER, NULL, (x), (d)})

size_t report_plan_sheets(const struct note_input *in, struct xlsx_sheet *sheets,
			  struct xlsx_cell **cells, struct plan_value **vals)
{
	const struct plan *p = in->plan;
	bool en = in->en;
	size_t nvals;
	report_plan_values(in, p, vals, &nvals); /* the baselines in the note's language */
	static const char *const act_fr[] = {"Action",	     "Libellé",		 "Objectifs",
					     "Début (mois)", "Fin (mois)",	 "Pilote",
					     "Partenaires",  "Lignes du budget", "Réalisations"};
	static const char *const act_en[] = {"Action",	      "Label",	      "Objectives",
					     "Start (month)", "End (month)",  "Lead",
					     "Partners",      "Budget lines", "Outputs"};
	static const char *const ev_fr[] = {"Objectif",	   "Valeur de départ",
					    "Indicateur",  "Valeur",
					    "Borne basse", "Borne haute",
					    "Unité",	   "Source",
					    "Cible",	   "Dans la marge d'erreur",
					    "Mesuré par",  "Échéance"};
	static const char *const ev_en[] = {
	    "Objective",   "Baseline", "Indicator", "Value",  "Low",
	    "High",	   "Unit",     "Source",    "Target", "Inside the margin of error",
	    "Measured by", "When"};
	static const char *const gap_fr[] = {
	    "Métier",	   "Libellé ROME",	    "Compétence", "Niveau requis", "Niveau mesuré",
	    "Borne basse", "Borne haute",	    "Personnes",  "Écart",	   "Écart bas",
	    "Écart haut",  "Peut-être aucun écart", "Mesuré par"};
	static const char *const gap_en[] = {
	    "Job",	  "ROME label", "Skill", "Required level", "Measured level", "Low",
	    "High",	  "People",	"Gap",	 "Gap low",	   "Gap high",	     "Maybe no gap",
	    "Measured by"};
	static const char *const mod_fr[] = {"Ordre", "Module (compétence)", "Écart le plus grand",
					     "Heures"};
	static const char *const mod_en[] = {"Order", "Module (skill)", "Largest gap", "Hours"};
	size_t n = p->naction * 9 + p->nindicator * 12 + p->ngap * 13 + p->nmodule * 4;
	struct xlsx_cell *c = xcalloc(n ? n : 1, sizeof(*c)), *at = c;
	size_t ns = 0;
	const char *yes = en ? "yes" : "oui", *no = en ? "no" : "non";
	sheets[ns++] = (struct xlsx_sheet){en ? "Action plan" : "Plan d'action",
					   en ? act_en : act_fr, 9, at, p->naction};
	for (size_t i = 0; i < p->naction; i++) {
		const struct plan_action *a = &p->action[i];
		*at++ = STR(a->id);
		*at++ = STR(a->label);
		*at++ = STR(a->objectives_text);
		*at++ = NUM(a->start, 0);
		*at++ = NUM(a->end, 0);
		*at++ = STR(a->lead);
		*at++ = STR(a->partners);
		*at++ = STR(a->budget_text);
		*at++ = STR(a->outputs);
	}
	sheets[ns++] = (struct xlsx_sheet){en ? "Evaluation" : "Évaluation", en ? ev_en : ev_fr, 12,
					   at, p->nindicator};
	for (size_t i = 0; i < p->nindicator; i++) {
		const struct plan_indicator *ind = &p->indicator[i];
		const struct plan_value *v = &ind->baseline;
		for (size_t k = 0; k < nvals; k++)
			if (!strcmp((*vals)[k].key, ind->base))
				v = &(*vals)[k];
		*at++ = STR(p->objective[ind->objective].id);
		*at++ = STR(ind->base);
		*at++ = STR(v->label);
		*at++ = NUM(v->value, v->decimals);
		*at++ = NUM(v->low, v->decimals);
		*at++ = NUM(v->high, v->decimals);
		*at++ = STR(v->unit);
		*at++ = STR(v->source);
		*at++ = NUM(ind->target, v->decimals);
		*at++ = STR(ind->target_in_margin ? yes : no);
		*at++ = STR(ind->measured_by);
		*at++ = STR(ind->when);
	}
	if (!p->njob) {
		*cells = c;
		return ns;
	}
	sheets[ns++] = (struct xlsx_sheet){en ? "Skills gaps" : "Écarts de compétences",
					   en ? gap_en : gap_fr, 13, at, p->ngap};
	for (size_t i = 0; i < p->ngap; i++) {
		const struct plan_gap *g = &p->gap[i];
		const struct plan_measure *m = &p->measure[g->measure];
		*at++ = STR(p->job[g->job].code);
		*at++ = STR(p->job[g->job].label);
		*at++ = STR(plan_skill_label(p, m->skill));
		*at++ = NUM(g->required, 1);
		*at++ = NUM(m->mean, 2);
		*at++ = NUM(m->low, 2);
		*at++ = NUM(m->high, 2);
		*at++ = NUM((double)m->n, 0);
		*at++ = NUM(g->gap, 2);
		*at++ = NUM(g->low, 2);
		*at++ = NUM(g->high, 2);
		*at++ = STR(g->maybe_none ? yes : no);
		*at++ = STR(m->from == PLAN_FROM_SURVEY
				? (en ? "field survey" : "enquête de terrain")
				: (en ? "positioning file" : "fichier de positionnement"));
	}
	sheets[ns++] = (struct xlsx_sheet){en ? "Training" : "Formation", en ? mod_en : mod_fr, 4,
					   at, p->nmodule};
	for (size_t i = 0; i < p->nmodule; i++) {
		*at++ = NUM((double)(i + 1), 0);
		*at++ = STR(plan_skill_label(p, p->measure[p->module[i].measure].skill));
		*at++ = NUM(p->module[i].gap, 2);
		*at++ = NUM(p->module[i].hours, 0);
	}
	*cells = c;
	return ns;
}
