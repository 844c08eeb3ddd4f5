#include "budget_report.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/text.h"

#define NCOL	  (BUDGET_YEARS + 1) /* the years, then the total */
#define LABEL_MIN 36 /* the label column, widened to the longest label up to LABEL_MAX */
#define LABEL_MAX 64
#define NUM_W	  14
#define NBSP	  "\xc2\xa0" /* French: before ":" and ";" */

static const char rounding_rule[] =
    "money in euros; each line computed in full precision and rounded to the cent, half away "
    "from zero; totals, balances and the funding plan add the rounded lines";
static const char carried_rule[] =
    "a year with no value in the parameters table (none published yet) takes the latest "
    "value before it, carried forward and marked so";

/* ---- the rows every format shows -------------------------------------------- */

enum kind {
	K_CENTS, /* money, in cents */
	K_EUROS, /* money as a ratio, in euros */
	K_NUMBER,
	K_SHARE,
};

struct row {
	const char *section; /* charge, product, result */
	const char *id;
	const char *group; /* "Operating" for a line's label, or NULL */
	const char *label;
	const char *unit;
	const char *formula; /* how it is computed, or NULL for a line as given */
	unsigned line;	     /* of the project file, for a line as given */
	enum kind kind;
	int decimals; /* K_NUMBER */
	bool total;   /* a sum row */
	double v[NCOL];
};

struct rows {
	struct row v[32 + 2 * BUDGET_MAX_LINES];
	size_t n;
};

enum which {
	W_FIELD,     /* a field of struct budget_year */
	W_OPERATING, /* one row per operating line */
	W_FUNDS,     /* one row per public_funds line */
	W_RSA,	     /* a field, when the département co-funds */
};

#define CENTS(f)   .off = offsetof(struct budget_year, f), .kind = K_CENTS
#define REAL(f, k) .off = offsetof(struct budget_year, f), .kind = k

static const struct row_def {
	const char *section, *id, *label, *unit, *formula;
	size_t off;
	enum kind kind;
	enum which which;
	int decimals;
	bool total;
} row_defs[] = {
    {"charge", "insertion_pay", "Insertion employees (CDDI pay)", "EUR",
     "posts x occupancy x contract_hours x weeks_per_year x smic_hourly x employer_cost_factor",
     CENTS(pay)},
    {"charge", "supervision", "Technical supervision", "EUR", "supervisors_etp x supervisor_cost",
     CENTS(supervision)},
    {"charge", "accompaniment", "Socio-professional accompaniment", "EUR",
     "accompaniment_etp x accompaniment_cost", CENTS(accompaniment)},
    {"charge", "training", "Training", "EUR", "training", CENTS(training)},
    {"charge", "operating", "Operating", "EUR", NULL, CENTS(operating), .which = W_OPERATING},
    {"charge", "depreciation", "Depreciation", "EUR", "depreciation", CENTS(depreciation)},
    {"charge", "charges", "Total charges", "EUR", "sum of the charges", CENTS(charges),
     .total = true},
    {"product", "aid_socle", "Aide au poste, socle (State, ASP)", "EUR", "etp x aid_socle",
     CENTS(aid_socle)},
    {"product", "aid_modulated", "Aide au poste, modulated part", "EUR",
     "etp x aid_socle x aid_modulation", CENTS(aid_modulated)},
    {"product", "rsa_cofunding", "Département, RSA co-funding", "EUR",
     "etp x rsa_share x rsa_cofunding", CENTS(rsa), .which = W_RSA},
    {"product", "public_funds", "Public funds", "EUR", NULL, CENTS(funds), .which = W_FUNDS},
    {"product", "sales", "Sales", "EUR", "sales", CENTS(sales)},
    {"product", "products", "Total products", "EUR", "sum of the products", CENTS(products),
     .total = true},
    {"result", "balance", "Balance (products - charges)", "EUR", "products - charges",
     CENTS(balance), .total = true},
    {"result", "public_funding", "Public funding", "EUR",
     "aide au poste + département + public funds", CENTS(public_funding)},
    {"result", "etp", "Insertion ETP", "ETP",
     "posts x occupancy x contract_hours / full_time_hours", REAL(etp, K_NUMBER), .decimals = 2},
    {"result", "paid_hours", "Paid hours of the insertion posts", "h",
     "posts x occupancy x contract_hours x weeks_per_year", REAL(paid_hours, K_NUMBER)},
    {"result", "cost_per_etp", "Cost per insertion ETP", "EUR per ETP", "charges / etp",
     REAL(cost_per_etp, K_EUROS)},
    {"result", "public_share", "Public funding share", "share", "public funding / products",
     REAL(public_share, K_SHARE)},
    {"result", "break_even_sales", "Break-even sales", "EUR", "max(0, charges - public funding)",
     CENTS(break_even_sales)},
    {"result", "sales_share", "Sales / charges", "share", "sales / charges",
     REAL(sales_share, K_SHARE)},
};

/* The value of d in y (line j of an operating or funds row). */
static double row_value(const struct row_def *d, const struct budget_year *y, size_t j)
{
	const char *base = (const char *)y + d->off;
	if (d->kind == K_CENTS)
		return (double)((const long long *)base)[j];
	return *(const double *)base;
}

static void build_rows(const struct budget_input *in, const struct budget_result *res,
		       struct rows *rs)
{
	rs->n = 0;
	for (size_t k = 0; k < sizeof(row_defs) / sizeof(row_defs[0]); k++) {
		const struct row_def *d = &row_defs[k];
		size_t n = d->which == W_OPERATING ? in->noperating
			   : d->which == W_FUNDS   ? in->nfunds
			   : d->which == W_RSA	   ? budget_has(in, BUDGET_RSA_SHARE)
						   : 1;
		for (size_t j = 0; j < n; j++) {
			struct row *r = &rs->v[rs->n++];
			const struct budget_line *l = d->which == W_OPERATING ? &in->operating[j]
						      : d->which == W_FUNDS   ? &in->funds[j]
									      : NULL;
			*r = (struct row){d->section,
					  d->id,
					  l ? d->label : NULL,
					  l ? l->label : d->label,
					  d->unit,
					  d->formula,
					  l ? l->line : 0,
					  d->kind,
					  d->decimals,
					  d->total,
					  {0}};
			for (size_t i = 0; i < BUDGET_YEARS; i++)
				r->v[i] = row_value(d, &res->y[i], j);
			r->v[BUDGET_YEARS] = row_value(d, &res->total, j);
		}
	}
}

/* ---- numbers ---------------------------------------------------------------- */

