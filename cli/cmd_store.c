/* terrain store migrate | grant: the options, then pipeline/store_job.h. */
#include <string.h>

#include "../pipeline/store_job.h"
#include "cli.h"

enum status cmd_store(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"reader", required_argument, NULL, 'R'},
	    {"writer", required_argument, NULL, 'W'},
	    {"store", required_argument, NULL, 'S'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *reader = NULL, *writer = NULL, *store = NULL;
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("store");
			return TERRAIN_OK;
		}
		if (o == 'R')
			reader = optarg;
		else if (o == 'W')
			writer = optarg;
		else if (o == 'S')
			store = optarg;
		else
			cli_common_option(cli, o, optarg);
	}
	const char *sub = optind < argc ? argv[optind++] : NULL;
	if (!sub || (strcmp(sub, "migrate") && strcmp(sub, "grant")))
		return error_set(err, TERRAIN_EUSAGE, "store needs migrate or grant%s%s%s",
				 sub ? " (not '" : "", sub ? sub : "", sub ? "')" : "");
	if (optind < argc)
		return error_set(err, TERRAIN_EUSAGE, "unexpected argument '%s'", argv[optind]);
	if (!strcmp(sub, "migrate")) {
		if (reader || writer)
			return error_set(err, TERRAIN_EUSAGE,
					 "--reader and --writer go with grant");
		return store_job_migrate(cli->config, store, err);
	}
	if (!reader == !writer)
		return error_set(err, TERRAIN_EUSAGE,
				 "store grant needs --reader ROLE or --writer ROLE (one of them)");
	if (!*(reader ? reader : writer))
		return error_set(err, TERRAIN_EUSAGE, "empty role name");
	return store_job_grant(cli->config, store, reader ? reader : writer, writer != NULL, err);
}
