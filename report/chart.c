#include "chart.h"
#include "note.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "typo.h"

extern char **environ;

#define DEFAULT_TIMEOUT_MS 20000u
#define DEFAULT_MAX_BYTES  ((size_t)16 << 20)
#define STDERR_MAX	   ((size_t)64 << 10)
#define MAX_SERIES	   7
#define MAX_CATEGORIES	   500
#define LABEL_LINES	   3   /* lines of a category label under its tick */
#define ROTATED_WIDTH	   20  /* characters of a line of a rotated label */
#define CHAR_PX		   7.5 /* a character of the labels' font in the PNG, wide */
#define HBARS_WIDTH	   48  /* characters of a line of a horizontal bar's label */

/* Okabe and Ito's palette, told apart by readers with any of the common
 * colour-vision deficiencies; black last. */
static const char *const palette[MAX_SERIES] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
						"#56B4E9", "#D55E00", "#000000"};

/* The length of the UTF-8 sequence a lead byte announces; 0 when it is no
 * lead byte (continuation bytes, C0, C1, F5..FF). */
static size_t utf8_lead_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

void chart_escape_gnuplot(const char *s, struct strbuf *out)
{
	if (!s)
		s = "";
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	strbuf_addch(out, '\'');
	while (i < len) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (c == '\'')
				strbuf_addstr(out, "''");
			else if (c < 0x20 || c == 0x7f)
				strbuf_addch(out, ' ');
			else
				strbuf_addch(out, (char)c);
			i++;
			continue;
		}
		size_t n = utf8_lead_len(c);
		if (!n || n > len - i || !text_utf8_valid(s + i, n, NULL)) {
			strbuf_addstr(out, "\xef\xbf\xbd"); /* U+FFFD */
			i++;
			continue;
		}
		/* C1 controls (U+0080..U+009F) are spaces, as C0 ones; U+FFFE and
		 * U+FFFF are not XML characters */
		bool c1 = n == 2 && c == 0xc2 && u[i + 1] < 0xa0;
		bool nonchar = n == 3 && c == 0xef && u[i + 1] == 0xbf && u[i + 2] >= 0xbe;
		if (c1)
			strbuf_addch(out, ' ');
		else if (nonchar)
			strbuf_addstr(out, "\xef\xbf\xbd");
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
	strbuf_addch(out, '\'');
}

void chart_format_number(double v, int decimals, const char *unit, bool en, struct strbuf *out)
{
	int d = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
	if (unit && !strcmp(unit, "%")) {
		typo_percent(out, v, d, !en);
		return;
	}
	if (unit && !strcmp(unit, "\xe2\x82\xac")) { /* € */
		typo_money(out, v, d, !en);
		return;
	}
	typo_number(out, v, d, !en);
	if (isfinite(v) && unit && *unit) {
		strbuf_addstr(out, "\xc2\xa0"); /* U+00A0 */
		strbuf_addstr(out, unit);
	}
}

/* A number for the datablock: '.' as decimal sign whatever the locale,
 * '?' (set datafile missing) for NAN. */
static void add_datum(struct strbuf *sb, double v)
{
	if (isnan(v)) {
		strbuf_addstr(sb, " ?");
		return;
	}
	size_t at = sb->len;
	strbuf_addf(sb, " %.10g", v);
	for (size_t k = at; k < sb->len; k++)
		if (sb->buf[k] == ',')
			sb->buf[k] = '.';
}

static enum status check_values(const struct chart *c, const char *title, const double *v,
				struct error *err)
{
	for (size_t i = 0; v && i < c->ncat; i++) {
		if (isinf(v[i]))
			return error_set(err, TERRAIN_EDATA, "chart \"%s\": infinite value", title);
		if (c->kind == CHART_PYRAMID && v[i] < 0)
			return error_set(err, TERRAIN_EDATA,
					 "chart \"%s\": an age pyramid takes counts or shares "
					 "(no negative value)",
					 title);
	}
	return TERRAIN_OK;
}

static enum status check_chart(const struct chart *c, struct error *err)
{
	struct strbuf t = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	text_quote(c->title ? c->title : "", 80, &t);
	if (!c->title || !*c->title) {
		st = error_set(err, TERRAIN_EDATA, "chart has no title");
		goto out;
	}
	if (!c->source || !*c->source) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\" has no source line", t.buf);
		goto out;
	}
	if (!c->ncat || !c->cat || c->ncat > MAX_CATEGORIES) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\": %zu categories (1 to %d)", t.buf,
			       c->cat ? c->ncat : 0, MAX_CATEGORIES);
		goto out;
	}
	if (!c->nseries || !c->series || c->nseries > MAX_SERIES) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\": %zu series (1 to %d)", t.buf,
			       c->series ? c->nseries : 0, MAX_SERIES);
		goto out;
	}
	if ((c->kind == CHART_PAIRED || c->kind == CHART_PYRAMID) && c->nseries != 2) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\": %s takes exactly 2 series", t.buf,
			       c->kind == CHART_PAIRED ? "a paired chart" : "an age pyramid");
		goto out;
	}
	if (c->kind == CHART_HBARS && c->nseries != 1) {
		st =
		    error_set(err, TERRAIN_EDATA,
			      "chart \"%s\": a horizontal bar chart takes exactly 1 series", t.buf);
		goto out;
	}
	if (c->kind == CHART_GANTT &&
	    (c->nseries != 1 || !c->series[0].low || !c->series[0].high)) {
		st = error_set(err, TERRAIN_EDATA,
			       "chart \"%s\": a Gantt chart takes 1 series with its bounds", t.buf);
		goto out;
	}
	if (c->kind == CHART_INTERVALS && (!c->series[0].low || !c->series[0].high)) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\": intervals without their bounds",
			       t.buf);
		goto out;
	}
	if (c->decimals < 0 || c->decimals > 6) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\": %d decimals (0 to 6)", t.buf,
			       c->decimals);
		goto out;
	}
	if (c->width > 4000 || c->height > 4000 || (c->width && c->width < 100) ||
	    (c->height && c->height < 100)) {
		st = error_set(err, TERRAIN_EDATA, "chart \"%s\": size %ux%u (100 to 4000 pixels)",
			       t.buf, c->width, c->height);
		goto out;
	}
	for (size_t j = 0; j < c->nseries && !st; j++) {
		const struct chart_series *s = &c->series[j];
		if (!s->v) {
			st = error_set(err, TERRAIN_EDATA, "chart \"%s\": series %zu has no values",
				       t.buf, j + 1);
			goto out;
		}
		st = check_values(c, t.buf, s->v, err);
		if (!st)
			st = check_values(c, t.buf, s->low, err);
		if (!st)
			st = check_values(c, t.buf, s->high, err);
	}
