#include "budget_report.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "typo.h"

#define NCOL	  (BUDGET_YEARS + 1) /* the years, then the total */
#define LABEL_MIN 36 /* the label column, widened to the longest label up to LABEL_MAX */
#define LABEL_MAX 64
#define NUM_W	  14
#define NBSP	  "\xc2\xa0" /* French: before ":" and ";" */

/* The French or the English text; en must be in scope. */
#define L(fr_, en_) (en ? (en_) : (fr_))

static const char rounding_rule_en[] =
    "money in euros; each line computed in full precision and rounded to the cent, half away "
    "from zero; totals, balances and the funding plan add the rounded lines";
static const char rounding_rule_fr[] =
    "montants en euros ; chaque ligne calculée en pleine précision et arrondie au centime, "
    "la moitié loin de zéro ; les totaux, les résultats et le plan de financement additionnent "
    "les lignes arrondies";
static const char carried_rule_en[] =
    "a year with no value in the parameters table (none published yet) takes the latest "
    "value before it, carried forward and marked so";
static const char carried_rule_fr[] =
    "une année sans valeur dans la table des paramètres (aucune encore publiée) prend la "
    "dernière valeur connue avant elle, reportée et signalée comme telle";
#define ROUNDING_RULE L(rounding_rule_fr, rounding_rule_en)
#define CARRIED_RULE  L(carried_rule_fr, carried_rule_en)

/* The parameters' labels and units in French (budget_params has them in
 * English). */
static const struct {
	const char *label, *unit;
} params_fr[BUDGET_NPARAMS] = {
    [BUDGET_POSTS] = {"postes d'insertion (un CDDI chacun)", "postes"},
    [BUDGET_CONTRACT_HOURS] = {"heures hebdomadaires de chaque poste", "h/semaine"},
    [BUDGET_OCCUPANCY] = {"taux d'occupation des postes sur l'année", "part"},
    [BUDGET_CONTRACT_MONTHS] = {"durée prévue d'un CDDI, renouvellements compris", "mois"},
    [BUDGET_SMIC_HOURLY] = {"SMIC horaire brut", "EUR/h"},
    [BUDGET_EMPLOYER_COST_FACTOR] = {"coût employeur d'un euro de salaire brut au SMIC",
				     "x salaire brut"},
    [BUDGET_WEEKS_PER_YEAR] = {"semaines payées par an", "semaines"},
    [BUDGET_FULL_TIME_HOURS] = {"durée hebdomadaire à temps plein (proratisation de l'aide)",
				"h/semaine"},
    [BUDGET_AID_SOCLE] = {"aide au poste, montant socle par ETP", "EUR par ETP et par an"},
    [BUDGET_AID_MODULATION] = {"part modulée de l'aide au poste", "part du socle"},
    [BUDGET_AID_MODULATION_MAX] = {"maximum de la part modulée", "part du socle"},
    [BUDGET_SUPERVISORS_ETP] = {"encadrants techniques", "ETP"},
    [BUDGET_SUPERVISOR_COST] = {"coût employeur d'un ETP d'encadrement", "EUR par an"},
    [BUDGET_ACCOMPANIMENT_ETP] = {"accompagnement socioprofessionnel", "ETP"},
    [BUDGET_ACCOMPANIMENT_COST] = {"coût employeur d'un ETP d'accompagnement", "EUR par an"},
    [BUDGET_TRAINING] = {"formation des salariés en insertion", "EUR par an"},
    [BUDGET_DEPRECIATION] = {"dotations aux amortissements", "EUR par an"},
    [BUDGET_RSA_SHARE] = {"part des ETP en insertion tenus par des allocataires du RSA", "part"},
    [BUDGET_RSA_COFUNDING] = {"cofinancement du département par ETP d'allocataire du RSA",
			      "EUR par ETP et par an"},
    [BUDGET_SALES] = {"ventes (chiffre d'affaires)", "EUR par an"},
    [BUDGET_CDDI_MIN_HOURS] = {"CDDI, durée hebdomadaire minimale", "h/semaine"},
    [BUDGET_CDDI_MIN_MONTHS] = {"CDDI, durée minimale", "mois"},
    [BUDGET_CDDI_MAX_MONTHS] = {"CDDI, durée maximale renouvellements compris", "mois"},
    [BUDGET_ACI_SALES_CAP] = {"plafond des ventes d'un ACI, part des charges", "part des charges"},
};

const char *report_budget_param_label(size_t p, bool en)
{
	return L(params_fr[p].label, budget_params[p].label);
}

const char *report_budget_param_unit(size_t p, bool en)
{
	return L(params_fr[p].unit, budget_params[p].unit);
}

#define param_label report_budget_param_label
#define param_unit  report_budget_param_unit

