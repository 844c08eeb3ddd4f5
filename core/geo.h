/* The official geography (COG) in memory: communes and municipal
 * arrondissements of the current vintage, the codes of former communes with
 * the commune they are now part of, EPCI, départements and régions, and the
 * population each COG package of 2021-2026 carries for each code.
 *
 * Codes are text everywhere ("01039", "2A004"): leading zeros and the
 * Corsican 2A/2B are kept.  Tables are sorted by code; indexes into them are
 * size_t, GEO_NONE when absent.  Filled by ingest/geodata.c; pure data and
 * lookups here, no I/O. */
#ifndef TERRAIN_GEO_H
#define TERRAIN_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define GEO_COG_FIRST	 2021
#define GEO_COG_LAST	 2026 /* the current vintage: every code is converted to it */
#define GEO_COG_LAST_STR "2026"
#define GEO_NCOG	 (GEO_COG_LAST - GEO_COG_FIRST + 1)
#define GEO_NONE	 ((size_t)-1)

enum geo_kind {
	GEO_COM,    /* commune of the current vintage */
	GEO_ARM,    /* arrondissement municipal of Paris, Lyon or Marseille */
	GEO_FORMER, /* code of a commune that no longer exists: see successor */
};

enum geo_zone {
	GEO_ZONE_METRO, /* France métropolitaine */
	GEO_ZONE_DROM,	/* départements and régions d'outre-mer */
	GEO_ZONE_COM,	/* collectivités d'outre-mer: not part of "France" in INSEE's statistics */
};

struct geo_commune {
	char code[6];
	char dep[4];
	char reg[4];
	enum geo_kind kind;
	char *name;	    /* owned; "" when no file names a former code */
	char *former_names; /* owned; "2021-2023 Les Hauts-Talican|..." or "" */
	signed char tncc;   /* INSEE's type de nom en clair (article), -1 unknown */
	size_t epci;	    /* GEO_COM: index in geo.epci, or GEO_NONE */
	size_t city;	    /* GEO_ARM: index of its commune; else GEO_NONE */
	size_t successor;   /* GEO_FORMER: index of the current commune it is part
			     * of; GEO_NONE when the files name none */
	char delegated;	    /* GEO_FORMER: 'd' commune déléguée, 'a' associée, 0 neither */
	int first_cog;	    /* first and last COG year (2021-2026) listing the code */
	int last_cog;	    /* as a commune; 0 when no package of 2021-2026 does */
	long pop[GEO_NCOG]; /* population carried by each package, -1 if none */
	size_t dep_index;   /* index in geo.dep, or GEO_NONE */
};

struct geo_epci {
	char code[10]; /* SIREN */
	char *name;    /* owned */
	char type[8];  /* CC, CA, CU, METRO, MET69 */
};

struct geo_dep {
	char code[4];
	char *name; /* owned */
	char reg[4];
	char chef_lieu[6];
	enum geo_zone zone;
	signed char tncc; /* INSEE's type de nom en clair (charnière), -1 unknown */
	size_t reg_index;
};

struct geo_reg {
	char code[4];
	char *name; /* owned */
	char chef_lieu[6];
	enum geo_zone zone;
	signed char tncc; /* INSEE's type de nom en clair (charnière), -1 unknown */
};

/* A postcode of La Poste and one commune (or arrondissement) it serves, as
 * the COG package carries them (codesPostaux): a postcode may serve several
 * communes, a commune have several postcodes, and a postcode be another
 * commune's INSEE code (postcode 59100 is Roubaix 59512; INSEE code 59100
 * is Bousignies). */
struct geo_postcode {
	char code[6]; /* "59100" */
	size_t com;   /* index in geo.com */
};

