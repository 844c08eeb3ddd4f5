/* The pages' layout: header, the navigation of the study's pages, the
 * language switch, footer; the one stylesheet and the one script
 * (web/static/, compiled into the program); every text through the
 * project's one HTML escaping (note_escape_html). */
#ifndef TERRAIN_WEB_HTML_H
#define TERRAIN_WEB_HTML_H

#include <stddef.h>

#include "../core/strbuf.h"
#include "server.h"

/* The page's beginning up to the opening of <main>: title is plain text;
 * active is the navigation's current entry ("home", "new", "portrait",
 * "survey", "project", "note") or NULL. */
void html_begin(struct strbuf *out, const struct web_request *rq, const char *title,
		const char *active);
/* The end of <main>, the footer and the script. */
void html_end(struct strbuf *out, const struct web_request *rq);

/* s escaped (& < > " ' as entities), appended to out. */
void html_text(struct strbuf *out, const char *s);

/* fr or en, as the interface's language (both static strings). */
const char *html_tr(const struct web_request *rq, const char *fr, const char *en);

/* <form method="post" action="ACTION"> and its hidden CSRF field; action
 * is a local path (escaped here).  enctype: NULL or "multipart/form-data". */
void html_form(struct strbuf *out, const struct web_request *rq, const char *action,
	       const char *enctype);

/* The stylesheet and the script: GET /static/terrain.css, /static/terrain.js. */
enum status html_static(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /lang?to=en&back=/path: the interface's language, then back. */
enum status html_lang(struct web_request *rq, struct web_response *rs, struct error *err);

/* The embedded files (generated from web/static/ by web/embed.sh). */
extern const unsigned char web_static_terrain_css[], web_static_terrain_js[];
extern const size_t web_static_terrain_css_len, web_static_terrain_js_len;

#endif
