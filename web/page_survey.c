/* The survey page: upload a CSV export (checked as the command line
 * checks it, kept under a name the page chooses), the drafted codebook as
 * an editable table, the problems of `terrain survey check` with their
 * line, column and value, each linking to its variable's row, the
 * margins, and the results of the survey stage. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/survey.h"
#include "../core/surveydiag.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/codebook.h"
#include "../ingest/csvread.h"
#include "../ingest/surveydesc.h"
#include "../ingest/surveyfile.h"
#include "../ingest/upload.h"
#include "../pipeline/studyedit.h"
#include "../report/format.h"
#include "../report/typo.h"
#include "html.h"
#include "page_study.h"
#include "study.h"
#include "studyform.h"

/* The codebook's columns the table edits, in its order. */
#define NEDIT 7
static const char *const edit_cols[NEDIT] = {"type", "labels", "missing",    "min",
					     "max",  "role",   "short_label"};
/* their headings in French and in English (the file's names in the title) */
static const char *const edit_heads[NEDIT][2] = {
    {"type", "type"}, {"libellés", "labels"}, {"non-réponses", "missing"},     {"min", "min"},
    {"max", "max"},   {"rôle", "role"},	      {"libellé court", "short label"}};

/* A small CSV file of the study, whole: header and rows of strings. */
struct table {
	char **cell; /* owned: nrow * ncol, row-major; the header is row 0 */
	size_t ncol, nrow, alloc;
};

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
	return col < t->ncol ? t->cell[row * t->ncol + col] : "";
}

static size_t column_of(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncol; c++)
		if (!strcmp(t->cell[c], name))
			return c;
	return CSVREAD_NONE;
}

/* Add a column (empty in every row) and return its index. */
static size_t add_column(struct table *t, const char *name)
{
	size_t nc = t->ncol + 1;
	char **v = xmallocarray(xmul(t->nrow ? t->nrow : 1, nc), sizeof(*v));
	for (size_t r = 0; r < t->nrow; r++) {
		for (size_t c = 0; c < t->ncol; c++)
			v[r * nc + c] = t->cell[r * t->ncol + c];
		v[r * nc + t->ncol] = xstrdup(r ? "" : name);
	}
	free(t->cell);
	t->cell = v;
	t->ncol = nc;
	t->alloc = t->nrow;
	return nc - 1;
}

static void set_cell(struct table *t, size_t row, size_t col, const char *s)
{
	free(t->cell[row * t->ncol + col]);
	t->cell[row * t->ncol + col] = xstrdup(s);
}

/* Read a codebook or margins file (delimiter detected, as their loaders
 * do), at most max_rows rows, each padded to the header's width. */
static enum status table_read(const char *path, size_t max_rows, struct table *t, struct error *err)
{
	struct csvread *r = NULL;
	struct csvread_opts o;
	memset(t, 0, sizeof(*t));
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	o.comments = true;
	o.strict_width = false;
	enum status st = csvread_open(&r, path, &o, err);
	if (st)
		return st;
	const struct csvrow *row = csvread_header(r);
	t->ncol = row->n;
	for (;;) {
		if (t->nrow > max_rows) {
			st =
			    error_set(err, TERRAIN_EDATA, "%s: more than %zu rows", path, max_rows);
			break;
		}
		ALLOC_GROW(t->cell, xmul(t->nrow + 1, t->ncol), t->alloc);
		for (size_t c = 0; c < t->ncol; c++)
			t->cell[t->nrow * t->ncol + c] = xstrdup(c < row->n ? row->field[c] : "");
		t->nrow++;
		if ((st = csvread_next(r, &row, err)) || !row)
			break;
	}
	csvread_free(r);
	if (st)
		table_release(t);
	return st;
}

/* The table as CSV (';', as codebook_write writes), into out. */
static void table_write(const struct table *t, struct strbuf *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	if (!fp)
		return;
	for (size_t r = 0; r < t->nrow; r++)
		format_csv_row_sep(fp, (const char *const *)&t->cell[r * t->ncol], t->ncol, ';');
	fclose(fp);
	strbuf_add(out, buf, len);
	free(buf);
}

/* A file named by [survey] that the pages may edit: a plain name in the
 * study's folder, nothing else. */
static bool plain_name(const char *s)
{
	if (!s || !*s || *s == '.' || strlen(s) > 128)
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
			return false;
	return true;
}

/* The problem's header name: the text of its last (column "...") */
static bool problem_column(const char *msg, struct strbuf *out)
{
	const char *p = NULL, *q = msg;
	while ((q = strstr(q, "(column \"")))
		p = q++;
	if (!p)
		return false;
	p += 9;
	const char *end = strrchr(p, '"');
	if (!end || end < p)
		return false;
	strbuf_add(out, p, (size_t)(end - p));
	return true;
}