/* "-12 345.67" from cents. */
static void money(struct strbuf *sb, long long c)
{
	unsigned long long a = c < 0 ? 0ULL - (unsigned long long)c : (unsigned long long)c;
	if (c < 0)
		strbuf_addch(sb, '-');
	format_count(sb, (double)(a / 100));
	strbuf_addf(sb, ".%02llu", a % 100);
}

static void percent(struct strbuf *sb, double share, int decimals)
{
	format_decimal(sb, share * 100, decimals);
	strbuf_addstr(sb, " %");
}

/* A cell of a row, for text. */
static void cell(struct strbuf *sb, const struct row *r, size_t col)
{
	double x = r->v[col];
	if (isnan(x)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	switch (r->kind) {
	case K_CENTS:
		money(sb, (long long)x);
		break;
	case K_EUROS:
		money(sb, llround(x * 100));
		break;
	case K_SHARE:
		percent(sb, x, 1);
		break;
	case K_NUMBER:
		if (r->decimals)
			format_decimal(sb, x, r->decimals);
		else
			format_count(sb, x);
		break;
	}
}

/* A parameter's value for text, with its decimals. */
static void param_text(struct strbuf *sb, const struct budget_param_info *pi, double x)
{
	if (pi->flags & BUDGET_P_SHARE)
		percent(sb, x, pi->decimals);
	else if (pi->flags & BUDGET_P_MONEY)
		money(sb, llround(x * 100));
	else if (x == floor(x) && fabs(x) < 1e15)
		format_count(sb, x);
	else
		format_decimal(sb, x, pi->decimals > 2 ? pi->decimals : 2);
}

/* A plain number for CSV: 10 significant digits, empty for NAN. */
static void plain(struct strbuf *sb, double x)
{
	if (!isnan(x))
		strbuf_addf(sb, "%.10g", x);
}

static void plain_cents(struct strbuf *sb, long long c)
{
	unsigned long long a = c < 0 ? 0ULL - (unsigned long long)c : (unsigned long long)c;
	strbuf_addf(sb, "%s%llu.%02llu", c < 0 ? "-" : "", a / 100, a % 100);
}

/* A row's value for CSV. */
static void row_plain(struct strbuf *sb, const struct row *r, size_t col)
{
	double x = r->v[col];
	if (isnan(x))
		return;
	if (r->kind == K_CENTS)
		plain_cents(sb, (long long)x);
	else if (r->kind == K_EUROS)
		plain_cents(sb, llround(x * 100));
	else
		plain(sb, x);
}

static json_t *row_json(const struct row *r, size_t col)
{
	double x = r->v[col];
	if (isnan(x))
		return json_null();
	if (r->kind == K_CENTS)
		return format_json_number(x / 100);
	if (r->kind == K_EUROS)
		return format_json_number((double)llround(x * 100) / 100);
	return format_json_number(x);
}

static void date_text(struct strbuf *sb, long ymd)
{
	strbuf_addf(sb, "%04ld-%02ld-%02ld", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static void year_span(struct strbuf *sb, int from, int to)
{
	if (from == to)
		strbuf_addf(sb, "%d", from);
	else
		strbuf_addf(sb, "%d-%d", from, to);
}

/* ---- warnings --------------------------------------------------------------- */

static const char *const warning_ids[] = {
    [BUDGET_W_HOURS_LOW] = "hours_low",		  [BUDGET_W_CONTRACT_SHORT] = "contract_short",
    [BUDGET_W_CONTRACT_LONG] = "contract_long",	  [BUDGET_W_SALES_CAP] = "sales_cap",
    [BUDGET_W_BREAK_EVEN_CAP] = "break_even_cap",
};

void report_budget_warning(struct strbuf *sb, const struct budget_input *in,
			   const struct budget_warning *w)
{
	switch (w->kind) {
	case BUDGET_W_HOURS_LOW:
		strbuf_addf(sb,
			    "contract_hours %g h/week is under the CDDI minimum of %g h/week "
			    "(only an ACI may go under, for people in grande exclusion, with the "
			    "préfet's leave: D5132-43-5)",
			    w->value, w->limit);
		break;
	case BUDGET_W_CONTRACT_SHORT:
		strbuf_addf(
		    sb, "contract_months %g is under the CDDI minimum of %g months (L5132-15-1)",
		    w->value, w->limit);
		break;
	case BUDGET_W_CONTRACT_LONG:
		strbuf_addf(sb,
			    "contract_months %g is over the CDDI maximum of %g months, renewals "
			    "included (L5132-15-1: beyond only to finish a training, for people "
			    "aged 50+ or RQTH holders, or up to 60 months for particularly great "
			    "difficulties)",
			    w->value, w->limit);
		break;
	case BUDGET_W_SALES_CAP:
		strbuf_addf(sb, "sales are ");
		percent(sb, w->value, 1);
		strbuf_addf(sb, " of the charges, over the ACI cap of ");
		percent(sb, w->limit, 0);
		strbuf_addf(sb, " (D5132-34: the préfet may raise it to 50 %% after the CDIAE's "
				"opinion)");
		break;
	case BUDGET_W_BREAK_EVEN_CAP:
		strbuf_addf(sb, "the year balances only with sales of ");
		percent(sb, w->value, 1);
		strbuf_addf(sb, " of the charges, over the ACI cap of ");
		percent(sb, w->limit, 0);
		break;
	}
	(void)in;
}

/* ---- sources of the defaults ------------------------------------------------ */

/* The distinct table rows the inputs use, in order of first use. */
struct refs {
	const struct param_row *row[128];
	size_t n;
};

static size_t ref_of(struct refs *rf, const struct param_row *r)
{
	for (size_t i = 0; i < rf->n; i++)
		if (rf->row[i] == r)
			return i + 1;
	if (rf->n == sizeof(rf->row) / sizeof(rf->row[0]))
		return 0;
	rf->row[rf->n++] = r;
	return rf->n;
}

/* The origin of parameter p, for text: "FILE:LINE", "table [1], [2]",
 * "terrain default". */
static void origin_text(struct strbuf *sb, const struct budget_input *in,
			const struct budget_value *bv, struct refs *rf)
{
	const struct budget_origin *o = &bv->o[0];
	if (o->kind == BUDGET_FROM_PROJECT) {
		strbuf_addf(sb, "%s:%u", in->file, o->line);
	} else if (o->kind == BUDGET_FROM_TERRAIN) {
		strbuf_addstr(sb, "terrain default");
	} else {
		size_t seen[BUDGET_YEARS * PARAMS_MONTHS], nseen = 0;
		strbuf_addstr(sb, "table");
		for (size_t i = 0; i < BUDGET_YEARS; i++) {
			for (size_t u = 0; u < bv->o[i].src.nuse; u++) {
				size_t k = ref_of(rf, bv->o[i].src.use[u].row), j;
				for (j = 0; j < nseen && seen[j] != k; j++)
					;
				if (j < nseen)
					continue;
				seen[nseen++] = k;
				strbuf_addf(sb, "%s[%zu]", nseen > 1 ? ", " : " ", k);
			}
		}
	}
}

/* One row of the table, for the sources list and CSV/JSON. */
static void row_source(struct strbuf *sb, const struct param_row *r)
{
	strbuf_addf(sb, "%s", r->id);
	if (*r->structure)
		strbuf_addf(sb, " (%s)", r->structure);
	if (r->valid_from) {
		strbuf_addstr(sb, " from ");
		date_text(sb, r->valid_from);
	}
	strbuf_addf(sb, ": %g %s. %s [%c]", r->value, r->unit, r->source, r->confidence);
	if (*r->note)
		strbuf_addf(sb, ". %s", r->note);
}

/* The origin of one year's value, in full, for CSV. */
static void origin_full(struct strbuf *sb, const struct budget_input *in,
			const struct budget_origin *o)
{
	if (o->kind == BUDGET_FROM_PROJECT) {
		strbuf_addf(sb, "%s:%u", in->file, o->line);
		return;
	}
	if (o->kind == BUDGET_FROM_TERRAIN) {
		strbuf_addstr(sb, o->why);
		return;
	}
	strbuf_addf(sb, "default (%s)", in->table_file);
	for (size_t u = 0; u < o->src.nuse; u++) {
		strbuf_addstr(sb, u ? "; " : ": ");
		if (o->src.nuse > 1)
			strbuf_addf(sb, "%u months of ", o->src.use[u].months);
		row_source(sb, o->src.use[u].row);
	}
	if (o->src.carried)
		strbuf_addstr(sb, "; carried forward (no value published for the year)");
}

/* ---- the lists that are not by year ---------------------------------------- */

#define NCHOICES 3
static const char *const choice_keys[NCHOICES] = {"scenario_occupancy", "scenario_aid_change",
						  "sensitivity"};

static const struct budget_choices *choice(const struct budget_input *in, size_t k)
{
	return k == 0	? &in->scenario_occupancy
	       : k == 1 ? &in->scenario_aid_change
			: &in->sensitivity;
}

/* ---- text ------------------------------------------------------------------- */

static void header(struct strbuf *sb, const char *title, const struct budget_input *in, size_t lw,
		   bool total)
{
	strbuf_reset(sb);
	format_pad(sb, title, lw + 2);
	char y[16];
	for (size_t i = 0; i < BUDGET_YEARS; i++) {
		snprintf(y, sizeof(y), "%d", in->start_year + (int)i);
		format_pad_left(sb, y, NUM_W);
	}
	if (total)
		format_pad_left(sb, "total", NUM_W);
}

static void text_assumptions(FILE *fp, const struct budget_input *in, size_t lw, struct refs *rf)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	bool carried = false;
	header(&sb, "Assumptions", in, lw, false);
	fprintf(fp, "%s  %-20s origin\n", sb.buf, "unit");
	/* the values end with a ' ' or a '*' for carried forward */
	fprintf(fp, "  %-*s%*s %*s%*s %-20s %s:%u\n", (int)lw, "structure", NUM_W - 1,
		budget_structure_names[in->structure], NUM_W, "", NUM_W, "", "", in->file,
		in->structure_line);
	for (size_t p = 0; p < BUDGET_NPARAMS; p++) {
		const struct budget_param_info *pi = &budget_params[p];
		const struct budget_value *bv = &in->p[p];
		if (!budget_has(in, p))
			continue;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, pi->key, lw);
		for (size_t i = 0; i < BUDGET_YEARS; i++) {
			strbuf_reset(&v);
			param_text(&v, pi, bv->v[i]);
			bool c = bv->o[i].kind == BUDGET_FROM_TABLE && bv->o[i].src.carried;
			strbuf_addstr(&v, c ? "*" : " ");
			carried = carried || c;
			format_pad_left(&sb, v.buf, NUM_W);
		}
		strbuf_addstr(&sb, " ");
		format_pad(&sb, pi->unit, 20);
		strbuf_addch(&sb, ' ');
		origin_text(&sb, in, bv, rf);
		fprintf(fp, "%s\n", sb.buf);
	}
	const struct budget_line *lines[2] = {in->operating, in->funds};
	size_t nlines[2] = {in->noperating, in->nfunds};
	for (int k = 0; k < 2; k++) {
		for (size_t j = 0; j < nlines[k]; j++) {
			strbuf_reset(&v);
			strbuf_addf(&v, "%s: %s", k ? "public_funds" : "operating",
				    lines[k][j].label);
			strbuf_reset(&sb);
			strbuf_addstr(&sb, "  ");
			format_pad(&sb, v.buf, lw);
			for (size_t i = 0; i < BUDGET_YEARS; i++) {
				strbuf_reset(&v);
				money(&v, llround(lines[k][j].v[i] * 100));
				strbuf_addch(&v, ' ');
				format_pad_left(&sb, v.buf, NUM_W);
			}
			strbuf_addstr(&sb, " ");
			format_pad(&sb, "EUR a year", 20);
			strbuf_addf(&sb, " %s:%u", in->file, lines[k][j].line);
			fprintf(fp, "%s\n", sb.buf);
		}
	}
	for (size_t k = 0; k < NCHOICES; k++) {
		strbuf_reset(&v);
		for (size_t i = 0; i < choice(in, k)->n; i++) {
			if (i)
				strbuf_addstr(&v, ", ");
			if (k == 1 && choice(in, k)->v[i] > 0)
				strbuf_addch(&v, '+');
			percent(&v, choice(in, k)->v[i], 0);
		}
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, choice_keys[k], lw);
		format_pad(&sb, v.buf, 3 * NUM_W + 22);
		if (choice(in, k)->o.kind == BUDGET_FROM_PROJECT)
			strbuf_addf(&sb, "%s:%u", in->file, choice(in, k)->o.line);
		else
			strbuf_addstr(&sb, "terrain default");
		fprintf(fp, "%s\n", sb.buf);
	}
	if (carried)
		fprintf(fp, "  * carried forward: %s\n", carried_rule);
	strbuf_release(&sb);
	strbuf_release(&v);
}