struct geo {
	struct geo_commune *com;
	size_t ncom, alloc_com;
	struct geo_epci *epci;
	size_t nepci, alloc_epci;
	struct geo_dep *dep;
	size_t ndep, alloc_dep;
	struct geo_reg *reg;
	size_t nreg, alloc_reg;
	struct geo_postcode *postcode; /* sorted by code, then commune; empty when
					* communes.csv has no postcodes column */
	size_t npostcode, alloc_postcode;
	struct geo_zonages_lazy *zonages; /* owned: how to reach the zonages (geo_zonages_get);
					   * NULL until geo_zonages_attach */
};

void geo_init(struct geo *g);
void geo_release(struct geo *g);

/* Lookups by code (exact, text); GEO_NONE when absent.  The tables must be
 * sorted (geo_link checks it). */
size_t geo_commune_find(const struct geo *g, const char *code);
size_t geo_epci_find(const struct geo *g, const char *code);
size_t geo_dep_find(const struct geo *g, const char *code);
size_t geo_reg_find(const struct geo *g, const char *code);

/* Check the tables are sorted without duplicates and resolve dep_index and
 * reg_index.  Errors name the table and code. */
enum status geo_link(struct geo *g, struct error *err);

/* Index of the current commune that holds the data a source of an older
 * COG vintage gives for code: the code itself when it still exists (commune
 * or arrondissement), its successor when it has merged.  GEO_NONE when the code is unknown.
 * *merged (if not NULL) tells whether the code was converted. */
size_t geo_convert(const struct geo *g, const char *code, bool *merged);

/* The zone of a commune, from its département (GEO_ZONE_COM when the
 * département is unknown). */
enum geo_zone geo_commune_zone(const struct geo *g, size_t i);

/* Names a code had in earlier packages: former_names is "RUN|RUN...", each
 * RUN "YEAR NAME" or "YEAR-YEAR NAME" (e.g. "2021-2023 Les Hauts-Talican").
 * geo_former_names_valid checks the syntax (years in GEO_COG_FIRST ..
 * GEO_COG_LAST, not decreasing, non-empty names).  geo_former_name finds
 * the name for year: true with *name, *len borrowed from the string. */
bool geo_former_names_valid(const char *former_names);
bool geo_former_name(const char *former_names, int year, const char **name, size_t *len);

/* For a current commune: true when it first appears after GEO_COG_FIRST
 * without taking over a code that disappeared the same year, that is,
 * when it was created by a split of a commune the files do not name. */
bool geo_commune_split_created(const struct geo *g, size_t i);

/* ---- zonages: INSEE's study zones of each commune -------------------------
 * From INSEE's table d'appartenance géographique des communes 2024
 * (datasets/geo/zonages.csv and zonages_zones.csv, loaded by
 * ingest/geodata.c apart from the rest, when a command needs them). */

enum geo_zonage {
	GEO_ZE,	 /* zone d'emploi 2020 */
	GEO_BV,	 /* bassin de vie 2022 (coded by its chef-lieu commune) */
	GEO_UU,	 /* unité urbaine 2020: a code ending in "000" is outside any */
	GEO_AAV, /* aire d'attraction des villes 2020: "000" is outside any */
	GEO_NZONAGE
};

/* A commune's place in its aire d'attraction: INSEE's CATEAAV2020 codes. */
enum geo_aav_category {
	GEO_AAV_UNKNOWN = 0,  /* not in the bundle */
	GEO_AAV_CENTRE = 11,  /* commune-centre */
	GEO_AAV_POLE = 12,    /* autre commune du pôle principal */
	GEO_AAV_POLE2 = 13,   /* commune d'un pôle secondaire */
	GEO_AAV_CROWN = 20,   /* commune de la couronne */
	GEO_AAV_OUTSIDE = 30, /* commune hors attraction des villes */
};

struct geo_zonage_zone {
	char code[6];  /* "8409", "38185", "38701", "014" */
	char *name;    /* owned: INSEE's name, "Grenoble" */
	long communes; /* its communes in the COG 2024 table */
};

