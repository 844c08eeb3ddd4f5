#include "aggregate.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/xalloc.h"

__extension__ typedef unsigned __int128 ufixed;

#define POW18	1000000000000000000ULL
#define KEY_SEP '\x1f'

static const uint64_t pow10_tab[AGGREGATE_DECIMALS + 1] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
};

/* ---- exact decimals ------------------------------------------------------ */

bool aggregate_parse_fixed(const char *s, size_t len, aggregate_fixed *out)
{
	size_t i = 0, nint = 0, nfrac = 0;
	bool neg = false;
	uint64_t ip = 0, fp = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nint++) {
		uint64_t d = (uint64_t)(s[i] - '0');
		if (nint >= 19 && ip > (UINT64_MAX - d) / 10)
			return false;
		ip = ip * 10 + d;
	}
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		size_t seen = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, seen++) {
			if (nfrac < AGGREGATE_DECIMALS)
				fp = fp * 10 + (uint64_t)(s[i] - '0'), nfrac++;
			else if (s[i] != '0')
				return false; /* more decimals than the units hold: never round */
		}
		if (!seen)
			return false;
	} else if (!nint) {
		return false;
	}
	if (i != len)
		return false;
	fp *= pow10_tab[AGGREGATE_DECIMALS - nfrac];
	aggregate_fixed v = (aggregate_fixed)ip * (aggregate_fixed)POW18 + (aggregate_fixed)fp;
	*out = neg ? -v : v;
	return true;
}

void aggregate_format_fixed(aggregate_fixed v, struct strbuf *out)
{
	ufixed u = v < 0 ? -(ufixed)v : (ufixed)v;
	ufixed ip = u / POW18;
	uint64_t fp = (uint64_t)(u % POW18);
	char digits[48];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + (int)(ip % 10));
		ip /= 10;
	} while (ip);
	if (v < 0)
		strbuf_addch(out, '-');
	while (n)
		strbuf_addch(out, digits[--n]);
	if (fp) {
		char frac[AGGREGATE_DECIMALS + 1];
		for (int k = AGGREGATE_DECIMALS - 1; k >= 0; k--) {
			frac[k] = (char)('0' + (int)(fp % 10));
			fp /= 10;
		}
		size_t len = AGGREGATE_DECIMALS;
		while (frac[len - 1] == '0')
			len--;
		strbuf_addch(out, '.');
		strbuf_add(out, frac, len);
	}
}

double aggregate_fixed_double(aggregate_fixed v)
{
	/* the two halves separately, so that no precision is lost before the
	 * division */
	ufixed u = v < 0 ? -(ufixed)v : (ufixed)v;
	double d = (double)(uint64_t)(u / POW18) + (double)(uint64_t)(u % POW18) / 1e18;
	if (u / POW18 > UINT64_MAX)
		d = (double)u / 1e18;
	return v < 0 ? -d : d;
}

/* ---- sets ------------------------------------------------------------------ */

static const char *const set_names[] = {
    [AGGREGATE_SET_NONE] = "none",
    [AGGREGATE_SET_ACTIVITY] = "activity",
    [AGGREGATE_SET_PYRAMID] = "pyramid",
    [AGGREGATE_SET_DIPLOMA] = "diploma",
};

bool aggregate_set_parse(const char *name, enum aggregate_set *out)
{
	for (size_t i = 0; i < sizeof(set_names) / sizeof(set_names[0]); i++) {
		if (!strcmp(name, set_names[i])) {
			*out = (enum aggregate_set)i;
			return true;
		}
	}
	return false;
}

const char *aggregate_set_name(enum aggregate_set s)
{
	return set_names[s];
}

static const struct aggregate_column cols_none[] = {
    {"rows", AGGREGATE_COL_ROWS, 0, 0, "records"},
    {"weight", AGGREGATE_COL_SUM, 0, 0, "persons"},
};
static const struct aggregate_column cols_activity[] = {
    {"rows", AGGREGATE_COL_ROWS, 0, 0, "records"},
    {"pop_15_64", AGGREGATE_COL_SUM, 0, 0, "persons"},
    {"active_15_64", AGGREGATE_COL_SUM, 1, 0, "persons"},
    {"employed_15_64", AGGREGATE_COL_SUM, 2, 0, "persons"},
    {"unemployed_15_64", AGGREGATE_COL_SUM, 3, 0, "persons"},
    {"activity_rate", AGGREGATE_COL_RATE, 1, 0, "percent"},
    {"employment_rate", AGGREGATE_COL_RATE, 2, 0, "percent"},
    {"unemployment_rate", AGGREGATE_COL_RATE, 3, 1, "percent"},
};
static const struct aggregate_column cols_share[] = {
    {"rows", AGGREGATE_COL_ROWS, 0, 0, "records"},
    {"weight", AGGREGATE_COL_SUM, 0, 0, "persons"},
    {"share", AGGREGATE_COL_SHARE, 0, 0, "percent"},
};

