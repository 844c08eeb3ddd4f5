/* The action plan and its evaluation, the skills gap and the training
 * action (bloc 2): objectives, actions over the budget's three years, an
 * evaluation grid whose baselines are terrain's own results, the gap
 * between the skills target jobs require and the group's measured level,
 * and the training modules drafted from it.  Pure computation, no I/O:
 * ingest/plancfg.c fills the plan from the project file, the pipeline
 * hands the stage results over as plan_value rows.
 *
 * Intervals.  A baseline carries its 95 % interval from the stage it comes
 * from.  A measured skill level is a mean with its 95 % Student interval;
 * a gap required - measured carries it through: [required - high,
 * required - low]. */
#ifndef TERRAIN_PLAN_H
#define TERRAIN_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"

#define PLAN_TEXT	    256
#define PLAN_ID		    32
#define PLAN_MONTHS	    36 /* the budget's three years */
#define PLAN_MAX_OBJECTIVES 16
#define PLAN_MAX_ACTIONS    32
#define PLAN_MAX_LIST	    8 /* objectives or budget lines of one action */
#define PLAN_MAX_INDICATORS 32
#define PLAN_MAX_JOBS	    8
#define PLAN_MAX_SKILLS	    16 /* per job, and measured skills */
#define PLAN_MAX_WARNINGS   64

struct plan_objective {
	char id[PLAN_ID]; /* "O1" */
	char text[PLAN_TEXT];
	unsigned line;
};

struct plan_action {
	char id[PLAN_ID]; /* ID of [action:ID] */
	char label[PLAN_TEXT];
	unsigned line;			 /* of the section header */
	size_t objective[PLAN_MAX_LIST]; /* indexes into plan.objective */
	size_t nobjective;
	int start, end; /* months, 1 = the first month of the first year */
	char lead[PLAN_TEXT], partners[PLAN_TEXT], outputs[PLAN_TEXT];
	char budget[PLAN_MAX_LIST][PLAN_TEXT]; /* the budget lines it uses, by label */
	size_t nbudget;
	unsigned budget_line;
	char objectives_text[PLAN_MAX_LIST * PLAN_ID]; /* "O1, O2", for tables */
	char budget_text[4 * PLAN_TEXT];	       /* "Locaux; Véhicules", for tables */
};

enum plan_base {
	PLAN_BASE_INDICATOR,   /* indicator:ID, the territory's value */
	PLAN_BASE_SURVEY,      /* survey:VARIABLE=CODE, a weighted share in % */
	PLAN_BASE_TARGET,      /* sizing:target, the target public */
	PLAN_BASE_COVERAGE,    /* sizing:coverage, places per 1 000 target persons */
	PLAN_BASE_POSITIONING, /* positioning:SKILL, the group's mean level */
	PLAN_BASE_SKILL,       /* skill:SKILL, the same from either source */
};

enum plan_target {
	PLAN_TARGET_VALUE,   /* "30": the value to reach */
	PLAN_TARGET_CHANGE,  /* "-2 points", "+50": baseline + the change */
	PLAN_TARGET_PERCENT, /* "-10 %": baseline times (1 + change / 100) */
};

/* A stage result a baseline may take: key as the project file writes it
 * ("indicator:unemployment_rate", "survey:freins=numerique",
 * "sizing:target"). */
struct plan_value {
	char key[128];
	char label[PLAN_TEXT];	 /* what it is, in the note's language */
	double value, low, high; /* low, high: 95 % interval; NAN when none */
	char unit[16];		 /* "%", "pers.", "‰"...: as the note shows it */
	int decimals;
	char source[PLAN_TEXT]; /* the stage and its data: "recensement 2021 (Insee)" */
};

struct plan_indicator {
	size_t objective; /* index into plan.objective */
	char base[128];	  /* as written: the key of a plan_value */
	enum plan_base base_kind;
	enum plan_target target_kind;
	double target_written;	     /* the number as written */
	char measured_by[PLAN_TEXT]; /* the source that will measure it */
	char when[PLAN_TEXT];
	unsigned line;
	/* filled by plan_fill */
	struct plan_value baseline;
	double target;	       /* the value to reach */
	bool target_in_margin; /* inside the baseline's interval: not measurable */
};

/* A target job: its ROME code and label, where its skills come from. */
struct plan_skill_level {
	char skill[PLAN_ID];
	double level; /* on the positioning scale */
};
struct plan_job {
	char code[8]; /* ROME code, "K1801" */
	char label[PLAN_TEXT];
	char source[PLAN_TEXT];
	struct plan_skill_level req[PLAN_MAX_SKILLS];
	size_t nreq;
	unsigned line;
};

/* The group's measured level for one skill, by the positioning file (a
 * mean with its Student interval) or by a survey question mapped to the
 * skill in the codebook (the weighted mean with the survey's interval). */
enum plan_from {
	PLAN_FROM_POSITIONING,
	PLAN_FROM_SURVEY,
};
struct plan_measure {
	char skill[PLAN_ID];
	double mean, low, high; /* 95 % interval; NAN with fewer than 2 answers */
	size_t n;		/* people (positioning) or respondents (survey) with a value */
	enum plan_from from;
	char question[PLAN_TEXT]; /* survey: the question's label */
	unsigned long line;	  /* survey: the question's line in the codebook */
};

/* A skill's label, declared in [training] (labels = skill: label). */
struct plan_skill_label {
	char skill[PLAN_ID];
	char label[PLAN_TEXT];
	unsigned line;
};

/* One gap: job j, skill (its measure m), required - measured. */
struct plan_gap {
	size_t job, measure;
	double required;
	double gap, low, high; /* low = required - measure.high, high = required - measure.low */
	bool maybe_none;       /* the interval reaches 0 or below: maybe no gap at all */
};

