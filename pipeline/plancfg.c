#include "plancfg.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/number.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "../ingest/csvread.h"

bool plancfg_present(const struct project *p)
{
	return p->plan.line || p->evaluation.line || p->training.line || p->naction || p->njob;
}

static const char *skip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* s without its leading and trailing blanks into dst (size bytes). */
static void trimmed(char *dst, size_t size, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Append a continued value to dst with a space. */
static void append(char *dst, size_t size, const char *s)
{
	size_t n = strlen(dst);
	snprintf(dst + n, size - n, "%s%s", n ? " " : "", skip(s));
}

/* A number written as a user writes it ("1,5", "20"); false if it is not. */
static bool number_of(const char *key, const char *s, size_t n, double *out)
{
	struct number x;
	struct strbuf why = STRBUF_INIT;
	enum number_result r = number_typed(key, s, n, 0, &x, &why);
	strbuf_release(&why);
	if (r != NUMBER_OK || !isfinite(x.value))
		return false;
	*out = x.value;
	return true;
}

static enum status fail(const struct project *p, unsigned line, struct error *err, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));

static enum status fail(const struct project *p, unsigned line, struct error *err, const char *fmt,
			...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return project_error_at(p, line, err, "%s", msg);
}

static size_t objective_index(const struct plan *pl, const char *id)
{
	for (size_t i = 0; i < pl->nobjective; i++)
		if (!strcmp(pl->objective[i].id, id))
			return i;
	return (size_t)-1;
}

static void objective_ids(const struct plan *pl, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < pl->nobjective && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					pl->objective[i].id);
	if (!pl->nobjective)
		snprintf(buf, size, "none: [plan] has no objectives");
}

static enum status read_plan(const struct project *p, struct plan *pl, struct error *err)
{
	const struct project_entries *e = &p->plan;
	for (size_t i = 0; i < e->key.n; i++) {
		const char *v = e->value.item[i];
		unsigned line = e->value.line[i];
		if (!strcmp(e->key.item[i], "goal")) {
			append(pl->goal, sizeof(pl->goal), v);
			continue;
		}
		if (!*skip(v))
			continue;
		const char *colon = strchr(v, ':');
		char id[PLAN_ID];
		if (colon)
			trimmed(id, sizeof(id), v, (size_t)(colon - v));
		bool ok = colon && *id && strlen(id) < PLAN_ID - 1;
		for (const char *c = id; ok && *c; c++)
			ok = isalnum((unsigned char)*c) || *c == '_' || *c == '-';
		if (!ok || !*skip(colon + 1))
			return fail(p, line, err,
				    "bad objective \"%s\" (expected \"ID: text\", ID made of "
				    "letters, digits, '_' or '-', such as O1: Former 40 personnes)",
				    v);
		if (objective_index(pl, id) != (size_t)-1)
			return fail(p, line, err, "duplicate objective \"%s\"", id);
		if (pl->nobjective == PLAN_MAX_OBJECTIVES)
			return fail(p, line, err, "too many objectives (at most %d)",
				    PLAN_MAX_OBJECTIVES);
		struct plan_objective *o = &pl->objective[pl->nobjective++];
		snprintf(o->id, sizeof(o->id), "%s", id);
		snprintf(o->text, sizeof(o->text), "%s", skip(colon + 1));
		o->line = line;
	}
	return TERRAIN_OK;
}

static enum status month_of(const struct project *p, unsigned line, const char *key, const char *v,
			    int *out, struct error *err)
{
	double x;
	if (!number_of(key, v, strlen(v), &x) || x != floor(x) || x < 1 || x > 120)
		return fail(p, line, err,
			    "bad value \"%s\" for \"%s\" (expected a month from 1, the first "
			    "month of the budget's first year, to 120)",
			    v, key);
	*out = (int)x;
	return TERRAIN_OK;
}

