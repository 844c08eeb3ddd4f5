/* analysis/sizing.c and ingest/offer.c: the target public with its range,
 * coverage, deficit and posts, each checked against a calculation written
 * out here; the offer file and its errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/sizing.h"
#include "../core/store.h"
#include "../ingest/offer.h"
#include "../ingest/siae.h"
#include "../pipeline/sizingcfg.h"
#include "helpers.h"
#include <jansson.h>

static struct sizing_term term(const char *label, double c, double lo, double hi, bool share)
{
	struct sizing_term t;
	memset(&t, 0, sizeof(t));
	snprintf(t.label, sizeof(t.label), "%s", label);
	t.v = (struct sizing_range){c, lo, hi};
	t.share = share;
	return t;
}

static void test_sizing_target_range(void)
{
	/* 1 000 [950, 1 050] x 0.4 [0.3, 0.5] x 0.5 [0.5, 0.5]:
	 * central 1 000 x 0.4 x 0.5 = 200; low 950 x 0.3 x 0.5 = 142.5;
	 * high 1 050 x 0.5 x 0.5 = 262.5 */
	struct sizing_term t[] = {term("base", 1000, 950, 1050, false),
				  term("share a", 0.4, 0.3, 0.5, true),
				  term("share b", 0.5, 0.5, 0.5, true)};
	struct sizing_range r;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(sizing_target(t, 3, &r, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(r.central, 200, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.low, 142.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.high, 262.5, 1e-9);
	/* the bounds are the extremes of every combination of the terms'
	 * bounds: checked directly over the 8 corners */
	double lo = INFINITY, hi = -INFINITY;
	for (int m = 0; m < 8; m++) {
		double x = (m & 1 ? 950 : 1050) * (m & 2 ? 0.3 : 0.5) * 0.5;
		lo = fmin(lo, x);
		hi = fmax(hi, x);
	}
	CU_ASSERT_DOUBLE_EQUAL(r.low, lo, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.high, hi, 1e-9);
	/* a base alone */
	CU_ASSERT_EQUAL(sizing_target(t, 1, &r, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(r.central, 1000, 0);
}

static void test_sizing_target_errors(void)
{
	struct sizing_range r;
	struct error err;
	struct sizing_term share_first = term("part RSA", 0.4, 0.3, 0.5, true);
	CU_ASSERT_EQUAL(sizing_target(NULL, 0, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "the target public has no base count");
	CU_ASSERT_EQUAL(sizing_target(&share_first, 1, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "the target public starts with a share (\"part RSA\"): "
					"expected a count first");
	struct sizing_term two[] = {term("base", 100, 90, 110, false),
				    term("share", 1.2, 1.1, 1.3, true)};
	CU_ASSERT_EQUAL(sizing_target(two, 2, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"share\": a share must lie between 0 and 1");
	two[1] = term("share", 0.5, 0.6, 0.7, true);
	CU_ASSERT_EQUAL(sizing_target(two, 2, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "\"share\": the range [0.6, 0.7] does not hold the value 0.5");
	two[1] = term("count", 5, 5, 5, false);
	CU_ASSERT_EQUAL(sizing_target(two, 2, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "\"count\" is a count: after the base count, the target public "
			       "takes shares");
	two[1] = term("nan", NAN, 0, 1, true);
	CU_ASSERT_EQUAL(sizing_target(two, 2, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"nan\" has no value");
}

static void test_sizing_counts(void)
{
	/* Grenoble's 10 527 unemployed, sampled at 0.4: half-width
	 * 1.96 sqrt(10 527 x 0.6 / 0.4) = 1.959964 x 125.6602 = 246.29 */
	struct sizing_range r = sizing_census_count(10527, 0.4);
	CU_ASSERT_DOUBLE_EQUAL(r.central, 10527, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.high - r.central, 1.959963984540054 * sqrt(10527 * 1.5), 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.high - r.central, 246.29, 0.01);
	r = sizing_census_count(300, 1); /* a small commune, counted whole */
	CU_ASSERT_DOUBLE_EQUAL(r.low, 300, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.high, 300, 0);
	/* 3 communes rounded to 5: +/- 7.5 */
	r = sizing_rounded_count(1250, 3, 5);
	CU_ASSERT_DOUBLE_EQUAL(r.low, 1242.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.high, 1257.5, 0);
	r = sizing_rounded_count(2, 1, 5);
	CU_ASSERT_DOUBLE_EQUAL(r.low, 0, 0); /* never negative */
}

/* A ratio as a share of the target public gets the census's sampling
 * range only when its numerator is a census count: caf.* and cog.* ids
 * also begin with 'c' and once got it too.  Expected bounds by hand:
 * 0.2 -/+ 1.959964 sqrt(0.2 * 0.8 * (1 - 0.25) / (1000 * 0.25)) =
 * 0.157059 and 0.242941. */
static void test_sizing_indicator_range_census_only(void)
{
	char num_census[] = "census.x", num_caf[] = "caf.rsa", num_cog[] = "cog.pop";
	struct indicator_def census = {.kind = INDICATOR_RATIO, .numerator = num_census};
	struct indicator_def caf = {.kind = INDICATOR_RATIO, .numerator = num_caf};
	struct indicator_def cog = {.kind = INDICATOR_RATIO, .numerator = num_cog};
	struct indicator_value v = {.value = 20, .den = 1000, .f = 0.25};
	struct sizing_range r;
	v.def = &census;
	CU_ASSERT_EQUAL(sizing_indicator_range(&v, true, &r), SIZING_RANGE_CENSUS);
	CU_ASSERT_DOUBLE_EQUAL(r.central, 0.2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.low, 0.157059, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r.high, 0.242941, 1e-6);
	v.def = &caf;
	CU_ASSERT_EQUAL(sizing_indicator_range(&v, true, &r), SIZING_RANGE_NONE);
	CU_ASSERT_DOUBLE_EQUAL(r.low, 0.2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.high, 0.2, 1e-12);
	v.def = &cog;
	CU_ASSERT_EQUAL(sizing_indicator_range(&v, true, &r), SIZING_RANGE_NONE);
}

static void test_sizing_coverage_and_deficit(void)
{
	struct sizing_range target = {2000, 1600, 2500};
	/* 30 places for 2 000 persons: 15 per 1 000; the low coverage with the
	 * high target, 30 / 2 500 x 1 000 = 12; the high 30 / 1 600 x 1 000 = 18.75 */
	struct sizing_range c = sizing_coverage(30, &target);
	CU_ASSERT_DOUBLE_EQUAL(c.central, 15, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(c.low, 12, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(c.high, 18.75, 1e-12);
	/* a goal of 25 per 1 000: 25 x 2 000 / 1 000 - 30 = 20 posts; low
	 * 25 x 1.6 - 30 = 10; high 25 x 2.5 - 30 = 32.5 */
	struct sizing_deficit d;
	sizing_deficit(25, 30, &target, &d);
	CU_ASSERT_DOUBLE_EQUAL(d.posts.central, 20, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(d.posts.low, 10, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(d.posts.high, 32.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(d.posts_to_open, 20, 0);
	/* 20.1 posts are 21 to open; a goal already met opens none */
	sizing_deficit(25.05, 30, &target, &d);
	CU_ASSERT_DOUBLE_EQUAL(d.posts_to_open, 21, 0);
	sizing_deficit(10, 30, &target, &d);
	CU_ASSERT_DOUBLE_EQUAL(d.posts.central, 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(d.posts_to_open, 0, 0);
	/* 0 target persons: coverage undefined */
	struct sizing_range zero = {0, 0, 0};
	CU_ASSERT(isnan(sizing_coverage(30, &zero).central));
}

static void test_offer_siret(void)
{
	/* 1234567890123 + check digit: doubled digits at even positions from
	 * the left 2+6+1+5+9+2+6 = 31, the others 2+4+6+8+0+2 = 22, 53 + 7 = 60 */
	CU_ASSERT(offer_siret_valid("12345678901237"));
	CU_ASSERT(!offer_siret_valid("12345678901236"));
	CU_ASSERT(!offer_siret_valid("1234567890123"));
	CU_ASSERT(!offer_siret_valid("1234567890123A"));
	/* La Poste: digits summing to a multiple of 5 (3+5+6+4+7 = 25) */
	CU_ASSERT(offer_siret_valid("35600000000047"));
	CU_ASSERT(!offer_siret_valid("35600000000048"));
}

#define OFFER_HEADER "name;siret;type;commune;places;etp;public\n"

static void check_offer(const char *rows, const char *want)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct offer o;
	struct error err;
	strbuf_addf(&path, "%s/offre.csv", test_tmpdir());
	strbuf_addf(&text, OFFER_HEADER "%s", rows);
	test_write_file(path.buf, text.buf);
	CU_ASSERT_EQUAL(offer_load(&test_bundle()->geo, path.buf, &o, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "offre.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest + 9, want);
	if (strcmp(rest + 9, want))
		fprintf(stderr, "\ngot:  %s\nwant: ...offre.csv%s\n", err.msg, want);
	CU_ASSERT_EQUAL(o.n, 0);
	strbuf_release(&path);
	strbuf_release(&text);
}

static void test_offer_load(void)
{
	const struct bundle *b = test_bundle();
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	struct strbuf path = STRBUF_INIT;
	struct offer o;
	struct error err;
	strbuf_addf(&path, "%s/offre.csv", test_tmpdir());
	test_write_file(path.buf, "# EXEMPLE INVENTÉ\n" OFFER_HEADER
				  "Atelier A;12345678901237;ACI;38185;24;18,5;RSA\n"
				  "\"Régie, quartier\";;ei;01039;;6;\n"
				  ";;;;;;\n"
				  "\"'=HYPERLINK(\"\"x\"\")\";;AI;38185;;;\"'-\"\n");
	CU_ASSERT_EQUAL_FATAL(offer_load(&b->geo, path.buf, &o, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(o.n, 3);
	/* the "'" offre.csv puts before a formula is taken off (OWASP, README) */
	CU_ASSERT_STRING_EQUAL(o.v[2].name, "=HYPERLINK(\"x\")");
	CU_ASSERT_STRING_EQUAL(o.v[2].public_, "-");
	CU_ASSERT_STRING_EQUAL(o.v[0].name, "Atelier A");
	CU_ASSERT_EQUAL(o.v[0].type, OFFER_ACI);
	CU_ASSERT_DOUBLE_EQUAL(o.v[0].places, 24, 0);
	CU_ASSERT_DOUBLE_EQUAL(o.v[0].etp, 18.5, 0);
	CU_ASSERT_STRING_EQUAL(b->geo.com[o.v[0].commune].code, "38185");
	CU_ASSERT_EQUAL(o.v[0].line, 3);
	CU_ASSERT_STRING_EQUAL(o.v[1].name, "Régie, quartier");
	CU_ASSERT_EQUAL(o.v[1].type, OFFER_EI);
	CU_ASSERT(isnan(o.v[1].places));
	/* Béon, merged into Culoz-Béon */
	CU_ASSERT_STRING_EQUAL(b->geo.com[o.v[1].commune].code, "01138");
	CU_ASSERT(o.v[1].converted);
	offer_release(&o);
	strbuf_release(&path);

	check_offer(";;ACI;38185;1;;\n", ":2:1: empty name (expected the structure's name) (column "
					 "\"name\")");
	check_offer(
	    "A;12345678901236;ACI;38185;1;;\n",
	    ":2:2: \"12345678901236\" is not a SIRET (expected 14 digits with a valid check "
	    "digit, or nothing) (column \"siret\")");
	check_offer("A;;atelier;38185;1;;\n",
		    ":2:3: unknown type \"atelier\" (expected ACI, EI, AI, ETTI, EITI or other) "
		    "(column \"type\")");
	check_offer("A;;ACI;99999;1;;\n", ":2:4: unknown commune \"99999\" (expected a commune "
					  "code such as 38185) (column \"commune\")");
	check_offer("A;;ACI;38185;-3;;\n",
		    ":2:5: \"-3\" is not a number of places (expected a number of 0 or more, or "
		    "nothing) (column \"places\")");
	check_offer("A;;ACI;38185;;1x;\n",
		    ":2:6: \"1x\" is not a number of ETP (expected a number of 0 or more, or "
		    "nothing) (column \"etp\")");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/offre.csv", test_tmpdir());
	test_write_file(path.buf, "name;type;commune\nA;ACI;38185\n");
	CU_ASSERT_EQUAL(offer_load(&b->geo, path.buf, &o, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "siret"));
	strbuf_release(&path);
}

/* terrain offer import from a store holding the recorded SIAE page
 * (CONSTRUCTED rows, tests/fixtures/http/siae/PROVENANCE.md): two
 * structures in Grenoble, matched by their city; a second import keeps the
 * places the user filled in and adds nothing twice. */
/* The directory names a structure "=HYPERLINK(...)" (issue 18): offre.csv
 * writes it guarded by a "'" (OWASP), a second import reads it back as the
 * same structure and writes it once, guarded once. */
static void test_offer_import_formula_name(void)
{
	const char *dir = test_tmpdir();
	struct strbuf db = STRBUF_INIT, csv = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct source_result res;
	char url[] = "http://127.0.0.1/api/v1/siaes/?departement=38", ds[] = "siaes",
	     terr[] = "dep:38";
	struct source_request req = {url, NULL, ds, terr, SOURCE_JSON};
	size_t len;
	char *body =
	    test_fixture("tests/fixtures/http/siae/", "constructed_siaes_dep38_page1.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(siae_parse(&req, body, len, &res, NULL), TERRAIN_OK);
	for (size_t i = 0; i < res.siae.n; i++)
		if (!strcmp(res.siae.v[i].name, "Atelier Inventé"))
			snprintf(res.siae.v[i].name, sizeof(res.siae.v[i].name), "%s",
				 "=HYPERLINK(\"http://x\",\"clic\")");
	strbuf_addf(&db, "%s/store_formula.db", dir);
	struct store *st;
	CU_ASSERT_EQUAL_FATAL(store_open(&st, db.buf, NULL), TERRAIN_OK);
	struct store_payload pl = {"siae", "siaes", req.url, "2026-11-29T03:00:00Z",
				   "0",	   len,	    NULL};
	CU_ASSERT_EQUAL_FATAL(store_put(st, &pl, NULL, 0, res.siae.v, res.siae.n, NULL, NULL),
			      TERRAIN_OK);
	store_close(st);
	source_result_release(&res);
	free(body);
	strbuf_addf(&csv, "%s/offre_formula.csv", dir);
	const char *const args[] = {"offer", "import",	 "-t",	  "38185", "--store",
				    db.buf,  "--output", csv.buf, NULL};
	static const char want[] =
	    "\n\"'=HYPERLINK(\"\"http://x\"\",\"\"clic\"\")\";00000000000018;ACI;38185;;;\n";
	for (int run = 0; run < 2; run++) {
		CU_ASSERT_EQUAL(test_run(args, NULL, dir, &out, &err), 0);
		char *text = test_read_file(csv.buf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		const char *at = strstr(text, want);
		CU_ASSERT_PTR_NOT_NULL(at);
		CU_ASSERT_PTR_NULL(at ? strstr(at + strlen(want), "HYPERLINK") : NULL);
		free(text);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "0 structures added, 2 already listed"));
	strbuf_release(&db);
	strbuf_release(&csv);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_offer_import_cli(void)
{
	const char *dir = test_tmpdir();
	struct strbuf db = STRBUF_INIT, csv = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct source_result res;
	char url[] = "http://127.0.0.1/api/v1/siaes/?departement=38", ds[] = "siaes",
	     terr[] = "dep:38";
	struct source_request req = {url, NULL, ds, terr, SOURCE_JSON};
	size_t len;
	char *body =
	    test_fixture("tests/fixtures/http/siae/", "constructed_siaes_dep38_page1.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(siae_parse(&req, body, len, &res, NULL), TERRAIN_OK);
	strbuf_addf(&db, "%s/store.db", dir);
	struct store *st;
	CU_ASSERT_EQUAL_FATAL(store_open(&st, db.buf, NULL), TERRAIN_OK);
	struct store_payload pl = {"siae", "siaes", req.url, "2026-11-29T03:00:00Z",
				   "0",	   len,	    NULL};
	CU_ASSERT_EQUAL_FATAL(store_put(st, &pl, NULL, 0, res.siae.v, res.siae.n, NULL, NULL),
			      TERRAIN_OK);
	store_close(st);
	source_result_release(&res);
	free(body);

	strbuf_addf(&csv, "%s/offre.csv", dir);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"offer", "import", "-t", "38185", "--store",
						       db.buf, "--output", csv.buf, NULL},
				 NULL, dir, &out, &err),
			0);
	char *text = test_read_file(csv.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 structures added from les emplois de l'inclusion "
					    "(retrieved 2026-11-29)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nname;siret;type;commune;places;etp;public\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nAtelier Inventé;00000000000018;ACI;38185;;;\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "fill in places or etp for the 2 new structures"));

	/* the user fills in a capacity; a second import keeps it */
	char *edited = strstr(text, "Atelier Inventé;00000000000018;ACI;38185;;;");
	CU_ASSERT_PTR_NOT_NULL_FATAL(edited);
	struct strbuf again = STRBUF_INIT;
	strbuf_add(&again, text, (size_t)(edited - text));
	strbuf_addstr(&again, "Atelier Inventé;00000000000018;ACI;38185;24;18,5;RSA");
	strbuf_addstr(&again, edited + strlen("Atelier Inventé;00000000000018;ACI;38185;;;"));
	test_write_file(csv.buf, again.buf);
	free(text);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"offer", "import", "-t", "38185", "--store",
						       db.buf, "--output", csv.buf, NULL},
				 NULL, dir, &out, &err),
			0);
	text = test_read_file(csv.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(text, "\nAtelier Inventé;00000000000018;ACI;38185;24;18.5;RSA\n"));
	CU_ASSERT_PTR_NULL(strstr(strstr(text, "Atelier Inventé") + 1, "Atelier Inventé"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "0 structures added, 2 already listed, 2 kept"));
	free(text);

	/* offer check sums the capacity and says what is missing */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"offer", "check", csv.buf, NULL}, NULL, dir, &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "  ACI: 1 structure, 24 places, 18.5 ETP\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "1 structure without places or etp"));
	/* a broken inventory is never rewritten */
	test_write_file(csv.buf, "name;siret;type;commune;places;etp;public\nX;;ZZZ;38185;;;\n");
	CU_ASSERT_EQUAL(test_run((const char *const[]){"offer", "import", "-t", "38185", "--store",
						       db.buf, "--output", csv.buf, NULL},
				 NULL, dir, &out, &err),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "offre.csv:2:3: unknown type \"ZZZ\""));
	text = test_read_file(csv.buf);
	CU_ASSERT_STRING_EQUAL(text,
			       "name;siret;type;commune;places;etp;public\nX;;ZZZ;38185;;;\n");
	free(text);
	/* no store yet */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"offer", "import", "-t", "38185", NULL},
				 NULL, dir, &out, &err),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "run 'terrain fetch --source siae' first"));
	strbuf_release(&again);
	strbuf_release(&db);
	strbuf_release(&csv);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_sizingcfg_terms(void)
{
	struct sizingcfg_term t;
	const char *why = NULL;
	CU_ASSERT_EQUAL(sizingcfg_term_parse("indicator:rsa_households", false, &t, &why),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(t.kind, SIZINGCFG_INDICATOR);
	CU_ASSERT_STRING_EQUAL(t.id, "rsa_households");
	CU_ASSERT_EQUAL(sizingcfg_term_parse("survey:statut=chomage", true, &t, &why), TERRAIN_OK);
	CU_ASSERT_EQUAL(t.kind, SIZINGCFG_SURVEY);
	CU_ASSERT_STRING_EQUAL(t.id, "statut=chomage");
	/* numbers: a range, a decimal comma, percentages, the source kept */
	CU_ASSERT_EQUAL(sizingcfg_term_parse("0,45 [0,40, 0,50] DARES 2024", true, &t, &why),
			TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(t.v.central, 0.45, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(t.v.low, 0.40, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(t.v.high, 0.50, 1e-12);
	CU_ASSERT_STRING_EQUAL(t.source, "DARES 2024");
	CU_ASSERT_EQUAL(sizingcfg_term_parse("45 % [40 %, 50 %] DREES", true, &t, &why),
			TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(t.v.low, 0.40, 1e-12);
	CU_ASSERT_EQUAL(sizingcfg_term_parse("45 % DREES", true, &t, &why), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(t.v.high, 0.45, 1e-12);
	CU_ASSERT_EQUAL(sizingcfg_term_parse("1200 [1100, 1300] CD38, 2025", false, &t, &why),
			TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(t.v.central, 1200, 0);
	/* errors */
	static const struct {
		const char *text;
		bool share;
		const char *why;
	} bad[] = {
	    {"0.45", true, "a number needs its source after it (who published it, when)"},
	    {"0.45 [0.50, 0.60] x", true,
	     "the range does not hold the value (expected LOW <= VALUE <= HIGH)"},
	    {"1.5 source", true, "a share lies between 0 and 1 (or 0 % and 100 %)"},
	    {"-3 source", false, "a count cannot be negative"},
	    {"0.45 [0.40; 0.50] x", true, "expected NUMBER [LOW, HIGH] SOURCE"},
	    {"survey:statut", true, "expected survey:VARIABLE=CODE"},
	    {"survey:statut=chomage", false, "a survey proportion is a share, not a base count"},
	    {"indicator:a b", false, "expected indicator:ID or survey:VARIABLE=CODE alone"},
	    {"beaucoup source", false,
	     "expected indicator:ID or a count such as 1200 [1100, 1300] with its source"},
	    {"45 % source", false,
	     "expected indicator:ID or a count such as 1200 [1100, 1300] with its source"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CU_ASSERT_EQUAL(sizingcfg_term_parse(bad[i].text, bad[i].share, &t, &why),
				TERRAIN_EDATA);
		CU_ASSERT_PTR_NOT_NULL_FATAL(why);
		CU_ASSERT_STRING_EQUAL(why, bad[i].why);
		if (strcmp(why, bad[i].why))
			fprintf(stderr, "\n%s: got %s\n", bad[i].text, why);
	}
}

/* A project's [target] and [offer] read, and their errors with the line. */
static void check_cfg(const char *ini, const char *want)
{
	struct strbuf path = STRBUF_INIT;
	struct project p;
	struct sizingcfg c;
	struct error err;
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	test_write_file(path.buf, ini);
	CU_ASSERT_EQUAL_FATAL(project_load(&p, path.buf, &err), TERRAIN_OK);
	enum status st = sizingcfg_read(&p, &c, &err);
	if (!want) {
		CU_ASSERT_EQUAL(st, TERRAIN_OK);
	} else {
		CU_ASSERT_EQUAL(st, TERRAIN_EDATA);
		const char *rest = strstr(err.msg, "terrain.ini");
		CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
		CU_ASSERT_STRING_EQUAL(rest + 11, want);
		if (strcmp(rest + 11, want))
			fprintf(stderr, "\ngot:  %s\nwant: ...terrain.ini%s\n", err.msg, want);
	}
	project_release(&p);
	strbuf_release(&path);
}

static void test_sizingcfg_read(void)
{
	struct strbuf path = STRBUF_INIT;
	struct project p;
	struct sizingcfg c;
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	test_write_file(path.buf, "[project]\nterritory = 38185\n[target]\nlabel = Public\n"
				  "base = 1000 [900, 1100] CD38\nshares = 0.5 [0.4, 0.6] enquête\n"
				  "  survey:statut=chomage\n[offer]\nfile = offre.csv\n"
				  "goal = 25 PDI 2026\n");
	CU_ASSERT_EQUAL_FATAL(project_load(&p, path.buf, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(sizingcfg_read(&p, &c, NULL), TERRAIN_OK);
	CU_ASSERT(c.has_target && c.has_offer);
	CU_ASSERT_STRING_EQUAL(c.label, "Public");
	CU_ASSERT_EQUAL_FATAL(c.nterms, 3);
	CU_ASSERT_DOUBLE_EQUAL(c.term[0].v.central, 1000, 0);
	CU_ASSERT(!c.term[0].share);
	CU_ASSERT_EQUAL(c.term[1].line, 6);
	CU_ASSERT_EQUAL(c.term[2].kind, SIZINGCFG_SURVEY);
	CU_ASSERT_EQUAL(c.term[2].line, 7);
	CU_ASSERT_DOUBLE_EQUAL(c.goal, 25, 0);
	CU_ASSERT_STRING_EQUAL(c.goal_source, "PDI 2026");
	CU_ASSERT_PTR_NOT_NULL(strstr(c.offer_file, "/offre.csv"));
	project_release(&p);
	strbuf_release(&path);

	check_cfg("[target]\nshares = 0.5 x\n",
		  ":1: [target] has no base (expected base = indicator:ID or a count with its "
		  "source)");
	check_cfg("[target]\nbase = 12\n", ":2: bad base \"12\": a number needs its source after "
					   "it (who published it, when)");
	check_cfg("[target]\nbase = 12 x\nshares = 2 y\n",
		  ":3: bad share \"2 y\": a share lies between 0 and 1 (or 0 % and 100 %)");
	check_cfg("[target]\nbase = 12 x\n[offer]\ngoal = 25\n",
		  ":4: goal \"25\" needs its reason after the number (a reference's coverage, a "
		  "plan's objective)");
	check_cfg("[target]\nbase = 12 x\n[offer]\ngoal = zero x\n",
		  ":4: bad goal \"zero x\" (expected places per 1 000 target persons, such as 25, "
		  "then its reason)");
	check_cfg("[offer]\nfile = x.csv\n", NULL);
}

/* terrain project size on the bundled example: the census count with its
 * sampling range times the survey's proportion (the same estimate terrain
 * survey analyze prints, itself checked against R in test_survey.c), and
 * the INVENTED offer file's capacity summed by hand. */
static void test_project_size_cli(void)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, ini = STRBUF_INIT;
	strbuf_addf(&ini, "%s/examples/grenoble/terrain.ini", test_datadir());
	CU_ASSERT_EQUAL_FATAL(test_run((const char *const[]){"survey", "analyze", "-c", ini.buf,
							     "--format", "json", NULL},
				       NULL, NULL, &out, &err),
			      0);
	json_t *sv = json_loads(out.buf, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sv);
	double p = NAN, plo = NAN, phi = NAN;
	json_t *rows = json_object_get(sv, "results"), *x;
	size_t i;
	json_array_foreach(rows, i, x)
	{
		const char *var = json_string_value(json_object_get(x, "variable"));
		const char *cat = json_string_value(json_object_get(x, "category"));
		const char *stat = json_string_value(json_object_get(x, "statistic"));
		if (var && cat && stat && !strcmp(var, "freins") && !strcmp(cat, "numerique") &&
		    !strcmp(stat, "proportion") && json_is_null(json_object_get(x, "group"))) {
			p = json_real_value(json_object_get(x, "estimate"));
			plo = json_real_value(json_object_get(x, "ci_low"));
			phi = json_real_value(json_object_get(x, "ci_high"));
		}
	}
	json_decref(sv);
	CU_ASSERT_FATAL(!isnan(p)); /* 10 significant digits: compared to 1e-4 below */

	CU_ASSERT_EQUAL_FATAL(test_run((const char *const[]){"project", "size", "-c", ini.buf,
							     "--format", "json", NULL},
				       NULL, NULL, &out, &err),
			      0);
	json_t *root = json_loads(out.buf, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	json_t *target = json_object_get(root, "target");
	/* 10 527 unemployed (census 2021), +/- 1.96 sqrt(10 527 x 0.6 / 0.4) */
	double half = 1.959963984540054 * sqrt(10527 * 0.6 / 0.4);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(target, "value")), 10527 * p,
			       1e-4);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(target, "low")),
			       (10527 - half) * plo, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(target, "high")),
			       (10527 + half) * phi, 1e-4);
	/* the offer file: in Grenoble 24 + 12 (ETP) + 30 places; Fontaine's 10
	 * and a structure without capacity not counted */
	json_t *offer = json_object_get(root, "offer");
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(offer, "capacity")), 66, 0);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(offer, "structures")), 4);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(offer, "unknown_capacity")), 1);
	/* goal 25 per 1 000: 25 x target / 1 000 - 66, rounded up */
	double missing = 25 * 10527 * p / 1000 - 66;
	json_t *gap = json_object_get(root, "gap");
	CU_ASSERT_DOUBLE_EQUAL(
	    json_number_value(json_object_get(json_object_get(gap, "places_missing"), "value")),
	    missing, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(gap, "posts_to_open")),
			       ceil(missing), 0);
	json_decref(root);

	/* text and CSV */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"project", "size", "-c", ini.buf, NULL},
				 NULL, NULL, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Chômeurs de 15-64 ans (recensement)     10 527 "
					       "[10 281 ; 10 773]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf,
				      "  couverture : 20,6 [16,1 ; 27,2] places pour 1 000 "
				      "personnes du public cible\n"));
	/* in the project's language (French), or --lang en; the ids the same */
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "1 structure sans places ni ETP non comptée : la "
					       "capacité et la couverture sont des minimums\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "  proposition : ouvrir "));
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", "-c", ini.buf, "--lang", "en", NULL},
		     NULL, NULL, &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "1 structure without places or ETP not counted"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "  coverage: 20.6 [16.1, 27.2] places per 1 000 "
					       "target persons\n"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"project", "size", "-c", ini.buf, "--format",
						       "csv", NULL},
				 NULL, NULL, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "identifiant,libellé,valeur,basse,haute,unité,"
					       "origine\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "\ncapacity,offre existante,66,66,66,places,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, ",personnes,produit des termes\n"));
	CU_ASSERT_EQUAL(test_run((const char *const[]){"project", "size", "-c", ini.buf, "--format",
						       "csv", "--lang", "en", NULL},
				 NULL, NULL, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "item,label,value,low,high,unit,origin\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "\ncapacity,existing offer,66,66,66,places,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, ",persons,product of the terms\n"));
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", "-c", ini.buf, "--lang", "de", NULL},
		     NULL, NULL, &out, &err),
	    2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "bad --lang 'de' (expected fr or en)"));

	/* terrain run writes the sizing and the budget beside the indicators */
	const char *dir = test_tmpdir();
	CU_ASSERT_EQUAL(test_run((const char *const[]){"run", "-c", ini.buf, "--output", dir, NULL},
				 NULL, NULL, &out, &err),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Public cible : Chômeurs de 15-64 ans"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, "Budget prévisionnel 2027-2029"));
	static const char *const written[] = {"sizing.csv", "sizing.json", "budget.csv",
					      "budget.json", "indicators.csv"};
	for (size_t k = 0; k < 5; k++) {
		struct strbuf f = STRBUF_INIT;
		strbuf_addf(&f, "%s/com_38185/%s", dir, written[k]);
		char *t = test_read_file(f.buf);
		CU_ASSERT_PTR_NOT_NULL(t);
		free(t);
		strbuf_release(&f);
	}

	/* errors: no [target]; an unknown indicator; a survey term without [survey] */
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/terrain.ini", dir);
	test_write_file(path.buf, "[project]\nterritory = 38185\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", NULL}, NULL, dir, &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "has no [target] section"));
	test_write_file(path.buf,
			"[project]\nterritory = 38185\n[target]\nbase = indicator:nope\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", NULL}, NULL, dir, &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "terrain.ini:4: indicator:nope: no such indicator"));
	test_write_file(path.buf, "[project]\nterritory = 38185\n[target]\n"
				  "base = indicator:rsa_households\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", NULL}, NULL, dir, &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "terrain.ini:4: indicator:rsa_households is "
					       "unavailable for com:38185: needs terrain fetch"));
	test_write_file(path.buf, "[project]\nterritory = 38185\n[target]\n"
				  "base = indicator:unemployment_rate_census\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", NULL}, NULL, dir, &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "is not a count"));
	test_write_file(path.buf, "[project]\nterritory = 38185\n[target]\n"
				  "base = indicator:unemployed_15_64\nshares = survey:a=b\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", NULL}, NULL, dir, &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err.buf, "uses survey: terms but the project has no [survey]"));
	strbuf_release(&path);
	strbuf_release(&ini);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* A reference the inventory covers whole: its target public with the same
 * definition (its own census count: 24 084 unemployed in the métropole,
 * awk -F';' 'NR==FNR {if ($1=="200040715") m[$4]=1; next} FNR>1 &&
 * $7=="COM" && ($1 in m) && !seen[$1]++ {s+=$18} END{print s}'
 * cog/epci_members_2026.csv FS=, insee_comparateur/communes_2021.csv) and
 * its coverage as the goal.  The offer and the share are INVENTED. */