/* The variable reading header h (its column, or one of its 0/1 columns). */
static const struct survey_var *var_of_column(const struct survey *s, const char *h)
{
	for (size_t i = 0; i < s->nvar; i++) {
		const struct survey_var *v = &s->var[i];
		if (v->column && !strcmp(v->column, h))
			return v;
		for (size_t k = 0; k < v->ncat; k++)
			if (v->cat[k].column && !strcmp(v->cat[k].column, h))
				return v;
	}
	return NULL;
}

/* The check's problems, each with its line and column as links to its
 * variable's row of the codebook below. */
static void check_section(struct strbuf *o, const struct web_request *rq, const char *file,
			  const char *codebook, struct survey *s, bool *have_survey)
{
	struct survey_check chk = {0};
	struct error err = {0};
	struct strbuf col = STRBUF_INIT;
	strbuf_addstr(o, "<section id=\"check\">\n<h2>");
	html_text(o, html_tr(rq, "Contrôle du fichier", "Checking the file"));
	strbuf_addstr(o, "</h2>\n");
	if (codebook_load(s, codebook, &err)) {
		strbuf_addstr(o, "<p class=\"problem\">");
		studyform_text(o, rq, err.msg);
		strbuf_addstr(o, "</p>\n</section>\n");
		return;
	}
	*have_survey = true;
	chk.max = 200;
	if (surveyfile_read(s, file, NULL, &chk, &err)) {
		strbuf_addstr(o, "<p class=\"problem\">");
		studyform_text(o, rq, err.msg);
		strbuf_addstr(o, "</p>\n</section>\n");
		survey_check_release(&chk);
		return;
	}
	strbuf_addf(o, "<p id=\"check-summary\">%zu ", s->n);
	html_text(o, html_tr(rq, "répondants lus", "respondents read"));
	strbuf_addf(o, "%s%zu ", html_tr(rq, " ; ", "; "), chk.total);
	/* French keeps 0 and 1 singular */
	html_text(o, chk.total == 1 || (!rq->en && !chk.total)
			 ? html_tr(rq, "problème", "problem")
			 : html_tr(rq, "problèmes", "problems"));
	strbuf_addstr(o, ".</p>\n");
	if (chk.n)
		strbuf_addstr(o, "<ol class=\"problems\">\n");
	for (size_t i = 0; i < chk.n; i++) {
		/* "FILE:LINE:COL: what (column "H")" */
		const char *m = chk.msg[i], *rest = m;
		unsigned long line = 0, column = 0;
		const char *c1 = strchr(m, ':');
		if (c1 && sscanf(c1, ":%lu:%lu:", &line, &column) == 2) {
			rest = strchr(strchr(c1 + 1, ':') + 1, ':') + 1;
			while (*rest == ' ')
				rest++;
		}
		strbuf_reset(&col);
		const struct survey_var *v =
		    problem_column(m, &col) ? var_of_column(s, col.buf) : NULL;
		strbuf_addstr(o, "<li>");
		if (v) {
			strbuf_addstr(o, "<a href=\"#var-");
			html_text(o, v->name);
			strbuf_addstr(o, "\">");
		}
		if (line)
			strbuf_addf(o, "%s %lu, %s %lu", html_tr(rq, "ligne", "line"), line,
				    html_tr(rq, "colonne", "column"), column);
		if (v)
			strbuf_addstr(o, "</a>");
		strbuf_addstr(o, line ? html_tr(rq, " : ", ": ") : "");
		studyform_text(o, rq, rest);
		strbuf_addstr(o, "</li>\n");
	}
	if (chk.n)
		strbuf_addstr(o, "</ol>\n");
	if (chk.total > chk.n)
		strbuf_addf(o, "<p>… %zu %s</p>\n", chk.total - chk.n,
			    html_tr(rq, "autres", "more"));
	strbuf_addstr(o, "</section>\n");
	survey_check_release(&chk);
	strbuf_release(&col);
}

/* A select of the codebook's values; words: what each shows (NULL: the value). */
static void select_of(struct strbuf *o, const char *name, const char *value,
		      const char *const *options, const char *const *words, size_t n)
{
	strbuf_addstr(o, "<select name=\"");
	html_text(o, name);
	strbuf_addstr(o, "\">");
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(o, "<option value=\"");
		html_text(o, options[i]);
		strbuf_addstr(o, strcmp(options[i], value) ? "\">" : "\" selected>");
		found |= !strcmp(options[i], value);
		html_text(o, words ? words[i] : *options[i] ? options[i] : "—");
		strbuf_addstr(o, "</option>");
	}
	if (!found) { /* a value of the file the list does not have ("meta"): kept */
		strbuf_addstr(o, "<option value=\"");
		html_text(o, value);
		strbuf_addstr(o, "\" selected>");
		html_text(o, value);
		strbuf_addstr(o, "</option>");
	}
	strbuf_addstr(o, "</select>");
}

