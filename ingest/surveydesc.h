/* A first look at a survey file: a draft codebook inferred from its
 * columns, for the user to check and edit. */
#ifndef TERRAIN_SURVEYDESC_H
#define TERRAIN_SURVEYDESC_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/survey.h"
#include "../core/surveydiag.h"
#include "surveyfile.h"

/* Read path and fill draft (initialised here) with one variable per column,
 * or per group of 0/1 option columns ("q5/a", "q5/b" or "Q5[A]", "Q5[B]"):
 * its type (single, multiple, ordinal, integer, decimal, date, text), the
 * categories seen, the usual missing codes (NSP, NR, ...) and a weight role
 * for a numeric column named like a weight.  Column names become variable
 * names (ASCII, lowercase, '_').  d gets what was seen, for a summary. */
enum status surveydesc_infer(const char *path, const struct surveyfile_opts *o,
			     struct survey *draft, struct surveydesc *d, struct error *err);

/* The short label drafted from a question (a column's header): its text
 * before the first "?", "(plusieurs réponses possibles)" or "(several
 * answers possible)" (case aside), without the blanks around it (spaces,
 * tabs, U+00A0, U+202F): "Quels freins rencontrez-vous ? (plusieurs
 * réponses possibles)" -> "Quels freins rencontrez-vous".  A question
 * with nothing before its mark is kept whole.  Returned owned (free). */
char *surveydesc_short_label(const char *question);

#endif
