#include "note.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "chart.h"
#include "typo.h"
#include "../core/territory.h"
#include "../core/xalloc.h"

#define NBSP   "\xc2\xa0"     /* before % and € */
#define NNBSP  "\xe2\x80\xaf" /* between thousands */

/* ---- words ---- */

/* The French or the English text (a macro: both stay format literals). */
#define tr(in, fr_, en_) ((in)->en ? (en_) : (fr_))

void note_escape_md(const char *s, struct strbuf *out)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			strbuf_addch(out, ' ');
			continue;
		}
		/* what can start markup inline or in a table cell; a list or
		 * heading marker only matters at a line's start, where the
		 * note never puts a user's text */
		if (strchr("\\`*_[]<>|~&#", *s))
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
}

void note_escape_html(const char *s, struct strbuf *out)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			strbuf_addstr(out, "&amp;");
			break;
		case '<':
			strbuf_addstr(out, "&lt;");
			break;
		case '>':
			strbuf_addstr(out, "&gt;");
			break;
		case '"':
			strbuf_addstr(out, "&quot;");
			break;
		case '\'':
			strbuf_addstr(out, "&#39;");
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
}

/* A number in the note's language (report/typo.h): "10 527" and "13,8" in
 * French, "10,527" and "13.8" in English; "n.d." / "n/a" for NAN. */
static void num(const struct note_input *in, struct strbuf *sb, double v, int dec)
{
	typo_number(sb, v, dec, !in->en);
}

/* A value in its unit: "13,8 %", "156 140", "4,2 pour 1 000". */
static void value(const struct note_input *in, struct strbuf *sb, double v,
		  const struct indicator_def *d)
{
	if (!strcmp(d->unit, "%")) {
		typo_percent(sb, v, d->decimals, !in->en);
		return;
	}
	num(in, sb, v, d->decimals);
	if (isnan(v))
		return;
	if (!strcmp(d->unit, "per 1 000"))
		strbuf_addstr(sb, tr(in, " pour" NBSP "1" NNBSP "000", " per 1,000"));
	else if (!strcmp(d->unit, "per 100"))
		strbuf_addstr(sb, tr(in, " pour" NBSP "100", " per 100"));
	else if (!strcmp(d->unit, "euros a year"))
		strbuf_addstr(sb, in->en ? " € a year" : NBSP "€ par an");
}

static void md_text(struct strbuf *sb, const char *s)
{
	note_escape_md(s, sb);
}

static const char *label(const struct note_input *in, const struct indicator_def *d)
{
	return in->en ? d->label_en : d->label_fr;
}

/* A period in the note's words: "2026-Q1" is "T1 2026" in French and
 * "Q1 2026" in English; a year stays as it is. */
static void period_text(const struct note_input *in, struct strbuf *sb, const char *p)
{
	int y, q;
	char tail;
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4)
		strbuf_addf(sb, "%s%d %d", in->en ? "Q" : "T", q, y);
	else
		md_text(sb, p);
}

/* An ISO date in words ("28 novembre 2026"); anything else as it is. */
static void date_text(const struct note_input *in, struct strbuf *sb, const char *iso)
{
	int y, m, d;
	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		typo_date(sb, y, m, d, !in->en);
	else
		md_text(sb, iso);
}

/* Why a value is missing, in the note's language: the analysis stage
 * gives a fixed English text (the command line's), translated here. */
static const char *why_text(const struct note_input *in, const char *why)
{
	static const char *const fr[][2] = {
	    {"needs terrain fetch: no store yet", "à récupérer avec terrain fetch"},
	    {"not published for this territory", "non publié pour ce territoire"},
	    {"no source terrain reads publishes it yet: see the note",
	     "aucune source lue par terrain ne le publie encore (voir la note)"},
	    {"not in the bundled data", "absent des données embarquées"},
	    {"the store has no value for this territory",
	     "aucune valeur récupérée pour ce territoire"},
	    {"no data for the communes of this territory",
	     "aucune donnée pour les communes de ce territoire"},
	    {"the base is zero", "dénominateur nul"},
	    {"the catalogue's definition is too long", "définition du catalogue trop longue"},
	    {"the catalogue gives no observation id", "définition du catalogue incomplète"},
	};
	if (!why)
		return tr(in, "non disponible", "not available");
	if (in->en)
		return why;
	for (size_t i = 0; i < sizeof(fr) / sizeof(fr[0]); i++)
		if (!strcmp(why, fr[i][0]))
			return fr[i][1];
	return "non disponible";
}

/* Is a bundled file's provenance one the note uses? */
static bool prov_used(const struct note_input *in, const struct provenance *p)
{
	if (!strncmp(p->file, "params/", 7))
		return in->budget_in != NULL;
	if (!strncmp(p->file, "bdm/", 4))
		return in->series != NULL;
	return true;
}

