/* The survey stage: read, check, weight, estimate, as terrain survey
 * analyze, terrain run and terrain project size run it. */
#include "survey_job.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/codebook.h"
#include "../ingest/csvread.h"
#include "../ingest/margins.h"
#include "../ingest/surveydesc.h"
#include "../ingest/surveyfile.h"
#include "../report/survey_report.h"

void survey_job_init(struct survey_job *j)
{
	memset(j, 0, sizeof(*j));
	j->encoding = CSVREAD_AUTO;
	weighting_opts_init(&j->wopts);
	survey_stats_opts_init(&j->sopts);
	j->format = REPORT_TEXT;
}

/* An error about a name or value that came from the project file (with its
 * line) or from the command line (with its option). */
static enum status origin_error(const struct survey_job *j, unsigned line, const char *option,
				struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum status origin_error(const struct survey_job *j, unsigned line, const char *option,
				struct error *err, const char *fmt, ...)
{
	struct strbuf m = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&m, fmt, ap);
	va_end(ap);
	enum status st;
	if (line && j->proj)
		st = project_error_at(j->proj, line, err, "%s: %s", option, m.buf);
	else
		st = error_set(err, TERRAIN_EUSAGE, "--%s: %s", option, m.buf);
	strbuf_release(&m);
	return st;
}

static enum status find_var(const struct survey_job *j, const struct survey *s, const char *name,
			    unsigned line, const char *option, size_t *out, struct error *err)
{
	*out = survey_find(s, name);
	if (*out != (size_t)-1)
		return TERRAIN_OK;
	return origin_error(j, line, option, err, "no variable \"%s\" in the codebook %s", name,
			    s->codebook);
}

static enum status resolve_names(const struct survey_job *j, const struct survey *s, size_t **by,
				 size_t **pairs, struct survey_stats_opts *o, struct error *err)
{
	enum status st;
	size_t nby = j->by ? j->by->n : 0, np = j->crosstab ? j->crosstab->n : 0;
	/* by[i] and, when by is a cross a*b, by[nby + i] = b (else -1) */
	*by = xcalloc(nby ? 2 * nby : 1, sizeof(size_t));
	*pairs = xcalloc(np ? 2 * np : 1, sizeof(size_t));
	for (size_t i = 0; i < nby; i++) {
		const char *t = j->by->item[i], *star = strchr(t, '*');
		unsigned line = j->by->line[i];
		(*by)[nby + i] = (size_t)-1;
		if (!star) {
			if ((st = find_var(j, s, t, line, "by", &(*by)[i], err)))
				return st;
			continue;
		}
		if (star == t || !star[1] || strchr(star + 1, '*'))
			return origin_error(
			    j, line, "by", err,
			    "\"%s\" is not a variable or a cross of two (expected a "
			    "or a*b, such as sexe*statut)",
			    t);
		char *a = xstrndup(t, (size_t)(star - t));
		st = find_var(j, s, a, line, "by", &(*by)[i], err);
		free(a);
		if (st || (st = find_var(j, s, star + 1, line, "by", &(*by)[nby + i], err)))
			return st;
		if ((*by)[i] == (*by)[nby + i])
			return origin_error(j, line, "by", err,
					    "\"%s\" crosses a variable with itself (expected two "
					    "variables)",
					    t);
	}
	for (size_t i = 0; i < np; i++) {
		const char *t = j->crosstab->item[i];
		unsigned line = j->crosstab->line[i];
		const char *star = strchr(t, '*');
		if (!star)
			return origin_error(
			    j, line, "crosstab", err,
			    "\"%s\" is not a pair (expected a*b, such as statut*sexe)", t);
		char *a = xstrndup(t, (size_t)(star - t));
		st = find_var(j, s, a, line, "crosstab", &(*pairs)[2 * i], err);
		free(a);
		if (st ||
		    (st = find_var(j, s, star + 1, line, "crosstab", &(*pairs)[2 * i + 1], err)))
			return st;
	}
	o->by = *by;
	o->by2 = *by + nby;
	o->nby = nby;
	o->pairs = *pairs;
	o->npairs = np;
	return TERRAIN_OK;
}

/* What the renderers are given. */
static void render_results_csv(FILE *fp, const void *v)
{
	survey_report_results(fp, REPORT_CSV, v);
}

static void render_results_json(FILE *fp, const void *v)
{
	survey_report_results(fp, REPORT_JSON, v);
}

static void render_results_text(FILE *fp, const void *v)
{
	survey_report_results(fp, REPORT_TEXT, v);
}

