#include "territory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#define EXPECTED_FORMS                                                       \
	"expected com:CODE, arm:CODE, epci:SIREN, dep:CODE, reg:CODE, fr, "  \
	"custom:NAME, ze:CODE, bv:CODE, uu:CODE, aav:CODE or a 5-character " \
	"commune code such as 38185"

static const char *const type_prefix[] = {
    [TERRITORY_COM] = "com",	   [TERRITORY_ARM] = "arm", [TERRITORY_EPCI] = "epci",
    [TERRITORY_DEP] = "dep",	   [TERRITORY_REG] = "reg", [TERRITORY_FR] = "fr",
    [TERRITORY_CUSTOM] = "custom", [TERRITORY_ZE] = "ze",   [TERRITORY_BV] = "bv",
    [TERRITORY_UU] = "uu",	   [TERRITORY_AAV] = "aav",
};

enum geo_zonage territory_zonage(enum territory_type type)
{
	switch (type) {
	case TERRITORY_ZE:
		return GEO_ZE;
	case TERRITORY_BV:
		return GEO_BV;
	case TERRITORY_UU:
		return GEO_UU;
	case TERRITORY_AAV:
		return GEO_AAV;
	default:
		return GEO_NZONAGE;
	}
}

const char *territory_type_label(enum territory_type type)
{
	switch (type) {
	case TERRITORY_COM:
		return "commune";
	case TERRITORY_ARM:
		return "arrondissement municipal";
	case TERRITORY_EPCI:
		return "EPCI";
	case TERRITORY_DEP:
		return "département";
	case TERRITORY_REG:
		return "région";
	case TERRITORY_FR:
		return "France";
	case TERRITORY_ZE:
		return "zone d'emploi";
	case TERRITORY_BV:
		return "bassin de vie";
	case TERRITORY_UU:
		return "unité urbaine";
	case TERRITORY_AAV:
		return "aire d'attraction des villes";
	case TERRITORY_CUSTOM:
		break;
	}
	return "custom territory";
}

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool territory_commune_syntax(const char *s)
{
	if (all_digits(s, 5))
		return true;
	return strlen(s) == 5 && s[0] == '2' && (s[1] == 'A' || s[1] == 'B') &&
	       all_digits(s + 2, 3);
}

bool territory_dep_syntax(const char *s)
{
	return all_digits(s, 2) || all_digits(s, 3) || !strcmp(s, "2A") || !strcmp(s, "2B");
}

bool territory_plm_arrondissement(const char *code)
{
	if (!all_digits(code, 5))
		return false;
	long n = strtol(code, NULL, 10);
	return (n >= 75101 && n <= 75120) || (n >= 69381 && n <= 69389) ||
	       (n >= 13201 && n <= 13216);
}

/* n digits or capital letters (the overseas unités urbaines "9A101",
 * aires "9A1", and the foreign cities' aires "GEN"). */
static bool all_alnum(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && !isupper((unsigned char)s[i]))
			return false;
	return true;
}

