#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level current = LOG_WARN;

void log_set_level(enum log_level level)
{
	current = level;
}

enum log_level log_get_level(void)
{
	return current;
}

static void emit(enum log_level level, const char *tag, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void emit(enum log_level level, const char *tag, const char *fmt, va_list ap)
{
	if (level > current)
		return;
	fflush(stdout); /* what was printed before comes before, even in one pipe */
	fprintf(stderr, "terrain: %s", tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(fn, level, tag)             \
	void fn(const char *fmt, ...)      \
	{                                  \
		va_list ap;                \
		va_start(ap, fmt);         \
		emit(level, tag, fmt, ap); \
		va_end(ap);                \
	}

LOG_FN(log_error, LOG_ERROR, "")
LOG_FN(log_warn, LOG_WARN, "warning: ")
LOG_FN(log_note, LOG_WARN, "note: ")
LOG_FN(log_info, LOG_INFO, "")
LOG_FN(log_debug, LOG_DEBUG, "debug: ")
