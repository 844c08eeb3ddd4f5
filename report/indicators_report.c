#include "indicators_report.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "../core/strbuf.h"

/* "EPCI", "bassin de vie": the level of a typed code of another level
 * (indicator_value.at). */
static const char *at_level(const char *at)
{
	return !strncmp(at, "bv:", 3) ? "bassin de vie" : !strncmp(at, "epci:", 5) ? "EPCI" : at;
}

/* A rank among peers, unless the value is another level's: the peers'
 * would be their EPCI's or bassin de vie's, not theirs. */
static bool has_rank(const struct indicators_table *tab, size_t i)
{
	return tab->rank && tab->rank[i].npeers && !*tab->v[0][i].at;
}

static const char *label(const struct indicators_table *tab, const struct indicator_def *d)
{
	return tab->en ? d->label_en : d->label_fr;
}

static const char *source(const struct indicators_table *tab, const struct indicator_def *d)
{
	return tab->en ? d->source_en : d->source_fr;
}

static void value_text(struct strbuf *sb, const struct indicator_value *v)
{
	if (isnan(v->value)) {
		strbuf_addf(sb, "n/a (%s)", v->why ? v->why : "no data");
		return;
	}
	if (v->def->decimals == 0) /* "22 140", a count or a median in euros */
		format_count(sb, v->value);
	else
		format_decimal(sb, v->value, v->def->decimals);
	if (v->period[0])
		strbuf_addf(sb, " (%s%s)", v->period,
			    v->status == OBS_PROVISIONAL ? ", provisional" : "");
	if (*v->at)
		strbuf_addf(sb, " [value of the %s %s, %s]", at_level(v->at), v->at_name, v->at);
	if (v->covered < v->units)
		strbuf_addf(sb, " [%zu of %zu communes]", v->covered, v->units);
	if (v->flags & INDICATOR_SMALL)
		strbuf_addstr(sb, " [small count]");
	if (v->flags & INDICATOR_LOW_COVERAGE)
		strbuf_addstr(sb, " [low coverage]");
	if (v->flags & INDICATOR_ROUNDED)
		strbuf_addstr(sb, " [rounded]");
}

static void flags_text(struct strbuf *sb, unsigned flags)
{
	strbuf_reset(sb);
	for (unsigned fl = 1; fl <= INDICATOR_FLAG_LAST; fl <<= 1)
		if (flags & fl)
			strbuf_addf(sb, "%s%s", sb->len ? "|" : "", indicators_flag_name(fl));
}

/* The COG conversions of the store's observations, in a few lines. */
static void conversions_text(FILE *fp, const struct indicators_stored *st)
{
	if (!st || !st->nconv)
		return;
	fprintf(fp, "\nGeography: the store's commune codes were converted to COG %s:",
		GEO_COG_LAST_STR);
	if (st->nmerged)
		fprintf(
		    fp,
		    " %zu observations of former communes added to the commune they merged into;",
		    st->nmerged);
	if (st->nunknown)
		fprintf(fp, " %zu observations of codes the geography does not know left out;",
			st->nunknown);
	if (st->nrate)
		fprintf(fp, " %zu rates of former communes left out (a rate cannot be added);",
			st->nrate);
	fprintf(fp, "\n");
	for (size_t k = 0; k < st->nconv && k < 10; k++) {
		const struct indicators_conversion *c = &st->conv[k];
		fprintf(fp, "  %s%s%s%s -> %s%s (%zu observations)\n", c->from,
			*c->cog ? " (COG " : "", c->cog, *c->cog ? ")" : "",
			*c->to ? c->to : "left out", c->left_out ? ", rates left out" : "",
			c->nobs);
	}
	if (st->nconv > 10)
		fprintf(fp, "  and %zu more codes (terrain indicators --format json lists them)\n",
			st->nconv - 10);
}