size_t aggregate_columns(const struct aggregate_spec *s, const struct aggregate_column **out)
{
	switch (s->set) {
	case AGGREGATE_SET_ACTIVITY:
		*out = cols_activity;
		return sizeof(cols_activity) / sizeof(cols_activity[0]);
	case AGGREGATE_SET_PYRAMID:
	case AGGREGATE_SET_DIPLOMA:
		*out = cols_share;
		return sizeof(cols_share) / sizeof(cols_share[0]);
	case AGGREGATE_SET_NONE:
		break;
	}
	*out = cols_none;
	return sizeof(cols_none) / sizeof(cols_none[0]);
}

/* ---- the filter ------------------------------------------------------------ */

enum expr_kind {
	EXPR_AND,
	EXPR_OR,
	EXPR_NOT,
	EXPR_CMP,
	EXPR_IN,
};

enum cmp_op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
};

struct literal {
	bool num;
	bool small; /* a whole number within int64: compared without 128-bit arithmetic */
	int64_t i;  /* its value when small */
	aggregate_fixed v;
	char *text; /* owned */
	size_t len;
};

struct aggregate_expr {
	enum expr_kind kind;
	struct aggregate_expr *a, *b;
	size_t slot;
	enum cmp_op op;
	bool negate; /* NOT IN */
	bool any_num;
	bool all_small; /* every numeric literal is small */
	struct literal *lit;
	size_t nlit;
};

static void expr_free(struct aggregate_expr *e)
{
	if (!e)
		return;
	expr_free(e->a);
	expr_free(e->b);
	for (size_t i = 0; i < e->nlit; i++)
		free(e->lit[i].text);
	free(e->lit);
	free(e);
}

static bool span_eq(const struct text_span *v, const struct literal *l)
{
	return v->len == l->len && !memcmp(v->s, l->text, l->len);
}

static int span_cmp(const struct text_span *v, const struct literal *l)
{
	size_t n = v->len < l->len ? v->len : l->len;
	int c = n ? memcmp(v->s, l->text, n) : 0;
	if (c)
		return c;
	return v->len < l->len ? -1 : v->len > l->len;
}

static bool op_holds(enum cmp_op op, int c)
{
	switch (op) {
	case OP_EQ:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	case OP_GE:
		break;
	}
	return c >= 0;
}

/* Digits only (at most 18, with an optional '-'): the common case of a
 * census code ("015", "11"), without 128-bit arithmetic. */
static inline bool small_int(const char *s, size_t len, int64_t *out)
{
	size_t i = len && s[0] == '-';
	if (len - i == 0 || len - i > 18)
		return false;
	int64_t n = 0;
	for (size_t k = i; k < len; k++) {
		unsigned d = (unsigned)(unsigned char)s[k] - '0';
		if (d > 9)
			return false;
		n = n * 10 + (int64_t)d;
	}
	*out = i ? -n : n;
	return true;
}

static bool eval(const struct aggregate_expr *e, const struct text_span *f)
{
	switch (e->kind) {
	case EXPR_AND:
		return eval(e->a, f) && eval(e->b, f);
	case EXPR_OR:
		return eval(e->a, f) || eval(e->b, f);
	case EXPR_NOT:
		return !eval(e->a, f);
	case EXPR_CMP:
	case EXPR_IN:
		break;
	}
	const struct text_span *v = &f[e->slot];
	int64_t xi;
	if (e->all_small && small_int(v->s, v->len, &xi)) {
		/* a whole number against whole numbers (and texts, which a number
		 * never equals as text unless it is written the same) */
		if (e->kind == EXPR_IN) {
			for (size_t i = 0; i < e->nlit; i++) {
				const struct literal *l = &e->lit[i];
				if (l->num ? l->i == xi : span_eq(v, l))
					return !e->negate;
			}
			return e->negate;
		}
		const struct literal *l = &e->lit[0];
		if (l->num)
			return op_holds(e->op, xi < l->i ? -1 : xi > l->i);
	}
	aggregate_fixed x = 0;
	bool isnum = e->any_num && aggregate_parse_fixed(v->s, v->len, &x);
	if (e->kind == EXPR_IN) {
		for (size_t i = 0; i < e->nlit; i++) {
			const struct literal *l = &e->lit[i];
			if (l->num ? isnum && x == l->v : span_eq(v, l))
				return !e->negate;
		}
		return e->negate;
	}
	const struct literal *l = &e->lit[0];
	if (!l->num)
		return op_holds(e->op, span_cmp(v, l));
	if (!isnum)
		return e->op == OP_NE;
	return op_holds(e->op, x < l->v ? -1 : x > l->v);
}

/* The slot of a file column, added when new. */
static size_t spec_slot(struct aggregate_spec *s, const char *name, size_t len, const char *why)
{
	for (size_t i = 0; i < s->ncolumn; i++)
		if (strlen(s->column[i]) == len && !memcmp(s->column[i], name, len))
			return i;
	if (s->ncolumn + 1 > s->alloc_column) {
		s->alloc_column = s->alloc_column ? 2 * s->alloc_column : 8;
		s->column = xreallocarray(s->column, s->alloc_column, sizeof(*s->column));
		s->why = xreallocarray(s->why, s->alloc_column, sizeof(*s->why));
	}
	s->column[s->ncolumn] = xstrndup(name, len);
	s->why[s->ncolumn] = xstrdup(why);
	return s->ncolumn++;
}

