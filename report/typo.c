#include "typo.h"

#include "../core/territory.h"
#include "../core/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NNBSP "\xe2\x80\xaf" /* U+202F NARROW NO-BREAK SPACE */
#define NBSP  "\xc2\xa0"     /* U+00A0 NO-BREAK SPACE */
#define MINUS "\xe2\x88\x92" /* U+2212 MINUS SIGN */

static void add_missing(struct strbuf *sb, bool fr)
{
	strbuf_addstr(sb, fr ? "n.d." : "n/a");
}

static int clamp_decimals(int decimals)
{
	return decimals < 0 ? 0 : decimals > 15 ? 15 : decimals;
}

/* The digits of |v| rounded to decimals, grouped and with the language's
 * decimal mark, into sb; *negative tells whether a sign is due (false
 * when the rounded value is zero). */
static void add_magnitude(struct strbuf *sb, double v, int decimals, bool fr, bool *negative)
{
	decimals = clamp_decimals(decimals);
	/* DBL_MAX has 309 integer digits: 400 bytes hold any finite value */
	char buf[400];
	snprintf(buf, sizeof(buf), "%.*f", decimals, fabs(v));
	*negative = v < 0 && strspn(buf, "0.,") != strlen(buf);
	size_t n = strcspn(buf, ".,"); /* ',' if a caller set a French LC_NUMERIC */
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			strbuf_addstr(sb, fr ? NNBSP : ",");
		strbuf_addch(sb, buf[i]);
	}
	if (buf[n]) {
		strbuf_addch(sb, fr ? ',' : '.');
		strbuf_addstr(sb, buf + n + 1);
	}
}

/* sign (or not), then the magnitude: the sign is known only once the
 * value is rounded, so the magnitude goes to a side buffer first */
static void add_signed(struct strbuf *sb, double v, int decimals, bool fr, bool plus)
{
	struct strbuf mag = STRBUF_INIT;
	bool negative;
	add_magnitude(&mag, v, decimals, fr, &negative);
	if (negative)
		strbuf_addstr(sb, fr ? MINUS : "-");
	else if (plus && strspn(mag.buf, "0,.") != mag.len)
		strbuf_addch(sb, '+');
	strbuf_addbuf(sb, &mag);
	strbuf_release(&mag);
}

void typo_number(struct strbuf *sb, double v, int decimals, bool fr)
{
	if (!isfinite(v)) {
		add_missing(sb, fr);
		return;
	}
	add_signed(sb, v, decimals, fr, false);
}

void typo_percent(struct strbuf *sb, double v, int decimals, bool fr)
{
	if (!isfinite(v)) {
		add_missing(sb, fr);
		return;
	}
	add_signed(sb, v, decimals, fr, false);
	strbuf_addstr(sb, fr ? NBSP "%" : "%");
}

void typo_points(struct strbuf *sb, double v, int decimals, bool fr)
{
	if (!isfinite(v)) {
		add_missing(sb, fr);
		return;
	}
	add_signed(sb, v, decimals, fr, true);
	/* the number as printed decides the plural: 1,96 shown as "2,0" is
	 * plural, as the reader sees it */
	char shown[400];
	snprintf(shown, sizeof(shown), "%.*f", clamp_decimals(decimals), fabs(v));
	bool singular = fr ? strtod(shown, NULL) < 2 : strcmp(shown, "1") == 0;
	strbuf_addstr(sb, fr ? NBSP : " ");
	strbuf_addstr(sb, singular ? "point" : "points");
}

void typo_date(struct strbuf *sb, int y, int m, int d, bool fr)
{
	static const char *const mois[] = {"janvier",	"février", "mars",     "avril",
					   "mai",	"juin",	   "juillet",  "août",
					   "septembre", "octobre", "novembre", "décembre"};
	static const char *const months[] = {"January",	  "February", "March",	  "April",
					     "May",	  "June",     "July",	  "August",
					     "September", "October",  "November", "December"};
	if (y > 9999 || !text_valid_day(y, m, d)) {
		add_missing(sb, fr);
		return;
	}
	if (fr)
		strbuf_addf(sb, "%d%s %s %d", d, d == 1 ? "er" : "", mois[m - 1], y);
	else
		strbuf_addf(sb, "%d %s %d", d, months[m - 1], y);
}

