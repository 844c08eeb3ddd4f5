/* The field survey's part of the note: its section, its findings and its
 * charts. */
#include <math.h>
#include <string.h>

#include "note_internal.h"
#include "typo.h"

void note_survey_section(const struct note_input *in, struct strbuf *sb, int *sec)
{
	if (!in->survey)
		return;
	note_heading(in, sb, sec, "Résultats de l'enquête de terrain", "Field survey results");
	strbuf_addstr(sb, tr(in, "| Réponse | Part pondérée | IC à 95 % | Répondants |\n",
			     "| Answer | Weighted share | 95 % CI | Respondents |\n"));
	strbuf_addstr(sb, "|---|---:|---:|---:|\n");
	for (size_t i = 0; i < in->survey->nrow; i++) {
		const struct note_survey_row *r = &in->survey->row[i];
		strbuf_addstr(sb, "| ");
		note_md(sb, r->label);
		strbuf_addstr(sb, " | ");
		typo_percent(sb, 100 * r->value, 1, !in->en);
		strbuf_addstr(sb, " | ");
		note_num(in, sb, 100 * r->low, 1);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		note_num(in, sb, 100 * r->high, 1);
		strbuf_addf(sb, " | %zu |\n", r->n);
	}
	strbuf_addch(sb, '\n');
	note_figures(in, sb, "survey");
}

size_t note_survey_findings(const struct note_input *in, struct strbuf *sb)
{
	(void)in;
	(void)sb;
	return 0;
}

enum status note_survey_charts(const struct note_input *in, const char *dir,
			       struct note_chart_set *set, struct error *err)
{
	enum status st = TERRAIN_OK;
	/* the survey's shares that carry an interval (margins are exact) */
	if (in->survey) {
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
			struct chart_series s = {tr(in, "part pondérée", "weighted share"), val, lo,
						 hi};
			struct chart c = {
			    CHART_INTERVALS,
			    tr(in, "Enquête de terrain : parts pondérées et intervalles à 95 %",
			       "Field survey: weighted shares and 95 % intervals"),
			    tr(in, "Source : enquête de terrain (voir la méthodologie)",
			       "Source: field survey (see the method)"),
			    NULL,
			    "%",
			    cat,
			    m,
			    &s,
			    1,
			    1,
			    "%",
			    900,
			    520};
			st = note_draw(&c, dir, "survey", "survey", set, err);
		}
	}
	return st;
}
