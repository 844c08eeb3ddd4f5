#include "francetravail.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/text.h"
#include "http.h"
#include "sourcejson.h"

#define TOKEN_MAX 8192
#define TOKEN_ERR "france travail token response: "

enum status francetravail_plan(const char *base, const struct geo *g, const struct territory *t,
			       struct source_plan *plan, struct error *err)
{
	const char *colon = strchr(t->code, ':');
	const char *type, *code;
	(void)g;
	switch (t->type) {
	case TERRITORY_DEP:
		type = "DEP";
		break;
	case TERRITORY_REG:
		type = "REG";
		break;
	case TERRITORY_FR:
		type = "NAT";
		break;
	default:
		return TERRAIN_OK;
	}
	if (t->type == TERRITORY_FR)
		code = "FR";
	else if (colon && colon[1])
		code = colon + 1;
	else
		return TERRAIN_OK;
	/* jansson escapes the strings; objects keep the insertion order */
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "codeTypeTerritoire", type,
				 "codeTerritoire", code, "codeTypeActivite", "CUMUL",
				 "codeActivite", "CUMUL", "codeTypePeriode", "TRIMESTRE",
				 "codeTypeNomenclature", "CATCAND", "dernierePeriode", 0);
	char *json = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(body);
	if (!json) /* jansson could not allocate */
		return error_set(err, TERRAIN_EIO, "cannot build the stat-demandeurs request body");
	struct strbuf url = STRBUF_INIT;
	strbuf_addf(&url, "%s/indicateur/stat-demandeurs", base);
	source_plan_add(plan, url.buf, json, FRANCETRAVAIL_DATASET, t->code, SOURCE_JSON);
	strbuf_release(&url);
	free(json);
	return TERRAIN_OK;
}

/* A code that may go into an indicator id: letters, digits, '-', '_'. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* codePeriode as a terrain period into out (OBS_PERIOD_MAX bytes). */
static bool period_of(const char *s, char *out)
{
	size_t n = strlen(s);
	if (n < 4 || !text_digits(s, 4))
		return false;
	const char *rest = s + 4;
	if (*rest == '-')
		rest++;
	size_t m = strlen(rest);
	if (n == 4) {
		memcpy(out, s, 5);
		return true;
	}
	if (m == 2 && (rest[0] == 'T' || rest[0] == 'Q') && rest[1] >= '1' && rest[1] <= '4') {
		snprintf(out, OBS_PERIOD_MAX, "%.4s-Q%c", s, rest[1]);
		return true;
	}
	if (m == 2 && text_digits(rest, 2)) {
		int month = (rest[0] - '0') * 10 + (rest[1] - '0');
		if (month < 1 || month > 12)
			return false;
		snprintf(out, OBS_PERIOD_MAX, "%.4s-%.2s", s, rest);
		return true;
	}
	return false;
}

/* datMaj as YYYY-MM-DD into out (OBS_VINTAGE_MAX bytes), "" when it is
 * not a date this reads. */
