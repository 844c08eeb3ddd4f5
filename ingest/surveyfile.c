#include "surveyfile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "value.h"

static void add_problem(struct survey_check *c, enum survey_problem_kind kind, const char *msg)
{
	c->total++;
	c->count[kind]++;
	if (c->n >= (c->max ? c->max : 1000))
		return;
	if (c->n + 1 > c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 32;
		c->msg = xreallocarray(c->msg, c->alloc, sizeof(*c->msg));
		c->kind = xreallocarray(c->kind, c->alloc, sizeof(*c->kind));
	}
	c->msg[c->n] = xstrdup(msg);
	c->kind[c->n] = kind;
	c->n++;
}

int surveyfile_mark(const char *s)
{
	static const char *const yes[] = {"1", "Y", "YES", "OUI", "O", "X", "TRUE", "VRAI"};
	static const char *const no[] = {"", "0", "N", "NO", "NON", "FALSE", "FAUX"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcasecmp(s, yes[i]))
			return 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcasecmp(s, no[i]))
			return 0;
	return -1;
}

/* Where a variable reads its cells: one column, or one per category. */
struct source {
	size_t col;   /* header index; CSVREAD_NONE for in_columns */
	size_t *cols; /* in_columns: one per category */
};

struct reader {
	struct survey *s;
	struct csvread *r;
	struct survey_check *chk;
	struct source *src;
	struct strbuf key, tmp;
	char quote[64]; /* quoted(): a long value's first bytes */
};

/* s as a message quotes it: whole when short, else its first 48 bytes (cut
 * at a character) and "...", so that what was expected still fits. */
static const char *quoted(struct reader *rd, const char *s)
{
	size_t cut = 48;
	if (strlen(s) <= 60)
		return s;
	while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	snprintf(rd->quote, sizeof(rd->quote), "%.*s...", (int)cut, s);
	return rd->quote;
}

/* A problem at a cell: "file:line:col: MESSAGE (column "h")". */
static void problem(struct reader *rd, const struct csvrow *row, size_t col,
		    enum survey_problem_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void problem(struct reader *rd, const struct csvrow *row, size_t col,
		    enum survey_problem_kind kind, const char *fmt, ...)
{
	struct strbuf m = STRBUF_INIT;
	struct error e;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&m, fmt, ap);
	va_end(ap);
	csvread_field_error(rd->r, row, col, TERRAIN_EDATA, &e, "%s", m.buf);
	add_problem(rd->chk, kind, e.msg);
	strbuf_release(&m);
}

/* The cell's text without surrounding blanks (no-break spaces included). */
static const char *clean(struct reader *rd, const char *s)
{
	strbuf_reset(&rd->tmp);
	while (*s == ' ' || *s == '\t' || (s[0] == '\xc2' && s[1] == '\xa0'))
		s += *s == '\xc2' ? 2 : 1;
	strbuf_addstr(&rd->tmp, s);
	while (rd->tmp.len) {
		char *b = rd->tmp.buf;
		size_t n = rd->tmp.len;
		if (b[n - 1] == ' ' || b[n - 1] == '\t')
			strbuf_setlen(&rd->tmp, n - 1);
		else if (n >= 2 && b[n - 2] == '\xc2' && b[n - 1] == '\xa0')
			strbuf_setlen(&rd->tmp, n - 2);
		else
			break;
	}
	return rd->tmp.buf;
}

static bool is_missing_code(const struct survey_var *v, const char *s)
{
	for (size_t k = 0; k < v->nmissing; k++)
		if (!strcmp(v->missing[k], s))
			return true;
	return false;
}

/* The category a text stands for: its code, else its label, else the one
 * code or label equal to it once accents and case are folded. */
static size_t find_category(struct reader *rd, const struct survey_var *v, const char *s)
{
	size_t k = survey_category_or_label(v, s);
	if (k != (size_t)-1)
		return k;
	struct strbuf want = STRBUF_INIT;
	size_t found = (size_t)-1;
	text_fold(s, &want);
	for (k = 0; k < v->ncat && want.len; k++) {
		bool match = false;
		for (int pass = 0; pass < 2 && !match; pass++) {
			strbuf_reset(&rd->key);
			text_fold(pass ? v->cat[k].label : v->cat[k].code, &rd->key);
			match = !strcmp(rd->key.buf, want.buf);
		}
		if (match) {
			if (found != (size_t)-1) {
				found = (size_t)-1; /* ambiguous: no guess */
				break;
			}
			found = k;
		}
	}
	strbuf_release(&want);
	return found;
}

