#include "geodata.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
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

/* The optional "tncc" column (col, looked up once per file): INSEE's type
 * de nom en clair, 0 to 8; -1 when the column is absent or the cell
 * empty. */
static enum status read_tncc(const struct csvread *r, const struct csvrow *row, size_t col,
			     signed char *out, struct error *err)
{
	*out = -1;
	if (col >= row->n || !row->len[col])
		return TERRAIN_OK;
	const char *s = row->field[col];
	if (s[0] < '0' || s[0] > '8' || s[1])
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a TNCC (expected a digit from 0 to 8)",
					   s);
	*out = (signed char)(s[0] - '0');
	return TERRAIN_OK;
}

/* The optional "postcodes" column: La Poste's postcodes of the commune,
 * 5 digits each, joined by '|'; each goes to g->postcode (sorted after the
 * load). */
static enum status read_postcodes(struct geo *g, const struct csvread *r, const struct csvrow *row,
				  size_t col, struct error *err)
{
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

/* Sort the postcodes by code, then commune: a counting sort on the five
 * digits, stable, and they come in commune order (qsort's order, without
 * its 600 000 comparisons). */
static size_t postcode_key(const char *code) /* 5 digits, checked */
{
	size_t k = 0;
	for (int i = 0; i < 5; i++)
		k = k * 10 + (size_t)(code[i] - '0');
	return k;
}

static void sort_postcodes(struct geo *g)
{
	enum {
		NKEY = 100000
	};
	uint32_t *start = xcalloc(NKEY + 1, sizeof(*start));
	struct geo_postcode *out = xreallocarray(NULL, g->npostcode, sizeof(*out));
	for (size_t i = 0; i < g->npostcode; i++)
		start[postcode_key(g->postcode[i].code) + 1]++;
	for (size_t k = 1; k <= NKEY; k++)
		start[k] += start[k - 1];
	for (size_t i = 0; i < g->npostcode; i++)
		out[start[postcode_key(g->postcode[i].code)]++] = g->postcode[i];
	free(g->postcode);
	g->postcode = out;
	g->alloc_postcode = g->npostcode;
	free(start);
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
	size_t tncc = csvread_column(r, "tncc");
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
		    (st = read_tncc(r, row, tncc, &x->tncc, err)))
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
	size_t tncc = csvread_column(r, "tncc");
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
		    (st = read_tncc(r, row, tncc, &x->tncc, err)))
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
				 const size_t *c, size_t tncc, struct geo_commune *x,
				 struct link *link, struct error *err)
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
	if ((st = read_tncc(r, row, tncc, &x->tncc, err)))
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
	size_t tncc = csvread_column(r, "tncc"), postcodes = csvread_column(r, "postcodes");
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(g->com, g->ncom + 1, g->alloc_com);
		ALLOC_GROW(links, nlinks + 1, alloc_links);
		struct link *l = &links[nlinks];
		l->code[0] = '\0';
		l->from = g->ncom;
		if ((st = read_postcodes(g, r, row, postcodes, err)) ||
		    (st = parse_commune(g, r, row, c, tncc, &g->com[g->ncom], l, err)))
			break;
		g->ncom++;
		if (l->code[0])
			nlinks++;
	}
	if (!st && (st = geo_link(g, err)))
		error_prefix(err, "%s/geo", dir);
	if (!st && g->npostcode)
		sort_postcodes(g);
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

/* ---- zonages ------------------------------------------------------------------ */

/* The zones file's names of the levels, in enum geo_zonage order. */
static const char *const level_names[GEO_NZONAGE] = {"ZE2020", "BV2022", "UU2020", "AAV2020"};
static const char *const zone_cols[] = {"level", "code", "name", "communes_2024"};
static const char *const row_cols[] = {"code",	  "ze2020",	 "bv2022",	 "uu2020",
				       "aav2020", "cateaav2020", "cog2024_codes"};

