/* The budget parameters: the bundled table loads and holds FACTS.md's
 * values; a year's value is the mean of its months; a value past the
 * latest row is carried forward; every malformed row is an error with
 * file:line:column. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../ingest/params.h"
#include "helpers.h"

static void load_bundled(struct params *t)
{
	struct strbuf path = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/params/budget_parameters.csv", test_datadir());
	enum status st = params_load(path.buf, t, &err);
	if (st)
		fprintf(stderr, "\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	strbuf_release(&path);
}

/* Values copied from ../shared/data/domain/FACTS.md, sections 1.2 and 2. */
static void test_params_bundled(void)
{
	struct params t;
	struct params_value v;
	struct error err;
	load_bundled(&t);
	CU_ASSERT_EQUAL(t.n, 34);

	/* SMIC 2026: one row in force all year, published for the year */
	CU_ASSERT_EQUAL(params_year(&t, "smic_hourly", NULL, 2026, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 12.02, 0);
	CU_ASSERT_EQUAL(v.nuse, 1);
	CU_ASSERT_FALSE(v.carried);
	CU_ASSERT_EQUAL(v.use[0].row->valid_from, 20260101);
	CU_ASSERT_EQUAL(v.use[0].row->confidence, 'S');
	/* its citation in each language, the one a reader asks for */
	CU_ASSERT_STRING_EQUAL(params_source(v.use[0].row, false),
			       "décret n° 2025-1228 du 17 décembre 2025 (+1,18 %)");
	CU_ASSERT_STRING_EQUAL(params_source(v.use[0].row, true),
			       "decree no. 2025-1228 of 17 December 2025 (+1.18 %)");
	CU_ASSERT_STRING_EQUAL(params_note(v.use[0].row, false),
			       "1 823,03 € par mois pour 151,67 h");
	CU_ASSERT_STRING_EQUAL(params_note(v.use[0].row, true), "1,823.03 EUR a month at 151.67 h");
	CU_ASSERT_STRING_EQUAL(params_unit(v.use[0].row, false), "€/h");
	CU_ASSERT_STRING_EQUAL(params_unit(v.use[0].row, true), "EUR/h");

	/* SMIC 2024: 11.65 from January to October, 11.88 in November and
	 * December: (10 x 11.65 + 2 x 11.88) / 12 = (116.5 + 23.76) / 12
	 * = 140.26 / 12 = 11.688333... */
	CU_ASSERT_EQUAL(params_year(&t, "smic_hourly", "ACI", 2024, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 140.26 / 12, 1e-12);
	CU_ASSERT_EQUAL(v.nuse, 2);
	CU_ASSERT_EQUAL(v.use[0].months, 10);
	CU_ASSERT_EQUAL(v.use[1].months, 2);
	CU_ASSERT_DOUBLE_EQUAL(v.use[1].row->value, 11.88, 0);

	/* SMIC 2025: the 1 November 2024 value all year; known, since a 2026
	 * value follows */
	CU_ASSERT_EQUAL(params_year(&t, "smic_hourly", NULL, 2025, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 11.88, 0);
	CU_ASSERT_FALSE(v.carried);

	/* SMIC 2027: nothing published, 12.02 carried forward */
	CU_ASSERT_EQUAL(params_year(&t, "smic_hourly", NULL, 2027, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 12.02, 0);
	CU_ASSERT_TRUE(v.carried);

	/* ACI socle: 23 921 from 1 November 2024; 2025 has no arrêté (FACTS:
	 * unconfirmed), so 2025 is carried forward; EI has a 2025 row */
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "ACI", 2025, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 23921, 0);
	CU_ASSERT_TRUE(v.carried);
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "EI", 2025, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 13304, 0);
	CU_ASSERT_FALSE(v.carried);
	/* ACI 2023: 22 692 in January-April, 23 196 from May:
	 * (4 x 22692 + 8 x 23196) / 12 = (90768 + 185568) / 12 = 23028 */
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "ACI", 2023, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 23028, 1e-9);
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "AI", 2024, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, (10 * 1588 + 2 * 1619) / 12.0, 1e-9);
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "ETTI", 2026, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 4781, 0);
	CU_ASSERT_TRUE(v.carried);

	/* rules: any year, never carried */
	CU_ASSERT_EQUAL(params_year(&t, "cddi_min_hours", "ACI", 2031, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 20, 0);
	CU_ASSERT_FALSE(v.carried);
	CU_ASSERT_EQUAL(params_year(&t, "aci_sales_cap", "ACI", 2027, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 0.30, 0);
	CU_ASSERT_EQUAL(params_year(&t, "full_time_hours", NULL, 2027, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 35, 0);
	CU_ASSERT_EQUAL(params_year(&t, "weeks_per_year", NULL, 2027, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 52, 0);

	/* what the research does not have is not there */
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "EITI", 2027, &v, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no value of \"aid_socle\" for EITI in "));
	CU_ASSERT_EQUAL(params_year(&t, "aci_sales_cap", "EI", 2027, &v, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no value of \"aci_sales_cap\" for EI in "));
	CU_ASSERT_EQUAL(params_year(&t, "employer_cost_factor", NULL, 2024, &v, &err),
			TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no value of \"employer_cost_factor\" in force on "
					       "2024-01-01 in "));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "budget_parameters.csv (the first is from "
					       "2025-01-01)"));
	/* the first months of 2022 come before the first socle */
	CU_ASSERT_EQUAL(params_year(&t, "aid_socle", "ACI", 2022, &v, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "in force on 2022-01-01"));

	/* the row in force on a given day */
	const struct param_row *r = params_in_force(&t, "aid_socle", "ACI", 20241031);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_DOUBLE_EQUAL(r->value, 23458, 0);
	CU_ASSERT_EQUAL(r->confidence, 'C');
	r = params_in_force(&t, "aid_socle", "ACI", 20241101);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_DOUBLE_EQUAL(r->value, 23921, 0);
	CU_ASSERT_PTR_NULL(params_in_force(&t, "aid_socle", "ACI", 20220731));
	CU_ASSERT_PTR_NULL(params_in_force(&t, "nothing", NULL, 20250101));
	params_release(&t);
}

