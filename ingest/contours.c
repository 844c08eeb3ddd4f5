#include "contours.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../core/strbuf.h"
#include "../core/xalloc.h"

/* The largest file is about 2 MB uncompressed per 100 000 points; a
 * corrupt or hostile file stops here. */
#define CONTOURS_MAX_BYTES (256u << 20)
#define CONTOURS_MAX_COORD 1800000L /* 180 degrees in 1e-4 */

struct cursor {
	const char *name, *buf;
	size_t len, at;
};

static enum status fail(const struct cursor *c, struct error *err, const char *expected)
{
	return error_set(err, TERRAIN_EDATA, "%s: byte %zu: expected %s", c->name, c->at, expected);
}

static bool at_eol(const struct cursor *c)
{
	return c->at >= c->len || c->buf[c->at] == '\n';
}

/* A token of characters other than space and newline, of at most cap - 1. */
static enum status token(struct cursor *c, char *out, size_t cap, const char *what,
			 struct error *err)
{
	size_t n = 0;
	while (c->at + n < c->len && c->buf[c->at + n] != ' ' && c->buf[c->at + n] != '\n')
		n++;
	if (!n || n >= cap)
		return fail(c, err, what);
	memcpy(out, c->buf + c->at, n);
	out[n] = 0;
	c->at += n;
	return TERRAIN_OK;
}

static enum status integer(struct cursor *c, long *out, struct error *err)
{
	size_t i = c->at;
	bool neg = i < c->len && c->buf[i] == '-';
	i += neg;
	long v = 0;
	size_t digits = 0;
	while (i < c->len && c->buf[i] >= '0' && c->buf[i] <= '9' && digits < 9) {
		v = v * 10 + (c->buf[i] - '0');
		i++;
		digits++;
	}
	if (!digits || (i < c->len && c->buf[i] != ' ' && c->buf[i] != '\n'))
		return fail(c, err, "an integer of at most 9 digits");
	*out = neg ? -v : v;
	c->at = i;
	return TERRAIN_OK;
}

static enum status ring(struct cursor *c, struct shapes *out, struct error *err)
{
	enum status st;
	long x = 0, y = 0;
	size_t start = out->npt;
	for (size_t k = 0; !at_eol(c); k++) {
		if (c->buf[c->at] != ' ')
			return fail(c, err, "a space");
		c->at++;
		size_t pos = c->at;
		long dx, dy;
		if ((st = integer(c, &dx, err)))
			return st;
		if (at_eol(c))
			return fail(c, err, "a y coordinate after the x");
		c->at++;
		if ((st = integer(c, &dy, err)))
			return st;
		x = k ? x + dx : dx;
		y = k ? y + dy : dy;
		if (x < -CONTOURS_MAX_COORD || x > CONTOURS_MAX_COORD ||
		    y < -CONTOURS_MAX_COORD / 2 || y > CONTOURS_MAX_COORD / 2) {
			c->at = pos;
			return fail(c, err, "a point within -180..180, -90..90 degrees");
		}
		ALLOC_GROW(out->xy, 2 * (out->npt + 1), out->alloc_pt);
		out->xy[2 * out->npt] = (int32_t)x;
		out->xy[2 * out->npt + 1] = (int32_t)y;
		out->npt++;
	}
	if (out->npt - start < 3) {
		out->npt = start;
		return fail(c, err, "a ring of at least 3 points");
	}
	ALLOC_GROW(out->ring, out->nring + 1, out->alloc_ring);
	out->ring[out->nring++] = (struct shape_ring){start, out->npt - start};
	out->v[out->n - 1].nring++;
	return TERRAIN_OK;
}

enum status contours_parse(const char *name, const char *buf, size_t len, struct shapes *out,
			   struct error *err)
{
	struct cursor c = {name, buf, len, 0};
	enum status st = TERRAIN_OK;
	bool have_record = false;
	while (c.at < c.len) {
		char kind = buf[c.at];
		if (kind == '#') {
			const char *nl = memchr(buf + c.at, '\n', len - c.at);
			c.at = nl ? (size_t)(nl - buf) + 1 : len;
			continue;
		}
		if ((kind != 'c' && kind != 'q' && kind != 'r') || c.at + 1 >= len ||
		    buf[c.at + 1] != ' ')
			return fail(
			    &c, err,
			    "a line \"c CODE PARTS\", \"q CODE COMMUNES\" or \"r X Y ...\"");
		if (kind == 'r') {
			if (!have_record)
				return fail(&c, err, "a commune or QPV (c or q) before its rings");
			c.at++;
			if ((st = ring(&c, out, err)))
				return st;
		} else {
			struct shape s = {0};
			char parts[4096];
			c.at += 2;
			if ((st = token(&c, s.code, sizeof(s.code),
					"a code of at most 11 characters", err)))
				return st;
			if (at_eol(&c))
				return fail(&c, err, "a space and the communes after the code");
			c.at++;
			if ((st = token(&c, parts, sizeof(parts), "a list of communes", err)))
				return st;
			if (!at_eol(&c))
				return fail(&c, err, "the end of the line");
			s.parts = xstrdup(parts);
			s.ring = out->nring;
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n++] = s;
			out->sorted = 0;
			have_record = true;
		}
		if (c.at < len)
			c.at++; /* the newline */
	}
	return TERRAIN_OK;
}

static enum status read_gz(const char *path, struct strbuf *out, bool *absent, struct error *err)
{
	*absent = false;
	gzFile gz = gzopen(path, "rb");
	if (!gz) {
		if (errno == ENOENT) {
			*absent = true;
			return TERRAIN_OK;
		}
		return error_set(err, TERRAIN_EIO, "%s: %s", path, strerror(errno));
	}
	enum status st = TERRAIN_OK;
	for (;;) {
		strbuf_grow(out, 1 << 16);
		int r = gzread(gz, out->buf + out->len, 1 << 16);
		if (r < 0) {
			int code;
			st = error_set(err, TERRAIN_EDATA, "%s: corrupt gzip data: %s", path,
				       gzerror(gz, &code));
			break;
		}
		if (!r)
			break;
		out->len += (size_t)r; /* strbuf_grow made the room */
		out->buf[out->len] = 0;
		if (out->len > CONTOURS_MAX_BYTES) {
			st = error_set(err, TERRAIN_EDATA, "%s: over %u bytes uncompressed", path,
				       CONTOURS_MAX_BYTES);
			break;
		}
	}
	gzclose(gz);
	return st;
}

enum status contours_load(const char *dir, const char *kind, const char *const *deps, size_t ndep,
			  struct shapes *out, struct error *err)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < ndep && !st; i++) {
		bool absent;
		strbuf_reset(&path);
		strbuf_reset(&text);
		strbuf_addf(&path, "%s/contours/%s/%s.txt.gz", dir, kind, deps[i]);
		if (!(st = read_gz(path.buf, &text, &absent, err)) && !absent)
			st = contours_parse(path.buf, text.buf, text.len, out, err);
	}
	shapes_sort(out);
	strbuf_release(&path);
	strbuf_release(&text);
	return st;
}
