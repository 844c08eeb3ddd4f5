/* terrain run: the project's pipeline.  Today: the portrait of the
 * territory against its references, then the field survey of [survey]. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../analysis/budget.h"
#include "../analysis/portrait.h"
#include "../analysis/sizing.h"
#include "../core/fileio.h"
#include "../core/lock.h"
#include "../core/log.h"
#include "../core/sha256.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "../ingest/budgetcfg.h"
#include "../ingest/fetch.h"
#include "../ingest/geodata.h"
#include "../ingest/params.h"
#include "../ingest/value.h"
#include "../report/budget_report.h"
#include "../report/note.h"
#include "../report/odt.h"
#include "../report/sizing_report.h"
#include "../report/territory_report.h"
#include "../report/typo.h"
#include "../report/xlsx.h"
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
		st = cli_write_output(path.buf, render_one, &r, err);
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

/* note.odt: the note's Markdown for LibreOffice, the charts' PNG inside. */
static enum status write_odt(const char *dir, const char *sfx, bool en, const char *md, size_t len,
			     const struct note_chart *charts, size_t n, struct error *err)
{
	struct odt_image *img = xcalloc(n ? n : 1, sizeof(*img));
	char **names = xcalloc(n ? n : 1, sizeof(*names)),
	     **bytes = xcalloc(n ? n : 1, sizeof(*bytes));
	struct strbuf path = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < n && !st; i++) {
		size_t blen = 0;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/charts%s/", dir, sfx);
		size_t at = path.len;
		strbuf_addf(&path, "%s.png", charts[i].name);
		names[i] = xstrdup(path.buf + at); /* "NAME.png" */
		st = fileio_read_all(path.buf, &bytes[i], &blen, err);
		img[i] = (struct odt_image){names[i], (const unsigned char *)bytes[i], blen};
	}
	/* the package holds the pictures by name: "](charts/x.png)" is "](x.png)" */
	struct strbuf text = STRBUF_INIT, from = STRBUF_INIT;
	strbuf_addf(&from, "](charts%s/", sfx);
	for (const char *p = md, *hit; p < md + len; p = hit + from.len) {
		hit = strstr(p, from.buf);
		if (!hit) {
			strbuf_add(&text, p, (size_t)(md + len - p));
			break;
		}
		strbuf_add(&text, p, (size_t)(hit - p));
		strbuf_addstr(&text, "](");
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/note%s.odt", dir, sfx);
	if (!st)
		st = odt_write(path.buf, text.buf, text.len, en ? "en-GB" : "fr-FR", img, n, err);
	strbuf_release(&text);
	strbuf_release(&from);
	for (size_t i = 0; i < n; i++) {
		free(bytes[i]);
		free(names[i]);
	}
	free(bytes);
	free(img);
	free(names);
	strbuf_release(&path);
	return st;
}

/* A row of the survey's sheet: question, answer, value, bounds (NAN:
 * blank), respondents. */
static void survey_cells(struct xlsx_cell *r, const char *question, const char *answer, double v,
			 double lo, double hi, size_t n, int decimals)
{
	r[0] = (struct xlsx_cell){XLSX_STRING, question, 0, 0};
	r[1] = (struct xlsx_cell){XLSX_STRING, answer, 0, 0};
	r[2] = (struct xlsx_cell){XLSX_NUMBER, NULL, v, decimals};
	r[3] = (struct xlsx_cell){XLSX_NUMBER, NULL, lo, decimals};
	r[4] = (struct xlsx_cell){XLSX_NUMBER, NULL, hi, decimals};
	r[5] = (struct xlsx_cell){XLSX_NUMBER, NULL, (double)n, 0};
}

/* The funding plan as rows of BUDGET_YEARS + 2 cells into cells (NULL: only
 * count them): "Emplois", the charges, their total, "Ressources", the
 * funders, their total, and the balance where the plan is not balanced;
 * head gets the column titles (years: the years' texts).  Returns the rows. */
