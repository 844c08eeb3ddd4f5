#include "territory_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/xalloc.h"

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- notes shared by the formats ---------------------------------------- */

/* Why a commune's figure in the package of year is what it is. */
static void cog_note(const struct geo *g, size_t i, int y, struct strbuf *sb)
{
	const struct geo_commune *c = &g->com[i];
	int year = GEO_COG_FIRST + y;
	size_t nf = 0;
	if (c->kind == GEO_FORMER)
		return;
	const char *old;
	size_t oldlen;
	if (c->pop[y] >= 0 && geo_former_name(c->former_names, year, &old, &oldlen)) {
		strbuf_addf(sb, "named %.*s in this package", (int)oldlen, old);
		nf++;
	}
	for (size_t j = 0; j < g->ncom; j++) {
		const struct geo_commune *f = &g->com[j];
		if (f->kind != GEO_FORMER || f->successor != i || f->pop[y] < 0)
			continue;
		strbuf_addf(sb, "%s%s %s %s (", nf ? "; " : "",
			    c->pop[y] >= 0 ? "includes" : "listed as", f->code, f->name);
		format_count(sb, (double)f->pop[y]);
		strbuf_addch(sb, ')');
		nf++;
	}
	if (nf || c->pop[y] >= 0)
		return;
	if (c->first_cog > year) {
		strbuf_addf(sb, "not listed: created in COG %d", c->first_cog);
		if (geo_commune_split_created(g, i))
			strbuf_addstr(sb, " by a split (the files do not name the commune it "
					  "came from)");
	} else {
		strbuf_addstr(sb, "no population in this package");
	}
}

static void census_note(const struct geo *g, size_t i, int census_cog, bool missing,
			struct strbuf *sb)
{
	const struct geo_commune *c = &g->com[i];
	if (missing) {
		if (c->first_cog > census_cog)
			strbuf_addf(sb, "created in COG %d, after the source's geography (COG %d)",
				    c->first_cog, census_cog);
		else
			strbuf_addstr(sb, "not available in the source");
		return;
	}
	size_t nf = 0;
	for (size_t j = 0; j < g->ncom; j++) {
		const struct geo_commune *f = &g->com[j];
		if (f->kind != GEO_FORMER || f->successor != i || f->last_cog < census_cog)
			continue;
		strbuf_addf(sb, "%s%s %s", nf++ ? ", " : "includes ", f->code, f->name);
	}
	if (nf)
		strbuf_addf(sb, " (separate in the source's COG %d)", census_cog);
}

static void coverage_note(const struct portrait_figure *f, struct strbuf *sb)
{
	strbuf_addf(sb, "%zu/%zu communes", f->covered, f->units);
}

/* What the note column says for a figure: the commune's reason, or the
 * coverage of an aggregate. */
static bool is_single(const struct portrait *p)
{
	return p->t.type == TERRITORY_COM || p->t.type == TERRITORY_ARM;
}

static void from_note(const struct geo *g, const struct territory *t, struct strbuf *sb)
{
	const struct geo_commune *f = &g->com[t->from];
	const struct geo_commune *s = &g->com[t->index];
	strbuf_addf(sb, "com:%s %s is a former commune, part of com:%s %s", f->code,
		    *f->name ? f->name : "(name not in the files)", s->code, s->name);
	if (f->last_cog)
		strbuf_addf(sb, " since COG %d (last listed in COG %d)", f->last_cog + 1,
			    f->last_cog);
	else
		strbuf_addf(sb, " since before COG %d (the packages start in %d)", GEO_COG_FIRST,
			    GEO_COG_FIRST);
	if (f->delegated)
		strbuf_addf(sb, "; now a commune %s",
			    f->delegated == 'd' ? "déléguée" : "associée");
}

struct parent {
	const char *role;
	struct territory t;
};

static size_t parents(const struct geo *g, const struct territory *t, struct parent out[4])
{
	size_t n = 0;
	if (t->type != TERRITORY_COM && t->type != TERRITORY_ARM)
		return 0;
	const struct geo_commune *c = &g->com[t->index];
	size_t epci = c->epci;
	if (c->kind == GEO_ARM) {
		out[n].role = "city";
		territory_of_commune(g, c->city, &out[n++].t);
		epci = g->com[c->city].epci;
	}
	if (epci != GEO_NONE) {
		out[n].role = "epci";
		territory_of_epci(g, epci, &out[n++].t);
	}
	if (c->dep_index != GEO_NONE) {
		out[n].role = "dep";
		territory_of_dep(g, c->dep_index, &out[n++].t);
		out[n].role = "reg";
		territory_of_reg(g, g->dep[c->dep_index].reg_index, &out[n++].t);
	}
	return n;
}

