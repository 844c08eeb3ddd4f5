/* Weighted counts of census detail records by group: a filter (--where),
 * group keys (--by: values or age bands), measures (the weight summed over
 * the records of a group that meet a condition) and the named sets of
 * standard indicators built from them.  Pure computation: records come in
 * as slices (ingest/census reads them), results go out as a table.
 *
 * Exact sums.  A weight such as IPONDI ("4.86329870295423") is parsed as a
 * decimal into an integer count of 1e-18 units held in a signed 128-bit
 * integer, and summed exactly.  Integer addition is associative, so the
 * partial sums of the workers add up to the same bits whatever the split
 * and the order of the merge: the parallel result is identical to the
 * single-threaded one, without having to fix the order of the sums.  The
 * range is ample: 1e20 persons of weight 1e9 would still fit in 2^127
 * units.  A weight with more than 18 decimals (beyond trailing zeros) is
 * refused rather than rounded.  Rates and shares are computed from the
 * exact sums at the end, in double.
 *
 * Memory is bounded by the number of groups (at most AGGREGATE_MAX_GROUPS),
 * never by the number of records: adding a record allocates only when it
 * opens a new group. */
#ifndef TERRAIN_AGGREGATE_H
#define TERRAIN_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/strbuf.h"
#include "../core/text.h"

__extension__ typedef __int128 aggregate_fixed; /* units of 1e-18 */

#define AGGREGATE_DECIMALS	 18
#define AGGREGATE_MAX_GROUPS	 5000000
#define AGGREGATE_MAX_PARTS	 16
#define AGGREGATE_MAX_DEPTH	 64   /* a filter's parentheses and NOTs, nested */
#define AGGREGATE_MAX_CONDITIONS 1000 /* comparisons in one filter */

/* Parse s[0..len) as a decimal number ("12", "-0.5", "4,863": a '.' or a
 * ',' separates the decimals) into *out.  False for anything else: empty,
 * spaces, exponents, more than 18 significant decimals, out of range. */
bool aggregate_parse_fixed(const char *s, size_t len, aggregate_fixed *out);
/* Append v exactly, without trailing zeros ("1234.5", "0", "-0.25"). */
void aggregate_format_fixed(aggregate_fixed v, struct strbuf *out);
double aggregate_fixed_double(aggregate_fixed v);

enum aggregate_set {
	AGGREGATE_SET_NONE,
	AGGREGATE_SET_ACTIVITY, /* activity and unemployment of the 15-64 */
	AGGREGATE_SET_PYRAMID,	/* age (5-year bands) by sex */
	AGGREGATE_SET_DIPLOMA,	/* highest diploma of the 15+ out of school */
};

/* "activity", "pyramid", "diploma" (and "none"); false for another name. */
bool aggregate_set_parse(const char *name, enum aggregate_set *out);
const char *aggregate_set_name(enum aggregate_set s);

struct aggregate_expr; /* a parsed --where */

enum aggregate_part_kind {
	AGGREGATE_PART_VALUE,	/* the field as it is */
	AGGREGATE_PART_BANDS,	/* a whole number put in a band: "15-24", "65+" */
	AGGREGATE_PART_DIPLOMA, /* DIPL (RP 2017 on) or DIPL_15 mapped to levels A-D */
};

/* One part of the group key: an output column. */
struct aggregate_part {
	enum aggregate_part_kind kind;
	char *label; /* output column name; owned */
	size_t slot; /* the slot of its file column */
	long *cut;   /* bands: their lower bounds after the first (ascending, > 0); owned */
	char **band; /* bands: ncut + 1 labels; owned */
	size_t ncut;
};

struct aggregate_measure {
	const char *name;	     /* static */
	struct aggregate_expr *cond; /* owned; NULL: every record of the group */
};

struct aggregate_spec {
	enum aggregate_set set;
	struct aggregate_expr *where; /* owned; NULL: every record */
	struct aggregate_part part[AGGREGATE_MAX_PARTS];
	size_t npart, nuser; /* the first nuser parts come from --by */
	struct aggregate_measure measure[4];
	size_t nmeasure;
	char **column; /* the file columns read, one per slot; owned */
	char **why;    /* what needs each ("--by", "--where", "--set activity", "the weight") */
	size_t ncolumn, alloc_column;
	size_t weight_slot;
};

