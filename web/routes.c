/* Every page's route: one line each (server.h). */
#include "html.h"
#include "page_study.h"
#include "pages.h"
#include "server.h"

void web_routes(struct web_router *r)
{
	web_route(r, "GET", "/", page_home);
	web_route(r, "GET", "/static/{name}", html_static);
	web_route(r, "GET", "/lang", html_lang);
	web_route(r, "GET", "/new", page_new);
	web_route(r, "POST", "/new", page_new_post);
	web_route(r, "GET", "/search", page_search);
	web_route(r, "GET", "/study/{id}/portrait", page_portrait);
	web_route(r, "POST", "/study/{id}/run", page_run);
	web_route(r, "GET", "/study/{id}/note", page_note);
	web_route(r, "POST", "/study/{id}/note", page_note_post);
	web_route(r, "GET", "/study/{id}/file/{name}", page_file);
	web_route(r, "GET", "/study/{id}/chart/{name}", page_chart);
	web_route(r, "GET", "/study/{id}/charts.zip", page_charts_zip);
	page_study_routes(r);
}
