#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../analysis/search.h"
#include "../core/fileio.h"
#include "../core/lock.h"
#include "../core/log.h"
#include "../core/qpv.h"
#include "../core/redact.h"
#include "../core/store.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/fetch.h"
#include "../ingest/geodata.h"
#include "../ingest/params.h"
#include "../report/budget_report.h"
#include "../report/noteout.h"
#include "../report/plan_report.h"
#include "../report/sizing_report.h"
#include "../report/territory_report.h"
#include "budgetcfg.h"
#include "plan_stage.h"
#include "plancfg.h"
#include "sizing_job.h"
#include "survey_job.h"

enum status pipeline_load_project(const char *config, struct project *p, bool *loaded,
				  struct error *err)
{
	*loaded = false;
	const char *path = config;
	if (!path) {
		if (!fileio_exists("terrain.ini"))
			return TERRAIN_OK;
		path = "terrain.ini";
	}
	enum status st = project_load(p, path, err);
	if (!st) {
		*loaded = true;
		log_info("project file %s", path);
	}
	return st;
}

void pipeline_warn_postcode(const struct geo *g, const char *opt, const char *code)
{
	struct strbuf msg = STRBUF_INIT;
	if (territory_postcode_warning(g, code, &msg))
		log_warn("%s: %s", opt, msg.buf);
	strbuf_release(&msg);
}

/* Does arg look like a name rather than a code: a letter, no colon? */
static bool looks_like_name(const char *arg)
{
	bool letter = false;
	for (const char *c = arg; *c; c++) {
		if (*c == ':')
			return false;
		letter |= (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c & 0x80);
	}
	return letter;
}

static void hit_text(const struct geo *g, const struct search_hit *h, struct strbuf *sb)
{
	strbuf_addf(sb, "%s %s (%s", h->t.code, h->t.name ? h->t.name : "",
		    territory_type_label(h->t.type));
	if ((h->t.type == TERRITORY_COM || h->t.type == TERRITORY_ARM) && h->t.index < g->ncom)
		strbuf_addf(sb, " of %s", g->com[h->t.index].dep);
	if (h->population >= 0)
		strbuf_addf(sb, ", %ld inhabitants", h->population);
	strbuf_addch(sb, ')');
}

enum status pipeline_territory_arg(const struct geo *g, const char *opt, const char *arg,
				   struct strbuf *code, struct error *err)
{
	struct territory_code tc;
	strbuf_reset(code);
	enum status st = territory_parse(arg, &tc, err);
	if (!st) {
		strbuf_addstr(code, arg);
		pipeline_warn_postcode(g, opt, arg);
		return TERRAIN_OK;
	}
	if (!looks_like_name(arg))
		return st;
	struct search_hit *h = NULL;
	size_t n = search_territories(g, arg, SEARCH_ALL_TYPES, &h);
	size_t exact = 0, admin = 0, pick_admin = 0, pick_zone = 0;
	for (size_t i = 0; i < n; i++) {
		if (h[i].class != SEARCH_EXACT || h[i].former)
			continue;
		bool zone = territory_zonage(h[i].t.type) != GEO_NZONAGE;
		if (!zone && !admin++)
			pick_admin = i;
		if (zone && !exact)
			pick_zone = i;
		exact++;
	}
	/* "Grenoble": the commune, not the zones named after it */
	size_t pick = admin ? pick_admin : pick_zone;
	if (admin == 1 || (exact == 1 && !admin)) {
		strbuf_addstr(code, h[pick].t.code);
		log_note("%s: \"%s\" is %s %s", opt, arg, h[pick].t.code, h[pick].t.name);
		free(h);
		return TERRAIN_OK;
	}
	struct strbuf list = STRBUF_INIT;
	for (size_t i = 0, k = 0; i < n && k < 5; i++) {
		if (exact && (h[i].class != SEARCH_EXACT || h[i].former))
			continue;
		strbuf_addstr(&list, k++ ? ", " : "");
		hit_text(g, &h[i], &list);
	}
	if (exact)
		st = error_set(err, TERRAIN_EUSAGE,
			       "%s \"%s\" names several territories: %s; give the code of the "
			       "one you mean",
			       opt, arg, list.buf);
	else if (n)
		st = error_set(err, TERRAIN_EUSAGE,
			       "%s: no territory is named \"%s\"; the closest: %s (terrain "
			       "territory find lists them)",
			       opt, arg, list.buf);
	else
		st = error_set(
		    err, TERRAIN_EUSAGE,
		    "%s: no territory is named \"%s\" (expected a name, such as "
		    "Grenoble, or a code, such as com:38185: terrain territory find NAME)",
		    opt, arg);
	strbuf_release(&list);
	free(h);
	return st;
}

