#include "melodi.h"

#include "sourcejson.h"
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Melodi refuses more rows than this in one response (melodi 1.0.0 NEWS). */
#define MELODI_MAX_RESULT "100000"
/* A longer paging.next is not a URL Melodi would send. */
#define MELODI_NEXT_MAX 8192
/* More dimensions than this cannot fit in an indicator id anyway. */
#define MELODI_MAX_DIMS 64

struct melodi_query {
	const char *dataset;
	const char *filters;
	bool epci_by_communes; /* the dataset has no EPCI level */
};

/* SEX and AGE of DS_RP_POPULATION_PRINC are left open: every sex and every
 * age band the dataset publishes is wanted, and naming the bands would
 * silently drop any the list forgot. */
static const struct melodi_query queries[] = {
    {MELODI_POPREF, "POPREF_MEASURE=PMUN", true},
    {MELODI_RP_POP, "RP_MEASURE=POP", false},
    {MELODI_RP_EMP, "AGE=Y15T64&SEX=_T&EDUC=_T&EMPSTA_ENQ=1T2&EMPSTA_ENQ=2&EMPSTA_ENQ=1", false},
    {MELODI_FILOSOFI, "FILOSOFI_MEASURE=PR_MD60&FILOSOFI_MEASURE=MED_SL", false},
};

/* Percent-encode everything but RFC 3986's unreserved characters; the codes
 * of the geography never need it, but a URL is no place for surprises. */
static void add_escaped(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

/* The GEO filter value for t, or false when Melodi has no level for it. */
static bool add_geo(struct strbuf *sb, const struct territory *t, bool epci_by_communes)
{
	static const char *const level[] = {
	    [TERRITORY_COM] = "COM", [TERRITORY_ARM] = "ARM", [TERRITORY_EPCI] = "EPCI",
	    [TERRITORY_DEP] = "DEP", [TERRITORY_REG] = "REG",
	};
	const char *colon = strchr(t->code, ':');
	switch (t->type) {
	case TERRITORY_FR:
		strbuf_addstr(sb, "FRANCE-F");
		return true;
	case TERRITORY_COM:
	case TERRITORY_ARM:
	case TERRITORY_EPCI:
	case TERRITORY_DEP:
	case TERRITORY_REG:
		if (!colon || !colon[1])
			return false;
		strbuf_addf(sb, "%s-", level[t->type]);
		add_escaped(sb, colon + 1);
		if (t->type == TERRITORY_EPCI && epci_by_communes)
			strbuf_addstr(sb, "%2ACOM"); /* "*COM": the member communes */
		return true;
	case TERRITORY_CUSTOM:
	case TERRITORY_ZE: /* no zone level in the recorded material */
	case TERRITORY_BV:
	case TERRITORY_UU:
	case TERRITORY_AAV:
		break;
	}
	return false;
}

enum status melodi_plan(const char *base, const struct geo *g, const struct territory *t,
			struct source_plan *plan, struct error *err)
{
	struct strbuf url = STRBUF_INIT;
	(void)g;
	(void)err;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		strbuf_reset(&url);
		strbuf_addf(&url, "%s/data/%s?GEO=", base, queries[i].dataset);
		if (!add_geo(&url, t, queries[i].epci_by_communes))
			break;
		strbuf_addf(&url, "&%s&maxResult=" MELODI_MAX_RESULT, queries[i].filters);
		source_plan_add(plan, url.buf, NULL, queries[i].dataset, t->code, SOURCE_JSON);
	}
	strbuf_release(&url);
	return TERRAIN_OK;
}

struct melodi_level {
	const char *level;  /* as in GEO */
	const char *prefix; /* of the typed code */
};

static const struct melodi_level levels[] = {
    {"COM", "com"},   {"ARM", "arm"}, {"EPCI", "epci"}, {"DEP", "dep"},	    {"REG", "reg"},
    {"ZE2020", "ze"}, {"ARR", "arr"}, {"UU2020", "uu"}, {"AAV2020", "aav"}, {"BV2022", "bv"},
};

static bool is_code(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* GEO "2025-COM-44109" into "com:44109" (in territory) and "2025" (in cog).
 * The vintage is optional.  On error, a message without location. */
static enum status geo_to_territory(const char *geo, struct strbuf *territory, struct strbuf *cog,
				    struct error *err)
{
	struct strbuf q = STRBUF_INIT, level = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	const char *s = geo;
	strbuf_reset(territory);
	strbuf_reset(cog);
	if (strlen(s) > 5 && s[4] == '-' && strspn(s, "0123456789") == 4) {
		strbuf_add(cog, s, 4);
		s += 5;
	}
	const char *dash = strchr(s, '-');
	if (!dash) {
		st = error_set(err, TERRAIN_EDATA, "GEO %s is not LEVEL-CODE",
			       source_quote(geo, &q));
		goto out;
	}
	strbuf_add(&level, s, (size_t)(dash - s));
	const char *code = dash + 1;
	if (strcmp(level.buf, "FRANCE") == 0) {
		if (strcmp(code, "F") == 0) {
			strbuf_addstr(territory, "fr");
			goto out;
		}
		if (strcmp(code, "M") == 0) {
			strbuf_addstr(territory, "frm");
			goto out;
		}
		st = error_set(err, TERRAIN_EDATA, "GEO %s: unknown France code",
			       source_quote(geo, &q));
		goto out;
	}
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcmp(level.buf, levels[i].level) == 0) {
			if (!is_code(code)) {
				st = error_set(err, TERRAIN_EDATA, "GEO %s has no valid code",
					       source_quote(geo, &q));
				goto out;
			}
			strbuf_addf(territory, "%s:%s", levels[i].prefix, code);
			goto out;
		}
	}
	st = error_set(err, TERRAIN_EDATA, "GEO %s: unknown geographic level",
		       source_quote(geo, &q));
