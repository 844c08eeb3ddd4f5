/* report/typo.c: every form against its exact bytes.  The special
 * spaces are spelled as escapes so that the expected strings show
 * them: NNBSP U+202F between thousands, NBSP U+00A0 before % and €,
 * MINUS U+2212 in French. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/catalogue.h"
#include "../ingest/geodata.h"
#include "../report/typo.h"
#include "helpers.h"

#define NNBSP "\xe2\x80\xaf"
#define NBSP  "\xc2\xa0"
#define MINUS "\xe2\x88\x92"

typedef void (*typo_fn)(struct strbuf *, double, int, bool);

static void check(typo_fn fn, double v, int decimals, bool fr, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "["); /* appends, never overwrites */
	fn(&sb, v, decimals, fr);
	CU_ASSERT_STRING_EQUAL(sb.buf + 1, want);
	CU_ASSERT_EQUAL(sb.buf[0], '[');
	if (strcmp(sb.buf + 1, want))
		fprintf(stderr, "\n  got \"%s\", want \"%s\"\n", sb.buf + 1, want);
	strbuf_release(&sb);
}

static void test_typo_number(void)
{
	/* Grenoble's census unemployed 2021 and its rate (10 527 / 76 257) */
	check(typo_number, 10527, 0, true, "10" NNBSP "527");
	check(typo_number, 10527, 0, false, "10,527");
	check(typo_number, 13.8044, 1, true, "13,8");
	check(typo_number, 13.8044, 1, false, "13.8");
	check(typo_number, 1284948.25, 2, true, "1" NNBSP "284" NNBSP "948,25");
	check(typo_number, 1284948.25, 2, false, "1,284,948.25");
	check(typo_number, 999, 0, true, "999");
	check(typo_number, 1000, 0, true, "1" NNBSP "000");
	check(typo_number, 999.96, 1, true, "1" NNBSP "000,0"); /* carry into a new group */
	check(typo_number, 0.5, 3, true, "0,500");
	check(typo_number, -1234.5, 1, true, MINUS "1" NNBSP "234,5");
	check(typo_number, -1234.5, 1, false, "-1,234.5");
	check(typo_number, -0.04, 1, true, "0,0"); /* no "−0,0" */
	check(typo_number, -0.0, 0, false, "0");
	/* decimals clamped to 0; printf's rounding: an exact tie goes to
	 * the even neighbour, as it would in any printf-based report */
	check(typo_number, 2.5, -3, true, "2");
	check(typo_number, 3.5, -3, true, "4");
	check(typo_number, 1e21, 0, true,
	      "1" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP
	      "000");
	check(typo_number, NAN, 1, true, "n.d.");
	check(typo_number, NAN, 1, false, "n/a");
	check(typo_number, INFINITY, 0, true, "n.d.");
	check(typo_number, -INFINITY, 0, false, "n/a");
}

static void test_typo_percent(void)
{
	check(typo_percent, 13.8044, 1, true, "13,8" NBSP "%");
	check(typo_percent, 13.8044, 1, false, "13.8%");
	check(typo_percent, 9.8, 1, true, "9,8" NBSP "%");
	check(typo_percent, -0.3318, 2, true, MINUS "0,33" NBSP "%");
	check(typo_percent, -0.3318, 2, false, "-0.33%");
	check(typo_percent, 100, 0, true, "100" NBSP "%");
	check(typo_percent, 1234.5, 1, true, "1" NNBSP "234,5" NBSP "%");
	check(typo_percent, NAN, 1, true, "n.d.");
	check(typo_percent, NAN, 1, false, "n/a");
}

static void test_typo_points(void)
{
	/* Grenoble 13.80 % against Isère 9.80 %: +4.0 points (test_gap.c) */
	check(typo_points, 4.0, 1, true, "+4,0" NBSP "points");
	check(typo_points, 4.0, 1, false, "+4.0 points");
	check(typo_points, -0.5, 1, true, MINUS "0,5" NBSP "point");
	check(typo_points, -0.5, 1, false, "-0.5 points");
	check(typo_points, 1.94, 1, true, "+1,9" NBSP "point");	 /* below 2: singular */
	check(typo_points, 1.96, 1, true, "+2,0" NBSP "points"); /* shown as 2,0 */
	check(typo_points, 1, 0, false, "+1 point");
	check(typo_points, 1, 1, false, "+1.0 points");
	check(typo_points, -1, 0, false, "-1 point");
	check(typo_points, 0.01, 1, true, "0,0" NBSP "point");
	check(typo_points, -0.01, 1, false, "0.0 points");
	check(typo_points, 1234, 0, true, "+1" NNBSP "234" NBSP "points");
	check(typo_points, NAN, 1, true, "n.d.");
	check(typo_points, NAN, 1, false, "n/a");
}

