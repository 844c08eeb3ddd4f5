/* The budget forecast: the engine on hand-computed cases (the arithmetic
 * is written beside each expected value), its boundaries (no ETP, hours
 * over full time, a parameter left out), scenarios and sensitivity against
 * a direct calculation; the [budget] section read from a project file with
 * its errors; the command end to end. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/budget.h"
#include "../core/fileio.h"
#include "../core/project.h"
#include "../ingest/params.h"
#include "../pipeline/budgetcfg.h"
#include "../report/budget_report.h"
#include "helpers.h"

/* Every year the same value, "from the project file" at line. */
static void set(struct budget_input *in, enum budget_param p, double v, unsigned line)
{
	for (size_t i = 0; i < BUDGET_YEARS; i++) {
		in->p[p].v[i] = v;
		in->p[p].o[i].kind = BUDGET_FROM_PROJECT;
		in->p[p].o[i].line = line;
	}
}

static void choices(struct budget_choices *c, const double *v, size_t n)
{
	memcpy(c->v, v, n * sizeof(*v));
	c->n = n;
	c->o.kind = BUDGET_FROM_TERRAIN;
	c->o.why = "test";
}

/* An ACI of 10 full-time posts with round numbers (lines 1 to 24 of an
 * imaginary terrain.ini). */
static char premises[] = "premises", commune[] = "commune", smic_id[] = "smic_hourly";

static void simple(struct budget_input *in)
{
	static const double occ[] = {0.8, 1}, aid[] = {-0.05, 0}, sens[] = {0.1};
	memset(in, 0, sizeof(*in));
	in->file = "terrain.ini";
	in->table_file = "params.csv";
	in->structure = BUDGET_ACI;
	in->start_year = 2027;
	set(in, BUDGET_POSTS, 10, 1);
	set(in, BUDGET_CONTRACT_HOURS, 35, 2);
	set(in, BUDGET_OCCUPANCY, 1, 3);
	set(in, BUDGET_SMIC_HOURLY, 12, 4);
	set(in, BUDGET_EMPLOYER_COST_FACTOR, 1.05, 5);
	set(in, BUDGET_WEEKS_PER_YEAR, 52, 6);
	set(in, BUDGET_FULL_TIME_HOURS, 35, 7);
	set(in, BUDGET_AID_SOCLE, 24000, 8);
	set(in, BUDGET_AID_MODULATION, 0.05, 9);
	set(in, BUDGET_AID_MODULATION_MAX, 0.1, 10);
	set(in, BUDGET_SUPERVISORS_ETP, 1, 11);
	set(in, BUDGET_SUPERVISOR_COST, 40000, 12);
	set(in, BUDGET_ACCOMPANIMENT_ETP, 0.5, 13);
	set(in, BUDGET_ACCOMPANIMENT_COST, 40000, 14);
	set(in, BUDGET_TRAINING, 5000, 15);
	set(in, BUDGET_DEPRECIATION, 5000, 16);
	set(in, BUDGET_RSA_SHARE, 0.5, 17);
	set(in, BUDGET_RSA_COFUNDING, 4000, 18);
	set(in, BUDGET_SALES, 50000, 19);
	set(in, BUDGET_CDDI_MIN_HOURS, 20, 20);
	set(in, BUDGET_CDDI_MIN_MONTHS, 4, 21);
	set(in, BUDGET_CDDI_MAX_MONTHS, 24, 22);
	set(in, BUDGET_ACI_SALES_CAP, 0.3, 23);
	in->operating[0] = (struct budget_line){premises, {30000, 30000, 30000}, 24};
	in->noperating = 1;
	in->funds[0] = (struct budget_line){commune, {10000, 10000, 10000}, 25};
	in->nfunds = 1;
	choices(&in->scenario_occupancy, occ, 2);
	choices(&in->scenario_aid_change, aid, 2);
	choices(&in->sensitivity, sens, 1);
}

static void test_budget_hand_computed(void)
{
	struct budget_input in;
	struct budget_result r;
	struct error err;
	simple(&in);
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	for (size_t i = 0; i < BUDGET_YEARS; i++) {
		const struct budget_year *y = &r.y[i];
		CU_ASSERT_EQUAL(y->year, 2027 + (int)i);
		/* etp = 10 posts x 100 % x 35 h / 35 h = 10 */
		CU_ASSERT_DOUBLE_EQUAL(y->etp, 10, 1e-12);
		/* paid hours = 10 x 1 x 35 x 52 = 18 200 */
		CU_ASSERT_DOUBLE_EQUAL(y->paid_hours, 18200, 1e-9);
		/* pay = 18 200 h x 12 EUR x 1.05 = 229 320.00 */
		CU_ASSERT_EQUAL(y->pay, 22932000);
		CU_ASSERT_EQUAL(y->supervision, 4000000);   /* 1 x 40 000 */
		CU_ASSERT_EQUAL(y->accompaniment, 2000000); /* 0.5 x 40 000 */
		CU_ASSERT_EQUAL(y->operating[0], 3000000);
		/* charges = 229 320 + 40 000 + 20 000 + 5 000 + 30 000 + 5 000 */
		CU_ASSERT_EQUAL(y->charges, 32932000);
		CU_ASSERT_EQUAL(y->aid_socle, 24000000);    /* 10 x 24 000 */
		CU_ASSERT_EQUAL(y->aid_modulated, 1200000); /* 240 000 x 5 % */
		CU_ASSERT_EQUAL(y->rsa, 2000000);	    /* 10 x 50 % x 4 000 */
		/* public = 240 000 + 12 000 + 20 000 + 10 000 = 282 000 */
		CU_ASSERT_EQUAL(y->public_funding, 28200000);
		CU_ASSERT_EQUAL(y->products, 33200000); /* + 50 000 of sales */
		CU_ASSERT_EQUAL(y->balance, 268000);	/* 332 000 - 329 320 = 2 680 */
		CU_ASSERT_DOUBLE_EQUAL(y->cost_per_etp, 32932, 1e-9); /* 329 320 / 10 */
		CU_ASSERT_DOUBLE_EQUAL(y->public_share, 282000.0 / 332000, 1e-15);
		CU_ASSERT_DOUBLE_EQUAL(y->sales_share, 50000.0 / 329320, 1e-15);
		CU_ASSERT_EQUAL(y->break_even_sales, 4732000); /* 329 320 - 282 000 */
	}
	CU_ASSERT_EQUAL(r.total.charges, 3 * 32932000LL);
	CU_ASSERT_EQUAL(r.total.balance, 3 * 268000LL);
	CU_ASSERT_DOUBLE_EQUAL(r.total.etp, 30, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.total.cost_per_etp, 32932, 1e-9);

	/* funding plan: State 252 000 a year, then the département, the
	 * commune, the sales; shares of 996 000 of products */
	CU_ASSERT_EQUAL_FATAL(r.nfunders, 4);
	CU_ASSERT_EQUAL(r.funders[0].kind, BUDGET_FUNDER_STATE);
	CU_ASSERT_EQUAL(r.funders[0].total, 75600000);
	CU_ASSERT_DOUBLE_EQUAL(r.funders[0].share, 756000.0 / 996000, 1e-15);
	CU_ASSERT_EQUAL(r.funders[1].kind, BUDGET_FUNDER_DEPARTEMENT);
	CU_ASSERT_EQUAL(r.funders[2].kind, BUDGET_FUNDER_FUND);
	CU_ASSERT_STRING_EQUAL(r.funders[2].label, "commune");
	CU_ASSERT_EQUAL(r.funders[3].kind, BUDGET_FUNDER_SALES);
	CU_ASSERT_EQUAL(r.funders[3].amount[0], 5000000);
	double shares = 0;
	for (size_t k = 0; k < r.nfunders; k++)
		shares += r.funders[k].share;
	CU_ASSERT_DOUBLE_EQUAL(shares, 1, 1e-12);

	/* scenario 80 % occupancy, aid -5 %: etp 8, paid hours 14 560,
	 * pay 14 560 x 12 x 1.05 = 183 456; charges 183 456 + 100 000 = 283 456;
	 * aid 8 x 24 000 x 0.95 = 182 400, modulated 9 120, département
	 * 8 x 0.5 x 4 000 = 16 000; products 182 400 + 9 120 + 16 000 + 10 000
	 * + 50 000 = 267 520; balance -15 936 a year */
	CU_ASSERT_EQUAL_FATAL(r.nscen, 4);
	CU_ASSERT_DOUBLE_EQUAL(r.scen[0].occupancy, 0.8, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.scen[0].aid_change, -0.05, 0);
	CU_ASSERT_EQUAL(r.scen[0].balance[0], -1593600);
	CU_ASSERT_EQUAL(r.scen[0].total, -3 * 1593600LL);
	/* 100 %, no change: the base */
	CU_ASSERT_EQUAL(r.scen[3].total, r.total.balance);

	/* sensitivity: SMIC +10 % adds 22 932 of pay a year, -68 796 in all;
	 * the hours and the occupancy, at full time and 100 %, cannot go up */
	bool smic = false, hours = false;
	for (size_t k = 0; k < r.nsens; k++) {
		const struct budget_sensitivity *s = &r.sens[k];
		if (s->a == BUDGET_A_SMIC) {
			smic = true;
			CU_ASSERT_EQUAL(s->up, -6879600);
			CU_ASSERT_EQUAL(s->down, 6879600);
			CU_ASSERT_FALSE(s->capped);
		}
		if (s->a == BUDGET_A_HOURS || s->a == BUDGET_A_OCCUPANCY) {
			hours = true;
			CU_ASSERT_EQUAL(s->up, 0);
			CU_ASSERT_TRUE(s->capped);
		}
		if (k)
			CU_ASSERT(llabs(r.sens[k - 1].down) >= llabs(s->down) ||
				  llabs(r.sens[k - 1].up) >= llabs(s->up));
	}
	CU_ASSERT_TRUE(smic && hours);
	CU_ASSERT_EQUAL(r.nsens, BUDGET_NASSUMPTIONS);
	CU_ASSERT_EQUAL(r.nwarn, 0);
}

