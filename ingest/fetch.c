#include "fetch.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/log.h"
#include "../core/redact.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "bdm.h"
#include "cache.h"
#include "caf.h"
#include "dares.h"
#include "francetravail.h"
#include "geoapi.h"
#include "inclusion.h"
#include "melodi.h"
#include "siae.h"

#define MAX_PAGES 10000
#define FT_SCOPE  "api_stats-offres-demandes-emploiv1 offresetdemandesemploi"

#define DEFAULT_FT_TOKEN                                        \
	"https://entreprise.francetravail.fr/connexion/oauth2/" \
	"access_token?realm=%2Fpartenaire"

/* The registry's parsers: one line per row of core/sources.c. */
static const struct {
	source_plan_fn plan; /* NULL for bdm, which needs its idbank table */
	source_parse_fn parse;
} bindings[] = {
    [SOURCE_GEO] = {geoapi_plan, geoapi_parse},
    [SOURCE_MELODI] = {melodi_plan, melodi_parse},
    [SOURCE_BDM] = {NULL, bdm_parse},
    [SOURCE_DARES] = {dares_plan, dares_parse},
    [SOURCE_CAF] = {caf_plan, caf_parse},
    [SOURCE_FRANCETRAVAIL] = {francetravail_plan, francetravail_parse},
    [SOURCE_SIAE] = {siae_plan, siae_parse},
    [SOURCE_INCLUSION] = {inclusion_plan, inclusion_parse},
};
_Static_assert(sizeof(bindings) / sizeof(bindings[0]) == SOURCE_COUNT,
	       "every source of core/sources.c has its parser here");

struct fetch_source fetch_source_at(size_t k)
{
	return (struct fetch_source){source_table[k].key, source_table[k].per_minute,
				     bindings[k].plan, bindings[k].parse, source_table[k].oauth};
}

/* ---- configuration ---- */

static char *strip_slash(const char *s)
{
	char *t = xstrdup(s);
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == '/')
		t[--n] = '\0';
	return t;
}

static enum status env_url(const char *name, const char *value, struct error *err)
{
	struct strbuf masked = STRBUF_INIT;
	if (project_url_credentials(value, &masked)) {
		enum status st =
		    error_set(err, TERRAIN_EUSAGE,
			      "environment variable %s: \"%s\" " PROJECT_URL_CREDENTIALS_HINT, name,
			      masked.buf);
		strbuf_release(&masked);
		return st;
	}
	if (!project_base_url_ok(value, strstr(name, "TOKEN") != NULL))
		return error_set(
		    err, TERRAIN_EUSAGE,
		    "environment variable %s: bad value \"%s\" (expected a URL such as "
		    "https://host/path)",
		    name, value);
	return TERRAIN_OK;
}

static enum status env_long(const char *name, long lo, long hi, long *out, struct error *err)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return TERRAIN_OK;
	char *end;
	long x = strtol(v, &end, 10);
	if (*end || end == v || x < lo || x > hi)
		return error_set(
		    err, TERRAIN_EUSAGE,
		    "environment variable %s: bad value \"%s\" (expected a whole number "
		    "from %ld to %ld)",
		    name, v, lo, hi);
	*out = x;
	return TERRAIN_OK;
}

/* A whole URL (not a base): from the environment variable name, else the
 * project's value (may be NULL), else def; *out returned owned. */
static enum status whole_url(const char *name, const struct project_value *pv, const char *def,
			     char **out, struct error *err)
{
	const char *env = getenv(name);
	enum status st;
	if (env && *env) {
		if ((st = env_url(name, env, err)))
			return st;
		*out = xstrdup(env);
	} else {
		*out = xstrdup(pv && pv->text ? pv->text : def);
	}
	return TERRAIN_OK;
}

