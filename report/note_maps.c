/* The note's maps: each layer of the prepared map drawn by report/map.c,
 * written beside the charts and inlined like them. */
#include <stdio.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "map.h"
#include "note.h"
#include "note_internal.h"

enum status note_map_charts(const struct note_input *in, const char *dir,
			    struct note_chart_set *set, struct error *err)
{
	enum status st = TERRAIN_OK;
	struct strbuf svg = STRBUF_INIT, png = STRBUF_INIT, path = STRBUF_INIT, title = STRBUF_INIT,
		      caption = STRBUF_INIT;
	for (size_t i = 0; in->map && i < in->nlayers && !st; i++) {
		const struct map_layer *l = &in->layers[i];
		if (map_layer_empty(in->map, l)) {
			log_info("map %s left out: no unit has a value", l->name);
			continue;
		}
		strbuf_reset(&svg);
		strbuf_reset(&png);
		if ((st = map_render(in->map, l, in->en, &svg, &png, err)))
			break;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.svg", dir, l->name);
		if ((st = fileio_write_atomic(path.buf, svg.buf, svg.len, err)))
			break;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.png", dir, l->name);
		if ((st = fileio_write_atomic(path.buf, png.buf, png.len, err)))
			break;
		strbuf_reset(&title);
		strbuf_reset(&caption);
		map_title(in->map, l, in->en, &title);
		map_caption(in->map, in->en, &caption);
		ALLOC_GROW(set->v, set->n + 1, set->alloc);
		struct note_chart *c = &set->v[set->n++];
		memset(c, 0, sizeof(*c));
		snprintf(c->name, sizeof(c->name), "%s", l->name);
		c->title = strbuf_detach(&title);
		c->svg = strbuf_detach(&svg);
		c->anchor = "maps";
		c->caption = caption.len ? strbuf_detach(&caption) : NULL;
	}
	strbuf_release(&svg);
	strbuf_release(&png);
	strbuf_release(&path);
	strbuf_release(&title);
	strbuf_release(&caption);
	return st;
}
