#include "note.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/xalloc.h"
#include "note_internal.h"
#include "typo.h"

/* ---- words ---- */

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
void note_num(const struct note_input *in, struct strbuf *sb, double v, int dec)
{
	typo_number(sb, v, dec, !in->en);
}

/* A value in its unit: "13,8 %", "156 140", "4,2 pour 1 000". */
void note_value(const struct note_input *in, struct strbuf *sb, double v,
		const struct indicator_def *d)
{
	if (!strcmp(d->unit, "%")) {
		typo_percent(sb, v, d->decimals, !in->en);
		return;
	}
	note_num(in, sb, v, d->decimals);
	if (isnan(v))
		return;
	if (!strcmp(d->unit, "per 1 000"))
		strbuf_addstr(sb, tr(in, " pour" NBSP "1" NNBSP "000", " per 1,000"));
	else if (!strcmp(d->unit, "per 100"))
		strbuf_addstr(sb, tr(in, " pour" NBSP "100", " per 100"));
	else if (!strcmp(d->unit, "euros a year"))
		strbuf_addstr(sb, in->en ? " € a year" : NBSP "€ par an");
}

void note_md(struct strbuf *sb, const char *s)
{
	note_escape_md(s, sb);
}

const char *note_label(const struct note_input *in, const struct indicator_def *d)
{
	return in->en ? d->label_en : d->label_fr;
}

/* A period in the note's words: "2026-Q1" is "T1 2026" in French and
 * "Q1 2026" in English; a year stays as it is. */
void note_period(const struct note_input *in, struct strbuf *sb, const char *p)
{
	int y, q;
	char tail;
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4)
		strbuf_addf(sb, "%s%d %d", in->en ? "Q" : "T", q, y);
	else
		note_md(sb, p);
}

/* An ISO date in words ("28 novembre 2026"); anything else as it is. */
void note_date_text(const struct note_input *in, struct strbuf *sb, const char *iso)
{
	int y, m, d;
	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		typo_date(sb, y, m, d, !in->en);
	else
		note_md(sb, iso);
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
		note_md(sb, c);
	} else {
		note_md(sb, p->source);
		strbuf_addstr(sb, ", ");
		note_md(sb, p->dataset);
	}
	strbuf_addstr(sb, tr(in, " (consulté le ", " (accessed "));
	note_date_text(in, sb, p->retrieved);
	strbuf_addstr(sb, ")");
}

/* "à Grenoble", "en Isère", "dans Grenoble-Alpes-Métropole"; for a
 * reference after "de plus": "qu'à", "qu'en", "que dans". */
void note_place(const struct note_input *in, struct strbuf *sb, const struct territory *t,
		bool after_que)
{
	size_t skip = 0;
	if (in->en)
		strbuf_addstr(sb, "in ");
	else
		strbuf_addstr(sb, typo_place(t, after_que ? TYPO_THAN : TYPO_IN, &skip));
	note_md(sb, t->name ? t->name + skip : t->code);
}

/* The charts drawn for a section, as images with their title. */
void note_figures(const struct note_input *in, struct strbuf *sb, const char *anchor)
{
	for (size_t i = 0; i < in->ncharts; i++) {
		if (strcmp(in->charts[i].anchor, anchor))
			continue;
		strbuf_addstr(sb, "![");
		note_md(sb, in->charts[i].title);
		strbuf_addf(sb, "](charts%s/%s.png)\n\n", in->suffix ? in->suffix : "",
			    in->charts[i].name);
	}
}

/* ---- sections ---- */

