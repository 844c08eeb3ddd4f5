#include "map.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "maplib.h"
#include "note.h"
#include "typo.h"

/* the picture, in pixels: the map left, its legend right */
#define MAP_W	  480.0
#define MAP_H	  480.0
#define MAP_LEFT  10.0
#define MAP_TOP	  44.0
#define LEGEND_X  505.0
#define PIC_W	  800.0
#define PNG_SCALE 2.0
#define FONT	  "DejaVu Sans"

/* ColorBrewer OrRd, 5 classes: light for the low values */
static const char *const palette[MAP_CLASSES] = {"#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33",
						 "#b30000"};
#define MISSING_FILL "#d9d9d9"
#define HATCH_LINE   "#8c8c8c"
#define BORDER	     "#ffffff"
#define QPV_LINE     "#1f3b8f"

/* cairo and PROJ, loaded by the first map (maplib.h) */
static const struct maplib *L;

static const char *tr(bool en, const char *fr, const char *e)
{
	return en ? e : fr;
}

const char *map_crs(const char *dep)
{
	if (!strcmp(dep, "971") || !strcmp(dep, "972"))
		return "EPSG:5490";
	if (!strcmp(dep, "973"))
		return "EPSG:2972";
	if (!strcmp(dep, "974"))
		return "EPSG:2975";
	if (!strcmp(dep, "976"))
		return "EPSG:4471";
	return "EPSG:2154";
}

/* ---- building ---- */

static bool in_dep(const char *commune, const char *dep)
{
	size_t n = strlen(dep);
	return !strncmp(commune, dep, n) && (n == 3 || strncmp(commune, "97", 2));
}

void map_build(struct map *m, const struct geo *g, const struct mapdata *md,
	       const struct shapes *shapes, const struct shapes *qpv)
{
	memset(m, 0, sizeof(*m));
	m->deps = md->deps;
	m->frame_kind = md->frame;
	m->frame_zone = md->frame == MAPDATA_ZE ? GEO_ZE : GEO_NZONAGE;
	m->outlined = GEO_NONE;
	m->shapes = shapes;
	m->qpv = qpv;
	snprintf(m->crs, sizeof(m->crs), "%s", map_crs(md->ndep ? md->dep[0] : ""));
	m->u = xcalloc(md->n ? md->n : 1, sizeof(*m->u));
	m->value_of = xcalloc(md->n ? md->n : 1, sizeof(*m->value_of));
	for (size_t i = 0; i < md->n; i++) {
		struct map_unit *u = &m->u[m->nu];
		if (md->deps) {
			const struct geo_dep *d = &g->dep[md->unit[i]];
			snprintf(u->code, sizeof(u->code), "%s", d->code);
			u->name = d->name;
			for (size_t k = 0; k < shapes->n; k++)
				if (in_dep(shapes->v[k].code, d->code)) {
					u->shape = xreallocarray(u->shape, u->nshape + 1,
								 sizeof(*u->shape));
					u->shape[u->nshape++] = &shapes->v[k];
				}
		} else {
			const struct geo_commune *c = &g->com[md->unit[i]];
			snprintf(u->code, sizeof(u->code), "%s", c->code);
			u->name = c->name;
			const struct shape *s = shapes_find(shapes, c->code);
			if (s) {
				u->shape = xmalloc(sizeof(*u->shape));
				u->shape[0] = s;
				u->nshape = 1;
			}
		}
		if (!u->nshape) {
			m->not_drawn =
			    xreallocarray(m->not_drawn, m->nnot_drawn + 1, sizeof(*m->not_drawn));
			m->not_drawn[m->nnot_drawn++] = xstrdup(u->name);
			continue;
		}
		if (i == md->outlined) {
			m->outlined = m->nu;
			m->outlined_name = u->name;
		}
		m->value_of[m->nu++] = i;
	}
	for (size_t k = 0; qpv && !md->deps && k < qpv->n; k++)
		if (mapdata_has_commune(g, md, qpv->v[k].parts)) {
			m->q = xreallocarray(m->q, m->nq + 1, sizeof(*m->q));
			m->q[m->nq++] = &qpv->v[k];
		}
}

