#include "store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "strbuf.h"
#include "xalloc.h"

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *find, *insert, *update, *touch, *history;
};

static const char schema_v1[] =
    "CREATE TABLE payloads ("
    " id INTEGER PRIMARY KEY,"
    " source TEXT NOT NULL, dataset TEXT NOT NULL, url TEXT NOT NULL,"
    " retrieved TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
    " UNIQUE (url, sha256));"
    "CREATE TABLE observations ("
    " territory TEXT NOT NULL, indicator TEXT NOT NULL, period TEXT NOT NULL,"
    " source TEXT NOT NULL, dataset TEXT NOT NULL,"
    " cog TEXT NOT NULL, value REAL, unit TEXT NOT NULL, status TEXT NOT NULL,"
    " vintage TEXT NOT NULL, payload INTEGER NOT NULL REFERENCES payloads (id),"
    " first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
    " PRIMARY KEY (territory, indicator, period, source, dataset)) WITHOUT ROWID;"
    "CREATE TABLE observation_history ("
    " territory TEXT NOT NULL, indicator TEXT NOT NULL, period TEXT NOT NULL,"
    " source TEXT NOT NULL, dataset TEXT NOT NULL,"
    " value REAL, unit TEXT NOT NULL, status TEXT NOT NULL, vintage TEXT NOT NULL,"
    " payload INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
    " replaced TEXT NOT NULL);"
    "CREATE INDEX observation_history_key ON observation_history"
    " (territory, indicator, period, source, dataset);"
    "CREATE TABLE structures ("
    " source TEXT NOT NULL, siret TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,"
    " postcode TEXT NOT NULL, city TEXT NOT NULL, dep TEXT NOT NULL, insee TEXT NOT NULL,"
    " updated TEXT NOT NULL, npositions INTEGER NOT NULL,"
    " payload INTEGER NOT NULL REFERENCES payloads (id), last_seen TEXT NOT NULL,"
    " PRIMARY KEY (source, siret, name, kind));"
    "PRAGMA user_version = 1;";

