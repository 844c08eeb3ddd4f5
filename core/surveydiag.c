#include "surveydiag.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[SURVEY_PB_NKINDS] = {
    [SURVEY_PB_MODALITY] = "unknown modality", [SURVEY_PB_BOUNDS] = "out of bounds",
    [SURVEY_PB_NUMBER] = "not a number",       [SURVEY_PB_DATE] = "not a date",
    [SURVEY_PB_MARK] = "not a choice mark",    [SURVEY_PB_RAGGED] = "ragged row",
    [SURVEY_PB_UNREADABLE] = "unreadable",     [SURVEY_PB_DESIGN] = "bad design value",
};

const char *survey_problem_kind_name(enum survey_problem_kind k)
{
	return kind_names[k];
}

void survey_check_release(struct survey_check *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->msg[i]);
	free(c->msg);
	free(c->kind);
	for (size_t i = 0; i < c->nunused; i++)
		free(c->unused[i]);
	free(c->unused);
	memset(c, 0, sizeof(*c));
}

void surveydesc_release(struct surveydesc *d)
{
	for (size_t i = 0; i < d->ncol; i++) {
		free(d->col[i].header);
		free(d->col[i].examples);
	}
	free(d->col);
	memset(d, 0, sizeof(*d));
}
