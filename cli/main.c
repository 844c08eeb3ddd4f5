/* terrain: the command-line entry point.  Thin: global options, dispatch to
 * a command, print the error, map the status to the exit code, and check
 * that stdout was written. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "../core/log.h"
#include "cli.h"

#ifndef TERRAIN_VERSION
#define TERRAIN_VERSION "unknown"
#endif

static int usage_error(const char *msg)
{
	fprintf(stderr, "terrain: %s\nTry 'terrain --help'.\n", msg);
	return 2;
}

/* Flush and close stdout, reporting a failed write (a full disk, a closed
 * pipe) as an error instead of a silent truncation. */
static int close_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "terrain: cannot write the output: %s\n", strerror(errno));
		return code ? code : 1;
	}
	return code;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG_OPTIONS,
	    {"format", required_argument, NULL, 'F'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	static char prog[] = "terrain"; /* messages name the program, not its path */
	struct cli cli = {0};
	struct error err = {0};
	int opt;

	if (argc > 0)
		argv[0] = prog;
	gsl_set_error_handler_off(); /* statuses are checked; never abort */

	/* global options stop at the command name ('+') */
	while ((opt = cli_getopt(argc, argv, "+" CLI_COMMON_SHORT_OPTIONS, longopts, &err)) != -1) {
		if (opt == '?')
			return usage_error(err.msg);
		if (opt == 'h') {
			cli_help(NULL);
			return close_stdout(0);
		}
		if (opt == 'V') {
			printf("terrain %s\n", TERRAIN_VERSION);
			return close_stdout(0);
		}
		if (opt == 'F' && cli_set_format(&cli, optarg, &err))
			return usage_error(err.msg);
		cli_common_option(&cli, opt, optarg);
	}
	if (optind >= argc)
		return usage_error("no command given");

	const char *name = argv[optind];
	const struct cli_command *c = cli_command_find(name);
	if (!c) {
		const char *near = cli_command_nearest(name);
		char msg[256];
		if (near)
			snprintf(msg, sizeof(msg), "unknown command '%s' (did you mean '%s'?)",
				 name, near);
		else
			snprintf(msg, sizeof(msg), "unknown command '%s'", name);
		return usage_error(msg);
	}
	enum status st = c->fn(argc - optind, argv + optind, &cli, &err);
	if (st == TERRAIN_EUSAGE)
		return close_stdout(usage_error(err.msg));
	if (st) {
		log_error("%s", err.msg);
		return close_stdout(error_exit_code(st));
	}
	return close_stdout(0);
}