/* "Insee, recensement de la population 2021 (consulté le 28 novembre 2026)" */
static void cite(const struct note_input *in, struct strbuf *sb, const struct provenance *p)
{
	const char *c = in->en ? p->cite_en : p->cite_fr;
	if (c && *c) {
		md_text(sb, c);
	} else {
		md_text(sb, p->source);
		strbuf_addstr(sb, ", ");
		md_text(sb, p->dataset);
	}
	strbuf_addstr(sb, tr(in, " (consulté le ", " (accessed "));
	date_text(in, sb, p->retrieved);
	strbuf_addstr(sb, ")");
}

/* "à Grenoble", "en Isère", "dans Grenoble-Alpes-Métropole"; for a
 * reference after "de plus": "qu'à", "qu'en", "que dans". */
static void place(const struct note_input *in, struct strbuf *sb, const struct territory *t,
		  bool after_que)
{
	size_t skip = 0;
	if (in->en)
		strbuf_addstr(sb, "in ");
	else
		strbuf_addstr(sb, typo_place(t, after_que ? TYPO_THAN : TYPO_IN, &skip));
	md_text(sb, t->name ? t->name + skip : t->code);
}

/* The charts drawn for a section, as images with their title. */
static void figures(const struct note_input *in, struct strbuf *sb, const char *anchor)
{
	for (size_t i = 0; i < in->ncharts; i++) {
		if (strcmp(in->charts[i].anchor, anchor))
			continue;
		strbuf_addstr(sb, "![");
		md_text(sb, in->charts[i].title);
		strbuf_addf(sb, "](charts%s/%s.png)\n\n", in->suffix ? in->suffix : "",
			    in->charts[i].name);
	}
}

/* ---- sections ---- */