out:
	strbuf_release(&q);
	strbuf_release(&level);
	return st;
}

/* The string at key of obj, or NULL when absent or null; a value of
 * another type is an error naming where (a path such as "attributes"). */
static enum status get_string(json_t *obj, const char *key, const char *where, const char **out,
			      struct error *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return TERRAIN_OK;
	if (!json_is_string(v))
		return error_set(err, TERRAIN_EDATA, "%s.%s is not a string", where, key);
	*out = json_string_value(v);
	return TERRAIN_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Parsing state shared by the observations of one response. */
struct melodi_ctx {
	const struct source_request *req;
	const char *default_unit;
	struct strbuf indicator, territory, cog, q, q2;
};

/* One element of "observations"; errors without the location prefix. */
static enum status parse_one(struct melodi_ctx *c, json_t *o, struct observation *ob,
			     struct error *err)
{
	const char *names[MELODI_MAX_DIMS];
	size_t nnames = 0;
	const char *key, *geo = NULL, *period = NULL, *unit = NULL, *conf, *obs_status, *aunit;
	json_t *v;
	enum status st;

	if (!json_is_object(o))
		return error_set(err, TERRAIN_EDATA, "not an object");
	json_t *dims = json_object_get(o, "dimensions");
	if (!json_is_object(dims))
		return error_set(err, TERRAIN_EDATA, "\"dimensions\" is %s",
				 dims ? "not an object" : "missing");
	json_object_foreach(dims, key, v)
	{
		if (!json_is_string(v))
			return error_set(err, TERRAIN_EDATA, "dimensions.%s is not a string",
					 source_quote(key, &c->q));
		const char *val = json_string_value(v);
		if (strcmp(key, "GEO") == 0) {
			geo = val;
		} else if (strcmp(key, "TIME_PERIOD") == 0) {
			period = val;
		} else if (strcmp(key, "UNIT_MEASURE") == 0) {
			/* the unit, not a breakdown: the catalogue names an
			 * indicator whether Melodi codes its unit as a
			 * dimension or as an attribute */
			unit = val;
		} else if (strcmp(key, "FREQ") != 0) {
			if (!*key || !*val || strpbrk(key, ".=") || strpbrk(val, ".="))
				return error_set(
				    err, TERRAIN_EDATA,
				    "dimension %s=%s cannot be part of an indicator id "
				    "(empty, or holds '.' or '=')",
				    source_quote(key, &c->q2), source_quote(val, &c->q));
			if (nnames == MELODI_MAX_DIMS)
				return error_set(err, TERRAIN_EDATA, "more than %d dimensions",
						 MELODI_MAX_DIMS);
			names[nnames++] = key;
		}
	}
	if (!geo)
		return error_set(err, TERRAIN_EDATA, "dimensions.GEO is missing");
	if (!period || !*period)
		return error_set(err, TERRAIN_EDATA, "dimensions.TIME_PERIOD is missing or empty");

	qsort(names, nnames, sizeof(names[0]), cmp_str);
	strbuf_reset(&c->indicator);
	strbuf_addf(&c->indicator, "melodi.%s", c->req->dataset);
	for (size_t i = 0; i < nnames; i++)
		strbuf_addf(&c->indicator, ".%s=%s", names[i],
			    json_string_value(json_object_get(dims, names[i])));

	if ((st = geo_to_territory(geo, &c->territory, &c->cog, err)) ||
	    (st = observation_set(ob->territory, sizeof(ob->territory), "territory",
				  c->territory.buf, err)) ||
	    (st = observation_set(ob->cog, sizeof(ob->cog), "GEO vintage", c->cog.buf, err)) ||
	    (st = observation_set(ob->indicator, sizeof(ob->indicator), "indicator id",
				  c->indicator.buf, err)) ||
	    (st = observation_set(ob->period, sizeof(ob->period), "TIME_PERIOD", period, err)))
		return st;

	/* The measure's name varies by dataset (OBS_VALUE_NIVEAU,
	 * OBS_VALUE_INDICE_DE_PRIX): take the first. */
	ob->value = NAN;
	ob->status = OBS_MISSING;
	json_t *measures = json_object_get(o, "measures");
	if (measures && !json_is_null(measures)) {
		if (!json_is_object(measures))
			return error_set(err, TERRAIN_EDATA, "\"measures\" is not an object");
		void *it = json_object_iter(measures);
		if (it) {
			json_t *m = json_object_iter_value(it);
			const char *mname = json_object_iter_key(it);
			if (!json_is_object(m))
				return error_set(err, TERRAIN_EDATA, "measures.%s is not an object",
						 source_quote(mname, &c->q));
			json_t *x = json_object_get(m, "value");
			if (x && !json_is_null(x)) {
				if (!json_is_number(x))
					return error_set(err, TERRAIN_EDATA,
							 "measures.%s.value is not a number",
							 source_quote(mname, &c->q));
				ob->value = json_number_value(x);
				ob->status = OBS_FINAL;
			}
		}
	}

	json_t *attrs = json_object_get(o, "attributes");
	conf = obs_status = aunit = NULL;
	if (attrs && !json_is_null(attrs)) {
		if (!json_is_object(attrs))
			return error_set(err, TERRAIN_EDATA, "\"attributes\" is not an object");
		if ((st = get_string(attrs, "CONF_STATUS", "attributes", &conf, err)) ||
		    (st = get_string(attrs, "OBS_STATUS", "attributes", &obs_status, err)) ||
		    (st = get_string(attrs, "UNIT_MEASURE", "attributes", &aunit, err)))
			return st;
	}
	if (conf && strcmp(conf, "C") == 0) {
		ob->status = OBS_SECRET;
		ob->value = NAN;
	} else if (ob->status == OBS_FINAL && obs_status && strcmp(obs_status, "P") == 0) {
		ob->status = OBS_PROVISIONAL;
	}
	if (!unit)
		unit = aunit ? aunit : c->default_unit;
	if ((st = observation_set(ob->unit, sizeof(ob->unit), "UNIT_MEASURE", unit, err)) ||
	    (st = observation_set(ob->source, sizeof(ob->source), "source", "melodi", err)) ||
	    (st = observation_set(ob->dataset, sizeof(ob->dataset), "dataset", c->req->dataset,
				  err)))
		return st;
	return TERRAIN_OK;
}

static enum status parse_next(const struct source_request *req, json_t *root,
			      struct source_result *out, struct error *err)
{
	json_t *paging = json_object_get(root, "paging");
	const char *next;
	if (!json_is_object(paging))
		return TERRAIN_OK;
	if (get_string(paging, "next", "paging", &next, err)) {
		error_prefix(err, "%s", req->url);
		return TERRAIN_EDATA;
	}
	if (!next || !*next)
		return TERRAIN_OK;
	if (strncmp(next, "https://", 8) != 0 && strncmp(next, "http://", 7) != 0) {
		struct strbuf q = STRBUF_INIT;
		error_set(err, TERRAIN_EDATA, "%s: paging.next %s is not an absolute http(s) URL",
			  req->url, source_quote(next, &q));
		strbuf_release(&q);
		return TERRAIN_EDATA;
	}
	if (strlen(next) > MELODI_NEXT_MAX)
		return error_set(err, TERRAIN_EDATA, "%s: paging.next is longer than %d bytes",
				 req->url, MELODI_NEXT_MAX);
	strbuf_addstr(&out->next, next);
	return TERRAIN_OK;
}

enum status melodi_parse(const struct source_request *req, const char *body, size_t len,
			 struct source_result *out, struct error *err)
{
	struct melodi_ctx c = {req,	    "",		 STRBUF_INIT, STRBUF_INIT,
			       STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	size_t n0 = out->obs.n;
	enum status st = TERRAIN_OK;
	size_t i;
	json_t *o;

	strbuf_reset(&out->next);
	/* Duplicate keys would make "the first measure" and the dimensions
	 * ambiguous; jansson already refuses NUL bytes and \u0000, and text
	 * after the closing brace. */
	json_t *root;
	if ((st = source_json_load(req, body, len, &root, err)))
		return st;
	if (!json_is_object(root)) {
		st = error_set(
		    err, TERRAIN_EDATA,
		    "%s: the top level is not an object (expected a Melodi data response)",
		    req->url);
		goto out;
	}
	json_t *obs = json_object_get(root, "observations");
	if (!obs) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: \"observations\" is missing (expected a Melodi data response)",
			       req->url);
		goto out;
	}
	if (!json_is_array(obs)) {
		st =
		    error_set(err, TERRAIN_EDATA, "%s: \"observations\" is not an array", req->url);
		goto out;
	}
	if (strcmp(req->dataset, MELODI_POPREF) == 0 || strncmp(req->dataset, "DS_RP_", 6) == 0)
		c.default_unit = "persons";
	json_array_foreach(obs, i, o)
	{
		if ((st = parse_one(&c, o, obs_list_push(&out->obs), err))) {
			error_prefix(err, "%s: observations[%zu]", req->url, i);
			goto out;
		}
	}
	st = parse_next(req, root, out, err);
out:
	if (st) {
		out->obs.n = n0;
		strbuf_reset(&out->next);
	}
	json_decref(root);
	strbuf_release(&c.indicator);
	strbuf_release(&c.territory);
	strbuf_release(&c.cog);
	strbuf_release(&c.q);
	strbuf_release(&c.q2);
	return st;
}
