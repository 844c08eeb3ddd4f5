#include "inifile.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

/* The length of s without a final CR. */
static size_t text_len(const char *s)
{
	size_t n = strlen(s);
	return n && s[n - 1] == '\r' ? n - 1 : n;
}

/* The end of a value: an inline comment (a ';' after a blank) or the end,
 * then back over blanks. */
static const char *value_end(const char *s, const char *end)
{
	for (const char *p = s; p < end; p++)
		if (*p == ';' && p > s && is_blank(p[-1])) {
			end = p;
			break;
		}
	while (end > s && is_blank(end[-1]))
		end--;
	return end;
}

/* The kind and name of every line, again after each edit. */
static void classify(struct inifile *f)
{
	const char *section = NULL;
	bool has_key = false;
	for (size_t i = 0; i < f->n; i++) {
		struct inifile_line *l = &f->line[i];
		free(l->name);
		l->name = NULL;
		l->kind = INIFILE_OTHER;
		const char *t = l->text;
		if (i == 0 && !strncmp(t, "\xEF\xBB\xBF", 3))
			t += 3;
		size_t len = text_len(t);
		const char *s = skip_blanks(t), *end = t + len;
		if (s >= end || *s == ';' || *s == '#') {
			l->section = section;
			continue;
		}
		if (s > t && has_key) {
			l->kind = INIFILE_CONT;
			l->section = section;
			continue;
		}
		if (*s == '[') {
			const char *close = memchr(s, ']', (size_t)(end - s));
			if (close) {
				const char *a = skip_blanks(s + 1), *b = close;
				while (b > a && is_blank(b[-1]))
					b--;
				l->kind = INIFILE_SECTION;
				l->name = xstrndup(a, (size_t)(b - a));
				section = l->name;
				has_key = false;
			}
			l->section = section;
			continue;
		}
		l->section = section;
		const char *sep = s;
		while (sep < end && *sep != '=' && *sep != ':')
			sep++;
		if (sep == end)
			continue;
		const char *b = sep;
		while (b > s && is_blank(b[-1]))
			b--;
		l->kind = INIFILE_KEY;
		l->name = xstrndup(s, (size_t)(b - s));
		has_key = true;
	}
}

static bool line_blank(const struct inifile_line *l)
{
	const char *s = skip_blanks(l->text);
	return !*s || !strcmp(s, "\r");
}

static void push_line(struct inifile *f, size_t at, const char *text, size_t len)
{
	ALLOC_GROW(f->line, f->n + 1, f->alloc);
	memmove(&f->line[at + 1], &f->line[at], (f->n - at) * sizeof(*f->line));
	f->line[at] = (struct inifile_line){xstrndup(text, len), NULL, NULL, INIFILE_OTHER};
	f->n++;
}

static void drop_lines(struct inifile *f, size_t at, size_t count)
{
	if (!count) /* an empty file has no array at all */
		return;
	for (size_t i = at; i < at + count; i++) {
		free(f->line[i].text);
		free(f->line[i].name);
	}
	memmove(&f->line[at], &f->line[at + count], (f->n - at - count) * sizeof(*f->line));
	f->n -= count;
}

void inifile_parse(struct inifile *f, const char *text, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->final_newline = true;
	size_t start = 0;
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		push_line(f, f->n, text + start, end - start);
		if (f->n == 1)
			f->crlf = end > start && text[end - 1] == '\r';
		f->final_newline = nl != NULL;
		start = end + 1;
	}
	classify(f);
}

void inifile_release(struct inifile *f)
{
	drop_lines(f, 0, f->n);
	free(f->line);
	memset(f, 0, sizeof(*f));
}

void inifile_write(const struct inifile *f, struct strbuf *out)
{
	for (size_t i = 0; i < f->n; i++) {
		strbuf_addstr(out, f->line[i].text);
		if (i + 1 < f->n || f->final_newline)
			strbuf_addch(out, '\n');
	}
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The line of key in section, or f->n. */
static size_t find_key(const struct inifile *f, const char *section, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->line[i].kind == INIFILE_KEY && same(f->line[i].section, section) &&
		    same(f->line[i].name, key))
			return i;
	return f->n;
}