static size_t budget_plan_cells(const struct budget_plan *p, bool en, struct xlsx_cell *cells,
				const char **head, char years[][8])
{
	const size_t w = BUDGET_YEARS + 2;
	size_t n = 0;
	bool balanced = true;
	for (int c = 0; c < BUDGET_PLAN_COLS; c++)
		balanced = balanced && p->balance[c] == 0;
#define ROW(label, v)                                                                  \
	do {                                                                           \
		if (cells) {                                                           \
			cells[n * w] = (struct xlsx_cell){XLSX_STRING, (label), 0, 0}; \
			for (int c = 0; (v) && c < BUDGET_PLAN_COLS; c++)              \
				cells[n * w + 1 + c] = (struct xlsx_cell){             \
				    XLSX_NUMBER, NULL, (double)(v)[c] / 100, 2};       \
		}                                                                      \
		n++;                                                                   \
	} while (0)
	const long long *none = NULL;
	ROW(en ? "Uses" : "Emplois", none);
	for (size_t k = 0; k < p->ncharge; k++)
		ROW(p->charge[k].label, p->charge[k].v);
	ROW(en ? "Total uses" : "Total des emplois", p->charges);
	ROW(en ? "Resources" : "Ressources", none);
	for (size_t k = 0; k < p->nresource; k++)
		ROW(p->resource[k].label, p->resource[k].v);
	ROW(en ? "Total resources" : "Total des ressources", p->resources);
	if (!balanced)
		ROW(en ? "Balance (resources - uses)" : "Solde (ressources - emplois)", p->balance);
#undef ROW
	head[0] = "EUR";
	for (int y = 0; y < BUDGET_YEARS; y++)
		head[1 + y] = years[y];
	head[BUDGET_YEARS + 1] = "Total";
	return n;
}

/* The charges, one row each: label, the years, the total, the origin. */
static void budget_charges_cells(const struct budget_plan *p, bool en, struct xlsx_cell *cells,
				 const char **head, char years[][8])
{
	const size_t w = BUDGET_YEARS + 3;
	for (size_t k = 0; k < p->ncharge; k++) {
		const struct budget_plan_line *l = &p->charge[k];
		cells[k * w] = (struct xlsx_cell){XLSX_STRING, l->label, 0, 0};
		for (int c = 0; c < BUDGET_PLAN_COLS; c++)
			cells[k * w + 1 + c] =
			    (struct xlsx_cell){XLSX_NUMBER, NULL, (double)l->v[c] / 100, 2};
		cells[k * w + w - 1] = (struct xlsx_cell){XLSX_STRING, l->origin, 0, 0};
	}
	head[0] = "Charge (EUR)";
	for (int y = 0; y < BUDGET_YEARS; y++)
		head[1 + y] = years[y];
	head[BUDGET_YEARS + 1] = "Total";
	head[BUDGET_YEARS + 2] = en ? "Origin" : "Origine";
}

/* tables.xlsx: the note's tables for a spreadsheet: the indicators against
 * the references, the survey's shares, the budget by year, its funding plan
 * and its charges with their origin. */
