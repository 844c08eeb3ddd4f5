/* The project's part of the note (bloc 2): the target public, the offer,
 * the gap and the budget, and their charts. */
#include <stddef.h>
#include <string.h>

#include "note_internal.h"
#include "typo.h"

void note_money(const struct note_input *in, struct strbuf *sb, long long cents)
{
	typo_money(sb, (double)cents / 100, 0, !in->en);
}

void note_project_section(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct sizing_result *s = in->sizing;
	if (!s && !in->budget)
		return;
	note_heading(in, sb, sec, "Pistes d'amélioration et projet",
		     "Improvement tracks and project");
	if (s) {
		strbuf_addstr(sb, tr(in, "**Public cible** : ", "**Target public**: "));
		note_md(sb, s->label);
		strbuf_addstr(sb, tr(in, ", estimé à ", ", estimated at "));
		note_num(in, sb, s->target.central, 0);
		strbuf_addstr(sb, tr(in, " personnes (fourchette ", " people (range "));
		note_num(in, sb, s->target.low, 0);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		note_num(in, sb, s->target.high, 0);
		strbuf_addstr(sb, ").\n\n");
		if (s->has_offer) {
			strbuf_addstr(sb, tr(in, "**Offre existante** : ", "**Existing offer**: "));
			note_num(in, sb, s->offer.capacity, 0);
			strbuf_addf(sb,
				    tr(in, " places dans %zu structures, soit ",
				       " places in %zu structures, that is "),
				    s->offer.structures);
			note_num(in, sb, s->coverage.central, 1);
			strbuf_addstr(
			    sb, tr(in, " places pour 1" NNBSP "000 personnes du public cible.",
				   " places per 1,000 people of the target public."));
			if (s->offer.unknown_capacity)
				strbuf_addstr(sb, tr(in,
						     " Certaines structures n'ont pas de capacité "
						     "connue : c'est un minimum.",
						     " Some structures have no known capacity: a "
						     "lower bound."));
			strbuf_addstr(sb, "\n\n");
		}
		if (s->has_goal) {
			strbuf_addstr(sb,
				      tr(in, "**Écart** : pour atteindre ", "**Gap**: to reach "));
			note_num(in, sb, s->goal, 1);
			strbuf_addstr(
			    sb, tr(in, " places pour 1" NNBSP "000 (", " places per 1,000 ("));
			note_md(sb, s->goal_origin);
			strbuf_addstr(sb, tr(in, "), il manque ", "), "));
			note_num(in, sb, s->deficit.posts.central, 1);
			strbuf_addstr(sb, tr(in, " places ; proposition : ouvrir ",
					     " places are missing; "
					     "proposal: open "));
			note_num(in, sb, s->deficit.posts_to_open, 0);
			strbuf_addstr(sb, tr(in, " postes d'insertion (ETP).\n\n",
					     " insertion posts (FTE).\n\n"));
		}
	}
	if (in->budget) {
		const struct budget_result *r = in->budget;
		strbuf_addstr(sb, tr(in, "**Budget prévisionnel** : ", "**Budget forecast**: "));
		note_md(sb, in->budget_in->name ? in->budget_in->name : "");
		strbuf_addstr(sb, "\n\n");
		strbuf_addstr(sb, tr(in, "| | ", "| | "));
		for (int y = 0; y < BUDGET_YEARS; y++)
			strbuf_addf(sb, "%d | ", r->y[y].year);
		strbuf_addstr(sb, tr(in, "Total |\n|---|", "Total |\n|---|"));
		for (int y = 0; y <= BUDGET_YEARS; y++)
			strbuf_addstr(sb, "---:|");
		strbuf_addch(sb, '\n');
		static const struct {
			const char *fr, *en;
			size_t off;
		} rows[] = {
		    {"Charges", "Charges", offsetof(struct budget_year, charges)},
		    {"Produits", "Products", offsetof(struct budget_year, products)},
		    {"dont financements publics", "of which public funding",
		     offsetof(struct budget_year, public_funding)},
		    {"Résultat", "Balance", offsetof(struct budget_year, balance)},
		};
		for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
			strbuf_addf(sb, "| %s |", in->en ? rows[k].en : rows[k].fr);
			for (int y = 0; y <= BUDGET_YEARS; y++) {
				const struct budget_year *by =
				    y < BUDGET_YEARS ? &r->y[y] : &r->total;
				strbuf_addch(sb, ' ');
				note_money(in, sb,
					   *(const long long *)((const char *)by + rows[k].off));
				strbuf_addstr(sb, " |");
			}
			strbuf_addch(sb, '\n');
		}
		strbuf_addstr(sb,
			      tr(in,
				 "\n*Détail, plan de financement, scénarios et sensibilité : "
				 "`budget.csv` ; chaque montant renvoie à un paramètre "
				 "sourcé ou à une ligne du fichier de projet.*\n\n",
				 "\n*Details, funding plan, scenarios and sensitivity: "
				 "`budget.csv`; every amount traces to a sourced parameter or a "
				 "line of the project file.*\n\n"));
	}
}

enum status note_project_charts(const struct note_input *in, const char *dir, const char *place,
				struct note_chart_set *set, struct error *err)
{
	enum status st = TERRAIN_OK;
	/* needs against offer */
	if (in->sizing && in->sizing->has_goal) {
		const struct sizing_result *s = in->sizing;
		const char *cat[1] = {place};
		double need = s->goal * s->target.central / 1000, have = s->offer.capacity;
		struct chart_series pair[2] = {
		    {tr(in, "places nécessaires", "places needed"), &need, NULL, NULL},
		    {tr(in, "places existantes", "existing places"), &have, NULL, NULL}};
		struct chart c = {
		    CHART_PAIRED,
		    tr(in, "Besoins et offre d'insertion", "Needs and insertion offer"),
		    tr(in, "Sources : public cible et inventaire de l'offre du projet",
		       "Sources: the project's target public and offer inventory"),
		    NULL,
		    tr(in, "places", "places"),
		    cat,
		    1,
		    pair,
		    2,
		    0,
		    NULL,
		    0,
		    0};
		st = note_draw(&c, dir, "needs_offer", "project", set, err);
	}
	/* charges against products */
	if (!st && in->budget) {
		char ys[BUDGET_YEARS][8];
		const char *cat[BUDGET_YEARS];
		double ch[BUDGET_YEARS], pr[BUDGET_YEARS];
		for (int y = 0; y < BUDGET_YEARS; y++) {
			snprintf(ys[y], sizeof(ys[y]), "%d", in->budget->y[y].year);
			cat[y] = ys[y];
			ch[y] = (double)in->budget->y[y].charges / 100;
			pr[y] = (double)in->budget->y[y].products / 100;
		}
		struct chart_series pair[2] = {{tr(in, "charges", "charges"), ch, NULL, NULL},
					       {tr(in, "produits", "products"), pr, NULL, NULL}};
		struct chart c = {CHART_PAIRED,
				  tr(in, "Budget prévisionnel : charges et produits",
				     "Budget forecast: charges and products"),
				  tr(in,
				     "Source : budget prévisionnel du projet (paramètres sourcés)",
				     "Source: the project's budget forecast (sourced parameters)"),
				  NULL,
				  "€",
				  cat,
				  BUDGET_YEARS,
				  pair,
				  2,
				  0,
				  "€",
				  0,
				  0};
		st = note_draw(&c, dir, "budget", "project", set, err);
	}
	return st;
}