out:
	strbuf_release(&t);
	return st;
}

static void add_setting(struct strbuf *sb, const char *before, const char *s, const char *after)
{
	strbuf_addstr(sb, before);
	chart_escape_gnuplot(s, sb);
	strbuf_addstr(sb, after);
}

/* The terminal of format fmt, its output to standard output. */
static void add_terminal(const struct chart *c, enum chart_format fmt, struct strbuf *sb)
{
	unsigned w = c->width ? c->width : 800, h = c->height ? c->height : 500;
	if (fmt == CHART_SVG)
		strbuf_addf(sb,
			    "set terminal svg size %u,%u dynamic noenhanced "
			    "font 'DejaVu Sans,10' background '#ffffff'\n",
			    w, h);
	else
		strbuf_addf(sb,
			    "set terminal pngcairo size %u,%u noenhanced "
			    "font 'DejaVu Sans,10' background '#ffffff'\n",
			    w, h);
	strbuf_addstr(sb, "set output\n");
}

/* The header every chart shares: terminal, output to stdout, title, the
 * source line at the bottom left, decimal comma, grid. */
/* How the category labels of the x axis are laid out: wrapped at width
 * characters a line, lines at most, rotated or not; extra is how far the
 * x range reaches left of its usual start, in categories, so that the
 * first rotated label is not clipped. */
struct xlabels {
	size_t width, lines, widest; /* widest: the longest line, in characters */
	bool rotate;
	double extra;
};

static void add_frame(const struct chart *c, enum chart_format fmt, const struct xlabels *xl,
		      struct strbuf *sb)
{
	strbuf_addstr(sb, "set encoding utf8\n");
	add_terminal(c, fmt, sb);
	strbuf_addstr(
	    sb, "set datafile missing '?'\n"
		"set border 3 lc '#444444'\n"
		"set tics nomirror textcolor '#222222'\n"
		"set style fill solid 0.9 noborder\n"
		"set key at graph 0.5, graph 1.02 center bottom horizontal width 2 noautotitle\n");
	strbuf_addf(sb, "set decimalsign '%c'\n", c->en ? '.' : ',');
	/* rows of text under the axis: the source line, the labels' lines,
	 * and for rotated ones their height, sin 30 degrees of their width
	 * (a character is about half as wide as a row is high) */
	strbuf_addf(sb, "set bmargin %zu\nset rmargin 4\n",
		    (xl->rotate ? 3 + (xl->widest + 3) / 4 : 4) + xl->lines);
	if (c->nseries < 2)
		strbuf_addstr(sb, "unset key\n");
	/* the title as a label at the top, so that the legend (outside, at the
	 * top of the plot) comes under it */
	strbuf_addf(sb, "set tmargin %s\n", c->nseries < 2 ? "3.5" : "5");
	add_setting(sb, "set label 2 ", c->title,
		    " at screen 0.5, screen 0.99 center offset 0,-1 font ',13'\n");
	add_setting(sb, "set label 1 ", c->source,
		    " at screen 0.01, screen 0.02 left font ',8' textcolor '#444444'\n");
	if (c->xlabel && *c->xlabel)
		add_setting(sb, "set xlabel ", c->xlabel, "\n");
	const char *yl = c->ylabel && *c->ylabel ? c->ylabel : c->unit;
	if (yl && *yl)
		add_setting(sb, "set ylabel ", yl, "\n");
}

/* The characters of the first n bytes of s (UTF-8: the bytes that are no
 * continuation byte). */
