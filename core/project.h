/* The project file, terrain.ini (INI, parsed with libinih).
 *
 *   [project]              title, author, territory, references, lang, output
 *   [custom:NAME]          name, members: a territory made of communes
 *
 * Every problem is an error naming FILE:LINE, the section or key, and the
 * expected form: an unknown section or key, a duplicate key, a bad value, a
 * line too long.  Values may continue on indented lines (lists and text).
 * Loading checks syntax; project_resolve() checks codes against the
 * geography. */
#ifndef TERRAIN_PROJECT_H
#define TERRAIN_PROJECT_H

#include <stdio.h>

#include "error.h"
#include "geo.h"
#include "territory.h"

#define PROJECT_MAX_REFS 8

struct project_list {
	char **item;	/* owned */
	unsigned *line; /* line of each item */
	size_t n, alloc;
};

struct project_custom {
	char *id;      /* owned: NAME of [custom:NAME] */
	char *label;   /* owned or NULL: the name key */
	unsigned line; /* line of the section header */
	struct project_list members;
};

struct project {
	char *path;	 /* owned: as given */
	char *dir;	 /* owned: folder of the file, for relative paths */
	char *title;	 /* owned or NULL */
	char *author;	 /* owned or NULL */
	char *territory; /* owned typed code, or NULL */
	unsigned territory_line;
	struct project_list refs; /* [project] references, as written */
	char *lang;		  /* owned: "fr" (default) or "en" */
	char *output;		  /* owned: output folder, default "out" */
	struct project_custom *custom;
	size_t ncustom, alloc_custom;

	/* filled by project_resolve() */
	struct territory_custom *resolved; /* owned, ncustom entries */
};

/* Parse path.  On error *p is released. */
enum status project_load(struct project *p, const char *path, struct error *err);

/* Parse an open stream; name is used in messages and dir for relative paths. */
enum status project_load_file(struct project *p, const char *name, FILE *fp, struct error *err);

/* Resolve the custom territories' members against the geography (done
 * once; project_resolve calls it too). */
enum status project_resolve_customs(struct project *p, const struct geo *g, struct error *err);

/* Resolve the custom territories, the territory and the references against
 * the geography.  *t is the project's territory; refs receive the
 * references (the project's list, or the defaults of the territory) and
 * *nref their count.  Errors name file:line. */
enum status project_resolve(struct project *p, const struct geo *g, struct territory *t,
			    struct territory refs[PROJECT_MAX_REFS], size_t *nref,
			    struct error *err);

void project_release(struct project *p);

#endif