/* Lines are rounded to the cent, then added: the tables add up. */
static void test_budget_rounding(void)
{
	struct budget_input in;
	struct budget_result r;
	struct error err;
	simple(&in);
	set(&in, BUDGET_POSTS, 1, 1);
	set(&in, BUDGET_CONTRACT_HOURS, 26, 2);
	set(&in, BUDGET_OCCUPANCY, 0.9, 3);
	set(&in, BUDGET_SMIC_HOURLY, 12.02, 4);
	set(&in, BUDGET_EMPLOYER_COST_FACTOR, 1.044, 5);
	set(&in, BUDGET_AID_SOCLE, 23921, 8);
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	/* 1 x 0.9 x 26 x 52 = 1 216.8 h; x 12.02 x 1.044 = 15 269.477184 */
	CU_ASSERT_EQUAL(r.y[0].pay, 1526948);
	/* etp 0.9 x 26 / 35 = 0.668571...; x 23 921 = 15 992.897142... */
	CU_ASSERT_EQUAL(r.y[0].aid_socle, 1599290);
	/* modulated: 15 992.897142 x 5 % = 799.644857 */
	CU_ASSERT_EQUAL(r.y[0].aid_modulated, 79964);
	CU_ASSERT_EQUAL(r.y[0].charges, 1526948 + 4000000 + 2000000 + 500000 + 3000000 + 500000);
	CU_ASSERT_EQUAL(r.y[0].balance, r.y[0].products - r.y[0].charges);
	CU_ASSERT_EQUAL(r.total.pay, 3 * 1526948LL);
}

/* No insertion post: no pay, no aid, no cost per ETP; the rest stands. */
static void test_budget_zero_etp(void)
{
	struct budget_input in;
	struct budget_result r;
	struct error err;
	simple(&in);
	set(&in, BUDGET_POSTS, 0, 1);
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(r.y[0].etp, 0, 0);
	CU_ASSERT_EQUAL(r.y[0].pay, 0);
	CU_ASSERT_EQUAL(r.y[0].aid_socle, 0);
	CU_ASSERT_EQUAL(r.y[0].rsa, 0);
	CU_ASSERT_TRUE(isnan(r.y[0].cost_per_etp));
	CU_ASSERT_TRUE(isnan(r.total.cost_per_etp));
	/* charges 100 000; products 10 000 + 50 000 */
	CU_ASSERT_EQUAL(r.y[0].charges, 10000000);
	CU_ASSERT_EQUAL(r.y[0].balance, -4000000);
	CU_ASSERT_DOUBLE_EQUAL(r.y[0].public_share, 10000.0 / 60000, 1e-15);
	/* sales of 50 % of the charges: over an ACI's 30 % cap, and it would
	 * take 90 % to balance */
	CU_ASSERT_EQUAL_FATAL(r.nwarn, 2);
	CU_ASSERT_EQUAL(r.warn[0].kind, BUDGET_W_SALES_CAP);
	CU_ASSERT_EQUAL(r.warn[0].from, 2027);
	CU_ASSERT_EQUAL(r.warn[0].to, 2029);
	CU_ASSERT_DOUBLE_EQUAL(r.warn[0].value, 0.5, 1e-15);
	CU_ASSERT_EQUAL(r.warn[1].kind, BUDGET_W_BREAK_EVEN_CAP);
	CU_ASSERT_DOUBLE_EQUAL(r.warn[1].value, 0.9, 1e-15);
	/* no products at all: no share */
	set(&in, BUDGET_SALES, 0, 19);
	in.nfunds = 0;
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_TRUE(isnan(r.y[0].public_share));
	CU_ASSERT_EQUAL(r.y[0].break_even_sales, 10000000);
}

