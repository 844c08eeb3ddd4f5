#include "studyform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/sha256.h"
#include "../core/xalloc.h"
#include "../ingest/csvread.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/studyedit.h"
#include "html.h"
#include "study.h"
#include "workspace.h"

void studyform_path(const struct web_request *rq, const char *name, struct strbuf *out)
{
	workspace_path(&rq->app->ws, rq->study_id, name, out);
}

static void field_name(struct strbuf *sb, char kind, const char *section, const char *key)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%c|%s|%s", kind, section, key);
}

static void hidden(struct strbuf *out, const char *name, const char *value)
{
	strbuf_addstr(out, "<input type=\"hidden\" name=\"");
	html_text(out, name);
	strbuf_addstr(out, "\" value=\"");
	html_text(out, value);
	strbuf_addstr(out, "\">");
}

void studyform_field(struct strbuf *out, const struct inifile *f, const char *section,
		     const char *key, const char *label, const char *hint, int rows)
{
	struct strbuf v = STRBUF_INIT, name = STRBUF_INIT;
	bool present = inifile_get(f, section, key, &v);
	field_name(&name, 'v', section, key);
	strbuf_addstr(out, "<div class=\"field\"><label>");
	html_text(out, label);
	strbuf_addstr(out, " <code>");
	html_text(out, key);
	strbuf_addstr(out, "</code>");
	if (rows > 1) {
		strbuf_addf(out, "<textarea rows=\"%d\" name=\"", rows);
		html_text(out, name.buf);
		strbuf_addstr(out, "\">");
		html_text(out, v.buf);
		strbuf_addstr(out, "</textarea>");
	} else {
		strbuf_addstr(out, "<input type=\"text\" name=\"");
		html_text(out, name.buf);
		strbuf_addstr(out, "\" value=\"");
		html_text(out, v.buf);
		strbuf_addstr(out, "\">");
	}
	strbuf_addstr(out, "</label>");
	field_name(&name, 'b', section, key);
	hidden(out, name.buf, v.buf);
	if (present) {
		field_name(&name, 'p', section, key);
		hidden(out, name.buf, "1");
	}
	if (hint && *hint) {
		strbuf_addstr(out, "<small class=\"hint\">");
		html_text(out, hint);
		strbuf_addstr(out, "</small>");
	}
	strbuf_addstr(out, "</div>\n");
	strbuf_release(&v);
	strbuf_release(&name);
}

/* A textarea's lines come back with CRLF: the file's values have LF, and
 * no blank line (it would end the value). */
static char *form_value(const char *s)
{
	char *v = xmalloc(strlen(s) + 1), *o = v;
	for (const char *p = s; *p; p++)
		if (*p != '\r')
			*o++ = *p;
	*o = '\0';
	/* blank lines and trailing blanks go */
	char *w = v;
	for (char *line = v; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		size_t lead = 0;
		while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		if (len > lead) {
			if (w > v)
				*w++ = '\n';
			memmove(w, line + lead, len - lead);
			w += len - lead;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	*w = '\0';
	return v;
}

enum status studyform_save(struct web_request *rq, struct studyedit_result *res, struct error *err)
{
	struct studyedit_field *f = xcalloc(rq->nform + 1, sizeof(*f));
	char **owned = xcalloc(3 * (rq->nform + 1), sizeof(*owned));
	size_t n = 0, nowned = 0;
	struct strbuf name = STRBUF_INIT, path = STRBUF_INIT;
	for (size_t i = 0; i < rq->nform; i++) {
		const char *fn = rq->form[i].name;
		if (strncmp(fn, "v|", 2))
			continue;
		const char *bar = strchr(fn + 2, '|');
		if (!bar || bar == fn + 2 || !bar[1])
			continue;
		char *section = xstrndup(fn + 2, (size_t)(bar - fn - 2));
		char *key = xstrdup(bar + 1);
		char *value = form_value(rq->form[i].value);
		owned[nowned++] = section;
		owned[nowned++] = key;
		owned[nowned++] = value;
		field_name(&name, 'p', section, key);
		bool present = web_form(rq, name.buf) != NULL;
		field_name(&name, 'b', section, key);
		const char *base = web_form(rq, name.buf);
		f[n++] = (struct studyedit_field){section, key, present ? (base ? base : "") : NULL,
						  *value ? value : NULL};
	}
	studyform_path(rq, "terrain.ini", &path);
	enum status st = studyedit_apply(path.buf, f, n, res, err);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(f);
	strbuf_release(&name);
	strbuf_release(&path);
	return st;
}

static void url_encode(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			strbuf_addch(out, (char)c);
		else
			strbuf_addf(out, "%%%02X", c);
	}
}

void studyform_redirect(struct web_response *rs, const char *page,
			const struct studyedit_result *res)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_addf(&q, "%s?saved=%zu", page, res->changed);
	if (res->nconflicts) {
		strbuf_addstr(&q, "&conflicts=");
		url_encode(&q, res->conflicts.buf);
	}
	web_redirect(rs, "%s", q.buf);
	strbuf_release(&q);
}

