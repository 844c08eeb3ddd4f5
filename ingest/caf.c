#include "caf.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"
#include "http.h"

/* The ODSQL filter for t into filter; false when the CAF file has nothing
 * for t. */
static bool add_filter(struct strbuf *filter, const struct geo *g, const struct territory *t)
{
	const char *colon = strchr(t->code, ':');
	if (!colon || !colon[1])
		return false;
	const char *code = colon + 1;
	switch (t->type) {
	case TERRITORY_COM: {
		/* Paris, Lyon and Marseille exist only as their arrondissements */
		size_t *m = NULL;
		size_t n = g ? territory_members(g, t, &m) : 0;
		for (size_t i = 0; i < n; i++)
			strbuf_addf(filter, "%snumcomdo=\"%s\"", i ? " OR " : "",
				    g->com[m[i]].code);
		free(m);
		if (!n)
			strbuf_addf(filter, "numcomdo=\"%s\"", code);
		return true;
	}
	case TERRITORY_ARM:
		strbuf_addf(filter, "numcomdo=\"%s\"", code);
		return true;
	case TERRITORY_DEP:
		strbuf_addf(filter, "startswith(numcomdo,\"%s\")", code);
		return true;
	default:
		return false;
	}
}

enum status caf_plan(const char *base, const struct geo *g, const struct territory *t,
		     struct source_plan *plan, struct error *err)
{
	struct strbuf filter = STRBUF_INIT, url = STRBUF_INIT;
	(void)err;
	if (add_filter(&filter, g, t)) {
		strbuf_addf(&url,
			    "%s/api/explore/v2.1/catalog/datasets/" CAF_DATASET
			    "/exports/csv?delimiter=%%3B&use_labels=false&where=",
			    base);
		http_escape(&url, filter.buf);
		source_plan_add(plan, url.buf, NULL, CAF_DATASET, t->code, SOURCE_CSV);
	}
	strbuf_release(&filter);
	strbuf_release(&url);
	return TERRAIN_OK;
}

/* dtreffre "2024-12", "202412" or "2024-12-31" as "2024-12" into period
 * (8 bytes); false for anything else. */
static bool month_of(const char *s, char period[8])
{
	size_t n = strlen(s);
	const char *mm;
	if (n == 6 && text_digits(s, 6))
		mm = s + 4;
	else if ((n == 7 || n == 10) && text_digits(s, 4) && s[4] == '-' && text_digits(s + 5, 2))
		mm = s + 5;
	else
		return false;
	if (n == 10) {
		if (s[7] != '-' || !text_digits(s + 8, 2))
			return false;
		int day = (s[8] - '0') * 10 + (s[9] - '0');
		if (day < 1 || day > 31)
			return false;
	}
	int month = (mm[0] - '0') * 10 + (mm[1] - '0');
	if (month < 1 || month > 12)
		return false;
	memcpy(period, s, 4);
	period[4] = '-';
	period[5] = mm[0];
	period[6] = mm[1];
	period[7] = '\0';
	return true;
}

/* The unit a column counts in, or NULL for a column that is not read. */
static const char *unit_of(const char *column)
{
	static const struct {
		const char *prefix, *unit;
	} units[] = {
	    {"indfoy_", "households"},
	    {"indnbp_", "persons"},
	    {"indmtt_", "euros"},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strncmp(column, units[i].prefix, 7) == 0 && column[7])
			return units[i].unit;
	return NULL;
}

struct caf_ctx {
	const struct source_request *req;
	struct csvread *r;
	size_t date, code; /* column indexes */
	size_t *num;	   /* owned: indexes of the numeric columns */
	const char **unit; /* owned array: their units */
	size_t nnum;
	struct strbuf territory, indicator, q;
};

