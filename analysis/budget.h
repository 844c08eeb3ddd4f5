/* The three-year budget forecast of an insertion structure (SIAE), issue 6:
 * charges, products, balance, cost per insertion ETP, public funding share,
 * break-even sales, the funding plan, scenarios, a sensitivity table and
 * the regulatory warnings.  Pure computation: the inputs come resolved,
 * each value with its origin (the project file's line, or the parameters
 * table's rows, or terrain's own default), and ingest/budgetcfg.c builds
 * them.
 *
 * For each year (a calendar year; "posts" are the convention's insertion
 * posts, each one CDDI of contract_hours a week):
 *
 *   etp              = posts x occupancy x contract_hours / full_time_hours
 *   paid hours       = posts x occupancy x contract_hours x weeks_per_year
 *   insertion pay    = paid hours x smic_hourly x employer_cost_factor
 *   supervision      = supervisors_etp x supervisor_cost
 *   accompaniment    = accompaniment_etp x accompaniment_cost
 *   training, each operating line, depreciation: as given
 *   charges          = the sum of the above
 *   aid, socle       = etp x aid_socle
 *   aid, modulated   = etp x aid_socle x aid_modulation
 *   département      = etp x rsa_share x rsa_cofunding
 *   public funding   = aid + département + each public_funds line
 *   products         = public funding + sales
 *   balance          = products - charges
 *   cost per ETP     = charges / etp                    (none without ETP)
 *   public share     = public funding / products        (none without products)
 *   break-even sales = max(0, charges - public funding)
 *
 * The three-year total applies the same formulas to the summed lines.
 *
 * Money is kept in cents: each line is computed in full precision from its
 * inputs and rounded to the cent, half away from zero; charges, products,
 * balances and the funding plan are sums of rounded lines, so every table
 * adds up to the cent. */
#ifndef TERRAIN_BUDGET_H
#define TERRAIN_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/params.h"

#define BUDGET_YEARS	    3
#define BUDGET_MAX_LINES    16 /* operating lines; public funds lines */
#define BUDGET_MAX_CHOICES  5  /* values of a scenario axis */
#define BUDGET_MAX_WARNINGS 32 /* more are dropped */

enum budget_structure {
	BUDGET_ACI,
	BUDGET_EI,
	BUDGET_AI,
	BUDGET_ETTI,
	BUDGET_EITI,
	BUDGET_NSTRUCTURES
};

/* "ACI", "EI", "AI", "ETTI", "EITI". */
extern const char *const budget_structure_names[BUDGET_NSTRUCTURES];

/* Does the structure hire on CDDI (ACI, EI, ETTI: Code du travail
 * L5132-15-1, L5132-11-1), so that the CDDI's hours and duration apply? */
bool budget_structure_cddi(enum budget_structure s);

/* The parameters that take one value a year (one written value stands for
 * all three years). */
enum budget_param {
	BUDGET_POSTS,
	BUDGET_CONTRACT_HOURS,
	BUDGET_OCCUPANCY,
	BUDGET_CONTRACT_MONTHS,
	BUDGET_SMIC_HOURLY,
	BUDGET_EMPLOYER_COST_FACTOR,
	BUDGET_WEEKS_PER_YEAR,
	BUDGET_FULL_TIME_HOURS,
	BUDGET_AID_SOCLE,
	BUDGET_AID_MODULATION,
	BUDGET_AID_MODULATION_MAX,
	BUDGET_SUPERVISORS_ETP,
	BUDGET_SUPERVISOR_COST,
	BUDGET_ACCOMPANIMENT_ETP,
	BUDGET_ACCOMPANIMENT_COST,
	BUDGET_TRAINING,
	BUDGET_DEPRECIATION,
	BUDGET_RSA_SHARE,
	BUDGET_RSA_COFUNDING,
	BUDGET_SALES,
	BUDGET_CDDI_MIN_HOURS,
	BUDGET_CDDI_MIN_MONTHS,
	BUDGET_CDDI_MAX_MONTHS,
	BUDGET_ACI_SALES_CAP,
	BUDGET_NPARAMS
};

