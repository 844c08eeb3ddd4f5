/* A study's files as the pages see them: its project file, its outputs'
 * folder, a run of its pipeline (pipeline/: the same stages as `terrain
 * run`), and the message of a run that failed.  Every function works on
 * rq->study, the study validated by the server. */
#ifndef TERRAIN_WEB_STUDY_H
#define TERRAIN_WEB_STUDY_H

#include "../core/error.h"
#include "../core/project.h"
#include "../core/strbuf.h"
#include "server.h"

/* The file keeping the message of the last run that failed, in the study's
 * folder (removed by a run that succeeds). */
#define STUDY_FAILED ".terrain-serve-failed"

/* Load the study's terrain.ini into p (release with project_release). */
enum status study_project(const struct web_request *rq, struct project *p, struct error *err);

/* Open the study's outputs' folder (the project's output, inside the
 * study, then the territory's folder, as `terrain run` names it):
 * TERRAIN_ENOTFOUND when the study has not run yet, TERRAIN_EDATA when its
 * output is not a folder inside the study.  *fd to close.  title (may be
 * NULL) gets the territory's name. */
/* The study's territory and its references as the note names them
 * (typo_territory_name: "zone d'emploi de Roubaix-Tourcoing"), in the
 * page's language, appended to names as NUL-terminated pairs "CODE\0NAME\0";
 * study_outputs_path's errors. */
enum status study_names(const struct web_request *rq, struct strbuf *names, struct error *err);

enum status study_outputs(const struct web_request *rq, int *fd, struct strbuf *name,
			  struct error *err);

/* The outputs' folder's path relative to the study folder into rel
 * ("out/com_59512"), and the territory's name into name (may be NULL),
 * with the same errors. */
enum status study_outputs_path(const struct web_request *rq, struct strbuf *rel,
			       struct strbuf *name, struct error *err);

/* Run the study's whole pipeline as `terrain run -c STUDY/terrain.ini`
 * does (one run at a time in the server).  A failure's message is kept in
 * STUDY_FAILED and returned; the outputs of the stages that ran before are
 * kept (each file is written whole or not at all). */
enum status study_run(struct web_request *rq, struct error *err);

/* The same with only the stages whose inputs changed since the last such
 * run (pipeline/stages.h): what a saved form runs.  rep may be NULL. */
struct stages_report;
enum status study_run_changed(struct web_request *rq, struct stages_report *rep, struct error *err);

/* The message of the last failed run into out (empty when none). */
void study_failure(const struct web_request *rq, struct strbuf *out);

/* That message, when there is one, as a paragraph of a page. */
void study_failure_note(struct strbuf *o, const struct web_request *rq);

/* Read the file name of folder dirfd (no symbolic link) whole, at most cap
 * bytes: *data owned (free()), NUL-terminated. */
enum status study_read(int dirfd, const char *name, size_t cap, char **data, size_t *len,
		       struct error *err);

#endif