/* The sensitivity's assumptions in French. */
static const char *const assumptions_fr[BUDGET_NASSUMPTIONS] = {
    [BUDGET_A_POSTS] = "postes d'insertion",
    [BUDGET_A_HOURS] = "heures hebdomadaires des postes",
    [BUDGET_A_OCCUPANCY] = "occupation des postes",
    [BUDGET_A_SMIC] = "SMIC",
    [BUDGET_A_COST_FACTOR] = "coefficient de coût employeur",
    [BUDGET_A_AID] = "aide au poste",
    [BUDGET_A_SUPERVISION] = "encadrement technique",
    [BUDGET_A_ACCOMPANIMENT] = "accompagnement socioprofessionnel",
    [BUDGET_A_TRAINING] = "formation",
    [BUDGET_A_OPERATING] = "frais de fonctionnement",
    [BUDGET_A_DEPRECIATION] = "amortissements",
    [BUDGET_A_RSA] = "cofinancement du département",
    [BUDGET_A_FUNDS] = "autres financements publics",
    [BUDGET_A_SALES] = "ventes",
};

static const char *assumption_label(enum budget_assumption a, bool en)
{
	return L(assumptions_fr[a], budget_assumption_label(a));
}

/* Terrain's own defaults in words: the English text as budgetcfg and
 * budget_params give it, its French for a French output (a text not in
 * this table: "valeur par défaut de terrain"). */
