/* The store: the observations with their provenance, the seam between
 * ingest/ (which writes it) and analysis/ (which reads it).  Two back ends
 * behind one interface: a SQLite file (a path) or a PostgreSQL database (a
 * "postgresql://" or "postgres://" libpq URI); core/store_backend.h.
 *
 * Tables (schema version STORE_SCHEMA_VERSION):
 *   payloads      one row per distinct payload parsed: source, dataset, URL,
 *                 retrieval time, sha256 and size of the body
 *   observations  primary key (territory, indicator, period, source,
 *                 dataset): cog, value (NULL when secret or missing), unit,
 *                 status, vintage, payload id, first_seen, last_seen, run
 *                 (the run that set the current value, NULL: none) and
 *                 created_run (the run that made the key); indexed by
 *                 (indicator, territory) and by run
 *   observation_history  the values replaced: the observation's columns, run
 *                 (the run that had set it), replaced (time) and
 *                 replaced_run (the run that replaced it); indexed by key
 *                 and by replaced_run
 *   structures    SIAE directory entries (source, siret, name, ...)
 *   runs          id, started, ended (NULL: running or killed), host, pid,
 *                 what ("refresh reg:84"), reported (0/1: its changes were
 *                 written to a changes.csv)
 * Views, the same columns on both back ends, for analysts (R, Python, a BI
 * tool) who read the store without terrain:
 *   indicator_latest   one row per (territory, indicator, source, dataset):
 *                      the value of its latest period (the largest period
 *                      string): territory, indicator, period, value, unit,
 *                      status, vintage, source, dataset, cog, retrieved, url,
 *                      first_seen, last_seen
 *   indicator_history  every value ever held, current and replaced:
 *                      territory, indicator, period, value, unit, status,
 *                      vintage, source, dataset, valid_from (first seen),
 *                      valid_to (when replaced; NULL: current), run (the run
 *                      that set it; NULL: none)
 * A SQLite file is created on first use and an older schema migrated at
 * open; a newer one is refused, naming both versions.  Every write goes in
 * one transaction: all of a payload's rows or none.  Putting the same
 * payload twice changes nothing but last_seen. */
#ifndef TERRAIN_STORE_H
#define TERRAIN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "observation.h"

#define STORE_SCHEMA_VERSION 2

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

/* Open the store at where: a "postgresql://" or "postgres://" URI opens
 * the PostgreSQL back end (an empty host, "postgresql:///db" or
 * "postgresql://?service=NAME", lets libpq's environment and service file
 * fill the rest), anything else is the path of a SQLite file, created with
 * its folder if needed and migrated to this schema.  *out is returned owned:
 * close with store_close(). */
enum status store_open(struct store **out, const char *where, struct error *err);
void store_close(struct store *s);

/* Whether where names a PostgreSQL store (a "postgresql://" or
 * "postgres://" URI) rather than a SQLite file: no file to test for, no
 * folder to make, no path to join to the project's folder. */
bool store_is_postgresql(const char *where);

/* "sqlite" or "postgresql". */
const char *store_backend(const struct store *s);

/* Where the store is, for messages: the path, or the URI with any
 * password redacted.  Borrowed until store_close. */
const char *store_where(const struct store *s);

/* The schema version the store holds. */
enum status store_schema_version(struct store *s, int *version, struct error *err);

/* Bring the schema to STORE_SCHEMA_VERSION: *from and *to (either may be
 * NULL) say what was done (equal: nothing).  A SQLite store is migrated at
 * open already. */
enum status store_migrate(struct store *s, int *from, int *to, struct error *err);

/* Let role read the views (writer false) or write the store (writer true).
 * TERRAIN_EUSAGE on a back end without roles (SQLite). */
enum status store_grant(struct store *s, const char *role, bool writer, struct error *err);

/* The writer lock, held until store_unlock or store_close: one writer at
 * a time.  TERRAIN_ELOCKED when another process holds it, the message
 * naming the holder (SQLite: "STORE is in use by process PID (terrain,
 * since TIME): ..."). */
enum status store_lock(struct store *s, struct error *err);
void store_unlock(struct store *s);

/* The default location: $TERRAIN_STORE (a path or a URI), else $XDG_DATA_HOME/terrain/terrain.db,
 * else $HOME/.local/share/terrain/terrain.db.  Empty when none applies. */
void store_default_path(char *out, size_t cap);

/* Upsert n observations and ns structures (either may be 0) from one
 * payload in a single transaction.  stats may be NULL.  New and revised
 * observations record the current run (store_run_begin), if any. */
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

/* The same for the territories of a set (territories[0..nterr), borrowed;
 * duplicates allowed), each read from the primary key: what a région
 * costs does not grow with the rest of the store.  Ordered by territory in
 * the set's order, then as store_each. */
enum status store_each_in(struct store *s, const char *const *territories, size_t nterr,
			  const char *prefix, store_row_fn fn, void *arg, struct error *err);

/* Call fn for each structure of the SIAE directory whose département is
 * dep (NULL: all), ordered by commune code and name, with the retrieval
 * time of the payload it came from (borrowed until the next row).  fn
 * returning non-zero stops. */
typedef int (*store_structure_fn)(const struct siae_structure *x, const char *retrieved, void *arg);
enum status store_each_structure(struct store *s, const char *dep, store_structure_fn fn, void *arg,
				 struct error *err);

/* A change of the runs not yet reported, for source: a key a run made
 * (revised false, old_value NAN) or a value replaced since the last report
 * (revised true, old_value the value before the first unreported run that
 * replaced it, new_value the current one).  One change per key. */
struct store_change {
	char territory[OBS_TERRITORY_MAX];
	char indicator[OBS_INDICATOR_MAX];
	char period[OBS_PERIOD_MAX];
	bool revised;
	double old_value, new_value; /* NAN: missing */
	int64_t run;		     /* the run that made the change */
};
typedef int (*store_change_fn)(const struct store_change *c, void *arg);

/* Call fn for each change of source made by the runs numbered up to upto
 * that are not marked reported, ordered by run (the one that made the
 * change), territory, indicator, period.
 * fn returning non-zero stops. */
enum status store_each_change(struct store *s, const char *source, int64_t upto, store_change_fn fn,
			      void *arg, struct error *err);

/* Runs: a writer that reports its changes (terrain refresh) begins a run
 * (recording what, e.g. "refresh reg:84", started, the host and the process
 * id) and gets its id; until store_run_end, store_put records it on every
 * new or revised observation.  Once the report of the changes of the runs
 * up to id is in place (renamed), store_run_reported marks them: a run that
 * could not write its report leaves its changes to the next one. */
enum status store_run_begin(struct store *s, const char *what, const char *started, int64_t *id,
			    struct error *err);
enum status store_run_end(struct store *s, int64_t id, const char *ended, struct error *err);
enum status store_run_reported(struct store *s, int64_t upto, struct error *err);

/* A run as read back: strings borrowed until the next run. */
struct store_run {
	int64_t id;
	const char *what, *started, *ended; /* ended NULL: running, or killed */
	const char *host;
	long pid;
	bool reported;
};
typedef int (*store_run_fn)(const struct store_run *r, void *arg);
/* Call fn for each run, in id order. */
enum status store_each_run(struct store *s, store_run_fn fn, void *arg, struct error *err);

/* Counts of rows: observations, payloads, structures. */
enum status store_counts(struct store *s, size_t *nobs, size_t *npayloads, size_t *nstruct,
			 struct error *err);

#endif