/* Build a job.
 *   by: columns separated by commas, each a name or NAME[C1,C2,...] for
 *       bands cut at C1 < C2 < ... ("AGEREV[15,25,55,65]": 0-14, 15-24,
 *       25-54, 55-64, 65+); NULL or "" for one group of everything.
 *   where: a filter (NULL: none): comparisons COL OP VALUE (OP one of = ==
 *       != <> < <= > >=), COL [NOT] IN (V1, V2, ...), joined by AND, OR,
 *       NOT and parentheses.  An unquoted number compares as a number
 *       ("015" = 15); a quoted value ('2A', "01") or a word compares as
 *       text.  A field that is not a number is neither above nor below
 *       nor equal to any number.
 *   set: NULL or one of aggregate_set_parse's names; adds its filter,
 *       key parts and measures to the above.
 *   weight: the weight column (NULL: "IPONDI").
 *   header, nheader: the file's column names (the diploma set reads DIPL
 *       or, in files before 2017, DIPL_15).
 * Errors are TERRAIN_EUSAGE naming the option and where it went wrong. */
enum status aggregate_spec_init(struct aggregate_spec *s, const char *by, const char *where,
				const char *set, const char *weight, const char *const *header,
				size_t nheader, struct error *err);
void aggregate_spec_release(struct aggregate_spec *s);

/* The values of a group, in output order after its key parts. */
enum aggregate_col_kind {
	AGGREGATE_COL_ROWS,  /* records in the group (unweighted) */
	AGGREGATE_COL_SUM,   /* measure num's weight */
	AGGREGATE_COL_RATE,  /* 100 * measure num / measure den */
	AGGREGATE_COL_SHARE, /* 100 * measure num / the same summed over the --by group */
};

struct aggregate_column {
	const char *name;
	enum aggregate_col_kind kind;
	size_t num, den;
	const char *unit; /* "records", "persons", "percent" */
};

/* The value columns of the spec's set; *out is static. */
size_t aggregate_columns(const struct aggregate_spec *s, const struct aggregate_column **out);

struct aggregate_group {
	size_t koff, klen; /* key bytes in keys: the parts joined by '\x1f' */
	uint64_t hash;
	uint64_t rows;
};

/* The partial result of one worker (or the whole, after merging). */
struct aggregate_table {
	const struct aggregate_spec *spec; /* borrowed */
	struct strbuf keys;
	struct aggregate_group *g;
	size_t n, alloc;
	aggregate_fixed *sum; /* n * nmeasure */
	uint32_t *slots;      /* open addressing: group index + 1, 0 empty */
	size_t nslots;	      /* a power of 2 */
	struct strbuf key;    /* the current record's key */
};

void aggregate_table_init(struct aggregate_table *t, const struct aggregate_spec *s);
void aggregate_table_reset(struct aggregate_table *t);
void aggregate_table_release(struct aggregate_table *t);

/* Add one record (field: one slice per spec column).  Returns 0, or k to
 * reject field k (1-based) with *why the reason ("is not a number"). */
size_t aggregate_add(struct aggregate_table *t, const struct text_span *field, const char **why);

/* Add src's groups to dst (same spec). */
void aggregate_merge(struct aggregate_table *dst, const struct aggregate_table *src);

/* The groups in order (each key part compared with digit runs as numbers:
 * "5-9" before "10-14"); *order is returned owned (free()). */
size_t aggregate_order(const struct aggregate_table *t, size_t **order);

/* Key part i of group g (borrowed from the table). */
struct text_span aggregate_key_part(const struct aggregate_table *t, size_t g, size_t i);

/* Column c of group g: an exact sum (*exact true, *fixed set) or a double
 * (NAN when its denominator is 0).  total is the sum of the column's
 * measure over g's --by group, for shares (aggregate_totals). */
double aggregate_value(const struct aggregate_table *t, size_t g, const struct aggregate_column *c,
		       aggregate_fixed total, bool *exact, aggregate_fixed *fixed);

/* For each group in order, the sum of measure m over the groups that share
 * its --by values: *out is returned owned (free()), n entries. */
void aggregate_totals(const struct aggregate_table *t, const size_t *order, size_t n, size_t m,
		      aggregate_fixed **out);

#endif
