#include "geoapi.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "sourcejson.h"

enum status geoapi_plan(const char *base, const struct geo *g, const struct territory *t,
			struct source_plan *plan, struct error *err)
{
	struct strbuf url = STRBUF_INIT, code = STRBUF_INIT;
	const char *colon = strchr(t->code, ':');
	(void)g;
	(void)err;
	if (t->type == TERRITORY_CUSTOM || territory_zonage(t->type) != GEO_NZONAGE)
		return TERRAIN_OK; /* no such level: the caller sums the communes */
	if (t->type != TERRITORY_FR) {
		if (!colon || !colon[1])
			return TERRAIN_OK;
		http_escape(&code, colon + 1);
	}
	switch (t->type) {
	case TERRITORY_COM:
		strbuf_addf(&url, "%s/communes/%s?", base, code.buf);
		break;
	case TERRITORY_ARM:
		strbuf_addf(&url, "%s/communes?code=%s&type=arrondissement-municipal&", base,
			    code.buf);
		break;
	case TERRITORY_EPCI:
		strbuf_addf(&url, "%s/epcis/%s/communes?", base, code.buf);
		break;
	case TERRITORY_DEP:
		strbuf_addf(&url, "%s/departements/%s/communes?", base, code.buf);
		break;
	case TERRITORY_REG:
		strbuf_addf(&url, "%s/communes?codeRegion=%s&", base, code.buf);
		break;
	case TERRITORY_FR:
		strbuf_addf(&url, "%s/communes?", base);
		break;
	case TERRITORY_CUSTOM:
	case TERRITORY_ZE:
	case TERRITORY_BV:
	case TERRITORY_UU:
	case TERRITORY_AAV:
		break;
	}
	strbuf_addstr(&url, "fields=" GEOAPI_FIELDS);
	source_plan_add(plan, url.buf, NULL, GEOAPI_DATASET, t->code, SOURCE_JSON);
	strbuf_release(&url);
	strbuf_release(&code);
	return TERRAIN_OK;
}

static enum status parse_one(const struct source_request *req, json_t *o, struct source_result *out,
			     struct strbuf *q, struct error *err)
{
	const char *code, *name, *epci, *dep, *reg;
	enum status st;

	if (!json_is_object(o))
		return error_set(err, TERRAIN_EDATA, "not an object");
	if ((st = source_json_string(o, "code", &code, err)) ||
	    (st = source_json_string(o, "nom", &name, err)) ||
	    (st = source_json_string(o, "codeEpci", &epci, err)) ||
	    (st = source_json_string(o, "codeDepartement", &dep, err)) ||
	    (st = source_json_string(o, "codeRegion", &reg, err)))
		return st;
	if (!territory_commune_syntax(code))
		return error_set(err, TERRAIN_EDATA, "code %s is not a commune code",
				 source_quote(code, q));
	long population = -1;
	json_t *p = json_object_get(o, "population");
	if (p && !json_is_null(p)) {
		if (!json_is_integer(p) || json_integer_value(p) < 0 ||
		    json_integer_value(p) > 1000000000)
			return error_set(err, TERRAIN_EDATA,
					 "population is not a non-negative integer");
		population = (long)json_integer_value(p);
	}

	struct geoapi_commune *c = source_result_push_commune(out);
	c->population = population;
	if ((st = observation_set(c->code, sizeof(c->code), "code", code, err)) ||
	    (st = observation_set(c->name, sizeof(c->name), "nom", name, err)) ||
	    (st = observation_set(c->epci, sizeof(c->epci), "codeEpci", epci, err)) ||
	    (st = observation_set(c->dep, sizeof(c->dep), "codeDepartement", dep, err)) ||
	    (st = observation_set(c->reg, sizeof(c->reg), "codeRegion", reg, err)))
		return st;

	struct observation *ob = obs_list_push(&out->obs);
	snprintf(ob->territory, sizeof(ob->territory), "%s:%s",
		 territory_plm_arrondissement(code) ? "arm" : "com", code);
	ob->value = population < 0 ? NAN : (double)population;
	ob->status = population < 0 ? OBS_MISSING : OBS_FINAL;
	if ((st = observation_set(ob->indicator, sizeof(ob->indicator), "indicator id",
				  GEOAPI_POPULATION, err)) ||
	    (st = observation_set(ob->period, sizeof(ob->period), "period", "current", err)) ||
	    (st = observation_set(ob->unit, sizeof(ob->unit), "unit", "persons", err)) ||
	    (st = observation_set(ob->source, sizeof(ob->source), "source", "geo", err)) ||
	    (st = observation_set(ob->dataset, sizeof(ob->dataset), "dataset", req->dataset, err)))
		return st;
	return TERRAIN_OK;
}

enum status geoapi_parse(const struct source_request *req, const char *body, size_t len,
			 struct source_result *out, struct error *err)
{
	struct strbuf q = STRBUF_INIT;
	size_t nc0 = out->communes.n, no0 = out->obs.n;
	enum status st = TERRAIN_OK;
	size_t i;
	json_t *o;

	json_t *root;
	if ((st = source_json_load(req, body, len, &root, err)))
		return st;
	if (json_is_object(root)) {
		if ((st = parse_one(req, root, out, &q, err)))
			error_prefix(err, "%s", req->url);
	} else if (json_is_array(root)) {
		json_array_foreach(root, i, o)
		{
			if ((st = parse_one(req, o, out, &q, err))) {
				error_prefix(err, "%s: [%zu]", req->url, i);
				break;
			}
		}
	} else {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: expected a commune object or an array of them", req->url);
	}
	if (st) {
		out->communes.n = nc0;
		out->obs.n = no0;
	}
	json_decref(root);
	strbuf_release(&q);
	return st;
}
