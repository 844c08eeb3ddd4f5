/* The portrait page: the territory against its references, its indicators
 * with their gaps, significance and trends, the note's charts and maps,
 * each figure's source beside it; all read from the outputs `terrain run`
 * wrote (references.csv, indicators.json, charts/), never recomputed. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/csvread.h"
#include "../report/typo.h"
#include "html.h"
#include "pages.h"
#include "study.h"

#define OUTPUT_CAP (64u << 20) /* bytes of one output file read for a page */

/* The button that runs the study again, posting to action. */
static void run_button(struct strbuf *o, const struct web_request *rq, const char *what,
		       const char *label)
{
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "/study/%s/%s", rq->study_id, what);
	html_form(o, rq, action.buf, NULL);
	strbuf_addstr(o, "<button type=\"submit\">");
	html_text(o, label);
	strbuf_addstr(o, "</button>\n</form>\n");
	strbuf_release(&action);
}

static const char *name_of(const struct strbuf *names, const char *code, const char *dflt);

/* The references' table, from references.csv: code, name, populations;
 * names: the names of the note (study_names), else the file's. */
static enum status references(struct strbuf *o, const struct web_request *rq, int dir,
			      struct strbuf *names, struct error *err)
{
	char *data;
	size_t len;
	enum status st = study_read(dir, "references.csv", OUTPUT_CAP, &data, &len, err);
	if (st)
		return st;
	struct csvread *r = NULL;
	struct csvread_opts opts;
	csvread_opts_init(&opts);
	opts.delim = ',';
	if ((st = csvread_open_mem(&r, "references.csv", data, len, &opts, err)))
		goto out;
	size_t code = csvread_column(r, "territory"), name = csvread_column(r, "name"),
	       pop = csvread_column(r, "pop_census_2021"),
	       growth = csvread_column(r, "growth_census_2015_2021");
	strbuf_addstr(o, "<div class=\"table-wrap\">\n<table>\n<thead><tr><th>");
	html_text(o, html_tr(rq, "Territoire", "Territory"));
	strbuf_addstr(o, "</th><th>");
	html_text(o, html_tr(rq, "Code", "Code"));
	strbuf_addstr(o, "</th><th>");
	html_text(o, html_tr(rq, "Population 2021", "Population 2021"));
	strbuf_addstr(o, "</th><th>");
	html_text(o, html_tr(rq, "Évolution annuelle 2015-2021", "Annual change 2015-2021"));
	strbuf_addstr(o, "</th></tr></thead>\n<tbody>\n");
	const struct csvrow *row;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *f[4] = {"", "", "", ""};
		size_t col[4] = {code, name, pop, growth};
		for (size_t i = 0; i < 4; i++)
			if (col[i] < row->n)
				f[i] = row->field[col[i]];
		const char *n = name_of(names, f[0], NULL);
		if (!n) { /* the file's name, for the indicators' heads too */
			strbuf_add(names, f[0], strlen(f[0]) + 1);
			strbuf_add(names, f[1], strlen(f[1]) + 1);
			n = f[1];
		}
		strbuf_addstr(o, "<tr><th scope=\"row\">");
		html_text(o, n);
		strbuf_addstr(o, "</th><td>");
		html_text(o, f[0]);
		strbuf_addstr(o, "</td><td class=\"num\">");
		double v;
		if (text_parse_double(f[2], &v))
			typo_number(o, v, 0, !rq->en);
		strbuf_addstr(o, "</td><td class=\"num\">");
		if (text_parse_double(f[3], &v))
			typo_percent(o, v, 2, !rq->en);
		strbuf_addstr(o, "</td></tr>\n");
	}
	strbuf_addstr(o, "</tbody>\n</table>\n</div>\n");
out:
	csvread_free(r);
	free(data);
	return st;
}

/* The name of code in names ("CODE\0NAME\0" pairs), else dflt. */
static const char *name_of(const struct strbuf *names, const char *code, const char *dflt)
{
	for (size_t i = 0; i < names->len;) {
		const char *c = names->buf + i, *n = c + strlen(c) + 1;
		if (!strcmp(c, code))
			return n;
		i = (size_t)(n + strlen(n) + 1 - names->buf);
	}
	return dflt;
}

/* The footnote number of source s (added when new). */
static size_t source_note(json_t *sources, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(sources, i, x) if (!strcmp(json_string_value(x), s)) return i + 1;
	json_array_append_new(sources, json_string(s));
	return json_array_size(sources);
}