struct parser {
	const char *src;
	size_t pos;
	struct aggregate_spec *spec;
	const char *why; /* what the columns are for */
	const char *opt; /* the option, for messages */
	struct error *err;
	enum status st;
	size_t depth; /* parentheses and NOTs open */
	size_t nconds;
};

enum token {
	TOK_END,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_COMMA,
	TOK_OP,
	TOK_QUOTED,
	TOK_WORD,
	TOK_BAD,
};

struct tok {
	enum token type;
	size_t start, len; /* in src; for a quoted value, inside the quotes */
	enum cmp_op op;
};

static const char word_stop[] = " \t\r\n()',=!<>\"";

static struct tok lex(struct parser *p)
{
	const char *s = p->src;
	while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' || s[p->pos] == '\r')
		p->pos++;
	struct tok t = {TOK_END, p->pos, 0, OP_EQ};
	char c = s[p->pos];
	if (!c)
		return t;
	if (c == '(' || c == ')' || c == ',') {
		t.type = c == '(' ? TOK_LPAREN : c == ')' ? TOK_RPAREN : TOK_COMMA;
		t.len = 1;
		p->pos++;
		return t;
	}
	if (strchr("=!<>", c)) {
		static const struct {
			const char *text;
			enum cmp_op op;
		} ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<>", OP_NE}, {"<=", OP_LE},
			   {">=", OP_GE}, {"=", OP_EQ},	 {"<", OP_LT},	{">", OP_GT}};
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			size_t n = strlen(ops[i].text);
			if (!strncmp(s + p->pos, ops[i].text, n)) {
				t.type = TOK_OP;
				t.op = ops[i].op;
				t.len = n;
				p->pos += n;
				return t;
			}
		}
		t.type = TOK_BAD;
		t.len = 1;
		return t;
	}
	if (c == '\'' || c == '"') {
		const char *close = strchr(s + p->pos + 1, c);
		if (!close) {
			t.type = TOK_BAD;
			t.len = strlen(s + p->pos);
			return t;
		}
		t.type = TOK_QUOTED;
		t.start = p->pos + 1;
		t.len = (size_t)(close - (s + p->pos + 1));
		p->pos = (size_t)(close - s) + 1;
		return t;
	}
	t.type = TOK_WORD;
	t.len = strcspn(s + p->pos, word_stop);
	p->pos += t.len;
	return t;
}

static bool is_keyword(const struct parser *p, const struct tok *t, const char *kw)
{
	return t->type == TOK_WORD && t->len == strlen(kw) &&
	       !strncasecmp(p->src + t->start, kw, t->len);
}

static struct tok peek(struct parser *p)
{
	size_t save = p->pos;
	struct tok t = lex(p);
	p->pos = save;
	return t;
}

static struct aggregate_expr *syntax(struct parser *p, const struct tok *t, const char *expected)
{
	if (!p->st) {
		if (t->type == TOK_END)
			p->st = error_set(p->err, TERRAIN_EUSAGE,
					  "bad %s \"%s\": expected %s at the end", p->opt, p->src,
					  expected);
		else
			p->st = error_set(p->err, TERRAIN_EUSAGE,
					  "bad %s \"%s\": expected %s at character %zu, found "
					  "\"%.*s\"",
					  p->opt, p->src, expected, t->start + 1, (int)t->len,
					  p->src + t->start);
	}
	return NULL;
}

static bool literal_of(struct parser *p, const struct tok *t, struct literal *l)
{
	const char *s = p->src + t->start;
	l->text = xstrndup(s, t->len);
	l->len = t->len;
	l->num = t->type == TOK_WORD && aggregate_parse_fixed(s, t->len, &l->v);
	l->small = l->num && l->v % (aggregate_fixed)POW18 == 0 &&
		   l->v / (aggregate_fixed)POW18 <= (aggregate_fixed)INT64_MAX / 10 &&
		   l->v / (aggregate_fixed)POW18 >= -(aggregate_fixed)INT64_MAX / 10;
	if (l->small)
		l->i = (int64_t)(l->v / (aggregate_fixed)POW18);
	return true;
}