static void text(FILE *fp, const struct indicators_table *tab)
{
	struct strbuf sb = STRBUF_INIT, cell = STRBUF_INIT;
	fprintf(fp, "%s (%s) against its references\n", tab->t[0].name, tab->t[0].code);
	for (size_t i = 0; i < tab->nind; i++) {
		const struct indicator_def *d = tab->v[0][i].def;
		fprintf(fp, "\n%s (%s)\n", label(tab, d), d->unit);
		/* unavailable everywhere for one reason: say it once */
		bool same = true;
		for (size_t k = 0; k < tab->nt && same; k++)
			same = isnan(tab->v[k][i].value) && tab->v[k][i].why &&
			       !strcmp(tab->v[k][i].why, tab->v[0][i].why ? tab->v[0][i].why : "");
		if (same && tab->nt > 1)
			fprintf(fp, "  n/a for every territory (%s)\n", tab->v[0][i].why);
		for (size_t k = 0; k < tab->nt && !(same && tab->nt > 1); k++) {
			const struct indicator_value *v = &tab->v[k][i];
			strbuf_reset(&sb);
			strbuf_addstr(&sb, "  ");
			format_pad(&sb, tab->t[k].code, 16);
			format_pad(&sb, tab->t[k].name ? tab->t[k].name : "", 28);
			strbuf_reset(&cell);
			value_text(&cell, v);
			strbuf_addbuf(&sb, &cell);
			if (k && tab->has_gap[k * tab->nind + i]) {
				const struct gap *g = &tab->gap[k * tab->nind + i];
				strbuf_addstr(&sb, "   gap ");
				if (g->points > 0)
					strbuf_addch(&sb, '+');
				format_decimal(&sb, g->points, d->decimals);
				if (!strcmp(d->unit, "%"))
					strbuf_addstr(&sb, " pt");
				else
					strbuf_addf(&sb, " %s", d->unit);
				strbuf_addstr(&sb, ", index ");
				format_decimal(&sb, g->index, 0);
				strbuf_addstr(&sb, ", excess ");
				if (g->excess > 0)
					strbuf_addch(&sb, '+');
				format_count(&sb, g->excess);
				strbuf_addstr(&sb, g->significant ? ", significant at 5 %"
								  : ", not significant at 5 %");
			}
			fprintf(fp, "%s\n", sb.buf);
			if (!k && has_rank(tab, i) && tab->rank[i].npeers > 1)
				fprintf(fp,
					"  %-44srank %zu of %zu (percentile %.0f) among the %s\n",
					"", tab->rank[i].rank, tab->rank[i].npeers,
					tab->rank[i].percentile, tab->peers);
			if (v->has_trend) {
				strbuf_reset(&sb);
				strbuf_addstr(&sb, "  ");
				format_pad(&sb, "", 44);
				strbuf_addstr(&sb, "trend ");
				if (v->trend.slope > 0)
					strbuf_addch(&sb, '+');
				format_decimal(&sb, v->trend.slope, 2);
				strbuf_addstr(&sb, " a year (95 % CI ");
				format_decimal(&sb, v->trend.lo, 2);
				strbuf_addstr(&sb, " to ");
				format_decimal(&sb, v->trend.hi, 2);
				strbuf_addf(&sb, ", %zu periods), last change ", v->trend.n);
				format_decimal(&sb, v->trend.last_change, d->decimals);
				fprintf(fp, "%s\n", sb.buf);
			}
		}
		if (*d->note_en)
			fprintf(fp, "  note: %s\n", d->note_en);
		const char *when = NULL;
		for (size_t k = 0; k < tab->nt && !when; k++)
			when = tab->v[k][i].retrieved;
		if (when && *when)
			fprintf(fp, "  source: %s (terrain fetch, retrieved %.10s)\n",
				source(tab, d), when);
		else
			fprintf(fp, "  source: %s\n", source(tab, d));
	}
	conversions_text(fp, tab->stored);
	strbuf_release(&sb);
	strbuf_release(&cell);
}

static void num(struct strbuf *sb, double x)
{
	strbuf_reset(sb);
	format_csv_number(sb, x);
}

