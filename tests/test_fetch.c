/* ingest/fetch.c end to end against the local test server: a first fetch
 * fills the cache and the store, a second sends a conditional request, and
 * every fault leaves the previous good cache entry and the store as they
 * were, with a message that names the URL and the cause. */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/store.h"
#include "../core/xalloc.h"
#include "../ingest/bdm.h"
#include "../ingest/cache.h"
#include "../ingest/fetch.h"
#include "../ingest/francetravail.h"
#include "../ingest/melodi.h"
#include "helpers.h"
#include "httpd.h"

#define DATA_PATH "/melodi/data/DS_POPULATIONS_REFERENCE"

static struct httpd *srv;

static int setup(void)
{
	srv = httpd_start();
	return srv ? 0 : 1;
}

static int teardown(void)
{
	httpd_stop(srv);
	return 0;
}

/* A configuration with its own cache and store in a new folder, fast
 * retries and small limits. */
static void config(struct fetch_config *cfg)
{
	struct strbuf sb = STRBUF_INIT;
	const char *dir = test_tmpdir();
	memset(cfg, 0, sizeof(*cfg));
	strbuf_addf(&sb, "%s/cache", dir);
	cfg->cache_dir = strbuf_detach(&sb);
	strbuf_addf(&sb, "%s/store.db", dir);
	cfg->store_path = strbuf_detach(&sb);
	cfg->datadir = xstrdup(test_datadir());
	strbuf_addf(&sb, "%s/ft/token", httpd_base(srv));
	cfg->ft_token_url = strbuf_detach(&sb);
	cfg->http.max_attempts = 2;
	cfg->http.backoff_ms = 5;
	cfg->http.timeout_ms = 500;
	cfg->http.max_body = 100000;
	cfg->http.retry_after_max_ms = 1500;
	cfg->no_throttle =
	    true; /* the limits of the real services: test_http checks the throttle */
}

struct fixture {
	struct fetch_config cfg;
	struct fetch_options opt;
	struct fetch_report rep;
	struct fetch_state *state;
	struct source_request req;
	struct strbuf url;
};

static const struct fetch_source melodi_src = {"melodi", 0, melodi_plan, melodi_parse, false};

static void fixture_open(struct fixture *f, bool offline)
{
	memset(&f->rep, 0, sizeof(f->rep));
	memset(&f->opt, 0, sizeof(f->opt));
	f->opt.offline = offline;
	CU_ASSERT_EQUAL_FATAL(fetch_state_new(&f->state, &f->cfg, &f->opt, &f->rep, NULL),
			      TERRAIN_OK);
}

static void fixture_close(struct fixture *f)
{
	fetch_state_free(f->state);
	f->state = NULL;
	fetch_report_release(&f->rep);
}

/* The cached body's sha256 and the store's row count and Rhône value. */
struct snapshot {
	char sha[SHA256_HEX_LEN + 1];
	size_t nobs;
	double rhone;
};

static int rhone_cb(const struct store_row *row, void *arg)
{
	struct snapshot *s = arg;
	if (!strcmp(row->obs.period, "2023") && strstr(row->obs.indicator, "PMUN"))
		s->rhone = row->obs.value;
	return 0;
}