static bool is_column_name(const struct parser *p, const struct tok *t)
{
	if (t->type != TOK_WORD || !t->len)
		return false;
	const char *s = p->src + t->start;
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return false;
	for (size_t i = 0; i < t->len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return !is_keyword(p, t, "AND") && !is_keyword(p, t, "OR") && !is_keyword(p, t, "NOT") &&
	       !is_keyword(p, t, "IN");
}

static struct aggregate_expr *parse_or(struct parser *p);

/* A filter past a limit: the parser, the evaluation and the release are
 * recursive, so nesting and length are capped rather than the stack
 * overflowing (100 000 nested parentheses crashed). */
static struct aggregate_expr *too_big(struct parser *p, const struct tok *t, const char *what,
				      int limit)
{
	if (!p->st)
		p->st =
		    error_set(p->err, TERRAIN_EUSAGE, "bad %s: more than %d %s (at character %zu)",
			      p->opt, limit, what, t->start + 1);
	return NULL;
}

static struct aggregate_expr *parse_cond(struct parser *p)
{
	struct tok col = lex(p);
	if (++p->nconds > AGGREGATE_MAX_CONDITIONS)
		return too_big(p, &col, "comparisons", AGGREGATE_MAX_CONDITIONS);
	if (!is_column_name(p, &col))
		return syntax(p, &col, "a column name or '('");
	struct aggregate_expr *e = xcalloc(1, sizeof(*e));
	e->slot = spec_slot(p->spec, p->src + col.start, col.len, p->why);
	struct tok t = lex(p);
	if (is_keyword(p, &t, "NOT")) {
		e->negate = true;
		t = lex(p);
		if (!is_keyword(p, &t, "IN")) {
			expr_free(e);
			return syntax(p, &t, "IN after NOT");
		}
	}
	if (is_keyword(p, &t, "IN")) {
		e->kind = EXPR_IN;
		t = lex(p);
		if (t.type != TOK_LPAREN) {
			expr_free(e);
			return syntax(p, &t, "'(' after IN");
		}
		for (;;) {
			t = lex(p);
			if (t.type != TOK_WORD && t.type != TOK_QUOTED) {
				expr_free(e);
				return syntax(p, &t, "a value");
			}
			e->lit = xreallocarray(e->lit, e->nlit + 1, sizeof(*e->lit));
			literal_of(p, &t, &e->lit[e->nlit++]);
			t = lex(p);
			if (t.type == TOK_RPAREN)
				break;
			if (t.type != TOK_COMMA) {
				expr_free(e);
				return syntax(p, &t, "',' or ')'");
			}
		}
	} else if (t.type == TOK_OP) {
		e->kind = EXPR_CMP;
		e->op = t.op;
		t = lex(p);
		if (t.type != TOK_WORD && t.type != TOK_QUOTED) {
			expr_free(e);
			return syntax(p, &t, "a value");
		}
		e->lit = xcalloc(1, sizeof(*e->lit));
		e->nlit = 1;
		literal_of(p, &t, &e->lit[0]);
	} else {
		expr_free(e);
		return syntax(p, &t, "a comparison (=, !=, <, <=, >, >=) or IN");
	}
	e->all_small = true;
	for (size_t i = 0; i < e->nlit; i++) {
		e->any_num |= e->lit[i].num;
		e->all_small &= !e->lit[i].num || e->lit[i].small;
	}
	return e;
}

static struct aggregate_expr *parse_unary(struct parser *p)
{
	struct tok t = peek(p);
	bool nest = is_keyword(p, &t, "NOT") || t.type == TOK_LPAREN;
	if (nest && p->depth >= AGGREGATE_MAX_DEPTH)
		return too_big(p, &t, "levels of parentheses and NOT", AGGREGATE_MAX_DEPTH);
	p->depth += nest;
	struct aggregate_expr *e = NULL;
	if (is_keyword(p, &t, "NOT")) {
		lex(p);
		struct aggregate_expr *a = parse_unary(p);
		if (a) {
			e = xcalloc(1, sizeof(*e));
			e->kind = EXPR_NOT;
			e->a = a;
		}
	} else if (t.type == TOK_LPAREN) {
		lex(p);
		e = parse_or(p);
		if (e) {
			t = lex(p);
			if (t.type != TOK_RPAREN) {
				expr_free(e);
				e = syntax(p, &t, "')'");
			}
		}
	} else {
		e = parse_cond(p);
	}
	p->depth -= nest;
	return e;
}

static struct aggregate_expr *parse_binary(struct parser *p, const char *kw)
{
	struct aggregate_expr *e = !strcmp(kw, "OR") ? parse_binary(p, "AND") : parse_unary(p);
	while (e) {
		struct tok t = peek(p);
		if (!is_keyword(p, &t, kw))
			break;
		lex(p);
		struct aggregate_expr *b =
		    !strcmp(kw, "OR") ? parse_binary(p, "AND") : parse_unary(p);
		if (!b) {
			expr_free(e);
			return NULL;
		}
		struct aggregate_expr *n = xcalloc(1, sizeof(*n));
		n->kind = !strcmp(kw, "OR") ? EXPR_OR : EXPR_AND;
		n->a = e;
		n->b = b;
		e = n;
	}
	return e;
}

static struct aggregate_expr *parse_or(struct parser *p)
{
	return parse_binary(p, "OR");
}

static enum status parse_filter(struct aggregate_spec *s, const char *src, const char *opt,
				const char *why, struct aggregate_expr **out, struct error *err)
{
	struct parser p = {src, 0, s, why, opt, err, TERRAIN_OK, 0, 0};
	struct aggregate_expr *e = parse_or(&p);
	if (e) {
		struct tok t = lex(&p);
		if (t.type != TOK_END) {
			expr_free(e);
			e = syntax(&p, &t, "AND, OR or the end");
		}
	}
	*out = e;
	return e ? TERRAIN_OK : p.st ? p.st : error_set(err, TERRAIN_EUSAGE, "bad %s", opt);
}

/* Add a filter to the spec's (AND). */
static enum status add_filter(struct aggregate_spec *s, const char *src, const char *opt,
			      const char *why, struct error *err)
{
	struct aggregate_expr *e;
	enum status st = parse_filter(s, src, opt, why, &e, err);
	if (st)
		return st;
	if (s->where) {
		struct aggregate_expr *n = xcalloc(1, sizeof(*n));
		n->kind = EXPR_AND;
		n->a = s->where;
		n->b = e;
		e = n;
	}
	s->where = e;
	return TERRAIN_OK;
}

/* ---- the key ----------------------------------------------------------------- */

static struct aggregate_part *add_part(struct aggregate_spec *s, enum aggregate_part_kind kind,
				       const char *col, size_t len, const char *label,
				       const char *why, struct error *err)
{
	if (s->npart >= AGGREGATE_MAX_PARTS) {
		error_set(err, TERRAIN_EUSAGE, "at most %d group columns", AGGREGATE_MAX_PARTS);
		return NULL;
	}
	struct aggregate_part *pt = &s->part[s->npart++];
	memset(pt, 0, sizeof(*pt));
	pt->kind = kind;
	pt->slot = spec_slot(s, col, len, why);
	pt->label = label ? xstrdup(label) : xstrndup(col, len);
	return pt;
}

static void set_bands(struct aggregate_part *pt, const long *cut, size_t ncut)
{
	pt->kind = AGGREGATE_PART_BANDS;
	pt->ncut = ncut;
	pt->cut = xcalloc(ncut ? ncut : 1, sizeof(*pt->cut));
	memcpy(pt->cut, cut, ncut * sizeof(*cut));
	pt->band = xcalloc(ncut + 1, sizeof(*pt->band));
	for (size_t i = 0; i <= ncut; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (i == ncut)
			strbuf_addf(&sb, "%ld+", cut[ncut - 1]);
		else
			strbuf_addf(&sb, "%ld-%ld", i ? cut[i - 1] : 0L, cut[i] - 1);
		pt->band[i] = strbuf_detach(&sb);
	}
}

/* One --by item: NAME or NAME[C1,C2,...]. */
static enum status parse_by_item(struct aggregate_spec *s, const char *item, size_t len,
				 struct error *err)
{
	while (len && isspace((unsigned char)*item))
		item++, len--;
	while (len && isspace((unsigned char)item[len - 1]))
		len--;
	const char *br = memchr(item, '[', len);
	size_t nlen = br ? (size_t)(br - item) : len;
	bool ok = nlen > 0;
	for (size_t i = 0; i < nlen; i++)
		ok &= !isspace((unsigned char)item[i]) && item[i] != ']';
	if (!ok)
		return error_set(
		    err, TERRAIN_EUSAGE,
		    "bad --by item \"%.*s\": expected a column name, or NAME[C1,C2,...] "
		    "for bands",
		    (int)len, item);
	struct aggregate_part *pt =
	    add_part(s, AGGREGATE_PART_VALUE, item, nlen, NULL, "--by", err);
	if (!pt)
		return TERRAIN_EUSAGE;
	if (!br)
		return TERRAIN_OK;
	long cut[64];
	size_t ncut = 0;
	const char *p = br + 1, *end = item + len;
	if (end[-1] != ']')
		goto bad;
	while (p < end - 1) {
		char num[32];
		size_t n = strcspn(p, ",]");
		if (!n || n >= sizeof(num) || ncut >= 64)
			goto bad;
		memcpy(num, p, n);
		num[n] = '\0';
		long v;
		if (!text_parse_long(num, 1, 1000000000L, &v) || (ncut && v <= cut[ncut - 1]))
			goto bad;
		cut[ncut++] = v;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!ncut)
		goto bad;
	set_bands(pt, cut, ncut);
	return TERRAIN_OK;
bad:
	return error_set(err, TERRAIN_EUSAGE,
			 "bad bands in --by \"%.*s\": expected whole numbers above 0 in increasing "
			 "order, as AGEREV[15,25,55,65]",
			 (int)len, item);
}

static bool header_has(const char *const *header, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(header[i], name))
			return true;
	return false;
}

