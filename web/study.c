/* A study's project, outputs and runs (study.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/xalloc.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/stages.h"
#include "../report/typo.h"
#include "html.h"
#include "study.h"
#include "studyform.h"

enum status study_project(const struct web_request *rq, struct project *p, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	workspace_path(&rq->app->ws, rq->study_id, "terrain.ini", &path);
	enum status st = project_load(p, path.buf, err);
	strbuf_release(&path);
	return st;
}

enum status study_outputs_path(const struct web_request *rq, struct strbuf *rel,
			       struct strbuf *name, struct error *err)
{
	struct project p = {0};
	struct territory t, refs[PROJECT_MAX_REFS];
	size_t nref;
	enum status st;
	if ((st = study_project(rq, &p, err)))
		return st;
	web_geo_lock();
	st = project_resolve(&p, &rq->app->b.geo, &t, refs, &nref, err);
	web_geo_unlock();
	if (st)
		goto out;
	if (name) /* as the note names it: "zone d'emploi de Roubaix-Tourcoing" */
		typo_territory_name(&t, rq->en, false, name);
	if (p.output[0] == '/' || strstr(p.output, "..")) {
		st = error_set(err, TERRAIN_EDATA,
			       "the outputs' folder \"%s\" is outside the study: terrain serve "
			       "shows a study's outputs only inside its folder",
			       p.output);
		goto out;
	}
	strbuf_addf(rel, "%s/", p.output);
	for (const char *s = t.code; *s; s++)
		strbuf_addch(rel, *s == ':' ? '_' : *s);
out:
	project_release(&p);
	return st;
}

enum status study_names(const struct web_request *rq, struct strbuf *names, struct error *err)
{
	struct project p = {0};
	struct territory t[PROJECT_MAX_REFS + 1];
	size_t nref;
	enum status st;
	if ((st = study_project(rq, &p, err)))
		return st;
	web_geo_lock();
	st = project_resolve(&p, &rq->app->b.geo, &t[0], t + 1, &nref, err);
	web_geo_unlock();
	for (size_t i = 0; !st && i <= nref; i++) {
		strbuf_add(names, t[i].code, strlen(t[i].code) + 1);
		size_t at = names->len;
		typo_territory_name(&t[i], rq->en, false, names);
		/* a cell's first word, as the note's column heads: "Zone d'emploi de..." */
		if (names->buf[at] >= 'a' && names->buf[at] <= 'z')
			names->buf[at] = (char)(names->buf[at] - 'a' + 'A');
		strbuf_addch(names, 0);
	}
	project_release(&p);
	return st;
}

enum status study_outputs(const struct web_request *rq, int *fd, struct strbuf *name,
			  struct error *err)
{
	struct strbuf rel = STRBUF_INIT;
	enum status st = study_outputs_path(rq, &rel, name, err);
	*fd = -1;
	if (!st) {
		*fd = workspace_openat(rq->study, rel.buf, O_RDONLY | O_DIRECTORY, err);
		st = *fd < 0 ? err->status : TERRAIN_OK;
	}
	strbuf_release(&rel);
	return st;
}

enum status study_read(int dirfd, const char *name, size_t cap, char **data, size_t *len,
		       struct error *err)
{
	*data = NULL;
	*len = 0;
	int fd = workspace_openat(dirfd, name, O_RDONLY, err);
	if (fd < 0)
		return err->status;
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	enum status st = TERRAIN_OK;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = error_set(err, TERRAIN_EIO, "%s: cannot read: %s", name,
				       strerror(errno));
			break;
		}
		if (!n)
			break;
		if (sb.len + (size_t)n > cap) {
			st = error_set(err, TERRAIN_EDATA, "%s: larger than %zu bytes", name, cap);
			break;
		}
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	if (st) {
		strbuf_release(&sb);
		return st;
	}
	*len = sb.len;
	*data = strbuf_detach(&sb);
	return TERRAIN_OK;
}

/* The whole pipeline, or only the stages whose inputs changed. */
static enum status run(struct web_request *rq, bool changed, struct stages_report *rep,
		       struct error *err)
{
	struct strbuf config = STRBUF_INIT, failed = STRBUF_INIT;
	workspace_path(&rq->app->ws, rq->study_id, "terrain.ini", &config);
	workspace_path(&rq->app->ws, rq->study_id, STUDY_FAILED, &failed);
	struct pipeline pl = {0};
	struct pipeline_options po = {config.buf, rq->app->datadir, NULL, NULL, false,
				      NULL,	  REPORT_TEXT};
	web_run_lock();
	enum status st = pipeline_open(&pl, &po, err);
	if (!st)
		st = changed ? stages_run_changed(&pl, rep, err) : pipeline_run(&pl, err);
	pipeline_close(&pl);
	web_run_unlock();
	if (st == TERRAIN_EPARTIAL)
		st = TERRAIN_OK; /* the outputs use the sources that answered */
	if (st) {
		struct error e2 = {0};
		fileio_write_atomic(failed.buf, err->msg, strlen(err->msg), &e2);
	} else {
		unlinkat(rq->study, STUDY_FAILED, 0);
	}
	strbuf_release(&config);
	strbuf_release(&failed);
	return st;
}

enum status study_run(struct web_request *rq, struct error *err)
{
	return run(rq, false, NULL, err);
}

enum status study_run_changed(struct web_request *rq, struct stages_report *rep, struct error *err)
{
	return run(rq, true, rep, err);
}

void study_failure(const struct web_request *rq, struct strbuf *out)
{
	char *data;
	size_t len;
	struct error err = {0};
	if (!study_read(rq->study, STUDY_FAILED, 8192, &data, &len, &err)) {
		strbuf_add(out, data, len);
		free(data);
	}
}

void study_failure_note(struct strbuf *o, const struct web_request *rq)
{
	struct strbuf msg = STRBUF_INIT;
	study_failure(rq, &msg);
	if (msg.len) {
		strbuf_addstr(o, "<p class=\"message\">");
		html_text(o, html_tr(rq,
				     "La dernière exécution a échoué (les résultats précédents "
				     "sont gardés) : ",
				     "The last run failed (the previous results are kept): "));
		studyform_text(o, rq, msg.buf); /* the study's paths without the workspace's */
		strbuf_addstr(o, "</p>\n");
	}
	strbuf_release(&msg);
}
