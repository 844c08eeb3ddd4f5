/* The project page: the target public, the offer inventory (imported from
 * the SIAE directory in the store, its capacities editable), the coverage
 * goal, and the budget form with every default shown with its source;
 * then the results of the sizing and the budget stages, scenarios and
 * sensitivity included. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../analysis/budget.h"
#include "../core/fileio.h"
#include "../core/params.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/csvread.h"
#include "../ingest/params.h"
#include "../pipeline/offer_import.h"
#include "../pipeline/studyedit.h"
#include "../report/budget_report.h"
#include "../report/format.h"
#include "html.h"
#include "page_study.h"
#include "study.h"
#include "studyform.h"

/* The [budget] keys that are not by-year parameters, in French and English. */
static const struct {
	const char *key, *fr, *en;
} other_keys[] = {
    {"name", "nom du projet", "name of the project"},
    {"structure", "type de SIAE (ACI, EI, AI, ETTI, EITI)",
     "type of SIAE (ACI, EI, AI, ETTI, EITI)"},
    {"start_year", "première année du budget", "first year of the budget"},
    {"operating", "charges de fonctionnement, « libellé : montant » une par ligne",
     "operating costs, \"label: amount\" one a line"},
    {"public_funds", "autres financements publics, « financeur : montant » un par ligne",
     "other public funds, \"funder: amount\" one a line"},
    {"scenario_occupancy", "scénarios : taux d'occupation", "scenarios: occupancy"},
    {"scenario_aid_change", "scénarios : variation de l'aide au poste",
     "scenarios: change of the aide au poste"},
    {"sensitivity", "sensibilité : variation de chaque hypothèse",
     "sensitivity: change of each assumption"},
};
#define NOTHER (sizeof(other_keys) / sizeof(other_keys[0]))

/* What a default is when the key is left empty: terrain's own, or the
 * parameters table's for the structure and the first year, with its
 * source, in the interface's language. */
static void default_hint(struct strbuf *hint, const struct web_request *rq, size_t k,
			 const struct params *t, const char *structure, int year,
			 const char *table_file)
{
	const struct budget_param_info *pi = &budget_params[k];
	struct budget_input in = {.file = "terrain.ini", .table_file = table_file};
	struct budget_origin o = {0};
	struct error e = {0};
	const char *unit = report_budget_param_unit(k, rq->en);
	if (pi->flags & BUDGET_P_REQUIRED) {
		strbuf_addf(hint, "%s (%s)", html_tr(rq, "obligatoire", "required"), unit);
		return;
	}
	if (pi->flags & BUDGET_P_TABLE) {
		if (!t || params_year(t, pi->key, structure, year, &o.src, &e)) {
			strbuf_addf(hint, "%s (%s)",
				    html_tr(rq,
					    "par défaut : la table des paramètres, selon la "
					    "structure et l'année",
					    "by default: the parameters table, for the structure "
					    "and the year"),
				    unit);
			return;
		}
		o.kind = BUDGET_FROM_TABLE;
		strbuf_addf(hint, "%s %d%s", html_tr(rq, "par défaut en", "by default in"), year,
			    html_tr(rq, " : ", ": "));
		report_budget_origin(hint, &in, &o, rq->en);
		return;
	}
	if (pi->flags & BUDGET_P_TERRAIN) {
		char v[32];
		snprintf(v, sizeof(v), "%g", pi->default_value);
		o.kind = BUDGET_FROM_TERRAIN;
		o.why = pi->why;
		strbuf_addf(hint, "%s %s %s%s", html_tr(rq, "par défaut", "by default"), v, unit,
			    html_tr(rq, " : ", ": "));
		report_budget_origin(hint, &in, &o, rq->en);
		return;
	}
	strbuf_addf(hint, "%s (%s)", html_tr(rq, "facultatif", "optional"), unit);
}

static void fieldset_begin(struct strbuf *o, const char *id, const char *legend)
{
	strbuf_addstr(o, "<fieldset id=\"");
	html_text(o, id);
	strbuf_addstr(o, "\"><legend>");
	html_text(o, legend);
	strbuf_addstr(o, "</legend>\n");
}

