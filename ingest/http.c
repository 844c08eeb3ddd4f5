#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <limits.h>
#include <stdarg.h>

#include "../core/log.h"
#include "../core/redact.h"
#include "../core/xalloc.h"

#ifndef TERRAIN_VERSION
#define TERRAIN_VERSION "0"
#endif

#define HEADER_MAX 8192 /* a longer validator or content type is dropped */

struct http_client {
	CURL *curl;
	struct http_options opts;
	uint64_t rng; /* xorshift state for the jitter */
};

/* What one transfer collects, reset before each attempt. */
struct transfer {
	struct http_response *resp;
	size_t max_body;
	bool toobig;
	struct strbuf retry_after;
	long stall_ms;	  /* the attempt fails after this long without a byte */
	double last_byte; /* monotonic seconds: the request's start, then each byte */
	bool stalled;
};

void http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->body);
	strbuf_init(&r->etag);
	strbuf_init(&r->last_modified);
	strbuf_init(&r->content_type);
}

void http_response_release(struct http_response *r)
{
	strbuf_release(&r->body);
	strbuf_release(&r->etag);
	strbuf_release(&r->last_modified);
	strbuf_release(&r->content_type);
	r->status = 0;
	r->attempts = 0;
}

static void set_defaults(struct http_options *o)
{
	if (o->connect_timeout_ms <= 0)
		o->connect_timeout_ms = 10000;
	if (o->timeout_ms <= 0)
		o->timeout_ms = 120000;
	if (o->max_body == 0)
		o->max_body = (size_t)256 << 20;
	if (o->max_attempts == 0)
		o->max_attempts = 5;
	if (o->backoff_ms <= 0)
		o->backoff_ms = 1000;
	if (o->backoff_max_ms <= 0)
		o->backoff_max_ms = 60000;
	if (o->retry_after_max_ms <= 0)
		o->retry_after_max_ms = 300000;
	if (o->stall_ms <= 0)
		o->stall_ms = 30000;
}

enum status http_client_new(struct http_client **out, const struct http_options *opts,
			    struct error *err)
{
	static bool global_done;
	*out = NULL;
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return error_set(err, TERRAIN_EIO, "cannot initialise libcurl");
		global_done = true;
	}
	struct http_client *c = xcalloc(1, sizeof(*c));
	if (opts)
		c->opts = *opts;
	set_defaults(&c->opts);
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return error_set(err, TERRAIN_EIO, "cannot initialise libcurl");
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	c->rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
	if (!c->rng)
		c->rng = 88172645463325252ULL;
	*out = c;
	return TERRAIN_OK;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
}

static double jitter(struct http_client *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return 0.5 + 0.5 * (double)(c->rng >> 11) / 9007199254740992.0;
}

long http_backoff_ms(const struct http_options *opts, unsigned n, double jit)
{
	struct http_options o = *opts;
	set_defaults(&o);
	double d = (double)o.backoff_ms;
	for (unsigned i = 1; i < n && d < (double)o.backoff_max_ms; i++)
		d *= 2;
	if (d > (double)o.backoff_max_ms)
		d = (double)o.backoff_max_ms;
	return (long)(d * jit);
}

long http_parse_retry_after(const char *value, long now)
{
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value >= '0' && *value <= '9') {
		char *end;
		errno = 0;
		long s = strtol(value, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end || s < 0)
			return -1;
		if (errno || s > 86400L * 365) /* a year or more: as long as terrain can say */
			s = 86400L * 365;
		return s * 1000;
	}
	time_t t = curl_getdate(value, NULL);
	if (t == (time_t)-1)
		return -1;
	if (t <= now)
		return 0;
	/* a date centuries ahead ("6 Nov 999989998") is capped as seconds are,
	 * before the product in ms overflows */
	return t - now > 86400L * 365 ? 86400L * 365 * 1000 : (long)(t - now) * 1000;
}