static void context(const struct note_input *in, struct strbuf *sb)
{
	const struct indicators_table *ind = in->ind;
	strbuf_addstr(sb, "# ");
	md_text(sb, in->title ? in->title
			      : (in->en ? "Territorial diagnosis" : "Diagnostic territorial"));
	strbuf_addstr(sb, "\n\n");
	if (in->author) {
		strbuf_addstr(sb, tr(in, "Auteur : ", "Author: "));
		md_text(sb, in->author);
		strbuf_addstr(sb, "  \n");
	}
	int y, m, d;
	if (in->date && sscanf(in->date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		strbuf_addstr(sb, tr(in, "Date : ", "Date: "));
		typo_date(sb, y, m, d, !in->en);
		strbuf_addstr(sb, "\n\n");
	}
	strbuf_addstr(sb, tr(in, "*Note de synthèse rédigée par terrain à partir des données "
				 "publiques et de l'enquête de terrain : chaque phrase marquée "
				 "« à relire » est un brouillon.*\n\n",
			     "*Synthesis note drafted by terrain from public data and the field "
			     "survey: every sentence marked \"to review\" is a draft.*\n\n"));
	strbuf_addstr(sb, tr(in, "## 1. Contexte et commande\n\n", "## 1. Context and brief\n\n"));
	strbuf_addstr(sb, tr(in, "Territoire étudié : **", "Territory: **"));
	md_text(sb, ind->t[0].name ? ind->t[0].name : ind->t[0].code);
	strbuf_addf(sb, "** (`%s`). ", ind->t[0].code);
	if (ind->nt > 1) {
		strbuf_addstr(sb, tr(in, "Territoires de référence : ", "Reference territories: "));
		for (size_t k = 1; k < ind->nt; k++) {
			if (k > 1)
				strbuf_addstr(sb, k + 1 == ind->nt ? tr(in, " et ", " and ") : ", ");
			md_text(sb, ind->t[k].name ? ind->t[k].name : ind->t[k].code);
		}
		strbuf_addstr(sb, ".");
	}
	strbuf_addstr(sb, "\n\n");
}

/* The weighting method in words. */
static const char *method_text(const struct note_input *in, const char *m)
{
	if (!strcmp(m, "rake"))
		return tr(in, "calage sur marges (raking)", "raking to the census margins");
	if (!strcmp(m, "poststratify"))
		return tr(in, "post-stratification", "post-stratification");
	return tr(in, "poids de sondage seuls (sans calage)", "design weights only (no calibration)");
}

static void method(const struct note_input *in, struct strbuf *sb)
{
	strbuf_addstr(sb, tr(in, "## 2. Méthodologie\n\n", "## 2. Method\n\n"));
	strbuf_addstr(sb, tr(in,
			     "Les indicateurs sont calculés à partir des effectifs additionnés des "
			     "communes de chaque territoire (jamais comme une moyenne de taux), dans "
			     "la géographie du COG 2026. Un écart est dit significatif lorsqu'un test "
			     "bilatéral au seuil de 5 % le distingue de zéro ; les effectifs du "
			     "recensement des communes de 10 000 habitants ou plus sont traités comme "
			     "issus d'un sondage au taux de 40 %.\n\n",
			     "Indicators are computed from the summed counts of each territory's "
			     "communes (never as an average of rates), in the geography of COG 2026. "
			     "A gap is called significant when a two-sided test at 5 % tells it from "
			     "zero; census counts of communes of 10,000 inhabitants or more are "
			     "treated as a 40 % sample.\n\n"));
	strbuf_addstr(sb, tr(in, "Sources :\n\n", "Sources:\n\n"));
	for (size_t i = 0; i < in->nprov; i++) {
		if (!prov_used(in, &in->prov[i]))
			continue;
		strbuf_addstr(sb, "- ");
		cite(in, sb, &in->prov[i]);
		strbuf_addstr(sb, "\n");
	}
	if (in->ind->stored)
		strbuf_addstr(sb, tr(in, "- les données publiques récupérées par `terrain fetch` "
					 "(dates de récupération dans le tableau en annexe)\n",
				     "- the public data `terrain fetch` retrieved (retrieval dates in "
				     "the appendix table)\n"));
	strbuf_addstr(sb, "\n");
	if (in->survey) {
		strbuf_addf(sb, tr(in,
				   "Enquête de terrain : %zu répondants, pondération par %s ; les "
				   "intervalles de confiance sont à 95 %%.\n\n",
				   "Field survey: %zu respondents, weighted by %s; confidence "
				   "intervals are at 95 %%.\n\n"),
			    in->survey->respondents, method_text(in, in->survey->method));
	}
}

/* Is indicator i available for the territory? */
static bool shown(const struct indicators_table *ind, size_t i)
{
	return !isnan(ind->v[0][i].value);
}

static void portrait(const struct note_input *in, struct strbuf *sb)
{
	const struct indicators_table *ind = in->ind;
	strbuf_addstr(sb, tr(in, "## 3. Portrait du territoire\n\n", "## 3. Territory profile\n\n"));
	strbuf_addstr(sb, tr(in, "| Indicateur |", "| Indicator |"));
	for (size_t k = 0; k < ind->nt; k++) {
		strbuf_addch(sb, ' ');
		md_text(sb, ind->t[k].name ? ind->t[k].name : ind->t[k].code);
		strbuf_addstr(sb, " |");
	}
	strbuf_addstr(sb, "\n|---|");
	for (size_t k = 0; k < ind->nt; k++)
		strbuf_addstr(sb, "---:|");
	strbuf_addch(sb, '\n');
	for (size_t i = 0; i < ind->nind; i++) {
		if (!shown(ind, i))
			continue;
		const struct indicator_def *d = ind->v[0][i].def;
		strbuf_addstr(sb, "| ");
		md_text(sb, label(in, d));
		if (ind->v[0][i].period[0]) {
			strbuf_addstr(sb, " (");
			period_text(in, sb, ind->v[0][i].period);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, " |");
		for (size_t k = 0; k < ind->nt; k++) {
			strbuf_addch(sb, ' ');
			value(in, sb, ind->v[k][i].value, d);
			strbuf_addstr(sb, " |");
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, tr(in, "\n*Sources : voir la méthodologie et l'annexe.*\n\n",
			     "\n*Sources: see the method and the appendix.*\n\n"));
	figures(in, sb, "portrait");
}

static void survey(const struct note_input *in, struct strbuf *sb)
{
	if (!in->survey)
		return;
	strbuf_addstr(sb, tr(in, "## 4. Résultats de l'enquête de terrain\n\n",
			     "## 4. Field survey results\n\n"));
	strbuf_addstr(sb, tr(in, "| Réponse | Part pondérée | IC à 95 % | Répondants |\n",
			     "| Answer | Weighted share | 95 % CI | Respondents |\n"));
	strbuf_addstr(sb, "|---|---:|---:|---:|\n");
	for (size_t i = 0; i < in->survey->nrow; i++) {
		const struct note_survey_row *r = &in->survey->row[i];
		strbuf_addstr(sb, "| ");
		md_text(sb, r->label);
		strbuf_addstr(sb, " | ");
		typo_percent(sb, 100 * r->value, 1, !in->en);
		strbuf_addstr(sb, " | ");
		num(in, sb, 100 * r->low, 1);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		num(in, sb, 100 * r->high, 1);
		strbuf_addf(sb, " | %zu |\n", r->n);
	}
	strbuf_addch(sb, '\n');
	figures(in, sb, "survey");
}

/* The reference a sentence compares with: the département when it is one,
 * else the first with a gap. */
static size_t main_ref(const struct indicators_table *ind, size_t i)
{
	size_t first = 0;
	for (size_t k = 1; k < ind->nt; k++) {
		if (!ind->has_gap[k * ind->nind + i])
			continue;
		if (ind->t[k].type == TERRITORY_DEP)
			return k;
		if (!first)
			first = k;
	}
	return first;
}

static void findings(const struct note_input *in, struct strbuf *sb)
{
	const struct indicators_table *ind = in->ind;
	const char *draft = tr(in, "*[À relire]* ", "*[To review]* ");
	size_t n = 0;
	strbuf_addstr(sb, tr(in, "## 5. Constats\n\n", "## 5. Findings\n\n"));
	for (size_t i = 0; i < ind->nind; i++) {
		size_t k = main_ref(ind, i);
		if (!k || !shown(ind, i))
			continue;
		const struct gap *g = &ind->gap[k * ind->nind + i];
		if (!g->significant)
			continue;
		const struct indicator_def *d = ind->v[0][i].def;
		strbuf_addstr(sb, "- ");
		strbuf_addstr(sb, draft);
		md_text(sb, label(in, d));
		strbuf_addstr(sb, in->en ? ": " : NBSP ": ");
		value(in, sb, ind->v[0][i].value, d);
		strbuf_addch(sb, ' ');
		place(in, sb, &ind->t[0], false);
		strbuf_addstr(sb, tr(in, ", soit ", ", "));
		num(in, sb, fabs(g->points), d->decimals);
		bool pct = !strcmp(d->unit, "%");
		if (pct) {
			strbuf_addstr(sb, tr(in, " points", " points"));
		} else {
			size_t mark = sb->len; /* the unit alone: "4,2 pour 1 000" less "4,2" */
			value(in, sb, 0, d);
			const char *unit = strchr(sb->buf + mark, ' ');
			char *copy = xstrdup(unit ? unit : "");
			strbuf_setlen(sb, mark);
			strbuf_addstr(sb, copy);
			free(copy);
		}
		strbuf_addstr(sb, g->points > 0 ? tr(in, " de plus ", " above the level ")
						: tr(in, " de moins ", " below the level "));
		place(in, sb, &ind->t[k], true);
		strbuf_addstr(sb, " (");
		value(in, sb, ind->v[k][i].value, d);
		strbuf_addstr(sb, tr(in, ") ; écart significatif au seuil de 5 %.\n",
				     "); a significant gap at 5 %.\n"));
		n++;
	}
	for (size_t i = 0; i < ind->nind; i++)
		for (size_t k = 0; k < ind->nt; k++) {
			const struct indicator_value *v = &ind->v[k][i];
			if (!v->has_trend || !(v->trend.lo > 0 || v->trend.hi < 0))
				continue;
			const struct indicator_def *d = v->def;
			strbuf_addstr(sb, "- ");
			strbuf_addstr(sb, draft);
			md_text(sb, label(in, d));
			strbuf_addstr(sb, in->en ? ": " : NBSP ": ");
			strbuf_addstr(sb, v->trend.slope > 0 ? tr(in, "en hausse ", "rising ")
							     : tr(in, "en baisse ", "falling "));
			place(in, sb, &ind->t[k], false);
			strbuf_addstr(sb, tr(in, ", de ", ", by "));
			num(in, sb, fabs(v->trend.slope), 2);
			strbuf_addstr(sb, !strcmp(d->unit, "%") ? tr(in, " point par an", " points a year")
								: tr(in, " par an", " a year"));
			strbuf_addf(sb, tr(in, " sur %zu périodes (IC à 95 %% : ", " over %zu periods (95 %% CI: "),
				    v->trend.n);
			num(in, sb, v->trend.lo, 2);
			strbuf_addstr(sb, tr(in, " à ", " to "));
			num(in, sb, v->trend.hi, 2);
			strbuf_addstr(sb, ").\n");
			n++;
		}
	if (!n)
		strbuf_addstr(sb, tr(in, "Aucun écart ni aucune tendance significatifs.\n",
				     "No significant gap or trend.\n"));
	strbuf_addch(sb, '\n');
}

static void money(const struct note_input *in, struct strbuf *sb, long long cents)
{
	typo_money(sb, (double)cents / 100, 0, !in->en);
}

static void project(const struct note_input *in, struct strbuf *sb)
{
	const struct sizing_result *s = in->sizing;
	if (!s && !in->budget)
		return;
	strbuf_addstr(sb, tr(in, "## 6. Pistes d'amélioration et projet\n\n",
			     "## 6. Improvement tracks and project\n\n"));
	if (s) {
		strbuf_addstr(sb, tr(in, "**Public cible** : ", "**Target public**: "));
		md_text(sb, s->label);
		strbuf_addstr(sb, tr(in, ", estimé à ", ", estimated at "));
		num(in, sb, s->target.central, 0);
		strbuf_addstr(sb, tr(in, " personnes (fourchette ", " people (range "));
		num(in, sb, s->target.low, 0);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		num(in, sb, s->target.high, 0);
		strbuf_addstr(sb, ").\n\n");
		if (s->has_offer) {
			strbuf_addstr(sb, tr(in, "**Offre existante** : ", "**Existing offer**: "));
			num(in, sb, s->offer.capacity, 0);
			strbuf_addf(sb, tr(in, " places dans %zu structures, soit ",
					   " places in %zu structures, that is "),
				    s->offer.structures);
			num(in, sb, s->coverage.central, 1);
			strbuf_addstr(sb, tr(in, " places pour 1" NNBSP "000 personnes du public cible.",
					     " places per 1,000 people of the target public."));
			if (s->offer.unknown_capacity)
				strbuf_addstr(sb, tr(in, " Certaines structures n'ont pas de capacité "
							 "connue : c'est un minimum.",
						     " Some structures have no known capacity: a "
						     "lower bound."));
			strbuf_addstr(sb, "\n\n");
		}
		if (s->has_goal) {
			strbuf_addstr(sb, tr(in, "**Écart** : pour atteindre ", "**Gap**: to reach "));
			num(in, sb, s->goal, 1);
			strbuf_addstr(sb, tr(in, " places pour 1" NNBSP "000 (", " places per 1,000 ("));
			md_text(sb, s->goal_origin);
			strbuf_addstr(sb, tr(in, "), il manque ", "), "));
			num(in, sb, s->deficit.posts.central, 1);
			strbuf_addstr(sb, tr(in, " places ; proposition : ouvrir ", " places are missing; "
											"proposal: open "));
			num(in, sb, s->deficit.posts_to_open, 0);
			strbuf_addstr(sb, tr(in, " postes d'insertion (ETP).\n\n",
					     " insertion posts (FTE).\n\n"));
		}
	}
	if (in->budget) {
		const struct budget_result *r = in->budget;
		strbuf_addstr(sb, tr(in, "**Budget prévisionnel** : ", "**Budget forecast**: "));
		md_text(sb, in->budget_in->name ? in->budget_in->name : "");
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
				const struct budget_year *by = y < BUDGET_YEARS ? &r->y[y] : &r->total;
				strbuf_addch(sb, ' ');
				money(in, sb, *(const long long *)((const char *)by + rows[k].off));
				strbuf_addstr(sb, " |");
			}
			strbuf_addch(sb, '\n');
		}
		strbuf_addstr(sb, tr(in, "\n*Détail, plan de financement, scénarios et sensibilité : "
					 "`budget.csv` ; chaque montant renvoie à un paramètre "
					 "sourcé ou à une ligne du fichier de projet.*\n\n",
				     "\n*Details, funding plan, scenarios and sensitivity: "
				     "`budget.csv`; every amount traces to a sourced parameter or a "
				     "line of the project file.*\n\n"));
	}
}

