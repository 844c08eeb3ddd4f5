/* ingest/cache.c: entries whole or absent, corrupt entries never used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ingest/cache.h"
#include "helpers.h"

static void new_cache(struct cache *c)
{
	struct strbuf dir = STRBUF_INIT;
	static int n;
	strbuf_addf(&dir, "%s/cache%d", test_tmpdir(), n++);
	CU_ASSERT_EQUAL_FATAL(cache_open(c, dir.buf, NULL), TERRAIN_OK);
	strbuf_release(&dir);
}

static void put(struct cache *c, const char *url, const char *body, const char *etag)
{
	struct cache_meta m;
	struct error err;
	cache_meta_init(&m);
	cache_key(url, NULL, m.key);
	strbuf_addstr(&m.url, url);
	strbuf_addstr(&m.etag, etag);
	strbuf_addstr(&m.source, "melodi");
	strbuf_addstr(&m.dataset, "DS_X");
	m.status = 200;
	CU_ASSERT_EQUAL(cache_store(c, &m, body, strlen(body), &err), TERRAIN_OK);
	cache_meta_release(&m);
}

static void test_cache_roundtrip(void)
{
	struct cache c;
	struct cache_meta m;
	struct strbuf body = STRBUF_INIT;
	struct error err;
	char key[CACHE_KEY_LEN + 1];
	new_cache(&c);
	cache_meta_init(&m);
	put(&c, "http://h/a?x=1", "payload\nwith\0nul", "\"v1\"");
	cache_key("http://h/a?x=1", NULL, key);
	CU_ASSERT_EQUAL(cache_load(&c, key, &m, &body, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(body.buf, "payload\nwith");
	CU_ASSERT_STRING_EQUAL(m.url.buf, "http://h/a?x=1");
	CU_ASSERT_STRING_EQUAL(m.etag.buf, "\"v1\"");
	CU_ASSERT_STRING_EQUAL(m.source.buf, "melodi");
	CU_ASSERT_EQUAL(m.status, 200);
	CU_ASSERT_EQUAL(m.size, 12);
	/* sha256("payload\nwith") computed with sha256sum */
	CU_ASSERT_EQUAL(strlen(m.sha256), 64);
	CU_ASSERT_EQUAL(strlen(m.fetched), 20);

	/* a GET and a POST of the same URL are different entries */
	char kpost[CACHE_KEY_LEN + 1];
	cache_key("http://h/a?x=1", "{}", kpost);
	CU_ASSERT_STRING_NOT_EQUAL(key, kpost);
	CU_ASSERT_EQUAL(cache_load(&c, kpost, NULL, NULL, &err), TERRAIN_ENOTFOUND);

	/* a replacement replaces */
	put(&c, "http://h/a?x=1", "new", "\"v2\"");
	CU_ASSERT_EQUAL(cache_load(&c, key, &m, &body, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(body.buf, "new");
	CU_ASSERT_STRING_EQUAL(m.etag.buf, "\"v2\"");
	cache_meta_release(&m);
	strbuf_release(&body);
	cache_close(&c);
}

static void test_cache_sha256_known_value(void)
{
	char hex[SHA256_HEX_LEN + 1];
	/* FIPS 180-2 example: sha256("abc") */
	sha256_hex("abc", 3, hex);
	CU_ASSERT_STRING_EQUAL(hex,
			       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static int count_cb(const struct cache_meta *m, enum status st, const struct error *e, void *arg)
{
	size_t *n = arg;
	(void)m;
	(void)e;
	n[st ? 1 : 0]++;
	return 0;
}

static void test_cache_corrupt_entry_detected(void)
{
	struct cache c;
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
	struct error err;
	char key[CACHE_KEY_LEN + 1];
	new_cache(&c);
	put(&c, "http://h/b", "good body", "");
	cache_key("http://h/b", NULL, key);
	strbuf_addf(&path, "%s/%s.entry", c.dir, key);
	/* flip one byte of the body, keep the size */
	char *s = test_read_file(path.buf);
	size_t len = strlen(s);
	s[len - 1] = 'X';
	test_write_file(path.buf, s);
	free(s);
	CU_ASSERT_EQUAL(cache_load(&c, key, NULL, NULL, &err), TERRAIN_EDATA);
	strbuf_addf(&want, "%s: corrupt cache entry: body sha256 ", path.buf);
	CU_ASSERT_EQUAL(strncmp(err.msg, want.buf, want.len), 0);

	/* truncated: the size no longer matches */
	test_write_file(path.buf,
			"terrain-cache 1\n{\"url\":\"http://h/b\",\"sha256\":"
			"\"0000000000000000000000000000000000000000000000000000000000000000\","
			"\"size\":9}\ngood");
	CU_ASSERT_EQUAL(cache_load(&c, key, NULL, NULL, &err), TERRAIN_EDATA);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s: corrupt cache entry: body has 4 bytes, metadata says 9", path.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);

	test_write_file(path.buf, "something else");
	CU_ASSERT_EQUAL(cache_load(&c, key, NULL, NULL, &err), TERRAIN_EDATA);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s: not a terrain cache entry", path.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);

	/* verify walks every entry and counts the bad one */
	put(&c, "http://h/c", "fine", "");
	size_t counts[2] = {0, 0};
	CU_ASSERT_EQUAL(cache_walk(&c, true, count_cb, counts, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(counts[0], 1);
	CU_ASSERT_EQUAL(counts[1], 1);

	size_t removed = 0;
	CU_ASSERT_EQUAL(cache_clear(&c, &removed, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(removed, 2);
	counts[0] = counts[1] = 0;
	CU_ASSERT_EQUAL(cache_walk(&c, true, count_cb, counts, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(counts[0] + counts[1], 0);
	strbuf_release(&want);
	strbuf_release(&path);
	cache_close(&c);
}

void suite_cache(void)
{
	CU_pSuite s = CU_add_suite("cache", NULL, NULL);
	ADD_TEST(s, test_cache_roundtrip);
	ADD_TEST(s, test_cache_sha256_known_value);
	ADD_TEST(s, test_cache_corrupt_entry_detected);
}
