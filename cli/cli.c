#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "../ingest/fetch.h"

bool cli_common_option(struct cli *cli, int opt, const char *arg)
{
	switch (opt) {
	case 'c':
		cli->config = arg;
		return true;
	case 'D':
		cli->datadir = arg;
		return true;
	case 'q':
		log_set_level(LOG_ERROR);
		return true;
	case 'v':
		if (log_get_level() < LOG_DEBUG)
			log_set_level(log_get_level() < LOG_WARN ? LOG_INFO : log_get_level() + 1);
		return true;
	case 'G':
		if (!strcmp(arg, "plain"))
			log_set_format(LOG_PLAIN);
		else if (!strcmp(arg, "text"))
			log_set_format(LOG_TEXT);
		else if (!strcmp(arg, "json"))
			log_set_format(LOG_JSON);
		else
			log_warn(
			    "unknown --log-format '%s' (expected plain, text or json): ignored",
			    arg);
		return true;
	default:
		return false;
	}
}

/* "unknown option" with the nearest long option, as git says it. */
static void unknown_option(const char *opt, bool is_long, const char *cmd,
			   const struct option *longopts, struct error *err)
{
	const char *names[64];
	size_t n = 0;
	char word[128];
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(opt + 2, "="), opt + 2);
	for (size_t i = 0; is_long && longopts[i].name && n < 64; i++)
		names[n++] = longopts[i].name;
	const char *near = is_long ? cli_nearest(word, names, n) : NULL;
	if (near)
		error_set(err, TERRAIN_EUSAGE,
			  "unknown option '%s' for '%s' (did you mean '--%s'?)", opt, cmd, near);
	else
		error_set(err, TERRAIN_EUSAGE, "unknown option '%s' for '%s'", opt, cmd);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       struct error *err)
{
	char spec[128];
	/* ':' first (after a '+'): a missing argument returns ':', not '?' */
	if (shortopts[0] == '+')
		snprintf(spec, sizeof(spec), "+:%s", shortopts + 1);
	else
		snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	int longindex = -1;
	int opt = getopt_long(argc, argv, spec, longopts, &longindex);
	if (opt == '?' || opt == ':') {
		/* getopt has moved past a long option but maybe not past a
		 * cluster of short ones ("-xq"): name a short one by optopt */
		const char *arg = argv[optind - 1];
		bool is_long = !strncmp(arg, "--", 2) && (opt == ':' || optopt == 0);
		char shortname[3] = {'-', (char)optopt, '\0'};
		if (opt == ':')
			error_set(err, TERRAIN_EUSAGE, "option '%s' needs an argument",
				  is_long ? arg : shortname);
		else
			unknown_option(is_long ? arg : shortname, is_long, argv[0], longopts, err);
		return '?';
	}
	/* a command line is every local user's to read (ps): a store's
	 * password never comes that way, whatever the command */
	if (opt > 0 && longindex >= 0 && !strcmp(longopts[longindex].name, "store") && optarg &&
	    store_is_postgresql(optarg) && project_uri_password(optarg)) {
		error_set(err, TERRAIN_EUSAGE,
			  "--store: a password on the command line: terrain leaves it to libpq "
			  "(~/.pgpass, a service file or PGPASSWORD)");
		return '?';
	}
	return opt;
}

enum status cli_set_format(struct cli *cli, const char *arg, struct error *err)
{
	if (!report_format_parse(arg, &cli->format))
		return error_set(err, TERRAIN_EUSAGE,
				 "bad value '%s' for --format (expected text, csv or json)", arg);
	cli->format_set = true;
	return TERRAIN_OK;
}

enum status cli_load_project(const struct cli *cli, struct project *p, bool *loaded,
			     struct error *err)
{
	return pipeline_load_project(cli->config, p, loaded, err);
}

enum status cli_load_bundle(const struct cli *cli, struct bundle *b, struct error *err)
{
	return pipeline_load_bundle(cli->datadir, b, err);
}

void cli_split_list(const char *s, struct project_list *l)
{
	while (*s) {
		s += strspn(s, ", \t");
		size_t n = strcspn(s, ", \t");
		if (n) {
			ALLOC_GROW(l->item, l->n + 1, l->alloc);
			l->line = xreallocarray(l->line, l->alloc, sizeof(*l->line));
			l->item[l->n] = xstrndup(s, n);
			l->line[l->n++] = 0;
		}
		s += n;
	}
}
