#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/strbuf.h"
#include "../core/strmap.h"
#include "../core/text.h"
#include "../core/xalloc.h"

/* One row's storage: the fields' bytes back to back, each NUL-terminated. */
struct rowbuf {
	struct strbuf data;
	size_t *off;
	size_t *len;
	unsigned long *fline;
	char **field;
	size_t n, alloc;
	struct csvrow row;
};

struct csvread {
	char *name;
	FILE *fp; /* NULL when reading memory */
	const char *mem;
	size_t mem_len, mem_pos;
	struct csvread_opts o;
	struct csv_parser p;
	bool parser_ready;

	char *sniff; /* the first bytes, read at open to detect the format */
	size_t sniff_len, sniff_pos;
	char *raw; /* a chunk as read, before decoding */
	char *buf; /* the current chunk, in UTF-8 */
	size_t buf_len, buf_pos, buf_cap;
	bool src_done;		   /* no more bytes to read */
	bool finished;		   /* csv_fini called */
	enum csvread_encoding enc; /* decided at open */
	bool bom;
	iconv_t cd;		/* to UTF-8, when enc is not UTF-8 */
	bool in_preamble;	/* before the header: '#' lines are skipped */
	enum status dec_status; /* a decoding error, reported after the text before it */
	struct error dec_err;
	bool skipping;		       /* inside a skipped line */
	unsigned long nlf, ncrlf, ncr; /* line ends seen */

	unsigned long line; /* line of the next byte to feed */
	bool prev_cr;
	unsigned long seg_line;	     /* line of the segment being fed */
	unsigned long row_line;	     /* line on which the current row starts */
	unsigned long last_end_line; /* line on which the last field ended */
	bool row_started;

	bool ready; /* cur holds a complete row */
	struct rowbuf cur;
	struct rowbuf head;
	struct strmap column; /* each header name's first column */
	bool has_header;

	enum status cb_status;
	struct error cb_err;
};

#define SNIFF_BYTES (64 * 1024)

static const char *const encoding_names[] = {
    [CSVREAD_AUTO] = "auto",
    [CSVREAD_UTF8] = "UTF-8",
    [CSVREAD_CP1252] = "Windows-1252",
    [CSVREAD_LATIN1] = "ISO-8859-1",
};
static const char *const iconv_names[] = {
    [CSVREAD_CP1252] = "WINDOWS-1252",
    [CSVREAD_LATIN1] = "ISO-8859-1",
};

bool csvread_parse_encoding(const char *s, enum csvread_encoding *out)
{
	static const struct {
		const char *name;
		enum csvread_encoding enc;
	} names[] = {
	    {"auto", CSVREAD_AUTO},	      {"utf8", CSVREAD_UTF8},
	    {"utf-8", CSVREAD_UTF8},	      {"cp1252", CSVREAD_CP1252},
	    {"windows-1252", CSVREAD_CP1252}, {"latin1", CSVREAD_LATIN1},
	    {"iso-8859-1", CSVREAD_LATIN1},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].enc;
			return true;
		}
	}
	return false;
}

void csvread_opts_init(struct csvread_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->delim = ';';
	o->encoding = CSVREAD_UTF8;
	o->header = true;
	o->strict_width = true;
	o->check_utf8 = true;
}

static void rowbuf_reset(struct rowbuf *rb)
{
	strbuf_reset(&rb->data);
	rb->n = 0;
}

static void rowbuf_release(struct rowbuf *rb)
{
	strbuf_release(&rb->data);
	free(rb->off);
	free(rb->len);
	free(rb->fline);
	free(rb->field);
	memset(rb, 0, sizeof(*rb));
	strbuf_init(&rb->data);
}

/* A field of len bytes at off in rb->data, starting on line. */
static void rowbuf_slot(struct rowbuf *rb, size_t off, size_t len, unsigned long line)
{
	if (rb->n + 1 > rb->alloc) {
		size_t a = rb->alloc ? rb->alloc * 2 : 32;
		rb->off = xreallocarray(rb->off, a, sizeof(*rb->off));
		rb->len = xreallocarray(rb->len, a, sizeof(*rb->len));
		rb->fline = xreallocarray(rb->fline, a, sizeof(*rb->fline));
		rb->field = xreallocarray(rb->field, a, sizeof(*rb->field));
		rb->alloc = a;
	}
	rb->off[rb->n] = off;
	rb->len[rb->n] = len;
	rb->fline[rb->n] = line;
	rb->n++;
}