static void test_typo_date(void)
{
	struct {
		int y, m, d;
		const char *fr, *en;
	} cases[] = {
	    {2026, 11, 29, "29 novembre 2026", "29 November 2026"},
	    {2026, 12, 1, "1er décembre 2026", "1 December 2026"},
	    {2026, 2, 1, "1er février 2026", "1 February 2026"},
	    {2026, 8, 15, "15 août 2026", "15 August 2026"},
	    {2024, 2, 29, "29 février 2024", "29 February 2024"}, /* leap year */
	    {2000, 2, 29, "29 février 2000", "29 February 2000"}, /* divisible by 400 */
	    {2026, 1, 31, "31 janvier 2026", "31 January 2026"},
	    {2026, 2, 29, "n.d.", "n/a"},
	    {1900, 2, 29, "n.d.", "n/a"}, /* divisible by 100 only */
	    {2026, 4, 31, "n.d.", "n/a"},
	    {2026, 0, 1, "n.d.", "n/a"},
	    {2026, 13, 1, "n.d.", "n/a"},
	    {2026, 1, 0, "n.d.", "n/a"},
	    {0, 1, 1, "n.d.", "n/a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int fr = 0; fr < 2; fr++) {
			struct strbuf sb = STRBUF_INIT;
			typo_date(&sb, cases[i].y, cases[i].m, cases[i].d, fr);
			CU_ASSERT_STRING_EQUAL(sb.buf, fr ? cases[i].fr : cases[i].en);
			strbuf_release(&sb);
		}
	}
}

static void test_typo_money(void)
{
	check(typo_money, 12345, 0, true, "12" NNBSP "345" NBSP "€");
	check(typo_money, 12345, 0, false, "€12,345");
	check(typo_money, 12345.5, 2, true, "12" NNBSP "345,50" NBSP "€");
	check(typo_money, 12345.5, 2, false, "€12,345.50");
	/* the pay of the Grenoble example in 2027 (test_budget.c) */
	check(typo_money, 183233.726208, 2, true, "183" NNBSP "233,73" NBSP "€");
	check(typo_money, -300, 0, true, MINUS "300" NBSP "€");
	check(typo_money, -300, 0, false, "-€300");
	check(typo_money, -0.001, 2, false, "€0.00");
	check(typo_money, NAN, 0, true, "n.d.");
	check(typo_money, NAN, 0, false, "n/a");
}

/* "à Grenoble", "que dans le Nord": the prefix and the name less what it skips. */
static void place(const struct territory *t, enum typo_place_form f, struct strbuf *sb)
{
	size_t skip;
	strbuf_reset(sb);
	strbuf_addstr(sb, typo_place(t, f, &skip));
	strbuf_addstr(sb, t->name + skip);
}

/* Every département and région of the bundled COG 2026 has its TNCC and
 * one of the forms of the rule; the forms of a sample checked against
 * French usage by hand (the Insee's own pages write "dans le Nord", "en
 * Corrèze", "à La Réunion", "dans les Hauts-de-France"). */
/* An EPCI named after its kind takes the article ("dans la CA du Centre de
 * la Martinique", "de la CC de la Dombes", "dans l'Eurométropole de
 * Strasbourg"); one with a proper name does not ("dans
 * Grenoble-Alpes-Métropole", as the Insee writes it). */
