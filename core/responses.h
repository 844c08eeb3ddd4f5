/* The responses a social diagnosis points to, by theme
 * (datasets/responses/responses.csv, written by hand with a legal source
 * for every row): who is concerned and which family of responses and
 * dispositifs answer an unfavourable finding.  Loaded by
 * ingest/responses.c; pure data here. */
#ifndef TERRAIN_RESPONSES_H
#define TERRAIN_RESPONSES_H

#include <stddef.h>

#include "catalogue.h"

struct response {
	enum indicator_theme theme;
	char *public_fr, *public_en;   /* owned: "personnes éloignées de l'emploi" */
	char *family_fr, *family_en;   /* owned: "insertion par l'activité économique" */
	char *schemes_fr, *schemes_en; /* owned: the dispositifs, "IAE (ACI, EI, ETTI, AI)" */
	char *source_fr, *source_en;   /* owned: "Code du travail, art. L5132-1" */
	char *url;		       /* owned: the text or the official page, https:// */
	unsigned long line;	       /* in the file */
};

struct responses {
	struct response *v;
	size_t n, alloc;
};

/* Free everything; a zeroed struct responses may be released too. */
void responses_release(struct responses *r);

#endif
