/* The geography: real facts from the shared data (../shared/data/cog,
 * Etalab decoupage-administratif 1.1.1 to 6.0.0), and the loader's errors on
 * small invented files. */
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/territory.h"
#include "../ingest/geodata.h"
#include "helpers.h"

static const struct geo_commune *commune(const char *code)
{
	const struct bundle *b = test_bundle();
	size_t i = geo_commune_find(&b->geo, code);
	CU_ASSERT_FATAL(i != GEO_NONE);
	return &b->geo.com[i];
}

static void test_geo_counts(void)
{
	const struct geo *g = &test_bundle()->geo;
	size_t com = 0, arm = 0, former = 0;
	for (size_t i = 0; i < g->ncom; i++) {
		com += g->com[i].kind == GEO_COM;
		arm += g->com[i].kind == GEO_ARM;
		former += g->com[i].kind == GEO_FORMER;
	}
	/* communes.json of 6.0.0: 34 969 communes actuelles, 45 arrondissements */
	CU_ASSERT_EQUAL(com, 34969);
	CU_ASSERT_EQUAL(arm, 45);
	CU_ASSERT_EQUAL(former, 4240);
	CU_ASSERT_EQUAL(g->nepci, 1255);
	CU_ASSERT_EQUAL(g->ndep, 109); /* 101 départements and 8 collectivités d'outre-mer */
	CU_ASSERT_EQUAL(g->nreg, 26);
}

/* DEVELOPERS.md / issue 2: Grenoble 38185 belongs to EPCI 200040715
 * (Grenoble-Alpes-Métropole), département 38 and région 84, and carries in
 * the COG packages 2021-2026 the populations of populations_by_cog_year.csv:
 * 158 198, 158 240, 158 240, 156 389, 156 140, 156 140. */
static void test_geo_grenoble_facts(void)
{
	const struct geo *g = &test_bundle()->geo;
	const struct geo_commune *c = commune("38185");
	static const long pop[GEO_NCOG] = {158198, 158240, 158240, 156389, 156140, 156140};
	CU_ASSERT_EQUAL(c->kind, GEO_COM);
	CU_ASSERT_STRING_EQUAL(c->name, "Grenoble");
	CU_ASSERT_STRING_EQUAL(c->dep, "38");
	CU_ASSERT_STRING_EQUAL(c->reg, "84");
	CU_ASSERT_FATAL(c->epci != GEO_NONE);
	CU_ASSERT_STRING_EQUAL(g->epci[c->epci].code, "200040715");
	CU_ASSERT_STRING_EQUAL(g->epci[c->epci].name, "Grenoble-Alpes-Métropole");
	CU_ASSERT_STRING_EQUAL(g->epci[c->epci].type, "METRO");
	CU_ASSERT_STRING_EQUAL(g->dep[c->dep_index].name, "Isère");
	CU_ASSERT_STRING_EQUAL(g->reg[g->dep[c->dep_index].reg_index].name, "Auvergne-Rhône-Alpes");
	for (int y = 0; y < GEO_NCOG; y++)
		CU_ASSERT_EQUAL(c->pop[y], pop[y]);
	CU_ASSERT_EQUAL(c->first_cog, 2021);
	CU_ASSERT_EQUAL(c->last_cog, 2026);
}

static void test_geo_codes_stay_text(void)
{
	CU_ASSERT_STRING_EQUAL(commune("01001")->name, "L'Abergement-Clémenciat");
	CU_ASSERT_STRING_EQUAL(commune("2A004")->name, "Ajaccio");
	CU_ASSERT_STRING_EQUAL(commune("2A004")->dep, "2A");
	CU_ASSERT_STRING_EQUAL(commune("2B033")->dep, "2B");
	CU_ASSERT_STRING_EQUAL(commune("97411")->dep, "974");
}

/* Béon 01039 is in the anciensCodes of Culoz-Béon 01138 and listed as a
 * commune actuelle in the 2021 and 2022 packages only. */
static void test_geo_former_commune(void)
{
	const struct geo *g = &test_bundle()->geo;
	const struct geo_commune *c = commune("01039");
	CU_ASSERT_EQUAL(c->kind, GEO_FORMER);
	CU_ASSERT_STRING_EQUAL(c->name, "Béon");
	CU_ASSERT_EQUAL(c->last_cog, 2022);
	CU_ASSERT_EQUAL(c->delegated, 'd');
	CU_ASSERT_STRING_EQUAL(g->com[c->successor].code, "01138");
	CU_ASSERT_STRING_EQUAL(g->com[c->successor].name, "Culoz-Béon");
	bool merged;
	CU_ASSERT_EQUAL(geo_convert(g, "01039", &merged), c->successor);
	CU_ASSERT_TRUE(merged);
	CU_ASSERT_EQUAL(geo_convert(g, "38185", &merged), geo_commune_find(g, "38185"));
	CU_ASSERT_FALSE(merged);
	CU_ASSERT_EQUAL(geo_convert(g, "99999", &merged), GEO_NONE);
	/* a code merged before 2021 has no package population but a successor */
	const struct geo_commune *old = commune("85030"); /* Les Essarts */
	CU_ASSERT_EQUAL(old->kind, GEO_FORMER);
	CU_ASSERT_EQUAL(old->last_cog, 0);
	CU_ASSERT_STRING_EQUAL(g->com[old->successor].code, "85084");
}

