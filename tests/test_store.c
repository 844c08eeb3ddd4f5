/* core/store.c: schema, idempotent upserts, history of revised values. */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/store.h"
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

void suite_store(void)
{
	CU_pSuite s = CU_add_suite("store", NULL, NULL);
	ADD_TEST(s, test_store_upsert_idempotent_and_history);
	ADD_TEST(s, test_store_structures);
	ADD_TEST(s, test_store_no_lock_left_between_puts);
	ADD_TEST(s, test_store_refuses_newer_schema_and_foreign_files);
}