static const char *why_text(const char *why, bool en)
{
	static const char *const fr[][2] = {
	    {"terrain's default: 80, 90 and 100 % of the posts filled",
	     "valeur par défaut de terrain : 80, 90 et 100 % des postes occupés"},
	    {"terrain's default: -5 %, 0, +5 % (the State's 2026 budget for the aides au poste is "
	     "2 % lower than 2025's, after a first plan of -12 %: FACTS.md 1.2)",
	     "valeur par défaut de terrain : -5 %, 0, +5 % (le budget 2026 de l'État pour les "
	     "aides au poste est inférieur de 2 % à celui de 2025, après un premier projet à "
	     "-12 % : FACTS.md 1.2)"},
	    {"terrain's default: each assumption moved by 10 % down, then up",
	     "valeur par défaut de terrain : chaque hypothèse baissée puis augmentée de 10 %"},
	    {"terrain's default: the lower bound of the modulated part, which the préfet sets each "
	     "year from 0 to 10 % of the socle; only the socle is certain",
	     "valeur par défaut de terrain : le bas de la part modulée, que le préfet fixe chaque "
	     "année entre 0 et 10 % du socle ; seul le socle est certain"},
	};
	if (en)
		return why;
	for (size_t k = 0; k < sizeof(fr) / sizeof(fr[0]); k++)
		if (why && !strcmp(why, fr[k][0]))
			return fr[k][1];
	return "valeur par défaut de terrain";
}

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
	const char *label_fr, *unit_fr, *formula_fr; /* NULL: as in English */
	size_t off;
	enum kind kind;
	enum which which;
	int decimals;
	bool total;
} row_defs[] = {
    {"charge", "insertion_pay", "Insertion employees (CDDI pay)", "EUR",
     "posts x occupancy x contract_hours x weeks_per_year x smic_hourly x employer_cost_factor",
     .label_fr = "Salaires des salariés en insertion (CDDI)", CENTS(pay)},
    {"charge", "supervision", "Technical supervision", "EUR", "supervisors_etp x supervisor_cost",
     .label_fr = "Encadrement technique", CENTS(supervision)},
    {"charge", "accompaniment", "Socio-professional accompaniment", "EUR",
     "accompaniment_etp x accompaniment_cost", .label_fr = "Accompagnement socioprofessionnel",
     CENTS(accompaniment)},
    {"charge", "training", "Training of the insertion employees", "EUR", "training",
     .label_fr = "Formation des salariés en insertion", CENTS(training)},
    {"charge", "operating", "Operating", "EUR", NULL, .label_fr = "Fonctionnement",
     CENTS(operating), .which = W_OPERATING},
    {"charge", "depreciation", "Depreciation", "EUR", "depreciation",
     .label_fr = "Dotations aux amortissements", CENTS(depreciation)},
    {"charge", "charges", "Total charges", "EUR", "sum of the charges",
     .label_fr = "Total des charges", .formula_fr = "somme des charges", CENTS(charges),
     .total = true},
    {"product", "aid_socle", "Aide au poste, socle (State, ASP)", "EUR", "etp x aid_socle",
     .label_fr = "Aide au poste, socle (État, ASP)", CENTS(aid_socle)},
    {"product", "aid_modulated", "Aide au poste, modulated part", "EUR",
     "etp x aid_socle x aid_modulation", .label_fr = "Aide au poste, part modulée",
     CENTS(aid_modulated)},
    {"product", "rsa_cofunding", "Département, RSA co-funding", "EUR",
     "etp x rsa_share x rsa_cofunding", .label_fr = "Département, cofinancement RSA", CENTS(rsa),
     .which = W_RSA},
    {"product", "public_funds", "Public funds", "EUR", NULL, .label_fr = "Financements publics",
     CENTS(funds), .which = W_FUNDS},
    {"product", "sales", "Sales", "EUR", "sales", .label_fr = "Ventes", CENTS(sales)},
    {"product", "products", "Total products", "EUR", "sum of the products",
     .label_fr = "Total des produits", .formula_fr = "somme des produits", CENTS(products),
     .total = true},
    {"result", "balance", "Balance (products - charges)", "EUR", "products - charges",
     .label_fr = "Résultat (produits - charges)", CENTS(balance), .total = true},
    {"result", "public_funding", "Public funding", "EUR",
     "aide au poste + département + public funds", .label_fr = "Financements publics",
     .formula_fr = "aide au poste + département + public_funds", CENTS(public_funding)},
    {"result", "etp", "Insertion ETP", "ETP",
     "posts x occupancy x contract_hours / full_time_hours", .label_fr = "ETP en insertion",
     REAL(etp, K_NUMBER), .decimals = 2},
    {"result", "paid_hours", "Paid hours of the insertion posts", "h",
     "posts x occupancy x contract_hours x weeks_per_year",
     .label_fr = "Heures payées des postes d'insertion", REAL(paid_hours, K_NUMBER)},
    {"result", "cost_per_etp", "Cost per insertion ETP", "EUR per ETP", "charges / etp",
     .label_fr = "Coût par ETP en insertion", .unit_fr = "EUR par ETP",
     REAL(cost_per_etp, K_EUROS)},
    {"result", "public_share", "Public funding share", "share", "public funding / products",
     .label_fr = "Part des financements publics", .unit_fr = "part", REAL(public_share, K_SHARE)},
    {"result", "break_even_sales", "Break-even sales", "EUR", "max(0, charges - public funding)",
     .label_fr = "Ventes d'équilibre", CENTS(break_even_sales)},
    {"result", "sales_share", "Sales / charges", "share", "sales / charges",
     .label_fr = "Ventes / charges", .unit_fr = "part", REAL(sales_share, K_SHARE)},
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
		       struct rows *rs, bool en)
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
			const char *label = L(d->label_fr, d->label);
			*r = (struct row){d->section,
					  d->id,
					  l ? label : NULL,
					  l ? l->label : label,
					  en || !d->unit_fr ? d->unit : d->unit_fr,
					  en || !d->formula_fr ? d->formula : d->formula_fr,
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

/* French numbers from from on: the decimal point a comma, "n/a" "n.d." (the
 * text, never the CSV or JSON, which stay machine-readable). */
static void french_numbers(struct strbuf *sb, size_t from)
{
	for (size_t i = from; i < sb->len; i++)
		if (sb->buf[i] == '.')
			sb->buf[i] = ',';
	if (from < sb->len && !strcmp(sb->buf + from, "n/a")) {
		strbuf_setlen(sb, from);
		strbuf_addstr(sb, "n.d."); /* as typo_number writes it */
	}
}

/* v (a number as cell() and the like write it) padded to w on the left,
 * into sb, in the output's language. */
static void pad_num(struct strbuf *sb, struct strbuf *v, size_t w, bool en)
{
	if (!en)
		french_numbers(v, 0);
	format_pad_left(sb, v->buf, w);
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
		format_csv_number(sb, x);
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

/* The warning in French. */
static void warning_fr(struct strbuf *sb, const struct budget_warning *w)
{
	size_t from = sb->len;
	switch (w->kind) {
	case BUDGET_W_HOURS_LOW:
		strbuf_addf(sb,
			    "contract_hours de %g h/semaine est sous le minimum du CDDI de %g "
			    "h/semaine (seul un ACI peut descendre en dessous, pour des personnes "
			    "en grande exclusion, avec l'accord du préfet : D5132-43-5)",
			    w->value, w->limit);
		break;
	case BUDGET_W_CONTRACT_SHORT:
		strbuf_addf(sb,
			    "contract_months de %g est sous la durée minimale du CDDI de %g mois "
			    "(L5132-15-1)",
			    w->value, w->limit);
		break;
	case BUDGET_W_CONTRACT_LONG:
		strbuf_addf(sb,
			    "contract_months de %g dépasse la durée maximale du CDDI de %g mois, "
			    "renouvellements compris (L5132-15-1 : au-delà seulement pour achever "
			    "une formation, pour les personnes de 50 ans et plus ou reconnues "
			    "travailleurs handicapés, ou jusqu'à 60 mois pour des difficultés "
			    "particulièrement importantes)",
			    w->value, w->limit);
		break;
	case BUDGET_W_SALES_CAP:
		strbuf_addstr(sb, "les ventes représentent ");
		percent(sb, w->value, 1);
		strbuf_addstr(sb, " des charges, au-delà du plafond des ACI de ");
		percent(sb, w->limit, 0);
		strbuf_addstr(sb,
			      " (D5132-34 : le préfet peut le porter à 50 % après avis du CDIAE)");
		break;
	case BUDGET_W_BREAK_EVEN_CAP:
		strbuf_addstr(sb, "l'année ne s'équilibre qu'avec des ventes de ");
		percent(sb, w->value, 1);
		strbuf_addstr(sb, " des charges, au-delà du plafond des ACI de ");
		percent(sb, w->limit, 0);
		break;
	}
	french_numbers(sb, from);
}

void report_budget_warning(struct strbuf *sb, const struct budget_input *in,
			   const struct budget_warning *w, bool en)
{
	if (!en) {
		warning_fr(sb, w);
		return;
	}
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
			const struct budget_value *bv, struct refs *rf, bool en)
{
	const struct budget_origin *o = &bv->o[0];
	if (o->kind == BUDGET_FROM_PROJECT) {
		strbuf_addf(sb, "%s:%u", in->file, o->line);
	} else if (o->kind == BUDGET_FROM_TERRAIN) {
		strbuf_addstr(sb, L("défaut terrain", "terrain default"));
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

/* One row of the table, for the sources list and CSV, in the output's
 * language: "smic_hourly à partir du 1er janvier 2026 : 12,02 €/h. décret
 * ... [S]. note" / "smic_hourly from 1 January 2026: 12.02 EUR/h. ..." */
static void row_source(struct strbuf *sb, const struct param_row *r, bool en)
{
	strbuf_addf(sb, "%s", r->id);
	if (*r->structure)
		strbuf_addf(sb, " (%s)", r->structure);
	if (r->valid_from) { /* the date in words, as the note gives dates */
		strbuf_addstr(sb, L(" à partir du ", " from "));
		typo_date(sb, (int)(r->valid_from / 10000), (int)(r->valid_from / 100 % 100),
			  (int)(r->valid_from % 100), !en);
	}
	/* the value as the table has it ("%g"), with a French decimal comma */
	char v[32];
	snprintf(v, sizeof(v), "%g", r->value);
	char *dot = en ? NULL : strchr(v, '.');
	if (dot)
		*dot = ',';
	strbuf_addf(sb, "%s%s %s. %s [%c]", L(" : ", ": "), v, params_unit(r, en),
		    params_source(r, en), r->confidence);
	if (*params_note(r, en))
		strbuf_addf(sb, ". %s", params_note(r, en));
}

/* The origin of one year's value, in full, for CSV. */
static void origin_full(struct strbuf *sb, const struct budget_input *in,
			const struct budget_origin *o, bool en)
{
	if (o->kind == BUDGET_FROM_PROJECT) {
		strbuf_addf(sb, "%s:%u", in->file, o->line);
		return;
	}
	if (o->kind == BUDGET_FROM_TERRAIN) {
		strbuf_addstr(sb, why_text(o->why, en));
		return;
	}
	strbuf_addf(sb, L("valeur par défaut (%s)", "default (%s)"), in->table_file);
	for (size_t u = 0; u < o->src.nuse; u++) {
		strbuf_addstr(sb, u ? "; " : ": ");
		if (o->src.nuse > 1)
			strbuf_addf(sb, L("%u mois de ", "%u months of "), o->src.use[u].months);
		row_source(sb, o->src.use[u].row, en);
	}
	if (o->src.carried)
		strbuf_addstr(sb, L("; reportée (aucune valeur publiée pour l'année)",
				    "; carried forward (no value published for the year)"));
}

void report_budget_origin(struct strbuf *sb, const struct budget_input *in,
			  const struct budget_origin *o, bool en)
{
	origin_full(sb, in, o, en);
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

static void text_assumptions(FILE *fp, const struct budget_input *in, size_t lw, struct refs *rf,
			     bool en)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	bool carried = false;
	header(&sb, L("Hypothèses", "Assumptions"), in, lw, false);
	strbuf_addstr(&sb, "  ");
	format_pad(&sb, L("unité", "unit"), 20);
	fprintf(fp, "%s %s\n", sb.buf, L("origine", "origin"));
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
			pad_num(&sb, &v, NUM_W, en);
		}
		strbuf_addstr(&sb, " ");
		format_pad(&sb, param_unit(p, en), 20);
		strbuf_addch(&sb, ' ');
		origin_text(&sb, in, bv, rf, en);
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
				pad_num(&sb, &v, NUM_W, en);
			}
			strbuf_addstr(&sb, " ");
			format_pad(&sb, L("EUR par an", "EUR a year"), 20);
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
			strbuf_addstr(&sb, L("défaut terrain", "terrain default"));
		fprintf(fp, "%s\n", sb.buf);
	}
	if (carried)
		fprintf(fp, "  * %s%s\n", L("reporté : ", "carried forward: "), CARRIED_RULE);
	strbuf_release(&sb);
	strbuf_release(&v);
}

static void text_rows(FILE *fp, const struct budget_input *in, size_t lw, const struct rows *rs,
		      const char *section, const char *title, bool en)
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
			pad_num(&sb, &v, NUM_W, en);
		}
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&v);
}

