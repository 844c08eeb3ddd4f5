/* The note's files: note.md, note.html, note.odt and tables.xlsx, and the
 * run's manifest.json (what the outputs were made from). */
#include "noteout.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/sha256.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "budget_report.h"
#include "odt.h"
#include "plan_report.h"
#include "typo.h"
#include "xlsx.h"

#ifndef TERRAIN_VERSION
#define TERRAIN_VERSION "unknown"
#endif

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
	struct xlsx_sheet sheets[5 + PLAN_REPORT_SHEETS];
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
			r[2 + k] =
			    (struct xlsx_cell){XLSX_NUMBER, NULL, t->v[k][i].value, d->decimals};
		rows++;
	}
	sheets[ns++] =
	    (struct xlsx_sheet){in->en ? "Indicators" : "Indicateurs", head, w, cells, rows};
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
		static const char *const lab_fr[] = {"Charges", "Produits",
						     "dont financements publics", "Résultat"};
		static const char *const lab_en[] = {"Charges", "Products",
						     "of which public funding", "Balance"};
		bhead[0] = "EUR";
		for (int y = 0; y < BUDGET_YEARS; y++) {
			snprintf(years[y], sizeof(years[y]), "%d", in->budget->y[y].year);
			bhead[1 + y] = years[y];
		}
		bhead[BUDGET_YEARS + 1] = "Total";
		for (int k = 0; k < 4; k++) {
			struct xlsx_cell *r = &bc[k * (BUDGET_YEARS + 2)];
			r[0] =
			    (struct xlsx_cell){XLSX_STRING, in->en ? lab_en[k] : lab_fr[k], 0, 0};
			for (int y = 0; y <= BUDGET_YEARS; y++) {
				const struct budget_year *by =
				    y < BUDGET_YEARS ? &in->budget->y[y] : &in->budget->total;
				long long v = k == 0   ? by->charges
					      : k == 1 ? by->products
					      : k == 2 ? by->public_funding
						       : by->balance;
				r[1 + y] =
				    (struct xlsx_cell){XLSX_NUMBER, NULL, (double)v / 100, 2};
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
	struct xlsx_cell *plc = NULL; /* the action plan's sheets */
	struct plan_value *plv = NULL;
	if (in->plan)
		ns += report_plan_sheets(in, &sheets[ns], &plc, &plv);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/tables%s.xlsx", dir, in->suffix);
	enum status st = xlsx_write(path.buf, sheets, ns, in->date, err);
	strbuf_release(&path);
	report_budget_plan_release(&plan);
	free(pc);
	free(plc);
	free(plv);
	free(dc);
	free(sc);
	free(cells);
	free(head);
	return st;
}

/* The note: note.md and note.html in dir. */
enum status noteout_write(const char *dir, struct note_input *in, struct error *err)
{
	struct strbuf md = STRBUF_INIT, html = STRBUF_INIT, path = STRBUF_INIT, title = STRBUF_INIT;
	struct note_chart *charts = NULL;
	size_t ncharts = 0;
	struct error cerr;
	enum status st;
	/* the charts first; without gnuplot, the note without them */
	if (note_charts(in, dir, &charts, &ncharts, &cerr))
		log_warn(ncharts ? "the note has its maps but no charts: %s"
				 : "the note has no charts: %s",
			 cerr.msg);
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

/* obj[key] = the sha256 of the file path.  A file that cannot be read is
 * an error: a manifest without it would say less than it seems to. */
static enum status hash_into(json_t *obj, const char *key, const char *path, struct error *err)
{
	char hex[SHA256_HEX_LEN + 1];
	enum status st = sha256_file(path, hex, err);
	if (!st)
		json_object_set_new(obj, key, json_string(hex));
	return st;
}

/* Every regular file under dir (relative names, sorted) with its sha256. */
static enum status hash_tree(const char *root, const char *rel, json_t *out, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path.buf);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	enum status st = TERRAIN_OK;
	if (!d)
		st = error_set(err, TERRAIN_EIO, "%s: cannot list: %s", path.buf, strerror(errno));
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
		if (st)
			; /* the names are freed below */
		else if (stat(full.buf, &sb) == 0 && S_ISDIR(sb.st_mode))
			st = hash_tree(root, r.buf, out, err);
		else
			st = hash_into(out, r.buf, full.buf, err);
		strbuf_release(&r);
		strbuf_release(&full);
		free(names[i]);
	}
	free(names);
	strbuf_release(&path);
	return st;
}

/* manifest.json: what the outputs were made from (the terrain version, the
 * project file, the bundled files (each file of a bundled folder) and the
 * inputs it names with their sha256, the data vintages) and the outputs' sha256: the same inputs
 * give the same outputs, and a changed output shows which input moved. */
enum status noteout_manifest(const char *dir, const struct project *p, const char *datadir,
			     const struct provenance *prov, size_t nprov, const char *date,
			     struct error *err)
{
	json_t *root = json_object(), *in = json_object(), *vint = json_array(),
	       *outs = json_object();
	struct strbuf path = STRBUF_INIT;
	char *text = NULL;
	enum status st;
	json_object_set_new(root, "terrain", json_string(TERRAIN_VERSION));
	json_object_set_new(root, "note_date", json_string(date));
	json_object_set_new(root, "inputs", in);
	json_object_set_new(root, "vintages", vint);
	json_object_set_new(root, "outputs", outs);
	if ((st = hash_into(in, p->path, p->path, err)))
		goto out;
	const struct project_value *named[] = {&p->survey.file, &p->survey.codebook,
					       &p->survey.margins};
	for (size_t i = 0; i < 3; i++) {
		if (!named[i]->text)
			continue;
		strbuf_reset(&path);
		project_path(p, named[i]->text, &path);
		if ((st = hash_into(in, path.buf, path.buf, err)))
			goto out;
	}
	for (size_t i = 0; i < p->offer.key.n; i++)
		if (!strcmp(p->offer.key.item[i], "file")) {
			strbuf_reset(&path);
			project_path(p, p->offer.value.item[i], &path);
			if ((st = hash_into(in, path.buf, path.buf, err)))
				goto out;
		}
	for (size_t i = 0; i < nprov; i++) {
		size_t len = strlen(prov[i].file);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", datadir, prov[i].file);
		if (len && prov[i].file[len - 1] == '/') {
			/* a folder of files (the outlines by département): each */
			strbuf_reset(&path);
			strbuf_add(&path, prov[i].file, len - 1);
			st = hash_tree(datadir, path.buf, in, err);
		} else {
			st = hash_into(in, prov[i].file, path.buf, err);
		}
		if (st)
			goto out;
		json_array_append_new(vint,
				      json_pack("{s:s,s:s,s:s}", "file", prov[i].file, "vintage",
						prov[i].vintage, "retrieved", prov[i].retrieved));
	}
	if ((st = hash_tree(dir, "", outs, err)))
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/manifest.json", dir);
	text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot encode the manifest (out of memory)",
			       path.buf);
		goto out;
	}
	st = fileio_write_atomic(path.buf, text, strlen(text), err);
out:
	free(text);
	json_decref(root);
	strbuf_release(&path);
	return st;
}