static size_t width_n(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

size_t chart_wrap(const char *s, size_t width, struct strbuf *out)
{
	const char *p = s ? s : "";
	size_t lines = 1, linew = 0;
	bool space = false;
	while (*p) {
		if ((unsigned char)*p <= ' ') { /* spaces and controls separate words */
			space = linew > 0;
			p++;
			continue;
		}
		size_t n = 0; /* a word runs to a space or just after a hyphen */
		while ((unsigned char)p[n] > ' ' && !(n && p[n - 1] == '-'))
			n++;
		size_t w = width_n(p, n);
		if (linew && linew + space + w > width) {
			strbuf_addch(out, '\n');
			lines++;
			linew = 0;
		} else if (space) {
			strbuf_addch(out, ' ');
			linew++;
		}
		strbuf_add(out, p, n);
		linew += w;
		p += n;
		space = false;
	}
	return lines;
}

/* The widest line of wrapped text, in characters. */
static size_t widest_line(const char *s)
{
	size_t best = 0;
	while (*s) {
		size_t n = strcspn(s, "\n");
		if (width_n(s, n) > best)
			best = width_n(s, n);
		s += n + (s[n] == '\n');
	}
	return best;
}

/* The step between the category labels shown: every one, or every k-th
 * when they are many. */
static size_t label_step(const struct chart *c)
{
	return c->ncat > 24 ? (c->ncat + 23) / 24 : 1;
}

/* Lay the x axis's labels out: wrapped to the room a category has, on at
 * most LABEL_LINES lines, when every line then fits its room; else
 * rotated by 30 degrees, wrapped at ROTATED_WIDTH characters, the x range
 * reaching left far enough for the first label. */
static void layout_xlabels(const struct chart *c, struct xlabels *xl)
{
	*xl = (struct xlabels){.width = SIZE_MAX, .lines = 1};
	if (c->kind == CHART_PYRAMID || c->kind == CHART_HBARS || c->kind == CHART_GANTT)
		return;
	size_t step = label_step(c), shown = (c->ncat + step - 1) / step;
	/* the plot's width without its margins, never zero (a chart 100 pixels
	 * wide passes the size check) */
	double plot_px = fmax(1, (double)(c->width ? c->width : 800) - 100);
	double pitch = plot_px / (double)c->ncat; /* pixels between two categories */
	double room = plot_px / (double)shown / CHAR_PX - 1;
	struct strbuf w = STRBUF_INIT;
	bool fits = room >= 4;
	xl->width = fits ? (size_t)(room < 40 ? room : 40) : ROTATED_WIDTH;
	for (size_t i = 0; i < c->ncat && fits; i += step) {
		strbuf_reset(&w);
		size_t n = chart_wrap(c->cat[i], xl->width, &w);
		fits = n <= LABEL_LINES && widest_line(w.buf) <= xl->width;
		xl->lines = n > xl->lines ? n : xl->lines;
	}
	if (!fits) {
		xl->rotate = true;
		xl->width = ROTATED_WIDTH;
		xl->lines = 1;
		for (size_t i = 0; i < c->ncat; i += step) {
			strbuf_reset(&w);
			size_t n = chart_wrap(c->cat[i], xl->width, &w);
			xl->lines = n > xl->lines ? n : xl->lines;
			if (widest_line(w.buf) > xl->widest)
				xl->widest = widest_line(w.buf);
			/* a label rotated to the right of its tick reaches left by
			 * cos 30 degrees of its width; the first one must not pass
			 * the plot's left edge, 0.6 (bars) or 0.3 (lines) categories
			 * away */
			double start = c->kind == CHART_SERIES ? 0.3 : 0.6;
			double need = (double)widest_line(w.buf) * CHAR_PX * 0.87 / pitch - start;
			if (!i && need > 0)
				xl->extra = need;
		}
	}
	strbuf_release(&w);
}

/* Append label wrapped at width characters as one gnuplot string
 * expression, its lines joined by "\n" (a single-quoted string has no
 * escape for it): 'CC Marche et'."\n".'Combraille en'. */
static void add_wrapped(const char *label, size_t width, struct strbuf *sb)
{
	struct strbuf w = STRBUF_INIT;
	chart_wrap(label, width, &w);
	for (const char *p = w.buf;;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		chart_escape_gnuplot(line, sb);
		free(line);
		if (!p[n])
			break;
		strbuf_addstr(sb, ".\"\\n\".");
		p += n + 1;
	}
	strbuf_release(&w);
}

/* set xtics (or ytics) to the category labels at 0, 1, ...; every step-th
 * one when they are many; each label wrapped as xl says. */
static void add_category_tics(const struct chart *c, const char *axis, const struct xlabels *xl,
			      struct strbuf *sb)
{
	size_t step = label_step(c);
	strbuf_addf(sb, "set %stics (", axis);
	for (size_t i = 0; i < c->ncat; i += step) {
		if (i)
			strbuf_addstr(sb, ", ");
		add_wrapped(c->cat[i], xl->width, sb);
		strbuf_addf(sb, " %zu", i);
	}
	strbuf_addf(sb, ") scale 0%s\n", xl->rotate ? " rotate by 30 right" : "");
}

/* $data: one row per category, its index then each series' value, low
 * and high. */
static void add_datablock(const struct chart *c, struct strbuf *sb)
{
	strbuf_addstr(sb, "$data << EOD\n");
	for (size_t i = 0; i < c->ncat; i++) {
		strbuf_addf(sb, "%zu", i);
		for (size_t j = 0; j < c->nseries; j++) {
			const struct chart_series *s = &c->series[j];
			add_datum(sb, s->v[i]);
			add_datum(sb, s->low ? s->low[i] : NAN);
			add_datum(sb, s->high ? s->high[i] : NAN);
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "EOD\n");
}

static void add_legend(const struct chart_series *s, struct strbuf *sb)
{
	if (s->name && *s->name)
		add_setting(sb, " title ", s->name, "");
	else
		strbuf_addstr(sb, " notitle");
}

/* A round step near span / n: 1, 2 or 5 times a power of ten. */
static double nice_step(double span, double n)
{
	double raw = span / n, p = pow(10, floor(log10(raw))), f = raw / p;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* The decimals a tick step of 1, 2 or 5 times a power of ten needs. */
static int step_decimals(double step)
{
	int d = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	return d > 6 ? 6 : d;
}

/* One tick, "label" at position at, the label formatted here in the
 * chart's language, thousands separated, which gnuplot's own formats
 * cannot do without a locale. */
static void add_tick(const struct chart *c, double label, double at, int decimals, bool first,
		     struct strbuf *sb)
{
	struct strbuf num = STRBUF_INIT;
	chart_format_number(label, decimals, NULL, c->en, &num);
	if (!first)
		strbuf_addstr(sb, ", ");
	chart_escape_gnuplot(num.buf, sb);
	add_datum(sb, at);
	strbuf_release(&num);
}

/* The value axis: its range (from zero for bars, with room above them for
 * the values printed there) and its ticks at round steps. */
static void add_value_axis(const struct chart *c, bool bars, struct strbuf *sb)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t j = 0; j < c->nseries; j++)
		for (size_t i = 0; i < c->ncat; i++) {
			const struct chart_series *s = &c->series[j];
			double v[3] = {s->v[i], s->low ? s->low[i] : NAN,
				       s->high ? s->high[i] : NAN};
			for (int k = 0; k < 3; k++)
				if (!isnan(v[k]))
					lo = fmin(lo, v[k]), hi = fmax(hi, v[k]);
		}
	if (lo > hi)
		lo = 0, hi = 1;
	if (bars)
		lo = fmin(lo, 0), hi = fmax(hi, 0);
	if (hi <= lo) {
		double d = hi != 0 ? fabs(hi) * 0.1 : 1;
		lo = bars && lo >= 0 ? lo : lo - d;
		hi += d;
	}
	double step = nice_step(hi - lo, 5), pad = (hi - lo) * 0.12;
	double ymin = bars ? (lo < 0 ? lo - pad : 0) : floor(lo / step) * step;
	double ymax = bars ? (hi > 0 ? hi + pad : 0) : ceil(hi / step) * step;
	strbuf_addstr(sb, "set yrange [");
	add_datum(sb, ymin);
	strbuf_addch(sb, ':');
	add_datum(sb, ymax);
	strbuf_addstr(sb, "]\nset grid ytics lc '#dddddd'\nset ytics (");
	long k0 = (long)ceil(ymin / step - 1e-9), k1 = (long)floor(ymax / step + 1e-9);
	for (long k = k0; k <= k1; k++)
		add_tick(c, (double)k * step, (double)k * step, step_decimals(step), k == k0, sb);
	strbuf_addstr(sb, ")\n");
}

/* Bars side by side (with error bars where the series has bounds), their
 * value printed above each. */
static void add_bars(const struct chart *c, const struct xlabels *xl, struct strbuf *sb)
{
	double w = 0.8 / (double)c->nseries;
	strbuf_addstr(sb, "set xrange [");
	add_datum(sb, -0.6 - xl->extra);
	strbuf_addf(sb, ":%zu.4]\n", c->ncat - 1);
	add_value_axis(c, true, sb);
	/* the values, formatted here (the language's decimal sign, unit) */
	int tag = 3; /* 1 and 2 are the source and the title */
	bool show = c->ncat * c->nseries <= 40;
	for (size_t j = 0; show && j < c->nseries; j++)
		for (size_t i = 0; i < c->ncat; i++) {
			const struct chart_series *s = &c->series[j];
			double v = s->v[i];
			if (isnan(v))
				continue;
			double x = (double)i - 0.4 + w * ((double)j + 0.5);
			double at =
			    s->high && !isnan(s->high[i]) && s->high[i] > v ? s->high[i] : v;
			struct strbuf num = STRBUF_INIT;
			chart_format_number(v, c->decimals, c->unit, c->en, &num);
			strbuf_addf(sb, "set label %d ", tag++);
			chart_escape_gnuplot(num.buf, sb);
			strbuf_addstr(sb, " at");
			add_datum(sb, x);
			strbuf_addch(sb, ',');
			add_datum(sb, v < 0 ? v : at);
			strbuf_addf(sb, " center offset 0,%s font ',8' front\n",
				    v < 0 ? "-0.7" : "0.7");
			strbuf_release(&num);
		}
	strbuf_addstr(sb, "plot ");
	for (size_t j = 0; j < c->nseries; j++) {
		const struct chart_series *s = &c->series[j];
		size_t col = 2 + 3 * j;
		double x0 = -0.4 + w * ((double)j + 0.5);
		if (j)
			strbuf_addstr(sb, ", \\\n     ");
		strbuf_addstr(sb, "$data using ($1+(");
		add_datum(sb, x0);
		strbuf_addf(sb, ")):%zu:(", col);
		add_datum(sb, w * 0.92);
		strbuf_addf(sb, ") with boxes lc rgb '%s'", palette[j]);
		add_legend(s, sb);
		if (s->low && s->high) {
			strbuf_addstr(sb, ", \\\n     $data using ($1+(");
			add_datum(sb, x0);
			strbuf_addf(sb,
				    ")):%zu:%zu:%zu with yerrorbars lc rgb '#222222' lw 1.5 pt 7 "
				    "ps 0.3 notitle",
				    col, col + 1, col + 2);
		}
	}
	strbuf_addch(sb, '\n');
}

static void add_series(const struct chart *c, const struct xlabels *xl, struct strbuf *sb)
{
	strbuf_addstr(sb, "set xrange [");
	add_datum(sb, -0.3 - xl->extra);
	strbuf_addf(sb, ":%zu.3]\n", c->ncat - 1);
	add_value_axis(c, false, sb);
	strbuf_addstr(sb, "plot ");
	for (size_t j = 0; j < c->nseries; j++) {
		if (j)
			strbuf_addstr(sb, ", \\\n     ");
		strbuf_addf(sb, "$data using 1:%zu with linespoints lw 2 pt 7 ps 0.7 lc rgb '%s'",
			    2 + 3 * j, palette[j]);
		add_legend(&c->series[j], sb);
	}
	strbuf_addch(sb, '\n');
}

/* Horizontal bars: series[0] to the left (drawn negative, labelled with
 * its absolute values), series[1] to the right, youngest band at the
 * bottom. */
static void add_pyramid(const struct chart *c, struct strbuf *sb)
{
	double m = 0;
	for (size_t j = 0; j < 2; j++)
		for (size_t i = 0; i < c->ncat; i++)
			if (!isnan(c->series[j].v[i]) && c->series[j].v[i] > m)
				m = c->series[j].v[i];
	if (m <= 0)
		m = 1;
	double step = nice_step(m, 3);
	strbuf_addstr(sb, "set xrange [");
	add_datum(sb, -m * 1.08);
	strbuf_addch(sb, ':');
	add_datum(sb, m * 1.08);
	strbuf_addf(sb, "]\nset yrange [-0.6:%zu.6]\nset grid xtics lc '#dddddd'\nset xtics (",
		    c->ncat - 1);
	/* series[0] is drawn negative: its ticks show the absolute value */
	long kmax = (long)floor(m / step + 1e-9);
	for (long k = -kmax; k <= kmax; k++)
		add_tick(c, fabs((double)k * step), (double)k * step, step_decimals(step),
			 k == -kmax, sb);
	strbuf_addstr(sb, ")\nset border 1\n");
	struct xlabels whole = {.width = SIZE_MAX, .lines = 1}; /* age bands: short */
	add_category_tics(c, "y", &whole, sb);
	strbuf_addstr(sb, "plot ");
	for (size_t j = 0; j < 2; j++) {
		if (j)
			strbuf_addstr(sb, ", \\\n     ");
		strbuf_addf(sb,
			    "$data using (0):1:(%s$%zu):(0):($1-0.42):($1+0.42) with boxxyerror "
			    "lc rgb '%s'",
			    j ? "" : "-", 2 + 3 * j, palette[j]);
		add_legend(&c->series[j], sb);
	}
	strbuf_addch(sb, '\n');
}

/* The categories in full on the y axis, the first at the top (CHART_HBARS
 * and CHART_GANTT): gnuplot's own left margin cuts the longest labels a
 * little; a label wider than HBARS_WIDTH is wrapped. */
static void add_left_labels(const struct chart *c, struct strbuf *sb)
{
	size_t lw = 0;
	struct strbuf w = STRBUF_INIT;
	for (size_t i = 0; i < c->ncat; i++) {
		strbuf_reset(&w);
		chart_wrap(c->cat[i], HBARS_WIDTH, &w);
		if (widest_line(w.buf) > lw)
			lw = widest_line(w.buf);
	}
	strbuf_release(&w);
	strbuf_addf(sb, "set lmargin %zu\nset border 3\nset ytics (", (lw < 80 ? lw : 80) + 3);
	for (size_t i = 0; i < c->ncat; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		add_wrapped(c->cat[i], HBARS_WIDTH, sb);
		strbuf_addf(sb, " %zu", i);
	}
	strbuf_addstr(sb, ") scale 0\n");
}

/* Horizontal bars from 0 (labels in full on the y axis, the first
 * category at the top), error bars where the bounds are given, each value
 * printed right of its bar or interval. */
static void add_hbars(const struct chart *c, struct strbuf *sb)
{
	const struct chart_series *s = &c->series[0];
	double lo = 0, hi = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double v[3] = {s->v[i], s->low ? s->low[i] : NAN, s->high ? s->high[i] : NAN};
		for (int k = 0; k < 3; k++)
			if (!isnan(v[k]))
				lo = fmin(lo, v[k]), hi = fmax(hi, v[k]);
	}
	if (hi <= lo)
		hi = lo + 1;
	/* room to the right of the longest bar for its value */
	double step = nice_step(hi - lo, 5), xmin = lo < 0 ? lo - (hi - lo) * 0.2 : 0;
	double xmax = hi + (hi - lo) * 0.2;
	strbuf_addstr(sb, "unset ylabel\n");
	if (c->unit && *c->unit)
		add_setting(sb, "set xlabel ", c->unit, "\n");
	strbuf_addstr(sb, "set xrange [");
	add_datum(sb, xmin);
	strbuf_addch(sb, ':');
	add_datum(sb, xmax);
	strbuf_addf(sb, "]\nset yrange [%zu.5:-0.5]\nset grid xtics lc '#dddddd'\nset xtics (",
		    c->ncat - 1);
	long k0 = (long)ceil(xmin / step - 1e-9), k1 = (long)floor(xmax / step + 1e-9);
	for (long k = k0; k <= k1; k++)
		add_tick(c, (double)k * step, (double)k * step, step_decimals(step), k == k0, sb);
	strbuf_addstr(sb, ")\n");
	add_left_labels(c, sb);
	for (size_t i = 0; i < c->ncat && c->ncat <= 40; i++) {
		if (isnan(s->v[i]))
			continue;
		double at =
		    s->high && !isnan(s->high[i]) && s->high[i] > s->v[i] ? s->high[i] : s->v[i];
		struct strbuf num = STRBUF_INIT;
		chart_format_number(s->v[i], c->decimals, c->unit, c->en, &num);
		strbuf_addf(sb, "set label %zu ", i + 3); /* 1 and 2: the source and the title */
		chart_escape_gnuplot(num.buf, sb);
		strbuf_addstr(sb, " at");
		add_datum(sb, at);
		strbuf_addf(sb, ", %zu left offset 0.6,0 font ',9' front\n", i);
		strbuf_release(&num);
	}
	strbuf_addf(sb,
		    "plot $data using (0):1:(0):2:($1-0.32):($1+0.32) with boxxyerror lc rgb '%s'",
		    palette[0]);
	add_legend(s, sb);
	if (s->low && s->high)
		strbuf_addstr(sb, ", \\\n     $data using 2:1:3:4 with xerrorbars lc rgb '#222222' "
				  "lw 1.5 pt 7 ps 0.3 notitle");
	strbuf_addch(sb, '\n');
}