static void expect_error(const struct budget_input *in, const char *want)
{
	struct budget_result r;
	struct error err;
	CU_ASSERT_EQUAL(budget_compute(in, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	if (strcmp(err.msg, want))
		fprintf(stderr, "\ngot:  %s\nwant: %s\n", err.msg, want);
}

static void test_budget_check_errors(void)
{
	struct budget_input in;
	simple(&in);
	in.p[BUDGET_CONTRACT_HOURS].v[1] = 38;
	expect_error(&in, "terrain.ini:2: \"contract_hours\" is 38 h/week in 2028, over full time "
			  "(35 h/week, full_time_hours): the aide au poste is prorated up to full "
			  "time only");
	simple(&in);
	set(&in, BUDGET_AID_MODULATION, 0.12, 9);
	expect_error(&in, "terrain.ini:9: \"aid_modulation\" is 12 % in 2027, over its maximum of "
			  "10 % of the socle (aid_modulation_max)");
	simple(&in);
	set(&in, BUDGET_OCCUPANCY, 1.2, 3);
	expect_error(&in, "terrain.ini:3: \"occupancy\" is 1.2 in 2027, out of range (expected 0 "
			  "to 1, share)");
	simple(&in);
	memset(&in.p[BUDGET_RSA_COFUNDING], 0, sizeof(in.p[0]));
	expect_error(&in, "terrain.ini:17: \"rsa_share\" is set but not \"rsa_cofunding\" "
			  "(expected both, or neither when the département does not co-fund the "
			  "posts)");
	simple(&in);
	memset(&in.p[BUDGET_SUPERVISOR_COST], 0, sizeof(in.p[0]));
	expect_error(&in, "terrain.ini: \"supervisor_cost\" (employer cost of one supervisor ETP, "
			  "EUR a year) is not set");
	/* a table value out of range names the table's line */
	simple(&in);
	struct param_row row = {.id = smic_id, .line = 9, .value = -1};
	for (size_t i = 0; i < BUDGET_YEARS; i++) {
		in.p[BUDGET_SMIC_HOURLY].v[i] = -1;
		in.p[BUDGET_SMIC_HOURLY].o[i].kind = BUDGET_FROM_TABLE;
		in.p[BUDGET_SMIC_HOURLY].o[i].src.use[0].row = &row;
		in.p[BUDGET_SMIC_HOURLY].o[i].src.nuse = 1;
	}
	expect_error(&in, "params.csv:9: \"smic_hourly\" is -1 in 2027, out of range (expected "
			  "0.01 to 1000, EUR/h)");
	simple(&in);
	in.noperating = 0;
	expect_error(&in, "terrain.ini: no \"operating\" costs (expected lines LABEL: AMOUNT: "
			  "premises, vehicles, tools, overheads)");
}

static void test_budget_warnings(void)
{
	struct budget_input in;
	struct budget_result r;
	struct error err;
	simple(&in);
	set(&in, BUDGET_CONTRACT_HOURS, 18, 2);
	set(&in, BUDGET_CONTRACT_MONTHS, 30, 30);
	in.p[BUDGET_CONTRACT_MONTHS].v[0] = 3;
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(r.nwarn, 4);
	/* the three years of one kind in one warning */
	CU_ASSERT_EQUAL(r.warn[0].kind, BUDGET_W_HOURS_LOW);
	CU_ASSERT_EQUAL(r.warn[0].from, 2027);
	CU_ASSERT_EQUAL(r.warn[0].to, 2029);
	CU_ASSERT_DOUBLE_EQUAL(r.warn[0].value, 18, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.warn[0].limit, 20, 0);
	CU_ASSERT_EQUAL(r.warn[1].kind, BUDGET_W_CONTRACT_SHORT);
	CU_ASSERT_EQUAL(r.warn[1].to, 2027);
	CU_ASSERT_EQUAL(r.warn[2].kind, BUDGET_W_CONTRACT_LONG);
	CU_ASSERT_EQUAL(r.warn[2].from, 2028);
	CU_ASSERT_EQUAL(r.warn[2].to, 2029);
	/* at 18 h: pay 10 x 18 x 52 x 12 x 1.05 = 117 936, charges 217 936;
	 * etp 10 x 18 / 35 = 5.142857, aid 123 428.57 + 6 171.43, département
	 * 10 285.71, commune 10 000: public 149 885.71, so it takes sales of
	 * 68 050.29, 31.2 % of the charges, to balance: over the 30 % */
	CU_ASSERT_EQUAL(r.warn[3].kind, BUDGET_W_BREAK_EVEN_CAP);
	CU_ASSERT_DOUBLE_EQUAL(r.warn[3].value, 6805029.0 / 21793600, 1e-12);
	/* the boundaries themselves are allowed: 20 h, 24 months, sales of
	 * 30 % of 231 040 (pay 10 x 20 x 52 x 12 x 1.05 = 131 040 + 100 000) */
	set(&in, BUDGET_CONTRACT_HOURS, 20, 2);
	set(&in, BUDGET_CONTRACT_MONTHS, 24, 30);
	set(&in, BUDGET_SALES, 69312, 19);
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.nwarn, 0);
	/* an AI hires on other contracts and has no sales cap */
	simple(&in);
	in.structure = BUDGET_AI;
	set(&in, BUDGET_CONTRACT_HOURS, 10, 2);
	set(&in, BUDGET_SALES, 500000, 19);
	memset(&in.p[BUDGET_ACI_SALES_CAP], 0, sizeof(in.p[0]));
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.nwarn, 0);
	/* an EI does: 10 h is under the CDDI's 20 */
	in.structure = BUDGET_EI;
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(r.nwarn, 1);
	CU_ASSERT_EQUAL(r.warn[0].kind, BUDGET_W_HOURS_LOW);
}

/* The scenarios and the sensitivity table against a direct calculation:
 * the same inputs with the value changed, computed again. */
static void test_budget_propagation(void)
{
	struct budget_input in;
	struct budget_result base, direct;
	struct error err;
	simple(&in);
	set(&in, BUDGET_CONTRACT_HOURS, 26, 2);
	set(&in, BUDGET_OCCUPANCY, 0.9, 3);
	set(&in, BUDGET_SMIC_HOURLY, 12.02, 4);
	in.p[BUDGET_POSTS].v[2] = 13;
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &base, &err), TERRAIN_OK);
	for (size_t k = 0; k < base.nscen; k++) {
		struct budget_input d = in;
		set(&d, BUDGET_OCCUPANCY, base.scen[k].occupancy, 3);
		set(&d, BUDGET_AID_SOCLE, 24000 * (1 + base.scen[k].aid_change), 8);
		CU_ASSERT_EQUAL_FATAL(budget_compute(&d, &direct, &err), TERRAIN_OK);
		for (size_t i = 0; i < BUDGET_YEARS; i++)
			CU_ASSERT_EQUAL(base.scen[k].balance[i], direct.y[i].balance);
		CU_ASSERT_EQUAL(base.scen[k].total, direct.total.balance);
	}
	for (size_t k = 0; k < base.nsens; k++) {
		const struct budget_sensitivity *s = &base.sens[k];
		struct budget_input d = in;
		double f = 1.1;
		switch (s->a) {
		case BUDGET_A_SMIC:
			set(&d, BUDGET_SMIC_HOURLY, 12.02 * f, 4);
			break;
		case BUDGET_A_AID:
			set(&d, BUDGET_AID_SOCLE, 24000 * f, 8);
			break;
		case BUDGET_A_POSTS:
			for (size_t i = 0; i < BUDGET_YEARS; i++)
				d.p[BUDGET_POSTS].v[i] *= f;
			break;
		case BUDGET_A_OCCUPANCY:
			set(&d, BUDGET_OCCUPANCY, 0.9 * f, 3);
			break;
		case BUDGET_A_SALES:
			set(&d, BUDGET_SALES, 50000 * f, 19);
			break;
		case BUDGET_A_OPERATING:
			for (size_t i = 0; i < BUDGET_YEARS; i++)
				d.operating[0].v[i] *= f;
			break;
		default:
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(budget_compute(&d, &direct, &err), TERRAIN_OK);
		CU_ASSERT_EQUAL(s->up, direct.total.balance - base.total.balance);
	}
}

/* ---- the project file ------------------------------------------------------- */

static struct params table;

static const struct params *bundled_table(void)
{
	if (!table.path) {
		struct strbuf path = STRBUF_INIT;
		struct error err;
		strbuf_addf(&path, "%s/params/budget_parameters.csv", test_datadir());
		CU_ASSERT_EQUAL_FATAL(params_load(path.buf, &table, &err), TERRAIN_OK);
		strbuf_release(&path);
	}
	return &table;
}

