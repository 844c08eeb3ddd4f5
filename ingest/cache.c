#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/xalloc.h"

#define MAGIC	 "terrain-cache 1\n"
#define META_MAX 65536 /* bytes of the metadata line */

void cache_meta_init(struct cache_meta *m)
{
	memset(m, 0, sizeof(*m));
	strbuf_init(&m->url);
	strbuf_init(&m->etag);
	strbuf_init(&m->last_modified);
	strbuf_init(&m->content_type);
	strbuf_init(&m->source);
	strbuf_init(&m->dataset);
}

void cache_meta_release(struct cache_meta *m)
{
	strbuf_release(&m->url);
	strbuf_release(&m->etag);
	strbuf_release(&m->last_modified);
	strbuf_release(&m->content_type);
	strbuf_release(&m->source);
	strbuf_release(&m->dataset);
	cache_meta_init(m);
}

void cache_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum status cache_open(struct cache *c, const char *dir, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *env;
	c->dir = NULL;
	if (dir && *dir)
		strbuf_addstr(&sb, dir);
	else if ((env = getenv("TERRAIN_CACHE_DIR")) && *env)
		strbuf_addstr(&sb, env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		strbuf_addf(&sb, "%s/terrain", env);
	else if ((env = getenv("HOME")) && *env)
		strbuf_addf(&sb, "%s/.cache/terrain", env);
	else {
		strbuf_release(&sb);
		return error_set(err, TERRAIN_EUSAGE,
				 "no cache folder: set TERRAIN_CACHE_DIR, XDG_CACHE_HOME or HOME, "
				 "or [sources] cache in the project file");
	}
	enum status st = fileio_mkdirs(sb.buf, err);
	if (st) {
		strbuf_release(&sb);
		return st;
	}
	c->dir = strbuf_detach(&sb);
	return TERRAIN_OK;
}

void cache_close(struct cache *c)
{
	free(c->dir);
	c->dir = NULL;
}

void cache_key(const char *url, const char *body, char key[CACHE_KEY_LEN + 1])
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s %s\n", body ? "POST" : "GET", url);
	if (body)
		strbuf_addstr(&sb, body);
	sha256_hex(sb.buf, sb.len, key);
	strbuf_release(&sb);
}

static void entry_path(const struct cache *c, const char *key, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s.entry", c->dir, key);
}

static void get_str(json_t *o, const char *name, struct strbuf *dst)
{
	json_t *v = json_object_get(o, name);
	strbuf_reset(dst);
	if (json_is_string(v))
		strbuf_add(dst, json_string_value(v), json_string_length(v));
}

static void get_fixed(json_t *o, const char *name, char *dst, size_t cap)
{
	json_t *v = json_object_get(o, name);
	dst[0] = '\0';
	if (json_is_string(v) && json_string_length(v) < cap)
		memcpy(dst, json_string_value(v), json_string_length(v) + 1);
}

/* Parse the metadata line of path (len bytes at p). */
static enum status parse_meta(const char *path, const char *p, size_t len, struct cache_meta *m,
			      struct error *err)
{
	json_error_t je;
	json_t *o = json_loadb(p, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return error_set(err, TERRAIN_EDATA, "%s: malformed cache metadata: %s", path,
				 je.text);
	}
	get_str(o, "url", &m->url);
	get_str(o, "etag", &m->etag);
	get_str(o, "last_modified", &m->last_modified);
	get_str(o, "content_type", &m->content_type);
	get_str(o, "source", &m->source);
	get_str(o, "dataset", &m->dataset);
	get_fixed(o, "sha256", m->sha256, sizeof(m->sha256));
	get_fixed(o, "fetched", m->fetched, sizeof(m->fetched));
	get_fixed(o, "validated", m->validated, sizeof(m->validated));
	json_t *v = json_object_get(o, "status");
	m->status = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	v = json_object_get(o, "size");
	m->size =
	    json_is_integer(v) && json_integer_value(v) >= 0 ? (size_t)json_integer_value(v) : 0;
	m->post = json_is_true(json_object_get(o, "post"));
	bool ok = m->url.len && strlen(m->sha256) == SHA256_HEX_LEN && json_is_integer(v);
	json_decref(o);
	if (!ok)
		return error_set(err, TERRAIN_EDATA,
				 "%s: malformed cache metadata: url, sha256 or size missing", path);
	return TERRAIN_OK;
}