/* The codebook as a form: one row a variable, its id "var-NAME". */
static void codebook_section(struct strbuf *o, const struct web_request *rq, const char *path,
			     const char *rel)
{
	static const char *const types[] = {"single",  "multiple", "ordinal", "integer",
					    "decimal", "date",	   "text"};
	static const char *const roles[] = {"",		"weight", "stratum", "cluster",
					    "cluster2", "fpc",	  "fpc2",    "id"};
	/* the same in French words, for the French page */
	static const char *const types_fr[] = {
	    "choix unique", "choix multiple", "ordinal", "entier", "décimal", "date", "texte"};
	static const char *const roles_fr[] = {"—",
					       "poids",
					       "strate",
					       "grappe",
					       "grappe (2e degré)",
					       "effectif (fpc)",
					       "effectif (fpc2)",
					       "identifiant"};
	struct table t;
	struct error err = {0};
	struct strbuf name = STRBUF_INIT, action = STRBUF_INIT;
	char rev[65];
	strbuf_addstr(o, "<section id=\"codebook\">\n<h2>");
	html_text(o, html_tr(rq, "Dictionnaire des variables", "Codebook"));
	strbuf_addstr(o, "</h2>\n");
	if (table_read(path, 2000, &t, &err)) {
		strbuf_addstr(o, "<p class=\"problem\">");
		studyform_text(o, rq, err.msg);
		strbuf_addstr(o, "</p>\n</section>\n");
		return;
	}
	studyform_rev(rq, rel, rev);
	strbuf_addf(&action, "/study/%s/survey/codebook", rq->study_id);
	html_form(o, rq, action.buf, NULL);
	strbuf_addstr(o, "<input type=\"hidden\" name=\"rev\" value=\"");
	html_text(o, rev);
	strbuf_addstr(o,
		      "\">\n<div class=\"table-wrap\"><table class=\"codebook\"><thead><tr><th>");
	html_text(o, html_tr(rq, "variable", "variable"));
	strbuf_addstr(o, "</th><th>");
	html_text(o, html_tr(rq, "colonne", "column"));
	for (size_t k = 0; k < NEDIT; k++) {
		strbuf_addstr(o, "</th><th title=\"");
		html_text(o, edit_cols[k]);
		strbuf_addstr(o, "\">");
		html_text(o, edit_heads[k][rq->en]);
	}
	strbuf_addstr(o, "</th></tr></thead>\n<tbody>\n");
	size_t cv = column_of(&t, "variable"), cc = column_of(&t, "column");
	for (size_t r = 1; r < t.nrow; r++) {
		const char *var = cell(&t, r, cv);
		strbuf_addstr(o, "<tr id=\"var-");
		html_text(o, var);
		strbuf_addstr(o, "\"><th scope=\"row\">");
		html_text(o, var);
		strbuf_reset(&name);
		strbuf_addf(&name, "var.%zu", r);
		strbuf_addstr(o, "<input type=\"hidden\" name=\"");
		html_text(o, name.buf);
		strbuf_addstr(o, "\" value=\"");
		html_text(o, var);
		strbuf_addstr(o, "\"></th><td>");
		html_text(o, cc == CSVREAD_NONE ? var : cell(&t, r, cc));
		strbuf_addstr(o, "</td>");
		for (size_t k = 0; k < NEDIT; k++) {
			size_t c = column_of(&t, edit_cols[k]);
			const char *v = c == CSVREAD_NONE ? "" : cell(&t, r, c);
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.%zu", edit_cols[k], r);
			strbuf_addstr(o, "<td>");
			if (!strcmp(edit_cols[k], "type")) {
				select_of(o, name.buf, v, types, rq->en ? NULL : types_fr,
					  sizeof(types) / sizeof(types[0]));
			} else if (!strcmp(edit_cols[k], "role")) {
				select_of(o, name.buf, v, roles, rq->en ? NULL : roles_fr,
					  sizeof(roles) / sizeof(roles[0]));
			} else {
				strbuf_addstr(o, "<input type=\"text\" name=\"");
				html_text(o, name.buf);
				strbuf_addstr(o, "\" value=\"");
				html_text(o, v);
				strbuf_addstr(o, "\" aria-label=\"");
				html_text(o, var);
				strbuf_addch(o, ' ');
				html_text(o, edit_heads[k][rq->en]);
				strbuf_addstr(o, "\">");
			}
			strbuf_addstr(o, "</td>");
		}
		strbuf_addstr(o, "</tr>\n");
	}
	strbuf_addstr(o, "</tbody></table></div>\n<p><small class=\"hint\">");
	html_text(o, html_tr(rq,
			     "libellés : « code=libellé|code=libellé » ; non-réponses : les codes "
			     "de non-réponse séparés par « | » (NSP|99).",
			     "labels: \"code=label|code=label\"; missing: the codes of no answer "
			     "separated by \"|\" (NSP|99)."));
	strbuf_addstr(o, "</small></p>\n<button type=\"submit\" id=\"save-codebook\">");
	html_text(o, html_tr(rq, "Enregistrer le dictionnaire", "Save the codebook"));
	strbuf_addstr(o, "</button>\n</form>\n</section>\n");
	table_release(&t);
	strbuf_release(&name);
	strbuf_release(&action);
}

