/* The synthesis note (issue 7): the pipeline's results as a Markdown
 * document in French (default) or English, and its HTML rendering through
 * cmark-gfm.  Reads results, never sources.
 *
 * Every string that comes from a user or a file (title, author, territory
 * names, survey labels) goes through note_escape_md before it enters the
 * Markdown, and the HTML is rendered without raw HTML (cmark's safe mode):
 * a label holding "<script>" shows as text. */
#ifndef TERRAIN_NOTE_H
#define TERRAIN_NOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "../analysis/budget.h"
#include "../analysis/plan.h"
#include "../analysis/sizing.h"
#include "../core/error.h"
#include "../core/geo.h"
#include "../core/observation.h"
#include "../core/provenance.h"
#include "../core/qpv.h"
#include "../core/responses.h"
#include "../core/strbuf.h"
#include "../core/survey.h"
#include "indicators_report.h"
#include "map.h"

/* The field survey as the note quotes it: one block per question, whole
 * sample, filled by the survey stage (cli/cmd_survey.c) from its estimates
 * and margins.  Shares are 0..1 with their 95 % logit interval. */
struct note_survey_answer {
	char *label; /* owned: the category's label */
	double share, low, high;
	size_t n;	 /* respondents who gave it (unweighted) */
	bool suppressed; /* n under the survey's suppress_below: not published */
	bool imprecise;	 /* fewer than min_n answers or a CV over max_cv */
	char *code;	 /* owned: the category's code (a baseline survey:VARIABLE=CODE) */
};

struct note_survey_question {
	char *name;  /* owned: the codebook's variable */
	char *label; /* owned: its short_label, else its column header, else its name */
	enum survey_type type;
	bool calibrated; /* the weights were calibrated on it (a margins variable): its
			  * shares are the margins', without an interval */
	size_t n;	 /* respondents who answered it */
	struct note_survey_answer *answer; /* owned; categories in the codebook's order */
	size_t nanswer;
	/* integer and decimal questions (else NAN): mean and median with
	 * their 95 % interval */
	double mean, mean_low, mean_high, median, median_low, median_high;
	/* a question that measures a skill (the codebook's skill column, bloc
	 * 2), else skill NULL: the weighted mean level with its 95 % interval
	 * (survey_stats_level) and the codebook line of the question */
	char *skill; /* owned */
	double level, level_low, level_high;
	size_t level_n;
	unsigned long line;
};

/* A declared cross-tab a*b: the answers to question a within each group
 * of question b, and the Rao-Scott test of their independence. */
struct note_survey_crosstab {
	size_t a, b;	  /* indexes into note_survey.q */
	bool tested;	  /* false: no test (too few categories or respondents) */
	double p;	  /* Rao-Scott p-value (second-order, F) */
	double *weighted; /* owned: ncat(a) x ncat(b) weighted counts, row-major */
	size_t *n;	  /* owned: the same cells' respondents (unweighted) */
};

struct note_survey {
	size_t respondents;
	char method[32];       /* rake, poststratify, none */
	size_t suppress_below; /* cells with fewer respondents are not published */
	size_t min_n;	       /* a share on fewer answers is imprecise */
	double max_cv;	       /* and so is one whose coefficient of variation is above (0.2) */
	struct note_survey_question *q; /* owned: the questions estimated, in the
					 * codebook's order (not weights, dates, texts) */
	size_t nq;
	struct note_survey_crosstab *tab; /* owned */
	size_t ntab;
	/* the sampling design (note_survey_design), said in one sentence */
	size_t design_strata;	/* 0: not stratified */
	size_t design_clusters; /* first-stage clusters, 0: none */
	bool design_two_stage, design_fpc;
	char *codebook; /* owned, or NULL: the codebook's file, as the project names it */
};

struct sampling;

/* Copy what the note says of a sampling design (borrowed) into s. */
void note_survey_design(struct note_survey *s, const struct sampling *smp);

/* Free what a note_survey owns and zero it. */
void note_survey_release(struct note_survey *s);

