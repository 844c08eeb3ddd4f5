/* terrain territory find|show */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/portrait.h"
#include "../analysis/search.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../ingest/geodata.h"
#include "../report/territory_report.h"
#include "cli.h"

static enum status parse_types(const char *arg, unsigned *mask, struct error *err)
{
	static const struct {
		const char *name;
		enum territory_type type;
	} names[] = {
	    {"com", TERRITORY_COM}, {"arm", TERRITORY_ARM}, {"epci", TERRITORY_EPCI},
	    {"dep", TERRITORY_DEP}, {"reg", TERRITORY_REG}, {"fr", TERRITORY_FR},
	    {"ze", TERRITORY_ZE},   {"bv", TERRITORY_BV},   {"uu", TERRITORY_UU},
	    {"aav", TERRITORY_AAV},
	};
	*mask = 0;
	const char *s = arg;
	while (*s) {
		size_t n = strcspn(s, ",");
		size_t i;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && !strncmp(s, names[i].name, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return error_set(err, TERRAIN_EUSAGE,
					 "bad value '%s' for --type (expected a list of com, arm, "
					 "epci, dep, reg, fr, ze, bv, uu, aav)",
					 arg);
		*mask |= SEARCH_TYPE(names[i].type);
		s += n;
		if (*s == ',')
			s++;
	}
	if (!*mask)
		return error_set(err, TERRAIN_EUSAGE, "empty --type list");
	return TERRAIN_OK;
}

static enum status territory_find(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"limit", required_argument, NULL, 'n'},
	    {"type", required_argument, NULL, 'T'},
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	long limit = 10;
	unsigned mask = SEARCH_ALL_TYPES;
	enum status st;
	int opt;
	optind = 0;
	while ((opt = cli_getopt(argc, argv, "n:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (opt == '?')
			return TERRAIN_EUSAGE;
		if (opt == 'h') {
			cli_help("territory");
			return TERRAIN_OK;
		}
		if (opt == 'n') {
			if (!text_parse_long(optarg, 0, 1000000, &limit))
				return error_set(err, TERRAIN_EUSAGE,
						 "bad value '%s' for --limit (expected a whole "
						 "number from 0)",
						 optarg);
		} else if (opt == 'T') {
			if ((st = parse_types(optarg, &mask, err)))
				return st;
		} else if (opt == 'F') {
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
		} else {
			cli_common_option(cli, opt, optarg);
		}
	}
	if (optind >= argc)
		return error_set(err, TERRAIN_EUSAGE, "territory find needs a name to search");
	struct strbuf query = STRBUF_INIT;
	for (int i = optind; i < argc; i++)
		strbuf_addf(&query, "%s%s", i > optind ? " " : "", argv[i]);

	struct bundle b = {0}; /* released whatever happens: zeroed is empty */
	struct search_hit *hits = NULL;
	if ((st = cli_load_bundle(cli, &b, err)))
		goto out;
	size_t n = search_territories(&b.geo, query.buf, mask, &hits);
	if (!n) {
		st = error_set(err, TERRAIN_ENOTFOUND, "no territory matches \"%s\"", query.buf);
	} else {
		size_t shown = limit && (size_t)limit < n ? (size_t)limit : n;
		report_find(stdout, cli->format, &b.geo, hits, shown);
		if (shown < n)
			log_note("%zu more matches (use --limit 0 to list them all)", n - shown);
	}
out:
	free(hits);
	bundle_release(&b);
	strbuf_release(&query);
	return st;
}

static enum status territory_show(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"members", no_argument, NULL, 'm'},
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	bool members = false;
	enum status st;
	int opt;
	optind = 0;
	while ((opt = cli_getopt(argc, argv, "m" CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (opt == '?')
			return TERRAIN_EUSAGE;
		if (opt == 'h') {
			cli_help("territory");
			return TERRAIN_OK;
		}
		if (opt == 'm')
			members = true;
		else if (opt == 'F') {
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
		} else {
			cli_common_option(cli, opt, optarg);
		}
	}
	if (optind >= argc)
		return error_set(err, TERRAIN_EUSAGE, "territory show needs a territory code");
	if (optind + 1 < argc)
		return error_set(err, TERRAIN_EUSAGE,
				 "territory show takes one code (found '%s' after '%s')",
				 argv[optind + 1], argv[optind]);
	struct territory_code tc;
	struct strbuf named = STRBUF_INIT;
	struct project proj = {0};
	bool loaded = false;
	struct bundle b = {0}; /* released whatever happens: zeroed is empty */
	struct geo_zonages zonages = {0};
	struct geo_zonage_of zonage;
	size_t *qrows = NULL, nqpv = 0;
	struct territory t, refs[PROJECT_MAX_REFS];
	if ((st = cli_load_project(cli, &proj, &loaded, err)))
		return st;
	if ((st = cli_load_bundle(cli, &b, err)) ||
	    (st = pipeline_territory_arg(&b.geo, "territory show", argv[optind], &named, err)) ||
	    (st = territory_parse(named.buf, &tc, err)))
		goto out;
	if (loaded && (st = project_resolve_customs(&proj, &b.geo, err)))
		goto out;
	if (tc.type == TERRITORY_CUSTOM && !loaded) {
		st = error_set(err, TERRAIN_ENOTFOUND,
			       "unknown custom territory \"%s\" (no project file: define it "
			       "in ./terrain.ini or pass -c FILE)",
			       tc.id);
		goto out;
	}
	if ((st = territory_resolve(&b.geo, &tc, proj.resolved, proj.ncustom, &t, err)))
		goto out;
	if (t.from != GEO_NONE)
		log_note("%s is a former commune code: showing %s %s", named.buf, t.code, t.name);

	/* the zonages only for a commune: read apart from the bundle, so that
	 * other territories do not pay for them */
	bool commune = t.type == TERRITORY_COM || t.type == TERRITORY_ARM;
	if (commune &&
	    (st = geodata_load_zonages_of(&zonages, b.dir, b.geo.com[t.index].code, err)))
		goto out;
	/* t.index is a commune's only for a commune (GEO_NONE for France) */
	size_t zrow = commune ? geo_zonages_find(&zonages, b.geo.com[t.index].code) : GEO_NONE;
	if (zrow != GEO_NONE)
		geo_zonage_of(&zonages, &b.geo, zrow, &zonage);

	const struct qpv_list *qpv;
	if ((st = bundle_qpv(&b, &qpv, err)))
		goto out;
	nqpv = qpv_in_territory(qpv, &b.geo, &t, &qrows);
	struct portrait p;
	portrait_compute(&b.geo, &b.pop_cog, &b.census, &t, &p);
	struct territory_view v = {
	    .geo = &b.geo,
	    .portrait = &p,
	    .refs = refs,
	    .nrefs = territory_references(&b.geo, &t, refs),
	    .pop_prov = b.pop_cog.prov,
	    .census_prov = b.census.prov,
	    .census_cog = b.census.cog,
	    .members = members,
	    .zonage = zrow != GEO_NONE ? &zonage : NULL,
	    .zonage_cog2024 = zrow != GEO_NONE ? zonages.row[zrow].cog2024 : "",
	    .zonage_prov = bundle_provenance(&b, "geo/zonages.csv"),
	    .qpv = qpv,
	    .qpv_rows = qrows,
	    .nqpv = nqpv,
	    .qpv_prov = bundle_provenance(&b, "social/qpv_2024.csv"),
	};
	report_territory(stdout, cli->format, &v);
out:
	free(qrows);
	geo_zonages_release(&zonages);
	bundle_release(&b);
	project_release(&proj);
	strbuf_release(&named);
	return st;
}

enum status cmd_territory(int argc, char **argv, struct cli *cli, struct error *err)
{
	if (argc < 2)
		return error_set(err, TERRAIN_EUSAGE, "territory needs a subcommand: find or show");
	if (!strcmp(argv[1], "find"))
		return territory_find(argc - 1, argv + 1, cli, err);
	if (!strcmp(argv[1], "show"))
		return territory_show(argc - 1, argv + 1, cli, err);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_help("territory");
		return TERRAIN_OK;
	}
	return error_set(err, TERRAIN_EUSAGE,
			 "unknown subcommand 'territory %s' (expected find or show)", argv[1]);
}
