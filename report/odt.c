#include "odt.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../core/fileio.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"

#define TEXT_WIDTH_UM 170000 /* A4 21 cm less two margins of 2 cm, in micrometres */
#define IMAGE_MAX_UM                                                                     \
	240000		       /* the height of a picture at most: 25.7 cm of text, less \
				* room for a line and the paragraph's spacing */
#define DPI	    96	       /* the size a PNG without other information takes on screen */
#define FIXED_MTIME 1577836800 /* 2020-01-01: the same note gives the same bytes */
#define CELL_CAP    80	       /* characters: a longer cell wraps in any column */
#define SHORT_CELL  16	       /* characters: a cell this short is not wrapped */

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_COMMON                                                                   \
	" xmlns:office=\"" NS_OFFICE "\""                                           \
	" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""          \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""            \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""          \
	" xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\""         \
	" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"" \
	" xmlns:xlink=\"http://www.w3.org/1999/xlink\""                             \
	" xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""   \
	" office:version=\"1.2\""
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define MIMETYPE "application/vnd.oasis.opendocument.text"

/* The one escaping function of this module: text and attribute values
 * alike.  Characters XML 1.0 forbids (controls, U+FFFE, U+FFFF) are
 * dropped; cmark has already replaced NUL and bytes that are not UTF-8
 * by U+FFFD. */
static void xml_escape(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&apos;");
			break;
		case 0xef:
			/* U+FFFE and U+FFFF are not XML characters either */
			if (i + 2 < len && (unsigned char)s[i + 1] == 0xbf &&
			    ((unsigned char)s[i + 2] & 0xfe) == 0xbe) {
				i += 2;
				break;
			}
			strbuf_addch(sb, c);
			break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n')
				strbuf_addch(sb, c);
		}
	}
}

static void xml_escape_str(struct strbuf *sb, const char *s)
{
	xml_escape(sb, s ? s : "", s ? strlen(s) : 0);
}

/* A line of code: ODF collapses white space, so runs of spaces become
 * <text:s text:c="n"/> and tabs <text:tab/>. */
static void add_preformatted_line(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (s[i] == '\t') {
			strbuf_addstr(sb, "<text:tab/>");
			i++;
			continue;
		}
		if (s[i] == ' ') {
			size_t n = 0;
			while (i + n < len && s[i + n] == ' ')
				n++;
			/* one plain space survives between words, not at the start */
			size_t first = i > 0;
			if (first)
				strbuf_addch(sb, ' ');
			if (n > first)
				strbuf_addf(sb, "<text:s text:c=\"%zu\"/>", n - first);
			i += n;
			continue;
		}
		size_t run = strcspn(s + i, " \t");
		if (run > len - i)
			run = len - i;
		xml_escape(sb, s + i, run);
		i += run;
	}
}

static void add_preformatted(struct strbuf *sb, const char *lit)
{
	const char *p = lit ? lit : "";
	while (*p) {
		size_t n = strcspn(p, "\n");
		strbuf_addstr(sb, "<text:p text:style-name=\"Preformatted_20_Text\">");
		add_preformatted_line(sb, p, n);
		strbuf_addstr(sb, "</text:p>");
		p += n + (p[n] == '\n');
	}
}

/* The text of node's descendants, for an image's alt text and the title. */
static void plain_text(cmark_node *node, struct strbuf *out)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE)
			strbuf_addstr(out, cmark_node_get_literal(c));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			strbuf_addch(out, ' ');
		else
			plain_text(c, out);
	}
}

static bool is_ext(cmark_node *node, const char *type)
{
	return !strcmp(cmark_node_get_type_string(node), type);
}

static bool safe_url(const char *url)
{
	return url && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8) ||
		       !strncmp(url, "mailto:", 7) || url[0] == '#');
}

static bool safe_name(const char *name)
{
	if (!name || !*name || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-",
			    *p))
			return false;
	return true;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The pixel size from a PNG's IHDR chunk, which the format puts first. */
static bool png_size(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (!d || len < 24 || memcmp(d, sig, 8) || memcmp(d + 12, "IHDR", 4))
		return false;
	*w = be32(d + 16);
	*h = be32(d + 20);
	return *w > 0 && *h > 0 && *w <= INT32_MAX && *h <= INT32_MAX;
}

/* A length in micrometres as ODF millimetres, whatever the locale. */
static void add_mm(struct strbuf *sb, long long um)
{
	strbuf_addf(sb, "%lld.%03lldmm", um / 1000, um % 1000);
}

