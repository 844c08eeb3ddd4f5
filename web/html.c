/* The pages' layout and the static files (html.h). */
#include <string.h>

#include "../report/note.h"
#include "html.h"

#ifndef TERRAIN_VERSION
#define TERRAIN_VERSION "unknown"
#endif

void html_text(struct strbuf *out, const char *s)
{
	note_escape_html(s, out);
}

const char *html_tr(const struct web_request *rq, const char *fr, const char *en)
{
	return rq && rq->en ? en : fr;
}

/* A local path for a query value: every byte but [A-Za-z0-9/._-]
 * percent-encoded. */
static void url_path(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '.' || c == '_' || c == '-')
			strbuf_addch(out, c);
		else
			strbuf_addf(out, "%%%02X", c);
	}
}

static void nav_item(struct strbuf *out, const char *href, const char *label, bool current)
{
	strbuf_addstr(out, "<li><a href=\"");
	html_text(out, href);
	strbuf_addstr(out, current ? "\" aria-current=\"page\">" : "\">");
	html_text(out, label);
	strbuf_addstr(out, "</a></li>");
}

void html_begin(struct strbuf *out, const struct web_request *rq, const char *title,
		const char *active)
{
	static const struct {
		const char *key, *fr, *en;
	} pages[] = {
	    {"portrait", "Portrait", "Portrait"},
	    {"survey", "Enquête", "Survey"},
	    {"project", "Projet", "Project"},
	    {"note", "Note", "Note"},
	};
	const char *act = active ? active : "";
	strbuf_addf(out,
		    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>",
		    rq && rq->en ? "en" : "fr");
	html_text(out, title);
	strbuf_addstr(out, " · terrain</title>\n"
			   "<link rel=\"icon\" href=\"data:,\">\n"
			   "<link rel=\"stylesheet\" href=\"/static/terrain.css\">\n"
			   "<script src=\"/static/terrain.js\" defer></script>\n"
			   "</head>\n<body>\n<header>\n<nav>\n<ul>");
	nav_item(out, "/", html_tr(rq, "Études", "Studies"), !strcmp(act, "home"));
	if (rq && rq->study_id) {
		struct strbuf href = STRBUF_INIT;
		strbuf_addstr(out, "<li class=\"study\">");
		html_text(out, rq->study_id);
		strbuf_addstr(out, "</li>");
		for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
			strbuf_reset(&href);
			strbuf_addf(&href, "/study/%s/%s", rq->study_id, pages[i].key);
			nav_item(out, href.buf, html_tr(rq, pages[i].fr, pages[i].en),
				 !strcmp(act, pages[i].key));
		}
		strbuf_release(&href);
	} else {
		nav_item(out, "/new", html_tr(rq, "Nouvelle étude", "New study"),
			 !strcmp(act, "new"));
	}
	strbuf_addstr(out, "</ul>\n<p class=\"lang\"><a href=\"/lang?to=");
	strbuf_addstr(out, rq && rq->en ? "fr" : "en");
	strbuf_addstr(out, "&amp;back=");
	if (rq && rq->path) {
		struct strbuf b = STRBUF_INIT;
		url_path(&b, rq->path);
		html_text(out, b.buf);
		strbuf_release(&b);
	}
	strbuf_addstr(out, rq && rq->en ? "\" lang=\"fr\">Français" : "\" lang=\"en\">English");
	strbuf_addstr(out, "</a></p>\n</nav>\n</header>\n<main>\n");
}

void html_end(struct strbuf *out, const struct web_request *rq)
{
	strbuf_addstr(out, "</main>\n<footer><p>terrain " TERRAIN_VERSION " · ");
	html_text(out, html_tr(rq,
			       "diagnostic territorial sur les données publiques ; chaque chiffre "
			       "cite sa source",
			       "territorial diagnosis from public data; every figure names its "
			       "source"));
	strbuf_addstr(out, "</p></footer>\n</body>\n</html>\n");
}

void html_form(struct strbuf *out, const struct web_request *rq, const char *action,
	       const char *enctype)
{
	char tok[65];
	web_csrf_token(rq, action, tok);
	strbuf_addstr(out, "<form method=\"post\" action=\"");
	html_text(out, action);
	strbuf_addstr(out, "\"");
	if (enctype) {
		strbuf_addstr(out, " enctype=\"");
		html_text(out, enctype);
		strbuf_addstr(out, "\"");
	}
	strbuf_addf(out, ">\n<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", tok);
}

enum status html_static(struct web_request *rq, struct web_response *rs, struct error *err)
{
	const char *name = web_param(rq, "name");
	const unsigned char *data;
	size_t len;
	if (!strcmp(name, "terrain.css")) {
		data = web_static_terrain_css, len = web_static_terrain_css_len;
		rs->content_type = "text/css; charset=utf-8";
	} else if (!strcmp(name, "terrain.js")) {
		data = web_static_terrain_js, len = web_static_terrain_js_len;
		rs->content_type = "text/javascript; charset=utf-8";
	} else {
		return error_set(err, TERRAIN_ENOTFOUND, "no file %s", name);
	}
	strbuf_add(&rs->body, data, len);
	rs->cache = true;
	return TERRAIN_OK;
}

/* Is back a path of this server ("/x", not "//host" nor "/\host")? */
static bool local_path(const char *back)
{
	if (!back || back[0] != '/' || back[1] == '/' || back[1] == '\\')
		return false;
	for (const char *p = back; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

enum status html_lang(struct web_request *rq, struct web_response *rs, struct error *err)
{
	const char *to = web_query(rq, "to"), *back = web_query(rq, "back");
	(void)err;
	bool en = to && !strcmp(to, "en");
	strbuf_addf(&rs->cookie, "lang=%s; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict",
		    en ? "en" : "fr");
	struct strbuf b = STRBUF_INIT;
	url_path(&b, local_path(back) ? back : "/");
	web_redirect(rs, "%s", b.buf);
	strbuf_release(&b);
	return TERRAIN_OK;
}