/* Bars from low to high, one a category (the first at the top), the
 * labels in full on the y axis, a tick every 3 units and a stronger line
 * every 12 (a year of months). */
static void add_gantt(const struct chart *c, struct strbuf *sb)
{
	const struct chart_series *s = &c->series[0];
	double hi = 12;
	for (size_t i = 0; i < c->ncat; i++)
		if (!isnan(s->high[i]))
			hi = fmax(hi, s->high[i]);
	long years = (long)ceil(hi / 12 - 1e-9);
	strbuf_addstr(sb, "unset ylabel\n");
	strbuf_addf(sb, "set xrange [0:%ld]\nset yrange [%zu.5:-0.5]\nset xtics (", years * 12,
		    c->ncat - 1);
	for (long k = 0; k <= years * 4; k++)
		add_tick(c, (double)(k * 3), (double)(k * 3), 0, k == 0, sb);
	strbuf_addstr(sb, ")\nset grid xtics lc '#eeeeee'\n");
	for (long y = 1; y < years; y++)
		strbuf_addf(sb, "set arrow from %ld, graph 0 to %ld, graph 1 nohead lc '#888888'\n",
			    y * 12, y * 12);
	add_left_labels(c, sb);
	strbuf_addf(sb,
		    "plot $data using (($3+$4)/2):1:3:4:($1-0.32):($1+0.32) with boxxyerror "
		    "lc rgb '%s' notitle\n",
		    palette[0]);
}

