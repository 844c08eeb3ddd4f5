/* terrain run and terrain report: the options, then the project's pipeline
 * (pipeline/pipeline.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static enum status run_pipeline(int argc, char **argv, struct cli *cli, bool report,
				struct error *err)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'F'},
	    {"lang", required_argument, NULL, 'L'},
	    {"offline", no_argument, NULL, 'O'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	const char *output = NULL, *lang = NULL;
	bool offline = false;
	enum status st;
	int opt;
	optind = 0;
	while ((opt = cli_getopt(argc, argv, "o:" CLI_COMMON_SHORT_OPTIONS, longopts, err)) != -1) {
		if (opt == '?')
			return TERRAIN_EUSAGE;
		if (opt == 'h') {
			cli_help(report ? "report" : "run");
			return TERRAIN_OK;
		}
		if (opt == 'o') {
			if (!*optarg)
				return error_set(err, TERRAIN_EUSAGE,
						 "empty --output (expected a folder)");
			output = optarg;
		} else if (opt == 'F') {
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
		} else if (opt == 'O') {
			offline = true;
		} else if (opt == 'L') {
			if (strcmp(optarg, "fr") && strcmp(optarg, "en"))
				return error_set(err, TERRAIN_EUSAGE,
						 "bad --lang '%s' (expected fr or en)", optarg);
			lang = optarg;
		} else {
			cli_common_option(cli, opt, optarg);
		}
	}
	if (optind < argc)
		return error_set(err, TERRAIN_EUSAGE, "%s takes no arguments (found '%s')",
				 report ? "report" : "run", argv[optind]);
	if (report)
		cli->format = REPORT_JSON; /* nothing on stdout but the note's path */

	struct pipeline pl = {0};
	struct pipeline_options po = {cli->config, cli->datadir,	   output,     lang,
				      offline,	   report ? NULL : stdout, cli->format};
	if (!(st = pipeline_open(&pl, &po, err)))
		st = pipeline_run(&pl, err);
	if (report && pl.suffix) /* the note was written */
		printf("%s/note%s.md\n%s/note%s.html\n", pl.dir.buf, pl.suffix, pl.dir.buf,
		       pl.suffix);
	pipeline_close(&pl);
	return st;
}

enum status cmd_run(int argc, char **argv, struct cli *cli, struct error *err)
{
	return run_pipeline(argc, argv, cli, false, err);
}

enum status cmd_report(int argc, char **argv, struct cli *cli, struct error *err)
{
	return run_pipeline(argc, argv, cli, true, err);
}
