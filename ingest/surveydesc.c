#include "surveydesc.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/strbuf.h"
#include "../core/strmap.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"
#include "value.h"

/* Answers that usually mean "no answer"; compared without case. */
static const char *const usual_missing[] = {
    "NSP", "NR", "NSPP", "Ne sait pas", "Ne se prononce pas", "Sans réponse", "Refus", "N/A",
};

struct colstat {
	size_t nonempty, numeric, whole, dates, marks, with_sep[2];
	double min, max;
	char **val; /* distinct values, up to SURVEYDESC_MAX_DISTINCT + 1 */
	size_t *count;
	size_t nval;
	size_t ntok[2]; /* distinct tokens of cells split by ';' [0] or ',' [1] */
	char **toks[2];
	bool missing_seen[sizeof(usual_missing) / sizeof(usual_missing[0])];
};

static int usual_missing_index(const char *s)
{
	for (size_t i = 0; i < sizeof(usual_missing) / sizeof(usual_missing[0]); i++)
		if (!strcasecmp(s, usual_missing[i]))
			return (int)i;
	return -1;
}

static void add_distinct(char ***v, size_t **count, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i], s)) {
			if (count)
				(*count)[i]++;
			return;
		}
	}
	if (*n > SURVEYDESC_MAX_DISTINCT)
		return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	if (count) {
		*count = xreallocarray(*count, *n + 1, sizeof(**count));
		(*count)[*n] = 1;
	}
	(*v)[(*n)++] = xstrdup(s);
}

/* Trimmed copy of a cell. */
static char *trim(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static void observe(struct colstat *st, const char *raw)
{
	char *s = trim(raw);
	double x;
	long d;
	if (surveyfile_mark(s) >= 0)
		st->marks++;
	if (!*s) {
		free(s);
		return;
	}
	int mi = usual_missing_index(s);
	if (mi >= 0) {
		st->missing_seen[mi] = true;
		free(s);
		return;
	}
	st->nonempty++;
	add_distinct(&st->val, &st->count, &st->nval, s);
	if (value_parse_number(s, &x, NULL)) {
		st->numeric++;
		st->whole += x == floor(x);
		if (st->numeric == 1 || x < st->min)
			st->min = x;
		if (st->numeric == 1 || x > st->max)
			st->max = x;
	}
	if (value_parse_date(s, &d))
		st->dates++;
	for (int k = 0; k < 2; k++) {
		char sep = k ? ',' : ';';
		if (!strchr(s, sep))
			continue;
		st->with_sep[k]++;
		char *copy = xstrdup(s);
		for (char *tok = strtok(copy, (char[]){sep, 0}); tok;
		     tok = strtok(NULL, (char[]){sep, 0})) {
			char *t = trim(tok);
			if (*t)
				add_distinct(&st->toks[k], NULL, &st->ntok[k], t);
			free(t);
		}
		free(copy);
	}
	free(s);
}

static void stat_release(struct colstat *st)
{
	for (size_t i = 0; i < st->nval; i++)
		free(st->val[i]);
	free(st->val);
	free(st->count);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < st->ntok[k]; i++)
			free(st->toks[k][i]);
		free(st->toks[k]);
	}
}

/* A variable name from a header: ASCII, lowercase, '_' between words;
 * made unique with _2, _3... against the names in taken (each name's
 * value: the next suffix to try after it, 1 when none was), where it is
 * added. */