enum status pipeline_load_bundle(const char *datadir, struct bundle *b, struct error *err)
{
	char *dir;
	enum status st = bundle_find_dir(datadir, &dir, err);
	if (st)
		return st;
	log_info("datasets in %s", dir);
	st = bundle_load(b, dir, err);
	free(dir);
	return st;
}

enum status pipeline_open_store(const struct project *p, bool loaded, const char *store_opt,
				struct store **out, struct strbuf *path, struct error *err)
{
	struct fetch_config cfg = {0};
	enum status st;
	*out = NULL;
	if ((st = fetch_config_load(&cfg, loaded ? p : NULL, "", store_opt, err)))
		goto out;
	strbuf_reset(path);
	strbuf_addstr(path, cfg.store_path);
	redact(path, NULL, 0); /* for messages: a PostgreSQL URI's password never shows */
	if (!store_is_postgresql(cfg.store_path) && access(cfg.store_path, F_OK) != 0) {
		if (store_opt)
			st = error_set(err, TERRAIN_EIO, "%s: no such store", store_opt);
		goto out;
	}
	st = store_open(out, cfg.store_path, err);
out:
	fetch_config_release(&cfg);
	return st;
}

/* ---- the run's stages ---------------------------------------------------- */

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

struct plan_view {
	const struct plan *p;
	bool en;
};

static void render_plan(FILE *fp, enum report_format fmt, const void *arg)
{
	const struct plan_view *v = arg;
	report_plan(fp, fmt, v->p, v->en);
}

static void render_training(FILE *fp, enum report_format fmt, const void *arg)
{
	const struct plan_view *v = arg;
	report_training(fp, fmt, v->p, v->en);
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
	    (!store_is_postgresql(cfg.store_path) && (st = lock_acquire(&lk, cfg.store_path, err))))
		goto out;
	st = fetch_run(&cfg, &b->geo, ts, nt, &opt, &rep, err);
	for (size_t i = 0; i < rep.nproblems; i++)
		log_warn("%s", rep.problems[i]);
	if (st == TERRAIN_EPARTIAL || st == TERRAIN_ENET || (offline && rep.missing)) {
		/* the run goes on with what there is */
		*partial = TERRAIN_EPARTIAL;
		log_warn("fetch: %zu of %zu requests failed%s; the run goes on with the data there "
			 "is",
			 rep.failed + rep.missing, rep.requests,
			 offline ? " or were not cached" : "");
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
 * else today (UTC); checked once, here, before anything is written. */
static enum status note_date(char *out, size_t cap, struct error *err)
{
	int y, m, d, got = text_env_day(&y, &m, &d);
	if (got < 0)
		return error_set(err, TERRAIN_EUSAGE,
				 "TERRAIN_DATE='%s' is not a day (expected YYYY-MM-DD, such as "
				 "2026-03-31)",
				 getenv("TERRAIN_DATE"));
	if (got) {
		snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
		return TERRAIN_OK;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, cap, "%Y-%m-%d", &tm);
	return TERRAIN_OK;
}

/* The files the project names (its survey's, its offer inventory) can be
 * read: checked before any stage writes, the error citing the line. */
static enum status check_named_file(const struct project *p, const char *key, const char *rel,
				    unsigned line, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	project_path(p, rel, &path);
	if (access(path.buf, R_OK) != 0)
		st = project_error_at(p, line, err, "%s = %s: cannot read %s: %s", key, rel,
				      path.buf, strerror(errno));
	strbuf_release(&path);
	return st;
}

static enum status check_named_files(const struct project *p, struct error *err)
{
	const struct {
		const char *key;
		const struct project_value *v;
	} named[] = {{"file", &p->survey.file},
		     {"codebook", &p->survey.codebook},
		     {"margins", &p->survey.margins}};
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]) && !st; i++)
		if (named[i].v->text)
			st = check_named_file(p, named[i].key, named[i].v->text, named[i].v->line,
					      err);
	for (size_t i = 0; i < p->offer.key.n && !st; i++)
		if (!strcmp(p->offer.key.item[i], "file"))
			st = check_named_file(p, "file", p->offer.value.item[i],
					      p->offer.value.line[i], err);
	return st;
}

