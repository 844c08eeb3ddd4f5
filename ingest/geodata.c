#include "geodata.h"

#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* Open DIR/geo/NAME and look up the columns. */
static enum status open_table(struct csvread **r, const char *dir, const char *name,
			      const char *const *cols, size_t ncols, size_t *idx, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	struct csvread_opts o;
	csvread_opts_init(&o);
	strbuf_addf(&path, "%s/geo/%s", dir, name);
	enum status st = csvread_open(r, path.buf, &o, err);
	if (!st && (st = csvread_require(*r, cols, ncols, idx, err))) {
		csvread_free(*r);
		*r = NULL;
	}
	strbuf_release(&path);
	return st;
}

/* Copy a fixed-size code, checking its length. */
static enum status copy_code(const struct csvread *r, const struct csvrow *row, size_t col,
			     char *dst, size_t cap, size_t minlen, bool empty_ok, struct error *err)
{
	size_t n = row->len[col];
	if ((n == 0 && empty_ok) || (n >= minlen && n < cap)) {
		memcpy(dst, row->field[col], n + 1);
		return TERRAIN_OK;
	}
	return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
				   "\"%s\" is not a code of %zu to %zu characters", row->field[col],
				   minlen, cap - 1);
}

/* Tables are sorted by code without duplicates (lookups are binary
 * searches): check it row by row, where the line is known. */
static enum status check_order(const struct csvread *r, const struct csvrow *row, size_t col,
			       const char *prev, struct error *err)
{
	const char *code = row->field[col];
	if (!prev || strcmp(prev, code) < 0)
		return TERRAIN_OK;
	return csvread_field_error(
	    r, row, col, TERRAIN_EDATA, err,
	    "code \"%s\" is %s \"%s\" (expected codes sorted and unique)", code,
	    strcmp(prev, code) ? "out of order after" : "a duplicate of", prev);
}

static enum status parse_zone(const struct csvread *r, const struct csvrow *row, size_t col,
			      enum geo_zone *z, struct error *err)
{
	const char *s = row->field[col];
	if (!strcmp(s, "metro"))
		*z = GEO_ZONE_METRO;
	else if (!strcmp(s, "drom"))
		*z = GEO_ZONE_DROM;
	else if (!strcmp(s, "com"))
		*z = GEO_ZONE_COM;
	else
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a zone (expected metro, drom or com)", s);
	return TERRAIN_OK;
}

/* The optional "tncc" column: INSEE's type de nom en clair, 0 to 8; -1
 * when the column is absent or the cell empty. */
static enum status read_tncc(const struct csvread *r, const struct csvrow *row, signed char *out,
			     struct error *err)
{
	size_t col = csvread_column(r, "tncc");
	*out = -1;
	if (col >= row->n || !row->len[col])
		return TERRAIN_OK;
	const char *s = row->field[col];
	if (s[0] < '0' || s[0] > '8' || s[1])
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a TNCC (expected a digit from 0 to 8)", s);
	*out = (signed char)(s[0] - '0');
	return TERRAIN_OK;
}

/* The optional "postcodes" column: La Poste's postcodes of the commune,
 * 5 digits each, joined by '|'; each goes to g->postcode (sorted after the
 * load). */
static enum status read_postcodes(struct geo *g, const struct csvread *r, const struct csvrow *row,
				  struct error *err)
{
	size_t col = csvread_column(r, "postcodes");
	if (col >= row->n || !row->len[col])
		return TERRAIN_OK;
	for (const char *s = row->field[col];; s += 6) {
		if (!text_digits(s, 5) || (s[5] && s[5] != '|'))
			return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
						   "\"%s\" is not a list of postcodes (expected "
						   "5 digits each, joined by '|')",
						   row->field[col]);
		ALLOC_GROW(g->postcode, g->npostcode + 1, g->alloc_postcode);
		struct geo_postcode *pc = &g->postcode[g->npostcode++];
		memcpy(pc->code, s, 5);
		pc->code[5] = '\0';
		pc->com = g->ncom;
		if (!s[5])
			return TERRAIN_OK;
	}
}