enum status fetch_config_load(struct fetch_config *cfg, const struct project *p,
			      const char *datadir, const char *store, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	memset(cfg, 0, sizeof(*cfg));
	cfg->datadir = xstrdup(datadir);
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		const char *env = getenv(source_table[k].env);
		if (env && *env) {
			if ((st = env_url(source_table[k].env, env, err)))
				goto out;
			cfg->base[k] = strip_slash(env);
		} else if (p && p->sources.url[k].text) {
			cfg->base[k] = strip_slash(p->sources.url[k].text);
		} else {
			cfg->base[k] = xstrdup(source_table[k].base);
		}
		cfg->enabled[k] = !p || p->sources.enabled.n == 0;
		for (size_t i = 0; p && i < p->sources.enabled.n; i++)
			if (!strcmp(p->sources.enabled.item[i], source_table[k].key))
				cfg->enabled[k] = true;
	}
	if ((st = whole_url("TERRAIN_FRANCETRAVAIL_TOKEN_URL", p ? &p->sources.ft_token : NULL,
			    DEFAULT_FT_TOKEN, &cfg->ft_token_url, err)) ||
	    (st = whole_url("TERRAIN_DARES_ZE_URL", p ? &p->sources.dares_ze : NULL, DARES_ZE_URL,
			    &cfg->dares_ze_url, err)))
		goto out;

	if (p) {
		cfg->http.timeout_ms = p->sources.timeout_s * 1000;
		cfg->http.connect_timeout_ms = p->sources.connect_timeout_s * 1000;
		cfg->http.max_attempts = (unsigned)p->sources.max_attempts;
		cfg->http.max_body = (size_t)p->sources.max_body_mb << 20;
	}
	/* For mirrors and tests: limits in milliseconds and bytes. */
	long v = -1;
	if ((st = env_long("TERRAIN_HTTP_TIMEOUT_MS", 1, 86400000, &v, err)))
		goto out;
	if (v > 0)
		cfg->http.timeout_ms = v;
	v = -1;
	if ((st = env_long("TERRAIN_HTTP_BACKOFF_MS", 1, 600000, &v, err)))
		goto out;
	if (v > 0)
		cfg->http.backoff_ms = v;
	v = -1;
	if ((st = env_long("TERRAIN_HTTP_MAX_BODY", 1, 1L << 40, &v, err)))
		goto out;
	if (v > 0)
		cfg->http.max_body = (size_t)v;

	v = -1;
	if ((st = env_long("TERRAIN_HTTP_STALL_MS", 1, 3600000, &v, err)))
		goto out;
	if (v > 0)
		cfg->http.stall_ms = v;
	cfg->deadline_ms = FETCH_DEADLINE_MS;
	v = -1;
	if ((st = env_long("TERRAIN_HTTP_DEADLINE_MS", 0, 86400000, &v, err)))
		goto out;
	if (v >= 0)
		cfg->deadline_ms = v;
	v = -1;
	if ((st = env_long("TERRAIN_HTTP_THROTTLE", 0, 1, &v, err)))
		goto out;
	cfg->no_throttle = v == 0;

	/* The environment first, as for the base URLs and the store. */
	const char *cenv = getenv("TERRAIN_CACHE_DIR");
	if (cenv && *cenv) {
		cfg->cache_dir = xstrdup(cenv);
	} else if (p && p->sources.cache.text) {
		project_path(p, p->sources.cache.text, &sb);
		cfg->cache_dir = xstrdup(sb.buf);
	}
	char path[4096];
	if (store) {
		cfg->store_path = xstrdup(store);
	} else if (getenv("TERRAIN_STORE") && *getenv("TERRAIN_STORE")) {
		cfg->store_path = xstrdup(getenv("TERRAIN_STORE"));
	} else if (p && p->store.url.text) {
		cfg->store_path = xstrdup(p->store.url.text);
	} else if (p && p->sources.store.text) {
		if (store_is_postgresql(p->sources.store.text)) /* a URI is no path */
			strbuf_addstr(&sb, p->sources.store.text);
		else
			project_path(p, p->sources.store.text, &sb);
		cfg->store_path = xstrdup(sb.buf);
	} else {
		store_default_path(path, sizeof(path));
		cfg->store_path = xstrdup(path);
	}
out:
	strbuf_release(&sb);
	if (st)
		fetch_config_release(cfg);
	return st;
}

void fetch_config_release(struct fetch_config *cfg)
{
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		free(cfg->base[k]);
	free(cfg->ft_token_url);
	free(cfg->dares_ze_url);
	free(cfg->cache_dir);
	free(cfg->store_path);
	free(cfg->datadir);
	memset(cfg, 0, sizeof(*cfg));
}

/* ---- report ---- */