static void budget_fields(struct strbuf *o, const struct web_request *rq, const struct inifile *f)
{
	struct strbuf v = STRBUF_INIT, hint = STRBUF_INIT, tpath = STRBUF_INIT;
	struct params t = {0};
	struct error e = {0};
	/* the defaults of the study's structure and first year (an ACI next
	 * year, after $TERRAIN_DATE's when it is set, when the form has neither
	 * yet) */
	char structure[8] = "ACI";
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	int year = tm.tm_year + 1900 + 1, dy, dm, dd;
	if (text_env_day(&dy, &dm, &dd) == 1) /* the outputs' day, when it is fixed */
		year = dy + 1;
	long y;
	if (inifile_get(f, "budget", "structure", &v) && v.len && v.len < sizeof(structure))
		snprintf(structure, sizeof(structure), "%s", v.buf);
	if (inifile_get(f, "budget", "start_year", &v) && text_parse_long(v.buf, 1990, 2100, &y))
		year = (int)y;
	strbuf_addf(&tpath, "%s/params/budget_parameters.csv", rq->app->b.dir);
	bool have_table = !params_load(tpath.buf, &t, &e);
	fieldset_begin(o, "budget", html_tr(rq, "Budget prévisionnel", "Budget forecast"));
	for (size_t i = 0; i < 3; i++)
		studyform_field(o, f, "budget", other_keys[i].key,
				html_tr(rq, other_keys[i].fr, other_keys[i].en), NULL, 1);
	for (size_t k = 0; k < BUDGET_NPARAMS; k++) {
		strbuf_reset(&hint);
		default_hint(&hint, rq, k, have_table ? &t : NULL, structure, year,
			     "params/budget_parameters.csv");
		studyform_field(o, f, "budget", budget_params[k].key,
				report_budget_param_label(k, rq->en), hint.buf, 1);
	}
	for (size_t i = 3; i < NOTHER; i++)
		studyform_field(o, f, "budget", other_keys[i].key,
				html_tr(rq, other_keys[i].fr, other_keys[i].en), NULL,
				i < 5 ? 4 : 1);
	strbuf_addstr(o, "</fieldset>\n");
	if (have_table)
		params_release(&t);
	strbuf_release(&v);
	strbuf_release(&hint);
	strbuf_release(&tpath);
}

