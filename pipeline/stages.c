#include "stages.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/fileio.h"
#include "../core/inifile.h"
#include "../core/log.h"
#include "studyedit.h"

static const char *const stage_names[STAGES_COUNT] = {"fetch",	"portrait", "indicators", "maps",
						      "survey", "sizing",   "budget",	  "note"};

const char *stages_name(enum stages_id s)
{
	return stage_names[s];
}

/* The sections each stage reads ("action:" stands for every [action:ID]),
 * and the stages whose hash it includes. */
static const struct {
	const char *sections[6];
	unsigned after; /* bits of enum stages_id */
} reads[STAGES_COUNT] = {
    [STAGES_FETCH] = {{"sources"}, 0},
    [STAGES_PORTRAIT] = {{"custom:"}, 0},
    [STAGES_INDICATORS] = {{"sources", "custom:"}, 1u << STAGES_FETCH},
    [STAGES_MAPS] = {{"note"}, 1u << STAGES_INDICATORS},
    [STAGES_SURVEY] = {{"survey"}, 0},
    [STAGES_SIZING] = {{"target", "offer"}, 1u << STAGES_SURVEY},
    [STAGES_BUDGET] = {{"budget"}, 0},
    [STAGES_NOTE] = {{"project", "plan", "action:", "evaluation", "job:", "training"},
		     (1u << STAGES_NOTE) - 1},
};

/* The keys and values of the sections matching name (a prefix when it ends
 * with ':'), in file order, comments aside. */
static void add_sections(const struct inifile *f, const char *name, struct strbuf *in)
{
	size_t n = strlen(name);
	bool prefix = n && name[n - 1] == ':';
	struct strbuf v = STRBUF_INIT;
	for (size_t i = 0; i < f->n; i++) {
		const struct inifile_line *l = &f->line[i];
		if (l->kind != INIFILE_KEY || !l->section)
			continue;
		if (prefix ? strncmp(l->section, name, n) : strcmp(l->section, name))
			continue;
		inifile_get(f, l->section, l->name, &v);
		strbuf_addf(in, "[%s] %s = %s\n", l->section, l->name, v.buf);
	}
	strbuf_release(&v);
}

/* The sha256 of a file the project names, or "missing". */
static void add_file(const struct project *p, const char *rel, struct strbuf *in)
{
	struct strbuf path = STRBUF_INIT;
	char hex[SHA256_HEX_LEN + 1];
	project_path(p, rel, &path);
	if (sha256_file(path.buf, hex, NULL))
		snprintf(hex, sizeof(hex), "missing");
	strbuf_addf(in, "file %s %s\n", rel, hex);
	strbuf_release(&path);
}

enum status stages_hash(const struct pipeline *pl, char hex[STAGES_COUNT][SHA256_HEX_LEN + 1],
			struct error *err)
{
	const struct project *p = &pl->proj;
	struct inifile f;
	struct strbuf common = STRBUF_INIT, in = STRBUF_INIT;
	enum status st = studyedit_read(p->path, &f, err);
	if (st)
		return st;
	/* what every stage depends on */
	strbuf_addf(&common, "terrain %s\ndatasets %s\nlang %s %s\n", TERRAIN_VERSION, pl->b.dir,
		    pl->proj_en ? "en" : "fr", pl->en ? "en" : "fr");
	for (size_t i = 0; i < pl->nt; i++)
		strbuf_addf(&common, "territory %s\n", pl->ts[i].code);
	for (int s = 0; s < STAGES_COUNT; s++) {
		strbuf_reset(&in);
		strbuf_addf(&in, "stage %s\n", stage_names[s]);
		strbuf_addbuf(&in, &common);
		for (int k = 0; k < 6 && reads[s].sections[k]; k++)
			add_sections(&f, reads[s].sections[k], &in);
		for (int b = 0; b < s; b++)
			if (reads[s].after & (1u << b))
				strbuf_addf(&in, "after %s %s\n", stage_names[b], hex[b]);
		if (s == STAGES_SURVEY) {
			const struct project_value *named[] = {&p->survey.file, &p->survey.codebook,
							       &p->survey.margins};
			for (size_t i = 0; i < 3; i++)
				if (named[i]->text)
					add_file(p, named[i]->text, &in);
		}
		if (s == STAGES_SIZING)
			for (size_t i = 0; i < p->offer.key.n; i++)
				if (!strcmp(p->offer.key.item[i], "file"))
					add_file(p, p->offer.value.item[i], &in);
		if (s == STAGES_NOTE) {
			strbuf_addf(&in, "date %s\n", pl->date);
			for (size_t i = 0; i < p->training.key.n; i++)
				if (!strcmp(p->training.key.item[i], "positioning"))
					add_file(p, p->training.value.item[i], &in);
		}
		sha256_hex(in.buf, in.len, hex[s]);
	}
	inifile_release(&f);
	strbuf_release(&common);
	strbuf_release(&in);
	return TERRAIN_OK;
}

/* The hashes of the last run, "STAGE HEX" a line; a stage not there (or no
 * file) has an empty hash. */
