#include "httpd.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/sha256.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "helpers.h"

#define MAX_ROUTES 64
#define MAX_SCRIPT 16

struct route {
	char *path;
	char *body;
	size_t len;
	char ct[96];
	char etag[80];
	struct httpd_reply script[MAX_SCRIPT];
	size_t nscript, next;
	unsigned hits;
	char *last_query, *last_inm, *last_auth, *last_body;
};

struct httpd {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	struct route routes[MAX_ROUTES];
	size_t nroutes;
	char base[64];
};

/* The upload of one request, kept across the handler's calls. */
struct upload {
	struct strbuf body;
	char *uri; /* path and query as sent */
	bool started;
};

/* A body served in two halves, the second never sent. */
struct truncated {
	char *data;
	size_t half;
	long stall_ms; /* HTTPD_STALL: the pause after the first half */
};

static struct route *find(struct httpd *h, const char *path)
{
	for (size_t i = 0; i < h->nroutes; i++)
		if (strcmp(h->routes[i].path, path) == 0)
			return &h->routes[i];
	return NULL;
}

static struct route *get_route(struct httpd *h, const char *path)
{
	struct route *r = find(h, path);
	if (r)
		return r;
	if (h->nroutes == MAX_ROUTES) {
		fprintf(stderr, "httpd: too many routes\n");
		abort();
	}
	r = &h->routes[h->nroutes++];
	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	return r;
}

static void set_body(struct route *r, const char *body, size_t len)
{
	char hex[SHA256_HEX_LEN + 1];
	free(r->body);
	r->body = xmalloc(len + 1);
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->len = len;
	sha256_hex(body, len, hex);
	snprintf(r->etag, sizeof(r->etag), "\"%.16s\"", hex);
}

static ssize_t truncated_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct truncated *t = cls;
	if (pos >= t->half && t->stall_ms > 0) { /* one thread per connection: sleep */
		struct timespec ts = {t->stall_ms / 1000, (t->stall_ms % 1000) * 1000000L};
		t->stall_ms = 0;
		nanosleep(&ts, NULL);
	}
	if (pos >= t->half)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t n = t->half - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, t->data + pos, n);
	return (ssize_t)n;
}

static ssize_t chunked_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct truncated *t = cls;
	if (pos >= t->half)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = t->half - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, t->data + pos, n);
	return (ssize_t)n;
}

static void truncated_free(void *cls)
{
	struct truncated *t = cls;
	free(t->data);
	free(t);
}

