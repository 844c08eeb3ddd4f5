#include "margins.h"

#include <stdlib.h>
#include <string.h>

void margins_init(struct margins *m)
{
	memset(m, 0, sizeof(*m));
}

void margins_release(struct margins *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->m[i].target);
		free(m->m[i].cat_line);
	}
	free(m->m);
	free(m->file);
	margins_init(m);
}
