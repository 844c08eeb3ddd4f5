/* ingest/http.c against a real server on 127.0.0.1 (tests/httpd.c) that
 * injects each fault. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ingest/http.h"
#include "helpers.h"
#include "httpd.h"

static struct httpd *srv;

static int setup(void)
{
	srv = httpd_start();
	return srv ? 0 : 1;
}

static int teardown(void)
{
	httpd_stop(srv);
	srv = NULL;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A client that retries fast: the delays are not what these tests check. */
static struct http_client *fast_client(unsigned attempts, long timeout_ms, size_t max_body)
{
	struct http_options o = {0};
	struct http_client *c = NULL;
	o.max_attempts = attempts;
	o.backoff_ms = 10;
	o.timeout_ms = timeout_ms;
	o.max_body = max_body;
	o.retry_after_max_ms = 2000;
	CU_ASSERT_EQUAL_FATAL(http_client_new(&c, &o, NULL), TERRAIN_OK);
	return c;
}

static void url_of(struct strbuf *sb, const char *path)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s%s", httpd_base(srv), path);
}

static const char body_ok[] = "{\"observations\":[]}";

static void test_http_get_ok_and_validators(void)
{
	struct http_client *c = fast_client(3, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/ok", body_ok, strlen(body_ok), "application/json");
	url_of(&url, "/ok?x=1");
	struct http_request req = {.url = url.buf, .accept = "application/json"};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(r.attempts, 1);
	CU_ASSERT_STRING_EQUAL(r.body.buf, body_ok);
	CU_ASSERT_STRING_EQUAL(r.content_type.buf, "application/json");
	CU_ASSERT_EQUAL(r.etag.len, 18); /* "\"" + 16 hex + "\"" */
	CU_ASSERT_STRING_EQUAL(r.last_modified.buf, "Mon, 14 Sep 2026 14:26:35 GMT");
	char *q = httpd_last(srv, "/ok", "query");
	CU_ASSERT_STRING_EQUAL(q, "x=1");
	free(q);

	/* the validator makes the server answer 304 with no body */
	struct strbuf etag = STRBUF_INIT;
	strbuf_addbuf(&etag, &r.etag);
	req.if_none_match = etag.buf;
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.status, 304);
	CU_ASSERT_EQUAL(r.body.len, 0);
	char *inm = httpd_last(srv, "/ok", "If-None-Match");
	CU_ASSERT_STRING_EQUAL(inm, etag.buf);
	free(inm);
	strbuf_release(&etag);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_post_and_authorization(void)
{
	struct http_client *c = fast_client(1, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/post", body_ok, strlen(body_ok), "application/json");
	url_of(&url, "/post");
	struct http_request req = {
	    .url = url.buf, .body = "{\"a\":1}", .authorization = "Bearer tok-1"};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	char *b = httpd_last(srv, "/post", "body");
	char *a = httpd_last(srv, "/post", "Authorization");
	CU_ASSERT_STRING_EQUAL(b, "{\"a\":1}");
	CU_ASSERT_STRING_EQUAL(a, "Bearer tok-1");
	free(a);
	free(b);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_retries_503_then_200(void)
{
	struct http_client *c = fast_client(3, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/flaky", body_ok, strlen(body_ok), "application/json");
	struct httpd_reply script[] = {{.status = 503, .body = "busy"}};
	httpd_script(srv, "/flaky", script, 1);
	url_of(&url, "/flaky");
	struct http_request req = {.url = url.buf};
	unsigned before = httpd_hits(srv, "/flaky");
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.attempts, 2);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/flaky") - before, 2);
	CU_ASSERT_STRING_EQUAL(r.body.buf, body_ok);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_gives_up_after_attempts(void)
{
	struct http_client *c = fast_client(3, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, want = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/down", body_ok, strlen(body_ok), "application/json");
	struct httpd_reply s503 = {.status = 503, .body = "down"};
	struct httpd_reply script[] = {s503, s503, s503, s503};
	httpd_script(srv, "/down", script, 4);
	url_of(&url, "/down");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_addf(&want, "%s: HTTP 503 Service Unavailable after 3 attempts", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/down"), 3);
	strbuf_release(&want);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_429_honours_retry_after(void)
{
	struct http_client *c = fast_client(3, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, want = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/limited", body_ok, strlen(body_ok), "application/json");
	struct httpd_reply script[] = {{.status = 429, .retry_after = "1"}};
	httpd_script(srv, "/limited", script, 1);
	url_of(&url, "/limited");
	struct http_request req = {.url = url.buf};
	double t0 = now_s();
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	double dt = now_s() - t0;
	CU_ASSERT(dt >= 0.95); /* waited the second the server asked, not the 10 ms backoff */
	CU_ASSERT_EQUAL(r.attempts, 2);

	/* a wait longer than the client accepts is an error at once */
	struct httpd_reply longer[] = {{.status = 429, .retry_after = "3600"}};
	httpd_script(srv, "/limited", longer, 1);
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_addf(&want,
		    "%s: HTTP 429 Too Many Requests, and the server asks to retry after 3600 s "
		    "(more than the 2 s terrain waits)",
		    url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(r.attempts, 1);
	strbuf_release(&want);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_connection_reset(void)
{
	struct http_client *c = fast_client(2, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, want = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/reset", body_ok, strlen(body_ok), "application/json");
	struct httpd_reply once[] = {{.fault = HTTPD_RESET}};
	httpd_script(srv, "/reset", once, 1);
	url_of(&url, "/reset");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.attempts, 2);

	/* libcurl itself retries once when a reused connection dies: script
	 * more resets than attempts */
	struct httpd_reply rs = {.fault = HTTPD_RESET};
	struct httpd_reply always[] = {rs, rs, rs, rs};
	httpd_script(srv, "/reset", always, 4);
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_addf(&want, "%s: Empty reply from server after 2 attempts", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(r.status, 0);
	strbuf_release(&want);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_truncated_body(void)
{
	struct http_client *c = fast_client(2, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, body = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	for (int i = 0; i < 1000; i++)
		strbuf_addstr(&body, "0123456789");
	httpd_route_body(srv, "/trunc", body.buf, body.len, "text/csv");
	struct httpd_reply t = {.fault = HTTPD_TRUNCATE};
	struct httpd_reply script[] = {t, t};
	httpd_script(srv, "/trunc", script, 2);
	url_of(&url, "/trunc");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(r.attempts, 2);
	CU_ASSERT_EQUAL(strncmp(err.msg, url.buf, url.len), 0);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err.msg, "transfer closed with 5000 bytes remaining to read"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "after 2 attempts"));
	/* then whole */
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.body.len, body.len);
	strbuf_release(&body);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_timeout(void)
{
	struct http_client *c = fast_client(2, 300, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/slow", body_ok, strlen(body_ok), "application/json");
	struct httpd_reply s = {.fault = HTTPD_SLOW, .delay_ms = 1200};
	struct httpd_reply script[] = {s, s};
	httpd_script(srv, "/slow", script, 2);
	url_of(&url, "/slow");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(r.attempts, 2);
	CU_ASSERT_EQUAL(strncmp(err.msg, url.buf, url.len), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Operation timed out after"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "(limit 300 ms) after 2 attempts"));
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_oversize_body(void)
{
	struct http_client *c = fast_client(3, 5000, 100);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, want = STRBUF_INIT, big = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	for (int i = 0; i < 500; i++)
		strbuf_addstr(&big, "xy");
	httpd_route_body(srv, "/big", big.buf, big.len, "application/json");
	url_of(&url, "/big");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_addf(&want, "%s: the body exceeds the limit of 100 bytes (announced size)", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/big"), 1); /* not retried */

	/* without a Content-Length, the cap stops the transfer as it streams */
	struct httpd_reply chunked[] = {{.fault = HTTPD_CHUNKED}};
	httpd_script(srv, "/big", chunked, 1);
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s: the body exceeds the limit of 100 bytes", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(r.body.len, 0);
	strbuf_release(&big);
	strbuf_release(&want);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_404_not_retried(void)
{
	struct http_client *c = fast_client(3, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, want = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	url_of(&url, "/nowhere");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_addf(&want, "%s: HTTP 404 Not Found: not found", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(r.attempts, 1);
	/* a sensitive request never quotes the body */
	req.sensitive = true;
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s: HTTP 404 Not Found", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	strbuf_release(&want);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_redirects(void)
{
	struct http_client *c = fast_client(1, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, target = STRBUF_INIT, want = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	httpd_route_body(srv, "/landing", body_ok, strlen(body_ok), "application/json");
	url_of(&target, "/landing");
	struct httpd_reply moved = {.status = 307, .body = "moved", .location = target.buf};
	struct httpd_reply twice[] = {moved, moved};
	httpd_script(srv, "/moved", twice, 2);
	url_of(&url, "/moved");
	unsigned before = httpd_hits(srv, "/landing");
	/* a GET follows */
	struct http_request get = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &get, NULL, &r, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(r.body.buf, body_ok);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/landing"), before + 1);
	/* a POST (a form with a secret) is never sent on to another address */
	struct http_request post = {
	    .url = url.buf, .body = "client_secret=s3cr3t", .sensitive = true};
	CU_ASSERT_EQUAL(http_fetch(c, &post, NULL, &r, &err), TERRAIN_ENET);
	strbuf_addf(&want, "%s: HTTP 307", url.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, want.buf);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/landing"), before + 1);
	strbuf_release(&want);
	strbuf_release(&target);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_connection_refused(void)
{
	struct http_client *c = fast_client(2, 2000, 0);
	struct http_response r;
	struct error err;
	http_response_init(&r);
	/* port 1 on the loopback: nobody listens */
	struct http_request req = {.url = "http://127.0.0.1:1/x"};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(r.attempts, 2);
	CU_ASSERT_EQUAL(strncmp(err.msg, "http://127.0.0.1:1/x: ", 22), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "after 2 attempts"));
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_throttle(void)
{
	struct http_client *c = fast_client(1, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT;
	struct error err;
	struct http_throttle th = {.per_minute = 600}; /* 10 a second: 100 ms apart */
	http_response_init(&r);
	httpd_route_body(srv, "/t", body_ok, strlen(body_ok), "application/json");
	url_of(&url, "/t");
	struct http_request req = {.url = url.buf};
	double t0 = now_s();
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(http_fetch(c, &req, &th, &r, &err), TERRAIN_OK);
	CU_ASSERT(now_s() - t0 >= 0.29);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

static void test_http_backoff_and_retry_after(void)
{
	struct http_options o = {0};
	o.backoff_ms = 1000;
	o.backoff_max_ms = 5000;
	CU_ASSERT_EQUAL(http_backoff_ms(&o, 1, 1.0), 1000);
	CU_ASSERT_EQUAL(http_backoff_ms(&o, 2, 1.0), 2000);
	CU_ASSERT_EQUAL(http_backoff_ms(&o, 3, 1.0), 4000);
	CU_ASSERT_EQUAL(http_backoff_ms(&o, 4, 1.0), 5000); /* capped */
	CU_ASSERT_EQUAL(http_backoff_ms(&o, 40, 0.5), 2500);
	CU_ASSERT_EQUAL(http_parse_retry_after("120", 0), 120000);
	CU_ASSERT_EQUAL(http_parse_retry_after(" 7 ", 0), 7000);
	CU_ASSERT_EQUAL(http_parse_retry_after("soon", 0), -1);
	CU_ASSERT_EQUAL(http_parse_retry_after("-3", 0), -1);
	/* RFC 9110's example date is 1994-11-06T08:49:37Z = 784111777 */
	CU_ASSERT_EQUAL(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), 7000);
	CU_ASSERT_EQUAL(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), 0);
	/* a date far ahead is capped at a year, as seconds are (found by make
	 * fuzz: the product in ms overflowed a long) */
	CU_ASSERT_EQUAL(http_parse_retry_after("v6Nov999989998", 0), 86400L * 365 * 1000);
	CU_ASSERT_EQUAL(http_parse_retry_after("Sun, 06 Nov 3994 08:49:37 GMT", 784111800),
			86400L * 365 * 1000);
	struct strbuf sb = STRBUF_INIT;
	http_escape(&sb, "EPCI-200040715*COM é");
	CU_ASSERT_STRING_EQUAL(sb.buf, "EPCI-200040715%2ACOM%20%C3%A9");
	strbuf_release(&sb);
}

/* A server that stops sending mid-body fails the attempt after the stall
 * limit (not the total timeout), and the next attempt recovers; a source's
 * deadline cuts a transfer and refuses a retry that would pass it. */
static void test_http_stall_and_deadline(void)
{
	struct http_options o = {0};
	struct http_client *c = NULL;
	o.max_attempts = 2;
	o.backoff_ms = 10;
	o.timeout_ms = 60000;
	o.stall_ms = 1000;
	CU_ASSERT_EQUAL_FATAL(http_client_new(&c, &o, NULL), TERRAIN_OK);
	struct http_response r;
	struct strbuf url = STRBUF_INIT, body = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	for (int i = 0; i < 1000; i++)
		strbuf_addstr(&body, "0123456789");
	httpd_route_body(srv, "/stall", body.buf, body.len, "application/json");
	const struct httpd_reply stall = {.fault = HTTPD_STALL, .delay_ms = 4000};
	const struct httpd_reply twice[] = {stall, stall};
	httpd_script(srv, "/stall", twice, 2);
	url_of(&url, "/stall");
	struct http_request req = {.url = url.buf};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(r.attempts, 2);
	CU_ASSERT_STRING_EQUAL(strstr(err.msg, ": no byte"),
			       ": no byte received for 1 s (the stall limit) after 2 attempts");
	httpd_script(srv, "/stall", &stall, 1);
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_OK); /* then whole */
	CU_ASSERT_EQUAL(r.body.len, body.len);

	/* the deadline cuts a slow answer: no retry after it */
	http_client_free(c);
	c = fast_client(2, 60000, 0); /* the stall limit left at 30 s */
	struct http_throttle th = {.deadline_ms = 1500};
	const struct httpd_reply slow = {.fault = HTTPD_SLOW, .delay_ms = 3000};
	httpd_script(srv, "/stall", &slow, 1);
	CU_ASSERT_EQUAL(http_fetch(c, &req, &th, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(r.attempts, 1);
	CU_ASSERT_STRING_EQUAL(strstr(err.msg, ": the"),
			       ": the source's deadline of 1.5 s has passed during attempt 1");
	/* and once passed, the source's next request is not sent */
	httpd_reset_counts(srv);
	CU_ASSERT_EQUAL(http_fetch(c, &req, &th, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(httpd_hits(srv, "/stall"), 0);
	CU_ASSERT_STRING_EQUAL(strstr(err.msg, ": the"),
			       ": the source's deadline of 1.5 s has passed (0 attempts)");
	/* a retry that would end after the deadline is not waited for */
	struct http_throttle th2 = {.deadline_ms = 1000};
	const struct httpd_reply busy = {.status = 503, .retry_after = "2"};
	httpd_script(srv, "/stall", &busy, 1);
	CU_ASSERT_EQUAL(http_fetch(c, &req, &th2, &r, &err), TERRAIN_ENET);
	CU_ASSERT_EQUAL(r.attempts, 1);
	CU_ASSERT_STRING_EQUAL(strstr(err.msg, ": HTTP"),
			       ": HTTP 503 Service Unavailable after 1 attempt; no retry: the "
			       "source's deadline of 1 s would pass");
	httpd_script(srv, "/stall", NULL, 0);
	strbuf_release(&body);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

/* A 403 whose body repeats the token: the message shows neither the token
 * nor the Authorization value. */
static void test_http_redacts_secrets(void)
{
	struct http_client *c = fast_client(1, 5000, 0);
	struct http_response r;
	struct strbuf url = STRBUF_INIT;
	struct error err;
	http_response_init(&r);
	const char *echo = "{\"error\":\"forbidden\",\"token\":\"tok-3f9a7c-SECRET\","
			   "\"seen\":\"Authorization: Bearer tok-3f9a7c-SECRET\"}";
	httpd_route_body(srv, "/forbidden", echo, strlen(echo), "application/json");
	const struct httpd_reply no = {.status = 403};
	httpd_script(srv, "/forbidden", &no, 1);
	url_of(&url, "/forbidden");
	struct http_request req = {.url = url.buf, .authorization = "Bearer tok-3f9a7c-SECRET"};
	CU_ASSERT_EQUAL(http_fetch(c, &req, NULL, &r, &err), TERRAIN_ENET);
	CU_ASSERT_PTR_NULL(strstr(err.msg, "tok-3f9a7c"));
	CU_ASSERT_STRING_EQUAL(strstr(err.msg, ": HTTP"),
			       ": HTTP 403 Forbidden: {\"error\":\"forbidden\",\"token\":\"***\","
			       "\"seen\":\"Authorization: ***");
	httpd_script(srv, "/forbidden", NULL, 0);
	strbuf_release(&url);
	http_response_release(&r);
	http_client_free(c);
}

void suite_http(void)
{
	CU_pSuite s = CU_add_suite("http", setup, teardown);
	ADD_TEST(s, test_http_get_ok_and_validators);
	ADD_TEST(s, test_http_post_and_authorization);
	ADD_TEST(s, test_http_retries_503_then_200);
	ADD_TEST(s, test_http_gives_up_after_attempts);
	ADD_TEST(s, test_http_429_honours_retry_after);
	ADD_TEST(s, test_http_connection_reset);
	ADD_TEST(s, test_http_truncated_body);
	ADD_TEST(s, test_http_timeout);
	ADD_TEST(s, test_http_oversize_body);
	ADD_TEST(s, test_http_404_not_retried);
	ADD_TEST(s, test_http_redirects);
	ADD_TEST(s, test_http_connection_refused);
	ADD_TEST(s, test_http_throttle);
	ADD_TEST(s, test_http_backoff_and_retry_after);
	ADD_TEST(s, test_http_stall_and_deadline);
	ADD_TEST(s, test_http_redacts_secrets);
}
