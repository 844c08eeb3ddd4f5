/* terrain indicators */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../analysis/indicators.h"
#include "../core/xalloc.h"
#include "../ingest/fetch.h"
#include "../report/indicators_report.h"
#include "cli.h"

/* --list: the catalogue's indicators. */
static enum status list_catalogue(const struct cli *cli, bool other, struct error *err)
{
	if (other)
		return error_set(err, TERRAIN_EUSAGE,
				 "--list lists the catalogue: it takes no --territory, --refs or "
				 "--store");
	struct catalogue cat = {0};
	enum status st = indicators_job_catalogue(cli->datadir, &cat, err);
	if (!st)
		report_catalogue(stdout, cli->format, &cat);
	catalogue_release(&cat);
	return st;
}

enum status cmd_indicators(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"territory", required_argument, NULL, 't'},
	    {"refs", required_argument, NULL, 'r'},
	    {"format", required_argument, NULL, 'F'},
	    {"store", required_argument, NULL, 'S'},
	    {"list", no_argument, NULL, 'L'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *code = NULL, *refs_arg = NULL, *store_opt = NULL;
	bool list = false;
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
		else if (o == 'S')
			store_opt = optarg;
		else if (o == 'L')
			list = true;
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
	if (list)
		return list_catalogue(cli, code || refs_arg || store_opt, err);

	struct project p = {0};
	struct bundle b = {0};
	struct project_list rl = {0};
	struct territory ts[PROJECT_MAX_REFS + 1];
	struct indicators_job job = {0};
	struct strbuf named = STRBUF_INIT;
	bool loaded = false;
	size_t nt = 0;

	if ((st = cli_load_project(cli, &p, &loaded, err)) || (st = cli_load_bundle(cli, &b, err)))
		goto out;
	if (loaded && (st = project_resolve_customs(&p, &b.geo, err)))
		goto out;
	const struct territory_custom *cust = loaded ? p.resolved : NULL;
	size_t ncust = loaded ? p.ncustom : 0;
	if (code) {
		if ((st = pipeline_territory_arg(&b.geo, "--territory", code, &named, err)) ||
		    (st = territory_lookup(&b.geo, named.buf, cust, ncust, &ts[0], err)))
			goto out;
		nt = 1;
		if (refs_arg) {
			cli_split_list(refs_arg, &rl);
			if (rl.n > PROJECT_MAX_REFS) {
				st = error_set(err, TERRAIN_EUSAGE, "at most %d references",
					       PROJECT_MAX_REFS);
				goto out;
			}
			for (size_t i = 0; i < rl.n; i++) {
				if ((st = territory_lookup(&b.geo, rl.item[i], cust, ncust,
							   &ts[nt++], err)))
					goto out;
				pipeline_warn_postcode(&b.geo, "--refs", rl.item[i]);
			}
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
	if ((st = indicators_job_run(&job, &p, loaded, store_opt, &b, ts, nt, err)))
		goto out;
	struct indicators_table tab;
	indicators_job_table(&job, loaded && p.lang && !strcmp(p.lang, "en"), &tab);
	report_indicators(stdout, cli->format, &tab);
out:
	for (size_t i = 0; i < rl.n; i++)
		free(rl.item[i]);
	free(rl.item);
	free(rl.line);
	indicators_job_release(&job);
	bundle_release(&b);
	project_release(&p);
	strbuf_release(&named);
	return st;
}