/* The inventory with its capacities as a form. */
static void offer_section(struct strbuf *o, const struct web_request *rq, const char *rel)
{
	struct strbuf path = STRBUF_INIT, action = STRBUF_INIT;
	struct csvread *r = NULL;
	struct error err = {0};
	char rev[65];
	strbuf_addstr(o, "<section id=\"offer\">\n<h2>");
	html_text(o, html_tr(rq, "Inventaire de l'offre", "Offer inventory"));
	strbuf_addstr(o, "</h2>\n");
	strbuf_addf(&action, "/study/%s/project/offer-import", rq->study_id);
	html_form(o, rq, action.buf, NULL);
	strbuf_addstr(o, "<button type=\"submit\" id=\"offer-import\">");
	html_text(o, html_tr(rq, "Importer les SIAE de l'annuaire (données récupérées)",
			     "Import the SIAE of the directory (fetched data)"));
	strbuf_addstr(o, "</button>\n<small class=\"hint\">");
	html_text(o, html_tr(rq, "Les capacités déjà saisies sont gardées (terrain offer import).",
			     "The capacities typed in are kept (terrain offer import)."));
	strbuf_addstr(o, "</small></form>\n");
	if (!rel)
		goto out;
	studyform_path(rq, rel, &path);
	const char *const cols[] = {"name", "type", "commune", "places", "etp"};
	size_t idx[5];
	if (csvread_open_table(&r, path.buf, true, cols, 5, idx, &err)) {
		strbuf_addstr(o, "<p class=\"problem\">");
		studyform_text(o, rq, err.msg);
		strbuf_addstr(o, "</p>\n");
		goto out;
	}
	studyform_rev(rq, rel, rev);
	strbuf_reset(&action);
	strbuf_addf(&action, "/study/%s/project/offer", rq->study_id);
	html_form(o, rq, action.buf, NULL);
	strbuf_addstr(o, "<input type=\"hidden\" name=\"rev\" value=\"");
	html_text(o, rev);
	strbuf_addstr(o, "\"><div class=\"table-wrap\"><table><thead><tr><th>");
	html_text(o, html_tr(rq, "structure", "structure"));
	strbuf_addstr(o, "</th><th>type</th><th>commune</th><th>");
	html_text(o, html_tr(rq, "places", "places"));
	strbuf_addstr(o, "</th><th>ETP</th></tr></thead><tbody>\n");
	const struct csvrow *row;
	size_t n = 0;
	while (!csvread_next(r, &row, &err) && row && n < 1000) {
		strbuf_addstr(o, "<tr><td>");
		for (int k = 0; k < 3; k++) {
			html_text(o, idx[k] < row->n ? row->field[idx[k]] : "");
			strbuf_addstr(o, "</td><td>");
		}
		for (int k = 3; k < 5; k++) {
			strbuf_addf(o,
				    "<input type=\"text\" inputmode=\"decimal\" name=\"%s.%zu\" "
				    "value=\"",
				    k == 3 ? "places" : "etp", n);
			html_text(o, idx[k] < row->n ? row->field[idx[k]] : "");
			strbuf_addstr(o, "\">");
			strbuf_addstr(o, k == 3 ? "</td><td>" : "</td>");
		}
		strbuf_addstr(o, "</tr>\n");
		n++;
	}
	strbuf_addstr(o, "</tbody></table></div>\n<button type=\"submit\" id=\"save-offer\">");
	html_text(o, html_tr(rq, "Enregistrer les capacités", "Save the capacities"));
	strbuf_addstr(o, "</button></form>\n");
out:
	strbuf_addstr(o, "</section>\n");
	csvread_free(r);
	strbuf_release(&path);
	strbuf_release(&action);
}

/* budget.csv's rows of one section as a table. */
static void budget_table(struct strbuf *o, const char *csv, size_t len, const char *section,
			 const char *title)
{
	struct strbuf id = STRBUF_INIT;
	strbuf_addf(&id, "budget-%s", section);
	studyform_csv_html(o, "budget.csv", csv, len, 1000, id.buf, section, title);
	strbuf_release(&id);
}

static void figure(struct strbuf *o, const struct web_request *rq, int dir, const char *name,
		   const char *alt)
{
	struct strbuf rel = STRBUF_INIT;
	strbuf_addf(&rel, "charts/%s", name);
	if (!faccessat(dir, rel.buf, R_OK, AT_SYMLINK_NOFOLLOW)) {
		strbuf_addstr(o, "<figure><img src=\"/study/");
		html_text(o, rq->study_id);
		strbuf_addstr(o, "/chart/");
		html_text(o, name);
		strbuf_addstr(o, "\" alt=\"");
		html_text(o, alt);
		strbuf_addstr(o, "\"><figcaption>");
		html_text(o, alt);
		strbuf_addstr(o, "</figcaption></figure>\n");
	}
	strbuf_release(&rel);
}