#define BUDGET_HEAD_S(S)                                 \
	"[budget]\n"				/* 1 */  \
	"structure = " S "\n"			/* 2 */  \
	"start_year = 2026\n"			/* 3 */  \
	"posts = 10, 12, 12\n"			/* 4 */  \
	"contract_hours = 26\n"			/* 5 */  \
	"occupancy = 90 %\n"			/* 6 */  \
	"supervisors_etp = 2\n"			/* 7 */  \
	"supervisor_cost = 40 000\n"		/* 8 */  \
	"accompaniment_etp = 1\n"		/* 9 */  \
	"accompaniment_cost = 42000\n"		/* 10 */ \
	"training = 9000\n"			/* 11 */ \
	"depreciation = 6000\n"			/* 12 */ \
	"sales = 70000\n"			/* 13 */ \
	"operating = Locaux: 18000\n"		/* 14 */ \
	"    Véhicules : 12000, 12500, 13000\n" /* 15 */
#define BUDGET_HEAD BUDGET_HEAD_S("ACI")

static enum status build(const char *text, struct project *p, struct budget_input *in,
			 struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	memset(in, 0, sizeof(*in));
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	test_write_file(path.buf, text);
	enum status st = project_load(p, path.buf, err);
	if (!st)
		st = budgetcfg_build(p, bundled_table(), in, err);
	strbuf_release(&path);
	return st;
}

static void test_budget_project_file(void)
{
	struct project p;
	struct budget_input in;
	struct budget_result r;
	struct error err;
	enum status st = build(BUDGET_HEAD "scenario_aid_change = -2 %, 0 %\n" /* 16 */
					   "public_funds = FSE+: 40000\n"      /* 17 */
					   "name = Projet\n"		       /* 18 */
					   "    inventé\n",		       /* 19 */
			       &p, &in, &err);
	if (st)
		fprintf(stderr, "\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	CU_ASSERT_EQUAL(in.structure, BUDGET_ACI);
	CU_ASSERT_EQUAL(in.start_year, 2026);
	CU_ASSERT_STRING_EQUAL(in.name, "Projet inventé");
	/* project values with their lines */
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_POSTS].v[0], 10, 0);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_POSTS].v[2], 12, 0);
	CU_ASSERT_EQUAL(in.p[BUDGET_POSTS].o[1].kind, BUDGET_FROM_PROJECT);
	CU_ASSERT_EQUAL(in.p[BUDGET_POSTS].o[1].line, 4);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_OCCUPANCY].v[1], 0.9, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_SUPERVISOR_COST].v[0], 40000, 0);
	CU_ASSERT_EQUAL(in.noperating, 2);
	CU_ASSERT_STRING_EQUAL(in.operating[1].label, "Véhicules");
	CU_ASSERT_DOUBLE_EQUAL(in.operating[1].v[2], 13000, 0);
	CU_ASSERT_EQUAL(in.operating[1].line, 15);
	CU_ASSERT_EQUAL(in.nfunds, 1);
	CU_ASSERT_EQUAL(in.scenario_aid_change.n, 2);
	CU_ASSERT_DOUBLE_EQUAL(in.scenario_aid_change.v[0], -0.02, 1e-15);
	CU_ASSERT_EQUAL(in.scenario_occupancy.o.kind, BUDGET_FROM_TERRAIN);
	CU_ASSERT_EQUAL(in.scenario_occupancy.n, 3);
	/* defaults from the table: the SMIC of 2026 is published, 2027 and
	 * 2028 carry it forward; the ACI socle carries 2024-11-01's */
	const struct budget_value *smic = &in.p[BUDGET_SMIC_HOURLY];
	CU_ASSERT_EQUAL(smic->o[0].kind, BUDGET_FROM_TABLE);
	CU_ASSERT_DOUBLE_EQUAL(smic->v[0], 12.02, 0);
	CU_ASSERT_FALSE(smic->o[0].src.carried);
	CU_ASSERT_TRUE(smic->o[1].src.carried);
	CU_ASSERT_TRUE(in.p[BUDGET_AID_SOCLE].o[0].src.carried);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_AID_SOCLE].v[0], 23921, 0);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_ACI_SALES_CAP].v[0], 0.3, 0);
	CU_ASSERT_TRUE(budget_carried(&in));
	/* terrain's default for the modulated part; no département */
	CU_ASSERT_EQUAL(in.p[BUDGET_AID_MODULATION].o[0].kind, BUDGET_FROM_TERRAIN);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_AID_MODULATION].v[0], 0, 0);
	CU_ASSERT_FALSE(budget_has(&in, BUDGET_RSA_SHARE));
	CU_ASSERT_FALSE(budget_has(&in, BUDGET_CONTRACT_MONTHS));
	/* the first year: 10 x 0.9 x 26 x 52 = 12 168 h x 12.02 x 1.044
	 * = 152 694.77184 */
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.y[0].pay, 15269477);
	budget_input_release(&in);
	project_release(&p);

	/* a project value replaces the table's, for every year */
	CU_ASSERT_EQUAL_FATAL(build(BUDGET_HEAD "smic_hourly = 12.5, 12.75, 13\n", &p, &in, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL(in.p[BUDGET_SMIC_HOURLY].o[2].kind, BUDGET_FROM_PROJECT);
	CU_ASSERT_EQUAL(in.p[BUDGET_SMIC_HOURLY].o[2].line, 16);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_SMIC_HOURLY].v[2], 13, 0);
	budget_input_release(&in);
	project_release(&p);
}

static void build_error(const char *text, const char *want)
{
	struct project p;
	struct budget_input in;
	struct error err;
	CU_ASSERT_EQUAL(build(text, &p, &in, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "terrain.ini");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest, want);
	if (strcmp(rest, want))
		fprintf(stderr, "\ngot:  %s\nwant: %s\n", rest, want);
	CU_ASSERT_PTR_NULL(in.name);
	CU_ASSERT_EQUAL(in.noperating, 0);
	project_release(&p);
}

