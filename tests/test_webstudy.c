/* The study pages' pipeline-side pieces: editing terrain.ini with the
 * user's comments kept and the revision check of two tabs, the upload
 * checks, and rerunning only the stages whose inputs changed. */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/inifile.h"
#include "../core/strbuf.h"
#include "../ingest/upload.h"
#include "../pipeline/stages.h"
#include "../pipeline/studyedit.h"
#include "helpers.h"

/* Parse text, apply fn, and compare the text written with want. */
static void check_edit(const char *text, void (*fn)(struct inifile *), const char *want)
{
	struct inifile f;
	struct strbuf out = STRBUF_INIT;
	inifile_parse(&f, text, strlen(text));
	fn(&f);
	inifile_write(&f, &out);
	CU_ASSERT_STRING_EQUAL(out.buf, want);
	if (strcmp(out.buf, want))
		fprintf(stderr, "\n--- got\n%s--- want\n%s---\n", out.buf, want);
	inifile_release(&f);
	strbuf_release(&out);
}

static const char *const sample = "; my study: comments kept\n"
				  "[project]\n"
				  "title = Diagnostic : Roubaix ; an inline comment\n"
				  "# the territory\n"
				  "territory = com:59512\n"
				  "\n"
				  "; the budget below\n"
				  "[budget]\n"
				  "structure = ACI\n"
				  "operating = Locaux: 18000\n"
				  "    ; a comment among the lines\n"
				  "    Véhicules: 12000\n"
				  "posts = 12\n"
				  "\n"
				  "; the target\n"
				  "[target]\n"
				  "label = jeunes\n";

static void nothing(struct inifile *f)
{
	(void)f;
}

static void test_webstudy_inifile_roundtrip(void)
{
	check_edit(sample, nothing, sample);
	check_edit("a = 1", nothing, "a = 1"); /* no final line end kept so */
	check_edit("[x]\r\na = 1\r\n", nothing, "[x]\r\na = 1\r\n");
	check_edit("", nothing, "");
}

static void test_webstudy_inifile_get(void)
{
	struct inifile f;
	struct strbuf v = STRBUF_INIT;
	inifile_parse(&f, sample, strlen(sample));
	CU_ASSERT_TRUE(inifile_get(&f, "project", "title", &v));
	CU_ASSERT_STRING_EQUAL(v.buf, "Diagnostic : Roubaix"); /* inline comment left out */
	CU_ASSERT_TRUE(inifile_get(&f, "budget", "operating", &v));
	CU_ASSERT_STRING_EQUAL(v.buf, "Locaux: 18000\nVéhicules: 12000");
	CU_ASSERT_TRUE(inifile_get(&f, "budget", "posts", &v));
	CU_ASSERT_STRING_EQUAL(v.buf, "12");
	CU_ASSERT_FALSE(inifile_get(&f, "budget", "title", &v));
	CU_ASSERT_STRING_EQUAL(v.buf, "");
	CU_ASSERT_FALSE(inifile_get(&f, "survey", "file", &v));
	const char *names[8];
	CU_ASSERT_EQUAL(inifile_sections(&f, names, 8), 3);
	CU_ASSERT_STRING_EQUAL(names[2], "target");
	inifile_release(&f);
	strbuf_release(&v);
}

static void set_posts(struct inifile *f)
{
	inifile_set(f, "budget", "posts", "12, 14, 14");
}

static void set_title(struct inifile *f)
{
	inifile_set(f, "project", "title", "Roubaix");
}

static void set_operating(struct inifile *f)
{
	inifile_set(f, "budget", "operating", "Locaux: 20000\nOutils: 5000\nVéhicules: 12000");
}

static void set_new_key(struct inifile *f)
{
	inifile_set(f, "target", "base", "census:unemployed");
}

static void set_new_section(struct inifile *f)
{
	inifile_set(f, "survey", "file", "enquete.csv");
}

static void unset_operating(struct inifile *f)
{
	CU_ASSERT_TRUE(inifile_unset(f, "budget", "operating"));
	CU_ASSERT_FALSE(inifile_unset(f, "budget", "operating"));
}

