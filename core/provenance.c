#include "provenance.h"

#include <stdlib.h>
#include <string.h>

void provenance_release(struct provenance *p)
{
	free(p->file);
	free(p->source);
	free(p->dataset);
	free(p->vintage);
	free(p->geography);
	free(p->url);
	free(p->licence);
	free(p->retrieved);
	free(p->cite_fr);
	free(p->cite_en);
	memset(p, 0, sizeof(*p));
}
