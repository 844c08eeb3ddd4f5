#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"

struct acc {
	struct search_hit *v;
	size_t n, alloc;
	const char *q; /* folded query */
	size_t qlen;
	struct strbuf key;
};

/* Classify name against the folded query; -1 when it does not match. */
static int classify(struct acc *a, const char *name)
{
	strbuf_reset(&a->key);
	text_fold(name, &a->key);
	const char *k = a->key.buf;
	if (!strcmp(k, a->q))
		return SEARCH_EXACT;
	if (!strncmp(k, a->q, a->qlen))
		return SEARCH_PREFIX;
	const char *p = strstr(k, a->q);
	if (!p)
		return -1;
	for (; p; p = strstr(p + 1, a->q))
		if (p[-1] == ' ')
			return SEARCH_WORD;
	return SEARCH_INSIDE;
}

static void add(struct acc *a, const struct territory *t, int cls, bool former, long pop)
{
	ALLOC_GROW(a->v, a->n + 1, a->alloc);
	struct search_hit *h = &a->v[a->n++];
	h->t = *t;
	h->class = (enum search_class)cls;
	h->former = former;
	h->population = pop;
}

static int cmp_hit(const void *x, const void *y)
{
	const struct search_hit *a = x, *b = y;
	/* "Grenoble": the commune and its métropole before the zones named
	 * after the commune */
	bool za = territory_zonage(a->t.type) != GEO_NZONAGE;
	bool zb = territory_zonage(b->t.type) != GEO_NZONAGE;
	if (za != zb)
		return za ? 1 : -1;
	if (a->class != b->class)
		return a->class < b->class ? -1 : 1;
	if (a->former != b->former)
		return a->former ? 1 : -1;
	if (a->population != b->population)
		return a->population > b->population ? -1 : 1;
	return strcmp(a->t.code, b->t.code);
}

static long last_population(const struct geo_commune *c)
{
	for (int y = GEO_NCOG - 1; y >= 0; y--)
		if (c->pop[y] >= 0)
			return c->pop[y];
	return -1;
}

/* The zones of INSEE's zonages (zones d'emploi, bassins de vie, unités
 * urbaines, aires d'attraction) in mask, with the population of their
 * communes; none when the zonages cannot be read (the geography's loader
 * says why to the commands that need them). */
static void search_zones(const struct geo *g, struct acc *a, unsigned mask)
{
	unsigned zmask = SEARCH_TYPE(TERRITORY_ZE) | SEARCH_TYPE(TERRITORY_BV) |
			 SEARCH_TYPE(TERRITORY_UU) | SEARCH_TYPE(TERRITORY_AAV);
	const struct geo_zonages *z;
	struct error e;
	if (!(mask & zmask) || geo_zonages_get(g, NULL, &z, &e))
		return;
	for (int lv = 0; lv < GEO_NZONAGE; lv++) {
		enum territory_type type = lv == GEO_ZE	  ? TERRITORY_ZE
					   : lv == GEO_BV ? TERRITORY_BV
					   : lv == GEO_UU ? TERRITORY_UU
							  : TERRITORY_AAV;
		if (!(mask & SEARCH_TYPE(type)) || !z->nzone[lv])
			continue;
		/* the zones whose name matches (cls[i] >= 0), then the population
		 * of those only: a keystroke of the web search pays for its hits */
		int *cls = xcalloc(z->nzone[lv], sizeof(int));
		long *pop = xcalloc(z->nzone[lv], sizeof(long));
		size_t hits = 0;
		for (size_t i = 0; i < z->nzone[lv]; i++) {
			const struct geo_zonage_zone *zone = &z->zone[lv][i];
			cls[i] = geo_zone_outside((enum geo_zonage)lv, zone->code) || !zone->name
				     ? -1
				     : classify(a, zone->name);
			hits += cls[i] >= 0;
		}
		for (size_t r = 0; hits && r < z->nrow; r++) {
			size_t zi = z->row[r].zone[lv], c;
			if (zi != GEO_NONE && cls[zi] >= 0 &&
			    (c = geo_commune_find(g, z->row[r].code)) != GEO_NONE &&
			    g->com[c].pop[GEO_NCOG - 1] > 0)
				pop[zi] += g->com[c].pop[GEO_NCOG - 1];
		}
		for (size_t i = 0; i < z->nzone[lv]; i++) {
			if (cls[i] < 0)
				continue;
			struct territory t;
			territory_of_zone(g, z, (enum geo_zonage)lv, i, &t);
			add(a, &t, cls[i], false, pop[i]);
		}
		free(cls);
		free(pop);
	}
}

