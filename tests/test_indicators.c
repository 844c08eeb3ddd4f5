/* analysis/indicators.c on the bundled data: real INSEE figures, sums
 * over communes, the published series and its trend (R lm(), see
 * test_trend.c), gaps. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/indicators.h"
#include "../core/store.h"
#include "../ingest/catalogue.h"
#include "helpers.h"

static struct catalogue cat;

static int setup(void)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", test_datadir());
	enum status st = catalogue_load(path.buf, &cat, NULL);
	strbuf_release(&path);
	return st ? 1 : 0;
}

static int teardown(void)
{
	catalogue_release(&cat);
	return 0;
}

static const struct indicator_value *find(const struct indicator_value *v, const char *id)
{
	for (size_t i = 0; i < cat.n; i++)
		if (!strcmp(v[i].def->id, id))
			return &v[i];
	return NULL;
}

static void compute(const char *code, struct territory *t, struct indicator_value *v)
{
	const struct bundle *b = test_bundle();
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, code, NULL, 0, t, NULL), TERRAIN_OK);
	struct indicators_input in = {&b->geo, &b->census, &b->pop_cog, &b->series, NULL, NULL};
	indicators_compute(&in, &cat, t, v);
}

static void test_indicators_grenoble(void)
{
	struct territory t;
	struct indicator_value *v = calloc(cat.n, sizeof(*v));
	compute("38185", &t, v);
	/* census 2021: 10 527 unemployed of 76 257 active aged 15-64, 13.8 % */
	const struct indicator_value *u = find(v, "unemployment_rate_census");
	CU_ASSERT_DOUBLE_EQUAL(u->num, 10527, 0);
	CU_ASSERT_DOUBLE_EQUAL(u->den, 76257, 0);
	CU_ASSERT_DOUBLE_EQUAL(u->value, 100.0 * 10527 / 76257, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(u->f, 0.4, 0); /* a commune of 10 000 or more */
	/* -0.331822331800 % a year 2015-2021 (tests/README.md, bc -l) */
	CU_ASSERT_DOUBLE_EQUAL(find(v, "population_growth")->value, -0.331822331800, 1e-10);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "population_2021")->value, 157477, 0);
	/* the localized rate is published for départements, régions and France */
	const struct indicator_value *l = find(v, "unemployment_rate_localized");
	CU_ASSERT(isnan(l->value));
	CU_ASSERT_STRING_EQUAL(l->why, "not published for this territory");
	CU_ASSERT_STRING_EQUAL(find(v, "rsa_households")->why, "needs terrain fetch: no store yet");
	CU_ASSERT_STRING_EQUAL(find(v, "no_diploma_share")->why,
			       "no source terrain reads publishes it yet: see the note");
	/* the population the COG 2026 package carries: 156 140 (tests/README.md) */
	CU_ASSERT_DOUBLE_EQUAL(find(v, "population_cog")->value, 156140, 0);
	free(v);
}

