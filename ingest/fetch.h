/* terrain fetch: run every enabled source's plan for a set of territories
 * through the HTTP client, the cache and the store.
 *
 * For each request: a cached entry makes the request conditional
 * (If-None-Match, If-Modified-Since); a 304 reuses the cached body.  A new
 * body is checked (content type, parser) before it replaces the cache entry
 * and before its observations go into the store, in one transaction: a
 * failed, truncated, oversize or unparsable download leaves both as they
 * were.  A failure is reported and the other requests go on.
 *
 * Base URLs: the environment (TERRAIN_<SOURCE>_URL, e.g. TERRAIN_MELODI_URL,
 * and TERRAIN_FRANCETRAVAIL_TOKEN_URL) overrides the project file's
 * [sources], which overrides the official addresses. */
#ifndef TERRAIN_FETCH_H
#define TERRAIN_FETCH_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/project.h"
#include "../core/store.h"
#include "../core/territory.h"
#include "http.h"

/* A source's deadline unless TERRAIN_HTTP_DEADLINE_MS says otherwise: half
 * an hour from its first request (Melodi's 30 requests a minute leave room
 * for 900 requests). */
#define FETCH_DEADLINE_MS 1800000L
#include "source.h"

struct fetch_config {
	char *base[SOURCE_COUNT]; /* owned: resolved base URL of each source */
	char *ft_token_url;	  /* owned */
	char *dares_ze_url;	  /* owned: the DARES zone d'emploi file */
	bool enabled[SOURCE_COUNT];
	struct http_options http;
	char *cache_dir;  /* owned or NULL: cache_open's default */
	char *store_path; /* owned: resolved store path */
	char *datadir;	  /* owned: the datasets folder (BDM idbanks) */
	bool no_throttle; /* TERRAIN_HTTP_THROTTLE=0: a local mirror or the tests */
	long deadline_ms; /* each source's deadline (struct http_throttle); 0: none */
};

/* Resolve the configuration from p (may be NULL: no project file), the
 * environment and the defaults.  store overrides every other store path
 * when not NULL. */
enum status fetch_config_load(struct fetch_config *cfg, const struct project *p,
			      const char *datadir, const char *store, struct error *err);
void fetch_config_release(struct fetch_config *cfg);

struct fetch_options {
	bool offline;	  /* cache only: no request leaves the machine */
	bool dry_run;	  /* list the requests on out, fetch nothing */
	const char *only; /* one source name, or NULL for every enabled one */
	FILE *out;	  /* dry-run listing; NULL: stdout */
};

/* What a run did. */
struct fetch_report {
	size_t requests;     /* requests planned (pages included) */
	size_t fresh;	     /* 200: new body, cache replaced */
	size_t not_modified; /* 304: cached body reused */
	size_t cached;	     /* --offline: answered from the cache */
	size_t missing;	     /* --offline: no cached copy */
	size_t failed;	     /* errors after retries, or bad payloads */
	size_t skipped;	     /* sources skipped (no credentials) */
	struct store_stats stats;
	char **problems; /* owned: one line per failure or missing entry */
	size_t nproblems, alloc_problems;
};

void fetch_report_release(struct fetch_report *r);

/* Fetch the enabled sources for the nt territories ts.  TERRAIN_OK when
 * every request succeeded; TERRAIN_EPARTIAL when some failed or were
 * missing and others succeeded; TERRAIN_ENET when none succeeded; other
 * statuses for a setup failure (cache folder, store, idbank table). */
enum status fetch_run(const struct fetch_config *cfg, const struct geo *g,
		      const struct territory *ts, size_t nt, const struct fetch_options *opt,
		      struct fetch_report *rep, struct error *err);

/* A source for tests and for fetch_run: its name, throttle, planner and
 * parser, and whether it needs France Travail's OAuth2 token. */
struct fetch_source {
	const char *name;
	double per_minute;
	source_plan_fn plan; /* NULL for bdm, which needs its idbank table */
	source_parse_fn parse;
	bool oauth;
};

/* Row k of the source registry (core/sources.h) with its planner and parser. */
struct fetch_source fetch_source_at(size_t k);

/* The state of a run, exposed so that a test can fetch one request of a
 * source of its own. */
struct fetch_state;

enum status fetch_state_new(struct fetch_state **out, const struct fetch_config *cfg,
			    const struct fetch_options *opt, struct fetch_report *rep,
			    struct error *err);
/* Fetch one request (and its next pages) of src; failures are counted in
 * the report and returned. */
enum status fetch_request(struct fetch_state *s, const struct fetch_source *src,
			  const struct source_request *req, struct error *err);
void fetch_state_free(struct fetch_state *s);

/* Does a body served with content type ct (as the server sent it, "" when
 * none) fit format f?  A type that names the format (…json, …xml, …csv)
 * is taken, the parser checking the rest; a generic one (none,
 * application/octet-stream, binary/octet-stream, text/plain,
 * application/download) lets the body decide: JSON starts with { or [, XML
 * with <?xml or an element that is not HTML, CSV with neither and a
 * separator on its first line.  Any other type (text/html, image/png) is
 * refused.  Errors (TERRAIN_EDATA) start with url. */
enum status fetch_content_check(const char *url, const char *ct, enum source_format f,
				const char *body, size_t len, struct error *err);

#endif