static void text_rows(FILE *fp, const struct budget_input *in, size_t lw, const struct rows *rs,
		      const char *section, const char *title)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	header(&sb, title, in, lw, true);
	fprintf(fp, "\n%s\n", sb.buf);
	for (size_t k = 0; k < rs->n; k++) {
		const struct row *r = &rs->v[k];
		if (strcmp(r->section, section))
			continue;
		strbuf_reset(&sb);
		strbuf_reset(&v);
		if (r->group)
			strbuf_addf(&v, "%s: ", r->group);
		strbuf_addstr(&v, r->label);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, v.buf, lw);
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_reset(&v);
			cell(&v, r, c);
			format_pad_left(&sb, v.buf, NUM_W);
		}
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&v);
}

static const char *funder_label(const struct budget_funder *f)
{
	switch (f->kind) {
	case BUDGET_FUNDER_STATE:
		return "State: aide au poste (ASP)";
	case BUDGET_FUNDER_DEPARTEMENT:
		return "Département: RSA co-funding";
	case BUDGET_FUNDER_FUND:
		return f->label;
	case BUDGET_FUNDER_SALES:
		return "Sales (the structure's own)";
	}
	return "";
}

static const char *const funder_ids[] = {
    [BUDGET_FUNDER_STATE] = "state",
    [BUDGET_FUNDER_DEPARTEMENT] = "departement",
    [BUDGET_FUNDER_FUND] = "public_fund",
    [BUDGET_FUNDER_SALES] = "sales",
};

