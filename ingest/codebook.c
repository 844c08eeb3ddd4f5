#include "codebook.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strmap.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"
#include "value.h"

enum {
	K_VARIABLE,
	K_COLUMN,
	K_TYPE,
	K_LABELS,
	K_MISSING,
	K_MIN,
	K_MAX,
	K_SEPARATOR,
	K_ROLE,
	K_NOTE,
	K_SHORT_LABEL, /* last: codebooks written before it read alike */
	K_SKILL,       /* written only when a variable has one */
	K_NCOLS
};
static const char *const col_names[K_NCOLS] = {
    "variable", "column",    "type", "labels", "missing",     "min",
    "max",	"separator", "role", "note",   "short_label", "skill",
};

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 64 || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

static const char *cell(const struct csvrow *row, const size_t *c, int k)
{
	return c[k] == CSVREAD_NONE ? "" : row->field[c[k]];
}

/* A copy of s without its leading and trailing blanks. */
static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static enum status parse_labels(const struct csvread *r, const struct csvrow *row, size_t col,
				struct survey_var *v, struct error *err)
{
	const char *s = row->field[col];
	size_t alloc = 0;
	struct strmap seen = STRMAP_INIT; /* the codes so far: a cell of many stays linear */
	while (*s) {
		size_t n = strcspn(s, "|");
		const char *eq = memchr(s, '=', n);
		char *code = trimmed(s, eq ? (size_t)(eq - s) : n);
		char *label = eq ? trimmed(eq + 1, n - (size_t)(eq - s) - 1) : xstrdup(code);
		if (!*code || !*label || strmap_get(&seen, code) != STRMAP_NONE) {
			enum status st = csvread_field_error(
			    r, row, col, TERRAIN_EDATA, err,
			    "%s in \"%s\" (expected \"code=label|code=label\" with distinct, "
			    "non-empty codes)",
			    !*code    ? "empty code"
			    : !*label ? "empty label"
				      : "a code twice",
			    row->field[col]);
			free(code);
			free(label);
			strmap_release(&seen);
			return st;
		}
		strmap_put(&seen, code, v->ncat);
		ALLOC_GROW(v->cat, v->ncat + 1, alloc);
		v->cat[v->ncat].code = code;
		v->cat[v->ncat].label = label;
		v->cat[v->ncat].column = NULL;
		v->ncat++;
		s += n;
		if (*s == '|')
			s++;
	}
	strmap_release(&seen);
	return TERRAIN_OK;
}

static void parse_missing(const char *s, struct survey_var *v)
{
	size_t alloc = 0;
	while (*s) {
		size_t n = strcspn(s, "|");
		ALLOC_GROW(v->missing, v->nmissing + 1, alloc);
		v->missing[v->nmissing++] = trimmed(s, n);
		s += n;
		if (*s == '|')
			s++;
	}
}

static enum status parse_bound(const struct csvread *r, const struct csvrow *row, size_t col,
			       const struct survey_var *v, double *out, struct error *err)
{
	const char *s = row->field[col];
	*out = NAN;
	if (!*s)
		return TERRAIN_OK;
	if (v->type == SURVEY_DATE) {
		long d;
		if (!value_parse_date(s, &d))
			return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
						   "\"%s\" is not a date (expected YYYY-MM-DD)", s);
		*out = (double)d;
		return TERRAIN_OK;
	}
	if (v->type != SURVEY_INTEGER && v->type != SURVEY_DECIMAL)
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "a bound for a %s variable (expected bounds only for "
					   "integer, decimal or date)",
					   survey_type_name(v->type));
	if (!value_parse_number(s, out, NULL))
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a number (expected a bound such as 0 or "
					   "99,5)",
					   s);
	return TERRAIN_OK;
}

/* The skill a question measures: a name, on a scale (an ordinal whose
 * codes are numbers, or an integer or decimal), answered by respondents. */
