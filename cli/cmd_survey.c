/* terrain survey describe|check|analyze */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "cli.h"

/* ---- the command ------------------------------------------------------------ */

enum {
	OPT_CODEBOOK = 256,
	OPT_MARGINS,
	OPT_METHOD,
	OPT_TRIM,
	OPT_BY,
	OPT_CROSSTAB,
	OPT_ENCODING,
	OPT_DELIMITER,
	OPT_LENIENT,
	OPT_MIN_N,
	OPT_MAX_CV,
	OPT_SUPPRESS,
	OPT_FORMAT,
	OPT_FORCE,
};

static const struct option survey_longopts[] = {
    {"codebook", required_argument, NULL, OPT_CODEBOOK},
    {"margins", required_argument, NULL, OPT_MARGINS},
    {"method", required_argument, NULL, OPT_METHOD},
    {"trim", required_argument, NULL, OPT_TRIM},
    {"by", required_argument, NULL, OPT_BY},
    {"crosstab", required_argument, NULL, OPT_CROSSTAB},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"lenient", no_argument, NULL, OPT_LENIENT},
    {"min-n", required_argument, NULL, OPT_MIN_N},
    {"max-cv", required_argument, NULL, OPT_MAX_CV},
    {"suppress-below", required_argument, NULL, OPT_SUPPRESS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

struct survey_args {
	const char *file, *codebook, *margins, *method, *trim, *by, *crosstab;
	const char *encoding, *delimiter, *output, *min_n, *max_cv, *suppress;
	bool lenient, force;
};

static enum status parse_args(int argc, char **argv, struct cli *cli, struct survey_args *a,
			      bool *help, struct error *err)
{
	int opt;
	enum status st;
	memset(a, 0, sizeof(*a));
	*help = false;
	optind = 0;
	while ((opt = cli_getopt(argc, argv, "o:" CLI_COMMON_SHORT_OPTIONS, survey_longopts,
				 err)) != -1) {
		switch (opt) {
		case '?':
			return TERRAIN_EUSAGE;
		case 'h':
			*help = true;
			return TERRAIN_OK;
		case OPT_CODEBOOK:
			a->codebook = optarg;
			break;
		case OPT_MARGINS:
			a->margins = optarg;
			break;
		case OPT_METHOD:
			a->method = optarg;
			break;
		case OPT_TRIM:
			a->trim = optarg;
			break;
		case OPT_BY:
			a->by = optarg;
			break;
		case OPT_CROSSTAB:
			a->crosstab = optarg;
			break;
		case OPT_ENCODING:
			a->encoding = optarg;
			break;
		case OPT_DELIMITER:
			a->delimiter = optarg;
			break;
		case OPT_LENIENT:
			a->lenient = true;
			break;
		case OPT_MIN_N:
			a->min_n = optarg;
			break;
		case OPT_MAX_CV:
			a->max_cv = optarg;
			break;
		case OPT_SUPPRESS:
			a->suppress = optarg;
			break;
		case OPT_FORMAT:
			if ((st = cli_set_format(cli, optarg, err)))
				return st;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_FORCE:
			a->force = true;
			break;
		default:
			cli_common_option(cli, opt, optarg);
		}
	}
	if (optind + 1 < argc)
		return error_set(err, TERRAIN_EUSAGE,
				 "%s takes one survey file (found '%s' after '%s')", argv[0],
				 argv[optind + 1], argv[optind]);
	a->file = optind < argc ? argv[optind] : NULL;
	return TERRAIN_OK;
}

/* Command-line values over the project's. */
static enum status apply_args(struct survey_job *j, const struct survey_args *a,
			      struct project_list *by, struct project_list *cross,
			      struct error *err)
{
	enum status st;
	if (a->file)
		j->file = a->file;
	if (a->codebook)
		j->codebook = a->codebook;
	if (a->margins)
		j->margins = a->margins;
	if (a->method) {
		if ((st = survey_job_parse_method(j, a->method, 0, &j->wopts, err)))
			return st;
		j->method_set = true;
	}
	if (a->encoding && (st = survey_job_parse_encoding(j, a->encoding, 0, &j->encoding, err)))
		return st;
	if (a->delimiter && (st = survey_job_parse_delimiter(j, a->delimiter, 0, &j->delim, err)))
		return st;
	if (a->trim) {
		const char *comma = strchr(a->trim, ',');
		double lo = NAN, hi = NAN;
		char *l = comma ? xstrndup(a->trim, (size_t)(comma - a->trim)) : NULL;
		bool ok = comma && (!*l || (text_parse_double(l, &lo) && lo > 0)) &&
			  (!comma[1] || (text_parse_double(comma + 1, &hi) && hi > 0)) &&
			  (*l || comma[1]) && !(lo > hi);
		free(l);
		if (!ok)
			return error_set(
			    err, TERRAIN_EUSAGE,
			    "bad value '%s' for --trim (expected LOW,HIGH as multiples "
			    "of the mean weight, such as 0.3,3)",
			    a->trim);
		j->wopts.trim_lower = lo;
		j->wopts.trim_upper = hi;
	}
	long v;
	double x;
	if (a->min_n) {
		if (!text_parse_long(a->min_n, 1, 1000000, &v))
			return error_set(err, TERRAIN_EUSAGE,
					 "bad value '%s' for --min-n (expected "
					 "a whole number from 1)",
					 a->min_n);
		j->sopts.min_n = (size_t)v;
	}
	if (a->suppress) {
		if (!text_parse_long(a->suppress, 0, 1000000, &v))
			return error_set(err, TERRAIN_EUSAGE,
					 "bad value '%s' for --suppress-below (expected a whole "
					 "number from 0)",
					 a->suppress);
		j->sopts.suppress_below = (size_t)v;
	}
	if (a->max_cv) {
		if (!text_parse_double(a->max_cv, &x) || !(x > 0))
			return error_set(err, TERRAIN_EUSAGE,
					 "bad value '%s' for --max-cv (expected "
					 "a number above 0, such as 0.2)",
					 a->max_cv);
		j->sopts.max_cv = x;
	}
	if (a->by) {
		cli_split_list(a->by, by);
		j->by = by;
	}
	if (a->crosstab) {
		cli_split_list(a->crosstab, cross);
		j->crosstab = cross;
	}
	j->lenient = a->lenient;
	if (!j->file)
		return error_set(err, TERRAIN_EUSAGE,
				 "which survey? (expected a FILE, or a project "
				 "file with a [survey] section)");
	if (!j->codebook)
		return error_set(err, TERRAIN_EUSAGE,
				 "which codebook? (expected --codebook FILE; "
				 "'terrain survey describe' drafts one)");
	return TERRAIN_OK;
}

static void list_free(struct project_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->item[i]);
	free(l->item);
	free(l->line);
}