static void snapshot(struct fixture *f, struct snapshot *s)
{
	struct cache c;
	struct cache_meta m;
	struct store *st = NULL;
	char key[CACHE_KEY_LEN + 1];
	memset(s, 0, sizeof(*s));
	s->rhone = NAN;
	cache_meta_init(&m);
	CU_ASSERT_EQUAL_FATAL(cache_open(&c, f->cfg.cache_dir, NULL), TERRAIN_OK);
	cache_key(f->url.buf, NULL, key);
	if (cache_load(&c, key, &m, NULL, NULL) == TERRAIN_OK)
		memcpy(s->sha, m.sha256, sizeof(s->sha));
	cache_meta_release(&m);
	cache_close(&c);
	CU_ASSERT_EQUAL_FATAL(store_open(&st, f->cfg.store_path, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_counts(st, &s->nobs, NULL, NULL, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_each(st, "dep:69", NULL, rhone_cb, s, NULL), TERRAIN_OK);
	store_close(st);
}

static struct fixture fx;

static void fixture_setup(void)
{
	config(&fx.cfg);
	strbuf_init(&fx.url);
	strbuf_addf(&fx.url, "%s%s?GEO=DEP-69&POPREF_MEASURE=PMUN&maxResult=100000",
		    httpd_base(srv), DATA_PATH);
	fx.req.url = fx.url.buf;
	fx.req.dataset = (char *)(uintptr_t) "DS_POPULATIONS_REFERENCE";
	fx.req.territory = (char *)(uintptr_t) "dep:69";
	fx.req.format = SOURCE_JSON;
	httpd_route_file(srv, DATA_PATH, "melodi/popref_dep69.json", "application/json");
}

static void test_fetch_fresh_then_conditional(void)
{
	struct snapshot s;
	struct error err;
	fixture_setup();
	httpd_reset_counts(srv);

	fixture_open(&fx, false);
	CU_ASSERT_EQUAL(fetch_request(fx.state, &melodi_src, &fx.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fx.rep.fresh, 1);
	CU_ASSERT_EQUAL(fx.rep.stats.inserted, 3); /* PMUN, PCAP, PTOT 2023 */
	fixture_close(&fx);
	snapshot(&fx, &s);
	CU_ASSERT_EQUAL(s.nobs, 3);
	/* Rhône's population municipale 2023, as in the recorded payload */
	CU_ASSERT_DOUBLE_EQUAL(s.rhone, 1914667, 0);
	CU_ASSERT_EQUAL(strlen(s.sha), 64);
	char *inm = httpd_last(srv, DATA_PATH, "If-None-Match");
	CU_ASSERT_PTR_NULL(inm);

	/* second run, a second later: conditional, 304, nothing new; the entry
	 * records that the server confirmed it */
	struct timespec pause = {1, 100000000};
	nanosleep(&pause, NULL);
	fixture_open(&fx, false);
	CU_ASSERT_EQUAL(fetch_request(fx.state, &melodi_src, &fx.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fx.rep.fresh, 0);
	CU_ASSERT_EQUAL(fx.rep.not_modified, 1);
	CU_ASSERT_EQUAL(fx.rep.stats.unchanged, 3);
	CU_ASSERT_EQUAL(fx.rep.stats.inserted, 0);
	fixture_close(&fx);
	inm = httpd_last(srv, DATA_PATH, "If-None-Match");
	CU_ASSERT_PTR_NOT_NULL(inm);
	CU_ASSERT_EQUAL(inm ? strlen(inm) : 0, 18);
	free(inm);
	CU_ASSERT_EQUAL(httpd_hits(srv, DATA_PATH), 2);
	{
		struct cache c;
		struct cache_meta m;
		char key[CACHE_KEY_LEN + 1];
		cache_meta_init(&m);
		CU_ASSERT_EQUAL_FATAL(cache_open(&c, fx.cfg.cache_dir, NULL), TERRAIN_OK);
		cache_key(fx.url.buf, NULL, key);
		CU_ASSERT_EQUAL(cache_load(&c, key, &m, NULL, NULL), TERRAIN_OK);
		CU_ASSERT(strcmp(m.validated, m.fetched) > 0);
		cache_meta_release(&m);
		cache_close(&c);
	}

	/* offline: from the cache, no request */
	fixture_open(&fx, true);
	CU_ASSERT_EQUAL(fetch_request(fx.state, &melodi_src, &fx.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fx.rep.cached, 1);
	fixture_close(&fx);
	CU_ASSERT_EQUAL(httpd_hits(srv, DATA_PATH), 2);
}

/* One fault: the request fails with a message that starts with the URL
 * and contains cause; the cache entry and the store are unchanged; the
 * server saw `hits` requests (0: not checked). */
static void check_fault(const struct httpd_reply *script, size_t n, const char *cause,
			unsigned hits)
{
	struct snapshot before, after;
	struct error err;
	snapshot(&fx, &before);
	httpd_reset_counts(srv);
	httpd_script(srv, DATA_PATH, script, n);
	fixture_open(&fx, false);
	CU_ASSERT_NOT_EQUAL(fetch_request(fx.state, &melodi_src, &fx.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fx.rep.failed, 1);
	CU_ASSERT_EQUAL(fx.rep.nproblems, 1);
	fixture_close(&fx);
	CU_ASSERT_EQUAL(strncmp(err.msg, fx.url.buf, fx.url.len), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cause));
	if (!strstr(err.msg, cause) || strncmp(err.msg, fx.url.buf, fx.url.len))
		fprintf(stderr, "\nmessage: %s\nwanted:  %s\n", err.msg, cause);
	if (hits) {
		CU_ASSERT_EQUAL(httpd_hits(srv, DATA_PATH), hits);
		if (httpd_hits(srv, DATA_PATH) != hits)
			fprintf(stderr, "\n%s: %u requests, expected %u\n", cause,
				httpd_hits(srv, DATA_PATH), hits);
	}
	snapshot(&fx, &after);
	CU_ASSERT_STRING_EQUAL(after.sha, before.sha); /* the good entry survives */
	CU_ASSERT_EQUAL(after.nobs, before.nobs);      /* the store is unchanged */
	CU_ASSERT_DOUBLE_EQUAL(after.rhone, before.rhone, 0);
	httpd_script(srv, DATA_PATH, NULL, 0);
}

/* A changed body so that the server does not answer 304. */
static const char changed[] =
    "{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\",\"FREQ\":\"A\","
    "\"TIME_PERIOD\":\"2023\",\"POPREF_MEASURE\":\"PMUN\"},\"measures\":{\"OBS_VALUE_NIVEAU\":"
    "{\"value\":1.0}}}],\"paging\":{}}";

static void test_fetch_faults_keep_cache_and_store(void)
{
	char big[200001];
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const struct httpd_reply s503 = {.status = 503, .body = "down"};
	const struct httpd_reply reset = {.fault = HTTPD_RESET};
	const struct httpd_reply trunc = {.fault = HTTPD_TRUNCATE, .body = changed};
	const struct httpd_reply slow = {.fault = HTTPD_SLOW, .delay_ms = 1500, .body = changed};

	{
		const struct httpd_reply r[] = {s503, s503};
		check_fault(r, 2, ": HTTP 503 Service Unavailable after 2 attempts", 2);
	}
	{
		/* libcurl retries a dead reused connection once by itself */
		const struct httpd_reply r[] = {reset, reset, reset, reset};
		check_fault(r, 4, ": Empty reply from server after 2 attempts", 0);
	}
	{
		const struct httpd_reply r[] = {trunc, trunc};
		check_fault(r, 2, "bytes remaining to read after 2 attempts", 2);
	}
	{
		const struct httpd_reply r[] = {slow, slow};
		check_fault(r, 2, "(limit 500 ms) after 2 attempts", 2);
	}
	{
		const struct httpd_reply r[] = {
		    {.body = "{\"observations\": [", .content_type = "application/json"}};
		check_fault(r, 1, ": invalid JSON", 1);
	}
	{
		const struct httpd_reply r[] = {{.body = "{\"identifier\":\"x\"}"}};
		check_fault(r, 1, "\"observations\" is missing", 1);
	}
	{
		const struct httpd_reply r[] = {{.body = big}};
		check_fault(r, 1, ": the body exceeds the limit of 100000 bytes", 1);
	}
	{
		const struct httpd_reply r[] = {
		    {.body = "<html>maintenance</html>", .content_type = "text/html"}};
		check_fault(r, 1, ": unexpected content type \"text/html\" (expected JSON)", 1);
	}
	{
		/* a generic type lets the body decide: an HTML page is no JSON */
		const struct httpd_reply r[] = {{.body = "<!DOCTYPE html><html>maintenance</html>",
						 .content_type = "application/octet-stream"}};
		check_fault(
		    r, 1,
		    ": content type \"application/octet-stream\" and a body that does not "
		    "look like JSON (it starts with \"<!DOCTYPE html><html>maintenance</html>\")",
		    1);
	}
	{
		const struct httpd_reply r[] = {{.status = 429, .retry_after = "3600"}};
		check_fault(
		    r, 1, ": HTTP 429 Too Many Requests, and the server asks to retry after 3600 s",
		    1);
	}
	{
		const struct httpd_reply r500 = {
		    .status = 500, .body = "Le serveur a rencontré une erreur inattendue."};
		const struct httpd_reply r[] = {r500, r500};
		check_fault(r, 2, ": HTTP 500 Internal Server Error after 2 attempts", 2);
	}

	/* 503 then 200 (here a 304, since the cache holds the body): recovered */
	struct error err;
	const struct httpd_reply once[] = {s503};
	httpd_reset_counts(srv);
	httpd_script(srv, DATA_PATH, once, 1);
	fixture_open(&fx, false);
	CU_ASSERT_EQUAL(fetch_request(fx.state, &melodi_src, &fx.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fx.rep.not_modified, 1);
	fixture_close(&fx);
	CU_ASSERT_EQUAL(httpd_hits(srv, DATA_PATH), 2);

	/* 429 with a short Retry-After, then a new body: stored as a revision */
	const struct httpd_reply wait[] = {{.status = 429, .retry_after = "1"}, {.body = changed}};
	httpd_reset_counts(srv);
	httpd_script(srv, DATA_PATH, wait, 2);
	fixture_open(&fx, false);
	CU_ASSERT_EQUAL(fetch_request(fx.state, &melodi_src, &fx.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(fx.rep.fresh, 1);
	CU_ASSERT_EQUAL(fx.rep.stats.updated, 1);
	fixture_close(&fx);
	struct snapshot s;
	snapshot(&fx, &s);
	CU_ASSERT_DOUBLE_EQUAL(s.rhone, 1.0, 0);
	httpd_script(srv, DATA_PATH, NULL, 0);
}

static void test_fetch_invalid_xml(void)
{
	struct fixture f;
	struct error err;
	struct snapshot before;
	memset(&f, 0, sizeof(f));
	config(&f.cfg);
	strbuf_init(&f.url);
	strbuf_addf(&f.url, "%s/bdm/series/sdmx/data/SERIES_BDM/001515903", httpd_base(srv));
	httpd_route_file(srv, "/bdm/series/sdmx/data/SERIES_BDM/001515903",
			 "bdm/taux_chomage_fm_r84_d38_d69_d974.xml", "application/xml");
	const struct fetch_source bdm = {"bdm", 0, NULL, bdm_parse, false};
	f.req.url = f.url.buf;
	f.req.dataset = (char *)(uintptr_t) "001515903";
	f.req.territory = (char *)(uintptr_t) "dep:38";
	f.req.format = SOURCE_XML;
	fixture_open(&f, false);
	CU_ASSERT_EQUAL(fetch_request(f.state, &bdm, &f.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(f.rep.fresh, 1);
	fixture_close(&f);
	struct store *st = NULL;
	CU_ASSERT_EQUAL_FATAL(store_open(&st, f.cfg.store_path, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_counts(st, &before.nobs, NULL, NULL, NULL), TERRAIN_OK);
	store_close(st);
	CU_ASSERT(before.nobs > 0);

	/* a cut XML document: an error naming the URL and the XML position */
	const struct httpd_reply cut[] = {{.body = "<message:StructureSpecificData><Series"}};
	httpd_script(srv, "/bdm/series/sdmx/data/SERIES_BDM/001515903", cut, 1);
	fixture_open(&f, false);
	CU_ASSERT_EQUAL(fetch_request(f.state, &bdm, &f.req, &err), TERRAIN_EDATA);
	fixture_close(&f);
	CU_ASSERT_EQUAL(strncmp(err.msg, f.url.buf, f.url.len), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ": invalid XML at line 1"));
	size_t nobs = 0;
	CU_ASSERT_EQUAL_FATAL(store_open(&st, f.cfg.store_path, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_counts(st, &nobs, NULL, NULL, NULL), TERRAIN_OK);
	store_close(st);
	CU_ASSERT_EQUAL(nobs, before.nobs);
	httpd_script(srv, "/bdm/series/sdmx/data/SERIES_BDM/001515903", NULL, 0);
	fetch_config_release(&f.cfg);
	strbuf_release(&f.url);
}

static void test_fetch_offline_names_missing(void)
{
	struct fixture f;
	struct error err;
	struct strbuf want = STRBUF_INIT;
	memset(&f, 0, sizeof(f));
	config(&f.cfg);
	strbuf_init(&f.url);
	strbuf_addf(&f.url, "%s/melodi/data/DS_NONE?GEO=FRANCE-F", httpd_base(srv));
	f.req = fx.req;
	f.req.url = f.url.buf;
	fixture_open(&f, true);
	CU_ASSERT_EQUAL(fetch_request(f.state, &melodi_src, &f.req, &err), TERRAIN_ENOTFOUND);
	strbuf_addf(&want, "%s: offline, and no cached copy", f.url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(f.rep.missing, 1);
	fixture_close(&f);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/melodi/data/DS_NONE"), 0);
	fetch_config_release(&f.cfg);
	strbuf_release(&f.url);
	strbuf_release(&want);
}

static void test_fetch_pages_followed(void)
{
	struct fixture f;
	struct error err;
	struct strbuf p1 = STRBUF_INIT;
	memset(&f, 0, sizeof(f));
	config(&f.cfg);
	strbuf_init(&f.url);
	strbuf_addf(&f.url, "%s/pages/one", httpd_base(srv));
	/* Melodi has never been seen to page (SOURCES.md); these two pages are
	 * written here to test that a "next" link is followed. */
	strbuf_addf(
	    &p1,
	    "{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-COM-44109\",\"TIME_PERIOD\":"
	    "\"2023\",\"POPREF_MEASURE\":\"PMUN\"},\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":"
	    "1.0}}}],\"paging\":{\"next\":\"%s/pages/two\"}}",
	    httpd_base(srv));
	const char *p2 = "{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-COM-44110\","
			 "\"TIME_PERIOD\":\"2023\",\"POPREF_MEASURE\":\"PMUN\"},\"measures\":{"
			 "\"OBS_VALUE_NIVEAU\":{\"value\":2.0}}}],\"paging\":{}}";
	httpd_route_body(srv, "/pages/one", p1.buf, p1.len, "application/json");
	httpd_route_body(srv, "/pages/two", p2, strlen(p2), "application/json");
	f.req = fx.req;
	f.req.url = f.url.buf;
	fixture_open(&f, false);
	CU_ASSERT_EQUAL(fetch_request(f.state, &melodi_src, &f.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(f.rep.requests, 2);
	CU_ASSERT_EQUAL(f.rep.fresh, 2);
	CU_ASSERT_EQUAL(f.rep.stats.inserted, 2);
	fixture_close(&f);

	/* a next link to another host is not followed */
	const char *away = "{\"observations\":[],\"paging\":{\"next\":"
			   "\"http://elsewhere.example/data?page=2\"}}";
	struct strbuf want = STRBUF_INIT;
	httpd_route_body(srv, "/pages/away", away, strlen(away), "application/json");
	strbuf_reset(&f.url);
	strbuf_addf(&f.url, "%s/pages/away", httpd_base(srv));
	f.req.url = f.url.buf;
	fixture_open(&f, false);
	CU_ASSERT_EQUAL(fetch_request(f.state, &melodi_src, &f.req, &err), TERRAIN_EDATA);
	strbuf_addf(&want,
		    "%s: the next page is on another host (http://elsewhere.example/data?page=2): "
		    "not followed",
		    f.url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(f.rep.failed, 1);
	fixture_close(&f);
	strbuf_release(&want);
	fetch_config_release(&f.cfg);
	strbuf_release(&f.url);
	strbuf_release(&p1);
}

static void test_fetch_oauth_token_reused_and_refreshed(void)
{
	struct fixture f;
	struct error err;
	memset(&f, 0, sizeof(f));
	config(&f.cfg);
	strbuf_init(&f.url);
	strbuf_addf(&f.url, "%s/ft/indicateur/stat-demandeurs", httpd_base(srv));
	const char *tok1 = "{\"access_token\":\"tok-one\",\"token_type\":\"Bearer\","
			   "\"expires_in\":1499,\"scope\":\"api_stats-offres-demandes-emploiv1\"}";
	const char *tok2 = "{\"access_token\":\"tok-two\",\"token_type\":\"Bearer\","
			   "\"expires_in\":1499,\"scope\":\"api_stats-offres-demandes-emploiv1\"}";
	httpd_route_body(srv, "/ft/token", tok1, strlen(tok1), "application/json");
	httpd_route_file(srv, "/ft/indicateur/stat-demandeurs",
			 "francetravail/constructed_stat_demandeurs_dep38.json",
			 "application/json");
	setenv("FT_CLIENT_ID", "client-id-1", 1);
	setenv("FT_CLIENT_SECRET", "s3cr3t-value", 1);
	struct fetch_source ft = {"francetravail", 0, francetravail_plan, francetravail_parse,
				  true};
	f.req.url = f.url.buf;
	f.req.body =
	    (char *)(uintptr_t) "{\"codeTypeTerritoire\":\"DEP\",\"codeTerritoire\":\"38\"}";
	f.req.dataset = (char *)(uintptr_t) "stat-demandeurs";
	f.req.territory = (char *)(uintptr_t) "dep:38";
	f.req.format = SOURCE_JSON;
	httpd_reset_counts(srv);
	fixture_open(&f, false);
	CU_ASSERT_EQUAL(fetch_request(f.state, &ft, &f.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/ft/token"), 1);
	char *auth = httpd_last(srv, "/ft/indicateur/stat-demandeurs", "Authorization");
	CU_ASSERT_STRING_EQUAL(auth, "Bearer tok-one");
	free(auth);
	char *form = httpd_last(srv, "/ft/token", "body");
	CU_ASSERT_TRUE(form && strstr(form, "grant_type=client_credentials"));
	CU_ASSERT_TRUE(form && strstr(form, "client_secret=s3cr3t-value"));
	free(form);

	/* the token is reused; when the API says 401, one new token, one retry */
	httpd_route_body(srv, "/ft/token", tok2, strlen(tok2), "application/json");
	const struct httpd_reply expired[] = {{.status = 401, .body = "{\"message\":\"expired\"}"}};
	httpd_script(srv, "/ft/indicateur/stat-demandeurs", expired, 1);
	CU_ASSERT_EQUAL(fetch_request(f.state, &ft, &f.req, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/ft/token"), 2);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/ft/indicateur/stat-demandeurs"), 3);
	auth = httpd_last(srv, "/ft/indicateur/stat-demandeurs", "Authorization");
	CU_ASSERT_STRING_EQUAL(auth, "Bearer tok-two");
	free(auth);

	/* a data API that answers 403 repeating the token: the message (and the
	 * report's problem lines, which fetch --format json prints) shows it
	 * nowhere */
	const struct httpd_reply echo[] = {
	    {.status = 403, .body = "{\"message\":\"token tok-two has no access to DEP 38\"}"}};
	httpd_script(srv, "/ft/indicateur/stat-demandeurs", echo, 1);
	CU_ASSERT_EQUAL(fetch_request(f.state, &ft, &f.req, &err), TERRAIN_ENET);
	CU_ASSERT_PTR_NULL(strstr(err.msg, "tok-two"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg,
				      "HTTP 403 Forbidden: {\"message\":\"token *** has no "
				      "access to DEP 38\"}"));
	CU_ASSERT_PTR_NULL(strstr(f.rep.problems[f.rep.nproblems - 1], "tok-two"));

	/* a token endpoint that refuses: the message never shows the secret */
	const struct httpd_reply refused[] = {
	    {.status = 401, .body = "{\"error\":\"invalid_client\",\"echo\":\"s3cr3t-value\"}"},
	    {.status = 401, .body = "{\"error\":\"invalid_client\",\"echo\":\"s3cr3t-value\"}"}};
	httpd_script(srv, "/ft/indicateur/stat-demandeurs", refused, 2);
	httpd_script(srv, "/ft/token", refused, 2);
	CU_ASSERT_EQUAL(fetch_request(f.state, &ft, &f.req, &err), TERRAIN_ENET);
	CU_ASSERT_PTR_NULL(strstr(err.msg, "s3cr3t"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "France Travail token"));
	fixture_close(&f);
	httpd_script(srv, "/ft/indicateur/stat-demandeurs", NULL, 0);
	httpd_script(srv, "/ft/token", NULL, 0);

	/* nothing on disk holds the secret or a token */
	struct strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "grep -rqaE 's3cr3t|tok-one|tok-two' '%s' '%s'", f.cfg.cache_dir,
		    f.cfg.store_path);
	CU_ASSERT_NOT_EQUAL(system(cmd.buf), 0);
	strbuf_release(&cmd);
	unsetenv("FT_CLIENT_ID");
	unsetenv("FT_CLIENT_SECRET");
	fetch_config_release(&f.cfg);
	strbuf_release(&f.url);
}

static void test_fetch_cleanup(void)
{
	fetch_config_release(&fx.cfg);
	strbuf_release(&fx.url);
}

/* ---- the terrain fetch and terrain cache commands, end to end ---- */

static struct strbuf cout = STRBUF_INIT, cerr = STRBUF_INIT;

static void expect(const struct strbuf *sb, const char *needle)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(sb->buf, needle));
	if (!strstr(sb->buf, needle))
		fprintf(stderr, "\nmissing: %s\nin:\n%s\n", needle, sb->buf);
}

static void test_fetch_cli(void)
{
	const char *dir = test_tmpdir();
	struct strbuf melodi = STRBUF_INIT, bdm = STRBUF_INIT, cache = STRBUF_INIT,
		      store = STRBUF_INIT, url = STRBUF_INIT;
	strbuf_addf(&melodi, "TERRAIN_MELODI_URL=%s/melodi", httpd_base(srv));
	strbuf_addf(&bdm, "TERRAIN_BDM_URL=%s/bdm", httpd_base(srv));
	strbuf_addf(&cache, "TERRAIN_CACHE_DIR=%s/cache", dir);
	strbuf_addf(&store, "TERRAIN_STORE=%s/store.db", dir);
	const char *env[] = {melodi.buf,
			     bdm.buf,
			     cache.buf,
			     store.buf,
			     "TERRAIN_HTTP_BACKOFF_MS=5",
			     "TERRAIN_HTTP_THROTTLE=0",
			     "FT_CLIENT_ID",
			     "FT_CLIENT_SECRET",
			     NULL};
	httpd_route_file(srv, "/melodi/data/DS_POPULATIONS_REFERENCE", "melodi/popref_dep69.json",
			 "application/json");
	httpd_route_file(srv, "/bdm/series/sdmx/data/SERIES_BDM/001515903",
			 "bdm/taux_chomage_fm_r84_d38_d69_d974.xml", "application/xml");
	httpd_script(srv, "/melodi/data/DS_POPULATIONS_REFERENCE", NULL, 0);

	/* dry run: the requests, nothing sent */
	httpd_reset_counts(srv);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"fetch", "--dry-run", "dep:69", "--source",
						       "melodi", NULL},
				 env, NULL, &cout, &cerr),
			0);
	strbuf_addf(&url, "melodi        GET %s/melodi/data/DS_POPULATIONS_REFERENCE?GEO=DEP-69",
		    httpd_base(srv));
	expect(&cout, url.buf);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/melodi/data/DS_POPULATIONS_REFERENCE"), 0);

	/* Melodi: the reference populations are served, the three other
	 * datasets are not (404): a partial run, exit 3 */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "dep:69", "--source", "melodi", NULL}, env,
		     NULL, &cout, &cerr),
	    3);
	expect(&cout, "4 requests: 1 new or changed, 0 not modified, 3 failed");
	expect(&cout, "observations: 3 new, 0 changed, 0 unchanged");
	strbuf_reset(&url);
	strbuf_addf(&url, "terrain: melodi: %s/melodi/data/DS_FILOSOFI_CC?GEO=DEP-69",
		    httpd_base(srv));
	expect(&cerr, url.buf);
	expect(&cerr, ": HTTP 404 Not Found: not found");
	expect(&cerr, "3 of 4 requests failed; first: melodi: ");

	/* again: conditional */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"fetch", "dep:69", "--source", "melodi",
						       "--format", "json", NULL},
				 env, NULL, &cout, &cerr),
			3);
	expect(&cout, "\"not_modified\": 1");

	/* offline: the cached payload, and what is missing */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"fetch", "--offline", "dep:69", "--source",
						       "melodi", NULL},
				 env, NULL, &cout, &cerr),
			3);
	expect(&cout, "4 requests: 1 from the cache, 3 missing from it");
	expect(&cerr, "?GEO=DEP-69&FILOSOFI_MEASURE=PR_MD60&FILOSOFI_MEASURE=MED_SL&maxResult="
		      "100000: offline, and no cached copy");

	/* BDM for Isère: one series request, exit 0 */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"fetch", "dep:38", "--source", "bdm", NULL},
				 env, NULL, &cout, &cerr),
			0);
	expect(&cout, "1 requests: 1 new or changed, 0 not modified, 0 failed");

	/* the cache commands */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"cache", "list", NULL}, env, NULL, &cout, &cerr), 0);
	expect(&cout, "melodi");
	expect(&cout, "bdm");
	expect(&cerr, "2 cache entries in");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"cache", "verify", NULL}, env, NULL, &cout, &cerr), 0);
	expect(&cout, "2 cache entries verified in");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"cache", "show", "zz", NULL}, env, NULL, &cout, &cerr),
	    2);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"cache", "frobnicate", NULL}, env, NULL, &cout, &cerr),
	    2);
	expect(&cerr,
	       "unknown cache subcommand 'frobnicate' (expected list, show, verify or clear)");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "--source", "insee", "dep:38", NULL}, env, NULL,
		     &cout, &cerr),
	    2);
	expect(&cerr, "bad value 'insee' for --source");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"cache", "clear", NULL}, env, NULL, &cout, &cerr), 0);
	expect(&cout, "removed 2 entries from");

	/* France Travail without credentials: skipped with a note, exit 0 */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "dep:38", "--source", "francetravail", NULL},
		     env, NULL, &cout, &cerr),
	    0);
	expect(&cerr, "francetravail: skipped: FT_CLIENT_ID and FT_CLIENT_SECRET are not set");

	strbuf_release(&melodi);
	strbuf_release(&bdm);
	strbuf_release(&cache);
	strbuf_release(&store);
	strbuf_release(&url);
	strbuf_release(&cout);
	strbuf_release(&cerr);
}

