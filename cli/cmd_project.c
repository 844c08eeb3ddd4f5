/* terrain project: the sizing of an insertion project (bloc 2).  Today:
 * budget.  Each subcommand is one entry of the table below. */
#include <stdlib.h>
#include <string.h>

#include "../analysis/budget.h"
#include "../ingest/budgetcfg.h"
#include "../ingest/params.h"
#include "../report/budget_report.h"
#include "cli.h"

/* The bundled budget parameters, relative to the datasets folder. */
#define PARAMS_FILE "params/budget_parameters.csv"

/* Options of every subcommand: the common ones and --format.  Returns 1
 * when --help was printed, 0 to go on, -1 with err set. */
static int project_options(int argc, char **argv, struct cli *cli, struct error *err)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'F'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	int o;
	optind = 0;
	while ((o = cli_getopt(argc, argv, CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (o == '?')
			return -1;
		if (o == 'h') {
			cli_help("project");
			return 1;
		}
		if (o == 'F') {
			if (cli_set_format(cli, optarg, err))
				return -1;
		} else {
			cli_common_option(cli, o, optarg);
		}
	}
	if (optind < argc) {
		error_set(err, TERRAIN_EUSAGE, "project %s takes no arguments (found '%s')",
			  argv[0], argv[optind]);
		return -1;
	}
	return 0;
}

/* The project file, required: ./terrain.ini or -c FILE. */
static enum status need_project(const struct cli *cli, struct project *p, struct error *err)
{
	bool loaded;
	enum status st = cli_load_project(cli, p, &loaded, err);
	if (!st && !loaded)
		st = error_set(err, TERRAIN_EUSAGE,
			       "no project file: ./terrain.ini not found (create one with "
			       "'terrain init DIR --territory CODE', or pass -c FILE)");
	return st;
}

static enum status project_budget(int argc, char **argv, struct cli *cli, struct error *err)
{
	struct project p = {0};
	struct params t = {0};
	struct budget_input in = {0};
	struct budget_result res;
	struct strbuf path = STRBUF_INIT;
	char *dir = NULL;
	enum status st;
	int o = project_options(argc, argv, cli, err);
	if (o)
		return o > 0 ? TERRAIN_OK : TERRAIN_EUSAGE;
	if ((st = need_project(cli, &p, err)) || (st = bundle_find_dir(cli->datadir, &dir, err)))
		goto out;
	strbuf_addf(&path, "%s/%s", dir, PARAMS_FILE);
	if ((st = params_load(path.buf, &t, err)) || (st = budgetcfg_build(&p, &t, &in, err)))
		goto out;
	if ((st = budget_compute(&in, &res, err)))
		goto out;
	report_budget(stdout, cli->format, &in, &res);
out:
	free(dir);
	strbuf_release(&path);
	budget_input_release(&in);
	params_release(&t);
	project_release(&p);
	return st;
}

static const struct {
	const char *name;
	enum status (*fn)(int, char **, struct cli *, struct error *);
} subcommands[] = {
    {"budget", project_budget},
};

#define NSUB (sizeof(subcommands) / sizeof(subcommands[0]))

enum status cmd_project(int argc, char **argv, struct cli *cli, struct error *err)
{
	struct strbuf names = STRBUF_INIT;
	enum status st;
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cli_help("project");
		return TERRAIN_OK;
	}
	for (size_t i = 0; argc >= 2 && i < NSUB; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1, cli, err);
	for (size_t i = 0; i < NSUB; i++)
		strbuf_addf(&names, "%s%s", i ? (i + 1 == NSUB ? " or " : ", ") : "",
			    subcommands[i].name);
	if (argc < 2)
		st = error_set(err, TERRAIN_EUSAGE, "project needs a subcommand: %s", names.buf);
	else
		st = error_set(err, TERRAIN_EUSAGE, "unknown subcommand 'project %s' (expected %s)",
			       argv[1], names.buf);
	strbuf_release(&names);
	return st;
}
