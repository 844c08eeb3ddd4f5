/* Sampling designs (strata, clusters, two stages, finite-population
 * corrections, lonely PSUs) against R's survey package.
 *
 * The data are R's own (data(api): apistrat, apiclus1, apiclus2, exported
 * by tests/fixtures/survey/designs/designs.R); every expected value comes
 * from that script run with R 4.2.2 and survey 4.1.1 (expected_r.csv,
 * committed; the tests never run R).  The design of each case is written
 * beside it as R's svydesign() call. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../analysis/estimate.h"
#include "../analysis/sampling.h"
#include "../analysis/surveystats.h"
#include "../analysis/weighting.h"
#include "../ingest/codebook.h"
#include "../ingest/margins.h"
#include "../ingest/surveydesc.h"
#include "../ingest/surveyfile.h"
#include "../report/note.h"
#include "../report/note_internal.h"
#include "helpers.h"

#define DFIX	"tests/fixtures/survey/designs/"
#define CB_HEAD "variable;type;role\n"

static struct test_rvalues ref;
static struct test_rvalues *cur = &ref; /* the values expect() looks up */

static int load_designs_reference(void)
{
	return test_rvalues_load(&ref, DFIX "expected_r.csv");
}

static int free_designs_reference(void)
{
	test_rvalues_release(&ref);
	return 0;
}

/* the largest relative difference to R in the current case, by statistic */
static struct {
	char stat[24];
	double worst;
} worst[32];
static size_t nworst;

static void note_difference(const char *name, double d)
{
	size_t len = strcspn(name, ".");
	size_t j = 0;
	while (j < nworst && (strlen(worst[j].stat) != len || strncmp(worst[j].stat, name, len)))
		j++;
	if (j == nworst && nworst < 32)
		snprintf(worst[nworst++].stat, sizeof(worst[0].stat), "%.*s", (int)len, name);
	if (j < nworst && d > worst[j].worst)
		worst[j].worst = d;
}

/* got against R's value for DESIGN.name, to rel relative (1e-12 absolute
 * near 0). */
static void expect_tol(const char *design, const char *name, double got, double rel)
{
	char full[200];
	snprintf(full, sizeof(full), "%s.%s", design, name);
	for (size_t i = 0; i < cur->n; i++) {
		if (strcmp(cur->name[i], full))
			continue;
		double want = cur->value[i];
		double tol = fmax(rel * fabs(want), 1e-12);
		double d = fabs(got - want) / fmax(fabs(want), 1e-300);
		cur->seen[i] = 1;
		if (fabs(want) > 1e-12)
			note_difference(name, d);
		if (!(fabs(got - want) <= tol)) {
			fprintf(stderr, "\n%s: got %.17g, R %.17g\n", full, got, want);
			CU_FAIL("differs from R");
		}
		return;
	}
	fprintf(stderr, "\nno R value named %s\n", full);
	CU_FAIL("missing R value");
}

static void expect(const char *design, const char *name, double got)
{
	expect_tol(design, name, got, 1e-9);
}

struct design_case {
	const char *name;     /* in expected_r.csv */
	const char *data;     /* DFIX DATA.csv */
	const char *codebook; /* DFIX codebook_CODEBOOK.csv */
	enum sampling_lonely lonely;
	const char *r; /* the design in R */
};

static const struct design_case cases[] = {
    {"strat", "apistrat", "strat", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc)"},
    {"stratwr", "apistrat", "stratwr", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~1, strata = ~stype, weights = ~pw)"},
    {"stratclus", "apistrat", "stratclus", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~dnum, strata = ~stype, weights = ~pw, nest = TRUE)"},
    {"clus1", "apiclus1", "clus1", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc)"},
    {"clus1nw", "apiclus1", "clus1nw", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~dnum, fpc = ~fpc): weights from the fpc"},
    {"clus2", "apiclus2", "clus2", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2): weights from the fpc"},
    {"clus2wr", "apiclus2", "clus2wr", SAMPLING_LONELY_FAIL,
     "svydesign(ids = ~dnum + snum, weights = ~pw): the second stage ignored"},
    {"countyremove", "apistrat", "county", SAMPLING_LONELY_REMOVE,
     "svydesign(ids = ~1, strata = ~cname, weights = ~pw), survey.lonely.psu = \"remove\""},
    {"countyadjust", "apistrat", "county", SAMPLING_LONELY_ADJUST,
     "the same, survey.lonely.psu = \"adjust\""},
    {"countyaverage", "apistrat", "county", SAMPLING_LONELY_AVERAGE,
     "the same, survey.lonely.psu = \"average\""},
};

