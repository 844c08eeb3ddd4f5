#include "survey_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- check and describe ------------------------------------------------------ */

void survey_report_check(FILE *fp, const struct survey *s, const struct survey_check *c)
{
	for (size_t i = 0; i < c->n; i++)
		fprintf(fp, "%s\n", c->msg[i]);
	if (c->total > c->n)
		fprintf(fp, "... and %zu more problems\n", c->total - c->n);
	if (c->n)
		fputc('\n', fp);
	fprintf(fp, "%s: %zu rows, %zu respondents read (%s, delimiter '%s', %s line ends)\n",
		s->file, c->rows, s->n, s->encoding,
		s->delim == '\t'  ? "tab"
		: s->delim == ';' ? ";"
				  : ",",
		s->line_ends);
	fprintf(fp, "codebook %s: %zu variables\n", s->codebook, s->nvar);
	if (c->nunused) {
		fprintf(fp, "columns no variable reads:");
		for (size_t i = 0; i < c->nunused; i++)
			fprintf(fp, "%s \"%s\"", i ? "," : "", c->unused[i]);
		fputc('\n', fp);
	}
	if (!c->total) {
		fprintf(fp, "no problem found\n");
		return;
	}
	fprintf(fp, "%zu problem%s:", c->total, c->total > 1 ? "s" : "");
	bool first = true;
	for (int k = 0; k < SURVEY_PB_NKINDS; k++) {
		if (!c->count[k])
			continue;
		fprintf(fp, "%s %zu %s", first ? "" : ",", c->count[k],
			survey_problem_kind_name((enum survey_problem_kind)k));
		first = false;
	}
	fputc('\n', fp);
	if (c->stopped)
		fprintf(fp, "reading stopped at the unreadable place: the rows after it were not "
			    "checked\n");
}

void survey_report_describe(FILE *fp, const struct surveydesc *d, const struct survey *draft)
{
	struct strbuf sb = STRBUF_INIT;
	fprintf(fp, "%s: %zu rows, %zu columns (%s, delimiter '%s')\n\n", draft->file, d->rows,
		d->ncol, draft->encoding,
		draft->delim == '\t'  ? "tab"
		: draft->delim == ';' ? ";"
				      : ",");
	for (size_t j = 0; j < d->ncol; j++) {
		const struct surveydesc_column *c = &d->col[j];
		strbuf_reset(&sb);
		format_pad(&sb, c->header, 28);
		fprintf(fp, "%s %6zu filled %4zu%s distinct  %-40s %s\n", sb.buf, c->nonempty,
			c->distinct > SURVEYDESC_MAX_DISTINCT ? (size_t)SURVEYDESC_MAX_DISTINCT
							      : c->distinct,
			c->distinct > SURVEYDESC_MAX_DISTINCT ? "+" : " ",
			c->verdict ? c->verdict : "", c->examples);
	}
	strbuf_release(&sb);
}

/* ---- results ----------------------------------------------------------------- */

static const char *ci_method(enum survey_stat s)
{
	switch (s) {
	case STAT_PROPORTION:
		return "logit";
	case STAT_MEDIAN:
		return "woodruff";
	case STAT_MEAN:
	case STAT_TOTAL:
		break;
	}
	return "t";
}

static void flags_text(unsigned f, struct strbuf *sb)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {RESULT_SMALL_N, "small_n"},
	    {RESULT_HIGH_CV, "high_cv"},
	    {RESULT_SUPPRESSED, "suppressed"},
	};
	for (size_t i = 0; i < NFIELDS(names); i++)
		if (f & names[i].bit)
			strbuf_addf(sb, "%s%s", sb->len ? "|" : "", names[i].name);
}

/* A number for CSV: full precision, empty when missing or suppressed. */
static const char *num(char *buf, double x, bool hide)
{
	if (hide || isnan(x) || isinf(x))
		buf[0] = '\0';
	else
		snprintf(buf, 32, "%.15g", x);
	return buf;
}

static const char *cat_code(const struct survey *s, size_t var, size_t cat)
{
	return cat == (size_t)-1 ? "" : s->var[var].cat[cat].code;
}

