/* core/store_pg.c against a real PostgreSQL server the suite starts
 * (tests/pgserver.c): the same scenario through store.h on SQLite and on
 * PostgreSQL gives the same transcript; the schema version refused when
 * newer; the writer lock (a second writer gets 75 naming the first's host
 * and pid); reader and writer roles; passwords redacted from messages;
 * terrain refresh into PostgreSQL giving SQLite's indicators.csv, and
 * killed with SIGKILL at random moments leaving a consistent store. */
#include <libpq-fe.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/store.h"
#include "helpers.h"
#include "pgserver.h"

static struct pgserver pg;
static int pg_started; /* 0 not yet, 1 done (pg_state says how) */
static enum pgserver_state pg_state = PGSERVER_FAILED;

static void stop_server(void)
{
	pgserver_stop(&pg);
}

/* The server, started on first use for this suite and the back-end suite
 * of tests/test_store.c, stopped at exit (and by its watchdog, however
 * the runner ends). */
static enum pgserver_state server(void)
{
	if (!pg_started) {
		pg_started = 1;
		pg_state = pgserver_start(&pg);
		atexit(stop_server);
	}
	return pg_state;
}

/* Whether the server runs; a failure to start is a failed test, a skip
 * (no binaries, CI unset) was said loudly at the start. */
static bool ready(void)
{
	if (server() == PGSERVER_FAILED)
		CU_FAIL("the PostgreSQL server of the tests did not start (see above)");
	return pg_state == PGSERVER_RUNNING;
}

/* Run sql on database db as user; the first value of the first row, owned
 * (free()), or NULL on error (the message in *msg, owned, when msg). */
static char *pg_value(const char *db, const char *user, const char *sql, char **msg)
{
	struct strbuf url = STRBUF_INIT;
	pgserver_url(&pg, db, user, &url);
	PGconn *c = PQconnectdb(url.buf);
	strbuf_release(&url);
	char *v = NULL;
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s == PGRES_TUPLES_OK && PQntuples(r))
		v = strdup(PQgetvalue(r, 0, 0));
	else if (s == PGRES_COMMAND_OK)
		v = strdup("");
	else if (msg)
		*msg = strdup(r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return v;
}

/* A new empty database; its superuser URI into url. */
static void new_database(const char *name, struct strbuf *url)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	char *ok = pg_value("postgres", NULL, sql, NULL);
	CU_ASSERT_PTR_NOT_NULL(ok);
	free(ok);
	strbuf_reset(url);
	pgserver_url(&pg, name, NULL, url);
}

/* ---- the same scenario on both back ends ---- */

static void obs(struct observation *o, const char *terr, const char *ind, double v,
		enum obs_status st)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->territory, sizeof(o->territory), "%s", terr);
	snprintf(o->cog, sizeof(o->cog), "2025");
	snprintf(o->indicator, sizeof(o->indicator), "%s", ind);
	snprintf(o->period, sizeof(o->period), "2021");
	snprintf(o->unit, sizeof(o->unit), "persons");
	snprintf(o->source, sizeof(o->source), "melodi");
	snprintf(o->dataset, sizeof(o->dataset), "DS_TEST");
	o->value = v;
	o->status = st;
}

static int row_line(const struct store_row *r, void *arg)
{
	strbuf_addf(arg, "row %s %s %s %s %s %.17g %s %s %s %s\n", r->obs.territory,
		    r->obs.indicator, r->obs.period, r->obs.source, r->obs.cog, r->obs.value,
		    r->obs.unit, obs_status_name(r->obs.status), r->url, r->retrieved);
	return 0;
}

static int change_line(const struct store_change *c, void *arg)
{
	strbuf_addf(arg, "change %s %s %s %s %.17g %.17g run %lld\n", c->territory, c->indicator,
		    c->period, c->revised ? "revised" : "new", c->old_value, c->new_value,
		    (long long)c->run);
	return 0;
}

static int structure_line(const struct siae_structure *x, const char *retrieved, void *arg)
{
	strbuf_addf(arg, "structure %s %s %s %s %s %u %s %s\n", x->siret, x->kind, x->name, x->dep,
		    x->insee, x->npositions, x->source, retrieved);
	return 0;
}

static int run_line(const struct store_run *r, void *arg)
{
	strbuf_addf(arg, "run %lld %s %s %s %s\n", (long long)r->id, r->what, r->started,
		    r->ended ? r->ended : "(running)", r->reported ? "reported" : "unreported");
	return 0;
}

static void stats_line(struct strbuf *t, const char *what, const struct store_stats *s)
{
	strbuf_addf(t, "%s: %zu inserted, %zu updated, %zu unchanged\n", what, s->inserted,
		    s->updated, s->unchanged);
}