static enum status read_action(const struct project *p, const struct project_named *pn,
			       struct plan *pl, struct error *err)
{
	enum status st;
	if (pl->naction == PLAN_MAX_ACTIONS)
		return fail(p, pn->e.line, err, "too many actions (at most %d)", PLAN_MAX_ACTIONS);
	struct plan_action *a = &pl->action[pl->naction++];
	snprintf(a->id, sizeof(a->id), "%s", pn->id);
	a->line = pn->e.line;
	for (size_t i = 0; i < pn->e.key.n; i++) {
		const char *k = pn->e.key.item[i], *v = pn->e.value.item[i];
		unsigned line = pn->e.value.line[i];
		if (!strcmp(k, "label")) {
			append(a->label, sizeof(a->label), v);
		} else if (!strcmp(k, "lead")) {
			append(a->lead, sizeof(a->lead), v);
		} else if (!strcmp(k, "partners")) {
			append(a->partners, sizeof(a->partners), v);
		} else if (!strcmp(k, "outputs")) {
			append(a->outputs, sizeof(a->outputs), v);
		} else if (!strcmp(k, "start") || !strcmp(k, "end")) {
			if ((st = month_of(p, line, k, v, *k == 's' ? &a->start : &a->end, err)))
				return st;
		} else if (!strcmp(k, "budget")) {
			if (!*skip(v))
				continue;
			if (a->nbudget == PLAN_MAX_LIST)
				return fail(p, line, err, "too many budget lines (at most %d)",
					    PLAN_MAX_LIST);
			trimmed(a->budget[a->nbudget++], PLAN_TEXT, v, strlen(v));
			if (!a->budget_line)
				a->budget_line = line;
		} else if (!strcmp(k, "objectives")) {
			const char *s = v;
			while (*(s = s + strspn(s, ", \t"))) {
				size_t n = strcspn(s, ", \t");
				char id[PLAN_ID];
				trimmed(id, sizeof(id), s, n);
				size_t o = objective_index(pl, id);
				if (o == (size_t)-1) {
					char ids[512];
					objective_ids(pl, ids, sizeof(ids));
					return fail(p, line, err,
						    "[action:%s] names the objective \"%s\", which "
						    "[plan] does not have (expected one of: %s)",
						    a->id, id, ids);
				}
				if (a->nobjective < PLAN_MAX_LIST)
					a->objective[a->nobjective++] = o;
				s += n;
			}
		}
	}
	if (!*a->label || !a->start || !a->end)
		return fail(p, a->line, err,
			    "[action:%s] needs label, start and end (the months of its first and "
			    "last month)",
			    a->id);
	struct strbuf t = STRBUF_INIT;
	for (size_t k = 0; k < a->nobjective; k++)
		strbuf_addf(&t, "%s%s", k ? ", " : "", pl->objective[a->objective[k]].id);
	snprintf(a->objectives_text, sizeof(a->objectives_text), "%s", t.buf);
	strbuf_reset(&t);
	for (size_t k = 0; k < a->nbudget; k++)
		strbuf_addf(&t, "%s%s", k ? "; " : "", a->budget[k]);
	snprintf(a->budget_text, sizeof(a->budget_text), "%s", t.buf);
	strbuf_release(&t);
	if (a->end < a->start)
		return fail(p, a->line, err,
			    "[action:%s] ends (month %d) before it starts (month %d)", a->id,
			    a->end, a->start);
	return TERRAIN_OK;
}

/* TARGET: "30", "30 %" (a value), "-2 points", "+50" (a change), "-10 %" (a
 * relative change); '−' (U+2212) is a minus. */
static bool target_of(const char *s, enum plan_target *kind, double *out)
{
	char buf[64];
	trimmed(buf, sizeof(buf), s, strlen(s));
	char *t = buf;
	int sign = 0;
	if (*t == '+' || *t == '-')
		sign = *t == '+' ? 1 : -1, t++;
	else if (!strncmp(t, "\xe2\x88\x92", 3))
		sign = -1, t += 3;
	while (*t == ' ' || *t == '\t')
		t++;
	size_t n = strlen(t);
	bool percent = false;
	if (n > 6 && !strcmp(t + n - 6, "points"))
		n -= 6;
	else if (n > 1 && t[n - 1] == '%')
		n--, percent = true;
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	double x;
	if (!n || !number_of("target", t, n, &x))
		return false;
	*kind = !sign ? PLAN_TARGET_VALUE : percent ? PLAN_TARGET_PERCENT : PLAN_TARGET_CHANGE;
	*out = sign ? sign * x : x;
	return true;
}