/* The lines after a key's that continue it (comments among them do not
 * end it, as for libinih: they are skipped). */
static size_t key_extent(const struct inifile *f, size_t at)
{
	size_t last = at;
	for (size_t i = at + 1; i < f->n; i++) {
		if (f->line[i].kind == INIFILE_CONT)
			last = i;
		else if (f->line[i].kind != INIFILE_OTHER)
			break;
	}
	return last - at + 1;
}

static size_t find_section(const struct inifile *f, const char *section)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->line[i].kind == INIFILE_SECTION && same(f->line[i].name, section))
			return i;
	return f->n;
}

bool inifile_has_section(const struct inifile *f, const char *section)
{
	return find_section(f, section) < f->n;
}

bool inifile_get(const struct inifile *f, const char *section, const char *key,
		 struct strbuf *value)
{
	strbuf_reset(value);
	size_t at = find_key(f, section, key);
	if (at == f->n)
		return false;
	size_t n = key_extent(f, at);
	for (size_t i = at; i < at + n; i++) {
		const struct inifile_line *l = &f->line[i];
		if (l->kind == INIFILE_OTHER)
			continue;
		const char *t = l->text, *end = t + text_len(t), *s;
		if (l->kind == INIFILE_KEY) {
			s = skip_blanks(t);
			while (*s != '=' && *s != ':')
				s++;
			s = skip_blanks(s + 1);
		} else {
			s = skip_blanks(t);
		}
		const char *e = value_end(s, end);
		if (i > at)
			strbuf_addch(value, '\n');
		strbuf_add(value, s, (size_t)(e - s));
	}
	return true;
}

bool inifile_value_ok(const char *value, struct strbuf *why)
{
	size_t lineno = 1;
	for (const char *p = value; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n') {
			lineno++;
			const char *s = skip_blanks(p + 1);
			if (!*s || *s == '\n' || *s == '[' || *s == ';' || *s == '#') {
				strbuf_addf(why,
					    "line %zu of the value is empty or starts with '%c' "
					    "(the project file would read it as %s)",
					    lineno, *s && *s != '\n' ? *s : ' ',
					    *s == '[' ? "a section" : "the end of the value");
				return false;
			}
			continue;
		}
		if (c < 0x20 && c != '\t') {
			strbuf_addf(why, "control character 0x%02X (expected text)", c);
			return false;
		}
		if (c == ';' && p > value && is_blank(p[-1])) {
			strbuf_addstr(why,
				      "a ';' after a blank would start a comment in the project "
				      "file (write it without the blank)");
			return false;
		}
	}
	return true;
}

static void add_value_lines(struct inifile *f, size_t at, const char *key, const char *value,
			    const char *comment)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = value;
	bool first = true;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		strbuf_reset(&sb);
		if (first)
			strbuf_addf(&sb, "%s = ", key);
		else
			strbuf_addstr(&sb, "    ");
		const char *b = s;
		if (!first)
			b = skip_blanks(b);
		strbuf_add(&sb, b, len - (size_t)(b - s));
		if (first && comment)
			strbuf_addf(&sb, " %s", comment);
		if (f->crlf)
			strbuf_addch(&sb, '\r');
		push_line(f, at++, sb.buf, sb.len);
		first = false;
		if (!nl)
			break;
		s = nl + 1;
	}
	strbuf_release(&sb);
}

static void add_plain_line(struct inifile *f, size_t at, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, text);
	if (f->crlf)
		strbuf_addch(&sb, '\r');
	push_line(f, at, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* Where a new section's header goes: the end, after a blank line. */
static size_t append_section(struct inifile *f, const char *section)
{
	if (!f->final_newline && f->n) /* the last line gets its line end */
		f->final_newline = true;
	if (f->n && !line_blank(&f->line[f->n - 1]))
		add_plain_line(f, f->n, "");
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "[%s]", section);
	add_plain_line(f, f->n, sb.buf);
	strbuf_release(&sb);
	f->final_newline = true;
	return f->n - 1;
}