static void test_typo_place_epci(void)
{
	static const char *const want[][4] = {
	    {"CA du Centre de la Martinique", "dans la CA du Centre de la Martinique",
	     "que dans la CA du Centre de la Martinique", "de la CA du Centre de la Martinique"},
	    {"CC de la Dombes", "dans la CC de la Dombes", "que dans la CC de la Dombes",
	     "de la CC de la Dombes"},
	    {"Métropole Européenne de Lille", "dans la Métropole Européenne de Lille",
	     "que dans la Métropole Européenne de Lille", "de la Métropole Européenne de Lille"},
	    {"Eurométropole de Strasbourg", "dans l'Eurométropole de Strasbourg",
	     "que dans l'Eurométropole de Strasbourg", "de l'Eurométropole de Strasbourg"},
	    {"Grenoble-Alpes-Métropole", "dans Grenoble-Alpes-Métropole",
	     "que dans Grenoble-Alpes-Métropole", "de Grenoble-Alpes-Métropole"},
	};
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct territory t = {.type = TERRITORY_EPCI, .name = want[i][0]};
		for (int f = 0; f < 3; f++) {
			place(&t, (enum typo_place_form)f, &sb);
			CU_ASSERT_STRING_EQUAL(sb.buf, want[i][1 + f]);
		}
	}
	strbuf_release(&sb);
}

/* Every unit of the bundled catalogue has words in both languages, and
 * each key gives exactly these. */
static void test_typo_unit(void)
{
	static const char *const want[][3] = {
	    {"%", "%", "%"},
	    {"persons", "personnes", "persons"},
	    {"households", "ménages", "households"},
	    {"per 1 000", "pour" NBSP "1" NNBSP "000", "per 1,000"},
	    {"per 100", "pour" NBSP "100", "per 100"},
	    {"euros a year", "€" NBSP "par an", "€ a year"},
	    {"times", "fois", "times"},
	};
	struct catalogue c;
	struct error err;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", test_datadir());
	CU_ASSERT_EQUAL_FATAL(catalogue_load(path.buf, &c, &err), TERRAIN_OK);
	size_t seen[sizeof(want) / sizeof(want[0])] = {0};
	for (size_t i = 0; i < c.n; i++) {
		const char *u = c.v[i].unit;
		size_t k;
		for (k = 0; k < sizeof(want) / sizeof(want[0]) && strcmp(u, want[k][0]); k++)
			;
		CU_ASSERT(k < sizeof(want) / sizeof(want[0]));
		if (k == sizeof(want) / sizeof(want[0])) {
			fprintf(stderr, "\n  unit \"%s\" of %s not in the test's list\n", u,
				c.v[i].id);
			continue;
		}
		seen[k]++;
		CU_ASSERT_STRING_EQUAL(typo_unit(u, true), want[k][1]);
		CU_ASSERT_STRING_EQUAL(typo_unit(u, false), want[k][2]);
	}
	/* the catalogue uses every unit of the list */
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		CU_ASSERT(seen[k] > 0);
	CU_ASSERT_PTR_NULL(typo_unit("per 1,000", true));
	CU_ASSERT_PTR_NULL(typo_unit("", false));
	catalogue_release(&c);
	strbuf_release(&path);
}

/* A value or a gap in an indicator's unit, as the note and the portrait
 * write them (typo_value, typo_gap). */
static void unit_check(void (*fn)(struct strbuf *, double, const char *, int, bool), double v,
		       const char *unit, int decimals, bool fr, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "[");
	fn(&sb, v, unit, decimals, fr);
	CU_ASSERT_STRING_EQUAL(sb.buf + 1, want);
	if (strcmp(sb.buf + 1, want))
		fprintf(stderr, "\n  got \"%s\", want \"%s\"\n", sb.buf + 1, want);
	strbuf_release(&sb);
}