static enum status read_indicator(const struct project *p, const char *v, unsigned line,
				  struct plan *pl, struct error *err)
{
	char part[5][PLAN_TEXT];
	size_t np = 0;
	const char *s = v;
	for (;;) {
		size_t n = strcspn(s, "|");
		if (np < 5)
			trimmed(part[np], PLAN_TEXT, s, n);
		np++;
		if (!s[n])
			break;
		s += n + 1;
	}
	if (np != 5)
		return fail(p, line, err,
			    "bad indicator \"%s\" (expected OBJECTIVE | BASELINE | TARGET | "
			    "MEASURED BY | WHEN, five parts separated by '|')",
			    v);
	if (pl->nindicator == PLAN_MAX_INDICATORS)
		return fail(p, line, err, "too many indicators (at most %d)", PLAN_MAX_INDICATORS);
	struct plan_indicator *ind = &pl->indicator[pl->nindicator];
	memset(ind, 0, sizeof(*ind));
	ind->line = line;
	ind->objective = objective_index(pl, part[0]);
	if (ind->objective == (size_t)-1) {
		char ids[512];
		objective_ids(pl, ids, sizeof(ids));
		return fail(p, line, err,
			    "the indicator names the objective \"%s\", which [plan] does not have "
			    "(expected one of: %s)",
			    part[0], ids);
	}
	const char *b = part[1];
	if (!strncmp(b, "indicator:", 10) && b[10])
		ind->base_kind = PLAN_BASE_INDICATOR;
	else if (!strncmp(b, "survey:", 7) && strchr(b + 7, '=') && b[7] != '=' &&
		 b[strlen(b) - 1] != '=')
		ind->base_kind = PLAN_BASE_SURVEY;
	else if (!strcmp(b, "sizing:target"))
		ind->base_kind = PLAN_BASE_TARGET;
	else if (!strcmp(b, "sizing:coverage"))
		ind->base_kind = PLAN_BASE_COVERAGE;
	else if (!strncmp(b, "positioning:", 12) && b[12])
		ind->base_kind = PLAN_BASE_POSITIONING;
	else if (!strncmp(b, "skill:", 6) && b[6])
		ind->base_kind = PLAN_BASE_SKILL;
	else
		return fail(p, line, err,
			    "bad baseline \"%s\" (expected indicator:ID, survey:VARIABLE=CODE, "
			    "sizing:target, sizing:coverage, positioning:SKILL or skill:SKILL)",
			    b);
	if (strlen(b) >= sizeof(ind->base))
		return fail(p, line, err,
			    "baseline \"%.40s...\" is too long (expected at most %zu bytes)", b,
			    sizeof(ind->base) - 1);
	memcpy(ind->base, b, strlen(b) + 1);
	if (!target_of(part[2], &ind->target_kind, &ind->target_written))
		return fail(p, line, err,
			    "bad target \"%s\" (expected a value such as 30, a change such as "
			    "-2 points or +50, or a relative change such as -10 %%)",
			    part[2]);
	if (!*part[3] || !*part[4])
		return fail(p, line, err,
			    "the indicator needs the source that will measure it and when (the "
			    "last two parts)");
	snprintf(ind->measured_by, sizeof(ind->measured_by), "%s", part[3]);
	snprintf(ind->when, sizeof(ind->when), "%s", part[4]);
	pl->nindicator++;
	return TERRAIN_OK;
}

/* The label of ROME code in the bundled table, or an error at line. */
static enum status rome_label(const struct project *p, const char *rome, const char *code,
			      unsigned line, char *label, size_t size, struct error *err)
{
	struct csvread *r = NULL;
	struct csvread_opts o;
	csvread_opts_init(&o);
	enum status st = csvread_open(&r, rome, &o, err);
	if (st)
		return st;
	size_t idx[2];
	static const char *const cols[] = {"code", "label"};
	const struct csvrow *row;
	bool found = false;
	if ((st = csvread_require(r, cols, 2, idx, err)))
		goto out;
	while (!(st = csvread_next(r, &row, err)) && row)
		if (!strcmp(row->field[idx[0]], code)) {
			snprintf(label, size, "%s", row->field[idx[1]]);
			found = true;
			break;
		}
	if (!st && !found)
		st = fail(p, line, err,
			  "[job:%s]: \"%s\" is not a ROME 4.0 code (expected a code of %s, such as "
			  "K1801)",
			  code, code, rome);
out:
	csvread_free(r);
	return st;
}