static void text_funding(FILE *fp, const struct budget_input *in, size_t lw,
			 const struct budget_result *r)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	header(&sb, "Funding plan (who pays what)", in, lw, true);
	fprintf(fp, "\n%s%*s\n", sb.buf, 9, "share");
	for (size_t k = 0; k < r->nfunders; k++) {
		const struct budget_funder *f = &r->funders[k];
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, funder_label(f), lw);
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_reset(&v);
			money(&v, c < BUDGET_YEARS ? f->amount[c] : f->total);
			format_pad_left(&sb, v.buf, NUM_W);
		}
		strbuf_reset(&v);
		if (isnan(f->share))
			strbuf_addstr(&v, "n/a");
		else
			percent(&v, f->share, 1);
		format_pad_left(&sb, v.buf, 9);
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "  ");
	format_pad(&sb, "Total products", lw);
	for (size_t c = 0; c < NCOL; c++) {
		strbuf_reset(&v);
		money(&v, c < BUDGET_YEARS ? r->y[c].products : r->total.products);
		format_pad_left(&sb, v.buf, NUM_W);
	}
	format_pad_left(&sb, r->total.products > 0 ? "100.0 %" : "n/a", 9);
	fprintf(fp, "%s\n", sb.buf);
	strbuf_release(&sb);
	strbuf_release(&v);
}

static void text_scenarios(FILE *fp, const struct budget_input *in, size_t lw,
			   const struct budget_result *r)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	fprintf(fp, "\nScenarios: the balance with every occupancy of the posts and change of the "
		    "aide au poste\n");
	header(&sb, "  occupancy   aid change", in, lw, true);
	fprintf(fp, "%s\n", sb.buf);
	for (size_t k = 0; k < r->nscen; k++) {
		const struct budget_scenario *s = &r->scen[k];
		strbuf_reset(&sb);
		strbuf_reset(&v);
		percent(&v, s->occupancy, 0);
		format_pad_left(&sb, v.buf, 11);
		strbuf_reset(&v);
		if (s->aid_change > 0)
			strbuf_addch(&v, '+');
		percent(&v, s->aid_change, 0);
		format_pad_left(&sb, v.buf, 13);
		format_pad(&sb, "", lw + 2 - 24);
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_reset(&v);
			money(&v, c < BUDGET_YEARS ? s->balance[c] : s->total);
			format_pad_left(&sb, v.buf, NUM_W);
		}
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&v);
}

static void text_sensitivity(FILE *fp, const struct budget_input *in, size_t lw,
			     const struct budget_result *r)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	double s = in->sensitivity.v[0];
	fprintf(fp, "\nSensitivity: change of the %d-%d balance when one assumption moves\n",
		in->start_year, in->start_year + BUDGET_YEARS - 1);
	strbuf_addstr(&sb, "  ");
	format_pad(&sb, "assumption", lw);
	strbuf_addch(&v, '-');
	percent(&v, s, 0);
	format_pad_left(&sb, v.buf, NUM_W);
	strbuf_reset(&v);
	strbuf_addch(&v, '+');
	percent(&v, s, 0);
	format_pad_left(&sb, v.buf, NUM_W);
	fprintf(fp, "%s\n", sb.buf);
	for (size_t k = 0; k < r->nsens; k++) {
		const struct budget_sensitivity *x = &r->sens[k];
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, budget_assumption_label(x->a), lw);
		strbuf_reset(&v);
		if (x->down > 0)
			strbuf_addch(&v, '+');
		money(&v, x->down);
		format_pad_left(&sb, v.buf, NUM_W);
		strbuf_reset(&v);
		if (x->up > 0)
			strbuf_addch(&v, '+');
		money(&v, x->up);
		format_pad_left(&sb, v.buf, NUM_W);
		if (x->capped)
			strbuf_addstr(&sb, "  (capped at 100 % or full time)");
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&v);
}

/* The label column: the longest label, within LABEL_MIN..LABEL_MAX (a
 * longer one pushes its row's numbers right). */
static size_t label_width(const struct rows *rs)
{
	size_t w = LABEL_MIN;
	struct strbuf sb = STRBUF_INIT;
	for (size_t k = 0; k < rs->n; k++) {
		strbuf_reset(&sb);
		if (rs->v[k].group) /* as wide as "operating: " and "public_funds: " */
			strbuf_addf(&sb, "%s: ", rs->v[k].group);
		strbuf_addstr(&sb, rs->v[k].label);
		size_t n = text_width(sb.buf) + 1;
		if (n > w)
			w = n > LABEL_MAX ? LABEL_MAX : n;
	}
	strbuf_release(&sb);
	return w;
}

