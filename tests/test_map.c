/* The maps (issue 15): the outlines' reader, the units of each kind of
 * map, the class breaks, PROJ's errors and the SVG as libxml2 reads it. */
#include <CUnit/CUnit.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/mapdata.h"
#include "../core/catalogue.h"
#include "../core/fileio.h"
#include "../core/xalloc.h"
#include "../ingest/catalogue.h"
#include "../ingest/contours.h"
#include "../ingest/geodata.h"
#include "../pipeline/bundle.h"
#include "../report/map.h"
#include "../report/maplib.h"
#include "helpers.h"

/* ---- the SVG, read back ---- */

struct svg_count {
	size_t units;	      /* <path class="unit"> with a fill */
	size_t hatched;	      /* of which filled with the hatching */
	size_t qpv, outlined; /* <path class="qpv">, class="outlined" */
	char classes[8][96];  /* the legend's class labels, top to bottom */
	size_t nclass;
	bool secret_row; /* a legend row "secret statistique" / "statistical secrecy" */
};

static bool attr_is(xmlNode *n, const char *name, const char *value)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	bool is = v && !strcmp((const char *)v, value);
	xmlFree(v);
	return is;
}

static void walk(xmlNode *n, struct svg_count *c)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, (const xmlChar *)"path")) {
			xmlChar *fill = xmlGetProp(n, (const xmlChar *)"fill");
			if (attr_is(n, "class", "unit") && fill && strcmp((char *)fill, "none")) {
				c->units++;
				c->hatched += !strcmp((char *)fill, "url(#hatch)");
			}
			c->qpv += attr_is(n, "class", "qpv");
			c->outlined += attr_is(n, "class", "outlined");
			xmlFree(fill);
		}
		if (!xmlStrcmp(n->name, (const xmlChar *)"text")) {
			xmlChar *t = xmlNodeGetContent(n);
			if (attr_is(n, "class", "legend-class") && c->nclass < 8)
				snprintf(c->classes[c->nclass++], sizeof(c->classes[0]), "%s",
					 (char *)t);
			if (attr_is(n, "class", "legend-other") &&
			    (!strcmp((char *)t, "secret statistique") ||
			     !strcmp((char *)t, "statistical secrecy")))
				c->secret_row = true;
			xmlFree(t);
		}
		walk(n->children, c);
	}
}

