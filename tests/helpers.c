#define _XOPEN_SOURCE 700
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "../core/territory.h"
#include "../core/xalloc.h"

extern char **environ;

static struct bundle bundle;
static int bundle_state; /* 0 not tried, 1 loaded, -1 failed */
static char **tmpdirs;
static size_t ntmpdirs;

const char *test_datadir(void)
{
	const char *d = getenv("TERRAIN_DATADIR");
	return d && *d ? d : "datasets";
}

const struct bundle *test_bundle(void)
{
	if (!bundle_state) {
		struct error err;
		if (bundle_load(&bundle, test_datadir(), &err)) {
			fprintf(stderr, "cannot load the datasets: %s\n", err.msg);
			bundle_state = -1;
		} else {
			bundle_state = 1;
		}
	}
	CU_ASSERT_FATAL(bundle_state == 1);
	return &bundle;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	for (size_t i = 0; i < ntmpdirs; i++) {
		nftw(tmpdirs[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(tmpdirs[i]);
	}
	free(tmpdirs);
	if (bundle_state == 1)
		bundle_release(&bundle);
}

const char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/terrain-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(sb.buf)) {
		perror("mkdtemp");
		exit(1);
	}
	if (!ntmpdirs)
		atexit(cleanup);
	tmpdirs = xreallocarray(tmpdirs, ntmpdirs + 1, sizeof(*tmpdirs));
	tmpdirs[ntmpdirs++] = strbuf_detach(&sb);
	return tmpdirs[ntmpdirs - 1];
}

void test_write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "wb");
	CU_ASSERT_FATAL(fp != NULL);
	fputs(content, fp);
	CU_ASSERT_FATAL(fclose(fp) == 0);
}

char *test_read_file(const char *path)
{
	return test_read_file_len(path, NULL);
}

char *test_read_file_len(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	if (len)
		*len = sb.len;
	return strbuf_detach(&sb);
}

char *test_fixture(const char *dir, const char *name, size_t *len)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s%s", dir, name);
	char *s = test_read_file(path.buf);
	strbuf_release(&path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	*len = strlen(s);
	return s;
}

char *test_zip_member(const char *path, const char *name, size_t *len)
{
	int e = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &e);
	char *data = NULL;
	zip_stat_t zs;
	zip_file_t *zf = NULL;
	if (!za || zip_stat(za, name, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE))
		goto out;
	zf = zip_fopen(za, name, 0);
	data = xmalloc(zs.size + 1);
	if (!zf || zip_fread(zf, data, zs.size) != (zip_int64_t)zs.size) {
		free(data);
		data = NULL;
		goto out;
	}
	data[zs.size] = '\0';
	if (len)
		*len = zs.size;
out:
	if (zf)
		zip_fclose(zf);
	if (za)
		zip_discard(za);
	return data;
}

const char *test_bin(void)
{
	const char *b = getenv("TERRAIN_BIN");
	return b && *b ? b : "./terrain";
}

static bool overridden(const char *entry, const char *const *env)
{
	for (size_t i = 0; env && env[i]; i++) {
		size_t n = strcspn(env[i], "=");
		if (!strncmp(entry, env[i], n) && entry[n] == '=')
			return true;
	}
	return false;
}

int test_run(const char *const *args, const char *const *env, const char *cwd, struct strbuf *out,
	     struct strbuf *err)
{
	const char *dir = test_tmpdir();
	struct strbuf opath = STRBUF_INIT, epath = STRBUF_INIT;
	strbuf_addf(&opath, "%s/stdout", dir);
	strbuf_addf(&epath, "%s/stderr", dir);