static void remove_budget(struct inifile *f)
{
	CU_ASSERT_TRUE(inifile_remove_section(f, "budget"));
	CU_ASSERT_FALSE(inifile_remove_section(f, "budget"));
}

static void remove_target(struct inifile *f)
{
	CU_ASSERT_TRUE(inifile_remove_section(f, "target"));
}

static void add_offer(struct inifile *f)
{
	inifile_add_section(f, "offer");
	inifile_add_section(f, "offer");
}

/* Each edit changes the lines of its key only; every comment stays. */
static void test_webstudy_inifile_edit(void)
{
	const char *head = "; my study: comments kept\n"
			   "[project]\n"
			   "title = Diagnostic : Roubaix ; an inline comment\n"
			   "# the territory\n"
			   "territory = com:59512\n"
			   "\n"
			   "; the budget below\n"
			   "[budget]\n"
			   "structure = ACI\n";
	const char *tail = "\n"
			   "; the target\n"
			   "[target]\n"
			   "label = jeunes\n";
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want,
		    "%soperating = Locaux: 18000\n    ; a comment among the lines\n    "
		    "Véhicules: 12000\nposts = 12, 14, 14\n%s",
		    head, tail);
	check_edit(sample, set_posts, want.buf);

	check_edit(sample, set_title,
		   "; my study: comments kept\n[project]\ntitle = Roubaix ; an inline comment\n"
		   "# the territory\nterritory = com:59512\n\n; the budget below\n[budget]\n"
		   "structure = ACI\noperating = Locaux: 18000\n    ; a comment among the lines\n"
		   "    Véhicules: 12000\nposts = 12\n\n; the target\n[target]\nlabel = jeunes\n");

	strbuf_reset(&want);
	strbuf_addf(&want,
		    "%soperating = Locaux: 20000\n    Outils: 5000\n    Véhicules: 12000\n"
		    "    ; a comment among the lines\nposts = 12\n%s",
		    head, tail);
	check_edit(sample, set_operating, want.buf);

	strbuf_reset(&want);
	strbuf_addf(&want, "%s    ; a comment among the lines\nposts = 12\n%s", head, tail);
	check_edit(sample, unset_operating, want.buf);

	strbuf_reset(&want);
	strbuf_addf(&want, "%s", sample);
	strbuf_addstr(&want, "base = census:unemployed\n");
	check_edit(sample, set_new_key, want.buf);

	strbuf_reset(&want);
	strbuf_addf(&want, "%s\n[survey]\nfile = enquete.csv\n", sample);
	check_edit(sample, set_new_section, want.buf);

	/* the comments before [target] describe it: they stay */
	check_edit(sample, remove_budget,
		   "; my study: comments kept\n[project]\ntitle = Diagnostic : Roubaix ; an "
		   "inline comment\n# the territory\nterritory = com:59512\n\n; the budget "
		   "below\n\n; the target\n[target]\nlabel = jeunes\n");
	/* the last section: no blank line left at the end */
	check_edit(sample, remove_target,
		   "; my study: comments kept\n[project]\ntitle = Diagnostic : Roubaix ; an "
		   "inline comment\n# the territory\nterritory = com:59512\n\n; the budget "
		   "below\n[budget]\nstructure = ACI\noperating = Locaux: 18000\n    ; a comment "
		   "among the lines\n    Véhicules: 12000\nposts = 12\n\n; the target\n");
	strbuf_reset(&want);
	strbuf_addf(&want, "%s\n[offer]\n", sample);
	check_edit(sample, add_offer, want.buf);
	/* a file without a final line end, in CRLF */
	check_edit("[budget]\r\nposts = 1", set_posts, "[budget]\r\nposts = 12, 14, 14\r\n");
	check_edit("[budget]\r\nposts = 1\r\n", set_new_section,
		   "[budget]\r\nposts = 1\r\n\r\n[survey]\r\nfile = enquete.csv\r\n");
	strbuf_release(&want);
}