static void load_case(const struct design_case *c, struct survey *s, struct weights *w)
{
	char cb[200], data[200];
	struct error err;
	struct survey_check chk = {0};
	struct weighting_opts o;
	snprintf(cb, sizeof(cb), DFIX "codebook_%s.csv", c->codebook);
	snprintf(data, sizeof(data), DFIX "%s.csv", c->data);
	CU_ASSERT_EQUAL_FATAL(codebook_load(s, cb, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(s, data, NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(chk.total, 0);
	survey_check_release(&chk);
	weighting_opts_init(&o);
	o.method = WEIGHTING_NONE;
	o.lonely = c->lonely;
	enum status st = weighting_run(s, NULL, &o, w, &err);
	if (st)
		fprintf(stderr, "\n%s: %s\n", c->name, err.msg);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
}

static const struct survey_var *var(const struct survey *s, const char *name)
{
	size_t i = survey_find(s, name);
	CU_ASSERT_FATAL(i != (size_t)-1);
	return &s->var[i];
}

/* The INVENTED survey of tests/fixtures/survey/ (its LimeSurvey export). */
static void load_invented(struct survey *s)
{
	struct survey_check chk = {0};
	struct error err;
	CU_ASSERT_EQUAL_FATAL(
	    codebook_load(s, "tests/fixtures/survey/codebook_limesurvey_invented.csv", &err),
	    TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(
	    surveyfile_read(s, "tests/fixtures/survey/limesurvey_invented.csv", NULL, &chk, &err),
	    TERRAIN_OK);
	survey_check_release(&chk);
}

/* 1 when v is "Yes", 0 when another answer, NAN when none. */
static void yes(const struct survey *s, const char *name, double *y)
{
	const struct survey_var *v = var(s, name);
	size_t k = survey_category(v, "Yes");
	for (size_t i = 0; i < s->n; i++)
		y[i] = v->status[i] == SURVEY_PRESENT ? (double)(v->value[i] == (double)k) : NAN;
}

static void compare_numeric(const char *dn, const struct design *d, const struct survey *s,
			    const char *v)
{
	char name[100];
	struct estimate e;
	const double *y = var(s, v)->value;
	estimate_mean(d, y, NULL, &e);
#define EXPECT(stat, got)                                       \
	do {                                                    \
		snprintf(name, sizeof(name), "%s.%s", stat, v); \
		expect(dn, name, got);                          \
	} while (0)
	EXPECT("mean", e.value);
	EXPECT("mean_se", e.se);
	EXPECT("mean_deff", e.deff);
	EXPECT("mean_low", e.ci_low);
	EXPECT("mean_high", e.ci_high);
	estimate_total(d, y, NULL, &e);
	EXPECT("total", e.value);
	EXPECT("total_se", e.se);
	EXPECT("total_deff", e.deff);
	EXPECT("total_low", e.ci_low);
	EXPECT("total_high", e.ci_high);
	estimate_median(d, y, NULL, &e);
	EXPECT("median", e.value);
	/* the issue's bar for quantile intervals: 1e-6 */
	snprintf(name, sizeof(name), "median_low.%s", v);
	expect_tol(dn, name, e.ci_low, 1e-6);
	snprintf(name, sizeof(name), "median_high.%s", v);
	expect_tol(dn, name, e.ci_high, 1e-6);
	snprintf(name, sizeof(name), "median_se.%s", v);
	expect_tol(dn, name, e.se, 1e-6);
#undef EXPECT
}

static void compare_yes(const char *dn, const struct design *d, const struct survey *s,
			const char *v)
{
	char name[100];
	struct estimate e;
	double *y = malloc(s->n * sizeof(double));
	yes(s, v, y);
	estimate_proportion(d, y, NULL, &e);
#define EXPECT(stat, got)                                           \
	do {                                                        \
		snprintf(name, sizeof(name), "%s.%s.Yes", stat, v); \
		expect(dn, name, got);                              \
	} while (0)
	EXPECT("prop", e.value);
	EXPECT("prop_se", e.se);
	EXPECT("prop_deff", e.deff);
	EXPECT("logit_low", e.ci_low);
	EXPECT("logit_high", e.ci_high);
	/* svyciprop itself: its svyglm stops at glm.control's epsilon 1e-8 */
	snprintf(name, sizeof(name), "prop_low.%s.Yes", v);
	expect_tol(dn, name, e.ci_low, 1e-7);
	snprintf(name, sizeof(name), "prop_high.%s.Yes", v);
	expect_tol(dn, name, e.ci_high, 1e-7);
	EXPECT("wilson_low", e.wilson_low);
	EXPECT("wilson_high", e.wilson_high);
	estimate_total(d, y, NULL, &e);
	EXPECT("total", e.value);
	EXPECT("total_se", e.se);
#undef EXPECT
	free(y);
}

static void compare_domains(const char *dn, const struct design *d, const struct survey *s)
{
	char name[100];
	struct estimate e;
	const struct survey_var *g = var(s, "sch.wide");
	unsigned char *in = malloc(s->n);
	double *y = malloc(s->n * sizeof(double));
	yes(s, "yr.rnd", y);
	for (size_t k = 0; k < g->ncat; k++) {
		const char *code = g->cat[k].code;
		for (size_t i = 0; i < s->n; i++)
			in[i] = g->status[i] == SURVEY_PRESENT && g->value[i] == (double)k;
#define EXPECT(stat, got)                                                      \
	do {                                                                   \
		snprintf(name, sizeof(name), "%s.in.sch.wide.%s", stat, code); \
		expect(dn, name, got);                                         \
	} while (0)
		estimate_mean(d, var(s, "api00")->value, in, &e);
		EXPECT("mean.api00", e.value);
		EXPECT("mean_se.api00", e.se);
		EXPECT("mean_deff.api00", e.deff);
		EXPECT("mean_low.api00", e.ci_low);
		EXPECT("degf", e.df);
		estimate_total(d, var(s, "enroll")->value, in, &e);
		EXPECT("total.enroll", e.value);
		EXPECT("total_se.enroll", e.se);
		estimate_proportion(d, y, in, &e);
		EXPECT("prop.yr.rnd.Yes", e.value);
		EXPECT("prop_se.yr.rnd.Yes", e.se);
#undef EXPECT
	}
	free(in);
	free(y);
}

static void compare_chisq(const char *dn, const struct design *d, const struct survey *s)
{
	const struct survey_var *a = var(s, "sch.wide"), *b = var(s, "awards");
	int *ca = malloc(s->n * sizeof(int)), *cb = malloc(s->n * sizeof(int));
	struct chisq x;
	struct error err;
	for (size_t i = 0; i < s->n; i++) {
		ca[i] = a->status[i] == SURVEY_PRESENT ? (int)a->value[i] : -1;
		cb[i] = b->status[i] == SURVEY_PRESENT ? (int)b->value[i] : -1;
	}
	CU_ASSERT_EQUAL(estimate_chisq(d, ca, a->ncat, cb, b->ncat, &x, &err), TERRAIN_OK);
	expect(dn, "chisq.F", x.F);
	expect(dn, "chisq.ndf", x.ndf);
	expect(dn, "chisq.ddf", x.ddf);
	expect(dn, "chisq.p", x.p);
	free(ca);
	free(cb);
}

static void test_design_matches_r(void)
{
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct design_case *dc = &cases[c];
		struct survey s;
		struct weights w;
		load_case(dc, &s, &w);
		struct design d = {s.n, w.w, &w.cal, &w.smp, false, NAN};
		nworst = 0;
		memset(worst, 0, sizeof(worst));
		expect(dc->name, "degf", sampling_df(&w.smp, w.w, NULL));
		double sum = 0;
		for (size_t i = 0; i < s.n; i++)
			sum += w.w[i];
		expect(dc->name, "weights.sum", sum);
		compare_numeric(dc->name, &d, &s, "api00");
		compare_numeric(dc->name, &d, &s, "enroll");
		compare_yes(dc->name, &d, &s, "sch.wide");
		compare_yes(dc->name, &d, &s, "awards");
		compare_yes(dc->name, &d, &s, "yr.rnd");
		compare_domains(dc->name, &d, &s);
		compare_chisq(dc->name, &d, &s);
		if (getenv("TERRAIN_TEST_VERBOSE")) {
			fprintf(stderr, "\n%s (%s): largest relative difference to R:", dc->name,
				dc->r);
			for (size_t j = 0; j < nworst; j++)
				fprintf(stderr, " %s %.2g", worst[j].stat, worst[j].worst);
		}
		weights_release(&w);
		survey_release(&s);
	}
}

/* Crossed domains (by = sch.wide*yr.rnd): every cell's estimates through
 * survey_stats_compute against svyby(~y, ~sch.wide + yr.rnd, design, FUN),
 * computed by crossed.R beside the fixtures (expected_crossed_r.csv; R
 * 4.2.2, survey 4.1.1).  A cell with no school (clus1's No*Yes) has no row,
 * as svyby gives none; every R value is compared. */
static void test_design_crossed_domains(void)
{
	struct test_rvalues crossed;
	CU_ASSERT_EQUAL_FATAL(test_rvalues_load(&crossed, DFIX "expected_crossed_r.csv"), 0);
	cur = &crossed;
	static const char *const names[] = {"strat", "clus1", "clus2"};
	for (size_t c = 0; c < 3; c++) {
		const struct design_case *dc = NULL;
		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			if (!strcmp(cases[k].name, names[c]))
				dc = &cases[k];
		CU_ASSERT_PTR_NOT_NULL_FATAL(dc);
		struct survey s;
		struct weights w;
		struct survey_stats st;
		struct survey_stats_opts o;
		struct error err;
		load_case(dc, &s, &w);
		size_t a = survey_find(&s, "sch.wide"), b = survey_find(&s, "yr.rnd");
		size_t api = survey_find(&s, "api00"), enr = survey_find(&s, "enroll");
		size_t aw = survey_find(&s, "awards");
		survey_stats_opts_init(&o);
		o.by = &a;
		o.by2 = &b;
		o.nby = 1;
		CU_ASSERT_EQUAL_FATAL(survey_stats_compute(&s, &w, &o, &st, &err), TERRAIN_OK);
		size_t compared = 0;
		for (size_t i = 0; i < st.n; i++) {
			const struct survey_result *r = &st.row[i];
			if (r->by == (size_t)-1)
				continue;
			CU_ASSERT_EQUAL(r->by, a);
			CU_ASSERT_EQUAL(r->by2, b);
			CU_ASSERT(r->var != a && r->var != b);
			const char *stat = NULL, *what = NULL;
			if (r->var == api && r->stat == STAT_MEAN)
				stat = "mean", what = "api00";
			else if (r->var == enr && r->stat == STAT_TOTAL)
				stat = "total", what = "enroll";
			else if (r->var == aw && r->stat == STAT_PROPORTION &&
				 !strcmp(s.var[aw].cat[r->cat].code, "Yes"))
				stat = "prop", what = "awards.Yes";
			if (!stat)
				continue;
			char name[160];
			const char *ca = s.var[a].cat[r->group].code;
			const char *cb = s.var[b].cat[r->group2].code;
			snprintf(name, sizeof(name), "%s.%s.in.sch.wide*yr.rnd.%s*%s", stat, what,
				 ca, cb);
			expect(dc->name, name, r->e.value);
			snprintf(name, sizeof(name), "%s_se.%s.in.sch.wide*yr.rnd.%s*%s", stat,
				 what, ca, cb);
			expect(dc->name, name, r->e.se);
			compared += 2;
		}
		/* clus1 has no year-round school that missed its target */
		CU_ASSERT_EQUAL(compared, strcmp(dc->name, "clus1") ? 24u : 18u);
		survey_stats_release(&st);
		weights_release(&w);
		survey_release(&s);
	}
	for (size_t i = 0; i < crossed.n; i++)
		if (!crossed.seen[i])
			fprintf(stderr, "\nR value %s not compared\n", crossed.name[i]);
	size_t seen = 0;
	for (size_t i = 0; i < crossed.n; i++)
		seen += crossed.seen[i];
	CU_ASSERT_EQUAL(seen, crossed.n);
	cur = &ref;
	test_rvalues_release(&crossed);
}

/* by = a*b from the command line: the cells named a*b and x*y, labels
 * crossed with ×; a half-written or self cross is refused with its
 * option. */
static void test_design_crossed_cli(void)
{
	char data[PATH_MAX], cb[PATH_MAX];
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(DFIX "apiclus1.csv", data));
	CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(DFIX "codebook_clus1.csv", cb));
	int rc = test_run((const char *const[]){"survey", "analyze", data, "--codebook", cb, "--by",
						"sch.wide*yr.rnd", "--format", "csv", NULL},
			  NULL, NULL, &out, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.buf, "api00,,,sch.wide*yr.rnd,Yes*No,Yes × No,mean,654.066225165563,"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "No*Yes"));
	rc = test_run((const char *const[]){"survey", "analyze", data, "--codebook", cb, "--by",
					    "sch.wide*", NULL},
		      NULL, NULL, &out, &err);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "--by: \"sch.wide*\" is not a variable or a cross "
					       "of two (expected a or a*b, such as sexe*statut)"));
	rc = test_run((const char *const[]){"survey", "analyze", data, "--codebook", cb, "--by",
					    "yr.rnd*yr.rnd", NULL},
		      NULL, NULL, &out, &err);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "--by: \"yr.rnd*yr.rnd\" crosses a variable with "
					       "itself (expected two variables)"));
	/* the project file's by: the crossed cells, and an error at its line */
	char dir[512], ini[600], text[3 * PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/crossed", test_tmpdir());
	mkdir(dir, 0700);
	snprintf(ini, sizeof(ini), "%s/terrain.ini", dir);
	snprintf(text, sizeof(text),
		 "[survey]\nfile = %s\ncodebook = %s\nby = stype, sch.wide*yr.rnd\n", data, cb);
	test_write_file(ini, text);
	rc = test_run((const char *const[]){"survey", "analyze", "--format", "csv", NULL}, NULL,
		      dir, &out, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, ",stype,E,Elementary,mean,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, ",sch.wide*yr.rnd,Yes*Yes,Yes × Yes,mean,"));
	snprintf(text, sizeof(text), "[survey]\nfile = %s\ncodebook = %s\nby = stype, sch.wide*\n",
		 data, cb);
	test_write_file(ini, text);
	rc = test_run((const char *const[]){"survey", "analyze", NULL}, NULL, dir, &out, &err);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err.buf, "terrain.ini:4: by: \"sch.wide*\" is not a variable"));
	strbuf_release(&out);
	strbuf_release(&err);
}

