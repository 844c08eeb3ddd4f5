/* The field survey's part of the note: its section (one block per
 * question), its findings and its charts (one per question). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/sampling.h"
#include "../core/xalloc.h"
#include "note_internal.h"
#include "typo.h"

void note_survey_release(struct note_survey *s)
{
	for (size_t i = 0; i < s->nq; i++) {
		struct note_survey_question *q = &s->q[i];
		for (size_t k = 0; k < q->nanswer; k++) {
			free(q->answer[k].label);
			free(q->answer[k].code);
		}
		free(q->answer);
		free(q->name);
		free(q->label);
		free(q->skill);
	}
	free(s->q);
	free(s->codebook);
	for (size_t i = 0; i < s->ntab; i++) {
		free(s->tab[i].weighted);
		free(s->tab[i].n);
	}
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

/* A share (0..1) as a percentage: "43,4 %". */
static void share(const struct note_input *in, struct strbuf *sb, double v, int dec)
{
	typo_percent(sb, 100 * v, dec, !in->en);
}

/* An interval of shares: "35,8 à 51,3 %". */
static void share_interval(const struct note_input *in, struct strbuf *sb, double lo, double hi,
			   int dec)
{
	note_num(in, sb, 100 * lo, dec);
	strbuf_addstr(sb, tr(in, " à ", " to "));
	share(in, sb, hi, dec);
}

/* A label quoted: « Transport » / “Transport”, escaped for Markdown. */
static void quoted(const struct note_input *in, struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, tr(in, "«" NBSP, "\xe2\x80\x9c"));
	note_md(sb, s);
	strbuf_addstr(sb, tr(in, NBSP "»", "\xe2\x80\x9d"));
}

static bool numeric(const struct note_survey_question *q)
{
	return q->type == SURVEY_INTEGER || q->type == SURVEY_DECIMAL;
}

/* The file name of question i's chart: "survey_freins" ("survey_3" when
 * the variable's name is too long for a chart's name). */
static void chart_name(const struct note_survey *sv, size_t i, char out[32])
{
	if (strlen(sv->q[i].name) + 8 < 32)
		snprintf(out, 32, "survey_%s", sv->q[i].name);
	else
		snprintf(out, 32, "survey_%zu", i + 1);
}

static void numeric_block(const struct note_input *in, struct strbuf *sb,
			  const struct note_survey_question *q)
{
	/* a whole number's median is one of its values */
	int dec[2] = {1, q->type == SURVEY_INTEGER ? 0 : 1};
	strbuf_addstr(sb, tr(in, "| Statistique | Valeur | IC à 95 % |\n",
			     "| Statistic | Value | 95% CI |\n"));
	strbuf_addstr(sb, "|---|---:|---:|\n");
	const double v[2][3] = {{q->mean, q->mean_low, q->mean_high},
				{q->median, q->median_low, q->median_high}};
	for (int k = 0; k < 2; k++) {
		strbuf_addstr(sb, k ? tr(in, "| Médiane | ", "| Median | ")
				    : tr(in, "| Moyenne | ", "| Mean | "));
		note_num(in, sb, v[k][0], dec[k]);
		strbuf_addstr(sb, " | ");
		note_num(in, sb, v[k][1], dec[k]);
		strbuf_addstr(sb, tr(in, " à ", " to "));
		note_num(in, sb, v[k][2], dec[k]);
		strbuf_addstr(sb, " |\n");
	}
}

static void answers_block(const struct note_input *in, struct strbuf *sb,
			  const struct note_survey *sv, const struct note_survey_question *q)
{
	strbuf_addstr(sb, tr(in, "| Réponse | Part pondérée | IC à 95 % | Répondants |\n",
			     "| Answer | Weighted share | 95% CI | Respondents |\n"));
	strbuf_addstr(sb, "|---|---:|---:|---:|\n");
	for (size_t k = 0; k < q->nanswer; k++) {
		const struct note_survey_answer *a = &q->answer[k];
		strbuf_addstr(sb, "| ");
		note_md(sb, a->label);
		strbuf_addstr(sb, " | ");
		if (a->suppressed || isnan(a->share)) {
			strbuf_addf(sb,
				    tr(in, "non publiée | | moins de %zu |\n",
				       "not published | | fewer than %zu |\n"),
				    sv->suppress_below);
			continue;
		}
		share(in, sb, a->share, 1);
		if (a->imprecise)
			strbuf_addstr(sb, tr(in, " (imprécise)", " (imprecise)"));
		strbuf_addstr(sb, " | ");
		if (q->calibrated)
			strbuf_addstr(sb,
				      tr(in, "calé sur les marges", "calibrated on the margins"));
		else
			share_interval(in, sb, a->low, a->high, 1);
		strbuf_addf(sb, " | %zu |\n", a->n);
	}
}

