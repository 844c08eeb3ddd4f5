/* The fuzz targets (tests/fuzz/targets.c) on their seeds and on every
 * input that ever failed under `make fuzz` (tests/fuzz/regressions/TARGET/),
 * through the normal build: make check and make sanitize replay them with
 * no clang. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/targets.h"
#include "helpers.h"

/* Every regular file of dir through t; returns how many. */
static size_t replay(const struct fuzz_target *t, const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	struct strbuf path = STRBUF_INIT;
	while ((e = readdir(d))) {
		struct stat sb;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, e->d_name);
		if (stat(path.buf, &sb) || !S_ISREG(sb.st_mode))
			continue;
		size_t len;
		char *data = test_read_file_len(path.buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		t->run((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	strbuf_release(&path);
	return n;
}

static void test_fuzz_replay(void)
{
	size_t total = 0;
	for (size_t i = 0; i < fuzz_ntargets; i++) {
		const struct fuzz_target *t = &fuzz_targets[i];
		struct strbuf regress = STRBUF_INIT;
		strbuf_addf(&regress, "tests/fuzz/regressions/%s", t->name);
		size_t seeds = replay(t, t->seeds);
		CU_ASSERT(seeds > 0); /* every target has seeds */
		if (!seeds)
			fprintf(stderr, "\nfuzz target %s: no seed in %s\n", t->name, t->seeds);
		total += seeds + replay(t, regress.buf);
		strbuf_release(&regress);
	}
	CU_ASSERT(total > fuzz_ntargets);
	/* and every byte prefix of one seed per source: truncations */
	const struct fuzz_target *m = fuzz_target_find("melodi");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	size_t len;
	char *body = test_read_file_len("tests/fixtures/http/melodi/popref_dep69.json", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	for (size_t k = 0; k <= len; k += 7)
		m->run((const uint8_t *)body, k);
	free(body);
	CU_ASSERT_PTR_NULL(fuzz_target_find("nothing"));
}

void suite_fuzz(void)
{
	CU_pSuite s = CU_add_suite("fuzz", NULL, NULL);
	ADD_TEST(s, test_fuzz_replay);
}