static void limits(const struct note_input *in, struct strbuf *sb)
{
	figures(in, sb, "project");
	const struct indicators_table *ind = in->ind;
	strbuf_addstr(sb, tr(in, "## 7. Limites\n\n", "## 7. Limits\n\n"));
	strbuf_addstr(sb, tr(in,
			     "- Les chiffres du recensement des grandes communes sont estimés par "
			     "sondage : un écart faible peut ne pas être significatif.\n"
			     "- Les quatre notions du chômage (recensement, taux localisé BIT, "
			     "inscrits à France Travail, Eurostat) ne se comparent pas entre elles.\n",
			     "- Census figures of large communes come from a sample: a small gap "
			     "may not be significant.\n"
			     "- The four unemployment notions (census, ILO localized rate, France "
			     "Travail registrations, Eurostat) are not comparable.\n"));
	size_t unavailable = 0;
	for (size_t i = 0; i < ind->nind; i++)
		unavailable += !shown(ind, i);
	if (unavailable)
		strbuf_addf(sb, tr(in, "- %zu indicateurs du catalogue ne sont pas disponibles pour ce "
				       "territoire (données à récupérer avec `terrain fetch`, ou sans "
				       "source publiée) : voir l'annexe.\n",
				   "- %zu indicators of the catalogue are unavailable for this "
				   "territory (data to fetch with `terrain fetch`, or no published "
				   "source): see the appendix.\n"),
			    unavailable);
	strbuf_addch(sb, '\n');
}

