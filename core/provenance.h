/* Where a number comes from: every bundled file and every fetched payload
 * carries one.  Loaded from datasets/sources.csv for bundled files. */
#ifndef TERRAIN_PROVENANCE_H
#define TERRAIN_PROVENANCE_H

struct provenance {
	char *file;	 /* dataset file, relative to the datasets folder */
	char *source;	 /* producer: "INSEE", "Etalab / INSEE" */
	char *dataset;	 /* the publication, as the producer names it */
	char *vintage;	 /* its edition: "RP 2021", "COG 2021-2026" */
	char *geography; /* COG year of its codes: "2024" */
	char *url;	 /* where it was obtained */
	char *licence;
	char *retrieved; /* ISO date */
	char *cite_fr;	 /* how a French study cites it: "Insee, recensement 2021" ("" unknown) */
	char *cite_en;	 /* the same in English */
};

void provenance_release(struct provenance *p);

#endif