static void test_indicators_isere_and_gap(void)
{
	struct territory g, d;
	struct indicator_value *vg = calloc(cat.n, sizeof(*vg)), *vd = calloc(cat.n, sizeof(*vd));
	compute("38185", &g, vg);
	compute("dep:38", &d, vd);
	/* summed over Isère's 512 communes of the comparateur (awk, tests/README.md) */
	const struct indicator_value *u = find(vd, "unemployment_rate_census");
	CU_ASSERT_DOUBLE_EQUAL(u->num, 59755, 0);
	CU_ASSERT_DOUBLE_EQUAL(u->den, 609436, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(vd, "population_2021")->value, 1284948, 0);
	/* localized rate: 2026-Q1 6.6, semi-definitive; trend as R's lm():
	 * 0.385714285714285 points a year, 95 % CI 0.2133 .. 0.5581 */
	const struct indicator_value *l = find(vd, "unemployment_rate_localized");
	CU_ASSERT_DOUBLE_EQUAL(l->value, 6.6, 1e-12);
	CU_ASSERT_STRING_EQUAL(l->period, "2026-Q1");
	CU_ASSERT_EQUAL(l->status, OBS_PROVISIONAL);
	CU_ASSERT(l->has_trend);
	CU_ASSERT_DOUBLE_EQUAL(l->trend.slope, 0.385714285714285, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(l->trend.lo, 0.213281006626977, 1e-9);
	CU_ASSERT_EQUAL(l->flags, INDICATOR_PROVISIONAL);
	CU_ASSERT_EQUAL(u->flags, 0);

	const struct bundle *b = test_bundle();
	CU_ASSERT(indicators_nested(&b->geo, &g, &d));
	CU_ASSERT(!indicators_nested(&b->geo, &d, &g));
	struct gap gp;
	CU_ASSERT_EQUAL(
	    indicators_gap(find(vg, "unemployment_rate_census"), u, true, 0.05, &gp, NULL),
	    TERRAIN_OK);
	/* as test_gap.c: +4.0 points, index 140.8, 3 050 more unemployed */
	CU_ASSERT_DOUBLE_EQUAL(gp.points, 3.999667113062301, 1e-9); /* points of % */
	CU_ASSERT_DOUBLE_EQUAL(gp.excess, 3050.026150407918, 1e-6);
	CU_ASSERT(gp.significant);
	struct error err;
	CU_ASSERT_EQUAL(indicators_gap(find(vg, "population_2021"), find(vd, "population_2021"),
				       true, 0.05, &gp, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "population_2021 is not a ratio of counts");
	free(vg);
	free(vd);
}

/* A bassin de vie is the sum of its communes, as an EPCI: bv:01143
 * Divonne-les-Bains is 01143 and 01180 Grilly (awk -F';' '$3=="01143"'
 * datasets/geo/zonages.csv); their comparateur rows, summed by hand:
 * population 2021 10 137 + 864 = 11 001, households 4 550 + 349 = 4 899,
 * unemployed 15-64 388 + 32 = 420 of 5 096 + 422 = 5 518 active, a rate
 * of 420 / 5518 = 7.611453425154041 % (python3).  A median is never
 * computed from communes: none for a zone. */
static void test_indicators_zone_sums(void)
{
	struct territory t;
	struct indicator_value *v = calloc(cat.n, sizeof(*v));
	compute("bv:01143", &t, v);
	CU_ASSERT_STRING_EQUAL(t.name, "Divonne-les-Bains");
	CU_ASSERT_DOUBLE_EQUAL(find(v, "population_2021")->value, 11001, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "households_2021")->value, 4899, 0);
	const struct indicator_value *u = find(v, "unemployment_rate_census");
	CU_ASSERT_DOUBLE_EQUAL(u->num, 420, 0);
	CU_ASSERT_DOUBLE_EQUAL(u->den, 5518, 0);
	CU_ASSERT_DOUBLE_EQUAL(u->value, 7.611453425154041, 1e-9);
	CU_ASSERT_EQUAL(u->covered, 2);
	CU_ASSERT_EQUAL(u->units, 2);
	const struct indicator_value *m = find(v, "median_living_standard");
	CU_ASSERT(isnan(m->value));
	CU_ASSERT_EQUAL(m->covered, 0); /* the CLI's message: test_cli_zones */
	free(v);
}

static void test_indicators_flags(void)
{
	struct territory t;
	struct indicator_value *v = calloc(cat.n, sizeof(*v));
	/* L'Abergement-Clémenciat (01001), census 2021: 27 unemployed of 417
	 * active; 27 >= 20 and the commune is counted whole: not small */
	compute("01001", &t, v);
	const struct indicator_value *u = find(v, "unemployment_rate_census");
	CU_ASSERT_DOUBLE_EQUAL(u->num, 27, 0);
	CU_ASSERT_EQUAL(u->flags, 0);
	/* L'Abergement-de-Varey (01002): 2 unemployed of 130: small */
	compute("01002", &t, v);
	u = find(v, "unemployment_rate_census");
	CU_ASSERT_DOUBLE_EQUAL(u->num, 2, 0);
	CU_ASSERT_EQUAL(u->flags, INDICATOR_SMALL);
	CU_ASSERT_STRING_EQUAL(indicators_flag_name(INDICATOR_SMALL), "small count");
	free(v);
}

static void test_indicators_peers_and_rank(void)
{
	const struct bundle *b = test_bundle();
	struct territory t, *peers = NULL;
	const char *scope;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "38185", NULL, 0, &t, NULL), TERRAIN_OK);
	/* Grenoble is Isère's only commune of 50 000+: the peers widen to the
	 * région, 10 communes (awk over the shared comparateur file, with
	 * Lyon summed over its arrondissements) */
	size_t n = indicators_peers(&b->geo, &b->census, &t, &peers, &scope);
	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_STRING_EQUAL(scope, "communes of 50 000 inhabitants or more of the région");
	struct indicator_value *pv = calloc(cat.n, sizeof(*pv));
	double col[10], own = NAN;
	size_t ui = 0;
	for (size_t i = 0; i < cat.n; i++)
		if (!strcmp(cat.v[i].id, "unemployment_rate_census"))
			ui = i;
	for (size_t j = 0; j < n && j < 10; j++) {
		indicators_compute(&(struct indicators_input){&b->geo, &b->census, &b->pop_cog,
							      &b->series, NULL, NULL},
				   &cat, &peers[j], pv);
		col[j] = pv[ui].value;
		if (!strcmp(peers[j].code, "com:38185"))
			own = pv[ui].value;
	}
	/* 5 of them above Grenoble's 13.8 % (69256, 69259, 42218, 63113, 26362) */
	struct indicator_rank r;
	indicators_rank(own, col, n, &r);
	CU_ASSERT_EQUAL(r.rank, 6);
	CU_ASSERT_EQUAL(r.npeers, 10);
	CU_ASSERT_DOUBLE_EQUAL(r.percentile, 50, 1e-12);
	free(pv);
	free(peers);

	/* by hand: 3 among {1, 3, 5, NAN, 3}: 1 above, rank 2, 3 of 4 not above */
	const double v[] = {1, 3, 5, NAN, 3};
	indicators_rank(3, v, 5, &r);
	CU_ASSERT_EQUAL(r.rank, 2);
	CU_ASSERT_EQUAL(r.npeers, 4);
	CU_ASSERT_DOUBLE_EQUAL(r.percentile, 75, 1e-12);
	/* a département: the 101 départements */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "dep:38", NULL, 0, &t, NULL), TERRAIN_OK);
	n = indicators_peers(&b->geo, &b->census, &t, &peers, &scope);
	CU_ASSERT_EQUAL(n, b->geo.ndep);
	free(peers);
}