static enum status add_measure(struct aggregate_spec *s, const char *name, const char *cond,
			       const char *why, struct error *err)
{
	struct aggregate_measure *m = &s->measure[s->nmeasure++];
	m->name = name;
	m->cond = NULL;
	return cond ? parse_filter(s, cond, why, why, &m->cond, err) : TERRAIN_OK;
}

enum status aggregate_spec_init(struct aggregate_spec *s, const char *by, const char *where,
				const char *set, const char *weight, const char *const *header,
				size_t nheader, struct error *err)
{
	enum status st = TERRAIN_OK;
	memset(s, 0, sizeof(*s));
	if (set && !aggregate_set_parse(set, &s->set))
		return error_set(err, TERRAIN_EUSAGE,
				 "unknown --set \"%s\" (expected activity, pyramid or diploma)",
				 set);
	s->weight_slot = spec_slot(s, weight ? weight : "IPONDI",
				   strlen(weight ? weight : "IPONDI"), "the weight");
	for (const char *p = by; p && *p && !st;) {
		size_t n = 0;
		int depth = 0;
		while (p[n] && (depth || p[n] != ',')) {
			depth += p[n] == '[' ? 1 : p[n] == ']' ? -1 : 0;
			n++;
		}
		st = parse_by_item(s, p, n, err);
		p += n + (p[n] == ',');
	}
	s->nuser = s->npart;
	if (!st && where && *where)
		st = add_filter(s, where, "--where", "--where", err);
	if (st)
		goto out;
	switch (s->set) {
	case AGGREGATE_SET_NONE:
		st = add_measure(s, "weight", NULL, NULL, err);
		break;
	case AGGREGATE_SET_ACTIVITY:
		if ((st = add_filter(s, "AGEREV >= 15 AND AGEREV <= 64", "--set activity",
				     "--set activity", err)))
			break;
		if ((st = add_measure(s, "pop_15_64", NULL, NULL, err)) ||
		    (st = add_measure(s, "active_15_64", "TACT IN (11, 12)", "--set activity",
				      err)) ||
		    (st = add_measure(s, "employed_15_64", "TACT = 11", "--set activity", err)) ||
		    (st = add_measure(s, "unemployed_15_64", "TACT = 12", "--set activity", err)))
			break;
		break;
	case AGGREGATE_SET_PYRAMID: {
		long cut[19];
		for (size_t i = 0; i < 19; i++)
			cut[i] = 5 * (long)(i + 1);
		struct aggregate_part *pt =
		    add_part(s, AGGREGATE_PART_VALUE, "AGEREV", 6, "age", "--set pyramid", err);
		if (!pt ||
		    !add_part(s, AGGREGATE_PART_VALUE, "SEXE", 4, "sex", "--set pyramid", err)) {
			st = TERRAIN_EUSAGE;
			break;
		}
		set_bands(pt, cut, 19);
		st = add_measure(s, "weight", NULL, NULL, err);
		break;
	}
	case AGGREGATE_SET_DIPLOMA: {
		const char *col =
		    header_has(header, nheader, "DIPL_15") && !header_has(header, nheader, "DIPL")
			? "DIPL_15"
			: "DIPL";
		if ((st = add_filter(s, "AGEREV >= 15 AND ETUD = 2", "--set diploma",
				     "--set diploma", err)))
			break;
		if (!add_part(s, AGGREGATE_PART_DIPLOMA, col, strlen(col), "diploma",
			      "--set diploma", err)) {
			st = TERRAIN_EUSAGE;
			break;
		}
		st = add_measure(s, "weight", NULL, NULL, err);
		break;
	}
	}
out:
	if (st)
		aggregate_spec_release(s);
	return st;
}