static char *var_name(const char *header, struct strmap *taken)
{
	struct strbuf f = STRBUF_INIT, name = STRBUF_INIT;
	text_fold(header, &f);
	size_t i = 0;
	for (; i < f.len && name.len < 40; i++) {
		unsigned char c = (unsigned char)f.buf[i];
		strbuf_addch(&name, isalnum(c) ? (char)c : '_');
	}
	/* a long question is cut after a whole word, never inside one */
	if (i < f.len && isalnum((unsigned char)f.buf[i])) {
		char *cut = strrchr(name.buf, '_');
		if (cut && cut - name.buf >= 12)
			strbuf_setlen(&name, (size_t)(cut - name.buf));
	}
	while (name.len && name.buf[name.len - 1] == '_')
		strbuf_setlen(&name, name.len - 1);
	if (!name.len || isdigit((unsigned char)name.buf[0])) {
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "v_%s", name.buf);
		strbuf_release(&name);
		name = p;
	}
	char *base = strbuf_detach(&name);
	char *out = xstrdup(base);
	size_t next = strmap_get(taken, out);
	if (next != STRMAP_NONE) {
		/* the base is taken: its value is the next suffix to try (1 when
		 * none was tried yet), so each suffix is tried once over the file */
		size_t k;
		for (k = next < 2 ? 2 : next;; k++) {
			free(out);
			struct strbuf u = STRBUF_INIT;
			strbuf_addf(&u, "%s_%zu", base, k);
			out = strbuf_detach(&u);
			if (strmap_get(taken, out) == STRMAP_NONE)
				break;
		}
		strmap_put(taken, base, k + 1);
	}
	strmap_put(taken, out, 1);
	free(base);
	strbuf_release(&f);
	return out;
}

/* "q5/opt" or "Q5[opt]": the base and the option, or false. */
static bool option_column(const char *h, char **base, char **opt, char **pattern)
{
	const char *slash = strrchr(h, '/');
	size_t n = strlen(h);
	if (slash && slash > h && slash[1]) {
		*base = xstrndup(h, (size_t)(slash - h));
		*opt = xstrdup(slash + 1);
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/{}", *base);
		*pattern = strbuf_detach(&p);
		return true;
	}
	const char *br = strrchr(h, '[');
	if (br && br > h && n >= 3 && h[n - 1] == ']' && br + 1 < h + n - 1) {
		*base = xstrndup(h, (size_t)(br - h));
		*opt = xstrndup(br + 1, (size_t)(h + n - 1 - br - 1));
		struct strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s[{}]", *base);
		*pattern = strbuf_detach(&p);
		return true;
	}
	return false;
}

/* Whether s starts with one of the blanks that end a question: space,
 * tab, U+00A0 or U+202F (French typography puts one before '?'); its
 * length, else 0. */
static size_t blank_len(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (!strncmp(s, "\xc2\xa0", 2))
		return 2;
	if (!strncmp(s, "\xe2\x80\xaf", 3))
		return 3;
	return 0;
}

/* s[0..n) without the blanks around it, owned. */
static char *without_blanks(const char *s, size_t n)
{
	const char *e = s + n;
	for (size_t k; s < e && (k = blank_len(s));)
		s += k;
	for (bool cut = true; cut;) {
		cut = false;
		for (size_t k = 1; k <= 3 && !cut; k++)
			if ((size_t)(e - s) >= k && blank_len(e - k) == k)
				e -= k, cut = true;
	}
	return xstrndup(s, (size_t)(e - s));
}

char *surveydesc_short_label(const char *question)
{
	static const char *const ends[] = {"?", "(plusieurs réponses possibles)",
					   "(several answers possible)"};
	size_t len = strlen(question), n = len;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++)
			if (!strncasecmp(question + i, ends[k], strlen(ends[k])))
				n = i;
	char *label = without_blanks(question, n);
	if (!*label) { /* nothing before the mark: the whole question */
		free(label);
		label = without_blanks(question, len);
	}
	return label;
}