static void problem(struct fetch_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(struct fetch_report *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(r->problems, r->nproblems + 1, r->alloc_problems);
	r->problems[r->nproblems++] = strbuf_detach(&sb);
}

void fetch_report_release(struct fetch_report *r)
{
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

/* ---- one request ---- */

struct fetch_state {
	const struct fetch_config *cfg;
	const struct fetch_options *opt;
	struct fetch_report *rep;
	struct http_client *http;
	struct cache cache;
	struct store *store;
	struct http_throttle throttle[SOURCE_COUNT + 1];
	const struct geo *geo; /* the bundled geography, to compare geo.api.gouv.fr's with */
	size_t geo_notes;
	struct strbuf token;  /* France Travail access token; never logged */
	double token_expires; /* monotonic seconds */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum status fetch_state_new(struct fetch_state **out, const struct fetch_config *cfg,
			    const struct fetch_options *opt, struct fetch_report *rep,
			    struct error *err)
{
	struct fetch_state *s = xcalloc(1, sizeof(*s));
	enum status st;
	s->cfg = cfg;
	s->opt = opt;
	s->rep = rep;
	strbuf_init(&s->token);
	*out = NULL;
	if (opt->dry_run) {
		*out = s;
		return TERRAIN_OK;
	}
	if ((st = cache_open(&s->cache, cfg->cache_dir, err)) ||
	    (st = store_open(&s->store, cfg->store_path, err)) ||
	    /* PostgreSQL's writer lock is its session's (a SQLite store's is
	     * the file lock the caller took) */
	    (store_is_postgresql(cfg->store_path) && (st = store_lock(s->store, err))) ||
	    (!opt->offline && (st = http_client_new(&s->http, &cfg->http, err)))) {
		fetch_state_free(s);
		return st;
	}
	for (size_t k = 0; k <= SOURCE_COUNT; k++)
		s->throttle[k].deadline_ms = cfg->deadline_ms;
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		s->throttle[k].per_minute = cfg->no_throttle ? 0 : source_table[k].per_minute;
	*out = s;
	return TERRAIN_OK;
}

void fetch_state_free(struct fetch_state *s)
{
	if (!s)
		return;
	http_client_free(s->http);
	cache_close(&s->cache);
	store_close(s->store);
	memset(s->token.buf, 0, s->token.len);
	strbuf_release(&s->token);
	free(s);
}

static struct http_throttle *throttle_of(struct fetch_state *s, const struct fetch_source *src)
{
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		if (!strcmp(source_table[k].key, src->name))
			return &s->throttle[k];
	s->throttle[SOURCE_COUNT].per_minute = src->per_minute;
	return &s->throttle[SOURCE_COUNT];
}

static const char *format_name(enum source_format f)
{
	return f == SOURCE_JSON ? "JSON" : f == SOURCE_XML ? "XML" : "CSV";
}

/* The body's first bytes after a UTF-8 BOM and white space. */
static const char *body_start(const char *body, size_t len, size_t *left)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(body, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && strchr(" \t\r\n", body[i]) && body[i])
		i++;
	*left = len - i;
	return body + i;
}

static bool starts_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !strncasecmp(s, prefix, n);
}

/* Does the body look like f?  JSON starts with { or [; XML with <?xml or an
 * element that is not HTML; CSV with neither < nor {, its first line
 * holding a separator. */
static bool sniff(const char *body, size_t len, enum source_format f)
{
	size_t n;
	const char *s = body_start(body, len, &n);
	if (!n)
		return false;
	bool html = starts_ci(s, n, "<!doctype html") || starts_ci(s, n, "<html");
	switch (f) {
	case SOURCE_JSON:
		return *s == '{' || *s == '[';
	case SOURCE_XML:
		return !html && *s == '<' && n > 1 &&
		       (s[1] == '?' || (s[1] >= 'a' && s[1] <= 'z') ||
			(s[1] >= 'A' && s[1] <= 'Z'));
	case SOURCE_CSV: {
		if (*s == '<' || *s == '{' || *s == '[')
			return false;
		size_t eol = 0;
		while (eol < n && s[eol] != '\n')
			eol++;
		return memchr(s, ';', eol) || memchr(s, ',', eol) || memchr(s, '\t', eol);
	}
	}
	return false;
}

/* The content types a server may give to any body: the body decides. */
static bool generic_type(const char *low)
{
	return !*low || !strcmp(low, "application/octet-stream") ||
	       !strcmp(low, "binary/octet-stream") || !strcmp(low, "text/plain") ||
	       !strcmp(low, "application/download") || !strcmp(low, "application/force-download");
}

enum status fetch_content_check(const char *url, const char *ct, enum source_format f,
				const char *body, size_t len, struct error *err)
{
	char low[128];
	size_t i;
	for (i = 0; ct[i] && ct[i] != ';' && ct[i] != ' ' && i + 1 < sizeof(low); i++)
		low[i] = (char)(ct[i] >= 'A' && ct[i] <= 'Z' ? ct[i] - 'A' + 'a' : ct[i]);
	low[i] = '\0';
	bool fits = f == SOURCE_JSON  ? strstr(low, "json") != NULL
		    : f == SOURCE_XML ? strstr(low, "xml") != NULL
				      : strstr(low, "csv") != NULL;
	if (fits)
		return TERRAIN_OK; /* the parser says the rest */
	if (!generic_type(low))
		return error_set(err, TERRAIN_EDATA,
				 "%s: unexpected content type \"%s\" (expected %s)", url, ct,
				 format_name(f));
	if (sniff(body, len, f))
		return TERRAIN_OK;
	size_t n;
	const char *s = body_start(body, len, &n);
	struct strbuf q = STRBUF_INIT;
	strbuf_add(&q, s, n < 40 ? n : 40);
	struct strbuf quoted = STRBUF_INIT;
	text_quote(q.buf, 40, &quoted);
	error_set(err, TERRAIN_EDATA,
		  "%s: content type \"%s\" and a body that does not look like %s (it starts with "
		  "\"%s\")",
		  url, *ct ? ct : "(none)", format_name(f), quoted.buf);
	strbuf_release(&q);
	strbuf_release(&quoted);
	return TERRAIN_EDATA;
}

/* Get (or refresh) France Travail's token. */
static enum status ft_token(struct fetch_state *s, bool force, struct error *err)
{
	if (!force && s->token.len && now_s() < s->token_expires)
		return TERRAIN_OK;
	const char *id = getenv("FT_CLIENT_ID"), *secret = getenv("FT_CLIENT_SECRET");
	struct strbuf body = STRBUF_INIT;
	struct http_response resp;
	long expires = 0;
	http_response_init(&resp);
	francetravail_token_body(id, secret, FT_SCOPE, &body);
	struct http_request req = {.url = s->cfg->ft_token_url,
				   .body = body.buf,
				   .content_type = "application/x-www-form-urlencoded",
				   .accept = "application/json",
				   .sensitive = true};
	memset(s->token.buf, 0, s->token.len);
	strbuf_reset(&s->token);
	enum status st = http_fetch(s->http, &req, &s->throttle[SOURCE_FRANCETRAVAIL], &resp, err);
	if (!st)
		st = francetravail_parse_token(resp.body.buf, resp.body.len, &s->token, &expires,
					       err);
	if (st)
		error_prefix(err, "France Travail token");
	else
		/* a minute's margin so that a token does not expire mid-request */
		s->token_expires = now_s() + (double)(expires > 120 ? expires - 60 : expires);
	memset(body.buf, 0, body.len);
	strbuf_release(&body);
	memset(resp.body.buf, 0, resp.body.len);
	http_response_release(&resp);
	return st;
}

/* A parser's message may quote the body, which may echo the token or the
 * client secret: every message of a request goes through core/redact. */
static void redact_error(const struct fetch_state *s, struct error *err)
{
	if (!err)
		return;
	const char *secrets[] = {s->token.len ? s->token.buf : NULL, getenv("FT_CLIENT_SECRET"),
				 getenv(source_table[SOURCE_INCLUSION].token)};
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, err->msg);
	redact(&sb, secrets, 3);
	snprintf(err->msg, sizeof(err->msg), "%s", sb.buf);
	strbuf_release(&sb);
}

