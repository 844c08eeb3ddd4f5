#include "siae.h"

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "http.h"
#include "sourcejson.h"

/* A longer "next" is not a link the directory would send. */
#define SIAE_NEXT_MAX 8192

enum status siae_plan(const char *base, const struct geo *g, const struct territory *t,
		      struct source_plan *plan, struct error *err)
{
	struct strbuf url = STRBUF_INIT;
	const char *colon = strchr(t->code, ':');
	(void)g;
	(void)err;
	if (!colon || !colon[1])
		return TERRAIN_OK;
	if (t->type == TERRITORY_COM) {
		strbuf_addf(&url, "%s/api/v1/siaes/?code_insee=", base);
		http_escape(&url, colon + 1);
		strbuf_addf(&url, "&distance_max_km=%d", SIAE_RADIUS_KM);
	} else if (t->type == TERRITORY_DEP) {
		strbuf_addf(&url, "%s/api/v1/siaes/?departement=", base);
		http_escape(&url, colon + 1);
	} else {
		return TERRAIN_OK;
	}
	source_plan_add(plan, url.buf, NULL, SIAE_DATASET, t->code, SOURCE_JSON);
	strbuf_release(&url);
	return TERRAIN_OK;
}

/* "2024-03-05T10:22:33.123456+01:00" without ".123456" into sb. */
static void drop_fraction(const char *s, struct strbuf *sb)
{
	const char *dot = strchr(s, '.');
	strbuf_reset(sb);
	if (!dot || !(dot[1] >= '0' && dot[1] <= '9')) {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_add(sb, s, (size_t)(dot - s));
	dot++;
	while (*dot >= '0' && *dot <= '9')
		dot++;
	strbuf_addstr(sb, dot);
}

static enum status parse_one(json_t *o, struct siae_structure *x, struct strbuf *tmp,
			     struct error *err)
{
	const char *siret, *kind, *enseigne, *raison, *postcode, *city, *dep, *updated;
	enum status st;

	if (!json_is_object(o))
		return error_set(err, TERRAIN_EDATA, "not an object");
	if ((st = source_json_string(o, "siret", &siret, err)) ||
	    (st = source_json_string(o, "type", &kind, err)) ||
	    (st = source_json_string(o, "enseigne", &enseigne, err)) ||
	    (st = source_json_string(o, "raison_sociale", &raison, err)) ||
	    (st = source_json_string(o, "code_postal", &postcode, err)) ||
	    (st = source_json_string(o, "ville", &city, err)) ||
	    (st = source_json_string(o, "departement", &dep, err)) ||
	    (st = source_json_string(o, "mis_a_jour_le", &updated, err)))
		return st;
	if ((st = source_check_siret(siret, tmp, err)))
		return st;
	if (!*kind)
		return error_set(err, TERRAIN_EDATA, "type is missing or empty");
	drop_fraction(updated, tmp);
	if ((st = observation_set(x->siret, sizeof(x->siret), "siret", siret, err)) ||
	    (st = observation_set(x->kind, sizeof(x->kind), "type", kind, err)) ||
	    (st =
		 observation_set(x->postcode, sizeof(x->postcode), "code_postal", postcode, err)) ||
	    (st = observation_set(x->dep, sizeof(x->dep), "departement", dep, err)) ||
	    (st = observation_set(x->updated, sizeof(x->updated), "mis_a_jour_le", tmp->buf, err)))
		return st;
	source_copy_cut(x->name, sizeof(x->name), *enseigne ? enseigne : raison);
	source_copy_cut(x->city, sizeof(x->city), city);
	x->insee[0] = '\0';

	json_t *postes = json_object_get(o, "postes");
	if (postes && !json_is_null(postes)) {
		if (!json_is_array(postes))
			return error_set(err, TERRAIN_EDATA, "postes is not an array");
		size_t n = json_array_size(postes);
		x->npositions = n > UINT_MAX ? UINT_MAX : (unsigned)n;
	}
	return TERRAIN_OK;
}

static enum status parse_next(const struct source_request *req, json_t *root,
			      struct source_result *out, struct error *err)
{
	json_t *v = json_object_get(root, "next");
	struct strbuf q = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	if (!v || json_is_null(v))
		return TERRAIN_OK;
	if (!json_is_string(v))
		return error_set(err, TERRAIN_EDATA, "%s: \"next\" is not a string", req->url);
	const char *next = json_string_value(v);
	if (!*next)
		return TERRAIN_OK;
	if (strncmp(next, "https://", 8) != 0 && strncmp(next, "http://", 7) != 0)
		st = error_set(err, TERRAIN_EDATA, "%s: \"next\" %s is not an absolute http(s) URL",
			       req->url, source_quote(next, &q));
	else if (strlen(next) > SIAE_NEXT_MAX)
		st = error_set(err, TERRAIN_EDATA, "%s: \"next\" is longer than %d bytes", req->url,
			       SIAE_NEXT_MAX);
	else
		strbuf_addstr(&out->next, next);
	strbuf_release(&q);
	return st;
}

enum status siae_parse(const struct source_request *req, const char *body, size_t len,
		       struct source_result *out, struct error *err)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t n0 = out->siae.n;
	enum status st = TERRAIN_OK;
	size_t i;
	json_t *o;

	strbuf_reset(&out->next);
	json_t *root;
	if ((st = source_json_load(req, body, len, &root, err)))
		return st;
	json_t *results = json_is_object(root) ? json_object_get(root, "results") : NULL;
	if (!json_is_object(root) || !results) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: \"results\" is missing (expected a page of the SIAE list)",
			       req->url);
		goto out;
	}
	if (!json_is_array(results)) {
		st = error_set(err, TERRAIN_EDATA, "%s: \"results\" is not an array", req->url);
		goto out;
	}
	json_array_foreach(results, i, o)
	{
		if ((st = parse_one(o, source_result_push_siae(out), &tmp, err))) {
			error_prefix(err, "%s: results[%zu]", req->url, i);
			goto out;
		}
	}
	st = parse_next(req, root, out, err);
out:
	if (st) {
		out->siae.n = n0;
		strbuf_reset(&out->next);
	}
	json_decref(root);
	strbuf_release(&tmp);
	return st;
}