static struct survey_var *new_var(struct survey *s, const char *name, const char *column,
				  enum survey_type type)
{
	ALLOC_GROW(s->var, s->nvar + 1, s->alloc_var);
	struct survey_var *v = &s->var[s->nvar++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->column = xstrdup(column);
	v->type = type;
	v->min = v->max = NAN;
	v->separator = ';';
	v->note = xstrdup("");
	/* the question of option columns is the header before "/{}" or "[{}]" */
	const char *opt = strstr(column, "{}");
	char *question =
	    opt && opt > column ? xstrndup(column, (size_t)(opt - 1 - column)) : xstrdup(column);
	v->short_label = surveydesc_short_label(question);
	free(question);
	v->line = s->nvar + 1;
	return v;
}

static void add_category(struct survey_var *v, const char *code)
{
	v->cat = xreallocarray(v->cat, v->ncat + 1, sizeof(*v->cat));
	v->cat[v->ncat].code = xstrdup(code);
	v->cat[v->ncat].label = xstrdup(code);
	v->cat[v->ncat].column = NULL;
	v->ncat++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Categories in a stable order: numeric codes by value, others by text. */
static void sort_codes(char **v, size_t n)
{
	bool numeric = true;
	double x;
	for (size_t i = 0; i < n && numeric; i++)
		numeric = value_parse_number(v[i], &x, NULL);
	if (!numeric) {
		qsort(v, n, sizeof(*v), cmp_str);
		return;
	}
	for (size_t i = 1; i < n; i++) /* few codes: insertion sort by value */
		for (size_t j = i; j > 0; j--) {
			double a, b;
			value_parse_number(v[j - 1], &a, NULL);
			value_parse_number(v[j], &b, NULL);
			if (a <= b)
				break;
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void set_missing(struct survey_var *v, const struct colstat *st)
{
	for (size_t i = 0; i < sizeof(usual_missing) / sizeof(usual_missing[0]); i++) {
		if (!st->missing_seen[i])
			continue;
		v->missing = xreallocarray(v->missing, v->nmissing + 1, sizeof(*v->missing));
		v->missing[v->nmissing++] = xstrdup(usual_missing[i]);
	}
}

/* Whether a column's cells combine a few options: every option recurs in
 * two different cells or more (free text cut at its commas does not). */
static bool options_in_cells(const struct colstat *st, char sep)
{
	int k = sep == ',';
	if (st->ntok[k] > SURVEYDESC_MAX_DISTINCT || st->ntok[k] >= st->nval)
		return false;
	if (st->nval > SURVEYDESC_MAX_DISTINCT) /* too many cells seen to count */
		return true;
	for (size_t t = 0; t < st->ntok[k]; t++) {
		size_t cells = 0;
		const char *tok = st->toks[k][t];
		size_t tl = strlen(tok);
		for (size_t v = 0; v < st->nval; v++) {
			/* tok as a whole part of the cell, between separators */
			for (const char *p = strstr(st->val[v], tok); p; p = strstr(p + 1, tok)) {
				const char *b = p, *e = p + tl;
				while (b > st->val[v] && (b[-1] == ' ' || b[-1] == '\t'))
					b--;
				while (*e == ' ' || *e == '\t')
					e++;
				if ((b == st->val[v] || b[-1] == sep) && (!*e || *e == sep)) {
					cells++;
					break;
				}
			}
		}
		if (cells < 2)
			return false;
	}
	return true;
}

static bool looks_like_weight(const char *h)
{
	struct strbuf f = STRBUF_INIT;
	text_fold(h, &f);
	bool w = strstr(f.buf, "poids") || strstr(f.buf, "weight") || strstr(f.buf, "ponder");
	strbuf_release(&f);
	return w;
}

/* The bookkeeping columns of LimeSurvey and KoboToolbox exports: the
 * respondent's id (role id, the first one) and the rest (role meta), so
 * that they are not taken for questions. */
static enum survey_role export_role(const struct survey *s, const char *h)
{
	static const char *const ids[] = {"id", "_id", "_uuid", "response id", "responseid"};
	static const char *const meta[] = {"submitdate",
					   "lastpage",
					   "startlanguage",
					   "seed",
					   "startdate",
					   "datestamp",
					   "ipaddr",
					   "refurl",
					   "_submission_time",
					   "_index",
					   "start",
					   "end",
					   "today",
					   "deviceid",
					   "__version__",
					   "meta/instanceid",
					   "_status",
					   "_submitted_by",
					   "_validation_status",
					   "_notes",
					   "_tags",
					   "_xform_id_string",
					   "_uuid"};
	struct strbuf f = STRBUF_INIT;
	enum survey_role r = SURVEY_ROLE_NONE;
	text_fold(h, &f);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]) && !r; i++)
		if (!strcmp(f.buf, ids[i]))
			r = survey_role_var(s, SURVEY_ROLE_ID) ? SURVEY_ROLE_META : SURVEY_ROLE_ID;
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]) && !r; i++)
		if (!strcmp(f.buf, meta[i]))
			r = SURVEY_ROLE_META;
	strbuf_release(&f);
	return r;
}