/* Are the zonages a source of what is shown: a commune's zones, or a zone
 * as the territory or a reference? */
static bool cites_zonages(const struct territory_view *v)
{
	if (v->zonage || territory_zonage(v->portrait->t.type) != GEO_NZONAGE)
		return true;
	for (size_t i = 0; i < v->nrefs; i++)
		if (territory_zonage(v->refs[i].type) != GEO_NZONAGE)
			return true;
	return false;
}

static const char *type_detail(const struct geo *g, const struct territory *t)
{
	switch (t->type) {
	case TERRITORY_EPCI:
		return g->epci[t->index].type;
	case TERRITORY_DEP:
		return g->dep[t->index].zone == GEO_ZONE_COM ? "collectivité d'outre-mer" : NULL;
	case TERRITORY_REG:
		return g->reg[t->index].zone == GEO_ZONE_COM ? "collectivité d'outre-mer" : NULL;
	default:
		return NULL;
	}
}

static const char *role_label(const char *role)
{
	if (!strcmp(role, "city"))
		return "commune";
	if (!strcmp(role, "epci"))
		return "EPCI";
	if (!strcmp(role, "dep"))
		return "département";
	return "région";
}

/* ---- zonages ---------------------------------------------------------------- */

static const char *const zonage_keys[GEO_NZONAGE] = {"ze2020", "bv2022", "uu2020", "aav2020"};

/* Why a zone is what it is: outside any, or not in the bundle. */
static void zonage_note(const struct territory_view *v, int l, struct strbuf *sb)
{
	const struct geo_zonage_of *z = v->zonage;
	if (z->code[l] && geo_zone_outside((enum geo_zonage)l, z->code[l]))
		strbuf_addf(sb, "outside any %s",
			    l == GEO_UU ? "unité urbaine" : "aire d'attraction");
	else if (!z->code[l]) {
		strbuf_addstr(sb, "not in the bundle: the COG 2024 communes it is made of, ");
		for (const char *c = v->zonage_cog2024; *c; c++)
			if (*c == '|')
				strbuf_addstr(sb, ", ");
			else
				strbuf_addch(sb, *c);
		strbuf_addstr(sb, ", were in different zones");
	}
}

/* The category's note: INSEE's label, or why there is none. */
static const char *category_text(const struct geo_zonage_of *z)
{
	const char *label = geo_aav_category_label(z->category);
	return label ? label
		     : "not in the bundle (the table d'appartenance gives only \"hors "
		       "attraction\")";
}

/* ---- text ----------------------------------------------------------------- */

/* One line of aligned cells; a negative width right-aligns.  The last cell
 * is not padded. */
static void text_row(FILE *fp, const char *indent, const char *const *cells, const int *width,
		     size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, indent);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&sb, ' ');
		if (width[i] < 0)
			format_pad_left(&sb, cells[i], (size_t)-width[i]);
		else if (i + 1 < n)
			format_pad(&sb, cells[i], (size_t)width[i]);
		else
			strbuf_addstr(&sb, cells[i]);
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		strbuf_setlen(&sb, sb.len - 1);
	fprintf(fp, "%s\n", sb.buf);
	strbuf_release(&sb);
}

static void text_field(FILE *fp, const char *label, const char *value)
{
	static const int w[] = {13, 0};
	const char *cells[] = {label, value};
	text_row(fp, "  ", cells, w, 2);
}

static void text_source(FILE *fp, const struct provenance *p)
{
	if (!p)
		return;
	fprintf(fp, "  %s\n    %s: %s\n    %s; codes of COG %s\n    %s; licence %s; retrieved %s\n",
		p->file, p->source, p->dataset, p->vintage, p->geography, p->url, p->licence,
		p->retrieved);
}

static void text_figure(FILE *fp, const char *label, const struct portrait_figure *f,
			const char *note)
{
	static const int w[] = {10, -12, 1, 0};
	struct strbuf sb = STRBUF_INIT;
	format_count(&sb, f->value);
	const char *cells[] = {label, sb.buf, "", note ? note : ""};
	text_row(fp, "  ", cells, w, 4);
	strbuf_release(&sb);
}

