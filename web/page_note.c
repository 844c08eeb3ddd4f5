/* The note page: the note as `terrain run` wrote it (note.html in a
 * sandboxed frame), "regenerate" (the study's pipeline again), and the
 * downloads: the note in Markdown, HTML and ODT, the workbook, the charts,
 * the manifest and the result tables.  The files are sent as they are on
 * disk: the same bytes as the command line's. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../core/xalloc.h"
#include "html.h"
#include "pages.h"
#include "study.h"

bool page_chart_name_ok(const char *name, const char *ext);

static const struct {
	const char *ext, *type;
	bool inline_ok;
} kinds[] = {
    {"md", "text/markdown; charset=utf-8", false},
    {"html", "text/html; charset=utf-8", true},
    {"odt", "application/vnd.oasis.opendocument.text", false},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
    {"json", "application/json", false},
    {"csv", "text/csv; charset=utf-8", false},
};
#define NKINDS (sizeof(kinds) / sizeof(*kinds))

/* The kind of an output's name ([a-z0-9_]+, optionally .en or .fr, then a
 * known extension), or NKINDS. */
static size_t output_kind(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t base = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (!dot || !base || strlen(name) > 128)
		return NKINDS;
	const char *rest = name + base;
	if (!strncmp(rest, ".en.", 4) || !strncmp(rest, ".fr.", 4))
		rest += 3;
	if (rest != dot)
		return NKINDS;
	for (size_t k = 0; k < NKINDS; k++)
		if (!strcmp(dot + 1, kinds[k].ext))
			return k;
	return NKINDS;
}

static int cmp_output(const void *a, const void *b)
{
	/* the note's files first, then the others by name */
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	bool nx = !strncmp(x, "note", 4), ny = !strncmp(y, "note", 4);
	return nx != ny ? ny - nx : strcmp(x, y);
}

/* What a download is, in a few words for whoever does not know the
 * extensions; NULL for a file without words here. */
static const char *file_about(const char *name, bool en)
{
	static const char *const about[][3] = {
	    {"note.html", "la note, à ouvrir dans un navigateur", "the note, for a browser"},
	    {"note.md", "la note en texte brut (Markdown)", "the note as plain text (Markdown)"},
	    {"note.odt", "la note à retoucher dans LibreOffice ou Word",
	     "the note to edit in LibreOffice or Word"},
	    {"tables.xlsx", "les tableaux, pour un tableur", "the tables, for a spreadsheet"},
	    {"indicators.csv", "les indicateurs, pour un tableur",
	     "the indicators, for a spreadsheet"},
	    {"indicators.json", "les indicateurs, pour un programme",
	     "the indicators, for a program"},
	    {"portrait.csv", "le territoire, ses rattachements et sa population, pour un tableur",
	     "the territory, the areas it belongs to and its population, for a spreadsheet"},
	    {"portrait.json", "le territoire et sa population, pour un programme",
	     "the territory and its population, for a program"},
	    {"references.csv", "les territoires de référence, pour un tableur",
	     "the reference territories, for a spreadsheet"},
	    {"manifest.json", "la liste des fichiers produits et de leurs sources",
	     "the list of the files made and of their sources"},
	};
	for (size_t i = 0; i < sizeof(about) / sizeof(*about); i++)
		if (!strcmp(name, about[i][0]))
			return about[i][en ? 2 : 1];
	return NULL;
}

/* The outputs' file names (regular files of a known kind), sorted. */
static void list_outputs(int dir, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	size_t alloc = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d))) {
		if (output_kind(e->d_name) == NKINDS ||
		    fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			*names = xrealloc(*names, alloc * sizeof(**names));
		}
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_output);
}

enum status page_note(struct web_request *rq, struct web_response *rs, struct error *err)
{
	struct strbuf *o = &rs->body, name = STRBUF_INIT, action = STRBUF_INIT;
	int dir = -1;
	char **files = NULL;
	size_t n = 0;
	enum status st = study_outputs(rq, &dir, &name, err);
	if (st && st != TERRAIN_ENOTFOUND)
		goto out;
	html_begin(o, rq, html_tr(rq, "Note", "Note"), "note");
	strbuf_addstr(o, "<h1>");
	html_text(o, html_tr(rq, "Note de synthèse : ", "Synthesis note: "));
	html_text(o, name.len ? name.buf : rq->study_id);
	strbuf_addstr(o, "</h1>\n");
	study_failure_note(o, rq);
	strbuf_addf(&action, "/study/%s/note", rq->study_id);
	html_form(o, rq, action.buf, NULL);
	strbuf_addstr(o, "<button type=\"submit\">");
	html_text(o, html_tr(rq, "Régénérer la note", "Regenerate the note"));
	strbuf_addstr(o, "</button>\n</form>\n");
	if (dir >= 0)
		list_outputs(dir, &files, &n);
	const char *note_html = NULL;
	for (size_t i = 0; i < n && !note_html; i++)
		if (!strncmp(files[i], "note", 4) && output_kind(files[i]) == 1)
			note_html = files[i];
	if (!n) {
		strbuf_addstr(o, "<p>");
		html_text(o, html_tr(rq, "Pas encore de note : régénérez-la.",
				     "No note yet: regenerate it."));
		strbuf_addstr(o, "</p>\n");
	} else {
		strbuf_addstr(o, "<h2>");
		html_text(o, html_tr(rq, "Téléchargements", "Downloads"));
		strbuf_addstr(o, "</h2>\n<ul class=\"downloads\">\n");
		for (size_t i = 0; i < n; i++) {
			strbuf_addstr(o, "<li><a href=\"/study/");
			html_text(o, rq->study_id);
			strbuf_addstr(o, "/file/");
			html_text(o, files[i]);
			strbuf_addstr(o, "?download=1\" download>");
			html_text(o, files[i]);
			strbuf_addstr(o, "</a>");
			const char *about = file_about(files[i], rq->en);
			if (about) {
				strbuf_addstr(o, " <span class=\"muted\">(");
				html_text(o, about);
				strbuf_addstr(o, ")</span>");
			}
			strbuf_addstr(o, "</li>\n");
		}
		strbuf_addstr(o, "<li><a href=\"/study/");
		html_text(o, rq->study_id);
		strbuf_addstr(o, "/charts.zip\" download>charts.zip</a> <span class=\"muted\">");
		html_text(o, html_tr(rq, "(les graphiques et cartes, SVG et PNG)",
				     "(the charts and maps, SVG and PNG)"));
		strbuf_addstr(o, "</span></li>\n</ul>\n");
	}
	if (note_html) {
		strbuf_addstr(o, "<h2>");
		html_text(o, html_tr(rq, "Aperçu", "Preview"));
		strbuf_addstr(o, "</h2>\n<iframe class=\"note\" sandbox src=\"/study/");
		html_text(o, rq->study_id);
		strbuf_addstr(o, "/file/");
		html_text(o, note_html);
		strbuf_addstr(o, "\" title=\"");
		html_text(o, note_html);
		strbuf_addstr(o, "\"></iframe>\n");
	}
	html_end(o, rq);
	st = TERRAIN_OK;
out:
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	if (dir >= 0)
		close(dir);
	strbuf_release(&name);
	strbuf_release(&action);
	return st;
}