void map_release(struct map *m)
{
	for (size_t i = 0; i < m->nu; i++) {
		free(m->u[i].shape);
		free(m->u[i].xy);
		free(m->u[i].ring);
	}
	free(m->u);
	free(m->frame);
	free(m->q);
	free(m->qxy);
	free(m->qring);
	for (size_t i = 0; i < m->nnot_drawn; i++)
		free(m->not_drawn[i]);
	free(m->not_drawn);
	free(m->value_of);
	memset(m, 0, sizeof(*m));
}

/* ---- merging a unit's outlines: a border two of them share is dropped,
 * what is left is chained into rings ---- */

struct edge {
	int32_t a[2], b[2]; /* a before b */
};

static int cmp_pt(const int32_t *p, const int32_t *q)
{
	if (p[0] != q[0])
		return p[0] < q[0] ? -1 : 1;
	return (p[1] > q[1]) - (p[1] < q[1]);
}

static int cmp_edge(const void *x, const void *y)
{
	const struct edge *e = x, *f = y;
	int c = cmp_pt(e->a, f->a);
	return c ? c : cmp_pt(e->b, f->b);
}

struct end {
	int32_t p[2];
	size_t edge;
};

static int cmp_end(const void *x, const void *y)
{
	return cmp_pt(((const struct end *)x)->p, ((const struct end *)y)->p);
}

/* Append the merged rings of shapes to *xy (integers as doubles) with their
 * offsets in *ring. */
static void merge_rings(const struct shapes *S, const struct shape *const *shape, size_t nshape,
			double **xy, size_t *npt, size_t **ring, size_t *nring)
{
	struct edge *e = NULL;
	size_t ne = 0, alloc = 0;
	for (size_t s = 0; s < nshape; s++)
		for (size_t r = 0; r < shape[s]->nring; r++) {
			const struct shape_ring *R = &S->ring[shape[s]->ring + r];
			const int32_t *p = S->xy + 2 * R->pt;
			for (size_t i = 0; i < R->npt; i++) {
				const int32_t *a = p + 2 * i, *b = p + 2 * ((i + 1) % R->npt);
				int c = cmp_pt(a, b);
				if (!c)
					continue;
				ALLOC_GROW(e, ne + 1, alloc);
				const int32_t *lo = c < 0 ? a : b, *hi = c < 0 ? b : a;
				e[ne++] = (struct edge){{lo[0], lo[1]}, {hi[0], hi[1]}};
			}
		}
	qsort(e, ne, sizeof(*e), cmp_edge);
	size_t kept = 0;
	for (size_t i = 0; i < ne;) {
		size_t j = i + 1;
		while (j < ne && !cmp_edge(&e[i], &e[j]))
			j++;
		if (j - i == 1)
			e[kept++] = e[i];
		i = j;
	}
	struct end *end = xcalloc(2 * kept + 1, sizeof(*end));
	for (size_t i = 0; i < kept; i++) {
		end[2 * i] = (struct end){{e[i].a[0], e[i].a[1]}, i};
		end[2 * i + 1] = (struct end){{e[i].b[0], e[i].b[1]}, i};
	}
	qsort(end, 2 * kept, sizeof(*end), cmp_end);
	bool *used = xcalloc(kept + 1, sizeof(*used));
	for (size_t i = 0; i < kept; i++) {
		if (used[i])
			continue;
		used[i] = true;
		size_t start = *npt;
		int32_t first[2] = {e[i].a[0], e[i].a[1]}, cur[2] = {e[i].b[0], e[i].b[1]};
		*xy = xreallocarray(*xy, 2 * (*npt + 2), sizeof(**xy));
		(*xy)[2 * *npt] = first[0];
		(*xy)[2 * *npt + 1] = first[1];
		(*npt)++;
		while (cmp_pt(cur, first)) {
			*xy = xreallocarray(*xy, 2 * (*npt + 1), sizeof(**xy));
			(*xy)[2 * *npt] = cur[0];
			(*xy)[2 * *npt + 1] = cur[1];
			(*npt)++;
			struct end key = {{cur[0], cur[1]}, 0};
			struct end *f = bsearch(&key, end, 2 * kept, sizeof(*end), cmp_end);
			if (!f)
				break;
			while (f > end && !cmp_end(f - 1, &key))
				f--;
			size_t next = (size_t)-1;
			for (; f < end + 2 * kept && !cmp_end(f, &key); f++)
				if (!used[f->edge]) {
					next = f->edge;
					break;
				}
			if (next == (size_t)-1)
				break; /* an open chain: drawn closed */
			used[next] = true;
			const int32_t *o = cmp_pt(e[next].a, cur) ? e[next].a : e[next].b;
			cur[0] = o[0];
			cur[1] = o[1];
		}
		if (*npt - start < 3) {
			*npt = start;
			continue;
		}
		*ring = xreallocarray(*ring, *nring + 2, sizeof(**ring));
		(*ring)[*nring] = start;
		(*ring)[++*nring] = *npt;
	}
	free(used);
	free(end);
	free(e);
}