static void test_indicators_cli(void)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *dir = test_tmpdir(); /* no terrain.ini there */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "--territory", "38185", NULL},
				 NULL, dir, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Grenoble (com:38185) against its references"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf,
				      "  dep:38          Isère                       9.8   gap "
				      "+4.0 pt, index 141, excess +3 050, significant at 5 %"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "6.6 (2026-Q1, provisional)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "rank 6 of 10 (percentile 50) among the communes of "
					       "50 000 inhabitants or more of the région"));
	/* any commune: L'Abergement-Clémenciat */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"indicators", "-t", "01001", "--format", "json", NULL},
		     NULL, dir, &out, &err),
	    0);
	json_t *root = json_loads(out.buf, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "territory")), "com:01001");
	json_decref(root);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "38185", "--refs",
						       "dep:38", "--format", "csv", NULL},
				 NULL, dir, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "unemployment_rate_census,com:38185,Grenoble,"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", NULL}, NULL, dir, &out, &err),
			2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err.buf, "indicators needs --territory CODE or a project file"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "3818", NULL}, NULL, dir,
				 &out, &err),
			2);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "99999", NULL}, NULL,
				 dir, &out, &err),
			1);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* ---- the store's observations (values INVENTED for these tests; codes and
 * census figures real) ---- */

static void add(struct obs_list *l, const char *territory, const char *cog, const char *id,
		const char *period, double value, enum obs_status status)
{
	struct observation *o = obs_list_push(l);
	memset(o, 0, sizeof(*o));
	snprintf(o->territory, sizeof(o->territory), "%s", territory);
	snprintf(o->cog, sizeof(o->cog), "%s", cog);
	snprintf(o->indicator, sizeof(o->indicator), "%s", id);
	snprintf(o->period, sizeof(o->period), "%s", period);
	o->value = value;
	o->status = status;
}

#define RSA  "caf.indfoy_rsa"
#define DEFM "dares.defm.cat_abc.sexe_total.age_total"
#define POV  "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=PR_MD60"
#define RP   "melodi.DS_RP_POPULATION_PRINC.AGE="

static void stored_fixture(struct obs_list *l)
{
	add(l, "com:38185", "", RSA, "2024-12", 5000, OBS_ROUNDED);
	add(l, "dep:38", "", RSA, "2024-12", 20000, OBS_ROUNDED);
	add(l, "com:38185", "", RSA, "2023-12", 4900, OBS_ROUNDED);
	/* Béon (01039) merged into Culoz-Béon (01138) in 2023 */
	add(l, "com:01039", "2021", DEFM, "2024-Q4", 10, OBS_ROUNDED);
	add(l, "com:01138", "2021", DEFM, "2024-Q4", 100, OBS_ROUNDED);
	add(l, "com:01039", "2021", DEFM, "2023-Q4", NAN, OBS_SECRET);
	add(l, "com:01138", "2021", DEFM, "2023-Q4", 90, OBS_ROUNDED);
	add(l, "com:99999", "", DEFM, "2024-Q4", 7, OBS_ROUNDED); /* no such commune */
	for (int k = 0; k < 6; k++) {				  /* 1 000 + 50 k */
		char period[16];
		snprintf(period, sizeof(period), "%d-Q4", 2019 + k);
		add(l, "com:38185", "", DEFM, period, 1000 + 50 * k, OBS_ROUNDED);
	}
	/* Paris by arrondissement only; Lyon with a value of its own */
	for (int k = 1; k <= 20; k++) {
		char code[16];
		snprintf(code, sizeof(code), "arm:751%02u", (unsigned)k % 100);
		add(l, code, "", DEFM, "2024-Q4", 10, OBS_ROUNDED);
	}
	add(l, "com:69123", "", DEFM, "2024-Q4", 300, OBS_ROUNDED);
	add(l, "arm:69381", "", DEFM, "2024-Q4", 5, OBS_ROUNDED);
	add(l, "com:38185", "2025", POV, "2021", 19.5, OBS_FINAL);
	add(l, "dep:38", "2025", POV, "2021", 11.2, OBS_FINAL);
	add(l, "dep:38", "2025", POV, "2020", 11.0, OBS_FINAL);
	add(l, "com:01039", "2021", POV, "2021", 8.0, OBS_FINAL); /* a rate: never added */
	add(l, "com:01138", "2021", POV, "2021", 9.0, OBS_FINAL);
	add(l, "com:38185", "2025", RP "Y_LT20.RP_MEASURE=POP.SEX=_T", "2022", 30000, OBS_FINAL);
	add(l, "com:38185", "2025", RP "_T.RP_MEASURE=POP.SEX=_T", "2022", 157000, OBS_FINAL);
}