/* The margins as a form: their rows and three empty ones. */
static void margins_section(struct strbuf *o, const struct web_request *rq, const char *path,
			    const char *rel)
{
	struct table t = {0};
	struct error err = {0};
	struct strbuf action = STRBUF_INIT;
	char rev[65];
	strbuf_addstr(o, "<section id=\"margins\">\n<h2>");
	html_text(o, html_tr(rq, "Marges de calage", "Weighting margins"));
	strbuf_addstr(o, "</h2>\n<p>");
	html_text(o, html_tr(rq,
			     "Les effectifs (ou parts) de la population par catégorie, pour "
			     "redresser l'échantillon (source à citer : recensement, fichier "
			     "de la structure…).",
			     "The population's counts (or shares) by category, to weight the "
			     "sample to (cite the source: census, the structure's files...)."));
	strbuf_addstr(o, "</p>\n");
	if (path && table_read(path, 500, &t, &err) && fileio_exists(path)) {
		/* no form over a file the page could not read: saving it would
		 * replace the margins with the rows typed */
		strbuf_addstr(o, "<p class=\"problem\">");
		studyform_text(o, rq, err.msg);
		strbuf_addstr(o, "</p>\n</section>\n");
		strbuf_release(&action);
		return;
	}
	studyform_rev(rq, rel, rev);
	strbuf_addf(&action, "/study/%s/survey/margins", rq->study_id);
	html_form(o, rq, action.buf, NULL);
	strbuf_addstr(o, "<input type=\"hidden\" name=\"rev\" value=\"");
	html_text(o, rev);
	strbuf_addstr(o, "\">\n<table class=\"margins\"><thead><tr><th>variable</th><th>");
	html_text(o, html_tr(rq, "catégorie", "category"));
	strbuf_addstr(o, "</th><th>");
	html_text(o, html_tr(rq, "cible", "target"));
	strbuf_addstr(o, "</th></tr></thead><tbody>\n");
	size_t cv = column_of(&t, "variable"), cc = column_of(&t, "category"),
	       ct = column_of(&t, "target");
	size_t n = t.nrow ? t.nrow - 1 : 0;
	for (size_t i = 0; i < n + 3; i++) {
		const char *v[3] = {"", "", ""};
		if (i < n) {
			v[0] = cell(&t, i + 1, cv);
			v[1] = cell(&t, i + 1, cc);
			v[2] = cell(&t, i + 1, ct);
		}
		static const char *const names[3] = {"mv", "mc", "mt"};
		strbuf_addstr(o, "<tr>");
		for (int k = 0; k < 3; k++) {
			strbuf_addf(o, "<td><input type=\"text\" name=\"%s.%zu\" value=\"",
				    names[k], i);
			html_text(o, v[k]);
			strbuf_addstr(o, "\"></td>");
		}
		strbuf_addstr(o, "</tr>\n");
	}
	strbuf_addstr(o, "</tbody></table>\n<button type=\"submit\" id=\"save-margins\">");
	html_text(o, html_tr(rq, "Enregistrer les marges", "Save the margins"));
	strbuf_addstr(o, "</button>\n</form>\n</section>\n");
	table_release(&t);
	strbuf_release(&action);
}

/* A question's short label (its name when it has none), from the codebook. */
static const char *question_label(const struct survey *s, const char *name)
{
	for (size_t i = 0; s && i < s->nvar; i++)
		if (!strcmp(s->var[i].name, name))
			return *s->var[i].short_label ? s->var[i].short_label : name;
	return name;
}

/* The estimates of survey_results.csv (shares and means; the totals are in
 * the file) as a table in the page's language: question, answer, estimate,
 * its 95 % interval, n and the reliability flags in words. */