static enum status write_xlsx(const char *dir, const struct note_input *in, struct error *err)
{
	const struct indicators_table *t = in->ind;
	struct xlsx_sheet sheets[5];
	size_t ns = 0;
	const char **head = xcalloc(t->nt + 3, sizeof(*head));
	struct xlsx_cell *cells = xcalloc((t->nind ? t->nind : 1) * (t->nt + 2), sizeof(*cells));
	size_t rows = 0, w = t->nt + 2;
	head[0] = in->en ? "Indicator" : "Indicateur";
	head[1] = in->en ? "Unit" : "Unité";
	for (size_t k = 0; k < t->nt; k++)
		head[2 + k] = t->t[k].name ? t->t[k].name : t->t[k].code;
	for (size_t i = 0; i < t->nind; i++) {
		const struct indicator_def *d = t->v[0][i].def;
		struct xlsx_cell *r = &cells[rows * w];
		r[0] = (struct xlsx_cell){XLSX_STRING, in->en ? d->label_en : d->label_fr, 0, 0};
		/* the unit's words in the sheet's language, the catalogue's key
		 * for one report/typo.c does not know */
		const char *unit = typo_unit(d->unit, !in->en);
		r[1] = (struct xlsx_cell){XLSX_STRING, unit ? unit : d->unit, 0, 0};
		for (size_t k = 0; k < t->nt; k++)
			r[2 + k] = (struct xlsx_cell){XLSX_NUMBER, NULL, t->v[k][i].value, d->decimals};
		rows++;
	}
	sheets[ns++] = (struct xlsx_sheet){in->en ? "Indicators" : "Indicateurs", head, w, cells,
					   rows};
	/* the survey, question by question: one row per answer (those not
	 * published left out), the mean and the median of a number; a
	 * calibrated question without bounds, as the note shows it */
	static const char *const shead_fr[] = {
	    "Question",	   "Réponse",	  "Part pondérée (%) ou valeur",
	    "Borne basse", "Borne haute", "Répondants"};
	static const char *const shead_en[] = {"Question", "Answer", "Weighted share (%) or value",
					       "Low",	   "High",   "Respondents"};
	struct xlsx_cell *sc = NULL;
	size_t srows = 0;
	if (in->survey && in->survey->nq) {
		size_t cap = 0;
		for (size_t i = 0; i < in->survey->nq; i++)
			cap += in->survey->q[i].nanswer + 2;
		sc = xcalloc(cap * 6, sizeof(*sc));
		for (size_t i = 0; i < in->survey->nq; i++) {
			const struct note_survey_question *q = &in->survey->q[i];
			for (size_t k = 0; k < q->nanswer; k++) {
				const struct note_survey_answer *a = &q->answer[k];
				if (!a->suppressed)
					survey_cells(&sc[6 * srows++], q->label, a->label,
						     100 * a->share,
						     q->calibrated ? NAN : 100 * a->low,
						     q->calibrated ? NAN : 100 * a->high, a->n, 1);
			}
			if (!isnan(q->mean))
				survey_cells(&sc[6 * srows++], q->label,
					     in->en ? "Mean" : "Moyenne", q->mean, q->mean_low,
					     q->mean_high, q->n, 2);
			if (!isnan(q->median))
				survey_cells(&sc[6 * srows++], q->label,
					     in->en ? "Median" : "Médiane", q->median,
					     q->median_low, q->median_high, q->n, 2);
		}
		sheets[ns++] = (struct xlsx_sheet){in->en ? "Field survey" : "Enquête",
						   in->en ? shead_en : shead_fr, 6, sc, srows};
	}
	struct xlsx_cell bc[4 * (BUDGET_YEARS + 2)];
	char years[BUDGET_YEARS][8];
	const char *bhead[BUDGET_YEARS + 2], *phead[BUDGET_YEARS + 2], *dhead[BUDGET_YEARS + 3];
	struct budget_plan plan = {0};
	struct xlsx_cell *pc = NULL, *dc = NULL;
	if (in->budget) {
		static const char *const lab_fr[] = {"Charges", "Produits", "dont financements publics",
						     "Résultat"};
		static const char *const lab_en[] = {"Charges", "Products", "of which public funding",
						     "Balance"};
		bhead[0] = "EUR";
		for (int y = 0; y < BUDGET_YEARS; y++) {
			snprintf(years[y], sizeof(years[y]), "%d", in->budget->y[y].year);
			bhead[1 + y] = years[y];
		}
		bhead[BUDGET_YEARS + 1] = "Total";
		for (int k = 0; k < 4; k++) {
			struct xlsx_cell *r = &bc[k * (BUDGET_YEARS + 2)];
			r[0] = (struct xlsx_cell){XLSX_STRING, in->en ? lab_en[k] : lab_fr[k], 0, 0};
			for (int y = 0; y <= BUDGET_YEARS; y++) {
				const struct budget_year *by =
				    y < BUDGET_YEARS ? &in->budget->y[y] : &in->budget->total;
				long long v = k == 0 ? by->charges
					      : k == 1 ? by->products
					      : k == 2 ? by->public_funding
						       : by->balance;
				r[1 + y] = (struct xlsx_cell){XLSX_NUMBER, NULL, (double)v / 100, 2};
			}
		}
		sheets[ns++] = (struct xlsx_sheet){"Budget", bhead, BUDGET_YEARS + 2, bc, 4};
		report_budget_plan(&plan, in->budget_in, in->budget, in->en);
		size_t np = budget_plan_cells(&plan, in->en, NULL, phead, years);
		pc = xcalloc(np * (BUDGET_YEARS + 2), sizeof(*pc));
		budget_plan_cells(&plan, in->en, pc, phead, years);
		sheets[ns++] = (struct xlsx_sheet){in->en ? "Funding plan" : "Plan de financement",
						   phead, BUDGET_YEARS + 2, pc, np};
		dc = xcalloc(plan.ncharge * (BUDGET_YEARS + 3), sizeof(*dc));
		budget_charges_cells(&plan, in->en, dc, dhead, years);
		sheets[ns++] =
		    (struct xlsx_sheet){in->en ? "Charges in detail" : "Détail des charges", dhead,
					BUDGET_YEARS + 3, dc, plan.ncharge};
	}
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/tables%s.xlsx", dir, in->suffix);
	enum status st = xlsx_write(path.buf, sheets, ns, err);
	strbuf_release(&path);
	report_budget_plan_release(&plan);
	free(pc);
	free(dc);
	free(sc);
	free(cells);
	free(head);
	return st;
}