static enum status parse_skill(const struct csvread *r, const struct csvrow *row, size_t col,
			       struct survey_var *v, struct error *err)
{
	const char *s = row->field[col];
	v->skill = trimmed(s, strlen(s));
	if (!*v->skill)
		return TERRAIN_OK;
	bool ok = strlen(v->skill) < 32;
	for (const char *c = v->skill; ok && *c; c++)
		ok = isalnum((unsigned char)*c) || *c == '_' || *c == '-';
	if (!ok)
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a skill name (expected 1 to 31 letters, "
					   "digits, '_' or '-', such as numerique)",
					   v->skill);
	if (v->type != SURVEY_ORDINAL && v->type != SURVEY_INTEGER && v->type != SURVEY_DECIMAL)
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "the %s variable \"%s\" cannot measure the skill \"%s\" "
					   "(expected an ordinal variable whose codes are levels, "
					   "or an integer or decimal one)",
					   survey_type_name(v->type), v->name, v->skill);
	if (v->role != SURVEY_ROLE_NONE)
		return csvread_field_error(
		    r, row, col, TERRAIN_EDATA, err,
		    "the %s \"%s\" cannot measure the skill \"%s\" (expected "
		    "a question, with no role)",
		    survey_role_name(v->role), v->name, v->skill);
	for (size_t k = 0; k < v->ncat; k++)
		if (!value_parse_number(v->cat[k].code, &(double){0}, NULL))
			return csvread_field_error(
			    r, row, col, TERRAIN_EDATA, err,
			    "the ordinal variable \"%s\" cannot measure the skill \"%s\": its "
			    "code \"%s\" is not a level (expected codes that are numbers on the "
			    "skill's scale, such as 0=Aucune|1=Faible|2=Moyenne)",
			    v->name, v->skill, v->cat[k].code);
	return TERRAIN_OK;
}