static void results_table(struct strbuf *o, const struct web_request *rq, int dir,
			  const struct survey *s)
{
	char *data;
	size_t len;
	struct error err = {0};
	struct csvread *r = NULL;
	struct csvread_opts opts;
	if (study_read(dir, "survey/survey_results.csv", 8u << 20, &data, &len, &err))
		return;
	csvread_opts_init(&opts);
	opts.delim = ',';
	if (csvread_open_mem(&r, "survey_results.csv", data, len, &opts, &err))
		goto out;
	static const char *const cols[] = {
	    "variable", "category_label", "group_variable", "group_label", "statistic",
	    "estimate", "ci_low",	  "ci_high",	    "n",	   "flags"};
	enum {
		VAR,
		CAT,
		GVAR,
		GROUP,
		STAT,
		EST,
		LO,
		HI,
		N,
		FLAGS,
		NCOLS
	};
	size_t c[NCOLS];
	for (size_t k = 0; k < NCOLS; k++)
		if ((c[k] = csvread_column(r, cols[k])) == CSVREAD_NONE)
			goto out;
	strbuf_addstr(o, "<div class=\"table-wrap\"><table class=\"estimates\"><thead><tr>");
	static const char *const heads[][2] = {{"Question", "Question"},
					       {"Réponse", "Answer"},
					       {"Sous-population", "Subgroup"},
					       {"Estimation", "Estimate"},
					       {"Intervalle à 95 %", "95% interval"},
					       {"n", "n"},
					       {"Fiabilité", "Reliability"}};
	for (size_t k = 0; k < sizeof(heads) / sizeof(*heads); k++) {
		strbuf_addstr(o, "<th>");
		html_text(o, heads[k][rq->en]);
		strbuf_addstr(o, "</th>");
	}
	strbuf_addstr(o, "</tr></thead>\n<tbody>\n");
	const struct csvrow *row;
	struct strbuf cellb = STRBUF_INIT;
	while (!csvread_next(r, &row, &err) && row) {
		const char *f[NCOLS];
		for (size_t k = 0; k < NCOLS; k++)
			f[k] = c[k] < row->n ? row->field[c[k]] : "";
		bool share = !strcmp(f[STAT], "proportion");
		if (!share && strcmp(f[STAT], "mean"))
			continue;
		double v[3];
		const char *num[3] = {f[EST], f[LO], f[HI]};
		strbuf_addstr(o, "<tr><td>");
		html_text(o, question_label(s, f[VAR]));
		strbuf_addstr(o, "</td><td>");
		html_text(o, share ? f[CAT] : html_tr(rq, "moyenne", "mean"));
		strbuf_addstr(o, "</td><td>");
		if (*f[GVAR]) {
			html_text(o, question_label(s, f[GVAR]));
			strbuf_addstr(o, " = ");
			html_text(o, f[GROUP]);
		} else {
			html_text(o, html_tr(rq, "ensemble", "whole sample"));
		}
		for (size_t k = 0; k < 3; k++) {
			strbuf_reset(&cellb);
			if (text_parse_double(num[k], &v[k]) && share)
				typo_percent(&cellb, 100 * v[k], 1, !rq->en);
			else if (text_parse_double(num[k], &v[k]))
				typo_number(&cellb, v[k], 1, !rq->en);
			if (k == 0) {
				strbuf_addstr(o, "</td><td class=\"num\">");
				html_text(o, cellb.buf);
				strbuf_addstr(o, "</td><td class=\"num\">");
			} else {
				html_text(o, cellb.buf);
				if (k == 1)
					strbuf_addstr(o, html_tr(rq, " à ", " to "));
			}
		}
		strbuf_addstr(o, "</td><td class=\"num\">");
		html_text(o, f[N]);
		strbuf_addstr(o, "</td><td>");
		/* the flags of the stage, in words */
		static const char *const flags[][3] = {
		    {"small_n", "effectif de moins de 30", "fewer than 30 answers"},
		    {"high_cv", "imprécis (CV de plus de 20 %)", "imprecise (CV over 20%)"},
		    {"suppressed", "masqué (moins de 5 réponses)", "suppressed (under 5 answers)"}};
		bool first = true;
		for (size_t k = 0; k < sizeof(flags) / sizeof(*flags); k++)
			if (strstr(f[FLAGS], flags[k][0])) {
				strbuf_addstr(o, first ? "" : " ; ");
				html_text(o, flags[k][rq->en ? 2 : 1]);
				first = false;
			}
		strbuf_addstr(o, "</td></tr>\n");
	}
	strbuf_addstr(o, "</tbody></table></div>\n");
	strbuf_release(&cellb);
out:
	csvread_free(r);
	free(data);
}

/* The survey stage's results: its text report and the note's charts of
 * the survey's questions. */
static void results_section(struct strbuf *o, const struct web_request *rq, const struct survey *s)
{
	int dir = -1;
	struct strbuf tname = STRBUF_INIT, chart = STRBUF_INIT;
	struct error err = {0};
	char *text = NULL;
	size_t len = 0;
	strbuf_addstr(o, "<section id=\"results\">\n<h2>");
	html_text(o, html_tr(rq, "Résultats", "Results"));
	strbuf_addstr(o, "</h2>\n");
	if (study_outputs(rq, &dir, &tname, &err) ||
	    study_read(dir, "survey/survey_results.txt", 1u << 20, &text, &len, &err)) {
		strbuf_addstr(o, "<p>");
		html_text(o, html_tr(rq,
				     "Pas encore de résultats : le fichier et son "
				     "dictionnaire doivent passer le contrôle.",
				     "No results yet: the file and its codebook must pass the "
				     "check."));
		strbuf_addstr(o, "</p>\n</section>\n");
		goto out;
	}
	for (size_t i = 0; s && i < s->nvar; i++) {
		strbuf_reset(&chart);
		strbuf_addf(&chart, "charts/survey_%s.svg", s->var[i].name);
		if (faccessat(dir, chart.buf, R_OK, AT_SYMLINK_NOFOLLOW))
			continue;
		strbuf_addstr(o, "<figure><img src=\"/study/");
		html_text(o, rq->study_id);
		strbuf_addstr(o, "/chart/");
		html_text(o, chart.buf + 7);
		strbuf_addstr(o, "\" alt=\"");
		html_text(o, *s->var[i].short_label ? s->var[i].short_label : s->var[i].name);
		strbuf_addstr(o, "\"><figcaption>");
		html_text(o, *s->var[i].short_label ? s->var[i].short_label : s->var[i].name);
		strbuf_addstr(o, "</figcaption></figure>\n");
	}
	results_table(o, rq, dir, s);
	/* the stage's own report, as `terrain survey analyze` prints it */
	strbuf_addstr(o, "<details><summary>");
	html_text(
	    o, html_tr(rq,
		       "Rapport complet de l'analyse (texte de terrain survey analyze, en anglais)",
		       "The analysis's full report (terrain survey analyze's text)"));
	strbuf_addstr(o, "</summary>\n<pre class=\"results\">");
	studyform_text(o, rq, text);
	strbuf_addstr(o, "</pre>\n</details>\n");
	studyform_csv_table(o, dir, "survey/survey_tests.csv", 200, "survey-tests");
	strbuf_addstr(o, "</section>\n");
out:
	free(text);
	if (dir >= 0)
		close(dir);
	strbuf_release(&tname);
	strbuf_release(&chart);
}

