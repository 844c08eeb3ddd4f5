/* terrain serve (web/): the router, forms, escaping and security, against
 * a server started on a free loopback port by the suite, libcurl as the
 * browser. */
#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/strbuf.h"
#include "../web/server.h"
#include "../web/workspace.h"
#include "helpers.h"

static struct web_server *srv;
static struct strbuf wsdir = STRBUF_INIT;

static int setup(void)
{
	struct web_options o = {0};
	struct error err = {0};
	strbuf_reset(&wsdir);
	strbuf_addf(&wsdir, "%s/ws", test_tmpdir());
	o.workspace = wsdir.buf;
	o.datadir = test_datadir();
	o.upload_max = 1u << 20; /* 1 MB: the hostile uploads are refused fast */
	if (web_start(&o, &srv, &err)) {
		fprintf(stderr, "test_web: %s\n", err.msg);
		return 1;
	}
	return 0;
}

static int teardown(void)
{
	web_stop(srv);
	srv = NULL;
	strbuf_release(&wsdir);
	return 0;
}

/* A browser: one curl handle keeping its cookies. */
struct browser {
	CURL *c;
	long code;
	struct strbuf body, head;
};

static size_t on_data(char *p, size_t size, size_t n, void *sb)
{
	strbuf_add(sb, p, size * n);
	return size * n;
}

static void browser_init(struct browser *b)
{
	b->c = curl_easy_init();
	strbuf_init(&b->body);
	strbuf_init(&b->head);
	curl_easy_setopt(b->c, CURLOPT_COOKIEFILE, ""); /* the cookie engine, in memory */
	curl_easy_setopt(b->c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(b->c, CURLOPT_WRITEDATA, &b->body);
	curl_easy_setopt(b->c, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(b->c, CURLOPT_HEADERDATA, &b->head);
	curl_easy_setopt(b->c, CURLOPT_TIMEOUT, 60L);
}

static void browser_release(struct browser *b)
{
	curl_easy_cleanup(b->c);
	strbuf_release(&b->body);
	strbuf_release(&b->head);
}

/* GET (post NULL) or POST (post: the urlencoded body) path of the suite's
 * server; headers NULL-terminated, may be NULL.  Returns the status. */
static long browse(struct browser *b, const char *path, const char *post,
		   const char *const *headers)
{
	char url[512];
	struct curl_slist *h = NULL;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", web_port(srv), path);
	strbuf_reset(&b->body);
	strbuf_reset(&b->head);
	curl_easy_setopt(b->c, CURLOPT_URL, url);
	curl_easy_setopt(b->c, CURLOPT_HTTPGET, 1L);
	if (post) {
		curl_easy_setopt(b->c, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(b->c, CURLOPT_POSTFIELDSIZE, (long)strlen(post));
	}
	for (size_t i = 0; headers && headers[i]; i++)
		h = curl_slist_append(h, headers[i]);
	curl_easy_setopt(b->c, CURLOPT_HTTPHEADER, h);
	CURLcode rc = curl_easy_perform(b->c);
	curl_easy_setopt(b->c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	b->code = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(b->c, CURLINFO_RESPONSE_CODE, &b->code);
	else
		fprintf(stderr, "test_web: %s: %s\n", url, curl_easy_strerror(rc));
	return b->code;
}

/* The CSRF token of the page's first form into out[65]. */
static bool csrf_of(const struct browser *b, char out[65])
{
	const char *p = strstr(b->body.buf, "name=\"csrf\" value=\"");
	if (!p || strlen(p) < 19 + 64)
		return false;
	memcpy(out, p + 19, 64);
	out[64] = 0;
	return true;
}

/* A header line of the last answer ("Location: ..."), or NULL. */
static const char *header(const struct browser *b, const char *line)
{
	return strstr(b->head.buf, line);
}

/* Create a study for territory code with title through the new study's
 * form; its id (from the redirect) into id. */
static bool create_study(struct browser *b, const char *code, const char *title, struct strbuf *id)
{
	char tok[65], path[128];
	snprintf(path, sizeof(path), "/new?territory=%s", code);
	if (browse(b, path, NULL, NULL) != 200 || !csrf_of(b, tok))
		return false;
	char *t = curl_easy_escape(b->c, title, 0);
	struct strbuf post = STRBUF_INIT;
	strbuf_addf(&post, "csrf=%s&territory=%s&title=%s&author=Camille", tok, code, t);
	curl_free(t);
	long code_ = browse(b, "/new", post.buf, NULL);
	strbuf_release(&post);
	const char *loc = header(b, "Location: /study/");
	if (code_ != 303 || !loc)
		return false;
	loc += strlen("Location: /study/");
	strbuf_reset(id);
	strbuf_add(id, loc, strcspn(loc, "/"));
	return true;
}

static void test_web_security_headers(void)
{
	struct browser b;
	browser_init(&b);
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Content-Security-Policy: default-src 'self'; script-src "
					  "'self'; style-src 'self'; img-src 'self' data:; "
					  "frame-ancestors 'none'\r\n"));
	CU_ASSERT_PTR_NOT_NULL(header(&b, "X-Content-Type-Options: nosniff\r\n"));
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Referrer-Policy: no-referrer\r\n"));
	CU_ASSERT_PTR_NOT_NULL(header(&b, "; Path=/; HttpOnly; SameSite=Strict\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "Nouvelle étude"));
	/* the stylesheet and the script, compiled in */
	CU_ASSERT_EQUAL(browse(&b, "/static/terrain.css", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Content-Type: text/css; charset=utf-8\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "header nav"));
	CU_ASSERT_EQUAL(browse(&b, "/static/terrain.js", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "/search?q="));
	CU_ASSERT_EQUAL(browse(&b, "/static/other.js", NULL, NULL), 404);
	browser_release(&b);
}

static void test_web_router(void)
{
	struct browser b;
	browser_init(&b);
	CU_ASSERT_EQUAL(browse(&b, "/nowhere", NULL, NULL), 404);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "page introuvable"));
	/* a path that exists for GET only */
	CU_ASSERT_EQUAL(browse(&b, "/search?q=x", "a=b", NULL), 405);
	/* {id} must be a study of the listing */
	CU_ASSERT_EQUAL(browse(&b, "/study/nosuch/portrait", NULL, NULL), 404);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "no study &quot;nosuch&quot;"));
	CU_ASSERT_EQUAL(browse(&b, "/study/..%2F..%2Fetc/portrait", NULL, NULL), 404);
	CU_ASSERT_EQUAL(browse(&b, "/study/UPPER/portrait", NULL, NULL), 404);
	CU_ASSERT_EQUAL(browse(&b, "/study//portrait", NULL, NULL), 404);
	/* a symbolic link in the workspace is not a study, even to a folder
	 * with a terrain.ini */
	struct strbuf p = STRBUF_INIT, q = STRBUF_INIT;
	strbuf_addf(&p, "%s/elsewhere", test_tmpdir());
	mkdir(p.buf, 0777);
	strbuf_addf(&q, "%s/terrain.ini", p.buf);
	test_write_file(q.buf, "[project]\nterritory = com:59512\n");
	strbuf_reset(&q);
	strbuf_addf(&q, "%s/link", wsdir.buf);
	CU_ASSERT_EQUAL(symlink(p.buf, q.buf), 0);
	CU_ASSERT_EQUAL(browse(&b, "/study/link/portrait", NULL, NULL), 404);
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "link</a>"));
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, NULL), 200);
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "/study/link/"));
	strbuf_release(&p);
	strbuf_release(&q);
	browser_release(&b);
}

