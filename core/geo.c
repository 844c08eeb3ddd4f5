#include "geo.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "xalloc.h"

/* One part of the zonages read, or the whole table. */
struct geo_zonages_part {
	char commune[6];
	enum geo_zonage level;
	char zone[6];
	enum status status;
	struct error err;
	struct geo_zonages z;
};

struct geo_zonages_lazy {
	geo_zonages_load_fn load;
	const void *ctx;
	struct geo_zonages_part part[GEO_ZONAGES_PARTS], all;
	size_t npart;
	bool all_tried;
	pthread_mutex_t lock; /* geo_zonages_get from several threads (terrain serve) */
	/* the current communes' names to the index of the first that bears
	 * each, built at the first zone name to read (name_tncc) */
	struct strmap names;
	bool names_built;
};

void geo_init(struct geo *g)
{
	memset(g, 0, sizeof(*g));
}

void geo_release(struct geo *g)
{
	for (size_t i = 0; i < g->ncom; i++) {
		free(g->com[i].name);
		free(g->com[i].former_names);
	}
	for (size_t i = 0; i < g->nepci; i++)
		free(g->epci[i].name);
	for (size_t i = 0; i < g->ndep; i++)
		free(g->dep[i].name);
	for (size_t i = 0; i < g->nreg; i++)
		free(g->reg[i].name);
	free(g->com);
	free(g->epci);
	free(g->dep);
	free(g->reg);
	free(g->postcode);
	if (g->zonages) {
		for (size_t i = 0; i < g->zonages->npart; i++)
			geo_zonages_release(&g->zonages->part[i].z);
		geo_zonages_release(&g->zonages->all.z);
		pthread_mutex_destroy(&g->zonages->lock);
		strmap_release(&g->zonages->names);
		free(g->zonages);
	}
	geo_init(g);
}

/* strcmp's order, inline: the codes are a few bytes, and loading the
 * bundle looks one up for most of its rows. */
static inline int code_cmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

/* Binary search in a table of structs that start with their code. */
static size_t find(const void *base, size_t n, size_t size, const char *code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *c = (const char *)base + mid * size;
		int cmp = code_cmp(code, c);
		if (!cmp)
			return mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return GEO_NONE;
}

size_t geo_commune_find(const struct geo *g, const char *code)
{
	return find(g->com, g->ncom, sizeof(*g->com), code);
}

size_t geo_epci_find(const struct geo *g, const char *code)
{
	return find(g->epci, g->nepci, sizeof(*g->epci), code);
}

size_t geo_dep_find(const struct geo *g, const char *code)
{
	return find(g->dep, g->ndep, sizeof(*g->dep), code);
}

size_t geo_reg_find(const struct geo *g, const char *code)
{
	return find(g->reg, g->nreg, sizeof(*g->reg), code);
}

static enum status check_sorted(const void *base, size_t n, size_t size, const char *table,
				struct error *err)
{
	for (size_t i = 1; i < n; i++) {
		const char *a = (const char *)base + (i - 1) * size;
		const char *b = (const char *)base + i * size;
		if (strcmp(a, b) >= 0)
			return error_set(err, TERRAIN_EDATA,
					 "%s: code \"%s\" is %s \"%s\" (expected codes sorted "
					 "and unique)",
					 table, b,
					 strcmp(a, b) ? "out of order after" : "a duplicate of", a);
	}
	return TERRAIN_OK;
}

enum status geo_link(struct geo *g, struct error *err)
{
	enum status st;
	if ((st = check_sorted(g->com, g->ncom, sizeof(*g->com), "communes", err)) ||
	    (st = check_sorted(g->epci, g->nepci, sizeof(*g->epci), "epci", err)) ||
	    (st = check_sorted(g->dep, g->ndep, sizeof(*g->dep), "departements", err)) ||
	    (st = check_sorted(g->reg, g->nreg, sizeof(*g->reg), "regions", err)))
		return st;
	for (size_t i = 0; i < g->ndep; i++) {
		g->dep[i].reg_index = geo_reg_find(g, g->dep[i].reg);
		if (g->dep[i].reg_index == GEO_NONE)
			return error_set(err, TERRAIN_EDATA,
					 "departements: \"%s\" is in région \"%s\", which is not "
					 "in the régions table",
					 g->dep[i].code, g->dep[i].reg);
	}
	for (size_t i = 0; i < g->ncom; i++) {
		struct geo_commune *c = &g->com[i];
		c->dep_index = c->dep[0] ? geo_dep_find(g, c->dep) : GEO_NONE;
		if (c->kind != GEO_FORMER && c->dep_index == GEO_NONE)
			return error_set(err, TERRAIN_EDATA,
					 "communes: \"%s\" is in département \"%s\", which is "
					 "not in the départements table",
					 c->code, c->dep);
	}
	return TERRAIN_OK;
}

