#include "studyedit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/project.h"
#include "../core/xalloc.h"

void studyedit_result_release(struct studyedit_result *r)
{
	strbuf_release(&r->conflicts);
	memset(r, 0, sizeof(*r));
}

enum status studyedit_read(const char *path, struct inifile *f, struct error *err)
{
	char *data = NULL;
	size_t len = 0;
	memset(f, 0, sizeof(*f));
	enum status st = fileio_read_capped(path, STUDYEDIT_MAX_BYTES, &data, &len, err);
	if (!st)
		inifile_parse(f, data, len);
	free(data);
	return st;
}

/* An exclusive lock on the folder holding path: open descriptor, or -1 with
 * err set. */
static int lock_folder(const char *path, struct error *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + (slash == path))) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		error_set(err, TERRAIN_EIO, "%s: cannot open: %s", dir, strerror(errno));
	} else {
		while (flock(fd, LOCK_EX) < 0) {
			if (errno == EINTR)
				continue;
			error_set(err, TERRAIN_EIO, "%s: cannot lock: %s", dir, strerror(errno));
			close(fd);
			fd = -1;
			break;
		}
	}
	free(dir);
	return fd;
}

static bool same_value(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Does the text load as a project?  The loader's message otherwise. */
static enum status check_loads(const char *path, const struct strbuf *text, struct error *err)
{
	static char newline[] = "\n"; /* fmemopen refuses a size of 0 */
	struct project p;
	FILE *fp = fmemopen(text->len ? text->buf : newline, text->len ? text->len : 1, "r");
	if (!fp)
		return error_set(err, TERRAIN_EIO, "%s: fmemopen: %s", path, strerror(errno));
	enum status st = project_load_file(&p, path, fp, err);
	fclose(fp);
	if (!st)
		project_release(&p);
	return st;
}

enum status studyedit_apply(const char *path, const struct studyedit_field *f, size_t n,
			    struct studyedit_result *res, struct error *err)
{
	struct inifile ini = {0};
	struct strbuf now = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT,
		      why = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	memset(res, 0, sizeof(*res));
	res->conflicts = (struct strbuf)STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (f[i].key && f[i].value && !inifile_value_ok(f[i].value, &why)) {
			st = error_set(err, TERRAIN_EDATA, "[%s] %s: %s", f[i].section, f[i].key,
				       why.buf);
			strbuf_release(&why);
			return st;
		}
	int lock = lock_folder(path, err);
	if (lock < 0)
		return err ? err->status : TERRAIN_EIO;
	if ((st = studyedit_read(path, &ini, err)))
		goto out;
	inifile_write(&ini, &before);
	for (size_t i = 0; i < n; i++) {
		const struct studyedit_field *x = &f[i];
		if (!x->key) {
			if (x->value)
				inifile_add_section(&ini, x->section);
			else
				inifile_remove_section(&ini, x->section);
			continue;
		}
		bool present = inifile_get(&ini, x->section, x->key, &now);
		const char *cur = present ? now.buf : NULL;
		if (same_value(cur, x->value))
			continue; /* nothing to do, whoever wrote it */
		if (!same_value(cur, x->base)) {
			strbuf_addf(&res->conflicts, "%s[%s] %s", res->nconflicts ? ", " : "",
				    x->section, x->key);
			res->nconflicts++;
			continue;
		}
		if (x->value)
			inifile_set(&ini, x->section, x->key, x->value);
		else
			inifile_unset(&ini, x->section, x->key);
		res->changed++;
	}
	inifile_write(&ini, &after);
	if (after.len == before.len && !memcmp(after.buf, before.buf, after.len))
		goto out;
	if ((st = check_loads(path, &after, err)) ||
	    (st = fileio_write_atomic(path, after.buf, after.len, err)))
		goto out;
out:
	close(lock); /* drops the flock */
	inifile_release(&ini);
	strbuf_release(&now);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&why);
	return st;
}