static void compute_stored(const struct indicators_stored *st, const char *code,
			   struct indicator_value *v)
{
	const struct bundle *b = test_bundle();
	struct territory t;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, code, NULL, 0, &t, NULL), TERRAIN_OK);
	struct indicators_input in = {&b->geo, &b->census, &b->pop_cog, &b->series, st, NULL};
	indicators_compute(&in, &cat, &t, v);
}

static void test_indicators_stored(void)
{
	const struct bundle *b = test_bundle();
	struct obs_list l = {0};
	struct indicators_stored st;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	stored_fixture(&l);
	const char **when = calloc(l.n, sizeof(*when));
	for (size_t i = 0; i < l.n; i++)
		when[i] = i % 2 ? "2026-11-29T03:00:00Z" : "2026-11-28T10:00:00Z";
	indicators_stored_build(&b->geo, &l, when, &cat, &st);
	struct indicator_value *v = calloc(cat.n, sizeof(*v));

	/* Grenoble: its own commune values; households 83 592 (census 2021,
	 * grep '^38185,' insee_comparateur/communes_2021.csv, column 14) */
	compute_stored(&st, "38185", v);
	const struct indicator_value *x = find(v, "rsa_households");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 5000, 0);
	CU_ASSERT_STRING_EQUAL(x->period, "2024-12");
	CU_ASSERT(x->flags & INDICATOR_ROUNDED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->retrieved);
	x = find(v, "rsa_per_100_households");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 100.0 * 5000 / 83592, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(x->f, 1, 0); /* CAF counts every household: no sampling */
	/* jobseekers 1 000 + 50 k at the 4th quarters 2019..2024: 1 250, 50 a year */
	x = find(v, "jobseekers_abc");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 1250, 0);
	CU_ASSERT_STRING_EQUAL(x->period, "2024-Q4");
	CU_ASSERT_FATAL(x->has_trend);
	CU_ASSERT_DOUBLE_EQUAL(x->trend.slope, 50, 1e-9);
	CU_ASSERT_EQUAL(x->trend.n, 6);
	/* 1 250 per 100 of the 109 292 people aged 15-64 (census 2021, column 17) */
	CU_ASSERT_DOUBLE_EQUAL(find(v, "jobseekers_abc_per_100")->value, 100.0 * 1250 / 109292,
			       1e-12);
	x = find(v, "poverty_rate");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 19.5, 1e-12);
	CU_ASSERT_STRING_EQUAL(x->period, "2021");
	CU_ASSERT_DOUBLE_EQUAL(find(v, "pop_under_20_share")->value, 100.0 * 30000 / 157000, 1e-12);
	CU_ASSERT_STRING_EQUAL(find(v, "pop_75_plus_share")->why,
			       "not in the store: run terrain fetch");

	/* Isère: CAF's own département total, households summed over its 512
	 * communes (565 053: awk -F, 'NR>1 && $7=="COM" && $3=="38" &&
	 * !seen[$1]++ {s+=$14} END{print s}' insee_comparateur/communes_2021.csv) */
	compute_stored(&st, "dep:38", v);
	x = find(v, "rsa_households");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 20000, 0);
	CU_ASSERT(x->direct);
	x = find(v, "rsa_per_100_households");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 100.0 * 20000 / 565053, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(x->den, 565053, 0);
	x = find(v, "poverty_rate");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 11.2, 1e-12); /* the latest of 2020 and 2021 */
	CU_ASSERT(!x->has_trend);
	/* no département total of jobseekers: Grenoble's, 1 of 512 communes */
	x = find(v, "jobseekers_abc");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 1250, 0);
	CU_ASSERT_EQUAL(x->covered, 1);
	CU_ASSERT_EQUAL(x->units, 512);
	CU_ASSERT(x->flags & INDICATOR_LOW_COVERAGE);
	/* La Réunion: the store has no value for it or its communes */
	compute_stored(&st, "dep:974", v);
	x = find(v, "jobseekers_abc");
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->why);
	CU_ASSERT_STRING_EQUAL(x->why, "no data for the communes of this territory");
	CU_ASSERT_STRING_EQUAL(find(v, "poverty_rate")->why, "not published for this territory");

	/* the métropole: only Grenoble has a value, 1 of 49 communes */
	compute_stored(&st, "epci:200040715", v);
	x = find(v, "rsa_households");
	CU_ASSERT_DOUBLE_EQUAL(x->value, 5000, 0);
	CU_ASSERT_EQUAL(x->covered, 1);
	CU_ASSERT_EQUAL(x->units, 49);
	CU_ASSERT(x->flags & INDICATOR_LOW_COVERAGE);
	CU_ASSERT(!x->direct);

	/* COG conversion: Béon's 10 added to Culoz-Béon's 100; its secret
	 * 2023 value makes 2023 unknown, not 90 */
	compute_stored(&st, "01138", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "jobseekers_abc")->value, 110, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "poverty_rate")->value, 9.0, 0); /* Béon's 8 left out */
	CU_ASSERT_EQUAL(st.nmerged, 2);
	CU_ASSERT_EQUAL(st.nunknown, 1);
	CU_ASSERT_EQUAL(st.nrate, 1);
	CU_ASSERT_EQUAL_FATAL(st.nconv, 3);
	CU_ASSERT_STRING_EQUAL(st.conv[2].from, "com:01039");
	CU_ASSERT(st.conv[2].left_out);
	CU_ASSERT_STRING_EQUAL(st.conv[0].from, "com:01039");
	CU_ASSERT_STRING_EQUAL(st.conv[0].to, "com:01138");
	CU_ASSERT_STRING_EQUAL(st.conv[0].cog, "2021");
	CU_ASSERT_EQUAL(st.conv[0].nobs, 2);
	CU_ASSERT_STRING_EQUAL(st.conv[1].from, "com:99999");
	CU_ASSERT_STRING_EQUAL(st.conv[1].to, "");
	size_t row = st.slot[geo_commune_find(&b->geo, "01138")];
	size_t first = 0;
	while (first < st.ncol && strcmp(st.col[first], DEFM "@2023-Q4"))
		first++;
	CU_ASSERT_FATAL(first < st.ncol && row != GEO_NONE);
	CU_ASSERT(isnan(st.v[row * st.ncol + first]));

	/* Paris: the sum of its 20 arrondissements; Lyon keeps its own value */
	compute_stored(&st, "75056", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "jobseekers_abc")->value, 200, 0);
	compute_stored(&st, "69123", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "jobseekers_abc")->value, 300, 0);

	free(v);
	free(when);
	indicators_stored_release(&st);
	obs_list_release(&l);
}

