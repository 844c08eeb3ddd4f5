#include "offer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"
#include "value.h"

static const char *const type_names[OFFER_NTYPES] = {"ACI", "EI", "AI", "ETTI", "EITI", "other"};

const char *offer_type_name(enum offer_type t)
{
	return (unsigned)t < OFFER_NTYPES ? type_names[t] : "?";
}

bool offer_siret_valid(const char *s)
{
	if (strlen(s) != 14)
		return false;
	int luhn = 0, digits = 0;
	for (int i = 0; i < 14; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		int d = s[i] - '0';
		digits += d;
		/* from the right, every second digit doubled: even positions
		 * from the left in a 14-digit number */
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		luhn += d;
	}
	if (!strncmp(s, "356000000", 9)) /* La Poste: the sum of the digits */
		return digits % 5 == 0;
	return luhn % 10 == 0;
}

enum {
	C_NAME,
	C_SIRET,
	C_TYPE,
	C_COMMUNE,
	C_PLACES,
	C_ETP,
	C_PUBLIC
};
static const char *const cols[] = {"name", "siret", "type", "commune", "places", "etp", "public"};

static bool capacity(const char *s, double *out)
{
	bool pct;
	*out = NAN;
	if (!*s)
		return true;
	return value_parse_number(s, out, &pct) && !pct && *out >= 0 && isfinite(*out);
}

enum status offer_load(const struct geo *g, const char *path, struct offer *out, struct error *err)
{
	struct csvread *r = NULL;
	size_t idx[sizeof(cols) / sizeof(cols[0])];
	enum status st;
	memset(out, 0, sizeof(*out));
	out->file = xstrdup(path);
	if ((st = csvread_open_table(&r, path, true, cols, sizeof(cols) / sizeof(cols[0]), idx,
				     err)))
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
		bool blank = true;
		for (size_t k = 0; k < row->n && blank; k++)
			blank = !*row->field[k];
		if (blank)
			continue;
		if (!*FIELD(C_NAME))
			BAD(C_NAME, "empty name (expected the structure's name)");
		if (*FIELD(C_SIRET) && !offer_siret_valid(FIELD(C_SIRET)))
			BAD(C_SIRET,
			    "\"%s\" is not a SIRET (expected 14 digits with a valid check digit, "
			    "or "
			    "nothing)",
			    FIELD(C_SIRET));
		int type = -1;
		for (int k = 0; k < OFFER_NTYPES; k++)
			if (!strcasecmp(FIELD(C_TYPE), type_names[k]))
				type = k;
		if (type < 0)
			BAD(C_TYPE,
			    "unknown type \"%s\" (expected ACI, EI, AI, ETTI, EITI or other)",
			    FIELD(C_TYPE));
		bool merged = false;
		size_t com = geo_convert(g, FIELD(C_COMMUNE), &merged);
		if (com == GEO_NONE)
			BAD(C_COMMUNE,
			    "unknown commune \"%s\" (expected a commune code such as 38185)",
			    FIELD(C_COMMUNE));
		double places, etp;
		if (!capacity(FIELD(C_PLACES), &places))
			BAD(C_PLACES,
			    "\"%s\" is not a number of places (expected a number of 0 or more, "
			    "or nothing)",
			    FIELD(C_PLACES));
		if (!capacity(FIELD(C_ETP), &etp))
			BAD(C_ETP,
			    "\"%s\" is not a number of ETP (expected a number of 0 or more, or "
			    "nothing)",
			    FIELD(C_ETP));
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct offer_structure *s = &out->v[out->n++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(text_formula_unquoted(FIELD(C_NAME)));
		memcpy(s->siret, FIELD(C_SIRET), strlen(FIELD(C_SIRET)) + 1);
		s->type = (enum offer_type)type;
		s->commune = com;
		s->converted = merged;
		s->places = places;
		s->etp = etp;
		s->public_ = xstrdup(text_formula_unquoted(FIELD(C_PUBLIC)));
		s->line = row->line;
#undef FIELD
#undef BAD
	}
out:
	csvread_free(r);
	if (st)
		offer_release(out);
	return st;
}

void offer_release(struct offer *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].name);
		free(o->v[i].public_);
	}
	free(o->v);
	free(o->file);
	memset(o, 0, sizeof(*o));
}