/* What the QPV count of t does not say. */
static const char *qpv_note(const struct territory *t)
{
	return t->type == TERRITORY_ARM
		   ? "ANCT's list places the QPV in the city, not in its arrondissements"
		   : "no population per QPV is bundled";
}

static void report_text(FILE *fp, const struct territory_view *v)
{
	const struct geo *g = v->geo;
	const struct portrait *p = v->portrait;
	const struct territory *t = &p->t;
	struct strbuf sb = STRBUF_INIT;
	struct parent par[4];
	size_t npar = parents(g, t, par);

	if (t->from != GEO_NONE) {
		from_note(g, t, &sb);
		fprintf(fp, "%s.\n\n", sb.buf);
		strbuf_reset(&sb);
	}
	fprintf(fp, "%s (%s)\n", t->name, t->code);
	const char *detail = type_detail(g, t);
	enum geo_zonage zl = territory_zonage(t->type);
	if (zl != GEO_NZONAGE) /* "zone d'emploi 2020 (INSEE), communes of COG 2026" */
		strbuf_addf(&sb, "%s (INSEE), communes of COG %d", geo_zonage_label(zl),
			    GEO_COG_LAST);
	else
		strbuf_addf(&sb, "%s%s%s%s, COG %d", territory_type_label(t->type),
			    detail ? " (" : "", detail ? detail : "", detail ? ")" : "",
			    GEO_COG_LAST);
	text_field(fp, "type:", sb.buf);
	for (size_t i = 0; i < npar; i++) {
		char label[32];
		snprintf(label, sizeof(label), "%s:", role_label(par[i].role));
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s %s", par[i].t.code, par[i].t.name);
		text_field(fp, label, sb.buf);
	}
	if (is_single(p) && !npar)
		text_field(fp, "parents:", "none in the geography");
	strbuf_reset(&sb);
	if (p->nmembers)
		strbuf_addf(&sb, "%zu %s", p->nmembers,
			    t->type == TERRITORY_COM ? "arrondissements municipaux" : "communes");
	else
		strbuf_addstr(&sb, "none");
	text_field(fp, "members:", sb.buf);

	if (v->zonage) {
		static const int w[] = {33, 6, 0};
		fprintf(fp, "\nZonages (INSEE, table d'appartenance géographique des communes "
			    "2024)\n");
		for (int l = 0; l < GEO_NZONAGE; l++) {
			strbuf_reset(&sb);
			if (v->zonage->name[l])
				strbuf_addstr(&sb, v->zonage->name[l]);
			struct strbuf note = STRBUF_INIT;
			zonage_note(v, l, &note);
			if (note.len)
				strbuf_addf(&sb, "%s(%s)", sb.len ? " " : "", note.buf);
			strbuf_release(&note);
			const char *cells[] = {geo_zonage_label((enum geo_zonage)l),
					       v->zonage->code[l] ? v->zonage->code[l] : "-",
					       sb.buf};
			text_row(fp, "  ", cells, w, 3);
		}
		const char *cells[] = {"category in its aire d'attraction", "",
				       category_text(v->zonage)};
		text_row(fp, "  ", cells, w, 3);
	}

	if (v->qpv) {
		/* the list for a commune or an EPCI; a département's runs long */
		bool list = t->type == TERRITORY_COM || t->type == TERRITORY_ARM ||
			    t->type == TERRITORY_EPCI || t->type == TERRITORY_CUSTOM;
		fprintf(
		    fp,
		    "\nQuartiers prioritaires de la politique de la ville (ANCT, QPV 2024): "
		    "%zu%s\n",
		    v->nqpv,
		    t->type == TERRITORY_ARM
			? " (ANCT's list places the QPV in the city, not in its arrondissements)"
		    : v->nqpv ? ""
			      : " (none)");
		for (size_t i = 0; list && i < v->nqpv; i++) {
			const struct qpv_row *q = &v->qpv->v[v->qpv_rows[i]];
			fprintf(fp, "  %s %s\n", q->code, q->name);
		}
		if (v->nqpv)
			fprintf(fp,
				"  no population per QPV is bundled (ANCT's list gives none)\n");
	}

	fprintf(fp, "\nPopulation in each COG package (population municipale; the packages "
		    "do not state its reference year)\n");
	for (int y = 0; y < GEO_NCOG; y++) {
		char label[16];
		snprintf(label, sizeof(label), "COG %d", GEO_COG_FIRST + y);
		strbuf_reset(&sb);
		if (is_single(p))
			cog_note(g, t->index, y, &sb);
		else
			coverage_note(&p->pop_cog[y], &sb);
		text_figure(fp, label, &p->pop_cog[y], sb.buf);
	}

	fprintf(fp, "\nCensus population (population municipale, INSEE recensement)\n");
	for (int k = 0; k < 2; k++) {
		char label[16];
		snprintf(label, sizeof(label), "%d",
			 k ? PORTRAIT_CENSUS_LAST : PORTRAIT_CENSUS_FIRST);
		strbuf_reset(&sb);
		if (is_single(p))
			census_note(g, t->index, v->census_cog, isnan(p->census[k].value), &sb);
		else
			coverage_note(&p->census[k], &sb);
		text_figure(fp, label, &p->census[k], sb.buf);
	}
	strbuf_reset(&sb);
	format_decimal(&sb, p->growth.value, 2);
	fprintf(fp, "  annual growth %d-%d: %s%s", PORTRAIT_CENSUS_FIRST, PORTRAIT_CENSUS_LAST,
		sb.buf, isnan(p->growth.value) ? "" : " % per year");
	if (!is_single(p)) {
		strbuf_reset(&sb);
		coverage_note(&p->growth, &sb);
		fprintf(fp, " (%s)", sb.buf);
	}
	fputc('\n', fp);

	if (v->nrefs) {
		fprintf(fp, "\nReferences\n");
		for (size_t i = 0; i < v->nrefs; i++)
			fprintf(fp, "  %s %s\n", v->refs[i].code, v->refs[i].name);
	}

	if (v->members && p->nmembers) {
		static const int w[] = {10, 40, -12};
		size_t *m;
		size_t n = territory_members(g, t, &m);
		fprintf(fp, "\nMembers (population in COG %d)\n", GEO_COG_LAST);
		for (size_t i = 0; i < n; i++) {
			struct territory mt;
			territory_of_commune(g, m[i], &mt);
			long pop = g->com[m[i]].pop[GEO_NCOG - 1];
			strbuf_reset(&sb);
			format_count(&sb, pop < 0 ? NAN : (double)pop);
			const char *cells[] = {mt.code, mt.name, sb.buf};
			text_row(fp, "  ", cells, w, 3);
		}
		free(m);
	}

	if (v->compared) {
		fprintf(fp, "\nCompared with its references\n");
		report_comparison(fp, REPORT_TEXT, v->compared, v->ncompared);
	}

	fprintf(fp, "\nSources\n");
	text_source(fp, v->pop_prov);
	text_source(fp, v->census_prov);
	if (cites_zonages(v))
		text_source(fp, v->zonage_prov);
	if (v->qpv)
		text_source(fp, v->qpv_prov);
	strbuf_release(&sb);
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_row(FILE *fp, const struct territory *t, const char *item, const char *period,
		    const char *value, const char *unit, const char *coverage, const char *note)
{
	const char *f[] = {t->code, t->name, item, period, value, unit, coverage, note};
	format_csv_row(fp, f, NFIELDS(f));
}

static void csv_figure(FILE *fp, const struct territory *t, const char *item, const char *period,
		       const struct portrait_figure *f, const char *unit, const char *note,
		       int decimals)
{
	char value[64] = "", cov[64];
	if (!isnan(f->value))
		snprintf(value, sizeof(value), "%.*f", decimals, f->value);
	snprintf(cov, sizeof(cov), "%zu/%zu", f->covered, f->units);
	csv_row(fp, t, item, period, value, unit, cov, note);
}

static void csv_source(FILE *fp, const struct territory *t, const struct provenance *p)
{
	if (!p)
		return;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s, %s (%s, codes of COG %s), %s, licence %s, retrieved %s", p->source,
		    p->dataset, p->vintage, p->geography, p->url, p->licence, p->retrieved);
	csv_row(fp, t, "source", "", p->file, "", "", sb.buf);
	strbuf_release(&sb);
}

