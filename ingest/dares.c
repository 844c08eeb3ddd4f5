#include "dares.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "csvread.h"
#include "http.h"

enum status dares_plan(const char *base, const struct geo *g, const struct territory *t,
		       struct source_plan *plan, struct error *err)
{
	struct strbuf filter = STRBUF_INIT, url = STRBUF_INIT;
	const char *colon = strchr(t->code, ':');
	const char *field;
	(void)g;
	(void)err;
	switch (t->type) {
	case TERRITORY_COM:
	case TERRITORY_ARM:
		field = "code_commune";
		break;
	case TERRITORY_DEP:
		field = "code_departement";
		break;
	case TERRITORY_REG:
		field = "code_region";
		break;
	default:
		return TERRAIN_OK;
	}
	if (!colon || !colon[1])
		return TERRAIN_OK;
	strbuf_addf(&filter, "%s=\"%s\"", field, colon + 1);
	strbuf_addf(&url,
		    "%s/api/explore/v2.1/catalog/datasets/" DARES_DATASET
		    "/exports/csv?delimiter=%%3B&use_labels=false&where=",
		    base);
	http_escape(&url, filter.buf);
	source_plan_add(plan, url.buf, NULL, DARES_DATASET, t->code, SOURCE_CSV);
	strbuf_release(&filter);
	strbuf_release(&url);
	return TERRAIN_OK;
}

enum status dares_plan_ze(const char *url, const struct territory *t, struct source_plan *plan,
			  struct error *err)
{
	(void)err;
	if (t->type == TERRITORY_ZE)
		source_plan_add(plan, url, NULL, DARES_ZE_DATASET, t->code, SOURCE_CSV);
	return TERRAIN_OK;
}

/* The columns either file may have. */
enum dares_col {
	COL_DATE,
	COL_CODE,
	COL_CAT,
	COL_SEX,
	COL_AGE,
	COL_COUNT,
	COL_DEP,  /* commune file: the département of a "Total" row */
	COL_TYPE, /* "Brutes" */
	COL_ANC,  /* zone d'emploi file: length of registration */
	NCOLS,
};

struct dares_layout {
	const char *name[NCOLS][2]; /* field name and label; NULL: not in this file */
	bool required[NCOLS];
	bool communes; /* the commune file, else the zone d'emploi file */
	bool q4_only;  /* keep the fourth quarters only */
};

static const struct dares_layout communes_layout = {
    .name =
	{
	    [COL_DATE] = {"date", "Date"},
	    [COL_CODE] = {"code_commune", "Code commune"},
	    [COL_CAT] = {"categorie", "Catégorie"},
	    [COL_SEX] = {"sexe", "Sexe"},
	    [COL_AGE] = {"tranche_d_age", "Tranche d'âge"},
	    [COL_COUNT] = {"nombre_de_demandeurs_d_emploi", "Nombre de demandeurs d'emploi"},
	    [COL_DEP] = {"code_departement", "Code département"},
	    [COL_TYPE] = {"type_de_donnees", "Type de données"},
	},
    .required = {[COL_DATE] = true,
		 [COL_CODE] = true,
		 [COL_CAT] = true,
		 [COL_SEX] = true,
		 [COL_AGE] = true,
		 [COL_COUNT] = true},
    .communes = true,
};

static const struct dares_layout ze_layout = {
    .name =
	{
	    [COL_DATE] = {"Date"},
	    [COL_CODE] = {"Code zone d'emploi"},
	    [COL_CAT] = {"Catégorie"},
	    [COL_SEX] = {"Sexe"},
	    [COL_AGE] = {"Tranche d'âge"},
	    [COL_COUNT] = {"Nombre de demandeurs d'emploi"},
	    [COL_TYPE] = {"Type de données"},
	    [COL_ANC] = {"Ancienneté"},
	},
    .required = {[COL_DATE] = true,
		 [COL_CODE] = true,
		 [COL_CAT] = true,
		 [COL_SEX] = true,
		 [COL_AGE] = true,
		 [COL_COUNT] = true},
    .communes = false,
};

