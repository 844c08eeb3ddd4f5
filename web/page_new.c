/* The home page (the studies) and the new study: the territory search
 * (analysis/search.c, as `terrain territory find`), the references
 * pre-filled, the title and author; the study is created as `terrain init`
 * creates it (pipeline/projectfile.c), then run. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/search.h"
#include "../core/project.h"
#include "../core/territory.h"
#include "../core/xalloc.h"
#include "../pipeline/projectfile.h"
#include "../report/typo.h"
#include "html.h"
#include "pages.h"
#include "study.h"

#define SEARCH_SHOWN 20

enum status page_home(struct web_request *rq, struct web_response *rs, struct error *err)
{
	char **ids;
	size_t n;
	enum status st = workspace_list(&rq->app->ws, &ids, &n, err);
	if (st)
		return st;
	struct strbuf *o = &rs->body;
	html_begin(o, rq, html_tr(rq, "Études", "Studies"), "home");
	strbuf_addstr(o, "<h1>");
	html_text(o, html_tr(rq, "Vos études", "Your studies"));
	strbuf_addstr(o, "</h1>\n<p><a class=\"button\" href=\"/new\">");
	html_text(o, html_tr(rq, "Nouvelle étude", "New study"));
	strbuf_addstr(o, "</a></p>\n");
	if (!n) {
		strbuf_addstr(o, "<p class=\"muted\">");
		html_text(o, html_tr(rq, "Aucune étude pour l'instant.", "No study yet."));
		strbuf_addstr(o, "</p>\n");
	} else {
		strbuf_addstr(o, "<ul class=\"studies\">\n");
	}
	struct strbuf path = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct project p = {0};
		struct error e2 = {0};
		workspace_path(&rq->app->ws, ids[i], "terrain.ini", &path);
		bool ok = !project_load(&p, path.buf, &e2);
		strbuf_addstr(o, "<li><a href=\"/study/");
		html_text(o, ids[i]);
		strbuf_addstr(o, "/portrait\">");
		html_text(o, ok && p.title ? p.title : ids[i]);
		strbuf_addstr(o, "</a>");
		if (ok) {
			strbuf_addstr(o, " <span class=\"muted\">");
			html_text(o, p.territory ? p.territory : "");
			if (p.author && *p.author) {
				strbuf_addstr(o, " · ");
				html_text(o, p.author);
			}
			strbuf_addstr(o, "</span>");
			project_release(&p);
		} else {
			strbuf_addstr(o, " <span class=\"muted\">");
			html_text(o, e2.msg);
			strbuf_addstr(o, "</span>");
		}
		strbuf_addstr(o, "</li>\n");
	}
	if (n)
		strbuf_addstr(o, "</ul>\n");
	strbuf_addstr(o, "<p class=\"muted\">");
	html_text(o, html_tr(rq, "Dossier des études : ", "Studies folder: "));
	html_text(o, rq->app->ws.path);
	strbuf_addstr(o, "</p>\n");
	html_end(o, rq);
	strbuf_release(&path);
	workspace_list_free(ids, n);
	return TERRAIN_OK;
}

/* "Roubaix, commune (com:59512), 98 286 hab." */
static void hit_label(struct strbuf *o, const struct search_hit *h, bool en)
{
	/* in English, the note's English words for its kind */
	strbuf_addf(o, "%s, %s (%s)", h->t.name,
		    en ? typo_type_word((int)h->t.type, true) : territory_type_label(h->t.type),
		    h->t.code);
	if (h->former)
		strbuf_addstr(o, en ? ", former commune" : ", ancienne commune");
	if (h->population >= 0) {
		strbuf_addstr(o, ", ");
		typo_number(o, (double)h->population, 0, !en);
		strbuf_addstr(o, en ? " inhabitants" : " hab.");
	}
}

/* Put t first among the n hits of *hits (moved up when it is there). */
static size_t hit_first(struct search_hit **hits, size_t n, const struct territory *t, long pop)
{
	size_t at = n;
	for (size_t i = 0; i < n; i++)
		if (!strcmp((*hits)[i].t.code, t->code))
			at = i;
	struct search_hit h = {*t, SEARCH_EXACT, false, pop};
	if (at == n) {
		*hits = xrealloc(*hits, (n + 1) * sizeof(**hits));
		n++;
	} else {
		h = (*hits)[at];
	}
	memmove(*hits + 1, *hits, at * sizeof(**hits));
	(*hits)[0] = h;
	return n;
}

/* The search of `terrain territory find` (names, ranked as it ranks
 * them); then, first, the territory whose code the text is ("59512",
 * "dep:59"), and the communes a postcode serves ("59100": Roubaix). */