/* A training module: one skill whose largest gap is above the threshold. */
struct plan_module {
	size_t measure; /* the skill */
	double gap;	/* the largest gap over the jobs */
	double hours;	/* ceil(gap x rate) */
};

enum plan_warning_kind {
	PLAN_WARN_NO_BUDGET,	/* action uses budget lines, the project has no [budget] */
	PLAN_WARN_UNUSED_LINE,	/* a budget line no action uses (text: the label) */
	PLAN_WARN_OUTSIDE,	/* an action beyond the three years */
	PLAN_WARN_NO_INDICATOR, /* an objective no indicator measures */
	PLAN_WARN_IN_MARGIN,	/* a target inside its baseline's interval */
	PLAN_WARN_NO_BASELINE,	/* a baseline terrain could not compute */
};
struct plan_warning {
	enum plan_warning_kind kind;
	size_t index;	      /* the action, objective or indicator */
	char text[PLAN_TEXT]; /* the budget line's label (PLAN_WARN_UNUSED_LINE) */
};

/* An institution that acts on insertion, its competence and the article
 * it comes from (datasets/actors/actors.csv). */
#define PLAN_MAX_ACTORS 24
struct plan_actor {
	char level[8]; /* dep, reg, etat, local, com, epci */
	char actor_fr[PLAN_TEXT], actor_en[PLAN_TEXT];
	char competence_fr[PLAN_TEXT], competence_en[PLAN_TEXT];
	char code[PLAN_TEXT]; /* the code: "Code du travail" */
	char article[16];     /* "L5132-2" */
};

/* The structures the store holds for the territory, counted by kind (the
 * SIAE directory's type, or the kind data·inclusion's networks give). */
#define PLAN_MAX_KINDS 32
struct plan_kind {
	char kind[8];
	size_t siae, inclusion; /* structures from each source */
};

struct plan {
	char file[PLAN_TEXT]; /* the project file, for messages */
	char goal[PLAN_TEXT];
	struct plan_objective objective[PLAN_MAX_OBJECTIVES];
	size_t nobjective;
	struct plan_action action[PLAN_MAX_ACTIONS];
	size_t naction;
	struct plan_indicator indicator[PLAN_MAX_INDICATORS];
	size_t nindicator;
	struct plan_job job[PLAN_MAX_JOBS];
	size_t njob;
	/* the training action */
	bool has_training;
	double rate;		     /* hours per level of gap */
	double threshold;	     /* a gap above it gets a module */
	char positioning[PLAN_TEXT]; /* the positioning file as written */
	struct plan_measure measure[PLAN_MAX_SKILLS];
	size_t nmeasure;
	struct plan_skill_label label[PLAN_MAX_SKILLS];
	size_t nlabel;
	char codebook[PLAN_TEXT]; /* the survey's codebook, when it measures skills */
	/* computed */
	struct plan_gap gap[PLAN_MAX_JOBS * PLAN_MAX_SKILLS]; /* ranked, largest first */
	size_t ngap;
	struct plan_module module[PLAN_MAX_SKILLS]; /* in training order */
	size_t nmodule;
	double public_size, public_low, public_high; /* the sizing's target; NAN none */
	struct plan_warning warning[PLAN_MAX_WARNINGS];
	size_t nwarning;
	struct plan_actor actor[PLAN_MAX_ACTORS]; /* the bundled actors table */
	size_t nactor;
	bool have_store;		       /* a store was read for the structures */
	struct plan_kind kind[PLAN_MAX_KINDS]; /* in the order first met */
	size_t nkind;
};

/* The mean of x[0..n) (NANs skipped) with its 95 % Student interval
 * mean +/- t(0.975, n - 1) sd / sqrt(n); low and high NAN under 2 values. */
void plan_measure_compute(const double *x, size_t n, struct plan_measure *out);

/* A skill's label: the one [training] declares, else its id.  Borrowed
 * from p (or skill). */
const char *plan_skill_label(const struct plan *p, const char *skill);

/* Add the level a survey question measures (question: its label, line:
 * its line in codebook) to p->measure.  A skill the positioning file or
 * another question already measures is an error "CODEBOOK:LINE: ..."
 * naming the other source (one source a skill). */
enum status plan_measure_survey(struct plan *p, const char *skill, const char *question,
				const char *codebook, unsigned long line, double mean, double low,
				double high, size_t n, struct error *err);

/* Count one structure of the store under its kind: source "inclusion"
 * (data·inclusion) or any other (the SIAE directory).  Kinds beyond
 * PLAN_MAX_KINDS go under the last one's count. */
void plan_count_structure(struct plan *p, const char *kind, const char *source);

/* The target as a value from the baseline b and the written target. */
double plan_target_value(enum plan_target kind, double written, double baseline);

/* Fill each indicator's baseline from vals (the stage results), turn its
 * target into a value and check it against the baseline's interval.  A
 * base that names no value of vals is an error "FILE:LINE: no result for
 * baseline ..."; a value that is NAN is a warning. */
enum status plan_fill(struct plan *p, const struct plan_value *vals, size_t n, struct error *err);

/* The consistency checks, as warnings in p->warning: labels[0..nlabels)
 * are the budget's lines (has_budget false: the project has no budget).
 * An action's budget line that is not a label of the budget is an error
 * "FILE:LINE: ..." naming the labels expected. */
enum status plan_check(struct plan *p, bool has_budget, const char *const *labels, size_t nlabels,
		       struct error *err);

/* The gaps per job and skill, ranked, and the training modules (skills
 * whose largest gap is above the threshold, largest first, hours at the
 * rate).  A job's skill that has no measure is an error naming the job's
 * line. */
enum status plan_gaps(struct plan *p, struct error *err);

#endif
