/* The catalogue's indicators computed for a territory: counts summed over
 * the territory's communes (a ratio is the ratio of the sums, never an
 * average of rates), published rates with their trend, and the
 * observations terrain fetch put in the store, converted to the current
 * COG first.  Pure computation, no I/O. */
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
	INDICATOR_ROUNDED = 8,	    /* published rounded (DARES, CAF: to multiples of 5) */
};
#define INDICATOR_FLAG_LAST INDICATOR_ROUNDED

/* "small count", "low coverage", "provisional", "rounded" for one flag. */
const char *indicators_flag_name(unsigned flag);

/* A code of an older COG the store held, and the current commune its
 * observations were added to ("" when the geography does not know it: the
 * observations were left out). */
struct indicators_conversion {
	char from[OBS_TERRITORY_MAX]; /* "com:01039" */
	char to[OBS_TERRITORY_MAX];   /* "com:01138", or "" when the code is unknown */
	bool left_out;		      /* a rate: a former commune's cannot be added */
	char cog[OBS_COG_MAX];	      /* the source's vintage, "" when it does not say */
	size_t nobs;		      /* observations converted */
};

#define INDICATORS_RETRIEVED_MAX 32

/* The store's observations, prepared: commune and arrondissement values in
 * the current geography (former communes added to the commune they merged
 * into, arrondissements summed into a city that has no value of its own),
 * one column per indicator id and period, and the values the sources
 * publish for other territories (départements, EPCI, France...) as they
 * are.  Fill with indicators_stored_build; free with _release. */
struct indicators_stored {
	size_t *slot; /* geo.ncom: row in v, or GEO_NONE; owned */
	size_t nrow, ncol;
	char **col;	      /* owned "ID@PERIOD", sorted */
	double *v;	      /* owned, nrow x ncol; NAN: missing or secret */
	unsigned char *state; /* owned, nrow x ncol: 0 unset, 1 set, 2 missing part */
	unsigned *col_status; /* owned, per column: OR of 1 << obs_status seen */
	char (*col_retrieved)[INDICATORS_RETRIEVED_MAX]; /* owned: latest retrieval */
	struct obs_list direct; /* other territories' values, by indicator, territory, period */
	char (*direct_retrieved)[INDICATORS_RETRIEVED_MAX]; /* owned, direct.n */
	struct indicators_conversion *conv;		    /* owned */
	size_t nconv, alloc_conv;
	size_t nobs;	 /* observations given */
	size_t nmerged;	 /* observations of former communes converted */
	size_t nunknown; /* observations of unknown communes left out */
	size_t nrate;	 /* rates of former communes left out */
};

/* obs (borrowed) and retrieved (obs->n retrieval times, borrowed, may be
 * NULL) into out.  Territories other than "com:" and "arm:" go to direct.
 * The ids c defines as published rates are never added up: a former
 * commune's rate is left out (and logged) and a city's is never the sum of
 * its arrondissements'.  c may be NULL (every id a count). */
void indicators_stored_build(const struct geo *g, const struct obs_list *obs,
			     const char *const *retrieved, const struct catalogue *c,
			     struct indicators_stored *out);
void indicators_stored_release(struct indicators_stored *s);

/* Values a source publishes for territories themselves, bundled with
 * terrain (Filosofi 2021 for communes, arrondissements and EPCI): the
 * source's own values, one period, as a table of observations with one
 * row per territory and one column per observation id.  A table and not an
 * obs_list: 36 000 territories by 14 ids, most of them secret, would take
 * some 160 MB as struct observation.  A median or a rate is never summed:
 * a territory without a row has no value.  Fill with
 * indicators_published_init, _add_row and _set; free with _release. */
#define INDICATORS_ABSENT 0xff /* a cell the source file does not give */
struct indicators_published {
	char period[OBS_PERIOD_MAX];
	char **id;    /* owned, ncol observation ids */
	size_t *base; /* owned, ncol: the column of the count a rate in % is a
		       * share of (the persons of a poverty rate), or GEO_NONE */
	size_t ncol;
	char (*territory)[OBS_TERRITORY_MAX]; /* owned, nrow typed codes, sorted */
	char **name;			      /* owned, nrow names ("" unknown: shared) */
	double *v;			      /* owned, nrow x ncol; NAN unless OBS_FINAL */
	unsigned char *status;		      /* owned, nrow x ncol: OBS_FINAL, OBS_SECRET,
					       * OBS_MISSING or INDICATORS_ABSENT */
	size_t nrow, alloc;
	/* The level the source publishes for: "" each territory's own value
	 * only; "epci" or "bv" (bassin de vie): a commune (or arrondissement)
	 * without a row of its own shows the value of its EPCI or bassin de
	 * vie, said so (indicator_value.at), never as its own.  A commune's
	 * bassin de vie is read from parent (sorted by commune). */
	char level[8];
	struct indicators_parent *parent; /* owned, nparent */
	size_t nparent;
	/* another table consulted for the ids this one does not have;
	 * borrowed, may be NULL */
	const struct indicators_published *next;
};

/* A commune and the territory of another level it belongs to. */
struct indicators_parent {
	char commune[6];	    /* "38185" */
	char up[OBS_TERRITORY_MAX]; /* "bv:38185" */
};