void note_survey_design(struct note_survey *s, const struct sampling *smp)
{
	s->design_strata = smp->has_strata ? smp->nstrata : 0;
	s->design_clusters = smp->has_clusters ? smp->npsu : 0;
	s->design_two_stage = smp->two_stage;
	s->design_fpc = smp->has_fpc;
}

/* One sentence on the sampling design, when the codebook declares one: what
 * the intervals took into account. */
static void design_sentence(const struct note_input *in, const struct note_survey *sv,
			    struct strbuf *sb)
{
	if (!sv->design_strata && !sv->design_clusters && !sv->design_fpc)
		return;
	strbuf_addstr(
	    sb, tr(in, "Les intervalles de confiance tiennent compte du plan de sondage" NBSP ": ",
		   "The confidence intervals take the sampling design into account: "));
	const char *sep = "";
	if (sv->design_strata) {
		strbuf_addf(sb, tr(in, "%zu strates", "%zu strata"), sv->design_strata);
		sep = ", ";
	}
	if (sv->design_clusters) {
		strbuf_addstr(sb, sep);
		strbuf_addf(sb,
			    tr(in, "%zu grappes tirées au premier degré",
			       "%zu clusters drawn at the first stage"),
			    sv->design_clusters);
		if (sv->design_two_stage)
			strbuf_addstr(sb, tr(in, " puis un second tirage dans chaque grappe",
					     " then a second draw within each cluster"));
		sep = ", ";
	} else if (sv->design_strata) {
		strbuf_addstr(sb, tr(in, " où les répondants sont tirés directement",
				     " from which the respondents are drawn directly"));
	}
	if (sv->design_fpc)
		strbuf_addstr(
		    sb, *sep ? tr(in, ", avec correction pour population finie",
				  ", with the finite-population correction")
			     : tr(in, "tirage sans remise avec correction pour population finie",
				  "a draw without replacement with the finite-population "
				  "correction"));
	strbuf_addstr(sb, ".\n\n");
}

void note_survey_section(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct note_survey *sv = in->survey;
	if (!sv)
		return;
	note_heading(in, sb, sec, "Résultats de l'enquête de terrain", "Field survey results");
	strbuf_addstr(sb,
		      tr(in,
			 "Pour chaque question, la part pondérée de chaque réponse, son intervalle "
			 "de confiance à 95 % et le nombre de répondants qui l'ont donnée (non "
			 "pondéré).\n\n",
			 "For each question, the weighted share of each answer, its 95% confidence "
			 "interval and the number of respondents who gave it (unweighted).\n\n"));
	design_sentence(in, sv, sb);
	bool imprecise = false;
	for (size_t i = 0; i < sv->nq; i++) {
		const struct note_survey_question *q = &sv->q[i];
		char name[32];
		strbuf_addstr(sb, "**");
		note_md(sb, q->label);
		strbuf_addf(sb, tr(in, "** (%zu répondants", "** (%zu respondents"), q->n);
		if (q->type == SURVEY_MULTIPLE)
			strbuf_addstr(sb, tr(in, " ; plusieurs réponses possibles",
					     "; several answers possible"));
		strbuf_addstr(sb, ")\n\n");
		if (numeric(q))
			numeric_block(in, sb, q);
		else
			answers_block(in, sb, sv, q);
		strbuf_addch(sb, '\n');
		for (size_t k = 0; k < q->nanswer; k++)
			imprecise |= q->answer[k].imprecise && !q->answer[k].suppressed;
		chart_name(sv, i, name);
		note_figures(in, sb, "survey", name);
	}
	if (imprecise) {
		strbuf_addf(sb,
			    tr(in,
			       "*Une part dite imprécise repose sur moins de %zu réponses ou a un "
			       "coefficient de variation supérieur à ",
			       "*A share marked imprecise rests on fewer than %zu answers or has a "
			       "coefficient of variation above "),
			    sv->min_n);
		share(in, sb, sv->max_cv, 0);
		strbuf_addstr(
		    sb, tr(in, NBSP ": à lire avec prudence.*\n\n", ": read it with care.*\n\n"));
	}
}

/* ---- findings ---- */

/* The answers of q from the largest share down (suppressed ones left out);
 * returns how many, order filled with their indexes (q->nanswer of room). */
