#include "inclusion.h"

#include <jansson.h>
#include <string.h>

#include "../core/territory.h"
#include "http.h"
#include "sourcejson.h"

enum status inclusion_plan(const char *base, const struct geo *g, const struct territory *t,
			   struct source_plan *plan, struct error *err)
{
	const char *colon = strchr(t->code, ':');
	const char *param = t->type == TERRITORY_COM   ? "code_commune"
			    : t->type == TERRITORY_DEP ? "code_departement"
			    : t->type == TERRITORY_REG ? "code_region"
						       : NULL;
	(void)g;
	(void)err;
	if (!colon || !colon[1] || !param)
		return TERRAIN_OK;
	struct strbuf url = STRBUF_INIT;
	strbuf_addf(&url, "%s/api/v1/structures?%s=", base, param);
	http_escape(&url, colon + 1);
	strbuf_addf(&url, "&size=%d", INCLUSION_PAGE);
	source_plan_add(plan, url.buf, NULL, INCLUSION_DATASET, t->code, SOURCE_JSON);
	strbuf_release(&url);
	return TERRAIN_OK;
}

/* data·inclusion's networks (its ReseauPorteur enum) and the kind terrain
 * groups them under, in order of precedence: a structure of several
 * networks takes the first kind of this table that it has. */
static const struct {
	const char *net, *kind;
} kinds[] = {
    {"aci", "ACI"},
    {"ei", "EI"},
    {"ai", "AI"},
    {"etti", "ETTI"},
    {"eiti", "EITI"},
    {"geiq", "GEIQ"},
    {"ea", "EA"},
    {"esat", "ESAT"},
    {"france-travail", "FT"},
    {"mission-locale", "ML"},
    {"cap-emploi-reseau-cheops", "CAPEMP"},
    {"plie", "PLIE"},
    {"ccas-cias", "CCAS"},
    {"departements", "DEP"},
    {"ecoles-de-la-deuxieme-chance", "E2C"},
    {"epide", "EPIDE"},
};

const char *inclusion_kind(const char *const *nets, size_t n)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(nets[i], kinds[k].net))
				return kinds[k].kind;
	return "AUTRE";
}

#define MAX_NETS 16

static enum status parse_one(json_t *o, struct siae_structure *x, struct strbuf *tmp,
			     struct error *err)
{
	const char *siret, *name, *postcode, *city, *insee, *updated;
	enum status st;
	if (!json_is_object(o))
		return error_set(err, TERRAIN_EDATA, "not an object");
	if ((st = source_json_string(o, "siret", &siret, err)) ||
	    (st = source_json_string(o, "nom", &name, err)) ||
	    (st = source_json_string(o, "code_postal", &postcode, err)) ||
	    (st = source_json_string(o, "commune", &city, err)) ||
	    (st = source_json_string(o, "code_insee", &insee, err)) ||
	    (st = source_json_string(o, "date_maj", &updated, err)))
		return st;
	if (!*name)
		return error_set(err, TERRAIN_EDATA, "nom is missing or empty");
	if ((st = source_check_siret(siret, tmp, err)))
		return st;
	const char *nets[MAX_NETS];
	size_t nnet = 0;
	json_t *rp = json_object_get(o, "reseaux_porteurs");
	if (rp && !json_is_null(rp)) {
		size_t i;
		json_t *v;
		if (!json_is_array(rp))
			return error_set(err, TERRAIN_EDATA, "reseaux_porteurs is not an array");
		json_array_foreach(rp, i, v)
		{
			if (!json_is_string(v))
				return error_set(err, TERRAIN_EDATA,
						 "reseaux_porteurs[%zu] is not a string", i);
			if (nnet < MAX_NETS)
				nets[nnet++] = json_string_value(v);
		}
	}
	/* the département of the commune: 2 characters, 3 overseas (971...) */
	/* the département of the commune, else of the postcode (a structure
	 * without its commune's code is still found by its département) */
	char dep[4];
	territory_dep_prefix(*insee ? insee : postcode, dep);
	if ((st = observation_set(x->siret, sizeof(x->siret), "siret", siret, err)) ||
	    (st = observation_set(x->kind, sizeof(x->kind), "kind", inclusion_kind(nets, nnet),
				  err)) ||
	    (st =
		 observation_set(x->postcode, sizeof(x->postcode), "code_postal", postcode, err)) ||
	    (st = observation_set(x->insee, sizeof(x->insee), "code_insee", insee, err)) ||
	    (st = observation_set(x->dep, sizeof(x->dep), "code_insee", dep, err)) ||
	    (st = observation_set(x->updated, sizeof(x->updated), "date_maj", updated, err)))
		return st;
	source_copy_cut(x->name, sizeof(x->name), name);
	source_copy_cut(x->city, sizeof(x->city), city);
	x->npositions = 0;
	return TERRAIN_OK;
}

/* An integer field of the page, or an error naming it. */
static enum status page_int(const struct source_request *req, json_t *root, const char *key,
			    long long *out, struct error *err)
{
	json_t *v = json_object_get(root, key);
	if (!json_is_integer(v))
		return error_set(err, TERRAIN_EDATA,
				 "%s: \"%s\" is missing or not an integer (expected a page of "
				 "data·inclusion structures)",
				 req->url, key);
	*out = json_integer_value(v);
	return TERRAIN_OK;
}

/* req->url with its page parameter set to page. */
static void next_url(const char *url, long long page, struct strbuf *out)
{
	const char *q = strchr(url, '?');
	strbuf_reset(out);
	if (!q) {
		strbuf_addf(out, "%s?page=%lld", url, page);
		return;
	}
	strbuf_add(out, url, (size_t)(q - url));
	char sep = '?';
	for (const char *p = q + 1; *p;) {
		size_t n = strcspn(p, "&");
		if (strncmp(p, "page=", 5)) {
			strbuf_addch(out, sep);
			strbuf_add(out, p, n);
			sep = '&';
		}
		p += n + (p[n] == '&');
	}
	strbuf_addf(out, "%cpage=%lld", sep, page);
}

enum status inclusion_parse(const struct source_request *req, const char *body, size_t len,
			    struct source_result *out, struct error *err)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t n0 = out->siae.n;
	enum status st = TERRAIN_OK;
	long long page = 0, pages = 0;
	size_t i;
	json_t *o, *root;

	strbuf_reset(&out->next);
	if ((st = source_json_load(req, body, len, &root, err)))
		return st;
	json_t *items = json_is_object(root) ? json_object_get(root, "items") : NULL;
	if (!items) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: \"items\" is missing (expected a page of data·inclusion "
			       "structures)",
			       req->url);
		goto out;
	}
	if (!json_is_array(items)) {
		st = error_set(err, TERRAIN_EDATA, "%s: \"items\" is not an array", req->url);
		goto out;
	}
	if ((st = page_int(req, root, "page", &page, err)) ||
	    (st = page_int(req, root, "pages", &pages, err)))
		goto out;
	json_array_foreach(items, i, o)
	{
		if ((st = parse_one(o, source_result_push_siae(out), &tmp, err))) {
			error_prefix(err, "%s: items[%zu]", req->url, i);
			goto out;
		}
	}
	if (page >= 1 && page < pages)
		next_url(req->url, page + 1, &out->next);
out:
	if (st) {
		out->siae.n = n0;
		strbuf_reset(&out->next);
	}
	json_decref(root);
	strbuf_release(&tmp);
	return st;
}
