#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../core/fileio.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "format.h"

#define SHEET_NAME_CHARS 31 /* Excel's limit */
#define MAX_ROWS	 1048576u
#define MAX_COLS	 16384u
#define MAX_DECIMALS	 10
#define WIDTH_MIN	 8
#define WIDTH_MAX	 60

/* Length of the UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n = s[0] < 0x80		   ? 1
		   : (s[0] & 0xe0) == 0xc0 ? 2
		   : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4
					   : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Copy at most max characters of s into out; returns the byte length. */
static size_t clean_name(const char *s, size_t max, char *out)
{
	size_t len = 0, chars = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p == '\'' || *p == ' ')
		p++;
	while (*p && chars < max) {
		size_t n = utf8_seq(p);
		if (n == 0 || *p < 0x20 || strchr("[]:*?/\\", *p)) {
			out[len++] = '_';
			p += n ? n : 1;
		} else {
			memcpy(out + len, p, n);
			len += n;
			p += n;
		}
		chars++;
	}
	while (len && (out[len - 1] == '\'' || out[len - 1] == ' '))
		len--;
	out[len] = '\0';
	return len;
}

static bool name_used(const char *name, const char *const *used, size_t nused)
{
	for (size_t i = 0; i < nused; i++)
		if (!strcasecmp(name, used[i]))
			return true;
	return false;
}

void xlsx_sheet_name(const char *title, const char *const *used, size_t nused, char *out)
{
	if (!clean_name(title ? title : "", SHEET_NAME_CHARS, out))
		strcpy(out, "Table");
	char base[XLSX_NAME_MAX];
	strcpy(base, out);
	for (unsigned k = 2; name_used(out, used, nused); k++) {
		char suffix[16];
		int slen = snprintf(suffix, sizeof(suffix), " (%u)", k);
		/* the base loses characters so that the suffix fits in 31 */
		size_t len = clean_name(base, SHEET_NAME_CHARS - (size_t)slen, out);
		memcpy(out + len, suffix, (size_t)slen + 1);
	}
}

static void cell_name(size_t row, size_t col, char *out)
{
	char letters[8];
	size_t n = 0;
	for (size_t c = col + 1; c; c = (c - 1) / 26)
		letters[n++] = (char)('A' + (c - 1) % 26);
	for (size_t i = 0; i < n; i++)
		out[i] = letters[n - 1 - i];
	sprintf(out + n, "%zu", row + 1);
}

/* The characters a number takes once shown with its grouped thousands. */
static size_t number_width(double v, int decimals)
{
	char buf[400];
	int n = snprintf(buf, sizeof(buf), "%.*f", decimals < 0 ? 6 : decimals, v);
	size_t digits = strcspn(buf, ".") - (v < 0);
	return (size_t)n + (digits - 1) / 3;
}

struct book {
	lxw_workbook *wb;
	lxw_format *bold;
	lxw_format *number[MAX_DECIMALS + 1]; /* by decimals, made on first use */
};

static lxw_format *number_format(struct book *b, int decimals)
{
	if (decimals < 0)
		return NULL;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;
	if (!b->number[decimals]) {
		char fmt[32] = "#,##0";
		if (decimals) {
			strcat(fmt, ".");
			memset(fmt + strlen(fmt), '0', (size_t)decimals);
			fmt[6 + decimals] = '\0';
		}
		b->number[decimals] = workbook_add_format(b->wb);
		format_set_num_format(b->number[decimals], fmt);
	}
	return b->number[decimals];
}

static enum status cell_error(struct error *err, const char *sheet, size_t row, size_t col,
			      lxw_error e)
{
	char name[32];
	cell_name(row, col, name);
	return error_set(err,
			 e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? TERRAIN_EDATA : TERRAIN_EIO,
			 "sheet \"%s\": cell %s: %s", sheet, name, lxw_strerror(e));
}

static enum status write_string(lxw_worksheet *ws, const char *sheet, size_t row, size_t col,
				const char *s, lxw_format *fmt, struct error *err)
{
	if (!s || !*s)
		return TERRAIN_OK;
	size_t bad;
	if (!text_utf8_valid(s, strlen(s), &bad)) {
		char name[32];
		cell_name(row, col, name);
		return error_set(err, TERRAIN_EDATA, "sheet \"%s\": cell %s: not UTF-8 at byte %zu",
				 sheet, name, bad + 1);
	}
	/* worksheet_write_string() stores a shared string, never a formula, but
	 * the user may save the sheet as CSV: the same "'" as format_csv_row() */
	struct strbuf quoted = STRBUF_INIT;
	if (text_formula_guarded(s)) {
		strbuf_addf(&quoted, "'%s", s);
		s = quoted.buf;
	}
	lxw_error e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, fmt);
	strbuf_release(&quoted);
	return e ? cell_error(err, sheet, row, col, e) : TERRAIN_OK;
}