/* Creations: 85165 L'Oie reappears in COG 2024 with no predecessor (a split
 * of Essarts-en-Bocage the files do not name); 27676 Les Trois Lacs takes
 * over 27058 in COG 2023 (a new code, not a split); 60054 keeps its code but
 * was named Les Hauts-Talican until COG 2023. */
static void test_geo_creations_and_renames(void)
{
	const struct geo *g = &test_bundle()->geo;
	CU_ASSERT_TRUE(geo_commune_split_created(g, geo_commune_find(g, "85165")));
	CU_ASSERT_TRUE(geo_commune_split_created(g, geo_commune_find(g, "15031")));
	CU_ASSERT_FALSE(geo_commune_split_created(g, geo_commune_find(g, "27676")));
	CU_ASSERT_FALSE(geo_commune_split_created(g, geo_commune_find(g, "12218")));
	CU_ASSERT_FALSE(geo_commune_split_created(g, geo_commune_find(g, "38185")));
	CU_ASSERT_EQUAL(commune("85165")->first_cog, 2024);
	CU_ASSERT_EQUAL(commune("85165")->pop[0], -1);
	CU_ASSERT_STRING_EQUAL(commune("60054")->former_names, "2021-2023 Les Hauts-Talican");
	/* anciensCodes and the déléguée's chef-lieu disagree for 60455: the
	 * commune it is a déléguée of today wins */
	CU_ASSERT_STRING_EQUAL(g->com[commune("60455")->successor].code, "60694");
}

static void test_geo_former_names(void)
{
	const char *name;
	size_t len;
	CU_ASSERT_TRUE(geo_former_names_valid(""));
	CU_ASSERT_TRUE(geo_former_names_valid("2021-2023 Les Hauts-Talican"));
	CU_ASSERT_TRUE(geo_former_names_valid("2021 A|2023-2024 B-C"));
	CU_ASSERT_FALSE(geo_former_names_valid("2020 A"));	  /* out of range */
	CU_ASSERT_FALSE(geo_former_names_valid("2023-2021 A"));	  /* decreasing */
	CU_ASSERT_FALSE(geo_former_names_valid("2023 A|2022 B")); /* not in order */
	CU_ASSERT_FALSE(geo_former_names_valid("2021 "));	  /* no name */
	CU_ASSERT_FALSE(geo_former_names_valid("2021 A|"));
	CU_ASSERT_FALSE(geo_former_names_valid("A 2021"));
	CU_ASSERT_FALSE(geo_former_names_valid("99999999999999999999 A"));
	CU_ASSERT_TRUE(geo_former_name("2021 A|2023-2024 B-C", 2024, &name, &len));
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT_EQUAL(strncmp(name, "B-C", 3), 0);
	CU_ASSERT_TRUE(geo_former_name("2021 A|2023-2024 B-C", 2021, &name, &len));
	CU_ASSERT_EQUAL(len, 1);
	CU_ASSERT_FALSE(geo_former_name("2021 A|2023-2024 B-C", 2022, &name, &len));
	CU_ASSERT_FALSE(geo_former_name("", 2022, &name, &len));
}

static void test_geo_members(void)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t;
	struct error err;
	size_t *m, n;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "epci:200040715", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL(n, 49); /* epci_members_2026.csv: 49 rows for 200040715 */
	free(m);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "dep:38", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL(n, 512);
	free(m);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "reg:84", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL(n, 4025);
	free(m);
	/* France: every commune but the 94 of the collectivités d'outre-mer */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "fr", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL(n, 34969 - 94);
	free(m);
	/* Paris: its 20 arrondissements, never added to the city */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "75056", NULL, 0, &t, &err), TERRAIN_OK);
	n = territory_members(g, &t, &m);
	CU_ASSERT_EQUAL_FATAL(n, 20);
	CU_ASSERT_STRING_EQUAL(g->com[m[0]].code, "75101");
	free(m);
	n = territory_units(g, &t, &m);
	CU_ASSERT_EQUAL(n, 1);
	free(m);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "38185", NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(territory_members(g, &t, &m), 0);
	free(m);
}

