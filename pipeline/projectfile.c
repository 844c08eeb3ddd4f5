/* terrain init's project file: the commented template for a territory,
 * checked by reading it back. */
#include "projectfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/log.h"
#include "../core/sources.h"
#include "../core/xalloc.h"
#include "pipeline.h"

/* One value read back from the project file text: it must be what was
 * given, or the file would say something else than the user asked. */
static enum status same_value(const char *opt, const char *given, const char *read,
			      struct error *err)
{
	if (!strcmp(given, read ? read : ""))
		return TERRAIN_OK;
	return error_set(err, TERRAIN_EUSAGE,
			 "%s \"%s\" would read back from terrain.ini as \"%s\" (avoid leading or "
			 "trailing blanks, a leading ';' or '#', \" ;\" and line breaks)",
			 opt, given, read ? read : "");
}

/* Parse the text about to be written, as any later command will, and
 * check the free-text values survive the trip. */
enum status projectfile_check_readback(const struct strbuf *text, const char *title,
				       const char *author, const char *label, struct error *err)
{
	struct project p;
	struct error perr;
	enum status st;
	FILE *fp = fmemopen(text->buf, text->len, "r");
	if (!fp)
		return error_set(err, TERRAIN_EIO, "cannot read back the project file: %s",
				 strerror(errno));
	st = project_load_file(&p, "terrain.ini", fp, &perr);
	fclose(fp);
	if (st)
		return error_set(err, TERRAIN_EUSAGE,
				 "the values given do not fit in a project file: %s", perr.msg);
	if (!(st = same_value("--title", title, p.title, err)) &&
	    !(st = same_value("--author", author, p.author, err)) && label)
		st = same_value("--name", label, p.ncustom ? p.custom[0].label : NULL, err);
	project_release(&p);
	return st;
}

/* Resolve the members of a custom territory given on the command line. */
enum status projectfile_custom_members(const struct geo *g, const char *list,
				       struct territory_custom *c, struct error *err)
{
	char *copy = xstrdup(list);
	enum status st = TERRAIN_OK;
	for (char *tok = strtok(copy, ", \t"); tok; tok = strtok(NULL, ", \t")) {
		struct territory t;
		struct territory_code tc;
		if ((st = territory_parse(tok, &tc, err)))
			break;
		if (tc.type != TERRITORY_COM && tc.type != TERRITORY_ARM) {
			st = error_set(err, TERRAIN_EUSAGE,
				       "--members: \"%s\" is not a commune code", tok);
			break;
		}
		if ((st = territory_resolve(g, &tc, NULL, 0, &t, err))) {
			error_prefix(err, "--members");
			break;
		}
		if (t.from != GEO_NONE)
			log_note("--members: %s is now part of %s %s: %s is written instead", tok,
				 t.code, t.name, t.code);
		pipeline_warn_postcode(g, "--members", tok);
		for (size_t i = 0; i < c->nmember; i++)
			if (c->member[i] == t.index || g->com[c->member[i]].city == t.index ||
			    g->com[t.index].city == c->member[i]) {
				st = error_set(err, TERRAIN_EUSAGE,
					       "--members: \"%s\" overlaps %s %s, listed before",
					       tok, g->com[c->member[i]].code,
					       g->com[c->member[i]].name);
				goto out;
			}
		ALLOC_GROW(c->member, c->nmember + 1, c->alloc_member);
		c->member[c->nmember++] = t.index;
	}
	if (!st && !c->nmember)
		st = error_set(err, TERRAIN_EUSAGE, "--members lists no commune");
out:
	free(copy);
	return st;
}