static void test_typo_value_and_gap(void)
{
	unit_check(typo_value, 13.8, "%", 1, true, "13,8" NBSP "%");
	unit_check(typo_value, 0.4825, "%", 2, true, "0,48" NBSP "%");
	unit_check(typo_value, 15.3, "per 1 000", 1, true, "15,3" NBSP "pour" NBSP "1" NNBSP "000");
	unit_check(typo_value, 15.3, "per 1 000", 1, false, "15.3" NBSP "per 1,000");
	unit_check(typo_value, 156140, "persons", 0, true, "156" NNBSP "140"); /* no unit */
	unit_check(typo_value, 22070, "euros a year", 0, true,
		   "22" NNBSP "070" NBSP "€" NBSP "par an");
	unit_check(typo_value, NAN, "per 1 000", 1, true, "n.d.");
	unit_check(typo_value, 3.4, "unknown unit", 1, true, "3,4");
	/* Roubaix 15,3 against the Métropole européenne de Lille 11,7 births
	 * per 1 000 (the portrait's values): 15,3 - 11,7 = +3,6 by hand, in the
	 * unit, never in points; a percentage's gap stays in points */
	unit_check(typo_gap, 3.6, "per 1 000", 1, true, "+3,6" NBSP "pour" NBSP "1" NNBSP "000");
	unit_check(typo_gap, -1.8, "per 1 000", 1, true,
		   MINUS "1,8" NBSP "pour" NBSP "1" NNBSP "000");
	unit_check(typo_gap, -1.8, "per 1 000", 1, false, "-1.8" NBSP "per 1,000");
	unit_check(typo_gap, 0.01, "per 1 000", 1, true, "0,0" NBSP "pour" NBSP "1" NNBSP "000");
	unit_check(typo_gap, -11.0, "%", 1, true, MINUS "11,0" NBSP "points");
	unit_check(typo_gap, 2815, "persons", 0, true, "+2" NNBSP "815");
	unit_check(typo_gap, NAN, "%", 1, false, "n/a");
}

/* A territory named as the note names it: INSEE's zones with their kind
 * (INSEE's "zone d'emploi de Roubaix-Tourcoing", "Roubaix-Tourcoing
 * employment zone"), the others by their own name. */
static void test_typo_territory_name(void)
{
	struct territory ze = {
	    .type = TERRITORY_ZE, .code = "ze:3218", .name = "Roubaix-Tourcoing", .tncc = 0};
	struct territory bv = {
	    .type = TERRITORY_BV, .code = "bv:76351", .name = "Le Havre", .tncc = 2};
	struct territory com = {.type = TERRITORY_COM, .code = "com:59512", .name = "Roubaix"};
	struct territory fr = {.type = TERRITORY_FR, .code = "fr"};
	struct strbuf sb = STRBUF_INIT;
	typo_territory_name(&ze, false, false, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "zone d'emploi de Roubaix-Tourcoing");
	strbuf_reset(&sb);
	typo_territory_name(&ze, false, true, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "la zone d'emploi de Roubaix-Tourcoing");
	strbuf_reset(&sb);
	typo_territory_name(&ze, true, false, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "Roubaix-Tourcoing employment zone");
	strbuf_reset(&sb);
	typo_territory_name(&bv, false, false, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "bassin de vie du Havre");
	strbuf_reset(&sb);
	typo_territory_name(&com, false, true, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "Roubaix");
	strbuf_reset(&sb);
	typo_territory_name(&fr, true, false, &sb); /* no name: its code */
	CU_ASSERT_STRING_EQUAL(sb.buf, "fr");
	strbuf_release(&sb);
}