/* La Poste's postcodes of communes.csv.  Checked against the shared file:
 *   grep '"59100"' ../shared/data/cog/2026/communes.json
 * gives two lines, Bousignies ("code":"59100", codesPostaux ["59178"]) and
 * Roubaix ("code":"59512", codesPostaux ["59100"]); and
 *   grep -o '"codesPostaux":\[[^]]*\]' ../shared/data/cog/2026/communes.json |
 *     grep -o '"[0-9]\{5\}"' | wc -l
 * counts 35 539 (commune, postcode) pairs, sort -u 6 310 postcodes. */
static void test_geo_postcodes(void)
{
	const struct geo *g = &test_bundle()->geo;
	const struct geo_postcode *pc;
	CU_ASSERT_EQUAL(g->npostcode, 35539);
	size_t distinct = 0;
	for (size_t i = 0; i < g->npostcode; i++) {
		distinct += !i || strcmp(g->postcode[i - 1].code, g->postcode[i].code);
		if (i)
			CU_ASSERT_TRUE(strcmp(g->postcode[i - 1].code, g->postcode[i].code) <= 0);
		/* a postcode's communes in the geography's order */
		if (i && !strcmp(g->postcode[i - 1].code, g->postcode[i].code))
			CU_ASSERT_TRUE(g->postcode[i - 1].com <= g->postcode[i].com);
	}
	CU_ASSERT_EQUAL(distinct, 6310);
	/* postcode 59100 is Roubaix (INSEE 59512); INSEE code 59100 is Bousignies */
	CU_ASSERT_EQUAL_FATAL(territory_postcode(g, "59100", &pc), 1);
	CU_ASSERT_STRING_EQUAL(g->com[pc[0].com].code, "59512");
	CU_ASSERT_STRING_EQUAL(g->com[pc[0].com].name, "Roubaix");
	size_t i = geo_commune_find(g, "59100");
	CU_ASSERT_FATAL(i != GEO_NONE);
	CU_ASSERT_STRING_EQUAL(g->com[i].name, "Bousignies");
	/* grep -c 'codesPostaux":\[[^]]*"59178"' ../shared/data/cog/2026/communes.json:
	 * 4 communes (Bousignies, Brillon, Hasnon, Millonfosse); 59178 is Douai's
	 * INSEE code */
	CU_ASSERT_EQUAL_FATAL(territory_postcode(g, "59178", &pc), 4);
	CU_ASSERT_EQUAL(pc[0].com, i);
	CU_ASSERT_STRING_EQUAL(g->com[pc[3].com].name, "Millonfosse");
	CU_ASSERT_STRING_EQUAL(g->com[geo_commune_find(g, "59178")].name, "Douai");
	/* Saint-Denis (La Réunion) has three postcodes; 75001 serves Paris and its 1st */
	CU_ASSERT_EQUAL_FATAL(territory_postcode(g, "97417", &pc), 1);
	CU_ASSERT_STRING_EQUAL(g->com[pc[0].com].code, "97411");
	CU_ASSERT_EQUAL_FATAL(territory_postcode(g, "75001", &pc), 2);
	CU_ASSERT_STRING_EQUAL(g->com[pc[0].com].code, "75056");
	CU_ASSERT_STRING_EQUAL(g->com[pc[1].com].code, "75101");
	CU_ASSERT_EQUAL(territory_postcode(g, "38185", &pc), 0);
	CU_ASSERT_EQUAL(territory_postcode(g, "99999", &pc), 0);
}

/* ---- loader errors, on small invented files --------------------------------- */

#define COMMUNES_HEADER                                                            \
	"code;kind;name;dep;reg;epci;city;successor;delegated;first_cog;last_cog;" \
	"pop_cog2021;pop_cog2022;pop_cog2023;pop_cog2024;pop_cog2025;pop_cog2026;" \
	"former_names\n"

/* An INVENTED geography, not real data: one région, one département, one
 * EPCI, two communes, and a former code 99002 that vanished with no
 * successor.  communes is the body of communes.csv (after its header). */
static const char *invented(const char *communes)
{
	const char *dir = test_tmpdir();
	struct strbuf p = STRBUF_INIT;
	struct error err;
	strbuf_addf(&p, "%s/geo", dir);
	CU_ASSERT_FATAL(fileio_mkdirs(p.buf, &err) == TERRAIN_OK);
	strbuf_addstr(&p, "/regions.csv");
	test_write_file(p.buf, "code;name;chef_lieu;zone\n91;Région inventée;99001;metro\n");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/geo/departements.csv", dir);
	test_write_file(p.buf,
			"code;name;reg;chef_lieu;zone\n99;Département inventé;91;99001;metro\n");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/geo/epci.csv", dir);
	test_write_file(p.buf, "code;name;type;financing\n999999999;CC inventée;CC;FPU\n");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/geo/communes.csv", dir);
	struct strbuf body = STRBUF_INIT;
	strbuf_addf(&body, "%s%s", COMMUNES_HEADER, communes);
	test_write_file(p.buf, body.buf);
	strbuf_release(&body);
	strbuf_release(&p);
	return dir;
}

