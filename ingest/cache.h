/* The on-disk cache of HTTP payloads.
 *
 * One file per request, "<key>.entry" in the cache folder, where key is the
 * sha256 of the method, URL and POST body.  The file holds a first line
 * "terrain-cache 1", a line of JSON metadata (URL, status, ETag,
 * Last-Modified, content type, fetch time, sha256 and size of the body,
 * source, dataset) and then the body bytes.  It is written to a temporary
 * name and renamed, so an entry is whole or absent; a body whose sha256 does
 * not match its metadata is reported as corrupt, never used.
 *
 * The folder is, in order: the path given to cache_open (the caller puts
 * $TERRAIN_CACHE_DIR, then the project's [sources] cache there),
 * $TERRAIN_CACHE_DIR, $XDG_CACHE_HOME/terrain, $HOME/.cache/terrain. */
#ifndef TERRAIN_CACHE_H
#define TERRAIN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/error.h"
#include "../core/sha256.h"
#include "../core/strbuf.h"

#define CACHE_KEY_LEN SHA256_HEX_LEN

struct cache_meta {
	struct strbuf url, etag, last_modified, content_type, source, dataset;
	char key[CACHE_KEY_LEN + 1];
	char sha256[SHA256_HEX_LEN + 1];
	char fetched[32];   /* UTC, "2026-11-29T02:14:00Z" */
	char validated[32]; /* last time the server confirmed it (a 304), or as fetched */
	long status;
	size_t size;
	bool post; /* the request was a POST */
};

void cache_meta_init(struct cache_meta *m);
void cache_meta_release(struct cache_meta *m);

struct cache {
	char *dir; /* owned */
};

/* Choose the folder (dir may be NULL, see above) and create it. */
enum status cache_open(struct cache *c, const char *dir, struct error *err);
void cache_close(struct cache *c);

/* The key of a request: body NULL for a GET. */
void cache_key(const char *url, const char *body, char key[CACHE_KEY_LEN + 1]);

/* Read the entry of key into *meta and body (either may be NULL to skip).
 * key must not point into *meta, which is reset first.
 * An absent entry is TERRAIN_ENOTFOUND; an unreadable, malformed or corrupt
 * one (sha256 mismatch) is TERRAIN_EDATA naming the file. */
enum status cache_load(const struct cache *c, const char *key, struct cache_meta *meta,
		       struct strbuf *body, struct error *err);

/* Write (or replace) the entry of meta->key atomically; meta->sha256 and
 * meta->size are computed here from the body. */
enum status cache_store(const struct cache *c, struct cache_meta *meta, const char *body,
			size_t len, struct error *err);

/* Call fn for each entry's metadata, in key order; a malformed entry is
 * passed with status TERRAIN_EDATA and the message in err_entry.  fn
 * returning non-zero stops the walk. */
typedef int (*cache_walk_fn)(const struct cache_meta *meta, enum status st,
			     const struct error *err_entry, void *arg);
enum status cache_walk(const struct cache *c, bool with_body_check, cache_walk_fn fn, void *arg,
		       struct error *err);

/* Remove every entry, and temporary files left over for more than an hour
 * (younger ones may be a running fetch's); *removed counts the entries. */
enum status cache_clear(const struct cache *c, size_t *removed, struct error *err);

/* UTC now as "YYYY-MM-DDTHH:MM:SSZ". */
void cache_now(char out[32]);

#endif