static void context(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct indicators_table *ind = in->ind;
	strbuf_addstr(sb, "# ");
	note_md(sb, in->title ? in->title
			      : (in->en ? "Territorial diagnosis" : "Diagnostic territorial"));
	strbuf_addstr(sb, "\n\n");
	if (in->author) {
		strbuf_addstr(sb, tr(in, "Auteur : ", "Author: "));
		note_md(sb, in->author);
		strbuf_addstr(sb, "  \n");
	}
	int y, m, d;
	if (in->date && sscanf(in->date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		strbuf_addstr(sb, tr(in, "Date : ", "Date: "));
		typo_date(sb, y, m, d, !in->en);
		strbuf_addstr(sb, "\n\n");
	}
	strbuf_addstr(sb, tr(in,
			     "*Note de synthèse rédigée par terrain à partir des données "
			     "publiques et de l'enquête de terrain : chaque phrase marquée "
			     "« à relire » est un brouillon.*\n\n",
			     "*Synthesis note drafted by terrain from public data and the field "
			     "survey: every sentence marked \"to review\" is a draft.*\n\n"));
	note_heading(in, sb, sec, "Contexte et commande", "Context and brief");
	strbuf_addstr(sb, tr(in, "Territoire étudié : **", "Territory: **"));
	note_md(sb, ind->t[0].name ? ind->t[0].name : ind->t[0].code);
	strbuf_addf(sb, "** (`%s`). ", ind->t[0].code);
	if (ind->nt > 1) {
		strbuf_addstr(sb, tr(in, "Territoires de référence : ", "Reference territories: "));
		for (size_t k = 1; k < ind->nt; k++) {
			if (k > 1)
				strbuf_addstr(sb,
					      k + 1 == ind->nt ? tr(in, " et ", " and ") : ", ");
			note_md(sb, ind->t[k].name ? ind->t[k].name : ind->t[k].code);
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
	return tr(in, "poids de sondage seuls (sans calage)",
		  "design weights only (no calibration)");
}

static void method(const struct note_input *in, struct strbuf *sb, int *sec)
{
	note_heading(in, sb, sec, "Méthodologie", "Method");
	strbuf_addstr(sb,
		      tr(in,
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
		strbuf_addstr(sb,
			      tr(in,
				 "- les données publiques récupérées par `terrain fetch` "
				 "(dates de récupération dans le tableau en annexe)\n",
				 "- the public data `terrain fetch` retrieved (retrieval dates in "
				 "the appendix table)\n"));
	strbuf_addstr(sb, "\n");
	if (in->survey) {
		strbuf_addf(sb,
			    tr(in,
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

static void portrait(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct indicators_table *ind = in->ind;
	note_heading(in, sb, sec, "Portrait du territoire", "Territory profile");
	strbuf_addstr(sb, tr(in, "| Indicateur |", "| Indicator |"));
	for (size_t k = 0; k < ind->nt; k++) {
		strbuf_addch(sb, ' ');
		note_md(sb, ind->t[k].name ? ind->t[k].name : ind->t[k].code);
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
		note_md(sb, note_label(in, d));
		if (ind->v[0][i].period[0]) {
			strbuf_addstr(sb, " (");
			note_period(in, sb, ind->v[0][i].period);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, " |");
		for (size_t k = 0; k < ind->nt; k++) {
			strbuf_addch(sb, ' ');
			note_value(in, sb, ind->v[k][i].value, d);
			strbuf_addstr(sb, " |");
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, tr(in, "\n*Sources : voir la méthodologie et l'annexe.*\n\n",
			     "\n*Sources: see the method and the appendix.*\n\n"));
	note_figures(in, sb, "portrait");
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

static void findings(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct indicators_table *ind = in->ind;
	const char *draft = tr(in, "*[À relire]* ", "*[To review]* ");
	size_t n = 0;
	note_heading(in, sb, sec, "Constats", "Findings");
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
		note_md(sb, note_label(in, d));
		strbuf_addstr(sb, in->en ? ": " : NBSP ": ");
		note_value(in, sb, ind->v[0][i].value, d);
		strbuf_addch(sb, ' ');
		note_place(in, sb, &ind->t[0], false);
		strbuf_addstr(sb, tr(in, ", soit ", ", "));
		note_num(in, sb, fabs(g->points), d->decimals);
		bool pct = !strcmp(d->unit, "%");
		if (pct) {
			strbuf_addstr(sb, tr(in, " points", " points"));
		} else {
			size_t mark = sb->len; /* the unit alone: "4,2 pour 1 000" less "4,2" */
			note_value(in, sb, 0, d);
			const char *unit = strchr(sb->buf + mark, ' ');
			char *copy = xstrdup(unit ? unit : "");
			strbuf_setlen(sb, mark);
			strbuf_addstr(sb, copy);
			free(copy);
		}
		strbuf_addstr(sb, g->points > 0 ? tr(in, " de plus ", " above the level ")
						: tr(in, " de moins ", " below the level "));
		note_place(in, sb, &ind->t[k], true);
		strbuf_addstr(sb, " (");
		note_value(in, sb, ind->v[k][i].value, d);
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
			note_md(sb, note_label(in, d));
			strbuf_addstr(sb, in->en ? ": " : NBSP ": ");
			strbuf_addstr(sb, v->trend.slope > 0 ? tr(in, "en hausse ", "rising ")
							     : tr(in, "en baisse ", "falling "));
			note_place(in, sb, &ind->t[k], false);
			strbuf_addstr(sb, tr(in, ", de ", ", by "));
			note_num(in, sb, fabs(v->trend.slope), 2);
			strbuf_addstr(sb, !strcmp(d->unit, "%")
					      ? tr(in, " point par an", " points a year")
					      : tr(in, " par an", " a year"));
			strbuf_addf(sb,
				    tr(in, " sur %zu périodes (IC à 95 %% : ",
				       " over %zu periods (95 %% CI: "),
				    v->trend.n);
			note_num(in, sb, v->trend.lo, 2);
			strbuf_addstr(sb, tr(in, " à ", " to "));
			note_num(in, sb, v->trend.hi, 2);
			strbuf_addstr(sb, ").\n");
			n++;
		}
	n += note_survey_findings(in, sb);
	if (!n)
		strbuf_addstr(sb, tr(in, "Aucun écart ni aucune tendance significatifs.\n",
				     "No significant gap or trend.\n"));
	strbuf_addch(sb, '\n');
}

static void limits(const struct note_input *in, struct strbuf *sb, int *sec)
{
	note_figures(in, sb, "project");
	const struct indicators_table *ind = in->ind;
	note_heading(in, sb, sec, "Limites", "Limits");
	strbuf_addstr(sb,
		      tr(in,
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
		strbuf_addf(sb,
			    tr(in,
			       "- %zu indicateurs du catalogue ne sont pas disponibles pour ce "
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
		note_md(sb, note_label(in, v->def));
		strbuf_addstr(sb, " | ");
		note_md(sb, in->en ? v->def->source_en : v->def->source_fr);
		if (v->retrieved) {
			strbuf_addstr(sb, tr(in, " (consulté le ", " (accessed "));
			note_date_text(in, sb, v->retrieved);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, " | ");
		note_md(sb, in->en ? v->def->note_en : v->def->note_fr);
		strbuf_addstr(sb, " | ");
		if (isnan(v->value))
			note_md(sb, why_text(in, v->why));
		else
			strbuf_addstr(sb, tr(in, "disponible", "available"));
		strbuf_addstr(sb, " |\n");
	}
	strbuf_addstr(
	    sb, tr(in,
		   "\nLes données publiques sont réutilisées sous la Licence Ouverte 2.0 "
		   "d'Etalab. Les fichiers, leurs versions, leurs adresses et leurs empreintes "
		   "sont listés dans `manifest.json`, à côté de cette note.\n",
		   "\nThe public data are reused under Etalab's Licence Ouverte 2.0 (Open "
		   "Licence). The files, their versions, addresses and checksums are listed "
		   "in `manifest.json`, beside this note.\n"));
}

void note_heading(const struct note_input *in, struct strbuf *sb, int *sec, const char *fr,
		  const char *en)
{
	strbuf_addf(sb, "## %d. %s\n\n", ++*sec, in->en ? en : fr);
}

void note_markdown(const struct note_input *in, struct strbuf *out)
{
	int sec = 0;
	context(in, out, &sec);
	method(in, out, &sec);
	portrait(in, out, &sec);
	note_survey_section(in, out, &sec);
	findings(in, out, &sec);
	note_project_section(in, out, &sec);
	limits(in, out, &sec);
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
	char *body =
	    cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
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

static void chart_add(struct note_chart_set *set, const char *name, const char *title,
		      const char *anchor, char *svg)
{
	ALLOC_GROW(set->v, set->n + 1, set->alloc);
	struct note_chart *c = &set->v[set->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->title, sizeof(c->title), "%s", title);
	c->anchor = anchor;
	c->svg = svg;
}

enum status note_draw(const struct chart *c, const char *dir, const char *name, const char *anchor,
		      struct note_chart_set *set, struct error *err)
{
	struct strbuf svg = STRBUF_INIT;
	enum status st = chart_write(c, NULL, dir, name, err);
	if (!st)
		st = chart_render(c, NULL, CHART_SVG, &svg, err);
	if (st) {
		strbuf_release(&svg);
		return st;
	}
	chart_add(set, name, c->title, anchor, strbuf_detach(&svg));
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
	struct note_chart_set set = {0};
	struct strbuf dir = STRBUF_INIT, title = STRBUF_INIT;
	const char *names[1 + 16];
	double vals[16];
	enum status st = TERRAIN_OK;
	const char *src_census =
	    tr(in, "Source : Insee, recensement 2021 (comparateur de territoires)",
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
		struct chart_series s = {note_label(in, ind->v[0][i].def), vals, NULL, NULL};
		struct chart c = {CHART_BARS,
				  note_label(in, ind->v[0][i].def),
				  src_census,
				  NULL,
				  NULL,
				  names,
				  ind->nt < 16 ? ind->nt : 16,
				  &s,
				  1,
				  1,
				  "%",
				  0,
				  0};
		st = note_draw(&c, dir.buf, bar_names[b], "portrait", &set, err);
	}
	/* the population each COG package carries */
	if (!st && in->pop_cog) {
		static const char *const cogs[] = {"2021", "2022", "2023", "2024", "2025", "2026"};
		strbuf_reset(&title);
		strbuf_addf(&title,
			    tr(in, "Population en vigueur selon le millésime du COG : %s",
			       "Population by COG vintage: %s"),
			    names[0]);
		struct chart_series s = {names[0], in->pop_cog, NULL, NULL};
		struct chart c = {CHART_SERIES,
				  title.buf,
				  tr(in, "Source : Insee, code officiel géographique 2021 à 2026",
				     "Source: Insee, official geographic code 2021 to 2026"),
				  tr(in, "millésime du COG", "COG vintage"),
				  NULL,
				  cogs,
				  6,
				  &s,
				  1,
				  0,
				  NULL,
				  0,
				  0};
		st = note_draw(&c, dir.buf, "population_cog", "portrait", &set, err);
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
			if (!seen &&
			    !strcmp(in->series->v[i].indicator, "bdm.taux_chomage_localise"))
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
					  NULL,
					  "%",
					  q,
					  nq,
					  ss,
					  ns,
					  1,
					  "%",
					  0,
					  0};
			st =
			    note_draw(&c, dir.buf, "unemployment_localized", "portrait", &set, err);
		}
		free(buf);
	}
	if (!st)
		st = note_survey_charts(in, dir.buf, &set, err);
	if (!st)
		st = note_project_charts(in, dir.buf, names[0], &set, err);
out:
	strbuf_release(&dir);
	strbuf_release(&title);
	if (st) {
		note_charts_free(set.v, set.n);
		return st;
	}
	*out = set.v;
	*nout = set.n;
	return TERRAIN_OK;
}

void note_charts_free(struct note_chart *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].svg);
	free(c);
}
