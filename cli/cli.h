/* The command-line front: option parsing shared by the commands, loading
 * of the project file and the datasets, and the commands themselves.
 * Commands return an enum status; main() prints the message and maps the
 * status to the exit code (0 ok, 1 data or runtime error, 2 usage). */
#ifndef TERRAIN_CLI_H
#define TERRAIN_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "../analysis/surveystats.h"
#include "../analysis/weighting.h"
#include "../core/error.h"
#include "../core/project.h"
#include "../ingest/bundle.h"
#include "../report/indicators_report.h"
#include "../report/note.h"
#include "../report/format.h"

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

/* Warn (log_warn, "OPT: ...") when code, a territory code typed for the
 * option opt ("--territory"), is a commune code that is also the postcode
 * of other communes (territory_postcode_warning). */
void cli_warn_postcode(const struct geo *g, const char *opt, const char *code);

/* A renderer: writes arg to fp. */
typedef void (*cli_render_fn)(FILE *fp, const void *arg);

/* Render into memory, then write path whole through a temporary file, so
 * that a failure never leaves half a file. */
enum status cli_write_output(const char *path, cli_render_fn render, const void *arg,
			     struct error *err);

/* Open the store: store_opt (which must exist), else the configured one
 * ($TERRAIN_STORE, [sources] store, the default).  A store that does not
 * exist is not created: *out is NULL and path names where it was looked
 * for. */
struct store;
enum status cli_open_store(const struct project *p, bool loaded, const char *store_opt,
			   struct store **out, struct strbuf *path, struct error *err);

/* Split a command-line list ("a,b c") into l (lines 0). */
void cli_split_list(const char *s, struct project_list *l);

/* Print the help of a command (or the general help for NULL) to stdout;
 * false when there is no such command. */
bool cli_help(const char *command);

enum status cmd_help(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_init(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_territory(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_run(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_report(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_refresh(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_survey(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_fetch(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_cache(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_indicators(int argc, char **argv, struct cli *cli, struct error *err);
enum status cmd_offer(int argc, char **argv, struct cli *cli, struct error *err);

/* The indicators of ts[0] against ts[1..nt) (terrain indicators, terrain
 * run): the catalogue, the store's data, values, gaps, peers' ranks. */
struct indicators_job {
	struct catalogue cat;
	struct indicators_stored stored;
	bool have_store;
	struct territory ts[PROJECT_MAX_REFS + 1];
	size_t nt;
	struct indicator_value *vals[PROJECT_MAX_REFS + 1];
	struct gap *gaps;
	bool *has;
	struct territory *peers;
	struct indicator_rank *ranks;
	const char *scope;
};
enum status indicators_job_run(struct indicators_job *j, const struct cli *cli,
			       const struct project *p, bool loaded, const char *store,
			       const struct bundle *b, const struct territory *ts, size_t nt,
			       struct error *err);
void indicators_job_table(const struct indicators_job *j, bool en, struct indicators_table *out);
void indicators_job_release(struct indicators_job *j);

/* Read the store (-S FILE, else the configured one; when it does not exist
 * *have is false and nothing is an error, unless store was given) and
 * prepare its observations of the catalogue's ids into out (release with
 * indicators_stored_release); the COG conversions are logged. */
enum status cli_load_stored(const struct cli *cli, const struct project *p, bool loaded,
			    const char *store, const struct geo *g, const struct catalogue *cat,
			    struct indicators_stored *out, bool *have, struct error *err);
enum status cmd_project(int argc, char **argv, struct cli *cli, struct error *err);

/* terrain project size's result for project p ([target], [offer], the
 * survey when a term asks for it), as terrain run computes it too. */
struct sizing_result;
enum status cli_project_size(const struct cli *cli, struct project *p, const struct bundle *b,
			     struct sizing_result *r, struct error *err);
enum status cmd_census(int argc, char **argv, struct cli *cli, struct error *err);

/* The action plan's stage of terrain run (cli/cmd_plan.c): *out read from
 * the project, its baselines filled from in's results (in the project's
 * language), checked against the budget (bin NULL: none), its skills gaps
 * and training modules computed. */
struct plan;
struct note_input;
struct budget_input;
struct budget_result;
enum status cli_plan_stage(const struct project *proj, const char *bundle_dir,
			   const struct note_input *in, const struct budget_input *bin,
			   const struct budget_result *bres, struct plan *out, struct error *err);

/* The survey stage, as `terrain survey analyze` and `terrain run` run it. */
struct survey_job {
	const char *file, *codebook, *margins; /* paths; margins may be NULL */
	int encoding;			       /* enum csvread_encoding */
	char delim;			       /* 0: detect */
	struct weighting_opts wopts;
	bool method_set;		     /* wopts.method given, not defaulted */
	const struct project_list *by;	     /* variable names */
	const struct project_list *crosstab; /* "a*b" */
	const struct project *proj;	     /* where by and crosstab came from, or NULL */
	struct survey_stats_opts sopts;
	bool lenient;	    /* values with problems become missing */
	const char *outdir; /* write the tables there, or NULL */
	bool print;	    /* print the results on stdout */
	enum report_format format;
	/* proportions to hand back (terrain project size): "VAR=CODE" of
	 * the whole sample, into got[0..nwant) (caller's array) */
	const char *const *want;
	size_t nwant;
	struct estimate *got;
	/* the whole sample's estimates for the note, question by question,
	 * and the declared cross-tabs, or NULL; returned owned (free with
	 * note_survey_release) */
	struct note_survey *digest;
};

void survey_job_init(struct survey_job *j);
enum status survey_job_run(const struct survey_job *j, struct error *err);

/* The job the project's [survey] section describes (paths resolved into
 * the strbufs, which must outlive the job). */
enum status survey_job_from_project(struct survey_job *j, const struct project *p,
				    struct strbuf paths[3], struct error *err);

#endif