static bool read_svg(const struct strbuf *svg, struct svg_count *c)
{
	memset(c, 0, sizeof(*c));
	xmlDoc *doc = xmlReadMemory(svg->buf, (int)svg->len, "map.svg", "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return false;
	walk(xmlDocGetRootElement(doc), c);
	xmlFreeDoc(doc);
	return true;
}

/* ---- the outlines' reader ---- */

static void check_parse_error(const char *text, const char *msg)
{
	struct shapes s;
	struct error err = {0};
	shapes_init(&s);
	CU_ASSERT_EQUAL(contours_parse("c.txt", text, strlen(text), &s, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, msg);
	shapes_release(&s);
}

static void test_map_parse(void)
{
	const char *text = "# comment\nc 01138 01039,01138\nr 10 20 5 0 0 5\nr 1 1 1 0 0 1\n"
			   "q QN03806M 38185\nr 0 0 3 0 0 3 -3 0\n";
	struct shapes s;
	struct error err = {0};
	shapes_init(&s);
	CU_ASSERT_EQUAL(contours_parse("c.txt", text, strlen(text), &s, &err), TERRAIN_OK);
	shapes_sort(&s);
	CU_ASSERT_EQUAL(s.n, 2);
	const struct shape *c = shapes_find(&s, "01138");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->parts, "01039,01138");
	CU_ASSERT_EQUAL(c->nring, 2);
	/* the second point of the first ring: 10 + 5, 20 + 0 */
	CU_ASSERT_EQUAL(s.xy[2 * s.ring[c->ring].pt + 2], 15);
	CU_ASSERT_EQUAL(s.xy[2 * s.ring[c->ring].pt + 5], 25);
	const struct shape *q = shapes_find(&s, "QN03806M");
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(s.ring[q->ring].npt, 4);
	CU_ASSERT_PTR_NULL(shapes_find(&s, "38185"));
	shapes_release(&s);
}

/* A damaged file names the byte (from 0) where it stops making sense. */
static void test_map_parse_errors(void)
{
	check_parse_error("c 01001 01001\nr 1 2 3 x 5 6\n", "c.txt: byte 22: expected an integer "
							    "of at most 9 digits");
	check_parse_error("r 1 2 3 4 5 6\n",
			  "c.txt: byte 0: expected a commune or QPV (c or q) before its rings");
	check_parse_error("c 01001 01001\nr 1 2 3 4\n",
			  "c.txt: byte 23: expected a ring of at least 3 points");
	check_parse_error("c 01001 01001\nr 1 2 3\n",
			  "c.txt: byte 21: expected a y coordinate after the x");
	check_parse_error("c 01001\n", "c.txt: byte 7: expected a space and the communes after "
				       "the code");
	check_parse_error("x 1\n", "c.txt: byte 0: expected a line \"c CODE PARTS\", \"q CODE "
				   "COMMUNES\" or \"r X Y ...\"");
	check_parse_error("c 01001 01001\nr 1 2 1800000 0 0 1\n",
			  "c.txt: byte 20: expected a point within -180..180, -90..90 degrees");
}

/* A gzip file that is not one: the file named. */
static void test_map_load_errors(void)
{
	char dir[512], path[600];
	snprintf(dir, sizeof(dir), "%s/mapdata", test_tmpdir());
	snprintf(path, sizeof(path), "%s/contours/communes", dir);
	struct error err = {0};
	CU_ASSERT_EQUAL(fileio_mkdirs(path, &err), TERRAIN_OK);
	snprintf(path, sizeof(path), "%s/contours/communes/01.txt.gz", dir);
	test_write_file(path, "c 01001 01001\nr 1 2 3 4 x\n"); /* zlib reads plain text as is */
	struct shapes s;
	shapes_init(&s);
	const char *deps[] = {"01", "02"}; /* 02: no file, no outline */
	CU_ASSERT_EQUAL(contours_load(dir, "communes", deps, 2, &s, &err), TERRAIN_EDATA);
	char want[700];
	snprintf(want, sizeof(want), "%s: byte 24: expected an integer of at most 9 digits", path);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	shapes_release(&s);
}

/* ---- classes ---- */

/* Expected values: R 4.2.2, quantile(x, seq(0, 1, 0.2)) (type 7):
 * x = c(21.0, 9.5, 13.2, 6.1, 7.7, 30.4, 11.0, 5.2) gives
 * 5.20 6.74 9.14 11.44 17.88 30.40; c(3, 3, 3, 3, 7) gives
 * 3.0 3.0 3.0 3.0 3.8 7.0 (three equal breaks: two classes). */
static void test_map_breaks(void)
{
	double x[] = {21.0, 9.5, NAN, 13.2, 6.1, 7.7, 30.4, 11.0, 5.2};
	double copy[9], b[MAP_CLASSES + 1];
	memcpy(copy, x, sizeof(x));
	CU_ASSERT_EQUAL(map_breaks(x, 9, 5, b), 5);
	const double want[] = {5.20, 6.74, 9.14, 11.44, 17.88, 30.40};
	for (int i = 0; i < 6; i++)
		CU_ASSERT_DOUBLE_EQUAL(b[i], want[i], 1e-9);
	CU_ASSERT_EQUAL(memcmp(copy, x, sizeof(x)), 0); /* not reordered */
	CU_ASSERT_EQUAL(map_class(b, 5, 5.2), 0);
	CU_ASSERT_EQUAL(map_class(b, 5, 6.74), 0);
	CU_ASSERT_EQUAL(map_class(b, 5, 6.75), 1);
	CU_ASSERT_EQUAL(map_class(b, 5, 30.4), 4);
	double y[] = {3, 3, 3, 3, 7};
	CU_ASSERT_EQUAL(map_breaks(y, 5, 5, b), 2);
	CU_ASSERT_DOUBLE_EQUAL(b[0], 3.0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(b[1], 3.8, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(b[2], 7.0, 1e-9);
	double none[] = {NAN};
	CU_ASSERT_EQUAL(map_breaks(none, 1, 5, b), 0);
	double one[] = {4};
	CU_ASSERT_EQUAL(map_breaks(one, 1, 5, b), 1);
}

/* ---- maps of the bundled geography ---- */

static const struct indicator_def *test_def(bool percent)
{
	static char id1[] = "poverty_rate", fr1[] = "Taux de pauvreté", en1[] = "Poverty rate",
		    u1[] = "%", id2[] = "median_living_standard", fr2[] = "Niveau de vie médian",
		    en2[] = "Median standard of living", u2[] = "euros a year",
		    src[] = "Insee, Filosofi 2021";
	static struct indicator_def pct = {.id = id1,
					   .label_fr = fr1,
					   .label_en = en1,
					   .unit = u1,
					   .decimals = 1,
					   .source_fr = src,
					   .source_en = src};
	static struct indicator_def eur = {.id = id2,
					   .label_fr = fr2,
					   .label_en = en2,
					   .unit = u2,
					   .decimals = 0,
					   .source_fr = src,
					   .source_en = src};
	return percent ? &pct : &eur;
}

struct drawn {
	struct mapdata md;
	struct shapes com, qpv;
	struct map map;
	struct strbuf svg, png;
	struct svg_count c;
};

/* The map of code with made-up values (i + 1 for unit i, secret for the
 * units listed in secret) drawn into d. */
static void draw(const char *code, const char *const *secret, size_t nsecret, bool en,
		 struct drawn *d)
{
	const struct bundle *b = test_bundle();
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	struct territory t;
	struct error err = {0};
	struct geo_zonages z = {0};
	memset(d, 0, sizeof(*d));
	strbuf_init(&d->svg);
	strbuf_init(&d->png);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, code, NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(geodata_load_zonages(&z, b->dir, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(mapdata_units(&b->geo, &z, &t, &d->md, &err), TERRAIN_OK);
	geo_zonages_release(&z);
	const char *deps[16];
	for (size_t i = 0; i < d->md.ndep && i < 16; i++)
		deps[i] = d->md.dep[i];
	shapes_init(&d->com);
	shapes_init(&d->qpv);
	CU_ASSERT_EQUAL(contours_load(b->dir, "communes", deps, d->md.ndep, &d->com, &err), 0);
	CU_ASSERT_EQUAL(contours_load(b->dir, "qpv", deps, d->md.ndep, &d->qpv, &err), 0);
	map_build(&d->map, &b->geo, &d->md, &d->com, &d->qpv);
	d->map.frame = xstrdup(t.name);
	CU_ASSERT_EQUAL_FATAL(map_prepare(&d->map, &err), TERRAIN_OK);
	double *v = xcalloc(d->md.n, sizeof(*v));
	enum mapdata_status *st = xcalloc(d->md.n, sizeof(*st));
	for (size_t i = 0; i < d->md.n; i++) {
		const char *c =
		    d->md.deps ? b->geo.dep[d->md.unit[i]].code : b->geo.com[d->md.unit[i]].code;
		v[i] = (double)(i + 1);
		for (size_t k = 0; k < nsecret; k++)
			if (!strcmp(secret[k], c))
				st[i] = MAPDATA_SECRET, v[i] = NAN;
	}
	struct map_layer l = {"map_test", test_def(true), v, st};
	CU_ASSERT_EQUAL(map_render(&d->map, &l, en, &d->svg, &d->png, &err), TERRAIN_OK);
	CU_ASSERT_TRUE(read_svg(&d->svg, &d->c));
	CU_ASSERT_TRUE(d->png.len > 8 && !memcmp(d->png.buf, "\x89PNG", 4));
	free(v);
	free(st);
}

static void drawn_release(struct drawn *d)
{
	map_release(&d->map);
	mapdata_release(&d->md);
	shapes_release(&d->com);
	shapes_release(&d->qpv);
	strbuf_release(&d->svg);
	strbuf_release(&d->png);
}

/* Grenoble: the 49 communes of Grenoble-Alpes-Métropole (49 rows of
 * 200040715 in ../shared/data/cog/epci_members_2026.csv), Grenoble
 * outlined, its QPV drawn; 49 values 1..49 in five classes of quantiles:
 * R's quantile(1:49, seq(0, 1, 0.2)) is 1.0 10.6 20.2 29.8 39.4 49.0. */
static void test_map_commune(void)
{
	struct drawn d;
	draw("38185", NULL, 0, false, &d);
	CU_ASSERT_EQUAL(d.md.frame, MAPDATA_EPCI);
	CU_ASSERT_EQUAL(d.md.n, 49);
	CU_ASSERT_EQUAL(d.c.units, 49);
	CU_ASSERT_EQUAL(d.c.outlined, 1);
	CU_ASSERT_EQUAL(d.c.qpv, 1);
	CU_ASSERT_TRUE(d.map.nq >= 4); /* Grenoble's 4, and its neighbours' */
	CU_ASSERT_EQUAL(d.c.nclass, 5);
	CU_ASSERT_STRING_EQUAL(d.c.classes[0], "39,4 à 49,0\xc2\xa0%");
	CU_ASSERT_STRING_EQUAL(d.c.classes[4], "1,0 à 10,6\xc2\xa0%");
	CU_ASSERT_PTR_NOT_NULL(strstr(d.svg.buf, "<title>Carte : Taux de pauvreté"));
	drawn_release(&d);
}

/* A commune without an EPCI (Île-de-Bréhat, one of the four islands of
 * ../shared/data/PROVENANCE.md): the communes of its zone d'emploi. */
static void test_map_commune_ze(void)
{
	struct drawn d;
	draw("22016", NULL, 0, true, &d);
	CU_ASSERT_EQUAL(d.md.frame, MAPDATA_ZE);
	CU_ASSERT_TRUE(d.md.n >= MAPDATA_MIN_EPCI);
	CU_ASSERT_EQUAL(d.c.units, d.map.nu);
	CU_ASSERT_EQUAL(d.c.outlined, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(d.svg.buf, "<title>Map: Poverty rate"));
	drawn_release(&d);
}

/* A map's title names a zone as INSEE writes it, with the elision of the
 * commune it is named after (Annecy: TNCC 1, "d'Annecy" in the COG), in
 * both languages; an EPCI frame is its name alone. */
static void test_map_title_zone(void)
{
	char frame[] = "Annecy";
	struct map m = {.frame = frame, .frame_zone = GEO_ZE, .frame_tncc = 1};
	struct map_layer l = {"map_test", test_def(true), NULL, NULL};
	struct strbuf sb = STRBUF_INIT;
	map_title(&m, &l, false, &sb);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, " \xe2\x80\x94 zone d'emploi d'Annecy, par commune"));
	strbuf_reset(&sb);
	map_title(&m, &l, true, &sb);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, " \xe2\x80\x94 Annecy employment zone, by commune"));
	strbuf_reset(&sb);
	m.frame_zone = GEO_BV;
	map_title(&m, &l, false, &sb);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, " \xe2\x80\x94 bassin de vie d'Annecy, par commune"));
	strbuf_reset(&sb);
	char epci[] = "CA du Grand Annecy";
	m.frame = epci;
	m.frame_zone = GEO_NZONAGE;
	map_title(&m, &l, false, &sb);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, " \xe2\x80\x94 CA du Grand Annecy, par commune"));
	strbuf_release(&sb);
}