static void test_web_host(void)
{
	struct browser b;
	browser_init(&b);
	/* DNS rebinding: a page of another name resolving to 127.0.0.1 */
	const char *const evil[] = {"Host: evil.example:80", NULL};
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, evil), 421);
	char h[64];
	snprintf(h, sizeof(h), "Host: localhost:%u", web_port(srv));
	const char *const local[] = {h, NULL};
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, local), 200);
	browser_release(&b);
}

static void test_web_search(void)
{
	struct browser b;
	browser_init(&b);
	/* the same search as `terrain territory find roubaix`, first hit first,
	 * INSEE's study zones after the administrative territories */
	CU_ASSERT_EQUAL(browse(&b, "/search?q=roubaix", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Content-Type: application/json\r\n"));
	CU_ASSERT_STRING_EQUAL(
	    b.body.buf, "[{\"code\":\"com:59512\",\"label\":\"Roubaix, commune "
			"(com:59512), 98\u202f286 hab.\"},{\"code\":\"ze:3218\",\"label\":"
			"\"Roubaix-Tourcoing, zone d'emploi (ze:3218), 412\u202f354 hab.\"}]");
	/* ranked as find ranks: exact name first, larger first within a class */
	CU_ASSERT_EQUAL(browse(&b, "/search?q=saint%20etienne", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "[{\"code\":\"com:42218\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "},{\"code\":\"epci:244200770\""));
	/* a code, and a postcode: the communes it serves first (59100 is
	 * Roubaix's postcode and the INSEE code of Bousignies, tests/README) */
	CU_ASSERT_EQUAL(browse(&b, "/search?q=59512", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "[{\"code\":\"com:59512\""));
	CU_ASSERT_EQUAL(browse(&b, "/search?q=59100", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "[{\"code\":\"com:59100\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "},{\"code\":\"com:59512\""));
	CU_ASSERT_EQUAL(browse(&b, "/search?q=dep:59", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "[{\"code\":\"dep:59\",\"label\":\"Nord, "));
	CU_ASSERT_EQUAL(browse(&b, "/new?q=59100", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "59100 is also the postcode of Roubaix (59512)"));
	/* the page without JavaScript: radio buttons */
	CU_ASSERT_EQUAL(browse(&b, "/new?q=Roubaix", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "name=\"territory\" id=\"hit0\" "
						  "value=\"com:59512\" checked>"));
	/* the study's form: the references of `terrain init`, pre-filled */
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "value=\"epci:200093201, ze:3218, dep:59, "
						  "reg:32, fr\""));
	browser_release(&b);
}

