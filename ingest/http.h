/* The one HTTP client of terrain (libcurl).
 *
 * Every request goes through http_fetch(): connect and total timeouts,
 * User-Agent "terrain/VERSION", the proxy from the environment (http_proxy,
 * https_proxy, no_proxy, as libcurl reads them), compressed transfers, and
 * a hard cap on the body.  Transient failures (timeouts, DNS and connection
 * failures, a connection closed early, a truncated body, HTTP 408, 429 and
 * 5xx) are retried with doubling backoff and jitter, honouring Retry-After,
 * up to max_attempts; each retry logs one warning line.  The final error
 * names the URL, the HTTP status and the cause.
 *
 * Redirects: a GET follows at most 5, never from https to http; a POST or
 * a sensitive request follows none (a 3xx is then an error), so that a
 * body holding a secret is never sent to another address.
 *
 * A transfer that receives no byte for stall_ms fails its attempt (and is
 * retried); a source's deadline (struct http_throttle) bounds all of its
 * requests, retries and waits included.
 *
 * Secrets: a request's authorization value and POST body are never written
 * to a message or a log; only the URL is, and every message goes through
 * core/redact (the token's bytes, Authorization and token fields of a body
 * quoted in an error). */
#ifndef TERRAIN_HTTP_H
#define TERRAIN_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/strbuf.h"

struct http_options {
	long connect_timeout_ms; /* 0: 10 000 */
	long timeout_ms;	 /* whole transfer; 0: 120 000 */
	size_t max_body;	 /* bytes; 0: 256 MiB */
	unsigned max_attempts;	 /* tries in all, first included; 0: 5 */
	long backoff_ms;	 /* delay before the first retry, doubled each time; 0: 1 000 */
	long backoff_max_ms;	 /* cap on one delay; 0: 60 000 */
	long retry_after_max_ms; /* a longer Retry-After is an error, not a wait; 0: 300 000 */
	long stall_ms;		 /* no byte received for this long (checked about once a
				  * second) fails the attempt, a transient failure that is
				  * retried; 0: 30 000 */
};

/* The pace of one source: at most per_minute requests a minute (retries
 * included; 0: no limit), and a deadline: deadline_ms after its first
 * request, a source's requests stop (no new attempt, no retry, a transfer
 * cut at the deadline) with an error naming it; 0: none.  Zero-initialise,
 * then set per_minute and deadline_ms. */
struct http_throttle {
	double per_minute;
	long deadline_ms;
	double last;	    /* monotonic seconds of the last request; 0: none yet */
	double deadline_at; /* monotonic seconds; set at the first request */
};

struct http_request {
	const char *url;
	const char *body;	   /* NULL: GET; else POST with this body */
	const char *content_type;  /* of the POST body; NULL: application/json */
	const char *accept;	   /* NULL: no Accept header */
	const char *authorization; /* NULL, or e.g. "Bearer TOKEN": never logged */
	const char *if_none_match; /* conditional request validators, or NULL */
	const char *if_modified_since;
	bool sensitive; /* the answer may echo a secret: no body excerpt in errors */
};

struct http_response {
	long status; /* last HTTP status; 0 when no response came */
	struct strbuf body;
	struct strbuf etag, last_modified, content_type;
	unsigned attempts; /* requests sent, retries included */
};

void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

struct http_client;

/* A client; *out is returned owned: free with http_client_free().  opts
 * may be NULL (defaults); it is copied. */
enum status http_client_new(struct http_client **out, const struct http_options *opts,
			    struct error *err);
void http_client_free(struct http_client *c);

/* Send req (throttled by th, which may be NULL) and receive the response
 * into resp (reset first).  Returns TERRAIN_OK for a 2xx or 304 response.
 * Otherwise TERRAIN_ENET, with resp->status set to the last HTTP status
 * (0 when none) so that a caller can react to 401, and a message such as
 * "https://host/path: HTTP 503 Service Unavailable after 5 attempts" or
 * "https://host/path: Timeout was reached (no response in 2 s)". */
enum status http_fetch(struct http_client *c, const struct http_request *req,
		       struct http_throttle *th, struct http_response *resp, struct error *err);

/* Percent-encode s for a URL query value (RFC 3986 unreserved kept). */
void http_escape(struct strbuf *out, const char *s);

/* The delay before retry number n (1-based) in ms: backoff_ms doubled n-1
 * times, capped, times a jitter factor in [0.5, 1]. Exposed for tests. */
long http_backoff_ms(const struct http_options *opts, unsigned n, double jitter);

/* Parse a Retry-After value (seconds, or an HTTP date relative to now) into
 * ms, capped at a year; -1 when it is neither. */
long http_parse_retry_after(const char *value, long now);

#endif
