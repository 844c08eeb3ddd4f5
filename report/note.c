#include "note.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/xalloc.h"
#include "note_internal.h"
#include "note_tracks.h"
#include "typo.h"

/* ---- words ---- */

void note_escape_md(const char *s, struct strbuf *out)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			strbuf_addch(out, ' ');
			continue;
		}
		/* what can start markup inline or in a table cell; a list or
		 * heading marker only matters at a line's start, where the
		 * note never puts a user's text */
		if (strchr("\\`*_[]<>|~&#", *s))
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
}

void note_escape_html(const char *s, struct strbuf *out)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			strbuf_addstr(out, "&amp;");
			break;
		case '<':
			strbuf_addstr(out, "&lt;");
			break;
		case '>':
			strbuf_addstr(out, "&gt;");
			break;
		case '"':
			strbuf_addstr(out, "&quot;");
			break;
		case '\'':
			strbuf_addstr(out, "&#39;");
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
}

/* A number in the note's language (report/typo.h): "10 527" and "13,8" in
 * French, "10,527" and "13.8" in English; "n.d." / "n/a" for NAN. */
void note_num(const struct note_input *in, struct strbuf *sb, double v, int dec)
{
	typo_number(sb, v, dec, !in->en);
}

/* A value in its unit: "13,8 %", "156 140", "4,2 pour 1 000", "23 000 € par an"
 * (typo_value: U+00A0 before the unit's words, so that a table cell never
 * breaks "11,5 | pour 1 000"). */
void note_value(const struct note_input *in, struct strbuf *sb, double v,
		const struct indicator_def *d)
{
	typo_value(sb, v, d->unit, d->decimals, !in->en);
}

void note_md(struct strbuf *sb, const char *s)
{
	note_escape_md(s, sb);
}

void note_label_inline(struct strbuf *sb, const char *label)
{
	const unsigned char *u = (const unsigned char *)label;
	/* a capital of ASCII or of Latin-1 (À..Þ, not ×), one or two bytes */
	size_t lead = u[0] >= 'A' && u[0] <= 'Z'				     ? 1
		      : u[0] == 0xc3 && u[1] >= 0x80 && u[1] <= 0x9e && u[1] != 0x97 ? 2
										     : 0;
	size_t at = sb->len;
	note_md(sb, label);
	/* followed by a small letter (or an apostrophe): "RSA" stays */
	if (!lead || !((u[lead] >= 'a' && u[lead] <= 'z') || u[lead] == 0xc3 || u[lead] == '\''))
		return;
	if (u[lead] == 0xc3 && !(u[lead + 1] >= 0x9f && u[lead + 1] <= 0xbf))
		return;
	sb->buf[at + lead - 1] = (char)(sb->buf[at + lead - 1] + 0x20);
}

const char *note_label(const struct note_input *in, const struct indicator_def *d)
{
	return in->en ? d->label_en : d->label_fr;
}

/* A period in the note's words: "2026-Q1" is "T1 2026" in French and
 * "Q1 2026" in English; a year stays as it is. */
void note_period(const struct note_input *in, struct strbuf *sb, const char *p)
{
	int y, q;
	char tail;
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4)
		strbuf_addf(sb, "%s%d %d", in->en ? "Q" : "T", q, y);
	else
		note_md(sb, p);
}

/* An ISO date in words ("28 novembre 2026"); anything else as it is. */
void note_date_text(const struct note_input *in, struct strbuf *sb, const char *iso)
{
	int y, m, d;
	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		typo_date(sb, y, m, d, !in->en);
	else
		note_md(sb, iso);
}

/* Why a value is missing, in the note's language: the analysis stage
 * gives a fixed English text (the command line's), translated here. */
static const char *why_text(const struct note_input *in, const char *why)
{
	static const char *const fr[][2] = {
	    {"needs terrain fetch: no store yet", "à récupérer avec terrain fetch"},
	    {"not published for this territory", "non publié pour ce territoire"},
	    {"no source terrain reads publishes it yet: see the note",
	     "aucune source lue par terrain ne le publie encore (voir la note)"},
	    {"not in the bundled data", "absent des données embarquées"},
	    {"not in the bundled data: terrain fetch gets it",
	     "non disponible dans les données embarquées ; `terrain fetch` la récupère"},
	    {"statistical secrecy", "secret statistique"},
	    {"published for EPCI only", "publié par EPCI seulement"},
	    {"published for living areas only", "publié par bassin de vie seulement"},
	    {"not available in the source", "non disponible dans la source"},
	    {"the store has no value for this territory",
	     "aucune valeur récupérée pour ce territoire"},
	    {"no data for the communes of this territory",
	     "aucune donnée pour les communes de ce territoire"},
	    {"the base is zero", "dénominateur nul"},
	    {"the catalogue's definition is too long", "définition du catalogue trop longue"},
	    {"the catalogue gives no observation id", "définition du catalogue incomplète"},
	};
	if (!why)
		return tr(in, "non disponible", "not available");
	if (in->en)
		return why;
	for (size_t i = 0; i < sizeof(fr) / sizeof(fr[0]); i++)
		if (!strcmp(why, fr[i][0]))
			return fr[i][1];
	return "non disponible";
}

static bool shown(const struct indicators_table *ind, size_t i);

/* Is a bundled file's provenance one the note uses? */
static bool prov_used(const struct note_input *in, const struct provenance *p)
{
	if (!strncmp(p->file, "params/", 7))
		return in->budget_in != NULL;
	if (!strncmp(p->file, "bdm/", 4))
		return in->series != NULL;
	if (!strcmp(p->file, "geo/zonages_zones.csv")) /* cited with geo/zonages.csv */
		return false;
	if (!strcmp(p->file, "geo/zonages.csv")) {
		/* the commune's zones, or a zone among the columns */
		for (size_t k = 0; in->ind && k < in->ind->nt; k++)
			if (territory_zonage(in->ind->t[k].type) != GEO_NZONAGE)
				return true;
		return in->zonage != NULL;
	}
	if (!strcmp(p->file, "contours/qpv/"))
		return in->map && in->nlayers && in->map->nq;
	if (!strncmp(p->file, "contours/", 9))
		return in->map && in->nlayers;
	if (!strcmp(p->file, "social/qpv_2024.csv"))
		return in->qpv != NULL;
	/* the social tables: when an indicator of theirs has a value */
	static const char *const social[][2] = {{"social/age_2021.csv", "estim."},
						{"social/neet_2022.csv", "ot."},
						{"social/bv_2022.csv", "insee_sl."}};
	for (size_t f = 0; f < sizeof(social) / sizeof(social[0]); f++) {
		if (strcmp(p->file, social[f][0]))
			continue;
		const struct indicators_table *ind = in->ind;
		for (size_t i = 0; i < ind->nind; i++) /* a row of the portrait */
			if (shown(ind, i) && !strncmp(ind->v[0][i].def->numerator, social[f][1],
						      strlen(social[f][1])))
				return true;
		return false;
	}
	if (!strcmp(p->file, "actors/actors.csv") || !strcmp(p->file, "rome/rome.csv"))
		return in->plan && (p->file[0] == 'a' || in->plan->njob);
	return true;
}

/* "Insee, recensement de la population 2021 (consulté le 28 novembre 2026)" */
static void cite(const struct note_input *in, struct strbuf *sb, const struct provenance *p)
{
	const char *c = in->en ? p->cite_en : p->cite_fr;
	if (c && *c) {
		note_md(sb, c);
	} else {
		note_md(sb, p->source);
		strbuf_addstr(sb, ", ");
		note_md(sb, p->dataset);
	}
	strbuf_addstr(sb, tr(in, " (consulté le ", " (accessed "));
	note_date_text(in, sb, p->retrieved);
	strbuf_addstr(sb, ")");
}

/* "à Grenoble", "en Isère", "dans Grenoble-Alpes-Métropole"; for a
 * reference after "de plus": "qu'à", "qu'en", "que dans". */
/* English names a département that French names with "le" or "les" with
 * "the" (the Nord, the Rhône, the Bouches-du-Rhône), the others without
 * (Isère, Creuse); a région or a commune without. */
static const char *en_article(const struct territory *t)
{
	return t->type == TERRITORY_DEP && (t->tncc == 2 || t->tncc == 4) ? "the " : "";
}

/* A territory's name in the note: its own, or for one of INSEE's zones the
 * zone's as INSEE writes it, "zone d'emploi de Grenoble", "bassin de vie
 * du Havre", "unité urbaine de Grenoble", "aire d'attraction de Grenoble"
 * (with article: "la zone d'emploi...", "le bassin de vie...", "l'unité
 * urbaine..."); en, INSEE's English terms, "Grenoble employment zone",
 * "living area", "urban unit", "functional area" ("the ..."). */
