/* A lock on the store, so that two unattended runs never write it at the
 * same time: the file STORE.lock, held with flock(2) while the run lasts
 * and holding the holder's process id and start time.  The kernel drops
 * the flock when the process dies, even by kill -9, so a lock file left
 * behind is stale by construction: the next run takes it over and says so. */
#ifndef TERRAIN_LOCK_H
#define TERRAIN_LOCK_H

#include "error.h"

struct lock {
	int fd; /* -1 when not held */
	char *path;
};

/* Take the lock of the store at store_path.  TERRAIN_ELOCKED when another
 * process holds it: "STORE is in use by process PID (terrain, since
 * TIME): another run is writing it; try again later".  A lock file whose
 * process is gone is taken over with a warning. */
enum status lock_acquire(struct lock *l, const char *store_path, struct error *err);

/* Release and remove the lock file (nothing when not held). */
void lock_release(struct lock *l);

#endif
