/* terrain serve's survey and project pages (web/page_survey.c,
 * web/page_project.c), against a server of their own on a free loopback
 * port: each form is read from the page and posted back as a browser
 * would (its fields, its CSRF token), through libcurl. */
#include <curl/curl.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/inifile.h"
#include "../core/strbuf.h"
#include "../pipeline/studyedit.h"
#include "../web/server.h"
#include "helpers.h"

static struct web_server *pages_srv;
static struct strbuf pages_ws = STRBUF_INIT;

static int pages_setup(void)
{
	struct web_options o = {.datadir = test_datadir(), .upload_max = 2u << 20};
	struct error err = {0};
	strbuf_addf(&pages_ws, "%s/pages", test_tmpdir());
	o.workspace = pages_ws.buf;
	if (web_start(&o, &pages_srv, &err)) {
		fprintf(stderr, "test_webpages: %s\n", err.msg);
		return 1;
	}
	return 0;
}

static int pages_teardown(void)
{
	web_stop(pages_srv);
	strbuf_release(&pages_ws);
	return 0;
}

/* A browser tab: its cookies, the last page and its headers. */
struct tab {
	CURL *curl;
	long status;
	struct strbuf page, headers;
};

static size_t keep(char *p, size_t size, size_t n, void *sb)
{
	strbuf_add(sb, p, size * n);
	return size * n;
}

static void tab_open(struct tab *t, struct tab *share_cookies_of)
{
	t->curl = curl_easy_init();
	t->page = (struct strbuf)STRBUF_INIT;
	t->headers = (struct strbuf)STRBUF_INIT;
	curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, &t->page);
	curl_easy_setopt(t->curl, CURLOPT_HEADERFUNCTION, keep);
	curl_easy_setopt(t->curl, CURLOPT_HEADERDATA, &t->headers);
	curl_easy_setopt(t->curl, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(t->curl, CURLOPT_COOKIEFILE, "");
	if (share_cookies_of) { /* a second tab of the same browser */
		struct curl_slist *c = NULL;
		curl_easy_getinfo(share_cookies_of->curl, CURLINFO_COOKIELIST, &c);
		for (struct curl_slist *i = c; i; i = i->next)
			curl_easy_setopt(t->curl, CURLOPT_COOKIELIST, i->data);
		curl_slist_free_all(c);
	}
}

static void tab_close(struct tab *t)
{
	curl_easy_cleanup(t->curl);
	strbuf_release(&t->page);
	strbuf_release(&t->headers);
}

/* Send the request set up on t's handle to path; the status. */
static long tab_send(struct tab *t, const char *path)
{
	struct strbuf url = STRBUF_INIT;
	strbuf_addf(&url, "http://127.0.0.1:%u%s", web_port(pages_srv), path);
	strbuf_reset(&t->page);
	strbuf_reset(&t->headers);
	curl_easy_setopt(t->curl, CURLOPT_URL, url.buf);
	t->status = curl_easy_perform(t->curl) == CURLE_OK ? 0 : -1;
	if (!t->status)
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
	strbuf_release(&url);
	return t->status;
}

static long tab_get(struct tab *t, const char *path)
{
	curl_easy_setopt(t->curl, CURLOPT_HTTPGET, 1L);
	return tab_send(t, path);
}

/* The redirect's target ("" when none). */
static const char *tab_location(const struct tab *t, struct strbuf *out)
{
	const char *l = strstr(t->headers.buf, "Location: ");
	strbuf_reset(out);
	if (l)
		strbuf_add(out, l + 10, strcspn(l + 10, "\r\n"));
	return out->buf;
}

/* HTML entities back to text (the five the pages write). */
static void unescape(const char *s, size_t n, struct strbuf *out)
{
	static const struct {
		const char *e, *c;
	} ents[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (; k < sizeof(ents) / sizeof(ents[0]); k++)
			if (!strncmp(s + i, ents[k].e, strlen(ents[k].e)))
				break;
		if (k < sizeof(ents) / sizeof(ents[0])) {
			strbuf_addstr(out, ents[k].c);
			i += strlen(ents[k].e);
		} else {
			strbuf_addch(out, s[i++]);
		}
	}
}

