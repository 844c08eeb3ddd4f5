/* terrain serve: libmicrohttpd with a thread pool, the router, the request's
 * form and uploads, the security checks (server.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/xalloc.h"
#include "../pipeline/pipeline.h"
#include "html.h"
#include "server.h"

#define CSP                                                                               \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"frame-ancestors 'none'"
/* a note of the study shown in a frame of the note page: its own inline
 * stylesheet, no script at all */
#define CSP_SANDBOX                                                             \
	"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; " \
	"frame-ancestors 'self'; sandbox"

static pthread_mutex_t run_mutex = PTHREAD_MUTEX_INITIALIZER;

void web_run_lock(void)
{
	pthread_mutex_lock(&run_mutex);
}

void web_run_unlock(void)
{
	pthread_mutex_unlock(&run_mutex);
}

static pthread_mutex_t geo_mutex = PTHREAD_MUTEX_INITIALIZER;

void web_geo_lock(void)
{
	pthread_mutex_lock(&geo_mutex);
}

void web_geo_unlock(void)
{
	pthread_mutex_unlock(&geo_mutex);
}

struct web_server {
	struct MHD_Daemon *d;
	struct web_app app;
	struct web_router router;
	char url[512];
};

/* One request's state across the calls MHD makes for it. */
struct conn_ctx {
	struct web_request rq;
	const struct web_route *route;
	struct MHD_PostProcessor *pp;
	char seg[WEB_PARAMS_MAX + 1][256]; /* the route's {x} values */
	size_t form_bytes, upload_bytes;
	struct web_upload *cur; /* the upload being written */
	unsigned refuse;	/* an HTTP status: the request is refused */
	struct error err;	/* its message */
	bool new_session;
	bool is_post;
};

/* ------------------------------------------------------------------ */
/* small helpers */

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = 0;
}

static bool random_hex(size_t nbytes, char *out)
{
	unsigned char b[64];
	if (nbytes > sizeof(b) || RAND_bytes(b, (int)nbytes) != 1)
		return false;
	hex(b, nbytes, out);
	return true;
}

/* Constant-time comparison of two strings. */
static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb || !la)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}

static bool is_hex(const char *s, size_t n)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == n;
}

const char *web_query(const struct web_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_cookie(const struct web_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

const char *web_form(const struct web_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->nform; i++)
		if (!strcmp(rq->form[i].name, name))
			return rq->form[i].value;
	return NULL;
}

const char *web_param(const struct web_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->nparam; i++)
		if (!strcmp(rq->param_name[i], name))
			return rq->param[i];
	return NULL;
}

struct web_upload *web_upload_of(struct web_request *rq, const char *field)
{
	for (size_t i = 0; i < rq->nup; i++)
		if (!strcmp(rq->up[i].field, field) && rq->up[i].tmp[0])
			return &rq->up[i];
	return NULL;
}

enum status web_upload_take(struct web_request *rq, struct web_upload *u, const char *name,
			    struct error *err)
{
	if (rq->study < 0 || !u->tmp[0])
		return error_set(err, TERRAIN_EUSAGE, "no upload to keep");
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return error_set(err, TERRAIN_EUSAGE, "bad file name \"%s\"", name);
	if (u->fd >= 0) {
		if (fsync(u->fd) != 0 || close(u->fd) != 0) {
			u->fd = -1;
			return error_set(err, TERRAIN_EIO, "cannot write the upload: %s",
					 strerror(errno));
		}
		u->fd = -1;
	}
	if (renameat(rq->study, u->tmp, rq->study, name) != 0)
		return error_set(err, TERRAIN_EIO, "cannot keep the upload as %s: %s", name,
				 strerror(errno));
	u->tmp[0] = 0;
	return TERRAIN_OK;
}

void web_csrf_token(const struct web_request *rq, const char *action, char out[65])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	struct strbuf msg = STRBUF_INIT;
	strbuf_addf(&msg, "csrf\n%s\n%s", rq->session, action);
	HMAC(EVP_sha256(), rq->app->secret, sizeof(rq->app->secret), (const unsigned char *)msg.buf,
	     msg.len, mac, &len);
	strbuf_release(&msg);
	hex(mac, 32, out);
}

