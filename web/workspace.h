/* The workspace of terrain serve: one folder holding the studies, one
 * folder per study with its terrain.ini, survey files and outputs exactly
 * as the command line makes them.  A study's id is its folder's name,
 * [a-z0-9-]{1,64}; a request reaches a study only through an id found in
 * the listing, opened without following a symbolic link. */
#ifndef TERRAIN_WEB_WORKSPACE_H
#define TERRAIN_WEB_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/strbuf.h"

#define WORKSPACE_ID_MAX 64

struct web_workspace {
	char *path; /* owned: as given or found */
	int fd;	    /* the folder, open */
};

/* The default folder into out: ./terrain-studies when it exists, else
 * $XDG_DATA_HOME/terrain/studies (~/.local/share/terrain/studies). */
void workspace_default(struct strbuf *out);

/* Open (creating it and its parents when missing) the folder path. */
enum status workspace_open(struct web_workspace *ws, const char *path, struct error *err);
void workspace_close(struct web_workspace *ws);

/* Is s a well-formed study id ([a-z0-9-]{1,64})? */
bool workspace_id_ok(const char *s);

/* The studies (folders with a well-formed id, not symbolic links), sorted:
 * *ids returned owned (free each, then the array). */
enum status workspace_list(const struct web_workspace *ws, char ***ids, size_t *n,
			   struct error *err);
void workspace_list_free(char **ids, size_t n);

/* Open study id as a directory fd (O_NOFOLLOW) once id is found in the
 * listing: TERRAIN_ENOTFOUND otherwise ("no study \"ID\""). */
enum status workspace_study_open(const struct web_workspace *ws, const char *id, int *fd,
				 struct error *err);

/* A new study's id from text (its title or territory): folded to
 * [a-z0-9-], cut to 48 characters, with -2, -3... when taken; into out. */
enum status workspace_new_id(const struct web_workspace *ws, const char *text, struct strbuf *out,
			     struct error *err);

/* Create the study folder id (which must not exist) with its terrain.ini
 * (text, written to a temporary name and renamed). */
enum status workspace_create(const struct web_workspace *ws, const char *id,
			     const struct strbuf *text, struct error *err);

/* The path of a file of study id (for the pipeline, which works on paths):
 * "WORKSPACE/ID/name" into out (reset first).  id must have been
 * validated. */
void workspace_path(const struct web_workspace *ws, const char *id, const char *name,
		    struct strbuf *out);

/* Open rel (a relative path of plain names, no "..", no symbolic link on
 * the way) under dirfd, with flags (O_DIRECTORY for a folder): -1 with
 * err set otherwise. */
int workspace_openat(int dirfd, const char *rel, int flags, struct error *err);

#endif