/* The environment variable of src's bearer token (core/sources.h), or NULL. */
static const char *token_var(const struct fetch_source *src)
{
	int k = source_find(src->name);
	return k < 0 ? NULL : source_table[k].token;
}

/* Send one request, with France Travail's token when src needs it (and a
 * second try with a new token after a 401), or the bearer token of its
 * environment variable. */
static enum status send(struct fetch_state *s, const struct fetch_source *src,
			const struct source_request *req, const char *url,
			const struct cache_meta *cached, struct http_response *resp,
			struct error *err)
{
	struct strbuf auth = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	const char *bearer = token_var(src) ? getenv(token_var(src)) : NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (bearer && *bearer) {
			strbuf_reset(&auth);
			strbuf_addf(&auth, "Bearer %s", bearer);
		}
		if (src->oauth) {
			if ((st = ft_token(s, attempt > 0, err)))
				break;
			strbuf_reset(&auth);
			strbuf_addf(&auth, "Bearer %s", s->token.buf);
		}
		struct http_request hr = {
		    .url = url,
		    .body = req->body,
		    .accept = req->format == SOURCE_JSON  ? "application/json"
			      : req->format == SOURCE_XML ? "application/xml"
							  : "text/csv",
		    .authorization = auth.len ? auth.buf : NULL,
		    /* validators on a GET only: a POST's failed precondition is a 412 */
		    .if_none_match =
			!req->body && cached && cached->etag.len ? cached->etag.buf : NULL,
		    .if_modified_since = !req->body && cached && cached->last_modified.len
					     ? cached->last_modified.buf
					     : NULL,
		};
		st = http_fetch(s->http, &hr, throttle_of(s, src), resp, err);
		if (!(st && src->oauth && resp->status == 401 && attempt == 0))
			break;
		log_warn("%s: HTTP 401 Unauthorized: the token has expired; asking for a "
			 "new one",
			 url);
	}
	memset(auth.buf, 0, auth.len);
	strbuf_release(&auth);
	return st;
}

