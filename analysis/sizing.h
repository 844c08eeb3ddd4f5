/* Sizing an insertion action (bloc 2): the target public as counts times
 * shares with a low / central / high range, the existing offer's capacity,
 * the coverage of the public by that offer, the deficit against a coverage
 * goal, and the insertion posts to open.  Every figure keeps the
 * assumptions it comes from.  Pure computation, no I/O.
 *
 * Ranges.  Each term of the target public is a value with a low and a high
 * bound (a 95 % interval): a survey proportion's confidence interval, a
 * census count's sampling interval, a number the project file gives with
 * its range.  The target is the product of the terms, and its bounds the
 * products of the bounds (interval arithmetic on positive terms: the
 * widest range the terms allow, not a confidence level of its own). */
#ifndef TERRAIN_SIZING_H
#define TERRAIN_SIZING_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "../ingest/offer.h"
#include "indicators.h"

#define SIZING_TEXT_MAX 256

/* A value with its 95 % range and where it comes from. */
struct sizing_range {
	double central, low, high;
};

struct sizing_term {
	char label[SIZING_TEXT_MAX];  /* what it is ("households receiving RSA") */
	char origin[SIZING_TEXT_MAX]; /* where it comes from ("CNAF 2024-12, terrain.ini:31") */
	struct sizing_range v;	      /* a count, or a share in [0, 1] */
	bool share;
};

/* The 95 % range of a census count n of a territory whose large communes
 * are sampled at fraction f (1: counted whole): n +/- 1.96 sqrt(n (1 - f) / f),
 * the sampling variance of a count estimated from a fraction f of the
 * dwellings, floored at 0.  f must be in (0, 1]. */
struct sizing_range sizing_census_count(double n, double f);

/* The range of a count summed over units communes each rounded to a
 * multiple of step by its source: n +/- units step / 2, floored at 0. */
struct sizing_range sizing_rounded_count(double n, size_t units, double step);

/* The target public: terms[0] a count, the others shares; their product
 * and the product of their bounds.  Errors (TERRAIN_EDATA, naming the
 * term): no term, a first term that is a share, a later one that is not,
 * a share outside [0, 1], a negative count, bounds that do not hold the
 * central value, a NAN. */
enum status sizing_target(const struct sizing_term *terms, size_t n, struct sizing_range *out,
			  struct error *err);

/* Coverage of a target public by a capacity (insertion posts in ETP):
 * capacity per 1 000 target persons.  The low coverage comes with the
 * high target and the reverse.  NAN when the target is 0. */
struct sizing_range sizing_coverage(double capacity, const struct sizing_range *target);

/* Posts missing to reach goal (per 1 000 target persons) with capacity:
 * goal target / 1000 - capacity, floored at 0, for each bound of the
 * target; posts_to_open is the central deficit rounded up to a whole post
 * (an ETP cannot be opened in pieces smaller than one contract; a
 * proposal, not an obligation). */
struct sizing_deficit {
	struct sizing_range posts; /* ETP */
	double posts_to_open;	   /* whole ETP */
};
void sizing_deficit(double goal, double capacity, const struct sizing_range *target,
		    struct sizing_deficit *out);

/* A share p of a census base den sampled at fraction f: its 95 % range
 * p +/- 1.96 sqrt(p (1 - p) (1 - f) / (den f)), within [0, 1] (the
 * sampling variance, as sizing_census_count). */
struct sizing_range sizing_census_share(double p, double den, double f);

/* The existing offer of the territory, summed structure by structure. */
#define SIZING_NTYPES 6 /* as enum offer_type: ACI, EI, AI, ETTI, EITI, other */
struct sizing_offer {
	size_t structures;
	size_t by_type[SIZING_NTYPES];
	double places_by_type[SIZING_NTYPES];
	double capacity;	 /* places, ETP counted as places where no places are given */
	size_t from_etp;	 /* structures whose capacity came from their ETP */
	size_t unknown_capacity; /* structures with neither: not counted */
};

/* Add one structure of type (0 .. SIZING_NTYPES - 1) with its places and
 * ETP (NAN when unknown). */
void sizing_offer_add(struct sizing_offer *o, int type, double places, double etp);

/* The structures of off in territory t (an arrondissement counts for its
 * city) into o. */
void sizing_offer_in(const struct geo *g, const struct offer *off, const struct territory *t,
		     struct sizing_offer *o);

/* The range of an indicator's value as a term of the target public: as a
 * count (share false) or a share in [0, 1] (share true: v->value is in %).
 * A census count or census ratio (numerator census.*) sampled at a rate
 * f < 1 gets its sampling range, a count rounded by its source its
 * rounding range, anything else the value alone.  Returns which. */
enum sizing_range_kind {
	SIZING_RANGE_NONE,
	SIZING_RANGE_CENSUS,
	SIZING_RANGE_ROUNDED,
};
enum sizing_range_kind sizing_indicator_range(const struct indicator_value *v, bool share,
					      struct sizing_range *out);

/* What terrain project size prints. */
#define SIZING_MAX_TERMS 8
struct sizing_result {
	char label[SIZING_TEXT_MAX];
	struct sizing_term term[SIZING_MAX_TERMS];
	size_t nterms;
	struct sizing_range target;
	bool has_offer;
	char offer_file[SIZING_TEXT_MAX];
	struct sizing_offer offer;
	struct sizing_range coverage; /* places per 1 000 target persons */
	/* the references the inventory covers whole: their target public (the
	 * same definition: indicators of the reference, the territory's other
	 * shares) and coverage */
	struct sizing_ref {
		char code[48];
		char name[SIZING_TEXT_MAX];
		struct sizing_range target;
		struct sizing_offer offer;
		struct sizing_range coverage;
	} ref[8];
	size_t nref;
	bool has_goal;
	double goal;
	char goal_origin[SIZING_TEXT_MAX];
	/* the goal's origin in parts, for a text in words: its source as the
	 * project file gives it and that line, or the reference whose coverage
	 * it is (goal_ref_set, ref[goal_ref]) */
	char goal_source[SIZING_TEXT_MAX];
	unsigned goal_line;
	bool goal_ref_set;
	size_t goal_ref;
	struct sizing_deficit deficit;
};

#endif