/* The value of attribute name in the tag starting at tag ("" when none). */
static void attr(const char *tag, const char *end, const char *name, struct strbuf *out)
{
	struct strbuf pat = STRBUF_INIT;
	strbuf_addf(&pat, " %s=\"", name);
	strbuf_reset(out);
	const char *p = strstr(tag, pat.buf);
	if (p && p < end) {
		p += pat.len;
		unescape(p, strcspn(p, "\""), out);
	}
	strbuf_release(&pat);
}

/* The fields of the page's form posting to action, as a browser sends
 * them (inputs, the selected option of each select, textareas), with
 * the value of each name in set ("name", "value" pairs, NULL-ended)
 * instead; urlencoded into body. */
static bool form_of(struct tab *t, const char *action, const char *const *set, struct strbuf *body)
{
	struct strbuf pat = STRBUF_INIT, name = STRBUF_INIT, value = STRBUF_INIT;
	strbuf_addf(&pat, "action=\"%s\"", action);
	const char *form = strstr(t->page.buf, pat.buf);
	const char *end = form ? strstr(form, "</form>") : NULL;
	strbuf_reset(body);
	for (const char *p = form; p && p < end;) {
		const char *tag = strchr(p, '<');
		if (!tag || tag >= end)
			break;
		const char *close = strchr(tag, '>');
		p = close + 1;
		bool input = !strncmp(tag, "<input ", 7), select = !strncmp(tag, "<select ", 8),
		     area = !strncmp(tag, "<textarea ", 10);
		if (!input && !select && !area)
			continue;
		attr(tag, close, "name", &name);
		strbuf_reset(&value);
		if (input) {
			attr(tag, close, "value", &value);
		} else if (area) {
			const char *stop = strstr(p, "</textarea>");
			unescape(p, (size_t)(stop - p), &value);
		} else {
			const char *stop = strstr(p, "</select>");
			const char *sel = strstr(p, " selected>");
			if (sel && sel < stop) {
				const char *opt = sel;
				while (strncmp(opt, "<option ", 8))
					opt--;
				attr(opt, sel + 1, "value", &value);
			} else { /* none selected: the first option */
				const char *opt = strstr(p, "<option ");
				attr(opt, strchr(opt, '>'), "value", &value);
			}
		}
		for (size_t i = 0; set && set[i]; i += 2)
			if (!strcmp(set[i], name.buf)) {
				strbuf_reset(&value);
				strbuf_addstr(&value, set[i + 1]);
			}
		char *n = curl_easy_escape(t->curl, name.buf, 0),
		     *v = curl_easy_escape(t->curl, value.buf, 0);
		strbuf_addf(body, "%s%s=%s", body->len ? "&" : "", n, v);
		curl_free(n);
		curl_free(v);
	}
	strbuf_release(&pat);
	strbuf_release(&name);
	strbuf_release(&value);
	return form != NULL;
}

/* Post the page's form to action with the changes in set. */
static long tab_submit(struct tab *t, const char *action, const char *const *set)
{
	struct strbuf body = STRBUF_INIT;
	if (!form_of(t, action, set, &body)) {
		strbuf_release(&body);
		return -1;
	}
	curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, body.buf);
	curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE, (long)body.len);
	long st = tab_send(t, action);
	strbuf_release(&body);
	return st;
}