/* The indicators' table from indicators.json: a row per indicator, a
 * column per territory; the gap to each reference (points) with its
 * significance, the trend where there is one, the source as a footnote
 * and in the row head's title. */
static enum status indicators(struct strbuf *o, const struct web_request *rq, int dir,
			      const struct strbuf *names, json_t *sources, struct error *err)
{
	char *data;
	size_t len;
	enum status st = study_read(dir, "indicators.json", OUTPUT_CAP, &data, &len, err);
	if (st)
		return st;
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);
	free(data);
	json_t *inds = json_object_get(root, "indicators");
	if (!json_is_array(inds) || !json_array_size(inds)) {
		json_decref(root);
		return error_set(err, TERRAIN_EDATA, "indicators.json:%d:%d: %s", je.line,
				 je.column, root ? "no indicators" : je.text);
	}
	bool fr = !rq->en;
	json_t *first = json_object_get(json_array_get(inds, 0), "values");
	size_t nt = json_array_size(first), i, k;
	json_t *ind, *v;
	/* wider than the page with many references: it scrolls in its frame */
	strbuf_addstr(o,
		      "<div class=\"table-wrap\">\n<table class=\"indicators\">\n<thead><tr><th>");
	html_text(o, html_tr(rq, "Indicateur", "Indicator"));
	strbuf_addstr(o, "</th>");
	json_array_foreach(first, k, v)
	{
		strbuf_addstr(o, "<th>");
		const char *code = json_string_value(json_object_get(v, "territory"));
		html_text(o, code ? name_of(names, code, code) : "");
		strbuf_addstr(o, "</th>");
	}
	strbuf_addstr(o, "</tr></thead>\n<tbody>\n");
	struct strbuf cell = STRBUF_INIT, none = STRBUF_INIT; /* none: escaped */
	json_array_foreach(inds, i, ind)
	{
		/* in the page's language when the file has both (else the run's) */
		const char *lang = rq->en ? "en" : "fr";
		const char *label =
		    json_string_value(json_object_get(json_object_get(ind, "labels"), lang));
		const char *source =
		    json_string_value(json_object_get(json_object_get(ind, "sources"), lang));
		if (!label)
			label = json_string_value(json_object_get(ind, "label"));
		if (!source)
			source = json_string_value(json_object_get(ind, "source"));
		const char *unit = json_string_value(json_object_get(ind, "unit"));
		json_t *vals = json_object_get(ind, "values"),
		       *dec = json_object_get(ind, "decimals");
		if (!label || !unit || json_array_size(vals) != nt)
			continue;
		/* the note's decimals (indicators.json of an older terrain has none) */
		int decimals = json_is_integer(dec) ? (int)json_integer_value(dec)
			       : strcmp(unit, "%")  ? 0
						    : 1;
		bool any = false;
		json_array_foreach(vals, k, v) any |= json_is_number(json_object_get(v, "value"));
		if (!any) {
			/* no value anywhere: named once under the table */
			strbuf_addstr(&none, none.len ? ", " : "");
			html_text(&none, label);
			continue;
		}
		strbuf_addstr(o, "<tr><th scope=\"row\"");
		if (source) {
			strbuf_addstr(o, " title=\"");
			html_text(o, html_tr(rq, "Source : ", "Source: "));
			html_text(o, source);
			strbuf_addstr(o, "\"");
		}
		strbuf_addstr(o, ">");
		html_text(o, label);
		if (strcmp(unit, "%")) {
			strbuf_addstr(o, " <span class=\"muted\">(");
			html_text(o, typo_unit(unit, fr) ? typo_unit(unit, fr) : unit);
			strbuf_addstr(o, ")</span>");
		}
		if (source)
			strbuf_addf(o, "<sup><a href=\"#source-%zu\">%zu</a></sup>",
				    source_note(sources, source), source_note(sources, source));
		strbuf_addstr(o, "</th>");
		json_array_foreach(vals, k, v)
		{
			json_t *x = json_object_get(v, "value"), *gap = json_object_get(v, "gap"),
			       *trend = json_object_get(v, "trend");
			strbuf_reset(&cell);
			strbuf_addstr(o, "<td class=\"num\">");
			if (json_is_number(x)) {
				/* the unit is in the row's head */
				if (!strcmp(unit, "%"))
					typo_percent(&cell, json_number_value(x), decimals, fr);
				else
					typo_number(&cell, json_number_value(x), decimals, fr);
			} else {
				const char *why =
				    json_string_value(json_object_get(v, "unavailable"));
				strbuf_addstr(o, "<span class=\"muted\"");
				if (why) {
					strbuf_addstr(o, " title=\"");
					html_text(o, why);
					strbuf_addstr(o, "\"");
				}
				strbuf_addstr(o, ">");
				strbuf_addstr(&cell, fr ? "n.d." : "n/a");
			}
			html_text(o, cell.buf);
			if (!json_is_number(x))
				strbuf_addstr(o, "</span>");
			if (json_is_object(gap) && json_is_number(json_object_get(gap, "points"))) {
				bool sig = json_is_true(json_object_get(gap, "significant"));
				strbuf_reset(&cell);
				typo_gap(&cell, json_number_value(json_object_get(gap, "points")),
					 unit, decimals, fr);
				strbuf_addf(o, "<br><span class=\"gap %s\" title=\"",
					    sig ? "sig" : "muted");
				html_text(o, sig ? html_tr(rq, "écart significatif (5 %)",
							   "significant gap (5%)")
						 : html_tr(rq, "écart non significatif",
							   "gap not significant"));
				strbuf_addstr(o, "\">");
				html_text(o, cell.buf);
				strbuf_addstr(
				    o, sig ? "\xc2\xa0*</span>"
					   : "</span>"); /* U+00A0: the star keeps to its gap */
			}
			if (json_is_object(trend) &&
			    json_is_number(json_object_get(trend, "slope"))) {
				strbuf_reset(&cell);
				strbuf_addstr(&cell, html_tr(rq, "tendance ", "trend "));
				/* two decimals, as the note's trends */
				typo_gap(&cell, json_number_value(json_object_get(trend, "slope")),
					 unit, 2, fr);
				strbuf_addstr(&cell, html_tr(rq, " par an", " a year"));
				strbuf_addstr(o, "<br><span class=\"muted\">");
				html_text(o, cell.buf);
				strbuf_addstr(o, "</span>");
			}
			strbuf_addstr(o, "</td>");
		}
		strbuf_addstr(o, "</tr>\n");
	}
	strbuf_addstr(o, "</tbody>\n</table>\n</div>\n");
	if (none.len) {
		strbuf_addstr(o, "<p class=\"muted\">");
		html_text(o, html_tr(rq, "Sans donnée pour ces territoires : ",
				     "No data for these territories: "));
		strbuf_addbuf(o, &none);
		strbuf_addstr(o, ".</p>\n");
	}
	strbuf_addstr(o, "<p class=\"muted\">");
	html_text(o,
		  html_tr(rq,
			  "Sous chaque valeur d'une référence : l'écart du territoire à elle (en "
			  "points pour un pourcentage, dans l'unité de l'indicateur sinon) ; * : "
			  "écart significatif au seuil de 5 %.",
			  "Under each reference's value: the territory's gap to it (in points for "
			  "a percentage, in the indicator's unit otherwise); *: significant at the "
			  "5% level."));
	strbuf_addstr(o, "</p>\n");
	strbuf_release(&cell);
	strbuf_release(&none);
	json_decref(root);
	return TERRAIN_OK;
}