void typo_money(struct strbuf *sb, double v, int decimals, bool fr)
{
	if (!isfinite(v)) {
		add_missing(sb, fr);
		return;
	}
	if (fr) {
		add_signed(sb, v, decimals, fr, false);
		strbuf_addstr(sb, NBSP "€");
		return;
	}
	struct strbuf mag = STRBUF_INIT;
	bool negative;
	add_magnitude(&mag, v, decimals, fr, &negative);
	strbuf_addstr(sb, negative ? "-€" : "€");
	strbuf_addbuf(sb, &mag);
	strbuf_release(&mag);
}

const char *typo_unit(const char *unit, bool fr)
{
	static const char *const words[][3] = {
	    {"%", "%", "%"},
	    {"persons", "personnes", "persons"},
	    {"households", "ménages", "households"},
	    {"per 1 000", "pour" NBSP "1" NNBSP "000", "per 1,000"},
	    {"per 100", "pour" NBSP "100", "per 100"},
	    {"euros a year", "€" NBSP "par an", "€ a year"},
	    {"times", "fois", "times"}, /* a ratio of two levels: D9 / D1 */
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(unit, words[i][0]))
			return words[i][fr ? 1 : 2];
	return NULL;
}

/* NBSP and the unit's words after a number, unless a count (its unit
 * goes without saying) or an unknown unit */
static void add_unit(struct strbuf *sb, const char *unit, bool fr)
{
	const char *words = typo_unit(unit, fr);
	if (!words || !strcmp(unit, "persons") || !strcmp(unit, "households"))
		return;
	strbuf_addstr(sb, NBSP);
	strbuf_addstr(sb, words);
}

void typo_value(struct strbuf *sb, double v, const char *unit, int decimals, bool fr)
{
	if (!strcmp(unit, "%")) {
		typo_percent(sb, v, decimals, fr);
		return;
	}
	typo_number(sb, v, decimals, fr);
	if (isfinite(v))
		add_unit(sb, unit, fr);
}

void typo_gap(struct strbuf *sb, double v, const char *unit, int decimals, bool fr)
{
	if (!strcmp(unit, "%")) {
		typo_points(sb, v, decimals, fr);
		return;
	}
	if (!isfinite(v)) {
		add_missing(sb, fr);
		return;
	}
	add_signed(sb, v, decimals, fr, true);
	add_unit(sb, unit, fr);
}

/* A name that begins with its article ("La Réunion") or names a city or
 * an island (Paris, Mayotte) takes "à"; the other names without article
 * (Normandie, Seine-et-Marne) take "en". */
static bool takes_a(const struct territory *t)
{
	const char *n = t->name ? t->name : "";
	return !strncmp(n, "La ", 3) || !strncmp(n, "Le ", 3) || !strncmp(n, "Les ", 4) ||
	       !strcmp(t->code, "dep:75") || !strcmp(t->code, "dep:976") ||
	       !strcmp(t->code, "reg:06");
}

/* Does an EPCI's name begin with a feminine common noun, "CA du Centre de
 * la Martinique", "CC de la Dombes", "Métropole européenne de Lille" (1:
 * "dans la CA..."), or with one that elides, "Eurométropole de
 * Strasbourg" (2: "dans l'Eurométropole")?  0: a proper name,
 * "Grenoble-Alpes-Métropole", "Toulouse Métropole" ("dans
 * Grenoble-Alpes-Métropole"). */
static int epci_article(const char *n)
{
	static const char *const la[] = {"CA ", "CC ", "CU ", "Communauté ", "Métropole "};
	for (size_t i = 0; i < sizeof(la) / sizeof(la[0]); i++)
		if (!strncmp(n, la[i], strlen(la[i])))
			return 1;
	return !strncmp(n, "Eurométropole ", strlen("Eurométropole ")) ? 2 : 0;
}

static const char *place_in(const struct territory *t, size_t *skip)
{
	const char *n = t->name ? t->name : "";
	switch (t->type) {
	case TERRITORY_COM:
	case TERRITORY_ARM:
		/* the article is part of a commune's name: à + le = au,
		 * à + les = aux; La, L', Las, Los stay */
		if (t->tncc == 2 && !strncmp(n, "Le ", 3))
			return *skip = 3, "au ";
		if (t->tncc == 4 && !strncmp(n, "Les ", 4))
			return *skip = 4, "aux ";
		if (t->tncc == 6 && !strncmp(n, "Aux ", 4))
			return *skip = 4, "aux ";
		return "à ";
	case TERRITORY_DEP:
	case TERRITORY_REG:
		switch (t->tncc) {
		case 2:
			return "dans le ";
		case 4:
			return "dans les ";
		case 5:
			return "dans l'";
		case 0:
			return takes_a(t) ? "à " : "en ";
		default: /* 1: vowel, 3: la (en Corrèze, en Guadeloupe), unknown */
			return "en ";
		}
	case TERRITORY_FR:
		return "en ";
	case TERRITORY_EPCI:
		return epci_article(n) == 1   ? "dans la "
		       : epci_article(n) == 2 ? "dans l'"
					      : "dans ";
	default:
		return "dans ";
	}
}