/* Upload data as a file named filename through the survey page's form. */
static long tab_upload(struct tab *t, const char *action, const char *filename, const char *data,
		       size_t len)
{
	struct strbuf body = STRBUF_INIT;
	form_of(t, action, NULL, &body); /* the CSRF token */
	const char *tok = strstr(body.buf, "csrf=");
	curl_mime *mime = curl_mime_init(t->curl);
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_name(part, "csrf");
	curl_mime_data(part, tok ? tok + 5 : "", tok ? strcspn(tok + 5, "&") : 0);
	part = curl_mime_addpart(mime);
	curl_mime_name(part, "file");
	curl_mime_filename(part, filename);
	curl_mime_data(part, data, len);
	curl_easy_setopt(t->curl, CURLOPT_MIMEPOST, mime);
	long st = tab_send(t, action);
	curl_easy_setopt(t->curl, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	strbuf_release(&body);
	return st;
}

/* A new study of Roubaix through the new study's form; its id into id. */
static void new_study(struct tab *t, const char *title, struct strbuf *id)
{
	struct strbuf loc = STRBUF_INIT;
	CU_ASSERT_EQUAL_FATAL(tab_get(t, "/new?territory=59512"), 200);
	const char *set[] = {"title", title, NULL};
	CU_ASSERT_EQUAL_FATAL(tab_submit(t, "/new", set), 303);
	tab_location(t, &loc);
	CU_ASSERT_EQUAL_FATAL(strncmp(loc.buf, "/study/", 7), 0);
	strbuf_reset(id);
	strbuf_add(id, loc.buf + 7, strcspn(loc.buf + 7, "/"));
	strbuf_release(&loc);
}

static void study_file(const char *id, const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s/%s", pages_ws.buf, id, name);
}

static bool has(const struct tab *t, const char *s)
{
	bool ok = strstr(t->page.buf, s) != NULL;
	if (!ok)
		fprintf(stderr, "\ntest_webpages: \"%s\" not in the page\n", s);
	return ok;
}

/* The demonstration export of the browser test: 60 invented answers in
 * LimeSurvey's shape, one age typed "trente-deux" (line 19). */
static char *demo_export(size_t *len)
{
	return test_fixture("tests/browser/", "enquete_limesurvey_inventee.csv", len);
}

/* A new study with the demonstration export uploaded as export.csv, its
 * survey page open in t; the page's path into path. */
static void study_with_survey(struct tab *t, const char *title, struct strbuf *id,
			      struct strbuf *path)
{
	struct strbuf action = STRBUF_INIT;
	size_t len;
	char *csv = demo_export(&len);
	new_study(t, title, id);
	strbuf_reset(path);
	strbuf_addf(path, "/study/%s/survey", id->buf);
	strbuf_addf(&action, "/study/%s/survey/upload", id->buf);
	CU_ASSERT_EQUAL(tab_get(t, path->buf), 200);
	CU_ASSERT_EQUAL(tab_upload(t, action.buf, "export.csv", csv, len), 303);
	CU_ASSERT_EQUAL(tab_get(t, path->buf), 200);
	free(csv);
	strbuf_release(&action);
}

/* Upload an export named "../../x": kept as enquete_x.csv in the study,
 * nothing outside it; its codebook drafted; [survey] set; the check and
 * the results shown.  Then a type changed in the table: the problem it
 * makes listed with its line, column and value, linked to its variable's
 * row; fixed with a missing code, the check passes and the stage runs. */
static void test_webpages_survey(void)
{
	struct tab t;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, action = STRBUF_INIT, loc = STRBUF_INIT;
	size_t len;
	char *csv = demo_export(&len);
	tab_open(&t, NULL);
	new_study(&t, "Enquête Roubaix", &id);
	strbuf_addf(&path, "/study/%s/survey", id.buf);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	strbuf_addf(&action, "/study/%s/survey/upload", id.buf);
	CU_ASSERT_EQUAL(tab_upload(&t, action.buf, "../../x", csv, len), 303);
	CU_ASSERT_STRING_EQUAL(tab_location(&t, &loc),
			       "/study/enquete-roubaix/survey?saved=1#check");
	struct stat sb;
	study_file(id.buf, "enquete_x.csv", &path);
	CU_ASSERT_EQUAL(stat(path.buf, &sb), 0);
	CU_ASSERT_EQUAL((size_t)sb.st_size, len);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/x", test_tmpdir());
	CU_ASSERT_NOT_EQUAL(stat(path.buf, &sb), 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/x.csv", pages_ws.buf);
	CU_ASSERT_NOT_EQUAL(stat(path.buf, &sb), 0);
	study_file(id.buf, "terrain.ini", &path);
	struct inifile f;
	struct strbuf v = STRBUF_INIT;
	struct error err = {0};
	CU_ASSERT_EQUAL_FATAL(studyedit_read(path.buf, &f, &err), TERRAIN_OK);
	CU_ASSERT_TRUE(inifile_get(&f, "survey", "file", &v));
	CU_ASSERT_STRING_EQUAL(v.buf, "enquete_x.csv");
	CU_ASSERT_TRUE(inifile_get(&f, "survey", "codebook", &v));
	CU_ASSERT_STRING_EQUAL(v.buf, "codebook_x.csv");
	inifile_release(&f);

	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/survey", id.buf);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT(has(&t, "60 répondants lus ; 0 problème."));
	CU_ASSERT(has(&t, "<tr id=\"var-q2\">"));
	CU_ASSERT(has(&t, "q1 = F")); /* the survey stage's results */
	CU_ASSERT(has(&t, "/chart/survey_q3.svg"));
	/* the French page in French: the codebook's headings and values in
	 * words (the file's names in the title), the limits as numbers */
	CU_ASSERT(has(&t, "<th title=\"labels\">libellés</th><th title=\"missing\">non-réponses"));
	CU_ASSERT(has(&t, "<th title=\"short_label\">libellé court</th>"));
	CU_ASSERT(has(&t, "<option value=\"single\" selected>choix unique</option>"));
	CU_ASSERT(has(&t, "<option value=\"stratum\">strate</option>"));
	CU_ASSERT(has(&t, "100\xe2\x80\xaf"
			  "000 lignes, 2\xe2\x80\xaf"
			  "000 colonnes."));
	CU_ASSERT_PTR_NULL(strstr(t.page.buf, "missing :"));
	/* the estimates as a table: q1 = F, 26 of the 60 answers (counted in
	 * the file) = 43,3 %; its interval by hand as R's svyciprop(method =
	 * "logit") gives it for a simple random sample: se = sqrt(p(1-p)/59) =
	 * 0,06451, logit(p) -/+ qt(0,975, 59) * se / (p(1-p)) = -0,26826 -/+
	 * 0,52570, back: 31,13 % to 56,40 % */
	CU_ASSERT(
	    has(&t, "<tr><td>Q1</td><td>F</td><td>ensemble</td><td class=\"num\">43,3\xc2\xa0%</td>"
		    "<td class=\"num\">31,1\xc2\xa0% à 56,4\xc2\xa0%</td><td "
		    "class=\"num\">60</td><td></td></tr>"));
	CU_ASSERT(has(&t, "imprécis (CV de plus de 20 %)"));
	CU_ASSERT(has(&t, "<details><summary>Rapport complet de l&#39;analyse"));

	/* q2 (the age) drafted as text because of "trente-deux": an integer */
	strbuf_reset(&action);
	strbuf_addf(&action, "/study/%s/survey/codebook", id.buf);
	const char *set_type[] = {"type.5", "integer", NULL};
	CU_ASSERT(has(&t, "name=\"var.5\" value=\"q2\""));
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set_type), 303);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT(has(&t, "60 répondants lus ; 1 problème."));
	CU_ASSERT(has(&t,
		      "<li><a href=\"#var-q2\">ligne 19, colonne 4</a> : &quot;trente-deux&quot; "
		      "is not a number (expected a whole number for &quot;q2&quot;) (column "
		      "&quot;Q2&quot;)</li>"));
	/* the run failed on it: said, with the file's name only */
	CU_ASSERT(has(&t, "Le dernier calcul a échoué"));
	/* said under the page's title, as on the portrait, in a styled box */
	const char *h1 = strstr(t.page.buf, "<h1>Enquête de terrain</h1>");
	CU_ASSERT(h1 && h1 < strstr(t.page.buf, "<p class=\"notice error\" role=\"alert\">"));
	CU_ASSERT(has(&t, "(the first: enquete_x.csv:19:4: "));
	/* the role "meta" of submitdate, which the list does not offer, kept */
	study_file(id.buf, "codebook_x.csv", &v);
	char *cb = test_read_file(v.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(cb, "submitdate;submitdate;date;;;;;;meta;;submitdate\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cb, "q2;Q2;integer;;;;;;;;Q2\n"));
	free(cb);

	const char *set_missing[] = {"missing.5", "trente-deux", NULL};
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set_missing), 303);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT(has(&t, "60 répondants lus ; 0 problème."));
	CU_ASSERT_PTR_NULL(strstr(t.page.buf, "Le dernier calcul a échoué"));
	CU_ASSERT(has(&t, "q2                                       mean"));

	/* a codebook the loader refuses: nothing written, its message */
	const char *set_bad[] = {"labels.4", "F=Femme|F=Homme", NULL};
	cb = test_read_file(v.buf);
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set_bad), 400);
	CU_ASSERT(has(&t, "codebook_x.csv:5:"));
	char *cb2 = test_read_file(v.buf);
	CU_ASSERT_STRING_EQUAL(cb2, cb);
	free(cb);
	free(cb2);

	tab_close(&t);
	free(csv);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&action);
	strbuf_release(&loc);
	strbuf_release(&v);
}

