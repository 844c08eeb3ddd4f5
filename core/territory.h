/* Territories: typed codes and their resolution against the geography.
 *
 * A typed code is "com:38185", "arm:69381", "epci:200040715", "dep:38",
 * "dep:2A", "reg:84", "fr", "custom:NAME" (a list of communes defined in
 * the project file) or one of INSEE's study zones (core/geo.h, the
 * zonages): "ze:8409" (zone d'emploi 2020), "bv:38185" (bassin de vie
 * 2022, coded by its chef-lieu), "uu:38701" (unité urbaine 2020),
 * "aav:014" (aire d'attraction des villes 2020); a bare 5-character code
 * is a commune.  Codes stay text. */
#ifndef TERRAIN_TERRITORY_H
#define TERRAIN_TERRITORY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "geo.h"
#include "strbuf.h"

enum territory_type {
	TERRITORY_COM,
	TERRITORY_ARM,
	TERRITORY_EPCI,
	TERRITORY_DEP,
	TERRITORY_REG,
	TERRITORY_FR,
	TERRITORY_CUSTOM,
	TERRITORY_ZE,  /* zone d'emploi 2020 */
	TERRITORY_BV,  /* bassin de vie 2022 */
	TERRITORY_UU,  /* unité urbaine 2020 */
	TERRITORY_AAV, /* aire d'attraction des villes 2020 */
};

/* The most default references territory_references writes. */
#define TERRITORY_MAX_REFS 6

#define TERRITORY_ID_MAX 48

/* A parsed, not yet resolved, code. */
struct territory_code {
	enum territory_type type;
	char id[TERRITORY_ID_MAX]; /* "38185", "2A", "" for fr, the custom name */
	bool bare;		   /* a commune code written without "com:" */
};

/* A custom territory: a named list of current communes (or arrondissements). */
struct territory_custom {
	char *id;	/* owned: NAME of custom:NAME */
	char *label;	/* owned: display name */
	size_t *member; /* owned: indexes in geo.com */
	size_t nmember, alloc_member;
};

struct territory {
	enum territory_type type;
	char code[TERRITORY_ID_MAX + 8]; /* canonical typed code: "com:38185" */
	const char *name;		 /* borrowed from the geography or custom */
	size_t index; /* in the geo table of its type; GEO_NONE for fr, custom and
		       * the zones (found by code in the zonages) */
	const struct territory_custom *custom; /* borrowed, TERRITORY_CUSTOM only */
	size_t from; /* a former commune's code was given: its index; else GEO_NONE */
	int tncc;    /* INSEE's type de nom en clair of the name, -1 unknown */
};

/* Syntax only, no lookup: a commune code (5 digits, or 2A / 2B and 3
 * digits), a département code ("38", "2A", "974"), and the code of an
 * arrondissement municipal of Paris (75101-75120), Lyon (69381-69389) or
 * Marseille (13201-13216), for sources that publish them beside their
 * city and are read without the geography. */
bool territory_commune_syntax(const char *s);
bool territory_dep_syntax(const char *s);
bool territory_plm_arrondissement(const char *code);

/* Parse the syntax of s.  A malformed code is TERRAIN_EUSAGE with a message
 * that quotes s and shows the expected forms. */
enum status territory_parse(const char *s, struct territory_code *out, struct error *err);

/* Resolve a parsed code.  A former commune resolves to its successor (with
 * out->from set); arm: needs an arrondissement code, com: a commune code.
 * Unknown codes are TERRAIN_ENOTFOUND with a message that says what is
 * unknown, and so are INSEE's codes for the communes outside any unité
 * urbaine ("38000") or aire d'attraction ("000").  A zone reads the whole
 * zonages table through g (geo_zonages_get; its errors are returned).
 * customs (may be NULL when ncustom is 0) are borrowed. */
enum status territory_resolve(const struct geo *g, const struct territory_code *tc,
			      const struct territory_custom *customs, size_t ncustom,
			      struct territory *out, struct error *err);

