#include "bdm.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"

/* The REF_AREA of the France hors Mayotte series, asked for "fr". */
#define BDM_FRANCE "FR-D976"

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789");
	return !s[n] && n >= min && n <= max;
}

/* The typed territory code of a REF_AREA into out (reset first); false for
 * an area this module does not know. */
static bool ref_area_territory(const char *ref, struct strbuf *out)
{
	strbuf_reset(out);
	if (strcmp(ref, "FM") == 0) {
		strbuf_addstr(out, "frm");
	} else if (strcmp(ref, BDM_FRANCE) == 0) {
		strbuf_addstr(out, "fr");
	} else if (ref[0] == 'R' && all_digits(ref + 1, 2, 2)) {
		strbuf_addf(out, "reg:%s", ref + 1);
	} else if (ref[0] == 'D' &&
		   (all_digits(ref + 1, 2, 3) ||
		    ((ref[1] == '2') && (ref[2] == 'A' || ref[2] == 'B') && !ref[3]))) {
		strbuf_addf(out, "dep:%s", ref + 1);
	} else {
		return false;
	}
	return true;
}

void bdm_idbanks_release(struct bdm_idbanks *ids)
{
	free(ids->v);
	ids->v = NULL;
	ids->n = ids->alloc = 0;
}

const struct bdm_idbank *bdm_idbanks_find(const struct bdm_idbanks *ids, const char *ref_area)
{
	for (size_t i = 0; i < ids->n; i++)
		if (strcmp(ids->v[i].ref_area, ref_area) == 0)
			return &ids->v[i];
	return NULL;
}

/* Copy field col of row into dst of capacity cap, or say it is too long. */
static enum status copy_field(const struct csvread *r, const struct csvrow *row, size_t col,
			      char *dst, size_t cap, struct error *err)
{
	if (row->len[col] >= cap)
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "value is too long (at most %zu bytes)", cap - 1);
	memcpy(dst, row->field[col], row->len[col] + 1);
	return TERRAIN_OK;
}

enum status bdm_idbanks_load(const char *path, struct bdm_idbanks *out, struct error *err)
{
	static const char *const names[] = {"idbank", "ref_area", "title_fr"};
	struct csvread_opts o;
	struct csvread *r = NULL;
	const struct csvrow *row;
	struct strbuf scratch = STRBUF_INIT;
	size_t col[3];
	enum status st;

	csvread_opts_init(&o);
	o.comments = true;
	if ((st = csvread_open(&r, path, &o, err)) || (st = csvread_require(r, names, 3, col, err)))
		goto out;
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct bdm_idbank *b = &out->v[out->n];
		if ((st = copy_field(r, row, col[0], b->idbank, sizeof(b->idbank), err)) ||
		    (st = copy_field(r, row, col[1], b->ref_area, sizeof(b->ref_area), err)) ||
		    (st = copy_field(r, row, col[2], b->title, sizeof(b->title), err)))
			goto out;
		if (!all_digits(b->idbank, 1, 15)) {
			st = csvread_field_error(r, row, col[0], TERRAIN_EDATA, err,
						 "idbank \"%s\" is not 1 to 15 digits", b->idbank);
			goto out;
		}
		if (!ref_area_territory(b->ref_area, &scratch)) {
			st = csvread_field_error(
			    r, row, col[1], TERRAIN_EDATA, err,
			    "unknown REF_AREA \"%s\" (expected D + département, "
			    "R + région, FM or " BDM_FRANCE ")",
			    b->ref_area);
			goto out;
		}
		for (size_t i = 0; i < out->n; i++) {
			if (strcmp(out->v[i].ref_area, b->ref_area) == 0 ||
			    strcmp(out->v[i].idbank, b->idbank) == 0) {
				st = csvread_field_error(
				    r, row, strcmp(out->v[i].idbank, b->idbank) ? col[1] : col[0],
				    TERRAIN_EDATA, err, "%s is listed twice",
				    strcmp(out->v[i].idbank, b->idbank) ? b->ref_area : b->idbank);
				goto out;
			}
		}
		out->n++;
	}
