/* Charts drawn by gnuplot, run as a program: an argv vector and no shell
 * (posix_spawnp), the script written to its standard input with the data
 * inline (a "$data << EOD" datablock of numbers only), the image read from
 * its standard output.  No file name and no user string ever reaches a
 * command line.
 *
 * The data model knows nothing of the rest of terrain: a report fills a
 * struct chart (all pointers borrowed) and asks for SVG or PNG bytes.
 * Strings are UTF-8 and may hold anything (quotes, backslashes, <script>,
 * line breaks, accents): every title, source, axis label, series name and
 * category goes through chart_escape_gnuplot(), the one escaping function.
 *
 * Every chart has a title and, under it, a source line; the colours are one
 * colour-blind-safe palette (Okabe and Ito).  Numbers printed as labels are
 * formatted here in the chart's language (report/typo.h: "13,8 %" and
 * "153 810" in French, "13.8%" and "153,810" in English), and so are the
 * ticks of the value axis, set one by one at round steps (1, 2 or 5 times a
 * power of ten): gnuplot's own formats would need a locale for the
 * thousands (its decimalsign is set to the language's all the same).
 *
 * A missing value (NAN) draws no bar and breaks a line.  In the bar kinds
 * (BARS, INTERVALS, PAIRED) a series with low and high gets error bars and
 * each value is printed above its bar; the y label defaults to the unit.
 * Category labels are never cut: under the x axis each is wrapped
 * (chart_wrap) to the room its category has, on up to three lines, or,
 * when that cannot fit, rotated by 30 degrees and wrapped at 20
 * characters, the axis reaching left far enough for the first one (the
 * labels of CHART_PYRAMID have room to the left; those of CHART_HBARS are
 * wrapped at 48 characters, the left margin as wide as their longest line).
 *
 * gnuplot: $TERRAIN_GNUPLOT, else "gnuplot" from PATH (Debian package
 * gnuplot-nox, with its svg and pngcairo terminals; fonts-dejavu-core). */
#ifndef TERRAIN_CHART_H
#define TERRAIN_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/strbuf.h"

enum chart_kind {
	CHART_BARS,	 /* one bar per category and series: the territory against its
			  * references */
	CHART_SERIES,	 /* one line per series over the categories in order (vintages,
			  * quarters) */
	CHART_PYRAMID,	 /* age pyramid: categories are age bands from the youngest,
			  * series[0] to the left (men), series[1] to the right (women) */
	CHART_INTERVALS, /* one bar per category for series[0] with its low..high
			  * confidence interval drawn as an error bar */
	CHART_PAIRED,	 /* exactly two series side by side per category: needs against
			  * offer, charges against products */
	CHART_HBARS,	 /* one horizontal bar per category for series[0] (the only
			  * one), the first category at the top, with its low..high
			  * interval where both are given (NULL or NAN: none); the
			  * category labels in full (wrapped), the unit under the value axis:
			  * a survey question's answers */
	CHART_GANTT,	 /* one horizontal bar per category (a task, the first at the
			  * top) from series[0].low to series[0].high (both required;
			  * v unused): months of an action plan, a vertical line every
			  * 12 units, xlabel under the axis */
};

enum chart_format {
	CHART_SVG,
	CHART_PNG,
};

struct chart_series {
	const char *name;   /* legend text; borrowed */
	const double *v;    /* ncat values (NAN: missing); borrowed */
	const double *low;  /* ncat lower bounds or NULL (CHART_INTERVALS needs them) */
	const double *high; /* ncat upper bounds or NULL */
};

struct chart {
	enum chart_kind kind;
	const char *title;  /* required; borrowed */
	const char *source; /* the line under the chart, e.g. "Source : Insee, RP 2021";
			     * required; borrowed */
	const char *xlabel; /* axis labels; NULL or "" for none; borrowed */
	const char *ylabel;
	const char *const *cat; /* ncat category labels; borrowed */
	size_t ncat;
	const struct chart_series *series; /* nseries series; borrowed */
	size_t nseries;
	int decimals;	  /* decimals of the numbers shown (0 to 6) */
	const char *unit; /* "%", "€", "habitants" or NULL; printed after the numbers */
	unsigned width;	  /* pixels; 0: 800 */
	unsigned height;  /* pixels; 0: 500 */
	bool en;	  /* numbers in English ("13.8%"); false: French ("13,8 %") */
};

/* How gnuplot is run; a NULL struct chart_gnuplot means all defaults. */
struct chart_gnuplot {
	const char *program; /* NULL: $TERRAIN_GNUPLOT when set and not empty, else "gnuplot";
			      * looked up in PATH when it has no '/' */
	unsigned timeout_ms; /* 0: 20 000; the program is killed (SIGKILL) past it */
	size_t max_bytes;    /* cap on the image; 0: 16 MiB */
};

