/* The pipeline: the stages chained on one project, below every front
 * (the command line, cron).  Loading the project, the datasets and the
 * store. */
#ifndef TERRAIN_PIPELINE_H
#define TERRAIN_PIPELINE_H

#include <stdbool.h>

#include "../analysis/budget.h"
#include "../analysis/portrait.h"
#include "../analysis/sizing.h"
#include "../core/error.h"
#include "../core/geo.h"
#include "../core/params.h"
#include "../core/project.h"
#include "../core/strbuf.h"
#include "../report/format.h"
#include "../report/note.h"
#include "bundle.h"
#include "indicators_job.h"
#include "maps_stage.h"

/* Load the project file: config (required to exist) or ./terrain.ini when
 * present.  *loaded tells whether one was read. */
enum status pipeline_load_project(const char *config, struct project *p, bool *loaded,
				  struct error *err);

/* Warn (log_warn, "OPT: ...") when code, a territory code typed for the
 * option opt ("--territory"), is a commune code that is also the postcode
 * of other communes (territory_postcode_warning). */
void pipeline_warn_postcode(const struct geo *g, const char *opt, const char *code);

/* The territory code for arg, typed for the option opt ("--territory"),
 * into code: arg itself when it is a code (with pipeline_warn_postcode's
 * warning), else the one territory named arg (territory find's search:
 * an exact name, an administrative territory before a study zone, never
 * a former commune), said in a note.  A name that matches several
 * territories, or none exactly, is TERRAIN_EUSAGE listing the closest
 * (at most five, with their codes); anything else, territory_parse's
 * error. */
enum status pipeline_territory_arg(const struct geo *g, const char *opt, const char *arg,
				   struct strbuf *code, struct error *err);

/* Load the datasets: datadir, else where bundle_find_dir finds them. */
enum status pipeline_load_bundle(const char *datadir, struct bundle *b, struct error *err);

/* Open the store: store_opt (which must exist), else the configured one
 * ($TERRAIN_STORE, [sources] store, the default).  A store that does not
 * exist is not created: *out is NULL and path names where it was looked
 * for (for messages: a password in a PostgreSQL URI redacted). */
struct store;
enum status pipeline_open_store(const struct project *p, bool loaded, const char *store_opt,
				struct store **out, struct strbuf *path, struct error *err);

/* The budget of p's [budget] with the bundled parameters of datadir
 * (params/budget_parameters.csv): params and in to release with
 * params_release and budget_input_release, whatever happens. */
enum status pipeline_budget_compute(const struct project *p, const char *datadir,
				    struct params *params, struct budget_input *in,
				    struct budget_result *res, struct error *err);

/* What a run is asked. */
struct pipeline_options {
	const char *config;  /* the project file, or NULL: ./terrain.ini */
	const char *datadir; /* the datasets, or NULL: found */
	const char *output;  /* the outputs' folder over the project's, or NULL */
	const char *lang;    /* "fr", "en": the note's language over the project's, or NULL */
	bool offline;	     /* fetch: the cache only */
	FILE *echo;	     /* stdout or NULL: the text reports as they are made (the survey's
			      * goes to stdout) */
	enum report_format format; /* of echo */
};

/* One run on one project: what each stage reads and what it produced.
 * Zeroed, then pipeline_open; pipeline_close whatever happened. */
struct pipeline {
	struct pipeline_options opt;
	struct project proj;
	struct bundle b;
	bool en, proj_en; /* the note's language, the project's (sizing, budget) */
	/* the territory and its references: ts[0] and ts[1 .. nt) */
	struct territory ts[1 + PROJECT_MAX_REFS];
	size_t nt;
	struct strbuf dir; /* where the outputs go */
	char date[16];	   /* the note's: $TERRAIN_DATE, else today (UTC) */
	/* checked by pipeline_open, before anything is written */
	struct params params;
	struct budget_input bin;
	struct budget_result bres;
	bool have_budget;
	/* the stages' results */
	enum status fetched; /* TERRAIN_EPARTIAL when a source failed */
	struct portrait all[1 + PROJECT_MAX_REFS];
	struct indicators_job ind;
	struct maps_stage maps; /* the note's maps: maps.ready when drawn */
	struct note_survey digest;
	bool have_digest;
	struct sizing_result *sizing; /* owned, NULL without [target] */
	struct geo_zonages zonages;
	struct geo_zonage_of zonage;
	bool have_zonage;
	/* the QPV lying in the territory (rows of qpv, owned) and the age
	 * pyramid where the bundle has one */
	const struct qpv_list *qpv;
	size_t *qpv_rows, nqpv;
	struct indicators_pyramid pyramid;
	bool have_pyramid;
	struct plan *plan;  /* owned: the action plan (bloc 2), NULL without one */
	const char *suffix; /* the note's files': "", ".en" or ".fr" (static) */
	bool compute_only;  /* the stages compute their results and write no file (their
			     * files are current: stages.h) */
};

/* Load the project (required) and the datasets, resolve the territory and
 * its references, and check the whole project file before any stage
 * writes anything: $TERRAIN_DATE, the files it names ([survey], [offer]:
 * the error cites its line), [budget] (computed here).  The outputs' folder
 * is pl->dir; nothing is created yet. */
enum status pipeline_open(struct pipeline *pl, const struct pipeline_options *opt,
			  struct error *err);

/* The stages, in this order; each reads what the earlier ones produced.
 * fetch: the project's sources into the cache and the store, when it has
 * [sources] (a source that fails leaves pl->fetched TERRAIN_EPARTIAL and
 * the run goes on).  portrait: portrait.csv, .json, references.csv.
 * indicators: indicators.csv, .json.  maps: the note's maps' units,
 * outlines and values (a bad [note] maps stops here).  survey: survey/ when [survey].
 * sizing: sizing.csv, .json when [target].  budget: budget.csv, .json
 * when [budget].  note: the action plan (action.csv, .json; training.csv,
 * .json) when the project has one, then note.md, .html, .odt, tables.xlsx,
 * manifest.json. */
enum status pipeline_fetch(struct pipeline *pl, struct error *err);
enum status pipeline_portrait(struct pipeline *pl, struct error *err);
enum status pipeline_indicators(struct pipeline *pl, struct error *err);
enum status pipeline_maps(struct pipeline *pl, struct error *err);
enum status pipeline_survey(struct pipeline *pl, struct error *err);
enum status pipeline_sizing(struct pipeline *pl, struct error *err);
enum status pipeline_budget(struct pipeline *pl, struct error *err);
enum status pipeline_note(struct pipeline *pl, struct error *err);

/* Every stage in order, then the run's summary; TERRAIN_EPARTIAL when a
 * source could not be fetched (the outputs use the others). */
enum status pipeline_run(struct pipeline *pl, struct error *err);

void pipeline_close(struct pipeline *pl);

/* The note's input from the stages' results, in one place: ni's pointers
 * borrow pl, tab and pop_cog (filled here), which must outlive it. */
void pipeline_note_input(struct pipeline *pl, struct indicators_table *tab,
			 double pop_cog[GEO_NCOG], struct note_input *ni);

#endif