out:
	if (st)
		bdm_idbanks_release(out);
	if (r)
		csvread_free(r);
	strbuf_release(&scratch);
	return st;
}

enum status bdm_plan(const char *base, const struct bdm_idbanks *ids, const struct geo *g,
		     const struct territory *t, struct source_plan *plan, struct error *err)
{
	struct strbuf ref = STRBUF_INIT, url = STRBUF_INIT;
	const char *colon = strchr(t->code, ':');
	(void)g;
	(void)err;
	switch (t->type) {
	case TERRITORY_DEP:
	case TERRITORY_REG:
		if (colon)
			strbuf_addf(&ref, "%c%s", t->type == TERRITORY_DEP ? 'D' : 'R', colon + 1);
		break;
	case TERRITORY_FR:
		strbuf_addstr(&ref, BDM_FRANCE);
		break;
	case TERRITORY_COM:
	case TERRITORY_ARM:
	case TERRITORY_EPCI:
	case TERRITORY_CUSTOM:
	case TERRITORY_ZE: /* the idbanks file lists départements, régions, France */
	case TERRITORY_BV:
	case TERRITORY_UU:
	case TERRITORY_AAV:
		break;
	}
	const struct bdm_idbank *b = ref.len ? bdm_idbanks_find(ids, ref.buf) : NULL;
	if (b) {
		strbuf_addf(&url, "%s/series/sdmx/data/SERIES_BDM/%s", base, b->idbank);
		source_plan_add(plan, url.buf, NULL, b->idbank, t->code, SOURCE_XML);
	}
	strbuf_release(&ref);
	strbuf_release(&url);
	return TERRAIN_OK;
}

/* Parsing state of one message. */
struct bdm_ctx {
	const struct source_request *req;
	struct strbuf territory, idbank, vintage, unit, ref, period, value, st, qual, rev, q1, q2;
};

static bool is_element(const xmlNode *n, const char *local_name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local_name) == 0;
}

/* The value of the unqualified attribute name of n into out (reset
 * first); false when n has none. */
static bool get_attr(xmlNode *n, const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!v)
		return false;
	strbuf_addstr(out, (const char *)v);
	xmlFree(v);
	return true;
}

/* Set err to "URL: line L: " and the formatted message. */
static enum status at(const struct bdm_ctx *c, xmlNode *n, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum status at(const struct bdm_ctx *c, xmlNode *n, struct error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, TERRAIN_EDATA, fmt, ap);
	va_end(ap);
	error_prefix(err, "%s: line %ld", c->req->url, xmlGetLineNo(n));
	return TERRAIN_EDATA;
}

/* "NaN" in any case: what SDMX writes for a missing value. */
static bool is_nan_text(const char *s)
{
	return (s[0] == 'N' || s[0] == 'n') && (s[1] == 'a' || s[1] == 'A') &&
	       (s[2] == 'N' || s[2] == 'n') && !s[3];
}

static enum status parse_obs(struct bdm_ctx *c, xmlNode *n, struct source_result *out,
			     struct error *err)
{
	enum status st;
	if (!get_attr(n, "TIME_PERIOD", &c->period) || !c->period.len)
		return at(c, n, err, "<Obs> has no TIME_PERIOD (series %s)", c->idbank.buf);
	bool has_value = get_attr(n, "OBS_VALUE", &c->value);
	get_attr(n, "OBS_STATUS", &c->st);
	get_attr(n, "OBS_QUAL", &c->qual);
	get_attr(n, "OBS_REV", &c->rev);

