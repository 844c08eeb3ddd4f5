/* The structures of data·inclusion (GIP Plateforme de l'inclusion), the
 * shared directory of who acts on social and professional insertion:
 * GET /api/v1/structures, a paged list {items, total, page, size, pages},
 * with a bearer token (core/sources.h).  A structure has no capacity;
 * its kind comes from its networks ("reseaux_porteurs": aci, ei,
 * mission-locale, france-travail...).  No I/O here (source.h). */
#ifndef TERRAIN_INCLUSION_H
#define TERRAIN_INCLUSION_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

#define INCLUSION_BASE	  "https://api.data.inclusion.gouv.fr"
#define INCLUSION_DATASET "structures"
#define INCLUSION_PAGE	  1000 /* structures a page (the API allows 1 to 10 000) */

/* A source_plan_fn.  One GET (SOURCE_JSON, dataset INCLUSION_DATASET,
 * territory t->code):
 *   commune      base "/api/v1/structures?code_commune=CODE&size=1000"
 *   département  base "/api/v1/structures?code_departement=CODE&size=1000"
 *   région       base "/api/v1/structures?code_region=CODE&size=1000"
 * Other territories add nothing.  Never fails. */
enum status inclusion_plan(const char *base, const struct geo *g, const struct territory *t,
			   struct source_plan *plan, struct error *err);

/* The kind terrain groups a structure under (at most 7 bytes): the SIAE
 * kinds ACI, EI, AI, ETTI, EITI first, then GEIQ, EA, ESAT, FT (France
 * Travail), ML (Mission locale), CAPEMP (Cap emploi), PLIE, CCAS, DEP
 * (the départements' services), E2C (écoles de la deuxième chance),
 * EPIDE, else AUTRE: the first of nets[0..n) that has one. */
const char *inclusion_kind(const char *const *nets, size_t n);

/* A source_parse_fn for one page: one struct siae_structure per element of
 * "items", appended to out->siae:
 *   siret     "siret": 14 digits, or "" when null or empty
 *   name      "nom" (required; cut at a character boundary when too long)
 *   kind      inclusion_kind of "reseaux_porteurs" (an array of strings)
 *   postcode, city, insee  "code_postal", "commune", "code_insee"
 *   dep       the département of "code_insee" (2 characters, 3 for 97x)
 *   updated   "date_maj"
 * out->next is the same URL with page=PAGE+1 while "page" < "pages", else
 * empty.  Errors (TERRAIN_EDATA) start with req->url: "URL: invalid JSON
 * at line L, column C: ...", "URL: \"items\" is missing (expected a page
 * of data·inclusion structures)", "URL: items[I]: nom is missing or
 * empty"...  On error out->siae is left as it was and out->next is
 * empty. */
enum status inclusion_parse(const struct source_request *req, const char *body, size_t len,
			    struct source_result *out, struct error *err);

#endif