static void csv(FILE *fp, const struct indicators_table *tab)
{
	static const char *const head[] = {"indicator",	  "territory",
					   "name",	  "value",
					   "unit",	  "period",
					   "status",	  "numerator",
					   "denominator", "covered",
					   "units",	  "diff_points",
					   "index",	  "excess",
					   "z",		  "p",
					   "significant", "trend_slope",
					   "trend_lo",	  "trend_hi",
					   "unavailable", "flags",
					   "rank",	  "peers",
					   "percentile",  "published_for_territory",
					   "retrieved",	  "published_at"};
	enum {
		N = sizeof(head) / sizeof(head[0])
	};
	struct strbuf f[N];
	for (size_t j = 0; j < N; j++)
		strbuf_init(&f[j]);
	format_csv_row(fp, head, N);
	for (size_t i = 0; i < tab->nind; i++) {
		for (size_t k = 0; k < tab->nt; k++) {
			const struct indicator_value *v = &tab->v[k][i];
			const struct gap *g = k && tab->has_gap[k * tab->nind + i]
						  ? &tab->gap[k * tab->nind + i]
						  : NULL;
			for (size_t j = 0; j < N; j++)
				strbuf_reset(&f[j]);
			strbuf_addstr(&f[0], v->def->id);
			strbuf_addstr(&f[1], tab->t[k].code);
			strbuf_addstr(&f[2], tab->t[k].name ? tab->t[k].name : "");
			num(&f[3], v->value);
			strbuf_addstr(&f[4], v->def->unit);
			strbuf_addstr(&f[5], v->period);
			if (!isnan(v->value))
				strbuf_addstr(&f[6], obs_status_name(v->status));
			num(&f[7], v->num);
			num(&f[8], v->den);
			strbuf_addf(&f[9], "%zu", v->covered);
			strbuf_addf(&f[10], "%zu", v->units);
			if (g) {
				num(&f[11], g->points);
				num(&f[12], g->index);
				num(&f[13], g->excess);
				num(&f[14], g->z);
				num(&f[15], g->p);
				strbuf_addstr(&f[16], g->significant ? "yes" : "no");
			}
			if (v->has_trend) {
				num(&f[17], v->trend.slope);
				num(&f[18], v->trend.lo);
				num(&f[19], v->trend.hi);
			}
			if (isnan(v->value) && v->why)
				strbuf_addstr(&f[20], v->why);
			flags_text(&f[21], v->flags);
			if (!k && has_rank(tab, i)) {
				strbuf_addf(&f[22], "%zu", tab->rank[i].rank);
				strbuf_addf(&f[23], "%zu", tab->rank[i].npeers);
				num(&f[24], tab->rank[i].percentile);
			}
			if (!isnan(v->value))
				strbuf_addstr(&f[25], v->direct ? "yes" : "no");
			if (v->retrieved)
				strbuf_addstr(&f[26], v->retrieved);
			strbuf_addstr(&f[27], v->at);
			const char *row[N];
			for (size_t j = 0; j < N; j++)
				row[j] = f[j].buf;
			format_csv_row(fp, row, N);
		}
	}
	for (size_t j = 0; j < N; j++)
		strbuf_release(&f[j]);
}

