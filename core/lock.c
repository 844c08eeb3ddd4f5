#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

enum status lock_acquire(struct lock *l, const char *store_path, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	char old[128] = "";
	l->fd = -1;
	l->path = NULL;
	strbuf_addf(&path, "%s.lock", store_path);
	char *dir = xstrdup(store_path), *slash = strrchr(dir, '/');
	enum status made = TERRAIN_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		made = fileio_mkdirs(dir, err); /* the store's folder, as store_open does */
	}
	free(dir);
	if (made) {
		strbuf_release(&path);
		return made;
	}
	int fd = -1;
	for (;;) {
		fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			enum status st = error_set(err, TERRAIN_EIO, "%s: cannot open the lock: %s",
						   path.buf, strerror(errno));
			strbuf_release(&path);
			return st;
		}
		ssize_t n = pread(fd, old, sizeof(old) - 1, 0);
		old[n > 0 ? n : 0] = '\0';
		old[strcspn(old, "\n")] = '\0';
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			enum status st =
			    errno == EWOULDBLOCK
				? error_set(
				      err, TERRAIN_ELOCKED,
				      "%s is in use by process %s: another run is writing it; "
				      "try again later",
				      store_path, *old ? old : "(unknown)")
				: error_set(err, TERRAIN_EIO, "%s: cannot lock: %s", path.buf,
					    strerror(errno));
			close(fd);
			strbuf_release(&path);
			return st;
		}
		/* the holder may have released and removed the file between our
		 * open and our flock: then we hold a lock nobody else sees */
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path.buf, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			break;
		close(fd);
	}
	/* held: what is still written there is a run that died without its
	 * release (a normal release empties the file first) */
	ssize_t n = pread(fd, old, sizeof(old) - 1, 0);
	old[n > 0 ? n : 0] = '\0';
	old[strcspn(old, "\n")] = '\0';
	if (*old)
		log_warn("%s: the lock of process %s, which is not running any more, is taken over",
			 path.buf, old);
	char mine[128];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	int len =
	    snprintf(mine, sizeof(mine), "%ld (terrain, since %04d-%02d-%02dT%02d:%02d:%02dZ)\n",
		     (long)getpid(), tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec);
	if (ftruncate(fd, 0) != 0 || pwrite(fd, mine, (size_t)len, 0) != len)
		log_warn("%s: cannot write the lock holder: %s", path.buf, strerror(errno));
	l->fd = fd;
	l->path = strbuf_detach(&path);
	return TERRAIN_OK;
}

void lock_release(struct lock *l)
{
	if (l->fd < 0)
		return;
	/* empty it before unlocking: a reader never sees our pid after we go */
	if (ftruncate(l->fd, 0) != 0)
		log_warn("%s: cannot empty the lock: %s", l->path, strerror(errno));
	unlink(l->path);
	close(l->fd);
	free(l->path);
	l->fd = -1;
	l->path = NULL;
}
