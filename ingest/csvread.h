/* Streaming CSV reader on libcsv, for every CSV input of terrain.
 *
 * Rows are pulled one at a time; memory is bounded by the longest row, not
 * by the file.  Each row knows the line it starts on, and each field the
 * line it starts on, so every error can name file:line:column (column = the
 * 1-based field number, with the header's name when there is one).
 * Handles quoted fields with embedded delimiters, doubled quotes and line
 * breaks, LF / CRLF / CR line ends, and a UTF-8 byte-order mark. */
#ifndef TERRAIN_CSVREAD_H
#define TERRAIN_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"

#define CSVREAD_NONE ((size_t)-1)

enum csvread_encoding {
	CSVREAD_AUTO = 0, /* a UTF-8 BOM, else UTF-8 if the first 64 KiB are, else Windows-1252 */
	CSVREAD_UTF8,
	CSVREAD_CP1252, /* converted to UTF-8 with iconv */
	CSVREAD_LATIN1, /* ISO-8859-1, converted to UTF-8 */
};

/* "auto", "utf8"/"utf-8", "cp1252"/"windows-1252", "latin1"/"iso-8859-1"
 * (any case). */
bool csvread_parse_encoding(const char *s, enum csvread_encoding *out);

struct csvread_opts {
	char delim; /* ';', ',' or '\t'; 0: detect from the header line */
	enum csvread_encoding encoding;
	bool comments;	   /* skip lines starting with '#' before the header */
	bool header;	   /* the first row names the columns */
	bool strict_width; /* every row must have as many fields as the header */
	bool check_utf8;   /* a field that is not valid UTF-8 is an error */
	size_t chunk;	   /* bytes read at a time (tests vary it); 0: 64 KiB */
	size_t max_field;  /* hard cap on one field, bytes; 0: 1 MiB */
	size_t max_fields; /* hard cap on fields per row; 0: 4096 */
	size_t max_row;	   /* hard cap on the bytes of a row's fields; 0: 16 MiB */
	bool no_fast;	   /* libcsv for every line, not only those with quotes (tests) */
};

/* Defaults, for terrain's own files: ';', UTF-8 (a BOM is skipped), header,
 * strict width, UTF-8 checked, no comments.  User files set delim 0 and
 * CSVREAD_AUTO. */
void csvread_opts_init(struct csvread_opts *o);

struct csvrow {
	size_t n;	      /* number of fields */
	char **field;	      /* NUL-terminated; borrowed until the next read */
	size_t *len;	      /* byte length of each field */
	unsigned long *fline; /* line on which each field starts (1-based) */
	unsigned long line;   /* line on which the row starts */
};

struct csvread;

/* Open path for reading.  *out is returned owned: free with csvread_free().
 * With opts->header, the header row is read here; an empty file is an
 * error. */
enum status csvread_open(struct csvread **out, const char *path, const struct csvread_opts *opts,
			 struct error *err);

/* The same over len bytes of memory (borrowed; must outlive the reader);
 * name is used in messages. */
enum status csvread_open_mem(struct csvread **out, const char *name, const char *data, size_t len,
			     const struct csvread_opts *opts, struct error *err);

/* Read the next row into *row (borrowed until the next call).  At end of
 * input, returns TERRAIN_OK with *row = NULL. */
enum status csvread_next(struct csvread *r, const struct csvrow **row, struct error *err);

/* The header row (NULL without opts->header); borrowed. */
const struct csvrow *csvread_header(const struct csvread *r);

/* Index of the column whose header is name, or CSVREAD_NONE. */
size_t csvread_column(const struct csvread *r, const char *name);

/* Look up n column names; the first one missing is an error naming it and
 * the file.  idx receives n indexes. */
enum status csvread_require(const struct csvread *r, const char *const *names, size_t n,
			    size_t *idx, struct error *err);

/* A table file with comments ('#' lines before the header) whose header
 * must name the n columns: open path (terrain's own format, or with
 * user_file the delimiter and encoding detected) and look the columns up
 * into idx.  On error *out is NULL. */
enum status csvread_open_table(struct csvread **out, const char *path, bool user_file,
			       const char *const *names, size_t n, size_t *idx, struct error *err);

/* Set err to "NAME:LINE:COL: MESSAGE (column "HEADER")" for field col of
 * row, and return status. */
enum status csvread_field_error(const struct csvread *r, const struct csvrow *row, size_t col,
				enum status status, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

const char *csvread_name(const struct csvread *r); /* borrowed */

/* What was read: "UTF-8", "UTF-8 with BOM", "Windows-1252", "ISO-8859-1";
 * the delimiter; "LF", "CRLF", "CR" or "mixed" for the line ends seen so
 * far. */
const char *csvread_encoding_name(const struct csvread *r);
char csvread_delim(const struct csvread *r);
const char *csvread_line_ends(const struct csvread *r);

void csvread_free(struct csvread *r);

#endif