static const char *cat_label(const struct survey *s, size_t var, size_t cat)
{
	return cat == (size_t)-1 ? "" : s->var[var].cat[cat].label;
}

/* A result's domain as the csv and json write it: the grouping variable
 * (a*b for a crossed domain), its code (x*y) and its label (x's × y's);
 * all empty for the whole sample. */
struct group_text {
	struct strbuf var, code, label;
};

static void group_text(const struct survey *s, const struct survey_result *r, struct group_text *g)
{
	strbuf_reset(&g->var);
	strbuf_reset(&g->code);
	strbuf_reset(&g->label);
	if (r->by == (size_t)-1)
		return;
	strbuf_addstr(&g->var, s->var[r->by].name);
	strbuf_addstr(&g->code, cat_code(s, r->by, r->group));
	strbuf_addstr(&g->label, cat_label(s, r->by, r->group));
	if (r->by2 == (size_t)-1)
		return;
	strbuf_addf(&g->var, "*%s", s->var[r->by2].name);
	strbuf_addf(&g->code, "*%s", cat_code(s, r->by2, r->group2));
	strbuf_addf(&g->label, " × %s", cat_label(s, r->by2, r->group2));
}

static void results_csv(FILE *fp, const struct survey_view *v)
{
	static const char *const header[] = {
	    "variable",	      "category",    "category_label",
	    "group_variable", "group",	     "group_label",
	    "statistic",      "estimate",    "se",
	    "ci_low",	      "ci_high",     "ci_method",
	    "wilson_low",     "wilson_high", "cv",
	    "deff",	      "df",	     "n",
	    "n_cell",	      "weighted_n",  "flags",
	};
	format_csv_row(fp, header, NFIELDS(header));
	const struct survey *s = v->s;
	struct group_text g = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	for (size_t i = 0; i < v->st->n; i++) {
		const struct survey_result *r = &v->st->row[i];
		bool hide = r->flags & RESULT_SUPPRESSED;
		group_text(s, r, &g);
		char b[12][32], deff[32];
		struct strbuf fl = STRBUF_INIT;
		flags_text(r->flags, &fl);
		snprintf(b[9], 32, "%zu", r->e.n);
		snprintf(b[10], 32, "%zu", r->n_cell);
		const char *f[] = {
		    s->var[r->var].name,
		    cat_code(s, r->var, r->cat),
		    cat_label(s, r->var, r->cat),
		    g.var.buf,
		    g.code.buf,
		    g.label.buf,
		    survey_stat_name(r->stat),
		    num(b[0], r->e.value, hide),
		    num(b[1], r->e.se, hide),
		    num(b[2], r->e.ci_low, hide),
		    num(b[3], r->e.ci_high, hide),
		    ci_method(r->stat),
		    num(b[4], r->e.wilson_low, hide),
		    num(b[5], r->e.wilson_high, hide),
		    num(b[6], r->e.cv, hide),
		    num(deff, r->e.deff, hide),
		    num(b[7], r->e.df, false),
		    b[9],
		    b[10],
		    num(b[8], r->e.wsum, false),
		    fl.buf,
		};
		format_csv_row(fp, f, NFIELDS(f));
		strbuf_release(&fl);
	}
	strbuf_release(&g.var);
	strbuf_release(&g.code);
	strbuf_release(&g.label);
}

void survey_report_weights_csv(FILE *fp, const struct survey_view *v)
{
	static const char *const header[] = {"line", "initial_weight", "weight"};
	format_csv_row(fp, header, NFIELDS(header));
	for (size_t i = 0; i < v->s->n; i++) {
		char a[32], b[32], c[32];
		snprintf(a, sizeof(a), "%lu", v->s->line[i]);
		const char *f[] = {a, num(b, v->w->w0[i], false), num(c, v->w->w[i], false)};
		format_csv_row(fp, f, NFIELDS(f));
	}
}

