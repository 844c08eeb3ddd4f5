#include "params.h"

#include <stdlib.h>
#include <string.h>

/* Are rows of id for exactly this structure in the table? */
static bool has_rows(const struct params *t, const char *id, const char *structure)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].id, id) && !strcmp(t->v[i].structure, structure))
			return true;
	return false;
}

/* The structure whose rows answer for id: its own, else every type's (""). */
static const char *row_structure(const struct params *t, const char *id, const char *structure)
{
	if (structure && *structure && has_rows(t, id, structure))
		return structure;
	return "";
}

const struct param_row *params_in_force(const struct params *t, const char *id,
					const char *structure, long date)
{
	const char *s = row_structure(t, id, structure);
	const struct param_row *best = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct param_row *r = &t->v[i];
		if (strcmp(r->id, id) || strcmp(r->structure, s) || r->valid_from > date)
			continue;
		if (!best || r->valid_from > best->valid_from)
			best = r;
	}
	return best;
}

enum status params_year(const struct params *t, const char *id, const char *structure, int year,
			struct params_value *out, struct error *err)
{
	const char *s = row_structure(t, id, structure);
	const char *for_s = structure && *structure ? " for " : "";
	long latest = -1, first = -1;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->n; i++) {
		const struct param_row *r = &t->v[i];
		if (strcmp(r->id, id) || strcmp(r->structure, s))
			continue;
		if (r->valid_from > latest)
			latest = r->valid_from;
		if (first < 0 || r->valid_from < first)
			first = r->valid_from;
	}
	if (latest < 0)
		return error_set(err, TERRAIN_ENOTFOUND, "no value of \"%s\"%s%s in %s", id, for_s,
				 for_s[0] ? structure : "", t->path);
	double sum = 0;
	for (int m = 1; m <= PARAMS_MONTHS; m++) {
		long date = (long)year * 10000 + m * 100 + 1;
		const struct param_row *r = params_in_force(t, id, structure, date);
		if (!r)
			return error_set(
			    err, TERRAIN_ENOTFOUND,
			    "no value of \"%s\"%s%s in force on %04d-%02d-01 in %s (the "
			    "first is from %04ld-%02ld-%02ld)",
			    id, for_s, for_s[0] ? structure : "", year, m, t->path, first / 10000,
			    first / 100 % 100, first % 100);
		sum += r->value;
		if (out->nuse && out->use[out->nuse - 1].row == r)
			out->use[out->nuse - 1].months++;
		else
			out->use[out->nuse++] = (struct params_use){r, 1};
	}
	out->value = sum / PARAMS_MONTHS;
	if (out->nuse == 1)
		out->value = out->use[0].row->value; /* exactly, not a sum over 12 */
	out->carried = latest > 0 && year > latest / 10000;
	return TERRAIN_OK;
}

const char *params_unit(const struct param_row *r, bool en)
{
	return en ? r->unit_en : r->unit_fr;
}

const char *params_source(const struct param_row *r, bool en)
{
	return en ? r->source_en : r->source_fr;
}

const char *params_note(const struct param_row *r, bool en)
{
	return en ? r->note_en : r->note_fr;
}

void params_release(struct params *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct param_row *r = &t->v[i];
		free(r->id);
		free(r->structure);
		free(r->unit_fr);
		free(r->unit_en);
		free(r->label);
		free(r->source_fr);
		free(r->source_en);
		free(r->note_fr);
		free(r->note_en);
	}
	free(t->v);
	free(t->path);
	memset(t, 0, sizeof(*t));
}