/* geo.api.gouv.fr describes today's geography: say where the bundled COG
 * differs (a commune it does not know, another name, EPCI or département).
 * The bundled files are not rewritten: they are rebuilt by
 * datasets/build.py from a new COG package. */
static void geo_compare(struct fetch_state *s, const struct geoapi_list *l)
{
	const struct geo *g = s->geo;
	if (!g)
		return;
	for (size_t k = 0; k < l->n; k++) {
		const struct geoapi_commune *c = &l->v[k];
		struct strbuf why = STRBUF_INIT;
		size_t i = geo_commune_find(g, c->code);
		if (i == GEO_NONE || g->com[i].kind == GEO_FORMER) {
			strbuf_addf(&why, "%s %s is not a commune of the bundled COG %s", c->code,
				    c->name, GEO_COG_LAST_STR);
		} else {
			const struct geo_commune *b = &g->com[i];
			const char *epci = b->epci != GEO_NONE ? g->epci[b->epci].code : "";
			if (strcmp(b->name, c->name))
				strbuf_addf(&why, "%s is named \"%s\" (bundled: \"%s\")", c->code,
					    c->name, b->name);
			else if (b->kind == GEO_COM && strcmp(epci, c->epci))
				strbuf_addf(&why, "%s %s is in EPCI %s (bundled: %s)", c->code,
					    c->name, *c->epci ? c->epci : "none",
					    *epci ? epci : "none");
			else if (*c->dep && strcmp(b->dep, c->dep))
				strbuf_addf(&why, "%s %s is in département %s (bundled: %s)",
					    c->code, c->name, c->dep, b->dep);
		}
		if (why.len && s->geo_notes++ < 20)
			log_note("geo.api.gouv.fr: %s", why.buf);
		strbuf_release(&why);
	}
}

/* Fetch, check and store one page.  next receives the next page's URL. */
static enum status fetch_page(struct fetch_state *s, const struct fetch_source *src,
			      const struct source_request *req, const char *url,
			      struct strbuf *next, struct error *err)
{
	struct cache_meta meta;
	struct strbuf body = STRBUF_INIT;
	struct http_response resp;
	struct source_result res;
	struct source_request page = *req;
	struct error cerr = {0};
	bool have_cache = false, fresh = false, revalidated = false;
	char now[32];
	enum status st = TERRAIN_OK;

