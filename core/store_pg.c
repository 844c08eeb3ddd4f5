/* The PostgreSQL back end of the store (core/store_backend.h). */
#include "store_backend.h"

enum status store_pg_open(struct store **out, const char *where, struct error *err)
{
	(void)where;
	*out = NULL;
	return error_set(err, TERRAIN_EUSAGE, "PostgreSQL store not built yet");
}