static enum status survey_describe(const struct survey_args *a, struct error *err)
{
	struct survey_job j;
	enum status st;
	survey_job_init(&j);
	if (!a->file)
		return error_set(err, TERRAIN_EUSAGE, "survey describe needs a FILE");
	if ((a->encoding &&
	     (st = survey_job_parse_encoding(&j, a->encoding, 0, &j.encoding, err))) ||
	    (a->delimiter && (st = survey_job_parse_delimiter(&j, a->delimiter, 0, &j.delim, err))))
		return st;
	return survey_job_describe(&j, a->file, a->output, a->force, err);
}

enum status cmd_survey(int argc, char **argv, struct cli *cli, struct error *err)
{
	if (argc < 2)
		return error_set(err, TERRAIN_EUSAGE,
				 "survey needs a subcommand: describe, check or analyze");
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		cli_help("survey");
		return TERRAIN_OK;
	}
	if (strcmp(sub, "describe") && strcmp(sub, "check") && strcmp(sub, "analyze"))
		return error_set(err, TERRAIN_EUSAGE,
				 "unknown subcommand 'survey %s' (expected describe, check or "
				 "analyze)",
				 sub);
	struct survey_args a;
	bool help;
	enum status st;
	if ((st = parse_args(argc - 1, argv + 1, cli, &a, &help, err)))
		return st;
	if (help) {
		cli_help("survey");
		return TERRAIN_OK;
	}
	if (!strcmp(sub, "describe"))
		return survey_describe(&a, err);

	struct project proj = {0};
	bool loaded = false;
	struct survey_job j;
	struct strbuf paths[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	struct project_list by = {0}, cross = {0};
	survey_job_init(&j);
	if ((st = cli_load_project(cli, &proj, &loaded, err)))
		goto out;
	/* the project's [survey] gives the defaults when nothing else names a file;
	 * a FILE on the command line runs with the command line's options only */
	if (loaded && proj.survey.line && !a.file &&
	    (st = survey_job_from_project(&j, &proj, paths, err)))
		goto out;
	if ((st = apply_args(&j, &a, &by, &cross, err)))
		goto out;
	if (!strcmp(sub, "check")) {
		st = survey_job_check(&j, err);
		goto out;
	}
	j.outdir = a.output;
	j.print = true;
	j.format = cli->format;
	st = survey_job_run(&j, err);
out:
	list_free(&by);
	list_free(&cross);
	for (int i = 0; i < 3; i++)
		strbuf_release(&paths[i]);
	project_release(&proj);
	return st;
}
