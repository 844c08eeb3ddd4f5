/* terrain refresh: the options, then the refresh loop (pipeline/refresh.h). */
#include <stdlib.h>
#include <string.h>

#include "../pipeline/refresh.h"
#include "cli.h"

enum status cmd_refresh(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"region", required_argument, NULL, 'r'},
	    {"all", no_argument, NULL, 'A'},
	    {"levels", required_argument, NULL, 'l'},
	    {"store", required_argument, NULL, 'S'},
	    {"output", required_argument, NULL, 'o'},
	    {"threshold", required_argument, NULL, 'T'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *region = NULL, *levels = NULL, *store_opt = NULL, *output = NULL;
	bool all = false;
	double threshold = 10;
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, "r:l:o:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) !=
	       -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("refresh");
			return TERRAIN_OK;
		}
		if (o == 'r')
			region = optarg;
		else if (o == 'A')
			all = true;
		else if (o == 'l')
			levels = optarg;
		else if (o == 'S')
			store_opt = optarg;
		else if (o == 'o')
			output = optarg;
		else if (o == 'T') {
			char *end;
			threshold = strtod(optarg, &end);
			if (end == optarg || *end || !(threshold > 0) || threshold > 1000)
				return error_set(err, TERRAIN_EUSAGE,
						 "bad --threshold '%s' (expected a percentage such "
						 "as 10)",
						 optarg);
		} else {
			cli_common_option(cli, o, optarg);
		}
	}
	if (optind < argc)
		return error_set(err, TERRAIN_EUSAGE, "unexpected argument '%s'", argv[optind]);
	if (!region && !all)
		return error_set(err, TERRAIN_EUSAGE,
				 "refresh needs --region LIST (such as 84 or 84,93) or --all");
	if (region && all)
		return error_set(err, TERRAIN_EUSAGE, "refresh takes --region or --all, not both");
	if (!levels) /* --all: every level, France included */
		levels = all ? "com,epci,dep,reg,fr" : "com,epci,dep";
	bool lcom = false, lepci = false, ldep = false, lreg = false, lfr = false;
	struct project_list ll = {0}, rl = {0};
	cli_split_list(levels, &ll);
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < ll.n && !st; i++) {
		if (!strcmp(ll.item[i], "com"))
			lcom = true;
		else if (!strcmp(ll.item[i], "epci"))
			lepci = true;
		else if (!strcmp(ll.item[i], "dep"))
			ldep = true;
		else if (!strcmp(ll.item[i], "reg"))
			lreg = true;
		else if (!strcmp(ll.item[i], "fr"))
			lfr = true;
		else
			st = error_set(
			    err, TERRAIN_EUSAGE,
			    "bad level '%s' in --levels (expected com, epci, dep, reg, fr)",
			    ll.item[i]);
	}
	if (!st && !ll.n)
		st = error_set(err, TERRAIN_EUSAGE,
			       "empty --levels (expected com, epci, dep, reg, fr)");
	for (size_t i = 0; i < ll.n; i++)
		free(ll.item[i]);
	free(ll.item);
	free(ll.line);
	if (st)
		return st;
	if (region)
		cli_split_list(region, &rl);
	if (region && !rl.n)
		return error_set(err, TERRAIN_EUSAGE,
				 "empty --region (expected codes such as 84,93)");

	struct refresh_options ro = {.config = cli->config,
				     .datadir = cli->datadir,
				     .regions = (const char *const *)rl.item,
				     .nregions = rl.n,
				     .all = all,
				     .levels = levels,
				     .store = store_opt,
				     .output = output,
				     .threshold = threshold,
				     .com = lcom,
				     .epci = lepci,
				     .dep = ldep,
				     .reg = lreg,
				     .fr = lfr};
	st = refresh_run(&ro, err);
	for (size_t i = 0; i < rl.n; i++)
		free(rl.item[i]);
	free(rl.item);
	free(rl.line);
	return st;
}
