/* CAF (Caisses d'allocations familiales) beneficiaries by commune, from
 * the Opendatasoft portal data.caf.fr, dataset s_ben_com_f "Toutes
 * prestations [Communal]": December snapshots, households (indfoy_*),
 * persons covered (indnbp_*) and the amounts paid for the month
 * (indmtt_*), CAF regime only, rounded by the publisher (households to a
 * multiple of 5, amounts to the nearest 100 euros).  Paris, Lyon and
 * Marseille are published by arrondissement only.  No I/O here
 * (source.h). */
#ifndef TERRAIN_CAF_H
#define TERRAIN_CAF_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

#define CAF_BASE    "https://data.caf.fr"
#define CAF_DATASET "s_ben_com_f"

/* A source_plan_fn.  One GET of the whole CSV export (SOURCE_CSV, dataset
 * CAF_DATASET, territory t->code):
 *   base "/api/explore/v2.1/catalog/datasets/s_ben_com_f"
 *   "/exports/csv?delimiter=%3B&use_labels=false&where=" FILTER
 * FILTER, percent-encoded, is numcomdo="CODE" for a commune or an
 * arrondissement; for Paris, Lyon and Marseille (which the CAF codes by
 * arrondissement) numcomdo="A1" OR numcomdo="A2" ... over the
 * arrondissements g lists (territory_members); startswith(numcomdo,"CODE")
 * for a département.  Régions, EPCI, France and custom territories add
 * nothing.  base, g and t are borrowed.  Never fails. */
enum status caf_plan(const char *base, const struct geo *g, const struct territory *t,
		     struct source_plan *plan, struct error *err);

/* A source_parse_fn for the export: ';' CSV (a BOM is skipped) with the
 * columns dtreffre and numcomdo, and any number of indfoy_*, indnbp_* and
 * indmtt_* columns (at least one); other columns (nomcom...) are ignored.
 * One observation per row and numeric column, appended to out->obs:
 *   territory  "com:CODE" from numcomdo ("arm:CODE" for the arrondissements
 *              of Paris, Lyon and Marseille); an empty numcomdo (the
 *              beneficiaries the CAF could not place) is skipped; another
 *              value that is not a commune code is an error
 *   indicator  "caf." and the column name ("caf.indfoy_rsa")
 *   period     "YYYY-MM" from dtreffre "2024-12", "202412" or "2024-12-31"
 *   unit       "households" (indfoy_), "persons" (indnbp_), "euros" (indmtt_)
 *   value      the number; status OBS_ROUNDED; empty: OBS_MISSING (NAN)
 *   source "caf", dataset req->dataset, cog and vintage "".
 * Errors are TERRAIN_EDATA from the CSV reader with req->url as the file
 * name ("URL:3:4: \"9 260\" is not a number (column \"indfoy_rsa\")",
 * "URL:1: missing column \"numcomdo\" in the header").  On error out->obs
 * is left as it was. */
enum status caf_parse(const struct source_request *req, const char *body, size_t len,
		      struct source_result *out, struct error *err);

#endif
