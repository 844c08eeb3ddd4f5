#include "budget.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"

const char *const budget_structure_names[BUDGET_NSTRUCTURES] = {"ACI", "EI", "AI", "ETTI", "EITI"};

bool budget_structure_cddi(enum budget_structure s)
{
	return s == BUDGET_ACI || s == BUDGET_EI || s == BUDGET_ETTI;
}

enum {
	REQ = BUDGET_P_REQUIRED,
	TAB = BUDGET_P_TABLE,
	TER = BUDGET_P_TERRAIN,
	OPT = BUDGET_P_OPTIONAL,
	SHARE = BUDGET_P_SHARE,
	MONEY = BUDGET_P_MONEY,
	ACI = BUDGET_P_ACI,
};

#define EUROS 1e9 /* no amount of a structure's budget is near this */

const struct budget_param_info budget_params[BUDGET_NPARAMS] = {
    [BUDGET_POSTS] = {"posts", "insertion posts (one CDDI each)", "posts", REQ, 0, 10000, 2},
    [BUDGET_CONTRACT_HOURS] = {"contract_hours", "weekly hours of each post", "h/week", REQ, 1, 168,
			       2},
    [BUDGET_OCCUPANCY] = {"occupancy", "share of the posts filled over the year", "share",
			  REQ | SHARE, 0, 1, 1},
    [BUDGET_CONTRACT_MONTHS] = {"contract_months", "planned length of a CDDI, renewals included",
				"months", OPT, 1, 120, 0},
    [BUDGET_SMIC_HOURLY] = {"smic_hourly", "SMIC, gross hourly", "EUR/h", TAB, 0.01, 1000, 2},
    [BUDGET_EMPLOYER_COST_FACTOR] = {"employer_cost_factor",
				     "employer cost of a euro of gross pay at the SMIC",
				     "x gross pay", TAB, 1, 3, 3},
    [BUDGET_WEEKS_PER_YEAR] = {"weeks_per_year", "paid weeks a year", "weeks", TAB, 1, 53, 0},
    [BUDGET_FULL_TIME_HOURS] = {"full_time_hours", "full-time weekly hours (the aid's pro rata)",
				"h/week", TAB, 1, 48, 0},
    [BUDGET_AID_SOCLE] = {"aid_socle", "aide au poste, socle per full-time post",
			  "EUR per ETP a year", TAB | MONEY, 0, 1e6, 2},
    [BUDGET_AID_MODULATION] = {"aid_modulation", "modulated part of the aide au poste",
			       "share of the socle", TER | SHARE, 0, 1, 1, 0,
			       "terrain's default: the lower bound of the modulated part, which "
			       "the préfet sets each year from 0 to 10 % of the socle; only the "
			       "socle is certain"},
    [BUDGET_AID_MODULATION_MAX] = {"aid_modulation_max", "maximum of the modulated part",
				   "share of the socle", TAB | SHARE, 0, 1, 1},
    [BUDGET_SUPERVISORS_ETP] = {"supervisors_etp", "technical supervisors (encadrants)", "ETP", REQ,
				0, 1000, 2},
    [BUDGET_SUPERVISOR_COST] = {"supervisor_cost", "employer cost of one supervisor ETP",
				"EUR a year", REQ | MONEY, 0, EUROS, 2},
    [BUDGET_ACCOMPANIMENT_ETP] = {"accompaniment_etp", "socio-professional accompaniment", "ETP",
				  REQ, 0, 1000, 2},
    [BUDGET_ACCOMPANIMENT_COST] = {"accompaniment_cost", "employer cost of one accompaniment ETP",
				   "EUR a year", REQ | MONEY, 0, EUROS, 2},
    [BUDGET_TRAINING] = {"training", "training of the insertion employees", "EUR a year",
			 REQ | MONEY, 0, EUROS, 2},
    [BUDGET_DEPRECIATION] = {"depreciation", "depreciation (dotations aux amortissements)",
			     "EUR a year", REQ | MONEY, 0, EUROS, 2},
    [BUDGET_RSA_SHARE] = {"rsa_share", "share of the insertion ETP held by RSA beneficiaries",
			  "share", OPT | SHARE, 0, 1, 1},
    [BUDGET_RSA_COFUNDING] = {"rsa_cofunding", "département co-funding per RSA beneficiary ETP",
			      "EUR per ETP a year", OPT | MONEY, 0, 1e6, 2},
    [BUDGET_SALES] = {"sales", "sales (chiffre d'affaires)", "EUR a year", REQ | MONEY, 0, EUROS,
		      2},
    [BUDGET_CDDI_MIN_HOURS] = {"cddi_min_hours", "CDDI, minimum weekly hours", "h/week", TAB, 0, 48,
			       0},
    [BUDGET_CDDI_MIN_MONTHS] = {"cddi_min_months", "CDDI, minimum length", "months", TAB, 0, 120,
				0},
    [BUDGET_CDDI_MAX_MONTHS] = {"cddi_max_months", "CDDI, maximum length with renewals", "months",
				TAB, 1, 120, 0},
    [BUDGET_ACI_SALES_CAP] = {"aci_sales_cap", "ACI sales cap, share of the charges",
			      "share of the charges", TAB | SHARE | ACI, 0, 1, 1},
};

