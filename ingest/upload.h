/* A file sent through the browser (terrain serve), checked before it takes
 * a place in a study: its size, its rows, its columns and the length of its
 * fields against limits, and its content read through the same CSV reader
 * as the command line, so that a binary or malformed file is refused with
 * the same FILE:LINE:COLUMN message `terrain survey describe` gives. */
#ifndef TERRAIN_UPLOAD_H
#define TERRAIN_UPLOAD_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/strbuf.h"

struct upload_limits {
	size_t max_bytes; /* the file's size */
	size_t max_rows;  /* data rows, the header aside */
	size_t max_cols;  /* fields in a row */
	size_t max_field; /* bytes of one field */
};

/* The defaults: 20 MiB, 100 000 rows, 2 000 columns, 64 KiB a field (a
 * survey export of a few thousand respondents is far below each). */
#define UPLOAD_MAX_BYTES (20 * 1024 * 1024)
#define UPLOAD_MAX_ROWS	 100000
#define UPLOAD_MAX_COLS	 2000
#define UPLOAD_MAX_FIELD (64 * 1024)
void upload_limits_init(struct upload_limits *l);

/* What the check saw. */
struct upload_info {
	size_t bytes, rows, cols; /* cols: the header's */
	char encoding[24];	  /* "UTF-8", "Windows-1252", ... */
	char delim;
};

/* Check the CSV at path (a temporary file), named name in every message
 * (the name the user gave it, not the temporary one): larger than
 * max_bytes is "NAME: N bytes is over the limit of an upload (M bytes)"
 * without reading it; an empty file, a NUL byte, broken quotes, a field,
 * a row or a header past the limits are the reader's "NAME:LINE:COL: ..."
 * errors; more rows than max_rows is "NAME:LINE: more than N rows (the
 * limit of an upload)".  Memory is bounded by the longest row allowed, not
 * by the file.  info may be NULL. */
enum status upload_check_csv(const char *path, const char *name, const struct upload_limits *l,
			     struct upload_info *info, struct error *err);

/* A file name to keep an upload under, from the name the browser sent
 * (which may be anything: "../../x", "C:\\Users\\a\\export.csv", empty):
 * its last component, letters, digits, '-' and '_' kept and every other
 * character '_', at most 48 of them, then ext (".csv"); "upload" when
 * nothing is left.  Appended to out.  Never a path: no '/', no leading
 * '.'. */
void upload_safe_name(const char *sent, const char *ext, struct strbuf *out);

#endif
