#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "helpers.h"

static void check_parse(const char *s, enum territory_type type, const char *id)
{
	struct territory_code tc;
	struct error err;
	CU_ASSERT_EQUAL(territory_parse(s, &tc, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(tc.type, type);
	CU_ASSERT_STRING_EQUAL(tc.id, id);
}

static void check_malformed(const char *s, const char *why)
{
	struct territory_code tc;
	struct error err;
	CU_ASSERT_EQUAL(territory_parse(s, &tc, &err), TERRAIN_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, why));
	if (!strstr(err.msg, why))
		fprintf(stderr, "\n%s: %s\n", s, err.msg);
}

static void test_territory_parse_forms(void)
{
	check_parse("com:38185", TERRITORY_COM, "38185");
	check_parse("38185", TERRITORY_COM, "38185");
	check_parse("01039", TERRITORY_COM, "01039"); /* leading zero kept */
	check_parse("2A004", TERRITORY_COM, "2A004");
	check_parse("2a004", TERRITORY_COM, "2A004");
	check_parse("com:2b033", TERRITORY_COM, "2B033");
	check_parse("arm:69381", TERRITORY_ARM, "69381");
	check_parse("epci:200040715", TERRITORY_EPCI, "200040715");
	check_parse("dep:38", TERRITORY_DEP, "38");
	check_parse("dep:2A", TERRITORY_DEP, "2A");
	check_parse("dep:01", TERRITORY_DEP, "01");
	check_parse("dep:974", TERRITORY_DEP, "974");
	check_parse("reg:84", TERRITORY_REG, "84");
	check_parse("fr", TERRITORY_FR, "");
	check_parse("custom:sud-grenoblois", TERRITORY_CUSTOM, "sud-grenoblois");
	check_parse("ze:8409", TERRITORY_ZE, "8409");
	check_parse("bv:38185", TERRITORY_BV, "38185");
	check_parse("bv:2a004", TERRITORY_BV, "2A004");
	check_parse("uu:38701", TERRITORY_UU, "38701");
	check_parse("uu:9a101", TERRITORY_UU, "9A101");
	check_parse("aav:014", TERRITORY_AAV, "014");
	check_parse("aav:gen", TERRITORY_AAV, "GEN"); /* Genève, a foreign city's aire */
}

/* The département a commune code or a postcode starts with: two
 * characters, three overseas (COG: 974 La Réunion, 2A Corse-du-Sud). */
static void test_territory_dep_prefix(void)
{
	static const char *const cases[][2] = {
	    {"38185", "38"}, {"97411", "974"}, {"2A004", "2A"},
	    {"59100", "59"}, {"9", ""},	       {"", ""},
	};
	char dep[4];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		territory_dep_prefix(cases[i][0], dep);
		CU_ASSERT_STRING_EQUAL(dep, cases[i][1]);
	}
}

static void test_territory_parse_malformed(void)
{
	check_malformed("3818", "malformed territory code \"3818\": no type prefix");
	check_malformed("381850", "no type prefix and not a commune code");
	check_malformed("cmo:38185", "unknown type prefix");
	check_malformed("com:3818", "a commune code has 5 characters");
	check_malformed("com:2C004", "a commune code has 5 characters");
	check_malformed("epci:20004071", "9-digit SIREN");
	check_malformed("dep:3", "a département code");
	check_malformed("reg:8", "a région code");
	check_malformed("fr:1", "France takes no code");
	check_malformed("custom:", "a custom name");
	check_malformed("custom:a b", "a custom name");
	check_malformed("", "no type prefix");
	/* the user's text stays on one line, and short */
	check_malformed("38\n185", "malformed territory code \"38\\x0A185\"");
	check_malformed(
	    "com:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "\"com:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"");
	check_malformed("ze:840", "a zone d'emploi code has 4 digits");
	check_malformed("ze:84A9", "a zone d'emploi code has 4 digits");
	check_malformed("bv:3818", "a bassin de vie is coded by its chef-lieu's commune code");
	check_malformed("uu:3870", "an unité urbaine code has 5 characters");
	check_malformed("aav:14", "an aire d'attraction des villes code has 3 characters");
	check_malformed("aav:0-4", "an aire d'attraction des villes code has 3 characters");
	/* the message shows the accepted forms */
	check_malformed("x", "expected com:CODE, arm:CODE, epci:SIREN");
}

static void test_territory_resolve_unknown(void)
{
	const struct bundle *b = test_bundle();
	struct territory t;
	struct error err;
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "99999", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "unknown commune code \"99999\" (not in the COG 2021-2026 "
					"packages nor among the former codes of COG 2026)");
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "epci:123456789", NULL, 0, &t, &err),
			TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown EPCI \"123456789\""));
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "dep:20", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "reg:99", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "arm:38185", NULL, 0, &t, &err),
			TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"38185\" is not an arrondissement municipal but the "
					"commune Grenoble (write com:38185)");
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "com:75101", NULL, 0, &t, &err),
			TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"75101\" is not a commune but the arrondissement "
					"municipal Paris 1er Arrondissement (write arm:75101)");
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "75101", NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(t.code, "arm:75101");
	CU_ASSERT_EQUAL(territory_lookup(&b->geo, "custom:x", NULL, 0, &t, &err),
			TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "[custom:x]"));
}