/* Decide one column's variable. */
static const char *infer(struct survey *s, struct strmap *taken, const char *header,
			 struct colstat *st)
{
	char *name = var_name(header, taken);
	size_t n = st->nonempty;
	struct survey_var *v;
	const char *verdict;
	if (!n) {
		v = new_var(s, name, header, SURVEY_TEXT);
		verdict = "text (empty column)";
	} else if (st->dates == n) {
		v = new_var(s, name, header, SURVEY_DATE);
		verdict = "date";
	} else if (st->numeric == n && looks_like_weight(header)) {
		v = new_var(s, name, header, SURVEY_DECIMAL);
		v->role = SURVEY_ROLE_WEIGHT;
		verdict = "decimal, weight";
	} else if (st->numeric == n && st->whole == n && st->nval <= 7 && n >= 2 * st->nval) {
		v = new_var(s, name, header, SURVEY_SINGLE);
		sort_codes(st->val, st->nval);
		for (size_t i = 0; i < st->nval; i++)
			add_category(v, st->val[i]);
		verdict = "single (numeric codes: give them labels)";
	} else if (st->numeric == n) {
		v = new_var(s, name, header, st->whole == n ? SURVEY_INTEGER : SURVEY_DECIMAL);
		verdict = st->whole == n ? "integer" : "decimal";
	} else if (st->with_sep[0] * 10 >= n || st->with_sep[1] * 10 >= n) {
		int k = st->with_sep[0] >= st->with_sep[1] ? 0 : 1;
		if (options_in_cells(st, k ? ',' : ';')) {
			v = new_var(s, name, header, SURVEY_MULTIPLE);
			v->separator = k ? ',' : ';';
			sort_codes(st->toks[k], st->ntok[k]);
			for (size_t i = 0; i < st->ntok[k]; i++)
				add_category(v, st->toks[k][i]);
			verdict = "multiple (codes in one cell)";
		} else {
			v = new_var(s, name, header, SURVEY_TEXT);
			verdict = "text";
		}
	} else if (st->nval <= 20 && n >= 2 * st->nval) {
		v = new_var(s, name, header, SURVEY_SINGLE);
		sort_codes(st->val, st->nval);
		for (size_t i = 0; i < st->nval; i++)
			add_category(v, st->val[i]);
		verdict = "single";
	} else {
		v = new_var(s, name, header, SURVEY_TEXT);
		verdict = "text";
	}
	set_missing(v, st);
	if (v->role == SURVEY_ROLE_NONE && (v->role = export_role(s, header)) != SURVEY_ROLE_NONE)
		verdict = v->role == SURVEY_ROLE_ID ? "id (not estimated)" : "meta (not estimated)";
	free(name);
	return verdict;
}

enum status surveydesc_infer(const char *path, const struct surveyfile_opts *o,
			     struct survey *draft, struct surveydesc *d, struct error *err)
{
	struct csvread_opts co;
	struct csvread *r = NULL;
	const struct csvrow *row;
	struct colstat *st = NULL;
	size_t ncol = 0;
	struct strmap taken = STRMAP_INIT; /* the variables' names */
	enum status rs;
	survey_init(draft);
	memset(d, 0, sizeof(*d));
	csvread_opts_init(&co);
	co.delim = o ? o->delim : 0;
	co.encoding = o ? o->encoding : CSVREAD_AUTO;
	co.comments = true;
	if ((rs = csvread_open(&r, path, &co, err)))
		goto out;
	const struct csvrow *h = csvread_header(r);
	ncol = h->n;
	st = xcalloc(ncol ? ncol : 1, sizeof(*st));
	d->ncol = ncol;
	d->col = xcalloc(ncol ? ncol : 1, sizeof(*d->col));
	for (size_t j = 0; j < ncol; j++)
		d->col[j].header = xstrdup(h->field[j]);
	while (!(rs = csvread_next(r, &row, err)) && row) {
		d->rows++;
		for (size_t j = 0; j < ncol; j++)
			observe(&st[j], row->field[j]);
	}
	if (rs)
		goto out;
	draft->file = xstrdup(path);
	snprintf(draft->encoding, sizeof(draft->encoding), "%s", csvread_encoding_name(r));
	draft->delim = csvread_delim(r);