static void text(FILE *fp, const struct budget_input *in, const struct budget_result *r)
{
	struct rows rs;
	struct refs rf = {0};
	struct strbuf sb = STRBUF_INIT;
	build_rows(in, r, &rs);
	fprintf(fp, "Budget forecast %d-%d", in->start_year, in->start_year + BUDGET_YEARS - 1);
	if (in->name && *in->name)
		fprintf(fp, ": %s", in->name);
	fprintf(fp, "\n%s, from %s and the parameters table %s\n",
		budget_structure_names[in->structure], in->file, in->table_file);
	fprintf(fp, "Rounding: %s.\n\n", rounding_rule);
	size_t lw = label_width(&rs);
	text_assumptions(fp, in, lw, &rf);
	text_rows(fp, in, lw, &rs, "charge", "Charges (EUR)");
	text_rows(fp, in, lw, &rs, "product", "Products (EUR)");
	text_rows(fp, in, lw, &rs, "result", "Results");
	text_funding(fp, in, lw, r);
	text_scenarios(fp, in, lw, r);
	text_sensitivity(fp, in, lw, r);

	fprintf(fp, "\nWarnings\n");
	if (!r->nwarn)
		fprintf(fp, "  none\n");
	for (size_t k = 0; k < r->nwarn; k++) {
		strbuf_reset(&sb);
		year_span(&sb, r->warn[k].from, r->warn[k].to);
		strbuf_addstr(&sb, ": ");
		report_budget_warning(&sb, in, &r->warn[k]);
		fprintf(fp, "  %s\n", sb.buf);
	}

	fprintf(fp, "\nSources of the defaults (%s)\n", in->table_file);
	for (size_t k = 0; k < rf.n; k++) {
		strbuf_reset(&sb);
		row_source(&sb, rf.row[k]);
		fprintf(fp, "  [%zu] line %lu: %s\n", k + 1, rf.row[k]->line, sb.buf);
	}
	for (size_t p = 0; p < BUDGET_NPARAMS; p++)
		if (in->p[p].o[0].kind == BUDGET_FROM_TERRAIN)
			fprintf(fp, "  %s: %s\n", budget_params[p].key, in->p[p].o[0].why);
	for (size_t k = 0; k < NCHOICES; k++)
		if (choice(in, k)->o.kind == BUDGET_FROM_TERRAIN)
			fprintf(fp, "  %s: %s\n", choice_keys[k], choice(in, k)->o.why);

	fprintf(fp, "\nFormulas (each year; the total applies them to the summed lines)\n");
	for (size_t k = 0; k < rs.n; k++)
		if (rs.v[k].formula && strcmp(rs.v[k].formula, rs.v[k].id))
			fprintf(fp, "  %-18s = %s\n", rs.v[k].id, rs.v[k].formula);
	fprintf(fp, "  %-18s = %s\n", "carried forward", carried_rule);
	strbuf_release(&sb);
}

/* ---- CSV -------------------------------------------------------------------- */

enum {
	C_SECTION,
	C_ITEM,
	C_VARIANT,
	C_LABEL,
	C_YEAR,
	C_VALUE,
	C_UNIT,
	C_ORIGIN,
	C_NOTE,
	NC
};

static void csv_emit(FILE *fp, struct strbuf f[NC])
{
	const char *row[NC];
	for (size_t j = 0; j < NC; j++)
		row[j] = f[j].buf;
	format_csv_row(fp, row, NC);
	for (size_t j = 0; j < NC; j++)
		strbuf_reset(&f[j]);
}

static void csv_year(struct strbuf *sb, const struct budget_input *in, size_t col)
{
	if (col < BUDGET_YEARS)
		strbuf_addf(sb, "%d", in->start_year + (int)col);
	else
		strbuf_addstr(sb, "total");
}