/* The text of the first <tag>...</tag> of an SVG, XML entities undone. */
static void svg_text(const char *svg, const char *tag, struct strbuf *out)
{
	char open[16], close[16];
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	const char *a = strstr(svg, open), *b;
	if (!a || !(b = strstr(a, close)))
		return;
	static const struct {
		const char *ent, *ch;
	} ents[] = {{"&lt;", "<"},    {"&gt;", ">"},  {"&amp;", "&"},
		    {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}};
	for (const char *p = a + strlen(open); p < b;) {
		size_t e = 0;
		for (; e < sizeof(ents) / sizeof(*ents); e++)
			if (!strncmp(p, ents[e].ent, strlen(ents[e].ent)))
				break;
		if (e < sizeof(ents) / sizeof(*ents)) {
			strbuf_addstr(out, ents[e].ch);
			p += strlen(ents[e].ent);
		} else {
			strbuf_addch(out, *p++);
		}
	}
}

static int cmp_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	bool mx = !strncmp(x, "map_", 4), my = !strncmp(y, "map_", 4);
	return mx != my ? mx - my : strcmp(x, y);
}

/* Is name a chart's file name ([a-z0-9_]+.svg or .png)? */
bool page_chart_name_ok(const char *name, const char *ext);
bool page_chart_name_ok(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	if (n <= e + 1 || n > 128 || strcmp(name + n - e, ext) || name[n - e - 1] != '.')
		return false;
	for (size_t i = 0; i < n - e - 1; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return false;
	return true;
}

/* The charts and maps (charts/NAME.svg), charts first, each with its title
 * and source (the SVG's <title> and <desc>). */
static void charts(struct strbuf *o, const struct web_request *rq, int dir)
{
	struct error err = {0};
	int cfd = workspace_openat(dir, "charts", O_RDONLY | O_DIRECTORY, &err);
	DIR *d = cfd >= 0 ? fdopendir(cfd) : NULL;
	if (!d) {
		if (cfd >= 0)
			close(cfd);
		return;
	}
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!page_chart_name_ok(e->d_name, "svg"))
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			names = xrealloc(names, alloc * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	struct strbuf title = STRBUF_INIT, source = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *svg;
		size_t len;
		strbuf_reset(&title);
		strbuf_reset(&source);
		if (!study_read(dirfd(d), names[i], OUTPUT_CAP, &svg, &len, &err)) {
			/* the title and source are near the top */
			if (len > 8192)
				svg[8192] = 0;
			svg_text(svg, "title", &title);
			svg_text(svg, "desc", &source);
			free(svg);
		}
		strbuf_addstr(o, "<figure>\n<img src=\"/study/");
		html_text(o, rq->study_id);
		strbuf_addstr(o, "/chart/");
		html_text(o, names[i]);
		strbuf_addstr(o, "\" alt=\"");
		html_text(o, title.buf);
		strbuf_addstr(o, "\" title=\"");
		html_text(o, source.buf);
		strbuf_addstr(o, "\">\n<figcaption>");
		html_text(o, title.buf);
		if (source.len) {
			strbuf_addstr(o, "<br><span class=\"source\">");
			html_text(o, source.buf);
			strbuf_addstr(o, "</span>");
		}
		strbuf_addstr(o, "</figcaption>\n</figure>\n");
		free(names[i]);
	}
	free(names);
	closedir(d);
	strbuf_release(&title);
	strbuf_release(&source);
}