/* Numbers as a French user types them, in every kind of [budget] key. */
static void test_budget_project_french_numbers(void)
{
	struct project p;
	struct budget_input in;
	struct error err;
	enum status st = build("[budget]\n"				    /* 1 */
			       "structure = ACI\n"			    /* 2 */
			       "start_year = 2026\n"			    /* 3 */
			       "posts = 10, 12, 12\n"			    /* 4 */
			       "contract_hours = 26\n"			    /* 5 */
			       "occupancy = 90 %\n"			    /* 6 */
			       "supervisors_etp = 1,5\n"		    /* 7 */
			       "supervisor_cost = 40 000 €\n"		    /* 8 */
			       "accompaniment_etp = 0,5, 1, 1,5\n"	    /* 9 */
			       "accompaniment_cost = 42\u00a0000,50\n"	    /* 10 */
			       "training = 9000\n"			    /* 11 */
			       "depreciation = 6000\n"			    /* 12 */
			       "sales = 42 000, 43\u202f000, 44 000,50 €\n" /* 13 */
			       "operating = Locaux: 18000\n"		    /* 14 */
			       "    Véhicules : 12000, 12 500, 13000\n"	    /* 15 */
			       "smic_hourly = 12,02 €\n"		    /* 16 */
			       "rsa_share = 12,5 %\n"			    /* 17 */
			       "rsa_cofunding = 5 000 €\n"		    /* 18 */
			       "scenario_occupancy = 85 %, 0,95\n"	    /* 19 */
			       "public_funds = Ville : 1 000,5\n",	    /* 20 */
			       &p, &in, &err);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	if (st)
		fprintf(stderr, "\n%s\n", err.msg);
	const double *v = in.p[BUDGET_SUPERVISORS_ETP].v;
	CU_ASSERT_DOUBLE_EQUAL(v[0], 1.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(v[2], 1.5, 0);
	v = in.p[BUDGET_ACCOMPANIMENT_ETP].v;
	CU_ASSERT_DOUBLE_EQUAL(v[0], 0.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(v[1], 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(v[2], 1.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_SMIC_HOURLY].v[1], 12.02, 1e-12);
	CU_ASSERT_EQUAL(in.p[BUDGET_SMIC_HOURLY].o[1].line, 16);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_SUPERVISOR_COST].v[0], 40000, 0);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_ACCOMPANIMENT_COST].v[2], 42000.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_RSA_SHARE].v[0], 0.125, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(in.p[BUDGET_RSA_COFUNDING].v[0], 5000, 0);
	v = in.p[BUDGET_SALES].v;
	CU_ASSERT_DOUBLE_EQUAL(v[0], 42000, 0);
	CU_ASSERT_DOUBLE_EQUAL(v[1], 43000, 0);
	CU_ASSERT_DOUBLE_EQUAL(v[2], 44000.5, 0);
	CU_ASSERT_EQUAL_FATAL(in.scenario_occupancy.n, 2);
	CU_ASSERT_DOUBLE_EQUAL(in.scenario_occupancy.v[0], 0.85, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(in.scenario_occupancy.v[1], 0.95, 1e-15);
	CU_ASSERT_EQUAL_FATAL(in.nfunds, 1);
	CU_ASSERT_DOUBLE_EQUAL(in.funds[0].v[2], 1000.5, 0);
	CU_ASSERT_EQUAL_FATAL(in.noperating, 2);
	CU_ASSERT_DOUBLE_EQUAL(in.operating[1].v[1], 12500, 0);
	budget_input_release(&in);
	project_release(&p);
}

static void test_budget_project_errors(void)
{
	build_error("[project]\ntitle = x\n",
		    "terrain.ini: no [budget] section (expected the budget's assumptions: see "
		    "README.md, \"Budget forecast\")");
	build_error("[budget]\nstart_year = 2027\n",
		    "terrain.ini:1: [budget] has no \"structure\" (the SIAE type: ACI, EI, AI, "
		    "ETTI or EITI)");
	build_error(
	    "[budget]\nstructure = SIAE\n",
	    "terrain.ini:2: bad value \"SIAE\" for \"structure\" (expected ACI, EI, AI, ETTI "
	    "or EITI)");
	build_error(
	    "[budget]\nstructure = aci\nstart_year = 27\n",
	    "terrain.ini:3: bad value \"27\" for \"start_year\" (expected the first year of "
	    "the budget, such as 2027)");
	/* a required parameter left out is named, with what it is */
	build_error("[budget]\nstructure = ACI\nstart_year = 2027\nposts = 10\n",
		    "terrain.ini:1: [budget] has no \"contract_hours\" (weekly hours of each post, "
		    "h/week): terrain has no default for it");
	/* a default the table does not have is named too: the research found
	 * no EITI aid per post */
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want,
		    "terrain.ini:1: [budget] has no \"aid_socle\" (aide au poste, socle per "
		    "full-time post, EUR per ETP a year) and the parameters table cannot give it: "
		    "no value of \"aid_socle\" for EITI in %s (set \"aid_socle\" in [budget])",
		    bundled_table()->path);
	build_error(BUDGET_HEAD_S("EITI"), want.buf);
	strbuf_release(&want);
	build_error(BUDGET_HEAD "employer_cost_factor = 1.05\nstart_year_x = 1\n",
		    "terrain.ini:17: unknown key \"start_year_x\" in [budget] (expected one of: "
		    "name, structure, start_year, posts, contract_hours, occupancy, "
		    "contract_months, smic_hourly, employer_cost_factor, weeks_per_year, "
		    "full_time_hours, aid_socle, aid_modulation, aid_modulation_max, "
		    "supervisors_etp, supervisor_cost, accompaniment_etp, accompaniment_cost, "
		    "training, operating, depreciation, rsa_share, rsa_cofunding, public_funds, "
		    "sales, cddi_min_hours, cddi_min_months, cddi_max_months, aci_sales_cap, "
		    "scenario_occupancy, scenario_aid_change, sensitivity)");
	/* values */
	build_error(BUDGET_HEAD "aid_modulation = 5\n",
		    "terrain.ini:16: bad value \"5\" for \"aid_modulation\" (expected a share such "
		    "as 90 % or 0.9)");
	build_error(
	    BUDGET_HEAD "rsa_share = 9 000 €\n",
	    "terrain.ini:16: bad value \"9 000 €\" for \"rsa_share\" (expected a share such as "
	    "90 % or 0.9)");
	build_error(
	    BUDGET_HEAD "rsa_cofunding = 10 %\n",
	    "terrain.ini:16: bad value \"10 %\" for \"rsa_cofunding\" (expected an amount in "
	    "euros such as 24000 or 24 000.50)");
	build_error(
	    BUDGET_HEAD "weeks_per_year = 52 €\n",
	    "terrain.ini:16: bad value \"52 €\" for \"weeks_per_year\" (expected a number such "
	    "as 26 or 12.5)");
	build_error(BUDGET_HEAD "rsa_cofunding = -5\n",
		    "terrain.ini:16: bad value \"-5\" for \"rsa_cofunding\" (expected an amount in "
		    "euros such as 24000 or 24 000.50)");
	build_error(
	    BUDGET_HEAD "smic_hourly = 12,02, 12,5\n",
	    "terrain.ini:16: \"smic_hourly\" takes 1 value (for every year) or 3 (for 2026, "
	    "2027 and 2028); found 2");
	build_error(BUDGET_HEAD "employer_cost_factor = 1,044\n",
		    "terrain.ini:16: employer_cost_factor = 1,044 is ambiguous (1.044 or 1044?): "
		    "write 1.044 or 1044");
	build_error(BUDGET_HEAD "contract_months = 12,14,14\n",
		    "terrain.ini:16: contract_months = 12,14,14 is ambiguous (a comma between two "
		    "digits is a decimal comma): write 12, 14, 14 with a space after each comma "
		    "between values");
	build_error(
	    BUDGET_HEAD "    Outillage: 2,500 €\n",
	    "terrain.ini:16: Outillage = 2,500 € is ambiguous (2.5 or 2500?): write 2,5 € or "
	    "2500 €");
	build_error(BUDGET_HEAD "rsa_share = 50 %,\n",
		    "terrain.ini:16: missing value in \"rsa_share\" (expected a share such as 90 % "
		    "or 0.9, or values separated by commas)");
	build_error(BUDGET_HEAD "rsa_cofunding = 1, 2, 3, 4\n",
		    "terrain.ini:16: \"rsa_cofunding\" takes at most 3 values (found more)");
	build_error(BUDGET_HEAD "contract_months = 12\n    24\n",
		    "terrain.ini:17: \"contract_months\" takes one value (this indented line "
		    "continues it)");
	build_error(BUDGET_HEAD "    Outils 3000\n",
		    "terrain.ini:16: bad line \"Outils 3000\" in \"operating\" (expected LABEL: "
		    "AMOUNT, or LABEL: A1, A2, A3 for the three years)");
	build_error(
	    BUDGET_HEAD "    Locaux: 3000\n",
	    "terrain.ini:16: \"operating\" line \"Locaux\" is given twice (first on line 14)");
	build_error(BUDGET_HEAD "scenario_occupancy = 80 %, 90 %, 100 %, 110 %, 70 %, 60 %\n",
		    "terrain.ini:16: \"scenario_occupancy\" takes at most 5 values (found more)");
	build_error(BUDGET_HEAD "rsa_share =\n", "terrain.ini:16: missing value for \"rsa_share\"");
}

