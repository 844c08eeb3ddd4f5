/* What the JSON sources (geoapi, melodi, siae, francetravail) share:
 * loading a payload with "invalid JSON at line:col" and reading a string
 * field. */
#ifndef TERRAIN_SOURCEJSON_H
#define TERRAIN_SOURCEJSON_H

#include <jansson.h>

#include "source.h"

/* Parse len bytes of body (may be NULL when len is 0) into *root (owned:
 * json_decref), refusing duplicate keys; else TERRAIN_EDATA "URL: invalid
 * JSON at line L, column C: WHAT" with req's URL. */
enum status source_json_load(const struct source_request *req, const char *body, size_t len,
			     json_t **root, struct error *err);

/* The string at key of obj, "" when absent or null; another type is
 * TERRAIN_EDATA "KEY is not a string". */
enum status source_json_string(json_t *obj, const char *key, const char **out, struct error *err);

#endif
