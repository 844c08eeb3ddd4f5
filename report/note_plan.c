/* The note's action plan, evaluation grid, skills gaps and training
 * action: parts of the project's section (note_project_section). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/plan.h"
#include "note_internal.h"
#include "plan_report.h"

/* A baseline's value in its unit: "30,4 %", "10 527", "2,0". */
static void base_value(const struct note_input *in, struct strbuf *sb, const struct plan_value *v,
		       double x)
{
	note_num(in, sb, x, v->decimals);
	if (!strcmp(v->unit, "%"))
		strbuf_addstr(sb, NBSP "%");
	else if (!strcmp(v->unit, "‰"))
		strbuf_addstr(sb, NBSP "‰");
}

/* "x [low ; high]" (fr) or "x [low, high]" (en); just x without an interval. */
static void with_interval(const struct note_input *in, struct strbuf *sb,
			  const struct plan_value *v, double x, double low, double high)
{
	base_value(in, sb, v, x);
	if (isnan(low) || isnan(high))
		return;
	strbuf_addstr(sb, " [");
	base_value(in, sb, v, low);
	strbuf_addstr(sb, tr(in, NBSP "; ", ", "));
	base_value(in, sb, v, high);
	strbuf_addstr(sb, "]");
}

/* A level or a gap with two decimals and its interval. */
static void level(const struct note_input *in, struct strbuf *sb, double x, double low, double high)
{
	note_num(in, sb, x, 2);
	if (isnan(low) || isnan(high))
		return;
	strbuf_addstr(sb, " [");
	note_num(in, sb, low, 2);
	strbuf_addstr(sb, tr(in, NBSP "; ", ", "));
	note_num(in, sb, high, 2);
	strbuf_addstr(sb, "]");
}