/* A postcode typed for a commune code: a warning when it is also an INSEE
 * code (the caller logs it), an error when it is not. */
static void test_territory_postcodes(void)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t;
	struct error err;
	struct strbuf msg = STRBUF_INIT;
	CU_ASSERT_TRUE(territory_postcode_warning(g, "59100", &msg));
	CU_ASSERT_STRING_EQUAL(msg.buf, "59100 is Bousignies (INSEE code); 59100 is also the "
					"postcode of Roubaix (59512): if you meant Roubaix, write "
					"59512");
	strbuf_reset(&msg);
	CU_ASSERT_TRUE(territory_postcode_warning(g, "com:13001", &msg));
	CU_ASSERT_STRING_EQUAL(msg.buf,
			       "13001 is Aix-en-Provence (INSEE code); 13001 is also the postcode "
			       "of Marseille (13055) and Marseille 1er Arrondissement (13201): if "
			       "you meant one of them, write its INSEE code");
	strbuf_reset(&msg);
	/* an old code of the Seine that the files carry as a former commune */
	CU_ASSERT_TRUE(territory_postcode_warning(g, "75001", &msg));
	CU_ASSERT_STRING_EQUAL(msg.buf,
			       "75001 is the INSEE code of a former commune, now part of "
			       "Alfortville (94002); 75001 is also the postcode of Paris "
			       "(75056) and Paris 1er Arrondissement (75101): if you meant "
			       "one of them, write its INSEE code");
	strbuf_reset(&msg);
	/* no warning: not a postcode, its own postcode only, not a commune code */
	const char *const quiet[] = {"59512", "38185", "dep:59", "epci:200040715",
				     "fr",    "38000", "x"};
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		CU_ASSERT_FALSE(territory_postcode_warning(g, quiet[i], &msg));
		CU_ASSERT_STRING_EQUAL(msg.buf, "");
	}
	strbuf_release(&msg);
	/* a postcode that is no INSEE code: an error naming its communes */
	CU_ASSERT_EQUAL(territory_lookup(g, "38000", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "\"38000\" is a postcode, not an INSEE commune code: the "
			       "postcode of Grenoble (38185); write its INSEE code, 38185");
	CU_ASSERT_EQUAL(territory_lookup(g, "com:97490", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"97490\" is a postcode, not an INSEE commune code: the "
					"postcode of Saint-Denis (97411); write its INSEE code, "
					"97411");
}

static void test_territory_references(void)
{
	const struct bundle *b = test_bundle();
	struct territory t, refs[TERRITORY_MAX_REFS];
	struct error err;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "38185", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_references(&b->geo, &t, refs);
	/* its zone d'emploi after its EPCI: 8409 Grenoble (INSEE's table
	 * d'appartenance 2024, ZE2020 of 38185) */
	CU_ASSERT_EQUAL_FATAL(n, 5);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "epci:200040715");
	CU_ASSERT_STRING_EQUAL(refs[1].code, "ze:8409");
	CU_ASSERT_STRING_EQUAL(refs[1].name, "Grenoble");
	CU_ASSERT_STRING_EQUAL(refs[2].code, "dep:38");
	CU_ASSERT_STRING_EQUAL(refs[3].code, "reg:84");
	CU_ASSERT_STRING_EQUAL(refs[4].code, "fr");

	/* an arrondissement is compared with its city first; its own row of
	 * the table gives the zone d'emploi (ZE2020 8421 Lyon) */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "arm:69381", NULL, 0, &t, &err),
			      TERRAIN_OK);
	n = territory_references(&b->geo, &t, refs);
	CU_ASSERT_EQUAL_FATAL(n, TERRITORY_MAX_REFS);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "com:69123");
	CU_ASSERT_STRING_EQUAL(refs[1].code, "epci:200046977");
	CU_ASSERT_STRING_EQUAL(refs[2].code, "ze:8421");
	CU_ASSERT_STRING_EQUAL(refs[3].code, "dep:69");
	CU_ASSERT_STRING_EQUAL(refs[5].code, "fr");

	/* an island with no EPCI: zone d'emploi (5302 Brest), département,
	 * région, France */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "29155", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_references(&b->geo, &t, refs);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "ze:5302");
	CU_ASSERT_STRING_EQUAL(refs[1].code, "dep:29");

	/* the EPCI's main département */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "epci:200040715", NULL, 0, &t, &err),
			      TERRAIN_OK);
	n = territory_references(&b->geo, &t, refs);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "dep:38");

	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "dep:2A", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_references(&b->geo, &t, refs);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "reg:94");

	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "fr", NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(territory_references(&b->geo, &t, refs), 0);

	/* a collectivité d'outre-mer is not part of INSEE's France, and has no
	 * zones */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "97501", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_references(&b->geo, &t, refs);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "dep:975");
}

