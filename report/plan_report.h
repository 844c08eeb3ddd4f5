/* The action plan, its evaluation grid, the skills gap and the training
 * action (analysis/plan.h) as tables: action.csv / action.json and
 * training.csv / training.json, in the project's language (labels) with
 * '.' decimals for the programs that read them; and the stage results a
 * baseline may take, gathered from the note's input. */
#ifndef TERRAIN_PLAN_REPORT_H
#define TERRAIN_PLAN_REPORT_H

#include <stdio.h>

#include "../analysis/plan.h"
#include "format.h"
#include "note.h"

/* The results the evaluation grid's baselines may take, from in (the
 * indicators of the territory, the survey's shares, the sizing's target
 * and coverage) and p (the positioning file's mean levels; p may be
 * NULL), in in->en's language.  *out is returned owned (free). */
void report_plan_values(const struct note_input *in, const struct plan *p, struct plan_value **out,
			size_t *n);

/* What measured a skill, in en's language: "fichier de positionnement
 * (FILE), moyenne et intervalle de Student à 95 %" or "enquête de terrain,
 * question « Q », moyenne pondérée et son intervalle à 95 %", into buf. */
void report_plan_measured_by(const struct plan *p, const struct plan_measure *me, bool en,
			     char *buf, size_t size);

/* The plan's objectives, actions, indicators and warnings
 * (REPORT_CSV or REPORT_JSON). */
void report_plan(FILE *fp, enum report_format fmt, const struct plan *p, bool en);

/* The gaps per job and skill and the training modules. */
void report_training(FILE *fp, enum report_format fmt, const struct plan *p, bool en);

/* A warning of the plan as a sentence in the note's language, appended.
 * An indicator is named by its baseline's label: the one of vals (nvals of
 * them, report_plan_values: the note's language) with its key, else the
 * plan's (the project's language), else the key as written. */
void report_plan_warning(const struct plan *p, const struct plan_warning *w, bool en,
			 const struct plan_value *vals, size_t nvals, struct strbuf *sb);

/* in->plan as sheets of tables.xlsx in in->en's language: the actions,
 * the evaluation grid, and with target jobs the gaps and the training
 * modules; returns how many (at most PLAN_REPORT_SHEETS) written into
 * sheets.  Cells point into in->plan (which must outlive the writing) and
 * into *cells and *vals, returned owned (free both). */
#define PLAN_REPORT_SHEETS 4
struct xlsx_sheet;
struct xlsx_cell;
size_t report_plan_sheets(const struct note_input *in, struct xlsx_sheet *sheets,
			  struct xlsx_cell **cells, struct plan_value **vals);

#endif
