/* INSEE BDM (https://bdm.insee.fr): the "taux de chômage localisé"
 * (quarterly unemployment rate, seasonally adjusted) of France, its
 * régions and départements, as SDMX-ML 2.1 StructureSpecificData.
 *
 * A series is asked by its idbank; the table datasets/bdm/idbanks.csv maps
 * each REF_AREA ("D38", "R84", "FM", "FR-D976") to its idbank.  No I/O here
 * but the table's loader (source.h). */
#ifndef TERRAIN_BDM_H
#define TERRAIN_BDM_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

#define BDM_INDICATOR "bdm.taux_chomage_localise"

struct bdm_idbank {
	char idbank[16];   /* "001515903" (digits, leading zeros kept) */
	char ref_area[16]; /* "D38", "D2A", "R84", "FM" (métropole), "FR-D976" (hors Mayotte) */
	char title[160]; /* title_fr, e.g. "Taux de chômage localisé par département - Isère" */
};

struct bdm_idbanks {
	struct bdm_idbank *v;
	size_t n, alloc;
};

#define BDM_IDBANKS_INIT   \
	{                  \
		NULL, 0, 0 \
	}

/* Load the table at path (';' CSV, UTF-8, '#' lines before the header
 * allowed, columns idbank;ref_area;title_fr) into *out, which must be
 * empty (BDM_IDBANKS_INIT).  An idbank that is not 1-15 digits, a
 * REF_AREA bdm_parse would not understand, or a REF_AREA or idbank listed
 * twice is TERRAIN_EDATA with file:line:column; an unreadable file
 * TERRAIN_EIO.  On error *out is left empty. */
enum status bdm_idbanks_load(const char *path, struct bdm_idbanks *out, struct error *err);

void bdm_idbanks_release(struct bdm_idbanks *ids);

/* The row for ref_area ("D38", exact, case-sensitive), or NULL; borrowed
 * from ids. */
const struct bdm_idbank *bdm_idbanks_find(const struct bdm_idbanks *ids, const char *ref_area);

/* A source_plan_fn with the idbank table (borrowed): for a département
 * (D + code), a région (R + code) or France (the "France hors Mayotte"
 * series FR-D976), one GET request base "/series/sdmx/data/SERIES_BDM/"
 * idbank, SOURCE_XML, dataset the idbank, territory t->code.  Communes,
 * arrondissements, EPCI, custom territories and areas the table lacks
 * (Mayotte, the régions d'outre-mer) add nothing: the caller asks for
 * their references.  Never fails. */
enum status bdm_plan(const char *base, const struct bdm_idbanks *ids, const struct geo *g,
		     const struct territory *t, struct source_plan *plan, struct error *err);

/* A source_parse_fn for an SDMX StructureSpecificData message: one
 * observation per <Obs> of each <Series> of each <DataSet> (elements
 * matched by local name, namespaces ignored; attributes by name).
 *   territory  REF_AREA D38 -> "dep:38", R84 -> "reg:84", FR-D976 -> "fr",
 *              FM -> "frm"; cog ""
 *   indicator  BDM_INDICATOR; unit "percent" (a UNIT_MEASURE other than
 *              POURCENT is an error); source "bdm"; dataset the IDBANK;
 *              vintage LAST_UPDATE ("2026-06-19", "" when absent)
 *   period     TIME_PERIOD ("2026-Q1"); value OBS_VALUE, a '.' decimal
 *   status     OBS_VALUE absent, "" or "NaN": OBS_MISSING (NAN); else
 *              OBS_STATUS or OBS_QUAL "SD": OBS_PROVISIONAL; else OBS_REV
 *              "1": OBS_REVISED; else OBS_FINAL.
 * The document is parsed with no network access, no DTD and no entity
 * expansion; a DOCTYPE is refused.  Errors (TERRAIN_EDATA) start with
 * req->url: "URL: invalid XML at line L, column C: <libxml2's message>",
 * or "URL: line L: " followed by the element, the attribute and what is
 * wrong ("<Obs TIME_PERIOD=\"2026-Q1\"> OBS_VALUE \"6,6\" is not a number"). */
enum status bdm_parse(const struct source_request *req, const char *body, size_t len,
		      struct source_result *out, struct error *err);

/* The series bundled in datasets/bdm/taux_chomage_localise.csv (columns
 * idbank;ref_area;period;value;obs_status;obs_qual, '#' lines first) as
 * observations appended to out: territory, indicator and statuses as
 * bdm_parse gives them (OBS_REV is not in the file: no "revised"), source
 * "bdm", dataset the idbank, unit "percent".  Errors name file:line:column. */
enum status bdm_series_load(const char *path, struct obs_list *out, struct error *err);

#endif
