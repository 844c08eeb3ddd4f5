#include "upload.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csvread.h"

void upload_limits_init(struct upload_limits *l)
{
	l->max_bytes = UPLOAD_MAX_BYTES;
	l->max_rows = UPLOAD_MAX_ROWS;
	l->max_cols = UPLOAD_MAX_COLS;
	l->max_field = UPLOAD_MAX_FIELD;
}

/* The reader's messages name the temporary file: name the user's. */
static void rename_in_message(struct error *err, const char *path, const char *name)
{
	if (!err)
		return;
	size_t n = strlen(path);
	if (strncmp(err->msg, path, n))
		return;
	char rest[ERROR_MSG_MAX];
	snprintf(rest, sizeof(rest), "%s", err->msg + n);
	snprintf(err->msg, sizeof(err->msg), "%s%s", name, rest);
}

enum status upload_check_csv(const char *path, const char *name, const struct upload_limits *l,
			     struct upload_info *info, struct error *err)
{
	struct upload_info dummy;
	struct csvread *r = NULL;
	struct csvread_opts o;
	struct stat stb;
	enum status st = TERRAIN_OK;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if (stat(path, &stb) < 0)
		return error_set(err, TERRAIN_EIO, "%s: cannot open: %s", name, strerror(errno));
	info->bytes = (size_t)stb.st_size;
	if ((size_t)stb.st_size > l->max_bytes)
		return error_set(err, TERRAIN_EDATA,
				 "%s: %zu bytes is over the limit of an upload (%zu bytes)", name,
				 info->bytes, l->max_bytes);
	/* as the survey commands read an export (surveydesc.c, surveyfile.c) */
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	o.comments = true;
	o.strict_width = false;
	o.max_fields = l->max_cols;
	o.max_field = l->max_field;
	o.max_row = 16 * l->max_field;
	if ((st = csvread_open(&r, path, &o, err)))
		goto out;
	info->cols = csvread_header(r)->n;
	const struct csvrow *row;
	while (!(st = csvread_next(r, &row, err)) && row) {
		if (++info->rows > l->max_rows) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: more than %zu rows (the limit of an upload)", path,
				       row->line, l->max_rows);
			break;
		}
	}
	snprintf(info->encoding, sizeof(info->encoding), "%s", csvread_encoding_name(r));
	info->delim = csvread_delim(r);
out:
	if (st)
		rename_in_message(err, path, name);
	csvread_free(r);
	return st;
}

static int name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

void upload_safe_name(const char *sent, const char *ext, struct strbuf *out)
{
	const char *base = sent ? sent : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	/* the extension the browser sent goes: ext is the one kept */
	const char *end = strrchr(base, '.');
	if (!end || end == base)
		end = base + strlen(base);
	size_t start = out->len, kept = 0;
	for (const char *p = base; p < end && kept < 48; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x80) { /* a UTF-8 sequence: one '_' */
			while (p + 1 < end && ((unsigned char)p[1] & 0xC0) == 0x80)
				p++;
		}
		strbuf_addch(out, name_char(c) ? (char)c : '_');
		kept++;
	}
	/* nothing but separators and dots: a plain name */
	bool any = false;
	for (size_t i = start; i < out->len && !any; i++)
		any = out->buf[i] != '_';
	if (!any) {
		strbuf_setlen(out, start);
		strbuf_addstr(out, "upload");
	}
	strbuf_addstr(out, ext);
}