/* terrain indicators reads the store terrain fetch fills, and says which
 * codes it converted. */
static void test_indicators_cli_store(void)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT, env = STRBUF_INIT;
	const char *dir = test_tmpdir();
	struct obs_list l = {0};
	struct store *s;
	stored_fixture(&l);
	strbuf_addf(&path, "%s/store.db", dir);
	CU_ASSERT_EQUAL_FATAL(store_open(&s, path.buf, NULL), TERRAIN_OK);
	struct store_payload pl = {
	    "test", "invented", "http://127.0.0.1/invented", "2026-11-29T03:00:00Z", "0", 0, NULL};
	CU_ASSERT_EQUAL_FATAL(store_put(s, &pl, l.v, l.n, NULL, 0, NULL, NULL), TERRAIN_OK);
	store_close(s);

	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "01138", "--store",
						       path.buf, "--format", "json", NULL},
				 NULL, dir, &out, &err),
			0);
	json_t *root = json_loads(out.buf, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	json_t *conv = json_object_get(root, "cog_conversions");
	CU_ASSERT_EQUAL_FATAL(json_array_size(conv), 3);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(conv, 0), "to")),
			       "com:01138");
	json_decref(root);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "2 observations of former communes added"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "1 observations of commune codes the geography "
					       "does not know left out"));

	/* the store named by the environment; text output */
	strbuf_addf(&env, "TERRAIN_STORE=%s", path.buf);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "38185", NULL},
				 (const char *const[]){env.buf, NULL}, dir, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "  com:38185       Grenoble                    "
					       "5 000 (2024-12) [rounded]"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.buf, "source: Cnaf, allocataires par commune (décembre) (terrain fetch, "
			    "retrieved 2026-11-29)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "  com:99999 -> left out (1 observations)"));

	/* a store named on the command line must exist */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "38185", "--store",
						       "/nonexistent/terrain.db", NULL},
				 NULL, dir, &out, &err),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "/nonexistent/terrain.db: no such store"));
	obs_list_release(&l);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
	strbuf_release(&env);
}

/* Filosofi 2021 as bundled: a commune's and an EPCI's own published value,
 * never a sum or a mean over communes.  Expected values from the shared
 * files with grep (../shared/data/filosofi/): cc_filosofi_2021_COM.csv
 * `grep '^38185;'` MED21 22140, TP6021 21,0; `grep '^59512;'` 14580, 46,0,
 * NBPERSMENFISC21 86657;
 * filosofi_2021_epci.csv `grep '^200040715;'` MED_SL 23940, PR_MD60 15,
 * `grep '^200093201;'` (Métropole Européenne de Lille) PR_MD60 19.7;
 * `grep '^01001;'` 25820 then s; `grep '^09304;'` nd. */
