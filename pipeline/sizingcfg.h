/* The project file's [target] and [offer] sections read into what the
 * sizing needs, every problem naming FILE:LINE.
 *
 *   [target]
 *   label  = Demandeurs d'emploi de longue durée   ; what the public is
 *   base   = indicator:jobseekers_abc               ; a count
 *   shares = survey:statut=chomage                  ; then shares, one a line
 *            0.45 [0.40, 0.50] DARES, part des DELD, Isère 2024
 *
 *   [offer]
 *   file = offre.csv                                ; ingest/offer.h
 *   goal = 25 places pour 1 000, objectif du PDI     ; a coverage goal, or
 *   goal = ref:dep:38                                ; a reference's coverage
 *   covers = dep:38                                  ; the inventory lists every
 *                                                    ; structure of these references
 *
 * A term is "indicator:ID" (an indicator of the catalogue: a count for the
 * base, a ratio or rate in % for a share), "survey:VARIABLE=CODE" (the
 * weighted proportion of the survey configured in [survey]), or a number
 * with an optional [LOW, HIGH] range and, required, its source: a share
 * may be written 0.45 or 45 %, a decimal comma is accepted, and the
 * bounds are separated by a comma and a space. */
#ifndef TERRAIN_SIZINGCFG_H
#define TERRAIN_SIZINGCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "../analysis/sizing.h"
#include "../core/error.h"
#include "../core/project.h"

#define SIZINGCFG_MAX_TERMS 8

enum sizingcfg_kind {
	SIZINGCFG_NUMBER,    /* v and source */
	SIZINGCFG_INDICATOR, /* id */
	SIZINGCFG_SURVEY,    /* id: "VARIABLE=CODE" */
};

struct sizingcfg_term {
	enum sizingcfg_kind kind;
	char id[128];
	struct sizing_range v;
	char source[SIZING_TEXT_MAX];
	unsigned line;
	bool share;
};

struct sizingcfg {
	bool has_target, has_offer;
	char label[SIZING_TEXT_MAX];
	struct sizingcfg_term term[SIZINGCFG_MAX_TERMS]; /* term[0]: the base */
	size_t nterms;
	char offer_file[4096]; /* as seen from the current folder, "" none */
	unsigned offer_line;
	double goal;	   /* places per 1 000 target persons; NAN none */
	char goal_ref[48]; /* goal = ref:CODE: that reference's coverage; "" none */
	char goal_source[SIZING_TEXT_MAX];
	unsigned goal_line;
	char covers[8][48]; /* references the inventory covers whole */
	size_t ncovers;
	unsigned covers_line;
};

/* Read p's [target] and [offer] (either may be absent: has_target,
 * has_offer).  Errors (TERRAIN_EDATA): "FILE:LINE: ..." for a bad term,
 * a number without its source, a range that does not hold the value, a
 * share outside [0, 1], a missing base, too many shares, a goal that is
 * not a positive number. */
enum status sizingcfg_read(const struct project *p, struct sizingcfg *out, struct error *err);

/* One term's text (exposed for the tests).  Numbers are read by
 * number_typed (core/number.h); *why is a static text, or out->source when
 * it holds the message of an ambiguous number. */
enum status sizingcfg_term_parse(const char *text, bool share, struct sizingcfg_term *out,
				 const char **why);

#endif
