#include "source.h"

#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"

void source_plan_add(struct source_plan *p, const char *url, const char *body, const char *dataset,
		     const char *territory, enum source_format format)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	struct source_request *r = &p->v[p->n++];
	r->url = xstrdup(url);
	r->body = body ? xstrdup(body) : NULL;
	r->dataset = xstrdup(dataset);
	r->territory = xstrdup(territory);
	r->format = format;
}

void source_plan_release(struct source_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].url);
		free(p->v[i].body);
		free(p->v[i].dataset);
		free(p->v[i].territory);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->alloc = 0;
}

void source_result_init(struct source_result *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->next);
}

void source_result_release(struct source_result *r)
{
	obs_list_release(&r->obs);
	free(r->siae.v);
	free(r->communes.v);
	strbuf_release(&r->next);
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->next);
}

struct siae_structure *source_result_push_siae(struct source_result *r)
{
	ALLOC_GROW(r->siae.v, r->siae.n + 1, r->siae.alloc);
	struct siae_structure *s = &r->siae.v[r->siae.n++];
	memset(s, 0, sizeof(*s));
	return s;
}

struct geoapi_commune *source_result_push_commune(struct source_result *r)
{
	ALLOC_GROW(r->communes.v, r->communes.n + 1, r->communes.alloc);
	struct geoapi_commune *c = &r->communes.v[r->communes.n++];
	memset(c, 0, sizeof(*c));
	c->population = -1;
	return c;
}

const char *source_quote(const char *s, struct strbuf *q)
{
	strbuf_reset(q);
	strbuf_addch(q, '"');
	text_quote(s, 80, q);
	strbuf_addch(q, '"');
	return q->buf;
}

enum status source_check_siret(const char *siret, struct strbuf *tmp, struct error *err)
{
	if (*siret && (strlen(siret) != 14 || strspn(siret, "0123456789") != 14))
		return error_set(err, TERRAIN_EDATA, "siret %s is not 14 digits",
				 source_quote(siret, tmp));
	return TERRAIN_OK;
}

void source_copy_cut(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}