static void test_project_size_reference(void)
{
	const char *dir = test_tmpdir();
	struct strbuf ini = STRBUF_INIT, csv = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	strbuf_addf(&csv, "%s/offre.csv", dir);
	test_write_file(csv.buf, "name;siret;type;commune;places;etp;public\n"
				 "A;;ACI;38185;5;;\nB;;EI;38169;40;;\nC;;AI;69123;99;;\n");
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	test_write_file(ini.buf,
			"[project]\nterritory = 38185\n[target]\n"
			"base = indicator:unemployed_15_64\nshares = 0.5 [0.4, 0.6] invented\n"
			"[offer]\nfile = offre.csv\ncovers = epci:200040715\n"
			"goal = ref:epci:200040715\n");
	CU_ASSERT_EQUAL_FATAL(
	    test_run((const char *const[]){"project", "size", "--format", "json", NULL}, NULL, dir,
		     &out, &err),
	    0);
	json_t *root = json_loads(out.buf, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	json_t *ref =
	    json_array_get(json_object_get(json_object_get(root, "offer"), "references"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
	CU_ASSERT_DOUBLE_EQUAL(
	    json_number_value(json_object_get(json_object_get(ref, "target"), "value")),
	    24084 * 0.5, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(ref, "capacity")), 45, 0);
	/* the métropole's 45 / 12 042 x 1 000 = 3.7369 per 1 000; Grenoble
	 * needs 3.7369 x 5 263.5 / 1 000 - 5 = 14.67 places, 15 posts */
	double goal = 45.0 / 12042 * 1000, missing = goal * 10527 * 0.5 / 1000 - 5;
	json_t *gap = json_object_get(root, "gap");
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(gap, "goal")), goal, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(
	    json_number_value(json_object_get(json_object_get(gap, "places_missing"), "value")),
	    missing, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(gap, "posts_to_open")), 15, 0);
	json_decref(root);
	/* a goal on a reference the inventory does not cover */
	test_write_file(ini.buf, "[project]\nterritory = 38185\n[target]\n"
				 "base = indicator:unemployed_15_64\n[offer]\nfile = offre.csv\n"
				 "goal = ref:dep:38\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"project", "size", NULL}, NULL, dir, &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "terrain.ini:7: goal = ref:dep:38: the reference "
					       "must be one that \"covers\" lists"));
	strbuf_release(&ini);
	strbuf_release(&csv);
	strbuf_release(&out);
	strbuf_release(&err);
}

void suite_sizing(void)
{
	CU_pSuite s = CU_add_suite("sizing", NULL, NULL);
	ADD_TEST(s, test_sizing_target_range);
	ADD_TEST(s, test_sizing_target_errors);
	ADD_TEST(s, test_sizing_counts);
	ADD_TEST(s, test_sizing_coverage_and_deficit);
	ADD_TEST(s, test_offer_siret);
	ADD_TEST(s, test_offer_load);
	ADD_TEST(s, test_offer_import_cli);
	ADD_TEST(s, test_offer_import_formula_name);
	ADD_TEST(s, test_sizingcfg_terms);
	ADD_TEST(s, test_sizingcfg_read);
	ADD_TEST(s, test_project_size_cli);
	ADD_TEST(s, test_project_size_reference);
	ADD_TEST(s, test_sizing_indicator_range_census_only);
}