struct odt {
	struct strbuf body;
	struct strbuf title; /* the first level-1 heading, for meta.xml */
	struct strbuf cols;  /* the tables' column styles, for content.xml */
	const struct odt_image *images;
	size_t nimages;
	bool *used; /* images[i] is referenced: stored in Pictures/ */
	int quotes; /* block quotes open */
	int lists;  /* lists open */
	size_t ntables, nframes;
	uint16_t ncols;	 /* of the table open */
	uint8_t *align;	 /* its columns' alignments: 'l', 'c', 'r' or 0; borrowed from cmark */
	uint16_t cell;	 /* cells written in the row open */
	bool header_row; /* the row open is the table's header */
};

static enum status add_image(struct odt *o, cmark_node *node, struct error *err)
{
	const char *url = cmark_node_get_url(node);
	int line = cmark_node_get_start_line(node), col = cmark_node_get_start_column(node);
	size_t i = 0;
	while (i < o->nimages && strcmp(o->images[i].name, url ? url : ""))
		i++;
	if (i == o->nimages)
		return error_set(err, TERRAIN_EDATA,
				 "line %d:%d: image \"%s\" is not among the images given", line,
				 col, url ? url : "");
	if (!safe_name(url))
		return error_set(
		    err, TERRAIN_EDATA,
		    "line %d:%d: image \"%s\": a name takes only letters, digits, '.', "
		    "'_' and '-', and does not start with '.'",
		    line, col, url);
	uint32_t w, h;
	if (!png_size(o->images[i].data, o->images[i].len, &w, &h))
		return error_set(err, TERRAIN_EDATA, "line %d:%d: image \"%s\" is not a PNG file",
				 line, col, url);
	o->used[i] = true;
	long long wum = (long long)w * 25400 / DPI, hum = (long long)h * 25400 / DPI;
	if (wum > TEXT_WIDTH_UM) {
		hum = hum * TEXT_WIDTH_UM / wum;
		wum = TEXT_WIDTH_UM;
	}
	if (hum > IMAGE_MAX_UM) { /* a tall chart would run off the page */
		wum = wum * IMAGE_MAX_UM / hum;
		hum = IMAGE_MAX_UM;
	}
	struct strbuf alt = STRBUF_INIT;
	plain_text(node, &alt);
	strbuf_addf(&o->body,
		    "<draw:frame draw:style-name=\"fr1\" draw:name=\"Image%zu\" "
		    "text:anchor-type=\"as-char\" svg:width=\"",
		    ++o->nframes);
	add_mm(&o->body, wum);
	strbuf_addstr(&o->body, "\" svg:height=\"");
	add_mm(&o->body, hum);
	strbuf_addstr(&o->body, "\" draw:z-index=\"0\"><draw:image xlink:href=\"Pictures/");
	xml_escape_str(&o->body, url);
	strbuf_addstr(&o->body, "\" xlink:type=\"simple\" xlink:show=\"embed\" "
				"xlink:actuate=\"onLoad\"/><svg:title>");
	xml_escape(&o->body, alt.buf, alt.len);
	strbuf_addstr(&o->body, "</svg:title></draw:frame>");
	strbuf_release(&alt);
	return TERRAIN_OK;
}

static const char *paragraph_style(const struct odt *o, cmark_node *node)
{
	cmark_node *child = cmark_node_first_child(node);
	if (child && !cmark_node_next(child) && cmark_node_get_type(child) == CMARK_NODE_IMAGE)
		return "Figure";
	if (o->quotes)
		return "Quotations";
	if (o->lists)
		return "List_20_Contents";
	/* a justified line that ends in a hard break is stretched across the
	 * page ("Auteur   :   Exemple   terrain"): such a paragraph (the
	 * author and date lines, an address) is aligned left */
	for (; child; child = cmark_node_next(child))
		if (cmark_node_get_type(child) == CMARK_NODE_LINEBREAK)
			return "Text_20_body_20_left";
	return "Text_20_body";
}

/* The longest run of s a line cannot break (spaces and the character
 * after a hyphen break it; U+00A0 and U+202F do not, so "10 527" is one
 * run), in characters; a short cell ("10,5 pour 1 000", "13,8 %") is
 * taken whole, since a number wrapped from its unit reads badly. */
static size_t unbreakable(const char *s)
{
	size_t whole = text_width(s), best = 0, run = 0;
	if (whole <= SHORT_CELL)
		return whole;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ') {
			run = 0;
			continue;
		}
		if ((*p & 0xc0) != 0x80)
			run++;
		best = run > best ? run : best;
		if (*p == '-')
			run = 0;
	}
	return best;
}

