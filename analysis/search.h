/* Name search over the geography: accent- and case-insensitive, best
 * matches first (exact name, then name prefix, then a word of the name
 * starting with the query, then anywhere), larger populations first within
 * each class.  Former communes come after current ones of the same class;
 * INSEE's study zones (zones d'emploi, bassins de vie, unités urbaines,
 * aires d'attraction) after the administrative territories. */
#ifndef TERRAIN_SEARCH_H
#define TERRAIN_SEARCH_H

#include <stddef.h>

#include "../core/geo.h"
#include "../core/territory.h"

enum search_class {
	SEARCH_EXACT,
	SEARCH_PREFIX,
	SEARCH_WORD,
	SEARCH_INSIDE,
};

struct search_hit {
	struct territory t; /* for a former commune: t.index is its own row */
	enum search_class class;
	bool former;	 /* a code that no longer exists */
	long population; /* COG GEO_COG_LAST (last listed for a former code); -1 unknown */
};

/* Bit mask of territory types to search. */
#define SEARCH_TYPE(t)	 (1u << (t))
#define SEARCH_ALL_TYPES ((1u << (TERRITORY_AAV + 1)) - 1)

/* Search query among the types in mask.  Returns the number of hits; *out
 * is returned owned (free with free()), sorted best first.  An empty query
 * (after folding) matches nothing. */
size_t search_territories(const struct geo *g, const char *query, unsigned mask,
			  struct search_hit **out);

#endif