/* Every [budget] key of the project file is read by budgetcfg, and the
 * other way round. */
static void test_budget_keys(void)
{
	size_t n = 0;
	for (size_t k = 0; k < PROJECT_BUDGET_NKEYS; k++) {
		const char *key = project_budget_keys[k];
		bool found = false;
		for (size_t p = 0; p < BUDGET_NPARAMS; p++)
			found = found || !strcmp(budget_params[p].key, key);
		for (size_t o = 0; o < BUDGETCFG_NOTHER; o++)
			found = found || !strcmp(budgetcfg_other_keys[o], key);
		CU_ASSERT(found);
		if (!found)
			fprintf(stderr, "\n[budget] key %s is not read\n", key);
		n += found;
	}
	CU_ASSERT_EQUAL(n, BUDGET_NPARAMS + BUDGETCFG_NOTHER);
}

/* ---- the command ------------------------------------------------------------ */

static struct strbuf out = STRBUF_INIT, errout = STRBUF_INIT;

#define RUN(...) test_run((const char *const[]){__VA_ARGS__, NULL}, NULL, NULL, &out, &errout)

static void expect_in(const struct strbuf *sb, const char *needle)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(sb->buf, needle));
	if (!strstr(sb->buf, needle))
		fprintf(stderr, "\nmissing: %s\nin:\n%s\n", needle, sb->buf);
}

#define EXAMPLE "datasets/examples/grenoble/terrain.ini"

/* The invented ACI of the Grenoble example, 2027: 12 posts x 90 % x 26 h
 * x 52 weeks = 14 601.6 paid hours; x 12.02 EUR (the 2026 SMIC, carried
 * forward) x 1.044 = 183 233.726208 -> 183 233.73.  ETP 12 x 0.9 x 26 / 35
 * = 8.022857; x 23 921 EUR (the ACI socle of 2024-11-01, carried forward)
 * = 191 914.765714 -> 191 914.77; its 5 % modulated part 9 595.74. */
static void test_budget_cli_example(void)
{
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", EXAMPLE, "--lang", "en"), 0);
	CU_ASSERT_STRING_EQUAL(errout.buf, "");
	expect_in(&out, "Budget forecast 2027-2029: Chantier d'insertion");
	expect_in(&out, "(projet inventé pour la démonstration)");
	expect_in(&out, "  smic_hourly ");
	expect_in(&out, "12.02*        12.02*        12.02* EUR/h ");
	expect_in(&out, "23 921.00*");
	expect_in(&out, EXAMPLE ":51\n");
	expect_in(&out, "  Insertion employees (CDDI pay)");
	expect_in(&out, "183 233.73");
	expect_in(&out, "191 914.77");
	expect_in(&out, "9 595.74");
	expect_in(&out, "* carried forward: ");
	/* an English budget cites the table's English column */
	expect_in(&out, "decree no. 2025-1228 of 17 December 2025 (+1.18 %) [S]");
	expect_in(&out, "\nWarnings\n  none\n");
	expect_in(&out, "Funding plan (who pays what)");
	expect_in(&out, "Sensitivity: change of the 2027-2029 balance");

	CU_ASSERT_EQUAL(RUN("--format", "csv", "project", "budget", "-c", EXAMPLE, "--lang", "en"),
			0);
	expect_in(&out, "section,item,variant,label,year,value,unit,origin,note\n");
	expect_in(&out, "charge,insertion_pay,,Insertion employees (CDDI pay),2027,183233.73,EUR,");
	expect_in(&out, "parameter,posts,,insertion posts (one CDDI each),2028,14,posts," EXAMPLE
			":51,\n");
	expect_in(&out, "product,aid_socle,,\"Aide au poste, socle (State, ASP)\",2027,191914.77,");
	/* the origin is quoted: the SMIC's note "1,823.03 EUR a month" holds a comma */
	expect_in(&out, "; carried forward (no value published for the year)\",carried forward\n");
	expect_in(&out,
		  "weeks_per_year: 52 weeks a year. hours convention of 151.67 h a month = 35 h "
		  "× 52 / 12 [S]. 1,820 paid hours a year at full time\",");
	expect_in(&out,
		  "1.044 x gross pay. URSSAF simulator, quoted by Staffmatch (2025): about +4.4 "
		  "%, 1,881 EUR a month for 1,801.80 EUR gross [S]. at the SMIC, ");
	expect_in(&out, "smic_hourly from 1 January 2026: 12.02 EUR/h. decree no. 2025-1228 of 17 "
			"December 2025 (+1.18 %) [S]. "
			"1,823.03 EUR a month at 151.67 h;");
	CU_ASSERT_PTR_NULL(strstr(out.buf, "décret"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "simulateur"));

	/* the project's language: French labels and units, the same ids */
	CU_ASSERT_EQUAL(RUN("--format", "csv", "project", "budget", "-c", EXAMPLE), 0);
	expect_in(&out, "section,identifiant,variante,libellé,année,valeur,unité,origine,note\n");
	expect_in(&out, "charge,insertion_pay,,Salaires des salariés en insertion (CDDI),2027,"
			"183233.73,EUR,");
	expect_in(&out,
		  "parameter,posts,,postes d'insertion (un CDDI chacun),2028,14,postes," EXAMPLE
		  ":51,\n");
	expect_in(&out, "product,aid_socle,,\"Aide au poste, socle (État, ASP)\",2027,191914.77,");
	expect_in(&out, "; reportée (aucune valeur publiée pour l'année)\",reportée\n");
	/* the French citations, units and notes of the table */
	expect_in(&out,
		  "weeks_per_year : 52 semaines par an. convention de 151,67 h par mois = 35 h × "
		  "52 / 12 [S]. 1 820 heures payées par an à temps plein\",");
	expect_in(&out,
		  "à partir du 1er janvier 2025 : 1,044 × salaire brut. simulateur de l'Urssaf, "
		  "cité par Staffmatch (2025) : "
		  "environ +4,4 %, soit 1 881 € par mois pour 1 801,80 € brut [S]. au SMIC, ");
	/* a date in words, a decimal comma */
	expect_in(&out, "smic_hourly à partir du 1er janvier 2026 : 12,02 €/h. décret n° 2025-1228 "
			"du 17 décembre 2025 (+1,18 %) [S]. "
			"1 823,03 € par mois pour 151,67 h;");
	CU_ASSERT_PTR_NULL(strstr(out.buf, "decree"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "quoted by"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "hours convention"));
	expect_in(&out, "funding,state,amount,État : aide au poste (ASP),2027,201510.51,EUR,");
	expect_in(&out,
		  "parameter,scenario_occupancy,1,,,0.8,part,\"valeur par défaut de terrain : "
		  "80, 90 et 100 % des postes occupés\",\n");
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", EXAMPLE), 0);
	expect_in(&out, "Budget prévisionnel 2027-2029 : Chantier d'insertion");
	/* French numbers in the text: a decimal comma */
	expect_in(&out, "  Salaires des salariés en insertion (CDDI)          183 233,73    "
			"213 772,68    213 772,68    610 779,09\n");
	expect_in(&out, "12,02*        12,02*        12,02* EUR/h ");
	expect_in(&out, "\nAlertes\n  aucune\n");
	expect_in(&out, "Plan de financement (qui paie quoi)");
	expect_in(&out, "  Total des produits ");
	expect_in(&out, "Sensibilité : variation du résultat 2027-2029");

	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", EXAMPLE, "--format", "json"), 0);
	json_error_t je;
	json_t *root = json_loads(out.buf, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(root, "structure")), "ACI");
	json_t *charges = json_object_get(root, "charges");
	json_t *pay = json_array_get(charges, 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(pay, "id")), "insertion_pay");
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_array_get(json_object_get(pay, "values"), 0)),
			       183233.73, 1e-9);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(root, "scenarios")), 9);
	json_decref(root);
	/* a table row's source and note in the budget's language */
	expect_in(&out, "\"source\": \"convention de 151,67 h par mois = 35 h × 52 / 12\"");
	expect_in(&out, "\"note\": \"1 820 heures payées par an à temps plein\"");
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", EXAMPLE, "--format", "json", "--lang", "en"),
			0);
	expect_in(&out, "\"source\": \"hours convention of 151.67 h a month = 35 h × 52 / 12\"");
	expect_in(&out, "\"note\": \"1,820 paid hours a year at full time\"");
}

