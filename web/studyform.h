/* What the survey and project pages share: a form's fields drawn from the
 * study's terrain.ini with the values they were drawn from, saved field by
 * field (pipeline/studyedit.h), then the stages whose inputs changed run
 * again (pipeline/stages.h); a file of the study replaced whole under a
 * revision (the sha256 it was drawn from); a CSV file of the study shown as
 * a table. */
#ifndef TERRAIN_WEB_STUDYFORM_H
#define TERRAIN_WEB_STUDYFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/inifile.h"
#include "../core/strbuf.h"
#include "../pipeline/stages.h"
#include "../pipeline/studyedit.h"
#include "server.h"

/* The study's file name ("terrain.ini", a name the page chose) as a path
 * for the pipeline, into out (reset first). */
void studyform_path(const struct web_request *rq, const char *name, struct strbuf *out);

/* One text field of terrain.ini in a form: a label, the input named
 * "v|SECTION|KEY" holding the file's value, and the hidden fields carrying
 * the value it was drawn from ("b|SECTION|KEY", and "p|SECTION|KEY" when
 * the key was there).  hint (plain text, may be NULL) is shown under it.
 * rows > 1: a textarea (a value over several lines). */
void studyform_field(struct strbuf *out, const struct inifile *f, const char *section,
		     const char *key, const char *label, const char *hint, int rows);

/* Save the "v|SECTION|KEY" fields of the posted form into terrain.ini
 * (an empty value removes the key), each against the value it was drawn
 * from.  Conflicts and the count of fields changed into res (release it
 * whatever happens). */
enum status studyform_save(struct web_request *rq, struct studyedit_result *res, struct error *err);

/* After a save: 303 to page (a local path) with the outcome in the query
 * ("?saved=N" and "&conflicts=..." percent-encoded). */
void studyform_redirect(struct web_response *rs, const char *page,
			const struct studyedit_result *res);

/* The outcome of the last save (the query of studyform_redirect) and the
 * message of a run that failed, as notices at the top of a page. */
void studyform_notices(struct strbuf *out, const struct web_request *rq);

/* s escaped (html_text) with the study folder's path left out where it
 * names a file ("WORKSPACE/ID/enquete.csv:19:4" shows as "enquete.csv:19:4"):
 * the messages of the stages name files by their paths. */
void studyform_text(struct strbuf *out, const struct web_request *rq, const char *s);

/* The sha256 of the study's file name into hex ("" when it is not there). */
void studyform_rev(const struct web_request *rq, const char *name, char hex[65]);

/* The CSV file rel of folder dirfd shown as an HTML table (at most
 * max_rows rows; a file that cannot be read shows nothing).  id: the
 * table's id attribute, or NULL. */
void studyform_csv_table(struct strbuf *out, int dirfd, const char *rel, size_t max_rows,
			 const char *id);

/* The same from len bytes of CSV (named name in nothing but the reader);
 * with section, only the rows whose first field is section, without that
 * field, under a heading title (plain text), and nothing when there is no
 * such row. */
void studyform_csv_html(struct strbuf *out, const char *name, const char *csv, size_t len,
			size_t max_rows, const char *id, const char *section, const char *title);

#endif