	struct observation *o = obs_list_push(&out->obs);
	if (!has_value || !c->value.len || is_nan_text(c->value.buf)) {
		o->value = NAN;
		o->status = OBS_MISSING;
	} else if (!text_parse_double(c->value.buf, &o->value)) {
		return at(c, n, err,
			  "<Obs TIME_PERIOD=%s> OBS_VALUE %s is not a number (series %s)",
			  source_quote(c->period.buf, &c->q1), source_quote(c->value.buf, &c->q2),
			  c->idbank.buf);
	} else if (strcmp(c->st.buf, "SD") == 0 || strcmp(c->qual.buf, "SD") == 0) {
		o->status = OBS_PROVISIONAL;
	} else if (strcmp(c->rev.buf, "1") == 0) {
		o->status = OBS_REVISED;
	} else {
		o->status = OBS_FINAL;
	}
	if ((st = observation_set(o->territory, sizeof(o->territory), "territory", c->territory.buf,
				  err)) ||
	    (st = observation_set(o->indicator, sizeof(o->indicator), "indicator", BDM_INDICATOR,
				  err)) ||
	    (st = observation_set(o->period, sizeof(o->period), "<Obs> TIME_PERIOD", c->period.buf,
				  err)) ||
	    (st = observation_set(o->unit, sizeof(o->unit), "unit", "percent", err)) ||
	    (st = observation_set(o->source, sizeof(o->source), "source", "bdm", err)) ||
	    (st = observation_set(o->dataset, sizeof(o->dataset), "<Series> IDBANK", c->idbank.buf,
				  err)) ||
	    (st = observation_set(o->vintage, sizeof(o->vintage), "<Series> LAST_UPDATE",
				  c->vintage.buf, err)))
		error_prefix(err, "%s: line %ld", c->req->url, xmlGetLineNo(n));
	return st;
}

static enum status parse_series(struct bdm_ctx *c, xmlNode *s, struct source_result *out,
				struct error *err)
{
	enum status st;
	if (!get_attr(s, "IDBANK", &c->idbank) || !c->idbank.len)
		return at(c, s, err, "<Series> has no IDBANK");
	if (!get_attr(s, "REF_AREA", &c->ref))
		return at(c, s, err, "<Series IDBANK=%s> has no REF_AREA",
			  source_quote(c->idbank.buf, &c->q1));
	if (!ref_area_territory(c->ref.buf, &c->territory))
		return at(c, s, err,
			  "<Series IDBANK=%s> REF_AREA %s is not a known area (expected D + "
			  "département, R + région, FM or " BDM_FRANCE ")",
			  source_quote(c->idbank.buf, &c->q1), source_quote(c->ref.buf, &c->q2));
	if (get_attr(s, "UNIT_MEASURE", &c->unit) && strcmp(c->unit.buf, "POURCENT") != 0)
		return at(c, s, err, "<Series IDBANK=%s> UNIT_MEASURE %s is not POURCENT",
			  source_quote(c->idbank.buf, &c->q1), source_quote(c->unit.buf, &c->q2));
	get_attr(s, "LAST_UPDATE", &c->vintage);
	for (xmlNode *n = s->children; n; n = n->next)
		if (is_element(n, "Obs") && (st = parse_obs(c, n, out, err)))
			return st;
	return TERRAIN_OK;
}

