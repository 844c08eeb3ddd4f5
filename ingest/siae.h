/* Structures d'insertion par l'activité économique (SIAE) from the public
 * directory of les emplois de l'inclusion: GET /api/v1/siaes/, a Django
 * REST framework list, anonymous, throttled to 12 requests a minute.
 * The directory gives each structure's type, name, address and open job
 * descriptions ("postes"); it exposes no capacity (postes conventionnés,
 * ETP).  No I/O here (source.h). */
#ifndef TERRAIN_SIAE_H
#define TERRAIN_SIAE_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

#define SIAE_BASE    "https://emplois.inclusion.beta.gouv.fr"
#define SIAE_DATASET "siaes"
/* The search radius around a commune's centre, in km.  The API has no
 * "in this commune" filter: it takes a code_insee and a radius of 0 to 100
 * km, and a radius of 0 is refused or finds nothing (it only ever matches
 * the centre point).  10 km is the example of the API's documentation: a
 * commune's structures and those within easy reach. */
#define SIAE_RADIUS_KM 10

/* A source_plan_fn.  One GET (SOURCE_JSON, dataset SIAE_DATASET,
 * territory t->code):
 *   commune      base "/api/v1/siaes/?code_insee=CODE&distance_max_km=10"
 *   département  base "/api/v1/siaes/?departement=CODE"
 * Other territories add nothing (an EPCI or a région: ask its
 * départements).  base and t are borrowed; g is not used.  Never fails. */
enum status siae_plan(const char *base, const struct geo *g, const struct territory *t,
		      struct source_plan *plan, struct error *err);

/* A source_parse_fn for one page {count, next, previous, results[]}: one
 * struct siae_structure per element of results, appended to out->siae:
 *   siret      "siret": 14 digits, or "" when null or empty
 *   kind       "type" as given: ACI, EI, AI, ETTI, EITI, or another code
 *              of the directory (GEIQ, EA, EATT, OPCS); required
 *   name       "enseigne", else "raison_sociale", else ""
 *   postcode, city, dep  "code_postal", "ville", "departement" ("" if null)
 *   insee      "" (the directory gives no commune code)
 *   updated    "mis_a_jour_le" without its fraction of a second
 *              ("2024-03-05T10:22:33+01:00"), "" if null
 *   npositions the number of elements of "postes" (open job descriptions)
 * A name or city longer than its field is cut at a character boundary;
 * any other value that does not fit is an error.  out->next is set to
 * "next" when it is a non-empty absolute http(s) URL and emptied
 * otherwise.  Errors (TERRAIN_EDATA) start with req->url: "URL: invalid
 * JSON at line L, column C: ...", "URL: \"results\" is missing (expected a
 * page of the SIAE list)", "URL: results[I]: siret \"123\" is not 14
 * digits"...  On error out->siae is left as it was and out->next is
 * empty. */
enum status siae_parse(const struct source_request *req, const char *body, size_t len,
		       struct source_result *out, struct error *err);

#endif