/* An EPCI and its communes: CC de la Dombes 200069193, 36 communes (awk
 * -F';' '$6=="200069193"' datasets/geo/communes.csv), L'Abergement-
 * Clémenciat 01001 secret: hatched, and said so in the legend. */
static void test_map_epci_secret(void)
{
	struct drawn d;
	const char *secret[] = {"01001"};
	draw("epci:200069193", secret, 1, false, &d);
	CU_ASSERT_EQUAL(d.md.n, 36);
	CU_ASSERT_EQUAL(d.c.units, 36);
	CU_ASSERT_EQUAL(d.c.hatched, 1);
	CU_ASSERT_TRUE(d.c.secret_row);
	CU_ASSERT_EQUAL(d.c.outlined, 0);
	drawn_release(&d);
}

/* The Creuse: its 255 communes (awk -F';' '$4=="23" && $2=="com"'
 * datasets/geo/communes.csv), in Lambert-93. */
static void test_map_dep(void)
{
	struct drawn d;
	draw("dep:23", NULL, 0, false, &d);
	CU_ASSERT_EQUAL(d.md.n, 255);
	CU_ASSERT_EQUAL(d.c.units, 255);
	CU_ASSERT_STRING_EQUAL(d.map.crs, "EPSG:2154");
	CU_ASSERT_EQUAL(d.map.nnot_drawn, 0);
	drawn_release(&d);
}

