#include "log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strbuf.h"
#include "text.h"

/* A JSON message's cap: a longer one is cut at a character's boundary. */
#define LOG_JSON_MAX 8192

static enum log_level current = LOG_WARN;
static enum log_format format = LOG_PLAIN;

void log_set_format(enum log_format f)
{
	format = f;
}

enum log_format log_get_format(void)
{
	return format;
}

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
	char when[32] = "";
	if (format != LOG_PLAIN) {
		struct timespec ts;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		size_t n = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(when + n, sizeof(when) - n, ".%03ldZ", ts.tv_nsec / 1000000);
	}
	if (format != LOG_JSON) {
		fprintf(stderr, "%s%sterrain: %s", when, *when ? " " : "", tag);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	static const char *const names[] = {"error", "warning", "info", "debug"};
	struct strbuf raw = STRBUF_INIT, msg = STRBUF_INIT;
	strbuf_vaddf(&raw, fmt, ap);
	log_json_text(raw.buf, raw.len, &msg);
	json_t *o = json_pack("{s:s,s:s,s:s}", "time", when, "level",
			      !strcmp(tag, "note: ") ? "note" : names[level], "message", msg.buf);
	char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (line)
		fprintf(stderr, "%s\n", line);
	else /* never silent */
		fprintf(stderr, "{\"level\":\"error\",\"message\":\"a log message could not be "
				"encoded\"}\n");
	free(line);
	json_decref(o);
	strbuf_release(&raw);
	strbuf_release(&msg);
}

void log_json_text(const char *s, size_t len, struct strbuf *out)
{
	size_t pos = 0, bad;
	if (len > LOG_JSON_MAX) {
		/* cut before the character the cap falls in, not inside it */
		len = LOG_JSON_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	while (pos < len && !text_utf8_valid(s + pos, len - pos, &bad)) {
		strbuf_add(out, s + pos, bad);
		strbuf_addstr(out, "\xEF\xBF\xBD"); /* U+FFFD for the byte that is not UTF-8 */
		pos += bad + 1;
	}
	if (pos < len)
		strbuf_add(out, s + pos, len - pos);
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