/* The portrait's tables and figures depend on the study's files only: kept
 * for the next requests while the project file, the outputs' folder, its
 * charts/ and the failure's message are unchanged (every output is written
 * to a temporary name and renamed, which changes its folder's time). */
#define CACHE_SLOTS 16
static struct portrait_cache {
	char id[WORKSPACE_ID_MAX + 1];
	bool en;
	char ini[96];  /* the project file's fingerprint: rel and name hold */
	char key[256]; /* ini's and the outputs' fingerprints: html holds */
	char *rel, *name, *html;
} cache[CACHE_SLOTS];
static size_t cache_next;
static pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;

/* "ino:size:mtime;" of name in dirfd (ENOENT: "-;") into out. */
static void fingerprint(int dirfd, const char *name, struct strbuf *out)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		strbuf_addstr(out, "-;");
	else
		strbuf_addf(out, "%lu:%lld:%lld.%09ld;", (unsigned long)st.st_ino,
			    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			    st.st_mtim.tv_nsec);
}

static struct portrait_cache *cache_find(const struct web_request *rq)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].html && cache[i].en == rq->en && !strcmp(cache[i].id, rq->study_id))
			return &cache[i];
	return NULL;
}

/* The tables and figures of the outputs in dir into o; TERRAIN_OK with
 * *complete false when an output is missing or damaged (its message in
 * the page). */
static enum status portrait_body(struct strbuf *o, const struct web_request *rq, int dir,
				 bool *complete, struct error *err)
{
	struct strbuf names = STRBUF_INIT;
	json_t *sources = json_array();
	enum status st;
	*complete = false;
	if (study_names(rq, &names, err)) /* then the names of references.csv */
		error_clear(err);
	strbuf_addstr(o, "<h2>");
	html_text(
	    o, html_tr(rq, "Le territoire et ses références", "The territory and its references"));
	strbuf_addstr(o, "</h2>\n");
	if ((st = references(o, rq, dir, &names, err)))
		goto partial;
	strbuf_addstr(o, "<h2>");
	html_text(o, html_tr(rq, "Indicateurs", "Indicators"));
	strbuf_addstr(o, "</h2>\n");
	if ((st = indicators(o, rq, dir, &names, sources, err)))
		goto partial;
	strbuf_addstr(o, "<h2>");
	html_text(o, html_tr(rq, "Graphiques et cartes", "Charts and maps"));
	strbuf_addstr(o, "</h2>\n");
	charts(o, rq, dir);
	strbuf_addstr(o, "<h2>");
	html_text(o, html_tr(rq, "Sources", "Sources"));
	strbuf_addstr(o, "</h2>\n<ol class=\"sources\">\n");
	size_t i;
	json_t *x;
	json_array_foreach(sources, i, x)
	{
		strbuf_addf(o, "<li id=\"source-%zu\">", i + 1);
		html_text(o, json_string_value(x));
		strbuf_addstr(o, "</li>\n");
	}
	strbuf_addstr(o, "</ol>\n");
	*complete = true;
	goto out;
partial:
	/* an output missing or damaged: its message, and the way to remake it */
	strbuf_addstr(o, "<p class=\"message\">");
	html_text(o, err->msg);
	strbuf_addstr(o, "</p>\n");
	error_clear(err);
out:
	json_decref(sources);
	strbuf_release(&names);
	return TERRAIN_OK;
}