static void rowbuf_push(struct rowbuf *rb, const char *s, size_t len, unsigned long line)
{
	rowbuf_slot(rb, rb->data.len, len, line);
	/* the bytes and their NUL in one step (strbuf_add would end them with
	 * one already) */
	strbuf_grow(&rb->data, len + 1);
	memcpy(rb->data.buf + rb->data.len, s, len);
	rb->data.len += len + 1;
	rb->data.buf[rb->data.len - 1] = '\0';
	rb->data.buf[rb->data.len] = '\0';
}

/* Point the public row at the stored fields (data may have moved). */
static void rowbuf_finish(struct rowbuf *rb, unsigned long line)
{
	for (size_t i = 0; i < rb->n; i++)
		rb->field[i] = rb->data.buf + rb->off[i];
	rb->row.n = rb->n;
	rb->row.field = rb->field;
	rb->row.len = rb->len;
	rb->row.fline = rb->fline;
	rb->row.line = line;
}

static unsigned long count_breaks(const char *s, size_t len)
{
	unsigned long n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' ? (i == 0 || s[i - 1] != '\r') : s[i] == '\r')
			n++;
	return n;
}

static const char *header_name(const struct csvread *r, size_t col)
{
	if (r->has_header && col < r->head.row.n)
		return r->head.row.field[col];
	return NULL;
}