	size_t nargs = 0, nenv = 0, k = 0;
	while (args[nargs])
		nargs++;
	while (environ[nenv])
		nenv++;
	for (size_t i = 0; env && env[i]; i++)
		nenv++;
	const char **argv = xcalloc(nargs + 2, sizeof(*argv));
	const char **envp = xcalloc(nenv + 1, sizeof(*envp));
	argv[0] = test_bin();
	memcpy(argv + 1, args, nargs * sizeof(*args));
	for (size_t i = 0; environ[i]; i++)
		if (!overridden(environ[i], env))
			envp[k++] = environ[i];
	for (size_t i = 0; env && env[i]; i++)
		if (strchr(env[i], '='))
			envp[k++] = env[i];

	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int o = open(opath.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(epath.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || (cwd && chdir(cwd)))
			_exit(127);
		execve(argv[0], (char *const *)(void *)argv, (char *const *)(void *)envp);
		_exit(127);
	}
	int status = -1;
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	free(argv);
	free(envp);
	char *o = test_read_file(opath.buf), *e = test_read_file(epath.buf);
	if (out) {
		strbuf_reset(out);
		strbuf_addstr(out, o ? o : "");
	}
	if (err) {
		strbuf_reset(err);
		strbuf_addstr(err, e ? e : "");
	}
	free(o);
	free(e);
	strbuf_release(&opath);
	strbuf_release(&epath);
	if (pid < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int test_rvalues_load(struct test_rvalues *r, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[256];
	memset(r, 0, sizeof(*r));
	if (!fp)
		return 1;
	if (fgets(line, sizeof(line), fp)) /* the header */
		while (fgets(line, sizeof(line), fp)) {
			char *semi = strchr(line, ';');
			if (!semi)
				continue;
			*semi = '\0';
			if (r->n == r->alloc) {
				r->alloc = r->alloc ? 2 * r->alloc : 1024;
				r->name = realloc(r->name, r->alloc * sizeof(*r->name));
				r->value = realloc(r->value, r->alloc * sizeof(*r->value));
			}
			r->name[r->n] = strdup(line);
			r->value[r->n++] = strtod(semi + 1, NULL);
		}
	fclose(fp);
	r->seen = calloc(r->n ? r->n : 1, 1);
	return r->n ? 0 : 1;
}

void test_rvalues_release(struct test_rvalues *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->name[i]);
	free(r->name);
	free(r->value);
	free(r->seen);
	memset(r, 0, sizeof(*r));
}

enum status test_source_parse(const struct test_source_req *rq, const char *payload, size_t len,
			      struct source_result *res, struct error *err)
{
	struct source_plan p = SOURCE_PLAN_INIT;
	source_plan_add(&p, rq->url, rq->body, rq->dataset, rq->territory, rq->format);
	enum status st = rq->parse(&p.v[0], payload, len, res, err);
	source_plan_release(&p);
	return st;
}

static size_t result_count(const struct source_result *res)
{
	return res->obs.n + res->siae.n + res->communes.n;
}

void test_source_every_prefix(const struct test_source_req *rq, const char *name,
			      const char *payload, size_t len, enum test_prefix_rule rule,
			      struct source_result *res)
{
	size_t end = rule == TEST_PREFIX_MAY_PARSE ? len + 1 : len;
	const char *sep = rule == TEST_PREFIX_MAY_PARSE ? ":" : ": ";
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "%s%s", rq->url, sep);
	for (size_t n = 0; n < end; n++) {
		char *cut = malloc(n ? n : 1); /* exactly n bytes, for ASan */
		CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
		memcpy(cut, payload, n);
		size_t before = result_count(res);
		struct error err = {0};
		enum status st = test_source_parse(rq, cut, n, res, &err);
		free(cut);
		if (st == TERRAIN_OK &&
		    (rule == TEST_PREFIX_MAY_PARSE ||
		     (rule == TEST_PREFIX_TRAILING_SPACE && strspn(payload + n, " \n") == len - n)))
			continue;
		if (st != TERRAIN_EDATA || strncmp(err.msg, want.buf, want.len) ||
		    result_count(res) != before) {
			fprintf(stderr, "\n%s cut at %zu: status %d: %s\n", name, n, (int)st,
				err.msg);
			CU_FAIL("a prefix must parse or be an error naming the URL");
			break;
		}
	}
	strbuf_release(&want);
}

void test_source_check_plan(source_plan_fn plan, const char *base, const char *code,
			    const char *want_url, const char *want_body, const char *dataset,
			    enum source_format format)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t;
	struct error err;
	struct source_plan p = SOURCE_PLAN_INIT;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, code, NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(plan(base, g, &t, &p, &err), TERRAIN_OK);
	if (!want_url) {
		CU_ASSERT_EQUAL(p.n, 0);
	} else {
		CU_ASSERT_EQUAL_FATAL(p.n, 1);
		CU_ASSERT_STRING_EQUAL(p.v[0].url, want_url);
		if (want_body) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(p.v[0].body);
			CU_ASSERT_STRING_EQUAL(p.v[0].body, want_body);
		} else {
			CU_ASSERT_PTR_NULL(p.v[0].body);
		}
		CU_ASSERT_STRING_EQUAL(p.v[0].dataset, dataset);
		CU_ASSERT_STRING_EQUAL(p.v[0].territory, code);
		CU_ASSERT_EQUAL(p.v[0].format, format);
	}
	source_plan_release(&p);
}