	cache_meta_init(&meta);
	http_response_init(&resp);
	source_result_init(&res);
	page.url = (char *)(uintptr_t)url; /* the same request, another page */
	char key[CACHE_KEY_LEN + 1];
	cache_key(url, req->body, key);
	enum status cst = cache_load(&s->cache, key, &meta, &body, &cerr);
	if (!cst)
		have_cache = true;
	else if (cst != TERRAIN_ENOTFOUND)
		log_warn("%s (ignored: %s)", cerr.msg,
			 s->opt->offline ? "offline, the entry counts as missing"
					 : "the entry is fetched again");

	if (s->opt->offline) {
		if (!have_cache) {
			if (req->body)
				st = error_set(err, TERRAIN_ENOTFOUND,
					       "%s (POST for %s): offline, and no cached copy", url,
					       req->territory);
			else
				st = error_set(err, TERRAIN_ENOTFOUND,
					       "%s: offline, and no cached copy", url);
			s->rep->missing++;
			goto out;
		}
		s->rep->cached++;
	} else {
		st = send(s, src, req, url, have_cache ? &meta : NULL, &resp, err);
		if (st)
			goto failed;
		if (resp.status == 304) {
			if (!have_cache) {
				st = error_set(err, TERRAIN_ENET,
					       "%s: HTTP 304 Not Modified, but there is no cached "
					       "copy",
					       url);
				goto failed;
			}
			s->rep->not_modified++;
			revalidated = true;
			log_info("%s: not modified (cached %s)", url, meta.fetched);
		} else {
			if ((st = fetch_content_check(url, resp.content_type.buf, req->format,
						      resp.body.buf, resp.body.len, err)))
				goto failed;
			fresh = true;
			strbuf_swap(&body, &resp.body);
		}
	}

	st = src->parse(&page, body.buf, body.len, &res, err);
	if (st)
		goto failed;

	if (fresh) {
		struct cache_meta nm;
		cache_meta_init(&nm);
		memcpy(nm.key, key, sizeof(nm.key));
		strbuf_addstr(&nm.url, url);
		nm.post = req->body != NULL;
		nm.status = resp.status;
		strbuf_addbuf(&nm.etag, &resp.etag);
		strbuf_addbuf(&nm.last_modified, &resp.last_modified);
		strbuf_addbuf(&nm.content_type, &resp.content_type);
		strbuf_addstr(&nm.source, src->name);
		strbuf_addstr(&nm.dataset, req->dataset);
		st = cache_store(&s->cache, &nm, body.buf, body.len, err);
		cache_meta_release(&meta);
		meta = nm;
		if (st)
			goto failed;
		s->rep->fresh++;
	}

	if (revalidated) {
		/* the server confirmed the body: say so in the entry, with the
		 * validators of the 304 when it sent new ones */
		cache_now(meta.validated);
		if (resp.etag.len) {
			strbuf_reset(&meta.etag);
			strbuf_addbuf(&meta.etag, &resp.etag);
		}
		if (resp.last_modified.len) {
			strbuf_reset(&meta.last_modified);
			strbuf_addbuf(&meta.last_modified, &resp.last_modified);
		}
		memcpy(meta.key, key, sizeof(meta.key));
		if ((st = cache_store(&s->cache, &meta, body.buf, body.len, err)))
			goto failed;
	}
	/* last seen: now when the server sent or confirmed it, else (offline)
	 * when it last did */
	snprintf(now, sizeof(now), "%s", meta.validated[0] ? meta.validated : meta.fetched);
	struct store_payload pl = {src->name,	req->dataset, url, meta.fetched,
				   meta.sha256, body.len,     now};
	struct store_stats stats;
	st = store_put(s->store, &pl, res.obs.v, res.obs.n, res.siae.v, res.siae.n, &stats, err);
	if (st)
		goto failed;
	geo_compare(s, &res.communes);
	s->rep->stats.inserted += stats.inserted;
	s->rep->stats.updated += stats.updated;
	s->rep->stats.unchanged += stats.unchanged;
	log_info("%s: %zu observations (%zu new, %zu changed), %zu structures", url, res.obs.n,
		 stats.inserted, stats.updated, res.siae.n);
	strbuf_reset(next);
	strbuf_addbuf(next, &res.next);
	goto out;
failed:
	s->rep->failed++;
out:
	source_result_release(&res);
	http_response_release(&resp);
	strbuf_release(&body);
	cache_meta_release(&meta);
	return st;
}