void inifile_set(struct inifile *f, const char *section, const char *key, const char *value)
{
	size_t at = find_key(f, section, key);
	if (at < f->n) {
		/* keep the comment after the first line's value */
		char *comment = NULL;
		const char *t = f->line[at].text, *end = t + text_len(t);
		const char *s = skip_blanks(t);
		while (*s != '=' && *s != ':')
			s++;
		s = skip_blanks(s + 1);
		const char *e = value_end(s, end), *c = e;
		while (c < end && is_blank(*c))
			c++;
		if (c < end && *c == ';')
			comment = xstrndup(c, (size_t)(end - c));
		size_t n = key_extent(f, at);
		/* comments among the continuation lines stay, after the value */
		char **kept = xmallocarray(n, sizeof(*kept));
		size_t nkept = 0;
		for (size_t i = at + 1; i < at + n; i++)
			if (f->line[i].kind == INIFILE_OTHER)
				kept[nkept++] = xstrdup(f->line[i].text);
		if (at + n == f->n) /* the last line: it gets a line end */
			f->final_newline = true;
		drop_lines(f, at, n);
		size_t before = f->n;
		add_value_lines(f, at, key, value, comment);
		for (size_t k = 0; k < nkept; k++) {
			push_line(f, at + (f->n - before), kept[k], strlen(kept[k]));
			free(kept[k]);
		}
		free(kept);
		free(comment);
		classify(f);
		return;
	}
	size_t sec = find_section(f, section);
	if (sec == f->n) {
		sec = append_section(f, section);
		classify(f);
	}
	/* after the section's last key (or its header) */
	size_t after = sec;
	for (size_t i = sec + 1; i < f->n && f->line[i].kind != INIFILE_SECTION; i++)
		if (f->line[i].kind == INIFILE_KEY || f->line[i].kind == INIFILE_CONT)
			after = i;
	if (after == f->n - 1 && !f->final_newline)
		f->final_newline = true;
	add_value_lines(f, after + 1, key, value, NULL);
	classify(f);
}

bool inifile_unset(struct inifile *f, const char *section, const char *key)
{
	size_t at = find_key(f, section, key);
	if (at == f->n)
		return false;
	size_t n = key_extent(f, at);
	/* the comments among its continuation lines stay */
	for (size_t i = at + n; i-- > at;)
		if (i == at || f->line[i].kind == INIFILE_CONT)
			drop_lines(f, i, 1);
	classify(f);
	return true;
}

void inifile_add_section(struct inifile *f, const char *section)
{
	if (find_section(f, section) < f->n)
		return;
	append_section(f, section);
	classify(f);
}

bool inifile_remove_section(struct inifile *f, const char *section)
{
	size_t at = find_section(f, section);
	if (at == f->n)
		return false;
	size_t end = at + 1;
	while (end < f->n && f->line[end].kind != INIFILE_SECTION)
		end++;
	if (end < f->n) /* the comments and blanks just before the next header stay */
		while (end > at + 1 && f->line[end - 1].kind == INIFILE_OTHER)
			end--;
	drop_lines(f, at, end - at);
	/* no blank line left doubled where the section was, nor at the end */
	if (at > 0 && at < f->n && line_blank(&f->line[at]) && line_blank(&f->line[at - 1]))
		drop_lines(f, at, 1);
	while (at == f->n && at > 0 && line_blank(&f->line[at - 1]))
		drop_lines(f, --at, 1);
	classify(f);
	return true;
}

size_t inifile_sections(const struct inifile *f, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (f->line[i].kind != INIFILE_SECTION)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(names[k], f->line[i].name);
		if (!seen && n < max)
			names[n++] = f->line[i].name;
	}
	return n;
}