/* The note: note.md and note.html in dir. */
static enum status write_note(const char *dir, struct note_input *in, struct error *err)
{
	struct strbuf md = STRBUF_INIT, html = STRBUF_INIT, path = STRBUF_INIT, title = STRBUF_INIT;
	struct note_chart *charts = NULL;
	size_t ncharts = 0;
	struct error cerr;
	enum status st;
	/* the charts first; without gnuplot, the note without them */
	if (note_charts(in, dir, &charts, &ncharts, &cerr))
		log_warn("the note has no charts: %s", cerr.msg);
	in->charts = charts;
	in->ncharts = ncharts;
	note_markdown(in, &md);
	strbuf_addf(&path, "%s/note%s.md", dir, in->suffix);
	if ((st = fileio_write_atomic(path.buf, md.buf, md.len, err)))
		goto out;
	note_title(in, &title);
	if ((st = note_html(md.buf, md.len, title.buf, in->en, charts, ncharts, &html, err)))
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/note%s.html", dir, in->suffix);
	if ((st = fileio_write_atomic(path.buf, html.buf, html.len, err)))
		goto out;
	if ((st = write_odt(dir, in->suffix, in->en, md.buf, md.len, charts, ncharts, err)) ||
	    (st = write_xlsx(dir, in, err)))
		goto out;
	log_note("wrote %s/: note%s.md, .html, .odt, tables%s.xlsx", dir, in->suffix, in->suffix);
out:
	note_charts_free(charts, ncharts);
	in->charts = NULL;
	in->ncharts = 0;
	strbuf_release(&md);
	strbuf_release(&html);
	strbuf_release(&path);
	strbuf_release(&title);
	return st;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir (relative names, sorted) with its sha256. */
static void hash_tree(const char *root, const char *rel, json_t *out)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path.buf);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "manifest.json"))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n) /* qsort with NULL is undefined, even for 0 items */
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct strbuf r = STRBUF_INIT, full = STRBUF_INIT;
		struct stat sb;
		strbuf_addf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		strbuf_addf(&full, "%s/%s", root, r.buf);
		if (stat(full.buf, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			hash_tree(root, r.buf, out);
		} else {
			char hex[SHA256_HEX_LEN + 1];
			if (!sha256_file(full.buf, hex, NULL))
				json_object_set_new(out, r.buf, json_string(hex));
		}
		strbuf_release(&r);
		strbuf_release(&full);
		free(names[i]);
	}
	free(names);
	strbuf_release(&path);
}

