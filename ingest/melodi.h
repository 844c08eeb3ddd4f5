/* INSEE Melodi (https://api.insee.fr/melodi): census populations, activity
 * and unemployment, and Filosofi poverty, as JSON.
 *
 * The plan asks /data/{DS}?GEO=...&{DIM}={code}...&maxResult=100000 for
 * four datasets; the parser turns a data response into observations.  No
 * I/O here (source.h). */
#ifndef TERRAIN_MELODI_H
#define TERRAIN_MELODI_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "source.h"

/* The datasets melodi_plan asks for. */
#define MELODI_POPREF	"DS_POPULATIONS_REFERENCE" /* reference population, PMUN */
#define MELODI_RP_POP	"DS_RP_POPULATION_PRINC"   /* census population by sex and age */
#define MELODI_RP_EMP	"DS_RP_EMPLOI_LR_PRINC"	   /* census activity and unemployment */
#define MELODI_FILOSOFI "DS_FILOSOFI_CC"	   /* poverty rate, median standard of living */

/* A source_plan_fn.  For t add four GET requests (SOURCE_JSON, territory
 * t->code, dataset the DS id), in this order:
 *   DS_POPULATIONS_REFERENCE  POPREF_MEASURE=PMUN
 *   DS_RP_POPULATION_PRINC    RP_MEASURE=POP (every SEX and AGE)
 *   DS_RP_EMPLOI_LR_PRINC     AGE=Y15T64, SEX=_T, EDUC=_T, EMPSTA_ENQ=1T2, 2 and 1
 *   DS_FILOSOFI_CC            FILOSOFI_MEASURE=PR_MD60 and MED_SL
 * URL: base "/data/" DS "?GEO=" level "&" filters "&maxResult=100000", the
 * GEO level being COM-, ARM-, DEP-, REG-, EPCI- followed by the code, or
 * FRANCE-F.  DS_POPULATIONS_REFERENCE has no EPCI level: an EPCI asks for
 * its member communes (GEO=EPCI-{siren}%2ACOM) and the caller sums them.
 * A custom territory adds nothing.  base is borrowed (no final '/'); g is
 * not used.  Never fails. */
enum status melodi_plan(const char *base, const struct geo *g, const struct territory *t,
			struct source_plan *plan, struct error *err);

/* A source_parse_fn for a Melodi data response: one observation per
 * element of "observations", appended to out->obs.
 *   territory  from GEO "2025-COM-44109": "com:44109", cog "2025" (levels
 *              COM, ARM, EPCI, DEP, REG -> com:, arm:, epci:, dep:, reg:;
 *              FRANCE-F -> "fr", FRANCE-M -> "frm"; ZE2020, ARR, UU2020,
 *              AAV2020, BV2022 -> ze:, arr:, uu:, aav:, bv:)
 *   indicator  "melodi." DS "." then the dimensions other than GEO,
 *              TIME_PERIOD, FREQ and UNIT_MEASURE as NAME=VALUE, sorted by name, joined
 *              by "." ("melodi.DS_POPULATIONS_REFERENCE.POPREF_MEASURE=PMUN")
 *   period     TIME_PERIOD
 *   value      the "value" of the first measure; null or absent: OBS_MISSING
 *   status     CONF_STATUS "C": OBS_SECRET; else OBS_MISSING as above; else
 *              OBS_STATUS "P": OBS_PROVISIONAL; else OBS_FINAL
 *   unit       UNIT_MEASURE (dimension or attribute) as Melodi codes it
 *              ("EUR_YR"), else "persons" for DS_POPULATIONS_REFERENCE and
 *              DS_RP_*, else ""
 *   source "melodi", dataset req->dataset, vintage "".
 * out->next is set to paging.next when it is a non-empty absolute http(s)
 * URL, and emptied otherwise.  Errors (TERRAIN_EDATA) start with req->url:
 * "URL: invalid JSON at line L, column C: ...", "URL: \"observations\" is
 * missing (expected a Melodi data response)", or "URL: observations[I]...:"
 * followed by what is wrong (an unknown GEO level, an indicator id longer
 * than OBS_INDICATOR_MAX - 1, a value that is not a number...). */
enum status melodi_parse(const struct source_request *req, const char *body, size_t len,
			 struct source_result *out, struct error *err);

#endif