static void remember(char **slot, const char *v)
{
	free(*slot);
	*slot = v ? xstrdup(v) : NULL;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_size, void **con_cls)
{
	struct httpd *h = cls;
	(void)version;
	(void)method;
	struct upload *u = *con_cls;
	if (!u->started) {
		u->started = true;
		return MHD_YES;
	}
	if (*upload_size) {
		strbuf_add(&u->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}

	const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");

	pthread_mutex_lock(&h->lock);
	struct route *r = u->uri ? find(h, u->uri) : NULL;
	if (!r)
		r = find(h, url);
	if (r && u->uri) {
		const char *q = strchr(u->uri, '?');
		remember(&r->last_query, q ? q + 1 : "");
	}
	if (!r) {
		pthread_mutex_unlock(&h->lock);
		static const char nf[] = "not found";
		struct MHD_Response *resp = MHD_create_response_from_buffer(
		    sizeof(nf) - 1, (void *)(uintptr_t)nf, MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret = MHD_queue_response(conn, 404, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	r->hits++;
	remember(&r->last_inm, inm);
	remember(&r->last_auth, auth);
	remember(&r->last_body, u->body.len ? u->body.buf : NULL);
	struct httpd_reply rep = {0};
	if (r->next < r->nscript)
		rep = r->script[r->next++];
	const char *body = rep.body ? rep.body : r->body;
	size_t len = rep.body ? (rep.body_len ? rep.body_len : strlen(rep.body)) : r->len;
	char *copy = xmalloc(len + 1);
	memcpy(copy, body ? body : "", len);
	char ct[96], etag[80];
	snprintf(ct, sizeof(ct), "%s", rep.content_type ? rep.content_type : r->ct);
	if (rep.body) { /* the ETag of what is served, not of the route's body */
		char hex[SHA256_HEX_LEN + 1];
		sha256_hex(copy, len, hex);
		snprintf(etag, sizeof(etag), "\"%.16s\"", hex);
	} else {
		snprintf(etag, sizeof(etag), "%s", r->etag);
	}
	pthread_mutex_unlock(&h->lock);

	if (rep.fault == HTTPD_RESET) {
		free(copy);
		return MHD_NO; /* MHD closes the connection without a response */
	}
	if (rep.fault == HTTPD_SLOW) {
		struct timespec ts = {rep.delay_ms / 1000, (rep.delay_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}

	struct MHD_Response *resp;
	int status = rep.status ? rep.status : 200;
	bool not_modified = !rep.status && !rep.body && inm && strcmp(inm, etag) == 0;
	if (not_modified) {
		free(copy);
		status = 304;
		resp = MHD_create_response_from_buffer(0, (void *)(uintptr_t) "",
						       MHD_RESPMEM_PERSISTENT);
	} else if (rep.fault == HTTPD_CHUNKED) {
		struct truncated *t = xmalloc(sizeof(*t));
		t->data = copy;
		t->half = len; /* all of it, in chunks, with no Content-Length */
		t->stall_ms = 0;
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, chunked_read, t,
							 truncated_free);
	} else if (rep.fault == HTTPD_TRUNCATE || rep.fault == HTTPD_STALL) {
		struct truncated *t = xmalloc(sizeof(*t));
		t->data = copy;
		t->half = len / 2;
		t->stall_ms = rep.fault == HTTPD_STALL ? rep.delay_ms : 0;
		resp =
		    MHD_create_response_from_callback(len, 4096, truncated_read, t, truncated_free);
	} else {
		resp = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
	}
	if (ct[0] && !not_modified)
		MHD_add_response_header(resp, "Content-Type", ct);
	if (status == 200 || status == 304) {
		MHD_add_response_header(resp, "ETag", etag);
		MHD_add_response_header(resp, "Last-Modified", "Mon, 14 Sep 2026 14:26:35 GMT");
	}
	if (rep.retry_after)
		MHD_add_response_header(resp, "Retry-After", rep.retry_after);
	if (rep.location)
		MHD_add_response_header(resp, "Location", rep.location);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct upload *u = *con_cls;
	if (u) {
		strbuf_release(&u->body);
		free(u->uri);
		free(u);
		*con_cls = NULL;
	}
}

/* Keep the URI as sent (MHD hands the handler the path without the
 * query): the returned pointer becomes the request's *con_cls. */
static void *log_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	struct upload *u = xcalloc(1, sizeof(*u));
	strbuf_init(&u->body);
	u->uri = xstrdup(uri);
	return u;
}

struct httpd *httpd_start(void)
{
	struct httpd *h = xcalloc(1, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = 0;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h->d = MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, handler, h, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_NOTIFY_COMPLETED,
	    completed, h, MHD_OPTION_URI_LOG_CALLBACK, log_uri, h, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)10, MHD_OPTION_END);
	if (!h->d) {
		fprintf(stderr, "httpd: cannot start the test server\n");
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(h->base, sizeof(h->base), "http://127.0.0.1:%u", info ? info->port : 0);
	return h;
}

void httpd_stop(struct httpd *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	for (size_t i = 0; i < h->nroutes; i++) {
		struct route *r = &h->routes[i];
		free(r->path);
		free(r->body);
		free(r->last_query);
		free(r->last_inm);
		free(r->last_auth);
		free(r->last_body);
	}
	pthread_mutex_destroy(&h->lock);
	free(h);
}

const char *httpd_base(const struct httpd *h)
{
	return h->base;
}

void httpd_route_body(struct httpd *h, const char *path, const char *body, size_t len,
		      const char *ct)
{
	pthread_mutex_lock(&h->lock);
	struct route *r = get_route(h, path);
	set_body(r, body, len);
	snprintf(r->ct, sizeof(r->ct), "%s", ct ? ct : "");
	pthread_mutex_unlock(&h->lock);
}

void httpd_route_file(struct httpd *h, const char *path, const char *fixture, const char *ct)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "tests/fixtures/http/%s", fixture);
	FILE *fp = fopen(p.buf, "rb");
	if (!fp) {
		fprintf(stderr, "httpd: cannot open %s\n", p.buf);
		abort();
	}
	struct strbuf body = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&body, buf, n);
	fclose(fp);
	httpd_route_body(h, path, body.buf, body.len, ct);
	strbuf_release(&body);
	strbuf_release(&p);
}

void httpd_script(struct httpd *h, const char *path, const struct httpd_reply *rep, size_t n)
{
	pthread_mutex_lock(&h->lock);
	struct route *r = get_route(h, path);
	if (n > MAX_SCRIPT)
		n = MAX_SCRIPT;
	if (n)
		memcpy(r->script, rep, n * sizeof(*rep));
	r->nscript = n;
	r->next = 0;
	pthread_mutex_unlock(&h->lock);
}

void httpd_set_body(struct httpd *h, const char *path, const char *body, size_t len)
{
	pthread_mutex_lock(&h->lock);
	set_body(get_route(h, path), body, len);
	pthread_mutex_unlock(&h->lock);
}

unsigned httpd_hits(struct httpd *h, const char *path)
{
	pthread_mutex_lock(&h->lock);
	struct route *r = find(h, path);
	unsigned n = r ? r->hits : 0;
	pthread_mutex_unlock(&h->lock);
	return n;
}

char *httpd_last(struct httpd *h, const char *path, const char *what)
{
	char *out = NULL;
	pthread_mutex_lock(&h->lock);
	struct route *r = find(h, path);
	if (r) {
		const char *v = NULL;
		if (strcmp(what, "query") == 0)
			v = r->last_query;
		else if (strcmp(what, "body") == 0)
			v = r->last_body;
		else if (strcmp(what, "If-None-Match") == 0)
			v = r->last_inm;
		else if (strcmp(what, "Authorization") == 0)
			v = r->last_auth;
		if (v)
			out = xstrdup(v);
	}
	pthread_mutex_unlock(&h->lock);
	return out;
}

void httpd_reset_counts(struct httpd *h)
{
	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < h->nroutes; i++) {
		struct route *r = &h->routes[i];
		r->hits = 0;
		remember(&r->last_query, NULL);
		remember(&r->last_inm, NULL);
		remember(&r->last_auth, NULL);
		remember(&r->last_body, NULL);
	}
	pthread_mutex_unlock(&h->lock);
}