enum status chart_script(const struct chart *c, enum chart_format fmt, struct strbuf *script,
			 struct error *err)
{
	enum status st = check_chart(c, err);
	if (st)
		return st;
	struct xlabels xl;
	layout_xlabels(c, &xl);
	add_frame(c, fmt, &xl, script);
	add_datablock(c, script);
	if (c->kind != CHART_PYRAMID && c->kind != CHART_HBARS && c->kind != CHART_GANTT)
		add_category_tics(c, "x", &xl, script);
	switch (c->kind) {
	case CHART_SERIES:
		add_series(c, &xl, script);
		break;
	case CHART_PYRAMID:
		add_pyramid(c, script);
		break;
	case CHART_BARS:
	case CHART_INTERVALS:
	case CHART_PAIRED:
		add_bars(c, &xl, script);
		break;
	case CHART_HBARS:
		add_hbars(c, script);
		break;
	case CHART_GANTT:
		add_gantt(c, script);
		break;
	}
	return TERRAIN_OK;
}

/* gnuplot's error is the line that names the script line ("line 3: ..."),
 * else its first line that is not blank nor a caret. */
static void first_error_line(const char *s, struct strbuf *out)
{
	const char *pick = NULL, *first = NULL;
	size_t pick_len = 0, first_len = 0;
	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t b = strspn(s, " \t\r");
		size_t e = n;
		while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\r' || s[e - 1] == '\t'))
			e--;
		bool blank = e == b || strspn(s + b, "^ ") >= e - b;
		if (!blank && !first)
			first = s + b, first_len = e - b;
		if (!blank && !pick && e - b > 5 && strncmp(s + b, "line ", 5) == 0)
			pick = s + b, pick_len = e - b;
		s += n + (s[n] == '\n');
	}
	if (!pick)
		pick = first, pick_len = first_len;
	if (pick) {
		char *line = xstrndup(pick, pick_len);
		strbuf_addstr(out, ": ");
		text_quote(line, 300, out);
		free(line);
	}
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pipe whose ends other children do not inherit (posix_spawn's dup2
 * clears the flag on the copies gnuplot gets). */