static const char good_communes[] =
    "99001;com;Ville A;99;91;999999999;;;;2021;2026;100;100;100;100;100;100;\n"
    "99002;former;Ville disparue;99;91;;;;;2021;2022;10;10;;;;;\n"
    "99003;com;Ville C;99;91;999999999;;;;2021;2026;50;50;50;50;50;50;\n";

static void test_geo_vanished_code_is_not_guessed(void)
{
	struct geo g;
	struct territory t;
	struct error err;
	geo_init(&g);
	CU_ASSERT_EQUAL_FATAL(geodata_load(&g, invented(good_communes), &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(g.ncom, 3);
	CU_ASSERT_EQUAL(geo_convert(&g, "99002", NULL), GEO_NONE);
	CU_ASSERT_EQUAL(territory_lookup(&g, "99002", NULL, 0, &t, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "commune code \"99002\" (Ville disparue) no longer exists "
					"and has no successor in the files (last listed in COG "
					"2022); terrain does not guess one");
	geo_release(&g);
}

static void check_load_error(const char *communes, const char *want)
{
	struct geo g;
	struct error err;
	geo_init(&g);
	const char *dir = invented(communes);
	CU_ASSERT_EQUAL(geodata_load(&g, dir, &err), TERRAIN_EDATA);
	/* the message starts with the file's path, then the location */
	const char *rest = strstr(err.msg, "/geo/communes.csv");
	CU_ASSERT_PTR_NOT_NULL(rest);
	if (rest)
		CU_ASSERT_STRING_EQUAL(rest + strlen("/geo/communes.csv"), want);
	if (!rest || strcmp(rest + strlen("/geo/communes.csv"), want))
		fprintf(stderr, "\ngot: %s\nwant: ...%s\n", err.msg, want);
	CU_ASSERT_EQUAL(g.ncom, 0); /* released on error */
}

static void test_geo_loader_errors(void)
{
	check_load_error(
	    "99001;com;Ville A;99;91;999999999;;;;2021;2026;1O0;100;100;100;100;100;\n",
	    ":2:12: \"1O0\" is not a population (expected a whole number or empty) "
	    "(column \"pop_cog2021\")");
	check_load_error("99001;village;Ville A;99;91;;;;;2021;2026;;;;;;;\n",
			 ":2:2: \"village\" is not a kind (expected com, arm or former) (column "
			 "\"kind\")");
	check_load_error("99001;com;Ville A;99;91;123456789;;;;2021;2026;;;;;;;\n",
			 ":2:6: unknown EPCI \"123456789\" (not in epci.csv) (column \"epci\")");
	check_load_error(
	    "99001;com;Ville A;99;91;;;;;2020;2026;;;;;;;\n",
	    ":2:10: \"2020\" is not a COG year (expected 2021 to 2026 or empty) (column "
	    "\"first_cog\")");
	check_load_error("99001;com;Ville A;99;91;;;;;2021;2026;;;;;;\n",
			 ":2: expected 18 fields as in the header, found 17");
	check_load_error("99002;former;Ville disparue;99;91;;;;;2021;2022;;;;;;;\n"
			 "99004;arm;Arrondissement;99;91;;99002;;;2021;2026;;;;;;;\n",
			 ":3:7: \"99002\" is not a current commune (expected the city of 99004)");
	check_load_error("99001;com;Ville A;99;91;;;;;2021;2026;;;;;;;2022 B|2021 C\n",
			 ":2:18: \"2022 B|2021 C\" is not a list of former names (expected "
			 "\"YEAR[-YEAR] NAME\" runs joined by '|') (column \"former_names\")");
	check_load_error("9901;com;Ville A;99;91;;;;;2021;2026;;;;;;;\n",
			 ":2:1: \"9901\" is not a code of 5 to 5 characters (column \"code\")");
}

/* The optional postcodes column, on an INVENTED file. */
static void test_geo_loader_postcodes(void)
{
	struct geo g;
	struct error err;
	struct strbuf p = STRBUF_INIT;
	const char *dir = invented("");
	strbuf_addf(&p, "%s/geo/communes.csv", dir);
	test_write_file(p.buf, "code;kind;name;dep;reg;epci;city;successor;delegated;first_cog;"
			       "last_cog;pop_cog2021;pop_cog2022;pop_cog2023;pop_cog2024;"
			       "pop_cog2025;pop_cog2026;former_names;postcodes\n"
			       "99001;com;A;99;91;;;;;2021;2026;;;;;;;;99100|99003\n"
			       "99003;com;C;99;91;;;;;2021;2026;;;;;;;;99100\n");
	geo_init(&g);
	CU_ASSERT_EQUAL_FATAL(geodata_load(&g, dir, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(g.npostcode, 3);
	CU_ASSERT_STRING_EQUAL(g.postcode[0].code, "99003");
	CU_ASSERT_STRING_EQUAL(g.postcode[1].code, "99100");
	CU_ASSERT_EQUAL(g.postcode[1].com, 0);
	CU_ASSERT_EQUAL(g.postcode[2].com, 1);
	geo_release(&g);
	const char *const bad[] = {"9910", "99100|", "99100;99003", "99100|991OO"};
	for (size_t i = 0; i < 4; i++) {
		struct strbuf body = STRBUF_INIT, want = STRBUF_INIT;
		strbuf_addf(&body,
			    "code;kind;name;dep;reg;epci;city;successor;delegated;first_cog;"
			    "last_cog;pop_cog2021;pop_cog2022;pop_cog2023;pop_cog2024;"
			    "pop_cog2025;pop_cog2026;former_names;postcodes\n"
			    "99001;com;A;99;91;;;;;2021;2026;;;;;;;;\"%s\"\n",
			    bad[i]);
		test_write_file(p.buf, body.buf);
		strbuf_addf(&want,
			    ":2:19: \"%s\" is not a list of postcodes (expected 5 digits each, "
			    "joined by '|') (column \"postcodes\")",
			    bad[i]);
		geo_init(&g);
		CU_ASSERT_EQUAL(geodata_load(&g, dir, &err), TERRAIN_EDATA);
		const char *rest = strstr(err.msg, "/geo/communes.csv");
		CU_ASSERT_STRING_EQUAL(rest ? rest + strlen("/geo/communes.csv") : err.msg,
				       want.buf);
		CU_ASSERT_EQUAL(g.npostcode, 0);
		strbuf_release(&body);
		strbuf_release(&want);
	}
	strbuf_release(&p);
}

static void test_geo_loader_unsorted(void)
{
	check_load_error("99003;com;C;99;91;;;;;2021;2026;;;;;;;\n"
			 "99001;com;A;99;91;;;;;2021;2026;;;;;;;\n",
			 ":3:1: code \"99001\" is out of order after \"99003\" (expected codes "
			 "sorted and unique) (column \"code\")");
	check_load_error("99001;com;A;99;91;;;;;2021;2026;;;;;;;\n"
			 "99001;com;A;99;91;;;;;2021;2026;;;;;;;\n",
			 ":3:1: code \"99001\" is a duplicate of \"99001\" (expected codes "
			 "sorted and unique) (column \"code\")");
	check_load_error("99001;com;A;98;91;;;;;2021;2026;;;;;;;\n",
			 ":2:4: unknown département \"98\" (not in departements.csv) (column "
			 "\"dep\")");
}

/* ---- zonages (INSEE, table d'appartenance géographique des communes 2024) ---- */

/* The zones of a commune, by code: a row of z, or a failed assertion. */
static const struct geo_zonage_row *zonage_row(const struct geo_zonages *z, const char *code)
{
	size_t i = geo_zonages_find(z, code);
	CU_ASSERT_FATAL(i != GEO_NONE);
	return &z->row[i];
}

static const char *zone_code(const struct geo_zonages *z, const struct geo_zonage_row *r, int l)
{
	return r->zone[l] == GEO_NONE ? "" : z->zone[l][r->zone[l]].code;
}

static const char *zone_name(const struct geo_zonages *z, const struct geo_zonage_row *r, int l)
{
	return r->zone[l] == GEO_NONE ? "" : z->zone[l][r->zone[l]].name;
}

/* Expected values from ../shared/data/zonage/:
 *   grep -E '^COM;(38185|76351|01002|17268|17334);' communes_zonages_2024.csv
 *     | cut -d';' -f2,3,11-14      (CODGEO;LIBGEO;ZE2020;UU2020;AAV2020;BV2022)
 *   grep -E '^(ZE2020;8409|BV2022;38185|UU2020;38701|AAV2020;014|ZE2020;2813);'
 *     zones_supra_communales_2024.csv
 *   cut -d';' -f1 zones_supra_communales_2024.csv | sort | uniq -c
 * Grenoble: ZE 8409 Grenoble (189 communes), BV 38185 Grenoble, UU 38701
 * Grenoble, AAV 014 Grenoble; Le Havre: ZE 2813, BV 76351, UU 76701, AAV 039,
 * all "Le Havre"; L'Abergement-de-Varey 01002: AAV 000 (hors attraction),
 * UU 01000 (hors unité urbaine).  Rives-de-Boutonne 17268 took in 17334 in
 * 2025 (cog/2026 anciensCodes): ZE 7528 and 7520 differ, so none is bundled;
 * BV 17024 and AAV 315 agree. */
static void test_geo_zonages_facts(void)
{
	struct geo_zonages z;
	struct error err;
	geo_zonages_init(&z);
	CU_ASSERT_EQUAL_FATAL(geodata_load_zonages(&z, test_datadir(), &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(z.nzone[GEO_ZE], 306);
	CU_ASSERT_EQUAL(z.nzone[GEO_BV], 1707);
	CU_ASSERT_EQUAL(z.nzone[GEO_UU], 2567);
	CU_ASSERT_EQUAL(z.nzone[GEO_AAV], 700);
	const struct geo_zonage_row *r = zonage_row(&z, "38185");
	static const char *const grenoble[] = {"8409", "38185", "38701", "014"};
	for (int l = 0; l < GEO_NZONAGE; l++) {
		CU_ASSERT_STRING_EQUAL(zone_code(&z, r, l), grenoble[l]);
		CU_ASSERT_STRING_EQUAL(zone_name(&z, r, l), "Grenoble");
	}
	CU_ASSERT_EQUAL(z.zone[GEO_ZE][r->zone[GEO_ZE]].communes, 189);
	/* the table has no CATEAAV2020: Grenoble's category is not bundled */
	CU_ASSERT_EQUAL(r->category, GEO_AAV_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(r->cog2024, "");

	r = zonage_row(&z, "76351");
	static const char *const havre[] = {"2813", "76351", "76701", "039"};
	for (int l = 0; l < GEO_NZONAGE; l++) {
		CU_ASSERT_STRING_EQUAL(zone_code(&z, r, l), havre[l]);
		CU_ASSERT_STRING_EQUAL(zone_name(&z, r, l), "Le Havre");
	}
	/* the names' article: Le Havre's TNCC 2 (cog_tncc/communes_tncc_2026.csv) */
	struct geo_zonage_of of;
	geo_zonage_of(&z, &test_bundle()->geo, geo_zonages_find(&z, "76351"), &of);
	CU_ASSERT_EQUAL(of.tncc[GEO_AAV], 2);
	CU_ASSERT_STRING_EQUAL(of.name[GEO_ZE], "Le Havre");
	/* every zone's name read through the index of commune names as by a
	 * scan of the communes: the first current commune of that name */
	const struct geo *g = &test_bundle()->geo;
	size_t named = 0, differ = 0;
	for (int l = 0; l < GEO_NZONAGE; l++)
		for (size_t i = 0; i < z.nzone[l]; i++) {
			const char *name = z.zone[l][i].name;
			size_t c = 0;
			while (c < g->ncom && (g->com[c].kind == GEO_FORMER || g->com[c].tncc < 0 ||
					       strcmp(g->com[c].name, name)))
				c++;
			if (c == g->ncom)
				continue;
			named++;
			differ += geo_zone_name_tncc(g, name) != g->com[c].tncc;
		}
	CU_ASSERT(named > 4000);
	CU_ASSERT_EQUAL(differ, 0);

	r = zonage_row(&z, "01002");
	CU_ASSERT_STRING_EQUAL(zone_code(&z, r, GEO_AAV), "000");
	CU_ASSERT_STRING_EQUAL(zone_name(&z, r, GEO_AAV), "Commune hors attraction des villes");
	CU_ASSERT_EQUAL(r->category, GEO_AAV_OUTSIDE);
	CU_ASSERT_STRING_EQUAL(geo_aav_category_label(r->category),
			       "Commune hors attraction des villes");
	CU_ASSERT_TRUE(geo_zone_outside(GEO_UU, zone_code(&z, r, GEO_UU)));
	CU_ASSERT_FALSE(geo_zone_outside(GEO_UU, "38701"));
	CU_ASSERT_STRING_EQUAL(zone_name(&z, r, GEO_BV), "Ambérieu-en-Bugey");

	r = zonage_row(&z, "17268");
	CU_ASSERT_EQUAL(r->zone[GEO_ZE], GEO_NONE);
	CU_ASSERT_STRING_EQUAL(zone_code(&z, r, GEO_BV), "17024");
	CU_ASSERT_STRING_EQUAL(zone_code(&z, r, GEO_AAV), "315");
	CU_ASSERT_STRING_EQUAL(r->cog2024, "17268|17334");
	/* recreated in 2025 from 15141 (cog/2026): not in the 2024 table */
	CU_ASSERT_EQUAL(geo_zonages_find(&z, "15031"), GEO_NONE);
	/* the arrondissements have their own rows */
	CU_ASSERT_STRING_EQUAL(zone_code(&z, zonage_row(&z, "75101"), GEO_ZE), "1109");
	geo_zonages_release(&z);
}

/* One commune read alone gives the full table's row. */
static void test_geo_zonages_one_commune(void)
{
	struct geo_zonages all, one;
	struct error err;
	geo_zonages_init(&all);
	geo_zonages_init(&one);
	CU_ASSERT_EQUAL_FATAL(geodata_load_zonages(&all, test_datadir(), &err), TERRAIN_OK);
	static const char *const codes[] = {"38185", "76351", "01002", "17268", "2A004", "97411"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(geodata_load_zonages_of(&one, test_datadir(), codes[i], &err),
				      TERRAIN_OK);
		CU_ASSERT_EQUAL_FATAL(one.nrow, 1);
		const struct geo_zonage_row *a = zonage_row(&all, codes[i]), *o = &one.row[0];
		CU_ASSERT_STRING_EQUAL(o->code, codes[i]);
		for (int l = 0; l < GEO_NZONAGE; l++) {
			CU_ASSERT_STRING_EQUAL(zone_code(&one, o, l), zone_code(&all, a, l));
			CU_ASSERT_STRING_EQUAL(zone_name(&one, o, l), zone_name(&all, a, l));
		}
		CU_ASSERT_EQUAL(o->category, a->category);
		CU_ASSERT_STRING_EQUAL(o->cog2024, a->cog2024);
		geo_zonages_release(&one);
	}
	/* a collectivité d'outre-mer is no error: no row */
	CU_ASSERT_EQUAL(geodata_load_zonages_of(&one, test_datadir(), "98714", &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(one.nrow, 0);
	geo_zonages_release(&one);
	geo_zonages_release(&all);
}

/* One zone read alone gives the full table's rows of that zone, in order,
 * with their zones at every level; an unknown zone no row; a zone asked
 * through the geography (geo_zonages_get) the same rows. */
static void test_geo_zonages_one_zone(void)
{
	struct geo_zonages all, one;
	struct error err;
	geo_zonages_init(&all);
	geo_zonages_init(&one);
	CU_ASSERT_EQUAL_FATAL(geodata_load_zonages(&all, test_datadir(), &err), TERRAIN_OK);
	static const struct {
		enum geo_zonage level;
		const char *code;
	} zones[] = {{GEO_ZE, "8409"}, {GEO_ZE, "7528"}, {GEO_BV, "49069"}, {GEO_UU, "38000"},
		     {GEO_AAV, "GEN"}, {GEO_AAV, "014"}, {GEO_ZE, "9999"}};
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		enum geo_zonage l = zones[i].level;
		CU_ASSERT_EQUAL_FATAL(
		    geodata_load_zonages_zone(&one, test_datadir(), l, zones[i].code, &err),
		    TERRAIN_OK);
		size_t k = 0, za = geo_zone_find(&all, l, zones[i].code);
		for (size_t r = 0; r < all.nrow; r++) {
			const struct geo_zonage_row *a = &all.row[r];
			if (za == GEO_NONE || a->zone[l] != za)
				continue;
			CU_ASSERT_FATAL(k < one.nrow);
			const struct geo_zonage_row *o = &one.row[k++];
			CU_ASSERT_STRING_EQUAL(o->code, a->code);
			for (int m = 0; m < GEO_NZONAGE; m++)
				CU_ASSERT_STRING_EQUAL(zone_code(&one, o, m),
						       zone_code(&all, a, m));
			CU_ASSERT_STRING_EQUAL(o->cog2024, a->cog2024);
		}
		CU_ASSERT_EQUAL(k, one.nrow);
		CU_ASSERT_EQUAL(geo_zone_find(&one, l, zones[i].code) != GEO_NONE, za != GEO_NONE);
		geo_zonages_release(&one);
	}
	/* through the bundle's geography: the part that holds the zone */
	const struct geo_zonages *z;
	struct geo_zonages_key key = {NULL, GEO_BV, "49069"};
	CU_ASSERT_EQUAL_FATAL(geo_zonages_get(&test_bundle()->geo, &key, &z, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(zonage_row(z, "49126")); /* Orée d'Anjou, its chef-lieu since 2025 */
	geo_zonages_release(&all);
}

#define ZONES_HEADER   "level;code;name;communes_2024\n"
#define ZONAGES_HEADER "code;ze2020;bv2022;uu2020;aav2020;cateaav2020;cog2024_codes\n"
/* INVENTED zones, for the loader's errors */
static const char invented_zones[] = ZONES_HEADER "ZE2020;9901;Zone A;2\n"
						  "BV2022;99001;Bassin A;2\n"
						  "UU2020;99000;Hors unité urbaine;1\n"
						  "UU2020;99701;Unité A;1\n"
						  "AAV2020;000;Hors attraction;1\n"
						  "AAV2020;991;Aire A;1\n";

/* Write the two INVENTED files and load them, whole (one == NULL) or for
 * one commune; the message after the file's name must be want. */
static void check_zonage_error(const char *zones, const char *rows, const char *one,
			       const char *file, const char *want)
{
	const char *dir = test_tmpdir();
	struct strbuf p = STRBUF_INIT, body = STRBUF_INIT;
	struct error err;
	struct geo_zonages z;
	strbuf_addf(&p, "%s/geo", dir);
	CU_ASSERT_FATAL(fileio_mkdirs(p.buf, &err) == TERRAIN_OK);
	strbuf_addstr(&p, "/zonages_zones.csv");
	test_write_file(p.buf, zones);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/geo/zonages.csv", dir);
	strbuf_addf(&body, "%s%s", ZONAGES_HEADER, rows);
	test_write_file(p.buf, body.buf);
	geo_zonages_init(&z);
	enum status st =
	    one ? geodata_load_zonages_of(&z, dir, one, &err) : geodata_load_zonages(&z, dir, &err);
	CU_ASSERT_EQUAL(st, TERRAIN_EDATA);
	const char *rest = strstr(err.msg, file);
	CU_ASSERT_PTR_NOT_NULL(rest);
	if (rest)
		CU_ASSERT_STRING_EQUAL(rest + strlen(file), want);
	if (!rest || strcmp(rest + strlen(file), want))
		fprintf(stderr, "\ngot: %s\nwant: ...%s%s\n", err.msg, file, want);
	CU_ASSERT_EQUAL(z.nrow, 0); /* released on error */
	strbuf_release(&p);
	strbuf_release(&body);
}

static void test_geo_zonages_loader_errors(void)
{
	const char *rows = "/geo/zonages.csv", *zones = "/geo/zonages_zones.csv";
	check_zonage_error(invented_zones, "99001;9901;99001;99701;992;;\n", NULL, rows,
			   ":2:5: unknown aire d'attraction des villes 2020 \"992\" (not in "
			   "zonages_zones.csv) (column \"aav2020\")");
	check_zonage_error(
	    invented_zones, "99001;9901;99001;99701;991;21;\n", NULL, rows,
	    ":2:6: \"21\" is not a category of INSEE's CATEAAV2020 (expected 11, 12, "
	    "13, 20, 30 or empty) (column \"cateaav2020\")");
	check_zonage_error(invented_zones, "99001;9901;99001;99701;991;30;\n", NULL, rows,
			   ":2:6: category 30 contradicts aire d'attraction \"991\" (30 goes with "
			   "\"000\" and only with it) (column \"cateaav2020\")");
	check_zonage_error(invented_zones, "99001;9901;99001;99000;000;20;\n", NULL, rows,
			   ":2:6: category 20 contradicts aire d'attraction \"000\" (30 goes with "
			   "\"000\" and only with it) (column \"cateaav2020\")");
	check_zonage_error(invented_zones,
			   "99002;9901;99001;99701;991;;\n99001;9901;99001;99701;991;;\n", NULL,
			   rows,
			   ":3:1: code \"99001\" is out of order after \"99002\" (expected codes "
			   "sorted and unique) (column \"code\")");
	check_zonage_error(ZONES_HEADER "ZE2021;9901;Zone A;2\n", "", NULL, zones,
			   ":2:1: \"ZE2021\" is not a level (expected ZE2020, BV2022, UU2020 or "
			   "AAV2020) (column \"level\")");
	check_zonage_error(ZONES_HEADER "ZE2020;9901;Zone A;deux\n", "", NULL, zones,
			   ":2:4: \"deux\" is not a number of communes (expected a whole number "
			   "from 1) (column \"communes_2024\")");
	/* read for one commune: the true line of the row and of its zone */
	check_zonage_error(invented_zones,
			   "99001;9901;99001;99701;991;;\n99002;9901;99001;99701;991;;\n"
			   "99003;9901;99001;99701;992;;\n",
			   "99003", rows,
			   ":4:5: unknown aire d'attraction des villes 2020 \"992\" (not in "
			   "zonages_zones.csv) (column \"aav2020\")");
	check_zonage_error(ZONES_HEADER "ZE2020;9901;Zone A;2\nBV2022;99001;Bassin A;0\n",
			   "99001;9901;99001;;;;\n", "99001", zones,
			   ":3:4: \"0\" is not a number of communes (expected a whole number from "
			   "1) (column \"communes_2024\")");
}

void suite_geo(void)
{
	CU_pSuite s = CU_add_suite("geo", NULL, NULL);
	ADD_TEST(s, test_geo_counts);
	ADD_TEST(s, test_geo_grenoble_facts);
	ADD_TEST(s, test_geo_codes_stay_text);
	ADD_TEST(s, test_geo_former_commune);
	ADD_TEST(s, test_geo_creations_and_renames);
	ADD_TEST(s, test_geo_former_names);
	ADD_TEST(s, test_geo_members);
	ADD_TEST(s, test_geo_vanished_code_is_not_guessed);
	ADD_TEST(s, test_geo_loader_errors);
	ADD_TEST(s, test_geo_loader_unsorted);
	ADD_TEST(s, test_geo_postcodes);
	ADD_TEST(s, test_geo_loader_postcodes);
	ADD_TEST(s, test_geo_zonages_facts);
	ADD_TEST(s, test_geo_zonages_one_commune);
	ADD_TEST(s, test_geo_zonages_one_zone);
	ADD_TEST(s, test_geo_zonages_loader_errors);
}