static const struct {
	const char *id, *label;
} assumptions[BUDGET_NASSUMPTIONS] = {
    [BUDGET_A_POSTS] = {"posts", "insertion posts"},
    [BUDGET_A_HOURS] = {"contract_hours", "weekly hours of the posts"},
    [BUDGET_A_OCCUPANCY] = {"occupancy", "occupancy of the posts"},
    [BUDGET_A_SMIC] = {"smic_hourly", "SMIC"},
    [BUDGET_A_COST_FACTOR] = {"employer_cost_factor", "employer cost factor"},
    [BUDGET_A_AID] = {"aid_socle", "aide au poste"},
    [BUDGET_A_SUPERVISION] = {"supervision", "technical supervision"},
    [BUDGET_A_ACCOMPANIMENT] = {"accompaniment", "socio-professional accompaniment"},
    [BUDGET_A_TRAINING] = {"training", "training"},
    [BUDGET_A_OPERATING] = {"operating", "operating costs"},
    [BUDGET_A_DEPRECIATION] = {"depreciation", "depreciation"},
    [BUDGET_A_RSA] = {"rsa_cofunding", "département co-funding"},
    [BUDGET_A_FUNDS] = {"public_funds", "other public funds"},
    [BUDGET_A_SALES] = {"sales", "sales"},
};

const char *budget_assumption_id(enum budget_assumption a)
{
	return assumptions[a].id;
}

const char *budget_assumption_label(enum budget_assumption a)
{
	return assumptions[a].label;
}

void budget_input_release(struct budget_input *in)
{
	free(in->name);
	for (size_t i = 0; i < in->noperating; i++)
		free(in->operating[i].label);
	for (size_t i = 0; i < in->nfunds; i++)
		free(in->funds[i].label);
	memset(in, 0, sizeof(*in));
}

bool budget_has(const struct budget_input *in, enum budget_param p)
{
	return in->p[p].o[0].kind != BUDGET_UNSET;
}

bool budget_carried(const struct budget_input *in)
{
	for (size_t p = 0; p < BUDGET_NPARAMS; p++)
		for (size_t i = 0; i < BUDGET_YEARS; i++)
			if (in->p[p].o[i].kind == BUDGET_FROM_TABLE && in->p[p].o[i].src.carried)
				return true;
	return false;
}

/* ---- checks ----------------------------------------------------------------- */