static enum status find_columns(struct caf_ctx *c, struct error *err)
{
	static const char *const names[] = {"dtreffre", "numcomdo"};
	size_t idx[2];
	enum status st = csvread_require(c->r, names, 2, idx, err);
	if (st)
		return st;
	c->date = idx[0];
	c->code = idx[1];
	const struct csvrow *h = csvread_header(c->r);
	c->num = xcalloc(h->n ? h->n : 1, sizeof(*c->num));
	c->unit = xcalloc(h->n ? h->n : 1, sizeof(*c->unit));
	for (size_t i = 0; i < h->n; i++) {
		const char *unit = unit_of(h->field[i]);
		if (unit) {
			c->num[c->nnum] = i;
			c->unit[c->nnum++] = unit;
		}
	}
	if (!c->nnum)
		return error_set(err, TERRAIN_EDATA,
				 "%s:1: no indfoy_*, indnbp_* or indmtt_* column in the header",
				 c->req->url);
	return TERRAIN_OK;
}

static enum status push(struct caf_ctx *c, const struct csvrow *row, const char *period, size_t k,
			struct source_result *out, struct error *err)
{
	size_t col = c->num[k];
	const char *s = row->field[col];
	double value = NAN;
	enum obs_status status = OBS_MISSING;
	enum status st;

	if (*s) {
		if (!text_parse_double(s, &value))
			return csvread_field_error(c->r, row, col, TERRAIN_EDATA, err,
						   "%s is not a number", source_quote(s, &c->q));
		status = OBS_ROUNDED;
	}
	strbuf_reset(&c->indicator);
	strbuf_addf(&c->indicator, "caf.%s", csvread_header(c->r)->field[col]);
	struct observation *ob = obs_list_push(&out->obs);
	ob->value = value;
	ob->status = status;
	if ((st = observation_set(ob->territory, sizeof(ob->territory), "territory",
				  c->territory.buf, err)) ||
	    (st = observation_set(ob->indicator, sizeof(ob->indicator), "indicator id",
				  c->indicator.buf, err)) ||
	    (st = observation_set(ob->period, sizeof(ob->period), "period", period, err)) ||
	    (st = observation_set(ob->unit, sizeof(ob->unit), "unit", c->unit[k], err)) ||
	    (st = observation_set(ob->source, sizeof(ob->source), "source", "caf", err)) ||
	    (st = observation_set(ob->dataset, sizeof(ob->dataset), "dataset", c->req->dataset,
				  err))) {
		error_prefix(err, "%s:%lu", c->req->url, row->line);
		return st;
	}
	return TERRAIN_OK;
}

static enum status parse_row(struct caf_ctx *c, const struct csvrow *row, struct source_result *out,
			     struct error *err)
{
	char period[8];
	enum status st;
	const char *code = row->field[c->code];
	if (!*code)
		return TERRAIN_OK; /* not localised: no commune to give it to */
	if (!territory_commune_syntax(code))
		return csvread_field_error(c->r, row, c->code, TERRAIN_EDATA, err,
					   "%s is not a commune code", source_quote(code, &c->q));
	if (!month_of(row->field[c->date], period))
		return csvread_field_error(c->r, row, c->date, TERRAIN_EDATA, err,
					   "%s is not a month (YYYY-MM, YYYYMM or YYYY-MM-DD)",
					   source_quote(row->field[c->date], &c->q));
	strbuf_reset(&c->territory);
	strbuf_addf(&c->territory, "%s:%s", territory_plm_arrondissement(code) ? "arm" : "com",
		    code);
	for (size_t k = 0; k < c->nnum; k++)
		if ((st = push(c, row, period, k, out, err)))
			return st;
	return TERRAIN_OK;
}

enum status caf_parse(const struct source_request *req, const char *body, size_t len,
		      struct source_result *out, struct error *err)
{
	struct caf_ctx c = {req, NULL, 0, 0, NULL, NULL, 0, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	struct csvread_opts o;
	const struct csvrow *row;
	size_t n0 = out->obs.n;
	enum status st;

	csvread_opts_init(&o); /* ';', UTF-8 with or without a BOM, strict width */
	if ((st = csvread_open_mem(&c.r, req->url, body ? body : "", len, &o, err)) ||
	    (st = find_columns(&c, err)))
		goto out;
	while (!(st = csvread_next(c.r, &row, err)) && row)
		if ((st = parse_row(&c, row, out, err)))
			goto out;
out:
	if (st)
		out->obs.n = n0;
	csvread_free(c.r);
	free(c.num);
	free(c.unit);
	strbuf_release(&c.territory);
	strbuf_release(&c.indicator);
	strbuf_release(&c.q);
	return st;
}
