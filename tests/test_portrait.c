/* The portrait: figures summed over communes, checked against values
 * computed independently from the shared source files (the awk commands
 * are in tests/fixtures/README.md) and against published INSEE figures. */
#include <math.h>
#include <string.h>

#include "../analysis/portrait.h"
#include "helpers.h"

static void portrait_of(const char *code, struct portrait *p)
{
	const struct bundle *b = test_bundle();
	struct territory t;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, code, NULL, 0, &t, &err), TERRAIN_OK);
	portrait_compute(&b->geo, &b->pop_cog, &b->census, &t, p);
}

/* Hand calculation: 100 -> 121 in 2 years is 10 % a year; 100 -> 100 is 0. */
static void test_portrait_annual_growth_by_hand(void)
{
	CU_ASSERT_DOUBLE_EQUAL(portrait_annual_growth(100, 121, 2), 10.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(portrait_annual_growth(100, 100, 6), 0.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(portrait_annual_growth(1000, 500, 1), -50.0, 1e-12);
	CU_ASSERT_TRUE(isnan(portrait_annual_growth(0, 100, 6)));
	CU_ASSERT_TRUE(isnan(portrait_annual_growth(100, 100, 0)));
	CU_ASSERT_TRUE(isnan(portrait_annual_growth(NAN, 100, 6)));
}

/* Grenoble, INSEE comparateur (census 2021): population 2015 160 649, 2021
 * 157 477.  Annual growth by hand (bc -l):
 * (e(l(157477/160649)/6)-1)*100 = -0.331822331800 */
static void test_portrait_grenoble(void)
{
	struct portrait p;
	portrait_of("38185", &p);
	CU_ASSERT_STRING_EQUAL(p.t.name, "Grenoble");
	CU_ASSERT_EQUAL(p.nmembers, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.census[0].value, 160649, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.census[1].value, 157477, 0);
	CU_ASSERT_EQUAL(p.census[1].covered, 1);
	CU_ASSERT_DOUBLE_EQUAL(p.growth.value, -0.331822331800, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[0].value, 158198, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[5].value, 156140, 0);
}

/* Culoz-Béon 01138 in the 2021 package: Culoz 3 004 and Béon 01039 443,
 * listed separately then, summed into today's commune: 3 447. */
static void test_portrait_conversion_sums_merged(void)
{
	struct portrait p;
	portrait_of("01138", &p);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[0].value, 3004 + 443, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[1].value, 2987 + 439, 0);
	/* Saint-Denis 93066 absorbed Pierrefitte-sur-Seine 93059 in COG 2025;
	 * the census source (COG 2024) lists them apart: 113 942 + 32 379
	 * (awk over insee_comparateur/communes_2021.csv) */
	portrait_of("93066", &p);
	CU_ASSERT_DOUBLE_EQUAL(p.census[1].value, 146321, 0);
	/* the former code itself resolves to its successor */
	portrait_of("01039", &p);
	CU_ASSERT_STRING_EQUAL(p.t.code, "com:01138");
}

/* Isère from its 512 communes.  Independent sums over the shared files
 * (tests/fixtures/README.md): census 2015 1 251 060, 2021 1 284 948;
 * population in the COG 2021 package 1 271 166. */
static void test_portrait_isere_from_communes(void)
{
	struct portrait p;
	portrait_of("dep:38", &p);
	CU_ASSERT_EQUAL(p.nmembers, 512);
	CU_ASSERT_DOUBLE_EQUAL(p.census[0].value, 1251060, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.census[1].value, 1284948, 0);
	CU_ASSERT_EQUAL(p.census[1].covered, 512);
	CU_ASSERT_EQUAL(p.census[1].units, 512);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[0].value, 1271166, 0);
	/* growth of the sums, never an average of the communes' rates */
	CU_ASSERT_DOUBLE_EQUAL(p.growth.value, 100 * (pow(1284948.0 / 1251060.0, 1.0 / 6) - 1),
			       1e-9);
}

/* Grenoble-Alpes-Métropole: 49 members, census 2021 449 488 (awk join of
 * epci_members_2026.csv and the comparateur). */
static void test_portrait_epci(void)
{
	struct portrait p;
	portrait_of("epci:200040715", &p);
	CU_ASSERT_EQUAL(p.nmembers, 49);
	CU_ASSERT_DOUBLE_EQUAL(p.census[1].value, 449488, 0);
	CU_ASSERT_EQUAL(p.census[1].covered, 49);
}

/* Paris: the comparateur has only its arrondissements; their sum is INSEE's
 * published population municipale 2021 of Paris, 2 133 111. */
static void test_portrait_paris_from_arrondissements(void)
{
	struct portrait p;
	portrait_of("75056", &p);
	CU_ASSERT_DOUBLE_EQUAL(p.census[1].value, 2133111, 0);
	CU_ASSERT_EQUAL(p.nmembers, 20);
	/* the package's own figure for the city, not city + arrondissements */
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[5].value, 2103778, 0);
}

/* Missing is not zero: communes with no figure lower the coverage, not the
 * value.  Auvergne-Rhône-Alpes has 4 025 communes in COG 2026; 4 of them
 * (Cantal, split in COG 2025) are not in the COG 2021 package.  The sums of
 * the région's communes in the 2021 package (4 030 communes then) and in
 * the 2026 package are 8 042 936 and 8 205 557 (awk over
 * populations_by_cog_year.csv): conversion to COG 2026 loses nobody. */
static void test_portrait_coverage(void)
{
	struct portrait p;
	portrait_of("reg:84", &p);
	CU_ASSERT_EQUAL(p.pop_cog[0].covered, 4021);
	CU_ASSERT_EQUAL(p.pop_cog[0].units, 4025);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[0].value, 8042936, 0);
	CU_ASSERT_EQUAL(p.pop_cog[5].covered, 4025);
	CU_ASSERT_DOUBLE_EQUAL(p.pop_cog[5].value, 8205557, 0);
	/* Celles 15031, created in COG 2025, is not in the census source (COG 2024) */
	portrait_of("15031", &p);
	CU_ASSERT_TRUE(isnan(p.census[1].value));
	CU_ASSERT_EQUAL(p.census[1].covered, 0);
	CU_ASSERT_TRUE(isnan(p.growth.value));
	/* Mayotte: the comparateur's placeholder zeros were emptied on build */
	portrait_of("97611", &p);
	CU_ASSERT_TRUE(isnan(p.census[1].value));
}

void suite_portrait(void)
{
	CU_pSuite s = CU_add_suite("portrait", NULL, NULL);
	ADD_TEST(s, test_portrait_annual_growth_by_hand);
	ADD_TEST(s, test_portrait_grenoble);
	ADD_TEST(s, test_portrait_conversion_sums_merged);
	ADD_TEST(s, test_portrait_isere_from_communes);
	ADD_TEST(s, test_portrait_epci);
	ADD_TEST(s, test_portrait_paris_from_arrondissements);
	ADD_TEST(s, test_portrait_coverage);
}
