/* The store: a SQLite database of observations with their provenance, the
 * seam between ingest/ (which writes it) and analysis/ (which reads it).
 *
 * Tables (schema version STORE_SCHEMA_VERSION, recorded in meta):
 *   payloads      one row per distinct payload parsed: source, dataset, URL,
 *                 retrieval time, sha256 and size of the body
 *   observations  primary key (territory, indicator, period, source,
 *                 dataset): cog, value (NULL when secret or missing), unit,
 *                 status, vintage, payload id, first_seen, last_seen
 *   structures    SIAE directory entries (source, siret, name, ...)
 * The file is created on first use; an older schema is migrated, a newer one
 * refused.  Every write goes in one transaction: all of a payload's rows or
 * none.  Putting the same payload twice changes nothing but last_seen. */
#ifndef TERRAIN_STORE_H
#define TERRAIN_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "observation.h"

#define STORE_SCHEMA_VERSION 1

/* Where the rows of one put come from. */
struct store_payload {
	const char *source;  /* "melodi" */
	const char *dataset; /* "DS_FILOSOFI_CC" */
	const char *url;
	const char *retrieved; /* UTC "2026-11-29T02:14:00Z": when the body was fetched */
	const char *sha256;    /* of the body */
	size_t size;
	const char *seen; /* UTC: when the source last confirmed it (a 304); NULL: retrieved */
};

/* What a put did. */
struct store_stats {
	size_t inserted; /* new keys */
	size_t updated;	 /* existing keys whose value, status, unit or vintage changed */
	size_t unchanged;
};

struct store;

/* Open (creating it and its folder if needed) the database at path; *out
 * is returned owned: close with store_close(). */
enum status store_open(struct store **out, const char *path, struct error *err);
void store_close(struct store *s);

/* The default path: $TERRAIN_STORE, else $XDG_DATA_HOME/terrain/terrain.db,
 * else $HOME/.local/share/terrain/terrain.db.  Empty when none applies. */
void store_default_path(char *out, size_t cap);

/* Upsert n observations and ns structures (either may be 0) from one
 * payload in a single transaction.  stats may be NULL. */
enum status store_put(struct store *s, const struct store_payload *p, const struct observation *obs,
		      size_t n, const struct siae_structure *siae, size_t ns,
		      struct store_stats *stats, struct error *err);

/* A row as read back. */
struct store_row {
	struct observation obs;
	const char *url;       /* borrowed until the next row */
	const char *retrieved; /* borrowed until the next row */
};

/* Call fn for each observation whose territory equals territory (NULL: all)
 * and whose indicator starts with prefix (NULL: all), ordered by territory,
 * indicator, period, source, dataset.  fn returning non-zero stops. */
typedef int (*store_row_fn)(const struct store_row *row, void *arg);
enum status store_each(struct store *s, const char *territory, const char *prefix, store_row_fn fn,
		       void *arg, struct error *err);

/* Call fn for each structure of the SIAE directory whose département is
 * dep (NULL: all), ordered by commune code and name, with the retrieval
 * time of the payload it came from (borrowed until the next row).  fn
 * returning non-zero stops. */
typedef int (*store_structure_fn)(const struct siae_structure *x, const char *retrieved, void *arg);
enum status store_each_structure(struct store *s, const char *dep, store_structure_fn fn, void *arg,
				 struct error *err);

/* What a put at time when (its payload's retrieved or seen) changed for
 * source: new keys (revised false, old_value NAN) and values it replaced
 * (revised true, old_value the value moved to the history). */
struct store_change {
	char territory[OBS_TERRITORY_MAX];
	char indicator[OBS_INDICATOR_MAX];
	char period[OBS_PERIOD_MAX];
	bool revised;
	double old_value, new_value; /* NAN: missing */
};
typedef int (*store_change_fn)(const struct store_change *c, void *arg);
enum status store_each_change(struct store *s, const char *source, const char *when,
			      store_change_fn fn, void *arg, struct error *err);

/* Counts of rows: observations, payloads, structures. */
enum status store_counts(struct store *s, size_t *nobs, size_t *npayloads, size_t *nstruct,
			 struct error *err);

#endif