enum budget_param_flag {
	BUDGET_P_REQUIRED = 1, /* no default: the project file must give it */
	BUDGET_P_TABLE = 2,    /* default from the parameters table */
	BUDGET_P_TERRAIN = 4,  /* terrain's own default (default_value, why) */
	BUDGET_P_OPTIONAL = 8, /* may stay unset */
	BUDGET_P_SHARE = 16,   /* a share: written 90 % or 0.9 */
	BUDGET_P_MONEY = 32,   /* euros */
	BUDGET_P_ACI = 64,     /* looked up for an ACI only */
};

struct budget_param_info {
	const char *key;   /* in [budget] and in the parameters table */
	const char *label; /* what it is, in English */
	const char *unit;
	unsigned flags;	      /* enum budget_param_flag */
	double min, max;      /* accepted range, inclusive */
	int decimals;	      /* for text output */
	double default_value; /* BUDGET_P_TERRAIN */
	const char *why;      /* BUDGET_P_TERRAIN: why that default */
};

extern const struct budget_param_info budget_params[BUDGET_NPARAMS];

enum budget_origin_kind {
	BUDGET_UNSET = 0,
	BUDGET_FROM_PROJECT, /* the project file, line */
	BUDGET_FROM_TABLE,   /* the parameters table, src */
	BUDGET_FROM_TERRAIN, /* terrain's default, why */
};

struct budget_origin {
	enum budget_origin_kind kind;
	unsigned line;		 /* FROM_PROJECT */
	struct params_value src; /* FROM_TABLE: the rows, borrowed from the table */
	const char *why;	 /* FROM_TERRAIN: static text */
};

struct budget_value {
	double v[BUDGET_YEARS];
	struct budget_origin o[BUDGET_YEARS];
};

/* An operating cost or a public fund: a label and its amount each year
 * (euros), from a line of the project file. */
struct budget_line {
	char *label; /* owned */
	double v[BUDGET_YEARS];
	unsigned line;
};

/* A list of values that is not by year (scenario axes, sensitivity). */
struct budget_choices {
	double v[BUDGET_MAX_CHOICES];
	size_t n;
	struct budget_origin o;
};

struct budget_input {
	const char *file;	/* borrowed: the project file, for origins and messages */
	const char *table_file; /* borrowed: the parameters table */
	char *name;		/* owned, or NULL */
	unsigned name_line;
	enum budget_structure structure;
	unsigned structure_line;
	int start_year; /* the first of the three years */
	unsigned start_year_line;
	struct budget_value p[BUDGET_NPARAMS]; /* o[].kind BUDGET_UNSET: not given */
	struct budget_line operating[BUDGET_MAX_LINES];
	size_t noperating;
	struct budget_line funds[BUDGET_MAX_LINES]; /* public funds: FSE+, communes, EPCI... */
	size_t nfunds;
	struct budget_choices scenario_occupancy;  /* shares */
	struct budget_choices scenario_aid_change; /* shares: -0.05 for -5 % */
	struct budget_choices sensitivity;	   /* one share: 0.1 for +-10 % */
};

/* Free what in owns; a zeroed input may be released too. */
void budget_input_release(struct budget_input *in);

/* Is p given (by the project file, the table or terrain's default)? */
bool budget_has(const struct budget_input *in, enum budget_param p);

/* Does any value come from a series carried forward past its latest row? */
bool budget_carried(const struct budget_input *in);

struct budget_year {
	int year; /* 0 for the three-year total */
	double etp, paid_hours;
	long long pay, supervision, accompaniment, training, depreciation; /* cents */
	long long operating[BUDGET_MAX_LINES];
	long long charges;
	long long aid_socle, aid_modulated, rsa, funds[BUDGET_MAX_LINES], sales;
	long long public_funding, products, balance;
	long long break_even_sales;
	double cost_per_etp; /* euros; NAN without ETP */
	double public_share; /* 0 to 1; NAN without products */
	double sales_share;  /* sales / charges; NAN without charges */
};