static void test_web_csrf(void)
{
	struct browser b, other;
	browser_init(&b);
	browser_init(&other);
	char tok[65], tok_other[65];
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_FATAL(csrf_of(&b, tok));
	/* no token, a wrong one, another browser's: refused, nothing created */
	CU_ASSERT_EQUAL(browse(&b, "/new", "territory=com:59512&title=forged", NULL), 403);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "jeton CSRF absent ou faux"));
	CU_ASSERT_EQUAL(
	    browse(&b, "/new",
		   "csrf=0000000000000000000000000000000000000000000000000000000000000000"
		   "&territory=com:59512&title=forged",
		   NULL),
	    403);
	CU_ASSERT_EQUAL(browse(&other, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_FATAL(csrf_of(&other, tok_other));
	struct strbuf post = STRBUF_INIT;
	strbuf_addf(&post, "csrf=%s&territory=com:59512&title=forged", tok_other);
	CU_ASSERT_EQUAL(browse(&b, "/new", post.buf, NULL), 403);
	/* a post from another site's page */
	strbuf_reset(&post);
	strbuf_addf(&post, "csrf=%s&territory=com:59512&title=forged", tok);
	const char *const origin[] = {"Origin: http://evil.example", NULL};
	CU_ASSERT_EQUAL(browse(&b, "/new", post.buf, origin), 403);
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/forged", wsdir.buf);
	struct stat st;
	CU_ASSERT_NOT_EQUAL(stat(p.buf, &st), 0);
	/* a token is for its form's action only */
	CU_ASSERT_EQUAL(browse(&b, "/study/nosuch/run", post.buf, NULL), 404);
	strbuf_release(&p);
	strbuf_release(&post);
	browser_release(&b);
	browser_release(&other);
}

static void test_web_form_limits(void)
{
	struct browser b;
	browser_init(&b);
	char tok[65];
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_FATAL(csrf_of(&b, tok));
	/* a field over 64 KiB */
	struct strbuf post = STRBUF_INIT;
	strbuf_addf(&post, "csrf=%s&territory=com:59512&title=", tok);
	for (size_t i = 0; i < WEB_FIELD_MAX + 1; i++)
		strbuf_addch(&post, 'a');
	CU_ASSERT_EQUAL(browse(&b, "/new", post.buf, NULL), 413);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "form field &quot;title&quot; longer than "
						  "65536 bytes"));
	/* a bad reference: the form again with the message and what was typed */
	strbuf_reset(&post);
	strbuf_addf(&post,
		    "csrf=%s&territory=com:59512&references=dep:59,+zz:1&title=Mon+%%C3%%A9tude",
		    tok);
	CU_ASSERT_EQUAL(browse(&b, "/new", post.buf, NULL), 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<p class=\"message\">references: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "value=\"Mon étude\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "value=\"dep:59, zz:1\""));
	strbuf_release(&post);
	browser_release(&b);
}

/* A study created with <script> in its title: stored as typed, shown
 * inert on every page. */
static void test_web_escaping(void)
{
	struct browser b;
	struct strbuf id = STRBUF_INIT;
	browser_init(&b);
	CU_ASSERT_FATAL(
	    create_study(&b, "59512", "<script>alert(1)</script> \"Roubaix\" & co", &id));
	CU_ASSERT_STRING_EQUAL(id.buf, "script-alert-1-script-roubaix-co");
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "&lt;script&gt;alert(1)&lt;/script&gt; "
						  "&quot;Roubaix&quot; &amp; co</a>"));
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "<script>alert"));
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "/study/%s/note", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "<script>alert"));
	/* the note itself escapes it too (report/note.c) */
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/file/note.html", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "; sandbox\r\n"));
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "<script>alert"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "&lt;script&gt;alert(1)"));
	strbuf_release(&path);
	strbuf_release(&id);
	browser_release(&b);
}

/* The uploads: a file named ../../x is stored under a name of the
 * server's, inside the study, and removed when no page keeps it; an
 * upload over the cap is refused before it is read. */