/* ---- projection ---- */

static enum status project(PJ *P, double *xy, size_t n, const char *crs, struct error *err)
{
	if (!n)
		return TERRAIN_OK;
	for (size_t i = 0; i < 2 * n; i++)
		xy[i] /= 10000.0; /* 1e-4 degrees */
	size_t done = L->proj_trans_generic(P, PJ_FWD, xy, 2 * sizeof(double), n, xy + 1,
					    2 * sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
	for (size_t i = 0; i < 2 * n; i++)
		if (done != n || !isfinite(xy[i]))
			return error_set(err, TERRAIN_EDATA,
					 "PROJ: a point cannot be projected into %s", crs);
	return TERRAIN_OK;
}

enum status map_prepare(struct map *m, struct error *err)
{
	enum status st = maplib_get(&L, err);
	if (st)
		return st;
	PJ_CONTEXT *ctx = L->proj_context_create();
	PJ *raw = NULL, *P = NULL;
	if (ctx)
		L->proj_log_level(ctx, PJ_LOG_NONE);
	if (ctx)
		raw = L->proj_create_crs_to_crs(ctx, "EPSG:4326", m->crs, NULL);
	if (raw)
		P = L->proj_normalize_for_visualization(ctx, raw);
	if (!P) {
		int e = ctx ? L->proj_context_errno(ctx) : 0;
		st = error_set(err, TERRAIN_EDATA,
			       "PROJ cannot initialise the projection into %s: %s", m->crs,
			       e ? L->proj_context_errno_string(ctx, e) : "no context");
		goto out;
	}
	double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
	for (size_t i = 0; i < m->nu && !st; i++) {
		struct map_unit *u = &m->u[i];
		size_t npt = 0;
		merge_rings(m->shapes, u->shape, u->nshape, &u->xy, &npt, &u->ring, &u->nring);
		st = project(P, u->xy, npt, m->crs, err);
		for (size_t k = 0; k < npt; k++)
			for (int d = 0; d < 2; d++) {
				lo[d] = fmin(lo[d], u->xy[2 * k + d]);
				hi[d] = fmax(hi[d], u->xy[2 * k + d]);
			}
	}
	size_t nq = 0;
	for (size_t i = 0; i < m->nq && !st; i++)
		merge_rings(m->qpv, &m->q[i], 1, &m->qxy, &nq, &m->qring, &m->nqring);
	if (!st)
		st = project(P, m->qxy, nq, m->crs, err);
	if (st || !isfinite(lo[0]))
		goto out;
	/* fit into MAP_W x MAP_H, north up */
	double w = hi[0] - lo[0], h = hi[1] - lo[1];
	double s = fmin(MAP_W / (w > 0 ? w : 1), MAP_H / (h > 0 ? h : 1));
	double ox = MAP_LEFT + (MAP_W - w * s) / 2;
	for (size_t i = 0; i < m->nu; i++) {
		struct map_unit *u = &m->u[i];
		size_t npt = u->nring ? u->ring[u->nring] : 0;
		for (size_t k = 0; k < npt; k++) {
			u->xy[2 * k] = ox + (u->xy[2 * k] - lo[0]) * s;
			u->xy[2 * k + 1] = MAP_TOP + (hi[1] - u->xy[2 * k + 1]) * s;
		}
	}
	for (size_t k = 0; k < nq; k++) {
		m->qxy[2 * k] = ox + (m->qxy[2 * k] - lo[0]) * s;
		m->qxy[2 * k + 1] = MAP_TOP + (hi[1] - m->qxy[2 * k + 1]) * s;
	}
	m->width = PIC_W;
	m->height = MAP_TOP + h * s + 40;
out:
	L->proj_destroy(P);
	L->proj_destroy(raw);
	if (ctx)
		L->proj_context_destroy(ctx);
	return st;
}

/* ---- classes ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t map_breaks(const double *v, size_t n, size_t k, double *breaks)
{
	double *s = xcalloc(n ? n : 1, sizeof(*s));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[m++] = v[i];
	if (!m || !k) {
		free(s);
		return 0;
	}
	qsort(s, m, sizeof(*s), cmp_double);
	size_t nb = 0;
	for (size_t j = 0; j <= k; j++) {
		double h = (double)(m - 1) * (double)j / (double)k; /* R's type 7 */
		size_t f = (size_t)floor(h);
		double q = f + 1 < m ? s[f] + (h - (double)f) * (s[f + 1] - s[f]) : s[m - 1];
		if (!nb || q > breaks[nb - 1])
			breaks[nb++] = q;
	}
	free(s);
	if (nb == 1) /* one value: one class */
		breaks[nb++] = breaks[0];
	return nb - 1;
}

