/* The store's interface: a dispatcher over its back ends
 * (core/store_backend.h), chosen by the form of where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_backend.h"

bool store_is_postgresql(const char *where)
{
	return where &&
	       (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11));
}

enum status store_open(struct store **out, const char *where, struct error *err)
{
	*out = NULL;
	if (!where || !*where)
		return error_set(err, TERRAIN_EUSAGE,
				 "no store path: set TERRAIN_STORE, XDG_DATA_HOME or HOME, "
				 "or [sources] store in the project file");
	return store_is_postgresql(where) ? store_pg_open(out, where, err)
					  : store_sqlite_open(out, where, err);
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

void store_default_path(char *out, size_t cap)
{
	const char *env;
	out[0] = '\0';
	if ((env = getenv("TERRAIN_STORE")) && *env)
		snprintf(out, cap, "%s", env);
	else if ((env = getenv("XDG_DATA_HOME")) && *env)
		snprintf(out, cap, "%s/terrain/terrain.db", env);
	else if ((env = getenv("HOME")) && *env)
		snprintf(out, cap, "%s/.local/share/terrain/terrain.db", env);
}

const char *store_backend(const struct store *s)
{
	return s->ops->name;
}

const char *store_where(const struct store *s)
{
	return s->where;
}

enum status store_schema_version(struct store *s, int *version, struct error *err)
{
	return s->ops->schema_version(s, version, err);
}

enum status store_migrate(struct store *s, int *from, int *to, struct error *err)
{
	int f, t;
	return s->ops->migrate(s, from ? from : &f, to ? to : &t, err);
}

enum status store_grant(struct store *s, const char *role, bool writer, struct error *err)
{
	if (!s->ops->grant)
		return error_set(err, TERRAIN_EUSAGE,
				 "%s: a %s store has no roles: grant is for a PostgreSQL store",
				 s->where, s->ops->name);
	return s->ops->grant(s, role, writer, err);
}

enum status store_lock(struct store *s, struct error *err)
{
	return s->ops->lock(s, err);
}

void store_unlock(struct store *s)
{
	s->ops->unlock(s);
}

enum status store_put(struct store *s, const struct store_payload *p, const struct observation *obs,
		      size_t n, const struct siae_structure *siae, size_t ns,
		      struct store_stats *stats, struct error *err)
{
	return s->ops->put(s, p, obs, n, siae, ns, stats, err);
}

enum status store_each(struct store *s, const char *territory, const char *prefix, store_row_fn fn,
		       void *arg, struct error *err)
{
	return s->ops->each(s, territory, prefix, fn, arg, err);
}

enum status store_each_in(struct store *s, const char *const *territories, size_t nterr,
			  const char *prefix, store_row_fn fn, void *arg, struct error *err)
{
	return s->ops->each_in(s, territories, nterr, prefix, fn, arg, err);
}

enum status store_each_structure(struct store *s, const char *dep, store_structure_fn fn, void *arg,
				 struct error *err)
{
	return s->ops->each_structure(s, dep, fn, arg, err);
}

enum status store_each_change(struct store *s, const char *source, int64_t upto, store_change_fn fn,
			      void *arg, struct error *err)
{
	return s->ops->each_change(s, source, upto, fn, arg, err);
}

enum status store_counts(struct store *s, size_t *nobs, size_t *npayloads, size_t *nstruct,
			 struct error *err)
{
	return s->ops->counts(s, nobs, npayloads, nstruct, err);
}

enum status store_run_begin(struct store *s, const char *what, const char *started, int64_t *id,
			    struct error *err)
{
	return s->ops->run_begin(s, what, started, id, err);
}

enum status store_run_end(struct store *s, int64_t id, const char *ended, struct error *err)
{
	return s->ops->run_end(s, id, ended, err);
}

enum status store_run_reported(struct store *s, int64_t upto, struct error *err)
{
	return s->ops->run_reported(s, upto, err);
}

enum status store_each_run(struct store *s, store_run_fn fn, void *arg, struct error *err)
{
	return s->ops->each_run(s, fn, arg, err);
}