static void report_csv(FILE *fp, const struct territory_view *v)
{
	const struct geo *g = v->geo;
	const struct portrait *p = v->portrait;
	const struct territory *t = &p->t;
	struct strbuf sb = STRBUF_INIT;
	struct parent par[4];
	size_t npar = parents(g, t, par);
	char buf[64];
	static const char *const header[] = {"territory", "name", "item",     "period",
					     "value",	  "unit", "coverage", "note"};
	format_csv_row(fp, header, NFIELDS(header));

	const char *detail = type_detail(g, t);
	csv_row(fp, t, "type", "", territory_type_label(t->type), "", "", detail ? detail : "");
	if (t->from != GEO_NONE) {
		from_note(g, t, &sb);
		snprintf(buf, sizeof(buf), "com:%s", g->com[t->from].code);
		csv_row(fp, t, "resolved_from", "", buf, "", "", sb.buf);
	}
	for (size_t i = 0; i < npar; i++) {
		char item[32];
		snprintf(item, sizeof(item), "parent_%s", par[i].role);
		csv_row(fp, t, item, "", par[i].t.code, "", "", par[i].t.name);
	}
	snprintf(buf, sizeof(buf), "%zu", p->nmembers);
	csv_row(fp, t, "member_count", "", buf, "", "", "");
	if (v->zonage) {
		for (int l = 0; l < GEO_NZONAGE; l++) {
			char item[32];
			snprintf(item, sizeof(item), "zonage_%s", zonage_keys[l]);
			strbuf_reset(&sb);
			zonage_note(v, l, &sb);
			const char *name = v->zonage->name[l] ? v->zonage->name[l] : "";
			struct strbuf note = STRBUF_INIT;
			strbuf_addf(&note, "%s%s%s", name, *name && sb.len ? "; " : "", sb.buf);
			csv_row(fp, t, item, "", v->zonage->code[l] ? v->zonage->code[l] : "", "",
				"", note.buf);
			strbuf_release(&note);
		}
		buf[0] = '\0';
		if (v->zonage->category)
			snprintf(buf, sizeof(buf), "%d", (int)v->zonage->category);
		csv_row(fp, t, "aav_category", "", buf, "", "", category_text(v->zonage));
	}
	if (v->qpv) {
		snprintf(buf, sizeof(buf), "%zu", v->nqpv);
		csv_row(fp, t, "qpv_count", "2024", buf, "QPV", "", qpv_note(t));
		for (size_t i = 0; i < v->nqpv; i++) {
			const struct qpv_row *q = &v->qpv->v[v->qpv_rows[i]];
			csv_row(fp, t, "qpv", "2024", q->code, "", "", q->name);
		}
	}
	for (int y = 0; y < GEO_NCOG; y++) {
		snprintf(buf, sizeof(buf), "%d", GEO_COG_FIRST + y);
		strbuf_reset(&sb);
		if (is_single(p))
			cog_note(g, t->index, y, &sb);
		csv_figure(fp, t, "pop_cog", buf, &p->pop_cog[y], "persons", sb.buf, 0);
	}
	for (int k = 0; k < 2; k++) {
		snprintf(buf, sizeof(buf), "%d", k ? PORTRAIT_CENSUS_LAST : PORTRAIT_CENSUS_FIRST);
		strbuf_reset(&sb);
		if (is_single(p))
			census_note(g, t->index, v->census_cog, isnan(p->census[k].value), &sb);
		csv_figure(fp, t, "pop_census", buf, &p->census[k], "persons", sb.buf, 0);
	}
	snprintf(buf, sizeof(buf), "%d-%d", PORTRAIT_CENSUS_FIRST, PORTRAIT_CENSUS_LAST);
	csv_figure(fp, t, "growth_census", buf, &p->growth, "% per year", "", 4);
	for (size_t i = 0; i < v->nrefs; i++)
		csv_row(fp, t, "reference", "", v->refs[i].code, "", "", v->refs[i].name);
	if (v->members) {
		size_t *m;
		size_t n = territory_members(g, t, &m);
		for (size_t i = 0; i < n; i++) {
			const struct geo_commune *c = &g->com[m[i]];
			snprintf(buf, sizeof(buf), "%s:%s", c->kind == GEO_ARM ? "arm" : "com",
				 c->code);
			csv_row(fp, t, "member", "", buf, "", "", c->name);
		}
		free(m);
	}
	csv_source(fp, t, v->pop_prov);
	csv_source(fp, t, v->census_prov);
	if (cites_zonages(v))
		csv_source(fp, t, v->zonage_prov);
	if (v->qpv)
		csv_source(fp, t, v->qpv_prov);
	strbuf_release(&sb);
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *json_territory(const struct territory *t)
{
	return json_pack("{s:s, s:s}", "code", t->code, "name", t->name);
}

/* {"KEY": period, "value": ..., "covered": ..., "units": ...} */
static json_t *json_figure(const char *key, int period, const struct portrait_figure *f)
{
	return json_pack("{s:i, s:o, s:I, s:I}", key, period, "value", format_json_number(f->value),
			 "covered", (json_int_t)f->covered, "units", (json_int_t)f->units);
}

static json_t *json_source(const struct provenance *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "file", p->file, "source",
			 p->source, "dataset", p->dataset, "vintage", p->vintage, "geography",
			 p->geography, "url", p->url, "licence", p->licence, "retrieved",
			 p->retrieved);
}