size_t geo_convert(const struct geo *g, const char *code, bool *merged)
{
	size_t i = geo_commune_find(g, code);
	if (merged)
		*merged = false;
	if (i == GEO_NONE)
		return GEO_NONE;
	if (g->com[i].kind == GEO_FORMER) {
		if (merged)
			*merged = true;
		return g->com[i].successor;
	}
	return i;
}

enum geo_zone geo_commune_zone(const struct geo *g, size_t i)
{
	size_t d = g->com[i].dep_index;
	return d == GEO_NONE ? GEO_ZONE_COM : g->dep[d].zone;
}

bool geo_commune_split_created(const struct geo *g, size_t i)
{
	const struct geo_commune *c = &g->com[i];
	if (c->kind == GEO_FORMER || c->first_cog <= GEO_COG_FIRST)
		return false;
	for (size_t j = 0; j < g->ncom; j++)
		if (g->com[j].kind == GEO_FORMER && g->com[j].successor == i &&
		    g->com[j].last_cog == c->first_cog - 1)
			return false;
	return true;
}

/* One "YEAR[-YEAR] NAME" run of a former_names string, up to '|' or the
 * end; *next is after the '|'.  False when malformed. */
static bool name_run(const char *s, int *from, int *to, const char **name, size_t *len,
		     const char **next)
{
	char *end;
	errno = 0;
	long a = strtol(s, &end, 10), b;
	if (errno || end == s || a < GEO_COG_FIRST || a > GEO_COG_LAST)
		return false;
	b = a;
	if (*end == '-') {
		const char *p = end + 1;
		b = strtol(p, &end, 10);
		if (errno || end == p || b < a || b > GEO_COG_LAST)
			return false;
	}
	if (*end != ' ' || end[1] == '|' || !end[1])
		return false;
	*from = (int)a;
	*to = (int)b;
	*name = end + 1;
	*len = strcspn(*name, "|");
	*next = (*name)[*len] == '|' ? *name + *len + 1 : *name + *len;
	return (*name)[*len] != '|' || (*next)[0];
}

bool geo_former_names_valid(const char *s)
{
	int last = 0, a, b;
	const char *name;
	size_t len;
	while (*s) {
		if (!name_run(s, &a, &b, &name, &len, &s) || a <= last)
			return false;
		last = b;
	}
	return true;
}

bool geo_former_name(const char *s, int year, const char **name, size_t *len)
{
	int a, b;
	while (*s) {
		if (!name_run(s, &a, &b, name, len, &s))
			return false;
		if (year >= a && year <= b)
			return true;
	}
	return false;
}

/* ---- zonages ---------------------------------------------------------------- */

void geo_zonages_init(struct geo_zonages *z)
{
	memset(z, 0, sizeof(*z));
}

void geo_zonages_release(struct geo_zonages *z)
{
	for (size_t i = 0; i < z->nrow; i++)
		free(z->row[i].cog2024);
	free(z->row);
	for (int l = 0; l < GEO_NZONAGE; l++) {
		for (size_t i = 0; i < z->nzone[l]; i++)
			free(z->zone[l][i].name);
		free(z->zone[l]);
	}
	geo_zonages_init(z);
}

size_t geo_zonages_find(const struct geo_zonages *z, const char *code)
{
	return find(z->row, z->nrow, sizeof(*z->row), code);
}

size_t geo_zone_find(const struct geo_zonages *z, enum geo_zonage level, const char *code)
{
	return find(z->zone[level], z->nzone[level], sizeof(*z->zone[level]), code);
}

const char *geo_zonage_label(enum geo_zonage level)
{
	static const char *const labels[] = {"zone d'emploi 2020", "bassin de vie 2022",
					     "unité urbaine 2020",
					     "aire d'attraction des villes 2020"};
	return labels[level];
}

const char *geo_aav_category_label(enum geo_aav_category c)
{
	switch (c) {
	case GEO_AAV_CENTRE:
		return "Commune-centre";
	case GEO_AAV_POLE:
		return "Autre commune du pôle principal";
	case GEO_AAV_POLE2:
		return "Commune d'un pôle secondaire";
	case GEO_AAV_CROWN:
		return "Commune de la couronne";
	case GEO_AAV_OUTSIDE:
		return "Commune hors attraction des villes";
	default:
		return NULL;
	}
}

bool geo_zone_outside(enum geo_zonage level, const char *code)
{
	size_t n = strlen(code);
	if (level == GEO_UU)
		return n == 5 && !strcmp(code + 2, "000");
	if (level == GEO_AAV)
		return !strcmp(code, "000");
	return false;
}

/* The type de nom en clair of a zone's name: INSEE names a zone after a
 * commune, so a commune of that name gives it; else its article. */
static bool tncc_of(const struct geo_commune *c)
{
	return c->kind != GEO_FORMER && c->tncc >= 0;
}

/* The first current commune named name, or GEO_NONE: through the index of
 * the zonages' lazy part when there is one (a search lists thousands of
 * zones: a scan of the communes for each was most of its time), else a
 * scan. */