void studyform_notices(struct strbuf *out, const struct web_request *rq)
{
	const char *saved = web_query(rq, "saved"), *conflicts = web_query(rq, "conflicts");
	struct strbuf failed = STRBUF_INIT;
	if (conflicts && *conflicts) {
		strbuf_addstr(out, "<p class=\"notice conflict\" role=\"alert\">");
		html_text(out,
			  html_tr(rq,
				  "Ces champs ont été modifiés ailleurs (un autre onglet ?) "
				  "depuis l'affichage de la page : leur nouvelle valeur est "
				  "gardée, la vôtre n'est pas enregistrée : ",
				  "These fields were changed elsewhere (another tab?) since the "
				  "page was shown: their new value is kept, yours was not "
				  "saved: "));
		html_text(out, conflicts);
		strbuf_addstr(out, "</p>\n");
	}
	if (saved) {
		strbuf_addstr(out, "<p class=\"notice saved\">");
		html_text(out, html_tr(rq, "Enregistré.", "Saved."));
		strbuf_addstr(out, "</p>\n");
	}
	study_failure(rq, &failed);
	if (failed.len) {
		strbuf_addstr(out, "<p class=\"notice error\" role=\"alert\">");
		html_text(out, html_tr(rq,
				       "Le dernier calcul a échoué (les résultats affichés sont "
				       "ceux d'avant) : ",
				       "The last run failed (the results shown are the previous "
				       "ones): "));
		studyform_text(out, rq, failed.buf);
		strbuf_addstr(out, "</p>\n");
	}
	strbuf_release(&failed);
}

void studyform_text(struct strbuf *out, const struct web_request *rq, const char *s)
{
	struct strbuf dir = STRBUF_INIT, plain = STRBUF_INIT;
	studyform_path(rq, "", &dir); /* "WORKSPACE/ID/" */
	for (const char *p = s; *p;) {
		const char *hit = dir.len > 1 ? strstr(p, dir.buf) : NULL;
		if (!hit) {
			strbuf_addstr(&plain, p);
			break;
		}
		strbuf_add(&plain, p, (size_t)(hit - p));
		p = hit + dir.len;
	}
	html_text(out, plain.buf);
	strbuf_release(&dir);
	strbuf_release(&plain);
}

void studyform_rev(const struct web_request *rq, const char *name, char hex[65])
{
	struct strbuf path = STRBUF_INIT;
	studyform_path(rq, name, &path);
	if (sha256_file(path.buf, hex, NULL))
		hex[0] = '\0';
	strbuf_release(&path);
}

/* One row of cells from field from on. */
static void cells(struct strbuf *out, const char *tag, const struct csvrow *row, size_t from)
{
	strbuf_addstr(out, "<tr>");
	for (size_t i = from; i < row->n; i++) {
		strbuf_addf(out, "<%s>", tag);
		html_text(out, row->field[i]);
		strbuf_addf(out, "</%s>", tag);
	}
	strbuf_addstr(out, "</tr>\n");
}

void studyform_csv_html(struct strbuf *out, const char *name, const char *csv, size_t len,
			size_t max_rows, const char *id, const char *section, const char *title)
{
	struct error err = {0};
	struct csvread *r = NULL;
	struct csvread_opts o;
	csvread_opts_init(&o);
	o.delim = 0;
	o.strict_width = false;
	if (csvread_open_mem(&r, name, csv, len, &o, &err))
		return;
	const struct csvrow *h = csvread_header(r), *row;
	size_t from = section ? 1 : 0, n = 0;
	while (!csvread_next(r, &row, &err) && row && n < max_rows) {
		if (section && (!row->n || strcmp(row->field[0], section)))
			continue;
		if (!n++) {
			if (title) {
				strbuf_addstr(out, "<h3>");
				html_text(out, title);
				strbuf_addstr(out, "</h3>\n");
			}
			strbuf_addstr(out, "<div class=\"table-wrap\"><table");
			if (id) {
				strbuf_addstr(out, " id=\"");
				html_text(out, id);
				strbuf_addstr(out, "\"");
			}
			strbuf_addstr(out, "><thead>");
			cells(out, "th", h, from);
			strbuf_addstr(out, "</thead><tbody>\n");
		}
		cells(out, "td", row, from);
	}
	if (n)
		strbuf_addstr(out, "</tbody></table></div>\n");
	csvread_free(r);
}

void studyform_csv_table(struct strbuf *out, int dirfd, const char *rel, size_t max_rows,
			 const char *id)
{
	char *data = NULL;
	size_t len = 0;
	struct error err = {0};
	if (!study_read(dirfd, rel, 4u << 20, &data, &len, &err))
		studyform_csv_html(out, rel, data, len, max_rows, id, NULL, NULL);
	free(data);
}
