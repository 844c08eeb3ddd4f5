/* Diagnostics on stderr.  Results go to stdout; everything here goes to
 * stderr, prefixed "terrain: " and the level.  The level is set once by
 * main from -q / -v. */
#ifndef TERRAIN_LOG_H
#define TERRAIN_LOG_H

enum log_level {
	LOG_ERROR = 0, /* -q: errors only */
	LOG_WARN,      /* default: warnings and notes */
	LOG_INFO,      /* -v */
	LOG_DEBUG,     /* -vv */
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A note is shown by default: something the user should know that is not
 * wrong (a code resolved to its successor, a source skipped). */
void log_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