static void report_json(FILE *fp, const struct territory_view *v)
{
	const struct geo *g = v->geo;
	const struct portrait *p = v->portrait;
	const struct territory *t = &p->t;
	struct strbuf sb = STRBUF_INIT;
	struct parent par[4];
	size_t npar = parents(g, t, par);
	const char *detail = type_detail(g, t);

	json_t *root = json_object();
	json_object_set_new(root, "code", json_string(t->code));
	json_object_set_new(root, "name", json_string(t->name));
	json_object_set_new(root, "type", json_string(territory_type_label(t->type)));
	json_object_set_new(root, "type_detail", detail ? json_string(detail) : json_null());
	json_object_set_new(root, "cog", json_integer(GEO_COG_LAST));
	if (t->from != GEO_NONE) {
		const struct geo_commune *f = &g->com[t->from];
		char code[16];
		from_note(g, t, &sb);
		snprintf(code, sizeof(code), "com:%s", f->code);
		json_object_set_new(root, "resolved_from",
				    json_pack("{s:s, s:s, s:o, s:s}", "code", code, "name", f->name,
					      "last_listed_cog",
					      f->last_cog ? json_integer(f->last_cog) : json_null(),
					      "note", sb.buf));
	} else {
		json_object_set_new(root, "resolved_from", json_null());
	}
	json_t *jp = json_object();
	for (size_t i = 0; i < npar; i++)
		json_object_set_new(jp, par[i].role, json_territory(&par[i].t));
	json_object_set_new(root, "parents", jp);
	json_object_set_new(root, "member_count", json_integer((json_int_t)p->nmembers));
	if (v->zonage) {
		json_t *jz = json_object();
		for (int l = 0; l < GEO_NZONAGE; l++) {
			const struct geo_zonage_of *z = v->zonage;
			strbuf_reset(&sb);
			zonage_note(v, l, &sb);
			json_object_set_new(
			    jz, zonage_keys[l],
			    json_pack("{s:o, s:o, s:s}", "code",
				      z->code[l] ? json_string(z->code[l]) : json_null(), "name",
				      z->name[l] ? json_string(z->name[l]) : json_null(), "note",
				      sb.buf));
		}
		const char *label = geo_aav_category_label(v->zonage->category);
		json_object_set_new(
		    jz, "aav_category",
		    json_pack("{s:o, s:o, s:s}", "code",
			      label ? json_integer(v->zonage->category) : json_null(), "label",
			      label ? json_string(label) : json_null(), "note",
			      label ? "" : category_text(v->zonage)));
		json_object_set_new(root, "zonages", jz);
	} else {
		json_object_set_new(root, "zonages", json_null());
	}
	if (v->qpv) {
		json_t *jq = json_array();
		for (size_t i = 0; i < v->nqpv; i++) {
			const struct qpv_row *q = &v->qpv->v[v->qpv_rows[i]];
			json_array_append_new(
			    jq, json_pack("{s:s, s:s}", "code", q->code, "name", q->name));
		}
		json_object_set_new(root, "qpv",
				    json_pack("{s:I, s:o, s:s}", "count", (json_int_t)v->nqpv,
					      "list", jq, "note", qpv_note(t)));
	}
	if (v->members) {
		size_t *m;
		size_t n = territory_members(g, t, &m);
		json_t *jm = json_array();
		for (size_t i = 0; i < n; i++) {
			struct territory mt;
			territory_of_commune(g, m[i], &mt);
			json_array_append_new(jm, json_territory(&mt));
		}
		free(m);
		json_object_set_new(root, "members", jm);
	}
	json_t *jc = json_array();
	for (int y = 0; y < GEO_NCOG; y++) {
		json_t *o = json_figure("cog", GEO_COG_FIRST + y, &p->pop_cog[y]);
		strbuf_reset(&sb);
		if (is_single(p))
			cog_note(g, t->index, y, &sb);
		json_object_set_new(o, "note", json_string(sb.buf));
		json_array_append_new(jc, o);
	}
	json_object_set_new(root, "population_cog", jc);
	json_t *js = json_array();
	for (int k = 0; k < 2; k++) {
		json_t *o = json_figure("year", k ? PORTRAIT_CENSUS_LAST : PORTRAIT_CENSUS_FIRST,
					&p->census[k]);
		strbuf_reset(&sb);
		if (is_single(p))
			census_note(g, t->index, v->census_cog, isnan(p->census[k].value), &sb);
		json_object_set_new(o, "note", json_string(sb.buf));
		json_array_append_new(js, o);
	}
	json_object_set_new(root, "population_census", js);
	json_t *jg = json_figure("from", PORTRAIT_CENSUS_FIRST, &p->growth);
	json_object_set_new(jg, "to", json_integer(PORTRAIT_CENSUS_LAST));
	json_object_set_new(jg, "unit", json_string("% per year"));
	json_object_set_new(root, "growth_census", jg);
	json_t *jr = json_array();
	for (size_t i = 0; i < v->nrefs; i++)
		json_array_append_new(jr, json_territory(&v->refs[i]));
	json_object_set_new(root, "references", jr);
	json_t *jsrc = json_array();
	if (v->pop_prov)
		json_array_append_new(jsrc, json_source(v->pop_prov));
	if (v->census_prov)
		json_array_append_new(jsrc, json_source(v->census_prov));
	if (cites_zonages(v) && v->zonage_prov)
		json_array_append_new(jsrc, json_source(v->zonage_prov));
	if (v->qpv && v->qpv_prov)
		json_array_append_new(jsrc, json_source(v->qpv_prov));
	json_object_set_new(root, "sources", jsrc);
	format_json_write(fp, root);
	strbuf_release(&sb);
}