/* The widths of a table's ncols columns, in characters of the body font
 * (about 88 fit in the 17 cm of text, less one a column for padding and
 * borders), as a browser lays out a table: each column wants the mean of
 * its longest and its mean cell (capped at CELL_CAP: a longer text wraps
 * anyway), the room is shared in proportion to that, and no column gets
 * less than its longest unbreakable run; the label column (the first)
 * gets at least the smaller of its longest cell and 30 % of the room, so
 * that labels wrap on two lines rather than five.  When the minima do not
 * fit, the widths are the minima, scaled down with the table. */
static void table_widths(cmark_node *table, size_t ncols, double *w)
{
	double *longest = xcalloc(ncols, sizeof(double)), *min = xcalloc(ncols, sizeof(double)),
	       *sum = xcalloc(ncols, sizeof(double));
	bool *fixed = xcalloc(ncols, sizeof(bool));
	double rows = 0, room = 88 - (double)ncols;
	struct strbuf text = STRBUF_INIT;
	for (cmark_node *r = cmark_node_first_child(table); r; r = cmark_node_next(r), rows++) {
		size_t c = 0;
		for (cmark_node *cell = cmark_node_first_child(r); cell && c < ncols;
		     cell = cmark_node_next(cell), c++) {
			strbuf_reset(&text);
			plain_text(cell, &text);
			double n = (double)text_width(text.buf), k = (double)unbreakable(text.buf);
			/* the heading row is bold, about 15 % wider; a cell's padding
			 * takes about a character ("Grenoble" broke as "Grenobl/e") */
			if (rows == 0) {
				n *= 1.15;
				k *= 1.15;
			}
			k += 1;
			longest[c] = n > longest[c] ? n : longest[c];
			min[c] = k > min[c] ? k : min[c];
			sum[c] += n;
		}
	}
	for (size_t c = 0; c < ncols; c++) {
		double mean = rows ? sum[c] / rows : 0;
		double top = longest[c] > CELL_CAP ? CELL_CAP : longest[c];
		w[c] = (top + (mean > CELL_CAP ? CELL_CAP : mean)) / 2;
		if (!c) {
			double label = longest[0] < 0.3 * room ? longest[0] : 0.3 * room;
			min[0] = label > min[0] ? label : min[0];
		}
		min[c] = min[c] < 1 ? 1 : min[c];
		w[c] = w[c] < min[c] ? min[c] : w[c];
	}
	/* share the room by want; a column whose share is under its minimum
	 * takes its minimum and leaves the sharing, until none does */
	for (bool again = true; again;) {
		double want = 0, left = room;
		for (size_t c = 0; c < ncols; c++)
			if (fixed[c])
				left -= min[c];
			else
				want += w[c];
		again = false;
		for (size_t c = 0; c < ncols && want > 0; c++)
			if (!fixed[c] && left * w[c] / want < min[c])
				fixed[c] = again = true;
		if (!again)
			for (size_t c = 0; c < ncols; c++)
				w[c] = fixed[c] ? min[c] : left * w[c] / want;
	}
	strbuf_release(&text);
	free(longest);
	free(min);
	free(sum);
	free(fixed);
}

/* One column style per column of table number t, their widths in
 * proportion to w and summing to the text width; the columns themselves
 * into the body. */
static void add_table_columns(struct odt *o, size_t t, const double *w, size_t ncols)
{
	double total = 0;
	for (size_t c = 0; c < ncols; c++)
		total += w[c];
	long long left = TEXT_WIDTH_UM;
	for (size_t c = 0; c < ncols; c++) {
		long long um = c + 1 == ncols ? left : (long long)(TEXT_WIDTH_UM * w[c] / total);
		left -= um;
		strbuf_addf(
		    &o->cols,
		    "<style:style style:name=\"Table%zu.C%zu\" style:family=\"table-column\">"
		    "<style:table-column-properties style:column-width=\"",
		    t, c + 1);
		add_mm(&o->cols, um);
		strbuf_addf(&o->cols, "\" style:rel-column-width=\"%lld*\"/></style:style>", um);
		strbuf_addf(&o->body, "<table:table-column table:style-name=\"Table%zu.C%zu\"/>", t,
			    c + 1);
	}
}