enum status page_note_post(struct web_request *rq, struct web_response *rs, struct error *err)
{
	study_run(rq, err); /* a failure's message is shown by the page */
	error_clear(err);
	web_redirect(rs, "/study/%s/note", rq->study_id);
	return TERRAIN_OK;
}

enum status page_file(struct web_request *rq, struct web_response *rs, struct error *err)
{
	const char *name = web_param(rq, "name");
	size_t k = output_kind(name);
	if (k == NKINDS)
		return error_set(err, TERRAIN_ENOTFOUND, "no output \"%.80s\"", name);
	int dir;
	enum status st = study_outputs(rq, &dir, NULL, err);
	if (st)
		return st;
	bool download = web_query(rq, "download") || !kinds[k].inline_ok;
	st = web_send_file(rs, dir, name, kinds[k].type, download ? name : NULL, err);
	rs->sandbox = true;
	close(dir);
	return st;
}

/* The outputs' charts/ folder, or -1 with err set. */
static int charts_dir(const struct web_request *rq, struct error *err)
{
	int dir;
	if (study_outputs(rq, &dir, NULL, err))
		return -1;
	int cdir = workspace_openat(dir, "charts", O_RDONLY | O_DIRECTORY, err);
	close(dir);
	return cdir;
}

enum status page_chart(struct web_request *rq, struct web_response *rs, struct error *err)
{
	const char *name = web_param(rq, "name");
	bool svg = page_chart_name_ok(name, "svg");
	if (!svg && !page_chart_name_ok(name, "png"))
		return error_set(err, TERRAIN_ENOTFOUND, "no chart \"%.80s\"", name);
	int cdir = charts_dir(rq, err);
	if (cdir < 0)
		return err->status;
	enum status st = web_send_file(rs, cdir, name, svg ? "image/svg+xml" : "image/png",
				       web_query(rq, "download") ? name : NULL, err);
	rs->sandbox = true;
	close(cdir);
	return st;
}

enum status page_charts_zip(struct web_request *rq, struct web_response *rs, struct error *err)
{
	enum status st = TERRAIN_OK;
	int cdir = charts_dir(rq, err);
	if (cdir < 0)
		return err->status;
	DIR *d = fdopendir(cdir);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = d ? zip_source_buffer_create(NULL, 0, 0, &ze) : NULL;
	zip_t *za = NULL;
	if (src) {
		zip_source_keep(src);
		za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	}
	if (!za) {
		st = error_set(err, TERRAIN_EIO, "cannot make charts.zip: %s",
			       zip_error_strerror(&ze));
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!page_chart_name_ok(e->d_name, "svg") && !page_chart_name_ok(e->d_name, "png"))
			continue;
		char *data;
		size_t len;
		if ((st = study_read(cdir, e->d_name, 64u << 20, &data, &len, err)))
			goto out;
		zip_source_t *fs = zip_source_buffer(za, data, len, 1);
		if (!fs || zip_file_add(za, e->d_name, fs, ZIP_FL_ENC_UTF_8) < 0) {
			if (fs)
				zip_source_free(fs);
			else
				free(data);
			st = error_set(err, TERRAIN_EIO, "cannot make charts.zip: %s",
				       zip_strerror(za));
			goto out;
		}
	}
	if (zip_close(za) != 0) {
		st = error_set(err, TERRAIN_EIO, "cannot make charts.zip: %s", zip_strerror(za));
		zip_discard(za);
		za = NULL;
		goto out;
	}
	za = NULL;
	zip_stat_t zs;
	if (zip_source_open(src) != 0 || zip_source_stat(src, &zs) != 0) {
		st = error_set(err, TERRAIN_EIO, "cannot make charts.zip");
		goto out;
	}
	strbuf_grow(&rs->body, (size_t)zs.size);
	char buf[65536];
	zip_int64_t got;
	while ((got = zip_source_read(src, buf, sizeof(buf))) > 0)
		strbuf_add(&rs->body, buf, (size_t)got);
	zip_source_close(src);
	rs->content_type = "application/zip";
	strbuf_addstr(&rs->disposition, "attachment; filename=\"charts.zip\"");
out:
	if (za)
		zip_discard(za);
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	if (d)
		closedir(d);
	else
		close(cdir);
	return st;
}
