/* The SQLite back end of the store (core/store_backend.h): one file,
 * written under a flock (core/lock.h), read by any number of readers. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "lock.h"
#include "log.h"
#include "store_backend.h"
#include "strbuf.h"
#include "xalloc.h"

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	const char *path; /* base.where */
	sqlite3_stmt *find, *insert, *update, *touch, *history;
	bool inserting; /* the last row put was new: try the insert first */
	struct lock lk;
};

static struct sqlite_store *of(struct store *s)
{
	return (struct sqlite_store *)s;
}

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

/* Version 2: runs, the run that made each value (so that a change report
 * that could not be written is left to the next run), an index by
 * indicator for the reads that name no territory, and the analysts' views. */
static const char schema_v2[] =
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY, what TEXT NOT NULL, started TEXT NOT NULL, ended TEXT,"
    " host TEXT NOT NULL, pid INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0);"
    "ALTER TABLE observations ADD COLUMN run INTEGER;"
    "ALTER TABLE observations ADD COLUMN created_run INTEGER;"
    "ALTER TABLE observation_history ADD COLUMN run INTEGER;"
    "ALTER TABLE observation_history ADD COLUMN replaced_run INTEGER;"
    "CREATE INDEX observations_indicator ON observations (indicator, territory);"
    "CREATE INDEX observations_run ON observations (run);"
    "CREATE INDEX observation_history_run ON observation_history (replaced_run);"
    "CREATE VIEW indicator_latest AS SELECT o.territory, o.indicator, o.period, o.value,"
    " o.unit, o.status, o.vintage, o.source, o.dataset, o.cog, p.retrieved, p.url,"
    " o.first_seen, o.last_seen FROM observations o JOIN payloads p ON p.id = o.payload"
    " WHERE o.period = (SELECT max(l.period) FROM observations l WHERE"
    " l.territory = o.territory AND l.indicator = o.indicator AND l.source = o.source"
    " AND l.dataset = o.dataset);"
    "CREATE VIEW indicator_history AS SELECT territory, indicator, period, value, unit,"
    " status, vintage, source, dataset, first_seen AS valid_from, NULL AS valid_to, run"
    " FROM observations UNION ALL SELECT territory, indicator, period, value, unit,"
    " status, vintage, source, dataset, first_seen, replaced, run"
    " FROM observation_history;"
    "PRAGMA user_version = 2;";

static enum status db_error(struct sqlite_store *s, struct error *err, const char *what)
{
	return error_set(err, TERRAIN_EIO, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static enum status exec(struct sqlite_store *s, const char *sql, struct error *err)
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

static enum status prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **out,
			   struct error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot prepare a statement");
	return TERRAIN_OK;
}

static enum status sqlite_schema_version(struct store *base, int *version, struct error *err)
{
	struct sqlite_store *s = of(base);
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(s, "PRAGMA user_version", &st, err);
	if (rc)
		return rc;
	*version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (*version < 0)
		return db_error(s, err, "cannot read the schema version");
	return TERRAIN_OK;
}

static enum status migrate(struct sqlite_store *s, int *from, struct error *err)
{
	int version;
	enum status rc = sqlite_schema_version(&s->base, &version, err);
	*from = version;
	if (rc)
		return rc;
	if (version > STORE_SCHEMA_VERSION)
		return error_set(err, TERRAIN_EDATA,
				 "%s: store schema version %d is newer than this terrain's (%d): "
				 "upgrade terrain",
				 s->path, version, STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION)
		return TERRAIN_OK;
	/* version 0: a new, empty file (or one that is not ours: the CREATE
	 * then fails on the existing tables and the message says so).  The
	 * version is read again under the write lock: another process may have
	 * migrated the file meanwhile. */
	if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
		return rc;
	if ((rc = sqlite_schema_version(&s->base, &version, err)))
		goto fail;
	if (version < 1 && (rc = exec(s, schema_v1, err)))
		goto fail;
	if (version < 2 && (rc = exec(s, schema_v2, err)))
		goto fail;
	return exec(s, "COMMIT", err);
fail:
	exec(s, "ROLLBACK", NULL);
	return rc;
}

static const struct store_ops sqlite_ops;
static void sqlite_close(struct store *base);

enum status store_sqlite_open(struct store **out, const char *path, struct error *err)
{
	*out = NULL;
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

