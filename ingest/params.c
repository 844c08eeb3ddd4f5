#include "params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "csvread.h"

enum {
	C_ID,
	C_STRUCT,
	C_FROM,
	C_VALUE,
	C_UNIT_FR,
	C_UNIT_EN,
	C_LABEL,
	C_SRC_FR,
	C_SRC_EN,
	C_CONF,
	C_NOTE_FR,
	C_NOTE_EN,
	NCOLS
};

static const char *const cols[NCOLS] = {"id",	     "structure",  "valid_from", "value",
					"unit_fr",   "unit_en",	   "label",	 "source_fr",
					"source_en", "confidence", "note_fr",	 "note_en"};

static const char *const structures[] = {"ACI", "EI", "AI", "ETTI", "EITI"};

/* "" (0) or a valid YYYY-MM-DD (YYYYMMDD). */
static bool date_ok(const char *s, long *out)
{
	int y, m, d;
	*out = 0;
	if (!*s)
		return true;
	if (!text_parse_day(s, &y, &m, &d))
		return false;
	*out = (long)y * 10000 + m * 100 + d;
	return true;
}

static void date_text(long ymd, char buf[48])
{
	if (ymd)
		snprintf(buf, 48, "from %04ld-%02ld-%02ld", ymd / 10000, ymd / 100 % 100,
			 ymd % 100);
	else
		snprintf(buf, 48, "(a rule)");
}

enum status params_load(const char *path, struct params *out, struct error *err)
{
	struct csvread *r = NULL;
	size_t idx[NCOLS];
	enum status st;
	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	if ((st = csvread_open_table(&r, path, false, cols, NCOLS, idx, err)))
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
		long from;
		double value;
		const char *s = FIELD(C_STRUCT), *conf = FIELD(C_CONF);
		if (!text_is_id(FIELD(C_ID)))
			BAD(C_ID, "bad id \"%s\" (expected lowercase letters, digits and '_')",
			    FIELD(C_ID));
		bool known = !*s;
		for (size_t k = 0; k < sizeof(structures) / sizeof(structures[0]); k++)
			known = known || !strcmp(s, structures[k]);
		if (!known)
			BAD(C_STRUCT,
			    "unknown structure \"%s\" (expected ACI, EI, AI, ETTI, EITI, or "
			    "nothing "
			    "for every type)",
			    s);
		if (!date_ok(FIELD(C_FROM), &from))
			BAD(C_FROM,
			    "bad date \"%s\" (expected YYYY-MM-DD, or nothing for a rule in force "
			    "any year)",
			    FIELD(C_FROM));
		if (!text_parse_double(FIELD(C_VALUE), &value))
			BAD(C_VALUE, "bad value \"%s\" (expected a number such as 11.88)",
			    FIELD(C_VALUE));
		for (int c = C_UNIT_FR; c <= C_SRC_EN; c++)
			if (!*FIELD(c))
				BAD(c, "missing %s", cols[c]);
		if (strlen(conf) != 1 || !strchr("CSU", conf[0]))
			BAD(C_CONF,
			    "bad confidence \"%s\" (expected C confirmed, S secondary source or U "
			    "unconfirmed)",
			    conf);
		for (size_t i = 0; i < out->n; i++) {
			const struct param_row *p = &out->v[i];
			if (strcmp(p->id, FIELD(C_ID)) || strcmp(p->structure, s))
				continue;
			char when[48];
			date_text(from, when);
			if (p->valid_from == from)
				BAD(C_FROM, "\"%s\"%s%s %s is defined twice (first on line %lu)",
				    p->id, *s ? " for " : "", s, when, p->line);
			if (!p->valid_from != !from)
				BAD(C_FROM,
				    "\"%s\"%s%s mixes a rule (no valid_from) and dated values "
				    "(line "
				    "%lu)",
				    p->id, *s ? " for " : "", s, p->line);
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct param_row *p = &out->v[out->n++];
		p->id = xstrdup(FIELD(C_ID));
		p->structure = xstrdup(s);
		p->valid_from = from;
		p->value = value;
		p->unit_fr = xstrdup(FIELD(C_UNIT_FR));
		p->unit_en = xstrdup(FIELD(C_UNIT_EN));
		p->label = xstrdup(FIELD(C_LABEL));
		p->source_fr = xstrdup(FIELD(C_SRC_FR));
		p->source_en = xstrdup(FIELD(C_SRC_EN));
		p->confidence = conf[0];
		p->note_fr = xstrdup(FIELD(C_NOTE_FR));
		p->note_en = xstrdup(FIELD(C_NOTE_EN));
		p->line = row->line;
#undef FIELD
#undef BAD
	}
out:
	csvread_free(r);
	if (st)
		params_release(out);
	return st;
}
