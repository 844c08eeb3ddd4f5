/* geo.api.gouv.fr (API Découpage administratif): communes as the API
 * describes them today, with their EPCI, département, région and
 * population municipale.  No authentication.  No I/O here (source.h). */
#ifndef TERRAIN_GEOAPI_H
#define TERRAIN_GEOAPI_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

#define GEOAPI_BASE	  "https://geo.api.gouv.fr"
#define GEOAPI_DATASET	  "communes"
#define GEOAPI_FIELDS	  "nom,code,codeEpci,codeDepartement,codeRegion,population"
#define GEOAPI_POPULATION "geo.population_municipale"

/* A source_plan_fn.  One GET (SOURCE_JSON, dataset GEOAPI_DATASET,
 * territory t->code), F being "fields=" GEOAPI_FIELDS:
 *   commune         base "/communes/CODE?F"
 *   arrondissement  base "/communes?code=CODE&type=arrondissement-municipal&F"
 *   EPCI            base "/epcis/CODE/communes?F"
 *   département     base "/departements/CODE/communes?F"
 *   région          base "/communes?codeRegion=CODE&F"
 *   France          base "/communes?F"
 * A custom territory adds nothing.  base and t are borrowed; g is not
 * used.  Never fails. */
enum status geoapi_plan(const char *base, const struct geo *g, const struct territory *t,
			struct source_plan *plan, struct error *err);

/* A source_parse_fn for a commune object or an array of them.  Each
 * commune is appended to out->communes (code required: 5 characters;
 * nom, codeEpci, codeDepartement, codeRegion "" and population -1 when
 * absent or null) and gives one observation in out->obs:
 *   territory  "com:CODE" ("arm:CODE" for the arrondissements of Paris,
 *              Lyon and Marseille)
 *   indicator  GEOAPI_POPULATION; unit "persons"; period "current" (the
 *              API serves today's figure and does not say its year)
 *   value      population; status OBS_FINAL, or OBS_MISSING (NAN) without
 *   source "geo", dataset req->dataset, cog and vintage "".
 * Errors (TERRAIN_EDATA) start with req->url: "URL: invalid JSON at line
 * L, column C: ...", "URL: expected a commune object or an array of
 * them", "URL: [I]: population is not a non-negative integer"... (no
 * "[I]: " for a single object).  On error out->communes and out->obs are
 * left as they were. */
enum status geoapi_parse(const struct source_request *req, const char *body, size_t len,
			 struct source_result *out, struct error *err);

#endif
