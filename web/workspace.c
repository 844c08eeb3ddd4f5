/* The workspace: the studies' folders, reached through the listing only
 * (workspace.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "workspace.h"

void workspace_default(struct strbuf *out)
{
	struct stat st;
	if (stat("terrain-studies", &st) == 0 && S_ISDIR(st.st_mode)) {
		strbuf_addstr(out, "terrain-studies");
		return;
	}
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		strbuf_addf(out, "%s/terrain/studies", xdg);
	else if (home && *home)
		strbuf_addf(out, "%s/.local/share/terrain/studies", home);
	else
		strbuf_addstr(out, "terrain-studies");
}

enum status workspace_open(struct web_workspace *ws, const char *path, struct error *err)
{
	enum status st;
	ws->fd = -1;
	ws->path = NULL;
	if ((st = fileio_mkdirs(path, err)))
		return st;
	ws->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ws->fd < 0)
		return error_set(err, TERRAIN_EIO, "%s: cannot open the workspace: %s", path,
				 strerror(errno));
	ws->path = xstrdup(path);
	return TERRAIN_OK;
}

void workspace_close(struct web_workspace *ws)
{
	if (ws->fd >= 0)
		close(ws->fd);
	free(ws->path);
	ws->fd = -1;
	ws->path = NULL;
}

bool workspace_id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
			return false;
	return n >= 1 && n <= WORKSPACE_ID_MAX;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is name a study folder of the workspace (a directory, not a link)? */
static bool is_study(int fd, const char *name)
{
	struct stat st;
	return workspace_id_ok(name) && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

enum status workspace_list(const struct web_workspace *ws, char ***ids, size_t *n,
			   struct error *err)
{
	*ids = NULL;
	*n = 0;
	/* a descriptor of its own: dup()'s would share the reading position
	 * with the other threads listing the workspace */
	int fd = openat(ws->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return error_set(err, TERRAIN_EIO, "%s: cannot list the workspace: %s", ws->path,
				 strerror(errno));
	}
	size_t alloc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_study(ws->fd, e->d_name))
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			*ids = xrealloc(*ids, alloc * sizeof(**ids));
		}
		(*ids)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*ids, *n, sizeof(**ids), cmp_str);
	return TERRAIN_OK;
}

void workspace_list_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

enum status workspace_study_open(const struct web_workspace *ws, const char *id, int *fd,
				 struct error *err)
{
	char **ids;
	size_t n;
	enum status st;
	*fd = -1;
	if (!workspace_id_ok(id))
		return error_set(err, TERRAIN_ENOTFOUND, "no study \"%.80s\"", id);
	if ((st = workspace_list(ws, &ids, &n, err)))
		return st;
	bool found = n && bsearch(&id, ids, n, sizeof(*ids), cmp_str) != NULL;
	workspace_list_free(ids, n);
	if (!found)
		return error_set(err, TERRAIN_ENOTFOUND, "no study \"%s\"", id);
	*fd = openat(ws->fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return error_set(err, TERRAIN_EIO, "%s/%s: cannot open: %s", ws->path, id,
				 strerror(errno));
	return TERRAIN_OK;
}

enum status workspace_new_id(const struct web_workspace *ws, const char *text, struct strbuf *out,
			     struct error *err)
{
	struct strbuf f = STRBUF_INIT;
	text_fold(text, &f);
	strbuf_reset(out);
	for (size_t i = 0; i < f.len && out->len < 48; i++) {
		char c = f.buf[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			strbuf_addch(out, c);
		else if (out->len && out->buf[out->len - 1] != '-')
			strbuf_addch(out, '-');
	}
	strbuf_release(&f);
	while (out->len && out->buf[out->len - 1] == '-')
		strbuf_setlen(out, out->len - 1);
	if (!out->len)
		strbuf_addstr(out, "etude");
	size_t base = out->len;
	struct stat st;
	for (unsigned k = 2; fstatat(ws->fd, out->buf, &st, AT_SYMLINK_NOFOLLOW) == 0; k++) {
		if (k > 9999)
			return error_set(err, TERRAIN_EDATA, "too many studies named \"%s\"",
					 out->buf);
		strbuf_setlen(out, base);
		strbuf_addf(out, "-%u", k);
	}
	return TERRAIN_OK;
}

enum status workspace_create(const struct web_workspace *ws, const char *id,
			     const struct strbuf *text, struct error *err)
{
	if (!workspace_id_ok(id))
		return error_set(err, TERRAIN_EUSAGE, "bad study id \"%.80s\"", id);
	if (mkdirat(ws->fd, id, 0777) != 0)
		return error_set(err, TERRAIN_EIO, "%s/%s: cannot create the study: %s", ws->path,
				 id, strerror(errno));
	struct strbuf path = STRBUF_INIT;
	workspace_path(ws, id, "terrain.ini", &path);
	enum status st = fileio_write_atomic(path.buf, text->buf, text->len, err);
	if (st)
		unlinkat(ws->fd, id, AT_REMOVEDIR);
	strbuf_release(&path);
	return st;
}

void workspace_path(const struct web_workspace *ws, const char *id, const char *name,
		    struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s/%s", ws->path, id, name);
}

int workspace_openat(int dirfd, const char *rel, int flags, struct error *err)
{
	if (!*rel || rel[0] == '/') {
		error_set(err, TERRAIN_ENOTFOUND, "%s: not a path inside the study", rel);
		return -1;
	}
	int cur = dirfd;
	const char *p = rel;
	for (;;) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char name[256];
		if (!l || l >= sizeof(name) || (l == 1 && p[0] == '.') ||
		    (l == 2 && p[0] == '.' && p[1] == '.')) {
			if (cur != dirfd)
				close(cur);
			error_set(err, TERRAIN_ENOTFOUND, "%s: not a path inside the study", rel);
			return -1;
		}
		memcpy(name, p, l);
		name[l] = 0;
		int f = e ? O_RDONLY | O_DIRECTORY : flags;
		int fd = openat(cur, name, f | O_NOFOLLOW | O_CLOEXEC, 0666);
		int saved = errno;
		if (cur != dirfd)
			close(cur);
		if (fd < 0) {
			error_set(err, saved == ENOENT ? TERRAIN_ENOTFOUND : TERRAIN_EIO,
				  "%s: cannot open: %s", rel, strerror(saved));
			return -1;
		}
		if (!e)
			return fd;
		cur = fd;
		p = e + 1;
	}
}
