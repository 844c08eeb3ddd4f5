/* terrain fetch, terrain cache */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lock.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "../ingest/cache.h"
#include "../ingest/fetch.h"
#include "../pipeline/fetch_job.h"
#include "cli.h"

enum status cmd_fetch(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"dry-run", no_argument, NULL, 'n'},
	    {"offline", no_argument, NULL, 'O'},
	    {"source", required_argument, NULL, 's'},
	    {"store", required_argument, NULL, 'S'},
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct fetch_options opt = {0};
	const char *store = NULL;
	enum status st;
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, "n" CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("fetch");
			return TERRAIN_OK;
		}
		if (o == 'n') {
			opt.dry_run = true;
		} else if (o == 'O') {
			opt.offline = true;
		} else if (o == 'S') {
			store = optarg;
		} else if (o == 's') {
			if (source_find(optarg) < 0) {
				struct strbuf names = STRBUF_INIT;
				source_list_keys(&names);
				st = error_set(err, TERRAIN_EUSAGE,
					       "bad value '%s' for --source (expected %s)", optarg,
					       names.buf);
				strbuf_release(&names);
				return st;
			}
			opt.only = optarg;
		} else if (o == 'F') {
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
		} else {
			cli_common_option(cli, o, optarg);
		}
	}

	return fetch_job_run(cli->config, cli->datadir, argc - optind, argv + optind, &opt, store,
			     cli->format, err);
}

/* ---- terrain cache ---- */

enum status cmd_cache(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	enum status st;
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("cache");
			return TERRAIN_OK;
		}
		if (o == 'F') {
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
		} else {
			cli_common_option(cli, o, optarg);
		}
	}
	if (optind >= argc)
		return error_set(err, TERRAIN_EUSAGE,
				 "cache needs a subcommand: list, show KEY, verify or clear");
	const char *sub = argv[optind];
	int nargs = argc - optind - 1;
	bool show = !strcmp(sub, "show");
	if (strcmp(sub, "list") && !show && strcmp(sub, "verify") && strcmp(sub, "clear"))
		return error_set(err, TERRAIN_EUSAGE,
				 "unknown cache subcommand '%s' (expected list, show, verify or "
				 "clear)",
				 sub);
	if (show ? nargs != 1 : nargs != 0)
		return error_set(err, TERRAIN_EUSAGE,
				 show ? "cache show needs one key (or the start of one)"
				      : "cache %s takes no argument",
				 sub);
	if (show && strlen(argv[optind + 1]) < 4)
		return error_set(err, TERRAIN_EUSAGE,
				 "cache show: '%s' is too short (give at least 4 characters of "
				 "the key)",
				 argv[optind + 1]);

	return cache_job_run(cli->config, sub, show ? argv[optind + 1] : NULL, cli->format, err);
}
