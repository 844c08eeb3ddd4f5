#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../ingest/cache.h"
#include "helpers.h"

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *e;
	CU_ASSERT_FATAL(d != NULL);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_fileio_write_atomic_replaces(void)
{
	const char *dir = test_tmpdir();
	struct strbuf path = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/a.txt", dir);
	test_write_file(path.buf, "old");
	CU_ASSERT_EQUAL(fileio_write_atomic(path.buf, "new content", 11, &err), TERRAIN_OK);
	char *s = test_read_file(path.buf);
	CU_ASSERT_STRING_EQUAL(s, "new content");
	free(s);
	CU_ASSERT_EQUAL(count_entries(dir), 1); /* no temporary left behind */
	strbuf_release(&path);
}

static void test_fileio_write_atomic_failure_keeps_old(void)
{
	const char *dir = test_tmpdir();
	struct strbuf path = STRBUF_INIT;
	struct error err;
	/* the target is a directory: the rename fails, nothing else changes */
	strbuf_addf(&path, "%s/target", dir);
	CU_ASSERT_EQUAL(fileio_mkdirs(path.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fileio_write_atomic(path.buf, "x", 1, &err), TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot rename into place"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path.buf));
	CU_ASSERT_EQUAL(count_entries(dir), 1);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/missing/a.txt", dir);
	CU_ASSERT_EQUAL(fileio_write_atomic(path.buf, "x", 1, &err), TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot create"));
	strbuf_release(&path);
}

static void test_fileio_mkdirs(void)
{
	const char *dir = test_tmpdir();
	struct strbuf path = STRBUF_INIT;
	struct error err;
	struct stat sb;
	strbuf_addf(&path, "%s/a/b/c", dir);
	CU_ASSERT_EQUAL(fileio_mkdirs(path.buf, &err), TERRAIN_OK);
	CU_ASSERT(stat(path.buf, &sb) == 0 && S_ISDIR(sb.st_mode));
	CU_ASSERT_EQUAL(fileio_mkdirs(path.buf, &err), TERRAIN_OK); /* exists: fine */
	strbuf_addstr(&path, "/f");
	test_write_file(path.buf, "x");
	strbuf_addstr(&path, "/g");
	CU_ASSERT_EQUAL(fileio_mkdirs(path.buf, &err), TERRAIN_EIO);
	CU_ASSERT_EQUAL(fileio_mkdirs("", &err), TERRAIN_EUSAGE);
	strbuf_release(&path);
}

/* Set path's modification time seconds in the past. */
static void age(const char *path, long seconds)
{
	struct timeval tv[2];
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= seconds;
	tv[1] = tv[0];
	CU_ASSERT_EQUAL(utimes(path, tv), 0);
}

/* A process that has exited: its pid names a writer that is gone. */
static long dead_pid(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return (long)p;
}

/* The temporary files of a writer killed with -9 are removed by the next
 * run's first write in their folder; a live writer's, and files of other
 * names, are kept. */
static void test_fileio_temp_sweep(void)
{
	const char *dir = test_tmpdir();
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, d = STRBUF_INIT;
	long dead = dead_pid();
	strbuf_addf(&a, "%s/indicators.csv.tmp.%ld.Ab12Cd", dir, dead);
	strbuf_addf(&b, "%s/0123abcd.entry.tmp.%ld.xYz789", dir, dead);
	strbuf_addf(&c, "%s/note.md.tmp.%ld.QwErTy", dir, (long)getppid()); /* alive */
	strbuf_addf(&d, "%s/budget.tmp.csv", dir);			    /* not ours */
	test_write_file(a.buf, "half");
	test_write_file(b.buf, "half");
	test_write_file(c.buf, "half");
	test_write_file(d.buf, "mine");
	/* a dead writer's file of a minute ago is kept: it may be another
	 * machine's (NFS); an hour old, it goes */
	struct strbuf young = STRBUF_INIT;
	strbuf_addf(&young, "%s/young.csv.tmp.%ld.AAAAAA", dir, dead);
	test_write_file(young.buf, "half");
	age(young.buf, 60);
	age(a.buf, 3600);
	age(b.buf, 3600);
	CU_ASSERT_EQUAL(fileio_temp_sweep(dir), 2);
	CU_ASSERT_FALSE(fileio_exists(a.buf));
	CU_ASSERT_FALSE(fileio_exists(b.buf));
	CU_ASSERT_TRUE(fileio_exists(c.buf));
	CU_ASSERT_TRUE(fileio_exists(d.buf));
	CU_ASSERT_TRUE(fileio_exists(young.buf));
	CU_ASSERT_EQUAL(fileio_temp_sweep(dir), 0);
	unlink(young.buf);
	strbuf_release(&young);

	/* end to end: terrain's first write in a folder sweeps it, and says so
	 * with -v */
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, sub = STRBUF_INIT;
	strbuf_addf(&sub, "%s/run", dir);
	strbuf_reset(&a);
	strbuf_addf(&a, "%s/com_38185/indicators.csv.tmp.%ld.Ab12Cd", sub.buf, dead);
	strbuf_reset(&b);
	strbuf_addf(&b, "%s/com_38185", sub.buf);
	CU_ASSERT_EQUAL(fileio_mkdirs(b.buf, NULL), TERRAIN_OK);
	test_write_file(a.buf, "half");
	age(a.buf, 3600);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"-v", "report", "-c",
						       "datasets/examples/grenoble/terrain.ini",
						       "--output", sub.buf, NULL},
				 NULL, NULL, &out, &err),
			0);
	CU_ASSERT_FALSE(fileio_exists(a.buf));
	strbuf_reset(&c);
	strbuf_addf(&c, "removed %s, left by process %ld, which is gone", a.buf, dead);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, c.buf));

	/* and a fetch's first entry in a cache folder sweeps the cache's
	 * temporary files left by a killed fetch */
	strbuf_reset(&sub);
	strbuf_addf(&sub, "%s/cache", dir);
	CU_ASSERT_EQUAL(fileio_mkdirs(sub.buf, NULL), TERRAIN_OK);
	strbuf_reset(&a);
	strbuf_addf(&a, "%s/%064d.entry.tmp.%ld.Zz9Zz9", sub.buf, 0, dead);
	test_write_file(a.buf, "terrain-cache 1\n{\"url\":");
	age(a.buf, 3600);
	struct cache cache;
	struct cache_meta m;
	struct error e;
	CU_ASSERT_EQUAL_FATAL(cache_open(&cache, sub.buf, &e), TERRAIN_OK);
	cache_meta_init(&m);
	cache_key("http://h/x", NULL, m.key);
	strbuf_addstr(&m.url, "http://h/x");
	CU_ASSERT_EQUAL(cache_store(&cache, &m, "body", 4, &e), TERRAIN_OK);
	CU_ASSERT_FALSE(fileio_exists(a.buf));
	CU_ASSERT_EQUAL(count_entries(sub.buf), 1); /* the new entry alone */
	cache_meta_release(&m);
	cache_close(&cache);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&sub);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	strbuf_release(&d);
}