static enum status verror_at(const struct csvread *r, unsigned long line, size_t col,
			     enum status status, struct error *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static enum status verror_at(const struct csvread *r, unsigned long line, size_t col,
			     enum status status, struct error *err, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	if (col == CSVREAD_NONE)
		strbuf_addf(&sb, "%s:%lu: ", r->name, line);
	else
		strbuf_addf(&sb, "%s:%lu:%zu: ", r->name, line, col + 1);
	strbuf_vaddf(&sb, fmt, ap);
	const char *h = col == CSVREAD_NONE ? NULL : header_name(r, col);
	if (h)
		strbuf_addf(&sb, " (column \"%s\")", h);
	error_set(err, status, "%s", sb.buf);
	strbuf_release(&sb);
	return status;
}

static enum status error_at(const struct csvread *r, unsigned long line, size_t col,
			    enum status status, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static enum status error_at(const struct csvread *r, unsigned long line, size_t col,
			    enum status status, struct error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror_at(r, line, col, status, err, fmt, ap);
	va_end(ap);
	return status;
}

enum status csvread_field_error(const struct csvread *r, const struct csvrow *row, size_t col,
				enum status status, struct error *err, const char *fmt, ...)
{
	va_list ap;
	unsigned long line = col < row->n ? row->fline[col] : row->line;
	va_start(ap, fmt);
	verror_at(r, line, col, status, err, fmt, ap);
	va_end(ap);
	return status;
}

/* Check the next field of the current row, which starts on line; clean:
 * its line is known to hold no NUL and, when checked, to be UTF-8.  False,
 * with r->cb_status set, when it fails. */
static bool field_ok(struct csvread *r, const char *f, size_t len, unsigned long line, bool clean)
{
	if (r->cur.n >= r->o.max_fields) {
		r->cb_status = error_at(r, line, CSVREAD_NONE, TERRAIN_EDATA, &r->cb_err,
					"more than %zu fields in a row", r->o.max_fields);
		return false;
	}
	r->last_end_line = r->seg_line;
	if (len > r->o.max_field) {
		r->cb_status = error_at(r, line, r->cur.n, TERRAIN_EDATA, &r->cb_err,
					"field longer than %zu bytes", r->o.max_field);
		return false;
	}
	const char *nul = clean ? NULL : memchr(f, '\0', len);
	if (nul) {
		r->cb_status = error_at(r, line, r->cur.n, TERRAIN_EDATA, &r->cb_err,
					"NUL byte at byte %zu of the field (expected text)",
					(size_t)(nul - f) + 1);
		return false;
	}
	size_t bad;
	if (!clean && r->o.check_utf8 && !text_utf8_valid(f, len, &bad)) {
		r->cb_status = error_at(r, line, r->cur.n, TERRAIN_EDATA, &r->cb_err,
					"byte 0x%02X at byte %zu of the field is not UTF-8 "
					"(expected UTF-8 text%s)",
					(unsigned)(unsigned char)f[bad], bad + 1,
					r->o.encoding == CSVREAD_AUTO
					    ? "; the start of the file was; if the file is "
					      "Windows-1252, say so"
					    : "");
		return false;
	}
	return true;
}

/* The cap on a row's bytes, each field counted with its NUL. */
static bool row_fits(struct csvread *r, size_t bytes)
{
	if (bytes <= r->o.max_row)
		return true;
	r->cb_status = error_at(r, r->cur.fline[0], CSVREAD_NONE, TERRAIN_EDATA, &r->cb_err,
				"row longer than %zu bytes", r->o.max_row);
	return false;
}

static void on_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;
	if (r->cb_status)
		return;
	const char *f = s ? s : "";
	unsigned long line = r->seg_line - count_breaks(f, len);
	if (!field_ok(r, f, len, line, false))
		return;
	rowbuf_push(&r->cur, f, len, line);
	row_fits(r, r->cur.data.len);
}

static void on_row(int c, void *data)
{
	struct csvread *r = data;
	(void)c;
	if (r->cb_status)
		return;
	/* a row's line is its first field's (a line of blanks before it
	 * started no row) */
	rowbuf_finish(&r->cur, r->cur.n ? r->cur.fline[0] : r->row_line);
	r->ready = true;
	r->row_started = false;
}

/* Up to want raw bytes: what is left of the sniffed start, then the
 * source. */
static enum status raw_read(struct csvread *r, char *dst, size_t want, size_t *got,
			    struct error *err)
{
	size_t n = 0;
	if (r->sniff_pos < r->sniff_len) {
		n = r->sniff_len - r->sniff_pos < want ? r->sniff_len - r->sniff_pos : want;
		memcpy(dst, r->sniff + r->sniff_pos, n);
		r->sniff_pos += n;
	} else if (r->fp) {
		n = fread(dst, 1, want, r->fp);
		if (n < want && ferror(r->fp))
			return error_set(err, TERRAIN_EIO, "%s: cannot read: %s", r->name,
					 strerror(errno));
	} else {
		size_t left = r->mem_len - r->mem_pos;
		n = left < want ? left : want;
		memcpy(dst, r->mem + r->mem_pos, n);
		r->mem_pos += n;
	}
	*got = n;
	return TERRAIN_OK;
}

static unsigned long count_lf(const char *s, size_t n)
{
	unsigned long k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* The next chunk, in UTF-8, into buf. */
static enum status fill(struct csvread *r, struct error *err)
{
	size_t n;
	enum status st;
	r->buf_pos = r->buf_len = 0;
	if (r->dec_status) {
		memcpy(err, &r->dec_err, sizeof(*err));
		return r->dec_status;
	}
	if (r->enc == CSVREAD_UTF8) {
		if ((st = raw_read(r, r->buf, r->o.chunk, &n, err)))
			return st;
		r->buf_len = n;
	} else {
		if ((st = raw_read(r, r->raw, r->o.chunk, &n, err)))
			return st;
		/* single-byte encodings: a chunk always decodes whole */
		char *in = r->raw, *out = r->buf;
		size_t inleft = n, outleft = r->buf_cap;
		if (iconv(r->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
			/* the text before the bad byte is read first, so that
			 * the rows before it come out whatever the chunk size */
			size_t at = (size_t)(in - r->raw);
			r->dec_status = error_set(
			    &r->dec_err, TERRAIN_EDATA,
			    "%s:%lu: byte 0x%02X is not %s text (undecodable; expected %s, or "
			    "give the right encoding)",
			    r->name, r->line + count_lf(r->raw, at),
			    (unsigned)(unsigned char)r->raw[at], encoding_names[r->enc],
			    encoding_names[r->enc]);
		}
		r->buf_len = r->buf_cap - outleft;
	}
	if (!n)
		r->src_done = true;
	return TERRAIN_OK;
}

/* Advance the line count over s, one segment of read_row (a line end, if
 * any, is its last byte), and note the kinds of line ends. */
static void count_lines(struct csvread *r, const char *s, size_t len)
{
	if (!len)
		return;
	if (len > 1)
		r->prev_cr = false;
	char c = s[len - 1];
	if (c == '\r') {
		r->line++;
		r->ncr++; /* taken back if a LF follows */
		r->prev_cr = true;
	} else {
		if (c == '\n') {
			if (r->prev_cr)
				r->ncr--, r->ncrlf++;
			else
				r->line++, r->nlf++;
		}
		r->prev_cr = false;
	}
}

/* Before the header, lines starting with '#' are a preamble to skip (an
 * invented example says so there).  s is one segment (up to a line end).
 * True when the segment was skipped. */
static bool skip_comment(struct csvread *r, const char *s, size_t n)
{
	bool term = n && (s[n - 1] == '\n' || s[n - 1] == '\r');
	if (r->skipping || (n && s[0] == '#')) {
		r->skipping = !term; /* the rest of a long line comes next */
		count_lines(r, s, n);
		return true;
	}
	/* the line end after a CR, and blank lines, keep the preamble open */
	if (n == (size_t)term) {
		count_lines(r, s, n);
		return true;
	}
	r->in_preamble = false;
	return false;
}

/* libcsv's blanks: trimmed around an unquoted field, and a line of them
 * alone is no row (a tab that delimits is not one). */
static bool is_blank(const struct csvread *r, char c)
{
	return c == ' ' || (c == '\t' && r->o.delim != '\t');
}

/* The fast path for the common line: one whole line without quotes (s
 * ends with its line end), read at a row's start.  It splits the line as
 * libcsv would, trimming the blanks around each field and skipping a line
 * of blanks, and hands the fields to the same checks, without libcsv's
 * byte-at-a-time state machine and copies.  False when the line is not
 * such a line: libcsv reads it. */
static bool feed_plain(struct csvread *r, const char *s, size_t len)
{
	if (r->o.no_fast || !len || r->p.pstate != 0 /* ROW_NOT_BEGUN */ ||
	    (s[len - 1] != '\n' && s[len - 1] != '\r') || memchr(s, '"', len))
		return false;
	const char *end = s + len - 1; /* the line end */
	const char *p = s;
	while (p < end && is_blank(r, *p))
		p++;
	if (p == end)
		return true; /* blank: libcsv makes no row of it */
	/* the whole line checked once; a field of a line with a NUL or a byte
	 * that is not UTF-8 is checked again, for the column in the error
	 * (delimiters and blanks are ASCII: a line is UTF-8 if and only if
	 * its fields are) */
	size_t n = (size_t)(end - s);
	bool clean = !memchr(s, '\0', n) && (!r->o.check_utf8 || text_utf8_valid(s, n, NULL));
	/* the line is copied once, and each field's end in the copy becomes
	 * its NUL (a delimiter, or the first blank trimmed) */
	struct strbuf *data = &r->cur.data;
	size_t base = data->len, bytes = base;
	strbuf_grow(data, n + 1);
	char *copy = data->buf + base;
	memcpy(copy, s, n);
	copy[n] = '\0';
	data->len = base + n;
	for (p = s;;) {
		const char *fe = p; /* fields are short: no memchr call */
		while (fe < end && *fe != r->o.delim)
			fe++;
		while (p < fe && is_blank(r, *p))
			p++;
		const char *q = fe;
		while (q > p && is_blank(r, q[-1]))
			q--;
		size_t flen = (size_t)(q - p);
		if (!field_ok(r, p, flen, r->seg_line, clean))
			return true;
		rowbuf_slot(&r->cur, base + (size_t)(p - s), flen, r->seg_line);
		copy[q - s] = '\0';
		if (!row_fits(r, bytes += flen + 1))
			return true;
		if (fe == end)
			break;
		p = fe + 1;
	}
	on_row('\n', r);
	return true;
}

/* Feed bytes to libcsv, keeping line numbers right and checking caps. */
static enum status feed(struct csvread *r, const char *s, size_t len, struct error *err)
{
	r->seg_line = r->line;
	if (!r->row_started) {
		/* libcsv skips blank lines: only a byte other than a line end
		 * or a blank (a tab delimiter is not one) starts a row */
		for (size_t i = 0; i < len; i++) {
			char ch = s[i];
			if (ch == '\n' || ch == '\r' ||
			    ((ch == ' ' || ch == '\t') && ch != r->o.delim))
				continue;
			r->row_started = true;
			r->row_line = r->line;
			break;
		}
	}
	size_t done = feed_plain(r, s, len) ? len : csv_parse(&r->p, s, len, on_field, on_row, r);
	if (r->cb_status) {
		memcpy(err, &r->cb_err, sizeof(*err));
		return r->cb_status;
	}
	if (done != len) {
		int e = csv_error(&r->p);
		if (e == CSV_EPARSE)
			return error_at(r, r->line, r->cur.n, TERRAIN_EDATA, err,
					"misplaced '\"' (expected quotes around a whole field "
					"only, and doubled inside it)");
		return error_at(r, r->line, CSVREAD_NONE, TERRAIN_EDATA, err, "%s",
				csv_strerror(e));
	}
	count_lines(r, s, len);
	/* a field still being read: caught before libcsv buffers it all */
	if (r->p.entry_pos > r->o.max_field)
		return error_at(r, r->cur.n ? r->last_end_line : r->row_line, r->cur.n,
				TERRAIN_EDATA, err, "field longer than %zu bytes", r->o.max_field);
	return TERRAIN_OK;
}

static enum status read_row(struct csvread *r, const struct csvrow **row, struct error *err)
{
	enum status st;
	rowbuf_reset(&r->cur);
	r->ready = false;
	*row = NULL;
	while (!r->ready) {
		if (r->buf_pos == r->buf_len) {
			if (r->src_done) {
				if (r->finished)
					return TERRAIN_OK;
				r->finished = true;
				if (csv_fini(&r->p, on_field, on_row, r) != 0)
					return error_at(r, r->row_line, r->cur.n, TERRAIN_EDATA,
							err,
							"unterminated quoted field (expected a "
							"closing '\"')");
				if (r->cb_status) {
					memcpy(err, &r->cb_err, sizeof(*err));
					return r->cb_status;
				}
				continue;
			}
			if ((st = fill(r, err)))
				return st;
			continue;
		}
		const char *s = r->buf + r->buf_pos;
		size_t left = r->buf_len - r->buf_pos;
		/* up to the first line end, LF, CRLF or CR */
		const char *lf = memchr(s, '\n', left);
		size_t n = lf ? (size_t)(lf - s) : left;
		const char *cr = memchr(s, '\r', n);
		if (cr)
			n = (size_t)(cr - s);
		if (n < left)
			n++; /* include the line end */
		r->buf_pos += n;
		if (r->in_preamble && skip_comment(r, s, n))
			continue;
		if ((st = feed(r, s, n, err)))
			return st;
	}
	*row = &r->cur.row;
	return TERRAIN_OK;
}

enum status csvread_next(struct csvread *r, const struct csvrow **row, struct error *err)
{
	enum status st = read_row(r, row, err);
	if (st || !*row)
		return st;
	if (r->has_header && r->o.strict_width && (*row)->n != r->head.row.n)
		return error_at(r, (*row)->line, CSVREAD_NONE, TERRAIN_EDATA, err,
				"expected %zu fields as in the header, found %zu", r->head.row.n,
				(*row)->n);
	return TERRAIN_OK;
}

static int is_space_only(unsigned char c)
{
	return c == ' ';
}

/* The delimiter of the first line that is not a '#' comment: the most
 * frequent of ';', ',' and tab outside quotes (';' on a tie or none). */
static char detect_delim(const char *s, size_t n, bool comments)
{
	size_t i = 0;
	while (comments && i < n && s[i] == '#') {
		while (i < n && s[i] != '\n' && s[i] != '\r')
			i++;
		while (i < n && (s[i] == '\n' || s[i] == '\r'))
			i++;
	}
	size_t semi = 0, comma = 0, tab = 0;
	bool quoted = false;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			semi += c == ';', comma += c == ',', tab += c == '\t';
	}
	if (comma > semi && comma >= tab)
		return ',';
	if (tab > semi && tab > comma)
		return '\t';
	return ';';
}

/* The valid multi-byte UTF-8 sequences and the bytes that start none in
 * s[0..n) (a sequence cut by the end is not counted unless whole). */
static void utf8_census(const char *s, size_t n, bool whole, size_t *multi, size_t *bad)
{
	*multi = *bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80		      ? 1
			     : c >= 0xC2 && c <= 0xDF ? 2
			     : c >= 0xE0 && c <= 0xEF ? 3
			     : c >= 0xF0 && c <= 0xF4 ? 4
						      : 0;
		size_t where;
		if (len == 1) {
			i++;
		} else if (len && i + len > n && !whole) {
			break;
		} else if (len && i + len <= n && text_utf8_valid(s + i, len, &where)) {
			(*multi)++;
			i += len;
		} else {
			(*bad)++;
			i++;
		}
	}
}

/* Read the first bytes and decide the encoding (a BOM, else UTF-8 when they
 * are valid UTF-8 but for fewer stray bytes than valid sequences, else
 * Windows-1252) and the delimiter. */
static enum status sniff(struct csvread *r, struct error *err)
{
	enum status st;
	r->sniff = xmalloc(SNIFF_BYTES);
	r->sniff_len = 0;
	while (r->sniff_len < SNIFF_BYTES) {
		size_t got;
		r->sniff_pos = r->sniff_len; /* raw_read must not replay the sniff yet */
		if ((st = raw_read(r, r->sniff + r->sniff_len, SNIFF_BYTES - r->sniff_len, &got,
				   err)))
			return st;
		if (!got)
			break;
		r->sniff_len += got;
	}
	r->sniff_pos = 0;
	bool whole = r->sniff_len < SNIFF_BYTES;
	if (r->sniff_len >= 3 && !memcmp(r->sniff, "\xef\xbb\xbf", 3) &&
	    r->o.encoding != CSVREAD_CP1252 && r->o.encoding != CSVREAD_LATIN1) {
		r->bom = true;
		r->sniff_pos = 3;
		r->enc = CSVREAD_UTF8;
	} else if (r->o.encoding != CSVREAD_AUTO) {
		r->enc = r->o.encoding;
	} else {
		/* UTF-8 but for a few stray bytes stays UTF-8 (the reader then names
		 * each stray byte's line and column); Windows-1252 text has almost
		 * no valid multi-byte sequence beside its invalid bytes */
		size_t multi, bad;
		utf8_census(r->sniff, r->sniff_len, whole, &multi, &bad);
		r->enc = !bad || (multi && multi >= bad) ? CSVREAD_UTF8 : CSVREAD_CP1252;
	}
	if (!r->o.delim)
		r->o.delim = detect_delim(r->sniff + r->sniff_pos, r->sniff_len - r->sniff_pos,
					  r->o.comments);
	r->buf_cap = r->enc == CSVREAD_UTF8 ? r->o.chunk : 3 * r->o.chunk;
	r->buf = xmalloc(r->buf_cap);
	if (r->enc != CSVREAD_UTF8) {
		r->raw = xmalloc(r->o.chunk);
		r->cd = iconv_open("UTF-8", iconv_names[r->enc]);
		if (r->cd == (iconv_t)-1)
			return error_set(err, TERRAIN_EIO, "%s: cannot convert from %s: %s",
					 r->name, encoding_names[r->enc], strerror(errno));
	}
	return TERRAIN_OK;
}

static enum status open_common(struct csvread *r, const struct csvread_opts *opts,
			       struct error *err)
{
	if (opts)
		r->o = *opts;
	else
		csvread_opts_init(&r->o);
	if (!r->o.chunk)
		r->o.chunk = 64 * 1024;
	if (!r->o.max_field)
		r->o.max_field = 1024 * 1024;
	if (!r->o.max_fields)
		r->o.max_fields = 4096;
	if (!r->o.max_row)
		r->o.max_row = 16 * 1024 * 1024;
	r->line = 1;
	r->cd = (iconv_t)-1;
	enum status st0 = sniff(r, err);
	if (st0)
		return st0;
	r->in_preamble = r->o.comments;
	strbuf_init(&r->cur.data);
	strbuf_init(&r->head.data);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return error_set(err, TERRAIN_EIO, "%s: cannot initialise the CSV parser", r->name);
	r->parser_ready = true;
	csv_set_delim(&r->p, (unsigned char)r->o.delim);
	if (r->o.delim == '\t') /* a tab is a delimiter, not a blank to trim */
		csv_set_space_func(&r->p, is_space_only);
	if (!r->o.header)
		return TERRAIN_OK;

	const struct csvrow *row;
	enum status st = read_row(r, &row, err);
	if (st)
		return st;
	if (!row)
		return error_set(err, TERRAIN_EDATA, "%s: empty file (expected a header line)",
				 r->name);
	for (size_t i = 0; i < row->n; i++)
		rowbuf_push(&r->head, row->field[i], row->len[i], row->fline[i]);
	rowbuf_finish(&r->head, row->line);
	for (size_t i = 0; i < r->head.row.n; i++)
		if (strmap_get(&r->column, r->head.row.field[i]) == STRMAP_NONE)
			strmap_put(&r->column, r->head.row.field[i], i);
	r->has_header = true;
	return TERRAIN_OK;
}

enum status csvread_open(struct csvread **out, const char *path, const struct csvread_opts *opts,
			 struct error *err)
{
	struct csvread *r = xcalloc(1, sizeof(*r));
	r->cd = (iconv_t)-1;
	r->name = xstrdup(path);
	*out = NULL;
	r->fp = fopen(path, "rb");
	if (!r->fp) {
		enum status st =
		    error_set(err, TERRAIN_EIO, "%s: cannot open: %s", path, strerror(errno));
		csvread_free(r);
		return st;
	}
	enum status st = open_common(r, opts, err);
	if (st) {
		csvread_free(r);
		return st;
	}
	*out = r;
	return TERRAIN_OK;
}

enum status csvread_open_mem(struct csvread **out, const char *name, const char *data, size_t len,
			     const struct csvread_opts *opts, struct error *err)
{
	struct csvread *r = xcalloc(1, sizeof(*r));
	r->cd = (iconv_t)-1;
	r->name = xstrdup(name);
	r->mem = data;
	r->mem_len = len;
	*out = NULL;
	enum status st = open_common(r, opts, err);
	if (st) {
		csvread_free(r);
		return st;
	}
	*out = r;
	return TERRAIN_OK;
}

const struct csvrow *csvread_header(const struct csvread *r)
{
	return r->has_header ? &r->head.row : NULL;
}

size_t csvread_column(const struct csvread *r, const char *name)
{
	if (!r->has_header)
		return CSVREAD_NONE;
	/* a lookup by name, not a scan: a reader that looks up every column
	 * of a wide file stays linear (issue 18) */
	size_t i = strmap_get(&r->column, name);
	return i == STRMAP_NONE ? CSVREAD_NONE : i;
}

enum status csvread_require(const struct csvread *r, const char *const *names, size_t n,
			    size_t *idx, struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		idx[i] = csvread_column(r, names[i]);
		if (idx[i] == CSVREAD_NONE)
			return error_set(err, TERRAIN_EDATA,
					 "%s:1: missing column \"%s\" in the header", r->name,
					 names[i]);
	}
	return TERRAIN_OK;
}