/* An entry at most: its metadata, then a body of HTTP's default cap. */
#define ENTRY_MAX (((size_t)256 << 20) + META_MAX + 64)

static enum status read_entry(const char *path, struct strbuf *all, struct error *err)
{
	char *data;
	size_t len;
	enum status st = fileio_read_capped(path, ENTRY_MAX, &data, &len, err);
	if (st == TERRAIN_ENOTFOUND)
		return error_set(err, TERRAIN_ENOTFOUND, "%s: no such cache entry", path);
	if (st)
		return st;
	struct strbuf got = {data, len, len + 1}; /* taken whole, not copied */
	strbuf_swap(all, &got);
	strbuf_release(&got);
	return TERRAIN_OK;
}

/* Split a whole entry into metadata and body; check the body's digest
 * when check is set (always for a load). */
static enum status split_entry(const char *path, const struct strbuf *all, struct cache_meta *m,
			       bool check, size_t *body_off, struct error *err)
{
	size_t ml = strlen(MAGIC);
	if (all->len < ml || memcmp(all->buf, MAGIC, ml) != 0)
		return error_set(err, TERRAIN_EDATA, "%s: not a terrain cache entry", path);
	const char *meta = all->buf + ml;
	const char *nl = memchr(meta, '\n', all->len - ml < META_MAX ? all->len - ml : META_MAX);
	if (!nl)
		return error_set(err, TERRAIN_EDATA, "%s: malformed cache entry: no metadata line",
				 path);
	enum status st = parse_meta(path, meta, (size_t)(nl - meta), m, err);
	if (st)
		return st;
	*body_off = (size_t)(nl + 1 - all->buf);
	size_t blen = all->len - *body_off;
	if (blen != m->size)
		return error_set(err, TERRAIN_EDATA,
				 "%s: corrupt cache entry: body has %zu bytes, metadata says %zu",
				 path, blen, m->size);
	if (check) {
		char hex[SHA256_HEX_LEN + 1];
		sha256_hex(all->buf + *body_off, blen, hex);
		if (strcmp(hex, m->sha256) != 0)
			return error_set(
			    err, TERRAIN_EDATA,
			    "%s: corrupt cache entry: body sha256 %s, metadata says %s", path, hex,
			    m->sha256);
	}
	return TERRAIN_OK;
}

enum status cache_load(const struct cache *c, const char *key, struct cache_meta *meta,
		       struct strbuf *body, struct error *err)
{
	struct strbuf path = STRBUF_INIT, all = STRBUF_INIT;
	struct cache_meta tmp;
	struct cache_meta *m = meta ? meta : &tmp;
	size_t off = 0;
	cache_meta_init(&tmp);
	if (meta) {
		cache_meta_release(meta);
	}
	entry_path(c, key, &path);
	enum status st = read_entry(path.buf, &all, err);
	if (!st)
		st = split_entry(path.buf, &all, m, true, &off, err);
	if (!st) {
		memcpy(m->key, key, CACHE_KEY_LEN + 1);
		if (body) {
			strbuf_reset(body);
			strbuf_add(body, all.buf + off, all.len - off);
		}
	}
	cache_meta_release(&tmp);
	strbuf_release(&all);
	strbuf_release(&path);
	return st;
}