static bool custom_syntax(const char *s)
{
	size_t n = strlen(s);
	if (!n || n >= TERRITORY_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

static enum status malformed(struct error *err, const char *s, const char *why)
{
	struct strbuf q = STRBUF_INIT;
	text_quote(s, 64, &q); /* the user's bytes, kept on one line */
	error_set(err, TERRAIN_EUSAGE, "malformed territory code \"%s\": %s (%s)", q.buf, why,
		  EXPECTED_FORMS);
	strbuf_release(&q);
	return TERRAIN_EUSAGE;
}

enum status territory_parse(const char *s, struct territory_code *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	const char *colon = strchr(s, ':');
	if (!colon) {
		if (!strcmp(s, "fr") || !strcmp(s, "FR")) {
			out->type = TERRITORY_FR;
			return TERRAIN_OK;
		}
		char up[TERRITORY_ID_MAX];
		snprintf(up, sizeof(up), "%s", s);
		if (strlen(s) == 5 && (up[1] == 'a' || up[1] == 'b'))
			up[1] = (char)toupper((unsigned char)up[1]);
		if (!territory_commune_syntax(up))
			return malformed(err, s, "no type prefix and not a commune code");
		out->type = TERRITORY_COM;
		out->bare = true;
		snprintf(out->id, sizeof(out->id), "%s", up);
		return TERRAIN_OK;
	}
	size_t plen = (size_t)(colon - s);
	const char *id = colon + 1;
	size_t t;
	for (t = 0; t < sizeof(type_prefix) / sizeof(type_prefix[0]); t++)
		if (strlen(type_prefix[t]) == plen && !strncmp(s, type_prefix[t], plen))
			break;
	if (t == sizeof(type_prefix) / sizeof(type_prefix[0]))
		return malformed(err, s, "unknown type prefix");
	out->type = (enum territory_type)t;
	if (strlen(id) >= TERRITORY_ID_MAX)
		return malformed(err, s, "code too long");
	snprintf(out->id, sizeof(out->id), "%s", id);
	if (out->type != TERRITORY_CUSTOM)
		for (char *p = out->id; *p; p++)
			*p = (char)toupper((unsigned char)*p);

	switch (out->type) {
	case TERRITORY_COM:
		if (!territory_commune_syntax(out->id))
			return malformed(err, s,
					 "a commune code has 5 characters: 5 digits, "
					 "or 2A/2B and 3 digits");
		break;
	case TERRITORY_ARM:
		if (!all_digits(out->id, 5))
			return malformed(err, s, "an arrondissement code has 5 digits");
		break;
	case TERRITORY_EPCI:
		if (!all_digits(out->id, 9))
			return malformed(err, s, "an EPCI code is its 9-digit SIREN");
		break;
	case TERRITORY_DEP:
		if (!territory_dep_syntax(out->id))
			return malformed(err, s,
					 "a département code is 2 digits, 2A, 2B "
					 "or 3 digits");
		break;
	case TERRITORY_REG:
		if (!all_digits(out->id, 2) && !all_digits(out->id, 3))
			return malformed(err, s, "a région code has 2 or 3 digits");
		break;
	case TERRITORY_FR:
		if (*id)
			return malformed(err, s, "France takes no code: write fr");
		break;
	case TERRITORY_CUSTOM:
		if (!custom_syntax(out->id))
			return malformed(err, s,
					 "a custom name has 1 to 47 letters, digits, "
					 "'_', '.' or '-'");
		break;
	case TERRITORY_ZE:
		if (!all_digits(out->id, 4))
			return malformed(err, s, "a zone d'emploi code has 4 digits");
		break;
	case TERRITORY_BV:
		if (!territory_commune_syntax(out->id))
			return malformed(err, s,
					 "a bassin de vie is coded by its chef-lieu's "
					 "commune code, 5 characters");
		break;
	case TERRITORY_UU:
		if (!all_alnum(out->id, 5))
			return malformed(err, s, "an unité urbaine code has 5 characters");
		break;
	case TERRITORY_AAV:
		if (!all_alnum(out->id, 3))
			return malformed(err, s,
					 "an aire d'attraction des villes code has 3 "
					 "characters");
		break;
	}
	return TERRAIN_OK;
}

/* Fill a territory; id is the code after the prefix ("" for France). */
static void make(struct territory *out, enum territory_type type, const char *id, const char *name,
		 size_t index)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	if (*id)
		snprintf(out->code, sizeof(out->code), "%s:%s", type_prefix[type], id);
	else
		snprintf(out->code, sizeof(out->code), "%s", type_prefix[type]);
	out->name = name;
	out->index = index;
	out->from = GEO_NONE;
	out->tncc = -1;
}

void territory_of_commune(const struct geo *g, size_t i, struct territory *out)
{
	const struct geo_commune *c = &g->com[i];
	make(out, c->kind == GEO_ARM ? TERRITORY_ARM : TERRITORY_COM, c->code, c->name, i);
	out->tncc = c->tncc;
}

void territory_of_epci(const struct geo *g, size_t i, struct territory *out)
{
	make(out, TERRITORY_EPCI, g->epci[i].code, g->epci[i].name, i);
}

void territory_of_dep(const struct geo *g, size_t i, struct territory *out)
{
	make(out, TERRITORY_DEP, g->dep[i].code, g->dep[i].name, i);
	out->tncc = g->dep[i].tncc;
}

void territory_of_reg(const struct geo *g, size_t i, struct territory *out)
{
	make(out, TERRITORY_REG, g->reg[i].code, g->reg[i].name, i);
	out->tncc = g->reg[i].tncc;
}

void territory_of_france(struct territory *out)
{
	make(out, TERRITORY_FR, "", "France", GEO_NONE);
}

void territory_of_zone(const struct geo *g, const struct geo_zonages *z, enum geo_zonage level,
		       size_t i, struct territory *out)
{
	static const enum territory_type types[GEO_NZONAGE] = {TERRITORY_ZE, TERRITORY_BV,
							       TERRITORY_UU, TERRITORY_AAV};
	const struct geo_zonage_zone *x = &z->zone[level][i];
	make(out, types[level], x->code, x->name, GEO_NONE);
	out->tncc = geo_zone_name_tncc(g, x->name);
}

/* Resolve a zone's code against the zonages: the part of the table that
 * holds it and its communes. */
static enum status resolve_zone(const struct geo *g, const struct territory_code *tc,
				struct territory *out, struct error *err)
{
	enum geo_zonage l = territory_zonage(tc->type);
	const struct geo_zonages *z;
	struct geo_zonages_key key = {NULL, l, tc->id};
	enum status st = geo_zonages_get(g, &key, &z, err);
	if (st)
		return st;
	size_t i = geo_zone_find(z, l, tc->id);
	if (geo_zone_outside(l, tc->id))
		return error_set(err, TERRAIN_ENOTFOUND,
				 "\"%s:%s\" is not a territory: INSEE's code for the communes "
				 "outside any %s (\"%s\")",
				 type_prefix[tc->type], tc->id, territory_type_label(tc->type),
				 i != GEO_NONE ? z->zone[l][i].name : "no name in the table");
	if (i == GEO_NONE)
		return error_set(err, TERRAIN_ENOTFOUND,
				 "unknown %s \"%s\" (not in INSEE's table d'appartenance "
				 "géographique des communes 2024)",
				 geo_zonage_label(l), tc->id);
	territory_of_zone(g, z, l, i, out);
	return TERRAIN_OK;
}

/* "COG 2022", or "no package of 2021-2026" */
size_t territory_postcode(const struct geo *g, const char *code, const struct geo_postcode **first)
{
	size_t lo = 0, hi = g->npostcode, n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->postcode[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < g->npostcode && !strcmp(g->postcode[lo + n].code, code))
		n++;
	*first = g->postcode + lo;
	return n;
}

/* The communes of n postcode entries but skip and skip2 appended as
 * "Roubaix (59512)", "A (1), B (2) and C (3)", at most 10 then "and 4
 * others"; returns how many were listed, *one the index of the last. */
#define POSTCODE_LIST_MAX 10
static size_t postcode_communes(const struct geo *g, const struct geo_postcode *pc, size_t n,
				size_t skip, size_t skip2, size_t *one, struct strbuf *out)
{
	size_t m = 0, keep[POSTCODE_LIST_MAX], more = 0;
	for (size_t k = 0; k < n; k++) {
		if (pc[k].com == skip || pc[k].com == skip2)
			continue;
		if (m < POSTCODE_LIST_MAX)
			keep[m++] = pc[k].com;
		else
			more++;
	}
	for (size_t k = 0; k < m; k++) {
		const char *sep = !k ? "" : k + 1 < m || more ? ", " : " and ";
		strbuf_addf(out, "%s%s (%s)", sep, g->com[keep[k]].name, g->com[keep[k]].code);
	}
	if (more)
		strbuf_addf(out, " and %zu other%s", more, more > 1 ? "s" : "");
	if (m)
		*one = keep[m - 1];
	return m + more;
}

bool territory_postcode_warning(const struct geo *g, const char *s, struct strbuf *msg)
{
	struct territory_code tc;
	const struct geo_postcode *pc;
	size_t i, one = GEO_NONE;
	if (territory_parse(s, &tc, NULL) ||
	    (tc.type != TERRITORY_COM && tc.type != TERRITORY_ARM) ||
	    (i = geo_commune_find(g, tc.id)) == GEO_NONE)
		return false;
	size_t n = territory_postcode(g, tc.id, &pc);
	struct strbuf list = STRBUF_INIT;
	size_t m = postcode_communes(g, pc, n, i, g->com[i].successor, &one, &list);
	if (m) {
		const struct geo_commune *c = &g->com[i];
		if (c->kind != GEO_FORMER)
			strbuf_addf(msg, "%s is %s (INSEE code)", tc.id, c->name);
		else if (c->successor != GEO_NONE)
			strbuf_addf(msg,
				    "%s is the INSEE code of a former commune, now part of %s (%s)",
				    tc.id, g->com[c->successor].name, g->com[c->successor].code);
		else
			strbuf_addf(msg, "%s is the INSEE code of a former commune", tc.id);
		strbuf_addf(msg, "; %s is also the postcode of %s: ", tc.id, list.buf);
		if (m == 1)
			strbuf_addf(msg, "if you meant %s, write %s", g->com[one].name,
				    g->com[one].code);
		else
			strbuf_addstr(msg, "if you meant one of them, write its INSEE code");
	}
	strbuf_release(&list);
	return m != 0;
}

/* The error for a code that no commune has: a postcode's communes when it
 * is one. */
static enum status unknown_commune(const struct geo *g, const char *code, struct error *err)
{
	const struct geo_postcode *pc;
	size_t one = GEO_NONE, n = territory_postcode(g, code, &pc);
	if (!n)
		return error_set(err, TERRAIN_ENOTFOUND,
				 "unknown commune code \"%s\" (not in the COG %d-%d "
				 "packages nor among the former codes of COG %d)",
				 code, GEO_COG_FIRST, GEO_COG_LAST, GEO_COG_LAST);
	struct strbuf list = STRBUF_INIT;
	size_t m = postcode_communes(g, pc, n, GEO_NONE, GEO_NONE, &one, &list);
	if (m == 1)
		error_set(err, TERRAIN_ENOTFOUND,
			  "\"%s\" is a postcode, not an INSEE commune code: the postcode of %s; "
			  "write its INSEE code, %s",
			  code, list.buf, g->com[one].code);
	else
		error_set(err, TERRAIN_ENOTFOUND,
			  "\"%s\" is a postcode, not an INSEE commune code: the postcode of %s; "
			  "write the INSEE code of the one you mean",
			  code, list.buf);
	strbuf_release(&list);
	return TERRAIN_ENOTFOUND;
}

static const char *last_listed(const struct geo_commune *c, char buf[32])
{
	if (!c->last_cog)
		snprintf(buf, 32, "no package of %d-%d", GEO_COG_FIRST, GEO_COG_LAST);
	else
		snprintf(buf, 32, "COG %d", c->last_cog);
	return buf;
}

enum status territory_resolve(const struct geo *g, const struct territory_code *tc,
			      const struct territory_custom *customs, size_t ncustom,
			      struct territory *out, struct error *err)
{
	size_t i;
	char when[32];
	switch (tc->type) {
	case TERRITORY_COM:
	case TERRITORY_ARM:
		i = geo_commune_find(g, tc->id);
		if (i == GEO_NONE)
			return unknown_commune(g, tc->id, err);
		if (g->com[i].kind == GEO_FORMER) {
			size_t s = g->com[i].successor;
			if (s == GEO_NONE)
				return error_set(
				    err, TERRAIN_ENOTFOUND,
				    "commune code \"%s\" (%s) no longer exists and has "
				    "no successor in the files (last listed in %s); "
				    "terrain does not guess one",
				    tc->id, *g->com[i].name ? g->com[i].name : "no name",
				    last_listed(&g->com[i], when));
			territory_of_commune(g, s, out);
			out->from = i;
			return TERRAIN_OK;
		}
		/* a bare code may be either; a typed one must say what it is */
		if (tc->type == TERRITORY_COM && !tc->bare && g->com[i].kind == GEO_ARM)
			return error_set(err, TERRAIN_ENOTFOUND,
					 "\"%s\" is not a commune but the arrondissement "
					 "municipal %s (write arm:%s)",
					 tc->id, g->com[i].name, tc->id);
		if (tc->type == TERRITORY_ARM && g->com[i].kind != GEO_ARM)
			return error_set(err, TERRAIN_ENOTFOUND,
					 "\"%s\" is not an arrondissement municipal but the "
					 "commune %s (write com:%s)",
					 tc->id, g->com[i].name, tc->id);
		territory_of_commune(g, i, out);
		return TERRAIN_OK;
	case TERRITORY_EPCI:
		i = geo_epci_find(g, tc->id);
		if (i == GEO_NONE)
			return error_set(err, TERRAIN_ENOTFOUND,
					 "unknown EPCI \"%s\" (not among the %zu EPCI of COG %d)",
					 tc->id, g->nepci, GEO_COG_LAST);
		territory_of_epci(g, i, out);
		return TERRAIN_OK;
	case TERRITORY_DEP:
		i = geo_dep_find(g, tc->id);
		if (i == GEO_NONE)
			return error_set(err, TERRAIN_ENOTFOUND,
					 "unknown département \"%s\" (not in COG %d)", tc->id,
					 GEO_COG_LAST);
		territory_of_dep(g, i, out);
		return TERRAIN_OK;
	case TERRITORY_REG:
		i = geo_reg_find(g, tc->id);
		if (i == GEO_NONE)
			return error_set(err, TERRAIN_ENOTFOUND,
					 "unknown région \"%s\" (not in COG %d)", tc->id,
					 GEO_COG_LAST);
		territory_of_reg(g, i, out);
		return TERRAIN_OK;
	case TERRITORY_FR:
		territory_of_france(out);
		return TERRAIN_OK;
	case TERRITORY_CUSTOM:
		for (i = 0; i < ncustom; i++) {
			if (strcmp(customs[i].id, tc->id))
				continue;
			make(out, TERRITORY_CUSTOM, tc->id, customs[i].label, GEO_NONE);
			out->custom = &customs[i];
			return TERRAIN_OK;
		}
		return error_set(err, TERRAIN_ENOTFOUND,
				 "unknown custom territory \"%s\" (define it in the project "
				 "file as a [custom:%s] section)",
				 tc->id, tc->id);
	case TERRITORY_ZE:
	case TERRITORY_BV:
	case TERRITORY_UU:
	case TERRITORY_AAV:
		return resolve_zone(g, tc, out, err);
	}
	return error_set(err, TERRAIN_EUSAGE, "bad territory type");
}

enum status territory_lookup(const struct geo *g, const char *s,
			     const struct territory_custom *customs, size_t ncustom,
			     struct territory *out, struct error *err)
{
	struct territory_code tc;
	enum status st = territory_parse(s, &tc, err);
	if (st)
		return st;
	return territory_resolve(g, &tc, customs, ncustom, out, err);
}

static bool is_member(const struct geo *g, const struct territory *t, size_t i)
{
	const struct geo_commune *c = &g->com[i];
	switch (t->type) {
	case TERRITORY_COM:
		return c->kind == GEO_ARM && c->city == t->index;
	case TERRITORY_EPCI:
		return c->kind == GEO_COM && c->epci == t->index;
	case TERRITORY_DEP:
		return c->kind == GEO_COM && c->dep_index == t->index;
	case TERRITORY_REG:
		return c->kind == GEO_COM && c->dep_index != GEO_NONE &&
		       g->dep[c->dep_index].reg_index == t->index;
	case TERRITORY_FR:
		return c->kind == GEO_COM && geo_commune_zone(g, i) != GEO_ZONE_COM;
	case TERRITORY_ARM:
	case TERRITORY_CUSTOM:
	case TERRITORY_ZE:
	case TERRITORY_BV:
	case TERRITORY_UU:
	case TERRITORY_AAV:
		break; /* custom_members, zone_members */
	}
	return false;
}

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* A zone's current communes: the rows of the zonages that name it
 * (arrondissements have rows of their own, left out as for an EPCI). */
static size_t zone_members(const struct geo *g, const struct territory *t, size_t **v)
{
	enum geo_zonage l = territory_zonage(t->type);
	const struct geo_zonages *z;
	size_t n = 0, alloc = 0, zi;
	struct geo_zonages_key key = {NULL, l, strchr(t->code, ':') + 1};
	if (geo_zonages_get(g, &key, &z, NULL) || (zi = geo_zone_find(z, l, key.zone)) == GEO_NONE)
		return 0;
	for (size_t r = 0; r < z->nrow; r++) {
		size_t i;
		if (z->row[r].zone[l] != zi ||
		    (i = geo_commune_find(g, z->row[r].code)) == GEO_NONE ||
		    g->com[i].kind != GEO_COM)
			continue;
		ALLOC_GROW(*v, n + 1, alloc);
		(*v)[n++] = i;
	}
	return n;
}

size_t territory_members(const struct geo *g, const struct territory *t, size_t **out)
{
	size_t n = 0, alloc = 0;
	size_t *v = NULL;
	if (territory_zonage(t->type) != GEO_NZONAGE) {
		n = zone_members(g, t, &v);
		*out = v ? v : xmalloc(sizeof(*v));
		return n;
	}
	if (t->type == TERRITORY_CUSTOM) {
		n = t->custom->nmember;
		v = xmalloc((n ? n : 1) * sizeof(*v));
		memcpy(v, t->custom->member, n * sizeof(*v));
		/* indexes follow code order, so sorting them sorts by code */
		qsort(v, n, sizeof(*v), cmp_index);
		*out = v;
		return n;
	}
	for (size_t i = 0; i < g->ncom; i++) {
		if (!is_member(g, t, i))
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = i;
	}
	if (!v)
		v = xmalloc(sizeof(*v));
	*out = v;
	return n;
}

size_t territory_units(const struct geo *g, const struct territory *t, size_t **out)
{
	if (t->type == TERRITORY_COM || t->type == TERRITORY_ARM) {
		*out = xmalloc(sizeof(**out));
		(*out)[0] = t->index;
		return 1;
	}
	return territory_members(g, t, out);
}

/* The département holding the largest population of the current vintage
 * among the members. */
static size_t main_dep(const struct geo *g, const size_t *m, size_t n)
{
	long *pop = xcalloc(g->ndep ? g->ndep : 1, sizeof(*pop));
	size_t best = GEO_NONE;
	for (size_t k = 0; k < n; k++) {
		const struct geo_commune *c = &g->com[m[k]];
		if (c->dep_index == GEO_NONE)
			continue;
		long p = c->pop[GEO_NCOG - 1];
		pop[c->dep_index] += p > 0 ? p : 0;
		if (best == GEO_NONE || pop[c->dep_index] > pop[best])
			best = c->dep_index;
	}
	free(pop);
	return best;
}

/* The EPCI all members share, or GEO_NONE. */
static size_t common_epci(const struct geo *g, const size_t *m, size_t n)
{
	size_t e = GEO_NONE;
	for (size_t k = 0; k < n; k++) {
		const struct geo_commune *c = &g->com[m[k]];
		size_t ce = c->kind == GEO_ARM ? g->com[c->city].epci : c->epci;
		if (ce == GEO_NONE || (k && ce != e))
			return GEO_NONE;
		e = ce;
	}
	return e;
}

/* The zone d'emploi of commune or arrondissement i as a territory; false
 * when the zonages give it none (a collectivité d'outre-mer, a commune of
 * 2025 made of communes of different zones) or cannot be read (warned). */
static bool commune_ze(const struct geo *g, size_t i, struct territory *out)
{
	const struct geo_zonages *z;
	struct error e;
	size_t r;
	if (!g->zonages)
		return false; /* a geography built without the zonages */
	struct geo_zonages_key key = {g->com[i].code, GEO_ZE, NULL};
	if (geo_zonages_get(g, &key, &z, &e)) {
		log_warn("no zone d'emploi among the references: %s", e.msg);
		return false;
	}
	if ((r = geo_zonages_find(z, g->com[i].code)) == GEO_NONE ||
	    z->row[r].zone[GEO_ZE] == GEO_NONE)
		return false;
	territory_of_zone(g, z, GEO_ZE, z->row[r].zone[GEO_ZE], out);
	return true;
}

size_t territory_references(const struct geo *g, const struct territory *t,
			    struct territory out[TERRITORY_MAX_REFS])
{
	size_t n = 0, dep = GEO_NONE, epci = GEO_NONE, ze = GEO_NONE;
	size_t *m = NULL, nm;
	switch (t->type) {
	case TERRITORY_ARM: {
		size_t city = g->com[t->index].city;
		territory_of_commune(g, city, &out[n++]);
		epci = g->com[city].epci;
		dep = g->com[city].dep_index;
		ze = t->index;
		break;
	}
	case TERRITORY_COM:
		epci = g->com[t->index].epci;
		dep = g->com[t->index].dep_index;
		ze = t->index;
		break;
	case TERRITORY_EPCI:
	case TERRITORY_CUSTOM:
	case TERRITORY_ZE:
	case TERRITORY_BV:
	case TERRITORY_UU:
	case TERRITORY_AAV:
		nm = territory_members(g, t, &m);
		if (t->type == TERRITORY_CUSTOM)
			epci = common_epci(g, m, nm);
		dep = main_dep(g, m, nm);
		free(m);
		break;
	case TERRITORY_DEP:
		territory_of_reg(g, g->dep[t->index].reg_index, &out[n++]);
		if (g->dep[t->index].zone != GEO_ZONE_COM)
			territory_of_france(&out[n++]);
		return n;
	case TERRITORY_REG:
		if (g->reg[t->index].zone != GEO_ZONE_COM)
			territory_of_france(&out[n++]);
		return n;
	case TERRITORY_FR:
		return 0;
	}
	if (epci != GEO_NONE)
		territory_of_epci(g, epci, &out[n++]);
	if (ze != GEO_NONE && commune_ze(g, ze, &out[n]))
		n++;
	if (dep != GEO_NONE) {
		const struct geo_dep *d = &g->dep[dep];
		territory_of_dep(g, dep, &out[n++]);
		if (strcmp(g->reg[d->reg_index].code, d->code))
			territory_of_reg(g, d->reg_index, &out[n++]);
		if (d->zone != GEO_ZONE_COM)
			territory_of_france(&out[n++]);
	}
	return n;
}

void territory_dep_prefix(const char *code, char out[4])
{
	size_t n = strncmp(code, "97", 2) ? 2 : 3;
	out[0] = '\0';
	if (strlen(code) >= n)
		snprintf(out, 4, "%.*s", (int)n, code);
}