/* Read the zones of r (its columns at c) into z; r is freed. */
static enum status read_zones(struct geo_zonages *z, struct csvread *r, const size_t *c,
			      struct error *err)
{
	const struct csvrow *row;
	enum status st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		int l = 0;
		while (l < GEO_NZONAGE && strcmp(row->field[c[0]], level_names[l]))
			l++;
		if (l == GEO_NZONAGE) {
			st = csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						 "\"%s\" is not a level (expected ZE2020, BV2022, "
						 "UU2020 or AAV2020)",
						 row->field[c[0]]);
			break;
		}
		ALLOC_GROW(z->zone[l], z->nzone[l] + 1, z->alloc_zone[l]);
		struct geo_zonage_zone *x = &z->zone[l][z->nzone[l]];
		memset(x, 0, sizeof(*x));
		if ((st = copy_code(r, row, c[1], x->code, sizeof(x->code), 3, false, err)) ||
		    (st = check_order(r, row, c[1],
				      z->nzone[l] ? z->zone[l][z->nzone[l] - 1].code : NULL, err)))
			break;
		if (!text_parse_long(row->field[c[3]], 1, 100000, &x->communes)) {
			st = csvread_field_error(r, row, c[3], TERRAIN_EDATA, err,
						 "\"%s\" is not a number of communes (expected a "
						 "whole number from 1)",
						 row->field[c[3]]);
			break;
		}
		if (!row->len[c[2]]) {
			st = csvread_field_error(r, row, c[2], TERRAIN_EDATA, err,
						 "empty name (expected the zone's name)");
			break;
		}
		x->name = xstrdup(row->field[c[2]]);
		z->nzone[l]++;
	}
	csvread_free(r);
	return st;
}

static enum status parse_category(const struct csvread *r, const struct csvrow *row, size_t col,
				  enum geo_aav_category *out, struct error *err)
{
	static const enum geo_aav_category cats[] = {GEO_AAV_CENTRE, GEO_AAV_POLE, GEO_AAV_POLE2,
						     GEO_AAV_CROWN, GEO_AAV_OUTSIDE};
	long v;
	*out = GEO_AAV_UNKNOWN;
	if (!row->len[col])
		return TERRAIN_OK;
	if (text_parse_long(row->field[col], 11, 30, &v))
		for (size_t k = 0; k < NCOLS(cats); k++)
			if ((long)cats[k] == v) {
				*out = cats[k];
				return TERRAIN_OK;
			}
	return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
				   "\"%s\" is not a category of INSEE's CATEAAV2020 (expected 11, "
				   "12, 13, 20, 30 or empty)",
				   row->field[col]);
}

/* Read the communes' rows of r (its columns at c) into z, their zones
 * already there; r is freed. */
static enum status read_rows(struct geo_zonages *z, struct csvread *r, const size_t *c,
			     struct error *err)
{
	const struct csvrow *row;
	enum status st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(z->row, z->nrow + 1, z->alloc_row);
		struct geo_zonage_row *x = &z->row[z->nrow];
		memset(x, 0, sizeof(*x));
		if ((st = copy_code(r, row, c[0], x->code, sizeof(x->code), 5, false, err)) ||
		    (st =
			 check_order(r, row, c[0], z->nrow ? z->row[z->nrow - 1].code : NULL, err)))
			break;
		for (int l = 0; !st && l < GEO_NZONAGE; l++) {
			const char *code = row->field[c[1 + l]];
			x->zone[l] = *code ? geo_zone_find(z, (enum geo_zonage)l, code) : GEO_NONE;
			if (*code && x->zone[l] == GEO_NONE)
				st =
				    csvread_field_error(r, row, c[1 + l], TERRAIN_EDATA, err,
							"unknown %s \"%s\" (not in "
							"zonages_zones.csv)",
							geo_zonage_label((enum geo_zonage)l), code);
		}
		if (st || (st = parse_category(r, row, c[5], &x->category, err)))
			break;
		bool outside = x->zone[GEO_AAV] != GEO_NONE &&
			       geo_zone_outside(GEO_AAV, z->zone[GEO_AAV][x->zone[GEO_AAV]].code);
		if (x->category != GEO_AAV_UNKNOWN && outside != (x->category == GEO_AAV_OUTSIDE)) {
			st = csvread_field_error(r, row, c[5], TERRAIN_EDATA, err,
						 "category %d contradicts aire d'attraction \"%s\" "
						 "(30 goes with \"000\" and only with it)",
						 (int)x->category, row->field[c[4]]);
			break;
		}
		x->cog2024 = xstrdup(row->field[c[6]]);
		z->nrow++;
	}
	csvread_free(r);
	return st;
}

