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
#include "helpers.h"

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
	CU_ASSERT_STRING_EQUAL(err.msg, "\"share\": the range [0.6, 0.7] does not hold the value 0.5");
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
				  ";;;;;;\n");
	CU_ASSERT_EQUAL_FATAL(offer_load(&b->geo, path.buf, &o, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(o.n, 2);
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
	check_offer("A;12345678901236;ACI;38185;1;;\n",
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
static void test_offer_import_cli(void)
{
	const char *dir = test_tmpdir();
	struct strbuf db = STRBUF_INIT, csv = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct source_result res;
	char url[] = "http://127.0.0.1/api/v1/siaes/?departement=38", ds[] = "siaes",
	     terr[] = "dep:38";
	struct source_request req = {url, NULL, ds, terr, SOURCE_JSON};
	size_t len;
	char *body = test_fixture("tests/fixtures/http/siae/", "constructed_siaes_dep38_page1.json",
				  &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(siae_parse(&req, body, len, &res, NULL), TERRAIN_OK);
	strbuf_addf(&db, "%s/store.db", dir);
	struct store *st;
	CU_ASSERT_EQUAL_FATAL(store_open(&st, db.buf, NULL), TERRAIN_OK);
	struct store_payload pl = {"siae", "siaes", req.url, "2026-11-29T03:00:00Z", "0", len, NULL};
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
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nAtelier Inventé;00000000000018;ACI;38185;24;18.5;RSA\n"));
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
	CU_ASSERT_STRING_EQUAL(text, "name;siret;type;commune;places;etp;public\nX;;ZZZ;38185;;;\n");
	free(text);
	/* no store yet */
	CU_ASSERT_EQUAL(test_run((const char *const[]){"offer", "import", "-t", "38185", NULL}, NULL,
				 dir, &out, &err),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "run 'terrain fetch --source siae' first"));
	strbuf_release(&again);
	strbuf_release(&db);
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
}
