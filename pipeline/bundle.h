/* The bundled datasets, loaded: geography, the population of each COG
 * package and the census comparateur, converted to the current geography,
 * the localized unemployment series, the responses by theme,
 * with the provenance of every file (datasets/sources.csv). */
#ifndef TERRAIN_BUNDLE_H
#define TERRAIN_BUNDLE_H

#include <stddef.h>

#include "../analysis/indicators.h"
#include "../core/comtable.h"
#include "../core/error.h"
#include "../core/geo.h"
#include "../core/observation.h"
#include "../core/provenance.h"
#include "../core/qpv.h"
#include "../core/responses.h"

struct bundle {
	char *dir; /* owned: the datasets folder */
	struct geo geo;
	struct provenance *prov; /* owned, one per row of sources.csv */
	size_t nprov, alloc_prov;
	/* population carried by each COG package, in the current geography:
	 * variables pop_cog2021 .. pop_cog2026 */
	struct comtable pop_cog;
	/* INSEE comparateur (census 2021, COG 2024), in the current geography:
	 * variables named as in datasets/census/comparateur_communes.csv */
	struct comtable census;
	/* INSEE BDM localized unemployment rate by quarter of départements,
	 * régions and France (datasets/bdm/taux_chomage_localise.csv) */
	struct obs_list series;
	/* the responses by theme the note's "Pistes d'amélioration" draws from
	 * (datasets/responses/responses.csv, written by hand with a source for
	 * every row) */
	struct responses responses;
	/* what is loaded on first use (bundle_filosofi), so that commands
	 * that compute no indicator do not read it; owned */
	struct bundle_lazy *lazy;
};

/* Filosofi 2021 (INSEE) as published for communes, arrondissements and
 * EPCI (datasets/filosofi/filosofi_2021.csv), read on the first call and
 * kept in b until bundle_release: *out is borrowed from b.  Not
 * thread-safe.  A file that does not parse is an error naming
 * file:line:column, returned again by later calls. */
enum status bundle_filosofi(const struct bundle *b, const struct indicators_published **out,
			    struct error *err);

/* The same for the tables chained after Filosofi (out->next...): the age
 * structure of départements, régions and France (INSEE's estimates, the
 * régions and France summed from their départements), the NEET share of
 * EPCI and the local statistics of bassins de vie, published at those
 * levels only (indicators_published.level). */

/* The QPV 2024 and their communes (datasets/social/qpv_2024.csv), read on
 * the first call and kept in b: *out is borrowed from b.  Not
 * thread-safe.  Errors name file:line:column. */
enum status bundle_qpv(const struct bundle *b, const struct qpv_list **out, struct error *err);

/* Load everything from dir.  On error *b is released and err names the
 * file, line and column. */
enum status bundle_load(struct bundle *b, const char *dir, struct error *err);

/* The provenance of a dataset file (path relative to the datasets folder),
 * or NULL. */
const struct provenance *bundle_provenance(const struct bundle *b, const char *file);

/* Free everything; a zeroed struct bundle may be released too. */
void bundle_release(struct bundle *b);

/* Find the datasets folder: explicit (the --datadir option) if not NULL,
 * else $TERRAIN_DATADIR, else "datasets" beside the executable (the source
 * tree), else "../share/terrain/datasets" from the executable's folder (an
 * installed copy).  *out is returned owned (free with free()).  The error
 * lists the places tried. */
enum status bundle_find_dir(const char *explicit_dir, char **out, struct error *err);

#endif