static int cmp_postcode(const void *a, const void *b)
{
	const struct geo_postcode *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	return c ? c : (x->com > y->com) - (x->com < y->com);
}

static enum status load_regions(struct geo *g, const char *dir, struct error *err)
{
	static const char *const cols[] = {"code", "name", "chef_lieu", "zone"};
	size_t c[NCOLS(cols)];
	struct csvread *r;
	const struct csvrow *row;
	enum status st = open_table(&r, dir, "regions.csv", cols, NCOLS(cols), c, err);
	if (st)
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(g->reg, g->nreg + 1, g->alloc_reg);
		struct geo_reg *x = &g->reg[g->nreg];
		memset(x, 0, sizeof(*x));
		if ((st = copy_code(r, row, c[0], x->code, sizeof(x->code), 2, false, err)) ||
		    (st = check_order(r, row, c[0], g->nreg ? g->reg[g->nreg - 1].code : NULL,
				      err)) ||
		    (st = copy_code(r, row, c[2], x->chef_lieu, sizeof(x->chef_lieu), 5, false,
				    err)) ||
		    (st = parse_zone(r, row, c[3], &x->zone, err)) ||
		    (st = read_tncc(r, row, &x->tncc, err)))
			break;
		x->name = xstrdup(row->field[c[1]]);
		g->nreg++;
	}
	csvread_free(r);
	return st;
}

static enum status load_deps(struct geo *g, const char *dir, struct error *err)
{
	static const char *const cols[] = {"code", "name", "reg", "chef_lieu", "zone"};
	size_t c[NCOLS(cols)];
	struct csvread *r;
	const struct csvrow *row;
	enum status st = open_table(&r, dir, "departements.csv", cols, NCOLS(cols), c, err);
	if (st)
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(g->dep, g->ndep + 1, g->alloc_dep);
		struct geo_dep *x = &g->dep[g->ndep];
		memset(x, 0, sizeof(*x));
		if ((st = copy_code(r, row, c[0], x->code, sizeof(x->code), 2, false, err)) ||
		    (st = check_order(r, row, c[0], g->ndep ? g->dep[g->ndep - 1].code : NULL,
				      err)) ||
		    (st = copy_code(r, row, c[2], x->reg, sizeof(x->reg), 2, false, err)) ||
		    (st = copy_code(r, row, c[3], x->chef_lieu, sizeof(x->chef_lieu), 5, false,
				    err)) ||
		    (st = parse_zone(r, row, c[4], &x->zone, err)) ||
		    (st = read_tncc(r, row, &x->tncc, err)))
			break;
		if (geo_reg_find(g, x->reg) == GEO_NONE) {
			st = csvread_field_error(r, row, c[2], TERRAIN_EDATA, err,
						 "unknown région \"%s\" (not in regions.csv)",
						 x->reg);
			break;
		}
		x->name = xstrdup(row->field[c[1]]);
		g->ndep++;
	}
	csvread_free(r);
	return st;
}

static enum status load_epci(struct geo *g, const char *dir, struct error *err)
{
	static const char *const cols[] = {"code", "name", "type"};
	size_t c[NCOLS(cols)];
	struct csvread *r;
	const struct csvrow *row;
	enum status st = open_table(&r, dir, "epci.csv", cols, NCOLS(cols), c, err);
	if (st)
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(g->epci, g->nepci + 1, g->alloc_epci);
		struct geo_epci *x = &g->epci[g->nepci];
		memset(x, 0, sizeof(*x));
		if ((st = copy_code(r, row, c[0], x->code, sizeof(x->code), 9, false, err)) ||
		    (st = check_order(r, row, c[0], g->nepci ? g->epci[g->nepci - 1].code : NULL,
				      err)) ||
		    (st = copy_code(r, row, c[2], x->type, sizeof(x->type), 2, false, err)))
			break;
		x->name = xstrdup(row->field[c[1]]);
		g->nepci++;
	}
	csvread_free(r);
	return st;
}

