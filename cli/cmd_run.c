/* terrain run: the project's pipeline.  Today: the portrait of the
 * territory against its references, then the field survey of [survey]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analysis/budget.h"
#include "../analysis/portrait.h"
#include "../analysis/sizing.h"
#include "../core/fileio.h"
#include "../core/lock.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "../ingest/budgetcfg.h"
#include "../ingest/fetch.h"
#include "../ingest/geodata.h"
#include "../ingest/params.h"
#include "../report/budget_report.h"
#include "../report/note.h"
#include "../report/noteout.h"
#include "../report/sizing_report.h"
#include "../report/territory_report.h"
#include "cli.h"

#ifndef TERRAIN_VERSION
#define TERRAIN_VERSION "unknown"
#endif

struct render_args {
	enum report_format fmt;
	const struct territory_view *v;
	const struct portrait *all;
	size_t nall;
};

static void render_portrait(FILE *fp, const void *arg)
{
	const struct render_args *a = arg;
	report_territory(fp, a->fmt, a->v);
}

static void render_comparison(FILE *fp, const void *arg)
{
	const struct render_args *a = arg;
	report_comparison(fp, a->fmt, a->all, a->nall);
}

/* OUTPUT/<code with ':' as '_'>, OUTPUT relative to the project file unless
 * given on the command line or absolute. */
struct render_indicators {
	enum report_format fmt;
	const struct indicators_table *tab;
};

static void render_indicators(FILE *fp, const void *arg)
{
	const struct render_indicators *r = arg;
	report_indicators(fp, r->fmt, r->tab);
}

/* sizing.* and budget.* in the project's language (en), whatever --lang
 * says of the note: a note in another language goes beside the project's,
 * these files have no such twin. */
struct sizing_view {
	const struct sizing_result *r;
	bool en;
};

static void render_sizing(FILE *fp, enum report_format fmt, const void *arg)
{
	const struct sizing_view *v = arg;
	report_sizing(fp, fmt, v->r, v->en);
}

struct budget_view {
	const struct budget_input *in;
	const struct budget_result *res;
	bool en;
};

static void render_budget(FILE *fp, enum report_format fmt, const void *arg)
{
	const struct budget_view *v = arg;
	report_budget(fp, fmt, v->in, v->res, v->en);
}

struct render_pair {
	void (*fn)(FILE *, enum report_format, const void *);
	enum report_format fmt;
	const void *arg;
};

static void render_one(FILE *fp, const void *arg)
{
	const struct render_pair *r = arg;
	r->fn(fp, r->fmt, r->arg);
}

/* DIR/NAME.csv and DIR/NAME.json, each written whole. */
static enum status write_pair(const char *dir, const char *name,
			      void (*fn)(FILE *, enum report_format, const void *), const void *arg,
			      struct error *err)
{
	static const struct {
		const char *ext;
		enum report_format fmt;
	} kinds[] = {{"csv", REPORT_CSV}, {"json", REPORT_JSON}};
	struct strbuf path = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < 2 && !st; i++) {
		struct render_pair r = {fn, kinds[i].fmt, arg};
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.%s", dir, name, kinds[i].ext);
		st = format_write_file(path.buf, render_one, &r, err);
	}
	if (!st)
		log_note("wrote %s/: %s.csv, %s.json", dir, name, name);
	strbuf_release(&path);
	return st;
}

static void output_dir(const struct project *p, const char *cli_output, const struct territory *t,
		       struct strbuf *out)
{
	const char *base = cli_output ? cli_output : p->output;
	if (!cli_output && base[0] != '/' && strcmp(p->dir, "."))
		strbuf_addf(out, "%s/", p->dir);
	strbuf_addf(out, "%s/", base);
	for (const char *s = t->code; *s; s++)
		strbuf_addch(out, *s == ':' ? '_' : *s);
}

/* The fetch stage: the project's sources for its territories, into the
 * cache and the store (under the store's lock).  A source that fails does
 * not stop the run: *partial says so (exit 3 at the end), and the others'
 * data are used. */
static enum status fetch_stage(const struct project *p, const struct bundle *b,
			       const struct territory *ts, size_t nt, bool offline,
			       enum status *partial, struct error *err)
{
	struct fetch_config cfg = {0};
	struct fetch_report rep = {0};
	struct fetch_options opt = {offline, false, NULL, NULL};
	struct lock lk = {-1, NULL};
	enum status st;
	if ((st = fetch_config_load(&cfg, p, b->dir, NULL, err)) ||
	    (st = lock_acquire(&lk, cfg.store_path, err)))
		goto out;
	st = fetch_run(&cfg, &b->geo, ts, nt, &opt, &rep, err);
	for (size_t i = 0; i < rep.nproblems; i++)
		log_warn("%s", rep.problems[i]);
	if (st == TERRAIN_EPARTIAL || st == TERRAIN_ENET || (offline && rep.missing)) {
		/* the run goes on with what there is */
		*partial = TERRAIN_EPARTIAL;
		log_warn("fetch: %zu of %zu requests failed%s; the run goes on with the data there "
			 "is",
			 rep.failed + rep.missing, rep.requests, offline ? " or were not cached" : "");
		st = TERRAIN_OK;
	} else if (!st) {
		log_note("fetch: %zu requests, %zu new, %zu unchanged (304), %zu from the cache",
			 rep.requests, rep.fresh, rep.not_modified, rep.cached);
	}
out:
	lock_release(&lk);
	fetch_report_release(&rep);
	fetch_config_release(&cfg);
	return st;
}