static void expected_categories(const struct survey_var *v, struct strbuf *sb)
{
	for (size_t k = 0; k < v->ncat && k < 12; k++)
		strbuf_addf(sb, "%s%s", k ? ", " : "", v->cat[k].code);
	if (v->ncat > 12)
		strbuf_addf(sb, " and %zu more", v->ncat - 12);
	if (v->nmissing)
		strbuf_addstr(sb, "; or a missing code");
}

static void set_missing(struct survey_var *v, size_t i, enum survey_status st)
{
	v->value[i] = NAN;
	v->status[i] = (unsigned char)st;
}

static void read_number(struct reader *rd, const struct csvrow *row, size_t col,
			struct survey_var *v, size_t i, const char *s)
{
	double x;
	if (v->type == SURVEY_DATE) {
		long d;
		if (!value_parse_date(s, &d)) {
			problem(
			    rd, row, col, SURVEY_PB_DATE,
			    "\"%s\" is not a date (expected YYYY-MM-DD or DD/MM/YYYY for \"%s\")",
			    quoted(rd, s), v->name);
			set_missing(v, i, SURVEY_MISSING_CODE);
			return;
		}
		x = (double)d;
	} else if (!value_parse_number(s, &x, NULL)) {
		problem(rd, row, col, SURVEY_PB_NUMBER,
			"\"%s\" is not a number (expected %s for \"%s\"%s)", quoted(rd, s),
			v->type == SURVEY_INTEGER ? "a whole number" : "a number such as 12,5",
			v->name, v->nmissing ? ", or a missing code" : "");
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	} else if (v->type == SURVEY_INTEGER && x != floor(x)) {
		problem(rd, row, col, SURVEY_PB_NUMBER,
			"\"%s\" is not a whole number (expected an integer for \"%s\")",
			quoted(rd, s), v->name);
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	if (x < v->min || x > v->max) {
		char bound[32];
		double b = x < v->min ? v->min : v->max;
		if (v->type == SURVEY_DATE)
			value_format_date((long)b, bound);
		else
			snprintf(bound, sizeof(bound), "%.15g", b);
		problem(rd, row, col, SURVEY_PB_BOUNDS, "%s is %s the %s %s of \"%s\"",
			quoted(rd, s), x < v->min ? "below" : "above",
			x < v->min ? "minimum" : "maximum", bound, v->name);
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	if ((v->role == SURVEY_ROLE_WEIGHT || v->role == SURVEY_ROLE_FPC ||
	     v->role == SURVEY_ROLE_FPC2) &&
	    !(x > 0)) {
		problem(rd, row, col, SURVEY_PB_DESIGN,
			"%s is not a %s (expected a number above 0 for \"%s\")", quoted(rd, s),
			v->role == SURVEY_ROLE_WEIGHT ? "weight" : "population size or fraction",
			v->name);
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	v->value[i] = x;
	v->status[i] = SURVEY_PRESENT;
}

static void read_choice(struct reader *rd, const struct csvrow *row, size_t col,
			struct survey_var *v, size_t i, const char *s)
{
	size_t k = find_category(rd, v, s);
	if (k == (size_t)-1) {
		struct strbuf e = STRBUF_INIT;
		expected_categories(v, &e);
		problem(rd, row, col, SURVEY_PB_MODALITY,
			"unknown modality \"%s\" for \"%s\" (expected one of: %s)", quoted(rd, s),
			v->name, e.buf);
		strbuf_release(&e);
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	v->value[i] = (double)k;
	v->status[i] = SURVEY_PRESENT;
}

/* "A;B" in one cell: every part a category. */
static void read_multiple_cell(struct reader *rd, const struct csvrow *row, size_t col,
			       struct survey_var *v, size_t i, const char *s)
{
	unsigned char *chosen = v->chosen + i * v->ncat;
	char *copy = xstrdup(s);
	bool bad = false;
	for (char *p = copy; *p && !bad;) {
		size_t n = strcspn(p, (char[]){v->separator, 0});
		char save = p[n];
		p[n] = '\0';
		const char *tok = clean(rd, p);
		if (*tok) {
			char *t = xstrdup(tok);
			size_t k = find_category(rd, v, t);
			if (k == (size_t)-1) {
				struct strbuf e = STRBUF_INIT;
				expected_categories(v, &e);
				problem(rd, row, col, SURVEY_PB_MODALITY,
					"unknown modality \"%s\" in \"%s\" for \"%s\" (expected "
					"codes separated by '%c' among: %s)",
					t, quoted(rd, s), v->name, v->separator, e.buf);
				strbuf_release(&e);
				bad = true;
			} else {
				chosen[k] = 1;
			}
			free(t);
		}
		p[n] = save;
		p += n + (save != '\0');
	}
	free(copy);
	if (bad) {
		memset(chosen, 0, v->ncat);
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	v->value[i] = 0;
	v->status[i] = SURVEY_PRESENT;
}

/* One 0/1 column per category: all blank is no answer. */
/* A cell that is not UTF-8 (a stray byte in a UTF-8 file) is a problem of
 * that value only: it is left out and reading goes on. */
static bool utf8_cell(struct reader *rd, const struct csvrow *row, size_t col, const char *raw)
{
	size_t bad;
	if (text_utf8_valid(raw, strlen(raw), &bad))
		return true;
	problem(rd, row, col, SURVEY_PB_UNREADABLE,
		"byte 0x%02X at byte %zu of the field is not UTF-8 (expected UTF-8 text; the "
		"value is left out)",
		(unsigned)(unsigned char)raw[bad], bad + 1);
	return false;
}

static void read_multiple_columns(struct reader *rd, const struct csvrow *row,
				  const struct source *src, struct survey_var *v, size_t i)
{
	unsigned char *chosen = v->chosen + i * v->ncat;
	bool any = false, bad = false, missing = false;
	for (size_t k = 0; k < v->ncat; k++) {
		size_t col = src->cols[k];
		if (!utf8_cell(rd, row, col, row->field[col])) {
			bad = true;
			continue;
		}
		const char *s = clean(rd, row->field[col]);
		if (*s)
			any = true;
		if (is_missing_code(v, s)) {
			missing = true;
			continue;
		}
		int m = surveyfile_mark(s);
		if (m < 0) {
			problem(rd, row, col, SURVEY_PB_MARK,
				"\"%s\" is not a choice mark (expected 1/0, Y/N, Oui/Non or empty "
				"for option \"%s\" of \"%s\")",
				quoted(rd, s), v->cat[k].code, v->name);
			bad = true;
			continue;
		}
		chosen[k] = (unsigned char)m;
	}
	if (bad || missing || !any) {
		memset(chosen, 0, v->ncat);
		set_missing(v, i, bad || missing ? SURVEY_MISSING_CODE : SURVEY_EMPTY);
		return;
	}
	v->value[i] = 0;
	v->status[i] = SURVEY_PRESENT;
}

static void read_cell(struct reader *rd, const struct csvrow *row, size_t vi, size_t i)
{
	struct survey_var *v = &rd->s->var[vi];
	const struct source *src = &rd->src[vi];
	if (v->in_columns) {
		read_multiple_columns(rd, row, src, v, i);
		return;
	}
	const char *raw = row->field[src->col];
	if (!utf8_cell(rd, row, src->col, raw)) {
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	const char *s = clean(rd, raw);
	bool design =
	    v->role != SURVEY_ROLE_NONE && v->role != SURVEY_ROLE_ID && v->role != SURVEY_ROLE_META;
	if (design && (!*s || is_missing_code(v, s)))
		/* analyze cannot weigh or place this respondent: check says so */
		problem(rd, row, src->col, SURVEY_PB_DESIGN,
			"%s%s%s for this respondent (expected one for everybody: \"%s\" is the "
			"design's %s)",
			*s ? "the missing code \"" : "no value", *s ? quoted(rd, s) : "",
			*s ? "\"" : "", v->name, survey_role_name(v->role));
	if (!*s) {
		set_missing(v, i, SURVEY_EMPTY);
		return;
	}
	if (is_missing_code(v, s)) {
		set_missing(v, i, SURVEY_MISSING_CODE);
		return;
	}
	char *copy = xstrdup(s); /* clean()'s buffer is reused below */
	switch (v->type) {
	case SURVEY_SINGLE:
	case SURVEY_ORDINAL:
		read_choice(rd, row, src->col, v, i, copy);
		break;
	case SURVEY_MULTIPLE:
		read_multiple_cell(rd, row, src->col, v, i, copy);
		break;
	case SURVEY_INTEGER:
	case SURVEY_DECIMAL:
	case SURVEY_DATE:
		read_number(rd, row, src->col, v, i, copy);
		break;
	case SURVEY_TEXT:
		v->text[i] = copy;
		copy = NULL;
		v->value[i] = 0;
		v->status[i] = SURVEY_PRESENT;
		break;
	}
	free(copy);
}

static void grow(struct survey *s)
{
	if (s->n < s->alloc_n)
		return;
	size_t old = s->alloc_n;
	s->alloc_n = old ? 2 * old : 256;
	s->line = xreallocarray(s->line, s->alloc_n, sizeof(*s->line));
	for (size_t i = 0; i < s->nvar; i++) {
		struct survey_var *v = &s->var[i];
		v->value = xreallocarray(v->value, s->alloc_n, sizeof(*v->value));
		v->status = xreallocarray(v->status, s->alloc_n, 1);
		if (v->type == SURVEY_MULTIPLE) {
			v->chosen = xreallocarray(v->chosen, s->alloc_n, v->ncat);
			memset(v->chosen + old * v->ncat, 0, (s->alloc_n - old) * v->ncat);
		}
		if (v->type == SURVEY_TEXT) {
			v->text = xreallocarray(v->text, s->alloc_n, sizeof(*v->text));
			memset(v->text + old, 0, (s->alloc_n - old) * sizeof(*v->text));
		}
	}
}

static enum status map_columns(struct reader *rd, const char *path, struct error *err)
{
	struct survey *s = rd->s;
	const struct csvrow *h = csvread_header(rd->r);
	bool *used = xcalloc(h->n ? h->n : 1, 1);
	enum status st = TERRAIN_OK;
	rd->src = xcalloc(s->nvar ? s->nvar : 1, sizeof(*rd->src));
	for (size_t i = 0; i < s->nvar && !st; i++) {
		struct survey_var *v = &s->var[i];
		struct source *src = &rd->src[i];
		src->col = CSVREAD_NONE;
		if (v->in_columns) {
			src->cols = xcalloc(v->ncat, sizeof(*src->cols));
			for (size_t k = 0; k < v->ncat && !st; k++) {
				src->cols[k] = csvread_column(rd->r, v->cat[k].column);
				if (src->cols[k] == CSVREAD_NONE)
					st = error_set(err, TERRAIN_EDATA,
						       "%s:%lu: column \"%s\" (option \"%s\" of "
						       "\"%s\") is not in the header of %s",
						       s->codebook, v->line, v->cat[k].column,
						       v->cat[k].code, v->name, path);
				else
					used[src->cols[k]] = true;
			}
			continue;
		}
		src->col = csvread_column(rd->r, v->column);
		if (src->col == CSVREAD_NONE)
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: column \"%s\" of \"%s\" is not in the header of %s",
				       s->codebook, v->line, v->column, v->name, path);
		else
			used[src->col] = true;
	}
	size_t alloc = 0;
	for (size_t j = 0; !st && j < h->n; j++) {
		if (used[j])
			continue;
		ALLOC_GROW(rd->chk->unused, rd->chk->nunused + 1, alloc);
		rd->chk->unused[rd->chk->nunused++] = xstrdup(h->field[j]);
	}
	free(used);
	return st;
}

enum status surveyfile_read(struct survey *s, const char *path, const struct surveyfile_opts *o,
			    struct survey_check *chk, struct error *err)
{
	struct csvread_opts co;
	struct reader rd = {.s = s, .chk = chk};
	const struct csvrow *row;
	struct error e;
	enum status st;
	strbuf_init(&rd.key);
	strbuf_init(&rd.tmp);
	csvread_opts_init(&co);
	co.delim = o ? o->delim : 0;
	co.encoding = o ? o->encoding : CSVREAD_AUTO;
	co.chunk = o ? o->chunk : 0;
	co.comments = true;
	co.strict_width = false; /* a ragged row is a problem to report, not the end */
	co.check_utf8 = false;	 /* a stray byte spoils its value only (utf8_cell) */
	free(s->file);
	s->file = xstrdup(path);
	if ((st = csvread_open(&rd.r, path, &co, err)) || (st = map_columns(&rd, path, err)))
		goto out;
	snprintf(s->encoding, sizeof(s->encoding), "%s", csvread_encoding_name(rd.r));
	s->delim = csvread_delim(rd.r);
	size_t width = csvread_header(rd.r)->n;
	for (;;) {
		if (csvread_next(rd.r, &row, &e)) {
			/* broken quotes, an undecodable byte: nothing after is sure */
			add_problem(chk, SURVEY_PB_UNREADABLE, e.msg);
			chk->stopped = true;
			break;
		}
		if (!row)
			break;
		chk->rows++;
		if (row->n != width) {
			csvread_field_error(rd.r, row, CSVREAD_NONE, TERRAIN_EDATA, &e,
					    "expected %zu fields as in the header, found %zu (row "
					    "left out)",
					    width, row->n);
			add_problem(chk, SURVEY_PB_RAGGED, e.msg);
			continue;
		}
		grow(s);
		size_t i = s->n++;
		s->line[i] = row->line;
		for (size_t v = 0; v < s->nvar; v++)
			read_cell(&rd, row, v, i);
	}
	snprintf(s->line_ends, sizeof(s->line_ends), "%s", csvread_line_ends(rd.r));
out:
	if (rd.src)
		for (size_t i = 0; i < s->nvar; i++)
			free(rd.src[i].cols);
	free(rd.src);
	csvread_free(rd.r);
	strbuf_release(&rd.key);
	strbuf_release(&rd.tmp);
	return st;
}