static enum status parse_year(const struct csvread *r, const struct csvrow *row, size_t col,
			      int *out, struct error *err)
{
	long y;
	if (!row->len[col]) {
		*out = 0;
		return TERRAIN_OK;
	}
	if (!text_parse_long(row->field[col], GEO_COG_FIRST, GEO_COG_LAST, &y))
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a COG year (expected %d to %d or empty)",
					   row->field[col], GEO_COG_FIRST, GEO_COG_LAST);
	*out = (int)y;
	return TERRAIN_OK;
}

/* A link to another commune, resolved once every row is read. */
struct link {
	size_t from;
	char code[6];
	unsigned long line;
	size_t col;
};

static const char *const commune_cols[] = {
    "code",	   "kind",	  "name",	 "dep",		"reg",	       "epci",
    "city",	   "successor",	  "delegated",	 "first_cog",	"last_cog",    "pop_cog2021",
    "pop_cog2022", "pop_cog2023", "pop_cog2024", "pop_cog2025", "pop_cog2026", "former_names",
};
enum {
	C_CODE,
	C_KIND,
	C_NAME,
	C_DEP,
	C_REG,
	C_EPCI,
	C_CITY,
	C_SUCC,
	C_DELEG,
	C_FIRST,
	C_LAST,
	C_POP,
	C_FORMER_NAMES = C_POP + GEO_NCOG,
	C_NCOLS
};

static enum status parse_commune(struct geo *g, const struct csvread *r, const struct csvrow *row,
				 const size_t *c, struct geo_commune *x, struct link *link,
				 struct error *err)
{
	enum status st;
	const char *kind = row->field[c[C_KIND]];
	memset(x, 0, sizeof(*x));
	x->epci = x->city = x->successor = x->dep_index = GEO_NONE;
	if ((st = copy_code(r, row, c[C_CODE], x->code, sizeof(x->code), 5, false, err)) ||
	    (st = check_order(r, row, c[C_CODE], g->ncom ? g->com[g->ncom - 1].code : NULL, err)) ||
	    (st = copy_code(r, row, c[C_DEP], x->dep, sizeof(x->dep), 2, true, err)) ||
	    (st = copy_code(r, row, c[C_REG], x->reg, sizeof(x->reg), 2, true, err)) ||
	    (st = parse_year(r, row, c[C_FIRST], &x->first_cog, err)) ||
	    (st = parse_year(r, row, c[C_LAST], &x->last_cog, err)))
		return st;
	if (!strcmp(kind, "com"))
		x->kind = GEO_COM;
	else if (!strcmp(kind, "arm"))
		x->kind = GEO_ARM;
	else if (!strcmp(kind, "former"))
		x->kind = GEO_FORMER;
	else
		return csvread_field_error(r, row, c[C_KIND], TERRAIN_EDATA, err,
					   "\"%s\" is not a kind (expected com, arm or former)",
					   kind);
	for (int y = 0; y < GEO_NCOG; y++) {
		size_t col = c[C_POP + y];
		long v = -1;
		if (row->len[col] && !text_parse_long(row->field[col], 0, 100000000L, &v))
			return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
						   "\"%s\" is not a population (expected a whole "
						   "number or empty)",
						   row->field[col]);
		x->pop[y] = v;
	}
	if (x->dep[0] && geo_dep_find(g, x->dep) == GEO_NONE)
		return csvread_field_error(r, row, c[C_DEP], TERRAIN_EDATA, err,
					   "unknown département \"%s\" (not in departements.csv)",
					   x->dep);
	if (x->kind != GEO_FORMER && !x->dep[0])
		return csvread_field_error(r, row, c[C_DEP], TERRAIN_EDATA, err,
					   "missing département (expected one for a %s)", kind);
	const char *epci = row->field[c[C_EPCI]];
	if (*epci) {
		x->epci = geo_epci_find(g, epci);
		if (x->epci == GEO_NONE)
			return csvread_field_error(r, row, c[C_EPCI], TERRAIN_EDATA, err,
						   "unknown EPCI \"%s\" (not in epci.csv)", epci);
	}
	const char *deleg = row->field[c[C_DELEG]];
	if (!strcmp(deleg, "deleguee"))
		x->delegated = 'd';
	else if (!strcmp(deleg, "associee"))
		x->delegated = 'a';
	else if (*deleg)
		return csvread_field_error(r, row, c[C_DELEG], TERRAIN_EDATA, err,
					   "\"%s\" is not a status (expected deleguee, associee "
					   "or empty)",
					   deleg);
	/* an arrondissement needs its city; a former code may lack a
	 * successor (one that vanished with none in the files) */
	size_t lcol = x->kind == GEO_ARM ? c[C_CITY] : c[C_SUCC];
	if (x->kind != GEO_COM) {
		if ((st = copy_code(r, row, lcol, link->code, sizeof(link->code), 5,
				    x->kind == GEO_FORMER, err)))
			return st;
		link->line = row->line;
		link->col = lcol;
	}
	if (!geo_former_names_valid(row->field[c[C_FORMER_NAMES]]))
		return csvread_field_error(r, row, c[C_FORMER_NAMES], TERRAIN_EDATA, err,
					   "\"%s\" is not a list of former names (expected "
					   "\"YEAR[-YEAR] NAME\" runs joined by '|')",
					   row->field[c[C_FORMER_NAMES]]);
	if ((st = read_tncc(r, row, &x->tncc, err)))
		return st;
	x->name = xstrdup(row->field[c[C_NAME]]);
	x->former_names = xstrdup(row->field[c[C_FORMER_NAMES]]);
	return TERRAIN_OK;
}