enum status page_survey(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct strbuf *o = &rs->body, action = STRBUF_INIT, file = STRBUF_INIT,
		      codebook = STRBUF_INIT, margins = STRBUF_INIT;
	struct project p;
	struct survey s;
	bool have_survey = false;
	enum status st = study_project(rq, &p, err);
	if (st)
		return st;
	survey_init(&s);
	html_begin(o, rq, html_tr(rq, "Enquête", "Survey"), "survey");
	strbuf_addstr(o, "<h1>");
	html_text(o, html_tr(rq, "Enquête de terrain", "Field survey"));
	strbuf_addstr(o, "</h1>\n");
	studyform_notices(o, rq); /* under the page's title, as on the portrait */
	strbuf_addstr(o, "<section id=\"upload\">\n<h2>");
	html_text(o, html_tr(rq, "Fichier de l'enquête", "Survey file"));
	strbuf_addstr(o, "</h2>\n");
	if (p.survey.file.text) {
		strbuf_addstr(o, "<p id=\"survey-file\">");
		html_text(o, html_tr(rq, "Fichier : ", "File: "));
		strbuf_addstr(o, "<code>");
		html_text(o, p.survey.file.text);
		strbuf_addstr(o, "</code></p>\n");
	}
	strbuf_addf(&action, "/study/%s/survey/upload", rq->study_id);
	html_form(o, rq, action.buf, "multipart/form-data");
	strbuf_addstr(o, "<label>");
	html_text(o, html_tr(rq,
			     "Export CSV (LimeSurvey, KoboToolbox, Google Forms, Framaforms, "
			     "Excel) :",
			     "CSV export (LimeSurvey, KoboToolbox, Google Forms, Framaforms, "
			     "Excel):"));
	strbuf_addstr(o, " <input type=\"file\" name=\"file\" accept=\".csv,text/csv\" "
			 "required></label>\n<button type=\"submit\" id=\"upload-survey\">");
	html_text(o, html_tr(rq, "Envoyer", "Upload"));
	/* the limits as the page's language writes numbers: "100 000 lignes" */
	strbuf_addf(o, "</button>\n<small class=\"hint\">%s %d %s, ",
		    html_tr(rq, "Au plus", "At most"), UPLOAD_MAX_BYTES >> 20,
		    html_tr(rq, "Mo", "MB"));
	typo_number(o, UPLOAD_MAX_ROWS, 0, !rq->en);
	strbuf_addf(o, " %s, ", html_tr(rq, "lignes", "rows"));
	typo_number(o, UPLOAD_MAX_COLS, 0, !rq->en);
	strbuf_addf(o, " %s.</small>\n", html_tr(rq, "colonnes", "columns"));
	strbuf_addstr(o, "</form>\n</section>\n");
	if (p.survey.file.text && plain_name(p.survey.file.text)) {
		studyform_path(rq, p.survey.file.text, &file);
		if (p.survey.codebook.text && plain_name(p.survey.codebook.text)) {
			studyform_path(rq, p.survey.codebook.text, &codebook);
			check_section(o, rq, file.buf, codebook.buf, &s, &have_survey);
			codebook_section(o, rq, codebook.buf, p.survey.codebook.text);
		}
		const char *mrel = p.survey.margins.text && plain_name(p.survey.margins.text)
				       ? p.survey.margins.text
				       : "marges.csv";
		studyform_path(rq, mrel, &margins);
		margins_section(o, rq, margins.buf, mrel);
		results_section(o, rq, have_survey ? &s : NULL);
	} else if (p.survey.file.text) {
		strbuf_addstr(o, "<p>");
		html_text(o, html_tr(rq,
				     "Le fichier de l'enquête est hors du dossier de l'étude : "
				     "modifiez-le avec la ligne de commande.",
				     "The survey file is outside the study's folder: edit it "
				     "with the command line."));
		strbuf_addstr(o, "</p>\n");
	}
	html_end(o, rq);
	survey_release(&s);
	project_release(&p);
	strbuf_release(&action);
	strbuf_release(&file);
	strbuf_release(&codebook);
	strbuf_release(&margins);
	return TERRAIN_OK;
}

