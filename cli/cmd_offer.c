/* terrain offer import | check: the offer inventory file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/store.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/offer.h"
#include "../pipeline/offer_import.h"
#include "cli.h"

static enum status offer_import(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"territory", required_argument, NULL, 't'},
	    {"store", required_argument, NULL, 'S'},
	    {"output", required_argument, NULL, 'o'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *code = NULL, *store_opt = NULL, *output = NULL;
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, "t:o:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("offer");
			return TERRAIN_OK;
		}
		if (o == 't')
			code = optarg;
		else if (o == 'S')
			store_opt = optarg;
		else if (o == 'o')
			output = optarg;
		else
			cli_common_option(cli, o, optarg);
	}
	if (optind < argc)
		return error_set(err, TERRAIN_EUSAGE, "unexpected argument '%s'", argv[optind]);

	return offer_import_run(cli->config, cli->datadir, code, store_opt, output, err);
}

static enum status offer_check(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return TERRAIN_EUSAGE;
		if (o == 'h') {
			cli_help("offer");
			return TERRAIN_OK;
		}
		cli_common_option(cli, o, optarg);
	}
	if (optind + 1 != argc)
		return error_set(err, TERRAIN_EUSAGE, "offer check takes one FILE");
	struct bundle b = {0};
	struct offer off = {0};
	enum status st;
	if ((st = cli_load_bundle(cli, &b, err)) ||
	    (st = offer_load(&b.geo, argv[optind], &off, err)))
		goto out;
	size_t count[OFFER_NTYPES] = {0}, unknown = 0;
	double places[OFFER_NTYPES] = {0}, etp[OFFER_NTYPES] = {0};
	for (size_t i = 0; i < off.n; i++) {
		const struct offer_structure *x = &off.v[i];
		count[x->type]++;
		if (!isnan(x->places))
			places[x->type] += x->places;
		if (!isnan(x->etp))
			etp[x->type] += x->etp;
		if (isnan(x->places) && isnan(x->etp))
			unknown++;
		if (x->converted)
			log_note("%s:%lu: %s: a former commune code, taken as %s %s", off.file,
				 x->line, x->name, b.geo.com[x->commune].code,
				 b.geo.com[x->commune].name);
	}
	printf("%s: %zu structures\n", off.file, off.n);
	for (int k = 0; k < OFFER_NTYPES; k++)
		if (count[k])
			printf("  %s: %zu structure%s, %.10g places, %.10g ETP\n",
			       offer_type_name((enum offer_type)k), count[k],
			       count[k] > 1 ? "s" : "", places[k], etp[k]);
	if (unknown)
		printf("  %zu structure%s without places or etp: the capacity is incomplete\n",
		       unknown, unknown > 1 ? "s" : "");
out:
	offer_release(&off);
	bundle_release(&b);
	return st;
}

enum status cmd_offer(int argc, char **argv, struct cli *cli, struct error *err)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		if (argc < 2)
			return error_set(err, TERRAIN_EUSAGE,
					 "offer needs a subcommand: import or check");
		cli_help("offer");
		return TERRAIN_OK;
	}
	if (!strcmp(argv[1], "import"))
		return offer_import(argc - 1, argv + 1, cli, err);
	if (!strcmp(argv[1], "check"))
		return offer_check(argc - 1, argv + 1, cli, err);
	return error_set(err, TERRAIN_EUSAGE,
			 "unknown offer subcommand '%s' (expected import or check)", argv[1]);
}