static const char *funder_label(const struct budget_funder *f, bool en)
{
	switch (f->kind) {
	case BUDGET_FUNDER_STATE:
		return L("État : aide au poste (ASP)", "State: integration job subsidy (ASP)");
	case BUDGET_FUNDER_DEPARTEMENT:
		return L("Département : cofinancement RSA", "Département: RSA co-funding");
	case BUDGET_FUNDER_FUND:
		return f->label;
	case BUDGET_FUNDER_SALES:
		return L("Ventes (chiffre d'affaires propre)", "Sales (own revenue)");
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
			 const struct budget_result *r, bool en)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	header(&sb, L("Plan de financement (qui paie quoi)", "Funding plan (who pays what)"), in,
	       lw, true);
	format_pad_left(&sb, L("part", "share"), 9);
	fprintf(fp, "\n%s\n", sb.buf);
	for (size_t k = 0; k < r->nfunders; k++) {
		const struct budget_funder *f = &r->funders[k];
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, funder_label(f, en), lw);
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_reset(&v);
			money(&v, c < BUDGET_YEARS ? f->amount[c] : f->total);
			pad_num(&sb, &v, NUM_W, en);
		}
		strbuf_reset(&v);
		if (isnan(f->share))
			strbuf_addstr(&v, "n/a");
		else
			percent(&v, f->share, 1);
		pad_num(&sb, &v, 9, en);
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "  ");
	format_pad(&sb, L("Total des produits", "Total products"), lw);
	for (size_t c = 0; c < NCOL; c++) {
		strbuf_reset(&v);
		money(&v, c < BUDGET_YEARS ? r->y[c].products : r->total.products);
		pad_num(&sb, &v, NUM_W, en);
	}
	format_pad_left(&sb, r->total.products > 0 ? L("100,0 %", "100.0 %") : L("n.d.", "n/a"), 9);
	fprintf(fp, "%s\n", sb.buf);
	strbuf_release(&sb);
	strbuf_release(&v);
}