/* The hostile inputs of the survey page: a <script> in a category label
 * rendered inert (in the table, the check and the results), a binary
 * file refused with the reader's file:line:column message and not kept, an
 * upload over the server's cap refused without being stored whole, and a
 * POST without the CSRF token refused with nothing written. */
static void test_webpages_survey_hostile(void)
{
	struct tab t;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, action = STRBUF_INIT,
		      file = STRBUF_INIT;
	tab_open(&t, NULL);
	study_with_survey(&t, "Hostile", &id, &path);
	strbuf_addf(&action, "/study/%s/survey/codebook", id.buf);
	const char *set[] = {"labels.4", "F=<script>alert(1)</script>|H=Homme", NULL};
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set), 303);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT_PTR_NULL(strstr(t.page.buf, "<script>alert"));
	CU_ASSERT(has(&t, "F=&lt;script&gt;alert(1)&lt;/script&gt;|H=Homme"));
	CU_ASSERT(has(&t, "q1 = &lt;script&gt;alert(1)&lt;/script&gt;")); /* the results */

	/* a binary file: refused, the reader's message, nothing kept */
	strbuf_reset(&action);
	strbuf_addf(&action, "/study/%s/survey/upload", id.buf);
	static const char elf[] = "\x7f"
				  "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
	CU_ASSERT_EQUAL(tab_upload(&t, action.buf, "photo.csv", elf, sizeof(elf) - 1), 400);
	CU_ASSERT(has(&t, "photo.csv:1:1: NUL byte at byte 8 of the field (expected text)"));
	study_file(id.buf, "enquete_photo.csv", &file);
	struct stat sb;
	CU_ASSERT_NOT_EQUAL(stat(file.buf, &sb), 0);

	/* 3 MB over the server's 2 MB cap (this suite's server): refused while
	 * it streams, no file of it left in the study */
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	size_t big = 3u << 20;
	char *data = malloc(big);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	memset(data, 'a', big);
	for (size_t i = 99; i < big; i += 100)
		data[i] = '\n';
	CU_ASSERT_EQUAL(tab_upload(&t, action.buf, "big.csv", data, big), 413);
	free(data);
	strbuf_reset(&file);
	strbuf_addf(&file, "%s/%s", pages_ws.buf, id.buf);
	DIR *d = opendir(file.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, ".upload-", 8);
	closedir(d);
	CU_ASSERT_EQUAL(n, 0); /* no ".upload-..." temporary file */
	study_file(id.buf, "enquete_big.csv", &file);
	CU_ASSERT_NOT_EQUAL(stat(file.buf, &sb), 0);

	/* a forged POST (no token) to the codebook and the margins */
	study_file(id.buf, "codebook_export.csv", &file);
	char *before = test_read_file(file.buf);
	strbuf_reset(&action);
	strbuf_addf(&action, "/study/%s/survey/codebook", id.buf);
	const char *forged = "var.1=q4&type.1=text";
	curl_easy_setopt(t.curl, CURLOPT_POSTFIELDS, forged);
	curl_easy_setopt(t.curl, CURLOPT_POSTFIELDSIZE, (long)strlen(forged));
	CU_ASSERT_EQUAL(tab_send(&t, action.buf), 403);
	strbuf_reset(&action);
	strbuf_addf(&action, "/study/%s/survey/margins", id.buf);
	const char *forged2 = "mv.0=q1&mc.0=F&mt.0=10";
	curl_easy_setopt(t.curl, CURLOPT_POSTFIELDS, forged2);
	curl_easy_setopt(t.curl, CURLOPT_POSTFIELDSIZE, (long)strlen(forged2));
	CU_ASSERT_EQUAL(tab_send(&t, action.buf), 403);
	char *after = test_read_file(file.buf);
	CU_ASSERT_STRING_EQUAL(after, before);
	study_file(id.buf, "marges.csv", &file);
	CU_ASSERT_NOT_EQUAL(stat(file.buf, &sb), 0);
	free(before);
	free(after);

	tab_close(&t);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&action);
	strbuf_release(&file);
}

