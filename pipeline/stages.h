/* Rerunning only the stages whose inputs changed (terrain serve: each form
 * saved reruns what it touched).
 *
 * Each stage's inputs are hashed (sha256): the sections of the project
 * file it reads, as their values read (comments and layout aside), the
 * files they name (survey, codebook, margins, offer), the territory and its
 * references, the datasets' folder and terrain's version, and the hashes
 * of the stages whose results it reads (the note reads them all).  The
 * hashes of the last run are kept in the outputs' folder, in
 * ".stages.sha256" (a hidden file: manifest.json does not list it, so the
 * note and the manifest are those of `terrain run`).
 *
 * A stage runs when its hash changed or its outputs are missing.  A stage
 * whose results another running stage reads in memory (the note reads the
 * portrait, the indicators, the maps, the survey, the sizing and the
 * budget) is computed again too, but writes nothing: its files stay as they
 * are.  The fetch stage, whose results are in the store, is left out when
 * its hash is the same. */
#ifndef TERRAIN_STAGES_H
#define TERRAIN_STAGES_H

#include <stdbool.h>

#include "../core/error.h"
#include "../core/sha256.h"
#include "pipeline.h"

enum stages_id {
	STAGES_FETCH,
	STAGES_PORTRAIT,
	STAGES_INDICATORS,
	STAGES_MAPS,
	STAGES_SURVEY,
	STAGES_SIZING,
	STAGES_BUDGET,
	STAGES_NOTE,
	STAGES_COUNT,
};

#define STAGES_FILE ".stages.sha256"

/* "fetch", "portrait", ... */
const char *stages_name(enum stages_id s);

/* What a run of the changed stages did. */
struct stages_report {
	bool changed[STAGES_COUNT];  /* its inputs changed (or its outputs were missing) */
	bool computed[STAGES_COUNT]; /* run, writing its outputs or not */
	bool written[STAGES_COUNT];  /* run and its outputs written */
};

/* Each stage's input hash for the opened pipeline pl (pipeline_open). */
enum status stages_hash(const struct pipeline *pl, char hex[STAGES_COUNT][SHA256_HEX_LEN + 1],
			struct error *err);

/* Run the stages of pl (opened) whose inputs changed since the last run
 * of this function on its outputs' folder, as above, then keep the new
 * hashes.  A stage that fails stops the run with its message: its hash
 * and the later ones are not kept (they run next time) and the files the
 * stages before it wrote stay.  rep may be NULL. */
enum status stages_run_changed(struct pipeline *pl, struct stages_report *rep, struct error *err);

#endif