static enum status read_job(const struct project *p, const struct project_named *pn,
			    const char *rome, struct plan *pl, struct error *err)
{
	if (pl->njob == PLAN_MAX_JOBS)
		return fail(p, pn->e.line, err, "too many jobs (at most %d)", PLAN_MAX_JOBS);
	struct plan_job *j = &pl->job[pl->njob++];
	snprintf(j->code, sizeof(j->code), "%s", strlen(pn->id) < sizeof(j->code) ? pn->id : "");
	j->line = pn->e.line;
	enum status st;
	if (!*j->code)
		return fail(p, j->line, err,
			    "[job:%s]: \"%s\" is not a ROME 4.0 code (expected a code of %s, "
			    "such as K1801)",
			    pn->id, pn->id, rome);
	if ((st = rome_label(p, rome, j->code, j->line, j->label, sizeof(j->label), err)))
		return st;
	for (size_t i = 0; i < pn->e.key.n; i++) {
		const char *k = pn->e.key.item[i], *v = pn->e.value.item[i];
		unsigned line = pn->e.value.line[i];
		if (!strcmp(k, "source")) {
			append(j->source, sizeof(j->source), v);
			continue;
		}
		if (!*skip(v))
			continue;
		const char *colon = strrchr(v, ':');
		struct plan_skill_level *sl = &j->req[j->nreq];
		double x;
		if (colon)
			trimmed(sl->skill, sizeof(sl->skill), v, (size_t)(colon - v));
		if (!colon || !*sl->skill ||
		    !number_of("skills", skip(colon + 1), strlen(skip(colon + 1)), &x) || x < 0)
			return fail(
			    p, line, err,
			    "bad skill \"%s\" (expected \"skill: level\", the level a number "
			    "on the positioning file's scale, such as numerique: 3)",
			    v);
		if (j->nreq == PLAN_MAX_SKILLS)
			return fail(p, line, err, "too many skills (at most %d)", PLAN_MAX_SKILLS);
		sl->level = x;
		j->nreq++;
	}
	if (!*j->source || !j->nreq)
		return fail(p, j->line, err,
			    "[job:%s] needs source (where its skills come from: the ROME fiche, a "
			    "job description) and skills",
			    j->code);
	return TERRAIN_OK;
}

/* The positioning file: one row a person, one column a skill. */
static enum status read_positioning(const char *path, struct plan *pl, struct error *err)
{
	struct csvread *r = NULL;
	struct csvread_opts o;
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	o.comments = true; /* a note above the header ("EXEMPLE INVENTÉ") */
	enum status st = csvread_open(&r, path, &o, err);
	if (st)
		return st;
	const struct csvrow *h = csvread_header(r), *row;
	size_t col[PLAN_MAX_SKILLS];
	double *x[PLAN_MAX_SKILLS] = {0};
	size_t n = 0, alloc = 0;
	pl->nmeasure = 0;
	for (size_t c = 0; c < h->n; c++) {
		if (!strcmp(h->field[c], "id"))
			continue;
		if (pl->nmeasure == PLAN_MAX_SKILLS) {
			st = error_set(err, TERRAIN_EDATA, "%s:1: too many skills (at most %d)",
				       path, PLAN_MAX_SKILLS);
			goto out;
		}
		trimmed(pl->measure[pl->nmeasure].skill, PLAN_ID, h->field[c], h->len[c]);
		col[pl->nmeasure++] = c;
	}
	while (!(st = csvread_next(r, &row, err)) && row) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			for (size_t m = 0; m < pl->nmeasure; m++)
				x[m] = xreallocarray(x[m], alloc, sizeof(double));
		}
		for (size_t m = 0; m < pl->nmeasure; m++) {
			const char *f = row->field[col[m]];
			double v = NAN;
			if (*skip(f) && (!number_of("level", f, row->len[col[m]], &v) || v < 0)) {
				st = csvread_field_error(
				    r, row, col[m], TERRAIN_EDATA, err,
				    "\"%s\" is not a level (expected a number "
				    "of 0 or more, or nothing when not measured)",
				    f);
				goto out;
			}
			x[m][n] = v;
		}
		n++;
	}
	if (st)
		goto out;
	for (size_t m = 0; m < pl->nmeasure && !st; m++) {
		plan_measure_compute(x[m] ? x[m] : (double[]){NAN}, x[m] ? n : 1, &pl->measure[m]);
		/* a skill nobody was positioned on has no level: its gap would
		 * be NAN, ranked anywhere and given no module */
		if (!pl->measure[m].n)
			st = error_set(err, TERRAIN_EDATA,
				       "%s:1: the column \"%s\" holds no level (expected at least "
				       "one person positioned on the skill, or no column)",
				       path, pl->measure[m].skill);
	}