static void appendix(const struct note_input *in, struct strbuf *sb)
{
	const struct indicators_table *ind = in->ind;
	strbuf_addstr(sb, tr(in, "## Annexe : définitions des indicateurs\n\n",
			     "## Appendix: indicator definitions\n\n"));
	strbuf_addstr(sb, tr(in, "| Indicateur | Source | Note | Disponibilité |\n",
			     "| Indicator | Source | Note | Availability |\n"));
	strbuf_addstr(sb, "|---|---|---|---|\n");
	for (size_t i = 0; i < ind->nind; i++) {
		const struct indicator_value *v = &ind->v[0][i];
		strbuf_addstr(sb, "| ");
		md_text(sb, label(in, v->def));
		strbuf_addstr(sb, " | ");
		md_text(sb, v->def->source);
		if (v->retrieved) {
			strbuf_addstr(sb, tr(in, " (consulté le ", " (accessed "));
			date_text(in, sb, v->retrieved);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, " | ");
		md_text(sb, in->en ? v->def->note_en : v->def->note_fr);
		strbuf_addstr(sb, " | ");
		if (isnan(v->value))
			md_text(sb, why_text(in, v->why));
		else
			strbuf_addstr(sb, tr(in, "disponible", "available"));
		strbuf_addstr(sb, " |\n");
	}
	strbuf_addstr(sb, tr(in,
			     "\nLes données publiques sont réutilisées sous la Licence Ouverte 2.0 "
			     "d'Etalab. Les fichiers, leurs versions, leurs adresses et leurs empreintes "
			     "sont listés dans `manifest.json`, à côté de cette note.\n",
			     "\nThe public data are reused under Etalab's Licence Ouverte 2.0 (Open "
			     "Licence). The files, their versions, addresses and checksums are listed "
			     "in `manifest.json`, beside this note.\n"));
}