/* names: each variable's index in s by name, where v's is added */
static enum status parse_row(struct survey *s, struct strmap *names, const struct csvread *r,
			     const struct csvrow *row, const size_t *c, struct survey_var *v,
			     struct error *err)
{
	enum status st;
	const char *name = cell(row, c, K_VARIABLE);
	const char *type = cell(row, c, K_TYPE);
	const char *sep = cell(row, c, K_SEPARATOR);
	const char *role = cell(row, c, K_ROLE);
	memset(v, 0, sizeof(*v));
	v->line = row->line;
	v->min = v->max = NAN;
	if (!name_ok(name))
		return csvread_field_error(r, row, c[K_VARIABLE], TERRAIN_EDATA, err,
					   "\"%s\" is not a variable name (expected a letter or "
					   "'_', then letters, digits, '_', '.' or '-')",
					   name);
	size_t first = strmap_get(names, name);
	if (first != STRMAP_NONE)
		return csvread_field_error(r, row, c[K_VARIABLE], TERRAIN_EDATA, err,
					   "variable \"%s\" is defined twice (first on line %lu)",
					   name, s->var[first].line);
	strmap_put(names, name, s->nvar);
	if (!survey_type_parse(type, &v->type))
		return csvread_field_error(r, row, c[K_TYPE], TERRAIN_EDATA, err,
					   "\"%s\" is not a type (expected single, multiple, "
					   "ordinal, integer, decimal, date or text)",
					   type);
	v->name = xstrdup(name);
	v->column = xstrdup(*cell(row, c, K_COLUMN) ? cell(row, c, K_COLUMN) : name);
	v->short_label = trimmed(cell(row, c, K_SHORT_LABEL), strlen(cell(row, c, K_SHORT_LABEL)));
	v->note = xstrdup(cell(row, c, K_NOTE));
	if (c[K_LABELS] != CSVREAD_NONE && (st = parse_labels(r, row, c[K_LABELS], v, err)))
		return st;
	bool categorical = survey_is_categorical(v->type);
	if (categorical && !v->ncat)
		return csvread_field_error(r, row,
					   c[K_LABELS] == CSVREAD_NONE ? c[K_TYPE] : c[K_LABELS],
					   TERRAIN_EDATA, err,
					   "a %s variable needs its categories (expected labels "
					   "such as \"1=Oui|2=Non\")",
					   type);
	if (!categorical && v->ncat)
		return csvread_field_error(r, row, c[K_LABELS], TERRAIN_EDATA, err,
					   "labels for a %s variable (expected labels only for "
					   "single, multiple or ordinal)",
					   type);
	parse_missing(cell(row, c, K_MISSING), v);
	if ((c[K_MIN] != CSVREAD_NONE && (st = parse_bound(r, row, c[K_MIN], v, &v->min, err))) ||
	    (c[K_MAX] != CSVREAD_NONE && (st = parse_bound(r, row, c[K_MAX], v, &v->max, err))))
		return st;
	if (v->min > v->max)
		return csvread_field_error(r, row, c[K_MAX], TERRAIN_EDATA, err,
					   "max is below min (expected min <= max)");
	v->in_columns = v->type == SURVEY_MULTIPLE && strstr(v->column, "{}");
	if (strstr(v->column, "{}") && !v->in_columns)
		return csvread_field_error(
		    r, row, c[K_COLUMN], TERRAIN_EDATA, err,
		    "\"{}\" in the column of a %s variable (expected it only "
		    "for a multiple choice in columns)",
		    type);
	v->separator = ';';
	if (*sep) {
		if (v->type != SURVEY_MULTIPLE || v->in_columns)
			return csvread_field_error(r, row, c[K_SEPARATOR], TERRAIN_EDATA, err,
						   "a separator for a variable that is not a "
						   "multiple choice in one cell");
		if (!strcmp(sep, "space"))
			v->separator = ' ';
		else if (!strcmp(sep, "tab"))
			v->separator = '\t';
		else if (strlen(sep) == 1 && !isalnum((unsigned char)*sep))
			v->separator = *sep;
		else
			return csvread_field_error(r, row, c[K_SEPARATOR], TERRAIN_EDATA, err,
						   "\"%s\" is not a separator (expected one "
						   "punctuation character, space or tab)",
						   sep);
	}
	if (v->in_columns) {
		for (size_t k = 0; k < v->ncat; k++) {
			struct strbuf h = STRBUF_INIT;
			const char *at = strstr(v->column, "{}");
			strbuf_add(&h, v->column, (size_t)(at - v->column));
			strbuf_addstr(&h, v->cat[k].code);
			strbuf_addstr(&h, at + 2);
			v->cat[k].column = strbuf_detach(&h);
		}
	}
	if (!survey_role_parse(role, &v->role))
		return csvread_field_error(
		    r, row, c[K_ROLE], TERRAIN_EDATA, err,
		    "\"%s\" is not a role (expected weight, stratum, cluster, "
		    "cluster2, fpc, fpc2 or empty)",
		    role);
	if (c[K_SKILL] != CSVREAD_NONE && (st = parse_skill(r, row, c[K_SKILL], v, err)))
		return st;
	if (v->role != SURVEY_ROLE_NONE) {
		bool number = v->type == SURVEY_DECIMAL || v->type == SURVEY_INTEGER;
		bool needs_number = v->role == SURVEY_ROLE_WEIGHT || v->role == SURVEY_ROLE_FPC ||
				    v->role == SURVEY_ROLE_FPC2;
		if (needs_number && !number)
			return csvread_field_error(r, row, c[K_ROLE], TERRAIN_EDATA, err,
						   "a%s %s must be of type decimal or integer "
						   "(found %s)",
						   v->role == SURVEY_ROLE_WEIGHT ? "" : "n", role,
						   type);
		if (v->type == SURVEY_MULTIPLE)
			return csvread_field_error(r, row, c[K_ROLE], TERRAIN_EDATA, err,
						   "a %s cannot be a multiple choice (expected one "
						   "value for each respondent)",
						   role);
		for (size_t i = 0; i < s->nvar && v->role != SURVEY_ROLE_META; i++)
			if (s->var[i].role == v->role)
				return csvread_field_error(r, row, c[K_ROLE], TERRAIN_EDATA, err,
							   "a second %s (the first is \"%s\", "
							   "line %lu)",
							   role, s->var[i].name, s->var[i].line);
	}
	return TERRAIN_OK;
}