static enum status db_error(struct store *s, struct error *err, const char *what)
{
	return error_set(err, TERRAIN_EIO, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static enum status exec(struct store *s, const char *sql, struct error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		enum status st = error_set(err, TERRAIN_EIO, "%s: %s", s->path,
					   msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return st;
	}
	return TERRAIN_OK;
}

static enum status prepare(struct store *s, const char *sql, sqlite3_stmt **out, struct error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot prepare a statement");
	return TERRAIN_OK;
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

static enum status migrate(struct store *s, struct error *err)
{
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(s, "PRAGMA user_version", &st, err);
	if (rc)
		return rc;
	int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (version < 0)
		return db_error(s, err, "cannot read the schema version");
	if (version > STORE_SCHEMA_VERSION)
		return error_set(err, TERRAIN_EDATA,
				 "%s: store schema version %d is newer than this terrain's (%d): "
				 "upgrade terrain",
				 s->path, version, STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION)
		return TERRAIN_OK;
	/* version 0: a new, empty file (or one that is not ours: the CREATE
	 * then fails on the existing tables and the message says so). */
	if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
		return rc;
	if ((rc = exec(s, schema_v1, err))) {
		exec(s, "ROLLBACK", NULL);
		return rc;
	}
	return exec(s, "COMMIT", err);
}

enum status store_open(struct store **out, const char *path, struct error *err)
{
	*out = NULL;
	if (!path || !*path)
		return error_set(err, TERRAIN_EUSAGE,
				 "no store path: set TERRAIN_STORE, XDG_DATA_HOME or HOME, "
				 "or [sources] store in the project file");
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	enum status rc = TERRAIN_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		rc = fileio_mkdirs(dir, err);
	}
	free(dir);
	if (rc)
		return rc;

	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = error_set(err, TERRAIN_EIO, "%s: cannot open the store: %s", path,
			       s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if ((rc = exec(s, "PRAGMA foreign_keys = ON", err)) || (rc = migrate(s, err)))
		goto fail;
	if ((rc = prepare(s,
			  "SELECT value, unit, status, vintage, cog, payload, first_seen, last_seen"
			  " FROM observations WHERE territory = ?1 AND indicator = ?2 AND"
			  " period = ?3 AND source = ?4 AND dataset = ?5",
			  &s->find, err)) ||
	    (rc = prepare(s,
			  "INSERT INTO observations (territory, indicator, period, source, dataset,"
			  " cog, value, unit, status, vintage, payload, first_seen, last_seen)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
			  &s->insert, err)) ||
	    (rc = prepare(s,
			  "UPDATE observations SET cog = ?6, value = ?7, unit = ?8, status = ?9,"
			  " vintage = ?10, payload = ?11, first_seen = ?12, last_seen = ?12"
			  " WHERE territory = ?1 AND indicator = ?2 AND period = ?3 AND"
			  " source = ?4 AND dataset = ?5",
			  &s->update, err)) ||
	    (rc = prepare(s,
			  "UPDATE observations SET last_seen = ?6 WHERE territory = ?1 AND"
			  " indicator = ?2 AND period = ?3 AND source = ?4 AND dataset = ?5",
			  &s->touch, err)) ||
	    (rc = prepare(
		 s,
		 "INSERT INTO observation_history (territory, indicator, period, source,"
		 " dataset, value, unit, status, vintage, payload, first_seen, last_seen,"
		 " replaced) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
		 &s->history, err)))
		goto fail;
	*out = s;
	return TERRAIN_OK;
fail:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->update);
	sqlite3_finalize(s->touch);
	sqlite3_finalize(s->history);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static void bind_key(sqlite3_stmt *st, const struct observation *o)
{
	sqlite3_bind_text(st, 1, o->territory, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->indicator, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->dataset, -1, SQLITE_STATIC);
}

static bool missing(const struct observation *o)
{
	return o->status == OBS_SECRET || o->status == OBS_MISSING || isnan(o->value);
}

static void bind_value(sqlite3_stmt *st, int i, const struct observation *o)
{
	if (missing(o))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, o->value);
}

static bool text_eq(sqlite3_stmt *st, int col, const char *s)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t && strcmp((const char *)t, s) == 0;
}

/* Upsert one observation; the previous row goes to the history when the
 * value, unit, status or vintage changes. */
static enum status put_one_found(struct store *s, const struct observation *o,
				 sqlite3_int64 payload, const char *now, struct store_stats *stats,
				 struct error *err);

static enum status put_one(struct store *s, const struct observation *o, sqlite3_int64 payload,
			   const char *now, struct store_stats *stats, struct error *err)
{
	enum status st = put_one_found(s, o, payload, now, stats, err);
	/* a SELECT left on a row keeps a read lock on the database: other
	 * writers would wait for it until this connection closes */
	sqlite3_reset(s->find);
	return st;
}

static enum status put_one_found(struct store *s, const struct observation *o,
				 sqlite3_int64 payload, const char *now, struct store_stats *stats,
				 struct error *err)
{
	sqlite3_stmt *f = s->find;
	sqlite3_reset(f);
	bind_key(f, o);
	int rc = sqlite3_step(f);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, err, "cannot read an observation");
	if (rc == SQLITE_DONE) {
		sqlite3_stmt *in = s->insert;
		sqlite3_reset(in);
		bind_key(in, o);
		sqlite3_bind_text(in, 6, o->cog, -1, SQLITE_STATIC);
		bind_value(in, 7, o);
		sqlite3_bind_text(in, 8, o->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(in, 9, obs_status_name(o->status), -1, SQLITE_STATIC);
		sqlite3_bind_text(in, 10, o->vintage, -1, SQLITE_STATIC);
		sqlite3_bind_int64(in, 11, payload);
		sqlite3_bind_text(in, 12, now, -1, SQLITE_STATIC);
		if (sqlite3_step(in) != SQLITE_DONE)
			return db_error(s, err, "cannot insert an observation");
		stats->inserted++;
		return TERRAIN_OK;
	}
	bool was_null = sqlite3_column_type(f, 0) == SQLITE_NULL;
	double old = sqlite3_column_double(f, 0);
	bool same = (missing(o) ? was_null : !was_null && old == o->value) &&
		    text_eq(f, 1, o->unit) && text_eq(f, 2, obs_status_name(o->status)) &&
		    text_eq(f, 3, o->vintage) && text_eq(f, 4, o->cog);
	if (same) {
		sqlite3_stmt *t = s->touch;
		sqlite3_reset(t);
		bind_key(t, o);
		sqlite3_bind_text(t, 6, now, -1, SQLITE_STATIC);
		if (sqlite3_step(t) != SQLITE_DONE)
			return db_error(s, err, "cannot update an observation");
		stats->unchanged++;
		return TERRAIN_OK;
	}
	sqlite3_stmt *h = s->history;
	sqlite3_reset(h);
	bind_key(h, o);
	if (was_null)
		sqlite3_bind_null(h, 6);
	else
		sqlite3_bind_double(h, 6, old);
	for (int c = 1; c <= 3; c++)
		sqlite3_bind_text(h, 6 + c, (const char *)sqlite3_column_text(f, c), -1,
				  SQLITE_TRANSIENT);
	sqlite3_bind_int64(h, 10, sqlite3_column_int64(f, 5));
	sqlite3_bind_text(h, 11, (const char *)sqlite3_column_text(f, 6), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(h, 12, (const char *)sqlite3_column_text(f, 7), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(h, 13, now, -1, SQLITE_STATIC);
	if (sqlite3_step(h) != SQLITE_DONE)
		return db_error(s, err, "cannot record the previous value of an observation");
	sqlite3_stmt *u = s->update;
	sqlite3_reset(u);
	bind_key(u, o);
	sqlite3_bind_text(u, 6, o->cog, -1, SQLITE_STATIC);
	bind_value(u, 7, o);
	sqlite3_bind_text(u, 8, o->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(u, 9, obs_status_name(o->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(u, 10, o->vintage, -1, SQLITE_STATIC);
	sqlite3_bind_int64(u, 11, payload);
	sqlite3_bind_text(u, 12, now, -1, SQLITE_STATIC);
	if (sqlite3_step(u) != SQLITE_DONE)
		return db_error(s, err, "cannot update an observation");
	stats->updated++;
	return TERRAIN_OK;
}

static enum status put_payload(struct store *s, const struct store_payload *p, sqlite3_int64 *id,
			       struct error *err)
{
	sqlite3_stmt *st = NULL;
	enum status rc =
	    prepare(s,
		    "INSERT INTO payloads (source, dataset, url, retrieved, sha256, size)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (url, sha256) DO NOTHING",
		    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->retrieved, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)p->size);
	int r = sqlite3_step(st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_error(s, err, "cannot record a payload");
	if ((rc = prepare(s, "SELECT id FROM payloads WHERE url = ?1 AND sha256 = ?2", &st, err)))
		return rc;
	sqlite3_bind_text(st, 1, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->sha256, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r != SQLITE_ROW)
		return db_error(s, err, "cannot read a payload id");
	return TERRAIN_OK;
}

static enum status put_structure(struct store *s, sqlite3_stmt *st, const char *source,
				 const struct siae_structure *x, sqlite3_int64 payload,
				 const char *now, struct error *err)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, x->siret, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, x->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, x->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, x->postcode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, x->city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, x->dep, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, x->insee, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, x->updated, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, x->npositions);
	sqlite3_bind_int64(st, 11, payload);
	sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_error(s, err, "cannot store a structure");
	return TERRAIN_OK;
}

enum status store_put(struct store *s, const struct store_payload *p, const struct observation *obs,
		      size_t n, const struct siae_structure *siae, size_t ns,
		      struct store_stats *stats, struct error *err)
{
	struct store_stats local = {0};
	sqlite3_stmt *sst = NULL;
	sqlite3_int64 payload = 0;
	char now[32];
	enum status rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	snprintf(now, sizeof(now), "%s", p->seen ? p->seen : p->retrieved);
	if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
		return rc;
	if ((rc = put_payload(s, p, &payload, err)))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if ((rc = put_one(s, &obs[i], payload, now, stats, err)))
			goto fail;
	if (ns) {
		if ((rc = prepare(
			 s,
			 "INSERT INTO structures (source, siret, name, kind, postcode, city,"
			 " dep, insee, updated, npositions, payload, last_seen) VALUES (?1, ?2,"
			 " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (source, siret,"
			 " name, kind) DO UPDATE SET postcode = ?5, city = ?6, dep = ?7,"
			 " insee = ?8, updated = ?9, npositions = ?10, payload = ?11,"
			 " last_seen = ?12",
			 &sst, err)))
			goto fail;
		for (size_t i = 0; i < ns; i++)
			if ((rc = put_structure(s, sst, p->source, &siae[i], payload, now, err)))
				goto fail;
		sqlite3_finalize(sst);
		sst = NULL;
	}
	if ((rc = exec(s, "COMMIT", err)))
		goto fail;
	return TERRAIN_OK;
fail:
	sqlite3_finalize(sst);
	exec(s, "ROLLBACK", NULL);
	memset(stats, 0, sizeof(*stats));
	return rc;
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

enum status store_each(struct store *s, const char *territory, const char *prefix, store_row_fn fn,
		       void *arg, struct error *err)
{
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(
	    s,
	    "SELECT o.territory, o.indicator, o.period, o.source, o.dataset, o.cog, o.value,"
	    " o.unit, o.status, o.vintage, p.url, p.retrieved FROM observations o"
	    " JOIN payloads p ON p.id = o.payload"
	    " WHERE (?1 IS NULL OR o.territory = ?1) AND (?2 IS NULL OR"
	    " substr(o.indicator, 1, length(?2)) = ?2)"
	    " ORDER BY o.territory, o.indicator, o.period, o.source, o.dataset",
	    &st, err);
	if (rc)
		return rc;
	if (territory)
		sqlite3_bind_text(st, 1, territory, -1, SQLITE_STATIC);
	if (prefix)
		sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_row row;
		memset(&row, 0, sizeof(row));
		copy_col(st, 0, row.obs.territory, sizeof(row.obs.territory));
		copy_col(st, 1, row.obs.indicator, sizeof(row.obs.indicator));
		copy_col(st, 2, row.obs.period, sizeof(row.obs.period));
		copy_col(st, 3, row.obs.source, sizeof(row.obs.source));
		copy_col(st, 4, row.obs.dataset, sizeof(row.obs.dataset));
		copy_col(st, 5, row.obs.cog, sizeof(row.obs.cog));
		row.obs.value =
		    sqlite3_column_type(st, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 6);
		copy_col(st, 7, row.obs.unit, sizeof(row.obs.unit));
		const unsigned char *status = sqlite3_column_text(st, 8);
		int sv = status ? obs_status_parse((const char *)status) : -1;
		row.obs.status = sv < 0 ? OBS_MISSING : (enum obs_status)sv;
		copy_col(st, 9, row.obs.vintage, sizeof(row.obs.vintage));
		row.url = (const char *)sqlite3_column_text(st, 10);
		row.retrieved = (const char *)sqlite3_column_text(st, 11);
		if (fn(&row, arg))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_error(s, err, "cannot read the observations");
	sqlite3_finalize(st);
	return rc;
}

enum status store_each_structure(struct store *s, const char *dep, store_structure_fn fn, void *arg,
				 struct error *err)
{
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(
	    s,
	    "SELECT x.siret, x.kind, x.name, x.postcode, x.city, x.dep, x.insee, x.updated,"
	    " x.npositions, p.retrieved, x.source FROM structures x JOIN payloads p ON p.id ="
	    " x.payload"
	    " WHERE ?1 IS NULL OR x.dep = ?1 ORDER BY x.insee, x.name, x.siret",
	    &st, err);
	if (rc)
		return rc;
	if (dep)
		sqlite3_bind_text(st, 1, dep, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct siae_structure x;
		memset(&x, 0, sizeof(x));
		copy_col(st, 0, x.siret, sizeof(x.siret));
		copy_col(st, 1, x.kind, sizeof(x.kind));
		copy_col(st, 2, x.name, sizeof(x.name));
		copy_col(st, 3, x.postcode, sizeof(x.postcode));
		copy_col(st, 4, x.city, sizeof(x.city));
		copy_col(st, 5, x.dep, sizeof(x.dep));
		copy_col(st, 6, x.insee, sizeof(x.insee));
		copy_col(st, 7, x.updated, sizeof(x.updated));
		x.npositions = (unsigned)sqlite3_column_int(st, 8);
		copy_col(st, 10, x.source, sizeof(x.source));
		if (fn(&x, (const char *)sqlite3_column_text(st, 9), arg))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_error(s, err, "cannot read the structures");
	sqlite3_finalize(st);
	return rc;
}

enum status store_each_change(struct store *s, const char *source, const char *when,
			      store_change_fn fn, void *arg, struct error *err)
{
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(
	    s,
	    "SELECT o.territory, o.indicator, o.period, h.value, o.value, 1 FROM "
	    "observation_history h"
	    " JOIN observations o ON o.territory = h.territory AND o.indicator = h.indicator"
	    " AND o.period = h.period AND o.source = h.source AND o.dataset = h.dataset"
	    " WHERE h.replaced = ?2 AND o.source = ?1"
	    " UNION ALL SELECT territory, indicator, period, NULL, value, 0 FROM observations"
	    " WHERE source = ?1 AND first_seen = ?2 ORDER BY 1, 2, 3",
	    &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, when, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_change c;
		memset(&c, 0, sizeof(c));
		copy_col(st, 0, c.territory, sizeof(c.territory));
		copy_col(st, 1, c.indicator, sizeof(c.indicator));
		copy_col(st, 2, c.period, sizeof(c.period));
		c.revised = sqlite3_column_int(st, 5) != 0;
		c.old_value =
		    sqlite3_column_type(st, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 3);
		c.new_value =
		    sqlite3_column_type(st, 4) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 4);
		if (fn(&c, arg))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_error(s, err, "cannot read the changes");
	sqlite3_finalize(st);
	return rc;
}

enum status store_counts(struct store *s, size_t *nobs, size_t *npayloads, size_t *nstruct,
			 struct error *err)
{
	static const char *const sql[] = {"SELECT count(*) FROM observations",
					  "SELECT count(*) FROM payloads",
					  "SELECT count(*) FROM structures"};
	size_t *out[] = {nobs, npayloads, nstruct};
	for (size_t i = 0; i < 3; i++) {
		sqlite3_stmt *st = NULL;
		enum status rc = prepare(s, sql[i], &st, err);
		if (rc)
			return rc;
		int r = sqlite3_step(st);
		if (out[i])
			*out[i] = r == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
		sqlite3_finalize(st);
		if (r != SQLITE_ROW)
			return db_error(s, err, "cannot count rows");
	}
	return TERRAIN_OK;
}