/* The length of URL's origin, "scheme://host[:port]". */
static size_t origin_len(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	return (size_t)(p + strcspn(p, "/?#") - url);
}

/* A next-page link is built by the server from the address it was asked
 * on; a mirror may still answer with the official one: such a link is
 * moved under the configured base.  A link to another host is refused, so
 * that a payload cannot send terrain elsewhere. */
static enum status rebase_next(const struct fetch_state *s, const struct fetch_source *src,
			       const char *cur, struct strbuf *next, struct error *err)
{
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		size_t n = strlen(source_table[k].base);
		if (strcmp(source_table[k].key, src->name) || !s->cfg->base[k] ||
		    strncmp(next->buf, source_table[k].base, n) ||
		    (next->buf[n] && next->buf[n] != '/' && next->buf[n] != '?'))
			continue;
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s%s", s->cfg->base[k], next->buf + n);
		strbuf_swap(&sb, next);
		strbuf_release(&sb);
		break;
	}
	size_t a = origin_len(cur), b = origin_len(next->buf);
	if (!a || a != b || strncasecmp(cur, next->buf, a))
		return error_set(err, TERRAIN_EDATA,
				 "%s: the next page is on another host (%s): not followed", cur,
				 next->buf);
	return TERRAIN_OK;
}

enum status fetch_request(struct fetch_state *s, const struct fetch_source *src,
			  const struct source_request *req, struct error *err)
{
	struct strbuf url = STRBUF_INIT, next = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	strbuf_addstr(&url, req->url);
	for (size_t page = 0;; page++) {
		s->rep->requests++;
		if (s->opt->dry_run) {
			fprintf(s->opt->out ? s->opt->out : stdout, "%-13s %s %s%s%s\n", src->name,
				req->body ? "POST" : "GET", url.buf, req->body ? " " : "",
				req->body ? req->body : "");
			break;
		}
		if ((st = fetch_page(s, src, req, url.buf, &next, err))) {
			redact_error(s, err);
			problem(s->rep, "%s: %s", src->name, err->msg);
			break;
		}
		if (!next.len)
			break;
		if ((st = rebase_next(s, src, url.buf, &next, err))) {
			redact_error(s, err);
			problem(s->rep, "%s: %s", src->name, err->msg);
			s->rep->failed++;
			break;
		}
		if (page + 1 >= MAX_PAGES || !strcmp(next.buf, url.buf)) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s: the pages do not end (page %zu links to %s)", req->url,
				       page + 1, next.buf);
			redact_error(s, err);
			problem(s->rep, "%s: %s", src->name, err->msg);
			s->rep->failed++;
			break;
		}
		strbuf_reset(&url);
		strbuf_addbuf(&url, &next);
	}
	strbuf_release(&url);
	strbuf_release(&next);
	return st;
}

/* ---- a whole run ---- */

static bool has_credentials(void)
{
	const char *id = getenv("FT_CLIENT_ID"), *secret = getenv("FT_CLIENT_SECRET");
	return id && *id && secret && *secret;
}

/* The plan of source k for every territory; custom territories stand for
 * their communes. */
static enum status plan_source(const struct fetch_config *cfg, size_t k,
			       const struct bdm_idbanks *ids, const struct geo *g,
			       const struct territory *ts, size_t nt, struct source_plan *plan,
			       struct error *err)
{
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < nt && !st; i++) {
		const struct territory *t = &ts[i];
		if (t->type == TERRITORY_CUSTOM) {
			for (size_t m = 0; m < t->custom->nmember && !st; m++) {
				struct territory c;
				territory_of_commune(g, t->custom->member[m], &c);
				st = plan_source(cfg, k, ids, g, &c, 1, plan, err);
			}
			continue;
		}
		if (k == SOURCE_BDM)
			st = bdm_plan(cfg->base[k], ids, g, t, plan, err);
		else if (k == SOURCE_DARES && t->type == TERRITORY_ZE) /* a file of its own */
			st = dares_plan_ze(cfg->dares_ze_url, t, plan, err);
		else
			st = bindings[k].plan(cfg->base[k], g, t, plan, err);
	}
	return st;
}