enum status codebook_load(struct survey *s, const char *path, struct error *err)
{
	struct csvread_opts o;
	struct csvread *r = NULL;
	const struct csvrow *row;
	size_t c[K_NCOLS];
	struct strmap names = STRMAP_INIT;
	enum status st;
	survey_init(s);
	s->codebook = xstrdup(path);
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	o.comments = true;
	if ((st = csvread_open(&r, path, &o, err)))
		goto out;
	for (int k = 0; k < K_NCOLS; k++)
		c[k] = csvread_column(r, col_names[k]);
	size_t req[2];
	if ((st = csvread_require(r, (const char *const[]){"variable", "type"}, 2, req, err)))
		goto out;
	while (!(st = csvread_next(r, &row, err)) && row) {
		for (size_t k = 0; k < row->n; k++) { /* the "'" add_cell put before a formula */
			const char *u = text_formula_unquoted(row->field[k]);
			if (u != row->field[k])
				memmove(row->field[k], u, --row->len[k] + 1);
		}
		ALLOC_GROW(s->var, s->nvar + 1, s->alloc_var);
		if ((st = parse_row(s, &names, r, row, c, &s->var[s->nvar], err))) {
			s->nvar++; /* released with the others */
			goto out;
		}
		s->nvar++;
	}
	if (!st && !s->nvar)
		st = error_set(err, TERRAIN_EDATA,
			       "%s: no variables (expected one row per "
			       "variable after the header)",
			       path);
out:
	csvread_free(r);
	strmap_release(&names);
	if (st) {
		survey_release(s);
		survey_init(s);
	}
	return st;
}

/* A codebook cell: "code=label|..." and the like, as codebook_load reads.
 * The draft is opened in a spreadsheet: a cell that would read as a
 * formula (a question "=HYPERLINK(...)", a category "-1=NSP") gets a "'"
 * first, which codebook_load takes off again. */
static void add_cell(struct strbuf *out, const char *s, bool last)
{
	bool formula = text_formula_guarded(s);
	if (formula || strpbrk(s, ";\"\n\r")) {
		strbuf_addch(out, '"');
		if (formula)
			strbuf_addch(out, '\'');
		for (; *s; s++) {
			if (*s == '"')
				strbuf_addch(out, '"');
			strbuf_addch(out, *s);
		}
		strbuf_addch(out, '"');
	} else {
		strbuf_addstr(out, s);
	}
	strbuf_addch(out, last ? '\n' : ';');
}

static void add_bound(struct strbuf *out, const struct survey_var *v, double x)
{
	char buf[64] = "";
	if (!isnan(x)) {
		if (v->type == SURVEY_DATE)
			value_format_date((long)x, buf);
		else
			snprintf(buf, sizeof(buf), "%.15g", x);
	}
	add_cell(out, buf, false);
}

void codebook_write(const struct survey *s, struct strbuf *out)
{
	int ncols = K_SKILL; /* the skill column only when a variable has one */
	for (size_t i = 0; i < s->nvar; i++)
		if (s->var[i].skill && *s->var[i].skill)
			ncols = K_NCOLS;
	for (int k = 0; k < ncols; k++)
		strbuf_addf(out, "%s%c", col_names[k], k + 1 < ncols ? ';' : '\n');
	for (size_t i = 0; i < s->nvar; i++) {
		const struct survey_var *v = &s->var[i];
		struct strbuf b = STRBUF_INIT;
		add_cell(out, v->name, false);
		add_cell(out, v->column, false);
		add_cell(out, survey_type_name(v->type), false);
		for (size_t k = 0; k < v->ncat; k++) {
			if (k)
				strbuf_addch(&b, '|');
			strbuf_addstr(&b, v->cat[k].code);
			if (strcmp(v->cat[k].code, v->cat[k].label))
				strbuf_addf(&b, "=%s", v->cat[k].label);
		}
		add_cell(out, b.buf, false);
		strbuf_reset(&b);
		for (size_t k = 0; k < v->nmissing; k++)
			strbuf_addf(&b, "%s%s", k ? "|" : "", v->missing[k]);
		add_cell(out, b.buf, false);
		strbuf_release(&b);
		add_bound(out, v, v->min);
		add_bound(out, v, v->max);
		const char *sep = "";
		char one[2] = {v->separator, 0};
		if (v->type == SURVEY_MULTIPLE && !v->in_columns && v->separator != ';')
			sep = v->separator == ' ' ? "space" : v->separator == '\t' ? "tab" : one;
		add_cell(out, sep, false);
		add_cell(out, survey_role_name(v->role), false);
		add_cell(out, v->note ? v->note : "", false);
		add_cell(out, v->short_label ? v->short_label : "", ncols == K_SKILL);
		if (ncols == K_NCOLS)
			add_cell(out, v->skill ? v->skill : "", true);
	}
}