/* A région: its départements, each one filled path (Bretagne 53: 22, 29,
 * 35, 56), each the union of its communes' outlines: one département is a
 * few rings, not hundreds. */
static void test_map_region(void)
{
	struct drawn d;
	draw("reg:53", NULL, 0, false, &d);
	CU_ASSERT_TRUE(d.md.deps);
	CU_ASSERT_EQUAL(d.md.n, 4);
	CU_ASSERT_EQUAL(d.c.units, 4);
	CU_ASSERT_EQUAL(d.c.qpv, 0);
	CU_ASSERT_EQUAL(d.c.nclass, 4); /* no more classes than values */
	for (size_t i = 0; i < d.map.nu; i++) {
		CU_ASSERT_TRUE(d.map.u[i].nshape > 100);
		CU_ASSERT_TRUE(d.map.u[i].nring < d.map.u[i].nshape / 4);
	}
	drawn_release(&d);
}

/* A merged commune: Culoz-Béon 01138, Culoz and Béon of 2018
 * (../shared/data/contours/communes_cog2018_vers_cog2026.csv): one
 * shape of two outlines, drawn as their union (the border between them
 * dropped: fewer rings than the two). */
static void test_map_merged(void)
{
	const struct bundle *b = test_bundle();
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	struct shapes s;
	struct error err = {0};
	shapes_init(&s);
	const char *deps[] = {"01"};
	CU_ASSERT_EQUAL(contours_load(b->dir, "communes", deps, 1, &s, &err), TERRAIN_OK);
	const struct shape *c = shapes_find(&s, "01138");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->parts, "01039,01138");
	CU_ASSERT_PTR_NULL(shapes_find(&s, "01039"));
	struct map m = {0};
	struct map_unit u = {.code = "01138", .name = "Culoz-Béon"};
	u.shape = xmalloc(sizeof(*u.shape));
	u.shape[0] = c;
	u.nshape = 1;
	m.u = &u;
	m.nu = 1;
	m.shapes = &s;
	m.outlined = GEO_NONE;
	strcpy(m.crs, "EPSG:2154");
	CU_ASSERT_EQUAL(map_prepare(&m, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(u.nring, 1);
	CU_ASSERT_TRUE(c->nring >= 2);
	free(u.shape);
	free(u.xy);
	free(u.ring);
	shapes_release(&s);
}

/* A commune created after 2018 (Calvados: 14666, 14 of
 * ../shared/data/contours/checks.txt's 7) has no outline: not drawn,
 * named under the map. */
static void test_map_not_drawn(void)
{
	struct drawn d;
	draw("dep:14", NULL, 0, false, &d);
	CU_ASSERT_EQUAL(d.c.units, d.md.n - 1);
	CU_ASSERT_EQUAL_FATAL(d.map.nnot_drawn, 1);
	const struct bundle *b = test_bundle();
	size_t i = geo_commune_find(&b->geo, "14666");
	CU_ASSERT_FATAL(i != GEO_NONE);
	CU_ASSERT_STRING_EQUAL(d.map.not_drawn[0], b->geo.com[i].name);
	struct strbuf cap = STRBUF_INIT;
	map_caption(&d.map, false, &cap);
	char want[256];
	snprintf(want, sizeof(want),
		 "Non dessinée, faute de contour (commune créée après 2018) : %s.",
		 b->geo.com[i].name);
	CU_ASSERT_STRING_EQUAL(cap.buf, want);
	strbuf_release(&cap);
	drawn_release(&d);
}

/* PROJ failing: the CRS named. */
static void test_map_proj_error(void)
{
	struct map m = {0};
	struct error err = {0};
	strcpy(m.crs, "EPSG:999999");
	m.outlined = GEO_NONE;
	CU_ASSERT_EQUAL(map_prepare(&m, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "PROJ cannot initialise the projection into "
					       "EPSG:999999: "));
	CU_ASSERT_STRING_EQUAL(map_crs("974"), "EPSG:2975");
	CU_ASSERT_STRING_EQUAL(map_crs("971"), "EPSG:5490");
	CU_ASSERT_STRING_EQUAL(map_crs("973"), "EPSG:2972");
	CU_ASSERT_STRING_EQUAL(map_crs("976"), "EPSG:4471");
	CU_ASSERT_STRING_EQUAL(map_crs("2A"), "EPSG:2154");
}

/* The legend of a money indicator in both languages: R's
 * quantile(c(18000, 20000, 22140, 25000, 30000), seq(0, 1, 0.2)) is
 * 18000 19600 21284 23284 26000 30000. */
static void test_map_legend_money(void)
{
	struct map m = {0};
	struct map_unit u[5] = {0};
	double v[5] = {18000, 20000, 22140, 25000, 30000};
	enum mapdata_status st[5] = {0};
	size_t of[5] = {0, 1, 2, 3, 4};
	m.u = u;
	m.nu = 5;
	m.value_of = of;
	m.outlined = GEO_NONE;
	m.height = 100;
	for (int i = 0; i < 5; i++)
		u[i].name = "x";
	struct map_layer l = {"map_test", test_def(false), v, st};
	struct strbuf svg = STRBUF_INIT;
	struct svg_count c;
	struct error err = {0};
	CU_ASSERT_EQUAL(map_render(&m, &l, false, &svg, NULL, &err), TERRAIN_OK);
	CU_ASSERT_TRUE(read_svg(&svg, &c));
	CU_ASSERT_EQUAL(c.nclass, 5);
	CU_ASSERT_STRING_EQUAL(c.classes[0], "26\xe2\x80\xaf"
					     "000 à 30\xe2\x80\xaf"
					     "000\xc2\xa0€\xc2\xa0par an");
	CU_ASSERT_STRING_EQUAL(c.classes[2], "21\xe2\x80\xaf"
					     "284 à 23\xe2\x80\xaf"
					     "284\xc2\xa0€"
					     "\xc2\xa0par an");
	strbuf_reset(&svg);
	CU_ASSERT_EQUAL(map_render(&m, &l, true, &svg, NULL, &err), TERRAIN_OK);
	CU_ASSERT_TRUE(read_svg(&svg, &c));
	CU_ASSERT_STRING_EQUAL(c.classes[4], "18,000 to 19,600 € a year");
	CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "<title>Map: Median standard of living"));
	/* nothing published for any unit (Filosofi on a région's map): the
	 * note leaves the map out; a secret is something */
	CU_ASSERT_FALSE(map_layer_empty(&m, &l));
	for (int i = 0; i < 5; i++)
		st[i] = MAPDATA_MISSING;
	CU_ASSERT_TRUE(map_layer_empty(&m, &l));
	st[3] = MAPDATA_SECRET;
	CU_ASSERT_FALSE(map_layer_empty(&m, &l));
	strbuf_release(&svg);
}