	/* option columns: a base with two or more 0/1 columns.  Each header is
	 * parsed once, and the columns of a base, or of a header, are chained
	 * through maps built from the end (next, hnext), each column knowing
	 * how many members follow it and whether they are all 0/1 marks: a
	 * header of thousands of repeated names stays linear. */
	bool *done = xcalloc(ncol ? ncol : 1, 1);
	struct optcol {
		char *base, *opt, *pattern; /* owned, when is */
		bool is;
		size_t next, hnext; /* the next column of its base, of its header; ncol: none */
		size_t left;	    /* members from this one on, itself included */
		bool marks;	    /* all of them 0/1 marks */
	} *oc = xcalloc(ncol ? ncol : 1, sizeof(*oc));
	struct strmap by_base = STRMAP_INIT, by_header = STRMAP_INIT;
	for (size_t j = ncol; j-- > 0;) {
		struct optcol *x = &oc[j];
		size_t same = strmap_get(&by_header, d->col[j].header);
		x->hnext = same == STRMAP_NONE ? ncol : same;
		strmap_put(&by_header, d->col[j].header, j);
		x->next = ncol;
		x->is = option_column(d->col[j].header, &x->base, &x->opt, &x->pattern);
		if (!x->is)
			continue;
		size_t k = strmap_get(&by_base, x->base);
		x->left = 1;
		x->marks = st[j].marks == d->rows;
		if (k != STRMAP_NONE) {
			x->next = k;
			x->left += oc[k].left;
			x->marks = x->marks && oc[k].marks;
		}
		strmap_put(&by_base, x->base, j);
	}
	for (size_t j = 0; j < ncol; j++) {
		const struct optcol *x = &oc[j];
		if (done[j] || !x->is || x->left < 2 || !x->marks)
			continue;
		char *name = var_name(x->base, &taken);
		struct survey_var *v = new_var(draft, name, x->pattern, SURVEY_MULTIPLE);
		v->in_columns = true;
		for (size_t k = j; k < ncol; k = oc[k].next) {
			add_category(v, oc[k].opt);
			v->cat[v->ncat - 1].column = xstrdup(d->col[k].header);
			done[k] = true;
			d->col[k].verdict = "multiple (one 0/1 column per option)";
		}
		/* Kobo also gives all the options in one cell: the same answers */
		size_t same = strmap_get(&by_header, x->base);
		for (size_t k = same == STRMAP_NONE ? ncol : same; k < ncol; k = oc[k].hnext) {
			if (done[k])
				continue;
			char *n2 = var_name(d->col[k].header, &taken);
			struct survey_var *t = new_var(draft, n2, x->base, SURVEY_TEXT);
			free(t->note);
			struct strbuf note = STRBUF_INIT;
			strbuf_addf(&note, "the same answers as %s, in one cell", name);
			t->note = strbuf_detach(&note);
			done[k] = true;
			d->col[k].verdict = "text (repeats the option columns)";
			free(n2);
		}
		free(name);
	}
	for (size_t j = 0; j < ncol; j++)
		if (oc[j].is)
			free(oc[j].base), free(oc[j].opt), free(oc[j].pattern);
	free(oc);
	strmap_release(&by_base);
	strmap_release(&by_header);
	for (size_t j = 0; j < ncol; j++) {
		if (!done[j] && !*d->col[j].header)
			/* no header (an Excel export's trailing columns): no codebook
			 * row could name it */
			d->col[j].verdict =
			    st[j].nonempty ? "left out (no header)" : "left out (no header, empty)";
		else if (!done[j])
			d->col[j].verdict = infer(draft, &taken, d->col[j].header, &st[j]);
		struct strbuf ex = STRBUF_INIT;
		for (size_t i = 0; i < st[j].nval && i < 3; i++)
			strbuf_addf(&ex, "%s%s", i ? " | " : "", st[j].val[i]);
		d->col[j].examples = strbuf_detach(&ex);
		d->col[j].nonempty = st[j].nonempty;
		d->col[j].distinct = st[j].nval;
	}
	free(done);
out:
	for (size_t j = 0; j < ncol && st; j++)
		stat_release(&st[j]);
	free(st);
	strmap_release(&taken);
	csvread_free(r);
	if (rs) {
		survey_release(draft);
		surveydesc_release(d);
	}
	return rs;
}
