#define _GNU_SOURCE /* memmem */
#include "redact.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool token_char(unsigned char c)
{
	/* RFC 6750 b64token, and what JWTs and URL-safe tokens use */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~+/=%", c) != NULL);
}

/* Replace sb->buf[from, to) by REDACTED; returns the index after it. */
static size_t splice(struct strbuf *sb, size_t from, size_t to)
{
	struct strbuf out = STRBUF_INIT;
	strbuf_add(&out, sb->buf, from);
	strbuf_addstr(&out, REDACTED);
	strbuf_add(&out, sb->buf + to, sb->len - to);
	strbuf_swap(sb, &out);
	strbuf_release(&out);
	return from + strlen(REDACTED);
}

static void literal(struct strbuf *sb, const char *secret)
{
	size_t n = strlen(secret);
	if (n < 4)
		return;
	for (size_t i = 0; i + n <= sb->len;) {
		char *p = memmem(sb->buf + i, sb->len - i, secret, n);
		if (!p)
			break;
		size_t at = (size_t)(p - sb->buf);
		i = splice(sb, at, at + n);
	}
}

/* Is the key at sb->buf[i] (case-insensitive) preceded by a non-word byte? */
static bool key_at(const struct strbuf *sb, size_t i, const char *key)
{
	size_t n = strlen(key);
	if (i + n > sb->len || strncasecmp(sb->buf + i, key, n))
		return false;
	if (i > 0) {
		unsigned char b = (unsigned char)sb->buf[i - 1];
		if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
		    b == '_')
			return false;
	}
	return true;
}

/* After a scheme's "//": user:password@ -> user:***@. */
static size_t userinfo(struct strbuf *sb, size_t i)
{
	size_t j = i, colon = 0;
	for (; j < sb->len; j++) {
		unsigned char c = (unsigned char)sb->buf[j];
		if (c == '/' || c == '?' || c == '#' || c <= ' ' || c == '"' || c == '\'' ||
		    c == '>')
			return i;
		if (c == ':' && !colon)
			colon = j;
		if (c == '@')
			break;
	}
	if (j >= sb->len || !colon || colon + 1 == j)
		return i;
	return splice(sb, colon + 1, j) + 1;
}

static const char *const fields[] = {"access_token", "refresh_token", "id_token", "client_secret",
				     "password"};

/* The end of a value that starts at v: a run of token characters. */
static size_t token_end(const struct strbuf *sb, size_t v)
{
	while (v < sb->len && token_char((unsigned char)sb->buf[v]))
		v++;
	return v;
}

/* A field's value after its key at i: "key": "value" (JSON) or key=value
 * (form, query); returns where to go on. */
static size_t field(struct strbuf *sb, size_t i, size_t keylen)
{
	size_t v = i + keylen;
	if (v < sb->len && sb->buf[v] == '"') /* the JSON key's closing quote */
		v++;
	while (v < sb->len && sb->buf[v] == ' ')
		v++;
	if (v >= sb->len || (sb->buf[v] != ':' && sb->buf[v] != '='))
		return i + keylen;
	v++;
	while (v < sb->len && sb->buf[v] == ' ')
		v++;
	if (v < sb->len && sb->buf[v] == '"') { /* a JSON string, escapes included */
		size_t e = ++v;
		while (e < sb->len && sb->buf[e] != '"')
			e += sb->buf[e] == '\\' && e + 1 < sb->len ? 2 : 1;
		return e > v ? splice(sb, v, e) : e;
	}
	size_t e = v;
	while (e < sb->len && (unsigned char)sb->buf[e] > ' ' && !strchr("&,;#}\"'", sb->buf[e]))
		e++;
	return e > v ? splice(sb, v, e) : e;
}

void redact(struct strbuf *sb, const char *const *secrets, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (secrets[k])
			literal(sb, secrets[k]);
	for (size_t i = 0; i < sb->len;) {
		if (key_at(sb, i, "authorization:")) {
			size_t v = i + strlen("authorization:"), e;
			while (v < sb->len && sb->buf[v] == ' ')
				v++;
			for (e = v; e < sb->len && sb->buf[e] != '\n' && sb->buf[e] != '\r';)
				e++;
			i = e > v ? splice(sb, v, e) : e;
			continue;
		}
		static const char *const schemes[] = {"bearer ", "basic "};
		bool done = false;
		for (size_t k = 0; k < 2 && !done; k++)
			if (key_at(sb, i, schemes[k])) {
				size_t v = i + strlen(schemes[k]), e = token_end(sb, v);
				i = e > v && strncmp(sb->buf + v, REDACTED, e - v)
					? splice(sb, v, e)
					: e;
				done = true;
			}
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]) && !done; k++)
			if (key_at(sb, i, fields[k])) {
				i = field(sb, i, strlen(fields[k]));
				done = true;
			}
		if (!done && i + 3 <= sb->len && !memcmp(sb->buf + i, "://", 3)) {
			i = userinfo(sb, i + 3);
			done = true;
		}
		if (!done)
			i++;
	}
}