static void table_event(struct odt *o, cmark_node *node, bool enter)
{
	struct strbuf *b = &o->body;
	if (is_ext(node, "table")) {
		if (enter) {
			o->ncols = cmark_gfm_extensions_get_table_columns(node);
			o->align = cmark_gfm_extensions_get_table_alignments(node);
			size_t ncols = o->ncols ? o->ncols : 1;
			double *w = xcalloc(ncols, sizeof(double));
			table_widths(node, ncols, w);
			strbuf_addf(
			    b, "<table:table table:name=\"Table%zu\" table:style-name=\"Tbl\">",
			    ++o->ntables);
			add_table_columns(o, o->ntables, w, ncols);
			free(w);
		} else {
			strbuf_addstr(b, "</table:table>");
		}
	} else if (is_ext(node, "table_header") || is_ext(node, "table_row")) {
		if (enter) {
			o->header_row = cmark_gfm_extensions_get_table_row_is_header(node);
			o->cell = 0;
			/* a row is never split across two pages */
			strbuf_addstr(b, o->header_row
					     ? "<table:table-header-rows><table:table-row "
					       "table:style-name=\"TblRow\">"
					     : "<table:table-row table:style-name=\"TblRow\">");
		} else {
			/* every row as wide as the table, as ODF expects */
			for (; o->cell < o->ncols; o->cell++)
				strbuf_addstr(b,
					      "<table:table-cell table:style-name=\"TblCell\"/>");
			strbuf_addstr(b, o->header_row
					     ? "</table:table-row></table:table-header-rows>"
					     : "</table:table-row>");
		}
	} else if (is_ext(node, "table_cell")) {
		if (enter) {
			uint8_t a = o->align && o->cell < o->ncols ? o->align[o->cell] : 0;
			const char *p = o->header_row ? "Table_20_Heading"
					: a == 'r'    ? "TblRight"
					: a == 'c'    ? "TblCenter"
						      : "Table_20_Contents";
			strbuf_addf(b,
				    "<table:table-cell table:style-name=\"%s\" "
				    "office:value-type=\"string\"><text:p text:style-name=\"%s\">",
				    o->header_row ? "TblHead" : "TblCell", p);
		} else {
			strbuf_addstr(b, "</text:p></table:table-cell>");
			o->cell++;
		}
	} else if (is_ext(node, "strikethrough")) {
		strbuf_addstr(b, enter ? "<text:span text:style-name=\"Strikethrough\">"
				       : "</text:span>");
	}
}

static enum status node_event(struct odt *o, cmark_iter *iter, cmark_node *node, bool enter,
			      struct error *err)
{
	struct strbuf *b = &o->body;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_DOCUMENT:
		break;
	case CMARK_NODE_HEADING: {
		int level = cmark_node_get_heading_level(node);
		if (enter) {
			strbuf_addf(
			    b,
			    "<text:h text:style-name=\"Heading_20_%d\" text:outline-level=\"%d\">",
			    level < 3 ? level : 3, level);
			if (level == 1 && !o->title.len)
				plain_text(node, &o->title);
		} else {
			strbuf_addstr(b, "</text:h>");
		}
		break;
	}
	case CMARK_NODE_PARAGRAPH:
		if (enter)
			strbuf_addf(b, "<text:p text:style-name=\"%s\">", paragraph_style(o, node));
		else
			strbuf_addstr(b, "</text:p>");
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		o->quotes += enter ? 1 : -1;
		break;
	case CMARK_NODE_LIST:
		if (enter) {
			strbuf_addf(b, "<text:list text:style-name=\"%s\">",
				    cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
					? "Numbering_20_123"
					: "List_20_1");
			o->lists++;
		} else {
			strbuf_addstr(b, "</text:list>");
			o->lists--;
		}
		break;
	case CMARK_NODE_ITEM:
		if (enter) {
			cmark_node *list = cmark_node_parent(node);
			int start = cmark_node_get_list_start(list);
			if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST && start != 1 &&
			    cmark_node_first_child(list) == node)
				strbuf_addf(b, "<text:list-item text:start-value=\"%d\">", start);
			else
				strbuf_addstr(b, "<text:list-item>");
		} else {
			strbuf_addstr(b, "</text:list-item>");
		}
		break;
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK: /* shown as text, never interpreted */
		add_preformatted(b, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		strbuf_addstr(b, "<text:p text:style-name=\"Horizontal_20_Line\"/>");
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		xml_escape_str(b, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_SOFTBREAK:
		strbuf_addch(b, ' ');
		break;
	case CMARK_NODE_LINEBREAK:
		strbuf_addstr(b, "<text:line-break/>");
		break;
	case CMARK_NODE_CODE:
		strbuf_addstr(b, "<text:span text:style-name=\"Source_20_Text\">");
		xml_escape_str(b, cmark_node_get_literal(node));
		strbuf_addstr(b, "</text:span>");
		break;
	case CMARK_NODE_EMPH:
		strbuf_addstr(b,
			      enter ? "<text:span text:style-name=\"Emphasis\">" : "</text:span>");
		break;
	case CMARK_NODE_STRONG:
		strbuf_addstr(b, enter ? "<text:span text:style-name=\"Strong_20_Emphasis\">"
				       : "</text:span>");
		break;
	case CMARK_NODE_LINK: {
		const char *url = cmark_node_get_url(node);
		if (!safe_url(url))
			break;
		if (enter) {
			strbuf_addstr(b, "<text:a xlink:type=\"simple\" xlink:href=\"");
			xml_escape_str(b, url);
			strbuf_addstr(b, "\" text:style-name=\"Internet_20_link\">");
		} else {
			strbuf_addstr(b, "</text:a>");
		}
		break;
	}
	case CMARK_NODE_IMAGE:
		if (enter) {
			enum status st = add_image(o, node, err);
			if (st)
				return st;
			/* the alt text is in the frame's title: skip the children */
			cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
		}
		break;
	default:
		table_event(o, node, enter);
	}
	return TERRAIN_OK;
}

