/* Commune tables, on a tiny INVENTED geography (not real data): a city
 * "99001" with two arrondissements "99101", "99102", and a commune "99002". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/comtable.h"
#include "../core/xalloc.h"
#include "helpers.h"

static void invented_geo(struct geo *g)
{
	static const struct {
		const char *code;
		enum geo_kind kind;
		size_t city;
	} rows[] = {
	    {"99001", GEO_COM, GEO_NONE},
	    {"99002", GEO_COM, GEO_NONE},
	    {"99101", GEO_ARM, 0},
	    {"99102", GEO_ARM, 0},
	};
	geo_init(g);
	g->ncom = g->alloc_com = 4;
	g->com = xcalloc(4, sizeof(*g->com));
	for (size_t i = 0; i < 4; i++) {
		struct geo_commune *c = &g->com[i];
		strcpy(c->code, rows[i].code);
		c->kind = rows[i].kind;
		c->city = rows[i].city;
		c->epci = c->successor = c->dep_index = GEO_NONE;
		c->name = xstrdup(rows[i].code);
		c->former_names = xstrdup("");
	}
}

static void test_comtable_missing_is_not_zero(void)
{
	struct geo g;
	struct comtable t;
	const char *vars[] = {"pop", "households"};
	invented_geo(&g);
	comtable_init(&t, &g, vars, 2);
	CU_ASSERT_EQUAL(t.nrow, 4);
	CU_ASSERT_EQUAL(comtable_var(&t, "households"), 1);
	CU_ASSERT_EQUAL(comtable_var(&t, "nope"), (size_t)-1);
	CU_ASSERT_TRUE(isnan(comtable_get(&t, 1, 0)));
	comtable_add(&t, 1, 0, 10);
	comtable_add(&t, 1, 0, 5); /* a merged commune's row added to its successor's */
	CU_ASSERT_DOUBLE_EQUAL(comtable_get(&t, 1, 0), 15, 0);
	CU_ASSERT_TRUE(isnan(comtable_get(&t, 1, 1)));
	comtable_add(&t, 1, 1, 0); /* a real zero */
	CU_ASSERT_DOUBLE_EQUAL(comtable_get(&t, 1, 1), 0, 0);
	comtable_release(&t);
	geo_release(&g);
}

static void test_comtable_rollup_arrondissements(void)
{
	struct geo g;
	struct comtable t;
	const char *vars[] = {"a", "b", "c"};
	invented_geo(&g);
	comtable_init(&t, &g, vars, 3);
	/* a: only the arrondissements: the city gets their sum */
	comtable_add(&t, 2, 0, 100);
	comtable_add(&t, 3, 0, 23);
	/* b: the city has its own value: kept */
	comtable_add(&t, 0, 1, 7);
	comtable_add(&t, 2, 1, 1);
	comtable_add(&t, 3, 1, 1);
	/* c: one arrondissement missing: the city stays missing */
	comtable_add(&t, 2, 2, 5);
	comtable_rollup_arm(&t, &g);
	CU_ASSERT_DOUBLE_EQUAL(comtable_get(&t, 0, 0), 123, 0);
	CU_ASSERT_DOUBLE_EQUAL(comtable_get(&t, 0, 1), 7, 0);
	CU_ASSERT_TRUE(isnan(comtable_get(&t, 0, 2)));
	CU_ASSERT_TRUE(isnan(comtable_get(&t, 1, 0))); /* no arrondissements */
	comtable_release(&t);
	geo_release(&g);
}

void suite_comtable(void)
{
	CU_pSuite s = CU_add_suite("comtable", NULL, NULL);
	ADD_TEST(s, test_comtable_missing_is_not_zero);
	ADD_TEST(s, test_comtable_rollup_arrondissements);
}