void web_redirect(struct web_response *rs, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_reset(&rs->location);
	strbuf_vaddf(&rs->location, fmt, ap);
	va_end(ap);
	rs->code = 303;
}

enum status web_send_file(struct web_response *rs, int dirfd, const char *name,
			  const char *content_type, const char *download, struct error *err)
{
	int fd = workspace_openat(dirfd, name, O_RDONLY, err);
	if (fd < 0)
		return err->status;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_set(err, TERRAIN_ENOTFOUND, "%s: not a file", name);
	}
	if (rs->fd >= 0)
		close(rs->fd);
	rs->fd = fd;
	rs->fd_size = (size_t)st.st_size;
	rs->content_type = content_type;
	strbuf_reset(&rs->disposition);
	if (download)
		strbuf_addf(&rs->disposition, "attachment; filename=\"%s\"", download);
	return TERRAIN_OK;
}

/* ------------------------------------------------------------------ */
/* the router */

void web_route(struct web_router *r, const char *method, const char *pattern, web_handler fn)
{
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 32;
		r->v = xrealloc(r->v, r->alloc * sizeof(*r->v));
	}
	r->v[r->n++] = (struct web_route){method, pattern, fn};
}

void web_router_release(struct web_router *r)
{
	free(r->v);
	*r = (struct web_router){0};
}

/* Does path match pattern?  The {x} segments' values into c->seg, their
 * names and values into c->rq. */
static bool route_match(const char *pattern, const char *path, struct conn_ctx *c)
{
	const char *p = pattern, *u = path;
	size_t n = 0;
	c->rq.nparam = 0;
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			return false;
		p++, u++;
		const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t ul = ue ? (size_t)(ue - u) : strlen(u);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			if (!ul || ul >= sizeof(c->seg[0]) || n >= WEB_PARAMS_MAX)
				return false;
			memcpy(c->seg[n], u, ul);
			c->seg[n][ul] = 0;
			n++;
		} else if (pl != ul || memcmp(p, u, pl)) {
			return false;
		}
		p += pl, u += ul;
	}
	if (*p || *u)
		return false;
	/* second pass: the names, pointing into c->seg[WEB_PARAMS_MAX] */
	char *names = c->seg[WEB_PARAMS_MAX];
	size_t used = 0, k = 0;
	for (p = pattern; (p = strchr(p, '{')); p++) {
		const char *e = strchr(p, '}');
		size_t l = (size_t)(e - p - 1);
		if (used + l + 1 > sizeof(c->seg[0]))
			return false;
		memcpy(names + used, p + 1, l);
		names[used + l] = 0;
		c->rq.param_name[k] = names + used;
		c->rq.param[k] = c->seg[k];
		used += l + 1, k++;
	}
	c->rq.nparam = k;
	return true;
}

/* ------------------------------------------------------------------ */
/* forms and uploads */