enum status cache_store(const struct cache *c, struct cache_meta *meta, const char *body,
			size_t len, struct error *err)
{
	struct strbuf path = STRBUF_INIT, all = STRBUF_INIT;
	sha256_hex(body, len, meta->sha256);
	meta->size = len;
	if (!meta->fetched[0])
		cache_now(meta->fetched);
	if (!meta->validated[0])
		memcpy(meta->validated, meta->fetched, sizeof(meta->validated));

	json_t *o = json_object();
	json_object_set_new(o, "url", json_stringn(meta->url.buf, meta->url.len));
	json_object_set_new(o, "post", json_boolean(meta->post));
	json_object_set_new(o, "status", json_integer(meta->status));
	json_object_set_new(o, "etag", json_stringn(meta->etag.buf, meta->etag.len));
	json_object_set_new(o, "last_modified",
			    json_stringn(meta->last_modified.buf, meta->last_modified.len));
	json_object_set_new(o, "content_type",
			    json_stringn(meta->content_type.buf, meta->content_type.len));
	json_object_set_new(o, "fetched", json_string(meta->fetched));
	json_object_set_new(o, "validated", json_string(meta->validated));
	json_object_set_new(o, "sha256", json_string(meta->sha256));
	json_object_set_new(o, "size", json_integer((json_int_t)len));
	json_object_set_new(o, "source", json_stringn(meta->source.buf, meta->source.len));
	json_object_set_new(o, "dataset", json_stringn(meta->dataset.buf, meta->dataset.len));
	/* Compact output has no raw newline: the metadata stays one line.  A
	 * header that is not UTF-8 makes json_stringn return NULL and the key
	 * is dropped rather than the entry. */
	char *line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!line)
		return error_set(err, TERRAIN_EIO, "cannot encode the cache metadata of %s",
				 meta->url.buf);
	strbuf_addstr(&all, MAGIC);
	strbuf_addstr(&all, line);
	strbuf_addch(&all, '\n');
	strbuf_add(&all, body, len);
	free(line);
	entry_path(c, meta->key, &path);
	enum status st = fileio_write_atomic(path.buf, all.buf, all.len, err);
	strbuf_release(&all);
	strbuf_release(&path);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entry names (or, with tmp, the leftover temporary files) of the
 * folder, sorted. */
static enum status list_dir(const struct cache *c, bool tmp, char ***out, size_t *n,
			    struct error *err)
{
	DIR *d = opendir(c->dir);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	if (!d)
		return error_set(err, TERRAIN_EIO, "%s: cannot open: %s", c->dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		bool is_entry =
		    len == CACHE_KEY_LEN + 6 && strcmp(e->d_name + CACHE_KEY_LEN, ".entry") == 0;
		bool is_tmp = len > CACHE_KEY_LEN + 6 &&
			      strncmp(e->d_name + CACHE_KEY_LEN, ".entry.tmp.", 11) == 0;
		if (tmp ? !is_tmp : !is_entry)
			continue;
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_str);
	return TERRAIN_OK;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

enum status cache_walk(const struct cache *c, bool with_body_check, cache_walk_fn fn, void *arg,
		       struct error *err)
{
	char **names;
	size_t n;
	enum status st = list_dir(c, false, &names, &n, err);
	if (st)
		return st;
	struct strbuf path = STRBUF_INIT, all = STRBUF_INIT;
	struct cache_meta m;
	cache_meta_init(&m);
	for (size_t i = 0; i < n; i++) {
		struct error e = {0};
		size_t off;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", c->dir, names[i]);
		strbuf_reset(&all);
		cache_meta_release(&m);
		memcpy(m.key, names[i], CACHE_KEY_LEN);
		m.key[CACHE_KEY_LEN] = '\0';
		enum status est = read_entry(path.buf, &all, &e);
		if (!est)
			est = split_entry(path.buf, &all, &m, with_body_check, &off, &e);
		memcpy(m.key, names[i], CACHE_KEY_LEN);
		if (fn(&m, est, &e, arg))
			break;
	}
	cache_meta_release(&m);
	strbuf_release(&all);
	strbuf_release(&path);
	free_list(names, n);
	return TERRAIN_OK;
}

enum status cache_clear(const struct cache *c, size_t *removed, struct error *err)
{
	*removed = 0;
	struct strbuf path = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	fileio_temp_sweep(c->dir); /* whose writer is gone, whatever their age */
	for (int pass = 0; pass < 2 && !st; pass++) {
		char **names;
		size_t n;
		st = list_dir(c, pass == 1, &names, &n, err);
		for (size_t i = 0; i < n && !st; i++) {
			struct stat sb;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", c->dir, names[i]);
			/* a temporary file younger than an hour may be a running
			 * fetch's: leave it */
			if (pass == 1 && stat(path.buf, &sb) == 0 &&
			    time(NULL) - sb.st_mtime < 3600)
				continue;
			if (unlink(path.buf) != 0 && errno != ENOENT)
				st = error_set(err, TERRAIN_EIO, "%s: cannot remove: %s", path.buf,
					       strerror(errno));
			else if (pass == 0)
				(*removed)++;
		}
		if (names)
			free_list(names, n);
	}
	strbuf_release(&path);
	return st;
}
