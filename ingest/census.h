/* Census detail files (INSEE FD_INDCVI and its kin): a header checked
 * against the columns a job needs, then every record handed to a consumer
 * as slices of only those columns, at the speed of the disk.
 *
 * Inputs: a plain CSV file, a gzip file, or a zip archive as INSEE ships
 * it (the CSV member is found by name), told apart by their first bytes.
 * Streams are read as they come; nothing is extracted to disk.
 *
 * Parallel reading: a plain file is split into byte ranges at line ends, one
 * worker (a thread) per range, each mapping its range a window at a time
 * (mmap, no copy; each window unmapped before the next, so the resident
 * memory is a window per worker) or, with no_mmap, reading it with pread()
 * into a fixed buffer: memory is bounded by the windows, not by the file.  A
 * gzip stream cannot be entered in the middle, and neither can a deflated
 * zip member: those are read by one worker while, when more than one is
 * allowed, a thread of their own decompresses ahead.  A worker owns one consumer
 * state; the caller merges the states afterwards, so a consumer needs no
 * lock.  A record belongs to the range its first byte is in; a quoted field
 * with a line break that crosses a split point is detected after the join
 * and the next range is read again from the right place, so the result never
 * depends on where the file was split.
 *
 * Parsing: libcsv is the reference parser.  A record without a '"' (all of
 * INSEE's) takes a fast path that looks at 64 bytes at a time (AVX2, POPCNT
 * and BMI2 when the processor has them, checked at run time; SSE2 or plain C
 * otherwise; TERRAIN_NO_AVX2=1 in the environment forces the baseline),
 * jumps over the columns nobody asked for by counting delimiters, and
 * allocates nothing; a record with a quote is handed whole to libcsv.
 * census_scan_opts.no_fast sends every record to libcsv, so the tests can
 * compare both.
 *
 * Records end with LF or CRLF (a CR alone is not a line end); the last one
 * may lack its line end; empty lines are skipped; a UTF-8 byte-order mark
 * is skipped; every record must have as many fields as the header.  Errors
 * name NAME:LINE[:COLUMN], NAME being the path, or "archive.zip/member.csv"
 * for a zip member, and the column the 1-based field number with its name. */
#ifndef TERRAIN_CENSUS_H
#define TERRAIN_CENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/text.h"

#define CENSUS_MAX_COLUMNS 64 /* columns one scan may ask for */
#define CENSUS_MAX_WORKERS 8
#define CENSUS_MAX_HEADER  (1024 * 1024) /* bytes of the header line */

enum census_kind {
	CENSUS_PLAIN,
	CENSUS_GZIP,
	CENSUS_ZIP,
};

struct census_file;

/* Open path and read its header.  For a zip archive, member names the CSV
 * inside (NULL: the only .csv member, else the one whose name starts with
 * "FD_"; several candidates or none is an error listing them).  The
 * delimiter is ';' unless the header holds none and holds tabs or commas.
 * An empty file, a truncated or corrupt archive and an unreadable header are
 * errors naming the file.  *out is returned owned: free with census_free(). */
enum status census_open(struct census_file **out, const char *path, const char *member,
			struct error *err);
void census_free(struct census_file *f);

const char *census_name(const struct census_file *f); /* for messages; borrowed */
enum census_kind census_kind(const struct census_file *f);
const char *census_kind_name(enum census_kind k); /* "plain", "gzip", "zip" */
char census_delim(const struct census_file *f);
size_t census_ncolumns(const struct census_file *f);
const char *census_column_name(const struct census_file *f, size_t i); /* borrowed */

/* The index of column name; a missing one is TERRAIN_EDATA:
 * "NAME:1: column "IPONDI" is missing (needed by WHY)". */
enum status census_column(const struct census_file *f, const char *name, const char *why,
			  size_t *idx, struct error *err);

/* The consumer: called once per record with one slice per column asked
 * for, in the order asked (borrowed until it returns).  Returns 0, or k to
 * reject the record's k-th slice (1-based) with *why a phrase that follows
 * the quoted value ("is not a number"); the scan then stops with
 * "NAME:LINE:COL: "VALUE" WHY (column "NAME")". */
typedef size_t (*census_row_fn)(void *state, const struct text_span *fields, const char **why);
/* Empty a state, for a range read again. */
typedef void (*census_reset_fn)(void *state);

struct census_scan_opts {
	size_t workers;	       /* at most this many (and at most nstates); 0: the online CPUs */
	size_t buffer;	       /* bytes a worker holds (a window): the longest record; 0: 4 MiB */
	size_t chunk;	       /* bytes per read call (streams, no_mmap); 0: the buffer */
	bool no_fast;	       /* every record through libcsv */
	bool no_mmap;	       /* read plain files with pread() */
	const uint64_t *split; /* tests: workers-1 byte offsets where ranges start; NULL: even */
	size_t min_range;      /* no more workers than file bytes / min_range; 0: 1 MiB */
};

struct census_scan_stats {
	uint64_t records; /* handed to the consumer */
	uint64_t slow;	  /* of which through libcsv */
	uint64_t bytes;	  /* of data read (decompressed) */
	size_t workers;	  /* workers that ran */
	bool reread;	  /* a range was read again (a quoted line break at a split) */
};

/* Read every record and hand it to fn: cols are ncols distinct column
 * indexes (from census_column), states[i] the state of worker i (nstates of
 * them, at least 1).  Stops at the first error in file order.  stats may be
 * NULL.  A file can be scanned several times. */
enum status census_scan(struct census_file *f, const size_t *cols, size_t ncols,
			const struct census_scan_opts *opts, census_row_fn fn,
			census_reset_fn reset, void *const *states, size_t nstates,
			struct census_scan_stats *stats, struct error *err);

#endif