enum status page_portrait(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct strbuf *o = &rs->body, name = STRBUF_INIT, rel = STRBUF_INIT, ini = STRBUF_INIT,
		      key = STRBUF_INIT, body = STRBUF_INIT;
	int dir = -1;
	enum status st = TERRAIN_OK;
	bool cached = false, complete = false;
	fingerprint(rq->study, "terrain.ini", &ini);
	fingerprint(rq->study, STUDY_FAILED, &ini);
	pthread_mutex_lock(&cache_mutex);
	struct portrait_cache *c = cache_find(rq);
	if (c && !strcmp(c->ini, ini.buf)) {
		strbuf_addstr(&rel, c->rel);
		strbuf_addstr(&name, c->name);
	}
	pthread_mutex_unlock(&cache_mutex);
	if (!rel.len && (st = study_outputs_path(rq, &rel, &name, err)))
		goto out;
	dir = workspace_openat(rq->study, rel.buf, O_RDONLY | O_DIRECTORY, err);
	if (dir < 0 && err->status != TERRAIN_ENOTFOUND) {
		st = err->status;
		goto out;
	}
	error_clear(err);
	html_begin(o, rq, name.buf, "portrait");
	strbuf_addstr(o, "<h1>");
	html_text(o, html_tr(rq, "Portrait : ", "Portrait: "));
	html_text(o, name.buf);
	strbuf_addstr(o, "</h1>\n");
	study_failure_note(o, rq);
	if (dir < 0) {
		/* not run yet, or its territory's folder is missing */
		strbuf_addstr(o, "<p>");
		html_text(o, html_tr(rq, "Cette étude n'a pas encore de résultats.",
				     "This study has no results yet."));
		strbuf_addstr(o, "</p>\n");
		run_button(o, rq, "run", html_tr(rq, "Lancer l'étude", "Run the study"));
		html_end(o, rq);
		goto out;
	}
	strbuf_addbuf(&key, &ini);
	fingerprint(dir, ".", &key);
	fingerprint(dir, "charts", &key);
	pthread_mutex_lock(&cache_mutex);
	c = cache_find(rq);
	if (c && !strcmp(c->key, key.buf)) {
		strbuf_addstr(&body, c->html);
		cached = true;
	}
	pthread_mutex_unlock(&cache_mutex);
	if (!cached && !(st = portrait_body(&body, rq, dir, &complete, err)) && complete &&
	    key.len < sizeof(c->key) && ini.len < sizeof(c->ini)) {
		pthread_mutex_lock(&cache_mutex);
		if (!(c = cache_find(rq)))
			c = &cache[cache_next++ % CACHE_SLOTS];
		free(c->rel);
		free(c->name);
		free(c->html);
		snprintf(c->id, sizeof(c->id), "%s", rq->study_id);
		c->en = rq->en;
		memcpy(c->ini, ini.buf, ini.len + 1);
		memcpy(c->key, key.buf, key.len + 1);
		c->rel = xstrdup(rel.buf);
		c->name = xstrdup(name.buf);
		c->html = xstrdup(body.buf);
		pthread_mutex_unlock(&cache_mutex);
	}
	strbuf_addbuf(o, &body);
	run_button(o, rq, "run", html_tr(rq, "Relancer l'étude", "Run the study again"));
	html_end(o, rq);
out:
	if (dir >= 0)
		close(dir);
	strbuf_release(&name);
	strbuf_release(&rel);
	strbuf_release(&ini);
	strbuf_release(&key);
	strbuf_release(&body);
	return st;
}

enum status page_run(struct web_request *rq, struct web_response *rs, struct error *err)
{
	study_run(rq, err); /* its failure is shown by the page */
	error_clear(err);
	web_redirect(rs, "/study/%s/portrait", rq->study_id);
	return TERRAIN_OK;
}