/* INSEE's zones: names and commune counts from datasets/geo/zonages_zones.csv
 * (INSEE's sheet Zones_supra_communales 2024):
 *   grep -E '^(ZE2020;8409|BV2022;38185|UU2020;38701|AAV2020;014);' zonages_zones.csv
 * gives Grenoble with 189, 53, 38 and 204 communes in COG 2024; none of
 * those communes has merged since, so the COG 2026 members are as many. */
static void check_zone(const char *code, const char *canonical, enum territory_type type,
		       size_t nmembers)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t, refs[TERRITORY_MAX_REFS];
	struct error err;
	size_t *m;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, code, NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(t.code, canonical);
	CU_ASSERT_EQUAL(t.type, type);
	CU_ASSERT_STRING_EQUAL(t.name, "Grenoble");
	CU_ASSERT_EQUAL(t.index, GEO_NONE);
	CU_ASSERT_EQUAL(t.tncc, 0); /* the commune Grenoble's: "de Grenoble" */
	size_t n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL(n, nmembers);
	bool grenoble = false;
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(g->com[m[i]].kind, GEO_COM);
		CU_ASSERT(i == 0 || m[i - 1] < m[i]); /* sorted by code */
		grenoble |= !strcmp(g->com[m[i]].code, "38185");
	}
	CU_ASSERT(grenoble);
	free(m);
	/* its units are its members, as an EPCI's */
	CU_ASSERT_EQUAL(territory_units(g, &t, &m), nmembers);
	free(m);
	/* references as an EPCI's: the département and région holding most of
	 * its population, then France */
	CU_ASSERT_EQUAL_FATAL(territory_references(g, &t, refs), 3);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "dep:38");
	CU_ASSERT_STRING_EQUAL(refs[1].code, "reg:84");
	CU_ASSERT_STRING_EQUAL(refs[2].code, "fr");
}

static void test_territory_zones(void)
{
	check_zone("ze:8409", "ze:8409", TERRITORY_ZE, 189);
	check_zone("bv:38185", "bv:38185", TERRITORY_BV, 53);
	check_zone("uu:38701", "uu:38701", TERRITORY_UU, 38);
	check_zone("aav:014", "aav:014", TERRITORY_AAV, 204);
	CU_ASSERT_STRING_EQUAL(territory_type_label(TERRITORY_ZE), "zone d'emploi");
	CU_ASSERT_STRING_EQUAL(territory_type_label(TERRITORY_AAV), "aire d'attraction des villes");
	CU_ASSERT_EQUAL(territory_zonage(TERRITORY_UU), GEO_UU);
	CU_ASSERT_EQUAL(territory_zonage(TERRITORY_EPCI), GEO_NZONAGE);
}