	struct sqlite_store *s = xcalloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	s->base.where = xstrdup(path);
	s->path = s->base.where;
	s->lk.fd = -1;
	int from;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = error_set(err, TERRAIN_EIO, "%s: cannot open the store: %s", path,
			       s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL: readers do not wait for the writer, and a commit does not wait
	 * for the disk (synchronous NORMAL: a power cut may lose the last
	 * commits, never the file); 16 KiB pages for a new file (fewer page
	 * splits in the indexes of a refresh of France) */
	if ((rc = exec(s,
		       "PRAGMA foreign_keys = ON; PRAGMA page_size = 16384;"
		       " PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
		       err)) ||
	    (rc = migrate(s, &from, err)))
		goto fail;
	if (from && from != STORE_SCHEMA_VERSION) /* 0: a new file, created at this version */
		log_note("%s: store schema migrated from version %d to %d", path, from,
			 STORE_SCHEMA_VERSION);
	if ((rc =
		 prepare(s,
			 "SELECT value, unit, status, vintage, cog, payload, first_seen, last_seen,"
			 " run"
			 " FROM observations WHERE territory = ?1 AND indicator = ?2 AND"
			 " period = ?3 AND source = ?4 AND dataset = ?5",
			 &s->find, err)) ||
	    (rc = prepare(s,
			  "INSERT INTO observations (territory, indicator, period, source, dataset,"
			  " cog, value, unit, status, vintage, payload, first_seen, last_seen,"
			  " run, created_run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			  " ?11, ?12, ?12, ?13, ?13) ON CONFLICT DO NOTHING",
			  &s->insert, err)) ||
	    (rc = prepare(s,
			  "UPDATE observations SET cog = ?6, value = ?7, unit = ?8, status = ?9,"
			  " vintage = ?10, payload = ?11, first_seen = ?12, last_seen = ?12,"
			  " run = ?13"
			  " WHERE territory = ?1 AND indicator = ?2 AND period = ?3 AND"
			  " source = ?4 AND dataset = ?5",
			  &s->update, err)) ||
	    (rc = prepare(s,
			  "UPDATE observations SET last_seen = ?12 WHERE territory = ?1 AND"
			  " indicator = ?2 AND period = ?3 AND source = ?4 AND dataset = ?5 AND"
			  " cog = ?6 AND value IS ?7 AND unit = ?8 AND status = ?9 AND"
			  " vintage = ?10", /* step_row's ?11 and ?13 unused: not bound */
			  &s->touch, err)) ||
	    (rc =
		 prepare(s,
			 "INSERT INTO observation_history (territory, indicator, period, source,"
			 " dataset, value, unit, status, vintage, payload, first_seen, last_seen,"
			 " replaced, run, replaced_run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			 " ?10, ?11, ?12, ?13, ?14, ?15)",
			 &s->history, err)))
		goto fail;
	*out = &s->base;
	return TERRAIN_OK;
fail:
	sqlite_close(&s->base);
	return rc;
}

static void sqlite_close(struct store *base)
{
	struct sqlite_store *s = of(base);
	lock_release(&s->lk);
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->update);
	sqlite3_finalize(s->touch);
	sqlite3_finalize(s->history);
	sqlite3_close(s->db);
	free(s->base.where);
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

static void bind_run(sqlite3_stmt *st, int i, int64_t run)
{
	if (run)
		sqlite3_bind_int64(st, i, run);
	else
		sqlite3_bind_null(st, i);
}

/* Run the insert, the update or the touch of a whole row: the same
 * parameters (a statement that lacks ?13 refuses its binding, harmlessly). */
