/* terrain refresh end to end: a second run changes nothing, a concurrent
 * run exits 75 naming the holder, a run killed with SIGKILL in the middle
 * leaves a store that the next run completes without loss or duplicate
 * (compared with an uninterrupted run), and the stale lock is taken over. */
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

/* Rows of the store's observations, or -1 when it cannot be read yet. */
static long count_rows(const char *db)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM observations", -1, &st, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/* Start terrain refresh --region 84 on db, each batch slowed by delay ms. */
static pid_t start(const char *db, const char *out, const char *delay)
{
	pid_t pid = fork();
	if (pid == 0) {
		setenv("TERRAIN_STORE", db, 1);
		setenv("TERRAIN_REFRESH_BATCH_DELAY_MS", delay, 1);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(test_bin(), "terrain", "refresh", "--region", "84", "--output", out,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void wait_rows(const char *db, long at_least)
{
	for (int i = 0; i < 3000 && count_rows(db) < at_least; i++)
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
}

/* Rows of a changes.csv that start with kind ("new" or "revised"). */
static size_t count_changes(const char *csv, const char *kind)
{
	size_t n = 0, len = strlen(kind);
	for (const char *l = csv; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		n += !strncmp(l, kind, len) && l[len] == ',';
	return n;
}

static void test_refresh_runs(void)
{
	const char *dir = test_tmpdir();
	struct strbuf db = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT, env = STRBUF_INIT;
	struct strbuf clean = STRBUF_INIT, cout = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&clean, "%s/clean.db", dir);
	strbuf_addf(&cout, "%s/clean", dir);
	strbuf_addf(&env, "TERRAIN_STORE=%s", clean.buf);
	/* an uninterrupted run, then a second that finds nothing new */
	CU_ASSERT_EQUAL_FATAL(
	    test_run((const char *const[]){"refresh", "--region", "84", "--output", cout.buf, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &err),
	    0);
	long full = count_rows(clean.buf);
	CU_ASSERT(full > 40000); /* 4 209 territories, the values each has */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "refresh reg:84: 4209 territories (4025 communes, "
					       "172 EPCI, 12 départements)"));
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "84", "--output", cout.buf, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, ": 0 new, 0 revised (0 beyond 10 %)"));
	CU_ASSERT_EQUAL(count_rows(clean.buf), full);
	strbuf_addf(&path, "%s/changes.csv", cout.buf);
	char *changes = test_read_file(path.buf);
	CU_ASSERT_STRING_EQUAL(changes, "change,territory,indicator,period,old_value,new_value,"
					"relative_change,beyond_threshold\n");
	free(changes);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/indicators.csv", cout.buf);
	char *want = test_read_file(path.buf);

	/* a value that differs from the stored one is a revision: the stored
	 * one (made 314 954 here) moves to the history, the move is flagged */
	sqlite3 *h = NULL;
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(clean.buf, &h), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(h,
				     "UPDATE observations SET value = 314954 WHERE territory = "
				     "'com:38185' AND indicator = 'terrain.population_2021'",
				     NULL, NULL, NULL),
			SQLITE_OK);
	sqlite3_close(h);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "84", "--output", cout.buf, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, ": 0 new, 1 revised (1 beyond 10 %)"));
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/changes.csv", cout.buf);
	changes = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(changes, "\nrevised,com:38185,population_2021,census,314954,"
					       "157477,-0.5,yes\n"));
	free(changes);
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(clean.buf, &h), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	CU_ASSERT_EQUAL(
	    sqlite3_prepare_v2(h,
			       "SELECT value FROM observation_history WHERE territory = "
			       "'com:38185' AND indicator = 'terrain.population_2021'",
			       -1, &q, NULL),
	    SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_step(q), SQLITE_ROW);
	CU_ASSERT_DOUBLE_EQUAL(sqlite3_column_double(q, 0), 314954, 0);
	sqlite3_finalize(q);
	sqlite3_close(h);

	/* a run holding the lock: a second one exits 75 and names it */
	strbuf_addf(&db, "%s/killed.db", dir);
	strbuf_reset(&out);
	strbuf_addf(&out, "%s/killed", dir);
	pid_t pid =
	    start(db.buf, out.buf, "1000"); /* 22 batches: long enough on a loaded machine */
	wait_rows(db.buf, 1);
	struct strbuf env2 = STRBUF_INIT, o2 = STRBUF_INIT, e2 = STRBUF_INIT;
	strbuf_addf(&env2, "TERRAIN_STORE=%s", db.buf);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "84", "--output", out.buf, NULL},
		     (const char *const[]){env2.buf, NULL}, NULL, &o2, &e2),
	    75);
	char holder[32];
	snprintf(holder, sizeof(holder), "in use by process %ld", (long)pid);
	CU_ASSERT_PTR_NOT_NULL(strstr(e2.buf, holder));

	/* killed in the middle: some batches stored, not all */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	long partial = count_rows(db.buf);
	CU_ASSERT(partial > 0 && partial < full);
	/* the next run takes the stale lock over and completes the store */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "84", "--output", out.buf, NULL},
		     (const char *const[]){env2.buf, NULL}, NULL, &o2, &e2),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(e2.buf, "which is not running any more, is taken over"));
	CU_ASSERT_EQUAL(count_rows(db.buf), full); /* nothing lost, nothing twice */
	CU_ASSERT_PTR_NOT_NULL(strstr(e2.buf, " new, 0 revised (0 beyond 10 %)"));
	/* and its changes.csv holds the killed run's new values with its own */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/changes.csv", out.buf);
	char *all_new = test_read_file(path.buf);
	CU_ASSERT_EQUAL(count_changes(all_new, "new"), (size_t)full);
	free(all_new);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/indicators.csv", out.buf);
	char *got = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	free(want);
	/* no such région; a département is not one */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--region", "99", NULL},
				 (const char *const[]){env2.buf, NULL}, NULL, &o2, &e2),
			1);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--region", "dep:38", NULL},
				 (const char *const[]){env2.buf, NULL}, NULL, &o2, &e2),
			2);
	CU_ASSERT_PTR_NOT_NULL(strstr(e2.buf, "--region dep:38 is not a région"));
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "84", "--levels", ",", NULL},
		     (const char *const[]){env2.buf, NULL}, NULL, &o2, &e2),
	    2);
	CU_ASSERT_PTR_NOT_NULL(strstr(e2.buf, "empty --levels (expected com, epci, dep, reg, fr)"));
	strbuf_release(&db);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&env);
	strbuf_release(&env2);
	strbuf_release(&o2);
	strbuf_release(&e2);
	strbuf_release(&clean);
	strbuf_release(&cout);
	strbuf_release(&path);
}

