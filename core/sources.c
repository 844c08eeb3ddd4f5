#include "sources.h"

#include <string.h>

/* Documented limits: Melodi 30 a minute, les emplois 12 a minute; BDM is
 * undocumented (30 as pynsee assumes); the others one a second. */
const struct source_info source_table[SOURCE_COUNT] = {
    [SOURCE_GEO] = {"geo", "TERRAIN_GEO_URL", "https://geo.api.gouv.fr", 60, false,
		    "geo.api.gouv.fr: communes, their EPCI, département, région, population", NULL},
    [SOURCE_MELODI] = {"melodi", "TERRAIN_MELODI_URL", "https://api.insee.fr/melodi", 30, false,
		       "INSEE Melodi: populations, activity, unemployment, poverty (Filosofi)",
		       NULL},
    [SOURCE_BDM] = {"bdm", "TERRAIN_BDM_URL", "https://bdm.insee.fr", 30, false,
		    "INSEE BDM: localized ILO unemployment rate by quarter", NULL},
    [SOURCE_DARES] = {"dares", "TERRAIN_DARES_URL", "https://data.dares.travail-emploi.gouv.fr", 60,
		      false, "DARES: jobseekers category ABC by commune and by zone d'emploi",
		      NULL},
    [SOURCE_CAF] = {"caf", "TERRAIN_CAF_URL", "https://data.caf.fr", 60, false,
		    "CAF: households receiving RSA, prime d'activité and other benefits", NULL},
    [SOURCE_FRANCETRAVAIL] = {"francetravail", "TERRAIN_FRANCETRAVAIL_URL",
			      ("https://api.francetravail.io/partenaire/"
			       "stats-offres-demandes-emploi/v1"), /* parenthesised: one string */
			      60, true, "France Travail: jobseekers by category, quarterly", NULL},
    [SOURCE_SIAE] = {"siae", "TERRAIN_SIAE_URL", "https://emplois.inclusion.beta.gouv.fr", 12,
		     false, "les emplois de l'inclusion: the insertion structures (SIAE)", NULL},
    [SOURCE_INCLUSION] = {"inclusion", "TERRAIN_INCLUSION_URL",
			  "https://api.data.inclusion.gouv.fr", 60, false,
			  "data·inclusion: the structures of social and professional insertion "
			  "(token in TERRAIN_INCLUSION_TOKEN)",
			  "TERRAIN_INCLUSION_TOKEN"},
};

int source_find(const char *key)
{
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		if (!strcmp(source_table[k].key, key))
			return (int)k;
	return -1;
}

void source_list_keys(struct strbuf *sb)
{
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		strbuf_addf(sb, "%s%s",
			    k == 0		    ? ""
			    : k + 1 == SOURCE_COUNT ? " or "
						    : ", ",
			    source_table[k].key);
}