static void compute_filosofi(const struct indicators_stored *st, const char *code,
			     struct indicator_value *v)
{
	const struct bundle *b = test_bundle();
	const struct indicators_published *pub;
	struct territory t;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(bundle_filosofi(b, &pub, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, code, NULL, 0, &t, NULL), TERRAIN_OK);
	struct indicators_input in = {&b->geo, &b->census, &b->pop_cog, &b->series, st, pub};
	indicators_compute(&in, &cat, &t, v);
}

static void test_indicators_filosofi(void)
{
	struct indicator_value *v = calloc(cat.n, sizeof(*v));
	compute_filosofi(NULL, "38185", v);
	const struct indicator_value *pov = find(v, "poverty_rate"),
				     *med = find(v, "median_living_standard");
	CU_ASSERT_DOUBLE_EQUAL(pov->value, 21.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(med->value, 22140, 0);
	CU_ASSERT_STRING_EQUAL(pov->period, "2021");
	CU_ASSERT(pov->direct);
	CU_ASSERT_PTR_NULL(pov->retrieved); /* bundled */
	CU_ASSERT_DOUBLE_EQUAL(find(v, "living_standard_d1")->value, 10510, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "interdecile_ratio")->value, 3.8, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "minimum_benefits_share")->value, 3.3, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "poverty_rate_referent_under_30")->value, 29.0, 0);
	/* the EPCI's own value, not its communes' */
	compute_filosofi(NULL, "epci:200040715", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "poverty_rate")->value, 15, 0);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "median_living_standard")->value, 23940, 0);
	CU_ASSERT_EQUAL(find(v, "median_living_standard")->covered, 1);
	CU_ASSERT(isnan(find(v, "poverty_rate_referent_under_30")->value));
	CU_ASSERT_STRING_EQUAL(find(v, "poverty_rate_referent_under_30")->why,
			       "not in the bundled data");
	/* a département: no published value bundled, no stand-in */
	compute_filosofi(NULL, "dep:38", v);
	CU_ASSERT(isnan(find(v, "poverty_rate")->value));
	CU_ASSERT_STRING_EQUAL(find(v, "poverty_rate")->why,
			       "not in the bundled data: terrain fetch gets it");
	CU_ASSERT(isnan(find(v, "median_living_standard")->value));
	CU_ASSERT_STRING_EQUAL(find(v, "living_standard_d1")->why, "not in the bundled data");
	compute_filosofi(NULL, "fr", v);
	CU_ASSERT(isnan(find(v, "median_living_standard")->value));
	/* secret and not available: never 0 */
	compute_filosofi(NULL, "01001", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "median_living_standard")->value, 25820, 0);
	CU_ASSERT(isnan(find(v, "poverty_rate")->value));
	CU_ASSERT_STRING_EQUAL(find(v, "poverty_rate")->why, "statistical secrecy");
	CU_ASSERT_STRING_EQUAL(find(v, "living_standard_d1")->why, "statistical secrecy");
	compute_filosofi(NULL, "09304", v);
	CU_ASSERT(isnan(find(v, "median_living_standard")->value));
	CU_ASSERT_STRING_EQUAL(find(v, "median_living_standard")->why,
			       "not available in the source");
	free(v);
}

/* Roubaix's poverty rate against its EPCI's, both published: tested as
 * a census rate is, on the persons of fiscal households (46 % of
 * Roubaix's, 19.7 % of the Métropole Européenne de Lille's); the median
 * has no base and makes no gap. */
static void test_indicators_filosofi_gap(void)
{
	const struct bundle *b = test_bundle();
	struct indicator_value *a = calloc(cat.n, sizeof(*a)), *r = calloc(cat.n, sizeof(*r));
	struct territory ta, tr;
	struct gap g;
	struct error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	compute_filosofi(NULL, "59512", a);
	compute_filosofi(NULL, "epci:200093201", r);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "59512", NULL, 0, &ta, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "epci:200093201", NULL, 0, &tr, NULL),
			      TERRAIN_OK);
	const struct indicator_value *pa = find(a, "poverty_rate"), *pr = find(r, "poverty_rate");
	CU_ASSERT_DOUBLE_EQUAL(pa->value, 46.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(pr->value, 19.7, 0);
	CU_ASSERT_DOUBLE_EQUAL(pa->num, 0.46 * pa->den, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(pa->den, 86657, 0);
	CU_ASSERT_DOUBLE_EQUAL(pr->den, 1094246, 0); /* NUM_PER */
	CU_ASSERT_EQUAL_FATAL(
	    indicators_gap(pa, pr, indicators_nested(&b->geo, &ta, &tr), 0.05, &g, &err),
	    TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(g.points, 26.3, 1e-9);
	CU_ASSERT(g.significant);
	CU_ASSERT_EQUAL(indicators_gap(find(a, "median_living_standard"),
				       find(r, "median_living_standard"), true, 0.05, &g, &err),
			TERRAIN_EDATA);
	/* a département without a value: no gap */
	compute_filosofi(NULL, "dep:59", r);
	CU_ASSERT_EQUAL(indicators_gap(pa, find(r, "poverty_rate"), true, 0.05, &g, &err),
			TERRAIN_EDATA);
	free(a);
	free(r);
}

/* The store beside the bundle: the store's value at the same period wins
 * (terrain fetch's copy is the newer), and it fills the départements the
 * bundle lacks (the stored values are made up for the test). */
static void test_indicators_filosofi_and_store(void)
{
	const struct bundle *b = test_bundle();
	struct obs_list l = {0};
	struct indicators_stored st;
	struct indicator_value *v = calloc(cat.n, sizeof(*v));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	add(&l, "com:38185", "2025", POV, "2021", 19.5, OBS_FINAL);
	add(&l, "dep:38", "2025", POV, "2021", 11.2, OBS_FINAL);
	indicators_stored_build(&b->geo, &l, NULL, &cat, &st);
	compute_filosofi(&st, "38185", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "poverty_rate")->value, 19.5, 0);
	/* the store's value of the bundle's period keeps the bundle's base
	 * (persons of the fiscal households), so that its gap is still tested */
	const struct indicator_value *pov = find(v, "poverty_rate");
	CU_ASSERT(pov->den > 0);
	CU_ASSERT_DOUBLE_EQUAL(pov->num, 0.195 * pov->den, 1e-9 * pov->den);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "median_living_standard")->value, 22140, 0); /* bundled */
	compute_filosofi(&st, "dep:38", v);
	CU_ASSERT_DOUBLE_EQUAL(find(v, "poverty_rate")->value, 11.2, 0);
	CU_ASSERT_STRING_EQUAL(find(v, "median_living_standard")->why,
			       "not in the bundled data: terrain fetch gets it");
	indicators_stored_release(&st);
	obs_list_release(&l);
	free(v);
}

