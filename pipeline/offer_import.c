/* terrain offer import: the SIAE of a territory that terrain fetch stored,
 * as rows of the offer inventory to complete; an existing inventory's rows
 * kept as they are. */
#include "offer_import.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/store.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/offer.h"
#include "../report/format.h"
#include "pipeline.h"

/* What the import writes: the rows the file had, then the new ones. */
struct import {
	const struct geo *g;
	const struct offer *have; /* the existing file's rows */
	char *unit_of;		  /* geo.ncom flags: the commune is in the territory */
	struct siae_structure *add;
	size_t nadd, alloc_add;
	size_t outside, nocode, known;
	char retrieved[32];
	struct strbuf comments; /* the existing file's leading '#' lines */
	struct strbuf fa, fb;	/* folded names */
	const char *territory;
};

static enum offer_type type_of(const char *kind)
{
	for (int k = 0; k < OFFER_NTYPES - 1; k++)
		if (!strcasecmp(kind, offer_type_name((enum offer_type)k)))
			return (enum offer_type)k;
	return OFFER_OTHER;
}

static bool already(const struct import *im, const struct siae_structure *x, size_t com)
{
	for (size_t i = 0; i < im->have->n; i++) {
		const struct offer_structure *s = &im->have->v[i];
		if (*x->siret && !strcmp(s->siret, x->siret))
			return true;
		if (!strcasecmp(s->name, x->name) && s->commune == com)
			return true;
	}
	return false;
}

/* The directory gives a postcode and a city name, not a commune code:
 * the current commune of the département with that name (accents, case,
 * "ST" and a "CEDEX" suffix aside), when exactly one has it. */
static size_t commune_by_name(const struct geo *g, const struct siae_structure *x, struct strbuf *a,
			      struct strbuf *b)
{
	char dep[4] = "";
	if (*x->dep)
		snprintf(dep, sizeof(dep), "%s", x->dep);
	else if (strlen(x->postcode) == 5)
		territory_dep_prefix(x->postcode, dep);
	if (!*dep || !*x->city)
		return GEO_NONE;
	strbuf_reset(a);
	text_fold(x->city, a);
	char *cedex = strstr(a->buf, " cedex");
	if (cedex)
		strbuf_setlen(a, (size_t)(cedex - a->buf));
	size_t found = GEO_NONE;
	for (size_t i = 0; i < g->ncom; i++) {
		const struct geo_commune *c = &g->com[i];
		if (c->kind != GEO_COM || strcmp(c->dep, dep))
			continue;
		strbuf_reset(b);
		text_fold(c->name, b);
		if (strcmp(a->buf, b->buf))
			continue;
		if (found != GEO_NONE)
			return GEO_NONE; /* two communes of that name: ambiguous */
		found = i;
	}
	return found;
}

static int take(const struct siae_structure *x, const char *retrieved, void *arg)
{
	struct import *im = arg;
	bool merged;
	size_t com = *x->insee ? geo_convert(im->g, x->insee, &merged)
			       : commune_by_name(im->g, x, &im->fa, &im->fb);
	if (com == GEO_NONE) {
		im->nocode++;
		return 0;
	}
	if (!im->unit_of[com]) {
		im->outside++;
		return 0;
	}
	if (already(im, x, com)) {
		im->known++;
		return 0;
	}
	for (size_t i = 0; i < im->nadd; i++) /* one row per structure */
		if (!strcmp(im->add[i].siret, x->siret) && !strcmp(im->add[i].name, x->name))
			return 0;
	ALLOC_GROW(im->add, im->nadd + 1, im->alloc_add);
	im->add[im->nadd] = *x;
	snprintf(im->add[im->nadd].insee, sizeof(im->add[im->nadd].insee), "%s",
		 im->g->com[com].code); /* the commune it was matched to */
	im->nadd++;
	if (retrieved && strcmp(retrieved, im->retrieved) > 0)
		snprintf(im->retrieved, sizeof(im->retrieved), "%s", retrieved);
	return 0;
}

static void render_offer(FILE *fp, const void *arg)
{
	const struct import *im = arg;
	static const char *const head[] = {"name",   "siret", "type",  "commune",
					   "places", "etp",   "public"};
	time_t now = time(NULL);
	struct tm tm;
	char today[16];
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (im->comments.len)
		fputs(im->comments.buf, fp);
	else
		fprintf(fp,
			"# Offer inventory of %s: one row per insertion structure (README.md, "
			"\"Offer inventory\").\n",
			im->territory);
	if (im->nadd)
		fprintf(fp,
			"# %s, terrain offer import: %zu structure%s added from les emplois de "
			"l'inclusion (retrieved %.10s); the directory gives no capacity: fill in "
			"places or etp.\n",
			today, im->nadd, im->nadd > 1 ? "s" : "", im->retrieved);
	format_csv_row_sep(fp, head, 7, ';');
	char places[32], etp[32];
	for (size_t i = 0; i < im->have->n; i++) {
		const struct offer_structure *s = &im->have->v[i];
		format_csv_number_buf(places, sizeof(places), s->places);
		format_csv_number_buf(etp, sizeof(etp), s->etp);
		const char *row[] = {s->name,
				     s->siret,
				     offer_type_name(s->type),
				     im->g->com[s->commune].code,
				     places,
				     etp,
				     s->public_};
		format_csv_row_sep(fp, row, 7, ';');
	}
	for (size_t i = 0; i < im->nadd; i++) {
		const struct siae_structure *x = &im->add[i];
		const char *row[] = {
		    x->name, x->siret, offer_type_name(type_of(x->kind)), x->insee, "", "", ""};
		format_csv_row_sep(fp, row, 7, ';');
	}
}