static void results_section(struct strbuf *o, const struct web_request *rq)
{
	int dir = -1;
	struct strbuf tname = STRBUF_INIT;
	struct error err = {0};
	char *csv = NULL;
	size_t len = 0;
	strbuf_addstr(o, "<section id=\"results\">\n<h2>");
	html_text(o, html_tr(rq, "Résultats", "Results"));
	strbuf_addstr(o, "</h2>\n");
	if (study_outputs(rq, &dir, &tname, &err)) {
		strbuf_addstr(o, "<p>");
		html_text(o, html_tr(rq, "L'étude n'a pas encore été calculée.",
				     "The study has not run yet."));
		strbuf_addstr(o, "</p>\n</section>\n");
		goto out;
	}
	strbuf_addstr(o, "<h3>");
	html_text(o, html_tr(rq, "Public cible et couverture", "Target public and coverage"));
	strbuf_addstr(o, "</h3>\n");
	studyform_csv_table(o, dir, "sizing.csv", 100, "sizing");
	figure(o, rq, dir, "needs_offer.svg", html_tr(rq, "Besoins et offre", "Needs and offer"));
	if (!study_read(dir, "budget.csv", 4u << 20, &csv, &len, &err)) {
		budget_table(o, csv, len, "result",
			     html_tr(rq, "Résultats par année", "Results by year"));
		budget_table(o, csv, len, "charge", html_tr(rq, "Charges", "Charges"));
		budget_table(o, csv, len, "product", html_tr(rq, "Produits", "Products"));
		budget_table(o, csv, len, "scenario", html_tr(rq, "Scénarios", "Scenarios"));
		budget_table(o, csv, len, "sensitivity", html_tr(rq, "Sensibilité", "Sensitivity"));
		budget_table(o, csv, len, "parameter",
			     html_tr(rq, "Hypothèses et leur origine",
				     "Assumptions and where they come from"));
		figure(o, rq, dir, "budget.svg", html_tr(rq, "Budget", "Budget"));
	}
	strbuf_addstr(o, "</section>\n");
out:
	free(csv);
	if (dir >= 0)
		close(dir);
	strbuf_release(&tname);
}

enum status page_project(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct strbuf *o = &rs->body, path = STRBUF_INIT, action = STRBUF_INIT, v = STRBUF_INIT;
	struct inifile f;
	studyform_path(rq, "terrain.ini", &path);
	enum status st = studyedit_read(path.buf, &f, err);
	if (st)
		goto out;
	html_begin(o, rq, html_tr(rq, "Projet", "Project"), "project");
	strbuf_addstr(o, "<h1>");
	html_text(o, html_tr(rq, "Projet d'action", "Action project"));
	strbuf_addstr(o, "</h1>\n");
	studyform_notices(o, rq); /* under the page's title, as on the portrait */
	strbuf_addf(&action, "/study/%s/project", rq->study_id);
	html_form(o, rq, action.buf, NULL);
	fieldset_begin(o, "target", html_tr(rq, "Public cible", "Target public"));
	studyform_field(o, &f, "target", "label", html_tr(rq, "le public", "the public"), NULL, 1);
	studyform_field(o, &f, "target", "base", html_tr(rq, "un effectif", "a count"),
			html_tr(rq,
				"indicator:ID (un effectif du catalogue, ex. "
				"indicator:unemployed_15_64) ou un nombre avec sa source",
				"indicator:ID (a count of the catalogue, e.g. "
				"indicator:unemployed_15_64) or a number with its source"),
			1);
	studyform_field(o, &f, "target", "shares",
			html_tr(rq, "puis des parts, une par ligne", "then shares, one a line"),
			html_tr(rq,
				"survey:VARIABLE=CODE (la part pondérée de l'enquête), "
				"indicator:ID, ou « 0,45 [0,40, 0,50] source »",
				"survey:VARIABLE=CODE (the survey's weighted share), "
				"indicator:ID, or \"0.45 [0.40, 0.50] source\""),
			3);
	strbuf_addstr(o, "</fieldset>\n");
	fieldset_begin(o, "goal", html_tr(rq, "Offre et objectif", "Offer and goal"));
	studyform_field(o, &f, "offer", "goal",
			html_tr(rq, "objectif de couverture", "coverage goal"),
			html_tr(rq,
				"places pour 1 000 personnes du public, avec sa source (« 25 "
				"objectif du PDI »), ou ref:dep:38 (la couverture d'une "
				"référence)",
				"places per 1,000 persons of the public, with its source (\"25 "
				"PDI goal\"), or ref:dep:38 (a reference's coverage)"),
			1);
	studyform_field(o, &f, "offer", "covers",
			html_tr(rq, "références couvertes en entier", "references covered whole"),
			html_tr(rq, "les références dont l'inventaire liste toutes les structures",
				"the references whose every structure the inventory lists"),
			1);
	strbuf_addstr(o, "</fieldset>\n");
	budget_fields(o, rq, &f);
	strbuf_addstr(o, "<button type=\"submit\" id=\"save-project\">");
	html_text(o, html_tr(rq, "Enregistrer et calculer", "Save and compute"));
	strbuf_addstr(o, "</button>\n</form>\n");
	bool has_file =
	    inifile_get(&f, "offer", "file", &v) && v.len && !strchr(v.buf, '/') && v.buf[0] != '.';
	offer_section(o, rq, has_file ? v.buf : NULL);
	results_section(o, rq);
	html_end(o, rq);
out:
	inifile_release(&f);
	strbuf_release(&path);
	strbuf_release(&action);
	strbuf_release(&v);
	return st;
}