static enum status find_columns(const struct csvread *r, const struct dares_layout *lay,
				size_t idx[NCOLS], struct error *err)
{
	for (size_t c = 0; c < NCOLS; c++) {
		idx[c] = CSVREAD_NONE;
		for (size_t k = 0; k < 2 && idx[c] == CSVREAD_NONE && lay->name[c][k]; k++)
			idx[c] = csvread_column(r, lay->name[c][k]);
		if (idx[c] == CSVREAD_NONE && lay->required[c])
			return csvread_require(r, &lay->name[c][0], 1, &idx[c], err);
	}
	return TERRAIN_OK;
}

/* Append s folded to lowercase ASCII words joined by '_'; false when that
 * leaves nothing or something that is not ASCII.  text_fold is the one
 * accent folding of terrain; its "st" -> "saint" (for place names) cannot
 * meet DARES's category, sex and age labels. */
static bool add_token(struct strbuf *sb, const char *s)
{
	size_t start = sb->len;
	text_fold(s, sb);
	if (sb->len == start)
		return false;
	for (size_t i = start; i < sb->len; i++) {
		if (sb->buf[i] == ' ')
			sb->buf[i] = '_';
		else if ((unsigned char)sb->buf[i] >= 0x80)
			return false;
	}
	return true;
}

struct dares_ctx {
	const struct source_request *req;
	const struct dares_layout *lay;
	struct csvread *r;
	size_t idx[NCOLS];
	struct strbuf territory, indicator, q;
};

static enum status bad_field(struct dares_ctx *c, const struct csvrow *row, enum dares_col col,
			     struct error *err, const char *what)
{
	return csvread_field_error(c->r, row, c->idx[col], TERRAIN_EDATA, err, "%s %s",
				   source_quote(row->field[c->idx[col]], &c->q), what);
}

/* The territory of a row into c->territory; false (with TERRAIN_OK) for
 * a row to skip. */
static enum status row_territory(struct dares_ctx *c, const struct csvrow *row, bool *keep,
				 struct error *err)
{
	const char *code = row->field[c->idx[COL_CODE]];
	strbuf_reset(&c->territory);
	*keep = true;
	if (!c->lay->communes) {
		if (strcmp(code, "Total") == 0) {
			*keep = false; /* a total over zones has no zone to go to */
			return TERRAIN_OK;
		}
		if (strlen(code) != 4 || !text_digits(code, 4))
			return bad_field(c, row, COL_CODE, err, "is not a zone d'emploi code");
		strbuf_addf(&c->territory, "ze:%s", code);
		return TERRAIN_OK;
	}
	if (strcmp(code, "Total") == 0) {
		/* The cumulative rows: a département's total is kept as the
		 * département; wider totals are the caller's sums. */
		const char *dep =
		    c->idx[COL_DEP] == CSVREAD_NONE ? "" : row->field[c->idx[COL_DEP]];
		if (!territory_dep_syntax(dep)) {
			*keep = false;
			return TERRAIN_OK;
		}
		strbuf_addf(&c->territory, "dep:%s", dep);
		return TERRAIN_OK;
	}
	if (!territory_commune_syntax(code))
		return bad_field(c, row, COL_CODE, err, "is not a commune code");
	strbuf_addf(&c->territory, "%s:%s", territory_plm_arrondissement(code) ? "arm" : "com",
		    code);
	return TERRAIN_OK;
}

static enum status row_indicator(struct dares_ctx *c, const struct csvrow *row, struct error *err)
{
	static const struct {
		enum dares_col col;
		const char *prefix;
	} parts[] = {
	    {COL_CAT, ".cat_"}, {COL_SEX, ".sexe_"}, {COL_AGE, ".age_"}, {COL_ANC, ".anc_"}};
	strbuf_reset(&c->indicator);
	strbuf_addstr(&c->indicator, "dares.defm");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t k = c->idx[parts[i].col];
		if (k == CSVREAD_NONE)
			continue;
		size_t mark = c->indicator.len;
		strbuf_addstr(&c->indicator, parts[i].prefix);
		if (!add_token(&c->indicator, row->field[k]))
			return bad_field(c, row, parts[i].col, err,
					 "cannot be an indicator word (empty, or not Latin)");
		/* a total over registration lengths is the plain indicator */
		if (parts[i].col == COL_ANC && strcmp(c->indicator.buf + mark, ".anc_total") == 0)
			strbuf_setlen(&c->indicator, mark);
	}
	return TERRAIN_OK;
}