enum status pipeline_budget_compute(const struct project *p, const char *datadir,
				    struct params *params, struct budget_input *in,
				    struct budget_result *res, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/params/budget_parameters.csv", datadir);
	enum status st = params_load(path.buf, params, err);
	strbuf_release(&path);
	if (st || (st = budgetcfg_build(p, params, in, err)))
		return st;
	return budget_compute(in, res, err);
}

enum status pipeline_open(struct pipeline *pl, const struct pipeline_options *opt,
			  struct error *err)
{
	struct territory refs[PROJECT_MAX_REFS];
	size_t nref = 0;
	bool loaded;
	enum status st;
	pl->opt = *opt;
	pl->dir = (struct strbuf)STRBUF_INIT;
	if ((st = pipeline_load_project(opt->config, &pl->proj, &loaded, err)))
		return st;
	if (!loaded)
		return error_set(err, TERRAIN_EUSAGE,
				 "no project file: ./terrain.ini not found (create one with "
				 "'terrain init DIR --territory CODE', or pass -c FILE)");
	struct project *p = &pl->proj;
	if ((st = check_named_files(p, err)))
		return st;
	pl->proj_en = p->lang && !strcmp(p->lang, "en");
	pl->en = opt->lang ? !strcmp(opt->lang, "en") : pl->proj_en;
	if ((st = note_date(pl->date, sizeof(pl->date), err)) ||
	    (st = pipeline_load_bundle(opt->datadir, &pl->b, err)) ||
	    (st = project_resolve(p, &pl->b.geo, &pl->ts[0], refs, &nref, err)))
		return st;
	for (size_t i = 0; i < nref; i++)
		pl->ts[1 + i] = refs[i];
	pl->nt = 1 + nref;
	/* the budget now: an error in [budget] before any output is written */
	if (p->budget.line) {
		if ((st = pipeline_budget_compute(p, pl->b.dir, &pl->params, &pl->bin, &pl->bres,
						  err)))
			return st;
		pl->have_budget = true;
	}
	output_dir(p, opt->output, &pl->ts[0], &pl->dir);
	return TERRAIN_OK;
}

enum status pipeline_fetch(struct pipeline *pl, struct error *err)
{
	if (!pl->proj.sources.line)
		return TERRAIN_OK;
	return fetch_stage(&pl->proj, &pl->b, pl->ts, pl->nt, pl->opt.offline, &pl->fetched, err);
}

enum status pipeline_portrait(struct pipeline *pl, struct error *err)
{
	const struct bundle *b = &pl->b;
	struct strbuf path = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < pl->nt; i++)
		portrait_compute(&b->geo, &b->pop_cog, &b->census, &pl->ts[i], &pl->all[i]);
	struct territory_view v = {
	    .geo = &b->geo,
	    .portrait = &pl->all[0],
	    .refs = pl->ts + 1,
	    .nrefs = pl->nt - 1,
	    .pop_prov = b->pop_cog.prov,
	    .census_prov = b->census.prov,
	    .census_cog = b->census.cog,
	};
	if (pl->compute_only || (st = fileio_mkdirs(pl->dir.buf, err)))
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
		strbuf_addf(&path, "%s/%s", pl->dir.buf, files[i].name);
		struct render_args ra = {files[i].fmt, &v, pl->all, pl->nt};
		if ((st = format_write_file(
			 path.buf, files[i].comparison ? render_comparison : render_portrait, &ra,
			 err)))
			goto out;
	}
	v.compared = pl->all;
	v.ncompared = pl->nt;
	if (pl->opt.echo)
		report_territory(pl->opt.echo, pl->opt.format, &v);
	log_note("wrote %s/: portrait.csv, portrait.json, references.csv", pl->dir.buf);
out:
	strbuf_release(&path);
	return st;
}

enum status pipeline_indicators(struct pipeline *pl, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	struct indicators_table tab;
	enum status st;
	if ((st = indicators_job_run(&pl->ind, &pl->proj, true, NULL, &pl->b, pl->ts, pl->nt, err)))
		goto out;
	if (pl->compute_only)
		goto out;
	indicators_job_table(&pl->ind, pl->proj_en, &tab);
	static const struct {
		const char *name;
		enum report_format fmt;
	} ind_files[] = {{"indicators.csv", REPORT_CSV}, {"indicators.json", REPORT_JSON}};
	for (size_t i = 0; i < sizeof(ind_files) / sizeof(ind_files[0]); i++) {
		struct render_indicators ri = {ind_files[i].fmt, &tab};
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", pl->dir.buf, ind_files[i].name);
		if ((st = format_write_file(path.buf, render_indicators, &ri, err)))
			goto out;
	}
	if (pl->opt.echo && pl->opt.format == REPORT_TEXT) {
		fprintf(pl->opt.echo, "\n");
		report_indicators(pl->opt.echo, REPORT_TEXT, &tab);
	}
	log_note("wrote %s/: indicators.csv, indicators.json", pl->dir.buf);
out:
	strbuf_release(&path);
	return st;
}