enum status geodata_load_zonages(struct geo_zonages *z, const char *dir, struct error *err)
{
	size_t cz[NCOLS(zone_cols)], cr[NCOLS(row_cols)];
	struct csvread *r;
	enum status st;
	if ((st = open_table(&r, dir, "zonages_zones.csv", zone_cols, NCOLS(zone_cols), cz, err)) ||
	    (st = read_zones(z, r, cz, err)) ||
	    (st = open_table(&r, dir, "zonages.csv", row_cols, NCOLS(row_cols), cr, err)) ||
	    (st = read_rows(z, r, cr, err)))
		geo_zonages_release(z);
	return st;
}

/* The lines of a file a command needs: the header line, then every line
 * that starts with one of the keys (field 0), or whose field-th field is
 * one of them (field > 0, ';'-separated, unquoted), the others emptied to
 * their line end.
 * libcsv skips blank lines and csvread still counts them, so the rows kept
 * are parsed at a fraction of the whole file's cost and their messages
 * name their true line. */
struct kept {
	char *data; /* owned: the file, then the lines kept */
	size_t len;
};

/* Does the field-th field of the line [p, end) equal key? */
static bool field_is(const char *p, const char *end, int field, const char *key)
{
	for (int f = 0; f < field; f++) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (!semi)
			return false;
		p = semi + 1;
	}
	size_t n = strlen(key);
	return n <= (size_t)(end - p) && !memcmp(p, key, n) &&
	       (p + n == end || p[n] == ';' || p[n] == '\n' || p[n] == '\r');
}

static enum status keep_lines(struct kept *k, const char *path, const char *const *keys,
			      size_t nkeys, int field, struct error *err)
{
	char *data;
	size_t len;
	enum status st = fileio_read_all(path, &data, &len, err);
	if (st)
		return st;
	size_t out = 0;
	for (size_t at = 0, line = 0; at < len; line++) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;
		bool keep = line == 0;
		for (size_t i = 0; !keep && i < nkeys; i++) {
			size_t n = strlen(keys[i]);
			if (field)
				keep = n && field_is(data + at, data + end, field, keys[i]);
			else
				keep = n && n <= end - at && !memcmp(data + at, keys[i], n);
		}
		if (keep) {
			memmove(data + out, data + at, end - at);
			out += end - at;
		} else {
			data[out++] = '\n';
		}
		at = end;
	}
	data[out] = '\0';
	k->data = data;
	k->len = out;
	return TERRAIN_OK;
}

/* Open the kept lines of DIR/geo/NAME, its columns looked up. */
static enum status open_kept(struct csvread **r, struct kept *k, const char *dir, const char *name,
			     const char *const *keys, size_t nkeys, int field,
			     const char *const *cols, size_t ncols, size_t *idx, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	struct csvread_opts o;
	csvread_opts_init(&o);
	strbuf_addf(&path, "%s/geo/%s", dir, name);
	enum status st = keep_lines(k, path.buf, keys, nkeys, field, err);
	if (!st)
		st = csvread_open_mem(r, path.buf, k->data, k->len, &o, err);
	if (!st && (st = csvread_require(*r, cols, ncols, idx, err))) {
		csvread_free(*r);
		*r = NULL;
	}
	strbuf_release(&path);
	return st;
}

enum status geodata_load_zonages_of(struct geo_zonages *z, const char *dir, const char *code,
				    struct error *err)
{
	size_t cz[NCOLS(zone_cols)], cr[NCOLS(row_cols)];
	struct kept rows = {0}, zones = {0};
	struct strbuf key = STRBUF_INIT;
	struct strbuf zkeys[GEO_NZONAGE];
	const char *zk[GEO_NZONAGE];
	struct csvread *r;
	enum status st;
	for (int l = 0; l < GEO_NZONAGE; l++) {
		strbuf_init(&zkeys[l]);
		zk[l] = "";
	}
	strbuf_addf(&key, "%s;", code);
	const char *k = key.buf;
	if ((st = open_kept(&r, &rows, dir, "zonages.csv", &k, 1, 0, row_cols, NCOLS(row_cols), cr,
			    err)))
		goto out;
	/* the zones the row names ("ZE2020;8409;"), read from its text: its
	 * codes are checked when the row is read against them */
	const char *line = memchr(rows.data, '\n', rows.len);
	while (line && line < rows.data + rows.len && *line == '\n')
		line++;
	for (int l = 0; line && line < rows.data + rows.len && l < GEO_NZONAGE; l++) {
		size_t skip = strcspn(line, ";\n");
		if (line[skip] != ';')
			break;
		line += skip + 1;
		size_t n = strcspn(line, ";\n");
		strbuf_addf(&zkeys[l], "%s;%.*s;", level_names[l], (int)n, line);
		zk[l] = zkeys[l].buf;
	}
	struct csvread *rz;
	if ((st = open_kept(&rz, &zones, dir, "zonages_zones.csv", zk, GEO_NZONAGE, 0, zone_cols,
			    NCOLS(zone_cols), cz, err))) {
		csvread_free(r);
		goto out;
	}
	if ((st = read_zones(z, rz, cz, err)))
		csvread_free(r);
	else
		st = read_rows(z, r, cr, err);
out:
	if (st)
		geo_zonages_release(z);
	for (int l = 0; l < GEO_NZONAGE; l++)
		strbuf_release(&zkeys[l]);
	strbuf_release(&key);
	free(rows.data);
	free(zones.data);
	return st;
}