out:
	for (size_t m = 0; m < PLAN_MAX_SKILLS; m++)
		free(x[m]);
	csvread_free(r);
	return st;
}

/* "skill: label", a line of [training]'s labels. */
static enum status read_label(const struct project *p, const char *v, unsigned line,
			      struct plan *pl, struct error *err)
{
	if (!*skip(v))
		return TERRAIN_OK;
	const char *colon = strchr(v, ':');
	char skill[PLAN_ID] = "";
	if (colon)
		trimmed(skill, sizeof(skill), v, (size_t)(colon - v));
	if (!colon || !*skill || !*skip(colon + 1))
		return fail(p, line, err,
			    "bad skill label \"%s\" (expected \"skill: label\", such as numerique: "
			    "Usages du numérique)",
			    v);
	for (size_t k = 0; k < pl->nlabel; k++)
		if (!strcmp(pl->label[k].skill, skill))
			return fail(p, line, err,
				    "the skill \"%s\" has a second label (the first on line %u)",
				    skill, pl->label[k].line);
	if (pl->nlabel == PLAN_MAX_SKILLS)
		return fail(p, line, err, "too many skill labels (at most %d)", PLAN_MAX_SKILLS);
	struct plan_skill_label *l = &pl->label[pl->nlabel++];
	snprintf(l->skill, sizeof(l->skill), "%s", skill);
	trimmed(l->label, sizeof(l->label), colon + 1, strlen(colon + 1));
	l->line = line;
	return TERRAIN_OK;
}

/* Every labelled skill is one a job requires. */
static enum status check_labels(const struct project *p, const struct plan *pl, struct error *err)
{
	for (size_t k = 0; k < pl->nlabel; k++) {
		bool used = false;
		for (size_t j = 0; j < pl->njob && !used; j++)
			for (size_t s = 0; s < pl->job[j].nreq && !used; s++)
				used = !strcmp(pl->job[j].req[s].skill, pl->label[k].skill);
		if (!used)
			return fail(p, pl->label[k].line, err,
				    "a label for the skill \"%s\", which no [job:CODE] requires "
				    "(expected a skill of a job's skills)",
				    pl->label[k].skill);
	}
	return TERRAIN_OK;
}

