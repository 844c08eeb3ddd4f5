#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

/* Is name one of our temporary files, "ANY.tmp.PID.XXXXXX"?  Its writer's
 * pid in *pid. */
static bool temp_name(const char *name, long *pid)
{
	const char *t = NULL;
	for (const char *p = strstr(name, ".tmp."); p; p = strstr(p + 1, ".tmp."))
		t = p; /* the last one */
	if (!t || t == name)
		return false;
	const char *d = t + 5, *e = d;
	while (*e >= '0' && *e <= '9')
		e++;
	if (e == d || e - d > 10 || *e != '.' || strlen(e + 1) != 6)
		return false;
	*pid = strtol(d, NULL, 10);
	return *pid > 0;
}

size_t fileio_temp_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	size_t removed = 0;
	if (!d)
		return 0;
	struct strbuf path = STRBUF_INIT;
	struct dirent *e;
	while ((e = readdir(d))) {
		long pid;
		if (!temp_name(e->d_name, &pid) || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* alive, or another user's: not ours to judge */
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, e->d_name);
		/* and old: a pid of another machine (NFS) or namespace says
		 * nothing here, and no write takes ten minutes */
		struct stat sb;
		if (lstat(path.buf, &sb) || !S_ISREG(sb.st_mode) ||
		    time(NULL) - sb.st_mtime < FILEIO_STALE_SECONDS)
			continue;
		if (unlink(path.buf) == 0) {
			log_info("removed %s, left by process %ld, which is gone", path.buf, pid);
			removed++;
		}
	}
	closedir(d);
	strbuf_release(&path);
	return removed;
}

/* Sweep path's folder once in the process's life: a folder of many cache
 * entries is not read again at each write. */
static void sweep_once(const char *path)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char **seen;
	static size_t nseen, alloc;
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		strbuf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	else
		strbuf_addstr(&dir, ".");
	pthread_mutex_lock(&lock);
	bool done = false;
	for (size_t i = 0; i < nseen && !done; i++)
		done = !strcmp(seen[i], dir.buf);
	if (!done) {
		ALLOC_GROW(seen, nseen + 1, alloc);
		seen[nseen++] = xstrdup(dir.buf);
	}
	pthread_mutex_unlock(&lock);
	if (!done)
		fileio_temp_sweep(dir.buf);
	strbuf_release(&dir);
}

/* mkstemp beside path, the file's mode as open(2) would give it. */
static int temp_open(const char *path, struct strbuf *tmp, struct error *err, enum status *st)
{
	/* A unique name: a file left by a crashed run (whose pid may come
	 * back) never blocks a later write; the pid in the name tells a
	 * later run that its writer is gone (fileio_temp_sweep). */
	sweep_once(path);
	strbuf_reset(tmp);
	strbuf_addf(tmp, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
	int fd = mkstemp(tmp->buf);
	if (fd < 0) {
		*st =
		    error_set(err, TERRAIN_EIO, "%s: cannot create a temporary file beside it: %s",
			      path, strerror(errno));
		strbuf_reset(tmp); /* nothing to remove */
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) /* mkstemp makes it 0600 */
		*st = error_set(err, TERRAIN_EIO, "%s: cannot set its mode: %s", tmp->buf,
				strerror(errno));
	return fd;
}

static enum status rename_into_place(const char *tmp, const char *path, struct error *err)
{
	if (rename(tmp, path) != 0)
		return error_set(err, TERRAIN_EIO, "%s: cannot rename into place: %s", path,
				 strerror(errno));
	return TERRAIN_OK;
}

enum status fileio_write_atomic(const char *path, const void *data, size_t len, struct error *err)
{
	struct strbuf tmp = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	int fd = temp_open(path, &tmp, err, &st);
	if (fd < 0)
		goto out;
	const char *p = data;
	size_t left = len;
	while (left && !st) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			st = error_set(err, TERRAIN_EIO, "%s: cannot write: %s", tmp.buf,
				       strerror(errno));
		else
			p += n, left -= (size_t)n;
	}
	if (!st && fsync(fd) != 0)
		st = error_set(err, TERRAIN_EIO, "%s: cannot write: %s", tmp.buf, strerror(errno));
	if (close(fd) != 0 && !st)
		st = error_set(err, TERRAIN_EIO, "%s: cannot write: %s", tmp.buf, strerror(errno));
	if (!st)
		st = rename_into_place(tmp.buf, path, err);
	if (st)
		unlink(tmp.buf); /* the old file, if any, is untouched */
out:
	strbuf_release(&tmp);
	return st;
}

enum status fileio_temp_create(const char *path, struct strbuf *tmp, struct error *err)
{
	enum status st = TERRAIN_OK;
	int fd = temp_open(path, tmp, err, &st);
	if (fd < 0)
		return st;
	if (close(fd) != 0 && !st)
		st = error_set(err, TERRAIN_EIO, "%s: cannot close: %s", tmp->buf, strerror(errno));
	if (st) {
		unlink(tmp->buf);
		strbuf_reset(tmp);
	}
	return st;
}

enum status fileio_temp_commit(const char *tmp, const char *path, struct error *err)
{
	enum status st = TERRAIN_OK;
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		st = error_set(err, TERRAIN_EIO, "%s: cannot open: %s", tmp, strerror(errno));
	else if (fsync(fd) != 0)
		st = error_set(err, TERRAIN_EIO, "%s: cannot write: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (!st)
		st = rename_into_place(tmp, path, err);
	if (st)
		unlink(tmp);
	return st;
}

void fileio_temp_discard(const char *tmp)
{
	if (tmp && *tmp)
		unlink(tmp);
}

enum status fileio_mkdirs(const char *path, struct error *err)
{
	if (!*path)
		return error_set(err, TERRAIN_EUSAGE, "empty directory name");
	char *p = xstrdup(path);
	enum status st = TERRAIN_OK;
	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			st = error_set(err, TERRAIN_EIO, "%s: cannot create directory: %s", p,
				       strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	struct stat sb;
	if (!st && (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		st = error_set(err, TERRAIN_EIO, "%s: exists and is not a directory", path);
	free(p);
	return st;
}

bool fileio_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

enum status fileio_read_capped(const char *path, size_t cap, char **data, size_t *len,
			       struct error *err)
{
	*data = NULL;
	*len = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return error_set(err, errno == ENOENT ? TERRAIN_ENOTFOUND : TERRAIN_EIO,
				 "%s: cannot open: %s", path, strerror(errno));
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	bool big = false;
	while (!big && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		big = n > cap - sb.len;
		if (!big)
			strbuf_add(&sb, buf, n);
	}
	bool bad = ferror(fp);
	fclose(fp);
	if (bad || big) {
		strbuf_release(&sb);
		if (big)
			return error_set(err, TERRAIN_EDATA, "%s: larger than %zu bytes", path,
					 cap);
		return error_set(err, TERRAIN_EIO, "%s: cannot read: %s", path, strerror(errno));
	}
	*len = sb.len;
	*data = strbuf_detach(&sb);
	return TERRAIN_OK;
}

enum status fileio_read_all(const char *path, char **data, size_t *len, struct error *err)
{
	enum status st = fileio_read_capped(path, SIZE_MAX, data, len, err);
	return st == TERRAIN_ENOTFOUND ? TERRAIN_EIO : st; /* as it always said */
}
