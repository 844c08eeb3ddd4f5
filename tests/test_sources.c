/* The source registry (core/sources.h): every row complete and bound to
 * its parser, and the places that read it (the project file's [sources]
 * keys, --source, terrain fetch --help, the man page) listing every row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/project.h"
#include "../core/sources.h"
#include "../ingest/fetch.h"
#include "../ingest/source.h"
#include "../ingest/sourcejson.h"
#include "helpers.h"

/* Every row has its fields; the variable follows the README's rule
 * (TERRAIN_ + the key in capitals + _URL); the base URL is absolute with no
 * final '/'; the keys are distinct; ingest/fetch.c binds a parser to each,
 * and a planner to each but bdm (which plans from its idbank table). */
static void test_sources_rows_complete(void)
{
	CU_ASSERT_EQUAL(SOURCE_COUNT, 8);
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		const struct source_info *s = &source_table[k];
		CU_ASSERT_PTR_NOT_NULL_FATAL(s->key);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s->env);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s->base);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s->help);
		CU_ASSERT(s->per_minute > 0);
		CU_ASSERT(*s->help != '\0');
		char env[64] = "TERRAIN_";
		size_t n = strlen(env);
		for (const char *c = s->key; *c && n < sizeof(env) - 5; c++)
			env[n++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
		strcpy(env + n, "_URL");
		CU_ASSERT_STRING_EQUAL(s->env, env);
		CU_ASSERT(!strncmp(s->base, "https://", 8));
		CU_ASSERT(s->base[strlen(s->base) - 1] != '/');
		CU_ASSERT_EQUAL(source_find(s->key), (int)k);
		struct fetch_source f = fetch_source_at(k);
		CU_ASSERT_STRING_EQUAL(f.name, s->key);
		CU_ASSERT_PTR_NOT_NULL(f.parse);
		CU_ASSERT_EQUAL(f.plan == NULL, k == SOURCE_BDM);
		CU_ASSERT_EQUAL(f.per_minute, s->per_minute);
		CU_ASSERT_EQUAL(f.oauth, s->oauth);
	}
	/* only France Travail asks for an OAuth2 token (README.md, "Public data") */
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		CU_ASSERT_EQUAL(source_table[k].oauth, k == SOURCE_FRANCETRAVAIL);
	CU_ASSERT_EQUAL(source_find("insee"), -1);
	CU_ASSERT_EQUAL(source_find(""), -1);
	struct strbuf sb = STRBUF_INIT;
	source_list_keys(&sb);
	CU_ASSERT_STRING_EQUAL(sb.buf,
			       "geo, melodi, bdm, dares, caf, francetravail, siae or inclusion");
	/* only data·inclusion takes a bearer token from the environment */
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		CU_ASSERT_EQUAL(source_table[k].token != NULL, k == SOURCE_INCLUSION);
	CU_ASSERT_STRING_EQUAL(source_table[SOURCE_INCLUSION].token, "TERRAIN_INCLUSION_TOKEN");
	strbuf_release(&sb);
}

/* Load text as a project file; return the error message (owned), NULL when
 * it loads. */
static char *load_error(const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/sources.ini", test_tmpdir());
	test_write_file(path, text);
	struct project p;
	struct error err;
	if (project_load(&p, path, &err) == TERRAIN_OK) {
		project_release(&p);
		return NULL;
	}
	return strdup(err.msg);
}

/* Each row is a [sources] key and an "enabled" word; an unknown key's and
 * an unknown word's messages name every row. */
static void test_sources_project_keys(void)
{
	struct strbuf ini = STRBUF_INIT;
	strbuf_addstr(&ini, "[sources]\n");
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		strbuf_addf(&ini, "%s = https://mirror.example/%s\n", source_table[k].key,
			    source_table[k].key);
	strbuf_addstr(&ini, "enabled =");
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		strbuf_addf(&ini, " %s", source_table[k].key);
	strbuf_addch(&ini, '\n');
	char *msg = load_error(ini.buf);
	CU_ASSERT_PTR_NULL(msg);
	free(msg);
	strbuf_release(&ini);

	msg = load_error("[sources]\nmirror = https://x\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		char want[64];
		snprintf(want, sizeof(want), " %s, ", source_table[k].key);
		CU_ASSERT_PTR_NOT_NULL(strstr(msg, want));
	}
	free(msg);
	msg = load_error("[sources]\nenabled = insee\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		CU_ASSERT_PTR_NOT_NULL(strstr(msg, source_table[k].key));
	free(msg);
}

static void expect_rows(const struct strbuf *sb)
{
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		const struct source_info *s = &source_table[k];
		const char *want[] = {s->key, s->env, s->base, s->help};
		for (size_t i = 0; i < 4; i++) {
			CU_ASSERT_PTR_NOT_NULL(strstr(sb->buf, want[i]));
			if (!strstr(sb->buf, want[i]))
				fprintf(stderr, "\nmissing: %s\n", want[i]);
		}
	}
}