static void test_web_hostile_upload(void)
{
	struct browser b;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, url = STRBUF_INIT;
	browser_init(&b);
	CU_ASSERT_FATAL(create_study(&b, "59512", "Upload", &id));
	strbuf_addf(&path, "/study/%s/note", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	char tok[65];
	CU_ASSERT_FATAL(csrf_of(&b, tok));

	curl_mime *mime = curl_mime_init(b.c);
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_name(part, "csrf");
	curl_mime_data(part, tok, CURL_ZERO_TERMINATED);
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "file");
	curl_mime_filename(part, "../../x");
	curl_mime_data(part, "a,b\n1,2\n", CURL_ZERO_TERMINATED);
	strbuf_addf(&url, "http://127.0.0.1:%u%s", web_port(srv), path.buf);
	strbuf_reset(&b.body);
	strbuf_reset(&b.head);
	curl_easy_setopt(b.c, CURLOPT_URL, url.buf);
	curl_easy_setopt(b.c, CURLOPT_MIMEPOST, mime);
	CU_ASSERT_EQUAL(curl_easy_perform(b.c), CURLE_OK);
	curl_easy_getinfo(b.c, CURLINFO_RESPONSE_CODE, &b.code);
	CU_ASSERT_EQUAL(b.code, 303); /* the note's page takes no file: dropped */
	curl_easy_setopt(b.c, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	struct stat st;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/x", test_tmpdir());
	CU_ASSERT_NOT_EQUAL(stat(path.buf, &st), 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/x", wsdir.buf);
	CU_ASSERT_NOT_EQUAL(stat(path.buf, &st), 0);
	/* no temporary file left in the study's folder */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", wsdir.buf, id.buf);
	DIR *d = opendir(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	struct dirent *e;
	size_t left = 0;
	while ((e = readdir(d)))
		left += !strncmp(e->d_name, ".upload-", 8);
	closedir(d);
	CU_ASSERT_EQUAL(left, 0);

	/* a 200 MB upload: refused on its Content-Length (413), no byte
	 * stored */
	struct strbuf hdr = STRBUF_INIT;
	strbuf_addf(&hdr, "Content-Length: %d", 200 * 1024 * 1024);
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/note", id.buf);
	const char *const big[] = {hdr.buf, "Content-Type: multipart/form-data; boundary=x",
				   "Expect: 100-continue", NULL};
	/* the body is never sent: the answer comes before 100 Continue */
	curl_easy_setopt(b.c, CURLOPT_TIMEOUT, 20L);
	long code = browse(&b, path.buf, "", big);
	CU_ASSERT_EQUAL(code, 413);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "request larger than 2 MB"));
	strbuf_release(&hdr);
	strbuf_release(&url);
	strbuf_release(&path);
	strbuf_release(&id);
	browser_release(&b);
}

/* The note page's files are `terrain run`'s: the same study (its
 * terrain.ini copied) run by the command line with the same TERRAIN_DATE
 * gives the same bytes as the server's run, downloaded. */
static void test_web_note_same_as_run(void)
{
	struct browser b;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, cli = STRBUF_INIT;
	browser_init(&b);
	setenv("TERRAIN_DATE", "2026-12-01", 1);
	CU_ASSERT_FATAL(create_study(&b, "59512", "Note identique", &id));
	unsetenv("TERRAIN_DATE");
	strbuf_addf(&cli, "%s/same-as-run", test_tmpdir());
	CU_ASSERT_EQUAL_FATAL(mkdir(cli.buf, 0777), 0);
	strbuf_addf(&path, "%s/%s/terrain.ini", wsdir.buf, id.buf);
	char *ini = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ini);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/terrain.ini", cli.buf);
	test_write_file(path.buf, ini);
	free(ini);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	CU_ASSERT_EQUAL(test_run((const char *const[]){"run", NULL},
				 (const char *const[]){"TERRAIN_DATE=2026-12-01", NULL}, cli.buf,
				 &out, &err),
			0);
	static const char *const files[] = {"note.md",	   "note.html",	      "note.odt",
					    "tables.xlsx", "indicators.json", "portrait.csv"};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		size_t len;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/out/com_59512/%s", cli.buf, files[i]);
		char *want = test_read_file_len(path.buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want);
		strbuf_reset(&path);
		strbuf_addf(&path, "/study/%s/file/%s?download=1", id.buf, files[i]);
		CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
		CU_ASSERT_EQUAL(b.body.len, len);
		if (b.body.len != len || memcmp(b.body.buf, want, len))
			fprintf(stderr, "test_web: %s differs from terrain run's\n", files[i]);
		CU_ASSERT_EQUAL(memcmp(b.body.buf, want, b.body.len < len ? b.body.len : len), 0);
		free(want);
	}
	/* each download says what it is */
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/note", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "note.odt</a> <span class=\"muted\">(la note à "
						  "retoucher dans LibreOffice ou Word)</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "tables.xlsx</a> <span class=\"muted\">(les "
						  "tableaux, pour un tableur)</span>"));
	/* the note is the study's, dated as asked */
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/file/note.md?download=1", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "# Note identique"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "1er décembre 2026"));
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Content-Disposition: attachment; filename=\"note.md\""));
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&cli);
	strbuf_release(&path);
	strbuf_release(&id);
	browser_release(&b);
}

/* The portrait is kept between requests while the study's files are
 * unchanged: a new run with other references shows them at once. */
