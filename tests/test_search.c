#include <stdlib.h>
#include <string.h>

#include "../analysis/search.h"
#include "helpers.h"

static size_t find(const char *q, unsigned mask, struct search_hit **hits)
{
	return search_territories(&test_bundle()->geo, q, mask, hits);
}

static void test_search_exact_first(void)
{
	struct search_hit *h;
	size_t n = find("grenoble", SEARCH_ALL_TYPES, &h);
	CU_ASSERT_FATAL(n >= 2);
	CU_ASSERT_STRING_EQUAL(h[0].t.code, "com:38185");
	CU_ASSERT_EQUAL(h[0].class, SEARCH_EXACT);
	CU_ASSERT_STRING_EQUAL(h[1].t.code, "epci:200040715"); /* a prefix match */
	CU_ASSERT_EQUAL(h[1].class, SEARCH_PREFIX);
	free(h);
}

static void test_search_accents_and_case(void)
{
	struct search_hit *h;
	size_t n = find("SAINT ETIENNE", SEARCH_ALL_TYPES, &h);
	CU_ASSERT_FATAL(n > 5);
	CU_ASSERT_STRING_EQUAL(h[0].t.code, "com:42218");
	CU_ASSERT_STRING_EQUAL(h[0].t.name, "Saint-Étienne");
	/* then prefixes by population: the métropole before smaller communes */
	CU_ASSERT_EQUAL(h[1].class, SEARCH_PREFIX);
	CU_ASSERT(h[1].population >= h[2].population || h[1].class != h[2].class);
	free(h);
	n = find("isere", SEARCH_TYPE(TERRITORY_DEP), &h);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(h[0].t.code, "dep:38");
	free(h);
}

static void test_search_population_breaks_ties(void)
{
	struct search_hit *h;
	/* several communes are called Saint-Denis; La Réunion's and
	 * Seine-Saint-Denis's are the largest */
	size_t n = find("Saint-Denis", SEARCH_TYPE(TERRITORY_COM), &h);
	CU_ASSERT_FATAL(n > 3);
	CU_ASSERT_EQUAL(h[0].class, SEARCH_EXACT);
	CU_ASSERT_EQUAL(h[1].class, SEARCH_EXACT);
	CU_ASSERT(h[0].population >= h[1].population);
	for (size_t i = 1; i < n; i++)
		if (h[i].class == h[i - 1].class && h[i].former == h[i - 1].former)
			CU_ASSERT(h[i].population <= h[i - 1].population);
	free(h);
}

static void test_search_former_communes(void)
{
	struct search_hit *h;
	size_t n = find("Béon", SEARCH_TYPE(TERRITORY_COM), &h);
	CU_ASSERT_FATAL(n >= 2);
	/* the current Béon (Yonne) first, the former one of the Ain after it */
	CU_ASSERT_STRING_EQUAL(h[0].t.code, "com:89037");
	CU_ASSERT_FALSE(h[0].former);
	CU_ASSERT_STRING_EQUAL(h[1].t.code, "com:01039");
	CU_ASSERT_TRUE(h[1].former);
	free(h);
}

/* INSEE's study zones are found by name (zonages 2024: the zone d'emploi
 * 8409 and the bassin de vie, unité urbaine and aire d'attraction of
 * Grenoble are all named "Grenoble"), after the administrative
 * territories; --type narrows to one kind. */
static void test_search_zones(void)
{
	struct search_hit *h;
	size_t n = find("grenoble", SEARCH_ALL_TYPES, &h);
	CU_ASSERT_FATAL(n >= 6);
	CU_ASSERT_STRING_EQUAL(h[0].t.code, "com:38185");
	CU_ASSERT_STRING_EQUAL(h[1].t.code, "epci:200040715");
	bool seen[4] = {false};
	for (size_t i = 2; i < n; i++) {
		enum geo_zonage lv = territory_zonage(h[i].t.type);
		if (lv == GEO_NZONAGE) {
			CU_ASSERT(h[i].class > SEARCH_EXACT ||
				  h[i].former); /* no admin after zones */
			continue;
		}
		if (h[i].class == SEARCH_EXACT) {
			seen[lv] = true;
			CU_ASSERT_STRING_EQUAL(h[i].t.name, "Grenoble");
			CU_ASSERT(h[i].population > 156140); /* more than the commune alone */
		}
	}
	CU_ASSERT(seen[GEO_ZE] && seen[GEO_BV] && seen[GEO_UU] && seen[GEO_AAV]);
	free(h);
	n = find("roubaix tourcoing", SEARCH_TYPE(TERRITORY_ZE), &h);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(h[0].t.code, "ze:3218");
	free(h);
}

static void test_search_nothing(void)
{
	struct search_hit *h;
	CU_ASSERT_EQUAL(find("zzzqqq", SEARCH_ALL_TYPES, &h), 0);
	free(h);
	CU_ASSERT_EQUAL(find(" - ", SEARCH_ALL_TYPES, &h), 0);
	free(h);
}

void suite_search(void)
{
	CU_pSuite s = CU_add_suite("search", NULL, NULL);
	ADD_TEST(s, test_search_exact_first);
	ADD_TEST(s, test_search_accents_and_case);
	ADD_TEST(s, test_search_population_breaks_ties);
	ADD_TEST(s, test_search_former_communes);
	ADD_TEST(s, test_search_zones);
	ADD_TEST(s, test_search_nothing);
}