/* The observatory's job (contrib/terrain-observatory, README "Unattended
 * runs") under cron's bare environment: `env -i` with only what the README
 * documents (HOME, cron's PATH, TERRAIN for a program not yet installed,
 * TERRAIN_DATADIR for a binary away from its datasets, the sources'
 * addresses, here a closed port on 127.0.0.1 so that every fetch fails at
 * once): no PATH lookup of terrain, the store and the cache in DIR, the
 * refresh run all the same on what is stored, JSON logs, exit 1. */
static void test_refresh_observatory_job(void)
{
	const char *dir = test_tmpdir();
	struct strbuf cmd = STRBUF_INIT, path = STRBUF_INIT;
	char bin[4096], data[4096];
	CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(test_bin(), bin));
	CU_ASSERT_PTR_NOT_NULL_FATAL(
	    realpath(getenv("TERRAIN_DATADIR") ? getenv("TERRAIN_DATADIR") : "datasets", data));
	static const char *const sources[] = {
	    "GEO", "MELODI", "BDM", "DARES", "CAF", "FRANCETRAVAIL", "SIAE", "FRANCETRAVAIL_TOKEN"};
	strbuf_addf(&cmd,
		    "env -i HOME='%s' PATH=/usr/bin:/bin TERRAIN='%s' TERRAIN_DATADIR='%s' "
		    "TERRAIN_HTTP_BACKOFF_MS=1 TERRAIN_HTTP_THROTTLE=0",
		    dir, bin, data);
	for (size_t k = 0; k < sizeof(sources) / sizeof(sources[0]); k++)
		strbuf_addf(&cmd, " TERRAIN_%s_URL=http://127.0.0.1:9", sources[k]);
	strbuf_addf(&cmd,
		    " sh contrib/terrain-observatory 06,977 '%s/obs' >'%s/obs.out' 2>'%s/obs.err'",
		    dir, dir, dir);
	int st = system(cmd.buf);
	CU_ASSERT_TRUE(WIFEXITED(st));
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 1); /* nothing fetched; the refresh ran */
	strbuf_addf(&path, "%s/obs/refresh/indicators.csv", dir);
	char *csv = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "com:97611")); /* Mamoudzou, Mayotte */
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "com:97701")); /* Saint-Barthélemy, 977 */
	free(csv);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/obs/terrain.db", dir);
	CU_ASSERT_TRUE(access(path.buf, F_OK) == 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/obs.err", dir);
	char *log = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	/* every line of the log a JSON object: journald and jq read them */
	for (char *l = log; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		CU_ASSERT_EQUAL(*l, '{');
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "http://127.0.0.1:9/"));
	/* both régions fetched (their geo.api.gouv.fr URLs tried) and refreshed
	 * in one run: 17 + 1 communes (datasets/geo/communes.csv) */
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "codeRegion=06&"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "refresh reg:06+reg:977: 25 territories (18 communes, 5 "
					   "EPCI, 2 d\\u00E9partements)"));
	free(log);
	/* misuse */
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "env -i PATH=/usr/bin:/bin sh contrib/terrain-observatory 06 "
			  ">/dev/null 2>&1");
	st = system(cmd.buf);
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 2);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd,
		    "env -i PATH=/usr/bin:/bin sh contrib/terrain-observatory '06;rm' "
		    "'%s/obs2' >/dev/null 2>&1",
		    dir);
	st = system(cmd.buf);
	CU_ASSERT_EQUAL(WEXITSTATUS(st), 2);
	strbuf_release(&cmd);
	strbuf_release(&path);
}