static void render_weights(FILE *fp, const void *v)
{
	survey_report_weights_csv(fp, v);
}

static void render_margins(FILE *fp, const void *v)
{
	survey_report_margins_csv(fp, v);
}

static void render_crosstabs(FILE *fp, const void *v)
{
	survey_report_crosstabs_csv(fp, v);
}

static void render_tests(FILE *fp, const void *v)
{
	survey_report_tests_csv(fp, v);
}

static enum status write_tables(const char *dir, const struct survey_view *v, struct error *err)
{
	static const struct {
		const char *name;
		format_render_fn fn;
	} files[] = {
	    {"survey_results.csv", render_results_csv},
	    {"survey_results.json", render_results_json},
	    {"survey_results.txt", render_results_text},
	    {"survey_weights.csv", render_weights},
	    {"survey_margins.csv", render_margins},
	    {"survey_crosstabs.csv", render_crosstabs},
	    {"survey_tests.csv", render_tests},
	};
	enum status st;
	struct strbuf path = STRBUF_INIT;
	if ((st = fileio_mkdirs(dir, err)))
		return st;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !st; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[i].name);
		st = format_write_file(path.buf, files[i].fn, v, err);
	}
	strbuf_release(&path);
	return st;
}

/* The question's label for people: its short label, else its column's
 * header (for option columns, the header before "/{}" or "[{}]"), else
 * its name. */
static char *question_label(const struct survey_var *v)
{
	if (v->short_label && *v->short_label)
		return xstrdup(v->short_label);
	const char *opt = v->column ? strstr(v->column, "{}") : NULL;
	if (opt && opt > v->column + 1)
		return xstrndup(v->column, (size_t)(opt - 1 - v->column));
	return xstrdup(v->column && *v->column && !opt ? v->column : v->name);
}

/* The whole sample's estimates, question by question, and the declared
 * cross-tabs, for the note. */
static void digest(const struct survey_job *j, const struct survey *s, const struct weights *w,
		   enum weighting_method m, const struct margins *mg, const struct survey_stats *st)
{
	struct note_survey *d = j->digest;
	memset(d, 0, sizeof(*d));
	d->respondents = s->n;
	d->codebook = xstrdup(s->codebook);
	d->suppress_below = st->suppress_below;
	d->min_n = st->min_n;
	d->max_cv = st->max_cv;
	snprintf(d->method, sizeof(d->method), "%s",
		 m == WEIGHTING_RAKE	       ? "rake"
		 : m == WEIGHTING_POSTSTRATIFY ? "poststratify"
		 : m == WEIGHTING_LINEAR       ? "linear"
					       : "none");
	size_t *qof = xmalloc((s->nvar ? s->nvar : 1) * sizeof(*qof)); /* variable -> question */
	d->q = xcalloc(s->nvar ? s->nvar : 1, sizeof(*d->q));
	for (size_t vi = 0; vi < s->nvar; vi++) {
		const struct survey_var *v = &s->var[vi];
		qof[vi] = (size_t)-1;
		if ((v->role != SURVEY_ROLE_NONE && v->role != SURVEY_ROLE_STRATUM) ||
		    v->type == SURVEY_DATE || v->type == SURVEY_TEXT)
			continue;
		qof[vi] = d->nq;
		struct note_survey_question *q = &d->q[d->nq++];
		q->name = xstrdup(v->name);
		q->label = question_label(v);
		q->type = v->type;
		for (size_t k = 0; mg && m != WEIGHTING_NONE && k < mg->n; k++)
			q->calibrated |= mg->m[k].var == vi || mg->m[k].var2 == vi;
		q->mean = q->mean_low = q->mean_high = NAN;
		q->median = q->median_low = q->median_high = NAN;
		q->level = q->level_low = q->level_high = NAN;
		q->line = v->line;
		if (v->skill && *v->skill) {
			struct estimate e;
			survey_stats_level(s, w, vi, &e);
			q->skill = xstrdup(v->skill);
			q->level = e.value;
			q->level_low = e.ci_low;
			q->level_high = e.ci_high;
			q->level_n = e.n;
		}
		q->nanswer = survey_is_categorical(v->type) ? v->ncat : 0;
		q->answer = xcalloc(q->nanswer ? q->nanswer : 1, sizeof(*q->answer));
		for (size_t k = 0; k < q->nanswer; k++) {
			q->answer[k].label =
			    xstrdup(v->cat[k].label ? v->cat[k].label : v->cat[k].code);
			q->answer[k].code = xstrdup(v->cat[k].code);
			q->answer[k].share = q->answer[k].low = q->answer[k].high = NAN;
		}
	}
	for (size_t i = 0; i < st->n; i++) {
		const struct survey_result *r = &st->row[i];
		if (r->by != (size_t)-1 || qof[r->var] == (size_t)-1)
			continue;
		struct note_survey_question *q = &d->q[qof[r->var]];
		q->n = r->e.n;
		if (r->stat == STAT_PROPORTION && r->cat < q->nanswer) {
			struct note_survey_answer *a = &q->answer[r->cat];
			a->share = r->e.value;
			a->low = r->e.ci_low;
			a->high = r->e.ci_high;
			a->n = r->n_cell;
			a->suppressed = r->flags & RESULT_SUPPRESSED;
			a->imprecise = r->flags & (RESULT_SMALL_N | RESULT_HIGH_CV);
		} else if (r->stat == STAT_MEAN) {
			q->mean = r->e.value;
			q->mean_low = r->e.ci_low;
			q->mean_high = r->e.ci_high;
		} else if (r->stat == STAT_MEDIAN) {
			q->median = r->e.value;
			q->median_low = r->e.ci_low;
			q->median_high = r->e.ci_high;
		}
	}
	d->tab = xcalloc(st->ntab ? st->ntab : 1, sizeof(*d->tab));
	for (size_t t = 0; t < st->ntab; t++) {
		const struct crosstab *x = &st->tab[t];
		struct note_survey_crosstab *c = &d->tab[d->ntab++];
		size_t cells = s->var[x->a].ncat * s->var[x->b].ncat;
		c->a = qof[x->a];
		c->b = qof[x->b];
		c->tested = x->tested;
		c->p = x->tested ? x->test.p : NAN;
		c->weighted = xcalloc(cells ? cells : 1, sizeof(*c->weighted));
		c->n = xcalloc(cells ? cells : 1, sizeof(*c->n));
		for (size_t k = 0; k < cells; k++) {
			c->weighted[k] = x->cell[k].weighted;
			c->n[k] = x->cell[k].n;
		}
	}
	free(qof);
}