static long sql_long(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long n = -1;
	if (sqlite3_open(db, &h) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	return n;
}

/* The "done when": pointed at the test server, terrain fetch fills
 * the store for the project's territory and its references from every
 * source; the second run sends conditional requests only. */
static void test_fetch_project_every_source(void)
{
	const char *dir = test_tmpdir();
	const char *base = httpd_base(srv);
	struct strbuf ini = STRBUF_INIT, path = STRBUF_INIT, db = STRBUF_INIT;
	strbuf_addf(&path, "%s/terrain.ini", dir);
	strbuf_addf(&db, "%s/store.db", dir);
	strbuf_addf(&ini,
		    "[project]\nterritory = com:38185\n[sources]\ncache = cache\nstore = store.db\n"
		    "geo = %s/geo\nmelodi = %s/melodi\nbdm = %s/bdm\ndares = %s/dares\n"
		    "caf = %s/caf\nsiae = %s/siae\nfrancetravail = %s/ft\n"
		    "francetravail_token = %s/ft/token\ndares_ze = %s/dares/ze.csv\n",
		    base, base, base, base, base, base, base, base, base);
	test_write_file(path.buf, ini.buf);

	static const struct {
		const char *path, *fixture, *ct;
	} routes[] = {
	    {"/geo/communes/38185", "geoapi/mock_communes_grenoble.json", "application/json"},
	    {"/geo/epcis/200040715/communes", "geoapi/mock_communes_grenoble.json",
	     "application/json"},
	    {"/geo/departements/38/communes", "geoapi/mock_communes_grenoble.json",
	     "application/json"},
	    {"/geo/communes", "geoapi/mock_communes_grenoble.json", "application/json"},
	    {"/melodi/data/DS_POPULATIONS_REFERENCE", "melodi/popref_dep69.json",
	     "application/json"},
	    {"/melodi/data/DS_RP_POPULATION_PRINC", "melodi/popref_empty.json", "application/json"},
	    {"/melodi/data/DS_RP_EMPLOI_LR_PRINC", "melodi/popref_empty.json", "application/json"},
	    {"/melodi/data/DS_FILOSOFI_CC", "melodi/popref_empty.json", "application/json"},
	    {"/bdm/series/sdmx/data/SERIES_BDM/001515903",
	     "bdm/taux_chomage_fm_r84_d38_d69_d974.xml", "application/xml"},
	    {"/bdm/series/sdmx/data/SERIES_BDM/001739986",
	     "bdm/taux_chomage_fm_r84_d38_d69_d974.xml", "application/xml"},
	    {"/bdm/series/sdmx/data/SERIES_BDM/010754822",
	     "bdm/taux_chomage_fm_r84_d38_d69_d974.xml", "application/xml"},
	    {"/dares/api/explore/v2.1/catalog/datasets/dares_defm_communales-brutes/exports/csv",
	     "dares/communes_fields_partly_invented.csv", "text/csv; charset=utf-8"},
	    /* the zone d'emploi file, for Grenoble's reference ze:8409: its
	     * verbatim first line (Lisieux, 1997-T3) and INVENTED 2024 rows */
	    {"/dares/ze.csv", "dares/ze2020_first_line_and_invented_q4.csv",
	     "text/csv; charset=utf-8"},
	    {"/caf/api/explore/v2.1/catalog/datasets/s_ben_com_f/exports/csv",
	     "caf/s_ben_com_f_bordeaux_2024_attested.csv", "text/csv; charset=utf-8"},
	    {"/siae/api/v1/siaes/", "siae/constructed_siaes_dep38_page1.json", "application/json"},
	    {"/siae/api/v1/siaes/?departement=38&page=2", "siae/constructed_siaes_dep38_page2.json",
	     "application/json"},
	    {"/ft/token", "francetravail/constructed_token.json", "application/json"},
	    {"/ft/indicateur/stat-demandeurs",
	     "francetravail/constructed_stat_demandeurs_dep38.json", "application/json"},
	};
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		httpd_route_file(srv, routes[i].path, routes[i].fixture, routes[i].ct);
		httpd_script(srv, routes[i].path, NULL, 0);
	}
	const char *env[] = {"FT_CLIENT_ID=id-for-tests",
			     "FT_CLIENT_SECRET=secret-for-tests",
			     "TERRAIN_HTTP_THROTTLE=0",
			     "TERRAIN_MELODI_URL",
			     "TERRAIN_BDM_URL",
			     "TERRAIN_CACHE_DIR",
			     "TERRAIN_STORE",
			     NULL};
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "-c", path.buf, NULL}, env, NULL, &cout, &cerr),
	    0);
	/* geo 5, melodi 4 x 5, bdm 3, dares 3 + the zone d'emploi file, caf 2,
	 * siae 2 + 2 second pages, France Travail 3 (département, région,
	 * France); both SIAE requests lead to the same second page, cached by
	 * the first: one 304 */
	expect(&cout, "41 requests: 40 new or changed, 1 not modified, 0 failed");
	if (strstr(cout.buf, "41 requests: 40") == NULL)
		fprintf(stderr, "\nstderr:\n%s\n", cerr.buf);
	static const char *const per_source[] = {"geo",	  "melodi", "bdm",
						 "dares", "caf",    "francetravail"};
	for (size_t i = 0; i < 6; i++) {
		struct strbuf q = STRBUF_INIT;
		strbuf_addf(&q, "SELECT count(*) FROM observations WHERE source = '%s'",
			    per_source[i]);
		long n = sql_long(db.buf, q.buf);
		CU_ASSERT(n > 0);
		if (n <= 0)
			fprintf(stderr, "\nno observation from %s\n", per_source[i]);
		strbuf_release(&q);
	}
	CU_ASSERT(sql_long(db.buf, "SELECT count(*) FROM structures") > 0);
	/* real values from the recorded payloads */
	CU_ASSERT_EQUAL(sql_long(db.buf, "SELECT value FROM observations WHERE territory = 'dep:69'"
					 " AND indicator LIKE '%PMUN' AND period = '2023'"),
			1914667);
	/* the zone file: its fourth quarters, of every zone */
	CU_ASSERT_EQUAL(sql_long(db.buf,
				 "SELECT value FROM observations WHERE territory = 'ze:8409'"
				 " AND dataset = 'dares_defm_ze2020_trim_brut' AND period = "
				 "'2024-Q4'"),
			41000);
	CU_ASSERT_EQUAL(sql_long(db.buf, "SELECT count(*) FROM observations WHERE dataset = "
					 "'dares_defm_ze2020_trim_brut'"),
			2);
	/* in terrain indicators, the commune's reference zone d'emploi takes
	 * the zone's own published count */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"indicators", "-c", path.buf, "--format", "csv", NULL},
		     env, NULL, &cout, &cerr),
	    0);
	expect(&cout, "\njobseekers_abc,ze:8409,Grenoble,41000,persons,2024-Q4,");
	CU_ASSERT_EQUAL(sql_long(db.buf, "SELECT value * 10 FROM observations WHERE territory = "
					 "'dep:38' AND indicator = 'bdm.taux_chomage_localise' AND "
					 "period = '2026-Q1'"),
			66);
	CU_ASSERT_EQUAL(
	    sql_long(db.buf, "SELECT value FROM observations WHERE territory = "
			     "'com:33063' AND indicator = 'caf.indfoy_rsa' AND period = '2024-12'"),
	    9260);

	/* again: only conditional requests, nothing changes */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "-c", path.buf, NULL}, env, NULL, &cout, &cerr),
	    0);
	/* France Travail's three POSTs are not conditional (a failed
	 * precondition on a POST is a 412): fetched again, same content */
	expect(&cout, "41 requests: 3 new or changed, 38 not modified, 0 failed");
	expect(&cout, " 0 new, 0 changed, ");
	CU_ASSERT_EQUAL(sql_long(db.buf, "SELECT count(*) FROM observation_history"), 0);

	/* offline, from the cache alone */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"fetch", "-c", path.buf, "--offline", NULL},
				 env, NULL, &cout, &cerr),
			0);
	expect(&cout, "41 requests: 41 from the cache, 0 missing from it");
	strbuf_release(&ini);
	strbuf_release(&path);
	strbuf_release(&db);
}

