/* Diagnostics on stderr.  Results go to stdout; everything here goes to
 * stderr, prefixed "terrain: " and the level.  The level is set once by
 * main from -q / -v. */
#ifndef TERRAIN_LOG_H
#define TERRAIN_LOG_H

#include <stddef.h>

enum log_level {
	LOG_ERROR = 0, /* -q: errors only */
	LOG_WARN,      /* default: warnings and notes */
	LOG_INFO,      /* -v */
	LOG_DEBUG,     /* -vv */
};

/* How lines look: plain ("terrain: warning: ..."), text (the same after a
 * UTC timestamp, for unattended runs), json (one object a line: time,
 * level, message). */
enum log_format {
	LOG_PLAIN,
	LOG_TEXT,
	LOG_JSON
};
void log_set_format(enum log_format f);
enum log_format log_get_format(void);

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A note is shown by default: something the user should know that is not
 * wrong (a code resolved to its successor, a source skipped). */
void log_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A message's text for --log-format json, appended to out: valid UTF-8
 * (each byte that is not becomes U+FFFD), cut at 8 192 bytes before the
 * character the cut falls in.  jansson refuses a string that is not UTF-8,
 * and the message was dropped. */
struct strbuf;
void log_json_text(const char *s, size_t len, struct strbuf *out);

#endif