/* The margins entered on the page: written, [survey] margins set, the
 * sample raked to them (the results say so). */
static void test_webpages_margins(void)
{
	struct tab t;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, action = STRBUF_INIT,
		      file = STRBUF_INIT;
	tab_open(&t, NULL);
	study_with_survey(&t, "Marges", &id, &path);
	strbuf_addf(&action, "/study/%s/survey/margins", id.buf);
	/* INVENTED targets */
	const char *set[] = {"mv.0", "q1",   "mc.0", "F",    "mt.0", "5200", "mv.1",
			     "q1",   "mc.1", "H",    "mt.1", "4800", NULL};
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set), 303);
	study_file(id.buf, "marges.csv", &file);
	char *m = test_read_file(file.buf);
	CU_ASSERT_STRING_EQUAL(m, "variable;category;target\nq1;F;5200\nq1;H;4800\n");
	free(m);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT(has(&t, "Weighting: rake"));
	CU_ASSERT(has(&t, "q1 = F                                   proportion     52.0 %"));
	/* a margins file the page cannot read (an unclosed quote): its error
	 * shown, no form over it that would replace it with the rows typed */
	static const char broken[] = "variable;category;target\n\"q1;F;5200\nq1;H;4800\n";
	test_write_file(file.buf, broken);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT_FALSE(has(&t, action.buf));
	m = test_read_file(file.buf);
	CU_ASSERT_STRING_EQUAL(m, broken);
	free(m);
	test_write_file(file.buf, "variable;category;target\nq1;F;5200\nq1;H;4800\n");
	/* the page in English: English punctuation and units */
	CU_ASSERT_EQUAL(tab_get(&t, "/lang?to=en&back=/"), 303);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT(has(&t, "<p id=\"check-summary\">60 respondents read; 0 problems.</p>"));
	CU_ASSERT(has(&t, "At most 20 MB, 100,000 rows, 2,000 columns."));
	strbuf_reset(&path);
	strbuf_addf(&path, "/study/%s/project", id.buf);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	/* (the year: the one after today's; the SMIC of 2026 carried forward) */
	CU_ASSERT(has(&t, "by default in 20"));
	CU_ASSERT(has(&t, ": default (params/budget_parameters.csv): smic_hourly from 1 January "
			  "2026: 12.02 EUR/h. decree no. 2025-1228"));
	CU_ASSERT(has(&t, "places per 1,000 persons of the public")); /* English numbers */
	tab_close(&t);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&action);
	strbuf_release(&file);
}

