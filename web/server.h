/* terrain serve: the HTTP server (libmicrohttpd, a thread pool), its router,
 * the request and response of a handler, and the security every request
 * goes through before a handler runs:
 *   - the Host header must name the server (no DNS rebinding);
 *   - with a token (--token FILE, required for a --bind other than the
 *     loopback), the token in the query once ("?token=..."), then the
 *     HttpOnly SameSite=Strict cookie; anything else is 403;
 *   - every POST carries the CSRF token of its form (web_csrf_token), a
 *     MAC of the browser's session cookie and the form's path: 403 without;
 *   - every response carries the Content-Security-Policy, nosniff and
 *     no-referrer headers;
 *   - {id} in a route is checked against the workspace's listing and
 *     opened as a directory (O_NOFOLLOW) before the handler runs.
 * Handlers never build file paths from request strings: they work in
 * rq->study (openat) or on names they choose. */
#ifndef TERRAIN_WEB_SERVER_H
#define TERRAIN_WEB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../core/error.h"
#include "../core/strbuf.h"
#include "../pipeline/bundle.h"
#include "workspace.h"

/* Caps on what a request may carry (each refused with a clear message). */
#define WEB_FORM_MAX	   (1u << 20)  /* bytes of form fields, all together */
#define WEB_FIELD_MAX	   65536       /* bytes of one form field */
#define WEB_FIELDS_MAX	   4096	       /* form fields in one request */
#define WEB_UPLOAD_DEFAULT (50u << 20) /* bytes of the uploads of one request */
#define WEB_PARAMS_MAX	   4	       /* {name} segments in a route */

/* What `terrain serve` is asked. */
struct web_options {
	const char *bind;      /* address, default "127.0.0.1" */
	unsigned port;	       /* 0: a free port (the tests) */
	const char *workspace; /* the studies' folder, NULL: web_default_workspace */
	const char *datadir;   /* the datasets, NULL: found */
	const char *token;     /* the access token (its file's first line), NULL: none */
	unsigned threads;      /* the thread pool's size, 0: 4 */
	size_t upload_max;     /* bytes, 0: WEB_UPLOAD_DEFAULT */
};

/* The server's state shared by every request (read-only once started, but
 * for run_lock). */
struct web_app {
	struct web_workspace ws;
	struct bundle b; /* the datasets: search, resolution of the studies' territories */
	const char *datadir;
	size_t upload_max;
	bool has_token;
	char token[128];
	unsigned char secret[32]; /* the CSRF MAC key, random at start */
	char origin[128];	  /* "http://HOST:PORT" as printed */
	unsigned port;
};

struct web_field {
	char *name;  /* owned */
	char *value; /* owned, NUL-terminated (an upload's is its file name) */
};

/* An uploaded file, streamed to a temporary file of the study folder. */
struct web_upload {
	char *field;	/* owned: the form field */
	char *filename; /* owned: the name the browser gave, to show only (never a path) */
	char tmp[48];	/* the temporary file's name in rq->study; "" once taken */
	size_t size;	/* bytes */
	int fd;		/* private: open while it is written */
};

struct web_request {
	const char *method; /* "GET", "POST" */
	const char *path;   /* the URL's path, percent-decoded */
	struct web_app *app;
	bool en; /* the interface's language: the "lang" cookie, French by default */
	/* the study named by the route's {id}: validated, -1 / NULL without */
	int study;
	const char *study_id;
	/* the route's other {name} segments, in order (borrowed) */
	const char *param_name[WEB_PARAMS_MAX], *param[WEB_PARAMS_MAX];
	size_t nparam;
	struct web_field *form; /* POST fields, in order */
	size_t nform, alloc_form;
	struct web_upload *up;
	size_t nup, alloc_up;
	char session[65]; /* the session cookie's value (hex) */
	void *conn;	  /* private: the MHD connection */
};