enum status page_project_post(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct studyedit_result res;
	struct strbuf page = STRBUF_INIT;
	enum status st = studyform_save(rq, &res, err);
	if (!st) {
		struct error run_err = {0};
		study_run_changed(rq, NULL, &run_err); /* a failure is shown on the page */
		strbuf_addf(&page, "/study/%s/project", rq->study_id);
		studyform_redirect(rs, page.buf, &res);
	}
	studyedit_result_release(&res);
	strbuf_release(&page);
	return st;
}

/* The offer file the study names, or "offre.csv" when it names none (and
 * then [offer] file is set); its path into path. */
static enum status offer_file(struct web_request *rq, struct strbuf *rel, struct strbuf *path,
			      bool *named, struct error *err)
{
	struct strbuf ini = STRBUF_INIT;
	struct inifile f;
	studyform_path(rq, "terrain.ini", &ini);
	enum status st = studyedit_read(ini.buf, &f, err);
	*named = !st && inifile_get(&f, "offer", "file", rel) && rel->len;
	if (!st && *named && (strchr(rel->buf, '/') || rel->buf[0] == '.'))
		st = error_set(err, TERRAIN_EUSAGE, "%s",
			       html_tr(rq,
				       "l'inventaire est hors du dossier de l'étude : modifiez-le "
				       "avec la ligne de commande",
				       "the inventory is outside the study's folder: edit it with "
				       "the command line"));
	if (!st && !*named) {
		strbuf_reset(rel);
		strbuf_addstr(rel, "offre.csv");
	}
	studyform_path(rq, rel->buf, path);
	inifile_release(&f);
	strbuf_release(&ini);
	return st;
}

enum status page_project_offer_import(struct web_request *rq, struct web_response *rs,
				      struct error *err)
{
	struct strbuf rel = STRBUF_INIT, path = STRBUF_INIT, ini = STRBUF_INIT;
	bool named;
	enum status st = offer_file(rq, &rel, &path, &named, err);
	if (st)
		goto out;
	studyform_path(rq, "terrain.ini", &ini);
	web_run_lock();
	st = offer_import_run(ini.buf, rq->app->datadir, NULL, NULL, path.buf, err);
	web_run_unlock();
	if (st)
		goto out;
	if (!named) {
		struct studyedit_field fl = {"offer", "file", NULL, rel.buf};
		struct studyedit_result res;
		st = studyedit_apply(ini.buf, &fl, 1, &res, err);
		studyedit_result_release(&res);
		if (st)
			goto out;
	}
	struct error run_err = {0};
	study_run_changed(rq, NULL, &run_err);
	web_redirect(rs, "/study/%s/project?saved=1#offer", rq->study_id);
out:
	strbuf_release(&rel);
	strbuf_release(&path);
	strbuf_release(&ini);
	return st;
}