/* Last: every value R computed was compared. */
static void test_design_every_r_value(void)
{
	size_t seen = 0;
	for (size_t i = 0; i < ref.n; i++) {
		seen += ref.seen[i];
		if (!ref.seen[i])
			fprintf(stderr, "\nR value %s not compared\n", ref.name[i]);
	}
	CU_ASSERT_EQUAL(seen, ref.n);
}

/* Raking with R's stopping rule (rake()'s control = list(epsilon, maxit)):
 * the weights where R stops, not the converged ones, on the INVENTED survey
 * of tests/fixtures/survey/ (designs.R computes them). */
static void test_design_rake_r_rule(void)
{
	static const struct {
		const char *name;
		double epsilon;
		int max_iter;
	} rules[] = {{"rake3", 1, 3}, {"rakeshare", 1e-4, 100}};
	for (size_t r = 0; r < 2; r++) {
		struct survey s;
		struct margins m;
		struct weights w;
		struct weighting_opts o;
		struct error err;
		char name[64];
		load_invented(&s);
		CU_ASSERT_EQUAL_FATAL(
		    margins_load(&m, "tests/fixtures/survey/margins_invented.csv", &s, &err),
		    TERRAIN_OK);
		weighting_opts_init(&o);
		o.method = WEIGHTING_RAKE;
		o.epsilon = rules[r].epsilon;
		o.max_iter = rules[r].max_iter;
		CU_ASSERT_EQUAL_FATAL(weighting_run(&s, &m, &o, &w, &err), TERRAIN_OK);
		for (size_t i = 0; i < s.n; i++) {
			snprintf(name, sizeof(name), "weight.%zu", i + 1);
			expect(rules[r].name, name, w.w[i]);
		}
		struct design d = {s.n, w.w, &w.cal, &w.smp, false, NAN};
		struct estimate e;
		estimate_mean(&d, var(&s, "revenu")->value, NULL, &e);
		expect(rules[r].name, "mean.revenu", e.value);
		expect(rules[r].name, "mean_se.revenu", e.se);
		CU_ASSERT(w.iterations <= rules[r].max_iter);
		weights_release(&w);
		margins_release(&m);
		survey_release(&s);
	}
}

