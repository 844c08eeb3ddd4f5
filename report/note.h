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
#include "../analysis/sizing.h"
#include "../core/error.h"
#include "../core/provenance.h"
#include "../core/strbuf.h"
#include "indicators_report.h"

/* A whole-sample survey estimate the note quotes. */
struct note_survey_row {
	char label[256]; /* "Situation : Au chômage" */
	double value, low, high; /* a proportion, 0..1, with its 95 % interval */
	size_t n;		 /* respondents who answered */
};

struct note_survey {
	size_t respondents;
	char method[32]; /* rake, poststratify, none */
	const char *file;
	struct note_survey_row *row;
	size_t nrow;
};

struct note_input {
	bool en;
	const char *title, *author; /* may be NULL */
	const char *date;	    /* "2026-11-29" */
	const struct indicators_table *ind;
	const struct provenance *prov; /* the bundled files' provenance */
	size_t nprov;
	const struct note_survey *survey;	/* NULL: no survey */
	const struct sizing_result *sizing;	/* NULL: no [target] */
	const struct budget_input *budget_in;	/* NULL: no [budget] */
	const struct budget_result *budget;
};

/* The note as Markdown (GitHub-flavoured: tables), appended to out. */
void note_markdown(const struct note_input *in, struct strbuf *out);

/* md rendered to a self-contained HTML page (inline CSS with a print
 * stylesheet for A4), appended to out.  title is plain text. */
enum status note_html(const char *md, size_t len, const char *title, bool en, struct strbuf *out,
		      struct error *err);

/* Backslash-escape the Markdown punctuation of s (and turn line breaks
 * into spaces), appended to out. */
void note_escape_md(const char *s, struct strbuf *out);

/* The one HTML escaping: & < > " ' as entities, appended to out. */
void note_escape_html(const char *s, struct strbuf *out);

#endif
