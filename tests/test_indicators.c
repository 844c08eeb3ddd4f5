/* analysis/indicators.c on the bundled data: real INSEE figures, sums
 * over communes, the published series and its trend (R lm(), see
 * test_trend.c), gaps. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/indicators.h"
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
	indicators_compute(&b->geo, &b->census, &b->series, &cat, t, v);
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
	CU_ASSERT_STRING_EQUAL(l->why, "not published for this type of territory");
	CU_ASSERT_STRING_EQUAL(find(v, "rsa_households")->why,
			       "not in the bundled data (terrain fetch)");
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
		indicators_compute(&b->geo, &b->census, &b->series, &cat, &peers[j], pv);
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

void suite_indicators(void)
{
	CU_pSuite s = CU_add_suite("indicators", setup, teardown);
	ADD_TEST(s, test_indicators_grenoble);
	ADD_TEST(s, test_indicators_isere_and_gap);
	ADD_TEST(s, test_indicators_flags);
	ADD_TEST(s, test_indicators_peers_and_rank);
	ADD_TEST(s, test_indicators_cli);
}
