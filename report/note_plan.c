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

/* The territory (or one of its references) of type ty named in the note's
 * tables, or NULL. */
static const char *named(const struct note_input *in, enum territory_type ty)
{
	for (size_t k = 0; in->ind && k < in->ind->nt; k++) {
		enum territory_type t = in->ind->t[k].type;
		if (t == ty || (ty == TERRITORY_COM && t == TERRITORY_ARM && k == 0))
			return in->ind->t[k].name;
	}
	return NULL;
}

/* The institutions of the actors table, named for this territory where
 * the geography names them, the structures of the offer inventory by
 * kind, and a drafted paragraph. */
static void actors(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	if (!p->nactor)
		return;
	static const struct {
		const char *level;
		enum territory_type type;
	} where[] = {{"dep", TERRITORY_DEP},
		     {"reg", TERRITORY_REG},
		     {"epci", TERRITORY_EPCI},
		     {"com", TERRITORY_COM}};
	strbuf_addstr(sb, tr(in, "### Acteurs et dispositifs\n\n", "### Actors and schemes\n\n"));
	const char *dep = named(in, TERRITORY_DEP), *reg = named(in, TERRITORY_REG),
		   *epci = named(in, TERRITORY_EPCI);
	strbuf_addstr(sb, tr(in, "*[À relire]* ", "*[To review]* "));
	if (dep) {
		strbuf_addstr(sb,
			      tr(in, "Le conseil départemental (", "The departmental council ("));
		note_md(sb, dep);
		strbuf_addstr(
		    sb, tr(in, ") attribue le RSA et conduit l'insertion de ses allocataires ; ",
			   ") grants the RSA and leads its recipients' insertion; "));
	}
	if (reg) {
		strbuf_addstr(sb, tr(in, "le conseil régional (", "the regional council ("));
		note_md(sb, reg);
		strbuf_addstr(sb, tr(in, ") finance la formation des demandeurs d'emploi ; ",
				     ") funds the training of jobseekers; "));
	}
	strbuf_addstr(sb,
		      tr(in,
			 "l'État (préfet, DDETS) conventionne et finance les structures "
			 "d'insertion par l'activité économique",
			 "the State (prefect, DDETS) signs the conventions of the work-integration "
			 "structures and funds them"));
	if (epci) {
		strbuf_addstr(sb, tr(in, " ; l'intercommunalité (", "; the intercommunality ("));
		note_md(sb, epci);
		strbuf_addstr(
		    sb, tr(in, ") porte la politique de la ville quand elle en a la compétence",
			   ") leads the urban policy when it holds that competence"));
	}
	strbuf_addstr(sb,
		      tr(in,
			 ". Le projet s'appuie sur ces acteurs et sur les structures de l'offre "
			 "existante ci-dessous.\n\n",
			 ". The project relies on these actors and on the structures of the "
			 "existing offer below.\n\n"));
	strbuf_addstr(sb, tr(in, "| Niveau | Acteur | Compétence | Texte |\n",
			     "| Level | Actor | Competence | Legal text |\n"));
	strbuf_addstr(sb, "|---|---|---|---|\n");
	static const char *const levels[][3] = {
	    {"etat", "État", "State"},
	    {"reg", "Région", "Region"},
	    {"dep", "Département", "Département"},
	    {"epci", "Intercommunalité", "Intercommunality"},
	    {"com", "Commune", "Municipality"},
	    {"local", "Bassin d'emploi", "Local labour market"}};
	for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
		for (size_t i = 0; i < p->nactor; i++) {
			const struct plan_actor *a = &p->actor[i];
			if (strcmp(a->level, levels[l][0]))
				continue;
			strbuf_addf(sb, "| %s | ", in->en ? levels[l][2] : levels[l][1]);
			note_md(sb, in->en ? a->actor_en : a->actor_fr);
			for (size_t w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
				const char *n = named(in, where[w].type);
				if (!strcmp(a->level, where[w].level) && n) {
					strbuf_addstr(sb, tr(in, " : ", ": "));
					note_md(sb, n);
				}
			}
			strbuf_addstr(sb, " | ");
			note_md(sb, in->en ? a->competence_en : a->competence_fr);
			strbuf_addstr(sb, " | ");
			note_md(sb, a->code);
			strbuf_addstr(sb, tr(in, ", article ", ", article "));
			note_md(sb, a->article);
			strbuf_addstr(sb, " |\n");
		}
	strbuf_addch(sb, '\n');
	const struct sizing_result *s = in->sizing;
	if (s && s->has_offer && s->offer.structures) {
		static const char *const kinds[SIZING_NTYPES][2] = {
		    {"Atelier et chantier d'insertion (ACI)", "Work-integration workshop (ACI)"},
		    {"Entreprise d'insertion (EI)", "Work-integration enterprise (EI)"},
		    {"Association intermédiaire (AI)", "Intermediary association (AI)"},
		    {"Entreprise de travail temporaire d'insertion (ETTI)",
		     "Work-integration temping agency (ETTI)"},
		    {"Entreprise d'insertion par le travail indépendant (EITI)",
		     "Work-integration through self-employment (EITI)"},
		    {"Autre structure", "Other structure"}};
		strbuf_addstr(sb, tr(in, "Structures de l'offre d'insertion inventoriée (« ",
				     "Structures of the inventoried insertion offer (“"));
		const char *base = strrchr(s->offer_file, '/');
		note_md(sb, base ? base + 1 : s->offer_file);
		strbuf_addstr(sb, tr(in, NBSP "») :\n\n", "”):\n\n"));
		strbuf_addstr(sb, tr(in, "| Type de structure | Structures | Places |\n",
				     "| Kind of structure | Structures | Places |\n"));
		strbuf_addstr(sb, "|---|--:|--:|\n");
		for (size_t k = 0; k < SIZING_NTYPES; k++) {
			if (!s->offer.by_type[k])
				continue;
			strbuf_addf(sb, "| %s | %zu | ", in->en ? kinds[k][1] : kinds[k][0],
				    s->offer.by_type[k]);
			note_num(in, sb, s->offer.places_by_type[k], 0);
			strbuf_addstr(sb, " |\n");
		}
		strbuf_addf(sb, "| **Total** | **%zu** | **", s->offer.structures);
		note_num(in, sb, s->offer.capacity, 0);
		strbuf_addstr(sb, "** |\n\n");
	}
}