/* data·inclusion, pointed at the test server: its bearer token from
 * TERRAIN_INCLUSION_TOKEN on every page, the pages followed, the
 * structures in the store with their kinds; without the token the source
 * is skipped with a note, and the token never shows in a message. */
static void test_fetch_inclusion_token(void)
{
	const char *dir = test_tmpdir();
	const char *base = httpd_base(srv);
	struct strbuf ini = STRBUF_INIT, path = STRBUF_INIT, db = STRBUF_INIT;
	strbuf_addf(&path, "%s/terrain.ini", dir);
	strbuf_addf(&db, "%s/inclusion.db", dir);
	strbuf_addf(&ini,
		    "[project]\nterritory = dep:38\nreferences = fr\n[sources]\ncache = "
		    "cache-inclusion\nstore = inclusion.db\nenabled = inclusion\ninclusion = "
		    "%s/inc\n",
		    base);
	test_write_file(path.buf, ini.buf);
	httpd_route_file(srv, "/inc/api/v1/structures",
			 "inclusion/constructed_structures_dep38_page1.json", "application/json");
	httpd_route_file(srv, "/inc/api/v1/structures?code_departement=38&size=1000&page=2",
			 "inclusion/constructed_structures_dep38_page2.json", "application/json");
	httpd_reset_counts(srv);
	const char *env[] = {"TERRAIN_INCLUSION_TOKEN=token-for-tests",
			     "TERRAIN_HTTP_THROTTLE=0",
			     "TERRAIN_INCLUSION_URL",
			     "TERRAIN_CACHE_DIR",
			     "TERRAIN_STORE",
			     NULL};
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"fetch", "-c", path.buf, NULL}, env, NULL, &cout, &cerr),
	    0);
	expect(&cout, "2 requests: 2 new or changed, 0 not modified, 0 failed");
	char *auth = httpd_last(srv, "/inc/api/v1/structures", "Authorization");
	CU_ASSERT_PTR_NOT_NULL(auth);
	CU_ASSERT_STRING_EQUAL(auth ? auth : "", "Bearer token-for-tests");
	free(auth);
	auth = httpd_last(srv, "/inc/api/v1/structures?code_departement=38&size=1000&page=2",
			  "Authorization");
	CU_ASSERT_STRING_EQUAL(auth ? auth : "", "Bearer token-for-tests");
	free(auth);
	CU_ASSERT_EQUAL(
	    sql_long(db.buf, "SELECT count(*) FROM structures WHERE source = 'inclusion'"), 3);
	CU_ASSERT_EQUAL(sql_long(db.buf, "SELECT count(*) FROM structures WHERE source = "
					 "'inclusion' AND kind = 'ML' AND insee = '38421'"),
			1);
	/* no token: skipped, said so */
	const char *none[] = {"TERRAIN_INCLUSION_TOKEN", "TERRAIN_HTTP_THROTTLE=0",
			      "TERRAIN_INCLUSION_URL",	 "TERRAIN_CACHE_DIR",
			      "TERRAIN_STORE",		 NULL};
	test_run((const char *const[]){"fetch", "-c", path.buf, NULL}, none, NULL, &cout, &cerr);
	expect(&cerr, "inclusion: skipped: TERRAIN_INCLUSION_TOKEN is not set");
	/* a refused token: the error names the URL, never the token */
	static const struct httpd_reply denied = {
	    HTTPD_NORMAL, 403, 0, "{\"detail\":\"bad token\"}", 0, "application/json", NULL, NULL};
	httpd_script(srv, "/inc/api/v1/structures", &denied, 1);
	const char *other[] = {"TERRAIN_INCLUSION_TOKEN=secret-token-xyz",
			       "TERRAIN_HTTP_THROTTLE=0",
			       "TERRAIN_INCLUSION_URL",
			       "TERRAIN_CACHE_DIR",
			       "TERRAIN_STORE",
			       NULL};
	test_run((const char *const[]){"fetch", "-c", path.buf, NULL}, other, NULL, &cout, &cerr);
	CU_ASSERT_PTR_NULL(strstr(cerr.buf, "secret-token-xyz"));
	CU_ASSERT_PTR_NULL(strstr(cout.buf, "secret-token-xyz"));
	httpd_script(srv, "/inc/api/v1/structures", NULL, 0);
	strbuf_release(&ini);
	strbuf_release(&path);
	strbuf_release(&db);
}