struct note_input {
	bool en;
	const char *title, *author; /* may be NULL */
	const char *date;	    /* "2026-11-29" */
	const struct indicators_table *ind;
	const struct provenance *prov; /* the bundled files' provenance */
	size_t nprov;
	const struct note_survey *survey;     /* NULL: no survey */
	const struct sizing_result *sizing;   /* NULL: no [target] */
	const struct budget_input *budget_in; /* NULL: no [budget] */
	const struct budget_result *budget;
	/* for the charts */
	const double *pop_cog;		 /* the territory's population in COG 2021..2026, or NULL */
	const struct obs_list *series;	 /* published series (localized unemployment), or NULL */
	const struct note_chart *charts; /* drawn: the note shows them; NULL/0 none */
	size_t ncharts;
	/* "" for the note in the project's language; ".en" for an English
	 * note of a French project (note.en.md, charts.en/), so that one
	 * never overwrites the other */
	const char *suffix;
	/* the responses by theme the "Pistes d'amélioration" draw from; NULL
	 * or empty: the section names no response */
	const struct responses *responses;
	/* the territory's zones (INSEE's zonages) when it is a commune or an
	 * arrondissement: a sentence of the context names them; NULL: none */
	const struct geo_zonage_of *zonage;
	/* the maps (report/map.h): one prepared map of the territory drawn
	 * once per layer, under the portrait; NULL/0 none */
	const struct map *map;
	const struct map_layer *layers;
	size_t nlayers;
	/* the QPV 2024 lying in the territory (qpv_in_territory): rows of
	 * qpv, nqpv of them; qpv NULL: the context does not name them */
	const struct qpv_list *qpv;
	const size_t *qpv_rows;
	size_t nqpv;
	/* a département's, région's or France's estimated population by age
	 * band and sex: the portrait's age pyramid; NULL: none */
	const struct indicators_pyramid *pyramid;
	/* the action plan, its evaluation, the skills gap and the training
	 * action (analysis/plan.h), filled and checked; NULL: none */
	const struct plan *plan;
};

/* " (à l'échelle du bassin de vie de Grenoble)", " (for the living area
 * of Grenoble)": the level of a value published for another territory
 * (indicator_value.at), appended to out; nothing for the territory's own. */
void note_at_level(const struct note_input *in, struct strbuf *out,
		   const struct indicator_value *v);

/* A chart of the note, drawn into DIR/charts/NAME.svg and .png. */
struct note_chart {
	char name[32];	    /* file name without extension */
	char *title;	    /* owned: also the image's alternative text */
	char *svg;	    /* owned: the SVG, inlined in note.html */
	const char *anchor; /* the section it goes under: "portrait", "maps", "survey", "project" */
	char *caption;	    /* owned, may be NULL: a line under it (a map's units not drawn) */
};

/* Draw the note's charts into dir/charts<suffix>/ (created) with gnuplot: the
 * territory against its references (census unemployment and activity),
 * the population by COG vintage, the localized unemployment by quarter,
 * the survey's shares with their intervals, needs against offer, charges
 * against products; the maps of in->layers (report/map.h, drawn by cairo,
 * not gnuplot).  *out is returned owned (free with note_charts_free);
 * when gnuplot is missing or fails, none of its charts, a status and a
 * message in err, but *out and *n hold the maps all the same (the caller
 * warns and writes the note with its maps only). */
enum status note_charts(const struct note_input *in, const char *dir, struct note_chart **out,
			size_t *n, struct error *err);
void note_charts_free(struct note_chart *c, size_t n);

/* The note's title, appended to out: the project's, else "Diagnostic
 * territorial : NAME" in French, "Territorial diagnosis: NAME" in
 * English, NAME the territory studied (in->ind's first). */
void note_title(const struct note_input *in, struct strbuf *out);

/* The note as Markdown (GitHub-flavoured: tables), appended to out. */
void note_markdown(const struct note_input *in, struct strbuf *out);

/* md rendered to a self-contained HTML page (inline CSS with a print
 * stylesheet for A4), appended to out.  title is plain text. */
enum status note_html(const char *md, size_t len, const char *title, bool en,
		      const struct note_chart *charts, size_t ncharts, struct strbuf *out,
		      struct error *err);

/* Backslash-escape the Markdown punctuation of s (and turn line breaks
 * into spaces), appended to out. */
void note_escape_md(const char *s, struct strbuf *out);

/* The one HTML escaping: & < > " ' as entities, appended to out. */
void note_escape_html(const char *s, struct strbuf *out);

#endif
