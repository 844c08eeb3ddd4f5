/* The action plan, its evaluation grid, the skills gap and the training
 * action: analysis/plan.c, ingest/plancfg.c, report/plan_report.c. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/plan.h"
#include "../core/project.h"
#include "../core/store.h"
#include "../ingest/codebook.h"
#include "../pipeline/plan_stage.h"
#include "../pipeline/plancfg.h"
#include "../pipeline/survey_job.h"
#include "../report/note.h"
#include "../report/plan_report.h"
#include "helpers.h"

#define TOL 1e-6

/* x = 1, 2, 3, 4: mean 2.5; the 95 % interval from R 4.2.2,
 * t.test(c(1, 2, 3, 4))$conf.int = 0.4457397432 4.5542602568 (by hand:
 * sd = sqrt(5/3), se = sd / 2, qt(0.975, 3) = 3.182446305). */
static void test_plan_measure(void)
{
	struct plan_measure m;
	double x[] = {1, NAN, 2, 3, 4};
	plan_measure_compute(x, 5, &m);
	CU_ASSERT_EQUAL(m.n, 4);
	CU_ASSERT_DOUBLE_EQUAL(m.mean, 2.5, TOL);
	CU_ASSERT_DOUBLE_EQUAL(m.low, 0.4457397432, TOL);
	CU_ASSERT_DOUBLE_EQUAL(m.high, 4.5542602568, TOL);
	double one[] = {3};
	plan_measure_compute(one, 1, &m);
	CU_ASSERT_EQUAL(m.n, 1);
	CU_ASSERT_DOUBLE_EQUAL(m.mean, 3, TOL);
	CU_ASSERT_TRUE(isnan(m.low) && isnan(m.high));
}

/* Targets as values, changes and relative changes (by hand). */
static void test_plan_target_value(void)
{
	CU_ASSERT_DOUBLE_EQUAL(plan_target_value(PLAN_TARGET_VALUE, 30, 20.6), 30, TOL);
	CU_ASSERT_DOUBLE_EQUAL(plan_target_value(PLAN_TARGET_CHANGE, -2, 13.8), 11.8, TOL);
	CU_ASSERT_DOUBLE_EQUAL(plan_target_value(PLAN_TARGET_PERCENT, -10, 200), 180, TOL);
}

static struct plan *new_plan(void)
{
	struct plan *p = calloc(1, sizeof(*p));
	snprintf(p->file, sizeof(p->file), "t.ini");
	p->nobjective = 2;
	snprintf(p->objective[0].id, PLAN_ID, "O1");
	snprintf(p->objective[1].id, PLAN_ID, "O2");
	return p;
}

static struct plan_indicator *add_indicator(struct plan *p, size_t obj, const char *base,
					    enum plan_target kind, double target, unsigned line)
{
	struct plan_indicator *ind = &p->indicator[p->nindicator++];
	ind->objective = obj;
	snprintf(ind->base, sizeof(ind->base), "%s", base);
	ind->target_kind = kind;
	ind->target_written = target;
	ind->line = line;
	return ind;
}

/* Baselines come from the values, targets are turned into values and
 * checked against the interval; an unknown baseline is an error. */
