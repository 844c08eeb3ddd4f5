/* The project's part of the note (bloc 2), "Projet proposé": the target
 * public, the offer and the gap; the budget reconciled with the sizing
 * (the posts the budget pays against the posts the sizing proposes), each
 * year in deficit as a warning, the funding plan (emplois and ressources)
 * and the charges with their origin; and their charts. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "budget_report.h"
#include "note_internal.h"
#include "typo.h"

void note_money(const struct note_input *in, struct strbuf *sb, long long cents)
{
	typo_money(sb, (double)cents / 100, 0, !in->en);
}

/* A count of posts: whole, or with one decimal when it is not. */
static void posts_num(const struct note_input *in, struct strbuf *sb, double v)
{
	note_num(in, sb, v, v == floor(v) ? 0 : 1);
}

/* "12 postes" / "1 poste"; en "12 posts". */
static void posts_text(const struct note_input *in, struct strbuf *sb, double v)
{
	posts_num(in, sb, v);
	strbuf_addstr(sb, fabs(v) >= 2 || (in->en && fabs(v) != 1) ? tr(in, " postes", " posts")
								   : tr(in, " poste", " post"));
}

/* When, for consecutive years: "en 2027", "en 2028 et 2029", "de 2027 à
 * 2029"; en "in 2027", "in 2028 and 2029", "from 2027 to 2029". */
static void years_text(const struct note_input *in, struct strbuf *sb, int from, int to)
{
	if (to > from + 1) {
		strbuf_addf(sb, tr(in, "de %d à %d", "from %d to %d"), from, to);
		return;
	}
	strbuf_addf(sb, tr(in, "en %d", "in %d"), from);
	if (to != from)
		strbuf_addf(sb, tr(in, " et %d", " and %d"), to);
}

/* The budget's posts against the posts the sizing proposes to open: one
 * paragraph, nothing without both.  Consecutive years with the same posts
 * go together; a year under the proposal leaves places missing, a year
 * over it opens posts the measured gap does not account for. */
void note_project_reconcile(const struct note_input *in, struct strbuf *sb)
{
	const struct sizing_result *s = in->sizing;
	if (!s || !s->has_goal || !in->budget || !in->budget_in)
		return;
	const double *posts = in->budget_in->p[BUDGET_POSTS].v;
	const double want = s->deficit.posts_to_open;
	int y0 = in->budget->y[0].year;
	struct span {
		int from, to;
		double v;
	} g[BUDGET_YEARS];
	size_t ng = 0;
	for (int y = 0; y < BUDGET_YEARS; y++) {
		if (ng && g[ng - 1].v == posts[y])
			g[ng - 1].to = y0 + y;
		else
			g[ng++] = (struct span){y0 + y, y0 + y, posts[y]};
	}
	if (ng == 1 && posts[0] == want) {
		strbuf_addstr(sb, tr(in, "Le budget porte sur les ", "The budget pays for the "));
		posts_text(in, sb, want);
		strbuf_addstr(sb, tr(in, " que propose le dimensionnement.\n\n",
				     " that the sizing proposes.\n\n"));
		return;
	}
	strbuf_addstr(sb, tr(in, "Le budget porte sur ", "The budget pays for "));
	for (size_t k = 0; k < ng; k++) {
		if (k) { /* "12 postes en 2027, puis 14 en 2028" */
			strbuf_addstr(sb, tr(in, ", puis ", ", then "));
			posts_num(in, sb, g[k].v);
		} else {
			posts_text(in, sb, g[k].v);
		}
		if (ng > 1) {
			strbuf_addch(sb, ' ');
			years_text(in, sb, g[k].from, g[k].to);
		}
	}
	if (want > 0) {
		strbuf_addstr(sb, tr(in, ", alors que le dimensionnement en propose ",
				     ", whereas the sizing proposes "));
		posts_num(in, sb, want);
	} else {
		strbuf_addstr(sb, tr(in,
				     ", alors que le dimensionnement n'en propose aucun, l'offre "
				     "existante atteignant déjà l'objectif",
				     ", whereas the sizing proposes none, the existing offer "
				     "already reaching the goal"));
	}
	strbuf_addstr(sb, tr(in, NBSP ": ", ": "));
	bool first = true;
	for (size_t k = 0; k < ng; k++) {
		if (g[k].v == want)
			continue;
		strbuf_addstr(sb, first ? "" : tr(in, NBSP "; ", "; "));
		if (ng > 1) {
			years_text(in, sb, g[k].from, g[k].to);
			strbuf_addstr(sb, ", ");
		}
		if (g[k].v < want) {
			strbuf_addstr(sb, tr(in, "l'objectif de ", "the goal of "));
			note_num(in, sb, s->goal, 1);
			strbuf_addstr(sb, tr(in,
					     " places pour 1" NNBSP "000 ne serait pas atteint, il "
					     "manquerait encore ",
					     " places per 1,000 would not be reached, "));
			posts_text(in, sb, want - g[k].v);
			if (in->en)
				strbuf_addstr(sb, " would still be missing");
		} else {
			posts_text(in, sb, g[k].v - want);
			strbuf_addstr(sb,
				      tr(in,
					 " de plus que l'écart mesuré, à justifier par un besoin "
					 "que le dimensionnement ne mesure pas",
					 " more than the measured gap, to be justified by a need "
					 "the sizing does not measure"));
		}
		first = false;
	}
	strbuf_addstr(sb, ".\n\n");
}

