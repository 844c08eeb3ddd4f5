#include "budgetcfg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/number.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "../ingest/value.h"

const char *const budgetcfg_other_keys[BUDGETCFG_NOTHER] = {
    "name",	    "structure",	  "start_year",		 "operating",
    "public_funds", "scenario_occupancy", "scenario_aid_change", "sensitivity",
};

/* A flag beside budget_params' own: the value is in euros, so a '€' may
 * follow it. */
#define EURO_UNIT 0x10000

/* The longest label of an operating or public_funds line, in bytes. */
#define LABEL_MAX 120

/* Terrain's defaults of the scenario axes and the sensitivity share. */
static const double occupancy_default[] = {0.8, 0.9, 1};
static const double aid_change_default[] = {-0.05, 0, 0.05};
static const double sensitivity_default[] = {0.1};
static const char why_occupancy[] = "terrain's default: 80, 90 and 100 % of the posts filled";
static const char why_aid_change[] =
    "terrain's default: -5 %, 0, +5 % (the State's 2026 budget for the aides au poste is 2 % "
    "lower than 2025's, after a first plan of -12 %: FACTS.md 1.2)";
static const char why_sensitivity[] =
    "terrain's default: each assumption moved by 10 % down, then up";

struct ctx {
	const struct project *p;
	struct budget_input *in;
	struct error *err;
	enum status st;
};

