/* The survey and project pages' handlers (server.h's web_handler), and
 * their routes. */
#ifndef TERRAIN_WEB_PAGE_STUDY_H
#define TERRAIN_WEB_PAGE_STUDY_H

#include "server.h"

/* GET /study/{id}/survey: upload, codebook, check, margins, results */
enum status page_survey(struct web_request *rq, struct web_response *rs, struct error *err);
/* POST /study/{id}/survey/upload: the export (field "file") */
enum status page_survey_upload(struct web_request *rq, struct web_response *rs, struct error *err);
/* POST /study/{id}/survey/codebook: the codebook's table */
enum status page_survey_codebook(struct web_request *rq, struct web_response *rs,
				 struct error *err);
/* POST /study/{id}/survey/margins: the margins' table */
enum status page_survey_margins(struct web_request *rq, struct web_response *rs, struct error *err);
/* GET /study/{id}/project: target public, offer, goal, budget, results */
enum status page_project(struct web_request *rq, struct web_response *rs, struct error *err);
/* POST /study/{id}/project: the fields of terrain.ini the page shows */
enum status page_project_post(struct web_request *rq, struct web_response *rs, struct error *err);
/* POST /study/{id}/project/offer: the inventory's capacities;
 * POST /study/{id}/project/offer-import: the SIAE of the store */
enum status page_project_offer(struct web_request *rq, struct web_response *rs, struct error *err);
enum status page_project_offer_import(struct web_request *rq, struct web_response *rs,
				      struct error *err);

/* Register the routes above. */
void page_study_routes(struct web_router *r);

#endif