/* terrain fetch --help and the man page list every row; --source takes
 * each key and names them all when given another. */
static void test_sources_cli(void)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "--help", NULL}, NULL, NULL, &out, &err), 0);
	expect_rows(&out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "TERRAIN_FRANCETRAVAIL_TOKEN_URL"));
	strbuf_reset(&out);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"help", "--man", NULL}, NULL, NULL, &out, &err), 0);
	/* roff writes a '-' as "\-": compare the keys and help lines only */
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, source_table[k].help));
	strbuf_reset(&out);
	strbuf_reset(&err);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"fetch", "--source", "insee", NULL}, NULL,
				 NULL, &out, &err),
			2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "bad value 'insee' for --source (expected geo, "
					       "melodi, bdm, dares, caf, francetravail, siae or "
					       "inclusion)"));
	strbuf_release(&out);
	strbuf_release(&err);
}

/* The source modules' one quoting helper: quotes around text_quote's
 * escapes (core/text.h: a control character as \xHH), q reset each time. */
static void test_sources_quote(void)
{
	struct strbuf q = STRBUF_INIT;
	CU_ASSERT_STRING_EQUAL(source_quote("DEP-69", &q), "\"DEP-69\"");
	CU_ASSERT_STRING_EQUAL(source_quote("a\tb", &q), "\"a\\x09b\"");
	strbuf_release(&q);
}

/* The JSON sources' loader and string field: the error names the URL and
 * the line of the fault (the third line here, where "}" comes instead of a
 * value). */
static void test_sources_json(void)
{
	char url[] = "https://h/x", dataset[] = "d", territory[] = "fr";
	const struct source_request req = {url, NULL, dataset, territory, SOURCE_JSON};
	json_t *root;
	struct error err;
	const char *text = "{\n\"a\": \"b\",\n\"c\": }";
	CU_ASSERT_EQUAL(source_json_load(&req, text, strlen(text), &root, &err), TERRAIN_EDATA);
	CU_ASSERT(!strncmp(err.msg, "https://h/x: invalid JSON at line 3, column ", 44));
	CU_ASSERT_EQUAL(source_json_load(&req, NULL, 0, &root, &err), TERRAIN_EDATA);
	text = "{\"a\": \"b\", \"n\": null, \"k\": 1}";
	CU_ASSERT_EQUAL_FATAL(source_json_load(&req, text, strlen(text), &root, &err), TERRAIN_OK);
	const char *v;
	CU_ASSERT_EQUAL(source_json_string(root, "a", &v, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(v, "b");
	CU_ASSERT_EQUAL(source_json_string(root, "n", &v, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(v, "");
	CU_ASSERT_EQUAL(source_json_string(root, "absent", &v, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(v, "");
	CU_ASSERT_EQUAL(source_json_string(root, "k", &v, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "k is not a string");
	json_decref(root);
}

/* terrain init's template names every source in its commented "enabled"
 * line, in the table's order. */
static void test_sources_init_template(void)
{
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s/sources-init", test_tmpdir());
	snprintf(path, sizeof(path), "%s/terrain.ini", dir);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
	CU_ASSERT_EQUAL(test_run((const char *const[]){"init", dir, "--territory", "com:38185",
						       "--force", NULL},
				 NULL, NULL, &out, &err),
			0);
	char *ini = test_read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ini);
	strbuf_addstr(&want, "\n;enabled =");
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		strbuf_addf(&want, " %s", source_table[k].key);
	strbuf_addch(&want, '\n');
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, want.buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, "\n;melodi = https://api.insee.fr/melodi\n"));
	free(ini);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&want);
}

void suite_sources(void)
{
	CU_pSuite s = CU_add_suite("sources", NULL, NULL);
	ADD_TEST(s, test_sources_rows_complete);
	ADD_TEST(s, test_sources_project_keys);
	ADD_TEST(s, test_sources_cli);
	ADD_TEST(s, test_sources_quote);
	ADD_TEST(s, test_sources_json);
	ADD_TEST(s, test_sources_init_template);
}