enum budget_funder_kind {
	BUDGET_FUNDER_STATE,	   /* aide au poste, paid by the ASP */
	BUDGET_FUNDER_DEPARTEMENT, /* co-funding for RSA beneficiaries */
	BUDGET_FUNDER_FUND,	   /* a public_funds line */
	BUDGET_FUNDER_SALES,	   /* the structure's own sales */
};

struct budget_funder {
	enum budget_funder_kind kind;
	const char *label;		       /* borrowed: the fund line's label, else NULL */
	long long amount[BUDGET_YEARS], total; /* cents */
	double share;			       /* of the three years' products */
};

struct budget_scenario {
	double occupancy;  /* share, for every year */
	double aid_change; /* share of the aide au poste: -0.05 for -5 % */
	long long balance[BUDGET_YEARS], total;
};

/* What the sensitivity table varies, each by +- the sensitivity share. */
enum budget_assumption {
	BUDGET_A_POSTS,
	BUDGET_A_HOURS,
	BUDGET_A_OCCUPANCY,
	BUDGET_A_SMIC,
	BUDGET_A_COST_FACTOR,
	BUDGET_A_AID,
	BUDGET_A_SUPERVISION,
	BUDGET_A_ACCOMPANIMENT,
	BUDGET_A_TRAINING,
	BUDGET_A_OPERATING,
	BUDGET_A_DEPRECIATION,
	BUDGET_A_RSA,
	BUDGET_A_FUNDS,
	BUDGET_A_SALES,
	BUDGET_NASSUMPTIONS
};

/* Short id ("smic_hourly", "operating") and label of an assumption. */
const char *budget_assumption_id(enum budget_assumption a);
const char *budget_assumption_label(enum budget_assumption a);

struct budget_sensitivity {
	enum budget_assumption a;
	long long down, up; /* change of the three-year balance, cents, at -s and +s */
	bool capped;	    /* +s was capped: occupancy at 100 %, hours at full time */
};

enum budget_warning_kind {
	BUDGET_W_HOURS_LOW,	 /* contract_hours under cddi_min_hours */
	BUDGET_W_CONTRACT_SHORT, /* contract_months under cddi_min_months */
	BUDGET_W_CONTRACT_LONG,	 /* contract_months over cddi_max_months */
	BUDGET_W_SALES_CAP,	 /* an ACI's sales over aci_sales_cap of its charges */
	BUDGET_W_BREAK_EVEN_CAP, /* an ACI balances only with sales over the cap */
};

struct budget_warning {
	enum budget_warning_kind kind;
	int from, to;	     /* the years it holds for */
	double value, limit; /* hours, months or shares */
};

struct budget_result {
	struct budget_year y[BUDGET_YEARS];
	struct budget_year total;
	struct budget_funder funders[3 + BUDGET_MAX_LINES];
	size_t nfunders;
	struct budget_scenario scen[BUDGET_MAX_CHOICES * BUDGET_MAX_CHOICES];
	size_t nscen;
	struct budget_sensitivity sens[BUDGET_NASSUMPTIONS]; /* largest effect first */
	size_t nsens;
	struct budget_warning warn[BUDGET_MAX_WARNINGS];
	size_t nwarn;
};

/* Check the inputs: every required value set and in its range, contract
 * hours at most full time, the modulated part at most its maximum,
 * rsa_share and rsa_cofunding both or neither.  The message names the
 * parameter, the year and where the value came from ("terrain.ini:44: ",
 * or the parameters table's file:line). */
enum status budget_check(const struct budget_input *in, struct error *err);

/* Check, then compute everything into *out. */
enum status budget_compute(const struct budget_input *in, struct budget_result *out,
			   struct error *err);

#endif