static enum status parse_row(struct dares_ctx *c, const struct csvrow *row,
			     struct source_result *out, struct error *err)
{
	enum status st;
	bool keep;
	char period[8];

	if ((st = row_territory(c, row, &keep, err)) || !keep)
		return st;
	if (c->idx[COL_TYPE] != CSVREAD_NONE && strcmp(row->field[c->idx[COL_TYPE]], "Brutes"))
		return bad_field(c, row, COL_TYPE, err,
				 "is not \"Brutes\" (only raw counts are read)");
	const char *date = row->field[c->idx[COL_DATE]];
	if (strlen(date) != 7 || !text_digits(date, 4) || date[4] != '-' || date[5] != 'T' ||
	    date[6] < '1' || date[6] > '4')
		return bad_field(c, row, COL_DATE, err, "is not a quarter YYYY-Tn");
	if (c->lay->q4_only && date[6] != '4')
		return TERRAIN_OK;
	memcpy(period, date, 5);
	period[5] = 'Q';
	period[6] = date[6];
	period[7] = '\0';
	if ((st = row_indicator(c, row, err)))
		return st;

	const char *count = row->field[c->idx[COL_COUNT]];
	double value = NAN;
	enum obs_status status = OBS_MISSING;
	if (*count) {
		if (!text_parse_double(count, &value) || value < 0)
			return bad_field(c, row, COL_COUNT, err, "is not a count");
		status = OBS_ROUNDED;
	}

	struct observation *ob = obs_list_push(&out->obs);
	ob->value = value;
	ob->status = status;
	if ((st = observation_set(ob->territory, sizeof(ob->territory), "territory",
				  c->territory.buf, err)) ||
	    (st = observation_set(ob->indicator, sizeof(ob->indicator), "indicator id",
				  c->indicator.buf, err)) ||
	    (st = observation_set(ob->period, sizeof(ob->period), "period", period, err)) ||
	    (st = observation_set(ob->unit, sizeof(ob->unit), "unit", "persons", err)) ||
	    (st = observation_set(ob->source, sizeof(ob->source), "source", "dares", err)) ||
	    (st = observation_set(ob->dataset, sizeof(ob->dataset), "dataset", c->req->dataset,
				  err))) {
		error_prefix(err, "%s:%lu", c->req->url, row->line);
		return st;
	}
	return TERRAIN_OK;
}

static enum status parse_csv(const struct source_request *req, const char *body, size_t len,
			     const struct dares_layout *lay, struct source_result *out,
			     struct error *err)
{
	struct dares_ctx c = {req, lay, NULL, {0}, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	struct csvread_opts o;
	const struct csvrow *row;
	size_t n0 = out->obs.n;
	enum status st;

	csvread_opts_init(&o); /* ';', UTF-8 with or without a BOM, strict width */
	if ((st = csvread_open_mem(&c.r, req->url, body ? body : "", len, &o, err)) ||
	    (st = find_columns(c.r, lay, c.idx, err)))
		goto out;
	while (!(st = csvread_next(c.r, &row, err)) && row)
		if ((st = parse_row(&c, row, out, err)))
			goto out;
out:
	if (st)
		out->obs.n = n0;
	csvread_free(c.r);
	strbuf_release(&c.territory);
	strbuf_release(&c.indicator);
	strbuf_release(&c.q);
	return st;
}

enum status dares_parse(const struct source_request *req, const char *body, size_t len,
			struct source_result *out, struct error *err)
{
	if (req->dataset && !strcmp(req->dataset, DARES_ZE_DATASET)) {
		struct dares_layout q4 = ze_layout;
		q4.q4_only = true;
		return parse_csv(req, body, len, &q4, out, err);
	}
	return parse_csv(req, body, len, &communes_layout, out, err);
}

enum status dares_parse_ze(const struct source_request *req, const char *body, size_t len,
			   struct source_result *out, struct error *err)
{
	return parse_csv(req, body, len, &ze_layout, out, err);
}