#define HEADER                                                                                \
	"id;structure;valid_from;value;unit_fr;unit_en;label;source_fr;source_en;confidence;" \
	"note_fr;note_en\n"

static void check(const char *rows, const char *want)
{
	struct params t;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/par.csv", test_tmpdir());
	strbuf_addf(&text, "# a comment\n%sx;;2024-01-01;1;u;u;l;s;s;C;;\n%s", HEADER, rows);
	test_write_file(path.buf, text.buf);
	CU_ASSERT_EQUAL(params_load(path.buf, &t, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "par.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest + 7, want);
	if (strcmp(rest + 7, want))
		fprintf(stderr, "\ngot:  %s\nwant: ...par.csv%s\n", err.msg, want);
	CU_ASSERT_EQUAL(t.n, 0);
	CU_ASSERT_PTR_NULL(t.path);
	strbuf_release(&path);
	strbuf_release(&text);
}

static void test_params_errors(void)
{
	check("X;;;1;u;u;l;s;s;C;;\n",
	      ":4:1: bad id \"X\" (expected lowercase letters, digits and '_') (column \"id\")");
	check("y;SIAE;;1;u;u;l;s;s;C;;\n",
	      ":4:2: unknown structure \"SIAE\" (expected ACI, EI, AI, ETTI, EITI, or nothing for "
	      "every type) (column \"structure\")");
	check("y;;01/05/2024;1;u;u;l;s;s;C;;\n",
	      ":4:3: bad date \"01/05/2024\" (expected YYYY-MM-DD, or nothing for a rule in force "
	      "any year) (column \"valid_from\")");
	check("y;;2024-02-30;1;u;u;l;s;s;C;;\n",
	      ":4:3: bad date \"2024-02-30\" (expected YYYY-MM-DD, or nothing for a rule in force "
	      "any year) (column \"valid_from\")");
	check("y;;;11,88;u;u;l;s;s;C;;\n",
	      ":4:4: bad value \"11,88\" (expected a number such as 11.88) (column \"value\")");
	check("y;;;1;;u;l;s;s;C;;\n", ":4:5: missing unit_fr (column \"unit_fr\")");
	check("y;;;1;u;;l;s;s;C;;\n", ":4:6: missing unit_en (column \"unit_en\")");
	check("y;;;1;u;u;l;;s;C;;\n", ":4:8: missing source_fr (column \"source_fr\")");
	check("y;;;1;u;u;l;s;;C;;\n", ":4:9: missing source_en (column \"source_en\")");
	check("y;;;1;u;u;l;s;s;[C];;\n",
	      ":4:10: bad confidence \"[C]\" (expected C confirmed, S secondary source or U "
	      "unconfirmed) (column \"confidence\")");
	check("x;;2024-01-01;2;u;u;l;s;s;S;;\n",
	      ":4:3: \"x\" from 2024-01-01 is defined twice (first on line 3) (column "
	      "\"valid_from\")");
	check("y;ACI;;1;u;u;l;s;s;C;;\ny;ACI;;2;u;u;l;s;s;C;;\n",
	      ":5:3: \"y\" for ACI (a rule) is defined twice (first on line 4) (column "
	      "\"valid_from\")");
	check("x;;;2;u;u;l;s;s;S;;\n",
	      ":4:3: \"x\" mixes a rule (no valid_from) and dated values (line 3) (column "
	      "\"valid_from\")");
	/* the same id for another structure is another series */
	struct params t;
	struct params_value v;
	struct strbuf path = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/ok.csv", test_tmpdir());
	test_write_file(path.buf,
			HEADER "x;;2024-01-01;1;u;u;l;s;s;C;;\nx;EI;2024-07-01;2;u;u;l;s;s;U;;\n");
	CU_ASSERT_EQUAL_FATAL(params_load(path.buf, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(t.n, 2);
	CU_ASSERT_EQUAL(t.v[1].line, 3);
	CU_ASSERT_EQUAL(params_year(&t, "x", "ACI", 2024, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 1, 0);
	/* EI has rows of its own: none before July */
	CU_ASSERT_EQUAL(params_year(&t, "x", "EI", 2024, &v, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no value of \"x\" for EI in force on 2024-01-01"));
	CU_ASSERT_EQUAL(params_year(&t, "x", "EI", 2025, &v, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(v.value, 2, 0);
	CU_ASSERT_TRUE(v.carried);
	params_release(&t);
	strbuf_release(&path);
}

void suite_params(void)
{
	CU_pSuite s = CU_add_suite("params", NULL, NULL);
	ADD_TEST(s, test_params_bundled);
	ADD_TEST(s, test_params_errors);
}