/* Append s to out as one gnuplot single-quoted string literal, quotes
 * included.  Inside single quotes gnuplot knows one escape, '' for ', and
 * does no backquote (shell) substitution and no @macro expansion, unlike
 * double quotes, so a backslash, a double quote, ` and @ stay as they are.
 * Control characters (line breaks and tabs included) and DEL become one
 * space each; bytes that are not valid UTF-8 become U+FFFD, so that the
 * SVG gnuplot writes stays well-formed XML.  The characters of gnuplot's
 * enhanced text mode (^ _ @ & { } ~) are left as they are: the terminals are
 * set "noenhanced", which prints them as text.  gnuplot escapes < and & in
 * the SVG it writes.  NULL is taken as "". */
void chart_escape_gnuplot(const char *s, struct strbuf *out);

/* Append to out a number with its unit as report/typo.h writes it in
 * French (en false) or English, decimals clamped to 0..6: "%" as
 * typo_percent ("13,8 %", "13.8%"), "€" as typo_money ("1 234 567,89 €",
 * "€1,234,567.89"), another unit after typo_number and a no-break space
 * (U+00A0), no unit when unit is NULL or ""; "n.d." / "n/a" for NAN. */
void chart_format_number(double v, int decimals, const char *unit, bool en, struct strbuf *out);

/* Append s to out wrapped in lines of at most width characters, joined
 * by '\n': lines break at spaces (dropped; runs of spaces and control
 * characters count as one) and after hyphens (kept); a word longer than
 * width stays whole on its own line.  Returns the number of lines (1 for
 * "" or NULL, which append nothing).  "CC Marche et Combraille en
 * Aquitaine", 16 -> "CC Marche et\nCombraille en\nAquitaine". */
size_t chart_wrap(const char *s, size_t width, struct strbuf *out);

/* Check c (title and source present, categories, the series each kind
 * needs, bounds for CHART_INTERVALS, decimals in range) and append its
 * gnuplot script to script, writing the image to standard output in
 * format fmt.  Errors: TERRAIN_EDATA with the chart's title in the
 * message. */
enum status chart_script(const struct chart *c, enum chart_format fmt, struct strbuf *script,
			 struct error *err);

/* Run gnuplot (see struct chart_gnuplot; gp may be NULL) with no argument,
 * write script to its standard input and append its standard output to
 * out.  Errors (TERRAIN_EIO), out then holding nothing new:
 *   gnuplot not found: "PROGRAM" (install the gnuplot-nox package)
 *   gnuplot exited with status N: FIRST ERROR LINE OF ITS STDERR
 *   gnuplot killed by signal N: ...
 *   gnuplot timed out after N ms (killed)
 *   gnuplot output exceeds N bytes (killed)
 *   gnuplot wrote no image
 * SIGPIPE is blocked in the calling thread only, while gnuplot runs, and a
 * pending one taken before the mask comes back: a gnuplot that exits
 * before reading its whole script gives its exit status, never a dead
 * terrain.  The disposition of SIGPIPE is not touched (other threads are
 * unaffected). */
enum status chart_run_gnuplot(const struct chart_gnuplot *gp, const char *script,
			      struct strbuf *out, struct error *err);

/* chart_script() then chart_run_gnuplot(): the image bytes appended to
 * out (SVG text or PNG). */
enum status chart_render(const struct chart *c, const struct chart_gnuplot *gp,
			 enum chart_format fmt, struct strbuf *out, struct error *err);

/* Render c in both formats and write dir/basename.svg and
 * dir/basename.png, each atomically (fileio_write_atomic); dir must
 * exist.  One run of gnuplot draws both: the SVG, then the same plot on
 * the PNG terminal ("replot"), its standard output the SVG followed by the
 * PNG (chart_run_gnuplot's errors, and "gnuplot wrote no SVG image" / "no
 * PNG image" when either is missing).  gnuplot's start-up, a good part of
 * a chart's time, is paid once.  Nothing is written unless both images
 * were rendered (if the PNG cannot be written after the SVG was, the SVG
 * stays); the SVG's own texts as chart_render() gives them.  When svg is not
 * NULL, the SVG's bytes (those of the file) are appended to it once both
 * files are written, for a page that inlines the chart; on error it holds
 * nothing new. */
enum status chart_write(const struct chart *c, const struct chart_gnuplot *gp, const char *dir,
			const char *basename, struct strbuf *svg, struct error *err);

#endif