static void test_web_portrait_after_run(void)
{
	struct browser b;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, post = STRBUF_INIT;
	browser_init(&b);
	CU_ASSERT_FATAL(create_study(&b, "59512", "Portrait rafraichi", &id));
	strbuf_addf(&path, "/study/%s/portrait", id.buf);
	for (int i = 0; i < 2; i++) { /* the second from the cache */
		CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
		CU_ASSERT_PTR_NOT_NULL(strstr(
		    b.body.buf, "<th scope=\"row\">Zone d&#39;emploi de Roubaix-Tourcoing</th>"));
		CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<h1>Portrait : Roubaix</h1>"));
	}
	char tok[65];
	CU_ASSERT_FATAL(csrf_of(&b, tok));
	/* the project file edited by hand: two references */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s/terrain.ini", wsdir.buf, id.buf);
	char *ini = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ini);
	char *line = strstr(ini, "\n;references =");
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	struct strbuf edited = STRBUF_INIT;
	strbuf_add(&edited, ini, (size_t)(line - ini) + 1);
	strbuf_addstr(&edited, "references = dep:59, fr");
	strbuf_addstr(&edited, strchr(line + 1, '\n'));
	test_write_file(path.buf, edited.buf);
	free(ini);
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/run", id.buf);
	strbuf_addf(&post, "csrf=%s", tok);
	CU_ASSERT_EQUAL(browse(&b, path.buf, post.buf, NULL), 303);
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/portrait", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "Roubaix-Tourcoing"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<th scope=\"row\">Nord</th>"));
	/* a run that fails: its message on the page, the outputs kept */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s/terrain.ini", wsdir.buf, id.buf);
	strbuf_addstr(&edited, "\n[survey]\nfile = absent.csv\ncodebook = absent_cb.csv\n");
	test_write_file(path.buf, edited.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/run", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, post.buf, NULL), 303);
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/portrait", id.buf);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "La dernière exécution a échoué"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "absent.csv"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<th scope=\"row\">Nord</th>"));
	strbuf_release(&edited);
	strbuf_release(&post);
	strbuf_release(&path);
	strbuf_release(&id);
	browser_release(&b);
}

/* The row of the indicators' table whose head holds label, or "". */
static void table_row(const char *html, const char *label, struct strbuf *row)
{
	strbuf_reset(row);
	const char *a = strstr(html, label), *b;
	if (a && (b = strstr(a, "</tr>")))
		strbuf_add(row, a, (size_t)(b - a));
}

#define NBSP_  "\xc2\xa0"
#define NNBSP_ "\xe2\x80\xaf"

/* The portrait reads as the note: a zone named as the note names it, a
 * gap of a rate per 1 000 in its unit (points are for percentages), the
 * note's decimals; its wide table scrolls in its frame; a zone d'emploi
 * and a département study have their portrait too, in both languages. */
static void test_web_portrait_reads_as_note(void)
{
	struct browser b;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, row = STRBUF_INIT;
	browser_init(&b);
	CU_ASSERT_FATAL(create_study(&b, "59512", "Portrait comme la note", &id));
	strbuf_addf(&path, "/study/%s/portrait", id.buf);
	CU_ASSERT_EQUAL_FATAL(browse(&b, path.buf, NULL, NULL), 200);
	/* the zone d'emploi as the note names it, in both tables */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, "<th scope=\"row\">Zone d&#39;emploi de Roubaix-Tourcoing</th>"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, "<th>Zone d&#39;emploi de Roubaix-Tourcoing</th>"));
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "<th>Roubaix-Tourcoing</th>"));
	/* births per 1 000: Roubaix 15,3 against the Métropole's 11,7, a gap
	 * of 15,3 - 11,7 = 3,6 by hand, per 1 000 and not in points */
	table_row(b.body.buf, ">Taux de natalité 2022 <", &row);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(row.buf, "<td class=\"num\">15,3</td><td class=\"num\">11,7<br>"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(row.buf, ">+3,6" NBSP_ "pour" NBSP_ "1" NNBSP_ "000" NBSP_ "*<"));
	CU_ASSERT_PTR_NULL(strstr(row.buf, "point"));
	/* the annual change with the note's 2 decimals: (98 892 / 96 077)^(1/6)
	 * - 1 = 0,4825 % by hand from INSEE's populations of 2015 and 2021 */
	table_row(b.body.buf, ">Variation annuelle moyenne de la population", &row);
	CU_ASSERT_PTR_NOT_NULL(strstr(row.buf, "<td class=\"num\">0,48" NBSP_ "%</td>"));
	CU_ASSERT_PTR_NULL(strstr(row.buf, ">0,5" NBSP_ "%<"));
	/* the table scrolls inside the page's container */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, "<div class=\"table-wrap\">\n<table class=\"indicators\">"));
	CU_ASSERT_EQUAL(browse(&b, "/static/terrain.css", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, ".table-wrap { max-width: 100%; overflow-x: auto; }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "p.notice.error { background: #fdecea;"));
	/* a gap never breaks ("+4.2 per | 1,000 *" in English) */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, "table.indicators .gap { white-space: nowrap; }"));
	/* in English: INSEE's English name of the zone, the gap per 1,000 */
	CU_ASSERT_EQUAL(browse(&b, "/lang?to=en&back=/", NULL, NULL), 303);
	CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, "<th scope=\"row\">Roubaix-Tourcoing employment zone</th>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, ">+3.6" NBSP_ "per 1,000" NBSP_ "*<"));
	/* the labels and sources in English too, from the catalogue's English
	 * columns that indicators.json carries beside the run's language */
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf,
				      "title=\"Source: Insee, 2022 civil registration and "
				      "2021 population census\">Birth rate 2022 <"));
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "Taux de natalité"));
	/* a zone d'emploi study (Grenoble's) and a département (Creuse) */
	static const struct {
		const char *code, *title, *h1_en, *h1_fr;
	} other[] = {
	    {"ze:8409", "Zone Grenoble", "<h1>Portrait: Grenoble employment zone</h1>",
	     "<h1>Portrait : zone d&#39;emploi de Grenoble</h1>"},
	    {"dep:23", "Creuse", "<h1>Portrait: Creuse</h1>", "<h1>Portrait : Creuse</h1>"},
	};
	for (size_t i = 0; i < sizeof(other) / sizeof(*other); i++) {
		struct strbuf oid = STRBUF_INIT;
		CU_ASSERT_FATAL(create_study(&b, other[i].code, other[i].title, &oid));
		strbuf_reset(&path);
		strbuf_addf(&path, "/study/%s/portrait", oid.buf);
		CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
		CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, other[i].h1_en));
		CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<table class=\"indicators\">"));
		CU_ASSERT_PTR_NULL(strstr(b.body.buf, "class=\"message\""));
		CU_ASSERT_EQUAL(browse(&b, "/lang?to=fr&back=/", NULL, NULL), 303);
		CU_ASSERT_EQUAL(browse(&b, path.buf, NULL, NULL), 200);
		CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, other[i].h1_fr));
		CU_ASSERT_EQUAL(browse(&b, "/lang?to=en&back=/", NULL, NULL), 303);
		strbuf_release(&oid);
	}
	strbuf_release(&row);
	strbuf_release(&path);
	strbuf_release(&id);
	browser_release(&b);
}