/* "FILE:LINE: " for where the value came from. */
static void where(const struct budget_input *in, const struct budget_origin *o, struct strbuf *sb)
{
	if (o->kind == BUDGET_FROM_PROJECT)
		strbuf_addf(sb, "%s:%u: ", in->file, o->line);
	else if (o->kind == BUDGET_FROM_TABLE && o->src.nuse)
		strbuf_addf(sb, "%s:%lu: ", in->table_file, o->src.use[o->src.nuse - 1].row->line);
	else
		strbuf_addf(sb, "%s: ", in->file);
}

static enum status fail_at(const struct budget_input *in, const struct budget_origin *o,
			   struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum status fail_at(const struct budget_input *in, const struct budget_origin *o,
			   struct error *err, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	where(in, o, &sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error_set(err, TERRAIN_EDATA, "%s", sb.buf);
	strbuf_release(&sb);
	return TERRAIN_EDATA;
}

static bool applies(const struct budget_input *in, enum budget_param p)
{
	return !(budget_params[p].flags & BUDGET_P_ACI) || in->structure == BUDGET_ACI;
}

static enum status check_choices(const struct budget_input *in, const struct budget_choices *c,
				 const char *key, double min, double max, struct error *err)
{
	const struct budget_origin none = {0};
	if (!c->n || c->n > BUDGET_MAX_CHOICES)
		return fail_at(in, &none, err, "\"%s\" needs 1 to %d values (found %zu)", key,
			       BUDGET_MAX_CHOICES, c->n);
	for (size_t i = 0; i < c->n; i++)
		if (!(c->v[i] >= min && c->v[i] <= max))
			return fail_at(in, &c->o, err,
				       "\"%s\" value %g is out of range (expected %g to %g)", key,
				       c->v[i], min, max);
	return TERRAIN_OK;
}

enum status budget_check(const struct budget_input *in, struct error *err)
{
	const struct budget_origin none = {0};
	enum status st;
	if (in->structure >= BUDGET_NSTRUCTURES)
		return fail_at(in, &none, err, "unknown structure type %d", (int)in->structure);
	if (in->start_year < 2000 || in->start_year > 2100)
		return fail_at(in,
			       &(struct budget_origin){.kind = BUDGET_FROM_PROJECT,
						       .line = in->start_year_line},
			       err, "\"start_year\" %d is out of range (expected 2000 to 2100)",
			       in->start_year);
	for (size_t p = 0; p < BUDGET_NPARAMS; p++) {
		const struct budget_param_info *pi = &budget_params[p];
		const struct budget_value *bv = &in->p[p];
		if (!budget_has(in, p)) {
			if (pi->flags & BUDGET_P_OPTIONAL || !applies(in, p))
				continue;
			return fail_at(in, &none, err, "\"%s\" (%s, %s) is not set", pi->key,
				       pi->label, pi->unit);
		}
		for (size_t i = 0; i < BUDGET_YEARS; i++)
			if (!(bv->v[i] >= pi->min && bv->v[i] <= pi->max))
				return fail_at(in, &bv->o[i], err,
					       "\"%s\" is %g in %d, out of range (expected %g to "
					       "%g, %s)",
					       pi->key, bv->v[i], in->start_year + (int)i, pi->min,
					       pi->max, pi->unit);
	}
	for (size_t i = 0; i < BUDGET_YEARS; i++) {
		int year = in->start_year + (int)i;
		double h = in->p[BUDGET_CONTRACT_HOURS].v[i],
		       ft = in->p[BUDGET_FULL_TIME_HOURS].v[i];
		double m = in->p[BUDGET_AID_MODULATION].v[i];
		double mmax = in->p[BUDGET_AID_MODULATION_MAX].v[i];
		if (h > ft)
			return fail_at(in, &in->p[BUDGET_CONTRACT_HOURS].o[i], err,
				       "\"contract_hours\" is %g h/week in %d, over full time (%g "
				       "h/week, full_time_hours): the aide au poste is prorated up "
				       "to full time only",
				       h, year, ft);
		if (m > mmax)
			return fail_at(
			    in, &in->p[BUDGET_AID_MODULATION].o[i], err,
			    "\"aid_modulation\" is %g %% in %d, over its maximum of %g %% "
			    "of the socle (aid_modulation_max)",
			    m * 100, year, mmax * 100);
	}
	if (budget_has(in, BUDGET_RSA_SHARE) != budget_has(in, BUDGET_RSA_COFUNDING)) {
		bool share = budget_has(in, BUDGET_RSA_SHARE);
		const struct budget_origin *o =
		    &in->p[share ? BUDGET_RSA_SHARE : BUDGET_RSA_COFUNDING].o[0];
		return fail_at(in, o, err,
			       "\"%s\" is set but not \"%s\" (expected both, or neither when the "
			       "département does not co-fund the posts)",
			       share ? "rsa_share" : "rsa_cofunding",
			       share ? "rsa_cofunding" : "rsa_share");
	}
	const struct budget_line *lines[2] = {in->operating, in->funds};
	size_t nlines[2] = {in->noperating, in->nfunds};
	for (int k = 0; k < 2; k++) {
		if (nlines[k] > BUDGET_MAX_LINES)
			return fail_at(in, &none, err, "more than %d %s lines", BUDGET_MAX_LINES,
				       k ? "public_funds" : "operating");
		for (size_t j = 0; j < nlines[k]; j++)
			for (size_t i = 0; i < BUDGET_YEARS; i++)
				if (!(lines[k][j].v[i] >= 0 && lines[k][j].v[i] <= EUROS))
					return fail_at(
					    in,
					    &(struct budget_origin){.kind = BUDGET_FROM_PROJECT,
								    .line = lines[k][j].line},
					    err,
					    "\"%s\" line \"%s\" is %g in %d, out of range "
					    "(expected "
					    "0 to %g euros)",
					    k ? "public_funds" : "operating", lines[k][j].label,
					    lines[k][j].v[i], in->start_year + (int)i, EUROS);
	}
	if (!in->noperating)
		return fail_at(in, &none, err,
			       "no \"operating\" costs (expected lines LABEL: AMOUNT: premises, "
			       "vehicles, tools, overheads)");
	if ((st = check_choices(in, &in->scenario_occupancy, "scenario_occupancy", 0, 1, err)) ||
	    (st = check_choices(in, &in->scenario_aid_change, "scenario_aid_change", -1, 1, err)) ||
	    (st = check_choices(in, &in->sensitivity, "sensitivity", 0.001, 0.9, err)))
		return st;
	if (in->sensitivity.n != 1)
		return fail_at(in, &in->sensitivity.o, err,
			       "\"sensitivity\" takes one value (found %zu)", in->sensitivity.n);
	return TERRAIN_OK;
}

/* ---- computation ------------------------------------------------------------ */

/* How a run departs from the inputs: a factor on each assumption, an
 * occupancy for every year (NAN: the input's), a change of the aid. */
struct adjust {
	double f[BUDGET_NASSUMPTIONS];
	double occupancy;
	double aid_change;
	bool capped; /* set by the run: a factor was capped */
};

static void adjust_init(struct adjust *a)
{
	for (size_t k = 0; k < BUDGET_NASSUMPTIONS; k++)
		a->f[k] = 1;
	a->occupancy = NAN;
	a->aid_change = 0;
	a->capped = false;
}

static long long cents(double euros)
{
	return llround(euros * 100);
}

static double cap(double x, double limit, bool *capped)
{
	if (x > limit) {
		*capped = true;
		return limit;
	}
	return x;
}

static void derive(struct budget_year *y)
{
	y->balance = y->products - y->charges;
	y->cost_per_etp = y->etp > 0 ? (double)y->charges / 100 / y->etp : NAN;
	y->public_share = y->products > 0 ? (double)y->public_funding / (double)y->products : NAN;
	y->sales_share = y->charges > 0 ? (double)y->sales / (double)y->charges : NAN;
	y->break_even_sales = y->charges > y->public_funding ? y->charges - y->public_funding : 0;
}

static void year_compute(const struct budget_input *in, struct adjust *a, size_t i,
			 struct budget_year *y)
{
	const double *f = a->f;
#define V(k) (in->p[k].v[i])
	double posts = V(BUDGET_POSTS) * f[BUDGET_A_POSTS];
	double hours = cap(V(BUDGET_CONTRACT_HOURS) * f[BUDGET_A_HOURS], V(BUDGET_FULL_TIME_HOURS),
			   &a->capped);
	double occ = isnan(a->occupancy) ? V(BUDGET_OCCUPANCY) : a->occupancy;
	occ = cap(occ * f[BUDGET_A_OCCUPANCY], 1, &a->capped);
	double aid = V(BUDGET_AID_SOCLE) * f[BUDGET_A_AID] * (1 + a->aid_change);
	memset(y, 0, sizeof(*y));
	y->year = in->start_year + (int)i;
	y->etp = posts * occ * hours / V(BUDGET_FULL_TIME_HOURS);
	y->paid_hours = posts * occ * hours * V(BUDGET_WEEKS_PER_YEAR);
	y->pay = cents(y->paid_hours * V(BUDGET_SMIC_HOURLY) * f[BUDGET_A_SMIC] *
		       V(BUDGET_EMPLOYER_COST_FACTOR) * f[BUDGET_A_COST_FACTOR]);
	y->supervision =
	    cents(V(BUDGET_SUPERVISORS_ETP) * V(BUDGET_SUPERVISOR_COST) * f[BUDGET_A_SUPERVISION]);
	y->accompaniment = cents(V(BUDGET_ACCOMPANIMENT_ETP) * V(BUDGET_ACCOMPANIMENT_COST) *
				 f[BUDGET_A_ACCOMPANIMENT]);
	y->training = cents(V(BUDGET_TRAINING) * f[BUDGET_A_TRAINING]);
	y->depreciation = cents(V(BUDGET_DEPRECIATION) * f[BUDGET_A_DEPRECIATION]);
	y->charges = y->pay + y->supervision + y->accompaniment + y->training + y->depreciation;
	for (size_t j = 0; j < in->noperating; j++) {
		y->operating[j] = cents(in->operating[j].v[i] * f[BUDGET_A_OPERATING]);
		y->charges += y->operating[j];
	}
	y->aid_socle = cents(y->etp * aid);
	y->aid_modulated = cents(y->etp * aid * V(BUDGET_AID_MODULATION));
	if (budget_has(in, BUDGET_RSA_SHARE))
		y->rsa =
		    cents(y->etp * V(BUDGET_RSA_SHARE) * V(BUDGET_RSA_COFUNDING) * f[BUDGET_A_RSA]);
	y->public_funding = y->aid_socle + y->aid_modulated + y->rsa;
	for (size_t j = 0; j < in->nfunds; j++) {
		y->funds[j] = cents(in->funds[j].v[i] * f[BUDGET_A_FUNDS]);
		y->public_funding += y->funds[j];
	}
	y->sales = cents(V(BUDGET_SALES) * f[BUDGET_A_SALES]);
	y->products = y->public_funding + y->sales;
	derive(y);
#undef V
}

/* The three years and their total. */
static void run(const struct budget_input *in, struct adjust *a, struct budget_year y[],
		struct budget_year *total)
{
	memset(total, 0, sizeof(*total));
	for (size_t i = 0; i < BUDGET_YEARS; i++) {
		year_compute(in, a, i, &y[i]);
		total->etp += y[i].etp;
		total->paid_hours += y[i].paid_hours;
		total->pay += y[i].pay;
		total->supervision += y[i].supervision;
		total->accompaniment += y[i].accompaniment;
		total->training += y[i].training;
		total->depreciation += y[i].depreciation;
		total->charges += y[i].charges;
		total->aid_socle += y[i].aid_socle;
		total->aid_modulated += y[i].aid_modulated;
		total->rsa += y[i].rsa;
		total->sales += y[i].sales;
		total->public_funding += y[i].public_funding;
		total->products += y[i].products;
		for (size_t j = 0; j < BUDGET_MAX_LINES; j++) {
			total->operating[j] += y[i].operating[j];
			total->funds[j] += y[i].funds[j];
		}
	}
	derive(total);
}

static void add_warning(struct budget_result *r, enum budget_warning_kind kind, int year,
			double value, double limit)
{
	struct budget_warning *w = r->nwarn ? &r->warn[r->nwarn - 1] : NULL;
	if (w && w->kind == kind && w->to == year - 1 && w->value == value && w->limit == limit) {
		w->to = year;
		return;
	}
	if (r->nwarn < BUDGET_MAX_WARNINGS)
		r->warn[r->nwarn++] = (struct budget_warning){kind, year, year, value, limit};
}

static void warnings(const struct budget_input *in, struct budget_result *r)
{
	static const enum budget_warning_kind order[] = {
	    BUDGET_W_HOURS_LOW, BUDGET_W_CONTRACT_SHORT, BUDGET_W_CONTRACT_LONG, BUDGET_W_SALES_CAP,
	    BUDGET_W_BREAK_EVEN_CAP};
	bool cddi = budget_structure_cddi(in->structure);
	bool aci = in->structure == BUDGET_ACI;
	bool months = budget_has(in, BUDGET_CONTRACT_MONTHS);
	/* kind by kind, so that a kind's years stay together */
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		for (size_t i = 0; i < BUDGET_YEARS; i++) {
			const struct budget_year *y = &r->y[i];
			double h = in->p[BUDGET_CONTRACT_HOURS].v[i];
			double m = in->p[BUDGET_CONTRACT_MONTHS].v[i];
			double lim;
			switch (order[k]) {
			case BUDGET_W_HOURS_LOW:
				lim = in->p[BUDGET_CDDI_MIN_HOURS].v[i];
				if (cddi && h < lim)
					add_warning(r, order[k], y->year, h, lim);
				break;
			case BUDGET_W_CONTRACT_SHORT:
				lim = in->p[BUDGET_CDDI_MIN_MONTHS].v[i];
				if (cddi && months && m < lim)
					add_warning(r, order[k], y->year, m, lim);
				break;
			case BUDGET_W_CONTRACT_LONG:
				lim = in->p[BUDGET_CDDI_MAX_MONTHS].v[i];
				if (cddi && months && m > lim)
					add_warning(r, order[k], y->year, m, lim);
				break;
			case BUDGET_W_SALES_CAP:
				lim = aci ? in->p[BUDGET_ACI_SALES_CAP].v[i] : 0;
				if (aci && y->sales_share > lim)
					add_warning(r, order[k], y->year, y->sales_share, lim);
				break;
			case BUDGET_W_BREAK_EVEN_CAP:
				lim = aci ? in->p[BUDGET_ACI_SALES_CAP].v[i] : 0;
				if (aci && y->balance < 0 && y->charges > 0 &&
				    (double)y->break_even_sales / (double)y->charges > lim)
					add_warning(
					    r, order[k], y->year,
					    (double)y->break_even_sales / (double)y->charges, lim);
				break;
			}
		}
	}
}

/* Is the assumption part of this budget (a département co-funding, public
 * funds)? */
static bool assumption_applies(const struct budget_input *in, enum budget_assumption a)
{
	if (a == BUDGET_A_RSA)
		return budget_has(in, BUDGET_RSA_SHARE);
	if (a == BUDGET_A_FUNDS)
		return in->nfunds > 0;
	return true;
}

static long long magnitude(const struct budget_sensitivity *s)
{
	long long d = llabs(s->down), u = llabs(s->up);
	return d > u ? d : u;
}

static int by_effect(const void *pa, const void *pb)
{
	const struct budget_sensitivity *a = pa, *b = pb;
	long long ma = magnitude(a), mb = magnitude(b);
	if (ma != mb)
		return ma < mb ? 1 : -1;
	return (int)a->a - (int)b->a; /* stable: the table's order */
}

enum status budget_compute(const struct budget_input *in, struct budget_result *out,
			   struct error *err)
{
	enum status st;
	struct adjust a;
	struct budget_year y[BUDGET_YEARS], total;
	memset(out, 0, sizeof(*out));
	if ((st = budget_check(in, err)))
		return st;
	adjust_init(&a);
	run(in, &a, out->y, &out->total);

	/* the funding plan: who pays what over the three years */
	const struct budget_year *t = &out->total;
	struct budget_funder *f = out->funders;
	f[0] = (struct budget_funder){
	    BUDGET_FUNDER_STATE, NULL, {0}, t->aid_socle + t->aid_modulated, 0};
	for (size_t i = 0; i < BUDGET_YEARS; i++)
		f[0].amount[i] = out->y[i].aid_socle + out->y[i].aid_modulated;
	out->nfunders = 1;
	if (budget_has(in, BUDGET_RSA_SHARE)) {
		f[out->nfunders] =
		    (struct budget_funder){BUDGET_FUNDER_DEPARTEMENT, NULL, {0}, t->rsa, 0};
		for (size_t i = 0; i < BUDGET_YEARS; i++)
			f[out->nfunders].amount[i] = out->y[i].rsa;
		out->nfunders++;
	}
	for (size_t j = 0; j < in->nfunds; j++) {
		f[out->nfunders] = (struct budget_funder){
		    BUDGET_FUNDER_FUND, in->funds[j].label, {0}, t->funds[j], 0};
		for (size_t i = 0; i < BUDGET_YEARS; i++)
			f[out->nfunders].amount[i] = out->y[i].funds[j];
		out->nfunders++;
	}
	f[out->nfunders] = (struct budget_funder){BUDGET_FUNDER_SALES, NULL, {0}, t->sales, 0};
	for (size_t i = 0; i < BUDGET_YEARS; i++)
		f[out->nfunders].amount[i] = out->y[i].sales;
	out->nfunders++;
	for (size_t k = 0; k < out->nfunders; k++)
		f[k].share = t->products > 0 ? (double)f[k].total / (double)t->products : NAN;

	/* scenarios: every occupancy with every change of the aid */
	for (size_t o = 0; o < in->scenario_occupancy.n; o++) {
		for (size_t c = 0; c < in->scenario_aid_change.n; c++) {
			struct budget_scenario *s = &out->scen[out->nscen++];
			adjust_init(&a);
			a.occupancy = in->scenario_occupancy.v[o];
			a.aid_change = in->scenario_aid_change.v[c];
			run(in, &a, y, &total);
			s->occupancy = a.occupancy;
			s->aid_change = a.aid_change;
			for (size_t i = 0; i < BUDGET_YEARS; i++)
				s->balance[i] = y[i].balance;
			s->total = total.balance;
		}
	}

	/* sensitivity: each assumption down and up by the same share */
	double share = in->sensitivity.v[0];
	for (size_t k = 0; k < BUDGET_NASSUMPTIONS; k++) {
		if (!assumption_applies(in, k))
			continue;
		struct budget_sensitivity *s = &out->sens[out->nsens++];
		s->a = k;
		adjust_init(&a);
		a.f[k] = 1 - share;
		run(in, &a, y, &total);
		s->down = total.balance - out->total.balance;
		adjust_init(&a);
		a.f[k] = 1 + share;
		run(in, &a, y, &total);
		s->up = total.balance - out->total.balance;
		s->capped = a.capped;
	}
	qsort(out->sens, out->nsens, sizeof(out->sens[0]), by_effect);

	warnings(in, out);
	return TERRAIN_OK;
}