static void add_list_style(struct strbuf *sb, bool numbered)
{
	strbuf_addf(sb, "<text:list-style style:name=\"%s\" style:display-name=\"%s\">",
		    numbered ? "Numbering_20_123" : "List_20_1",
		    numbered ? "Numbering 123" : "List 1");
	for (int level = 1; level <= 10; level++) {
		if (numbered)
			strbuf_addf(sb,
				    "<text:list-level-style-number text:level=\"%d\" "
				    "style:num-suffix=\".\" style:num-format=\"1\">",
				    level);
		else
			strbuf_addf(sb,
				    "<text:list-level-style-bullet text:level=\"%d\" "
				    "text:bullet-char=\"%s\">",
				    level, level % 2 ? "\xe2\x80\xa2" : "\xe2\x97\xa6"); /* • ◦ */
		strbuf_addstr(
		    sb, "<style:list-level-properties "
			"text:list-level-position-and-space-mode=\"label-alignment\">"
			"<style:list-level-label-alignment text:label-followed-by=\"listtab\" ");
		strbuf_addf(sb,
			    "text:list-tab-stop-position=\"%dmm\" fo:text-indent=\"-6mm\" "
			    "fo:margin-left=\"%dmm\"/></style:list-level-properties>",
			    6 * level, 6 * level);
		strbuf_addstr(sb, numbered ? "</text:list-level-style-number>"
					   : "</text:list-level-style-bullet>");
	}
	strbuf_addstr(sb, "</text:list-style>");
}

static const char para_styles[] =
    "<style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\"/>"
    "<style:style style:name=\"Text_20_body\" style:display-name=\"Text body\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"text\">"
    "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0.25cm\" "
    "fo:line-height=\"115%\" fo:text-align=\"justify\"/></style:style>"
    "<style:style style:name=\"Text_20_body_20_left\" style:display-name=\"Text body left\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\" style:class=\"text\">"
    "<style:paragraph-properties fo:text-align=\"start\"/></style:style>"
    "<style:style style:name=\"List_20_Contents\" style:display-name=\"List Contents\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\" style:class=\"list\">"
    "<style:paragraph-properties fo:margin-bottom=\"0.1cm\" fo:text-align=\"start\"/>"
    "</style:style>"
    "<style:style style:name=\"Heading\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Standard\" style:next-style-name=\"Text_20_body\" "
    "style:class=\"text\"><style:paragraph-properties fo:margin-top=\"0.42cm\" "
    "fo:margin-bottom=\"0.21cm\" fo:keep-with-next=\"always\"/>"
    "<style:text-properties style:font-name=\"Liberation Sans\" fo:font-weight=\"bold\"/>"
    "</style:style>"
    "<style:style style:name=\"Quotations\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Standard\" style:class=\"html\">"
    "<style:paragraph-properties fo:margin-left=\"1cm\" fo:margin-right=\"1cm\" "
    "fo:margin-top=\"0cm\" fo:margin-bottom=\"0.25cm\"/>"
    "<style:text-properties fo:font-style=\"italic\"/></style:style>"
    "<style:style style:name=\"Preformatted_20_Text\" style:display-name=\"Preformatted Text\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"html\">"
    "<style:paragraph-properties fo:margin-top=\"0cm\" fo:margin-bottom=\"0cm\"/>"
    "<style:text-properties style:font-name=\"Liberation Mono\" fo:font-size=\"10pt\"/>"
    "</style:style>"
    "<style:style style:name=\"Figure\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Standard\" style:class=\"extra\">"
    "<style:paragraph-properties fo:text-align=\"center\" fo:margin-top=\"0.2cm\" "
    "fo:margin-bottom=\"0.2cm\"/></style:style>"
    "<style:style style:name=\"Table_20_Contents\" style:display-name=\"Table Contents\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"extra\"/>"
    "<style:style style:name=\"Table_20_Heading\" style:display-name=\"Table Heading\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Table_20_Contents\" "
    "style:class=\"extra\"><style:paragraph-properties fo:text-align=\"center\"/>"
    "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
    "<style:style style:name=\"Horizontal_20_Line\" style:display-name=\"Horizontal Line\" "
    "style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:class=\"html\">"
    "<style:paragraph-properties fo:margin-bottom=\"0.25cm\" "
    "fo:border-bottom=\"0.5pt solid #808080\" fo:padding=\"0cm\"/></style:style>";

