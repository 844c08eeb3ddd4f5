/* The codebook: the CSV the user edits to say what each column of a survey
 * file means.  One row per variable:
 *
 *   variable   name used by terrain (letters, digits, '_', '.', '-')
 *   column     header of its column in the survey file (default: variable);
 *              for a multiple choice exported as one 0/1 column per option,
 *              the header pattern with {} for the option code: "freins/{}"
 *              (KoboToolbox), "Q5[{}]" (LimeSurvey)
 *   type       single, multiple, ordinal, integer, decimal, date, text
 *   labels     categories, in order: "code=label|code=label" ("code" alone:
 *              the label is the code); needed for single, multiple, ordinal
 *   missing    codes meaning "no answer", separated by '|': "NSP|99"
 *   min, max   bounds of integer, decimal (numbers) and date (YYYY-MM-DD)
 *   separator  multiple choice in one cell: the character between codes
 *              (default ';'; "space" and "tab" name those)
 *   role       the sampling design: weight (the initial weight of each
 *              respondent), stratum, cluster, cluster2, fpc, fpc2
 *              (analysis/sampling.h says what each means)
 *   note       free text
 *   short_label the question in a few words, for the note's headings and
 *              charts (left empty: the column's header); `terrain survey
 *              describe` drafts it from the question (surveydesc.h)
 *
 * Only variable and type are required columns; the others may be left out
 * of the header. */
#ifndef TERRAIN_CODEBOOK_H
#define TERRAIN_CODEBOOK_H

#include "../core/error.h"
#include "../core/strbuf.h"
#include "../core/survey.h"

/* Read path into s's variables (s holds no data yet; it is initialised
 * here).  Errors name file:line:column, the value and the expected form. */
enum status codebook_load(struct survey *s, const char *path, struct error *err);

/* The codebook of s's variables as CSV text (';', UTF-8), the format
 * codebook_load reads. */
void codebook_write(const struct survey *s, struct strbuf *out);

#endif