/* The line want inside the block that starts with heading; NULL when
 * absent (the test fails). */
static const char *in_block(const char *out, const char *heading, const char *want)
{
	const char *h = strstr(out, heading);
	const char *end = h ? strstr(h, "\n\n") : NULL;
	const char *w = h ? strstr(h, want) : NULL;
	if (!w || (end && w > end)) {
		fprintf(stderr, "\nnot found under %s: %s", heading, want);
		return NULL;
	}
	return w;
}

/* terrain indicators offline, end to end: Grenoble's Filosofi values
 * (grep '^38185;' ../shared/data/filosofi/cc_filosofi_2021_COM.csv:
 * 22140;...;21,0), Isère without one, L'Abergement-Clémenciat's secret
 * poverty rate (grep '^01001;': s); a custom territory of Grenoble and
 * Échirolles has no published value and gets none (never their mean). */
static void test_indicators_cli_filosofi(void)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *dir = test_tmpdir();
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "38185", NULL}, NULL,
				 dir, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(
	    in_block(out.buf, "Taux de pauvreté (seuil à 60 %) (%)\n",
		     "  com:38185       Grenoble                    21.0 (2021)\n"));
	/* against its EPCI's 15: excess 136 136 x (0.21 - 0.15) = 8 168 persons
	 * (NBPERSMENFISC21, hand calculation) */
	CU_ASSERT_PTR_NOT_NULL(
	    in_block(out.buf, "Taux de pauvreté (seuil à 60 %) (%)\n",
		     "  epci:200040715  Grenoble-Alpes-Métropole    15.0 (2021)   gap "
		     "+6.0 pt, index 140, excess +8 168, significant at 5 %\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    in_block(out.buf, "Niveau de vie médian (euros a year)\n",
		     "  com:38185       Grenoble                    22 140 (2021)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf,
				      "  dep:38          Isère                       n/a (not "
				      "in the bundled data: terrain fetch gets it)\n"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"indicators", "-t", "01001", NULL}, NULL,
				 dir, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(
	    in_block(out.buf, "Taux de pauvreté (seuil à 60 %) (%)\n",
		     "  com:01001       L'Abergement-Clémenciat     n/a (statistical "
		     "secrecy)\n"));
	strbuf_release(&out);
	strbuf_release(&err);

	const struct bundle *b = test_bundle();
	const struct indicators_published *pub;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(bundle_filosofi(b, &pub, NULL), TERRAIN_OK);
	size_t member[2] = {geo_commune_find(&b->geo, "38185"), geo_commune_find(&b->geo, "38151")};
	char id[] = "two", label[] = "Deux communes";
	struct territory_custom c = {.id = id, .label = label, .member = member, .nmember = 2};
	struct territory t = {.type = TERRITORY_CUSTOM,
			      .code = "custom:two",
			      .name = c.label,
			      .index = GEO_NONE,
			      .custom = &c,
			      .from = GEO_NONE,
			      .tncc = -1};
	struct indicator_value *v = calloc(cat.n, sizeof(*v));
	struct indicators_input in = {&b->geo, &b->census, &b->pop_cog, &b->series, NULL, pub};
	indicators_compute(&in, &cat, &t, v);
	CU_ASSERT(isnan(find(v, "poverty_rate")->value));
	CU_ASSERT_STRING_EQUAL(find(v, "poverty_rate")->why, "not published for this territory");
	CU_ASSERT(isnan(find(v, "median_living_standard")->value));
	CU_ASSERT(find(v, "population_2021")->value > 157477); /* counts are still summed */
	free(v);
}

