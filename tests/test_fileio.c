#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/fileio.h"
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

void suite_fileio(void)
{
	CU_pSuite s = CU_add_suite("fileio", NULL, NULL);
	ADD_TEST(s, test_fileio_write_atomic_replaces);
	ADD_TEST(s, test_fileio_write_atomic_failure_keeps_old);
	ADD_TEST(s, test_fileio_mkdirs);
}