/* A query argument, form field or cookie, or NULL (borrowed). */
const char *web_query(const struct web_request *rq, const char *name);
const char *web_form(const struct web_request *rq, const char *name);
const char *web_cookie(const struct web_request *rq, const char *name);
/* A route's {name} segment, or NULL. */
const char *web_param(const struct web_request *rq, const char *name);
/* The upload of field name, or NULL. */
struct web_upload *web_upload_of(struct web_request *rq, const char *field);
/* Rename an upload's temporary file to name in the study folder (a name
 * the handler chose, not the browser's; replaced atomically); the upload
 * is taken (tmp ""). */
enum status web_upload_take(struct web_request *rq, struct web_upload *u, const char *name,
			    struct error *err);

/* The CSRF token of the form posting to action (a path), for this
 * browser: 64 hex digits into out[65]. */
void web_csrf_token(const struct web_request *rq, const char *action, char out[65]);

struct web_response {
	unsigned code;		  /* HTTP status, 200 by default */
	const char *content_type; /* static; NULL: text/html; charset=utf-8 */
	struct strbuf body;
	struct strbuf location;	   /* a redirect's target (web_redirect) */
	struct strbuf disposition; /* Content-Disposition (web_send_file) */
	struct strbuf cookie;	   /* one Set-Cookie value, or empty */
	int fd;			   /* a file to send instead of body, or -1 */
	size_t fd_size;
	bool cache;   /* static content: cacheable for an hour */
	bool sandbox; /* a file of the study's outputs shown in a frame (note.html) */
};

/* 303 See Other to a local path (a printf format). */
void web_redirect(struct web_response *rs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Send the file name of folder dirfd (opened O_NOFOLLOW, a regular file);
 * download (NULL: shown inline) is the file name the browser saves it
 * under.  TERRAIN_ENOTFOUND when it is not there. */
enum status web_send_file(struct web_response *rs, int dirfd, const char *name,
			  const char *content_type, const char *download, struct error *err);

/* A handler fills rs, or returns an error: the server answers with a page
 * holding the message (400 for TERRAIN_EUSAGE and TERRAIN_EDATA, 404 for
 * TERRAIN_ENOTFOUND, 409 for TERRAIN_ELOCKED, 500 otherwise). */
typedef enum status (*web_handler)(struct web_request *rq, struct web_response *rs,
				   struct error *err);

/* Routes: method and path pattern ("/study/{id}/note", "/static/{name}").
 * A pattern segment "{x}" matches one non-empty segment; {id} is a study. */
struct web_route {
	const char *method, *pattern;
	web_handler fn;
};
struct web_router {
	struct web_route *v;
	size_t n, alloc;
};
void web_route(struct web_router *r, const char *method, const char *pattern, web_handler fn);
void web_router_release(struct web_router *r);

/* Every page's routes (web/routes.c). */
void web_routes(struct web_router *r);

/* A running server: web_start, then web_stop. */
struct web_server;
enum status web_start(const struct web_options *opt, struct web_server **out, struct error *err);
/* The address to open ("http://127.0.0.1:8080/", with ?token=... when
 * there is one); borrowed. */
const char *web_url(const struct web_server *s);
unsigned web_port(const struct web_server *s);
void web_stop(struct web_server *s);

/* terrain serve: start, print the address, serve until SIGINT or SIGTERM,
 * stop cleanly. */
enum status web_serve(const struct web_options *opt, struct error *err);

/* Render an error page for status st with message msg into rs. */
void web_error_page(const struct web_request *rq, struct web_response *rs, enum status st,
		    const char *msg);

/* One pipeline run at a time in the server (the stages share the cache
 * and the store): take it around pipeline_open .. pipeline_close. */
void web_run_lock(void);
void web_run_unlock(void);

/* The server's geography (app->b.geo) fills its lazy parts (the zonages)
 * on first use: take this around every search or resolution in it. */
void web_geo_lock(void);
void web_geo_unlock(void);

#endif
