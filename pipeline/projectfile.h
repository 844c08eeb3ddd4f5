/* terrain init's project file. */
#ifndef TERRAIN_PROJECTFILE_H
#define TERRAIN_PROJECTFILE_H

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/project.h"
#include "../core/strbuf.h"
#include "../core/territory.h"

/* The commented project file for territory t and its references into sb;
 * title NULL leaves the title line commented. */
void projectfile_template(struct strbuf *sb, const struct geo *g, const struct territory *t,
			  const struct territory *refs, size_t nref, const char *title,
			  const char *author);

/* Parse text as any later command will, and check that the free-text
 * values (title, author, the custom territory's label or NULL) read back
 * as given: a TERRAIN_EUSAGE error naming the option otherwise. */
enum status projectfile_check_readback(const struct strbuf *text, const char *title,
				       const char *author, const char *label, struct error *err);

/* The members of a custom territory given as a list of commune codes. */
enum status projectfile_custom_members(const struct geo *g, const char *list,
				       struct territory_custom *c, struct error *err);

#endif