void http_escape(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			strbuf_addch(out, *p);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[*p >> 4]);
			strbuf_addch(out, hex[*p & 15]);
		}
	}
}

static double monotonic_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void throttle_wait(struct http_throttle *th)
{
	if (!th || th->per_minute <= 0)
		return;
	double gap = 60.0 / th->per_minute;
	double now = monotonic_now();
	if (th->last > 0 && now < th->last + gap) {
		long ms = (long)ceil((th->last + gap - now) * 1000);
		log_debug("waiting %ld ms (at most %g requests a minute)", ms, th->per_minute);
		sleep_ms(ms);
	}
	th->last = monotonic_now();
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb;
	t->last_byte = monotonic_now();
	if (t->resp->body.len + n > t->max_body) {
		t->toobig = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	strbuf_add(&t->resp->body, data, n);
	return n;
}

/* Copy a header's value, trimmed; a value over HEADER_MAX is dropped. */
static void header_value(struct strbuf *dst, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	strbuf_reset(dst);
	if (n < HEADER_MAX)
		strbuf_add(dst, v, n);
}

/* libcurl calls this about once a second: a transfer that has received
 * nothing for stall_ms is stopped.  (libcurl's own low-speed limit averages
 * the speed over its last five seconds, so that a body that stops after a
 * fast start would be held that much longer.) */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct transfer *t = userdata;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if ((monotonic_now() - t->last_byte) * 1000 < (double)t->stall_ms)
		return 0;
	t->stalled = true;
	return 1; /* CURLE_ABORTED_BY_CALLBACK */
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb;
	t->last_byte = monotonic_now();
	static const struct {
		const char *name;
		size_t len;
	} names[] = {
	    {"etag:", 5}, {"last-modified:", 14}, {"content-type:", 13}, {"retry-after:", 12}};
	struct strbuf *dst[] = {&t->resp->etag, &t->resp->last_modified, &t->resp->content_type,
				&t->retry_after};

	/* A new status line (after a redirect or a 100 Continue): forget the
	 * previous response's headers. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		for (size_t i = 0; i < 4; i++)
			strbuf_reset(dst[i]);
		return n;
	}
	for (size_t i = 0; i < 4; i++)
		if (n > names[i].len && strncasecmp(data, names[i].name, names[i].len) == 0)
			header_value(dst[i], data + names[i].len, n - names[i].len);
	return n;
}

static const char *reason(long status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 408:
		return "Request Timeout";
	case 410:
		return "Gone";
	case 413:
		return "Payload Too Large";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return NULL;
	}
}

static bool transient_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool transient_status(long status)
{
	return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

/* The body's first line as printable text, for an error message. */
/* The first line of a body, at most 160 characters, redacted before it
 * is cut (a token cut in two would escape its redaction). */
static void body_excerpt(struct strbuf *out, const struct strbuf *raw, const char *secret)
{
	struct strbuf copy = STRBUF_INIT, *body = &copy;
	size_t n = 0;
	strbuf_add(&copy, raw->buf, raw->len < 16384 ? raw->len : 16384);
	redact(&copy, &secret, 1);
	for (size_t i = 0; i < body->len && n < 160; i++) {
		unsigned char ch = (unsigned char)body->buf[i];
		if (ch == '\n' || ch == '\r') {
			if (n)
				break;
			continue;
		}
		strbuf_addch(out, ch < 0x20 || ch == 0x7f ? ' ' : ch);
		n++;
	}
	strbuf_release(&copy);
}

static void describe_status(struct strbuf *sb, long status)
{
	const char *r = reason(status);
	strbuf_addf(sb, "HTTP %ld", status);
	if (r)
		strbuf_addf(sb, " %s", r);
}

static void setup(struct http_client *c, const struct http_request *req, struct transfer *t,
		  long timeout_ms, struct curl_slist **headers, char *errbuf)
{
	CURL *h = c->curl;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "terrain/" TERRAIN_VERSION);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* A POST (a form with a client secret, say) is never replayed to
	 * another address; a GET follows at most 5 redirects, never from
	 * https down to http. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, req->body || req->sensitive ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl decodes */
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->opts.max_body);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncmp(req->url, "https:", 6) == 0 ? "https" : "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);

	struct strbuf line = STRBUF_INIT;
	struct curl_slist *list = NULL;
	if (req->accept) {
		strbuf_addf(&line, "Accept: %s", req->accept);
		list = curl_slist_append(list, line.buf);
	}
	if (req->authorization) {
		strbuf_reset(&line);
		strbuf_addf(&line, "Authorization: %s", req->authorization);
		list = curl_slist_append(list, line.buf);
		/* clear the secret from our copy now: the lines after it reuse
		 * the buffer and would overwrite only its beginning (libcurl
		 * keeps its own copy until reset) */
		strbuf_wipe(&line);
	}
	if (req->if_none_match && *req->if_none_match) {
		strbuf_reset(&line);
		strbuf_addf(&line, "If-None-Match: %s", req->if_none_match);
		list = curl_slist_append(list, line.buf);
	}
	if (req->if_modified_since && *req->if_modified_since) {
		strbuf_reset(&line);
		strbuf_addf(&line, "If-Modified-Since: %s", req->if_modified_since);
		list = curl_slist_append(list, line.buf);
	}
	if (req->body) {
		strbuf_reset(&line);
		strbuf_addf(&line, "Content-Type: %s",
			    req->content_type ? req->content_type : "application/json");
		list = curl_slist_append(list, line.buf);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(req->body));
	}
	strbuf_release(&line);
	if (list)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	*headers = list;
}