static enum status write_sheet(struct book *b, const struct xlsx_sheet *sh, const char *name,
			       struct error *err)
{
	enum status st = TERRAIN_OK;
	size_t *width = xcalloc(sh->ncols ? sh->ncols : 1, sizeof(*width));
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
	if (!ws) {
		st = error_set(err, TERRAIN_EIO, "sheet \"%s\": cannot add it", name);
		goto out;
	}
	if ((st = write_string(ws, name, 0, 0, sh->title, b->bold, err)))
		goto out;
	for (size_t c = 0; c < sh->ncols; c++) {
		const char *h = sh->header ? sh->header[c] : NULL;
		if ((st = write_string(ws, name, 1, c, h, b->bold, err)))
			goto out;
		width[c] = h ? text_width(h) + 1 : 0; /* bold is wider */
	}
	for (size_t r = 0; r < sh->nrows; r++) {
		for (size_t c = 0; c < sh->ncols; c++) {
			const struct xlsx_cell *cell = &sh->cells[r * sh->ncols + c];
			size_t w = 0;
			if (cell->kind == XLSX_STRING) {
				if ((st = write_string(ws, name, r + 2, c, cell->s, NULL, err)))
					goto out;
				w = cell->s ? text_width(cell->s) : 0;
			} else if (cell->kind == XLSX_NUMBER && isfinite(cell->v)) {
				lxw_error e = worksheet_write_number(
				    ws, (lxw_row_t)(r + 2), (lxw_col_t)c, cell->v,
				    number_format(b, cell->decimals));
				if (e) {
					st = cell_error(err, name, r + 2, c, e);
					goto out;
				}
				w = number_width(cell->v, cell->decimals);
			}
			if (w > width[c])
				width[c] = w;
		}
	}
	for (size_t c = 0; c < sh->ncols; c++) {
		size_t w = width[c] + 2;
		w = w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)w, NULL);
	}
	worksheet_freeze_panes(ws, 2, 0); /* title and header stay in view */
out:
	free(width);
	return st;
}

/* fsync a file by name: libxlsxwriter closes its own stream */
enum status xlsx_write(const char *path, const struct xlsx_sheet *sheets, size_t n, const char *day,
		       struct error *err)
{
	struct book b = {0};
	struct strbuf tmp = STRBUF_INIT;
	char(*names)[XLSX_NAME_MAX] = NULL;
	const char **used = NULL;
	enum status st = TERRAIN_OK;
	if (n == 0) {
		st =
		    error_set(err, TERRAIN_EUSAGE, "%s: a workbook needs at least one table", path);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (sheets[i].nrows > MAX_ROWS - 2 || sheets[i].ncols > MAX_COLS) {
			st = error_set(
			    err, TERRAIN_EUSAGE,
			    "%s: table \"%s\" has %zu rows and %zu columns: a sheet holds "
			    "at most %u rows and %u columns",
			    path, sheets[i].title ? sheets[i].title : "", sheets[i].nrows,
			    sheets[i].ncols, MAX_ROWS - 2, MAX_COLS);
			goto out;
		}
	}
	names = xcalloc(n, sizeof(*names));
	used = xcalloc(n, sizeof(*used));
	for (size_t i = 0; i < n; i++) {
		xlsx_sheet_name(sheets[i].title, used, i, names[i]);
		used[i] = names[i];
	}
	/* libxlsxwriter writes to a file name, not a stream: a unique name
	 * beside path, renamed once workbook_close() has succeeded */
	if ((st = fileio_temp_create(path, &tmp, err)))
		goto out;
	b.wb = workbook_new(tmp.buf);
	if (!b.wb) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot start the workbook", path);
		goto out;
	}
	/* the creation time, written inside the file: noon of day (the note's),
	 * so that the same inputs give the same bytes; else now */
	int y, m, d;
	if (day && text_parse_day(day, &y, &m, &d)) {
		struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
		lxw_doc_properties props = {.created = timegm(&tm)};
		workbook_set_properties(b.wb, &props);
	}
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	for (size_t i = 0; i < n && !st; i++)
		st = write_sheet(&b, &sheets[i], names[i], err);
	if (st) {
		lxw_workbook_free(b.wb);
		goto out;
	}
	lxw_error e = workbook_close(b.wb); /* writes the file and frees the workbook */
	if (e) {
		st = error_set(err, TERRAIN_EIO, "%s: cannot write the workbook: %s", path,
			       lxw_strerror(e));
		goto out;
	}
	st = fileio_temp_commit(tmp.buf, path, err); /* tmp is gone either way */
	strbuf_reset(&tmp);
out:
	if (st)
		fileio_temp_discard(tmp.buf);
	free(names);
	free(used);
	strbuf_release(&tmp);
	return st;
}