static void vintage_of(const char *s, char *out)
{
	out[0] = '\0';
	if (strlen(s) >= 10 && text_digits(s, 4) && s[4] == '-' && text_digits(s + 5, 2) &&
	    s[7] == '-' && text_digits(s + 8, 2))
		snprintf(out, OBS_VINTAGE_MAX, "%.10s", s);
	else if (strlen(s) == 10 && text_digits(s, 2) && s[2] == '/' && text_digits(s + 3, 2) &&
		 s[5] == '/' && text_digits(s + 6, 4))
		snprintf(out, OBS_VINTAGE_MAX, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
}

/* A number at key: OBS_FINAL with *value, or OBS_MISSING when absent or
 * null; another type is an error. */
static enum status get_number(json_t *obj, const char *key, double *value, enum obs_status *status,
			      struct error *err)
{
	json_t *v = json_object_get(obj, key);
	*value = NAN;
	*status = OBS_MISSING;
	if (!v || json_is_null(v))
		return TERRAIN_OK;
	if (!json_is_number(v))
		return error_set(err, TERRAIN_EDATA, "%s is not a number", key);
	*value = json_number_value(v);
	*status = OBS_FINAL;
	return TERRAIN_OK;
}

/* "masque": 1 masked, 0 not, -1 a value this does not read. */
static int masked(json_t *m)
{
	static const char *const yes[] = {"O", "OUI", "true", "1"};
	static const char *const no[] = {"", "N", "NON", "false", "0"};
	if (!m || json_is_null(m) || json_is_false(m))
		return 0;
	if (json_is_true(m))
		return 1;
	if (json_is_integer(m) && (json_integer_value(m) == 0 || json_integer_value(m) == 1))
		return (int)json_integer_value(m);
	if (!json_is_string(m))
		return -1;
	const char *s = json_string_value(m);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

struct ft_ctx {
	const struct source_request *req;
	const char *vintage_default; /* the response's datMaj */
	struct strbuf territory, indicator, q;
	char period[OBS_PERIOD_MAX];
	char vintage[OBS_VINTAGE_MAX];
};

static enum status push(struct ft_ctx *c, double value, enum obs_status status,
			struct source_result *out, struct error *err)
{
	struct observation *ob = obs_list_push(&out->obs);
	enum status st;
	ob->value = value;
	ob->status = status;
	if ((st = observation_set(ob->territory, sizeof(ob->territory), "territory",
				  c->territory.buf, err)) ||
	    (st = observation_set(ob->indicator, sizeof(ob->indicator), "indicator id",
				  c->indicator.buf, err)) ||
	    (st = observation_set(ob->period, sizeof(ob->period), "period", c->period, err)) ||
	    (st = observation_set(ob->unit, sizeof(ob->unit), "unit", "persons", err)) ||
	    (st =
		 observation_set(ob->source, sizeof(ob->source), "source", "francetravail", err)) ||
	    (st = observation_set(ob->dataset, sizeof(ob->dataset), "dataset", c->req->dataset,
				  err)) ||
	    (st = observation_set(ob->vintage, sizeof(ob->vintage), "datMaj", c->vintage, err)))
		return st;
	return TERRAIN_OK;
}

static enum status parse_caract(struct ft_ctx *c, json_t *o, size_t base_len,
				struct source_result *out, struct error *err)
{
	const char *type, *code;
	double value;
	enum obs_status status;
	enum status st;
	if (!json_is_object(o))
		return error_set(err, TERRAIN_EDATA, "not an object");
	if ((st = source_json_string(o, "codeTypeCaract", &type, err)) ||
	    (st = source_json_string(o, "codeCaract", &code, err)) ||
	    (st = get_number(o, "nombre", &value, &status, err)))
		return st;
	if (!is_token(type))
		return error_set(err, TERRAIN_EDATA, "codeTypeCaract %s is not a code",
				 source_quote(type, &c->q));
	if (!is_token(code))
		return error_set(err, TERRAIN_EDATA, "codeCaract %s is not a code",
				 source_quote(code, &c->q));
	int m = masked(json_object_get(o, "masque"));
	if (m < 0)
		return error_set(err, TERRAIN_EDATA, "masque is not a yes/no value");
	if (m) {
		value = NAN;
		status = OBS_SECRET;
	}
	strbuf_setlen(&c->indicator, base_len);
	strbuf_addf(&c->indicator, ".%s=%s", type, code);
	return push(c, value, status, out, err);
}

static enum status parse_one(struct ft_ctx *c, json_t *o, struct source_result *out,
			     struct error *err)
{
	const char *ttype, *tcode, *nomenclature, *activity, *period, *datmaj;
	double value;
	enum obs_status status;
	enum status st;
	size_t j;
	json_t *x;

	if (!json_is_object(o))
		return error_set(err, TERRAIN_EDATA, "not an object");
	if ((st = source_json_string(o, "codeTypeTerritoire", &ttype, err)) ||
	    (st = source_json_string(o, "codeTerritoire", &tcode, err)) ||
	    (st = source_json_string(o, "codeNomenclature", &nomenclature, err)) ||
	    (st = source_json_string(o, "codeActivite", &activity, err)) ||
	    (st = source_json_string(o, "codePeriode", &period, err)) ||
	    (st = source_json_string(o, "datMaj", &datmaj, err)) ||
	    (st = get_number(o, "valeurPrincipaleNombre", &value, &status, err)))
		return st;

	strbuf_reset(&c->territory);
	if (strcmp(ttype, "NAT") == 0) {
		strbuf_addstr(&c->territory, "fr");
	} else if (strcmp(ttype, "DEP") == 0 || strcmp(ttype, "REG") == 0) {
		if (!is_token(tcode))
			return error_set(err, TERRAIN_EDATA, "codeTerritoire %s is not a code",
					 source_quote(tcode, &c->q));
		strbuf_addf(&c->territory, "%s:%s", ttype[0] == 'D' ? "dep" : "reg", tcode);
	} else {
		return error_set(err, TERRAIN_EDATA, "codeTypeTerritoire %s is not DEP, REG or NAT",
				 source_quote(ttype, &c->q));
	}
	if (!is_token(nomenclature))
		return error_set(err, TERRAIN_EDATA, "codeNomenclature %s is not a code",
				 source_quote(nomenclature, &c->q));
	if (*activity && strcmp(activity, "CUMUL") != 0 && !is_token(activity))
		return error_set(err, TERRAIN_EDATA, "codeActivite %s is not a code",
				 source_quote(activity, &c->q));
	if (!period_of(period, c->period))
		return error_set(err, TERRAIN_EDATA,
				 "codePeriode %s is not a quarter, month or year",
				 source_quote(period, &c->q));
	vintage_of(*datmaj ? datmaj : c->vintage_default, c->vintage);

	strbuf_reset(&c->indicator);
	strbuf_addf(&c->indicator, "francetravail.demandeurs.cat_%s", nomenclature);
	if (*activity && strcmp(activity, "CUMUL") != 0)
		strbuf_addf(&c->indicator, ".act_%s", activity);
	size_t base_len = c->indicator.len;
	if ((st = push(c, value, status, out, err)))
		return st;

	json_t *caracts = json_object_get(o, "listeValeurParCaract");
	if (!caracts || json_is_null(caracts))
		return TERRAIN_OK;
	if (!json_is_array(caracts))
		return error_set(err, TERRAIN_EDATA, "listeValeurParCaract is not an array");
	json_array_foreach(caracts, j, x)
	{
		if ((st = parse_caract(c, x, base_len, out, err))) {
			error_prefix(err, "listeValeurParCaract[%zu]", j);
			return st;
		}
	}
	return TERRAIN_OK;
}

enum status francetravail_parse(const struct source_request *req, const char *body, size_t len,
				struct source_result *out, struct error *err)
{
	struct ft_ctx c = {req, "", STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, "", ""};
	size_t n0 = out->obs.n;
	enum status st = TERRAIN_OK;
	size_t i;
	json_t *o;

	json_t *root;
	if ((st = source_json_load(req, body, len, &root, err)))
		return st;
	json_t *list =
	    json_is_object(root) ? json_object_get(root, "listeValeursParPeriode") : NULL;
	if (!list) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: \"listeValeursParPeriode\" is missing (expected a "
			       "stat-demandeurs response)",
			       req->url);
		goto out;
	}
	if (!json_is_array(list)) {
		st = error_set(err, TERRAIN_EDATA, "%s: \"listeValeursParPeriode\" is not an array",
			       req->url);
		goto out;
	}
	if ((st = source_json_string(root, "datMaj", &c.vintage_default, err))) {
		error_prefix(err, "%s", req->url);
		goto out;
	}
	json_array_foreach(list, i, o)
	{
		if ((st = parse_one(&c, o, out, err))) {
			error_prefix(err, "%s: listeValeursParPeriode[%zu]", req->url, i);
			goto out;
		}
	}
out:
	if (st)
		out->obs.n = n0;
	json_decref(root);
	strbuf_release(&c.territory);
	strbuf_release(&c.indicator);
	strbuf_release(&c.q);
	return st;
}