static size_t by_share(const struct note_survey_question *q, size_t *order)
{
	size_t n = 0;
	for (size_t k = 0; k < q->nanswer; k++) {
		if (q->answer[k].suppressed || isnan(q->answer[k].share))
			continue;
		size_t j = n++;
		for (; j > 0 && q->answer[order[j - 1]].share < q->answer[k].share; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	return n;
}

/* The leading answer of a categorical question: the largest share with
 * its interval; then the answers whose share lies inside that interval
 * (up to two, "à égalité statistique") or, when none does, the
 * runner-up ("devant"). */
static bool leading_answers(const struct note_input *in, struct strbuf *sb,
			    const struct note_survey_question *q)
{
	size_t *order = xmalloc((q->nanswer ? q->nanswer : 1) * sizeof(*order));
	size_t n = by_share(q, order);
	if (!n) {
		free(order);
		return false;
	}
	const struct note_survey_answer *top = &q->answer[order[0]];
	strbuf_addstr(sb, tr(in, "- *[À relire]* ", "- *[To review]* "));
	note_md(sb, q->label);
	strbuf_addstr(sb, tr(in, NBSP ": ", ": "));
	quoted(in, sb, top->label);
	if (q->type == SURVEY_MULTIPLE)
		strbuf_addstr(sb, tr(in, " est la réponse la plus citée, par ",
				     " is the most cited answer, by "));
	else
		strbuf_addstr(sb, tr(in, " est la réponse la plus fréquente, donnée par ",
				     " is the most frequent answer, given by "));
	share(in, sb, top->share, 0);
	strbuf_addstr(
	    sb, tr(in, " des répondants (IC à 95" NBSP "%" NBSP ": ", " of respondents (95% CI: "));
	share_interval(in, sb, top->low, top->high, 0);
	strbuf_addch(sb, ')');
	size_t tied = 0;
	while (tied < 2 && 1 + tied < n && q->answer[order[1 + tied]].share >= top->low)
		tied++;
	for (size_t k = 1; k <= (tied ? tied : n > 1 ? 1 : 0); k++) {
		const struct note_survey_answer *a = &q->answer[order[k]];
		if (k == 1)
			strbuf_addstr(sb, tied ? tr(in, ", à égalité statistique avec ",
						    ", statistically tied with ")
					       : tr(in, ", devant ", ", ahead of "));
		else
			strbuf_addstr(sb, tr(in, " et ", " and "));
		quoted(in, sb, a->label);
		strbuf_addstr(sb, " (");
		share(in, sb, a->share, 0);
		strbuf_addch(sb, ')');
	}
	strbuf_addstr(sb, ".\n");
	free(order);
	return true;
}

/* A p-value: "p = 0,012", "p < 0,001". */
static void p_value(const struct note_input *in, struct strbuf *sb, double p)
{
	if (p < 0.001) {
		strbuf_addstr(sb, "p < ");
		note_num(in, sb, 0.001, 3);
	} else {
		strbuf_addstr(sb, "p = ");
		note_num(in, sb, p, 3);
	}
}

/* A declared cross-tab a*b whose Rao-Scott test finds an association
 * (p < 0.05): among the cells with suppress_below respondents or more, the
 * one whose share of answer i of a within group j of b differs most from
 * the share of i among the other groups of b together (on a tie, one where
 * i is the more frequent in j), said as "X % of the respondents of j answer
 * i, against Y % of the others" (of the other group by its name when b has
 * two). */
static bool association(const struct note_input *in, struct strbuf *sb,
			const struct note_survey *sv, const struct note_survey_crosstab *t)
{
	if (t->a >= sv->nq || t->b >= sv->nq || !t->tested || !(t->p < 0.05))
		return false;
	const struct note_survey_question *qa = &sv->q[t->a], *qb = &sv->q[t->b];
	size_t nr = qa->nanswer, nc = qb->nanswer;
	if (!nr || !nc)
		return false;
	double total = 0, *row = xcalloc(nr, sizeof(*row)), *col = xcalloc(nc, sizeof(*col));
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			row[i] += t->weighted[i * nc + j];
			col[j] += t->weighted[i * nc + j];
			total += t->weighted[i * nc + j];
		}
	size_t bi = 0, bj = 0;
	double best = -1, in_j = NAN, out_j = NAN;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			if (t->n[i * nc + j] < sv->suppress_below || !(col[j] > 0) ||
			    !(total - col[j] > 0))
				continue;
			double s1 = t->weighted[i * nc + j] / col[j];
			double s2 = (row[i] - t->weighted[i * nc + j]) / (total - col[j]);
			/* on a tie (every cell of a 2 x 2 table), an answer more
			 * frequent in its group rather than less */
			double d = fabs(s1 - s2);
			if (d > best + 1e-12 || (d > best - 1e-12 && s1 > s2 && !(in_j > out_j)))
				best = d, bi = i, bj = j, in_j = s1, out_j = s2;
		}
	free(row);
	free(col);
	if (best < 0)
		return false;
	strbuf_addstr(sb, tr(in, "- *[À relire]* ", "- *[To review]* "));
	note_md(sb, qa->label);
	strbuf_addstr(sb, tr(in, " et ", " and "));
	note_label_inline(sb, qb->label);
	strbuf_addstr(sb, tr(in, NBSP ": ", ": "));
	share(in, sb, in_j, 0);
	strbuf_addstr(sb, tr(in, " des répondants ", " of the respondents "));
	quoted(in, sb, qb->answer[bj].label);
	strbuf_addstr(sb, tr(in, " répondent ", " answer "));
	quoted(in, sb, qa->answer[bi].label);
	strbuf_addstr(sb, tr(in, ", contre ", ", against "));
	share(in, sb, out_j, 0);
	if (nc == 2) {
		strbuf_addstr(sb, tr(in, " des répondants ", " of the respondents "));
		quoted(in, sb, qb->answer[1 - bj].label);
	} else {
		strbuf_addstr(sb, tr(in, " des autres répondants", " of the other respondents"));
	}
	strbuf_addstr(sb, tr(in, " ; écart significatif (test de Rao-Scott, ",
			     "; significant difference (Rao-Scott test, "));
	p_value(in, sb, t->p);
	strbuf_addstr(sb, ").\n");
	return true;
}