/* The secret of a request, for the redaction of its messages: the
 * authorization value after its scheme ("Bearer TOKEN" gives TOKEN). */
static const char *auth_secret(const struct http_request *req)
{
	if (!req->authorization)
		return NULL;
	const char *sp = strchr(req->authorization, ' ');
	return sp ? sp + 1 : req->authorization;
}

/* The final error: the message redacted (core/redact.h) before it is set. */
static enum status fail(struct error *err, const struct http_request *req, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum status fail(struct error *err, const struct http_request *req, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	const char *secret = auth_secret(req);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	redact(&sb, &secret, 1);
	error_set(err, TERRAIN_ENET, "%s", sb.buf);
	strbuf_release(&sb);
	return TERRAIN_ENET;
}

/* What is left of the source's deadline in ms (LONG_MAX: none), the
 * deadline armed at the source's first request. */
static long deadline_left(struct http_throttle *th)
{
	if (!th || th->deadline_ms <= 0)
		return LONG_MAX;
	double now = monotonic_now();
	if (th->deadline_at <= 0)
		th->deadline_at = now + (double)th->deadline_ms / 1000;
	double left = (th->deadline_at - now) * 1000;
	return left <= 0 ? 0 : (long)left;
}

enum status http_fetch(struct http_client *c, const struct http_request *req,
		       struct http_throttle *th, struct http_response *resp, struct error *err)
{
	struct transfer t = {resp, c->opts.max_body, false, STRBUF_INIT, c->opts.stall_ms, 0,
			     false};
	struct strbuf cause = STRBUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	enum status st = TERRAIN_ENET;
	const char *secret = auth_secret(req);

	http_response_release(resp);
	http_response_init(resp);
	for (unsigned attempt = 1;; attempt++) {
		struct curl_slist *headers = NULL;
		bool retry = false;
		long wait_ms = -1;

		strbuf_reset(&resp->body);
		strbuf_reset(&t.retry_after);
		strbuf_reset(&cause);
		t.toobig = false;
		t.stalled = false;
		errbuf[0] = '\0';
		resp->status = 0;
		throttle_wait(th); /* first: the deadline counts the wait */
		long left = deadline_left(th);
		if (left == 0) {
			fail(err, req,
			     "%s: the source's deadline of %g s has passed (%u attempt%s)",
			     req->url, (double)th->deadline_ms / 1000, attempt - 1,
			     attempt == 2 ? "" : "s");
			goto out;
		}
		/* a transfer is cut at the deadline */
		bool cut = left < c->opts.timeout_ms;
		long timeout_ms = cut ? left : c->opts.timeout_ms;
		setup(c, req, &t, timeout_ms, &headers, errbuf);
		resp->attempts = attempt;
		log_debug("%s %s", req->body ? "POST" : "GET", req->url);
		t.last_byte = monotonic_now(); /* after the throttle's wait */
		CURLcode rc = curl_easy_perform(c->curl);
		curl_slist_free_all(headers);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);

		if (rc == CURLE_WRITE_ERROR && t.toobig) {
			strbuf_addf(&cause, "the body exceeds the limit of %zu bytes", t.max_body);
		} else if (rc == CURLE_FILESIZE_EXCEEDED) {
			strbuf_addf(&cause,
				    "the body exceeds the limit of %zu bytes (announced size)",
				    t.max_body);
		} else if (rc == CURLE_ABORTED_BY_CALLBACK && t.stalled) {
			strbuf_addf(&cause, "no byte received for %g s (the stall limit)",
				    (double)c->opts.stall_ms / 1000);
			retry = true;
		} else if (rc == CURLE_OPERATION_TIMEDOUT && cut) {
			fail(err, req,
			     "%s: the source's deadline of %g s has passed during attempt %u",
			     req->url, (double)th->deadline_ms / 1000, attempt);
			goto out;
		} else if (rc != CURLE_OK) {
			strbuf_addstr(&cause, *errbuf ? errbuf : curl_easy_strerror(rc));
			if (rc == CURLE_OPERATION_TIMEDOUT)
				strbuf_addf(&cause, " (limit %ld ms)", c->opts.timeout_ms);
			retry = transient_curl(rc);
		} else if ((resp->status >= 200 && resp->status < 300) || resp->status == 304) {
			st = TERRAIN_OK;
			goto out;
		} else {
			describe_status(&cause, resp->status);
			retry = transient_status(resp->status);
			if (!retry && !req->sensitive && resp->body.len) {
				strbuf_addstr(&cause, ": ");
				body_excerpt(&cause, &resp->body, secret);
			}
			if (retry && t.retry_after.len)
				wait_ms =
				    http_parse_retry_after(t.retry_after.buf, (long)time(NULL));
		}

		if (!retry || attempt >= c->opts.max_attempts) {
			strbuf_reset(&resp->body); /* part of a body, or an error page: not data */
			if (retry)
				fail(err, req, "%s: %s after %u attempts", req->url, cause.buf,
				     attempt);
			else
				fail(err, req, "%s: %s", req->url, cause.buf);
			goto out;
		}
		if (wait_ms > c->opts.retry_after_max_ms) {
			fail(
			    err, req,
			    "%s: %s, and the server asks to retry after %ld s (more than the %ld s "
			    "terrain waits)",
			    req->url, cause.buf, wait_ms / 1000, c->opts.retry_after_max_ms / 1000);
			goto out;
		}
		if (wait_ms < 0)
			wait_ms = http_backoff_ms(&c->opts, attempt, jitter(c));
		if (wait_ms >= deadline_left(th)) {
			strbuf_reset(&resp->body);
			fail(err, req,
			     "%s: %s after %u attempt%s; no retry: the source's deadline of %g s "
			     "would pass",
			     req->url, cause.buf, attempt, attempt > 1 ? "s" : "",
			     (double)th->deadline_ms / 1000);
			goto out;
		}
		redact(&cause, &secret, 1);
		log_warn("%s: %s; retry %u of %u in %.1f s", req->url, cause.buf, attempt,
			 c->opts.max_attempts - 1, (double)wait_ms / 1000);
		sleep_ms(wait_ms);
	}
out:
	strbuf_release(&t.retry_after);
	strbuf_release(&cause);
	return st;
}