static void text_scenarios(FILE *fp, const struct budget_input *in, size_t lw,
			   const struct budget_result *r, bool en)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	fprintf(
	    fp, "\n%s\n",
	    L("Scénarios : le résultat pour chaque occupation des postes et variation de l'aide "
	      "au poste",
	      "Scenarios: the balance with every occupancy of the posts and change of the "
	      "aide au poste"));
	header(&sb, L("  occupation  var. aide", "  occupancy   aid change"), in, lw, true);
	fprintf(fp, "%s\n", sb.buf);
	for (size_t k = 0; k < r->nscen; k++) {
		const struct budget_scenario *s = &r->scen[k];
		strbuf_reset(&sb);
		strbuf_reset(&v);
		percent(&v, s->occupancy, 0);
		pad_num(&sb, &v, 11, en);
		strbuf_reset(&v);
		if (s->aid_change > 0)
			strbuf_addch(&v, '+');
		percent(&v, s->aid_change, 0);
		pad_num(&sb, &v, 13, en);
		format_pad(&sb, "", lw + 2 - 24);
		for (size_t c = 0; c < NCOL; c++) {
			strbuf_reset(&v);
			money(&v, c < BUDGET_YEARS ? s->balance[c] : s->total);
			pad_num(&sb, &v, NUM_W, en);
		}
		fprintf(fp, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
	strbuf_release(&v);
}

static void text_sensitivity(FILE *fp, const struct budget_input *in, size_t lw,
			     const struct budget_result *r, bool en)
{
	struct strbuf sb = STRBUF_INIT, v = STRBUF_INIT;
	double s = in->sensitivity.v[0];
	fprintf(fp,
		en ? "\nSensitivity: change of the %d-%d balance when one assumption moves\n"
		   : "\nSensibilité : variation du résultat %d-%d quand une hypothèse varie\n",
		in->start_year, in->start_year + BUDGET_YEARS - 1);
	strbuf_addstr(&sb, "  ");
	format_pad(&sb, L("hypothèse", "assumption"), lw);
	strbuf_addch(&v, '-');
	percent(&v, s, 0);
	pad_num(&sb, &v, NUM_W, en);
	strbuf_reset(&v);
	strbuf_addch(&v, '+');
	percent(&v, s, 0);
	pad_num(&sb, &v, NUM_W, en);
	fprintf(fp, "%s\n", sb.buf);
	for (size_t k = 0; k < r->nsens; k++) {
		const struct budget_sensitivity *x = &r->sens[k];
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		format_pad(&sb, assumption_label(x->a, en), lw);
		strbuf_reset(&v);
		if (x->down > 0)
			strbuf_addch(&v, '+');
		money(&v, x->down);
		pad_num(&sb, &v, NUM_W, en);
		strbuf_reset(&v);
		if (x->up > 0)
			strbuf_addch(&v, '+');
		money(&v, x->up);
		pad_num(&sb, &v, NUM_W, en);
		if (x->capped)
			strbuf_addstr(&sb, L("  (plafonné à 100 % ou au temps plein)",
					     "  (capped at 100 % or full time)"));
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

static void text(FILE *fp, const struct budget_input *in, const struct budget_result *r, bool en)
{
	struct rows rs;
	struct refs rf = {0};
	struct strbuf sb = STRBUF_INIT;
	build_rows(in, r, &rs, en);
	fprintf(fp, en ? "Budget forecast %d-%d" : "Budget prévisionnel %d-%d", in->start_year,
		in->start_year + BUDGET_YEARS - 1);
	if (in->name && *in->name)
		fprintf(fp, "%s%s", L(" : ", ": "), in->name);
	fprintf(fp,
		en ? "\n%s, from %s and the parameters table %s\n"
		   : "\n%s, d'après %s et la table des paramètres %s\n",
		budget_structure_names[in->structure], in->file, in->table_file);
	fprintf(fp, en ? "Rounding: %s.\n\n" : "Arrondis : %s.\n\n", ROUNDING_RULE);
	size_t lw = label_width(&rs);
	text_assumptions(fp, in, lw, &rf, en);
	text_rows(fp, in, lw, &rs, "charge", "Charges (EUR)", en);
	text_rows(fp, in, lw, &rs, "product", L("Produits (EUR)", "Products (EUR)"), en);
	text_rows(fp, in, lw, &rs, "result", L("Résultats", "Results"), en);
	text_funding(fp, in, lw, r, en);
	text_scenarios(fp, in, lw, r, en);
	text_sensitivity(fp, in, lw, r, en);

	fprintf(fp, "\n%s\n", L("Alertes", "Warnings"));
	if (!r->nwarn)
		fprintf(fp, "  %s\n", L("aucune", "none"));
	for (size_t k = 0; k < r->nwarn; k++) {
		strbuf_reset(&sb);
		year_span(&sb, r->warn[k].from, r->warn[k].to);
		strbuf_addstr(&sb, ": ");
		report_budget_warning(&sb, in, &r->warn[k], en);
		fprintf(fp, "  %s\n", sb.buf);
	}

	fprintf(fp,
		en ? "\nSources of the defaults (%s)\n" : "\nSources des valeurs par défaut (%s)\n",
		in->table_file);
	for (size_t k = 0; k < rf.n; k++) {
		strbuf_reset(&sb);
		row_source(&sb, rf.row[k], en);
		fprintf(fp, en ? "  [%zu] line %lu: %s\n" : "  [%zu] ligne %lu : %s\n", k + 1,
			rf.row[k]->line, sb.buf);
	}
	for (size_t p = 0; p < BUDGET_NPARAMS; p++)
		if (in->p[p].o[0].kind == BUDGET_FROM_TERRAIN)
			fprintf(fp, "  %s: %s\n", budget_params[p].key,
				why_text(in->p[p].o[0].why, en));
	for (size_t k = 0; k < NCHOICES; k++)
		if (choice(in, k)->o.kind == BUDGET_FROM_TERRAIN)
			fprintf(fp, "  %s: %s\n", choice_keys[k],
				why_text(choice(in, k)->o.why, en));

	fprintf(fp, "\n%s\n",
		L("Formules (chaque année ; le total les applique aux lignes sommées)",
		  "Formulas (each year; the total applies them to the summed lines)"));
	for (size_t k = 0; k < rs.n; k++)
		if (rs.v[k].formula && strcmp(rs.v[k].formula, rs.v[k].id))
			fprintf(fp, "  %-18s = %s\n", rs.v[k].id, rs.v[k].formula);
	fprintf(fp, "  %-18s = %s\n", L("reporté", "carried forward"), CARRIED_RULE);
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

static void csv(FILE *fp, const struct budget_input *in, const struct budget_result *r, bool en)
{
	static const char *const head_en[NC] = {"section", "item", "variant", "label", "year",
						"value",   "unit", "origin",  "note"};
	static const char *const head_fr[NC] = {"section", "identifiant", "variante",
						"libellé", "année",	  "valeur",
						"unité",   "origine",	  "note"};
	struct strbuf f[NC];
	struct rows rs;
	for (size_t j = 0; j < NC; j++)
		strbuf_init(&f[j]);
	format_csv_row(fp, en ? head_en : head_fr, NC);
	build_rows(in, r, &rs, en);

	strbuf_addstr(&f[C_SECTION], "parameter");
	strbuf_addstr(&f[C_ITEM], "structure");
	strbuf_addstr(&f[C_LABEL], L("type de SIAE", "SIAE type"));
	strbuf_addstr(&f[C_VALUE], budget_structure_names[in->structure]);
	strbuf_addf(&f[C_ORIGIN], "%s:%u", in->file, in->structure_line);
	csv_emit(fp, f);
	strbuf_addstr(&f[C_SECTION], "parameter");
	strbuf_addstr(&f[C_ITEM], "start_year");
	strbuf_addstr(&f[C_LABEL], L("première année du budget", "first year of the budget"));
	strbuf_addf(&f[C_VALUE], "%d", in->start_year);
	strbuf_addf(&f[C_ORIGIN], "%s:%u", in->file, in->start_year_line);
	csv_emit(fp, f);
	if (in->name) {
		strbuf_addstr(&f[C_SECTION], "parameter");
		strbuf_addstr(&f[C_ITEM], "name");
		strbuf_addstr(&f[C_LABEL], L("nom du projet", "name of the project"));
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
			strbuf_addstr(&f[C_LABEL], param_label(p, en));
			csv_year(&f[C_YEAR], in, i);
			format_csv_number(&f[C_VALUE], in->p[p].v[i]);
			strbuf_addstr(&f[C_UNIT], param_unit(p, en));
			origin_full(&f[C_ORIGIN], in, &in->p[p].o[i], en);
			if (in->p[p].o[i].kind == BUDGET_FROM_TABLE && in->p[p].o[i].src.carried)
				strbuf_addstr(&f[C_NOTE], L("reportée", "carried forward"));
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < NCHOICES; k++) {
		for (size_t i = 0; i < choice(in, k)->n; i++) {
			strbuf_addstr(&f[C_SECTION], "parameter");
			strbuf_addstr(&f[C_ITEM], choice_keys[k]);
			strbuf_addf(&f[C_VARIANT], "%zu", i + 1);
			format_csv_number(&f[C_VALUE], choice(in, k)->v[i]);
			strbuf_addstr(&f[C_UNIT], L("part", "share"));
			origin_full(&f[C_ORIGIN], in, &choice(in, k)->o, en);
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
			strbuf_addstr(&f[C_LABEL], funder_label(fu, en));
			if (c < NCOL) {
				strbuf_addstr(&f[C_VARIANT], "amount");
				csv_year(&f[C_YEAR], in, c);
				plain_cents(&f[C_VALUE],
					    c < BUDGET_YEARS ? fu->amount[c] : fu->total);
				strbuf_addstr(&f[C_UNIT], "EUR");
			} else {
				strbuf_addstr(&f[C_VARIANT], "share");
				strbuf_addstr(&f[C_YEAR], "total");
				format_csv_number(&f[C_VALUE], fu->share);
				strbuf_addstr(&f[C_UNIT],
					      L("part des produits", "share of the products"));
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
			strbuf_addstr(&f[C_LABEL], L("résultat", "balance"));
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
			strbuf_addstr(&f[C_LABEL], assumption_label(x->a, en));
			strbuf_addstr(&f[C_YEAR], "total");
			plain_cents(&f[C_VALUE], up ? x->up : x->down);
			strbuf_addstr(&f[C_UNIT], L("EUR, variation du résultat",
						    "EUR, change of the balance"));
			if (up && x->capped)
				strbuf_addstr(&f[C_NOTE], L("plafonné à 100 % ou au temps plein",
							    "capped at 100 % or full time"));
			csv_emit(fp, f);
		}
	}
	for (size_t k = 0; k < r->nwarn; k++) {
		strbuf_addstr(&f[C_SECTION], "warning");
		strbuf_addstr(&f[C_ITEM], warning_ids[r->warn[k].kind]);
		year_span(&f[C_YEAR], r->warn[k].from, r->warn[k].to);
		format_csv_number(&f[C_VALUE], r->warn[k].value);
		report_budget_warning(&f[C_LABEL], in, &r->warn[k], en);
		strbuf_addf(&f[C_NOTE], en ? "limit %g" : "limite %g", r->warn[k].limit);
		csv_emit(fp, f);
	}
	for (size_t j = 0; j < NC; j++)
		strbuf_release(&f[j]);
}

/* ---- JSON ------------------------------------------------------------------- */

static json_t *origin_json(const struct budget_input *in, const struct budget_origin *o, bool en)
{
	json_t *x = json_object();
	if (o->kind == BUDGET_FROM_PROJECT) {
		json_object_set_new(x, "kind", json_string("project"));
		json_object_set_new(x, "file", json_string(in->file));
		json_object_set_new(x, "line", json_integer(o->line));
	} else if (o->kind == BUDGET_FROM_TERRAIN) {
		json_object_set_new(x, "kind", json_string("terrain"));
		json_object_set_new(x, "why", json_string(why_text(o->why, en)));
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
			json_object_set_new(y, "source", json_string(params_source(r, en)));
			strbuf_reset(&sb);
			strbuf_addch(&sb, r->confidence);
			json_object_set_new(y, "confidence", json_string(sb.buf));
			json_object_set_new(y, "note", json_string(params_note(r, en)));
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

static void json(FILE *fp, const struct budget_input *in, const struct budget_result *r, bool en)
{
	json_t *root = json_object(), *a;
	struct rows rs;
	struct strbuf sb = STRBUF_INIT;
	build_rows(in, r, &rs, en);
	json_object_set_new(root, "name", in->name ? json_string(in->name) : json_null());
	json_object_set_new(root, "structure", json_string(budget_structure_names[in->structure]));
	json_object_set_new(root, "years", years_json(in));
	json_object_set_new(root, "project_file", json_string(in->file));
	json_object_set_new(root, "parameters_file", json_string(in->table_file));
	json_object_set_new(root, "rounding", json_string(ROUNDING_RULE));
	json_object_set_new(root, "carried_forward_rule", json_string(CARRIED_RULE));

	a = json_array();
	for (size_t p = 0; p < BUDGET_NPARAMS; p++) {
		const struct budget_param_info *pi = &budget_params[p];
		if (!budget_has(in, p))
			continue;
		json_t *x = json_object(), *vals = json_array(), *orig = json_array();
		json_object_set_new(x, "key", json_string(pi->key));
		json_object_set_new(x, "label", json_string(param_label(p, en)));
		json_object_set_new(x, "unit", json_string(param_unit(p, en)));
		for (size_t i = 0; i < BUDGET_YEARS; i++) {
			json_array_append_new(vals, format_json_number(in->p[p].v[i]));
			json_array_append_new(orig, origin_json(in, &in->p[p].o[i], en));
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
		json_object_set_new(x, "origin", origin_json(in, &choice(in, k)->o, en));
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
		json_object_set_new(x, "label", json_string(funder_label(f, en)));
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
		json_object_set_new(o, "label", json_string(assumption_label(x->a, en)));
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
		report_budget_warning(&sb, in, w, en);
		json_object_set_new(o, "message", json_string(sb.buf));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "warnings", a);
	strbuf_release(&sb);
	format_json_write(fp, root);
}

void report_budget(FILE *fp, enum report_format fmt, const struct budget_input *in,
		   const struct budget_result *r, bool en)
{
	if (fmt == REPORT_CSV)
		csv(fp, in, r, en);
	else if (fmt == REPORT_JSON)
		json(fp, in, r, en);
	else
		text(fp, in, r, en);
}

/* ---- the funding plan in words --------------------------------------------- */

/* The citation of a source: s up to its first ": " (what follows is a
 * note on the value), without its parenthesised parts (where it was read,
 * notes in passing) nor the spaces before them, nor the space a French
 * " : " leaves at its end. */
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
	while (sb->len > start && sb->buf[sb->len - 1] == ' ')
		strbuf_setlen(sb, sb->len - 1);
}

/* The parameters each charge of row_defs is computed from (BUDGET_NPARAMS
 * ends); a charge not listed comes from the project file's lines. */
static const struct {
	const char *id;
	enum budget_param p[7];
} charge_params[] = {
    {"insertion_pay",
     {BUDGET_POSTS, BUDGET_OCCUPANCY, BUDGET_CONTRACT_HOURS, BUDGET_WEEKS_PER_YEAR,
      BUDGET_SMIC_HOURLY, BUDGET_EMPLOYER_COST_FACTOR, BUDGET_NPARAMS}},
    {"supervision", {BUDGET_SUPERVISORS_ETP, BUDGET_SUPERVISOR_COST, BUDGET_NPARAMS}},
    {"accompaniment", {BUDGET_ACCOMPANIMENT_ETP, BUDGET_ACCOMPANIMENT_COST, BUDGET_NPARAMS}},
    {"training", {BUDGET_TRAINING, BUDGET_NPARAMS}},
    {"depreciation", {BUDGET_DEPRECIATION, BUDGET_NPARAMS}},
};

static const enum budget_param *params_of_charge(const char *id)
{
	for (size_t k = 0; k < sizeof(charge_params) / sizeof(charge_params[0]); k++)
		if (!strcmp(charge_params[k].id, id))
			return charge_params[k].p;
	return NULL;
}

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
		source_short(&sb, params_source(rows[i], en));
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
	memset(p, 0, sizeof(*p));
	/* the charges of row_defs, in its order, with their labels: one list of
	 * the charges for budget.csv, the note and tables.xlsx */
	for (size_t k = 0; k < sizeof(row_defs) / sizeof(row_defs[0]); k++) {
		const struct row_def *d = &row_defs[k];
		if (strcmp(d->section, "charge") || d->total)
			continue;
		if (d->which == W_OPERATING) { /* one line each, as the project names it */
			for (size_t j = 0; j < in->noperating; j++) {
				struct budget_plan_line *l = &p->charge[p->ncharge++];
				l->id = "operating";
				l->label = in->operating[j].label;
				for (size_t c = 0; c < BUDGET_PLAN_COLS; c++)
					l->v[c] =
					    (c < BUDGET_YEARS ? &r->y[c] : &r->total)->operating[j];
				l->origin = charge_origin(in, NULL, in->operating[j].line, en);
			}
			continue;
		}
		struct budget_plan_line *l = &p->charge[p->ncharge++];
		l->id = d->id;
		l->label = en || !d->label_fr ? d->label : d->label_fr;
		for (size_t c = 0; c < BUDGET_PLAN_COLS; c++)
			l->v[c] =
			    *(const long long *)((const char *)(c < BUDGET_YEARS ? &r->y[c]
										 : &r->total) +
						 d->off);
		l->origin = charge_origin(in, params_of_charge(d->id), 0, en);
	}
	for (size_t k = 0; k < r->nfunders; k++) {
		const struct budget_funder *f = &r->funders[k];
		struct budget_plan_line *l = &p->resource[p->nresource++];
		l->id = funder_ids[f->kind];
		l->label = funder_label(f, en);
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