static void test_webstudy_inifile_value_ok(void)
{
	struct strbuf why = STRBUF_INIT;
	CU_ASSERT_TRUE(inifile_value_ok("Locaux: 18000\nVéhicules: 12000", &why));
	CU_ASSERT_TRUE(inifile_value_ok("a;b", &why));
	CU_ASSERT_FALSE(inifile_value_ok("Roubaix ; Tourcoing", &why));
	CU_ASSERT_STRING_EQUAL(why.buf, "a ';' after a blank would start a comment in the project "
					"file (write it without the blank)");
	strbuf_reset(&why);
	CU_ASSERT_FALSE(inifile_value_ok("a\n[survey]", &why));
	CU_ASSERT_STRING_EQUAL(why.buf, "line 2 of the value is empty or starts with '[' (the "
					"project file would read it as a section)");
	strbuf_reset(&why);
	CU_ASSERT_FALSE(inifile_value_ok("a\x01", &why));
	CU_ASSERT_STRING_EQUAL(why.buf, "control character 0x01 (expected text)");
	strbuf_release(&why);
}

/* A study folder with a terrain.ini holding text; its path (borrowed until
 * the next call). */
static const char *study_with(const char *text)
{
	static struct strbuf path = STRBUF_INIT;
	static int n;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/study%d", test_tmpdir(), ++n);
	mkdir(path.buf, 0777);
	strbuf_addstr(&path, "/terrain.ini");
	test_write_file(path.buf, text);
	return path.buf;
}

static const char *const study_text = "; written by hand\n"
				      "[project]\n"
				      "title = Roubaix\n"
				      "territory = com:59512\n"
				      "\n"
				      "[budget]\n"
				      "; the structure\n"
				      "structure = ACI\n"
				      "posts = 12\n"
				      "contract_hours = 26\n";

/* Two tabs drawn from the same file: the first saves posts, the second
 * saves contract_hours and (unchanged) posts: both changes are kept. */
static void test_webstudy_studyedit_merge(void)
{
	const char *path = study_with(study_text);
	struct studyedit_result res;
	struct error err = {0};
	struct studyedit_field tab1[] = {
	    {"budget", "posts", "12", "14"},
	    {"budget", "contract_hours", "26", "26"},
	};
	CU_ASSERT_EQUAL(studyedit_apply(path, tab1, 2, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.changed, 1);
	CU_ASSERT_EQUAL(res.nconflicts, 0);
	studyedit_result_release(&res);
	struct studyedit_field tab2[] = {
	    {"budget", "posts", "12", "12"},
	    {"budget", "contract_hours", "26", "30"},
	};
	CU_ASSERT_EQUAL(studyedit_apply(path, tab2, 2, &res, &err), TERRAIN_OK);
	/* posts: the file's 14 is not what tab 2 saw (12), and tab 2 did not
	 * change it: a conflict only when tab 2 typed something else */
	CU_ASSERT_EQUAL(res.changed, 1);
	CU_ASSERT_EQUAL(res.nconflicts, 1);
	CU_ASSERT_STRING_EQUAL(res.conflicts.buf, "[budget] posts");
	studyedit_result_release(&res);
	char *text = test_read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "; written by hand\n[project]\ntitle = Roubaix\nterritory = "
				     "com:59512\n\n[budget]\n; the structure\nstructure = ACI\n"
				     "posts = 14\ncontract_hours = 30\n");
	free(text);
}

/* The second tab typed another value where the first changed it: the
 * file's value stays, the field is named, the other fields are saved. */