/* The '#' lines at the top of path, kept when the file is rewritten. */
static void leading_comments(const char *path, struct strbuf *out)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp) && line[0] == '#') {
		strbuf_addstr(out, line);
		if (!strchr(line, '\n'))
			strbuf_addch(out, '\n');
	}
	fclose(fp);
}

enum status offer_import_run(const char *config, const char *datadir, const char *code,
			     const char *store_opt, const char *output, struct error *err)
{
	struct project p = {0};
	struct bundle b = {0};
	struct offer have = {0};
	struct store *s = NULL;
	struct strbuf path = STRBUF_INIT, outpath = STRBUF_INIT;
	struct import im = {0};
	struct territory t;
	bool loaded = false;
	size_t *u = NULL;
	enum status st;
	strbuf_init(&im.comments);
	strbuf_init(&im.fa);
	strbuf_init(&im.fb);
	if ((st = pipeline_load_project(config, &p, &loaded, err)) ||
	    (st = pipeline_load_bundle(datadir, &b, err)))
		goto out;
	if (code) {
		if (loaded && (st = project_resolve_customs(&p, &b.geo, err)))
			goto out;
		if ((st = territory_lookup(&b.geo, code, loaded ? p.resolved : NULL,
					   loaded ? p.ncustom : 0, &t, err)))
			goto out;
		pipeline_warn_postcode(&b.geo, "--territory", code);
	} else if (loaded) {
		struct territory refs[PROJECT_MAX_REFS];
		size_t nref;
		if ((st = project_resolve(&p, &b.geo, &t, refs, &nref, err)))
			goto out;
	} else {
		st = error_set(err, TERRAIN_EUSAGE,
			       "offer import needs --territory CODE or a project file");
		goto out;
	}
	if (output)
		strbuf_addstr(&outpath, output);
	if (outpath.len && access(outpath.buf, F_OK) == 0) {
		/* an existing inventory: its rows stay as they are */
		if ((st = offer_load(&b.geo, outpath.buf, &have, err)))
			goto out;
		leading_comments(outpath.buf, &im.comments);
	}
	if ((st = pipeline_open_store(&p, loaded, store_opt, &s, &path, err)))
		goto out;
	if (!s) {
		st = error_set(err, TERRAIN_EDATA,
			       "no store at %s: run 'terrain fetch --source siae' first", path.buf);
		goto out;
	}
	im.g = &b.geo;
	im.have = &have;
	im.territory = t.code;
	im.unit_of = xcalloc(b.geo.ncom ? b.geo.ncom : 1, 1);
	size_t n = territory_units(&b.geo, &t, &u);
	for (size_t k = 0; k < n; k++)
		im.unit_of[u[k]] = 1;
	for (size_t k = 0; k < b.geo.ncom; k++) /* a city's arrondissements are the city's */
		if (b.geo.com[k].kind == GEO_ARM && b.geo.com[k].city != GEO_NONE &&
		    im.unit_of[b.geo.com[k].city])
			im.unit_of[k] = 1;
	if ((st = store_each_structure(s, NULL, take, &im, err)))
		goto out;
	if (outpath.len) {
		if ((st = format_write_file(outpath.buf, render_offer, &im, err)))
			goto out;
	} else {
		render_offer(stdout, &im);
	}
	log_note("offer import: %zu structures added, %zu already listed, %zu kept from the file; "
		 "%zu outside %s and %zu whose commune could not be identified left out",
		 im.nadd, im.known, have.n, im.outside, t.code, im.nocode);
	if (im.nadd)
		log_note("the directory gives no capacity: fill in places or etp for the %zu new "
			 "structures",
			 im.nadd);
out:
	free(u);
	free(im.unit_of);
	free(im.add);
	strbuf_release(&im.comments);
	strbuf_release(&im.fa);
	strbuf_release(&im.fb);
	strbuf_release(&path);
	strbuf_release(&outpath);
	store_close(s);
	offer_release(&have);
	bundle_release(&b);
	project_release(&p);
	return st;
}