void report_territory(FILE *fp, enum report_format fmt, const struct territory_view *v)
{
	switch (fmt) {
	case REPORT_TEXT:
		report_text(fp, v);
		break;
	case REPORT_CSV:
		report_csv(fp, v);
		break;
	case REPORT_JSON:
		report_json(fp, v);
		break;
	}
}

/* ---- comparison ------------------------------------------------------------ */

void report_comparison(FILE *fp, enum report_format fmt, const struct portrait *p, size_t n)
{
	static const char *const header[] = {"territory",
					     "name",
					     ("pop_cog" GEO_COG_LAST_STR),
					     "pop_census_2015",
					     "pop_census_2021",
					     "growth_census_2015_2021",
					     "coverage_census_2021"};
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, d = STRBUF_INIT;
	json_t *arr = fmt == REPORT_JSON ? json_array() : NULL;
	if (fmt == REPORT_CSV)
		format_csv_row(fp, header, NFIELDS(header));
	static const int w[] = {16, 34, -12, -12, -12, -9, 0};
	if (fmt == REPORT_TEXT) {
		const char *cells[] = {"territory",   "name",	     ("COG " GEO_COG_LAST_STR),
				       "census 2015", "census 2021", "growth %",
				       "coverage"};
		text_row(fp, "", cells, w, NFIELDS(cells));
	}
	for (size_t i = 0; i < n; i++) {
		const struct portrait *x = &p[i];
		const struct portrait_figure *cog = &x->pop_cog[GEO_NCOG - 1];
		char cov[48];
		snprintf(cov, sizeof(cov), "%zu/%zu", x->census[1].covered, x->census[1].units);
		if (fmt == REPORT_JSON) {
			json_array_append_new(
			    arr,
			    json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "code", x->t.code,
				      "name", x->t.name, "pop_cog", format_json_number(cog->value),
				      "pop_census_2015", format_json_number(x->census[0].value),
				      "pop_census_2021", format_json_number(x->census[1].value),
				      "growth_census", format_json_number(x->growth.value),
				      "coverage_census_2021", cov));
			continue;
		}
		strbuf_reset(&a);
		strbuf_reset(&b);
		strbuf_reset(&c);
		strbuf_reset(&d);
		if (fmt == REPORT_CSV) {
			if (!isnan(cog->value))
				strbuf_addf(&a, "%.0f", cog->value);
			if (!isnan(x->census[0].value))
				strbuf_addf(&b, "%.0f", x->census[0].value);
			if (!isnan(x->census[1].value))
				strbuf_addf(&c, "%.0f", x->census[1].value);
			if (!isnan(x->growth.value))
				strbuf_addf(&d, "%.4f", x->growth.value);
			const char *f[] = {x->t.code, x->t.name, a.buf, b.buf, c.buf, d.buf, cov};
			format_csv_row(fp, f, NFIELDS(f));
			continue;
		}
		format_count(&a, cog->value);
		format_count(&b, x->census[0].value);
		format_count(&c, x->census[1].value);
		format_decimal(&d, x->growth.value, 2);
		const char *cells[] = {x->t.code, x->t.name, a.buf, b.buf, c.buf, d.buf, cov};
		text_row(fp, "", cells, w, NFIELDS(cells));
	}
	if (arr)
		format_json_write(fp, arr);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	strbuf_release(&d);
}