static int step_row(struct sqlite_store *s, sqlite3_stmt *st, const struct observation *o,
		    sqlite3_int64 payload, const char *now)
{
	sqlite3_reset(st);
	bind_key(st, o);
	sqlite3_bind_text(st, 6, o->cog, -1, SQLITE_STATIC);
	bind_value(st, 7, o);
	sqlite3_bind_text(st, 8, o->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, obs_status_name(o->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, o->vintage, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, payload);
	sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
	bind_run(st, 13, s->base.run);
	return sqlite3_step(st);
}

/* Upsert one observation; the previous row goes to the history when the
 * value, unit, status or vintage changes. */
static enum status put_one_found(struct sqlite_store *s, const struct observation *o,
				 sqlite3_int64 payload, const char *now, struct store_stats *stats,
				 struct error *err);

static enum status put_one(struct sqlite_store *s, const struct observation *o,
			   sqlite3_int64 payload, const char *now, struct store_stats *stats,
			   struct error *err)
{
	enum status st = put_one_found(s, o, payload, now, stats, err);
	/* a SELECT left on a row keeps a read lock on the database: other
	 * writers would wait for it until this connection closes */
	sqlite3_reset(s->find);
	return st;
}

static enum status put_one_found(struct sqlite_store *s, const struct observation *o,
				 sqlite3_int64 payload, const char *now, struct store_stats *stats,
				 struct error *err)
{
	/* the common cases in one statement each: a new key (inserted) or the
	 * same value seen again (touched), tried in the order the last row
	 * went (a fresh store inserts, a second run touches); only a revision
	 * reads the row */
	sqlite3_stmt *order[2] = {s->touch, s->insert};
	if (s->inserting)
		order[0] = s->insert, order[1] = s->touch;
	for (int k = 0; k < 2; k++) {
		if (step_row(s, order[k], o, payload, now) != SQLITE_DONE)
			return db_error(s, err, "cannot write an observation");
		if (sqlite3_changes(s->db)) {
			s->inserting = order[k] == s->insert;
			if (s->inserting)
				stats->inserted++;
			else
				stats->unchanged++;
			return TERRAIN_OK;
		}
	}
	sqlite3_stmt *f = s->find;
	sqlite3_reset(f);
	bind_key(f, o);
	if (sqlite3_step(f) != SQLITE_ROW)
		return db_error(s, err, "cannot read an observation");
	bool was_null = sqlite3_column_type(f, 0) == SQLITE_NULL;
	double old = sqlite3_column_double(f, 0);
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
	if (sqlite3_column_type(f, 8) == SQLITE_NULL)
		sqlite3_bind_null(h, 14);
	else
		sqlite3_bind_int64(h, 14, sqlite3_column_int64(f, 8));
	bind_run(h, 15, s->base.run);
	if (sqlite3_step(h) != SQLITE_DONE)
		return db_error(s, err, "cannot record the previous value of an observation");
	if (step_row(s, s->update, o, payload, now) != SQLITE_DONE)
		return db_error(s, err, "cannot update an observation");
	stats->updated++;
	return TERRAIN_OK;
}

static enum status put_payload(struct sqlite_store *s, const struct store_payload *p,
			       sqlite3_int64 *id, struct error *err)
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

static enum status put_structure(struct sqlite_store *s, sqlite3_stmt *st, const char *source,
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

static enum status sqlite_put(struct store *base, const struct store_payload *p,
			      const struct observation *obs, size_t n,
			      const struct siae_structure *siae, size_t ns,
			      struct store_stats *stats, struct error *err)
{
	struct sqlite_store *s = of(base);
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

/* The observations' columns as store_each reads them. */
#define ROW_COLUMNS                                                                       \
	"SELECT o.territory, o.indicator, o.period, o.source, o.dataset, o.cog, o.value," \
	" o.unit, o.status, o.vintage, p.url, p.retrieved FROM observations o"            \
	" JOIN payloads p ON p.id = o.payload"

/* The changes of the unreported runs up to ?2: the rows whose value one of
 * them set (run, indexed), new when one of them made the key too, else
 * revised, with the value before the first of those runs that replaced it. */
static const char changes_sql[] =
    "WITH u AS (SELECT id FROM runs WHERE id <= ?2 AND reported = 0)"
    " SELECT o.territory, o.indicator, o.period,"
    " CASE WHEN o.created_run IN u THEN NULL ELSE"
    " (SELECT h.value FROM observation_history h WHERE h.territory = o.territory AND"
    " h.indicator = o.indicator AND h.period = o.period AND h.source = o.source AND"
    " h.dataset = o.dataset AND h.replaced_run IN u ORDER BY h.rowid LIMIT 1) END,"
    " o.value, o.created_run IS NULL OR o.created_run NOT IN u, o.run"
    " FROM observations o WHERE o.run IN u AND o.source = ?1"
    " ORDER BY o.run, 1, 2, 3"; /* the index's order: no sort */

/* The reads, by name for store_sqlite_explain (the test that no read of a
 * territory set, an indicator or the changes scans the observations). */
enum query {
	Q_EACH,
	Q_EACH_TERRITORY,
	Q_EACH_PREFIX,
	Q_EACH_TERRITORY_PREFIX, /* store_each's four, in this order */
	Q_EACH_IN,
	Q_EACH_IN_PREFIX,
	Q_CHANGES,
};
static const struct {
	const char *name, *sql;
} queries[] = {
    {"each", ROW_COLUMNS " ORDER BY o.territory, o.indicator, o.period, o.source, o.dataset"},
    {"each_territory",
     ROW_COLUMNS " WHERE o.territory = ?1"
		 " ORDER BY o.territory, o.indicator, o.period, o.source, o.dataset"},
    {"each_prefix",
     ROW_COLUMNS " WHERE o.indicator >= ?2 AND o.indicator < ?3"
		 " ORDER BY o.territory, o.indicator, o.period, o.source, o.dataset"},
    {"each_territory_prefix",
     ROW_COLUMNS " WHERE o.territory = ?1 AND o.indicator >= ?2 AND o.indicator < ?3"
		 " ORDER BY o.territory, o.indicator, o.period, o.source, o.dataset"},
    {"each_in", ROW_COLUMNS " WHERE o.territory = ?1"
			    " ORDER BY o.indicator, o.period, o.source, o.dataset"},
    {"each_in_prefix",
     ROW_COLUMNS " WHERE o.territory = ?1 AND o.indicator >= ?2 AND o.indicator < ?3"
		 " ORDER BY o.indicator, o.period, o.source, o.dataset"},
    {"changes", changes_sql},
};

enum status store_sqlite_explain(struct store *base, const char *name, struct strbuf *plan,
				 struct error *err)
{
	struct sqlite_store *s = of(base);
	size_t q = 0, nq = sizeof(queries) / sizeof(queries[0]);
	while (q < nq && strcmp(queries[q].name, name))
		q++;
	if (q == nq)
		return error_set(err, TERRAIN_EUSAGE, "no store query named '%s'", name);
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	strbuf_addf(&sql, "EXPLAIN QUERY PLAN %s", queries[q].sql);
	enum status rc = prepare(s, sql.buf, &st, err);
	strbuf_release(&sql);
	if (rc)
		return rc;
	strbuf_reset(plan);
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(plan, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return TERRAIN_OK;
}

/* Bind the range of the indicators that start with prefix to ?lo and ?lo+1:
 * a range, unlike substr(), is served by an index.  0xff never occurs in
 * UTF-8, so prefix + 0xff is above every indicator that starts with prefix. */
static void bind_prefix(sqlite3_stmt *st, int lo, const char *prefix)
{
	size_t len = strlen(prefix);
	char *hi = xmalloc(len + 2);
	memcpy(hi, prefix, len);
	hi[len] = (char)0xff;
	hi[len + 1] = '\0';
	sqlite3_bind_text(st, lo, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, lo + 1, hi, (int)len + 1, free);
}

/* Step st to its end, calling fn for each row; *stop set when fn asks. */
static enum status each_rows(struct sqlite_store *s, sqlite3_stmt *st, store_row_fn fn, void *arg,
			     bool *stop, struct error *err)
{
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
		if (fn(&row, arg)) {
			*stop = true;
			break;
		}
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(s, err, "cannot read the observations");
	return TERRAIN_OK;
}

static enum status sqlite_each(struct store *base, const char *territory, const char *prefix,
			       store_row_fn fn, void *arg, struct error *err)
{
	struct sqlite_store *s = of(base);
	sqlite3_stmt *st = NULL;
	/* one statement per case: "?1 IS NULL OR ..." would keep the planner
	 * from the primary key and the indicator index */
	enum status rc = prepare(s, queries[(territory ? 1 : 0) + (prefix ? 2 : 0)].sql, &st, err);
	if (rc)
		return rc;
	if (territory)
		sqlite3_bind_text(st, 1, territory, -1, SQLITE_STATIC);
	if (prefix)
		bind_prefix(st, 2, prefix);
	bool stop = false;
	rc = each_rows(s, st, fn, arg, &stop, err);
	sqlite3_finalize(st);
	return rc;
}

static enum status sqlite_each_in(struct store *base, const char *const *territories, size_t nterr,
				  const char *prefix, store_row_fn fn, void *arg, struct error *err)
{
	struct sqlite_store *s = of(base);
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(s, queries[prefix ? Q_EACH_IN_PREFIX : Q_EACH_IN].sql, &st, err);
	if (rc)
		return rc;
	if (prefix)
		bind_prefix(st, 2, prefix);
	bool stop = false;
	for (size_t i = 0; i < nterr && !stop && !rc; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, territories[i], -1, SQLITE_STATIC);
		rc = each_rows(s, st, fn, arg, &stop, err);
	}
	sqlite3_finalize(st);
	return rc;
}
static enum status sqlite_each_structure(struct store *base, const char *dep, store_structure_fn fn,
					 void *arg, struct error *err)
{
	struct sqlite_store *s = of(base);
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

static enum status sqlite_each_change(struct store *base, const char *source, int64_t upto,
				      store_change_fn fn, void *arg, struct error *err)
{
	struct sqlite_store *s = of(base);
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(s, queries[Q_CHANGES].sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, upto);
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
		c.run = sqlite3_column_int64(st, 6);
		if (fn(&c, arg))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_error(s, err, "cannot read the changes");
	sqlite3_finalize(st);
	return rc;
}

static enum status sqlite_lock(struct store *base, struct error *err)
{
	struct sqlite_store *s = of(base);
	if (s->lk.fd >= 0)
		return TERRAIN_OK;
	return lock_acquire(&s->lk, s->path, err);
}

static void sqlite_unlock(struct store *base)
{
	lock_release(&of(base)->lk);
}

/* Run one statement with ?1 text (or NULL) and ?2 integer; *id gets the
 * last row id when not NULL. */
static enum status run_sql(struct sqlite_store *s, const char *sql, const char *text, int64_t num,
			   const char *what, struct error *err)
{
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(s, sql, &st, err);
	if (rc)
		return rc;
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, num);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(s, err, what);
	sqlite3_finalize(st);
	return rc;
}

static enum status sqlite_run_begin(struct store *base, const char *what, const char *started,
				    int64_t *id, struct error *err)
{
	struct sqlite_store *s = of(base);
	char host[256] = "";
	if (gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "unknown");
	sqlite3_stmt *st = NULL;
	enum status rc = prepare(
	    s, "INSERT INTO runs (what, started, host, pid) VALUES (?1, ?2, ?3, ?4)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, started, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)getpid());
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(s, err, "cannot record a run");
	else
		*id = s->base.run = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

static enum status sqlite_run_end(struct store *base, int64_t id, const char *ended,
				  struct error *err)
{
	struct sqlite_store *s = of(base);
	if (s->base.run == id)
		s->base.run = 0;
	return run_sql(s, "UPDATE runs SET ended = ?1 WHERE id = ?2", ended, id,
		       "cannot record the end of a run", err);
}

static enum status sqlite_run_reported(struct store *base, int64_t upto, struct error *err)
{
	return run_sql(of(base), "UPDATE runs SET reported = 1 WHERE id <= ?2 AND reported = 0",
		       NULL, upto, "cannot mark runs reported", err);
}

static enum status sqlite_each_run(struct store *base, store_run_fn fn, void *arg,
				   struct error *err)
{
	struct sqlite_store *s = of(base);
	sqlite3_stmt *st = NULL;
	enum status rc =
	    prepare(s, "SELECT id, what, started, ended, host, pid, reported FROM runs ORDER BY id",
		    &st, err);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_run x = {sqlite3_column_int64(st, 0),
				      (const char *)sqlite3_column_text(st, 1),
				      (const char *)sqlite3_column_text(st, 2),
				      (const char *)sqlite3_column_text(st, 3),
				      (const char *)sqlite3_column_text(st, 4),
				      (long)sqlite3_column_int64(st, 5),
				      sqlite3_column_int(st, 6) != 0};
		if (fn(&x, arg))
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_error(s, err, "cannot read the runs");
	sqlite3_finalize(st);
	return rc;
}

/* Migrated at open: nothing left to do but say so. */
static enum status sqlite_migrate(struct store *base, int *from, int *to, struct error *err)
{
	enum status rc = sqlite_schema_version(base, from, err);
	*to = *from;
	return rc;
}

static enum status sqlite_counts(struct store *base, size_t *nobs, size_t *npayloads,
				 size_t *nstruct, struct error *err)
{
	struct sqlite_store *s = of(base);
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

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .put = sqlite_put,
    .each = sqlite_each,
    .each_in = sqlite_each_in,
    .each_structure = sqlite_each_structure,
    .each_change = sqlite_each_change,
    .counts = sqlite_counts,
    .lock = sqlite_lock,
    .unlock = sqlite_unlock,
    .run_begin = sqlite_run_begin,
    .run_end = sqlite_run_end,
    .run_reported = sqlite_run_reported,
    .each_run = sqlite_each_run,
    .migrate = sqlite_migrate,
    .schema_version = sqlite_schema_version,
    .grant = NULL,
};