size_t search_territories(const struct geo *g, const char *query, unsigned mask,
			  struct search_hit **out)
{
	struct acc a = {0};
	struct strbuf q = STRBUF_INIT;
	strbuf_init(&a.key);
	text_fold(query, &q);
	a.q = q.buf;
	a.qlen = q.len;
	*out = NULL;
	if (!q.len)
		goto out;

	/* populations of the current vintage summed per EPCI, département, région */
	long *epop = xcalloc(g->nepci + 1, sizeof(long));
	long *dpop = xcalloc(g->ndep + 1, sizeof(long));
	long *rpop = xcalloc(g->nreg + 1, sizeof(long));
	for (size_t i = 0; i < g->ncom; i++) {
		const struct geo_commune *c = &g->com[i];
		long p = c->pop[GEO_NCOG - 1];
		if (c->kind != GEO_COM || p < 0)
			continue;
		if (c->epci != GEO_NONE)
			epop[c->epci] += p;
		if (c->dep_index != GEO_NONE) {
			dpop[c->dep_index] += p;
			rpop[g->dep[c->dep_index].reg_index] += p;
		}
	}

	struct territory t;
	int cls;
	for (size_t i = 0; i < g->ncom; i++) {
		const struct geo_commune *c = &g->com[i];
		enum territory_type type = c->kind == GEO_ARM ? TERRITORY_ARM : TERRITORY_COM;
		if (!(mask & SEARCH_TYPE(type)) || !*c->name || (cls = classify(&a, c->name)) < 0)
			continue;
		territory_of_commune(g, i, &t); /* a former code stays itself here */
		add(&a, &t, cls, c->kind == GEO_FORMER, last_population(c));
	}
	for (size_t i = 0; (mask & SEARCH_TYPE(TERRITORY_EPCI)) && i < g->nepci; i++) {
		if ((cls = classify(&a, g->epci[i].name)) < 0)
			continue;
		territory_of_epci(g, i, &t);
		add(&a, &t, cls, false, epop[i]);
	}
	for (size_t i = 0; (mask & SEARCH_TYPE(TERRITORY_DEP)) && i < g->ndep; i++) {
		if ((cls = classify(&a, g->dep[i].name)) < 0)
			continue;
		territory_of_dep(g, i, &t);
		add(&a, &t, cls, false, dpop[i]);
	}
	for (size_t i = 0; (mask & SEARCH_TYPE(TERRITORY_REG)) && i < g->nreg; i++) {
		if ((cls = classify(&a, g->reg[i].name)) < 0)
			continue;
		territory_of_reg(g, i, &t);
		add(&a, &t, cls, false, rpop[i]);
	}
	if ((mask & SEARCH_TYPE(TERRITORY_FR)) && (cls = classify(&a, "France")) >= 0) {
		territory_of_france(&t);
		long p = 0;
		for (size_t i = 0; i < g->nreg; i++)
			if (g->reg[i].zone != GEO_ZONE_COM)
				p += rpop[i];
		add(&a, &t, cls, false, p);
	}
	free(epop);
	free(dpop);
	free(rpop);
	search_zones(g, &a, mask);
	if (a.n)
		qsort(a.v, a.n, sizeof(*a.v), cmp_hit);
	*out = a.v;
out:
	strbuf_release(&q);
	strbuf_release(&a.key);
	return a.n;
}