/* Linear calibration (GREG) against calibrate(calfun = "linear"): on the
 * INVENTED survey with category margins and a number's total, and on the
 * one-stage cluster sample with fpc calibrated to California's school types
 * and total API (designs.R). */
static void test_design_linear_calibration(void)
{
	static const struct {
		const char *name, *codebook, *data, *margins, *y, *domain;
	} calib[] = {
	    {"lin", "tests/fixtures/survey/codebook_limesurvey_invented.csv",
	     "tests/fixtures/survey/limesurvey_invented.csv", DFIX "margins_linear_invented.csv",
	     "revenu", "sexe"},
	    {"clus1lin", DFIX "codebook_clus1.csv", DFIX "apiclus1.csv",
	     DFIX "margins_apiclus1.csv", "api00", "sch.wide"},
	};
	for (size_t c = 0; c < sizeof(calib) / sizeof(calib[0]); c++) {
		struct survey s;
		struct survey_check chk = {0};
		struct margins m;
		struct weights w;
		struct weighting_opts o;
		struct error err;
		struct estimate e;
		char name[96];
		const char *dn = calib[c].name, *y = calib[c].y;
		CU_ASSERT_EQUAL_FATAL(codebook_load(&s, calib[c].codebook, &err), TERRAIN_OK);
		CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, calib[c].data, NULL, &chk, &err),
				      TERRAIN_OK);
		survey_check_release(&chk);
		CU_ASSERT_EQUAL_FATAL(margins_load(&m, calib[c].margins, &s, &err), TERRAIN_OK);
		weighting_opts_init(&o);
		/* a number's total needs the linear method */
		CU_ASSERT_EQUAL(weighting_run(&s, &m, &o, &w, &err), TERRAIN_EDATA);
		if (c == 0)
			CU_ASSERT_STRING_EQUAL(err.msg,
					       DFIX "margins_linear_invented.csv:9: \"enfants\" is "
						    "a number's total (expected method = linear "
						    "to calibrate on it)");
		o.method = WEIGHTING_LINEAR;
		enum status st = weighting_run(&s, &m, &o, &w, &err);
		if (st)
			fprintf(stderr, "\n%s\n", err.msg);
		CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
		for (size_t i = 0; i < s.n; i++) {
			snprintf(name, sizeof(name), "weight.%zu", i + 1);
			expect(dn, name, w.w[i]);
		}
		/* every margin and total holds */
		CU_ASSERT(w.gap < 1e-9);
		struct design d = {s.n, w.w, &w.cal, &w.smp, false, NAN};
		const double *yv = var(&s, y)->value;
		estimate_mean(&d, yv, NULL, &e);
		snprintf(name, sizeof(name), "mean.%s", y);
		expect(dn, name, e.value);
		snprintf(name, sizeof(name), "mean_se.%s", y);
		expect(dn, name, e.se);
		snprintf(name, sizeof(name), "mean_deff.%s", y);
		expect(dn, name, e.deff);
		estimate_total(&d, yv, NULL, &e);
		snprintf(name, sizeof(name), "total.%s", y);
		expect(dn, name, e.value);
		snprintf(name, sizeof(name), "total_se.%s", y);
		expect(dn, name, e.se);
		const struct survey_var *g = var(&s, calib[c].domain);
		unsigned char *in = malloc(s.n);
		for (size_t k = 0; k < g->ncat; k++) {
			for (size_t i = 0; i < s.n; i++)
				in[i] = g->status[i] == SURVEY_PRESENT && g->value[i] == (double)k;
			estimate_mean(&d, yv, in, &e);
			snprintf(name, sizeof(name), "mean.%s.in.%s.%s", y, g->name,
				 g->cat[k].code);
			expect(dn, name, e.value);
			snprintf(name, sizeof(name), "mean_se.%s.in.%s.%s", y, g->name,
				 g->cat[k].code);
			expect(dn, name, e.se);
		}
		free(in);
		weights_release(&w);
		margins_release(&m);
		survey_release(&s);
	}
}