/* The proportions j->want asks for, from the whole sample. */
static enum status hand_back(const struct survey_job *j, const struct survey *s,
			     const struct survey_stats *st, struct error *err)
{
	for (size_t k = 0; k < j->nwant; k++) {
		const char *w = j->want[k], *eq = strchr(w, '=');
		size_t var = (size_t)-1, cat = (size_t)-1;
		for (size_t i = 0; eq && i < s->nvar && var == (size_t)-1; i++)
			if (strlen(s->var[i].name) == (size_t)(eq - w) &&
			    !strncmp(s->var[i].name, w, (size_t)(eq - w)))
				var = i;
		if (var == (size_t)-1)
			return error_set(
			    err, TERRAIN_EDATA,
			    "survey:%s: no such variable in %s (expected VARIABLE=CODE "
			    "of a single or multiple choice)",
			    w, s->codebook);
		for (size_t c = 0; c < s->var[var].ncat && cat == (size_t)-1; c++)
			if (!strcmp(s->var[var].cat[c].code, eq + 1))
				cat = c;
		if (cat == (size_t)-1)
			return error_set(err, TERRAIN_EDATA,
					 "survey:%s: %s has no category \"%s\" in %s", w,
					 s->var[var].name, eq + 1, s->codebook);
		bool found = false;
		for (size_t i = 0; i < st->n && !found; i++) {
			const struct survey_result *r = &st->row[i];
			if (r->var == var && r->cat == cat && r->by == (size_t)-1 &&
			    r->stat == STAT_PROPORTION) {
				j->got[k] = r->e;
				found = true;
			}
		}
		if (!found)
			return error_set(err, TERRAIN_EDATA,
					 "survey:%s: no proportion estimated for it (a single or "
					 "multiple choice is expected)",
					 w);
	}
	return TERRAIN_OK;
}