enum status page_project_offer(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct strbuf rel = STRBUF_INIT, path = STRBUF_INIT, text = STRBUF_INIT, name = STRBUF_INIT;
	char *data = NULL, *buf = NULL;
	size_t len = 0, blen = 0;
	struct csvread *r = NULL;
	struct csvread_opts opt;
	FILE *fp = NULL;
	bool named;
	char rev[65];
	enum status st = offer_file(rq, &rel, &path, &named, err);
	if (st)
		goto out;
	studyform_rev(rq, rel.buf, rev);
	const char *sent = web_form(rq, "rev");
	if (!named || !sent || strcmp(sent, rev)) {
		st =
		    error_set(err, TERRAIN_EDATA, "%s",
			      html_tr(rq,
				      "l'inventaire a changé depuis l'affichage de la page (un "
				      "autre onglet ?) : rien n'est enregistré ; rechargez la page",
				      "the inventory changed since the page was shown (another "
				      "tab?): nothing was saved; reload the page"));
		goto out;
	}
	if ((st = fileio_read_capped(path.buf, 4u << 20, &data, &len, err)))
		goto out;
	/* the '#' lines before the header stay as they are */
	size_t head = 0;
	while (head < len && data[head] == '#') {
		const char *nl = memchr(data + head, '\n', len - head);
		head = nl ? (size_t)(nl - data) + 1 : len;
	}
	strbuf_add(&text, data, head);
	csvread_opts_init(&opt);
	opt.delim = 0;
	opt.encoding = CSVREAD_AUTO;
	opt.comments = true;
	opt.strict_width = false;
	if ((st = csvread_open_mem(&r, rel.buf, data, len, &opt, err)))
		goto out;
	fp = open_memstream(&buf, &blen);
	if (!fp) {
		st = error_set(err, TERRAIN_EIO, "open_memstream failed");
		goto out;
	}
	const struct csvrow *h = csvread_header(r), *row;
	size_t cp = csvread_column(r, "places"), ce = csvread_column(r, "etp");
	char delim = csvread_delim(r);
	format_csv_row_sep(fp, (const char *const *)h->field, h->n, delim);
	for (size_t n = 0; !(st = csvread_next(r, &row, err)) && row; n++) {
		const char **fields = xcalloc(row->n ? row->n : 1, sizeof(*fields));
		for (size_t i = 0; i < row->n; i++)
			fields[i] = row->field[i];
		const size_t cols[2] = {cp, ce};
		const char *names[2] = {"places", "etp"};
		for (int k = 0; k < 2; k++) {
			strbuf_reset(&name);
			strbuf_addf(&name, "%s.%zu", names[k], n);
			const char *v = web_form(rq, name.buf);
			if (v && cols[k] < row->n)
				fields[cols[k]] = v;
		}
		format_csv_row_sep(fp, fields, row->n, delim);
		free(fields);
	}
	if (st)
		goto out;
	fclose(fp);
	fp = NULL;
	strbuf_add(&text, buf, blen);
	/* written as it is read: the offer stage checks each value and names
	 * its line and column on the page if one is wrong */
	if ((st = fileio_write_atomic(path.buf, text.buf, text.len, err)))
		goto out;
	struct error run_err = {0};
	study_run_changed(rq, NULL, &run_err);
	web_redirect(rs, "/study/%s/project?saved=1#offer", rq->study_id);
out:
	if (fp)
		fclose(fp);
	csvread_free(r);
	free(data);
	free(buf);
	strbuf_release(&rel);
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&name);
	return st;
}

void page_study_routes(struct web_router *r)
{
	web_route(r, "GET", "/study/{id}/survey", page_survey);
	web_route(r, "POST", "/study/{id}/survey/upload", page_survey_upload);
	web_route(r, "POST", "/study/{id}/survey/codebook", page_survey_codebook);
	web_route(r, "POST", "/study/{id}/survey/margins", page_survey_margins);
	web_route(r, "GET", "/study/{id}/project", page_project);
	web_route(r, "POST", "/study/{id}/project", page_project_post);
	web_route(r, "POST", "/study/{id}/project/offer", page_project_offer);
	web_route(r, "POST", "/study/{id}/project/offer-import", page_project_offer_import);
}