struct geo_zonage_row {
	char code[6];		  /* the commune or arrondissement, COG 2026 */
	size_t zone[GEO_NZONAGE]; /* index in geo_zonages.zone[level]; GEO_NONE when
				   * the COG 2024 communes it is made of differ */
	enum geo_aav_category category;
	char *cog2024; /* owned: "17268|17334", the COG 2024 communes it
			* is made of when not only itself, else "" */
};

struct geo_zonages {
	struct geo_zonage_row *row; /* sorted by code */
	size_t nrow, alloc_row;
	struct geo_zonage_zone *zone[GEO_NZONAGE]; /* each sorted by code */
	size_t nzone[GEO_NZONAGE], alloc_zone[GEO_NZONAGE];
};

void geo_zonages_init(struct geo_zonages *z);
void geo_zonages_release(struct geo_zonages *z);

/* The row of a commune or arrondissement (code of COG 2026), or GEO_NONE
 * (a collectivité d'outre-mer, a commune recreated after 2024). */
size_t geo_zonages_find(const struct geo_zonages *z, const char *code);
size_t geo_zone_find(const struct geo_zonages *z, enum geo_zonage level, const char *code);

/* "zone d'emploi 2020", "bassin de vie 2022", "unité urbaine 2020", "aire
 * d'attraction des villes 2020" (static strings, INSEE's terms). */
const char *geo_zonage_label(enum geo_zonage level);

/* INSEE's label of a category ("Commune-centre", "Commune de la couronne",
 * "Commune hors attraction des villes"...), NULL for GEO_AAV_UNKNOWN. */
const char *geo_aav_category_label(enum geo_aav_category c);

/* Is code, at level, INSEE's code for "outside any" (an unité urbaine
 * "..000", an aire d'attraction "000")? */
bool geo_zone_outside(enum geo_zonage level, const char *code);

/* One commune's zones, resolved. */
struct geo_zonage_of {
	const char *code[GEO_NZONAGE]; /* borrowed from the zonages; NULL: not in the bundle */
	const char *name[GEO_NZONAGE];
	int tncc[GEO_NZONAGE]; /* the name's type de nom en clair: that of a commune
				* of the same name, else read from its article */
	enum geo_aav_category category;
};

/* The type de nom en clair of a zone's name: that of a current commune of
 * the same name (INSEE names a zone after a commune), else read from its
 * article ("Le ", "La ", "Les ", "L'", "Aux ", a vowel). */
int geo_zone_name_tncc(const struct geo *g, const char *name);

/* Fill out for row i of z; g gives the names' articles. */
void geo_zonage_of(const struct geo_zonages *z, const struct geo *g, size_t i,
		   struct geo_zonage_of *out);

/* The zonages reached from a geography, read on first need so that the
 * commands that need none do not pay for them (core does no I/O: ingest
 * gives the loader).  A key asks for part of the table: the row of one
 * commune or arrondissement (commune, code of COG 2026) and its zones, or
 * the rows of one zone (commune NULL; level and zone) and the zones they
 * name.  load fills z (initialised) with that part, or with every row when
 * key is NULL; it releases z on error; ctx is borrowed and must outlive g. */
struct geo_zonages_key {
	const char *commune;
	enum geo_zonage level;
	const char *zone;
};
typedef enum status (*geo_zonages_load_fn)(const void *ctx, const struct geo_zonages_key *key,
					   struct geo_zonages *z, struct error *err);
void geo_zonages_attach(struct geo *g, geo_zonages_load_fn load, const void *ctx);

/* The zonages holding the part key asks for (never NULL here): *out
 * borrowed from g until geo_release.  Each part is read once and kept;
 * past GEO_ZONAGES_PARTS parts, or when the whole table is already read,
 * the whole table is used.  Thread-safe.  Errors: the loader's
 * (returned again by later calls for that part), or TERRAIN_ENOTFOUND
 * when no loader was attached. */
#define GEO_ZONAGES_PARTS 8
enum status geo_zonages_get(const struct geo *g, const struct geo_zonages_key *key,
			    const struct geo_zonages **out, struct error *err);

#endif