const char *csvread_encoding_name(const struct csvread *r)
{
	return r->bom ? "UTF-8 with BOM" : encoding_names[r->enc];
}

char csvread_delim(const struct csvread *r)
{
	return r->o.delim;
}

const char *csvread_line_ends(const struct csvread *r)
{
	int kinds = (r->nlf > 0) + (r->ncrlf > 0) + (r->ncr > 0);
	if (kinds > 1)
		return "mixed";
	return r->ncrlf ? "CRLF" : r->ncr ? "CR" : "LF";
}

const char *csvread_name(const struct csvread *r)
{
	return r->name;
}

enum status csvread_open_table(struct csvread **out, const char *path, bool user_file,
			       const char *const *names, size_t n, size_t *idx, struct error *err)
{
	struct csvread_opts o;
	enum status st;
	csvread_opts_init(&o);
	o.comments = true;
	if (user_file) {
		o.delim = 0;
		o.encoding = CSVREAD_AUTO;
	}
	*out = NULL;
	if ((st = csvread_open(out, path, &o, err)))
		return st;
	if ((st = csvread_require(*out, names, n, idx, err))) {
		csvread_free(*out);
		*out = NULL;
	}
	return st;
}

void csvread_free(struct csvread *r)
{
	if (!r)
		return;
	if (r->parser_ready)
		csv_free(&r->p);
	if (r->fp)
		fclose(r->fp);
	rowbuf_release(&r->cur);
	rowbuf_release(&r->head);
	strmap_release(&r->column);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->sniff);
	free(r->raw);
	free(r->buf);
	free(r->name);
	free(r);
}
