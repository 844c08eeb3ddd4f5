/* What every public source module provides: a plan (the requests to make
 * for a territory) and a parser (a payload into observations).
 *
 * A source module (melodi.c, bdm.c, dares.c, caf.c, geoapi.c, siae.c,
 * francetravail.c) knows its URLs and its payload format; it does no I/O.
 * fetch.c runs the plans through the HTTP client and its cache, calls the
 * parsers and writes what they return into the store.  So every parser is
 * a pure function of the bytes, tested on recorded payloads. */
#ifndef TERRAIN_SOURCE_H
#define TERRAIN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/observation.h"
#include "../core/strbuf.h"
#include "../core/territory.h"

enum source_format {
	SOURCE_JSON,
	SOURCE_XML,
	SOURCE_CSV,
};

/* One HTTP request of a plan. */
struct source_request {
	char *url;		   /* owned: absolute URL */
	char *body;		   /* owned or NULL: a POST body (JSON); NULL means GET */
	char *dataset;		   /* owned: the source's dataset id, for the cache and the store */
	char *territory;	   /* owned: the typed code the request is for ("dep:38") */
	enum source_format format; /* what the body must parse as */
};

struct source_plan {
	struct source_request *v;
	size_t n, alloc;
};

#define SOURCE_PLAN_INIT   \
	{                  \
		NULL, 0, 0 \
	}

/* Append a request; url, dataset and territory are copied; body may be NULL. */
void source_plan_add(struct source_plan *p, const char *url, const char *body, const char *dataset,
		     const char *territory, enum source_format format);
void source_plan_release(struct source_plan *p);

/* A commune as geo.api.gouv.fr describes it today. */
struct geoapi_commune {
	char code[6];
	char name[128];
	char epci[10]; /* SIREN, "" without EPCI */
	char dep[4];
	char reg[4];
	long population; /* population municipale; -1 when absent */
};

struct geoapi_list {
	struct geoapi_commune *v;
	size_t n, alloc;
};

/* What a parser returns.  A parser appends; it never clears. */
struct source_result {
	struct obs_list obs;
	struct siae_list siae;
	struct geoapi_list communes;
	struct strbuf next; /* the next page's absolute URL when the source pages, else empty */
};

/* s quoted for a parser's message ("...", cut after 80 bytes by
 * text_quote), in q (reset first); returns q->buf. */
const char *source_quote(const char *s, struct strbuf *q);

/* Copy as much of s as fits in dst (cap bytes), cut at a UTF-8 character
 * boundary: a display name is better short than missing. */
void source_copy_cut(char *dst, size_t cap, const char *s);

/* A SIRET as the directories give it: "" (none) or 14 digits; else
 * TERRAIN_EDATA "siret \"...\" is not 14 digits" (tmp: scratch). */
enum status source_check_siret(const char *siret, struct strbuf *tmp, struct error *err);

void source_result_init(struct source_result *r);
void source_result_release(struct source_result *r);
struct siae_structure *source_result_push_siae(struct source_result *r);
struct geoapi_commune *source_result_push_commune(struct source_result *r);

/* The parser's contract: body holds len bytes (not NUL-terminated; may
 * contain NULs); req is the request it answers.  A payload that does not
 * have the expected shape is TERRAIN_EDATA with a message that starts with
 * the request URL, then says where (JSON line:column, XML line, CSV
 * line:column) and what was expected.  On error the result may hold part of
 * the observations: the caller discards it. */
typedef enum status (*source_parse_fn)(const struct source_request *req, const char *body,
				       size_t len, struct source_result *out, struct error *err);

/* The planner's contract: add the requests that fetch the source's data for
 * territory t (resolved against g) to plan.  base is the source's base URL
 * without a final '/'.  A territory the source does not cover adds nothing
 * (and is not an error). */
typedef enum status (*source_plan_fn)(const char *base, const struct geo *g,
				      const struct territory *t, struct source_plan *plan,
				      struct error *err);

#endif