void note_markdown(const struct note_input *in, struct strbuf *out)
{
	context(in, out);
	method(in, out);
	portrait(in, out);
	survey(in, out);
	findings(in, out);
	project(in, out);
	limits(in, out);
	appendix(in, out);
}

/* ---- HTML ---- */

static const char css[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:48em;margin:2em auto;"
    "padding:0 1em;line-height:1.45;color:#222}"
    "h1{font-size:1.6em;border-bottom:2px solid #2b6ca3}h2{font-size:1.25em;color:#2b6ca3;"
    "margin-top:1.6em}table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
    "th,td{border:1px solid #bbb;padding:.25em .5em}th{background:#eef3f8}"
    "td:not(:first-child){text-align:right}em{color:#555}code{font-size:.9em}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}"
    "@media print{@page{size:A4;margin:18mm 16mm}body{max-width:none;margin:0;"
    "font-size:10pt}h2{page-break-after:avoid}table,figure{page-break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

enum status note_html(const char *md, size_t len, const char *title, bool en,
		      const struct note_chart *charts, size_t ncharts, struct strbuf *out,
		      struct error *err)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	cmark_syntax_extension *auto_link = cmark_find_syntax_extension("autolink");
	if (!parser || !table)
		return error_set(err, TERRAIN_EIO, "cmark-gfm: cannot create the parser");
	cmark_parser_attach_syntax_extension(parser, table);
	if (auto_link)
		cmark_parser_attach_syntax_extension(parser, auto_link);
	cmark_parser_feed(parser, md, len);
	cmark_node *doc = cmark_parser_finish(parser);
	/* CMARK_OPT_DEFAULT is the safe mode: raw HTML is left out */
	char *body = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
	strbuf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		    en ? "en" : "fr");
	strbuf_addstr(out, "<title>");
	note_escape_html(title, out);
	strbuf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	/* each chart's image becomes its SVG, inline: one self-contained file */
	const char *p = body ? body : "";
	for (;;) {
		const char *img = strstr(p, "<img src=\"charts");
		if (!img)
			break;
		const char *end = strstr(img, "/>");
		const char *slash = strchr(img + strlen("<img src=\"charts"), '/');
		const struct note_chart *c = NULL;
		for (size_t i = 0; i < ncharts && !c && slash; i++) {
			char src[64];
			snprintf(src, sizeof(src), "/%s.png\"", charts[i].name);
			if (!strncmp(slash, src, strlen(src)))
				c = &charts[i];
		}
		if (!end || !c || !c->svg) {
			strbuf_add(out, p, (size_t)(img - p) + 4);
			p = img + 4;
			continue;
		}
		strbuf_add(out, p, (size_t)(img - p));
		const char *svg = strstr(c->svg, "<svg");
		strbuf_addstr(out, "<figure role=\"img\" aria-label=\"");
		note_escape_html(c->title, out);
		strbuf_addstr(out, "\">");
		strbuf_addstr(out, svg ? svg : "");
		strbuf_addstr(out, "</figure>");
		p = end + 2;
	}
	strbuf_addstr(out, p);
	strbuf_addstr(out, "</body>\n</html>\n");
	free(body);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return TERRAIN_OK;
}