#define NOTE_NAME_MAX 200
static const char *tname_as(const struct note_input *in, const struct territory *t, bool article,
			    char buf[NOTE_NAME_MAX])
{
	if (territory_zonage(t->type) == GEO_NZONAGE || !t->name)
		return t->name ? t->name : t->code;
	struct strbuf sb = STRBUF_INIT;
	typo_territory_name(t, in->en, article, &sb);
	snprintf(buf, NOTE_NAME_MAX, "%s", sb.buf);
	strbuf_release(&sb);
	return buf;
}

void note_place(const struct note_input *in, struct strbuf *sb, const struct territory *t,
		bool after_que)
{
	size_t skip = 0;
	char buf[NOTE_NAME_MAX];
	if (territory_zonage(t->type) != GEO_NZONAGE) { /* "dans la zone d'emploi de ..." */
		strbuf_addstr(sb, in->en ? "in "
					 : typo_place(t, after_que ? TYPO_THAN : TYPO_IN, &skip));
		note_md(sb, tname_as(in, t, true, buf));
		return;
	}
	if (in->en) {
		strbuf_addstr(sb, "in ");
		strbuf_addstr(sb, en_article(t));
	} else
		strbuf_addstr(sb, typo_place(t, after_que ? TYPO_THAN : TYPO_IN, &skip));
	note_md(sb, t->name ? t->name + skip : t->code);
}

/* The charts drawn for a section, as images with their title. */
void note_figures(const struct note_input *in, struct strbuf *sb, const char *anchor,
		  const char *name)
{
	for (size_t i = 0; i < in->ncharts; i++) {
		if (strcmp(in->charts[i].anchor, anchor) ||
		    (name && strcmp(in->charts[i].name, name)))
			continue;
		strbuf_addstr(sb, "![");
		note_md(sb, in->charts[i].title);
		strbuf_addf(sb, "](charts%s/%s.png)\n\n", in->suffix ? in->suffix : "",
			    in->charts[i].name);
		if (in->charts[i].caption) {
			strbuf_addch(sb, '*');
			note_md(sb, in->charts[i].caption);
			strbuf_addstr(sb, "*\n\n");
		}
	}
}

/* ---- sections ---- */

/* The note's columns: the territory, then its references.  Two references
 * with the same name (La Réunion, département 974 and région 04; the other
 * single-département régions likewise) are one column "La Réunion
 * (département et région)" when their values agree for every indicator the
 * note shows, else two, "La Réunion (département)" and "La Réunion
 * (région)".  The context, the portrait table and the bar charts use it. */
#define NOTE_MAX_COLS 16
struct note_columns {
	size_t n;
	size_t k[NOTE_MAX_COLS];       /* the territory of each column */
	char name[NOTE_MAX_COLS][200]; /* its name, plain text */
};

static const char *type_word(const struct note_input *in, enum territory_type t)
{
	return typo_type_word((int)t, in->en);
}

/* The name in the note without article (tname_as). */
static const char *tname(const struct note_input *in, const struct territory *t,
			 char buf[NOTE_NAME_MAX])
{
	return tname_as(in, t, false, buf);
}

void note_title(const struct note_input *in, struct strbuf *out)
{
	if (in->title && *in->title) {
		strbuf_addstr(out, in->title);
		return;
	}
	strbuf_addstr(out, tr(in, "Diagnostic territorial", "Territorial diagnosis"));
	if (in->ind && in->ind->nt) {
		char buf[NOTE_NAME_MAX];
		strbuf_addstr(out, tr(in, " : ", ": "));
		strbuf_addstr(out, tname(in, &in->ind->t[0], buf));
	}
}

/* Is indicator i available for the territory? */
static bool shown(const struct indicators_table *ind, size_t i)
{
	return !isnan(ind->v[0][i].value);
}

/* Do t[a] and t[b] have the same value for every indicator shown? */
static bool same_values(const struct indicators_table *ind, size_t a, size_t b)
{
	for (size_t i = 0; i < ind->nind; i++) {
		double x = ind->v[a][i].value, y = ind->v[b][i].value;
		if (!shown(ind, i) || (isnan(x) && isnan(y)))
			continue;
		if (isnan(x) || isnan(y) || fabs(x - y) > 1e-9 * fmax(1, fabs(x)))
			return false;
	}
	return true;
}

static void note_columns(const struct note_input *in, struct note_columns *c)
{
	const struct indicators_table *ind = in->ind;
	bool merged[NOTE_MAX_COLS] = {false};
	char b1[NOTE_NAME_MAX], b2[NOTE_NAME_MAX];
	c->n = 0;
	for (size_t k = 0; k < ind->nt && k < NOTE_MAX_COLS; k++) {
		if (merged[k])
			continue;
		size_t twin = 0; /* a later reference of the same name */
		for (size_t j = k + 1; k && j < ind->nt && j < NOTE_MAX_COLS && !twin; j++)
			if (!strcmp(tname(in, &ind->t[k], b1), tname(in, &ind->t[j], b2)))
				twin = j;
		/* an earlier one of the same name, kept apart */
		size_t before = 0;
		for (size_t j = 1; k && j < k && !before; j++)
			if (!strcmp(tname(in, &ind->t[k], b1), tname(in, &ind->t[j], b2)))
				before = j;
		c->k[c->n] = k;
		char *name = c->name[c->n];
		size_t size = sizeof(c->name[0]);
		const char *tn = tname(in, &ind->t[k], b1);
		if (twin && same_values(ind, k, twin)) {
			merged[twin] = true;
			snprintf(name, size, "%s (%s %s %s)", tn, type_word(in, ind->t[k].type),
				 tr(in, "et", "and"), type_word(in, ind->t[twin].type));
		} else if (twin || before) {
			snprintf(name, size, "%s (%s)", tn, type_word(in, ind->t[k].type));
		} else {
			snprintf(name, size, "%s", tn);
		}
		c->n++;
	}
}

/* " de l'aire d'attraction du Havre": a zone's name after "de", with the
 * article its name takes (typo_place's TYPO_OF). */
static void zone_of(struct strbuf *sb, const struct geo_zonage_of *z, int l)
{
	struct territory zt = {.type = TERRITORY_COM, .name = z->name[l], .tncc = z->tncc[l]};
	size_t skip;
	strbuf_addstr(sb, typo_place(&zt, TYPO_OF, &skip));
	note_md(sb, z->name[l] + skip);
}

/* A zone in a list: "à la zone d'emploi de Grenoble", "the Grenoble
 * employment zone". */
static void zone_item(const struct note_input *in, struct strbuf *sb, const struct geo_zonage_of *z,
		      int l)
{
	static const char *const fr[] = {"à la zone d'emploi ", "au bassin de vie ",
					 "à l'unité urbaine ", "à l'aire d'attraction "};
	static const char *const en[] = {"employment zone", "living area", "urban unit",
					 "functional area"};
	if (in->en) {
		strbuf_addstr(sb, "the ");
		note_md(sb, z->name[l]);
		strbuf_addf(sb, " %s", en[l]);
	} else {
		strbuf_addstr(sb, fr[l]);
		zone_of(sb, z, l);
	}
}

void note_at_level(const struct note_input *in, struct strbuf *out, const struct indicator_value *v)
{
	if (!*v->at)
		return;
	const char *name = v->at_name && *v->at_name ? v->at_name : v->at;
	if (!strncmp(v->at, "bv:", 3)) {
		if (in->en) {
			strbuf_addstr(out, " (for the living area of ");
			note_md(out, name);
		} else {
			struct territory zt = {
			    .type = TERRITORY_COM, .name = name, .tncc = v->at_tncc};
			size_t skip;
			strbuf_addstr(out, " (à l'échelle du bassin de vie ");
			strbuf_addstr(out, typo_place(&zt, TYPO_OF, &skip));
			note_md(out, name + skip);
		}
	} else {
		strbuf_addstr(out, tr(in, " (à l'échelle de l'EPCI ", " (for the EPCI "));
		note_md(out, name);
	}
	strbuf_addch(out, ')');
}

/* "Grenoble compte 4 quartiers prioritaires de la politique de la ville
 * (QPV 2024) : Mistral Lys Rouge Camine (`qpv:QN03806M`), ...", the first
 * NOTE_MAX_QPV named; no population per QPV is bundled, and it says so. */