/* Many requests at once (the thread pool): every one answered, none
 * mistaken for a missing study. */
static void test_web_concurrent(void)
{
	struct browser b;
	struct strbuf id = STRBUF_INIT, url = STRBUF_INIT;
	browser_init(&b);
	CU_ASSERT_FATAL(create_study(&b, "59512", "Concurrent", &id));
	strbuf_addf(&url, "http://127.0.0.1:%u/study/%s/portrait", web_port(srv), id.buf);
	enum {
		CLIENTS = 24,
		ROUNDS = 8
	};
	CURLM *m = curl_multi_init();
	CURL *h[CLIENTS];
	struct strbuf sink[CLIENTS];
	unsigned ok = 0, bad = 0;
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < CLIENTS; i++) {
			h[i] = curl_easy_init();
			strbuf_init(&sink[i]);
			curl_easy_setopt(h[i], CURLOPT_URL, url.buf);
			curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, on_data);
			curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &sink[i]);
			curl_multi_add_handle(m, h[i]);
		}
		int running = 1;
		while (running) {
			curl_multi_perform(m, &running);
			if (running)
				curl_multi_poll(m, NULL, 0, 1000, NULL);
		}
		for (int i = 0; i < CLIENTS; i++) {
			long code = 0;
			curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &code);
			if (code == 200 && strstr(sink[i].buf, "<h1>Portrait : Roubaix</h1>"))
				ok++;
			else
				bad++;
			curl_multi_remove_handle(m, h[i]);
			curl_easy_cleanup(h[i]);
			strbuf_release(&sink[i]);
		}
	}
	curl_multi_cleanup(m);
	CU_ASSERT_EQUAL(ok, CLIENTS * ROUNDS);
	CU_ASSERT_EQUAL(bad, 0);
	strbuf_release(&url);
	strbuf_release(&id);
	browser_release(&b);
}

/* The references typed in the form go to the project file; left as
 * proposed (or empty), the line stays commented as terrain init leaves it. */
static void test_web_new_references(void)
{
	struct browser b;
	browser_init(&b);
	char tok[65];
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_FATAL(csrf_of(&b, tok));
	struct strbuf post = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&post, "csrf=%s&territory=com:59512&references=dep:59;fr&title=Refs+choisies",
		    tok);
	CU_ASSERT_EQUAL(browse(&b, "/new", post.buf, NULL), 303);
	strbuf_addf(&path, "%s/refs-choisies/terrain.ini", wsdir.buf);
	char *ini = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ini);
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, "\nreferences = dep:59, fr\n"));
	CU_ASSERT_PTR_NULL(strstr(ini, ";references ="));
	free(ini);
	strbuf_reset(&post);
	strbuf_addf(
	    &post,
	    "csrf=%s&territory=com:59512&references=epci:200093201,+ze:3218,+dep:59,+reg:32,"
	    "+fr&title=Refs+proposees",
	    tok);
	CU_ASSERT_EQUAL(browse(&b, "/new", post.buf, NULL), 303);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/refs-proposees/terrain.ini", wsdir.buf);
	ini = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ini);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(ini, "\n;references = epci:200093201, ze:3218, dep:59, reg:32, fr\n"));
	free(ini);
	strbuf_release(&post);
	strbuf_release(&path);
	browser_release(&b);
}

/* The new study's form names a zone as the note does; in English, the
 * search's hits give the kind of each territory in English words. */