/* "2027", "2027 et 2029", "2027, 2028 et 2029"; en "2027 and 2029". */
static void years_list(const struct note_input *in, struct strbuf *sb, const int *years, size_t n)
{
	for (size_t k = 0; k < n; k++)
		strbuf_addf(sb, "%s%d",
			    k == 0	? ""
			    : k + 1 < n ? ", "
					: tr(in, " et ", " and "),
			    years[k]);
}

/* One warning per year in deficit, with how it is covered: by the other
 * years' surpluses when the three-year result is not negative (cash
 * permitting, when the years before do not cover it already), else not at
 * all, with the three-year shortfall. */
void note_project_deficits(const struct note_input *in, struct strbuf *sb)
{
	const struct budget_result *r = in->budget;
	if (!r)
		return;
	for (int y = 0; y < BUDGET_YEARS; y++) {
		const struct budget_year *by = &r->y[y];
		if (by->balance >= 0)
			continue;
		strbuf_addstr(sb,
			      tr(in, "> **Attention** : l'exercice ", "> **Warning**: the year "));
		strbuf_addf(sb, "%d", by->year);
		strbuf_addstr(sb, tr(in, " est en déficit de ", " shows a deficit of "));
		note_money(in, sb, -by->balance);
		strbuf_addstr(sb, tr(in, " (charges de ", " (charges of "));
		note_money(in, sb, by->charges);
		strbuf_addstr(sb, tr(in, ", produits de ", ", products of "));
		note_money(in, sb, by->products);
		strbuf_addstr(sb, "). ");
		int years[BUDGET_YEARS];
		size_t n = 0;
		long long before = 0; /* the result up to this year, included */
		for (int z = 0; z < BUDGET_YEARS; z++) {
			if (z != y && r->y[z].balance > 0)
				years[n++] = r->y[z].year;
			if (z <= y)
				before += r->y[z].balance;
		}
		if (r->total.balance >= 0) {
			strbuf_addstr(sb, tr(in, "Les excédents de ", "The surpluses of "));
			years_list(in, sb, years, n);
			strbuf_addstr(sb, tr(in, " le couvrent (résultat sur trois ans" NBSP ": ",
					     " cover it (three-year result: "));
			note_money(in, sb, r->total.balance);
			strbuf_addch(sb, ')');
			if (before < 0)
				strbuf_addstr(sb,
					      tr(in,
						 ", à condition que la trésorerie permette "
						 "d'avancer ce déficit jusque-là",
						 ", provided the cash flow can carry the deficit "
						 "until then"));
			strbuf_addstr(sb, ".\n\n");
			continue;
		}
		strbuf_addstr(
		    sb, tr(in, "Il n'est pas couvert" NBSP ": le résultat sur trois ans est de ",
			   "It is not covered: the three-year result is "));
		note_money(in, sb, r->total.balance);
		strbuf_addstr(sb, tr(in, NBSP "; il faut trouver ", "; "));
		note_money(in, sb, -r->total.balance);
		strbuf_addstr(sb, tr(in,
				     " de ressources de plus sur les trois ans, ou réduire "
				     "d'autant les charges.\n\n",
				     " more in resources must be found over the three years, or "
				     "as much cut from the charges.\n\n"));
	}
}

/* A table row: the label, then the years and the total as money. */
static void money_row(const struct note_input *in, struct strbuf *sb, const char *label, bool bold,
		      const long long *v)
{
	strbuf_addstr(sb, bold ? "| **" : "| ");
	note_md(sb, label);
	strbuf_addstr(sb, bold ? "** |" : " |");
	for (int c = 0; c < BUDGET_PLAN_COLS; c++) {
		strbuf_addstr(sb, bold ? " **" : " ");
		note_money(in, sb, v[c]);
		strbuf_addstr(sb, bold ? "** |" : " |");
	}
	strbuf_addch(sb, '\n');
}

