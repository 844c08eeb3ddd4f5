/* Markdown to an OpenDocument Text file (.odt) that LibreOffice opens for
 * editing: the note as the author reworks it before the jury.
 *
 * The Markdown is parsed by cmark-gfm (CommonMark with GitHub's tables,
 * strikethrough and autolinks) and its tree is written as ODF 1.2 with
 * named styles the author can restyle in one place: Heading 1-3 (deeper
 * headings take Heading 3's style and keep their outline level), Text
 * body, Quotations, Preformatted Text, Table Heading / Table Contents,
 * bullet and numbered lists, Emphasis, Strong Emphasis, Source Text, on
 * A4 pages with 2 cm margins.  Raw HTML in the Markdown is shown as text,
 * never interpreted; links keep only http, https and mailto targets (or
 * '#anchors'), others are written as plain text.
 *
 * Images: ![alt](name.png) refers to one of the images passed in, by
 * name; each is stored once under Pictures/ and drawn inline at 96 dpi,
 * scaled down to the 17 cm of the text width, and to 24 cm of height so
 * that a tall one stays on its page. */
#ifndef TERRAIN_ODT_H
#define TERRAIN_ODT_H

#include <stddef.h>

#include "../core/error.h"

struct odt_image {
	const char *name; /* as the Markdown refers to it: [A-Za-z0-9._-], no leading '.' */
	const unsigned char *data; /* the PNG file's bytes, borrowed */
	size_t len;
};

/* Write markdown[0..len) (UTF-8; bytes that are not are replaced by
 * U+FFFD) to path as an .odt package: mimetype first and stored,
 * META-INF/manifest.xml, content.xml, styles.xml, meta.xml (its title the
 * first level-1 heading) and the pictures.  The package is built in
 * memory, then written to a temporary name and renamed over path.
 *
 * lang is the text's language, "fr-FR" or "en-GB" (a language in two
 * lowercase letters, optionally '-' and a country in two capitals): the
 * default style's fo:language and fo:country, which LibreOffice's spelling
 * checker and hyphenation follow, and meta.xml's dc:language.
 *
 * Layout: a paragraph holding a hard line break (the author and date
 * lines) is aligned left, not justified; a table's columns share the text
 * width in proportion to their cells' text (table_widths in odt.c), and
 * its rows never split across pages.
 *
 * Errors: TERRAIN_EDATA for a language that is not such a tag ("PATH:
 * language \"x\" is not a tag like ..."), an image the Markdown names that
 * is not among images, an image name that is not safe, or image bytes that
 * are not a PNG, with the Markdown's line and column ("line 12:3: image
 * \"x.png\" ..."); TERRAIN_EIO when the package or the file cannot be
 * written. */
enum status odt_write(const char *path, const char *markdown, size_t len, const char *lang,
		      const struct odt_image *images, size_t nimages, struct error *err);

#endif