static void test_web_new_names(void)
{
	struct browser b;
	browser_init(&b);
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(b.body.buf, "Métropole Européenne de Lille (epci:200093201), zone "
			       "d&#39;emploi de Roubaix-Tourcoing (ze:3218), Nord (dep:59)"));
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=ze:8409", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<h2>Zone d&#39;emploi de Grenoble <span"));
	CU_ASSERT_EQUAL(browse(&b, "/search?q=Grenoble", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "Grenoble, zone d'emploi (ze:8409)"));
	CU_ASSERT_EQUAL(browse(&b, "/lang?to=en&back=/", NULL, NULL), 303);
	CU_ASSERT_EQUAL(browse(&b, "/search?q=Grenoble", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "Grenoble, employment zone (ze:8409)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "Grenoble, living area (bv:38185)"));
	CU_ASSERT_PTR_NULL(strstr(b.body.buf, "zone d'emploi"));
	CU_ASSERT_EQUAL(browse(&b, "/new?territory=59512", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "Roubaix-Tourcoing employment zone (ze:3218)"));
	browser_release(&b);
}

/* The language switch: a cookie, then back to the page (a local path
 * only: no redirect to another site). */
static void test_web_language(void)
{
	struct browser b;
	browser_init(&b);
	CU_ASSERT_EQUAL(browse(&b, "/lang?to=en&back=/study/x-1/portrait", NULL, NULL), 303);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Location: /study/x-1/portrait\r\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    header(&b, "Set-Cookie: lang=en; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict"));
	CU_ASSERT_EQUAL(browse(&b, "/new", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<html lang=\"en\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, ">New study</h1>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "href=\"/lang?to=fr&amp;back=/new\""));
	CU_ASSERT_EQUAL(browse(&b, "/lang?to=fr&back=//evil.example/x", NULL, NULL), 303);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Location: /\r\n"));
	CU_ASSERT_EQUAL(browse(&b, "/lang?to=fr&back=/%5Cevil.example", NULL, NULL), 303);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Location: /\r\n"));
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, NULL), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.body.buf, "<h1>Vos études</h1>"));
	browser_release(&b);
}

/* terrain serve end to end: the address printed, a clean stop on SIGTERM
 * (exit 0), and --bind without --token refused (exit 2). */
static void test_web_serve_command(void)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, ws = STRBUF_INIT;
	strbuf_addf(&ws, "%s/ws-cli", test_tmpdir());
	CU_ASSERT_EQUAL(test_run((const char *const[]){"serve", "--bind", "192.0.2.1", NULL}, NULL,
				 NULL, &out, &err),
			2);
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: --bind 192.0.2.1 needs --token FILE (a secret "
					"every browser must give)\nTry 'terrain --help'.\n");
	int fd[2], errfd[2];
	CU_ASSERT_EQUAL_FATAL(pipe(fd), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(errfd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(errfd[1], 2);
		close(fd[0]);
		close(errfd[0]);
		execl(test_bin(), test_bin(), "serve", "--port", "0", "--workspace", ws.buf,
		      (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	close(errfd[1]);
	char line[512];
	FILE *fp = fdopen(fd[0], "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fgets(line, sizeof(line), fp));
	CU_ASSERT_EQUAL(strncmp(line, "terrain serve: open http://127.0.0.1:", 37), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "/ in your browser (workspace "));
	kill(pid, SIGTERM);
	int status = 0;
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fclose(fp);
	char e[256] = "";
	ssize_t n = read(errfd[0], e, sizeof(e) - 1);
	e[n > 0 ? n : 0] = 0;
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "SIGTERM: stopping"));
	close(errfd[0]);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&ws);
}

