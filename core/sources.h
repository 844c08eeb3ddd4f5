/* The source registry: one row per public source terrain fetches, in the
 * order it fetches them.  The project-file reader takes its [sources] keys
 * from it, the fetcher its default URLs, environment variables, rates and
 * authentication, the command line its --help and --source values, and the
 * messages their lists of names.
 *
 * This is the table's pure data: core/ may not name a parser, so the plan
 * and parse functions of each row are bound in ingest/fetch.c (one line per
 * row, checked there at compile time and by the tests).  Adding a source is
 * its module in ingest/, one row here and its binding line there. */
#ifndef TERRAIN_SOURCES_H
#define TERRAIN_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum source_id {
	SOURCE_GEO,
	SOURCE_MELODI,
	SOURCE_BDM,
	SOURCE_DARES,
	SOURCE_CAF,
	SOURCE_FRANCETRAVAIL,
	SOURCE_SIAE,
	SOURCE_INCLUSION,
	SOURCE_COUNT
};

struct source_info {
	const char *key;   /* name: [sources] key, --source value, "enabled" word, store source */
	const char *env;   /* environment variable overriding the base URL */
	const char *base;  /* default base URL, without a final '/' */
	double per_minute; /* requests a minute the source allows */
	bool oauth;	   /* needs France Travail's OAuth2 credentials */
	const char *help;  /* one line for --help: who publishes what */
	const char *token; /* environment variable holding the source's bearer token
			    * (sent as "Authorization: Bearer ..."), or NULL */
};

extern const struct source_info source_table[SOURCE_COUNT];

/* The index of the source called key, or -1. */
int source_find(const char *key);

/* Append the sources' keys to sb as "geo, melodi, ... or siae". */
void source_list_keys(struct strbuf *sb);

#endif