/* The project page: every default shown with its source; a budget filled
 * in and computed (results, scenarios, sensitivity); two tabs saving the
 * same form, the second's field changed by the first named and kept; a
 * forged POST refused. */
static void test_webpages_project(void)
{
	struct tab a, b;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, loc = STRBUF_INIT, file = STRBUF_INIT;
	tab_open(&a, NULL);
	new_study(&a, "Projet", &id);
	strbuf_addf(&path, "/study/%s/project", id.buf);
	CU_ASSERT_EQUAL(tab_get(&a, path.buf), 200);
	/* the defaults, with their sources (datasets/params/budget_parameters.csv) */
	CU_ASSERT(has(&a, "smic_hourly à partir du 1er janvier 2026 : 12,02 €/h. décret n° "
			  "2025-1228 du 17 décembre 2025 (+1,18 %) [S]"));
	CU_ASSERT(has(&a, "par défaut 0 part du socle : "));
	CU_ASSERT(has(&a, "obligatoire (postes)"));
	/* an INVENTED ACI, the example's figures */
	const char *budget[] = {"v|budget|structure",
				"ACI",
				"v|budget|start_year",
				"2027",
				"v|budget|posts",
				"12, 14, 14",
				"v|budget|contract_hours",
				"26",
				"v|budget|occupancy",
				"90 %",
				"v|budget|supervisors_etp",
				"2",
				"v|budget|supervisor_cost",
				"40000",
				"v|budget|accompaniment_etp",
				"1",
				"v|budget|accompaniment_cost",
				"42000",
				"v|budget|training",
				"9000",
				"v|budget|depreciation",
				"6000",
				"v|budget|operating",
				"Locaux: 18000\r\nVéhicules: 12000",
				"v|budget|sales",
				"70000, 85000, 90000",
				NULL};
	CU_ASSERT_EQUAL(tab_submit(&a, path.buf, budget), 303);
	tab_location(&a, &loc);
	CU_ASSERT_EQUAL(strncmp(loc.buf, "/study/projet/project?saved=", 28), 0);
	CU_ASSERT_EQUAL(tab_get(&a, path.buf), 200);
	CU_ASSERT_PTR_NULL(strstr(a.page.buf, "Le dernier calcul a échoué"));
	CU_ASSERT(has(&a, "id=\"budget-scenario\""));
	CU_ASSERT(has(&a, "id=\"budget-sensitivity\""));
	/* the pay of 2027 (test_budget.c's example): 12 x 0.9 x 26 x 52 h x
	 * 12.02 x 1.044 = 183 233.73 */
	CU_ASSERT(has(&a, "183233.73"));
	study_file(id.buf, "terrain.ini", &file);
	char *ini = test_read_file(file.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, "operating = Locaux: 18000\n    Véhicules: 12000\n"));
	/* the template's comments are still there */
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, "; "));
	free(ini);

	/* two tabs drawn from the same file */
	tab_open(&b, &a);
	CU_ASSERT_EQUAL(tab_get(&b, path.buf), 200);
	const char *in_a[] = {"v|budget|posts", "10", NULL};
	CU_ASSERT_EQUAL(tab_submit(&a, path.buf, in_a), 303);
	const char *in_b[] = {"v|budget|posts", "16", "v|budget|contract_hours", "24", NULL};
	CU_ASSERT_EQUAL(tab_submit(&b, path.buf, in_b), 303);
	CU_ASSERT_STRING_EQUAL(tab_location(&b, &loc),
			       "/study/projet/project?saved=1&conflicts=%5Bbudget%5D%20posts");
	CU_ASSERT_EQUAL(tab_get(&b, loc.buf), 200);
	CU_ASSERT(has(&b, "leur nouvelle valeur est gardée, la vôtre n&#39;est pas enregistrée : "
			  "[budget] posts"));
	ini = test_read_file(file.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, "\nposts = 10\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ini, "\ncontract_hours = 24\n"));
	/* a forged POST: refused, the file as it was */
	const char *forged = "v%7Cbudget%7Cposts=99";
	curl_easy_setopt(b.curl, CURLOPT_POSTFIELDS, forged);
	curl_easy_setopt(b.curl, CURLOPT_POSTFIELDSIZE, (long)strlen(forged));
	CU_ASSERT_EQUAL(tab_send(&b, path.buf), 403);
	char *again = test_read_file(file.buf);
	CU_ASSERT_STRING_EQUAL(again, ini);
	free(ini);
	free(again);
	tab_close(&a);
	tab_close(&b);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&loc);
	strbuf_release(&file);
}

