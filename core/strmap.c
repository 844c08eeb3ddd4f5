#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static size_t probes;

size_t strmap_probes(void)
{
	return probes;
}

static size_t slot(const struct strmap *m, const char *key)
{
	uint64_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	size_t i = (size_t)h & (m->cap - 1);
	for (;; i = (i + 1) & (m->cap - 1)) {
		probes++;
		if (!m->key[i] || !strcmp(m->key[i], key))
			return i;
	}
}

size_t strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return STRMAP_NONE;
	size_t i = slot(m, key);
	return m->key[i] ? m->val[i] : STRMAP_NONE;
}

void strmap_put(struct strmap *m, const char *key, size_t val)
{
	if (2 * (m->n + 1) > m->cap) { /* at most half full */
		struct strmap g = {NULL, NULL, m->cap ? 2 * m->cap : 64, 0};
		g.key = xcalloc(g.cap, sizeof(*g.key));
		g.val = xcalloc(g.cap, sizeof(*g.val));
		for (size_t i = 0; i < m->cap; i++)
			if (m->key[i]) {
				size_t j = slot(&g, m->key[i]);
				g.key[j] = m->key[i];
				g.val[j] = m->val[i];
				g.n++;
			}
		free(m->key);
		free(m->val);
		*m = g;
	}
	size_t i = slot(m, key);
	if (!m->key[i]) {
		m->key[i] = xstrdup(key);
		m->n++;
	}
	m->val[i] = val;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