size_t map_class(const double *breaks, size_t nclass, double x)
{
	for (size_t c = 0; c + 1 < nclass; c++)
		if (x <= breaks[c + 1])
			return c;
	return nclass ? nclass - 1 : 0;
}

/* the palette's colours for nclass classes, spread over the five */
static const char *class_colour(size_t c, size_t nclass)
{
	static const size_t pick[MAP_CLASSES][MAP_CLASSES] = {
	    {2}, {1, 3}, {0, 2, 4}, {0, 1, 3, 4}, {0, 1, 2, 3, 4}};
	return palette[pick[nclass - 1][c]];
}

/* ---- text ---- */

static void value_text(const struct indicator_def *def, double v, bool unit, bool en,
		       struct strbuf *out)
{
	if (!strcmp(def->unit, "%")) {
		if (unit)
			typo_percent(out, v, def->decimals, !en);
		else
			typo_number(out, v, def->decimals, !en);
		return;
	}
	typo_number(out, v, def->decimals, !en);
	const char *u = typo_unit(def->unit, !en);
	if (unit && u) {
		strbuf_addstr(out, en ? " " : "\xc2\xa0");
		strbuf_addstr(out, u);
	}
}

static void class_label(const struct indicator_def *def, const double *b, size_t c, bool en,
			struct strbuf *out)
{
	value_text(def, b[c], false, en, out);
	strbuf_addstr(out, en ? " to " : " à ");
	value_text(def, b[c + 1], true, en, out);
}

void map_title(const struct map *m, const struct map_layer *l, bool en, struct strbuf *out)
{
	strbuf_addstr(out, en ? "Map: " : "Carte : ");
	strbuf_addstr(out, en ? l->def->label_en : l->def->label_fr);
	strbuf_addstr(out, " \xe2\x80\x94 ");
	typo_zone_name(m->frame_zone, m->frame ? m->frame : "", m->frame_tncc, en, false, out);
	strbuf_addstr(out, m->deps ? tr(en, ", par département", ", by département")
				   : tr(en, ", par commune", ", by commune"));
}

void map_caption(const struct map *m, bool en, struct strbuf *out)
{
	if (!m->nnot_drawn)
		return;
	strbuf_addstr(
	    out, m->nnot_drawn > 1
		     ? tr(en, "Non dessinées, faute de contour (communes créées après 2018) : ",
			  "Not drawn, without an outline (communes created after 2018): ")
		     : tr(en, "Non dessinée, faute de contour (commune créée après 2018) : ",
			  "Not drawn, without an outline (a commune created after 2018): "));
	for (size_t i = 0; i < m->nnot_drawn; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, m->not_drawn[i]);
	}
	strbuf_addch(out, '.');
}

