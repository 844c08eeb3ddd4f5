#include "format.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/text.h"

bool report_format_parse(const char *s, enum report_format *out)
{
	if (!strcmp(s, "text"))
		*out = REPORT_TEXT;
	else if (!strcmp(s, "csv"))
		*out = REPORT_CSV;
	else if (!strcmp(s, "json"))
		*out = REPORT_JSON;
	else
		return false;
	return true;
}

void format_count(struct strbuf *sb, double v)
{
	if (isnan(v)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	char digits[64];
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	if (v < 0 && strcmp(digits, "0"))
		strbuf_addch(sb, '-');
	size_t n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			strbuf_addch(sb, ' ');
		strbuf_addch(sb, digits[i]);
	}
}

void format_decimal(struct strbuf *sb, double v, int decimals)
{
	if (isnan(v)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	char buf[64];
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	/* no "-0.00" */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		strbuf_addstr(sb, buf + 1);
	else
		strbuf_addstr(sb, buf);
}

void format_pad(struct strbuf *sb, const char *s, size_t width)
{
	strbuf_addstr(sb, s);
	for (size_t w = text_width(s); w < width; w++)
		strbuf_addch(sb, ' ');
}

void format_pad_left(struct strbuf *sb, const char *s, size_t width)
{
	for (size_t w = text_width(s); w < width; w++)
		strbuf_addch(sb, ' ');
	strbuf_addstr(sb, s);
}

void format_csv_row_sep(FILE *fp, const char *const *fields, size_t n, char sep)
{
	const char special[] = {sep, '"', '\r', '\n', '\0'};
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		bool formula = text_formula_guarded(f);
		if (i)
			fputc(sep, fp);
		if (!formula && !strpbrk(f, special)) {
			fputs(f, fp);
			continue;
		}
		fputc('"', fp);
		if (formula)
			fputc('\'', fp);
		for (const char *p = f; *p; p++) {
			if (*p == '"')
				fputc('"', fp);
			fputc(*p, fp);
		}
		fputc('"', fp);
	}
	fputc('\n', fp);
}

void format_csv_row(FILE *fp, const char *const *fields, size_t n)
{
	format_csv_row_sep(fp, fields, n, ',');
}

void format_csv_number_buf(char *buf, size_t cap, double x)
{
	if (isnan(x))
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, "%.10g", x);
}

void format_csv_number(struct strbuf *sb, double x)
{
	char buf[32];
	format_csv_number_buf(buf, sizeof(buf), x);
	strbuf_addstr(sb, buf);
}

json_t *format_json_number(double v)
{
	if (isnan(v) || isinf(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

void format_json_write(FILE *fp, json_t *root)
{
	json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	fputc('\n', fp);
	json_decref(root);
}

enum status format_write_file(const char *path, format_render_fn render, const void *arg,
			      struct error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return error_set(err, TERRAIN_EIO, "cannot buffer %s: %s", path, strerror(errno));
	render(mem, arg);
	enum status st;
	if (fclose(mem) != 0)
		st = error_set(err, TERRAIN_EIO, "cannot buffer %s: %s", path, strerror(errno));
	else
		st = fileio_write_atomic(path, buf, len, err);
	free(buf);
	if (!st)
		log_info("wrote %s", path);
	return st;
}