/* The median where a weight share falls exactly on one half in R: weights
 * 0.3, 0.1, 0.2 on 1, 2, 3 (0.3 of 0.6; in double 0.3 + 0.1 + 0.2 is
 * 0.6000000000000001).  R: svyquantile(~x, svydesign(ids = ~1, weights = ~w,
 * data = data.frame(x = 1:3, w = c(.3, .1, .2))), 0.5) gives 1. */
static void test_design_median_on_a_half(void)
{
	const double y[] = {1, 2, 3}, wt[] = {0.3, 0.1, 0.2};
	struct design d = {3, wt, NULL, NULL, false, NAN};
	struct estimate e;
	estimate_median(&d, y, NULL, &e);
	CU_ASSERT_EQUAL(e.value, 1);
}

/* Post-stratification on crossed cells (a margins row "sexe*tranche_age;F*18-29")
 * against postStratify(d, ~sexe + tranche_age, cells) on the INVENTED survey
 * (designs.R). */
static void test_design_crossed_poststrata(void)
{
	struct survey s;
	struct margins m;
	struct weights w;
	struct weighting_opts o;
	struct error err;
	struct estimate e;
	char name[64];
	load_invented(&s);
	CU_ASSERT_EQUAL_FATAL(margins_load(&m, DFIX "margins_crossed_invented.csv", &s, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL(m.n, 1);
	CU_ASSERT_EQUAL(m.m[0].ncat, 8);
	weighting_opts_init(&o);
	o.method = WEIGHTING_POSTSTRATIFY;
	CU_ASSERT_EQUAL_FATAL(weighting_run(&s, &m, &o, &w, &err), TERRAIN_OK);
	for (size_t i = 0; i < s.n; i++) {
		snprintf(name, sizeof(name), "weight.%zu", i + 1);
		expect("cross", name, w.w[i]);
	}
	struct design d = {s.n, w.w, &w.cal, &w.smp, false, NAN};
	estimate_mean(&d, var(&s, "revenu")->value, NULL, &e);
	expect("cross", "mean.revenu", e.value);
	expect("cross", "mean_se.revenu", e.se);
	double *y = malloc(s.n * sizeof(double));
	const struct survey_var *st = var(&s, "statut"), *sx = var(&s, "sexe");
	size_t k = survey_category(st, "chomage");
	for (size_t i = 0; i < s.n; i++)
		y[i] = st->status[i] == SURVEY_PRESENT ? (double)(st->value[i] == (double)k) : NAN;
	estimate_proportion(&d, y, NULL, &e);
	expect("cross", "prop.statut.chomage", e.value);
	expect("cross", "prop_se.statut.chomage", e.se);
	unsigned char *in = malloc(s.n);
	for (size_t g = 0; g < sx->ncat; g++) {
		for (size_t i = 0; i < s.n; i++)
			in[i] = sx->status[i] == SURVEY_PRESENT && sx->value[i] == (double)g;
		estimate_mean(&d, var(&s, "revenu")->value, in, &e);
		snprintf(name, sizeof(name), "mean.revenu.in.sexe.%s", sx->cat[g].code);
		expect("cross", name, e.value);
		snprintf(name, sizeof(name), "mean_se.revenu.in.sexe.%s", sx->cat[g].code);
		expect("cross", name, e.se);
	}
	/* a cell's name in messages and reports */
	char buf[64];
	CU_ASSERT_STRING_EQUAL(margin_name(&m.m[0], &s, buf, sizeof(buf)), "sexe*tranche_age");
	CU_ASSERT_STRING_EQUAL(margin_category(&m.m[0], &s, 5, false, buf, sizeof(buf)), "H*30-44");
	free(in);
	free(y);
	weights_release(&w);
	margins_release(&m);
	survey_release(&s);
}

/* Margins given as rounded shares are shares, normalised, never counts. */
static void test_design_rounded_shares(void)
{
	static const char *const texts[] = {
	    "variable;category;target\nsexe;F;33,3\nsexe;H;66,6\n",
	    "variable;category;target\nsexe;F;0,33\nsexe;H;0,66\n",
	    "variable;category;target\nsexe;F;33,3 %\nsexe;H;66,6 %\n",
	};
	struct survey s;
	struct error err;
	char path[512];
	load_invented(&s);
	snprintf(path, sizeof(path), "%s/shares.csv", test_tmpdir());
	for (size_t t = 0; t < 3; t++) {
		struct margins m;
		test_write_file(path, texts[t]);
		CU_ASSERT_EQUAL_FATAL(margins_load(&m, path, &s, &err), TERRAIN_OK);
		CU_ASSERT(m.m[0].share);
		CU_ASSERT(isnan(m.total));
		/* 33,3 / 99,9 and 0,33 / 0,99 */
		CU_ASSERT_DOUBLE_EQUAL(m.m[0].target[0], 1.0 / 3, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(m.m[0].target[1], 2.0 / 3, 1e-12);
		margins_release(&m);
	}
	survey_release(&s);
}

/* The note says which design the intervals took into account, in one
 * sentence in its language; nothing when the codebook declares none. */
static void test_design_note_sentence(void)
{
	static const struct {
		const char *codebook, *data;
		bool en;
		const char *want;
	} calib[] = {
	    {"strat", "apistrat", false,
	     "Les intervalles de confiance tiennent compte du plan de sondage\xc2\xa0: 3 strates "
	     "o\xc3\xb9 "
	     "les r\xc3\xa9pondants sont tir\xc3\xa9s directement, avec correction pour population "
	     "finie.\n\n"},
	    {"stratclus", "apistrat", true,
	     "The confidence intervals take the sampling design into account: 3 strata, 162 "
	     "clusters drawn at the first stage.\n\n"},
	    {"clus2", "apiclus2", false,
	     "Les intervalles de confiance tiennent compte du plan de sondage\xc2\xa0: 40 grappes "
	     "tir\xc3\xa9"
	     "es au premier degr\xc3\xa9 puis un second tirage dans chaque grappe, avec correction "
	     "pour population finie.\n\n"},
	    {"clus2", "apiclus2", true,
	     "The confidence intervals take the sampling design into account: 40 clusters drawn "
	     "at the first stage then a second draw within each cluster, with the "
	     "finite-population correction.\n\n"},
	};
	for (size_t c = 0; c < sizeof(calib) / sizeof(calib[0]); c++) {
		struct survey s;
		struct weights w;
		struct note_survey sv = {0};
		struct strbuf sb = STRBUF_INIT;
		int sec = 0;
		load_case(&(struct design_case){"", calib[c].data, calib[c].codebook,
						SAMPLING_LONELY_FAIL, ""},
			  &s, &w);
		note_survey_design(&sv, &w.smp);
		struct note_input in = {.survey = &sv, .en = calib[c].en};
		note_survey_section(&in, &sb, &sec);
		if (!strstr(sb.buf, calib[c].want))
			fprintf(stderr, "\n%s\n", sb.buf);
		CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, calib[c].want));
		strbuf_release(&sb);
		weights_release(&w);
		survey_release(&s);
	}
	/* weights only: no sentence */
	struct note_survey sv = {0};
	struct note_input in = {.survey = &sv};
	struct strbuf sb = STRBUF_INIT;
	int sec = 0;
	note_survey_section(&in, &sb, &sec);
	CU_ASSERT_PTR_NULL(strstr(sb.buf, "plan de sondage"));
	strbuf_release(&sb);
}

/* survey check finds what analyze would refuse: a weight of 0, a negative
 * or blank one, a blank stratum, each with its line and column. */
static void test_design_check_finds_bad_weights(void)
{
	char cb[512], d[512];
	struct survey s;
	struct survey_check chk = {0};
	struct error err;
	snprintf(cb, sizeof(cb), "%s/check_cb.csv", test_tmpdir());
	snprintf(d, sizeof(d), "%s/check.csv", test_tmpdir());
	test_write_file(cb, CB_HEAD "h;integer;stratum\nw;decimal;weight\ny;decimal;\n");
	test_write_file(d, "h;w;y\n1;2;1\n1;0;2\n2;-1,5;3\n2;;4\n;3;5\n");
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, cb, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, d, NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(chk.total, 4);
	CU_ASSERT_EQUAL(chk.count[SURVEY_PB_DESIGN], 4);
	static const char *const want[] = {
	    "check.csv:3:2: 0 is not a weight (expected a number above 0 for \"w\") (column \"w\")",
	    "check.csv:4:2: -1,5 is not a weight (expected a number above 0 for \"w\") (column "
	    "\"w\")",
	    "check.csv:5:2: no value for this respondent (expected one for everybody: \"w\" is "
	    "the design's weight) (column \"w\")",
	    "check.csv:6:1: no value for this respondent (expected one for everybody: \"h\" is "
	    "the design's stratum) (column \"h\")",
	};
	for (size_t k = 0; k < 4 && k < chk.n; k++) {
		const char *at = strstr(chk.msg[k], "check.csv");
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		if (strcmp(at, want[k]))
			fprintf(stderr, "\n%s\n", at);
		CU_ASSERT_STRING_EQUAL(at, want[k]);
	}
	survey_check_release(&chk);
	survey_release(&s);

	/* a long value is quoted by its first bytes, and the expectation kept */
	struct strbuf data = STRBUF_INIT;
	strbuf_addstr(&data, "h;w;y\n1;2;");
	for (int k = 0; k < 2000; k++)
		strbuf_addch(&data, k % 10 == 9 ? ' ' : 'x');
	strbuf_addstr(&data, "\n1;2;3\n");
	test_write_file(d, data.buf);
	strbuf_release(&data);
	memset(&chk, 0, sizeof(chk));
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, cb, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, d, NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(chk.n, 1);
	const char *at = strstr(chk.msg[0], "check.csv");
	CU_ASSERT_STRING_EQUAL(at, "check.csv:2:3: \"xxxxxxxxx xxxxxxxxx xxxxxxxxx xxxxxxxxx "
				   "xxxxxxxx...\" is not a number (expected a number such as 12,5 "
				   "for \"y\") (column \"y\")");
	survey_check_release(&chk);
	survey_release(&s);
}

/* A UTF-8 file without BOM and with one stray byte is read as UTF-8 (no
 * "Ã¢ge"), the stray byte named with its line and column. */
static void test_design_stray_byte(void)
{
	char cb[512], d[512];
	struct survey s;
	struct survey_check chk = {0};
	struct error err;
	snprintf(cb, sizeof(cb), "%s/stray_cb.csv", test_tmpdir());
	snprintf(d, sizeof(d), "%s/stray.csv", test_tmpdir());
	test_write_file(cb, "variable;column;type\nnom;nom;text\nage;\xc3\xa2ge;integer\n");
	test_write_file(d, "nom;\xc3\xa2ge\nAna\xc3\xafs;31\nB\xe9o;42\nZo\xc3\xa9;50\n");
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, cb, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, d, NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(s.encoding, "UTF-8");
	CU_ASSERT_EQUAL(chk.count[SURVEY_PB_UNREADABLE], 1);
	if (chk.n) {
		const char *at = strstr(chk.msg[0], "stray.csv");
		CU_ASSERT_PTR_NOT_NULL(
		    at ? strstr(at, "stray.csv:3:1: byte 0xE9 at byte 2 of the field "
				    "is not UTF-8")
		       : NULL);
	}
	/* that value only is left out: reading goes on (--lenient keeps 3 rows of 3) */
	CU_ASSERT_FALSE(chk.stopped);
	CU_ASSERT_EQUAL(chk.total, 1);
	CU_ASSERT_EQUAL(s.n, 3);
	CU_ASSERT_EQUAL(s.var[0].status[1], SURVEY_MISSING_CODE);
	CU_ASSERT_EQUAL(s.var[1].value[2], 50);
	survey_check_release(&chk);
	survey_release(&s);
}

/* survey describe on an export with trailing columns without a header drafts
 * a codebook that check accepts (it left "v_" columns no header has). */
static void test_design_describe_trailing_columns(void)
{
	char path[512];
	struct survey d;
	struct surveydesc info;
	struct error err;
	snprintf(path, sizeof(path), "%s/trailing.csv", test_tmpdir());
	test_write_file(path, "age;sexe;;;\n30;F;;;\n40;H;;;\n");
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(path, NULL, &d, &info, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(d.nvar, 2);
	CU_ASSERT_STRING_EQUAL(info.col[2].verdict, "left out (no header, empty)");
	survey_release(&d);
	surveydesc_release(&info);
	/* LimeSurvey's bookkeeping columns: an id and meta, never questions */
	test_write_file(path, "id;seed;submitdate;startlanguage;age\n1;123;2026-01-01;fr;30\n"
			      "2;456;;fr;40\n");
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(path, NULL, &d, &info, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(d.nvar, 5);
	CU_ASSERT_EQUAL(d.var[0].role, SURVEY_ROLE_ID);
	CU_ASSERT_EQUAL(d.var[1].role, SURVEY_ROLE_META);
	CU_ASSERT_EQUAL(d.var[2].role, SURVEY_ROLE_META);
	CU_ASSERT_EQUAL(d.var[3].role, SURVEY_ROLE_META);
	CU_ASSERT_EQUAL(d.var[4].role, SURVEY_ROLE_NONE);
	survey_release(&d);
	surveydesc_release(&info);
	/* a long question's name ends at a whole word */
	test_write_file(path, "Quelle est votre situation professionnelle actuelle ?\nemploi\n"
			      "emploi\nchomage\n");
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(path, NULL, &d, &info, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(d.var[0].name, "quelle_est_votre_situation");
	survey_release(&d);
	surveydesc_release(&info);
}

/* A ./terrain.ini does not apply its [survey] options to a FILE named on
 * the command line (its margins file here does not even exist). */
static void test_design_file_ignores_project(void)
{
	char dir[512], ini[600], data[PATH_MAX], cb[PATH_MAX];
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	snprintf(dir, sizeof(dir), "%s/ini", test_tmpdir());
	mkdir(dir, 0700);
	snprintf(ini, sizeof(ini), "%s/terrain.ini", dir);
	test_write_file(ini, "[survey]\nfile = autre.csv\ncodebook = autre_cb.csv\n"
			     "margins = absent.csv\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(DFIX "apistrat.csv", data));
	CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(DFIX "codebook_stratwr.csv", cb));
	int rc = test_run((const char *const[]){"survey", "analyze", data, "--codebook", cb,
						"--format", "csv", NULL},
			  NULL, dir, &out, &err);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		fprintf(stderr, "\n%s\n", err.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "api00,,,,,,mean,"));
	strbuf_release(&out);
	strbuf_release(&err);
}

/* The design's errors, each with its file and line (the survey's line for a
 * respondent, the codebook's for a role). */
static enum status design_error(const char *codebook, const char *data, enum sampling_lonely l,
				struct error *err)
{
	char cb[512], d[512];
	struct survey s;
	struct survey_check chk = {0};
	struct weights w;
	struct weighting_opts o;
	snprintf(cb, sizeof(cb), "%s/design_cb.csv", test_tmpdir());
	snprintf(d, sizeof(d), "%s/design.csv", test_tmpdir());
	test_write_file(cb, codebook);
	test_write_file(d, data);
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, cb, err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, d, NULL, &chk, err), TERRAIN_OK);
	survey_check_release(&chk);
	weighting_opts_init(&o);
	o.method = WEIGHTING_NONE;
	o.lonely = l;
	enum status st = weighting_run(&s, NULL, &o, &w, err);
	if (!st)
		weights_release(&w);
	survey_release(&s);
	/* keep the message's own words only, after the temporary folder */
	const char *at = strstr(err->msg, "design");
	if (at)
		memmove(err->msg, at, strlen(at) + 1);
	return st;
}

static void test_design_errors(void)
{
	struct error err;
	struct survey s;
	struct survey_check chk = {0};
	struct weights w;
	struct weighting_opts o;
	/* a stratum with one respondent: R stops with "Stratum (Amador) has only
	 * one PSU at stage 1"; terrain names the stratum and its line */
	load_case(
	    &(struct design_case){"countyfail", "apistrat", "county", SAMPLING_LONELY_REMOVE, ""},
	    &s, &w);
	weights_release(&w);
	weighting_opts_init(&o);
	o.method = WEIGHTING_NONE;
	CU_ASSERT_EQUAL(weighting_run(&s, NULL, &o, &w, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, DFIX "apistrat.csv:97: stratum \"Amador\" of \"cname\" has "
					     "a single respondent (expected two or more, or "
					     "lonely_psu = remove, adjust or average)");
	survey_release(&s);
	(void)chk;

	const char *cb2 = CB_HEAD "g;integer;cluster\nu;integer;cluster2\nN;integer;fpc\n"
				  "M;integer;fpc2\ny;decimal;\n";
	/* a cluster with one second-stage unit out of 4 */
	CU_ASSERT_EQUAL(design_error(cb2,
				     "g;u;N;M;y\n1;1;10;4;2\n1;2;10;4;3\n2;3;10;4;1\n"
				     "3;4;10;4;5\n3;5;10;4;6\n",
				     SAMPLING_LONELY_FAIL, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "design.csv:4: cluster \"2\" of \"g\" has a single "
					"second-stage unit (expected two or more, or lonely_psu = "
					"remove, adjust or average)");
	/* wholly sampled (M = 1): no variance at that stage, no error, as R */
	CU_ASSERT_EQUAL(design_error(cb2,
				     "g;u;N;M;y\n1;1;10;4;2\n1;2;10;4;3\n2;3;10;1;1\n"
				     "3;4;10;4;5\n3;5;10;4;6\n",
				     SAMPLING_LONELY_FAIL, &err),
			TERRAIN_OK);
	/* an fpc that varies within its stratum */
	CU_ASSERT_EQUAL(design_error(CB_HEAD "h;integer;stratum\nN;integer;fpc\ny;decimal;\n",
				     "h;N;y\n1;10;1\n1;10;2\n1;12;3\n2;5;4\n2;5;5\n",
				     SAMPLING_LONELY_FAIL, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "design.csv:4: \"N\" is 12 here and 10 on line 2 of the "
					"same stratum (expected one value for each stratum)");
	/* a population smaller than the sample */
	CU_ASSERT_EQUAL(design_error(CB_HEAD "h;integer;stratum\nN;integer;fpc\ny;decimal;\n",
				     "h;N;y\n1;10;1\n1;10;2\n2;1;4\n2;1;5\n", SAMPLING_LONELY_FAIL,
				     &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "design.csv:4: \"N\" gives a population of 1 for this "
			       "stratum, fewer than the 2 units sampled in it (expected at "
			       "least as many)");
	/* a blank stratum */
	CU_ASSERT_EQUAL(design_error(CB_HEAD "h;integer;stratum\ny;decimal;\n",
				     "h;y\n1;1\n1;2\n;3\n", SAMPLING_LONELY_FAIL, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "design.csv:4: no value of \"h\" (the design's stratum) "
					"for this respondent (expected one for everybody)");
	/* cluster2 and fpc without fpc2 (R cannot run it either) */
	CU_ASSERT_EQUAL(design_error(CB_HEAD "g;integer;cluster\nu;integer;cluster2\n"
					     "N;integer;fpc\ny;decimal;\n",
				     "g;u;N;y\n1;1;10;2\n2;2;10;3\n", SAMPLING_LONELY_FAIL, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "design_cb.csv:3: \"u\" is a cluster2 and \"N\" an fpc, "
					"but no variable is an fpc2 (expected the second stage's "
					"population too, as svydesign's fpc = ~N + ...)");
	/* a mix of sizes and fractions */
	CU_ASSERT_EQUAL(design_error(CB_HEAD "h;integer;stratum\nN;decimal;fpc\ny;decimal;\n",
				     "h;N;y\n1;0.5;1\n1;0.5;2\n2;10;3\n2;10;4\n",
				     SAMPLING_LONELY_FAIL, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "design.csv: \"N\" mixes population sizes and sampling "
			       "fractions (expected every value >= 1, or every value <= 1)");
}

void suite_design(void)
{
	CU_pSuite s = CU_add_suite("design", load_designs_reference, free_designs_reference);
	ADD_TEST(s, test_design_matches_r);
	ADD_TEST(s, test_design_errors);
	ADD_TEST(s, test_design_rake_r_rule);
	ADD_TEST(s, test_design_note_sentence);
	ADD_TEST(s, test_design_linear_calibration);
	ADD_TEST(s, test_design_median_on_a_half);
	ADD_TEST(s, test_design_check_finds_bad_weights);
	ADD_TEST(s, test_design_crossed_poststrata);
	ADD_TEST(s, test_design_rounded_shares);
	ADD_TEST(s, test_design_stray_byte);
	ADD_TEST(s, test_design_describe_trailing_columns);
	ADD_TEST(s, test_design_file_ignores_project);
	ADD_TEST(s, test_design_crossed_domains);
	ADD_TEST(s, test_design_crossed_cli);
	ADD_TEST(s, test_design_every_r_value);
}