static void test_webstudy_studyedit_conflict(void)
{
	const char *path = study_with(study_text);
	struct studyedit_result res;
	struct error err = {0};
	struct studyedit_field tab1[] = {{"project", "title", "Roubaix", "Roubaix 2026"}};
	CU_ASSERT_EQUAL(studyedit_apply(path, tab1, 1, &res, &err), TERRAIN_OK);
	studyedit_result_release(&res);
	struct studyedit_field tab2[] = {
	    {"project", "title", "Roubaix", "Étude Roubaix"},
	    {"budget", "posts", "12", "10"},
	    {"project", "author", NULL, "Une étudiante"},
	};
	CU_ASSERT_EQUAL(studyedit_apply(path, tab2, 3, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.nconflicts, 1);
	CU_ASSERT_EQUAL(res.changed, 2);
	CU_ASSERT_STRING_EQUAL(res.conflicts.buf, "[project] title");
	studyedit_result_release(&res);
	char *text = test_read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "; written by hand\n[project]\ntitle = Roubaix 2026\n"
				     "territory = com:59512\nauthor = Une étudiante\n\n[budget]\n"
				     "; the structure\nstructure = ACI\nposts = 10\n"
				     "contract_hours = 26\n");
	free(text);
	/* the same save again: the key added by the other tab is a conflict too */
	struct studyedit_field tab3[] = {{"project", "author", NULL, "Un étudiant"}};
	CU_ASSERT_EQUAL(studyedit_apply(path, tab3, 1, &res, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(res.conflicts.buf, "[project] author");
	studyedit_result_release(&res);
}

/* A save that would make the file invalid writes nothing: the loader's
 * message, with the line the new text would have. */
static void test_webstudy_studyedit_invalid(void)
{
	const char *path = study_with(study_text);
	struct studyedit_result res;
	struct error err = {0};
	struct studyedit_field bad[] = {{"budget", "structure", "ACI", "ACI"},
					{"budget", "nonsense", NULL, "1"}};
	CU_ASSERT_EQUAL(studyedit_apply(path, bad, 2, &res, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/terrain.ini:11: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "\"nonsense\""));
	studyedit_result_release(&res);
	char *text = test_read_file(path);
	CU_ASSERT_STRING_EQUAL(text, study_text);
	free(text);
	struct studyedit_field semi[] = {{"project", "title", "Roubaix", "Roubaix ; Tourcoing"}};
	CU_ASSERT_EQUAL(studyedit_apply(path, semi, 1, &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "[project] title: a ';' after a blank would start a "
					"comment in the project file (write it without the blank)");
	studyedit_result_release(&res);
	/* and no temporary file left beside it */
	struct strbuf dir = STRBUF_INIT;
	strbuf_add(&dir, path, (size_t)(strrchr(path, '/') - path));
	CU_ASSERT_EQUAL(fileio_temp_sweep(dir.buf), 0);
	strbuf_release(&dir);
	/* sections added and removed */
	struct studyedit_field secs[] = {{"budget", NULL, NULL, NULL},
					 {"target", NULL, NULL, ""},
					 {"target", "label", NULL, "jeunes de 16 à 25 ans"}};
	CU_ASSERT_EQUAL(studyedit_apply(path, secs, 3, &res, &err), TERRAIN_OK);
	studyedit_result_release(&res);
	text = test_read_file(path);
	CU_ASSERT_STRING_EQUAL(text, "; written by hand\n[project]\ntitle = Roubaix\nterritory = "
				     "com:59512\n\n[target]\nlabel = jeunes de 16 à 25 ans\n");
	free(text);
}

/* Many saves at once on one study, each of a different key drawn from the
 * same first text: none is lost (the folder's lock orders them). */
struct saver {
	const char *path;
	char key[32];
	enum status st;
};

static void *save_one(void *arg)
{
	struct saver *s = arg;
	struct studyedit_result res;
	struct error err = {0};
	struct studyedit_field f[] = {{"project", "title", "Roubaix", "Roubaix"},
				      {"budget", s->key, NULL, "1000"}};
	s->st = studyedit_apply(s->path, f, 2, &res, &err);
	studyedit_result_release(&res);
	return NULL;
}

static void test_webstudy_studyedit_concurrent(void)
{
	const char *path = study_with(study_text);
	static const char *const keys[] = {
	    "training",	       "depreciation",	     "sales",
	    "supervisor_cost", "accompaniment_cost", "rsa_cofunding"};
	enum {
		N = sizeof(keys) / sizeof(keys[0])
	};
	struct saver s[N];
	pthread_t th[N];
	for (size_t i = 0; i < N; i++) {
		s[i] = (struct saver){path, "", TERRAIN_EIO};
		snprintf(s[i].key, sizeof(s[i].key), "%s", keys[i]);
		CU_ASSERT_EQUAL(pthread_create(&th[i], NULL, save_one, &s[i]), 0);
	}
	for (size_t i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	struct inifile f;
	struct strbuf v = STRBUF_INIT;
	struct error err = {0};
	CU_ASSERT_EQUAL(studyedit_read(path, &f, &err), TERRAIN_OK);
	for (size_t i = 0; i < N; i++) {
		CU_ASSERT_EQUAL(s[i].st, TERRAIN_OK);
		CU_ASSERT_TRUE(inifile_get(&f, "budget", keys[i], &v));
		CU_ASSERT_STRING_EQUAL(v.buf, "1000");
	}
	inifile_release(&f);
	strbuf_release(&v);
}

/* A file under the temporary folder; its path (owned by sb). */
static const char *tmp_path(struct strbuf *sb, const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", test_tmpdir(), name);
	return sb->buf;
}

static void test_webstudy_upload_ok(void)
{
	struct strbuf p = STRBUF_INIT;
	struct upload_limits l;
	struct upload_info info;
	struct error err = {0};
	upload_limits_init(&l);
	/* an export in Windows-1252 with ';': as the survey commands read it */
	test_write_file(tmp_path(&p, "ok.csv"), "id;sexe;commentaire\n1;F;d\xe9j\xe0\n2;H;\n");
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "export.csv", &l, &info, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(info.rows, 2);
	CU_ASSERT_EQUAL(info.cols, 3);
	CU_ASSERT_EQUAL(info.delim, ';');
	CU_ASSERT_STRING_EQUAL(info.encoding, "Windows-1252");
	/* the limits, each at its edge: 2 rows pass with max_rows 2, not 1 */
	l.max_rows = 2;
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "export.csv", &l, &info, &err), TERRAIN_OK);
	l.max_rows = 1;
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "export.csv", &l, &info, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "export.csv:3: more than 1 rows (the limit of an upload)");
	upload_limits_init(&l);
	l.max_field = 3;
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "export.csv", &l, &info, &err), TERRAIN_EDATA);
	fprintf(stderr, "[%s]\n", err.msg);
	CU_ASSERT_STRING_EQUAL(err.msg, "export.csv:1:2: field longer than 3 bytes");
	upload_limits_init(&l);
	l.max_bytes = 10;
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "export.csv", &l, &info, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "export.csv: 34 bytes is over the limit of an upload (10 bytes)");
	strbuf_release(&p);
}