void survey_report_margins_csv(FILE *fp, const struct survey_view *v)
{
	static const char *const header[] = {"variable", "category", "label", "target",
					     "initial",	 "achieved", "gap"};
	format_csv_row(fp, header, NFIELDS(header));
	const struct calibration *cal = &v->w->cal;
	for (size_t k = 0; k < cal->nmargin; k++) {
		const struct margin *g = &v->m->m[k];
		char name[128], code[128], label[256];
		margin_name(g, v->s, name, sizeof(name));
		for (size_t c = 0; c < g->ncat; c++) {
			char a[32], b[32], d[32], e[32];
			double t = v->w->target[k][c], ach = v->w->achieved[k][c];
			const char *f[] = {name,
					   margin_category(g, v->s, c, false, code, sizeof(code)),
					   margin_category(g, v->s, c, true, label, sizeof(label)),
					   num(a, t, false),
					   num(b, v->w->initial[k][c], false),
					   num(d, ach, false),
					   num(e, t > 0 ? (ach - t) / t : NAN, false)};
			format_csv_row(fp, f, NFIELDS(f));
		}
	}
}

void survey_report_crosstabs_csv(FILE *fp, const struct survey_view *v)
{
	static const char *const header[] = {
	    "row_variable", "row",   "column_variable", "column",	"n",
	    "weighted",	    "share", "row_share",	"column_share", "flags"};
	format_csv_row(fp, header, NFIELDS(header));
	for (size_t t = 0; t < v->st->ntab; t++) {
		const struct crosstab *x = &v->st->tab[t];
		const struct survey_var *a = &v->s->var[x->a], *b = &v->s->var[x->b];
		for (size_t r = 0; r < a->ncat; r++)
			for (size_t c = 0; c < b->ncat; c++) {
				const struct crosstab_cell *cell = &x->cell[r * b->ncat + c];
				bool hide = cell->flags & RESULT_SUPPRESSED;
				char n[32], w[32], s1[32], s2[32], s3[32];
				snprintf(n, sizeof(n), "%zu", cell->n);
				struct strbuf fl = STRBUF_INIT;
				flags_text(cell->flags, &fl);
				const char *f[] = {a->name,
						   a->cat[r].code,
						   b->name,
						   b->cat[c].code,
						   hide ? "" : n,
						   num(w, cell->weighted, hide),
						   num(s1, cell->share, hide),
						   num(s2, cell->row_share, hide),
						   num(s3, cell->col_share, hide),
						   fl.buf};
				format_csv_row(fp, f, NFIELDS(f));
				strbuf_release(&fl);
			}
	}
}

void survey_report_tests_csv(FILE *fp, const struct survey_view *v)
{
	static const char *const header[] = {
	    "row_variable", "column_variable", "pearson_chisq", "rao_scott_F", "ndf",
	    "ddf",	    "p_value",	       "note"};
	format_csv_row(fp, header, NFIELDS(header));
	for (size_t t = 0; t < v->st->ntab; t++) {
		const struct crosstab *x = &v->st->tab[t];
		char a[32], b[32], c[32], d[32], e[32];
		const char *f[] = {v->s->var[x->a].name,
				   v->s->var[x->b].name,
				   num(a, x->test.pearson, !x->tested),
				   num(b, x->test.F, !x->tested),
				   num(c, x->test.ndf, !x->tested),
				   num(d, x->test.ddf, !x->tested),
				   num(e, x->test.p, !x->tested),
				   x->why_untested ? x->why_untested : ""};
		format_csv_row(fp, f, NFIELDS(f));
	}
}

static const char *method_name(enum weighting_method m)
{
	switch (m) {
	case WEIGHTING_POSTSTRATIFY:
		return "poststratify";
	case WEIGHTING_RAKE:
		return "rake";
	case WEIGHTING_LINEAR:
		return "linear";
	case WEIGHTING_NONE:
		break;
	}
	return "none";
}

