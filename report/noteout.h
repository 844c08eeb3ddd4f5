/* The note's files and the run's manifest, as terrain run writes them. */
#ifndef TERRAIN_NOTEOUT_H
#define TERRAIN_NOTEOUT_H

#include "../core/error.h"
#include "../core/project.h"
#include "../core/provenance.h"
#include "note.h"

/* The note in dir: the charts (without gnuplot, a warning and the note
 * without them), note{suffix}.md, .html, .odt and tables{suffix}.xlsx, each
 * written whole.  in->charts is set while the files are written, then
 * cleared. */
enum status noteout_write(const char *dir, struct note_input *in, struct error *err);

/* dir/manifest.json: the terrain version, date (the note's), the project
 * file p and the files it names ([survey], [offer]) with their sha256, the
 * bundled files (prov[0..nprov), relative to datadir) with their sha256 and
 * vintages, and the sha256 of every file under dir: the same inputs give
 * the same outputs, and a changed output shows which input moved. */
enum status noteout_manifest(const char *dir, const struct project *p, const char *datadir,
			     const struct provenance *prov, size_t nprov, const char *date,
			     struct error *err);

#endif
