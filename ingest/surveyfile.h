/* Reading a survey file (a LimeSurvey, KoboToolbox, Google Forms,
 * Framaforms or Excel export) against its codebook.  The encoding, the
 * delimiter and the line ends are detected (or given); every cell is
 * checked against its variable, and every problem is recorded with
 * file:line:column, the value found and what was expected. */
#ifndef TERRAIN_SURVEYFILE_H
#define TERRAIN_SURVEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/survey.h"
#include "csvread.h"

enum survey_problem_kind {
	SURVEY_PB_MODALITY,   /* unknown category */
	SURVEY_PB_BOUNDS,     /* below min or above max */
	SURVEY_PB_NUMBER,     /* not a number, or not a whole one */
	SURVEY_PB_DATE,	      /* not a date */
	SURVEY_PB_MARK,	      /* a 0/1 option cell with something else */
	SURVEY_PB_RAGGED,     /* a row with too few or too many fields */
	SURVEY_PB_UNREADABLE, /* undecodable byte, broken quotes: reading stops */
	SURVEY_PB_DESIGN,     /* a weight, stratum, cluster or fpc blank, or a weight <= 0 */
	SURVEY_PB_NKINDS,
};

struct survey_check {
	char **msg; /* owned messages, "file:line:col: ..." */
	enum survey_problem_kind *kind;
	size_t n, alloc;
	size_t max;			/* messages kept (0: 1000); the rest are counted */
	size_t total;			/* problems found */
	size_t count[SURVEY_PB_NKINDS]; /* by kind */
	size_t rows;			/* data rows read */
	bool stopped;			/* reading stopped at an unreadable place */
	char **unused;			/* owned: header columns no variable reads */
	size_t nunused;
};

void survey_check_release(struct survey_check *c);
const char *survey_problem_kind_name(enum survey_problem_kind k);

struct surveyfile_opts {
	enum csvread_encoding encoding; /* CSVREAD_AUTO to detect */
	char delim;			/* 0 to detect */
	size_t chunk;			/* read size, for tests; 0: default */
};

/* Read path into s, whose variables come from codebook_load.  Problems go
 * to chk (initialise it zeroed; set max if wanted); a respondent's value
 * with a problem is missing.  Returns an error only when the file cannot be
 * read at all: it cannot be opened, or a column the codebook names is not
 * in its header. */
enum status surveyfile_read(struct survey *s, const char *path, const struct surveyfile_opts *o,
			    struct survey_check *chk, struct error *err);

/* The words a 0/1 option cell may hold: selected ("1", "Y", "Oui", "X",
 * "TRUE"...) or not ("0", "N", "Non", "FALSE", empty).  Returns 1, 0, or -1
 * for anything else. */
int surveyfile_mark(const char *s);

#endif