/* A binary file is refused with the message `terrain survey describe`
 * gives for it, the file's name aside. */
static void test_webstudy_upload_binary(void)
{
	struct strbuf p = STRBUF_INIT, out = STRBUF_INIT, errs = STRBUF_INIT, want = STRBUF_INIT;
	struct upload_limits l;
	struct error err = {0};
	upload_limits_init(&l);
	static const char bin[] = "\x7f"
				  "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
	FILE *fp = fopen(tmp_path(&p, "bin.csv"), "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fwrite(bin, 1, sizeof(bin) - 1, fp);
	fclose(fp);
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, p.buf, &l, NULL, &err), TERRAIN_EDATA);
	const char *args[] = {"survey", "describe", p.buf, NULL};
	CU_ASSERT_EQUAL(test_run(args, NULL, NULL, &out, &errs), 1);
	strbuf_addf(&want, "terrain: %s\n", err.msg);
	CU_ASSERT_STRING_EQUAL(errs.buf, want.buf);
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "photo.csv", &l, NULL, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "photo.csv:1:1: NUL byte at byte 8 of the field (expected text)");
	/* an empty file and broken quotes: the reader's messages too */
	test_write_file(p.buf, "");
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "vide.csv", &l, NULL, &err), TERRAIN_EDATA);
	CU_ASSERT_EQUAL(strncmp(err.msg, "vide.csv:", 9), 0);
	test_write_file(p.buf, "a,b\n1,\"2\n");
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "q.csv", &l, NULL, &err), TERRAIN_EDATA);
	CU_ASSERT_EQUAL(strncmp(err.msg, "q.csv:2:", 8), 0);
	strbuf_release(&p);
	strbuf_release(&out);
	strbuf_release(&errs);
	strbuf_release(&want);
}

