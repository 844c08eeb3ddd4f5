#include "catalogue.h"

#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"

enum {
	C_ID,
	C_FR,
	C_EN,
	C_KIND,
	C_NUM,
	C_DEN,
	C_YEARS,
	C_SCALE,
	C_UNIT,
	C_DEC,
	C_POL,
	C_THEME,
	C_SRC,
	C_SRC_EN,
	C_NOTE,
	C_NOTE_EN,
	C_N
};

#define IDS_EXPECTED                                                    \
	"expected an observation id, or up to " CATALOGUE_MAX_TERMS_STR \
	" ids joined by '+', without spaces; a rate takes one id"

/* "a.b" or "a.b+c.d": non-empty terms without blanks, at most
 * CATALOGUE_MAX_TERMS; a rate is one id as published. */
static bool ids_ok(const char *s, bool single)
{
	size_t terms = 1, len = 0;
	for (; *s; s++) {
		if (*s == '+') {
			if (!len || single)
				return false;
			terms++;
			len = 0;
		} else if ((unsigned char)*s <= ' ') {
			return false;
		} else {
			len++;
		}
	}
	return len > 0 && terms <= CATALOGUE_MAX_TERMS;
}

static const char *const cols[C_N] = {
    "id",   "label_fr", "label_en", "kind",  "numerator", "denominator", "years",   "scale",
    "unit", "decimals", "polarity", "theme", "source_fr", "source_en",	 "note_fr", "note_en"};

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

enum status catalogue_load(const char *path, struct catalogue *out, struct error *err)
{
	const char *const *kinds = catalogue_kind_ids;
	static const char *const pols[] = {"neutral", "higher_worse", "higher_better"};
	struct csvread *r = NULL;
	size_t idx[C_N];
	enum status st;
	memset(out, 0, sizeof(*out));
	if ((st = csvread_open_table(&r, path, false, cols, C_N, idx, err)))
		goto out;
	const struct csvrow *row;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *const *f = (const char *const *)row->field;
#define FIELD(c) f[idx[c]]
#define BAD(c, ...)                                                                        \
	do {                                                                               \
		st = csvread_field_error(r, row, idx[c], TERRAIN_EDATA, err, __VA_ARGS__); \
		goto out;                                                                  \
	} while (0)
		int kind = lookup(FIELD(C_KIND), kinds, INDICATOR_KIND_COUNT);
		int pol = lookup(FIELD(C_POL), pols, 3);
		int theme = catalogue_theme_find(FIELD(C_THEME));
		long years = 0, dec;
		double scale;
		bool has_den = *FIELD(C_DEN) != '\0';
		if (!text_is_id(FIELD(C_ID)))
			BAD(C_ID, "bad id \"%s\" (expected lowercase letters, digits and '_')",
			    FIELD(C_ID));
		if (catalogue_find(out, FIELD(C_ID)))
			BAD(C_ID, "indicator \"%s\" is defined twice", FIELD(C_ID));
		if (kind < 0)
			BAD(C_KIND, "unknown kind \"%s\" (expected count, ratio, growth or rate)",
			    FIELD(C_KIND));
		if (!*FIELD(C_NUM))
			BAD(C_NUM, "missing numerator (expected an observation id)");
		if (!ids_ok(FIELD(C_NUM), kind == INDICATOR_RATE))
			BAD(C_NUM, "bad numerator \"%s\" (%s)", FIELD(C_NUM), IDS_EXPECTED);
		if (has_den && !ids_ok(FIELD(C_DEN), false))
			BAD(C_DEN, "bad denominator \"%s\" (%s)", FIELD(C_DEN), IDS_EXPECTED);
		if ((kind == INDICATOR_RATIO || kind == INDICATOR_GROWTH) && !has_den)
			BAD(C_DEN, "a %s needs a denominator (an observation id)", kinds[kind]);
		if ((kind == INDICATOR_COUNT || kind == INDICATOR_RATE) && has_den)
			BAD(C_DEN, "a %s takes no denominator (found \"%s\")", kinds[kind],
			    FIELD(C_DEN));
		if (kind == INDICATOR_GROWTH ? !text_parse_long(FIELD(C_YEARS), 1, 200, &years)
					     : *FIELD(C_YEARS) != '\0')
			BAD(C_YEARS,
			    kind == INDICATOR_GROWTH
				? "bad years \"%s\" (expected a whole number from 1 to 200)"
				: "years \"%s\" is only for a growth",
			    FIELD(C_YEARS));
		if (!text_parse_double(FIELD(C_SCALE), &scale) || !(scale > 0))
			BAD(C_SCALE, "bad scale \"%s\" (expected a positive number: 1, 100, 1000)",
			    FIELD(C_SCALE));
		if (!text_parse_long(FIELD(C_DEC), 0, 3, &dec))
			BAD(C_DEC, "bad decimals \"%s\" (expected 0 to 3)", FIELD(C_DEC));
		if (pol < 0)
			BAD(C_POL,
			    "unknown polarity \"%s\" (expected neutral, higher_worse or "
			    "higher_better)",
			    FIELD(C_POL));
		if (theme < 0)
			BAD(C_THEME,
			    "unknown theme \"%s\" (expected employment, income_poverty, youth, "
			    "ageing, families, education, housing or demography)",
			    FIELD(C_THEME));
		if (!*FIELD(C_SRC) || !*FIELD(C_SRC_EN))
			BAD(*FIELD(C_SRC) ? C_SRC_EN : C_SRC,
			    "missing source (expected the producer and the dataset, in French in "
			    "source_fr and in English in source_en)");
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct indicator_def *d = &out->v[out->n++];
		d->id = xstrdup(FIELD(C_ID));
		d->label_fr = xstrdup(FIELD(C_FR));
		d->label_en = xstrdup(FIELD(C_EN));
		d->kind = (enum indicator_kind)kind;
		d->numerator = xstrdup(FIELD(C_NUM));
		d->denominator = xstrdup(FIELD(C_DEN));
		d->years = (int)years;
		d->scale = scale;
		d->unit = xstrdup(FIELD(C_UNIT));
		d->decimals = (int)dec;
		d->polarity = (enum indicator_polarity)pol;
		d->theme = (enum indicator_theme)theme;
		d->source_fr = xstrdup(FIELD(C_SRC));
		d->source_en = xstrdup(FIELD(C_SRC_EN));
		d->note_fr = xstrdup(FIELD(C_NOTE));
		d->note_en = xstrdup(FIELD(C_NOTE_EN));
#undef FIELD
#undef BAD
	}
out:
	csvread_free(r);
	if (st)
		catalogue_release(out);
	return st;
}
