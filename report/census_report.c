#include "census_report.h"

#include <math.h>

#include "../core/xalloc.h"
#include "format.h"

void report_census_value(struct strbuf *sb, double v, bool exact, aggregate_fixed fixed)
{
	if (exact)
		aggregate_format_fixed(fixed, sb);
	else if (!isnan(v))
		strbuf_addf(sb, "%.6f", v);
}

void report_census_csv(FILE *fp, const struct census_report *r)
{
	const struct aggregate_table *t = r->table;
	const struct aggregate_spec *s = t->spec;
	const struct aggregate_column *col;
	size_t ncol = aggregate_columns(s, &col), nf = s->npart + ncol;
	const char **field = xcalloc(nf, sizeof(*field));
	struct strbuf *cell = xcalloc(nf, sizeof(*cell));
	for (size_t i = 0; i < nf; i++)
		strbuf_init(&cell[i]);
	for (size_t i = 0; i < s->npart; i++)
		field[i] = s->part[i].label;
	for (size_t c = 0; c < ncol; c++)
		field[s->npart + c] = col[c].name;
	format_csv_row(fp, field, nf);
	for (size_t k = 0; k < r->n; k++) {
		size_t g = r->order[k];
		for (size_t i = 0; i < nf; i++)
			strbuf_reset(&cell[i]);
		for (size_t i = 0; i < s->npart; i++) {
			struct text_span v = aggregate_key_part(t, g, i);
			strbuf_add(&cell[i], v.s, v.len);
		}
		for (size_t c = 0; c < ncol; c++) {
			bool exact;
			aggregate_fixed fixed;
			double v = aggregate_value(t, g, &col[c], r->total ? r->total[k] : 0,
						   &exact, &fixed);
			report_census_value(&cell[s->npart + c], v, exact, fixed);
		}
		for (size_t i = 0; i < nf; i++)
			field[i] = cell[i].buf;
		format_csv_row(fp, field, nf);
	}
	for (size_t i = 0; i < nf; i++)
		strbuf_release(&cell[i]);
	free(cell);
	free(field);
}