/* Drop requests that two territories share (a département asked by two
 * communes' references, say). */
static void plan_dedup(struct source_plan *plan)
{
	size_t w = 0;
	for (size_t i = 0; i < plan->n; i++) {
		bool dup = false;
		for (size_t j = 0; j < w && !dup; j++)
			dup = !strcmp(plan->v[j].url, plan->v[i].url) &&
			      !strcmp(plan->v[j].body ? plan->v[j].body : "",
				      plan->v[i].body ? plan->v[i].body : "");
		if (dup) {
			free(plan->v[i].url);
			free(plan->v[i].body);
			free(plan->v[i].dataset);
			free(plan->v[i].territory);
		} else {
			plan->v[w++] = plan->v[i];
		}
	}
	plan->n = w;
}

enum status fetch_run(const struct fetch_config *cfg, const struct geo *g,
		      const struct territory *ts, size_t nt, const struct fetch_options *opt,
		      struct fetch_report *rep, struct error *err)
{
	struct fetch_state *s = NULL;
	struct bdm_idbanks ids;
	struct strbuf path = STRBUF_INIT;
	enum status st;
	bool any = false;

	memset(rep, 0, sizeof(*rep));
	memset(&ids, 0, sizeof(ids));
	strbuf_addf(&path, "%s/bdm/idbanks.csv", cfg->datadir);
	if ((st = bdm_idbanks_load(path.buf, &ids, err)))
		goto out;
	if ((st = fetch_state_new(&s, cfg, opt, rep, err)))
		goto out;
	s->geo = g;
	for (size_t k = 0; k < SOURCE_COUNT; k++) {
		if (opt->only ? strcmp(opt->only, source_table[k].key) != 0 : !cfg->enabled[k])
			continue;
		any = true;
		if (source_table[k].oauth && !has_credentials()) {
			log_note("%s: skipped: FT_CLIENT_ID and FT_CLIENT_SECRET are not set "
				 "(register an application on francetravail.io to use it)",
				 source_table[k].key);
			rep->skipped++;
			continue;
		}
		const char *tv = source_table[k].token;
		if (tv && !(getenv(tv) && *getenv(tv))) {
			log_note("%s: skipped: %s is not set (ask the source for a token: see "
				 "README.md, \"Public data\")",
				 source_table[k].key, tv);
			rep->skipped++;
			continue;
		}
		struct source_plan plan = SOURCE_PLAN_INIT;
		st = plan_source(cfg, k, &ids, g, ts, nt, &plan, err);
		if (st) {
			source_plan_release(&plan);
			goto out;
		}
		plan_dedup(&plan);
		if (!plan.n)
			log_note(
			    "%s: nothing to ask for these territories (see README.md, \"Public "
			    "data\", for the territories each source covers)",
			    source_table[k].key);
		if (opt->dry_run && source_table[k].oauth && plan.n)
			fprintf(opt->out ? opt->out : stdout,
				"%-13s POST %s (client credentials from FT_CLIENT_ID and "
				"FT_CLIENT_SECRET)\n",
				source_table[k].key, cfg->ft_token_url);
		struct fetch_source src = fetch_source_at(k);
		for (size_t i = 0; i < plan.n; i++) {
			struct error e = {0};
			fetch_request(s, &src, &plan.v[i], &e);
		}
		source_plan_release(&plan);
	}
	if (s->geo_notes > 20)
		log_note("geo.api.gouv.fr: %zu more differences with the bundled geography",
			 s->geo_notes - 20);
	if (!any) {
		st = error_set(err, TERRAIN_EUSAGE, "no source is enabled");
		goto out;
	}
	size_t bad = rep->failed + rep->missing;
	size_t good = rep->fresh + rep->not_modified + rep->cached;
	if (opt->dry_run || bad == 0)
		st = TERRAIN_OK;
	else if (good == 0)
		st = error_set(err, TERRAIN_ENET, "every request failed (%zu); first: %s", bad,
			       rep->problems[0]);
	else
		st = error_set(err, TERRAIN_EPARTIAL, "%zu of %zu requests failed; first: %s", bad,
			       bad + good, rep->problems[0]);
out:
	fetch_state_free(s);
	bdm_idbanks_release(&ids);
	strbuf_release(&path);
	return st;
}