static void test_budget_cli_errors(void)
{
	CU_ASSERT_EQUAL(RUN("project"), 2);
	CU_ASSERT_STRING_EQUAL(errout.buf, "terrain: project needs a subcommand: size or budget\n"
					   "Try 'terrain --help'.\n");
	CU_ASSERT_EQUAL(RUN("project", "sise"), 2);
	expect_in(&errout, "unknown subcommand 'project sise' (expected size or budget)");
	CU_ASSERT_EQUAL(RUN("project", "budget", "extra", "-c", EXAMPLE), 2);
	expect_in(&errout, "project budget takes no arguments (found 'extra')");
	CU_ASSERT_EQUAL(RUN("project", "budget", "--help"), 0);
	expect_in(&out, "terrain project budget [-c FILE]");
	CU_ASSERT_EQUAL(RUN("help", "project"), 0);
	expect_in(&out, "terrain project budget [-c FILE]");

	/* a project without [budget]; one that leaves a parameter out */
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	test_write_file(path.buf, "[project]\nterritory = 38185\n");
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", path.buf), 1);
	expect_in(&errout, "terrain.ini: no [budget] section");
	test_write_file(path.buf, "[budget]\nstructure = EI\nstart_year = 2027\nposts = 4\n"
				  "contract_hours = 30\noccupancy = 1\nsupervisors_etp = 1\n");
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", path.buf), 1);
	expect_in(&errout, "terrain.ini:1: [budget] has no \"supervisor_cost\" (employer cost of "
			   "one supervisor ETP, EUR a year): terrain has no default for it\n");
	test_write_file(path.buf, BUDGET_HEAD "contract_hours_x = 1\n");
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", path.buf), 1);
	expect_in(&errout, "terrain.ini:16: unknown key \"contract_hours_x\" in [budget]");
	/* hours over full time: an error at its line */
	struct strbuf t = STRBUF_INIT;
	strbuf_addstr(&t, BUDGET_HEAD);
	memcpy(strstr(t.buf, "= 26"), "= 38", 4);
	test_write_file(path.buf, t.buf);
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", path.buf), 1);
	expect_in(&errout, "terrain.ini:5: \"contract_hours\" is 38 h/week in 2026, over full time "
			   "(35 h/week, full_time_hours)");
	CU_ASSERT_STRING_EQUAL(out.buf, "");
	strbuf_release(&t);
	strbuf_release(&path);
}

/* terrain run checks the whole project file before it writes anything: a
 * [budget] error leaves no output folder (it came after the portrait, the
 * indicators and the survey had been written). */
static void test_budget_run_checks_first(void)
{
	struct strbuf path = STRBUF_INIT, outdir = STRBUF_INIT, t = STRBUF_INIT;
	strbuf_addf(&path, "%s/run_budget.ini", test_tmpdir());
	strbuf_addf(&outdir, "%s/run_budget_out", test_tmpdir());
	strbuf_addstr(&t, "[project]\nterritory = 38185\n\n" BUDGET_HEAD);
	memcpy(strstr(t.buf, "= 26"), "= 38", 4);
	test_write_file(path.buf, t.buf);
	CU_ASSERT_EQUAL(RUN("run", "-c", path.buf, "--output", outdir.buf), 1);
	expect_in(&errout, "run_budget.ini:8: \"contract_hours\" is 38 h/week in 2026, over full "
			   "time (35 h/week, full_time_hours)");
	CU_ASSERT_FALSE(fileio_exists(outdir.buf));
	CU_ASSERT_STRING_EQUAL(out.buf, "");
	strbuf_release(&t);
	strbuf_release(&outdir);
	strbuf_release(&path);
}

static int cleanup(void)
{
	if (table.path)
		params_release(&table);
	strbuf_release(&out);
	strbuf_release(&errout);
	return 0;
}

/* The funding plan: the charges by line and the products by funder add up
 * to the budget's charges and products to the cent, the balance is their
 * difference, and each charge says where it comes from in words. */