/* Several régions, all of France, and a report that could not be written:
 * the counts below are INSEE's geography of datasets/geo, counted with awk
 * (communes.csv: 17 communes in région 06 and 1 in 977, 97701; 172 EPCI
 * with a commune in 84 and 116 in 27, 285 distinct as 3 straddle both;
 * departements.csv: 109 rows; regions.csv: 26). */
static void test_refresh_regions_all_and_lost_report(void)
{
	const char *dir = test_tmpdir();
	struct strbuf db = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT, env = STRBUF_INIT;
	struct strbuf odir = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&db, "%s/regions.db", dir);
	strbuf_addf(&env, "TERRAIN_STORE=%s", db.buf);
	strbuf_addf(&odir, "%s/regions", dir);
	const char *const envs[] = {env.buf, NULL};
	/* a list, a région twice, both spellings: one run, one summary */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--region", "06,977,reg:06",
						       "--output", odir.buf, NULL},
				 envs, NULL, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "refresh reg:06+reg:977: 25 territories (18 "
					       "communes, 5 EPCI, 2 départements)"));
	/* an EPCI across two régions is refreshed once */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--region", "84,27", "--levels",
						       "epci", "--output", odir.buf, NULL},
				 envs, NULL, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "refresh reg:84+reg:27: 285 territories (0 "
					       "communes, 285 EPCI, 0 départements)"));
	/* --all: every région and France; default folder refresh-all */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--all", "--levels", "dep,reg,fr", NULL},
		     envs, dir, &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "refresh all: 136 territories (0 communes, 0 EPCI, "
					       "109 départements, 26 régions, France)"));
	strbuf_addf(&path, "%s/out/refresh-all/indicators.csv", dir);
	char *csv = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nfr,France,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nreg:84,Auvergne-Rhône-Alpes,"));
	free(csv);
	/* misuse */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--all", "--region", "84", NULL},
				 envs, NULL, &out, &err),
			2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "refresh takes --region or --all, not both"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", NULL}, envs, NULL, &out, &err),
			2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err.buf, "refresh needs --region LIST (such as 84 or 84,93) or --all"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"refresh", "--region", ",", NULL}, envs,
				 NULL, &out, &err),
			2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "empty --region (expected codes such as 84,93)"));

	/* the report lost: the run stores its values, then dies before
	 * changes.csv is renamed into place (the test hook exits there) */
	strbuf_reset(&db);
	strbuf_addf(&db, "%s/lost.db", dir);
	strbuf_reset(&env);
	strbuf_addf(&env, "TERRAIN_STORE=%s", db.buf);
	strbuf_reset(&odir);
	strbuf_addf(&odir, "%s/lost", dir);
	const char *const fail[] = {env.buf, "TERRAIN_TEST_FAIL_AFTER_COMMIT=1", NULL};
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "06", "--output", odir.buf, NULL},
		     fail, NULL, &out, &err),
	    70);
	long stored = count_rows(db.buf);
	CU_ASSERT(stored > 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/changes.csv", odir.buf);
	CU_ASSERT_NOT_EQUAL(access(path.buf, F_OK), 0); /* no report */
	/* the next run finds nothing new itself, and reports the lost changes */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "06", "--output", odir.buf, NULL},
		     envs, NULL, &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, ": 0 new, 0 revised (0 beyond 10 %)"));
	char *changes = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(changes);
	CU_ASSERT_EQUAL(count_changes(changes, "new"), (size_t)stored);
	CU_ASSERT_PTR_NOT_NULL(strstr(changes, "\nnew,com:97611,")); /* Mamoudzou */
	free(changes);
	/* reported once: the run after that has nothing to say */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"refresh", "--region", "06", "--output", odir.buf, NULL},
		     envs, NULL, &out, &err),
	    0);
	changes = test_read_file(path.buf);
	CU_ASSERT_STRING_EQUAL(changes, "change,territory,indicator,period,old_value,new_value,"
					"relative_change,beyond_threshold\n");
	free(changes);
	strbuf_release(&db);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&env);
	strbuf_release(&odir);
	strbuf_release(&path);
}

void suite_refresh(void)
{
	CU_pSuite s = CU_add_suite("refresh", NULL, NULL);
	ADD_TEST(s, test_refresh_runs);
	ADD_TEST(s, test_refresh_regions_all_and_lost_report);
	ADD_TEST(s, test_refresh_observatory_job);
}