/* manifest.json: what the outputs were made from (the terrain version, the
 * project file, the bundled files and the inputs it names with their
 * sha256, the data vintages) and the outputs' sha256: the same inputs give
 * the same outputs, and a changed output shows which input moved. */
static enum status write_manifest(const char *dir, const struct project *p,
				  const struct bundle *b, const char *date, struct error *err)
{
	json_t *root = json_object(), *in = json_object(), *vint = json_array(),
	       *outs = json_object();
	char hex[SHA256_HEX_LEN + 1];
	struct strbuf path = STRBUF_INIT;
	json_object_set_new(root, "terrain", json_string(TERRAIN_VERSION));
	json_object_set_new(root, "note_date", json_string(date));
	if (!sha256_file(p->path, hex, NULL))
		json_object_set_new(in, p->path, json_string(hex));
	const struct project_value *named[] = {&p->survey.file, &p->survey.codebook,
					       &p->survey.margins};
	for (size_t i = 0; i < 3; i++) {
		if (!named[i]->text)
			continue;
		strbuf_reset(&path);
		project_path(p, named[i]->text, &path);
		if (!sha256_file(path.buf, hex, NULL))
			json_object_set_new(in, path.buf, json_string(hex));
	}
	for (size_t i = 0; i < p->offer.key.n; i++)
		if (!strcmp(p->offer.key.item[i], "file")) {
			strbuf_reset(&path);
			project_path(p, p->offer.value.item[i], &path);
			if (!sha256_file(path.buf, hex, NULL))
				json_object_set_new(in, path.buf, json_string(hex));
		}
	for (size_t i = 0; i < b->nprov; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", b->dir, b->prov[i].file);
		if (!sha256_file(path.buf, hex, NULL))
			json_object_set_new(in, b->prov[i].file, json_string(hex));
		json_array_append_new(vint, json_pack("{s:s,s:s,s:s}", "file", b->prov[i].file,
						      "vintage", b->prov[i].vintage, "retrieved",
						      b->prov[i].retrieved));
	}
	json_object_set_new(root, "inputs", in);
	json_object_set_new(root, "vintages", vint);
	hash_tree(dir, "", outs);
	json_object_set_new(root, "outputs", outs);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/manifest.json", dir);
	enum status st = fileio_write_atomic(path.buf, text, strlen(text), err);
	free(text);
	json_decref(root);
	strbuf_release(&path);
	return st;
}

/* The note's date: $TERRAIN_DATE (YYYY-MM-DD, for reproducible notes),
 * else today (UTC). */
static void note_date(char *out, size_t cap)
{
	const char *env = getenv("TERRAIN_DATE");
	long days;
	if (env && *env) {
		if (value_parse_iso_day(env, &days)) {
			snprintf(out, cap, "%s", env);
			return;
		}
		log_warn("TERRAIN_DATE \"%s\" is not a day written YYYY-MM-DD: today's date is used",
			 env);
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
		if ((st = cli_write_output(
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
	if ((st = indicators_job_run(&ind, cli, &proj, true, NULL, &b, ts, 1 + nref, err)))
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
		if ((st = cli_write_output(path.buf, render_indicators, &ri, err)))
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
		if ((st = cli_project_size(cli, &proj, &b, sizing, err)) ||
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
	if ((st = write_note(dir.buf, &ni, err)))
		goto out;
	if (report)
		printf("%s/note%s.md\n%s/note%s.html\n", dir.buf, ni.suffix, dir.buf, ni.suffix);
	if ((st = write_manifest(dir.buf, &proj, &b, date, err)))
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
