#include "responses.h"

#include <string.h>

#include "../core/xalloc.h"
#include "csvread.h"

enum {
	R_THEME,
	R_PUB,
	R_PUB_EN,
	R_FAM,
	R_FAM_EN,
	R_SCH,
	R_SCH_EN,
	R_SRC,
	R_SRC_EN,
	R_URL,
	R_N
};

static const char *const cols[R_N] = {"theme",	   "public_fr",	 "public_en",  "family_fr",
				      "family_en", "schemes_fr", "schemes_en", "source_fr",
				      "source_en", "url"};

enum status responses_load(const char *path, struct responses *out, struct error *err)
{
	struct csvread *r = NULL;
	const struct csvrow *row;
	size_t idx[R_N];
	enum status st;
	memset(out, 0, sizeof(*out));
	if ((st = csvread_open_table(&r, path, false, cols, R_N, idx, err)))
		goto out;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *f[R_N];
		for (size_t c = 0; c < R_N; c++)
			f[c] = row->field[idx[c]];
#define BAD(c, ...)                                                                        \
	do {                                                                               \
		st = csvread_field_error(r, row, idx[c], TERRAIN_EDATA, err, __VA_ARGS__); \
		goto out;                                                                  \
	} while (0)
		int theme = catalogue_theme_find(f[R_THEME]);
		if (theme < 0)
			BAD(R_THEME,
			    "unknown theme \"%s\" (expected employment, income_poverty, youth, "
			    "ageing, families, education, housing or demography)",
			    f[R_THEME]);
		for (size_t c = R_PUB; c < R_N; c++)
			if (!*f[c])
				BAD(c,
				    "empty %s (expected the text in its language, or the source)",
				    cols[c]);
		if (strncmp(f[R_URL], "https://", 8) || strpbrk(f[R_URL], " <>\\"))
			BAD(R_URL, "bad url \"%s\" (expected https://, without spaces, <, > or \\)",
			    f[R_URL]);
		for (size_t i = 0; i < out->n; i++)
			if (out->v[i].theme == (enum indicator_theme)theme &&
			    !strcmp(out->v[i].family_fr, f[R_FAM]))
				BAD(R_FAM, "\"%s\" is given twice for %s (first on line %lu)",
				    f[R_FAM], f[R_THEME], out->v[i].line);
#undef BAD
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct response *x = &out->v[out->n++];
		x->theme = (enum indicator_theme)theme;
		x->public_fr = xstrdup(f[R_PUB]);
		x->public_en = xstrdup(f[R_PUB_EN]);
		x->family_fr = xstrdup(f[R_FAM]);
		x->family_en = xstrdup(f[R_FAM_EN]);
		x->schemes_fr = xstrdup(f[R_SCH]);
		x->schemes_en = xstrdup(f[R_SCH_EN]);
		x->source_fr = xstrdup(f[R_SRC]);
		x->source_en = xstrdup(f[R_SRC_EN]);
		x->url = xstrdup(f[R_URL]);
		x->line = row->line;
	}
out:
	csvread_free(r);
	if (st)
		responses_release(out);
	return st;
}