static enum status fail(struct ctx *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum status fail(struct ctx *c, unsigned line, const char *fmt, ...)
{
	if (c->st)
		return c->st;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	c->st = project_error_at(c->p, line, c->err, "%s", sb.buf);
	strbuf_release(&sb);
	return c->st;
}

static const char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static const char *expected(unsigned flags)
{
	if (flags & BUDGET_P_SHARE)
		return "a share such as 90 % or 0.9";
	if (flags & BUDGET_P_MONEY)
		return "an amount in euros such as 24000 or 24 000.50";
	return "a number such as 26 or 12.5";
}

/* Parse value as 1 to max numbers (number_split, number_typed) into out;
 * what names the value in messages (the key, or an operating line's
 * label). */
static size_t numbers(struct ctx *c, const char *key, const char *what, const char *value,
		      unsigned line, unsigned flags, bool negative, double *out, size_t max)
{
	size_t start[BUDGET_MAX_CHOICES + 1], len[BUDGET_MAX_CHOICES + 1];
	size_t n = number_split(value, start, len, max);
	unsigned units = flags & BUDGET_P_SHARE			? NUMBER_ALLOW_PERCENT
			 : flags & (BUDGET_P_MONEY | EURO_UNIT) ? NUMBER_ALLOW_EURO
								: 0;
	struct strbuf why = STRBUF_INIT;
	if (n > max)
		return fail(c, line, "\"%s\" takes at most %zu values (found more)", key, max), 0;
	for (size_t i = 0; i < n && !c->st; i++) {
		const char *tok = value + start[i];
		struct number x;
		enum number_result r;
		if (!len[i]) {
			fail(c, line, "missing value in \"%s\" (expected %s%s)", key,
			     expected(flags), max > 1 ? ", or values separated by commas" : "");
			break;
		}
		r = number_typed(what, tok, len[i], units, &x, &why);
		if (r == NUMBER_AMBIGUOUS)
			fail(c, line, "%s", why.buf);
		else if (r ||
			 (x.unit != NUMBER_PERCENT && flags & BUDGET_P_SHARE &&
			  fabs(x.value) > 1) ||
			 (x.value < 0 && !negative))
			fail(c, line, "bad value \"%.*s\" for \"%s\" (expected %s)", (int)len[i],
			     tok, key, expected(flags));
		else
			out[i] = x.value;
	}
	strbuf_release(&why);
	return c->st ? 0 : n;
}

static void from_project(struct budget_origin *o, unsigned line)
{
	memset(o, 0, sizeof(*o));
	o->kind = BUDGET_FROM_PROJECT;
	o->line = line;
}

/* One value, or one a year, into v. */
static void by_year(struct ctx *c, const char *key, const char *what, const char *value,
		    unsigned line, unsigned flags, double v[BUDGET_YEARS])
{
	double x[BUDGET_YEARS];
	size_t n = numbers(c, key, what, value, line, flags, false, x, BUDGET_YEARS);
	if (c->st)
		return;
	int y = c->in->start_year;
	if (n != 1 && n != BUDGET_YEARS) {
		fail(c, line,
		     "\"%s\" takes 1 value (for every year) or 3 (for %d, %d and %d); found %zu",
		     key, y, y + 1, y + 2, n);
		return;
	}
	for (size_t i = 0; i < BUDGET_YEARS; i++)
		v[i] = x[n == 1 ? 0 : i];
}

/* "LABEL: AMOUNT" or "LABEL: A1, A2, A3" into lines[*n]. */
static void add_line(struct ctx *c, const char *key, const char *value, unsigned line,
		     struct budget_line *lines, size_t *n)
{
	const char *colon = strrchr(value, ':');
	if (!colon || colon == value) {
		fail(c, line,
		     "bad line \"%s\" in \"%s\" (expected LABEL: AMOUNT, or LABEL: A1, A2, A3 "
		     "for the three years)",
		     value, key);
		return;
	}
	char *label = xstrndup(value, (size_t)(colon - value));
	const char *l = trim(label);
	if (!*l || strlen(l) > LABEL_MAX)
		fail(c, line, "bad label \"%s\" in \"%s\" (expected 1 to %d bytes of text)", l, key,
		     LABEL_MAX);
	else if (*n == BUDGET_MAX_LINES)
		fail(c, line, "too many \"%s\" lines (at most %d)", key, BUDGET_MAX_LINES);
	for (size_t i = 0; i < *n && !c->st; i++)
		if (!strcmp(lines[i].label, l))
			fail(c, line, "\"%s\" line \"%s\" is given twice (first on line %u)", key,
			     l, lines[i].line);
	if (!c->st) {
		struct budget_line *b = &lines[*n];
		by_year(c, key, l, colon + 1, line, BUDGET_P_MONEY, b->v);
		if (!c->st) {
			b->label = xstrdup(l);
			b->line = line;
			(*n)++;
		}
	}
	free(label);
}

static void choices(struct ctx *c, const char *key, const char *value, unsigned line, bool negative,
		    struct budget_choices *ch)
{
	ch->n =
	    numbers(c, key, key, value, line, BUDGET_P_SHARE, negative, ch->v, BUDGET_MAX_CHOICES);
	from_project(&ch->o, line);
}

static void set_choices(struct budget_choices *ch, const double *v, size_t n, const char *why)
{
	memcpy(ch->v, v, n * sizeof(*v));
	ch->n = n;
	ch->o.kind = BUDGET_FROM_TERRAIN;
	ch->o.why = why;
}

/* The flags of a by-year parameter, with EURO_UNIT for every one in euros
 * (smic_hourly is in EUR/h without being BUDGET_P_MONEY). */
static unsigned units_of(const struct budget_param_info *pi)
{
	return pi->flags | (!strncmp(pi->unit, "EUR", 3) ? EURO_UNIT : 0);
}

static int param_index(const char *key)
{
	for (int k = 0; k < BUDGET_NPARAMS; k++)
		if (!strcmp(budget_params[k].key, key))
			return k;
	return -1;
}

/* The first pass: what the others need (the structure and the years). */
static void header_key(struct ctx *c, const char *key, const char *value, unsigned line, bool cont)
{
	struct budget_input *in = c->in;
	if (strcmp(key, "name") && strcmp(key, "structure") && strcmp(key, "start_year"))
		return;
	if (!strcmp(key, "name")) {
		if (!cont || !in->name) {
			free(in->name);
			in->name = xstrdup(value);
			in->name_line = line;
		} else if (*value) {
			size_t n = strlen(in->name);
			in->name = xrealloc(in->name, n + strlen(value) + 2);
			in->name[n] = ' ';
			strcpy(in->name + n + 1, value);
		}
		return;
	}
	if (cont) {
		fail(c, line, "\"%s\" takes one value (this indented line continues it)", key);
		return;
	}
	if (!strcmp(key, "structure")) {
		for (int s = 0; s < BUDGET_NSTRUCTURES; s++) {
			if (!strcasecmp(value, budget_structure_names[s])) {
				in->structure = (enum budget_structure)s;
				in->structure_line = line;
				return;
			}
		}
		fail(c, line,
		     "bad value \"%s\" for \"structure\" (expected ACI, EI, AI, ETTI or EITI)",
		     value);
	} else if (!strcmp(key, "start_year")) {
		long y;
		char *end;
		y = strtol(value, &end, 10);
		if (end == value || *end || y < 2000 || y > 2100) {
			fail(c, line,
			     "bad value \"%s\" for \"start_year\" (expected the first year of "
			     "the budget, such as 2027)",
			     value);
			return;
		}
		in->start_year = (int)y;
		in->start_year_line = line;
	}
}

/* The second pass: everything else. */
static void value_key(struct ctx *c, const char *key, const char *value, unsigned line, bool cont)
{
	struct budget_input *in = c->in;
	if (!strcmp(key, "operating") || !strcmp(key, "public_funds")) {
		bool op = key[0] == 'o';
		if (*value)
			add_line(c, key, value, line, op ? in->operating : in->funds,
				 op ? &in->noperating : &in->nfunds);
		return;
	}
	if (!strcmp(key, "name") || !strcmp(key, "structure") || !strcmp(key, "start_year"))
		return;
	if (cont) {
		fail(c, line, "\"%s\" takes one value (this indented line continues it)", key);
		return;
	}
	if (!*value) {
		fail(c, line, "missing value for \"%s\"", key);
		return;
	}
	if (!strcmp(key, "scenario_occupancy")) {
		choices(c, key, value, line, false, &in->scenario_occupancy);
	} else if (!strcmp(key, "scenario_aid_change")) {
		choices(c, key, value, line, true, &in->scenario_aid_change);
	} else if (!strcmp(key, "sensitivity")) {
		choices(c, key, value, line, false, &in->sensitivity);
	} else {
		int k = param_index(key);
		if (k < 0) {
			fail(c, line, "unknown key \"%s\" in [budget]", key);
			return;
		}
		struct budget_value *bv = &in->p[k];
		by_year(c, key, key, value, line, units_of(&budget_params[k]), bv->v);
		for (size_t i = 0; i < BUDGET_YEARS; i++)
			from_project(&bv->o[i], line);
	}
}

/* Fill what the project file left out: the table's values, terrain's
 * defaults, or an error naming the parameter. */
static void defaults(struct ctx *c, const struct params *t)
{
	struct budget_input *in = c->in;
	const char *structure = budget_structure_names[in->structure];
	unsigned sec = c->p->budget.line;
	for (int k = 0; k < BUDGET_NPARAMS && !c->st; k++) {
		const struct budget_param_info *pi = &budget_params[k];
		struct budget_value *bv = &in->p[k];
		if (bv->o[0].kind != BUDGET_UNSET)
			continue;
		if (pi->flags & BUDGET_P_ACI && in->structure != BUDGET_ACI)
			continue;
		if (pi->flags & BUDGET_P_TABLE) {
			for (int i = 0; i < BUDGET_YEARS && !c->st; i++) {
				struct error e;
				struct budget_origin *o = &bv->o[i];
				if (params_year(t, pi->key, structure, in->start_year + i, &o->src,
						&e)) {
					fail(c, sec,
					     "[budget] has no \"%s\" (%s, %s) and the parameters "
					     "table cannot give it: %s (set \"%s\" in [budget])",
					     pi->key, pi->label, pi->unit, e.msg, pi->key);
					break;
				}
				o->kind = BUDGET_FROM_TABLE;
				bv->v[i] = o->src.value;
			}
		} else if (pi->flags & BUDGET_P_TERRAIN) {
			for (int i = 0; i < BUDGET_YEARS; i++) {
				bv->v[i] = pi->default_value;
				bv->o[i].kind = BUDGET_FROM_TERRAIN;
				bv->o[i].why = pi->why;
			}
		} else if (pi->flags & BUDGET_P_REQUIRED) {
			fail(c, sec,
			     "[budget] has no \"%s\" (%s, %s): terrain has no default for it",
			     pi->key, pi->label, pi->unit);
		}
	}
	if (c->st)
		return;
	if (!in->noperating)
		fail(c, sec,
		     "[budget] has no \"operating\" (operating costs, one LABEL: AMOUNT a line: "
		     "premises, vehicles, tools, overheads): terrain has no default for it");
	if (!in->scenario_occupancy.n)
		set_choices(&in->scenario_occupancy, occupancy_default, 3, why_occupancy);
	if (!in->scenario_aid_change.n)
		set_choices(&in->scenario_aid_change, aid_change_default, 3, why_aid_change);
	if (!in->sensitivity.n)
		set_choices(&in->sensitivity, sensitivity_default, 1, why_sensitivity);
}

enum status budgetcfg_build(const struct project *p, const struct params *t,
			    struct budget_input *in, struct error *err)
{
	struct ctx c = {p, in, err, TERRAIN_OK};
	const struct project_list *keys = &p->budget.key, *vals = &p->budget.value;
	memset(in, 0, sizeof(*in));
	in->file = p->path;
	in->table_file = t->path;
	if (!p->budget.line)
		return project_error_at(p, 0, err,
					"no [budget] section (expected the budget's assumptions: "
					"see README.md, \"Budget forecast\")");
	for (int pass = 0; pass < 2 && !c.st; pass++) {
		for (size_t i = 0; i < keys->n && !c.st; i++) {
			bool cont = i && !strcmp(keys->item[i], keys->item[i - 1]);
			void (*fn)(struct ctx *, const char *, const char *, unsigned, bool) =
			    pass ? value_key : header_key;
			fn(&c, keys->item[i], vals->item[i], vals->line[i], cont);
		}
		if (pass || c.st)
			continue;
		if (!in->structure_line)
			fail(&c, p->budget.line,
			     "[budget] has no \"structure\" (the SIAE type: ACI, EI, AI, ETTI or "
			     "EITI)");
		else if (!in->start_year_line)
			fail(
			    &c, p->budget.line,
			    "[budget] has no \"start_year\" (the first of the three years, such as "
			    "2027)");
	}
	if (!c.st)
		defaults(&c, t);
	if (c.st)
		budget_input_release(in);
	return c.st;
}