static json_t *results_json(const struct survey_view *v)
{
	const struct survey *s = v->s;
	const struct weights *w = v->w;
	const struct survey_stats *st = v->st;
	json_t *root = json_object();
	char delim[2] = {s->delim, 0};
	json_object_set_new(root, "survey",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "file", s->file, "codebook",
				      s->codebook, "encoding", s->encoding, "delimiter",
				      s->delim == '\t' ? "tab" : delim, "line_ends", s->line_ends,
				      "respondents", (json_int_t)s->n));
	json_t *jm = json_array();
	for (size_t k = 0; k < w->cal.nmargin; k++) {
		const struct margin *g = &v->m->m[k];
		char name[128], code[128], label[256];
		json_t *cats = json_array();
		for (size_t c = 0; c < g->ncat; c++)
			json_array_append_new(
			    cats,
			    json_pack("{s:s, s:s, s:o, s:o, s:o}", "code",
				      margin_category(g, s, c, false, code, sizeof(code)), "label",
				      margin_category(g, s, c, true, label, sizeof(label)),
				      "target", format_json_number(w->target[k][c]), "initial",
				      format_json_number(w->initial[k][c]), "achieved",
				      format_json_number(w->achieved[k][c])));
		json_array_append_new(jm, json_pack("{s:s, s:o}", "variable",
						    margin_name(g, s, name, sizeof(name)),
						    "categories", cats));
	}
	const struct weight_summary *ws = &st->wsum;
	json_object_set_new(
	    root, "weighting",
	    json_pack("{s:s, s:s?, s:i, s:b, s:o, s:o, s:{s:o, s:o, s:I}, s:{s:o, s:o, s:o, s:o, "
		      "s:o, s:o, s:o, s:o, s:o, s:o}}",
		      "method", method_name(w->cal.method), "margins_file",
		      v->m ? v->m->file : NULL, "iterations", w->iterations, "converged",
		      w->converged, "largest_gap", format_json_number(w->gap), "margins", jm,
		      "trimming", "lower", format_json_number(w->trim_lo), "upper",
		      format_json_number(w->trim_hi), "trimmed", (json_int_t)w->ntrimmed, "weights",
		      "min", format_json_number(ws->min), "q1", format_json_number(ws->q1),
		      "median", format_json_number(ws->median), "q3", format_json_number(ws->q3),
		      "max", format_json_number(ws->max), "mean", format_json_number(ws->mean),
		      "sum", format_json_number(ws->sum), "cv", format_json_number(ws->cv),
		      "kish_deff", format_json_number(ws->deff), "kish_neff",
		      format_json_number(ws->neff)));
	json_object_set_new(root, "thresholds",
			    json_pack("{s:I, s:f, s:I}", "min_n", (json_int_t)st->min_n, "max_cv",
				      st->max_cv, "suppress_below",
				      (json_int_t)st->suppress_below));
	json_t *jr = json_array();
	struct group_text g = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	for (size_t i = 0; i < st->n; i++) {
		const struct survey_result *r = &st->row[i];
		bool hide = r->flags & RESULT_SUPPRESSED;
		group_text(s, r, &g);
		json_t *flags = json_array();
		if (r->flags & RESULT_SMALL_N)
			json_array_append_new(flags, json_string("small_n"));
		if (r->flags & RESULT_HIGH_CV)
			json_array_append_new(flags, json_string("high_cv"));
		if (hide)
			json_array_append_new(flags, json_string("suppressed"));
#define HIDE(x) format_json_number(hide ? NAN : (x))
		json_array_append_new(
		    jr,
		    json_pack(
			"{s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:o, s:o, s:o, s:o, s:s, s:o, "
			"s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}",
			"variable", s->var[r->var].name, "category",
			r->cat == (size_t)-1 ? NULL : cat_code(s, r->var, r->cat), "category_label",
			r->cat == (size_t)-1 ? NULL : cat_label(s, r->var, r->cat),
			"group_variable", r->by == (size_t)-1 ? NULL : g.var.buf, "group",
			r->by == (size_t)-1 ? NULL : g.code.buf, "statistic",
			survey_stat_name(r->stat), "estimate", HIDE(r->e.value), "se",
			HIDE(r->e.se), "ci_low", HIDE(r->e.ci_low), "ci_high", HIDE(r->e.ci_high),
			"ci_method", ci_method(r->stat), "wilson_low", HIDE(r->e.wilson_low),
			"wilson_high", HIDE(r->e.wilson_high), "cv", HIDE(r->e.cv), "deff",
			HIDE(r->e.deff), "df", format_json_number(r->e.df), "n", (json_int_t)r->e.n,
			"n_cell", (json_int_t)r->n_cell, "weighted_n",
			format_json_number(r->e.wsum), "flags", flags));
#undef HIDE
	}
	strbuf_release(&g.var);
	strbuf_release(&g.code);
	strbuf_release(&g.label);
	json_object_set_new(root, "results", jr);
	json_t *jt = json_array();
	for (size_t t = 0; t < st->ntab; t++) {
		const struct crosstab *x = &st->tab[t];
		const struct survey_var *a = &s->var[x->a], *b = &s->var[x->b];
		json_t *cells = json_array();
		for (size_t r = 0; r < a->ncat; r++)
			for (size_t c = 0; c < b->ncat; c++) {
				const struct crosstab_cell *cell = &x->cell[r * b->ncat + c];
				bool hide = cell->flags & RESULT_SUPPRESSED;
				json_array_append_new(
				    cells,
				    json_pack(
					"{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b}", "row",
					a->cat[r].code, "column", b->cat[c].code, "n",
					hide ? json_null() : json_integer((json_int_t)cell->n),
					"weighted", format_json_number(hide ? NAN : cell->weighted),
					"share", format_json_number(hide ? NAN : cell->share),
					"row_share",
					format_json_number(hide ? NAN : cell->row_share),
					"column_share",
					format_json_number(hide ? NAN : cell->col_share),
					"suppressed", hide));
			}
		json_t *test = x->tested ? json_pack("{s:o, s:o, s:o, s:o, s:o}", "pearson_chisq",
						     format_json_number(x->test.pearson),
						     "rao_scott_F", format_json_number(x->test.F),
						     "ndf", format_json_number(x->test.ndf), "ddf",
						     format_json_number(x->test.ddf), "p_value",
						     format_json_number(x->test.p))
					 : json_pack("{s:s}", "note", x->why_untested);
		json_array_append_new(jt,
				      json_pack("{s:s, s:s, s:o, s:o}", "rows", a->name, "columns",
						b->name, "cells", cells, "test", test));
	}
	json_object_set_new(root, "crosstabs", jt);
	return root;
}