/* The legend's title on up to max lines of LEGEND_WRAP bytes at most,
 * broken at spaces (the last line takes the rest, up to 7 bytes more). */
#define LEGEND_WRAP 34
static size_t wrap(const char *s, char (*out)[LEGEND_WRAP + 8], size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		size_t len = strlen(s), cut = len;
		if (len > LEGEND_WRAP && n + 1 < max) {
			cut = LEGEND_WRAP;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (!cut)
				cut = strcspn(s, " ");
		}
		if (cut > LEGEND_WRAP + 7)
			cut = LEGEND_WRAP + 7;
		snprintf(out[n++], LEGEND_WRAP + 8, "%.*s", (int)cut, s);
		s += cut;
		while (*s == ' ')
			s++;
	}
	if (!n)
		out[n++][0] = 0;
	return n;
}

bool map_layer_empty(const struct map *m, const struct map_layer *l)
{
	for (size_t i = 0; i < m->nu; i++)
		if (l->status[m->value_of[i]] != MAPDATA_MISSING)
			return false;
	return true;
}

/* ---- drawing: one list of marks, written as SVG and drawn by cairo ---- */

struct legend_row {
	enum {
		SWATCH_FILL,
		SWATCH_HATCH,
		SWATCH_QPV,
		SWATCH_OUTLINE
	} kind;
	const char *colour;
	char text[160];
};

static void svg_path(const double *xy, const size_t *ring, size_t nring, struct strbuf *out)
{
	for (size_t r = 0; r < nring; r++)
		for (size_t k = ring[r]; k < ring[r + 1]; k++)
			strbuf_addf(out, "%c%.1f %.1f%s", k == ring[r] ? 'M' : 'L', xy[2 * k],
				    xy[2 * k + 1], k + 1 == ring[r + 1] ? "Z" : "");
}

static void draw_rings(cairo_t *cr, const double *xy, const size_t *ring, size_t nring)
{
	for (size_t r = 0; r < nring; r++) {
		for (size_t k = ring[r]; k < ring[r + 1]; k++)
			if (k == ring[r])
				L->cairo_move_to(cr, xy[2 * k], xy[2 * k + 1]);
			else
				L->cairo_line_to(cr, xy[2 * k], xy[2 * k + 1]);
		L->cairo_close_path(cr);
	}
}

static void rgb(cairo_t *cr, const char *hex)
{
	unsigned v = (unsigned)strtoul(hex + 1, NULL, 16);
	L->cairo_set_source_rgb(cr, ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
				(v & 255) / 255.0);
}

static cairo_pattern_t *hatch_pattern(void)
{
	cairo_surface_t *s = L->cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
	cairo_t *c = L->cairo_create(s);
	rgb(c, "#ffffff");
	L->cairo_paint(c);
	rgb(c, HATCH_LINE);
	L->cairo_set_line_width(c, 1.5);
	L->cairo_move_to(c, -1, 9);
	L->cairo_line_to(c, 9, -1);
	L->cairo_move_to(c, -1, 1);
	L->cairo_line_to(c, 1, -1);
	L->cairo_move_to(c, 7, 9);
	L->cairo_line_to(c, 9, 7);
	L->cairo_stroke(c);
	L->cairo_destroy(c);
	cairo_pattern_t *p = L->cairo_pattern_create_for_surface(s);
	L->cairo_pattern_set_extend(p, CAIRO_EXTEND_REPEAT);
	L->cairo_surface_destroy(s);
	return p;
}

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void draw_text(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
	L->cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
				  bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	L->cairo_set_font_size(cr, size);
	rgb(cr, "#222222");
	L->cairo_move_to(cr, x, y);
	L->cairo_show_text(cr, s);
}

static void svg_text(struct strbuf *out, double x, double y, double size, bool bold,
		     const char *cls, const char *s)
{
	strbuf_addf(out, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\"%s>", cls, x,
		    y, size, bold ? " font-weight=\"bold\"" : "");
	note_escape_html(s, out);
	strbuf_addstr(out, "</text>\n");
}