static void csv(FILE *fp, const struct budget_input *in, const struct budget_result *r)
{
	static const char *const head[NC] = {"section", "item", "variant", "label", "year",
					     "value",	"unit", "origin",  "note"};
	struct strbuf f[NC];
	struct rows rs;
	for (size_t j = 0; j < NC; j++)
		strbuf_init(&f[j]);
	format_csv_row(fp, head, NC);
	build_rows(in, r, &rs);

	strbuf_addstr(&f[C_SECTION], "parameter");
	strbuf_addstr(&f[C_ITEM], "structure");
	strbuf_addstr(&f[C_LABEL], "SIAE type");
	strbuf_addstr(&f[C_VALUE], budget_structure_names[in->structure]);
	strbuf_addf(&f[C_ORIGIN], "%s:%u", in->file, in->structure_line);
	csv_emit(fp, f);
	strbuf_addstr(&f[C_SECTION], "parameter");
	strbuf_addstr(&f[C_ITEM], "start_year");
	strbuf_addstr(&f[C_LABEL], "first year of the budget");
	strbuf_addf(&f[C_VALUE], "%d", in->start_year);
	strbuf_addf(&f[C_ORIGIN], "%s:%u", in->file, in->start_year_line);
	csv_emit(fp, f);
	if (in->name) {
		strbuf_addstr(&f[C_SECTION], "parameter");
		strbuf_addstr(&f[C_ITEM], "name");
		strbuf_addstr(&f[C_LABEL], "name of the project");
		strbuf_addstr(&f[C_VALUE], in->name);
		strbuf_addf(&f[C_ORIGIN], "%s:%u", in->file, in->name_line);
		csv_emit(fp, f);
	}
	for (size_t p = 0; p < BUDGET_NPARAMS; p++) {
		const struct budget_param_info *pi = &budget_params[p];
		if (!budget_has(in, p))
			continue;
		for (size_t i = 0; i < BUDGET_YEARS; i++) {
			strbuf_addstr(&f[C_SECTION], "parameter");
			strbuf_addstr(&f[C_ITEM], pi->key);
			strbuf_addstr(&f[C_LABEL], pi->label);
			csv_year(&f[C_YEAR], in, i);
			plain(&f[C_VALUE], in->p[p].v[i]);
			strbuf_addstr(&f[C_UNIT], pi->unit);
			origin_full(&f[C_ORIGIN], in, &in->p[p].o[i]);
			if (in->p[p].o[i].kind == BUDGET_FROM_TABLE && in->p[p].o[i].src.carried)
				strbuf_addstr(&f[C_NOTE], "carried forward");
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < NCHOICES; k++) {
		for (size_t i = 0; i < choice(in, k)->n; i++) {
			strbuf_addstr(&f[C_SECTION], "parameter");
			strbuf_addstr(&f[C_ITEM], choice_keys[k]);
			strbuf_addf(&f[C_VARIANT], "%zu", i + 1);
			plain(&f[C_VALUE], choice(in, k)->v[i]);
			strbuf_addstr(&f[C_UNIT], "share");
			origin_full(&f[C_ORIGIN], in, &choice(in, k)->o);
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < rs.n; k++) {
		const struct row *rw = &rs.v[k];
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_addstr(&f[C_SECTION], rw->section);
			strbuf_addstr(&f[C_ITEM], rw->id);
			strbuf_addstr(&f[C_LABEL], rw->label);
			csv_year(&f[C_YEAR], in, c);
			row_plain(&f[C_VALUE], rw, c);
			strbuf_addstr(&f[C_UNIT], rw->unit);
			if (rw->formula)
				strbuf_addstr(&f[C_ORIGIN], rw->formula);
			else
				strbuf_addf(&f[C_ORIGIN], "%s:%u", in->file, rw->line);
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < r->nfunders; k++) {
		const struct budget_funder *fu = &r->funders[k];
		for (size_t c = 0; c <= NCOL; c++) {
			strbuf_addstr(&f[C_SECTION], "funding");
			strbuf_addstr(&f[C_ITEM], funder_ids[fu->kind]);
			strbuf_addstr(&f[C_LABEL], funder_label(fu));
			if (c < NCOL) {
				strbuf_addstr(&f[C_VARIANT], "amount");
				csv_year(&f[C_YEAR], in, c);
				plain_cents(&f[C_VALUE],
					    c < BUDGET_YEARS ? fu->amount[c] : fu->total);
				strbuf_addstr(&f[C_UNIT], "EUR");
			} else {
				strbuf_addstr(&f[C_VARIANT], "share");
				strbuf_addstr(&f[C_YEAR], "total");
				plain(&f[C_VALUE], fu->share);
				strbuf_addstr(&f[C_UNIT], "share of the products");
			}
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < r->nscen; k++) {
		const struct budget_scenario *s = &r->scen[k];
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_addstr(&f[C_SECTION], "scenario");
			strbuf_addstr(&f[C_ITEM], "balance");
			strbuf_addf(&f[C_VARIANT], "occupancy=%g aid_change=%g", s->occupancy,
				    s->aid_change);
			strbuf_addstr(&f[C_LABEL], "balance");
			csv_year(&f[C_YEAR], in, c);
			plain_cents(&f[C_VALUE], c < BUDGET_YEARS ? s->balance[c] : s->total);
			strbuf_addstr(&f[C_UNIT], "EUR");
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < r->nsens; k++) {
		const struct budget_sensitivity *x = &r->sens[k];
		for (int up = 0; up < 2; up++) {
			strbuf_addstr(&f[C_SECTION], "sensitivity");
			strbuf_addstr(&f[C_ITEM], budget_assumption_id(x->a));
			strbuf_addf(&f[C_VARIANT], "%+g", (up ? 1 : -1) * in->sensitivity.v[0]);
			strbuf_addstr(&f[C_LABEL], budget_assumption_label(x->a));
			strbuf_addstr(&f[C_YEAR], "total");
			plain_cents(&f[C_VALUE], up ? x->up : x->down);
			strbuf_addstr(&f[C_UNIT], "EUR, change of the balance");
			if (up && x->capped)
				strbuf_addstr(&f[C_NOTE], "capped at 100 % or full time");
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < r->nwarn; k++) {
		strbuf_addstr(&f[C_SECTION], "warning");
		strbuf_addstr(&f[C_ITEM], warning_ids[r->warn[k].kind]);
		year_span(&f[C_YEAR], r->warn[k].from, r->warn[k].to);
		plain(&f[C_VALUE], r->warn[k].value);
		report_budget_warning(&f[C_LABEL], in, &r->warn[k]);
		strbuf_addf(&f[C_NOTE], "limit %g", r->warn[k].limit);
		csv_emit(fp, f);
	}
	for (size_t j = 0; j < NC; j++)
		strbuf_release(&f[j]);
}

/* ---- JSON ------------------------------------------------------------------- */

static json_t *origin_json(const struct budget_input *in, const struct budget_origin *o)
{
	json_t *x = json_object();
	if (o->kind == BUDGET_FROM_PROJECT) {
		json_object_set_new(x, "kind", json_string("project"));
		json_object_set_new(x, "file", json_string(in->file));
		json_object_set_new(x, "line", json_integer(o->line));
	} else if (o->kind == BUDGET_FROM_TERRAIN) {
		json_object_set_new(x, "kind", json_string("terrain"));
		json_object_set_new(x, "why", json_string(o->why));
	} else {
		json_t *rows = json_array();
		struct strbuf sb = STRBUF_INIT;
		json_object_set_new(x, "kind", json_string("table"));
		json_object_set_new(x, "file", json_string(in->table_file));
		json_object_set_new(x, "carried_forward", json_boolean(o->src.carried));
		for (size_t u = 0; u < o->src.nuse; u++) {
			const struct param_row *r = o->src.use[u].row;
			json_t *y = json_object();
			json_object_set_new(y, "line", json_integer((json_int_t)r->line));
			strbuf_reset(&sb);
			if (r->valid_from)
				date_text(&sb, r->valid_from);
			json_object_set_new(y, "valid_from",
					    r->valid_from ? json_string(sb.buf) : json_null());
			json_object_set_new(y, "months", json_integer(o->src.use[u].months));
			json_object_set_new(y, "value", format_json_number(r->value));
			json_object_set_new(y, "source", json_string(r->source));
			strbuf_reset(&sb);
			strbuf_addch(&sb, r->confidence);
			json_object_set_new(y, "confidence", json_string(sb.buf));
			json_object_set_new(y, "note", json_string(r->note));
			json_array_append_new(rows, y);
		}
		json_object_set_new(x, "rows", rows);
		strbuf_release(&sb);
	}
	return x;
}

static json_t *years_json(const struct budget_input *in)
{
	json_t *a = json_array();
	for (int i = 0; i < BUDGET_YEARS; i++)
		json_array_append_new(a, json_integer(in->start_year + i));
	return a;
}

static json_t *cents_array(const long long *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, format_json_number((double)v[i] / 100));
	return a;
}

static void json(FILE *fp, const struct budget_input *in, const struct budget_result *r)
{
	json_t *root = json_object(), *a;
	struct rows rs;
	struct strbuf sb = STRBUF_INIT;
	build_rows(in, r, &rs);
	json_object_set_new(root, "name", in->name ? json_string(in->name) : json_null());
	json_object_set_new(root, "structure", json_string(budget_structure_names[in->structure]));
	json_object_set_new(root, "years", years_json(in));
	json_object_set_new(root, "project_file", json_string(in->file));
	json_object_set_new(root, "parameters_file", json_string(in->table_file));
	json_object_set_new(root, "rounding", json_string(rounding_rule));
	json_object_set_new(root, "carried_forward_rule", json_string(carried_rule));

	a = json_array();
	for (size_t p = 0; p < BUDGET_NPARAMS; p++) {
		const struct budget_param_info *pi = &budget_params[p];
		if (!budget_has(in, p))
			continue;
		json_t *x = json_object(), *vals = json_array(), *orig = json_array();
		json_object_set_new(x, "key", json_string(pi->key));
		json_object_set_new(x, "label", json_string(pi->label));
		json_object_set_new(x, "unit", json_string(pi->unit));
		for (size_t i = 0; i < BUDGET_YEARS; i++) {
			json_array_append_new(vals, format_json_number(in->p[p].v[i]));
			json_array_append_new(orig, origin_json(in, &in->p[p].o[i]));
		}
		json_object_set_new(x, "values", vals);
		json_object_set_new(x, "origins", orig);
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "parameters", a);
	for (size_t k = 0; k < NCHOICES; k++) {
		json_t *x = json_object(), *vals = json_array();
		for (size_t i = 0; i < choice(in, k)->n; i++)
			json_array_append_new(vals, format_json_number(choice(in, k)->v[i]));
		json_object_set_new(x, "values", vals);
		json_object_set_new(x, "origin", origin_json(in, &choice(in, k)->o));
		json_object_set_new(root, choice_keys[k], x);
	}

	static const char *const sections[] = {"charge", "product", "result"};
	static const char *const keys[] = {"charges", "products", "results"};
	for (size_t s = 0; s < 3; s++) {
		a = json_array();
		for (size_t k = 0; k < rs.n; k++) {
			const struct row *rw = &rs.v[k];
			if (strcmp(rw->section, sections[s]))
				continue;
			json_t *x = json_object(), *vals = json_array();
			json_object_set_new(x, "id", json_string(rw->id));
			json_object_set_new(x, "label", json_string(rw->label));
			json_object_set_new(x, "unit", json_string(rw->unit));
			for (size_t c = 0; c < BUDGET_YEARS; c++)
				json_array_append_new(vals, row_json(rw, c));
			json_object_set_new(x, "values", vals);
			json_object_set_new(x, "total", row_json(rw, BUDGET_YEARS));
			if (rw->formula) {
				json_object_set_new(x, "formula", json_string(rw->formula));
			} else {
				json_object_set_new(x, "file", json_string(in->file));
				json_object_set_new(x, "line", json_integer(rw->line));
			}
			json_array_append_new(a, x);
		}
		json_object_set_new(root, keys[s], a);
	}

	a = json_array();
	for (size_t k = 0; k < r->nfunders; k++) {
		const struct budget_funder *f = &r->funders[k];
		json_t *x = json_object();
		json_object_set_new(x, "funder", json_string(funder_ids[f->kind]));
		json_object_set_new(x, "label", json_string(funder_label(f)));
		json_object_set_new(x, "amounts", cents_array(f->amount, BUDGET_YEARS));
		json_object_set_new(x, "total", format_json_number((double)f->total / 100));
		json_object_set_new(x, "share", format_json_number(f->share));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "funding_plan", a);

	a = json_array();
	for (size_t k = 0; k < r->nscen; k++) {
		const struct budget_scenario *s = &r->scen[k];
		json_t *x = json_object();
		json_object_set_new(x, "occupancy", format_json_number(s->occupancy));
		json_object_set_new(x, "aid_change", format_json_number(s->aid_change));
		json_object_set_new(x, "balance", cents_array(s->balance, BUDGET_YEARS));
		json_object_set_new(x, "total", format_json_number((double)s->total / 100));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "scenarios", a);

	a = json_array();
	for (size_t k = 0; k < r->nsens; k++) {
		const struct budget_sensitivity *x = &r->sens[k];
		json_t *o = json_object();
		json_object_set_new(o, "assumption", json_string(budget_assumption_id(x->a)));
		json_object_set_new(o, "label", json_string(budget_assumption_label(x->a)));
		json_object_set_new(o, "down", format_json_number((double)x->down / 100));
		json_object_set_new(o, "up", format_json_number((double)x->up / 100));
		json_object_set_new(o, "capped", json_boolean(x->capped));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "sensitivity_effects", a);

	a = json_array();
	for (size_t k = 0; k < r->nwarn; k++) {
		const struct budget_warning *w = &r->warn[k];
		json_t *o = json_object();
		json_object_set_new(o, "kind", json_string(warning_ids[w->kind]));
		json_object_set_new(o, "from", json_integer(w->from));
		json_object_set_new(o, "to", json_integer(w->to));
		json_object_set_new(o, "value", format_json_number(w->value));
		json_object_set_new(o, "limit", format_json_number(w->limit));
		strbuf_reset(&sb);
		report_budget_warning(&sb, in, w);
		json_object_set_new(o, "message", json_string(sb.buf));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "warnings", a);
	strbuf_release(&sb);
	format_json_write(fp, root);
}

void report_budget(FILE *fp, enum report_format fmt, const struct budget_input *in,
		   const struct budget_result *r)
{
	if (fmt == REPORT_CSV)
		csv(fp, in, r);
	else if (fmt == REPORT_JSON)
		json(fp, in, r);
	else
		text(fp, in, r);
}

/* ---- the funding plan in words --------------------------------------------- */

/* The citation of a source: s up to its first ": " (what follows is a
 * note on the value), without its parenthesised parts (where it was read,
 * notes in passing) nor the spaces before them. */
static void source_short(struct strbuf *sb, const char *s)
{
	int depth = 0;
	size_t start = sb->len;
	for (; *s && !(!depth && s[0] == ':' && s[1] == ' '); s++) {
		if (*s == '(') {
			depth++;
			while (sb->len > start && sb->buf[sb->len - 1] == ' ')
				strbuf_setlen(sb, sb->len - 1);
		} else if (*s == ')' && depth) {
			depth--;
		} else if (!depth) {
			strbuf_addch(sb, *s);
		}
	}
}

/* The parameters each charge is computed from (BUDGET_NPARAMS ends). */
static const enum budget_param charge_params[][7] = {
    {BUDGET_POSTS, BUDGET_OCCUPANCY, BUDGET_CONTRACT_HOURS, BUDGET_WEEKS_PER_YEAR,
     BUDGET_SMIC_HOURLY, BUDGET_EMPLOYER_COST_FACTOR, BUDGET_NPARAMS},
    {BUDGET_SUPERVISORS_ETP, BUDGET_SUPERVISOR_COST, BUDGET_NPARAMS},
    {BUDGET_ACCOMPANIMENT_ETP, BUDGET_ACCOMPANIMENT_COST, BUDGET_NPARAMS},
    {BUDGET_TRAINING, BUDGET_NPARAMS},
    {BUDGET_DEPRECIATION, BUDGET_NPARAMS},
};

/* "fichier de projet, lignes 51, 52 et 53" for the sorted distinct lines. */
static void project_lines(struct strbuf *sb, unsigned *line, size_t n, bool en)
{
	for (size_t i = 1; i < n; i++) /* insertion sort: a handful */
		for (size_t j = i; j > 0 && line[j - 1] > line[j]; j--) {
			unsigned t = line[j];
			line[j] = line[j - 1];
			line[j - 1] = t;
		}
	strbuf_addstr(sb,
		      en ? (n > 1 ? "project file, lines " : "project file, line ")
			 : (n > 1 ? "fichier de projet, lignes " : "fichier de projet, ligne "));
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%u",
			    i == 0	? ""
			    : i + 1 < n ? ", "
			    : en	? " and "
					: " et ",
			    line[i]);
}

/* The origin in words of a charge computed from params (or given on line). */
static char *charge_origin(const struct budget_input *in, const enum budget_param *params,
			   unsigned line, bool en)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned lines[BUDGET_NPARAMS + 1];
	const struct param_row *rows[BUDGET_NPARAMS * BUDGET_YEARS * PARAMS_MONTHS];
	size_t nl = 0, nr = 0;
	bool terrain = false;
	if (line)
		lines[nl++] = line;
	for (size_t k = 0; params && params[k] != BUDGET_NPARAMS; k++) {
		const struct budget_value *bv = &in->p[params[k]];
		for (size_t y = 0; y < BUDGET_YEARS; y++) {
			const struct budget_origin *o = &bv->o[y];
			if (o->kind == BUDGET_FROM_PROJECT) {
				size_t i;
				for (i = 0; i < nl && lines[i] != o->line; i++)
					;
				if (i == nl)
					lines[nl++] = o->line;
			} else if (o->kind == BUDGET_FROM_TERRAIN) {
				terrain = true;
			} else if (o->kind == BUDGET_FROM_TABLE) {
				for (size_t u = 0; u < o->src.nuse; u++) {
					size_t i;
					for (i = 0; i < nr && rows[i] != o->src.use[u].row; i++)
						;
					if (i == nr)
						rows[nr++] = o->src.use[u].row;
				}
			}
		}
	}
	if (nl)
		project_lines(&sb, lines, nl, en);
	const char *last_id = NULL, *sep = en ? "; " : NBSP "; ";
	if (nl && nr)
		strbuf_addstr(&sb, sep);
	for (size_t i = 0; i < nr; i++) {
		/* one parameter, one label: its sources after it */
		bool same = last_id && !strcmp(last_id, rows[i]->id);
		strbuf_addstr(&sb, same ? ", " : i ? sep : "");
		if (!same) {
			const char *label = rows[i]->label;
			for (size_t p = 0; en && p < BUDGET_NPARAMS; p++)
				if (!strcmp(budget_params[p].key, rows[i]->id))
					label = budget_params[p].label;
			strbuf_addstr(&sb, label);
			strbuf_addstr(&sb, en ? ": " : NBSP ": ");
		}
		source_short(&sb, rows[i]->source);
		last_id = rows[i]->id;
	}
	if (terrain) {
		strbuf_addstr(&sb, sb.len ? sep : "");
		strbuf_addstr(&sb, en ? "terrain's default" : "valeur par défaut de terrain");
	}
	return strbuf_detach(&sb);
}

void report_budget_plan(struct budget_plan *p, const struct budget_input *in,
			const struct budget_result *r, bool en)
{
	static const struct {
		const char *id, *fr, *en;
		size_t off;
	} charges[] = {
	    {"insertion_pay", "Salaires des salariés en insertion (CDDI)",
	     "Insertion employees' pay (CDDI)", offsetof(struct budget_year, pay)},
	    {"supervision", "Encadrement technique", "Technical supervision",
	     offsetof(struct budget_year, supervision)},
	    {"accompaniment", "Accompagnement socioprofessionnel",
	     "Socio-professional accompaniment", offsetof(struct budget_year, accompaniment)},
	    {"training", "Formation des salariés en insertion",
	     "Training of the insertion employees", offsetof(struct budget_year, training)},
	    {"depreciation", "Dotations aux amortissements", "Depreciation",
	     offsetof(struct budget_year, depreciation)},
	};
	memset(p, 0, sizeof(*p));
	for (size_t k = 0; k < sizeof(charges) / sizeof(charges[0]); k++) {
		if (!strcmp(charges[k].id, "depreciation")) /* the operating lines before it */
			for (size_t j = 0; j < in->noperating; j++) {
				struct budget_plan_line *l = &p->charge[p->ncharge++];
				l->id = "operating";
				l->label = in->operating[j].label;
				for (size_t c = 0; c < BUDGET_PLAN_COLS; c++)
					l->v[c] =
					    (c < BUDGET_YEARS ? &r->y[c] : &r->total)->operating[j];
				l->origin = charge_origin(in, NULL, in->operating[j].line, en);
			}
		struct budget_plan_line *l = &p->charge[p->ncharge++];
		l->id = charges[k].id;
		l->label = en ? charges[k].en : charges[k].fr;
		for (size_t c = 0; c < BUDGET_PLAN_COLS; c++)
			l->v[c] =
			    *(const long long *)((const char *)(c < BUDGET_YEARS ? &r->y[c]
										 : &r->total) +
						 charges[k].off);
		l->origin = charge_origin(in, charge_params[k], 0, en);
	}
	for (size_t k = 0; k < r->nfunders; k++) {
		const struct budget_funder *f = &r->funders[k];
		struct budget_plan_line *l = &p->resource[p->nresource++];
		l->id = funder_ids[f->kind];
		l->label =
		    f->kind == BUDGET_FUNDER_STATE ? (en ? "State: integration job subsidy (ASP)"
							 : "État : aide au poste (ASP)")
		    : f->kind == BUDGET_FUNDER_DEPARTEMENT
			? (en ? "Département: RSA co-funding" : "Département : cofinancement RSA")
		    : f->kind == BUDGET_FUNDER_SALES
			? (en ? "Sales (own revenue)" : "Ventes (chiffre d'affaires propre)")
			: f->label;
		for (size_t c = 0; c < BUDGET_PLAN_COLS; c++)
			l->v[c] = c < BUDGET_YEARS ? f->amount[c] : f->total;
	}
	for (size_t c = 0; c < BUDGET_PLAN_COLS; c++) {
		for (size_t k = 0; k < p->ncharge; k++)
			p->charges[c] += p->charge[k].v[c];
		for (size_t k = 0; k < p->nresource; k++)
			p->resources[c] += p->resource[k].v[c];
		p->balance[c] = p->resources[c] - p->charges[c];
	}
}

void report_budget_plan_release(struct budget_plan *p)
{
	for (size_t k = 0; k < p->ncharge; k++)
		free(p->charge[k].origin);
	p->ncharge = 0;
}
