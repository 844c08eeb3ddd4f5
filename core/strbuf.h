/* Growable string buffer (after git's strbuf).
 *
 * buf is never NULL and always NUL-terminated, even when empty; len does not
 * count the terminator.  A buffer is initialised with STRBUF_INIT or
 * strbuf_init() and released with strbuf_release().  strbuf_detach() hands
 * the bytes to the caller (free with free()) and leaves the buffer empty. */
#ifndef TERRAIN_STRBUF_H
#define TERRAIN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc; /* 0 while buf points at the shared empty string */
};

extern char strbuf_empty[];
#define STRBUF_INIT                \
	{                          \
		strbuf_empty, 0, 0 \
	}

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb); /* returned owned; free with free() */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
/* Empty sb and zero every byte it holds (its whole allocation, not only
 * len): for a buffer that held a secret, before it is reused or released. */
void strbuf_wipe(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
/* Exchange the contents of a and b (no copy). */
void strbuf_swap(struct strbuf *a, struct strbuf *b);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