static size_t search(const struct web_request *rq, const char *q, struct search_hit **hits)
{
	const struct geo *g = &rq->app->b.geo;
	struct territory t;
	struct error err = {0};
	const struct geo_postcode *pc;
	web_geo_lock();
	size_t n = search_territories(g, q, SEARCH_ALL_TYPES, hits);
	size_t npc = strlen(q) == 5 ? territory_postcode(g, q, &pc) : 0;
	for (size_t i = npc; i-- > 0;)
		if (!territory_lookup(g, g->com[pc[i].com].code, NULL, 0, &t, &err))
			n = hit_first(hits, n, &t, g->com[pc[i].com].pop[GEO_NCOG - 1]);
	if (!territory_lookup(g, q, NULL, 0, &t, &err))
		n = hit_first(hits, n, &t,
			      t.type == TERRITORY_COM || t.type == TERRITORY_ARM
				  ? g->com[t.index].pop[GEO_NCOG - 1]
				  : -1);
	web_geo_unlock();
	return n;
}

enum status page_search(struct web_request *rq, struct web_response *rs, struct error *err)
{
	const char *q = web_query(rq, "q");
	struct search_hit *hits = NULL;
	size_t n = q && strlen(q) <= 200 ? search(rq, q, &hits) : 0;
	json_t *arr = json_array();
	struct strbuf label = STRBUF_INIT;
	(void)err;
	for (size_t i = 0; i < n && i < SEARCH_SHOWN; i++) {
		strbuf_reset(&label);
		hit_label(&label, &hits[i], rq->en);
		json_array_append_new(
		    arr, json_pack("{s:s,s:s}", "code", hits[i].t.code, "label", label.buf));
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	strbuf_addstr(&rs->body, s ? s : "[]");
	free(s);
	json_decref(arr);
	free(hits);
	strbuf_release(&label);
	rs->content_type = "application/json";
	return TERRAIN_OK;
}

static void text_input(struct strbuf *o, const char *name, const char *label, const char *value,
		       const char *hint)
{
	strbuf_addf(o, "<label for=\"%s\">", name);
	html_text(o, label);
	strbuf_addf(o, "</label>\n<input type=\"text\" id=\"%s\" name=\"%s\" value=\"", name, name);
	html_text(o, value ? value : "");
	strbuf_addstr(o, "\">\n");
	if (hint) {
		strbuf_addstr(o, "<p class=\"muted\">");
		html_text(o, hint);
		strbuf_addstr(o, "</p>\n");
	}
}

/* The study's form for territory t (resolved), with the typed values when
 * a post was refused. */
static void study_form(struct strbuf *o, const struct web_request *rq, const struct territory *t,
		       const char *refs_typed, const char *title, const char *author)
{
	struct territory refs[PROJECT_MAX_REFS];
	web_geo_lock();
	size_t nref = territory_references(&rq->app->b.geo, t, refs);
	web_geo_unlock();
	struct strbuf codes = STRBUF_INIT, names = STRBUF_INIT;
	for (size_t i = 0; i < nref; i++) {
		strbuf_addf(&codes, "%s%s", i ? ", " : "", refs[i].code);
		strbuf_addstr(&names, i ? ", " : ""); /* "zone d'emploi de Roubaix-Tourcoing" */
		typo_territory_name(&refs[i], rq->en, false, &names);
		strbuf_addf(&names, " (%s)", refs[i].code);
	}
	struct strbuf tname = STRBUF_INIT;
	typo_territory_name(t, rq->en, false, &tname);
	if (tname.buf[0] >= 'a' && tname.buf[0] <= 'z') /* a heading: "Zone d'emploi de..." */
		tname.buf[0] = (char)(tname.buf[0] - 'a' + 'A');
	strbuf_addstr(o, "<h2>");
	html_text(o, tname.buf);
	strbuf_release(&tname);
	strbuf_addstr(o, " <span class=\"muted\">");
	html_text(o, t->code);
	strbuf_addstr(o, "</span></h2>\n");
	html_form(o, rq, "/new", NULL);
	strbuf_addstr(o, "<input type=\"hidden\" name=\"territory\" value=\"");
	html_text(o, t->code);
	strbuf_addstr(o, "\">\n");
	struct strbuf hint = STRBUF_INIT;
	strbuf_addstr(&hint, html_tr(rq, "Par défaut : ", "By default: "));
	strbuf_addbuf(&hint, &names);
	text_input(o, "references", html_tr(rq, "Références", "References"),
		   refs_typed ? refs_typed : codes.buf, hint.buf);
	text_input(o, "title", html_tr(rq, "Titre de l'étude", "Title of the study"), title,
		   html_tr(rq, "Laissé vide : « Diagnostic territorial : » et le nom du territoire",
			   "Left empty: \"Diagnostic territorial :\" and the territory's name"));
	text_input(o, "author", html_tr(rq, "Auteur ou autrice", "Author"), author, NULL);
	strbuf_addstr(o, "<p><button type=\"submit\">");
	html_text(o, html_tr(rq, "Créer l'étude", "Create the study"));
	strbuf_addstr(o, "</button></p>\n</form>\n");
	strbuf_release(&hint);
	strbuf_release(&codes);
	strbuf_release(&names);
}

static enum status new_page(struct web_request *rq, struct web_response *rs, const char *msg,
			    struct error *err)
{
	const char *q = web_query(rq, "q");
	const char *code = rq->nform ? web_form(rq, "territory") : web_query(rq, "territory");
	struct strbuf *o = &rs->body;
	html_begin(o, rq, html_tr(rq, "Nouvelle étude", "New study"), "new");
	strbuf_addstr(o, "<h1>");
	html_text(o, html_tr(rq, "Nouvelle étude", "New study"));
	strbuf_addstr(o, "</h1>\n");
	if (msg) {
		strbuf_addstr(o, "<p class=\"message\">");
		html_text(o, msg);
		strbuf_addstr(o, "</p>\n");
	}
	struct territory t;
	struct error e2 = {0};
	enum status st = TERRAIN_ENOTFOUND;
	if (code) {
		web_geo_lock();
		st = territory_lookup(&rq->app->b.geo, code, NULL, 0, &t, &e2);
		web_geo_unlock();
		if (st) {
			strbuf_addstr(o, "<p class=\"message\">");
			html_text(o, e2.msg);
			strbuf_addstr(o, "</p>\n");
		}
	}
	if (!st) {
		study_form(o, rq, &t, web_form(rq, "references"), web_form(rq, "title"),
			   web_form(rq, "author"));
		html_end(o, rq);
		return TERRAIN_OK;
	}
	/* the search: a GET form, the hits as radio buttons choosing the
	 * territory (terrain.js lists them as the name is typed) */
	strbuf_addstr(o, "<form method=\"get\" action=\"/new\">\n<label for=\"q\">");
	html_text(o, html_tr(rq, "Territoire : nom, code INSEE ou code postal",
			     "Territory: name, INSEE code or postcode"));
	strbuf_addstr(o,
		      "</label>\n<input type=\"search\" id=\"q\" name=\"q\" autocomplete=\"off\" "
		      "value=\"");
	html_text(o, q ? q : "");
	strbuf_addstr(o, "\">\n<button type=\"submit\" name=\"go\" value=\"search\">");
	html_text(o, html_tr(rq, "Chercher", "Search"));
	strbuf_addstr(o, "</button>\n</form>\n<form method=\"get\" action=\"/new\">\n"
			 "<ul class=\"hits\" id=\"hits\">\n");
	struct search_hit *hits = NULL;
	size_t n = q && *q && strlen(q) <= 200 ? search(rq, q, &hits) : 0;
	struct strbuf label = STRBUF_INIT;
	for (size_t i = 0; i < n && i < SEARCH_SHOWN; i++) {
		strbuf_reset(&label);
		hit_label(&label, &hits[i], rq->en);
		strbuf_addf(
		    o, "<li><input type=\"radio\" name=\"territory\" id=\"hit%zu\" value=\"", i);
		html_text(o, hits[i].t.code);
		strbuf_addf(o, "\"%s> <label for=\"hit%zu\">", i ? "" : " checked", i);
		html_text(o, label.buf);
		strbuf_addstr(o, "</label></li>\n");
	}
	strbuf_addstr(o, "</ul>\n");
	struct strbuf hint = STRBUF_INIT;
	if (q && *q) {
		web_geo_lock();
		territory_postcode_warning(&rq->app->b.geo, q, &hint);
		web_geo_unlock();
	}
	if (hint.len) {
		/* "59100" is a postcode and an INSEE code: which is which */
		strbuf_addstr(o, "<p class=\"muted\">");
		html_text(o, hint.buf);
		strbuf_addstr(o, "</p>\n");
	}
	strbuf_release(&hint);
	if (q && *q && !n) {
		strbuf_addstr(o, "<p class=\"muted\">");
		html_text(o, html_tr(rq, "Aucun territoire trouvé.", "No territory found."));
		strbuf_addstr(o, "</p>\n");
	}
	strbuf_addstr(o, "<p><button type=\"submit\">");
	html_text(o, html_tr(rq, "Choisir ce territoire", "Choose this territory"));
	strbuf_addstr(o, "</button></p>\n</form>\n");
	strbuf_release(&label);
	free(hits);
	html_end(o, rq);
	(void)err;
	return TERRAIN_OK;
}

enum status page_new(struct web_request *rq, struct web_response *rs, struct error *err)
{
	return new_page(rq, rs, NULL, err);
}

/* The project file of territory t with the references typed (a list of
 * codes): terrain init's, the references line set when they differ from
 * the defaults. */
static enum status study_text(const struct web_request *rq, const struct territory *t,
			      const char *typed, const char *title, const char *author,
			      struct strbuf *text, struct error *err)
{
	struct territory refs[PROJECT_MAX_REFS], mine[PROJECT_MAX_REFS];
	size_t nmine = 0;
	enum status st = TERRAIN_OK;
	web_geo_lock();
	size_t nref = territory_references(&rq->app->b.geo, t, refs);
	struct strbuf word = STRBUF_INIT;
	for (const char *p = typed;; p++) {
		if (*p && *p != ',' && *p != ' ' && *p != ';') {
			strbuf_addch(&word, *p);
			continue;
		}
		if (word.len) {
			if (nmine == PROJECT_MAX_REFS) {
				st = error_set(err, TERRAIN_EUSAGE, "more than %d references",
					       PROJECT_MAX_REFS);
				break;
			}
			if ((st = territory_lookup(&rq->app->b.geo, word.buf, NULL, 0, &mine[nmine],
						   err))) {
				error_prefix(err, "%s", "references: ");
				break;
			}
			nmine++;
			strbuf_reset(&word);
		}
		if (!*p)
			break;
	}
	web_geo_unlock();
	strbuf_release(&word);
	if (st)
		return st;
	projectfile_template(text, &rq->app->b.geo, t, refs, nref, *title ? title : NULL, author);
	bool same = nmine == nref;
	for (size_t i = 0; same && i < nref; i++)
		same = !strcmp(mine[i].code, refs[i].code);
	same |= !nmine; /* left empty: the defaults */
	if (!same) {
		/* the commented defaults' line becomes the chosen references */
		char *line = strstr(text->buf, "\n;references =");
		if (line) {
			char *end = strchr(line + 1, '\n');
			struct strbuf out = STRBUF_INIT;
			strbuf_add(&out, text->buf, (size_t)(line - text->buf) + 1);
			strbuf_addstr(&out, "references =");
			for (size_t i = 0; i < nmine; i++)
				strbuf_addf(&out, "%s %s", i ? "," : "", mine[i].code);
			strbuf_addstr(&out, end ? end : "\n");
			strbuf_swap(&out, text);
			strbuf_release(&out);
		}
	}
	return projectfile_check_readback(text, title, author, NULL, err);
}

enum status page_new_post(struct web_request *rq, struct web_response *rs, struct error *err)
{
	const char *code = web_form(rq, "territory"), *refs = web_form(rq, "references");
	const char *title = web_form(rq, "title"), *author = web_form(rq, "author");
	struct territory t;
	struct strbuf text = STRBUF_INIT, id = STRBUF_INIT;
	enum status st;
	if (!code || !*code)
		return error_set(err, TERRAIN_EUSAGE, "%s",
				 html_tr(rq, "choisissez un territoire", "choose a territory"));
	web_geo_lock();
	st = territory_lookup(&rq->app->b.geo, code, NULL, 0, &t, err);
	web_geo_unlock();
	if (st)
		goto refused;
	if ((st = study_text(rq, &t, refs ? refs : "", title ? title : "", author ? author : "",
			     &text, err)))
		goto refused;
	if ((st = workspace_new_id(&rq->app->ws, title && *title ? title : t.name, &id, err)) ||
	    (st = workspace_create(&rq->app->ws, id.buf, &text, err)))
		goto out;
	/* run at once, so that the portrait is there: a failure's message is
	 * kept for the study's pages (study_run) */
	if ((st = workspace_study_open(&rq->app->ws, id.buf, &rq->study, err)))
		goto out;
	rq->study_id = id.buf;
	study_run(rq, err);
	rq->study_id = NULL;
	st = TERRAIN_OK;
	web_redirect(rs, "/study/%s/portrait", id.buf);
	goto out;
refused:
	/* the form again, with what was typed and the message */
	rs->code = 400;
	st = new_page(rq, rs, err->msg, err);
out:
	strbuf_release(&text);
	strbuf_release(&id);
	return st;
}