static const char text_styles[] =
    "<style:style style:name=\"Emphasis\" style:family=\"text\">"
    "<style:text-properties fo:font-style=\"italic\"/></style:style>"
    "<style:style style:name=\"Strong_20_Emphasis\" style:display-name=\"Strong Emphasis\" "
    "style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/></style:style>"
    "<style:style style:name=\"Source_20_Text\" style:display-name=\"Source Text\" "
    "style:family=\"text\"><style:text-properties style:font-name=\"Liberation Mono\"/>"
    "</style:style>"
    "<style:style style:name=\"Strikethrough\" style:family=\"text\">"
    "<style:text-properties style:text-line-through-style=\"solid\" "
    "style:text-line-through-type=\"single\"/></style:style>"
    "<style:style style:name=\"Internet_20_link\" style:display-name=\"Internet link\" "
    "style:family=\"text\"><style:text-properties fo:color=\"#000080\" "
    "style:text-underline-style=\"solid\" style:text-underline-width=\"auto\" "
    "style:text-underline-color=\"font-color\"/></style:style>";

static const char font_faces[] =
    "<office:font-face-decls>"
    "<style:font-face style:name=\"Liberation Serif\" svg:font-family=\"&apos;Liberation "
    "Serif&apos;\" style:font-family-generic=\"roman\" style:font-pitch=\"variable\"/>"
    "<style:font-face style:name=\"Liberation Sans\" svg:font-family=\"&apos;Liberation "
    "Sans&apos;\" style:font-family-generic=\"swiss\" style:font-pitch=\"variable\"/>"
    "<style:font-face style:name=\"Liberation Mono\" svg:font-family=\"&apos;Liberation "
    "Mono&apos;\" style:font-family-generic=\"modern\" style:font-pitch=\"fixed\"/>"
    "</office:font-face-decls>";

/* The language a tag like "fr-FR" or "en-GB" names: two lowercase
 * letters, then optionally '-' and a country in two capitals. */
static bool lang_split(const char *tag, char language[3], char country[3])
{
	bool lower = tag && tag[0] >= 'a' && tag[0] <= 'z' && tag[1] >= 'a' && tag[1] <= 'z';
	if (!lower || (tag[2] && tag[2] != '-'))
		return false;
	snprintf(language, 3, "%.2s", tag);
	country[0] = '\0';
	if (!tag[2])
		return true;
	const char *c = tag + 3;
	if (!(c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && !c[2]))
		return false;
	snprintf(country, 3, "%.2s", c);
	return true;
}

/* language and country: as lang_split gave them from the caller's tag */
static void build_styles(struct strbuf *sb, const char *language, const char *country)
{
	static const char *const size[] = {"18pt", "14pt", "12pt"};
	strbuf_addstr(sb, XML_DECL "<office:document-styles" NS_COMMON ">");
	strbuf_addstr(sb, font_faces);
	strbuf_addstr(sb, "<office:styles>");
	/* the language the spelling checker and hyphenation take */
	strbuf_addf(sb,
		    "<style:default-style style:family=\"paragraph\">"
		    "<style:paragraph-properties style:writing-mode=\"page\"/>"
		    "<style:text-properties style:font-name=\"Liberation Serif\" "
		    "fo:font-size=\"11pt\" fo:language=\"%s\"",
		    language);
	if (*country)
		strbuf_addf(sb, " fo:country=\"%s\"", country);
	strbuf_addstr(sb, " fo:hyphenate=\"false\"/></style:default-style>");
	strbuf_addstr(sb, para_styles);
	for (int i = 1; i <= 3; i++)
		strbuf_addf(
		    sb,
		    "<style:style style:name=\"Heading_20_%d\" style:display-name=\"Heading %d\" "
		    "style:family=\"paragraph\" style:parent-style-name=\"Heading\" "
		    "style:next-style-name=\"Text_20_body\" style:default-outline-level=\"%d\" "
		    "style:class=\"text\"><style:text-properties fo:font-size=\"%s\"/>"
		    "</style:style>",
		    i, i, i, size[i - 1]);
	strbuf_addstr(sb, text_styles);
	add_list_style(sb, false);
	add_list_style(sb, true);
	strbuf_addstr(sb,
		      "</office:styles><office:automatic-styles>"
		      "<style:page-layout style:name=\"pm1\"><style:page-layout-properties "
		      "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" "
		      "style:print-orientation=\"portrait\" fo:margin-top=\"2cm\" "
		      "fo:margin-bottom=\"2cm\" fo:margin-left=\"2cm\" fo:margin-right=\"2cm\"/>"
		      "</style:page-layout></office:automatic-styles><office:master-styles>"
		      "<style:master-page style:name=\"Standard\" style:page-layout-name=\"pm1\"/>"
		      "</office:master-styles></office:document-styles>\n");
}

