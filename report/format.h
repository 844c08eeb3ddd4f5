/* Output helpers shared by every report: the three output formats, number
 * formatting for text, RFC 4180 CSV rows and JSON documents (jansson). */
#ifndef TERRAIN_FORMAT_H
#define TERRAIN_FORMAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "../core/error.h"
#include "../core/strbuf.h"

enum report_format {
	REPORT_TEXT,
	REPORT_CSV,
	REPORT_JSON,
};

/* "text", "csv" or "json". */
bool report_format_parse(const char *s, enum report_format *out);

/* A count with its thousands grouped by spaces ("158 198"), rounded to a
 * whole number; "n/a" for NAN. */
void format_count(struct strbuf *sb, double v);

/* A fixed-point number with the given decimals ("-0.33"); "n/a" for NAN. */
void format_decimal(struct strbuf *sb, double v, int decimals);

/* Append s, then spaces up to width characters (UTF-8 aware; nothing is
 * cut when s is wider). */
void format_pad(struct strbuf *sb, const char *s, size_t width);

/* The same, with the spaces first (right-aligned). */
void format_pad_left(struct strbuf *sb, const char *s, size_t width);

/* One CSV row: fields joined by ',', quoted when they hold a comma, a
 * quote or a line break, with quotes doubled; ends with "\n". A field
 * text_formula_guarded() (core/text.h) takes is written quoted with a "'" first. */
void format_csv_row(FILE *fp, const char *const *fields, size_t n);
/* The same with sep between the fields (';' for files users open in a
 * French spreadsheet). */
void format_csv_row_sep(FILE *fp, const char *const *fields, size_t n, char sep);

/* A number for CSV appended to sb: 10 significant digits ("%.10g"),
 * nothing for NAN (missing is an empty cell, not 0). */
void format_csv_number(struct strbuf *sb, double x);
/* The same into buf (cap bytes, at least 24 for every number). */
void format_csv_number_buf(char *buf, size_t cap, double x);

/* A number for JSON: null for NAN, an integer when whole and exact. */
json_t *format_json_number(double v);

/* Write root (taken: decref'd here) to fp as indented UTF-8 JSON and a
 * final newline. */
void format_json_write(FILE *fp, json_t *root);

/* A renderer: writes arg to fp. */
typedef void (*format_render_fn)(FILE *fp, const void *arg);

/* Render into memory, then write path whole through a temporary file, so
 * that a failure never leaves half a file. */
enum status format_write_file(const char *path, format_render_fn render, const void *arg,
			      struct error *err);

#endif
