/* The project file as text, for editing that keeps what the user wrote:
 * comments, blank lines, the order of sections and keys, indentation and
 * line ends.  Only the lines of a key that is set or unset change.
 *
 * The lines are read as core/project.c and libinih read them: "[name]"
 * opens a section; "key = value" (the first '=' or ':') sets a key; an
 * indented line after a key continues its value; a line starting with ';'
 * or '#' is a comment; " ;" (a ';' after a blank) starts an inline comment.
 * Nothing here fails: a line that is none of these is kept as it is, and
 * project_load says what is wrong with it. */
#ifndef TERRAIN_INIFILE_H
#define TERRAIN_INIFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum inifile_kind {
	INIFILE_OTHER,	 /* blank, comment, or a line project_load refuses */
	INIFILE_SECTION, /* "[name]" */
	INIFILE_KEY,	 /* "key = value" */
	INIFILE_CONT,	 /* an indented line continuing the key above */
};

struct inifile_line {
	char *text;	     /* owned: the line without its LF (a CR kept) */
	char *name;	     /* owned: the section's or the key's name; NULL otherwise */
	const char *section; /* borrowed from the section line above (NULL before any) */
	enum inifile_kind kind;
};

struct inifile {
	struct inifile_line *line;
	size_t n, alloc;
	bool crlf;	    /* new lines end with CRLF (the first line did) */
	bool final_newline; /* the text ended with a line end (or was empty) */
};

/* Split len bytes of text into f (initialised here; release with
 * inifile_release). */
void inifile_parse(struct inifile *f, const char *text, size_t len);
void inifile_release(struct inifile *f);

/* The text again: byte for byte what was parsed when nothing was edited. */
void inifile_write(const struct inifile *f, struct strbuf *out);

/* The value of key in section as project_load reads it, into value (reset
 * first): the first line's value and each continuation line, trimmed and
 * without inline comments, joined by '\n'.  False (value empty) when the
 * section or the key is not there; the first of a key written twice. */
bool inifile_get(const struct inifile *f, const char *section, const char *key,
		 struct strbuf *value);

/* Can value be written as a value of the project file: no control
 * character but '\n' (between lines), no blank before a ';' (it would start
 * a comment), no line that is empty or starts with '[' after the first.  When
 * it cannot, why goes into why (appended). */
bool inifile_value_ok(const char *value, struct strbuf *why);

/* Set key in section to value (checked with inifile_value_ok by the
 * caller): its '\n'-separated lines become the key's line and indented
 * continuation lines.  An existing key's lines are replaced in place (the
 * comment after its first line kept); a new key goes after the section's
 * last key, and a new section at the end of the file. */
void inifile_set(struct inifile *f, const char *section, const char *key, const char *value);

/* Remove key (and its continuation lines) from section; false when it is
 * not there.  The comments around it stay. */
bool inifile_unset(struct inifile *f, const char *section, const char *key);

/* Add "[section]" at the end when there is no such section. */
void inifile_add_section(struct inifile *f, const char *section);

/* Remove a section: its header, keys, continuation lines and the comments
 * among them, but not the comments and blank lines just before the next
 * section's header (they describe that one).  False when it is not there. */
bool inifile_remove_section(struct inifile *f, const char *section);

/* Is there such a section? */
bool inifile_has_section(const struct inifile *f, const char *section);

/* The sections' names in file order, each once: names[i] borrowed from f
 * (valid until it is edited); returns how many, at most max. */
size_t inifile_sections(const struct inifile *f, const char **names, size_t max);

#endif