static int make_pipe(int fd[2])
{
	if (pipe(fd))
		return -1;
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Read what fd holds into sb, stopping once sb holds more than cap bytes
 * (cap + 1 at most: the caller's sign that it overflowed).  Returns false
 * at end of file or on a read error, the fd then closed. */
static bool drain(int *fd, struct strbuf *sb, size_t cap)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(*fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0) {
			close_fd(fd);
			return false;
		}
		size_t room = cap + 1 - sb->len;
		strbuf_add(sb, buf, (size_t)n < room ? (size_t)n : room);
		if (sb->len > cap)
			return true;
	}
}

enum status chart_run_gnuplot(const struct chart_gnuplot *gp, const char *script,
			      struct strbuf *out, struct error *err)
{
	const char *env = getenv("TERRAIN_GNUPLOT");
	const char *prog = gp && gp->program ? gp->program : env && *env ? env : "gnuplot";
	long long timeout = gp && gp->timeout_ms ? gp->timeout_ms : DEFAULT_TIMEOUT_MS;
	size_t cap = gp && gp->max_bytes ? gp->max_bytes : DEFAULT_MAX_BYTES;
	int in[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1};
	struct strbuf img = STRBUF_INIT, emsg = STRBUF_INIT, why = STRBUF_INIT;
	char *argv0 = xstrdup(prog);
	char *argv[] = {argv0, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t pipeset, oldmask, none;
	enum status st = TERRAIN_OK;
	pid_t pid = -1;
	bool timed_out = false, too_big = false;
	int ws = 0;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigemptyset(&none);
	/* SIGPIPE is blocked here while we write (gnuplot may exit before it
	 * has read the whole script: the write fails with EPIPE instead) */
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldmask);
	if (make_pipe(in) || make_pipe(outp) || make_pipe(errp)) {
		st = error_set(err, TERRAIN_EIO, "cannot create a pipe for gnuplot: %s",
			       strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	/* the child starts with no blocked signal and SIGPIPE's default */
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &pipeset);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int rc = posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
	if (rc) {
		pid = -1;
		if (rc == ENOENT)
			st = error_set(
			    err, TERRAIN_EIO,
			    "gnuplot not found: \"%s\" (install the gnuplot-nox package)", prog);
		else
			st = error_set(err, TERRAIN_EIO, "cannot run gnuplot \"%s\": %s", prog,
				       strerror(rc));
		goto out;
	}
	close_fd(&in[0]);
	close_fd(&outp[1]);
	close_fd(&errp[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);

	/* write the script and read both outputs at once, so that neither
	 * side waits on a full pipe */
	long long deadline = now_ms() + timeout;
	const char *p = script;
	size_t left = strlen(script);
	if (!left)
		close_fd(&in[1]);
	while (outp[0] >= 0 || errp[0] >= 0) {
		struct pollfd fds[3];
		nfds_t nf = 0;
		int iw = -1, io = -1, ie = -1;
		if (in[1] >= 0)
			iw = (int)nf, fds[nf++] = (struct pollfd){in[1], POLLOUT, 0};
		if (outp[0] >= 0)
			io = (int)nf, fds[nf++] = (struct pollfd){outp[0], POLLIN, 0};
		if (errp[0] >= 0)
			ie = (int)nf, fds[nf++] = (struct pollfd){errp[0], POLLIN, 0};
		long long wait = deadline - now_ms();
		if (wait <= 0) {
			timed_out = true;
			break;
		}
		int n = poll(fds, nf, (int)wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = error_set(err, TERRAIN_EIO, "cannot wait for gnuplot: %s",
				       strerror(errno));
			break;
		}
		if (iw >= 0 && fds[iw].revents) {
			ssize_t w = write(in[1], p, left);
			if (w > 0) {
				p += w, left -= (size_t)w;
				if (!left)
					close_fd(&in[1]);
			} else if (w < 0 && errno != EINTR && errno != EAGAIN) {
				close_fd(&in[1]); /* EPIPE: gnuplot stopped reading */
			}
		}
		if (io >= 0 && fds[io].revents)
			drain(&outp[0], &img, cap);
		if (ie >= 0 && fds[ie].revents)
			drain(&errp[0], &emsg, STDERR_MAX);
		if (img.len > cap) {
			too_big = true;
			break;
		}
	}
	close_fd(&in[1]);
	/* a program that closed its outputs may still run: wait to the end of
	 * the deadline, then kill it */
	while (!timed_out && !too_big) {
		pid_t r = waitpid(pid, &ws, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			st = st ? st
				: error_set(err, TERRAIN_EIO, "cannot wait for gnuplot: %s",
					    strerror(errno));
			pid = -1;
			break;
		}
		if (now_ms() >= deadline)
			timed_out = true;
		else
			usleep(5000);
	}
	if (pid > 0 && (timed_out || too_big)) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	if (st)
		goto out;
	if (timed_out) {
		st = error_set(err, TERRAIN_EIO, "gnuplot timed out after %lld ms (killed)",
			       timeout);
	} else if (too_big) {
		st = error_set(err, TERRAIN_EIO, "gnuplot output exceeds %zu bytes (killed)", cap);
	} else if (WIFSIGNALED(ws) || (WIFEXITED(ws) && WEXITSTATUS(ws))) {
		first_error_line(emsg.buf, &why);
		if (WIFSIGNALED(ws))
			st = error_set(err, TERRAIN_EIO, "gnuplot killed by signal %d%s",
				       WTERMSIG(ws), why.buf);
		else
			st = error_set(err, TERRAIN_EIO, "gnuplot exited with status %d%s",
				       WEXITSTATUS(ws), why.buf);
	} else if (!img.len) {
		st = error_set(err, TERRAIN_EIO, "gnuplot wrote no image");
	} else {
		strbuf_addbuf(out, &img);
	}
out:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&outp[0]);
	close_fd(&outp[1]);
	close_fd(&errp[0]);
	close_fd(&errp[1]);
	/* a SIGPIPE raised by our writes is pending: take it before the mask
	 * comes back, or it would kill the process */
	sigset_t pending;
	struct timespec zero = {0, 0};
	while (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) &&
	       !sigismember(&oldmask, SIGPIPE)) {
		if (sigtimedwait(&pipeset, NULL, &zero) < 0 && errno != EINTR)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	strbuf_release(&img);
	strbuf_release(&emsg);
	strbuf_release(&why);
	free(argv0);
	return st;
}

/* The SVG's own texts in the chart's words: gnuplot titles every SVG
 * "Gnuplot", describes it as "Produced by GNUPLOT 5.4 ..." and titles each
 * plot "gnuplot_plot_N" (a tooltip, read aloud by screen readers), or
 * with a tic label when one has a line break: the title becomes the
 * chart's title, the description its source line, and every other
 * <title> goes (the legend and the labels carry the series; gnuplot writes
 * its texts as <text>, with '<' escaped, so no label makes a <title>). */
static void svg_texts(const struct chart *c, struct strbuf *out, size_t start)
{
	static const char gp_title[] = "<title>Gnuplot</title>", plot_title[] = "<title>";
	struct strbuf svg = STRBUF_INIT;
	const char *p = out->buf + start;
	bool titled = false, described = false;
	for (;;) {
		const char *t = titled ? NULL : strstr(p, gp_title);
		const char *d = described ? NULL : strstr(p, "<desc>");
		const char *pt = strstr(p, plot_title);
		const char *at = t;
		if (d && (!at || d < at))
			at = d;
		if (pt && (!at || pt < at))
			at = pt;
		const char *end = at ? strstr(at, at == d ? "</desc>" : "</title>") : NULL;
		if (!end) {
			strbuf_addstr(&svg, p);
			break;
		}
		strbuf_add(&svg, p, (size_t)(at - p));
		if (at == t) {
			strbuf_addstr(&svg, "<title>");
			note_escape_html(c->title, &svg);
			strbuf_addstr(&svg, "</title>");
			titled = true;
		} else if (at == d) {
			strbuf_addstr(&svg, "<desc>");
			note_escape_html(c->source, &svg);
			strbuf_addstr(&svg, "</desc>");
			described = true;
		}
		p = end + strlen(at == d ? "</desc>" : "</title>");
	}
	strbuf_setlen(out, start);
	strbuf_addbuf(out, &svg);
	strbuf_release(&svg);
}

enum status chart_render(const struct chart *c, const struct chart_gnuplot *gp,
			 enum chart_format fmt, struct strbuf *out, struct error *err)
{
	struct strbuf script = STRBUF_INIT;
	enum status st = chart_script(c, fmt, &script, err);
	size_t start = out->len;
	if (!st)
		st = chart_run_gnuplot(gp, script.buf, out, err);
	strbuf_release(&script);
	if (!st && fmt == CHART_SVG)
		svg_texts(c, out, start);
	return st;
}

/* Split what one gnuplot run wrote for the SVG then the PNG terminal: the
 * SVG ends at its first "</svg>" (gnuplot escapes '<' in every text it
 * writes, so no label holds one) and its line end, the PNG begins with its
 * signature. */
static enum status split_images(struct strbuf *both, struct strbuf *png, struct error *err)
{
	static const char sig[] = "\x89PNG\r\n\x1a\n";
	const char *end = strstr(both->buf, "</svg>");
	size_t at = end ? (size_t)(end - both->buf) + strlen("</svg>") : both->len;
	while (at < both->len && (both->buf[at] == '\n' || both->buf[at] == '\r'))
		at++;
	if (!end || both->len - at < sizeof(sig) - 1 ||
	    memcmp(both->buf + at, sig, sizeof(sig) - 1))
		return error_set(err, TERRAIN_EIO, "gnuplot wrote no %s image",
				 end ? "PNG" : "SVG");
	strbuf_add(png, both->buf + at, both->len - at);
	strbuf_setlen(both, at);
	return TERRAIN_OK;
}

enum status chart_write(const struct chart *c, const struct chart_gnuplot *gp, const char *dir,
			const char *basename, struct strbuf *svg_out, struct error *err)
{
	struct strbuf script = STRBUF_INIT, svg = STRBUF_INIT, png = STRBUF_INIT,
		      path = STRBUF_INIT;
	/* one gnuplot for both images: the SVG drawn, then the same plot
	 * again on the PNG terminal (gnuplot's start-up is paid once) */
	enum status st = chart_script(c, CHART_SVG, &script, err);
	if (!st) {
		add_terminal(c, CHART_PNG, &script);
		strbuf_addstr(&script, "replot\n");
		st = chart_run_gnuplot(gp, script.buf, &svg, err);
	}
	if (!st)
		st = split_images(&svg, &png, err);
	if (!st) {
		svg_texts(c, &svg, 0);
		strbuf_addf(&path, "%s/%s.svg", dir, basename);
		st = fileio_write_atomic(path.buf, svg.buf, svg.len, err);
	}
	if (!st) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.png", dir, basename);
		st = fileio_write_atomic(path.buf, png.buf, png.len, err);
	}
	if (!st && svg_out)
		strbuf_addbuf(svg_out, &svg);
	strbuf_release(&script);
	strbuf_release(&svg);
	strbuf_release(&png);
	strbuf_release(&path);
	return st;
}
