/* The pages' handlers (server.h's web_handler), registered by
 * web/routes.c. */
#ifndef TERRAIN_WEB_PAGES_H
#define TERRAIN_WEB_PAGES_H

#include "server.h"

/* GET /: the studies; "nouvelle étude" */
enum status page_home(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /new (?q=TEXT: the search; ?territory=CODE: the study's form), POST
 * /new: creates the study as `terrain init` does, then runs it */
enum status page_new(struct web_request *rq, struct web_response *rs, struct error *err);
enum status page_new_post(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /search?q=TEXT: the territories found, as JSON [{code, label}] */
enum status page_search(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /study/{id}/portrait; POST /study/{id}/run (then the portrait) */
enum status page_portrait(struct web_request *rq, struct web_response *rs, struct error *err);
enum status page_run(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /study/{id}/note; POST /study/{id}/note: regenerate */
enum status page_note(struct web_request *rq, struct web_response *rs, struct error *err);
enum status page_note_post(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /study/{id}/file/{name}, /study/{id}/chart/{name}: the outputs */
enum status page_file(struct web_request *rq, struct web_response *rs, struct error *err);
enum status page_chart(struct web_request *rq, struct web_response *rs, struct error *err);
enum status page_charts_zip(struct web_request *rq, struct web_response *rs, struct error *err);

#endif