enum status pipeline_maps(struct pipeline *pl, struct error *err)
{
	return maps_stage_run(&pl->maps, &pl->proj, &pl->b, &pl->ind, &pl->ts[0], err);
}

enum status pipeline_survey(struct pipeline *pl, struct error *err)
{
	if (!pl->proj.survey.line)
		return TERRAIN_OK;
	struct survey_job job;
	struct strbuf paths[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	struct strbuf sdir = STRBUF_INIT;
	enum status st;
	survey_job_init(&job);
	strbuf_addf(&sdir, "%s/survey", pl->dir.buf);
	if (!(st = survey_job_from_project(&job, &pl->proj, paths, err))) {
		job.outdir = pl->compute_only ? NULL : sdir.buf;
		/* one document on echo */
		job.print = pl->opt.echo && pl->opt.format == REPORT_TEXT;
		job.digest = &pl->digest;
		if (job.print)
			fprintf(pl->opt.echo, "\n");
		st = survey_job_run(&job, err);
		pl->have_digest = !st;
	}
	for (int i = 0; i < 3; i++)
		strbuf_release(&paths[i]);
	strbuf_release(&sdir);
	return st;
}

enum status pipeline_sizing(struct pipeline *pl, struct error *err)
{
	if (!pl->proj.target.line)
		return TERRAIN_OK;
	enum status st;
	pl->sizing = xcalloc(1, sizeof(*pl->sizing));
	struct sizing_view sv = {pl->sizing, pl->proj_en};
	if ((st = sizing_job_run(&pl->proj, &pl->b, pl->sizing, err)) ||
	    (!pl->compute_only &&
	     (st = write_pair(pl->dir.buf, "sizing", render_sizing, &sv, err))))
		return st;
	if (pl->opt.echo && pl->opt.format == REPORT_TEXT) {
		fprintf(pl->opt.echo, "\n");
		report_sizing(pl->opt.echo, REPORT_TEXT, pl->sizing, pl->proj_en);
	}
	return TERRAIN_OK;
}

enum status pipeline_budget(struct pipeline *pl, struct error *err)
{
	if (!pl->have_budget || pl->compute_only)
		return TERRAIN_OK;
	struct budget_view bv = {&pl->bin, &pl->bres, pl->proj_en};
	enum status st = write_pair(pl->dir.buf, "budget", render_budget, &bv, err);
	if (!st && pl->opt.echo && pl->opt.format == REPORT_TEXT) {
		fprintf(pl->opt.echo, "\n");
		report_budget(pl->opt.echo, REPORT_TEXT, &pl->bin, &pl->bres, pl->proj_en);
	}
	return st;
}

void pipeline_note_input(struct pipeline *pl, struct indicators_table *tab,
			 double pop_cog[GEO_NCOG], struct note_input *ni)
{
	indicators_job_table(&pl->ind, pl->en, tab);
	*ni = (struct note_input){
	    .en = pl->en,
	    .title = pl->proj.title,
	    .author = pl->proj.author,
	    .date = pl->date,
	    .ind = tab,
	    .prov = pl->b.prov,
	    .nprov = pl->b.nprov,
	    .survey = pl->have_digest ? &pl->digest : NULL,
	    .sizing = pl->sizing,
	    .budget_in = pl->have_budget ? &pl->bin : NULL,
	    .budget = pl->have_budget ? &pl->bres : NULL,
	    .pop_cog = pop_cog,
	    .series = &pl->b.series,
	    .suffix = "",
	    .responses = &pl->b.responses,
	    .zonage = pl->have_zonage ? &pl->zonage : NULL,
	    .map = pl->maps.ready ? &pl->maps.map : NULL,
	    .layers = pl->maps.ready ? pl->maps.layers : NULL,
	    .nlayers = pl->maps.ready ? pl->maps.n : 0,
	    .qpv = pl->qpv,
	    .qpv_rows = pl->qpv_rows,
	    .nqpv = pl->nqpv,
	    .pyramid = pl->have_pyramid ? &pl->pyramid : NULL,
	};
	/* a note in another language than the project's goes beside it */
	ni->suffix = pl->en == pl->proj_en ? "" : pl->en ? ".en" : ".fr";
	for (int y = 0; y < GEO_NCOG; y++)
		pop_cog[y] = pl->all[0].pop_cog[y].value;
}

enum status pipeline_note(struct pipeline *pl, struct error *err)
{
	const struct territory *t = &pl->ts[0];
	struct indicators_table tab;
	struct note_input ni;
	double pop_cog[GEO_NCOG];
	enum status st;
	if (t->type == TERRITORY_COM || t->type == TERRITORY_ARM) {
		const char *code = pl->b.geo.com[t->index].code;
		if ((st = geodata_load_zonages_of(&pl->zonages, pl->b.dir, code, err)))
			return st;
		size_t zrow = geo_zonages_find(&pl->zonages, code);
		if (zrow != GEO_NONE) {
			geo_zonage_of(&pl->zonages, &pl->b.geo, zrow, &pl->zonage);
			pl->have_zonage = true;
		}
	}
	/* the QPV of the territory, and the age pyramid where it is bundled */
	const struct indicators_published *published;
	if ((st = bundle_qpv(&pl->b, &pl->qpv, err)) ||
	    (st = bundle_filosofi(&pl->b, &published, err)))
		return st;
	free(pl->qpv_rows);
	pl->nqpv = qpv_in_territory(pl->qpv, &pl->b.geo, t, &pl->qpv_rows);
	pl->have_pyramid = indicators_pyramid(published, t->code, &pl->pyramid);
	pipeline_note_input(pl, &tab, pop_cog, &ni);
	/* bloc 2: the action plan and the training action, with the results above */
	if (plancfg_present(&pl->proj)) {
		free(pl->plan); /* a second note of the same run: the plan again */
		pl->plan = xcalloc(1, sizeof(*pl->plan));
		struct note_input pi = ni;
		pi.en = pl->proj_en;
		struct plan_view pv = {pl->plan, pl->proj_en};
		if ((st = plan_stage_run(&pl->proj, pl->b.dir, &pi,
					 pl->have_budget ? &pl->bin : NULL, &pl->bres, pl->plan,
					 err)) ||
		    (st = plan_stage_structures(&pl->proj, &pl->b.geo, t, pl->plan, err)) ||
		    (st = write_pair(pl->dir.buf, "action", render_plan, &pv, err)) ||
		    (pl->plan->njob &&
		     (st = write_pair(pl->dir.buf, "training", render_training, &pv, err))))
			return st;
		ni.plan = pl->plan;
	}
	if ((st = noteout_write(pl->dir.buf, &ni, err)))
		return st;
	pl->suffix = ni.suffix;
	return noteout_manifest(pl->dir.buf, &pl->proj, pl->b.dir, pl->b.prov, pl->b.nprov,
				pl->date, err);
}

enum status pipeline_run(struct pipeline *pl, struct error *err)
{
	enum status st;
	if ((st = pipeline_fetch(pl, err)) || (st = pipeline_portrait(pl, err)) ||
	    (st = pipeline_indicators(pl, err)) || (st = pipeline_maps(pl, err)) ||
	    (st = pipeline_survey(pl, err)) || (st = pipeline_sizing(pl, err)) ||
	    (st = pipeline_budget(pl, err)) || (st = pipeline_note(pl, err)))
		return st;
	log_note("run %s: portrait, indicators%s%s%s, note: %s/ (manifest.json lists the inputs "
		 "and outputs)%s",
		 pl->ts[0].code, pl->have_digest ? ", survey" : "", pl->sizing ? ", sizing" : "",
		 pl->have_budget ? ", budget" : "", pl->dir.buf,
		 pl->fetched ? "; some public data could not be fetched" : "");
	if (pl->fetched)
		return error_set(err, pl->fetched,
				 "some public data could not be fetched (above); the outputs use "
				 "the others");
	return TERRAIN_OK;
}

void pipeline_close(struct pipeline *pl)
{
	maps_stage_release(&pl->maps);
	free(pl->qpv_rows);
	free(pl->plan);
	geo_zonages_release(&pl->zonages);
	note_survey_release(&pl->digest);
	free(pl->sizing);
	budget_input_release(&pl->bin);
	params_release(&pl->params);
	indicators_job_release(&pl->ind);
	strbuf_release(&pl->dir);
	bundle_release(&pl->b);
	project_release(&pl->proj);
	memset(pl, 0, sizeof(*pl));
}
