/* The catalogue's indicators computed for a territory from the bundled
 * data: census counts summed over the territory's communes (a ratio is
 * the ratio of the sums, never an average of rates), and the published
 * series (localized unemployment) with their trend.  Indicators that come
 * from the store (terrain fetch) are reported unavailable with why, until
 * the store is read here.  Pure computation, no I/O. */
#ifndef TERRAIN_INDICATORS_H
#define TERRAIN_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/catalogue.h"
#include "../core/comtable.h"
#include "../core/geo.h"
#include "../core/observation.h"
#include "../core/territory.h"
#include "gap.h"
#include "trend.h"

/* Reliability flags of a value. */
enum {
	INDICATOR_SMALL = 1,	    /* a count under 20, or under 200 from a sample (INSEE's
				     * advice for the census of large communes) */
	INDICATOR_LOW_COVERAGE = 2, /* under 95 % of the communes have the data */
	INDICATOR_PROVISIONAL = 4,  /* the latest published value is provisional */
};

/* "small count", "low coverage", "provisional" for one flag. */
const char *indicators_flag_name(unsigned flag);

struct indicator_value {
	const struct indicator_def *def; /* borrowed */
	double value;			 /* in the indicator's unit (scaled); NAN: unavailable */
	double num, den;		 /* the summed counts behind a count, ratio or growth */
	size_t covered, units;		 /* units with the data, units of the territory */
	char period[OBS_PERIOD_MAX];	 /* a published rate: the latest period */
	enum obs_status status;		 /* a published rate: the latest value's */
	const char *why;		 /* static text when value is NAN */
	bool has_trend;			 /* a series of at least TREND_MIN_POINTS periods */
	struct trend trend;		 /* slope per year */
	double f;			 /* sampling fraction assumed for the census counts */
	unsigned flags;			 /* INDICATOR_SMALL | ... */
};

/* Compute the n = c->n indicators of c for t into out[0..n-1].  census is
 * the bundled comparateur table, series the bundled published series. */
void indicators_compute(const struct geo *g, const struct comtable *census,
			const struct obs_list *series, const struct catalogue *c,
			const struct territory *t, struct indicator_value *out);

/* Peers of a territory: for a commune, the communes of its département in
 * the same population band of the 2021 census (under 2 000, 2 000 to
 * 9 999, 10 000 to 49 999, 50 000 or more), or of its région when the
 * département has fewer than INDICATORS_MIN_PEERS; for a département, the
 * départements of France; none for other types.  The territory itself is
 * one of them.  *out is returned owned (free with free()); *scope is a
 * static description ("communes of 50 000 inhabitants or more of the
 * région").  Returns the count. */
#define INDICATORS_MIN_PEERS 5
size_t indicators_peers(const struct geo *g, const struct comtable *census,
			const struct territory *t, struct territory **out, const char **scope);

/* Rank (1 = the highest value) and percentile (share of the peers whose
 * value is not above it, in %) of value among n peer values (NANs
 * skipped; value is one of them). */
struct indicator_rank {
	size_t rank, npeers;
	double percentile;
};
void indicators_rank(double value, const double *peers, size_t n, struct indicator_rank *out);

/* Is every commune of t one of ref's (Grenoble in Isère)? */
bool indicators_nested(const struct geo *g, const struct territory *t, const struct territory *ref);

/* The gap of a ratio indicator a against the same indicator of ref (see
 * gap.h), its points in the indicator's unit (points of %, or per 1 000);
 * TERRAIN_EDATA when either is unavailable or not a ratio. */
enum status indicators_gap(const struct indicator_value *a, const struct indicator_value *ref,
			   bool nested, double alpha, struct gap *out, struct error *err);

#endif