/* The offer inventory on the project page: the example's invented file
 * (its '#' line kept), a capacity changed through the table and written
 * back, a save drawn from another version refused; the import without a
 * store says where it looked. */
static void test_webpages_offer(void)
{
	struct tab t;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, action = STRBUF_INIT,
		      file = STRBUF_INIT, ini = STRBUF_INIT;
	size_t len;
	tab_open(&t, NULL);
	new_study(&t, "Offre", &id);
	char *offer =
	    test_fixture("datasets/examples/grenoble/", "offre_exemple_inventee.csv", &len);
	study_file(id.buf, "offre.csv", &file);
	test_write_file(file.buf, offer);
	study_file(id.buf, "terrain.ini", &ini);
	struct studyedit_field f = {"offer", "file", NULL, "offre.csv"};
	struct studyedit_result res;
	struct error err = {0};
	CU_ASSERT_EQUAL(studyedit_apply(ini.buf, &f, 1, &res, &err), TERRAIN_OK);
	studyedit_result_release(&res);
	strbuf_addf(&path, "/study/%s/project", id.buf);
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	CU_ASSERT(has(&t, "<td>Atelier inventé des Espaces verts</td><td>ACI</td><td>38185</td>"));
	strbuf_addf(&action, "/study/%s/project/offer", id.buf);
	const char *set[] = {"places.0", "30", NULL};
	struct strbuf drawn = STRBUF_INIT;
	strbuf_addbuf(&drawn, &t.page);
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set), 303);
	char *now = test_read_file(file.buf);
	/* the first line (the '#' comment) and the other rows as they were */
	CU_ASSERT_EQUAL(strncmp(now, offer, strcspn(offer, "\n") + 1), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(now, "\nAtelier inventé des Espaces verts;;ACI;38185;30;;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(now, "\nRégie de quartier inventée;;EI;38185;;12;"));
	free(now);
	/* the page as it was before: its revision is stale */
	strbuf_swap(&t.page, &drawn);
	strbuf_release(&drawn);
	const char *set2[] = {"places.0", "40", NULL};
	CU_ASSERT_EQUAL(tab_submit(&t, action.buf, set2), 400);
	CU_ASSERT(has(&t, "l&#39;inventaire a changé depuis l&#39;affichage de la page"));
	/* the import: this workspace's study has no store */
	CU_ASSERT_EQUAL(tab_get(&t, path.buf), 200);
	strbuf_reset(&action);
	strbuf_addf(&action, "/study/%s/project/offer-import", id.buf);
	long code = tab_submit(&t, action.buf, NULL);
	CU_ASSERT(code == 404 || code == 400);
	CU_ASSERT(has(&t, "store"));
	/* the way back to the project's page, not only to the home page */
	strbuf_reset(&action);
	strbuf_addf(&action, "<a href=\"/study/%s/project\">Retour à la page de l&#39;étude</a>",
		    id.buf);
	CU_ASSERT(has(&t, action.buf));
	free(offer);
	tab_close(&t);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&action);
	strbuf_release(&file);
	strbuf_release(&ini);
}

void suite_webpages(void)
{
	CU_pSuite s = CU_add_suite("webpages", pages_setup, pages_teardown);
	ADD_TEST(s, test_webpages_survey);
	ADD_TEST(s, test_webpages_survey_hostile);
	ADD_TEST(s, test_webpages_margins);
	ADD_TEST(s, test_webpages_project);
	ADD_TEST(s, test_webpages_offer);
}