static const char content_styles[] =
    "<office:automatic-styles>"
    "<style:style style:name=\"Tbl\" style:family=\"table\"><style:table-properties "
    "style:width=\"17cm\" table:align=\"margins\" fo:margin-top=\"0.1cm\" "
    "fo:margin-bottom=\"0.3cm\"/></style:style>"
    "<style:style style:name=\"TblCell\" style:family=\"table-cell\">"
    "<style:table-cell-properties fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #808080\"/>"
    "</style:style>"
    "<style:style style:name=\"TblHead\" style:family=\"table-cell\">"
    "<style:table-cell-properties fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #808080\" "
    "fo:background-color=\"#e6e6e6\"/></style:style>"
    "<style:style style:name=\"TblRight\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Table_20_Contents\"><style:paragraph-properties "
    "fo:text-align=\"end\"/></style:style>"
    "<style:style style:name=\"TblCenter\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Table_20_Contents\"><style:paragraph-properties "
    "fo:text-align=\"center\"/></style:style>"
    "<style:style style:name=\"TblRow\" style:family=\"table-row\">"
    "<style:table-row-properties fo:keep-together=\"always\"/></style:style>"
    "<style:style style:name=\"fr1\" style:family=\"graphic\"><style:graphic-properties "
    "style:vertical-pos=\"top\" style:vertical-rel=\"baseline\"/></style:style>";

static void build_meta(struct strbuf *sb, const struct strbuf *title, const char *lang)
{
	strbuf_addstr(sb, XML_DECL
		      "<office:document-meta xmlns:office=\"" NS_OFFICE "\" "
		      "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
		      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.2\">"
		      "<office:meta><meta:generator>terrain/" TERRAIN_VERSION "</meta:generator>");
	if (title->len) {
		strbuf_addstr(sb, "<dc:title>");
		xml_escape(sb, title->buf, title->len);
		strbuf_addstr(sb, "</dc:title>");
	}
	strbuf_addf(sb, "<dc:language>%s</dc:language>", lang);
	strbuf_addstr(sb, "</office:meta></office:document-meta>\n");
}

static void build_manifest(struct strbuf *sb, const struct odt *o)
{
	strbuf_addstr(sb, XML_DECL
		      "<manifest:manifest "
		      "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
		      "manifest:version=\"1.2\">"
		      "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" "
		      "manifest:media-type=\"" MIMETYPE "\"/>");
	static const char *const parts[] = {"content.xml", "styles.xml", "meta.xml"};
	for (size_t i = 0; i < 3; i++)
		strbuf_addf(sb,
			    "<manifest:file-entry manifest:full-path=\"%s\" "
			    "manifest:media-type=\"text/xml\"/>",
			    parts[i]);
	for (size_t i = 0; i < o->nimages; i++) {
		if (!o->used[i])
			continue;
		strbuf_addstr(sb, "<manifest:file-entry manifest:full-path=\"Pictures/");
		xml_escape_str(sb, o->images[i].name);
		strbuf_addstr(sb, "\" manifest:media-type=\"image/png\"/>");
	}
	strbuf_addstr(sb, "</manifest:manifest>\n");
}

/* Add data (borrowed until zip_close) as name; stored or deflated. */
static bool add_member(zip_t *za, const char *name, const void *data, size_t len, bool store)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 0);
	if (!src)
		return false;
	zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return false;
	}
	return zip_set_file_compression(za, (zip_uint64_t)idx,
					store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) == 0 &&
	       zip_file_set_mtime(za, (zip_uint64_t)idx, FIXED_MTIME, 0) == 0;
}

