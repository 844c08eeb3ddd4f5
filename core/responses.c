#include "responses.h"

#include <stdlib.h>
#include <string.h>

void responses_release(struct responses *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct response *x = &r->v[i];
		free(x->public_fr);
		free(x->public_en);
		free(x->family_fr);
		free(x->family_en);
		free(x->schemes_fr);
		free(x->schemes_en);
		free(x->source_fr);
		free(x->source_en);
		free(x->url);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}