/* A capped read (the cache's entries): at the cap, over it, missing. */
static void test_fileio_read_capped(void)
{
	struct strbuf path = STRBUF_INIT;
	struct error err;
	char *data = NULL;
	size_t len = 0;
	strbuf_addf(&path, "%s/capped.txt", test_tmpdir());
	test_write_file(path.buf, "0123456789");
	CU_ASSERT_EQUAL(fileio_read_capped(path.buf, 10, &data, &len, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(len, 10);
	CU_ASSERT_STRING_EQUAL(data, "0123456789");
	free(data);
	CU_ASSERT_EQUAL(fileio_read_capped(path.buf, 9, &data, &len, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NULL(data);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "capped.txt: larger than 9 bytes"));
	strbuf_addstr(&path, ".none");
	CU_ASSERT_EQUAL(fileio_read_capped(path.buf, 9, &data, &len, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_EQUAL(fileio_read_all(path.buf, &data, &len, &err), TERRAIN_EIO);
	strbuf_release(&path);
}

void suite_fileio(void)
{
	CU_pSuite s = CU_add_suite("fileio", NULL, NULL);
	ADD_TEST(s, test_fileio_write_atomic_replaces);
	ADD_TEST(s, test_fileio_write_atomic_failure_keeps_old);
	ADD_TEST(s, test_fileio_mkdirs);
	ADD_TEST(s, test_fileio_temp_sweep);
	ADD_TEST(s, test_fileio_read_capped);
}