/* Unknown zones, and INSEE's codes for "outside any", which are not
 * territories. */
static void test_territory_zones_unknown(void)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t;
	struct error err;
	CU_ASSERT_EQUAL(territory_lookup(g, "ze:9999", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "unknown zone d'emploi 2020 \"9999\" (not in INSEE's table "
					"d'appartenance géographique des communes 2024)");
	CU_ASSERT_EQUAL(territory_lookup(g, "bv:38421", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown bassin de vie 2022 \"38421\""));
	CU_ASSERT_EQUAL(territory_lookup(g, "uu:38000", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"uu:38000\" is not a territory: INSEE's code for the "
					"communes outside any unité urbaine (\"Communes hors "
					"unité urbaine du département 38\")");
	CU_ASSERT_EQUAL(territory_lookup(g, "aav:000", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "\"aav:000\" is not a territory: INSEE's code for the "
					"communes outside any aire d'attraction des villes "
					"(\"Commune hors attraction des villes\")");
}

/* A commune formed in 2025 of 2024 communes of different zones is in none
 * of them: Rives-de-Boutonne 17268 (Nuaillé-sur-Boutonne until 2025) took in
 * Saint-Georges-de-Longuepierre 17334; INSEE's table of 2024 puts 17268 in zone d'emploi 7528
 * (Saintes, 147 communes) and 17334 in 7520 (Niort): grep -E '^COM;(17268|17334);'
 * ../shared/data/zonage/communes_zonages_2024.csv so ze:7528 has 146 communes of COG 2026 (awk
 * -F';' '$2=="7528"' datasets/geo/zonages.csv | wc -l), and 17268 has no zone d'emploi among its
 * references. */
static void test_territory_zones_merged_commune(void)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t, refs[TERRITORY_MAX_REFS];
	struct error err;
	size_t *m;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "ze:7528", NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(t.name, "Saintes");
	size_t n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL(n, 146);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT_STRING_NOT_EQUAL(g->com[m[i]].code, "17268");
	free(m);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "17268", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_references(g, &t, refs);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "epci:200041689");
	CU_ASSERT_STRING_EQUAL(refs[1].code, "dep:17");
}

static void test_territory_custom_members(void)
{
	const struct bundle *b = test_bundle();
	struct territory_custom c = {0};
	struct territory t, refs[TERRITORY_MAX_REFS];
	struct error err;
	size_t *m;
	const char *codes[] = {"38421", "38185",
			       "38151"}; /* Saint-Martin-d'Hères, Grenoble, Échirolles */
	c.id = (char[]){"sud"};
	c.label = (char[]){"Sud grenoblois"};
	c.member = malloc(3 * sizeof(*c.member));
	for (size_t i = 0; i < 3; i++)
		c.member[i] = geo_commune_find(&b->geo, codes[i]);
	c.nmember = 3;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "custom:sud", &c, 1, &t, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(t.code, "custom:sud");
	CU_ASSERT_STRING_EQUAL(t.name, "Sud grenoblois");
	size_t n = territory_members(&b->geo, &t, &m);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(b->geo.com[m[0]].code, "38151"); /* sorted by code */
	CU_ASSERT_STRING_EQUAL(b->geo.com[m[2]].code, "38421");
	free(m);
	/* all three are in Grenoble-Alpes-Métropole: it is the first reference */
	n = territory_references(&b->geo, &t, refs);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "epci:200040715");
	CU_ASSERT_STRING_EQUAL(refs[1].code, "dep:38");
	free(c.member);
}

void suite_territory(void)
{
	CU_pSuite s = CU_add_suite("territory", NULL, NULL);
	ADD_TEST(s, test_territory_parse_forms);
	ADD_TEST(s, test_territory_parse_malformed);
	ADD_TEST(s, test_territory_dep_prefix);
	ADD_TEST(s, test_territory_resolve_unknown);
	ADD_TEST(s, test_territory_references);
	ADD_TEST(s, test_territory_postcodes);
	ADD_TEST(s, test_territory_custom_members);
	ADD_TEST(s, test_territory_zones);
	ADD_TEST(s, test_territory_zones_unknown);
	ADD_TEST(s, test_territory_zones_merged_commune);
}