/* ids (ncol, borrowed) are copied; period is the source's ("2021"). */
void indicators_published_init(struct indicators_published *p, const char *period,
			       const char *const *ids, size_t ncol);
/* A new row for territory (borrowed), every cell INDICATORS_ABSENT; rows
 * must come in strcmp order (the caller checks).  Returns its index. */
size_t indicators_published_add_row(struct indicators_published *p, const char *territory);
/* The same with the territory's name (borrowed, copied). */
size_t indicators_published_add_named(struct indicators_published *p, const char *territory,
				      const char *name);
void indicators_published_set(struct indicators_published *p, size_t row, size_t col,
			      enum obs_status status, double value);
/* The column of id, or GEO_NONE. */
size_t indicators_published_col(const struct indicators_published *p, const char *id);
/* The cell of territory and column col: its status (INDICATORS_ABSENT when
 * the territory has no row) and *value (NAN unless OBS_FINAL). */
int indicators_published_get(const struct indicators_published *p, const char *territory,
			     size_t col, double *value);
void indicators_published_release(struct indicators_published *p);

/* A territory's population by 5-year age band (0-4 ... 90-94, 95 or
 * over) and sex, from the ids estim.M.a00_04 ... estim.F.a95p of the
 * tables chained from p: the age pyramid of a département, a région or
 * France.  False when a band is missing. */
#define INDICATORS_AGE_BANDS 20
struct indicators_pyramid {
	double men[INDICATORS_AGE_BANDS], women[INDICATORS_AGE_BANDS];
	char period[OBS_PERIOD_MAX];
};
bool indicators_pyramid(const struct indicators_published *p, const char *territory,
			struct indicators_pyramid *out);
/* "0-4", "5-9", ..., "95+" for band k. */
const char *indicators_age_band(size_t k);

/* What indicators are computed from; every pointer borrowed. */
struct indicators_input {
	const struct geo *geo;
	const struct comtable *census;		/* ids census.COLUMN */
	const struct comtable *pop_cog;		/* ids cog.COLUMN; may be NULL */
	const struct obs_list *series;		/* bundled published series (bdm.*), ordered
						 * by indicator, territory, period (strcmp) */
	const struct indicators_stored *stored; /* NULL: no store (terrain fetch never ran) */
	/* bundled values published for territories (Filosofi); may be NULL.
	 * A rate id found here and in the store takes the latest period, the
	 * store's at the same period (terrain fetch's is the newer copy). */
	const struct indicators_published *published;
};

struct indicator_value {
	const struct indicator_def *def; /* borrowed */
	double value;			 /* in the indicator's unit (scaled); NAN: unavailable */
	double num, den;		 /* the summed counts behind a count, ratio or growth */
	size_t covered, units;		 /* units with the data, units of the territory */
	char period[OBS_PERIOD_MAX];	 /* data from a source with periods: the latest */
	enum obs_status status;		 /* a published rate: the latest value's */
	const char *why;		 /* static text when value is NAN */
	const char *retrieved;		 /* data from the store: when it was retrieved
					  * (borrowed from the input); NULL: bundled */
	bool direct;			 /* the source's own value for the territory,
					  * not a sum over its communes */
	/* "" the territory's own value; else the territory of another
	 * level whose value this is (a commune's EPCI "epci:200040715" or
	 * bassin de vie "bv:38185"), named at_name (borrowed) */
	char at[OBS_TERRITORY_MAX];
	const char *at_name;
	int at_tncc;	    /* INSEE's type de nom en clair of at_name (a bassin de
			     * vie's is its chef-lieu commune's), -1 unknown */
	bool has_trend;	    /* a series of at least TREND_MIN_POINTS periods */
	struct trend trend; /* slope per year */
	double f;	    /* sampling fraction assumed for the numerator */
	unsigned flags;	    /* INDICATOR_SMALL | ... */
};

/* Compute the n = c->n indicators of c for t into out[0..n-1].
 *
 * An observation id is census.COLUMN or cog.COLUMN (the bundled commune
 * tables), bdm.* (the bundled series, and the store's), "none" (no source
 * terrain reads publishes it: unavailable), or any other id of the store;
 * "A+B" sums ids.  A published rate takes the latest period of the
 * bundled series, in->published (the territory's own value only: "statistical
 * secrecy", "not available in the source" or "not in the bundled data..."
 * otherwise) and the store.  A store id takes the source's own value for the
 * territory when the store has one (the latest period), else the sum over
 * the territory's communes of the latest period (coverage reported).
 * Counts summed over communes with at least TREND_MIN_POINTS periods of
 * the same coverage, and published series, get a trend. */
void indicators_compute(const struct indicators_input *in, const struct catalogue *c,
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
 * a published rate in % whose two values carry their base (num and den:
 * Filosofi's poverty rate on the persons of fiscal households) is tested
 * the same way.  TERRAIN_EDATA when either is unavailable, or neither a
 * ratio nor a rate with its base, or either is the value of another
 * level (indicator_value.at): a bassin de vie is not its commune. */
enum status indicators_gap(const struct indicator_value *a, const struct indicator_value *ref,
			   bool nested, double alpha, struct gap *out, struct error *err);

#endif
