/* The store's back ends: what core/store.c dispatches to.  For back ends
 * only (core/store_sqlite.c, core/store_pg.c), never for callers, which
 * use core/store.h.
 *
 * Each back end's own struct begins with a struct store (its member base),
 * so a struct store * it returns from its open function is a pointer to
 * its own struct.  Every op receives the struct store the back end
 * returned; the contract of each op is that of the store.h function of the
 * same name. */
#ifndef TERRAIN_STORE_BACKEND_H
#define TERRAIN_STORE_BACKEND_H

#include <stdint.h>

#include "store.h"

struct store_ops {
	const char *name; /* "sqlite", "postgresql" */
	void (*close)(struct store *s);
	enum status (*put)(struct store *s, const struct store_payload *p,
			   const struct observation *obs, size_t n,
			   const struct siae_structure *siae, size_t ns, struct store_stats *stats,
			   struct error *err);
	enum status (*each)(struct store *s, const char *territory, const char *prefix,
			    store_row_fn fn, void *arg, struct error *err);
	enum status (*each_in)(struct store *s, const char *const *territories, size_t nterr,
			       const char *prefix, store_row_fn fn, void *arg, struct error *err);
	enum status (*each_structure)(struct store *s, const char *dep, store_structure_fn fn,
				      void *arg, struct error *err);
	enum status (*each_change)(struct store *s, const char *source, int64_t upto,
				   store_change_fn fn, void *arg, struct error *err);
	enum status (*counts)(struct store *s, size_t *nobs, size_t *npayloads, size_t *nstruct,
			      struct error *err);
	/* the writer lock: flock on STORE.lock for SQLite, an advisory lock
	 * for PostgreSQL; busy: TERRAIN_ELOCKED naming the holder */
	enum status (*lock)(struct store *s, struct error *err);
	void (*unlock)(struct store *s);
	/* run bookkeeping: begin sets s->run, end clears it */
	enum status (*run_begin)(struct store *s, const char *what, const char *started,
				 int64_t *id, struct error *err);
	enum status (*run_end)(struct store *s, int64_t id, const char *ended, struct error *err);
	enum status (*run_reported)(struct store *s, int64_t upto, struct error *err);
	enum status (*each_run)(struct store *s, store_run_fn fn, void *arg, struct error *err);
	enum status (*migrate)(struct store *s, int *from, int *to, struct error *err);
	enum status (*schema_version)(struct store *s, int *version, struct error *err);
	/* NULL where the back end has no roles (SQLite): store_grant says so */
	enum status (*grant)(struct store *s, const char *role, bool writer, struct error *err);
};

/* The part common to every back end; each back end's struct begins with it. */
struct store {
	const struct store_ops *ops;
	char *where; /* owned: the path, or the conninfo with its password redacted */
	int64_t run; /* the run store_put records on new and revised rows; 0: none */
};

/* The back ends' open functions: *out returned owned (close with
 * store_close), where borrowed. */
enum status store_sqlite_open(struct store **out, const char *where, struct error *err);
enum status store_pg_open(struct store **out, const char *where, struct error *err);

/* For the tests: the plan SQLite makes for the read called name ("each",
 * "each_territory", "each_prefix", "each_territory_prefix", "each_in",
 * "each_in_prefix", "changes"), EXPLAIN QUERY PLAN's lines into *plan. */
struct strbuf;
enum status store_sqlite_explain(struct store *s, const char *name, struct strbuf *plan,
				 struct error *err);

#endif
