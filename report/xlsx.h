/* Tables to an XLSX workbook (libxlsxwriter), one sheet per table, for
 * the people who rework the figures in a spreadsheet.
 *
 * Each sheet holds the table's title in A1 (bold), its header row on row 2
 * (bold, frozen so it stays in view) and its rows below; numbers are
 * stored as numbers, with a display format of the given decimals and
 * grouped thousands (Excel and LibreOffice show them in the reader's
 * locale: "10 527,0" in French), so that they add up in the spreadsheet.
 * Column widths follow the longest content, within [8, 60] characters.
 * libxlsxwriter prints numbers with printf: LC_NUMERIC must be "C" (terrain
 * never calls setlocale).  The creation time written in the file is noon
 * of day (YYYY-MM-DD: the note's, $TERRAIN_DATE when set) when day is not
 * NULL, so that a run repeated with the same inputs gives the same bytes;
 * else now. */
#ifndef TERRAIN_XLSX_H
#define TERRAIN_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"

enum xlsx_cell_kind {
	XLSX_EMPTY = 0, /* a blank cell (also what {0} gives) */
	XLSX_STRING,
	XLSX_NUMBER,
};

struct xlsx_cell {
	enum xlsx_cell_kind kind;
	const char *s; /* XLSX_STRING: UTF-8, borrowed; NULL is blank */
	double v;      /* XLSX_NUMBER: NAN or an infinity is written blank */
	int decimals;  /* XLSX_NUMBER: decimals shown, 0-10 ("#,##0.0" for 1); < 0: General */
};

struct xlsx_sheet {
	const char *title;	   /* borrowed; also the sheet's name, see xlsx_sheet_name() */
	const char *const *header; /* ncols column names, borrowed (NULL entries are blank) */
	size_t ncols;
	const struct xlsx_cell *cells; /* nrows * ncols cells, row after row, borrowed */
	size_t nrows;
};

/* Write the n sheets to path: the workbook is written to a temporary name
 * in path's folder, then renamed over path, so path is never left half
 * written.  Errors: TERRAIN_EUSAGE for no sheet, more than 1 048 574 rows
 * or 16 384 columns; TERRAIN_EDATA for a string that is not UTF-8 or that
 * libxlsxwriter refuses (over 32 767 bytes), with the sheet and the cell
 * ("sheet \"x\": cell A3: not UTF-8 at byte 4"); TERRAIN_EIO when the file cannot be written, with
 * libxlsxwriter's message. */
enum status xlsx_write(const char *path, const struct xlsx_sheet *sheets, size_t n, const char *day,
		       struct error *err);

/* The sheet name of title as Excel accepts it, appended to out (sized at
 * least XLSX_NAME_MAX bytes): the characters []:*?/\ become '_', leading
 * and trailing apostrophes and spaces are dropped, at most 31 characters
 * (whole UTF-8 sequences) are kept, and an empty result becomes "Table".
 * used[0..nused) are the names already taken (compared without ASCII
 * case, as Excel does): a name taken gets " (2)", " (3)"... within the
 * 31 characters. */
#define XLSX_NAME_MAX 128
void xlsx_sheet_name(const char *title, const char *const *used, size_t nused, char *out);

#endif