/* ---- find ----------------------------------------------------------------- */

static const char *const class_name[] = {"exact", "prefix", "word", "inside"};

static const char *hit_dep(const struct geo *g, const struct search_hit *h)
{
	switch (h->t.type) {
	case TERRITORY_COM:
	case TERRITORY_ARM:
		return g->com[h->t.index].dep;
	case TERRITORY_DEP:
		return g->dep[h->t.index].code;
	default:
		return "";
	}
}

static void hit_note(const struct geo *g, const struct search_hit *h, struct strbuf *sb)
{
	if (h->former) {
		const struct geo_commune *f = &g->com[h->t.index];
		if (f->successor == GEO_NONE)
			strbuf_addstr(sb, "former commune, no successor in the files");
		else
			strbuf_addf(sb, "former commune, now part of com:%s %s",
				    g->com[f->successor].code, g->com[f->successor].name);
	} else if (h->t.type == TERRITORY_EPCI) {
		strbuf_addstr(sb, g->epci[h->t.index].type);
	}
}

void report_find(FILE *fp, enum report_format fmt, const struct geo *g,
		 const struct search_hit *hits, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char pop[32];
	if (fmt == REPORT_CSV) {
		static const char *const header[] = {"code",	   "name",  "type", "dep",
						     "population", "match", "note"};
		format_csv_row(fp, header, NFIELDS(header));
	}
	json_t *arr = fmt == REPORT_JSON ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct search_hit *h = &hits[i];
		const char *type = h->former ? "former commune" : territory_type_label(h->t.type);
		strbuf_reset(&sb);
		hit_note(g, h, &sb);
		if (h->population >= 0)
			snprintf(pop, sizeof(pop), "%ld", h->population);
		else
			pop[0] = '\0';
		if (fmt == REPORT_CSV) {
			const char *f[] = {h->t.code,	  h->t.name, type,
					   hit_dep(g, h), pop,	     class_name[h->class],
					   sb.buf};
			format_csv_row(fp, f, NFIELDS(f));
		} else if (fmt == REPORT_JSON) {
			json_array_append_new(
			    arr, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "code", h->t.code,
					   "name", h->t.name, "type", type, "dep", hit_dep(g, h),
					   "population",
					   h->population >= 0 ? json_integer(h->population)
							      : json_null(),
					   "match", class_name[h->class], "note", sb.buf));
		} else {
			static const int w[] = {16, 36, 24, 4, -12, 0};
			struct strbuf num = STRBUF_INIT;
			format_count(&num, h->population >= 0 ? (double)h->population : NAN);
			const char *cells[] = {h->t.code,     h->t.name, type,
					       hit_dep(g, h), num.buf,	 sb.buf};
			text_row(fp, "", cells, w, NFIELDS(cells));
			strbuf_release(&num);
		}
	}
	if (arr)
		format_json_write(fp, arr);
	strbuf_release(&sb);
}