static void json(FILE *fp, const struct indicators_table *tab)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "territory", json_string(tab->t[0].code));
	for (size_t i = 0; i < tab->nind; i++) {
		const struct indicator_def *d = tab->v[0][i].def;
		json_t *o = json_object(), *vals = json_array();
		json_object_set_new(o, "id", json_string(d->id));
		json_object_set_new(o, "label", json_string(label(tab, d)));
		json_object_set_new(o, "unit", json_string(d->unit));
		json_object_set_new(o, "decimals", json_integer(d->decimals));
		json_object_set_new(o, "source", json_string(source(tab, d)));
		/* both languages, for a reader in the other one (terrain serve) */
		json_object_set_new(o, "labels",
				    json_pack("{s:s,s:s}", "fr", d->label_fr, "en", d->label_en));
		json_object_set_new(o, "sources",
				    json_pack("{s:s,s:s}", "fr", d->source_fr, "en", d->source_en));
		for (size_t k = 0; k < tab->nt; k++) {
			const struct indicator_value *v = &tab->v[k][i];
			json_t *x = json_object();
			json_object_set_new(x, "territory", json_string(tab->t[k].code));
			json_object_set_new(x, "value", format_json_number(v->value));
			if (v->period[0])
				json_object_set_new(x, "period", json_string(v->period));
			if (isnan(v->value))
				json_object_set_new(x, "unavailable",
						    json_string(v->why ? v->why : "no data"));
			json_object_set_new(x, "numerator", format_json_number(v->num));
			json_object_set_new(x, "denominator", format_json_number(v->den));
			json_object_set_new(x, "covered", json_integer((json_int_t)v->covered));
			json_object_set_new(x, "units", json_integer((json_int_t)v->units));
			if (!isnan(v->value))
				json_object_set_new(x, "published_for_territory",
						    json_boolean(v->direct));
			if (v->retrieved)
				json_object_set_new(x, "retrieved", json_string(v->retrieved));
			if (*v->at)
				json_object_set_new(x, "published_at",
						    json_pack("{s:s,s:s}", "territory", v->at,
							      "name",
							      v->at_name ? v->at_name : ""));
			json_t *fl = json_array();
			for (unsigned b = 1; b <= INDICATOR_FLAG_LAST; b <<= 1)
				if (v->flags & b)
					json_array_append_new(fl,
							      json_string(indicators_flag_name(b)));
			json_object_set_new(x, "flags", fl);
			if (!k && has_rank(tab, i))
				json_object_set_new(
				    x, "rank",
				    json_pack("{s:I,s:I,s:o,s:s}", "rank",
					      (json_int_t)tab->rank[i].rank, "peers",
					      (json_int_t)tab->rank[i].npeers, "percentile",
					      format_json_number(tab->rank[i].percentile), "among",
					      tab->peers));
			if (k && tab->has_gap[k * tab->nind + i]) {
				const struct gap *g = &tab->gap[k * tab->nind + i];
				json_object_set_new(x, "gap",
						    json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "points",
							      format_json_number(g->points),
							      "index", format_json_number(g->index),
							      "excess",
							      format_json_number(g->excess), "z",
							      format_json_number(g->z), "p",
							      format_json_number(g->p),
							      "significant", g->significant));
			}
			if (v->has_trend)
				json_object_set_new(x, "trend",
						    json_pack("{s:o,s:o,s:o,s:I}", "slope",
							      format_json_number(v->trend.slope),
							      "lo", format_json_number(v->trend.lo),
							      "hi", format_json_number(v->trend.hi),
							      "n", (json_int_t)v->trend.n));
			json_array_append_new(vals, x);
		}
		json_object_set_new(o, "values", vals);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "indicators", arr);
	if (tab->stored) {
		json_t *cv = json_array();
		for (size_t k = 0; k < tab->stored->nconv; k++) {
			const struct indicators_conversion *c = &tab->stored->conv[k];
			json_array_append_new(
			    cv,
			    json_pack("{s:s,s:s,s:o,s:b,s:I}", "from", c->from, "cog", c->cog, "to",
				      *c->to ? json_string(c->to) : json_null(), "left_out",
				      c->left_out || !*c->to, "observations", (json_int_t)c->nobs));
		}
		json_object_set_new(root, "cog_conversions", cv);
	}
	format_json_write(fp, root);
}

void report_indicators(FILE *fp, enum report_format fmt, const struct indicators_table *tab)
{
	if (fmt == REPORT_CSV)
		csv(fp, tab);
	else if (fmt == REPORT_JSON)
		json(fp, tab);
	else
		text(fp, tab);
}

void report_catalogue(FILE *fp, enum report_format fmt, const struct catalogue *c)
{
	static const char *const head[] = {"id", "kind", "unit", "theme", "label", "source"};
	if (fmt == REPORT_JSON) {
		json_t *a = json_array();
		for (size_t i = 0; i < c->n; i++) {
			const struct indicator_def *d = &c->v[i];
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(d->id));
			json_object_set_new(o, "kind", json_string(catalogue_kind_ids[d->kind]));
			json_object_set_new(o, "unit", json_string(d->unit));
			json_object_set_new(o, "theme", json_string(catalogue_theme_id(d->theme)));
			json_object_set_new(o, "label", json_string(d->label_fr));
			json_object_set_new(o, "source", json_string(d->source_fr));
			json_array_append_new(a, o);
		}
		format_json_write(fp, a);
		return;
	}
	if (fmt == REPORT_CSV)
		format_csv_row(fp, head, 6);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < c->n; i++) {
		const struct indicator_def *d = &c->v[i];
		const char *f[] = {d->id,	catalogue_kind_ids[d->kind],
				   d->unit,	catalogue_theme_id(d->theme),
				   d->label_fr, d->source_fr};
		if (fmt == REPORT_CSV) {
			format_csv_row(fp, f, 6);
			continue;
		}
		strbuf_reset(&sb);
		format_pad(&sb, d->id, 34);
		strbuf_addch(&sb, ' ');
		format_pad(&sb, f[1], 7);
		strbuf_addch(&sb, ' ');
		format_pad(&sb, d->unit, 10);
		strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, f[4]);
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
}