/* The structures the store holds for the territory, by kind and source,
 * with the inventory's places for the SIAE kinds. */
static void stored_structures(const struct note_input *in, struct strbuf *sb, const struct plan *p)
{
	static const char *const names[][3] = {
	    {"ACI", "Atelier et chantier d'insertion (ACI)", "Work-integration workshop (ACI)"},
	    {"EI", "Entreprise d'insertion (EI)", "Work-integration enterprise (EI)"},
	    {"AI", "Association intermédiaire (AI)", "Intermediary association (AI)"},
	    {"ETTI", "Entreprise de travail temporaire d'insertion (ETTI)",
	     "Work-integration temping agency (ETTI)"},
	    {"EITI", "Entreprise d'insertion par le travail indépendant (EITI)",
	     "Work-integration through self-employment (EITI)"},
	    {"GEIQ", "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)",
	     "Employers' group for insertion and qualification (GEIQ)"},
	    {"EA", "Entreprise adaptée (EA)", "Adapted enterprise (EA)"},
	    {"ESAT", "Établissement et service d'aide par le travail (ESAT)",
	     "Sheltered work establishment (ESAT)"},
	    {"FT", "France Travail", "France Travail"},
	    {"ML", "Mission locale", "Mission locale (youth employment)"},
	    {"CAPEMP", "Cap emploi", "Cap emploi (disability and employment)"},
	    {"PLIE", "Plan local pour l'insertion et l'emploi (PLIE)",
	     "Local plan for insertion and employment (PLIE)"},
	    {"CCAS", "Centre communal ou intercommunal d'action sociale (CCAS, CIAS)",
	     "Municipal social action centre (CCAS, CIAS)"},
	    {"DEP", "Services du département", "Département services"},
	    {"E2C", "École de la deuxième chance (E2C)", "Second-chance school (E2C)"},
	    {"EPIDE", "Établissement pour l'insertion dans l'emploi (EPIDE)",
	     "Public institution for insertion into employment (EPIDE)"},
	    {"AUTRE", "Autre structure", "Other structure"},
	};
	if (!p->have_store || !p->nkind)
		return;
	const struct sizing_result *s = in->sizing;
	bool places = s && s->has_offer && s->offer.structures;
	strbuf_addstr(sb,
		      tr(in,
			 "Structures que la base de terrain (`terrain fetch`) connaît sur le "
			 "territoire, par type (annuaire des SIAE des emplois de l'inclusion, "
			 "data·inclusion ; ni l'un ni l'autre ne publie de capacité",
			 "Structures terrain's store (`terrain fetch`) holds for the territory, by "
			 "kind (the SIAE directory of les emplois de l'inclusion, data·inclusion; "
			 "neither publishes a capacity"));
	if (places)
		strbuf_addstr(sb, tr(in, " : les places sont celles de l'inventaire de l'offre",
				     ": the places are the offer inventory's"));
	strbuf_addstr(sb, tr(in, ") :\n\n", "):\n\n"));
	strbuf_addstr(sb, tr(in, "| Type de structure | Annuaire des SIAE | data·inclusion |",
			     "| Kind of structure | SIAE directory | data·inclusion |"));
	strbuf_addstr(sb, places ? tr(in, " Places (inventaire) |\n|---|--:|--:|--:|\n",
				      " Places (inventory) |\n|---|--:|--:|--:|\n")
				 : "\n|---|--:|--:|\n");
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		for (size_t k = 0; k < p->nkind; k++) {
			const struct plan_kind *pk = &p->kind[k];
			bool other = n + 1 == sizeof(names) / sizeof(names[0]);
			bool known = false;
			for (size_t m = 0; m + 1 < sizeof(names) / sizeof(names[0]); m++)
				known |= !strcmp(pk->kind, names[m][0]);
			if (other ? known : strcmp(pk->kind, names[n][0]))
				continue;
			strbuf_addstr(sb, "| ");
			if (other && strcmp(pk->kind, "AUTRE"))
				note_md(sb, pk->kind); /* a code of the directory's own */
			else
				strbuf_addstr(sb, in->en ? names[n][2] : names[n][1]);
			strbuf_addf(sb, " | %zu | %zu |", pk->siae, pk->inclusion);
			if (places) {
				strbuf_addch(sb, ' ');
				if (n < SIZING_NTYPES - 1)
					note_num(in, sb, s->offer.places_by_type[n], 0);
				strbuf_addstr(sb, " |");
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
	note_figures(in, sb, "plan", NULL);
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
	struct plan_value *vals; /* the indicators' labels in the note's language */
	size_t nvals;
	report_plan_values(in, p, &vals, &nvals);
	for (size_t i = 0; i < p->nwarning; i++) {
		strbuf_reset(&w);
		report_plan_warning(p, &p->warning[i], in->en, vals, nvals, &w);
		strbuf_addstr(sb, "- ");
		note_md(sb, w.buf);
		strbuf_addch(sb, '\n');
	}
	free(vals);
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
	/* which source measured each skill */
	strbuf_addstr(sb, tr(in, "**Niveau du groupe**, compétence par compétence :\n\n",
			     "**The group's level**, skill by skill:\n\n"));
	char from[2 * PLAN_TEXT];
	size_t positioned = 0;
	for (size_t m = 0; m < p->nmeasure; m++) {
		const struct plan_measure *me = &p->measure[m];
		if (me->from == PLAN_FROM_POSITIONING && me->n > positioned)
			positioned = me->n;
		strbuf_addstr(sb, "- ");
		note_md(sb, plan_skill_label(p, me->skill));
		strbuf_addstr(sb, tr(in, NBSP ": ", ": "));
		report_plan_measured_by(p, me, in->en, from, sizeof(from));
		note_md(sb, from);
		strbuf_addstr(sb, ".\n");
	}
	strbuf_addstr(sb, tr(in,
			     "\nL'écart est le niveau requis moins le niveau mesuré, avec son "
			     "intervalle, du plus grand au plus petit.\n\n",
			     "\nThe gap is the required level minus the measured one, with its "
			     "interval, largest first.\n\n"));
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
		note_md(sb, plan_skill_label(p, m->skill));
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
	strbuf_addstr(
	    sb, tr(in, "), dans l'ordre des plus grands écarts", "), the largest gaps first"));
	if (positioned) {
		strbuf_addstr(
		    sb, tr(in, ", pour le groupe positionné (", ", for the group positioned ("));
		note_num(in, sb, (double)positioned, 0);
		strbuf_addstr(sb, tr(in, " personnes)", " people)"));
	}
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
		note_md(sb, plan_skill_label(p, p->measure[mod->measure].skill));
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

enum status note_plan_chart(const struct note_input *in, const char *dir,
			    struct note_chart_set *set, struct error *err)
{
	const struct plan *p = in->plan;
	struct strbuf labels = STRBUF_INIT, xlabel = STRBUF_INIT;
	const char *cat[PLAN_MAX_ACTIONS];
	double v[PLAN_MAX_ACTIONS], low[PLAN_MAX_ACTIONS], high[PLAN_MAX_ACTIONS];
	size_t at[PLAN_MAX_ACTIONS];
	for (size_t a = 0; a < p->naction; a++) {
		at[a] = labels.len;
		strbuf_addf(&labels, "%s %s", p->action[a].id, p->action[a].label);
		strbuf_addch(&labels, '\0');
		low[a] = p->action[a].start - 1; /* month 1 spans 0..1 */
		high[a] = p->action[a].end;
		v[a] = high[a] - low[a];
	}
	for (size_t a = 0; a < p->naction; a++)
		cat[a] = labels.buf + at[a];
	if (in->budget)
		strbuf_addf(&xlabel,
			    tr(in, "mois du projet (un trait par année, à partir de janvier %d)",
			       "months of the project (a line a year, from January %d)"),
			    in->budget->y[0].year);
	else
		strbuf_addstr(&xlabel, tr(in, "mois du projet", "months of the project"));
	struct chart_series s = {NULL, v, low, high};
	struct chart c = {
	    .kind = CHART_GANTT,
	    .en = in->en,
	    .title = tr(in, "Calendrier du plan d'action", "Schedule of the action plan"),
	    .source = tr(in, "Source : plan d'action du projet (fichier de projet)",
			 "Source: the project's action plan (project file)"),
	    .xlabel = xlabel.buf,
	    .cat = cat,
	    .ncat = p->naction,
	    .series = &s,
	    .nseries = 1,
	    .height = (unsigned)(160 + 50 * p->naction),
	};
	enum status st = note_draw(&c, dir, "plan", "plan", set, err);
	strbuf_release(&labels);
	strbuf_release(&xlabel);
	return st;
}

void note_plan_section(const struct note_input *in, struct strbuf *sb)
{
	const struct plan *p = in->plan;
	if (!p)
		return;
	actors(in, sb, p);
	stored_structures(in, sb, p);
	actions(in, sb, p);
	grid(in, sb, p);
	warnings(in, sb, p);
	skills(in, sb, p);
}