/* Parse and resolve. */
enum status territory_lookup(const struct geo *g, const char *s,
			     const struct territory_custom *customs, size_t ncustom,
			     struct territory *out, struct error *err);

/* La Poste's postcode code (geo.h, struct geo_postcode): the count of its
 * entries, from *first (borrowed from g), one per commune or arrondissement
 * it serves, in code order; 0 when no commune has it. */
size_t territory_postcode(const struct geo *g, const char *code, const struct geo_postcode **first);

/* s, a commune code as a user typed it (bare, com: or arm:), when it is
 * also the postcode of other communes: appends to msg, for the caller to
 * warn with, and returns true:
 *   59100 is Bousignies (INSEE code); 59100 is also the postcode of Roubaix
 *   (59512): if you meant Roubaix, write 59512
 * ("... of A (1), B (2) and C (3): if you meant one of them, write its INSEE
 * code" for several).  False, msg untouched, for any other code.  A code
 * that is only a postcode is an error of territory_resolve instead:
 *   "75001" is a postcode, not an INSEE commune code: the postcode of Paris
 *   (75056) and Paris 1er Arrondissement (75101); write the INSEE code of the
 *   one you mean */
bool territory_postcode_warning(const struct geo *g, const char *s, struct strbuf *msg);

/* The département a commune code or a postcode starts with, into out: its
 * first 3 characters overseas ("97411": "974"), else its first 2
 * ("38185": "38", "2A004": "2A"); "" for a code shorter than that. */
void territory_dep_prefix(const char *code, char out[4]);

/* The communes whose counts add up to the territory: current communes for
 * an EPCI, département, région, France, a custom territory or a zone (those
 * of COG 2026 whose row in the zonages names it: a commune formed in 2025
 * of 2024 communes of different zones is in none); the
 * arrondissements of Paris, Lyon or Marseille; none for another commune
 * or an arrondissement.  Returns the count; *out is returned owned (free
 * with free()), sorted by code. */
size_t territory_members(const struct geo *g, const struct territory *t, size_t **out);

/* The rows whose values add up to the territory's: itself for a commune or
 * an arrondissement (a city's own row already covers its arrondissements),
 * its members otherwise.  Same contract as territory_members. */
size_t territory_units(const struct geo *g, const struct territory *t, size_t **out);

/* Default references: for a commune its EPCI, zone d'emploi (read through
 * geo_zonages_get: one row; when that fails, a warning and no zone),
 * département, région and France; for an arrondissement its commune first;
 * for an EPCI, a custom territory or a zone the département and région
 * holding most of its population (COG GEO_COG_LAST); then up to France.
 * Collectivités d'outre-mer have no "France" reference.  Returns the count
 * written to out (at most TERRITORY_MAX_REFS). */
size_t territory_references(const struct geo *g, const struct territory *t,
			    struct territory out[TERRITORY_MAX_REFS]);

/* "commune", "arrondissement municipal", "EPCI", "département", "région",
 * "France", "custom territory", "zone d'emploi", "bassin de vie", "unité
 * urbaine", "aire d'attraction des villes". */
const char *territory_type_label(enum territory_type type);

/* Build a territory for a table row (no lookup by code). */
void territory_of_commune(const struct geo *g, size_t i, struct territory *out);
void territory_of_epci(const struct geo *g, size_t i, struct territory *out);
void territory_of_dep(const struct geo *g, size_t i, struct territory *out);
void territory_of_reg(const struct geo *g, size_t i, struct territory *out);
void territory_of_france(struct territory *out);
/* A zone of z at level (its index i in z->zone[level]); g gives its name's
 * article.  Borrows z's name. */
void territory_of_zone(const struct geo *g, const struct geo_zonages *z, enum geo_zonage level,
		       size_t i, struct territory *out);

/* The zonage level of a zone type, GEO_NZONAGE for any other type. */
enum geo_zonage territory_zonage(enum territory_type type);

#endif