/* "| first | 2027 | 2028 | 2029 | Total |" and its alignment row; extra
 * is a last column's title, or NULL. */
static void years_head(const struct note_input *in, struct strbuf *sb, const char *first,
		       const char *extra)
{
	strbuf_addf(sb, "| %s | ", first);
	for (int y = 0; y < BUDGET_YEARS; y++)
		strbuf_addf(sb, "%d | ", in->budget->y[y].year);
	strbuf_addstr(sb, "Total |");
	if (extra)
		strbuf_addf(sb, " %s |", extra);
	strbuf_addstr(sb, "\n|---|");
	for (int y = 0; y <= BUDGET_YEARS; y++)
		strbuf_addstr(sb, "---:|");
	if (extra)
		strbuf_addstr(sb, "---|");
	strbuf_addch(sb, '\n');
}

/* The funding plan: emplois (the charges by line), ressources (the
 * products by funder), their totals, and the gap between them on a line of
 * its own when some year is not balanced. */
void note_project_funding_plan(const struct note_input *in, struct strbuf *sb,
			       const struct budget_plan *p)
{
	strbuf_addstr(sb, tr(in, "### Plan de financement\n\n", "### Funding plan\n\n"));
	years_head(in, sb, tr(in, "Emplois", "Uses"), NULL);
	for (size_t k = 0; k < p->ncharge; k++)
		money_row(in, sb, p->charge[k].label, false, p->charge[k].v);
	money_row(in, sb, tr(in, "Total des emplois", "Total uses"), true, p->charges);
	strbuf_addstr(sb, tr(in, "| **Ressources** |", "| **Resources** |"));
	for (int c = 0; c < BUDGET_PLAN_COLS; c++)
		strbuf_addstr(sb, " |");
	strbuf_addch(sb, '\n');
	for (size_t k = 0; k < p->nresource; k++)
		money_row(in, sb, p->resource[k].label, false, p->resource[k].v);
	money_row(in, sb, tr(in, "Total des ressources", "Total resources"), true, p->resources);
	bool balanced = true;
	for (int c = 0; c < BUDGET_PLAN_COLS; c++)
		balanced = balanced && p->balance[c] == 0;
	if (!balanced)
		money_row(in, sb,
			  tr(in, "Solde (ressources − emplois)", "Balance (resources − uses)"),
			  true, p->balance);
	strbuf_addch(sb, '\n');
}

/* Each charge by year with where it comes from. */
void note_project_charges(const struct note_input *in, struct strbuf *sb,
			  const struct budget_plan *p)
{
	strbuf_addstr(sb, tr(in, "### Détail des charges\n\n", "### Charges in detail\n\n"));
	years_head(in, sb, tr(in, "Charge", "Charge"), tr(in, "Origine", "Origin"));
	for (size_t k = 0; k < p->ncharge; k++) {
		const struct budget_plan_line *l = &p->charge[k];
		strbuf_addstr(sb, "| ");
		note_md(sb, l->label);
		strbuf_addstr(sb, " |");
		for (int c = 0; c < BUDGET_PLAN_COLS; c++) {
			strbuf_addch(sb, ' ');
			note_money(in, sb, l->v[c]);
			strbuf_addstr(sb, " |");
		}
		strbuf_addch(sb, ' ');
		note_md(sb, l->origin);
		strbuf_addstr(sb, " |\n");
	}
	strbuf_addch(sb, '\n');
}

/* "1 structure", "4 structures" (the same in both languages). */
static const char *structures(size_t n)
{
	return n > 1 ? " structures" : " structure";
}

