/* The survey stage. */
#ifndef TERRAIN_SURVEY_JOB_H
#define TERRAIN_SURVEY_JOB_H

#include <stdbool.h>

#include "../analysis/surveystats.h"
#include "../analysis/weighting.h"
#include "../core/error.h"
#include "../core/project.h"
#include "../core/strbuf.h"
#include "../report/format.h"
#include "../report/note.h"

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

/* The values of [survey] and of the options, checked: an error names the
 * project file's line (line > 0 and j->proj set) or the option. */
enum status survey_job_parse_encoding(const struct survey_job *j, const char *value, unsigned line,
				      int *out, struct error *err);
enum status survey_job_parse_delimiter(const struct survey_job *j, const char *value, unsigned line,
				       char *out, struct error *err);
enum status survey_job_parse_method(const struct survey_job *j, const char *value, unsigned line,
				    struct weighting_opts *o, struct error *err);

/* terrain survey check: every problem of j->file against j->codebook on
 * stdout; TERRAIN_EDATA when there is one. */
enum status survey_job_check(const struct survey_job *j, struct error *err);

/* terrain survey describe: the draft codebook of file (read with j's
 * encoding and delimiter) to output (kept when it exists, unless force),
 * with a summary on stdout; without output, the codebook on stdout. */
enum status survey_job_describe(const struct survey_job *j, const char *file, const char *output,
				bool force, struct error *err);

#endif