/* Set [survey] keys to values the page chose (drawn from the file just
 * now: the revision check guards against nothing here but a concurrent
 * save, which then wins). */
static enum status set_survey_keys(struct web_request *rq, const char *const *keys,
				   const char *const *values, size_t n, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	struct inifile f;
	struct studyedit_field fields[4];
	struct strbuf base[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	struct studyedit_result res;
	studyform_path(rq, "terrain.ini", &path);
	enum status st = studyedit_read(path.buf, &f, err);
	if (!st) {
		for (size_t i = 0; i < n && i < 4; i++) {
			bool present = inifile_get(&f, "survey", keys[i], &base[i]);
			fields[i] = (struct studyedit_field){
			    "survey", keys[i], present ? base[i].buf : NULL, values[i]};
		}
		st = studyedit_apply(path.buf, fields, n, &res, err);
		studyedit_result_release(&res);
	}
	inifile_release(&f);
	for (int i = 0; i < 4; i++)
		strbuf_release(&base[i]);
	strbuf_release(&path);
	return st;
}

enum status page_survey_upload(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct web_upload *u = web_upload_of(rq, "file");
	struct strbuf tmp = STRBUF_INIT, name = STRBUF_INIT, cbname = STRBUF_INIT,
		      cbpath = STRBUF_INIT, text = STRBUF_INIT, base = STRBUF_INIT;
	struct upload_limits lim;
	struct upload_info info;
	struct survey draft;
	struct surveydesc d = {0};
	enum status st;
	survey_init(&draft);
	if (!u || !u->tmp[0]) {
		st = error_set(err, TERRAIN_EUSAGE, "%s",
			       html_tr(rq, "aucun fichier envoyé (choisissez l'export CSV)",
				       "no file sent (choose the CSV export)"));
		goto out;
	}
	upload_limits_init(&lim);
	studyform_path(rq, u->tmp, &tmp);
	if ((st = upload_check_csv(tmp.buf, u->filename, &lim, &info, err))) {
		unlinkat(rq->study, u->tmp, 0);
		u->tmp[0] = '\0';
		goto out;
	}
	/* a name of the page's choice: the one sent, made safe, after
	 * "enquete_", which no other file of the study has */
	upload_safe_name(u->filename, "", &base);
	strbuf_addf(&name, "enquete_%s.csv", base.buf);
	if ((st = web_upload_take(rq, u, name.buf, err)))
		goto out;
	/* the codebook: the one the study has for this file, else drafted */
	strbuf_addf(&cbname, "codebook_%s.csv", base.buf);
	studyform_path(rq, cbname.buf, &cbpath);
	studyform_path(rq, name.buf, &tmp);
	if (!fileio_exists(cbpath.buf)) {
		if ((st = surveydesc_infer(tmp.buf, NULL, &draft, &d, err)))
			goto out;
		codebook_write(&draft, &text);
		if ((st = fileio_write_atomic(cbpath.buf, text.buf, text.len, err)))
			goto out;
	}
	const char *keys[] = {"file", "codebook"};
	const char *values[] = {name.buf, cbname.buf};
	if ((st = set_survey_keys(rq, keys, values, 2, err)))
		goto out;
	struct error run_err = {0};
	study_run_changed(rq, NULL, &run_err); /* a failure is shown on the page */
	web_redirect(rs, "/study/%s/survey?saved=1#check", rq->study_id);
out:
	survey_release(&draft);
	surveydesc_release(&d);
	strbuf_release(&tmp);
	strbuf_release(&name);
	strbuf_release(&cbname);
	strbuf_release(&cbpath);
	strbuf_release(&text);
	strbuf_release(&base);
	return st;
}

/* Refuse a save drawn from another version of the file. */
static enum status check_rev(struct web_request *rq, const char *rel, struct error *err)
{
	char rev[65];
	const char *sent = web_form(rq, "rev");
	studyform_rev(rq, rel, rev);
	if (!sent || strcmp(sent, rev))
		return error_set(
		    err, TERRAIN_EDATA, "%s",
		    html_tr(rq,
			    "ce fichier a changé depuis l'affichage de la page (un "
			    "autre onglet ?) : rien n'est enregistré ; rechargez la page",
			    "this file changed since the page was shown (another "
			    "tab?): nothing was saved; reload the page"));
	return TERRAIN_OK;
}

/* Write text to rel through a temporary file that load checks first: the
 * checker's message names rel's path, not the temporary one. */
static enum status write_checked(const char *path, const struct strbuf *text,
				 enum status (*load)(const char *tmp, void *arg, struct error *),
				 void *arg, struct error *err)
{
	struct strbuf tmp = STRBUF_INIT;
	enum status st = fileio_temp_create(path, &tmp, err);
	if (st)
		goto out;
	FILE *fp = fopen(tmp.buf, "w");
	bool written = fp && fwrite(text->buf, 1, text->len, fp) == text->len;
	if (fp && fclose(fp))
		written = false;
	if (!written) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot write", path);
		fileio_temp_discard(tmp.buf);
		goto out;
	}
	if ((st = load(tmp.buf, arg, err))) {
		size_t n = tmp.len;
		if (err && !strncmp(err->msg, tmp.buf, n)) {
			char rest[ERROR_MSG_MAX];
			snprintf(rest, sizeof(rest), "%s", err->msg + n);
			snprintf(err->msg, sizeof(err->msg), "%s%s", strrchr(path, '/') + 1, rest);
		}
		fileio_temp_discard(tmp.buf);
		goto out;
	}
	st = fileio_temp_commit(tmp.buf, path, err);
out:
	strbuf_release(&tmp);
	return st;
}