/* terrain run end to end: the note's three maps and the project's own
 * ([note] maps), inline in note.html with their alternative text, PNG in
 * the ODT; an unknown id or one that is not a rate refused with its line. */
static void test_map_run(void)
{
	char dir[512], ini[600], outdir[600], path[700];
	snprintf(dir, sizeof(dir), "%s/maprun", test_tmpdir());
	struct error e = {0};
	CU_ASSERT_EQUAL_FATAL(fileio_mkdirs(dir, &e), TERRAIN_OK);
	snprintf(ini, sizeof(ini), "%s/terrain.ini", dir);
	snprintf(outdir, sizeof(outdir), "%s/out", dir);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	test_write_file(ini, "[project]\nterritory = epci:200040715\n[note]\n"
			     "maps = poverty_rate, living_standard_d1\n");
	CU_ASSERT_EQUAL(test_run((const char *const[]){"run", "-c", ini, "--output", outdir, NULL},
				 NULL, NULL, &out, &err),
			0);
	snprintf(path, sizeof(path), "%s/epci_200040715/note.html", outdir);
	char *html = test_read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	static const char *const names[] = {"map_poverty_rate", "map_median_living_standard",
					    "map_unemployment_rate_census",
					    "map_living_standard_d1"};
	for (int i = 0; i < 4; i++) {
		char id[80];
		snprintf(id, sizeof(id), "id=\"%s-hatch\"", names[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(html, id));
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<figure role=\"img\" aria-label=\"Carte : Taux de "
					    "pauvreté (seuil à 60 %) — Grenoble-Alpes-Métropole, "
					    "par commune\">"));
	free(html);
	snprintf(path, sizeof(path), "%s/epci_200040715/note.odt", outdir);
	size_t len = 0;
	char *png = test_zip_member(path, "Pictures/map_poverty_rate.png", &len);
	CU_ASSERT_TRUE(png && len > 8 && !memcmp(png, "\x89PNG", 4));
	free(png);

	test_write_file(ini, "[project]\nterritory = epci:200040715\n\n[note]\n"
			     "maps = poverty_rate,\n  nonsense\n");
	strbuf_reset(&err);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"run", "-c", ini, "--output", outdir, NULL},
				 NULL, NULL, &out, &err),
			1);
	char want[800];
	snprintf(want, sizeof(want),
		 "%s:6: unknown indicator \"nonsense\" in [note] maps (expected the id of a rate "
		 "or ratio of the catalogue: terrain indicators --list)",
		 ini);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, want));
	test_write_file(ini,
			"[project]\nterritory = epci:200040715\n[note]\nmaps = households_2021\n");
	strbuf_reset(&err);
	CU_ASSERT_EQUAL(test_run((const char *const[]){"run", "-c", ini, "--output", outdir, NULL},
				 NULL, NULL, &out, &err),
			1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, ":4: not a rate or ratio: \"households_2021\""));
	strbuf_release(&out);
	strbuf_release(&err);
}

/* cairo's and fontconfig's caches freed, for the leak checker */
static int map_cleanup(void)
{
	maplib_release();
	return 0;
}

void suite_map(void)
{
	CU_pSuite s = CU_add_suite("map", NULL, map_cleanup);
	ADD_TEST(s, test_map_parse);
	ADD_TEST(s, test_map_parse_errors);
	ADD_TEST(s, test_map_load_errors);
	ADD_TEST(s, test_map_breaks);
	ADD_TEST(s, test_map_commune);
	ADD_TEST(s, test_map_commune_ze);
	ADD_TEST(s, test_map_title_zone);
	ADD_TEST(s, test_map_epci_secret);
	ADD_TEST(s, test_map_dep);
	ADD_TEST(s, test_map_region);
	ADD_TEST(s, test_map_merged);
	ADD_TEST(s, test_map_not_drawn);
	ADD_TEST(s, test_map_proj_error);
	ADD_TEST(s, test_map_legend_money);
	ADD_TEST(s, test_map_run);
}
