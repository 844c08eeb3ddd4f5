/* terrain indicators */
#include <stdlib.h>
#include <string.h>

#include "../analysis/indicators.h"
#include "../core/xalloc.h"
#include "../ingest/catalogue.h"
#include "../report/indicators_report.h"
#include "cli.h"

enum status cmd_indicators(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"territory", required_argument, NULL, 't'},
	    {"refs", required_argument, NULL, 'r'},
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *code = NULL, *refs_arg = NULL;
	enum status st;
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, "t:r:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("indicators");
			return TERRAIN_OK;
		}
		if (o == 't')
			code = optarg;
		else if (o == 'r')
			refs_arg = optarg;
		else if (o == 'F') {
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
		} else {
			cli_common_option(cli, o, optarg);
		}
	}
	if (optind < argc)
		return error_set(err, TERRAIN_EUSAGE,
				 "unexpected argument '%s' (the territory goes with --territory)",
				 argv[optind]);

	struct project p = {0};
	struct bundle b = {0};
	struct catalogue cat = {0};
	struct project_list rl = {0};
	struct territory ts[PROJECT_MAX_REFS + 1];
	struct indicator_value *vals[PROJECT_MAX_REFS + 1] = {0};
	struct gap *gaps = NULL;
	struct territory *peers = NULL;
	struct indicator_rank *ranks = NULL;
	bool *has = NULL, loaded = false;
	struct strbuf path = STRBUF_INIT;
	size_t nt = 0;

	if ((st = cli_load_project(cli, &p, &loaded, err)) || (st = cli_load_bundle(cli, &b, err)))
		goto out;
	if (loaded && (st = project_resolve_customs(&p, &b.geo, err)))
		goto out;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", b.dir);
	if ((st = catalogue_load(path.buf, &cat, err)))
		goto out;
	const struct territory_custom *cust = loaded ? p.resolved : NULL;
	size_t ncust = loaded ? p.ncustom : 0;
	if (code) {
		if ((st = territory_lookup(&b.geo, code, cust, ncust, &ts[0], err)))
			goto out;
		nt = 1;
		if (refs_arg) {
			cli_split_list(refs_arg, &rl);
			if (rl.n > PROJECT_MAX_REFS) {
				st = error_set(err, TERRAIN_EUSAGE, "at most %d references",
					       PROJECT_MAX_REFS);
				goto out;
			}
			for (size_t i = 0; i < rl.n; i++)
				if ((st = territory_lookup(&b.geo, rl.item[i], cust, ncust,
							   &ts[nt++], err)))
					goto out;
		} else {
			nt += territory_references(&b.geo, &ts[0], ts + 1);
		}
	} else if (loaded) {
		size_t nref = 0;
		if ((st = project_resolve(&p, &b.geo, &ts[0], ts + 1, &nref, err)))
			goto out;
		nt = 1 + nref;
	} else {
		st = error_set(err, TERRAIN_EUSAGE,
			       "indicators needs --territory CODE or a project file (./terrain.ini "
			       "or -c FILE)");
		goto out;
	}

	for (size_t k = 0; k < nt; k++) {
		vals[k] = xcalloc(cat.n ? cat.n : 1, sizeof(*vals[k]));
		indicators_compute(&b.geo, &b.census, &b.series, &cat, &ts[k], vals[k]);
	}
	gaps = xcalloc(nt * (cat.n ? cat.n : 1), sizeof(*gaps));
	has = xcalloc(nt * (cat.n ? cat.n : 1), sizeof(*has));
	for (size_t k = 1; k < nt; k++) {
		bool nested = indicators_nested(&b.geo, &ts[0], &ts[k]);
		for (size_t i = 0; i < cat.n; i++)
			has[k * cat.n + i] =
			    cat.v[i].kind == INDICATOR_RATIO &&
			    indicators_gap(&vals[0][i], &vals[k][i], nested, 0.05,
					   &gaps[k * cat.n + i], NULL) == TERRAIN_OK;
	}
	/* the territory among its peers */
	const char *scope = "";
	size_t npeer = indicators_peers(&b.geo, &b.census, &ts[0], &peers, &scope);
	ranks = xcalloc(cat.n ? cat.n : 1, sizeof(*ranks));
	if (npeer > 1) {
		struct indicator_value *pv = xcalloc(cat.n ? cat.n : 1, sizeof(*pv));
		double *col = xcalloc(npeer * (cat.n ? cat.n : 1), sizeof(*col));
		for (size_t j = 0; j < npeer; j++) {
			indicators_compute(&b.geo, &b.census, &b.series, &cat, &peers[j], pv);
			for (size_t i = 0; i < cat.n; i++)
				col[i * npeer + j] = pv[i].value;
		}
		for (size_t i = 0; i < cat.n; i++)
			indicators_rank(vals[0][i].value, col + i * npeer, npeer, &ranks[i]);
		free(pv);
		free(col);
	}
	struct indicators_table tab = {
	    ts,	   nt,	 vals, cat.n, gaps, has, loaded && p.lang && !strcmp(p.lang, "en"),
	    ranks, scope};
	report_indicators(stdout, cli->format, &tab);
out:
	for (size_t k = 0; k <= PROJECT_MAX_REFS; k++)
		free(vals[k]);
	free(gaps);
	free(has);
	free(peers);
	free(ranks);
	for (size_t i = 0; i < rl.n; i++)
		free(rl.item[i]);
	free(rl.item);
	free(rl.line);
	strbuf_release(&path);
	catalogue_release(&cat);
	bundle_release(&b);
	project_release(&p);
	return st;
}