/* The package's bytes, built in memory with libzip, into out. */
static enum status build_package(const struct odt *o, const struct strbuf *content,
				 const struct strbuf *styles, const struct strbuf *meta,
				 const struct strbuf *manifest, struct strbuf *out,
				 struct error *err)
{
	enum status st = TERRAIN_OK;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_t *za = NULL;
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src || !(za = zip_open_from_source(src, ZIP_TRUNCATE, &ze))) {
		st = error_set(err, TERRAIN_EIO, "cannot start the package: %s",
			       zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		src = NULL;
		goto out;
	}
	zip_source_keep(src); /* it holds the bytes once the archive is closed */
	/* ODF wants mimetype first and stored, so that its bytes sit at a
	 * fixed offset for tools that sniff the type */
	bool ok = add_member(za, "mimetype", MIMETYPE, strlen(MIMETYPE), true) &&
		  add_member(za, "META-INF/manifest.xml", manifest->buf, manifest->len, false) &&
		  add_member(za, "content.xml", content->buf, content->len, false) &&
		  add_member(za, "styles.xml", styles->buf, styles->len, false) &&
		  add_member(za, "meta.xml", meta->buf, meta->len, false);
	struct strbuf name = STRBUF_INIT;
	for (size_t i = 0; ok && i < o->nimages; i++) {
		if (!o->used[i])
			continue;
		strbuf_reset(&name);
		strbuf_addf(&name, "Pictures/%s", o->images[i].name);
		ok = add_member(za, name.buf, o->images[i].data, o->images[i].len, true);
	}
	strbuf_release(&name);
	if (!ok) {
		st = error_set(err, TERRAIN_EIO, "cannot build the package: %s", zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	if (zip_close(za) != 0) {
		st = error_set(err, TERRAIN_EIO, "cannot build the package: %s", zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	zip_int64_t n = -1;
	if (zip_source_open(src) == 0) {
		char chunk[65536];
		while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
			strbuf_add(out, chunk, (size_t)n);
		zip_source_close(src);
	}
	if (n < 0)
		st = error_set(err, TERRAIN_EIO, "cannot read the package back: %s",
			       zip_error_strerror(zip_source_error(src)));
out:
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	return st;
}

enum status odt_write(const char *path, const char *markdown, size_t len, const char *lang,
		      const struct odt_image *images, size_t nimages, struct error *err)
{
	char language[3], country[3];
	if (!lang_split(lang, language, country))
		return error_set(err, TERRAIN_EDATA,
				 "%s: language \"%s\" is not a tag like \"fr-FR\" or \"en\"", path,
				 lang ? lang : "");
	struct odt o = {.body = STRBUF_INIT,
			.title = STRBUF_INIT,
			.cols = STRBUF_INIT,
			.images = images,
			.nimages = nimages};
	struct strbuf content = STRBUF_INIT, styles = STRBUF_INIT, meta = STRBUF_INIT,
		      manifest = STRBUF_INIT, package = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	o.used = xcalloc(nimages ? nimages : 1, sizeof(*o.used));

	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
	static const char *const exts[] = {"table", "strikethrough", "autolink"};
	for (size_t i = 0; i < 3; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(parser, e);
	}
	cmark_parser_feed(parser, markdown, len);
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	while (!st && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE)
		st = node_event(&o, iter, cmark_iter_get_node(iter), ev == CMARK_EVENT_ENTER, err);
	cmark_iter_free(iter);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	if (st)
		goto out;

	strbuf_addstr(&content, XML_DECL "<office:document-content" NS_COMMON ">");
	strbuf_addstr(&content, font_faces);
	strbuf_addstr(&content, content_styles);
	strbuf_addbuf(&content, &o.cols);
	strbuf_addstr(&content, "</office:automatic-styles>");
	strbuf_addstr(&content, "<office:body><office:text>");
	strbuf_addbuf(&content, &o.body);
	strbuf_addstr(&content, "</office:text></office:body></office:document-content>\n");
	build_styles(&styles, language, country);
	build_meta(&meta, &o.title, lang);
	build_manifest(&manifest, &o);
	if ((st = build_package(&o, &content, &styles, &meta, &manifest, &package, err))) {
		error_prefix(err, "%s", path);
		goto out;
	}
	st = fileio_write_atomic(path, package.buf, package.len, err);
out:
	free(o.used);
	strbuf_release(&o.body);
	strbuf_release(&o.title);
	strbuf_release(&o.cols);
	strbuf_release(&content);
	strbuf_release(&styles);
	strbuf_release(&meta);
	strbuf_release(&manifest);
	strbuf_release(&package);
	return st;
}
