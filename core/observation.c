#include "observation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *const status_names[] = {"final",   "provisional", "revised",
					   "rounded", "secret",	     "missing"};

const char *obs_status_name(enum obs_status s)
{
	if ((size_t)s >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown";
	return status_names[s];
}

int obs_status_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(name, status_names[i]) == 0)
			return (int)i;
	return -1;
}

enum status observation_set(char *dst, size_t cap, const char *what, const char *s,
			    struct error *err)
{
	size_t len = strlen(s);
	if (len >= cap)
		return error_set(err, TERRAIN_EDATA,
				 "%s \"%.40s%s\" is too long (at most %zu bytes)", what, s,
				 len > 40 ? "..." : "", cap - 1);
	memcpy(dst, s, len + 1);
	return TERRAIN_OK;
}

struct observation *obs_list_push(struct obs_list *l)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 64;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	struct observation *o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->value = NAN;
	o->status = OBS_FINAL;
	return o;
}

void obs_list_release(struct obs_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}