/* The actions by quarter of the three years: a Gantt chart as a table. */
static void gantt(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	int first = in->budget ? in->budget->y[0].year : 0;
	strbuf_addstr(sb, tr(in, "| Action |", "| Action |"));
	for (int y = 0; y < PLAN_MONTHS / 12; y++)
		for (int q = 1; q <= 4; q++) {
			if (first)
				strbuf_addf(sb, tr(in, " T%d %d |", " Q%d %d |"), q, first + y);
			else
				strbuf_addf(sb, tr(in, " A%d T%d |", " Y%d Q%d |"), y + 1, q);
		}
	strbuf_addstr(sb, "\n|---|");
	for (int k = 0; k < PLAN_MONTHS / 3; k++)
		strbuf_addstr(sb, ":-:|");
	strbuf_addch(sb, '\n');
	for (size_t a = 0; a < p->naction; a++) {
		const struct plan_action *ac = &p->action[a];
		strbuf_addf(sb, "| %s |", ac->id);
		for (int k = 0; k < PLAN_MONTHS / 3; k++) {
			int from = 3 * k + 1, to = 3 * k + 3;
			bool on = ac->start <= to && ac->end >= from;
			strbuf_addstr(sb, on ? " ■ |" : "  |");
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addch(sb, '\n');
}

static void actions(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	strbuf_addstr(sb, tr(in, "### Plan d'action\n\n", "### Action plan\n\n"));
	strbuf_addstr(sb, tr(in, "*[À relire]* **Objectif général** : ",
			     "*[To review]* **General objective**: "));
	note_md(sb, p->goal);
	strbuf_addstr(sb, "\n\n");
	if (p->nobjective) {
		strbuf_addstr(sb, tr(in, "**Objectifs opérationnels** :\n\n",
				     "**Operational objectives**:\n\n"));
		for (size_t o = 0; o < p->nobjective; o++) {
			strbuf_addf(sb, tr(in, "- **%s**" NBSP ": ", "- **%s**: "),
				    p->objective[o].id);
			note_md(sb, p->objective[o].text);
			strbuf_addch(sb, '\n');
		}
		strbuf_addch(sb, '\n');
	}
	if (!p->naction)
		return;
	strbuf_addstr(sb,
		      tr(in,
			 "| Action | Objectifs | Mois | Pilote | Partenaires | Lignes du budget | "
			 "Réalisations attendues |\n",
			 "| Action | Objectives | Months | Lead | Partners | Budget lines | "
			 "Expected outputs |\n"));
	strbuf_addstr(sb, "|---|---|---|---|---|---|---|\n");
	for (size_t a = 0; a < p->naction; a++) {
		const struct plan_action *ac = &p->action[a];
		strbuf_addf(sb, "| **%s** ", ac->id);
		note_md(sb, ac->label);
		strbuf_addstr(sb, " | ");
		for (size_t k = 0; k < ac->nobjective; k++)
			strbuf_addf(sb, "%s%s", k ? ", " : "", p->objective[ac->objective[k]].id);
		strbuf_addf(sb, tr(in, " | %d à %d | ", " | %d to %d | "), ac->start, ac->end);
		note_md(sb, ac->lead);
		strbuf_addstr(sb, " | ");
		note_md(sb, ac->partners);
		strbuf_addstr(sb, " | ");
		for (size_t k = 0; k < ac->nbudget; k++) {
			if (k)
				strbuf_addstr(sb, tr(in, NBSP "; ", "; "));
			note_md(sb, ac->budget[k]);
		}
		strbuf_addstr(sb, " | ");
		note_md(sb, ac->outputs);
		strbuf_addstr(sb, " |\n");
	}
	strbuf_addch(sb, '\n');
	strbuf_addstr(sb, tr(in,
			     "Calendrier des actions par trimestre (mois 1 : premier mois de la "
			     "première année du budget) :\n\n",
			     "Schedule of the actions by quarter (month 1: the first month of the "
			     "budget's first year):\n\n"));
	gantt(in, sb, p);
}

static void grid(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	if (!p->nindicator)
		return;
	strbuf_addstr(sb, tr(in, "### Grille d'évaluation\n\n", "### Evaluation grid\n\n"));
	strbuf_addstr(sb,
		      tr(in,
			 "Chaque valeur de départ est un résultat de terrain (avec son intervalle "
			 "à 95" NBSP "% quand il est connu) ; une cible écrite comme une variation "
			 "est convertie en valeur.\n\n",
			 "Each baseline is one of terrain's results (with its 95 % interval when "
			 "known); a target written as a change is turned into a value.\n\n"));
	strbuf_addstr(
	    sb, tr(in,
		   "| Objectif | Indicateur | Valeur de départ | Source | Cible | Mesuré par | "
		   "Échéance |\n",
		   "| Objective | Indicator | Baseline | Source | Target | Measured by | "
		   "When |\n"));
	strbuf_addstr(sb, "|---|---|--:|---|--:|---|---|\n");
	/* the baselines' labels and sources in the note's language */
	struct plan_value *vals;
	size_t nvals;
	report_plan_values(in, p, &vals, &nvals);
	for (size_t i = 0; i < p->nindicator; i++) {
		const struct plan_indicator *ind = &p->indicator[i];
		const struct plan_value *v = &ind->baseline;
		for (size_t k = 0; k < nvals; k++)
			if (!strcmp(vals[k].key, ind->base))
				v = &vals[k];
		strbuf_addf(sb, "| %s | ", p->objective[ind->objective].id);
		note_md(sb, v->label);
		strbuf_addstr(sb, " | ");
		with_interval(in, sb, v, v->value, v->low, v->high);
		strbuf_addstr(sb, " | ");
		note_md(sb, v->source);
		strbuf_addstr(sb, " | ");
		base_value(in, sb, v, ind->target);
		if (ind->target_in_margin)
			strbuf_addstr(sb,
				      tr(in, " (dans la marge d'erreur)", " (inside the margin)"));
		strbuf_addstr(sb, " | ");
		note_md(sb, ind->measured_by);
		strbuf_addstr(sb, " | ");
		note_md(sb, ind->when);
		strbuf_addstr(sb, " |\n");
	}
	free(vals);
	strbuf_addch(sb, '\n');
}

static void warnings(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	if (!p->nwarning)
		return;
	strbuf_addstr(sb, tr(in, "**Points de cohérence à revoir** :\n\n",
			     "**Consistency points to review**:\n\n"));
	struct strbuf w = STRBUF_INIT;
	for (size_t i = 0; i < p->nwarning; i++) {
		strbuf_reset(&w);
		report_plan_warning(p, &p->warning[i], in->en, &w);
		strbuf_addstr(sb, "- ");
		note_md(sb, w.buf);
		strbuf_addch(sb, '\n');
	}
	strbuf_release(&w);
	strbuf_addch(sb, '\n');
}

static void skills(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	if (!p->njob)
		return;
	strbuf_addstr(sb, tr(in, "### Écarts de compétences et action de formation\n\n",
			     "### Skills gaps and the training action\n\n"));
	strbuf_addstr(sb, tr(in, "**Métiers visés** :\n\n", "**Target jobs**:\n\n"));
	for (size_t j = 0; j < p->njob; j++) {
		strbuf_addf(sb, "- %s ", p->job[j].code);
		note_md(sb, p->job[j].label);
		strbuf_addstr(
		    sb, tr(in, " ; compétences requises d'après : ", "; required skills from: "));
		note_md(sb, p->job[j].source);
		strbuf_addch(sb, '\n');
	}
	strbuf_addch(sb, '\n');
	strbuf_addstr(sb, tr(in, "Niveau du groupe mesuré par le fichier de positionnement « ",
			     "The group's level measured by the positioning file “"));
	note_md(sb, p->positioning);
	strbuf_addstr(sb,
		      tr(in,
			 NBSP "» (moyenne et intervalle de Student à 95" NBSP "%) ; l'écart est le "
			      "niveau requis moins le niveau mesuré, avec son intervalle, du plus "
			      "grand au plus petit.\n\n",
			 "” (mean and 95 % Student interval); the gap is the required level "
			 "minus the measured one, with its interval, largest first.\n\n"));
	strbuf_addstr(sb, tr(in,
			     "| Métier | Compétence | Niveau requis | Niveau mesuré | Personnes | "
			     "Écart |\n",
			     "| Job | Skill | Required level | Measured level | People | Gap |\n"));
	strbuf_addstr(sb, "|---|---|--:|--:|--:|--:|\n");
	size_t maybe = 0;
	for (size_t i = 0; i < p->ngap; i++) {
		const struct plan_gap *g = &p->gap[i];
		const struct plan_measure *m = &p->measure[g->measure];
		strbuf_addf(sb, "| %s | ", p->job[g->job].code);
		note_md(sb, m->skill);
		strbuf_addstr(sb, " | ");
		note_num(in, sb, g->required, 1);
		strbuf_addstr(sb, " | ");
		level(in, sb, m->mean, m->low, m->high);
		strbuf_addf(sb, " | %zu | ", m->n);
		level(in, sb, g->gap, g->low, g->high);
		if (g->maybe_none)
			strbuf_addstr(sb, " *");
		strbuf_addstr(sb, " |\n");
		maybe += g->maybe_none;
	}
	strbuf_addch(sb, '\n');
	if (maybe)
		strbuf_addstr(sb,
			      tr(in,
				 "\\* L'intervalle de l'écart atteint zéro ou moins : il n'y a "
				 "peut-être pas d'écart pour cette compétence.\n\n",
				 "\\* The gap's interval reaches zero or below: there may be no "
				 "gap for this skill.\n\n"));
	if (!p->has_training)
		return;
	double hours = 0;
	for (size_t k = 0; k < p->nmodule; k++)
		hours += p->module[k].hours;
	strbuf_addstr(sb, tr(in, "*[À relire]* **Action de formation** : ",
			     "*[To review]* **Training action**: "));
	if (!p->nmodule) {
		strbuf_addstr(sb, tr(in, "aucun écart ne dépasse le seuil de ",
				     "no gap is above the threshold of "));
		note_num(in, sb, p->threshold, 2);
		strbuf_addstr(sb, tr(in, " niveau : pas de module proposé.\n\n",
				     " level: no module proposed.\n\n"));
		return;
	}
	strbuf_addf(sb, tr(in, "%zu module%s, ", "%zu module%s, "), p->nmodule,
		    p->nmodule > 1 ? "s" : "");
	note_num(in, sb, hours, 0);
	strbuf_addstr(sb, tr(in, " heures en tout (", " hours in all ("));
	note_num(in, sb, p->rate, 0);
	strbuf_addstr(sb, tr(in,
			     " heures par niveau d'écart, pour chaque compétence dont l'écart "
			     "dépasse ",
			     " hours per level of gap, for each skill whose gap is above "));
	note_num(in, sb, p->threshold, 2);
	strbuf_addstr(sb,
		      tr(in, "), dans l'ordre des plus grands écarts, pour le groupe positionné (",
			 "), the largest gaps first, for the group positioned ("));
	note_num(in, sb, (double)(p->nmeasure ? p->measure[0].n : 0), 0);
	strbuf_addstr(sb, tr(in, " personnes)", " people)"));
	if (!isnan(p->public_size)) {
		strbuf_addstr(sb, tr(in, ", issu du public cible de l'action, estimé à ",
				     ", drawn from the action's target public, estimated at "));
		note_num(in, sb, p->public_size, 0);
		strbuf_addstr(sb, tr(in, " personnes (fourchette de ", " people (range "));
		note_num(in, sb, p->public_low, 0);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		note_num(in, sb, p->public_high, 0);
		strbuf_addstr(sb, ")");
	}
	strbuf_addstr(sb, tr(in,
			     ". Chaque module est évalué par un positionnement avant et après, "
			     "sur la même échelle.\n\n",
			     ". Each module is evaluated by a positioning before and after, on the "
			     "same scale.\n\n"));
	strbuf_addstr(sb, tr(in,
			     "| Ordre | Module (compétence) | Écart le plus grand | Heures | "
			     "Évaluation |\n",
			     "| Order | Module (skill) | Largest gap | Hours | Evaluation |\n"));
	strbuf_addstr(sb, "|--:|---|--:|--:|---|\n");
	for (size_t k = 0; k < p->nmodule; k++) {
		const struct plan_module *mod = &p->module[k];
		strbuf_addf(sb, "| %zu | ", k + 1);
		note_md(sb, p->measure[mod->measure].skill);
		strbuf_addstr(sb, " | ");
		note_num(in, sb, mod->gap, 2);
		strbuf_addstr(sb, " | ");
		note_num(in, sb, mod->hours, 0);
		strbuf_addstr(sb, tr(in, " | positionnement avant et après |",
				     " | positioning before and after |"));
		strbuf_addch(sb, '\n');
	}
	strbuf_addch(sb, '\n');
	strbuf_addstr(sb,
		      tr(in,
			 "*Écarts et modules : `training.csv` ; plan et grille : "
			 "`action.csv`.*\n\n",
			 "*Gaps and modules: `training.csv`; plan and grid: `action.csv`.*\n\n"));
}

void note_plan_section(const struct note_input *in, struct strbuf *sb)
{
	const struct plan *p = in->plan;
	if (!p)
		return;
	actions(in, sb, p);
	grid(in, sb, p);
	warnings(in, sb, p);
	skills(in, sb, p);
}