enum status survey_job_run(const struct survey_job *j, struct error *err)
{
	struct survey s;
	struct survey_check chk = {0};
	struct margins m;
	struct weights w = {0};
	struct survey_stats st_out = {0};
	struct weighting_opts wo = j->wopts;
	struct survey_stats_opts so = j->sopts;
	size_t *by = NULL, *pairs = NULL;
	bool have_margins = false, have_stats = false;
	enum status st;
	struct surveyfile_opts fo = {.encoding = (enum csvread_encoding)j->encoding,
				     .delim = j->delim};
	margins_init(&m);
	if ((st = codebook_load(&s, j->codebook, err)))
		return st;
	if ((st = surveyfile_read(&s, j->file, &fo, &chk, err)))
		goto out;
	if (chk.total) {
		if (!j->lenient) {
			st = error_set(err, TERRAIN_EDATA,
				       "%zu problem%s in the survey (the first: %s); run 'terrain "
				       "survey check' to see them all, or use --lenient to leave "
				       "those values out",
				       chk.total, chk.total > 1 ? "s" : "", chk.msg[0]);
			goto out;
		}
		log_warn("%zu values with a problem left out (run 'terrain survey check' to see "
			 "them)",
			 chk.total);
	}
	if (!s.n) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: no respondent (expected rows after the "
			       "header)",
			       j->file);
		goto out;
	}
	if (j->margins) {
		if ((st = margins_load(&m, j->margins, &s, err)))
			goto out;
		have_margins = true;
		if (!j->method_set)
			wo.method = WEIGHTING_RAKE;
	} else if (!j->method_set) {
		wo.method = WEIGHTING_NONE;
	} else if (wo.method != WEIGHTING_NONE) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "weighting method %s needs margins (expected "
			       "--margins FILE or margins = FILE in [survey])",
			       wo.method == WEIGHTING_RAKE     ? "rake"
			       : wo.method == WEIGHTING_LINEAR ? "linear"
							       : "poststratify");
		goto out;
	}
	if ((st = weighting_run(&s, have_margins ? &m : NULL, &wo, &w, err)))
		goto out;
	if (!w.converged)
		log_warn("raking did not converge in %d passes (largest gap %.2g): the weights "
			 "miss their margins",
			 w.iterations, w.gap);
	if ((st = resolve_names(j, &s, &by, &pairs, &so, err)) ||
	    (st = survey_stats_compute(&s, &w, &so, &st_out, err)))
		goto out;
	have_stats = true;
	if ((st = hand_back(j, &s, &st_out, err)))
		goto out;
	if (j->digest) {
		digest(j, &s, &w, wo.method, have_margins ? &m : NULL, &st_out);
		note_survey_design(j->digest, &w.smp);
	}
	struct survey_view v = {&s, &w, have_margins ? &m : NULL, &st_out};
	if (j->outdir && (st = write_tables(j->outdir, &v, err)))
		goto out;
	if (j->print)
		survey_report_results(stdout, j->format, &v);
	if (j->outdir)
		log_note("wrote %s/: survey_results.csv, .json, .txt, survey_weights.csv, "
			 "survey_margins.csv, survey_crosstabs.csv, survey_tests.csv",
			 j->outdir);
out:
	if (have_stats)
		survey_stats_release(&st_out);
	free(by);
	free(pairs);
	weights_release(&w);
	margins_release(&m);
	survey_check_release(&chk);
	survey_release(&s);
	return st;
}

enum status survey_job_parse_encoding(const struct survey_job *j, const char *value, unsigned line,
				      int *out, struct error *err)
{
	enum csvread_encoding e;
	if (!csvread_parse_encoding(value, &e))
		return origin_error(j, line, "encoding", err,
				    "\"%s\" is not an encoding (expected auto, utf8, cp1252 or "
				    "latin1)",
				    value);
	*out = (int)e;
	return TERRAIN_OK;
}

enum status survey_job_parse_delimiter(const struct survey_job *j, const char *value, unsigned line,
				       char *out, struct error *err)
{
	if (!strcmp(value, "auto"))
		*out = 0;
	else if (!strcmp(value, "tab"))
		*out = '\t';
	else if (!strcmp(value, ";") || !strcmp(value, ","))
		*out = value[0];
	else
		return origin_error(j, line, "delimiter", err,
				    "\"%s\" is not a delimiter (expected auto, ';', ',' or tab)",
				    value);
	return TERRAIN_OK;
}

enum status survey_job_parse_method(const struct survey_job *j, const char *value, unsigned line,
				    struct weighting_opts *o, struct error *err)
{
	if (!strcmp(value, "rake"))
		o->method = WEIGHTING_RAKE;
	else if (!strcmp(value, "poststratify"))
		o->method = WEIGHTING_POSTSTRATIFY;
	else if (!strcmp(value, "none"))
		o->method = WEIGHTING_NONE;
	else if (!strcmp(value, "linear"))
		o->method = WEIGHTING_LINEAR;
	else
		return origin_error(
		    j, line, "method", err,
		    "\"%s\" is not a method (expected rake, poststratify, linear or "
		    "none)",
		    value);
	return TERRAIN_OK;
}

