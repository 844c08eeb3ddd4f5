/* terrain census aggregate */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../analysis/aggregate.h"
#include "../core/log.h"
#include "../core/observation.h"
#include "../core/sha256.h"
#include "../core/store.h"
#include "../core/xalloc.h"
#include "../ingest/census.h"
#include "../pipeline/census_job.h"
#include "../report/census_report.h"
#include "cli.h"

enum status cmd_census(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"by", required_argument, NULL, 'b'},
	    {"where", required_argument, NULL, 'w'},
	    {"set", required_argument, NULL, 's'},
	    {"weight", required_argument, NULL, 'W'},
	    {"member", required_argument, NULL, 'm'},
	    {"output", required_argument, NULL, 'o'},
	    {"store", optional_argument, NULL, 'S'},
	    {"name", required_argument, NULL, 'N'},
	    {"period", required_argument, NULL, 'P'},
	    {"workers", required_argument, NULL, 'j'},
	    {"libcsv", no_argument, NULL, 'L'},
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct census_args a = {0};
	enum status st;
	int o;
	if (argc < 2)
		return error_set(err, TERRAIN_EUSAGE, "census needs a subcommand: aggregate");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_help("census");
		return TERRAIN_OK;
	}
	if (strcmp(argv[1], "aggregate"))
		return error_set(err, TERRAIN_EUSAGE,
				 "unknown subcommand 'census %s' (expected aggregate)", argv[1]);
	argc--, argv++;
	optind = 0;
	while ((o = cli_getopt(argc, argv, "b:w:s:o:j:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) !=
	       -1) {
		long n;
		switch (o) {
		case '?':
			return TERRAIN_EUSAGE;
		case 'h':
			cli_help("census");
			return TERRAIN_OK;
		case 'b':
			a.by = optarg;
			break;
		case 'w':
			a.where = optarg;
			break;
		case 's':
			a.set = optarg;
			break;
		case 'W':
			a.weight = optarg;
			break;
		case 'm':
			a.member = optarg;
			break;
		case 'o':
			a.output = optarg;
			break;
		case 'S':
			a.store = true;
			a.store_path = optarg;
			break;
		case 'N':
			a.name = optarg;
			break;
		case 'P':
			if (!text_parse_long(optarg, 1800, 2200, &n))
				return error_set(
				    err, TERRAIN_EUSAGE,
				    "bad --period \"%s\" (expected a year such as 2021)", optarg);
			a.period = optarg;
			break;
		case 'j':
			if (!text_parse_long(optarg, 1, CENSUS_MAX_WORKERS, &n))
				return error_set(err, TERRAIN_EUSAGE,
						 "bad --workers \"%s\" (expected 1 to %d)", optarg,
						 CENSUS_MAX_WORKERS);
			a.workers = (size_t)n;
			break;
		case 'L':
			a.libcsv = true;
			break;
		case 'F':
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
			break;
		default:
			cli_common_option(cli, o, optarg);
		}
	}
	if (cli->format_set && cli->format != REPORT_CSV)
		return error_set(err, TERRAIN_EUSAGE, "census aggregate writes CSV only");
	if (optind >= argc)
		return error_set(err, TERRAIN_EUSAGE, "census aggregate needs a FILE");
	if (optind + 1 < argc)
		return error_set(err, TERRAIN_EUSAGE, "unexpected argument '%s'", argv[optind + 1]);
	a.file = argv[optind];
	return census_job_run(&a, err);
}
