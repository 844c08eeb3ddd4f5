#include "maplib.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static struct maplib lib;
static void *cairo_handle;
static int state; /* 0 not tried, 1 loaded, -1 failed (msg says why) */
static char msg[ERROR_MSG_MAX];

/* The first of names that dlopen finds (the run-time soname first, the
 * development link last), or NULL with msg set. */
static void *open_one(const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (h)
			return h;
	}
	const char *why = dlerror();
	snprintf(msg, sizeof(msg), "cannot load %s for the maps: %s", names[0],
		 why ? why : "not found");
	return NULL;
}

/* Set *slot to the function name of h; false with msg set when absent.
 * Through a void ** so that no object pointer is converted to a function
 * pointer (dlsym's POSIX idiom). */
static bool sym(void *h, const char *lib_name, const char *name, void *slot)
{
	void *f = dlsym(h, name);
	if (!f) {
		snprintf(msg, sizeof(msg), "%s has no %s", lib_name, name);
		return false;
	}
	memcpy(slot, &f, sizeof(f));
	return true;
}

enum status maplib_get(const struct maplib **out, struct error *err)
{
	*out = NULL;
	if (!state) {
		static const char *const cairo_names[] = {"libcairo.so.2", "libcairo.so"};
		static const char *const proj_names[] = {"libproj.so.25", "libproj.so.22",
							 "libproj.so"};
		void *c = open_one(cairo_names, 2);
		void *p = c ? open_one(proj_names, 3) : NULL;
		bool ok = c && p;
		cairo_handle = c;
#define MAPLIB_LOAD_C(f) ok = ok && sym(c, "libcairo", #f, &lib.f);
#define MAPLIB_LOAD_P(f) ok = ok && sym(p, "libproj", #f, &lib.f);
		MAPLIB_CAIRO(MAPLIB_LOAD_C)
		MAPLIB_PROJ(MAPLIB_LOAD_P)
#undef MAPLIB_LOAD_C
#undef MAPLIB_LOAD_P
		state = ok ? 1 : -1;
	}
	if (state < 0)
		return error_set(err, TERRAIN_EDATA, "%s", msg);
	*out = &lib;
	return TERRAIN_OK;
}

void maplib_release(void)
{
	if (state != 1)
		return;
	/* cairo's caches, then fontconfig's (cairo's toy text API keeps
	 * them to the end): what cairo's own test suite does before exit */
	void (*reset)(void) = NULL, (*fc_fini)(void) = NULL;
	void *f = dlsym(cairo_handle, "cairo_debug_reset_static_data");
	memcpy(&reset, &f, sizeof(f));
	f = dlsym(cairo_handle, "FcFini");
	memcpy(&fc_fini, &f, sizeof(f));
	if (reset)
		reset();
	if (fc_fini)
		fc_fini();
}