static void test_typo_place_every_dep_and_reg(void)
{
	static const char *const allowed[] = {"à ",	   "en ",     "dans le ",
					      "dans les ", "dans l'", NULL};
	static const char *const want[][4] = {
	    /* code, in, than, of */
	    {"dep:59", "dans le Nord", "que dans le Nord", "du Nord"},
	    {"dep:38", "dans l'Isère", "que dans l'Isère", "de l'Isère"},
	    {"dep:13", "dans les Bouches-du-Rhône", "que dans les Bouches-du-Rhône",
	     "des Bouches-du-Rhône"},
	    {"dep:974", "à La Réunion", "qu'à La Réunion", "de La Réunion"},
	    {"dep:976", "à Mayotte", "qu'à Mayotte", "de Mayotte"},
	    {"dep:75", "à Paris", "qu'à Paris", "de Paris"},
	    {"dep:77", "en Seine-et-Marne", "qu'en Seine-et-Marne", "de Seine-et-Marne"},
	    {"dep:28", "en Eure-et-Loir", "qu'en Eure-et-Loir", "d'Eure-et-Loir"},
	    {"dep:19", "en Corrèze", "qu'en Corrèze", "de la Corrèze"},
	    {"dep:2A", "en Corse-du-Sud", "qu'en Corse-du-Sud", "de la Corse-du-Sud"},
	    {"dep:90", "dans le Territoire de Belfort", "que dans le Territoire de Belfort",
	     "du Territoire de Belfort"},
	    {"reg:32", "dans les Hauts-de-France", "que dans les Hauts-de-France",
	     "des Hauts-de-France"},
	    {"reg:84", "en Auvergne-Rhône-Alpes", "qu'en Auvergne-Rhône-Alpes",
	     "d'Auvergne-Rhône-Alpes"},
	    {"reg:04", "à La Réunion", "qu'à La Réunion", "de La Réunion"},
	    {"reg:28", "en Normandie", "qu'en Normandie", "de Normandie"},
	    {"reg:44", "dans le Grand Est", "que dans le Grand Est", "du Grand Est"},
	    {"reg:52", "dans les Pays de la Loire", "que dans les Pays de la Loire",
	     "des Pays de la Loire"},
	    {"reg:01", "en Guadeloupe", "qu'en Guadeloupe", "de la Guadeloupe"},
	};
	struct geo g;
	struct error err;
	struct strbuf dir = STRBUF_INIT, sb = STRBUF_INIT;
	strbuf_addstr(&dir, test_datadir());
	geo_init(&g);
	enum status st = geodata_load(&g, dir.buf, &err);
	if (st)
		fprintf(stderr, "\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	size_t ndep = 0, nreg = 0;
	for (size_t i = 0; i < g.ndep + g.nreg; i++) {
		struct territory t;
		if (i < g.ndep)
			territory_of_dep(&g, i, &t);
		else
			territory_of_reg(&g, i - g.ndep, &t);
		/* the collectivités d'outre-mer are not in INSEE's TNCC files */
		if (strlen(t.code) == 7 && t.code[4] == '9' &&
		    !(t.code[5] == '7' && strchr("12346", t.code[6])))
			continue;
		ndep += i < g.ndep;
		nreg += i >= g.ndep;
		CU_ASSERT(t.tncc >= 0 && t.tncc <= 8);
		size_t skip;
		const char *in = typo_place(&t, TYPO_IN, &skip);
		bool ok = false;
		for (size_t a = 0; allowed[a]; a++)
			ok |= !strcmp(in, allowed[a]);
		CU_ASSERT(ok && skip == 0);
		if (!ok)
			fprintf(stderr, "\n%s: \"%s%s\"\n", t.code, in, t.name);
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
			if (strcmp(want[w][0], t.code))
				continue;
			for (int f = 0; f < 3; f++) {
				place(&t, (enum typo_place_form)f, &sb);
				CU_ASSERT_STRING_EQUAL(sb.buf, want[w][f + 1]);
			}
		}
	}
	CU_ASSERT_EQUAL(ndep, 101);
	CU_ASSERT_EQUAL(nreg, 18);
	/* communes: the article of the name contracts with à and de */
	static const char *const com[][3] = {
	    {"76351", "au Havre", "du Havre"},
	    {"78440", "aux Mureaux", "des Mureaux"},
	    {"17300", "à La Rochelle", "de La Rochelle"},
	    {"38185", "à Grenoble", "de Grenoble"},
	    {"60703", "aux Marais", "des Marais"},
	    {"66104", "à Los Masos", "de Los Masos"},
	    {"01004", "à Ambérieu-en-Bugey", "d'Ambérieu-en-Bugey"},
	};
	for (size_t i = 0; i < sizeof(com) / sizeof(com[0]); i++) {
		struct territory t;
		size_t k = geo_commune_find(&g, com[i][0]);
		CU_ASSERT_FATAL(k != GEO_NONE);
		territory_of_commune(&g, k, &t);
		place(&t, TYPO_IN, &sb);
		CU_ASSERT_STRING_EQUAL(sb.buf, com[i][1]);
		place(&t, TYPO_OF, &sb);
		CU_ASSERT_STRING_EQUAL(sb.buf, com[i][2]);
	}
	geo_release(&g);
	strbuf_release(&dir);
	strbuf_release(&sb);
}

void suite_typo(void)
{
	CU_pSuite s = CU_add_suite("typo", NULL, NULL);
	ADD_TEST(s, test_typo_number);
	ADD_TEST(s, test_typo_percent);
	ADD_TEST(s, test_typo_points);
	ADD_TEST(s, test_typo_date);
	ADD_TEST(s, test_typo_money);
	ADD_TEST(s, test_typo_unit);
	ADD_TEST(s, test_typo_value_and_gap);
	ADD_TEST(s, test_typo_territory_name);
	ADD_TEST(s, test_typo_place_every_dep_and_reg);
	ADD_TEST(s, test_typo_place_epci);
}