/* The note's date: $TERRAIN_DATE (YYYY-MM-DD, for reproducible notes),
 * else today (UTC). */
static void note_date(char *out, size_t cap)
{
	const char *env = getenv("TERRAIN_DATE");
	int y, m, d;
	char tail;
	if (env && sscanf(env, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
		snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
		return;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, cap, "%Y-%m-%d", &tm);
}

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

	struct project proj = {0};
	bool loaded;
	if ((st = cli_load_project(cli, &proj, &loaded, err)))
		return st;
	if (!loaded)
		return error_set(err, TERRAIN_EUSAGE,
				 "no project file: ./terrain.ini not found (create one with "
				 "'terrain init DIR --territory CODE', or pass -c FILE)");

	struct bundle b = {0}; /* released whatever happens: zeroed is empty */
	struct territory t, refs[PROJECT_MAX_REFS];
	struct portrait all[1 + PROJECT_MAX_REFS];
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct indicators_job ind = {0};
	struct sizing_result *sizing = NULL;
	struct params params = {0};
	struct budget_input bin = {0};
	struct budget_result bres;
	struct note_survey digest = {0};
	struct geo_zonages zonages = {0};
	struct geo_zonage_of zonage;
	bool have_digest = false;
	struct indicators_table tab;
	size_t nref;
	if ((st = cli_load_bundle(cli, &b, err)))
		goto out;
	if ((st = project_resolve(&proj, &b.geo, &t, refs, &nref, err)))
		goto out;
	/* first, the public data, when the project says where ([sources]) */
	enum status fetched = TERRAIN_OK;
	if (proj.sources.line) {
		struct territory all_ts[1 + PROJECT_MAX_REFS];
		all_ts[0] = t;
		for (size_t i = 0; i < nref; i++)
			all_ts[1 + i] = refs[i];
		if ((st = fetch_stage(&proj, &b, all_ts, 1 + nref, offline, &fetched, err)))
			goto out;
	}
	portrait_compute(&b.geo, &b.pop_cog, &b.census, &t, &all[0]);
	for (size_t i = 0; i < nref; i++)
		portrait_compute(&b.geo, &b.pop_cog, &b.census, &refs[i], &all[1 + i]);
	struct territory_view v = {
	    .geo = &b.geo,
	    .portrait = &all[0],
	    .refs = refs,
	    .nrefs = nref,
	    .pop_prov = b.pop_cog.prov,
	    .census_prov = b.census.prov,
	    .census_cog = b.census.cog,
	};

	output_dir(&proj, output, &t, &dir);
	if ((st = fileio_mkdirs(dir.buf, err)))
		goto out;
	static const struct {
		const char *name;
		enum report_format fmt;
		bool comparison;
	} files[] = {
	    {"portrait.csv", REPORT_CSV, false},
	    {"portrait.json", REPORT_JSON, false},
	    {"references.csv", REPORT_CSV, true},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, files[i].name);
		struct render_args ra = {files[i].fmt, &v, all, 1 + nref};
		if ((st = format_write_file(
			 path.buf, files[i].comparison ? render_comparison : render_portrait, &ra,
			 err)))
			goto out;
	}

	v.compared = all;
	v.ncompared = 1 + nref;
	if (!report)
		report_territory(stdout, cli->format, &v);
	log_note("wrote %s/: portrait.csv, portrait.json, references.csv", dir.buf);

	/* the indicators against the references, from the bundle and the store */
	struct territory ts[1 + PROJECT_MAX_REFS];
	ts[0] = t;
	for (size_t i = 0; i < nref; i++)
		ts[1 + i] = refs[i];
	if ((st = indicators_job_run(&ind, &proj, true, NULL, &b, ts, 1 + nref, err)))
		goto out;
	indicators_job_table(&ind, proj.lang && !strcmp(proj.lang, "en"), &tab);
	static const struct {
		const char *name;
		enum report_format fmt;
	} ind_files[] = {{"indicators.csv", REPORT_CSV}, {"indicators.json", REPORT_JSON}};
	for (size_t i = 0; i < sizeof(ind_files) / sizeof(ind_files[0]); i++) {
		struct render_indicators ri = {ind_files[i].fmt, &tab};
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, ind_files[i].name);
		if ((st = format_write_file(path.buf, render_indicators, &ri, err)))
			goto out;
	}
	if (cli->format == REPORT_TEXT) {
		printf("\n");
		report_indicators(stdout, REPORT_TEXT, &tab);
	}
	log_note("wrote %s/: indicators.csv, indicators.json", dir.buf);

	/* the field survey, when the project has one */
	if (proj.survey.line) {
		struct survey_job job;
		struct strbuf paths[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
		struct strbuf sdir = STRBUF_INIT;
		survey_job_init(&job);
		strbuf_addf(&sdir, "%s/survey", dir.buf);
		if (!(st = survey_job_from_project(&job, &proj, paths, err))) {
			job.outdir = sdir.buf;
			job.print = cli->format == REPORT_TEXT; /* one document on stdout */
			job.digest = &digest;
			if (job.print)
				printf("\n");
			st = survey_job_run(&job, err);
			have_digest = !st;
		}
		for (int i = 0; i < 3; i++)
			strbuf_release(&paths[i]);
		strbuf_release(&sdir);
	}
	if (st)
		goto out;

	/* bloc 2: the sizing and the budget, when the project has them */
	bool proj_en = proj.lang && !strcmp(proj.lang, "en");
	if (proj.target.line) {
		sizing = xcalloc(1, sizeof(*sizing));
		struct sizing_view sv = {sizing, proj_en};
		if ((st = sizing_job_run(&proj, &b, sizing, err)) ||
		    (st = write_pair(dir.buf, "sizing", render_sizing, &sv, err)))
			goto out;
		if (cli->format == REPORT_TEXT) {
			printf("\n");
			report_sizing(stdout, REPORT_TEXT, sizing, proj_en);
		}
	}
	if (proj.budget.line) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/params/budget_parameters.csv", b.dir);
		if ((st = params_load(path.buf, &params, err)) ||
		    (st = budgetcfg_build(&proj, &params, &bin, err)) ||
		    (st = budget_compute(&bin, &bres, err)))
			goto out;
		struct budget_view bv = {&bin, &bres, proj_en};
		if ((st = write_pair(dir.buf, "budget", render_budget, &bv, err)))
			goto out;
		if (cli->format == REPORT_TEXT) {
			printf("\n");
			report_budget(stdout, REPORT_TEXT, &bin, &bres, proj_en);
		}
	}

	/* last, the note */
	double pop_cog[GEO_NCOG];
	char date[16];
	note_date(date, sizeof(date));
	bool en = lang ? !strcmp(lang, "en") : proj.lang && !strcmp(proj.lang, "en");
	indicators_job_table(&ind, en, &tab);
	struct note_input ni = {en,
				proj.title,
				proj.author,
				date,
				&tab,
				b.prov,
				b.nprov,
				have_digest ? &digest : NULL,
				sizing,
				proj.budget.line ? &bin : NULL,
				proj.budget.line ? &bres : NULL,
				pop_cog,
				&b.series,
				NULL,
				0,
				"",
				&b.responses,
				NULL};
	/* a note in another language than the project's goes beside it */
	ni.suffix = en == proj_en ? "" : en ? ".en" : ".fr";
	for (int y = 0; y < GEO_NCOG; y++)
		pop_cog[y] = all[0].pop_cog[y].value;
	if (t.type == TERRITORY_COM || t.type == TERRITORY_ARM) {
		if ((st = geodata_load_zonages_of(&zonages, b.dir, b.geo.com[t.index].code, err)))
			goto out;
		size_t zrow = geo_zonages_find(&zonages, b.geo.com[t.index].code);
		if (zrow != GEO_NONE) {
			geo_zonage_of(&zonages, &b.geo, zrow, &zonage);
			ni.zonage = &zonage;
		}
	}
	if ((st = noteout_write(dir.buf, &ni, err)))
		goto out;
	if (report)
		printf("%s/note%s.md\n%s/note%s.html\n", dir.buf, ni.suffix, dir.buf, ni.suffix);
	if ((st = noteout_manifest(dir.buf, &proj, b.dir, b.prov, b.nprov, date, err)))
		goto out;
	log_note("run %s: portrait, indicators%s%s%s, note: %s/ (manifest.json lists the inputs "
		 "and outputs)%s",
		 t.code, have_digest ? ", survey" : "", sizing ? ", sizing" : "",
		 proj.budget.line ? ", budget" : "", dir.buf,
		 fetched ? "; some public data could not be fetched" : "");
	if (fetched) {
		st = error_set(err, fetched,
			       "some public data could not be fetched (above); the outputs use the "
			       "others");
		goto out;
	}
out:
	geo_zonages_release(&zonages);
	note_survey_release(&digest);
	free(sizing);
	budget_input_release(&bin);
	params_release(&params);
	indicators_job_release(&ind);
	strbuf_release(&dir);
	strbuf_release(&path);
	bundle_release(&b);
	project_release(&proj);
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