/* libxml2's message without its final newline. */
static void trim_end(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

enum status bdm_parse(const struct source_request *req, const char *body, size_t len,
		      struct source_result *out, struct error *err)
{
	struct bdm_ctx c = {req,	 STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
			    STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
			    STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	struct strbuf *bufs[] = {&c.territory, &c.idbank, &c.vintage, &c.unit, &c.ref, &c.period,
				 &c.value,     &c.st,	  &c.qual,    &c.rev,  &c.q1,  &c.q2};
	size_t n0 = out->obs.n;
	enum status st = TERRAIN_OK;
	xmlDoc *doc = NULL;
	xmlParserCtxt *ctxt = NULL;

	if (len > INT_MAX) {
		st = error_set(err, TERRAIN_EDATA, "%s: the XML body is too large (%zu bytes)",
			       req->url, len);
		goto out;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot create an XML parser", req->url);
		goto out;
	}
	/* No network, no DTD loading and no entity substitution (no
	 * XML_PARSE_NOENT / DTDLOAD / HUGE): a payload must not reach out or
	 * blow up.  BIG_LINES keeps line numbers past 65 535 right. */
	doc = xmlCtxtReadMemory(ctxt, body ? body : "", (int)len, req->url, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				    XML_PARSE_BIG_LINES);
	if (!doc) {
		xmlError *e = xmlCtxtGetLastError(ctxt);
		if (e && e->message) {
			char msg[512];
			snprintf(msg, sizeof(msg), "%s", e->message);
			trim_end(msg);
			st = error_set(err, TERRAIN_EDATA,
				       "%s: invalid XML at line %d, column %d: %s", req->url,
				       e->line, e->int2, msg);
		} else {
			st = error_set(err, TERRAIN_EDATA, "%s: invalid XML", req->url);
		}
		goto out;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	if (doc->intSubset || doc->extSubset) {
		st = error_set(
		    err, TERRAIN_EDATA,
		    "%s: a DOCTYPE is not allowed in an SDMX message (no DTD, no entities)",
		    req->url);
		goto out;
	}
	if (!root || !is_element(root, "StructureSpecificData")) {
		st = at(&c, root ? root : (xmlNode *)doc, err,
			"the root element is <%s>, expected an SDMX StructureSpecificData message",
			root ? (const char *)root->name : "");
		goto out;
	}
	for (xmlNode *ds = root->children; ds; ds = ds->next) {
		if (!is_element(ds, "DataSet"))
			continue;
		for (xmlNode *s = ds->children; s; s = s->next)
			if (is_element(s, "Series") && (st = parse_series(&c, s, out, err)))
				goto out;
	}
out:
	if (st)
		out->obs.n = n0;
	strbuf_reset(&out->next); /* the BDM does not page */
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		strbuf_release(bufs[i]);
	return st;
}

enum status bdm_series_load(const char *path, struct obs_list *out, struct error *err)
{
	static const char *const cols[] = {"idbank", "ref_area",   "period",
					   "value",  "obs_status", "obs_qual"};
	struct csvread_opts o;
	struct csvread *r = NULL;
	struct strbuf terr = STRBUF_INIT;
	size_t idx[6];
	enum status st;
	csvread_opts_init(&o);
	o.comments = true;
	if ((st = csvread_open(&r, path, &o, err)) || (st = csvread_require(r, cols, 6, idx, err)))
		goto out;
	const struct csvrow *row;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *ref = row->field[idx[1]], *val = row->field[idx[3]];
		if (!ref_area_territory(ref, &terr)) {
			st = csvread_field_error(r, row, idx[1], TERRAIN_EDATA, err,
						 "unknown REF_AREA \"%s\" (expected D + a "
						 "département, R + a région, FM or FR-D976)",
						 ref);
			goto out;
		}
		struct observation *ob = obs_list_push(out);
		if (!*val || is_nan_text(val)) {
			ob->status = OBS_MISSING;
		} else if (!text_parse_double(val, &ob->value)) {
			st = csvread_field_error(
			    r, row, idx[3], TERRAIN_EDATA, err,
			    "\"%s\" is not a number (expected a rate such as 6.6)", val);
			goto out;
		} else if (!strcmp(row->field[idx[4]], "SD") || !strcmp(row->field[idx[5]], "SD")) {
			ob->status = OBS_PROVISIONAL;
		}
		struct error e;
		if (observation_set(ob->territory, sizeof(ob->territory), "territory", terr.buf,
				    &e) ||
		    observation_set(ob->indicator, sizeof(ob->indicator), "indicator",
				    BDM_INDICATOR, &e) ||
		    observation_set(ob->period, sizeof(ob->period), "period", row->field[idx[2]],
				    &e) ||
		    observation_set(ob->dataset, sizeof(ob->dataset), "idbank", row->field[idx[0]],
				    &e)) {
			st = csvread_field_error(r, row, idx[2], TERRAIN_EDATA, err, "%s", e.msg);
			goto out;
		}
		strcpy(ob->unit, "percent");
		strcpy(ob->source, "bdm");
	}
out:
	csvread_free(r);
	strbuf_release(&terr);
	return st;
}
