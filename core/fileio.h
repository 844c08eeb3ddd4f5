/* Files written whole or not at all. */
#ifndef TERRAIN_FILEIO_H
#define TERRAIN_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

/* Write len bytes to path through a temporary file in the same folder,
 * flushed and closed with errors checked, then renamed over path.  On any
 * failure the temporary file is removed and path is left as it was. */
enum status fileio_write_atomic(const char *path, const void *data, size_t len, struct error *err);

/* For a writer that needs a file name (a library that writes to a path):
 * fileio_temp_create makes a new empty file beside path, named
 * "PATH.tmp.PID.XXXXXX" by mkstemp (the X's are its pattern), with mode 0666 &
 * umask, its name in *tmp (reset first); fileio_temp_commit flushes it to
 * disk and renames it over path; fileio_temp_discard removes it.  After a
 * failed commit the temporary file is removed and path is as it was. */
enum status fileio_temp_create(const char *path, struct strbuf *tmp, struct error *err);
enum status fileio_temp_commit(const char *tmp, const char *path, struct error *err);
void fileio_temp_discard(const char *tmp);

/* A temporary file of a writer that is gone is removed once it is this old
 * (seconds): a pid seen from another machine or namespace proves nothing. */
#define FILEIO_STALE_SECONDS 600

/* Remove the temporary files of this naming ("ANY.tmp.PID.XXXXXX") in dir
 * whose writer is gone (no process PID) and that are older than
 * FILEIO_STALE_SECONDS, each logged at the info level
 * (-v); returns how many.  A live writer's file, or one of another user's
 * process, is kept.  The first temporary file a process makes in a folder
 * sweeps that folder, so that a run killed with -9 leaves nothing for
 * long. */
size_t fileio_temp_sweep(const char *dir);

/* Create the directory path and its missing parents (mode 0777 & umask);
 * an existing directory is fine. */
enum status fileio_mkdirs(const char *path, struct error *err);

/* Read path whole into *data (returned owned, free with free(), with a
 * terminating NUL not counted in *len).  Errors name the path. */
enum status fileio_read_all(const char *path, char **data, size_t *len, struct error *err);

/* The same with a cap: a file larger than cap bytes is TERRAIN_EDATA
 * ("PATH: larger than CAP bytes"), read no further; a file that does not
 * exist is TERRAIN_ENOTFOUND ("PATH: cannot open: ..."). */
enum status fileio_read_capped(const char *path, size_t cap, char **data, size_t *len,
			       struct error *err);

bool fileio_exists(const char *path);

#endif