static enum status read_training(const struct project *p, struct plan *pl, struct error *err)
{
	const struct project_entries *e = &p->training;
	char file[PLAN_TEXT] = "";
	unsigned file_line = 0;
	pl->has_training = true;
	pl->rate = NAN;
	for (size_t i = 0; i < e->key.n; i++) {
		const char *k = e->key.item[i], *v = e->value.item[i];
		unsigned line = e->value.line[i];
		double x;
		if (!strcmp(k, "positioning")) {
			trimmed(file, sizeof(file), v, strlen(v));
			file_line = line;
		} else if (!strcmp(k, "labels")) {
			enum status st = read_label(p, v, line, pl, err);
			if (st)
				return st;
		} else if (!number_of(k, v, strlen(v), &x) || x < 0 ||
			   (!strcmp(k, "rate") && !(x > 0))) {
			return fail(p, line, err, "bad value \"%s\" for \"%s\" (expected %s)", v, k,
				    !strcmp(k, "rate") ? "hours per level of gap, a positive number"
						       : "a level of gap, 0 or more");
		} else if (!strcmp(k, "rate")) {
			pl->rate = x;
		} else {
			pl->threshold = x;
		}
	}
	if (isnan(pl->rate))
		return fail(p, e->line, err,
			    "[training] needs rate (hours per level of gap), and positioning (the "
			    "positioning file) unless the survey's codebook measures the skills");
	if (!*file)
		return TERRAIN_OK; /* the survey measures the skills */
	snprintf(pl->positioning, sizeof(pl->positioning), "%s", file);
	struct strbuf path = STRBUF_INIT;
	project_path(p, file, &path);
	enum status st = read_positioning(path.buf, pl, err);
	strbuf_release(&path);
	(void)file_line;
	return st;
}

enum status plancfg_read_actors(const char *path, struct plan *out, struct error *err)
{
	struct csvread *r = NULL;
	struct csvread_opts o;
	csvread_opts_init(&o);
	o.comments = true;
	enum status st = csvread_open(&r, path, &o, err);
	if (st)
		return st;
	static const char *const cols[] = {"level",	    "actor_fr", "actor_en", "competence_fr",
					   "competence_en", "code",	"article"};
	size_t idx[7];
	const struct csvrow *row;
	out->nactor = 0;
	if ((st = csvread_require(r, cols, 7, idx, err)))
		goto out;
	while (!(st = csvread_next(r, &row, err)) && row) {
		if (out->nactor == PLAN_MAX_ACTORS) {
			st = error_set(err, TERRAIN_EDATA, "%s:%lu: too many rows (at most %d)",
				       path, row->line, PLAN_MAX_ACTORS);
			goto out;
		}
		struct plan_actor *a = &out->actor[out->nactor++];
		char *dst[] = {a->level,	 a->actor_fr, a->actor_en, a->competence_fr,
			       a->competence_en, a->code,     a->article};
		size_t size[] = {sizeof(a->level),	   sizeof(a->actor_fr),
				 sizeof(a->actor_en),	   sizeof(a->competence_fr),
				 sizeof(a->competence_en), sizeof(a->code),
				 sizeof(a->article)};
		for (size_t k = 0; k < 7; k++) {
			if (!*row->field[idx[k]] || row->len[idx[k]] >= size[k]) {
				st = csvread_field_error(r, row, idx[k], TERRAIN_EDATA, err,
							 "expected a text of 1 to %zu bytes",
							 size[k] - 1);
				goto out;
			}
			memcpy(dst[k], row->field[idx[k]], row->len[idx[k]] + 1);
		}
	}
out:
	csvread_free(r);
	return st;
}

enum status plancfg_read(const struct project *p, const char *rome, struct plan *out,
			 struct error *err)
{
	enum status st;
	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "%s", p->path ? p->path : "terrain.ini");
	out->public_size = out->public_low = out->public_high = NAN;
	if ((st = read_plan(p, out, err)))
		return st;
	for (size_t i = 0; i < p->naction; i++)
		if ((st = read_action(p, &p->action[i], out, err)))
			return st;
	for (size_t i = 0; i < p->evaluation.value.n; i++) {
		const char *v = p->evaluation.value.item[i];
		if (*skip(v) && (st = read_indicator(p, v, p->evaluation.value.line[i], out, err)))
			return st;
	}
	for (size_t i = 0; i < p->njob; i++)
		if ((st = read_job(p, &p->job[i], rome, out, err)))
			return st;
	if (p->training.line &&
	    ((st = read_training(p, out, err)) || (st = check_labels(p, out, err))))
		return st;
	if (p->njob && !p->training.line)
		return fail(p, p->job[0].e.line, err,
			    "[job:%s] needs a [training] section (its rate, and the positioning "
			    "file unless the survey measures the group's skills)",
			    p->job[0].id);
	return TERRAIN_OK;
}