static void test_plan_fill(void)
{
	struct plan *p = new_plan();
	struct plan_value vals[3] = {
	    {.key = "survey:freins=numerique", .value = 30.4, .low = 23.6, .high = 38.1},
	    {.key = "sizing:coverage", .value = 20.6, .low = 16.1, .high = 27.2},
	    {.key = "indicator:poverty_rate", .value = NAN, .low = NAN, .high = NAN},
	};
	add_indicator(p, 0, "survey:freins=numerique", PLAN_TARGET_CHANGE, -10, 5);
	add_indicator(p, 1, "sizing:coverage", PLAN_TARGET_CHANGE, 5, 6); /* 25.6: inside */
	add_indicator(p, 1, "indicator:poverty_rate", PLAN_TARGET_VALUE, 20, 7);
	struct error err;
	CU_ASSERT_EQUAL_FATAL(plan_fill(p, vals, 3, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(p->indicator[0].baseline.value, 30.4, TOL);
	CU_ASSERT_DOUBLE_EQUAL(p->indicator[0].baseline.low, 23.6, TOL);
	CU_ASSERT_DOUBLE_EQUAL(p->indicator[0].target, 20.4, TOL); /* 30.4 - 10, outside */
	CU_ASSERT_FALSE(p->indicator[0].target_in_margin);
	CU_ASSERT_DOUBLE_EQUAL(p->indicator[1].target, 25.6, TOL);
	CU_ASSERT_TRUE(p->indicator[1].target_in_margin);
	CU_ASSERT_EQUAL_FATAL(p->nwarning, 2);
	CU_ASSERT_EQUAL(p->warning[0].kind, PLAN_WARN_IN_MARGIN);
	CU_ASSERT_EQUAL(p->warning[0].index, 1);
	CU_ASSERT_EQUAL(p->warning[1].kind, PLAN_WARN_NO_BASELINE);
	CU_ASSERT_EQUAL(p->warning[1].index, 2);
	struct strbuf sb = STRBUF_INIT;
	report_plan_warning(p, &p->warning[0], false, NULL, 0, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf,
			       "La cible de l'indicateur « sizing:coverage » se trouve dans la "
			       "marge d'erreur de sa valeur de départ : elle ne pourra pas "
			       "être mesurée.");
	strbuf_reset(&sb);
	report_plan_warning(p, &p->warning[0], true, NULL, 0, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "The target of the indicator “sizing:coverage” lies inside "
				       "its baseline's margin of error: it cannot be measured.");
	/* a baseline with a label is named by it, as in the grid */
	snprintf(p->indicator[1].baseline.label, sizeof(p->indicator[1].baseline.label), "%s",
		 "Places pour 1 000 personnes du public cible");
	strbuf_reset(&sb);
	report_plan_warning(p, &p->warning[0], false, NULL, 0, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf,
			       "La cible de l'indicateur « Places pour 1 000 personnes du "
			       "public cible » se trouve dans la marge d'erreur de sa valeur "
			       "de départ : elle ne pourra pas être mesurée.");
	strbuf_release(&sb);

	add_indicator(p, 0, "survey:freins=transport", PLAN_TARGET_VALUE, 1, 9);
	CU_ASSERT_EQUAL(plan_fill(p, vals, 3, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg,
				      "t.ini:9: no result for baseline "
				      "\"survey:freins=transport\" (expected an indicator:ID"));
	free(p);
}

/* Every consistency warning, and an unknown budget line as an error. */
static void test_plan_check(void)
{
	struct plan *p = new_plan();
	struct plan_action *a = &p->action[p->naction++];
	snprintf(a->id, PLAN_ID, "A1");
	a->start = 1, a->end = 40; /* beyond month 36 */
	a->nbudget = 1;
	a->budget_line = 12;
	snprintf(a->budget[0], PLAN_TEXT, "Locaux");
	add_indicator(p, 0, "sizing:target", PLAN_TARGET_VALUE, 1, 20); /* O2 has none */
	const char *labels[] = {"Locaux", "Véhicules"};
	struct error err;
	CU_ASSERT_EQUAL_FATAL(plan_check(p, true, labels, 2, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(p->nwarning, 3);
	CU_ASSERT_EQUAL(p->warning[0].kind, PLAN_WARN_OUTSIDE);
	CU_ASSERT_EQUAL(p->warning[1].kind, PLAN_WARN_UNUSED_LINE);
	CU_ASSERT_STRING_EQUAL(p->warning[1].text, "Véhicules");
	CU_ASSERT_EQUAL(p->warning[2].kind, PLAN_WARN_NO_INDICATOR);
	CU_ASSERT_EQUAL(p->warning[2].index, 1);
	struct strbuf sb = STRBUF_INIT;
	const char *want[] = {
	    "L'action A1 (mois 1 à 40) dépasse les trois années du budget (mois 1 à 36).",
	    "La ligne budgétaire « Véhicules » n'est utilisée par aucune action.",
	    "L'objectif O2 n'a aucun indicateur d'évaluation.",
	};
	for (size_t i = 0; i < 3; i++) {
		strbuf_reset(&sb);
		report_plan_warning(p, &p->warning[i], false, NULL, 0, &sb);
		CU_ASSERT_STRING_EQUAL(sb.buf, want[i]);
	}

	/* no budget: a warning; an unknown line: an error with file:line */
	p->nwarning = 0;
	CU_ASSERT_EQUAL_FATAL(plan_check(p, false, NULL, 0, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(p->warning[0].kind, PLAN_WARN_NO_BUDGET);
	strbuf_reset(&sb);
	report_plan_warning(p, &p->warning[0], true, NULL, 0, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf,
			       "Action A1 names budget lines, but the project has no budget.");
	strbuf_release(&sb);
	p->nwarning = 0;
	const char *other[] = {"Véhicules"};
	CU_ASSERT_EQUAL(plan_check(p, true, other, 1, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "t.ini:12: [action:A1] uses the budget line \"Locaux\", "
					"which the budget does not have (expected one of: "
					"\"Véhicules\")");
	free(p);
}

/* Gaps with their intervals and the modules, by hand from the Student
 * intervals of R (t.test): skill a = 1, 2, 3, 4: 2.5 [0.4457397432,
 * 4.5542602568]; skill b = 2, 2, 3, 3: 2.5 [1.581306884, 3.418693116].
 * Job J requires a = 4, b = 3: gap a = 1.5 [4 - 4.5542602568,
 * 4 - 0.4457397432] = [-0.5542602568, 3.5542602568]; gap b = 0.5
 * [-0.418693116, 1.418693116].  Job K requires b = 2: -0.5, no gap.
 * At 20 hours a level and a threshold of 0.4: a module of ceil(30) = 30
 * hours for a, ceil(10) = 10 for b. */
static void test_plan_gaps(void)
{
	struct plan *p = new_plan();
	double a[] = {1, 2, 3, 4}, b[] = {2, 2, 3, 3};
	p->nmeasure = 2;
	snprintf(p->measure[0].skill, PLAN_ID, "b");
	plan_measure_compute(b, 4, &p->measure[0]);
	snprintf(p->measure[1].skill, PLAN_ID, "a");
	plan_measure_compute(a, 4, &p->measure[1]);
	p->njob = 2;
	snprintf(p->job[0].code, sizeof(p->job[0].code), "K1801");
	p->job[0].nreq = 2;
	snprintf(p->job[0].req[0].skill, PLAN_ID, "b");
	p->job[0].req[0].level = 3;
	snprintf(p->job[0].req[1].skill, PLAN_ID, "a");
	p->job[0].req[1].level = 4;
	snprintf(p->job[1].code, sizeof(p->job[1].code), "A1203");
	p->job[1].nreq = 1;
	snprintf(p->job[1].req[0].skill, PLAN_ID, "b");
	p->job[1].req[0].level = 2;
	p->has_training = true;
	p->rate = 20;
	p->threshold = 0.4;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(plan_gaps(p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(p->ngap, 3);
	const struct plan_gap *g = &p->gap[0]; /* ranked: a for J first */
	CU_ASSERT_EQUAL(g->job, 0);
	CU_ASSERT_EQUAL(g->measure, 1);
	CU_ASSERT_DOUBLE_EQUAL(g->gap, 1.5, TOL);
	CU_ASSERT_DOUBLE_EQUAL(g->low, -0.5542602568, TOL);
	CU_ASSERT_DOUBLE_EQUAL(g->high, 3.5542602568, TOL);
	CU_ASSERT_TRUE(g->maybe_none);
	g = &p->gap[1];
	CU_ASSERT_EQUAL(g->measure, 0);
	CU_ASSERT_DOUBLE_EQUAL(g->gap, 0.5, TOL);
	CU_ASSERT_DOUBLE_EQUAL(g->low, -0.418693116, TOL);
	CU_ASSERT_DOUBLE_EQUAL(g->high, 1.418693116, TOL);
	g = &p->gap[2];
	CU_ASSERT_EQUAL(g->job, 1);
	CU_ASSERT_DOUBLE_EQUAL(g->gap, -0.5, TOL);
	CU_ASSERT_EQUAL_FATAL(p->nmodule, 2);
	CU_ASSERT_EQUAL(p->module[0].measure, 1);
	CU_ASSERT_DOUBLE_EQUAL(p->module[0].hours, 30, TOL);
	CU_ASSERT_EQUAL(p->module[1].measure, 0);
	CU_ASSERT_DOUBLE_EQUAL(p->module[1].hours, 10, TOL);

	/* a gap whose whole interval is above zero is no "maybe" */
	double c[] = {1, 1, 1, 2}; /* mean 1.25, high 1.25 + 3.182446305 x 0.25 = 2.0456 */
	plan_measure_compute(c, 4, &p->measure[1]);
	CU_ASSERT_EQUAL_FATAL(plan_gaps(p, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(p->gap[0].gap, 2.75, TOL);
	CU_ASSERT_DOUBLE_EQUAL(p->gap[0].low, 4 - (1.25 + 3.182446305 * 0.25), 1e-8);
	CU_ASSERT_FALSE(p->gap[0].maybe_none);

	/* a skill the positioning file does not measure */
	p->job[1].line = 30;
	snprintf(p->job[1].req[0].skill, PLAN_ID, "c");
	CU_ASSERT_EQUAL(plan_gaps(p, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "t.ini:30: [job:A1203] requires the skill \"c\", which "
			       "nothing measures (expected a column of the positioning file, "
			       "or a question of the survey's codebook with skill = c)");
	free(p);
}

/* The plan's sections of a project file read, or the error expected after
 * "terrain.ini" (want NULL: none).  The positioning file pos.csv holds
 * positioning when it is not NULL. */
static struct plan *read_cfg(const char *ini, const char *positioning, const char *want)
{
	struct strbuf path = STRBUF_INIT, rome = STRBUF_INIT;
	struct project p;
	struct plan *pl = calloc(1, sizeof(*pl));
	struct error err;
	const char *dir = test_tmpdir();
	strbuf_addf(&path, "%s/pos.csv", dir);
	if (positioning)
		test_write_file(path.buf, positioning);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/terrain.ini", dir);
	test_write_file(path.buf, ini);
	strbuf_addf(&rome, "%s/rome/rome.csv", test_datadir());
	CU_ASSERT_EQUAL_FATAL(project_load(&p, path.buf, &err), TERRAIN_OK);
	enum status st = plancfg_read(&p, rome.buf, pl, &err);
	if (!want) {
		CU_ASSERT_EQUAL(st, TERRAIN_OK);
		if (st)
			fprintf(stderr, "\nunexpected: %s\n", err.msg);
	} else {
		CU_ASSERT_EQUAL(st, TERRAIN_EDATA);
		const char *rest = st ? strstr(err.msg, "terrain.ini") : NULL;
		if (!rest)
			rest = st ? strstr(err.msg, "pos.csv") : NULL;
		CU_ASSERT_PTR_NOT_NULL(rest);
		if (rest && strcmp(rest, want))
			fprintf(stderr, "\ngot:  %s\nwant: ...%s\n", err.msg, want);
		CU_ASSERT_TRUE(rest && !strcmp(rest, want));
	}
	project_release(&p);
	strbuf_release(&path);
	strbuf_release(&rome);
	return pl;
}

#define PLAN_INI                                                                                 \
	"[project]\nterritory = 38185\n"                                                         \
	"[plan]\ngoal = Un objectif\n    sur deux lignes\n"                                      \
	"objectives = O1: Former\n    O2: Loger\n"                                               \
	"[action:A1]\nlabel = Atelier\nobjectives = O1, O2\nstart = 1\nend = 12\n"               \
	"budget = Locaux\n    Formation des salariés en insertion\n"                            \
	"[evaluation]\nindicator = O1 | survey:freins=numerique | -2 points | enquête | an 3\n" \
	"    O2 | sizing:coverage | −10 % | inventaire | an 3\n"                               \
	"    O2 | positioning:a | 3,5 | positionnement | fin\n"

static void test_plancfg_read(void)
{
	struct plan *pl = read_cfg(PLAN_INI "[job:K1801]\nsource = Fiche ROME\nskills = a: 3\n"
					    "    b: 2,5\n"
					    "[training]\npositioning = pos.csv\nrate = 20\n",
				   "# EXEMPLE INVENTÉ\nid;a;b\nP1;1;2\nP2;2;\nP3;3;3\n", NULL);
	CU_ASSERT_STRING_EQUAL(pl->goal, "Un objectif sur deux lignes");
	CU_ASSERT_EQUAL_FATAL(pl->nobjective, 2);
	CU_ASSERT_STRING_EQUAL(pl->objective[1].id, "O2");
	CU_ASSERT_STRING_EQUAL(pl->objective[1].text, "Loger");
	CU_ASSERT_EQUAL_FATAL(pl->naction, 1);
	CU_ASSERT_EQUAL(pl->action[0].nobjective, 2);
	CU_ASSERT_EQUAL(pl->action[0].end, 12);
	CU_ASSERT_EQUAL(pl->action[0].nbudget, 2);
	CU_ASSERT_STRING_EQUAL(pl->action[0].budget[1], "Formation des salariés en insertion");
	CU_ASSERT_EQUAL(pl->action[0].budget_line, 13);
	CU_ASSERT_EQUAL_FATAL(pl->nindicator, 3);
	CU_ASSERT_EQUAL(pl->indicator[0].target_kind, PLAN_TARGET_CHANGE);
	CU_ASSERT_DOUBLE_EQUAL(pl->indicator[0].target_written, -2, TOL);
	CU_ASSERT_EQUAL(pl->indicator[1].target_kind, PLAN_TARGET_PERCENT);
	CU_ASSERT_DOUBLE_EQUAL(pl->indicator[1].target_written, -10, TOL);
	CU_ASSERT_EQUAL(pl->indicator[2].target_kind, PLAN_TARGET_VALUE);
	CU_ASSERT_DOUBLE_EQUAL(pl->indicator[2].target_written, 3.5, TOL);
	CU_ASSERT_EQUAL(pl->indicator[2].line, 18);
	CU_ASSERT_EQUAL_FATAL(pl->njob, 1);
	CU_ASSERT_STRING_EQUAL(pl->job[0].label, "Conseiller / Conseillère en insertion "
						 "professionnelle");
	CU_ASSERT_DOUBLE_EQUAL(pl->job[0].req[1].level, 2.5, TOL);
	CU_ASSERT_EQUAL_FATAL(pl->nmeasure, 2);
	CU_ASSERT_EQUAL(pl->measure[1].n, 2); /* an empty cell is not measured */
	CU_ASSERT_DOUBLE_EQUAL(pl->measure[1].mean, 2.5, TOL);
	CU_ASSERT_DOUBLE_EQUAL(pl->measure[0].mean, 2, TOL);
	free(pl);
}

/* Every bad input names the file, the line and what was expected. */
/* a survey code of 130 bytes: a baseline longer than the plan keeps */
#define LONG_CODE                                                                                \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void test_plancfg_errors(void)
{
	static const struct {
		const char *ini, *pos, *want;
	} bad[] = {
	    {"[plan]\nobjectives = O1 Former\n", NULL,
	     "terrain.ini:2: bad objective \"O1 Former\" (expected \"ID: text\", ID made of "
	     "letters, digits, '_' or '-', such as O1: Former 40 personnes)"},
	    {"[plan]\nobjectives = O1: a\n[action:A1]\nlabel = x\nobjectives = O3\n", NULL,
	     "terrain.ini:5: [action:A1] names the objective \"O3\", which [plan] does not have "
	     "(expected one of: O1)"},
	    {"[action:A1]\nlabel = x\nstart = 0\nend = 3\n", NULL,
	     "terrain.ini:3: bad value \"0\" for \"start\" (expected a month from 1, the first "
	     "month of the budget's first year, to 120)"},
	    {"[action:A1]\nlabel = x\nstart = 5\nend = 3\n", NULL,
	     "terrain.ini:1: [action:A1] ends (month 3) before it starts (month 5)"},
	    {"[action:A1]\nlabel = x\n", NULL,
	     "terrain.ini:1: [action:A1] needs label, start and end (the months of its first and "
	     "last month)"},
	    {"[plan]\nobjectives = O1: a\n[evaluation]\nindicator = O1 | sizing:target | 3\n", NULL,
	     "terrain.ini:4: bad indicator \"O1 | sizing:target | 3\" (expected OBJECTIVE | "
	     "BASELINE | TARGET | MEASURED BY | WHEN, five parts separated by '|')"},
	    {"[plan]\nobjectives = O1: a\n[evaluation]\nindicator = O2 | sizing:target | 3 | x "
	     "| y\n",
	     NULL,
	     "terrain.ini:4: the indicator names the objective \"O2\", which [plan] does not have "
	     "(expected one of: O1)"},
	    {"[plan]\nobjectives = O1: a\n[evaluation]\nindicator = O1 | sizing:size | 3 | x | "
	     "y\n",
	     NULL,
	     "terrain.ini:4: bad baseline \"sizing:size\" (expected indicator:ID, "
	     "survey:VARIABLE=CODE, sizing:target, sizing:coverage, positioning:SKILL or "
	     "skill:SKILL)"},
	    {"[plan]\nobjectives = O1: a\n[evaluation]\nindicator = O1 | survey:q=" LONG_CODE
	     " | 3 | x | y\n",
	     NULL,
	     "terrain.ini:4: baseline \"survey:q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is too long "
	     "(expected at most 127 bytes)"},
	    {"[plan]\nobjectives = O1: a\n[evaluation]\nindicator = O1 | sizing:target | moins "
	     "2 | x | y\n",
	     NULL,
	     "terrain.ini:4: bad target \"moins 2\" (expected a value such as 30, a change such "
	     "as -2 points or +50, or a relative change such as -10 %)"},
	    {"[job:K9999]\nsource = x\nskills = a: 2\n[training]\npositioning = pos.csv\nrate "
	     "= 20\n",
	     "a\n1\n", NULL /* filled below: names the ROME table */},
	    {"[job:K1801]\nsource = x\nskills = a deux\n", NULL,
	     "terrain.ini:3: bad skill \"a deux\" (expected \"skill: level\", the level a number "
	     "on the positioning file's scale, such as numerique: 3)"},
	    {"[job:K1801]\nsource = x\nskills = a: 2\n", NULL,
	     "terrain.ini:1: [job:K1801] needs a [training] section (its rate, and the "
	     "positioning file unless the survey measures the group's skills)"},
	    {"[job:K1801]\nsource = x\nskills = a: 2\n[training]\npositioning = pos.csv\n",
	     "a\n1\n",
	     "terrain.ini:4: [training] needs rate (hours per level of gap), and positioning (the "
	     "positioning file) unless the survey's codebook measures the skills"},
	    {"[job:K1801]\nsource = x\nskills = a: 2\n[training]\nrate = 20\nlabels = a Lire\n",
	     NULL,
	     "terrain.ini:6: bad skill label \"a Lire\" (expected \"skill: label\", such as "
	     "numerique: Usages du numérique)"},
	    {"[job:K1801]\nsource = x\nskills = a: 2\n[training]\nrate = 20\nlabels = a: Lire\n"
	     "    a: Écrire\n",
	     NULL, "terrain.ini:7: the skill \"a\" has a second label (the first on line 6)"},
	    {"[job:K1801]\nsource = x\nskills = a: 2\n[training]\nrate = 20\nlabels = a: Lire\n"
	     "    b: Écrire\n",
	     NULL,
	     "terrain.ini:7: a label for the skill \"b\", which no [job:CODE] requires (expected "
	     "a skill of a job's skills)"},
	    {"[training]\npositioning = pos.csv\nrate = 0\n", "a\n1\n",
	     "terrain.ini:3: bad value \"0\" for \"rate\" (expected hours per level of gap, a "
	     "positive number)"},
	    {"[training]\npositioning = pos.csv\nrate = 20\n", "id;a;b\nP1;1;2\nP2;deux;2\n",
	     "pos.csv:3:2: \"deux\" is not a level (expected a number of 0 or more, or nothing "
	     "when not measured) (column \"a\")"},
	    /* a column nobody was positioned on: no level, no gap to rank */
	    {"[training]\npositioning = pos.csv\nrate = 20\n", "id;a;b\nP1;;2\nP2;;2\n",
	     "pos.csv:1: the column \"a\" holds no level (expected at least one person "
	     "positioned on the skill, or no column)"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[1024];
		if (bad[i].want)
			snprintf(want, sizeof(want), "%s", bad[i].want);
		else
			snprintf(want, sizeof(want),
				 "terrain.ini:1: [job:K9999]: \"K9999\" is not a ROME 4.0 code "
				 "(expected a code of %s/rome/rome.csv, such as K1801)",
				 test_datadir());
		free(read_cfg(bad[i].ini, bad[i].pos, want));
	}
	/* an unknown section names the new ones */
	struct strbuf path = STRBUF_INIT;
	struct project p;
	struct error err;
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	test_write_file(path.buf, "[action:A 1]\n");
	CU_ASSERT_EQUAL(project_load(&p, path.buf, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "terrain.ini:1: bad section name [action:A 1] "
					       "(expected [action:ID], ID made of 1 to 31 letters, "
					       "digits, '_' or '-')"));
	test_write_file(path.buf, "[action:A1]\nlead = x\n[action:A1]\n");
	CU_ASSERT_EQUAL(project_load(&p, path.buf, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "terrain.ini:3: duplicate section [action:A1] "
					       "(first on line 1)"));
	test_write_file(path.buf, "[job:K1801]\nlevel = 3\n");
	CU_ASSERT_EQUAL(project_load(&p, path.buf, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "terrain.ini:2: unknown key \"level\" in "
					       "[job:K1801] (expected one of: source, skills)"));
	strbuf_release(&path);
}

/* A survey question mapped to a skill gives the group's weighted mean
 * level with the survey stage's estimator and interval: the INVENTED
 * example survey's "Aisance numérique" (levels 0 to 4), raked on sexe and
 * tranche_age to the example's margins.  Expected values from R 4.2.2 and
 * survey 4.1.1, tests/fixtures/survey/skill_level.R: svymean(~niveau,
 * rake(...), na.rm = TRUE) = 2.0475042173, confint(df = degf(design)) =
 * [1.9166900259, 2.1783184088], on 223 answers (17 blank or "NSP"). */
static void test_plan_survey_level(void)
{
	struct survey_job job;
	struct note_survey dg = {0};
	struct error err;
	struct strbuf f[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	const char *ex = "datasets/examples/grenoble";
	strbuf_addf(&f[0], "%s/enquete_exemple_inventee.csv", ex);
	strbuf_addf(&f[1], "%s/codebook_exemple_invente.csv", ex);
	strbuf_addf(&f[2], "%s/marges_exemple_inventees.csv", ex);
	survey_job_init(&job);
	job.file = f[0].buf;
	job.codebook = f[1].buf;
	job.margins = f[2].buf;
	job.digest = &dg;
	CU_ASSERT_EQUAL_FATAL(survey_job_run(&job, &err), TERRAIN_OK);
	const struct note_survey_question *q = NULL;
	for (size_t i = 0; i < dg.nq; i++)
		if (dg.q[i].skill)
			q = &dg.q[i];
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_STRING_EQUAL(q->skill, "numerique");
	CU_ASSERT_STRING_EQUAL(q->label, "Aisance numérique");
	CU_ASSERT_EQUAL(q->line, 15);
	CU_ASSERT_EQUAL(q->level_n, 223);
	CU_ASSERT_DOUBLE_EQUAL(q->level, 2.0475042173, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(q->level_low, 1.9166900259, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(q->level_high, 2.1783184088, 1e-8);

	/* it feeds the same gap arithmetic as the positioning file: required
	 * 3 - [1.9166900259, 2.1783184088] */
	struct plan *p = new_plan();
	CU_ASSERT_EQUAL_FATAL(plan_measure_survey(p, q->skill, q->label, dg.codebook, q->line,
						  q->level, q->level_low, q->level_high, q->level_n,
						  &err),
			      TERRAIN_OK);
	p->njob = 1;
	snprintf(p->job[0].code, sizeof(p->job[0].code), "F1606");
	p->job[0].nreq = 1;
	snprintf(p->job[0].req[0].skill, PLAN_ID, "numerique");
	p->job[0].req[0].level = 3;
	CU_ASSERT_EQUAL_FATAL(plan_gaps(p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(p->ngap, 1);
	CU_ASSERT_DOUBLE_EQUAL(p->gap[0].gap, 3 - 2.0475042173, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(p->gap[0].low, 3 - 2.1783184088, 1e-8);
	CU_ASSERT_DOUBLE_EQUAL(p->gap[0].high, 3 - 1.9166900259, 1e-8);
	CU_ASSERT_FALSE(p->gap[0].maybe_none);
	CU_ASSERT_EQUAL(p->measure[0].from, PLAN_FROM_SURVEY);

	/* one source a skill: a second question, or the positioning file */
	CU_ASSERT_EQUAL(plan_measure_survey(p, "numerique", "Q", "cb.csv", 20, 1, 0, 2, 9, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "cb.csv:20: the skill \"numerique\" is measured twice, by "
					"this question and by the one of line 15 (expected one "
					"question a skill)");
	p->measure[0].from = PLAN_FROM_POSITIONING;
	snprintf(p->positioning, sizeof(p->positioning), "pos.csv");
	CU_ASSERT_EQUAL(plan_measure_survey(p, "numerique", "Q", "cb.csv", 20, 1, 0, 2, 9, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "cb.csv:20: the skill \"numerique\" is measured twice, by "
					"this question and by the positioning file pos.csv "
					"(expected one source a skill: remove its column or the "
					"codebook's skill)");
	/* a question nobody answered: no level */
	CU_ASSERT_EQUAL(
	    plan_measure_survey(p, "calcul", "Q9", "cb.csv", 21, NAN, NAN, NAN, 0, &err),
	    TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "cb.csv:21: no respondent answered \"Q9\", the question "
					"that measures the skill \"calcul\" (expected at least one "
					"answer, or no skill on the question)");
	free(p);
	note_survey_release(&dg);
	for (int i = 0; i < 3; i++)
		strbuf_release(&f[i]);
}

/* A question mapped to a skill that is not on a scale is refused with
 * its line (and column) in the codebook. */
static void test_plan_codebook_skill(void)
{
	static const struct {
		const char *row, *want;
	} bad[] = {
	    {"q;single;1=Oui|2=Non;numerique",
	     "cb.csv:2:4: the single variable \"q\" cannot measure the skill \"numerique\" "
	     "(expected an ordinal variable whose codes are levels, or an integer or decimal "
	     "one)"},
	    {"q;text;;numerique",
	     "cb.csv:2:4: the text variable \"q\" cannot measure the skill \"numerique\" "
	     "(expected an ordinal variable whose codes are levels, or an integer or decimal "
	     "one)"},
	    {"q;ordinal;faible|moyen|fort;numerique",
	     "cb.csv:2:4: the ordinal variable \"q\" cannot measure the skill \"numerique\": "
	     "its code \"faible\" is not a level (expected codes that are numbers on the "
	     "skill's scale, such as 0=Aucune|1=Faible|2=Moyenne)"},
	    {"q;ordinal;0|1|2;numé rique",
	     "cb.csv:2:4: \"numé rique\" is not a skill name (expected 1 to 31 letters, "
	     "digits, '_' or '-', such as numerique)"},
	};
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	strbuf_addf(&path, "%s/cb.csv", test_tmpdir());
	struct survey s;
	struct error err;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf_reset(&text);
		strbuf_addf(&text, "variable;type;labels;skill\n%s\n", bad[i].row);
		test_write_file(path.buf, text.buf);
		CU_ASSERT_EQUAL(codebook_load(&s, path.buf, &err), TERRAIN_EDATA);
		const char *at = strstr(err.msg, "cb.csv");
		CU_ASSERT_TRUE(at && !strncmp(at, bad[i].want, strlen(bad[i].want)));
		if (!at || strncmp(at, bad[i].want, strlen(bad[i].want)))
			fprintf(stderr, "\ngot:  %s\nwant: %s\n", err.msg, bad[i].want);
		survey_release(&s);
	}
	/* an ordinal on levels and an integer are scales; the column is
	 * written back only when a variable has a skill */
	test_write_file(path.buf, "variable;type;labels;skill\nq;ordinal;0=Aucune|1|2;numerique\n"
				  "n;integer;;calcul\nx;single;a|b;\n");
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, path.buf, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(s.var[0].skill, "numerique");
	CU_ASSERT_STRING_EQUAL(s.var[1].skill, "calcul");
	CU_ASSERT_STRING_EQUAL(s.var[2].skill, "");
	strbuf_reset(&text);
	codebook_write(&s, &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text.buf, ";short_label;skill\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text.buf, ";numerique\n"));
	survey_release(&s);
	test_write_file(path.buf, "variable;type;labels\nx;single;a|b\n");
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, path.buf, &err), TERRAIN_OK);
	strbuf_reset(&text);
	codebook_write(&s, &text);
	CU_ASSERT_PTR_NULL(strstr(text.buf, "skill"));
	survey_release(&s);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* Skills are named by their labels in training.csv and .json (beside
 * their ids), with the source that measured them. */
static void test_plan_skill_labels(void)
{
	struct plan *p = new_plan();
	double a[] = {1, 2, 3, 4};
	p->nmeasure = 1;
	snprintf(p->measure[0].skill, PLAN_ID, "securite_chantier");
	plan_measure_compute(a, 4, &p->measure[0]);
	p->nlabel = 1;
	snprintf(p->label[0].skill, PLAN_ID, "securite_chantier");
	snprintf(p->label[0].label, PLAN_TEXT, "Sécurité sur chantier");
	p->njob = 1;
	snprintf(p->job[0].code, sizeof(p->job[0].code), "F1606");
	p->job[0].nreq = 1;
	snprintf(p->job[0].req[0].skill, PLAN_ID, "securite_chantier");
	p->job[0].req[0].level = 4;
	p->has_training = true;
	p->rate = 20;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(plan_gaps(p, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(plan_skill_label(p, "securite_chantier"), "Sécurité sur chantier");
	CU_ASSERT_STRING_EQUAL(plan_skill_label(p, "calcul"), "calcul");
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/training.out", test_tmpdir());
	for (int fmt = 0; fmt < 2; fmt++) {
		FILE *fp = fopen(path.buf, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		report_training(fp, fmt ? REPORT_JSON : REPORT_CSV, p, false);
		fclose(fp);
		char *out = test_read_file(path.buf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		if (fmt) {
			CU_ASSERT_PTR_NOT_NULL(
			    strstr(out, "\"skill_label\": \"Sécurité sur chantier\""));
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"measured_by\": \"positioning\""));
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(out, ",hours,skill_label,measured_by\n"));
			CU_ASSERT_PTR_NOT_NULL(strstr(out, ",Sécurité sur chantier,positioning\n"));
			CU_ASSERT_PTR_NOT_NULL(strstr(out, ",30.000,Sécurité sur chantier,\n"));
		}
		free(out);
	}
	strbuf_release(&path);
	free(p);
}

/* The note's actors part counts the structures the store holds for the
 * territory by kind and source: Grenoble's (its code from data·inclusion,
 * its name from the SIAE directory, which gives no code), not its
 * neighbours'.  Invented structures. */
static void test_plan_store_structures(void)
{
	const char *dir = test_tmpdir();
	struct strbuf db = STRBUF_INIT, ini = STRBUF_INIT, md = STRBUF_INIT, out = STRBUF_INIT,
		      err = STRBUF_INIT, env = STRBUF_INIT;
	struct store *s;
	struct error e;
	strbuf_addf(&db, "%s/structures.db", dir);
	remove(db.buf);
	CU_ASSERT_EQUAL_FATAL(store_open(&s, db.buf, &e), TERRAIN_OK);
	struct siae_structure siae[2] = {
	    {"00000000000018", "ACI", "Atelier Inventé", "38000", "Grenoble", "38", "", "", 0, ""},
	    {"00000000000026", "EI", "Entreprise Inventée", "38130", "Échirolles", "38", "", "", 0,
	     ""}};
	struct siae_structure inc[3] = {
	    {"", "ACI", "Chantier Inventé", "38000", "Grenoble", "38", "38185", "", 0, ""},
	    {"", "ML", "Mission Locale Inventée", "38000", "Grenoble", "38", "38185", "", 0, ""},
	    {"", "FT", "Agence Inventée", "38400", "Saint-Martin-d'Hères", "38", "38421", "", 0,
	     ""}};
	struct store_payload p1 = {
	    "siae",
	    "siaes",
	    "http://h/siaes",
	    "2026-11-29T02:00:00Z",
	    "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
	    5,
	    NULL};
	struct store_payload p2 = {
	    "inclusion",
	    "structures",
	    "http://h/structures",
	    "2026-11-29T02:00:00Z",
	    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	    5,
	    NULL};
	CU_ASSERT_EQUAL(store_put(s, &p1, NULL, 0, siae, 2, NULL, &e), TERRAIN_OK);
	CU_ASSERT_EQUAL(store_put(s, &p2, NULL, 0, inc, 3, NULL, &e), TERRAIN_OK);
	store_close(s);
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	test_write_file(ini.buf, "[project]\nterritory = 38185\n"
				 "[plan]\ngoal = Un objectif\nobjectives = O1: Former\n");
	strbuf_addf(&env, "TERRAIN_STORE=%s", db.buf); /* no [sources]: no fetch */
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"report", "-c", ini.buf, "--output", dir, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &err),
	    0);
	if (!strstr(out.buf, "note.md"))
		fprintf(stderr, "\n%s\n", err.buf);
	strbuf_addf(&md, "%s/com_38185/note.md", dir);
	char *note = test_read_file(md.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(note);
	CU_ASSERT_PTR_NOT_NULL(strstr(note, "| Type de structure | Annuaire des SIAE | "
					    "data\xc2\xb7inclusion |\n|---|--:|--:|\n"
					    "| Atelier et chantier d'insertion (ACI) | 1 | 1 |\n"
					    "| Mission locale | 0 | 1 |\n\n"));
	CU_ASSERT_PTR_NULL(strstr(note, "Entreprise d'insertion (EI) | 1"));
	CU_ASSERT_PTR_NULL(strstr(note, "| France Travail | 0 | 1"));
	free(note);
	strbuf_release(&db);
	strbuf_release(&env);
	strbuf_release(&ini);
	strbuf_release(&md);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* Each baseline equals the stage result it names: the sizing's target and
 * coverage as sizing computed them, a survey share in % (the digest's
 * share times 100), a positioning mean. */
static void test_plan_baselines_from_results(void)
{
	struct sizing_result *sz = calloc(1, sizeof(*sz));
	snprintf(sz->label, sizeof(sz->label), "Public");
	sz->target = (struct sizing_range){3196.4, 2424.1, 4108.7};
	sz->has_offer = true;
	sz->coverage = (struct sizing_range){20.65, 16.07, 27.23};
	char lab[] = "Freins", name[] = "freins", alab[] = "Numérique", code[] = "numerique";
	struct note_survey_answer ans = {alab, 0.30362, 0.23576, 0.38128, 70, false, false, code};
	struct note_survey_question q = {.name = name, .label = lab, .answer = &ans, .nanswer = 1};
	struct note_survey dg = {.q = &q, .nq = 1};
	struct note_input in = {.en = false, .sizing = sz, .survey = &dg};
	struct plan *p = new_plan();
	p->nmeasure = 1;
	snprintf(p->measure[0].skill, PLAN_ID, "a");
	double a[] = {1, 2, 3, 4};
	plan_measure_compute(a, 4, &p->measure[0]);
	add_indicator(p, 0, "sizing:target", PLAN_TARGET_PERCENT, -10, 1);
	add_indicator(p, 0, "sizing:coverage", PLAN_TARGET_VALUE, 30, 2);
	add_indicator(p, 1, "survey:freins=numerique", PLAN_TARGET_CHANGE, -10, 3);
	add_indicator(p, 1, "positioning:a", PLAN_TARGET_VALUE, 3, 4);
	struct plan_value *vals;
	size_t n;
	report_plan_values(&in, p, &vals, &n);
	struct error err;
	CU_ASSERT_EQUAL_FATAL(plan_fill(p, vals, n, &err), TERRAIN_OK);
	const struct plan_value *b = &p->indicator[0].baseline;
	CU_ASSERT_DOUBLE_EQUAL(b->value, sz->target.central, TOL);
	CU_ASSERT_DOUBLE_EQUAL(b->low, sz->target.low, TOL);
	CU_ASSERT_DOUBLE_EQUAL(b->high, sz->target.high, TOL);
	CU_ASSERT_DOUBLE_EQUAL(p->indicator[0].target, 3196.4 * 0.9, TOL);
	b = &p->indicator[1].baseline;
	CU_ASSERT_DOUBLE_EQUAL(b->value, sz->coverage.central, TOL);
	CU_ASSERT_DOUBLE_EQUAL(b->high, sz->coverage.high, TOL);
	b = &p->indicator[2].baseline;
	CU_ASSERT_DOUBLE_EQUAL(b->value, 30.362, TOL);
	CU_ASSERT_DOUBLE_EQUAL(b->low, 23.576, TOL);
	CU_ASSERT_DOUBLE_EQUAL(b->high, 38.128, TOL);
	CU_ASSERT_STRING_EQUAL(b->unit, "%");
	CU_ASSERT_DOUBLE_EQUAL(p->indicator[2].target, 20.362, TOL);
	b = &p->indicator[3].baseline;
	CU_ASSERT_DOUBLE_EQUAL(b->value, 2.5, TOL);
	CU_ASSERT_DOUBLE_EQUAL(b->high, 4.5542602568, TOL); /* R, as test_plan_measure */
	CU_ASSERT_TRUE(p->indicator[3].target_in_margin);   /* 3 in [0.45, 4.55] */
	free(vals);
	free(p);
	free(sz);
}

/* terrain run stops on a bad plan with the file, the line and what was
 * expected, exit 1, and writes the plan's tables when it is good. */
static void test_plan_cli(void)
{
	const char *dir = test_tmpdir();
	struct strbuf path = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	strbuf_addf(&path, "%s/terrain.ini", dir);
	test_write_file(path.buf, "[project]\nterritory = 38185\n[plan]\nobjectives = O1: a\n"
				  "[evaluation]\nindicator = O1 | indicator:nope | 3 | x | y\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"run", "-c", path.buf, "--output", dir, NULL}, NULL,
		     NULL, &out, &err),
	    1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "terrain.ini:6: no result for baseline "
					       "\"indicator:nope\""));
	test_write_file(path.buf,
			"[project]\nterritory = 38185\n[plan]\nobjectives = O1: a\n"
			"[evaluation]\nindicator = O1 | indicator:unemployed_15_64 | -10 % | "
			"recensement | 2030\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"run", "-c", path.buf, "--output", dir, NULL}, NULL,
		     NULL, &out, &err),
	    0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/com_38185/action.csv", dir);
	char *csv = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	/* 10 527 unemployed people (census 2021, as test_indicators), -10 %: 9 474.3 */
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "indicator:unemployed_15_64,10527.000,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, ",9474.300,relative_change,-10.000,no,"));
	free(csv);
	/* and the plan's sheets in tables.xlsx */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/com_38185/tables.xlsx", dir);
	char *wb = test_zip_member(path.buf, "xl/workbook.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
	CU_ASSERT(strstr(wb, "<sheet name=\"Plan d&apos;action\"") != NULL ||
		  strstr(wb, "<sheet name=\"Plan d'action\"") != NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "<sheet name=\"\xc3\x89valuation\""));
	free(wb);
	strbuf_release(&path);
	strbuf_release(&out);
	strbuf_release(&err);
}

/* The bundled actors table: every row has its competence in both
 * languages and its article; a row with an empty field is refused with
 * its line and column. */
static void test_plan_actors(void)
{
	struct plan *p = calloc(1, sizeof(*p));
	struct strbuf path = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/actors/actors.csv", test_datadir());
	CU_ASSERT_EQUAL_FATAL(plancfg_read_actors(path.buf, p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(p->nactor, 10);
	for (size_t i = 0; i < p->nactor; i++) {
		CU_ASSERT(p->actor[i].article[0] == 'L');
		CU_ASSERT(*p->actor[i].competence_en && *p->actor[i].competence_fr);
	}
	CU_ASSERT_STRING_EQUAL(p->actor[4].article, "L5132-2"); /* IAE conventions */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/actors.csv", test_tmpdir());
	test_write_file(path.buf,
			"# note\nlevel;actor_fr;actor_en;competence_fr;competence_en;code;"
			"article;url\ndep;CD;DC;x;y;Code;;u\n");
	CU_ASSERT_EQUAL(plancfg_read_actors(path.buf, p, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "actors.csv:3:7: expected a text of 1 to 15 bytes"));
	strbuf_release(&path);
	free(p);
}

void suite_plan(void)
{
	CU_pSuite s = CU_add_suite("plan", NULL, NULL);
	ADD_TEST(s, test_plan_measure);
	ADD_TEST(s, test_plan_target_value);
	ADD_TEST(s, test_plan_fill);
	ADD_TEST(s, test_plan_check);
	ADD_TEST(s, test_plan_gaps);
	ADD_TEST(s, test_plancfg_read);
	ADD_TEST(s, test_plancfg_errors);
	ADD_TEST(s, test_plan_baselines_from_results);
	ADD_TEST(s, test_plan_cli);
	ADD_TEST(s, test_plan_actors);
	ADD_TEST(s, test_plan_survey_level);
	ADD_TEST(s, test_plan_codebook_skill);
	ADD_TEST(s, test_plan_skill_labels);
	ADD_TEST(s, test_plan_store_structures);
}