enum status survey_job_from_project(struct survey_job *j, const struct project *p,
				    struct strbuf paths[3], struct error *err)
{
	const struct project_survey *sv = &p->survey;
	enum status st;
	j->proj = p;
	if (!sv->line)
		return project_error_at(p, 0, err,
					"no [survey] section (expected one with file "
					"and codebook)");
	if (!sv->file.text || !sv->codebook.text)
		return project_error_at(p, sv->line, err,
					"[survey] needs file and codebook (expected \"file = "
					"enquete.csv\" and \"codebook = codebook.csv\")");
	project_path(p, sv->file.text, &paths[0]);
	project_path(p, sv->codebook.text, &paths[1]);
	j->file = paths[0].buf;
	j->codebook = paths[1].buf;
	if (sv->margins.text) {
		project_path(p, sv->margins.text, &paths[2]);
		j->margins = paths[2].buf;
	}
	if (sv->method.text) {
		if ((st = survey_job_parse_method(j, sv->method.text, sv->method.line, &j->wopts,
						  err)))
			return st;
		j->method_set = true;
	}
	if (sv->encoding.text && (st = survey_job_parse_encoding(
				      j, sv->encoding.text, sv->encoding.line, &j->encoding, err)))
		return st;
	if (sv->delimiter.text && (st = survey_job_parse_delimiter(
				       j, sv->delimiter.text, sv->delimiter.line, &j->delim, err)))
		return st;
	j->wopts.trim_lower = sv->trim_lower;
	j->wopts.trim_upper = sv->trim_upper;
	if (!isnan(sv->tolerance))
		j->wopts.tolerance = sv->tolerance;
	if (sv->max_iter)
		j->wopts.max_iter = (int)sv->max_iter;
	if (sv->lonely_psu.text) /* checked by the project reader */
		sampling_lonely_parse(sv->lonely_psu.text, &j->wopts.lonely);
	j->wopts.epsilon = sv->epsilon;
	if (sv->min_n)
		j->sopts.min_n = (size_t)sv->min_n;
	if (sv->suppress_below)
		j->sopts.suppress_below = (size_t)sv->suppress_below;
	if (!isnan(sv->max_cv))
		j->sopts.max_cv = sv->max_cv;
	j->by = &sv->by;
	j->crosstab = &sv->crosstab;
	return TERRAIN_OK;
}

enum status survey_job_describe(const struct survey_job *j, const char *file, const char *output,
				bool force, struct error *err)
{
	struct survey draft;
	struct surveydesc d;
	enum status st;
	struct surveyfile_opts fo = {0};
	fo.encoding = (enum csvread_encoding)j->encoding;
	fo.delim = j->delim;
	if ((st = surveydesc_infer(file, &fo, &draft, &d, err)))
		return st;
	struct strbuf text = STRBUF_INIT;
	codebook_write(&draft, &text);
	if (output) {
		if (!force && fileio_exists(output))
			st = error_set(err, TERRAIN_EDATA,
				       "%s already exists (use --force to overwrite it)", output);
		else if (!(st = fileio_write_atomic(output, text.buf, text.len, err))) {
			survey_report_describe(stdout, &d, &draft);
			printf(
			    "\nwrote the draft codebook %s: check every type and label, then run "
			    "'terrain survey check %s --codebook %s'\n",
			    output, file, output);
		}
	} else {
		fputs(text.buf, stdout);
	}
	strbuf_release(&text);
	survey_release(&draft);
	surveydesc_release(&d);
	return st;
}

enum status survey_job_check(const struct survey_job *j, struct error *err)
{
	struct survey s;
	struct survey_check chk = {0};
	enum status st;
	struct surveyfile_opts fo = {.encoding = (enum csvread_encoding)j->encoding,
				     .delim = j->delim};
	if ((st = codebook_load(&s, j->codebook, err)))
		return st;
	if (!(st = surveyfile_read(&s, j->file, &fo, &chk, err))) {
		survey_report_check(stdout, &s, &chk);
		if (chk.total)
			st = error_set(err, TERRAIN_EDATA, "%s: %zu problem%s found", j->file,
				       chk.total, chk.total > 1 ? "s" : "");
	}
	survey_check_release(&chk);
	survey_release(&s);
	return st;
}