/* "ZE2020;8409;" for each distinct zone the kept rows name (after the
 * header), and for the zone asked, appended to keys (strings owned). */
static void zone_keys(const struct kept *rows, enum geo_zonage level, const char *code,
		      struct strbuf *all, char ***keys, size_t *n, size_t *alloc)
{
	strbuf_reset(all);
	strbuf_addf(all, "%s;%s;", level_names[level], code);
	ALLOC_GROW(*keys, *n + 1, *alloc);
	(*keys)[(*n)++] = xstrdup(all->buf);
	const char *p = memchr(rows->data, '\n', rows->len);
	const char *end = rows->data + rows->len;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *f = memchr(p, ';', (size_t)(le - p)); /* after the commune's code */
		for (int l = 0; f && l < GEO_NZONAGE; l++) {
			const char *v = f + 1, *semi = memchr(v, ';', (size_t)(le - v));
			size_t len = semi ? (size_t)(semi - v) : (size_t)(le - v);
			strbuf_reset(all);
			strbuf_addf(all, "%s;%.*s;", level_names[l], (int)len, v);
			bool seen = !len;
			for (size_t i = 0; !seen && i < *n; i++)
				seen = !strcmp((*keys)[i], all->buf);
			if (!seen) {
				ALLOC_GROW(*keys, *n + 1, *alloc);
				(*keys)[(*n)++] = xstrdup(all->buf);
			}
			f = semi;
		}
		p = nl ? nl + 1 : NULL;
	}
}

enum status geodata_load_zonages_zone(struct geo_zonages *z, const char *dir, enum geo_zonage level,
				      const char *code, struct error *err)
{
	size_t cz[NCOLS(zone_cols)], cr[NCOLS(row_cols)];
	struct kept rows = {0}, zones = {0};
	struct strbuf sb = STRBUF_INIT;
	char **keys = NULL;
	size_t nkeys = 0, alloc = 0;
	struct csvread *r = NULL, *rz = NULL;
	enum status st;
	if ((st = open_kept(&r, &rows, dir, "zonages.csv", &code, 1, 1 + (int)level, row_cols,
			    NCOLS(row_cols), cr, err)))
		goto out;
	zone_keys(&rows, level, code, &sb, &keys, &nkeys, &alloc);
	if ((st = open_kept(&rz, &zones, dir, "zonages_zones.csv", (const char *const *)keys, nkeys,
			    0, zone_cols, NCOLS(zone_cols), cz, err)))
		goto out;
	st = read_zones(z, rz, cz, err); /* frees rz */
	rz = NULL;
	if (!st)
		st = read_rows(z, r, cr, err); /* frees r */
	else
		csvread_free(r);
	r = NULL;
out:
	csvread_free(r);
	if (st)
		geo_zonages_release(z);
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	strbuf_release(&sb);
	free(rows.data);
	free(zones.data);
	return st;
}

enum status geodata_zonages_loader(const void *ctx, const struct geo_zonages_key *key,
				   struct geo_zonages *z, struct error *err)
{
	const char *dir = ctx;
	if (!key)
		return geodata_load_zonages(z, dir, err);
	if (key->commune)
		return geodata_load_zonages_of(z, dir, key->commune, err);
	return geodata_load_zonages_zone(z, dir, key->level, key->zone, err);
}
