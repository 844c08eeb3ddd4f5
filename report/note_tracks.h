/* The note's ranked findings and the "Pistes d'amélioration" drafted from
 * them (report/note.c and report/note_tracks.c only; not a public
 * header). */
#ifndef TERRAIN_NOTE_TRACKS_H
#define TERRAIN_NOTE_TRACKS_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/catalogue.h"
#include "note.h"

/* Is a finding a concern, a strength, or neither (by the indicator's
 * polarity)?  The order of the constats. */
enum note_tone {
	NOTE_UNFAVOURABLE,
	NOTE_FAVOURABLE,
	NOTE_NEUTRAL
};

/* A constat from the public data: a significant gap of meaningful size
 * between the territory and a reference, or a significant trend. */
struct note_finding {
	size_t i;		    /* the indicator (index in in->ind) */
	size_t k;		    /* a gap: the reference; a trend: the territory measured */
	bool trend;		    /* a trend, not a gap */
	enum note_tone tone;	    /* by the indicator's polarity */
	enum indicator_theme theme; /* the indicator's */
	double size;		    /* |gap| / |reference's value|: the order within a theme */
};

/* The "Pistes d'amélioration" section, always written: for each theme with
 * an unfavourable finding among f[0..n-1], the public concerned and the
 * families of responses of in->responses, each marked to review; one
 * sentence when there is none. */
void note_tracks_section(const struct note_input *in, const struct note_finding *f, size_t n,
			 struct strbuf *sb, int *sec);

#endif
