/* Files written whole or not at all. */
#ifndef TERRAIN_FILEIO_H
#define TERRAIN_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Write len bytes to path through a temporary file in the same folder,
 * flushed and closed with errors checked, then renamed over path.  On any
 * failure the temporary file is removed and path is left as it was. */
enum status fileio_write_atomic(const char *path, const void *data, size_t len, struct error *err);

/* Create the directory path and its missing parents (mode 0777 & umask);
 * an existing directory is fine. */
enum status fileio_mkdirs(const char *path, struct error *err);

/* Read path whole into *data (returned owned, free with free(), with a
 * terminating NUL not counted in *len).  Errors name the path. */
enum status fileio_read_all(const char *path, char **data, size_t *len, struct error *err);

bool fileio_exists(const char *path);

#endif
