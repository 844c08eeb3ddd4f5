/* A real HTTP server on 127.0.0.1 for the tests (libmicrohttpd), serving
 * recorded payloads and injecting faults.
 *
 * Routes are exact paths, or a path with its query ("/p?page=2"), which
 * wins over the bare path; the query is recorded.
 * A route serves its body with 200, an ETag and a Last-Modified, and 304
 * when If-None-Match matches the ETag.  A scripted reply with a body of its
 * own carries that body's ETag.  A route may carry a script: the
 * next requests get the scripted replies in order, then the normal one. */
#ifndef TERRAIN_TEST_HTTPD_H
#define TERRAIN_TEST_HTTPD_H

#include <stddef.h>

enum httpd_fault {
	HTTPD_NORMAL = 0, /* the route's answer (status overrides 200 when set) */
	HTTPD_RESET,	  /* close the connection without a response */
	HTTPD_TRUNCATE,	  /* announce the whole body, send half, close */
	HTTPD_SLOW,	  /* wait delay_ms, then answer normally */
	HTTPD_CHUNKED,	  /* the body in chunks, with no Content-Length */
	HTTPD_STALL,	  /* announce the whole body, send half, send nothing for
			   * delay_ms, then close */
};

struct httpd_reply {
	enum httpd_fault fault;
	int status;		  /* 0: the normal status (200, or 304) */
	long delay_ms;		  /* HTTPD_SLOW */
	const char *body;	  /* NULL: the route's body */
	size_t body_len;	  /* 0: strlen(body) */
	const char *content_type; /* NULL: the route's */
	const char *retry_after;  /* NULL: no Retry-After header */
	const char *location;	  /* NULL: no Location header */
};

struct httpd;

/* Start on a free port; NULL (with a message on stderr) on failure. */
struct httpd *httpd_start(void);
void httpd_stop(struct httpd *h);

/* "http://127.0.0.1:PORT"; borrowed. */
const char *httpd_base(const struct httpd *h);

/* Serve the file at fixture path (relative to tests/fixtures/http/) at
 * path, with content type ct. */
void httpd_route_file(struct httpd *h, const char *path, const char *fixture, const char *ct);
/* Serve len bytes of body at path. */
void httpd_route_body(struct httpd *h, const char *path, const char *body, size_t len,
		      const char *ct);
/* Replace the route's script by n replies (copied; strings borrowed). */
void httpd_script(struct httpd *h, const char *path, const struct httpd_reply *r, size_t n);
/* Change the body of a route (a new ETag follows). */
void httpd_set_body(struct httpd *h, const char *path, const char *body, size_t len);

/* Requests received at path so far. */
unsigned httpd_hits(struct httpd *h, const char *path);
/* A header ("If-None-Match", "Authorization"), the query string or the
 * POST body ("query", "body") of the last request at path: owned copy
 * (free()), or NULL when absent. */
char *httpd_last(struct httpd *h, const char *path, const char *what);
/* Forget the hits and the last requests. */
void httpd_reset_counts(struct httpd *h);

#endif