/* A URL override with user:password@ is refused, the password never shown. */
static void check_env_credentials(const char *name, const char *value, const char *want)
{
	struct fetch_config cfg;
	struct error err;
	setenv(name, value, 1);
	CU_ASSERT_EQUAL(fetch_config_load(&cfg, NULL, test_tmpdir(), NULL, &err), TERRAIN_EUSAGE);
	unsetenv(name);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	CU_ASSERT_PTR_NULL(strstr(err.msg, "hunter2"));
}

static void test_fetch_env_url_credentials(void)
{
	check_env_credentials(
	    "TERRAIN_MELODI_URL", "https://user:hunter2@host/melodi",
	    "environment variable TERRAIN_MELODI_URL: \"https://user:***@host/melodi\" "
	    "carries credentials: terrain reads them from the environment "
	    "(FT_CLIENT_ID and FT_CLIENT_SECRET for France Travail), never from a URL");
	check_env_credentials(
	    "TERRAIN_FRANCETRAVAIL_TOKEN_URL",
	    "https://id:hunter2@auth.example/token?realm=/partenaire",
	    "environment variable TERRAIN_FRANCETRAVAIL_TOKEN_URL: "
	    "\"https://id:***@auth.example/token?realm=/partenaire\" "
	    "carries credentials: terrain reads them from the environment "
	    "(FT_CLIENT_ID and FT_CLIENT_SECRET for France Travail), never from a URL");
}