void aggregate_spec_release(struct aggregate_spec *s)
{
	expr_free(s->where);
	for (size_t i = 0; i < s->npart; i++) {
		free(s->part[i].label);
		free(s->part[i].cut);
		for (size_t k = 0; s->part[i].band && k <= s->part[i].ncut; k++)
			free(s->part[i].band[k]);
		free(s->part[i].band);
	}
	for (size_t i = 0; i < s->nmeasure; i++)
		expr_free(s->measure[i].cond);
	for (size_t i = 0; i < s->ncolumn; i++) {
		free(s->column[i]);
		free(s->why[i]);
	}
	free(s->column);
	free(s->why);
	memset(s, 0, sizeof(*s));
}

/* ---- the table ------------------------------------------------------------- */

void aggregate_table_init(struct aggregate_table *t, const struct aggregate_spec *s)
{
	memset(t, 0, sizeof(*t));
	t->spec = s;
	strbuf_init(&t->keys);
	strbuf_init(&t->key);
}

void aggregate_table_reset(struct aggregate_table *t)
{
	t->n = 0;
	strbuf_reset(&t->keys);
	if (t->slots)
		memset(t->slots, 0, t->nslots * sizeof(*t->slots));
}

void aggregate_table_release(struct aggregate_table *t)
{
	strbuf_release(&t->keys);
	strbuf_release(&t->key);
	free(t->g);
	free(t->sum);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static uint64_t key_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static void rehash(struct aggregate_table *t, size_t nslots)
{
	free(t->slots);
	t->slots = xcalloc(nslots, sizeof(*t->slots));
	t->nslots = nslots;
	for (size_t g = 0; g < t->n; g++) {
		size_t i = t->g[g].hash & (nslots - 1);
		while (t->slots[i])
			i = (i + 1) & (nslots - 1);
		t->slots[i] = (uint32_t)(g + 1);
	}
}

/* The group of key (adding it when new); SIZE_MAX past the cap. */
static size_t group_of(struct aggregate_table *t, const char *key, size_t len, uint64_t h)
{
	if (!t->nslots)
		rehash(t, 64);
	size_t mask = t->nslots - 1, i = h & mask;
	for (uint32_t v; (v = t->slots[i]); i = (i + 1) & mask) {
		const struct aggregate_group *g = &t->g[v - 1];
		if (g->hash == h && g->klen == len && !memcmp(t->keys.buf + g->koff, key, len))
			return v - 1;
	}
	if (t->n >= AGGREGATE_MAX_GROUPS)
		return SIZE_MAX;
	size_t nm = t->spec->nmeasure;
	if (t->n + 1 > t->alloc) {
		size_t a = t->alloc ? 2 * t->alloc : 64;
		t->g = xreallocarray(t->g, a, sizeof(*t->g));
		t->sum = xreallocarray(t->sum, a * (nm ? nm : 1), sizeof(*t->sum));
		t->alloc = a;
	}
	size_t g = t->n++;
	t->g[g].koff = t->keys.len;
	t->g[g].klen = len;
	t->g[g].hash = h;
	t->g[g].rows = 0;
	for (size_t m = 0; m < nm; m++)
		t->sum[g * nm + m] = 0;
	strbuf_add(&t->keys, key, len);
	t->slots[i] = (uint32_t)(g + 1);
	if (2 * t->n > t->nslots)
		rehash(t, 2 * t->nslots);
	return g;
}

/* DIPL (RP 2017 on: 01-03, 11-19, ZZ) to the levels of DIPL_15 (A no
 * diploma or at most the brevet, B CAP-BEP, C baccalauréat, D higher);
 * DIPL_15's own codes and anything unknown pass as they are. */
static struct text_span diploma_level(const struct text_span *v)
{
	static const char levels[] = "ABCD";
	int lv = -1;
	if (v->len == 2 && v->s[0] >= '0' && v->s[0] <= '1' && v->s[1] >= '0' && v->s[1] <= '9') {
		int code = (v->s[0] - '0') * 10 + (v->s[1] - '0');
		if ((code >= 1 && code <= 3) || code == 11 || code == 12)
			lv = 0;
		else if (code == 13)
			lv = 1;
		else if (code == 14 || code == 15)
			lv = 2;
		else if (code >= 16 && code <= 19)
			lv = 3;
	}
	if (lv < 0)
		return *v;
	return (struct text_span){levels + lv, 1};
}

size_t aggregate_add(struct aggregate_table *t, const struct text_span *field, const char **why)
{
	const struct aggregate_spec *s = t->spec;
	if (s->where && !eval(s->where, field))
		return 0;
	aggregate_fixed w;
	const struct text_span *ws = &field[s->weight_slot];
	if (!aggregate_parse_fixed(ws->s, ws->len, &w)) {
		*why = "is not a number";
		return s->weight_slot + 1;
	}
	size_t need = s->npart + 1;
	for (size_t i = 0; i < s->npart; i++)
		need += field[s->part[i].slot].len + 24;
	strbuf_reset(&t->key);
	strbuf_grow(&t->key, need);
	char *k = t->key.buf;
	for (size_t i = 0; i < s->npart; i++) {
		const struct aggregate_part *pt = &s->part[i];
		const struct text_span *v = &field[pt->slot];
		if (i)
			*k++ = KEY_SEP;
		if (pt->kind == AGGREGATE_PART_VALUE) {
			memcpy(k, v->s, v->len);
			k += v->len;
		} else if (pt->kind == AGGREGATE_PART_DIPLOMA) {
			struct text_span d = diploma_level(v);
			memcpy(k, d.s, d.len);
			k += d.len;
		} else {
			int64_t n;
			if (!small_int(v->s, v->len, &n) || n < 0) {
				*why = "is not a whole number (for bands)";
				return pt->slot + 1;
			}
			size_t b = 0;
			while (b < pt->ncut && n >= pt->cut[b])
				b++;
			size_t bl = strlen(pt->band[b]);
			memcpy(k, pt->band[b], bl);
			k += bl;
		}
	}
	t->key.len = (size_t)(k - t->key.buf);
	size_t g = group_of(t, t->key.buf, t->key.len, key_hash(t->key.buf, t->key.len));
	if (g == SIZE_MAX) {
		*why = "makes more groups than "
		       "5000000";
		return s->part[0].slot + 1;
	}
	t->g[g].rows++;
	aggregate_fixed *sum = t->sum + g * s->nmeasure;
	for (size_t m = 0; m < s->nmeasure; m++)
		if (!s->measure[m].cond || eval(s->measure[m].cond, field))
			sum[m] += w;
	return 0;
}

void aggregate_merge(struct aggregate_table *dst, const struct aggregate_table *src)
{
	size_t nm = dst->spec->nmeasure;
	for (size_t k = 0; k < src->n; k++) {
		const struct aggregate_group *sg = &src->g[k];
		size_t g = group_of(dst, src->keys.buf + sg->koff, sg->klen, sg->hash);
		if (g == SIZE_MAX)
			continue; /* cannot happen: each source stayed under the cap */
		dst->g[g].rows += sg->rows;
		for (size_t m = 0; m < nm; m++)
			dst->sum[g * nm + m] += src->sum[k * nm + m];
	}
}

struct text_span aggregate_key_part(const struct aggregate_table *t, size_t g, size_t i)
{
	const char *k = t->keys.buf + t->g[g].koff, *end = k + t->g[g].klen;
	for (; i; i--) {
		const char *sep = memchr(k, KEY_SEP, (size_t)(end - k));
		k = sep ? sep + 1 : end;
	}
	const char *sep = memchr(k, KEY_SEP, (size_t)(end - k));
	return (struct text_span){k, (size_t)((sep ? sep : end) - k)};
}

/* Digit runs compare as numbers ("5-9" < "10-14"), the rest byte by byte. */
static int natural_cmp(struct text_span a, struct text_span b)
{
	size_t i = 0, j = 0;
	while (i < a.len && j < b.len) {
		if (isdigit((unsigned char)a.s[i]) && isdigit((unsigned char)b.s[j])) {
			size_t i0 = i, j0 = j;
			while (i < a.len && isdigit((unsigned char)a.s[i]))
				i++;
			while (j < b.len && isdigit((unsigned char)b.s[j]))
				j++;
			size_t a0 = i0, b0 = j0;
			while (a0 + 1 < i && a.s[a0] == '0')
				a0++;
			while (b0 + 1 < j && b.s[b0] == '0')
				b0++;
			if (i - a0 != j - b0)
				return i - a0 < j - b0 ? -1 : 1;
			int c = memcmp(a.s + a0, b.s + b0, i - a0);
			if (c)
				return c;
			if (i - i0 != j - j0)
				return i - i0 < j - j0 ? -1 : 1;
		} else {
			if (a.s[i] != b.s[j])
				return (unsigned char)a.s[i] < (unsigned char)b.s[j] ? -1 : 1;
			i++, j++;
		}
	}
	return i < a.len ? 1 : j < b.len ? -1 : 0;
}

struct order_item {
	const struct aggregate_table *t;
	size_t g;
};

static int order_cmp(const void *pa, const void *pb)
{
	const struct order_item *a = pa, *b = pb;
	for (size_t i = 0; i < a->t->spec->npart; i++) {
		int c = natural_cmp(aggregate_key_part(a->t, a->g, i),
				    aggregate_key_part(b->t, b->g, i));
		if (c)
			return c;
	}
	return 0;
}

size_t aggregate_order(const struct aggregate_table *t, size_t **order)
{
	struct order_item *it = xcalloc(t->n ? t->n : 1, sizeof(*it));
	for (size_t g = 0; g < t->n; g++)
		it[g] = (struct order_item){t, g};
	qsort(it, t->n, sizeof(*it), order_cmp);
	*order = xcalloc(t->n ? t->n : 1, sizeof(**order));
	for (size_t g = 0; g < t->n; g++)
		(*order)[g] = it[g].g;
	free(it);
	return t->n;
}

static bool same_user_key(const struct aggregate_table *t, size_t a, size_t b)
{
	for (size_t i = 0; i < t->spec->nuser; i++) {
		struct text_span x = aggregate_key_part(t, a, i), y = aggregate_key_part(t, b, i);
		if (x.len != y.len || memcmp(x.s, y.s, x.len))
			return false;
	}
	return true;
}

void aggregate_totals(const struct aggregate_table *t, const size_t *order, size_t n, size_t m,
		      aggregate_fixed **out)
{
	size_t nm = t->spec->nmeasure;
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		aggregate_fixed tot = 0;
		while (j < n && same_user_key(t, order[i], order[j]))
			tot += t->sum[order[j++] * nm + m];
		for (; i < j; i++)
			(*out)[i] = tot;
	}
}

double aggregate_value(const struct aggregate_table *t, size_t g, const struct aggregate_column *c,
		       aggregate_fixed total, bool *exact, aggregate_fixed *fixed)
{
	size_t nm = t->spec->nmeasure;
	const aggregate_fixed *sum = t->sum + g * nm;
	*exact = false;
	*fixed = 0;
	switch (c->kind) {
	case AGGREGATE_COL_ROWS:
		*exact = true;
		*fixed = (aggregate_fixed)t->g[g].rows * (aggregate_fixed)POW18;
		return (double)t->g[g].rows;
	case AGGREGATE_COL_SUM:
		*exact = true;
		*fixed = sum[c->num];
		return aggregate_fixed_double(sum[c->num]);
	case AGGREGATE_COL_RATE:
		if (!sum[c->den])
			return NAN;
		return 100.0 * aggregate_fixed_double(sum[c->num]) /
		       aggregate_fixed_double(sum[c->den]);
	case AGGREGATE_COL_SHARE:
		break;
	}
	if (!total)
		return NAN;
	return 100.0 * aggregate_fixed_double(sum[c->num]) / aggregate_fixed_double(total);
}