static enum status load_codebook(const char *tmp, void *arg, struct error *err)
{
	struct survey s;
	(void)arg;
	enum status st = codebook_load(&s, tmp, err);
	survey_release(&s);
	return st;
}

enum status page_survey_codebook(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct project p;
	struct table t = {0};
	struct strbuf path = STRBUF_INIT, name = STRBUF_INIT, text = STRBUF_INIT;
	enum status st = study_project(rq, &p, err);
	if (st)
		return st;
	if (!plain_name(p.survey.codebook.text)) {
		st = error_set(err, TERRAIN_EUSAGE, "%s",
			       html_tr(rq, "l'étude n'a pas de dictionnaire modifiable ici",
				       "the study has no codebook to edit here"));
		goto out;
	}
	studyform_path(rq, p.survey.codebook.text, &path);
	if ((st = check_rev(rq, p.survey.codebook.text, err)) ||
	    (st = table_read(path.buf, 2000, &t, err)))
		goto out;
	size_t cv = column_of(&t, "variable");
	size_t col[NEDIT];
	for (size_t k = 0; k < NEDIT; k++) {
		col[k] = column_of(&t, edit_cols[k]);
		if (col[k] == CSVREAD_NONE)
			col[k] = add_column(&t, edit_cols[k]);
	}
	for (size_t r = 1; r < t.nrow; r++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "var.%zu", r);
		const char *var = web_form(rq, name.buf);
		if (!var)
			continue; /* a row the form did not show */
		if (cv == CSVREAD_NONE || strcmp(var, cell(&t, r, cv))) {
			st = error_set(err, TERRAIN_EDATA, "%s",
				       html_tr(rq, "le dictionnaire a changé : rechargez la page",
					       "the codebook changed: reload the page"));
			goto out;
		}
		for (size_t k = 0; k < NEDIT; k++) {
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.%zu", edit_cols[k], r);
			const char *v = web_form(rq, name.buf);
			if (v)
				set_cell(&t, r, col[k], v);
		}
	}
	table_write(&t, &text);
	if ((st = write_checked(path.buf, &text, load_codebook, NULL, err)))
		goto out;
	struct error run_err = {0};
	study_run_changed(rq, NULL, &run_err);
	web_redirect(rs, "/study/%s/survey?saved=1#check", rq->study_id);
out:
	table_release(&t);
	project_release(&p);
	strbuf_release(&path);
	strbuf_release(&name);
	strbuf_release(&text);
	return st;
}

enum status page_survey_margins(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct project p;
	struct strbuf path = STRBUF_INIT, name = STRBUF_INIT, text = STRBUF_INIT;
	enum status st = study_project(rq, &p, err);
	if (st)
		return st;
	const char *rel = p.survey.margins.text && plain_name(p.survey.margins.text)
			      ? p.survey.margins.text
			      : "marges.csv";
	if ((st = check_rev(rq, rel, err)))
		goto out;
	strbuf_addstr(&text, "variable;category;target\n");
	size_t rows = 0;
	for (size_t i = 0; i < 2000; i++) {
		const char *v[3];
		static const char *const names[3] = {"mv", "mc", "mt"};
		for (int k = 0; k < 3; k++) {
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.%zu", names[k], i);
			v[k] = web_form(rq, name.buf);
		}
		if (!v[0])
			break;
		if (!*v[0] && !(v[1] && *v[1]) && !(v[2] && *v[2]))
			continue;
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		const char *fields[3] = {v[0], v[1] ? v[1] : "", v[2] ? v[2] : ""};
		if (fp) {
			format_csv_row_sep(fp, fields, 3, ';');
			fclose(fp);
			strbuf_add(&text, buf, len);
		}
		free(buf);
		rows++;
	}
	studyform_path(rq, rel, &path);
	const char *keys[] = {"margins"};
	const char *values[] = {rows ? rel : NULL};
	/* the margins are checked against the codebook by the survey stage,
	 * which shows its message on the page */
	if ((rows && (st = fileio_write_atomic(path.buf, text.buf, text.len, err))) ||
	    (st = set_survey_keys(rq, keys, values, 1, err)))
		goto out;
	struct error run_err = {0};
	study_run_changed(rq, NULL, &run_err);
	web_redirect(rs, "/study/%s/survey?saved=1#margins", rq->study_id);
out:
	project_release(&p);
	strbuf_release(&path);
	strbuf_release(&name);
	strbuf_release(&text);
	return st;
}