/* Each source's recorded payload, served with the content type a real
 * server may give any file (or none), is taken: the body decides; an HTML
 * error page served the same way is refused, and so is a specific type of
 * another kind. */
static void test_fetch_generic_content_types(void)
{
	static const struct {
		const char *dir, *name;
		enum source_format f;
	} payloads[] = {
	    {"tests/fixtures/http/melodi/", "popref_dep69.json", SOURCE_JSON},
	    {"tests/fixtures/http/bdm/", "taux_chomage_fm_r84_d38_d69_d974.xml", SOURCE_XML},
	    {"tests/fixtures/http/dares/", "communes_fields_partly_invented.csv", SOURCE_CSV},
	    {"tests/fixtures/http/caf/", "s_ben_com_f_bordeaux_2024_attested.csv", SOURCE_CSV},
	    {"tests/fixtures/http/geoapi/", "derived_commune_38185.json", SOURCE_JSON},
	    {"tests/fixtures/http/francetravail/", "constructed_stat_demandeurs_dep38.json",
	     SOURCE_JSON},
	    {"tests/fixtures/http/siae/", "constructed_siaes_dep38_page1.json", SOURCE_JSON},
	};
	static const char *const generic[] = {"application/octet-stream", "text/plain",
					      "binary/octet-stream", "",
					      "text/plain; charset=utf-8"};
	struct error err;
	for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		size_t len;
		char *body = test_fixture(payloads[i].dir, payloads[i].name, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(body);
		for (size_t g = 0; g < sizeof(generic) / sizeof(generic[0]); g++) {
			enum status st =
			    fetch_content_check("u", generic[g], payloads[i].f, body, len, &err);
			CU_ASSERT_EQUAL(st, TERRAIN_OK);
			if (st)
				fprintf(stderr, "\n%s as %s: %s\n", payloads[i].name, generic[g],
					err.msg);
		}
		/* a body of another format is refused under a generic type */
		enum source_format other = payloads[i].f == SOURCE_XML ? SOURCE_JSON : SOURCE_XML;
		CU_ASSERT_EQUAL(
		    fetch_content_check("u", "application/octet-stream", other, body, len, &err),
		    TERRAIN_EDATA);
		free(body);
	}
	const char *page = "\xef\xbb\xbf\n  <html><body>503</body></html>";
	CU_ASSERT_EQUAL(
	    fetch_content_check("https://x/y", "text/plain", SOURCE_XML, page, strlen(page), &err),
	    TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "https://x/y: content type \"text/plain\" and a body that "
					"does not look like XML (it starts with \"<html><body>503"
					"</body></html>\")");
	CU_ASSERT_EQUAL(fetch_content_check("u", "text/csv", SOURCE_JSON, "{}", 2, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "u: unexpected content type \"text/csv\" (expected JSON)");
	CU_ASSERT_EQUAL(fetch_content_check("u", "", SOURCE_JSON, "", 0, &err), TERRAIN_EDATA);
	CU_ASSERT_EQUAL(fetch_content_check("u", "Application/Vnd.Sdmx.Generic+XML; version=2.1",
					    SOURCE_XML, "x", 1, &err),
			TERRAIN_OK);
}

void suite_fetch(void)
{
	CU_pSuite s = CU_add_suite("fetch", setup, teardown);
	ADD_TEST(s, test_fetch_fresh_then_conditional);
	ADD_TEST(s, test_fetch_faults_keep_cache_and_store);
	ADD_TEST(s, test_fetch_invalid_xml);
	ADD_TEST(s, test_fetch_offline_names_missing);
	ADD_TEST(s, test_fetch_pages_followed);
	ADD_TEST(s, test_fetch_oauth_token_reused_and_refreshed);
	ADD_TEST(s, test_fetch_cli);
	ADD_TEST(s, test_fetch_env_url_credentials);
	ADD_TEST(s, test_fetch_project_every_source);
	ADD_TEST(s, test_fetch_inclusion_token);
	ADD_TEST(s, test_fetch_cleanup);
	ADD_TEST(s, test_fetch_generic_content_types);
}