/* ---- charts ---- */

static void chart_add(struct note_chart **v, size_t *n, size_t *alloc, const char *name,
		      const char *title, const char *anchor, char *svg)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	struct note_chart *c = &(*v)[(*n)++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->title, sizeof(c->title), "%s", title);
	c->anchor = anchor;
	c->svg = svg;
}

/* Draw c as dir/name.svg and .png and keep the SVG. */
static enum status draw(const struct chart *c, const char *dir, const char *name,
			const char *anchor, struct note_chart **v, size_t *n, size_t *alloc,
			struct error *err)
{
	struct strbuf svg = STRBUF_INIT;
	enum status st = chart_write(c, NULL, dir, name, err);
	if (!st)
		st = chart_render(c, NULL, CHART_SVG, &svg, err);
	if (st) {
		strbuf_release(&svg);
		return st;
	}
	chart_add(v, n, alloc, name, c->title, anchor, strbuf_detach(&svg));
	return TERRAIN_OK;
}

static size_t find_ind(const struct indicators_table *t, const char *id)
{
	for (size_t i = 0; i < t->nind; i++)
		if (!strcmp(t->v[0][i].def->id, id))
			return i;
	return (size_t)-1;
}

enum status note_charts(const struct note_input *in, const char *outdir, struct note_chart **out,
			size_t *nout, struct error *err)
{
	const struct indicators_table *ind = in->ind;
	struct note_chart *v = NULL;
	size_t n = 0, alloc = 0;
	struct strbuf dir = STRBUF_INIT, title = STRBUF_INIT;
	const char *names[1 + 16];
	double vals[16];
	enum status st = TERRAIN_OK;
	const char *src_census = tr(in, "Source : Insee, recensement 2021 (comparateur de territoires)",
				    "Source: Insee, census 2021 (comparateur de territoires)");
	*out = NULL;
	*nout = 0;
	strbuf_addf(&dir, "%s/charts%s", outdir, in->suffix ? in->suffix : "");
	if ((st = fileio_mkdirs(dir.buf, err)))
		goto out;
	for (size_t k = 0; k < ind->nt && k < 16; k++)
		names[k] = ind->t[k].name ? ind->t[k].name : ind->t[k].code;

	/* the territory against its references, on two census rates */
	static const char *const bar_ids[] = {"unemployment_rate_census", "activity_rate_15_64"};
	static const char *const bar_names[] = {"unemployment", "activity"};
	for (size_t b = 0; b < 2 && !st; b++) {
		size_t i = find_ind(ind, bar_ids[b]);
		if (i == (size_t)-1 || isnan(ind->v[0][i].value))
			continue;
		for (size_t k = 0; k < ind->nt && k < 16; k++)
			vals[k] = ind->v[k][i].value;
		struct chart_series s = {label(in, ind->v[0][i].def), vals, NULL, NULL};
		struct chart c = {CHART_BARS, label(in, ind->v[0][i].def), src_census, NULL, NULL,
				  names, ind->nt < 16 ? ind->nt : 16, &s, 1, 1, "%", 0, 0};
		st = draw(&c, dir.buf, bar_names[b], "portrait", &v, &n, &alloc, err);
	}
	/* the population each COG package carries */
	if (!st && in->pop_cog) {
		static const char *const cogs[] = {"2021", "2022", "2023", "2024", "2025", "2026"};
		strbuf_reset(&title);
		strbuf_addf(&title, tr(in, "Population en vigueur selon le millésime du COG : %s",
				       "Population by COG vintage: %s"),
			    names[0]);
		struct chart_series s = {names[0], in->pop_cog, NULL, NULL};
		struct chart c = {CHART_SERIES, title.buf,
				  tr(in, "Source : Insee, code officiel géographique 2021 à 2026",
				     "Source: Insee, official geographic code 2021 to 2026"),
				  tr(in, "millésime du COG", "COG vintage"), NULL, cogs, 6, &s, 1, 0,
				  NULL, 0, 0};
		st = draw(&c, dir.buf, "population_cog", "portrait", &v, &n, &alloc, err);
	}
	/* the localized unemployment rate by quarter, for the references that have it */
	if (!st && in->series) {
		const char *q[64];
		size_t nq = 0;
		for (size_t i = 0; i < in->series->n && nq < 64; i++) {
			const char *p = in->series->v[i].period;
			bool seen = false;
			for (size_t j = 0; j < nq && !seen; j++)
				seen = !strcmp(q[j], p);
			if (!seen && !strcmp(in->series->v[i].indicator, "bdm.taux_chomage_localise"))
				q[nq++] = p;
		}
		for (size_t a = 1; a < nq; a++) /* in order */
			for (size_t b = a; b > 0 && strcmp(q[b - 1], q[b]) > 0; b--) {
				const char *t = q[b];
				q[b] = q[b - 1];
				q[b - 1] = t;
			}
		struct chart_series ss[16];
		double *buf = xcalloc(16 * (nq ? nq : 1), sizeof(double));
		size_t ns = 0;
		for (size_t k = 0; k < ind->nt && k < 16 && nq; k++) {
			double *y = buf + ns * nq;
			size_t have = 0;
			for (size_t j = 0; j < nq; j++) {
				y[j] = NAN;
				for (size_t i = 0; i < in->series->n; i++) {
					const struct observation *o = &in->series->v[i];
					if (!strcmp(o->territory, ind->t[k].code) &&
					    !strcmp(o->period, q[j]) &&
					    !strcmp(o->indicator, "bdm.taux_chomage_localise")) {
						y[j] = o->value;
						have++;
					}
				}
			}
			if (have)
				ss[ns++] = (struct chart_series){names[k], y, NULL, NULL};
		}
		if (ns) {
			struct chart c = {CHART_SERIES,
					  tr(in, "Taux de chômage localisé (BIT), par trimestre",
					     "Localized unemployment rate (ILO), by quarter"),
					  tr(in, "Source : Insee, taux de chômage localisés (BDM)",
					     "Source: Insee, localized unemployment rates (BDM)"),
					  NULL, "%", q, nq, ss, ns, 1, "%", 0, 0};
			st = draw(&c, dir.buf, "unemployment_localized", "portrait", &v, &n, &alloc,
				  err);
		}
		free(buf);
	}
	/* the survey's shares that carry an interval (margins are exact) */
	if (!st && in->survey) {
		const char *cat[12];
		double val[12], lo[12], hi[12];
		size_t m = 0;
		for (size_t i = 0; i < in->survey->nrow && m < 12; i++) {
			const struct note_survey_row *r = &in->survey->row[i];
			if (!(r->high - r->low > 1e-9))
				continue;
			cat[m] = r->label;
			val[m] = 100 * r->value;
			lo[m] = 100 * r->low;
			hi[m] = 100 * r->high;
			m++;
		}
		if (m) {
			struct chart_series s = {tr(in, "part pondérée", "weighted share"), val, lo, hi};
			struct chart c = {CHART_INTERVALS,
					  tr(in, "Enquête de terrain : parts pondérées et intervalles à 95 %",
					     "Field survey: weighted shares and 95 % intervals"),
					  tr(in, "Source : enquête de terrain (voir la méthodologie)",
					     "Source: field survey (see the method)"),
					  NULL, "%", cat, m, &s, 1, 1, "%", 900, 520};
			st = draw(&c, dir.buf, "survey", "survey", &v, &n, &alloc, err);
		}
	}
	/* needs against offer */
	if (!st && in->sizing && in->sizing->has_goal) {
		const struct sizing_result *s = in->sizing;
		const char *cat[1] = {names[0]};
		double need = s->goal * s->target.central / 1000, have = s->offer.capacity;
		struct chart_series pair[2] = {{tr(in, "places nécessaires", "places needed"), &need, NULL, NULL},
					       {tr(in, "places existantes", "existing places"), &have, NULL, NULL}};
		struct chart c = {CHART_PAIRED, tr(in, "Besoins et offre d'insertion", "Needs and insertion offer"),
				  tr(in, "Sources : public cible et inventaire de l'offre du projet",
				     "Sources: the project's target public and offer inventory"),
				  NULL, tr(in, "places", "places"), cat, 1, pair, 2, 0, NULL, 0, 0};
		st = draw(&c, dir.buf, "needs_offer", "project", &v, &n, &alloc, err);
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
		struct chart c = {CHART_PAIRED, tr(in, "Budget prévisionnel : charges et produits",
						   "Budget forecast: charges and products"),
				  tr(in, "Source : budget prévisionnel du projet (paramètres sourcés)",
				     "Source: the project's budget forecast (sourced parameters)"),
				  NULL, "€", cat, BUDGET_YEARS, pair, 2, 0, "€", 0, 0};
		st = draw(&c, dir.buf, "budget", "project", &v, &n, &alloc, err);
	}
out:
	strbuf_release(&dir);
	strbuf_release(&title);
	if (st) {
		note_charts_free(v, n);
		return st;
	}
	*out = v;
	*nout = n;
	return TERRAIN_OK;
}

void note_charts_free(struct note_chart *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].svg);
	free(c);
}
