/* France Travail, API "Marché du travail" (stats-offres-demandes-emploi
 * v1): jobseekers by category (CATCAND) and quarter for the départements,
 * the régions and France.  OAuth2 client credentials: POST the token body
 * to FRANCETRAVAIL_TOKEN_URL, then send "Authorization: Bearer TOKEN".
 *
 * No response of this API was recorded: the field names come from public
 * client code and the parser's tests run on payloads constructed from them
 * (tests/fixtures/http/francetravail/PROVENANCE.md).  No I/O here
 * (source.h). */
#ifndef TERRAIN_FRANCETRAVAIL_H
#define TERRAIN_FRANCETRAVAIL_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/strbuf.h"
#include "../core/territory.h"
#include "source.h"

#define FRANCETRAVAIL_BASE "https://api.francetravail.io/partenaire/stats-offres-demandes-emploi/v1"
#define FRANCETRAVAIL_TOKEN_URL \
	"https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=/partenaire"
#define FRANCETRAVAIL_SCOPE   "api_stats-offres-demandes-emploiv1 offresetdemandesemploi"
#define FRANCETRAVAIL_DATASET "stat-demandeurs"

/* A source_plan_fn.  One POST (SOURCE_JSON, dataset FRANCETRAVAIL_DATASET,
 * territory t->code) to base "/indicateur/stat-demandeurs" with the body
 *   {"codeTypeTerritoire":"DEP","codeTerritoire":"38",
 *    "codeTypeActivite":"CUMUL","codeActivite":"CUMUL",
 *    "codeTypePeriode":"TRIMESTRE","codeTypeNomenclature":"CATCAND",
 *    "dernierePeriode":false}
 * (on one line): DEP and the code for a département, REG for a région,
 * NAT and "FR" for France.  Communes, arrondissements, EPCI and custom
 * territories add nothing.  base and t are borrowed; g is not used.
 * Fails (TERRAIN_EIO) only when jansson cannot allocate the body. */
enum status francetravail_plan(const char *base, const struct geo *g, const struct territory *t,
			       struct source_plan *plan, struct error *err);

/* A source_parse_fn for a stat-demandeurs response.  Each element of
 * "listeValeursParPeriode" gives one observation, and one more per
 * element of its "listeValeurParCaract", appended to out->obs:
 *   territory  from codeTypeTerritoire and codeTerritoire: DEP -> "dep:38",
 *              REG -> "reg:84", NAT -> "fr"
 *   indicator  "francetravail.demandeurs.cat_" codeNomenclature ("..cat_A",
 *              "..cat_ABC"), then ".act_" codeActivite when the activity is
 *              not "CUMUL", then, for a characteristic,
 *              "." codeTypeCaract "=" codeCaract ("..cat_A.GENRE=1")
 *   period     codePeriode: "2025T4", "2025-T4", "2025Q4" or "2025-Q4" ->
 *              "2025-Q4"; "2025" -> "2025"; "202512" or "2025-12" ->
 *              "2025-12"
 *   value      valeurPrincipaleNombre (a characteristic: nombre), status
 *              OBS_FINAL; null or absent: OBS_MISSING; a characteristic
 *              whose "masque" is true, 1, "O", "OUI", "true" or "1": OBS_SECRET
 *              (value NAN); "masque" false, 0, "", "N", "NON", "false", "0"
 *              or null: not masked
 *   unit "persons", source "francetravail", dataset req->dataset, cog "",
 *   vintage datMaj (the element's, else the response's) when it starts
 *   with a date YYYY-MM-DD or is DD/MM/YYYY, as YYYY-MM-DD, else "".
 * Codes that go into the indicator must be non-empty and hold only
 * letters, digits, '-' and '_'.  Errors (TERRAIN_EDATA) start with
 * req->url: "URL: invalid JSON at line L, column C: ...",
 * "URL: \"listeValeursParPeriode\" is missing (expected a stat-demandeurs
 * response)", "URL: listeValeursParPeriode[I]: codePeriode \"T4\" is not
 * a quarter, month or year", "URL: listeValeursParPeriode[I]:
 * listeValeurParCaract[J]: ...".  On error out->obs is left as it was. */
enum status francetravail_parse(const struct source_request *req, const char *body, size_t len,
				struct source_result *out, struct error *err);

/* The x-www-form-urlencoded body of the token request into out (reset
 * first): "grant_type=client_credentials&client_id=ID&client_secret=SECRET
 * &scope=SCOPE", each value percent-encoded (RFC 3986 unreserved
 * characters kept, a space as %20).  The body holds the secret: never log
 * it. */
void francetravail_token_body(const char *id, const char *secret, const char *scope,
			      struct strbuf *out);

/* Read the token endpoint's JSON answer (len bytes of body): the
 * access_token into token (reset first) and expires_in (seconds, a number
 * or a string of digits; 0 when absent) into *expires_in.  The token must
 * be 1 to 8192 visible ASCII characters (it goes into an HTTP header);
 * token_type, when present, must be "Bearer" (any case).  An OAuth2 error
 * answer names its standard error code ("invalid_client"...).  Errors are
 * TERRAIN_EDATA and start with "france travail token response: "; they
 * never quote the body, which may echo the secret: "... invalid JSON at
 * line L, column C", "... no access_token", "... error
 * \"invalid_client\"".  On error token is empty and *expires_in 0. */
enum status francetravail_parse_token(const char *body, size_t len, struct strbuf *token,
				      long *expires_in, struct error *err);

#endif
