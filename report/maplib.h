/* The cairo and PROJ functions the maps use, loaded with dlopen() when the
 * first map is drawn: linked at start-up, their 24 shared libraries (X11,
 * pixman, fontconfig, freetype, libtiff...) cost every command about 4 ms
 * of the dynamic loader, `terrain territory show` as much as `terrain run`.
 * The headers give the types; the Makefile takes only their -I flags. */
#ifndef TERRAIN_MAPLIB_H
#define TERRAIN_MAPLIB_H

#include <cairo.h>
#include <proj.h>

#include "../core/error.h"

#define MAPLIB_CAIRO(X)                     \
	X(cairo_close_path)                 \
	X(cairo_create)                     \
	X(cairo_destroy)                    \
	X(cairo_fill_preserve)              \
	X(cairo_image_surface_create)       \
	X(cairo_line_to)                    \
	X(cairo_move_to)                    \
	X(cairo_new_path)                   \
	X(cairo_paint)                      \
	X(cairo_pattern_create_for_surface) \
	X(cairo_pattern_destroy)            \
	X(cairo_pattern_set_extend)         \
	X(cairo_rectangle)                  \
	X(cairo_scale)                      \
	X(cairo_select_font_face)           \
	X(cairo_set_fill_rule)              \
	X(cairo_set_font_size)              \
	X(cairo_set_line_width)             \
	X(cairo_set_source)                 \
	X(cairo_set_source_rgb)             \
	X(cairo_show_text)                  \
	X(cairo_stroke)                     \
	X(cairo_surface_destroy)            \
	X(cairo_surface_flush)              \
	X(cairo_surface_write_to_png_stream)

#define MAPLIB_PROJ(X)                      \
	X(proj_context_create)              \
	X(proj_context_destroy)             \
	X(proj_context_errno)               \
	X(proj_context_errno_string)        \
	X(proj_create_crs_to_crs)           \
	X(proj_destroy)                     \
	X(proj_log_level)                   \
	X(proj_normalize_for_visualization) \
	X(proj_trans_generic)

struct maplib {
#define MAPLIB_FIELD(f) __typeof__(f) *f;
	MAPLIB_CAIRO(MAPLIB_FIELD)
	MAPLIB_PROJ(MAPLIB_FIELD)
#undef MAPLIB_FIELD
};

/* The functions, loaded on the first call and kept (not thread-safe, as
 * the bundle's lazy parts): *out is static.  A library or a function that
 * cannot be loaded is TERRAIN_EDATA naming the library and dlerror()'s
 * reason, returned again by later calls. */
enum status maplib_get(const struct maplib **out, struct error *err);

/* Free the caches cairo and fontconfig keep (nothing when no map was
 * drawn), so that a leak checker sees none; the functions stay usable. */
void maplib_release(void);

#endif