void francetravail_token_body(const char *id, const char *secret, const char *scope,
			      struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addstr(out, "grant_type=client_credentials&client_id=");
	http_escape(out, id);
	strbuf_addstr(out, "&client_secret=");
	http_escape(out, secret);
	strbuf_addstr(out, "&scope=");
	http_escape(out, scope);
}

/* The error codes of RFC 6749 section 5.2: safe to repeat, unlike the
 * description, which is free text. */
static bool is_oauth_error(const char *s)
{
	static const char *const codes[] = {"invalid_request",	      "invalid_client",
					    "invalid_grant",	      "unauthorized_client",
					    "unsupported_grant_type", "invalid_scope"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(s, codes[i]) == 0)
			return true;
	return false;
}

static bool is_header_token(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > TOKEN_MAX)
		return false;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

/* Nothing from the body goes into a message: the answer of a misbehaving
 * server may hold the client secret it was sent. */
enum status francetravail_parse_token(const char *body, size_t len, struct strbuf *token,
				      long *expires_in, struct error *err)
{
	enum status st = TERRAIN_OK;
	json_error_t jerr;
	long seconds = 0;

	strbuf_reset(token);
	*expires_in = 0;
	json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return error_set(err, TERRAIN_EDATA, TOKEN_ERR "invalid JSON at line %d, column %d",
				 jerr.line, jerr.column);
	if (!json_is_object(root)) {
		st = error_set(err, TERRAIN_EDATA, TOKEN_ERR "not a JSON object");
		goto out;
	}
	json_t *e = json_object_get(root, "error");
	if (e && !json_is_null(e)) {
		if (json_is_string(e) && is_oauth_error(json_string_value(e)))
			st = error_set(err, TERRAIN_EDATA, TOKEN_ERR "error \"%s\"",
				       json_string_value(e));
		else
			st = error_set(err, TERRAIN_EDATA,
				       TOKEN_ERR "an error (not a standard "
						 "OAuth2 code)");
		goto out;
	}
	json_t *at = json_object_get(root, "access_token");
	if (!json_is_string(at)) {
		st = error_set(err, TERRAIN_EDATA, TOKEN_ERR "no access_token");
		goto out;
	}
	if (!is_header_token(json_string_value(at))) {
		st = error_set(err, TERRAIN_EDATA,
			       TOKEN_ERR "access_token is not 1 to %d visible ASCII characters",
			       TOKEN_MAX);
		goto out;
	}
	json_t *type = json_object_get(root, "token_type");
	if (type && !json_is_null(type) &&
	    (!json_is_string(type) || strcasecmp(json_string_value(type), "Bearer") != 0)) {
		st = error_set(err, TERRAIN_EDATA, TOKEN_ERR "token_type is not \"Bearer\"");
		goto out;
	}
	json_t *exp = json_object_get(root, "expires_in");
	if (exp && !json_is_null(exp)) {
		bool ok = false;
		if (json_is_integer(exp)) {
			json_int_t v = json_integer_value(exp);
			ok = v >= 0 && v <= 100000000;
			seconds = ok ? (long)v : 0;
		} else if (json_is_string(exp)) {
			const char *s = json_string_value(exp);
			ok = *s >= '0' && *s <= '9' && text_parse_long(s, 0, 100000000, &seconds);
		}
		if (!ok) {
			st = error_set(err, TERRAIN_EDATA,
				       TOKEN_ERR "expires_in is not a number of seconds");
			goto out;
		}
	}
	strbuf_addstr(token, json_string_value(at));
	*expires_in = seconds;
out:
	json_decref(root);
	return st;
}