/* 10^6 columns (7.9 MB of header) are refused at the 2 001st, the memory
 * of the check bounded by the limits: the process's peak grows by less
 * than the file. */
static void test_webstudy_upload_wide(void)
{
	struct strbuf p = STRBUF_INIT;
	struct upload_limits l;
	struct error err = {0};
	upload_limits_init(&l);
	FILE *fp = fopen(tmp_path(&p, "wide.csv"), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	for (long i = 0; i < 1000000; i++)
		fprintf(fp, "%sc%ld", i ? "," : "", i);
	fputc('\n', fp);
	fclose(fp);
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "wide.csv", &l, NULL, &err), TERRAIN_EDATA);
	getrusage(RUSAGE_SELF, &after);
	CU_ASSERT_STRING_EQUAL(err.msg, "wide.csv:1: more than 2000 fields in a row");
	/* ru_maxrss in KiB: the file is 7 888 890 bytes */
	CU_ASSERT(after.ru_maxrss - before.ru_maxrss < 7888890 / 1024);
	strbuf_release(&p);
}

/* A 200 MB file is refused from its size, without being read: a sparse
 * file (no 200 MB written to the disk). */
static void test_webstudy_upload_huge(void)
{
	struct strbuf p = STRBUF_INIT;
	struct upload_limits l;
	struct error err = {0};
	upload_limits_init(&l);
	int fd = open(tmp_path(&p, "huge.csv"), O_WRONLY | O_CREAT | O_TRUNC, 0666);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(ftruncate(fd, 200L * 1000 * 1000), 0);
	close(fd);
	CU_ASSERT_EQUAL(upload_check_csv(p.buf, "huge.csv", &l, NULL, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "huge.csv: 200000000 bytes is over the limit of an "
					"upload (20971520 bytes)");
	strbuf_release(&p);
}

static void check_name(const char *sent, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	upload_safe_name(sent, ".csv", &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	strbuf_release(&sb);
}

static void test_webstudy_upload_name(void)
{
	check_name("../../x", "x.csv");
	check_name("../../x.csv", "x.csv");
	check_name("..", "upload.csv");
	check_name("", "upload.csv");
	check_name(NULL, "upload.csv");
	check_name(".bashrc", "_bashrc.csv");
	check_name("C:\\Users\\léa\\export enquête.CSV", "export_enqu_te.csv");
	check_name("a/b/../../../etc/passwd", "passwd.csv");
	check_name("résultats 2026.xlsx.csv", "r_sultats_2026_xlsx.csv");
	check_name("0123456789012345678901234567890123456789012345678901234567890.csv",
		   "012345678901234567890123456789012345678901234567.csv");
}

/* The Grenoble example copied into a new study folder; its terrain.ini's
 * path into ini. */
static void copy_example(struct strbuf *ini)
{
	static const char *const files[] = {"terrain.ini",
					    "codebook_exemple_invente.csv",
					    "enquete_exemple_inventee.csv",
					    "marges_exemple_inventees.csv",
					    "offre_exemple_inventee.csv",
					    "positionnement_exemple_invente.csv"};
	static int n;
	struct strbuf dir = STRBUF_INIT, from = STRBUF_INIT, to = STRBUF_INIT;
	strbuf_addf(&dir, "%s/example%d", test_tmpdir(), ++n);
	mkdir(dir.buf, 0777);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		strbuf_reset(&from);
		strbuf_reset(&to);
		strbuf_addf(&from, "%s/examples/grenoble/%s", test_datadir(), files[i]);
		strbuf_addf(&to, "%s/%s", dir.buf, files[i]);
		char *data = test_read_file_len(from.buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		struct error err = {0};
		CU_ASSERT_EQUAL(fileio_write_atomic(to.buf, data, len, &err), TERRAIN_OK);
		free(data);
	}
	strbuf_reset(ini);
	strbuf_addf(ini, "%s/terrain.ini", dir.buf);
	strbuf_release(&dir);
	strbuf_release(&from);
	strbuf_release(&to);
}

/* Open the study and run the stages whose inputs changed. */
static enum status run_changed(const char *ini, struct stages_report *rep, struct error *err)
{
	struct pipeline pl = {0};
	struct pipeline_options opt = {.config = ini, .datadir = test_datadir()};
	enum status st = pipeline_open(&pl, &opt, err);
	if (!st)
		st = stages_run_changed(&pl, rep, err);
	pipeline_close(&pl);
	return st;
}

/* The outputs' file name, under the study of ini. */
static const char *out_file(const char *ini, const char *name, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_add(sb, ini, (size_t)(strrchr(ini, '/') - ini));
	strbuf_addf(sb, "/out/com_38185/%s", name);
	return sb->buf;
}

static void assert_stages(const bool *got, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	for (int s = 0; s < STAGES_COUNT; s++)
		if (got[s])
			strbuf_addf(&sb, "%s%s", sb.len ? " " : "", stages_name(s));
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\nstages: got \"%s\", want \"%s\"\n", sb.buf, want);
	strbuf_release(&sb);
}

static void set_field(const char *ini, const char *section, const char *key, const char *base,
		      const char *value)
{
	struct studyedit_result res;
	struct error err = {0};
	struct studyedit_field f = {section, key, base, value};
	CU_ASSERT_EQUAL(studyedit_apply(ini, &f, 1, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.changed, 1);
	studyedit_result_release(&res);
}

/* A first run makes what `terrain run` makes (the same note and manifest,
 * byte for byte); a second runs nothing; a comment changed runs nothing; the
 * budget changed writes the budget and the note only (the portrait is
 * computed again for the note, not written); the codebook changed, the
 * survey, the sizing (which reads the survey) and the note. */
static void test_webstudy_stages(void)
{
	struct strbuf ini = STRBUF_INIT, p = STRBUF_INIT, out = STRBUF_INIT, errs = STRBUF_INIT;
	struct stages_report rep;
	struct error err = {0};
	copy_example(&ini);
	setenv("TERRAIN_DATE", "2026-03-31", 1);
	const char *env[] = {"TERRAIN_DATE=2026-03-31", NULL};
	const char *args[] = {"run", "-q", "-c", ini.buf, "--datadir", test_datadir(), NULL};
	CU_ASSERT_EQUAL_FATAL(test_run(args, env, NULL, &out, &errs), 0);
	char *note = test_read_file(out_file(ini.buf, "note.md", &p));
	char *manifest = test_read_file(out_file(ini.buf, "manifest.json", &p));
	CU_ASSERT_PTR_NOT_NULL_FATAL(note);
	CU_ASSERT_PTR_NOT_NULL_FATAL(manifest);
	/* the same outputs from the stages run by the server */
	test_write_file(out_file(ini.buf, "note.md", &p), "");
	test_write_file(out_file(ini.buf, "manifest.json", &p), "");
	CU_ASSERT_EQUAL_FATAL(run_changed(ini.buf, &rep, &err), TERRAIN_OK);
	assert_stages(rep.written, "fetch portrait indicators maps survey sizing budget note");
	char *again = test_read_file(out_file(ini.buf, "note.md", &p));
	CU_ASSERT_STRING_EQUAL(again, note);
	free(again);
	again = test_read_file(out_file(ini.buf, "manifest.json", &p));
	CU_ASSERT_STRING_EQUAL(again, manifest);
	free(again);

	CU_ASSERT_EQUAL(run_changed(ini.buf, &rep, &err), TERRAIN_OK);
	assert_stages(rep.computed, "");

	/* a comment: nothing */
	char *text = test_read_file(ini.buf);
	struct strbuf edited = STRBUF_INIT;
	strbuf_addf(&edited, "; a comment of mine\n%s", text);
	test_write_file(ini.buf, edited.buf);
	CU_ASSERT_EQUAL(run_changed(ini.buf, &rep, &err), TERRAIN_OK);
	assert_stages(rep.computed, "");

	/* the budget: written again with the note; the portrait's file stays
	 * as it is (a mark put in it is still there) */
	test_write_file(out_file(ini.buf, "portrait.csv", &p), "mark\n");
	set_field(ini.buf, "budget", "posts", "12, 14, 14", "10, 14, 14");
	CU_ASSERT_EQUAL(run_changed(ini.buf, &rep, &err), TERRAIN_OK);
	assert_stages(rep.changed, "budget note");
	assert_stages(rep.written, "budget note");
	assert_stages(rep.computed, "portrait indicators maps survey sizing budget note");
	again = test_read_file(out_file(ini.buf, "portrait.csv", &p));
	CU_ASSERT_STRING_EQUAL(again, "mark\n");
	free(again);
	again = test_read_file(out_file(ini.buf, "note.md", &p));
	CU_ASSERT_STRING_NOT_EQUAL(again, note);
	free(again);
	free(note);

	/* an output removed: its stage again */
	unlink(out_file(ini.buf, "portrait.csv", &p));
	CU_ASSERT_EQUAL(run_changed(ini.buf, &rep, &err), TERRAIN_OK);
	assert_stages(rep.written, "portrait");

	/* the survey's codebook: the survey, the sizing that reads it, the note */
	struct strbuf cbpath = STRBUF_INIT;
	strbuf_add(&cbpath, ini.buf, ini.len - strlen("terrain.ini"));
	strbuf_addstr(&cbpath, "codebook_exemple_invente.csv");
	char *cb = test_read_file(cbpath.buf);
	test_write_file(cbpath.buf, "variable;type\nnonsense;single\n"); /* broken */
	note = test_read_file(out_file(ini.buf, "note.md", &p));
	CU_ASSERT_EQUAL(run_changed(ini.buf, &rep, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "codebook_exemple_invente.csv"));
	assert_stages(rep.written, "");
	/* the failed stage kept the outputs; fixed, it runs with those after */
	again = test_read_file(out_file(ini.buf, "note.md", &p));
	CU_ASSERT_STRING_EQUAL(again, note);
	free(again);
	free(note);
	test_write_file(cbpath.buf, cb);
	CU_ASSERT_EQUAL(run_changed(ini.buf, &rep, &err), TERRAIN_OK);
	assert_stages(rep.written, "survey sizing note");
	free(cb);
	unsetenv("TERRAIN_DATE");
	free(text);
	free(manifest);
	strbuf_release(&cbpath);
	strbuf_release(&edited);
	strbuf_release(&ini);
	strbuf_release(&p);
	strbuf_release(&out);
	strbuf_release(&errs);
}

void suite_webstudy(void)
{
	CU_pSuite s = CU_add_suite("webstudy", NULL, NULL);
	ADD_TEST(s, test_webstudy_inifile_roundtrip);
	ADD_TEST(s, test_webstudy_inifile_get);
	ADD_TEST(s, test_webstudy_inifile_edit);
	ADD_TEST(s, test_webstudy_inifile_value_ok);
	ADD_TEST(s, test_webstudy_studyedit_merge);
	ADD_TEST(s, test_webstudy_studyedit_conflict);
	ADD_TEST(s, test_webstudy_studyedit_invalid);
	ADD_TEST(s, test_webstudy_studyedit_concurrent);
	ADD_TEST(s, test_webstudy_upload_ok);
	ADD_TEST(s, test_webstudy_upload_binary);
	ADD_TEST(s, test_webstudy_upload_wide);
	ADD_TEST(s, test_webstudy_upload_huge);
	ADD_TEST(s, test_webstudy_upload_name);
	ADD_TEST(s, test_webstudy_stages);
}