size_t note_survey_findings(const struct note_input *in, struct strbuf *sb)
{
	const struct note_survey *sv = in->survey;
	size_t n = 0;
	if (!sv)
		return 0;
	/* a calibrated question's shares are the margins' (the census's), not
	 * a finding of the survey; numbers are in the section's tables */
	for (size_t i = 0; i < sv->nq; i++)
		if (!sv->q[i].calibrated && !numeric(&sv->q[i]))
			n += leading_answers(in, sb, &sv->q[i]);
	for (size_t t = 0; t < sv->ntab; t++)
		n += association(in, sb, sv, &sv->tab[t]);
	return n;
}

/* ---- charts ---- */

/* Question q's chart: its answers as horizontal bars with their
 * intervals, from the largest share down for unordered questions (single,
 * multiple), in the codebook's order for an ordinal one; a calibrated
 * question without intervals. */
static enum status question_chart(const struct note_input *in, const char *dir,
				  const struct note_survey_question *q, const char *name,
				  struct note_chart_set *set, struct error *err)
{
	size_t *order = xmalloc((q->nanswer ? q->nanswer : 1) * sizeof(*order));
	size_t m = 0;
	if (q->type == SURVEY_ORDINAL) {
		for (size_t k = 0; k < q->nanswer; k++)
			if (!q->answer[k].suppressed && !isnan(q->answer[k].share))
				order[m++] = k;
	} else {
		m = by_share(q, order);
	}
	enum status st = TERRAIN_OK;
	const char **cat = xcalloc(m ? m : 1, sizeof(*cat));
	double *v = xcalloc(3 * (m ? m : 1), sizeof(*v)), *lo = v + m, *hi = v + 2 * m;
	for (size_t k = 0; k < m; k++) {
		const struct note_survey_answer *a = &q->answer[order[k]];
		cat[k] = a->label;
		v[k] = 100 * a->share;
		lo[k] = 100 * a->low;
		hi[k] = 100 * a->high;
	}
	struct strbuf source = STRBUF_INIT;
	strbuf_addf(&source,
		    tr(in, "Source : enquête de terrain, %zu répondants ; %s",
		       "Source: field survey, %zu respondents; %s"),
		    q->n,
		    q->calibrated
			? tr(in, "parts calées sur les marges", "shares calibrated on the margins")
			: tr(in, "parts pondérées et intervalles à 95 %",
			     "weighted shares and 95% intervals"));
	struct chart_series s = {tr(in, "part pondérée", "weighted share"), v,
				 q->calibrated ? NULL : lo, q->calibrated ? NULL : hi};
	struct chart c = {.kind = CHART_HBARS,
			  .en = in->en,
			  .title = q->label,
			  .source = source.buf,
			  .unit = "%",
			  .cat = cat,
			  .ncat = m,
			  .series = &s,
			  .nseries = 1,
			  .decimals = 1,
			  .width = 900,
			  .height = (unsigned)(200 + 40 * (m < 45 ? m : 45))};
	if (m)
		st = note_draw(&c, dir, name, "survey", set, err);
	strbuf_release(&source);
	free(cat);
	free(v);
	free(order);
	return st;
}

enum status note_survey_charts(const struct note_input *in, const char *dir,
			       struct note_chart_set *set, struct error *err)
{
	const struct note_survey *sv = in->survey;
	enum status st = TERRAIN_OK;
	for (size_t i = 0; sv && i < sv->nq && !st; i++) {
		char name[32];
		chart_name(sv, i, name);
		if (!numeric(&sv->q[i]))
			st = question_chart(in, dir, &sv->q[i], name, set, err);
	}
	return st;
}
