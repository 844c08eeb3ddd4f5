#include "sourcejson.h"

enum status source_json_load(const struct source_request *req, const char *body, size_t len,
			     json_t **root, struct error *err)
{
	json_error_t jerr;
	*root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*root)
		return error_set(err, TERRAIN_EDATA, "%s: invalid JSON at line %d, column %d: %s",
				 req->url, jerr.line, jerr.column, jerr.text);
	return TERRAIN_OK;
}

enum status source_json_string(json_t *obj, const char *key, const char **out, struct error *err)
{
	json_t *v = json_object_get(obj, key);
	*out = "";
	if (!v || json_is_null(v))
		return TERRAIN_OK;
	if (!json_is_string(v))
		return error_set(err, TERRAIN_EDATA, "%s is not a string", key);
	*out = json_string_value(v);
	return TERRAIN_OK;
}
