/* Saving a form into a study's project file: the keys the form changed are
 * set or removed in terrain.ini, the user's comments and layout kept
 * (core/inifile.h), with a revision check so that two browser tabs editing
 * one study do not lose each other's changes.
 *
 * A form carries, for each field, the value it was drawn from (base).  On
 * save, a field whose value in the file is still base takes the new value;
 * one whose value in the file already is the new value is left; one whose
 * value in the file changed since, to something else than the new value,
 * is a conflict: that field keeps the file's value and is named, and the
 * other fields are saved (merged field by field). */
#ifndef TERRAIN_STUDYEDIT_H
#define TERRAIN_STUDYEDIT_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/inifile.h"
#include "../core/strbuf.h"

struct studyedit_field {
	const char *section; /* "budget", "action:a1" (borrowed) */
	const char *key;     /* NULL: the section itself (see value) */
	const char *base;    /* the value the form was drawn from as inifile_get reads it,
			      * or NULL: the key was not in the file */
	const char *value;   /* the new value ('\n' between lines), or NULL: remove the
			      * key (with key NULL: NULL removes the section, anything else
			      * adds it when it is not there) */
};

struct studyedit_result {
	size_t changed;		 /* fields that changed the file */
	size_t nconflicts;	 /* fields left as the file has them */
	struct strbuf conflicts; /* their names, "[budget] posts, [project] title" */
};

void studyedit_result_release(struct studyedit_result *r);

/* Apply the n fields to the project file at path (which must exist),
 * under an exclusive lock on its folder (flock), so that two saves of one
 * study run one after the other.  The new text must load as a project
 * (project_load_file): when it does not, nothing is written and the
 * loader's message (the file's name and the line the text would have) is
 * the error.  A value the file cannot hold (inifile_value_ok) is a
 * TERRAIN_EDATA error "[SECTION] KEY: why", nothing written.  The file is
 * written to a temporary name and renamed (fileio_write_atomic), and only
 * when its text changed.  res is initialised here; release it whatever
 * happens. */
enum status studyedit_apply(const char *path, const struct studyedit_field *f, size_t n,
			    struct studyedit_result *res, struct error *err);

/* The project file at path into f (initialised here, release with
 * inifile_release whatever happens), for a form to draw its values with
 * inifile_get and send them back as base.  A file over
 * STUDYEDIT_MAX_BYTES is an error naming it. */
#define STUDYEDIT_MAX_BYTES (1024 * 1024)
enum status studyedit_read(const char *path, struct inifile *f, struct error *err);

#endif
