/* DARES jobseekers registered at France Travail (demandeurs d'emploi en fin
 * de mois, DEFM), from two publications:
 *   - the Opendatasoft portal data.dares.travail-emploi.gouv.fr, dataset
 *     dares_defm_communales-brutes: communes, Q4 only (2015-T4 ..), raw,
 *     category ABC by sex and age band, counts rounded to a multiple of 5;
 *   - the quarterly zone d'emploi file on data.gouv.fr (1996-T1 ..), by
 *     category, sex, age band and length of registration.
 * Both are ';' CSV in UTF-8 with a byte-order mark.  No I/O here
 * (source.h). */
#ifndef TERRAIN_DARES_H
#define TERRAIN_DARES_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

#define DARES_BASE    "https://data.dares.travail-emploi.gouv.fr"
#define DARES_DATASET "dares_defm_communales-brutes"
/* The zone d'emploi file (about 11 MB): GET it whole, parse it with
 * dares_parse_ze. */
#define DARES_ZE_URL \
	"https://www.data.gouv.fr/api/1/datasets/r/d723d37a-811a-40d9-991c-c7b587e2e4fa"
#define DARES_ZE_DATASET "dares_defm_ze2020_trim_brut"

/* A source_plan_fn.  One GET of the whole CSV export (SOURCE_CSV, dataset
 * DARES_DATASET, territory t->code):
 *   base "/api/explore/v2.1/catalog/datasets/dares_defm_communales-brutes"
 *   "/exports/csv?delimiter=%3B&use_labels=false&where=" FILTER
 * FILTER, percent-encoded, is code_commune="CODE" for a commune or an
 * arrondissement (DARES publishes Paris, Lyon and Marseille both ways),
 * code_departement="CODE" for a département, code_region="CODE" for a
 * région.  EPCI, France and custom territories add nothing: the caller
 * sums communes or départements.  base and t are borrowed; g is not used.
 * Never fails. */
enum status dares_plan(const char *base, const struct geo *g, const struct territory *t,
		       struct source_plan *plan, struct error *err);

/* The request of the zone d'emploi file for a ze: territory: one GET of
 * url (DARES_ZE_URL unless the project or TERRAIN_DARES_ZE_URL says
 * otherwise), dataset DARES_ZE_DATASET, territory t->code, SOURCE_CSV.
 * The file holds every zone: two zones share the request, and its parse
 * stores them all.  Any other territory adds nothing.  Never fails. */
enum status dares_plan_ze(const char *url, const struct territory *t, struct source_plan *plan,
			  struct error *err);

/* A source_parse_fn for the commune export; a request of dataset
 * DARES_ZE_DATASET is the zone d'emploi file's, read as dares_parse_ze
 * reads it but for its fourth quarters only: the commune export has no
 * other, and a zone is compared with its communes on the same quarter
 * (the catalogue's "4e trimestre").  The header may use the
 * field names (use_labels=false) or the labels: date / "Date",
 * code_commune / "Code commune", categorie / "Catégorie", sexe / "Sexe",
 * tranche_d_age / "Tranche d'âge", nombre_de_demandeurs_d_emploi /
 * "Nombre de demandeurs d'emploi" are required; code_departement /
 * "Code département" and type_de_donnees / "Type de données" are read when
 * present.  One observation per data row, appended to out->obs:
 *   territory  "com:CODE" ("arm:CODE" for the 45 arrondissements of
 *              Paris, Lyon and Marseille, which DARES publishes beside
 *              the commune itself: never add both).  A row whose
 *              code_commune is "Total" is the aggregate of its
 *              code_departement and becomes "dep:CODE"; a "Total" row
 *              without a département code (a région or France total) is
 *              skipped.  Any other code that is not a commune code is an
 *              error.
 *   indicator  "dares.defm.cat_C.sexe_S.age_A" where C, S, A are the
 *              categorie, sexe and tranche_d_age values folded to
 *              lowercase ASCII words joined by '_' ("ABC" -> "abc",
 *              "Total" -> "total", "De 25 à 49 ans" -> "de_25_a_49_ans")
 *   period     "2024-Q4" from date "2024-T4"
 *   value      the count; status OBS_ROUNDED (DARES rounds to 5); an empty
 *              count is OBS_MISSING (NAN)
 *   unit "persons", source "dares", dataset req->dataset, cog and
 *   vintage "".
 * A type_de_donnees other than "Brutes" is an error (the indicator does not
 * say it).  Errors are TERRAIN_EDATA from the CSV reader with req->url as
 * the file name: "URL:LINE:COL: MESSAGE (column \"NAME\")", or
 * "URL:1: missing column \"code_commune\" in the header".  On error
 * out->obs is left as it was. */
enum status dares_parse(const struct source_request *req, const char *body, size_t len,
			struct source_result *out, struct error *err);

/* A source_parse_fn for the zone d'emploi file, whose header is
 * "Date;Code région;Région;Code zone d'emploi;Zone d'emploi;Type de données;
 * Catégorie;Sexe;Tranche d'âge;Ancienneté;Nombre de demandeurs d'emploi".
 * As dares_parse, with territory "ze:CODE" (the 4-digit ZE 2020 code; a
 * "Total" code is skipped) and the indicator followed by ".anc_L" for an
 * Ancienneté L other than "Total" (so the total rows share the commune
 * indicators' ids).  The
 * Ancienneté and Type de données columns are optional. */
enum status dares_parse_ze(const struct source_request *req, const char *body, size_t len,
			   struct source_result *out, struct error *err);

#endif