static void test_web_token(void)
{
	struct web_options o = {0};
	struct error err = {0};
	struct web_server *s = NULL;
	struct strbuf ws = STRBUF_INIT;
	strbuf_addf(&ws, "%s/ws-token", test_tmpdir());
	o.workspace = ws.buf;
	o.datadir = test_datadir();
	/* another address needs a token */
	o.bind = "0.0.0.0";
	CU_ASSERT_EQUAL(web_start(&o, &s, &err), TERRAIN_EUSAGE);
	CU_ASSERT_STRING_EQUAL(
	    err.msg, "--bind 0.0.0.0 needs --token FILE (a secret every browser must give)");
	o.bind = NULL;
	o.token = "short";
	CU_ASSERT_EQUAL(web_start(&o, &s, &err), TERRAIN_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "the token must be 16 to 127 characters (found 5)");
	o.token = "0123456789abcdef-TOKEN";
	CU_ASSERT_EQUAL_FATAL(web_start(&o, &s, &err), TERRAIN_OK);
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/?token=0123456789abcdef-TOKEN",
		 web_port(s));
	CU_ASSERT_STRING_EQUAL(web_url(s), url);
	struct web_server *keep = srv;
	srv = s; /* browse() talks to the suite's server */
	struct browser b;
	browser_init(&b);
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, NULL), 403);
	CU_ASSERT_EQUAL(browse(&b, "/?token=0123456789abcdef-TOKEN-wrong", NULL, NULL), 403);
	/* once in the address, then the cookie; the address without it */
	CU_ASSERT_EQUAL(browse(&b, "/new?token=0123456789abcdef-TOKEN", NULL, NULL), 303);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Location: /new\r\n"));
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Set-Cookie: terrain_token=0123456789abcdef-TOKEN; "
					  "Path=/; HttpOnly; SameSite=Strict\r\n"));
	CU_ASSERT_EQUAL(browse(&b, "/new", NULL, NULL), 200);
	/* a path that would split the header: the home page instead */
	CU_ASSERT_EQUAL(
	    browse(&b, "/x%0d%0aSet-Cookie:%20a=b?token=0123456789abcdef-TOKEN", NULL, NULL), 303);
	CU_ASSERT_PTR_NOT_NULL(header(&b, "Location: /\r\n"));
	CU_ASSERT_PTR_NULL(header(&b, "Set-Cookie: a=b"));
	/* with a token, any Host (the token decides; curl matches its cookies
	 * against the Host header, hence the cookie by hand) */
	const char *const host[] = {"Host: 192.0.2.1:8080",
				    "Cookie: terrain_token=0123456789abcdef-TOKEN", NULL};
	CU_ASSERT_EQUAL(browse(&b, "/", NULL, host), 200);
	browser_release(&b);
	srv = keep;
	web_stop(s);
	strbuf_release(&ws);
}

static void test_web_workspace_ids(void)
{
	CU_ASSERT_TRUE(workspace_id_ok("roubaix-2"));
	CU_ASSERT_FALSE(workspace_id_ok(""));
	CU_ASSERT_FALSE(workspace_id_ok(".."));
	CU_ASSERT_FALSE(workspace_id_ok("a/b"));
	CU_ASSERT_FALSE(workspace_id_ok("Roubaix"));
	char id65[66];
	memset(id65, 'a', 65);
	id65[65] = 0;
	CU_ASSERT_FALSE(workspace_id_ok(id65));
	id65[64] = 0;
	CU_ASSERT_TRUE(workspace_id_ok(id65));
	struct web_workspace ws;
	struct error err = {0};
	struct strbuf dir = STRBUF_INIT, id = STRBUF_INIT, text = STRBUF_INIT;
	strbuf_addf(&dir, "%s/ws-ids", test_tmpdir());
	CU_ASSERT_EQUAL_FATAL(workspace_open(&ws, dir.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(workspace_new_id(&ws, "Diagnostic territorial : Saint-Étienne", &id, &err),
			TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(id.buf, "diagnostic-territorial-saint-etienne");
	strbuf_addstr(&text, "[project]\n");
	CU_ASSERT_EQUAL(workspace_create(&ws, id.buf, &text, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(workspace_new_id(&ws, "Diagnostic territorial : Saint-Étienne", &id, &err),
			TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(id.buf, "diagnostic-territorial-saint-etienne-2");
	CU_ASSERT_EQUAL(workspace_new_id(&ws, "<>", &id, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(id.buf, "etude");
	int fd;
	CU_ASSERT_EQUAL(
	    workspace_study_open(&ws, "diagnostic-territorial-saint-etienne", &fd, &err),
	    TERRAIN_OK);
	CU_ASSERT_EQUAL(workspace_openat(fd, "../ws-ids", O_RDONLY | O_DIRECTORY, &err), -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "../ws-ids: not a path inside the study");
	CU_ASSERT_EQUAL(workspace_openat(fd, "/etc/passwd", O_RDONLY, &err), -1);
	int f = workspace_openat(fd, "terrain.ini", O_RDONLY, &err);
	CU_ASSERT(f >= 0);
	close(f);
	close(fd);
	CU_ASSERT_EQUAL(workspace_study_open(&ws, "nosuch", &fd, &err), TERRAIN_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "no study \"nosuch\"");
	workspace_close(&ws);
	strbuf_release(&dir);
	strbuf_release(&id);
	strbuf_release(&text);
}

void suite_web(void)
{
	CU_pSuite s = CU_add_suite("web", setup, teardown);
	ADD_TEST(s, test_web_security_headers);
	ADD_TEST(s, test_web_router);
	ADD_TEST(s, test_web_host);
	ADD_TEST(s, test_web_search);
	ADD_TEST(s, test_web_csrf);
	ADD_TEST(s, test_web_form_limits);
	ADD_TEST(s, test_web_escaping);
	ADD_TEST(s, test_web_hostile_upload);
	ADD_TEST(s, test_web_note_same_as_run);
	ADD_TEST(s, test_web_portrait_after_run);
	ADD_TEST(s, test_web_portrait_reads_as_note);
	ADD_TEST(s, test_web_concurrent);
	ADD_TEST(s, test_web_new_references);
	ADD_TEST(s, test_web_language);
	ADD_TEST(s, test_web_new_names);
	ADD_TEST(s, test_web_serve_command);
	ADD_TEST(s, test_web_token);
	ADD_TEST(s, test_web_workspace_ids);
}