static enum status load_communes(struct geo *g, const char *dir, struct error *err)
{
	size_t c[C_NCOLS];
	struct csvread *r;
	const struct csvrow *row;
	struct link *links = NULL;
	size_t nlinks = 0, alloc_links = 0;
	enum status st = open_table(&r, dir, "communes.csv", commune_cols, C_NCOLS, c, err);
	if (st)
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(g->com, g->ncom + 1, g->alloc_com);
		ALLOC_GROW(links, nlinks + 1, alloc_links);
		struct link *l = &links[nlinks];
		l->code[0] = '\0';
		l->from = g->ncom;
		if ((st = read_postcodes(g, r, row, err)) ||
		    (st = parse_commune(g, r, row, c, &g->com[g->ncom], l, err)))
			break;
		g->ncom++;
		if (l->code[0])
			nlinks++;
	}
	if (!st && (st = geo_link(g, err)))
		error_prefix(err, "%s/geo", dir);
	if (!st && g->npostcode) /* qsort is never given NULL (a test's table has none) */
		qsort(g->postcode, g->npostcode, sizeof(*g->postcode), cmp_postcode);
	for (size_t i = 0; !st && i < nlinks; i++) {
		struct geo_commune *x = &g->com[links[i].from];
		size_t to = geo_commune_find(g, links[i].code);
		if (to == GEO_NONE || g->com[to].kind != GEO_COM) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu:%zu: \"%s\" is not a current commune (expected "
				       "the %s of %s)",
				       csvread_name(r), links[i].line, links[i].col + 1,
				       links[i].code, x->kind == GEO_ARM ? "city" : "successor",
				       x->code);
			break;
		}
		if (x->kind == GEO_ARM)
			x->city = to;
		else
			x->successor = to;
	}
	free(links);
	csvread_free(r);
	return st;
}

enum status geodata_load(struct geo *g, const char *dir, struct error *err)
{
	enum status st;
	if ((st = load_regions(g, dir, err)) || (st = load_deps(g, dir, err)) ||
	    (st = load_epci(g, dir, err)) || (st = load_communes(g, dir, err)))
		geo_release(g);
	return st;
}
