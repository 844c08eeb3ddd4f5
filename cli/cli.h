/* The command-line front: option parsing shared by the commands, loading
 * of the project file and the datasets, and the commands themselves.
 * Commands return an enum status; main() prints the message and maps the
 * status to the exit code (0 ok, 1 data or runtime error, 2 usage, 3
 * partial, 75 locked: error_exit_code). */
#ifndef TERRAIN_CLI_H
#define TERRAIN_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "../analysis/surveystats.h"
#include "../analysis/weighting.h"
#include "../core/error.h"
#include "../core/project.h"
#include "../pipeline/bundle.h"
#include "../pipeline/indicators_job.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/sizing_job.h"
#include "../pipeline/survey_job.h"
#include "../report/format.h"
#include "../report/indicators_report.h"
#include "../report/note.h"

struct cli {
	const char *config;  /* -c FILE */
	const char *datadir; /* --datadir DIR */
	enum report_format format;
	bool format_set;
};

/* Options every command accepts, to append to a command's own table. */
#define CLI_COMMON_LONG_OPTIONS                                                              \
	{"config", required_argument, NULL, 'c'}, {"datadir", required_argument, NULL, 'D'}, \
	    {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},          \
	    {"log-format", required_argument, NULL, 'G'},                                    \
	{                                                                                    \
		"help", no_argument, NULL, 'h'                                               \
	}
#define CLI_COMMON_SHORT_OPTIONS "c:qvh"

/* Handle a common option; returns false when opt is not one of them. */
bool cli_common_option(struct cli *cli, int opt, const char *arg);

/* Run getopt_long over a command's arguments (argv[0] is the command name);
 * unknown options and missing arguments are TERRAIN_EUSAGE errors naming
 * the option.  Returns the option, -1 at the end, or '?' with err set. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       struct error *err);

/* --format text|csv|json */
enum status cli_set_format(struct cli *cli, const char *arg, struct error *err);

/* Load the project file: -c FILE (required to exist) or ./terrain.ini when
 * present.  *loaded tells whether one was read. */
enum status cli_load_project(const struct cli *cli, struct project *p, bool *loaded,
			     struct error *err);

enum status cli_load_bundle(const struct cli *cli, struct bundle *b, struct error *err);

/* Split a command-line list ("a,b c") into l (lines 0). */
void cli_split_list(const char *s, struct project_list *l);

/* Print the help of a command (or the general help for NULL) to stdout;
 * false when there is no such command. */
bool cli_help(const char *command);

typedef enum status (*cli_command_fn)(int argc, char **argv, struct cli *cli, struct error *err);

/* The command table (cli/commands.c). */
struct cli_command {
	const char *name;
	const char *summary; /* its lines in the general help's command list */
	const char *help;    /* terrain help NAME, terrain NAME --help */
	cli_command_fn fn;   /* argv[0] is the command's name */
};
extern const struct cli_command cli_commands[];
/* The general help: its beginning, the commands' summaries, its end. */
extern const char cli_general_head[], cli_general_tail[];
extern const size_t cli_ncommands;

/* The command called name, or NULL. */
const struct cli_command *cli_command_find(const char *name);

/* The word of words[0..n) nearest to word (at most 2 edits, fewer than
 * its length), or NULL: "did you mean" in usage errors. */
const char *cli_nearest(const char *word, const char *const *words, size_t n);

/* The name of the command nearest to name, or NULL. */
const char *cli_command_nearest(const char *name);

/* The man page terrain(1), in roff, from the command table. */
void cli_man(FILE *fp);

enum status cmd_help(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_init(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_territory(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_run(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_report(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_refresh(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_store(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_survey(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_fetch(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_cache(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_indicators(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_offer(int argc, char **argv, struct cli *cli, struct error *err);

enum status cmd_project(int argc, char **argv, struct cli *cli, struct error *err);

enum status cmd_census(int argc, char **argv, struct cli *cli, struct error *err);

enum status cmd_serve(int argc, char **argv, struct cli *cli, struct error *err);

#endif