enum status map_render(const struct map *m, const struct map_layer *l, bool en, struct strbuf *svg,
		       struct strbuf *png, struct error *err)
{
	const struct indicator_def *def = l->def;
	double *v = xcalloc(m->nu ? m->nu : 1, sizeof(*v));
	bool secret = false, missing = false;
	for (size_t i = 0; i < m->nu; i++) {
		size_t k = m->value_of[i];
		v[i] = l->status[k] == MAPDATA_VALUE ? l->value[k] : NAN;
		secret |= l->status[k] == MAPDATA_SECRET;
		missing |= l->status[k] == MAPDATA_MISSING;
	}
	double breaks[MAP_CLASSES + 1];
	size_t nvalue = 0;
	for (size_t i = 0; i < m->nu; i++)
		nvalue += !isnan(v[i]);
	/* no more classes than values: 4 départements make 4 classes */
	size_t nclass = map_breaks(
	    v, m->nu, nvalue < MAP_CLASSES ? (nvalue ? nvalue : 1) : MAP_CLASSES, breaks);
	const char *label = en ? def->label_en : def->label_fr;
	char lines[3][LEGEND_WRAP + 8];
	size_t nlines = wrap(label, lines, 3);

	/* the legend */
	struct legend_row rows[MAP_CLASSES + 4];
	size_t nrow = 0;
	struct strbuf t = STRBUF_INIT, title = STRBUF_INIT, source = STRBUF_INIT,
		      outlines = STRBUF_INIT;
	for (size_t c = nclass; c-- > 0;) {
		strbuf_reset(&t);
		class_label(def, breaks, c, en, &t);
		rows[nrow].kind = SWATCH_FILL;
		rows[nrow].colour = class_colour(c, nclass);
		snprintf(rows[nrow++].text, sizeof(rows[0].text), "%s", t.buf);
	}
	if (secret) {
		rows[nrow].kind = SWATCH_HATCH;
		snprintf(rows[nrow++].text, sizeof(rows[0].text), "%s",
			 tr(en, "secret statistique", "statistical secrecy"));
	}
	if (missing) {
		rows[nrow].kind = SWATCH_FILL;
		rows[nrow].colour = MISSING_FILL;
		snprintf(rows[nrow++].text, sizeof(rows[0].text), "%s",
			 tr(en, "non disponible", "not available"));
	}
	if (m->nq) {
		rows[nrow].kind = SWATCH_QPV;
		snprintf(
		    rows[nrow++].text, sizeof(rows[0].text), "%s",
		    tr(en, "quartier prioritaire (QPV 2024)", "priority neighbourhood (QPV 2024)"));
	}
	if (m->outlined != GEO_NONE) {
		rows[nrow].kind = SWATCH_OUTLINE;
		snprintf(rows[nrow++].text, sizeof(rows[0].text), "%s%s", m->outlined_name,
			 tr(en, " (commune étudiée)", " (the commune studied)"));
	}
	map_title(m, l, en, &title);
	strbuf_addstr(&source, tr(en, "Source : ", "Source: "));
	strbuf_addstr(&source, en ? def->source_en : def->source_fr);
	strbuf_addstr(&outlines, tr(en, "Contours : IGN, ADMIN EXPRESS COG 2018",
				    "Outlines: IGN, ADMIN EXPRESS COG 2018"));
	if (m->nq)
		strbuf_addstr(&outlines, tr(en, " ; quartiers prioritaires : ANCT, QPV 2024",
					    "; priority neighbourhoods: ANCT, QPV 2024"));
	double row0 = 84 + 16.0 * (double)(nlines - 1);
	double legend_h = row0 + 22.0 * (double)nrow;
	double H = fmax(m->height, legend_h + 40) + 14;
	double src_y = H - 26;