#define NOTE_MAX_QPV 12
static void qpv_sentence(const struct note_input *in, struct strbuf *sb)
{
	const struct territory *t = &in->ind->t[0];
	char nbuf[NOTE_NAME_MAX];
	/* a commune is the subject, as the zonages' sentence has it; another
	 * territory comes with its article: "en Creuse", "dans le Nord" */
	bool subject = t->type == TERRITORY_COM || t->type == TERRITORY_ARM;
	struct strbuf place = STRBUF_INIT;
	note_place(in, &place, t, false);
	if (t->type == TERRITORY_ARM) {
		note_md(sb, tname(in, t, nbuf));
		strbuf_addstr(sb,
			      tr(in,
				 " : la liste des quartiers prioritaires de la politique de la "
				 "ville (QPV 2024) de l'ANCT les rattache à la commune, pas à ses "
				 "arrondissements.",
				 ": ANCT's list of priority neighbourhoods of urban policy (QPV "
				 "2024) places them in the city, not in its arrondissements."));
		strbuf_release(&place);
		return;
	}
	if (subject)
		note_md(sb, tname(in, t, nbuf));
	else
		strbuf_addstr(sb, tr(in, "On compte", "There"));
	if (!in->nqpv) {
		if (subject)
			strbuf_addstr(sb, tr(in, " ne compte aucun", " has no"));
		else
			strbuf_addf(sb, tr(in, " %s aucun", " is %s no"), place.buf);
		strbuf_addstr(sb, tr(in,
				     " quartier prioritaire de la politique de la ville (QPV "
				     "2024).",
				     " priority neighbourhood of urban policy (QPV 2024)."));
		strbuf_release(&place);
		return;
	}
	if (subject)
		strbuf_addf(sb, tr(in, " compte %zu", " has %zu"), in->nqpv);
	else
		strbuf_addf(sb, "%s %zu", in->en ? in->nqpv > 1 ? " are" : " is" : "", in->nqpv);
	if (in->nqpv == 1)
		strbuf_addstr(sb,
			      tr(in, " quartier prioritaire de la politique de la ville (QPV 2024)",
				 " priority neighbourhood of urban policy (QPV 2024)"));
	else
		strbuf_addstr(sb, tr(in,
				     " quartiers prioritaires de la politique de la ville (QPV "
				     "2024)",
				     " priority neighbourhoods of urban policy (QPV 2024)"));
	if (!subject)
		strbuf_addf(sb, " %s", place.buf);
	strbuf_addstr(sb, tr(in, " : ", ": "));
	size_t n = in->nqpv < NOTE_MAX_QPV ? in->nqpv : NOTE_MAX_QPV;
	for (size_t i = 0; i < n; i++) {
		const struct qpv_row *q = &in->qpv->v[in->qpv_rows[i]];
		if (i)
			strbuf_addstr(sb,
				      i + 1 == n && n == in->nqpv ? tr(in, " et ", " and ") : ", ");
		note_md(sb, q->name);
		strbuf_addf(sb, " (`qpv:%s`)", q->code);
	}
	if (n < in->nqpv)
		strbuf_addf(sb, tr(in, " et %zu autres", " and %zu others"), in->nqpv - n);
	strbuf_addstr(sb, tr(in,
			     ". Aucune population par QPV n'est embarquée : la liste de l'ANCT "
			     "n'en donne pas, et terrain ne l'estime pas.",
			     ". No population per QPV is bundled: ANCT's list gives none, and "
			     "terrain does not estimate it."));
	strbuf_release(&place);
}

/* The commune's zones in one sentence: "Grenoble appartient à l'aire
 * d'attraction de Grenoble, à la zone d'emploi de Grenoble, au bassin de
 * vie de Grenoble et à l'unité urbaine de Grenoble."  Its category in the
 * aire d'attraction leads when the bundle has it ("est la commune-centre
 * de", "est une commune hors attraction des villes"); a zone the bundle
 * leaves empty is not named; "outside any unité urbaine" is said. */
static void zonage_sentence(const struct note_input *in, struct strbuf *sb)
{
	static const char *const cat_fr[] = {"la commune-centre", "une commune du pôle principal",
					     "une commune d'un pôle secondaire",
					     "une commune de la couronne"};
	static const char *const cat_en[] = {"the centre", "in the main pole",
					     "in a secondary pole", "in the commuter belt"};
	const struct geo_zonage_of *z = in->zonage;
	const struct territory *t = &in->ind->t[0];
	bool out_aav = z->code[GEO_AAV] && geo_zone_outside(GEO_AAV, z->code[GEO_AAV]);
	bool out_uu = z->code[GEO_UU] && geo_zone_outside(GEO_UU, z->code[GEO_UU]);
	int cat = -1;
	switch (z->code[GEO_AAV] && !out_aav ? z->category : GEO_AAV_UNKNOWN) {
	case GEO_AAV_CENTRE:
		cat = 0;
		break;
	case GEO_AAV_POLE:
		cat = 1;
		break;
	case GEO_AAV_POLE2:
		cat = 2;
		break;
	case GEO_AAV_CROWN:
		cat = 3;
		break;
	default:
		break;
	}
	int list[GEO_NZONAGE];
	size_t n = 0;
	if (z->code[GEO_AAV] && !out_aav && cat < 0)
		list[n++] = GEO_AAV;
	if (z->code[GEO_ZE])
		list[n++] = GEO_ZE;
	if (z->code[GEO_BV])
		list[n++] = GEO_BV;
	if (z->code[GEO_UU] && !out_uu)
		list[n++] = GEO_UU;
	bool head = cat >= 0 || out_aav;
	if (!head && !n && !out_uu)
		return;
	const char *pronoun = tr(in, t->type == TERRITORY_ARM ? "il" : "elle", "it");
	char buf[NOTE_NAME_MAX];
	strbuf_addch(sb, ' ');
	note_md(sb, tname(in, t, buf));
	if (cat >= 0) {
		strbuf_addf(sb, " %s %s", tr(in, "est", "is"), in->en ? cat_en[cat] : cat_fr[cat]);
		if (in->en) {
			strbuf_addstr(sb, " of the ");
			note_md(sb, z->name[GEO_AAV]);
			strbuf_addstr(sb, " functional area");
		} else {
			strbuf_addstr(sb, " de l'aire d'attraction ");
			zone_of(sb, z, GEO_AAV);
		}
	} else if (out_aav) {
		strbuf_addstr(sb, tr(in, " est une commune hors attraction des villes",
				     " is outside any functional area"));
		if (out_uu)
			strbuf_addstr(sb, tr(in, " et hors unité urbaine", " and any urban unit"));
	}
	if (n) {
		if (head)
			strbuf_addf(sb, tr(in, " ; %s appartient ", "; %s belongs to "), pronoun);
		else
			strbuf_addstr(sb, tr(in, " appartient ", " belongs to "));
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_addstr(sb, i + 1 == n ? tr(in, " et ", " and ") : ", ");
			zone_item(in, sb, z, list[i]);
		}
	}
	if (out_uu && !out_aav) {
		if (head || n)
			strbuf_addf(sb,
				    tr(in, " ; %s est hors unité urbaine",
				       "; %s is outside any urban unit"),
				    pronoun);
		else
			strbuf_addstr(
			    sb, tr(in, " est hors unité urbaine", " is outside any urban unit"));
	}
	strbuf_addch(sb, '.');
}