static void test_budget_plan(void)
{
	struct project p;
	struct budget_input in;
	struct budget_result r;
	struct budget_plan plan;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(
	    build(BUDGET_HEAD "public_funds = FSE+: 40000\n" /* 16 */, &p, &in, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(budget_compute(&in, &r, &err), TERRAIN_OK);
	report_budget_plan(&plan, &in, &r, false);
	/* pay, supervision, accompaniment, training, 2 operating lines, depreciation */
	CU_ASSERT_EQUAL(plan.ncharge, 7);
	/* the State, the FSE+, the sales (no RSA co-funding) */
	CU_ASSERT_EQUAL(plan.nresource, 3);
	for (int c = 0; c < BUDGET_PLAN_COLS; c++) {
		const struct budget_year *y = c < BUDGET_YEARS ? &r.y[c] : &r.total;
		long long ch = 0, re = 0;
		for (size_t k = 0; k < plan.ncharge; k++)
			ch += plan.charge[k].v[c];
		for (size_t k = 0; k < plan.nresource; k++)
			re += plan.resource[k].v[c];
		CU_ASSERT_EQUAL(ch, y->charges);
		CU_ASSERT_EQUAL(plan.charges[c], y->charges);
		CU_ASSERT_EQUAL(re, y->products);
		CU_ASSERT_EQUAL(plan.resources[c], y->products);
		CU_ASSERT_EQUAL(plan.balance[c], y->balance);
		CU_ASSERT_EQUAL(plan.charges[c] + plan.balance[c], plan.resources[c]);
	}
	CU_ASSERT_STRING_EQUAL(plan.charge[0].id, "insertion_pay");
	CU_ASSERT_STRING_EQUAL(plan.charge[0].label, "Salaires des salariés en insertion (CDDI)");
	/* the project's lines, then the table's label and citation (its
	 * parenthesised parts and its note after ": " left out) */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(plan.charge[0].origin, "fichier de projet, lignes 4, 5 et 6\xc2\xa0; "));
	CU_ASSERT_PTR_NOT_NULL(strstr(plan.charge[0].origin,
				      "SMIC horaire brut\xc2\xa0: décret n° 2025-1228 du 17 "
				      "décembre 2025\xc2\xa0; "));
	CU_ASSERT_PTR_NULL(strstr(plan.charge[0].origin, "(+1.18"));
	/* each table row cited in French (the employer cost's note after " : "
	 * left out, no space before the next separator) */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(plan.charge[0].origin,
		   "Semaines payées par an\xc2\xa0: convention de 151,67 h par mois "
		   "= 35 h × 52 / 12\xc2\xa0; "));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(plan.charge[0].origin,
		   "cotisations légales seules\xc2\xa0: simulateur de l'Urssaf, cité "
		   "par Staffmatch"));
	CU_ASSERT_PTR_NULL(strstr(plan.charge[0].origin, "Staffmatch "));
	CU_ASSERT_PTR_NULL(strstr(plan.charge[0].origin, "hours convention"));
	CU_ASSERT_PTR_NULL(strstr(plan.charge[0].origin, "budget_parameters.csv"));
	CU_ASSERT_STRING_EQUAL(plan.charge[1].label, "Encadrement technique");
	CU_ASSERT_STRING_EQUAL(plan.charge[1].origin, "fichier de projet, lignes 7 et 8");
	CU_ASSERT_STRING_EQUAL(plan.charge[5].label, "Véhicules");
	CU_ASSERT_STRING_EQUAL(plan.charge[5].origin, "fichier de projet, ligne 15");
	CU_ASSERT_EQUAL(plan.charge[5].v[2], 1300000);
	CU_ASSERT_STRING_EQUAL(plan.charge[6].label, "Dotations aux amortissements");
	CU_ASSERT_STRING_EQUAL(plan.resource[0].label, "État : aide au poste (ASP)");
	CU_ASSERT_STRING_EQUAL(plan.resource[1].label, "FSE+");
	CU_ASSERT_STRING_EQUAL(plan.resource[2].label, "Ventes (chiffre d'affaires propre)");
	report_budget_plan_release(&plan);

	report_budget_plan(&plan, &in, &r, true);
	CU_ASSERT_STRING_EQUAL(plan.charge[1].label, "Technical supervision");
	CU_ASSERT_STRING_EQUAL(plan.charge[1].origin, "project file, lines 7 and 8");
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(plan.charge[0].origin, "project file, lines 4, 5 and 6; paid weeks a year: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    plan.charge[0].origin, "paid weeks a year: hours convention of 151.67 h a month = 35 h "
				   "× 52 / 12; "));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(plan.charge[0].origin,
		   "; SMIC, gross hourly: decree no. 2025-1228 of 17 December 2025; "));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(plan.charge[0].origin, "at the SMIC: URSSAF simulator, quoted by Staffmatch"));
	CU_ASSERT_PTR_NULL(strstr(plan.charge[0].origin, "décret"));
	CU_ASSERT_PTR_NULL(strstr(plan.charge[0].origin, "convention de"));
	CU_ASSERT_STRING_EQUAL(plan.resource[0].label, "State: integration job subsidy (ASP)");
	report_budget_plan_release(&plan);
	budget_input_release(&in);
	project_release(&p);
}

/* terrain report on the example: tables.xlsx holds the funding plan and
 * the charges' detail beside the budget, in the note's language (a French
 * note, then an English one beside it), with their rows and amounts. */
static void test_budget_xlsx_sheets(void)
{
	struct strbuf path = STRBUF_INIT;
	const char *dir = test_tmpdir();
	CU_ASSERT_EQUAL_FATAL(RUN("report", "-c", EXAMPLE, "--output", dir), 0);
	strbuf_addf(&path, "%s/com_38185/tables.xlsx", dir);
	char *wb = test_zip_member(path.buf, "xl/workbook.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "<sheet name=\"Budget\" sheetId=\"3\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "<sheet name=\"Plan de financement\" sheetId=\"4\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "<sheet name=\"Détail des charges\" sheetId=\"5\""));
	free(wb);
	char *ss = test_zip_member(path.buf, "xl/sharedStrings.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ss);
	static const char *const fr[] = {
	    "<t>Emplois</t>", "<t>Total des emplois</t>", "<t>Ressources</t>",
	    "<t>Total des ressources</t>",
	    /* 2027 is not balanced: the balance line */
	    "<t>Solde (ressources - emplois)</t>", "<t>État : aide au poste (ASP)</t>",
	    "<t>Salaires des salariés en insertion (CDDI)</t>", "<t>Origine</t>",
	    "<t>fichier de projet, lignes 58 et 59</t>"};
	for (size_t k = 0; k < sizeof(fr) / sizeof(fr[0]); k++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(ss, fr[k]));
		if (!strstr(ss, fr[k]))
			fprintf(stderr, "\nmissing in sharedStrings.xml: %s\n", fr[k]);
	}
	free(ss);
	/* the plan's sheet: the pay of 2027 (first charge, row 4 under the
	 * title, the header and "Emplois"), the balance of 2027 last */
	char *plan = test_zip_member(path.buf, "xl/worksheets/sheet4.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
	CU_ASSERT_PTR_NOT_NULL(strstr(plan, "<c r=\"B4\" s=\"3\"><v>183233.73</v></c>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(plan, "<v>-13666.08</v>"));
	free(plan);
	char *detail = test_zip_member(path.buf, "xl/worksheets/sheet5.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(detail);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "<c r=\"E3\" s=\"3\"><v>610779.09</v></c>"));
	free(detail);

	CU_ASSERT_EQUAL_FATAL(RUN("report", "-c", EXAMPLE, "--output", dir, "--lang", "en"), 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/com_38185/tables.en.xlsx", dir);
	wb = test_zip_member(path.buf, "xl/workbook.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "<sheet name=\"Funding plan\" sheetId=\"4\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "<sheet name=\"Charges in detail\" sheetId=\"5\""));
	free(wb);
	ss = test_zip_member(path.buf, "xl/sharedStrings.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ss);
	CU_ASSERT_PTR_NOT_NULL(strstr(ss, "<t>Total uses</t>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ss, "<t>project file, lines 58 and 59</t>"));
	CU_ASSERT_PTR_NULL(strstr(ss, "Emplois"));
	free(ss);
	/* budget.csv stays in the project's language beside an English note */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/com_38185/budget.csv", dir);
	char *csv = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	CU_ASSERT_EQUAL(strncmp(csv, "section,identifiant,variante,libellé,", 37), 0);
	free(csv);
	strbuf_release(&path);
}

void suite_budget(void)
{
	CU_pSuite s = CU_add_suite("budget", NULL, cleanup);
	ADD_TEST(s, test_budget_hand_computed);
	ADD_TEST(s, test_budget_rounding);
	ADD_TEST(s, test_budget_zero_etp);
	ADD_TEST(s, test_budget_check_errors);
	ADD_TEST(s, test_budget_warnings);
	ADD_TEST(s, test_budget_propagation);
	ADD_TEST(s, test_budget_project_file);
	ADD_TEST(s, test_budget_project_errors);
	ADD_TEST(s, test_budget_project_french_numbers);
	ADD_TEST(s, test_budget_keys);
	ADD_TEST(s, test_budget_plan);
	ADD_TEST(s, test_budget_xlsx_sheets);
	ADD_TEST(s, test_budget_cli_example);
	ADD_TEST(s, test_budget_cli_errors);
	ADD_TEST(s, test_budget_run_checks_first);
}