	/* SVG */
	strbuf_addf(
	    svg,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" width=\"%.0f\" height=\"%.0f\" "
	    "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, sans-serif\">\n<title>",
	    PIC_W, H, PIC_W, H);
	note_escape_html(title.buf, svg);
	strbuf_addstr(svg, "</title>\n<desc>");
	note_escape_html(source.buf, svg);
	strbuf_addstr(svg, ". ");
	note_escape_html(outlines.buf, svg);
	strbuf_addstr(svg, "</desc>\n");
	strbuf_addstr(svg,
		      "<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
		      "height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" "
		      "height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
		      "stroke=\"" HATCH_LINE "\" stroke-width=\"2\"/></pattern></defs>\n");
	strbuf_addf(svg, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", PIC_W, H);
	strbuf_addstr(svg, "<g class=\"units\" stroke=\"" BORDER "\" stroke-width=\"0.6\" "
			   "fill-rule=\"evenodd\">\n");
	for (size_t i = 0; i < m->nu; i++) {
		const struct map_unit *u = &m->u[i];
		size_t k = m->value_of[i];
		const char *fill = l->status[k] == MAPDATA_SECRET ? "url(#hatch)"
				   : l->status[k] == MAPDATA_MISSING
				       ? MISSING_FILL
				       : class_colour(map_class(breaks, nclass, v[i]), nclass);
		strbuf_addf(svg, "<path class=\"unit\" data-code=\"%s\" fill=\"%s\" d=\"", u->code,
			    fill);
		svg_path(u->xy, u->ring, u->nring, svg);
		strbuf_addstr(svg, "\"><title>");
		note_escape_html(u->name, svg);
		strbuf_addstr(svg, " : ");
		strbuf_reset(&t);
		if (l->status[k] == MAPDATA_VALUE)
			value_text(def, v[i], true, en, &t);
		else
			strbuf_addstr(&t, l->status[k] == MAPDATA_SECRET
					      ? tr(en, "secret statistique", "statistical secrecy")
					      : tr(en, "non disponible", "not available"));
		note_escape_html(t.buf, svg);
		strbuf_addstr(svg, "</title></path>\n");
	}
	strbuf_addstr(svg, "</g>\n");
	if (m->nqring) {
		strbuf_addstr(svg, "<path class=\"qpv\" fill=\"none\" stroke=\"" QPV_LINE
				   "\" stroke-width=\"1.3\" d=\"");
		svg_path(m->qxy, m->qring, m->nqring, svg);
		strbuf_addstr(svg, "\"/>\n");
	}
	if (m->outlined != GEO_NONE) {
		const struct map_unit *u = &m->u[m->outlined];
		strbuf_addstr(svg, "<path class=\"outlined\" fill=\"none\" stroke=\"#000000\" "
				   "stroke-width=\"2.5\" d=\"");
		svg_path(u->xy, u->ring, u->nring, svg);
		strbuf_addstr(svg, "\"/>\n");
	}
	svg_text(svg, MAP_LEFT, 24, 14, true, "title", title.buf);
	strbuf_addstr(svg, "<g class=\"legend\">\n");
	for (size_t k = 0; k < nlines; k++)
		svg_text(svg, LEGEND_X, 70 + 16.0 * (double)k, 12, true, "legend-title", lines[k]);
	for (size_t r = 0; r < nrow; r++) {
		double y = row0 + 22.0 * (double)r;
		if (rows[r].kind == SWATCH_FILL)
			strbuf_addf(svg,
				    "<rect x=\"%.0f\" y=\"%.0f\" width=\"22\" height=\"14\" "
				    "fill=\"%s\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n",
				    LEGEND_X, y, rows[r].colour);
		else if (rows[r].kind == SWATCH_HATCH)
			strbuf_addf(
			    svg,
			    "<rect x=\"%.0f\" y=\"%.0f\" width=\"22\" height=\"14\" "
			    "fill=\"url(#hatch)\" stroke=\"#999999\" stroke-width=\"0.5\"/>\n",
			    LEGEND_X, y);
		else
			strbuf_addf(svg,
				    "<rect x=\"%.0f\" y=\"%.0f\" width=\"22\" height=\"14\" "
				    "fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
				    LEGEND_X + 1, y + 1,
				    rows[r].kind == SWATCH_QPV ? QPV_LINE : "#000000",
				    rows[r].kind == SWATCH_QPV ? "1.3" : "2.5");
		svg_text(svg, LEGEND_X + 30, y + 12, 12, false,
			 r < nclass ? "legend-class" : "legend-other", rows[r].text);
	}
	strbuf_addstr(svg, "</g>\n");
	svg_text(svg, MAP_LEFT, src_y, 10, false, "source", source.buf);
	svg_text(svg, MAP_LEFT, src_y + 14, 10, false, "source", outlines.buf);
	strbuf_addstr(svg, "</svg>\n");

	/* PNG: the same marks */
	enum status st = png ? maplib_get(&L, err) : TERRAIN_OK;
	if (png && !st) {
		cairo_surface_t *surf = L->cairo_image_surface_create(
		    CAIRO_FORMAT_RGB24, (int)(PIC_W * PNG_SCALE), (int)(H * PNG_SCALE));
		cairo_t *cr = L->cairo_create(surf);
		L->cairo_scale(cr, PNG_SCALE, PNG_SCALE);
		rgb(cr, "#ffffff");
		L->cairo_paint(cr);
		cairo_pattern_t *hatch = hatch_pattern();
		L->cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		for (size_t i = 0; i < m->nu; i++) {
			const struct map_unit *u = &m->u[i];
			size_t k = m->value_of[i];
			L->cairo_new_path(cr);
			draw_rings(cr, u->xy, u->ring, u->nring);
			if (l->status[k] == MAPDATA_SECRET)
				L->cairo_set_source(cr, hatch);
			else
				rgb(cr,
				    l->status[k] == MAPDATA_MISSING
					? MISSING_FILL
					: class_colour(map_class(breaks, nclass, v[i]), nclass));
			L->cairo_fill_preserve(cr);
			rgb(cr, BORDER);
			L->cairo_set_line_width(cr, 0.6);
			L->cairo_stroke(cr);
		}
		L->cairo_new_path(cr);
		draw_rings(cr, m->qxy, m->qring, m->nqring);
		rgb(cr, QPV_LINE);
		L->cairo_set_line_width(cr, 1.3);
		L->cairo_stroke(cr);
		if (m->outlined != GEO_NONE) {
			const struct map_unit *u = &m->u[m->outlined];
			draw_rings(cr, u->xy, u->ring, u->nring);
			rgb(cr, "#000000");
			L->cairo_set_line_width(cr, 2.5);
			L->cairo_stroke(cr);
		}
		draw_text(cr, MAP_LEFT, 24, 14, true, title.buf);
		for (size_t k = 0; k < nlines; k++)
			draw_text(cr, LEGEND_X, 70 + 16.0 * (double)k, 12, true, lines[k]);
		for (size_t r = 0; r < nrow; r++) {
			double y = row0 + 22.0 * (double)r;
			L->cairo_rectangle(cr, LEGEND_X, y, 22, 14);
			if (rows[r].kind == SWATCH_FILL || rows[r].kind == SWATCH_HATCH) {
				if (rows[r].kind == SWATCH_HATCH)
					L->cairo_set_source(cr, hatch);
				else
					rgb(cr, rows[r].colour);
				L->cairo_fill_preserve(cr);
				rgb(cr, "#999999");
				L->cairo_set_line_width(cr, 0.5);
			} else {
				rgb(cr, rows[r].kind == SWATCH_QPV ? QPV_LINE : "#000000");
				L->cairo_set_line_width(cr, rows[r].kind == SWATCH_QPV ? 1.3 : 2.5);
			}
			L->cairo_stroke(cr);
			draw_text(cr, LEGEND_X + 30, y + 12, 12, false, rows[r].text);
		}
		draw_text(cr, MAP_LEFT, src_y, 10, false, source.buf);
		draw_text(cr, MAP_LEFT, src_y + 14, 10, false, outlines.buf);
		L->cairo_pattern_destroy(hatch);
		L->cairo_surface_flush(surf);
		if (L->cairo_surface_write_to_png_stream(surf, png_write, png) !=
		    CAIRO_STATUS_SUCCESS)
			st = error_set(err, TERRAIN_EIO, "cairo cannot write the map's PNG");
		L->cairo_destroy(cr);
		L->cairo_surface_destroy(surf);
	}
	strbuf_release(&t);
	strbuf_release(&title);
	strbuf_release(&source);
	strbuf_release(&outlines);
	free(v);
	return st;
}