const char *typo_place(const struct territory *t, enum typo_place_form form, size_t *skip)
{
	static const char *const than[][2] = {
	    {"à ", "qu'à "},
	    {"au ", "qu'au "},
	    {"aux ", "qu'aux "},
	    {"en ", "qu'en "},
	    {"dans le ", "que dans le "},
	    {"dans les ", "que dans les "},
	    {"dans l'", "que dans l'"},
	    {"dans la ", "que dans la "},
	    {"dans ", "que dans "},
	};
	const char *n = t->name ? t->name : "";
	*skip = 0;
	if (form == TYPO_OF) {
		switch (t->type) {
		case TERRITORY_COM:
		case TERRITORY_ARM:
			if (t->tncc == 2 && !strncmp(n, "Le ", 3))
				return *skip = 3, "du ";
			if (t->tncc == 4 && !strncmp(n, "Les ", 4))
				return *skip = 4, "des ";
			if (t->tncc == 6 && !strncmp(n, "Aux ", 4))
				return *skip = 4, "des ";
			return t->tncc == 1 ? "d'" : "de ";
		case TERRITORY_DEP:
		case TERRITORY_REG:
			switch (t->tncc) {
			case 1:
				return "d'";
			case 2:
				return "du ";
			case 3:
				return "de la ";
			case 4:
				return "des ";
			case 5:
				return "de l'";
			default:
				return "de ";
			}
		case TERRITORY_FR:
			return "de la ";
		case TERRITORY_EPCI:
			return epci_article(n) == 1   ? "de la "
			       : epci_article(n) == 2 ? "de l'"
						      : "de ";
		default:
			return "de ";
		}
	}
	const char *in = place_in(t, skip);
	if (form == TYPO_IN)
		return in;
	for (size_t i = 0; i < sizeof(than) / sizeof(than[0]); i++)
		if (!strcmp(in, than[i][0]))
			return than[i][1];
	return in;
}

const char *typo_type_word(int type, bool en)
{
	switch ((enum territory_type)type) {
	case TERRITORY_COM:
	case TERRITORY_ARM:
		return "commune";
	case TERRITORY_EPCI:
		return en ? "EPCI" : "intercommunalité";
	case TERRITORY_DEP:
		return "département";
	case TERRITORY_REG:
		return "région";
	case TERRITORY_ZE:
		return en ? "employment zone" : "zone d'emploi";
	case TERRITORY_BV:
		return en ? "living area" : "bassin de vie";
	case TERRITORY_UU:
		return en ? "urban unit" : "unité urbaine";
	case TERRITORY_AAV:
		return en ? "functional area" : "aire d'attraction";
	default:
		return en ? "territory" : "territoire";
	}
}

void typo_territory_name(const struct territory *t, bool en, bool article, struct strbuf *out)
{
	enum geo_zonage l = territory_zonage(t->type);
	if (l == GEO_NZONAGE || !t->name)
		strbuf_addstr(out, t->name ? t->name : t->code);
	else
		typo_zone_name((int)l, t->name, t->tncc, en, article, out);
}

void typo_zone_name(int level, const char *name, int tncc, bool en, bool article,
		    struct strbuf *out)
{
	static const char *const fr[GEO_NZONAGE][2] = {{"la ", "zone d'emploi "},
						       {"le ", "bassin de vie "},
						       {"l'", "unité urbaine "},
						       {"l'", "aire d'attraction "}};
	static const char *const en_term[GEO_NZONAGE] = {"employment zone", "living area",
							 "urban unit", "functional area"};
	if (level < 0 || level >= GEO_NZONAGE) {
		strbuf_addstr(out, name);
		return;
	}
	if (en) {
		strbuf_addf(out, "%s%s %s", article ? "the " : "", name, en_term[level]);
		return;
	}
	/* "de Grenoble", "du Havre": the article of the commune it is named after */
	struct territory c = {.type = TERRITORY_COM, .name = name, .tncc = tncc};
	size_t skip;
	const char *of = typo_place(&c, TYPO_OF, &skip);
	strbuf_addf(out, "%s%s%s%s", article ? fr[level][0] : "", fr[level][1], of, name + skip);
}