/* ---- text ---------------------------------------------------------------- */

static void text_number(struct strbuf *sb, enum survey_stat stat, const struct survey_var *v,
			double x)
{
	if (isnan(x)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	if (stat == STAT_PROPORTION) {
		format_decimal(sb, 100 * x, 1);
		strbuf_addstr(sb, " %");
	} else if (stat == STAT_TOTAL) {
		format_count(sb, x);
	} else {
		format_decimal(sb, x, v->type == SURVEY_INTEGER && stat == STAT_MEDIAN ? 0 : 2);
	}
}

static void text_results(FILE *fp, const struct survey_view *v)
{
	const struct survey *s = v->s;
	const struct weights *w = v->w;
	const struct weight_summary *ws = &v->st->wsum;
	struct strbuf sb = STRBUF_INIT;
	fprintf(fp, "Survey %s (%s), %zu respondents\n", s->file, s->encoding, s->n);
	fprintf(fp, "Weighting: %s", method_name(w->cal.method));
	if (w->cal.method == WEIGHTING_RAKE)
		fprintf(fp, ", %s after %d passes (largest gap %.1e)",
			w->converged ? "converged" : "NOT CONVERGED", w->iterations, w->gap);
	if (v->m)
		fprintf(fp, ", margins %s", v->m->file);
	fputc('\n', fp);
	if (!isnan(w->trim_lo) || !isnan(w->trim_hi))
		fprintf(fp, "  trimmed to [%.4g, %.4g]: %zu weights moved\n", w->trim_lo,
			w->trim_hi, w->ntrimmed);
	for (size_t k = 0; k < w->cal.nmargin; k++) {
		const struct margin *g = &v->m->m[k];
		char name[128], code[128];
		margin_name(g, s, name, sizeof(name));
		for (size_t c = 0; c < g->ncat; c++) {
			strbuf_reset(&sb);
			format_pad(&sb, name, 14);
			strbuf_addch(&sb, ' ');
			format_pad(&sb, margin_category(g, s, c, false, code, sizeof(code)), 12);
			fprintf(fp, "  %s target %12.2f  initial %12.2f  achieved %12.2f\n", sb.buf,
				w->target[k][c], w->initial[k][c], w->achieved[k][c]);
		}
	}
	fprintf(fp,
		"  weights: min %.4g, quartiles %.4g %.4g %.4g, max %.4g, sum %.6g; Kish design "
		"effect %.3f, effective n %.1f\n\n",
		ws->min, ws->q1, ws->median, ws->q3, ws->max, ws->sum, ws->deff, ws->neff);

	fprintf(fp,
		"Estimates (95 %% intervals; n unweighted; flags: small_n under %zu, "
		"high_cv over %.0f %%, suppressed under %zu)\n",
		v->st->min_n, 100 * v->st->max_cv, v->st->suppress_below);
	size_t last_by = (size_t)-2, last_group = (size_t)-2, last_group2 = (size_t)-2;
	struct group_text g = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	for (size_t i = 0; i < v->st->n; i++) {
		const struct survey_result *r = &v->st->row[i];
		const struct survey_var *var = &s->var[r->var];
		if (r->stat == STAT_TOTAL && r->cat != (size_t)-1)
			continue; /* category counts are in the CSV and JSON */
		if (r->by != last_by || r->group != last_group || r->group2 != last_group2) {
			group_text(s, r, &g);
			if (r->by == (size_t)-1)
				fprintf(fp, "\n  whole sample\n");
			else
				fprintf(fp, "\n  %s = %s\n", g.var.buf, g.label.buf);
			last_by = r->by;
			last_group = r->group;
			last_group2 = r->group2;
		}
		strbuf_reset(&sb);
		struct strbuf name = STRBUF_INIT;
		strbuf_addstr(&name, var->name);
		if (r->cat != (size_t)-1)
			strbuf_addf(&name, " = %s", var->cat[r->cat].label);
		format_pad(&sb, name.buf, 40);
		strbuf_release(&name);
		strbuf_addch(&sb, ' ');
		format_pad(&sb, survey_stat_name(r->stat), 10);
		if (r->flags & RESULT_SUPPRESSED) {
			strbuf_addstr(&sb, " (suppressed)");
		} else {
			struct strbuf x = STRBUF_INIT;
			text_number(&x, r->stat, var, r->e.value);
			strbuf_addch(&sb, ' ');
			format_pad_left(&sb, x.buf, 10);
			strbuf_reset(&x);
			strbuf_addstr(&x, "[");
			text_number(&x, r->stat, var, r->e.ci_low);
			strbuf_addstr(&x, ", ");
			text_number(&x, r->stat, var, r->e.ci_high);
			strbuf_addstr(&x, "]");
			strbuf_addch(&sb, ' ');
			format_pad(&sb, x.buf, 26);
			strbuf_release(&x);
		}
		strbuf_addf(&sb, " n=%zu", r->e.n);
		struct strbuf fl = STRBUF_INIT;
		flags_text(r->flags & ~RESULT_SUPPRESSED, &fl);
		if (fl.len)
			strbuf_addf(&sb, "  %s", fl.buf);
		strbuf_release(&fl);
		fprintf(fp, "  %s\n", sb.buf);
	}
	for (size_t t = 0; t < v->st->ntab; t++) {
		const struct crosstab *x = &v->st->tab[t];
		fprintf(fp, "\n  %s by %s: ", s->var[x->a].name, s->var[x->b].name);
		if (x->tested)
			fprintf(fp, "Rao-Scott F = %.4f on %.2f and %.1f df, p = %.4f%s\n",
				x->test.F, x->test.ndf, x->test.ddf, x->test.p,
				x->test.p < 0.05 ? " (significant at 5 %)" : "");
		else
			fprintf(fp, "not tested: %s\n", x->why_untested);
	}
	strbuf_release(&sb);
	strbuf_release(&g.var);
	strbuf_release(&g.code);
	strbuf_release(&g.label);
}

void survey_report_results(FILE *fp, enum report_format fmt, const struct survey_view *v)
{
	switch (fmt) {
	case REPORT_CSV:
		results_csv(fp, v);
		break;
	case REPORT_JSON:
		format_json_write(fp, results_json(v));
		break;
	case REPORT_TEXT:
		text_results(fp, v);
		break;
	}
}