/* The scenario on the store at where; its transcript appended to t. */
static void scenario(const char *where, struct strbuf *t)
{
	struct store *s = NULL;
	struct error err = {0};
	struct store_stats ss;
	int64_t run1 = 0, run2 = 0;
	int version = 0;
	enum status opened = store_open(&s, where, &err);
	if (opened)
		fprintf(stderr, "\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(opened, TERRAIN_OK);
	CU_ASSERT_EQUAL(store_schema_version(s, &version, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(version, STORE_SCHEMA_VERSION);
	CU_ASSERT_EQUAL(store_lock(s, &err), TERRAIN_OK);

	struct observation o[5];
	obs(&o[0], "com:2", "x.a", 10, OBS_FINAL);
	obs(&o[1], "com:1", "x.a", 5, OBS_FINAL);
	obs(&o[2], "com:1", "x.b", 123, OBS_SECRET); /* stored missing, never 123 */
	obs(&o[3], "com:1", "y.a", 0.1, OBS_PROVISIONAL);
	obs(&o[4], "com:1", "xyz", 1.0 / 3, OBS_FINAL); /* "x_" must not match it */
	struct store_payload a = {"melodi", "DS_TEST", "http://h/a", "2026-01-01T00:00:00Z",
				  "aaa",    10,	       NULL};
	CU_ASSERT_EQUAL(store_run_begin(s, "test one", "2026-01-01T00:00:01Z", &run1, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(store_put(s, &a, o, 5, NULL, 0, &ss, &err), TERRAIN_OK);
	stats_line(t, "put a", &ss);
	a.seen = "2026-01-02T00:00:00Z"; /* the same payload confirmed: last_seen only */
	CU_ASSERT_EQUAL(store_put(s, &a, o, 5, NULL, 0, &ss, &err), TERRAIN_OK);
	stats_line(t, "put a again", &ss);
	CU_ASSERT_EQUAL(store_run_end(s, run1, "2026-01-01T00:00:02Z", &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_change(s, "melodi", run1, change_line, t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_run_reported(s, run1, &err), TERRAIN_OK);

	CU_ASSERT_EQUAL(store_run_begin(s, "test two", "2026-02-01T00:00:01Z", &run2, &err),
			TERRAIN_OK);
	struct observation b[3];
	obs(&b[0], "com:1", "x.a", 6, OBS_REVISED);
	obs(&b[1], "com:3", "x.a", 7, OBS_FINAL);
	obs(&b[2], "com:2", "x.a", 10, OBS_FINAL);
	struct store_payload pb = {"melodi", "DS_TEST", "http://h/b", "2026-02-01T00:00:00Z",
				   "bbb",    20,	NULL};
	CU_ASSERT_EQUAL(store_put(s, &pb, b, 3, NULL, 0, &ss, &err), TERRAIN_OK);
	stats_line(t, "put b", &ss);
	obs(&b[0], "com:1", "x.a", 8, OBS_REVISED); /* revised twice in one run */
	struct store_payload pc = {"melodi", "DS_TEST", "http://h/c", "2026-02-02T00:00:00Z",
				   "ccc",    30,	NULL};
	CU_ASSERT_EQUAL(store_put(s, &pc, b, 1, NULL, 0, &ss, &err), TERRAIN_OK);
	stats_line(t, "put c", &ss);
	/* a key twice in one put: compared with itself, as row by row */
	obs(&b[0], "com:9", "x.a", 1, OBS_FINAL);
	obs(&b[1], "com:9", "x.a", 2, OBS_FINAL);
	obs(&b[2], "com:9", "x.a", 2, OBS_FINAL);
	struct store_payload pd = {"melodi", "DS_TEST", "http://h/d", "2026-02-03T00:00:00Z",
				   "ddd",    40,	NULL};
	CU_ASSERT_EQUAL(store_put(s, &pd, b, 3, NULL, 0, &ss, &err), TERRAIN_OK);
	stats_line(t, "put d", &ss);
	/* not ended, not reported: a run that was killed */
	CU_ASSERT_EQUAL(store_each_change(s, "melodi", run2, change_line, t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_change(s, "other", run2, change_line, t, &err), TERRAIN_OK);

	struct siae_structure x[2] = {
	    {"12345678901234", "ACI", "Atelier \"d'en haut\"\tbis", "38000", "Grenoble", "38",
	     "38185", "2026-01-01", 3, ""},
	    {"22345678901234", "EI", "Régie\\Lyon", "69001", "Lyon", "69", "69381", "2026-01-02", 0,
	     ""},
	};
	struct store_payload ps = {"siae", "structures", "http://h/s", "2026-03-01T00:00:00Z",
				   "sss",  40,		 NULL};
	CU_ASSERT_EQUAL(store_put(s, &ps, NULL, 0, x, 2, &ss, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_structure(s, "38", structure_line, t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_structure(s, NULL, structure_line, t, &err), TERRAIN_OK);

	strbuf_addstr(t, "each all\n");
	CU_ASSERT_EQUAL(store_each(s, NULL, NULL, row_line, t, &err), TERRAIN_OK);
	strbuf_addstr(t, "each com:1 x.\n");
	CU_ASSERT_EQUAL(store_each(s, "com:1", "x.", row_line, t, &err), TERRAIN_OK);
	strbuf_addstr(t, "each x_\n");
	CU_ASSERT_EQUAL(store_each(s, NULL, "x_", row_line, t, &err), TERRAIN_OK);
	strbuf_addstr(t, "each in com:2 com:1 com:2, x\n");
	CU_ASSERT_EQUAL(store_each_in(s, (const char *const[]){"com:2", "com:1", "com:2"}, 3, "x",
				      row_line, t, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_run(s, run_line, t, &err), TERRAIN_OK);
	size_t nobs = 0, npay = 0, nst = 0;
	CU_ASSERT_EQUAL(store_counts(s, &nobs, &npay, &nst, &err), TERRAIN_OK);
	strbuf_addf(t, "counts %zu %zu %zu\n", nobs, npay, nst);
	store_close(s);
}

static void test_store_pg_same_as_sqlite(void)
{
	if (!ready())
		return;
	struct strbuf path = STRBUF_INIT, url = STRBUF_INIT, lite = STRBUF_INIT, post = STRBUF_INIT;
	strbuf_addf(&path, "%s/same.db", test_tmpdir());
	new_database("same", &url);
	scenario(path.buf, &lite);
	scenario(url.buf, &post);
	CU_ASSERT_STRING_EQUAL(post.buf, lite.buf);
	/* and what it holds, read on the PostgreSQL side, against the
	 * scenario's steps counted by hand */
	static const char *const want[] = {
	    "put a: 5 inserted, 0 updated, 0 unchanged\n",
	    "put a again: 0 inserted, 0 updated, 5 unchanged\n",
	    "change com:1 x.b 2021 new nan nan run 1\n",
	    "put b: 1 inserted, 1 updated, 1 unchanged\n",
	    "put c: 0 inserted, 1 updated, 0 unchanged\n",
	    "put d: 1 inserted, 1 updated, 1 unchanged\n",
	    /* the value before the first unreported run that replaced it */
	    ("change com:1 x.a 2021 revised 5 8 run 2\nchange com:3 x.a 2021 new nan 7 run 2\n"
	     "change com:9 x.a 2021 new nan 2 run 2\nstructure 12345678901234 ACI Atelier \"d'en "
	     "haut\"\tbis 38 38185 3 siae "
	     "2026-03-01T00:00:00Z\nstructure"),
	    ("each com:1 x.\nrow com:1 x.a 2021 melodi 2025 8 persons revised http://h/c "
	     "2026-02-02T00:00:00Z\nrow com:1 x.b 2021 melodi 2025 nan persons secret "
	     "http://h/a 2026-01-01T00:00:00Z\neach x_\neach in"),
	    "each in com:2 com:1 com:2, x\nrow com:2 x.a",
	    "row com:1 xyz 2021 melodi 2025 0.33333333333333331 persons",
	    ("run 1 test one 2026-01-01T00:00:01Z 2026-01-01T00:00:02Z reported\n"
	     "run 2 test two 2026-02-01T00:00:01Z (running) unreported\ncounts 7 5 2\n"),
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(post.buf, want[i])) {
			fprintf(stderr, "\nmissing from the transcript: %s\n", want[i]);
			CU_FAIL("transcript");
		}
	char *n = pg_value("same", NULL, "SELECT count(*) FROM indicator_history", NULL);
	CU_ASSERT_STRING_EQUAL(n, "10"); /* 7 current values, 3 replaced */
	free(n);
	n = pg_value(
	    "same", NULL,
	    "SELECT value || ' ' || period FROM indicator_latest WHERE territory = 'com:1' "
	    "AND indicator = 'x.a'",
	    NULL);
	CU_ASSERT_STRING_EQUAL(n, "8 2021");
	free(n);
	strbuf_release(&path);
	strbuf_release(&url);
	strbuf_release(&lite);
	strbuf_release(&post);
}

/* ---- schema versions ---- */

static void test_store_pg_migrate_and_newer_schema(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT, out = STRBUF_INIT, errb = STRBUF_INIT, env = STRBUF_INIT;
	new_database("versions", &url);
	strbuf_addf(&env, "TERRAIN_STORE=%s", url.buf);
	/* terrain store migrate on an empty database, then again */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	char want[256];
	/* the open migrates it (as a writer's would), and says so */
	snprintf(want, sizeof(want), "%s: store schema migrated from version 0 to %d\n", url.buf,
		 STORE_SCHEMA_VERSION);
	CU_ASSERT_PTR_NOT_NULL(strstr(errb.buf, want));
	snprintf(want, sizeof(want), "%s: schema version %d (up to date)\n", url.buf,
		 STORE_SCHEMA_VERSION);
	CU_ASSERT_STRING_EQUAL(out.buf, want);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	snprintf(want, sizeof(want), "%s: schema version %d (up to date)\n", url.buf,
		 STORE_SCHEMA_VERSION);
	CU_ASSERT_STRING_EQUAL(out.buf, want);
	char *v = pg_value("versions", NULL,
			   "SELECT string_agg(version::text, ',') FROM "
			   "schema_migrations",
			   NULL);
	CU_ASSERT_STRING_EQUAL(v, "2");
	free(v);
	/* a store a newer terrain migrated: refused, naming both versions */
	free(pg_value("versions", NULL, "INSERT INTO schema_migrations (version) VALUES (99)",
		      NULL));
	struct store *s = NULL;
	struct error err = {0};
	CU_ASSERT_EQUAL(store_open(&s, url.buf, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NULL(s);
	snprintf(want, sizeof(want),
		 "%s: store schema version 99 is newer than this terrain's (%d): upgrade terrain",
		 url.buf, STORE_SCHEMA_VERSION);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(errb.buf, want));
	/* a SQLite store is migrated at open: migrate says it is up to date */
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s/m.db", test_tmpdir());
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "m.db: schema version"));
	strbuf_release(&url);
	strbuf_release(&out);
	strbuf_release(&errb);
	strbuf_release(&env);
}

/* [store] url in the project file selects the store; TERRAIN_STORE still
 * overrides it */
static void test_store_pg_project_url(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT, ini = STRBUF_INIT, text = STRBUF_INIT, out = STRBUF_INIT,
		      errb = STRBUF_INIT, env = STRBUF_INIT, want = STRBUF_INIT;
	new_database("projurl", &url);
	strbuf_addf(&ini, "%s/terrain.ini", test_tmpdir());
	strbuf_addf(&text, "[project]\nterritory = 97611\n[store]\nurl = %s\n", url.buf);
	test_write_file(ini.buf, text.buf);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", "-c", ini.buf, NULL},
				 (const char *const[]){"TERRAIN_STORE", NULL}, NULL, &out, &errb),
			0);
	strbuf_addf(&want, "%s: schema version %d (up to date)\n", url.buf, STORE_SCHEMA_VERSION);
	CU_ASSERT_STRING_EQUAL(out.buf, want.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(errb.buf, "store schema migrated from version 0 to"));
	strbuf_addf(&env, "TERRAIN_STORE=%s/env.db", test_tmpdir());
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", "-c", ini.buf, NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "/env.db: schema version"));
	strbuf_release(&url);
	strbuf_release(&ini);
	strbuf_release(&text);
	strbuf_release(&out);
	strbuf_release(&errb);
	strbuf_release(&env);
	strbuf_release(&want);
}

/* The reads by territory set, by indicator and by run, and a put, on a
 * store of 20 000 values: none scans the observations (the table's own
 * counters, seq_scan unchanged while idx_scan grows), so that what a
 * région costs does not grow with what the store holds. */
static int count_rows_cb(const struct store_row *row, void *arg)
{
	(void)row;
	(*(size_t *)arg)++;
	return 0;
}

static int count_changes_cb(const struct store_change *c, void *arg)
{
	(void)c;
	(*(size_t *)arg)++;
	return 0;
}

static char *scans(void)
{
	return pg_value("plans", NULL,
			"SELECT seq_scan || ' ' || coalesce(idx_scan, 0) FROM pg_stat_user_tables"
			" WHERE relname = 'observations'",
			NULL);
}

static void test_store_pg_reads_use_indexes(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT;
	new_database("plans", &url);
	struct store *s = NULL;
	struct error err = {0};
	size_t n = 20000;
	struct observation *o = calloc(n, sizeof(*o));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	for (size_t i = 0; i < n; i++) {
		char terr[16], ind[16];
		snprintf(terr, sizeof(terr), "com:%05zu", i / 100);
		snprintf(ind, sizeof(ind), "a.%zu", i % 100);
		obs(&o[i], terr, ind, (double)i, OBS_FINAL);
	}
	struct store_payload big = {
	    "melodi", "DS_TEST", "http://h/big", "2026-01-01T00:00:00Z", "big", 1, NULL};
	CU_ASSERT_EQUAL_FATAL(store_open(&s, url.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_put(s, &big, o, n, NULL, 0, NULL, &err), TERRAIN_OK);
	store_close(s);
	free(pg_value("plans", NULL, "ANALYZE", NULL));
	char *before = scans();
	CU_ASSERT_PTR_NOT_NULL_FATAL(before);

	/* a run's put (new and changed values), then its reads */
	int64_t run = 0;
	size_t rows = 0, changes = 0;
	CU_ASSERT_EQUAL_FATAL(store_open(&s, url.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_run_begin(s, "plans", "2026-02-01T00:00:00Z", &run, &err),
			TERRAIN_OK);
	obs(&o[0], "com:00001", "a.1", -1, OBS_FINAL);	/* changed */
	obs(&o[1], "com:99999", "a.1", 1, OBS_FINAL);	/* new */
	obs(&o[2], "com:00002", "a.2", 202, OBS_FINAL); /* the same */
	struct store_payload small = {
	    "melodi", "DS_TEST", "http://h/small", "2026-02-01T00:00:00Z", "small", 1, NULL};
	CU_ASSERT_EQUAL(store_put(s, &small, o, 3, NULL, 0, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_in(s, (const char *const[]){"com:00005", "com:00007"}, 2, NULL,
				      count_rows_cb, &rows, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_in(s, (const char *const[]){"com:00005"}, 1, "a.7",
				      count_rows_cb, &rows, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each(s, NULL, "a.7", count_rows_cb, &rows, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each(s, "com:00003", NULL, count_rows_cb, &rows, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each_change(s, "melodi", run, count_changes_cb, &changes, &err),
			TERRAIN_OK);
	store_close(s);
	/* 200 + 11 (a.7, a.70 to a.79) + 11 x 200 + 100 rows; 2 changes */
	CU_ASSERT_EQUAL(rows, 200 + 11 + 2200 + 100);
	CU_ASSERT_EQUAL(changes, 2);

	/* the session's counters reach the table's when it ends */
	char *after = NULL;
	for (int i = 0; i < 100; i++) {
		free(after);
		after = scans();
		if (after && strcmp(after, before))
			break;
		nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
	}
	long seq0 = 0, idx0 = 0, seq1 = 0, idx1 = 0;
	CU_ASSERT_EQUAL(sscanf(before, "%ld %ld", &seq0, &idx0), 2);
	CU_ASSERT_EQUAL(after ? sscanf(after, "%ld %ld", &seq1, &idx1) : 0, 2);
	CU_ASSERT_EQUAL(seq1, seq0);
	CU_ASSERT(idx1 > idx0);
	free(before);
	free(after);
	free(o);
	strbuf_release(&url);
}

/* ---- the writer lock ---- */

static void test_store_pg_writer_lock(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT;
	new_database("locks", &url);
	struct store *a = NULL, *b = NULL;
	struct error err = {0};
	CU_ASSERT_EQUAL_FATAL(store_open(&a, url.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(store_open(&b, url.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_lock(a, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_lock(b, &err), TERRAIN_ELOCKED);
	char host[256] = "", want[600];
	gethostname(host, sizeof(host) - 1);
	snprintf(want, sizeof(want), "%s is in use by process %ld on %.40s (terrain, since ",
		 url.buf, (long)getpid(), host);
	CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Z): another run is writing it; try again later"));
	/* readers are never blocked by the writer */
	size_t n = 1;
	CU_ASSERT_EQUAL(store_counts(b, &n, NULL, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(n, 0);
	/* released on unlock, and on close (the session ends) */
	store_unlock(a);
	CU_ASSERT_EQUAL(store_lock(b, &err), TERRAIN_OK);
	store_close(b);
	CU_ASSERT_EQUAL(store_lock(a, &err), TERRAIN_OK);
	store_close(a);
	strbuf_release(&url);
}

/* A put the server refuses (a unit that is not UTF-8) is rolled back
 * whole, and the next put on the same connection works: the rollback also
 * dropped the temporary table the first put had created. */
static void test_store_pg_put_after_failed_put(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT;
	new_database("failedput", &url);
	struct store *s = NULL;
	struct error err = {0};
	CU_ASSERT_EQUAL_FATAL(store_open(&s, url.buf, &err), TERRAIN_OK);
	struct observation o = {.territory = "com:38185",
				.cog = "2025",
				.indicator = "x.a",
				.period = "2021",
				.unit = "\xff",
				.source = "melodi",
				.dataset = "d",
				.value = 1,
				.status = OBS_FINAL};
	struct store_payload p = {"melodi", "d", "http://h/a", "2026-01-01T00:00:00Z",
				  "a",	    1,	 NULL};
	struct store_stats st = {0};
	CU_ASSERT_EQUAL(store_put(s, &p, &o, 1, NULL, 0, &st, &err), TERRAIN_EIO);
	snprintf(o.unit, sizeof(o.unit), "persons");
	p.sha256 = "b";
	CU_ASSERT_EQUAL(store_put(s, &p, &o, 1, NULL, 0, &st, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(st.inserted, 1);
	size_t n = 0;
	CU_ASSERT_EQUAL(store_counts(s, &n, NULL, NULL, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(n, 1);
	store_close(s);
	strbuf_release(&url);
}

/* ---- roles ---- */

static void test_store_pg_roles(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT, out = STRBUF_INIT, errb = STRBUF_INIT, env = STRBUF_INIT,
		      wurl = STRBUF_INIT;
	new_database("roles", &url);
	strbuf_addf(&env, "TERRAIN_STORE=%s", url.buf);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"store", "grant", "--reader", "analyst", NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "analyst: reader"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "grant", "--writer", "cron", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	/* the writer stores (a refresh of Mayotte, as the cron job would) */
	pgserver_url(&pg, "roles", "cron", &wurl);
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s", wurl.buf);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--region", "06", "--output",
						       test_tmpdir(), NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	/* the reader sees the views, and nothing else */
	char *msg = NULL, *v;
	v = pg_value("roles", "analyst", "SELECT count(*) > 0 FROM indicator_latest", &msg);
	CU_ASSERT_STRING_EQUAL(v, "t");
	free(v);
	v = pg_value("roles", "analyst", "SELECT count(*) > 0 FROM indicator_history", &msg);
	CU_ASSERT_STRING_EQUAL(v, "t");
	free(v);
	v = pg_value(
	    "roles", "analyst",
	    "INSERT INTO observations (territory, indicator, period, source, dataset, cog, "
	    "unit, status, vintage, payload, first_seen, last_seen) VALUES ('com:1', 'x', "
	    "'2021', 's', 'd', '2025', 'u', 'final', '', 1, 't', 't')",
	    &msg);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT(msg && strstr(msg, "permission denied for table observations"));
	free(msg);
	msg = NULL;
	v = pg_value("roles", "analyst", "SELECT count(*) FROM payloads", &msg);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT(msg && strstr(msg, "permission denied for table payloads"));
	free(msg);
	msg = NULL;
	/* nor can the writer change the schema */
	v = pg_value("roles", "cron", "DROP TABLE observations", &msg);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT(msg && strstr(msg, "must be owner"));
	free(msg);
	msg = NULL;
	/* a writer made a reader keeps the views only */
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s", url.buf);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "grant", "--reader", "cron", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	v = pg_value("roles", "cron", "UPDATE runs SET reported = true", &msg);
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT(msg && strstr(msg, "permission denied for table runs"));
	free(msg);
	v = pg_value("roles", "cron", "SELECT count(*) > 0 FROM indicator_history", NULL);
	CU_ASSERT_STRING_EQUAL(v, "t");
	free(v);
	/* a SQLite store has no roles */
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s/r.db", test_tmpdir());
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "grant", "--reader", "x", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(errb.buf, "r.db: a sqlite store has no roles: grant is for a PostgreSQL store"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "grant", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(errb.buf, "store grant needs --reader ROLE or --writer ROLE"));
	strbuf_release(&url);
	strbuf_release(&wurl);
	strbuf_release(&out);
	strbuf_release(&errb);
	strbuf_release(&env);
}

/* ---- passwords ---- */

static void test_store_pg_redacts_passwords(void)
{
	if (!ready())
		return;
	struct strbuf url = STRBUF_INIT, out = STRBUF_INIT, errb = STRBUF_INIT, env = STRBUF_INIT,
		      want = STRBUF_INIT;
	struct store *s = NULL;
	struct error err = {0};
	/* a user the server does not know: the connection fails, the message
	 * names the store without its password */
	strbuf_addf(&url, "postgresql://mallory:Sup3r-Secret@/terrain?host=%s&port=%d", pg.dir,
		    pg.port);
	CU_ASSERT_EQUAL(store_open(&s, url.buf, &err), TERRAIN_EIO);
	strbuf_addf(&want,
		    "postgresql://mallory:***@/terrain?host=%s&port=%d: cannot connect to the "
		    "store: ",
		    pg.dir, pg.port);
	CU_ASSERT_EQUAL(strncmp(err.msg, want.buf, want.len), 0);
	CU_ASSERT_PTR_NULL(strstr(err.msg, "Sup3r-Secret"));
	/* as a parameter of the URI */
	strbuf_reset(&url);
	strbuf_addf(&url,
		    "postgresql:///terrain?host=%s&port=%d&user=mallory&password=Sup3r-Secret",
		    pg.dir, pg.port);
	CU_ASSERT_EQUAL(store_open(&s, url.buf, &err), TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "&password=***: cannot connect"));
	CU_ASSERT_PTR_NULL(strstr(err.msg, "Sup3r-Secret"));
	/* a known user: the store opens, and store_where keeps no password */
	strbuf_reset(&url);
	strbuf_addf(&url, "postgresql://postgres:Sup3r-Secret@/terrain?host=%s&port=%d", pg.dir,
		    pg.port);
	CU_ASSERT_EQUAL_FATAL(store_open(&s, url.buf, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NULL(strstr(store_where(s), "Sup3r-Secret"));
	CU_ASSERT_PTR_NOT_NULL(strstr(store_where(s), "postgres:***@"));
	store_close(s);
	/* never on a command line, which every local user can read */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"store", "migrate", "--store", url.buf, NULL}, NULL,
		     NULL, &out, &errb),
	    2);
	CU_ASSERT_STRING_EQUAL(errb.buf,
			       "terrain: --store: a password on the command line: terrain "
			       "leaves it to libpq (~/.pgpass, a service file or "
			       "PGPASSWORD)\nTry 'terrain --help'.\n");
	/* end to end: refresh's log and errors, fetch's summary and its
	 * JSON, the lock's message */
	strbuf_addf(&env, "TERRAIN_STORE=%s", url.buf);
	const char *outdir = test_tmpdir();
	CU_ASSERT_EQUAL(test_run((const char *const[]){"-v", "refresh", "--region", "06",
						       "--output", outdir, NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	CU_ASSERT_PTR_NULL(strstr(out.buf, "Sup3r-Secret"));
	CU_ASSERT_PTR_NULL(strstr(errb.buf, "Sup3r-Secret"));
	/* fetch's summary, text and JSON (every source a closed port) */
	struct strbuf cache = STRBUF_INIT;
	strbuf_addf(&cache, "TERRAIN_CACHE_DIR=%s", test_tmpdir());
	const char *fetch_env[] = {env.buf,
				   cache.buf,
				   "TERRAIN_HTTP_BACKOFF_MS=1",
				   "TERRAIN_HTTP_THROTTLE=0",
				   "TERRAIN_GEO_URL=http://127.0.0.1:9",
				   "TERRAIN_MELODI_URL=http://127.0.0.1:9",
				   "TERRAIN_BDM_URL=http://127.0.0.1:9",
				   "TERRAIN_DARES_URL=http://127.0.0.1:9",
				   "TERRAIN_CAF_URL=http://127.0.0.1:9",
				   "TERRAIN_FRANCETRAVAIL_URL=http://127.0.0.1:9",
				   "TERRAIN_SIAE_URL=http://127.0.0.1:9",
				   "TERRAIN_FRANCETRAVAIL_TOKEN_URL=http://127.0.0.1:9",
				   NULL};
	test_run((const char *const[]){"fetch", "com:97611", NULL}, fetch_env, NULL, &out, &errb);
	strbuf_reset(&want);
	strbuf_addf(&want, "\nstore: postgresql://postgres:***@/terrain?host=%s&port=%d\n", pg.dir,
		    pg.port);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, want.buf));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "Sup3r-Secret"));
	CU_ASSERT_PTR_NULL(strstr(errb.buf, "Sup3r-Secret"));
	test_run((const char *const[]){"fetch", "--format", "json", "com:97611", NULL}, fetch_env,
		 NULL, &out, &errb);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "\"store\": \"postgresql://postgres:***@/terrain"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "Sup3r-Secret"));
	CU_ASSERT_PTR_NULL(strstr(errb.buf, "Sup3r-Secret"));
	strbuf_release(&cache);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"store", "migrate", NULL},
				 (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
			0);
	CU_ASSERT_PTR_NULL(strstr(out.buf, "Sup3r-Secret"));
	strbuf_release(&url);
	strbuf_release(&out);
	strbuf_release(&errb);
	strbuf_release(&env);
	strbuf_release(&want);
}

/* ---- terrain refresh into PostgreSQL ---- */

/* Each territory's row count, "code:n," in code order: what a consistent
 * store holds is a set of whole territories of the complete one. */
static char *territory_counts(const char *db)
{
	return pg_value(db, NULL,
			"SELECT coalesce(string_agg(territory || ':' || n, ',' ORDER BY territory)"
			" || ',', '') FROM (SELECT territory, count(*) AS n FROM observations"
			" WHERE source = 'terrain' GROUP BY territory) t",
			NULL);
}

static pid_t start_refresh(const char *url, const char *out, const char *delay)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("TERRAIN_STORE", url, 1);
		setenv("TERRAIN_REFRESH_BATCH_DELAY_MS", delay, 1);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(test_bin(), "terrain", "refresh", "--region", "94", "--output", out,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void test_store_pg_refresh_killed(void)
{
	if (!ready())
		return;
	const char *dir = test_tmpdir();
	struct strbuf url = STRBUF_INIT, kurl = STRBUF_INIT, env = STRBUF_INIT, out = STRBUF_INIT,
		      errb = STRBUF_INIT, path = STRBUF_INIT, o1 = STRBUF_INIT, o2 = STRBUF_INIT;
	/* Corse, uninterrupted, into SQLite and into PostgreSQL */
	strbuf_addf(&env, "TERRAIN_STORE=%s/corse.db", dir);
	strbuf_addf(&o1, "%s/sqlite", dir);
	CU_ASSERT_EQUAL_FATAL(
	    test_run((const char *const[]){"refresh", "--region", "94", "--output", o1.buf, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
	    0);
	new_database("clean", &url);
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s", url.buf);
	strbuf_addf(&o2, "%s/pg", dir);
	CU_ASSERT_EQUAL_FATAL(
	    test_run((const char *const[]){"refresh", "--region", "94", "--output", o2.buf, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(errb.buf, "refresh reg:94: 381 territories (360 communes, "
						"19 EPCI, 2 départements), 6520 values: 6520 new"));
	strbuf_addf(&path, "%s/indicators.csv", o1.buf);
	char *want = test_read_file(path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/indicators.csv", o2.buf);
	char *got = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	char *full = territory_counts("clean");
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);

	/* a second writer while the first runs: 75, naming the first */
	new_database("killed", &kurl);
	strbuf_reset(&o2);
	strbuf_addf(&o2, "%s/killed", dir);
	pid_t pid = start_refresh(kurl.buf, o2.buf, "2000");
	char *runs = NULL;
	for (int i = 0; i < 1000; i++) { /* until it holds the lock: its run is recorded */
		free(runs);
		runs = pg_value("killed", NULL,
				"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", NULL);
		if (runs && strcmp(runs, "0"))
			break;
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	}
	free(runs);
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s", kurl.buf);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "94", "--output", o2.buf, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &errb),
	    75);
	char holder[64];
	snprintf(holder, sizeof(holder), "is in use by process %ld on ", (long)pid);
	CU_ASSERT_PTR_NOT_NULL(strstr(errb.buf, holder));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	/* killed at 20 random moments: whole batches only, each time */
	srand((unsigned)getpid());
	int partial = 0;
	for (int k = 0; k < 20; k++) {
		/* a run lasts two batches of 250 ms at least: every kill lands in it */
		pid = start_refresh(kurl.buf, o2.buf, "250");
		nanosleep(&(struct timespec){0, (long)(rand() % 500) * 1000000L}, NULL);
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		char *now = territory_counts("killed");
		CU_ASSERT_PTR_NOT_NULL_FATAL(now);
		/* every territory stored is stored whole */
		for (char *t = now, *e; *t; t = e + 1) {
			e = strchr(t, ',');
			char item[64];
			snprintf(item, sizeof(item), ",%.*s,", (int)(e - t), t);
			bool found = strstr(full, item + 1) == full || strstr(full, item);
			if (!found)
				fprintf(stderr, "\nkill %d: %s is not whole\n", k, item);
			CU_ASSERT(found);
		}
		if (strcmp(now, full))
			partial++;
		free(now);
	}
	CU_ASSERT(partial > 0);
	/* the next run completes it: the same values, the same indicators.csv,
	 * and every value reported new once, none lost to the kills (a killed
	 * client's session may end a moment after it: the lock with it) */
	int rc = 75;
	for (int i = 0; i < 100 && rc == 75; i++) {
		if (i)
			nanosleep(&(struct timespec){0, 50 * 1000000L}, NULL);
		rc = test_run(
		    (const char *const[]){"refresh", "--region", "94", "--output", o2.buf, NULL},
		    (const char *const[]){env.buf, NULL}, NULL, &out, &errb);
	}
	CU_ASSERT_EQUAL(rc, 0);
	char *after = territory_counts("killed");
	CU_ASSERT_STRING_EQUAL(after, full);
	free(after);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/indicators.csv", o2.buf);
	got = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	/* the last run reported the killed ones' changes with its own */
	char *n = pg_value("killed", NULL, "SELECT count(*) FROM runs WHERE NOT reported", NULL);
	CU_ASSERT_STRING_EQUAL(n, "0");
	free(n);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/changes.csv", o2.buf);
	char *changes = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(changes);
	size_t lines = 0;
	for (const char *c = changes; (c = strchr(c, '\n')); c++)
		lines++;
	CU_ASSERT_EQUAL(lines, 6520 + 1);
	free(changes);
	free(want);
	free(full);
	strbuf_release(&url);
	strbuf_release(&kurl);
	strbuf_release(&env);
	strbuf_release(&out);
	strbuf_release(&errb);
	strbuf_release(&path);
	strbuf_release(&o1);
	strbuf_release(&o2);
}

/* No server binaries: a loud skip, unless CI is set, where it fails. */
static void test_store_pg_skip_only_outside_ci(void)
{
	const char *ci = getenv("CI"), *bindir = getenv("TERRAIN_PG_BINDIR");
	char *ci_was = ci ? strdup(ci) : NULL, *bindir_was = bindir ? strdup(bindir) : NULL;
	struct pgserver x;
	setenv("TERRAIN_PG_BINDIR", "/nonexistent/bin", 1);
	unsetenv("CI");
	CU_ASSERT_EQUAL(pgserver_start(&x), PGSERVER_SKIPPED);
	pgserver_stop(&x);
	setenv("CI", "true", 1);
	CU_ASSERT_EQUAL(pgserver_start(&x), PGSERVER_FAILED);
	pgserver_stop(&x);
	if (ci_was)
		setenv("CI", ci_was, 1);
	else
		unsetenv("CI");
	if (bindir_was)
		setenv("TERRAIN_PG_BINDIR", bindir_was, 1);
	else
		unsetenv("TERRAIN_PG_BINDIR");
	free(ci_was);
	free(bindir_was);
}

/* tests/test_store.c's back-end tests on PostgreSQL: a new database for
 * each tag */
static const char *pg_where(const char *tag)
{
	static struct strbuf url = STRBUF_INIT;
	static unsigned k;
	if (!tag)
		return url.buf;
	if (server() != PGSERVER_RUNNING)
		return NULL;
	char name[64];
	snprintf(name, sizeof(name), "backend_%s_%u", tag, k++);
	for (char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			*c = '_';
	new_database(name, &url);
	return url.buf;
}

void suite_store_pg(void)
{
	CU_pSuite s = CU_add_suite("store_pg", NULL, NULL);
	ADD_TEST(s, test_store_pg_same_as_sqlite);
	ADD_TEST(s, test_store_pg_migrate_and_newer_schema);
	ADD_TEST(s, test_store_pg_project_url);
	ADD_TEST(s, test_store_pg_reads_use_indexes);
	ADD_TEST(s, test_store_pg_writer_lock);
	ADD_TEST(s, test_store_pg_put_after_failed_put);
	ADD_TEST(s, test_store_pg_roles);
	ADD_TEST(s, test_store_pg_redacts_passwords);
	ADD_TEST(s, test_store_pg_refresh_killed);
	ADD_TEST(s, test_store_pg_skip_only_outside_ci);
	/* where there are no server binaries (and CI is unset), the skip is
	 * said once, by the suite above */
	if (pgserver_wanted())
		suite_store_backend("store_pg_backend", pg_where);
}