static size_t commune_named(const struct geo *g, const char *name)
{
	struct geo_zonages_lazy *l = g->zonages;
	if (!l) {
		for (size_t i = 0; i < g->ncom; i++)
			if (tncc_of(&g->com[i]) && !strcmp(g->com[i].name, name))
				return i;
		return GEO_NONE;
	}
	pthread_mutex_lock(&l->lock);
	if (!l->names_built) {
		for (size_t i = 0; i < g->ncom; i++)
			if (tncc_of(&g->com[i]) &&
			    strmap_get(&l->names, g->com[i].name) == STRMAP_NONE)
				strmap_put(&l->names, g->com[i].name, i);
		l->names_built = true;
	}
	size_t i = strmap_get(&l->names, name);
	pthread_mutex_unlock(&l->lock);
	return i == STRMAP_NONE ? GEO_NONE : i;
}

static int name_tncc(const struct geo *g, const char *name)
{
	size_t c = g ? commune_named(g, name) : GEO_NONE;
	if (c != GEO_NONE)
		return g->com[c].tncc;
	static const char *const articles[] = {"Le ", "La ", "Les ", "L'", "Aux "};
	static const int codes[] = {2, 3, 4, 5, 6};
	for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
		if (!strncmp(name, articles[k], strlen(articles[k])))
			return codes[k];
	static const char *const vowels[] = {"A", "E", "I", "O", "U", "Y",
					     "É", "È", "Ê", "Â", "Î", "Ô"};
	for (size_t k = 0; k < sizeof(vowels) / sizeof(vowels[0]); k++)
		if (!strncmp(name, vowels[k], strlen(vowels[k])))
			return 1;
	return 0;
}

int geo_zone_name_tncc(const struct geo *g, const char *name)
{
	return name_tncc(g, name);
}

void geo_zonage_of(const struct geo_zonages *z, const struct geo *g, size_t i,
		   struct geo_zonage_of *out)
{
	const struct geo_zonage_row *r = &z->row[i];
	for (int l = 0; l < GEO_NZONAGE; l++) {
		out->code[l] = out->name[l] = NULL;
		out->tncc[l] = -1;
		if (r->zone[l] == GEO_NONE)
			continue;
		const struct geo_zonage_zone *zone = &z->zone[l][r->zone[l]];
		out->code[l] = zone->code;
		out->name[l] = zone->name;
		out->tncc[l] = name_tncc(g, zone->name);
	}
	out->category = r->category;
}

/* ---- zonages reached from the geography ------------------------------------ */

void geo_zonages_attach(struct geo *g, geo_zonages_load_fn load, const void *ctx)
{
	if (!g->zonages) {
		g->zonages = xcalloc(1, sizeof(*g->zonages));
		pthread_mutex_init(&g->zonages->lock, NULL);
	}
	g->zonages->load = load;
	g->zonages->ctx = ctx;
}

static bool part_is(const struct geo_zonages_part *p, const struct geo_zonages_key *key)
{
	if (key->commune)
		return !strcmp(p->commune, key->commune);
	return !*p->commune && p->level == key->level && !strcmp(p->zone, key->zone);
}

static enum status part_result(const struct geo_zonages_part *p, const struct geo_zonages **out,
			       struct error *err)
{
	if (p->status)
		return error_set(err, p->status, "%s", p->err.msg);
	*out = &p->z;
	return TERRAIN_OK;
}

static enum status zonages_get(struct geo_zonages_lazy *l, const struct geo_zonages_key *key,
			       const struct geo_zonages **out, struct error *err)
{
	/* a part asked before, or a new one while there is room and the whole
	 * table is not read: parts are never freed before geo_release, so the
	 * tables handed out stay valid */
	for (size_t i = 0; key && !l->all_tried && i < l->npart; i++)
		if (part_is(&l->part[i], key))
			return part_result(&l->part[i], out, err);
	if (key && !l->all_tried && l->npart < GEO_ZONAGES_PARTS &&
	    strlen(key->commune ? key->commune : key->zone) < sizeof(l->part[0].zone)) {
		struct geo_zonages_part *p = &l->part[l->npart++];
		snprintf(p->commune, sizeof(p->commune), "%s", key->commune ? key->commune : "");
		snprintf(p->zone, sizeof(p->zone), "%s", key->commune ? "" : key->zone);
		p->level = key->level;
		p->status = l->load(l->ctx, key, &p->z, &p->err);
		return part_result(p, out, err);
	}
	if (!l->all_tried) {
		l->all_tried = true;
		l->all.status = l->load(l->ctx, NULL, &l->all.z, &l->all.err);
	}
	return part_result(&l->all, out, err);
}

enum status geo_zonages_get(const struct geo *g, const struct geo_zonages_key *key,
			    const struct geo_zonages **out, struct error *err)
{
	struct geo_zonages_lazy *l = g->zonages;
	if (!l || !l->load)
		return error_set(err, TERRAIN_ENOTFOUND, "the zonages are not loaded");
	pthread_mutex_lock(&l->lock);
	enum status st = zonages_get(l, key, out, err);
	pthread_mutex_unlock(&l->lock);
	return st;
}