/* Values published at another level (datasets/social/): a commune shows
 * its EPCI's NEET share and its bassin de vie's statistics, said so (at),
 * never as its own; the EPCI shows its own; a département has none.
 * Figures: ../shared/data/ot_neet_epci/checks.txt (Grenoble-Alpes-Métropole
 * 11.3, Paris 10) and insee_sl_bv/checks.txt (BV Grenoble: single-parent
 * families 17.1, low-qualified 17.2). */
static void test_indicators_other_level(void)
{
	struct indicator_value *v = calloc(cat.n, sizeof(*v)), *e = calloc(cat.n, sizeof(*e));
	struct gap g;
	struct error err;
	/* Échirolles is in Grenoble's EPCI and bassin de vie */
	compute_filosofi(NULL, "38151", v);
	const struct indicator_value *neet = find(v, "neet_share"),
				     *fam = find(v, "single_parent_share");
	CU_ASSERT_DOUBLE_EQUAL(neet->value, 11.3, 1e-12);
	CU_ASSERT_STRING_EQUAL(neet->at, "epci:200040715");
	CU_ASSERT_STRING_EQUAL(neet->at_name, "Grenoble-Alpes-Métropole");
	CU_ASSERT_FALSE(neet->direct); /* not the commune's own */
	CU_ASSERT_STRING_EQUAL(neet->period, "2022");
	CU_ASSERT_DOUBLE_EQUAL(fam->value, 17.1, 1e-12);
	CU_ASSERT_STRING_EQUAL(fam->at, "bv:38185");
	CU_ASSERT_STRING_EQUAL(fam->at_name, "Grenoble");
	CU_ASSERT_DOUBLE_EQUAL(find(v, "low_qualified_share")->value, 17.2, 1e-12);
	/* the EPCI: its own NEET share; no bassin de vie statistics */
	compute_filosofi(NULL, "epci:200040715", e);
	CU_ASSERT_DOUBLE_EQUAL(find(e, "neet_share")->value, 11.3, 1e-12);
	CU_ASSERT_STRING_EQUAL(find(e, "neet_share")->at, "");
	CU_ASSERT(find(e, "neet_share")->direct);
	CU_ASSERT(isnan(find(e, "single_parent_share")->value));
	CU_ASSERT_STRING_EQUAL(find(e, "single_parent_share")->why,
			       "published for living areas only");
	/* no gap between a commune's EPCI value and the EPCI's own */
	CU_ASSERT_EQUAL(indicators_gap(neet, find(e, "neet_share"), true, 0.05, &g, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "neet_share of epci:200040715 is published at another "
					"level");
	/* a département: none, and why */
	compute_filosofi(NULL, "dep:38", e);
	CU_ASSERT(isnan(find(e, "neet_share")->value));
	CU_ASSERT_STRING_EQUAL(find(e, "neet_share")->why, "published for EPCI only");
	/* Paris is published as itself; its arrondissements take the city's
	 * bassin de vie, not a value of their own */
	compute_filosofi(NULL, "75056", e);
	CU_ASSERT_DOUBLE_EQUAL(find(e, "neet_share")->value, 10, 1e-12);
	CU_ASSERT_STRING_EQUAL(find(e, "neet_share")->at, "");
	compute_filosofi(NULL, "75101", e);
	CU_ASSERT_STRING_EQUAL(find(e, "single_parent_share")->at, "bv:75056");
	/* a département's age shares are its own and have their base: tested */
	compute_filosofi(NULL, "dep:19", e);
	compute_filosofi(NULL, "reg:75", v);
	const struct indicator_value *a = find(e, "pop_75_plus_share_estimate");
	CU_ASSERT_DOUBLE_EQUAL(a->den, 239071, 0);
	CU_ASSERT_EQUAL(
	    indicators_gap(a, find(v, "pop_75_plus_share_estimate"), true, 0.05, &g, &err),
	    TERRAIN_OK);
	free(v);
	free(e);
}

void suite_indicators(void)
{
	CU_pSuite s = CU_add_suite("indicators", setup, teardown);
	ADD_TEST(s, test_indicators_grenoble);
	ADD_TEST(s, test_indicators_isere_and_gap);
	ADD_TEST(s, test_indicators_flags);
	ADD_TEST(s, test_indicators_zone_sums);
	ADD_TEST(s, test_indicators_peers_and_rank);
	ADD_TEST(s, test_indicators_cli);
	ADD_TEST(s, test_indicators_stored);
	ADD_TEST(s, test_indicators_cli_store);
	ADD_TEST(s, test_indicators_filosofi);
	ADD_TEST(s, test_indicators_filosofi_gap);
	ADD_TEST(s, test_indicators_filosofi_and_store);
	ADD_TEST(s, test_indicators_cli_filosofi);
	ADD_TEST(s, test_indicators_other_level);
}
