/* What the parts of the note share (report/note*.c only; not a public
 * header): the words of the note's language, its number and place
 * formatters, its sections' numbering and its charts.  note.c holds the
 * frame (context, method, portrait, findings, limits, appendix, HTML),
 * note_survey.c the field survey's section, findings and charts,
 * note_project.c the project's section and charts. */
#ifndef TERRAIN_NOTE_INTERNAL_H
#define TERRAIN_NOTE_INTERNAL_H

#include "../core/territory.h"
#include "chart.h"
#include "note.h"

#define NBSP  "\xc2\xa0"     /* before % and €, after « and before » */
#define NNBSP "\xe2\x80\xaf" /* between thousands */

/* The French or the English text (a macro: both stay format literals). */
#define tr(in, fr_, en_) ((in)->en ? (en_) : (fr_))

/* A number in the note's language (report/typo.h): "10 527" and "13,8" in
 * French, "10,527" and "13.8" in English; "n.d." / "n/a" for NAN. */
void note_num(const struct note_input *in, struct strbuf *sb, double v, int dec);

/* A value in its catalogue unit: "13,8 %", "156 140", "4,2 pour 1 000". */
void note_value(const struct note_input *in, struct strbuf *sb, double v,
		const struct indicator_def *d);

/* Money from cents, no decimals: "183 234 €". */
void note_money(const struct note_input *in, struct strbuf *sb, long long cents);

/* s escaped for Markdown (note_escape_md). */
void note_md(struct strbuf *sb, const char *s);

/* The indicator's label in the note's language; borrowed. */
const char *note_label(const struct note_input *in, const struct indicator_def *d);

/* A label inside a sentence, escaped: "taux de chômage..." for "Taux de
 * chômage...", but "RSA..." stays as it is (a capital followed by a
 * capital). */
void note_label_inline(struct strbuf *sb, const char *label);

/* "2026-Q1" as "T1 2026" (fr) or "Q1 2026" (en); a year as it is. */
void note_period(const struct note_input *in, struct strbuf *sb, const char *p);

/* An ISO date in words ("28 novembre 2026"); anything else as it is. */
void note_date_text(const struct note_input *in, struct strbuf *sb, const char *iso);

/* "à Grenoble", "dans l'Isère" (after_que: "qu'à Grenoble", "que dans
 * l'Isère"); "in Grenoble" in English (typo_place). */
void note_place(const struct note_input *in, struct strbuf *sb, const struct territory *t,
		bool after_que);

/* The charts drawn for a section ("portrait", "survey", "project"), as
 * images with their title; name: only the chart of that name (NULL: all). */
void note_figures(const struct note_input *in, struct strbuf *sb, const char *anchor,
		  const char *name);

/* A section's heading "## N. Title": *sec counts the sections written so
 * far, so that they are numbered consecutively whatever is present. */
void note_heading(const struct note_input *in, struct strbuf *sb, int *sec, const char *fr,
		  const char *en);

/* The charts drawn so far (note_charts). */
struct note_chart_set {
	struct note_chart *v;
	size_t n, alloc;
};

/* Draw c as dir/name.svg and .png and add it to set under anchor. */
enum status note_draw(const struct chart *c, const char *dir, const char *name, const char *anchor,
		      struct note_chart_set *set, struct error *err);

/* ---- note_maps.c ---- */

/* Draw the maps of in->layers as dir/NAME.svg and .png and add them to set
 * under "maps", with the line naming the units not drawn. */
enum status note_map_charts(const struct note_input *in, const char *dir,
			    struct note_chart_set *set, struct error *err);

/* ---- note_survey.c ---- */

/* The field survey's section (nothing without a survey). */
void note_survey_section(const struct note_input *in, struct strbuf *sb, int *sec);

/* The survey's findings as list items ("- *[À relire]* ...\n"); returns
 * how many. */
size_t note_survey_findings(const struct note_input *in, struct strbuf *sb);

/* The survey's charts into dir. */
enum status note_survey_charts(const struct note_input *in, const char *dir,
			       struct note_chart_set *set, struct error *err);

/* ---- note_plan.c ---- */

/* The action plan, its evaluation grid and warnings, the skills gaps and
 * the training action (nothing without in->plan). */
void note_plan_section(const struct note_input *in, struct strbuf *sb);

/* The action plan's schedule (a Gantt chart) into dir, under the anchor
 * "plan". */
enum status note_plan_chart(const struct note_input *in, const char *dir,
			    struct note_chart_set *set, struct error *err);

/* ---- note_project.c ---- */

/* The project's section, "Projet proposé": target public, offer, gap,
 * budget reconciled with the sizing, deficits, funding plan, charges
 * (nothing without [target] or [budget]). */
void note_project_section(const struct note_input *in, struct strbuf *sb, int *sec);

/* Its parts, for the tests: the budget's posts against the sizing's
 * proposal (nothing without both); a warning for each year in deficit;
 * the funding plan and the charges' detail (report_budget_plan). */
void note_project_reconcile(const struct note_input *in, struct strbuf *sb);
void note_project_deficits(const struct note_input *in, struct strbuf *sb);
struct budget_plan;
void note_project_funding_plan(const struct note_input *in, struct strbuf *sb,
			       const struct budget_plan *p);
void note_project_charges(const struct note_input *in, struct strbuf *sb,
			  const struct budget_plan *p);

/* The project's charts into dir; place is the territory's name. */
enum status note_project_charts(const struct note_input *in, const char *dir, const char *place,
				struct note_chart_set *set, struct error *err);

#endif