static void load_hashes(const char *path, char old[STAGES_COUNT][SHA256_HEX_LEN + 1])
{
	char *data = NULL;
	size_t len = 0;
	for (int s = 0; s < STAGES_COUNT; s++)
		old[s][0] = '\0';
	if (fileio_read_capped(path, 4096, &data, &len, NULL))
		return;
	for (char *line = data; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *sp = strchr(line, ' ');
		if (sp && strlen(sp + 1) == SHA256_HEX_LEN) {
			*sp = '\0';
			for (int s = 0; s < STAGES_COUNT; s++)
				if (!strcmp(line, stage_names[s]))
					memcpy(old[s], sp + 1, SHA256_HEX_LEN + 1);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(data);
}

/* Are the stage's outputs there? */
static bool outputs_present(const struct pipeline *pl, enum stages_id s)
{
	static const char *const marker[STAGES_COUNT] = {
	    [STAGES_PORTRAIT] = "portrait.csv", [STAGES_INDICATORS] = "indicators.csv",
	    [STAGES_SURVEY] = "survey",		[STAGES_SIZING] = "sizing.csv",
	    [STAGES_BUDGET] = "budget.csv",	[STAGES_NOTE] = "manifest.json",
	};
	bool has[STAGES_COUNT] = {
	    [STAGES_PORTRAIT] = true,
	    [STAGES_INDICATORS] = true,
	    [STAGES_SURVEY] = pl->proj.survey.line != 0,
	    [STAGES_SIZING] = pl->proj.target.line != 0,
	    [STAGES_BUDGET] = pl->have_budget,
	    [STAGES_NOTE] = true,
	};
	if (!marker[s] || !has[s])
		return true;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", pl->dir.buf, marker[s]);
	bool ok = fileio_exists(path.buf);
	strbuf_release(&path);
	return ok;
}

typedef enum status (*stage_fn)(struct pipeline *, struct error *);

enum status stages_run_changed(struct pipeline *pl, struct stages_report *rep, struct error *err)
{
	static const stage_fn fn[STAGES_COUNT] = {
	    pipeline_fetch,  pipeline_portrait, pipeline_indicators, pipeline_maps,
	    pipeline_survey, pipeline_sizing,	pipeline_budget,     pipeline_note,
	};
	/* the stages each one reads in memory */
	static const unsigned needs[STAGES_COUNT] = {
	    [STAGES_MAPS] = 1u << STAGES_INDICATORS,
	    [STAGES_NOTE] = (1u << STAGES_NOTE) - 1 - (1u << STAGES_FETCH),
	};
	char hex[STAGES_COUNT][SHA256_HEX_LEN + 1], old[STAGES_COUNT][SHA256_HEX_LEN + 1];
	struct stages_report dummy;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	enum status st;
	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof(*rep));
	if ((st = stages_hash(pl, hex, err)))
		return st;
	strbuf_addf(&path, "%s/%s", pl->dir.buf, STAGES_FILE);
	load_hashes(path.buf, old);
	unsigned run = 0;
	for (int s = 0; s < STAGES_COUNT; s++) {
		rep->changed[s] = strcmp(hex[s], old[s]) || !outputs_present(pl, s);
		if (rep->changed[s])
			run |= 1u << s | needs[s];
	}
	/* the prerequisites of a prerequisite (maps reads the indicators) */
	for (int s = STAGES_COUNT; s-- > 0;)
		if (run & (1u << s))
			run |= needs[s];
	int done = 0;
	for (int s = 0; s < STAGES_COUNT; s++, done = s) {
		if (!(run & (1u << s)))
			continue;
		pl->compute_only = !rep->changed[s];
		st = fn[s](pl, err);
		pl->compute_only = false;
		if (st)
			break;
		rep->computed[s] = true;
		rep->written[s] = rep->changed[s];
	}
	/* the hashes of the stages that ran, and the old ones of those after a
	 * failure (a changed stage that did not run keeps an empty one) */
	if (!fileio_exists(pl->dir.buf) && !st)
		st = fileio_mkdirs(pl->dir.buf, err);
	for (int s = 0; s < STAGES_COUNT; s++) {
		const char *h = s < done || !st ? hex[s] : rep->changed[s] ? "" : old[s];
		if (*h)
			strbuf_addf(&text, "%s %s\n", stage_names[s], h);
	}
	if (fileio_exists(pl->dir.buf)) {
		struct error werr = {0};
		enum status ws = fileio_write_atomic(path.buf, text.buf, text.len, &werr);
		if (ws && !st)
			st = error_set(err, ws, "%s", werr.msg);
	}
	if (!st) {
		strbuf_reset(&text);
		for (int s = 0; s < STAGES_COUNT; s++)
			if (rep->written[s])
				strbuf_addf(&text, "%s%s", text.len ? ", " : "", stage_names[s]);
		log_note("%s: the stages whose inputs changed: %s", pl->dir.buf,
			 text.len ? text.buf : "none");
	}
	strbuf_release(&path);
	strbuf_release(&text);
	return st;
}