static void context(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct indicators_table *ind = in->ind;
	struct strbuf title = STRBUF_INIT;
	note_title(in, &title);
	strbuf_addstr(sb, "# ");
	note_md(sb, title.buf);
	strbuf_addstr(sb, "\n\n");
	strbuf_release(&title);
	if (in->author && *in->author) { /* terrain init leaves it empty */
		strbuf_addstr(sb, tr(in, "Auteur : ", "Author: "));
		note_md(sb, in->author);
		strbuf_addstr(sb, "  \n");
	}
	int y, m, d;
	if (in->date && sscanf(in->date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		strbuf_addstr(sb, tr(in, "Date : ", "Date: "));
		typo_date(sb, y, m, d, !in->en);
		strbuf_addstr(sb, "\n\n");
	}
	strbuf_addstr(sb, tr(in,
			     "*Note de synthèse rédigée par terrain à partir des données "
			     "publiques et de l'enquête de terrain : chaque phrase marquée "
			     "« à relire » est un brouillon.*\n\n",
			     "*Synthesis note drafted by terrain from public data and the field "
			     "survey: every sentence marked \"to review\" is a draft.*\n\n"));
	note_heading(in, sb, sec, "Contexte et commande", "Context and brief");
	strbuf_addstr(sb, tr(in, "Territoire étudié : **", "Territory: **"));
	char buf[NOTE_NAME_MAX];
	note_md(sb, tname(in, &ind->t[0], buf));
	strbuf_addf(sb, "** (`%s`). ", ind->t[0].code);
	struct note_columns col;
	note_columns(in, &col);
	if (col.n > 1) {
		strbuf_addstr(sb, tr(in, "Territoires de référence : ", "Reference territories: "));
		for (size_t c = 1; c < col.n; c++) {
			if (c > 1)
				strbuf_addstr(sb, c + 1 == col.n ? tr(in, " et ", " and ") : ", ");
			note_md(sb, col.name[c]);
		}
		strbuf_addstr(sb, ".");
	}
	if (in->zonage)
		zonage_sentence(in, sb);
	strbuf_addstr(sb, "\n\n");
	if (in->qpv) { /* a paragraph of its own: the zonages' ends the line */
		qpv_sentence(in, sb);
		strbuf_addstr(sb, "\n\n");
	}
}

/* The weighting method in words. */
static const char *method_text(const struct note_input *in, const char *m)
{
	if (!strcmp(m, "rake"))
		return tr(in, "calage sur marges (raking)", "raking to the census margins");
	if (!strcmp(m, "poststratify"))
		return tr(in, "post-stratification", "post-stratification");
	return tr(in, "poids de sondage seuls (sans calage)",
		  "design weights only (no calibration)");
}

/* "Le territoire est comparé à son département, et à la France quand elle
 * conduit à une autre conclusion ; ": the reference main_ref() picks (the
 * département when one is among the references, else the first), and
 * France when it is another reference. */
static void compared_with(const struct note_input *in, struct strbuf *sb)
{
	const struct indicators_table *ind = in->ind;
	size_t main = 0;
	bool fr = false;
	for (size_t k = 1; k < ind->nt; k++) {
		if (ind->t[k].type == TERRITORY_DEP &&
		    (!main || ind->t[main].type != TERRITORY_DEP))
			main = k;
		else if (!main)
			main = k;
	}
	for (size_t k = 1; k < ind->nt; k++)
		if (ind->t[k].type == TERRITORY_FR && k != main)
			fr = true;
	if (!main) {
		strbuf_addstr(sb, tr(in, "Sans référence, aucun écart n'est testé ; ",
				     "With no reference, no gap is tested; "));
		return;
	}
	static const struct {
		enum territory_type type;
		const char *fr, *en;
	} kinds[] = {
	    {TERRITORY_EPCI, "à son intercommunalité", "with its intercommunality"},
	    {TERRITORY_DEP, "à son département", "with its département"},
	    {TERRITORY_REG, "à sa région", "with its région"},
	    {TERRITORY_FR, "à la France", "with France"},
	    {TERRITORY_ZE, "à sa zone d'emploi", "with its employment zone"},
	    {TERRITORY_BV, "à son bassin de vie", "with its living area"},
	    {TERRITORY_UU, "à son unité urbaine", "with its urban unit"},
	    {TERRITORY_AAV, "à son aire d'attraction", "with its functional area"},
	};
	const char *fr_kind = "à sa première référence", *en_kind = "with its first reference";
	for (size_t j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++)
		if (kinds[j].type == ind->t[main].type)
			fr_kind = kinds[j].fr, en_kind = kinds[j].en;
	strbuf_addf(sb, tr(in, "Le territoire est comparé %s", "The territory is compared %s"),
		    tr(in, fr_kind, en_kind));
	strbuf_addstr(sb,
		      fr ? tr(in, ", et à la France quand elle conduit à une autre conclusion ; ",
			      ", and with France when France tells otherwise; ")
			 : tr(in, " ; ", "; "));
}

static void method(const struct note_input *in, struct strbuf *sb, int *sec)
{
	note_heading(in, sb, sec, "Méthodologie", "Method");
	strbuf_addstr(sb,
		      tr(in,
			 "Les indicateurs sont calculés à partir des effectifs additionnés des "
			 "communes de chaque territoire (jamais comme une moyenne de taux), dans "
			 "la géographie du COG 2026. Un écart est dit significatif lorsqu'un test "
			 "bilatéral au seuil de 5 % le distingue de zéro ; les effectifs du "
			 "recensement des communes de 10 000 habitants ou plus sont traités comme "
			 "issus d'un sondage au taux de 40 %. Un écart devient un constat s'il "
			 "est significatif et d'au moins 1 point pour un pourcentage, ou d'au "
			 "moins 5 % de la valeur de référence pour un autre taux. ",
			 "Indicators are computed from the summed counts of each territory's "
			 "communes (never as an average of rates), in the geography of COG 2026. "
			 "A gap is called significant when a two-sided test at 5% tells it from "
			 "zero; census counts of communes of 10,000 inhabitants or more are "
			 "treated as a 40% sample. A gap becomes a finding when it is "
			 "significant and at least 1 point for a percentage, or at least 5% of "
			 "the reference's value for another rate. "));
	compared_with(in, sb);
	strbuf_addstr(sb, tr(in,
			     "les constats défavorables viennent d'abord, puis les favorables, "
			     "classés par thème (trois au plus par thème, la démographie en "
			     "dernier).\n\n",
			     "unfavourable findings come first, then favourable ones, ranked by "
			     "theme (three at most per theme, demography last).\n\n"));
	strbuf_addstr(sb, tr(in, "Sources :\n\n", "Sources:\n\n"));
	for (size_t i = 0; i < in->nprov; i++) {
		if (!prov_used(in, &in->prov[i]))
			continue;
		strbuf_addstr(sb, "- ");
		cite(in, sb, &in->prov[i]);
		strbuf_addstr(sb, "\n");
	}
	if (in->ind->stored)
		strbuf_addstr(sb,
			      tr(in,
				 "- les données publiques récupérées par `terrain fetch` "
				 "(dates de récupération dans le tableau en annexe)\n",
				 "- the public data `terrain fetch` retrieved (retrieval dates in "
				 "the appendix table)\n"));
	strbuf_addstr(sb, "\n");
	if (in->survey) {
		strbuf_addf(sb,
			    tr(in,
			       "Enquête de terrain : %zu répondants, pondération par %s ; les "
			       "intervalles de confiance sont à 95 %%.\n\n",
			       "Field survey: %zu respondents, weighted by %s; confidence "
			       "intervals are at 95%%.\n\n"),
			    in->survey->respondents, method_text(in, in->survey->method));
	}
}

static void portrait(const struct note_input *in, struct strbuf *sb, int *sec)
{
	const struct indicators_table *ind = in->ind;
	struct note_columns col;
	note_columns(in, &col);
	note_heading(in, sb, sec, "Portrait du territoire", "Territory profile");
	strbuf_addstr(sb, tr(in, "| Indicateur |", "| Indicator |"));
	for (size_t c = 0; c < col.n; c++) {
		const char *name = col.name[c];
		strbuf_addch(sb, ' ');
		if (*name >= 'a' && *name <= 'z') /* a column head: "Zone d'emploi de ..." */
			strbuf_addch(sb, (char)(*name++ - 'a' + 'A'));
		note_md(sb, name);
		strbuf_addstr(sb, " |");
	}
	strbuf_addstr(sb, "\n|---|");
	for (size_t c = 0; c < col.n; c++)
		strbuf_addstr(sb, "---:|");
	strbuf_addch(sb, '\n');
	for (size_t i = 0; i < ind->nind; i++) {
		if (!shown(ind, i))
			continue;
		const struct indicator_def *d = ind->v[0][i].def;
		/* a rate per 1 000 or per 100 states its unit once, in the row's
		 * label, as a statistical table does: the cells hold numbers, so
		 * that five columns fit the page */
		const char *words = typo_unit(d->unit, !in->en);
		bool in_label =
		    words && (!strcmp(d->unit, "per 1 000") || !strcmp(d->unit, "per 100"));
		/* the period and the unit in one pair of brackets, joined to the
		 * label's own: "Taux de pauvreté (seuil à 60 %, 2021)" */
		const char *l = note_label(in, d);
		size_t ll = strlen(l);
		bool open = ll && l[ll - 1] == ')';
		char *head = xstrndup(l, open ? ll - 1 : ll);
		strbuf_addstr(sb, "| ");
		note_md(sb, head);
		free(head);
		if (ind->v[0][i].period[0]) {
			strbuf_addstr(sb, open ? ", " : " (");
			note_period(in, sb, ind->v[0][i].period);
			open = true;
		}
		if (in_label) {
			strbuf_addstr(sb, open ? ", " : " (");
			strbuf_addstr(sb, words);
			open = true;
		}
		if (open)
			strbuf_addch(sb, ')');
		strbuf_addstr(sb, " |");
		for (size_t c = 0; c < col.n; c++) {
			strbuf_addch(sb, ' ');
			if (in_label)
				note_num(in, sb, ind->v[col.k[c]][i].value, d->decimals);
			else
				note_value(in, sb, ind->v[col.k[c]][i].value, d);
			note_at_level(in, sb, &ind->v[col.k[c]][i]);
			strbuf_addstr(sb, " |");
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, tr(in, "\n*Sources : voir la méthodologie et l'annexe.*\n\n",
			     "\n*Sources: see the method and the appendix.*\n\n"));
	note_figures(in, sb, "portrait", NULL);
	note_figures(in, sb, "maps", NULL);
}

/* The reference a sentence compares with: the département when it is one,
 * else the first with a gap. */
static size_t main_ref(const struct indicators_table *ind, size_t i)
{
	size_t first = 0;
	for (size_t k = 1; k < ind->nt; k++) {
		if (!ind->has_gap[k * ind->nind + i])
			continue;
		if (ind->t[k].type == TERRITORY_DEP)
			return k;
		if (!first)
			first = k;
	}
	return first;
}

/* A gap makes a constat when it is significant at 5 % (gap.h) and large
 * enough to matter: at least 1 point for a percentage, at least 5 % of the
 * reference's value for any other unit (a rate per 1 000, per 100).  A
 * census figure of a large territory is significant for tiny gaps; this
 * keeps the note to what a reader would act on. */
#define NOTE_MIN_POINTS	   1.0
#define NOTE_MIN_RELATIVE  0.05
#define NOTE_MAX_PER_THEME 3

static bool gap_matters(const struct indicator_def *d, double v, double ref)
{
	if (!strcmp(d->unit, "%"))
		return fabs(v - ref) >= NOTE_MIN_POINTS;
	return ref != 0 && fabs(v - ref) >= NOTE_MIN_RELATIVE * fabs(ref);
}

static enum note_tone tone(const struct indicator_def *d, double change)
{
	if (d->polarity == POLARITY_NEUTRAL || change == 0)
		return NOTE_NEUTRAL;
	return (change > 0) == (d->polarity == POLARITY_HIGHER_WORSE) ? NOTE_UNFAVOURABLE
								      : NOTE_FAVOURABLE;
}

/* The territory whose trend the note gives: the territory's own series when
 * it has one, else the closest reference that has one (the département
 * before the région and France); (size_t)-1 when none. */
static size_t trend_of(const struct indicators_table *ind, size_t i)
{
	size_t best = (size_t)-1;
	for (size_t k = 0; k < ind->nt; k++) {
		if (!ind->v[k][i].has_trend)
			continue;
		if (k == 0)
			return 0;
		if (best == (size_t)-1 || ind->t[k].type < ind->t[best].type)
			best = k;
	}
	return best;
}

/* Is the gap of indicator i to reference k significant and large enough
 * to matter? */
static bool gap_qualifies(const struct indicators_table *ind, size_t i, size_t k)
{
	if (!k || !shown(ind, i) || !ind->has_gap[k * ind->nind + i])
		return false;
	const struct gap *g = &ind->gap[k * ind->nind + i];
	return g->significant &&
	       gap_matters(ind->v[0][i].def, ind->v[0][i].value, ind->v[k][i].value);
}

/* A rate on too few events to be read (INDICATOR_SMALL: under 20, or under
 * 200 from the census's sample, INSEE's advice): one birth in a commune of
 * 375 inhabitants is no finding, however far from the département. */
static bool too_small(const struct indicators_table *ind, size_t i)
{
	return (ind->v[0][i].flags & INDICATOR_SMALL) != 0;
}

/* The gap of indicator i to reference k as a finding, if it makes one. */
static bool gap_finding(const struct indicators_table *ind, size_t i, size_t k,
			struct note_finding *out)
{
	const struct indicator_def *d = ind->v[0][i].def;
	if (!gap_qualifies(ind, i, k) || too_small(ind, i))
		return false;
	double v = ind->v[0][i].value, ref = ind->v[k][i].value;
	*out = (struct note_finding){i,	       k,
				     false,    tone(d, v - ref),
				     d->theme, ref != 0 ? fabs(v - ref) / fabs(ref) : HUGE_VAL};
	return true;
}

static int finding_cmp(const void *a, const void *b)
{
	const struct note_finding *x = a, *y = b;
	if (x->tone != y->tone)
		return x->tone < y->tone ? -1 : 1;
	if (x->theme != y->theme)
		return x->theme < y->theme ? -1 : 1;
	if (x->trend != y->trend)
		return x->trend ? 1 : -1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The constats of the public data, ranked: unfavourable first, then
 * favourable, then neutral; by theme (demography last), gaps before trends,
 * the largest gap first; at most NOTE_MAX_PER_THEME per theme.  *out is
 * returned owned (free with free()); returns the count. */
static size_t rank_findings(const struct note_input *in, struct note_finding **out)
{
	const struct indicators_table *ind = in->ind;
	size_t fr = 0; /* France among the references */
	for (size_t k = 1; k < ind->nt; k++)
		if (ind->t[k].type == TERRITORY_FR)
			fr = k;
	struct note_finding *f = xcalloc(3 * (ind->nind ? ind->nind : 1), sizeof(*f));
	size_t n = 0;
	for (size_t i = 0; i < ind->nind; i++) {
		const struct indicator_def *d = ind->v[0][i].def;
		size_t k = main_ref(ind, i);
		bool main_found = k && gap_finding(ind, i, k, &f[n]);
		n += main_found;
		/* France too, when the département says nothing or the other way
		 * (Saint-Denis: less unemployment than La Réunion, far more than
		 * France) */
		if (fr && fr != k && gap_finding(ind, i, fr, &f[n]) &&
		    (!main_found || f[n].tone != f[n - 1].tone))
			n++;
		size_t t = trend_of(ind, i);
		if (t != (size_t)-1) {
			const struct trend *tr_ = &ind->v[t][i].trend;
			if (tr_->lo > 0 || tr_->hi < 0)
				f[n++] = (struct note_finding){
				    i, t, true, tone(d, tr_->slope), d->theme, 0};
		}
	}
	qsort(f, n, sizeof(*f), finding_cmp);
	size_t per[THEME_COUNT] = {0}, m = 0;
	for (size_t j = 0; j < n; j++)
		if (per[f[j].theme]++ < NOTE_MAX_PER_THEME)
			f[m++] = f[j];
	*out = f;
	return m;
}

/* "0,39 point", "2,5 points": unsigned (typo_points signs its value). */
static void points_abs(const struct note_input *in, struct strbuf *sb, double v, int dec)
{
	struct strbuf t = STRBUF_INIT;
	typo_points(&t, fabs(v), dec, !in->en);
	strbuf_addstr(sb, t.buf[0] == '+' ? t.buf + 1 : t.buf);
	strbuf_release(&t);
}

/* "communale", "for the commune": the series the territory lacks. */
static const char *series_missing(const struct note_input *in, const struct territory *t)
{
	switch (t->type) {
	case TERRITORY_COM:
	case TERRITORY_ARM:
		return tr(in, ", faute de série communale",
			  ", as no series is published for the commune");
	case TERRITORY_EPCI:
		return tr(in, ", faute de série intercommunale",
			  ", as no series is published for the EPCI");
	default:
		return tr(in, ", faute de série pour ce territoire",
			  ", as no series is published for this territory");
	}
}

static void gap_sentence(const struct note_input *in, struct strbuf *sb,
			 const struct note_finding *f)
{
	const struct indicators_table *ind = in->ind;
	size_t i = f->i, k = f->k;
	const struct gap *g = &ind->gap[k * ind->nind + i];
	const struct indicator_def *d = ind->v[0][i].def;
	note_md(sb, note_label(in, d));
	strbuf_addstr(sb, in->en ? ": " : NBSP ": ");
	note_value(in, sb, ind->v[0][i].value, d);
	strbuf_addch(sb, ' ');
	note_place(in, sb, &ind->t[0], false);
	strbuf_addstr(sb, tr(in, ", soit ", ", "));
	if (!strcmp(d->unit, "%"))
		points_abs(in, sb, g->points, d->decimals);
	else
		typo_value(sb, fabs(g->points), d->unit, d->decimals, !in->en);
	strbuf_addstr(sb, g->points > 0 ? tr(in, " de plus ", " above the level ")
					: tr(in, " de moins ", " below the level "));
	note_place(in, sb, &ind->t[k], true);
	/* "La Réunion (département)" when the région of the same name is
	 * shown apart (note_columns) */
	char b1[NOTE_NAME_MAX], b2[NOTE_NAME_MAX];
	for (size_t j = 1; j < ind->nt; j++)
		if (j != k && !strcmp(tname(in, &ind->t[j], b1), tname(in, &ind->t[k], b2)) &&
		    !same_values(ind, j, k)) {
			strbuf_addf(sb, " (%s)", type_word(in, ind->t[k].type));
			break;
		}
	strbuf_addstr(sb, " (");
	note_value(in, sb, ind->v[k][i].value, d);
	strbuf_addstr(sb, tr(in, ") ; écart significatif au seuil de 5 %.\n",
			     "); a significant gap at 5%.\n"));
}

/* "en hausse de 0,39 point par an à l'échelle de l'Isère, faute de série
 * communale (8 trimestres, IC à 95 % : 0,21 à 0,56)" */
static void trend_sentence(const struct note_input *in, struct strbuf *sb,
			   const struct note_finding *f)
{
	const struct indicators_table *ind = in->ind;
	const struct indicator_value *v = &ind->v[f->k][f->i];
	const struct indicator_def *d = v->def;
	bool pct = !strcmp(d->unit, "%");
	note_md(sb, note_label(in, d));
	strbuf_addstr(sb, in->en ? ": " : NBSP ": ");
	strbuf_addstr(sb, v->trend.slope > 0 ? tr(in, "en hausse de ", "rising by ")
					     : tr(in, "en baisse de ", "falling by "));
	if (pct)
		points_abs(in, sb, v->trend.slope, 2);
	else
		note_num(in, sb, fabs(v->trend.slope), 2);
	strbuf_addstr(sb, tr(in, " par an ", " a year "));
	if (f->k == 0) {
		note_place(in, sb, &ind->t[0], false);
	} else {
		size_t skip = 0;
		char buf[NOTE_NAME_MAX];
		if (in->en) {
			strbuf_addstr(sb, "at the level of ");
			strbuf_addstr(sb, en_article(&ind->t[f->k]));
		} else {
			strbuf_addstr(sb, "à l'échelle ");
			strbuf_addstr(sb, typo_place(&ind->t[f->k], TYPO_OF, &skip));
		}
		/* a zone: "de la zone d'emploi de Grenoble", "the Grenoble employment zone" */
		if (territory_zonage(ind->t[f->k].type) != GEO_NZONAGE)
			note_md(sb, tname_as(in, &ind->t[f->k], true, buf));
		else
			note_md(sb, tname(in, &ind->t[f->k], buf) + skip);
		strbuf_addstr(sb, series_missing(in, &ind->t[0]));
	}
	bool quarters = strstr(v->period, "-Q") != NULL;
	strbuf_addf(sb, " (%zu %s", v->trend.n,
		    quarters ? tr(in, "trimestres", "quarters") : tr(in, "périodes", "periods"));
	strbuf_addstr(sb, tr(in, ", IC à 95" NBSP "%" NBSP ": ", ", 95% CI: "));
	/* a bound that rounds to 0,00 would read as not significant: one more
	 * decimal (Corte: 0,002 à 0,44) */
	double near = fmin(fabs(v->trend.lo), fabs(v->trend.hi));
	int dec = near < 0.005 ? 3 : 2;
	note_num(in, sb, v->trend.lo, dec);
	strbuf_addstr(sb, tr(in, " à ", " to "));
	note_num(in, sb, v->trend.hi, dec);
	strbuf_addstr(sb, ").\n");
}

static void findings(const struct note_input *in, struct strbuf *sb, int *sec,
		     const struct note_finding *f, size_t n)
{
	static const char *const groups[][2] = {
	    {"Points de vigilance", "Concerns"},
	    {"Points d'appui", "Strengths"},
	    {"Autres constats", "Other findings"},
	};
	const char *draft = tr(in, "*[À relire]* ", "*[To review]* ");
	note_heading(in, sb, sec, "Constats", "Findings");
	for (size_t j = 0; j < n; j++) {
		if (!j || f[j].tone != f[j - 1].tone) {
			if (j)
				strbuf_addch(sb, '\n');
			strbuf_addf(sb, "**%s**\n\n", groups[f[j].tone][in->en]);
		}
		strbuf_addstr(sb, "- ");
		strbuf_addstr(sb, draft);
		if (f[j].trend)
			trend_sentence(in, sb, &f[j]);
		else
			gap_sentence(in, sb, &f[j]);
	}
	struct strbuf survey = STRBUF_INIT;
	size_t ns = note_survey_findings(in, &survey);
	if (ns) {
		strbuf_addstr(sb, tr(in, "\n**Enquête de terrain**\n\n", "\n**Field survey**\n\n"));
		strbuf_addbuf(sb, &survey);
	}
	strbuf_release(&survey);
	if (!n && !ns)
		strbuf_addstr(sb, tr(in, "Aucun écart ni aucune tendance significatifs.\n",
				     "No significant gap or trend.\n"));
	strbuf_addch(sb, '\n');
}

static void limits(const struct note_input *in, struct strbuf *sb, int *sec)
{
	if (!in->plan) /* with a plan, the project's charts come before it */
		note_figures(in, sb, "project", NULL);
	const struct indicators_table *ind = in->ind;
	note_heading(in, sb, sec, "Limites", "Limits");
	strbuf_addstr(sb,
		      tr(in,
			 "- Les chiffres du recensement des grandes communes sont estimés par "
			 "sondage : un écart faible peut ne pas être significatif.\n"
			 "- Les quatre notions du chômage (recensement, taux localisé BIT, "
			 "inscrits à France Travail, Eurostat) ne se comparent pas entre elles.\n",
			 "- Census figures of large communes come from a sample: a small gap "
			 "may not be significant.\n"
			 "- The four unemployment notions (census, ILO localized rate, France "
			 "Travail registrations, Eurostat) are not comparable.\n"));
	/* the gaps set aside for their small counts, named */
	size_t small = 0;
	for (size_t i = 0; i < ind->nind; i++) {
		size_t fr = 0;
		for (size_t k = 1; k < ind->nt; k++)
			if (ind->t[k].type == TERRITORY_FR)
				fr = k;
		if (!too_small(ind, i) ||
		    !(gap_qualifies(ind, i, main_ref(ind, i)) || gap_qualifies(ind, i, fr)))
			continue;
		strbuf_addstr(sb, small++ ? " ; "
					  : tr(in,
					       "- Écarts non retenus comme constats, "
					       "faute d'effectifs suffisants (moins de "
					       "20 événements, ou de 200 personnes "
					       "issues du sondage du recensement, "
					       "seuils de l'Insee) : ",
					       "- Gaps not taken as findings, the counts "
					       "being too small (under 20 events, or 200 "
					       "people from the census sample, INSEE's "
					       "thresholds): "));
		if (in->en)
			note_md(sb, note_label(in, ind->v[0][i].def));
		else
			note_label_inline(sb, note_label(in, ind->v[0][i].def));
	}
	if (small)
		strbuf_addstr(sb, ".\n");
	size_t unavailable = 0;
	for (size_t i = 0; i < ind->nind; i++)
		unavailable += !shown(ind, i);
	if (unavailable)
		strbuf_addf(sb,
			    tr(in,
			       "- %zu indicateurs du catalogue ne sont pas disponibles pour ce "
			       "territoire (données à récupérer avec `terrain fetch`, ou sans "
			       "source publiée) : voir l'annexe.\n",
			       "- %zu indicators of the catalogue are unavailable for this "
			       "territory (data to fetch with `terrain fetch`, or no published "
			       "source): see the appendix.\n"),
			    unavailable);
	strbuf_addch(sb, '\n');
}

static void appendix(const struct note_input *in, struct strbuf *sb)
{
	const struct indicators_table *ind = in->ind;
	strbuf_addstr(sb, tr(in, "## Annexe : définitions des indicateurs\n\n",
			     "## Appendix: indicator definitions\n\n"));
	strbuf_addstr(sb, tr(in, "| Indicateur | Source | Note | Disponibilité |\n",
			     "| Indicator | Source | Note | Availability |\n"));
	strbuf_addstr(sb, "|---|---|---|---|\n");
	for (size_t i = 0; i < ind->nind; i++) {
		const struct indicator_value *v = &ind->v[0][i];
		strbuf_addstr(sb, "| ");
		note_md(sb, note_label(in, v->def));
		strbuf_addstr(sb, " | ");
		note_md(sb, in->en ? v->def->source_en : v->def->source_fr);
		if (v->retrieved) {
			strbuf_addstr(sb, tr(in, " (consulté le ", " (accessed "));
			note_date_text(in, sb, v->retrieved);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, " | ");
		note_md(sb, in->en ? v->def->note_en : v->def->note_fr);
		strbuf_addstr(sb, " | ");
		if (isnan(v->value))
			note_md(sb, why_text(in, v->why));
		else
			strbuf_addstr(sb, tr(in, "disponible", "available"));
		note_at_level(in, sb, v);
		strbuf_addstr(sb, " |\n");
	}
	strbuf_addstr(
	    sb, tr(in,
		   "\nLes données publiques sont réutilisées sous la Licence Ouverte 2.0 "
		   "d'Etalab. Les fichiers, leurs versions, leurs adresses et leurs empreintes "
		   "sont listés dans `manifest.json`, à côté de cette note.\n",
		   "\nThe public data are reused under Etalab's Licence Ouverte 2.0 (Open "
		   "Licence). The files, their versions, addresses and checksums are listed "
		   "in `manifest.json`, beside this note.\n"));
}

void note_heading(const struct note_input *in, struct strbuf *sb, int *sec, const char *fr,
		  const char *en)
{
	strbuf_addf(sb, "## %d. %s\n\n", ++*sec, in->en ? en : fr);
}

void note_markdown(const struct note_input *in, struct strbuf *out)
{
	int sec = 0;
	context(in, out, &sec);
	method(in, out, &sec);
	portrait(in, out, &sec);
	note_survey_section(in, out, &sec);
	struct note_finding *f;
	size_t n = rank_findings(in, &f);
	findings(in, out, &sec, f, n);
	note_tracks_section(in, f, n, out, &sec);
	free(f);
	note_project_section(in, out, &sec);
	limits(in, out, &sec);
	appendix(in, out);
}

/* ---- HTML ---- */

/* Cells are aligned as the Markdown says (cmark writes align="right" for a
 * "---:" column: the numbers), text to the left: the appendix's sources
 * and notes are text.  A text cell may break inside a long word (a file
 * name, an id with underscores) rather than push its table past the page;
 * a number never does.  A table of eight columns or more (a commune of
 * Paris, Lyon or Marseille against its city, EPCI, zone d'emploi,
 * département, région and France) is set smaller. */
static const char css[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:48em;margin:2em auto;"
    "padding:0 1em;line-height:1.45;color:#222}"
    "h1{font-size:1.6em;border-bottom:2px solid #2b6ca3}h2{font-size:1.25em;color:#2b6ca3;"
    "margin-top:1.6em}table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
    "th,td{border:1px solid #bbb;padding:.25em .5em}th{background:#eef3f8}"
    "td,th{text-align:left}[align=right]{text-align:right}[align=center]{text-align:center}"
    "td:not([align]){overflow-wrap:anywhere}table:has(th:nth-child(8)){font-size:.8em}"
    "em{color:#555}code{font-size:.9em}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}"
    "@media print{@page{size:A4;margin:18mm 16mm}body{max-width:none;margin:0;"
    "font-size:10pt}h2{page-break-after:avoid}table,figure{page-break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

/* svg appended to out with its ids prefixed by "prefix-", and the
 * references to them (href='#x', url(#x)) too: gnuplot names the same
 * ids in every chart ("gnuplot_canvas", "gpPt0"...), and one page holds
 * them all, where an id must be unique. */
static void svg_inline(const char *svg, const char *prefix, struct strbuf *out)
{
	static const char *const marks[] = {" id='", " id=\"", "href='#", "href=\"#", "url(#"};
	const char *p = svg;
	while (*p) {
		size_t k = 0, n = 0;
		for (; k < sizeof(marks) / sizeof(marks[0]); k++)
			if (!strncmp(p, marks[k], n = strlen(marks[k])))
				break;
		if (k == sizeof(marks) / sizeof(marks[0])) {
			strbuf_addch(out, *p++);
			continue;
		}
		strbuf_add(out, p, n);
		strbuf_addf(out, "%s-", prefix);
		p += n;
	}
}

enum status note_html(const char *md, size_t len, const char *title, bool en,
		      const struct note_chart *charts, size_t ncharts, struct strbuf *out,
		      struct error *err)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	cmark_syntax_extension *auto_link = cmark_find_syntax_extension("autolink");
	if (!parser || !table) {
		if (parser) /* the table extension missing: the parser was made */
			cmark_parser_free(parser);
		return error_set(err, TERRAIN_EIO, "cmark-gfm: cannot create the parser");
	}
	cmark_parser_attach_syntax_extension(parser, table);
	if (auto_link)
		cmark_parser_attach_syntax_extension(parser, auto_link);
	cmark_parser_feed(parser, md, len);
	cmark_node *doc = cmark_parser_finish(parser);
	/* CMARK_OPT_DEFAULT is the safe mode: raw HTML is left out */
	char *body =
	    cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
	strbuf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		    en ? "en" : "fr");
	strbuf_addstr(out, "<title>");
	note_escape_html(title, out);
	strbuf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	/* each chart's image becomes its SVG, inline: one self-contained file */
	const char *p = body ? body : "";
	for (;;) {
		const char *img = strstr(p, "<img src=\"charts");
		if (!img)
			break;
		const char *end = strstr(img, "/>");
		const char *slash = strchr(img + strlen("<img src=\"charts"), '/');
		const struct note_chart *c = NULL;
		for (size_t i = 0; i < ncharts && !c && slash; i++) {
			char src[64];
			snprintf(src, sizeof(src), "/%s.png\"", charts[i].name);
			if (!strncmp(slash, src, strlen(src)))
				c = &charts[i];
		}
		if (!end || !c || !c->svg) {
			strbuf_add(out, p, (size_t)(img - p) + 4);
			p = img + 4;
			continue;
		}
		strbuf_add(out, p, (size_t)(img - p));
		const char *svg = strstr(c->svg, "<svg");
		strbuf_addstr(out, "<figure role=\"img\" aria-label=\"");
		note_escape_html(c->title, out);
		strbuf_addstr(out, "\">");
		svg_inline(svg ? svg : "", c->name, out);
		strbuf_addstr(out, "</figure>");
		p = end + 2;
	}
	strbuf_addstr(out, p);
	strbuf_addstr(out, "</body>\n</html>\n");
	free(body);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return TERRAIN_OK;
}

/* ---- charts ---- */

static void chart_add(struct note_chart_set *set, const char *name, const char *title,
		      const char *anchor, char *svg)
{
	ALLOC_GROW(set->v, set->n + 1, set->alloc);
	struct note_chart *c = &set->v[set->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->title = xstrdup(title); /* whole: a cut could split a character */
	c->anchor = anchor;
	c->svg = svg;
}

enum status note_draw(const struct chart *c, const char *dir, const char *name, const char *anchor,
		      struct note_chart_set *set, struct error *err)
{
	struct strbuf svg = STRBUF_INIT; /* the file's bytes, inlined in note.html */
	enum status st = chart_write(c, NULL, dir, name, &svg, err);
	if (st) {
		strbuf_release(&svg);
		return st;
	}
	chart_add(set, name, c->title, anchor, strbuf_detach(&svg));
	return TERRAIN_OK;
}

static size_t find_ind(const struct indicators_table *t, const char *id)
{
	for (size_t i = 0; i < t->nind; i++)
		if (!strcmp(t->v[0][i].def->id, id))
			return i;
	return (size_t)-1;
}

/* "Population selon le COG, 2021 à 2026 : Grenoble (−1,3 %)": the change
 * between the first and the last vintage that have a value, stated in the
 * title (and so in the alternative text), since bars from zero hide a
 * change of 1 %; no change with fewer than two values. */
static void pop_title(const struct note_input *in, const char *name, const double *pop,
		      const char *const *cogs, size_t n, struct strbuf *sb)
{
	size_t a = 0, b = n;
	while (a < n && !(pop[a] > 0))
		a++;
	while (b > a && !(pop[b - 1] > 0))
		b--;
	if (b < a + 2) {
		strbuf_addf(sb,
			    tr(in, "Population selon le COG : %s", "Population by COG vintage: %s"),
			    name);
		return;
	}
	strbuf_addf(sb,
		    tr(in, "Population selon le COG, %s à %s : %s (",
		       "Population by COG vintage, %s to %s: %s ("),
		    cogs[a], cogs[b - 1], name);
	double pct = (pop[b - 1] - pop[a]) / pop[a] * 100;
	if (round(pct * 10) > 0)
		strbuf_addch(sb, '+');
	typo_percent(sb, pct, 1, !in->en);
	strbuf_addch(sb, ')');
}

enum status note_charts(const struct note_input *in, const char *outdir, struct note_chart **out,
			size_t *nout, struct error *err)
{
	const struct indicators_table *ind = in->ind;
	struct note_chart_set set = {0};
	struct strbuf dir = STRBUF_INIT, title = STRBUF_INIT;
	const char *names[1 + 16];
	double vals[16];
	enum status st = TERRAIN_OK;
	const char *src_census =
	    tr(in, "Source : Insee, recensement 2021 (comparateur de territoires)",
	       "Source: Insee, 2021 census (territorial comparison database)");
	*out = NULL;
	*nout = 0;
	strbuf_addf(&dir, "%s/charts%s", outdir, in->suffix ? in->suffix : "");
	if ((st = fileio_mkdirs(dir.buf, err)))
		goto out;
	char nbuf[16][NOTE_NAME_MAX];
	for (size_t k = 0; k < ind->nt && k < 16; k++)
		names[k] = tname(in, &ind->t[k], nbuf[k]);

	/* the territory against its references, on two census rates */
	static const char *const bar_ids[] = {"unemployment_rate_census", "activity_rate_15_64"};
	static const char *const bar_names[] = {"unemployment", "activity"};
	struct note_columns col; /* one bar for La Réunion, département and région */
	const char *bars[NOTE_MAX_COLS];
	char bar_cap[NOTE_MAX_COLS][NOTE_NAME_MAX];
	note_columns(in, &col);
	for (size_t c = 0; c < col.n; c++) {
		bars[c] = col.name[c];
		/* a category under its bar, as a column head: "Zone d'emploi de ..." */
		if (*bars[c] >= 'a' && *bars[c] <= 'z') {
			snprintf(bar_cap[c], sizeof(bar_cap[c]), "%c%s", *bars[c] - 'a' + 'A',
				 bars[c] + 1);
			bars[c] = bar_cap[c];
		}
	}
	for (size_t b = 0; b < 2 && !st; b++) {
		size_t i = find_ind(ind, bar_ids[b]);
		if (i == (size_t)-1 || isnan(ind->v[0][i].value))
			continue;
		for (size_t c = 0; c < col.n; c++)
			vals[c] = ind->v[col.k[c]][i].value;
		struct chart_series s = {note_label(in, ind->v[0][i].def), vals, NULL, NULL};
		struct chart c = {.kind = CHART_BARS,
				  .en = in->en,
				  .title = note_label(in, ind->v[0][i].def),
				  .source = src_census,
				  .cat = bars,
				  .ncat = col.n,
				  .series = &s,
				  .nseries = 1,
				  .decimals = 1,
				  .unit = "%"};
		st = note_draw(&c, dir.buf, bar_names[b], "portrait", &set, err);
	}
	/* the population each COG package carries */
	if (!st && in->pop_cog) {
		static const char *const cogs[] = {"2021", "2022", "2023", "2024", "2025", "2026"};
		strbuf_reset(&title);
		pop_title(in, names[0], in->pop_cog, cogs, 6, &title);
		/* bars from zero with their values printed: a line on an axis
		 * fitted to the data made a change of 1 % look like a collapse */
		struct chart_series s = {names[0], in->pop_cog, NULL, NULL};
		struct chart c = {
		    .kind = CHART_BARS,
		    .en = in->en,
		    .title = title.buf,
		    .source = tr(in, "Source : Insee, code officiel géographique 2021 à 2026",
				 "Source: Insee, official geographic code 2021 to 2026"),
		    .xlabel = tr(in, "millésime du COG", "COG vintage"),
		    .ylabel = tr(in, "habitants", "inhabitants"),
		    .cat = cogs,
		    .ncat = 6,
		    .series = &s,
		    .nseries = 1,
		};
		st = note_draw(&c, dir.buf, "population_cog", "portrait", &set, err);
	}
	/* the age pyramid of a département, a région or France */
	if (!st && in->pyramid) {
		const char *bands[INDICATORS_AGE_BANDS];
		for (size_t k = 0; k < INDICATORS_AGE_BANDS; k++)
			bands[k] = indicators_age_band(k);
		struct chart_series s[2] = {
		    {tr(in, "hommes", "men"), in->pyramid->men, NULL, NULL},
		    {tr(in, "femmes", "women"), in->pyramid->women, NULL, NULL}};
		strbuf_reset(&title);
		strbuf_addf(&title,
			    tr(in, "Pyramide des âges au 1er janvier %s : %s (estimation)",
			       "Age pyramid on 1 January %s: %s (estimate)"),
			    in->pyramid->period, names[0]);
		struct chart c = {
		    .kind = CHART_PYRAMID,
		    .en = in->en,
		    .title = title.buf,
		    .source = tr(in,
				 "Source : Insee, estimations de population au 1er janvier "
				 "(provisoires)",
				 "Source: Insee, population estimates on 1 January (provisional)"),
		    .xlabel = tr(in, "habitants", "inhabitants"),
		    .ylabel = tr(in, "âge (ans)", "age (years)"),
		    .cat = bands,
		    .ncat = INDICATORS_AGE_BANDS,
		    .series = s,
		    .nseries = 2,
		};
		st = note_draw(&c, dir.buf, "age_pyramid", "portrait", &set, err);
	}
	/* the localized unemployment rate by quarter, for the references that have it */
	if (!st && in->series) {
		const char *q[64];
		size_t nq = 0;
		for (size_t i = 0; i < in->series->n && nq < 64; i++) {
			const char *p = in->series->v[i].period;
			bool seen = false;
			for (size_t j = 0; j < nq && !seen; j++)
				seen = !strcmp(q[j], p);
			if (!seen &&
			    !strcmp(in->series->v[i].indicator, "bdm.taux_chomage_localise"))
				q[nq++] = p;
		}
		for (size_t a = 1; a < nq; a++) /* in order */
			for (size_t b = a; b > 0 && strcmp(q[b - 1], q[b]) > 0; b--) {
				const char *t = q[b];
				q[b] = q[b - 1];
				q[b - 1] = t;
			}
		struct chart_series ss[16];
		double *buf = xcalloc(16 * (nq ? nq : 1), sizeof(double));
		size_t ns = 0;
		for (size_t k = 0; k < ind->nt && k < 16 && nq; k++) {
			double *y = buf + ns * nq;
			size_t have = 0;
			for (size_t j = 0; j < nq; j++) {
				y[j] = NAN;
				for (size_t i = 0; i < in->series->n; i++) {
					const struct observation *o = &in->series->v[i];
					if (!strcmp(o->territory, ind->t[k].code) &&
					    !strcmp(o->period, q[j]) &&
					    !strcmp(o->indicator, "bdm.taux_chomage_localise")) {
						y[j] = o->value;
						have++;
					}
				}
			}
			if (have)
				ss[ns++] = (struct chart_series){names[k], y, NULL, NULL};
		}
		/* the quarters as the note writes them: "T2 2024" / "Q2 2024" */
		struct strbuf qtext[64];
		const char *qlab[64];
		for (size_t j = 0; j < nq; j++) {
			strbuf_init(&qtext[j]);
			note_period(in, &qtext[j], q[j]);
			qlab[j] = qtext[j].buf;
		}
		if (ns) {
			struct chart c = {
			    .kind = CHART_SERIES,
			    .en = in->en,
			    .title = tr(in, "Taux de chômage localisé (BIT), par trimestre",
					"Localized unemployment rate (ILO), by quarter"),
			    .source = tr(in, "Source : Insee, taux de chômage localisés (BDM)",
					 "Source: Insee, localized unemployment rates (BDM)"),
			    .ylabel = "%",
			    .cat = qlab,
			    .ncat = nq,
			    .series = ss,
			    .nseries = ns,
			    .decimals = 1,
			    .unit = "%",
			};
			st =
			    note_draw(&c, dir.buf, "unemployment_localized", "portrait", &set, err);
		}
		for (size_t j = 0; j < nq; j++)
			strbuf_release(&qtext[j]);
		free(buf);
	}
	if (!st)
		st = note_survey_charts(in, dir.buf, &set, err);
	if (!st)
		st = note_project_charts(in, dir.buf, names[0], &set, err);
	if (st) { /* gnuplot failed: none of its charts */
		note_charts_free(set.v, set.n);
		set = (struct note_chart_set){0};
	}
	/* the maps need no gnuplot: drawn all the same */
	struct error merr;
	enum status mst = note_map_charts(in, dir.buf, &set, st ? &merr : err);
	if (mst) {
		note_charts_free(set.v, set.n);
		if (!st)
			st = mst;
		goto out;
	}
	*out = set.v;
	*nout = set.n;
out:
	strbuf_release(&dir);
	strbuf_release(&title);
	return st;
}

void note_charts_free(struct note_chart *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].svg);
		free(c[i].title);
		free(c[i].caption);
	}
	free(c);
}
