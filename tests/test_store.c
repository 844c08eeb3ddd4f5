/* core/store.c: schema, idempotent upserts, history of revised values. */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/store.h"
#include "../core/store_backend.h"
#include "helpers.h"

static void obs(struct observation *o, const char *terr, const char *ind, const char *period,
		double v, enum obs_status st)
{
	memset(o, 0, sizeof(*o));
	strcpy(o->territory, terr);
	strcpy(o->cog, "2025");
	strcpy(o->indicator, ind);
	strcpy(o->period, period);
	strcpy(o->unit, "persons");
	strcpy(o->source, "melodi");
	strcpy(o->dataset, "DS_POPULATIONS_REFERENCE");
	o->value = v;
	o->status = st;
}

static void store_path(struct strbuf *sb, const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/sub/%s", test_tmpdir(), name);
}

struct collect {
	struct observation o[8];
	size_t n;
	char url[128];
};

static int collect_cb(const struct store_row *row, void *arg)
{
	struct collect *c = arg;
	if (c->n < 8)
		c->o[c->n++] = row->obs;
	snprintf(c->url, sizeof(c->url), "%s", row->url);
	return 0;
}

static long count_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long n = -1;
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

static void test_store_upsert_idempotent_and_history(void)
{
	struct strbuf path = STRBUF_INIT;
	struct store *s = NULL;
	struct store_stats stats;
	struct error err;
	struct observation o[3];
	store_path(&path, "a.db");
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	obs(&o[0], "dep:69", "melodi.popref.PMUN", "2023", 1914667, OBS_FINAL);
	obs(&o[1], "com:44109", "melodi.popref.PMUN", "2023", 327734, OBS_FINAL);
	obs(&o[2], "com:01001", "filo.poverty", "2021", NAN, OBS_SECRET);
	struct store_payload p = {
	    "melodi",
	    "DS_POPULATIONS_REFERENCE",
	    "http://h/data",
	    "2026-11-29T02:00:00Z",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    10,
	    NULL};
	CU_ASSERT_EQUAL(store_put(s, &p, o, 3, NULL, 0, &stats, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(stats.inserted, 3);
	/* the same payload again: nothing changes */
	CU_ASSERT_EQUAL(store_put(s, &p, o, 3, NULL, 0, &stats, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(stats.inserted, 0);
	CU_ASSERT_EQUAL(stats.updated, 0);
	CU_ASSERT_EQUAL(stats.unchanged, 3);
	size_t nobs, npay, nst;
	CU_ASSERT_EQUAL(store_counts(s, &nobs, &npay, &nst, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(nobs, 3);
	CU_ASSERT_EQUAL(npay, 1);

	/* a revision keeps the previous value in the history */
	o[0].value = 1914700;
	o[0].status = OBS_REVISED;
	p.sha256 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
	p.retrieved = "2026-12-01T00:00:00Z";
	CU_ASSERT_EQUAL(store_put(s, &p, o, 1, NULL, 0, &stats, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(stats.updated, 1);

	struct collect c = {0};
	CU_ASSERT_EQUAL(store_each(s, "dep:69", NULL, collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_DOUBLE_EQUAL(c.o[0].value, 1914700, 0);
	CU_ASSERT_EQUAL(c.o[0].status, OBS_REVISED);
	CU_ASSERT_STRING_EQUAL(c.url, "http://h/data");
	c.n = 0;
	CU_ASSERT_EQUAL(store_each(s, NULL, "filo.", collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT(isnan(c.o[0].value)); /* secret stays missing, never zero */
	CU_ASSERT_EQUAL(c.o[0].status, OBS_SECRET);
	store_close(s);

	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT count(*) FROM observation_history"), 1);
	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT value FROM observation_history"), 1914667);
	CU_ASSERT_EQUAL(
	    count_sql(path.buf, "SELECT count(*) FROM observations WHERE value IS NULL"), 1);
	/* reopening keeps everything */
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_counts(s, &nobs, &npay, &nst, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(nobs, 3);
	CU_ASSERT_EQUAL(npay, 2);
	store_close(s);
	strbuf_release(&path);
}

static void test_store_structures(void)
{
	struct strbuf path = STRBUF_INIT;
	struct store *s = NULL;
	struct error err;
	struct siae_structure x[2];
	memset(x, 0, sizeof(x));
	strcpy(x[0].siret, "12345678900011");
	strcpy(x[0].kind, "ACI");
	strcpy(x[0].name, "Atelier");
	strcpy(x[1].siret, "12345678900029");
	strcpy(x[1].kind, "EI");
	strcpy(x[1].name, "Entreprise");
	store_path(&path, "b.db");
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	struct store_payload p = {
	    "siae",
	    "siaes",
	    "http://h/siaes",
	    "2026-11-29T02:00:00Z",
	    "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
	    5,
	    NULL};
	CU_ASSERT_EQUAL(store_put(s, &p, NULL, 0, x, 2, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_put(s, &p, NULL, 0, x, 2, NULL, &err), TERRAIN_OK);
	size_t nst;
	CU_ASSERT_EQUAL(store_counts(s, NULL, NULL, &nst, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(nst, 2);
	store_close(s);
	strbuf_release(&path);
}

static void test_store_refuses_newer_schema_and_foreign_files(void)
{
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
	struct store *s = NULL;
	struct error err;
	sqlite3 *db;
	store_path(&path, "new.db");
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	store_close(s);
	CU_ASSERT_EQUAL(sqlite3_open(path.buf, &db), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CU_ASSERT_EQUAL(store_open(&s, path.buf, &err), TERRAIN_EDATA);
	strbuf_addf(&want,
		    "%s: store schema version 99 is newer than this terrain's (2): upgrade terrain",
		    path.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_PTR_NULL(s);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/text.db", test_tmpdir());
	test_write_file(path.buf,
			"this is not a database, and it is long enough to be read as one");
	CU_ASSERT_EQUAL(store_open(&s, path.buf, &err), TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "file is not a database"));
	CU_ASSERT_EQUAL(store_open(&s, "", &err), TERRAIN_EUSAGE);
	strbuf_release(&want);
	strbuf_release(&path);
}

static void test_store_no_lock_left_between_puts(void)
{
	struct strbuf path = STRBUF_INIT;
	struct store *s = NULL;
	struct error err;
	struct observation o;
	sqlite3 *other;
	store_path(&path, "lock.db");
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	obs(&o, "dep:38", "x", "2023", 1, OBS_FINAL);
	struct store_payload p = {
	    "melodi",
	    "DS",
	    "http://h/x",
	    "2026-11-29T02:00:00Z",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	    1,
	    NULL};
	CU_ASSERT_EQUAL(store_put(s, &p, &o, 1, NULL, 0, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_put(s, &p, &o, 1, NULL, 0, NULL, &err), TERRAIN_OK); /* unchanged */
	/* another process may write at once while this store stays open (a
	 * cron job and a project on the same store) */
	CU_ASSERT_EQUAL(sqlite3_open(path.buf, &other), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(other,
				     "BEGIN IMMEDIATE; UPDATE observations SET unit = unit; COMMIT",
				     NULL, NULL, NULL),
			SQLITE_OK);
	sqlite3_close(other);
	store_close(s);
	strbuf_release(&path);
}

/* ---- the tests every back end passes ----
 * Each takes its store from the back end's where function (a fresh, empty
 * store per call), and uses nothing but core/store.h: the PostgreSQL back
 * end registers the same suite with the URI of its test server. */

#define BACKENDS_MAX 4
static struct {
	const char *name;
	store_where_fn where;
} backends[BACKENDS_MAX];
static size_t nbackends, cur;

static int use_backend0(void)
{
	cur = 0;
	return 0;
}
static int use_backend1(void)
{
	cur = 1;
	return 0;
}
static int use_backend2(void)
{
	cur = 2;
	return 0;
}
static int use_backend3(void)
{
	cur = 3;
	return 0;
}

static struct store *open_fresh(const char *tag)
{
	struct store *s = NULL;
	struct error err;
	const char *where = backends[cur].where(tag);
	CU_ASSERT_PTR_NOT_NULL(where);
	if (where && store_open(&s, where, &err) != TERRAIN_OK) {
		CU_FAIL(err.msg);
		s = NULL;
	}
	return s;
}

static struct store_payload payload(const char *sha_char, const char *retrieved)
{
	static char sha[4][65];
	static int k;
	char *h = sha[k++ % 4];
	memset(h, *sha_char, 64);
	h[64] = '\0';
	return (struct store_payload){"melodi", "DS", "http://h/x", retrieved, h, 1, NULL};
}

struct changes_seen {
	struct store_change c[8];
	size_t n;
};

static int change_cb(const struct store_change *c, void *arg)
{
	struct changes_seen *x = arg;
	if (x->n < 8)
		x->c[x->n] = *c;
	x->n++;
	return 0;
}

static void test_store_backend_upsert_and_history(void)
{
	struct store *s = open_fresh("upsert");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	struct error err;
	struct store_stats st;
	struct observation o[3];
	obs(&o[0], "dep:69", "melodi.popref.PMUN", "2023", 1914667, OBS_FINAL);
	obs(&o[1], "com:44109", "melodi.popref.PMUN", "2023", 327734, OBS_FINAL);
	obs(&o[2], "com:01001", "filo.poverty", "2021", NAN, OBS_SECRET);
	struct store_payload p = payload("a", "2026-11-29T02:00:00Z");
	CU_ASSERT_EQUAL(store_put(s, &p, o, 3, NULL, 0, &st, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(st.inserted, 3);
	CU_ASSERT_EQUAL(store_put(s, &p, o, 3, NULL, 0, &st, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(st.unchanged, 3);
	CU_ASSERT_EQUAL(st.inserted + st.updated, 0);
	o[0].value = 1914700;
	p = payload("b", "2026-12-01T00:00:00Z");
	CU_ASSERT_EQUAL(store_put(s, &p, o, 3, NULL, 0, &st, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(st.updated, 1);
	CU_ASSERT_EQUAL(st.unchanged, 2);
	struct collect c = {0};
	CU_ASSERT_EQUAL(store_each(s, "dep:69", NULL, collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_DOUBLE_EQUAL(c.o[0].value, 1914700, 0);
	c.n = 0;
	CU_ASSERT_EQUAL(store_each(s, NULL, "filo.", collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT(isnan(c.o[0].value)); /* a secret stays missing, never zero */
	c.n = 0;
	/* a prefix is a prefix: "melodi.popref." finds both, "melodi.popref.PMUNX" none */
	CU_ASSERT_EQUAL(store_each(s, NULL, "melodi.popref.", collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 2);
	c.n = 0;
	CU_ASSERT_EQUAL(store_each(s, NULL, "melodi.popref.PMUNX", collect_cb, &c, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 0);
	size_t nobs, npay;
	CU_ASSERT_EQUAL(store_counts(s, &nobs, &npay, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(nobs, 3);
	CU_ASSERT_EQUAL(npay, 2);
	int v = 0, from = -1, to = -1;
	CU_ASSERT_EQUAL(store_schema_version(s, &v, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(v, STORE_SCHEMA_VERSION);
	CU_ASSERT_EQUAL(store_migrate(s, &from, &to, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(from, STORE_SCHEMA_VERSION);
	CU_ASSERT_EQUAL(to, STORE_SCHEMA_VERSION);
	store_close(s);
}

static void test_store_backend_each_in(void)
{
	struct store *s = open_fresh("each_in");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	struct error err;
	struct observation o[4];
	obs(&o[0], "com:38185", "a.x", "2021", 1, OBS_FINAL);
	obs(&o[1], "com:38185", "b.y", "2021", 2, OBS_FINAL);
	obs(&o[2], "com:69123", "a.x", "2021", 3, OBS_FINAL);
	obs(&o[3], "com:01001", "a.x", "2021", 4, OBS_FINAL);
	struct store_payload p = payload("c", "2026-11-29T02:00:00Z");
	CU_ASSERT_EQUAL(store_put(s, &p, o, 4, NULL, 0, NULL, &err), TERRAIN_OK);
	/* the set's order, a territory absent from the store, one twice */
	const char *set[] = {"com:69123", "com:99999", "com:38185"};
	struct collect c = {0};
	CU_ASSERT_EQUAL(store_each_in(s, set, 3, NULL, collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(c.n, 3);
	CU_ASSERT_DOUBLE_EQUAL(c.o[0].value, 3, 0);
	CU_ASSERT_DOUBLE_EQUAL(c.o[1].value, 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(c.o[2].value, 2, 0);
	c.n = 0;
	CU_ASSERT_EQUAL(store_each_in(s, set, 3, "a.", collect_cb, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 2);
	store_close(s);
}

struct runs_seen {
	size_t n, reported, ended;
	long pid;
};

static int run_cb(const struct store_run *r, void *arg)
{
	struct runs_seen *x = arg;
	x->n++;
	x->reported += r->reported;
	x->ended += r->ended != NULL;
	x->pid = r->pid;
	return 0;
}

/* A run's changes are reported by the first run that writes its report:
 * a run that could not (killed between its commit and its report) leaves
 * them to the next. */
static void test_store_backend_runs_and_changes(void)
{
	struct store *s = open_fresh("runs");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	struct error err;
	struct observation o[3];
	obs(&o[0], "com:38185", "terrain.a", "2021", 100, OBS_FINAL);
	obs(&o[1], "com:38185", "terrain.b", "2021", 200, OBS_FINAL);
	strcpy(o[0].source, "terrain"), strcpy(o[1].source, "terrain");
	int64_t r1 = 0, r2 = 0, r3 = 0;
	struct changes_seen ch = {0};
	/* run 1 makes two keys and reports them */
	CU_ASSERT_EQUAL(store_run_begin(s, "refresh test", "2026-12-01T00:00:00Z", &r1, &err),
			TERRAIN_OK);
	struct store_payload p = payload("d", "2026-12-01T00:00:00Z");
	CU_ASSERT_EQUAL(store_put(s, &p, o, 2, NULL, 0, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_run_end(s, r1, "2026-12-01T00:01:00Z", &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_change(s, "terrain", r1, change_cb, &ch, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(ch.n, 2);
	CU_ASSERT_FALSE(ch.c[0].revised);
	CU_ASSERT_STRING_EQUAL(ch.c[0].indicator, "terrain.a");
	CU_ASSERT(isnan(ch.c[0].old_value));
	CU_ASSERT_DOUBLE_EQUAL(ch.c[0].new_value, 100, 0);
	CU_ASSERT_EQUAL(ch.c[0].run, r1);
	ch.n = 0; /* another source's changes are not these */
	CU_ASSERT_EQUAL(store_each_change(s, "melodi", r1, change_cb, &ch, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(ch.n, 0);
	CU_ASSERT_EQUAL(store_run_reported(s, r1, &err), TERRAIN_OK);

	/* run 2 revises a (100 -> 110), keeps b, makes c, and dies before its
	 * report: nothing marks it reported */
	CU_ASSERT_EQUAL(store_run_begin(s, "refresh test", "2026-12-02T00:00:00Z", &r2, &err),
			TERRAIN_OK);
	CU_ASSERT(r2 > r1);
	o[0].value = 110;
	obs(&o[2], "com:69123", "terrain.a", "2021", 300, OBS_FINAL);
	strcpy(o[2].source, "terrain");
	p = payload("e", "2026-12-02T00:00:00Z");
	CU_ASSERT_EQUAL(store_put(s, &p, o, 3, NULL, 0, NULL, &err), TERRAIN_OK);
	store_close(s);

	/* run 3, on a new connection, changes a again (110 -> 120) and reports
	 * run 2's changes with its own: a from 100 (before the first
	 * unreported revision) to 120, c new */
	const char *again = backends[cur].where(NULL);
	CU_ASSERT_EQUAL_FATAL(store_open(&s, again, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_run_begin(s, "refresh test", "2026-12-03T00:00:00Z", &r3, &err),
			TERRAIN_OK);
	o[0].value = 120;
	p = payload("f", "2026-12-03T00:00:00Z");
	CU_ASSERT_EQUAL(store_put(s, &p, o, 1, NULL, 0, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_run_end(s, r3, "2026-12-03T00:01:00Z", &err), TERRAIN_OK);
	ch.n = 0;
	CU_ASSERT_EQUAL(store_each_change(s, "terrain", r3, change_cb, &ch, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(ch.n, 2);
	/* ordered by run: c (made by run 2), then a (last set by run 3) */
	CU_ASSERT_STRING_EQUAL(ch.c[0].territory, "com:69123");
	CU_ASSERT_FALSE(ch.c[0].revised);
	CU_ASSERT_EQUAL(ch.c[0].run, r2);
	CU_ASSERT_STRING_EQUAL(ch.c[1].territory, "com:38185");
	CU_ASSERT_TRUE(ch.c[1].revised);
	CU_ASSERT_DOUBLE_EQUAL(ch.c[1].old_value, 100, 0);
	CU_ASSERT_DOUBLE_EQUAL(ch.c[1].new_value, 120, 0);
	CU_ASSERT_EQUAL(ch.c[1].run, r3);
	CU_ASSERT_EQUAL(store_run_reported(s, r3, &err), TERRAIN_OK);
	ch.n = 0;
	CU_ASSERT_EQUAL(store_each_change(s, "terrain", r3, change_cb, &ch, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(ch.n, 0);
	struct runs_seen rs = {0};
	CU_ASSERT_EQUAL(store_each_run(s, run_cb, &rs, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(rs.n, 3);
	CU_ASSERT_EQUAL(rs.reported, 3);
	CU_ASSERT_EQUAL(rs.ended, 2); /* run 2 never ended */
	CU_ASSERT_EQUAL(rs.pid, (long)getpid());
	store_close(s);
}

/* One writer at a time: a second handle's lock is refused, naming the
 * holder, until the first lets go. */
static void test_store_backend_lock(void)
{
	struct store *a = open_fresh("lock"), *b = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	struct error err;
	CU_ASSERT_EQUAL_FATAL(store_open(&b, backends[cur].where(NULL), &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_lock(a, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_lock(b, &err), TERRAIN_ELOCKED);
	char pid[32];
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, pid));
	store_unlock(a);
	CU_ASSERT_EQUAL(store_lock(b, &err), TERRAIN_OK);
	store_close(b); /* closing releases it */
	CU_ASSERT_EQUAL(store_lock(a, &err), TERRAIN_OK);
	store_close(a);
}

void suite_store_backend(const char *name, store_where_fn where)
{
	static int (*const init[BACKENDS_MAX])(void) = {use_backend0, use_backend1, use_backend2,
							use_backend3};
	if (nbackends == BACKENDS_MAX)
		return;
	backends[nbackends].name = name;
	backends[nbackends].where = where;
	CU_pSuite s = CU_add_suite(name, init[nbackends], NULL);
	nbackends++;
	ADD_TEST(s, test_store_backend_upsert_and_history);
	ADD_TEST(s, test_store_backend_each_in);
	ADD_TEST(s, test_store_backend_runs_and_changes);
	ADD_TEST(s, test_store_backend_lock);
}

/* The SQLite back end's where: a new file for each tag; NULL: the last. */
static const char *sqlite_where(const char *tag)
{
	static struct strbuf path = STRBUF_INIT;
	static unsigned k;
	if (tag) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/backend/%s-%u.db", test_tmpdir(), tag, k++);
	}
	return path.buf;
}

/* ---- the SQLite back end's own ---- */

/* The reads that name a territory set, an indicator or the unreported
 * runs search an index; none scans the observations (EXPLAIN QUERY PLAN:
 * "SCAN o" would be a full scan, "SEARCH o USING ..." is a seek). */
static void test_store_sqlite_reads_use_indexes(void)
{
	struct strbuf path = STRBUF_INIT, plan = STRBUF_INIT;
	struct store *s = NULL;
	struct error err;
	store_path(&path, "plans.db");
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	static const char *const reads[] = {"each_territory",	     "each_prefix",
					    "each_territory_prefix", "each_in",
					    "each_in_prefix",	     "changes"};
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		CU_ASSERT_EQUAL(store_sqlite_explain(s, reads[i], &plan, &err), TERRAIN_OK);
		CU_ASSERT_PTR_NULL(strstr(plan.buf, "SCAN o\n"));
		CU_ASSERT_PTR_NULL(strstr(plan.buf, "SCAN o USING"));
		CU_ASSERT_PTR_NOT_NULL(strstr(plan.buf, "SEARCH o USING"));
		if (strstr(plan.buf, "SCAN o"))
			fprintf(stderr, "%s: %s", reads[i], plan.buf);
	}
	/* by indicator: the indicator index; the changes: the run index, in
	 * its order (no sort of the whole table) */
	CU_ASSERT_EQUAL(store_sqlite_explain(s, "each_prefix", &plan, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(plan.buf, "observations_indicator"));
	CU_ASSERT_EQUAL(store_sqlite_explain(s, "changes", &plan, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(plan.buf, "SEARCH o USING INDEX observations_run (run=?)"));
	CU_ASSERT_PTR_NULL(strstr(plan.buf, "TEMP B-TREE"));
	/* and the whole store is a scan, as it must */
	CU_ASSERT_EQUAL(store_sqlite_explain(s, "each", &plan, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(plan.buf, "SCAN o"));
	CU_ASSERT_EQUAL(store_sqlite_explain(s, "nothing", &plan, &err), TERRAIN_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "no store query named 'nothing'");
	CU_ASSERT_STRING_EQUAL(store_backend(s), "sqlite");
	CU_ASSERT_STRING_EQUAL(store_where(s), path.buf);
	CU_ASSERT_EQUAL(store_grant(s, "analyst", false, &err), TERRAIN_EUSAGE);
	store_close(s);
	strbuf_release(&plan);
	strbuf_release(&path);
}

/* Schema 1, verbatim from core/store.c of terrain 0.1.0, with a few rows. */
static const char v1_sql[] =
    "CREATE TABLE payloads (id INTEGER PRIMARY KEY, source TEXT NOT NULL, dataset TEXT "
    "NOT NULL, url TEXT NOT NULL, retrieved TEXT NOT NULL, sha256 TEXT NOT NULL, size "
    "INTEGER NOT NULL, UNIQUE (url, sha256));"
    "CREATE TABLE observations (territory TEXT NOT NULL, indicator TEXT NOT NULL, "
    "period "
    "TEXT NOT NULL, source TEXT NOT NULL, dataset TEXT NOT NULL, cog TEXT NOT NULL, "
    "value "
    "REAL, unit TEXT NOT NULL, status TEXT NOT NULL, vintage TEXT NOT NULL, payload "
    "INTEGER NOT NULL REFERENCES payloads (id), first_seen TEXT NOT NULL, last_seen "
    "TEXT "
    "NOT NULL, PRIMARY KEY (territory, indicator, period, source, dataset)) WITHOUT "
    "ROWID;"
    "CREATE TABLE observation_history (territory TEXT NOT NULL, indicator TEXT NOT "
    "NULL, "
    "period TEXT NOT NULL, source TEXT NOT NULL, dataset TEXT NOT NULL, value REAL, "
    "unit "
    "TEXT NOT NULL, status TEXT NOT NULL, vintage TEXT NOT NULL, payload INTEGER NOT "
    "NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, replaced TEXT NOT NULL);"
    "CREATE INDEX observation_history_key ON observation_history (territory, "
    "indicator, "
    "period, source, dataset);"
    "CREATE TABLE structures (source TEXT NOT NULL, siret TEXT NOT NULL, name TEXT NOT "
    "NULL, kind TEXT NOT NULL, postcode TEXT NOT NULL, city TEXT NOT NULL, dep TEXT "
    "NOT "
    "NULL, insee TEXT NOT NULL, updated TEXT NOT NULL, npositions INTEGER NOT NULL, "
    "payload INTEGER NOT NULL REFERENCES payloads (id), last_seen TEXT NOT NULL, "
    "PRIMARY "
    "KEY (source, siret, name, kind));"
    "PRAGMA user_version = 1;"
    "INSERT INTO payloads VALUES (1, 'terrain', 'indicators', "
    "'terrain:refresh/reg:84', "
    "'2026-11-01T00:00:00Z', 'x', 0);"
    "INSERT INTO observations VALUES ('com:38185', 'terrain.pop', '2020', 'terrain', "
    "'indicators', '2025', 158000, 'persons', 'final', '', 1, '2026-11-01T00:00:00Z', "
    "'2026-11-01T00:00:00Z');"
    "INSERT INTO observations VALUES ('com:38185', 'terrain.pop', '2021', 'terrain', "
    "'indicators', '2025', 157000, 'persons', 'final', '', 1, '2026-11-01T00:00:00Z', "
    "'2026-11-01T00:00:00Z');"
    "INSERT INTO observation_history VALUES ('com:38185', 'terrain.pop', '2021', "
    "'terrain', 'indicators', 156000, 'persons', 'final', '', 1, "
    "'2026-10-01T00:00:00Z', "
    "'2026-10-15T00:00:00Z', '2026-11-01T00:00:00Z');";

/* A store of schema 1 (terrain before runs), as it was written then:
 * opened, it is migrated to 2 in place, its rows kept, counted as
 * reported (no run made them), and it reads through the views. */
static void test_store_sqlite_migrates_version_1(void)
{
	struct strbuf path = STRBUF_INIT;
	struct store *s = NULL;
	struct error err;
	sqlite3 *db;
	strbuf_addf(&path, "%s/v1.db", test_tmpdir());
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path.buf, &db), SQLITE_OK);
	/* schema 1, verbatim from core/store.c of terrain 0.1.0 */
	CU_ASSERT_EQUAL(sqlite3_exec(db, v1_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	int v = 0;
	CU_ASSERT_EQUAL(store_schema_version(s, &v, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(v, 2);
	size_t nobs;
	CU_ASSERT_EQUAL(store_counts(s, &nobs, NULL, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(nobs, 2);
	struct changes_seen ch = {0};
	CU_ASSERT_EQUAL(store_each_change(s, "terrain", INT64_MAX, change_cb, &ch, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(ch.n, 0); /* made before runs: nothing left to report */
	store_close(s);
	/* the migration said, as PostgreSQL's is: the copy of the version-1
	 * file made before it was opened, migrated by terrain store migrate */
	{
		struct strbuf copy = STRBUF_INIT, out = STRBUF_INIT, e2 = STRBUF_INIT;
		strbuf_addf(&copy, "%s/v1-copy.db", test_tmpdir());
		CU_ASSERT_EQUAL_FATAL(sqlite3_open(copy.buf, &db), SQLITE_OK);
		CU_ASSERT_EQUAL(sqlite3_exec(db, v1_sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		const char *argv[] = {"store", "migrate", "--store", copy.buf, NULL};
		CU_ASSERT_EQUAL(count_sql(copy.buf, "PRAGMA user_version"), 1);
		CU_ASSERT_EQUAL(test_run(argv, NULL, NULL, &out, &e2), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(e2.buf, "store schema migrated from version 1 to 2"));
		/* a new file is created at the version: nothing to say */
		strbuf_reset(&e2);
		strbuf_addf(&copy, "-new");
		argv[3] = copy.buf;
		CU_ASSERT_EQUAL(test_run(argv, NULL, NULL, &out, &e2), 0);
		CU_ASSERT_PTR_NULL(strstr(e2.buf, "migrated"));
		strbuf_release(&copy);
		strbuf_release(&out);
		strbuf_release(&e2);
	}
	/* the views: the latest period of each key (2021), and every value
	 * held, current (valid_to NULL) and replaced */
	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT count(*) FROM indicator_latest"), 1);
	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT value FROM indicator_latest WHERE period = "
					    "'2021' AND url = 'terrain:refresh/reg:84'"),
			157000);
	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT count(*) FROM indicator_history"), 3);
	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT value FROM indicator_history WHERE period = "
					    "'2021' AND valid_to = '2026-11-01T00:00:00Z'"),
			156000);
	CU_ASSERT_EQUAL(count_sql(path.buf, "SELECT count(*) FROM indicator_history WHERE "
					    "valid_to IS NULL AND run IS NULL"),
			2);
	strbuf_release(&path);
}

/* The views' columns, the same on every back end (core/store.h). */
static void test_store_sqlite_view_columns(void)
{
	struct strbuf path = STRBUF_INIT;
	struct store *s = NULL;
	struct error err;
	store_path(&path, "views.db");
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, &err), TERRAIN_OK);
	store_close(s);
	sqlite3 *db;
	sqlite3_stmt *st;
	static const char *const want[][2] = {
	    {"indicator_latest", "territory,indicator,period,value,unit,status,vintage,source,"
				 "dataset,cog,retrieved,url,first_seen,last_seen"},
	    {"indicator_history", "territory,indicator,period,value,unit,status,vintage,source,"
				  "dataset,valid_from,valid_to,run"}};
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path.buf, &db), SQLITE_OK);
	for (size_t v = 0; v < 2; v++) {
		struct strbuf sql = STRBUF_INIT, cols = STRBUF_INIT;
		strbuf_addf(&sql, "SELECT * FROM %s", want[v][0]);
		CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(db, sql.buf, -1, &st, NULL), SQLITE_OK);
		for (int i = 0; i < sqlite3_column_count(st); i++)
			strbuf_addf(&cols, "%s%s", i ? "," : "", sqlite3_column_name(st, i));
		CU_ASSERT_STRING_EQUAL(cols.buf, want[v][1]);
		sqlite3_finalize(st);
		strbuf_release(&sql);
		strbuf_release(&cols);
	}
	sqlite3_close(db);
	strbuf_release(&path);
}

void suite_store(void)
{
	CU_pSuite s = CU_add_suite("store", NULL, NULL);
	ADD_TEST(s, test_store_upsert_idempotent_and_history);
	ADD_TEST(s, test_store_structures);
	ADD_TEST(s, test_store_no_lock_left_between_puts);
	ADD_TEST(s, test_store_refuses_newer_schema_and_foreign_files);
	ADD_TEST(s, test_store_sqlite_reads_use_indexes);
	ADD_TEST(s, test_store_sqlite_migrates_version_1);
	ADD_TEST(s, test_store_sqlite_view_columns);
	suite_store_backend("store_sqlite", sqlite_where);
}