/* The project file; title NULL leaves the title line commented. */
void projectfile_template(struct strbuf *sb, const struct geo *g, const struct territory *t,
			  const struct territory *refs, size_t nref, const char *title,
			  const char *author)
{
	char date[16] = "an unknown date";
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);

	const char *tline = title ? "title = " : ";title = Diagnostic territorial : ";
	strbuf_addf(sb,
		    "; terrain project file, written by `terrain init` on %s.\n"
		    "; Lines starting with ';' or '#' are comments; a value may go on over\n"
		    "; indented lines.  See README.md, \"The project file\".\n"
		    "\n"
		    "[project]\n"
		    "; Title and author of the study, for the note.  Left out, the note's\n"
		    "; title is \"Diagnostic territorial : %s\" in French and \"Territorial\n"
		    "; diagnosis: %s\" in English.\n"
		    "%s%s\n"
		    "author = %s\n"
		    "\n"
		    "; The territory: com:38185 (or 38185: the INSEE code, not the postcode),\n"
		    "; arm:69381, epci:200040715, dep:38, reg:84, fr, or custom:NAME for a\n"
		    "; [custom:NAME] section below.\n"
		    "; %s: %s, COG %d.\n"
		    "territory = %s\n"
		    "\n"
		    "; References to compare with.  Left out, they are the territory's\n"
		    "; defaults, today:\n"
		    ";references =",
		    date, t->name, t->name, tline, title ? title : t->name, author, t->name,
		    territory_type_label(t->type), GEO_COG_LAST, t->code);
	for (size_t i = 0; i < nref; i++)
		strbuf_addf(sb, "%s %s", i ? "," : "", refs[i].code);
	strbuf_addstr(sb, "\n;");
	for (size_t i = 0; i < nref; i++)
		strbuf_addf(sb, "%s %s", i ? "," : "", refs[i].name);
	strbuf_addstr(sb, "\n"
			  "\n"
			  "; Language of the note: fr or en.\n"
			  "lang = fr\n"
			  "\n"
			  "; Folder for the outputs, relative to this file.\n"
			  "output = out\n"
			  "\n"
			  "; The field survey (see README.md, \"Field surveys\"): the export, its\n"
			  "; codebook (`terrain survey describe` drafts it), optional population\n"
			  "; margins to weight it to, how to weight and read it.  Uncomment and\n"
			  "; fill; every key but file and codebook may stay commented.\n"
			  ";[survey]\n"
			  ";file = enquete.csv\n"
			  ";codebook = codebook.csv\n"
			  ";margins = marges.csv\n"
			  "; rake (with margins), poststratify (one variable) or none\n"
			  ";method = rake\n"
			  "; weights bounded to LOW, HIGH times their mean (one may be empty)\n"
			  ";trim = 0,3, 3\n"
			  "; estimates by group, and two-way tables (pairs of variables)\n"
			  ";by = sexe\n"
			  ";crosstab = statut*sexe\n"
			  "; auto, utf8, cp1252 or latin1; auto, ;, , or tab\n"
			  ";encoding = auto\n"
			  ";delimiter = auto\n"
			  "; reliability: fewer respondents, a larger coefficient of variation,\n"
			  "; and cells left out under suppress_below respondents\n"
			  ";min_n = 30\n"
			  ";max_cv = 20 %\n"
			  ";suppress_below = 5\n"
			  "; raking: convergence and passes\n"
			  ";tolerance = 1e-10\n"
			  ";max_iter = 100\n"
			  "\n"
			  "; Public data for `terrain fetch` (see README.md, \"Public data\").\n"
			  "; Uncomment to change: the sources used, the cache folder and the\n"
			  "; store (relative to this file), a mirror's address, the HTTP limits.\n"
			  ";[sources]\n"
			  ";enabled =");
	for (size_t k = 0; k < SOURCE_COUNT; k++)
		strbuf_addf(sb, " %s", source_table[k].key);
	strbuf_addf(sb, "\n;cache = cache\n;store = terrain.db\n;%s = %s\n",
		    source_table[SOURCE_MELODI].key, source_table[SOURCE_MELODI].base);
	strbuf_addstr(sb, ";timeout = 120\n"
			  ";max_attempts = 5\n"
			  "\n"
			  "; Bloc 2, the project (see README.md, \"Project sizing\" and \"Budget\n"
			  "; forecast\").  Uncomment and fill: the target public (a count, then\n"
			  "; shares, each number with its source), the offer inventory\n"
			  "; (`terrain offer import` drafts it) and a coverage goal, then the\n"
			  "; budget's assumptions.\n"
			  "; Numbers as you type them: 1,5 or 1.5; 42 000; 90 % for a share;\n"
			  "; 24 000 \xe2\x82\xac for an amount; 1,5 or 1500, never 1,500 (which\n"
			  "; could be either).  A value by year is given once, or three\n"
			  "; times with a comma and a space between years: posts = 12, 14, 14;\n"
			  "; supervisors_etp = 1,5, 2, 2 (a comma between two digits is a decimal\n"
			  "; comma).\n"
			  ";[target]\n"
			  ";label = Chômeurs de 15-64 ans sans solution d'accompagnement\n"
			  ";base = indicator:unemployed_15_64\n"
			  ";shares = 0,30 [0,25, 0,35] SOURCE OF THIS SHARE\n"
			  ";\n"
			  ";[offer]\n"
			  ";file = offre.csv\n"
			  ";goal = 25 REASON FOR THIS GOAL\n"
			  ";\n"
			  ";[budget]\n"
			  ";name = NAME OF THE ACTION\n"
			  ";structure = ACI\n"
			  ";start_year = 2027\n"
			  ";posts = 12, 14, 14\n"
			  ";contract_hours = 26\n"
			  ";occupancy = 90 %\n"
			  ";contract_months = 12\n"
			  ";supervisors_etp = 2\n"
			  ";supervisor_cost = YEARLY COST OF ONE ETP\n"
			  ";accompaniment_etp = 1\n"
			  ";accompaniment_cost = YEARLY COST OF ONE ETP\n"
			  ";training = 0\n"
			  ";operating = Locaux: AMOUNT\n"
			  ";depreciation = 0\n"
			  ";sales = 0\n");
	if (t->type != TERRITORY_CUSTOM)
		return;
	const struct territory_custom *c = t->custom;
	strbuf_addf(sb,
		    "\n"
		    "; A custom territory: communes (or arrondissements municipaux) whose\n"
		    "; counts add up to it.\n"
		    "[%s]\n"
		    "name = %s\n"
		    "members =",
		    t->code, c->label);
	for (size_t i = 0; i < c->nmember; i++) {
		const struct geo_commune *m = &g->com[c->member[i]];
		if (i && i % 10 == 0)
			strbuf_addstr(sb, "\n   ");
		strbuf_addf(sb, " %s%s", m->kind == GEO_ARM ? "arm:" : "", m->code);
	}
	strbuf_addch(sb, '\n');
}