void note_project_section(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct sizing_result *s = in->sizing;
	if (!s && !in->budget && !in->plan)
		return;
	note_heading(in, sb, sec, "Projet proposé", "Proposed project");
	if (s) {
		strbuf_addstr(sb, tr(in, "**Public cible** : ", "**Target public**: "));
		note_md(sb, s->label);
		strbuf_addstr(sb, tr(in, ", estimé à ", ", estimated at "));
		note_num(in, sb, s->target.central, 0);
		strbuf_addstr(sb, tr(in, " personnes (fourchette de ", " people (range "));
		note_num(in, sb, s->target.low, 0);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		note_num(in, sb, s->target.high, 0);
		strbuf_addstr(sb, ").\n\n");
		if (s->has_offer) {
			strbuf_addstr(sb, tr(in, "**Offre existante** : ", "**Existing offer**: "));
			note_num(in, sb, s->offer.capacity, 0);
			strbuf_addstr(sb, tr(in, " places dans ", " places in "));
			strbuf_addf(sb, "%zu%s", s->offer.structures,
				    structures(s->offer.structures));
			strbuf_addstr(sb, tr(in, ", soit ", ", that is "));
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
			if (s->goal_ref_set) {
				strbuf_addstr(sb, tr(in, "la couverture de la référence «" NBSP,
						     "the coverage of the reference “"));
				note_md(sb, s->ref[s->goal_ref].name);
				strbuf_addstr(sb, tr(in, NBSP "»", "”"));
			} else {
				note_md(sb, s->goal_source);
			}
			strbuf_addf(sb,
				    tr(in, NBSP "; fichier de projet, ligne %u), il manque ",
				       "; project file, line %u), "),
				    s->goal_line);
			note_num(in, sb, s->deficit.posts.central, 1);
			strbuf_addstr(
			    sb, tr(in, " places (fourchette de ", " places are missing (range "));
			note_num(in, sb, s->deficit.posts.low, 1);
			strbuf_addstr(sb, tr(in, " à ", " to "));
			note_num(in, sb, s->deficit.posts.high, 1);
			strbuf_addstr(sb, tr(in, ")" NBSP "; le dimensionnement propose d'ouvrir ",
					     "); the sizing proposes to open "));
			double n = s->deficit.posts_to_open;
			posts_num(in, sb, n);
			if (in->en) /* "14 insertion posts" */
				strbuf_addstr(sb, n == 1 ? " insertion post" : " insertion posts");
			else /* "14 postes d'insertion" */
				strbuf_addstr(sb, n >= 2 ? " postes d'insertion"
							 : " poste d'insertion");
			strbuf_addstr(sb, tr(in, " (en ETP, une place par poste).\n\n",
					     " (FTE, one place a post).\n\n"));
		}
	}
	if (in->budget) {
		const struct budget_result *r = in->budget;
		strbuf_addstr(sb, tr(in, "**Budget prévisionnel** : ", "**Budget forecast**: "));
		note_md(sb, in->budget_in->name ? in->budget_in->name : "");
		strbuf_addstr(sb, "\n\n");
		note_project_reconcile(in, sb);
		years_head(in, sb, "", NULL);
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
			long long v[BUDGET_PLAN_COLS];
			for (int y = 0; y < BUDGET_PLAN_COLS; y++)
				v[y] = *(const long long *)((const char *)(y < BUDGET_YEARS
									       ? &r->y[y]
									       : &r->total) +
							    rows[k].off);
			money_row(in, sb, in->en ? rows[k].en : rows[k].fr, false, v);
		}
		strbuf_addch(sb, '\n');
		note_project_deficits(in, sb);
		struct budget_plan plan;
		report_budget_plan(&plan, in->budget_in, r, in->en);
		note_project_funding_plan(in, sb, &plan);
		note_project_charges(in, sb, &plan);
		report_budget_plan_release(&plan);
		strbuf_addstr(sb,
			      tr(in,
				 "*Paramètres, scénarios et sensibilité : `budget.csv` ; "
				 "chaque montant renvoie à un paramètre sourcé ou à une ligne du "
				 "fichier de projet.*\n\n",
				 "*Parameters, scenarios and sensitivity: `budget.csv`; every "
				 "amount traces to a sourced parameter or a line of the project "
				 "file.*\n\n"));
	}
	if (in->plan) {
		note_figures(in, sb, "project", NULL);
		note_plan_section(in, sb);
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
		    .kind = CHART_PAIRED,
		    .en = in->en,
		    .title = tr(in, "Besoins et offre d'insertion", "Needs and insertion offer"),
		    .source = tr(in, "Sources : public cible et inventaire de l'offre du projet",
				 "Sources: the project's target public and offer inventory"),
		    .ylabel = tr(in, "places", "places"),
		    .cat = cat,
		    .ncat = 1,
		    .series = pair,
		    .nseries = 2,
		};
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
		struct chart c = {
		    .kind = CHART_PAIRED,
		    .en = in->en,
		    .title = tr(in, "Budget prévisionnel : charges et produits",
				"Budget forecast: charges and products"),
		    .source = tr(in, "Source : budget prévisionnel du projet (paramètres sourcés)",
				 "Source: the project's budget forecast (sourced parameters)"),
		    .ylabel = "€",
		    .cat = cat,
		    .ncat = BUDGET_YEARS,
		    .series = pair,
		    .nseries = 2,
		    .unit = "€",
		};
		st = note_draw(&c, dir, "budget", "project", set, err);
	}
	/* the action plan's schedule */
	if (!st && in->plan && in->plan->naction)
		st = note_plan_chart(in, dir, set, err);
	return st;
}
