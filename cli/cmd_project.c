/* terrain project: the sizing of an insertion project (bloc 2): size
 * (target public, offer, coverage, posts to open) and budget.  Each
 * subcommand is one entry of the table below. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/budget.h"
#include "../analysis/sizing.h"
#include "../core/xalloc.h"
#include "../ingest/offer.h"
#include "../ingest/params.h"
#include "../pipeline/budgetcfg.h"
#include "../pipeline/sizingcfg.h"
#include "../report/budget_report.h"
#include "../report/sizing_report.h"
#include "cli.h"

/* Options of every subcommand: the common ones, --format and --lang (into
 * *lang, borrowed from argv, NULL when not given).  Returns 1 when --help
 * was printed, 0 to go on, -1 with err set. */
static int project_options(int argc, char **argv, struct cli *cli, const char **lang,
			   struct error *err)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'F'},
	    {"lang", required_argument, NULL, 'L'},
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
		} else if (o == 'L') {
			if (strcmp(optarg, "fr") && strcmp(optarg, "en")) {
				error_set(err, TERRAIN_EUSAGE,
					  "bad --lang '%s' (expected fr or en)", optarg);
				return -1;
			}
			*lang = optarg;
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

/* The project file, required: ./terrain.ini or -c FILE; lang (NULL: the
 * file's) over its language. */
static enum status need_project(const struct cli *cli, struct project *p, const char *lang,
				struct error *err)
{
	bool loaded;
	enum status st = cli_load_project(cli, p, &loaded, err);
	if (!st && !loaded)
		st = error_set(err, TERRAIN_EUSAGE,
			       "no project file: ./terrain.ini not found (create one with "
			       "'terrain init DIR --territory CODE', or pass -c FILE)");
	if (!st && lang) {
		free(p->lang);
		p->lang = xstrdup(lang);
	}
	return st;
}

static bool project_en(const struct project *p)
{
	return p->lang && !strcmp(p->lang, "en");
}

static enum status project_budget(int argc, char **argv, struct cli *cli, struct error *err)
{
	struct project p = {0};
	struct params t = {0};
	struct budget_input in = {0};
	struct budget_result res;
	char *dir = NULL;
	const char *lang = NULL;
	enum status st;
	int o = project_options(argc, argv, cli, &lang, err);
	if (o)
		return o > 0 ? TERRAIN_OK : TERRAIN_EUSAGE;
	if ((st = need_project(cli, &p, lang, err)) ||
	    (st = bundle_find_dir(cli->datadir, &dir, err)))
		goto out;
	if ((st = pipeline_budget_compute(&p, dir, &t, &in, &res, err)))
		goto out;
	report_budget(stdout, cli->format, &in, &res, project_en(&p));
out:
	free(dir);
	budget_input_release(&in);
	params_release(&t);
	project_release(&p);
	return st;
}

static enum status project_size(int argc, char **argv, struct cli *cli, struct error *err)
{
	struct project p = {0};
	struct bundle b = {0};
	struct sizing_result *r = xcalloc(1, sizeof(*r));
	const char *lang = NULL;
	enum status st;
	int o = project_options(argc, argv, cli, &lang, err);
	if (o) {
		free(r);
		return o > 0 ? TERRAIN_OK : TERRAIN_EUSAGE;
	}
	if (!(st = need_project(cli, &p, lang, err)) && !(st = cli_load_bundle(cli, &b, err)) &&
	    !(st = sizing_job_run(&p, &b, r, err)))
		report_sizing(stdout, cli->format, r, project_en(&p));
	free(r);
	bundle_release(&b);
	project_release(&p);
	return st;
}

static const struct {
	const char *name;
	enum status (*fn)(int, char **, struct cli *, struct error *);
} subcommands[] = {
    {"size", project_size},
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