static enum MHD_Result refuse(struct conn_ctx *c, unsigned code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum MHD_Result refuse(struct conn_ctx *c, unsigned code, const char *fmt, ...)
{
	if (!c->refuse) {
		va_list ap;
		va_start(ap, fmt);
		error_vset(&c->err, TERRAIN_EUSAGE, fmt, ap);
		va_end(ap);
		c->refuse = code;
	}
	return MHD_YES; /* keep reading (and dropping) the body: the answer follows */
}

static struct web_upload *upload_new(struct conn_ctx *c, const char *key, const char *filename)
{
	struct web_request *rq = &c->rq;
	if (rq->nup == rq->alloc_up) {
		rq->alloc_up = rq->alloc_up ? 2 * rq->alloc_up : 4;
		rq->up = xrealloc(rq->up, rq->alloc_up * sizeof(*rq->up));
	}
	struct web_upload *u = &rq->up[rq->nup];
	*u = (struct web_upload){xstrdup(key), xstrdup(filename), "", 0, -1};
	char rnd[33];
	if (random_hex(16, rnd)) {
		snprintf(u->tmp, sizeof(u->tmp), ".upload-%s", rnd);
		u->fd = openat(rq->study, u->tmp,
			       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (u->fd < 0) {
		u->tmp[0] = 0;
		free(u->field);
		free(u->filename);
		return NULL;
	}
	rq->nup++;
	return u;
}

static enum MHD_Result post_field(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *filename, const char *content_type,
				  const char *transfer_encoding, const char *data, uint64_t off,
				  size_t size)
{
	struct conn_ctx *c = cls;
	struct web_request *rq = &c->rq;
	(void)kind, (void)content_type, (void)transfer_encoding;
	if (c->refuse)
		return MHD_YES;
	if (filename) {
		if (rq->study < 0)
			return refuse(c, 400, "this page takes no file");
		if (c->upload_bytes + size > c->rq.app->upload_max)
			return refuse(c, 413, "upload larger than %zu MB (the server's limit)",
				      c->rq.app->upload_max >> 20);
		if (off == 0 || !c->cur || strcmp(c->cur->field, key)) {
			/* the previous upload's descriptor stays open until it
			 * is kept (synced) or the request ends */
			if (!(c->cur = upload_new(c, key, filename)))
				return refuse(c, 500, "cannot store the upload: %s",
					      strerror(errno));
		}
		for (size_t done = 0; done < size;) {
			ssize_t w = write(c->cur->fd, data + done, size - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return refuse(c, 500, "cannot store the upload: %s",
					      strerror(errno));
			done += (size_t)w;
		}
		c->upload_bytes += size;
		c->cur->size += size;
		return MHD_YES;
	}
	c->form_bytes += size + strlen(key);
	if (c->form_bytes > WEB_FORM_MAX)
		return refuse(c, 413, "form larger than %u bytes", WEB_FORM_MAX);
	struct web_field *f = rq->nform ? &rq->form[rq->nform - 1] : NULL;
	if (off == 0 || !f || strcmp(f->name, key)) {
		if (rq->nform >= WEB_FIELDS_MAX)
			return refuse(c, 413, "more than %u form fields", WEB_FIELDS_MAX);
		if (rq->nform == rq->alloc_form) {
			rq->alloc_form = rq->alloc_form ? 2 * rq->alloc_form : 16;
			rq->form = xrealloc(rq->form, rq->alloc_form * sizeof(*rq->form));
		}
		f = &rq->form[rq->nform++];
		f->name = xstrdup(key);
		f->value = xstrdup("");
		off = 0;
	}
	size_t have = strlen(f->value);
	if (have + size > WEB_FIELD_MAX)
		return refuse(c, 413, "form field \"%.40s\" longer than %u bytes", key,
			      WEB_FIELD_MAX);
	f->value = xrealloc(f->value, have + size + 1);
	memcpy(f->value + have, data, size);
	f->value[have + size] = 0;
	return MHD_YES;
}

static void ctx_free(struct conn_ctx *c)
{
	struct web_request *rq = &c->rq;
	if (c->pp)
		MHD_destroy_post_processor(c->pp);
	for (size_t i = 0; i < rq->nform; i++) {
		free(rq->form[i].name);
		free(rq->form[i].value);
	}
	free(rq->form);
	for (size_t i = 0; i < rq->nup; i++) {
		struct web_upload *u = &rq->up[i];
		if (u->fd >= 0)
			close(u->fd);
		if (u->tmp[0])
			unlinkat(rq->study, u->tmp, 0);
		free(u->field);
		free(u->filename);
	}
	free(rq->up);
	if (rq->study >= 0)
		close(rq->study);
	free(c);
}

/* ------------------------------------------------------------------ */
/* responses */

static void add_headers(struct MHD_Response *r, const struct web_response *rs,
			const struct conn_ctx *c)
{
	MHD_add_response_header(r, "Content-Security-Policy", rs->sandbox ? CSP_SANDBOX : CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", rs->sandbox ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(r, "Cache-Control", rs->cache ? "max-age=3600" : "no-store");
	MHD_add_response_header(r, "Content-Type",
				rs->content_type ? rs->content_type : "text/html; charset=utf-8");
	if (rs->location.len)
		MHD_add_response_header(r, "Location", rs->location.buf);
	if (rs->disposition.len)
		MHD_add_response_header(r, "Content-Disposition", rs->disposition.buf);
	if (rs->cookie.len)
		MHD_add_response_header(r, "Set-Cookie", rs->cookie.buf);
	if (c && c->new_session) {
		char v[160];
		snprintf(v, sizeof(v), "terrain_session=%s; Path=/; HttpOnly; SameSite=Strict",
			 c->rq.session);
		MHD_add_response_header(r, "Set-Cookie", v);
	}
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct web_response *rs,
				     const struct conn_ctx *c)
{
	struct MHD_Response *r;
	if (rs->fd >= 0) {
		r = MHD_create_response_from_fd(rs->fd_size, rs->fd);
		rs->fd = -1; /* MHD closes it */
	} else {
		size_t len = rs->body.len;
		r = MHD_create_response_from_buffer(len, strbuf_detach(&rs->body),
						    MHD_RESPMEM_MUST_FREE);
	}
	if (!r)
		return MHD_NO;
	add_headers(r, rs, c);
	enum MHD_Result ret = MHD_queue_response(conn, rs->code ? rs->code : 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void response_init(struct web_response *rs)
{
	*rs = (struct web_response){0};
	strbuf_init(&rs->body);
	strbuf_init(&rs->location);
	strbuf_init(&rs->disposition);
	strbuf_init(&rs->cookie);
	rs->fd = -1;
}

static void response_release(struct web_response *rs)
{
	strbuf_release(&rs->body);
	strbuf_release(&rs->location);
	strbuf_release(&rs->disposition);
	strbuf_release(&rs->cookie);
	if (rs->fd >= 0)
		close(rs->fd);
}

static unsigned status_code(enum status st)
{
	switch (st) {
	case TERRAIN_OK:
		return 200;
	case TERRAIN_EUSAGE:
	case TERRAIN_EDATA:
		return 400;
	case TERRAIN_ENOTFOUND:
		return 404;
	case TERRAIN_ELOCKED:
		return 409;
	default:
		return 500;
	}
}

void web_error_page(const struct web_request *rq, struct web_response *rs, enum status st,
		    const char *msg)
{
	strbuf_reset(&rs->body);
	strbuf_reset(&rs->location);
	strbuf_reset(&rs->disposition);
	if (rs->fd >= 0)
		close(rs->fd);
	rs->fd = -1;
	rs->content_type = NULL;
	rs->sandbox = false;
	if (!rs->code || rs->code < 400)
		rs->code = status_code(st);
	html_begin(&rs->body, rq, html_tr(rq, "Erreur", "Error"), NULL);
	strbuf_addstr(&rs->body, "<section class=\"error\"><h1>");
	html_text(&rs->body, html_tr(rq, "Erreur", "Error"));
	strbuf_addf(&rs->body, " %u</h1>\n<p class=\"message\">", rs->code);
	html_text(&rs->body, msg);
	strbuf_addstr(&rs->body, "</p>\n<p>");
	/* a study's form refused: back to its page, whose values are kept */
	static const char *const pages[] = {"portrait", "survey", "project", "note"};
	const char *page = NULL, *rest = NULL;
	if (rq && rq->study_id && rq->path && !strncmp(rq->path, "/study/", 7) &&
	    !strncmp(rq->path + 7, rq->study_id, strlen(rq->study_id)))
		rest = rq->path + 7 + strlen(rq->study_id);
	for (size_t i = 0; rest && i < sizeof(pages) / sizeof(*pages) && !page; i++) {
		size_t n = strlen(pages[i]);
		if (*rest == '/' && !strncmp(rest + 1, pages[i], n) &&
		    (rest[1 + n] == '/' || !rest[1 + n]))
			page = pages[i];
	}
	if (page) {
		strbuf_addstr(&rs->body, "<a href=\"/study/");
		html_text(&rs->body, rq->study_id);
		strbuf_addf(&rs->body, "/%s\">", page);
		html_text(&rs->body,
			  html_tr(rq, "Retour à la page de l'étude", "Back to the study's page"));
		strbuf_addstr(&rs->body, "</a> · ");
	}
	strbuf_addstr(&rs->body, "<a href=\"/\">");
	html_text(&rs->body, html_tr(rq, "Retour à l'accueil", "Back to the home page"));
	strbuf_addstr(&rs->body, "</a></p></section>\n");
	html_end(&rs->body, rq);
}

static enum MHD_Result refuse_now(struct MHD_Connection *conn, struct conn_ctx *c, unsigned code,
				  const char *msg)
{
	struct web_response rs;
	response_init(&rs);
	rs.code = code;
	web_error_page(&c->rq, &rs, TERRAIN_EUSAGE, msg);
	enum MHD_Result ret = send_response(conn, &rs, c);
	response_release(&rs);
	return ret;
}

/* ------------------------------------------------------------------ */
/* the checks made before a handler runs */

/* Is the Host header one this server answers to (no DNS rebinding)? */
static bool host_ok(const struct web_app *app, const char *host)
{
	if (app->has_token)
		return true; /* the token decides */
	if (!host)
		return false;
	char want[64];
	static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		snprintf(want, sizeof(want), "%s:%u", names[i], app->port);
		if (!strcmp(host, want))
			return true;
	}
	return false;
}

/* Is the Origin of a POST (when the browser sends one) this server?  With
 * Referrer-Policy no-referrer, browsers send "Origin: null" for the
 * server's own forms: the CSRF token decides then. */
static bool origin_ok(const char *origin, const char *host)
{
	if (!origin || !strcmp(origin, "null"))
		return true;
	const char *p = strstr(origin, "://");
	return p && host && !strcmp(p + 3, host);
}

static void session_of(struct conn_ctx *c)
{
	const char *s = web_cookie(&c->rq, "terrain_session");
	if (s && is_hex(s, 64)) {
		snprintf(c->rq.session, sizeof(c->rq.session), "%s", s);
		return;
	}
	if (!random_hex(32, c->rq.session))
		snprintf(c->rq.session, sizeof(c->rq.session), "%064d", 0);
	c->new_session = true;
}

/* The first call for a request: security, route, study; NULL route with
 * c->refuse set when refused. */
static enum MHD_Result begin(struct web_server *s, struct MHD_Connection *conn, const char *url,
			     const char *method, struct conn_ctx *c)
{
	struct web_app *app = &s->app;
	c->rq.app = app;
	c->rq.conn = conn;
	c->rq.study = -1;
	c->rq.method = method;
	c->rq.path = url;
	const char *lang = web_cookie(&c->rq, "lang");
	c->rq.en = lang && !strcmp(lang, "en");
	session_of(c);

	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	if (!host_ok(app, host))
		return refuse_now(conn, c, 421,
				  "this server answers to 127.0.0.1 and localhost only");
	if (app->has_token) {
		const char *q = web_query(&c->rq, "token");
		const char *k = web_cookie(&c->rq, "terrain_token");
		if (q && same_secret(q, app->token)) {
			/* once: then the cookie, and the address without it */
			struct web_response rs;
			response_init(&rs);
			strbuf_addf(&rs.cookie,
				    "terrain_token=%s; Path=/; HttpOnly; SameSite=Strict",
				    app->token);
			bool plain = url[0] == '/' && url[1] != '/';
			for (const char *p = url; plain && *p; p++)
				plain = *p > 0x20 && *p < 0x7f && *p != '\\';
			web_redirect(&rs, "%s", plain ? url : "/");
			enum MHD_Result ret = send_response(conn, &rs, c);
			response_release(&rs);
			return ret;
		}
		if (!k || !same_secret(k, app->token))
			return refuse_now(conn, c, 403,
					  "this server needs its token: open the address it "
					  "printed when it started");
	}

	c->is_post = !strcmp(method, "POST");
	const char *m = !strcmp(method, "HEAD") ? "GET" : method;
	bool path_seen = false;
	for (size_t i = 0; i < s->router.n && !c->route; i++) {
		const struct web_route *r = &s->router.v[i];
		if (!route_match(r->pattern, url, c))
			continue;
		path_seen = true;
		if (!strcmp(r->method, m))
			c->route = r;
	}
	if (!c->route)
		return refuse_now(conn, c, path_seen ? 405 : 404,
				  path_seen ? html_tr(&c->rq, "méthode non permise ici",
						      "method not allowed here")
					    : html_tr(&c->rq, "page introuvable", "no such page"));
	const char *id = web_param(&c->rq, "id");
	if (id) {
		struct error err = {0};
		if (workspace_study_open(&app->ws, id, &c->rq.study, &err))
			return refuse_now(conn, c, 404, err.msg);
		c->rq.study_id = id;
	}
	if (c->is_post) {
		if (!origin_ok(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin"), host))
			return refuse_now(conn, c, 403, "a form posted from another site");
		const char *cl =
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || *end || n > app->upload_max + WEB_FORM_MAX) {
				char msg[128];
				snprintf(msg, sizeof(msg),
					 "request larger than %zu MB (the server's limit)",
					 (app->upload_max + WEB_FORM_MAX) >> 20);
				return refuse_now(conn, c, 413, msg);
			}
		}
		c->pp = MHD_create_post_processor(conn, 16384, post_field, c);
		/* no form body (no Content-Type): an empty form */
	}
	return MHD_YES;
}

static enum MHD_Result finish(struct MHD_Connection *conn, struct conn_ctx *c)
{
	struct web_response rs;
	struct error err = {0};
	response_init(&rs);
	/* the uploads stay open: web_upload_take syncs and closes the one a
	 * handler keeps, ctx_free closes the others */
	if (c->refuse) {
		rs.code = c->refuse;
		web_error_page(&c->rq, &rs, TERRAIN_EUSAGE, c->err.msg);
	} else if (c->is_post) {
		char want[65];
		const char *got = web_form(&c->rq, "csrf");
		web_csrf_token(&c->rq, c->rq.path, want);
		if (!got || !same_secret(got, want)) {
			rs.code = 403;
			web_error_page(&c->rq, &rs, TERRAIN_EUSAGE,
				       html_tr(&c->rq,
					       "formulaire refusé : il n'est pas venu de cette "
					       "page ou il a expiré (jeton CSRF absent ou "
					       "faux) ; rechargez la page",
					       "form refused: it did not come from this page or "
					       "it has expired (missing or wrong CSRF token); "
					       "reload the page"));
		}
	}
	if (!rs.code) {
		enum status st = c->route->fn(&c->rq, &rs, &err);
		if (st) {
			log_warn("%s %s: %s", c->rq.method, c->rq.path, err.msg);
			web_error_page(&c->rq, &rs, st, err.msg);
		}
	}
	/* the uploads no handler kept: gone before the answer leaves */
	for (size_t i = 0; i < c->rq.nup; i++)
		if (c->rq.up[i].tmp[0]) {
			unlinkat(c->rq.study, c->rq.up[i].tmp, 0);
			c->rq.up[i].tmp[0] = 0;
		}
	enum MHD_Result ret = send_response(conn, &rs, c);
	response_release(&rs);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct web_server *s = cls;
	struct conn_ctx *c = *con_cls;
	(void)version;
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		*con_cls = c;
		return begin(s, conn, url, method, c);
	}
	if (*upload_data_size) {
		if (c->pp && !c->refuse &&
		    MHD_post_process(c->pp, upload_data, *upload_data_size) != MHD_YES)
			refuse(c, 400, "malformed form data");
		else if (!c->pp && !c->refuse)
			refuse(c, 415,
			       "expected a form (application/x-www-form-urlencoded or "
			       "multipart/form-data)");
		*upload_data_size = 0;
		return MHD_YES;
	}
	return finish(conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	if (*con_cls)
		ctx_free(*con_cls);
	*con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* start and stop */

static bool loopback(const char *bind)
{
	return !strcmp(bind, "127.0.0.1") || !strcmp(bind, "::1") || !strcmp(bind, "localhost");
}

enum status web_start(const struct web_options *opt, struct web_server **out, struct error *err)
{
	enum status st;
	const char *bind = opt->bind ? opt->bind : "127.0.0.1";
	struct strbuf wsdir = STRBUF_INIT;
	struct web_server *s = xcalloc(1, sizeof(*s));
	s->app.ws.fd = -1;
	*out = NULL;
	if (!loopback(bind) && !opt->token) {
		st = error_set(err, TERRAIN_EUSAGE,
			       "--bind %s needs --token FILE (a secret every browser must give)",
			       bind);
		goto fail;
	}
	if (opt->token) {
		size_t n = strlen(opt->token);
		if (n < 16 || n >= sizeof(s->app.token)) {
			st = error_set(err, TERRAIN_EUSAGE,
				       "the token must be 16 to %zu characters (found %zu)",
				       sizeof(s->app.token) - 1, n);
			goto fail;
		}
		for (const char *p = opt->token; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
				st = error_set(err, TERRAIN_EUSAGE,
					       "the token may hold letters, digits, - and _ "
					       "only");
				goto fail;
			}
		memcpy(s->app.token, opt->token, n + 1);
		s->app.has_token = true;
	}
	if (RAND_bytes(s->app.secret, sizeof(s->app.secret)) != 1) {
		st = error_set(err, TERRAIN_EIO, "cannot draw a random secret");
		goto fail;
	}
	s->app.upload_max = opt->upload_max ? opt->upload_max : WEB_UPLOAD_DEFAULT;
	s->app.datadir = opt->datadir;
	if (opt->workspace)
		strbuf_addstr(&wsdir, opt->workspace);
	else
		workspace_default(&wsdir);
	if ((st = workspace_open(&s->app.ws, wsdir.buf, err)))
		goto fail;
	if ((st = pipeline_load_bundle(opt->datadir, &s->app.b, err)))
		goto fail;
	web_routes(&s->router);

	struct sockaddr_in sa4 = {0};
	struct sockaddr_in6 sa6 = {0};
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
	const char *addr = !strcmp(bind, "localhost") ? "127.0.0.1" : bind;
	if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons((uint16_t)opt->port);
		sa = (const struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)opt->port);
		sa = (const struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
	} else {
		st = error_set(err, TERRAIN_EUSAGE, "bad --bind '%s' (expected an IP address)",
			       bind);
		goto fail;
	}
	s->d = MHD_start_daemon(
	    flags, (uint16_t)opt->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opt->threads ? opt->threads : 4),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)120, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512, MHD_OPTION_END);
	if (!s->d) {
		st = error_set(err, TERRAIN_EIO, "cannot listen on %s port %u: %s", bind, opt->port,
			       strerror(errno));
		goto fail;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->app.port = info ? info->port : opt->port;
	const char *shown = loopback(bind) ? "127.0.0.1" : bind;
	snprintf(s->app.origin, sizeof(s->app.origin),
		 strchr(shown, ':') ? "http://[%s]:%u" : "http://%s:%u", shown, s->app.port);
	snprintf(s->url, sizeof(s->url), "%s/%s%s", s->app.origin,
		 s->app.has_token ? "?token=" : "", s->app.has_token ? s->app.token : "");
	strbuf_release(&wsdir);
	*out = s;
	return TERRAIN_OK;
fail:
	strbuf_release(&wsdir);
	web_stop(s);
	return st;
}

const char *web_url(const struct web_server *s)
{
	return s->url;
}

unsigned web_port(const struct web_server *s)
{
	return s->app.port;
}

void web_stop(struct web_server *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	web_router_release(&s->router);
	bundle_release(&s->app.b);
	workspace_close(&s->app.ws);
	OPENSSL_cleanse(s->app.token, sizeof(s->app.token));
	free(s);
}

enum status web_serve(const struct web_options *opt, struct error *err)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* blocked before the pool starts, so that only sigwait below sees them */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct web_server *s;
	enum status st = web_start(opt, &s, err);
	if (st)
		return st;
	printf("terrain serve: open %s in your browser (workspace %s); Ctrl-C stops\n", web_url(s),
	       s->app.ws.path);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	log_note("%s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	web_stop(s);
	return TERRAIN_OK;
}
